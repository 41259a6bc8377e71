/* verify.c - field-verification outcomes: reading them back, the stratified
 * estimates with Wilson intervals, verify.csv. */
#include "xcheck/verify.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "xcheck/i18n.h"
#include "xcheck/sample.h"
#include "table.h"
#include "xcheck/text.h"

/* ---- estimates ---------------------------------------------------------------- */

void xc_wilson(double p, double n, double z, double *ret_lo, double *ret_hi)
{
    if (isinf(n)) {
        *ret_lo = *ret_hi = p;
        return;
    }
    double z2n = z * z / n;
    double denom = 1 + z2n;
    double center = (p + z2n / 2) / denom;
    double half = z / denom * sqrt(p * (1 - p) / n + z2n / (4 * n));
    *ret_lo = fmax(0.0, center - half);
    *ret_hi = fmin(1.0, center + half);
}

void xc_estimate_strata(const xc_stratum_count *s, size_t n, xc_estimate *e)
{
    memset(e, 0, sizeof *e);
    for (size_t h = 0; h < n; h++) {
        e->population += s[h].population;
        e->verified += s[h].verified;
        e->confirmed += s[h].confirmed;
        if (s[h].verified)
            e->covered += s[h].population;
    }
    e->p = e->lo = e->hi = e->n_eff = NAN;
    e->projected = e->projected_lo = e->projected_hi = NAN;
    if (!e->covered)
        return;
    double p = 0, var = 0, kish = 0;
    for (size_t h = 0; h < n; h++) {
        if (!s[h].verified)
            continue;
        double w = (double)s[h].population / (double)e->covered;
        double v = (double)s[h].verified, ph = (double)s[h].confirmed / v;
        double fpc = fmax(0.0, 1 - v / (double)s[h].population);
        p += w * ph;
        var += w * w * fpc * ph * (1 - ph) / v;
        kish += w * w * fpc / v;
    }
    e->estimated = true;
    e->p = p;
    e->n_eff = kish <= 0 ? INFINITY : var > 0 ? p * (1 - p) / var : 1 / kish;
    xc_wilson(p, e->n_eff, XC_Z95, &e->lo, &e->hi);
    e->projected = p * (double)e->covered;
    e->projected_lo = e->lo * (double)e->covered;
    e->projected_hi = e->hi * (double)e->covered;
}

const char *xc_verify_group_name(int g)
{
    static const char *names[XC_VG_COUNT] = {"flagged", "unflagged", "in_archive", "exited",
                                             "all"};
    return g >= 0 && g < XC_VG_COUNT ? names[g] : "";
}

const char *xc_verify_group_zh(int g)
{
    static const char *zh[XC_VG_COUNT] = {"有疑点户：疑点属实率", "无疑点户：漏查问题率",
                                          "在档户：问题率（错评、漏退）",
                                          "已退档户：问题率（错退、返困）", "全部：总体错误率"};
    return g >= 0 && g < XC_VG_COUNT ? zh[g] : "";
}

static bool in_group(const xc_vstratum *s, int g)
{
    switch (g) {
    case XC_VG_FLAGGED: return s->flagged;
    case XC_VG_UNFLAGGED: return !s->flagged;
    case XC_VG_ARCHIVE: return !s->exited;
    case XC_VG_EXITED: return s->exited;
    default: return true;
    }
}

static int estimate_all(xc_verify *v)
{
    xc_stratum_count *counts = malloc((v->n_strata ? v->n_strata : 1) * sizeof *counts);
    if (!counts)
        return XC_ENOMEM;
    for (size_t h = 0; h < v->n_strata; h++) {
        xc_vstratum *s = &v->strata[h];
        counts[h] = (xc_stratum_count){s->population, s->confirmed + s->not_confirmed,
                                       s->confirmed};
        xc_estimate_strata(&counts[h], 1, &s->est);
    }
    for (int g = 0; g < XC_VG_COUNT; g++) {
        size_t n = 0;
        xc_stratum_count *sel = malloc((v->n_strata ? v->n_strata : 1) * sizeof *sel);
        if (!sel) {
            free(counts);
            return XC_ENOMEM;
        }
        for (size_t h = 0; h < v->n_strata; h++)
            if (in_group(&v->strata[h], g))
                sel[n++] = counts[h];
        xc_estimate_strata(sel, n, &v->groups[g]);
        free(sel);
    }
    free(counts);
    for (size_t i = 0; i < v->n_rules; i++) {
        xc_vrule *r = &v->rules[i];
        r->p = r->lo = r->hi = NAN;
        if (r->verified) {
            r->p = (double)r->confirmed / (double)r->verified;
            xc_wilson(r->p, (double)r->verified, XC_Z95, &r->lo, &r->hi);
        }
    }
    return XC_OK;
}

/* ---- finding a stratum or a rule by its text ---------------------------------- */

/* Strata and rules are found through an open-addressing index of their
 * positions, so that a sample of 200,000 rows in 20,000 strata does not
 * compare every row with every stratum before it. Each index draws its own
 * hash seed: the texts come from a file that went through other hands, and
 * must not be able to pick colliding slots. */
typedef struct text_index {
    size_t *slot;               /* position + 1; 0 when free */
    size_t mask;                /* slots - 1, slots a power of two */
    size_t n;
    uint64_t seed;
} text_index;

