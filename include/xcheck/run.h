/*
 * run.h - one run of xcheck, in stages kept apart:
 *
 *   archive   read household and member into the archive and its ID table
 *   scan      stream every other configured dataset once, in parallel
 *             (one dataset per worker), keeping the matched rows as facts
 *   evaluate  every rule over every household, over the facts; the rates
 *
 * and returns the result; the report stage (outputs.h: xc_outputs_write())
 * writes the files from it. The run writes only its rejects, as it reads.
 *
 * Every source is opened and checked (file, header, columns) before any data
 * is read, so a broken source stops the run at once. A dataset may have
 * several sources (the files of a glob): each is accounted for on its own
 * (xc_dataset_result.sources), and their counts add up to the dataset's.
 */
#ifndef XCHECK_RUN_H
#define XCHECK_RUN_H

#include <stdbool.h>

#include "xcheck/archive.h"
#include "xcheck/config.h"
#include "xcheck/disposition.h"
#include "xcheck/error.h"
#include "xcheck/evaluate.h"
#include "xcheck/facts.h"
#include "xcheck/ingest.h"
#include "xcheck/payments.h"
#include "xcheck/profile.h"

/* One source of a dataset, accounted for on its own: a file of a glob, a
 * server of a binding. */
typedef struct xc_source_result {
    char label[512];           /* what the connector names it by (a file's path) */
    xc_counts counts;          /* its rows: read = matched + unmatched + rejected,
                                  physical_rows = read + other_lines */
} xc_source_result;

typedef struct xc_dataset_result {
    bool evaluated;            /* configured and read */
    char where[512];           /* file or table */
    xc_counts counts;
    xc_span span;              /* what its converted rows hold */
    xc_reasons reasons;        /* why its rows were rejected */
    double seconds;
    int parts;                 /* sources read for it (ctid ranges...) */
    char strategy[16];         /* "file", "full_scan" or "pushdown" */
    char strategy_reason[200]; /* why that strategy */
    int snapshots;             /* the snapshots its sources were read in, 0:
                                  none (files); more than one, of several
                                  servers, are not one point in time */
    char coverage[256];        /* the months it covers, "2021-01..2025-06"
                                  (ranges joined by ","), "" when it has none */
    bool coverage_declared;    /* from the binding's covers, not its rows */
    xc_date exported;          /* export date (declared, else the latest date
                                  its rows hold), XC_NO_DATE when none */
    bool exported_declared;
    xc_reject_limit max_rejects;   /* the binding's */
    uint64_t unattributed;     /* rejected rows of no one known: broken as a
                                  whole, neither ID nor archive number read */
    xc_source_result *sources; /* owned, n_sources: the dataset's sources in
                                  reading order, whose counts add up to counts
                                  (one, the dataset itself, for a source of its
                                  own); NULL when not read */
    int n_sources;
} xc_dataset_result;

/* Something the run could not see, said in every output: the rates of a
 * run with any warning are incomplete. */
typedef enum xc_warning_kind {
    XC_WARN_REJECTS,           /* rows rejected, below the dataset's limit */
    XC_WARN_COVERAGE,          /* months social insurance does not cover */
    XC_WARN_EXPORTED,          /* an export taken before as_of */
    XC_WARN_NOT_EVALUATED      /* rules whose datasets are not configured */
} xc_warning_kind;

typedef struct xc_run_warning {
    xc_warning_kind kind;
    int dataset;               /* xc_ds_id, -1 for none */
    char text[400];            /* for people, in Chinese */
} xc_run_warning;

#define XC_RUN_WARNINGS 24

const char *xc_warning_kind_name(xc_warning_kind k);   /* "rejects", "coverage"... */

/* How report.xlsx splits the visit list by cadre (帮扶干部). */
typedef enum xc_visits_by_cadre {
    XC_VISITS_BY_CADRE_NONE,   /* one list, 入户核查清单 */
    XC_VISITS_BY_CADRE_SHEET,  /* and one sheet per cadre, 未结对 apart */
    XC_VISITS_BY_CADRE_FILE    /* and one file per cadre, visits/<cadre>.xlsx */
} xc_visits_by_cadre;

