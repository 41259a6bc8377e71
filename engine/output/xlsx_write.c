/* xlsx_write.c - shared helpers for the workbooks xcheck writes. */
#include "xlsx_write.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/idno.h"
#include "xcheck/text.h"

/* Excel holds at most 32767 characters in a cell; libxlsxwriter counts
 * bytes. */
#define CELL_MAX 32767

static void note(xc_xw *x, lxw_error e)
{
    if (e != LXW_NO_ERROR && x->failed == LXW_NO_ERROR)
        x->failed = e;
}

static lxw_format *format(xc_xw *x)
{
    lxw_format *f = workbook_add_format(x->wb);
    if (!f)
        note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    return f;
}

static void make_formats(xc_xw *x)
{
    if ((x->head = format(x))) {
        format_set_bold(x->head);
        format_set_bg_color(x->head, 0xDDEBF7);
        format_set_pattern(x->head, LXW_PATTERN_SOLID);
        format_set_border(x->head, LXW_BORDER_THIN);
        format_set_text_wrap(x->head);
        format_set_align(x->head, LXW_ALIGN_VERTICAL_CENTER);
    }
    if ((x->title = format(x))) {
        format_set_bold(x->title);
        format_set_font_size(x->title, 14);
    }
    if ((x->key = format(x)))
        format_set_bold(x->key);
    if ((x->date = format(x)))
        format_set_num_format(x->date, "yyyy-mm-dd");
    if ((x->pct = format(x)))
        format_set_num_format(x->pct, "0.00%");
    if ((x->wrap = format(x))) {
        format_set_text_wrap(x->wrap);
        format_set_align(x->wrap, LXW_ALIGN_VERTICAL_TOP);
    }
}

int xc_xw_open(xc_xw *x, const char *dir, const char *name, xc_date created,
               const char *title, bool rows_in_order, xc_err *err)
{
    memset(x, 0, sizeof *x);
    int rc = xc_output_open(&x->out, dir, name, err);
    if (rc < 0)
        return rc;
    /* libxlsxwriter opens the file by name (fopen "wb"): it truncates the
     * temporary file we created, in a directory only we can change. Its own
     * temporary files would go to /tmp; they go beside ours instead. */
    snprintf(x->tmpdir, sizeof x->tmpdir, "%s", dir);
    lxw_workbook_options opts = {.tmpdir = x->tmpdir,
                                 .constant_memory = rows_in_order ? LXW_TRUE : LXW_FALSE};
    x->wb = workbook_new_opt(x->out.tmp, &opts);
    if (!x->wb) {
        xc_err_set(err, XC_EIO, "cannot write \"%s\"", x->out.path);
        xc_err_at(err, x->out.path, 0, NULL);
        xc_output_abort(&x->out);
        return XC_EIO;
    }
    static char author[] = "xcheck";
    char title_buf[256];
    snprintf(title_buf, sizeof title_buf, "%s", title);
    lxw_doc_properties props = {
        .title = title_buf,
        .author = author,
        .created = (time_t)created * 86400,     /* that day, 00:00 UTC */
    };
    note(x, workbook_set_properties(x->wb, &props));
    make_formats(x);
    return XC_OK;
}

/* Page numbers in the footer, for a printed list's pages to be told
 * apart and kept together. */
static char footer[] = "&C第 &P 页 共 &N 页";

lxw_worksheet *xc_xw_sheet(xc_xw *x, const char *name)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (!ws) {
        note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return NULL;
    }
    /* Printed for a caseworker or an audit file: A4 landscape, every
     * column on the page's width (as many pages down as it takes), the
     * sheet's name on top and the page numbers below. */
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);                  /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
    note(x, worksheet_set_header(ws, "&C&A"));
    note(x, worksheet_set_footer(ws, footer));
    return ws;
}

void xc_xw_header(xc_xw *x, lxw_worksheet *ws, uint32_t row, const xc_xw_col *cols, int n)
{
    if (!ws)
        return;
    for (int i = 0; i < n; i++) {
        note(x, worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, cols[i].width, NULL));
        xc_xw_str(x, ws, row, (uint16_t)i, cols[i].head, x->head);
    }
    worksheet_freeze_panes(ws, row + 1, 0);
    note(x, worksheet_repeat_rows(ws, row, row));   /* on every printed page */
}

void xc_xw_filter(xc_xw *x, lxw_worksheet *ws, uint32_t head_row, uint32_t last_row, int n)
{
    if (ws && n > 0)
        note(x, worksheet_autofilter(ws, head_row, 0, last_row, (lxw_col_t)(n - 1)));
}

