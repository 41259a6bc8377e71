/* test_idno.c - resident ID numbers: normalising, validating, upgrading,
 * packing and masking (GB 11643-1999, ISO 7064 MOD 11-2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "xcheck/idno.h"
#include "xcheck/region.h"

static xc_date as_of(void)
{
    return xc_date_from_ymd(2026, 6, 30);
}

static int parse(const char *s, xc_id *id)
{
    return xc_id_parse(s, strlen(s), as_of(), id);
}

static void test_idno_accepts_the_official_test_numbers(void **state)
{
    (void)state;
    xc_id id;
    assert_int_equal(parse("11010519491231002X", &id), 0);
    assert_string_equal(id.norm, "11010519491231002X");
    assert_int_equal(id.birth, xc_date_from_ymd(1949, 12, 31));
    assert_int_equal(id.sex, 'F');
    assert_int_equal(id.region, 110105);
    assert_false(id.legacy);
    assert_false(id.unknown_county);
    assert_string_equal(xc_region_name(id.region), "北京市朝阳区");

    assert_int_equal(parse("440524188001010014", &id), 0);
    assert_int_equal(id.birth, xc_date_from_ymd(1880, 1, 1));
    assert_int_equal(id.sex, 'M');
    assert_string_equal(xc_region_name(440524), "广东省汕头市潮阳县");  /* abolished code */
}

static void test_idno_computes_the_check_character(void **state)
{
    (void)state;
    assert_int_equal(xc_id_check_char("11010519491231002"), 'X');
    assert_int_equal(xc_id_check_char("44052418800101001"), '4');
}

static void test_idno_rejects_every_single_digit_substitution(void **state)
{
    (void)state;
    const char *numbers[] = {"11010519491231002X", "440524188001010014", "530102197003120133"};
    for (size_t n = 0; n < sizeof numbers / sizeof numbers[0]; n++) {
        int rejected = 0, tried = 0;
        for (int pos = 0; pos < 18; pos++) {
            const char *alphabet = pos == 17 ? "0123456789X" : "0123456789";
            for (const char *c = alphabet; *c; c++) {
                char s[19];
                memcpy(s, numbers[n], 19);
                if (s[pos] == *c)
                    continue;
                s[pos] = *c;
                xc_id id;
                tried++;
                rejected += parse(s, &id) < 0;
            }
        }
        assert_int_equal(tried, 17 * 9 + 10);
        assert_int_equal(rejected, tried);
    }
}

static void test_idno_rejects_every_adjacent_transposition(void **state)
{
    (void)state;
    const char *numbers[] = {"11010519491231002X", "440524188001010014", "530102197003120133"};
    for (size_t n = 0; n < sizeof numbers / sizeof numbers[0]; n++) {
        for (int pos = 0; pos < 17; pos++) {
            char s[19];
            memcpy(s, numbers[n], 19);
            if (s[pos] == s[pos + 1])
                continue;           /* swapping equal characters changes nothing */
            char t = s[pos];
            s[pos] = s[pos + 1];
            s[pos + 1] = t;
            xc_id id;
            assert_int_equal(parse(s, &id), -1);
        }
    }
}

static void test_idno_normalises_dirty_text(void **state)
{
    (void)state;
    static const char *dirty[] = {
        "11010519491231002x",                                   /* lower-case x */
        "１１０１０５１９４９１２３１００２Ｘ",                   /* full-width */
        "１１０１０５１９４９１２３１００２ｘ",
        " 110105 19491231 002X ",                               /* blanks */
        "110105-19491231-002X",                                 /* hyphens */
        "110105\xE3\x80\x80" "19491231002X",                    /* ideographic space */
        "110105\xC2\xA0" "19491231002X",                        /* no-break space */
        "110105\xEF\xBC\x8D" "19491231002X",                    /* full-width hyphen */
        "'11010519491231002X",                                  /* Excel text marker */
    };
    for (size_t i = 0; i < sizeof dirty / sizeof dirty[0]; i++) {
        xc_id id;
        assert_int_equal(parse(dirty[i], &id), 0);
        assert_string_equal(id.norm, "11010519491231002X");
    }
}

