/* test_facts.c - facts kept by scans: adding, merging sets scanned apart,
 * sorting and finding by ID key, and their JSON evidence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/facts.h"
#include "xcheck/text.h"

static void text(xc_value *v, const char *s)
{
    memset(v, 0, sizeof *v);
    v->s = s;
    v->len = strlen(s);
    v->null = v->len == 0;
}

/* A property record for key/raw ID text, certificate and registration day. */
static xc_record property(const char *raw_id, const char *cert, int usage, xc_date reg, long line)
{
    xc_record r;
    memset(&r, 0, sizeof r);
    r.line = line;
    r.id_field = XC_PR_ID_NO;
    text(&r.v[XC_PR_ID_NO], raw_id);
    assert_int_equal(xc_id_parse(raw_id, strlen(raw_id), xc_date_from_ymd(2026, 6, 30), &r.id), 0);
    text(&r.v[XC_PR_CERT_NO], cert);
    r.v[XC_PR_USAGE].i = usage;
    r.v[XC_PR_AREA_M2].d = 88.5;
    text(&r.v[XC_PR_REGION_CODE], "530102");
    r.v[XC_PR_REGION_CODE].i = 530102;
    r.v[XC_PR_REGISTERED_ON].i = reg;
    text(&r.v[XC_PR_CANCELLED_ON], "");
    return r;
}

static const char *A = "530102197003120133", *B = "11010519491231002X";

static void test_facts_merge_sets_scanned_apart_and_remap_their_sources(void **state)
{
    (void)state;
    xc_facts *left = NULL, *right = NULL;
    assert_int_equal(xc_facts_new(&left), XC_OK);
    assert_int_equal(xc_facts_new(&right), XC_OK);
    uint16_t ls, rs0, rs1;
    assert_int_equal(xc_facts_add_source(left, XC_DS_PROPERTY, "left.csv", &ls), XC_OK);
    assert_int_equal(xc_facts_add_source(right, XC_DS_PROPERTY, "right-a.csv", &rs0), XC_OK);
    assert_int_equal(xc_facts_add_source(right, XC_DS_PROPERTY, "right-b.csv", &rs1), XC_OK);
    assert_int_equal(ls, 0);
    assert_int_equal(rs1, 1);
    xc_date d = xc_date_from_ymd(2024, 3, 1);
    xc_record r1 = property(B, "cert-1", 1, d, 7);
    xc_record r2 = property(A, "cert-2", 0, d, 3);
    xc_record r3 = property(" 530102-19700312-0133 ", "cert-3", 0, d + 1, 9);
    assert_int_equal(xc_facts_add(left, XC_DS_PROPERTY, ls, &r1), XC_OK);
    assert_int_equal(xc_facts_add(right, XC_DS_PROPERTY, rs1, &r2), XC_OK);
    assert_int_equal(xc_facts_add(right, XC_DS_PROPERTY, rs0, &r3), XC_OK);
    assert_int_equal(xc_facts_merge(left, right), XC_OK);
    size_t n;
    xc_facts_all(right, XC_DS_PROPERTY, &n);
    assert_int_equal(n, 0);
    xc_facts_free(right);           /* the merged text must survive this */
    xc_facts_seal(left);
    const xc_fact_property *all = xc_facts_all(left, XC_DS_PROPERTY, &n);
    assert_int_equal(n, 3);
    for (size_t i = 1; i < n; i++)
        assert_true(all[i - 1].h.key <= all[i].h.key);
    const xc_fact_property *a = xc_facts_find(left, XC_DS_PROPERTY, r2.id.key, &n);
    assert_int_equal(n, 2);
    /* same key: ordered by source, then line */
    assert_string_equal(xc_facts_source(left, XC_DS_PROPERTY, a[0].h.src), "right-a.csv");
    assert_string_equal(a[0].cert_no, "cert-3");
    assert_string_equal(xc_fact_raw_id(left, XC_DS_PROPERTY, &a[0]), " 530102-19700312-0133 ");
    assert_string_equal(xc_facts_source(left, XC_DS_PROPERTY, a[1].h.src), "right-b.csv");
    assert_null(xc_fact_raw_id(left, XC_DS_PROPERTY, &a[1]));   /* clean text: not twice */
    assert_int_equal(a[1].h.line, 3);
    const xc_fact_property *b = xc_facts_find(left, XC_DS_PROPERTY, r1.id.key, &n);
    assert_int_equal(n, 1);
    assert_string_equal(xc_facts_source(left, XC_DS_PROPERTY, b->h.src), "left.csv");
    assert_null(xc_facts_find(left, XC_DS_PROPERTY, 12345, &n));
    assert_int_equal(n, 0);
    assert_true(xc_facts_bytes(left) > 3 * sizeof(xc_fact_property));
    xc_facts_free(left);
    xc_facts_free(NULL);
}

