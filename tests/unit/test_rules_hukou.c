/* test_rules_hukou.c - the worker's household registration: HK-DECEASED,
 * HK-MOVED; and rules whose dataset is not configured. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "rulefix.h"

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("\"%s\" not found in %s", part, text);
}

/* A household in 530102 whose worker (written into id) is its only member,
 * with the worker's hukou row. */
static void worker_with_hukou(rulefix *f, const char *no, char id[static 19], int seq,
                              xc_date enrolled, uint32_t hk_region, int hk_status,
                              xc_date status_on)
{
    rf_id(id, 530102, 1960, 2, 29, seq);
    rf_household(f, no, id, 530102, XC_ST_ACTIVE, enrolled, XC_NO_DATE);
    rf_member(f, no, id, "张三", RF_SELF);
    rf_hukou(f, id, "张三", hk_region, hk_status, status_on);
}

static void test_hukou_deceased_worker_is_split_by_the_date_of_death(void **state)
{
    rulefix *f = *state;
    char before[19], on[19], after[19], future[19], unknown[19];
    xc_date enrolled = rf_date(2023, 6, 1);
    worker_with_hukou(f, "HK-BEFORE", before, 11, enrolled, 530102, RF_HK_DECEASED,
                      rf_date(2023, 1, 10));
    worker_with_hukou(f, "HK-ON", on, 13, enrolled, 530102, RF_HK_DECEASED, enrolled);
    worker_with_hukou(f, "HK-AFTER", after, 15, enrolled, 530102, RF_HK_DECEASED,
                      rf_date(2024, 2, 1));
    worker_with_hukou(f, "HK-FUTURE", future, 17, enrolled, 530102, RF_HK_DECEASED,
                      rf_date(2025, 7, 1));           /* after as_of 2025-06-30 */
    worker_with_hukou(f, "HK-UNKNOWN", unknown, 19, enrolled, 530102, RF_HK_DECEASED,
                      XC_NO_DATE);
    rf_run(f);

    assert_int_equal(rf_count(f, "HK-BEFORE", "HK-DECEASED"), 1);
    const xc_flag *fl = rf_find(f, "HK-BEFORE", "HK-DECEASED");
    assert_int_equal(fl->category, XC_CAT_MIS_ENROLLMENT);
    assert_int_equal(fl->from, rf_date(2023, 1, 10));
    assert_int_equal(fl->to, XC_NO_DATE);
    assert_string_equal(rf_flag_person(f, fl), "张三");
    assert_contains(fl->evidence, "\"dataset\":\"hukou\"");
    assert_contains(fl->evidence, "\"status\":\"deceased\",\"status_on\":\"2023-01-10\"");

    fl = rf_find(f, "HK-ON", "HK-DECEASED");
    assert_non_null(fl);
    assert_int_equal(fl->category, XC_CAT_MIS_ENROLLMENT);

    assert_int_equal(rf_count(f, "HK-AFTER", "HK-DECEASED"), 1);
    fl = rf_find(f, "HK-AFTER", "HK-DECEASED");
    assert_int_equal(fl->category, XC_CAT_MISSED_EXIT);
    assert_int_equal(fl->from, rf_date(2024, 2, 1));
    assert_int_equal(fl->to, XC_NO_DATE);

    assert_int_equal(rf_count(f, "HK-FUTURE", "HK-DECEASED"), 0);

    /* No date of death: taken as after enrollment. */
    fl = rf_find(f, "HK-UNKNOWN", "HK-DECEASED");
    assert_non_null(fl);
    assert_int_equal(fl->category, XC_CAT_MISSED_EXIT);
    assert_int_equal(fl->from, XC_NO_DATE);
}

static void test_hukou_deceased_looks_at_the_worker_not_other_members(void **state)
{
    rulefix *f = *state;
    char w[19], s[19];
    worker_with_hukou(f, "HK-SPOUSE", w, 11, rf_date(2023, 6, 1), 530102, RF_HK_NORMAL,
                      XC_NO_DATE);
    rf_id(s, 530102, 1962, 3, 1, 22);
    rf_member(f, "HK-SPOUSE", s, "李梅", RF_SPOUSE);
    rf_hukou(f, s, "李梅", 530102, RF_HK_DECEASED, rf_date(2024, 2, 1));
    rf_run(f);

    assert_int_equal(rf_count(f, "HK-SPOUSE", NULL), 0);
}

