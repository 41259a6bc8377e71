/* test_pg.c - the pure parts of the postgres connector: COPY's text format,
 * the ID texts a push-down filter asks for, and what the messages of ended
 * waits and sessions say. The rest runs against a
 * real server in tests/integration/pg.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "xcheck/idno.h"
#include "pg.h"
#include "core/pgconn.h"

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

/* 2026-12-02: a role's idle_in_transaction_session_timeout ended the
 * session holding the snapshot; every session now turns it off, and sets
 * the run's lock_timeout. */
static void test_pg_sessions_turn_off_idle_timeouts_and_set_lock_timeout(void **state)
{
    (void)state;
    char sql[400];
    xc_pg_waits_sql(2000, sql, sizeof sql);
    assert_non_null(strstr(sql, "set_config('idle_in_transaction_session_timeout', '0', false)"));
    assert_non_null(strstr(sql, "set_config('lock_timeout', '2000', false)"));
    /* transaction_timeout only where the server has it */
    assert_non_null(strstr(sql, "WHERE name = 'transaction_timeout'"));
    assert_null(strstr(sql, "statement_timeout"));
    xc_pg_waits_sql(0, sql, sizeof sql);
    assert_non_null(strstr(sql, "set_config('lock_timeout', '0', false)"));
}

/* 2026-12-02: a lock wait that ran out said only "canceling statement due
 * to lock timeout", and a lost snapshot "invalid snapshot identifier",
 * without a word of what to look for. */
static void test_pg_explains_ended_waits_and_sessions(void **state)
{
    (void)state;
    xc_err err;
    char code[6];
    xc_err_set(&err, XC_ESOURCE, "dataset hukou (gongan.hk): canceling statement due to lock "
               "timeout");
    xc_err_detail(&err, "SQLSTATE 55P03");
    xc_err_hint(&err, "check table/query");
    assert_string_equal(xc_pg_err_state(&err, code), "55P03");
    xc_pg_explain(&err, code, "dataset hukou", "gongan.hk", 2000);
    assert_string_equal(err.msg, "dataset hukou: waited 2 s for a lock on gongan.hk and gave up "
                        "(lock_timeout)");
    assert_string_equal(err.detail, "SQLSTATE 55P03: canceling statement due to lock timeout");
    assert_non_null(strstr(err.hint, "another session holds or awaits a lock on gongan.hk"));
    assert_non_null(strstr(err.hint, "lock_timeout"));

    xc_err_set(&err, XC_EIO, "results database: canceling statement due to lock timeout");
    xc_err_detail(&err, "SQLSTATE 55P03");
    xc_pg_explain(&err, "55P03", "results database", "xcheck.runs", 90000);
    assert_string_equal(err.msg, "results database: waited 90 s for a lock on xcheck.runs "
                        "and gave up (lock_timeout)");
    xc_err_set(&err, XC_EIO, "results database: canceling statement due to lock timeout");
    xc_pg_explain(&err, "55P03", "results database", "xcheck.runs", 120000);
    assert_non_null(strstr(err.msg, "waited 2 min"));
    xc_err_set(&err, XC_ESOURCE, "dataset hukou (t): reading failed: canceling statement due "
               "to lock timeout");
    xc_pg_explain(&err, "55P03", "dataset hukou", "t", 2000);
    assert_string_equal(err.detail, "SQLSTATE 55P03: canceling statement due to lock timeout");
    xc_err_set(&err, XC_EIO, "x: could not obtain lock");
    xc_pg_explain(&err, "55P03", "x", NULL, 0);
    assert_string_equal(err.msg, "x: could not get a lock on the table");

    xc_err_set(&err, XC_ESOURCE, "dataset contact (t): invalid snapshot identifier: "
               "\"00000003-00000060-1\"");
    xc_err_detail(&err, "SQLSTATE 22023");
    xc_pg_explain(&err, "22023", "dataset contact", "t", 2000);
    assert_non_null(strstr(err.msg, "invalid snapshot identifier"));
    assert_non_null(strstr(err.hint, "the session that exported the run's snapshot has ended"));
    assert_non_null(strstr(err.hint, "timeout"));

    xc_err_set(&err, XC_ESOURCE, "dataset hukou: terminating connection due to "
               "idle-in-transaction timeout");
    xc_pg_explain(&err, "25P03", "dataset hukou", "t", 2000);
    assert_non_null(strstr(err.hint, "idle_in_transaction_session_timeout"));
    xc_err_set(&err, XC_ESOURCE, "dataset hukou: terminating connection due to administrator "
               "command");
    xc_pg_explain(&err, "57P01", "dataset hukou", "t", 2000);
    assert_non_null(strstr(err.hint, "pg_terminate_backend"));
    xc_err_set(&err, XC_ESOURCE, "dataset hukou: canceling statement due to statement timeout");
    xc_pg_explain(&err, "57014", "dataset hukou", "t", 2000);
    assert_non_null(strstr(err.hint, "statement_timeout"));

    /* other errors, and a hint of the server's, are left as they are */
    xc_err_set(&err, XC_ESOURCE, "dataset hukou: relation does not exist");
    xc_err_hint(&err, "the server's");
    xc_pg_explain(&err, "42P01", "dataset hukou", "t", 2000);
    xc_pg_explain(&err, "57P01", "dataset hukou", "t", 2000);
    assert_string_equal(err.msg, "dataset hukou: relation does not exist");
    assert_string_equal(err.hint, "the server's");
    xc_err_clear(&err);
    assert_null(xc_pg_err_state(&err, code));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pg_decodes_copy_text_escapes),
        cmocka_unit_test(test_pg_asks_for_every_form_an_id_is_exported_in),
        cmocka_unit_test(test_pg_sessions_turn_off_idle_timeouts_and_set_lock_timeout),
        cmocka_unit_test(test_pg_explains_ended_waits_and_sessions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
