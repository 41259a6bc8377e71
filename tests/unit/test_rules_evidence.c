/* test_rules_evidence.c - a flag's evidence as evidence.jsonl writes it: the
 * income rules keep their months as data, and writing them into the
 * evidence gives the same bytes as the text the rules wrote before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rulefix.h"
#include "xcheck/text.h"

#define YUAN(y) ((int64_t)(y) * 100)

/* What the rules wrote into the evidence before they kept the months as
 * data (2026-12-02), for the scenarios below. */
static const char want_enroll_high[] =
    "{\"rule\":\"IN-ENROLL-HIGH\",\"category\":\"mis_enrollment\","
    "\"archive_no\":\"EV 5301 02********01 17\",\"region_code\":\"530102\","
    "\"level\":\"national\",\"status\":\"active\",\"enrolled_on\":\"2024-04-15\","
    "\"exited_on\":null,\"members\":3,\"household_line\":3,\"from\":\"2024-01-01\","
    "\"to\":\"2024-03-31\",\"rows\":[],\"factor\":1.5,\"months\":[{\"month\":\"2024-01\","
    "\"household_income\":4000.01,\"members\":3,\"per_capita\":1333.34,\"standard\":800.00,"
    "\"above\":true,\"below\":false},{\"month\":\"2024-02\",\"household_income\":4000.01,"
    "\"members\":3,\"per_capita\":1333.34,\"standard\":800.00,\"above\":true,"
    "\"below\":false},{\"month\":\"2024-03\",\"household_income\":4000.01,\"members\":3,"
    "\"per_capita\":1333.34,\"standard\":800.00,\"above\":true,\"below\":false}],"
    "\"summary\":\"建档（2024-04-15）前3个月家庭人均月收入均高于低保标准×1.5："
    "2024-01人均1333.34/标准800.00，2024-02人均1333.34/标准800.00，"
    "2024-03人均1333.34/标准800.00\"}";

static const char want_enroll_high_full[] =
    "{\"rule\":\"IN-ENROLL-HIGH\",\"category\":\"mis_enrollment\","
    "\"archive_no\":\"EV 5301 0219 7505 2001 17\",\"region_code\":\"530102\","
    "\"level\":\"national\",\"status\":\"active\",\"enrolled_on\":\"2024-04-15\","
    "\"exited_on\":null,\"members\":3,\"household_line\":3,\"from\":\"2024-01-01\","
    "\"to\":\"2024-03-31\",\"rows\":[],\"factor\":1.5,\"months\":[{\"month\":\"2024-01\","
    "\"household_income\":4000.01,\"members\":3,\"per_capita\":1333.34,\"standard\":800.00,"
    "\"above\":true,\"below\":false},{\"month\":\"2024-02\",\"household_income\":4000.01,"
    "\"members\":3,\"per_capita\":1333.34,\"standard\":800.00,\"above\":true,"
    "\"below\":false},{\"month\":\"2024-03\",\"household_income\":4000.01,\"members\":3,"
    "\"per_capita\":1333.34,\"standard\":800.00,\"above\":true,\"below\":false}],"
    "\"summary\":\"建档（2024-04-15）前3个月家庭人均月收入均高于低保标准×1.5："
    "2024-01人均1333.34/标准800.00，2024-02人均1333.34/标准800.00，"
    "2024-03人均1333.34/标准800.00\"}";

