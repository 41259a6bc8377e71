/* calendar.c - working days over a holiday calendar, month arithmetic and
 * year-aligned calendar periods. */
#include "xcheck/calendar.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/i18n.h"

/* ---- days of the week and months ---------------------------------------- */

int xc_date_weekday(xc_date d)
{
    /* 1970-01-01 (day 0) was a Thursday: 3 counting from Monday. */
    return ((d % 7) + 7 + 3) % 7;
}

/* Floor division, for negative day numbers too. */
static int floor_div(int a, int b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

xc_date xc_date_add_months(xc_date d, int months)
{
    int y, m, day;
    xc_date_to_ymd(d, &y, &m, &day);
    xc_month mi = y * 12 + (m - 1) + months;
    int last = xc_month_first_day(mi + 1) - xc_month_first_day(mi);
    return xc_month_first_day(mi) + (day < last ? day : last) - 1;
}

/* ---- the calendar --------------------------------------------------------- */

void xc_calendar_init(xc_calendar *c)
{
    memset(c, 0, sizeof *c);
}

/* The first holiday range ending on or after d (n_holidays when none). */
static int holiday_lower_bound(const xc_calendar *c, xc_date d)
{
    int lo = 0, hi = c->n_holidays;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (c->holidays[mid].last < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The first adjusted working day on or after d (n_workdays when none). */
static int workday_lower_bound(const xc_calendar *c, xc_date d)
{
    int lo = 0, hi = c->n_workdays;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (c->workdays[mid] < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int cmp_range(const void *key, const void *elem)
{
    xc_date d = *(const xc_date *)key;
    const xc_date_range *r = elem;
    return d < r->first ? -1 : d > r->last ? 1 : 0;
}

static int cmp_date(const void *key, const void *elem)
{
    xc_date a = *(const xc_date *)key, b = *(const xc_date *)elem;
    return (a > b) - (a < b);
}

bool xc_is_holiday(const xc_calendar *c, xc_date d)
{
    return bsearch(&d, c->holidays, (size_t)c->n_holidays, sizeof c->holidays[0],
                   cmp_range) != NULL;
}

static bool is_listed_workday(const xc_calendar *c, xc_date d)
{
    return bsearch(&d, c->workdays, (size_t)c->n_workdays, sizeof c->workdays[0],
                   cmp_date) != NULL;
}

bool xc_is_workday(const xc_calendar *c, xc_date d)
{
    if (is_listed_workday(c, d))
        return true;
    return xc_date_weekday(d) < 5 && !xc_is_holiday(c, d);
}

int xc_calendar_add_holidays(xc_calendar *c, xc_date first, xc_date last,
                             const char **ret_why)
{
    if (last < first) {
        *ret_why = N_("the range ends before it starts");
        return -1;
    }
    int w = workday_lower_bound(c, first);
    if (w < c->n_workdays && c->workdays[w] <= last) {
        *ret_why = N_("includes a day listed in workdays");
        return -1;
    }
    /* Ranges from lo to hi - 1 overlap or touch [first, last]: merge them. */
    int lo = holiday_lower_bound(c, first - 1), hi = lo;
    xc_date_range r = {first, last};
    for (; hi < c->n_holidays && c->holidays[hi].first - 1 <= last; hi++) {
        if (c->holidays[hi].first < r.first)
            r.first = c->holidays[hi].first;
        if (c->holidays[hi].last > r.last)
            r.last = c->holidays[hi].last;
    }
    if (hi == lo && c->n_holidays == XC_CALENDAR_MAX_HOLIDAYS) {
        *ret_why = N_("too many holiday ranges (at most 256)");
        return -1;
    }
    memmove(&c->holidays[lo + 1], &c->holidays[hi],
            (size_t)(c->n_holidays - hi) * sizeof c->holidays[0]);
    c->holidays[lo] = r;
    c->n_holidays += 1 - (hi - lo);
    return 0;
}

int xc_calendar_add_workday(xc_calendar *c, xc_date d, const char **ret_why)
{
    if (xc_date_weekday(d) < 5) {
        *ret_why = N_("not a Saturday or Sunday (list only the weekend days that are "
                      "worked)");
        return -1;
    }
    if (xc_is_holiday(c, d)) {
        *ret_why = N_("also listed in holidays");
        return -1;
    }
    int at = workday_lower_bound(c, d);
    if (at < c->n_workdays && c->workdays[at] == d)
        return 0;
    if (c->n_workdays == XC_CALENDAR_MAX_WORKDAYS) {
        *ret_why = N_("too many adjusted working days (at most 128)");
        return -1;
    }
    memmove(&c->workdays[at + 1], &c->workdays[at],
            (size_t)(c->n_workdays - at) * sizeof c->workdays[0]);
    c->workdays[at] = d;
    c->n_workdays++;
    return 0;
}

/* Parses exactly 10 characters "YYYY-MM-DD". */
static int parse_day(const char *s, xc_date *ret)
{
    char buf[11];
    memcpy(buf, s, 10);
    buf[10] = '\0';
    return xc_date_parse_iso(buf, ret);
}

/* Parses one item of n characters: a date or a range. */
static int parse_item(const char *s, size_t n, xc_date *ret_first, xc_date *ret_last,
                      const char **ret_why)
{
    bool range = n == 22 && s[10] == '.' && s[11] == '.';
    if (n != 10 && !range) {
        *ret_why = N_("not a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD");
        return -1;
    }
    if (parse_day(s, ret_first) < 0 || (range && parse_day(s + 12, ret_last) < 0)) {
        *ret_why = N_("not a real date YYYY-MM-DD");
        return -1;
    }
    if (!range)
        *ret_last = *ret_first;
    if (*ret_last < *ret_first) {
        *ret_why = N_("the range ends before it starts");
        return -1;
    }
    return 0;
}

/* Adds the days of one parsed item; *ret_bad is the day refused, if any. */
static int add_item(xc_calendar *c, bool workdays, xc_date first, xc_date last,
                    xc_date *ret_bad, const char **ret_why)
{
    *ret_bad = first;
    if (!workdays)
        return xc_calendar_add_holidays(c, first, last, ret_why);
    for (xc_date d = first; d <= last; d++) {
        *ret_bad = d;
        if (xc_calendar_add_workday(c, d, ret_why) < 0)
            return -1;
    }
    return 0;
}

int xc_calendar_add_list(xc_calendar *c, bool workdays, const char *text,
                         char *why, size_t whysz)
{
    static const char seps[] = ", \t";
    const char *p = text;
    for (;;) {
        p += strspn(p, seps);
        size_t n = strcspn(p, seps);
        if (n == 0)
            return 0;
        xc_date first, last, bad;
        const char *reason;
        if (parse_item(p, n, &first, &last, &reason) < 0) {
            snprintf(why, whysz, "'%.*s': %s", (int)n, p, _(reason));
            return -1;
        }
        if (add_item(c, workdays, first, last, &bad, &reason) < 0) {
            char day[11];
            if (workdays)
                snprintf(why, whysz, "'%s': %s", xc_date_format(bad, day), _(reason));
            else
                snprintf(why, whysz, "'%.*s': %s", (int)n, p, _(reason));
            return -1;
        }
        p += n;
    }
}

/* Mondays to Fridays among the days before d. */
static int weekdays_before(xc_date d)
{
    int m = d + 3;   /* days since Monday 1969-12-29 */
    int q = floor_div(m, 7), r = m - 7 * q;
    return 5 * q + (r < 5 ? r : 5);
}

static int weekdays_between(xc_date from, xc_date to)
{
    return weekdays_before(to + 1) - weekdays_before(from);
}

int xc_workdays_between(const xc_calendar *c, xc_date from, xc_date to)
{
    if (to < from)
        return 0;
    int n = weekdays_between(from, to);
    for (int i = holiday_lower_bound(c, from);
         i < c->n_holidays && c->holidays[i].first <= to; i++) {
        xc_date a = c->holidays[i].first > from ? c->holidays[i].first : from;
        xc_date b = c->holidays[i].last < to ? c->holidays[i].last : to;
        n -= weekdays_between(a, b);
    }
    /* Listed working days not already counted: weekend days (and, should a
     * calendar hold one, a holiday weekday) */
    for (int i = workday_lower_bound(c, from); i < c->n_workdays && c->workdays[i] <= to; i++)
        if (xc_date_weekday(c->workdays[i]) >= 5 || xc_is_holiday(c, c->workdays[i]))
            n++;
    return n;
}

/* ---- calendar periods ----------------------------------------------------- */

bool xc_period_months_valid(int months)
{
    return months >= 1 && months <= 12 && 12 % months == 0;
}

void xc_period_containing(xc_date d, int months, xc_date *ret_start, xc_date *ret_end)
{
    assert(xc_period_months_valid(months));
    xc_month mi = xc_date_month(d);
    xc_month start = mi - mi % months;   /* y * 12 is a multiple of months */
    *ret_start = xc_month_first_day(start);
    *ret_end = xc_month_first_day(start + months) - 1;
}

int xc_complete_periods(xc_date window_start, xc_date window_end, int months,
                        xc_date *ret_starts, xc_date *ret_ends, int max)
{
    assert(xc_period_months_valid(months));
    if (window_end < window_start)
        return 0;
    xc_date s, e;
    xc_period_containing(window_start, months, &s, &e);
    if (s < window_start)
        xc_period_containing(e + 1, months, &s, &e);
    int n = 0;
    for (; e <= window_end; xc_period_containing(e + 1, months, &s, &e)) {
        if (n < max) {
            ret_starts[n] = s;
            ret_ends[n] = e;
        }
        n++;
    }
    return n;
}
