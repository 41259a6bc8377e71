/*
 * calendar.h - working days, month arithmetic and calendar periods.
 *
 * The union's procedures count time in three ways: exit publicity in working
 * days (Monday to Friday, less public holidays, plus the weekend days China
 * makes working days when it moves a holiday: 调休上班), follow-up in months
 * after a date, and contact duties per calendar period (a month, a quarter, a
 * half-year...). Dates are xc_date (days since 1970-01-01, see date.h).
 *
 * A calendar is a plain value with fixed capacity, so a policy profile can
 * hold one without owning memory: copy it, compare it, no free.
 */
#ifndef XCHECK_CALENDAR_H
#define XCHECK_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

#include "xcheck/date.h"

#define XC_CALENDAR_MAX_HOLIDAYS 256   /* ranges, after merging */
#define XC_CALENDAR_MAX_WORKDAYS 128   /* single days */

/* Days first..last, both included. */
typedef struct xc_date_range {
    xc_date first, last;
} xc_date_range;

typedef struct xc_calendar {
    int n_holidays;
    /* Sorted by first; disjoint and not adjacent (touching ranges merge). */
    xc_date_range holidays[XC_CALENDAR_MAX_HOLIDAYS];
    int n_workdays;
    /* Adjusted working days: Saturdays and Sundays that are worked. Sorted,
     * distinct, none of them inside a holiday range. */
    xc_date workdays[XC_CALENDAR_MAX_WORKDAYS];
} xc_calendar;

/* ---- days of the week and months ---------------------------------------- */

/* Day of the week: 0 Monday ... 5 Saturday, 6 Sunday. */
int xc_date_weekday(xc_date d);

/* The same day of the month `months` later (earlier when negative), clamped
 * to the last day of the target month: 2024-01-31 + 1 = 2024-02-29,
 * 2023-01-31 + 1 = 2023-02-28, 2024-03-31 - 1 = 2024-02-29. Requires the
 * result to fall in years 1 to 9999. */
xc_date xc_date_add_months(xc_date d, int months);

/* ---- the calendar --------------------------------------------------------- */

/* Empties c: every Monday to Friday is a working day. */
void xc_calendar_init(xc_calendar *c);

/* Adds the holidays first..last (a single day when equal). Overlapping or
 * touching ranges merge. Returns 0, or -1 with a reason (static string) in
 * *ret_why when last < first, an adjusted working day lies in the range, or
 * the calendar is full; c is then unchanged. */
int xc_calendar_add_holidays(xc_calendar *c, xc_date first, xc_date last,
                             const char **ret_why);

/* Adds an adjusted working day (a Saturday or Sunday that is worked). Adding
 * one twice is harmless. Returns 0, or -1 with a reason (static string) in
 * *ret_why when d is Monday to Friday, a holiday, or the calendar is full. */
int xc_calendar_add_workday(xc_calendar *c, xc_date d, const char **ret_why);

/* Adds every item of text: dates "YYYY-MM-DD" and ranges
 * "YYYY-MM-DD..YYYY-MM-DD", separated by commas and/or spaces; an empty text
 * adds nothing. Holidays take ranges as they are; workdays take every day of
 * a range. Returns 0, or -1 with a message naming the item in why (whysz
 * bytes); items before the bad one stay added. */
int xc_calendar_add_list(xc_calendar *c, bool workdays, const char *text,
                         char *why, size_t whysz);

/* True for Monday to Friday that is not a holiday, and for an adjusted
 * working day. */
bool xc_is_workday(const xc_calendar *c, xc_date d);

/* True when d lies in a holiday range. */
bool xc_is_holiday(const xc_calendar *c, xc_date d);

/* Working days in [from, to], both included; 0 when to < from. Exit
 * publicity posted on `from` and ending on `to` lasted this many working
 * days. */
int xc_workdays_between(const xc_calendar *c, xc_date from, xc_date to);

/* ---- calendar periods ----------------------------------------------------- */

/* True when months is 1, 2, 3, 4, 6 or 12: a length that divides the year
 * into equal periods. */
bool xc_period_months_valid(int months);

/* The period of `months` months aligned to the calendar year (quarters start
 * in January, April, July and October; half-years in January and July) that
 * contains d: its first and last day. Requires xc_period_months_valid(). */
void xc_period_containing(xc_date d, int months, xc_date *ret_start, xc_date *ret_end);

/* The complete periods of `months` months (aligned as above) that lie
 * entirely inside [window_start, window_end]: window_start <= start and
 * end <= window_end. Writes the first min(n, max) of them, in order, to
 * ret_starts[] and ret_ends[] (NULL allowed when max is 0) and returns n, the
 * number there are (0 when window_end < window_start). Requires
 * xc_period_months_valid(). For "the complete periods of the last 12 months"
 * the window is (as_of - 12 months, as_of]: window_start =
 * xc_date_add_months(as_of, -12) + 1, window_end = as_of. */
int xc_complete_periods(xc_date window_start, xc_date window_end, int months,
                        xc_date *ret_starts, xc_date *ret_ends, int max);

#endif
