/* test_rules_process.c - the union's own procedures: pairing and visits,
 * the exit procedure and follow-up, funds, missed enrollments. as_of is
 * 2025-06-30 (a Monday); the audit period is (2024-06-30, 2025-06-30]. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rulefix.h"
#include "xcheck/payments.h"

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("\"%s\" not found in %s", part, text);
}

/* A household of one worker; returns the worker's ID in w. */
static void household(rulefix *f, const char *no, char w[19], int seq, int status,
                      xc_date enrolled_on, xc_date exited_on)
{
    rf_id(w, 530102, 1970, 3, 12, seq);
    rf_household(f, no, w, 530102, status, enrolled_on, exited_on);
    rf_member(f, no, w, "户主", RF_SELF);
}

/* ---- CT-UNPAIRED ---------------------------------------------------------- */

static void test_unpaired_flags_a_household_without_a_cadre(void **state)
{
    rulefix *f = *state;
    char w1[19], w2[19], w3[19];
    rf_id(w1, 530102, 1970, 1, 1, 11);
    rf_id(w2, 530102, 1970, 1, 1, 12);
    rf_id(w3, 530102, 1970, 1, 1, 13);
    rf_household_paired(f, "P-1", w1, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE, NULL);
    rf_household_paired(f, "P-2", w2, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE, "C07");
    rf_household_paired(f, "P-3", w3, 530102, XC_ST_RELIEVED, rf_date(2020, 1, 1), XC_NO_DATE, " ");
    rf_member(f, "P-1", w1, "甲", RF_SELF);
    rf_member(f, "P-2", w2, "乙", RF_SELF);
    rf_member(f, "P-3", w3, "丙", RF_SELF);
    rf_run(f);
    assert_int_equal(rf_count(f, "P-1", "CT-UNPAIRED"), 1);
    assert_int_equal(rf_count(f, "P-2", "CT-UNPAIRED"), 0);
    assert_int_equal(rf_count(f, "P-3", "CT-UNPAIRED"), 1);     /* blank is no cadre */
    assert_int_equal(rf_find(f, "P-1", "CT-UNPAIRED")->category, XC_CAT_PROCESS);
}