static const char want_exit_due[] =
    "{\"rule\":\"IN-EXIT-DUE\",\"category\":\"missed_exit\",\"archive_no\":\"EV-2\","
    "\"region_code\":\"530102\",\"level\":\"national\",\"status\":\"active\","
    "\"enrolled_on\":\"2024-01-10\",\"exited_on\":null,\"members\":1,\"household_line\":3,"
    "\"from\":\"2024-06-01\",\"to\":\"2024-11-30\",\"rows\":[],\"factor\":1,"
    "\"months\":[{\"month\":\"2024-02\",\"household_income\":-12.34,\"members\":1,"
    "\"per_capita\":-12.34,\"standard\":null,\"above\":false,\"below\":false},"
    "{\"month\":\"2024-03\",\"household_income\":0.00,\"members\":1,\"per_capita\":0.00,"
    "\"standard\":null,\"above\":false,\"below\":false},{\"month\":\"2024-04\","
    "\"household_income\":0.00,\"members\":1,\"per_capita\":0.00,\"standard\":null,"
    "\"above\":false,\"below\":false},{\"month\":\"2024-05\",\"household_income\":0.00,"
    "\"members\":1,\"per_capita\":0.00,\"standard\":null,\"above\":false,\"below\":false},"
    "{\"month\":\"2024-06\",\"household_income\":1000.00,\"members\":1,"
    "\"per_capita\":1000.00,\"standard\":800.00,\"above\":true,\"below\":false},"
    "{\"month\":\"2024-07\",\"household_income\":1000.00,\"members\":1,"
    "\"per_capita\":1000.00,\"standard\":800.00,\"above\":true,\"below\":false},"
    "{\"month\":\"2024-08\",\"household_income\":1000.00,\"members\":1,"
    "\"per_capita\":1000.00,\"standard\":800.00,\"above\":true,\"below\":false},"
    "{\"month\":\"2024-09\",\"household_income\":1000.00,\"members\":1,"
    "\"per_capita\":1000.00,\"standard\":800.00,\"above\":true,\"below\":false},"
    "{\"month\":\"2024-10\",\"household_income\":1000.00,\"members\":1,"
    "\"per_capita\":1000.00,\"standard\":800.00,\"above\":true,\"below\":false},"
    "{\"month\":\"2024-11\",\"household_income\":1000.00,\"members\":1,"
    "\"per_capita\":1000.00,\"standard\":800.00,\"above\":true,\"below\":false},"
    "{\"month\":\"2024-12\",\"household_income\":0.00,\"members\":1,\"per_capita\":0.00,"
    "\"standard\":800.00,\"above\":false,\"below\":true},{\"month\":\"2025-01\","
    "\"household_income\":0.00,\"members\":1,\"per_capita\":0.00,\"standard\":800.00,"
    "\"above\":false,\"below\":true},{\"month\":\"2025-02\",\"household_income\":0.00,"
    "\"members\":1,\"per_capita\":0.00,\"standard\":800.00,\"above\":false,\"below\":true},"
    "{\"month\":\"2025-03\",\"household_income\":0.00,\"members\":1,\"per_capita\":0.00,"
    "\"standard\":800.00,\"above\":false,\"below\":true},{\"month\":\"2025-04\","
    "\"household_income\":0.00,\"members\":1,\"per_capita\":0.00,\"standard\":800.00,"
    "\"above\":false,\"below\":true},{\"month\":\"2025-05\",\"household_income\":0.00,"
    "\"members\":1,\"per_capita\":0.00,\"standard\":800.00,\"above\":false,\"below\":true},"
    "{\"month\":\"2025-06\",\"household_income\":0.00,\"members\":1,\"per_capita\":0.00,"
    "\"standard\":800.00,\"above\":false,\"below\":true}],"
    "\"summary\":\"建档（2024-01-10）后家庭人均月收入连续6个月（2024-06至2024-11）高于低保标准，"
    "应脱困退档：2024-06人均1000.00/标准800.00，2024-07人均1000.00/标准800.00，"
    "2024-08人均1000.00/标准800.00，2024-09人均1000.00/标准800.00，"
    "2024-10人均1000.00/标准800.00，2024-11人均1000.00/标准800.00\"}";

