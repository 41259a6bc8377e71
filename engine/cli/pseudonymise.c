/*
 * pseudonymise.c - an export's ID column replaced by keyed pseudonyms.
 *
 * The file is read as the file connector reads it: gzip member after member
 * (NUL padding allowed after the last, any other byte there an error, so
 * that no row is lost without a word), plain files as they are. Records
 * are cut as they stream: a small state machine over the bytes keeps each
 * record whole,
 * its fields' bounds noted, so that every other field is written back
 * exactly as it was read.
 */
#include "pseudonymise.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "xcheck/idno.h"
#include "xcheck/text.h"

enum { CHUNK = 1 << 18 };

typedef struct reader {
    int fd;
    bool gzip;                 /* the file starts with gzip's magic */
    bool in_member;            /* inside a gzip member */
    z_stream zs;
    unsigned char *in;         /* raw bytes of the file */
    size_t in_pos, in_len;
    bool in_eof;
    unsigned long long in_off; /* file offset of in[in_len] */
    iconv_t cd;                /* GB18030 to UTF-8, or (iconv_t)-1 */
    unsigned char *raw;        /* undecoded bytes of a GB18030 file */
    size_t raw_len;            /* of which kept from the last read */
    long raw_line;             /* lines decoded so far, for messages */
    unsigned char *buf;
    size_t pos, len;
    bool eof;
    int pending;               /* a byte read ahead and given back, or -1 */
    long line;                 /* the line the next record starts on */
} reader;

typedef struct record {
    xc_buf raw;                /* the record's bytes, without its line end */
    size_t *start, *end;       /* each field's bounds in raw */
    size_t n, cap;
    long line;
} record;

enum { RECORD_MAX = 1 << 20 };  /* a record longer than this is no export's */

/* At least one unused raw byte (fewer only at the end): how many, or -1. */
static long raw_fill(reader *r, const char *path, xc_err *err)
{
    if (r->in_pos < r->in_len || r->in_eof)
        return (long)(r->in_len - r->in_pos);
    for (;;) {
        ssize_t n = read(r->fd, r->in, CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            xc_err_set(err, XC_EIO, "cannot read \"%s\": %s", path, strerror(errno));
            return -1;
        }
        r->in_pos = 0;
        r->in_len = (size_t)n;
        r->in_off += (unsigned long long)n;
        r->in_eof = n == 0;
        return n;
    }
}

/* Up to want bytes of the file's content into dst: how many, 0 at the end,
 * -1 with err set. */
static long content(reader *r, unsigned char *dst, size_t want, const char *path, xc_err *err)
{
    for (;;) {
        long have = raw_fill(r, path, err);
        if (have < 0)
            return -1;
        if (!r->gzip) {
            size_t n = (size_t)have < want ? (size_t)have : want;
            memcpy(dst, r->in + r->in_pos, n);
            r->in_pos += n;
            return (long)n;
        }
        unsigned long long at = r->in_off - (r->in_len - r->in_pos);
        if (!r->in_member) {
            if (have == 0)
                return 0;
            unsigned char c = r->in[r->in_pos];
            if (c == 0) {               /* padding: NUL bytes to the end */
                r->in_pos++;
                continue;
            }
            if (c == 0x1F && inflateReset(&r->zs) == Z_OK) {
                r->in_member = true;
                continue;
            }
            xc_err_set(err, XC_EINPUT, "\"%s\": bytes after the end of the gzip data, from "
                       "byte offset %llu, do not start a gzip member", path, at);
            xc_err_hint(err, "the file is damaged or two files were joined: ask for it again");
            return -1;
        }
        if (have == 0) {
            xc_err_set(err, XC_EINPUT, "\"%s\": the gzip data ends inside a member, at byte "
                       "offset %llu", path, at);
            xc_err_hint(err, "the file is cut short: ask for it again");
            return -1;
        }
        r->zs.next_in = r->in + r->in_pos;
        r->zs.avail_in = (uInt)have;
        r->zs.next_out = dst;
        r->zs.avail_out = (uInt)want;
        int rc = inflate(&r->zs, Z_NO_FLUSH);
        r->in_pos = (size_t)(r->zs.next_in - r->in);
        size_t got = want - r->zs.avail_out;
        if (rc == Z_STREAM_END) {
            r->in_member = false;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            xc_err_set(err, XC_EINPUT, "\"%s\": the gzip data is corrupt near byte offset "
                       "%llu (%s)", path, at, r->zs.msg ? r->zs.msg : "zlib error");
            return -1;
        }
        if (got > 0)
            return (long)got;
    }
}

