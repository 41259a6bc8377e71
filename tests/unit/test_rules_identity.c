/* test_rules_identity.c - the archive's ID numbers and one person in two
 * households: ID-INVALID, ID-LEGACY, ID-NOT-FOUND, ID-NAME-MISMATCH,
 * DUP-PERSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rulefix.h"

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("\"%s\" not found in %s", part, text);
}

/* A valid number with another check character. */
static char *bad_check(char out[static 19], const char valid[static 19])
{
    memcpy(out, valid, 19);
    out[17] = valid[17] == '0' ? '1' : '0';
    return out;
}

static void test_identity_flags_a_member_whose_check_character_is_wrong(void **state)
{
    rulefix *f = *state;
    char w[19], s[19], bad[19], w2[19], s2[19];
    rf_id(w, 530102, 1970, 3, 12, 13);
    bad_check(bad, rf_id(s, 530102, 1972, 4, 8, 26));
    rf_household(f, "ID-1", w, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "ID-1", w, "张三", RF_SELF);
    rf_member(f, "ID-1", bad, "李梅", RF_SPOUSE);
    rf_id(w2, 530102, 1968, 11, 5, 24);
    rf_id(s2, 530102, 1969, 2, 1, 17);
    rf_household(f, "ID-2", w2, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "ID-2", w2, "王五", RF_SELF);
    rf_member(f, "ID-2", s2, "赵六", RF_SPOUSE);
    rf_hukou(f, w, "张三", 530102, RF_HK_NORMAL, XC_NO_DATE);
    rf_hukou(f, w2, "王五", 530102, RF_HK_NORMAL, XC_NO_DATE);
    rf_hukou(f, s2, "赵六", 530102, RF_HK_NORMAL, XC_NO_DATE);
    rf_run(f);

    assert_int_equal(rf_count(f, "ID-1", "ID-INVALID"), 1);
    const xc_flag *fl = rf_find(f, "ID-1", "ID-INVALID");
    assert_int_equal(fl->category, XC_CAT_DATA_QUALITY);
    assert_string_equal(rf_flag_person(f, fl), "李梅");
    assert_int_equal(fl->from, XC_NO_DATE);
    assert_int_equal(fl->to, XC_NO_DATE);
    /* Masked, the way it was exported; never whole unless asked for. */
    char raw[64], masked[40];
    snprintf(raw, sizeof raw, "\"raw_id_masked\":\"%s\"",
             xc_id_mask_text(bad, strlen(bad), masked, sizeof masked));
    assert_contains(fl->evidence, raw);
    assert_null(strstr(fl->evidence, bad));
    assert_contains(fl->summary, "校验码错误");
    /* An invalid number is not looked up: no ID-NOT-FOUND on top. */
    assert_int_equal(rf_count(f, "ID-1", "ID-NOT-FOUND"), 0);
    assert_int_equal(rf_count(f, "ID-2", NULL), 0);
}

/* 2026-11-21: an invalid ID's text went into the evidence unescaped and was
 * masked by bytes, so quotes broke evidence.jsonl and commas flags.csv. */
static void test_identity_masks_an_invalid_id_as_plain_ascii(void **state)
{
    rulefix *f = *state;
    char w[19];
    rf_id(w, 530102, 1970, 3, 12, 13);
    rf_household(f, "ID-Q", w, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "ID-Q", w, "张三", RF_SELF);
    rf_member(f, "ID-Q", "5303021989010,0\"\\7", "李梅", RF_SPOUSE);
    rf_run(f);
    const xc_flag *fl = rf_find(f, "ID-Q", "ID-INVALID");
    assert_non_null(fl);
    assert_contains(fl->evidence, "\"masked_id\":\"530302********1007\"");
    assert_contains(fl->evidence, "\"raw_id_masked\":\"530302*****10,0\\\"\\\\7\"");
    assert_contains(fl->summary, "530302********1007");
}

/* 2026-11-21: summaries were cut at 512 bytes, inside a character. */
static void test_identity_keeps_a_long_name_whole_in_the_summary(void **state)
{
    rulefix *f = *state;
    char w[19], legacy[16], name[601];
    rf_id(w, 530102, 1950, 5, 5, 51);
    memcpy(legacy, w, 6);                   /* 15 digits: no century, no check */
    memcpy(legacy + 6, w + 8, 9);
    legacy[15] = '\0';
    for (int i = 0; i < 200; i++)
        memcpy(name + 3 * i, "陈", 3);
    name[600] = '\0';
    rf_household(f, "ID-L", w, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "ID-L", legacy, name, RF_SELF);
    rf_run(f);
    const xc_flag *fl = rf_find(f, "ID-L", "ID-LEGACY");
    assert_non_null(fl);
    assert_contains(fl->summary, name);
    assert_contains(fl->summary, "已按规则升级为18位");
}

