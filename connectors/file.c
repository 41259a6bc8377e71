/*
 * file.c - the `file` connector: CSV, plain or gzip, UTF-8 or GB18030.
 *
 * Reads through zlib's gz* interface (which passes plain files through), in
 * fixed-size chunks, so memory stays bounded whatever the file size: a few
 * chunks in flight and the current row. A reader thread decompresses ahead
 * while the caller parses, so the two overlap. GB18030 is decoded to UTF-8
 * with iconv (in the reader) before parsing, because its second bytes can
 * collide with ASCII delimiters such as '|'. Bytes that do not decode become
 * 0xFF, which the UTF-8 check of each field then reports as a row-level
 * problem.
 *
 * Most rows lie whole inside a chunk and hold no quote: they are split where
 * they lie, without a copy. The others (quoted fields, a row across two
 * chunks, a lone CR) go through the general parser, which copies the row.
 *
 * CSV follows RFC 4180: quoted fields may hold delimiters, doubled quotes
 * and line breaks; rows end with LF, CRLF or CR; a UTF-8 byte-order mark is
 * skipped; blank lines are not rows.
 */
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zlib.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "xcheck/source.h"
#include "xcheck/text.h"

enum {
    CHUNK = 1 << 18,
    BLOCKS = 4,            /* decoded chunks in flight between the threads */
    MAX_ROW = 8 << 20,     /* a longer row means a broken file */
    MAX_COLUMNS = 4096
};

/* One chunk of bytes to parse, filled by the reader thread. */
typedef struct block {
    char *data;
    size_t len;            /* 0 with end or failed set: no more blocks */
    uint64_t bytes_in;     /* compressed bytes read once it was filled */
    bool end;
    bool failed;
    bool truncated;        /* zlib saw a truncated or corrupt stream */
    char why[200];         /* the read error, when failed */
} block;

typedef struct file_source {
    xc_source base;
    gzFile gz;
    iconv_t cd;            /* (iconv_t)-1 when the file is UTF-8 */
    char *in;              /* undecoded bytes (GB18030 only) */
    size_t in_len;
    bool in_eof;           /* the reader reached the end of the file */
    /* The reader thread fills blocks[produced % BLOCKS] while the parser
     * reads blocks[(consumed - 1) % BLOCKS]; released counts the blocks the
     * parser has finished with. */
    block blocks[BLOCKS];
    pthread_t reader;
    bool reader_started;
    pthread_mutex_t lock;
    pthread_cond_t filled, emptied;
    unsigned produced, consumed, released;
    bool stop;
    const char *buf;       /* the block being parsed */
    size_t buf_len, buf_pos;
    bool eof;
    bool skip_lf;          /* the last row ended with CR: skip a following LF */
    long line;             /* physical line the parser is on, 1-based */
    char *row;             /* a row copied out of the blocks (slow path) */
    size_t row_len, row_cap;
    const char **fp;       /* per physical field: its bytes ... */
    size_t *start, *len;   /* ... (slow path: offset in row) and length */
    int n_fields, cap_fields;
    int expected;          /* fields per row */
    bool pending;          /* header = false: the first row is parsed, unread */
    long pending_line;
    int col_of[XC_MAX_FIELDS];   /* physical column of each logical field */
    char problem[256];
    bool plain_end[256];   /* bytes that end a run in an unquoted field */
    bool quoted_end[256];  /* ... and in a quoted one */
    bool special[256];     /* bytes the fast path stops at */
} file_source;

static void read_failed(file_source *fs, block *bk)
{
    int errnum = 0;
    const char *msg = gzerror(fs->gz, &errnum);
    if (errnum == Z_ERRNO)
        msg = strerror(errno);
    snprintf(bk->why, sizeof bk->why, "%s", msg);
    bk->failed = true;
    bk->truncated = errnum == Z_BUF_ERROR || errnum == Z_DATA_ERROR;
    bk->len = 0;
}

/* Decodes fs->in into bk; keeps an incomplete trailing sequence. */
static void decode(file_source *fs, block *bk)
{
    char *ip = fs->in, *op = bk->data;
    size_t il = fs->in_len, ol = CHUNK * 4;
    while (il > 0) {
        if (iconv(fs->cd, &ip, &il, &op, &ol) != (size_t)-1)
            break;
        if (errno == EILSEQ || (errno == EINVAL && fs->in_eof)) {
            *op++ = (char)0xFF;    /* not UTF-8: flagged by the field check */
            ol--;
            ip++, il--;
        } else {
            break;                 /* EINVAL: wait for more bytes; E2BIG: cannot
                                      happen, the output has room for 4x */
        }
    }
    bk->len = (size_t)(op - bk->data);
    memmove(fs->in, ip, il);
    fs->in_len = il;
}

