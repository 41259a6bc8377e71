/* test_sample.c - field-verification samples and estimates: the generator,
 * stratification and sizes, determinism, independence from input order,
 * Wilson intervals and the stratified estimate against values computed
 * apart, and reading filled-in samples (CSV in several encodings, xlsx). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "xcheck/sample.h"
#include "field/table.h"
#include "xcheck/verify.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/xcheck-sample-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *path_in(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static void write_file(const char *name, const void *data, size_t len)
{
    FILE *f = fopen(path_in(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void write_text(const char *name, const char *text)
{
    write_file(name, text, strlen(text));
}

/* ---- the generator ------------------------------------------------------------ */

/* Reference outputs published with the algorithms (splitmix64.c, seed
 * 1234567; xoshiro256starstar.c from the state {1, 2, 3, 4}). */
static void test_rng_matches_the_reference_outputs(void **state)
{
    (void)state;
    uint64_t s = 1234567;
    assert_true(xc_splitmix64(&s) == 6457827717110365317u);
    assert_true(xc_splitmix64(&s) == 3203168211198807973u);
    assert_true(xc_splitmix64(&s) == 9817491932198370423u);
    xc_rng r = {{1, 2, 3, 4}};
    assert_true(xc_rng_next(&r) == 11520u);
    assert_true(xc_rng_next(&r) == 0u);
    assert_true(xc_rng_next(&r) == 1509978240u);
    assert_true(xc_rng_next(&r) == 1215971899390074240u);
}

static void test_rng_below_stays_under_its_bound_and_reaches_every_value(void **state)
{
    (void)state;
    xc_rng r;
    xc_rng_seed(&r, 42);
    int seen[7] = {0};
    for (int i = 0; i < 7000; i++) {
        uint64_t x = xc_rng_below(&r, 7);
        assert_true(x < 7);
        seen[x]++;
    }
    for (int k = 0; k < 7; k++)         /* 1000 expected, sd about 29 */
        assert_in_range(seen[k], 880, 1120);
    assert_true(xc_rng_below(&r, 1) == 0);
}

/* ---- sizes and strata ---------------------------------------------------------- */

static void test_sample_size_fixed_proportional_and_whole(void **state)
{
    (void)state;
    xc_sample_opts fixed = {.size = 5};
    assert_int_equal(xc_sample_size_for(100, &fixed), 5);
    assert_int_equal(xc_sample_size_for(3, &fixed), 3);      /* smaller: taken whole */
    xc_sample_opts share = {.share = 0.05, .min = 5};
    assert_int_equal(xc_sample_size_for(1000, &share), 50);
    assert_int_equal(xc_sample_size_for(101, &share), 6);    /* 5.05 rounded up */
    assert_int_equal(xc_sample_size_for(40, &share), 5);     /* the minimum */
    assert_int_equal(xc_sample_size_for(4, &share), 4);      /* smaller than the minimum */
    xc_sample_opts seven = {.share = 0.07};
    assert_int_equal(xc_sample_size_for(100, &seven), 7);    /* 0.07 * 100 is not 8 */
    xc_sample_opts tenth = {.share = 0.1};
    assert_int_equal(xc_sample_size_for(1, &tenth), 1);
    xc_sample_opts all = {.share = 1};
    assert_int_equal(xc_sample_size_for(37, &all), 37);
}

typedef struct spec {
    const char *county;
    bool exited, flagged;
    int n;
} spec;

/* A frame of households "C-G-F-nnnn" per spec, in spec order. */
static void make_frame(xc_frame *f, const spec *specs, size_t n_specs)
{
    memset(f, 0, sizeof *f);
    f->as_of = xc_date_from_ymd(2026, 6, 30);
    for (size_t s = 0; s < n_specs; s++)
        for (int i = 0; i < specs[s].n; i++) {
            char no[64];
            snprintf(no, sizeof no, "%s-%c%c-%04d", specs[s].county,
                     specs[s].exited ? 'E' : 'A', specs[s].flagged ? 'F' : 'U', i);
            xc_frame_hh hh = {.archive_no = no, .region_code = specs[s].county,
                              .region_name = "某县", .worker_name = "张三",
                              .masked_id = "530102********0133",
                              .rules = specs[s].flagged ? "HK-MOVED" : "",
                              .exited = specs[s].exited, .flagged = specs[s].flagged};
            assert_int_equal(xc_frame_add(f, &hh), XC_OK);
        }
}

static const spec SPECS[] = {
    {"530302", false, true, 20}, {"530102", false, false, 30}, {"530102", true, true, 3},
    {"530102", false, true, 12}, {"530102", true, false, 9},  {"530302", false, false, 1},
};
enum { N_SPECS = sizeof SPECS / sizeof SPECS[0] };

static void test_sample_strata_are_county_group_and_flag(void **state)
{
    (void)state;
    xc_frame f;
    make_frame(&f, SPECS, N_SPECS);
    xc_sample s;
    xc_sample_opts o = {.seed = 1, .size = 4};
    assert_int_equal(xc_sample_draw(&f, &o, &s, NULL), XC_OK);
    /* county, in the archive before exited, flagged first */
    static const struct { const char *code; size_t n, size; } want[] = {
        {"530102-在档-有疑点", 12, 4}, {"530102-在档-无疑点", 30, 4},
        {"530102-已退档-有疑点", 3, 3}, {"530102-已退档-无疑点", 9, 4},
        {"530302-在档-有疑点", 20, 4}, {"530302-在档-无疑点", 1, 1},
    };
    assert_int_equal(s.n_strata, 6);
    size_t total = 0;
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(s.strata[i].code, want[i].code);
        assert_int_equal(s.strata[i].population, want[i].n);
        assert_int_equal(s.strata[i].size, want[i].size);
        total += want[i].size;
    }
    assert_int_equal(s.n_picked, total);
    /* every drawn household is in its stratum, once, in archive order */
    for (size_t k = 0; k < s.n_picked; k++) {
        const xc_frame_hh *hh = &f.v[s.picked[k]];
        const xc_stratum *st = &s.strata[s.picked_stratum[k]];
        char code[64];
        xc_stratum_code(hh->region_code, hh->exited, hh->flagged, code, sizeof code);
        assert_string_equal(code, st->code);
        if (k > 0 && s.picked_stratum[k] == s.picked_stratum[k - 1])
            assert_true(strcmp(f.v[s.picked[k - 1]].archive_no, hh->archive_no) < 0);
    }
    xc_sample_free(&s);
    xc_frame_free(&f);
}

static void test_sample_proportional_with_minimum(void **state)
{
    (void)state;
    xc_frame f;
    make_frame(&f, SPECS, N_SPECS);
    xc_sample s;
    xc_sample_opts o = {.seed = 9, .share = 0.25, .min = 4};
    assert_int_equal(xc_sample_draw(&f, &o, &s, NULL), XC_OK);
    /* 12 -> 4 (3 by share, raised to the minimum), 30 -> 8, 3 -> 3, 9 -> 4,
     * 20 -> 5, 1 -> 1 */
    static const size_t want[] = {4, 8, 3, 4, 5, 1};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(s.strata[i].size, want[i]);
    assert_int_equal(s.n_picked, 25);
    xc_sample_free(&s);
    xc_frame_free(&f);
}

/* The archive numbers drawn, joined. */
static char *drawn(const xc_frame *f, uint64_t seed, size_t size)
{
    xc_sample s;
    xc_sample_opts o = {.seed = seed, .size = size};
    assert_int_equal(xc_sample_draw(f, &o, &s, NULL), XC_OK);
    xc_buf b = {0};
    for (size_t k = 0; k < s.n_picked; k++)
        xc_buf_printf(&b, "%s;", f->v[s.picked[k]].archive_no);
    xc_sample_free(&s);
    char *text = xc_buf_take(&b);
    assert_non_null(text);
    return text;
}

