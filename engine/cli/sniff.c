/* sniff.c - the first bytes of an export: encoding, delimiter, header. */
#include "sniff.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "xcheck/text.h"

static const char candidates[] = {',', '\t', ';', '|'};

/* GB18030 to UTF-8, whole: the decoded text (caller frees), or NULL when
 * some bytes do not decode. */
static char *from_gb18030(const char *s, size_t len, size_t *ret_len)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = len * 2 + 4, left = cap;
    char *out = malloc(cap), *o = out;
    char *in = (char *)s;
    size_t inleft = len;
    bool ok = out && iconv(cd, &in, &inleft, &o, &left) != (size_t)-1 && inleft == 0;
    iconv_close(cd);
    if (!ok) {
        free(out);
        return NULL;
    }
    *ret_len = (size_t)(o - out);
    return out;
}

static int count_outside_quotes(const char *line, size_t len, char d, char quote)
{
    int n = 0;
    bool in = false;
    for (size_t i = 0; i < len; i++) {
        if (quote && line[i] == quote)
            in = !in;
        else if (!in && line[i] == d)
            n++;
    }
    return n;
}

static char *dup_trimmed(const char *s, size_t len)
{
    const char *t = xc_trim(s, &len);
    char *r = malloc(len + 1);
    if (r) {
        memcpy(r, t, len);
        r[len] = '\0';
    }
    return r;
}

/* Splits the next row of text at *at into fields (caller frees each and
 * the array). Returns the number of fields, 0 at the end, -1 on no memory. */
static int split_row(const char *text, size_t len, size_t *at, char delim, char quote,
                     char ***ret)
{
    if (*at >= len)
        return 0;
    int n = 0, cap = 16;
    char **f = malloc((size_t)cap * sizeof *f);
    char *cell = malloc(len - *at + 1);
    if (!f || !cell) {
        free(f);
        free(cell);
        return -1;
    }
    size_t cl = 0, i = *at;
    bool in = false;
    for (;; i++) {
        bool end = i >= len;
        char ch = end ? '\n' : text[i];
        if (!end && in) {
            if (ch == quote && i + 1 < len && text[i + 1] == quote)
                cell[cl++] = text[++i];
            else if (ch == quote)
                in = false;
            else
                cell[cl++] = ch;
            continue;
        }
        if (!end && quote && ch == quote) {
            in = true;
            continue;
        }
        if (ch == delim || ch == '\n') {
            if (n == cap) {
                char **g = realloc(f, (size_t)(cap *= 2) * sizeof *f);
                if (!g)
                    break;
                f = g;
            }
            if (cl && cell[cl - 1] == '\r' && ch == '\n')
                cl--;
            f[n++] = dup_trimmed(cell, cl);
            cl = 0;
            if (ch == '\n') {
                i++;
                break;
            }
            continue;
        }
        cell[cl++] = ch;
    }
    free(cell);
    *at = i;
    *ret = f;
    return n;
}

static bool garbled(const char *s, size_t len)
{
    if (!xc_utf8_valid(s, len))
        return true;
    int latin = 0;
    for (size_t i = 0; i < len; i++) {
        if (i + 2 < len && memcmp(s + i, "\xEF\xBF\xBD", 3) == 0)
            return true;
        latin += (unsigned char)s[i] == 0xC3 && i + 1 < len;
    }
    return latin >= 2;
}

int xc_sniff_file(const char *path, int enc, char delim, char quote, xc_sniff *ret)
{
    memset(ret, 0, sizeof *ret);
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        return -1;
    char *buf = malloc(XC_SNIFF_BYTES);
    int n = buf ? gzread(gz, buf, XC_SNIFF_BYTES) : -1;
    gzclose(gz);
    if (n < 0) {
        free(buf);
        return -1;
    }
    size_t len = (size_t)n;
    if (len == XC_SNIFF_BYTES) {         /* cut at the last whole line */
        while (len && buf[len - 1] != '\n')
            len--;
    }
    size_t start = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    const char *raw = buf + start;
    size_t rawlen = len - start;
    ret->ascii = true;
    for (size_t i = 0; i < rawlen && ret->ascii; i++)
        ret->ascii = (unsigned char)raw[i] < 0x80;
    ret->utf8_ok = xc_utf8_valid(raw, rawlen);
    size_t gblen = 0;
    char *gb = from_gb18030(raw, rawlen, &gblen);
    ret->gb18030_ok = gb != NULL;
    if (enc < 0)
        enc = ret->utf8_ok || !ret->gb18030_ok ? XC_ENC_UTF8 : XC_ENC_GB18030;
    ret->encoding = (xc_encoding)enc;
    if (enc == XC_ENC_UTF8) {
        ret->encoding_fits = ret->utf8_ok;
        ret->suggest_gb18030 = !ret->utf8_ok && ret->gb18030_ok;
    } else {
        /* UTF-8 Chinese mostly decodes as GB18030 too, into mojibake */
        ret->encoding_fits = ret->ascii || (ret->gb18030_ok && !ret->utf8_ok);
    }
    const char *text = enc == XC_ENC_GB18030 && gb ? gb : raw;
    size_t tlen = enc == XC_ENC_GB18030 && gb ? gblen : rawlen;
    size_t eol = 0;
    while (eol < tlen && text[eol] != '\n')
        eol++;
    for (size_t i = 0; i < sizeof candidates; i++) {
        int c = count_outside_quotes(text, eol, candidates[i], quote);
        if (c > ret->best_count) {
            ret->best_count = c;
            ret->best_delimiter = candidates[i];
        }
    }
    if (!delim)
        delim = ret->best_delimiter ? ret->best_delimiter : ',';
    ret->delimiter = delim;
    ret->declared_count = count_outside_quotes(text, eol, delim, quote);
    ret->delimiter_fits = ret->declared_count > 0 || ret->best_count == 0;
    ret->garbled_header = garbled(text, eol);
    size_t at = 0;
    int rc = split_row(text, tlen, &at, delim, quote, &ret->columns);
    ret->n_columns = rc > 0 ? rc : 0;
    ret->rows = calloc(XC_SNIFF_ROWS, sizeof *ret->rows);
    while (ret->rows && ret->n_columns && ret->n_rows < XC_SNIFF_ROWS) {
        char **f;
        int k = split_row(text, tlen, &at, delim, quote, &f);
        if (k <= 0)
            break;
        if (k == 1 && !f[0][0]) {            /* a blank line */
            free(f[0]);
            free(f);
            continue;
        }
        char **row = calloc((size_t)ret->n_columns, sizeof *row);
        for (int c = 0; row && c < ret->n_columns; c++)
            row[c] = c < k ? f[c] : strdup("");
        for (int c = ret->n_columns; c < k; c++)
            free(f[c]);
        free(f);
        if (!row)
            break;
        ret->rows[ret->n_rows++] = row;
    }
    free(gb);
    free(buf);
    return 0;
}

void xc_sniff_free(xc_sniff *s)
{
    for (int r = 0; r < s->n_rows; r++) {
        for (int c = 0; c < s->n_columns; c++)
            free(s->rows[r][c]);
        free(s->rows[r]);
    }
    free(s->rows);
    for (int c = 0; c < s->n_columns; c++)
        free(s->columns[c]);
    free(s->columns);
    memset(s, 0, sizeof *s);
}
