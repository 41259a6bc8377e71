/* test_rules_income.c - household income against the local standard:
 * IN-EXIT-DUE, IN-ENROLL-HIGH, EX-WRONG, EX-RELAPSE, and the standards
 * look-up they rest on (longest region prefix, latest row in force). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "rulefix.h"

/* Yuan to fen. */
#define YUAN(y) ((int64_t)(y) * 100)

/* Adds a household with one member, its worker (an ID born 1975-05-20 with
 * sequence seq, written into id), and returns nothing: the scenario goes on
 * with rf_income on id. */
static void household_of_one(rulefix *f, const char *no, char id[static 19], int seq,
                             uint32_t region, int status, xc_date enrolled, xc_date exited)
{
    rf_id(id, region, 1975, 5, 20, seq);
    rf_household(f, no, id, region, status, enrolled, exited);
    rf_member(f, no, id, "职工", RF_SELF);
}

/* n months of the same income from y-m on. */
static void income_months(rulefix *f, const char *id, int y, int m, int n, int64_t fen)
{
    for (int i = 0; i < n; i++)
        rf_income(f, id, rf_month(y, m) + i, fen);
}

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("\"%s\" not found in %s", part, text);
}

static void assert_lacks(const char *text, const char *part)
{
    if (strstr(text, part))
        fail_msg("\"%s\" unexpectedly found in %s", part, text);
}

static void test_income_flags_exit_due_after_exactly_six_months_above_and_not_after_five(
    void **state)
{
    rulefix *f = *state;
    char six[19], five[19], same[19];
    rf_standard(f, "5301", rf_date(2024, 1, 1), YUAN(800));
    household_of_one(f, "IN-6", six, 11, 530102, XC_ST_ACTIVE, rf_date(2024, 3, 10), XC_NO_DATE);
    household_of_one(f, "IN-5", five, 13, 530102, XC_ST_ACTIVE, rf_date(2024, 3, 10),
                     XC_NO_DATE);
    household_of_one(f, "IN-SAME", same, 15, 530102, XC_ST_ACTIVE, rf_date(2024, 7, 10),
                     XC_NO_DATE);
    income_months(f, six, 2024, 7, 6, YUAN(1000));     /* 2024-07 .. 2024-12 */
    income_months(f, five, 2024, 7, 5, YUAN(1000));    /* 2024-07 .. 2024-11 */
    /* Six months, but the first is the month of enrollment: not "after". */
    income_months(f, same, 2024, 7, 6, YUAN(1000));
    rf_run(f);

    assert_int_equal(rf_count(f, "IN-6", "IN-EXIT-DUE"), 1);
    const xc_flag *fl = rf_find(f, "IN-6", "IN-EXIT-DUE");
    assert_int_equal(fl->category, XC_CAT_MISSED_EXIT);
    assert_int_equal(fl->person, XC_NONE);
    assert_int_equal(fl->from, rf_date(2024, 7, 1));
    assert_int_equal(fl->to, rf_date(2024, 12, 31));
    /* The month table runs from the month after enrollment to the last
     * month ended by as_of, above and below the standard alike. */
    assert_contains(rf_evidence(f, fl), "{\"month\":\"2024-04\",\"household_income\":0.00,"
                                        "\"members\":1,\"per_capita\":0.00,\"standard\":800.00,"
                                        "\"above\":false,\"below\":true}");
    assert_contains(rf_evidence(f, fl), "{\"month\":\"2024-07\",\"household_income\":1000.00,"
                                        "\"members\":1,\"per_capita\":1000.00,\"standard\":800.00,"
                                        "\"above\":true,\"below\":false}");
    assert_contains(rf_evidence(f, fl), "{\"month\":\"2024-12\",\"household_income\":1000.00,");
    assert_contains(rf_evidence(f, fl), "{\"month\":\"2025-06\",\"household_income\":0.00,");
    assert_lacks(rf_evidence(f, fl), "\"month\":\"2025-07\"");
    assert_contains(fl->summary, "连续6个月（2024-07至2024-12）");

    assert_int_equal(rf_count(f, "IN-5", NULL), 0);
    assert_int_equal(rf_count(f, "IN-SAME", "IN-EXIT-DUE"), 0);
    assert_int_equal(rf_result(f, "IN-EXIT-DUE")->flags, 1);
    assert_int_equal(rf_result(f, "IN-EXIT-DUE")->households, 3);
}

