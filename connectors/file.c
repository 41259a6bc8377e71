/*
 * file.c - the `file` connector: CSV, plain or gzip, UTF-8 or GB18030.
 *
 * Reads through zlib's gz* interface (which passes plain files through), in
 * fixed-size chunks, so memory stays bounded whatever the file size: one
 * input chunk, one decoded chunk and the current row. GB18030 is decoded to
 * UTF-8 with iconv before parsing, because its second bytes can collide with
 * ASCII delimiters such as '|'. Bytes that do not decode become 0xFF, which
 * the UTF-8 check of each field then reports as a row-level problem.
 *
 * CSV follows RFC 4180: quoted fields may hold delimiters, doubled quotes
 * and line breaks; rows end with LF, CRLF or CR; a UTF-8 byte-order mark is
 * skipped; blank lines are not rows.
 */
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zlib.h>

#include "xcheck/source.h"
#include "xcheck/text.h"

enum {
    CHUNK = 1 << 18,
    MAX_ROW = 8 << 20,     /* a longer row means a broken file */
    MAX_COLUMNS = 4096
};

typedef struct file_source {
    xc_source base;
    gzFile gz;
    iconv_t cd;            /* (iconv_t)-1 when the file is UTF-8 */
    char *in;              /* undecoded bytes (GB18030 only) */
    size_t in_len;
    char *buf;             /* bytes to parse */
    size_t buf_len, buf_pos;
    bool eof;
    bool skip_lf;          /* the last row ended with CR: skip a following LF */
    long line;             /* physical line the parser is on, 1-based */
    char *row;             /* the current row's field bytes */
    size_t row_len, row_cap;
    size_t *start, *len;   /* per physical field: offset and length in row */
    int n_fields, cap_fields;
    int expected;          /* fields per row */
    bool pending;          /* header = false: the first row is parsed, unread */
    long pending_line;
    int col_of[XC_MAX_FIELDS];   /* physical column of each logical field */
    char problem[256];
    bool plain_end[256];   /* bytes that end a run in an unquoted field */
    bool quoted_end[256];  /* ... and in a quoted one */
} file_source;

static int set_io_error(file_source *fs, xc_err *err, const char *what)
{
    int errnum = 0;
    const char *msg = gzerror(fs->gz, &errnum);
    if (errnum == Z_ERRNO)
        msg = strerror(errno);
    xc_err_set(err, XC_EIO, "file \"%s\": %s: %s", fs->base.where, what, msg);
    xc_err_at(err, fs->base.where, fs->line, NULL);
    if (errnum == Z_BUF_ERROR || errnum == Z_DATA_ERROR)
        xc_err_hint(err, "the gzip file is truncated or corrupt; export it again");
    return XC_EIO;
}

/* Decodes fs->in into fs->buf; keeps an incomplete trailing sequence. */
static void decode(file_source *fs)
{
    char *ip = fs->in, *op = fs->buf;
    size_t il = fs->in_len, ol = CHUNK * 4;
    while (il > 0) {
        if (iconv(fs->cd, &ip, &il, &op, &ol) != (size_t)-1)
            break;
        if (errno == EILSEQ || (errno == EINVAL && fs->eof)) {
            *op++ = (char)0xFF;    /* not UTF-8: flagged by the field check */
            ol--;
            ip++, il--;
        } else {
            break;                 /* EINVAL: wait for more bytes; E2BIG: cannot
                                      happen, the output has room for 4x */
        }
    }
    fs->buf_len = (size_t)(op - fs->buf);
    memmove(fs->in, ip, il);
    fs->in_len = il;
}

