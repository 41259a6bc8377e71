/* idno.c - normalising, validating, upgrading and packing ID numbers. */
#include "xcheck/idno.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "xcheck/i18n.h"
#include "xcheck/region.h"
#include "xcheck/text.h"

const char *xc_id_error_str(xc_id_error e)
{
    switch (e) {
    case XC_ID_VALID: return N_("valid");
    case XC_ID_EMPTY: return N_("empty");
    case XC_ID_BAD_CHAR: return N_("invalid character");
    case XC_ID_BAD_LENGTH: return N_("wrong length (not 15 or 18)");
    case XC_ID_BAD_CHECK: return N_("check character does not match");
    case XC_ID_UNKNOWN_PROVINCE: return N_("unknown province code");
    case XC_ID_BAD_BIRTH: return N_("impossible birth date");
    case XC_ID_BIRTH_AFTER_AS_OF: return N_("birth date after as_of");
    }
    return N_("unknown");
}

char xc_id_check_char(const char digits[17])
{
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[11] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (digits[i] - '0') * weight[i];
    return check[sum % 11];
}

uint64_t xc_id_pack(const char norm[18])
{
    uint64_t k = 0;
    for (int i = 0; i < 17; i++)
        k = k * 10 + (uint64_t)(norm[i] - '0');
    return k;
}

void xc_id_unpack(uint64_t key, char out[static 19])
{
    for (int i = 16; i >= 0; i--) {
        out[i] = (char)('0' + key % 10);
        key /= 10;
    }
    out[17] = xc_id_check_char(out);
    out[18] = '\0';
}

char *xc_id_mask(const char *norm, char *out, size_t outsz)
{
    size_t n = strlen(norm);
    if (n < 10)
        snprintf(out, outsz, "%.*s", (int)n, "**********");
    else
        snprintf(out, outsz, "%.6s********%s", norm, norm + n - 4);
    return out;
}

/* The length of the UTF-8 character at s (1 for a stray byte), and whether
 * it is a letter or digit, ASCII or full-width. */
static size_t alnum_char(const unsigned char *s, size_t left, bool *ret_alnum)
{
    unsigned char c = s[0];
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (n > left)
        n = 1;
    for (size_t k = 1; k < n; k++)
        if ((s[k] & 0xC0) != 0x80)
            n = 1;
    *ret_alnum = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    if (n == 3 && c == 0xEF)           /* ０-９, Ａ-Ｚ, ａ-ｚ */
        *ret_alnum = (s[1] == 0xBC && s[2] >= 0x90 && s[2] <= 0x99) ||
                     (s[1] == 0xBC && s[2] >= 0xA1 && s[2] <= 0xBA) ||
                     (s[1] == 0xBD && s[2] >= 0x81 && s[2] <= 0x9A);
    return n;
}

char *xc_id_mask_text(const char *raw, size_t len, char *out, size_t outsz)
{
    const unsigned char *s = (const unsigned char *)raw;
    size_t total = 0, i, o = 0, seen = 0;
    bool alnum;
    for (i = 0; i < len; total += alnum)
        i += alnum_char(s + i, len - i, &alnum);
    bool keep_ends = total >= 10;
    for (i = 0; i < len;) {
        size_t n = alnum_char(s + i, len - i, &alnum);
        bool keep = !alnum || (keep_ends && (seen < 6 || seen >= total - 4));
        seen += alnum;
        size_t w = keep ? n : 1;
        if (o + w + 1 > outsz)
            break;
        if (keep)
            memcpy(out + o, s + i, n);
        else
            out[o] = '*';
        o += w;
        i += n;
    }
    if (outsz)
        out[o < outsz ? o : outsz - 1] = '\0';
    return out;
}

/* Reads one normalised character at s[*i]: a digit or 'X' (returned), 0 for
 * something to skip (blank, hyphen), -1 for anything else. Advances *i. */