/* Fills one block from the file: some bytes, or none with end or failed. */
static void read_block(file_source *fs, block *bk)
{
    bk->len = 0;
    bk->end = bk->failed = false;
    while (bk->len == 0 && !fs->in_eof) {
        char *dst = fs->cd == (iconv_t)-1 ? bk->data : fs->in + fs->in_len;
        unsigned want = fs->cd == (iconv_t)-1 ? CHUNK : (unsigned)(CHUNK - fs->in_len);
        int n = gzread(fs->gz, dst, want);
        if (n < 0) {
            read_failed(fs, bk);
            return;
        }
        if (n == 0) {
            int errnum = 0;
            gzerror(fs->gz, &errnum);
            if (errnum != Z_OK) {
                read_failed(fs, bk);
                return;
            }
            fs->in_eof = true;
        }
        bk->bytes_in = (uint64_t)gzoffset(fs->gz);
        if (fs->cd == (iconv_t)-1) {
            bk->len = (size_t)n;
        } else {
            fs->in_len += (size_t)n;
            decode(fs, bk);
        }
    }
    bk->end = bk->len == 0;
}

/* The reader thread: decompresses (and decodes) ahead of the parser, so the
 * two overlap on different cores. */
static void *reader_main(void *arg)
{
    file_source *fs = arg;
    for (;;) {
        pthread_mutex_lock(&fs->lock);
        while (fs->produced - fs->released == BLOCKS && !fs->stop)
            pthread_cond_wait(&fs->emptied, &fs->lock);
        bool stop = fs->stop;
        pthread_mutex_unlock(&fs->lock);
        if (stop)
            return NULL;
        block *bk = &fs->blocks[fs->produced % BLOCKS];
        read_block(fs, bk);
        pthread_mutex_lock(&fs->lock);
        fs->produced++;
        pthread_cond_signal(&fs->filled);
        pthread_mutex_unlock(&fs->lock);
        if (bk->len == 0)
            return NULL;
    }
}

/* Moves the parser to the next block. Returns XC_OK (buf_len is 0 only at
 * the end), or XC_EIO. */
static int fill(file_source *fs, xc_err *err)
{
    pthread_mutex_lock(&fs->lock);
    if (fs->released < fs->consumed) {
        fs->released++;               /* done with the current block */
        pthread_cond_signal(&fs->emptied);
    }
    if (fs->eof) {
        pthread_mutex_unlock(&fs->lock);
        fs->buf_len = fs->buf_pos = 0;
        return XC_OK;
    }
    while (fs->consumed == fs->produced)
        pthread_cond_wait(&fs->filled, &fs->lock);
    block *bk = &fs->blocks[fs->consumed++ % BLOCKS];
    pthread_mutex_unlock(&fs->lock);
    fs->buf = bk->data;
    fs->buf_len = bk->len;
    fs->buf_pos = 0;
    fs->base.bytes_in = bk->bytes_in;
    if (bk->failed) {
        fs->eof = true;
        xc_err_set(err, XC_EIO, "file \"%s\": read failed: %s", fs->base.where, bk->why);
        xc_err_at(err, fs->base.where, fs->line, NULL);
        if (bk->truncated)
            xc_err_hint(err, "the gzip file is truncated or corrupt; export it again");
        return XC_EIO;
    }
    fs->eof = bk->end;
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
        const char **p = realloc(fs->fp, (size_t)cap * sizeof *p);
        if (!p)
            return -1;
        fs->fp = p;
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

/* Ends field n of the fast path at `at`; false when the field table is full
 * (the general parser grows it). */
static inline bool cut(file_source *fs, int *n, const char **field, const char *at)
{
    if (*n + 1 == fs->cap_fields)
        return false;
    fs->fp[*n] = *field;
    fs->len[(*n)++] = (size_t)(at - *field);
    *field = at + 1;
    return true;
}

/* The fast path: a row that lies whole inside the current block, with no
 * quote and no CR but the one before its LF, is split where it lies. Returns
 * XC_OK, or XC_DONE when the row needs the general parser. */
static int split_in_place(file_source *fs)
{
    const char delim = fs->base.binding->delimiter;
    const char *p = fs->buf + fs->buf_pos, *stop = fs->buf + fs->buf_len;
    const char *field = p, *q = p;
    int n = 0;
#if defined(__SSE2__)
    /* Sixteen bytes at a time: delimiters in one mask, row ends and quotes
     * in another. */
    const char quote = fs->base.binding->quote ? fs->base.binding->quote : '\n';
    const __m128i vd = _mm_set1_epi8(delim), vn = _mm_set1_epi8('\n');
    const __m128i vq = _mm_set1_epi8(quote), vr = _mm_set1_epi8('\r');
    for (; stop - q >= 16; q += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
        unsigned md = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd));
        unsigned me = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vn), _mm_cmpeq_epi8(v, vq)),
                         _mm_cmpeq_epi8(v, vr)));
        unsigned first = me ? (unsigned)__builtin_ctz(me) : 16;
        md &= (1u << first) - 1;       /* the delimiters before the row's end */
        for (; md; md &= md - 1)
            if (!cut(fs, &n, &field, q + __builtin_ctz(md)))
                return XC_DONE;
        if (me) {
            q += first;
            goto row_end;
        }
    }