/* Refills fs->buf. Returns XC_OK (buf_len may be 0 only at the end). */
static int fill(file_source *fs, xc_err *err)
{
    fs->buf_pos = 0;
    fs->buf_len = 0;
    while (fs->buf_len == 0 && !fs->eof) {
        char *dst = fs->cd == (iconv_t)-1 ? fs->buf : fs->in + fs->in_len;
        unsigned want = fs->cd == (iconv_t)-1 ? CHUNK : (unsigned)(CHUNK - fs->in_len);
        int n = gzread(fs->gz, dst, want);
        if (n < 0)
            return set_io_error(fs, err, "read failed");
        if (n == 0) {
            int errnum = 0;
            gzerror(fs->gz, &errnum);
            if (errnum != Z_OK)
                return set_io_error(fs, err, "read failed");
            fs->eof = true;
        }
        fs->base.bytes_in = (uint64_t)gzoffset(fs->gz);
        if (fs->cd == (iconv_t)-1) {
            fs->buf_len = (size_t)n;
        } else {
            fs->in_len += (size_t)n;
            decode(fs);
        }
    }
    return XC_OK;
}

static int row_push(file_source *fs, char c)
{
    if (fs->row_len == fs->row_cap) {
        if (fs->row_cap >= MAX_ROW)
            return -1;
        size_t cap = fs->row_cap * 2;
        char *r = realloc(fs->row, cap);
        if (!r)
            return -1;
        fs->row = r;
        fs->row_cap = cap;
    }
    fs->row[fs->row_len++] = c;
    return 0;
}

/* Appends n bytes at once (the run of ordinary bytes after one). */
static int row_append(file_source *fs, const char *p, size_t n)
{
    if (fs->row_len + n > fs->row_cap) {
        size_t cap = fs->row_cap;
        while (cap < fs->row_len + n)
            cap *= 2;
        if (cap > MAX_ROW)
            return -1;
        char *r = realloc(fs->row, cap);
        if (!r)
            return -1;
        fs->row = r;
        fs->row_cap = cap;
    }
    memcpy(fs->row + fs->row_len, p, n);
    fs->row_len += n;
    return 0;
}

/* The number of bytes from the read position up to the next one in `end`. */
static size_t run_until(const file_source *fs, const bool end[256])
{
    const unsigned char *p = (const unsigned char *)fs->buf + fs->buf_pos;
    const unsigned char *stop = (const unsigned char *)fs->buf + fs->buf_len;
    const unsigned char *q = p;
    while (q < stop && !end[*q])
        q++;
    return (size_t)(q - p);
}

static int field_begin(file_source *fs)
{
    if (fs->n_fields == fs->cap_fields) {
        if (fs->cap_fields >= MAX_COLUMNS)
            return -1;
        int cap = fs->cap_fields * 2;
        size_t *s = realloc(fs->start, (size_t)cap * sizeof *s);
        if (!s)
            return -1;
        fs->start = s;
        size_t *l = realloc(fs->len, (size_t)cap * sizeof *l);
        if (!l)
            return -1;
        fs->len = l;
        fs->cap_fields = cap;
    }
    fs->start[fs->n_fields] = fs->row_len;
    fs->len[fs->n_fields] = 0;
    fs->n_fields++;
    return 0;
}

static void field_end(file_source *fs)
{
    int f = fs->n_fields - 1;
    fs->len[f] = fs->row_len - fs->start[f];
}

/* Parses one physical row into fs->row / start / len. Returns XC_OK,
 * XC_DONE at the end of the file, or a negative code. Blank lines are
 * skipped. *ret_line is the line the row starts on. */
