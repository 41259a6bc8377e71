/* test_error.c - error objects (error.h), CSV fields for people with ID-like
 * runs masked (text.h: xc_csv_field(), xc_csv_cell(), xc_csv_put()), and the
 * edges of the text helpers: UTF-8 validity at the boundaries of each
 * sequence length, cutting between characters, trimming wide blanks, and
 * the messages for output paths that cannot be used. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xcheck/error.h"
#include "xcheck/text.h"

/* ---- errors ---- */

static void test_error_set_fills_code_message_and_place(void **state)
{
    (void)state;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(err.code, XC_OK);
    assert_string_equal(err.msg, "");
    assert_int_equal(xc_err_set(&err, XC_EINPUT, "bad %s on line %d", "date", 7), XC_EINPUT);
    assert_int_equal(err.code, XC_EINPUT);
    assert_string_equal(err.msg, "bad date on line 7");
    xc_err_detail(&err, "found %d", 3);
    xc_err_hint(&err, "write %s", "YYYY-MM-DD");
    xc_err_at(&err, "in.csv", 7, "enrolled_on");
    assert_string_equal(err.detail, "found 3");
    assert_string_equal(err.hint, "write YYYY-MM-DD");
    assert_string_equal(err.where, "in.csv");
    assert_int_equal(err.row, 7);
    assert_string_equal(err.field, "enrolled_on");
    xc_err_at(&err, NULL, 0, NULL);               /* NULL texts: empty */
    assert_string_equal(err.where, "");
    assert_string_equal(err.field, "");
    xc_err_clear(&err);
    assert_string_equal(err.detail, "");
    assert_string_equal(err.hint, "");
}

static void test_error_functions_accept_no_error_object(void **state)
{
    (void)state;
    xc_err_clear(NULL);
    assert_int_equal(xc_err_set(NULL, XC_EIO, "nobody hears %s", "this"), XC_EIO);
    xc_err_detail(NULL, "x");
    xc_err_hint(NULL, "x");
    xc_err_at(NULL, "f", 1, "g");
}

