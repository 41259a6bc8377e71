/* test_output.c - private output files (text.h): xc_output_dir() and
 * xc_output_open(), _open_file(), _commit() and _abort(): modes whatever the
 * umask, names planted in the output directory replaced and never followed,
 * unsafe directories refused, nothing left behind when writing fails; and a
 * run's output directory put in place whole (rundir.h): the previous one
 * kept as .prev, nothing mixed or left after a failure, a kill or a
 * signal, nothing moved or removed that no run wrote. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xcheck/error.h"
#include "xcheck/rundir.h"
#include "xcheck/text.h"

typedef struct fixture {
    char dir[64];        /* the scratch directory, 0700 */
    char buf[4096];      /* paths built by at() */
    xc_err err;
    mode_t umask;        /* the umask before the test */
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/xcheck-output-XXXXXX");
    if (!mkdtemp(fx->dir)) {
        free(fx);
        return -1;
    }
    fx->umask = umask(022);
    xc_err_clear(&fx->err);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    umask(fx->umask);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s' && rm -rf '%s'", fx->dir, fx->dir);
    int rc = system(cmd);
    free(fx);
    return rc == 0 ? 0 : -1;
}

/* fx->dir/name (borrowed until the next call). */
static const char *at(fixture *fx, const char *name)
{
    snprintf(fx->buf, sizeof fx->buf, "%s/%s", fx->dir, name);
    return fx->buf;
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* The whole text of path, into buf. */
static const char *file_text(const char *path, char *buf, size_t bufsz)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, bufsz - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    return st.st_mode & 07777;
}

/* The entries of dir, sorted, joined by ' ' ("" when empty). */
static const char *entries(const char *dir, char *buf, size_t bufsz)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    assert_true(n >= 0);
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
            size_t len = strlen(buf);
            snprintf(buf + len, bufsz - len, "%s%s", len ? " " : "", names[i]->d_name);
        }
        free(names[i]);
    }
    free(names);
    return buf;
}

/* Writes text as dir/name through the output object; returns the commit's
 * status. */
static int write_output(fixture *fx, const char *dir, const char *name, const char *text)
{
    xc_output o;
    int rc = xc_output_open(&o, dir, name, &fx->err);
    if (rc < 0)
        return rc;
    fputs(text, o.f);
    return xc_output_commit(&o, &fx->err);
}

/* ---- modes -------------------------------------------------------------------- */

/* 2026-12-01: output files were created 0644 under the usual umask,
 * readable by every local user. */
static void test_file_is_0600_whatever_the_umask(void **state)
{
    fixture *fx = *state;
    static const mode_t masks[] = {0, 022, 077, 0277};
    char buf[64];
    for (size_t i = 0; i < sizeof masks / sizeof *masks; i++) {
        umask(masks[i]);
        assert_int_equal(write_output(fx, fx->dir, "flags.csv", "a,b\n"), XC_OK);
        umask(022);
        assert_int_equal(mode_of(at(fx, "flags.csv")), 0600);
        assert_string_equal(file_text(at(fx, "flags.csv"), buf, sizeof buf), "a,b\n");
    }
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "flags.csv");
}

/* 2026-12-01: output directories were created 0755 (mkdir 0777 under the
 * umask), their parents too. */
static void test_directories_are_0700_whatever_the_umask(void **state)
{
    fixture *fx = *state;
    umask(0);
    assert_int_equal(xc_output_dir(at(fx, "a/b/c/"), XC_OUTDIR_PRIVATE, &fx->err), XC_OK);
    umask(0277);
    assert_int_equal(xc_output_dir(at(fx, "a/d"), XC_OUTDIR_PRIVATE, &fx->err), XC_OK);
    umask(022);
    assert_int_equal(mode_of(at(fx, "a")), 0700);
    assert_int_equal(mode_of(at(fx, "a/b")), 0700);
    assert_int_equal(mode_of(at(fx, "a/b/c")), 0700);
    assert_int_equal(mode_of(at(fx, "a/d")), 0700);
    /* there already: accepted as it is */
    assert_int_equal(xc_output_dir(at(fx, "a/b/c"), XC_OUTDIR_PRIVATE, &fx->err), XC_OK);
}

static void test_temporary_name_is_hidden_random_and_private(void **state)
{
    fixture *fx = *state;
    xc_output o1, o2;
    assert_int_equal(xc_output_open(&o1, fx->dir, "flags.csv", &fx->err), XC_OK);
    assert_int_equal(xc_output_open(&o2, fx->dir, "flags.csv", &fx->err), XC_OK);
    assert_string_equal(o1.path, at(fx, "flags.csv"));
    char want[128];
    snprintf(want, sizeof want, "%s/.flags.csv.", fx->dir);
    assert_int_equal(strncmp(o1.tmp, want, strlen(want)), 0);
    assert_int_equal(strlen(o1.tmp), strlen(want) + 6);
    assert_string_not_equal(o1.tmp, o2.tmp);
    assert_int_equal(mode_of(o1.tmp), 0600);
    char buf[256];
    assert_int_equal(access(o1.path, F_OK), -1);       /* nothing under the name yet */
    xc_output_abort(&o1);
    xc_output_abort(&o2);
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "");
}

