/* text.c - UTF-8 validation, trimming and CSV quoting. */
#include "xcheck/text.h"

#include <errno.h>

#include "xcheck/error.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool xc_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    /* ASCII, the common case, eight bytes at a time */
    while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ULL)
            break;
        i += 8;
    }
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF)
            n = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else
            return false;
        if (i + n >= len)
            return false;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return false;
        for (size_t k = 2; k <= n; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return false;
        i += n + 1;
    }
    return true;
}

static size_t blank_at(const unsigned char *s, size_t len)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n'))
        return 1;
    if (len >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (len >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    return 0;
}

static size_t blank_before(const unsigned char *s, size_t len)
{
    if (len >= 1 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
                     s[len - 1] == '\n'))
        return 1;
    if (len >= 2 && s[len - 2] == 0xC2 && s[len - 1] == 0xA0)
        return 2;
    if (len >= 3 && s[len - 3] == 0xE3 && s[len - 2] == 0x80 && s[len - 1] == 0x80)
        return 3;
    return 0;
}

const char *xc_trim(const char *s, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = *len, k;
    while ((k = blank_at(u, n)) > 0)
        u += k, n -= k;
    while ((k = blank_before(u, n)) > 0)
        n -= k;
    *len = n;
    return (const char *)u;
}

size_t xc_csv_quote(const char *s, size_t len, char *out, size_t outsz)
{
    bool quote = memchr(s, ',', len) || memchr(s, '"', len) ||
                 memchr(s, '\n', len) || memchr(s, '\r', len);
    size_t need = len + (quote ? 2 : 0);
    if (quote)
        for (size_t i = 0; i < len; i++)
            need += s[i] == '"';
    if (need >= outsz)
        return need;
    size_t o = 0;
    if (quote)
        out[o++] = '"';
    for (size_t i = 0; i < len; i++) {
        if (quote && s[i] == '"')
            out[o++] = '"';
        out[o++] = s[i];
    }
    if (quote)
        out[o++] = '"';
    out[o] = '\0';
    return o;
}

/* Room for n more bytes and a NUL in b; false (and b failed) when none can
 * be had. */
static bool reserve(xc_buf *b, size_t n)
{
    if (b->cap - b->len > n)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= n) {
        if (cap > SIZE_MAX / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(b->p, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void xc_buf_printf(xc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    xc_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void xc_buf_vprintf(xc_buf *b, const char *fmt, va_list args)
{
    if (b->failed)
        return;
    for (;;) {
        va_list ap;
        va_copy(ap, args);
        size_t room = b->cap - b->len;
        int n = vsnprintf(b->p ? b->p + b->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = true;
            return;
        }
        if ((size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        if (!reserve(b, (size_t)n))
            return;
    }
}

void xc_buf_json(xc_buf *b, const char *s)
{
    if (!s) {
        xc_buf_printf(b, "null");
        return;
    }
    xc_buf_printf(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            xc_buf_printf(b, "\\%c", *p);
        else if (*p < 0x20)
            xc_buf_printf(b, "\\u%04x", *p);
        else
            xc_buf_printf(b, "%c", *p);
    }
    xc_buf_printf(b, "\"");
}

char *xc_buf_take(xc_buf *b)
{
    char *p = b->failed ? NULL : b->p;
    if (b->failed)
        free(b->p);
    else if (!p)
        p = calloc(1, 1);
    memset(b, 0, sizeof *b);
    return p;
}

void xc_buf_free(xc_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

struct xc_arena_block {
    struct xc_arena_block *next;
    size_t used, size;
    char data[];
};

#define ARENA_BLOCK 65536

char *xc_arena_dup(xc_arena *a, const char *s, size_t len)
{
    struct xc_arena_block *b = a->head;
    if (!b || b->size - b->used < len + 1) {
        /* A long text gets a block of its own behind the head, so that the
         * head's room still serves the short texts that follow: long texts
         * between short ones would otherwise leave most of every block
         * unused. */
        bool own = len + 1 > ARENA_BLOCK / 4;
        size_t size = own ? len + 1 : ARENA_BLOCK;
        b = malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->used = 0;
        b->size = size;
        if (own && a->head) {
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
        a->bytes += sizeof *b + size;
    }
    char *d = b->data + b->used;
    memcpy(d, s, len);
    d[len] = '\0';
    b->used += len + 1;
    return d;
}

void xc_arena_move(xc_arena *into, xc_arena *from)
{
    struct xc_arena_block **tail = &into->head;
    while (*tail)
        tail = &(*tail)->next;
    *tail = from->head;
    into->bytes += from->bytes;
    from->head = NULL;
    from->bytes = 0;
}

void xc_arena_free(xc_arena *a)
{
    while (a->head) {
        struct xc_arena_block *next = a->head->next;
        free(a->head);
        a->head = next;
    }
    a->bytes = 0;
}

void xc_buf_append(xc_buf *b, const char *s, size_t n)
{
    if (b->failed || !reserve(b, n))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}


void xc_csv_put(FILE *f, const char *s, bool last)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    if (quote)
        fputc('"', f);
    fputc(last ? '\n' : ',', f);
}

FILE *xc_open_output(const char *dir, const char *name, char *path, size_t pathsz, xc_err *err)
{
    snprintf(path, pathsz, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        xc_err_set(err, XC_EIO, "cannot write \"%s\": %s", path, strerror(errno));
        xc_err_at(err, path, 0, NULL);
    }
    return f;
}

int xc_close_output(FILE *f, const char *path, xc_err *err)
{
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    if (!bad)
        return XC_OK;
    xc_err_set(err, XC_EIO, "cannot write \"%s\"", path);
    xc_err_at(err, path, 0, NULL);
    return XC_EIO;
}