static void test_income_exit_due_reports_the_whole_run_once(void **state)
{
    rulefix *f = *state;
    char id[19];
    rf_standard(f, "5301", rf_date(2024, 1, 1), YUAN(800));
    household_of_one(f, "IN-9", id, 11, 530102, XC_ST_RELIEVED, rf_date(2024, 3, 10),
                     XC_NO_DATE);
    income_months(f, id, 2024, 5, 9, YUAN(900));      /* 2024-05 .. 2025-01 */
    income_months(f, id, 2025, 3, 6, YUAN(900));      /* a second run: 2025-03 .. 2025-08 */
    rf_run(f);

    assert_int_equal(rf_count(f, "IN-9", "IN-EXIT-DUE"), 1);
    const xc_flag *fl = rf_find(f, "IN-9", "IN-EXIT-DUE");
    assert_int_equal(fl->from, rf_date(2024, 5, 1));
    assert_int_equal(fl->to, rf_date(2025, 1, 31));
    assert_contains(fl->summary, "连续9个月（2024-05至2025-01）");
    /* 2026-12-02: a long run listed every month inline, 21 of them in one
     * cell of the sheet; the first and last three now, all in the evidence */
    assert_contains(fl->summary, "2024-07人均900.00/标准800.00……（其间3个月从略，逐月明细见证据）"
                                 "，2024-11人均900.00");
    assert_lacks(fl->summary, "2024-08");
    assert_contains(rf_evidence(f, fl), "\"month\":\"2024-08\"");
}

static void test_income_exit_due_does_not_count_the_month_of_as_of_before_it_ends(
    void **state)
{
    rulefix *f = *state;
    char ended[19], open[19];
    f->as_of = rf_date(2025, 6, 15);
    rf_standard(f, "5301", rf_date(2024, 1, 1), YUAN(800));
    household_of_one(f, "IN-ENDED", ended, 11, 530102, XC_ST_ACTIVE, rf_date(2024, 3, 10),
                     XC_NO_DATE);
    household_of_one(f, "IN-OPEN", open, 13, 530102, XC_ST_ACTIVE, rf_date(2024, 3, 10),
                     XC_NO_DATE);
    income_months(f, ended, 2024, 12, 6, YUAN(1000));  /* 2024-12 .. 2025-05 */
    income_months(f, open, 2025, 1, 6, YUAN(1000));    /* 2025-01 .. 2025-06 (not ended) */
    rf_run(f);

    assert_int_equal(f->ctx.last_month, rf_month(2025, 5));
    const xc_flag *fl = rf_find(f, "IN-ENDED", "IN-EXIT-DUE");
    assert_non_null(fl);
    assert_int_equal(fl->to, rf_date(2025, 5, 31));
    assert_int_equal(rf_count(f, "IN-OPEN", "IN-EXIT-DUE"), 0);
}

