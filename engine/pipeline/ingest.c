/* ingest.c - one dataset's rows: converted, rejected with reasons, counted. */
#include "xcheck/ingest.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xcheck/idno.h"
#include "xcheck/pseudonym.h"
#include "xcheck/plugin/source.h"
#include "xcheck/text.h"

struct xc_rejects {
    xc_output out;
    FILE *f;                 /* out.f: part 0's rows, then the others' */
    bool failed;
    bool full_ids;           /* ID numbers written whole, not masked */
    char dir[4096];
    FILE **part;             /* part k > 0: its rows until the file is
                                closed, in a temporary file of dir without
                                a name, so that the file lists them in part
                                order whatever the timing */
    int n_part;
    pthread_mutex_t lock;    /* over part */
};

enum { BATCH = 64 };

/* What converting a row's ID found, for a batch of rows. */
typedef struct id_seen {
    uint64_t key;            /* 0 when the ID did not convert */
    bool ok, legacy, unknown_county;
    bool not_pseudonym;      /* id_form = pseudonym, and the text is none */
} id_seen;

struct xc_ingest {
    const xc_binding *b;
    xc_date as_of;
    xc_date latest;          /* the last day the data can know (record.h) */
    xc_source *src;
    xc_raw_row raw[BATCH];   /* rows from the source, valid together */
    int n_raw, next_raw;
    const xc_raw_row *cur;   /* the row being converted */
    id_seen seen[BATCH];
    uint32_t found[BATCH];
    const xc_pseudomap *pseudo;   /* the ID column holds pseudonyms of these */
    char pseudo_id[BATCH][19];    /* the numbers they stand for, per row */
    xc_rejects *rejects;     /* shared, or own_rejects */
    xc_rejects *own_rejects;
    int part;                /* of its dataset's parts: its rows' place there */
    xc_counts counts;
    xc_span span;
    xc_reasons reasons;
    uint64_t *rejected_ids;  /* the IDs of rejected rows */
    size_t n_rejected_ids, cap_rejected_ids;
    char **rejected_links;   /* their archive numbers */
    size_t n_rejected_links, cap_rejected_links;
    uint64_t unattributed;   /* rejected rows of which neither could be read */
    int id_field;            /* the field xc_record_convert_id() converts */
    char last_id[18];        /* the last 18-character ID text that converted, */
    id_seen last_seen;       /* and what converting it found */
    bool have_last;
    bool pending;            /* an accepted record awaits xc_ingest_count() */
    /* Published for other threads (progress) once per batch of rows. */
    _Atomic uint64_t seen_rows, seen_bytes;
};

int xc_rejects_open(const char *dir, const char *dataset, bool full_ids, xc_rejects **ret,
                    xc_err *err)
{
    xc_rejects *r = calloc(1, sizeof *r);
    if (!r)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    char name[256];
    snprintf(name, sizeof name, "%s.csv", dataset);
    int rc = xc_output_open(&r->out, dir, name, err);
    if (rc < 0) {
        free(r);
        return rc;
    }
    r->f = r->out.f;
    fputs(XC_CSV_BOM "file,line,field,reason,value\n", r->f);
    r->full_ids = full_ids;
    snprintf(r->dir, sizeof r->dir, "%s", dir);
    pthread_mutex_init(&r->lock, NULL);
    *ret = r;
    return XC_OK;
}

/* The file of part k's rows (k > 0), made when it has its first; NULL
 * when it cannot be (then r->failed). */
static FILE *part_file(xc_rejects *r, int k)
{
    pthread_mutex_lock(&r->lock);
    FILE *f = k < r->n_part ? r->part[k] : NULL;
    if (!f && !r->failed) {
        if (k >= r->n_part) {
            FILE **p = realloc(r->part, (size_t)(k + 1) * sizeof *p);
            if (p) {
                memset(p + r->n_part, 0, (size_t)(k + 1 - r->n_part) * sizeof *p);
                r->part = p;
                r->n_part = k + 1;
            }
        }
        int fd = k < r->n_part ? xc_unnamed_file(r->dir) : -1;
        if (fd >= 0 && !(f = fdopen(fd, "w+")))
            close(fd);
        if (f)
            r->part[k] = f;
        else
            r->failed = true;
    }
    pthread_mutex_unlock(&r->lock);
    return f;
}

static void close_parts(xc_rejects *r)
{
    for (int k = 0; k < r->n_part; k++)
        if (r->part[k])
            fclose(r->part[k]);
    free(r->part);
    r->part = NULL;
    r->n_part = 0;
}

