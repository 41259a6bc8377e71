/* test_rules_assets.c - property, vehicles and business roles: PR-COMMERCIAL,
 * PR-MULTI, VH-CAR, BZ-ROLE, and how a holding's start date splits
 * mis_enrollment from missed_exit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "rulefix.h"

#define ENROLLED rf_date(2023, 6, 1)

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("\"%s\" not found in %s", part, text);
}

/* An active household in 530102 enrolled on ENROLLED; its worker (written
 * into id) is a member. */
static void household(rulefix *f, const char *no, char id[static 19], int seq)
{
    rf_id(id, 530102, 1970, 3, 12, seq);
    rf_household(f, no, id, 530102, XC_ST_ACTIVE, ENROLLED, XC_NO_DATE);
    rf_member(f, no, id, "张三", RF_SELF);
}

/* 2026-11-21: co-owners' rows without a certificate number counted twice. */
static void test_assets_co_owned_home_without_certificate_counts_once(void **state)
{
    rulefix *f = *state;
    char w[19], s[19];
    household(f, "PM-NOCERT", w, 11);
    rf_member(f, "PM-NOCERT", rf_id(s, 530102, 1972, 4, 8, 26), "李梅", RF_SPOUSE);
    rf_property(f, w, "", RF_PR_RESIDENTIAL, rf_date(2015, 6, 1), XC_NO_DATE);
    rf_property(f, s, "", RF_PR_RESIDENTIAL, rf_date(2015, 6, 1), XC_NO_DATE);
    rf_run(f);
    assert_int_equal(rf_count(f, "PM-NOCERT", "PR-MULTI"), 0);
}

/* 2026-11-21: households were judged by their status today, not on as_of. */
static void test_assets_households_are_judged_as_they_stood_on_as_of(void **state)
{
    rulefix *f = *state;
    char later[19], gone[19], done[19];
    /* Enrolled after as_of: not in the archive yet. */
    rf_id(later, 530102, 1970, 3, 12, 21);
    rf_household(f, "AS-LATER", later, 530102, XC_ST_ACTIVE, rf_date(2025, 7, 15), XC_NO_DATE);
    rf_member(f, "AS-LATER", later, "张三", RF_SELF);
    rf_property(f, later, "云-1", RF_PR_COMMERCIAL, rf_date(2025, 7, 15), XC_NO_DATE);
    /* Exited after as_of: still in the archive on as_of. */
    rf_id(gone, 530102, 1970, 3, 12, 23);
    rf_household(f, "AS-GONE", gone, 530102, XC_ST_EXITED, rf_date(2020, 1, 1),
                 rf_date(2025, 8, 1));
    rf_member(f, "AS-GONE", gone, "李四", RF_SELF);
    rf_property(f, gone, "云-2", RF_PR_COMMERCIAL, rf_date(2024, 1, 1), XC_NO_DATE);
    /* Exited before as_of: out of the archive's rules. */
    rf_id(done, 530102, 1970, 3, 12, 25);
    rf_household(f, "AS-DONE", done, 530102, XC_ST_EXITED, rf_date(2020, 1, 1),
                 rf_date(2025, 2, 1));
    rf_member(f, "AS-DONE", done, "王五", RF_SELF);
    rf_property(f, done, "云-3", RF_PR_COMMERCIAL, rf_date(2024, 1, 1), XC_NO_DATE);
    rf_run(f);
    assert_int_equal(rf_count(f, "AS-LATER", NULL), 0);
    assert_int_equal(rf_count_category(f, "AS-GONE", "PR-COMMERCIAL", XC_CAT_MISSED_EXIT), 1);
    assert_int_equal(rf_count(f, "AS-DONE", "PR-COMMERCIAL"), 0);
}