static void test_income_standard_rising_inside_a_run_breaks_it(void **state)
{
    rulefix *f = *state;
    char kept[19], broken[19];
    rf_standard(f, "5301", rf_date(2024, 1, 1), YUAN(800));
    /* In force from the 15th: it is the standard of all of October. */
    rf_standard(f, "5301", rf_date(2024, 10, 15), YUAN(1100));
    household_of_one(f, "IN-KEPT", kept, 11, 530102, XC_ST_ACTIVE, rf_date(2024, 3, 10),
                     XC_NO_DATE);
    household_of_one(f, "IN-BROKEN", broken, 13, 530102, XC_ST_ACTIVE, rf_date(2024, 3, 10),
                     XC_NO_DATE);
    income_months(f, kept, 2024, 5, 5, YUAN(1000));    /* 2024-05 .. 09 above 800 */
    rf_income(f, kept, rf_month(2024, 10), YUAN(1200)); /* above the new 1100 */
    income_months(f, broken, 2024, 5, 5, YUAN(1000));
    rf_income(f, broken, rf_month(2024, 10), YUAN(1050)); /* above 800, not 1100 */
    income_months(f, broken, 2024, 11, 5, YUAN(1200)); /* 2024-11 .. 2025-03: five more */
    rf_run(f);

    const xc_flag *fl = rf_find(f, "IN-KEPT", "IN-EXIT-DUE");
    assert_non_null(fl);
    assert_int_equal(rf_count(f, "IN-KEPT", "IN-EXIT-DUE"), 1);
    assert_int_equal(fl->from, rf_date(2024, 5, 1));
    assert_int_equal(fl->to, rf_date(2024, 10, 31));
    assert_contains(rf_evidence(f, fl), "{\"month\":\"2024-09\",\"household_income\":1000.00,"
                                        "\"members\":1,\"per_capita\":1000.00,\"standard\":800.00,"
                                        "\"above\":true");
    assert_contains(rf_evidence(f, fl), "{\"month\":\"2024-10\",\"household_income\":1200.00,"
                                        "\"members\":1,\"per_capita\":1200.00,\"standard\":1100.00,"
                                        "\"above\":true");

    /* Ten months above the old standard, but October is below the new one. */
    assert_int_equal(rf_count(f, "IN-BROKEN", "IN-EXIT-DUE"), 0);
}

static void test_income_standard_is_the_longest_region_prefix_in_force(void **state)
{
    rulefix *f = *state;
    char county[19], city[19], province[19], later[19];
    rf_standard(f, "53", rf_date(2024, 1, 1), YUAN(600));
    rf_standard(f, "5301", rf_date(2024, 1, 1), YUAN(800));
    rf_standard(f, "530102", rf_date(2024, 1, 1), YUAN(1000));
    /* 530103 gets a county row only from 2025-03-20 on. */
    rf_standard(f, "530103", rf_date(2025, 3, 20), YUAN(1200));
    /* A county row for 530102 that is not in force yet. */
    rf_standard(f, "530102", rf_date(2025, 7, 1), YUAN(500));
    household_of_one(f, "IN-COUNTY", county, 11, 530102, XC_ST_ACTIVE, rf_date(2024, 3, 10),
                     XC_NO_DATE);
    household_of_one(f, "IN-CITY", city, 13, 530103, XC_ST_ACTIVE, rf_date(2024, 3, 10),
                     XC_NO_DATE);
    household_of_one(f, "IN-PROVINCE", province, 15, 530302, XC_ST_ACTIVE,
                     rf_date(2024, 3, 10), XC_NO_DATE);
    household_of_one(f, "IN-LATER", later, 17, 530103, XC_ST_ACTIVE, rf_date(2024, 3, 10),
                     XC_NO_DATE);
    income_months(f, county, 2024, 4, 6, YUAN(900));
    income_months(f, city, 2024, 4, 6, YUAN(900));
    income_months(f, province, 2024, 4, 6, YUAN(700));
    /* Above the city's 800 for 2024-10 .. 2025-02 (five months); from
     * 2025-03 on the county's 1200 applies. */
    income_months(f, later, 2024, 10, 9, YUAN(1000));  /* 2024-10 .. 2025-06 */
    rf_run(f);

    const xc_standards *s = f->standards;
    const xc_fact_standard *r = xc_standard_for(s, 530102, rf_month(2024, 6));
    assert_non_null(r);
    assert_int_equal(r->digits, 6);
    assert_int_equal(r->amount, YUAN(1000));
    r = xc_standard_for(s, 530102, rf_month(2025, 6));
    assert_int_equal(r->amount, YUAN(1000));           /* the 2025-07 row is not in force */
    r = xc_standard_for(s, 530103, rf_month(2025, 2));
    assert_int_equal(r->digits, 4);
    assert_int_equal(r->amount, YUAN(800));
    r = xc_standard_for(s, 530103, rf_month(2025, 3));
    assert_int_equal(r->digits, 6);
    assert_int_equal(r->amount, YUAN(1200));
    r = xc_standard_for(s, 530302, rf_month(2024, 6));
    assert_int_equal(r->digits, 2);
    assert_int_equal(r->amount, YUAN(600));
    assert_null(xc_standard_for(s, 530102, rf_month(2023, 12)));
    assert_null(xc_standard_for(s, 440305, rf_month(2024, 6)));

    /* 900 a month: below the county's 1000, above the city's 800. */
    assert_int_equal(rf_count(f, "IN-COUNTY", "IN-EXIT-DUE"), 0);
    const xc_flag *fl = rf_find(f, "IN-CITY", "IN-EXIT-DUE");
    assert_non_null(fl);
    assert_int_equal(fl->from, rf_date(2024, 4, 1));
    assert_int_equal(fl->to, rf_date(2024, 9, 30));
    assert_contains(rf_evidence(f, fl), "\"month\":\"2024-04\",\"household_income\":900.00,"
                                        "\"members\":1,\"per_capita\":900.00,\"standard\":800.00,"
                                        "\"above\":true");
    fl = rf_find(f, "IN-PROVINCE", "IN-EXIT-DUE");
    assert_non_null(fl);
    assert_contains(rf_evidence(f, fl), "\"per_capita\":700.00,\"standard\":600.00,\"above\":true");
    /* 2024-10 .. 2025-02 above 800 (five months), then 1000 < 1200. */
    assert_int_equal(rf_count(f, "IN-LATER", "IN-EXIT-DUE"), 0);
}