static void test_sample_same_seed_same_sample_other_seed_other_sample(void **state)
{
    (void)state;
    xc_frame f;
    make_frame(&f, SPECS, N_SPECS);
    char *a = drawn(&f, 20260701, 4), *b = drawn(&f, 20260701, 4), *c = drawn(&f, 20260702, 4);
    assert_string_equal(a, b);
    /* the same draw in 5 strata of 9 to 30 by chance: below 1 in 10^7 */
    assert_string_not_equal(a, c);
    free(a);
    free(b);
    free(c);
    xc_frame_free(&f);
}

static void test_sample_does_not_depend_on_the_order_of_the_file(void **state)
{
    (void)state;
    xc_frame f, g;
    make_frame(&f, SPECS, N_SPECS);
    /* the same households, reversed and rotated */
    memset(&g, 0, sizeof g);
    for (size_t i = 0; i < f.n; i++)
        assert_int_equal(xc_frame_add(&g, &f.v[(f.n - 1 - i + 17) % f.n]), XC_OK);
    char *a = drawn(&f, 77, 5), *b = drawn(&g, 77, 5);
    assert_string_equal(a, b);
    free(a);
    free(b);
    xc_frame_free(&f);
    xc_frame_free(&g);
}

/* Over many seeds each household of a stratum is drawn about n/N of the
 * time: the shuffle favours none. */
static void test_sample_draws_every_household_alike(void **state)
{
    (void)state;
    static const spec one[] = {{"530102", false, true, 10}};
    xc_frame f;
    make_frame(&f, one, 1);
    int count[10] = {0};
    for (uint64_t seed = 0; seed < 3000; seed++) {
        xc_sample s;
        xc_sample_opts o = {.seed = seed, .size = 3};
        assert_int_equal(xc_sample_draw(&f, &o, &s, NULL), XC_OK);
        assert_int_equal(s.n_picked, 3);
        for (size_t k = 0; k < 3; k++)
            count[s.picked[k]]++;
        xc_sample_free(&s);
    }
    for (int i = 0; i < 10; i++)       /* 900 expected, sd about 25 */
        assert_in_range(count[i], 800, 1000);
    xc_frame_free(&f);
}

/* ---- Wilson and the stratified estimate ---------------------------------------- */

/* Expected values: the closed form evaluated apart (Python, z = 1.959964),
 * and for 81 of 263 also Newcombe (1998), Table I: 0.2553 to 0.3662. */
static void test_wilson_interval_known_values(void **state)
{
    (void)state;
    static const struct { double x, n, lo, hi; } cases[] = {
        {0, 10, 0.000000, 0.277533},
        {5, 10, 0.236593, 0.763407},
        {10, 10, 0.722467, 1.000000},
        {81, 263, 0.255289, 0.366210},
        {1, 29, 0.006113, 0.171755},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double lo, hi;
        xc_wilson(cases[i].x / cases[i].n, cases[i].n, XC_Z95, &lo, &hi);
        assert_true(fabs(lo - cases[i].lo) < 1e-6);
        assert_true(fabs(hi - cases[i].hi) < 1e-6);
    }
    double lo, hi;
    xc_wilson(0.3, INFINITY, XC_Z95, &lo, &hi);
    assert_true(lo == 0.3 && hi == 0.3);
}

static void test_estimate_one_large_stratum_is_plain_wilson(void **state)
{
    (void)state;
    xc_stratum_count s = {1000000000, 263, 81};
    xc_estimate e;
    xc_estimate_strata(&s, 1, &e);
    assert_true(e.estimated);
    assert_true(fabs(e.p - 81.0 / 263) < 1e-12);
    assert_true(fabs(e.lo - 0.255289) < 1e-5 && fabs(e.hi - 0.366210) < 1e-5);
    assert_true(fabs(e.projected - 1e9 * 81.0 / 263) < 1e-3);
}

/* Two strata: N 100 and 300, 5 of 10 and 2 of 20 confirmed. By hand:
 * p = 0.25 * 0.5 + 0.75 * 0.1 = 0.2;
 * v = 0.0625 * 0.9 * 0.25 / 10 + 0.5625 * (1 - 20/300) * 0.09 / 20 = 0.00376875;
 * n_eff = 0.16 / v = 42.454395; Wilson(0.2, 42.454395) = [0.107012, 0.342774];
 * projected 80 of 400, [42.805, 137.109]. */
static void test_estimate_two_strata_by_hand(void **state)
{
    (void)state;
    xc_stratum_count s[] = {{100, 10, 5}, {300, 20, 2}};
    xc_estimate e;
    xc_estimate_strata(s, 2, &e);
    assert_int_equal(e.population, 400);
    assert_int_equal(e.covered, 400);
    assert_int_equal(e.verified, 30);
    assert_int_equal(e.confirmed, 7);
    assert_true(fabs(e.p - 0.2) < 1e-12);
    assert_true(fabs(e.n_eff - 42.454395) < 1e-5);
    assert_true(fabs(e.lo - 0.107012) < 1e-6 && fabs(e.hi - 0.342774) < 1e-6);
    assert_true(fabs(e.projected - 80) < 1e-9);
    assert_true(fabs(e.projected_lo - 42.805) < 1e-3 && fabs(e.projected_hi - 137.109) < 1e-3);
}

/* All outcomes agree (variance 0): Kish's effective size. N 50 and 20, 10
 * and 5 verified, none confirmed: 1 / (W1^2 (1 - 0.2) / 10 + W2^2 (1 - 0.25)
 * / 5) = 18.846154, Wilson(0, 18.846154) = [0, 0.169320]. */
static void test_estimate_agreeing_outcomes_use_kish_size(void **state)
{
    (void)state;
    xc_stratum_count s[] = {{50, 10, 0}, {20, 5, 0}};
    xc_estimate e;
    xc_estimate_strata(s, 2, &e);
    assert_true(e.p == 0);
    assert_true(fabs(e.n_eff - 18.846154) < 1e-5);
    assert_true(e.lo == 0 && fabs(e.hi - 0.169320) < 1e-6);
}

static void test_estimate_census_is_exact_and_empty_strata_left_out(void **state)
{
    (void)state;
    xc_stratum_count whole[] = {{4, 4, 1}, {6, 6, 3}};
    xc_estimate e;
    xc_estimate_strata(whole, 2, &e);
    assert_true(isinf(e.n_eff));
    assert_true(fabs(e.p - 0.4) < 1e-12 && e.lo == e.p && e.hi == e.p);
    assert_true(fabs(e.projected - 4) < 1e-12);
    xc_stratum_count partly[] = {{4, 4, 1}, {6, 0, 0}};
    xc_estimate_strata(partly, 2, &e);
    assert_int_equal(e.population, 10);
    assert_int_equal(e.covered, 4);
    assert_true(fabs(e.p - 0.25) < 1e-12 && fabs(e.projected - 1) < 1e-12);
    xc_stratum_count none[] = {{6, 0, 0}};
    xc_estimate_strata(none, 1, &e);
    assert_false(e.estimated);
    assert_true(isnan(e.p));
}

/* ---- reading filled-in samples --------------------------------------------------- */

#define HEAD "层,层总户数,层样本数,区县代码,地区,类别,有无疑点,档案编号,职工姓名," \
             "身份证号（脱敏）,疑点规则,疑点摘要,核查结果,核查日期,核查人,备注\n"
#define ROW(st, n, size, grp, flag, no, rules, outcome, date) \
    st "," #n "," #size ",530102,云南省昆明市五华区," grp "," flag "," no ",张三," \
    "530102********0133," rules ",\"摘要, 带逗号\"," outcome "," date ",李四,\n"
#define SA "530102-在档-有疑点"
#define SU "530102-在档-无疑点"

