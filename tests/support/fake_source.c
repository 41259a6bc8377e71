/* fake_source.c - the `fake` connector: rows from arrays in memory, with
 * faults on request (fake_source.h). */
#include "fake_source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/plugin/source.h"

static const xc_source_ops fake_ops;

static const xc_fake_table **tables;
static size_t n_tables;
static xc_fake_stats stats;

/* A dataset section's keys (b->source_conf). */
typedef struct fake_conf {
    char *rows;
    int parts;               /* 0: not given, 1 */
    bool fail_open;
    long fail_after;         /* rows a part hands out before failing, -1: none */
    long extra_rows;         /* physical rows claimed beyond those handed out */
} fake_conf;

typedef struct fake_shared {
    xc_source_shared base;
} fake_shared;

typedef struct fake_plan {
    xc_source_plan base;
    const xc_fake_table *t;
    const fake_conf *conf;
    int col_of[XC_MAX_FIELDS];   /* column of each mapped field, -1: none */
    char reason[128];
} fake_plan;

typedef struct fake_source {
    xc_source base;
    const fake_plan *p;
    size_t at, end;          /* rows [at, end) are left */
} fake_source;

int xc_fake_source_register(void)
{
    return xc_source_register(&fake_ops);
}

int xc_fake_source_add(const xc_fake_table *t)
{
    for (size_t i = 0; i < n_tables; i++)
        if (strcmp(tables[i]->name, t->name) == 0)
            return XC_EXISTS;
    const xc_fake_table **v = realloc(tables, (n_tables + 1) * sizeof *v);
    if (!v)
        return XC_ENOMEM;
    tables = v;
    tables[n_tables++] = t;
    return XC_OK;
}

void xc_fake_source_reset(void)
{
    free(tables);
    tables = NULL;
    n_tables = 0;
    memset(&stats, 0, sizeof stats);
}

xc_fake_stats xc_fake_source_stats(void)
{
    return stats;
}

/* ---- configuration ------------------------------------------------------ */

static const char *const fake_keys[] = {"rows", "parts", "fail", "extra_rows", NULL};

/* A whole number from lo to hi, or -1. */
static long number(const char *v, long lo, long hi)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    return *v && !*end && !errno && n >= lo && n <= hi ? n : -1;
}

static int fake_conf_key(xc_binding *b, const char *key, const char *value, const char *basedir,
                         xc_err *err)
{
    (void)basedir;
    fake_conf *c = b->source_conf;
    if (!c) {
        if (!(c = b->source_conf = calloc(1, sizeof *c)))
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        c->fail_after = -1;
    }
    const char *ds = b->ds->name;
    if (strcmp(key, "rows") == 0) {
        if (!*value)
            return xc_err_set(err, XC_ECONFIG, "[%s] rows: empty value", ds);
        return (c->rows = strdup(value)) ? XC_OK : xc_err_set(err, XC_ENOMEM, "out of memory");
    }
    if (strcmp(key, "parts") == 0) {
        long n = number(value, 1, 64);
        if (n < 0)
            return xc_err_set(err, XC_ECONFIG, "[%s] parts: '%s' is not from 1 to 64", ds, value);
        c->parts = (int)n;
        return XC_OK;
    }
    if (strcmp(key, "extra_rows") == 0) {
        if ((c->extra_rows = number(value, 0, 1000000)) < 0)
            return xc_err_set(err, XC_ECONFIG, "[%s] extra_rows: '%s' is not a count", ds, value);
        return XC_OK;
    }
    /* fail */
    if (strcmp(value, "open") == 0) {
        c->fail_open = true;
        return XC_OK;
    }
    if (strncmp(value, "row ", 4) == 0 && (c->fail_after = number(value + 4, 0, 1000000)) >= 0)
        return XC_OK;
    xc_err_set(err, XC_ECONFIG, "[%s] fail: '%s' is not open or row <n>", ds, value);
    xc_err_hint(err, "write fail = open, or fail = row 3");
    return XC_ECONFIG;
}

static int fake_conf_check(const xc_binding *b, xc_err *err)
{
    const fake_conf *c = b->source_conf;
    if (c && c->rows)
        return XC_OK;
    xc_err_set(err, XC_ECONFIG, "[%s]: a fake source needs 'rows'", b->ds->name);
    xc_err_at(err, NULL, 0, "rows");
    return XC_ECONFIG;
}

static void fake_conf_free(void *conf)
{
    fake_conf *c = conf;
    if (c)
        free(c->rows);
    free(c);
}

/* ---- the run: shared state, check, plan --------------------------------- */

static int fake_shared_new(const xc_source_env *env, xc_source_shared **ret, xc_err *err)
{
    (void)env;
    fake_shared *s = calloc(1, sizeof *s);
    if (!s)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    s->base.ops = &fake_ops;
    stats.shared_made++;
    stats.shared_live++;
    *ret = &s->base;
    return XC_OK;
}

static void fake_shared_free(xc_source_shared *s)
{
    if (s)
        stats.shared_live--;
    free(s);
}

static const char *fake_shared_label(const xc_source_shared *s)
{
    (void)s;
    return "";
}