static int next_char(const unsigned char *s, size_t len, size_t *i)
{
    unsigned char c = s[*i];
    if (c >= '0' && c <= '9') {
        (*i)++;
        return c;
    }
    if (c == 'x' || c == 'X') {
        (*i)++;
        return 'X';
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '-') {
        (*i)++;
        return 0;
    }
    if (c == 0xC2 && *i + 1 < len && s[*i + 1] == 0xA0) {   /* no-break space */
        *i += 2;
        return 0;
    }
    if (*i + 2 < len) {
        unsigned char c1 = s[*i + 1], c2 = s[*i + 2];
        if (c == 0xEF && c1 == 0xBC && c2 >= 0x90 && c2 <= 0x99) {  /* ０-９ */
            *i += 3;
            return '0' + (c2 - 0x90);
        }
        if ((c == 0xEF && c1 == 0xBC && c2 == 0xB8) ||     /* Ｘ */
            (c == 0xEF && c1 == 0xBD && c2 == 0x98)) {     /* ｘ */
            *i += 3;
            return 'X';
        }
        if ((c == 0xE3 && c1 == 0x80 && c2 == 0x80) ||     /* ideographic space */
            (c == 0xEF && c1 == 0xBC && c2 == 0x8D) ||     /* full-width hyphen */
            (c == 0xE2 && c1 == 0x80 && c2 >= 0x90 && c2 <= 0x95)) { /* dashes */
            *i += 3;
            return 0;
        }
    }
    return -1;
}

static int fail(xc_id *ret, xc_id_error e)
{
    ret->error = e;
    ret->key = 0;
    return -1;
}

static int validate(xc_id *ret, const char *d, uint64_t key, xc_date as_of);

/* Most numbers arrive clean: 17 digits and a check character. Checks and
 * packs them in one pass; returns false to take the general path. */
static bool clean_18(const unsigned char *s, size_t len, xc_id *ret, uint64_t *ret_key)
{
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[11] = "10X98765432";
    if (len != 18)
        return false;
    uint64_t key = 0;
    int sum = 0;
    for (int k = 0; k < 17; k++) {
        unsigned d = s[k] - '0';
        if (d > 9)
            return false;
        key = key * 10 + d;
        sum += (int)d * weight[k];
    }
    char last = (char)(s[17] == 'x' ? 'X' : s[17]);
    if (last != 'X' && (last < '0' || last > '9'))
        return false;
    memcpy(ret->norm, s, 17);
    ret->norm[17] = last;
    ret->norm[18] = '\0';
    if (check[sum % 11] != last)
        return false;            /* the general path names the problem */
    *ret_key = key;
    return true;
}

int xc_id_parse(const char *raw, size_t len, xc_date as_of, xc_id *ret)
{
    const unsigned char *s = (const unsigned char *)raw;
    memset(ret, 0, sizeof *ret);
    uint64_t key;
    if (clean_18(s, len, ret, &key))
        return validate(ret, ret->norm, key, as_of);
    size_t i = 0, n = 0;
    bool bad_char = false;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < len && s[i] == '\'')   /* Excel's "store as text" marker */
        i++;
    while (i < len) {
        int c = next_char(s, len, &i);
        if (c == 0)
            continue;
        if (c < 0) {                /* keep the odd byte for the evidence */
            c = s[i++];
            bad_char = true;
        }
        if (n < sizeof ret->norm - 1)
            ret->norm[n] = (char)c;
        n++;
    }
    ret->norm[n < sizeof ret->norm ? n : sizeof ret->norm - 1] = '\0';
    if (n == 0)
        return fail(ret, XC_ID_EMPTY);
    if (bad_char)
        return fail(ret, XC_ID_BAD_CHAR);
    if (n != 15 && n != 18)
        return fail(ret, XC_ID_BAD_LENGTH);
    char *d = ret->norm;
    size_t digits = n == 18 ? 17 : 15;
    for (size_t k = 0; k < digits; k++)
        if (d[k] == 'X')
            return fail(ret, XC_ID_BAD_CHAR);
    if (n == 18 && xc_id_check_char(d) != d[17])
        return fail(ret, XC_ID_BAD_CHECK);
    if (n == 15) {              /* 15 digits: born 19YYMMDD, no check char */
        memmove(d + 8, d + 6, 9);
        d[6] = '1';
        d[7] = '9';
        d[17] = xc_id_check_char(d);
        d[18] = '\0';
        ret->legacy = true;
    }
    return validate(ret, d, xc_id_pack(d), as_of);
}