static const char *FILLED =
    HEAD
    ROW(SA, 40, 4, "在档", "有疑点", "A1", "VH-CAR;BZ-ROLE", "属实", "2026-07-01")
    ROW(SA, 40, 4, "在档", "有疑点", "A2", "VH-CAR", "不属实", "2026/7/2")
    ROW(SA, 40, 4, "在档", "有疑点", "A3", "BZ-ROLE", "属实", "")
    ROW(SA, 40, 4, "在档", "有疑点", "A4", "HK-MOVED", "", "")
    ROW(SU, 100, 5, "在档", "无疑点", "U1", "", "不属实", "2026年7月3日")
    ROW(SU, 100, 5, "在档", "无疑点", "U2", "", "属实", "")
    ROW(SU, 100, 5, "在档", "无疑点", "U3", "", " 不属实 ", "");

static void check_filled(const xc_verify *v)
{
    assert_int_equal(v->n_strata, 2);
    const xc_vstratum *a = &v->strata[0], *u = &v->strata[1];
    assert_string_equal(a->code, SA);
    assert_int_equal(a->rows, 4);
    assert_int_equal(a->confirmed, 2);
    assert_int_equal(a->not_confirmed, 1);
    assert_int_equal(a->unverified, 1);
    assert_int_equal(u->rows, 3);                /* two rows of the 5 missing */
    assert_int_equal(v->missing, 2);
    assert_int_equal(v->unverified, 1);
    assert_int_equal(v->verified, 6);
    assert_int_equal(v->confirmed, 3);
    /* flagged: 2 of 3 in a stratum of 40: n_eff = 3 / (1 - 3/40) */
    const xc_estimate *fl = &v->groups[XC_VG_FLAGGED];
    assert_true(fabs(fl->p - 2.0 / 3) < 1e-12);
    assert_true(fabs(fl->n_eff - 3 / (1 - 3.0 / 40)) < 1e-9);
    /* all: (40 * 2/3 + 100 * 1/3) / 140 */
    assert_true(fabs(v->groups[XC_VG_ALL].p - (40 * 2.0 / 3 + 100 / 3.0) / 140) < 1e-12);
    /* per rule: VH-CAR 1 of 2, BZ-ROLE 2 of 2, HK-MOVED none verified */
    assert_int_equal(v->n_rules, 3);
    assert_string_equal(v->rules[0].id, "BZ-ROLE");
    assert_int_equal(v->rules[0].confirmed, 2);
    assert_string_equal(v->rules[1].id, "HK-MOVED");
    assert_int_equal(v->rules[1].verified, 0);
    assert_true(isnan(v->rules[1].p));
    assert_string_equal(v->rules[2].id, "VH-CAR");
    assert_int_equal(v->rules[2].verified, 2);
    assert_true(fabs(v->rules[2].p - 0.5) < 1e-12);
}

static void test_verify_reads_outcomes_from_csv(void **state)
{
    (void)state;
    write_text("filled.csv", FILLED);
    xc_verify v;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_verify_load(path_in("filled.csv"), &v, &err), XC_OK);
    check_filled(&v);
    xc_verify_free(&v);
}

/* As Excel saves "CSV" on a Chinese system: GB18030, CRLF line ends. */
static void test_verify_reads_gb18030_with_crlf(void **state)
{
    (void)state;
    xc_buf crlf = {0};
    for (const char *s = FILLED; *s; s++)
        xc_buf_append(&crlf, *s == '\n' ? "\r\n" : s, *s == '\n' ? 2 : 1);
    char *utf8 = xc_buf_take(&crlf);
    write_text("utf8.csv", utf8);
    free(utf8);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "iconv -f UTF-8 -t GB18030 '%s/utf8.csv' > '%s/gb.csv'", dir, dir);
    assert_int_equal(system(cmd), 0);
    xc_verify v;
    assert_int_equal(xc_verify_load(path_in("gb.csv"), &v, NULL), XC_OK);
    assert_string_equal(v.encoding, "GB18030");
    check_filled(&v);
    xc_verify_free(&v);
}

/* FILLED with the first `from` on line `line` (1: the header) replaced by
 * `to`, written to name. */
static void write_changed(const char *name, int line, const char *from, const char *to)
{
    const char *start = FILLED;
    for (int i = 1; i < line; i++)
        start = strchr(start, '\n') + 1;
    const char *at = strstr(start, from);
    assert_non_null(at);
    assert_true(at < strchr(start, '\n'));
    xc_buf b = {0};
    xc_buf_append(&b, FILLED, (size_t)(at - FILLED));
    xc_buf_printf(&b, "%s%s", to, at + strlen(from));
    char *text = xc_buf_take(&b);
    write_text(name, text);
    free(text);
}

static void expect_error(const char *name, long line, const char *field, const char *text)
{
    xc_verify v;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_verify_load(path_in(name), &v, &err), XC_EINPUT);
    assert_string_equal(err.where, path_in(name));
    assert_int_equal(err.row, line);
    assert_string_equal(err.field, field);
    if (!strstr(err.msg, text))
        fail_msg("no \"%s\" in \"%s\"", text, err.msg);
    xc_verify_free(&v);
}

static void test_verify_malformed_values_name_file_line_and_column(void **state)
{
    (void)state;
    write_changed("outcome.csv", 3, "不属实", "是");
    expect_error("outcome.csv", 3, "核查结果", "\"是\" is neither 属实 nor 不属实");
    write_changed("date.csv", 2, "2026-07-01", "2026-02-30");
    expect_error("date.csv", 2, "核查日期", "\"2026-02-30\" is not a date");
    write_changed("size.csv", 4, SA ",40,4,", SA ",40,5,");
    expect_error("size.csv", 4, "层样本数", "differs from the stratum's first row (line 2)");
    write_changed("dup.csv", 8, ",U3,", ",U1,");
    expect_error("dup.csv", 8, "档案编号", "household U1 is also on line 6");
    write_changed("group.csv", 7, "在档,无疑点", "在库,无疑点");
    expect_error("group.csv", 7, "类别", "\"在库\" is neither 已退档 nor 在档");
}

/* 2026-12-01: every row looked its stratum and its rules up by comparing
 * them with all strata and rules before it, and both arrays grew by one:
 * 200,000 rows in 20,000 strata took seconds, 100,000 strata nearly a
 * minute. The rows here come in an order that puts each stratum's first row
 * apart from the others; every stratum and rule must be counted exactly. */
enum { BIG_ROWS = 200000, BIG_STRATA = 20000 };

