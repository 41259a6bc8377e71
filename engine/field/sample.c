/* sample.c - field-verification samples: the frame from a run's outputs, a
 * seeded stratified draw, sample.csv, sample-strata.csv and sample.xlsx. */
#include "xcheck/sample.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "xcheck/plugin/rule.h"
#include "xcheck/text.h"
#include "output/xlsx_write.h"

/* ---- the generator ---------------------------------------------------------- */

uint64_t xc_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

void xc_rng_seed(xc_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = xc_splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t xc_rng_next(xc_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t xc_rng_below(xc_rng *r, uint64_t bound)
{
    uint64_t floor = -bound % bound;     /* 2^64 mod bound: outputs below it are rejected */
    uint64_t x;
    do
        x = xc_rng_next(r);
    while (x < floor);
    return x % bound;
}

/* ---- the frame --------------------------------------------------------------- */

static const char *dup_text(xc_frame *f, const char *s)
{
    if (!s)
        s = "";
    return xc_arena_dup(&f->arena, s, strlen(s));
}

int xc_frame_add(xc_frame *f, const xc_frame_hh *hh)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 256;
        xc_frame_hh *v = realloc(f->v, cap * sizeof *v);
        if (!v)
            return XC_ENOMEM;
        f->v = v;
        f->cap = cap;
    }
    xc_frame_hh c = *hh;
    if (!(c.archive_no = dup_text(f, hh->archive_no)) ||
        !(c.region_code = dup_text(f, hh->region_code)) ||
        !(c.region_name = dup_text(f, hh->region_name)) ||
        !(c.worker_name = dup_text(f, hh->worker_name)) ||
        !(c.masked_id = dup_text(f, hh->masked_id)) || !(c.rules = dup_text(f, hh->rules)) ||
        !(c.summaries = dup_text(f, hh->summaries)) || !(c.others = dup_text(f, hh->others)))
        return XC_ENOMEM;
    f->v[f->n++] = c;
    return XC_OK;
}

void xc_frame_free(xc_frame *f)
{
    free(f->v);
    xc_arena_free(&f->arena);
    memset(f, 0, sizeof *f);
}

/* The columns a file must have; -1 entries name the missing one. */
static int need_cols(const xc_table *t, const char *const *names, int *cols, int n, xc_err *err)
{
    for (int i = 0; i < n; i++)
        if ((cols[i] = xc_table_col(t, names[i])) < 0) {
            xc_err_set(err, XC_EINPUT, "\"%s\" has no column \"%s\"", xc_table_path(t),
                       names[i]);
            xc_err_at(err, xc_table_path(t), 1, names[i]);
            return XC_EINPUT;
        }
    return XC_OK;
}

static int yes_no(const xc_table *t, size_t row, int col, const char *name, bool *ret,
                  xc_err *err)
{
    const char *v = xc_table_cell(t, row, col);
    if (strcmp(v, "yes") == 0 || strcmp(v, "no") == 0) {
        *ret = v[0] == 'y';
        return XC_OK;
    }
    xc_err_set(err, XC_EINPUT, "%s must be yes or no, not \"%s\"", name, v);
    xc_err_at(err, xc_table_path(t), xc_table_line(t, row), name);
    return XC_EINPUT;
}

enum { H_ARCHIVE_NO, H_REGION_CODE, H_COUNTY, H_IN_ARCHIVE, H_EXITED, H_WORKER, H_MASKED,
       H_N };

