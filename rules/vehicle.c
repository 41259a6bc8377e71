/*
 * vehicle.c - motor vehicles: VH-CAR.
 */
#include "flag.h"

static int vh_car(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);

/* [vehicle]: which vehicles disqualify, for VH-CAR and CAND-ELIGIBLE. */
enum { P_KINDS, P_MIN_PRICE, N_PARAMS };
static const xc_param params[N_PARAMS] = {
    [P_KINDS] = {.section = "vehicle", .key = "kinds", .type = XC_PARAM_LIST,
        .ds = XC_DS_VEHICLE, .field = XC_VH_KIND, .def = "car, truck",
        .comment = "001 checks 车辆 before archiving but names no kinds; rules.md default."},
    [P_MIN_PRICE] = {.section = "vehicle", .key = "min_price", .type = XC_PARAM_MONEY,
        .def = "0",
        .comment = "No seed sets a price floor; 0 = every such vehicle counts (rules.md "
                   "default)."},
};

static const xc_rule xc_rule_vh_car = {
    .abi = XC_RULE_ABI, .id = "VH-CAR", .family = "vehicle",
    .category = XC_CAT_MIS_ENROLLMENT, .split = true, .scope = XC_SCOPE_IN_ARCHIVE,
    .needs = XC_NEEDS(XC_DS_VEHICLE),
    .title_zh = "成员名下有登记在用的汽车",
    .check_zh = "核实家庭成员名下汽车是否仍在使用、车辆用途（营运或自用）及价值",
    .title = "member owns a registered car",
    .evaluate = vh_car,
};

static void describe(flag_builder *b, const void *fact)
{
    const xc_fact_vehicle *x = fact;
    const char *kind = xc_value_label_zh(XC_DS_VEHICLE, XC_VH_KIND, x->kind);
    fb_say(b, "名下%s%s（%s登记", kind ? kind : "车辆",
           x->plate ? x->plate : "", fb_date(x->registered_on));
    if (x->price >= 0)
        fb_say(b, "，购置价%s元", fb_yuan(x->price));
    fb_say(b, "）");
}

bool fb_vehicle_counts(const xc_profile *pf, const xc_fact_vehicle *x)
{
    return (xc_profile_set_of(pf, &params[P_KINDS]) & (1u << x->kind)) &&
           (x->price < 0 || x->price >= xc_profile_money(pf, &params[P_MIN_PRICE]));
}

static int vh_car(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_profile *pf = ctx->profile;
    FOR_MEMBERS(ctx, h, p) {
        uint64_t key = xc_archive_person(ctx->archive, p)->key;
        size_t n;
        const xc_fact_vehicle *v = key ? xc_facts_find(ctx->facts, XC_DS_VEHICLE, key, &n)
                                       : NULL;
        asset_hit hits[64];
        size_t k = 0;
        for (size_t i = 0; v && i < n && k < 64; i++)
            if (fb_vehicle_counts(pf, &v[i]))
                hits[k++] = (asset_hit){&v[i], v[i].registered_on, v[i].deregistered_on};
        int rc = fb_asset_flags(ctx, &xc_rule_vh_car, h, p, XC_DS_VEHICLE, hits, k, describe, out);
        if (rc < 0)
            return rc;
    }
    return XC_OK;
}

const xc_family xc_family_vehicle = {
    .abi = XC_RULE_ABI,
    .name = "vehicle",
    .rules = (const xc_rule *const[]){&xc_rule_vh_car, NULL},
    .params = params,
    .n_params = N_PARAMS,
};
