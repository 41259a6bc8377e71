/* test_rules_registry.c - rule families: registration checks each family's
 * ABI, every rule lands in report order, each family's parameters are
 * declared with a default that parses, and rates pick rules by field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "xcheck/evaluate.h"
#include "xcheck/profile.h"
#include "xcheck/plugin/rule.h"

static int no_eval(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    (void)ctx, (void)h, (void)out;
    return XC_OK;
}

static void test_registry_takes_every_family_in_report_order(void **state)
{
    (void)state;
    static const char *const ids[] = {
        "ID-INVALID", "ID-LEGACY", "ID-NOT-FOUND", "ID-NAME-MISMATCH", "DUP-PERSON",
        "HH-NO-SELF", "HH-MULTI-SELF", "HH-WORKER-NOT-MEMBER", "MB-DUPLICATE", "HK-DECEASED",
        "HK-MOVED", "PR-COMMERCIAL", "PR-MULTI", "VH-CAR", "BZ-ROLE", "IN-ENROLL-HIGH",
        "IN-EXIT-DUE", "EX-WRONG", "EX-RELAPSE", "EX-PUBLICITY", "EX-NOTICE", "EX-FOLLOWUP",
        "CT-UNPAIRED", "CT-VISITS", "PAY-NOT-ARCHIVED", "PAY-MEDICAL-OVER", "PAY-CHANNEL",
        "CAND-ELIGIBLE",
    };
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_families_error(&err), XC_OK);
    size_t n_fam, n;
    const xc_family *const *fam = xc_families(&n_fam);
    assert_true(n_fam >= 11);
    const xc_rule *const *rules = xc_rules(&n);
    /* the rules of today, in this order; a rule added since comes in too */
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof ids / sizeof ids[0]; i++)
        k += strcmp(rules[i]->id, ids[k]) == 0;
    assert_int_equal(k, sizeof ids / sizeof ids[0]);
    /* the families' rules one family after the other */
    size_t at = 0;
    for (size_t f = 0; f < n_fam; f++) {
        assert_int_equal(xc_family_check(fam[f], &err), XC_OK);
        for (size_t r = 0; fam[f]->rules[r]; r++) {
            assert_true(at < n);
            assert_ptr_equal(rules[at++], fam[f]->rules[r]);
            assert_string_equal(fam[f]->rules[r]->family, fam[f]->name);
        }
    }
    assert_int_equal(at, n);
}

/* 2026-12-02: a rule's ABI was never checked: a family built against an
 * older rule.h was taken in, its fields read at the wrong places. */
static void test_registry_refuses_a_family_or_rule_of_another_abi(void **state)
{
    (void)state;
    static const xc_rule good = {.abi = XC_RULE_ABI, .id = "T-GOOD", .family = "test",
                                 .category = XC_CAT_DATA_QUALITY, .evaluate = no_eval};
    static const xc_rule old = {.abi = XC_RULE_ABI - 1, .id = "T-OLD", .family = "test",
                                .category = XC_CAT_DATA_QUALITY, .evaluate = no_eval};
    const xc_family old_family = {.abi = XC_RULE_ABI - 1, .name = "test",
                                  .rules = (const xc_rule *const[]){&good, NULL}};
    const xc_family old_rule = {.abi = XC_RULE_ABI, .name = "test",
                                .rules = (const xc_rule *const[]){&good, &old, NULL}};
    const xc_family fine = {.abi = XC_RULE_ABI, .name = "test",
                            .rules = (const xc_rule *const[]){&good, NULL}};
    char want[128];
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_family_check(&old_family, &err), XC_ECONFIG);
    snprintf(want, sizeof want, "rule family \"test\" was built for rule ABI %d; this xcheck "
             "takes ABI %d", XC_RULE_ABI - 1, XC_RULE_ABI);
    assert_non_null(strstr(err.msg, want));
    assert_non_null(strstr(err.hint, "rules/test.c"));
    xc_err_clear(&err);
    assert_int_equal(xc_family_check(&old_rule, &err), XC_ECONFIG);
    snprintf(want, sizeof want, "rule T-OLD of family \"test\" was built for rule ABI %d",
             XC_RULE_ABI - 1);
    assert_non_null(strstr(err.msg, want));
    assert_int_equal(xc_family_check(&fine, &err), XC_OK);
}

