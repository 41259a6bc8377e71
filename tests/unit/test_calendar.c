/* test_calendar.c - working days, month arithmetic and calendar periods.
 *
 * Expected values are worked out by hand in the comments from fixed points:
 * 1970-01-01 was a Thursday, 2024-01-01 a Monday, 2025-01-01 a Wednesday. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "xcheck/calendar.h"

static xc_date ymd(int y, int m, int d)
{
    return xc_date_from_ymd(y, m, d);
}

static void assert_date(xc_date got, int y, int m, int d)
{
    char a[11], b[11];
    assert_string_equal(xc_date_format(got, a), xc_date_format(ymd(y, m, d), b));
}

/* The parts of the 2024 and 2025 schedules the tests use (国务院办公厅
 * notices for 2024 and 2025). */
static void load_schedule(xc_calendar *c)
{
    char why[200];
    xc_calendar_init(c);
    assert_int_equal(xc_calendar_add_list(c, false,
        "2024-02-10..2024-02-17, 2024-05-01..2024-05-05 "
        "2025-01-01,2025-01-28..2025-02-04, 2025-04-04..2025-04-06", why, sizeof why), 0);
    assert_int_equal(xc_calendar_add_list(c, true,
        "2024-02-04, 2024-02-18, 2024-04-28, 2024-05-11, 2025-01-26, 2025-02-08",
        why, sizeof why), 0);
}

static void test_calendar_knows_the_day_of_the_week(void **state)
{
    (void)state;
    assert_int_equal(xc_date_weekday(ymd(1970, 1, 1)), 3);    /* Thursday */
    assert_int_equal(xc_date_weekday(ymd(1969, 12, 28)), 6);  /* Sunday, day -4 */
    assert_int_equal(xc_date_weekday(ymd(2000, 1, 1)), 5);    /* Saturday */
    assert_int_equal(xc_date_weekday(ymd(2024, 1, 1)), 0);    /* Monday */
    /* 2024-01-01 Monday + 31 + 28 = day 59 of 2024: 59 % 7 = 3, Thursday */
    assert_int_equal(xc_date_weekday(ymd(2024, 2, 29)), 3);
    assert_int_equal(xc_date_weekday(ymd(2025, 1, 1)), 2);    /* Wednesday */
}

static void test_calendar_adds_months_clamping_to_the_month_end(void **state)
{
    (void)state;
    assert_date(xc_date_add_months(ymd(2024, 1, 31), 1), 2024, 2, 29);   /* leap */
    assert_date(xc_date_add_months(ymd(2023, 1, 31), 1), 2023, 2, 28);
    assert_date(xc_date_add_months(ymd(2100, 1, 31), 1), 2100, 2, 28);   /* 2100 not leap */
    assert_date(xc_date_add_months(ymd(2000, 1, 31), 1), 2000, 2, 29);   /* 2000 leap */
    assert_date(xc_date_add_months(ymd(2024, 3, 31), -1), 2024, 2, 29);
    assert_date(xc_date_add_months(ymd(2024, 2, 29), 12), 2025, 2, 28);
    assert_date(xc_date_add_months(ymd(2024, 2, 29), 48), 2028, 2, 29);
    assert_date(xc_date_add_months(ymd(2024, 2, 29), -12), 2023, 2, 28);
    assert_date(xc_date_add_months(ymd(2025, 1, 15), -1), 2024, 12, 15);
    assert_date(xc_date_add_months(ymd(2024, 12, 31), 2), 2025, 2, 28);
    assert_date(xc_date_add_months(ymd(2025, 8, 31), -6), 2025, 2, 28);
    assert_date(xc_date_add_months(ymd(2025, 8, 31), 1), 2025, 9, 30);
    /* 2026-03 minus 25 months = 2024-02: the 31st clamps to the 29th */
    assert_date(xc_date_add_months(ymd(2026, 3, 31), -25), 2024, 2, 29);
    assert_date(xc_date_add_months(ymd(2025, 5, 15), 0), 2025, 5, 15);
}