static void test_facts_write_their_evidence_as_json(void **state)
{
    (void)state;
    xc_facts *f = NULL;
    assert_int_equal(xc_facts_new(&f), XC_OK);
    uint16_t s;
    assert_int_equal(xc_facts_add_source(f, XC_DS_PROPERTY, "房产.csv", &s), XC_OK);
    xc_record r = property("530102197003120133", "云(2024)\"第1号\"", 1, xc_date_from_ymd(2024, 3, 1), 12);
    assert_int_equal(xc_facts_add(f, XC_DS_PROPERTY, s, &r), XC_OK);
    size_t n;
    const xc_fact_property *p = xc_facts_all(f, XC_DS_PROPERTY, &n);
    xc_buf b = {0};
    xc_fact_json(f, XC_DS_PROPERTY, p, true, &b);
    char *json = xc_buf_take(&b);
    assert_non_null(json);
    assert_string_equal(json,
        "{\"dataset\":\"property\",\"source\":\"房产.csv\",\"line\":12,"
        "\"id_no\":\"530102197003120133\",\"raw_id\":\"530102197003120133\","
        "\"cert_no\":\"云(2024)\\\"第1号\\\"\",\"usage\":\"commercial\",\"area_m2\":88.5,"
        "\"registered_on\":\"2024-03-01\",\"cancelled_on\":null}");
    free(json);
    /* Unless asked for, the number is masked, and so is dirty text. */
    xc_fact_json(f, XC_DS_PROPERTY, p, false, &b);
    json = xc_buf_take(&b);
    assert_non_null(json);
    assert_non_null(strstr(json, ",\"masked_id\":\"530102********0133\",\"cert_no\""));
    assert_null(strstr(json, "197003120"));
    free(json);
    xc_record dirty = property(" 530102-19700312-0133 ", "c", 1, xc_date_from_ymd(2024, 3, 1), 13);
    assert_int_equal(xc_facts_add(f, XC_DS_PROPERTY, s, &dirty), XC_OK);
    xc_facts_seal(f);
    p = xc_facts_all(f, XC_DS_PROPERTY, &n);
    xc_fact_json(f, XC_DS_PROPERTY, &p[1], false, &b);
    json = xc_buf_take(&b);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"raw_id_masked\":\" 530102-********-0133 \""));
    assert_null(strstr(json, "19700312"));
    free(json);
    xc_facts_free(f);
}

/* Orders x before y as the sorted facts must be: key, source, line. */
static int by_key_source_line(const void *x, const void *y)
{
    const xc_fact_head *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->src != b->src)
        return a->src < b->src ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

/* A payment row of person key at line, its day and amount drawn from x. */
static void payment_row(xc_record *r, uint64_t key, long line, uint64_t x)
{
    memset(r, 0, sizeof *r);
    r->line = line;
    r->id_field = XC_PM_ID_NO;
    r->id.key = key;
    r->id.error = XC_ID_VALID;
    xc_id_unpack(r->id.key, r->id.norm);
    text(&r->v[XC_PM_ID_NO], r->id.norm);
    r->v[XC_PM_PAID_ON].i = xc_date_from_ymd(2025, 1, 1) + (int)(x % 365);
    r->v[XC_PM_AMOUNT].i = (int64_t)(x % 500000);
    r->v[XC_PM_PERSONAL_BURDEN].null = true;
}