/* 2026-11-21: standards written GB/T 2260-style (530000, 530100) matched no
 * household, since they were read as county codes. */
static void test_income_standard_codes_ending_in_zeros_are_province_and_city(void **state)
{
    rulefix *f = *state;
    char w[19];
    rf_standard(f, "530000", rf_date(2024, 1, 1), YUAN(600));
    rf_standard(f, "530100", rf_date(2024, 1, 1), YUAN(800));
    household_of_one(f, "IN-CITY", w, 11, 530102, XC_ST_ACTIVE, rf_date(2024, 3, 10),
                     XC_NO_DATE);
    income_months(f, w, 2024, 4, 6, YUAN(900));
    rf_run(f);
    const xc_fact_standard *r = xc_standard_for(f->standards, 530102, rf_month(2024, 6));
    assert_non_null(r);
    assert_int_equal(r->digits, 4);
    assert_int_equal(r->code, 5301);
    r = xc_standard_for(f->standards, 530302, rf_month(2024, 6));
    assert_non_null(r);
    assert_int_equal(r->digits, 2);
    assert_int_equal(rf_count(f, "IN-CITY", "IN-EXIT-DUE"), 1);
}

static void test_income_per_capita_counts_members_without_income(void **state)
{
    rulefix *f = *state;
    char w1[19], s1[19], c1[19], w2[19], s2[19], c2[19], w3[19], s3[19], c3[19];
    rf_standard(f, "5301", rf_date(2024, 1, 1), YUAN(800));
    const struct { const char *no; char *w, *s, *c; int64_t earned; } hh[] = {
        {"IN-2500", w1, s1, c1, YUAN(2500)},   /* 833.33 a head: above 800 */
        {"IN-2350", w2, s2, c2, YUAN(2350)},   /* 783.33: below */
        {"IN-2400", w3, s3, c3, YUAN(2400)},   /* 800.00: equal is not above */
    };
    for (int i = 0; i < 3; i++) {
        rf_id(hh[i].w, 530102, 1975, 5, 20, 11 + 10 * i);
        rf_id(hh[i].s, 530102, 1977, 8, 2, 12 + 10 * i);
        rf_id(hh[i].c, 530102, 2005, 1, 9, 13 + 10 * i);
        rf_household(f, hh[i].no, hh[i].w, 530102, XC_ST_ACTIVE, rf_date(2024, 3, 10),
                     XC_NO_DATE);
        rf_member(f, hh[i].no, hh[i].w, "职工", RF_SELF);
        rf_member(f, hh[i].no, hh[i].s, "配偶", RF_SPOUSE);
        rf_member(f, hh[i].no, hh[i].c, "子女", RF_CHILD);
        income_months(f, hh[i].w, 2024, 4, 6, hh[i].earned);
    }
    rf_run(f);

    const xc_flag *fl = rf_find(f, "IN-2500", "IN-EXIT-DUE");
    assert_non_null(fl);
    assert_int_equal(fl->from, rf_date(2024, 4, 1));
    assert_int_equal(fl->to, rf_date(2024, 9, 30));
    assert_contains(rf_evidence(f, fl), "{\"month\":\"2024-04\",\"household_income\":2500.00,"
                                        "\"members\":3,\"per_capita\":833.33,\"standard\":800.00,"
                                        "\"above\":true,\"below\":false}");
    assert_int_equal(rf_count(f, "IN-2350", "IN-EXIT-DUE"), 0);
    assert_int_equal(rf_count(f, "IN-2400", "IN-EXIT-DUE"), 0);
}