/* Refills buf with the next decoded bytes of a GB18030 file; returns the
 * first, -1 at the end, -2 on an error. */
static int decode_more(reader *r, const char *path, xc_err *err)
{
    for (;;) {
        if (!r->eof) {
            long n = content(r, r->raw + r->raw_len, CHUNK - r->raw_len, path, err);
            if (n < 0)
                return -2;
            r->eof = n == 0;
            r->raw_len += (size_t)n;
        }
        if (r->raw_len == 0)
            return -1;
        char *in = (char *)r->raw, *out = (char *)r->buf;
        size_t inleft = r->raw_len, outleft = 4 * (size_t)CHUNK;
        size_t rc = iconv(r->cd, &in, &inleft, &out, &outleft);
        int e = errno;
        size_t done = r->raw_len - inleft;
        for (size_t k = 0; k < done; k++)
            r->raw_line += r->raw[k] == '\n';
        memmove(r->raw, r->raw + done, inleft);
        r->raw_len = inleft;
        r->pos = 0;
        r->len = (size_t)(out - (char *)r->buf);
        if (rc == (size_t)-1 && (e == EILSEQ || (e == EINVAL && r->eof))) {
            if (r->len)             /* give what decoded first */
                return r->buf[r->pos++];
            xc_err_set(err, XC_EINPUT, "\"%s\" is not GB18030 text after line %ld", path,
                       r->raw_line + 1);
            xc_err_at(err, path, r->raw_line + 1, NULL);
            xc_err_hint(err, "check --encoding: a UTF-8 file needs none");
            return -2;
        }
        if (r->len)
            return r->buf[r->pos++];
        if (r->eof && r->raw_len == 0)
            return -1;
    }
}

static int next_byte(reader *r, const char *path, xc_err *err)
{
    if (r->pending >= 0) {
        int c = r->pending;
        r->pending = -1;
        return c;
    }
    if (r->pos == r->len && r->cd != (iconv_t)-1)
        return decode_more(r, path, err);
    if (r->pos == r->len) {
        if (r->eof)
            return -1;
        long n = content(r, r->buf, CHUNK, path, err);
        if (n < 0) {
            xc_err_at(err, path, r->line, NULL);
            return -2;
        }
        if (n == 0) {
            r->eof = true;
            return -1;
        }
        r->pos = 0;
        r->len = (size_t)n;
    }
    return r->buf[r->pos++];
}

static int add_field(record *rec, size_t start, size_t end)
{
    if (rec->n == rec->cap) {
        size_t cap = rec->cap ? rec->cap * 2 : 32;
        size_t *s = realloc(rec->start, cap * sizeof *s);
        if (!s)
            return XC_ENOMEM;
        rec->start = s;
        size_t *e = realloc(rec->end, cap * sizeof *e);
        if (!e)
            return XC_ENOMEM;
        rec->end = e;
        rec->cap = cap;
    }
    rec->start[rec->n] = start;
    rec->end[rec->n++] = end;
    return XC_OK;
}

static void keep(record *rec, int c)
{
    char b = (char)c;
    xc_buf_append(&rec->raw, &b, 1);
}

/* The next record: XC_OK, XC_DONE at the end, or a negative code. As the
 * file connector reads: a quote opens quoting only at the start of a field
 * (elsewhere it is text), a doubled quote inside quoting is one quote; a
 * record ends at LF, CRLF or a lone CR outside quoting. Blank lines are no
 * records. */