/* Every rule whose flags a visit confirms says what the visit checks
 * (核查要点), and a family with such a rule without one is refused. */
static void test_registry_every_visited_rule_has_its_check(void **state)
{
    (void)state;
    size_t n, visited = 0;
    const xc_rule *const *rules = xc_rules(&n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        if (!rules[i]->split && !xc_category_visited(rules[i]->category))
            continue;
        visited++;
        if (!rules[i]->check_zh || strlen(rules[i]->check_zh) < 12)
            fail_msg("%s has no 核查要点", rules[i]->id);
        assert_non_null(strstr(rules[i]->check_zh, "核实"));
    }
    assert_true(visited >= 11);        /* HK-DECEASED ... EX-RELAPSE */
    assert_non_null(strstr(xc_rule_by_id("IN-EXIT-DUE")->check_zh,
                           "核实家庭成员近期收入（工资、养老金）是否已高于低保标准"));
    assert_non_null(strstr(xc_rule_by_id("HK-DECEASED")->check_zh, "核实户主是否已死亡"));
    /* the categories a visit confirms, and xcheck sample's names of them */
    assert_true(xc_category_visited(XC_CAT_MIS_ENROLLMENT));
    assert_true(xc_category_visited(XC_CAT_MISSED_EXIT));
    assert_true(xc_category_visited(XC_CAT_WRONG_EXIT));
    assert_true(xc_category_visited(XC_CAT_RELAPSE));
    assert_false(xc_category_visited(XC_CAT_MISSED_ENROLLMENT));
    assert_false(xc_category_visited(XC_CAT_DATA_QUALITY));
    assert_false(xc_category_visited(XC_CAT_PROCESS));
    for (int c = 0; c < XC_CAT_COUNT; c++)
        assert_int_equal(xc_category_by_name(xc_category_name((xc_category)c)), c);
    assert_int_equal(xc_category_by_name("nonsense"), XC_CAT_COUNT);

    static const xc_rule silent = {.abi = XC_RULE_ABI, .id = "T-SILENT", .family = "test",
                                   .category = XC_CAT_RELAPSE, .evaluate = no_eval};
    static const xc_rule split = {.abi = XC_RULE_ABI, .id = "T-SPLIT", .family = "test",
                                  .category = XC_CAT_DATA_QUALITY, .split = true,
                                  .evaluate = no_eval};
    static const xc_rule told = {.abi = XC_RULE_ABI, .id = "T-TOLD", .family = "test",
                                 .category = XC_CAT_RELAPSE, .check_zh = "核实家庭目前收入",
                                 .evaluate = no_eval};
    const xc_rule *const *lists[] = {(const xc_rule *const[]){&silent, NULL},
                                     (const xc_rule *const[]){&split, NULL}};
    for (size_t i = 0; i < 2; i++) {
        const xc_family f = {.abi = XC_RULE_ABI, .name = "test", .rules = lists[i]};
        xc_err err;
        xc_err_clear(&err);
        assert_int_equal(xc_family_check(&f, &err), XC_ECONFIG);
        assert_non_null(strstr(err.msg, "gives no check_zh (核查要点)"));
        assert_non_null(strstr(err.msg, lists[i][0]->id));
    }
    const xc_family fine = {.abi = XC_RULE_ABI, .name = "test",
                            .rules = (const xc_rule *const[]){&told, NULL}};
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_family_check(&fine, &err), XC_OK);
}

static void test_registry_refuses_a_rule_of_another_family_or_without_evaluate(void **state)
{
    (void)state;
    static const xc_rule stray = {.abi = XC_RULE_ABI, .id = "T-STRAY", .family = "other",
                                  .evaluate = no_eval};
    static const xc_rule idle = {.abi = XC_RULE_ABI, .id = "T-IDLE", .family = "test"};
    const xc_family a = {.abi = XC_RULE_ABI, .name = "test",
                         .rules = (const xc_rule *const[]){&stray, NULL}};
    const xc_family b = {.abi = XC_RULE_ABI, .name = "test",
                         .rules = (const xc_rule *const[]){&idle, NULL}};
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_family_check(&a, &err), XC_ECONFIG);
    assert_non_null(strstr(err.msg, "T-STRAY"));
    assert_int_equal(xc_family_check(&b, &err), XC_ECONFIG);
    assert_non_null(strstr(err.msg, "T-IDLE"));
}

