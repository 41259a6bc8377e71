/* income.c - local standards by region and month; household income. */
#include "xcheck/plugin/income.h"

#include "xcheck/span.h"

#include <stdlib.h>
#include <string.h>

struct xc_standards {
    xc_fact_standard *rows;   /* sorted by code, digits, effective_from */
    xc_month *from;           /* each row's first month */
    size_t n;
};

static int cmp_std(const void *x, const void *y)
{
    const xc_fact_standard *a = x, *b = y;
    if (a->digits != b->digits)
        return a->digits < b->digits ? -1 : 1;
    if (a->code != b->code)
        return a->code < b->code ? -1 : 1;
    if (a->effective_from != b->effective_from)
        return a->effective_from < b->effective_from ? -1 : 1;
    uint64_t la = xc_fact_line(&a->h), lb = xc_fact_line(&b->h);
    return (la > lb) - (la < lb);
}

int xc_standards_build(const xc_facts *f, xc_standards **ret)
{
    size_t n;
    const xc_fact_standard *all = xc_facts_all(f, XC_DS_DIBAO_STANDARD, &n);
    xc_standards *s = calloc(1, sizeof *s);
    if (!s)
        return XC_ENOMEM;
    if (n) {
        s->rows = malloc(n * sizeof *s->rows);
        if (!s->rows) {
            free(s);
            return XC_ENOMEM;
        }
        memcpy(s->rows, all, n * sizeof *s->rows);
        qsort(s->rows, n, sizeof *s->rows, cmp_std);
        if (!(s->from = malloc(n * sizeof *s->from))) {
            xc_standards_free(s);
            return XC_ENOMEM;
        }
        for (size_t i = 0; i < n; i++)
            s->from[i] = xc_date_month(s->rows[i].effective_from);
    }
    s->n = n;
    *ret = s;
    return XC_OK;
}

void xc_standards_free(xc_standards *s)
{
    if (!s)
        return;
    free(s->rows);
    free(s->from);
    free(s);
}

/* The latest row of (code, digits) in force in month m, or NULL. */
static const xc_fact_standard *latest(const xc_standards *s, uint32_t code, uint8_t digits,
                                      xc_month m)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {          /* first row with (digits, code) >= the wanted */
        size_t mid = (lo + hi) / 2;
        const xc_fact_standard *r = &s->rows[mid];
        if (r->digits < digits || (r->digits == digits && r->code < code))
            lo = mid + 1;
        else
            hi = mid;
    }
    const xc_fact_standard *best = NULL;
    for (size_t i = lo; i < s->n && s->rows[i].digits == digits && s->rows[i].code == code; i++)
        if (s->from[i] <= m)
            best = &s->rows[i];   /* sorted by effective_from: the last one wins */
    return best;
}

const xc_fact_standard *xc_standard_for(const xc_standards *s, uint32_t region, xc_month m)
{
    if (!s)
        return NULL;
    const xc_fact_standard *r = latest(s, region, 6, m);
    if (!r)
        r = latest(s, region / 100, 4, m);
    if (!r)
        r = latest(s, region / 10000, 2, m);
    return r;
}

bool xc_income_covered(const xc_eval_ctx *ctx, xc_month m)
{
    return !ctx->income_months || xc_span_has_month(ctx->income_months, m);
}

bool xc_month_known(const xc_month_income *mi)
{
    return mi->covered && mi->standard >= 0 && mi->members > 0;
}

void xc_household_income(const xc_eval_ctx *ctx, uint32_t h, xc_month from, xc_month to,
                         double factor, xc_month_income *out)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    int n = to - from + 1;
    for (int i = 0; i < n; i++) {
        xc_month_income *mi = &out[i];
        memset(mi, 0, sizeof *mi);
        mi->month = from + i;
        mi->members = hh->n_members;
        mi->covered = xc_income_covered(ctx, mi->month);
        mi->standard_row = xc_standard_for(ctx->standards, hh->region, mi->month);
        mi->standard = mi->standard_row ? mi->standard_row->amount : -1;
    }
    for (uint32_t p = hh->first_member; p != XC_NONE;
         p = xc_archive_person(ctx->archive, p)->next_member) {
        uint64_t key = xc_archive_person(ctx->archive, p)->key;
        if (!key)
            continue;
        int64_t person[240];
        memset(person, 0, (size_t)n * sizeof *person);
        xc_facts_income(ctx->facts, key, from, to, person);
        for (int i = 0; i < n; i++)
            out[i].total += person[i];
    }
    for (int i = 0; i < n; i++) {
        xc_month_income *mi = &out[i];
        if (!xc_month_known(mi))
            continue;
        /* per-capita = total / members; compare without dividing */
        double scaled = (double)mi->standard * mi->members;
        mi->above = (double)mi->total > scaled * factor;
        mi->below = (double)mi->total < scaled;
    }
}
