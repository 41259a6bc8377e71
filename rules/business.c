/*
 * business.c - market-entity roles: BZ-ROLE.
 */
#include "flag.h"

static int bz_role(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);

/* [business]: which roles disqualify, for BZ-ROLE and CAND-ELIGIBLE. */
enum { P_ROLES, P_MIN_CAPITAL, N_PARAMS };
static const xc_param params[N_PARAMS] = {
    [P_ROLES] = {.section = "business", .key = "roles", .type = XC_PARAM_LIST,
        .ds = XC_DS_BUSINESS, .field = XC_BZ_ROLE, .def = "legal_rep, shareholder",
        .comment = "001 checks 工商 data (002 too: \"工商、住建、公安等部门数据比对\") but "
                   "names no roles; rules.md default."},
    [P_MIN_CAPITAL] = {.section = "business", .key = "min_capital", .type = XC_PARAM_MONEY,
        .def = "0",
        .comment = "No seed sets a capital floor; 0 = every active business counts (rules.md "
                   "default)."},
};

static const xc_rule xc_rule_bz_role = {
    .abi = XC_RULE_ABI, .id = "BZ-ROLE", .family = "business",
    .category = XC_CAT_MIS_ENROLLMENT, .split = true, .scope = XC_SCOPE_IN_ARCHIVE,
    .needs = XC_NEEDS(XC_DS_BUSINESS),
    .title_zh = "成员是存续企业的法定代表人或股东",
    .check_zh = "核实该成员是否仍为企业法定代表人或股东、企业是否在经营及其经营收入",
    .title = "member is legal representative or shareholder of an active business",
    .evaluate = bz_role,
};

/* The Chinese label of value v of the business field `field` ("股东"). */
static const char *bz_zh(int field, uint8_t v)
{
    const char *zh = xc_value_label_zh(XC_DS_BUSINESS, field, v);
    return zh ? zh : "";
}

static void describe(flag_builder *b, const void *fact)
{
    const xc_fact_business *x = fact;
    fb_say(b, "任%s企业%s的%s（%s成立",
           x->status == XC_BZ_STATUS_ACTIVE ? bz_zh(XC_BZ_STATUS, x->status) : "",
           x->credit_code ? x->credit_code : "", bz_zh(XC_BZ_ROLE, x->role),
           fb_date(x->established_on));
    if (x->capital >= 0)
        fb_say(b, "，注册资本%s元", fb_yuan(x->capital));
    if (x->status != XC_BZ_STATUS_ACTIVE && x->closed_on != XC_NO_DATE)
        fb_say(b, "，%s%s", fb_date(x->closed_on), bz_zh(XC_BZ_STATUS, x->status));
    fb_say(b, "）");
}

/* A business revoked or cancelled on a known date was still active before
 * it: on enrolled_on it may already have disqualified. */
bool fb_business_counts(const xc_profile *pf, const xc_fact_business *x)
{
    return (x->status == XC_BZ_STATUS_ACTIVE || x->closed_on != XC_NO_DATE) &&
           (xc_profile_set_of(pf, &params[P_ROLES]) & (1u << x->role)) &&
           (x->capital < 0 || x->capital >= xc_profile_money(pf, &params[P_MIN_CAPITAL]));
}

static int bz_role(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_profile *pf = ctx->profile;
    FOR_MEMBERS(ctx, h, p) {
        uint64_t key = xc_archive_person(ctx->archive, p)->key;
        size_t n;
        const xc_fact_business *bz = key ? xc_facts_find(ctx->facts, XC_DS_BUSINESS, key, &n)
                                         : NULL;
        asset_hit hits[64];
        size_t k = 0;
        for (size_t i = 0; bz && i < n && k < 64; i++)
            if (fb_business_counts(pf, &bz[i]))
                hits[k++] = (asset_hit){&bz[i], bz[i].established_on, bz[i].closed_on};
        int rc = fb_asset_flags(ctx, &xc_rule_bz_role, h, p, XC_DS_BUSINESS, hits, k, describe,
                                out);
        if (rc < 0)
            return rc;
    }
    return XC_OK;
}

const xc_family xc_family_business = {
    .abi = XC_RULE_ABI,
    .name = "business",
    .rules = (const xc_rule *const[]){&xc_rule_bz_role, NULL},
    .params = params,
    .n_params = N_PARAMS,
};