static void test_assets_commercial_property_is_split_by_its_registration_date(void **state)
{
    rulefix *f = *state;
    char after[19], on[19], gone[19], other[19], industrial[19];
    household(f, "PC-AFTER", after, 11);
    household(f, "PC-ON", on, 13);
    household(f, "PC-GONE", gone, 15);
    household(f, "PC-OTHER", other, 17);
    household(f, "PC-INDUSTRIAL", industrial, 19);
    rf_property(f, after, "商-1", RF_PR_COMMERCIAL, ENROLLED + 1, XC_NO_DATE);
    rf_property(f, on, "商-2", RF_PR_COMMERCIAL, ENROLLED, XC_NO_DATE);
    /* Bought after enrollment, cancelled before as_of. */
    rf_property(f, gone, "商-3", RF_PR_COMMERCIAL, rf_date(2024, 1, 10),
                rf_date(2025, 1, 10));
    rf_property(f, other, "其-4", RF_PR_OTHER, rf_date(2024, 1, 10), XC_NO_DATE);
    rf_property(f, industrial, "工-5", RF_PR_INDUSTRIAL, rf_date(2020, 1, 10), XC_NO_DATE);
    rf_run(f);

    assert_int_equal(rf_count(f, "PC-AFTER", "PR-COMMERCIAL"), 1);
    const xc_flag *fl = rf_find(f, "PC-AFTER", "PR-COMMERCIAL");
    assert_int_equal(fl->category, XC_CAT_MISSED_EXIT);
    assert_int_equal(fl->from, rf_date(2023, 6, 2));
    assert_int_equal(fl->to, XC_NO_DATE);
    assert_string_equal(rf_flag_person(f, fl), "张三");
    assert_contains(fl->evidence, "\"cert_no\":\"商-1\",\"usage\":\"commercial\"");

    assert_int_equal(rf_count(f, "PC-ON", "PR-COMMERCIAL"), 1);
    fl = rf_find(f, "PC-ON", "PR-COMMERCIAL");
    assert_int_equal(fl->category, XC_CAT_MIS_ENROLLMENT);
    assert_int_equal(fl->from, ENROLLED);

    assert_int_equal(rf_count(f, "PC-GONE", NULL), 0);
    assert_int_equal(rf_count(f, "PC-OTHER", NULL), 0);
    fl = rf_find(f, "PC-INDUSTRIAL", "PR-COMMERCIAL");
    assert_non_null(fl);
    assert_int_equal(fl->category, XC_CAT_MIS_ENROLLMENT);
    assert_int_equal(fl->from, rf_date(2020, 1, 10));
}

static void test_assets_one_member_can_hold_both_kinds_of_commercial_flag(void **state)
{
    rulefix *f = *state;
    char w[19];
    household(f, "PC-BOTH", w, 11);
    rf_property(f, w, "商-1", RF_PR_COMMERCIAL, rf_date(2019, 5, 1), XC_NO_DATE);
    rf_property(f, w, "商-2", RF_PR_COMMERCIAL, rf_date(2024, 8, 1), XC_NO_DATE);
    rf_property(f, w, "商-3", RF_PR_COMMERCIAL, rf_date(2024, 3, 1), XC_NO_DATE);
    rf_run(f);

    assert_int_equal(rf_count(f, "PC-BOTH", "PR-COMMERCIAL"), 2);
    const xc_flag *mis = rf_find_category(f, "PC-BOTH", "PR-COMMERCIAL", XC_CAT_MIS_ENROLLMENT);
    assert_non_null(mis);
    assert_int_equal(mis->from, rf_date(2019, 5, 1));
    const xc_flag *missed = rf_find_category(f, "PC-BOTH", "PR-COMMERCIAL",
                                             XC_CAT_MISSED_EXIT);
    assert_non_null(missed);
    assert_int_equal(missed->from, rf_date(2024, 3, 1));   /* the earliest after enrollment */
    assert_contains(missed->evidence, "\"cert_no\":\"商-2\"");
    assert_contains(missed->evidence, "\"cert_no\":\"商-3\"");
}

