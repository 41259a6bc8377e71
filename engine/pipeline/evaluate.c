/* evaluate.c - rules over households, and the rates of the report. */
#include "xcheck/evaluate.h"
#include "xcheck/disposition.h"
#include "xcheck/region.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool in_scope(const xc_rule *r, const xc_household *hh, xc_date as_of)
{
    switch (r->scope) {
    case XC_SCOPE_IN_ARCHIVE: return xc_in_archive(hh, as_of);
    case XC_SCOPE_EXITED: return xc_exited(hh, as_of);
    case XC_SCOPE_ARCHIVED_OR_EXITED: return xc_in_archive(hh, as_of) || xc_exited(hh, as_of);
    }
    return false;
}

/* Is the field mapped in the configuration? */
/* The households from..to of one thread, their flags and counts. */
typedef struct hh_range {
    const xc_eval_ctx *ctx;
    const xc_eval_ctx *rule_ctx;     /* per rule: ctx with its state */
    const xc_rule *const *rules;
    size_t n_rules;
    const xc_rule_result *results;   /* read: which rules are evaluated */
    uint32_t from, to;
    xc_flags flags;
    size_t *households, *not_judged, *flagged, *not_covered;  /* per rule */
    int rc;
} hh_range;

/* Household h lies outside the run's area (ctx->outside). */
static bool outside(const xc_eval_ctx *ctx, uint32_t h)
{
    return ctx->outside && (ctx->outside[h / 8] >> (h % 8) & 1);
}

/* A flag of evaluate_all about something outside the run's area: a
 * household outside it, or someone in no household whose region is not in
 * it (or not known). */
static bool flag_outside(const xc_eval_ctx *ctx, const xc_flag *f)
{
    if (f->household != XC_NONE)
        return outside(ctx, f->household);
    return ctx->region_digits && !xc_region_in(f->region, ctx->region, ctx->region_digits);
}

/* Drops the flags of `from` outside the run's area, uncounting them from
 * *flags. */
static void drop_outside(const xc_eval_ctx *ctx, xc_flags *from, size_t *flags)
{
    if (!ctx->outside && !ctx->region_digits)
        return;
    size_t k = 0;
    for (size_t i = 0; i < from->n; i++) {
        if (flag_outside(ctx, &from->v[i])) {
            xc_flag_clear(&from->v[i]);
            (*flags)--;
        } else {
            from->v[k++] = from->v[i];
        }
    }
    from->n = k;
}

static void *evaluate_range(void *arg)
{
    hh_range *g = arg;
    const xc_eval_ctx *ctx = g->ctx;
    for (uint32_t h = g->from; h < g->to; h++) {
        if (outside(ctx, h))
            continue;                       /* not in the run's area */
        const xc_household *hh = xc_archive_household(ctx->archive, h);
        for (size_t r = 0; r < g->n_rules; r++) {
            const xc_rule *rule = g->rules[r];
            if (!g->results[r].evaluated || !rule->evaluate || !in_scope(rule, hh, ctx->as_of))
                continue;
            /* read in part, or a row a rule needs rejected: not judged */
            if ((ctx->partial && (ctx->partial[h / 8] >> (h % 8) & 1)) ||
                (ctx->hh_rejected && (ctx->hh_rejected[h] & rule->needs))) {
                g->households[r]++;
                g->not_judged[r]++;
                continue;
            }
            size_t before = g->flags.n;
            int rc = rule->evaluate(&g->rule_ctx[r], h, &g->flags);
            if (rc < 0) {
                g->rc = rc;
                return NULL;
            }
            g->households[r]++;
            g->not_judged[r] += rc == XC_NOT_JUDGED || rc == XC_NOT_COVERED;
            g->not_covered[r] += rc == XC_NOT_COVERED;
            g->flagged[r] += g->flags.n - before;
        }
    }
    return NULL;
}

/* Evaluates every household with the household rules, in ctx->jobs threads
 * over consecutive ranges, and appends the flags to out in household order:
 * the same flags in the same order whatever the number of threads. */