static void test_verify_counts_200000_rows_in_20000_strata(void **state)
{
    (void)state;
    xc_buf b = {0};
    xc_buf_append(&b, HEAD, strlen(HEAD));
    for (size_t k = 0; k < BIG_ROWS; k++) {
        /* row k: stratum k % 20000, the (k / 20000)th of its 10 rows */
        size_t h = k % BIG_STRATA, i = k / BIG_STRATA;
        const char *outcome = i < 3 ? "属实" : i < 8 ? "不属实" : "";
        xc_buf_printf(&b, "%zu-%s-有疑点,%zu,10,%zu,某县,%s,有疑点,H%zu-%zu,张三,x,"
                      "VH-CAR;R%zu;U%zu,摘要,%s,,李四,\n", 100000 + h,
                      h % 2 ? "已退档" : "在档", 20 + h % 7, 100000 + h,
                      h % 2 ? "已退档" : "在档", h, i, h % 1000, k, outcome);
    }
    char *text = xc_buf_take(&b);
    assert_non_null(text);
    write_text("big.csv", text);
    free(text);
    xc_verify v;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_verify_load(path_in("big.csv"), &v, &err), XC_OK);
    assert_int_equal(v.n_rows, BIG_ROWS);
    assert_int_equal(v.n_strata, BIG_STRATA);
    for (size_t h = 0; h < BIG_STRATA; h++) {
        const xc_vstratum *st = &v.strata[h];
        char code[64];
        snprintf(code, sizeof code, "%zu-%s-有疑点", 100000 + h, h % 2 ? "已退档" : "在档");
        assert_string_equal(st->code, code);       /* in the order of their first rows */
        assert_int_equal(st->line, (long)h + 2);
        assert_int_equal(st->population, 20 + h % 7);
        assert_int_equal(st->rows, 10);
        assert_int_equal(st->confirmed, 3);
        assert_int_equal(st->not_confirmed, 5);
        assert_int_equal(st->unverified, 2);
        assert_true(st->exited == (h % 2 == 1));
    }
    assert_int_equal(v.verified, 8 * BIG_STRATA);
    assert_int_equal(v.confirmed, 3 * BIG_STRATA);
    /* every stratum 3 of 8: so is every group */
    assert_true(fabs(v.groups[XC_VG_ALL].p - 3.0 / 8) < 1e-12);
    assert_true(fabs(v.groups[XC_VG_EXITED].p - 3.0 / 8) < 1e-12);
    /* VH-CAR on every row, R0..R999 on 200 rows each, U0..U199999 once */
    assert_int_equal(v.n_rules, 1 + 1000 + BIG_ROWS);
    size_t seen_r = 0, seen_u = 0;
    for (size_t i = 0; i < v.n_rules; i++) {
        const xc_vrule *r = &v.rules[i];
        if (i > 0)
            assert_true(strcmp(v.rules[i - 1].id, r->id) < 0);
        if (strcmp(r->id, "VH-CAR") == 0) {
            assert_int_equal(r->rows, BIG_ROWS);
            assert_int_equal(r->verified, 8 * BIG_STRATA);
            assert_int_equal(r->confirmed, 3 * BIG_STRATA);
        } else if (r->id[0] == 'R') {
            assert_int_equal(r->rows, 200);
            seen_r++;
        } else {
            assert_true(r->id[0] == 'U');
            assert_int_equal(r->rows, 1);
            seen_u++;
        }
    }
    assert_int_equal(seen_r, 1000);
    assert_int_equal(seen_u, BIG_ROWS);
    xc_verify_free(&v);
}

/* ---- xlsx ------------------------------------------------------------------------ */

/* A filled-in sample written by libxlsxwriter (shared strings, numbers,
 * a date as a day number). */
static void test_verify_reads_a_workbook_with_shared_strings(void **state)
{
    (void)state;
    lxw_workbook *wb = workbook_new(path_in("filled.xlsx"));
    lxw_worksheet *other = workbook_add_worksheet(wb, "说明");
    worksheet_write_string(other, 0, 0, "not the sample", NULL);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "样本");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    xc_table *t;
    write_text("src.csv", FILLED);
    assert_int_equal(xc_table_read_csv(path_in("src.csv"), &t, NULL), XC_OK);
    for (size_t c = 0; c < xc_table_cols(t); c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, xc_table_head(t, c), NULL);
    for (size_t r = 0; r < xc_table_rows(t); r++)
        for (size_t c = 0; c < xc_table_cols(t); c++) {
            const char *cell = xc_table_cell(t, r, (int)c);
            xc_date d;
            if (c == 1 || c == 2)
                worksheet_write_number(ws, (lxw_row_t)r + 1, (lxw_col_t)c, atof(cell), NULL);
            else if (c == 13 && *cell && xc_table_date(cell, &d) == 0) {
                int y, m, dd;
                xc_date_to_ymd(d, &y, &m, &dd);
                lxw_datetime dt = {y, m, dd, 0, 0, 0};
                worksheet_write_datetime(ws, (lxw_row_t)r + 1, (lxw_col_t)c, &dt, date);
            } else if (*cell)
                worksheet_write_string(ws, (lxw_row_t)r + 1, (lxw_col_t)c, cell, NULL);
        }
    xc_table_free(t);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    xc_verify v;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_verify_load(path_in("filled.xlsx"), &v, &err), XC_OK);
    assert_string_equal(v.encoding, "xlsx");
    check_filled(&v);
    xc_verify_free(&v);
}

static void zip_add(zipFile z, const char *name, const char *text)
{
    assert_int_equal(zipOpenNewFileInZip(z, name, NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED,
                                         Z_DEFAULT_COMPRESSION), ZIP_OK);
    assert_int_equal(zipWriteInFileInZip(z, text, (unsigned)strlen(text)), ZIP_OK);
    assert_int_equal(zipCloseFileInZip(z), ZIP_OK);
}

/* The shapes Excel itself writes: rich-text runs, phonetic runs, inline
 * strings, cells left out, a prefixed namespace, a relationship target
 * given from the root, a date as a day number. */
static void test_table_reads_the_xml_excel_writes(void **state)
{
    (void)state;
    zipFile z = zipOpen(path_in("excel.xlsx"), APPEND_STATUS_CREATE);
    assert_non_null(z);
    zip_add(z, "xl/workbook.xml",
            "<?xml version=\"1.0\"?><x:workbook xmlns:x=\"s\" xmlns:r=\"r\"><x:sheets>"
            "<x:sheet name=\"说明\" sheetId=\"1\" r:id=\"rId1\"/>"
            "<x:sheet name=\"样本\" sheetId=\"2\" r:id=\"rId2\"/></x:sheets></x:workbook>");
    zip_add(z, "xl/_rels/workbook.xml.rels",
            "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
            "<Relationship Id=\"rId2\" Target=\"/xl/worksheets/s2.xml\"/></Relationships>");
    zip_add(z, "xl/sharedStrings.xml",
            "<sst><si><t>档案编号</t></si><si><r><t>核查</t></r><r><rPr/><t>结果</t></r></si>"
            "<si><t>属实</t><rPh><t>ぞくじつ</t></rPh></si><si><t xml:space=\"preserve\"> A&amp;1 "
            "</t></si></sst>");
    zip_add(z, "xl/worksheets/sheet1.xml", "<worksheet><sheetData/></worksheet>");
    zip_add(z, "xl/worksheets/s2.xml",
            "<worksheet><sheetData>"
            "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>1</v></c>"
            "<c r=\"D1\" t=\"inlineStr\"><is><t>核查日期</t></is></c></row>"
            "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>3</v></c><c r=\"C3\" t=\"s\"><v>2</v></c>"
            "<c r=\"D3\" s=\"1\"><v>46204</v></c></row>"
            "<row r=\"4\"><c r=\"F4\"><v>7</v></c></row>"
            "</sheetData></worksheet>");
    assert_int_equal(zipClose(z, NULL), ZIP_OK);
    xc_table *t;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_table_read(path_in("excel.xlsx"), "样本", &t, &err), XC_OK);
    assert_int_equal(xc_table_cols(t), 4);
    assert_int_equal(xc_table_col(t, "档案编号"), 0);
    assert_int_equal(xc_table_col(t, "核查结果"), 2);
    assert_int_equal(xc_table_col(t, "核查日期"), 3);
    assert_int_equal(xc_table_rows(t), 1);      /* row 4 has nothing under a header */
    assert_int_equal(xc_table_line(t, 0), 3);
    assert_string_equal(xc_table_cell(t, 0, 0), "A&1");
    assert_string_equal(xc_table_cell(t, 0, 1), "");
    assert_string_equal(xc_table_cell(t, 0, 2), "属实");
    xc_date d;
    assert_int_equal(xc_table_date(xc_table_cell(t, 0, 3), &d), 0);
    assert_int_equal(d, xc_date_from_ymd(2026, 7, 1));     /* Excel's day 46204 */
    xc_table_free(t);
}

