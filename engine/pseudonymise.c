/*
 * pseudonymise.c - an export's ID column replaced by keyed pseudonyms.
 *
 * Records are cut as they stream out of zlib (gzread reads plain files as
 * they are): a small state machine over the bytes keeps each record whole,
 * its fields' bounds noted, so that every other field is written back
 * exactly as it was read.
 */
#include "xcheck/pseudonymise.h"

#include <errno.h>
#include <fcntl.h>
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
    gzFile gz;
    unsigned char *buf;
    size_t pos, len;
    bool eof;
    long line;                 /* the line the next record starts on */
} reader;

typedef struct record {
    xc_buf raw;                /* the record's bytes, without its line end */
    size_t *start, *end;       /* each field's bounds in raw */
    size_t n, cap;
    long line;
} record;

static int next_byte(reader *r, const char *path, xc_err *err)
{
    if (r->pos == r->len) {
        if (r->eof)
            return -1;
        int n = gzread(r->gz, r->buf, CHUNK);
        if (n < 0) {
            int e;
            const char *m = gzerror(r->gz, &e);
            xc_err_set(err, XC_EIO, "cannot read \"%s\": %s", path, m ? m : "read error");
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

/* The next record: XC_OK, XC_DONE at the end, or a negative code. Blank
 * lines are no records. */
static int next_record(reader *r, const xc_pseudonymise_opts *o, record *rec, const char *path,
                       xc_err *err)
{
    for (;;) {
        rec->raw.len = 0;
        rec->n = 0;
        rec->line = r->line;
        bool quoted = false, any = false;
        size_t field_start = 0;
        int c;
        while ((c = next_byte(r, path, err)) >= 0) {
            any = true;
            if (quoted) {
                if (c == o->quote) {
                    int d = next_byte(r, path, err);
                    if (d == -2)
                        return XC_EIO;
                    if (d == o->quote) {
                        xc_buf_append(&rec->raw, (char[]){(char)c, (char)d}, 2);
                        continue;
                    }
                    quoted = false;
                    xc_buf_append(&rec->raw, (char[]){(char)c}, 1);
                    if (d < 0)
                        break;
                    c = d;          /* the byte after the closing quote */
                } else {
                    if (c == '\n')
                        r->line++;
                    xc_buf_append(&rec->raw, (char[]){(char)c}, 1);
                    continue;
                }
            }
            if (c == '\n') {
                r->line++;
                break;
            }
            if (c == o->quote && o->quote) {
                quoted = true;
            } else if (c == o->delimiter) {
                if (add_field(rec, field_start, rec->raw.len) < 0)
                    return xc_err_set(err, XC_ENOMEM, "out of memory");
                xc_buf_append(&rec->raw, (char[]){(char)c}, 1);
                field_start = rec->raw.len;
                continue;
            }
            xc_buf_append(&rec->raw, (char[]){(char)c}, 1);
        }
        if (c == -2)
            return XC_EIO;
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
        size_t len = rec->raw.len;
        if (len > 0 && rec->raw.p[len - 1] == '\r')
            rec->raw.len = --len;       /* CRLF: the CR is the line end's */
        if (len == 0 && c == '\n')
            continue;                   /* a blank line */
        if (len == 0 && c < 0)
            return XC_DONE;
        if (add_field(rec, field_start, rec->raw.len) < 0)
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
    if (quote && n >= 2 && s[0] == quote && s[n - 1] == quote) {
        for (size_t k = 1; k + 1 < n; k++) {
            xc_buf_append(out, s + k, 1);
            if (s[k] == quote && k + 2 < n && s[k + 1] == quote)
                k++;
        }
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

static int find_column(const record *head, const xc_pseudonymise_opts *o, size_t *ret,
                       const char *path, xc_err *err)
{
    xc_buf t = {0};
    for (size_t i = 0; o->header && i < head->n; i++) {
        field_text(head, i, o->quote, &t);
        const char *name = t.p ? t.p : "";
        if (i == 0 && strncmp(name, "\xEF\xBB\xBF", 3) == 0)
            name += 3;                  /* a byte-order mark */
        size_t len = strlen(name);
        const char *trimmed = xc_trim(name, &len);
        if (len == strlen(o->column) && memcmp(trimmed, o->column, len) == 0) {
            xc_buf_free(&t);
            *ret = i;
            return XC_OK;
        }
    }
    xc_buf_free(&t);
    if (!o->header) {
        char *end;
        long no = strtol(o->column, &end, 10);
        if (*end == '\0' && no >= 1 && (size_t)no <= head->n) {
            *ret = (size_t)no - 1;
            return XC_OK;
        }
    }
    xc_err_set(err, XC_ECONFIG, "\"%s\" has no column \"%s\"", path, o->column);
    xc_err_at(err, path, head->line, o->column);
    xc_err_hint(err, o->header ? "name the ID column as the header spells it"
                               : "without a header, name the column by its number from 1");
    return XC_ECONFIG;
}

int xc_pseudonymise_file(const char *in_path, const char *out_path,
                         const xc_pseudonymise_opts *o, const xc_key *k,
                         xc_pseudonymise_stats *st, xc_err *err)
{
    memset(st, 0, sizeof *st);
    reader r = {.line = 1};
    record rec = {0};
    writer w = {0};
    xc_buf t = {0};
    xc_output out = {0};
    int rc = XC_OK;
    struct stat sb;
    if (stat(in_path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        rc = xc_err_set(err, XC_EIO, "\"%s\" is not a regular file", in_path);
        goto done;
    }
    int in_fd = open(in_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (in_fd < 0 || !(r.gz = gzdopen(in_fd, "rb"))) {
        rc = xc_err_set(err, XC_EIO, "cannot open \"%s\": %s", in_path, strerror(errno));
        if (in_fd >= 0)
            close(in_fd);
        goto done;
    }
    if (!(r.buf = malloc(CHUNK))) {
        rc = xc_err_set(err, XC_ENOMEM, "out of memory");
        goto done;
    }
    gzbuffer(r.gz, CHUNK);
    if ((rc = xc_output_open_file(&out, out_path, err)) < 0)
        goto done;
    w.f = out.f;
    /* zlib closes what it writes to: a descriptor of its own. */
    int zfd = o->gzip ? dup(fileno(out.f)) : -1;
    if (o->gzip && (zfd < 0 || !(w.gz = gzdopen(zfd, "wb6")))) {
        if (zfd >= 0)
            close(zfd);
        rc = xc_err_set(err, XC_ENOMEM, "out of memory");
        goto done;
    }
    size_t col = 0, width = 0;
    bool first = true;
    char pseud[XC_PSEUDONYM_LEN + 1];
    while ((rc = next_record(&r, o, &rec, in_path, err)) == XC_OK) {
        if (first) {
            first = false;
            if ((rc = find_column(&rec, o, &col, in_path, err)) < 0)
                goto done;
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
        field_text(&rec, col, o->quote, &t);
        const char *id = t.p ? t.p : "";
        size_t idlen = strlen(id);
        xc_id parsed;
        const char *cell = "";
        if (xc_trim(id, &idlen), idlen == 0) {
            st->empty++;
        } else if (xc_id_parse(id, strlen(id), INT32_MAX, &parsed) == 0) {
            cell = xc_pseudonym(k, parsed.norm, pseud);
            st->pseudonymised++;
            st->legacy += parsed.legacy;
        } else {
            st->invalid++;
            if (!st->first_invalid_line)
                st->first_invalid_line = rec.line;
        }
        put(&w, rec.raw.p, rec.start[col]);
        put(&w, cell, strlen(cell));
        put(&w, rec.raw.p + rec.end[col], rec.raw.len - rec.end[col]);
        put(&w, "\n", 1);
        st->written++;
    }
    if (rc == XC_DONE)
        rc = XC_OK;
    if (rc == XC_OK && first) {
        rc = xc_err_set(err, XC_EINPUT, "\"%s\" is empty", in_path);
        xc_err_at(err, in_path, 0, NULL);
    }
done:
    if (r.gz)
        gzclose_r(r.gz);
    free(r.buf);
    xc_buf_free(&rec.raw);
    xc_buf_free(&t);
    free(rec.start);
    free(rec.end);
    bool bad = w.failed;
    if (w.gz)
        bad |= gzclose_w(w.gz) != Z_OK;
    if (rc == XC_OK && bad)
        rc = xc_err_set(err, XC_EIO, "cannot write \"%s\": %s", out_path, strerror(errno));
    if (rc == XC_OK)
        return xc_output_commit(&out, err);
    xc_output_abort(&out);
    return rc;
}