static int evaluate_households(const xc_eval_ctx *ctx, const xc_eval_ctx *rule_ctx,
                               const xc_rule *const *rules, size_t n_rules,
                               xc_rule_result *results, uint32_t first, uint32_t end,
                               xc_flags *out)
{
    enum { MAX_JOBS = 16 };
    uint32_t n_hh = end - first;
    int jobs = ctx->jobs < 1 ? 1 : ctx->jobs > MAX_JOBS ? MAX_JOBS : ctx->jobs;
    if ((uint32_t)jobs > n_hh / 256 + 1)
        jobs = (int)(n_hh / 256 + 1);          /* small archives: one thread */
    hh_range g[MAX_JOBS];
    size_t *counts = calloc(4 * n_rules * (size_t)jobs + 1, sizeof *counts);
    if (!counts)
        return XC_ENOMEM;
    pthread_t tid[MAX_JOBS];
    bool started[MAX_JOBS] = {false};
    for (int j = 0; j < jobs; j++) {
        g[j] = (hh_range){ctx, rule_ctx, rules, n_rules, results,
                          first + (uint32_t)((uint64_t)n_hh * (uint64_t)j / (uint64_t)jobs),
                          first + (uint32_t)((uint64_t)n_hh * (uint64_t)(j + 1) / (uint64_t)jobs),
                          {0}, counts + 4 * n_rules * (size_t)j,
                          counts + 4 * n_rules * (size_t)j + n_rules,
                          counts + 4 * n_rules * (size_t)j + 2 * n_rules,
                          counts + 4 * n_rules * (size_t)j + 3 * n_rules, XC_OK};
        if (j > 0)
            started[j] = pthread_create(&tid[j], NULL, evaluate_range, &g[j]) == 0;
    }
    evaluate_range(&g[0]);
    for (int j = 1; j < jobs; j++) {
        if (started[j])
            pthread_join(tid[j], NULL);
        else
            evaluate_range(&g[j]);             /* no thread: here, in order */
    }
    int rc = XC_OK;
    for (int j = 0; j < jobs; j++) {
        if (g[j].rc < 0 && rc == XC_OK)
            rc = g[j].rc;
        for (size_t i = 0; i < g[j].flags.n; i++) {
            xc_flag *fl = &g[j].flags.v[i];
            if (rc == XC_OK) {
                rc = xc_flags_add(out, fl);    /* takes texts and income over */
            } else {
                xc_flag_clear(fl);
            }
        }
        free(g[j].flags.v);
        for (size_t r = 0; r < n_rules; r++) {
            results[r].households += g[j].households[r];
            results[r].not_judged += g[j].not_judged[r];
            results[r].not_covered += g[j].not_covered[r];
            results[r].flags += g[j].flagged[r];
        }
    }
    free(counts);
    return rc;
}

/* The key of the person a flag concerns: its person's, else its subject. */
static uint64_t flag_key(const xc_eval_ctx *ctx, const xc_flag *f)
{
    return f->person != XC_NONE ? xc_archive_person(ctx->archive, f->person)->key : f->subject;
}

typedef struct keyed_flag {
    uint64_t key;
    size_t at;              /* its place as it came: the sort is stable */
} keyed_flag;

static int cmp_keyed(const void *x, const void *y)
{
    const keyed_flag *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->at > b->at) - (a->at < b->at);
}

/* Moves the flags of `from` to out, by the key of whom they concern. */
static int add_by_key(const xc_eval_ctx *ctx, xc_flags *from, xc_flags *out)
{
    int rc = XC_OK;
    keyed_flag *k = from->n ? malloc(from->n * sizeof *k) : NULL;
    if (from->n && !k)
        rc = XC_ENOMEM;
    for (size_t i = 0; k && i < from->n; i++)
        k[i] = (keyed_flag){flag_key(ctx, &from->v[i]), i};
    if (k)
        qsort(k, from->n, sizeof *k, cmp_keyed);
    for (size_t i = 0; i < from->n; i++) {
        xc_flag *fl = &from->v[k ? k[i].at : i];
        if (rc == XC_OK)
            rc = xc_flags_add(out, fl);        /* takes texts and income over */
        else
            xc_flag_clear(fl);
    }
    free(k);
    free(from->v);
    memset(from, 0, sizeof *from);
    return rc;
}

/* The rules over all facts, over the facts of rule_ctx (all of them, or a
 * window's), their flags added to all[r]. */