static void test_hukou_moved_flags_moving_out_and_registration_in_another_province(
    void **state)
{
    rulefix *f = *state;
    char out[19], later[19], away[19], near[19];
    xc_date enrolled = rf_date(2023, 6, 1);
    worker_with_hukou(f, "MV-OUT", out, 11, enrolled, 530102, RF_HK_MOVED_OUT,
                      rf_date(2024, 3, 1));
    worker_with_hukou(f, "MV-LATER", later, 13, enrolled, 530102, RF_HK_MOVED_OUT,
                      rf_date(2025, 8, 1));           /* after as_of */
    worker_with_hukou(f, "MV-AWAY", away, 15, enrolled, 440305, RF_HK_NORMAL, XC_NO_DATE);
    worker_with_hukou(f, "MV-NEAR", near, 17, enrolled, 530302, RF_HK_NORMAL, XC_NO_DATE);
    rf_run(f);

    assert_int_equal(rf_count(f, "MV-OUT", "HK-MOVED"), 1);
    const xc_flag *fl = rf_find(f, "MV-OUT", "HK-MOVED");
    assert_int_equal(fl->category, XC_CAT_MISSED_EXIT);
    assert_int_equal(fl->from, rf_date(2024, 3, 1));
    assert_int_equal(fl->to, XC_NO_DATE);
    assert_string_equal(rf_flag_person(f, fl), "张三");
    assert_contains(fl->evidence, "\"status\":\"moved_out\",\"status_on\":\"2024-03-01\"");

    assert_int_equal(rf_count(f, "MV-LATER", "HK-MOVED"), 0);

    assert_int_equal(rf_count(f, "MV-AWAY", "HK-MOVED"), 1);
    fl = rf_find(f, "MV-AWAY", "HK-MOVED");
    assert_int_equal(fl->category, XC_CAT_MISSED_EXIT);
    assert_int_equal(fl->from, XC_NO_DATE);
    assert_contains(fl->evidence, "\"region_code\":\"440305\"");
    assert_contains(fl->summary, "广东省深圳市南山区（440305）");

    /* Another county of the same province. */
    assert_int_equal(rf_count(f, "MV-NEAR", NULL), 0);
}

static void test_hukou_rules_are_not_evaluated_without_hukou(void **state)
{
    rulefix *f = *state;
    char w[19], s[19], bad[19];
    rf_id(w, 530102, 1960, 2, 29, 11);
    rf_id(s, 530102, 1962, 3, 1, 22);
    memcpy(bad, s, sizeof bad);
    bad[17] = s[17] == '0' ? '1' : '0';
    rf_household(f, "NC-1", w, 530102, XC_ST_ACTIVE, rf_date(2023, 6, 1), XC_NO_DATE);
    rf_member(f, "NC-1", w, "张三", RF_SELF);
    rf_member(f, "NC-1", bad, "李梅", RF_SPOUSE);
    rf_run(f);

    const char *ids[] = {"HK-DECEASED", "HK-MOVED", "ID-NOT-FOUND", "ID-NAME-MISMATCH"};
    for (int i = 0; i < 4; i++) {
        const xc_rule_result *r = rf_result(f, ids[i]);
        assert_false(r->evaluated);
        assert_string_equal(r->why_not, "dataset hukou not configured");
        assert_int_equal(r->flags, 0);
        assert_int_equal(r->households, 0);
        assert_int_equal(rf_count(f, NULL, ids[i]), 0);
    }
    /* Rules that need nothing but the archive still run. */
    const xc_rule_result *r = rf_result(f, "ID-INVALID");
    assert_true(r->evaluated);
    assert_string_equal(r->why_not, "");
    assert_int_equal(r->flags, 1);
    assert_int_equal(rf_count(f, NULL, NULL), 1);
}

static void test_hukou_configured_without_rows_finds_no_one(void **state)
{
    rulefix *f = *state;
    char w[19], s[19];
    rf_id(w, 530102, 1960, 2, 29, 11);
    rf_id(s, 530102, 1962, 3, 1, 22);
    rf_household(f, "NR-1", w, 530102, XC_ST_ACTIVE, rf_date(2023, 6, 1), XC_NO_DATE);
    rf_member(f, "NR-1", w, "张三", RF_SELF);
    rf_member(f, "NR-1", s, "李梅", RF_SPOUSE);
    rf_configure(f, XC_DS_HUKOU);
    rf_run(f);

    assert_true(rf_result(f, "ID-NOT-FOUND")->evaluated);
    assert_int_equal(rf_count(f, "NR-1", "ID-NOT-FOUND"), 2);
    assert_int_equal(rf_result(f, "HK-DECEASED")->households, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, rf_setup, rf_teardown)
        T(test_hukou_deceased_worker_is_split_by_the_date_of_death),
        T(test_hukou_deceased_looks_at_the_worker_not_other_members),
        T(test_hukou_moved_flags_moving_out_and_registration_in_another_province),
        T(test_hukou_rules_are_not_evaluated_without_hukou),
        T(test_hukou_configured_without_rows_finds_no_one),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
