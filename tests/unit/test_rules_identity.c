/* test_rules_identity.c - the archive's ID numbers and one person in two
 * households: ID-INVALID, ID-LEGACY, ID-NOT-FOUND, ID-NAME-MISMATCH,
 * DUP-PERSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
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
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
