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

#include "profile_values.h"

static const char *FULL =
    "; a test profile\n"
    "[audit]\nperiod_months = 6\n"
    "[income]\nenroll_months = 3\nenroll_factor = 1.5\nexit_months = 6\n"
    "wrong_exit_months = 5\nrelapse_months = 2\n"
    "[property]\nresidential_min = 3\ncommercial_usages = commercial, industrial\n"
    "[vehicle]\nkinds = car\nmin_price = 50000\n"
    "[business]\nroles = legal_rep, shareholder, executive\nmin_capital = 1,000.50\n"
    "[contact]\nvisit_period_months = 6\nvisits_per_period = 1\ncall_period_months = 6\n"
    "calls_per_period = 2\nwindow_months = 12\n"
    "[exit]\npublicity_workdays = 5\nfollowup_after_months = 6\nfollowup_min_months = 5\n"
    "holidays = 2025-01-01, 2025-01-28..2025-02-04\n"
    "workdays = 2025-01-26, 2025-02-08\n"
    "holidays = 2026-01-01..2026-01-03\n"
    "workdays = 2026-01-04\n"
    "[candidate]\nincome_months = 4\nincome_factor = 1.2\n"
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

/* The listed value of [section] key (its first entry for a date list). */
static const char *pv(const xc_profile *p, const char *section, const char *key)
{
    static char value[256];
    const char *sec, *k;
    for (int i = 0; xc_profile_param(p, i, &sec, &k, value, sizeof value); i++)
        if (strcmp(sec, section) == 0 && strcmp(k, key) == 0)
            return value;
    fail_msg("no parameter [%s] %s", section, key);
    return NULL;
}

static xc_date ymd(int y, int m, int d)
{
    return xc_date_from_ymd(y, m, d);
}

static void test_profile_shipped_profiles_all_load(void **state)
{
    (void)state;
    /* contact schedules: 000 half-year, 1 visit and 2 calls (default takes
     * it too); 001 quarterly visit, monthly call; 002 quarterly visit, 003
     * half-yearly visit, no calls */
    static const struct {
        const char *name;
        int visit_period, visits, call_period, calls;
    } want[] = {
        {"default", 6, 1, 6, 2}, {"yunnan", 6, 1, 6, 2}, {"anhui-city", 3, 1, 1, 1},
        {"shandong", 3, 1, 3, 0}, {"chengdu", 6, 1, 6, 0},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        xc_profile p;
        xc_err err;
        xc_err_clear(&err);
        assert_int_equal(xc_profile_load(want[i].name, ".", XC_RULES_DIR, &p, &err), XC_OK);
        assert_int_equal(atoi(pv(&p, "contact", "visit_period_months")), want[i].visit_period);
        assert_int_equal(atoi(pv(&p, "contact", "visits_per_period")), want[i].visits);
        assert_int_equal(atoi(pv(&p, "contact", "call_period_months")), want[i].call_period);
        assert_int_equal(atoi(pv(&p, "contact", "calls_per_period")), want[i].calls);
        assert_string_equal(pv(&p, "contact", "window_months"), "12");
        assert_string_equal(pv(&p, "exit", "publicity_workdays"), "5");
        assert_string_equal(pv(&p, "exit", "followup_after_months"), "6");
        assert_string_equal(pv(&p, "exit", "followup_min_months"), "5");
        assert_string_equal(pv(&p, "candidate", "income_months"), "3");
        assert_string_equal(pv(&p, "candidate", "income_factor"), "1");
        /* 2024: 7 holidays, 8 working weekend days; 2025: 6 and 5; 2026: 7 and 6 */
        assert_int_equal(p.calendar.n_holidays, 20);
        assert_int_equal(p.calendar.n_workdays, 19);
        /* National Day 2025: posted Friday 26 September; Sunday 28 is worked,
         * 1-8 October are off: 26, 28, 29, 30 September, then Thursday 9
         * October is the 5th working day */
        assert_int_equal(xc_workdays_between(&p.calendar, ymd(2025, 9, 26), ymd(2025, 10, 8)), 4);
        assert_int_equal(xc_workdays_between(&p.calendar, ymd(2025, 9, 26), ymd(2025, 10, 9)), 5);
        /* Spring Festival 2026: posted Thursday 12 February; Saturday 14 is
         * worked, 15-23 are off: 12, 13, 14, then Tuesday 24 and Wednesday 25 */
        assert_int_equal(xc_workdays_between(&p.calendar, ymd(2026, 2, 12), ymd(2026, 2, 24)), 4);
        assert_int_equal(xc_workdays_between(&p.calendar, ymd(2026, 2, 12), ymd(2026, 2, 25)), 5);
        /* 2024: 4 April (Thursday) off, 7 April (Sunday) worked */
        assert_false(xc_is_workday(&p.calendar, ymd(2024, 4, 4)));
        assert_true(xc_is_workday(&p.calendar, ymd(2024, 4, 7)));
    }
}

