/* table.c - xc_table: building, access, and the CSV reader. */
#include "table_impl.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- building -------------------------------------------------------------- */

int xc_table_new(const char *path, const char *encoding, xc_table **ret)
{
    xc_table *t = calloc(1, sizeof *t);
    if (!t)
        return XC_ENOMEM;
    snprintf(t->path, sizeof t->path, "%s", path);
    t->encoding = encoding;
    *ret = t;
    return XC_OK;
}

void xc_table_free(xc_table *t)
{
    if (!t)
        return;
    xc_arena_free(&t->arena);
    free(t->head);
    free(t->cells);
    free(t->lines);
    free(t->cur);
    free(t);
}

void xc_table_row_begin(xc_table *t, long line)
{
    t->cur_n = 0;
    t->cur_text = 0;
    t->cur_line = line;
}

size_t xc_table_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

int xc_table_refuse(const xc_table *t, long line, xc_err *err, const char *fmt, ...)
{
    char what[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    bool book = strcmp(t->encoding, "xlsx") == 0;
    if (line > 0)
        xc_err_set(err, XC_EINPUT, "\"%s\" %s %ld: %s", t->path, book ? "row" : "line", line,
                   what);
    else
        xc_err_set(err, XC_EINPUT, "\"%s\": %s", t->path, what);
    xc_err_at(err, t->path, line, NULL);
    xc_err_hint(err, "a filled-in sample stays far below this: is it the sample that "
                "xcheck sample wrote?");
    return XC_EINPUT;
}

/* A cell is a C string: a NUL byte would end it where it stands and drop
 * the rest unseen, so the file is refused instead. */
static int nul_byte(const xc_table *t, size_t col, xc_err *err)
{
    if (strcmp(t->encoding, "xlsx") == 0)
        xc_err_set(err, XC_EINPUT, "\"%s\" row %ld, column %zu: the cell holds a NUL byte",
                   t->path, t->cur_line, col + 1);
    else
        xc_err_set(err, XC_EINPUT, "\"%s\" line %ld, column %zu: the cell holds a NUL byte",
                   t->path, t->cur_line, col + 1);
    xc_err_at(err, t->path, t->cur_line, NULL);
    xc_err_hint(err, "text holds no NUL bytes: a file saved as UTF-16 without its byte-order "
                "mark, or one that is not text, reads so; save it from the spreadsheet as "
                "\"CSV UTF-8\"");
    return XC_EINPUT;
}

/* Sets cell col of the current row to s[0..len), trimmed; copied unless
 * kept. */
static int put(xc_table *t, size_t col, const char *s, size_t len, bool kept, xc_err *err)
{
    if (col >= XC_TABLE_MAX_COLS)
        return xc_table_refuse(t, t->cur_line, err, "more than %d columns", XC_TABLE_MAX_COLS);
    if (len && memchr(s, '\0', len))
        return nul_byte(t, col, err);
    if (!kept)
        s = xc_trim(s, &len);
    if (!len)
        return XC_OK;           /* an empty cell is what a missing one reads as */
    if (!kept && len > XC_TABLE_MAX_CELL && xc_table_chars(s, len) > XC_TABLE_MAX_CELL)
        return xc_table_refuse(t, t->cur_line, err, "column %zu holds more than %d characters",
                               col + 1, XC_TABLE_MAX_CELL);
    if ((t->cur_text += len) > XC_TABLE_MAX_ROW_TEXT)
        return xc_table_refuse(t, t->cur_line, err, "more than %zu MiB of text in one row",
                               XC_TABLE_MAX_ROW_TEXT >> 20);
    if (t->head && col >= t->n_cols)
        return XC_OK;           /* past the header: never read */
    if ((t->text += len) > XC_TABLE_MAX_TEXT)
        return xc_table_refuse(t, t->cur_line, err, "more than %zu MiB of text in the cells "
                               "so far", XC_TABLE_MAX_TEXT >> 20);
    if (col >= t->cur_cap) {
        size_t cap = t->cur_cap ? t->cur_cap * 2 : 32;
        while (cap <= col)
            cap *= 2;
        const char **cur = realloc(t->cur, cap * sizeof *cur);
        if (!cur)
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        t->cur = cur;
        t->cur_cap = cap;
    }
    while (t->cur_n <= col)
        t->cur[t->cur_n++] = "";
    if (!(t->cur[col] = kept ? s : xc_arena_dup(&t->arena, s, len)))
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    return XC_OK;
}

int xc_table_put(xc_table *t, size_t col, const char *s, size_t len, xc_err *err)
{
    return put(t, col, s, len, false, err);
}

int xc_table_put_kept(xc_table *t, size_t col, const char *s, size_t len, xc_err *err)
{
    return put(t, col, s, len, true, err);
}

static bool row_blank(const xc_table *t, size_t n)
{
    for (size_t i = 0; i < n && i < t->cur_n; i++)
        if (t->cur[i][0])
            return false;
    return true;
}

static int set_header(xc_table *t, xc_err *err)
{
    size_t n = t->cur_n;
    while (n > 0 && !t->cur[n - 1][0])
        n--;
    if (!(t->head = malloc(n * sizeof *t->head)))
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    memcpy(t->head, t->cur, n * sizeof *t->head);
    t->n_cols = n;
    return XC_OK;
}

int xc_table_row_end(xc_table *t, xc_err *err)
{
    if (!t->head)
        return row_blank(t, t->cur_n) ? XC_OK : set_header(t, err);
    if (row_blank(t, t->n_cols))
        return XC_OK;
    if (t->n_rows + 1 >= XC_TABLE_MAX_ROWS)
        return xc_table_refuse(t, t->cur_line, err, "more than %d rows", XC_TABLE_MAX_ROWS);
    /* The cells are one block of rows times the header's columns: bounded
     * as a whole, since a wide header would make every short row cost its
     * width. */
    size_t max_rows = XC_TABLE_MAX_CELLS / t->n_cols;
    if (t->n_rows + 1 > max_rows)
        return xc_table_refuse(t, t->cur_line, err, "more than %zu cells (%zu rows of %zu "
                               "columns)", XC_TABLE_MAX_CELLS, max_rows, t->n_cols);
    if (t->n_rows == t->cap_rows) {
        size_t cap = t->cap_rows ? t->cap_rows * 2 : 64;
        if (cap > max_rows)
            cap = max_rows;
        const char **cells = realloc(t->cells, cap * t->n_cols * sizeof *cells);
        if (!cells)
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        t->cells = cells;
        long *lines = realloc(t->lines, cap * sizeof *lines);
        if (!lines)
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        t->lines = lines;
        t->cap_rows = cap;
    }
    const char **row = t->cells + t->n_rows * t->n_cols;
    for (size_t i = 0; i < t->n_cols; i++)
        row[i] = i < t->cur_n ? t->cur[i] : "";
    t->lines[t->n_rows++] = t->cur_line;
    return XC_OK;
}

/* ---- access ---------------------------------------------------------------- */

const char *xc_table_path(const xc_table *t) { return t->path; }
const char *xc_table_encoding(const xc_table *t) { return t->encoding; }
size_t xc_table_cols(const xc_table *t) { return t->n_cols; }
size_t xc_table_rows(const xc_table *t) { return t->n_rows; }
long xc_table_line(const xc_table *t, size_t row) { return t->lines[row]; }

const char *xc_table_head(const xc_table *t, size_t col)
{
    return col < t->n_cols ? t->head[col] : "";
}

int xc_table_col(const xc_table *t, const char *name)
{
    for (size_t i = 0; i < t->n_cols; i++)
        if (strcmp(t->head[i], name) == 0)
            return (int)i;
    return -1;
}

const char *xc_table_cell(const xc_table *t, size_t row, int col)
{
    if (col < 0 || (size_t)col >= t->n_cols || row >= t->n_rows)
        return "";
    return t->cells[row * t->n_cols + (size_t)col];
}

/* ---- dates ----------------------------------------------------------------- */

static const char *digits(const char *s, int max, int *ret)
{
    int v = 0, n = 0;
    while (n < max && s[n] >= '0' && s[n] <= '9')
        v = v * 10 + (s[n++] - '0');
    *ret = v;
    return n ? s + n : NULL;
}

/* Skips one separator of a written date: - / . or 年 月. */
static const char *date_sep(const char *s)
{
    if (*s == '-' || *s == '/' || *s == '.')
        return s + 1;
    if (strncmp(s, "年", 3) == 0 || strncmp(s, "月", 3) == 0)
        return s + 3;
    return NULL;
}

static int written_date(const char *s, xc_date *ret)
{
    int y, m, d;
    const char *p = digits(s, 4, &y);
    if (!p || p - s != 4 || !(p = date_sep(p)) || !(p = digits(p, 2, &m)) ||
        !(p = date_sep(p)) || !(p = digits(p, 2, &d)))
        return -1;
    if (strncmp(p, "日", 3) == 0)
        p += 3;
    if (*p || !xc_date_valid(y, m, d))
        return -1;
    *ret = xc_date_from_ymd(y, m, d);
    return 0;
}

int xc_table_date(const char *s, xc_date *ret)
{
    size_t len = strlen(s);
    if (len == 8 && strspn(s, "0123456789") == 8) {
        int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
        int m = (s[4] - '0') * 10 + (s[5] - '0'), d = (s[6] - '0') * 10 + (s[7] - '0');
        if (!xc_date_valid(y, m, d))
            return -1;
        *ret = xc_date_from_ymd(y, m, d);
        return 0;
    }
    if (len >= 1 && len <= 7 && strspn(s, "0123456789") == len) {
        /* Excel's day number: day 1 is 1900-01-01, and it counts a 29
         * February 1900 that never was, so from day 61 on the days since
         * 1899-12-30 are meant. */
        long n = strtol(s, NULL, 10);
        if (n < 61 || n > 2958465)
            return -1;
        *ret = xc_date_from_ymd(1899, 12, 30) + (xc_date)n;
        return 0;
    }
    return written_date(s, ret);
}

/* ---- reading a file whole ---------------------------------------------------- */

static int too_large(const char *path, xc_err *err)
{
    xc_err_set(err, XC_EINPUT, "\"%s\" is larger than %zu MiB", path, XC_TABLE_MAX_FILE >> 20);
    xc_err_at(err, path, 0, NULL);
    xc_err_hint(err, "a filled-in sample is a few MB: is it the sample that xcheck sample "
                "wrote?");
    return XC_EINPUT;
}

/* Reads the file whole, XC_TABLE_MAX_FILE bytes at most: a file's size
 * read first, a pipe's as it comes. */
static int read_all(const char *path, char **ret, size_t *ret_len, xc_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        xc_err_set(err, XC_EIO, "cannot open \"%s\": %s", path, strerror(errno));
        xc_err_at(err, path, 0, NULL);
        return XC_EIO;
    }
    struct stat st;
    size_t cap = 1 << 16, len = 0;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
        if ((uintmax_t)st.st_size > XC_TABLE_MAX_FILE) {
            fclose(f);
            return too_large(path, err);
        }
        cap = (size_t)st.st_size + 1;   /* + 1: the end is seen without growing */
    }
    char *buf = malloc(cap);
    while (buf) {
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap)
            break;
        if (len > XC_TABLE_MAX_FILE) {
            free(buf);
            fclose(f);
            return too_large(path, err);
        }
        size_t more = cap * 2 > XC_TABLE_MAX_FILE + 1 ? XC_TABLE_MAX_FILE + 1 : cap * 2;
        char *bigger = realloc(buf, more);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap = more;
    }
    bool bad = ferror(f);
    fclose(f);
    if (!buf)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    if (bad) {
        free(buf);
        xc_err_set(err, XC_EIO, "cannot read \"%s\"", path);
        xc_err_at(err, path, 0, NULL);
        return XC_EIO;
    }
    *ret = buf;
    *ret_len = len;
    return XC_OK;
}