static void test_assets_multi_counts_distinct_residential_certificates(void **state)
{
    rulefix *f = *state;
    char w1[19], s1[19], w2[19], s2[19], w3[19];
    household(f, "PM-TWO", w1, 11);
    rf_id(s1, 530102, 1972, 4, 8, 22);
    rf_member(f, "PM-TWO", s1, "李梅", RF_SPOUSE);
    household(f, "PM-SHARED", w2, 13);
    rf_id(s2, 530102, 1972, 4, 8, 24);
    rf_member(f, "PM-SHARED", s2, "王芳", RF_SPOUSE);
    household(f, "PM-LATER", w3, 15);
    /* Two homes, one per spouse, both before enrollment. */
    rf_property(f, w1, "房-1", RF_PR_RESIDENTIAL, rf_date(2015, 3, 1), XC_NO_DATE);
    rf_property(f, s1, "房-2", RF_PR_RESIDENTIAL, rf_date(2018, 9, 1), XC_NO_DATE);
    /* One home, co-owned: a row per owner, the same certificate. */
    rf_property(f, w2, "房-3", RF_PR_RESIDENTIAL, rf_date(2015, 3, 1), XC_NO_DATE);
    rf_property(f, s2, "房-3", RF_PR_RESIDENTIAL, rf_date(2015, 3, 1), XC_NO_DATE);
    /* A second home bought after enrollment. */
    rf_property(f, w3, "房-4", RF_PR_RESIDENTIAL, rf_date(2010, 1, 1), XC_NO_DATE);
    rf_property(f, w3, "房-5", RF_PR_RESIDENTIAL, rf_date(2024, 4, 1), XC_NO_DATE);
    rf_run(f);

    assert_int_equal(rf_count(f, "PM-TWO", "PR-MULTI"), 1);
    const xc_flag *fl = rf_find(f, "PM-TWO", "PR-MULTI");
    assert_int_equal(fl->category, XC_CAT_MIS_ENROLLMENT);
    assert_int_equal(fl->person, XC_NONE);
    assert_int_equal(fl->from, rf_date(2018, 9, 1));   /* when the second home came */
    assert_int_equal(fl->to, XC_NO_DATE);
    assert_contains(fl->evidence, "\"cert_no\":\"房-1\"");
    assert_contains(fl->evidence, "\"cert_no\":\"房-2\"");

    assert_int_equal(rf_count(f, "PM-SHARED", NULL), 0);

    assert_int_equal(rf_count(f, "PM-LATER", "PR-MULTI"), 1);
    fl = rf_find(f, "PM-LATER", "PR-MULTI");
    assert_int_equal(fl->category, XC_CAT_MISSED_EXIT);
    assert_int_equal(fl->from, rf_date(2024, 4, 1));
    /* Residential homes are not commercial property. */
    assert_int_equal(rf_count(f, NULL, "PR-COMMERCIAL"), 0);
}

static void test_assets_car_flags_and_motorcycle_or_deregistered_car_does_not(void **state)
{
    rulefix *f = *state;
    char moto[19], car[19], dereg[19], on[19], unpriced[19];
    household(f, "VH-MOTO", moto, 11);
    household(f, "VH-CAR", car, 13);
    household(f, "VH-DEREG", dereg, 15);
    household(f, "VH-ON", on, 17);
    household(f, "VH-UNPRICED", unpriced, 19);
    rf_vehicle(f, moto, RF_VH_MOTORCYCLE, rf_date(2024, 2, 1), XC_NO_DATE, 800000);
    rf_vehicle(f, car, RF_VH_CAR, rf_date(2024, 2, 1), XC_NO_DATE, 6000000);
    rf_vehicle(f, dereg, RF_VH_CAR, rf_date(2024, 2, 1), rf_date(2025, 2, 1), 6000000);
    rf_vehicle(f, on, RF_VH_CAR, ENROLLED, XC_NO_DATE, 6000000);
    rf_vehicle(f, unpriced, RF_VH_TRUCK, rf_date(2024, 2, 1), XC_NO_DATE, -1);
    rf_run(f);

    assert_int_equal(rf_count(f, "VH-MOTO", NULL), 0);
    assert_int_equal(rf_count(f, "VH-CAR", "VH-CAR"), 1);
    const xc_flag *fl = rf_find(f, "VH-CAR", "VH-CAR");
    assert_int_equal(fl->category, XC_CAT_MISSED_EXIT);
    assert_int_equal(fl->from, rf_date(2024, 2, 1));
    assert_int_equal(fl->to, XC_NO_DATE);
    assert_string_equal(rf_flag_person(f, fl), "张三");
    assert_contains(fl->evidence, "\"kind\":\"car\",\"registered_on\":\"2024-02-01\","
                                  "\"deregistered_on\":null,\"price\":60000.00");
    assert_int_equal(rf_count(f, "VH-DEREG", NULL), 0);
    fl = rf_find(f, "VH-ON", "VH-CAR");
    assert_non_null(fl);
    assert_int_equal(fl->category, XC_CAT_MIS_ENROLLMENT);
    fl = rf_find(f, "VH-UNPRICED", "VH-CAR");
    assert_non_null(fl);
    assert_contains(fl->evidence, "\"price\":null");
}