typedef struct xc_run_result {
    const char *version;
    char run_id[128];          /* the run's name in the results database */
    char config_path[4096];
    char config_hash[65];      /* SHA-256 of the configuration, passwords out, hex */
    char snapshot[64];         /* exported PostgreSQL snapshot, "" if none */
    int64_t started, finished; /* Unix time */
    xc_date as_of;
    xc_date audit_from;        /* audit_period: (audit_from, as_of] */
    xc_profile profile;
    xc_dataset_result ds[XC_DS_COUNT];
    size_t households, households_in_archive, persons;
    xc_archive *archive;       /* owned */
    xc_facts *facts;           /* owned */
    xc_standards *standards;   /* owned */
    xc_flags flags;            /* owned */
    xc_rule_result *rules;     /* owned, n_rules */
    size_t n_rules;
    xc_rate_row *rates;        /* owned, n_rates: total first */
    size_t n_rates;
    bool incomplete;           /* rows were rejected (below their limits),
                                  coverage falls short, an export predates
                                  as_of, rules were not evaluated: the rates
                                  rest on partial data */
    char incomplete_why[512];  /* why, for people, "" when complete */
    xc_run_warning warnings[XC_RUN_WARNINGS];   /* each reason, in order */
    int n_warnings;
    xc_span income_months;     /* the months social insurance covers */
    struct xc_idtab *unseen;   /* owned: people of member rows of no
                                  household read (those of rejected rows are
                                  in rejected_keys) */
    uint8_t *partial;          /* owned: bit h, household h has member rows
                                  that were rejected (NULL: none) */
    size_t n_partial;          /* such households */
    uint32_t *hh_rejected;     /* owned, per household: bit d, dataset d has
                                  a rejected row about it or a member (NULL:
                                  none) */
    struct xc_idtab *rejected_keys;   /* owned: person key -> index into
                                         rejected_masks */
    uint32_t *rejected_masks;  /* owned: bit d, dataset d rejected a row of
                                  the person */
    size_t n_rejected_masks;
    xc_disposition_counts dispositions;   /* what the register of
                                  verifications did (disposition.h) */
    int rates_failed;          /* total-level rates over (or under) threshold */
    bool payments_evaluated;   /* payment configured: payments[] is filled */
    xc_payment_total payments[XC_PAY_PROGRAMS + 1];   /* per program, total */
    int jobs;
    bool full_ids;             /* machine outputs hold whole ID numbers */
    xc_visits_by_cadre visits_by_cadre;   /* report.xlsx's visit lists */
    uint32_t region;           /* the area the run is limited to (53, 5301,
                                  530102), with region_digits 2, 4 or 6; 0
                                  digits: every household */
    int region_digits;
    uint8_t *outside;          /* owned: bit h, household h lies outside the
                                  area: not evaluated, in no rate and no
                                  output (NULL: none) */
    size_t households_outside; /* such households (their rows are read and
                                  accounted for all the same) */
    char organisation[208];    /* [report] organisation, "" if none */
    char scope[208];           /* [report] scope, "" if none */
    /* Memory: the limit asked for (0: none), the facts' budget under it,
     * and what went to the temporary file when the facts passed it. */
    uint64_t memory_limit, facts_budget;
    int spill_windows;         /* windows of households spilled; 0: none */
    int spill_batches;         /* evaluated in this many batches of windows */
    uint64_t spill_bytes;      /* written to the temporary file */
    double seconds_archive, seconds_scan, seconds_evaluate, seconds_report, seconds;
    double clock_started;      /* xc_now() when the run started, for seconds */
} xc_run_result;

/* Called when a dataset has been read (from a worker thread, one call at a
 * time). */
typedef void xc_run_progress(void *user, const xc_dataset_def *ds,
                             const xc_dataset_result *r);

/* The scan stage as it stands, for a progress display. */
typedef struct xc_scan_status {
    uint64_t rows;             /* rows read so far, every dataset */
    uint64_t bytes_done;       /* of the sources whose size is known */
    uint64_t bytes_total;
    int parts, parts_done;     /* sources to read, and read */
    double seconds;            /* since the scan started */
    char active[256];          /* datasets being read, comma-separated */
    bool done;                 /* the last call: every source is read */
    char stalled[64];          /* of the sources being read, the one that
                                  has sent no row for the longest (its
                                  dataset's name), "" when none is read */
    double stalled_seconds;    /* since its last row (or its start) */
} xc_scan_status;

/* Called a few times a second during the scan, from a thread of its own. */
typedef void xc_run_tick(void *user, const xc_scan_status *s);

/* Called as each stage starts: "archive", "scan", "evaluate", "report". */
typedef void xc_run_stage(void *user, const char *stage);

typedef struct xc_run_opts {
    const char *version;        /* xcheck's version, for the run's record */
    const char *output;         /* output directory: created 0700 if missing,
                                 * else checked (xc_output_dir(), private) */
    xc_date as_of;              /* evaluation date */
    const char *profile;        /* profile name or path; NULL: the config's, else default */
    const char *rules_dir;      /* where named profiles live */
    int jobs;                   /* scan workers and connections; 0: the cores */
    uint64_t memory;            /* about the most the run should hold, in
                                   bytes: past it, the facts about the
                                   households go, encrypted, to a temporary
                                   file and are evaluated window by window;
                                   0: no limit */
    const char *temp_dir;       /* where that file goes; NULL: $TMPDIR, /tmp */
    const char *database;       /* conninfo overriding [run] database, or NULL */
    int pushdown;               /* xc_pushdown overriding every dataset's, -1: none */
    const char *run_id;         /* the run's name; NULL: its as_of date */
    bool full_ids;              /* write whole ID numbers into the machine
                                   outputs (evidence, rejects); else masked */
    xc_visits_by_cadre visits_by_cadre;   /* report.xlsx: a visit list per
                                   cadre too */
    uint32_t region;            /* limit the run to the households of an area:
                                   the prefix from xc_region_arg() */
    int region_digits;          /* its digits, 2, 4 or 6; 0: every household */
    const struct xc_key *key;   /* pseudonym key: needed by datasets whose
                                   ID column holds pseudonyms; borrowed */
    xc_run_progress *progress;  /* optional: a dataset has been read */
    xc_run_tick *tick;          /* optional: the scan's status, repeatedly */
    xc_run_stage *stage;        /* optional: a stage starts */
    void *progress_user;        /* for the three */
} xc_run_opts;

/* Runs cfg. Fills *ret and returns XC_OK, or a negative code with err
 * saying what failed and where. Free *ret with xc_run_result_free() in
 * both cases. */
int xc_run_execute(const xc_config *cfg, const xc_run_opts *opts, xc_run_result *ret,
                   xc_err *err);

void xc_run_result_free(xc_run_result *r);

/* Whether household h is in the run's area (every household of a run not
 * limited by --region). */
static inline bool xc_run_in_region(const xc_run_result *r, uint32_t h)
{
    return !r->outside || !(r->outside[h / 8] >> (h % 8) & 1);
}

/* "云南省昆明市五华区（530102）" for the run's area into buf, "" when the
 * run is not limited; returns buf. */
const char *xc_run_region_label(const xc_run_result *r, char *buf, size_t bufsz);

#endif