static int next_record(reader *r, const xc_pseudonymise_opts *o, record *rec, const char *path,
                       xc_err *err)
{
    for (;;) {
        rec->raw.len = 0;
        rec->n = 0;
        rec->line = r->line;
        bool quoted = false, field_start = true, any = false, ended = false;
        size_t start = 0;
        int c;
        while (!ended && (c = next_byte(r, path, err)) >= 0) {
            any = true;
            if (rec->raw.len > RECORD_MAX) {
                xc_err_set(err, XC_EINPUT, "\"%s\": the record on line %ld is longer than "
                           "1 MiB", path, rec->line);
                xc_err_at(err, path, rec->line, NULL);
                xc_err_hint(err, "a quote that is never closed makes the rest of the file "
                            "one field; --quote none reads a file without quoting");
                return XC_EINPUT;
            }
            if (quoted) {
                if (c == '\n')
                    r->line++;
                if (c == o->quote) {
                    int d = next_byte(r, path, err);
                    if (d == -2)
                        return err && err->code ? err->code : XC_EIO;
                    if (d == o->quote) {
                        keep(rec, c);
                        keep(rec, d);
                        continue;
                    }
                    quoted = false;
                    if (d >= 0)
                        r->pending = d;
                }
                keep(rec, c);
                continue;
            }
            if (c == '\n' || c == '\r') {
                if (c == '\r') {
                    int d = next_byte(r, path, err);
                    if (d == -2)
                        return err && err->code ? err->code : XC_EIO;
                    if (d >= 0 && d != '\n')
                        r->pending = d;       /* a lone CR ends the line */
                }
                r->line++;
                ended = true;
                break;
            }
            if (field_start && o->quote && c == o->quote) {
                quoted = true;
                field_start = false;
                keep(rec, c);
                continue;
            }
            field_start = false;
            if (c == o->delimiter) {
                if (add_field(rec, start, rec->raw.len) < 0)
                    return xc_err_set(err, XC_ENOMEM, "out of memory");
                keep(rec, c);
                start = rec->raw.len;
                field_start = true;
                continue;
            }
            keep(rec, c);
        }
        if (!ended && c == -2)
            return err && err->code ? err->code : XC_EIO;
        if (rec->raw.failed)
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        if (quoted) {
            xc_err_set(err, XC_EINPUT, "\"%s\": a quote opened on line %ld is never closed",
                       path, rec->line);
            xc_err_at(err, path, rec->line, NULL);
            xc_err_hint(err, "the file is cut short or damaged; --quote none reads a file "
                        "without quoting");
            return XC_EINPUT;
        }
        if (!any)
            return XC_DONE;
        if (rec->raw.len == 0) {
            if (ended)
                continue;               /* a blank line */
            return XC_DONE;
        }
        if (add_field(rec, start, rec->raw.len) < 0)
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        return XC_OK;
    }
}

/* Field i's text, its quotes taken off, into out (NUL-terminated). */
static void field_text(const record *rec, size_t i, char quote, xc_buf *out)
{
    const char *s = rec->raw.p + rec->start[i];
    size_t n = rec->end[i] - rec->start[i];
    out->len = 0;
    if (quote && n >= 2 && s[0] == quote) {
        size_t k = 1;
        for (; k < n; k++) {
            if (s[k] == quote) {
                if (k + 1 < n && s[k + 1] == quote) {
                    xc_buf_append(out, s + k, 1);
                    k++;
                    continue;
                }
                k++;
                break;
            }
            xc_buf_append(out, s + k, 1);
        }
        xc_buf_append(out, s + k, n - k);    /* text after the closing quote */
    } else {
        xc_buf_append(out, s, n);
    }
    xc_buf_append(out, "", 0);
}

typedef struct writer {
    FILE *f;
    gzFile gz;
    bool failed;
} writer;

static void put(writer *w, const void *p, size_t n)
{
    if (n == 0 || w->failed)
        return;
    if (w->gz)
        w->failed = gzwrite(w->gz, p, (unsigned)n) != (int)n;
    else
        w->failed = fwrite(p, 1, n, w->f) != n;
}

