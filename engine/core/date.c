/* date.c - civil-date arithmetic (days from civil, after H. Hinnant's
 * public-domain algorithms) and the date-format patterns of exports. */
#include "xcheck/date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "xcheck/i18n.h"

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool xc_date_valid(int y, int m, int d)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return false;
    int max = mdays[m - 1] + (m == 2 && is_leap(y));
    return d <= max;
}

xc_date xc_date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (xc_date)(era * 146097 + doe - 719468);
}

void xc_date_to_ymd(xc_date date, int *ret_y, int *ret_m, int *ret_d)
{
    int z = date + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp + (mp < 10 ? 3 : -9);
    *ret_y = y + (m <= 2);
    *ret_m = m;
    *ret_d = d;
}

/* Writes the last n decimal digits of v (v >= 0). */
static void put_digits(char *out, int v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

char *xc_date_format(xc_date date, char buf[static 11])
{
    int y, m, d;
    xc_date_to_ymd(date, &y, &m, &d);
    put_digits(buf, y, 4);
    buf[4] = '-';
    put_digits(buf + 5, m, 2);
    buf[7] = '-';
    put_digits(buf + 8, d, 2);
    buf[10] = '\0';
    return buf;
}

char *xc_month_format(xc_month month, char buf[static 8])
{
    put_digits(buf, month / 12, 4);
    buf[4] = '-';
    put_digits(buf + 5, month % 12 + 1, 2);
    buf[7] = '\0';
    return buf;
}

xc_month xc_date_month(xc_date date)
{
    int y, m, d;
    xc_date_to_ymd(date, &y, &m, &d);
    return y * 12 + m - 1;
}

xc_date xc_month_first_day(xc_month m)
{
    return xc_date_from_ymd(m / 12, m % 12 + 1, 1);
}

xc_date xc_month_last_day(xc_month m)
{
    return xc_month_first_day(m + 1) - 1;
}

int xc_date_parse_iso(const char *s, xc_date *ret)
{
    int v[3] = {0, 0, 0};
    static const int width[3] = {4, 2, 2};
    for (int part = 0; part < 3; part++) {
        for (int i = 0; i < width[part]; i++, s++) {
            if (*s < '0' || *s > '9')
                return -1;
            v[part] = v[part] * 10 + (*s - '0');
        }
        if (*s++ != (part < 2 ? '-' : '\0'))
            return -1;
    }
    if (!xc_date_valid(v[0], v[1], v[2]))
        return -1;
    *ret = xc_date_from_ymd(v[0], v[1], v[2]);
    return 0;
}

xc_date xc_date_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    return xc_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Token kinds: 'Y' four-digit year, 'M'/'D' two digits, 'm'/'d' one or two
 * digits, '*' rest ignored, 'L' literal character. */
int xc_datefmt_compile(const char *spec, xc_datefmt *ret, const char **ret_why)
{
    memset(ret, 0, sizeof *ret);
    const char *p = spec;
    for (;;) {
        if (ret->n_alt == XC_DATEFMT_MAX_ALT) {
            *ret_why = N_("too many alternatives (at most 4)");
            return -1;
        }
        xc_datefmt_alt *alt = &ret->alt[ret->n_alt++];
        bool has_y = false, has_m = false;
        while (*p == ' ')
            p++;
        while (*p && *p != '|') {
            if (alt->n_tok == XC_DATEFMT_MAX_TOK) {
                *ret_why = N_("pattern too long");
                return -1;
            }
            char kind, lit = 0;
            if (strncmp(p, "YYYY", 4) == 0) {
                kind = 'Y', p += 4, has_y = true;
            } else if (strncmp(p, "MM", 2) == 0) {
                kind = 'M', p += 2, has_m = true;
            } else if (strncmp(p, "DD", 2) == 0) {
                kind = 'D', p += 2, alt->has_day = true;
            } else if (*p == 'M') {
                kind = 'm', p++, has_m = true;
            } else if (*p == 'D') {
                kind = 'd', p++, alt->has_day = true;
            } else if (*p == '*') {
                kind = '*', p++;
            } else if (*p == 'Y') {
                *ret_why = N_("the year must be written YYYY");
                return -1;
            } else {
                kind = 'L', lit = *p++;
            }
            alt->tok[alt->n_tok].kind = kind;
            alt->tok[alt->n_tok].lit = lit;
            alt->n_tok++;
            if (kind == '*' && *p && *p != '|') {
                *ret_why = N_("'*' must end a pattern");
                return -1;
            }
        }
        while (alt->n_tok > 0 && alt->tok[alt->n_tok - 1].kind == 'L' &&
               alt->tok[alt->n_tok - 1].lit == ' ')
            alt->n_tok--;
        if (!has_y || !has_m) {
            *ret_why = N_("a pattern needs YYYY and MM (or M)");
            return -1;
        }
        if (*p != '|')
            break;
        p++;
    }
    return 0;
}

bool xc_datefmt_has_day(const xc_datefmt *fmt)
{
    for (int i = 0; i < fmt->n_alt; i++)
        if (!fmt->alt[i].has_day)
            return false;
    return fmt->n_alt > 0;
}

static int digits(const char *s, size_t len, size_t *pos, int min, int max)
{
    int v = 0, n = 0;
    while (*pos < len && n < max && s[*pos] >= '0' && s[*pos] <= '9') {
        v = v * 10 + (s[*pos] - '0');
        (*pos)++, n++;
    }
    return n >= min ? v : -1;
}

int xc_datefmt_parse(const xc_datefmt *fmt, const char *s, size_t len,
                     xc_date *ret)
{
    for (int a = 0; a < fmt->n_alt; a++) {
        int y = -1, m = -1, d = 1;
        size_t pos = 0;
        bool ok = true, rest = false;
        for (int t = 0; ok && t < fmt->alt[a].n_tok; t++) {
            char lit = fmt->alt[a].tok[t].lit;
            switch (fmt->alt[a].tok[t].kind) {
            case 'Y': ok = (y = digits(s, len, &pos, 4, 4)) >= 0; break;
            case 'M': ok = (m = digits(s, len, &pos, 2, 2)) >= 0; break;
            case 'm': ok = (m = digits(s, len, &pos, 1, 2)) >= 0; break;
            case 'D': ok = (d = digits(s, len, &pos, 2, 2)) >= 0; break;
            case 'd': ok = (d = digits(s, len, &pos, 1, 2)) >= 0; break;
            case '*': rest = true; break;
            default: ok = pos < len && s[pos++] == lit; break;
            }
        }
        if (ok && (rest || pos == len) && xc_date_valid(y, m, d)) {
            *ret = xc_date_from_ymd(y, m, d);
            return 0;
        }
    }
    return -1;
}

double xc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