static void test_income_enroll_high_flags_three_months_above_before_enrollment(void **state)
{
    rulefix *f = *state;
    char high[19], dip[19], april[19];
    rf_standard(f, "5301", rf_date(2023, 1, 1), YUAN(800));
    household_of_one(f, "EH-HIGH", high, 11, 530102, XC_ST_ACTIVE, rf_date(2024, 4, 15),
                     XC_NO_DATE);
    household_of_one(f, "EH-DIP", dip, 13, 530102, XC_ST_ACTIVE, rf_date(2024, 4, 15),
                     XC_NO_DATE);
    household_of_one(f, "EH-MONTH", april, 15, 530102, XC_ST_ACTIVE, rf_date(2024, 4, 1),
                     XC_NO_DATE);
    income_months(f, high, 2024, 1, 3, YUAN(1000));    /* 2024-01 .. 03 */
    rf_income(f, dip, rf_month(2024, 1), YUAN(1000));
    rf_income(f, dip, rf_month(2024, 2), YUAN(700));   /* one month below */
    rf_income(f, dip, rf_month(2024, 3), YUAN(1000));
    /* Enrolled on the 1st of April: April itself is not "before". */
    income_months(f, april, 2024, 2, 3, YUAN(1000));  /* 2024-02 .. 04 */
    rf_run(f);

    assert_int_equal(rf_count(f, "EH-HIGH", "IN-ENROLL-HIGH"), 1);
    const xc_flag *fl = rf_find(f, "EH-HIGH", "IN-ENROLL-HIGH");
    assert_int_equal(fl->category, XC_CAT_MIS_ENROLLMENT);
    assert_int_equal(fl->from, rf_date(2024, 1, 1));
    assert_int_equal(fl->to, rf_date(2024, 3, 31));
    assert_contains(rf_evidence(f, fl), "\"factor\":1,\"months\":[{\"month\":\"2024-01\","
                                        "\"household_income\":1000.00,\"members\":1,"
                                        "\"per_capita\":1000.00,\"standard\":800.00,"
                                        "\"above\":true");
    assert_contains(rf_evidence(f, fl), "{\"month\":\"2024-03\",");
    assert_lacks(rf_evidence(f, fl), "\"month\":\"2023-12\"");
    assert_lacks(rf_evidence(f, fl), "\"month\":\"2024-04\"");

    assert_int_equal(rf_count(f, "EH-DIP", "IN-ENROLL-HIGH"), 0);
    assert_int_equal(rf_count(f, "EH-MONTH", "IN-ENROLL-HIGH"), 0);
}

static void test_income_enroll_high_compares_with_the_standard_times_the_profile_factor(
    void **state)
{
    rulefix *f = *state;
    char over[19], under[19];
    rf_param(f, "income", "enroll_factor", "1.5");   /* 800 x 1.5 = 1200 */
    rf_standard(f, "5301", rf_date(2023, 1, 1), YUAN(800));
    household_of_one(f, "EH-1300", over, 11, 530102, XC_ST_ACTIVE, rf_date(2024, 4, 15),
                     XC_NO_DATE);
    household_of_one(f, "EH-1100", under, 13, 530102, XC_ST_ACTIVE, rf_date(2024, 4, 15),
                     XC_NO_DATE);
    income_months(f, over, 2024, 1, 3, YUAN(1300));
    income_months(f, under, 2024, 1, 3, YUAN(1100));
    rf_run(f);

    const xc_flag *fl = rf_find(f, "EH-1300", "IN-ENROLL-HIGH");
    assert_non_null(fl);
    assert_contains(rf_evidence(f, fl), "\"factor\":1.5,");
    assert_int_equal(rf_count(f, "EH-1100", "IN-ENROLL-HIGH"), 0);
}