static void test_calendar_counts_weekdays_without_holidays(void **state)
{
    (void)state;
    xc_calendar c;
    xc_calendar_init(&c);
    /* Monday 2025-01-06 to Sunday 2025-01-12 */
    assert_int_equal(xc_workdays_between(&c, ymd(2025, 1, 6), ymd(2025, 1, 12)), 5);
    /* January 2025 starts on a Wednesday: 1-3 (3 days) + four full weeks from
     * Monday 6 to Friday 31 (20 days) = 23 */
    assert_int_equal(xc_workdays_between(&c, ymd(2025, 1, 1), ymd(2025, 1, 31)), 23);
    assert_int_equal(xc_workdays_between(&c, ymd(2025, 1, 4), ymd(2025, 1, 5)), 0);  /* Sat-Sun */
    assert_int_equal(xc_workdays_between(&c, ymd(2025, 1, 6), ymd(2025, 1, 6)), 1);
    /* from > to */
    assert_int_equal(xc_workdays_between(&c, ymd(2025, 1, 10), ymd(2025, 1, 6)), 0);
    /* across 1970-01-01 (negative day numbers): Mon 1969-12-29 to Sun
     * 1970-01-04 is one week */
    assert_int_equal(xc_workdays_between(&c, ymd(1969, 12, 29), ymd(1970, 1, 4)), 5);
    assert_true(xc_is_workday(&c, ymd(2025, 1, 1)));
    assert_false(xc_is_workday(&c, ymd(2025, 1, 4)));
}

static void test_calendar_skips_a_holiday_on_a_weekday(void **state)
{
    (void)state;
    xc_calendar c;
    load_schedule(&c);
    /* Wednesday 2025-01-01 is a holiday: Monday 2024-12-30 to Friday
     * 2025-01-03 is 5 weekdays less 1 */
    assert_false(xc_is_workday(&c, ymd(2025, 1, 1)));
    assert_true(xc_is_holiday(&c, ymd(2025, 1, 1)));
    assert_int_equal(xc_workdays_between(&c, ymd(2024, 12, 30), ymd(2025, 1, 3)), 4);
    assert_int_equal(xc_workdays_between(&c, ymd(2025, 1, 1), ymd(2025, 1, 1)), 0);
}

static void test_calendar_counts_an_adjusted_working_saturday(void **state)
{
    (void)state;
    xc_calendar c;
    load_schedule(&c);
    /* Saturday 2025-02-08 is worked (2025 Spring Festival). Monday 3 and
     * Tuesday 4 February are holidays, Wednesday 5 to Friday 7 worked,
     * Saturday 8 worked, Sunday 9 not: 4 */
    assert_true(xc_is_workday(&c, ymd(2025, 2, 8)));
    assert_false(xc_is_workday(&c, ymd(2025, 2, 9)));
    assert_int_equal(xc_workdays_between(&c, ymd(2025, 2, 3), ymd(2025, 2, 9)), 4);
    assert_int_equal(xc_workdays_between(&c, ymd(2025, 2, 8), ymd(2025, 2, 8)), 1);
    /* Sunday 2025-01-26 is worked too: Saturday 25 to Tuesday 28 January:
     * Sun 26, Mon 27 worked, Tue 28 a holiday = 2 */
    assert_int_equal(xc_workdays_between(&c, ymd(2025, 1, 25), ymd(2025, 1, 28)), 2);
}

static void test_calendar_counts_publicity_across_a_weekend(void **state)
{
    (void)state;
    xc_calendar c;
    load_schedule(&c);
    /* 2025-03-01 is a Saturday (Feb 1 Saturday + 28 days). Posted Thursday 6
     * March: Thu 6, Fri 7, Mon 10, Tue 11 = 4; to Wednesday 12 = 5 */
    assert_int_equal(xc_workdays_between(&c, ymd(2025, 3, 6), ymd(2025, 3, 11)), 4);
    assert_int_equal(xc_workdays_between(&c, ymd(2025, 3, 6), ymd(2025, 3, 12)), 5);
}

