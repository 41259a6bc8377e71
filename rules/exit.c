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
#include "flag.h"
#include "xcheck/calendar.h"

static int ex_publicity(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int ex_notice(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int ex_followup(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);

const xc_rule xc_rule_ex_publicity = {
    XC_RULE_ABI, "EX-PUBLICITY", "exit", XC_CAT_PROCESS, false, XC_SCOPE_EXITED,
    XC_NEEDS(XC_DS_EXIT_RECORD), "退档公示不足规定工作日（或无公示记录）",
    "exit publicity shorter than required", ex_publicity, NULL, NULL, NULL, NULL};
const xc_rule xc_rule_ex_notice = {
    XC_RULE_ABI, "EX-NOTICE", "exit", XC_CAT_PROCESS, false, XC_SCOPE_EXITED,
    XC_NEEDS(XC_DS_EXIT_RECORD), "退档审批后未书面告知", "exit approved without a written notice",
    ex_notice, NULL, NULL, NULL, NULL};
const xc_rule xc_rule_ex_followup = {
    XC_RULE_ABI, "EX-FOLLOWUP", "exit", XC_CAT_PROCESS, false, XC_SCOPE_EXITED,
    XC_NEEDS(XC_DS_FOLLOWUP), "退档后未按期跟踪回访", "no follow-up after the exit", ex_followup,
    NULL, NULL, NULL, NULL};

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
    int need = ctx->profile->publicity_workdays;
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
    const xc_profile *pf = ctx->profile;
    if (!exit_audited(ctx, hh) ||
        xc_date_add_months(hh->exited_on, pf->followup_after_months) > ctx->as_of)
        return XC_OK;           /* not audited, or not old enough yet */
    xc_date due = xc_date_add_months(hh->exited_on, pf->followup_min_months);
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
           pf->followup_after_months, fb_date(due), pf->followup_min_months);
    if (last) {
        fb_say(&b, "，最近一次回访%s", fb_date(last->on));
        fb_row(&b, XC_DS_FOLLOWUP, last);
    } else {
        fb_say(&b, "，无回访记录");
    }
    return fb_end(&b, out);
}