/* ---- names planted in the output directory ------------------------------------- */

/* 2026-12-01: flags.csv was written through a symlink planted in the output
 * directory. */
static void test_symlink_under_the_final_name_is_replaced_not_followed(void **state)
{
    fixture *fx = *state;
    char target[128], buf[64];
    snprintf(target, sizeof target, "%s/elsewhere", fx->dir);
    assert_int_equal(mkdir(target, 0700), 0);
    snprintf(target, sizeof target, "%s/elsewhere/victim", fx->dir);
    put_file(target, "untouched\n");
    assert_int_equal(mkdir(at(fx, "out"), 0700), 0);
    assert_int_equal(symlink(target, at(fx, "out/flags.csv")), 0);
    assert_int_equal(write_output(fx, at(fx, "out"), "flags.csv", "new\n"), XC_OK);
    struct stat st;
    assert_int_equal(lstat(at(fx, "out/flags.csv"), &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_string_equal(file_text(at(fx, "out/flags.csv"), buf, sizeof buf), "new\n");
    assert_string_equal(file_text(target, buf, sizeof buf), "untouched\n");
    /* a dangling symlink is not used to create a file either */
    snprintf(target, sizeof target, "%s/elsewhere/created", fx->dir);
    assert_int_equal(symlink(target, at(fx, "out/rates.csv")), 0);
    assert_int_equal(write_output(fx, at(fx, "out"), "rates.csv", "r\n"), XC_OK);
    assert_int_equal(access(target, F_OK), -1);
    assert_string_equal(entries(at(fx, "elsewhere"), buf, sizeof buf), "victim");
}

/* 2026-12-01: a file planted under an output's name was opened and
 * reused, keeping its owner's mode and links. */
static void test_precreated_file_is_replaced_not_reused(void **state)
{
    fixture *fx = *state;
    char buf[64];
    put_file(at(fx, "flags.csv"), "planted\n");
    assert_int_equal(chmod(at(fx, "flags.csv"), 0666), 0);
    char other[4096];
    snprintf(other, sizeof other, "%s", at(fx, "hardlink"));
    assert_int_equal(link(at(fx, "flags.csv"), other), 0);
    struct stat before, after;
    assert_int_equal(stat(at(fx, "flags.csv"), &before), 0);
    assert_int_equal(write_output(fx, fx->dir, "flags.csv", "ours\n"), XC_OK);
    assert_int_equal(stat(at(fx, "flags.csv"), &after), 0);
    assert_true(before.st_ino != after.st_ino);
    assert_int_equal(after.st_mode & 07777, 0600);
    assert_int_equal(after.st_nlink, 1);
    assert_string_equal(file_text(at(fx, "flags.csv"), buf, sizeof buf), "ours\n");
    /* the planted file, reached by its other link, holds none of ours */
    assert_string_equal(file_text(other, buf, sizeof buf), "planted\n");
}

/* ---- directories refused -------------------------------------------------------- */

static void expect_refused(fixture *fx, const char *dir, xc_outdir_kind kind, const char *what)
{
    xc_err_clear(&fx->err);
    assert_int_equal(xc_output_dir(dir, kind, &fx->err), XC_ECONFIG);
    if (!strstr(fx->err.msg, what))
        fail_msg("\"%s\" does not say \"%s\"", fx->err.msg, what);
    assert_non_null(strstr(fx->err.msg, "output directory \""));
    assert_true(fx->err.hint[0] != '\0');
}

/* 2026-12-01: outputs were written into a directory others can write, where
 * they could replace them or plant names. */
static void test_directory_writable_by_others_is_refused(void **state)
{
    fixture *fx = *state;
    char buf[64];
    assert_int_equal(mkdir(at(fx, "open"), 0700), 0);
    assert_int_equal(chmod(at(fx, "open"), 0777), 0);
    expect_refused(fx, at(fx, "open"), XC_OUTDIR_PRIVATE, "is writable by others");
    assert_non_null(strstr(fx->err.hint, "chmod 700"));
    expect_refused(fx, at(fx, "open"), XC_OUTDIR_FILE, "is writable by others");
    xc_output o;
    assert_int_equal(xc_output_open(&o, at(fx, "open"), "flags.csv", &fx->err), XC_ECONFIG);
    assert_int_equal(xc_output_open_file(&o, at(fx, "open/v.csv"), &fx->err), XC_ECONFIG);
    assert_string_equal(entries(at(fx, "open"), buf, sizeof buf), "");
    /* its mode is the user's to change: left as it was */
    assert_int_equal(mode_of(at(fx, "open")), 0777);

    assert_int_equal(chmod(at(fx, "open"), 0770), 0);
    expect_refused(fx, at(fx, "open"), XC_OUTDIR_PRIVATE, "is writable by its group");
    assert_int_equal(chmod(at(fx, "open"), 0755), 0);       /* readable only: fine */
    assert_int_equal(xc_output_dir(at(fx, "open"), XC_OUTDIR_PRIVATE, &fx->err), XC_OK);
}

/* A shared directory with the sticky bit (like /tmp) takes a single output
 * file, never the outputs of a run. */
static void test_sticky_directory_takes_a_single_file_only(void **state)
{
    fixture *fx = *state;
    char buf[64];
    assert_int_equal(mkdir(at(fx, "shared"), 0700), 0);
    assert_int_equal(chmod(at(fx, "shared"), 01777), 0);
    expect_refused(fx, at(fx, "shared"), XC_OUTDIR_PRIVATE, "is writable by others");
    assert_int_equal(xc_output_dir(at(fx, "shared"), XC_OUTDIR_FILE, &fx->err), XC_OK);
    put_file(at(fx, "shared/verify.csv"), "old\n");
    xc_output o;
    assert_int_equal(xc_output_open_file(&o, at(fx, "shared/verify.csv"), &fx->err), XC_OK);
    fputs("new\n", o.f);
    assert_int_equal(xc_output_commit(&o, &fx->err), XC_OK);
    assert_int_equal(mode_of(at(fx, "shared/verify.csv")), 0600);
    assert_string_equal(file_text(at(fx, "shared/verify.csv"), buf, sizeof buf), "new\n");
    assert_string_equal(entries(at(fx, "shared"), buf, sizeof buf), "verify.csv");
}

/* 2026-12-01: a symlink given as the output directory was followed. */
static void test_symlinked_directory_is_refused(void **state)
{
    fixture *fx = *state;
    char buf[64];
    assert_int_equal(mkdir(at(fx, "real"), 0700), 0);
    assert_int_equal(symlink("real", at(fx, "link")), 0);
    expect_refused(fx, at(fx, "link"), XC_OUTDIR_PRIVATE, "is a symbolic link");
    expect_refused(fx, at(fx, "link/"), XC_OUTDIR_PRIVATE, "is a symbolic link");
    expect_refused(fx, at(fx, "link"), XC_OUTDIR_FILE, "is a symbolic link");
    xc_output o;
    assert_int_equal(xc_output_open(&o, at(fx, "link"), "flags.csv", &fx->err), XC_ECONFIG);
    assert_int_equal(xc_output_open_file(&o, at(fx, "link/v.csv"), &fx->err), XC_ECONFIG);
    assert_string_equal(entries(at(fx, "real"), buf, sizeof buf), "");
}

static void test_file_as_directory_is_refused(void **state)
{
    fixture *fx = *state;
    put_file(at(fx, "plain"), "x");
    expect_refused(fx, at(fx, "plain"), XC_OUTDIR_PRIVATE, "is not a directory");
}

/* Needs root, to give a directory to someone else. */
static void test_directory_of_another_user_is_refused(void **state)
{
    fixture *fx = *state;
    if (geteuid() != 0)
        skip();
    assert_int_equal(mkdir(at(fx, "theirs"), 0700), 0);
    assert_int_equal(chown(at(fx, "theirs"), 65534, 65534), 0);
    expect_refused(fx, at(fx, "theirs"), XC_OUTDIR_PRIVATE, "belongs to another user");
    expect_refused(fx, at(fx, "theirs"), XC_OUTDIR_FILE, "belongs to another user");
    /* a sticky directory of another (not root) may take files away */
    assert_int_equal(chmod(at(fx, "theirs"), 01777), 0);
    expect_refused(fx, at(fx, "theirs"), XC_OUTDIR_FILE, "belongs to another user");
}

/* ---- failures leave nothing behind ------------------------------------------------ */

static void test_abort_leaves_the_old_file_and_no_temporary(void **state)
{
    fixture *fx = *state;
    char buf[64];
    put_file(at(fx, "flags.csv"), "old\n");
    xc_output o;
    assert_int_equal(xc_output_open(&o, fx->dir, "flags.csv", &fx->err), XC_OK);
    fputs("half a file", o.f);
    xc_output_abort(&o);
    xc_output_abort(&o);                                /* a second time: nothing */
    assert_null(o.f);
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "flags.csv");
    assert_string_equal(file_text(at(fx, "flags.csv"), buf, sizeof buf), "old\n");
    /* a zeroed object, and one after a commit, hold nothing */
    xc_output z = {0};
    xc_output_abort(&z);
    assert_int_equal(write_output(fx, fx->dir, "rates.csv", "r\n"), XC_OK);
    assert_int_equal(xc_output_open(&o, fx->dir, "rules.csv", &fx->err), XC_OK);
    assert_int_equal(xc_output_commit(&o, &fx->err), XC_OK);
    xc_output_abort(&o);
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "flags.csv rates.csv rules.csv");
}

