/*
 * run.h - one run of xcheck: read the archive, stream every configured
 * dataset against it, account for every row.
 *
 * The run writes into its output directory: rejects/<dataset>.csv (one row
 * per rejected input row: file, line, field, reason, value) and
 * accounting.csv (per dataset: source, read, matched, unmatched, rejected).
 */
#ifndef XCHECK_RUN_H
#define XCHECK_RUN_H

#include <stdbool.h>

#include "xcheck/archive.h"
#include "xcheck/config.h"
#include "xcheck/error.h"
#include "xcheck/ingest.h"

typedef struct xc_dataset_result {
    bool evaluated;            /* configured and read */
    char where[512];           /* file or table */
    xc_counts counts;
    double seconds;
} xc_dataset_result;

typedef struct xc_run_result {
    xc_date as_of;
    xc_dataset_result ds[XC_DS_COUNT];
    size_t households, persons;
    double seconds;
} xc_run_result;

/* Called after each dataset has been read (progress for people). */
typedef void xc_run_progress(void *user, const xc_dataset_def *ds,
                             const xc_dataset_result *r);

typedef struct xc_run_opts {
    const char *output;         /* output directory, created if missing */
    xc_date as_of;              /* evaluation date */
    xc_run_progress *progress;  /* optional */
    void *progress_user;
} xc_run_opts;

/* Runs cfg. Fills *ret (caller-owned) and returns XC_OK, or a negative code
 * with err saying what failed and where; the archive built is handed out
 * through ret_archive when not NULL (caller frees with xc_archive_free()). */
int xc_run_execute(const xc_config *cfg, const xc_run_opts *opts, xc_run_result *ret,
                   xc_archive **ret_archive, xc_err *err);

/* Creates dir and its parents (mkdir -p). Returns XC_OK or XC_EIO. */
int xc_mkdirs(const char *dir, xc_err *err);

#endif