/* The field of the column named `name` (or numbered, without a header). */
static int find_column(const record *head, const xc_pseudonymise_opts *o, const char *name,
                       size_t *ret, const char *path, xc_err *err)
{
    xc_buf t = {0};
    int found = 0;
    for (size_t i = 0; o->header && i < head->n; i++) {
        field_text(head, i, o->quote, &t);
        const char *h = t.p ? t.p : "";
        if (i == 0 && strncmp(h, "\xEF\xBB\xBF", 3) == 0)
            h += 3;                     /* a byte-order mark */
        size_t len = strlen(h);
        const char *trimmed = xc_trim(h, &len);
        if (len == strlen(name) && memcmp(trimmed, name, len) == 0) {
            if (found++)
                break;
            *ret = i;
        }
    }
    xc_buf_free(&t);
    if (found > 1) {
        xc_err_set(err, XC_ECONFIG, "\"%s\" has the column \"%s\" more than once", path, name);
        xc_err_at(err, path, head->line, name);
        xc_err_hint(err, "which of them holds the numbers is not clear: rename one in the "
                    "export, or name the columns by number with --no-header");
        return XC_ECONFIG;
    }
    if (found)
        return XC_OK;
    if (!o->header) {
        char *end;
        long no = strtol(name, &end, 10);
        if (*end == '\0' && no >= 1 && (size_t)no <= head->n) {
            *ret = (size_t)no - 1;
            return XC_OK;
        }
    }
    xc_err_set(err, XC_ECONFIG, "\"%s\" has no column \"%s\"", path, name);
    xc_err_at(err, path, head->line, name);
    xc_err_hint(err, o->header ? "name the ID column as the header spells it"
                               : "without a header, name the column by its number from 1");
    return XC_ECONFIG;
}

