/*
 * candidate.c - missed enrollments (漏评): CAND-ELIGIBLE.
 *
 * Candidates come from lists such as the minimum-living recipients or
 * low-wage union members. A candidate is flagged when they are in no
 * household of the archive that is in the archive on as_of, their own
 * income was below the local standard (x factor) in each of the last N
 * months, and they hold no asset or role that disqualifies an archived
 * household (the property, vehicle and business conditions of the profile,
 * as held on as_of). Asset datasets that are not configured cannot
 * disqualify: the evidence says which were looked at. A month without a
 * standard for the candidate's region leaves them not judged.
 */

#include "flag.h"
#include "xcheck/plugin/income.h"

static int cand_eligible(const xc_eval_ctx *ctx, xc_flags *out, size_t *looked,
                         size_t *not_judged);

/* [candidate]: the income test; the asset tests are property's, vehicle's
 * and business's. */
enum { P_INCOME_MONTHS, P_INCOME_FACTOR, N_PARAMS };
static const xc_param params[N_PARAMS] = {
    [P_INCOME_MONTHS] = {.section = "candidate", .key = "income_months", .type = XC_PARAM_INT,
        .min = 1, .max = 24, .def = "3",
        .comment = "No seed sets how many months a candidate's income is examined; rules.md "
                   "default (CAND-ELIGIBLE), the same 3 months as enroll_months."},
    [P_INCOME_FACTOR] = {.section = "candidate", .key = "income_factor",
        .type = XC_PARAM_NUMBER, .def = "1.0",
        .comment = "No seed sets a factor; 1.0 = the local 低保 standard itself (rules.md "
                   "default, as enroll_factor)."},
};

static const xc_rule xc_rule_cand_eligible = {
    .abi = XC_RULE_ABI, .id = "CAND-ELIGIBLE", .family = "candidate",
    .category = XC_CAT_MISSED_ENROLLMENT, .scope = XC_SCOPE_IN_ARCHIVE,
    .needs = XC_NEEDS(XC_DS_CANDIDATE) | XC_NEEDS(XC_DS_SOCIAL_INSURANCE) | XC_NEEDS(XC_DS_DIBAO_STANDARD),
    .title_zh = "符合建档条件但未建档（疑似漏评）",
    .title = "eligible candidate not in the archive",
    .evaluate_all = cand_eligible,
};

enum { MAX_MONTHS = 24 };

/* True when pr[i] is a property of an earlier row: the same home exported
 * twice counts once. */
static bool listed_before(const xc_fact_property *pr, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (fb_same_property(&pr[j], &pr[i]))
            return true;
    return false;
}

/* The first fact that disqualifies key on as_of, with its dataset, or NULL. */
static const void *disqualified(const xc_eval_ctx *ctx, uint64_t key, xc_ds_id *ret_ds)
{
    const xc_profile *pf = ctx->profile;
    size_t n;
    const xc_fact_property *pr = xc_facts_find(ctx->facts, XC_DS_PROPERTY, key, &n);
    size_t homes = 0;
    for (size_t i = 0; pr && i < n; i++) {
        if (!xc_held_on(pr[i].registered_on, pr[i].cancelled_on, ctx->as_of))
            continue;
        homes += pr[i].usage == XC_PR_USAGE_RESIDENTIAL && !listed_before(pr, i);
        if (fb_property_counts(pf, &pr[i]) ||
            (pr[i].usage == XC_PR_USAGE_RESIDENTIAL && homes >= (size_t)fb_residential_min(pf))) {
            *ret_ds = XC_DS_PROPERTY;
            return &pr[i];
        }
    }
    const xc_fact_vehicle *v = xc_facts_find(ctx->facts, XC_DS_VEHICLE, key, &n);
    for (size_t i = 0; v && i < n; i++)
        if (fb_vehicle_counts(pf, &v[i]) &&
            xc_held_on(v[i].registered_on, v[i].deregistered_on, ctx->as_of)) {
            *ret_ds = XC_DS_VEHICLE;
            return &v[i];
        }
    const xc_fact_business *bz = xc_facts_find(ctx->facts, XC_DS_BUSINESS, key, &n);
    for (size_t i = 0; bz && i < n; i++)
        if (fb_business_counts(pf, &bz[i]) &&
            xc_held_on(bz[i].established_on, bz[i].closed_on, ctx->as_of)) {
            *ret_ds = XC_DS_BUSINESS;
            return &bz[i];
        }
    return NULL;
}

/* The candidate's own income and standard for each of the last n months;
 * false when a month has no standard or lies outside what social insurance
 * covers: it cannot be judged. */