/* Lines 7 and 21 of the demo's evidence.jsonl. */
static const char demo_wrong_exit[] =
    "{\"rule\":\"EX-WRONG\",\"category\":\"wrong_exit\",\"archive_no\":\"KN530103-0004\","
    "\"region_code\":\"530103\",\"level\":\"national\",\"status\":\"exited\","
    "\"enrolled_on\":\"2018-04-05\",\"exited_on\":\"2026-01-10\",\"members\":1,"
    "\"household_line\":5,\"from\":\"2026-01-10\",\"to\":null,\"rows\":[],\"factor\":1,"
    "\"months\":[{\"month\":\"2025-07\",\"household_income\":0.00,\"members\":1,"
    "\"per_capita\":0.00,\"standard\":800.00,\"above\":false,\"below\":true},"
    "{\"month\":\"2025-08\",\"household_income\":0.00,\"members\":1,\"per_capita\":0.00,"
    "\"standard\":800.00,\"above\":false,\"below\":true},{\"month\":\"2025-09\","
    "\"household_income\":0.00,\"members\":1,\"per_capita\":0.00,\"standard\":800.00,"
    "\"above\":false,\"below\":true},{\"month\":\"2025-10\",\"household_income\":0.00,"
    "\"members\":1,\"per_capita\":0.00,\"standard\":800.00,\"above\":false,\"below\":true},"
    "{\"month\":\"2025-11\",\"household_income\":0.00,\"members\":1,\"per_capita\":0.00,"
    "\"standard\":800.00,\"above\":false,\"below\":true},{\"month\":\"2025-12\","
    "\"household_income\":0.00,\"members\":1,\"per_capita\":0.00,\"standard\":800.00,"
    "\"above\":false,\"below\":true}],\"summary\":\"2026-01-10退档，"
    "退档前6个月中只有0个月家庭人均月收入高于低保标准：2025-07人均0.00/标准800.00，"
    "2025-08人均0.00/标准800.00，2025-09人均0.00/标准800.00，2025-10人均0.00/标准800.00，"
    "2025-11人均0.00/标准800.00，2025-12人均0.00/标准800.00\"}";

static const char demo_enroll_high[] =
    "{\"rule\":\"IN-ENROLL-HIGH\",\"category\":\"mis_enrollment\","
    "\"archive_no\":\"KN530111-0009\",\"region_code\":\"530111\",\"level\":\"local\","
    "\"status\":\"active\",\"enrolled_on\":\"2025-10-15\",\"exited_on\":null,\"members\":2,"
    "\"household_line\":11,\"from\":\"2025-07-01\",\"to\":\"2025-09-30\",\"rows\":[],"
    "\"factor\":1,\"months\":[{\"month\":\"2025-07\",\"household_income\":4000.00,"
    "\"members\":2,\"per_capita\":2000.00,\"standard\":800.00,\"above\":true,"
    "\"below\":false},{\"month\":\"2025-08\",\"household_income\":4000.00,\"members\":2,"
    "\"per_capita\":2000.00,\"standard\":800.00,\"above\":true,\"below\":false},"
    "{\"month\":\"2025-09\",\"household_income\":4000.00,\"members\":2,"
    "\"per_capita\":2000.00,\"standard\":800.00,\"above\":true,\"below\":false}],"
    "\"summary\":\"建档（2025-10-15）前3个月家庭人均月收入均高于低保标准："
    "2025-07人均2000.00/标准800.00，2025-08人均2000.00/标准800.00，"
    "2025-09人均2000.00/标准800.00\"}";

static void assert_evidence(const char *got, const char *want)
{
    if (strcmp(got, want) != 0)
        fail_msg("evidence differs:\n got %s\nwant %s", got, want);
}

/* A household of three enrolled on 2024-04-15, its archive number holding
 * an ID number written in groups (masked unless full_ids, to a text of
 * another length), three months of 4000.01 before enrollment against a
 * standard of 800 x 1.5. */