static void test_facts_sort_many_rows_by_key_source_line_and_find_each_run(void **state)
{
    (void)state;
    /* Keys of one province share their high bytes; 2,000 people with up to
     * ~100 rows each, from three sources read in line order, one person
     * with a long run: every path of the sort. */
    enum { N = 60000 };
    xc_facts *f = NULL;
    assert_int_equal(xc_facts_new(&f), XC_OK);
    uint16_t src[3];
    const char *names[3] = {"a.csv", "b.csv", "c.csv"};
    for (int s = 0; s < 3; s++)
        assert_int_equal(xc_facts_add_source(f, XC_DS_PAYMENT, names[s], &src[s]), XC_OK);
    xc_fact_head *want = malloc(N * sizeof *want);
    assert_non_null(want);
    uint64_t x = 88172645463325252ULL;
    for (int i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int s = i * 3 / N;
        uint64_t person = i % 7 == 0 ? 4242 : x % 2000;
        xc_record r;
        payment_row(&r, 53010219700312000ULL + person * 1000003ULL, i + 2, x);
        assert_int_equal(xc_facts_add(f, XC_DS_PAYMENT, src[s], &r), XC_OK);
        want[i] = (xc_fact_head){.key = r.id.key, .line = (uint32_t)r.line, .src = src[s]};
    }
    qsort(want, N, sizeof *want, by_key_source_line);
    xc_facts_seal(f);
    size_t n;
    const xc_fact_payment *got = xc_facts_all(f, XC_DS_PAYMENT, &n);
    assert_int_equal(n, N);
    for (size_t i = 0; i < n; i++) {
        assert_true(got[i].h.key == want[i].key);
        assert_int_equal(got[i].h.src, want[i].src);
        assert_int_equal(got[i].h.line, want[i].line);
    }
    /* Every key finds its whole run; keys in between find nothing. */
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && want[j].key == want[i].key)
            j++;
        size_t k;
        const xc_fact_payment *run = xc_facts_find(f, XC_DS_PAYMENT, want[i].key, &k);
        assert_ptr_equal(run, &got[i]);
        assert_int_equal(k, j - i);
        assert_null(xc_facts_find(f, XC_DS_PAYMENT, want[i].key - 1, &k));
        assert_int_equal(k, 0);
        assert_null(xc_facts_find(f, XC_DS_PAYMENT, want[i].key + 1, &k));
        i = j;
    }
    size_t k;
    assert_true(xc_facts_find(f, XC_DS_PAYMENT,
                              53010219700312000ULL + 4242 * 1000003ULL, &k) != NULL);
    assert_true(k >= N / 7);
    free(want);
    xc_facts_free(f);
}

/* A social-insurance row of person (key) for month and amount. */
static xc_record income_row(uint64_t key, xc_month month, int64_t amount, long line)
{
    xc_record r;
    memset(&r, 0, sizeof r);
    r.line = line;
    r.id_field = XC_SI_ID_NO;
    r.id.key = key;
    r.id.error = XC_ID_VALID;
    xc_id_unpack(key, r.id.norm);
    text(&r.v[XC_SI_ID_NO], r.id.norm);
    r.v[XC_SI_MONTH].i = month;
    r.v[XC_SI_AMOUNT].i = amount;
    return r;
}

/* Adds run x's months to per-month totals want[0 ..] of months from base. */
static void expand(const xc_fact_income *x, xc_month base, int64_t *got, int months)
{
    for (xc_month m = xc_income_month(x); m <= xc_income_last(x); m++) {
        assert_true(m - base >= 0 && m - base < months);
        got[m - base] += x->amount;
    }
}

/* Payments and social insurance of many people in no order, some of them
 * sharing every byte of the key but the last, one with a long run. */
static xc_facts *many_facts(void)
{
    enum { N = 40000 };
    xc_facts *f = NULL;
    assert_int_equal(xc_facts_new(&f), XC_OK);
    uint16_t pay, si;
    assert_int_equal(xc_facts_add_source(f, XC_DS_PAYMENT, "p.csv", &pay), XC_OK);
    assert_int_equal(xc_facts_add_source(f, XC_DS_SOCIAL_INSURANCE, "s.csv", &si), XC_OK);
    uint64_t x = 2463534242ULL;
    for (int i = 0; i < N; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint64_t person = i % 5 == 0 ? 77 : x % 3000;
        uint64_t key = (i % 3 ? 53010219700312000ULL : 11010519491231000ULL) +
                       (i % 2 ? person * 1000003ULL : person);
        xc_record r;
        payment_row(&r, key, i + 2, x);
        assert_int_equal(xc_facts_add(f, XC_DS_PAYMENT, pay, &r), XC_OK);
        xc_month first = xc_date_month(xc_date_from_ymd(2024, 1, 1));
        xc_record in = income_row(key, first + (xc_month)(x % 30), (int64_t)(x % 7) * 10000,
                                  i + 2);
        assert_int_equal(xc_facts_add(f, XC_DS_SOCIAL_INSURANCE, si, &in), XC_OK);
    }
    return f;
}

/* The sorts cut one big dataset between threads: every number of threads
 * gives the very bytes one thread gives. */
/* 2026-12-03: with nothing to sort (an archive-only run, a spill window of
 * almost no facts), the threaded seal handed qsort() a null list (UBSan);
 * a sealed set merged into another lost its search sample (a leak). */
