/*
 * source.h - the connector interface: where a dataset's rows come from.
 *
 * A connector (connectors/<kind>.c) fills xc_source_ops and is found by
 * its name, the `kind` of a binding (config.h). It owns everything that
 * depends on the kind of source:
 *
 *   - its configuration keys (keys, key_prefixes, conf_key, conf_check,
 *     conf_free): the configuration hands it the keys of a dataset section
 *     it does not know itself, exact names or names under a prefix it owns
 *     (postgres: source.<name>.table), and adds the file and line to the
 *     connector's messages;
 *   - its per-run shared state (shared_new, shared_free: postgres keeps one
 *     exported snapshot per database for all its connections);
 *   - its up-front check of a source (prepare: a table or query and its
 *     mapped columns in the run's snapshot), before any data is read;
 *   - its planning (plan: parts, and whether to filter by the archive's
 *     keys on the source's side), as SQLite's virtual tables do in
 *     xBestIndex, and what the run record says of it (record);
 *   - reading (open, next, next_batch, close): rows as raw text per logical
 *     field. Converting that text into typed values is the engine's job
 *     (record.h), the same for every kind.
 *
 * The run calls only these operations, through the functions below; no
 * code outside connectors/ tests a kind.
 *
 * Implementations embed xc_source (and xc_source_plan, xc_source_shared)
 * first in their own structs and keep the base's counters up to date.
 */
#ifndef XCHECK_SOURCE_H
#define XCHECK_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xcheck/config.h"
#include "xcheck/error.h"
#include "xcheck/schema.h"

#define XC_SOURCE_ABI 3

/* The kind of a dataset section that gives no `kind` key. */
#define XC_SOURCE_DEFAULT_KIND "file"

typedef struct xc_raw_field {
    const char *p;       /* NULL when the field is not mapped */
    size_t len;
} xc_raw_field;

typedef struct xc_raw_row {
    long line;               /* where the row starts: line (file) or row number */
    const xc_datefmt *const *format;  /* per field: the format its text is in
                                         when the source knows better than the
                                         binding (a date-typed column), else
                                         NULL; the whole array may be NULL */
    const char *problem;     /* a row-level problem the source found (wrong
                                number of fields...), or NULL; valid until
                                the next call. Text is checked as UTF-8 when
                                it is converted (record.h), not here. */
    int problem_field;       /* logical field of the problem, -1 for the row */
    xc_raw_field f[XC_MAX_FIELDS];   /* valid until the next call */
} xc_raw_row;

typedef struct xc_source xc_source;
typedef struct xc_source_ops xc_source_ops;
struct xc_pseudomap;

/* A connector's state for one run, shared by all the datasets of its kind
 * (shared_new). Implementations embed it first. */
typedef struct xc_source_shared {
    const xc_source_ops *ops;
} xc_source_shared;

/* What a run tells every connector. */
typedef struct xc_source_env {
    long lock_timeout_ms;    /* how long a session may wait for a lock, 0: for
                                ever ([run] lock_timeout) */
    const char *database;    /* the run's default database: -d, else [run]
                                database, else "" (libpq's defaults) */
} xc_source_env;

/* One dataset's plan: made by prepare (checked source), decided by plan.
 * Implementations embed it first; the connector frees it (plan_free). */
typedef struct xc_source_plan {
    const xc_source_ops *ops;
    const xc_binding *binding;   /* borrowed: outlives the plan */
    int parts;                   /* parts to open, >= 1, once planned */
} xc_source_plan;

/* What plan is given: the archive's keys and how the run may use them. */
typedef struct xc_source_plan_in {
    const uint64_t *keys;        /* the archive's packed ID numbers, sorted
                                    and distinct; NULL (none) for the
                                    archive's own datasets */
    size_t n_keys;
    const struct xc_pseudomap *pseudo;   /* their pseudonyms, for a dataset
                                            whose ID column holds pseudonyms;
                                            NULL: numbers */
    bool may_filter;             /* false: the dataset must be read whole
                                    (the archive, payments, candidates...) */
    int pushdown;                /* xc_pushdown overriding the binding's own
                                    setting, -1: none */
    int jobs;                    /* parts the dataset may be read in */
    uint64_t limit;              /* read at most this many rows, 0: all
                                    (xcheck check's sample: a server sends
                                    no more, a connector without a limit of
                                    its own is closed after them) */
} xc_source_plan_in;

/* What the run record says of a plan; texts owned by the plan. */
typedef struct xc_source_record {
    const char *strategy;    /* "file", "full_scan", "pushdown"... */
    const char *reason;      /* why, "" if nothing to say */
    const char *where;       /* the file, table or "query" read, for messages */
    int snapshots;           /* the snapshots its sources were read in (one
                                per database: more than one are not one
                                point in time), 0: none (files) */
} xc_source_record;