/* 2026-12-01: a write that failed (disk full) left a truncated file under
 * the output's name in place of the previous one. */
static void test_failed_write_leaves_the_old_file_and_no_temporary(void **state)
{
    fixture *fx = *state;
    char buf[64];
    put_file(at(fx, "flags.csv"), "old\n");
    struct rlimit saved, small;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
    small = saved;
    small.rlim_cur = 4096;                /* writes past it fail with EFBIG */
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    xc_output o;
    int rc = xc_output_open(&o, fx->dir, "flags.csv", &fx->err);
    if (rc == XC_OK) {
        for (int i = 0; i < 4096; i++)
            fputs("0123456789abcdef", o.f);
        rc = xc_output_commit(&o, &fx->err);
    }
    setrlimit(RLIMIT_FSIZE, &saved);
    signal(SIGXFSZ, was);
    assert_int_equal(rc, XC_EIO);
    assert_non_null(strstr(fx->err.msg, "flags.csv"));
    assert_string_equal(fx->err.where, at(fx, "flags.csv"));
    assert_null(o.f);
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "flags.csv");
    assert_string_equal(file_text(at(fx, "flags.csv"), buf, sizeof buf), "old\n");
}

/* 2026-12-02: a write over the file size limit, or onto a full disk, was
 * reported as "Input/output error": stdio keeps only a flag, so the reason
 * (and what to do about it) was lost. */