static bool own_income(const xc_eval_ctx *ctx, uint64_t key, uint32_t region, int n,
                       int64_t income[], int64_t standard[])
{
    for (int i = 0; i < n; i++)
        if (!xc_income_covered(ctx, ctx->last_month - n + 1 + i)) {
            if (ctx->not_covered)
                (*ctx->not_covered)++;
            return false;
        }
    xc_month from = ctx->last_month - n + 1;
    for (int i = 0; i < n; i++) {
        const xc_fact_standard *s = xc_standard_for(ctx->standards, region, from + i);
        if (!s || !xc_income_covered(ctx, from + i))
            return false;
        standard[i] = s->amount;
        income[i] = 0;
    }
    xc_facts_income(ctx->facts, key, from, ctx->last_month, income);
    return true;
}

static int judge(const xc_eval_ctx *ctx, const xc_fact_candidate *c, size_t rows,
                 xc_flags *out, size_t *not_judged)
{
    const xc_profile *pf = ctx->profile;
    int months = xc_profile_int(pf, &params[P_INCOME_MONTHS]);
    double factor = xc_profile_number(pf, &params[P_INCOME_FACTOR]);
    int n = months < MAX_MONTHS ? months : MAX_MONTHS;
    int64_t income[MAX_MONTHS], standard[MAX_MONTHS];
    uint64_t key = c->h.key;
    if (!own_income(ctx, key, c->region, n, income, standard)) {
        (*not_judged)++;
        return XC_OK;
    }
    for (int i = 0; i < n; i++)
        if (!((double)income[i] < (double)standard[i] * factor))
            return XC_OK;
    xc_ds_id ds;
    if (disqualified(ctx, key, &ds))
        return XC_OK;
    xc_month from = ctx->last_month - n + 1;
    flag_builder b;
    fb_begin_subject(&b, ctx, &xc_rule_cand_eligible, key, c->name, c->region,
                     XC_CAT_MISSED_ENROLLMENT, xc_month_first_day(from),
                     xc_month_last_day(ctx->last_month));
    char id[19], masked[32];
    xc_id_unpack(key, id);
    fb_say(&b, "%s（%s，来源", c->name ? c->name : "", xc_id_mask(id, masked, sizeof masked));
    for (size_t i = 0; i < rows; i++) {
        fb_say(&b, "%s%s", i ? "、" : "", c[i].source);
        fb_row(&b, XC_DS_CANDIDATE, &c[i]);
    }
    fb_say(&b, "）未在档，最近%d个月本人收入均低于低保标准：", n);
    for (int i = 0; i < n; i++) {
        char m[8];
        fb_say(&b, "%s%s %s/%s", i ? "，" : "", xc_month_format(from + i, m), fb_yuan(income[i]),
               fb_yuan(standard[i]));
    }
    static const struct {
        xc_ds_id ds;
        const char *zh;
    } assets[] = {{XC_DS_PROPERTY, "房产"}, {XC_DS_VEHICLE, "车辆"}, {XC_DS_BUSINESS, "工商"}};
    int looked = 0;
    for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++)
        if (ctx->configured[assets[i].ds])
            fb_say(&b, "%s%s", looked++ ? "、" : "；未见不符合条件的", assets[i].zh);
    fb_say(&b, looked ? "登记" : "；未核对房产、车辆、工商登记");
    return fb_end(&b, out);
}

/* The datasets whose rows about a candidate decide: a rejected one leaves
 * them unjudged (their income, or an asset that would disqualify them). */
#define READS (XC_NEEDS(XC_DS_SOCIAL_INSURANCE) | XC_NEEDS(XC_DS_PROPERTY) | \
               XC_NEEDS(XC_DS_VEHICLE) | XC_NEEDS(XC_DS_BUSINESS))

static int cand_eligible(const xc_eval_ctx *ctx, xc_flags *out, size_t *looked,
                         size_t *not_judged)
{
    size_t n;
    const xc_fact_candidate *all = xc_facts_all(ctx->facts, XC_DS_CANDIDATE, &n);
    for (size_t i = 0; i < n;) {
        size_t end = i;                 /* one candidate on several lists */
        while (end < n && all[end].h.key == all[i].h.key)
            end++;
        (*looked)++;
        uint32_t any;
        /* 2026-12-02: someone of an archive row the run could not read may
         * well be archived: not judged, never "not in the archive". */
        if (fb_unknown_to_archive(ctx, all[i].h.key) ||
            (fb_rejected_rows(ctx, all[i].h.key) & READS)) {
            (*not_judged)++;
        } else if (fb_archived_on(ctx, all[i].h.key, ctx->as_of, &any) == XC_NONE) {
            int rc = judge(ctx, &all[i], end - i, out, not_judged);
            if (rc < 0)
                return rc;
        }
        i = end;
    }
    return XC_OK;
}

const xc_family xc_family_candidate = {
    .abi = XC_RULE_ABI,
    .name = "candidate",
    .rules = (const xc_rule *const[]){&xc_rule_cand_eligible, NULL},
    .params = params,
    .n_params = N_PARAMS,
};
