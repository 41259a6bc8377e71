/*
 * source.h - the connector interface: where a dataset's rows come from.
 *
 * A connector (connectors/<kind>.c) fills xc_source_ops. It opens the
 * physical source of one binding (config.h), checks it as a whole (file
 * present, mapped columns present: a failure there stops the run), and then
 * hands out rows as raw text per logical field. Converting that text into
 * typed values is the engine's job (record.h), the same for every kind.
 *
 * Implementations embed xc_source first in their own struct and keep the
 * base's counters up to date.
 */
#ifndef XCHECK_SOURCE_H
#define XCHECK_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "xcheck/config.h"
#include "xcheck/error.h"
#include "xcheck/schema.h"

#define XC_SOURCE_ABI 1

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

/* What a run tells a connector beyond the binding. */
typedef struct xc_source_ctx {
    int part, parts;         /* read part `part` (from 0) of `parts` */
    const void *plan;        /* the connector's own plan for the dataset
                                (postgres: xc_pg_plan), NULL for none;
                                borrowed, must outlive the source */
} xc_source_ctx;

typedef struct xc_source_ops {
    int abi;                 /* XC_SOURCE_ABI */
    const char *kind;        /* "file", ... */
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
    /* Optional: the next rows, up to max of them, all valid until the next
     * call of next or next_batch: XC_OK with *ret_n >= 1, XC_DONE, or a
     * negative code as for next. NULL: rows come from next, one at a time. */
    int (*next_batch)(xc_source *src, xc_raw_row *rows, int max, int *ret_n, xc_err *err);
} xc_source_ops;

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

extern const xc_source_ops xc_file_source_ops;
extern const xc_source_ops xc_postgres_source_ops;

/* Opens the whole source of b with the connector of b->kind (a file; a
 * postgres source needs a plan: use xc_source_open_part()). */
int xc_source_open(const xc_binding *b, xc_source **ret, xc_err *err);

/* Opens one part of the source of b. */
int xc_source_open_part(const xc_binding *b, const xc_source_ctx *ctx, xc_source **ret,
                        xc_err *err);

/* src->ops->next(); src->ops->close(). close accepts NULL. */
int xc_source_next(xc_source *src, xc_raw_row *row, xc_err *err);

/* src->ops->next_batch(), or one row from src->ops->next(). */
int xc_source_next_batch(xc_source *src, xc_raw_row *rows, int max, int *ret_n, xc_err *err);
void xc_source_close(xc_source *src);

#endif