static void test_idno_names_why_a_number_is_invalid(void **state)
{
    (void)state;
    static const struct { const char *s; xc_id_error e; } cases[] = {
        {"", XC_ID_EMPTY},
        {"  - ", XC_ID_EMPTY},
        {"1101051949123100", XC_ID_BAD_LENGTH},
        {"1101051949123100211", XC_ID_BAD_LENGTH},
        {"11010519491231002Y", XC_ID_BAD_CHAR},
        {"110105X9491231002X", XC_ID_BAD_CHAR},
        {"1.10105E+17", XC_ID_BAD_CHAR},
        {"11010519491231002 3", XC_ID_BAD_CHECK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xc_id id;
        assert_int_equal(parse(cases[i].s, &id), -1);
        assert_int_equal(id.error, cases[i].e);
        assert_int_equal(id.key, 0);
        assert_non_null(xc_id_error_str(id.error));
    }
}

/* Builds a number with a correct check character. */
static void make(const char *seventeen, char out[19])
{
    memcpy(out, seventeen, 17);
    out[17] = xc_id_check_char(seventeen);
    out[18] = '\0';
}

static void test_idno_checks_the_birth_date(void **state)
{
    (void)state;
    char s[19];
    xc_id id;
    make("11010520000229001", s);               /* 2000 is a leap year */
    assert_int_equal(parse(s, &id), 0);
    assert_int_equal(id.birth, xc_date_from_ymd(2000, 2, 29));
    make("11010520240229001", s);
    assert_int_equal(parse(s, &id), 0);
    make("11010519000229001", s);               /* 1900 is not */
    assert_int_equal(parse(s, &id), -1);
    assert_int_equal(id.error, XC_ID_BAD_BIRTH);
    make("11010520230229001", s);
    assert_int_equal(parse(s, &id), -1);
    assert_int_equal(id.error, XC_ID_BAD_BIRTH);
    make("11010519491301001", s);               /* month 13 */
    assert_int_equal(parse(s, &id), -1);
    assert_int_equal(id.error, XC_ID_BAD_BIRTH);
    make("11010517991231001", s);               /* before 1800 */
    assert_int_equal(parse(s, &id), -1);
    assert_int_equal(id.error, XC_ID_BAD_BIRTH);
}

static void test_idno_rejects_a_birth_after_as_of(void **state)
{
    (void)state;
    char s[19];
    xc_id id;
    make("11010520260630001", s);               /* born on as_of: fine */
    assert_int_equal(parse(s, &id), 0);
    make("11010520260701001", s);               /* the day after */
    assert_int_equal(parse(s, &id), -1);
    assert_int_equal(id.error, XC_ID_BIRTH_AFTER_AS_OF);
    assert_int_equal(xc_id_parse(s, 18, xc_date_from_ymd(2026, 7, 1), &id), 0);
}

static void test_idno_upgrades_15_digit_numbers(void **state)
{
    (void)state;
    xc_id id;
    assert_int_equal(parse("110105491231002", &id), 0);
    assert_true(id.legacy);
    assert_string_equal(id.norm, "11010519491231002X");
    assert_int_equal(id.birth, xc_date_from_ymd(1949, 12, 31));
    xc_id direct;
    assert_int_equal(parse("11010519491231002X", &direct), 0);
    assert_int_equal(id.key, direct.key);
    assert_int_equal(parse("110105491331002", &id), -1);       /* month 13 */
    assert_int_equal(id.error, XC_ID_BAD_BIRTH);
    assert_int_equal(parse("11010549123100X", &id), -1);       /* no X in 15 */
    assert_int_equal(id.error, XC_ID_BAD_CHAR);
}

static void test_idno_knows_provinces_and_warns_on_unknown_counties(void **state)
{
    (void)state;
    char s[19];
    xc_id id;
    make("99010519491231002", s);               /* no province 99 */
    assert_int_equal(parse(s, &id), -1);
    assert_int_equal(id.error, XC_ID_UNKNOWN_PROVINCE);
    make("11019919491231002", s);               /* Beijing, no county 99 */
    assert_int_equal(parse(s, &id), 0);
    assert_true(id.unknown_county);
    make("53010219700312013", s);
    assert_int_equal(parse(s, &id), 0);
    assert_false(id.unknown_county);
    assert_true(xc_region_province_known(530000));
    assert_false(xc_region_province_known(990000));
}

static void test_idno_packs_into_a_unique_key_and_back(void **state)
{
    (void)state;
    xc_id a, b;
    assert_int_equal(parse("11010519491231002X", &a), 0);
    assert_int_equal(parse("440524188001010014", &b), 0);
    assert_int_equal(a.key, 11010519491231002ULL);
    assert_true(a.key != b.key);
    char out[19];
    xc_id_unpack(a.key, out);
    assert_string_equal(out, "11010519491231002X");
    xc_id_unpack(b.key, out);
    assert_string_equal(out, "440524188001010014");
}

static void test_idno_masks_for_display(void **state)
{
    (void)state;
    char m[32];
    assert_string_equal(xc_id_mask("11010519491231002X", m, sizeof m), "110105********002X");
    assert_string_equal(xc_id_mask("110105491231002", m, sizeof m), "110105********1002");
    assert_string_equal(xc_id_mask("12345", m, sizeof m), "*****");
    assert_string_equal(xc_id_mask("", m, sizeof m), "");
}

static void test_idno_region_table_is_sorted_and_complete(void **state)
{
    (void)state;
    assert_true(xc_gb2260_count > 6000);
    for (size_t i = 1; i < xc_gb2260_count; i++)
        assert_true(xc_gb2260[i - 1].code < xc_gb2260[i].code);
    assert_string_equal(xc_region_name(110000), "北京市");
    assert_string_equal(xc_region_name(110103), "北京市崇文区");   /* merged in 2010 */
    assert_null(xc_region_name(110199));
    /* the bitmap agrees with the table on every six-digit code */
    for (uint32_t c = 0; c < 1000000; c++)
        assert_int_equal(xc_region_known(c), xc_region_name(c) != NULL);
    assert_false(xc_region_known(1000000));
    uint32_t prefix;
    assert_int_equal(xc_region_prefix(530000, 6, &prefix), 2);
    assert_int_equal(prefix, 53);
    assert_int_equal(xc_region_prefix(530100, 6, &prefix), 4);
    assert_int_equal(prefix, 5301);
    assert_int_equal(xc_region_prefix(530102, 6, &prefix), 6);
    assert_int_equal(prefix, 530102);
    assert_int_equal(xc_region_prefix(5301, 4, &prefix), 4);
    assert_int_equal(prefix, 5301);
    /* an area given by a person (--region, [run] region) */
    assert_int_equal(xc_region_arg("53", &prefix), 2);
    assert_int_equal(prefix, 53);
    assert_int_equal(xc_region_arg("5301", &prefix), 4);
    assert_int_equal(prefix, 5301);
    assert_int_equal(xc_region_arg("530100", &prefix), 4);
    assert_int_equal(prefix, 5301);
    assert_int_equal(xc_region_arg("530000", &prefix), 2);
    assert_int_equal(xc_region_arg("530102", &prefix), 6);
    assert_int_equal(prefix, 530102);
    const char *bad[] = {"", "5", "530", "53010", "5301021", "53a1", " 53", "53 ", "-53", "00",
                         "0053"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(xc_region_arg(bad[i], &prefix), -1);
    assert_true(xc_region_in(530102, 53, 2));
    assert_true(xc_region_in(530102, 5301, 4));
    assert_true(xc_region_in(530102, 530102, 6));
    assert_false(xc_region_in(530102, 5302, 4));
    assert_false(xc_region_in(530103, 530102, 6));
    assert_false(xc_region_in(0, 53, 2));
}

static void assert_masked_text(const char *raw, const char *want)
{
    char out[64];
    xc_id_mask_text(raw, strlen(raw), out, sizeof out);
    if (strcmp(out, want) != 0)
        fail_msg("'%s' masked as '%s', not '%s'", raw, out, want);
}

static void test_id_mask_text_keeps_the_dirt_and_hides_the_middle(void **state)
{
    (void)state;
    assert_masked_text("11010519491231002X", "110105********002X");
    assert_masked_text("110105491231002", "110105*****1002");            /* 15 digits */
    assert_masked_text(" 530102-19700312-0133 ", " 530102-********-0133 ");
    assert_masked_text("\xEF\xBC\x95" "30102197003120133",                /* full-width 5 */
                       "\xEF\xBC\x95" "30102********0133");
    assert_masked_text("53010219700312013x", "530102********013x");
    assert_masked_text("530102", "******");                               /* too short */
    assert_masked_text("张三", "张三");                                    /* no digits */
    assert_masked_text("", "");
    char small[8];
    xc_id_mask_text("11010519491231002X", 18, small, sizeof small);
    assert_string_equal(small, "110105*");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idno_accepts_the_official_test_numbers),
        cmocka_unit_test(test_idno_computes_the_check_character),
        cmocka_unit_test(test_idno_rejects_every_single_digit_substitution),
        cmocka_unit_test(test_idno_rejects_every_adjacent_transposition),
        cmocka_unit_test(test_idno_normalises_dirty_text),
        cmocka_unit_test(test_idno_names_why_a_number_is_invalid),
        cmocka_unit_test(test_idno_checks_the_birth_date),
        cmocka_unit_test(test_idno_rejects_a_birth_after_as_of),
        cmocka_unit_test(test_idno_upgrades_15_digit_numbers),
        cmocka_unit_test(test_idno_knows_provinces_and_warns_on_unknown_counties),
        cmocka_unit_test(test_idno_packs_into_a_unique_key_and_back),
        cmocka_unit_test(test_idno_masks_for_display),
        cmocka_unit_test(test_idno_region_table_is_sorted_and_complete),
        cmocka_unit_test(test_id_mask_text_keeps_the_dirt_and_hides_the_middle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