/* ---- CSV ------------------------------------------------------------------- */

/* Converts in[0..len) from `from` to UTF-8 into a new buffer. Returns 0, or
 * -1 with *ret_bad = the offset of the first byte that does not convert. */
static int to_utf8(const char *from, const char *in, size_t len, char **ret, size_t *ret_len,
                   size_t *ret_bad)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return *ret_bad = 0, -1;
    size_t cap = len * 2 + 16;
    char *out = malloc(cap);
    char *ip = (char *)in, *op = out;
    size_t il = len, ol = cap;
    int rc = out && iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 ? 0 : -1;
    iconv_close(cd);
    if (rc < 0) {
        *ret_bad = (size_t)(ip - in);
        free(out);
        return -1;
    }
    *ret_len = (size_t)(op - out);
    if (*ret_len >= 3 && memcmp(out, "\xEF\xBB\xBF", 3) == 0) {  /* a byte-order mark */
        *ret_len -= 3;
        memmove(out, out + 3, *ret_len);
    }
    *ret = out;
    return 0;
}

static long line_of(const char *s, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        line += s[i] == '\n';
    return line;
}

/* Decodes the file's bytes into UTF-8 text (without a byte-order mark). */
static int decode(xc_table *t, char *raw, size_t len, char **ret, size_t *ret_len, xc_err *err)
{
    size_t bad = 0;
    if (len >= 2 && (((uint8_t)raw[0] == 0xFF && (uint8_t)raw[1] == 0xFE) ||
                     ((uint8_t)raw[0] == 0xFE && (uint8_t)raw[1] == 0xFF))) {
        t->encoding = "UTF-16";
        if (to_utf8("UTF-16", raw, len, ret, ret_len, &bad) == 0) {
            free(raw);
            return XC_OK;
        }
        xc_err_set(err, XC_EINPUT, "\"%s\" is not valid UTF-16 text", t->path);
        xc_err_detail(err, "at byte %zu", bad);
        xc_err_at(err, t->path, 0, NULL);
        return XC_EINPUT;
    }
    size_t skip = len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (xc_utf8_valid(raw + skip, len - skip)) {
        t->encoding = "UTF-8";
        memmove(raw, raw + skip, len - skip);
        *ret = raw;
        *ret_len = len - skip;
        return XC_OK;
    }
    t->encoding = "GB18030";
    if (!skip && to_utf8("GB18030", raw, len, ret, ret_len, &bad) == 0) {
        free(raw);
        return XC_OK;
    }
    xc_err_set(err, XC_EINPUT, "\"%s\" is neither UTF-8 nor GB18030 text", t->path);
    xc_err_at(err, t->path, line_of(raw, bad), NULL);
    xc_err_hint(err, "save the file from the spreadsheet as \"CSV UTF-8\"");
    return XC_EINPUT;
}

