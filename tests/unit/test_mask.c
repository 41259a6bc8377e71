/* test_mask.c - ID numbers masked wherever they are written (idno.h): in
 * full-width characters, split into groups by blanks, dashes or JSON
 * escapes, the old 15 digits typed 6-6-3, masked in place in a buffer;
 * hexadecimal words (pseudonyms, digests) left alone; and the reason of
 * every kind of invalid number. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/idno.h"
#include "xcheck/text.h"

static char *masked(const char *s, bool strict)
{
    xc_buf b = {0};
    xc_mask_ids(&b, s, strlen(s), strict);
    assert_false(b.failed);
    char *t = xc_buf_take(&b);
    assert_non_null(t);
    return t;
}

/* s masked keeps `head` and `tail` around the mask and loses `hidden`. */
static void expect_masked(const char *s, const char *head, const char *hidden, const char *tail)
{
    char *t = masked(s, false);
    if (strncmp(t, head, strlen(head)) != 0 || strstr(t, hidden) ||
        strlen(t) < strlen(tail) || strcmp(t + strlen(t) - strlen(tail), tail) != 0 ||
        !strstr(t, "********"))
        fail_msg("\"%s\" masked is \"%s\"", s, t);
    assert_true(xc_has_id_run(s, strlen(s), false));
    free(t);
}

static void expect_unchanged(const char *s)
{
    char *t = masked(s, false);
    if (strcmp(t, s) != 0)
        fail_msg("\"%s\" masked is \"%s\"", s, t);
    assert_false(xc_has_id_run(s, strlen(s), false));
    free(t);
}

static void test_mask_finds_numbers_however_they_are_typed(void **state)
{
    (void)state;
    expect_masked("11010519491231002X", "110105", "19491231", "002X");
    expect_masked("id: 110105-19491231-002X.", "id: 110105", "1949", "002X.");
    expect_masked("110105 19491231 002x", "110105", "1949", "002x");
    /* full-width digits and letter, as some forms store them */
    expect_masked("１１０１０５１９４９１２３１００２Ｘ", "１１０１０５", "１９４９１２３１",
                  "００２Ｘ");
    /* in JSON, the groups split by escaped tabs or control characters */
    expect_masked("\"110105\\t19491231\\t002X\"", "\"110105", "1949", "002X\"");
    expect_masked("110105\\u000919491231\\u0009002X", "110105", "1949", "002X");
    /* the old 15 digits, typed 6-6-3 */
    expect_masked("旧号 110105 491231 002 止", "旧号 110105", "491231", "002 止");
}

static void test_mask_leaves_hex_words_dates_and_short_numbers(void **state)
{
    (void)state;
    expect_unchanged("769d99d13685cc658114b53186338ab5");      /* a pseudonym */
    expect_unchanged("key 1a2b3c4d5e6f7081");                   /* a key id */
    expect_unchanged("2026-06-30 2025-01-01");
    expect_unchanged("电话 13800138000");
    expect_unchanged("no digits at all");
}

static void test_mask_in_place_from_an_offset(void **state)
{
    (void)state;
    xc_buf b = {0};
    xc_buf_printf(&b, "11010519491231002X then 440524188001010014");
    size_t from = strlen("11010519491231002X");
    xc_buf_mask_ids(&b, from, false);
    assert_false(b.failed);
    char *t = xc_buf_take(&b);
    assert_non_null(t);
    assert_string_equal(t, "11010519491231002X then 440524********0014");
    free(t);
    /* nothing to mask: the buffer stays as it was */
    xc_buf c = {0};
    xc_buf_printf(&c, "plain text");
    xc_buf_mask_ids(&c, 0, false);
    assert_int_equal(c.len, strlen("plain text"));
    xc_buf_free(&c);
}

static void test_mask_strict_keeps_only_the_region(void **state)
{
    (void)state;
    char *t = masked("11010519491231002X", true);
    assert_string_equal(t, "110105************");
    free(t);
    /* an already masked form counts too */
    t = masked("110105********002X", true);
    assert_string_equal(t, "110105************");
    free(t);
}

static void test_mask_text_of_full_width_input(void **state)
{
    (void)state;
    char out[96];
    const char *s = "１１０１０５１９４９１２３１００２Ｘ";
    xc_id_mask_text(s, strlen(s), out, sizeof out);
    assert_null(strstr(out, "１９４９"));
    assert_non_null(strstr(out, "１１０１０５"));
}

static void test_id_error_reasons_are_distinct(void **state)
{
    (void)state;
    static const xc_id_error all[] = {XC_ID_VALID, XC_ID_EMPTY, XC_ID_BAD_CHAR,
                                      XC_ID_BAD_LENGTH, XC_ID_BAD_CHECK,
                                      XC_ID_UNKNOWN_PROVINCE, XC_ID_BAD_BIRTH,
                                      XC_ID_BIRTH_AFTER_AS_OF};
    size_t n = sizeof all / sizeof all[0];
    for (size_t i = 0; i < n; i++) {
        const char *t = xc_id_error_str(all[i]);
        assert_string_not_equal(t, "unknown");
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(t, xc_id_error_str(all[k]));
    }
    assert_string_equal(xc_id_error_str((xc_id_error)99), "unknown");
    /* and the parser gives them */
    xc_id id;
    xc_date as_of = xc_date_from_ymd(2026, 6, 30);
    /* 99 is no province; its check character is right */
    assert_true(xc_id_parse("990105194912310023", 18, as_of, &id) < 0);
    assert_int_equal(id.error, XC_ID_UNKNOWN_PROVINCE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mask_finds_numbers_however_they_are_typed),
        cmocka_unit_test(test_mask_leaves_hex_words_dates_and_short_numbers),
        cmocka_unit_test(test_mask_in_place_from_an_offset),
        cmocka_unit_test(test_mask_strict_keeps_only_the_region),
        cmocka_unit_test(test_mask_text_of_full_width_input),
        cmocka_unit_test(test_id_error_reasons_are_distinct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