static void test_error_long_message_is_cut_not_overrun(void **state)
{
    (void)state;
    xc_err err;
    xc_err_clear(&err);
    char big[2000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    xc_err_set(&err, XC_EIO, "%s", big);
    assert_int_equal(strlen(err.msg), sizeof err.msg - 1);
    xc_err_detail(&err, "%s", big);
    assert_int_equal(strlen(err.detail), sizeof err.detail - 1);
    xc_err_hint(&err, "%s", big);
    assert_int_equal(strlen(err.hint), sizeof err.hint - 1);
}

static void test_error_every_status_has_its_own_text(void **state)
{
    (void)state;
    static const int codes[] = {XC_OK, XC_DONE, XC_NOT_COVERED, XC_NOT_JUDGED, XC_EXISTS,
                                XC_NOT_FOUND, XC_ENOMEM, XC_EIO, XC_ECONFIG, XC_EINPUT,
                                XC_EINTERNAL, XC_ESOURCE};
    size_t n = sizeof codes / sizeof codes[0];
    for (size_t i = 0; i < n; i++) {
        const char *t = xc_strstatus(codes[i]);
        assert_non_null(t);
        assert_string_not_equal(t, "unknown status");
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(t, xc_strstatus(codes[k]));
    }
    assert_string_equal(xc_strstatus(XC_OK), "ok");
    assert_string_equal(xc_strstatus(XC_DONE), "end of stream");
    assert_string_equal(xc_strstatus(XC_ENOMEM), "out of memory");
    assert_string_equal(xc_strstatus(-99), "unknown status");
    assert_string_equal(xc_strstatus(99), "unknown status");
}

/* ---- CSV fields for people ---- */

static char *field_of(const char *s, bool mask)
{
    xc_buf b = {0};
    xc_csv_field(&b, s, strlen(s), mask);
    assert_false(b.failed);
    char *t = xc_buf_take(&b);
    assert_non_null(t);
    return t;
}

static void expect_field(const char *s, bool mask, const char *want)
{
    char *got = field_of(s, mask);
    if (strcmp(got, want) != 0)
        fail_msg("field of \"%s\" is \"%s\", not \"%s\"", s, got, want);
    free(got);
}

static void test_csv_field_masks_id_runs_and_quotes(void **state)
{
    (void)state;
    expect_field("plain", true, "plain");
    expect_field("a,b", true, "\"a,b\"");
    expect_field("say \"hi\"", false, "\"say \"\"hi\"\"\"");
    expect_field("two\nlines", false, "\"two\nlines\"");
    /* a spreadsheet would take these for formulas: made inert */
    expect_field("=1+1", false, "'=1+1");
    expect_field("@SUM(A1)", false, "'@SUM(A1)");
    expect_field("-500.00", false, "-500.00");       /* a plain number stays one */
    expect_field("+86", false, "+86");
    expect_field("-x", false, "'-x");
    /* an ID number inside a text is masked: first 6, ********, last 4 */
    expect_field("11010519491231002X", true, "110105********002X");
    expect_field("ID 11010519491231002X, dead", true, "\"ID 110105********002X, dead\"");
    expect_field("11010519491231002X", false, "11010519491231002X");
    expect_field("", true, "");
}

static void test_csv_field_longer_than_the_small_buffer(void **state)
{
    (void)state;
    size_t n = 3000;
    char *s = malloc(n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        s[i] = i % 100 == 50 ? ',' : 'a';
    s[n] = '\0';
    char *got = field_of(s, true);
    assert_int_equal(strlen(got), n + 2);          /* quoted whole */
    assert_int_equal(got[0], '"');
    assert_int_equal(got[n + 1], '"');
    assert_memory_equal(got + 1, s, n);
    free(got);
    free(s);
}

static void test_csv_cell_and_put_end_fields_and_rows(void **state)
{
    (void)state;
    xc_buf b = {0};
    xc_csv_cell(&b, "a", false);
    xc_csv_cell(&b, NULL, false);                  /* NULL: an empty field */
    xc_csv_cell(&b, "440524188001010014", true);
    char *row = xc_buf_take(&b);
    assert_string_equal(row, "a,,440524********0014\n");
    free(row);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    xc_csv_put(f, "x,y", false);
    xc_csv_put(f, "z", true);
    assert_int_equal(fclose(f), 0);
    assert_string_equal(text, "\"x,y\",z\n");
    free(text);
}

/* ---- UTF-8 and trimming ---- */

static void expect_valid(const char *s, size_t len, bool want)
{
    if (xc_utf8_valid(s, len) != want)
        fail_msg("UTF-8 validity of %zu bytes starting %02x is not %d", len,
                 (unsigned char)s[0], want);
}

static void test_utf8_valid_at_the_bounds_of_each_sequence(void **state)
{
    (void)state;
    expect_valid("\xC2\x80", 2, true);
    expect_valid("\xC1\xBF", 2, false);            /* overlong */
    expect_valid("\xE0\xA0\x80", 3, true);
    expect_valid("\xE0\x9F\xBF", 3, false);        /* overlong */
    expect_valid("\xED\x9F\xBF", 3, true);
    expect_valid("\xED\xA0\x80", 3, false);        /* a surrogate */
    expect_valid("\xEF\xBF\xBF", 3, true);
    expect_valid("\xF0\x90\x80\x80", 4, true);
    expect_valid("\xF0\x8F\xBF\xBF", 4, false);    /* overlong */
    expect_valid("\xF4\x8F\xBF\xBF", 4, true);     /* U+10FFFF */
    expect_valid("\xF4\x90\x80\x80", 4, false);    /* past U+10FFFF */
    expect_valid("\xF5\x80\x80\x80", 4, false);
    expect_valid("\xE4\xB8", 2, false);            /* cut short */
    expect_valid("\xE4\x41\x80", 3, false);        /* not a continuation */
    expect_valid("\xE4\xB8\x41", 3, false);
    expect_valid("\x80", 1, false);
    /* the ASCII fast path, then a character after it */
    expect_valid("abcdefghijklmnop\xE4\xB8\xAD", 19, true);
    expect_valid("abcdefghijklmnop\xE4\xB8", 18, false);
}

static void test_utf8_prefix_cuts_between_characters(void **state)
{
    (void)state;
    const char *s = "ab中文";                        /* 2 + 3 + 3 bytes */
    assert_int_equal(xc_utf8_prefix(s, 8, 10), 8);
    assert_int_equal(xc_utf8_prefix(s, 8, 8), 8);
    assert_int_equal(xc_utf8_prefix(s, 8, 7), 5);   /* not inside 文 */
    assert_int_equal(xc_utf8_prefix(s, 8, 4), 2);
    assert_int_equal(xc_utf8_prefix(s, 8, 2), 2);
    assert_int_equal(xc_utf8_prefix(s, 8, 0), 0);
}

static void expect_trim(const char *s, const char *want)
{
    size_t len = strlen(s);
    const char *t = xc_trim(s, &len);
    if (len != strlen(want) || memcmp(t, want, len) != 0)
        fail_msg("trim of \"%s\" is \"%.*s\", not \"%s\"", s, (int)len, t, want);
}

static void test_trim_takes_ascii_no_break_and_ideographic_blanks(void **state)
{
    (void)state;
    expect_trim("  a b \t", "a b");
    expect_trim("\xC2\xA0" "a" "\xC2\xA0", "a");           /* U+00A0 */
    expect_trim("\xE3\x80\x80" "张三" "\xE3\x80\x80", "张三");   /* U+3000 */
    expect_trim("\r\n\xE3\x80\x80 \xC2\xA0", "");
    expect_trim("x", "x");
}

static void test_text_show_controls_makes_them_visible(void **state)
{
    (void)state;
    unsigned cp = 0;
    assert_int_equal(xc_text_control("ab\x01" "c", 4, &cp), 2);
    assert_int_equal(cp, 1);
    assert_int_equal(xc_text_control("abc", 3, &cp), (size_t)-1);
    char out[64];
    const char *shown = xc_text_show_controls("a\x01" "b", 3, out, sizeof out);
    assert_null(strchr(shown, '\x01'));
    assert_non_null(strchr(shown, 'a'));
    assert_non_null(strchr(shown, 'b'));
}

/* ---- output paths that cannot be used ---- */

static void test_output_names_that_are_no_files_are_refused(void **state)
{
    (void)state;
    xc_err err;
    xc_output o;
    static const char *const bad[] = {"/tmp/", "/tmp/.", "/tmp/..", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        xc_err_clear(&err);
        assert_int_equal(xc_output_open_file(&o, bad[i], &err), XC_EIO);
        assert_non_null(strstr(err.msg, "is not a file name"));
    }
    char longer[5000];
    memset(longer, 'd', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    longer[sizeof longer - 3] = '/';
    xc_err_clear(&err);
    assert_int_equal(xc_output_open_file(&o, longer, &err), XC_EIO);
    assert_non_null(strstr(err.msg, "too long"));
    xc_err_clear(&err);
    assert_int_equal(xc_output_dir("", XC_OUTDIR_PRIVATE, &err), XC_EIO);
    assert_non_null(strstr(err.msg, "is empty or too long"));
    xc_err_clear(&err);
    assert_int_equal(xc_output_dir_check(longer, XC_OUTDIR_PRIVATE, &err), XC_EIO);
    xc_err_clear(&err);
    assert_int_equal(xc_output_mkdirs("", &err), XC_EIO);
    assert_int_equal(xc_output_mkdirs("/tmp", &err), XC_OK);     /* there already */
}

static void test_output_write_error_hints_at_the_cause(void **state)
{
    (void)state;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_output_write_error(&err, "out/flags.csv", ENOSPC), XC_EIO);
    assert_non_null(strstr(err.msg, "out/flags.csv"));
    assert_non_null(strstr(err.hint, "file system is full"));
    assert_string_equal(err.where, "out/flags.csv");
    xc_err_clear(&err);
    xc_output_write_error(&err, "f", EDQUOT);
    assert_non_null(strstr(err.hint, "quota"));
    xc_err_clear(&err);
    xc_output_write_error(&err, "f", EFBIG);
    assert_non_null(strstr(err.hint, "ulimit -f"));
    xc_err_clear(&err);
    xc_output_write_error(&err, "f", EACCES);
    assert_string_equal(err.hint, "");
}

static void test_output_finished_or_committed_twice_is_an_internal_error(void **state)
{
    (void)state;
    char dir[] = "/tmp/xc_error_XXXXXX";
    assert_non_null(mkdtemp(dir));
    xc_err err;
    xc_err_clear(&err);
    xc_output o;
    assert_int_equal(xc_output_open(&o, dir, "f.txt", &err), XC_OK);
    fputs("x\n", o.f);
    assert_true(xc_output_fd(&o) >= 0);
    assert_int_equal(xc_output_commit(&o, &err), XC_OK);
    assert_int_equal(xc_output_fd(&o), -1);
    assert_int_equal(xc_output_commit(&o, &err), XC_EINTERNAL);
    assert_non_null(strstr(err.msg, "no output file to commit"));
    xc_err_clear(&err);
    assert_int_equal(xc_output_finish(&o, &err), XC_EINTERNAL);
    assert_non_null(strstr(err.msg, "no output file to finish"));
    char path[64];
    snprintf(path, sizeof path, "%s/f.txt", dir);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
}

static void test_output_mkdirs_makes_every_level_private_or_names_what_failed(void **state)
{
    (void)state;
    char dir[] = "/tmp/xc_error_XXXXXX";
    assert_non_null(mkdtemp(dir));
    xc_err err;
    xc_err_clear(&err);
    char path[128];
    snprintf(path, sizeof path, "%s/a//b/c/", dir);
    assert_int_equal(xc_output_mkdirs(path, &err), XC_OK);
    struct stat st;
    snprintf(path, sizeof path, "%s/a/b/c", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    snprintf(path, sizeof path, "%s/a", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    /* through a file: named, with the reason */
    char file[128];
    snprintf(file, sizeof file, "%s/plain", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    assert_int_equal(fclose(f), 0);
    snprintf(path, sizeof path, "%s/plain/sub", dir);
    assert_int_equal(xc_output_mkdirs(path, &err), XC_EIO);
    assert_non_null(strstr(err.msg, "cannot create directory"));
    assert_non_null(strstr(err.msg, "Not a directory"));
    assert_string_equal(err.where, path);
    /* a name too long for the temporary file beside it */
    char name[4100];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    xc_output o;
    xc_err_clear(&err);
    assert_int_equal(xc_output_open(&o, dir, name, &err), XC_EIO);
    assert_non_null(strstr(err.msg, "output file name too long"));
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_set_fills_code_message_and_place),
        cmocka_unit_test(test_error_functions_accept_no_error_object),
        cmocka_unit_test(test_error_long_message_is_cut_not_overrun),
        cmocka_unit_test(test_error_every_status_has_its_own_text),
        cmocka_unit_test(test_csv_field_masks_id_runs_and_quotes),
        cmocka_unit_test(test_csv_field_longer_than_the_small_buffer),
        cmocka_unit_test(test_csv_cell_and_put_end_fields_and_rows),
        cmocka_unit_test(test_utf8_valid_at_the_bounds_of_each_sequence),
        cmocka_unit_test(test_utf8_prefix_cuts_between_characters),
        cmocka_unit_test(test_trim_takes_ascii_no_break_and_ideographic_blanks),
        cmocka_unit_test(test_text_show_controls_makes_them_visible),
        cmocka_unit_test(test_output_names_that_are_no_files_are_refused),
        cmocka_unit_test(test_output_write_error_hints_at_the_cause),
        cmocka_unit_test(test_output_finished_or_committed_twice_is_an_internal_error),
        cmocka_unit_test(test_output_mkdirs_makes_every_level_private_or_names_what_failed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