static void test_assets_car_below_the_profile_price_floor_is_not_flagged(void **state)
{
    rulefix *f = *state;
    char cheap[19], dear[19];
    rf_param(f, "vehicle", "min_price", "50000");        /* yuan */
    household(f, "VP-CHEAP", cheap, 11);
    household(f, "VP-DEAR", dear, 13);
    rf_vehicle(f, cheap, RF_VH_CAR, rf_date(2024, 2, 1), XC_NO_DATE, 4999999);
    rf_vehicle(f, dear, RF_VH_CAR, rf_date(2024, 2, 1), XC_NO_DATE, 5000000);
    rf_run(f);

    assert_int_equal(rf_count(f, "VP-CHEAP", NULL), 0);
    assert_int_equal(rf_count(f, "VP-DEAR", "VH-CAR"), 1);
}

static void test_assets_business_role_flags_an_active_legal_representative_only(void **state)
{
    rulefix *f = *state;
    char rep[19], revoked[19], exec[19], share[19];
    household(f, "BZ-REP", rep, 11);
    household(f, "BZ-REVOKED", revoked, 13);
    household(f, "BZ-EXEC", exec, 15);
    household(f, "BZ-SHARE", share, 17);
    rf_business(f, rep, RF_BZ_LEGAL_REP, RF_BZ_ACTIVE, rf_date(2024, 1, 5), XC_NO_DATE);
    rf_business(f, revoked, RF_BZ_LEGAL_REP, RF_BZ_REVOKED, rf_date(2024, 1, 5),
                rf_date(2024, 12, 1));
    rf_business(f, exec, RF_BZ_EXECUTIVE, RF_BZ_ACTIVE, rf_date(2024, 1, 5), XC_NO_DATE);
    /* A shareholder of a business with no known establishment date. */
    rf_business(f, share, RF_BZ_SHAREHOLDER, RF_BZ_ACTIVE, XC_NO_DATE, XC_NO_DATE);
    rf_run(f);

    assert_int_equal(rf_count(f, "BZ-REP", "BZ-ROLE"), 1);
    const xc_flag *fl = rf_find(f, "BZ-REP", "BZ-ROLE");
    assert_int_equal(fl->category, XC_CAT_MISSED_EXIT);
    assert_int_equal(fl->from, rf_date(2024, 1, 5));
    assert_int_equal(fl->to, XC_NO_DATE);
    assert_contains(fl->evidence, "\"role\":\"legal_rep\",\"status\":\"active\"");

    assert_int_equal(rf_count(f, "BZ-REVOKED", NULL), 0);
    assert_int_equal(rf_count(f, "BZ-EXEC", NULL), 0);

    /* No start date: counted as arising after enrollment, date unknown. */
    fl = rf_find(f, "BZ-SHARE", "BZ-ROLE");
    assert_non_null(fl);
    assert_int_equal(fl->category, XC_CAT_MISSED_EXIT);
    assert_int_equal(fl->from, XC_NO_DATE);
}

