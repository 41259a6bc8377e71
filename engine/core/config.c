/* config.c - loading and checking the run configuration (INI through inih).
 *
 * inih reports neither line numbers nor empty sections, so the text is fed
 * to it through a reader that counts lines and notes each [section] line.
 *
 * The keys of a dataset section are kept until the section ends, when its
 * kind is known: then each, in line order, is parsed here or handed to the
 * connector of that kind (source.h), so that errors come in the order of
 * the lines whatever the line `kind` is on. */
#include "xcheck/config.h"
#include "xcheck/i18n.h"
#include "xcheck/region.h"

#include "ini_text.h"
#include "xcheck/pseudonym.h"
#include "xcheck/plugin/rule.h"
#include "xcheck/plugin/source.h"
#include "xcheck/text.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The keys of the connectors, all kinds together: a key's index. */
enum { MAX_SOURCE_KEYS = 64 };

/* The keys of a dataset section that take one value (ctx->key_line). */
enum { K_KIND, K_ID_FORM, K_DELIMITER, K_QUOTE, K_HEADER, K_ENCODING, K_COVERS, K_EXPORTED,
       K_MAX_REJECTS, N_SINGLE_KEYS };
static const char *const single_keys[N_SINGLE_KEYS] = {
    "kind", "id_form", "delimiter", "quote", "header", "encoding", "covers", "exported",
    "max_rejects",
};

bool xc_config_section_key(const char *key)
{
    for (int k = 0; k < N_SINGLE_KEYS; k++)
        if (strcmp(key, single_keys[k]) == 0)
            return true;
    return strcmp(key, "null") == 0 || strncmp(key, "field.", 6) == 0 ||
           strncmp(key, "map.", 4) == 0 || strncmp(key, "format.", 7) == 0;
}

/* A key of the section being read, parsed when the section ends. */
typedef struct pending_key {
    char *name, *value;
    int line;
} pending_key;

typedef struct parse_ctx {
    xc_config *cfg;
    xc_err *err;
    const char *name;
    xc_ini_text it;       /* it.line: the line being parsed */
    int line;             /* the line an error is reported on */
    bool failed;
    bool run_seen, report_seen;
    int run_line;         /* line of [run] */
    /* Lines of the keys that take one value, 0 while not given. */
    int run_key_line[9];
    int visits_line;      /* [report] visits_by_cadre's line, 0: not given */
    int key_line[XC_DS_COUNT][N_SINGLE_KEYS];
    int source_key_line[XC_DS_COUNT][MAX_SOURCE_KEYS];
    int foreign[XC_DS_COUNT];   /* 1 + index of the first key of another kind
                                   than the section's, 0: none */
    xc_binding *section;  /* the dataset section being read, NULL: none */
    pending_key *pending; /* its keys so far */
    size_t n_pending, cap_pending;
    int format_line[XC_DS_COUNT][XC_MAX_FIELDS];
    xc_buf canon;         /* every key as parsed, passwords out: the hash */
} parse_ctx;

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

/* Records the first error only; returns 0 so inih notes a failure. */
static int fail(parse_ctx *ctx, int code, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(parse_ctx *ctx, int code, const char *key, const char *fmt, ...)
{
    if (ctx->failed)
        return 0;
    ctx->failed = true;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    xc_err_set(ctx->err, code, "%s:%d: %s", ctx->name, ctx->line, msg);
    xc_err_at(ctx->err, ctx->name, ctx->line, key);
    return 0;
}

/* fail() with a hint of what to write instead. */
static int fail_hint(parse_ctx *ctx, int code, const char *key, const char *hint,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int fail_hint(parse_ctx *ctx, int code, const char *key, const char *hint,
                     const char *fmt, ...)
{
    if (ctx->failed)
        return 0;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fail(ctx, code, key, "%s", msg);
    xc_err_hint(ctx->err, "%s", hint);
    return 0;
}

/* A key that takes one value, given in section sec: notes its line in
 * *seen, or fails when it was given before. */
static bool once(parse_ctx *ctx, int *seen, const char *sec, const char *key)
{
    if (*seen) {
        fail_hint(ctx, XC_ECONFIG, key, "keep one of the two lines: a key takes one value, "
                  "and a later line does not replace an earlier one",
                  "[%s] %s: given twice, on line %d and here", sec, key, *seen);
        return false;
    }
    *seen = ctx->line;
    return true;
}

static bool parse_bool(const char *v, bool *ret)
{
    static const char *yes[] = {"true", "yes", "on", "1"}, *no[] = {"false", "no", "off", "0"};
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0)
            return *ret = true, true;
        if (strcasecmp(v, no[i]) == 0)
            return *ret = false, true;
    }
    return false;
}

/* The character of a delimiter or quote key: one ASCII byte other than a
 * line break or NUL, or for a delimiter one of its names. Returns it, or -1
 * after failing. */
static int parse_char(parse_ctx *ctx, const char *ds, const char *key, const char *v,
                      bool delimiter)
{
    static const struct { const char *name; char c; } names[] = {
        {"tab", '\t'}, {"\\t", '\t'}, {"comma", ','}, {"semicolon", ';'},
        {"pipe", '|'}, {"space", ' '},
    };
    const char *hint = delimiter
        ? "write one ASCII character, or tab, comma, semicolon, pipe or space"
        : "write one ASCII character such as \" or ', or quote = none for fields that "
          "are never quoted";
    if (delimiter)
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strcasecmp(v, names[i].name) == 0)
                return names[i].c;
    int rc = -1;
    if (!*v)
        fail_hint(ctx, XC_ECONFIG, key, hint, "[%s] %s: empty value (a ';' after a blank "
                  "starts a comment%s)", ds, key,
                  delimiter ? ": write semicolon" : "; no quoting is written quote = none");
    else if ((unsigned char)v[0] >= 0x80)
        fail_hint(ctx, XC_ECONFIG, key, hint, "[%s] %s: '%s' is not an ASCII character: "
                  "fields are split on one byte", ds, key, v);
    else if (v[1])
        fail_hint(ctx, XC_ECONFIG, key, hint, "[%s] %s: '%s' is not one character%s", ds, key,
                  v, delimiter ? " (or tab, comma, semicolon, pipe, space)" : " or none");
    else if (v[0] == '\r' || v[0] == '\n')
        fail_hint(ctx, XC_ECONFIG, key, hint, "[%s] %s: a line break cannot be one", ds, key);
    else
        rc = (unsigned char)v[0];
    return rc;
}