/* Every shipped profile comes to the values it had when every profile listed
 * every parameter (profile_values.h), whatever it now leaves to defaults; a
 * parameter declared since then may only add its default. */
static void test_profile_shipped_profiles_keep_every_value(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof shipped_profiles / sizeof shipped_profiles[0]; i++) {
        const char *name = shipped_profiles[i].name;
        xc_profile p;
        xc_err err;
        xc_err_clear(&err);
        assert_int_equal(xc_profile_load(name, ".", XC_RULES_DIR, &p, &err), XC_OK);
        static char lines[128][320];
        bool is_default[128], wanted[128] = {false};
        int n = 0;
        const char *sec, *key;
        char value[256];
        for (int k = 0; xc_profile_param(&p, k, &sec, &key, value, sizeof value); k++) {
            assert_true(n < 128);
            snprintf(lines[n], sizeof lines[n], "[%s] %s = %s", sec, key, value);
            is_default[n++] = xc_profile_param_is_default(&p, k, sizeof value);
        }
        for (const char *const *want = shipped_profiles[i].values; *want; want++) {
            int k = 0;
            while (k < n && (wanted[k] || strcmp(lines[k], *want) != 0))
                k++;
            if (k == n)
                fail_msg("%s: \"%s\" is gone", name, *want);
            wanted[k] = true;
        }
        for (int k = 0; k < n; k++)
            if (!wanted[k] && !is_default[k])
                fail_msg("%s: \"%s\" is new and not a default", name, lines[k]);
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
    assert_string_equal(pv(&p, "income", "wrong_exit_months"), "5");
    assert_string_equal(pv(&p, "income", "enroll_factor"), "1.5");
    assert_string_equal(pv(&p, "property", "residential_min"), "3");
    assert_string_equal(pv(&p, "property", "commercial_usages"), "commercial, industrial");
    assert_string_equal(pv(&p, "vehicle", "kinds"), "car");
    assert_string_equal(pv(&p, "vehicle", "min_price"), "50000.00");
    assert_string_equal(pv(&p, "business", "roles"), "legal_rep, shareholder, executive");
    assert_string_equal(pv(&p, "business", "min_capital"), "1000.50");
    assert_true(p.threshold[XC_RATE_MIS_ENROLLMENT] > 0.00499 &&
                p.threshold[XC_RATE_MIS_ENROLLMENT] < 0.00501);
    assert_true(p.threshold[XC_RATE_PAIRING_COVERAGE] > 0.99949 &&
                p.threshold[XC_RATE_PAIRING_COVERAGE] < 0.99951);
    assert_string_equal(pv(&p, "contact", "visit_period_months"), "6");
    assert_string_equal(pv(&p, "contact", "calls_per_period"), "2");
    assert_string_equal(pv(&p, "candidate", "income_months"), "4");
    assert_string_equal(pv(&p, "candidate", "income_factor"), "1.2");
    /* repeated keys add up: 2025-01-01, 2025-01-28..02-04, 2026-01-01..03 */
    assert_int_equal(p.calendar.n_holidays, 3);
    assert_int_equal(p.calendar.n_workdays, 3);
    assert_true(xc_is_workday(&p.calendar, ymd(2026, 1, 4)));
    const char *sec, *key;
    char value[64];
    assert_true(xc_profile_param(&p, 2, &sec, &key, value, sizeof value));
    assert_string_equal(key, "commercial_usages");
    assert_string_equal(value, "commercial, industrial");
    /* 30 parameters, each family's together in report order; holidays and
     * workdays are listed once per year */
    int n = 0;
    for (int i = 0; xc_profile_param(&p, i, &sec, &key, value, sizeof value); i++)
        n += !xc_profile_param_is_default(&p, i, sizeof value);
    assert_int_equal(n, 32);
    assert_true(xc_profile_param(&p, 15, &sec, &key, value, sizeof value));
    assert_string_equal(sec, "exit");
    assert_string_equal(key, "holidays");
    assert_string_equal(value, "2025-01-01, 2025-01-28..2025-02-04");
    assert_true(xc_profile_param(&p, 16, &sec, &key, value, sizeof value));
    assert_string_equal(key, "holidays");
    assert_string_equal(value, "2026-01-01..2026-01-03");
    assert_true(xc_profile_param(&p, 18, &sec, &key, value, sizeof value));
    assert_string_equal(key, "workdays");
    assert_string_equal(value, "2026-01-04");
    assert_true(xc_profile_param(&p, 24, &sec, &key, value, sizeof value));
    assert_string_equal(sec, "candidate");
    assert_string_equal(key, "income_months");
    assert_string_equal(value, "4");
}

