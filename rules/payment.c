/*
 * payment.c - the union's assistance funds: PAY-NOT-ARCHIVED,
 * PAY-MEDICAL-OVER, PAY-CHANNEL, and the paid amounts the report shows.
 *
 * Funds go only to archived people ("先建档、后帮扶、实名制"), onto their
 * social security card, and medical aid never above the person's own share
 * of the bill (seed 003). The payments judged are those of the audit period,
 * (audit_from, as_of]. The flags of one rule for one recipient are one flag
 * listing every payment concerned: a caseworker visits a person, not a row.
 */
#include <string.h>

#include "flag.h"
#include "xcheck/payments.h"

static int pay_not_archived(const xc_eval_ctx *ctx, xc_flags *out, size_t *looked,
                            size_t *not_judged);
static int pay_medical_over(const xc_eval_ctx *ctx, xc_flags *out, size_t *looked,
                            size_t *not_judged);
static int pay_channel(const xc_eval_ctx *ctx, xc_flags *out, size_t *looked,
                       size_t *not_judged);

#define PAY_NEEDS XC_NEEDS(XC_DS_PAYMENT)

static const xc_rule xc_rule_pay_not_archived = {
    .abi = XC_RULE_ABI, .id = "PAY-NOT-ARCHIVED", .family = "payment",
    .category = XC_CAT_PROCESS, .scope = XC_SCOPE_IN_ARCHIVE,
    .needs = PAY_NEEDS,
    .title_zh = "向发放日不在档的人员发放帮扶资金",
    .title = "payment to someone not archived on the day",
    .evaluate_all = pay_not_archived,
};
static const xc_rule xc_rule_pay_medical_over = {
    .abi = XC_RULE_ABI, .id = "PAY-MEDICAL-OVER", .family = "payment",
    .category = XC_CAT_PROCESS, .scope = XC_SCOPE_IN_ARCHIVE,
    .needs = PAY_NEEDS,
    .title_zh = "医疗救助金额超过个人负担部分",
    .title = "medical aid above the personal burden",
    .evaluate_all = pay_medical_over,
};
static const xc_rule xc_rule_pay_channel = {
    .abi = XC_RULE_ABI, .id = "PAY-CHANNEL", .family = "payment",
    .category = XC_CAT_PROCESS, .scope = XC_SCOPE_IN_ARCHIVE,
    .needs = PAY_NEEDS,
    .title_zh = "帮扶资金未发放到社会保障卡",
    .title = "payment not made to the social security card",
    .evaluate_all = pay_channel,
};

static const char *program_zh(uint8_t program)
{
    const char *zh = xc_value_label_zh(XC_DS_PAYMENT, XC_PM_PROGRAM, program);
    return zh ? zh : "其他";
}

static const char *channel_zh(uint8_t channel)
{
    const char *zh = xc_value_label_zh(XC_DS_PAYMENT, XC_PM_CHANNEL, channel);
    return zh ? zh : "其他";
}

static bool in_period(const xc_eval_ctx *ctx, const xc_fact_payment *p)
{
    return p->paid_on > ctx->audit_from && p->paid_on <= ctx->as_of;
}

static bool not_archived(const xc_eval_ctx *ctx, const xc_fact_payment *p)
{
    uint32_t any;
    return fb_archived_on(ctx, p->h.key, p->paid_on, &any) == XC_NONE;
}

/* 1 over, 0 not, -1 cannot tell (no personal burden given). */
static int medical_over(const xc_fact_payment *p)
{
    if (p->program != XC_PM_PROGRAM_MEDICAL)
        return 0;
    if (p->personal_burden < 0)
        return -1;
    return p->amount > p->personal_burden;
}

static bool off_card(const xc_fact_payment *p)
{
    return p->channel != XC_PM_CHANNEL_SOCIAL_SECURITY_CARD;
}

/* Starts the flag of one recipient: on their household when they are in
 * the archive's (the one in the archive on the first payment's day, else
 * their first), else on them alone. */