/* The delimiter the first line holds most of (',' when none). */
static char sniff_delimiter(const char *s, size_t len)
{
    size_t n[3] = {0};
    static const char cand[3] = {',', ';', '\t'};
    bool quoted = false;
    for (size_t i = 0; i < len && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
        if (s[i] == '"')
            quoted = !quoted;
        for (int k = 0; k < 3 && !quoted; k++)
            n[k] += s[i] == cand[k];
    }
    int best = 0;
    for (int k = 1; k < 3; k++)
        if (n[k] > n[best])
            best = k;
    return cand[best];
}

typedef struct csv_in {
    const char *s;
    size_t len, pos;
    long line;
    char delim;
    xc_buf field;
} csv_in;

/* A field's bytes past which it surely holds more than XC_TABLE_MAX_CELL
 * characters (four bytes each at most): the field stops growing there. */
#define FIELD_MAX ((size_t)XC_TABLE_MAX_CELL * 4)

/* Reads one field into in->field. Returns 0 at the end of the field with
 * *ret_end set when the record ends too, -1 for an unterminated quote, -2
 * for a field longer than FIELD_MAX (-3 when it is quoted). */
static int csv_field(csv_in *in, bool *ret_end)
{
    in->field.len = 0;
    const char *s = in->s;
    if (in->pos < in->len && s[in->pos] == '"') {
        in->pos++;
        for (;;) {
            if (in->pos >= in->len)
                return -1;
            if (in->field.len > FIELD_MAX)
                return -3;
            if (s[in->pos] == '"') {
                if (in->pos + 1 < in->len && s[in->pos + 1] == '"') {
                    xc_buf_append(&in->field, "\"", 1);
                    in->pos += 2;
                    continue;
                }
                in->pos++;
                break;
            }
            in->line += s[in->pos] == '\n';
            xc_buf_append(&in->field, s + in->pos++, 1);
        }
    }
    size_t start = in->pos;
    while (in->pos < in->len && s[in->pos] != in->delim && s[in->pos] != '\n' &&
           s[in->pos] != '\r')
        in->pos++;
    if (in->field.len + (in->pos - start) > FIELD_MAX)
        return -2;
    xc_buf_append(&in->field, s + start, in->pos - start);
    *ret_end = true;
    if (in->pos >= in->len)
        return 0;
    if (s[in->pos] == in->delim) {
        in->pos++;
        *ret_end = false;
        return 0;
    }
    if (s[in->pos] == '\r')
        in->pos++;
    if (in->pos < in->len && s[in->pos] == '\n')
        in->pos++;
    in->line++;
    return 0;
}