/* Replaces the first occurrence of `from` in FULL by `to`. */
static char *variant(const char *from, const char *to)
{
    static char buf[16384];
    const char *at = strstr(FULL, from);
    assert_non_null(at);
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - FULL), FULL, to, at + strlen(from));
    return buf;
}

/* Removes the first occurrence of line from text. */
static void remove_line(char *text, const char *line)
{
    char *at = strstr(text, line);
    assert_non_null(at);
    memmove(at, at + strlen(line), strlen(at + strlen(line)) + 1);
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
        {"holidays = 2026-01-01..2026-01-03", "holidays = 2026-02-30", "holidays"},
        {"holidays = 2026-01-01..2026-01-03", "holidays = 2026-01-03..2026-01-01", "holidays"},
        {"holidays = 2026-01-01..2026-01-03", "holidays = 2026-01-01 to 2026-01-03",
         "holidays"},
        {"workdays = 2026-01-04", "workdays = 2026-01-05", "workdays"},        /* Monday */
        {"workdays = 2026-01-04", "workdays = 2026-01-03", "workdays"},        /* a holiday */
        {"visit_period_months = 6", "visit_period_months = 5", "visit_period_months"},
        {"call_period_months = 6", "call_period_months = 24", "call_period_months"},
        {"call_period_months = 6", "call_period_months = 0", "call_period_months"},
        {"visits_per_period = 1", "visits_per_period = 0", "visits_per_period"},
        {"publicity_workdays = 5", "publicity_workdays = -1", "publicity_workdays"},
        {"income_factor = 1.2", "income_factor = 0", "income_factor"},
        {"window_months = 12", "window_months = 12\nwindow_months = 12", "window_months"},
        /* a half-year needs a 12-month window to be always complete once */
        {"window_months = 12", "window_months = 11", "window_months"},
        /* no follow-up could be due after 6 months and dated after 7 */
        {"followup_min_months = 5", "followup_min_months = 7", "followup_min_months"},
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
    /* a parameter left out takes its default, and is listed as one */
    write_profile("short.profile", variant("relapse_months = 2\n", ""));
    xc_profile p;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_profile_load("short.profile", dir, "/x", &p, &err), XC_OK);
    assert_string_equal(pv(&p, "income", "relapse_months"), "3");
    static const struct { const char *line, *section, *key, *value; } gone[] = {
        {"window_months = 12\n", "contact", "window_months", "12"},
        {"income_factor = 1.2\n", "candidate", "income_factor", "1"},
        {"mis_enrollment_max = 0.5%\n", "thresholds", "mis_enrollment_max", "1%"},
        {"period_months = 6\n", "audit", "period_months", "12"},
        /* the other line of the list remains: no default */
        {"workdays = 2025-01-26, 2025-02-08\n", "exit", "workdays", "2026-01-04"},
    };
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++) {
        write_profile("short.profile", variant(gone[i].line, ""));
        xc_err_clear(&err);
        assert_int_equal(xc_profile_load("short.profile", dir, "/x", &p, &err), XC_OK);
        assert_string_equal(pv(&p, gone[i].section, gone[i].key), gone[i].value);
        const char *sec, *key;
        char value[256];
        for (int k = 0; xc_profile_param(&p, k, &sec, &key, value, sizeof value); k++)
            assert_int_equal(xc_profile_param_is_default(&p, k, sizeof value),
                             strcmp(key, gone[i].key) == 0 && i + 1 < 5);
    }
    assert_int_equal(p.audit_period_months, 6);
    write_profile("short.profile", variant("period_months = 6\n", ""));
    assert_int_equal(xc_profile_load("short.profile", dir, "/x", &p, &err), XC_OK);
    assert_int_equal(p.audit_period_months, 12);
    assert_true(p.threshold[XC_RATE_MIS_ENROLLMENT] > 0.00499 &&
                p.threshold[XC_RATE_MIS_ENROLLMENT] < 0.00501);
    /* both holidays lines gone: the default list, three years of it */
    char text[4096];
    snprintf(text, sizeof text, "%s", variant("holidays = 2025-01-01, 2025-01-28..2025-02-04\n",
                                              ""));
    remove_line(text, "holidays = 2026-01-01..2026-01-03\n");
    write_profile("short.profile", text);
    xc_err_clear(&err);
    assert_int_equal(xc_profile_load("short.profile", dir, "/x", &p, &err), XC_OK);
    assert_int_equal(p.calendar.n_holidays, 20);
    assert_int_equal(p.calendar.n_workdays, 3);
    assert_string_equal(pv(&p, "exit", "holidays"), "2024-01-01, 2024-02-10..2024-02-17, "
                        "2024-04-04..2024-04-06, 2024-05-01..2024-05-05, 2024-06-10, "
                        "2024-09-15..2024-09-17, 2024-10-01..2024-10-07");
    /* an empty profile is every default */
    write_profile("empty.profile", "; nothing changed\n");
    assert_int_equal(xc_profile_load("empty.profile", dir, "/x", &p, &err), XC_OK);
    /* 2026-12-02: a file of no bytes at all was refused as unreadable,
     * while one holding only a comment took every default */
    write_profile("empty.profile", "");
    assert_int_equal(xc_profile_load("empty.profile", dir, "/x", &p, &err), XC_OK);
    assert_int_equal(p.calendar.n_holidays, 20);
    assert_int_equal(p.calendar.n_workdays, 19);
    assert_true(xc_profile_param_is_default(&p, 0, 256));
    /* given but empty: no holidays at all, which is allowed */
    write_profile("empty.profile", variant("holidays = 2026-01-01..2026-01-03", "holidays ="));
    xc_err_clear(&err);
    assert_int_equal(xc_profile_load("empty.profile", dir, "/x", &p, &err), XC_OK);
    assert_int_equal(p.calendar.n_holidays, 2);
    /* no such profile */
    assert_int_equal(xc_profile_load("atlantis", dir, "/no/rules", &p, &err), XC_EIO);
    assert_non_null(strstr(err.msg, "/no/rules/atlantis.profile"));
}