static void test_identity_flags_a_legacy_fifteen_digit_id_that_still_matches(void **state)
{
    rulefix *f = *state;
    char w[19], upgraded[19], w2[19], s2[19];
    rf_id(w, 530102, 1968, 11, 5, 24);
    rf_id(upgraded, 530102, 1970, 3, 12, 13);
    rf_household(f, "LG-1", w, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "LG-1", w, "王五", RF_SELF);
    rf_member(f, "LG-1", "530102700312013", "张三", RF_SPOUSE);
    rf_id(w2, 530102, 1975, 1, 2, 31);
    rf_id(s2, 530102, 1976, 6, 7, 42);
    rf_household(f, "LG-2", w2, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "LG-2", w2, "赵六", RF_SELF);
    rf_member(f, "LG-2", s2, "钱七", RF_SPOUSE);
    rf_hukou(f, w, "王五", 530102, RF_HK_NORMAL, XC_NO_DATE);
    rf_hukou(f, upgraded, "张三", 530102, RF_HK_NORMAL, XC_NO_DATE);
    rf_hukou(f, w2, "赵六", 530102, RF_HK_NORMAL, XC_NO_DATE);
    rf_hukou(f, s2, "钱七", 530102, RF_HK_NORMAL, XC_NO_DATE);
    f->full_ids = true;             /* evidence with whole numbers, asked for */
    rf_run(f);

    assert_int_equal(rf_count(f, "LG-1", "ID-LEGACY"), 1);
    const xc_flag *fl = rf_find(f, "LG-1", "ID-LEGACY");
    assert_int_equal(fl->category, XC_CAT_DATA_QUALITY);
    assert_string_equal(rf_flag_person(f, fl), "张三");
    char id[40];
    snprintf(id, sizeof id, "\"id_no\":\"%s\"", upgraded);
    assert_contains(fl->evidence, id);
    assert_contains(fl->evidence, "\"raw_id\":\"530102700312013\"");
    /* Upgraded, it is valid and found in hukou under its 18 digits. */
    assert_int_equal(rf_count(f, "LG-1", NULL), 1);
    assert_int_equal(rf_count(f, "LG-2", NULL), 0);
}

static void test_identity_flags_a_member_missing_from_hukou_and_not_one_present(void **state)
{
    rulefix *f = *state;
    char w[19], s[19], c[19];
    rf_id(w, 530102, 1970, 3, 12, 13);
    rf_id(s, 530102, 1972, 4, 8, 26);
    rf_id(c, 530102, 2001, 9, 15, 31);
    rf_household(f, "NF-1", w, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "NF-1", w, "张三", RF_SELF);
    rf_member(f, "NF-1", s, "李梅", RF_SPOUSE);
    rf_member(f, "NF-1", c, "张小明", RF_CHILD);
    rf_hukou(f, w, "张三", 530102, RF_HK_NORMAL, XC_NO_DATE);
    rf_hukou(f, c, "张小明", 530102, RF_HK_NORMAL, XC_NO_DATE);
    rf_run(f);

    assert_int_equal(rf_count(f, "NF-1", "ID-NOT-FOUND"), 1);
    const xc_flag *fl = rf_find(f, "NF-1", "ID-NOT-FOUND");
    assert_int_equal(fl->category, XC_CAT_DATA_QUALITY);
    assert_string_equal(rf_flag_person(f, fl), "李梅");
    assert_int_equal(fl->from, XC_NO_DATE);
    assert_int_equal(fl->to, XC_NO_DATE);
    assert_int_equal(rf_count(f, "NF-1", NULL), 1);
}

