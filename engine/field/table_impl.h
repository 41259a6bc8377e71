/*
 * table_impl.h - the inside of xc_table (table.h), shared by its CSV and
 * XLSX readers: a table is built row by row, the first row with a non-empty
 * cell being the header. Internal to the engine.
 */
#ifndef XCHECK_TABLE_IMPL_H
#define XCHECK_TABLE_IMPL_H

#include "table.h"
#include "xcheck/text.h"

struct xc_table {
    char path[4096];
    const char *encoding;
    xc_arena arena;             /* every cell's text */
    size_t text;                /* bytes of text in the cells kept */
    const char **head;          /* n_cols */
    size_t n_cols;
    const char **cells;         /* n_rows * n_cols */
    long *lines;                /* n_rows */
    size_t n_rows, cap_rows;
    const char **cur;           /* the row being built, cur_n cells */
    size_t cur_n, cur_cap;
    size_t cur_text;            /* bytes of text in it */
    long cur_line;
};

/* A new empty table for path. Returns XC_OK or XC_ENOMEM. */
int xc_table_new(const char *path, const char *encoding, xc_table **ret);

/* Starts a row found at line. */
void xc_table_row_begin(xc_table *t, long line);

/* Sets cell col of the current row to s[0..len) (trimmed, copied; a data
 * row's cells past the header are not kept). Returns XC_OK, XC_ENOMEM, or
 * XC_EINPUT with err naming the file and line when the column, the cell or
 * the row's text is past its limit (table.h). */
int xc_table_put(xc_table *t, size_t col, const char *s, size_t len, xc_err *err);

/* The same for a text that is trimmed and checked against
 * XC_TABLE_MAX_CELL already, and lives as long as the table (in its arena):
 * kept, not copied. */
int xc_table_put_kept(xc_table *t, size_t col, const char *s, size_t len, xc_err *err);

/* Ends the current row: the header if none yet, else a data row unless
 * every cell under the header is empty. Returns XC_OK, XC_ENOMEM, or
 * XC_EINPUT past XC_TABLE_MAX_ROWS or XC_TABLE_MAX_CELLS. */
int xc_table_row_end(xc_table *t, xc_err *err);

/* The number of characters of UTF-8 text s[0..len). */
size_t xc_table_chars(const char *s, size_t len);

/* Fails with XC_EINPUT: "\"path\" line N: what" (row N for a workbook),
 * with err's place set and a hint that the file is not a sample. */
int xc_table_refuse(const xc_table *t, long line, xc_err *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