static int parse_row(file_source *fs, long *ret_line, xc_err *err)
{
    enum { START, UNQUOTED, QUOTED, QUOTE_SEEN } st;
    const char delim = fs->base.binding->delimiter;
    const char quote = fs->base.binding->quote;
    long quote_line = 0;
    bool after_quote = false;   /* text followed a closing quote */
restart:
    fs->row_len = 0;
    fs->n_fields = 0;
    fs->problem[0] = '\0';
    st = START;
    *ret_line = fs->line;
    if (field_begin(fs) < 0)
        goto too_long;
    for (;;) {
        if (fs->buf_pos == fs->buf_len) {
            int rc = fill(fs, err);
            if (rc < 0)
                return rc;
            if (fs->buf_len == 0)
                break;     /* end of file */
        }
        char c = fs->buf[fs->buf_pos++];
        if (fs->skip_lf) {
            fs->skip_lf = false;
            if (c == '\n')
                continue;
        }
        switch (st) {
        case START:
            if (quote && c == quote) {
                st = QUOTED;
                quote_line = fs->line;
                continue;
            }
            st = UNQUOTED;
            /* fall through */
        case UNQUOTED:
            if (c == delim) {
                field_end(fs);
                if (field_begin(fs) < 0)
                    goto too_long;
                st = START;
            } else if (c == '\n' || c == '\r') {
                fs->line++;
                fs->skip_lf = c == '\r';
                field_end(fs);
                if (fs->n_fields == 1 && fs->len[0] == 0)
                    goto restart;     /* a blank line */
                return XC_OK;
            } else {
                /* this byte and the ordinary ones after it, at once */
                size_t n = run_until(fs, fs->plain_end);
                if (row_append(fs, fs->buf + fs->buf_pos - 1, n + 1) < 0)
                    goto too_long;
                fs->buf_pos += n;
            }
            continue;
        case QUOTED:
            if (c == quote) {
                st = QUOTE_SEEN;
            } else {
                if (c == '\n')
                    fs->line++;
                size_t n = run_until(fs, fs->quoted_end);
                if (row_append(fs, fs->buf + fs->buf_pos - 1, n + 1) < 0)
                    goto too_long;
                fs->buf_pos += n;
            }
            continue;
        case QUOTE_SEEN:
            if (c == quote) {
                st = QUOTED;
                if (row_push(fs, c) < 0)
                    goto too_long;
            } else if (c == delim || c == '\n' || c == '\r') {
                st = UNQUOTED;
                fs->buf_pos--;          /* handle it as after a plain field */
            } else {
                if (!after_quote)
                    snprintf(fs->problem, sizeof fs->problem,
                             "text after the closing quote of column %d", fs->n_fields);
                after_quote = true;
                st = UNQUOTED;
                if (row_push(fs, c) < 0)
                    goto too_long;
            }
            continue;
        }
    }
    /* End of file. */
    if (st == QUOTED) {
        snprintf(fs->problem, sizeof fs->problem,
                 "quoted field opened on line %ld is never closed", quote_line);
        field_end(fs);
        return XC_OK;
    }
    field_end(fs);
    if (fs->n_fields == 1 && fs->len[0] == 0 && st == START)
        return XC_DONE;
    fs->line++;
    return XC_OK;
too_long:
    xc_err_set(err, XC_EINPUT, "file \"%s\": row starting on line %ld is longer than %d MiB "
               "or has more than %d columns", fs->base.where, *ret_line, MAX_ROW >> 20,
               MAX_COLUMNS);
    xc_err_at(err, fs->base.where, *ret_line, NULL);
    xc_err_hint(err, "check the delimiter and quote settings; an unbalanced quote "
                "makes the rest of the file one field");
    return XC_EINPUT;
}

static bool same_name(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    return alen == blen && strncasecmp(a, b, alen) == 0;
}