static void test_identity_flags_a_name_that_differs_from_hukou(void **state)
{
    rulefix *f = *state;
    char w[19], s[19];
    rf_id(w, 530102, 1970, 3, 12, 13);
    rf_id(s, 530102, 1972, 4, 8, 26);
    rf_household(f, "NM-1", w, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "NM-1", w, "张三", RF_SELF);
    rf_member(f, "NM-1", s, "李梅", RF_SPOUSE);
    rf_hukou(f, w, "张三", 530102, RF_HK_NORMAL, XC_NO_DATE);
    rf_hukou(f, s, "李海", 530102, RF_HK_NORMAL, XC_NO_DATE);
    rf_run(f);

    assert_int_equal(rf_count(f, "NM-1", "ID-NAME-MISMATCH"), 1);
    const xc_flag *fl = rf_find(f, "NM-1", "ID-NAME-MISMATCH");
    assert_int_equal(fl->category, XC_CAT_DATA_QUALITY);
    assert_string_equal(rf_flag_person(f, fl), "李梅");
    assert_contains(fl->evidence, "\"dataset\":\"hukou\"");
    assert_contains(fl->evidence, "\"name\":\"李海\"");
    assert_contains(fl->summary, "“李梅”与户籍姓名“李海”不符");
}

static void test_identity_names_differing_only_in_width_blanks_or_middle_dots_match(
    void **state)
{
    rulefix *f = *state;
    static const struct { const char *archive, *hukou; } names[] = {
        {"阿依古丽·买买提", "阿依古丽•买买提"},       /* U+00B7 / U+2022 */
        {"阿依古丽・买买提", "阿依古丽·买买提"},      /* U+30FB / U+00B7 */
        {"阿依古丽•买买提", "阿依古丽・买买提"},      /* U+2022 / U+30FB */
        {"ＬＩ　Ｍｉｎｇ", "LI Ming"},                 /* full-width, U+3000 */
        {" 王 五 ", "王五"},
        {"赵六", NULL},                                /* hukou without a name */
    };
    enum { N = sizeof names / sizeof names[0] };
    char w[19], ids[N][19];
    rf_id(w, 530102, 1970, 3, 12, 13);
    rf_household(f, "NM-2", w, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "NM-2", w, "张三", RF_SELF);
    rf_hukou(f, w, "张三", 530102, RF_HK_NORMAL, XC_NO_DATE);
    for (int i = 0; i < N; i++) {
        rf_id(ids[i], 530102, 1980 + i, 1, 1, 20 + i);
        rf_member(f, "NM-2", ids[i], names[i].archive, RF_OTHER);
        rf_hukou(f, ids[i], names[i].hukou, 530102, RF_HK_NORMAL, XC_NO_DATE);
    }
    rf_run(f);

    assert_int_equal(rf_count(f, "NM-2", "ID-NAME-MISMATCH"), 0);
    assert_int_equal(rf_count(f, "NM-2", NULL), 0);
    assert_int_equal(rf_result(f, "ID-NAME-MISMATCH")->households, 1);
}

static void test_identity_dup_person_flags_only_the_later_enrolled_household(void **state)
{
    rulefix *f = *state;
    char w1[19], w2[19], p[19];
    rf_id(w1, 530102, 1970, 3, 12, 13);
    rf_id(w2, 530103, 1965, 7, 30, 15);
    rf_id(p, 530102, 1972, 4, 8, 26);
    rf_household(f, "DP-LATE", w2, 530103, XC_ST_ACTIVE, rf_date(2022, 5, 1), XC_NO_DATE);
    rf_household(f, "DP-EARLY", w1, 530102, XC_ST_RELIEVED, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "DP-EARLY", w1, "张三", RF_SELF);
    rf_member(f, "DP-EARLY", p, "李梅", RF_SPOUSE);
    rf_member(f, "DP-LATE", w2, "李强", RF_SELF);
    rf_member(f, "DP-LATE", p, "李梅", RF_OTHER);
    rf_run(f);

    assert_int_equal(rf_count(f, "DP-EARLY", "DUP-PERSON"), 0);
    assert_int_equal(rf_count(f, "DP-LATE", "DUP-PERSON"), 1);
    const xc_flag *fl = rf_find(f, "DP-LATE", "DUP-PERSON");
    assert_int_equal(fl->category, XC_CAT_MIS_ENROLLMENT);
    assert_string_equal(rf_flag_person(f, fl), "李梅");
    assert_int_equal(fl->from, rf_date(2022, 5, 1));
    assert_int_equal(fl->to, XC_NO_DATE);
    assert_contains(fl->evidence, "{\"dataset\":\"household\",\"archive_no\":\"DP-EARLY\"");
    assert_contains(fl->summary, "DP-EARLY（2020-01-01建档）");
}