static char *resolve_path(const char *dir, const char *path)
{
    if (path[0] == '/' || !dir || !*dir)
        return dup_str(path);
    size_t n = strlen(dir) + strlen(path) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, path);
    return p;
}

/* A lock_timeout: whole seconds, or a number with s, min or ms ("60s",
 * "2 min", "500ms"); 0 waits for ever. Returns the milliseconds, or -1. */
static long parse_wait_ms(const char *v)
{
    char *end;
    errno = 0;
    if (!isdigit((unsigned char)v[0]))
        return -1;
    long long n = strtoll(v, &end, 10);
    while (*end == ' ' || *end == '\t')
        end++;
    long long scale = strcmp(end, "ms") == 0 ? 1
                    : !*end || strcmp(end, "s") == 0 ? 1000
                    : strcmp(end, "min") == 0 ? 60000 : 0;
    /* PostgreSQL takes at most INT_MAX milliseconds. */
    if (errno || !scale || n > 2147483647LL / scale)
        return -1;
    return (long)(n * scale);
}

static int run_key(parse_ctx *ctx, const char *name, const char *value)
{
    xc_config *c = ctx->cfg;
    static const char *const keys[] = {"as_of", "profile", "output", "database", "results",
                                       "lock_timeout", "memory", "temp_dir", "region"};
    for (int k = 0; k < 9; k++)
        if (strcmp(name, keys[k]) == 0 && !once(ctx, &ctx->run_key_line[k], "run", name))
            return 0;
    if (strcmp(name, "lock_timeout") == 0) {
        if ((c->lock_timeout_ms = parse_wait_ms(value)) < 0)
            return fail_hint(ctx, XC_ECONFIG, name, "write seconds (60 or 60s), or a number "
                             "with ms or min; 0 waits for ever", "[run] lock_timeout: '%s' "
                             "is not a time", value);
        return 1;
    }
    if (strcmp(name, "memory") == 0) {
        if (xc_size_parse(value, &c->memory) < 0)
            return fail_hint(ctx, XC_ECONFIG, name, "write bytes with K, M, G or T (2G, "
                             "512M); 0: no limit", "[run] memory: '%s' is not a size", value);
        c->memory_set = true;
        return 1;
    }
    if (strcmp(name, "region") == 0) {
        if ((c->region_digits = xc_region_arg(value, &c->region)) < 0)
            return fail_hint(ctx, XC_ECONFIG, name, "write a province (53), city (5301) or "
                             "county (530102) code", "[run] region: '%s' is not a region code "
                             "of 2, 4 or 6 digits", value);
        return 1;
    }
    if (strcmp(name, "as_of") == 0) {
        if (xc_date_parse_iso(value, &c->as_of) < 0)
            return fail(ctx, XC_ECONFIG, name,
                        "[run] as_of: '%s' is not a date (YYYY-MM-DD)", value);
        c->as_of_set = true;
        return 1;
    }
    char **slot = strcmp(name, "profile") == 0 ? &c->profile
                : strcmp(name, "output") == 0 ? &c->output
                : strcmp(name, "database") == 0 ? &c->database
                : strcmp(name, "results") == 0 ? &c->results
                : strcmp(name, "temp_dir") == 0 ? &c->temp_dir : NULL;
    if (!slot)
        return fail(ctx, XC_ECONFIG, name, "[run]: unknown key '%s' (known: as_of, profile, "
                    "output, database, results, lock_timeout, memory, temp_dir, region)", name);
    if (!*value)
        return fail_hint(ctx, XC_ECONFIG, name, "give a value, or leave the key out for "
                         "the default", "[run] %s: empty value", name);
    *slot = strcmp(name, "output") == 0 || strcmp(name, "temp_dir") == 0
                ? resolve_path(c->dir, value) : dup_str(value);
    return *slot ? 1 : fail(ctx, XC_ENOMEM, name, "out of memory");
}

/* "field.x", "map.x.raw", "format.x": finds field x of the dataset. */
static int field_of(parse_ctx *ctx, xc_binding *b, const char *key,
                    const char *rest, size_t len)
{
    char fname[64];
    snprintf(fname, sizeof fname, "%.*s", (int)(len < 63 ? len : 63), rest);
    int f = xc_dataset_field(b->ds, fname);
    if (f < 0) {
        char known[512] = "";
        for (int i = 0; i < b->ds->n_fields; i++) {
            strcat(known, i ? ", " : "");
            strcat(known, b->ds->fields[i].name);
        }
        fail(ctx, XC_ECONFIG, key, "[%s] %s: '%s' is no field of %s (fields: %s)",
             b->ds->name, key, fname, b->ds->name, known);
    }
    return f;
}

static int add_null(parse_ctx *ctx, xc_binding *b, const char *key, const char *value)
{
    char *copy = dup_str(value);
    if (!copy)
        return fail(ctx, XC_ENOMEM, key, "out of memory");
    for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
        while (*tok == ' ')
            tok++;
        size_t n = strlen(tok);
        while (n > 0 && tok[n - 1] == ' ')
            tok[--n] = '\0';
        char **nulls = realloc(b->nulls, (b->n_nulls + 1) * sizeof *nulls);
        if (!nulls || !(nulls[b->n_nulls] = dup_str(tok))) {
            free(copy);
            if (nulls)
                b->nulls = nulls;
            return fail(ctx, XC_ENOMEM, key, "out of memory");
        }
        b->nulls = nulls;
        b->n_nulls++;
    }
    free(copy);
    return 1;
}