#endif
    for (;; q++) {
        if (q == stop)
            return XC_DONE;            /* the row goes on in the next block */
        if (!fs->special[(unsigned char)*q])
            continue;
        if (*q != delim)
            break;
        if (!cut(fs, &n, &field, q))
            return XC_DONE;
    }
#if defined(__SSE2__)
row_end:
#endif
    {
        const char *row_end = q;
        if (*q == '\r') {
            if (q + 1 == stop || q[1] != '\n')
                return XC_DONE;        /* a lone CR, or CR at the block's end */
            q++;
        } else if (*q != '\n') {
            return XC_DONE;            /* a quote */
        }
        fs->fp[n] = field;
        fs->len[n++] = (size_t)(row_end - field);
        fs->n_fields = n;
        fs->problem[0] = '\0';
        fs->buf_pos = (size_t)(q + 1 - fs->buf);
        fs->line++;
        return XC_OK;
    }
}

/* Parses one physical row into fs->fp / len. Returns XC_OK, XC_DONE at the
 * end of the file, or a negative code. Blank lines are skipped. *ret_line is
 * the line the row starts on. */
static int parse_row(file_source *fs, long *ret_line, xc_err *err)
{
    enum { START, UNQUOTED, QUOTED, QUOTE_SEEN } st;
    const char delim = fs->base.binding->delimiter;
    const char quote = fs->base.binding->quote;
    long quote_line = 0;
    bool after_quote = false;   /* text followed a closing quote */
    for (;;) {                  /* the fast path, past blank lines */
        if (fs->buf_pos == fs->buf_len) {
            int rc = fill(fs, err);
            if (rc < 0)
                return rc;
            if (fs->buf_len == 0)
                return XC_DONE;
        }
        if (fs->skip_lf) {
            fs->skip_lf = false;
            if (fs->buf[fs->buf_pos] == '\n') {
                fs->buf_pos++;
                continue;
            }
        }
        *ret_line = fs->line;
        if (split_in_place(fs) != XC_OK)
            break;
        if (fs->n_fields > 1 || fs->len[0] > 0)
            return XC_OK;
    }
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
                goto done;
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
        goto done;
    }
    field_end(fs);
    if (fs->n_fields == 1 && fs->len[0] == 0 && st == START)
        return XC_DONE;
    fs->line++;
done:
    for (int f = 0; f < fs->n_fields; f++)
        fs->fp[f] = fs->row + fs->start[f];
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
            const char *name = xc_trim(fs->fp[c], &n);
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
                const char *name = xc_trim(fs->fp[c], &n);
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

/* Hands out the row just parsed (fs->fp / len) as *row. */
static void emit_row(file_source *fs, xc_raw_row *row, long line)
{
    const xc_binding *b = fs->base.binding;
    fs->base.rows++;
    row->line = line;
    row->format = NULL;
    row->problem = NULL;
    row->problem_field = -1;
    for (int f = 0; f < XC_MAX_FIELDS; f++)
        row->f[f] = (xc_raw_field){NULL, 0};
    if (fs->problem[0]) {
        row->problem = fs->problem;
        return;
    }
    if (fs->n_fields != fs->expected) {
        snprintf(fs->problem, sizeof fs->problem, "%d fields where the %s has %d",
                 fs->n_fields, b->header ? "header" : "first row", fs->expected);
        row->problem = fs->problem;
        return;
    }
    for (int f = 0; f < b->ds->n_fields; f++) {
        int c = fs->col_of[f];
        if (c < 0)
            continue;
        if (c >= fs->n_fields) {
            snprintf(fs->problem, sizeof fs->problem, "no column %d in this row", c + 1);
            row->problem = fs->problem;
            row->problem_field = f;
            return;
        }
        /* text is checked as UTF-8 when the field is converted */
        row->f[f].p = fs->fp[c];
        row->f[f].len = fs->len[c];
    }
}