/* The checks after the characters: province, birth date, as_of. */
static int validate(xc_id *ret, const char *d, uint64_t key, xc_date as_of)
{
    uint32_t region = 0;
    for (int k = 0; k < 6; k++)
        region = region * 10 + (uint32_t)(d[k] - '0');
    if (!xc_region_province_known(region))
        return fail(ret, XC_ID_UNKNOWN_PROVINCE);
    int y = 0, m = 0, day = 0;
    for (int k = 6; k < 10; k++)
        y = y * 10 + (d[k] - '0');
    m = (d[10] - '0') * 10 + (d[11] - '0');
    day = (d[12] - '0') * 10 + (d[13] - '0');
    if (y < 1800 || !xc_date_valid(y, m, day))
        return fail(ret, XC_ID_BAD_BIRTH);
    ret->birth = xc_date_from_ymd(y, m, day);
    if (ret->birth > as_of)
        return fail(ret, XC_ID_BIRTH_AFTER_AS_OF);
    ret->region = region;
    ret->unknown_county = !xc_region_known(region);
    ret->sex = (d[16] - '0') % 2 ? 'M' : 'F';
    ret->key = key;
    ret->error = XC_ID_VALID;
    return 0;
}

/* ---- ID numbers in free text -------------------------------------------- */

/* A text is scanned for runs: groups of digits (ASCII or full-width) and
 * '*', an X allowed to end a group, the groups joined by up to MAX_SEPS
 * separators (blanks and invisible characters of any kind, ASCII and
 * full-width punctuation but the quote, the backslash and '*', and the
 * JSON escapes of control characters, so that evidence can be masked after
 * it is written). In a run, an ID is:
 *   - a group of 15 or more digits (a number typed whole, a card number),
 *     or of 15 or more digits and '*' whose middle still shows a digit
 *     (a form masked only in part);
 *   - 18 characters from any place on, across groups, that read as a valid
 *     number: a real province and birth date and the right check
 *     character;
 *   - a 15-digit number of the old form typed 6-6-3 or whole.
 * A list of dates, months or amounts is none. Strictly, masked forms count
 * too: a group of 15 or more digits and '*', or 18 characters from a
 * group's start, 6 digits first, with a '*'. */

enum { RUN_MIN = 15, MAX_SEPS = 8, STACK_POS = 256, HEX_MAX = 64 };

/* Bytes of a digit or '*' at s[0..n), 0 if none; *kind is the digit, '*'. */
static int position_len(const unsigned char *s, size_t n, char *kind)
{
    if (*s >= '0' && *s <= '9') {
        *kind = (char)*s;
        return 1;
    }
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x90 && s[2] <= 0x99) {
        *kind = (char)('0' + (s[2] - 0x90));
        return 3;
    }
    *kind = '*';
    return *s == '*' ? 1 : 0;
}

/* Bytes of an ID's check letter at s (X, x, full-width X or x), 0 if none. */
static int letter_len(const unsigned char *s, size_t n)
{
    if (*s == 'X' || *s == 'x')
        return 1;
    if (n >= 3 && s[0] == 0xEF && ((s[1] == 0xBC && s[2] == 0xB8) || (s[1] == 0xBD && s[2] == 0x98)))
        return 3;
    return 0;
}

/* The code point of the UTF-8 character at s[0..n) and its length, 0 when
 * it is none. */
static int utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    int len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
    if (len == 0 || (size_t)len > n)
        return 0;
    uint32_t c = s[0] & (0x3F >> (len - 1));
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    *cp = c;
    return len;
}

/* Bytes of a separator that may stand between the groups of a run. */
static int sep_len(const unsigned char *s, size_t n)
{
    if (n >= 2 && s[0] == '\\' && strchr("tnrfb", s[1]) && s[1])  /* JSON escapes */
        return 2;
    if (n >= 6 && s[0] == '\\' && s[1] == 'u' && s[2] == '0' && s[3] == '0' &&
        (s[4] == '0' || s[4] == '1') && isxdigit(s[5]))
        return 6;
    uint32_t c;
    int len = utf8_char(s, n, &c);
    if (len == 0)
        return 0;
    if (c < 0x80)       /* blanks, controls, punctuation; not a quote, \ or * */
        return !isalnum((int)c) && c != '"' && c != '\\' && c != '*' ? 1 : 0;
    bool sep = c == 0xA0 || c == 0xAD || c == 0xB7 ||            /* no-break, soft hyphen, · */
               (c >= 0x2000 && c <= 0x206F) ||                   /* spaces, dashes, invisibles */
               c == 0x2212 || c == 0x3000 || c == 0x3001 || c == 0x3002 || c == 0x30FB ||
               c == 0xFEFF || (c >= 0xFF01 && c <= 0xFF0F && c != 0xFF0A) ||
               (c >= 0xFF1A && c <= 0xFF20);                     /* full-width punctuation */
    return sep ? len : 0;
}