static int map_key(parse_ctx *ctx, xc_binding *b, const char *key, const char *value)
{
    const char *rest = key + 4;
    const char *dot = strchr(rest, '.');
    if (!dot || !dot[1])
        return fail(ctx, XC_ECONFIG, key,
                    "[%s] %s: a value map is written map.<field>.<exported value> = <value>",
                    b->ds->name, key);
    int f = field_of(ctx, b, key, rest, (size_t)(dot - rest));
    if (f < 0)
        return 0;
    const xc_field_def *fd = &b->ds->fields[f];
    if (!fd->values)
        return fail(ctx, XC_ECONFIG, key, "[%s] %s: field %s is not a coded field",
                    b->ds->name, key, fd->name);
    int v = xc_field_value(fd, value, strlen(value));
    if (v < 0) {
        char known[256] = "";
        for (int i = 0; fd->values[i]; i++) {
            strcat(known, i ? ", " : "");
            strcat(known, fd->values[i]);
        }
        return fail(ctx, XC_ECONFIG, key, "[%s] %s: '%s' is no value of %s (values: %s)",
                    b->ds->name, key, value, fd->name, known);
    }
    xc_field_binding *fb = &b->field[f];
    for (size_t i = 0; i < fb->n_map; i++)
        if (strcmp(fb->map[i].raw, dot + 1) == 0)
            return fail_hint(ctx, XC_ECONFIG, key, "keep one of the two lines: an exported "
                             "value means one logical value",
                             "[%s] %s: given twice, on line %d and here", b->ds->name, key,
                             fb->map[i].line);
    xc_valmap *m = realloc(fb->map, (fb->n_map + 1) * sizeof *m);
    if (!m)
        return fail(ctx, XC_ENOMEM, key, "out of memory");
    fb->map = m;
    if (!(m[fb->n_map].raw = dup_str(dot + 1)))
        return fail(ctx, XC_ENOMEM, key, "out of memory");
    m[fb->n_map].line = ctx->line;
    m[fb->n_map++].value = v;
    return 1;
}