static uint64_t hash_text(uint64_t seed, const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL ^ seed;            /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    h ^= h >> 33;                                          /* MurmurHash3's finaliser */
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

/* The text of entry `at` (a position) of the array at base: its elements
 * are `size` bytes long and hold their text as a pointer at byte `offset`. */
static const char *entry_text(const void *base, size_t size, size_t offset, size_t at)
{
    return *(const char *const *)((const char *)base + at * size + offset);
}

/* The slot of s[0..len) in ix over the array at base: the one holding it,
 * or the free one it would take. */
static size_t *index_slot(const text_index *ix, const void *base, size_t size, size_t offset,
                          const char *s, size_t len)
{
    for (size_t i = hash_text(ix->seed, s, len) & ix->mask;; i = (i + 1) & ix->mask) {
        size_t *slot = &ix->slot[i];
        if (!*slot)
            return slot;
        const char *key = entry_text(base, size, offset, *slot - 1);
        if (strncmp(key, s, len) == 0 && key[len] == '\0')
            return slot;
    }
}

/* The position + 1 of s[0..len) in the array, 0 when it is not there. */
static size_t index_find(const text_index *ix, const void *base, size_t size, size_t offset,
                         const char *s, size_t len)
{
    return ix->slot ? *index_slot(ix, base, size, offset, s, len) : 0;
}

/* Makes room for one more entry, keeping the index at most half full.
 * Returns XC_OK or XC_ENOMEM. */
static int index_reserve(text_index *ix, const void *base, size_t size, size_t offset)
{
    if (ix->slot && (ix->n + 1) * 2 <= ix->mask + 1)
        return XC_OK;
    size_t cap = ix->slot ? (ix->mask + 1) * 2 : 64;
    text_index bigger = {calloc(cap, sizeof *bigger.slot), cap - 1, ix->n, ix->seed};
    if (!bigger.slot)
        return XC_ENOMEM;
    if (!ix->slot && getrandom(&bigger.seed, sizeof bigger.seed, GRND_NONBLOCK) !=
                     (ssize_t)sizeof bigger.seed)
        bigger.seed = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)ix;
    for (size_t i = 0; ix->slot && i <= ix->mask; i++)
        if (ix->slot[i]) {
            const char *key = entry_text(base, size, offset, ix->slot[i] - 1);
            *index_slot(&bigger, base, size, offset, key, strlen(key)) = ix->slot[i];
        }
    free(ix->slot);
    *ix = bigger;
    return XC_OK;
}

/* Adds entry n - 1 of the array (room reserved by index_reserve()). */
static void index_add(text_index *ix, const void *base, size_t size, size_t offset, size_t n)
{
    const char *key = entry_text(base, size, offset, n - 1);
    *index_slot(ix, base, size, offset, key, strlen(key)) = n;
    ix->n++;
}

/* p, an array of *cap elements `size` bytes long, with room for n + 1:
 * doubled when full. NULL when out of memory (p is left as it was). */
static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    size_t more = *cap ? *cap * 2 : 64;
    void *q = realloc(p, more * size);
    if (q)
        *cap = more;
    return q;
}

#define STRATA_AT(v) (v)->strata, sizeof *(v)->strata, offsetof(xc_vstratum, code)
#define RULES_AT(v) (v)->rules, sizeof *(v)->rules, offsetof(xc_vrule, id)

/* ---- reading ------------------------------------------------------------------ */

enum { C_STRATUM, C_POPULATION, C_SIZE, C_GROUP, C_FLAGGED, C_ARCHIVE_NO, C_RULES, C_OUTCOME,
       C_N };

typedef struct reader {
    xc_verify *v;
    const xc_table *t;
    int col[C_N];
    int date_col;               /* -1 when the sample has no 核查日期 */
    int rule_outcomes_col;      /* -1 when it has no 分规则核查结果 */
    int inspector_col, remarks_col;   /* 核查人, 备注: -1 when absent */
    xc_err *err;
    size_t cap_strata, cap_rules;
    text_index strata_ix, rules_ix;
} reader;

