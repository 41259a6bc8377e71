/* test_rules_structure.c - the archive's own structure: HH-NO-SELF,
 * HH-MULTI-SELF, HH-WORKER-NOT-MEMBER, MB-DUPLICATE, each beside its near
 * misses, and a repeated member row counted once by the other rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rulefix.h"

#define YUAN(y) ((int64_t)(y) * 100)

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("\"%s\" not found in %s", part, text);
}

/* The same number with blanks inside, as exported by hand. */
static char *with_blanks(char out[static 21], const char id[static 19])
{
    snprintf(out, 21, "%.6s %.8s %.4s", id, id + 6, id + 14);
    return out;
}

/* Full-width digits (and X) of a number. */
static char *full_width(char out[static 64], const char id[static 19])
{
    size_t o = 0;
    for (int i = 0; i < 18; i++) {
        unsigned c = id[i] == 'X' ? 0xFF38 : 0xFF10 + (unsigned)(id[i] - '0');
        out[o++] = (char)(0xE0 | (c >> 12));
        out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[o++] = (char)(0x80 | (c & 0x3F));
    }
    out[o] = '\0';
    return out;
}

static void test_structure_flags_a_household_without_self_not_one_listing_it_last(
    void **state)
{
    rulefix *f = *state;
    char w1[19], s1[19], w2[19], s2[19];
    rf_id(w1, 530102, 1970, 3, 12, 13);
    rf_id(s1, 530102, 1972, 4, 8, 26);
    rf_id(w2, 530102, 1968, 11, 5, 24);
    rf_id(s2, 530102, 1969, 2, 1, 17);
    rf_household(f, "NS-1", w1, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "NS-1", w1, "张三", RF_OTHER);
    rf_member(f, "NS-1", s1, "李梅", RF_SPOUSE);
    /* Near miss: the worker listed after the spouse is still 本人. */
    rf_household(f, "NS-2", w2, 530102, XC_ST_EXITED, rf_date(2019, 1, 1), rf_date(2024, 1, 1));
    rf_member(f, "NS-2", s2, "赵六", RF_SPOUSE);
    rf_member(f, "NS-2", w2, "王五", RF_SELF);
    rf_run(f);

    assert_int_equal(rf_count(f, "NS-1", "HH-NO-SELF"), 1);
    const xc_flag *fl = rf_find(f, "NS-1", "HH-NO-SELF");
    assert_int_equal(fl->category, XC_CAT_DATA_QUALITY);
    assert_int_equal(fl->person, XC_NONE);
    assert_int_equal(fl->from, XC_NO_DATE);
    assert_int_equal(fl->to, XC_NO_DATE);
    assert_contains(fl->summary, "2名家庭成员中没有关系为本人的成员");
    assert_contains(fl->summary, "张三（其他，530102********0133，第3行）");
    assert_contains(fl->summary, "李梅（配偶，");
    /* The household and both member rows, with their lines. */
    assert_contains(fl->evidence, "\"archive_no\":\"NS-1\"");
    assert_contains(fl->evidence, "\"household_line\":2");
    assert_contains(fl->evidence, "{\"dataset\":\"member\",\"line\":3,\"masked_id\":"
                                  "\"530102********0133\"");
    assert_contains(fl->evidence, "\"relation\":\"other\",\"member_line\":3}");
    assert_contains(fl->evidence, "{\"dataset\":\"member\",\"line\":4,");
    /* The worker is a member all the same. */
    assert_int_equal(rf_count(f, "NS-1", NULL), 1);
    assert_int_equal(rf_count(f, "NS-2", NULL), 0);
    assert_int_equal(rf_result(f, "HH-NO-SELF")->households, 2);
}