static void test_identity_dup_person_is_not_flagged_when_the_other_household_has_exited(
    void **state)
{
    rulefix *f = *state;
    char w1[19], w2[19], w3[19], w4[19], p[19], q[19];
    rf_id(w1, 530102, 1970, 3, 12, 13);
    rf_id(w2, 530102, 1965, 7, 30, 15);
    rf_id(w3, 530102, 1960, 1, 1, 17);
    rf_id(w4, 530102, 1961, 1, 1, 19);
    rf_id(p, 530102, 1972, 4, 8, 26);
    rf_id(q, 530102, 1974, 4, 8, 28);
    /* The earlier household exited: the person may be archived again. */
    rf_household(f, "DX-OLD", w1, 530102, XC_ST_EXITED, rf_date(2019, 1, 1),
                 rf_date(2021, 12, 31));
    rf_household(f, "DX-NEW", w2, 530102, XC_ST_ACTIVE, rf_date(2022, 5, 1), XC_NO_DATE);
    rf_member(f, "DX-OLD", w1, "张三", RF_SELF);
    rf_member(f, "DX-OLD", p, "李梅", RF_SPOUSE);
    rf_member(f, "DX-NEW", w2, "李强", RF_SELF);
    rf_member(f, "DX-NEW", p, "李梅", RF_OTHER);
    /* The later one is cancelled: out of scope, and no duplicate either. */
    rf_household(f, "DC-OLD", w3, 530102, XC_ST_ACTIVE, rf_date(2019, 1, 1), XC_NO_DATE);
    rf_household(f, "DC-NEW", w4, 530102, XC_ST_CANCELLED, rf_date(2022, 5, 1), XC_NO_DATE);
    rf_member(f, "DC-OLD", w3, "孙一", RF_SELF);
    rf_member(f, "DC-OLD", q, "周二", RF_CHILD);
    rf_member(f, "DC-NEW", w4, "吴三", RF_SELF);
    rf_member(f, "DC-NEW", q, "周二", RF_SPOUSE);
    rf_run(f);

    assert_int_equal(rf_count(f, NULL, "DUP-PERSON"), 0);
    assert_int_equal(rf_result(f, "DUP-PERSON")->households, 2);
}

static void test_identity_dup_person_on_the_same_day_flags_the_later_archive_number(
    void **state)
{
    rulefix *f = *state;
    char w1[19], w2[19], p[19];
    rf_id(w1, 530102, 1970, 3, 12, 13);
    rf_id(w2, 530102, 1965, 7, 30, 15);
    rf_id(p, 530102, 1972, 4, 8, 26);
    rf_household(f, "DS-B", w2, 530102, XC_ST_ACTIVE, rf_date(2022, 5, 1), XC_NO_DATE);
    rf_household(f, "DS-A", w1, 530102, XC_ST_ACTIVE, rf_date(2022, 5, 1), XC_NO_DATE);
    rf_member(f, "DS-A", w1, "张三", RF_SELF);
    rf_member(f, "DS-A", p, "李梅", RF_SPOUSE);
    rf_member(f, "DS-B", w2, "李强", RF_SELF);
    rf_member(f, "DS-B", p, "李梅", RF_OTHER);
    rf_run(f);

    assert_int_equal(rf_count(f, "DS-A", "DUP-PERSON"), 0);
    assert_int_equal(rf_count(f, "DS-B", "DUP-PERSON"), 1);
}

/* One person in many households, for the next test: each household's
 * dates, status and archive number, and the order its row of the shared
 * person comes in the member file. */
enum { MANY = 2000, MANY_OTHERS = 16 };

typedef struct many_hh {
    char no[16];
    xc_date enrolled_on, exited_on;
    int status;
    bool twice;              /* the shared person's row given twice */
    bool second;             /* also holds the second shared person */
} many_hh;

static bool many_in_archive(const many_hh *h, xc_date as_of)
{
    if (h->enrolled_on > as_of)
        return false;
    if (h->status == XC_ST_ACTIVE || h->status == XC_ST_RELIEVED)
        return true;
    return h->exited_on != XC_NO_DATE && h->exited_on > as_of;
}

/* Enrolled before b: an earlier day, or the same day and a smaller archive
 * number. */