static void test_facts_seal_of_nothing_and_merge_of_a_sealed_set(void **state)
{
    (void)state;
    xc_facts *f = NULL;
    assert_int_equal(xc_facts_new(&f), XC_OK);
    xc_facts_seal_jobs(f, 2);                       /* empty */
    size_t n;
    assert_null(xc_facts_find(f, XC_DS_PAYMENT, 1, &n));
    assert_int_equal(n, 0);
    uint16_t src;
    assert_int_equal(xc_facts_add_source(f, XC_DS_PAYMENT, "p.csv", &src), XC_OK);
    xc_record r;
    payment_row(&r, 53010219700312000ULL, 2, 7);
    assert_int_equal(xc_facts_add(f, XC_DS_PAYMENT, src, &r), XC_OK);
    xc_facts_seal_jobs(f, 2);                       /* one fact */
    assert_non_null(xc_facts_find(f, XC_DS_PAYMENT, 53010219700312000ULL, &n));
    assert_int_equal(n, 1);
    xc_facts *big = many_facts();
    xc_facts_seal_jobs(big, 2);                     /* sampled */
    assert_int_equal(xc_facts_merge(f, big), XC_OK);
    xc_facts_free(big);
    xc_facts_seal_jobs(f, 2);
    assert_non_null(xc_facts_find(f, XC_DS_PAYMENT, 53010219700312000ULL, &n));
    assert_true(n >= 1);
    xc_facts_free(f);
}

static void test_facts_sealed_on_several_threads_are_the_same(void **state)
{
    (void)state;
    xc_facts *one = many_facts();
    xc_facts_seal(one);
    for (int jobs = 2; jobs <= 5; jobs += 3) {
        xc_facts *f = many_facts();
        xc_facts_seal_jobs(f, jobs);
        for (xc_ds_id ds = XC_DS_PAYMENT; ds <= XC_DS_SOCIAL_INSURANCE;
             ds = ds == XC_DS_PAYMENT ? XC_DS_SOCIAL_INSURANCE : XC_DS_COUNT) {
            size_t n1, n;
            const void *a = xc_facts_all(one, ds, &n1), *b = xc_facts_all(f, ds, &n);
            assert_true(n1 > 1000);
            assert_int_equal(n, n1);
            assert_memory_equal(a, b, n * xc_facts_size(ds));
        }
        xc_facts_free(f);
    }
    size_t n;
    const xc_fact_payment *p = xc_facts_all(one, XC_DS_PAYMENT, &n);
    for (size_t i = 1; i < n; i++)
        assert_true(p[i - 1].h.key < p[i].h.key ||
                    (p[i - 1].h.key == p[i].h.key && p[i - 1].h.line < p[i].h.line));
    xc_facts_free(one);
}

/* 2026-12-02: social insurance was kept as a 40-byte fact per row, with
 * source, line and ID text that no evidence shows: 886 MB of a national
 * run's 2,279. A person's rows are now runs of months with the same sum,
 * whatever the order and the parts they come in. */
