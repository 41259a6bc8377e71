/* test_rules_candidate.c - CAND-ELIGIBLE and the assets that disqualify a
 * candidate as they would an archived household (default profile: a
 * commercial or industrial property, a second home, a car or truck, an
 * active business as legal representative or shareholder), each only as
 * held on as_of (2025-06-30); and the evidence naming the registers looked
 * at. Scenarios built in memory by tests/support/rulefix.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "rulefix.h"

/* Three months of own income ending June 2025, in yuan: below the
 * standard of 700 set by each test. */
static void income_below(rulefix *f, const char *id)
{
    rf_income(f, id, rf_month(2025, 4), 100 * 100);
    rf_income(f, id, rf_month(2025, 5), 100 * 100);
    rf_income(f, id, rf_month(2025, 6), 100 * 100);
}

/* A candidate of 530102 with low income; seq tells them apart. */
static char *candidate(rulefix *f, char id[19], int seq)
{
    rf_id(id, 530102, 1975, 2, 2, seq);
    rf_candidate(f, id, "候选", "dibao_list", 530102);
    income_below(f, id);
    return id;
}

static void assert_contains(const char *s, const char *part)
{
    if (!strstr(s, part))
        fail_msg("\"%s\" does not contain \"%s\"", s, part);
}

static void test_candidate_with_a_commercial_property_or_a_second_home_is_not_eligible(void **state)
{
    rulefix *f = *state;
    rf_standard(f, "53", rf_date(2024, 1, 1), 70000);
    char shop[19], two[19], one[19], sold[19];
    candidate(f, shop, 11);
    rf_property(f, shop, "商1", RF_PR_COMMERCIAL, rf_date(2021, 1, 1), XC_NO_DATE);
    candidate(f, two, 12);
    rf_property(f, two, "住1", RF_PR_RESIDENTIAL, rf_date(2021, 1, 1), XC_NO_DATE);
    rf_property(f, two, "住2", RF_PR_RESIDENTIAL, rf_date(2022, 1, 1), XC_NO_DATE);
    candidate(f, one, 13);
    rf_property(f, one, "住3", RF_PR_RESIDENTIAL, rf_date(2021, 1, 1), XC_NO_DATE);
    candidate(f, sold, 14);                 /* the shop sold before as_of */
    rf_property(f, sold, "商2", RF_PR_COMMERCIAL, rf_date(2019, 1, 1), rf_date(2024, 3, 1));
    rf_run(f);
    assert_int_equal(rf_count_subject(f, shop, "CAND-ELIGIBLE"), 0);
    assert_int_equal(rf_count_subject(f, two, "CAND-ELIGIBLE"), 0);
    assert_int_equal(rf_count_subject(f, one, "CAND-ELIGIBLE"), 1);
    const xc_flag *fl = rf_find_subject(f, sold, "CAND-ELIGIBLE");
    assert_non_null(fl);
    /* the property register was looked at, the others are not configured */
    assert_contains(fl->summary, "未见不符合条件的房产登记");
    assert_int_equal(rf_result(f, "CAND-ELIGIBLE")->flags, 2);
}

static void test_candidate_with_an_active_business_role_is_not_eligible(void **state)
{
    rulefix *f = *state;
    rf_standard(f, "53", rf_date(2024, 1, 1), 70000);
    char rep[19], closed[19], exec[19];
    candidate(f, rep, 21);
    rf_business(f, rep, RF_BZ_LEGAL_REP, RF_BZ_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    candidate(f, closed, 22);              /* closed before as_of */
    rf_business(f, closed, RF_BZ_SHAREHOLDER, RF_BZ_CANCELLED, rf_date(2018, 1, 1),
                rf_date(2023, 1, 1));
    candidate(f, exec, 23);                /* a role the profile does not count */
    rf_business(f, exec, RF_BZ_EXECUTIVE, RF_BZ_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_configure(f, XC_DS_VEHICLE);
    rf_run(f);
    assert_int_equal(rf_count_subject(f, rep, "CAND-ELIGIBLE"), 0);
    const xc_flag *fl = rf_find_subject(f, closed, "CAND-ELIGIBLE");
    assert_non_null(fl);
    assert_contains(fl->summary, "未见不符合条件的车辆、工商登记");
    assert_int_equal(rf_count_subject(f, exec, "CAND-ELIGIBLE"), 1);
}

static void test_candidate_evidence_says_no_register_was_looked_at(void **state)
{
    rulefix *f = *state;
    rf_standard(f, "53", rf_date(2024, 1, 1), 70000);
    char c[19];
    candidate(f, c, 31);
    rf_run(f);
    const xc_flag *fl = rf_find_subject(f, c, "CAND-ELIGIBLE");
    assert_non_null(fl);
    assert_contains(fl->summary, "未核对房产、车辆、工商登记");
    assert_contains(fl->summary, "2025-04 100.00/700.00");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_candidate_with_a_commercial_property_or_a_second_home_is_not_eligible, rf_setup,
            rf_teardown),
        cmocka_unit_test_setup_teardown(test_candidate_with_an_active_business_role_is_not_eligible,
                                        rf_setup, rf_teardown),
        cmocka_unit_test_setup_teardown(test_candidate_evidence_says_no_register_was_looked_at,
                                        rf_setup, rf_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