static int csv_parse(xc_table *t, const char *s, size_t len, xc_err *err)
{
    csv_in in = {.s = s, .len = len, .line = 1, .delim = sniff_delimiter(s, len)};
    int rc = XC_OK;
    while (rc >= 0 && in.pos < in.len) {
        long start = in.line;
        xc_table_row_begin(t, start);
        bool end = false;
        for (size_t col = 0; !end && rc >= 0; col++) {
            int got = csv_field(&in, &end);
            if (got == -1) {
                rc = xc_err_set(err, XC_EINPUT, "unterminated quote in \"%s\"", t->path);
                xc_err_at(err, t->path, start, NULL);
            } else if (got < -1) {
                rc = xc_table_refuse(t, start, err, "column %zu holds more than %d characters",
                                     col + 1, XC_TABLE_MAX_CELL);
                if (got == -3)
                    xc_err_detail(err, "a quote opened and never closed takes the rest of the "
                                  "file into one field");
            } else if (in.field.failed)
                rc = xc_err_set(err, XC_ENOMEM, "out of memory");
            else
                rc = xc_table_put(t, col, in.field.p ? in.field.p : "", in.field.len, err);
        }
        if (rc >= 0)
            rc = xc_table_row_end(t, err);
    }
    xc_buf_free(&in.field);
    return rc;
}

static int need_header(const xc_table *t, xc_err *err)
{
    if (t->n_cols)
        return XC_OK;
    xc_err_set(err, XC_EINPUT, "\"%s\" has no header row", t->path);
    xc_err_at(err, t->path, 0, NULL);
    return XC_EINPUT;
}

int xc_table_read_csv(const char *path, xc_table **ret, xc_err *err)
{
    xc_table *t;
    if (xc_table_new(path, "UTF-8", &t) < 0)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    char *raw = NULL, *text = NULL;
    size_t len = 0, text_len = 0;
    int rc = read_all(path, &raw, &len, err);
    if (rc >= 0 && (rc = decode(t, raw, len, &text, &text_len, err)) < 0)
        free(raw);
    if (rc >= 0)
        rc = csv_parse(t, text, text_len, err);
    free(text);
    if (rc >= 0)
        rc = need_header(t, err);
    if (rc < 0) {
        xc_table_free(t);
        return rc;
    }
    *ret = t;
    return XC_OK;
}