static void test_calendar_counts_publicity_across_holidays(void **state)
{
    (void)state;
    xc_calendar c;
    load_schedule(&c);
    /* Qingming 2025: Friday 4 to Sunday 6 April. Posted Wednesday 2 April:
     * Wed 2, Thu 3, (Fri 4 holiday, Sat 5, Sun 6), Mon 7, Tue 8 = 4, and
     * Wed 9 makes 5. Without the holiday, 2 to 8 April would be 5. */
    assert_int_equal(xc_workdays_between(&c, ymd(2025, 4, 2), ymd(2025, 4, 8)), 4);
    assert_int_equal(xc_workdays_between(&c, ymd(2025, 4, 2), ymd(2025, 4, 9)), 5);
    xc_calendar none;
    xc_calendar_init(&none);
    assert_int_equal(xc_workdays_between(&none, ymd(2025, 4, 2), ymd(2025, 4, 8)), 5);

    /* Spring Festival 2024: Saturday 10 to Saturday 17 February, a range
     * that spans a weekend, Sunday 18 worked. Posted Thursday 8 February:
     * Thu 8, Fri 9, (10-17), Sun 18, Mon 19 = 4; Tue 20 makes 5 */
    assert_int_equal(xc_workdays_between(&c, ymd(2024, 2, 8), ymd(2024, 2, 19)), 4);
    assert_int_equal(xc_workdays_between(&c, ymd(2024, 2, 8), ymd(2024, 2, 20)), 5);
    /* and the whole range alone has no working day */
    assert_int_equal(xc_workdays_between(&c, ymd(2024, 2, 10), ymd(2024, 2, 17)), 0);

    /* Labour Day 2024: 1 to 5 May off, Sunday 28 April worked. Posted
     * Friday 26 April: Fri 26, (Sat 27), Sun 28, Mon 29, Tue 30, (1-5 May),
     * Mon 6 = 5; to 5 May = 4 */
    assert_int_equal(xc_workdays_between(&c, ymd(2024, 4, 26), ymd(2024, 5, 5)), 4);
    assert_int_equal(xc_workdays_between(&c, ymd(2024, 4, 26), ymd(2024, 5, 6)), 5);
}

static void test_calendar_count_agrees_with_day_by_day(void **state)
{
    (void)state;
    xc_calendar c;
    load_schedule(&c);
    xc_date lo = ymd(2023, 12, 1), hi = ymd(2025, 12, 31);
    /* every window of up to 40 days starting on every 3rd day */
    for (xc_date from = lo; from <= hi; from += 3)
        for (xc_date to = from - 2; to <= from + 40; to++) {
            int want = 0;
            for (xc_date d = from; d <= to; d++)
                want += xc_is_workday(&c, d);
            assert_int_equal(xc_workdays_between(&c, from, to), want);
        }
}

static void test_calendar_merges_holiday_ranges(void **state)
{
    (void)state;
    xc_calendar c;
    xc_calendar_init(&c);
    const char *why;
    assert_int_equal(xc_calendar_add_holidays(&c, ymd(2025, 5, 1), ymd(2025, 5, 5), &why), 0);
    assert_int_equal(xc_calendar_add_holidays(&c, ymd(2025, 1, 1), ymd(2025, 1, 1), &why), 0);
    assert_int_equal(xc_calendar_add_holidays(&c, ymd(2025, 10, 1), ymd(2025, 10, 8), &why), 0);
    assert_int_equal(c.n_holidays, 3);
    assert_date(c.holidays[0].first, 2025, 1, 1);   /* sorted */
    /* touching: 2 January joins 1 January */
    assert_int_equal(xc_calendar_add_holidays(&c, ymd(2025, 1, 2), ymd(2025, 1, 3), &why), 0);
    assert_int_equal(c.n_holidays, 3);
    assert_date(c.holidays[0].last, 2025, 1, 3);
    /* overlapping two ranges: all three become one */
    assert_int_equal(xc_calendar_add_holidays(&c, ymd(2025, 4, 30), ymd(2025, 10, 2), &why), 0);
    assert_int_equal(c.n_holidays, 2);
    assert_date(c.holidays[1].first, 2025, 4, 30);
    assert_date(c.holidays[1].last, 2025, 10, 8);
    assert_true(xc_is_holiday(&c, ymd(2025, 7, 1)));
    assert_false(xc_is_holiday(&c, ymd(2025, 1, 4)));
    /* the same day twice is one day */
    xc_calendar_init(&c);
    assert_int_equal(xc_calendar_add_workday(&c, ymd(2025, 2, 8), &why), 0);
    assert_int_equal(xc_calendar_add_workday(&c, ymd(2025, 2, 8), &why), 0);
    assert_int_equal(c.n_workdays, 1);
}

static void test_calendar_refuses_contradictions(void **state)
{
    (void)state;
    xc_calendar c;
    load_schedule(&c);
    const char *why = NULL;
    /* Monday 2025-01-27 is no weekend day */
    assert_int_equal(xc_calendar_add_workday(&c, ymd(2025, 1, 27), &why), -1);
    assert_non_null(strstr(why, "Saturday or Sunday"));
    /* Saturday 2025-02-01 is inside the Spring Festival holidays */
    assert_int_equal(xc_calendar_add_workday(&c, ymd(2025, 2, 1), &why), -1);
    /* a holiday range over Sunday 2025-01-26, a listed working day */
    assert_int_equal(xc_calendar_add_holidays(&c, ymd(2025, 1, 25), ymd(2025, 1, 27), &why), -1);
    assert_int_equal(xc_calendar_add_holidays(&c, ymd(2025, 1, 3), ymd(2025, 1, 2), &why), -1);
    /* full */
    xc_calendar_init(&c);
    for (int i = 0; i < XC_CALENDAR_MAX_HOLIDAYS; i++)
        assert_int_equal(xc_calendar_add_holidays(&c, 2 * i, 2 * i, &why), 0);
    assert_int_equal(xc_calendar_add_holidays(&c, 1000, 1000, &why), -1);
    assert_int_equal(xc_calendar_add_holidays(&c, 0, 1, &why), 0);   /* merges: fits */
}