/* "YYYY-MM" at *p, inside the years any month may have. */
static bool parse_month(const char **p, xc_month *ret)
{
    const char *s = *p;
    for (int i = 0; i < 7; i++)
        if (i == 4 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return false;
    int y = atoi(s), m = atoi(s + 5);
    if (m < 1 || m > 12 || y < XC_DATE_MIN_YEAR || y > XC_DATE_MAX_YEAR)
        return false;
    *ret = y * 12 + m - 1;
    *p = s + 7;
    return true;
}

/* covers = 2021-01..2025-06, 2025-08..2026-05: months, or spans of them,
 * in order and apart. */
static int covers_key(parse_ctx *ctx, xc_binding *b, const char *key, const char *value)
{
    const char *ds = b->ds->name, *hint = "write covers = YYYY-MM..YYYY-MM, spans joined by "
                                          "\",\" in order (a single month YYYY-MM too)";
    bool has_month = false;
    for (int f = 0; f < b->ds->n_fields; f++)
        has_month |= b->ds->fields[f].type == XC_F_MONTH;
    if (!has_month)
        return fail_hint(ctx, XC_ECONFIG, key, "give the day the export was taken with "
                         "exported = YYYY-MM-DD instead",
                         "[%s] covers: %s has no month field, so covers no months", ds, ds);
    const char *p = value;
    for (;;) {
        while (*p == ' ')
            p++;
        xc_month_range r;
        if (!parse_month(&p, &r.from))
            return fail_hint(ctx, XC_ECONFIG, key, hint, "[%s] covers: '%s' is not a month "
                             "YYYY-MM (years %d to %d) at '%.12s'", ds, value,
                             XC_DATE_MIN_YEAR, XC_DATE_MAX_YEAR, p);
        r.to = r.from;
        if (p[0] == '.' && p[1] == '.') {
            p += 2;
            if (!parse_month(&p, &r.to))
                return fail_hint(ctx, XC_ECONFIG, key, hint, "[%s] covers: '%s' is not a month "
                                 "YYYY-MM (years %d to %d) at '%.12s'", ds, value,
                                 XC_DATE_MIN_YEAR, XC_DATE_MAX_YEAR, p);
        }
        if (r.to < r.from)
            return fail_hint(ctx, XC_ECONFIG, key, hint, "[%s] covers: a span ends before it "
                             "starts in '%s'", ds, value);
        if (b->n_covers && r.from <= b->covers[b->n_covers - 1].to + 1)
            return fail_hint(ctx, XC_ECONFIG, key, hint, "[%s] covers: spans out of order, "
                             "overlapping or touching in '%s' (write touching spans as one)",
                             ds, value);
        xc_month_range *c = realloc(b->covers, (b->n_covers + 1) * sizeof *c);
        if (!c)
            return fail(ctx, XC_ENOMEM, key, "out of memory");
        b->covers = c;
        c[b->n_covers++] = r;
        while (*p == ' ')
            p++;
        if (!*p)
            return 1;
        if (*p++ != ',')
            return fail_hint(ctx, XC_ECONFIG, key, hint, "[%s] covers: unexpected '%.12s' in "
                             "'%s'", ds, p - 1, value);
    }
}

/* max_rejects = 25 (rows) or 0.5% (of the rows read): plain decimal
 * digits, at most 6 after the point for a share (no sign, exponent or hex). */
static int max_rejects_key(parse_ctx *ctx, xc_binding *b, const char *key, const char *value)
{
    const char *hint = "write a count of rows (max_rejects = 25) or a share of the rows read "
                       "(max_rejects = 0.5%)";
    xc_reject_limit *l = &b->max_rejects;
    size_t n = strlen(value);
    bool share = n > 0 && value[n - 1] == '%';
    size_t digits = share ? n - 1 : n;
    uint64_t whole = 0, frac = 0;
    int nfrac = -1;                  /* digits after the point, -1: no point */
    bool ok = digits > 0 && isdigit((unsigned char)value[0]);
    for (size_t i = 0; ok && i < digits; i++) {
        char c = value[i];
        if (c == '.' && share && nfrac < 0) {
            nfrac = 0;
        } else if (!isdigit((unsigned char)c)) {
            ok = false;
        } else if (nfrac < 0) {
            ok = whole <= (UINT64_MAX - 9) / 10;
            whole = whole * 10 + (uint64_t)(c - '0');
        } else if (nfrac < 6) {
            frac = frac * 10 + (uint64_t)(c - '0');
            nfrac++;
        } else {
            ok = c == '0';           /* beyond a millionth of a percent: zeros only */
        }
    }
    if (ok && nfrac == 0)
        ok = false;                  /* "5.%" */
    if (ok && share) {
        for (int i = nfrac < 0 ? 0 : nfrac; i < 6; i++)
            frac *= 10;
        ok = whole < 100 || (whole == 100 && frac == 0);
    }
    if (!ok)
        return fail_hint(ctx, XC_ECONFIG, key, hint, share ? "[%s] max_rejects: '%s' is not a "
                         "share from 0%% to 100%% (decimal digits, at most 6 after the point)"
                         : "[%s] max_rejects: '%s' is not a count of rows or a share",
                         b->ds->name, value);
    if (share)
        *l = (xc_reject_limit){.share = true, .ppm = whole * 1000000 + frac,
                               .percent = (double)whole + (double)frac / 1e6, .line = ctx->line};
    else
        *l = (xc_reject_limit){.count = whole, .line = ctx->line};
    return 1;
}

/* ---- the connectors' keys ---------------------------------------------- */

/* Whether connector ops owns key. */
static bool owns(const xc_source_ops *ops, const char *key)
{
    for (const char *const *k = ops && ops->keys ? ops->keys : NULL; k && *k; k++)
        if (strcmp(*k, key) == 0)
            return true;
    return false;
}

/* The index of key among every connector's keys (in registry order, the
 * first when two kinds share a name), or -1. */
static int source_key_index(const char *key)
{
    int i = 0;
    for (int c = 0; xc_source_at(c); c++)
        for (const char *const *k = xc_source_at(c)->keys; k && *k; k++, i++)
            if (strcmp(*k, key) == 0)
                return i;
    return -1;
}

/* The name of the connectors' key of index i. */
static const char *source_key_name(int i)
{
    int n = 0;
    for (int c = 0; xc_source_at(c); c++)
        for (const char *const *k = xc_source_at(c)->keys; k && *k; k++, n++)
            if (n == i)
                return *k;
    return "?";
}

/* Every connector's keys, ", "-joined, in registry order: "path, table, ...". */
static void source_keys_text(char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (int c = 0; xc_source_at(c); c++)
        for (const char *const *k = xc_source_at(c)->keys; k && *k; k++)
            if (n + strlen(*k) + 3 < size)
                n += (size_t)snprintf(out + n, size - n, "%s%s", n ? ", " : "", *k);
}

/* Every connector's key prefixes, each after ", ": ", source.<...>". */
static void source_prefixes_text(char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (int c = 0; xc_source_at(c); c++)
        for (const char *const *k = xc_source_at(c)->key_prefixes; k && *k; k++)
            if (n + strlen(*k) + 8 < size)
                n += (size_t)snprintf(out + n, size - n, ", %s<...>", *k);
}

/* The connector owning key through one of its key prefixes, or NULL. */
static const xc_source_ops *prefix_owner(const char *key)
{
    for (int c = 0; xc_source_at(c); c++)
        if (xc_source_key_prefixed(xc_source_at(c), key))
            return xc_source_at(c);
    return NULL;
}

/* The kinds: "file, postgres" (list) or "kind = file or kind = postgres". */
static void kinds_text(char *out, size_t size, bool hint)
{
    size_t n = 0;
    out[0] = '\0';
    for (int c = 0; xc_source_at(c); c++) {
        const char *sep = !c ? "" : !hint ? ", " : xc_source_at(c + 1) ? ", " : " or ";
        int w = snprintf(out + n, size - n, "%s%s%s", sep, hint ? "kind = " : "",
                         xc_source_at(c)->kind);
        if (w < 0 || (size_t)w >= size - n)
            return;
        n += (size_t)w;
    }
}

/* Relays a connector's error about key, adding the file and line. */
static int source_fail(parse_ctx *ctx, int code, const char *key, const xc_err *sub)
{
    if (sub->hint[0])
        return fail_hint(ctx, code, key, sub->hint, "%s", sub->msg);
    return fail(ctx, code, key, "%s", sub->msg);
}

/* A key some connector owns: parsed by the section's connector when it is
 * one of its own, else noted as another kind's (check_bindings reports the
 * first one). Returns 1, or 0 after failing. */
static int source_key(parse_ctx *ctx, xc_binding *b, const char *key, const char *value, int i)
{
    int d = b->ds->id;
    if (i < MAX_SOURCE_KEYS && !once(ctx, &ctx->source_key_line[d][i], b->ds->name, key))
        return 0;
    if (!b->source)          /* an unknown kind: its own line says so */
        return 1;
    if (!owns(b->source, key)) {
        /* the first such key in the file is the one reported */
        if (!ctx->foreign[d] ||
            (i < MAX_SOURCE_KEYS && ctx->foreign[d] - 1 < MAX_SOURCE_KEYS &&
             ctx->source_key_line[d][i] < ctx->source_key_line[d][ctx->foreign[d] - 1]))
            ctx->foreign[d] = i + 1;
        return 1;
    }
    xc_err sub;
    xc_err_clear(&sub);
    int rc = b->source->conf_key(b, key, value, ctx->cfg->dir, &sub);
    return rc < 0 ? source_fail(ctx, rc, key, &sub) : 1;
}

/* A key a connector owns through a prefix ("source.<name>.table"): each
 * such name takes one value, like the connectors' own keys, and belongs to
 * one kind. Returns 1, or 0 after failing. */
static int prefixed_key(parse_ctx *ctx, xc_binding *b, const char *key, const char *value,
                        const xc_source_ops *owner)
{
    for (size_t i = 0; i < ctx->n_pending; i++)
        if (ctx->pending[i].line < ctx->line && strcmp(ctx->pending[i].name, key) == 0)
            return fail_hint(ctx, XC_ECONFIG, key, "keep one of the two lines: a key takes "
                             "one value, and a later line does not replace an earlier one",
                             "[%s] %s: given twice, on line %d and here", b->ds->name, key,
                             ctx->pending[i].line);
    if (!b->source)          /* an unknown kind: its own line says so */
        return 1;
    if (b->source != owner)
        return fail(ctx, XC_ECONFIG, key, "[%s]: '%s' is for kind = %s", b->ds->name, key,
                    owner->kind);
    xc_err sub;
    xc_err_clear(&sub);
    int rc = b->source->conf_key(b, key, value, ctx->cfg->dir, &sub);
    return rc < 0 ? source_fail(ctx, rc, key, &sub) : 1;
}

static int dataset_key(parse_ctx *ctx, xc_binding *b, const char *key, const char *value)
{
    const char *ds = b->ds->name;
    for (int k = 0; k < N_SINGLE_KEYS; k++)
        if (strcmp(key, single_keys[k]) == 0 && !once(ctx, &ctx->key_line[b->ds->id][k], ds, key))
            return 0;
    if (strcmp(key, "kind") == 0) {
        if (!xc_source_find(value)) {
            char kinds[200], choices[300], hint[320];
            kinds_text(kinds, sizeof kinds, false);
            kinds_text(choices, sizeof choices, true);
            snprintf(hint, sizeof hint, "write %s", choices);
            return fail_hint(ctx, XC_ECONFIG, key, hint, "[%s] kind: '%s' is not a source kind "
                             "(%s)", ds, value, kinds);
        }
        return 1;
    }
    int si = source_key_index(key);
    if (si >= 0)
        return source_key(ctx, b, key, value, si);
    const xc_source_ops *prefixed = prefix_owner(key);
    if (prefixed)
        return prefixed_key(ctx, b, key, value, prefixed);
    if (strcmp(key, "id_form") == 0) {
        if (strcmp(value, "pseudonym") == 0)
            b->id_pseudonym = true;
        else if (strcmp(value, "number") == 0)
            b->id_pseudonym = false;
        else
            return fail(ctx, XC_ECONFIG, key, "[%s] id_form: '%s' is not number or pseudonym",
                        ds, value);
        return 1;
    }
    if (strcmp(key, "delimiter") == 0) {
        int d = parse_char(ctx, ds, key, value, true);
        if (d < 0)
            return 0;
        b->delimiter = (char)d;
        return 1;
    }
    if (strcmp(key, "quote") == 0) {
        int q = strcasecmp(value, "none") == 0 ? 0 : parse_char(ctx, ds, key, value, false);
        if (q < 0)
            return 0;
        b->quote = (char)q;
        return 1;
    }
    if (strcmp(key, "header") == 0) {
        if (!parse_bool(value, &b->header))
            return fail_hint(ctx, XC_ECONFIG, key, "write header = true when the first line "
                             "names the columns, header = false when it holds data (also "
                             "yes/no, on/off, 1/0)",
                             "[%s] header: '%s' is not true or false", ds, value);
        return 1;
    }
    if (strcmp(key, "encoding") == 0) {
        if (strcasecmp(value, "utf-8") == 0 || strcasecmp(value, "utf8") == 0)
            b->encoding = XC_ENC_UTF8;
        else if (strcasecmp(value, "gb18030") == 0 || strcasecmp(value, "gbk") == 0 ||
                 strcasecmp(value, "gb2312") == 0 || strcasecmp(value, "cp936") == 0)
            b->encoding = XC_ENC_GB18030;
        else
            return fail_hint(ctx, XC_ECONFIG, key, "write encoding = utf-8 (or utf8), or "
                             "encoding = gb18030 (also gbk, gb2312, cp936) for files from "
                             "Chinese Windows systems",
                             "[%s] encoding: '%s' is not supported (utf-8, gb18030, gbk)",
                             ds, value);
        return 1;
    }
    if (strcmp(key, "null") == 0)
        return add_null(ctx, b, key, value);
    if (strcmp(key, "covers") == 0)
        return covers_key(ctx, b, key, value);
    if (strcmp(key, "max_rejects") == 0)
        return max_rejects_key(ctx, b, key, value);
    if (strcmp(key, "exported") == 0) {
        if (b->ds->side == XC_SIDE_ARCHIVE)
            return fail_hint(ctx, XC_ECONFIG, key, "leave it out: the archive is judged as "
                             "it is", "[%s] exported: the archive has no export date",
                             ds);
        int y, m, d;
        if (xc_date_parse_iso(value, &b->exported) < 0 ||
            (xc_date_to_ymd(b->exported, &y, &m, &d), y < XC_DATE_MIN_YEAR) ||
            y > XC_DATE_MAX_YEAR)
            return fail_hint(ctx, XC_ECONFIG, key, "write exported = YYYY-MM-DD, the day the "
                             "export was taken", "[%s] exported: '%s' is not a day "
                             "YYYY-MM-DD (years %d to %d)", ds, value, XC_DATE_MIN_YEAR,
                             XC_DATE_MAX_YEAR);
        return 1;
    }
    if (strncmp(key, "field.", 6) == 0) {
        int f = field_of(ctx, b, key, key + 6, strlen(key + 6));
        if (f < 0)
            return 0;
        xc_field_binding *fb = &b->field[f];
        if (fb->column)
            return fail_hint(ctx, XC_ECONFIG, key, "keep one of the two lines: a field is "
                             "read from one column",
                             "[%s] %s: given twice, on line %d and here", ds, key, fb->line);
        if (!*value)
            return fail(ctx, XC_ECONFIG, key, "[%s] %s: empty column name", ds, key);
        if (!(fb->column = dup_str(value)))
            return fail(ctx, XC_ENOMEM, key, "out of memory");
        fb->line = ctx->line;
        return 1;
    }
    if (strncmp(key, "map.", 4) == 0)
        return map_key(ctx, b, key, value);
    if (strncmp(key, "format.", 7) == 0) {
        int f = field_of(ctx, b, key, key + 7, strlen(key + 7));
        if (f < 0)
            return 0;
        if (!once(ctx, &ctx->format_line[b->ds->id][f], ds, key))
            return 0;
        xc_ftype t = b->ds->fields[f].type;
        if (t != XC_F_DATE && t != XC_F_MONTH)
            return fail(ctx, XC_ECONFIG, key, "[%s] %s: field %s is not a date or month",
                        ds, key, b->ds->fields[f].name);
        const char *why;
        xc_field_binding *fb = &b->field[f];
        if (xc_datefmt_compile(value, &fb->format, &why) < 0)
            return fail(ctx, XC_ECONFIG, key, "[%s] %s: bad date format '%s': %s",
                        ds, key, value, _(why));
        if (t == XC_F_DATE && !xc_datefmt_has_day(&fb->format))
            return fail(ctx, XC_ECONFIG, key, "[%s] %s: '%s' has no day (DD) for a date field",
                        ds, key, value);
        fb->has_format = true;
        return 1;
    }
    char source_keys[400], prefixes[200];
    source_keys_text(source_keys, sizeof source_keys);
    source_prefixes_text(prefixes, sizeof prefixes);
    return fail(ctx, XC_ECONFIG, key,
                "[%s]: unknown key '%s' (known: kind, %s%sdelimiter, quote, header, encoding, "
                "null, id_form, covers, exported, max_rejects, field.<f>, map.<f>.<value>, "
                "format.<f>%s)", ds, key, source_keys, source_keys[0] ? ", " : "", prefixes);
}

/* The value of a conninfo line without its password: "password=..." (or
 * "password = '...'") of a key/value string, and the ":secret" of a URI's
 * "user:secret@". */
static void strip_password(xc_buf *out, const char *v, size_t len)
{
    const char *scheme = NULL;
    for (size_t i = 0; i + 3 <= len; i++)
        if (memcmp(v + i, "://", 3) == 0) {
            scheme = v + i + 3;
            break;
        }
    if (scheme) {
        size_t rest = len - (size_t)(scheme - v);
        const char *at = memchr(scheme, '@', rest);
        const char *colon = at ? memchr(scheme, ':', (size_t)(at - scheme)) : NULL;
        if (colon) {             /* then any password= of its query too */
            xc_buf_append(out, v, (size_t)(colon - v));
            size_t skip = (size_t)(at - v);
            v += skip;
            len -= skip;
        }
    }
    for (size_t i = 0; i < len;) {
        bool word_start = i == 0 || v[i - 1] == ' ' || v[i - 1] == '\t' || v[i - 1] == '&' ||
                          v[i - 1] == '?';
        if (word_start && len - i >= 8 && strncasecmp(v + i, "password", 8) == 0) {
            size_t j = i + 8;
            while (j < len && (v[j] == ' ' || v[j] == '\t'))
                j++;
            if (j < len && v[j] == '=') {
                for (j++; j < len && (v[j] == ' ' || v[j] == '\t'); j++)
                    ;
                if (j < len && v[j] == '\'') {
                    for (j++; j < len && v[j] != '\''; j++)
                        if (v[j] == '\\')
                            j++;
                    j++;
                } else {
                    while (j < len && v[j] != ' ' && v[j] != '\t' && v[j] != '&')
                        j++;
                }
                i = j < len ? j : len;
                continue;
            }
        }
        xc_buf_append(out, v + i, 1);
        i++;
    }
}

/* The configuration's hash covers every key as the parser saw it (so no
 * way of writing a line, "=" or ":", hides it), with the passwords of
 * database and results values taken out: the hash names the configuration
 * in the run record and the reports, and must not let a password be
 * tried. */
static void add_to_hash(parse_ctx *ctx, const char *section, const char *name,
                        const char *value)
{
    xc_buf_printf(&ctx->canon, "[%s]\n%s=", section, name);
    size_t nl = strlen(name);
    if (strcmp(name, "results") == 0 || (nl >= 8 && strcmp(name + nl - 8, "database") == 0))
        strip_password(&ctx->canon, value, strlen(value));
    else
        xc_buf_append(&ctx->canon, value, strlen(value));
    xc_buf_append(&ctx->canon, "\n", 1);
}

/* Keeps a key of the dataset section being read until it ends. */
static int keep_key(parse_ctx *ctx, const char *name, const char *value)
{
    if (ctx->n_pending == ctx->cap_pending) {
        size_t cap = ctx->cap_pending ? ctx->cap_pending * 2 : 32;
        pending_key *p = realloc(ctx->pending, cap * sizeof *p);
        if (!p)
            return fail(ctx, XC_ENOMEM, name, "out of memory");
        ctx->pending = p;
        ctx->cap_pending = cap;
    }
    pending_key *k = &ctx->pending[ctx->n_pending];
    k->name = dup_str(name);
    k->value = dup_str(value);
    k->line = ctx->line;
    if (!k->name || !k->value) {
        free(k->name);
        free(k->value);
        return fail(ctx, XC_ENOMEM, name, "out of memory");
    }
    ctx->n_pending++;
    return 1;
}

/* Drops the kept keys. */
static void drop_keys(parse_ctx *ctx)
{
    for (size_t i = 0; i < ctx->n_pending; i++) {
        free(ctx->pending[i].name);
        free(ctx->pending[i].value);
    }
    ctx->n_pending = 0;
    ctx->section = NULL;
}

/* The end of a dataset section: its connector is the one its first kind
 * key names (XC_SOURCE_DEFAULT_KIND without one, NULL for an unknown
 * kind), and its keys are parsed in line order. */
static void end_section(parse_ctx *ctx)
{
    xc_binding *b = ctx->section;
    if (!b) {
        drop_keys(ctx);
        return;
    }
    int line = ctx->line;
    b->source = xc_source_find(XC_SOURCE_DEFAULT_KIND);
    for (size_t i = 0; i < ctx->n_pending; i++)
        if (strcmp(ctx->pending[i].name, "kind") == 0) {
            b->source = xc_source_find(ctx->pending[i].value);
            break;
        }
    for (size_t i = 0; i < ctx->n_pending && !ctx->failed; i++) {
        ctx->line = ctx->pending[i].line;
        dataset_key(ctx, b, ctx->pending[i].name, ctx->pending[i].value);
    }
    ctx->line = line;
    drop_keys(ctx);
}

/* [report]: who issues the report and what it covers, for its title; how
 * the visit list is split per cadre. */
static int report_key(parse_ctx *ctx, const char *name, const char *value)
{
    xc_config *c = ctx->cfg;
    if (strcmp(name, "visits_by_cadre") == 0) {
        static const char *const modes[] = {"none", "sheet", "file"};
        if (ctx->visits_line)
            return fail_hint(ctx, XC_ECONFIG, name, "keep one of the two lines",
                             "[report] visits_by_cadre given twice (first on line %d)",
                             ctx->visits_line);
        ctx->visits_line = ctx->line;
        int m = 0;
        while (m < 3 && strcmp(value, modes[m]) != 0)
            m++;
        if (m == 3)
            return fail_hint(ctx, XC_ECONFIG, name, "write sheet (one sheet per cadre in "
                             "report.xlsx), file (one file per cadre, visits/<cadre>.xlsx) or "
                             "none", "[report] visits_by_cadre: '%s' is not sheet, file or none",
                             value);
        c->visits_by_cadre = m;      /* the order of xc_visits_by_cadre */
        return 1;
    }
    char **slot = strcmp(name, "organisation") == 0 ? &c->organisation
                : strcmp(name, "scope") == 0 ? &c->scope : NULL;
    if (!slot)
        return fail(ctx, XC_ECONFIG, name, "[report]: unknown key '%s' (known: organisation, "
                    "scope, visits_by_cadre)", name);
    if (*slot)
        return fail(ctx, XC_ECONFIG, name, "[report] %s given twice", name);
    if (!*value)
        return fail_hint(ctx, XC_ECONFIG, name, "give a value, or leave the key out",
                         "[report] %s: empty value", name);
    if (strlen(value) > 200)
        return fail(ctx, XC_ECONFIG, name, "[report] %s: longer than 200 bytes", name);
    if (!xc_utf8_valid(value, strlen(value)))
        return fail_hint(ctx, XC_ECONFIG, name, "save the configuration as UTF-8",
                         "[report] %s: not UTF-8 text", name);
    *slot = dup_str(value);
    return *slot ? 1 : fail(ctx, XC_ENOMEM, name, "out of memory");
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    parse_ctx *ctx = user;
    if (ctx->failed)
        return 0;
    ctx->line = ctx->it.line;
    add_to_hash(ctx, section, name, value);
    if (strcmp(section, "run") == 0)
        return run_key(ctx, name, value);
    if (strcmp(section, "report") == 0)
        return report_key(ctx, name, value);
    const xc_dataset_def *ds = xc_dataset_by_name(section);
    if (!ds) {
        if (!*section)
            return fail(ctx, XC_ECONFIG, name, "key '%s' outside any [section]", name);
        return fail(ctx, XC_ECONFIG, name, "unknown section [%s]", section);
    }
    return keep_key(ctx, name, value);
}

/* Sees each line before inih does: notes [section] lines, which inih does
 * not report, so that empty and repeated sections are known. */
static void on_line(void *user, const char *str)
{
    parse_ctx *ctx = user;
    ctx->line = ctx->it.line;
    const char *p = str;
    while (*p == ' ' || *p == '\t')
        p++;
    /* Without ']' it is no section: inih reports the line. */
    if (*p != '[' || ctx->failed || p[1 + strcspn(p + 1, "]\n")] != ']')
        return;
    char sec[64];
    size_t len = strcspn(p + 1, "]");
    snprintf(sec, sizeof sec, "%.*s", (int)(len < 63 ? len : 63), p + 1);
    end_section(ctx);
    if (ctx->failed)
        return;
    const xc_dataset_def *ds = xc_dataset_by_name(sec);
    if (ds) {
        xc_binding *b = &ctx->cfg->ds[ds->id];
        if (b->configured)
            fail(ctx, XC_ECONFIG, sec, "section [%s] appears twice (first on line %d)",
                 sec, b->line);
        b->configured = true;
        b->line = ctx->line;
        ctx->section = b;
    } else if (strcmp(sec, "run") == 0) {
        if (ctx->run_seen)
            fail(ctx, XC_ECONFIG, sec, "section [run] appears twice");
        ctx->run_seen = true;
    } else if (strcmp(sec, "report") == 0) {
        if (ctx->report_seen)
            fail(ctx, XC_ECONFIG, sec, "section [report] appears twice");
        ctx->report_seen = true;
    } else {
        char known[400] = "";
        for (int d = 0; d < XC_DS_COUNT; d++) {
            size_t at = strlen(known);
            snprintf(known + at, sizeof known - at, "%s%s", d ? ", " : "",
                     xc_dataset((xc_ds_id)d)->name);
        }
        fail(ctx, XC_ECONFIG, sec, "unknown section [%s] (known: run, report and the datasets "
             "%s)", sec, known);
    }
}

/* Whether field f of ds must be mapped: a field the engine reads (the
 * archive's, a link), or one of a dataset that a rule this configuration
 * will evaluate needs; never an optional field or one nothing reads
 * (schema.def: XC_FF_UNREAD). When it must, says who reads it in why. */
static bool field_needed(const xc_config *cfg, const xc_dataset_def *ds, int f, char *why,
                         size_t whysz)
{
    const xc_field_def *fd = &ds->fields[f];
    if (fd->optional || fd->unread)
        return false;
    if (xc_dataset_engine_reads(ds) || f == ds->link_field) {
        snprintf(why, whysz, "%s", ds->side == XC_SIDE_ARCHIVE
                 ? "the archive's fields are read by the engine and the rules"
                 : xc_dataset_engine_reads(ds) ? "the engine reads it to apply the verifications"
                 : "it links the rows to the archive");
        return true;
    }
    bool configured[XC_DS_COUNT];
    for (int d = 0; d < XC_DS_COUNT; d++)
        configured[d] = cfg->ds[d].configured;
    size_t n, used = 0;
    int readers = 0;
    const xc_rule *const *rules = xc_rules(&n);
    why[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!(rules[i]->needs & XC_NEEDS(ds->id)) || !xc_rule_evaluable(rules[i], configured))
            continue;
        if (used + strlen(rules[i]->id) + 16 < whysz)
            used += (size_t)snprintf(why + used, whysz - used, "%s%s",
                                     readers ? ", " : "the rules ", rules[i]->id);
        readers++;
    }
    if (readers)
        snprintf(why + used, whysz - used, " read it");
    return readers > 0;
}

