/* test_profile.c - policy profiles: the shipped ones load, values parse,
 * and every mistake names the file, line and key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xcheck/profile.h"

static const char *FULL =
    "; a test profile\n"
    "[audit]\nperiod_months = 6\n"
    "[income]\nenroll_months = 3\nenroll_factor = 1.5\nexit_months = 6\n"
    "wrong_exit_months = 5\nrelapse_months = 2\n"
    "[property]\nresidential_min = 3\ncommercial_usages = commercial, industrial\n"
    "[vehicle]\nkinds = car\nmin_price = 50000\n"
    "[business]\nroles = legal_rep, shareholder, executive\nmin_capital = 1,000.50\n"
    "[thresholds]\nmis_enrollment_max = 0.5%\nmissed_exit_max = 1%\nwrong_exit_max = 1%\n"
    "missed_enrollment_max = 2%\npairing_coverage_min = 99.95%\nvisit_compliance_min = 100%\n";

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/xcheck-profile-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_profile(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_profile_shipped_profiles_all_load(void **state)
{
    (void)state;
    static const char *names[] = {"default", "yunnan", "anhui-city", "shandong", "chengdu"};
    for (size_t i = 0; i < 5; i++) {
        xc_profile p;
        xc_err err;
        xc_err_clear(&err);
        assert_int_equal(xc_profile_load(names[i], ".", XC_RULES_DIR, &p, &err), XC_OK);
        assert_true(p.exit_months >= 1);
    }
}

static void test_profile_parses_every_kind_of_value(void **state)
{
    (void)state;
    write_profile("full.profile", FULL);
    xc_profile p;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_profile_load("full.profile", dir, "/nonexistent", &p, &err), XC_OK);
    assert_int_equal(p.audit_period_months, 6);
    assert_int_equal(p.wrong_exit_months, 5);
    assert_true(p.enroll_factor > 1.49 && p.enroll_factor < 1.51);
    assert_int_equal(p.residential_min, 3);
    assert_int_equal(p.commercial_usages, (1u << 1) | (1u << 2));
    assert_int_equal(p.vehicle_kinds, 1u << 0);
    assert_int_equal(p.vehicle_min_price, 5000000);
    assert_int_equal(p.business_roles, 7u);
    assert_int_equal(p.business_min_capital, 100050);
    assert_true(p.threshold[XC_RATE_MIS_ENROLLMENT] > 0.00499 &&
                p.threshold[XC_RATE_MIS_ENROLLMENT] < 0.00501);
    assert_true(p.threshold[XC_RATE_PAIRING_COVERAGE] > 0.99949 &&
                p.threshold[XC_RATE_PAIRING_COVERAGE] < 0.99951);
    const char *sec, *key;
    char value[64];
    assert_true(xc_profile_param(&p, 7, &sec, &key, value, sizeof value));
    assert_string_equal(key, "commercial_usages");
    assert_string_equal(value, "commercial, industrial");
    int n = 0;
    while (xc_profile_param(&p, n, &sec, &key, value, sizeof value))
        n++;
    assert_int_equal(n, 18);
}

/* Replaces the first occurrence of `from` in FULL by `to`. */
static char *variant(const char *from, const char *to)
{
    static char buf[4096];
    const char *at = strstr(FULL, from);
    assert_non_null(at);
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - FULL), FULL, to, at + strlen(from));
    return buf;
}

static int line_of(const char *text, const char *what)
{
    const char *at = strstr(text, what);
    int line = 1;
    for (const char *p = text; p < at; p++)
        line += *p == '\n';
    return line;
}

static void test_profile_errors_name_the_line_and_key(void **state)
{
    (void)state;
    static const struct { const char *from, *to, *key; } cases[] = {
        {"exit_months = 6", "exit_month = 6", "exit_month"},
        {"relapse_months = 2", "relapse_months = two", "relapse_months"},
        {"relapse_months = 2", "relapse_months = 0", "relapse_months"},
        {"kinds = car", "kinds = car, boat", "kinds"},
        {"min_price = 50000", "min_price = -5", "min_price"},
        {"missed_exit_max = 1%", "missed_exit_max = 1", "missed_exit_max"},
        {"missed_exit_max = 1%", "missed_exit_max = 101%", "missed_exit_max"},
        {"missed_exit_max = 1%", "missed_exit_max = nan%", "missed_exit_max"},
        {"wrong_exit_months = 5", "wrong_exit_months = 5\nexit_months = 7", "exit_months"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = variant(cases[i].from, cases[i].to);
        write_profile("bad.profile", text);
        xc_profile p;
        xc_err err;
        xc_err_clear(&err);
        assert_int_equal(xc_profile_load("bad.profile", dir, "/x", &p, &err), XC_ECONFIG);
        assert_string_equal(err.field, cases[i].key);
        /* the error is on the changed line (for the duplicate: its second line) */
        int want = line_of(text, cases[i].to) + (strchr(cases[i].to, '\n') ? 1 : 0);
        assert_int_equal(err.row, want);
        assert_non_null(strstr(err.msg, "bad.profile:"));
    }
    /* a parameter left out */
    write_profile("short.profile", variant("relapse_months = 2\n", ""));
    xc_profile p;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_profile_load("short.profile", dir, "/x", &p, &err), XC_ECONFIG);
    assert_string_equal(err.field, "relapse_months");
    assert_non_null(strstr(err.msg, "missing"));
    /* no such profile */
    assert_int_equal(xc_profile_load("atlantis", dir, "/no/rules", &p, &err), XC_EIO);
    assert_non_null(strstr(err.msg, "/no/rules/atlantis.profile"));
}

static void test_profile_names_its_rates(void **state)
{
    (void)state;
    assert_string_equal(xc_rate_name(XC_RATE_MISSED_EXIT), "missed_exit_rate");
    assert_string_equal(xc_rate_label_zh(XC_RATE_MISSED_EXIT), "漏退率");
    assert_true(xc_rate_is_max(XC_RATE_WRONG_EXIT));
    assert_false(xc_rate_is_max(XC_RATE_PAIRING_COVERAGE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profile_shipped_profiles_all_load),
        cmocka_unit_test(test_profile_parses_every_kind_of_value),
        cmocka_unit_test(test_profile_errors_name_the_line_and_key),
        cmocka_unit_test(test_profile_names_its_rates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