static int bad_cell(reader *r, size_t row, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int bad_cell(reader *r, size_t row, const char *field, const char *fmt, ...)
{
    char what[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    long line = xc_table_line(r->t, row);
    xc_err_set(r->err, XC_EINPUT, "\"%s\" line %ld, column %s: %s", r->v->path, line, field,
               what);
    xc_err_at(r->err, r->v->path, line, field);
    return XC_EINPUT;
}

static int count_cell(reader *r, size_t row, int c, const char *field, size_t *ret)
{
    const char *s = xc_table_cell(r->t, row, r->col[c]);
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (*end == '.' && strspn(end + 1, "0") == strlen(end + 1))
        end += strlen(end);        /* "3.0", as some programs save a number */
    if (end == s || *end || errno || n == 0 || s[0] == '-')
        return bad_cell(r, row, field, _("\"%s\" is not a positive whole number"), s);
    *ret = (size_t)n;
    return XC_OK;
}

/* Reads one of two allowed texts: 0 for `yes`, 1 for `no`. */
static int choice_cell(reader *r, size_t row, int c, const char *field, const char *yes,
                       const char *no, bool *ret)
{
    const char *s = xc_table_cell(r->t, row, r->col[c]);
    if (strcmp(s, yes) == 0 || strcmp(s, no) == 0) {
        *ret = strcmp(s, yes) == 0;
        return XC_OK;
    }
    return bad_cell(r, row, field, _("\"%s\" is neither %s nor %s"), s, yes, no);
}

static int new_stratum(reader *r, size_t row, const xc_vstratum *s, xc_vstratum **ret)
{
    xc_verify *v = r->v;
    xc_vstratum *strata = grow(v->strata, &r->cap_strata, v->n_strata, sizeof *strata);
    if (!strata)
        return xc_err_set(r->err, XC_ENOMEM, "out of memory");
    v->strata = strata;
    if (index_reserve(&r->strata_ix, STRATA_AT(v)) < 0)
        return xc_err_set(r->err, XC_ENOMEM, "out of memory");
    *ret = &v->strata[v->n_strata++];
    **ret = *s;
    (*ret)->line = xc_table_line(r->t, row);
    if (!((*ret)->code = xc_arena_dup(&v->arena, s->code, strlen(s->code))))
        return xc_err_set(r->err, XC_ENOMEM, "out of memory");
    index_add(&r->strata_ix, STRATA_AT(v), v->n_strata);
    if (s->size > s->population)
        return bad_cell(r, row, XC_COL_SIZE, _("%zu is more than the stratum's households "
                        "(层总户数 %zu)"), s->size, s->population);
    return XC_OK;
}

/* The stratum of a row: found, or added; its columns must agree with the
 * stratum's first row. */
static int row_stratum(reader *r, size_t row, xc_vstratum **ret)
{
    xc_vstratum s = {.code = xc_table_cell(r->t, row, r->col[C_STRATUM])};
    int rc;
    if (!s.code[0])
        return bad_cell(r, row, XC_COL_STRATUM, _("the stratum is empty"));
    if ((rc = count_cell(r, row, C_POPULATION, XC_COL_POPULATION, &s.population)) < 0 ||
        (rc = count_cell(r, row, C_SIZE, XC_COL_SIZE, &s.size)) < 0 ||
        (rc = choice_cell(r, row, C_GROUP, XC_COL_GROUP, XC_GROUP_EXITED_ZH,
                          XC_GROUP_ARCHIVE_ZH, &s.exited)) < 0 ||
        (rc = choice_cell(r, row, C_FLAGGED, XC_COL_FLAGGED, XC_FLAGGED_ZH, XC_UNFLAGGED_ZH,
                          &s.flagged)) < 0)
        return rc;
    size_t at = index_find(&r->strata_ix, STRATA_AT(r->v), s.code, strlen(s.code));
    if (!at)
        return new_stratum(r, row, &s, ret);
    xc_vstratum *have = &r->v->strata[at - 1];
    const char *field = have->population != s.population ? XC_COL_POPULATION
                      : have->size != s.size ? XC_COL_SIZE
                      : have->exited != s.exited ? XC_COL_GROUP
                      : have->flagged != s.flagged ? XC_COL_FLAGGED : NULL;
    if (field)
        return bad_cell(r, row, field, _("\"%s\" differs from the stratum's first row (line %ld)"),
                        xc_table_cell(r->t, row, xc_table_col(r->t, field)), have->line);
    *ret = have;
    return XC_OK;
}

/* The rule id[0..len): found, or added. NULL when out of memory. */
static xc_vrule *find_rule(reader *r, const char *id, size_t len)
{
    xc_verify *v = r->v;
    size_t at = index_find(&r->rules_ix, RULES_AT(v), id, len);
    if (at)
        return &v->rules[at - 1];
    xc_vrule *rules = grow(v->rules, &r->cap_rules, v->n_rules, sizeof *rules);
    if (!rules)
        return NULL;
    v->rules = rules;
    if (index_reserve(&r->rules_ix, RULES_AT(v)) < 0)
        return NULL;
    xc_vrule *rule = &v->rules[v->n_rules];
    memset(rule, 0, sizeof *rule);
    if (!(rule->id = xc_arena_dup(&v->arena, id, len)))
        return NULL;
    v->n_rules++;
    index_add(&r->rules_ix, RULES_AT(v), v->n_rules);
    return rule;
}

/* The separators of lists in a cell, half- or full-width. */
static size_t separator(const char *p)
{
    static const char *const seps[] = {";", ",", " ", "\n", "\r", "\t", "；", "，", "、"};
    for (size_t k = 0; k < sizeof seps / sizeof seps[0]; k++)
        if (strncmp(p, seps[k], strlen(seps[k])) == 0)
            return strlen(seps[k]);
    return 0;
}

/* The next rule id of a 疑点规则 list from *p (separated by ';', ',' or
 * blanks, half- or full-width): *ret_id, *ret_len; false at the end. */
static bool next_rule(const char **p, const char **ret_id, size_t *ret_len)
{
    size_t skip;
    while ((skip = separator(*p)) != 0)
        *p += skip;
    if (!**p)
        return false;
    size_t len = 0;
    if ((unsigned char)**p < 0x80) {
        while ((*p)[len] && (unsigned char)(*p)[len] < 0x80 && !separator(*p + len) &&
               (*p)[len] != ':')
            len++;
        if (!len)
            len = 1;            /* ':': part of no id */
    } else {
        /* other characters, up to a separator or an ASCII one: part of no
         * id, but whole characters, so that a message can show them
         * (2026-12-03: it showed one byte of one) */
        while ((*p)[len] && (unsigned char)(*p)[len] >= 0x80 && !separator(*p + len))
            len++;
    }
    *ret_id = *p;
    *ret_len = len;
    *p += len;
    return true;
}

/* Whether rule id[0..len) is in the list `rules`. */
static bool lists_rule(const char *rules, const char *id, size_t len)
{
    const char *r;
    size_t n;
    for (const char *p = rules; next_rule(&p, &r, &n);)
        if (n == len && memcmp(r, id, len) == 0)
            return true;
    return false;
}

/* One item of a 分规则核查结果 cell from *p: a rule id, then a blank, ':'
 * or '：' (or nothing), then 属实 or 不属实, then a separator or the end.
 * Returns 1 with *ret_id, *ret_len and *ret_outcome (1 属实, 0 不属实), 0
 * at the end, -1 when the item has no outcome, -2 when something follows
 * its outcome; *p is then left at the trouble. */
static int next_item(const char **p, const char **ret_id, size_t *ret_len, int *ret_outcome)
{
    if (!next_rule(p, ret_id, ret_len))
        return 0;
    const char *q = *p;
    while (*q == ' ' || *q == ':')
        q++;
    if (strncmp(q, "：", 3) == 0)
        q += 3;
    while (*q == ' ')
        q++;
    size_t yes = strlen(XC_CONFIRMED_ZH), no = strlen(XC_NOT_CONFIRMED_ZH);
    if (strncmp(q, XC_NOT_CONFIRMED_ZH, no) == 0) {
        *ret_outcome = 0;
        q += no;
    } else if (strncmp(q, XC_CONFIRMED_ZH, yes) == 0) {
        *ret_outcome = 1;
        q += yes;
    } else {
        return -1;
    }
    *p = q;
    return *q && !separator(q) ? -2 : 1;
}

/* The outcome 分规则核查结果 gives rule id[0..len) of its row: 1 属实, 0
 * 不属实, -1 none given. The cell was checked by rule_outcomes(). */
static int rule_outcome(const char *cell, const char *id, size_t len)
{
    const char *p = cell, *r;
    size_t n;
    int o;
    while (next_item(&p, &r, &n, &o) == 1)
        if (n == len && memcmp(r, id, len) == 0)
            return o;
    return -1;
}

/* The outcome that counts for rule id[0..len) of a row: its own in the
 * row's 分规则核查结果 cell, else the household's 核查结果 as filled in
 * (given; -1: not verified). */
static int outcome_of_rule(const char *rule_cell, const char *id, size_t len, int given)
{
    int o = rule_cell[0] ? rule_outcome(rule_cell, id, len) : -1;
    return o < 0 ? given : o;
}

/* Checks a 分规则核查结果 cell: items "RULE 属实" or "RULE 不属实" (next_item()),
 * each rule one of the row's 疑点规则, once. Sets *ret_all when every rule
 * of the row has one, and *ret_any_confirmed when one is 属实. */
static int rule_outcomes(reader *r, size_t row, const char *cell, const char *rules,
                         bool *ret_all, bool *ret_any_confirmed)
{
    *ret_all = *ret_any_confirmed = false;
    size_t given = 0;
    const char *p = cell, *id;
    size_t len;
    int o, k;
    while ((k = next_item(&p, &id, &len, &o)) != 0) {
        if (k == -1)
            return bad_cell(r, row, XC_COL_RULE_OUTCOMES, _("rule %.*s has no outcome: write "
                            "\"%.*s 属实\" or \"%.*s 不属实\""), (int)len, id, (int)len, id,
                            (int)len, id);
        if (k == -2)
            return bad_cell(r, row, XC_COL_RULE_OUTCOMES, _("\"%s\" after the outcome of %.*s: "
                            "separate the rules' outcomes with ；"), p, (int)len, id);
        if (!lists_rule(rules, id, len))
            return bad_cell(r, row, XC_COL_RULE_OUTCOMES, _("\"%.*s\" is not one of the "
                            "household's rules (%s: %s)"), (int)len, id, XC_COL_RULES, rules);
        const char *q = cell, *id2;
        size_t len2;
        int o2;
        while (q < id && next_item(&q, &id2, &len2, &o2) == 1)
            if (id2 < id && len2 == len && memcmp(id2, id, len) == 0)
                return bad_cell(r, row, XC_COL_RULE_OUTCOMES, _("rule %.*s is given twice"),
                                (int)len, id);
        *ret_any_confirmed |= o == 1;
        given++;
    }
    if (!given)
        return bad_cell(r, row, XC_COL_RULE_OUTCOMES, _("\"%s\" holds no rule's outcome: write "
                        "\"RULE 属实\" or \"RULE 不属实\" for each, or leave it empty"), cell);
    size_t listed = 0;
    for (p = rules; next_rule(&p, &id, &len);)
        listed++;
    *ret_all = given == listed;
    return XC_OK;
}

/* Counts the row's outcome for each rule in its 疑点规则: the rule's own
 * outcome where 分规则核查结果 gives one, else the household's as filled in
 * (2026-12-03: the one that followed from the other rules' outcomes made a
 * rule no one had checked 属实). */
static int count_rules(reader *r, const char *rules, const char *rule_cell, int outcome)
{
    const char *p = rules, *id;
    size_t len;
    while (next_rule(&p, &id, &len)) {
        xc_vrule *rule = find_rule(r, id, len);
        if (!rule)
            return xc_err_set(r->err, XC_ENOMEM, "out of memory");
        int o = outcome_of_rule(rule_cell, id, len, outcome);
        rule->rows++;
        rule->verified += o >= 0;
        rule->confirmed += o == 1;
    }
    return XC_OK;
}

/* 1 属实, 0 不属实, -1 empty. */
static int outcome_cell(reader *r, size_t row, int *ret)
{
    const char *s = xc_table_cell(r->t, row, r->col[C_OUTCOME]);
    *ret = !*s ? -1 : strcmp(s, XC_CONFIRMED_ZH) == 0 ? 1
         : strcmp(s, XC_NOT_CONFIRMED_ZH) == 0 ? 0 : -2;
    if (*ret == -2)
        return bad_cell(r, row, XC_COL_OUTCOME, _("\"%s\" is neither 属实 nor 不属实 (or empty: "
                        "not yet verified)"), s);
    if (r->date_col >= 0) {
        const char *d = xc_table_cell(r->t, row, r->date_col);
        xc_date date;
        if (*d && xc_table_date(d, &date) < 0)
            return bad_cell(r, row, XC_COL_DATE, _("\"%s\" is not a date (YYYY-MM-DD)"), d);
    }
    return XC_OK;
}

/* The cell of optional column col of row, "" when the sample has none. */
static const char *optional_cell(const reader *r, size_t row, int col)
{
    return col >= 0 ? xc_table_cell(r->t, row, col) : "";
}

static int read_row(reader *r, size_t row)
{
    xc_vstratum *s = NULL;
    int outcome, rc;
    if ((rc = row_stratum(r, row, &s)) < 0 || (rc = outcome_cell(r, row, &outcome)) < 0)
        return rc;
    const char *archive_no = xc_table_cell(r->t, row, r->col[C_ARCHIVE_NO]);
    if (!archive_no[0])
        return bad_cell(r, row, XC_COL_ARCHIVE_NO, _("the archive number is empty"));
    const char *rules = xc_table_cell(r->t, row, r->col[C_RULES]);
    const char *rule_cell = optional_cell(r, row, r->rule_outcomes_col);
    int given = outcome;            /* 核查结果 as filled in */
    if (rule_cell[0]) {
        bool all = false, any_confirmed = false;
        if ((rc = rule_outcomes(r, row, rule_cell, rules, &all, &any_confirmed)) < 0)
            return rc;
        /* The household's outcome follows from its rules' where it is not
         * given, and must agree with them where it is: a household has a
         * problem when a flag of it is right. */
        if (outcome < 0 && (any_confirmed || all))
            outcome = any_confirmed;
        else if (outcome == 0 && any_confirmed)
            return bad_cell(r, row, XC_COL_OUTCOME, _("不属实, but %s says a rule is 属实"),
                            XC_COL_RULE_OUTCOMES);
        else if (outcome == 1 && all && !any_confirmed)
            return bad_cell(r, row, XC_COL_OUTCOME, _("属实, but %s says every rule is 不属实"),
                            XC_COL_RULE_OUTCOMES);
    }
    if (++s->rows > s->size)
        return bad_cell(r, row, XC_COL_STRATUM, _("more rows in stratum %s than its sample size "
                        "(层样本数 %zu)"), s->code, s->size);
    s->confirmed += outcome == 1;
    s->not_confirmed += outcome == 0;
    s->unverified += outcome == -1;
    xc_vrow *vr = &r->v->rows[r->v->n_rows++];
    memset(vr, 0, sizeof *vr);
    vr->archive_no = archive_no;
    vr->stratum = (size_t)(s - r->v->strata);
    vr->line = xc_table_line(r->t, row);
    vr->outcome = outcome;
    vr->given = given;
    vr->rules = rules;
    vr->rule_outcomes = rule_cell;
    vr->date = optional_cell(r, row, r->date_col);
    vr->inspector = optional_cell(r, row, r->inspector_col);
    vr->remarks = optional_cell(r, row, r->remarks_col);
    return count_rules(r, rules, rule_cell, given);
}

static int cmp_row_archive(const void *a, const void *b)
{
    const xc_vrow *x = a, *y = b;
    int c = strcmp(x->archive_no, y->archive_no);
    return c ? c : x->line < y->line ? -1 : x->line > y->line;
}

static int cmp_rule(const void *a, const void *b)
{
    return strcmp(((const xc_vrule *)a)->id, ((const xc_vrule *)b)->id);
}

/* No household twice; the rows end up sorted by archive number. */
static int check_duplicates(xc_verify *v, xc_err *err)
{
    qsort(v->rows, v->n_rows, sizeof *v->rows, cmp_row_archive);
    for (size_t i = 1; i < v->n_rows; i++)
        if (strcmp(v->rows[i].archive_no, v->rows[i - 1].archive_no) == 0) {
            xc_err_set(err, XC_EINPUT, "\"%s\" line %ld, column %s: household %s is also on "
                       "line %ld", v->path, v->rows[i].line, XC_COL_ARCHIVE_NO,
                       v->rows[i].archive_no, v->rows[i - 1].line);
            xc_err_at(err, v->path, v->rows[i].line, XC_COL_ARCHIVE_NO);
            return XC_EINPUT;
        }
    return XC_OK;
}

static int read_rows(xc_verify *v, const xc_table *t, xc_err *err)
{
    static const char *const names[C_N] = {XC_COL_STRATUM, XC_COL_POPULATION, XC_COL_SIZE,
                                           XC_COL_GROUP, XC_COL_FLAGGED, XC_COL_ARCHIVE_NO,
                                           XC_COL_RULES, XC_COL_OUTCOME};
    reader r = {.v = v, .t = t, .err = err, .date_col = xc_table_col(t, XC_COL_DATE),
                .rule_outcomes_col = xc_table_col(t, XC_COL_RULE_OUTCOMES),
                .inspector_col = xc_table_col(t, XC_COL_INSPECTOR),
                .remarks_col = xc_table_col(t, XC_COL_REMARKS)};
    for (int c = 0; c < C_N; c++)
        if ((r.col[c] = xc_table_col(t, names[c])) < 0) {
            xc_err_set(err, XC_EINPUT, "\"%s\" has no column \"%s\"", v->path, names[c]);
            xc_err_at(err, v->path, 0, names[c]);
            xc_err_hint(err, "verify reads the sample.csv or sample.xlsx that xcheck sample "
                        "wrote, with its header row");
            return XC_EINPUT;
        }
    if (!(v->rows = malloc((xc_table_rows(t) + 1) * sizeof *v->rows)))
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    int rc = XC_OK;
    for (size_t row = 0; row < xc_table_rows(t) && rc >= 0; row++)
        rc = read_row(&r, row);
    free(r.strata_ix.slot);
    free(r.rules_ix.slot);
    return rc < 0 ? rc : check_duplicates(v, err);
}

int xc_verify_load(const char *path, xc_verify *v, xc_err *err)
{
    memset(v, 0, sizeof *v);
    snprintf(v->path, sizeof v->path, "%s", path);
    xc_table *t;
    int rc = xc_table_read(path, "样本", &t, err);
    if (rc < 0)
        return rc;
    v->encoding = xc_table_encoding(t);
    rc = read_rows(v, t, err);
    /* The rows' texts live in the table: copy them out. */
    for (size_t i = 0; rc >= 0 && i < v->n_rows; i++) {
        xc_vrow *row = &v->rows[i];
        const char **texts[] = {&row->archive_no, &row->rules, &row->rule_outcomes, &row->date,
                                &row->inspector, &row->remarks};
        for (size_t k = 0; rc >= 0 && k < sizeof texts / sizeof texts[0]; k++)
            if (!(*texts[k] = xc_arena_dup(&v->arena, *texts[k], strlen(*texts[k]))))
                rc = xc_err_set(err, XC_ENOMEM, "out of memory");
    }
    xc_table_free(t);
    if (rc < 0) {
        xc_verify_free(v);          /* nothing left to free on failure */
        return rc;
    }
    for (size_t h = 0; h < v->n_strata; h++) {
        const xc_vstratum *s = &v->strata[h];
        v->confirmed += s->confirmed;
        v->verified += s->confirmed + s->not_confirmed;
        v->unverified += s->unverified;
        v->missing += s->size - s->rows;
    }
    /* 2026-12-03: a sample without a rule passed qsort a null array */
    if (v->n_rules > 1)
        qsort(v->rules, v->n_rules, sizeof *v->rules, cmp_rule);
    if (estimate_all(v) < 0) {
        xc_verify_free(v);
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    }
    return XC_OK;
}

void xc_verify_free(xc_verify *v)
{
    free(v->strata);
    free(v->rows);
    free(v->rules);
    xc_arena_free(&v->arena);
    memset(v, 0, sizeof *v);
}

/* ---- against the run ---------------------------------------------------------- */

static int run_mismatch(const xc_verify *v, long line, const char *field, const char *rundir,
                        xc_err *err, const char *what)
{
    xc_err_set(err, XC_EINPUT, "\"%s\" line %ld, column %s: %s", v->path, line, field, what);
    xc_err_at(err, v->path, line, field);
    xc_err_hint(err, "was the sample drawn from the run in %s?", rundir);
    return XC_EINPUT;
}

static int cmp_frame_archive(const void *a, const void *b)
{
    return strcmp(((const xc_frame_hh *)a)->archive_no, ((const xc_frame_hh *)b)->archive_no);
}

typedef struct code_ref {
    const char *code;
    size_t stratum;
} code_ref;

static int cmp_code(const void *a, const void *b)
{
    return strcmp(((const code_ref *)a)->code, ((const code_ref *)b)->code);
}

/* Every stratum's N_h against the households of the run in it. */
static int check_strata(const xc_verify *v, const xc_frame *f, const char *rundir, xc_err *err)
{
    code_ref *refs = malloc((v->n_strata ? v->n_strata : 1) * sizeof *refs);
    size_t *counts = calloc(v->n_strata ? v->n_strata : 1, sizeof *counts);
    int rc = refs && counts ? XC_OK : xc_err_set(err, XC_ENOMEM, "out of memory");
    for (size_t h = 0; rc >= 0 && h < v->n_strata; h++)
        refs[h] = (code_ref){v->strata[h].code, h};
    if (rc >= 0)
        qsort(refs, v->n_strata, sizeof *refs, cmp_code);
    for (size_t i = 0; rc >= 0 && i < f->n; i++) {
        char code[64];
        xc_stratum_code(f->v[i].region_code, f->v[i].exited, f->v[i].flagged, code,
                        sizeof code);
        code_ref key = {code, 0}, *hit = bsearch(&key, refs, v->n_strata, sizeof *refs,
                                                 cmp_code);
        if (hit)
            counts[hit->stratum]++;
    }
    for (size_t h = 0; rc >= 0 && h < v->n_strata; h++)
        if (counts[h] != v->strata[h].population) {
            char what[256];
            snprintf(what, sizeof what, "stratum %s has %zu households in the run, not %zu",
                     v->strata[h].code, counts[h], v->strata[h].population);
            rc = run_mismatch(v, v->strata[h].line, XC_COL_POPULATION, rundir, err, what);
        }
    free(refs);
    free(counts);
    return rc;
}

int xc_verify_check_run(const xc_verify *v, const char *rundir, xc_err *err)
{
    xc_frame f;
    int rc = xc_frame_load(rundir, &f, err);
    if (rc >= 0)
        rc = check_strata(v, &f, rundir, err);
    for (size_t i = 0; rc >= 0 && i < v->n_rows; i++) {
        const xc_vrow *r = &v->rows[i];
        xc_frame_hh key = {.archive_no = r->archive_no};
        const xc_frame_hh *hh = bsearch(&key, f.v, f.n, sizeof *f.v, cmp_frame_archive);
        char code[64], what[256];
        if (hh)
            xc_stratum_code(hh->region_code, hh->exited, hh->flagged, code, sizeof code);
        if (!hh || strcmp(code, v->strata[r->stratum].code) != 0) {
            snprintf(what, sizeof what, hh ? "household %s is in stratum %s in the run"
                     : "household %s is not in the run's frame%s", r->archive_no,
                     hh ? code : "");
            rc = run_mismatch(v, r->line, XC_COL_ARCHIVE_NO, rundir, err, what);
        }
    }
    xc_frame_free(&f);
    return rc;
}

/* ---- verify.csv --------------------------------------------------------------- */

/* A number field and its comma: empty for NaN, "inf" for infinity. */
static void put_num(FILE *f, double x, int decimals)
{
    if (isnan(x))
        fputc(',', f);
    else if (isinf(x))
        fputs("inf,", f);
    else
        fprintf(f, "%.*f,", decimals, x);
}

static void put_estimate(FILE *f, const xc_estimate *e)
{
    fprintf(f, "%zu,%zu,%zu,%zu,", e->population, e->covered, e->verified, e->confirmed);
    put_num(f, e->p, 6);
    put_num(f, e->lo, 6);
    put_num(f, e->hi, 6);
    put_num(f, e->n_eff, 3);
    put_num(f, e->projected, 3);
    put_num(f, e->projected_lo, 3);
    if (isnan(e->projected_hi))
        fputc('\n', f);
    else
        fprintf(f, "%.3f\n", e->projected_hi);
}

/* A text cell that came from the sample file: quoted, masked, inert. */
static void put_text(FILE *f, const char *s)
{
    xc_buf b = {0};
    xc_csv_cell(&b, s, false);
    if (!b.failed)
        fwrite(b.p, 1, b.len, f);
    xc_buf_free(&b);
}

static void put_rule(FILE *f, const xc_vrule *r)
{
    fputs("rule,", f);
    put_text(f, r->id);
    fprintf(f, ",,,%zu,%zu,,,,%zu,%zu,", r->rows, r->rows - r->verified,
            r->verified, r->confirmed);
    put_num(f, r->p, 6);
    put_num(f, r->lo, 6);
    put_num(f, r->hi, 6);
    fprintf(f, "%zu,,,\n", r->verified);
}

int xc_verify_write_csv(const xc_verify *v, const char *path, xc_err *err)
{
    xc_output out;
    int rc = xc_output_open_file(&out, path, err);
    if (rc < 0)
        return rc;
    FILE *f = out.f;
    fputs(XC_CSV_BOM, f);
    fputs("kind,key,group,flagged,sample_size,rows,unverified,missing,population,covered,"
          "verified,confirmed,estimate,ci_low,ci_high,effective_n,projected,projected_low,"
          "projected_high\n", f);
    for (size_t h = 0; h < v->n_strata; h++) {
        const xc_vstratum *s = &v->strata[h];
        fputs("stratum,", f);
        put_text(f, s->code);
        fprintf(f, "%s,%s,%zu,%zu,%zu,%zu,",
                s->exited ? "exited" : "in_archive", s->flagged ? "yes" : "no", s->size,
                s->rows, s->unverified, s->size - s->rows);
        put_estimate(f, &s->est);
    }
    for (int g = 0; g < XC_VG_COUNT; g++) {
        size_t size = 0, rows = 0, unverified = 0;
        for (size_t h = 0; h < v->n_strata; h++)
            if (in_group(&v->strata[h], g)) {
                size += v->strata[h].size;
                rows += v->strata[h].rows;
                unverified += v->strata[h].unverified;
            }
        fprintf(f, "group,%s,,,%zu,%zu,%zu,%zu,", xc_verify_group_name(g), size, rows,
                unverified, size - rows);
        put_estimate(f, &v->groups[g]);
    }
    for (size_t i = 0; i < v->n_rules; i++)
        put_rule(f, &v->rules[i]);
    return xc_output_commit(&out, err);
}

/* ---- the register of dispositions --------------------------------------------- */

/* The register's header, as the [disposition] binding of the README maps
 * it. */
#define DISPOSITION_HEADER "档案编号,身份证号,规则,核查结果,核查日期,核查人,备注,有效期至"

/* The register at path as it is, its header checked: *ret (malloc'ed, the
 * caller frees it) holds its bytes, NULL when there is no such file yet. */
static int read_register(const char *path, char **ret, size_t *ret_len, xc_err *err)
{
    *ret = NULL;
    *ret_len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return XC_OK;
        xc_err_set(err, XC_EIO, "cannot open \"%s\": %s", path, strerror(errno));
        xc_err_at(err, path, 0, NULL);
        return XC_EIO;
    }
    xc_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        xc_buf_append(&b, chunk, n);
    bool failed = ferror(f) != 0;
    fclose(f);
    if (failed || b.failed) {
        xc_buf_free(&b);
        xc_err_set(err, failed ? XC_EIO : XC_ENOMEM, "cannot read \"%s\"", path);
        xc_err_at(err, path, 0, NULL);
        return failed ? XC_EIO : XC_ENOMEM;
    }
    const char *p = b.p ? b.p : "";
    size_t len = b.len, bom = strlen(XC_CSV_BOM), head = strlen(DISPOSITION_HEADER);
    if (len >= bom && memcmp(p, XC_CSV_BOM, bom) == 0) {
        p += bom;
        len -= bom;
    }
    if (len < head || memcmp(p, DISPOSITION_HEADER, head) != 0 ||
        (len > head && p[head] != '\n' && p[head] != '\r')) {
        xc_buf_free(&b);
        xc_err_set(err, XC_EINPUT, "\"%s\" is not a register of dispositions: its first line "
                   "is not %s", path, DISPOSITION_HEADER);
        xc_err_at(err, path, 1, NULL);
        xc_err_hint(err, "give a new file, or the register that xcheck verify wrote (UTF-8, "
                    "as it wrote it)");
        return XC_EINPUT;
    }
    if (b.len && b.p[b.len - 1] != '\n')
        xc_buf_append(&b, "\n", 1);
    *ret_len = b.len;
    *ret = xc_buf_take(&b);
    return *ret ? XC_OK : XC_ENOMEM;
}

/* A register's row as verify writes it: its eight cells trimmed, as CSV
 * cells (text.h: xc_csv_cell()), then a line break. */
static char *register_line(const char *const cells[8])
{
    xc_buf line = {0};
    for (int c = 0; c < 8; c++) {
        size_t len = strlen(cells[c]);
        const char *s = xc_trim(cells[c], &len);
        xc_csv_field(&line, s, len, true);
        xc_buf_append(&line, c == 7 ? "\n" : ",", 1);
    }
    return xc_buf_take(&line);
}

/* The cells that name a decision: 档案编号, 身份证号, 规则, 核查结果, 核查日期.
 * Who made it and the note do not: a row with the same five is held. */
enum { KEY_CELLS = 5 };

/* Appends to b the text the CSV reader gives back for cell s as
 * register_line() writes it: trimmed, masked, made inert, unquoted, trimmed
 * again (2026-12-03: rows were compared as written and as read back, which
 * differ for a cell with blanks at its end or digits masked twice). */
static void read_back(xc_buf *b, const char *s)
{
    size_t len = strlen(s);
    s = xc_trim(s, &len);
    xc_buf q = {0};
    xc_csv_field(&q, s, len, true);
    const char *p = q.p ? q.p : "";
    size_t n = q.len, from = b->len;
    if (n >= 2 && p[0] == '"') {
        for (size_t i = 1; i + 1 < n; i++) {
            xc_buf_append(b, &p[i], 1);
            if (p[i] == '"')
                i++;                    /* "" stands for " */
        }
    } else {
        xc_buf_append(b, p, n);
    }
    if (q.failed)
        b->failed = true;
    xc_buf_free(&q);
    size_t m = b->len - from;
    const char *t = b->p ? xc_trim(b->p + from, &m) : "";
    if (b->p) {
        memmove(b->p + from, t, m);
        b->len = from + m;
    }
}

/* The key of a decision: its KEY_CELLS cells, as read back when written
 * (written) or as the reader gave them, 0x1f between. */
static char *decision_key(const char *const cells[KEY_CELLS], bool written)
{
    xc_buf k = {0};
    for (int c = 0; c < KEY_CELLS; c++) {
        if (c)
            xc_buf_append(&k, "\x1f", 1);
        if (written)
            read_back(&k, cells[c]);
        else
            xc_buf_append(&k, cells[c], strlen(cells[c]));
    }
    return xc_buf_take(&k);
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The decisions of the register at path (decision_key()), sorted: *ret
 * (free each, then the array), *ret_n of them. Read as CSV, so that a row
 * whose note holds a line break is one row. */
static int register_rows(const char *path, char ***ret, size_t *ret_n, xc_err *err)
{
    *ret = NULL;
    *ret_n = 0;
    xc_table *t;
    int rc = xc_table_read_csv(path, &t, err);
    if (rc < 0)
        return rc;
    size_t n = xc_table_rows(t);
    char **rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows) {
        xc_table_free(t);
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    }
    for (size_t r = 0; r < n; r++) {
        const char *cells[KEY_CELLS];
        for (int c = 0; c < KEY_CELLS; c++)
            cells[c] = xc_table_cell(t, r, c);
        if (!(rows[r] = decision_key(cells, false))) {
            for (size_t k = 0; k < r; k++)
                free(rows[k]);
            free(rows);
            xc_table_free(t);
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        }
    }
    xc_table_free(t);
    qsort(rows, n, sizeof *rows, cmp_text);
    *ret = rows;
    *ret_n = n;
    return XC_OK;
}

int xc_verify_write_dispositions(const xc_verify *v, const char *path, size_t *ret_added,
                                 size_t *ret_kept, xc_err *err)
{
    *ret_added = *ret_kept = 0;
    char *reg;
    size_t reg_len;
    int rc = read_register(path, &reg, &reg_len, err);
    if (rc < 0)
        return rc;
    char **have = NULL;
    size_t n_have = 0;
    if (reg && (rc = register_rows(path, &have, &n_have, err)) < 0) {
        free(reg);
        return rc;
    }
    xc_date today = xc_date_today();
    xc_buf out = {0};
    if (reg)
        xc_buf_append(&out, reg, reg_len);
    else
        xc_buf_printf(&out, "%s%s\n", XC_CSV_BOM, DISPOSITION_HEADER);
    for (size_t i = 0; rc >= 0 && i < v->n_rows; i++) {
        const xc_vrow *row = &v->rows[i];
        const char *p = row->rules, *id;
        size_t len;
        while (rc >= 0 && next_rule(&p, &id, &len)) {
            int o = outcome_of_rule(row->rule_outcomes, id, len, row->given);
            if (o < 0)
                continue;               /* not verified yet */
            xc_date day;
            char date[11];
            if (!row->date[0] || xc_table_date(row->date, &day) < 0) {
                xc_err_set(err, XC_EINPUT, "\"%s\" line %ld, column %s: %s: a disposition "
                           "needs the day the visit decided it", v->path, row->line,
                           XC_COL_DATE, row->date[0] ? _("not a date (YYYY-MM-DD)") : _("empty"));
                xc_err_at(err, v->path, row->line, XC_COL_DATE);
                rc = XC_EINPUT;
                break;
            }
            /* 2026-12-03: a date to come went into the register, and every
             * run then refused its rows */
            if (day > today) {
                char t[11];
                xc_err_set(err, XC_EINPUT, "\"%s\" line %ld, column %s: %s is after today, %s: "
                           "a visit cannot have decided it yet", v->path, row->line,
                           XC_COL_DATE, xc_date_format(day, date), xc_date_format(today, t));
                xc_err_at(err, v->path, row->line, XC_COL_DATE);
                rc = XC_EINPUT;
                break;
            }
            char rule[64];
            snprintf(rule, sizeof rule, "%.*s", (int)(len < 63 ? len : 63), id);
            const char *cells[8] = {row->archive_no, "", rule,
                                    o ? XC_CONFIRMED_ZH : XC_NOT_CONFIRMED_ZH,
                                    xc_date_format(day, date), row->inspector, row->remarks, ""};
            char *line = register_line(cells), *key = decision_key(cells, true);
            if (!line || !key)
                rc = xc_err_set(err, XC_ENOMEM, "out of memory");
            else if (n_have && bsearch(&key, have, n_have, sizeof *have, cmp_text))
                (*ret_kept)++;          /* written by an earlier verify */
            else {
                xc_buf_append(&out, line, strlen(line));
                (*ret_added)++;
            }
            free(line);
            free(key);
        }
    }
    free(reg);
    for (size_t i = 0; i < n_have; i++)
        free(have[i]);
    free(have);
    if (rc >= 0 && out.failed)
        rc = xc_err_set(err, XC_ENOMEM, "out of memory");
    xc_output o;
    if (rc >= 0 && (rc = xc_output_open_file(&o, path, err)) >= 0) {
        fwrite(out.p, 1, out.len, o.f);
        rc = xc_output_commit(&o, err);
    }
    xc_buf_free(&out);
    return rc;
}
