/* record.c - converting a source's raw text into typed values. */
#include "xcheck/record.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/i18n.h"
#include "xcheck/region.h"
#include "xcheck/text.h"

static const char R_FULLWIDTH[] =
    N_("full-width digits or signs: write it in ASCII digits 0-9, '.' and ','");
static const char R_GROUPS[] =
    N_("thousands separators out of place: commas may only split the digits before the "
       "decimal point into groups of three (1,234,567.89)");
static const char R_POINT[] = N_("a decimal point with no digit after it");
static const char R_FEN[] =
    N_("a fraction of a fen: at most two decimals (further zeros only), nothing is rounded");
static const char R_CAP[] = N_("more than one trillion yuan (1,000,000,000,000.00), the most "
                               "an amount may be");
static const char R_MONEY[] = N_("allowed are yuan in digits, with an optional sign, ¥ or ￥, "
                                 "thousands commas and at most two decimals");
static const char R_NUMBER[] = N_("allowed are digits, with an optional sign, thousands commas "
                                  "and a decimal point (no exponent)");
static const char R_DIGITS[] = N_("more than 15 digits, more than a number can hold exactly");

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A decimal split into its parts: [sign] [yuan sign] integer [. fraction]. */
typedef struct decimal {
    bool minus;
    const char *ip;          /* the integer part, commas included */
    size_t ilen;
    const char *fp;          /* the fraction, NULL without a decimal point */
    size_t flen;
} decimal;