int xc_rejects_close(xc_rejects *r, xc_err *err)
{
    if (!r)
        return XC_OK;
    /* the other parts' rows after part 0's, in part order */
    char buf[65536];
    for (int k = 1; k < r->n_part && !r->failed; k++) {
        FILE *f = r->part[k];
        if (!f)
            continue;
        if (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0)
            r->failed = true;
        for (size_t n; !r->failed && (n = fread(buf, 1, sizeof buf, f)) > 0;)
            r->failed = fwrite(buf, 1, n, r->f) != n;
        r->failed |= ferror(f) != 0;
    }
    close_parts(r);
    int rc;
    if (r->failed) {
        xc_output_abort(&r->out);
        rc = xc_err_set(err, XC_EIO, "cannot write \"%s\": a part's rejected rows could "
                        "not be kept", r->out.path);
    } else {
        rc = xc_output_commit(&r->out, err);
    }
    pthread_mutex_destroy(&r->lock);
    free(r);
    return rc;
}

void xc_rejects_discard(xc_rejects *r)
{
    if (!r)
        return;
    close_parts(r);
    xc_output_abort(&r->out);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

/* One field of a reject row: at most 400 bytes of it (evidence, not a copy
 * of the row), ID-like runs masked unless mask is false. */
static void write_field(FILE *f, const char *s, size_t len, bool mask)
{
    xc_buf masked = {0};
    if (len > 4096) {        /* only a window is kept: mask no more than it */
        len = 4096;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    if (mask && !(s = xc_masked(s, &len, false, &masked))) {   /* masked, then cut */
        xc_buf_free(&masked);
        return;
    }
    if (len > 400) {
        len = 400;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;           /* not inside a UTF-8 character */
    }
    xc_buf b = {0};
    xc_csv_field(&b, s, len, false);
    if (!b.failed)
        fwrite(b.p, 1, b.len, f);
    xc_buf_free(&b);
    xc_buf_free(&masked);
}

/* Notes the dates and months of a converted record. */
static void span_add(xc_span *s, const xc_dataset_def *ds, const xc_record *rec)
{
    for (int f = 0; f < ds->n_fields; f++) {
        const xc_value *v = &rec->v[f];
        if (v->null)
            continue;
        if (ds->fields[f].type == XC_F_DATE) {
            if (s->latest == XC_NO_DATE || v->i > s->latest)
                s->latest = (xc_date)v->i;
        } else if (ds->fields[f].type == XC_F_MONTH) {
            int64_t i = v->i - XC_SPAN_FIRST;
            if (i >= 0 && i < XC_SPAN_MONTHS)
                s->months[i / 8] |= (uint8_t)(1u << (i % 8));
        }
    }
}

/* The reason without what is between single quotes: "'…' is not a date". */
static void reason_key(const char *reason, char *out, size_t size)
{
    size_t n = 0;
    bool quoted = false;
    for (const char *p = reason; *p && n + 4 < size; p++) {
        if (*p == '\'') {
            if (!quoted) {
                memcpy(out + n, "'\xe2\x80\xa6", 4);   /* '… */
                n += 4;
            } else {
                out[n++] = '\'';
            }
            quoted = !quoted;
        } else if (!quoted) {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
}

/* The entry of (field, key) in t, or NULL. */
static xc_reason_count *reason_slot(xc_reasons *t, int field, const char *key)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->r[i].field == field && strcmp(t->r[i].key, key) == 0)
            return &t->r[i];
    return NULL;
}

/* Counts n rejects of (field, key), example the reason first seen on line:
 * the earlier line stays the example. */
static void reasons_count(xc_reasons *t, int field, const char *key, const char *example,
                          long line, uint64_t n)
{
    xc_reason_count *r = reason_slot(t, field, key);
    if (!r && t->n == XC_REASONS) {
        t->other += n;
        return;
    }
    if (!r) {
        r = &t->r[t->n++];
        *r = (xc_reason_count){.field = field, .line = line};
        snprintf(r->key, sizeof r->key, "%s", key);
        snprintf(r->example, sizeof r->example, "%s", example);
    } else if (line < r->line) {
        snprintf(r->example, sizeof r->example, "%s", example);
        r->line = line;
    }
    r->n += n;
}

void xc_reasons_add(xc_reasons *t, int field, const char *reason, long line, uint64_t n)
{
    char key[160];
    reason_key(reason, key, sizeof key);
    reasons_count(t, field, key, reason, line, n);
}

void xc_reasons_merge(xc_reasons *into, const xc_reasons *from)
{
    for (size_t i = 0; i < from->n; i++) {
        const xc_reason_count *r = &from->r[i];
        reasons_count(into, r->field, r->key, r->example, r->line, r->n);
    }
    into->other += from->other;
}

/* Keeps the archive number of a rejected row, when it has one. Returns
 * whether it had. */
static bool keep_rejected_link(xc_ingest *in)
{
    int lf = xc_dataset_field(in->b->ds, "archive_no");
    if (lf < 0 || in->b->ds->fields[lf].type != XC_F_TEXT || !in->cur->f[lf].p)
        return false;
    const char *p = in->cur->f[lf].p;
    size_t n = in->cur->f[lf].len;
    while (n > 0 && (*p == ' ' || *p == '\t'))
        p++, n--;
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n == 0)
        return false;
    if (in->n_rejected_links == in->cap_rejected_links) {
        size_t cap = in->cap_rejected_links ? in->cap_rejected_links * 2 : 16;
        char **l = realloc(in->rejected_links, cap * sizeof *l);
        if (!l)
            return false;
        in->rejected_links = l;
        in->cap_rejected_links = cap;
    }
    char *t = malloc(n + 1);
    if (!t)
        return false;
    memcpy(t, p, n);
    t[n] = '\0';
    in->rejected_links[in->n_rejected_links++] = t;
    return true;
}

/* Keeps the ID of a rejected row, when it can be read. Returns whether it
 * could. */
static bool keep_rejected_key(xc_ingest *in)
{
    xc_record rec;
    xc_reject rej;
    if (xc_record_convert_id(in->b, in->as_of, in->cur, &rec, &rej) < 0 || !rec.id.key)
        return false;
    if (in->n_rejected_ids == in->cap_rejected_ids) {
        size_t cap = in->cap_rejected_ids ? in->cap_rejected_ids * 2 : 16;
        uint64_t *k = realloc(in->rejected_ids, cap * sizeof *k);
        if (!k)
            return false;
        in->rejected_ids = k;
        in->cap_rejected_ids = cap;
    }
    in->rejected_ids[in->n_rejected_ids++] = rec.id.key;
    return true;
}

/* Notes whom a rejected row was about, so that no rule judges them on the
 * rows that are left: its archive number and ID number when they can be
 * read, else it counts as a row of no one known. (Memory running out only
 * loses the note: the row is still counted as rejected.) */
static void keep_rejected(xc_ingest *in, int field)
{
    if (!in->cur)
        return;
    bool link = keep_rejected_link(in);
    bool key = keep_rejected_key(in);
    /* a row rejected for its ID number is about no valid one */
    bool bad_id = field >= 0 && in->b->ds->fields[field].type == XC_F_ID;
    if (!link && !key && !bad_id)
        in->unattributed++;
}

static void write_reject(xc_ingest *in, long line, int field, const char *reason)
{
    in->counts.rejected++;
    xc_reasons_add(&in->reasons, field, reason, line, 1);
    keep_rejected(in, field);
    xc_rejects *r = in->rejects;
    if (!r)
        return;
    const char *fname = field >= 0 ? in->b->ds->fields[field].name : "";
    const char *val = "";
    size_t vlen = 0;
    char masked[96], shown[512];
    unsigned cp;
    if (field >= 0 && in->cur->f[field].p) {
        val = in->cur->f[field].p;
        vlen = in->cur->f[field].len;
        if (!xc_utf8_valid(val, vlen)) {
            val = "(not valid text)";
            vlen = strlen(val);
        } else if (xc_text_control(val, vlen, &cp) != (size_t)-1) {
            val = xc_text_show_controls(val, vlen, shown, sizeof shown);
            vlen = strlen(val);
            if (in->b->ds->fields[field].type == XC_F_ID && !r->full_ids) {
                val = xc_id_mask_text(val, vlen, masked, sizeof masked);
                vlen = strlen(val);
            }
        } else if (in->b->ds->fields[field].type == XC_F_ID && !r->full_ids) {
            val = xc_id_mask_text(val, vlen, masked, sizeof masked);
            vlen = strlen(val);
        }
    }
    /* each part writes a file of its own: no lock */
    FILE *f = in->part == 0 ? r->f : part_file(r, in->part);
    if (!f)
        return;
    write_field(f, in->src->where, strlen(in->src->where), true);
    fprintf(f, ",%ld,%s,", line, fname);
    write_field(f, reason, strlen(reason), !r->full_ids);
    fputc(',', f);
    write_field(f, val, vlen, !r->full_ids);
    fputc('\n', f);
}

int xc_ingest_open_part(const xc_binding *b, const xc_source_ctx *ctx, xc_date as_of,
                        xc_rejects *rejects, xc_ingest **ret, xc_err *err)
{
    xc_ingest *in = calloc(1, sizeof *in);
    if (!in)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    in->b = b;
    in->as_of = as_of;
    in->span.latest = XC_NO_DATE;
    xc_date today = xc_date_today();
    in->latest = today > as_of ? today : as_of;
    in->rejects = rejects;
    in->part = ctx->part;
    in->id_field = -1;
    for (int f = 0; f < b->ds->n_fields && in->id_field < 0; f++)
        if (b->ds->fields[f].type == XC_F_ID)
            in->id_field = f;
    int rc = xc_source_open_part(b, ctx, &in->src, err);
    if (rc < 0) {
        free(in);
        return rc;
    }
    *ret = in;
    return XC_OK;
}

int xc_ingest_open(const xc_binding *b, xc_date as_of, const char *reject_dir,
                   xc_ingest **ret, xc_err *err)
{
    xc_rejects *r = NULL;
    xc_ingest *in;
    xc_source_ctx whole = {.part = 0, .parts = 1};
    int rc = xc_ingest_open_part(b, &whole, as_of, NULL, &in, err);
    if (rc < 0)
        return rc;
    if (reject_dir && (rc = xc_rejects_open(reject_dir, b->ds->name, false, &r, err)) < 0) {
        xc_ingest_close(in);
        return rc;
    }
    in->rejects = in->own_rejects = r;
    *ret = in;
    return XC_OK;
}

void xc_ingest_set_pseudonyms(xc_ingest *in, const xc_pseudomap *m)
{
    in->pseudo = m;
}

/* Row i's ID column holds a pseudonym: it is replaced, in memory only, by
 * the number of the archive's person it stands for. Returns false when it
 * stands for no one the run knows (the row is unmatched) and sets
 * s->not_pseudonym when it is not a pseudonym at all. */
static bool unpseudonymise(xc_ingest *in, int i, id_seen *s)
{
    xc_raw_field *f = &in->raw[i].f[in->b->ds->link_field];
    uint8_t p[16];
    if (!f->p || xc_pseudonym_parse(f->p, f->len, p) < 0) {
        s->not_pseudonym = f->p && f->len > 0;
        return true;                  /* conversion says what is wrong */
    }
    uint64_t key = xc_pseudomap_find(in->pseudo, p);
    if (!key)
        return false;
    xc_id_unpack(key, in->pseudo_id[i]);
    f->p = in->pseudo_id[i];
    f->len = 18;
    return true;
}

/* Converts the ID of each row of the batch and asks which link. */
static void link_batch(xc_ingest *in, xc_link_fn *linked, void *user)
{
    uint64_t keys[BATCH];
    xc_record rec;
    xc_reject rej;
    for (int i = 0; i < in->n_raw; i++) {
        id_seen *s = &in->seen[i];
        s->not_pseudonym = false;
        if (in->pseudo && !in->raw[i].problem && !unpseudonymise(in, i, s)) {
            *s = (id_seen){.ok = true};   /* someone outside the archive */
            keys[i] = 0;
            continue;
        }
        /* Exports often hold a person's rows one after another (a month
         * each): the same ID text converts as it did on the row before. */
        const xc_raw_field *id = in->id_field >= 0 ? &in->raw[i].f[in->id_field] : NULL;
        bool kept = id && id->p && id->len == 18 && !in->raw[i].problem && !s->not_pseudonym;
        if (kept && in->have_last && memcmp(id->p, in->last_id, 18) == 0) {
            *s = in->last_seen;
            keys[i] = s->key;
            continue;
        }
        s->ok = xc_record_convert_id(in->b, in->as_of, &in->raw[i], &rec, &rej) == 0;
        s->key = s->ok ? rec.id.key : 0;
        s->legacy = rec.id.legacy;
        s->unknown_county = rec.warn_unknown_county;
        keys[i] = s->key;
        if ((in->have_last = kept && s->ok)) {
            memcpy(in->last_id, id->p, 18);
            in->last_seen = *s;
        }
    }
    linked(user, keys, (size_t)in->n_raw, in->found);
}

int xc_ingest_next_linked(xc_ingest *in, xc_record *rec, xc_link_fn *linked, void *user,
                          xc_err *err)
{
    if (in->pending)       /* the caller did not say: count it as unmatched */
        xc_ingest_count(in, false);
    for (;;) {
        if (in->next_raw == in->n_raw) {
            in->n_raw = in->next_raw = 0;
            atomic_store_explicit(&in->seen_rows, in->counts.read, memory_order_relaxed);
            atomic_store_explicit(&in->seen_bytes, in->src->bytes_in, memory_order_relaxed);
            int rc = xc_source_next_batch(in->src, in->raw, BATCH, &in->n_raw, err);
            if (rc != XC_OK)
                return rc;
            if (linked)
                link_batch(in, linked, user);
        }
        int i = in->next_raw++;
        in->cur = &in->raw[i];
        in->counts.read++;
        xc_reject rej;
        if (linked) {
            const id_seen *s = &in->seen[i];
            if (s->not_pseudonym) {
                write_reject(in, in->cur->line, in->b->ds->link_field,
                             "not a pseudonym (32 hexadecimal digits), but the dataset has "
                             "id_form = pseudonym");
                continue;
            }
            if (!s->ok) {      /* convert again, for the reason */
                xc_record_convert_id(in->b, in->as_of, in->cur, rec, &rej);
                write_reject(in, in->cur->line, rej.field, rej.reason);
                continue;
            }
            if (in->found[i] == XC_UNLINKED) {
                in->counts.unmatched++;
                in->counts.legacy_ids += s->legacy;
                in->counts.unknown_county += s->unknown_county;
                continue;
            }
        }
        if (xc_record_convert(in->b, in->as_of, in->latest, in->cur, rec, &rej) < 0) {
            write_reject(in, in->cur->line, rej.field, rej.reason);
            continue;
        }
        if (rec->id_field >= 0) {
            in->counts.legacy_ids += rec->id.legacy;
            in->counts.invalid_ids += rec->id.error != XC_ID_VALID &&
                                      !rec->v[rec->id_field].null;
        }
        in->counts.unknown_county += rec->warn_unknown_county;
        span_add(&in->span, in->b->ds, rec);
        in->pending = true;
        return XC_OK;
    }
}

int xc_ingest_next(xc_ingest *in, xc_record *rec, xc_err *err)
{
    return xc_ingest_next_linked(in, rec, NULL, NULL, err);
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
    if (in->own_rejects) {
        int rc = xc_rejects_close(in->own_rejects, err);
        in->rejects = in->own_rejects = NULL;
        if (rc < 0)
            return rc;
    }
    xc_counts *c = &in->counts;
    c->physical_rows = in->src->physical_rows;
    c->other_lines = in->src->other_lines;
    if (c->physical_rows != c->read + c->other_lines) {
        xc_err_set(err, XC_EINTERNAL, "row accounting of %s does not add up: %llu physical "
                   "rows, but read %llu + other lines %llu", in->b->ds->name,
                   (unsigned long long)c->physical_rows, (unsigned long long)c->read,
                   (unsigned long long)c->other_lines);
        return XC_EINTERNAL;
    }
    if (c->read != c->matched + c->unmatched + c->rejected || c->read != in->src->rows) {
        xc_err_set(err, XC_EINTERNAL, "row accounting of %s does not add up: read %llu, "
                   "matched %llu + unmatched %llu + rejected %llu", in->b->ds->name,
                   (unsigned long long)c->read, (unsigned long long)c->matched,
                   (unsigned long long)c->unmatched, (unsigned long long)c->rejected);
        return XC_EINTERNAL;
    }
    return XC_OK;
}

const uint64_t *xc_ingest_rejected_ids(const xc_ingest *in, size_t *ret_n)
{
    *ret_n = in->n_rejected_ids;
    return in->rejected_ids;
}

char *const *xc_ingest_rejected_links(const xc_ingest *in, size_t *ret_n)
{
    *ret_n = in->n_rejected_links;
    return in->rejected_links;
}

uint64_t xc_ingest_unattributed(const xc_ingest *in)
{
    return in->unattributed;
}

const xc_span *xc_ingest_span(const xc_ingest *in)
{
    return &in->span;
}

const xc_reasons *xc_ingest_reasons(const xc_ingest *in)
{
    return &in->reasons;
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

void xc_ingest_seen(const xc_ingest *in, uint64_t *ret_rows, uint64_t *ret_bytes)
{
    *ret_rows = atomic_load_explicit(&in->seen_rows, memory_order_relaxed);
    *ret_bytes = atomic_load_explicit(&in->seen_bytes, memory_order_relaxed);
}

void xc_ingest_close(xc_ingest *in)
{
    if (!in)
        return;
    xc_rejects_discard(in->own_rejects);       /* not finished: not a whole file */
    xc_source_close(in->src);
    free(in->rejected_ids);
    for (size_t i = 0; i < in->n_rejected_links; i++)
        free(in->rejected_links[i]);
    free(in->rejected_links);
    free(in);
}