int xc_pseudonymise_file(const char *in_path, const char *out_path,
                         const xc_pseudonymise_opts *o, const xc_key *k,
                         xc_pseudonymise_stats *st, xc_err *err)
{
    memset(st, 0, sizeof *st);
    reader r = {.line = 1, .pending = -1, .cd = (iconv_t)-1, .fd = -1};
    bool zs_ready = false;
    record rec = {0};
    writer w = {0};
    xc_buf t = {0};
    xc_output out = {0};
    int rc = XC_OK;
    struct stat sb;
    /* Opened without blocking (a FIFO), then judged by what was opened. */
    r.fd = open(in_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (r.fd < 0) {
        rc = xc_err_set(err, XC_EIO, "cannot open \"%s\": %s", in_path, strerror(errno));
        goto done;
    }
    if (fstat(r.fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
        rc = xc_err_set(err, XC_EIO, "\"%s\" is not a regular file", in_path);
        goto done;
    }
    if (!(r.buf = malloc(o->gb18030 ? 4 * (size_t)CHUNK : CHUNK)) || !(r.in = malloc(CHUNK)) ||
        (o->gb18030 && !(r.raw = malloc(CHUNK)))) {
        rc = xc_err_set(err, XC_ENOMEM, "out of memory");
        goto done;
    }
    if (o->gb18030 && (r.cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1) {
        rc = xc_err_set(err, XC_EIO, "this system cannot decode GB18030: %s", strerror(errno));
        goto done;
    }
    if (inflateInit2(&r.zs, 16 + MAX_WBITS) != Z_OK) {
        rc = xc_err_set(err, XC_ENOMEM, "out of memory");
        goto done;
    }
    zs_ready = true;
    if (raw_fill(&r, in_path, err) < 0) {
        rc = XC_EIO;
        goto done;
    }
    r.gzip = r.in_len >= 2 && r.in[0] == 0x1F && r.in[1] == 0x8B;
    if ((rc = xc_output_open_file(&out, out_path, err)) < 0)
        goto done;
    w.f = out.f;
    /* zlib closes what it writes to: a descriptor of its own. */
    int zfd = o->gzip ? dup(xc_output_fd(&out)) : -1;
    if (o->gzip && (zfd < 0 || !(w.gz = gzdopen(zfd, "wb6")))) {
        if (zfd >= 0)
            close(zfd);
        rc = xc_err_set(err, XC_ENOMEM, "out of memory");
        goto done;
    }
    size_t cols[XC_PSEUDONYMISE_COLUMNS], width = 0;
    bool first = true;
    char pseud[XC_PSEUDONYM_LEN + 1];
    if (o->n_columns < 1 || o->n_columns > XC_PSEUDONYMISE_COLUMNS) {
        rc = xc_err_set(err, XC_ECONFIG, "from 1 to %d ID columns can be pseudonymised",
                        XC_PSEUDONYMISE_COLUMNS);
        goto done;
    }
    while ((rc = next_record(&r, o, &rec, in_path, err)) == XC_OK) {
        if (first) {
            first = false;
            for (int c = 0; c < o->n_columns; c++) {
                if ((rc = find_column(&rec, o, o->column[c], &cols[c], in_path, err)) < 0)
                    goto done;
                for (int d = 0; d < c; d++)
                    if (cols[d] == cols[c]) {
                        rc = xc_err_set(err, XC_ECONFIG, "column \"%s\" is named twice",
                                        o->column[c]);
                        goto done;
                    }
            }
            width = rec.n;
            if (o->header) {
                put(&w, rec.raw.p, rec.raw.len);
                put(&w, "\n", 1);
                continue;
            }
        }
        st->records++;
        if (rec.n != width) {
            st->bad_records++;
            if (!st->first_bad_line)
                st->first_bad_line = rec.line;
            continue;
        }
        bool other = false;
        for (size_t f = 0; f < rec.n; f++) {
            if (f)
                put(&w, &o->delimiter, 1);
            int c = 0;
            while (c < o->n_columns && cols[c] != f)
                c++;
            if (c == o->n_columns) {        /* another column: as it is */
                const char *p = rec.raw.p + rec.start[f];
                size_t n = rec.end[f] - rec.start[f];
                other = other || xc_has_id_run(p, n, false);
                put(&w, p, n);
                continue;
            }
            field_text(&rec, f, o->quote, &t);
            const char *id = t.p ? t.p : "";
            size_t idlen = strlen(id);
            xc_id parsed;
            if (xc_trim(id, &idlen), idlen == 0) {
                st->empty++;
            } else if (xc_id_parse(id, strlen(id), INT32_MAX, &parsed) == 0) {
                put(&w, xc_pseudonym(k, parsed.norm, pseud), XC_PSEUDONYM_LEN);
                st->pseudonymised++;
                st->legacy += parsed.legacy;
            } else {
                st->invalid++;
                if (!st->first_invalid_line)
                    st->first_invalid_line = rec.line;
            }
        }
        put(&w, "\n", 1);
        st->written++;
        if (other) {
            st->other_ids++;
            if (!st->first_other_line)
                st->first_other_line = rec.line;
        }
    }
    if (rc == XC_DONE)
        rc = XC_OK;
    if (rc == XC_OK && first) {
        rc = xc_err_set(err, XC_EINPUT, "\"%s\" is empty", in_path);
        xc_err_at(err, in_path, 0, NULL);
    }
done:
    if (r.fd >= 0)
        close(r.fd);
    if (zs_ready)
        inflateEnd(&r.zs);
    free(r.in);
    if (r.cd != (iconv_t)-1)
        iconv_close(r.cd);
    free(r.raw);
    free(r.buf);
    xc_buf_free(&rec.raw);
    xc_buf_free(&t);
    free(rec.start);
    free(rec.end);
    bool bad = w.failed;
    int e = bad ? errno : 0;      /* what the failed write met */
    if (w.gz && gzclose_w(w.gz) != Z_OK && !bad) {
        bad = true;
        e = errno;
    }
    if (rc == XC_OK && bad)
        rc = xc_output_write_error(err, out_path, e ? e : EIO);
    if (rc == XC_OK)
        return xc_output_commit(&out, err);
    xc_output_abort(&out);
    return rc;
}
