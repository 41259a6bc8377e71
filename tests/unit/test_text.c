/* test_text.c - the growing string's JSON: every byte kept, the ones JSON
 * forbids escaped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/text.h"

static void test_text_json_escapes_quotes_backslashes_and_control_bytes_only(void **state)
{
    (void)state;
    xc_buf b = {0};
    xc_buf_json(&b, "张三\"引号\"\\ 1\t2\n\x01");
    xc_buf_printf(&b, ",");
    xc_buf_json(&b, "");
    xc_buf_printf(&b, ",");
    xc_buf_json(&b, NULL);
    xc_buf_printf(&b, ",");
    xc_buf_json(&b, "\\");
    char *s = xc_buf_take(&b);
    assert_non_null(s);
    assert_string_equal(s, "\"张三\\\"引号\\\"\\\\ 1\\u00092\\u000a\\u0001\",\"\",null,\"\\\\\"");
    free(s);
}

static void test_text_json_of_a_long_plain_text_is_that_text_quoted(void **state)
{
    (void)state;
    enum { N = 100000 };
    char *text = malloc(N + 1);
    assert_non_null(text);
    for (size_t i = 0; i < N; i++)
        text[i] = (char)('a' + i % 26);
    text[N] = '\0';
    xc_buf b = {0};
    xc_buf_json(&b, text);
    char *s = xc_buf_take(&b);
    assert_non_null(s);
    assert_int_equal(strlen(s), N + 2);
    assert_int_equal(s[0], '"');
    assert_memory_equal(s + 1, text, N);
    assert_int_equal(s[N + 1], '"');
    free(s);
    free(text);
}

/* Every byte, and every pair of bytes side by side, at every place of a
 * word and of the tail: plain exactly when each byte is 0x20-0x7E, and
 * then both checks it stands for find nothing. */
static void test_text_plain_is_printable_ascii_exactly(void **state)
{
    (void)state;
    char buf[19];
    for (int a = 0; a < 256; a++) {
        for (size_t at = 0; at < sizeof buf; at++) {
            memset(buf, 'A', sizeof buf);
            buf[at] = (char)a;
            bool want = a >= 0x20 && a <= 0x7E;
            assert_int_equal(xc_text_plain(buf, sizeof buf), want);
            assert_true(xc_text_plain(buf, at));          /* before it */
        }
        for (int b = 0; b < 256; b++) {
            for (size_t at = 6; at < 10; at++) {          /* inside a word and across two */
                memset(buf, 'z', sizeof buf);
                buf[at] = (char)a;
                buf[at + 1] = (char)b;
                bool want = a >= 0x20 && a <= 0x7E && b >= 0x20 && b <= 0x7E;
                assert_int_equal(xc_text_plain(buf, 16), want);
                if (want) {
                    unsigned cp;
                    assert_true(xc_utf8_valid(buf, 16));
                    assert_true(xc_text_control(buf, 16, &cp) == (size_t)-1);
                }
            }
        }
    }
    assert_true(xc_text_plain("", 0));
    assert_false(xc_text_plain("\t", 1));                 /* allowed text, not plain */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_json_escapes_quotes_backslashes_and_control_bytes_only),
        cmocka_unit_test(test_text_plain_is_printable_ascii_exactly),
        cmocka_unit_test(test_text_json_of_a_long_plain_text_is_that_text_quoted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
