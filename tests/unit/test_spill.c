/* test_spill.c - the spill store (blocks by bucket in an encrypted, unlinked
 * temporary file) and facts moved out to it by windows of households and
 * read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scratch.h"
#include "xcheck/archive.h"
#include "xcheck/facts.h"
#include "xcheck/spill.h"
#include "xcheck/text.h"

/* ---- the store ---------------------------------------------------------- */

/* Each test's scratch directory: made by setup, removed by teardown. */
static char scratch[256];

static int setup(void **state)
{
    (void)state;
    return xc_scratch_make(scratch, sizeof scratch, "spill");
}

static int teardown(void **state)
{
    (void)state;
    return xc_scratch_remove(scratch);
}

static const char *scratch_dir(void)
{
    return scratch;
}

typedef struct collected {
    char buf[1 << 17];
    size_t n;
    int blocks;
} collected;

static int collect(void *user, const void *bytes, size_t n)
{
    collected *c = user;
    assert_true(c->n + n <= sizeof c->buf);
    memcpy(c->buf + c->n, bytes, n);
    c->n += n;
    c->blocks++;
    return XC_OK;
}

/* The file descriptor of the store's file: the one open file under dir. */
static int store_fd(const char *dir)
{
    DIR *d = opendir("/proc/self/fd");
    assert_non_null(d);
    struct dirent *e;
    int found = -1;
    while ((e = readdir(d))) {
        char link[300], target[4096];
        snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n <= 0)
            continue;
        target[n] = '\0';
        if (strncmp(target, dir, strlen(dir)) == 0 && target[strlen(dir)] == '/')
            found = atoi(e->d_name);
    }
    closedir(d);
    return found;
}

static void test_spill_gives_back_each_bucket_in_the_order_written(void **state)
{
    (void)state;
    const char *dir = scratch_dir();
    xc_spill *s = NULL;
    xc_err err;
    assert_int_equal(xc_spill_open(dir, 3, &s, &err), XC_OK);
    assert_int_equal(xc_spill_write(s, 2, "two-a|", 6, &err), XC_OK);
    assert_int_equal(xc_spill_write(s, 0, "zero|", 5, &err), XC_OK);
    assert_int_equal(xc_spill_write(s, 2, "two-b", 5, &err), XC_OK);
    assert_int_equal(xc_spill_bytes(s, 2), 11);
    assert_int_equal(xc_spill_bytes(s, 1), 0);
    assert_int_equal(xc_spill_total(s), 16 + 3 * 16);   /* a 16-byte tag a block */
    collected c = {0};
    assert_int_equal(xc_spill_read(s, 2, collect, &c, &err), XC_OK);
    assert_int_equal(c.blocks, 2);
    assert_memory_equal(c.buf, "two-a|two-b", 11);
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_spill_read(s, 1, collect, &c, &err), XC_OK);
    assert_int_equal(c.blocks, 0);
    /* read twice: the same */
    memset(&c, 0, sizeof c);
    assert_int_equal(xc_spill_read(s, 2, collect, &c, &err), XC_OK);
    assert_memory_equal(c.buf, "two-a|two-b", 11);
    xc_spill_free(s);
    xc_spill_free(NULL);
}

/* What the file holds on disk: nothing of what was written, nothing under
 * a name in the directory, mode 0600; and a byte changed there is caught. */
static void test_spill_file_is_unnamed_private_encrypted_and_checked(void **state)
{
    (void)state;
    const char *dir = scratch_dir();
    xc_spill *s = NULL;
    xc_err err;
    assert_int_equal(xc_spill_open(dir, 1, &s, &err), XC_OK);
    const char *secret = "530102197003120133 张三 530102197003120133 张三 530102197003120133";
    assert_int_equal(xc_spill_write(s, 0, secret, strlen(secret), &err), XC_OK);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    int names = 0;
    while ((e = readdir(d)))
        names += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    assert_int_equal(names, 0);
    int fd = store_fd(dir);
    assert_true(fd >= 0);
    struct stat st;
    assert_int_equal(fstat(fd, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_nlink, 0);
    char raw[512];
    ssize_t n = pread(fd, raw, sizeof raw, 0);
    assert_int_equal(n, (ssize_t)strlen(secret) + 16);
    assert_null(memmem(raw, (size_t)n, "530102", 6));
    assert_null(memmem(raw, (size_t)n, "张三", strlen("张三")));
    /* one bit changed on disk */
    raw[5] ^= 1;
    assert_int_equal(pwrite(fd, raw + 5, 1, 5), 1);
    collected c = {0};
    xc_err_clear(&err);
    assert_int_equal(xc_spill_read(s, 0, collect, &c, &err), XC_EIO);
    assert_int_equal(c.blocks, 0);
    assert_non_null(strstr(err.msg, "damaged"));
    assert_non_null(strstr(err.msg, dir));
    xc_spill_free(s);
}

static void test_spill_names_a_directory_it_cannot_use(void **state)
{
    (void)state;
    char missing[4200];
    snprintf(missing, sizeof missing, "%s/not-there", scratch_dir());
    xc_spill *s = NULL;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_spill_open(missing, 4, &s, &err), XC_EIO);
    assert_null(s);
    assert_non_null(strstr(err.msg, missing));
    assert_non_null(strstr(err.hint, "--temp-dir"));
    assert_int_equal(xc_spill_open(scratch_dir(), 0, &s, &err), XC_EINTERNAL);
}

