/*
 * vehicle.c - motor vehicles: VH-CAR.
 */
#include "flag.h"

static int vh_car(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);

const xc_rule xc_rule_vh_car = {
    XC_RULE_ABI, "VH-CAR", "vehicle", XC_CAT_MIS_ENROLLMENT, true, XC_SCOPE_IN_ARCHIVE,
    XC_NEEDS(XC_DS_VEHICLE), "成员名下有登记在用的汽车", "member owns a registered car", vh_car, NULL, NULL,
    NULL, NULL};

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
    return (pf->vehicle_kinds & (1u << x->kind)) &&
           (x->price < 0 || x->price >= pf->vehicle_min_price);
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
