/*
 * date.h - civil dates, months and the date formats of real exports.
 *
 * A date is the number of days since 1970-01-01 (proleptic Gregorian), so
 * differences are plain subtraction. A month is year * 12 + (month - 1).
 * A date format is a pattern such as "YYYY-MM-DD", "YYYYMMDD", "YYYY/M/D" or
 * "YYYYMM"; several alternatives may be joined with '|'.
 */
#ifndef XCHECK_DATE_H
#define XCHECK_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int32_t xc_date;   /* days since 1970-01-01 */
typedef int32_t xc_month;  /* year * 12 + month - 1 */

#define XC_NO_DATE INT32_MIN   /* no date given */

/* True when y-m-d is a real calendar day (29 February only in leap years);
 * years 1 to 9999. */
bool xc_date_valid(int y, int m, int d);

/* Requires xc_date_valid(y, m, d). Returns the day number. */
xc_date xc_date_from_ymd(int y, int m, int d);

/* Splits a day number into year, month (1-12) and day (1-31). */
void xc_date_to_ymd(xc_date date, int *ret_y, int *ret_m, int *ret_d);

/* Writes "YYYY-MM-DD" and a NUL into buf (11 bytes). Returns buf. */
char *xc_date_format(xc_date date, char buf[static 11]);

/* Writes "YYYY-MM" and a NUL into buf (8 bytes). Returns buf. */
char *xc_month_format(xc_month month, char buf[static 8]);

/* Parses exactly "YYYY-MM-DD" (a real day). Returns 0 or -1. */
int xc_date_parse_iso(const char *s, xc_date *ret);

/* Today in local time. */
xc_date xc_date_today(void);

/* Seconds on a monotonic clock, for the time per stage. */
double xc_now(void);

/* The month a day falls in. */
xc_month xc_date_month(xc_date date);

/* The first and the last day of month m. */
xc_date xc_month_first_day(xc_month m);
xc_date xc_month_last_day(xc_month m);

#define XC_DATEFMT_MAX_ALT 4
#define XC_DATEFMT_MAX_TOK 16

/* A compiled date format: up to XC_DATEFMT_MAX_ALT alternatives. */
typedef struct xc_datefmt_alt {
    int n_tok;
    bool has_day;
    struct { char kind; char lit; } tok[XC_DATEFMT_MAX_TOK];
} xc_datefmt_alt;

typedef struct xc_datefmt {
    int n_alt;
    xc_datefmt_alt alt[XC_DATEFMT_MAX_ALT];
} xc_datefmt;

/* Compiles spec ("YYYY-MM-DD|YYYY/M/D"). Tokens: YYYY four-digit year, MM
 * and DD two digits, M and D one or two digits, '*' ignores the rest of the
 * value; any other character must appear as it is. Returns 0, or -1 with a
 * reason (static string) in *ret_why. */
int xc_datefmt_compile(const char *spec, xc_datefmt *ret, const char **ret_why);

/* True when every alternative of fmt names a day (D or DD). */
bool xc_datefmt_has_day(const xc_datefmt *fmt);

/* Parses s[0..len) with the first alternative that matches. A format
 * without a day gives the first of the month. Returns 0 and the date, or -1
 * when no alternative matches or the day is not a real one. */
int xc_datefmt_parse(const xc_datefmt *fmt, const char *s, size_t len,
                     xc_date *ret);

#endif