static void test_profile_error_quotes_the_bad_date(void **state)
{
    (void)state;
    write_profile("bad.profile", variant("holidays = 2026-01-01..2026-01-03",
                                         "holidays = 2026-01-01, 2026-13-01"));
    xc_profile p;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_profile_load("bad.profile", dir, "/x", &p, &err), XC_ECONFIG);
    assert_non_null(strstr(err.msg, "[exit] holidays"));
    assert_non_null(strstr(err.msg, "'2026-13-01'"));
    assert_non_null(strstr(err.hint, "YYYY-MM-DD..YYYY-MM-DD"));
}

/* A date list on one line of several KiB, longer than inih's own default
 * line (200 bytes), and its listing in entries that fit the caller's buffer. */
static void test_profile_takes_long_date_lists(void **state)
{
    (void)state;
    static char line[8192], text[16384];
    char *w = line;
    w += sprintf(w, "holidays = ");
    xc_date first = ymd(2030, 1, 1);
    for (int i = 0; i < 250; i++) {
        char d[11];
        w += sprintf(w, "%s%s", i ? ", " : "", xc_date_format(first + 2 * i, d));
    }
    assert_true(strlen(line) > 3000);
    const char *from = "holidays = 2026-01-01..2026-01-03";
    const char *at = strstr(FULL, from);
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - FULL), FULL, line, at + strlen(from));
    write_profile("long.profile", text);
    xc_profile p;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_profile_load("long.profile", dir, "/x", &p, &err), XC_OK);
    assert_int_equal(p.calendar.n_holidays, 1 + 1 + 250);
    assert_true(xc_is_holiday(&p.calendar, first + 2 * 249));
    assert_false(xc_is_holiday(&p.calendar, first + 2 * 249 + 1));

    /* listed in pieces of one year each, under 64 bytes, that join back */
    static char joined[16384];
    joined[0] = '\0';
    const char *sec, *key;
    char value[64];
    int pieces = 0;
    for (int i = 0; xc_profile_param(&p, i, &sec, &key, value, sizeof value); i++) {
        if (strcmp(key, "holidays") != 0)
            continue;
        assert_true(value[0] != '\0');
        /* one year per piece */
        for (const char *v = value; (v = strchr(v, ',')) != NULL; v += 2)
            assert_memory_equal(v + 2, value, 4);
        snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%s",
                 joined[0] ? ", " : "", value);
        pieces++;
    }
    assert_true(pieces > 10);
    static char want[16384];
    snprintf(want, sizeof want, "2025-01-01, 2025-01-28..2025-02-04, %s",
             line + strlen("holidays = "));
    assert_string_equal(joined, want);
}