/* The table exists and has every mapped column. */
static int fake_prepare(xc_source_shared *shared, const xc_binding *b, const xc_source_env *env,
                        xc_source_plan **ret, xc_err *err)
{
    (void)env;
    if (!shared || shared->ops != &fake_ops)
        return xc_err_set(err, XC_EINTERNAL, "dataset %s: no shared state", b->ds->name);
    const fake_conf *c = b->source_conf;
    const xc_fake_table *t = NULL;
    for (size_t i = 0; i < n_tables && !t; i++)
        if (strcmp(tables[i]->name, c->rows) == 0)
            t = tables[i];
    if (!t)
        return xc_err_set(err, XC_EINPUT, "dataset %s: no fake table \"%s\"", b->ds->name,
                          c->rows);
    fake_plan *p = calloc(1, sizeof *p);
    if (!p)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    p->base = (xc_source_plan){.ops = &fake_ops, .binding = b, .parts = 1};
    p->t = t;
    p->conf = c;
    for (int f = 0; f < b->ds->n_fields; f++) {
        p->col_of[f] = -1;
        const char *want = b->field[f].column;
        for (int k = 0; want && t->columns[k] && p->col_of[f] < 0; k++)
            if (strcmp(t->columns[k], want) == 0)
                p->col_of[f] = k;
        if (want && p->col_of[f] < 0) {
            xc_err_set(err, XC_EINPUT, "fake table \"%s\" (dataset %s) has no column \"%s\" "
                       "for field %s", t->name, b->ds->name, want, b->ds->fields[f].name);
            xc_err_at(err, t->name, 0, b->ds->fields[f].name);
            free(p);
            return XC_EINPUT;
        }
    }
    stats.plans++;
    *ret = &p->base;
    return XC_OK;
}

static int fake_plan_decide(xc_source_plan *base, const xc_source_plan_in *in, xc_err *err)
{
    (void)err;
    fake_plan *p = (fake_plan *)base;
    base->parts = p->conf->parts ? p->conf->parts : 1;
    snprintf(p->reason, sizeof p->reason, "%zu keys offered, %s, %d parts", in->n_keys,
             in->may_filter ? "may filter" : "read whole", base->parts);
    return XC_OK;
}

static void fake_plan_free(xc_source_plan *p)
{
    free(p);
}

static void fake_record(const xc_source_plan *base, xc_source_record *ret)
{
    const fake_plan *p = (const fake_plan *)base;
    ret->strategy = "fake";
    ret->reason = p->reason;
    ret->where = p->t->name;
}

/* ---- reading ------------------------------------------------------------ */

static void fake_close(xc_source *src)
{
    free(src);
}

static int fake_open(const xc_binding *b, const xc_source_ctx *ctx, xc_source **ret, xc_err *err)
{
    const fake_plan *p = (const fake_plan *)ctx->plan;
    if (!p)
        return xc_err_set(err, XC_EINTERNAL, "dataset %s: a fake source needs a plan",
                          b->ds->name);
    if (p->conf->fail_open) {
        xc_err_set(err, XC_ESOURCE, "dataset %s (fake %s): cannot open part %d of %d",
                   b->ds->name, p->t->name, ctx->part + 1, ctx->parts);
        xc_err_at(err, p->t->name, 0, NULL);
        return XC_ESOURCE;
    }
    fake_source *s = calloc(1, sizeof *s);
    if (!s)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    s->base.ops = &fake_ops;
    s->base.binding = b;
    s->p = p;
    s->at = p->t->n_rows * (size_t)ctx->part / (size_t)ctx->parts;
    s->end = p->t->n_rows * (size_t)(ctx->part + 1) / (size_t)ctx->parts;
    s->base.bytes_total = s->end - s->at;
    if (ctx->parts > 1)
        snprintf(s->base.where, sizeof s->base.where, "fake %s (part %d of %d)", p->t->name,
                 ctx->part + 1, ctx->parts);
    else
        snprintf(s->base.where, sizeof s->base.where, "fake %s", p->t->name);
    stats.opened++;
    *ret = &s->base;
    return XC_OK;
}

static int fake_next(xc_source *src, xc_raw_row *row, xc_err *err)
{
    fake_source *s = (fake_source *)src;
    const fake_plan *p = s->p;
    if (p->conf->fail_after >= 0 && src->rows == (uint64_t)p->conf->fail_after) {
        xc_err_set(err, XC_ESOURCE, "dataset %s (%s): the source failed after %llu rows",
                   src->binding->ds->name, src->where, (unsigned long long)src->rows);
        xc_err_at(err, src->where, (long)src->rows, NULL);
        return XC_ESOURCE;
    }
    if (s->at == s->end) {
        src->physical_rows = src->rows + (uint64_t)p->conf->extra_rows;
        return XC_DONE;
    }
    const char *const *cells = p->t->rows[s->at];
    memset(row, 0, sizeof *row);
    row->line = (long)++s->at;
    row->problem_field = -1;
    for (int f = 0; f < src->binding->ds->n_fields; f++)
        if (p->col_of[f] >= 0) {
            const char *v = cells[p->col_of[f]] ? cells[p->col_of[f]] : "";
            row->f[f] = (xc_raw_field){.p = v, .len = strlen(v)};
        }
    src->rows++;
    src->physical_rows++;
    src->bytes_in++;
    return XC_OK;
}

static const xc_source_ops fake_ops = {
    .abi = XC_SOURCE_ABI,
    .kind = "fake",
    .open = fake_open,
    .next = fake_next,
    .close = fake_close,
    .keys = fake_keys,
    .conf_key = fake_conf_key,
    .conf_check = fake_conf_check,
    .conf_free = fake_conf_free,
    .shared_new = fake_shared_new,
    .shared_free = fake_shared_free,
    .shared_label = fake_shared_label,
    .prepare = fake_prepare,
    .plan = fake_plan_decide,
    .plan_free = fake_plan_free,
    .record = fake_record,
};