static void test_size_limit_is_reported_with_its_reason_and_a_hint(void **state)
{
    fixture *fx = *state;
    char buf[64];
    struct rlimit saved, small;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
    small = saved;
    small.rlim_cur = 8192;
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    xc_output o;
    int rc = xc_output_open(&o, fx->dir, "evidence.jsonl", &fx->err);
    if (rc == XC_OK) {
        for (int i = 0; i < 4096; i++)
            fputs("0123456789abcdef", o.f);
        rc = xc_output_commit(&o, &fx->err);
    }
    setrlimit(RLIMIT_FSIZE, &saved);
    signal(SIGXFSZ, was);
    assert_int_equal(rc, XC_EIO);
    char want[4200];
    snprintf(want, sizeof want, "cannot write \"%s\": %s", at(fx, "evidence.jsonl"),
             strerror(EFBIG));
    assert_string_equal(fx->err.msg, want);
    assert_non_null(strstr(fx->err.hint, "ulimit -f"));
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "");
    /* the same for a full disk: the reason, and a hint */
    assert_int_equal(xc_output_write_error(&fx->err, "out/flags.csv", ENOSPC), XC_EIO);
    assert_non_null(strstr(fx->err.msg, strerror(ENOSPC)));
    assert_string_equal(fx->err.where, "out/flags.csv");
    assert_non_null(strstr(fx->err.hint, "full"));
}

/* Files finished one by one are renamed only by their commits: a failure
 * in between leaves every previous file as it was. */
static void test_finished_files_are_renamed_only_by_commit(void **state)
{
    fixture *fx = *state;
    char buf[256];
    put_file(at(fx, "sample.csv"), "old\n");
    xc_output a, b;
    assert_int_equal(xc_output_open(&a, fx->dir, "sample.csv", &fx->err), XC_OK);
    fputs("new\n", a.f);
    assert_int_equal(xc_output_finish(&a, &fx->err), XC_OK);
    assert_null(a.f);
    assert_string_equal(file_text(at(fx, "sample.csv"), buf, sizeof buf), "old\n");
    assert_int_equal(xc_output_open(&b, fx->dir, "sample.xlsx", &fx->err), XC_OK);
    assert_true(xc_output_fd(&b) >= 0);
    xc_output_abort(&b);                  /* the second failed: the first goes too */
    assert_int_equal(xc_output_fd(&b), -1);
    xc_output_abort(&a);
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "sample.csv");
    assert_string_equal(file_text(at(fx, "sample.csv"), buf, sizeof buf), "old\n");
    assert_int_equal(xc_output_open(&a, fx->dir, "sample.csv", &fx->err), XC_OK);
    fputs("new\n", a.f);
    assert_int_equal(xc_output_finish(&a, &fx->err), XC_OK);
    assert_int_equal(xc_output_commit(&a, &fx->err), XC_OK);
    assert_string_equal(file_text(at(fx, "sample.csv"), buf, sizeof buf), "new\n");
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "sample.csv");
}

static void test_failed_rename_leaves_no_temporary(void **state)
{
    fixture *fx = *state;
    char buf[64];
    assert_int_equal(mkdir(at(fx, "flags.csv"), 0700), 0);  /* in the way */
    put_file(at(fx, "flags.csv/kept"), "k");
    assert_int_equal(write_output(fx, fx->dir, "flags.csv", "new\n"), XC_EIO);
    assert_non_null(strstr(fx->err.msg, "flags.csv"));
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "flags.csv");
    assert_string_equal(entries(at(fx, "flags.csv"), buf, sizeof buf), "kept");
}

