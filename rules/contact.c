/*
 * contact.c - pairing and visits: CT-UNPAIRED, CT-VISITS.
 *
 * Every household in the archive is paired with a union cadre (seeds 000,
 * 002: 100% pairing) who keeps in touch on a schedule the profile sets: home
 * visits and phone contacts per calendar period (a month, a quarter, a
 * half-year). Only complete periods inside the profile's window (the last
 * 12 months by default) count, and of those only periods that began on or
 * after the household's enrolled_on: a household enrolled in May owes
 * nothing for the first half of the year. A household with no such period
 * cannot be judged yet.
 */
#include <stdio.h>
#include <string.h>

#include "flag.h"
#include "xcheck/calendar.h"

static int ct_unpaired(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int ct_visits(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);

/* [contact]: the schedule of CT-VISITS. */
enum { P_VISIT_PERIOD, P_VISITS, P_CALL_PERIOD, P_CALLS, P_WINDOW, N_PARAMS };
static const xc_param params[N_PARAMS] = {
    [P_VISIT_PERIOD] = {.section = "contact", .key = "visit_period_months",
        .type = XC_PARAM_PERIOD, .def = "6",
        .comment = "000: 每半年 (half-years: January-June, July-December). No seed binds "
                   "every province; the default takes the Yunnan schedule (000), the first "
                   "rules.md lists for CT-VISITS and the only seed setting both a visit and a "
                   "phone duty for the same period."},
    [P_VISITS] = {.section = "contact", .key = "visits_per_period", .type = XC_PARAM_INT,
        .min = 1, .max = 99, .def = "1", .comment = "000: 实地走访困难职工家庭不少于1次."},
    [P_CALL_PERIOD] = {.section = "contact", .key = "call_period_months",
        .type = XC_PARAM_PERIOD, .def = "6", .comment = "000: 每半年 ... 电话联系."},
    [P_CALLS] = {.section = "contact", .key = "calls_per_period", .type = XC_PARAM_INT,
        .min = 0, .max = 99, .def = "2",
        .comment = "000: 电话联系结对帮扶对象不少于2次; 0: no phone duty."},
    [P_WINDOW] = {.section = "contact", .key = "window_months", .type = XC_PARAM_INT,
        .min = 1, .max = 120, .def = "12",
        .comment = "rules.md (CT-VISITS): only complete periods inside the last 12 months "
                   "before as_of count; 12 months always hold one complete half-year."},
};

static const xc_rule xc_rule_ct_unpaired = {
    .abi = XC_RULE_ABI, .id = "CT-UNPAIRED", .family = "contact",
    .category = XC_CAT_PROCESS, .scope = XC_SCOPE_IN_ARCHIVE,
    .title_zh = "在档困难职工家庭未落实结对帮扶干部",
    .title = "household without a paired cadre",
    .rates = XC_RATE_BIT(XC_RATE_PAIRING_COVERAGE),
    .evaluate = ct_unpaired,
    .needs_field = &(const xc_field_ref){XC_DS_HOUSEHOLD, XC_HH_CADRE_ID},
};
static const xc_rule xc_rule_ct_visits = {
    .abi = XC_RULE_ABI, .id = "CT-VISITS", .family = "contact",
    .category = XC_CAT_PROCESS, .scope = XC_SCOPE_IN_ARCHIVE,
    .needs = XC_NEEDS(XC_DS_CONTACT),
    .title_zh = "走访联系次数未达到规定频次",
    .title = "fewer contacts than the schedule",
    .rates = XC_RATE_BIT(XC_RATE_VISIT_COMPLIANCE),
    .evaluate = ct_visits,
};

/* The duties, by contact.kind; window_months <= 120. */
enum { KIND_VISIT = XC_CT_KIND_HOME_VISIT, KIND_PHONE = XC_CT_KIND_PHONE, MAX_PERIODS = 128 };

static int ct_unpaired(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    if (hh->cadre_id && hh->cadre_id[strspn(hh->cadre_id, " \t")])
        return XC_OK;
    flag_builder b;
    fb_begin(&b, ctx, &xc_rule_ct_unpaired, h, XC_NONE, XC_CAT_PROCESS, hh->enrolled_on,
             XC_NO_DATE);
    fb_say(&b, "在档家庭（%s建档）未登记结对帮扶干部", fb_date(hh->enrolled_on));
    fb_household_row(&b, h);
    return fb_end(&b, out);
}

/* "2025年上半年", "2025年第2季度", "2025年3月", "2025年", or the dates. */
static void period_name(xc_date start, xc_date end, int months, char *buf, size_t bufsz)
{
    int y, m, d;
    xc_date_to_ymd(start, &y, &m, &d);
    switch (months) {
    case 12: snprintf(buf, bufsz, "%d年", y); break;
    case 6: snprintf(buf, bufsz, "%d年%s半年", y, m == 1 ? "上" : "下"); break;
    case 3: snprintf(buf, bufsz, "%d年第%d季度", y, (m + 2) / 3); break;
    case 1: snprintf(buf, bufsz, "%d年%d月", y, m); break;
    default: {
        char a[11], b[11];
        snprintf(buf, bufsz, "%s至%s", xc_date_format(start, a), xc_date_format(end, b));
    }
    }
}

/* Contacts of kind in [from, to] among the household's. */
static int count_in(const xc_fact_contact *c, size_t n, int kind, xc_date from, xc_date to)
{
    int k = 0;
    for (size_t i = 0; i < n; i++)
        k += c[i].kind == kind && c[i].date >= from && c[i].date <= to;
    return k;
}

/* A complete period with fewer contacts of a kind than required. */
typedef struct shortfall {
    xc_date start, end;
    int months, kind, got, need;
} shortfall;

/* Checks one duty (kind, per `months`, `need` each), adding the short
 * periods to s[*n_short]. Returns the number of periods judged. */
static int check_duty(const xc_eval_ctx *ctx, const xc_household *hh, const xc_fact_contact *c,
                      size_t n, int kind, int months, int need, shortfall *s, int *n_short)
{
    xc_date starts[MAX_PERIODS], ends[MAX_PERIODS];
    xc_date ws = xc_date_add_months(ctx->as_of, -xc_profile_int(ctx->profile,
                                                                &params[P_WINDOW])) + 1;
    if (hh->enrolled_on > ws)
        ws = hh->enrolled_on;
    int np = xc_complete_periods(ws, ctx->as_of, months, starts, ends, MAX_PERIODS);
    if (np > MAX_PERIODS)
        np = MAX_PERIODS;
    for (int i = 0; i < np; i++) {
        int got = count_in(c, n, kind, starts[i], ends[i]);
        if (got < need && *n_short < MAX_PERIODS)
            s[(*n_short)++] = (shortfall){starts[i], ends[i], months, kind, got, need};
    }
    return np;
}

static int ct_visits(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    const xc_profile *pf = ctx->profile;
    size_t n = 0;
    const xc_fact_contact *c = xc_facts_find(ctx->facts, XC_DS_CONTACT, (uint64_t)h + 1, &n);
    shortfall s[MAX_PERIODS];
    int n_short = 0;
    int calls = xc_profile_int(pf, &params[P_CALLS]);
    int judged = check_duty(ctx, hh, c, n, KIND_VISIT, xc_profile_int(pf, &params[P_VISIT_PERIOD]),
                            xc_profile_int(pf, &params[P_VISITS]), s, &n_short);
    if (calls > 0)
        judged += check_duty(ctx, hh, c, n, KIND_PHONE, xc_profile_int(pf, &params[P_CALL_PERIOD]),
                             calls, s, &n_short);
    if (n_short == 0)
        return judged ? XC_OK : XC_NOT_JUDGED;
    xc_date from = s[0].start, to = s[0].end;
    for (int i = 1; i < n_short; i++) {
        from = s[i].start < from ? s[i].start : from;
        to = s[i].end > to ? s[i].end : to;
    }
    flag_builder b;
    fb_begin(&b, ctx, &xc_rule_ct_visits, h, XC_NONE, XC_CAT_PROCESS, from, to);
    for (int i = 0; i < n_short; i++) {
        char name[48];
        period_name(s[i].start, s[i].end, s[i].months, name, sizeof name);
        fb_say(&b, "%s%s%s%d次（应不少于%d次）", i ? "；" : "", name,
               xc_value_label_zh(XC_DS_CONTACT, XC_CT_KIND, s[i].kind), s[i].got, s[i].need);
    }
    fb_say(&b, "（近%d个月内的完整周期）", xc_profile_int(pf, &params[P_WINDOW]));
    for (size_t i = 0; i < n; i++)
        if (c[i].date >= from && c[i].date <= to)
            fb_row(&b, XC_DS_CONTACT, &c[i]);
    return fb_end(&b, out);
}

/* A window must hold a complete period wherever as_of falls: a period of P
 * months that ends the day after as_of leaves the one before it complete
 * only when the window reaches back 2P months. */
static int check_window(const xc_profile *p, int period_param, char *why, size_t whysz,
                        const xc_param **ret_at)
{
    int window = xc_profile_int(p, &params[P_WINDOW]);
    int period = xc_profile_int(p, &params[period_param]);
    if (window >= 2 * period)
        return XC_OK;
    snprintf(why, whysz, "[contact] window_months: %d months cannot always hold a complete "
             "period of %s = %d; give at least %d", window, params[period_param].key, period,
             2 * period);
    *ret_at = &params[P_WINDOW];
    return XC_ECONFIG;
}

static int check_params(const xc_profile *p, char *why, size_t whysz, const xc_param **ret_at)
{
    int rc = check_window(p, P_VISIT_PERIOD, why, whysz, ret_at);
    if (rc == XC_OK && xc_profile_int(p, &params[P_CALLS]) > 0)
        rc = check_window(p, P_CALL_PERIOD, why, whysz, ret_at);
    return rc;
}

const xc_family xc_family_contact = {
    .abi = XC_RULE_ABI,
    .name = "contact",
    .rules = (const xc_rule *const[]){&xc_rule_ct_unpaired, &xc_rule_ct_visits, NULL},
    .params = params,
    .n_params = N_PARAMS,
    .check_params = check_params,
};
