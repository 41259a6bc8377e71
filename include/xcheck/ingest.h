/*
 * ingest.h - reading one dataset: source, conversion, rejects and counts.
 *
 * Wraps a connector (source.h) and the conversion of record.h. Rows that
 * cannot be converted are written to the dataset's reject file (file, line,
 * field, reason, value) and counted; the caller sees only accepted records
 * and tells, for each, whether it matched the archive. At the end every row
 * read is matched, unmatched or rejected, and xc_ingest_finish() checks it.
 */
#ifndef XCHECK_INGEST_H
#define XCHECK_INGEST_H

#include <stdbool.h>
#include <stdint.h>

#include "xcheck/config.h"
#include "xcheck/error.h"
#include "xcheck/record.h"
#include "xcheck/span.h"
#include "xcheck/plugin/source.h"

typedef struct xc_counts {
    uint64_t read;           /* rows handed out by the source */
    uint64_t matched;        /* accepted and linked to the archive */
    uint64_t unmatched;      /* accepted, not linked to the archive */
    uint64_t rejected;       /* not accepted: see the reject file */
    uint64_t legacy_ids;     /* 15-digit ID numbers upgraded to 18 */
    uint64_t invalid_ids;    /* archive side: kept with an invalid ID number */
    uint64_t unknown_county; /* valid, but the county code is unknown */
    uint64_t physical_rows;  /* what the source physically holds, counted apart
                                from the parser (source.h): a file's lines, the
                                rows a server sent */
    uint64_t other_lines;    /* of those, no row of their own: header, blank
                                lines, further lines of multi-line rows;
                                physical_rows = read + other_lines */
} xc_counts;

/* The commonest reasons rows were rejected for, for messages: rejects are
 * grouped by field and reason with the quoted values taken out. */
#define XC_REASONS 6
typedef struct xc_reason_count {
    int field;                 /* logical field, -1 for the whole row */
    char key[160];             /* the reason without its quoted values */
    char example[200];         /* the first such reason, whole */
    long line;                 /* its line */
    uint64_t n;
} xc_reason_count;

typedef struct xc_reasons {
    xc_reason_count r[XC_REASONS];
    size_t n;
    uint64_t other;            /* rejects of further reasons */
} xc_reasons;

/* Counts n rejects of reason at line (the first seen is kept as example). */
void xc_reasons_add(xc_reasons *t, int field, const char *reason, long line, uint64_t n);

/* Adds the counts of from to into. */
void xc_reasons_merge(xc_reasons *into, const xc_reasons *from);

typedef struct xc_ingest xc_ingest;

/* A dataset's reject file, <dir>/<dataset>.csv, shared by the parts of the
 * dataset read at the same time: it lists the rows of part 0, then of part
 * 1 and so on, each part's in its order, whatever the timing (a part's
 * rows wait in a temporary file of dir without a name until the file is
 * closed). */
typedef struct xc_rejects xc_rejects;

/* Creates the reject file with its header, as a private output file of dir
 * (text.h: xc_output_open(); dir checked by xc_output_dir() first). A
 * rejected ID number is written masked (xc_id_mask_text()) unless full_ids.
 * Returns XC_OK, XC_ECONFIG (dir unsafe), XC_EIO or XC_ENOMEM. The caller
 * ends it with xc_rejects_close() or xc_rejects_discard(). */
int xc_rejects_open(const char *dir, const char *dataset, bool full_ids, xc_rejects **ret,
                    xc_err *err);

/* Publishes the reject file under its name and frees r (NULL does nothing).
 * Returns XC_OK, or XC_EIO when writing failed: then no file is published
 * and the previous one is kept. */
int xc_rejects_close(xc_rejects *r, xc_err *err);

/* Frees r without publishing the file: the previous one is kept (NULL
 * does nothing). */
void xc_rejects_discard(xc_rejects *r);

/* Opens the whole source of b and its own reject file
 * <reject_dir>/<dataset>.csv (reject_dir NULL: rejects are only counted).
 * b is borrowed until xc_ingest_close(). Returns XC_OK, or a negative code
 * (file missing, column missing, reject file not writable...). */
