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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_json_escapes_quotes_backslashes_and_control_bytes_only),
        cmocka_unit_test(test_text_json_of_a_long_plain_text_is_that_text_quoted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
