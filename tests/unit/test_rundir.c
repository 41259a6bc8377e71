/* test_rundir.c - a run's output directory (rundir.h), what test_output.c
 * leaves aside: how the target is named (trailing slashes, a bare name in
 * the current directory, a name too long, a parent where nothing can be
 * created), the marker's listing of a committed run (its files, those of
 * rejects/, the run id with control characters made harmless), and errors
 * met inside the run's hidden directory told by the target's name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scratch.h"
#include "xcheck/error.h"
#include "xcheck/rundir.h"

typedef struct fixture {
    char dir[64];
    char path[512];
    char cwd[4096];
    xc_err err;
    xc_rundir *d;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    if (xc_scratch_make(fx->dir, sizeof fx->dir, "rundir") < 0 ||
        !getcwd(fx->cwd, sizeof fx->cwd)) {
        free(fx);
        return -1;
    }
    xc_err_clear(&fx->err);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    xc_rundir_free(fx->d);
    int rc = chdir(fx->cwd);
    if (rc == 0)
        rc = xc_scratch_remove(fx->dir);
    free(fx);
    return rc;
}

static const char *at(fixture *fx, const char *name)
{
    snprintf(fx->path, sizeof fx->path, "%s/%s", fx->dir, name);
    return fx->path;
}

static void put_file(const char *dir, const char *name, const char *text)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *buf = calloc(1, 8192);
    assert_non_null(buf);
    size_t n = fread(buf, 1, 8191, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_rundir_target_loses_its_trailing_slashes(void **state)
{
    fixture *fx = *state;
    char target[512];
    snprintf(target, sizeof target, "%s/out///", fx->dir);
    assert_int_equal(xc_rundir_begin(target, &fx->d, &fx->err), XC_OK);
    assert_string_equal(xc_rundir_target(fx->d), at(fx, "out"));
    /* the run writes beside it, in a hidden directory of its own */
    const char *stage = xc_rundir_path(fx->d);
    assert_memory_equal(stage, fx->dir, strlen(fx->dir));
    assert_memory_equal(stage + strlen(fx->dir), "/.out.", 6);
    struct stat st;
    assert_int_equal(stat(stage, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
}

static void test_rundir_of_a_bare_name_is_made_in_the_current_directory(void **state)
{
    fixture *fx = *state;
    assert_int_equal(chdir(fx->dir), 0);
    assert_int_equal(xc_rundir_begin("out", &fx->d, &fx->err), XC_OK);
    assert_string_equal(xc_rundir_target(fx->d), "out");
    assert_memory_equal(xc_rundir_path(fx->d), ".out.", 5);
    put_file(xc_rundir_path(fx->d), "flags.csv", "rule\n");
    assert_int_equal(xc_rundir_commit(fx->d, "r1", &fx->err), XC_OK);
    char *flags = read_text(at(fx, "out/flags.csv"));
    assert_string_equal(flags, "rule\n");
    free(flags);
}

static void test_rundir_names_too_long_or_unusable_are_refused(void **state)
{
    fixture *fx = *state;
    char target[512];
    char base[260];
    memset(base, 'o', 250);
    base[250] = '\0';
    snprintf(target, sizeof target, "%s/%s", fx->dir, base);
    assert_int_equal(xc_rundir_begin(target, &fx->d, &fx->err), XC_EIO);
    assert_null(fx->d);
    assert_non_null(strstr(fx->err.msg, "is too long"));
    static const char *const whole[] = {"/", ".", "..", "a/..", "a/."};
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++) {
        xc_err_clear(&fx->err);
        assert_int_equal(xc_rundir_begin(whole[i], &fx->d, &fx->err), XC_ECONFIG);
        assert_non_null(strstr(fx->err.msg, "cannot be replaced whole"));
        assert_non_null(strstr(fx->err.hint, "by its own name"));
    }
}