static void test_assets_holding_given_up_after_enrollment_is_still_mis_enrollment(
    void **state)
{
    rulefix *f = *state;
    char prop[19], car[19], bz[19], bz_before[19], bz_undated[19];
    household(f, "GU-PROP", prop, 11);
    household(f, "GU-CAR", car, 13);
    household(f, "GU-BZ", bz, 15);
    household(f, "GU-BZ-BEFORE", bz_before, 17);
    household(f, "GU-BZ-UNDATED", bz_undated, 19);
    rf_property(f, prop, "商-1", RF_PR_COMMERCIAL, rf_date(2019, 5, 1), rf_date(2024, 5, 1));
    rf_vehicle(f, car, RF_VH_CAR, rf_date(2019, 5, 1), rf_date(2024, 5, 1), -1);
    rf_business(f, bz, RF_BZ_LEGAL_REP, RF_BZ_REVOKED, rf_date(2019, 5, 1),
                rf_date(2024, 5, 1));
    /* Revoked before enrollment; revoked on an unknown date. */
    rf_business(f, bz_before, RF_BZ_LEGAL_REP, RF_BZ_REVOKED, rf_date(2015, 5, 1),
                rf_date(2020, 1, 1));
    rf_business(f, bz_undated, RF_BZ_SHAREHOLDER, RF_BZ_CANCELLED, rf_date(2019, 5, 1),
                XC_NO_DATE);
    rf_run(f);

    const char *no[] = {"GU-PROP", "GU-CAR", "GU-BZ"};
    const char *rule[] = {"PR-COMMERCIAL", "VH-CAR", "BZ-ROLE"};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rf_count(f, no[i], NULL), 1);
        const xc_flag *fl = rf_find(f, no[i], rule[i]);
        assert_non_null(fl);
        assert_int_equal(fl->category, XC_CAT_MIS_ENROLLMENT);
        assert_int_equal(fl->from, rf_date(2019, 5, 1));
        assert_int_equal(fl->to, XC_NO_DATE);
    }
    assert_contains(rf_find(f, "GU-BZ", "BZ-ROLE")->summary, "2024-05-01吊销");
    assert_int_equal(rf_count(f, "GU-BZ-BEFORE", NULL), 0);
    assert_int_equal(rf_count(f, "GU-BZ-UNDATED", NULL), 0);
}

/* The rate row of (rate, group, code), or NULL. */
static const xc_rate_row *rate_row(const xc_rate_row *rows, size_t n, xc_rate_id rate,
                                   xc_group group, uint32_t code)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].rate == rate && rows[i].group == group && rows[i].code == code)
            return &rows[i];
    return NULL;
}

/* The row of rate/group/code, there, with its numerator and denominator. */
static const xc_rate_row *expect_rate(const xc_rate_row *rows, size_t n, xc_rate_id rate,
                                      xc_group group, uint32_t code, size_t numerator,
                                      size_t denominator)
{
    const xc_rate_row *r = rate_row(rows, n, rate, group, code);
    assert_non_null(r);
    assert_int_equal(r->numerator, numerator);
    assert_int_equal(r->denominator, denominator);
    return r;
}