static void begin(flag_builder *b, const xc_eval_ctx *ctx, const xc_rule *r,
                  const xc_fact_payment *first, xc_date from, xc_date to)
{
    uint32_t any, p = fb_archived_on(ctx, first->h.key, first->paid_on, &any);
    if (p == XC_NONE)
        p = any;
    if (p != XC_NONE) {
        const xc_person *pp = xc_archive_person(ctx->archive, p);
        char masked[32];
        fb_begin(b, ctx, r, pp->household, p, XC_CAT_PROCESS, from, to);
        fb_say(b, "%s（%s）", pp->name, xc_archive_masked_id(ctx->archive, p, masked));
    } else {
        char id[19], masked[32];
        xc_id_unpack(first->h.key, id);
        fb_begin_subject(b, ctx, r, first->h.key, NULL, 0, XC_CAT_PROCESS, from, to);
        fb_say(b, "%s（档案中无此人）", xc_id_mask(id, masked, sizeof masked));
    }
}

/* One flag per recipient for the payments of the period where hit() holds.
 * With not_judged, a recipient the archive may hold in a row the run could
 * not read (fb_unknown_to_archive()) is not judged but counted there. */
static int per_recipient(const xc_eval_ctx *ctx, const xc_rule *r,
                         bool (*hit)(const xc_eval_ctx *ctx, const xc_fact_payment *p),
                         void (*tell)(flag_builder *b, const xc_eval_ctx *ctx,
                                      const xc_fact_payment *p),
                         const char *what, xc_flags *out, size_t *looked, size_t *not_judged)
{
    size_t n;
    const xc_fact_payment *all = xc_facts_all(ctx->facts, XC_DS_PAYMENT, &n);
    for (size_t i = 0; i < n;) {
        size_t end = i;
        while (end < n && all[end].h.key == all[i].h.key)
            end++;
        if (not_judged && fb_unknown_to_archive(ctx, all[i].h.key)) {
            for (size_t j = i; j < end; j++)
                *not_judged += in_period(ctx, &all[j]);
            i = end;
            continue;
        }
        const xc_fact_payment *sel[64];
        size_t k = 0, more = 0;
        int64_t total = 0;
        xc_date from = XC_NO_DATE, to = XC_NO_DATE;
        for (size_t j = i; j < end; j++) {
            if (!in_period(ctx, &all[j]))
                continue;
            (*looked)++;
            if (!hit(ctx, &all[j]))
                continue;
            total += all[j].amount;
            if (from == XC_NO_DATE || all[j].paid_on < from)
                from = all[j].paid_on;
            if (to == XC_NO_DATE || all[j].paid_on > to)
                to = all[j].paid_on;
            if (k < 64)
                sel[k++] = &all[j];
            else
                more++;
        }
        if (k > 0) {
            flag_builder b;
            begin(&b, ctx, r, sel[0], from, to);
            fb_say(&b, "%s%zu笔共%s元：", what, k + more, fb_yuan(total));
            for (size_t j = 0; j < k; j++) {
                fb_say(&b, "%s%s %s %s元", j ? "；" : "", fb_date(sel[j]->paid_on),
                       program_zh(sel[j]->program), fb_yuan(sel[j]->amount));
                tell(&b, ctx, sel[j]);
                fb_row(&b, XC_DS_PAYMENT, sel[j]);
            }
            if (more)
                fb_say(&b, "；另有%zu笔未列出", more);
            if (fb_end(&b, out) < 0)
                return XC_ENOMEM;
        }
        i = end;
    }
    return XC_OK;
}

static bool hit_not_archived(const xc_eval_ctx *ctx, const xc_fact_payment *p)
{
    return not_archived(ctx, p);
}

static void tell_not_archived(flag_builder *b, const xc_eval_ctx *ctx, const xc_fact_payment *p)
{
    uint32_t any;
    fb_archived_on(ctx, p->h.key, p->paid_on, &any);
    if (any == XC_NONE)
        return;
    const xc_person *pp = xc_archive_person(ctx->archive, any);
    const xc_household *hh = xc_archive_household(ctx->archive, pp->household);
    if (p->paid_on < hh->enrolled_on)
        fb_say(b, "（早于建档日%s）", fb_date(hh->enrolled_on));
    else if (hh->exited_on != XC_NO_DATE && p->paid_on >= hh->exited_on)
        fb_say(b, "（晚于退档日%s）", fb_date(hh->exited_on));
    else
        fb_say(b, "（档案状态不在档）");
    if (pp->household != XC_NONE && b->f.household != pp->household)
        fb_household_row(b, pp->household);
}