static const xc_flag *enroll_high(rulefix *f)
{
    char w[19], s[19], c[19], no[64];
    rf_id(w, 530102, 1975, 5, 20, 11);
    rf_id(s, 530102, 1977, 8, 2, 22);
    rf_id(c, 530102, 2003, 1, 9, 31);
    snprintf(no, sizeof no, "EV %.4s %.4s %.4s %.4s %.2s", w, w + 4, w + 8, w + 12, w + 16);
    rf_param(f, "income", "enroll_factor", "1.5");
    rf_standard(f, "5301", rf_date(2023, 1, 1), YUAN(800));
    rf_household(f, no, w, 530102, XC_ST_ACTIVE, rf_date(2024, 4, 15), XC_NO_DATE);
    rf_member(f, no, w, "张建国", RF_SELF);
    rf_member(f, no, s, "王芳", RF_SPOUSE);
    rf_member(f, no, c, "张磊", RF_CHILD);
    for (int i = 0; i < 3; i++) {
        rf_income(f, w, rf_month(2024, 1) + i, 133333);
        rf_income(f, s, rf_month(2024, 1) + i, 266668);
    }
    rf_run(f);
    assert_int_equal(rf_count(f, no, "IN-ENROLL-HIGH"), 1);
    return rf_find(f, no, "IN-ENROLL-HIGH");
}

static void test_evidence_of_an_income_flag_reads_as_before(void **state)
{
    rulefix *f = *state;
    const xc_flag *fl = enroll_high(f);
    assert_non_null(fl->income);
    assert_int_equal(fl->income->n, 3);
    assert_int_equal(fl->income->first, rf_month(2024, 1));
    assert_evidence(rf_evidence(f, fl), want_enroll_high);
}

static void test_evidence_with_full_ids_reads_as_before(void **state)
{
    rulefix *f = *state;
    f->full_ids = true;
    const xc_flag *fl = enroll_high(f);
    assert_evidence(rf_evidence(f, fl), want_enroll_high_full);
}

/* Months before the first standard (null), a negative amount, a run of six
 * months above. */
static void test_evidence_of_months_without_a_standard_reads_as_before(void **state)
{
    rulefix *f = *state;
    char w[19];
    rf_id(w, 530102, 1975, 5, 20, 11);
    rf_standard(f, "5301", rf_date(2024, 6, 1), YUAN(800));
    rf_household(f, "EV-2", w, 530102, XC_ST_ACTIVE, rf_date(2024, 1, 10), XC_NO_DATE);
    rf_member(f, "EV-2", w, "张建国", RF_SELF);
    rf_income(f, w, rf_month(2024, 2), -1234);
    for (int i = 0; i < 6; i++)
        rf_income(f, w, rf_month(2024, 6) + i, YUAN(1000));
    rf_run(f);
    const xc_flag *fl = rf_find(f, "EV-2", "IN-EXIT-DUE");
    assert_non_null(fl);
    assert_evidence(rf_evidence(f, fl), want_exit_due);
}

/* A flag as a rule leaves it: the evidence text without its months (cut
 * out of want at the months' place) and the months as data. */
static xc_flag flag_of(const char *want, const char *months_from, const char *months_to,
                       double factor, xc_month first, const xc_flag_month *m, uint32_t n)
{
    const char *a = strstr(want, months_from), *b = strstr(want, months_to);
    assert_non_null(a);
    assert_non_null(b);
    xc_flag f = {.rule = xc_rule_by_id("EX-WRONG"), .household = XC_NONE, .person = XC_NONE};
    size_t at = (size_t)(a - want), tail = strlen(b);
    f.evidence = malloc(at + tail + 1);
    f.summary = strdup("");
    f.income = malloc(sizeof *f.income + n * sizeof f.income->m[0]);
    assert_non_null(f.evidence);
    assert_non_null(f.summary);
    assert_non_null(f.income);
    memcpy(f.evidence, want, at);
    memcpy(f.evidence + at, b, tail + 1);
    *f.income = (xc_flag_income){.factor = factor, .at = at, .first = first, .n = n};
    memcpy(f.income->m, m, n * sizeof *m);
    return f;
}