static int read_header(file_source *fs, xc_err *err)
{
    const xc_binding *b = fs->base.binding;
    long line;
    /* Skip a UTF-8 byte-order mark (decoded GB18030 can start with one too). */
    int rc = fill(fs, err);
    if (rc < 0)
        return rc;
    if (fs->buf_len >= 3 && memcmp(fs->buf, "\xEF\xBB\xBF", 3) == 0)
        fs->buf_pos = 3;
    rc = parse_row(fs, &line, err);
    if (rc < 0)
        return rc;
    if (rc == XC_DONE) {
        xc_err_set(err, XC_EINPUT, "file \"%s\" is empty: no %s", fs->base.where,
                   b->header ? "header row" : "rows");
        xc_err_at(err, fs->base.where, 1, NULL);
        return XC_EINPUT;
    }
    fs->expected = fs->n_fields;
    if (!b->header) {
        fs->pending = true;    /* the first row is data */
        fs->pending_line = line;
        return XC_OK;
    }
    for (int f = 0; f < b->ds->n_fields; f++) {
        const char *want = b->field[f].column;
        if (!want)
            continue;
        for (int c = 0; c < fs->n_fields; c++) {
            size_t n = fs->len[c];
            const char *name = xc_trim(fs->row + fs->start[c], &n);
            if (!same_name(name, n, want))
                continue;
            if (fs->col_of[f] >= 0) {
                xc_err_set(err, XC_EINPUT, "file \"%s\": column \"%s\" appears twice in the "
                           "header (columns %d and %d)", fs->base.where, want,
                           fs->col_of[f] + 1, c + 1);
                xc_err_at(err, fs->base.where, line, b->ds->fields[f].name);
                return XC_EINPUT;
            }
            fs->col_of[f] = c;
        }
        if (fs->col_of[f] < 0) {
            char cols[400] = "";
            for (int c = 0; c < fs->n_fields && strlen(cols) < 300; c++) {
                size_t n = fs->len[c];
                const char *name = xc_trim(fs->row + fs->start[c], &n);
                snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "%s%.*s",
                         c ? ", " : "", (int)(n < 40 ? n : 40), name);
            }
            xc_err_set(err, XC_EINPUT, "file \"%s\": column \"%s\" (field %s.%s) is not in "
                       "the header", fs->base.where, want, b->ds->name, b->ds->fields[f].name);
            xc_err_detail(err, "The header has: %s", cols);
            xc_err_hint(err, "fix field.%s in the [%s] section of the configuration "
                        "(line %d), or the delimiter", b->ds->fields[f].name, b->ds->name,
                        b->field[f].line);
            xc_err_at(err, fs->base.where, line, b->ds->fields[f].name);
            return XC_EINPUT;
        }
    }
    return XC_OK;
}

static int file_next(xc_source *src, xc_raw_row *row, xc_err *err)
{
    file_source *fs = (file_source *)src;
    const xc_binding *b = src->binding;
    int rc;
    if (fs->pending) {          /* header = false: the row read at open */
        fs->pending = false;
        row->line = fs->pending_line;
        rc = XC_OK;
    } else {
        rc = parse_row(fs, &row->line, err);
    }
    if (rc != XC_OK)
        return rc;
    src->rows++;
    row->format = NULL;
    row->problem = NULL;
    row->problem_field = -1;
    memset(row->f, 0, sizeof row->f);
    if (fs->problem[0]) {
        row->problem = fs->problem;
        return XC_OK;
    }
    if (fs->n_fields != fs->expected) {
        snprintf(fs->problem, sizeof fs->problem, "%d fields where the %s has %d",
                 fs->n_fields, b->header ? "header" : "first row", fs->expected);
        row->problem = fs->problem;
        return XC_OK;
    }
    for (int f = 0; f < b->ds->n_fields; f++) {
        int c = fs->col_of[f];
        if (c < 0)
            continue;
        if (c >= fs->n_fields) {
            snprintf(fs->problem, sizeof fs->problem, "no column %d in this row", c + 1);
            row->problem = fs->problem;
            row->problem_field = f;
            return XC_OK;
        }
        /* text is checked as UTF-8 when the field is converted */
        row->f[f].p = fs->row + fs->start[c];
        row->f[f].len = fs->len[c];
    }
    return XC_OK;
}

static void file_close(xc_source *src)
{
    file_source *fs = (file_source *)src;
    if (!fs)
        return;
    if (fs->gz)
        gzclose_r(fs->gz);
    if (fs->cd != (iconv_t)-1)
        iconv_close(fs->cd);
    free(fs->in);
    free(fs->buf);
    free(fs->row);
    free(fs->start);
    free(fs->len);
    free(fs);
}