static void test_table_damaged_workbook_is_an_input_error(void **state)
{
    (void)state;
    write_file("broken.xlsx", "PK\x03\x04garbage", 11);
    xc_table *t;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_table_read(path_in("broken.xlsx"), NULL, &t, &err), XC_EINPUT);
    assert_string_equal(err.where, path_in("broken.xlsx"));
    write_file("quote.csv", "a,b\n\"x,y\n", 9);
    xc_err_clear(&err);
    assert_int_equal(xc_table_read(path_in("quote.csv"), NULL, &t, &err), XC_EINPUT);
    assert_int_equal(err.row, 2);
    assert_non_null(strstr(err.msg, "unterminated quote"));
}

/* ---- hostile tables ------------------------------------------------------------- */

/* Reading name must fail with XC_EINPUT, naming the file and line (0: none)
 * and saying text. */
static void expect_refused(const char *name, long line, const char *text)
{
    xc_table *t = NULL;
    xc_err err;
    xc_err_clear(&err);
    int rc = xc_table_read(path_in(name), "样本", &t, &err);
    if (rc != XC_EINPUT)
        fail_msg("%s: %d, not XC_EINPUT", name, rc);
    assert_null(t);
    assert_string_equal(err.where, path_in(name));
    assert_int_equal(err.row, line);
    if (!strstr(err.msg, text))
        fail_msg("no \"%s\" in \"%s\"", text, err.msg);
    if (!strstr(err.msg, path_in(name)))
        fail_msg("the file is not named in \"%s\"", err.msg);
}

/* n copies of the text s, then tail, into b. */
static void repeat(xc_buf *b, const char *s, size_t n, const char *tail)
{
    for (size_t i = 0; i < n; i++)
        xc_buf_append(b, s, strlen(s));
    xc_buf_append(b, tail, strlen(tail));
}

static void write_buf(const char *name, xc_buf *b)
{
    assert_false(b->failed);
    write_file(name, b->p, b->len);
    xc_buf_free(b);
}

/* 2026-12-01: every row was stored as wide as the header, so a header 16384
 * columns wide made each row of one cell cost 128 KiB: a CSV file of 200 KB
 * took gigabytes. Rows times header columns are now bounded. */
static void test_csv_wide_header_does_not_make_every_row_cost_its_width(void **state)
{
    (void)state;
    xc_buf b = {0};
    repeat(&b, "h,", XC_TABLE_MAX_COLS - 1, "h\n");
    repeat(&b, "x\n", XC_TABLE_MAX_CELLS / XC_TABLE_MAX_COLS, "");
    write_buf("wide-ok.csv", &b);
    xc_table *t;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_table_read(path_in("wide-ok.csv"), NULL, &t, &err), XC_OK);
    assert_int_equal(xc_table_cols(t), XC_TABLE_MAX_COLS);
    assert_int_equal(xc_table_rows(t), 1024);
    xc_table_free(t);
    repeat(&b, "h,", XC_TABLE_MAX_COLS - 1, "h\n");
    repeat(&b, "x\n", 50000, "");
    write_buf("wide.csv", &b);
    expect_refused("wide.csv", 1026, "more than 16777216 cells (1024 rows of 16384 columns)");
}

static void test_csv_columns_cells_and_rows_past_their_limits_are_refused(void **state)
{
    (void)state;
    xc_buf b = {0};
    /* a header of 16385 columns; a data row of 20000 fields */
    repeat(&b, "h,", XC_TABLE_MAX_COLS, "h\n");
    write_buf("cols.csv", &b);
    expect_refused("cols.csv", 1, "more than 16384 columns");
    xc_buf_append(&b, "a,b\nx,y\n", 8);
    repeat(&b, ",", 20000, "z\n");
    write_buf("fields.csv", &b);
    expect_refused("fields.csv", 3, "more than 16384 columns");
    /* 32767 characters are a cell (here three bytes each), 32768 are not */
    xc_buf_append(&b, "a,b\nx,", 6);
    repeat(&b, "核", XC_TABLE_MAX_CELL, "\n");
    write_buf("cell-ok.csv", &b);
    xc_table *t;
    assert_int_equal(xc_table_read(path_in("cell-ok.csv"), NULL, &t, NULL), XC_OK);
    assert_int_equal(strlen(xc_table_cell(t, 0, 1)), 3 * XC_TABLE_MAX_CELL);
    xc_table_free(t);
    xc_buf_append(&b, "a,b\nx,y\nx,\"", 11);
    repeat(&b, "x", XC_TABLE_MAX_CELL + 1, "\"\n");
    write_buf("cell.csv", &b);
    expect_refused("cell.csv", 3, "column 2 holds more than 32767 characters");
    /* a line of 5 MB without a delimiter: refused, not copied whole */
    xc_buf_append(&b, "a,b\n", 4);
    repeat(&b, "0123456789", 500000, "\n");
    write_buf("line.csv", &b);
    expect_refused("line.csv", 2, "column 1 holds more than 32767 characters");
    /* a quote never closed takes the rest of the file: the same */
    xc_buf_append(&b, "a,b\n\"x,y\n", 9);
    repeat(&b, "1,2\n", 100000, "");
    write_buf("open-quote.csv", &b);
    expect_refused("open-quote.csv", 2, "column 1 holds more than 32767 characters");
    xc_err err;
    xc_table *none = NULL;
    assert_int_equal(xc_table_read(path_in("open-quote.csv"), NULL, &none, &err), XC_EINPUT);
    assert_non_null(strstr(err.detail, "a quote opened and never closed"));
    assert_int_equal(xc_table_read(path_in("line.csv"), NULL, &none, &err), XC_EINPUT);
    assert_string_equal(err.detail, "");
    /* 40 cells of 30000 characters: more than 1 MiB in one row */
    xc_buf_append(&b, "a\n", 2);
    for (int i = 0; i < 40; i++)
        repeat(&b, "y", 30000, i < 39 ? "," : "\n");
    write_buf("row.csv", &b);
    expect_refused("row.csv", 2, "more than 1 MiB of text in one row");
    /* rows: Excel's 1048576, the header's included */
    repeat(&b, "x\n", XC_TABLE_MAX_ROWS, "");
    write_buf("rows-ok.csv", &b);
    assert_int_equal(xc_table_read(path_in("rows-ok.csv"), NULL, &t, NULL), XC_OK);
    assert_int_equal(xc_table_rows(t), XC_TABLE_MAX_ROWS - 1);
    xc_table_free(t);
    repeat(&b, "x\n", XC_TABLE_MAX_ROWS + 1, "");
    write_buf("rows.csv", &b);
    expect_refused("rows.csv", XC_TABLE_MAX_ROWS + 1, "more than 1048576 rows");
}

/* A file larger than XC_TABLE_MAX_FILE is refused from its size, before it
 * is read (a sparse file: no disk taken). */
static void test_csv_larger_than_its_limit_is_refused_unread(void **state)
{
    (void)state;
    write_text("huge.csv", "a,b\n");
    assert_int_equal(truncate(path_in("huge.csv"), (off_t)XC_TABLE_MAX_FILE + 1), 0);
    expect_refused("huge.csv", 0, "is larger than 256 MiB");
}

/* 2026-12-01: a text too long for the rest of the arena's block started a
 * new block, and the rest was lost: cells of 40,000 bytes between short
 * ones took 64 KiB each, half as much again as their text. */
static void test_arena_long_texts_between_short_ones_waste_no_blocks(void **state)
{
    (void)state;
    static char text[40000];
    memset(text, 'x', sizeof text);
    xc_arena a = {0};
    for (int i = 0; i < 1000; i++) {
        char *d = xc_arena_dup(&a, text, sizeof text), *e = xc_arena_dup(&a, "y", 1);
        assert_non_null(d);
        assert_non_null(e);
        assert_true(d[0] == 'x' && d[sizeof text - 1] == 'x' && d[sizeof text] == '\0');
        assert_string_equal(e, "y");
    }
    /* the long texts' bytes, a block for the short ones, and a header each */
    assert_true(a.bytes < 1000 * (sizeof text + 1 + 64) + 65536 + 64);
    xc_arena_free(&a);
}

