/*
 * xlsx_write.h - the little that report.xlsx and sample.xlsx share on top
 * of libxlsxwriter: one set of formats, tables with a frozen, filtered
 * header row, text and date cells, and reproducible document properties.
 * Internal to the engine.
 */
#ifndef XCHECK_XLSX_WRITE_H
#define XCHECK_XLSX_WRITE_H

#include <stdint.h>
#include <xlsxwriter.h>

#include "xcheck/date.h"
#include "xcheck/error.h"
#include "xcheck/text.h"

typedef struct xc_xw {
    lxw_workbook *wb;
    lxw_format *head;       /* bold on a filled background, bordered */
    lxw_format *title;      /* bold, larger */
    lxw_format *key;        /* bold: labels of key-value cells */
    lxw_format *date;       /* yyyy-mm-dd */
    lxw_format *pct;        /* 0.00% */
    lxw_format *wrap;       /* wrapped text, aligned to the top */
    lxw_error failed;       /* the first failed cell write, LXW_NO_ERROR if none */
    xc_output out;          /* the file, written by libxlsxwriter by out.tmp */
    char tmpdir[4096];      /* libxlsxwriter's own temporary files: the output
                             * directory, checked private */
} xc_xw;

/* One column of a table: header text and width in Excel's units (a Chinese
 * character takes about 2). */
typedef struct xc_xw_col {
    const char *head;
    double width;
} xc_xw_col;

/* Starts dir/name as a workbook whose properties do not depend on when it
 * is written: created (and modified) = `created` at 00:00 UTC, the given
 * title, author "xcheck". It is a private output file (text.h): requires
 * dir accepted by xc_output_dir(..., XC_OUTDIR_PRIVATE); libxlsxwriter
 * writes the temporary file by its name, which no one else can replace in
 * such a directory, and keeps its own temporary files there (created 0600
 * with O_EXCL and removed at once). With `rows_in_order`, every sheet's
 * rows must be written in order (a row is written out and freed when the
 * next one starts: the memory does not grow with the rows) and its texts
 * are stored in the cells, not as shared strings. Returns XC_OK, XC_ECONFIG
 * (dir unsafe) or XC_EIO; after XC_OK the caller must call xc_xw_close(). */
int xc_xw_open(xc_xw *x, const char *dir, const char *name, xc_date created,
               const char *title, bool rows_in_order, xc_err *err);

/* Adds a worksheet (name: at most 31 characters, none of []:*?/\), set to
 * print on A4 landscape, fit to the page's width, with its name in the
 * page header and "第 &P 页 共 &N 页" in the footer. */
lxw_worksheet *xc_xw_sheet(xc_xw *x, const char *name);

/* Writes the header of a table at `row`, sets the column widths,
 * freezes the rows up to and including the header and repeats the header
 * row on every printed page. */
void xc_xw_header(xc_xw *x, lxw_worksheet *ws, uint32_t row, const xc_xw_col *cols, int n);

/* Puts an autofilter over a table from its header row to last_row. */
void xc_xw_filter(xc_xw *x, lxw_worksheet *ws, uint32_t head_row, uint32_t last_row, int n);

/* Cell writers; a failure is remembered in x->failed and reported by
 * xc_xw_close(). Text is always stored as a string; NULL or "" leaves the
 * cell empty; text longer than a cell holds is cut at a character. */
void xc_xw_str(xc_xw *x, lxw_worksheet *ws, uint32_t row, uint16_t col, const char *s,
               lxw_format *f);
void xc_xw_num(xc_xw *x, lxw_worksheet *ws, uint32_t row, uint16_t col, double v,
               lxw_format *f);
void xc_xw_date(xc_xw *x, lxw_worksheet *ws, uint32_t row, uint16_t col, xc_date d);

/* A drop-down of the allowed texts (NULL-ended) on rows first..last of col,
 * with an input message. */
void xc_xw_list(xc_xw *x, lxw_worksheet *ws, uint32_t first, uint32_t last, uint16_t col,
                const char *const *values, const char *title, const char *message);

/* Writes the file and renames it to dir/name. Returns XC_OK, or XC_EIO
 * (XC_ENOMEM) naming the file and the first failure: then nothing is left
 * of it and the previous dir/name is untouched. */
int xc_xw_close(xc_xw *x, xc_err *err);

/* Ends the workbook without keeping anything of it: the previous dir/name
 * is untouched. */
void xc_xw_abort(xc_xw *x);

/* As xc_xw_close(), but the file is not renamed yet: after XC_OK, x->out
 * is finished (xc_output_finish()) and the caller ends it with
 * xc_output_commit() or xc_output_abort(). */
int xc_xw_finish(xc_xw *x, xc_err *err);

#endif