static int file_open(const xc_binding *b, const xc_source_ctx *ctx, xc_source **ret,
                     xc_err *err)
{
    (void)ctx;                 /* a file is read whole, in one part */
    file_source *fs = calloc(1, sizeof *fs);
    if (!fs)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    fs->base.ops = &xc_file_source_ops;
    fs->base.binding = b;
    fs->plain_end[(unsigned char)b->delimiter] = true;
    fs->plain_end['\n'] = fs->plain_end['\r'] = true;
    fs->quoted_end['\n'] = true;
    if (b->quote)
        fs->quoted_end[(unsigned char)b->quote] = true;
    fs->cd = (iconv_t)-1;
    fs->line = 1;
    snprintf(fs->base.where, sizeof fs->base.where, "%s", b->path);
    for (int f = 0; f < XC_MAX_FIELDS; f++)
        fs->col_of[f] = !b->header && b->field[f].column ? b->field[f].column_no - 1 : -1;
    int rc = XC_ENOMEM;
    fs->row_cap = 4096;
    fs->cap_fields = 32;
    fs->row = malloc(fs->row_cap);
    fs->start = malloc((size_t)fs->cap_fields * sizeof *fs->start);
    fs->len = malloc((size_t)fs->cap_fields * sizeof *fs->len);
    fs->buf = malloc(b->encoding == XC_ENC_UTF8 ? CHUNK : CHUNK * 4);
    if (!fs->row || !fs->start || !fs->len || !fs->buf)
        goto fail;
    if (b->encoding == XC_ENC_GB18030) {
        fs->in = malloc(CHUNK);
        if (!fs->in)
            goto fail;
        fs->cd = iconv_open("UTF-8", "GB18030");
        if (fs->cd == (iconv_t)-1) {
            rc = xc_err_set(err, XC_EIO, "file \"%s\": this system cannot decode GB18030: %s",
                            b->path, strerror(errno));
            goto fail;
        }
    }
    struct stat st;
    if (stat(b->path, &st) == 0 && S_ISDIR(st.st_mode)) {
        rc = xc_err_set(err, XC_EIO, "file \"%s\" (dataset %s) is a directory", b->path,
                        b->ds->name);
        xc_err_at(err, b->path, 0, NULL);
        goto fail;
    }
    fs->gz = gzopen(b->path, "rb");
    if (!fs->gz) {
        rc = xc_err_set(err, XC_EIO, "cannot open file \"%s\" (dataset %s): %s", b->path,
                        b->ds->name, errno ? strerror(errno) : "out of memory");
        xc_err_at(err, b->path, 0, NULL);
        xc_err_hint(err, "paths in the configuration are relative to its own directory");
        goto fail;
    }
    fs->base.bytes_total = (uint64_t)st.st_size;
    gzbuffer(fs->gz, CHUNK);
    rc = read_header(fs, err);
    if (rc < 0)
        goto fail;
    if (!b->header) {
        for (int f = 0; f < b->ds->n_fields; f++)
            if (fs->col_of[f] >= fs->expected) {
                rc = xc_err_set(err, XC_EINPUT, "file \"%s\": field %s.%s is column %d, but "
                                "the first row has %d columns", b->path, b->ds->name,
                                b->ds->fields[f].name, fs->col_of[f] + 1, fs->expected);
                xc_err_at(err, b->path, 1, b->ds->fields[f].name);
                goto fail;
            }
    }
    *ret = &fs->base;
    return XC_OK;
fail:
    if (rc == XC_ENOMEM && (!err || err->code == XC_OK))
        xc_err_set(err, XC_ENOMEM, "out of memory");
    file_close(&fs->base);
    return rc;
}

const xc_source_ops xc_file_source_ops = {
    .abi = XC_SOURCE_ABI,
    .kind = "file",
    .open = file_open,
    .next = file_next,
    .close = file_close,
};