typedef struct writer {
    xc_spill *s;
    int id;
} writer;

static void *write_many(void *arg)
{
    writer *w = arg;
    for (int i = 0; i < 1000; i++) {
        char b[16];
        int n = snprintf(b, sizeof b, "%d:%03d,", w->id, i);
        assert_int_equal(xc_spill_write(w->s, i % 2, b, (size_t)n, NULL), XC_OK);
    }
    return NULL;
}

/* Threads writing at once: every block comes back once, each thread's in
 * its order. */
static void test_spill_takes_writers_at_once(void **state)
{
    (void)state;
    xc_spill *s = NULL;
    assert_int_equal(xc_spill_open(scratch_dir(), 2, &s, NULL), XC_OK);
    pthread_t t[4];
    writer w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (writer){s, i};
        assert_int_equal(pthread_create(&t[i], NULL, write_many, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    for (int b = 0; b < 2; b++) {
        collected *c = calloc(1, sizeof *c);
        assert_int_equal(xc_spill_read(s, b, collect, c, NULL), XC_OK);
        assert_int_equal(c->blocks, 2000);
        c->buf[c->n] = '\0';
        int last[4] = {-1, -1, -1, -1};
        for (char *p = c->buf; *p;) {
            int id, i;
            assert_int_equal(sscanf(p, "%d:%d,", &id, &i), 2);
            assert_true(i > last[id]);
            assert_int_equal(i % 2, b);
            last[id] = i;
            p = strchr(p, ',') + 1;
        }
        free(c);
    }
    xc_spill_free(s);
}

/* ---- facts by windows of households -------------------------------------- */

static void set_text(xc_value *v, const char *s)
{
    memset(v, 0, sizeof *v);
    v->s = s;
    v->len = strlen(s);
    v->null = v->len == 0;
}

static xc_record household(const char *no, long line, const char *worker)
{
    xc_record r;
    memset(&r, 0, sizeof r);
    r.line = line;
    set_text(&r.v[XC_HH_ARCHIVE_NO], no);
    set_text(&r.v[XC_HH_WORKER_NAME], "张三");
    set_text(&r.v[XC_HH_CADRE_ID], "");
    set_text(&r.v[XC_HH_EXITED_ON], "");
    r.v[XC_HH_REGION_CODE].i = 530102;
    r.v[XC_HH_ENROLLED_ON].i = xc_date_from_ymd(2020, 1, 1);
    if (worker)
        assert_int_equal(xc_id_parse(worker, strlen(worker), xc_date_from_ymd(2026, 6, 30),
                                     &r.id), 0);
    return r;
}

static xc_record member(const char *no, const char *id)
{
    xc_record r;
    memset(&r, 0, sizeof r);
    set_text(&r.v[XC_MB_ARCHIVE_NO], no);
    set_text(&r.v[XC_MB_ID_NO], id);
    set_text(&r.v[XC_MB_NAME], "某人");
    assert_int_equal(xc_id_parse(id, strlen(id), xc_date_from_ymd(2026, 6, 30), &r.id), 0);
    return r;
}

static xc_record id_record(xc_ds_id ds, int id_field, const char *raw, long line)
{
    xc_record r;
    memset(&r, 0, sizeof r);
    r.line = line;
    r.id_field = id_field;
    set_text(&r.v[id_field], raw);
    assert_int_equal(xc_id_parse(raw, strlen(raw), xc_date_from_ymd(2026, 6, 30), &r.id), 0);
    (void)ds;
    return r;
}

static xc_record hukou(const char *raw, const char *name, long line)
{
    xc_record r = id_record(XC_DS_HUKOU, XC_HK_ID_NO, raw, line);
    set_text(&r.v[XC_HK_NAME], name);
    set_text(&r.v[XC_HK_STATUS_ON], "");
    return r;
}

static xc_record income(const char *raw, int year, int month, int64_t fen, long line)
{
    xc_record r = id_record(XC_DS_SOCIAL_INSURANCE, XC_SI_ID_NO, raw, line);
    r.v[XC_SI_MONTH].i = year * 12 + month - 1;
    r.v[XC_SI_AMOUNT].i = fen;
    return r;
}

static xc_record payment(const char *raw, int64_t fen, long line)
{
    xc_record r = id_record(XC_DS_PAYMENT, XC_PM_ID_NO, raw, line);
    r.v[XC_PM_AMOUNT].i = fen;
    r.v[XC_PM_PAID_ON].i = xc_date_from_ymd(2026, 3, 1);
    set_text(&r.v[XC_PM_PERSONAL_BURDEN], "");
    return r;
}

static xc_record contact(const char *cadre, long line)
{
    xc_record r;
    memset(&r, 0, sizeof r);
    r.line = line;
    r.id_field = -1;
    set_text(&r.v[XC_CT_CADRE_ID], cadre);
    r.v[XC_CT_CONTACT_DATE].i = xc_date_from_ymd(2026, 2, (int)line);
    return r;
}

/* Households H-0..H-3, one a window; P in H-0 and H-2 (two windows), Q in
 * H-1, R nowhere. H-2's worker is Q and H-3's R, neither their member. */
static const char *P = "530102197003120133", *Q = "11010519491231002X",
                  *R = "110105198001010016";

static xc_archive *four_households(void)
{
    xc_archive *a = NULL;
    assert_int_equal(xc_archive_new(&a), XC_OK);
    const char *no[] = {"H-0", "H-1", "H-2", "H-3"};
    const char *worker[] = {P, Q, Q, R};
    for (int i = 0; i < 4; i++) {
        xc_record h = household(no[i], i + 2, worker[i]);
        assert_int_equal(xc_archive_add_household(a, &h, NULL), XC_OK);
    }
    xc_record m[] = {member("H-0", P), member("H-1", Q), member("H-2", P)};
    for (int i = 0; i < 3; i++)
        assert_int_equal(xc_archive_add_member(a, &m[i]), XC_OK);
    assert_int_equal(xc_archive_seal(a), XC_OK);
    return a;
}

static uint64_t key_of(const char *id)
{
    xc_id p;
    assert_int_equal(xc_id_parse(id, strlen(id), xc_date_from_ymd(2026, 6, 30), &p), 0);
    return p.key;
}

static void test_facts_go_to_their_households_windows_and_come_back_whole(void **state)
{
    (void)state;
    xc_archive *a = four_households();
    xc_facts *f = NULL;
    assert_int_equal(xc_facts_new(&f), XC_OK);
    uint16_t src[XC_DS_COUNT];
    assert_int_equal(xc_facts_add_source(f, XC_DS_HUKOU, "hukou.csv", &src[XC_DS_HUKOU]), XC_OK);
    assert_int_equal(xc_facts_add_source(f, XC_DS_PAYMENT, "pay.csv", &src[XC_DS_PAYMENT]), XC_OK);
    assert_int_equal(xc_facts_add_source(f, XC_DS_CONTACT, "ct.csv", &src[XC_DS_CONTACT]), XC_OK);
    xc_record hk[] = {hukou(" 530102-19700312-0133", "张三", 7), hukou(Q, "李四", 8),
                      hukou(R, "王五", 9)};
    for (int i = 0; i < 3; i++)
        assert_int_equal(xc_facts_add(f, XC_DS_HUKOU, src[XC_DS_HUKOU], &hk[i]), XC_OK);
    xc_record si[] = {income(P, 2026, 1, 100000, 2), income(P, 2026, 2, 100000, 3),
                      income(P, 2026, 3, 4000000000LL, 4), income(R, 2026, 1, 5, 5)};
    for (int i = 0; i < 4; i++)
        assert_int_equal(xc_facts_add(f, XC_DS_SOCIAL_INSURANCE, 0, &si[i]), XC_OK);
    xc_record pm[] = {payment(P, 300, 2), payment(R, 400, 3)};
    for (int i = 0; i < 2; i++)
        assert_int_equal(xc_facts_add(f, XC_DS_PAYMENT, src[XC_DS_PAYMENT], &pm[i]), XC_OK);
    xc_record ct = contact("C-9", 4);
    assert_int_equal(xc_facts_add_key(f, XC_DS_CONTACT, src[XC_DS_CONTACT], 2 /* H-1 */, &ct),
                     XC_OK);

    xc_spill *s = NULL;
    assert_int_equal(xc_spill_open(scratch_dir(), 4, &s, NULL), XC_OK);
    xc_facts_worker *workers = NULL;
    size_t n_workers;
    assert_int_equal(xc_facts_workers(a, &workers, &n_workers), XC_OK);
    assert_int_equal(n_workers, 2);                 /* H-2's Q, H-3's R */
    xc_facts_windows w = {.archive = a, .workers = workers, .n_workers = n_workers,
                          .households = 1, .n = 4};
    uint16_t shift[XC_DS_COUNT] = {0};
    shift[XC_DS_HUKOU] = 5;           /* its source is the run's sixth */
    assert_int_equal(xc_facts_spill(f, &w, shift, s, NULL), XC_OK);
    /* in memory: R's hukou, income and payment (outside the archive) */
    size_t n;
    assert_non_null(xc_facts_all(f, XC_DS_HUKOU, &n));
    assert_int_equal(n, 1);
    xc_facts_all(f, XC_DS_SOCIAL_INSURANCE, &n);
    assert_int_equal(n, 1);
    xc_facts_all(f, XC_DS_PAYMENT, &n);
    assert_int_equal(n, 1);
    xc_facts_all(f, XC_DS_CONTACT, &n);
    assert_int_equal(n, 0);
    xc_facts_seal(f);
    assert_string_equal(((const xc_fact_hukou *)xc_facts_find(f, XC_DS_HUKOU, key_of(R), &n))
                            ->name, "王五");

    /* H-0 and H-2 both hold P's hukou and income; the payment only the first */
    for (int win = 0; win <= 2; win += 2) {
        xc_facts *back = NULL;
        assert_int_equal(xc_facts_new(&back), XC_OK);
        assert_int_equal(xc_facts_load(back, s, win, win, NULL), XC_OK);
        xc_facts_seal(back);
        xc_facts_borrow_sources(back, f);
        const xc_fact_hukou *h = xc_facts_find(back, XC_DS_HUKOU, key_of(P), &n);
        assert_int_equal(n, 1);
        assert_string_equal(h->name, "张三");
        assert_int_equal(h->h.src, 5);
        assert_int_equal(xc_fact_line(&h->h), 7);
        assert_string_equal(xc_fact_raw_id(back, XC_DS_HUKOU, h), " 530102-19700312-0133");
        int64_t months[3] = {0};
        xc_facts_income(back, key_of(P), 2026 * 12, 2026 * 12 + 2, months);
        assert_int_equal(months[0], 100000);
        assert_int_equal(months[1], 100000);
        assert_int_equal(months[2], 4000000000LL);   /* a month kept apart, whole */
        xc_facts_find(back, XC_DS_PAYMENT, key_of(P), &n);
        assert_int_equal(n, win == 0 ? 1 : 0);
        xc_facts_all(back, XC_DS_HUKOU, &n);
        assert_int_equal(n, win == 0 ? 1 : 2);       /* H-2's: its worker Q's too */
        xc_facts_free(back);
    }
    /* 2026-12-02: the windows of a batch read back together held the facts
     * of a person in households of two of them twice, and the household's
     * income counted twice. Windows 0 to 3 in one set: each fact once. */
    xc_facts *all = NULL;
    assert_int_equal(xc_facts_new(&all), XC_OK);
    for (int win = 0; win < 4; win++)
        assert_int_equal(xc_facts_load(all, s, win, 0, NULL), XC_OK);
    xc_facts_seal(all);
    xc_facts_all(all, XC_DS_HUKOU, &n);
    assert_int_equal(n, 3);                          /* P's, Q's, R's */
    xc_facts_find(all, XC_DS_HUKOU, key_of(P), &n);
    assert_int_equal(n, 1);
    assert_non_null(xc_fact_raw_id(all, XC_DS_HUKOU,
                                   xc_facts_find(all, XC_DS_HUKOU, key_of(P), &n)));
    int64_t twice[3] = {0};
    xc_facts_income(all, key_of(P), 2026 * 12, 2026 * 12 + 2, twice);
    assert_int_equal(twice[0], 100000);
    assert_int_equal(twice[2], 4000000000LL);
    xc_facts_free(all);
    /* 2026-12-02: a household whose worker is not its member (H-3: R,
     * outside the archive) did not have the worker's hukou in its window,
     * and HK-DECEASED could not see a dead worker. */
    xc_facts *three = NULL;
    assert_int_equal(xc_facts_new(&three), XC_OK);
    assert_int_equal(xc_facts_load(three, s, 3, 3, NULL), XC_OK);
    xc_facts_seal(three);
    assert_string_equal(((const xc_fact_hukou *)xc_facts_find(three, XC_DS_HUKOU, key_of(R), &n))
                            ->name, "王五");
    xc_facts_free(three);
    xc_facts *one = NULL;
    assert_int_equal(xc_facts_new(&one), XC_OK);
    assert_int_equal(xc_facts_load(one, s, 1, 1, NULL), XC_OK);
    xc_facts_seal(one);
    xc_facts_borrow_sources(one, f);
    const xc_fact_contact *c = xc_facts_find(one, XC_DS_CONTACT, 2, &n);
    assert_int_equal(n, 1);
    assert_string_equal(c->cadre_id, "C-9");
    assert_string_equal(xc_facts_source(one, XC_DS_CONTACT, c->h.src), "ct.csv");
    assert_string_equal(((const xc_fact_hukou *)xc_facts_find(one, XC_DS_HUKOU, key_of(Q), &n))
                            ->name, "李四");
    xc_facts_free(one);
    xc_spill_free(s);
    xc_facts_free(f);
    free(workers);
    xc_archive_free(a);
}

/* A second spill of the same set writes only what came since; a row that
 * continues a run kept in memory does not join it. 2026-12-02: the facts a
 * candidate's ID number keeps in memory went to the windows again at every
 * spill of their set, and the household counted that income as often. */
static void test_facts_kept_at_a_spill_are_not_written_again(void **state)
{
    (void)state;
    xc_archive *a = four_households();
    xc_facts *cand = NULL, *f = NULL;
    assert_int_equal(xc_facts_new(&cand), XC_OK);
    uint16_t cs;
    assert_int_equal(xc_facts_add_source(cand, XC_DS_CANDIDATE, "cand.csv", &cs), XC_OK);
    xc_record cr = id_record(XC_DS_CANDIDATE, XC_CD_ID_NO, P, 2);
    set_text(&cr.v[XC_CD_NAME], "张三");
    set_text(&cr.v[XC_CD_SOURCE], "低保");
    assert_int_equal(xc_facts_add(cand, XC_DS_CANDIDATE, cs, &cr), XC_OK);
    xc_facts_seal(cand);
    assert_int_equal(xc_facts_new(&f), XC_OK);
    xc_spill *s = NULL;
    assert_int_equal(xc_spill_open(scratch_dir(), 4, &s, NULL), XC_OK);
    xc_facts_windows w = {.archive = a, .households = 1, .n = 4, .keep = cand};
    uint16_t shift[XC_DS_COUNT] = {0};
    for (int m = 1; m <= 4; m++) {
        xc_record r = income(P, 2026, m, 1000, m);
        assert_int_equal(xc_facts_add(f, XC_DS_SOCIAL_INSURANCE, 0, &r), XC_OK);
        if (m % 2 == 0)
            assert_int_equal(xc_facts_spill(f, &w, shift, s, NULL), XC_OK);
    }
    size_t n;
    xc_facts_seal(f);
    int64_t months[4] = {0};
    xc_facts_income(f, key_of(P), 2026 * 12, 2026 * 12 + 3, months);
    for (int i = 0; i < 4; i++)
        assert_int_equal(months[i], 1000);        /* the copy kept in memory */
    xc_facts *back = NULL;
    assert_int_equal(xc_facts_new(&back), XC_OK);
    assert_int_equal(xc_facts_load(back, s, 0, 0, NULL), XC_OK);
    xc_facts_seal(back);
    memset(months, 0, sizeof months);
    xc_facts_income(back, key_of(P), 2026 * 12, 2026 * 12 + 3, months);
    for (int i = 0; i < 4; i++)
        assert_int_equal(months[i], 1000);        /* once each, in the window */
    xc_facts_find(back, XC_DS_SOCIAL_INSURANCE, key_of(P), &n);
    assert_int_equal(n, 1);                       /* one run, summed and joined */
    xc_facts_free(back);
    xc_facts_free(f);
    xc_facts_free(cand);
    xc_spill_free(s);
    xc_archive_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_spill_gives_back_each_bucket_in_the_order_written, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spill_file_is_unnamed_private_encrypted_and_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spill_names_a_directory_it_cannot_use, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spill_takes_writers_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_facts_go_to_their_households_windows_and_come_back_whole, setup, teardown),
        cmocka_unit_test_setup_teardown(test_facts_kept_at_a_spill_are_not_written_again, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