/* What a run tells a connector when it opens a part. */
typedef struct xc_source_ctx {
    int part, parts;         /* read part `part` (from 0) of `parts` */
    const xc_source_plan *plan;  /* the dataset's plan, NULL when opened
                                    without one (xc_source_open()); borrowed,
                                    must outlive the source */
} xc_source_ctx;

struct xc_source_ops {
    int abi;                 /* XC_SOURCE_ABI */
    const char *kind;        /* its name: "file", "postgres"... */
    /* Opens part ctx->part of the source of b (b and ctx->plan borrowed: they
     * must outlive the source). Returns XC_OK, or a negative code with err
     * saying what and where. */
    int (*open)(const xc_binding *b, const xc_source_ctx *ctx, xc_source **ret, xc_err *err);
    /* The next row: XC_OK with *row filled, XC_DONE at the end, or a
     * negative code when the source as a whole failed (truncated file,
     * lines not accounted for...). */
    int (*next)(xc_source *src, xc_raw_row *row, xc_err *err);
    /* Frees the source; NULL does nothing. */
    void (*close)(xc_source *src);

    /* Everything below is optional (NULL). */

    /* The next rows, up to max of them, all valid until the next call of
     * next or next_batch: XC_OK with *ret_n >= 1, XC_DONE, or a negative
     * code as for next. NULL: rows come from next, one at a time. */
    int (*next_batch)(xc_source *src, xc_raw_row *rows, int max, int *ret_n, xc_err *err);

    /* The keys of a dataset section the connector owns, NULL-terminated;
     * each takes one value (a second line is an error the configuration
     * reports). NULL: none. */
    const char *const *keys;
    /* Parses one of its keys into b->source_conf (made on the first call).
     * basedir: the configuration's directory, for relative paths. Returns
     * XC_OK, or XC_ECONFIG / XC_ENOMEM with err's message (without the
     * file and line, which the configuration adds) and hint. */
    int (*conf_key)(xc_binding *b, const char *key, const char *value, const char *basedir,
                    xc_err *err);
    /* Checks what only the whole section tells (a key that is required).
     * Returns XC_OK, or XC_ECONFIG with err's message, hint and err->field
     * the key to name; the configuration names the section's line. */
    int (*conf_check)(const xc_binding *b, xc_err *err);
    /* Frees b->source_conf; NULL does nothing. */
    void (*conf_free)(void *conf);

    /* The run's shared state, made before the first prepare of this kind
     * and freed once the run's sources are closed. */
    int (*shared_new)(const xc_source_env *env, xc_source_shared **ret, xc_err *err);
    void (*shared_free)(xc_source_shared *shared);
    /* What the run record names the shared state by (postgres: the snapshot
     * of the first database), "" if nothing. */
    const char *(*shared_label)(const xc_source_shared *shared);

    /* Checks the source of b before any data is read, and makes its plan
     * (freed with plan_free). NULL: the dataset is read whole, in one part,
     * opened (and so checked) at once. Returns XC_OK, or a negative code
     * with err naming the dataset. */
    int (*prepare)(xc_source_shared *shared, const xc_binding *b, const xc_source_env *env,
                   xc_source_plan **ret, xc_err *err);
    /* Decides how a prepared dataset is read; sets p->parts. Called once the
     * archive's keys are known (with none for the archive's own datasets).
     * Returns XC_OK, or a negative code. */
    int (*plan)(xc_source_plan *p, const xc_source_plan_in *in, xc_err *err);
    void (*plan_free)(xc_source_plan *p);
    /* What the run record says of a plan. NULL: strategy kind, no reason. */
    void (*record)(const xc_source_plan *p, xc_source_record *ret);

    /* The sources of a planned dataset, each accounted for on its own in
     * the run record: the files of a glob, the servers of a binding. NULL:
     * one source, read by every part. n_sources gives how many (>= 1),
     * source_label source i's name (owned by the plan: a file's path, a
     * server and table), part_source the source that part k reads (from
     * 0). All three or none. */
    int (*n_sources)(const xc_source_plan *p);
    const char *(*source_label)(const xc_source_plan *p, int i);
    int (*part_source)(const xc_source_plan *p, int part);

    /* Key prefixes the connector owns, NULL-terminated ("source.": every
     * key "source.<name>.<key>"), for keys named by the user; handed to
     * conf_key like its keys, each taking one value (a second line is an
     * error the configuration reports). A prefix ends with '.', and no key
     * of every dataset section, nor another kind's key or prefix, starts
     * with it. NULL: none. Added in ABI 3. */
    const char *const *key_prefixes;
};