/* ---- hostile workbooks ------------------------------------------------------------ */

static const char *const BOOK_XML =
    "<workbook><sheets><sheet name=\"样本\" sheetId=\"1\" r:id=\"rId1\" "
    "xmlns:r=\"r\"/></sheets></workbook>";
static const char *const RELS_XML =
    "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
    "</Relationships>";
static const char *const SHEET_XML =
    "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c></row></sheetData></worksheet>";
static const char *const STRINGS_XML = "<sst><si><t>档案编号</t></si><si><t>A1</t></si></sst>";

/* A workbook of the four parts (NULL: the plain one above). */
static void write_book(const char *name, const char *book, const char *strings,
                       const char *sheet)
{
    zipFile z = zipOpen(path_in(name), APPEND_STATUS_CREATE);
    assert_non_null(z);
    zip_add(z, "xl/workbook.xml", book ? book : BOOK_XML);
    zip_add(z, "xl/_rels/workbook.xml.rels", RELS_XML);
    zip_add(z, "xl/sharedStrings.xml", strings ? strings : STRINGS_XML);
    zip_add(z, "xl/worksheets/sheet1.xml", sheet ? sheet : SHEET_XML);
    assert_int_equal(zipClose(z, NULL), ZIP_OK);
}

/* Reading name must fail with XC_EINPUT, its message naming the file and
 * saying text; its detail (if detail) saying detail. */
static void expect_book_refused(const char *name, const char *text, const char *detail)
{
    xc_table *t = NULL;
    xc_err err;
    xc_err_clear(&err);
    int rc = xc_table_read(path_in(name), "样本", &t, &err);
    if (rc != XC_EINPUT)
        fail_msg("%s: %d, not XC_EINPUT", name, rc);
    assert_null(t);
    assert_string_equal(err.where, path_in(name));
    if (!strstr(err.msg, text) || !strstr(err.msg, path_in(name)))
        fail_msg("no \"%s\" and file name in \"%s\"", text, err.msg);
    if (detail && !strstr(err.detail, detail))
        fail_msg("no \"%s\" in \"%s\"", detail, err.detail);
}

static void test_workbook_plain_parts_are_read(void **state)
{
    (void)state;
    write_book("plain.xlsx", NULL, NULL, NULL);
    xc_table *t;
    assert_int_equal(xc_table_read(path_in("plain.xlsx"), "样本", &t, NULL), XC_OK);
    assert_int_equal(xc_table_rows(t), 1);
    assert_string_equal(xc_table_cell(t, 0, 0), "A1");
    xc_table_free(t);
}

/* 2026-12-01: a DOCTYPE in sharedStrings.xml was parsed: its entities were
 * expanded into the cells (a "billion laughs" grows a few hundred bytes
 * into gigabytes). Any part with a DOCTYPE is refused, naming the part. */
static void test_workbook_with_a_doctype_is_refused(void **state)
{
    (void)state;
    /* an entity that would read as a plain outcome */
    write_book("entity.xlsx", NULL,
               "<?xml version=\"1.0\"?><!DOCTYPE sst [<!ENTITY ok \"属实\">]>"
               "<sst><si><t>档案编号</t></si><si><t>&ok;</t></si></sst>", NULL);
    expect_book_refused("entity.xlsx", "xl/sharedStrings.xml holds a document type "
                        "declaration (DOCTYPE)", "line 1 of xl/sharedStrings.xml");
    xc_buf b = {0};
    xc_buf_printf(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE sst [\n<!ENTITY l0 \"lol\">\n");
    for (int i = 1; i < 10; i++) {
        xc_buf_printf(&b, "<!ENTITY l%d \"", i);
        for (int k = 0; k < 10; k++)
            xc_buf_printf(&b, "&l%d;", i - 1);
        xc_buf_printf(&b, "\">\n");
    }
    xc_buf_printf(&b, "]>\n<sst><si><t>&l9;</t></si></sst>");
    char *laughs = xc_buf_take(&b);
    assert_non_null(laughs);
    write_book("laughs.xlsx", NULL, laughs, NULL);
    free(laughs);
    expect_book_refused("laughs.xlsx", "xl/sharedStrings.xml holds a document type "
                        "declaration (DOCTYPE)", "line 2 of xl/sharedStrings.xml");
    /* an external entity in the worksheet, a bare DOCTYPE in the workbook */
    write_book("external.xlsx", NULL, NULL,
               "<!DOCTYPE worksheet [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
               "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&x;"
               "</t></is></c></row></sheetData></worksheet>");
    expect_book_refused("external.xlsx", "xl/worksheets/sheet1.xml holds a document type",
                        NULL);
    write_book("bare.xlsx", "<!DOCTYPE workbook><workbook/>", NULL, NULL);
    expect_book_refused("bare.xlsx", "xl/workbook.xml holds a document type", NULL);
}

/* A worksheet: header h1, h2 in row 1, then rows as given. */
static char *sheet_of(const char *rows)
{
    xc_buf b = {0};
    xc_buf_printf(&b, "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is>"
                  "<t>h1</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>h2</t></is></c>"
                  "</row>%s</sheetData></worksheet>", rows);
    char *text = xc_buf_take(&b);
    assert_non_null(text);
    return text;
}

static void write_sheet(const char *name, const char *strings, const char *rows)
{
    char *sheet = sheet_of(rows);
    write_book(name, NULL, strings, sheet);
    free(sheet);
}

/* 2026-12-01: a cell's column was taken as it came, so a header cell at
 * XFD1 made every row of the sheet cost 16384 cells (128 KiB): a workbook of
 * a few KB took gigabytes. Rows times header columns are bounded as for
 * CSV; a reference past XFD, a row past 1048576, rows or cells out of
 * order are refused. */
static void test_workbook_references_far_right_or_down_are_bounded(void **state)
{
    (void)state;
    xc_buf b = {0};
    xc_buf_printf(&b, "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is>"
                  "<t>h</t></is></c><c r=\"XFD1\"><v>1</v></c></row>");
    for (int r = 2; r < 50000; r++)
        xc_buf_printf(&b, "<row r=\"%d\"><c r=\"A%d\"><v>7</v></c></row>", r, r);
    xc_buf_printf(&b, "</sheetData></worksheet>");
    char *sheet = xc_buf_take(&b);
    assert_non_null(sheet);
    write_book("xfd.xlsx", NULL, NULL, sheet);
    free(sheet);
    expect_refused("xfd.xlsx", 1026, "more than 16777216 cells (1024 rows of 16384 columns)");
    /* the last row Excel has: one row read, none allocated before it */
    write_sheet("down.xlsx", NULL, "<row r=\"1048576\"><c r=\"A1048576\"><v>5</v></c></row>");
    xc_table *t;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_table_read(path_in("down.xlsx"), NULL, &t, &err), XC_OK);
    assert_int_equal(xc_table_rows(t), 1);
    assert_int_equal(xc_table_line(t, 0), 1048576);
    assert_string_equal(xc_table_cell(t, 0, 0), "5");
    xc_table_free(t);
    write_sheet("past-down.xlsx", NULL, "<row r=\"1048577\"><c><v>5</v></c></row>");
    expect_book_refused("past-down.xlsx", "row number \"1048577\"", NULL);
    write_sheet("past-right.xlsx", NULL, "<row r=\"2\"><c r=\"XFE2\"><v>5</v></c></row>");
    expect_refused("past-right.xlsx", 2, "cell XFE2 is past column XFD (16384 columns)");
    /* a row of 20000 cells without references */
    xc_buf_printf(&b, "<row r=\"2\">");
    repeat(&b, "<c><v>1</v></c>", 20000, "</row>");
    assert_false(b.failed);
    write_sheet("row-wide.xlsx", NULL, b.p);
    xc_buf_free(&b);
    expect_refused("row-wide.xlsx", 2, "cell XFE is past column XFD");
    write_sheet("ref.xlsx", NULL, "<row r=\"2\"><c r=\"AAAA2\"><v>5</v></c></row>");
    expect_book_refused("ref.xlsx", "cell reference \"AAAA2\" in row 2", NULL);
    write_sheet("rows-back.xlsx", NULL, "<row r=\"5\"><c r=\"A5\"><v>5</v></c></row>"
                "<row r=\"3\"><c r=\"A3\"><v>3</v></c></row>");
    expect_book_refused("rows-back.xlsx", "row 3 after row 5 in xl/worksheets/sheet1.xml", NULL);
    write_sheet("cells-back.xlsx", NULL, "<row r=\"2\"><c r=\"B2\"><v>5</v></c>"
                "<c r=\"A2\"><v>3</v></c></row>");
    expect_book_refused("cells-back.xlsx", "cell A2 after column B in row 2", NULL);
    write_sheet("cells-twice.xlsx", NULL, "<row r=\"2\"><c r=\"A2\"><v>5</v></c>"
                "<c r=\"A2\"><v>3</v></c></row>");
    expect_book_refused("cells-twice.xlsx", "cell A2 after column A in row 2", NULL);
}