/* One character of a run. */
typedef struct pos {
    size_t at, end;           /* its bytes */
    char kind;                /* '0'-'9', '*', 'X' */
    size_t group;
} pos;

typedef struct run {
    pos *p;
    size_t n, cap;
    size_t len;               /* bytes of the run from its start */
} run;

/* The run at s[0..n) (s begins with a digit or '*'). With r->p NULL, only
 * counts its characters. */
static void scan_run(const unsigned char *s, size_t n, run *r)
{
    size_t i = 0, group = 0, last_group = 0;    /* the group of the last character */
    r->n = 0;
    r->len = 0;
    while (i < n) {
        char kind;
        int k = position_len(s + i, n - i, &kind);
        if (k == 0) {
            /* 2026-12-01: read p[n - 1] past the characters stored when a
             * run was longer than the buffer (found by fuzz_idno). */
            bool in_group = r->n && last_group == group;
            int x = in_group && i == r->len ? letter_len(s + i, n - i) : 0;
            if (x) {                     /* a check letter ends its group */
                if (r->p && r->n < r->cap)
                    r->p[r->n] = (pos){i, i + (size_t)x, 'X', group};
                r->n++;
                i += (size_t)x;
                r->len = i;
            }
            size_t j = i;
            int seps = 0, sl;
            while (j < n && seps < MAX_SEPS && (sl = sep_len(s + j, n - j)) > 0) {
                j += (size_t)sl;
                seps++;
            }
            char d;
            if (seps == 0 || j >= n || !position_len(s + j, n - j, &d))
                break;
            i = j;
            group++;
            continue;
        }
        if (r->p && r->n < r->cap)
            r->p[r->n] = (pos){i, i + (size_t)k, kind, group};
        r->n++;
        last_group = group;
        i += (size_t)k;
        r->len = i;
    }
}

/* Whether p[0..len) (18 or 15 characters) reads as a valid number. */
static bool plausible(const pos *p, size_t len)
{
    char t[19];
    for (size_t k = 0; k < len; k++) {
        if (p[k].kind == '*' || (p[k].kind == 'X' && k != 17))
            return false;
        t[k] = p[k].kind;
    }
    xc_id id;
    xc_id_parse(t, len, INT32_MAX, &id);
    return id.error == XC_ID_VALID;
}

static bool is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

/* Whether the group of digits at s[a..b) is part of a hexadecimal word of
 * exactly 16, 32 or 64 characters with a letter in it: a key id, a
 * pseudonym or a digest, not a person's number. Looks at most HEX_MAX
 * characters each way. */
static bool in_hex_word(const unsigned char *s, size_t len, size_t a, size_t b)
{
    if (b - a > HEX_MAX)
        return false;
    bool letter = false;
    for (size_t k = a; k < b; k++)
        if (!is_hex(s[k]))
            return false;
    size_t lo = a > HEX_MAX ? a - HEX_MAX : 0, hi = b + HEX_MAX < len ? b + HEX_MAX : len;
    while (a > lo && is_hex(s[a - 1]))
        letter |= s[--a] > '9';
    while (b < hi && is_hex(s[b]))
        letter |= s[b++] > '9';
    bool word = (a == 0 || !isalnum(s[a - 1])) && (b == len || !isalnum(s[b]));
    size_t n = b - a;
    return letter && word && (n == 16 || n == 32 || n == 64);
}

/* The ID starting at character k of r, if any: its length in characters,
 * else 0. group_start: k begins a group (or follows an ID). */
