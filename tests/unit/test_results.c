/* test_results.c - the parts of results.c that need no server: COPY text
 * escaping, the flag key and its keyed person pseudonym, the diff's text
 * and CSV, publishing without a key, and messages that must never show a
 * password. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/archive.h"
#include "xcheck/config.h"
#include "xcheck/date.h"
#include "xcheck/idno.h"
#include "xcheck/pseudonym.h"
#include "xcheck/results.h"
#include "xcheck/plugin/rule.h"
#include "xcheck/schema.h"

/* Every results session's lock_timeout, as a configuration gives it. */
#define WAIT_MS XC_LOCK_TIMEOUT_DEFAULT_MS
#include "xcheck/text.h"

/* ---- building an archive ------------------------------------------------ */

enum { SELF = 0, SPOUSE = 1 };      /* member.relation value indexes */

static xc_date day(int y, int m, int d)
{
    return xc_date_from_ymd(y, m, d);
}

static char *make_id(char out[static 19], uint32_t region, int y, int m, int d, int seq)
{
    snprintf(out, 19, "%06u%04d%02d%02d%03d", (unsigned)region, y, m, d, seq);
    out[17] = xc_id_check_char(out);
    out[18] = '\0';
    return out;
}

static void set_text(xc_value *v, const char *s)
{
    memset(v, 0, sizeof *v);
    v->s = s;
    v->len = strlen(s);
    v->null = v->len == 0;
}

static void set_int(xc_value *v, int64_t i)
{
    memset(v, 0, sizeof *v);
    v->s = "";
    v->i = i;
}

static void new_record(xc_record *rec, int id_field, const char *id_text)
{
    memset(rec, 0, sizeof *rec);
    for (int i = 0; i < XC_MAX_FIELDS; i++) {
        rec->v[i].null = true;
        rec->v[i].s = "";
    }
    rec->line = 2;
    rec->id_field = id_field;
    set_text(&rec->v[id_field], id_text);
    xc_id_parse(id_text, strlen(id_text), day(2025, 6, 30), &rec->id);
}

static void add_household(xc_archive *a, const char *archive_no, const char *worker_id)
{
    xc_record rec;
    new_record(&rec, XC_HH_WORKER_ID, worker_id);
    set_text(&rec.v[XC_HH_ARCHIVE_NO], archive_no);
    set_int(&rec.v[XC_HH_REGION_CODE], 530102);
    set_int(&rec.v[XC_HH_LEVEL], 0);
    set_int(&rec.v[XC_HH_STATUS], XC_ST_ACTIVE);
    set_int(&rec.v[XC_HH_ENROLLED_ON], day(2023, 1, 1));
    rec.v[XC_HH_ENROLLED_ON].null = false;
    long first = 0;
    assert_int_equal(xc_archive_add_household(a, &rec, &first), XC_OK);
}

static void add_member(xc_archive *a, const char *archive_no, const char *id_text, int relation)
{
    xc_record rec;
    new_record(&rec, XC_MB_ID_NO, id_text);
    set_text(&rec.v[XC_MB_ARCHIVE_NO], archive_no);
    set_text(&rec.v[XC_MB_NAME], "张三");
    set_int(&rec.v[XC_MB_RELATION], relation);
    assert_int_equal(xc_archive_add_member(a, &rec), XC_OK);
}

/* The person of household archive_no whose ID text is id_text. */
static uint32_t person_of(const xc_archive *a, const char *archive_no, const char *id_text)
{
    uint32_t h = xc_archive_find_household(a, archive_no, strlen(archive_no));
    assert_int_not_equal(h, XC_NONE);
    char buf[19];
    for (uint32_t m = xc_archive_household(a, h)->first_member; m != XC_NONE;
         m = xc_archive_person(a, m)->next_member)
        if (strcmp(xc_person_raw_id(a, xc_archive_person(a, m), buf), id_text) == 0)
            return m;
    fail_msg("no member \"%s\" in %s", id_text, archive_no);
    return XC_NONE;
}

static xc_flag flag_of(const xc_archive *a, const char *rule, const char *archive_no,
                       const char *id_text)
{
    xc_flag f;
    memset(&f, 0, sizeof f);
    f.rule = xc_rule_by_id(rule);
    assert_non_null(f.rule);
    f.category = f.rule->category;
    f.household = xc_archive_find_household(a, archive_no, strlen(archive_no));
    f.person = id_text ? person_of(a, archive_no, id_text) : XC_NONE;
    f.from = f.to = XC_NO_DATE;
    return f;
}