static void test_facts_sum_social_insurance_into_runs_of_months(void **state)
{
    (void)state;
    xc_facts *a = NULL, *b = NULL;
    assert_int_equal(xc_facts_new(&a), XC_OK);
    assert_int_equal(xc_facts_new(&b), XC_OK);
    uint16_t sa, sb;
    assert_int_equal(xc_facts_add_source(a, XC_DS_SOCIAL_INSURANCE, "a.csv", &sa), XC_OK);
    assert_int_equal(xc_facts_add_source(b, XC_DS_SOCIAL_INSURANCE, "b.csv", &sb), XC_OK);
    enum { PEOPLE = 300, MONTHS = 60 };
    static int64_t want[PEOPLE][MONTHS], got[PEOPLE][MONTHS];
    static bool has[PEOPLE][MONTHS];
    memset(want, 0, sizeof want);
    memset(got, 0, sizeof got);
    memset(has, 0, sizeof has);
    uint64_t x = 2463534242u;
    const uint64_t base = 530102197003120000ULL;
    const xc_month m0 = 2022 * 12;
    long line = 2;
    /* In export order: person after person, month after month, one to
     * three kinds a month, amounts that change once a year or every month,
     * some months missing; then rows out of order and in the other part. */
    for (int p = 0; p < PEOPLE; p++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int style = (int)(x % 4);
        for (int m = 0; m < MONTHS; m++) {
            if (style == 3 && m % 7 == 3)
                continue;                          /* a hole */
            int kinds = 1 + (int)((x >> (m % 40)) % 3);
            for (int k = 0; k < kinds; k++) {
                int64_t amount = style == 0 ? 350000 + 1000 * k
                               : style == 1 ? 300000 + 5000 * (m / 12) + 7 * k
                               : (int64_t)((x >> ((m + k) % 50)) % 90000);
                xc_record r = income_row(base + (uint64_t)p * 7, m0 + m, amount, line++);
                assert_int_equal(xc_facts_add(a, XC_DS_SOCIAL_INSURANCE, sa, &r), XC_OK);
                want[p][m] += amount;
                has[p][m] = true;
            }
        }
    }
    for (int i = 0; i < 3000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int p = (int)(x % PEOPLE), m = (int)((x >> 20) % MONTHS);
        int64_t amount = (int64_t)((x >> 32) % 5000) - 100;
        xc_record r = income_row(base + (uint64_t)p * 7, m0 + m, amount, line++);
        xc_facts *into = i % 2 ? a : b;
        assert_int_equal(xc_facts_add(into, XC_DS_SOCIAL_INSURANCE, into == a ? sa : sb, &r),
                         XC_OK);
        want[p][m] += amount;
        has[p][m] = true;
    }
    assert_int_equal(xc_facts_merge(a, b), XC_OK);
    xc_facts_free(b);
    xc_facts_seal(a);
    size_t n, seen = 0;
    const xc_fact_income *all = xc_facts_all(a, XC_DS_SOCIAL_INSURANCE, &n);
    for (size_t i = 1; i < n; i++) {
        /* by key, then month; a key's runs apart and none continuing the
         * one before with the same sum */
        assert_true(all[i - 1].key <= all[i].key);
        if (all[i - 1].key != all[i].key)
            continue;
        assert_true(xc_income_last(&all[i - 1]) < xc_income_month(&all[i]));
        assert_false(xc_income_last(&all[i - 1]) + 1 == xc_income_month(&all[i]) &&
                     all[i - 1].amount == all[i].amount);
    }
    for (int p = 0; p < PEOPLE; p++) {
        size_t k;
        const xc_fact_income *run = xc_facts_find(a, XC_DS_SOCIAL_INSURANCE,
                                                  base + (uint64_t)p * 7, &k);
        assert_true(k > 0);
        for (size_t j = 0; j < k; j++)
            expand(&run[j], m0, got[p], MONTHS);
        size_t months = 0;
        for (int m = 0; m < MONTHS; m++) {
            assert_int_equal(got[p][m], want[p][m]);
            months += has[p][m];
        }
        size_t covered = 0;
        for (size_t j = 0; j < k; j++)
            covered += run[j].months;
        assert_int_equal(covered, months);       /* months without rows: no run */
        size_t runs = 0;                         /* as few runs as can be */
        for (int m = 0; m < MONTHS; m++)
            runs += has[p][m] && !(m > 0 && has[p][m - 1] && want[p][m - 1] == want[p][m]);
        assert_int_equal(k, runs);
        seen += k;
    }
    assert_int_equal(seen, n);
    /* 16 bytes a run, and the search's sample of one key in 32 runs */
    assert_true(xc_facts_bytes(a) < n * sizeof(xc_fact_income) + (n / 32 + 1) * 8 + 4096);

    /* The evidence of a run: its first month, months and sum, no source or
     * line. */
    xc_buf buf = {0};
    xc_fact_json(a, XC_DS_SOCIAL_INSURANCE, &all[0], false, &buf);
    char *json = xc_buf_take(&buf);
    assert_non_null(json);
    assert_non_null(strstr(json, "{\"dataset\":\"social_insurance\",\"masked_id\":\""));
    assert_non_null(strstr(json, "\"month\":\"2022-"));
    assert_non_null(strstr(json, "\"months\":"));
    assert_null(strstr(json, "\"line\""));
    free(json);
    xc_facts_free(a);
}

/* Years of the same pension are one fact, not a fact a month: memory does
 * not grow with the months of history. */
static void test_facts_keep_years_of_one_pension_as_one_run(void **state)
{
    (void)state;
    xc_facts *f = NULL;
    assert_int_equal(xc_facts_new(&f), XC_OK);
    uint16_t s;
    assert_int_equal(xc_facts_add_source(f, XC_DS_SOCIAL_INSURANCE, "a.csv", &s), XC_OK);
    for (int p = 0; p < 1000; p++)
        for (int m = 0; m < 54; m++) {
            xc_record r = income_row(530102197003120000ULL + (uint64_t)p, 2022 * 12 + m,
                                     366300, 2 + p * 54 + m);
            assert_int_equal(xc_facts_add(f, XC_DS_SOCIAL_INSURANCE, s, &r), XC_OK);
            size_t n;
            xc_facts_all(f, XC_DS_SOCIAL_INSURANCE, &n);
            assert_true(n <= (size_t)p + 2);     /* while scanning, too */
        }
    xc_facts_seal(f);
    size_t n;
    const xc_fact_income *all = xc_facts_all(f, XC_DS_SOCIAL_INSURANCE, &n);
    assert_int_equal(n, 1000);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(all[i].months, 54);
        assert_int_equal(all[i].amount, 366300);
        assert_int_equal(xc_income_month(&all[i]), 2022 * 12);
    }
    xc_facts_free(f);
}

/* Sums that need more than 32 bits are kept apart, whole; sums that would
 * not fit in 64 stay apart too: xc_facts_income() adds them all up. */