static void test_income_wrong_exit_needs_six_months_above_before_an_exit_in_the_audit_period(
    void **state)
{
    rulefix *f = *state;
    char six[19], five[19], old[19], edge[19], first[19];
    /* as_of 2025-06-30: the audit period is (2024-06-30, 2025-06-30]. */
    rf_standard(f, "5301", rf_date(2023, 1, 1), YUAN(800));
    household_of_one(f, "EX-6", six, 11, 530102, XC_ST_EXITED, rf_date(2022, 1, 1),
                     rf_date(2025, 3, 20));
    household_of_one(f, "EX-5", five, 13, 530102, XC_ST_EXITED, rf_date(2022, 1, 1),
                     rf_date(2025, 3, 20));
    household_of_one(f, "EX-OLD", old, 15, 530102, XC_ST_EXITED, rf_date(2022, 1, 1),
                     rf_date(2024, 5, 10));
    household_of_one(f, "EX-EDGE", edge, 17, 530102, XC_ST_EXITED, rf_date(2022, 1, 1),
                     rf_date(2024, 6, 30));
    household_of_one(f, "EX-FIRST", first, 19, 530102, XC_ST_EXITED, rf_date(2022, 1, 1),
                     rf_date(2024, 7, 1));
    income_months(f, six, 2024, 9, 6, YUAN(1000));     /* 2024-09 .. 2025-02 */
    income_months(f, five, 2024, 10, 5, YUAN(1000));   /* 2024-10 .. 2025-02 */
    rf_run(f);

    assert_int_equal(f->ctx.audit_from, rf_date(2024, 6, 30));
    assert_int_equal(rf_count(f, "EX-6", "EX-WRONG"), 0);

    assert_int_equal(rf_count(f, "EX-5", "EX-WRONG"), 1);
    const xc_flag *fl = rf_find(f, "EX-5", "EX-WRONG");
    assert_int_equal(fl->category, XC_CAT_WRONG_EXIT);
    assert_int_equal(fl->from, rf_date(2025, 3, 20));
    assert_int_equal(fl->to, XC_NO_DATE);
    assert_contains(rf_evidence(f, fl), "{\"month\":\"2024-09\",\"household_income\":0.00,"
                                        "\"members\":1,\"per_capita\":0.00,\"standard\":800.00,"
                                        "\"above\":false,\"below\":true}");
    assert_contains(rf_evidence(f, fl), "{\"month\":\"2025-02\",\"household_income\":1000.00,");
    assert_lacks(rf_evidence(f, fl), "\"month\":\"2025-03\"");
    assert_contains(fl->summary, "只有5个月");

    /* Exits on or before audit_from are not judged; the day after is. */
    assert_int_equal(rf_count(f, "EX-OLD", "EX-WRONG"), 0);
    assert_int_equal(rf_count(f, "EX-EDGE", "EX-WRONG"), 0);
    assert_int_equal(rf_count(f, "EX-FIRST", "EX-WRONG"), 1);
    assert_int_equal(rf_count(f, NULL, "EX-WRONG"), 2);
    /* 2026-12-02: no month above read "只有0个月" */
    fl = rf_find(f, "EX-FIRST", "EX-WRONG");
    assert_contains(fl->summary, "退档前6个月家庭人均月收入均未高于低保标准");
    assert_lacks(fl->summary, "只有0个月");
}