/* Loads text as bad.profile, which must fail with XC_ECONFIG on `line` for
 * `key` ("" for none), saying `says`, with a hint. */
static void expect_profile_error(const char *text, size_t len, long line, const char *key,
                                 const char *says)
{
    char path[256];
    snprintf(path, sizeof path, "%s/bad.profile", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
    xc_profile p;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_profile_load("bad.profile", dir, "/x", &p, &err), XC_ECONFIG);
    assert_int_equal(err.code, XC_ECONFIG);
    if (err.row != line || !strstr(err.msg, says))
        print_error("got \"%s\" on line %ld\n", err.msg, err.row);
    assert_int_equal(err.row, line);
    assert_string_equal(err.field, key);
    assert_non_null(strstr(err.msg, "bad.profile"));
    assert_non_null(strstr(err.msg, says));
    assert_true(err.hint[0] != '\0');
}

/* 2026-12-01: the duplicate of a parameter was refused without a hint; every
 * parameter but holidays and workdays takes one value. */
static void test_profile_rejects_every_parameter_given_twice(void **state)
{
    (void)state;
    xc_profile p;
    xc_err err;
    write_profile("full.profile", FULL);
    assert_int_equal(xc_profile_load("full.profile", dir, "/x", &p, &err), XC_OK);
    const char *sec, *key;
    char value[256];
    int n = 0;
    for (int i = 0; xc_profile_param(&p, i, &sec, &key, value, sizeof value); i++) {
        if (strcmp(key, "holidays") == 0 || strcmp(key, "workdays") == 0)
            continue;
        char at[64];
        snprintf(at, sizeof at, "\n%s = ", key);
        const char *start = strstr(FULL, at);
        if (!start)
            continue;       /* a parameter declared after FULL was written */
        start++;
        size_t len = strcspn(start, "\n") + 1;
        char line[256], twice[512];
        snprintf(line, sizeof line, "%.*s", (int)len, start);
        snprintf(twice, sizeof twice, "%s%s", line, line);
        const char *text = variant(line, twice);
        int first = line_of(text, line);
        char says[128];
        snprintf(says, sizeof says, "[%s] %s: given twice, on line %d", sec, key, first);
        expect_profile_error(text, strlen(text), first + 1, key, says);
        n++;
    }
    assert_int_equal(n, 28);
}

