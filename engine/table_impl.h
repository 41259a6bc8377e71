/*
 * table_impl.h - the inside of xc_table (table.h), shared by its CSV and
 * XLSX readers: a table is built row by row, the first row with a non-empty
 * cell being the header. Internal to the engine.
 */
#ifndef XCHECK_TABLE_IMPL_H
#define XCHECK_TABLE_IMPL_H

#include "xcheck/table.h"
#include "xcheck/text.h"

struct xc_table {
    char path[4096];
    const char *encoding;
    xc_arena arena;             /* every cell's text */
    const char **head;          /* n_cols */
    size_t n_cols;
    const char **cells;         /* n_rows * n_cols */
    long *lines;                /* n_rows */
    size_t n_rows, cap_rows;
    const char **cur;           /* the row being built, cur_n cells */
    size_t cur_n, cur_cap;
    long cur_line;
};

/* A new empty table for path. Returns XC_OK or XC_ENOMEM. */
int xc_table_new(const char *path, const char *encoding, xc_table **ret);

/* Starts a row found at line. */
void xc_table_row_begin(xc_table *t, long line);

/* Sets cell col of the current row to s[0..len) (trimmed, copied).
 * Returns XC_OK or XC_ENOMEM. */
int xc_table_put(xc_table *t, size_t col, const char *s, size_t len);

/* Ends the current row: the header if none yet, else a data row unless
 * every cell under the header is empty. Returns XC_OK or XC_ENOMEM. */
int xc_table_row_end(xc_table *t);

#endif