static void test_facts_keep_sums_apart_that_need_more_bits(void **state)
{
    (void)state;
    xc_facts *f = NULL;
    assert_int_equal(xc_facts_new(&f), XC_OK);
    uint16_t s;
    assert_int_equal(xc_facts_add_source(f, XC_DS_SOCIAL_INSURANCE, "a.csv", &s), XC_OK);
    const uint64_t key = 530102197003120133ULL / 10;
    const xc_month m = 2025 * 12;
    /* 2,000,000,000 fen twice: each fits 32 bits, their sum does not */
    xc_record r1 = income_row(key, m, 2000000000, 2);
    xc_record r2 = income_row(key, m, 2000000000, 3);
    xc_record big = income_row(key, m + 1, 10000000000000LL, 4);     /* 10^11 yuan */
    xc_record small = income_row(key, m + 1, 10, 5);
    xc_record after = income_row(key, m + 2, 10, 6);
    xc_record r[] = {r1, r2, big, small, after, small};
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        assert_int_equal(xc_facts_add(f, XC_DS_SOCIAL_INSURANCE, s, &r[i]), XC_OK);
    /* and from another part: a wide month of its own, merged in */
    xc_facts *g = NULL;
    assert_int_equal(xc_facts_new(&g), XC_OK);
    assert_int_equal(xc_facts_add_source(g, XC_DS_SOCIAL_INSURANCE, "b.csv", &s), XC_OK);
    xc_record other = income_row(key, m + 3, -5000000000LL, 2);
    assert_int_equal(xc_facts_add(g, XC_DS_SOCIAL_INSURANCE, s, &other), XC_OK);
    xc_record alone = income_row(key + 2, m + 1, -3000000000LL, 3);
    assert_int_equal(xc_facts_add(g, XC_DS_SOCIAL_INSURANCE, s, &alone), XC_OK);
    assert_int_equal(xc_facts_add(g, XC_DS_SOCIAL_INSURANCE, s, &big), XC_OK);
    assert_int_equal(xc_facts_merge(f, g), XC_OK);
    xc_facts_free(g);
    xc_facts_seal(f);
    int64_t got[4] = {0};
    xc_facts_income(f, key, m, m + 3, got);
    assert_int_equal(got[0], 4000000000LL);
    assert_int_equal(got[1], 20000000000020LL);
    assert_int_equal(got[2], 10);
    assert_int_equal(got[3], -5000000000LL);
    int64_t none[2] = {0};
    xc_facts_income(f, key + 1, m, m + 1, none);
    assert_int_equal(none[0], 0);
    assert_int_equal(none[1], 0);
    int64_t only[2] = {0};                   /* a key with wide months only */
    xc_facts_income(f, key + 2, m, m + 1, only);
    assert_int_equal(only[0], 0);
    assert_int_equal(only[1], -3000000000LL);
    xc_facts_free(f);
}

/* 2026-12-02: with lines cut at 2^32 - 1, two rows of one person in one
 * source past that line had the same (key, source, line), and the ID text
 * kept apart for one of them was shown for both. Lines now hold 48 bits. */
static void test_facts_keep_id_texts_apart_past_line_four_billion(void **state)
{
    (void)state;
    xc_facts *f = NULL;
    assert_int_equal(xc_facts_new(&f), XC_OK);
    uint16_t s;
    assert_int_equal(xc_facts_add_source(f, XC_DS_PROPERTY, "big.csv", &s), XC_OK);
    xc_date d = xc_date_from_ymd(2024, 3, 1);
    xc_record dirty = property(" 530102-19700312-0133 ", "cert-dirty", 1, d, 5000000000L);
    xc_record clean = property("530102197003120133", "cert-clean", 1, d, 6000000000L);
    assert_int_equal(xc_facts_add(f, XC_DS_PROPERTY, s, &dirty), XC_OK);
    assert_int_equal(xc_facts_add(f, XC_DS_PROPERTY, s, &clean), XC_OK);
    xc_facts_seal(f);
    size_t n;
    const xc_fact_property *p = xc_facts_find(f, XC_DS_PROPERTY, clean.id.key, &n);
    assert_int_equal(n, 2);
    assert_string_equal(p[0].cert_no, "cert-dirty");
    assert_int_equal(xc_fact_line(&p[0].h), 5000000000ULL);
    assert_string_equal(xc_fact_raw_id(f, XC_DS_PROPERTY, &p[0]), " 530102-19700312-0133 ");
    assert_int_equal(xc_fact_line(&p[1].h), 6000000000ULL);
    assert_null(xc_fact_raw_id(f, XC_DS_PROPERTY, &p[1]));
    xc_buf b = {0};
    xc_fact_json(f, XC_DS_PROPERTY, &p[1], false, &b);
    char *json = xc_buf_take(&b);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"line\":6000000000,"));
    assert_null(strstr(json, "raw_id"));
    free(json);
    xc_facts_free(f);
}

/* Runs of a key, x[0 .. n-1]: sorted, apart, none continuing the one before
 * with the same sum; returns the months' total. */