/* 2026-12-01: every cell showing a shared string got a copy of it: one
 * string of 30,000 characters shown by 50,000 cells took 1.5 GB from a
 * workbook of a few hundred KB. A cell now shows the string kept once, and
 * the text all cells show is bounded. */
static void test_workbook_shared_strings_are_kept_once_and_bounded(void **state)
{
    (void)state;
    xc_buf b = {0};
    xc_buf_printf(&b, "<sst count=\"4000000000\" uniqueCount=\"4000000000\"><si><t>h1</t></si>"
                  "<si><t>h2</t></si><si><t>");
    repeat(&b, "y", 30000, "</t></si></sst>");
    assert_false(b.failed);
    char *strings = xc_buf_take(&b);
    for (int r = 2; r <= 10001; r++)
        xc_buf_printf(&b, "<row r=\"%d\"><c r=\"B%d\" t=\"s\"><v>2</v></c></row>", r, r);
    assert_false(b.failed);
    write_sheet("kept.xlsx", strings, b.p);
    xc_table *t;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_table_read(path_in("kept.xlsx"), NULL, &t, &err), XC_OK);
    assert_int_equal(xc_table_rows(t), 10000);
    assert_int_equal(strlen(xc_table_cell(t, 0, 1)), 30000);
    assert_ptr_equal(xc_table_cell(t, 0, 1), xc_table_cell(t, 9999, 1));    /* not copied */
    xc_table_free(t);
    /* 20000 such cells show 600 MB: refused at the row that passes 512 MiB */
    for (int r = 10002; r <= 20001; r++)
        xc_buf_printf(&b, "<row r=\"%d\"><c r=\"B%d\" t=\"s\"><v>2</v></c></row>", r, r);
    assert_false(b.failed);
    write_sheet("shown.xlsx", strings, b.p);
    xc_buf_free(&b);
    long row = (long)((XC_TABLE_MAX_TEXT - 4) / 30000) + 2;     /* "h1", "h2", then rows */
    expect_refused("shown.xlsx", row, "more than 512 MiB of text in the cells");
    free(strings);
    /* a string of 32768 characters; 32767 characters of three bytes are one */
    xc_buf_printf(&b, "<sst><si><t>h1</t></si><si><t>");
    repeat(&b, "核", XC_TABLE_MAX_CELL, "</t></si><si><r><t>");
    repeat(&b, "z", XC_TABLE_MAX_CELL, "</t></r><r><t>z</t></r></si></sst>");
    assert_false(b.failed);
    write_sheet("long-ss.xlsx", b.p, "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c></row>");
    xc_buf_free(&b);
    expect_refused("long-ss.xlsx", 0, "shared string 2 of xl/sharedStrings.xml holds more than "
                   "32767 characters");
    xc_buf_printf(&b, "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>");
    repeat(&b, "q", 200000, "</t></is></c></row>");
    assert_false(b.failed);
    write_sheet("long-cell.xlsx", NULL, b.p);
    xc_buf_free(&b);
    expect_refused("long-cell.xlsx", 2, "column 1 holds more than 32767 characters");
    write_sheet("no-string.xlsx", NULL, "<row r=\"2\"><c r=\"B2\" t=\"s\"><v>9</v></c></row>");
    expect_book_refused("no-string.xlsx", "cell B2 refers to shared string \"9\", which "
                        "xl/sharedStrings.xml does not have", NULL);
}

/* Raw deflate of text[0..len) into out (room for outsz); its length. */
static size_t raw_deflate(const char *text, size_t len, unsigned char *out, size_t outsz)
{
    z_stream zs = {0};
    assert_int_equal(deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8,
                                  Z_DEFAULT_STRATEGY), Z_OK);
    zs.next_in = (unsigned char *)(uintptr_t)text;
    zs.avail_in = (uInt)len;
    zs.next_out = out;
    zs.avail_out = (uInt)outsz;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    size_t n = zs.total_out;
    deflateEnd(&zs);
    return n;
}

/* A workbook whose worksheet entry holds `packed` bytes (deflated) and
 * declares `size` bytes uncompressed and the CRC crc. */
static void write_lying_book(const char *name, const unsigned char *packed, size_t n,
                             unsigned long size, unsigned long crc)
{
    zipFile z = zipOpen(path_in(name), APPEND_STATUS_CREATE);
    assert_non_null(z);
    zip_add(z, "xl/workbook.xml", BOOK_XML);
    zip_add(z, "xl/_rels/workbook.xml.rels", RELS_XML);
    zip_add(z, "xl/sharedStrings.xml", STRINGS_XML);
    assert_int_equal(zipOpenNewFileInZip2(z, "xl/worksheets/sheet1.xml", NULL, NULL, 0, NULL, 0,
                                          NULL, Z_DEFLATED, Z_BEST_COMPRESSION, 1), ZIP_OK);
    assert_int_equal(zipWriteInFileInZip(z, packed, (unsigned)n), ZIP_OK);
    assert_int_equal(zipCloseFileInZipRaw(z, size, crc), ZIP_OK);
    assert_int_equal(zipClose(z, NULL), ZIP_OK);
}

/* 2026-12-01: a part was read into a buffer of the size its zip entry
 * declares: a few bytes declaring 200 MB took 200 MB. A part is now
 * inflated into the parser as it comes; a declared size past the part's
 * limit or past what deflate can make of the compressed bytes is refused
 * before anything is inflated, and one that is not the size inflated, or a
 * CRC that does not match, is damage. */
static void test_workbook_zip_sizes_that_lie_are_refused(void **state)
{
    (void)state;
    size_t len = strlen(SHEET_XML);
    unsigned long crc = crc32(0, (const unsigned char *)SHEET_XML, (uInt)len);
    unsigned char packed[1024];
    size_t n = raw_deflate(SHEET_XML, len, packed, sizeof packed);
    write_lying_book("honest.xlsx", packed, n, len, crc);
    xc_table *t;
    assert_int_equal(xc_table_read(path_in("honest.xlsx"), NULL, &t, NULL), XC_OK);
    assert_string_equal(xc_table_cell(t, 0, 0), "A1");
    xc_table_free(t);
    write_lying_book("bomb.xlsx", packed, n, 200000000, crc);
    expect_book_refused("bomb.xlsx", "xl/worksheets/sheet1.xml declares 200000000 bytes from",
                        "at most 1032 bytes");
    write_lying_book("huge.xlsx", packed, n, (unsigned long)XC_TABLE_MAX_PART + 1, crc);
    expect_book_refused("huge.xlsx", "xl/worksheets/sheet1.xml is 1073741825 bytes "
                        "uncompressed, more than 1024 MiB", NULL);
    write_lying_book("longer.xlsx", packed, n, len + 100, crc);
    expect_book_refused("longer.xlsx", "where the zip entry declares", NULL);
    write_lying_book("shorter.xlsx", packed, n, len - 10, crc);
    expect_book_refused("shorter.xlsx", "damaged workbook", NULL);
    write_lying_book("crc.xlsx", packed, n, len, crc ^ 1);
    expect_book_refused("crc.xlsx", "data that does not match its CRC in "
                        "xl/worksheets/sheet1.xml", NULL);
}

