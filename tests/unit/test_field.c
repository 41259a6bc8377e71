/* test_field.c - field verification end to end, without the program: a
 * run's households.csv, flags.csv and summary.json read as the frame
 * (sample.h), the sample drawn and written (sample.csv, sample-strata.csv,
 * sample.xlsx), read back as a filled-in sample (verify.h), checked against
 * the run, and its estimates written as CSV; and the dates a visitor may
 * write (table.h). */
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
#include "xcheck/date.h"
#include "xcheck/error.h"
#include "xcheck/sample.h"
#include "field/table.h"
#include "xcheck/verify.h"

typedef struct fixture {
    char dir[64];
    char path[256];          /* built by at() */
    xc_err err;
    xc_frame frame;
    xc_sample sample;
    xc_verify verify;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    if (xc_scratch_make(fx->dir, sizeof fx->dir, "field") < 0) {
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    xc_verify_free(&fx->verify);
    xc_sample_free(&fx->sample);
    xc_frame_free(&fx->frame);
    int rc = xc_scratch_remove(fx->dir);
    free(fx);
    return rc;
}

static const char *at(fixture *fx, const char *name)
{
    snprintf(fx->path, sizeof fx->path, "%s/%s", fx->dir, name);
    return fx->path;
}

static void write_text(fixture *fx, const char *name, const char *text)
{
    FILE *f = fopen(at(fx, name), "wb");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

/* Reads a whole file into a NUL-terminated buffer the caller frees. */
static char *read_back(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = calloc(1, 1 << 16);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Writes what a run leaves in its directory for xcheck sample: five
 * households, one neither in the archive nor exited (not drawn). */
static void write_run(fixture *fx)
{
    write_text(fx, "summary.json", "{\n  \"version\": \"0.1.0\",\n  \"as_of\": \"2026-06-30\",\n"
                                   "  \"profile\": \"default\"\n}\n");
    write_text(fx, "households.csv",
               "archive_no,region_code,county,level,in_archive,exited,worker_name,masked_id\n"
               "A1,530102,云南省昆明市五华区,local,yes,no,张三,530102********0011\n"
               "A2,530102,云南省昆明市五华区,local,yes,no,李四,530102********0022\n"
               "A3,530102,云南省昆明市五华区,local,no,yes,王五,530102********0033\n"
               "A4,530103,云南省昆明市盘龙区,local,yes,no,赵六,530103********0044\n"
               "A5,530103,云南省昆明市盘龙区,local,no,no,钱七,530103********0055\n");
    write_text(fx, "flags.csv",
               "rule,category,archive_no,region,summary\n"
               "VH-CAR,mis_enrollment,A1,530102,\"名下有小汽车\n一辆\"\n"
               "ID-LEGACY,data_quality,A1,530102,十五位身份证号\n"
               "EX-WRONG,wrong_exit,A3,530102,退档时收入低于标准\n"
               "HK-DECEASED,missed_exit,A4,530103,成员已死亡\n"
               "HK-DECEASED,missed_exit,A4,530103,另一成员已死亡\n"
               "HK-DECEASED,missed_exit,A5,530103,不抽取的户\n"
               "DUP-PERSON,data_quality,A9,530103,不在任何户\n");
}

static void load_frame(fixture *fx)
{
    int rc = xc_frame_load(fx->dir, &fx->frame, &fx->err);
    if (rc != XC_OK)
        print_error("frame: %s\n", fx->err.msg);
    assert_int_equal(rc, XC_OK);
}

static const xc_frame_hh *frame_hh(const fixture *fx, const char *archive_no)
{
    for (size_t i = 0; i < fx->frame.n; i++)
        if (strcmp(fx->frame.v[i].archive_no, archive_no) == 0)
            return &fx->frame.v[i];
    fail_msg("household %s is not in the frame", archive_no);
    return NULL;
}

static void test_frame_reads_households_flags_and_as_of(void **state)
{
    fixture *fx = *state;
    write_run(fx);
    load_frame(fx);
    assert_int_equal(fx->frame.n, 4);
    assert_int_equal(fx->frame.left_out, 1);
    assert_int_equal(fx->frame.as_of, xc_date_from_ymd(2026, 6, 30));
    const xc_frame_hh *a1 = frame_hh(fx, "A1");
    assert_true(a1->flagged);
    assert_false(a1->exited);
    assert_string_equal(a1->rules, "VH-CAR");
    /* a summary's line break becomes a blank */
    assert_string_equal(a1->summaries, "VH-CAR：名下有小汽车 一辆");
    assert_string_equal(a1->others, "ID-LEGACY：十五位身份证号");
    assert_string_equal(a1->masked_id, "530102********0011");
    assert_string_equal(a1->region_name, "云南省昆明市五华区");
    const xc_frame_hh *a2 = frame_hh(fx, "A2");
    assert_false(a2->flagged);
    assert_string_equal(a2->rules, "");
    assert_true(frame_hh(fx, "A3")->exited);
    /* a rule raised twice is named once, each summary kept */
    const xc_frame_hh *a4 = frame_hh(fx, "A4");
    assert_string_equal(a4->rules, "HK-DECEASED");
    assert_string_equal(a4->summaries, "HK-DECEASED：成员已死亡；HK-DECEASED：另一成员已死亡");
}

static void expect_frame_error(fixture *fx, const char *file, const char *text)
{
    xc_frame_free(&fx->frame);
    int rc = xc_frame_load(fx->dir, &fx->frame, &fx->err);
    assert_true(rc < 0);
    /* 2026-12-02: a frame that failed on flags.csv still held the
     * households read before, for the caller to free. */
    assert_null(fx->frame.v);
    assert_int_equal(fx->frame.n, 0);
    if (!strstr(fx->err.msg, text))
        fail_msg("error \"%s\" does not say \"%s\"", fx->err.msg, text);
    assert_non_null(strstr(fx->err.where, file));
}

static void test_frame_errors_name_the_file_and_what_is_wrong(void **state)
{
    fixture *fx = *state;
    write_run(fx);
    write_text(fx, "households.csv",
               "archive_no,region_code,county,in_archive,exited,worker_name,masked_id\n"
               "A1,530102,五华区,maybe,no,张三,530102********0011\n");
    expect_frame_error(fx, "households.csv", "in_archive must be yes or no");
    assert_int_equal(fx->err.row, 2);
    write_text(fx, "households.csv", "archive_no,region_code\nA1,530102\n");
    expect_frame_error(fx, "households.csv", "has no column \"county\"");
    write_run(fx);
    write_text(fx, "flags.csv", "rule,archive_no\nVH-CAR,A1\n");
    expect_frame_error(fx, "flags.csv", "has no column \"category\"");
    write_text(fx, "summary.json", "{\"version\": \"0.1.0\"}\n");
    expect_frame_error(fx, "summary.json", "has no as_of date");
    assert_int_equal(remove(at(fx, "summary.json")), 0);
    expect_frame_error(fx, "summary.json", "cannot open");
}

/* Draws every household (size 10 per stratum) and writes the sample into
 * dir/sample. */
static void draw_and_write(fixture *fx)
{
    write_run(fx);
    load_frame(fx);
    xc_sample_opts o = {.seed = 7, .size = 10};
    assert_int_equal(xc_sample_draw(&fx->frame, &o, &fx->sample, &fx->err), XC_OK);
    char out[256];
    snprintf(out, sizeof out, "%s", at(fx, "sample"));
    int rc = xc_sample_write(&fx->frame, &fx->sample, fx->dir, out, &fx->err);
    if (rc != XC_OK)
        print_error("write: %s\n", fx->err.msg);
    assert_int_equal(rc, XC_OK);
}

static void test_sample_writes_the_drawn_households_and_strata(void **state)
{
    fixture *fx = *state;
    draw_and_write(fx);
    assert_int_equal(fx->sample.n_strata, 4);
    assert_int_equal(fx->sample.n_picked, 4);
    char *csv = read_back(at(fx, "sample/sample.csv"));
    assert_memory_equal(csv, "\xEF\xBB\xBF" XC_COL_STRATUM ",", 3 + strlen(XC_COL_STRATUM) + 1);
    assert_non_null(strstr(csv, "530102-在档-有疑点,1,1,530102,云南省昆明市五华区,在档,有疑点,A1,"
                                "张三,530102********0011,VH-CAR,VH-CAR：名下有小汽车 一辆,"
                                "ID-LEGACY：十五位身份证号,,,,,\n"));
    assert_non_null(strstr(csv, "530102-已退档-有疑点,1,1,"));
    assert_non_null(strstr(csv, ",A2,"));
    assert_null(strstr(csv, ",A5,"));                 /* neither in the archive nor exited */
    free(csv);
    char *strata = read_back(at(fx, "sample/sample-strata.csv"));
    assert_non_null(strstr(strata, "随机种子"));
    assert_non_null(strstr(strata, "530103-在档-有疑点,530103,云南省昆明市盘龙区,在档,有疑点,1,1,"
                                   "1.0000,7,分层随机抽样：每层 10 户（不足则全取）,2026-06-30,"));
    free(strata);
    char *xlsx = read_back(at(fx, "sample/sample.xlsx"));
    assert_memory_equal(xlsx, "PK\x03\x04", 4);         /* a zip container */
    free(xlsx);
    struct stat st;
    assert_int_equal(stat(at(fx, "sample/sample.csv"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
}

static void test_sample_by_share_says_its_method(void **state)
{
    fixture *fx = *state;
    write_run(fx);
    load_frame(fx);
    xc_sample_opts o = {.seed = 3, .share = 0.5, .min = 1};
    assert_int_equal(xc_sample_draw(&fx->frame, &o, &fx->sample, &fx->err), XC_OK);
    assert_int_equal(xc_sample_write(&fx->frame, &fx->sample, fx->dir, fx->dir, &fx->err),
                     XC_OK);
    char *strata = read_back(at(fx, "sample-strata.csv"));
    assert_non_null(strstr(strata, "分层随机抽样：每层 50%，至少 1 户（不足则全取）"));
    free(strata);
}

static void test_sample_into_an_unsafe_directory_is_refused(void **state)
{
    fixture *fx = *state;
    write_run(fx);
    load_frame(fx);
    xc_sample_opts o = {.seed = 1, .size = 1};
    assert_int_equal(xc_sample_draw(&fx->frame, &o, &fx->sample, &fx->err), XC_OK);
    assert_int_equal(mkdir(at(fx, "open"), 0777), 0);
    assert_int_equal(chmod(at(fx, "open"), 0777), 0);
    assert_int_equal(xc_sample_write(&fx->frame, &fx->sample, fx->dir, at(fx, "open"),
                                     &fx->err), XC_ECONFIG);
    assert_int_equal(access(at(fx, "open/sample.csv"), F_OK), -1);
}

/* sample.csv with outcomes filled in: A1 属实, A2 不属实 with a date, the
 * others left empty. */
static void fill_in(fixture *fx, const char *outcome_a1, const char *date_a2)
{
    char *csv = read_back(at(fx, "sample/sample.csv"));
    FILE *out = fopen(at(fx, "filled.csv"), "wb");
    assert_non_null(out);
    char *header = strtok(csv, "\n");
    assert_non_null(header);
    fprintf(out, "%s\n", header);
    for (char *line = strtok(NULL, "\n"); line; line = strtok(NULL, "\n")) {
        size_t n = strlen(line);
        assert_true(n > 5);
        assert_string_equal(line + n - 5, ",,,,,");    /* the visit's empty columns */
        line[n - 5] = '\0';
        if (strstr(line, ",A1,"))
            fprintf(out, "%s,%s,2026-07-01,孙八,,\n", line, outcome_a1);
        else if (strstr(line, ",A2,"))
            fprintf(out, "%s,不属实,%s,孙八,门口核实,\n", line, date_a2);
        else
            fprintf(out, "%s,,,,,\n", line);
    }
    assert_int_equal(fclose(out), 0);
    free(csv);
}

static void load_filled(fixture *fx)
{
    int rc = xc_verify_load(at(fx, "filled.csv"), &fx->verify, &fx->err);
    if (rc != XC_OK)
        print_error("verify: %s\n", fx->err.msg);
    assert_int_equal(rc, XC_OK);
}

static void test_verify_reads_the_outcomes_of_a_written_sample(void **state)
{
    fixture *fx = *state;
    draw_and_write(fx);
    fill_in(fx, "属实", "2026年7月2日");
    load_filled(fx);
    assert_int_equal(fx->verify.n_strata, 4);
    assert_int_equal(fx->verify.n_rows, 4);
    assert_int_equal(fx->verify.verified, 2);
    assert_int_equal(fx->verify.confirmed, 1);
    assert_int_equal(fx->verify.unverified, 2);
    assert_int_equal(fx->verify.missing, 0);
    assert_int_equal(fx->verify.n_rules, 3);
    assert_string_equal(fx->verify.rules[2].id, "VH-CAR");   /* by rule id */
    assert_int_equal(fx->verify.rules[2].verified, 1);
    assert_int_equal(fx->verify.rules[2].confirmed, 1);
    /* the flagged group: A1 confirmed out of the verified flagged ones */
    const xc_estimate *fl = &fx->verify.groups[XC_VG_FLAGGED];
    assert_int_equal(fl->verified, 1);
    assert_int_equal(fl->confirmed, 1);
    assert_int_equal(fx->verify.groups[XC_VG_UNFLAGGED].confirmed, 0);
    assert_int_equal(fx->verify.groups[XC_VG_UNFLAGGED].verified, 1);
    assert_int_equal(xc_verify_check_run(&fx->verify, fx->dir, &fx->err), XC_OK);
}

static void test_verify_reads_the_sample_workbook_it_wrote(void **state)
{
    fixture *fx = *state;
    draw_and_write(fx);
    int rc = xc_verify_load(at(fx, "sample/sample.xlsx"), &fx->verify, &fx->err);
    if (rc != XC_OK)
        print_error("verify: %s\n", fx->err.msg);
    assert_int_equal(rc, XC_OK);
    assert_int_equal(fx->verify.n_rows, 4);
    assert_int_equal(fx->verify.unverified, 4);
    assert_int_equal(fx->verify.verified, 0);
    assert_false(fx->verify.groups[XC_VG_ALL].estimated);
    assert_int_equal(xc_verify_check_run(&fx->verify, fx->dir, &fx->err), XC_OK);
}

static void test_verify_bad_outcome_or_date_names_the_line(void **state)
{
    fixture *fx = *state;
    draw_and_write(fx);
    fill_in(fx, "可能", "2026-07-02");
    assert_int_equal(xc_verify_load(at(fx, "filled.csv"), &fx->verify, &fx->err), XC_EINPUT);
    assert_non_null(strstr(fx->err.msg, "neither 属实 nor 不属实"));
    /* 2026-12-02: a sample that failed on a row still held the rows and
     * strata read before, for the caller to free. */
    assert_null(fx->verify.rows);
    assert_null(fx->verify.strata);
    fill_in(fx, "属实", "下周");
    assert_int_equal(xc_verify_load(at(fx, "filled.csv"), &fx->verify, &fx->err), XC_EINPUT);
    assert_non_null(strstr(fx->err.msg, "is not a date"));
    assert_string_equal(fx->err.field, XC_COL_DATE);
}

static void test_verify_against_another_run_is_refused(void **state)
{
    fixture *fx = *state;
    draw_and_write(fx);
    fill_in(fx, "属实", "2026-07-02");
    load_filled(fx);
    /* A2 left the archive in the other run: its stratum no longer matches */
    write_text(fx, "households.csv",
               "archive_no,region_code,county,in_archive,exited,worker_name,masked_id\n"
               "A1,530102,五华区,yes,no,张三,530102********0011\n"
               "A2,530102,五华区,no,yes,李四,530102********0022\n"
               "A3,530102,五华区,no,yes,王五,530102********0033\n"
               "A4,530103,盘龙区,yes,no,赵六,530103********0044\n");
    assert_int_equal(xc_verify_check_run(&fx->verify, fx->dir, &fx->err), XC_EINPUT);
    assert_non_null(strstr(fx->err.msg, "has 0 households in the run, not 1"));
    assert_non_null(strstr(fx->err.hint, fx->dir));
    /* the same strata, but A2 is gone and A6 stands in its place */
    write_text(fx, "households.csv",
               "archive_no,region_code,county,in_archive,exited,worker_name,masked_id\n"
               "A1,530102,五华区,yes,no,张三,530102********0011\n"
               "A6,530102,五华区,yes,no,李四,530102********0022\n"
               "A3,530102,五华区,no,yes,王五,530102********0033\n"
               "A4,530103,盘龙区,yes,no,赵六,530103********0044\n");
    assert_int_equal(xc_verify_check_run(&fx->verify, fx->dir, &fx->err), XC_EINPUT);
    assert_non_null(strstr(fx->err.msg, "household A2 is not in the run's frame"));
    /* no run there at all */
    assert_true(xc_verify_check_run(&fx->verify, at(fx, "nowhere"), &fx->err) < 0);
}

static void test_verify_csv_has_a_row_per_stratum_group_and_rule(void **state)
{
    fixture *fx = *state;
    draw_and_write(fx);
    fill_in(fx, "属实", "2026-07-02");
    load_filled(fx);
    assert_int_equal(xc_verify_write_csv(&fx->verify, at(fx, "verify.csv"), &fx->err), XC_OK);
    /* read back as a table: every row has the header's columns */
    xc_table *t;
    assert_int_equal(xc_table_read_csv(at(fx, "verify.csv"), &t, &fx->err), XC_OK);
    assert_int_equal(xc_table_cols(t), 19);
    assert_int_equal(xc_table_rows(t), 4 + XC_VG_COUNT + 3);
    int kind = xc_table_col(t, "kind"), key = xc_table_col(t, "key");
    int verified = xc_table_col(t, "verified"), confirmed = xc_table_col(t, "confirmed");
    int estimate = xc_table_col(t, "estimate"), group = xc_table_col(t, "group");
    assert_true(kind >= 0 && key >= 0 && verified >= 0 && confirmed >= 0 && estimate >= 0);
    size_t strata = 0, groups = 0, rules = 0;
    for (size_t r = 0; r < xc_table_rows(t); r++) {
        const char *k = xc_table_cell(t, r, kind), *name = xc_table_cell(t, r, key);
        if (strcmp(k, "stratum") == 0) {
            strata++;
            if (strcmp(name, "530102-在档-有疑点") == 0) {
                assert_string_equal(xc_table_cell(t, r, group), "in_archive");
                assert_string_equal(xc_table_cell(t, r, verified), "1");
                assert_string_equal(xc_table_cell(t, r, estimate), "1.000000");
            }
            if (strcmp(name, "530103-在档-有疑点") == 0)     /* nothing verified */
                assert_string_equal(xc_table_cell(t, r, estimate), "");
        } else if (strcmp(k, "group") == 0) {
            groups++;
            if (strcmp(name, "all") == 0) {
                assert_string_equal(xc_table_cell(t, r, verified), "2");
                assert_string_equal(xc_table_cell(t, r, confirmed), "1");
            }
        } else {
            assert_string_equal(k, "rule");
            rules++;
            if (strcmp(name, "VH-CAR") == 0)
                assert_string_equal(xc_table_cell(t, r, confirmed), "1");
        }
    }
    xc_table_free(t);
    assert_int_equal(strata, 4);
    assert_int_equal(groups, XC_VG_COUNT);
    assert_int_equal(rules, 3);
    for (int g = 0; g < XC_VG_COUNT; g++) {
        assert_non_null(xc_verify_group_name(g));
        assert_non_null(xc_verify_group_zh(g));
    }
    assert_string_equal(xc_verify_group_name(XC_VG_ALL), "all");
}

/* ---- filled-in samples that are not right ---- */

#define VERIFY_HEADER "层,层总户数,层样本数,类别,有无疑点,档案编号,疑点规则,核查结果,核查日期\n"

/* Loading a sample of the given rows must fail on line `line`, saying
 * text. */
static void expect_verify_error(fixture *fx, const char *rows, const char *text, long line)
{
    char *csv = malloc(strlen(VERIFY_HEADER) + strlen(rows) + 1);
    assert_non_null(csv);
    strcpy(csv, VERIFY_HEADER);
    strcat(csv, rows);
    write_text(fx, "bad.csv", csv);
    free(csv);
    xc_verify_free(&fx->verify);
    xc_err_clear(&fx->err);
    assert_int_equal(xc_verify_load(at(fx, "bad.csv"), &fx->verify, &fx->err), XC_EINPUT);
    if (!strstr(fx->err.msg, text))
        fail_msg("error \"%s\" does not say \"%s\"", fx->err.msg, text);
    assert_int_equal(fx->err.row, line);
}

static void test_verify_malformed_cells_name_the_line_and_column(void **state)
{
    fixture *fx = *state;
    expect_verify_error(fx, "S1,x,1,在档,有疑点,A1,VH-CAR,属实,\n",
                        "\"x\" is not a positive whole number", 2);
    assert_string_equal(fx->err.field, "层总户数");
    expect_verify_error(fx, "S1,2,0,在档,有疑点,A1,VH-CAR,属实,\n",
                        "\"0\" is not a positive whole number", 2);
    expect_verify_error(fx, "S1,2,-1,在档,有疑点,A1,VH-CAR,属实,\n", "not a positive", 2);
    expect_verify_error(fx, "S1,2,1,外地,有疑点,A1,VH-CAR,属实,\n",
                        "\"外地\" is neither 已退档 nor 在档", 2);
    expect_verify_error(fx, "S1,2,1,在档,也许,A1,VH-CAR,属实,\n",
                        "\"也许\" is neither 有疑点 nor 无疑点", 2);
    expect_verify_error(fx, "S1,2,3,在档,有疑点,A1,VH-CAR,属实,\n",
                        "3 is more than the stratum's households", 2);
    expect_verify_error(fx, ",2,1,在档,有疑点,A1,VH-CAR,属实,\n", "the stratum is empty", 2);
    expect_verify_error(fx, "S1,2,1,在档,有疑点,,VH-CAR,属实,\n", "the archive number is empty",
                        2);
    expect_verify_error(fx, "S1,2,2,在档,有疑点,A1,,属实,\nS1,3,2,在档,有疑点,A2,,,\n",
                        "differs from the stratum's first row (line 2)", 3);
    expect_verify_error(fx, "S1,2,2,在档,有疑点,A1,,属实,\nS1,2,2,已退档,有疑点,A2,,,\n",
                        "differs from the stratum's first row", 3);
    assert_string_equal(fx->err.field, "类别");
    expect_verify_error(fx, "S1,2,1,在档,有疑点,A1,,属实,\nS1,2,1,在档,有疑点,A2,,,\n",
                        "more rows in stratum S1 than its sample size", 3);
    expect_verify_error(fx, "S1,2,2,在档,有疑点,A1,,属实,\nS1,2,2,在档,有疑点,A1,,,\n",
                        "household A1 is also on line 2", 3);
    write_text(fx, "bad.csv", "层,档案编号\nS1,A1\n");
    xc_verify_free(&fx->verify);
    assert_int_equal(xc_verify_load(at(fx, "bad.csv"), &fx->verify, &fx->err), XC_EINPUT);
    assert_non_null(strstr(fx->err.msg, "has no column \"层总户数\""));
    assert_non_null(strstr(fx->err.hint, "xcheck sample"));
}

static void test_verify_counts_rules_however_they_are_separated(void **state)
{
    fixture *fx = *state;
    write_text(fx, "ok.csv", VERIFY_HEADER
               "S1,4.0,2,在档,有疑点,A1,VH-CAR；BZ-ROLE、HK-DECEASED,属实,2026-07-01\n"
               "S1,4,2,在档,有疑点,A2,\"VH-CAR, BZ-ROLE\",不属实,\n"
               "S2,3,1,已退档,无疑点,A3,,,\n");
    int rc = xc_verify_load(at(fx, "ok.csv"), &fx->verify, &fx->err);
    if (rc != XC_OK)
        print_error("%s\n", fx->err.msg);
    assert_int_equal(rc, XC_OK);
    assert_int_equal(fx->verify.n_strata, 2);
    assert_int_equal(fx->verify.strata[0].population, 4);     /* "4.0" read as 4 */
    assert_int_equal(fx->verify.n_rules, 3);
    assert_string_equal(fx->verify.rules[0].id, "BZ-ROLE");
    assert_int_equal(fx->verify.rules[0].rows, 2);
    assert_int_equal(fx->verify.rules[0].confirmed, 1);
    assert_string_equal(fx->verify.rules[1].id, "HK-DECEASED");
    assert_int_equal(fx->verify.rules[1].rows, 1);
    assert_string_equal(fx->verify.rules[2].id, "VH-CAR");
    assert_int_equal(fx->verify.rules[2].verified, 2);
    assert_int_equal(fx->verify.unverified, 1);
    assert_int_equal(fx->verify.missing, 0);
    assert_true(fx->verify.groups[XC_VG_EXITED].population == 3);
    assert_false(fx->verify.groups[XC_VG_EXITED].estimated);
}

/* ---- dates a visitor writes ---- */

static void expect_date(const char *s, int y, int m, int d)
{
    xc_date got;
    if (xc_table_date(s, &got) != 0)
        fail_msg("\"%s\" is not read as a date", s);
    assert_int_equal(got, xc_date_from_ymd(y, m, d));
}

static void test_table_date_reads_the_usual_spellings(void **state)
{
    (void)state;
    expect_date("2026-07-01", 2026, 7, 1);
    expect_date("2026/7/1", 2026, 7, 1);
    expect_date("2026.07.01", 2026, 7, 1);
    expect_date("2026年7月1日", 2026, 7, 1);
    expect_date("20260701", 2026, 7, 1);
    /* Excel's day numbers: 61 is 1900-03-01, 46204 is 2026-07-01 */
    expect_date("61", 1900, 3, 1);
    expect_date("46204", 2026, 7, 1);
    static const char *const bad[] = {"20261301", "2026-02-30", "60", "2026-07", "26-07-01",
                                      "2026-07-01x", "2026年7月", "", "下周", "2026-7-1日日"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        xc_date got;
        if (xc_table_date(bad[i], &got) == 0)
            fail_msg("\"%s\" is read as a date", bad[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_frame_reads_households_flags_and_as_of, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_frame_errors_name_the_file_and_what_is_wrong,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_sample_writes_the_drawn_households_and_strata,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_sample_by_share_says_its_method, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sample_into_an_unsafe_directory_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_verify_reads_the_outcomes_of_a_written_sample,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_reads_the_sample_workbook_it_wrote, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_verify_bad_outcome_or_date_names_the_line, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_verify_against_another_run_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_verify_csv_has_a_row_per_stratum_group_and_rule,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_malformed_cells_name_the_line_and_column,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify_counts_rules_however_they_are_separated,
                                        setup, teardown),
        cmocka_unit_test(test_table_date_reads_the_usual_spellings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