/* After parsing: what only the whole file can tell. */
static int check_bindings(parse_ctx *ctx)
{
    for (int d = 0; d < XC_DS_COUNT; d++) {
        xc_binding *b = &ctx->cfg->ds[d];
        const char *ds = b->ds->name;
        ctx->line = b->line;
        if (!b->configured) {
            if (b->ds->required)
                return fail(ctx, XC_ECONFIG, ds, "dataset [%s] is required but not configured", ds);
            continue;
        }
        if (b->quote && b->quote == b->delimiter) {
            /* On the line of the later of the two keys, or the one given. */
            int dl = ctx->key_line[d][K_DELIMITER], ql = ctx->key_line[d][K_QUOTE];
            bool on_quote = ql > dl;
            ctx->line = on_quote ? ql : dl;
            return fail_hint(ctx, XC_ECONFIG, on_quote ? "quote" : "delimiter",
                             "choose another quote character, or quote = none",
                             "[%s] %s: '%c' is both the delimiter and the quote character",
                             ds, on_quote ? "quote" : "delimiter", b->quote);
        }
        if (b->source->conf_check) {
            xc_err sub;
            xc_err_clear(&sub);
            int rc = b->source->conf_check(b, &sub);
            if (rc < 0)
                return source_fail(ctx, rc, sub.field[0] ? sub.field : NULL, &sub);
        }
        if (ctx->foreign[d]) {
            int i = ctx->foreign[d] - 1;
            const char *key = source_key_name(i);
            if (i < MAX_SOURCE_KEYS)
                ctx->line = ctx->source_key_line[d][i];
            return fail(ctx, XC_ECONFIG, key, "[%s]: '%s' is for kind = %s", ds, key,
                        xc_source_key_owner(key)->kind);
        }
        /* Pseudonyms can stand only for people the run already knows: the
         * archive's (and the candidates'). The archive itself, and the
         * datasets whose findings are about people outside it, need the
         * numbers. */
        if (b->id_pseudonym && (b->ds->link != XC_LINK_ID || b->ds->id == XC_DS_HOUSEHOLD ||
                                b->ds->id == XC_DS_MEMBER || b->ds->id == XC_DS_CANDIDATE ||
                                b->ds->id == XC_DS_PAYMENT))
            return fail(ctx, XC_ECONFIG, "id_form", "[%s] id_form = pseudonym: this dataset "
                        "must hold ID numbers (pseudonyms are for the reference datasets "
                        "matched against the archive)", ds);
        for (int f = 0; f < b->ds->n_fields; f++) {
            const xc_field_def *fd = &b->ds->fields[f];
            xc_field_binding *fb = &b->field[f];
            if (!fb->column) {
                char readers[200];
                if (field_needed(ctx->cfg, b->ds, f, readers, sizeof readers))
                    return fail(ctx, XC_ECONFIG, fd->name,
                                "[%s]: required field '%s' is not mapped to a column: %s "
                                "(add 'field.%s = <column>')", ds, fd->name, readers,
                                fd->name);
                continue;
            }
            if (!b->header) {
                char *end;
                errno = 0;
                long no = strtol(fb->column, &end, 10);
                ctx->line = fb->line;
                char key[80];
                snprintf(key, sizeof key, "field.%s", fd->name);
                if (*end || no < 1 || no > 10000 || errno)
                    return fail(ctx, XC_ECONFIG, key,
                                "[%s] field.%s: with header = false a column is a number "
                                "from 1, not '%s'", ds, fd->name, fb->column);
                fb->column_no = (int)no;
            }
        }
    }
    return 1;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return dup_str(".");
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

int xc_config_parse(const char *text, const char *name, const char *basedir,
                    xc_config **ret, xc_err *err)
{
    xc_config *c = calloc(1, sizeof *c);
    if (!c || !(c->path = dup_str(name)) || !(c->dir = dup_str(basedir ? basedir : "."))) {
        xc_config_free(c);
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    }
    c->lock_timeout_ms = XC_LOCK_TIMEOUT_DEFAULT_MS;
    for (int d = 0; d < XC_DS_COUNT; d++) {
        xc_binding *b = &c->ds[d];
        b->ds = xc_dataset((xc_ds_id)d);
        b->delimiter = ',';
        b->quote = '"';
        b->header = true;
        b->exported = XC_NO_DATE;
        /* The archive is the denominator of every rate: no rejected row by
         * default. */
        if (b->ds->side == XC_SIDE_ARCHIVE)
            b->max_rejects = (xc_reject_limit){.count = 0};
        else
            b->max_rejects = (xc_reject_limit){.share = true, .ppm = 100000, .percent = 0.1};
        /* Dates and months default to ISO 8601; format.<f> replaces it. */
        for (int f = 0; f < b->ds->n_fields; f++) {
            const char *why;
            if (b->ds->fields[f].type == XC_F_DATE)
                xc_datefmt_compile("YYYY-MM-DD", &b->field[f].format, &why);
            else if (b->ds->fields[f].type == XC_F_MONTH)
                xc_datefmt_compile("YYYY-MM", &b->field[f].format, &why);
        }
    }
    parse_ctx ctx = {.cfg = c, .err = err, .name = c->path};
    ctx.it.on_line = on_line;
    ctx.it.user = &ctx;
    int rc = xc_ini_parse(&ctx.it, text, on_key, &ctx);
    if (!ctx.failed)
        end_section(&ctx);
    drop_keys(&ctx);
    free(ctx.pending);
    if (!ctx.failed && ctx.it.long_line) {
        ctx.line = ctx.it.long_line;
        fail_hint(&ctx, XC_ECONFIG, ctx.it.long_key[0] ? ctx.it.long_key : NULL,
                  "split the value (null may be repeated) or shorten it; a line is never "
                  "split", "line longer than %d bytes", XC_INI_MAX_LINE);
    }
    if (!ctx.failed && rc > 0) {
        ctx.line = rc;
        fail(&ctx, XC_ECONFIG, NULL, "cannot parse this line (expected [section] or key = value)");
    }
    if (!ctx.failed)
        check_bindings(&ctx);
    if (!ctx.failed && ctx.canon.failed)
        fail(&ctx, XC_ENOMEM, NULL, "out of memory");
    if (!ctx.failed)
        xc_sha256_hex(ctx.canon.p ? ctx.canon.p : "", ctx.canon.len, c->hash);
    xc_buf_free(&ctx.canon);
    if (ctx.failed) {
        int code = err ? err->code : XC_ECONFIG;
        xc_config_free(c);
        return code;
    }
    *ret = c;
    return XC_OK;
}

int xc_config_load(const char *path, xc_config **ret, xc_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        xc_err_set(err, XC_EIO, "cannot open configuration file \"%s\": %s", path, strerror(errno));
        xc_err_at(err, path, 0, NULL);
        return XC_EIO;
    }
    size_t cap = 8192, len = 0;
    char *text = malloc(cap);
    size_t n;
    while (text && (n = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            char *t = realloc(text, cap *= 2);
            if (!t)
                free(text);
            text = t;
        }
    }
    bool bad = ferror(f);
    fclose(f);
    if (!text)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    if (bad) {
        free(text);
        return xc_err_set(err, XC_EIO, "cannot read configuration file \"%s\"", path);
    }
    text[len] = '\0';
    if (strlen(text) != len) {
        free(text);
        xc_err_set(err, XC_ECONFIG, "configuration file \"%s\" contains a NUL byte", path);
        return XC_ECONFIG;
    }
    char *dir = dir_of(path);
    int rc = dir ? xc_config_parse(text, path, dir, ret, err)
                 : xc_err_set(err, XC_ENOMEM, "out of memory");
    free(dir);
    free(text);
    return rc;
}

void xc_config_free(xc_config *c)
{
    if (!c)
        return;
    for (int d = 0; d < XC_DS_COUNT; d++) {
        xc_binding *b = &c->ds[d];
        if (b->source && b->source->conf_free)
            b->source->conf_free(b->source_conf);
        for (size_t i = 0; i < b->n_nulls; i++)
            free(b->nulls[i]);
        free(b->nulls);
        free(b->covers);
        for (int f = 0; f < XC_MAX_FIELDS; f++) {
            free(b->field[f].column);
            for (size_t i = 0; i < b->field[f].n_map; i++)
                free(b->field[f].map[i].raw);
            free(b->field[f].map);
        }
    }
    free(c->path);
    free(c->dir);
    free(c->profile);
    free(c->output);
    free(c->database);
    free(c->results);
    free(c->temp_dir);
    free(c->organisation);
    free(c->scope);
    free(c);
}