static void test_assets_split_flags_count_once_per_household_in_each_rate(void **state)
{
    rulefix *f = *state;
    char both[19], clean[19], gone[19];
    household(f, "RT-BOTH", both, 11);
    household(f, "RT-CLEAN", clean, 13);
    rf_id(gone, 530102, 1970, 3, 12, 15);
    rf_household(f, "RT-GONE", gone, 530102, XC_ST_EXITED, ENROLLED, rf_date(2025, 1, 10));
    rf_member(f, "RT-GONE", gone, "王五", RF_SELF);
    /* RT-BOTH: two commercial properties (one before, one after enrollment)
     * and a car after it: three flags, one household in each rate. */
    rf_property(f, both, "商-1", RF_PR_COMMERCIAL, rf_date(2019, 5, 1), XC_NO_DATE);
    rf_property(f, both, "商-2", RF_PR_COMMERCIAL, rf_date(2024, 5, 1), XC_NO_DATE);
    rf_vehicle(f, both, RF_VH_CAR, rf_date(2024, 6, 1), XC_NO_DATE, -1);
    /* RT-GONE exited with no income at all: a wrong exit. */
    rf_standard(f, "53", rf_date(2020, 1, 1), 80000);
    rf_configure(f, XC_DS_SOCIAL_INSURANCE);
    rf_run(f);

    assert_int_equal(rf_count(f, "RT-BOTH", NULL), 3);
    assert_int_equal(rf_count_category(f, "RT-BOTH", NULL, XC_CAT_MIS_ENROLLMENT), 1);
    assert_int_equal(rf_count_category(f, "RT-BOTH", NULL, XC_CAT_MISSED_EXIT), 2);
    assert_int_equal(rf_count(f, "RT-CLEAN", NULL), 0);
    assert_int_equal(rf_count(f, "RT-GONE", "EX-WRONG"), 1);

    xc_rate_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(xc_rates_compute(&f->ctx, &f->flags, f->results, &rows, &n), XC_OK);
    const xc_rate_row *r = expect_rate(rows, n, XC_RATE_MIS_ENROLLMENT, XC_GROUP_TOTAL, 0, 1, 2);
    assert_true(r->evaluated);
    assert_false(r->pass);                           /* 50% > 1% */
    expect_rate(rows, n, XC_RATE_MISSED_EXIT, XC_GROUP_COUNTY, 530102, 1, 2);
    expect_rate(rows, n, XC_RATE_WRONG_EXIT, XC_GROUP_CITY, 5301, 1, 1);
    free(rows);
}

/* A flag verified false (disposition.h) counts in no numerator, and in
 * the excluded count of each rate it would have counted in, no other
 * (2026-12-03: a flag of a household outside its category's denominator
 * was counted as kept out of that rate). */
static void test_assets_excluded_flags_count_where_they_would_have(void **state)
{
    rulefix *f = *state;
    char car[19], gone[19];
    household(f, "EX-CAR", car, 11);
    rf_id(gone, 530102, 1970, 3, 12, 15);
    rf_household(f, "EX-GONE", gone, 530102, XC_ST_EXITED, ENROLLED, rf_date(2025, 1, 10));
    rf_member(f, "EX-GONE", gone, "王五", RF_SELF);
    rf_vehicle(f, car, RF_VH_CAR, rf_date(2024, 6, 1), XC_NO_DATE, -1);
    rf_standard(f, "53", rf_date(2020, 1, 1), 80000);
    rf_configure(f, XC_DS_SOCIAL_INSURANCE);
    rf_run(f);
    xc_flag *vh = (xc_flag *)rf_find(f, "EX-CAR", "VH-CAR");
    xc_flag *ex = (xc_flag *)rf_find(f, "EX-GONE", "EX-WRONG");
    assert_non_null(vh);
    assert_non_null(ex);
    assert_int_equal(vh->category, XC_CAT_MISSED_EXIT);
    vh->disposition = XC_FLAG_EXCLUDED;
    ex->disposition = XC_FLAG_EXCLUDED;
    /* and a missed exit of the exited household, which no missed-exit
     * denominator holds */
    xc_flag odd = *ex;
    odd.category = XC_CAT_MISSED_EXIT;
    odd.summary = strdup(ex->summary);
    odd.evidence = strdup(ex->evidence);
    odd.income = NULL;
    assert_non_null(odd.summary);
    assert_non_null(odd.evidence);
    assert_int_equal(xc_flags_add(&f->flags, &odd), XC_OK);

    xc_rate_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(xc_rates_compute(&f->ctx, &f->flags, f->results, &rows, &n), XC_OK);
    const xc_rate_row *r = expect_rate(rows, n, XC_RATE_MISSED_EXIT, XC_GROUP_TOTAL, 0, 0, 1);
    assert_int_equal(r->excluded, 1);
    r = expect_rate(rows, n, XC_RATE_WRONG_EXIT, XC_GROUP_COUNTY, 530102, 0, 1);
    assert_int_equal(r->excluded, 1);
    r = rate_row(rows, n, XC_RATE_MIS_ENROLLMENT, XC_GROUP_TOTAL, 0);
    assert_non_null(r);
    assert_int_equal(r->excluded, 0);
    free(rows);
}

