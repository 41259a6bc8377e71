/* test_pg.c - the pure parts of the postgres connector: COPY's text format
 * and the ID texts a push-down filter asks for. The rest runs against a
 * real server in tests/integration/pg.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "xcheck/idno.h"
#include "xcheck/pg.h"

static void unescape(const char *in, const char *want, size_t want_len)
{
    char buf[64];
    size_t n = strlen(in);
    memcpy(buf, in, n + 1);
    long got = xc_pg_copy_unescape(buf, n);
    assert_int_equal(got, (long)want_len);
    assert_memory_equal(buf, want, want_len);
}

static void test_pg_decodes_copy_text_escapes(void **state)
{
    (void)state;
    unescape("plain", "plain", 5);
    unescape("a\\tb\\nc\\rd", "a\tb\nc\rd", 7);
    unescape("back\\\\slash", "back\\slash", 10);
    unescape("\\b\\f\\v", "\b\f\v", 3);
    unescape("\\101\\x42\\x4a", "ABJ", 3);         /* octal and hex */
    unescape("\\7z", "\7z", 2);                   /* one octal digit */
    unescape("\\xzz", "xzz", 3);                  /* \x without digits */
    unescape("中文\\t字", "中文\t字", 10);
    unescape("", "", 0);
    char null[] = "\\N";
    assert_int_equal(xc_pg_copy_unescape(null, 2), -1);
    char not_null[] = "\\Nx";                      /* only a whole field is NULL */
    assert_int_equal(xc_pg_copy_unescape(not_null, 3), 2);
}

static uint64_t key(const char *id)
{
    xc_id parsed;
    assert_int_equal(xc_id_parse(id, strlen(id), xc_date_from_ymd(2026, 6, 30), &parsed), 0);
    return parsed.key;
}

static void test_pg_asks_for_every_form_an_id_is_exported_in(void **state)
{
    (void)state;
    char v[3][19];
    /* ends in X, born in the 1900s: 18 digits, lower-case x, 15 digits */
    assert_int_equal(xc_pg_id_variants(key("11010519491231002X"), v), 3);
    assert_string_equal(v[0], "11010519491231002X");
    assert_string_equal(v[1], "11010519491231002x");
    assert_string_equal(v[2], "110105491231002");
    /* the 15-digit form upgrades back to the same number */
    assert_int_equal(key(v[2]), key(v[0]));
    /* born in 2001: no 15-digit form; no X: no lower-case form */
    assert_int_equal(xc_pg_id_variants(key("530102200109150319"), v), 1);
    assert_string_equal(v[0], "530102200109150319");
    /* born in 1880 */
    assert_int_equal(xc_pg_id_variants(key("440524188001010014"), v), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pg_decodes_copy_text_escapes),
        cmocka_unit_test(test_pg_asks_for_every_form_an_id_is_exported_in),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