static void test_structure_a_household_without_member_rows_has_no_self(void **state)
{
    rulefix *f = *state;
    char w[19];
    rf_id(w, 530102, 1970, 3, 12, 13);
    rf_household(f, "NM-0", w, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_run(f);
    assert_int_equal(rf_count(f, "NM-0", "HH-NO-SELF"), 1);
    assert_contains(rf_find(f, "NM-0", "HH-NO-SELF")->summary, "没有任何家庭成员登记");
    /* One finding, not two: the worker's absence is HH-NO-SELF's. */
    assert_int_equal(rf_count(f, "NM-0", NULL), 1);
}

static void test_structure_flags_two_selves_not_the_worker_row_given_twice(void **state)
{
    rulefix *f = *state;
    char w1[19], s1[19], w2[19], c2[19];
    rf_id(w1, 530102, 1970, 3, 12, 13);
    rf_id(s1, 530102, 1972, 4, 8, 26);
    rf_id(w2, 530102, 1968, 11, 5, 24);
    rf_id(c2, 530102, 1995, 3, 3, 42);
    rf_household(f, "MS-1", w1, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "MS-1", w1, "张三", RF_SELF);
    rf_member(f, "MS-1", s1, "李梅", RF_SELF);
    /* Near miss: the worker's own row twice is one person, one 本人. */
    rf_household(f, "MS-2", w2, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "MS-2", w2, "王五", RF_SELF);
    rf_member(f, "MS-2", c2, "王小", RF_CHILD);
    rf_member(f, "MS-2", w2, "王五", RF_SELF);
    rf_run(f);

    assert_int_equal(rf_count(f, "MS-1", "HH-MULTI-SELF"), 1);
    const xc_flag *fl = rf_find(f, "MS-1", "HH-MULTI-SELF");
    assert_int_equal(fl->category, XC_CAT_DATA_QUALITY);
    assert_contains(fl->summary, "有2名成员的关系为本人");
    assert_contains(fl->summary, "张三（本人，530102********0133，第3行）、李梅（本人，");
    assert_contains(fl->evidence, "{\"dataset\":\"member\",\"line\":3,");
    assert_contains(fl->evidence, "{\"dataset\":\"member\",\"line\":4,");
    assert_int_equal(rf_count(f, "MS-1", NULL), 1);

    assert_int_equal(rf_count(f, "MS-2", "HH-MULTI-SELF"), 0);
    assert_int_equal(rf_count(f, "MS-2", "MB-DUPLICATE"), 1);
    assert_int_equal(rf_count(f, "MS-2", NULL), 1);
}

static void test_structure_flags_a_worker_who_is_no_member_not_one_typed_otherwise(
    void **state)
{
    rulefix *f = *state;
    char w1[19], other[19], s1[19], w2[19], blanks[21], w3[19], legacy[16];
    rf_id(w1, 530102, 1970, 3, 12, 13);
    rf_id(other, 530102, 1970, 3, 21, 13);       /* digits of the day swapped */
    rf_id(s1, 530102, 1972, 4, 8, 26);
    rf_id(w2, 530102, 1968, 11, 5, 24);
    rf_id(w3, 530102, 1950, 5, 5, 51);
    rf_household(f, "WN-1", other, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "WN-1", w1, "张三", RF_SELF);
    rf_member(f, "WN-1", s1, "李梅", RF_SPOUSE);
    /* Near misses: the worker's number with blanks in the household row,
     * in its 15-digit form in the member row. */
    rf_household(f, "WN-2", with_blanks(blanks, w2), 530102, XC_ST_ACTIVE,
                 rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "WN-2", w2, "王五", RF_SELF);
    memcpy(legacy, w3, 6);
    memcpy(legacy + 6, w3 + 8, 9);
    legacy[15] = '\0';
    rf_household(f, "WN-3", w3, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "WN-3", legacy, "陈老", RF_SELF);
    /* An invalid worker number cannot be compared: not judged. */
    rf_household(f, "WN-4", "53010219701", 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1),
                 XC_NO_DATE);
    rf_member(f, "WN-4", s1, "李梅", RF_SELF);
    rf_run(f);

    assert_int_equal(rf_count(f, "WN-1", "HH-WORKER-NOT-MEMBER"), 1);
    const xc_flag *fl = rf_find(f, "WN-1", "HH-WORKER-NOT-MEMBER");
    assert_int_equal(fl->category, XC_CAT_DATA_QUALITY);
    assert_int_equal(fl->person, XC_NONE);
    assert_contains(fl->summary, "的职工");
    char wm[32];
    snprintf(wm, sizeof wm, "（%.6s********%.4s）", other, other + 14);
    assert_contains(fl->summary, wm);
    assert_contains(fl->summary, "不是本户2名家庭成员中的任何一人");
    assert_contains(fl->summary, "张三（本人，530102********0133，第3行）");
    assert_contains(fl->evidence, "{\"dataset\":\"member\",\"line\":3,");
    assert_contains(fl->evidence, "{\"dataset\":\"member\",\"line\":4,");
    assert_int_equal(rf_count(f, "WN-1", NULL), 1);

    assert_int_equal(rf_count(f, "WN-2", NULL), 0);
    assert_int_equal(rf_count(f, "WN-3", "HH-WORKER-NOT-MEMBER"), 0);
    assert_int_equal(rf_count(f, "WN-3", "ID-LEGACY"), 1);
    assert_int_equal(rf_count(f, "WN-4", "HH-WORKER-NOT-MEMBER"), 0);
    assert_int_equal(rf_result(f, "HH-WORKER-NOT-MEMBER")->households, 4);
    assert_int_equal(rf_result(f, "HH-WORKER-NOT-MEMBER")->not_judged, 1);
}