/* 2026-12-01: a section given twice, or one unknown and empty, passed. */
static void test_profile_rejects_sections_given_twice_or_unknown(void **state)
{
    (void)state;
    static char text[16384];
    int last = line_of(FULL, "visit_compliance_min") + 1;
    snprintf(text, sizeof text, "%s[exit]\nholidays = 2027-01-01\n", FULL);
    expect_profile_error(text, strlen(text), last, "", "section [exit] given twice, on line");
    snprintf(text, sizeof text, "%s[audit]\n", FULL);
    expect_profile_error(text, strlen(text), last, "", "section [audit] given twice");
    snprintf(text, sizeof text, "%s[colour]\n", FULL);
    expect_profile_error(text, strlen(text), last, "", "unknown section [colour]");
}

/* 2026-12-01: a line over 64 KiB was split, its tail parsed as a parameter
 * of its own. */
static void test_profile_rejects_a_line_longer_than_64_kib(void **state)
{
    (void)state;
    enum { MAX = 65536 };
    static char line[MAX + 64], text[MAX + 16384];
    char *w = line;
    w += sprintf(w, "holidays = 2030-01-01");
    while (w - line < MAX - 12)
        w += sprintf(w, ", 2030-01-01");
    while (w - line < MAX)
        *w++ = ' ';
    sprintf(w, "exit_months = 9");        /* where inih would split */
    const char *from = "holidays = 2026-01-01..2026-01-03";
    const char *at = strstr(FULL, from);
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - FULL), FULL, line, at + strlen(from));
    expect_profile_error(text, strlen(text), line_of(text, "holidays = 2030"), "holidays",
                         "line longer than 65536 bytes");
}

/* 2026-12-01: a NUL byte ended the profile there, silently. */
static void test_profile_rejects_a_nul_byte(void **state)
{
    (void)state;
    static char text[16384];
    size_t len = (size_t)snprintf(text, sizeof text, "%s", FULL);
    text[len++] = '\0';
    len += (size_t)sprintf(text + len, "[audit]\nperiod_months = 1\n");
    char path[256];
    snprintf(path, sizeof path, "%s/nul.profile", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
    xc_profile p;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_profile_load("nul.profile", dir, "/x", &p, &err), XC_ECONFIG);
    assert_non_null(strstr(err.msg, "NUL byte"));
    assert_non_null(strstr(err.where, "nul.profile"));
    assert_true(err.hint[0] != '\0');
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
        cmocka_unit_test(test_profile_shipped_profiles_keep_every_value),
        cmocka_unit_test(test_profile_parses_every_kind_of_value),
        cmocka_unit_test(test_profile_errors_name_the_line_and_key),
        cmocka_unit_test(test_profile_error_quotes_the_bad_date),
        cmocka_unit_test(test_profile_takes_long_date_lists),
        cmocka_unit_test(test_profile_rejects_every_parameter_given_twice),
        cmocka_unit_test(test_profile_rejects_sections_given_twice_or_unknown),
        cmocka_unit_test(test_profile_rejects_a_line_longer_than_64_kib),
        cmocka_unit_test(test_profile_rejects_a_nul_byte),
        cmocka_unit_test(test_profile_names_its_rates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