static int evaluate_all(xc_eval_ctx *rule_ctx, const xc_rule *const *rules, size_t n_rules,
                        xc_rule_result *results, xc_flags *all)
{
    for (size_t r = 0; r < n_rules; r++) {
        if (!results[r].evaluated || !rules[r]->evaluate_all)
            continue;
        size_t before = all[r].n, looked = 0, not_judged = 0;
        rule_ctx[r].not_covered = &results[r].not_covered;
        int rc = rules[r]->evaluate_all(&rule_ctx[r], &all[r], &looked, &not_judged);
        results[r].households += looked;
        results[r].not_judged += not_judged;
        results[r].flags += all[r].n - before;
        if (rc < 0)
            return rc;
    }
    return XC_OK;
}

int xc_evaluate(const xc_eval_ctx *ctx, xc_flags *out, xc_rule_result *results)
{
    return xc_evaluate_windows(ctx, NULL, out, results);
}

int xc_evaluate_windows(const xc_eval_ctx *ctx, const xc_eval_windows *w, xc_flags *out,
                        xc_rule_result *results)
{
    size_t n_rules;
    const xc_rule *const *rules = xc_rules(&n_rules);
    for (size_t r = 0; r < n_rules; r++) {
        xc_rule_result *res = &results[r];
        memset(res, 0, sizeof *res);
        res->rule = rules[r];
        res->evaluated = xc_rule_will_run(rules[r], ctx->configured, ctx->bound, res->why_not,
                                          sizeof res->why_not);
    }
    /* Each rule sees ctx with the state its prepare made. */
    xc_eval_ctx *rule_ctx = malloc(n_rules * sizeof *rule_ctx);
    void **state = calloc(n_rules, sizeof *state);
    xc_flags *all = calloc(n_rules, sizeof *all);
    int rc = rule_ctx && state && all ? XC_OK : XC_ENOMEM;
    for (size_t r = 0; r < n_rules && rc == XC_OK; r++) {
        rule_ctx[r] = *ctx;
        if (results[r].evaluated && rules[r]->prepare)
            rc = rules[r]->prepare(ctx, &state[r]);
        rule_ctx[r].state = state[r];
    }
    uint32_t n_hh = (uint32_t)xc_archive_households(ctx->archive);
    if (rc == XC_OK && !w) {
        rc = evaluate_households(ctx, rule_ctx, rules, n_rules, results, 0, n_hh, out);
    } else if (rc == XC_OK) {
        uint32_t next = 0;
        for (int i = 0; i < w->n && rc == XC_OK; i++) {
            const xc_facts *facts = NULL;
            uint32_t from = 0, to = 0;
            if ((rc = w->load(w->user, i, &facts, &from, &to)) < 0) {
                w->release(w->user, i);       /* what it loaded before failing */
                break;
            }
            if (from != next || to < from || to > n_hh) {
                rc = XC_EINTERNAL;
            } else {
                xc_eval_ctx in_window = *ctx;
                in_window.facts = facts;
                for (size_t r = 0; r < n_rules; r++)
                    rule_ctx[r].facts = facts;
                rc = evaluate_households(&in_window, rule_ctx, rules, n_rules, results, from,
                                         to, out);
                if (rc == XC_OK)
                    rc = evaluate_all(rule_ctx, rules, n_rules, results, all);
            }
            w->release(w->user, i);
            next = to;
        }
        if (rc == XC_OK && next != n_hh)
            rc = XC_EINTERNAL;
        for (size_t r = 0; r < n_rules; r++)
            rule_ctx[r].facts = ctx->facts;
    }
    if (rc == XC_OK)
        rc = evaluate_all(rule_ctx, rules, n_rules, results, all);
    for (size_t r = 0; all && r < n_rules; r++) {
        drop_outside(ctx, &all[r], &results[r].flags);
        int added = add_by_key(ctx, &all[r], out);
        if (rc == XC_OK)
            rc = added;
    }
    for (size_t r = 0; state && r < n_rules; r++)
        if (state[r])
            rules[r]->release(state[r]);
    free(all);
    free(state);
    free(rule_ctx);
    return rc < 0 ? rc : XC_OK;
}

const char *xc_group_name(xc_group g)
{
    static const char *names[] = {"total", "province", "city", "county", "level"};
    return names[g];
}

