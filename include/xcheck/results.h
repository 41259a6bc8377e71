/*
 * results.h - a run's results in PostgreSQL, and the nightly diff.
 *
 * xc_results_publish() stores a run (its record, flags and rates) in three
 * tables of one schema ("xcheck" unless told otherwise), creating the schema
 * and the tables the first time:
 *
 *   runs   one row per run: run_id (primary key), started, finished, as_of,
 *          profile, config_path, config_hash, snapshot, version, key_id (the
 *          id of the key its pseudonyms were made with), sources (jsonb: per
 *          dataset configured and, when it is, source, read, matched,
 *          unmatched, rejected, parts, strategy, strategy_reason, coverage,
 *          coverage_declared, exported (YYYY-MM-DD or null),
 *          exported_declared), status ('complete'), published, rules
 *          (jsonb: per rule id {"evaluated": bool, "why_not": text}; NULL
 *          for runs published before it was kept), incomplete, incomplete_why
 *   flags  one row per flag: run_id, seq (its place in flags.csv), rule,
 *          category, archive_no, region_code, level, person_key,
 *          enrolled_on, condition_from, condition_to, summary, evidence,
 *          disposition (excluded, confirmed: the verification in force,
 *          disposition.h; NULL when none)
 *   rates  one row per rate row of rates.csv: run_id, seq, rate, grp, code,
 *          name, numerator, denominator, value, threshold, comparison,
 *          result, complete, excluded (flags kept out by a disposition)
 *
 * The rows are written with COPY into temporary staging tables, then
 * published in one transaction that deletes the run's earlier rows and
 * inserts the new ones: a run is either all there, as it was, or replaced.
 *
 * No ID number is stored, neither whole nor masked: person_key, the keyed
 * pseudonym of the person (pseudonym.h), follows a person from run to run
 * and cannot be turned back into the number without the key; summaries and
 * evidence have every ID-like run of digits reduced to its region code
 * (xc_mask_ids(), strict), whatever --full-ids. A database laid out by an
 * earlier version (masked_id and an unkeyed person_hash) is upgraded on the
 * next publication: the old keys, masked IDs and evidence are wiped. A runs
 * table without the columns rules, incomplete and incomplete_why gets them
 * on the next publication (by a role that owns it); a diff reads such a
 * table as it is, its runs' rules unknown. Flags and rates tables without
 * the columns disposition and excluded get them the same way; a diff reads
 * such flags as verified by no one.
 *
 * xc_results_diff() compares a run's flags with the previous complete run's,
 * for the nightly re-check: new, resolved and persisting flags (a flag of
 * this run that a verification in force found false is none of them: it
 * is listed apart, as excluded), how long
 * each persisting one has been open, the flags of rules that one of the two
 * runs did not evaluate (not comparable), and what else differed between
 * the runs (configuration, profile, coverage and export dates of the data).
 *
 * Connections: conninfo is a libpq connection string ("host=... dbname=...")
 * or a postgresql:// URI, or a bare database name; whatever it leaves unset
 * comes from libpq's defaults (PGHOST, PGPORT, PGUSER, PGSERVICE,
 * ~/.pgpass...). NULL or "" leaves everything to them. No message of this
 * module ever contains a password or the connection string.
 *
 * Errors from the server fill the xc_err with "results database: " and the
 * server's primary message, "SQLSTATE xxxxx" (": " and the server's detail)
 * in detail, the server's hint when it gives one, and the table concerned
 * in `where` (with the flag or rate row, and the column, when a COPY row
 * was refused). A connection that cannot be made has SQLSTATE 08001 and
 * libpq's message; one lost on the way, 08006. Codes: XC_ECONFIG
 * for an unusable connection string or run record, XC_EIO for a failed
 * connection or statement, XC_EINPUT when the run asked for does not exist,
 * XC_ENOMEM.
 *
 * Waits: every session sets lock_timeout to the caller's limit ([run]
 * lock_timeout) and turns idle_in_transaction_session_timeout off. A lock
 * wait that runs out (SQLSTATE 55P03) fails with "results database: waited
 * N s for a lock on <schema>.<table> and gave up (lock_timeout)", naming the
 * table whose row, or whole, it waited for, or the publishers' advisory
 * lock of the schema (held while another xcheck publishes or prunes), with
 * a hint of where to look.
 */