/* The key the tests pseudonymise under: bytes 0, 1, ... 31. */
static xc_key *tkey;

static int make_key(void **state)
{
    (void)state;
    uint8_t bytes[32];
    for (int i = 0; i < 32; i++)
        bytes[i] = (uint8_t)i;
    return xc_key_from_bytes(bytes, &tkey);
}

static int free_key(void **state)
{
    (void)state;
    xc_key_free(tkey);
    return 0;
}

/* The pseudonym a flag key must hold: of the number when s is a valid
 * 18-character one, else of the text. */
static char *hash_of(const char *s, char out[static XC_PSEUDONYM_LEN + 1])
{
    xc_id id;
    if (strlen(s) == 18 && xc_id_parse(s, 18, INT32_MAX, &id) == 0)
        return xc_pseudonym(tkey, s, out);
    return xc_pseudonym_text(tkey, s, strlen(s), out);
}

/* ---- COPY text ------------------------------------------------------------ */

static void check_copy(const char *in, const char *want)
{
    xc_buf b = {0};
    xc_results_copy_text(&b, in);
    char *got = xc_buf_take(&b);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_results_copy_text_escapes_backslash_tab_and_line_breaks(void **state)
{
    (void)state;
    check_copy("plain 文本", "plain 文本");
    check_copy("", "");
    check_copy("a\\b", "a\\\\b");
    check_copy("a\tb\nc\rd", "a\\tb\\nc\\rd");
    check_copy("\\\t\n\r", "\\\\\\t\\n\\r");
    check_copy("{\"s\": \"x\\\"y\"}", "{\"s\": \"x\\\\\"y\"}");
    check_copy("\\N", "\\\\N");          /* the text "\N", not NULL */
}

static void test_results_copy_text_writes_null_as_backslash_n(void **state)
{
    (void)state;
    check_copy(NULL, "\\N");
}

static void test_results_copy_text_appends(void **state)
{
    (void)state;
    xc_buf b = {0};
    xc_results_copy_text(&b, "a\tb");
    xc_buf_printf(&b, "\t");
    xc_results_copy_text(&b, NULL);
    char *got = xc_buf_take(&b);
    assert_string_equal(got, "a\\tb\t\\N");
    free(got);
}

/* ---- hashes and keys ------------------------------------------------------ */

static void test_results_flag_key_hashes_the_full_id_number(void **state)
{
    (void)state;
    char w[19], s[19];
    make_id(w, 530102, 1970, 3, 12, 13);
    make_id(s, 530102, 1972, 5, 1, 24);
    xc_archive *a;
    assert_int_equal(xc_archive_new(&a), XC_OK);
    add_household(a, "A-1", w);
    add_member(a, "A-1", w, SELF);
    add_member(a, "A-1", s, SPOUSE);
    assert_int_equal(xc_archive_seal(a), XC_OK);

    xc_flag f = flag_of(a, "HK-DECEASED", "A-1", s);
    xc_flag_key k;
    xc_results_flag_key(a, &f, tkey, &k);
    char h[XC_PSEUDONYM_LEN + 1];
    assert_string_equal(k.rule, "HK-DECEASED");
    assert_string_equal(k.category, xc_category_name(f.rule->category));
    assert_string_equal(k.archive_no, "A-1");
    assert_string_equal(k.person_key, hash_of(s, h));
    assert_int_equal(strlen(k.person_key), XC_PSEUDONYM_LEN);

    /* A household flag: the worker's number. */
    f = flag_of(a, "DUP-PERSON", "A-1", NULL);
    xc_results_flag_key(a, &f, tkey, &k);
    assert_string_equal(k.person_key, hash_of(w, h));
    xc_archive_free(a);
}

static void test_results_flag_key_is_the_same_in_another_run(void **state)
{
    (void)state;
    char w[19], s[19], other[19];
    make_id(w, 530102, 1970, 3, 12, 13);
    make_id(s, 530102, 1972, 5, 1, 24);
    make_id(other, 110101, 1980, 1, 1, 11);
    xc_archive *a, *b;
    assert_int_equal(xc_archive_new(&a), XC_OK);
    assert_int_equal(xc_archive_new(&b), XC_OK);
    add_household(a, "A-1", w);
    add_member(a, "A-1", w, SELF);
    add_member(a, "A-1", s, SPOUSE);
    /* Next night: another household first, members in another order, and
     * the spouse's number exported in lower case with blanks. */
    add_household(b, "B-9", other);
    add_member(b, "B-9", other, SELF);
    add_household(b, "A-1", w);
    char dirty[40];
    snprintf(dirty, sizeof dirty, "%.6s %.8s %.4s", s, s + 6, s + 14);
    add_member(b, "A-1", dirty, SPOUSE);
    add_member(b, "A-1", w, SELF);
    assert_int_equal(xc_archive_seal(a), XC_OK);
    assert_int_equal(xc_archive_seal(b), XC_OK);

    xc_flag fa = flag_of(a, "VH-CAR", "A-1", s), fb = flag_of(b, "VH-CAR", "A-1", dirty);
    xc_flag_key ka, kb;
    xc_results_flag_key(a, &fa, tkey, &ka);
    xc_results_flag_key(b, &fb, tkey, &kb);
    assert_string_equal(ka.person_key, kb.person_key);
    assert_string_equal(ka.archive_no, kb.archive_no);

    /* Another person of the same household: another key. */
    fb = flag_of(b, "VH-CAR", "A-1", w);
    xc_results_flag_key(b, &fb, tkey, &kb);
    assert_string_not_equal(ka.person_key, kb.person_key);
    xc_archive_free(a);
    xc_archive_free(b);
}

static void test_results_flag_key_of_a_legacy_number_is_its_18_digit_form(void **state)
{
    (void)state;
    char w[19], legacy[16], full[19];
    make_id(w, 530102, 1970, 3, 12, 13);
    make_id(full, 530102, 1965, 7, 8, 31);
    /* The 15-digit form: no century, no check character. */
    snprintf(legacy, sizeof legacy, "%.6s%.9s", full, full + 8);
    xc_archive *a;
    assert_int_equal(xc_archive_new(&a), XC_OK);
    add_household(a, "A-1", w);
    add_member(a, "A-1", legacy, SELF);
    assert_int_equal(xc_archive_seal(a), XC_OK);
    xc_flag f = flag_of(a, "ID-LEGACY", "A-1", legacy);
    xc_flag_key k;
    xc_results_flag_key(a, &f, tkey, &k);
    char h[XC_PSEUDONYM_LEN + 1];
    assert_string_equal(k.person_key, hash_of(full, h));
    xc_archive_free(a);
}

static void test_results_flag_key_of_an_invalid_number_hashes_its_normal_form(void **state)
{
    (void)state;
    char w[19];
    make_id(w, 530102, 1970, 3, 12, 13);
    xc_archive *a;
    assert_int_equal(xc_archive_new(&a), XC_OK);
    add_household(a, "A-1", w);
    add_member(a, "A-1", w, SELF);
    add_member(a, "A-1", "53010219720501", SPOUSE);          /* too short */
    add_member(a, "A-1", " 5301-0219-7205-01 ", SPOUSE);      /* the same, dirty */
    add_member(a, "A-1", "530102197205010", SPOUSE);         /* 15 digits, bad date */
    assert_int_equal(xc_archive_seal(a), XC_OK);

    xc_flag f1 = flag_of(a, "ID-INVALID", "A-1", "53010219720501");
    xc_flag f2 = flag_of(a, "ID-INVALID", "A-1", " 5301-0219-7205-01 ");
    xc_flag f3 = flag_of(a, "ID-INVALID", "A-1", "530102197205010");
    xc_flag_key k1, k2, k3;
    xc_results_flag_key(a, &f1, tkey, &k1);
    xc_results_flag_key(a, &f2, tkey, &k2);
    xc_results_flag_key(a, &f3, tkey, &k3);
    char h[XC_PSEUDONYM_LEN + 1];
    assert_string_equal(k1.person_key, hash_of("53010219720501", h));
    assert_string_equal(k2.person_key, k1.person_key);
    assert_string_not_equal(k3.person_key, k1.person_key);
    assert_int_equal(strlen(k3.person_key), XC_PSEUDONYM_LEN);
    xc_archive_free(a);
}

static void test_results_flag_key_of_a_household_with_an_invalid_worker_id(void **state)
{
    (void)state;
    xc_archive *a;
    assert_int_equal(xc_archive_new(&a), XC_OK);
    add_household(a, "A-1", "5301021970031201");
    add_member(a, "A-1", "5301021970031201", SELF);
    add_household(a, "A-2", "");
    assert_int_equal(xc_archive_seal(a), XC_OK);
    xc_flag f = flag_of(a, "ID-INVALID", "A-1", NULL);
    xc_flag_key k;
    xc_results_flag_key(a, &f, tkey, &k);
    char h[XC_PSEUDONYM_LEN + 1];
    assert_string_equal(k.person_key, hash_of("5301021970031201", h));
    /* No worker number and no members: no person. */
    f = flag_of(a, "ID-INVALID", "A-2", NULL);
    xc_results_flag_key(a, &f, tkey, &k);
    assert_string_equal(k.person_key, "");
    assert_string_equal(k.archive_no, "A-2");
    xc_archive_free(a);
}

/* ---- the diff for people and as CSV --------------------------------------- */

static xc_diff_flag dflag(xc_change ch, const char *rule, const char *cat, const char *no,
                          const char *level, const char *summary, int days)
{
    xc_diff_flag f;
    memset(&f, 0, sizeof f);
    f.change = ch;
    f.rule = rule;
    f.category = cat;
    f.archive_no = no;
    f.region_code = "530102";
    f.level = level;
    f.person_key = "0123456789abcdef0123456789abcdef";
    f.summary = summary;
    f.condition_from = XC_NO_DATE;
    f.days_open = days;
    f.since = ch == XC_CHANGE_RESOLVED ? XC_NO_DATE : day(2026, 6, 30) - days;
    return f;
}

static void test_results_diff_csv_lists_changes_new_resolved_persisting_not_comparable(void **state)
{
    (void)state;
    xc_diff_flag added[] = {
        dflag(XC_CHANGE_NEW, "VH-CAR", "missed_exit", "A-1", "provincial",
              "名下有小汽车, \"云A12345\"", 0)};
    xc_diff_flag resolved[] = {
        dflag(XC_CHANGE_RESOLVED, "HK-DECEASED", "missed_exit", "A-2", "", "已死亡", -1)};
    xc_diff_flag persisting[] = {
        dflag(XC_CHANGE_PERSISTING, "PR-MULTI", "mis_enrollment", "A-3", "",
              "=两套住房 530102197203120016\n第二行", 21)};
    /* 2026-12-02: the flags of a rule a run did not evaluate (property not
     * configured that night) were listed as resolved. */
    xc_diff_flag unknown[] = {
        dflag(XC_CHANGE_NOT_COMPARABLE, "PR-COMMERCIAL", "mis_enrollment", "A-4", "", "商铺", -1),
        dflag(XC_CHANGE_NOT_COMPARABLE, "PR-COMMERCIAL", "mis_enrollment", "A-5", "", "写字楼",
              -1)};
    for (int i = 0; i < 2; i++)
        unknown[i].why = "not evaluated in this run (dataset property not configured)";
    xc_run_change changes[] = {
        {"config_hash", "", "0123456789abcdef0123", "fedcba9876543210fedc"},
        {"coverage", "hukou", "2021-01..2025-06", "2021-01..2025-12（申报 declared）"},
    };
    xc_diff d;
    memset(&d, 0, sizeof d);
    snprintf(d.run_id, sizeof d.run_id, "nightly-0630");
    d.as_of = day(2026, 6, 30);
    d.has_previous = true;
    snprintf(d.previous_run_id, sizeof d.previous_run_id, "nightly-0629");
    d.previous_as_of = day(2026, 6, 29);
    d.added = added;
    d.n_added = 1;
    d.resolved = resolved;
    d.n_resolved = 1;
    d.persisting = persisting;
    d.n_persisting = 1;
    d.not_comparable = unknown;
    d.n_not_comparable = 2;
    d.changes = changes;
    d.n_changes = 2;
    d.incomplete = true;
    d.incomplete_why = "hukou covers 2021-01..2025-12, not up to 2026-06";

    xc_buf b = {0};
    xc_results_diff_csv(&d, &b);
    char *csv = xc_buf_take(&b);
    assert_string_equal(csv,
        "change,rule,category,archive_no,region_code,level,days_open,summary,note\n"
        "run_changed,config_hash,,,,,,configuration (SHA-256): 0123456789ab → fedcba987654,\n"
        "run_changed,coverage.hukou,,,,,,coverage hukou: 2021-01..2025-06 → "
        "2021-01..2025-12（申报 declared）,\n"
        "new,VH-CAR,missed_exit,A-1,530102,provincial,0,\"名下有小汽车, \"\"云A12345\"\"\",\n"
        "resolved,HK-DECEASED,missed_exit,A-2,530102,,,已死亡,\n"
        /* 2026-12-01: a summary beginning with = was a live formula in
         * diff.csv, and an ID number in it was written whole. */
        "persisting,PR-MULTI,mis_enrollment,A-3,530102,,21,"
        "\"'=两套住房 530102********0016\n第二行\",\n"
        "not_comparable,PR-COMMERCIAL,mis_enrollment,A-4,530102,,,商铺,"
        "not evaluated in this run (dataset property not configured)\n"
        "not_comparable,PR-COMMERCIAL,mis_enrollment,A-5,530102,,,写字楼,"
        "not evaluated in this run (dataset property not configured)\n");
    free(csv);

    xc_results_diff_format(&d, &b);
    char *text = xc_buf_take(&b);
    assert_non_null(strstr(text, "nightly-0630"));
    assert_non_null(strstr(text, "nightly-0629"));
    assert_non_null(strstr(text, "2026-06-29"));
    assert_non_null(strstr(text, "new: 1    resolved: 1    persisting: 1    "
                                 "not comparable: 2    excluded: 0\n"));
    assert_non_null(strstr(text, "the runs differ (compare with care):\n"
                                 "  configuration (SHA-256): 0123456789ab → fedcba987654\n"
                                 "  coverage hukou: 2021-01..2025-06 → "
                                 "2021-01..2025-12（申报 declared）\n"));
    assert_non_null(strstr(text, "note: this run rests on incomplete "
                                 "data: hukou covers 2021-01..2025-12, not up to 2026-06\n"));
    /* the reason once, above the rule's flags */
    const char *nc = strstr(text, "\nnot comparable (2)\n  PR-COMMERCIAL: not "
                                  "evaluated in this run (dataset property not configured)\n"
                                  "    PR-COMMERCIAL ");
    assert_non_null(nc);
    assert_null(strstr(nc + strlen("\nnot comparable (2)\n  PR-COMMERCIAL: "),
                       "  PR-COMMERCIAL: "));
    assert_non_null(strstr(nc, "in the previous run  商铺"));
    assert_non_null(strstr(text, "\nnew (1)\n"));
    assert_non_null(strstr(text, "\nresolved (1)\n"));
    assert_non_null(strstr(text, "\npersisting (1)\n"));
    assert_non_null(strstr(text, "21 days (since 2026-06-09)"));
    assert_non_null(strstr(text, "错评"));          /* category labels in Chinese */
    assert_non_null(strstr(text, "漏退"));
    free(text);
}

static void test_results_diff_format_says_when_there_is_no_previous_run(void **state)
{
    (void)state;
    xc_diff d;
    memset(&d, 0, sizeof d);
    snprintf(d.run_id, sizeof d.run_id, "first");
    d.as_of = day(2026, 6, 30);
    d.previous_as_of = XC_NO_DATE;
    xc_buf b = {0};
    xc_results_diff_format(&d, &b);
    char *text = xc_buf_take(&b);
    assert_non_null(strstr(text, "no earlier complete run"));
    assert_non_null(strstr(text, "new: 0"));
    free(text);
    xc_results_diff_csv(&d, &b);
    text = xc_buf_take(&b);
    assert_string_equal(text, "change,rule,category,archive_no,region_code,level,days_open,"
                              "summary,note\n");
    free(text);
}

static void test_results_change_names(void **state)
{
    (void)state;
    assert_string_equal(xc_change_name(XC_CHANGE_NEW), "new");
    assert_string_equal(xc_change_name(XC_CHANGE_RESOLVED), "resolved");
    assert_string_equal(xc_change_name(XC_CHANGE_PERSISTING), "persisting");
    assert_string_equal(xc_change_name(XC_CHANGE_NOT_COMPARABLE), "not_comparable");
    assert_string_equal(xc_change_name(XC_CHANGE_EXCLUDED), "excluded");
}

/* ---- errors without a server ----------------------------------------------- */

static void assert_no_secret(const xc_err *err, const char *secret)
{
    const char *fields[] = {err->msg, err->detail, err->hint, err->where, err->field};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (strstr(fields[i], secret))
            fail_msg("\"%s\" shows the password: %s", fields[i], secret);
}

static void test_results_publish_needs_a_run_id(void **state)
{
    (void)state;
    xc_run_result res;
    memset(&res, 0, sizeof res);
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_results_publish("dbname=x", NULL, WAIT_MS, &res, tkey, &err), XC_ECONFIG);
    assert_non_null(strstr(err.msg, "run id"));
}

