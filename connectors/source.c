/* source.c - a run's sources through their connectors' generic operations
 * (source.h); the connectors themselves are registered in
 * engine/core/registry.c. */
#include <stdlib.h>
#include <string.h>

#include "xcheck/plugin/source.h"

/* ---- a run's sources ---------------------------------------------------- */

/* The index of ops in the registry. */
static int index_of(const xc_source_ops *ops)
{
    const xc_source_ops *o;
    for (int i = 0; (o = xc_source_at(i)) != NULL; i++)
        if (o == ops)
            return i;
    return -1;
}

/* The shared state of ops in run, made the first time. */
static int shared_of(xc_source_run *run, const xc_source_ops *ops, xc_source_shared **ret,
                     xc_err *err)
{
    int i = index_of(ops);
    if (i < 0)
        return xc_err_set(err, XC_EINTERNAL, "connector %s is not registered", ops->kind);
    if (i >= run->n_shared) {
        xc_source_shared **s = realloc(run->shared, (size_t)(i + 1) * sizeof *s);
        if (!s)
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        memset(s + run->n_shared, 0, (size_t)(i + 1 - run->n_shared) * sizeof *s);
        run->shared = s;
        run->n_shared = i + 1;
    }
    if (!run->shared[i] && ops->shared_new) {
        int rc = ops->shared_new(run->env, &run->shared[i], err);
        if (rc < 0)
            return rc;
    }
    *ret = run->shared[i];
    return XC_OK;
}

int xc_source_prepare(xc_source_run *run, const xc_binding *b, xc_source_plan **ret,
                      xc_err *err)
{
    const xc_source_ops *ops = b->source;
    if (!ops->prepare) {
        xc_source_plan *p = calloc(1, sizeof *p);
        if (!p)
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        *p = (xc_source_plan){.ops = ops, .binding = b, .parts = 1};
        *ret = p;
        return XC_OK;
    }
    xc_source_shared *shared = NULL;
    int rc = shared_of(run, ops, &shared, err);
    if (rc < 0)
        return rc;
    return ops->prepare(shared, b, run->env, ret, err);
}

bool xc_source_plans(const xc_source_plan *p)
{
    return p->ops->plan != NULL;
}

int xc_source_decide(xc_source_plan *p, const xc_source_plan_in *in, xc_err *err)
{
    return p->ops->plan ? p->ops->plan(p, in, err) : XC_OK;
}

void xc_source_record_of(const xc_source_plan *p, xc_source_record *ret)
{
    *ret = (xc_source_record){.strategy = p->ops->kind, .reason = "", .where = ""};
    if (p->ops->record)
        p->ops->record(p, ret);
}

int xc_source_count(const xc_source_plan *p)
{
    int n = p->ops->n_sources ? p->ops->n_sources(p) : 1;
    return n > 0 ? n : 1;
}

const char *xc_source_label(const xc_source_plan *p, int i)
{
    if (p->ops->source_label)
        return p->ops->source_label(p, i);
    xc_source_record rec;
    xc_source_record_of(p, &rec);
    return rec.where ? rec.where : "";
}

int xc_source_of_part(const xc_source_plan *p, int part)
{
    int i = p->ops->part_source ? p->ops->part_source(p, part) : 0;
    return i >= 0 && i < xc_source_count(p) ? i : 0;
}

const char *xc_source_run_label(const xc_source_run *run)
{
    for (int i = 0; i < run->n_shared; i++) {
        const xc_source_shared *s = run->shared[i];
        const char *label = s && s->ops->shared_label ? s->ops->shared_label(s) : "";
        if (label[0])
            return label;
    }
    return "";
}

void xc_source_plan_free(xc_source_plan *p)
{
    if (!p)
        return;
    if (p->ops->plan_free)
        p->ops->plan_free(p);
    else
        free(p);
}

void xc_source_run_free(xc_source_run *run)
{
    for (int i = 0; i < run->n_shared; i++)
        if (run->shared[i])
            run->shared[i]->ops->shared_free(run->shared[i]);
    free(run->shared);
    run->shared = NULL;
    run->n_shared = 0;
}

/* ---- reading ------------------------------------------------------------ */

int xc_source_open_part(const xc_binding *b, const xc_source_ctx *ctx, xc_source **ret,
                        xc_err *err)
{
    return b->source->open(b, ctx, ret, err);
}

int xc_source_open(const xc_binding *b, xc_source **ret, xc_err *err)
{
    xc_source_ctx whole = {.part = 0, .parts = 1};
    return xc_source_open_part(b, &whole, ret, err);
}

int xc_source_next(xc_source *src, xc_raw_row *row, xc_err *err)
{
    return src->ops->next(src, row, err);
}

int xc_source_next_batch(xc_source *src, xc_raw_row *rows, int max, int *ret_n, xc_err *err)
{
    if (src->ops->next_batch)
        return src->ops->next_batch(src, rows, max, ret_n, err);
    *ret_n = 0;
    int rc = src->ops->next(src, rows, err);
    if (rc == XC_OK)
        *ret_n = 1;
    return rc;
}

void xc_source_close(xc_source *src)
{
    if (src)
        src->ops->close(src);
}