static void test_income_relapse_flags_an_exited_household_below_in_each_of_the_last_three_months(
    void **state)
{
    rulefix *f = *state;
    char low[19], up[19], equal[19], recent[19];
    /* as_of 2025-06-30: the last three months are 2025-04 .. 2025-06. */
    rf_standard(f, "5301", rf_date(2023, 1, 1), YUAN(800));
    household_of_one(f, "RE-LOW", low, 11, 530102, XC_ST_EXITED, rf_date(2021, 1, 1),
                     rf_date(2024, 10, 15));
    household_of_one(f, "RE-UP", up, 13, 530102, XC_ST_EXITED, rf_date(2021, 1, 1),
                     rf_date(2024, 10, 15));
    household_of_one(f, "RE-EQUAL", equal, 15, 530102, XC_ST_EXITED, rf_date(2021, 1, 1),
                     rf_date(2024, 10, 15));
    household_of_one(f, "RE-RECENT", recent, 17, 530102, XC_ST_EXITED, rf_date(2021, 1, 1),
                     rf_date(2025, 4, 1));
    income_months(f, low, 2025, 4, 3, YUAN(500));
    income_months(f, up, 2025, 4, 3, YUAN(500));
    rf_income(f, up, rf_month(2025, 5), YUAN(400));    /* 900 in May: above */
    income_months(f, equal, 2025, 4, 3, YUAN(500));
    rf_income(f, equal, rf_month(2025, 6), YUAN(300)); /* 800 in June: not below */
    income_months(f, recent, 2025, 4, 3, YUAN(500));
    rf_run(f);

    assert_int_equal(rf_count(f, "RE-LOW", "EX-RELAPSE"), 1);
    const xc_flag *fl = rf_find(f, "RE-LOW", "EX-RELAPSE");
    assert_int_equal(fl->category, XC_CAT_RELAPSE);
    assert_int_equal(fl->from, rf_date(2025, 4, 1));
    assert_int_equal(fl->to, rf_date(2025, 6, 30));
    assert_contains(rf_evidence(f, fl), "{\"month\":\"2025-04\",\"household_income\":500.00,"
                                        "\"members\":1,\"per_capita\":500.00,\"standard\":800.00,"
                                        "\"above\":false,\"below\":true}");
    assert_contains(rf_evidence(f, fl), "{\"month\":\"2025-06\",");

    assert_int_equal(rf_count(f, "RE-UP", "EX-RELAPSE"), 0);
    assert_int_equal(rf_count(f, "RE-EQUAL", "EX-RELAPSE"), 0);
    /* Exited inside the window: not three months after the exit yet. */
    assert_int_equal(rf_count(f, "RE-RECENT", "EX-RELAPSE"), 0);
    /* In-archive households are not in the rule's scope. */
    assert_int_equal(rf_result(f, "EX-RELAPSE")->households, 4);
}

static void test_income_months_without_a_standard_raise_no_flag(void **state)
{
    rulefix *f = *state;
    char jan[19], feb[19], run[19], away[19], away_exit[19];
    /* Yunnan's standard starts in February 2024; 440305 has none at all. */
    rf_standard(f, "53", rf_date(2024, 2, 1), YUAN(800));
    household_of_one(f, "NS-JAN", jan, 11, 530102, XC_ST_ACTIVE, rf_date(2024, 4, 15),
                     XC_NO_DATE);
    household_of_one(f, "NS-FEB", feb, 13, 530102, XC_ST_ACTIVE, rf_date(2024, 5, 15),
                     XC_NO_DATE);
    household_of_one(f, "NS-RUN", run, 15, 530102, XC_ST_ACTIVE, rf_date(2023, 10, 1),
                     XC_NO_DATE);
    household_of_one(f, "NS-AWAY", away, 17, 440305, XC_ST_ACTIVE, rf_date(2023, 10, 1),
                     XC_NO_DATE);
    household_of_one(f, "NS-AWAY-EXIT", away_exit, 19, 440305, XC_ST_EXITED,
                     rf_date(2020, 1, 1), rf_date(2025, 1, 10));
    income_months(f, jan, 2024, 1, 3, YUAN(1000));     /* January has no standard */
    income_months(f, feb, 2024, 2, 3, YUAN(1000));     /* the control: all three have one */
    income_months(f, run, 2023, 11, 8, YUAN(1000));    /* 2023-11 .. 2024-06: 5 judged */
    income_months(f, away, 2023, 11, 12, YUAN(1000));
    rf_run(f);

    assert_int_equal(rf_count(f, "NS-JAN", "IN-ENROLL-HIGH"), 0);
    assert_int_equal(rf_count(f, "NS-FEB", "IN-ENROLL-HIGH"), 1);
    assert_int_equal(rf_count(f, "NS-RUN", "IN-EXIT-DUE"), 0);
    assert_int_equal(rf_count(f, "NS-AWAY", NULL), 0);
    /* No income at all, exited in the audit period: neither a wrong exit
     * nor a relapse can be judged without a standard. */
    assert_int_equal(rf_count(f, "NS-AWAY-EXIT", NULL), 0);
    assert_true(rf_result(f, "EX-RELAPSE")->evaluated);
    /* ... and such households are counted as not judged, not as passed:
     * before enrollment NS-JAN lacks January, NS-RUN and NS-AWAY every month;
     * after it only NS-AWAY has no month with a standard. */
    assert_int_equal(rf_result(f, "IN-ENROLL-HIGH")->not_judged, 3);
    assert_int_equal(rf_result(f, "IN-EXIT-DUE")->not_judged, 1);
    assert_int_equal(rf_result(f, "EX-WRONG")->not_judged, 1);
    assert_int_equal(rf_result(f, "EX-RELAPSE")->not_judged, 1);
}