static bool many_before(const many_hh *a, const many_hh *b)
{
    if (a->enrolled_on != b->enrolled_on)
        return a->enrolled_on < b->enrolled_on;
    return strcmp(a->no, b->no) < 0;
}

/* What DUP-PERSON must say of household i for the person whose rows come
 * in households order[0..n) (member-file order), by the rule's definition,
 * pair by pair: the summary ("" when not flagged) and the archive numbers
 * it names, joined by '、'. */
static void many_expected(const many_hh *hh, const int *order, int n, int i, const char *name,
                          const char *id, xc_date as_of, char *sum, char *list, size_t outsz)
{
    size_t o = 0, l = 0;
    int k = 0;
    sum[0] = list[0] = '\0';
    for (int j = 0; j < n && k < MANY_OTHERS; j++) {
        const many_hh *g = &hh[order[j]];
        if (order[j] == i || !many_in_archive(g, as_of) || !many_before(g, &hh[i]))
            continue;
        char d[11];
        if (k++ == 0)
            o += (size_t)snprintf(sum + o, outsz - o, "成员%s（%.6s********%s）已在档于", name,
                                  id, id + 14);
        o += (size_t)snprintf(sum + o, outsz - o, "%s%s（%s建档）", k > 1 ? "、" : "", g->no,
                              xc_date_format(g->enrolled_on, d));
        l += (size_t)snprintf(list + l, outsz - l, "%s%s", k > 1 ? "、" : "", g->no);
    }
    if (k > 0) {
        char d[11];
        snprintf(sum + o, outsz - o, "，本户%s建档在后，违反一户一档",
                 xc_date_format(hh[i].enrolled_on, d));
    }
}

/* The archive numbers of the household rows of a flag's evidence, in order,
 * joined by '、' as in the summary. */
static void evidence_households(const char *ev, char *out, size_t outsz)
{
    static const char row[] = "{\"dataset\":\"household\",\"archive_no\":\"";
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = strstr(ev, row); p; p = strstr(p, row)) {
        p += sizeof row - 1;
        const char *end = strchr(p, '"');
        assert_non_null(end);
        o += (size_t)snprintf(out + o, outsz - o, "%s%.*s", o ? "、" : "", (int)(end - p), p);
    }
}

/* 2026-12-02: DUP-PERSON compared each household holding a person with
 * every other one holding it, so one ID number in 60 000 households took
 * 18 s; each number is now decided once, by enrollment order. The flags
 * must stay those of the pairwise definition, on files whose order is
 * neither enrollment nor archive-number order. */