static void test_open_file_makes_its_directory_and_checks_the_name(void **state)
{
    fixture *fx = *state;
    char buf[64];
    xc_output o;
    assert_int_equal(xc_output_open_file(&o, at(fx, "new/dir/v.csv"), &fx->err), XC_OK);
    fputs("v\n", o.f);
    assert_int_equal(xc_output_commit(&o, &fx->err), XC_OK);
    assert_int_equal(mode_of(at(fx, "new")), 0700);
    assert_int_equal(mode_of(at(fx, "new/dir")), 0700);
    assert_int_equal(mode_of(at(fx, "new/dir/v.csv")), 0600);
    assert_string_equal(file_text(at(fx, "new/dir/v.csv"), buf, sizeof buf), "v\n");
    assert_int_equal(xc_output_open_file(&o, at(fx, "new/"), &fx->err), XC_EIO);
    assert_int_equal(xc_output_open_file(&o, "", &fx->err), XC_EIO);
    xc_output_abort(&o);                              /* holds nothing after a failure */
    assert_string_equal(entries(at(fx, "new"), buf, sizeof buf), "dir");
    /* a name without a directory goes into the working directory */
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(fx->dir), 0);
    int rc = xc_output_open_file(&o, "here.csv", &fx->err);
    if (rc == XC_OK)
        rc = xc_output_commit(&o, &fx->err);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, XC_OK);
    assert_int_equal(mode_of(at(fx, "here.csv")), 0600);
}

/* ---- a run's output directory (rundir.h) ------------------------------------------ */

/* Writes name holding text into d's directory. */
static void put_output(fixture *fx, const xc_rundir *d, const char *name, const char *text)
{
    xc_output o;
    assert_int_equal(xc_output_open(&o, xc_rundir_path(d), name, &fx->err), XC_OK);
    fputs(text, o.f);
    assert_int_equal(xc_output_commit(&o, &fx->err), XC_OK);
}

/* A run into fx->dir/out writing flags.csv = text and rejects/hukou.csv,
 * put in place. */
static void run_named(fixture *fx, const char *target, const char *text)
{
    xc_rundir *d;
    char rej[4200];
    if (xc_rundir_begin(at(fx, target), &d, &fx->err) < 0)
        fail_msg("%s", fx->err.msg);
    put_output(fx, d, "flags.csv", text);
    snprintf(rej, sizeof rej, "%s/rejects", xc_rundir_path(d));
    assert_int_equal(xc_output_dir(rej, XC_OUTDIR_PRIVATE, &fx->err), XC_OK);
    xc_output o;
    assert_int_equal(xc_output_open(&o, rej, "hukou.csv", &fx->err), XC_OK);
    fputs("file,line\n", o.f);
    assert_int_equal(xc_output_commit(&o, &fx->err), XC_OK);
    if (xc_rundir_commit(d, "2026-06-30", &fx->err) < 0)
        fail_msg("%s", fx->err.msg);
    xc_rundir_free(d);
}

static void run_into(fixture *fx, const char *text)
{
    run_named(fx, "out", text);
}

/* A run's outputs holding text, under name (beside out). */
static void run_into_dir_as(fixture *fx, const char *name, const char *text)
{
    char to[4400];
    run_named(fx, "aside", text);
    snprintf(to, sizeof to, "%s/%s", fx->dir, name);
    assert_int_equal(rename(at(fx, "aside"), to), 0);
}

static void test_rundir_is_written_aside_and_put_in_place_whole(void **state)
{
    fixture *fx = *state;
    char buf[4096];
    xc_rundir *d;
    assert_int_equal(xc_rundir_begin(at(fx, "out/"), &d, &fx->err), XC_OK);
    assert_string_equal(xc_rundir_target(d), at(fx, "out"));
    char want[128];
    snprintf(want, sizeof want, "%s/.out.", fx->dir);
    assert_int_equal(strncmp(xc_rundir_path(d), want, strlen(want)), 0);
    assert_int_equal(strlen(xc_rundir_path(d)), strlen(want) + 6);
    assert_int_equal(mode_of(xc_rundir_path(d)), 0700);
    put_output(fx, d, "flags.csv", "new\n");
    assert_int_equal(access(at(fx, "out"), F_OK), -1);     /* nothing in place yet */
    char stage[4096];
    snprintf(stage, sizeof stage, "%s", xc_rundir_path(d));
    assert_int_equal(xc_rundir_commit(d, "run\n1", &fx->err), XC_OK);
    xc_rundir_free(d);
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "out");
    assert_string_equal(entries(at(fx, "out"), buf, sizeof buf), ".xcheck-output flags.csv");
    assert_int_equal(mode_of(at(fx, "out")), 0700);
    assert_int_equal(mode_of(at(fx, "out/.xcheck-output")), 0600);
    char marker_want[4400];
    snprintf(marker_want, sizeof marker_want,
             "# xcheck run output: replaced whole by the next run, which keeps it "
             "as .prev\nstage %s\nrun run?1\nfile flags.csv\ncomplete\n",
             stage + strlen(fx->dir) + 1);
    assert_string_equal(file_text(at(fx, "out/.xcheck-output"), buf, sizeof buf), marker_want);
    assert_int_equal(access(stage, F_OK), -1);
}

/* The previous outputs become out.prev, by an exchange of names or, where
 * there is none, by two renames; the older out.prev is removed. */