static void test_structure_flags_a_member_row_given_twice_with_both_lines(void **state)
{
    rulefix *f = *state;
    char w1[19], s1[19], fw[64], w2[19], c2[19], c2b[19], w3[19], s3[19];
    rf_id(w1, 530102, 1970, 3, 12, 13);
    rf_id(s1, 530102, 1972, 4, 8, 26);
    rf_id(w2, 530102, 1968, 11, 5, 24);
    rf_id(c2, 530102, 1995, 3, 3, 42);
    rf_id(c2b, 530102, 1997, 6, 6, 44);
    rf_id(w3, 530103, 1975, 8, 20, 35);
    rf_id(s3, 530103, 1977, 7, 7, 48);
    rf_household(f, "MD-1", w1, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "MD-1", w1, "张三", RF_SELF);                  /* line 3 */
    rf_member(f, "MD-1", s1, "李梅", RF_SPOUSE);                /* line 4 */
    /* The same number in full-width digits, another name and relation. */
    rf_member(f, "MD-1", full_width(fw, s1), "李梅梅", RF_OTHER); /* line 5 */
    rf_member(f, "MD-1", s1, "李梅", RF_SPOUSE);                /* line 6 */
    /* Near miss: two children of one name, two numbers. */
    rf_household(f, "MD-2", w2, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "MD-2", w2, "王五", RF_SELF);
    rf_member(f, "MD-2", c2, "王小", RF_CHILD);
    rf_member(f, "MD-2", c2b, "王小", RF_CHILD);
    /* Near miss: the same person in another household is DUP-PERSON's. */
    rf_household(f, "MD-3", w3, 530103, XC_ST_ACTIVE, rf_date(2022, 1, 1), XC_NO_DATE);
    rf_member(f, "MD-3", w3, "王海", RF_SELF);
    rf_member(f, "MD-3", s1, "李梅", RF_OTHER);
    rf_member(f, "MD-3", s3, "马兰", RF_SPOUSE);
    rf_run(f);

    assert_int_equal(rf_count(f, "MD-1", "MB-DUPLICATE"), 1);
    const xc_flag *fl = rf_find(f, "MD-1", "MB-DUPLICATE");
    assert_int_equal(fl->category, XC_CAT_DATA_QUALITY);
    assert_string_equal(rf_flag_person(f, fl), "李梅");
    assert_contains(fl->summary, "成员李梅（530102********0262）在档案MD-1中登记了3次：第4行、"
                                 "第5行（姓名为“李梅梅”）（关系为其他）、第6行，按一人计，"
                                 "家庭人口为2人");
    assert_contains(fl->evidence, "\"members\":2,");
    assert_contains(fl->evidence, "{\"dataset\":\"member\",\"line\":4,");
    assert_contains(fl->evidence, "{\"dataset\":\"member\",\"line\":5,");
    assert_contains(fl->evidence, "{\"dataset\":\"member\",\"line\":6,");
    assert_contains(fl->evidence, "\"name\":\"李梅梅\",\"relation\":\"other\"");
    assert_int_equal(rf_count(f, "MD-1", NULL), 1);
    const xc_household *hh = xc_archive_household(f->archive, 0);
    assert_int_equal(hh->n_members, 2);
    assert_int_equal(xc_household_n_repeats(f->archive, hh), 2);

    assert_int_equal(rf_count(f, "MD-2", NULL), 0);
    assert_int_equal(rf_count(f, "MD-3", "MB-DUPLICATE"), 0);
    assert_int_equal(rf_count(f, "MD-3", "DUP-PERSON"), 1);
}