static void test_identity_dup_person_in_thousands_of_households_flags_each_later_one_once(
    void **state)
{
    rulefix *f = *state;
    many_hh *hh = calloc(MANY, sizeof *hh);
    int *order = calloc(MANY, sizeof *order), *order2 = calloc(MANY, sizeof *order2);
    assert_non_null(hh);
    assert_non_null(order);
    assert_non_null(order2);
    char shared[19], second[19];
    rf_id(shared, 530102, 1980, 5, 5, 199);
    rf_id(second, 530102, 1981, 6, 6, 198);
    for (int i = 0; i < MANY; i++) {
        many_hh *h = &hh[i];
        /* Archive numbers in neither file nor enrollment order. */
        snprintf(h->no, sizeof h->no, "DM-%04d", (i * 7919) % MANY);
        /* Enrollment: the newest first, then the oldest first, then in no
         * order and often on one day. */
        h->enrolled_on = i < 600    ? rf_date(2000, 1, 1) + (600 - i) * 5
                         : i < 1200 ? rf_date(2010, 1, 1) + (i - 600) * 3
                                    : rf_date(2020, 1, 1) + (i * 104729) % 300;
        h->status = XC_ST_ACTIVE;
        h->exited_on = XC_NO_DATE;
        if (i % 10 == 3) {                              /* exited before as_of */
            h->status = XC_ST_EXITED;
            h->exited_on = rf_date(2024, 1, 1);
        } else if (i % 20 == 7) {                       /* exited after it */
            h->status = XC_ST_EXITED;
            h->exited_on = rf_date(2025, 9, 1);
        } else if (i % 50 == 11) {
            h->status = XC_ST_CANCELLED;
            h->exited_on = rf_date(2024, 6, 1);
        } else if (i % 25 == 13) {
            h->status = XC_ST_RELIEVED;
        } else if (i % 100 == 17) {
            h->enrolled_on = rf_date(2025, 8, 1);       /* after as_of */
        }
        h->twice = i % 97 == 5;
        h->second = i % 7 == 0;
        char w[19];
        rf_id(w, 530102, 1950 + i / 1000, 1, 1 + i % 28, i % 1000 / 28 + 1);
        rf_household(f, h->no, w, 530102, h->status, h->enrolled_on, h->exited_on);
        rf_member(f, h->no, w, "户主", RF_SELF);
    }
    /* The shared person's rows in yet another order; the second person's
     * backwards, after them. */
    for (int j = 0; j < MANY; j++) {
        int i = (j * 37) % MANY;
        order[j] = i;
        rf_member(f, hh[i].no, shared, "共有人", RF_OTHER);
        if (hh[i].twice)
            rf_member(f, hh[i].no, shared, "共有人", RF_OTHER);
    }
    int n2 = 0;
    for (int i = MANY - 1; i >= 0; i--)
        if (hh[i].second) {
            order2[n2++] = i;
            rf_member(f, hh[i].no, second, "另一人", RF_CHILD);
        }
    rf_run(f);

    /* Flags in household order, and in member order within one. */
    size_t at = 0, expected = 0;
    char want[4096];
    for (int i = 0; i < MANY; i++) {
        for (int who = 0; who < 2; who++) {
            if (who == 1 && !hh[i].second)
                continue;
            if (!many_in_archive(&hh[i], f->as_of))
                continue;
            char list[4096], ev[4096];
            many_expected(hh, who ? order2 : order, who ? n2 : MANY, i,
                          who ? "另一人" : "共有人", who ? second : shared, f->as_of, want, list,
                          sizeof want);
            if (!want[0])
                continue;
            expected++;
            while (at < f->flags.n && strcmp(f->flags.v[at].rule->id, "DUP-PERSON") != 0)
                at++;
            assert_true(at < f->flags.n);
            const xc_flag *fl = &f->flags.v[at++];
            assert_string_equal(rf_flag_archive_no(f, fl), hh[i].no);
            assert_string_equal(rf_flag_person(f, fl), who ? "另一人" : "共有人");
            assert_string_equal(fl->summary, want);
            assert_int_equal(fl->from, hh[i].enrolled_on);
            /* The evidence shows the same households in the same order. */
            evidence_households(fl->evidence, ev, sizeof ev);
            assert_string_equal(ev, list);
        }
    }
    assert_true(expected > MANY / 2);
    assert_int_equal(rf_count(f, NULL, "DUP-PERSON"), expected);
    assert_int_equal(rf_count(f, NULL, "MB-DUPLICATE"), (MANY + 96 - 5) / 97);

    /* Two threads decide the same. */
    xc_eval_ctx two = f->ctx;
    two.jobs = 2;
    xc_flags flags = {0};
    xc_rule_result *results = calloc(f->n_rules, sizeof *results);
    assert_non_null(results);
    assert_int_equal(xc_evaluate(&two, &flags, results), XC_OK);
    assert_int_equal(flags.n, f->flags.n);
    for (size_t i = 0; i < flags.n; i++) {
        assert_int_equal(flags.v[i].household, f->flags.v[i].household);
        assert_string_equal(flags.v[i].summary, f->flags.v[i].summary);
        assert_string_equal(flags.v[i].evidence, f->flags.v[i].evidence);
    }
    xc_flags_clear(&flags);
    free(results);
    free(hh);
    free(order);
    free(order2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, rf_setup, rf_teardown)
        T(test_identity_flags_a_member_whose_check_character_is_wrong),
        T(test_identity_masks_an_invalid_id_as_plain_ascii),
        T(test_identity_keeps_a_long_name_whole_in_the_summary),
        T(test_identity_flags_a_legacy_fifteen_digit_id_that_still_matches),
        T(test_identity_flags_a_member_missing_from_hukou_and_not_one_present),
        T(test_identity_flags_a_name_that_differs_from_hukou),
        T(test_identity_names_differing_only_in_width_blanks_or_middle_dots_match),
        T(test_identity_dup_person_flags_only_the_later_enrolled_household),
        T(test_identity_dup_person_is_not_flagged_when_the_other_household_has_exited),
        T(test_identity_dup_person_on_the_same_day_flags_the_later_archive_number),
        T(test_identity_dup_person_in_thousands_of_households_flags_each_later_one_once),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