static void keeps_the_previous_outputs(fixture *fx, bool exchange)
{
    char buf[4096];
    xc_rundir_test_no_exchange(!exchange);
    run_into(fx, "first\n");
    run_into(fx, "second\n");
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "out out.prev");
    assert_string_equal(file_text(at(fx, "out/flags.csv"), buf, sizeof buf), "second\n");
    assert_string_equal(file_text(at(fx, "out.prev/flags.csv"), buf, sizeof buf), "first\n");
    run_into(fx, "third\n");
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "out out.prev");
    assert_string_equal(file_text(at(fx, "out/flags.csv"), buf, sizeof buf), "third\n");
    assert_string_equal(file_text(at(fx, "out.prev/flags.csv"), buf, sizeof buf), "second\n");
    assert_string_equal(entries(at(fx, "out.prev/rejects"), buf, sizeof buf), "hukou.csv");
    xc_rundir_test_no_exchange(false);
}

static void test_rundir_keeps_the_previous_outputs_as_prev(void **state)
{
    keeps_the_previous_outputs(*state, true);
}

static void test_rundir_keeps_the_previous_outputs_without_an_exchange(void **state)
{
    keeps_the_previous_outputs(*state, false);
}

/* 2026-12-02: a run that failed after writing some outputs left them
 * beside the previous run's others. */
static void test_rundir_given_up_leaves_the_previous_outputs(void **state)
{
    fixture *fx = *state;
    char buf[4096];
    run_into(fx, "old\n");
    xc_rundir *d;
    assert_int_equal(xc_rundir_begin(at(fx, "out"), &d, &fx->err), XC_OK);
    put_output(fx, d, "flags.csv", "half\n");
    /* an error met in the run's directory names the file as in out */
    char path[4200];
    snprintf(path, sizeof path, "%s/evidence.jsonl", xc_rundir_path(d));
    xc_output_write_error(&fx->err, path, ENOSPC);
    xc_rundir_explain(d, &fx->err);
    char want[4400];
    snprintf(want, sizeof want, "cannot write \"%s\": %s", at(fx, "out/evidence.jsonl"),
             strerror(ENOSPC));
    assert_string_equal(fx->err.msg, want);
    assert_string_equal(fx->err.where, at(fx, "out/evidence.jsonl"));
    assert_non_null(strstr(fx->err.detail, "previous outputs"));
    xc_rundir_free(d);
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "out");
    assert_string_equal(file_text(at(fx, "out/flags.csv"), buf, sizeof buf), "old\n");
    xc_rundir_free(NULL);
}

static void expect_rundir_refused(fixture *fx, const char *target, const char *what)
{
    xc_rundir *d = NULL;
    xc_err_clear(&fx->err);
    assert_int_equal(xc_rundir_begin(target, &d, &fx->err), XC_ECONFIG);
    assert_null(d);
    if (!strstr(fx->err.msg, what))
        fail_msg("\"%s\" does not say \"%s\"", fx->err.msg, what);
    assert_true(fx->err.hint[0] != '\0');
}

/* 2026-12-02: a run wrote into, and would now move or remove, a directory
 * holding what no run wrote. */
static void test_rundir_moves_and_removes_only_what_a_run_wrote(void **state)
{
    fixture *fx = *state;
    char buf[4096];
    assert_int_equal(mkdir(at(fx, "out"), 0700), 0);
    put_file(at(fx, "out/notes.txt"), "mine\n");
    put_file(at(fx, "out/flags.csv"), "mine\n");
    expect_rundir_refused(fx, at(fx, "out"), "holds \"flags.csv\" and is not the output of");
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "out");
    assert_int_equal(unlink(at(fx, "out/flags.csv")), 0);
    assert_int_equal(unlink(at(fx, "out/notes.txt")), 0);
    /* empty: taken */
    run_into(fx, "one\n");
    run_into(fx, "two\n");
    put_file(at(fx, "out/notes.txt"), "mine\n");
    expect_rundir_refused(fx, at(fx, "out"), "holds \"notes.txt\", which no run wrote");
    assert_int_equal(unlink(at(fx, "out/notes.txt")), 0);
    put_file(at(fx, "out.prev/rejects/mine.csv"), "mine\n");
    expect_rundir_refused(fx, at(fx, "out"), "holds \"rejects/mine.csv\", which no run wrote");
    assert_int_equal(unlink(at(fx, "out.prev/rejects/mine.csv")), 0);
    put_file(at(fx, "out.prev/sample.csv"), "filled in\n");
    expect_rundir_refused(fx, at(fx, "out"), "which xcheck sample or verify wrote");
    assert_string_equal(file_text(at(fx, "out.prev/sample.csv"), buf, sizeof buf),
                        "filled in\n");
    /* a sample beside the current outputs moves with them */
    char from[4096];
    snprintf(from, sizeof from, "%s", at(fx, "out.prev/sample.csv"));
    assert_int_equal(rename(from, at(fx, "out/sample.csv")), 0);
    run_into(fx, "three\n");
    assert_string_equal(file_text(at(fx, "out.prev/sample.csv"), buf, sizeof buf),
                        "filled in\n");
    /* what appears while the run lasts is refused when it ends */
    xc_rundir *d;
    assert_int_equal(unlink(at(fx, "out.prev/sample.csv")), 0);
    assert_int_equal(xc_rundir_begin(at(fx, "out"), &d, &fx->err), XC_OK);
    put_output(fx, d, "flags.csv", "four\n");
    put_file(at(fx, "out/notes.txt"), "mine\n");
    assert_int_equal(xc_rundir_commit(d, "x", &fx->err), XC_ECONFIG);
    assert_non_null(strstr(fx->err.msg, "notes.txt"));
    xc_rundir_free(d);
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "out out.prev");
    assert_string_equal(file_text(at(fx, "out/flags.csv"), buf, sizeof buf), "three\n");
    /* unsafe and unusable names */
    assert_int_equal(mkdir(at(fx, "real"), 0700), 0);
    assert_int_equal(symlink("real", at(fx, "link")), 0);
    expect_rundir_refused(fx, at(fx, "link"), "is a symbolic link");
    expect_rundir_refused(fx, at(fx, "link/"), "is a symbolic link");
    expect_rundir_refused(fx, at(fx, "."), "cannot be replaced whole");
    expect_rundir_refused(fx, "/", "cannot be replaced whole");
    assert_int_equal(chmod(at(fx, "real"), 0777), 0);
    expect_rundir_refused(fx, at(fx, "real"), "is writable by others");
    assert_string_equal(entries(at(fx, "real"), buf, sizeof buf), "");
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "link out out.prev real");
}

