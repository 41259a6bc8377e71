/*
 * scan.h - the scan stage: every dataset but the archive's, streamed once.
 *
 * Each dataset is read by one worker thread (the largest first); a row
 * whose ID number (or archive number, or region) links to the archive is
 * counted as matched and, for the reference datasets, kept as a fact. Each
 * worker fills facts of its own; they are merged into `into` in dataset
 * order once all are done, so the result does not depend on timing.
 */
#ifndef XCHECK_SCAN_H
#define XCHECK_SCAN_H

#include "xcheck/archive.h"
#include "xcheck/facts.h"
#include "xcheck/idtab.h"
#include "xcheck/ingest.h"
#include "xcheck/run.h"
#include "xcheck/spill.h"

/* One source to scan: part `part` of dataset ds. */
typedef struct xc_scan_part {
    xc_ds_id ds;
    int part;
    xc_ingest *in;            /* borrowed */
    int source;               /* the dataset's source it reads (results[ds].sources,
                                 from 0; ignored when those are NULL) */
} xc_scan_part;

/* Facts past a budget go to a spill store (facts.h, spill.h). */
typedef struct xc_scan_spill {
    size_t budget;            /* bytes the facts may hold in memory; 0: no limit */
    const char *dir;          /* the store's directory (NULL: $TMPDIR, /tmp) */
    int windows;              /* windows wanted, 1 to 65536 (fewer with fewer
                                 households) */
    struct xc_spill *store;   /* opened by the caller beforehand (so that a
                                 wrong directory fails before any reading),
                                 else by xc_scan once it spills; the caller
                                 frees it with xc_spill_free() */
    bool spilled;             /* set by xc_scan once it spills, with: */
    xc_facts_windows plan;
    xc_facts_worker *workers; /* plan's; the caller frees it with free() */
} xc_scan_spill;

/* Adds the counts of c to into. */
void xc_scan_counts_add(xc_counts *into, const xc_counts *c);

/* Scans every part with up to `jobs` threads. The archive is only read (it
 * must be sealed); the reference rows of the ID numbers in `also` (NULL:
 * none), people of interest outside the archive such as candidates, are
 * kept as well, and counted as matched. Adds each part's counts into results[ds], marking the
 * dataset read and calling progress (one call at a time) when its last part
 * is done. With tick, a thread of its own reports the scan's status four
 * times a second, and once more (done) at the end. Returns XC_OK, or the
 * first failing dataset's error. */
int xc_scan(const xc_archive *archive, const xc_idtab *also, const xc_scan_part *parts,
            int n_parts, int jobs, xc_facts *into, xc_dataset_result results[XC_DS_COUNT],
            xc_run_progress *progress, xc_run_tick *tick, void *progress_user, xc_err *err);

/* xc_scan() keeping the facts within spill->budget: once they would pass
 * it, every worker moves the facts of its part that belong to a window of
 * households into spill->store (opened then, in spill->dir), as the part
 * goes and when it ends, and only what stays in memory is merged into
 * `into`. spill NULL: xc_scan(). A later scan with the same spill goes
 * on spilling from the start. */
int xc_scan_spilling(const xc_archive *archive, const xc_idtab *also,
                     const xc_scan_part *parts, int n_parts, int jobs, xc_facts *into,
                     xc_dataset_result results[XC_DS_COUNT], xc_scan_spill *spill,
                     xc_run_progress *progress, xc_run_tick *tick, void *progress_user,
                     xc_err *err);

#endif