static void test_registry_families_declare_each_parameter_with_a_default(void **state)
{
    (void)state;
    xc_profile p;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_profile_defaults(&p, &err), XC_OK);
    assert_true(p.n_params >= 30);
    for (int i = 0; i < p.n_params; i++) {
        assert_non_null(p.param[i]->def);
        assert_true(p.param[i]->comment && p.param[i]->comment[0]);
        assert_false(p.given[i]);
    }
    assert_int_equal(p.audit_period_months, 12);
    assert_int_equal(p.calendar.n_holidays, 20);
    assert_int_equal(p.calendar.n_workdays, 19);
    assert_true(p.threshold[XC_RATE_PAIRING_COVERAGE] > 0.9999);
    /* a value set as a profile line would, and one refused */
    assert_int_equal(xc_profile_set(&p, "contact", "window_months", "24", &err), XC_OK);
    assert_int_equal(xc_profile_set(&p, "contact", "window_months", "0", &err), XC_ECONFIG);
    assert_non_null(strstr(err.msg, "[contact] window_months: '0'"));
    assert_int_equal(xc_profile_set(&p, "contact", "colour", "red", &err), XC_NOT_FOUND);
    assert_int_equal(xc_profile_set(&p, "thresholds", "wrong_exit_max", "2%", &err), XC_OK);
    assert_true(p.threshold[XC_RATE_WRONG_EXIT] > 0.0199 && p.threshold[XC_RATE_WRONG_EXIT] < 0.0201);
}

/* What xcheck check and rules.csv say of a rule that will not run. */
static void test_registry_says_why_a_rule_will_not_run(void **state)
{
    (void)state;
    bool configured[XC_DS_COUNT] = {false};
    uint32_t bound[XC_DS_COUNT] = {0};
    configured[XC_DS_HOUSEHOLD] = configured[XC_DS_MEMBER] = true;
    char why[200];
    const xc_rule *hk = xc_rule_by_id("HK-DECEASED");
    assert_non_null(hk);
    assert_false(xc_rule_will_run(hk, configured, bound, why, sizeof why));
    assert_string_equal(why, "dataset hukou not configured");
    configured[XC_DS_HUKOU] = true;
    assert_true(xc_rule_will_run(hk, configured, bound, why, sizeof why));
    assert_string_equal(why, "");
    /* a rule needing an optional field: not run until it is mapped */
    const xc_rule *ct = xc_rule_by_id("CT-UNPAIRED");
    assert_non_null(ct);
    assert_non_null(ct->needs_field);
    configured[XC_DS_CONTACT] = true;
    assert_false(xc_rule_will_run(ct, configured, bound, why, sizeof why));
    assert_non_null(strstr(why, "not mapped"));
    bound[ct->needs_field->ds] |= 1u << ct->needs_field->field;
    assert_true(xc_rule_will_run(ct, configured, bound, why, sizeof why));
}

static void test_registry_rates_pick_rules_by_field(void **state)
{
    (void)state;
    size_t n;
    const xc_rule *const *rules = xc_rules(&n);
    for (size_t i = 0; i < n; i++) {
        const xc_rule *r = rules[i];
        assert_int_equal(xc_rate_uses_rule(XC_RATE_PAIRING_COVERAGE, r),
                         strcmp(r->id, "CT-UNPAIRED") == 0);
        assert_int_equal(xc_rate_uses_rule(XC_RATE_VISIT_COMPLIANCE, r),
                         strcmp(r->id, "CT-VISITS") == 0);
    }
    const xc_rule *unpaired = xc_rule_by_id("CT-UNPAIRED");
    assert_non_null(unpaired->needs_field);
    char name[64];
    assert_string_equal(xc_field_ref_name(unpaired->needs_field, name, sizeof name),
                        "household.cadre_id");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry_takes_every_family_in_report_order),
        cmocka_unit_test(test_registry_refuses_a_family_or_rule_of_another_abi),
        cmocka_unit_test(test_registry_refuses_a_rule_of_another_family_or_without_evaluate),
        cmocka_unit_test(test_registry_every_visited_rule_has_its_check),
        cmocka_unit_test(test_registry_families_declare_each_parameter_with_a_default),
        cmocka_unit_test(test_registry_rates_pick_rules_by_field),
        cmocka_unit_test(test_registry_says_why_a_rule_will_not_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