static char *evidence_of(const xc_flag *f)
{
    xc_buf b = {0};
    xc_flag_evidence(f, &b);
    char *s = xc_buf_take(&b);
    assert_non_null(s);
    return s;
}

static void test_evidence_of_the_demo_income_flags_reads_as_before(void **state)
{
    (void)state;
    xc_flags list = {0};
    xc_flag_month below[6], high[3];
    for (int i = 0; i < 6; i++)
        below[i] = (xc_flag_month){.total = 0, .standard = YUAN(800), .members = 1,
                                   .covered = true, .below = true};
    for (int i = 0; i < 3; i++)
        high[i] = (xc_flag_month){.total = YUAN(4000), .standard = YUAN(800), .members = 2,
                                  .covered = true, .above = true};
    xc_flag f = flag_of(demo_wrong_exit, ",\"factor\"", ",\"summary\"", 1.0,
                        rf_month(2025, 7), below, 6);
    assert_int_equal(xc_flags_add(&list, &f), XC_OK);
    f = flag_of(demo_enroll_high, ",\"factor\"", ",\"summary\"", 1.0, rf_month(2025, 7),
                high, 3);
    assert_int_equal(xc_flags_add(&list, &f), XC_OK);
    char *got = evidence_of(&list.v[0]);
    assert_evidence(got, demo_wrong_exit);
    free(got);
    got = evidence_of(&list.v[1]);
    assert_evidence(got, demo_enroll_high);
    free(got);
    xc_flags_clear(&list);
}

/* The first months of the demo's IN-EXIT-DUE flag, before social
 * insurance covers any: no income, no per capita, the standard kept. */
static void test_evidence_of_months_social_insurance_does_not_cover_reads_as_before(
    void **state)
{
    (void)state;
    static const char want[] =
        "{\"rows\":[],\"factor\":1,\"months\":[{\"month\":\"2020-02\",\"covered\":false,"
        "\"household_income\":null,\"members\":3,\"per_capita\":null,\"standard\":600.00,"
        "\"above\":false,\"below\":false},{\"month\":\"2020-03\",\"covered\":false,"
        "\"household_income\":null,\"members\":3,\"per_capita\":null,\"standard\":600.00,"
        "\"above\":false,\"below\":false}],\"summary\":\"\"}";
    xc_flag_month m[2] = {{.standard = YUAN(600), .members = 3},
                          {.standard = YUAN(600), .members = 3}};
    xc_flag f = flag_of(want, ",\"factor\"", ",\"summary\"", 1.0, rf_month(2020, 2), m, 2);
    char *got = evidence_of(&f);
    assert_evidence(got, want);
    free(got);
    xc_flag_month_text t;
    xc_flag_month_text_of(&m[0], &t);
    assert_string_equal(t.income, "");
    assert_string_equal(t.per_capita, "");
    assert_string_equal(t.standard, "600.00");
    xc_flag_clear(&f);
    assert_null(f.income);
}

/* Flags are many: one without months keeps its text as it is, and the
 * months cost it no memory. */
static void test_evidence_of_a_flag_without_months_is_its_text(void **state)
{
    (void)state;
    xc_flag f = {.evidence = (char *)"{\"rule\":\"VH-CAR\",\"rows\":[],\"summary\":\"\"}"};
    char *got = evidence_of(&f);
    assert_string_equal(got, f.evidence);
    free(got);
    assert_true(sizeof(xc_flag) <= 5 * sizeof(void *) + 6 * sizeof(uint32_t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, rf_setup, rf_teardown)
        T(test_evidence_of_an_income_flag_reads_as_before),
        T(test_evidence_with_full_ids_reads_as_before),
        T(test_evidence_of_months_without_a_standard_reads_as_before),
#undef T
        cmocka_unit_test(test_evidence_of_the_demo_income_flags_reads_as_before),
        cmocka_unit_test(test_evidence_of_months_social_insurance_does_not_cover_reads_as_before),
        cmocka_unit_test(test_evidence_of_a_flag_without_months_is_its_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