/* 2026-12-01: results were published with an unkeyed hash beside the
 * masked ID, from which every number came back; without a key nothing is
 * published now. */
static void test_results_publish_refuses_to_go_without_a_key(void **state)
{
    (void)state;
    xc_run_result res;
    memset(&res, 0, sizeof res);
    snprintf(res.run_id, sizeof res.run_id, "r1");
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_results_publish("host=/nonexistent", NULL, WAIT_MS, &res, NULL, &err),
                     XC_ECONFIG);
    assert_non_null(strstr(err.msg, "needs a key"));
    assert_non_null(strstr(err.hint, "xcheck key new"));
}

static void test_results_bad_connection_strings_never_show_the_password(void **state)
{
    (void)state;
    xc_run_result res;
    memset(&res, 0, sizeof res);
    snprintf(res.run_id, sizeof res.run_id, "r1");
    static const struct { const char *conninfo, *secret; } cases[] = {
        /* A password with a blank, unquoted: libpq cuts it at the blank and
         * complains about the rest, quoting it. */
        {"host=/nonexistent password=Tiger6 Lily7=x", "Lily7"},
        {"host=/nonexistent password=Tiger6 Lily7", "Lily7"},
        {"password='Tiger6 Lily7", "Lily7"},
        {"postgresql://audit:Tiger6%zzLily7@localhost/db", "Lily7"},
        {"postgresql://audit:Tiger6Lily7@localhost:notaport/db", "Tiger6Lily7"},
        {"host=/nonexistent port=nope password=Tiger6Lily7", "Tiger6Lily7"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        xc_err err;
        xc_err_clear(&err);
        int rc = xc_results_publish(cases[i].conninfo, NULL, WAIT_MS, &res, tkey, &err);
        assert_true(rc == XC_ECONFIG || rc == XC_EIO);
        assert_true(err.msg[0] != '\0');
        assert_no_secret(&err, cases[i].secret);
        assert_no_secret(&err, "Tiger6");
        xc_diff *d = NULL;
        xc_err_clear(&err);
        rc = xc_results_diff(cases[i].conninfo, NULL, WAIT_MS, NULL, &d, &err);
        assert_true(rc == XC_ECONFIG || rc == XC_EIO);
        assert_null(d);
        assert_no_secret(&err, cases[i].secret);
        assert_no_secret(&err, "Tiger6");
    }
}

static void test_results_a_failed_connection_names_no_password(void **state)
{
    (void)state;
    xc_run_result res;
    memset(&res, 0, sizeof res);
    snprintf(res.run_id, sizeof res.run_id, "r1");
    xc_err err;
    xc_err_clear(&err);
    /* No server listens on a socket in a directory that does not exist. */
    int rc = xc_results_publish("host=/nonexistent/xcheck port=1 user=audit "
                                "password=Tiger6Lily7 dbname=results", NULL, WAIT_MS, &res,
                                tkey, &err);
    assert_int_equal(rc, XC_EIO);
    assert_non_null(strstr(err.msg, "cannot connect to the results database"));
    assert_non_null(strstr(err.detail, "SQLSTATE 08001"));
    assert_no_secret(&err, "Tiger6Lily7");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_results_copy_text_escapes_backslash_tab_and_line_breaks),
        cmocka_unit_test(test_results_copy_text_writes_null_as_backslash_n),
        cmocka_unit_test(test_results_copy_text_appends),
        cmocka_unit_test(test_results_flag_key_hashes_the_full_id_number),
        cmocka_unit_test(test_results_flag_key_is_the_same_in_another_run),
        cmocka_unit_test(test_results_flag_key_of_a_legacy_number_is_its_18_digit_form),
        cmocka_unit_test(test_results_flag_key_of_an_invalid_number_hashes_its_normal_form),
        cmocka_unit_test(test_results_flag_key_of_a_household_with_an_invalid_worker_id),
        cmocka_unit_test(test_results_diff_csv_lists_changes_new_resolved_persisting_not_comparable),
        cmocka_unit_test(test_results_diff_format_says_when_there_is_no_previous_run),
        cmocka_unit_test(test_results_change_names),
        cmocka_unit_test(test_results_publish_needs_a_run_id),
        cmocka_unit_test(test_results_publish_refuses_to_go_without_a_key),
        cmocka_unit_test(test_results_bad_connection_strings_never_show_the_password),
        cmocka_unit_test(test_results_a_failed_connection_names_no_password),
    };
    return cmocka_run_group_tests(tests, make_key, free_key);
}