static void test_calendar_parses_lists_and_names_the_bad_item(void **state)
{
    (void)state;
    static const struct { bool workdays; const char *text, *item; } bad[] = {
        {false, "2025-01-01, 2025-02-30", "'2025-02-30'"},
        {false, "2025-02-04..2025-01-28", "'2025-02-04..2025-01-28'"},
        {false, "2025-1-1", "'2025-1-1'"},
        {false, "2025-01-01...2025-01-03", "'2025-01-01...2025-01-03'"},
        {false, "2025-01-01;2025-01-02", "'2025-01-01;2025-01-02'"},
        {true, "2025-01-26, 2025-01-27", "'2025-01-27'"},          /* a Monday */
        {true, "2025-01-25..2025-01-27", "'2025-01-27'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        xc_calendar c;
        xc_calendar_init(&c);
        char why[200] = "";
        assert_int_equal(xc_calendar_add_list(&c, bad[i].workdays, bad[i].text, why,
                                              sizeof why), -1);
        assert_non_null(strstr(why, bad[i].item));
    }
    xc_calendar c;
    xc_calendar_init(&c);
    char why[200];
    assert_int_equal(xc_calendar_add_list(&c, false, "", why, sizeof why), 0);
    assert_int_equal(xc_calendar_add_list(&c, false, "  ,  ", why, sizeof why), 0);
    assert_int_equal(c.n_holidays, 0);
    /* a workday range: every day of it (a Saturday and a Sunday) */
    assert_int_equal(xc_calendar_add_list(&c, true, "2025-01-25..2025-01-26", why, sizeof why), 0);
    assert_int_equal(c.n_workdays, 2);
    /* a holiday that covers a listed working day */
    assert_int_equal(xc_calendar_add_list(&c, false, "2025-01-20..2025-01-31", why, sizeof why), -1);
    assert_non_null(strstr(why, "workdays"));
}

static void test_calendar_finds_the_period_of_a_day(void **state)
{
    (void)state;
    static const struct { int months, y1, m1, d1, y2, m2, d2; } cases[] = {
        {1, 2025, 5, 1, 2025, 5, 31},
        {2, 2025, 5, 1, 2025, 6, 30},    /* Jan-Feb, Mar-Apr, May-Jun... */
        {3, 2025, 4, 1, 2025, 6, 30},
        {4, 2025, 5, 1, 2025, 8, 31},    /* Jan-Apr, May-Aug, Sep-Dec */
        {6, 2025, 1, 1, 2025, 6, 30},
        {12, 2025, 1, 1, 2025, 12, 31},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xc_date s, e;
        xc_period_containing(ymd(2025, 5, 15), cases[i].months, &s, &e);
        assert_date(s, cases[i].y1, cases[i].m1, cases[i].d1);
        assert_date(e, cases[i].y2, cases[i].m2, cases[i].d2);
    }
    xc_date s, e;
    xc_period_containing(ymd(2025, 12, 31), 6, &s, &e);
    assert_date(s, 2025, 7, 1);
    assert_date(e, 2025, 12, 31);
    xc_period_containing(ymd(2025, 7, 1), 6, &s, &e);
    assert_date(s, 2025, 7, 1);
    xc_period_containing(ymd(2024, 2, 10), 1, &s, &e);
    assert_date(e, 2024, 2, 29);
    xc_period_containing(ymd(2100, 2, 10), 1, &s, &e);
    assert_date(e, 2100, 2, 28);
    xc_period_containing(ymd(2000, 2, 10), 1, &s, &e);
    assert_date(e, 2000, 2, 29);
    assert_true(xc_period_months_valid(4));
    assert_false(xc_period_months_valid(5));
    assert_false(xc_period_months_valid(0));
    assert_false(xc_period_months_valid(24));
}

/* The complete periods of the 12 months ending at as_of. */
static int last_year(xc_date as_of, int months, xc_date *starts, xc_date *ends, int max)
{
    return xc_complete_periods(xc_date_add_months(as_of, -12) + 1, as_of, months, starts,
                               ends, max);
}

static void test_calendar_lists_complete_periods_inside_a_window(void **state)
{
    (void)state;
    xc_date s[16], e[16];
    /* as_of 2025-06-30: window 2024-07-01..2025-06-30 holds Q3, Q4 2024 and
     * Q1, Q2 2025; Q2 ends on as_of and counts */
    assert_int_equal(last_year(ymd(2025, 6, 30), 3, s, e, 16), 4);
    assert_date(s[0], 2024, 7, 1);
    assert_date(e[0], 2024, 9, 30);
    assert_date(s[3], 2025, 4, 1);
    assert_date(e[3], 2025, 6, 30);
    /* as_of 2025-06-29: Q2 2025 ends the day after as_of and does not count;
     * the window starts 2024-06-30, so Q3 2024 still does: 3 */
    assert_int_equal(last_year(ymd(2025, 6, 29), 3, s, e, 16), 3);
    assert_date(s[0], 2024, 7, 1);
    assert_date(e[2], 2025, 3, 31);
    /* as_of 2025-07-01: window 2024-07-02..2025-07-01; Q3 2024 starts the day
     * before the window and does not count: Q4 2024, Q1 and Q2 2025 */
    assert_int_equal(last_year(ymd(2025, 7, 1), 3, s, e, 16), 3);
    assert_date(s[0], 2024, 10, 1);
    assert_date(e[2], 2025, 6, 30);
    /* half-years, as_of 2025-03-15: window 2024-03-16..2025-03-15 holds only
     * the second half of 2024 */
    assert_int_equal(last_year(ymd(2025, 3, 15), 6, s, e, 16), 1);
    assert_date(s[0], 2024, 7, 1);
    assert_date(e[0], 2024, 12, 31);
    /* months: as_of 2025-03-31 gives April 2024 to March 2025; a day
     * earlier, March 2025 is incomplete and March 2024 starts before the
     * window (2024-03-31): 11 */
    assert_int_equal(last_year(ymd(2025, 3, 31), 1, s, e, 16), 12);
    assert_date(s[0], 2024, 4, 1);
    assert_date(e[11], 2025, 3, 31);
    assert_int_equal(last_year(ymd(2025, 3, 30), 1, s, e, 16), 11);
    /* a leap day: as_of 2024-02-29, window 2023-03-01..2024-02-29: March 2023
     * to February 2024 are 12 months; quarters Q2-Q4 2023 */
    assert_int_equal(last_year(ymd(2024, 2, 29), 1, s, e, 16), 12);
    assert_date(s[0], 2023, 3, 1);
    assert_date(e[11], 2024, 2, 29);
    assert_int_equal(last_year(ymd(2024, 2, 29), 3, s, e, 16), 3);
    /* a year: only when as_of is 31 December */
    assert_int_equal(last_year(ymd(2025, 12, 31), 12, s, e, 16), 1);
    assert_int_equal(last_year(ymd(2025, 12, 30), 12, s, e, 16), 0);
    /* max below the count: the count all the same, the first max written */
    s[1] = e[1] = -1;
    assert_int_equal(last_year(ymd(2025, 6, 30), 3, s, e, 1), 4);
    assert_date(s[0], 2024, 7, 1);
    assert_int_equal(s[1], -1);
    assert_int_equal(last_year(ymd(2025, 6, 30), 3, NULL, NULL, 0), 4);
    /* an empty window */
    assert_int_equal(xc_complete_periods(ymd(2025, 6, 30), ymd(2025, 1, 1), 3, s, e, 16), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar_knows_the_day_of_the_week),
        cmocka_unit_test(test_calendar_adds_months_clamping_to_the_month_end),
        cmocka_unit_test(test_calendar_counts_weekdays_without_holidays),
        cmocka_unit_test(test_calendar_skips_a_holiday_on_a_weekday),
        cmocka_unit_test(test_calendar_counts_an_adjusted_working_saturday),
        cmocka_unit_test(test_calendar_counts_publicity_across_a_weekend),
        cmocka_unit_test(test_calendar_counts_publicity_across_holidays),
        cmocka_unit_test(test_calendar_count_agrees_with_day_by_day),
        cmocka_unit_test(test_calendar_merges_holiday_ranges),
        cmocka_unit_test(test_calendar_refuses_contradictions),
        cmocka_unit_test(test_calendar_parses_lists_and_names_the_bad_item),
        cmocka_unit_test(test_calendar_finds_the_period_of_a_day),
        cmocka_unit_test(test_calendar_lists_complete_periods_inside_a_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