static int load_households(xc_frame *f, const xc_table *t, xc_err *err)
{
    static const char *const names[H_N] = {"archive_no", "region_code", "county", "in_archive",
                                           "exited", "worker_name", "masked_id"};
    int c[H_N];
    int rc = need_cols(t, names, c, H_N, err);
    for (size_t r = 0; rc >= 0 && r < xc_table_rows(t); r++) {
        bool in, out;
        if ((rc = yes_no(t, r, c[H_IN_ARCHIVE], "in_archive", &in, err)) < 0 ||
            (rc = yes_no(t, r, c[H_EXITED], "exited", &out, err)) < 0)
            break;
        if (!in && !out) {
            f->left_out++;
            continue;
        }
        xc_frame_hh hh = {
            .archive_no = xc_table_cell(t, r, c[H_ARCHIVE_NO]),
            .region_code = xc_table_cell(t, r, c[H_REGION_CODE]),
            .region_name = xc_table_cell(t, r, c[H_COUNTY]),
            .worker_name = xc_table_cell(t, r, c[H_WORKER]),
            .masked_id = xc_table_cell(t, r, c[H_MASKED]),
            .exited = !in,
        };
        if (xc_frame_add(f, &hh) < 0)
            rc = xc_err_set(err, XC_ENOMEM, "out of memory");
    }
    return rc;
}

static int cmp_archive_no(const void *a, const void *b)
{
    return strcmp(((const xc_frame_hh *)a)->archive_no, ((const xc_frame_hh *)b)->archive_no);
}

static xc_frame_hh *find_hh(const xc_frame *f, const char *archive_no)
{
    xc_frame_hh key = {.archive_no = archive_no};
    return bsearch(&key, f->v, f->n, sizeof *f->v, cmp_archive_no);
}

/* Whether a flag of this category (flags.csv) is one a visit checks: the
 * household should not be in the archive, or should not have left it
 * (xc_category_visited(), which report.xlsx's visit list follows too). */
static bool eligibility(const char *category)
{
    xc_category c = xc_category_by_name(category);
    return c < XC_CAT_COUNT && xc_category_visited(c);
}

/* Appends "RULE：summary" (line breaks made blanks) to b, "；" between. */
static void add_summary(xc_buf *b, const char *rule, const char *summary)
{
    xc_buf_printf(b, "%s%s：", b->len ? "；" : "", rule);
    for (const char *s = summary; *s; s++)
        xc_buf_append(b, *s == '\n' || *s == '\r' ? " " : s, 1);
}

/* Appends rule to the ';'-list b unless it is there. */
static void add_rule(xc_buf *b, const char *rule)
{
    size_t n = strlen(rule);
    for (const char *p = b->len ? b->p : NULL; p && p < b->p + b->len;) {
        const char *end = memchr(p, ';', (size_t)(b->p + b->len - p));
        size_t len = end ? (size_t)(end - p) : (size_t)(b->p + b->len - p);
        if (len == n && memcmp(p, rule, n) == 0)
            return;
        p = end ? end + 1 : NULL;
    }
    xc_buf_printf(b, "%s%s", b->len ? ";" : "", rule);
}

typedef struct hh_texts {
    xc_buf rules, summaries, others;
} hh_texts;

static int keep_texts(xc_frame *f, hh_texts *tx, xc_err *err)
{
    int rc = XC_OK;
    for (size_t i = 0; i < f->n; i++) {
        char *r = xc_buf_take(&tx[i].rules), *s = xc_buf_take(&tx[i].summaries);
        char *o = xc_buf_take(&tx[i].others);
        if (!r || !s || !o || !(f->v[i].rules = dup_text(f, r)) ||
            !(f->v[i].summaries = dup_text(f, s)) || !(f->v[i].others = dup_text(f, o)))
            rc = xc_err_set(err, XC_ENOMEM, "out of memory");
        f->v[i].flagged = r && *r;
        free(r);
        free(s);
        free(o);
    }
    return rc;
}

/* From flags.csv, each household's flags: those of 错评, 漏退, 错退 and
 * 返困 make it flagged and give its rules and summaries; the others (data
 * quality, process), and those a verification in force rejected (column
 * disposition "excluded", in the runs that have it), are kept apart for
 * the visitor. Sorts the frame by archive number. */
