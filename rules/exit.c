/*
 * exit.c - the exit procedure: EX-PUBLICITY, EX-NOTICE, EX-FOLLOWUP.
 *
 * An exit (脱困退档) goes through application, collective review, public
 * notice of at least N working days, approval and a written notice to the
 * household, and the household is followed up for months after (seed 003).
 * The exits judged are those of the audit period, (audit_from, as_of], as
 * for EX-WRONG. A household's exit record is its last exit_record row.
 * Working days are Monday to Friday less the profile's holidays, plus its
 * adjusted working days (调休).
 */
#include <stdio.h>

#include "flag.h"
#include "xcheck/calendar.h"

static int ex_publicity(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int ex_notice(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int ex_followup(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);

/* [exit]: publicity, follow-up, and the calendar working days are counted by. */
enum { P_PUBLICITY, P_FOLLOWUP_AFTER, P_FOLLOWUP_MIN, P_HOLIDAYS, P_WORKDAYS, N_PARAMS };
static const xc_param params[N_PARAMS] = {
    [P_PUBLICITY] = {.section = "exit", .key = "publicity_workdays", .type = XC_PARAM_INT,
        .min = 0, .max = 60, .def = "5",
        .comment = "No seed but 003 sets the length of exit publicity; rules.md default, "
                   "003's \"公示时间不少于5个工作日\"; 0: no minimum."},
    [P_FOLLOWUP_AFTER] = {.section = "exit", .key = "followup_after_months",
        .type = XC_PARAM_INT, .min = 1, .max = 60, .def = "6",
        .comment = "No seed but 003 sets a follow-up; rules.md default, 003's \"帮扶联系人要"
                   "继续关注其家庭生活动态6个月以上,做好回访记录\"."},
    [P_FOLLOWUP_MIN] = {.section = "exit", .key = "followup_min_months", .type = XC_PARAM_INT,
        .min = 0, .max = 60, .def = "5",
        .comment = "No seed dates the follow-up; rules.md default: a follow-up dated at least "
                   "5 months after the exit shows the household was followed to near the end "
                   "of the 6 months."},
    [P_HOLIDAYS] = {.section = "exit", .key = "holidays", .type = XC_PARAM_HOLIDAYS,
        .def =
            "2024-01-01, 2024-02-10..2024-02-17, 2024-04-04..2024-04-06, 2024-05-01.."
            "2024-05-05, 2024-06-10, 2024-09-15..2024-09-17, 2024-10-01..2024-10-07\n"
            "2025-01-01, 2025-01-28..2025-02-04, 2025-04-04..2025-04-06, 2025-05-01.."
            "2025-05-05, 2025-05-31..2025-06-02, 2025-10-01..2025-10-08\n"
            "2026-01-01..2026-01-03, 2026-02-15..2026-02-23, 2026-04-04..2026-04-06, "
            "2026-05-01..2026-05-05, 2026-06-19..2026-06-21, 2026-09-25..2026-09-27, "
            "2026-10-01..2026-10-07",
        .comment = "The days off (放假) of the State Council General Office's yearly notices "
                   "国务院办公厅关于<year>年部分节假日安排的通知: 2024 国办发明电〔2023〕7号, "
                   "2025 国办发明电〔2024〕12号, 2026 the notice of 2025年11月4日; one line a "
                   "year. A day of another year is a working day when it is Monday to "
                   "Friday."},
    [P_WORKDAYS] = {.section = "exit", .key = "workdays", .type = XC_PARAM_WORKDAYS,
        .def =
            "2024-02-04, 2024-02-18, 2024-04-07, 2024-04-28, 2024-05-11, 2024-09-14, "
            "2024-09-29, 2024-10-12\n"
            "2025-01-26, 2025-02-08, 2025-04-27, 2025-09-28, 2025-10-11\n"
            "2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09, 2026-09-20, 2026-10-10",
        .comment = "The weekend days the same notices make working days (\"上班\")."},
};

static const xc_rule xc_rule_ex_publicity = {
    .abi = XC_RULE_ABI, .id = "EX-PUBLICITY", .family = "exit",
    .category = XC_CAT_PROCESS, .scope = XC_SCOPE_EXITED,
    .needs = XC_NEEDS(XC_DS_EXIT_RECORD),
    .title_zh = "退档公示不足规定工作日（或无公示记录）",
    .title = "exit publicity shorter than required",
    .evaluate = ex_publicity,
};
static const xc_rule xc_rule_ex_notice = {
    .abi = XC_RULE_ABI, .id = "EX-NOTICE", .family = "exit",
    .category = XC_CAT_PROCESS, .scope = XC_SCOPE_EXITED,
    .needs = XC_NEEDS(XC_DS_EXIT_RECORD),
    .title_zh = "退档审批后未书面告知",
    .title = "exit approved without a written notice",
    .evaluate = ex_notice,
};
static const xc_rule xc_rule_ex_followup = {
    .abi = XC_RULE_ABI, .id = "EX-FOLLOWUP", .family = "exit",
    .category = XC_CAT_PROCESS, .scope = XC_SCOPE_EXITED,
    .needs = XC_NEEDS(XC_DS_FOLLOWUP),
    .title_zh = "退档后未按期跟踪回访",
    .title = "no follow-up after the exit",
    .evaluate = ex_followup,
};

/* True when h exited inside the audit period. */
static bool exit_audited(const xc_eval_ctx *ctx, const xc_household *hh)
{
    return hh->exited_on != XC_NO_DATE && hh->exited_on > ctx->audit_from &&
           hh->exited_on <= ctx->as_of;
}

/* The household's exit record (its last row), or NULL. */
static const xc_fact_exit *exit_record(const xc_eval_ctx *ctx, uint32_t h)
{
    size_t n;
    const xc_fact_exit *r = xc_facts_find(ctx->facts, XC_DS_EXIT_RECORD, (uint64_t)h + 1, &n);
    return r ? &r[n - 1] : NULL;
}

static int ex_publicity(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    if (!exit_audited(ctx, hh))
        return XC_OK;
    const xc_fact_exit *r = exit_record(ctx, h);
    int need = xc_profile_int(ctx->profile, &params[P_PUBLICITY]);
    int days = -1;
    if (r && r->publicity_from != XC_NO_DATE && r->publicity_to != XC_NO_DATE) {
        days = xc_workdays_between(&ctx->profile->calendar, r->publicity_from, r->publicity_to);
        if (days >= need)
            return XC_OK;
    }
    flag_builder b;
    fb_begin(&b, ctx, &xc_rule_ex_publicity, h, XC_NONE, XC_CAT_PROCESS,
             r ? r->publicity_from : XC_NO_DATE, r ? r->publicity_to : XC_NO_DATE);
    fb_say(&b, "%s退档，", fb_date(hh->exited_on));
    if (!r)
        fb_say(&b, "无退档程序记录，未见公示");
    else if (days < 0)
        fb_say(&b, "退档程序记录未登记公示起止日期");
    else
        fb_say(&b, "公示%s至%s仅%d个工作日（应不少于%d个工作日）", fb_date(r->publicity_from),
               fb_date(r->publicity_to), days, need);
    if (r)
        fb_row(&b, XC_DS_EXIT_RECORD, r);
    return fb_end(&b, out);
}

static int ex_notice(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    if (!exit_audited(ctx, hh))
        return XC_OK;
    const xc_fact_exit *r = exit_record(ctx, h);
    if (!r)
        return XC_NOT_JUDGED;    /* no record: EX-PUBLICITY says so */
    if (r->approved_on == XC_NO_DATE || r->notified_on != XC_NO_DATE)
        return XC_OK;
    flag_builder b;
    fb_begin(&b, ctx, &xc_rule_ex_notice, h, XC_NONE, XC_CAT_PROCESS, r->approved_on,
             XC_NO_DATE);
    fb_say(&b, "%s审批退档（%s退档），未登记书面告知日期", fb_date(r->approved_on),
           fb_date(hh->exited_on));
    fb_row(&b, XC_DS_EXIT_RECORD, r);
    return fb_end(&b, out);
}

static int ex_followup(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    int after = xc_profile_int(ctx->profile, &params[P_FOLLOWUP_AFTER]);
    int min = xc_profile_int(ctx->profile, &params[P_FOLLOWUP_MIN]);
    if (!exit_audited(ctx, hh) || xc_date_add_months(hh->exited_on, after) > ctx->as_of)
        return XC_OK;           /* not audited, or not old enough yet */
    xc_date due = xc_date_add_months(hh->exited_on, min);
    size_t n;
    const xc_fact_followup *fu = xc_facts_find(ctx->facts, XC_DS_FOLLOWUP, (uint64_t)h + 1, &n);
    const xc_fact_followup *last = NULL;
    for (size_t i = 0; fu && i < n; i++) {
        if (fu[i].on >= due && fu[i].on <= ctx->as_of)
            return XC_OK;
        if (fu[i].on <= ctx->as_of && (!last || fu[i].on > last->on))
            last = &fu[i];
    }
    flag_builder b;
    fb_begin(&b, ctx, &xc_rule_ex_followup, h, XC_NONE, XC_CAT_PROCESS, hh->exited_on, due);
    fb_say(&b, "%s退档已满%d个月，未见%s（退档%d个月）以后的跟踪回访", fb_date(hh->exited_on),
           after, fb_date(due), min);
    if (last) {
        fb_say(&b, "，最近一次回访%s", fb_date(last->on));
        fb_row(&b, XC_DS_FOLLOWUP, last);
    } else {
        fb_say(&b, "，无回访记录");
    }
    return fb_end(&b, out);
}

static int check_params(const xc_profile *p, char *why, size_t whysz, const xc_param **ret_at)
{
    int min = xc_profile_int(p, &params[P_FOLLOWUP_MIN]);
    int after = xc_profile_int(p, &params[P_FOLLOWUP_AFTER]);
    if (min <= after)
        return XC_OK;
    snprintf(why, whysz, "[exit] followup_min_months: %d is more than followup_after_months "
             "(%d): no follow-up could be recorded in time", min, after);
    *ret_at = &params[P_FOLLOWUP_MIN];
    return XC_ECONFIG;
}

const xc_family xc_family_exit = {
    .abi = XC_RULE_ABI,
    .name = "exit",
    .rules = (const xc_rule *const[]){&xc_rule_ex_publicity, &xc_rule_ex_notice, &xc_rule_ex_followup,
                                      NULL},
    .params = params,
    .n_params = N_PARAMS,
    .check_params = check_params,
};