#ifndef XCHECK_RESULTS_H
#define XCHECK_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xcheck/archive.h"
#include "xcheck/date.h"
#include "xcheck/error.h"
#include "xcheck/pseudonym.h"
#include "xcheck/plugin/rule.h"
#include "xcheck/run.h"
#include "xcheck/text.h"

#define XC_RESULTS_SCHEMA "xcheck"   /* the schema when none is given */

/* Publishes res into schema (NULL: XC_RESULTS_SCHEMA) of the database named
 * by conninfo, its people under the keyed pseudonyms of key, waiting at
 * most lock_timeout_ms for each lock (0: for ever; see "Waits" above). Requires
 * res->run_id non-empty, res->archive set when there are flags; key NULL is
 * refused (XC_ECONFIG): there is no publication without a key. Creates the schema and tables that are missing (needs CREATE
 * privilege only then); re-publishing a run_id replaces that run's rows.
 * Returns XC_OK, or a negative code with err filled; on failure nothing in
 * the database has changed but, possibly, newly created empty tables. */
int xc_results_publish(const char *conninfo, const char *schema, long lock_timeout_ms,
                       const xc_run_result *res, const xc_key *key, xc_err *err);

/* Deletes, in one transaction, the complete runs of schema (NULL:
 * XC_RESULTS_SCHEMA) published more than older_than_days days ago, with
 * their flags and rates, waiting at most lock_timeout_ms for each lock (0:
 * for ever). *ret_runs (NULL allowed) receives how many. Returns XC_OK, or
 * a negative code with err filled (nothing deleted). */
int xc_results_prune(const char *conninfo, const char *schema, long lock_timeout_ms,
                     int older_than_days, long *ret_runs, xc_err *err);

/* What identifies a flag from run to run. The texts are borrowed from the
 * rule table and the archive (valid while they live); person_key is filled
 * in place. */
typedef struct xc_flag_key {
    const char *rule;          /* "HK-DECEASED" */
    const char *category;      /* "missed_exit" */
    const char *archive_no;
    char person_key[XC_PSEUDONYM_LEN + 1];   /* "" when no person is known */
} xc_flag_key;

/* The key of flag fl of archive a. person_key is the pseudonym under key of
 * the person's 18-character ID number; for an invalid number, of its
 * normalised text (xc_pseudonym_text(); the raw text when that does not
 * fit); for a household flag, of the worker's number (or of the `self`
 * member's when the worker's number is invalid; "" when there is none). */
void xc_results_flag_key(const xc_archive *a, const xc_flag *fl, const xc_key *key,
                         xc_flag_key *ret);

/* Appends s to b as one field of COPY's text format: backslash, tab, line
 * feed and carriage return escaped (\\, \t, \n, \r); NULL appends \N. */
void xc_results_copy_text(xc_buf *b, const char *s);

/* The diff of one run against the previous complete one. */
typedef enum xc_change {
    XC_CHANGE_NEW,             /* 新增: in this run, not in the previous one */
    XC_CHANGE_RESOLVED,        /* 已解决: in the previous run, not in this one */
    XC_CHANGE_PERSISTING,      /* 持续: in both */
    XC_CHANGE_NOT_COMPARABLE,  /* 不可比: in one run only, and its rule was not
                                  evaluated in the other (or no record says
                                  it was): neither new nor resolved */
    XC_CHANGE_EXCLUDED,        /* 已核实排除: in this run, with a disposition in
                                  force that found it false (disposition.h):
                                  neither new nor persisting */
    XC_CHANGE_COUNT
} xc_change;

/* "new", "resolved", "persisting", "not_comparable", "excluded" */
const char *xc_change_name(xc_change c);

/* One flag key of the diff. Several flags of a run with the same key
 * (rule, category, archive_no, person_key) count as one, shown by the first
 * in the run's order. Texts are owned by the diff. */
typedef struct xc_diff_flag {
    xc_change change;
    const char *rule;
    const char *category;      /* xc_category_name() text */
    const char *archive_no;
    const char *region_code;   /* "" when unknown */
    const char *level;         /* "" when unknown */
    const char *person_key;
    const char *summary;
    xc_date condition_from;    /* XC_NO_DATE when none */
    xc_date since;             /* as_of of the first run of the unbroken chain
                                  of complete runs, back from this one, that
                                  has the flag; XC_NO_DATE when resolved or
                                  not comparable */
    int days_open;             /* as_of - since, never negative: 0 when new,
                                  -1 when resolved or not comparable */
    bool in_current;           /* the flag is in this run (new, persisting,
                                  or a not comparable one of this run) */
    const char *why;           /* not comparable: why, for people, "本次未评估
                                  not evaluated in this run（dataset property
                                  not configured）"; "" otherwise */
} xc_diff_flag;