/* The other rules see a repeated member once: one flag, not two. */
static void test_structure_a_repeated_member_is_judged_once_by_the_other_rules(void **state)
{
    rulefix *f = *state;
    char w[19], c[19];
    rf_id(w, 530102, 1970, 3, 12, 13);
    rf_id(c, 530102, 2001, 9, 15, 31);
    rf_household(f, "MV-1", w, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 15), XC_NO_DATE);
    rf_member(f, "MV-1", w, "张建国", RF_SELF);
    rf_member(f, "MV-1", c, "张磊", RF_CHILD);
    rf_member(f, "MV-1", c, "张磊", RF_CHILD);
    rf_hukou(f, w, "张建国", 530102, RF_HK_NORMAL, XC_NO_DATE);
    rf_vehicle(f, c, RF_VH_CAR, rf_date(2025, 2, 1), XC_NO_DATE, YUAN(89000));
    rf_run(f);
    assert_int_equal(rf_count(f, "MV-1", "VH-CAR"), 1);
    assert_int_equal(rf_count(f, "MV-1", "ID-NOT-FOUND"), 1);
    assert_int_equal(rf_count(f, "MV-1", "MB-DUPLICATE"), 1);
    assert_int_equal(rf_count(f, "MV-1", NULL), 3);
}

/* 2026-12-01: a member row given twice made a household of 3 into 4 and lost
 * its IN-EXIT-DUE. */
static void test_structure_a_member_row_given_twice_keeps_the_exit_due_of_three(
    void **state)
{
    rulefix *f = *state;
    char w[19], s[19], c[19];
    rf_id(w, 530102, 1970, 3, 12, 13);
    rf_id(s, 530102, 1972, 4, 8, 26);
    rf_id(c, 530102, 2001, 9, 15, 31);
    rf_standard(f, "5301", rf_date(2024, 1, 1), YUAN(800));
    rf_household(f, "ED-1", w, 530102, XC_ST_ACTIVE, rf_date(2024, 3, 10), XC_NO_DATE);
    rf_member(f, "ED-1", w, "张建国", RF_SELF);
    rf_member(f, "ED-1", s, "王芳", RF_SPOUSE);
    rf_member(f, "ED-1", c, "张磊", RF_CHILD);
    rf_member(f, "ED-1", c, "张磊", RF_CHILD);
    /* 3200 a month: 1066.67 a head of 3 (above 800), 800 of 4 (not above). */
    for (int i = 0; i < 6; i++)
        rf_income(f, w, rf_month(2024, 7) + i, YUAN(3200));
    rf_run(f);

    assert_int_equal(rf_count(f, "ED-1", "IN-EXIT-DUE"), 1);
    const xc_flag *fl = rf_find(f, "ED-1", "IN-EXIT-DUE");
    assert_int_equal(fl->from, rf_date(2024, 7, 1));
    assert_int_equal(fl->to, rf_date(2024, 12, 31));
    assert_contains(rf_evidence(f, fl), "{\"month\":\"2024-07\",\"household_income\":3200.00,"
                                        "\"members\":3,\"per_capita\":1066.67,");
    assert_int_equal(rf_count(f, "ED-1", "MB-DUPLICATE"), 1);
}

/* Rows with an invalid number cannot be compared: two members, each
 * ID-INVALID, neither a repeat. */
