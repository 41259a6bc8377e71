/*
 * property.c - real estate: PR-COMMERCIAL, PR-MULTI.
 */
#include <stdlib.h>
#include <string.h>

#include "flag.h"

static int pr_commercial(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int pr_multi(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);

/* [property]: what disqualifies, for PR-* and CAND-ELIGIBLE. */
enum { P_RESIDENTIAL_MIN, P_COMMERCIAL_USAGES, N_PARAMS };
static const xc_param params[N_PARAMS] = {
    [P_RESIDENTIAL_MIN] = {.section = "property", .key = "residential_min",
        .type = XC_PARAM_INT, .min = 1, .max = 100, .def = "2",
        .comment = "001 checks 房产 before archiving but sets no count; rules.md default."},
    [P_COMMERCIAL_USAGES] = {.section = "property", .key = "commercial_usages",
        .type = XC_PARAM_LIST, .ds = XC_DS_PROPERTY, .field = XC_PR_USAGE,
        .def = "commercial, industrial",
        .comment = "No seed names the usages that disqualify; rules.md default."},
};

static const xc_rule xc_rule_pr_commercial = {
    .abi = XC_RULE_ABI, .id = "PR-COMMERCIAL", .family = "property",
    .category = XC_CAT_MIS_ENROLLMENT, .split = true, .scope = XC_SCOPE_IN_ARCHIVE,
    .needs = XC_NEEDS(XC_DS_PROPERTY),
    .title_zh = "成员持有商业或工业房产",
    .check_zh = "核实该商业或工业房产是否仍归家庭成员所有、是否出租或经营及其收入",
    .title = "member holds commercial or industrial property",
    .evaluate = pr_commercial,
};
static const xc_rule xc_rule_pr_multi = {
    .abi = XC_RULE_ABI, .id = "PR-MULTI", .family = "property",
    .category = XC_CAT_MIS_ENROLLMENT, .split = true, .scope = XC_SCOPE_IN_ARCHIVE,
    .needs = XC_NEEDS(XC_DS_PROPERTY),
    .title_zh = "家庭持有多套住宅",
    .check_zh = "核实家庭实际拥有的住房套数及用途，多余住房是否出租及其收入",
    .title = "household holds several homes",
    .evaluate = pr_multi,
};

enum { MAX_HITS = 64 };

static void describe(flag_builder *b, const void *fact)
{
    const xc_fact_property *x = fact;
    const char *usage = xc_value_label_zh(XC_DS_PROPERTY, XC_PR_USAGE, x->usage);
    fb_say(b, "持有%s房产%s（%s登记%s%s）", usage ? usage : "", x->cert_no ? x->cert_no : "",
           fb_date(x->registered_on), x->cancelled_on == XC_NO_DATE ? "" : "，",
           x->cancelled_on == XC_NO_DATE ? "" : fb_date(x->cancelled_on));
}

static int pr_commercial(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    FOR_MEMBERS(ctx, h, p) {
        uint64_t key = xc_archive_person(ctx->archive, p)->key;
        size_t n;
        const xc_fact_property *pr = key ? xc_facts_find(ctx->facts, XC_DS_PROPERTY, key, &n)
                                         : NULL;
        asset_hit hits[MAX_HITS];
        size_t k = 0;
        for (size_t i = 0; pr && i < n && k < MAX_HITS; i++)
            if (fb_property_counts(ctx->profile, &pr[i]))
                hits[k++] = (asset_hit){&pr[i], pr[i].registered_on, pr[i].cancelled_on};
        int rc = fb_asset_flags(ctx, &xc_rule_pr_commercial, h, p, XC_DS_PROPERTY, hits, k,
                                describe, out);
        if (rc < 0)
            return rc;
    }
    return XC_OK;
}

bool fb_property_counts(const xc_profile *pf, const xc_fact_property *x)
{
    return xc_profile_set_of(pf, &params[P_COMMERCIAL_USAGES]) & (1u << x->usage);
}

int fb_residential_min(const xc_profile *pf)
{
    return xc_profile_int(pf, &params[P_RESIDENTIAL_MIN]);
}

/* A certificate counts once; rows without one are the same property when
 * registered the same day, in the same place, with the same area. */
bool fb_same_property(const xc_fact_property *a, const xc_fact_property *b)
{
    if (a->cert_no && b->cert_no)
        return strcmp(a->cert_no, b->cert_no) == 0;
    return !a->cert_no && !b->cert_no && a->registered_on == b->registered_on &&
           a->region == b->region && a->area_m2 == b->area_m2;
}

static int cmp_registered(const void *x, const void *y)
{
    const xc_fact_property *a = *(const xc_fact_property *const *)x;
    const xc_fact_property *b = *(const xc_fact_property *const *)y;
    return (a->registered_on > b->registered_on) - (a->registered_on < b->registered_on);
}

/* Distinct residential properties of the household held on day d, sorted by
 * registration date. */
static size_t held_homes(const xc_eval_ctx *ctx, uint32_t h, xc_date d,
                         const xc_fact_property **ret)
{
    size_t k = 0;
    FOR_MEMBERS(ctx, h, p) {
        uint64_t key = xc_archive_person(ctx->archive, p)->key;
        size_t n;
        const xc_fact_property *pr = key ? xc_facts_find(ctx->facts, XC_DS_PROPERTY, key, &n)
                                         : NULL;
        for (size_t i = 0; pr && i < n && k < MAX_HITS; i++) {
            if (pr[i].usage != XC_PR_USAGE_RESIDENTIAL ||
                !xc_held_on(pr[i].registered_on, pr[i].cancelled_on, d))
                continue;
            bool dup = false;
            for (size_t j = 0; j < k && !dup; j++)
                dup = fb_same_property(ret[j], &pr[i]);
            if (!dup)
                ret[k++] = &pr[i];
        }
    }
    qsort(ret, k, sizeof *ret, cmp_registered);
    return k;
}

static int pr_multi(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    int min = fb_residential_min(ctx->profile);
    const xc_fact_property *homes[MAX_HITS];
    xc_category cat = XC_CAT_MIS_ENROLLMENT;
    size_t k = held_homes(ctx, h, hh->enrolled_on, homes);
    if (k < (size_t)min) {
        cat = XC_CAT_MISSED_EXIT;
        k = held_homes(ctx, h, ctx->as_of, homes);
        if (k < (size_t)min)
            return XC_OK;
    }
    /* The condition started when the min-th home was registered. */
    flag_builder b;
    fb_begin(&b, ctx, &xc_rule_pr_multi, h, XC_NONE, cat, homes[min - 1]->registered_on,
             XC_NO_DATE);
    fb_say(&b, "家庭%s持有%zu套住宅（不少于%d套即不符）：", cat == XC_CAT_MIS_ENROLLMENT
           ? "建档时已" : "建档后", k, min);
    for (size_t i = 0; i < k; i++) {
        fb_say(&b, "%s%s（%s登记）", i ? "、" : "", homes[i]->cert_no ? homes[i]->cert_no : "无证号",
               fb_date(homes[i]->registered_on));
        fb_row(&b, XC_DS_PROPERTY, homes[i]);
    }
    return fb_end(&b, out);
}

const xc_family xc_family_property = {
    .abi = XC_RULE_ABI,
    .name = "property",
    .rules = (const xc_rule *const[]){&xc_rule_pr_commercial, &xc_rule_pr_multi, NULL},
    .params = params,
    .n_params = N_PARAMS,
};