/* True when s holds a full-width digit, sign, comma or point (U+FF0B-FF19). */
static bool has_fullwidth(const char *s, size_t len)
{
    for (size_t i = 0; i + 2 < len; i++)
        if ((unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBC &&
            (unsigned char)s[i + 2] >= 0x8B && (unsigned char)s[i + 2] <= 0x99)
            return true;
    return false;
}

/* The commas of ip[0..len), if any, split it into groups of three digits
 * after a first group of one to three that does not start with 0. */
static bool groups_ok(const char *ip, size_t len)
{
    const char *comma = memchr(ip, ',', len);
    if (!comma)
        return true;
    size_t first = (size_t)(comma - ip);
    if (first == 0 || first > 3 || ip[0] == '0' || (len - first) % 4 != 0)
        return false;
    for (size_t k = first; k < len; k += 4)
        if (ip[k] != ',' || !is_digit(ip[k + 1]) || !is_digit(ip[k + 2]) ||
            !is_digit(ip[k + 3]))
            return false;
    return true;
}

/* Splits s[0..len) and checks its form. Returns NULL, or the reason. */
static const char *split_decimal(const char *s, size_t len, bool money, decimal *d)
{
    const char *syntax = money ? R_MONEY : R_NUMBER;
    size_t i = 0;
    memset(d, 0, sizeof *d);
    if (i < len && (s[i] == '-' || s[i] == '+'))
        d->minus = s[i++] == '-';
    if (money && i + 2 <= len && memcmp(s + i, "\xC2\xA5", 2) == 0)             /* ¥ */
        i += 2;
    else if (money && i + 3 <= len && memcmp(s + i, "\xEF\xBF\xA5", 3) == 0)    /* ￥ */
        i += 3;
    d->ip = s + i;
    while (i < len && (is_digit(s[i]) || s[i] == ','))
        i++;
    d->ilen = (size_t)(s + i - d->ip);
    if (i < len && s[i] == '.') {
        d->fp = s + ++i;
        while (i < len && is_digit(s[i]))
            i++;
        d->flen = (size_t)(s + i - d->fp);
    }
    if (i != len)
        return has_fullwidth(s, len) ? R_FULLWIDTH : syntax;
    if (d->fp && d->flen == 0)
        return R_POINT;
    if (d->ilen == 0 && !d->fp)
        return syntax;
    if (!groups_ok(d->ip, d->ilen))
        return R_GROUPS;
    return NULL;
}

int xc_money_read(const char *s, size_t len, int64_t *ret_fen, const char **ret_why)
{
    decimal d;
    const char *why = split_decimal(s, len, true, &d);
    int64_t yuan = 0, fen = 0;
    for (size_t i = 0; !why && i < d.ilen; i++) {
        if (d.ip[i] == ',')
            continue;
        yuan = yuan * 10 + (d.ip[i] - '0');
        if (yuan > XC_MONEY_MAX_FEN / 100)
            why = R_CAP;
    }
    for (size_t i = 0; !why && i < d.flen; i++) {
        if (i < 2)
            fen = fen * 10 + (d.fp[i] - '0');
        else if (d.fp[i] != '0')
            why = R_FEN;
    }
    if (d.flen == 1)
        fen *= 10;
    int64_t v = yuan * 100 + fen;
    if (!why && v > XC_MONEY_MAX_FEN)
        why = R_CAP;
    if (why) {
        if (ret_why)
            *ret_why = why;
        return -1;
    }
    *ret_fen = d.minus ? -v : v;
    return 0;
}

int xc_money_parse(const char *s, size_t len, int64_t *ret_fen)
{
    return xc_money_read(s, len, ret_fen, NULL);
}

char *xc_money_format(int64_t fen, char out[static 32])
{
    /* The magnitude as unsigned, so that INT64_MIN has one too. */
    uint64_t u = fen < 0 ? 0 - (uint64_t)fen : (uint64_t)fen;
    snprintf(out, 32, "%s%llu.%02llu", fen < 0 ? "-" : "", (unsigned long long)(u / 100),
             (unsigned long long)(u % 100));
    return out;
}

int xc_number_read(const char *s, size_t len, double *ret, const char **ret_why)
{
    decimal d;
    const char *why = split_decimal(s, len, false, &d);
    char tmp[XC_NUMBER_MAX_DIGITS + 4];
    size_t n = 0;
    if (!why) {
        if (d.minus)
            tmp[n++] = '-';
        for (size_t i = 0; i < d.ilen + (d.fp ? 1 + d.flen : 0) && !why; i++) {
            char c = d.ip[i];        /* the fraction follows the point */
            if (c == ',')
                continue;
            if (n == sizeof tmp - 1)
                why = R_DIGITS;
            else
                tmp[n++] = c;
        }
    }
    if (!why && n - d.minus - (d.fp != NULL) > XC_NUMBER_MAX_DIGITS)
        why = R_DIGITS;
    if (why) {
        if (ret_why)
            *ret_why = why;
        return -1;
    }
    tmp[n] = '\0';
    *ret = strtod(tmp, NULL);
    return 0;
}

static int reject(xc_reject *rej, int field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int reject(xc_reject *rej, int field, const char *fmt, ...)
{
    rej->field = field;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rej->reason, sizeof rej->reason, fmt, ap);
    va_end(ap);
    return -1;
}

/* Maps one coded value: the binding's value map first, then the logical
 * names themselves. Returns the value index or -1. */
static int map_value(const xc_field_binding *fb, const xc_field_def *fd,
                     const char *s, size_t len)
{
    for (size_t i = 0; i < fb->n_map; i++)
        if (strlen(fb->map[i].raw) == len && memcmp(fb->map[i].raw, s, len) == 0)
            return fb->map[i].value;
    return xc_field_value(fd, s, len);
}

bool xc_binding_null_text(const xc_binding *b, const char *s, size_t len)
{
    if (len == 0)
        return true;
    for (size_t i = 0; i < b->n_nulls; i++)
        if (strlen(b->nulls[i]) == len && memcmp(b->nulls[i], s, len) == 0)
            return true;
    return false;
}

/* The next element of a list separated by ; , | 、 ， or ；. */
static bool next_item(const char **p, const char *end, const char **item, size_t *len)
{
    static const char *seps[] = {";", ",", "|", "\xE3\x80\x81", "\xEF\xBC\x8C", "\xEF\xBC\x9B"};
    while (*p < end) {
        const char *s = *p, *q = s;
        size_t sep = 0;
        while (q < end && !sep) {
            for (size_t k = 0; k < sizeof seps / sizeof seps[0] && !sep; k++) {
                size_t n = strlen(seps[k]);
                if ((size_t)(end - q) >= n && memcmp(q, seps[k], n) == 0)
                    sep = n;
            }
            if (!sep)
                q++;
        }
        *p = q + sep;
        size_t n = (size_t)(q - s);
        const char *t = xc_trim(s, &n);
        if (n > 0) {
            *item = t;
            *len = n;
            return true;
        }
    }
    return false;
}

static int convert_region(const xc_field_def *fd, xc_value *v, xc_record *rec,
                          xc_reject *rej, int f)
{
    uint32_t code = 0;
    for (size_t i = 0; i < v->len; i++) {
        if (v->s[i] < '0' || v->s[i] > '9')
            return reject(rej, f, _("region code '%.*s' is not digits"), (int)v->len, v->s);
        code = code * 10 + (uint32_t)(v->s[i] - '0');
    }
    bool ok_len = v->len == 6 || (fd->short_region && (v->len == 2 || v->len == 4));
    if (!ok_len)
        return reject(rej, f, _("region code '%.*s' has %zu digits, not %s"), (int)v->len,
                      v->s, v->len, fd->short_region ? "2, 4 or 6" : "6");
    uint32_t six = v->len == 2 ? code * 10000 : v->len == 4 ? code * 100 : code;
    if (!xc_region_province_known(six))
        return reject(rej, f, _("region code '%.*s': unknown province"), (int)v->len, v->s);
    if (v->len == 6 && !xc_region_known(six))
        rec->warn_unknown_county = true;
    v->i = code;
    return 0;
}

/* How much of a value a reason shows: at most 40 bytes, whole characters. */
static int shown(const xc_value *v)
{
    size_t n = v->len;
    if (n > 40) {
        n = 40;
        while (n > 0 && ((unsigned char)v->s[n] & 0xC0) == 0x80)
            n--;
    }
    return (int)n;
}

/* A parsed date (d: its day, or the first day of its month) of field f
 * against the years any date may have and, for a not_after_as_of field,
 * against the last day the data can know. */
static int check_date(const xc_field_def *fd, const xc_value *v, xc_date d, xc_date as_of,
                      xc_date latest, xc_reject *rej, int f)
{
    int y, m, day;
    xc_date_to_ymd(d, &y, &m, &day);
    if (y < XC_DATE_MIN_YEAR)
        return reject(rej, f, _("'%.*s' is before %d: %s cannot be that early (years %d to "
                      "%d)"), shown(v), v->s, XC_DATE_MIN_YEAR, fd->name, XC_DATE_MIN_YEAR,
                      XC_DATE_MAX_YEAR);
    if (y > XC_DATE_MAX_YEAR)
        return reject(rej, f, _("'%.*s' is after %d: a placeholder, not a real date (years %d "
                      "to %d); if the export means no date by it, add it to the dataset's "
                      "null texts"), shown(v), v->s, XC_DATE_MAX_YEAR, XC_DATE_MIN_YEAR,
                      XC_DATE_MAX_YEAR);
    if (!fd->not_after_as_of || d <= latest)
        return 0;
    char a[11], l[11];
    xc_date_format(as_of, a);
    if (latest == as_of)
        return reject(rej, f, _("%s '%.*s' is after as_of %s: it records something that has "
                      "happened, so it can be as_of at the latest"), fd->name, shown(v), v->s,
                      a);
    return reject(rej, f, _("%s '%.*s' is after today, %s (as_of %s): it records something "
                  "that has happened, so it can be today at the latest"), fd->name, shown(v),
                  v->s, xc_date_format(latest, l), a);
}

static int convert_field(const xc_binding *b, const xc_raw_row *raw, int f, xc_date as_of,
                         xc_date latest, xc_record *rec, xc_reject *rej)
{
    const xc_field_def *fd = &b->ds->fields[f];
    const xc_field_binding *fb = &b->field[f];
    xc_value *v = &rec->v[f];
    switch (fd->type) {
    case XC_F_TEXT:
        return 0;
    case XC_F_ID:
        rec->id_field = f;
        if (xc_id_parse(v->s, v->len, as_of, &rec->id) < 0 && b->ds->side != XC_SIDE_ARCHIVE)
            return reject(rej, f, _("bad ID number: %s"), _(xc_id_error_str(rec->id.error)));
        if (rec->id.unknown_county)
            rec->warn_unknown_county = true;
        return 0;
    case XC_F_DATE:
    case XC_F_MONTH: {
        xc_date d;
        const xc_datefmt *fmt = raw->format && raw->format[f] ? raw->format[f] : &fb->format;
        if (xc_datefmt_parse(fmt, v->s, v->len, &d) < 0)
            return reject(rej, f, fd->type == XC_F_DATE
                          ? _("'%.*s' is not a date in the expected format")
                          : _("'%.*s' is not a month in the expected format"), (int)v->len,
                          v->s);
        v->i = fd->type == XC_F_DATE ? d : xc_date_month(d);
        return check_date(fd, v, d, as_of, latest, rej, f);
    }
    case XC_F_MONEY: {
        const char *why;
        if (xc_money_read(v->s, v->len, &v->i, &why) < 0)
            return reject(rej, f, _("'%.*s' is not an amount of money: %s"), shown(v), v->s,
                          _(why));
        if (fd->nonneg && v->s[0] == '-')
            return reject(rej, f, _("'%.*s' is negative, but %s cannot be: 0 or more"),
                          shown(v), v->s, fd->name);
        return 0;
    }
    case XC_F_NUMBER: {
        const char *why;
        if (xc_number_read(v->s, v->len, &v->d, &why) < 0)
            return reject(rej, f, _("'%.*s' is not a number: %s"), shown(v), v->s, _(why));
        if (fd->nonneg && v->s[0] == '-')
            return reject(rej, f, _("'%.*s' is negative, but %s cannot be: 0 or more"),
                          shown(v), v->s, fd->name);
        return 0;
    }
    case XC_F_ENUM: {
        int k = map_value(fb, fd, v->s, v->len);
        if (k < 0)
            return reject(rej, f, _("value '%.*s' has no mapping (add map.%s.%.*s = <value>)"),
                          (int)v->len, v->s, fd->name, (int)v->len, v->s);
        v->i = k;
        return 0;
    }
    case XC_F_ENUMLIST: {
        const char *p = v->s, *item;
        size_t n;
        v->i = 0;
        while (next_item(&p, v->s + v->len, &item, &n)) {
            int k = map_value(fb, fd, item, n);
            if (k < 0)
                return reject(rej, f, _("list item '%.*s' has no mapping (add map.%s.%.*s = "
                              "<value>)"), (int)n, item, fd->name, (int)n, item);
            v->i |= (int64_t)1 << k;
        }
        return 0;
    }
    case XC_F_REGION:
        return convert_region(fd, v, rec, rej, f);
    }
    return 0;
}

static void record_begin(xc_record *rec, const xc_raw_row *raw)
{
    rec->line = raw->line;
    rec->id_field = -1;
    rec->warn_unknown_county = false;
    /* The whole ID result, not only its verdict: a caller reads legacy and
     * unknown_county of a row rejected before its ID was parsed. */
    memset(&rec->id, 0, sizeof rec->id);
    rec->id.error = XC_ID_EMPTY;
}

/* Trims field f, decides whether it is empty, converts it. */
static int convert_one(const xc_binding *b, xc_date as_of, xc_date latest,
                       const xc_raw_row *raw, int f, xc_record *rec, xc_reject *rej)
{
    xc_value *v = &rec->v[f];
    const xc_field_def *fd = &b->ds->fields[f];
    /* Checked here, not when read: a row outside the archive is converted
     * no further than its ID. Undecodable GB18030 arrives as 0xFF bytes. */
    bool plain = !raw->f[f].p || xc_text_plain(raw->f[f].p, raw->f[f].len);
    if (!plain && !xc_utf8_valid(raw->f[f].p, raw->f[f].len))
        return reject(rej, f, "%s", b->encoding == XC_ENC_GB18030
                      ? _("bytes that are not valid GB18030")
                      : _("not valid UTF-8 (is the file GB18030? set encoding = gb18030)"));
    /* 2026-12-01: a NUL in a name cut it short; text holding control
     * characters cannot be true and is rejected. */
    unsigned cp;
    size_t at = plain ? (size_t)-1 : xc_text_control(raw->f[f].p, raw->f[f].len, &cp);
    if (at != (size_t)-1)
        return reject(rej, f, _("control character U+%04X at byte %zu of %s: text cannot "
                      "hold it"), cp, at + 1, fd->name);
    v->i = 0;
    v->d = 0;
    v->len = raw->f[f].len;
    v->s = raw->f[f].p ? xc_trim(raw->f[f].p, &v->len) : "";
    v->null = !raw->f[f].p || xc_binding_null_text(b, v->s, v->len);
    if (v->null)
        return fd->nullable || !raw->f[f].p ? 0   /* unmapped: optional or unread */
               : reject(rej, f, _("empty, but %s is required"), fd->name);
    return convert_field(b, raw, f, as_of, latest, rec, rej);
}

/* The dates of a row against each other: none before the one it cannot
 * precede. */
static int check_order(const xc_dataset_def *ds, const xc_record *rec, xc_reject *rej)
{
    for (int f = 0; f < ds->n_fields; f++) {
        const char *before = ds->fields[f].not_before;
        int o = before ? xc_dataset_field(ds, before) : -1;
        if (o < 0 || rec->v[f].null || rec->v[o].null || rec->v[f].i >= rec->v[o].i)
            continue;
        char d[11], e[11];
        return reject(rej, f, _("%s %s is before %s %s: it cannot precede it"), ds->fields[f].name,
                      xc_date_format((xc_date)rec->v[f].i, d), before,
                      xc_date_format((xc_date)rec->v[o].i, e));
    }
    return 0;
}

int xc_record_convert(const xc_binding *b, xc_date as_of, xc_date latest,
                      const xc_raw_row *raw, xc_record *rec, xc_reject *rej)
{
    record_begin(rec, raw);
    if (raw->problem)
        return reject(rej, raw->problem_field, "%s", raw->problem);
    for (int f = 0; f < b->ds->n_fields; f++)
        if (convert_one(b, as_of, latest, raw, f, rec, rej) < 0)
            return -1;
    /* A disposition names its flag's household, or for someone outside the
     * archive its person: one of the two. */
    if (b->ds->id == XC_DS_DISPOSITION && rec->v[XC_DP_ARCHIVE_NO].null &&
        rec->v[XC_DP_ID_NO].null)
        return reject(rej, XC_DP_ARCHIVE_NO, _("neither archive_no nor id_no: a disposition "
                      "names the household of its flag, or the person when the flag "
                      "concerns someone outside the archive"));
    return check_order(b->ds, rec, rej);
}

int xc_record_convert_id(const xc_binding *b, xc_date as_of, const xc_raw_row *raw,
                         xc_record *rec, xc_reject *rej)
{
    record_begin(rec, raw);
    if (raw->problem)
        return reject(rej, raw->problem_field, "%s", raw->problem);
    for (int f = 0; f < b->ds->n_fields; f++) {
        if (b->ds->fields[f].type != XC_F_ID)
            continue;
        /* Most numbers are exactly their normalised form: nothing to trim,
         * check as text or reject, so straight to the parser. */
        const xc_raw_field *raw_id = &raw->f[f];
        if (raw_id->p && raw_id->len == 18 && !xc_binding_null_text(b, raw_id->p, 18) &&
            xc_id_parse(raw_id->p, 18, as_of, &rec->id) == 0 &&
            memcmp(raw_id->p, rec->id.norm, 18) == 0) {
            xc_value *v = &rec->v[f];
            v->i = 0;
            v->d = 0;
            v->s = raw_id->p;
            v->len = 18;
            v->null = false;
            rec->id_field = f;
            rec->warn_unknown_county = rec->id.unknown_county;
            return 0;
        }
        return convert_one(b, as_of, as_of, raw, f, rec, rej);   /* an ID: no latest */
    }
    return 0;
}
