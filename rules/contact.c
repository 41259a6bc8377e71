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

const xc_rule xc_rule_ct_unpaired = {
    XC_RULE_ABI, "CT-UNPAIRED", "contact", XC_CAT_PROCESS, false, XC_SCOPE_IN_ARCHIVE, 0,
    "在档困难职工家庭未落实结对帮扶干部", "household without a paired cadre", ct_unpaired, NULL,
    "household.cadre_id", NULL, NULL};
const xc_rule xc_rule_ct_visits = {
    XC_RULE_ABI, "CT-VISITS", "contact", XC_CAT_PROCESS, false, XC_SCOPE_IN_ARCHIVE,
    XC_NEEDS(XC_DS_CONTACT), "走访联系次数未达到规定频次", "fewer contacts than the schedule",
    ct_visits, NULL, NULL, NULL, NULL};

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
    xc_date ws = xc_date_add_months(ctx->as_of, -ctx->profile->window_months) + 1;
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
    int judged = check_duty(ctx, hh, c, n, KIND_VISIT, pf->visit_period_months,
                            pf->visits_per_period, s, &n_short);
    if (pf->calls_per_period > 0)
        judged += check_duty(ctx, hh, c, n, KIND_PHONE, pf->call_period_months,
                             pf->calls_per_period, s, &n_short);
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
    fb_say(&b, "（近%d个月内的完整周期）", pf->window_months);
    for (size_t i = 0; i < n; i++)
        if (c[i].date >= from && c[i].date <= to)
            fb_row(&b, XC_DS_CONTACT, &c[i]);
    return fb_end(&b, out);
}