const char *xc_rate_result(const xc_rate_row *r)
{
    return !r->evaluated ? "not_evaluated" : !r->denominator ? "no_households"
         : !r->pass ? "fail" : !r->complete ? "incomplete" : "pass";
}

const char *xc_rate_result_zh(const xc_rate_row *r)
{
    return !r->evaluated ? "未评估" : !r->denominator ? "无适用户"
         : !r->pass ? "未达标" : !r->complete ? "数据不完整" : "达标";
}

bool xc_rate_uses_rule(xc_rate_id rate, const xc_rule *r)
{
    switch (rate) {
    case XC_RATE_MIS_ENROLLMENT:
        return r->category == XC_CAT_MIS_ENROLLMENT || r->split;
    case XC_RATE_MISSED_EXIT:
        return r->category == XC_CAT_MISSED_EXIT || r->split;
    case XC_RATE_WRONG_EXIT:
        return r->category == XC_CAT_WRONG_EXIT;
    case XC_RATE_MISSED_ENROLLMENT:
        return r->category == XC_CAT_MISSED_ENROLLMENT;
    case XC_RATE_PAIRING_COVERAGE:
    case XC_RATE_VISIT_COMPLIANCE:
        return (r->rates & XC_RATE_BIT(rate)) != 0;
    case XC_RATE_COUNT:
        break;
    }
    return false;
}

/* Per household: what it adds to each rate's numerator and denominator. */
typedef struct hh_marks {
    bool den[XC_RATE_COUNT];
    bool num[XC_RATE_COUNT];
    bool unpaired, visits_short;     /* flagged CT-UNPAIRED, CT-VISITS */
} hh_marks;

/* Whether flag f counts in rate: in its numerator, or for a coverage rate
 * against its household passing; m is the household's marks, NULL for a
 * flag about someone outside the archive (a candidate counts in missed
 * enrollment only). The numerators and the flags a verification kept out
 * are counted by this one test. */
static bool counts_in(xc_rate_id rate, const xc_flag *f, const hh_marks *m)
{
    if (!m)
        return rate == XC_RATE_MISSED_ENROLLMENT && f->category == XC_CAT_MISSED_ENROLLMENT;
    if (!m->den[rate])
        return false;
    switch (rate) {
    case XC_RATE_MIS_ENROLLMENT: return f->category == XC_CAT_MIS_ENROLLMENT;
    case XC_RATE_MISSED_EXIT: return f->category == XC_CAT_MISSED_EXIT;
    case XC_RATE_WRONG_EXIT: return f->category == XC_CAT_WRONG_EXIT;
    case XC_RATE_PAIRING_COVERAGE:
    case XC_RATE_VISIT_COMPLIANCE: return xc_rate_uses_rule(rate, f->rule);
    case XC_RATE_MISSED_ENROLLMENT:
    case XC_RATE_COUNT: break;
    }
    return false;
}

typedef struct tally {
    uint32_t code;
    uint64_t num[XC_RATE_COUNT], den[XC_RATE_COUNT], excluded[XC_RATE_COUNT];
} tally;

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* Adds one tally's counts into the rows of (group, code). */
static void emit(xc_rate_row *rows, size_t *n, xc_group g, const tally *t)
{
    for (int r = 0; r < XC_RATE_COUNT; r++) {
        if (g != XC_GROUP_TOTAL && t->den[r] == 0)
            continue;
        xc_rate_row *row = &rows[(*n)++];
        memset(row, 0, sizeof *row);
        row->rate = (xc_rate_id)r;
        row->group = g;
        row->code = t->code;
        row->numerator = t->num[r];
        row->denominator = t->den[r];
        row->excluded = t->excluded[r];
    }
}

/* Rolls the sorted county tallies up by `div` (100: cities, 10000:
 * provinces) into rows of group g. */
static void roll_up(const tally *county, size_t k, uint32_t div, xc_group g,
                    xc_rate_row *rows, size_t *n)
{
    for (size_t i = 0; i < k;) {
        tally t = {.code = county[i].code / div};
        for (; i < k && county[i].code / div == t.code; i++)
            for (int r = 0; r < XC_RATE_COUNT; r++) {
                t.num[r] += county[i].num[r];
                t.den[r] += county[i].den[r];
                t.excluded[r] += county[i].excluded[r];
            }
        emit(rows, n, g, &t);
    }
}