static void test_structure_rows_with_one_invalid_number_are_not_repeats(void **state)
{
    rulefix *f = *state;
    char w[19];
    rf_id(w, 530102, 1970, 3, 12, 13);
    rf_household(f, "IV-1", w, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_member(f, "IV-1", w, "张三", RF_SELF);
    rf_member(f, "IV-1", "5301021972040", "李梅", RF_SPOUSE);
    rf_member(f, "IV-1", "5301021972040", "李梅", RF_SPOUSE);
    rf_run(f);
    assert_int_equal(rf_count(f, "IV-1", "MB-DUPLICATE"), 0);
    assert_int_equal(rf_count(f, "IV-1", "ID-INVALID"), 2);
    assert_int_equal(xc_archive_household(f->archive, 0)->n_members, 3);
}

/* Cancelled households are out of scope, as for the ID rules. */
static void test_structure_leaves_cancelled_households_alone(void **state)
{
    rulefix *f = *state;
    char w[19], s[19], other[19];
    rf_id(w, 530102, 1970, 3, 12, 13);
    rf_id(s, 530102, 1972, 4, 8, 26);
    rf_id(other, 530102, 1970, 3, 21, 13);
    rf_household(f, "CX-1", other, 530102, XC_ST_CANCELLED, rf_date(2019, 1, 1),
                 rf_date(2023, 1, 1));
    rf_member(f, "CX-1", w, "张三", RF_OTHER);
    rf_member(f, "CX-1", s, "李梅", RF_SPOUSE);
    rf_member(f, "CX-1", s, "李梅", RF_SPOUSE);
    rf_run(f);
    assert_int_equal(rf_count(f, "CX-1", NULL), 0);
    assert_int_equal(rf_result(f, "HH-NO-SELF")->households, 0);
}

/* The i-th member of a big household: distinct for i below 5 400. */
static char *big_id(char out[static 19], uint32_t region, int i)
{
    return rf_id(out, region, 1950 + i % 50, 1 + (i / 50) % 12, 1 + i / 600, 1);
}

static const int big_relations[] = {RF_SPOUSE, RF_CHILD, RF_PARENT, RF_OTHER};

/* 2026-12-02: each member row walked its household's whole list to find a
 * repeat and the end, and MB-DUPLICATE walked every repeat for every
 * member, so a household of 60 000 members took 7 s to load. Two big
 * households whose rows alternate in the member file, with members given
 * two and three times, and ten people in both, must get exactly the flags
 * of small ones. */
static void test_structure_households_of_thousands_of_members_get_exactly_their_flags(
    void **state)
{
    rulefix *f = *state;
    enum { N = 5000 };
    char w1[19], w2[19], id[19], id2[19];
    long *line1 = calloc(N, sizeof *line1);
    assert_non_null(line1);
    big_id(w1, 530102, 0);
    rf_id(w2, 530103, 1940, 1, 1, 200);          /* no member of BIG-2 */
    rf_household(f, "BIG-1", w1, 530102, XC_ST_ACTIVE, rf_date(2020, 1, 1), XC_NO_DATE);
    rf_household(f, "BIG-2", w2, 530103, XC_ST_ACTIVE, rf_date(2021, 1, 1), XC_NO_DATE);
    long line = 3;                               /* the header, two households */
    for (int i = 0; i < N; i++) {
        char name[16];
        snprintf(name, sizeof name, "甲%d", i);
        bool self = i == 0 || i == 1234 || i == 4321;
        rf_member(f, "BIG-1", big_id(id, 530102, i), name, self ? RF_SELF : big_relations[i % 4]);
        line1[i] = ++line;
        /* BIG-2: no self; every 500th from 100 on is a member of BIG-1 too */
        snprintf(name, sizeof name, "乙%d", i);
        if (i % 500 == 100)
            rf_member(f, "BIG-2", big_id(id2, 530102, i), "甲", RF_OTHER);
        else
            rf_member(f, "BIG-2", big_id(id2, 530103, i), name, big_relations[i % 4]);
        ++line;
    }
    /* Repeated rows: BIG-1's every 100th from 50 once, every 1000th from
     * 333 twice (the second under another name); BIG-2's every 500th from
     * 7 once, between them. */
    long rep1[N] = {0}, rep1b[N] = {0};
    for (int i = 0; i < N; i++) {
        char name[16];
        snprintf(name, sizeof name, "甲%d", i);
        if (i % 100 == 50 || i % 1000 == 333) {
            rf_member(f, "BIG-1", big_id(id, 530102, i), name, big_relations[i % 4]);
            rep1[i] = ++line;
        }
        if (i % 500 == 7) {
            snprintf(name, sizeof name, "乙%d", i);
            rf_member(f, "BIG-2", big_id(id2, 530103, i), name, big_relations[i % 4]);
            ++line;
        }
    }
    for (int i = 333; i < N; i += 1000) {
        rf_member(f, "BIG-1", big_id(id, 530102, i), "别名", big_relations[i % 4]);
        rep1b[i] = ++line;
    }
    rf_run(f);

    const xc_household *b1 = xc_archive_household(f->archive, 0);
    const xc_household *b2 = xc_archive_household(f->archive, 1);
    assert_int_equal(b1->n_members, N);
    assert_int_equal(xc_household_n_repeats(f->archive, b1), 50 + 2 * 5);
    assert_int_equal(b2->n_members, N);
    assert_int_equal(xc_household_n_repeats(f->archive, b2), 10);

    /* One flag per member given again, in member order, every row of it. */
    assert_int_equal(rf_count(f, "BIG-1", "MB-DUPLICATE"), 55);
    size_t at = 0;
    for (int i = 0; i < N; i++) {
        if (!rep1[i])
            continue;
        while (strcmp(f->flags.v[at].rule->id, "MB-DUPLICATE") != 0 ||
               strcmp(rf_flag_archive_no(f, &f->flags.v[at]), "BIG-1") != 0)
            at++;
        const xc_flag *fl = &f->flags.v[at++];
        char want[512], name[16];
        snprintf(name, sizeof name, "甲%d", i);
        big_id(id, 530102, i);
        int o = snprintf(want, sizeof want,
                         "成员%s（%.6s********%s）在档案BIG-1中登记了%d次：第%ld行、第%ld行", name,
                         id, id + 14, rep1b[i] ? 3 : 2, line1[i], rep1[i]);
        if (rep1b[i])
            o += snprintf(want + o, sizeof want - (size_t)o, "、第%ld行（姓名为“别名”）", rep1b[i]);
        snprintf(want + o, sizeof want - (size_t)o, "，按一人计，家庭人口为%d人", N);
        assert_string_equal(fl->summary, want);
        assert_string_equal(rf_flag_person(f, fl), name);
    }
    assert_int_equal(rf_count(f, "BIG-2", "MB-DUPLICATE"), 10);

    /* The three selves of BIG-1, in member order. */
    assert_int_equal(rf_count(f, "BIG-1", "HH-MULTI-SELF"), 1);
    const xc_flag *fl = rf_find(f, "BIG-1", "HH-MULTI-SELF");
    assert_contains(fl->summary, "有3名成员的关系为本人：甲0（本人，");
    char part[128];
    big_id(id, 530102, 1234);
    snprintf(part, sizeof part, "）、甲1234（本人，%.6s********%s，第%ld行）、甲4321（本人，", id,
             id + 14, line1[1234]);
    assert_contains(fl->summary, part);
    assert_int_equal(rf_count(f, "BIG-1", "HH-NO-SELF"), 0);
    assert_int_equal(rf_count(f, "BIG-1", "HH-WORKER-NOT-MEMBER"), 0);

    /* BIG-2: no self, its worker none of its 5 000 members, each listed. */
    assert_int_equal(rf_count(f, "BIG-2", "HH-NO-SELF"), 1);
    fl = rf_find(f, "BIG-2", "HH-NO-SELF");
    assert_contains(fl->summary, "的5000名家庭成员中没有关系为本人的成员：乙0（配偶，");
    assert_contains(fl->summary, "、乙4999（其他，");
    assert_int_equal(rf_count(f, "BIG-2", "HH-WORKER-NOT-MEMBER"), 1);
    assert_int_equal(rf_count(f, "BIG-2", "HH-MULTI-SELF"), 0);

    /* The ten in both households: the later one's finding, once each. */
    assert_int_equal(rf_count(f, "BIG-2", "DUP-PERSON"), 10);
    assert_int_equal(rf_count(f, "BIG-1", "DUP-PERSON"), 0);
    assert_int_equal(rf_count(f, NULL, NULL), 55 + 10 + 1 + 1 + 1 + 10);
    free(line1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, rf_setup, rf_teardown)
        T(test_structure_flags_a_household_without_self_not_one_listing_it_last),
        T(test_structure_a_household_without_member_rows_has_no_self),
        T(test_structure_flags_two_selves_not_the_worker_row_given_twice),
        T(test_structure_flags_a_worker_who_is_no_member_not_one_typed_otherwise),
        T(test_structure_flags_a_member_row_given_twice_with_both_lines),
        T(test_structure_a_repeated_member_is_judged_once_by_the_other_rules),
        T(test_structure_a_member_row_given_twice_keeps_the_exit_due_of_three),
        T(test_structure_rows_with_one_invalid_number_are_not_repeats),
        T(test_structure_leaves_cancelled_households_alone),
        T(test_structure_households_of_thousands_of_members_get_exactly_their_flags),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
