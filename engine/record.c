/* record.c - converting a source's raw text into typed values. */
#include "xcheck/record.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/region.h"
#include "xcheck/text.h"

int xc_money_parse(const char *s, size_t len, int64_t *ret_fen)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    if (i + 2 <= len && memcmp(s + i, "\xC2\xA5", 2) == 0)        /* ¥ */
        i += 2;
    else if (i + 3 <= len && memcmp(s + i, "\xEF\xBF\xA5", 3) == 0)   /* ￥ */
        i += 3;
    int64_t yuan = 0, fen = 0;
    int digits = 0, decimals = 0;
    for (; i < len && ((s[i] >= '0' && s[i] <= '9') || s[i] == ','); i++) {
        if (s[i] == ',')
            continue;
        if (yuan > 1000000000000LL)     /* over a trillion yuan: not money */
            return -1;
        yuan = yuan * 10 + (s[i] - '0');
        digits++;
    }
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            if (decimals < 2)
                fen = fen * 10 + (s[i] - '0');
            else if (s[i] != '0')
                return -1;      /* a fraction of a fen: not money */
            decimals++;
            digits++;
        }
    }
    if (i != len || digits == 0)
        return -1;
    if (decimals == 1)
        fen *= 10;
    int64_t v = yuan * 100 + (decimals ? fen : 0);
    *ret_fen = neg ? -v : v;
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

static bool is_null(const xc_binding *b, const char *s, size_t len)
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
            return reject(rej, f, "region code '%.*s' is not digits", (int)v->len, v->s);
        code = code * 10 + (uint32_t)(v->s[i] - '0');
    }
    bool ok_len = v->len == 6 || (fd->short_region && (v->len == 2 || v->len == 4));
    if (!ok_len)
        return reject(rej, f, "region code '%.*s' has %zu digits, not %s", (int)v->len,
                      v->s, v->len, fd->short_region ? "2, 4 or 6" : "6");
    uint32_t six = v->len == 2 ? code * 10000 : v->len == 4 ? code * 100 : code;
    if (!xc_region_province_known(six))
        return reject(rej, f, "region code '%.*s': unknown province", (int)v->len, v->s);
    if (v->len == 6 && !xc_region_known(six))
        rec->warn_unknown_county = true;
    v->i = code;
    return 0;
}

static int convert_field(const xc_binding *b, const xc_raw_row *raw, int f, xc_date as_of,
                         xc_record *rec, xc_reject *rej)
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
            return reject(rej, f, "bad ID number: %s", xc_id_error_str(rec->id.error));
        if (rec->id.unknown_county)
            rec->warn_unknown_county = true;
        return 0;
    case XC_F_DATE:
    case XC_F_MONTH: {
        xc_date d;
        const xc_datefmt *fmt = raw->format && raw->format[f] ? raw->format[f] : &fb->format;
        if (xc_datefmt_parse(fmt, v->s, v->len, &d) < 0)
            return reject(rej, f, "'%.*s' is not a %s in the expected format", (int)v->len,
                          v->s, fd->type == XC_F_DATE ? "date" : "month");
        v->i = fd->type == XC_F_DATE ? d : xc_date_month(d);
        return 0;
    }
    case XC_F_MONEY:
        if (xc_money_parse(v->s, v->len, &v->i) < 0)
            return reject(rej, f, "'%.*s' is not an amount of money (yuan, at most two "
                          "decimals)", (int)v->len, v->s);
        return 0;
    case XC_F_NUMBER: {
        char tmp[64];
        char *end;
        if (v->len >= sizeof tmp)
            return reject(rej, f, "'%.*s...' is not a number", 20, v->s);
        memcpy(tmp, v->s, v->len);
        tmp[v->len] = '\0';
        v->d = strtod(tmp, &end);
        if (*end || end == tmp || !isfinite(v->d) || strpbrk(tmp, "xX"))  /* no hex */
            return reject(rej, f, "'%s' is not a number", tmp);
        return 0;
    }
    case XC_F_ENUM: {
        int k = map_value(fb, fd, v->s, v->len);
        if (k < 0)
            return reject(rej, f, "value '%.*s' has no mapping (add map.%s.%.*s = <value>)",
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
                return reject(rej, f, "list item '%.*s' has no mapping (add map.%s.%.*s = "
                              "<value>)", (int)n, item, fd->name, (int)n, item);
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
static int convert_one(const xc_binding *b, xc_date as_of, const xc_raw_row *raw, int f,
                       xc_record *rec, xc_reject *rej)
{
    xc_value *v = &rec->v[f];
    const xc_field_def *fd = &b->ds->fields[f];
    /* Checked here, not when read: a row outside the archive is converted
     * no further than its ID. Undecodable GB18030 arrives as 0xFF bytes. */
    if (raw->f[f].p && !xc_utf8_valid(raw->f[f].p, raw->f[f].len))
        return reject(rej, f, "%s", b->encoding == XC_ENC_GB18030
                      ? "bytes that are not valid GB18030"
                      : "not valid UTF-8 (is the file GB18030? set encoding = gb18030)");
    /* 2026-12-01: a NUL in a name cut it short; text holding control
     * characters cannot be true and is rejected. */
    unsigned cp;
    size_t at = raw->f[f].p ? xc_text_control(raw->f[f].p, raw->f[f].len, &cp) : (size_t)-1;
    if (at != (size_t)-1)
        return reject(rej, f, "control character U+%04X at byte %zu of %s: text cannot "
                      "hold it", cp, at + 1, fd->name);
    v->i = 0;
    v->d = 0;
    v->len = raw->f[f].len;
    v->s = raw->f[f].p ? xc_trim(raw->f[f].p, &v->len) : "";
    v->null = !raw->f[f].p || is_null(b, v->s, v->len);
    if (v->null)
        return fd->nullable ? 0 : reject(rej, f, "empty, but %s is required", fd->name);
    return convert_field(b, raw, f, as_of, rec, rej);
}

int xc_record_convert(const xc_binding *b, xc_date as_of, const xc_raw_row *raw,
                      xc_record *rec, xc_reject *rej)
{
    record_begin(rec, raw);
    if (raw->problem)
        return reject(rej, raw->problem_field, "%s", raw->problem);
    for (int f = 0; f < b->ds->n_fields; f++)
        if (convert_one(b, as_of, raw, f, rec, rej) < 0)
            return -1;
    return 0;
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
        if (raw_id->p && raw_id->len == 18 && !is_null(b, raw_id->p, 18) &&
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
        return convert_one(b, as_of, raw, f, rec, rej);
    }
    return 0;
}
