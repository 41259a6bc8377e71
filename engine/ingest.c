/* ingest.c - one dataset's rows: converted, rejected with reasons, counted. */
#include "xcheck/ingest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/source.h"
#include "xcheck/text.h"

struct xc_ingest {
    const xc_binding *b;
    xc_date as_of;
    xc_source *src;
    xc_raw_row raw;
    FILE *rejects;
    char *reject_path;
    xc_counts counts;
    bool pending;            /* an accepted record awaits xc_ingest_count() */
};

static void write_field(FILE *f, const char *s, size_t len)
{
    char buf[1024];
    if (len > 400) {         /* evidence, not a copy of the row */
        len = 400;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;           /* not inside a UTF-8 character */
    }
    size_t n = xc_csv_quote(s, len, buf, sizeof buf);
    fwrite(buf, 1, n < sizeof buf ? n : 0, f);
}

static void write_reject(xc_ingest *in, long line, int field, const char *reason)
{
    in->counts.rejected++;
    if (!in->rejects)
        return;
    const char *fname = field >= 0 ? in->b->ds->fields[field].name : "";
    const char *val = "";
    size_t vlen = 0;
    if (field >= 0 && in->raw.f[field].p) {
        val = in->raw.f[field].p;
        vlen = in->raw.f[field].len;
        if (!xc_utf8_valid(val, vlen)) {
            val = "(not valid text)";
            vlen = strlen(val);
        }
    }
    write_field(in->rejects, in->src->where, strlen(in->src->where));
    fprintf(in->rejects, ",%ld,%s,", line, fname);
    write_field(in->rejects, reason, strlen(reason));
    fputc(',', in->rejects);
    write_field(in->rejects, val, vlen);
    fputc('\n', in->rejects);
}

int xc_ingest_open(const xc_binding *b, xc_date as_of, const char *reject_dir,
                   xc_ingest **ret, xc_err *err)
{
    xc_ingest *in = calloc(1, sizeof *in);
    if (!in)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    in->b = b;
    in->as_of = as_of;
    int rc = xc_source_open(b, &in->src, err);
    if (rc < 0)
        goto fail;
    if (reject_dir) {
        size_t n = strlen(reject_dir) + strlen(b->ds->name) + 16;
        in->reject_path = malloc(n);
        if (!in->reject_path) {
            rc = xc_err_set(err, XC_ENOMEM, "out of memory");
            goto fail;
        }
        snprintf(in->reject_path, n, "%s/%s.csv", reject_dir, b->ds->name);
        in->rejects = fopen(in->reject_path, "w");
        if (!in->rejects) {
            rc = xc_err_set(err, XC_EIO, "cannot write reject file \"%s\": %s",
                            in->reject_path, strerror(errno));
            goto fail;
        }
        fputs("file,line,field,reason,value\n", in->rejects);
    }
    *ret = in;
    return XC_OK;
fail:
    xc_ingest_close(in);
    return rc;
}

int xc_ingest_next(xc_ingest *in, xc_record *rec, xc_err *err)
{
    if (in->pending)       /* the caller did not say: count it as unmatched */
        xc_ingest_count(in, false);
    for (;;) {
        int rc = xc_source_next(in->src, &in->raw, err);
        if (rc != XC_OK)
            return rc;
        in->counts.read++;
        xc_reject rej;
        if (xc_record_convert(in->b, in->as_of, &in->raw, rec, &rej) < 0) {
            write_reject(in, in->raw.line, rej.field, rej.reason);
            continue;
        }
        if (rec->id_field >= 0) {
            in->counts.legacy_ids += rec->id.legacy;
            in->counts.invalid_ids += rec->id.error != XC_ID_VALID &&
                                      !rec->v[rec->id_field].null;
        }
        in->counts.unknown_county += rec->warn_unknown_county;
        in->pending = true;
        return XC_OK;
    }
}

void xc_ingest_count(xc_ingest *in, bool matched)
{
    if (!in->pending)
        return;
    in->pending = false;
    if (matched)
        in->counts.matched++;
    else
        in->counts.unmatched++;
}

void xc_ingest_reject(xc_ingest *in, const xc_record *rec, int field, const char *reason)
{
    if (!in->pending)
        return;
    in->pending = false;
    write_reject(in, rec->line, field, reason);
}

int xc_ingest_finish(xc_ingest *in, xc_err *err)
{
    if (in->pending)
        xc_ingest_count(in, false);
    if (in->rejects) {
        int bad = ferror(in->rejects);
        bad |= fclose(in->rejects) != 0;
        in->rejects = NULL;
        if (bad)
            return xc_err_set(err, XC_EIO, "cannot write reject file \"%s\"", in->reject_path);
    }
    const xc_counts *c = &in->counts;
    if (c->read != c->matched + c->unmatched + c->rejected || c->read != in->src->rows) {
        xc_err_set(err, XC_EINTERNAL, "row accounting of %s does not add up: read %llu, "
                   "matched %llu + unmatched %llu + rejected %llu", in->b->ds->name,
                   (unsigned long long)c->read, (unsigned long long)c->matched,
                   (unsigned long long)c->unmatched, (unsigned long long)c->rejected);
        return XC_EINTERNAL;
    }
    return XC_OK;
}

const xc_counts *xc_ingest_counts(const xc_ingest *in)
{
    return &in->counts;
}

const char *xc_ingest_where(const xc_ingest *in)
{
    return in->src->where;
}

void xc_ingest_progress(const xc_ingest *in, uint64_t *ret_done, uint64_t *ret_total)
{
    *ret_done = in->src->bytes_in;
    *ret_total = in->src->bytes_total;
}

void xc_ingest_close(xc_ingest *in)
{
    if (!in)
        return;
    if (in->rejects)
        fclose(in->rejects);
    xc_source_close(in->src);
    free(in->reject_path);
    free(in);
}