int xc_ingest_open(const xc_binding *b, xc_date as_of, const char *reject_dir,
                   xc_ingest **ret, xc_err *err);

/* Opens part ctx->part of the source of b, writing rejects into `rejects`
 * (borrowed, shared with the other parts; NULL: only counted). */
int xc_ingest_open_part(const xc_binding *b, const xc_source_ctx *ctx, xc_date as_of,
                        xc_rejects *rejects, xc_ingest **ret, xc_err *err);

/* The next accepted record (valid until the next call): XC_OK, XC_DONE at
 * the end, or a negative code when the source failed as a whole. After
 * XC_OK the caller must call xc_ingest_count() once for the record. */
int xc_ingest_next(xc_ingest *in, xc_record *rec, xc_err *err);

/* Decides, for n packed ID numbers (0: the row has none), which concern the
 * archive: ret[i] is XC_UNLINKED for those that do not. */
#define XC_UNLINKED UINT32_MAX
typedef void xc_link_fn(void *user, const uint64_t *keys, size_t n, uint32_t *ret);

struct xc_pseudomap;

/* The dataset's ID column holds keyed pseudonyms of the people of m
 * (borrowed: it must outlive in): xc_ingest_next_linked() matches them,
 * turning each into its number in memory; a pseudonym of no one in m is
 * unmatched, a text that is no pseudonym is rejected. */
void xc_ingest_set_pseudonyms(xc_ingest *in, const struct xc_pseudomap *m);

/* Like xc_ingest_next(), for a dataset linked to the archive by ID number:
 * converts the IDs of a batch of rows first and asks linked() about them at
 * once; a row that does not link is counted as unmatched at once, without
 * converting (or rejecting) its other fields, which no rule would use. A
 * row that links is converted whole and returned; the caller counts it
 * with xc_ingest_count(). */
int xc_ingest_next_linked(xc_ingest *in, xc_record *rec, xc_link_fn *linked, void *user,
                          xc_err *err);

/* Counts the last accepted record as matched or unmatched. */
void xc_ingest_count(xc_ingest *in, bool matched);

/* Rejects the last accepted record after all, for a reason found by the
 * caller (a duplicate key...), writing it to the reject file. */
void xc_ingest_reject(xc_ingest *in, const xc_record *rec, int field, const char *reason);

/* Publishes its own reject file, if any, takes the source's physical counts
 * and checks read = matched + unmatched + rejected and physical_rows = read +
 * other_lines. Returns XC_OK, XC_EIO or XC_EINTERNAL. */
int xc_ingest_finish(xc_ingest *in, xc_err *err);

const xc_counts *xc_ingest_counts(const xc_ingest *in);

/* Whom the rejected rows were about: the ID numbers (packed keys) of those
 * whose ID field could still be read, *ret_n of them ... */
const uint64_t *xc_ingest_rejected_ids(const xc_ingest *in, size_t *ret_n);

/* ... the archive numbers (trimmed, NUL-terminated) of those with an
 * archive_no field that could be read ... */
char *const *xc_ingest_rejected_links(const xc_ingest *in, size_t *ret_n);

/* ... and how many had neither (a row broken as a whole: the wrong number
 * of fields, an unterminated quote). */
uint64_t xc_ingest_unattributed(const xc_ingest *in);

/* What the rows converted so far hold, and why rows were rejected. */
const xc_span *xc_ingest_span(const xc_ingest *in);
const xc_reasons *xc_ingest_reasons(const xc_ingest *in);

/* Where the rows come from (file path or table), for messages. */
const char *xc_ingest_where(const xc_ingest *in);

/* Bytes read so far and in total (0 when unknown), for progress. */
void xc_ingest_progress(const xc_ingest *in, uint64_t *ret_done, uint64_t *ret_total);

/* Rows and source bytes read so far, as last published by the reading
 * thread (once per batch): safe to call from another thread. */
void xc_ingest_seen(const xc_ingest *in, uint64_t *ret_rows, uint64_t *ret_bytes);

/* Frees in; NULL does nothing. Its own reject file, when xc_ingest_finish()
 * did not publish it, is discarded. */
void xc_ingest_close(xc_ingest *in);

#endif