static void test_assets_rules_skip_households_out_of_the_archive(void **state)
{
    rulefix *f = *state;
    char w[19];
    rf_id(w, 530102, 1970, 3, 12, 11);
    rf_household(f, "AS-EXITED", w, 530102, XC_ST_EXITED, ENROLLED, rf_date(2024, 1, 1));
    rf_member(f, "AS-EXITED", w, "张三", RF_SELF);
    rf_property(f, w, "商-1", RF_PR_COMMERCIAL, rf_date(2019, 5, 1), XC_NO_DATE);
    rf_vehicle(f, w, RF_VH_CAR, rf_date(2019, 5, 1), XC_NO_DATE, -1);
    rf_business(f, w, RF_BZ_LEGAL_REP, RF_BZ_ACTIVE, rf_date(2019, 5, 1), XC_NO_DATE);
    rf_run(f);

    assert_int_equal(rf_count(f, "AS-EXITED", NULL), 0);
    assert_int_equal(rf_result(f, "PR-COMMERCIAL")->households, 0);
}

/* 2026-12-02: with a profile counting executives or other usages, BZ-ROLE
 * and PR-COMMERCIAL summaries printed the English code ("executive",
 * "other") where every other value prints its Chinese label. */
static void test_assets_summaries_name_every_role_and_usage_in_chinese(void **state)
{
    rulefix *f = *state;
    char exec[19], other[19];
    rf_param(f, "business", "roles", "legal_rep, shareholder, executive");
    rf_param(f, "property", "commercial_usages", "commercial, industrial, other");
    household(f, "ZH-EXEC", exec, 11);
    household(f, "ZH-OTHER", other, 13);
    rf_business(f, exec, RF_BZ_EXECUTIVE, RF_BZ_ACTIVE, rf_date(2024, 1, 5), XC_NO_DATE);
    rf_property(f, other, "其-1", RF_PR_OTHER, rf_date(2024, 1, 10), XC_NO_DATE);
    rf_run(f);

    const xc_flag *fl = rf_find(f, "ZH-EXEC", "BZ-ROLE");
    assert_non_null(fl);
    assert_contains(fl->summary, "的高级管理人员（2024-01-05成立");
    assert_null(strstr(fl->summary, "executive"));
    fl = rf_find(f, "ZH-OTHER", "PR-COMMERCIAL");
    assert_non_null(fl);
    assert_contains(fl->summary, "持有其他房产其-1（2024-01-10登记）");
    assert_null(strstr(fl->summary, "other"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, rf_setup, rf_teardown)
        T(test_assets_co_owned_home_without_certificate_counts_once),
        T(test_assets_households_are_judged_as_they_stood_on_as_of),
        T(test_assets_commercial_property_is_split_by_its_registration_date),
        T(test_assets_one_member_can_hold_both_kinds_of_commercial_flag),
        T(test_assets_multi_counts_distinct_residential_certificates),
        T(test_assets_car_flags_and_motorcycle_or_deregistered_car_does_not),
        T(test_assets_car_below_the_profile_price_floor_is_not_flagged),
        T(test_assets_business_role_flags_an_active_legal_representative_only),
        T(test_assets_holding_given_up_after_enrollment_is_still_mis_enrollment),
        T(test_assets_split_flags_count_once_per_household_in_each_rate),
        T(test_assets_excluded_flags_count_where_they_would_have),
        T(test_assets_rules_skip_households_out_of_the_archive),
        T(test_assets_summaries_name_every_role_and_usage_in_chinese),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