static size_t id_at(const unsigned char *s, size_t len, const run *r, size_t k,
                    bool group_start, bool strict)
{
    const pos *p = r->p;
    size_t g_end = k, digits = 0, mid_digit = 0;
    while (g_end < r->n && p[g_end].group == p[k].group)
        digits += p[g_end++].kind != '*';
    size_t g_len = g_end - k;
    if (group_start && g_len >= RUN_MIN) {
        for (size_t j = k + 6; j + 4 < g_end; j++)
            mid_digit += p[j].kind != '*';
        bool six = true;
        for (size_t j = k; j < k + 6; j++)
            six = six && p[j].kind >= '0' && p[j].kind <= '9';
        bool id = strict ? digits >= 6 : digits >= RUN_MIN || (six && mid_digit > 0 && digits < g_len);
        if (id && !in_hex_word(s, len, p[k].at, p[g_end - 1].end) && g_len >= 18)
            return g_len;
        if (id && g_len < 18 && !(k + 18 <= r->n && plausible(p + k, 18)) &&
            !in_hex_word(s, len, p[k].at, p[g_end - 1].end))
            return g_len;
    }
    /* A number spread over groups, or starting inside one. */
    if (k + 18 <= r->n && plausible(p + k, 18))
        return 18;
    if (strict && group_start && k + 18 <= r->n) {
        bool ok = true, star = false;
        for (size_t j = 0; j < 18 && ok; j++) {
            char c = p[k + j].kind;
            ok = j < 6 ? c >= '0' && c <= '9' : true;
            star |= c == '*';
        }
        if (ok && star)
            return 18;
    }
    /* The old 15 digits, typed 6-6-3 (or whole, a group of 15 above). */
    if (group_start && k + 15 <= r->n && p[k + 5].group == p[k].group &&
        (k == 0 || p[k - 1].group != p[k].group) && p[k + 6].group != p[k].group &&
        p[k + 11].group == p[k + 6].group && p[k + 12].group != p[k + 6].group &&
        p[k + 14].group == p[k + 12].group && (k + 15 == r->n || p[k + 15].group != p[k + 14].group) &&
        plausible(p + k, 15))
        return 15;
    return 0;
}

/* Copies s into out (NULL: only looks) with every ID masked; true when one
 * was. */
static bool walk(xc_buf *out, const char *text, size_t len, bool strict)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t plain = 0, i = 0;
    bool changed = false;
    pos stack[STACK_POS];
    pos *heap = NULL;
    while (i < len) {
        char kind;
        if (!position_len(s + i, len - i, &kind)) {
            i++;
            continue;
        }
        run r = {.p = stack, .cap = STACK_POS};
        scan_run(s + i, len - i, &r);
        if (r.n > STACK_POS) {          /* a long run: every character counts */
            pos *h = realloc(heap, r.n * sizeof *h);
            if (!h) {
                free(heap);
                if (out)
                    out->failed = true;
                return true;
            }
            heap = h;
            r.p = heap;
            r.cap = r.n;
            scan_run(s + i, len - i, &r);
        }
        size_t after = 0;        /* where the last ID ended: a start too */
        for (size_t k = 0; k < r.n;) {
            bool starts = k == 0 || k == after || r.p[k - 1].group != r.p[k].group;
            size_t n = id_at(s + i, len - i, &r, k, starts, strict);
            if (!n) {
                k++;
                continue;
            }
            changed = true;
            if (!out) {
                free(heap);
                return true;
            }
            const pos *first = &r.p[k], *last = &r.p[k + n - 1];
            xc_buf_append(out, text + plain, i + first->at - plain);
            xc_buf_append(out, text + i + first->at, r.p[k + 5].end - first->at);
            if (strict) {
                xc_buf_append(out, "************", 12);
            } else {
                xc_buf_append(out, "********", 8);
                size_t tail = r.p[k + n - 4].at;
                xc_buf_append(out, text + i + tail, last->end - tail);
            }
            plain = i + last->end;
            k += n;
            after = k;
        }
        i += r.len ? r.len : 1;
    }
    free(heap);
    if (out)
        xc_buf_append(out, text + plain, len - plain);
    return changed;
}

void xc_mask_ids(xc_buf *out, const char *s, size_t len, bool strict)
{
    walk(out, s, len, strict);
}

bool xc_has_id_run(const char *s, size_t len, bool strict)
{
    return walk(NULL, s, len, strict);
}

const char *xc_masked(const char *s, size_t *len, bool strict, xc_buf *tmp)
{
    if (!xc_has_id_run(s, *len, strict))
        return s;
    xc_mask_ids(tmp, s, *len, strict);
    if (tmp->failed || !tmp->p)
        return NULL;
    *len = tmp->len;
    return tmp->p;
}

void xc_buf_mask_ids(xc_buf *b, size_t from, bool strict)
{
    if (b->failed || from >= b->len)
        return;
    xc_buf m = {0};
    size_t len = b->len - from;
    const char *t = xc_masked(b->p + from, &len, strict, &m);
    if (!t) {
        b->failed = true;
    } else if (t != b->p + from) {
        b->len = from;
        xc_buf_append(b, t, len);
    }
    xc_buf_free(&m);
}