int xc_rates_compute(const xc_eval_ctx *ctx, const xc_flags *flags,
                     const xc_rule_result *results, xc_rate_row **ret, size_t *ret_n)
{
    size_t n_rules;
    xc_rules(&n_rules);
    bool evaluated[XC_RATE_COUNT] = {0}, complete[XC_RATE_COUNT];
    for (int r = 0; r < XC_RATE_COUNT; r++) {
        bool any_rule = false;
        complete[r] = true;
        for (size_t i = 0; i < n_rules; i++) {
            if (!xc_rate_uses_rule((xc_rate_id)r, results[i].rule))
                continue;
            any_rule = true;
            evaluated[r] |= results[i].evaluated;
            complete[r] &= results[i].evaluated;
        }
        complete[r] &= any_rule;
    }
    size_t n_hh = xc_archive_households(ctx->archive);
    hh_marks *marks = calloc(n_hh ? n_hh : 1, sizeof *marks);
    if (!marks)
        return XC_ENOMEM;
    for (uint32_t h = 0; h < n_hh; h++) {
        if (outside(ctx, h))
            continue;                       /* in no denominator */
        const xc_household *hh = xc_archive_household(ctx->archive, h);
        bool in = xc_in_archive(hh, ctx->as_of);
        marks[h].den[XC_RATE_MIS_ENROLLMENT] = in;
        marks[h].den[XC_RATE_MISSED_EXIT] = in;
        marks[h].den[XC_RATE_PAIRING_COVERAGE] = in;
        marks[h].den[XC_RATE_VISIT_COMPLIANCE] = in;
        marks[h].den[XC_RATE_MISSED_ENROLLMENT] = in;
        marks[h].den[XC_RATE_WRONG_EXIT] = xc_exited(hh, ctx->as_of) &&
            hh->exited_on != XC_NO_DATE && hh->exited_on > ctx->audit_from;
    }
    size_t n_cand = 0;          /* flagged candidates: outside the households */
    for (size_t i = 0; i < flags->n; i++) {
        const xc_flag *f = &flags->v[i];
        if (f->household == XC_NONE) {
            n_cand += f->category == XC_CAT_MISSED_ENROLLMENT;
            continue;
        }
        if (xc_flag_excluded(f))
            continue;
        hh_marks *m = &marks[f->household];
        static const xc_rate_id shares[] = {XC_RATE_MIS_ENROLLMENT, XC_RATE_MISSED_EXIT,
                                            XC_RATE_WRONG_EXIT};
        for (size_t k = 0; k < sizeof shares / sizeof shares[0]; k++)
            m->num[shares[k]] |= counts_in(shares[k], f, m);
        m->unpaired |= counts_in(XC_RATE_PAIRING_COVERAGE, f, m);
        m->visits_short |= counts_in(XC_RATE_VISIT_COMPLIANCE, f, m);
    }
    /* Coverage rates count the households that pass. */
    for (uint32_t h = 0; h < n_hh; h++) {
        marks[h].num[XC_RATE_PAIRING_COVERAGE] = marks[h].den[XC_RATE_PAIRING_COVERAGE] &&
                                                 !marks[h].unpaired;
        marks[h].num[XC_RATE_VISIT_COMPLIANCE] = marks[h].den[XC_RATE_VISIT_COMPLIANCE] &&
                                                 !marks[h].visits_short;
    }
    /* Tally per county (distinct region codes, sorted), then roll up. */
    uint32_t *codes = malloc((n_hh + n_cand + 1) * sizeof *codes);
    size_t k = 0;
    if (!codes) {
        free(marks);
        return XC_ENOMEM;
    }
    for (uint32_t h = 0; h < n_hh; h++)
        if (!outside(ctx, h))
            codes[k++] = xc_archive_household(ctx->archive, h)->region;
    for (size_t i = 0; i < flags->n && k < n_hh + n_cand; i++)
        if (flags->v[i].household == XC_NONE &&
            flags->v[i].category == XC_CAT_MISSED_ENROLLMENT)
            codes[k++] = flags->v[i].region;   /* excluded or not: its county has rows */
    qsort(codes, k, sizeof *codes, cmp_u32);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (u == 0 || codes[u - 1] != codes[i])
            codes[u++] = codes[i];
    tally *county = calloc(u ? u : 1, sizeof *county), total = {0}, level[8] = {{0}};
    /* at most: every county, city and province row, totals and levels */
    xc_rate_row *rows = malloc((3 * u + 9) * XC_RATE_COUNT * sizeof *rows);
    if (!county || !rows) {
        free(marks);
        free(codes);
        free(county);
        free(rows);
        return XC_ENOMEM;
    }
    for (size_t i = 0; i < u; i++)
        county[i].code = codes[i];
    for (uint32_t h = 0; h < n_hh; h++) {
        if (outside(ctx, h))
            continue;
        const xc_household *hh = xc_archive_household(ctx->archive, h);
        const uint32_t *c = bsearch(&hh->region, codes, u, sizeof *codes, cmp_u32);
        tally *targets[] = {&county[c - codes], &total, &level[hh->level & 7]};
        for (size_t t = 0; t < 3; t++)
            for (int r = 0; r < XC_RATE_COUNT; r++) {
                targets[t]->den[r] += marks[h].den[r];
                targets[t]->num[r] += marks[h].num[r];
            }
    }
    /* A flagged candidate counts in missed enrollment where they live: in
     * the numerator and, with the archive's households, the denominator;
     * one whose flag a verification rejected, in neither. */
    for (size_t i = 0; i < flags->n; i++) {
        const xc_flag *f = &flags->v[i];
        if (f->household != XC_NONE || f->category != XC_CAT_MISSED_ENROLLMENT ||
            xc_flag_excluded(f))
            continue;
        const uint32_t *c = bsearch(&f->region, codes, u, sizeof *codes, cmp_u32);
        tally *targets[] = {&county[c - codes], &total};
        for (size_t t = 0; t < 2; t++) {
            targets[t]->num[XC_RATE_MISSED_ENROLLMENT]++;
            targets[t]->den[XC_RATE_MISSED_ENROLLMENT]++;
        }
    }
    /* The flags kept out, counted where they would have counted (the same
     * test as the numerators': 2026-12-03, a flag of a household in no
     * denominator of its category was counted too): with their household's
     * county and level, or a candidate's county. */
    for (size_t i = 0; i < flags->n; i++) {
        const xc_flag *f = &flags->v[i];
        if (!xc_flag_excluded(f))
            continue;
        const xc_household *hh = f->household == XC_NONE ? NULL
                               : xc_archive_household(ctx->archive, f->household);
        const hh_marks *m = hh ? &marks[f->household] : NULL;
        uint32_t region = hh ? hh->region : f->region;
        const uint32_t *c = bsearch(&region, codes, u, sizeof *codes, cmp_u32);
        if (!c)
            continue;                   /* outside the run's area */
        tally *targets[] = {&county[c - codes], &total, hh ? &level[hh->level & 7] : NULL};
        for (size_t t = 0; t < 3; t++)
            for (int r = 0; targets[t] && r < XC_RATE_COUNT; r++)
                targets[t]->excluded[r] += counts_in((xc_rate_id)r, f, m);
    }
    size_t n = 0;
    emit(rows, &n, XC_GROUP_TOTAL, &total);
    roll_up(county, u, 10000, XC_GROUP_PROVINCE, rows, &n);
    roll_up(county, u, 100, XC_GROUP_CITY, rows, &n);
    roll_up(county, u, 1, XC_GROUP_COUNTY, rows, &n);
    for (uint32_t l = 0; l < 8; l++) {
        level[l].code = l;
        emit(rows, &n, XC_GROUP_LEVEL, &level[l]);
    }
    free(marks);
    free(codes);
    free(county);
    for (size_t i = 0; i < n; i++) {
        xc_rate_row *row = &rows[i];
        row->evaluated = evaluated[row->rate];
        row->complete = complete[row->rate];
        row->threshold = ctx->profile->threshold[row->rate];
        double v = row->denominator ? (double)row->numerator / (double)row->denominator : 0;
        row->pass = xc_rate_is_max(row->rate) ? v <= row->threshold + 1e-12
                                              : v >= row->threshold - 1e-12;
    }
    *ret = rows;
    *ret_n = n;
    return XC_OK;
}