/* The length of s cut to at most max bytes, at a character boundary. */
static size_t cut_utf8(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

void xc_xw_str(xc_xw *x, lxw_worksheet *ws, uint32_t row, uint16_t col, const char *s,
               lxw_format *f)
{
    if (!ws || !s || !*s) {
        if (ws && f)
            note(x, worksheet_write_blank(ws, row, col, f));
        return;
    }
    /* Every text of a workbook is for people: a number typed into a name
     * or a note is masked like the ID columns. */
    size_t len = strlen(s);
    xc_buf masked = {0};
    if (!(s = xc_masked(s, &len, false, &masked))) {
        note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        xc_buf_free(&masked);
        return;
    }
    size_t keep = cut_utf8(s, len, CELL_MAX - 4);
    if (keep == len) {
        note(x, worksheet_write_string(ws, row, col, s, f));
        xc_buf_free(&masked);
        return;
    }
    char *copy = malloc(keep + 4);
    if (!copy) {
        note(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        xc_buf_free(&masked);
        return;
    }
    memcpy(copy, s, keep);
    memcpy(copy + keep, "\xE2\x80\xA6", 4);          /* "…" and the NUL */
    note(x, worksheet_write_string(ws, row, col, copy, f));
    free(copy);
    xc_buf_free(&masked);
}

void xc_xw_num(xc_xw *x, lxw_worksheet *ws, uint32_t row, uint16_t col, double v,
               lxw_format *f)
{
    if (ws)
        note(x, worksheet_write_number(ws, row, col, v, f));
}

void xc_xw_date(xc_xw *x, lxw_worksheet *ws, uint32_t row, uint16_t col, xc_date d)
{
    if (!ws || d == INT32_MIN)
        return;
    int y, m, day;
    xc_date_to_ymd(d, &y, &m, &day);
    if (y < 1900) {           /* before Excel's calendar: as text */
        char buf[11];
        xc_xw_str(x, ws, row, col, xc_date_format(d, buf), NULL);
        return;
    }
    lxw_datetime dt = {.year = y, .month = m, .day = day};
    note(x, worksheet_write_datetime(ws, row, col, &dt, x->date));
}

void xc_xw_list(xc_xw *x, lxw_worksheet *ws, uint32_t first, uint32_t last, uint16_t col,
                const char *const *values, const char *title, const char *message)
{
    if (!ws || last < first)
        return;
    char title_buf[128], msg_buf[1024];
    snprintf(title_buf, sizeof title_buf, "%s", title);
    snprintf(msg_buf, sizeof msg_buf, "%s", message);
    lxw_data_validation dv = {
        .validate = LXW_VALIDATION_TYPE_LIST,
        .value_list = (char **)values,      /* read only by libxlsxwriter */
        .input_title = title_buf,
        .input_message = msg_buf,
    };
    note(x, worksheet_data_validation_range(ws, first, col, last, col, &dv));
}

void xc_xw_abort(xc_xw *x)
{
    workbook_close(x->wb);
    x->wb = NULL;
    xc_output_abort(&x->out);
}

int xc_xw_close(xc_xw *x, xc_err *err)
{
    int rc = xc_xw_finish(x, err);
    return rc < 0 ? rc : xc_output_commit(&x->out, err);
}

int xc_xw_finish(xc_xw *x, xc_err *err)
{
    errno = 0;
    lxw_error e = workbook_close(x->wb);
    int sys = errno;             /* what the failed write of the zip met */
    x->wb = NULL;
    if (x->failed != LXW_NO_ERROR)
        e = x->failed;
    if (e == LXW_NO_ERROR)
        return xc_output_finish(&x->out, err);
    xc_output_abort(&x->out);
    /* libxlsxwriter reports a failed write as a zip error only: a full
     * disk or the size limit is told by the errno it leaves. */
    if (sys == ENOSPC || sys == EFBIG
#ifdef EDQUOT
        || sys == EDQUOT
#endif
       )
        return xc_output_write_error(err, x->out.path, sys);
    int code = e == LXW_ERROR_MEMORY_MALLOC_FAILED ? XC_ENOMEM : XC_EIO;
    xc_err_set(err, code, "cannot write \"%s\": %s", x->out.path, lxw_strerror(e));
    xc_err_at(err, x->out.path, 0, NULL);
    return code;
}