static int pay_not_archived(const xc_eval_ctx *ctx, xc_flags *out, size_t *looked,
                            size_t *not_judged)
{
    /* 2026-12-02: a rejected household row made its members' payments
     * PAY-NOT-ARCHIVED flags: whether they were archived is not known. */
    return per_recipient(ctx, &xc_rule_pay_not_archived, hit_not_archived, tell_not_archived,
                         "发放日不在档，仍发放帮扶资金", out, looked, not_judged);
}

static bool hit_medical_over(const xc_eval_ctx *ctx, const xc_fact_payment *p)
{
    (void)ctx;
    return medical_over(p) == 1;
}

static void tell_medical_over(flag_builder *b, const xc_eval_ctx *ctx, const xc_fact_payment *p)
{
    (void)ctx;
    fb_say(b, "（个人负担%s元）", fb_yuan(p->personal_burden));
}

static int pay_medical_over(const xc_eval_ctx *ctx, xc_flags *out, size_t *looked,
                            size_t *not_judged)
{
    size_t n;
    const xc_fact_payment *all = xc_facts_all(ctx->facts, XC_DS_PAYMENT, &n);
    for (size_t i = 0; i < n; i++)
        *not_judged += in_period(ctx, &all[i]) && medical_over(&all[i]) < 0;
    return per_recipient(ctx, &xc_rule_pay_medical_over, hit_medical_over, tell_medical_over,
                         "医疗救助超过个人负担部分", out, looked, NULL);
}

static bool hit_channel(const xc_eval_ctx *ctx, const xc_fact_payment *p)
{
    (void)ctx;
    return off_card(p);
}

static void tell_channel(flag_builder *b, const xc_eval_ctx *ctx, const xc_fact_payment *p)
{
    (void)ctx;
    fb_say(b, "（经%s发放）", channel_zh(p->channel));
}

static int pay_channel(const xc_eval_ctx *ctx, xc_flags *out, size_t *looked,
                       size_t *not_judged)
{
    (void)not_judged;
    return per_recipient(ctx, &xc_rule_pay_channel, hit_channel, tell_channel,
                         "未发放到社会保障卡", out, looked, NULL);
}

void xc_payment_totals(const xc_eval_ctx *ctx, xc_payment_total out[XC_PAY_PROGRAMS + 1])
{
    memset(out, 0, (XC_PAY_PROGRAMS + 1) * sizeof *out);
    size_t n;
    const xc_fact_payment *all = xc_facts_all(ctx->facts, XC_DS_PAYMENT, &n);
    for (size_t i = 0; i < n; i++) {
        const xc_fact_payment *p = &all[i];
        if (!in_period(ctx, p))
            continue;
        bool flagged = not_archived(ctx, p) || medical_over(p) == 1 || off_card(p);
        xc_payment_total *rows[] = {&out[p->program < XC_PAY_PROGRAMS ? p->program : 0],
                                    &out[XC_PAY_PROGRAMS]};
        for (size_t r = 0; r < 2; r++) {
            rows[r]->payments++;
            rows[r]->amount += p->amount;
            rows[r]->flagged += flagged;
            rows[r]->flagged_amount += flagged ? p->amount : 0;
        }
    }
}

const char *xc_payment_program_zh(int program)
{
    return program == XC_PAY_PROGRAMS ? "合计" : program_zh((uint8_t)program);
}

const xc_family xc_family_payment = {
    .abi = XC_RULE_ABI,
    .name = "payment",
    .rules = (const xc_rule *const[]){&xc_rule_pay_not_archived, &xc_rule_pay_medical_over, &xc_rule_pay_channel, NULL},
};
