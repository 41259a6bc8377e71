/*
 * hukou.c - the worker's household registration: HK-DECEASED, HK-MOVED.
 */
#include "flag.h"
#include "xcheck/region.h"

static int hk_deceased(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int hk_moved(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);

static const xc_rule xc_rule_hk_deceased = {
    .abi = XC_RULE_ABI, .id = "HK-DECEASED", .family = "hukou",
    .category = XC_CAT_MIS_ENROLLMENT, .split = true, .scope = XC_SCOPE_IN_ARCHIVE,
    .needs = XC_NEEDS(XC_DS_HUKOU),
    .title_zh = "户主已死亡，档案未注销",
    .check_zh = "核实户主是否已死亡，查看死亡证明或户籍注销记录，了解家庭现有成员情况",
    .title = "worker deceased",
    .evaluate = hk_deceased,
};
static const xc_rule xc_rule_hk_moved = {
    .abi = XC_RULE_ABI, .id = "HK-MOVED", .family = "hukou",
    .category = XC_CAT_MISSED_EXIT, .scope = XC_SCOPE_IN_ARCHIVE,
    .needs = XC_NEEDS(XC_DS_HUKOU),
    .title_zh = "户主户籍已迁出或不在本省",
    .check_zh = "核实户主是否仍在本地居住、户籍是否已迁出，了解迁往何处",
    .title = "worker moved out of the province",
    .evaluate = hk_moved,
};

/* The worker: the `self` member with the household's worker ID, else the
 * first member with it. XC_NONE when none (an invalid worker ID). */
static uint32_t worker_of(const xc_eval_ctx *ctx, uint32_t h)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    uint32_t any = XC_NONE;
    FOR_MEMBERS(ctx, h, p) {
        const xc_person *m = xc_archive_person(ctx->archive, p);
        if (m->key && m->key == hh->worker_key) {
            if (m->relation == XC_MB_RELATION_SELF)
                return p;
            if (any == XC_NONE)
                any = p;
        }
    }
    return any;
}

static bool started_by(xc_date on, xc_date as_of)
{
    return on == XC_NO_DATE || on <= as_of;
}

static int hk_deceased(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    size_t n;
    const xc_fact_hukou *hk = hh->worker_key
        ? xc_facts_find(ctx->facts, XC_DS_HUKOU, hh->worker_key, &n) : NULL;
    for (size_t i = 0; hk && i < n; i++) {
        if (hk[i].status != XC_HK_STATUS_DECEASED || !started_by(hk[i].status_on, ctx->as_of))
            continue;
        xc_category cat = xc_split_category(hk[i].status_on, hh->enrolled_on);
        flag_builder b;
        fb_begin(&b, ctx, &xc_rule_hk_deceased, h, worker_of(ctx, h), cat, hk[i].status_on,
                 XC_NO_DATE);
        fb_say(&b, "户主%s户籍状态为死亡（%s）", hh->worker_name, fb_date(hk[i].status_on));
        fb_say(&b, cat == XC_CAT_MIS_ENROLLMENT ? "，早于建档日%s" : "，建档日%s后死亡，档案应注销",
               fb_date(hh->enrolled_on));
        fb_row(&b, XC_DS_HUKOU, &hk[i]);
        return fb_end(&b, out);
    }
    return XC_OK;
}

static int hk_moved(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    size_t n;
    const xc_fact_hukou *hk = hh->worker_key
        ? xc_facts_find(ctx->facts, XC_DS_HUKOU, hh->worker_key, &n) : NULL;
    for (size_t i = 0; hk && i < n; i++) {
        bool moved = hk[i].status == XC_HK_STATUS_MOVED_OUT && started_by(hk[i].status_on, ctx->as_of);
        bool elsewhere = hk[i].status == XC_HK_STATUS_NORMAL && hk[i].region &&
                         hk[i].region / 10000 != hh->region / 10000;
        if (!moved && !elsewhere)
            continue;
        flag_builder b;
        fb_begin(&b, ctx, &xc_rule_hk_moved, h, worker_of(ctx, h), XC_CAT_MISSED_EXIT,
                 moved ? hk[i].status_on : XC_NO_DATE, XC_NO_DATE);
        if (moved) {
            fb_say(&b, "户主%s户籍已迁出（%s）", hh->worker_name, fb_date(hk[i].status_on));
        } else {
            const char *name = xc_region_name(hk[i].region);
            fb_say(&b, "户主%s户籍登记在%s（%06u），不在建档地省份", hh->worker_name,
                   name ? name : "外省", hk[i].region);
        }
        fb_row(&b, XC_DS_HUKOU, &hk[i]);
        return fb_end(&b, out);
    }
    return XC_OK;
}

const xc_family xc_family_hukou = {
    .abi = XC_RULE_ABI,
    .name = "hukou",
    .rules = (const xc_rule *const[]){&xc_rule_hk_deceased, &xc_rule_hk_moved, NULL},
};