struct xc_source {
    const xc_source_ops *ops;
    const xc_binding *binding;
    char where[512];         /* file path or table, for messages */
    uint64_t rows;           /* rows handed out so far */
    uint64_t bytes_in;       /* bytes read from the physical source */
    uint64_t bytes_total;    /* its size when known (progress), else 0 */
    /* What the source physically holds, counted apart from the parser: a
     * file's lines (line ends LF, CRLF or a lone CR in the decoded bytes,
     * and a last line without one), the rows a server sent. Final once next
     * returned XC_DONE; before, a count so far. */
    uint64_t physical_rows;
    /* Of those, the ones that are no row of their own: a file's header,
     * blank lines and the further lines of rows whose quoted fields hold
     * line breaks; 0 for a server. At XC_DONE the connector has checked
     * physical_rows = rows + other_lines (a file: that every line and byte
     * was parsed), else next failed with XC_EINPUT. */
    uint64_t other_lines;
};

/* ---- the registry ------------------------------------------------------- */

/* Whether ops may be registered: XC_OK, or XC_EINTERNAL for another ABI, a
 * missing required callback (or one without its pair: prepare and
 * plan_free, shared_new and shared_free, keys or key_prefixes and
 * conf_key), or a key that is not its own (a key of every dataset section,
 * "kind", another kind's), or a key prefix that does not end with '.' or
 * that a key of every dataset section, "kind", or another kind's key or
 * prefix starts with. */
int xc_source_check(const xc_source_ops *ops);

/* Adds a connector to the built-in ones (connectors/meson.build lists
 * those), before any configuration naming it is loaded; not thread-safe:
 * call it at start-up. ops is borrowed for the life of the program. Returns
 * XC_OK, XC_EXISTS when a connector of that kind is there already,
 * XC_EINTERNAL when xc_source_check() refuses it, XC_ENOMEM. */
int xc_source_register(const xc_source_ops *ops);

/* The connector of a kind, or NULL. */
const xc_source_ops *xc_source_find(const char *kind);

/* The i-th connector (from 0, built-in ones first), NULL past the last. */
const xc_source_ops *xc_source_at(int i);

/* The connector owning configuration key `key` (one of its keys, or a
 * key starting with one of its key_prefixes), or NULL. */
const xc_source_ops *xc_source_key_owner(const char *key);

/* Whether key starts with one of ops's key_prefixes. */
bool xc_source_key_prefixed(const xc_source_ops *ops, const char *key);

/* ---- a run's sources ---------------------------------------------------- */

/* The shared states of one run, one per connector kind used. */
typedef struct xc_source_run {
    const xc_source_env *env;    /* borrowed */
    xc_source_shared **shared;   /* per xc_source_at() index, NULL: unused */
    int n_shared;
} xc_source_run;

/* Checks the source of b (ops->prepare, or, for a connector without one, a
 * plan of one part) and returns its plan, which the caller frees with
 * xc_source_plan_free(). Makes the connector's shared state in run the
 * first time. */
int xc_source_prepare(xc_source_run *run, const xc_binding *b, xc_source_plan **ret,
                      xc_err *err);

/* Whether p must wait for xc_source_decide() before it is opened (its
 * connector plans); else it is read in p->parts == 1 part at once. */
bool xc_source_plans(const xc_source_plan *p);

/* ops->plan, if any. */
int xc_source_decide(xc_source_plan *p, const xc_source_plan_in *in, xc_err *err);

/* What the run record says of p. */
void xc_source_record_of(const xc_source_plan *p, xc_source_record *ret);

/* The sources of a planned dataset (ops->n_sources, else 1), the label of
 * source i (ops->source_label, else the record's where) and the source
 * part k reads (ops->part_source, else 0). */
int xc_source_count(const xc_source_plan *p);
const char *xc_source_label(const xc_source_plan *p, int i);
int xc_source_of_part(const xc_source_plan *p, int part);

/* The first non-empty label of the run's shared states ("" if none). */
const char *xc_source_run_label(const xc_source_run *run);

/* Frees p; NULL does nothing. */
void xc_source_plan_free(xc_source_plan *p);

/* Frees the shared states; the plans made in run must be freed first. */
void xc_source_run_free(xc_source_run *run);

/* ---- reading ------------------------------------------------------------ */

/* Opens the whole source of b without a plan (a file; a connector that
 * plans needs xc_source_open_part() with its plan). */
int xc_source_open(const xc_binding *b, xc_source **ret, xc_err *err);

/* Opens one part of the source of b with the connector of b->source. */
int xc_source_open_part(const xc_binding *b, const xc_source_ctx *ctx, xc_source **ret,
                        xc_err *err);

/* src->ops->next(); src->ops->close(). close accepts NULL. */
int xc_source_next(xc_source *src, xc_raw_row *row, xc_err *err);

/* src->ops->next_batch(), or one row from src->ops->next(). */
int xc_source_next_batch(xc_source *src, xc_raw_row *rows, int max, int *ret_n, xc_err *err);
void xc_source_close(xc_source *src);

#endif