static int load_flags(xc_frame *f, const xc_table *t, xc_err *err)
{
    static const char *const names[4] = {"rule", "category", "archive_no", "summary"};
    int c[4];
    int rc = need_cols(t, names, c, 4, err);
    if (rc < 0)
        return rc;
    int disposition = xc_table_col(t, "disposition");
    qsort(f->v, f->n, sizeof *f->v, cmp_archive_no);
    hh_texts *tx = calloc(f->n ? f->n : 1, sizeof *tx);
    if (!tx)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    for (size_t r = 0; r < xc_table_rows(t); r++) {
        xc_frame_hh *hh = find_hh(f, xc_table_cell(t, r, c[2]));
        if (!hh)
            continue;        /* not drawn (cancelled...), or in no household */
        hh_texts *x = &tx[hh - f->v];
        const char *rule = xc_table_cell(t, r, c[0]), *summary = xc_table_cell(t, r, c[3]);
        bool excluded = disposition >= 0 &&
                        strcmp(xc_table_cell(t, r, disposition), "excluded") == 0;
        if (excluded) {
            xc_buf_printf(&x->others, "%s%s：已核实排除", x->others.len ? "；" : "", rule);
        } else if (eligibility(xc_table_cell(t, r, c[1]))) {
            add_rule(&x->rules, rule);
            add_summary(&x->summaries, rule, summary);
        } else
            add_summary(&x->others, rule, summary);
    }
    rc = keep_texts(f, tx, err);
    free(tx);
    return rc;
}

/* as_of from summary.json ("as_of": "YYYY-MM-DD"). */
static int load_as_of(xc_frame *f, const char *path, xc_err *err)
{
    FILE *in = fopen(path, "r");
    if (!in) {
        xc_err_set(err, XC_EIO, "cannot open \"%s\": %s", path, strerror(errno));
        xc_err_at(err, path, 0, NULL);
        return XC_EIO;
    }
    char line[512], date[11];
    int rc = XC_EINPUT;
    while (rc < 0 && fgets(line, sizeof line, in)) {
        const char *p = strstr(line, "\"as_of\": \"");
        if (p && sscanf(p + 10, "%10[0-9-]", date) == 1 && xc_date_parse_iso(date, &f->as_of) == 0)
            rc = XC_OK;
    }
    fclose(in);
    if (rc < 0) {
        xc_err_set(err, XC_EINPUT, "\"%s\" has no as_of date", path);
        xc_err_at(err, path, 0, "as_of");
    }
    return rc;
}

int xc_frame_load(const char *rundir, xc_frame *ret, xc_err *err)
{
    memset(ret, 0, sizeof *ret);
    char path[4096];
    xc_table *t = NULL;
    snprintf(path, sizeof path, "%s/summary.json", rundir);
    int rc = load_as_of(ret, path, err);
    snprintf(path, sizeof path, "%s/households.csv", rundir);
    if (rc >= 0 && (rc = xc_table_read_csv(path, &t, err)) >= 0)
        rc = load_households(ret, t, err);
    xc_table_free(t);
    t = NULL;
    snprintf(path, sizeof path, "%s/flags.csv", rundir);
    if (rc >= 0 && (rc = xc_table_read_csv(path, &t, err)) >= 0)
        rc = load_flags(ret, t, err);
    xc_table_free(t);
    if (rc < 0)
        xc_frame_free(ret);         /* nothing left to free on failure */
    return rc;
}

/* ---- drawing ----------------------------------------------------------------- */

size_t xc_sample_size_for(size_t population, const xc_sample_opts *o)
{
    size_t n;
    if (o->size > 0)
        n = o->size;
    else {
        /* a hair under, so that 0.07 * 100 is 7, not 8 */
        n = (size_t)ceil(o->share * (double)population - 1e-9);
        if (n < o->min)
            n = o->min;
    }
    return n < population ? n : population;
}