/* A part far larger than the chunks it is inflated in reads whole; one tag
 * that would need more parser memory than its limit is refused. */
static void test_workbook_parts_stream_and_a_huge_tag_is_refused(void **state)
{
    (void)state;
    xc_buf b = {0};
    for (int r = 2; r <= 100001; r++)
        xc_buf_printf(&b, "<row r=\"%d\"><c r=\"A%d\"><v>%d</v></c>   \n   </row>", r, r, r);
    assert_false(b.failed);
    write_sheet("long.xlsx", NULL, b.p);
    xc_buf_free(&b);
    xc_table *t;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_table_read(path_in("long.xlsx"), NULL, &t, &err), XC_OK);
    assert_int_equal(xc_table_rows(t), 100000);
    assert_string_equal(xc_table_cell(t, 99999, 0), "100001");
    xc_table_free(t);
    xc_buf_printf(&b, "<row r=\"2\"><c r=\"A2\" x=\"");
    repeat(&b, "A", XC_TABLE_MAX_XML_MEM, "\"><v>1</v></c></row>");
    assert_false(b.failed);
    write_sheet("tag.xlsx", NULL, b.p);
    xc_buf_free(&b);
    expect_book_refused("tag.xlsx", "xl/worksheets/sheet1.xml holds a tag or name too large",
                        "more than 32 MiB");
}

/* ---- the frame from a run's outputs ---------------------------------------------- */

static void test_frame_loads_a_run_flags_by_category_leaves_out_cancelled(void **state)
{
    (void)state;
    write_text("summary.json", "{\n  \"version\": \"0.1.0\",\n  \"as_of\": \"2026-06-30\",\n}\n");
    write_text("households.csv",
               "archive_no,region_code,county,level,status,in_archive,exited,enrolled_on,"
               "exited_on,members,worker_name,masked_id,flags,rules,categories\n"
               "K2,530102,五华区,local,active,yes,no,2020-01-15,,3,张,530102********0133,2,"
               "VH-CAR;BZ-ROLE,missed_exit\n"
               "K1,530103,盘龙区,local,exited,no,yes,2018-04-05,2026-01-10,1,赵,"
               "530103********0577,1,EX-NOTICE,process\n"
               "K3,530302,麒麟区,local,cancelled,no,no,2017-07-20,2025-09-30,1,刘,"
               "530302********0867,1,HK-MOVED,missed_exit\n");
    write_text("flags.csv",
               "rule,category,archive_no,region_code,level,masked_id,enrolled_on,"
               "condition_from,condition_to,summary\n"
               "VH-CAR,missed_exit,K2,530102,local,x,,,,\"车, 一辆\"\n"
               "BZ-ROLE,missed_exit,K2,530102,local,x,,,,法人\n"
               "HK-MOVED,missed_exit,K3,530302,local,x,,,,迁出\n"
               "EX-NOTICE,process,K1,530103,local,x,,,,未书面告知\n"
               "BZ-ROLE,missed_exit,K2,530102,local,x,,,,另一成员\n");
    xc_frame f;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_frame_load(dir, &f, &err), XC_OK);
    assert_int_equal(f.as_of, xc_date_from_ymd(2026, 6, 30));
    assert_int_equal(f.n, 2);
    assert_int_equal(f.left_out, 1);
    assert_string_equal(f.v[0].archive_no, "K1");       /* sorted */
    /* a process flag does not make a household flagged: shown apart */
    assert_true(f.v[0].exited && !f.v[0].flagged);
    assert_string_equal(f.v[0].rules, "");
    assert_string_equal(f.v[0].others, "EX-NOTICE：未书面告知");
    assert_string_equal(f.v[1].rules, "VH-CAR;BZ-ROLE");          /* each rule once */
    assert_string_equal(f.v[1].summaries, "VH-CAR：车, 一辆；BZ-ROLE：法人；BZ-ROLE：另一成员");
    assert_string_equal(f.v[1].others, "");
    assert_true(!f.v[1].exited && f.v[1].flagged);
    xc_frame_free(&f);
    /* a bad value names the file, line and column */
    write_text("households.csv",
               "archive_no,region_code,county,level,status,in_archive,exited,enrolled_on,"
               "exited_on,members,worker_name,masked_id,flags,rules,categories\n"
               "K2,530102,五华区,local,active,maybe,no,2020-01-15,,3,张,x,0,,\n");
    xc_err_clear(&err);
    assert_int_equal(xc_frame_load(dir, &f, &err), XC_EINPUT);
    assert_int_equal(err.row, 2);
    assert_string_equal(err.field, "in_archive");
    xc_frame_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_matches_the_reference_outputs),
        cmocka_unit_test(test_rng_below_stays_under_its_bound_and_reaches_every_value),
        cmocka_unit_test(test_sample_size_fixed_proportional_and_whole),
        cmocka_unit_test(test_sample_strata_are_county_group_and_flag),
        cmocka_unit_test(test_sample_proportional_with_minimum),
        cmocka_unit_test(test_sample_same_seed_same_sample_other_seed_other_sample),
        cmocka_unit_test(test_sample_does_not_depend_on_the_order_of_the_file),
        cmocka_unit_test(test_sample_draws_every_household_alike),
        cmocka_unit_test(test_wilson_interval_known_values),
        cmocka_unit_test(test_estimate_one_large_stratum_is_plain_wilson),
        cmocka_unit_test(test_estimate_two_strata_by_hand),
        cmocka_unit_test(test_estimate_agreeing_outcomes_use_kish_size),
        cmocka_unit_test(test_estimate_census_is_exact_and_empty_strata_left_out),
        cmocka_unit_test(test_verify_reads_outcomes_from_csv),
        cmocka_unit_test(test_verify_reads_gb18030_with_crlf),
        cmocka_unit_test(test_verify_malformed_values_name_file_line_and_column),
        cmocka_unit_test(test_verify_counts_200000_rows_in_20000_strata),
        cmocka_unit_test(test_verify_reads_a_workbook_with_shared_strings),
        cmocka_unit_test(test_table_reads_the_xml_excel_writes),
        cmocka_unit_test(test_table_damaged_workbook_is_an_input_error),
        cmocka_unit_test(test_csv_wide_header_does_not_make_every_row_cost_its_width),
        cmocka_unit_test(test_csv_columns_cells_and_rows_past_their_limits_are_refused),
        cmocka_unit_test(test_csv_larger_than_its_limit_is_refused_unread),
        cmocka_unit_test(test_arena_long_texts_between_short_ones_waste_no_blocks),
        cmocka_unit_test(test_workbook_plain_parts_are_read),
        cmocka_unit_test(test_workbook_with_a_doctype_is_refused),
        cmocka_unit_test(test_workbook_references_far_right_or_down_are_bounded),
        cmocka_unit_test(test_workbook_shared_strings_are_kept_once_and_bounded),
        cmocka_unit_test(test_workbook_zip_sizes_that_lie_are_refused),
        cmocka_unit_test(test_workbook_parts_stream_and_a_huge_tag_is_refused),
        cmocka_unit_test(test_frame_loads_a_run_flags_by_category_leaves_out_cancelled),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