/* A difference between the two runs' records that bears on comparing
 * them. Texts are owned by the diff. */
typedef struct xc_run_change {
    const char *what;          /* "config_hash", "profile", "incomplete", or
                                  per dataset "configured", "coverage",
                                  "exported" */
    const char *dataset;       /* the dataset's name, "" for the run's own */
    const char *before;        /* in the previous run, "" for none */
    const char *after;         /* in this run */
} xc_run_change;

typedef struct xc_diff {
    char run_id[128];          /* the run looked at */
    xc_date as_of;
    bool has_previous;         /* false: no earlier complete run, all is new */
    char previous_run_id[128]; /* the run compared against, "" if none */
    char key_id[XC_KEY_ID_LEN + 1];   /* the key both runs were published under */
    xc_date previous_as_of;    /* XC_NO_DATE if none */
    bool incomplete;           /* this run rested on incomplete data */
    const char *incomplete_why;   /* why, "" when complete or not recorded */
    xc_run_change *changes;    /* how the previous run differed: configuration
                                  hash, profile, completeness, then per
                                  dataset (in dataset order) configured,
                                  coverage, exported */
    size_t n_changes;
    xc_diff_flag *added;       /* new flags, by rule and archive_no */
    size_t n_added;
    xc_diff_flag *resolved;    /* by rule and archive_no */
    size_t n_resolved;
    xc_diff_flag *persisting;  /* longest open first */
    size_t n_persisting;
    xc_diff_flag *not_comparable;   /* by rule, this run's first, then by
                                       archive_no */
    size_t n_not_comparable;
    xc_diff_flag *excluded;    /* this run's flags a verification in force
                                  found false, by rule and archive_no */
    size_t n_excluded;
    xc_arena text;             /* private: the texts */
} xc_diff;

/* Compares the flags of run_id (NULL: the latest complete run) in schema
 * (NULL: XC_RESULTS_SCHEMA) with those of the previous complete run,
 * waiting at most lock_timeout_ms for each lock (0: for ever). Runs are
 * ordered by as_of, then by the time they were published, then by run_id:
 * the previous run is the last complete one before run_id in that order,
 * so a run backfilled for an earlier as_of is compared with the run before
 * its as_of, and `since` follows the same chain (days_open is never
 * negative).
 *
 * Each run records which rules it evaluated (runs.rules): a flag found in
 * one run only is new or resolved only if its rule was evaluated in the
 * other run too (known from the record, or from a flag of that rule in
 * that run); else it is not comparable, with the reason. A run published
 * before runs held that record has its rules unknown.
 *
 * Fills *ret (caller frees with xc_results_diff_free()) and returns XC_OK,
 * or a negative code with err filled: XC_EINPUT when there is no such
 * complete run, or when the two runs were published under different keys
 * (or one without any): their person keys cannot be compared. */
int xc_results_diff(const char *conninfo, const char *schema, long lock_timeout_ms,
                    const char *run_id, xc_diff **ret, xc_err *err);

/* Frees d; NULL does nothing. */
void xc_results_diff_free(xc_diff *d);

/* Appends the diff for people to out: a heading naming both runs, how the
 * previous run differed (configuration, profile, datasets, coverage, export
 * dates, completeness), the counts, then the flags of each list, in the
 * language of the messages (i18n.h); a not comparable rule's reason is
 * given once, above its flags. */
void xc_results_diff_format(const xc_diff *d, xc_buf *out);

/* Appends the diff as CSV to out: a header line
 * change,rule,category,archive_no,region_code,level,days_open,summary,note
 * then first one line per difference of the runs' records (change
 * run_changed, rule the item: config_hash, profile, incomplete,
 * configured.<dataset>, coverage.<dataset>, exported.<dataset>, summary
 * saying it for people), then one line per flag: new, resolved,
 * persisting, not_comparable (note: why), excluded. days_open is empty but for new
 * and persisting flags. */
void xc_results_diff_csv(const xc_diff *d, xc_buf *out);

#endif
