/* test_date.c - civil dates, months and export date formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "xcheck/date.h"

static void test_date_round_trips_every_day_from_1800_to_2100(void **state)
{
    (void)state;
    xc_date first = xc_date_from_ymd(1800, 1, 1), last = xc_date_from_ymd(2100, 12, 31);
    assert_int_equal(xc_date_from_ymd(1970, 1, 1), 0);
    int py = 1799, pm = 12, pd = 31;
    for (xc_date d = first; d <= last; d++) {
        int y, m, day;
        xc_date_to_ymd(d, &y, &m, &day);
        assert_true(xc_date_valid(y, m, day));
        assert_int_equal(xc_date_from_ymd(y, m, day), d);
        /* consecutive: next day, or first of the next month/year */
        if (day != pd + 1)
            assert_true(day == 1 && (m == pm + 1 || (m == 1 && y == py + 1)));
        py = y, pm = m, pd = day;
    }
}

static void test_date_knows_leap_years(void **state)
{
    (void)state;
    assert_true(xc_date_valid(2000, 2, 29));
    assert_true(xc_date_valid(2024, 2, 29));
    assert_false(xc_date_valid(1900, 2, 29));
    assert_false(xc_date_valid(2023, 2, 29));
    assert_false(xc_date_valid(2023, 4, 31));
    assert_false(xc_date_valid(2023, 0, 1));
    assert_false(xc_date_valid(2023, 13, 1));
    assert_int_equal(xc_date_from_ymd(2024, 3, 1) - xc_date_from_ymd(2024, 2, 28), 2);
}

static void test_date_formats_days_and_months(void **state)
{
    (void)state;
    char d[11], m[8];
    assert_string_equal(xc_date_format(xc_date_from_ymd(2026, 6, 30), d), "2026-06-30");
    assert_string_equal(xc_month_format(2026 * 12 + 0, m), "2026-01");
    assert_int_equal(xc_date_month(xc_date_from_ymd(2026, 12, 31)), 2026 * 12 + 11);
    xc_date out;
    assert_int_equal(xc_date_parse_iso("2026-02-28", &out), 0);
    assert_int_equal(out, xc_date_from_ymd(2026, 2, 28));
    assert_int_equal(xc_date_parse_iso("2026-02-29", &out), -1);
    assert_int_equal(xc_date_parse_iso("2026-2-1", &out), -1);
}

static xc_date ymd(int y, int m, int d)
{
    return xc_date_from_ymd(y, m, d);
}

static void test_date_parses_the_formats_of_exports(void **state)
{
    (void)state;
    static const struct { const char *fmt, *text; int y, m, d; } ok[] = {
        {"YYYY-MM-DD", "2024-02-29", 2024, 2, 29},
        {"YYYYMMDD", "20240229", 2024, 2, 29},
        {"YYYY/MM/DD", "2024/02/09", 2024, 2, 9},
        {"YYYY/M/D", "2024/2/9", 2024, 2, 9},
        {"YYYY/M/D", "2024/12/19", 2024, 12, 19},
        {"YYYY年M月D日", "2024年2月9日", 2024, 2, 9},
        {"YYYYMM", "202402", 2024, 2, 1},
        {"YYYY-MM", "2024-11", 2024, 11, 1},
        {"YYYY-MM-DD*", "2024-02-09 00:00:00", 2024, 2, 9},
        {"YYYYMMDD|YYYY-MM-DD", "2024-02-09", 2024, 2, 9},
        {"YYYYMMDD|YYYY-MM-DD", "20240209", 2024, 2, 9},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        xc_datefmt f;
        const char *why = NULL;
        assert_int_equal(xc_datefmt_compile(ok[i].fmt, &f, &why), 0);
        xc_date out = 0;
        assert_int_equal(xc_datefmt_parse(&f, ok[i].text, strlen(ok[i].text), &out), 0);
        assert_int_equal(out, ymd(ok[i].y, ok[i].m, ok[i].d));
    }
    static const struct { const char *fmt, *text; } bad[] = {
        {"YYYYMMDD", "20230229"}, {"YYYYMMDD", "2023022"}, {"YYYYMMDD", "202302281"},
        {"YYYY-MM-DD", "2023/02/28"}, {"YYYY-MM-DD", "2023-02-28 10:00"},
        {"YYYYMM", "202313"}, {"YYYY/M/D", "2024/123/1"}, {"YYYY-MM-DD", ""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        xc_datefmt f;
        const char *why = NULL;
        assert_int_equal(xc_datefmt_compile(bad[i].fmt, &f, &why), 0);
        xc_date out;
        assert_int_equal(xc_datefmt_parse(&f, bad[i].text, strlen(bad[i].text), &out), -1);
    }
}

static void test_date_rejects_broken_format_patterns(void **state)
{
    (void)state;
    static const char *bad[] = {"DD/MM", "YY-MM-DD", "YYYY-DD", "YYYY*MM", "a|b|c|d|e"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        xc_datefmt f;
        const char *why = NULL;
        assert_int_equal(xc_datefmt_compile(bad[i], &f, &why), -1);
        assert_non_null(why);
    }
    xc_datefmt f;
    const char *why;
    assert_int_equal(xc_datefmt_compile("YYYYMM", &f, &why), 0);
    assert_false(xc_datefmt_has_day(&f));
    assert_int_equal(xc_datefmt_compile("YYYYMMDD|YYYYMM", &f, &why), 0);
    assert_false(xc_datefmt_has_day(&f));
    assert_int_equal(xc_datefmt_compile("YYYYMMDD|YYYY-M-D", &f, &why), 0);
    assert_true(xc_datefmt_has_day(&f));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_round_trips_every_day_from_1800_to_2100),
        cmocka_unit_test(test_date_knows_leap_years),
        cmocka_unit_test(test_date_formats_days_and_months),
        cmocka_unit_test(test_date_parses_the_formats_of_exports),
        cmocka_unit_test(test_date_rejects_broken_format_patterns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
