/*
 * income.c - household income against the local minimum-living standard:
 * IN-ENROLL-HIGH, IN-EXIT-DUE, EX-WRONG, EX-RELAPSE.
 *
 * A month without a standard in force, or outside the months social
 * insurance covers, cannot be judged: a run of months that needs it is
 * broken there, no flag rests on it, and a household whose months cannot
 * give the run the rule needs is reported as not judged.
 */
#include <string.h>

#include "flag.h"

static int in_enroll_high(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int in_exit_due(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int ex_wrong(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int ex_relapse(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);

#define INCOME_NEEDS (XC_NEEDS(XC_DS_SOCIAL_INSURANCE) | XC_NEEDS(XC_DS_DIBAO_STANDARD))

/* [income]: how many months, against what multiple of the standard. */
enum { P_ENROLL_MONTHS, P_ENROLL_FACTOR, P_EXIT_MONTHS, P_WRONG_EXIT_MONTHS, P_RELAPSE_MONTHS,
       N_PARAMS };
static const xc_param params[N_PARAMS] = {
    [P_ENROLL_MONTHS] = {.section = "income", .key = "enroll_months", .type = XC_PARAM_INT,
        .min = 1, .max = 24, .def = "3",
        .comment = "No seed says how many months before enrolled_on are examined; rules.md "
                   "default."},
    [P_ENROLL_FACTOR] = {.section = "income", .key = "enroll_factor", .type = XC_PARAM_NUMBER,
        .def = "1.0",
        .comment = "No seed sets a factor; 1.0 = the local 低保 standard itself (rules.md "
                   "default)."},
    [P_EXIT_MONTHS] = {.section = "income", .key = "exit_months", .type = XC_PARAM_INT,
        .min = 1, .max = 36, .def = "6",
        .comment = "rules.md default, from 001: 脱困 = \"家庭人均收入连续６个月超过当地低保"
                   "标准\"."},
    [P_WRONG_EXIT_MONTHS] = {.section = "income", .key = "wrong_exit_months",
        .type = XC_PARAM_INT, .min = 1, .max = 36, .def = "6",
        .comment = "The same exit standard (001, 6 months) must precede every exit; rules.md "
                   "default."},
    [P_RELAPSE_MONTHS] = {.section = "income", .key = "relapse_months", .type = XC_PARAM_INT,
        .min = 1, .max = 24, .def = "3",
        .comment = "No seed sets a number of months for relapse (返困); rules.md default, the "
                   "same 3-month test as enrollment."},
};

static const xc_rule xc_rule_in_enroll_high = {
    .abi = XC_RULE_ABI, .id = "IN-ENROLL-HIGH", .family = "income",
    .category = XC_CAT_MIS_ENROLLMENT, .scope = XC_SCOPE_IN_ARCHIVE,
    .needs = INCOME_NEEDS,
    .title_zh = "建档前家庭人均收入高于低保标准",
    .check_zh = "核实建档时家庭成员的收入（工资、养老金等），建档时人均收入是否已高于低保标准",
    .title = "income above the standard before enrollment",
    .evaluate = in_enroll_high,
};
static const xc_rule xc_rule_in_exit_due = {
    .abi = XC_RULE_ABI, .id = "IN-EXIT-DUE", .family = "income",
    .category = XC_CAT_MISSED_EXIT, .scope = XC_SCOPE_IN_ARCHIVE,
    .needs = INCOME_NEEDS,
    .title_zh = "家庭人均收入连续超过低保标准，应脱困未退档",
    .check_zh = "核实家庭成员近期收入（工资、养老金）是否已高于低保标准",
    .title = "income above the standard for consecutive months: exit due",
    .evaluate = in_exit_due,
};
static const xc_rule xc_rule_ex_wrong = {
    .abi = XC_RULE_ABI, .id = "EX-WRONG", .family = "income",
    .category = XC_CAT_WRONG_EXIT, .scope = XC_SCOPE_EXITED,
    .needs = INCOME_NEEDS,
    .title_zh = "退档前未达到连续超过低保标准",
    .check_zh = "核实退档前后家庭收入是否确已稳定高于低保标准，是否仍有困难",
    .title = "exit without the months above the standard",
    .evaluate = ex_wrong,
};
static const xc_rule xc_rule_ex_relapse = {
    .abi = XC_RULE_ABI, .id = "EX-RELAPSE", .family = "income",
    .category = XC_CAT_RELAPSE, .scope = XC_SCOPE_EXITED,
    .needs = INCOME_NEEDS,
    .title_zh = "脱困后收入再次低于低保标准（返困）",
    .check_zh = "核实家庭目前收入是否低于低保标准、是否因病因灾等再次陷入困难",
    .title = "income back below the standard after exit",
    .evaluate = ex_relapse,
};

enum { MAX_MONTHS = 240 };

/* Every month is covered and has a standard, and the household someone to
 * divide by: a household without member rows has no per-capita income to
 * judge. */
static bool all_known(const xc_month_income *mi, int n)
{
    for (int i = 0; i < n; i++)
        if (!xc_month_known(&mi[i]))
            return false;
    return n > 0;
}

static const char *month_str(xc_month m)
{
    static _Thread_local char ring[8][8];
    static _Thread_local int next;
    return xc_month_format(m, ring[next++ & 7]);
}

/* What a rule returns when the months it needs cannot all be judged:
 * XC_NOT_COVERED when social insurance does not cover one of them, else
 * XC_NOT_JUDGED (no standard, no member). */
static int not_judged(const xc_month_income *mi, int n)
{
    for (int i = 0; i < n; i++)
        if (!mi[i].covered)
            return XC_NOT_COVERED;
    return XC_NOT_JUDGED;
}

/* "2026-01 1650.00/850.00" per month into the summary. */
/* The months of mi, each with its per-capita income and the standard; a
 * list of more than SAY_ALL months gives its first and last SAY_ENDS and
 * how many lie between: every month is in the evidence (and the page's
 * income chart), and a summary is one cell of a sheet. */
enum { SAY_ALL = 8, SAY_ENDS = 3 };

static void say_months(flag_builder *b, const xc_month_income *mi, int n)
{
    for (int i = 0; i < n; i++) {
        if (n > SAY_ALL && i == SAY_ENDS) {
            fb_say(b, "……（其间%d个月从略，逐月明细见证据）", n - 2 * SAY_ENDS);
            i = n - SAY_ENDS - 1;
            continue;
        }
        if (!mi[i].covered) {
            fb_say(b, "%s%s社保未覆盖", i ? "，" : "", month_str(mi[i].month));
            continue;
        }
        fb_say(b, "%s%s人均%s/标准%s", i ? "，" : "", month_str(mi[i].month),
               fb_yuan(mi[i].members ? (mi[i].total + mi[i].members / 2) / mi[i].members : 0),
               mi[i].standard < 0 ? "无" : fb_yuan(mi[i].standard));
    }
}

/* "；社保数据未覆盖2023-01至2023-03（无法判断）" for the months of mi that
 * social insurance does not cover. */
static void say_uncovered(flag_builder *b, const xc_month_income *mi, int n)
{
    bool first = true;
    for (int i = 0; i < n; i++) {
        if (mi[i].covered)
            continue;
        int j = i;
        while (j + 1 < n && !mi[j + 1].covered)
            j++;
        fb_say(b, "%s%s", first ? "；社保数据未覆盖" : "、", month_str(mi[i].month));
        if (j > i)
            fb_say(b, "至%s", month_str(mi[j].month));
        first = false;
        i = j;
    }
    if (!first)
        fb_say(b, "（无法判断）");
}

static int in_enroll_high(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    int n = xc_profile_int(ctx->profile, &params[P_ENROLL_MONTHS]);
    double factor = xc_profile_number(ctx->profile, &params[P_ENROLL_FACTOR]);
    xc_month e = xc_date_month(hh->enrolled_on);
    xc_month_income mi[MAX_MONTHS];
    xc_household_income(ctx, h, e - n, e - 1, factor, mi);
    if (!all_known(mi, n))
        return not_judged(mi, n);
    for (int i = 0; i < n; i++)
        if (!mi[i].above)
            return XC_OK;
    flag_builder b;
    fb_begin(&b, ctx, &xc_rule_in_enroll_high, h, XC_NONE, XC_CAT_MIS_ENROLLMENT,
             xc_month_first_day(e - n), xc_month_last_day(e - 1));
    fb_say(&b, "建档（%s）前%d个月家庭人均月收入均高于低保标准", fb_date(hh->enrolled_on), n);
    if (factor != 1.0)
        fb_say(&b, "×%g", factor);
    fb_say(&b, "：");
    say_months(&b, mi, n);
    fb_months(&b, mi, n, factor);
    return fb_end(&b, out);
}

static int in_exit_due(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    int need = xc_profile_int(ctx->profile, &params[P_EXIT_MONTHS]);
    xc_month from = xc_date_month(hh->enrolled_on) + 1, to = ctx->last_month;
    if (to - from + 1 < need)
        return XC_OK;
    if (to - from + 1 > MAX_MONTHS)
        from = to - MAX_MONTHS + 1;
    int n = to - from + 1;
    xc_month_income mi[MAX_MONTHS];
    xc_household_income(ctx, h, from, to, 1.0, mi);
    /* Judged only when some stretch of months that can be judged is long
     * enough to hold the run. */
    int run = 0, start = -1, stretch = 0, longest = 0;
    for (int i = 0; i < n; i++) {
        bool known = xc_month_known(&mi[i]);
        stretch = known ? stretch + 1 : 0;
        if (stretch > longest)
            longest = stretch;
        run = known && mi[i].above ? run + 1 : 0;
        if (run == need) {
            start = i - need + 1;
            break;
        }
    }
    if (start < 0)
        return longest >= need ? XC_OK : not_judged(mi, n);
    int end = start + need - 1;
    while (end + 1 < n && xc_month_known(&mi[end + 1]) && mi[end + 1].above)
        end++;
    flag_builder b;
    fb_begin(&b, ctx, &xc_rule_in_exit_due, h, XC_NONE, XC_CAT_MISSED_EXIT,
             xc_month_first_day(mi[start].month), xc_month_last_day(mi[end].month));
    fb_say(&b, "建档（%s）后家庭人均月收入连续%d个月（%s至%s）高于低保标准，应脱困退档：",
           fb_date(hh->enrolled_on), end - start + 1, month_str(mi[start].month),
           month_str(mi[end].month));
    say_months(&b, mi + start, end - start + 1);
    say_uncovered(&b, mi, n);
    fb_months(&b, mi, n, 1.0);
    return fb_end(&b, out);
}

static int ex_wrong(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    if (hh->exited_on == XC_NO_DATE || hh->exited_on <= ctx->audit_from ||
        hh->exited_on > ctx->as_of)
        return XC_OK;
    int n = xc_profile_int(ctx->profile, &params[P_WRONG_EXIT_MONTHS]);
    xc_month x = xc_date_month(hh->exited_on);
    xc_month_income mi[MAX_MONTHS];
    xc_household_income(ctx, h, x - n, x - 1, 1.0, mi);
    if (!all_known(mi, n))
        return not_judged(mi, n);
    int above = 0;
    for (int i = 0; i < n; i++)
        above += mi[i].above;
    if (above == n)
        return XC_OK;
    flag_builder b;
    fb_begin(&b, ctx, &xc_rule_ex_wrong, h, XC_NONE, XC_CAT_WRONG_EXIT, hh->exited_on,
             XC_NO_DATE);
    /* 2026-12-02: "只有0个月" when none was above */
    if (above == 0)
        fb_say(&b, "%s退档，退档前%d个月家庭人均月收入均未高于低保标准：", fb_date(hh->exited_on), n);
    else
        fb_say(&b, "%s退档，退档前%d个月中只有%d个月家庭人均月收入高于低保标准：",
               fb_date(hh->exited_on), n, above);
    say_months(&b, mi, n);
    fb_months(&b, mi, n, 1.0);
    return fb_end(&b, out);
}

static int ex_relapse(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    int n = xc_profile_int(ctx->profile, &params[P_RELAPSE_MONTHS]);
    xc_month to = ctx->last_month, from = to - n + 1;
    if (hh->exited_on == XC_NO_DATE || xc_date_month(hh->exited_on) >= from)
        return XC_OK;
    xc_month_income mi[MAX_MONTHS];
    xc_household_income(ctx, h, from, to, 1.0, mi);
    if (!all_known(mi, n))
        return not_judged(mi, n);
    for (int i = 0; i < n; i++)
        if (!mi[i].below)
            return XC_OK;
    flag_builder b;
    fb_begin(&b, ctx, &xc_rule_ex_relapse, h, XC_NONE, XC_CAT_RELAPSE, xc_month_first_day(from),
             xc_month_last_day(to));
    fb_say(&b, "%s脱困退档后，最近%d个月家庭人均月收入均低于低保标准，应重新建档：",
           fb_date(hh->exited_on), n);
    say_months(&b, mi, n);
    fb_months(&b, mi, n, 1.0);
    return fb_end(&b, out);
}

const xc_family xc_family_income = {
    .abi = XC_RULE_ABI,
    .name = "income",
    .rules = (const xc_rule *const[]){&xc_rule_in_enroll_high, &xc_rule_in_exit_due, &xc_rule_ex_wrong,
                                      &xc_rule_ex_relapse, NULL},
    .params = params,
    .n_params = N_PARAMS,
};