static int file_next(xc_source *src, xc_raw_row *row, xc_err *err)
{
    file_source *fs = (file_source *)src;
    long line = fs->pending_line;
    int rc = XC_OK;
    if (fs->pending)            /* header = false: the row read at open */
        fs->pending = false;
    else
        rc = parse_row(fs, &line, err);
    if (rc == XC_OK)
        emit_row(fs, row, line);
    return rc;
}

/* After the first row, more rows only as long as they lie whole, without a
 * problem, in the block being read: the next block would replace the bytes
 * they point to, and a problem's text is kept for one row only. */
static int file_next_batch(xc_source *src, xc_raw_row *rows, int max, int *ret_n, xc_err *err)
{
    file_source *fs = (file_source *)src;
    *ret_n = 0;
    int rc = file_next(src, &rows[0], err);
    if (rc != XC_OK)
        return rc;
    int n = 1;
    while (n < max && !rows[n - 1].problem && fs->buf_pos < fs->buf_len) {
        if (fs->skip_lf) {
            fs->skip_lf = false;
            if (fs->buf[fs->buf_pos] == '\n') {
                fs->buf_pos++;
                continue;
            }
        }
        long line = fs->line;
        if (split_in_place(fs) != XC_OK)
            break;
        if (fs->n_fields == 1 && fs->len[0] == 0)
            continue;                  /* a blank line */
        emit_row(fs, &rows[n++], line);
    }
    *ret_n = n;
    return XC_OK;
}

static void file_close(xc_source *src)
{
    file_source *fs = (file_source *)src;
    if (!fs)
        return;
    if (fs->reader_started) {
        pthread_mutex_lock(&fs->lock);
        fs->stop = true;
        pthread_cond_signal(&fs->emptied);
        pthread_mutex_unlock(&fs->lock);
        pthread_join(fs->reader, NULL);
    }
    pthread_mutex_destroy(&fs->lock);
    pthread_cond_destroy(&fs->filled);
    pthread_cond_destroy(&fs->emptied);
    if (fs->gz)
        gzclose_r(fs->gz);
    if (fs->cd != (iconv_t)-1)
        iconv_close(fs->cd);
    for (int i = 0; i < BLOCKS; i++)
        free(fs->blocks[i].data);
    free(fs->in);
    free(fs->row);
    free(fs->fp);
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
    memcpy(fs->special, fs->plain_end, sizeof fs->special);
    if (b->quote)
        fs->special[(unsigned char)b->quote] = true;
    pthread_mutex_init(&fs->lock, NULL);
    pthread_cond_init(&fs->filled, NULL);
    pthread_cond_init(&fs->emptied, NULL);
    fs->cd = (iconv_t)-1;
    fs->line = 1;
    snprintf(fs->base.where, sizeof fs->base.where, "%s", b->path);
    for (int f = 0; f < XC_MAX_FIELDS; f++)
        fs->col_of[f] = !b->header && b->field[f].column ? b->field[f].column_no - 1 : -1;
    int rc = XC_ENOMEM;
    fs->row_cap = 4096;
    fs->cap_fields = 32;
    fs->row = malloc(fs->row_cap);
    fs->fp = malloc((size_t)fs->cap_fields * sizeof *fs->fp);
    fs->start = malloc((size_t)fs->cap_fields * sizeof *fs->start);
    fs->len = malloc((size_t)fs->cap_fields * sizeof *fs->len);
    if (!fs->row || !fs->fp || !fs->start || !fs->len)
        goto fail;
    for (int i = 0; i < BLOCKS; i++)
        if (!(fs->blocks[i].data = malloc(b->encoding == XC_ENC_UTF8 ? CHUNK : CHUNK * 4)))
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
    if (pthread_create(&fs->reader, NULL, reader_main, fs) != 0) {
        rc = xc_err_set(err, XC_ENOMEM, "file \"%s\": cannot start a reader thread", b->path);
        goto fail;
    }
    fs->reader_started = true;
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
    .next_batch = file_next_batch,
};