void xc_stratum_code(const char *region_code, bool exited, bool flagged, char *buf,
                     size_t bufsz)
{
    snprintf(buf, bufsz, "%s-%s-%s", region_code, exited ? XC_GROUP_EXITED_ZH
             : XC_GROUP_ARCHIVE_ZH, flagged ? XC_FLAGGED_ZH : XC_UNFLAGGED_ZH);
}

typedef struct frame_ref {
    const xc_frame_hh *hh;
    uint32_t i;
} frame_ref;

/* Canonical order: county, 在档 before 已退档, flagged first, archive number. */
static int cmp_canonical(const void *pa, const void *pb)
{
    const xc_frame_hh *a = ((const frame_ref *)pa)->hh, *b = ((const frame_ref *)pb)->hh;
    int c = strcmp(a->region_code, b->region_code);
    if (c)
        return c;
    if (a->exited != b->exited)
        return a->exited ? 1 : -1;
    if (a->flagged != b->flagged)
        return a->flagged ? -1 : 1;
    c = strcmp(a->archive_no, b->archive_no);
    if (c)
        return c;
    uint32_t ia = ((const frame_ref *)pa)->i, ib = ((const frame_ref *)pb)->i;
    return ia < ib ? -1 : ia > ib;
}

static bool same_stratum(const xc_frame_hh *a, const xc_frame_hh *b)
{
    return strcmp(a->region_code, b->region_code) == 0 && a->exited == b->exited &&
           a->flagged == b->flagged;
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xCBF29CE484222325u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001B3u;
    return h;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Draws n of run[0..N) (in place: they end up first, in canonical order).
 * Returns XC_OK or XC_ENOMEM. */
static int draw_stratum(frame_ref *run, size_t N, size_t n, uint64_t seed, const char *code)
{
    uint64_t st = seed;
    xc_rng r;
    xc_rng_seed(&r, xc_splitmix64(&st) ^ fnv1a(code));
    uint32_t *pos = malloc(N * sizeof *pos);
    if (!pos)
        return XC_ENOMEM;
    for (size_t i = 0; i < N; i++)
        pos[i] = (uint32_t)i;
    for (size_t i = 0; i < n; i++) {
        size_t j = i + (size_t)xc_rng_below(&r, N - i);
        uint32_t tmp = pos[i];
        pos[i] = pos[j];
        pos[j] = tmp;
    }
    qsort(pos, n, sizeof *pos, cmp_u32);
    for (size_t i = 0; i < n; i++)      /* pos[i] >= i: the drawn move forward */
        run[i] = run[pos[i]];
    free(pos);
    return XC_OK;
}

static int add_stratum(xc_sample *s, const xc_frame_hh *hh, size_t population)
{
    xc_stratum *v = realloc(s->strata, (s->n_strata + 1) * sizeof *v);
    if (!v)
        return XC_ENOMEM;
    s->strata = v;
    xc_stratum *st = &v[s->n_strata++];
    memset(st, 0, sizeof *st);
    xc_stratum_code(hh->region_code, hh->exited, hh->flagged, st->code, sizeof st->code);
    st->region_code = hh->region_code;
    st->region_name = hh->region_name;
    st->exited = hh->exited;
    st->flagged = hh->flagged;
    st->population = population;
    st->size = xc_sample_size_for(population, &s->opts);
    return XC_OK;
}

int xc_sample_draw(const xc_frame *f, const xc_sample_opts *o, xc_sample *ret, xc_err *err)
{
    memset(ret, 0, sizeof *ret);
    ret->opts = *o;
    frame_ref *refs = malloc((f->n ? f->n : 1) * sizeof *refs);
    ret->picked = malloc((f->n ? f->n : 1) * sizeof *ret->picked);
    ret->picked_stratum = malloc((f->n ? f->n : 1) * sizeof *ret->picked_stratum);
    if (!refs || !ret->picked || !ret->picked_stratum) {
        free(refs);
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < f->n; i++)
        refs[i] = (frame_ref){&f->v[i], (uint32_t)i};
    qsort(refs, f->n, sizeof *refs, cmp_canonical);
    int rc = XC_OK;
    for (size_t a = 0, b; a < f->n && rc >= 0; a = b) {
        for (b = a + 1; b < f->n && same_stratum(refs[a].hh, refs[b].hh); b++)
            ;
        if ((rc = add_stratum(ret, refs[a].hh, b - a)) < 0)
            break;
        const xc_stratum *st = &ret->strata[ret->n_strata - 1];
        if ((rc = draw_stratum(refs + a, b - a, st->size, o->seed, st->code)) < 0)
            break;
        for (size_t i = 0; i < st->size; i++) {
            ret->picked[ret->n_picked] = refs[a + i].i;
            ret->picked_stratum[ret->n_picked++] = (uint32_t)(ret->n_strata - 1);
        }
    }
    free(refs);
    return rc < 0 ? xc_err_set(err, XC_ENOMEM, "out of memory") : XC_OK;
}

void xc_sample_free(xc_sample *s)
{
    free(s->strata);
    free(s->picked);
    free(s->picked_stratum);
    memset(s, 0, sizeof *s);
}

/* ---- writing ----------------------------------------------------------------- */

static const char *const sample_cols[] = {
    XC_COL_STRATUM, XC_COL_POPULATION, XC_COL_SIZE, XC_COL_REGION_CODE, XC_COL_REGION,
    XC_COL_GROUP, XC_COL_FLAGGED, XC_COL_ARCHIVE_NO, XC_COL_WORKER, XC_COL_MASKED_ID,
    XC_COL_RULES, XC_COL_SUMMARIES, XC_COL_OTHERS, XC_COL_OUTCOME, XC_COL_DATE,
    XC_COL_INSPECTOR, XC_COL_REMARKS, XC_COL_RULE_OUTCOMES,
};
enum { N_SAMPLE_COLS = sizeof sample_cols / sizeof sample_cols[0], COL_OUTCOME = 13,
       COL_DATE = 14 };

/* The texts of a drawn household's row, the outcome columns empty. */
static void sample_row(const xc_frame *f, const xc_sample *s, size_t k,
                       const char *out[N_SAMPLE_COLS], char pop[24], char size[24])
{
    const xc_frame_hh *hh = &f->v[s->picked[k]];
    const xc_stratum *st = &s->strata[s->picked_stratum[k]];
    snprintf(pop, 24, "%zu", st->population);
    snprintf(size, 24, "%zu", st->size);
    const char *row[N_SAMPLE_COLS] = {
        st->code, pop, size, hh->region_code, hh->region_name,
        hh->exited ? XC_GROUP_EXITED_ZH : XC_GROUP_ARCHIVE_ZH,
        hh->flagged ? XC_FLAGGED_ZH : XC_UNFLAGGED_ZH, hh->archive_no, hh->worker_name,
        hh->masked_id, hh->rules, hh->summaries, hh->others, "", "", "", "", "",
    };
    memcpy(out, row, sizeof row);
}

static const char *const strata_cols[] = {
    XC_COL_STRATUM, XC_COL_REGION_CODE, XC_COL_REGION, XC_COL_GROUP, XC_COL_FLAGGED,
    XC_COL_POPULATION, XC_COL_SIZE, "抽样比", "随机种子", "抽样方法", "数据日期", "运行目录",
};
enum { N_STRATA_COLS = sizeof strata_cols / sizeof strata_cols[0] };

static void method_text(const xc_sample_opts *o, char *buf, size_t bufsz)
{
    if (o->size > 0)
        snprintf(buf, bufsz, "分层随机抽样：每层 %zu 户（不足则全取）", o->size);
    else
        snprintf(buf, bufsz, "分层随机抽样：每层 %g%%，至少 %zu 户（不足则全取）",
                 100.0 * o->share, o->min);
}

static void strata_row(const xc_frame *f, const xc_sample *s, size_t i, const char *rundir,
                       const char *out[N_STRATA_COLS], char bufs[6][256])
{
    const xc_stratum *st = &s->strata[i];
    snprintf(bufs[0], 256, "%zu", st->population);
    snprintf(bufs[1], 256, "%zu", st->size);
    snprintf(bufs[2], 256, "%.4f", (double)st->size / (double)st->population);
    snprintf(bufs[3], 256, "%llu", (unsigned long long)s->opts.seed);
    method_text(&s->opts, bufs[4], 256);
    xc_date_format(f->as_of, bufs[5]);
    const char *row[N_STRATA_COLS] = {
        st->code, st->region_code, st->region_name,
        st->exited ? XC_GROUP_EXITED_ZH : XC_GROUP_ARCHIVE_ZH,
        st->flagged ? XC_FLAGGED_ZH : XC_UNFLAGGED_ZH, bufs[0], bufs[1], bufs[2], bufs[3],
        bufs[4], bufs[5], rundir,
    };
    memcpy(out, row, sizeof row);
}

static int open_csv(xc_output *out, const char *dir, const char *name, xc_err *err)
{
    int rc = xc_output_open(out, dir, name, err);
    if (rc >= 0)
        fputs(XC_CSV_BOM, out->f);
    return rc;
}

/* Writes one row; false when a cell could not be made for want of memory. */
static bool csv_row(FILE *f, const char *const *cells, int n)
{
    bool ok = true;
    for (int i = 0; i < n; i++)
        ok &= xc_csv_put(f, cells[i], i == n - 1) == XC_OK;
    return ok;
}

/* Finishes o, unless a row of it was cut short (csv_row()). */
static int finish_csv(xc_output *o, bool ok, xc_err *err)
{
    if (!ok) {
        xc_err_set(err, XC_ENOMEM, "out of memory writing %s", o->path);
        xc_output_abort(o);
        return XC_ENOMEM;
    }
    return xc_output_finish(o, err);
}

/* Writes sample.csv into *out and sample-strata.csv into *strata, both
 * finished (xc_output_finish()), not renamed yet. */
static int write_csvs(const xc_frame *fr, const xc_sample *s, const char *rundir,
                      const char *dir, xc_output *out, xc_output *strata, xc_err *err)
{
    int rc = open_csv(out, dir, "sample.csv", err);
    if (rc < 0)
        return rc;
    bool ok = csv_row(out->f, sample_cols, N_SAMPLE_COLS);
    for (size_t k = 0; k < s->n_picked; k++) {
        const char *row[N_SAMPLE_COLS];
        char pop[24], size[24];
        sample_row(fr, s, k, row, pop, size);
        ok &= csv_row(out->f, row, N_SAMPLE_COLS);
    }
    if ((rc = finish_csv(out, ok, err)) < 0 ||
        (rc = open_csv(strata, dir, "sample-strata.csv", err)) < 0)
        return rc;
    ok = csv_row(strata->f, strata_cols, N_STRATA_COLS);
    for (size_t i = 0; i < s->n_strata; i++) {
        const char *row[N_STRATA_COLS];
        char bufs[6][256];
        strata_row(fr, s, i, rundir, row, bufs);
        ok &= csv_row(strata->f, row, N_STRATA_COLS);
    }
    return finish_csv(strata, ok, err);
}

static void xlsx_sample_sheet(xc_xw *x, const xc_frame *fr, const xc_sample *s)
{
    static const double widths[N_SAMPLE_COLS] = {24, 9, 9, 10, 26, 8, 9, 16, 10, 21, 22, 80,
                                                 40, 10, 12, 10, 30, 34};
    xc_xw_col cols[N_SAMPLE_COLS];
    for (int i = 0; i < N_SAMPLE_COLS; i++)
        cols[i] = (xc_xw_col){sample_cols[i], widths[i]};
    lxw_worksheet *ws = xc_xw_sheet(x, "样本");
    xc_xw_header(x, ws, 0, cols, N_SAMPLE_COLS);
    uint32_t row = 0;
    for (size_t k = 0; k < s->n_picked && row < LXW_ROW_MAX - 1; k++) {
        const char *cells[N_SAMPLE_COLS];
        char pop[24], size[24];
        sample_row(fr, s, k, cells, pop, size);
        row++;
        for (int i = 0; i < N_SAMPLE_COLS; i++)
            if (i == 1 || i == 2)
                xc_xw_num(x, ws, row, (uint16_t)i, strtod(cells[i], NULL), NULL);
            else
                xc_xw_str(x, ws, row, (uint16_t)i, cells[i], NULL);
    }
    static const char *const values[] = {XC_CONFIRMED_ZH, XC_NOT_CONFIRMED_ZH, NULL};
    if (ws && row > 0) {
        worksheet_set_column(ws, COL_DATE, COL_DATE, widths[COL_DATE], x->date);
        xc_xw_list(x, ws, 1, row, COL_OUTCOME, values, "核查结果",
                   "属实：入户核查发现该户确有问题（有疑点户即疑点属实）；"
                   "不属实：核查未发现问题");
    }
    xc_xw_filter(x, ws, 0, row, N_SAMPLE_COLS);
}

static void xlsx_strata_sheet(xc_xw *x, const xc_frame *fr, const xc_sample *s,
                              const char *rundir)
{
    static const double widths[N_STRATA_COLS] = {24, 10, 26, 8, 9, 9, 9, 8, 12, 40, 12, 30};
    xc_xw_col cols[N_STRATA_COLS];
    for (int i = 0; i < N_STRATA_COLS; i++)
        cols[i] = (xc_xw_col){strata_cols[i], widths[i]};
    lxw_worksheet *ws = xc_xw_sheet(x, "分层");
    xc_xw_header(x, ws, 0, cols, N_STRATA_COLS);
    uint32_t row = 0;
    for (size_t i = 0; i < s->n_strata; i++) {
        const char *cells[N_STRATA_COLS];
        char bufs[6][256];
        strata_row(fr, s, i, rundir, cells, bufs);
        row++;
        for (int c = 0; c < N_STRATA_COLS; c++)
            if (c >= 5 && c <= 6)
                xc_xw_num(x, ws, row, (uint16_t)c, strtod(cells[c], NULL), NULL);
            else if (c == 7)
                xc_xw_num(x, ws, row, (uint16_t)c, strtod(cells[c], NULL), x->pct);
            else
                xc_xw_str(x, ws, row, (uint16_t)c, cells[c], NULL);
    }
    xc_xw_filter(x, ws, 0, row, N_STRATA_COLS);
}

int xc_sample_write(const xc_frame *f, const xc_sample *s, const char *rundir,
                    const char *dir, xc_err *err)
{
    /* The three files are complete before the first is renamed: a sample
     * that fails (a full disk) leaves the previous one whole, never its
     * sample.csv beside another draw's sample.xlsx. They go into the run's
     * directory, beside the run's outputs, so they cannot be put in place
     * as a directory of their own. */
    xc_output csv = {0}, strata = {0};
    xc_xw x = {0};
    int rc = xc_output_dir(dir, XC_OUTDIR_PRIVATE, err);
    if (rc >= 0 && (rc = write_csvs(f, s, rundir, dir, &csv, &strata, err)) >= 0 &&
        (rc = xc_xw_open(&x, dir, "sample.xlsx", f->as_of, "入户核查样本", false, err)) >= 0) {
        xlsx_sample_sheet(&x, f, s);
        xlsx_strata_sheet(&x, f, s, rundir);
        rc = xc_xw_finish(&x, err);
    }
    if (rc >= 0 && (rc = xc_output_commit(&csv, err)) >= 0 &&
        (rc = xc_output_commit(&strata, err)) >= 0)
        rc = xc_output_commit(&x.out, err);
    xc_output_abort(&csv);
    xc_output_abort(&strata);
    xc_output_abort(&x.out);
    return rc;
}
