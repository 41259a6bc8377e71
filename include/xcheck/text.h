/*
 * text.h - small UTF-8 text helpers shared by connectors and the engine.
 */
#ifndef XCHECK_TEXT_H
#define XCHECK_TEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool xc_utf8_valid(const char *s, size_t len);

/* Narrows s[0..*len) in place to drop leading and trailing blanks: ASCII
 * white space, no-break space and the ideographic space U+3000. Returns the
 * new start. */
const char *xc_trim(const char *s, size_t *len);

struct xc_err;

struct xc_buf;

/* Writes s[0..len) into out as CSV field text: quoted when it holds the
 * delimiter ',', a quote or a line break, quotes doubled; a text that a
 * spreadsheet would run as a formula (= + - @ first, tab or carriage
 * return first; not a plain number like -500.00) gets a leading ' so it
 * stays inert text. Returns the bytes written (without NUL), or the size
 * needed when it exceeds outsz. */
size_t xc_csv_quote(const char *s, size_t len, char *out, size_t outsz);

/* Appends s[0..len) to b as one CSV field, as xc_csv_quote() writes it;
 * with mask, every run that could be an ID number is masked first
 * (xc_mask_ids()). */
void xc_csv_field(struct xc_buf *b, const char *s, size_t len, bool mask);

/* Appends s (NULL: empty) to b as one masked CSV field, then ',' or, for
 * the last field of a row, '\n': the cell of a file for people. */
void xc_csv_cell(struct xc_buf *b, const char *s, bool last);

/* Writes s to f as xc_csv_cell() does. */
void xc_csv_put(FILE *f, const char *s, bool last);

/* Opens dir/name for writing, its path into path; NULL with err naming the
 * path when it cannot. */
FILE *xc_open_output(const char *dir, const char *name, char *path, size_t pathsz,
                     struct xc_err *err);

/* Closes f, an output file at path; XC_OK, or XC_EIO with err naming the
 * path when a write or the close failed. */
int xc_close_output(FILE *f, const char *path, struct xc_err *err);

/* A string arena: copies of short texts that live as long as the arena,
 * in 64 KiB blocks. */
typedef struct xc_arena {
    struct xc_arena_block *head;
    size_t bytes;                 /* held, for the memory report */
} xc_arena;

/* Copies s[0..len) and a NUL into the arena. Returns the copy (owned by the
 * arena), or NULL when out of memory. */
char *xc_arena_dup(xc_arena *a, const char *s, size_t len);

/* Moves every block of `from` into `into` (texts keep their addresses). */
void xc_arena_move(xc_arena *into, xc_arena *from);

/* Frees every text; the arena is left empty. */
void xc_arena_free(xc_arena *a);

/* A growing string for building JSON and messages. A failed allocation is
 * remembered and makes xc_buf_take() return NULL. */
typedef struct xc_buf {
    char *p;
    size_t len, cap;
    bool failed;
} xc_buf;

void xc_buf_printf(xc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void xc_buf_vprintf(xc_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Appends s[0..n) as it is (NUL bytes included). */
void xc_buf_append(xc_buf *b, const char *s, size_t n);

/* Appends s as a JSON string (quoted and escaped); NULL appends null. */
void xc_buf_json(xc_buf *b, const char *s);

/* The text (malloc'ed, caller frees), or NULL when an append failed; the
 * buffer is left empty either way. */
char *xc_buf_take(xc_buf *b);

/* Frees the text; the buffer is left empty. */
void xc_buf_free(xc_buf *b);

#endif