static void test_income_rules_are_not_evaluated_without_the_standards(void **state)
{
    rulefix *f = *state;
    char id[19];
    household_of_one(f, "NE-1", id, 11, 530102, XC_ST_ACTIVE, rf_date(2024, 3, 10), XC_NO_DATE);
    income_months(f, id, 2024, 4, 12, YUAN(5000));
    rf_run(f);

    const char *ids[] = {"IN-ENROLL-HIGH", "IN-EXIT-DUE", "EX-WRONG", "EX-RELAPSE"};
    for (int i = 0; i < 4; i++) {
        const xc_rule_result *r = rf_result(f, ids[i]);
        assert_false(r->evaluated);
        assert_string_equal(r->why_not, "dataset dibao_standard not configured");
        assert_int_equal(r->flags, 0);
        assert_int_equal(r->households, 0);
        assert_int_equal(rf_count(f, NULL, ids[i]), 0);
    }
}

static void test_income_rules_do_not_judge_a_household_without_members(void **state)
{
    rulefix *f = *state;
    char w[19], w2[19];
    rf_standard(f, "5301", rf_date(2023, 1, 1), YUAN(800));
    /* Exited in the audit period, but no member row: no per-capita income,
     * so no wrong exit either; one with its member is judged (no income:
     * a wrong exit). */
    rf_id(w, 530102, 1971, 4, 4, 21);
    rf_household(f, "EX-EMPTY", w, 530102, XC_ST_EXITED, rf_date(2022, 1, 1),
                 rf_date(2025, 3, 20));
    household_of_one(f, "EX-ONE", w2, 23, 530102, XC_ST_EXITED, rf_date(2022, 1, 1),
                     rf_date(2025, 3, 20));
    rf_configure(f, XC_DS_SOCIAL_INSURANCE);
    rf_run(f);
    /* No income flag: only the archive's structure is flagged. */
    assert_int_equal(rf_count(f, "EX-EMPTY", "EX-WRONG"), 0);
    assert_int_equal(rf_count(f, "EX-EMPTY", "HH-NO-SELF"), 1);
    assert_int_equal(rf_count(f, "EX-EMPTY", NULL), 1);
    assert_int_equal(rf_count(f, "EX-ONE", "EX-WRONG"), 1);
    assert_int_equal(rf_result(f, "EX-WRONG")->not_judged, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, rf_setup, rf_teardown)
        T(test_income_flags_exit_due_after_exactly_six_months_above_and_not_after_five),
        T(test_income_exit_due_reports_the_whole_run_once),
        T(test_income_exit_due_does_not_count_the_month_of_as_of_before_it_ends),
        T(test_income_standard_rising_inside_a_run_breaks_it),
        T(test_income_standard_is_the_longest_region_prefix_in_force),
        T(test_income_standard_codes_ending_in_zeros_are_province_and_city),
        T(test_income_per_capita_counts_members_without_income),
        T(test_income_enroll_high_flags_three_months_above_before_enrollment),
        T(test_income_enroll_high_compares_with_the_standard_times_the_profile_factor),
        T(test_income_wrong_exit_needs_six_months_above_before_an_exit_in_the_audit_period),
        T(test_income_relapse_flags_an_exited_household_below_in_each_of_the_last_three_months),
        T(test_income_months_without_a_standard_raise_no_flag),
        T(test_income_rules_are_not_evaluated_without_the_standards),
        T(test_income_rules_do_not_judge_a_household_without_members),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