static int64_t check_runs(const xc_fact_income *x, size_t n)
{
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (i) {
            assert_true(xc_income_last(&x[i - 1]) < xc_income_month(&x[i]));
            assert_false(xc_income_last(&x[i - 1]) + 1 == xc_income_month(&x[i]) &&
                         x[i - 1].amount == x[i].amount);
        }
        total += (int64_t)x[i].months * x[i].amount;
    }
    return total;
}

/* 2026-12-02: a person whose months spanned more than 100 years (a row of
 * 1900 among those of 2024) kept every run as scanned, overlapping. Every
 * month a value can hold is summed now; and a row inside a long run, which
 * splits it into three, no longer takes a second copy of the vector. */
static void test_facts_sum_runs_across_every_month_and_split_long_ones(void **state)
{
    (void)state;
    xc_facts *f = NULL;
    assert_int_equal(xc_facts_new(&f), XC_OK);
    uint16_t s;
    assert_int_equal(xc_facts_add_source(f, XC_DS_SOCIAL_INSURANCE, "a.csv", &s), XC_OK);
    const uint64_t key = 53010219700312013ULL, other = key + 1, edges = key + 2;
    long line = 2;
    xc_record r = income_row(key, XC_DATE_MIN_YEAR * 12, 100, line++);
    assert_int_equal(xc_facts_add(f, XC_DS_SOCIAL_INSURANCE, s, &r), XC_OK);
    for (int rep = 0; rep < 3; rep++)
        for (int m = 0; m < 24; m++) {
            r = income_row(key, 2024 * 12 + m, 500, line++);
            assert_int_equal(xc_facts_add(f, XC_DS_SOCIAL_INSURANCE, s, &r), XC_OK);
            r = income_row(other, 2024 * 12 + m, 7, line++);
            assert_int_equal(xc_facts_add(f, XC_DS_SOCIAL_INSURANCE, s, &r), XC_OK);
        }
    r = income_row(key, XC_DATE_MAX_YEAR * 12 + 11, 100, line++);
    assert_int_equal(xc_facts_add(f, XC_DS_SOCIAL_INSURANCE, s, &r), XC_OK);
    /* one run over every month, then a row inside it */
    for (xc_month m = XC_DATE_MIN_YEAR * 12; m <= XC_DATE_MAX_YEAR * 12 + 11; m++) {
        r = income_row(edges, m, 1, line++);
        assert_int_equal(xc_facts_add(f, XC_DS_SOCIAL_INSURANCE, s, &r), XC_OK);
    }
    r = income_row(edges, 2000 * 12, 1, line++);
    assert_int_equal(xc_facts_add(f, XC_DS_SOCIAL_INSURANCE, s, &r), XC_OK);
    xc_facts_seal(f);
    size_t n;
    const xc_fact_income *x = xc_facts_find(f, XC_DS_SOCIAL_INSURANCE, key, &n);
    assert_int_equal(n, 3);                      /* 1900, 2024-2025, 2099 */
    assert_int_equal(check_runs(x, n), 100 + 24 * 1500 + 100);
    x = xc_facts_find(f, XC_DS_SOCIAL_INSURANCE, other, &n);
    assert_int_equal(n, 1);
    assert_int_equal(x->months, 24);
    assert_int_equal(x->amount, 21);
    x = xc_facts_find(f, XC_DS_SOCIAL_INSURANCE, edges, &n);
    assert_int_equal(n, 3);
    int months = (XC_DATE_MAX_YEAR - XC_DATE_MIN_YEAR + 1) * 12;
    assert_int_equal(check_runs(x, n), months + 1);
    assert_int_equal(xc_income_month(&x[1]), 2000 * 12);
    assert_int_equal(x[1].amount, 2);
    size_t all;
    xc_facts_all(f, XC_DS_SOCIAL_INSURANCE, &all);
    assert_int_equal(all, 7);
    assert_true(xc_facts_bytes(f) < 7 * sizeof(xc_fact_income) + 4096);
    xc_facts_free(f);
}

/* A person's rows newest first, as some exports hold them: one run after
 * the seal. */
static void test_facts_join_months_that_come_newest_first(void **state)
{
    (void)state;
    xc_facts *f = NULL;
    assert_int_equal(xc_facts_new(&f), XC_OK);
    uint16_t s;
    assert_int_equal(xc_facts_add_source(f, XC_DS_SOCIAL_INSURANCE, "a.csv", &s), XC_OK);
    for (int m = 59; m >= 0; m--) {
        xc_record r = income_row(53010219700312013ULL, 2021 * 12 + m, 250000, 62 - m);
        assert_int_equal(xc_facts_add(f, XC_DS_SOCIAL_INSURANCE, s, &r), XC_OK);
    }
    xc_facts_seal(f);
    size_t n;
    const xc_fact_income *x = xc_facts_all(f, XC_DS_SOCIAL_INSURANCE, &n);
    assert_int_equal(n, 1);
    assert_int_equal(xc_income_month(x), 2021 * 12);
    assert_int_equal(x->months, 60);
    xc_facts_free(f);
}