/* Runs fn in a child process that ends by signal sig; returns its status. */
static int in_child(fixture *fx, int sig, bool write_first)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        xc_rundir *d;
        xc_err err;
        if (xc_rundir_begin(at(fx, "out"), &d, &err) < 0)
            _exit(10);
        xc_output o;
        if (write_first && xc_output_open(&o, xc_rundir_path(d), "flags.csv", &err) == 0) {
            fputs("killed\n", o.f);
            xc_output_commit(&o, &err);
        }
        raise(sig);
        _exit(11);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

/* 2026-12-02: a run killed or interrupted while writing left its files in
 * the output directory beside the previous run's. */
static void test_rundir_of_a_killed_run_is_removed_by_the_next(void **state)
{
    fixture *fx = *state;
    char buf[4096];
    run_into(fx, "old\n");
    int status = in_child(fx, SIGKILL, true);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    assert_string_equal(file_text(at(fx, "out/flags.csv"), buf, sizeof buf), "old\n");
    entries(fx->dir, buf, sizeof buf);
    assert_int_equal(strncmp(buf, ".out.", 5), 0);               /* left, marked */
    /* a run's directory another run holds is left alone */
    xc_rundir *live, *next;
    assert_int_equal(xc_rundir_begin(at(fx, "out"), &live, &fx->err), XC_OK);
    assert_int_equal(xc_rundir_begin(at(fx, "out"), &next, &fx->err), XC_OK);
    assert_int_equal(access(xc_rundir_path(live), F_OK), 0);
    xc_rundir_free(next);
    xc_rundir_free(live);
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "out");
    assert_string_equal(file_text(at(fx, "out/flags.csv"), buf, sizeof buf), "old\n");
    /* a hidden directory of the same name, not a run's, stays */
    assert_int_equal(mkdir(at(fx, ".out.abcDEF"), 0700), 0);
    put_file(at(fx, ".out.abcDEF/mine"), "mine\n");
    run_into(fx, "new\n");
    assert_string_equal(entries(fx->dir, buf, sizeof buf), ".out.abcDEF out out.prev");
}

/* 2026-12-02: a copy of the outputs and an empty directory, named like a
 * run's own directory, were removed as the leftovers of a killed run. */
static void test_rundir_leaves_copies_and_empty_namesakes_alone(void **state)
{
    fixture *fx = *state;
    char buf[4096], cmd[8400];
    run_into(fx, "first\n");
    snprintf(cmd, sizeof cmd, "cp -a '%s/out' '%s/.out.backup'", fx->dir, fx->dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(mkdir(at(fx, ".out.250630"), 0700), 0);
    run_into(fx, "second\n");
    run_into(fx, "third\n");
    assert_string_equal(entries(fx->dir, buf, sizeof buf), ".out.250630 .out.backup out out.prev");
    assert_string_equal(file_text(at(fx, ".out.backup/flags.csv"), buf, sizeof buf), "first\n");
}

/* 2026-12-02: a kill between the renames of a commit left the previous
 * outputs under a hidden name, with no out.prev, and the next run removed
 * them. The next run puts them back. */
static void test_rundir_finishes_a_commit_cut_short(void **state)
{
    fixture *fx = *state;
    char buf[4096];
    run_into(fx, "first\n");
    run_into(fx, "second\n");                  /* out = second, out.prev = first */
    /* cut short after the exchange: out is the new run, its directory holds
     * the previous one, the older outputs are aside */
    xc_rundir *d;
    assert_int_equal(xc_rundir_begin(at(fx, "out"), &d, &fx->err), XC_OK);
    put_output(fx, d, "flags.csv", "third\n");
    char stage[256], trash[] = ".out.trAsh1";
    snprintf(stage, sizeof stage, "%s", strrchr(xc_rundir_path(d), '/') + 1);
    assert_int_equal(xc_rundir_commit(d, "3", &fx->err), XC_OK);
    xc_rundir_free(d);
    /* out = third (made as stage), out.prev = second: undo the last steps */
    char a[4400], b[4400];
    snprintf(a, sizeof a, "%s", at(fx, "out.prev"));
    snprintf(b, sizeof b, "%s/%s", fx->dir, stage);
    assert_int_equal(rename(a, b), 0);          /* second back under the stage name */
    run_into_dir_as(fx, trash, "first\n");      /* the older ones aside */
    char journal[4400], text[600];
    snprintf(journal, sizeof journal, "%s/.out.xcheck-commit", fx->dir);
    snprintf(text, sizeof text, "stage %s\ntrash %s\n", stage, trash);
    put_file(journal, text);
    run_into(fx, "fourth\n");
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "out out.prev");
    assert_string_equal(file_text(at(fx, "out/flags.csv"), buf, sizeof buf), "fourth\n");
    assert_string_equal(file_text(at(fx, "out.prev/flags.csv"), buf, sizeof buf), "third\n");
    /* cut short before the exchange: out.prev was moved aside only */
    assert_int_equal(rename(at(fx, "out.prev"), (snprintf(b, sizeof b, "%s/.out.trAsh2", fx->dir), b)), 0);
    snprintf(text, sizeof text, "stage .out.gone99\ntrash .out.trAsh2\n");
    put_file(journal, text);
    run_into(fx, "fifth\n");
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "out out.prev");
    assert_string_equal(file_text(at(fx, "out.prev/flags.csv"), buf, sizeof buf), "fourth\n");
}