static void test_rundir_where_nothing_can_be_created_is_an_io_error(void **state)
{
    fixture *fx = *state;
    /* the root of /proc takes no new directory, even from root */
    assert_int_equal(xc_rundir_begin("/proc/xcheck-test-out", &fx->d, &fx->err), XC_EIO);
    assert_null(fx->d);
    assert_non_null(strstr(fx->err.msg, "cannot create a directory beside"));
    assert_non_null(strstr(fx->err.hint, "parent must be writable"));
    assert_string_equal(fx->err.where, "/proc");
}

static void test_rundir_marker_lists_the_files_and_the_run(void **state)
{
    fixture *fx = *state;
    char target[512];
    snprintf(target, sizeof target, "%s", at(fx, "out"));
    assert_int_equal(xc_rundir_begin(target, &fx->d, &fx->err), XC_OK);
    const char *stage = xc_rundir_path(fx->d);
    put_file(stage, "flags.csv", "rule\n");
    put_file(stage, "summary.json", "{}\n");
    char rejects[4200];
    snprintf(rejects, sizeof rejects, "%s/rejects", stage);
    assert_int_equal(mkdir(rejects, 0700), 0);
    put_file(rejects, "hukou.csv", "file,line\n");
    assert_int_equal(xc_rundir_commit(fx->d, "nightly\x01" "2026", &fx->err), XC_OK);
    char *marker = read_text(at(fx, "out/" XC_RUNDIR_MARKER));
    assert_non_null(strstr(marker, "\nrun nightly?2026\n"));
    assert_non_null(strstr(marker, "\nfile flags.csv\n"));
    assert_non_null(strstr(marker, "\nfile summary.json\n"));
    assert_non_null(strstr(marker, "\nfile rejects/hukou.csv\n"));
    assert_non_null(strstr(marker, "\ncomplete\n"));
    assert_null(strchr(marker, '\x01'));
    free(marker);
    /* a second run keeps this one as out.prev */
    xc_rundir_free(fx->d);
    assert_int_equal(xc_rundir_begin(target, &fx->d, &fx->err), XC_OK);
    put_file(xc_rundir_path(fx->d), "flags.csv", "rule\nX\n");
    assert_int_equal(xc_rundir_commit(fx->d, NULL, &fx->err), XC_OK);
    char *prev = read_text(at(fx, "out.prev/rejects/hukou.csv"));
    assert_string_equal(prev, "file,line\n");
    free(prev);
    char *now = read_text(at(fx, "out/" XC_RUNDIR_MARKER));
    assert_non_null(strstr(now, "\nrun \n"));
    free(now);
}

static void test_rundir_explains_errors_by_the_target_name(void **state)
{
    fixture *fx = *state;
    char target[512];
    snprintf(target, sizeof target, "%s", at(fx, "out"));
    assert_int_equal(xc_rundir_begin(target, &fx->d, &fx->err), XC_OK);
    xc_err err;
    xc_err_clear(&err);
    xc_err_set(&err, XC_EIO, "cannot write \"%s/flags.csv\": No space left on device",
               xc_rundir_path(fx->d));
    xc_err_at(&err, xc_rundir_path(fx->d), 0, NULL);
    xc_rundir_explain(fx->d, &err);
    char want[600];
    snprintf(want, sizeof want, "cannot write \"%s/flags.csv\": No space left on device", target);
    assert_string_equal(err.msg, want);
    assert_string_equal(err.where, target);
    snprintf(want, sizeof want, "nothing was written into \"%s\"", target);
    assert_string_equal(err.detail, want);
    /* a detail of its own is kept; no directory, no error: nothing to do */
    xc_err_detail(&err, "mine");
    xc_rundir_explain(fx->d, &err);
    assert_string_equal(err.detail, "mine");
    xc_rundir_explain(NULL, &err);
    xc_rundir_explain(fx->d, NULL);
    xc_rundir_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rundir_target_loses_its_trailing_slashes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_rundir_of_a_bare_name_is_made_in_the_current_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rundir_names_too_long_or_unusable_are_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_rundir_where_nothing_can_be_created_is_an_io_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rundir_marker_lists_the_files_and_the_run, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rundir_explains_errors_by_the_target_name, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