/* A contact row for household h (key h + 1) and cadre. */
static xc_record contact_row(const char *cadre, long line)
{
    xc_record r;
    memset(&r, 0, sizeof r);
    r.line = line;
    r.id_field = -1;
    r.v[XC_CT_CONTACT_DATE].i = xc_date_from_ymd(2025, 3, 1);
    text(&r.v[XC_CT_CADRE_ID], cadre);
    return r;
}

/* A few cadres hold millions of contacts: their text is kept once. */
static void test_facts_keep_a_cadre_text_once(void **state)
{
    (void)state;
    xc_facts *f = NULL, *g = NULL;
    assert_int_equal(xc_facts_new(&f), XC_OK);
    assert_int_equal(xc_facts_new(&g), XC_OK);
    uint16_t s, t;
    assert_int_equal(xc_facts_add_source(f, XC_DS_CONTACT, "c.csv", &s), XC_OK);
    assert_int_equal(xc_facts_add_source(g, XC_DS_CONTACT, "d.csv", &t), XC_OK);
    char name[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "C%05d", i % 300);
        xc_record r = contact_row(name, i + 2);
        assert_int_equal(xc_facts_add_key(i % 2 ? f : g, XC_DS_CONTACT, i % 2 ? s : t,
                                          (uint64_t)(i % 977) + 1, &r), XC_OK);
    }
    xc_record none = contact_row("", 9000);
    assert_int_equal(xc_facts_add_key(f, XC_DS_CONTACT, s, 5, &none), XC_OK);
    assert_int_equal(xc_facts_merge(f, g), XC_OK);
    xc_facts_free(g);
    xc_facts_seal(f);
    size_t n;
    const xc_fact_contact *c = xc_facts_all(f, XC_DS_CONTACT, &n);
    assert_int_equal(n, 5001);
    const char *first[300] = {0};
    size_t distinct = 0, nulls = 0;
    for (size_t i = 0; i < n; i++) {
        if (!c[i].cadre_id) {
            nulls++;
            continue;
        }
        int who = atoi(c[i].cadre_id + 1);
        assert_true(who >= 0 && who < 300);
        snprintf(name, sizeof name, "C%05d", who);
        assert_string_equal(c[i].cadre_id, name);
        if (!first[who]) {
            first[who] = c[i].cadre_id;
            distinct++;
        }
    }
    assert_int_equal(nulls, 1);
    assert_int_equal(distinct, 300);
    /* one copy per text and set: at most two copies of each, not 5,000 */
    size_t copies = 0;
    for (int who = 0; who < 300; who++) {
        const char *other = NULL;
        for (size_t i = 0; i < n; i++)
            if (c[i].cadre_id && atoi(c[i].cadre_id + 1) == who && c[i].cadre_id != first[who])
                other = c[i].cadre_id;
        copies += 1 + (other != NULL);
    }
    assert_true(copies <= 600);
    xc_facts_free(f);
}

static void test_facts_are_kept_for_every_dataset_but_the_archive(void **state)
{
    (void)state;
    for (int d = 0; d < XC_DS_COUNT; d++)
        assert_int_equal(xc_facts_kept((xc_ds_id)d),
                         d != XC_DS_HOUSEHOLD && d != XC_DS_MEMBER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_facts_merge_sets_scanned_apart_and_remap_their_sources),
        cmocka_unit_test(test_facts_write_their_evidence_as_json),
        cmocka_unit_test(test_facts_are_kept_for_every_dataset_but_the_archive),
        cmocka_unit_test(test_facts_sort_many_rows_by_key_source_line_and_find_each_run),
        cmocka_unit_test(test_facts_sealed_on_several_threads_are_the_same),
        cmocka_unit_test(test_facts_seal_of_nothing_and_merge_of_a_sealed_set),
        cmocka_unit_test(test_facts_sum_social_insurance_into_runs_of_months),
        cmocka_unit_test(test_facts_keep_years_of_one_pension_as_one_run),
        cmocka_unit_test(test_facts_keep_sums_apart_that_need_more_bits),
        cmocka_unit_test(test_facts_keep_id_texts_apart_past_line_four_billion),
        cmocka_unit_test(test_facts_sum_runs_across_every_month_and_split_long_ones),
        cmocka_unit_test(test_facts_join_months_that_come_newest_first),
        cmocka_unit_test(test_facts_keep_a_cadre_text_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