static void test_unpaired_is_not_evaluated_without_the_cadre_field(void **state)
{
    rulefix *f = *state;
    char w[19];
    household(f, "P-9", w, 19, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_run(f);
    assert_int_equal(rf_count(f, "P-9", "CT-UNPAIRED"), 0);
    const xc_rule_result *r = rf_result(f, "CT-UNPAIRED");
    assert_false(r->evaluated);
    assert_contains(r->why_not, "household.cadre_id");
}

/* ---- CT-VISITS ------------------------------------------------------------ */

/* Yunnan's schedule: per half-year at least 1 visit and 2 calls. */
static void half_yearly(rulefix *f)
{
    rf_param(f, "contact", "visit_period_months", "6");
    rf_param(f, "contact", "visits_per_period", "1");
    rf_param(f, "contact", "call_period_months", "6");
    rf_param(f, "contact", "calls_per_period", "2");
    rf_param(f, "contact", "window_months", "12");
}

static void test_visits_count_only_complete_calendar_periods_of_the_window(void **state)
{
    rulefix *f = *state;
    half_yearly(f);
    char w[19];
    /* The window (2024-06-30, 2025-06-30] holds two complete half-years:
     * 2024-H2 and 2025-H1. 2024-H1 ends inside it but began before. */
    household(f, "V-1", w, 21, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_contact(f, "V-1", rf_date(2024, 12, 31), RF_CT_VISIT);   /* last day of 2024-H2 */
    rf_contact(f, "V-1", rf_date(2024, 7, 1), RF_CT_PHONE);     /* first day */
    rf_contact(f, "V-1", rf_date(2024, 9, 9), RF_CT_PHONE);
    rf_contact(f, "V-1", rf_date(2025, 6, 30), RF_CT_VISIT);    /* as_of, last day of 2025-H1 */
    rf_contact(f, "V-1", rf_date(2025, 1, 1), RF_CT_PHONE);
    rf_contact(f, "V-1", rf_date(2025, 3, 3), RF_CT_PHONE);
    /* Short of one call in 2025-H1: the visit does not count as a call. */
    household(f, "V-2", w, 22, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_contact(f, "V-2", rf_date(2024, 8, 1), RF_CT_VISIT);
    rf_contact(f, "V-2", rf_date(2024, 8, 2), RF_CT_PHONE);
    rf_contact(f, "V-2", rf_date(2024, 8, 3), RF_CT_PHONE);
    rf_contact(f, "V-2", rf_date(2025, 2, 1), RF_CT_VISIT);
    rf_contact(f, "V-2", rf_date(2025, 2, 2), RF_CT_PHONE);
    rf_contact(f, "V-2", rf_date(2025, 2, 3), RF_CT_VISIT);
    /* Visits only in the half-year before the window: both periods short. */
    household(f, "V-3", w, 23, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_contact(f, "V-3", rf_date(2024, 6, 30), RF_CT_VISIT);
    /* Enrolled in May 2025: no complete period since, nothing owed yet. */
    household(f, "V-4", w, 24, XC_ST_ACTIVE, rf_date(2025, 5, 6), XC_NO_DATE);
    rf_run(f);

    assert_int_equal(rf_count(f, "V-1", "CT-VISITS"), 0);
    const xc_flag *v2 = rf_find(f, "V-2", "CT-VISITS");
    assert_non_null(v2);
    assert_contains(v2->summary, "2025年上半年电话联系1次（应不少于2次）");
    assert_null(strstr(v2->summary, "2024年下半年"));
    assert_int_equal(v2->from, rf_date(2025, 1, 1));
    assert_int_equal(v2->to, rf_date(2025, 6, 30));
    const xc_flag *v3 = rf_find(f, "V-3", "CT-VISITS");
    assert_non_null(v3);
    assert_contains(v3->summary, "2024年下半年入户走访0次（应不少于1次）");
    assert_contains(v3->summary, "2025年上半年入户走访0次");
    assert_int_equal(v3->from, rf_date(2024, 7, 1));
    assert_int_equal(rf_count(f, "V-4", "CT-VISITS"), 0);
    assert_int_equal(rf_result(f, "CT-VISITS")->not_judged, 1);
}

static void test_visits_monthly_calls_and_quarterly_visits(void **state)
{
    rulefix *f = *state;
    f->as_of = rf_date(2024, 3, 31);          /* a leap year's first quarter */
    rf_param(f, "contact", "visit_period_months", "3");
    rf_param(f, "contact", "visits_per_period", "1");
    rf_param(f, "contact", "call_period_months", "1");
    rf_param(f, "contact", "calls_per_period", "1");
    rf_param(f, "contact", "window_months", "3");
    char w[19];
    household(f, "M-1", w, 31, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_contact(f, "M-1", rf_date(2024, 1, 31), RF_CT_PHONE);
    rf_contact(f, "M-1", rf_date(2024, 2, 29), RF_CT_PHONE);    /* leap day counts in February */
    rf_contact(f, "M-1", rf_date(2024, 3, 1), RF_CT_VISIT);
    rf_contact(f, "M-1", rf_date(2024, 3, 31), RF_CT_PHONE);
    household(f, "M-2", w, 32, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_contact(f, "M-2", rf_date(2024, 1, 15), RF_CT_PHONE);
    rf_contact(f, "M-2", rf_date(2024, 3, 1), RF_CT_PHONE);     /* February missed */
    rf_contact(f, "M-2", rf_date(2024, 3, 2), RF_CT_VISIT);
    rf_run(f);
    assert_int_equal(rf_count(f, "M-1", "CT-VISITS"), 0);
    const xc_flag *m2 = rf_find(f, "M-2", "CT-VISITS");
    assert_non_null(m2);
    assert_contains(m2->summary, "2024年2月电话联系0次（应不少于1次）");
    assert_null(strstr(m2->summary, "2024年1月"));
}

/* ---- EX-PUBLICITY, EX-NOTICE, EX-FOLLOWUP --------------------------------- */

static void test_publicity_counts_working_days_across_weekends_and_holidays(void **state)
{
    rulefix *f = *state;
    rf_param(f, "exit", "publicity_workdays", "5");
    xc_calendar_init(&f->profile.calendar);
    const char *why;
    assert_int_equal(xc_calendar_add_holidays(&f->profile.calendar, rf_date(2025, 4, 4),
                                              rf_date(2025, 4, 6), &why), 0);
    char w[19];
    /* Thursday 2025-03-06 to Tuesday 03-11: 4 working days across a weekend. */
    household(f, "X-1", w, 41, XC_ST_EXITED, rf_date(2019, 1, 1), rf_date(2025, 3, 20));
    rf_exit_record(f, "X-1", rf_date(2025, 3, 1), rf_date(2025, 3, 6), rf_date(2025, 3, 11),
                   rf_date(2025, 3, 18), rf_date(2025, 3, 19));
    /* Thursday 03-06 to Wednesday 03-12: 5. */
    household(f, "X-2", w, 42, XC_ST_EXITED, rf_date(2019, 1, 1), rf_date(2025, 3, 20));
    rf_exit_record(f, "X-2", rf_date(2025, 3, 1), rf_date(2025, 3, 6), rf_date(2025, 3, 12),
                   rf_date(2025, 3, 18), XC_NO_DATE);
    /* Wednesday 04-02 to Tuesday 04-08 around the Friday holiday: 4. */
    household(f, "X-3", w, 43, XC_ST_EXITED, rf_date(2019, 1, 1), rf_date(2025, 4, 30));
    rf_exit_record(f, "X-3", rf_date(2025, 3, 30), rf_date(2025, 4, 2), rf_date(2025, 4, 8),
                   rf_date(2025, 4, 20), rf_date(2025, 4, 21));
    /* No record at all; and an exit before the audit period, not judged. */
    household(f, "X-4", w, 44, XC_ST_EXITED, rf_date(2019, 1, 1), rf_date(2025, 1, 10));
    household(f, "X-5", w, 45, XC_ST_EXITED, rf_date(2019, 1, 1), rf_date(2024, 6, 30));
    rf_run(f);

    const xc_flag *x1 = rf_find(f, "X-1", "EX-PUBLICITY");
    assert_non_null(x1);
    assert_contains(x1->summary, "仅4个工作日（应不少于5个工作日）");
    assert_int_equal(rf_count(f, "X-2", "EX-PUBLICITY"), 0);
    assert_non_null(rf_find(f, "X-3", "EX-PUBLICITY"));
    assert_contains(rf_find(f, "X-3", "EX-PUBLICITY")->summary, "仅4个工作日");
    assert_contains(rf_find(f, "X-4", "EX-PUBLICITY")->summary, "无退档程序记录");
    assert_int_equal(rf_count(f, "X-5", NULL), 0);
    /* Approved without a notice date: X-2 only. */
    assert_int_equal(rf_count(f, NULL, "EX-NOTICE"), 1);
    assert_contains(rf_find(f, "X-2", "EX-NOTICE")->summary, "2025-03-18审批退档");
}

static void test_followup_needs_a_visit_months_after_the_exit(void **state)
{
    rulefix *f = *state;
    rf_param(f, "exit", "followup_after_months", "6");
    rf_param(f, "exit", "followup_min_months", "5");
    char w[19];
    /* Exited 2024-08-31: due 2025-01-31 (clamped), checked from 2025-02-28. */
    household(f, "F-1", w, 51, XC_ST_EXITED, rf_date(2019, 1, 1), rf_date(2024, 8, 31));
    rf_followup(f, "F-1", rf_date(2025, 1, 31));               /* on the day: enough */
    household(f, "F-2", w, 52, XC_ST_EXITED, rf_date(2019, 1, 1), rf_date(2024, 8, 31));
    rf_followup(f, "F-2", rf_date(2025, 1, 30));               /* a day early */
    household(f, "F-3", w, 53, XC_ST_EXITED, rf_date(2019, 1, 1), rf_date(2024, 8, 31));
    /* Exited 2025-01-15: not six months old on as_of. */
    household(f, "F-4", w, 54, XC_ST_EXITED, rf_date(2019, 1, 1), rf_date(2025, 1, 15));
    rf_run(f);
    assert_int_equal(rf_count(f, "F-1", "EX-FOLLOWUP"), 0);
    const xc_flag *f2 = rf_find(f, "F-2", "EX-FOLLOWUP");
    assert_non_null(f2);
    assert_contains(f2->summary, "未见2025-01-31（退档5个月）以后的跟踪回访，最近一次回访2025-01-30");
    assert_contains(rf_find(f, "F-3", "EX-FOLLOWUP")->summary, "无回访记录");
    assert_int_equal(rf_count(f, "F-4", "EX-FOLLOWUP"), 0);
}

/* ---- PAY-* ----------------------------------------------------------------- */

static void test_payments_to_people_not_archived_on_the_day(void **state)
{
    rulefix *f = *state;
    char w1[19], w2[19], stranger[19];
    household(f, "Y-1", w1, 61, XC_ST_ACTIVE, rf_date(2025, 3, 2), XC_NO_DATE);
    household(f, "Y-2", w2, 62, XC_ST_EXITED, rf_date(2019, 1, 1), rf_date(2025, 1, 31));
    rf_id(stranger, 530102, 1980, 5, 5, 63);
    rf_payment(f, w1, rf_date(2025, 3, 1), RF_PM_LIVING, 50000, RF_CH_CARD, -1); /* day before */
    rf_payment(f, w1, rf_date(2025, 3, 2), RF_PM_LIVING, 50000, RF_CH_CARD, -1); /* the day */
    rf_payment(f, w2, rf_date(2025, 1, 30), RF_PM_WARMTH, 20000, RF_CH_CARD, -1);
    rf_payment(f, w2, rf_date(2025, 1, 31), RF_PM_WARMTH, 20000, RF_CH_CARD, -1); /* exit day */
    rf_payment(f, stranger, rf_date(2025, 2, 1), RF_PM_OTHER, 30000, RF_CH_CARD, -1);
    rf_payment(f, stranger, rf_date(2024, 6, 30), RF_PM_OTHER, 99900, RF_CH_CARD, -1); /* before */
    rf_run(f);

    const xc_flag *y1 = rf_find(f, "Y-1", "PAY-NOT-ARCHIVED");
    assert_non_null(y1);
    assert_contains(y1->summary, "1笔共500.00元：2025-03-01 生活救助 500.00元（早于建档日2025-03-02）");
    assert_null(strstr(y1->summary, "2025-03-02 生活"));
    assert_contains(rf_find(f, "Y-2", "PAY-NOT-ARCHIVED")->summary, "晚于退档日2025-01-31");
    const xc_flag *s = rf_find_subject(f, stranger, "PAY-NOT-ARCHIVED");
    assert_non_null(s);
    assert_int_equal(s->household, XC_NONE);
    assert_contains(s->summary, "档案中无此人");
    assert_contains(s->summary, "1笔共300.00元");
    assert_int_equal(rf_result(f, "PAY-NOT-ARCHIVED")->households, 5);  /* in the period */

    xc_payment_total t[XC_PAY_PROGRAMS + 1];
    xc_payment_totals(&f->ctx, t);
    assert_int_equal(t[XC_PAY_PROGRAMS].payments, 5);
    assert_int_equal(t[XC_PAY_PROGRAMS].amount, 170000);
    assert_int_equal(t[XC_PAY_PROGRAMS].flagged, 3);
    assert_int_equal(t[XC_PAY_PROGRAMS].flagged_amount, 100000);
    assert_int_equal(t[RF_PM_LIVING].flagged_amount, 50000);
    assert_int_equal(t[RF_PM_WARMTH].payments, 2);
}

static void test_medical_aid_over_the_burden_and_payments_off_the_card(void **state)
{
    rulefix *f = *state;
    char w[19];
    household(f, "Z-1", w, 71, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_payment(f, w, rf_date(2025, 2, 1), RF_PM_MEDICAL, 100000, RF_CH_CARD, 80000);  /* over */
    rf_payment(f, w, rf_date(2025, 3, 1), RF_PM_MEDICAL, 80000, RF_CH_CARD, 80000);   /* equal */
    rf_payment(f, w, rf_date(2025, 4, 1), RF_PM_MEDICAL, 80000, RF_CH_CARD, -1);      /* unknown */
    rf_payment(f, w, rf_date(2025, 5, 1), RF_PM_LIVING, 50000, RF_CH_BANK, -1);
    rf_payment(f, w, rf_date(2025, 5, 2), RF_PM_LIVING, 50000, RF_CH_CASH, -1);
    rf_run(f);
    assert_int_equal(rf_count(f, "Z-1", "PAY-NOT-ARCHIVED"), 0);
    const xc_flag *m = rf_find(f, "Z-1", "PAY-MEDICAL-OVER");
    assert_non_null(m);
    assert_contains(m->summary, "1笔共1000.00元：2025-02-01 医疗救助 1000.00元（个人负担800.00元）");
    assert_int_equal(rf_result(f, "PAY-MEDICAL-OVER")->not_judged, 1);
    const xc_flag *c = rf_find(f, "Z-1", "PAY-CHANNEL");
    assert_non_null(c);
    assert_contains(c->summary, "2笔共1000.00元");
    assert_contains(c->summary, "（经银行账户发放）");
    assert_contains(c->summary, "（经现金发放）");
    assert_int_equal(rf_count(f, "Z-1", "PAY-CHANNEL"), 1);     /* one flag per recipient */
}

/* ---- CAND-ELIGIBLE --------------------------------------------------------- */

/* Three months of own income ending June 2025, in yuan. */
static void income3(rulefix *f, const char *id, int a, int b, int c)
{
    rf_income(f, id, rf_month(2025, 4), a * 100);
    rf_income(f, id, rf_month(2025, 5), b * 100);
    rf_income(f, id, rf_month(2025, 6), c * 100);
}

static void test_candidates_below_the_standard_and_outside_the_archive(void **state)
{
    rulefix *f = *state;
    rf_standard(f, "53", rf_date(2024, 1, 1), 70000);
    char w[19], ex[19], c1[19], c2[19], c4[19], c6[19];
    household(f, "K-1", w, 81, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    household(f, "K-2", ex, 82, XC_ST_EXITED, rf_date(2019, 1, 1), rf_date(2024, 12, 31));
    rf_id(c1, 530102, 1975, 2, 2, 83);
    rf_id(c2, 530102, 1975, 2, 2, 84);
    rf_id(c4, 530102, 1975, 2, 2, 85);
    rf_id(c6, 110101, 1975, 2, 2, 86);
    rf_candidate(f, c1, "候选一", "dibao_list", 530102);
    rf_candidate(f, c1, "候选一", "union_member", 530102);      /* on two lists */
    income3(f, c1, 500, 500, 500);
    rf_candidate(f, c2, "候选二", "dibao_list", 530102);
    income3(f, c2, 500, 500, 700);                               /* June at the standard */
    rf_candidate(f, w, "在档户主", "dibao_list", 530102);          /* archived */
    income3(f, w, 0, 0, 0);
    rf_candidate(f, c4, "有车", "dibao_list", 530102);
    income3(f, c4, 0, 0, 0);
    rf_vehicle(f, c4, RF_VH_CAR, rf_date(2023, 1, 1), XC_NO_DATE, -1);
    rf_candidate(f, ex, "退档户主", "union_member", 530102);       /* exited: eligible again */
    rf_property(f, ex, "云(2020)第1号", RF_PR_RESIDENTIAL, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_property(f, ex, "云(2020)第1号", RF_PR_RESIDENTIAL, rf_date(2020, 1, 1), XC_NO_DATE);
                                                                   /* one home, exported twice */
    rf_candidate(f, c6, "外省", "dibao_list", 110101);             /* no standard there */
    rf_run(f);

    const xc_flag *k1 = rf_find_subject(f, c1, "CAND-ELIGIBLE");
    assert_non_null(k1);
    assert_int_equal(k1->category, XC_CAT_MISSED_ENROLLMENT);
    assert_int_equal(k1->region, 530102);
    assert_contains(k1->summary, "来源dibao_list、union_member");
    assert_contains(k1->summary, "2025-04 500.00/700.00，2025-05 500.00/700.00，2025-06 500.00/700.00");
    assert_int_equal(rf_count_subject(f, c1, NULL), 1);
    assert_int_equal(rf_count_subject(f, c2, "CAND-ELIGIBLE"), 0);
    assert_int_equal(rf_count_subject(f, w, "CAND-ELIGIBLE"), 0);
    assert_int_equal(rf_count_subject(f, c4, "CAND-ELIGIBLE"), 0);
    assert_int_equal(rf_count_subject(f, ex, "CAND-ELIGIBLE"), 1);
    assert_int_equal(rf_count_subject(f, c6, "CAND-ELIGIBLE"), 0);
    const xc_rule_result *r = rf_result(f, "CAND-ELIGIBLE");
    assert_int_equal(r->households, 6);          /* distinct candidates */
    assert_int_equal(r->not_judged, 1);

    /* 漏评率: flagged candidates over in-archive households + them. */
    xc_rate_row *rows;
    size_t n;
    assert_int_equal(xc_rates_compute(&f->ctx, &f->flags, f->results, &rows, &n), XC_OK);
    bool seen = false;
    for (size_t i = 0; i < n; i++)
        if (rows[i].rate == XC_RATE_MISSED_ENROLLMENT && rows[i].group == XC_GROUP_TOTAL) {
            assert_int_equal(rows[i].numerator, 2);
            assert_int_equal(rows[i].denominator, 1 + 2);
            seen = true;
        }
    assert_true(seen);
    free(rows);
}

static void test_process_rules_are_not_evaluated_without_their_datasets(void **state)
{
    rulefix *f = *state;
    char w[19];
    household(f, "N-1", w, 91, XC_ST_EXITED, rf_date(2019, 1, 1), rf_date(2025, 1, 10));
    rf_run(f);
    static const char *ids[] = {"CT-VISITS", "EX-PUBLICITY", "EX-NOTICE", "EX-FOLLOWUP",
                                "PAY-NOT-ARCHIVED", "PAY-MEDICAL-OVER", "PAY-CHANNEL",
                                "CAND-ELIGIBLE"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        const xc_rule_result *r = rf_result(f, ids[i]);
        assert_false(r->evaluated);
        assert_contains(r->why_not, "not configured");
    }
    assert_int_equal(rf_count(f, NULL, NULL), 0);
}

static void test_households_evaluated_in_threads_give_the_same_flags_in_order(void **state)
{
    rulefix *f = *state;
    /* 1,000 households: every third unpaired, every fifth with an invalid
     * member ID; evaluated again with four threads. */
    char no[32], w[19];
    for (int i = 0; i < 1000; i++) {
        snprintf(no, sizeof no, "T-%04d", i);
        rf_id(w, 530102, 1950 + i % 50, 1 + i % 12, 1 + i % 28, i % 1000);
        rf_household_paired(f, no, w, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE,
                            i % 3 ? "C1" : NULL);
        rf_member(f, no, w, "户主", RF_SELF);
        if (i % 5 == 0)
            rf_member(f, no, "53010219800101001", "配偶", RF_SPOUSE);
    }
    rf_run(f);                          /* one thread */
    assert_int_equal(rf_count(f, NULL, "CT-UNPAIRED"), 334);
    assert_int_equal(rf_count(f, NULL, "ID-INVALID"), 200);
    xc_eval_ctx four = f->ctx;
    four.jobs = 4;
    xc_flags flags = {0};
    xc_rule_result *results = calloc(f->n_rules, sizeof *results);
    assert_non_null(results);
    assert_int_equal(xc_evaluate(&four, &flags, results), XC_OK);
    assert_int_equal(flags.n, f->flags.n);
    for (size_t i = 0; i < flags.n; i++) {
        assert_ptr_equal(flags.v[i].rule, f->flags.v[i].rule);
        assert_int_equal(flags.v[i].household, f->flags.v[i].household);
        assert_string_equal(flags.v[i].summary, f->flags.v[i].summary);
        assert_string_equal(flags.v[i].evidence, f->flags.v[i].evidence);
    }
    for (size_t r = 0; r < f->n_rules; r++) {
        assert_int_equal(results[r].households, f->results[r].households);
        assert_int_equal(results[r].not_judged, f->results[r].not_judged);
        assert_int_equal(results[r].flags, f->results[r].flags);
    }
    xc_flags_clear(&flags);
    free(results);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, rf_setup, rf_teardown)
    const struct CMUnitTest tests[] = {
        T(test_unpaired_flags_a_household_without_a_cadre),
        T(test_unpaired_is_not_evaluated_without_the_cadre_field),
        T(test_visits_count_only_complete_calendar_periods_of_the_window),
        T(test_visits_monthly_calls_and_quarterly_visits),
        T(test_publicity_counts_working_days_across_weekends_and_holidays),
        T(test_followup_needs_a_visit_months_after_the_exit),
        T(test_payments_to_people_not_archived_on_the_day),
        T(test_medical_aid_over_the_burden_and_payments_off_the_card),
        T(test_candidates_below_the_standard_and_outside_the_archive),
        T(test_process_rules_are_not_evaluated_without_their_datasets),
        T(test_households_evaluated_in_threads_give_the_same_flags_in_order),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