/* 2026-12-02: removing the older outputs removed whatever was in them by
 * then. Only what the run listed goes: a file put there since stays, and
 * so does its directory. */
static void test_rundir_removes_only_the_listed_files_of_the_older_outputs(void **state)
{
    fixture *fx = *state;
    char buf[4096], path[4400];
    run_into(fx, "first\n");
    run_into(fx, "second\n");
    /* older outputs moved aside by a commit that was cut short after the
     * last rename, with a note someone wrote into them meanwhile */
    run_into_dir_as(fx, ".out.trAsh3", "older\n");
    snprintf(path, sizeof path, "%s/.out.trAsh3/notes.txt", fx->dir);
    put_file(path, "mine\n");
    snprintf(path, sizeof path, "%s/.out.xcheck-commit", fx->dir);
    put_file(path, "stage .out.gone99\ntrash .out.trAsh3\n");
    run_into(fx, "third\n");
    assert_string_equal(entries(fx->dir, buf, sizeof buf), ".out.trAsh3 out out.prev");
    snprintf(path, sizeof path, "%s/.out.trAsh3", fx->dir);
    assert_string_equal(entries(path, buf, sizeof buf), ".xcheck-output notes.txt");
    snprintf(path, sizeof path, "%s/.out.trAsh3/notes.txt", fx->dir);
    assert_string_equal(file_text(path, buf, sizeof buf), "mine\n");
}

static void test_rundir_is_removed_on_sigterm_and_sigint(void **state)
{
    fixture *fx = *state;
    char buf[4096];
    run_into(fx, "old\n");
    static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        int status = in_child(fx, sigs[i], i != 1);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), sigs[i]);
        assert_string_equal(entries(fx->dir, buf, sizeof buf), "out");
        assert_string_equal(file_text(at(fx, "out/flags.csv"), buf, sizeof buf), "old\n");
    }
    /* a signal the program ignores stays ignored */
    void (*was)(int) = signal(SIGHUP, SIG_IGN);
    xc_rundir *d;
    assert_int_equal(xc_rundir_begin(at(fx, "out"), &d, &fx->err), XC_OK);
    raise(SIGHUP);
    xc_rundir_free(d);
    signal(SIGHUP, was);
    assert_string_equal(entries(fx->dir, buf, sizeof buf), "out");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_file_is_0600_whatever_the_umask, setup, teardown),
        cmocka_unit_test_setup_teardown(test_directories_are_0700_whatever_the_umask, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_temporary_name_is_hidden_random_and_private, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_symlink_under_the_final_name_is_replaced_not_followed,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_precreated_file_is_replaced_not_reused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_directory_writable_by_others_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sticky_directory_takes_a_single_file_only, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_symlinked_directory_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_as_directory_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_directory_of_another_user_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_abort_leaves_the_old_file_and_no_temporary, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_leaves_the_old_file_and_no_temporary,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_size_limit_is_reported_with_its_reason_and_a_hint,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_finished_files_are_renamed_only_by_commit, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_failed_rename_leaves_no_temporary, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_file_makes_its_directory_and_checks_the_name,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_rundir_is_written_aside_and_put_in_place_whole,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_rundir_keeps_the_previous_outputs_as_prev, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_rundir_keeps_the_previous_outputs_without_an_exchange, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rundir_given_up_leaves_the_previous_outputs, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rundir_moves_and_removes_only_what_a_run_wrote,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_rundir_of_a_killed_run_is_removed_by_the_next,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_rundir_leaves_copies_and_empty_namesakes_alone,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_rundir_finishes_a_commit_cut_short, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rundir_removes_only_the_listed_files_of_the_older_outputs,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_rundir_is_removed_on_sigterm_and_sigint, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
