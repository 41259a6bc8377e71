/* test_file_set.c - a dataset of many files: `path` as a glob or a list,
 * expanded in a stable order, every file checked before any data is read,
 * and each file read as a part of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "file.h"
#include "scratch.h"
#include "xcheck/config.h"
#include "xcheck/error.h"
#include "xcheck/ingest.h"
#include "xcheck/plugin/source.h"
#include "xcheck/run.h"

#define HOUSEHOLD_SECTION                      \
    "[household]\n"                            \
    "path = household.csv\n"                   \
    "field.archive_no = archive_no\n"          \
    "field.worker_id = worker_id\n"            \
    "field.worker_name = worker_name\n"        \
    "field.region_code = region_code\n"        \
    "field.level = level\n"                    \
    "field.status = status\n"                  \
    "field.enrolled_on = enrolled_on\n"        \
    "field.exited_on = exited_on\n"            \
    "field.hardship_cause = hardship_cause\n"

#define MEMBER_FIELDS                          \
    "field.archive_no = archive_no\n"          \
    "field.id_no = id_no\n"                    \
    "field.name = name\n"                      \
    "field.relation = relation\n"

#define MEMBER_HEADER "archive_no,id_no,name,relation\n"
#define MEMBER_ROW "A1,11010519491231002X,张三,self\n"

typedef struct fixture {
    char dir[64];
    xc_config *cfg;
    xc_source_env env;
    xc_source_run run;
    xc_source_plan *plan;
    char **paths;
    size_t n_paths;
    xc_err err;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    if (xc_scratch_make(fx->dir, sizeof fx->dir, "file_set") < 0) {
        free(fx);
        return -1;
    }
    fx->env.database = "";
    fx->run.env = &fx->env;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    xc_source_plan_free(fx->plan);
    xc_source_run_free(&fx->run);
    xc_file_paths_free(fx->paths, fx->n_paths);
    xc_config_free(fx->cfg);
    int rc = xc_scratch_remove(fx->dir);
    free(fx);
    return rc;
}

static void write_text(const fixture *fx, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", fx->dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

static void write_gzip(const fixture *fx, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", fx->dir, name);
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, text, (unsigned)strlen(text)), (int)strlen(text));
    assert_int_equal(gzclose(gz), Z_OK);
}

/* Parses a configuration whose [member] section is HOUSEHOLD_SECTION's
 * companion with `path = <path>` (basedir: the scratch directory, or
 * `sub` under it); returns the parse status. */
static int parse_in(fixture *fx, const char *sub, const char *path)
{
    char text[2048], dir[256];
    snprintf(text, sizeof text, "%s[member]\npath = %s\n%s", HOUSEHOLD_SECTION, path,
             MEMBER_FIELDS);
    snprintf(dir, sizeof dir, "%s%s%s", fx->dir, sub ? "/" : "", sub ? sub : "");
    xc_config_free(fx->cfg);
    fx->cfg = NULL;
    return xc_config_parse(text, "test.ini", dir, &fx->cfg, &fx->err);
}

static const xc_binding *member_of(fixture *fx, const char *path)
{
    int rc = parse_in(fx, NULL, path);
    if (rc != XC_OK)
        print_error("configuration: %s\n", fx->err.msg);
    assert_int_equal(rc, XC_OK);
    return &fx->cfg->ds[XC_DS_MEMBER];
}

/* The name of path under the scratch directory. */
static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ---- expansion ---------------------------------------------------------- */

static void test_file_set_glob_is_sorted_by_name_in_byte_order(void **state)
{
    fixture *fx = *state;
    const char *names[] = {"m-b.csv", "m-10.csv", "m-2.csv", "m-B.csv", "other.csv"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        write_text(fx, names[i], MEMBER_HEADER);
    const xc_binding *b = member_of(fx, "m-*.csv");
    assert_int_equal(xc_file_expand(b, &fx->paths, &fx->n_paths, &fx->err), XC_OK);
    assert_int_equal(fx->n_paths, 4);
    const char *want[] = {"m-10.csv", "m-2.csv", "m-B.csv", "m-b.csv"};
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(base_of(fx->paths[i]), want[i]);
}

static void test_file_set_list_keeps_its_order_and_sorts_each_glob(void **state)
{
    fixture *fx = *state;
    write_text(fx, "z.csv", MEMBER_HEADER);
    write_text(fx, "a-2.csv", MEMBER_HEADER);
    write_text(fx, "a-1.csv", MEMBER_HEADER);
    const xc_binding *b = member_of(fx, "z.csv , a-*.csv");
    assert_int_equal(xc_file_expand(b, &fx->paths, &fx->n_paths, &fx->err), XC_OK);
    assert_int_equal(fx->n_paths, 3);
    assert_string_equal(base_of(fx->paths[0]), "z.csv");
    assert_string_equal(base_of(fx->paths[1]), "a-1.csv");
    assert_string_equal(base_of(fx->paths[2]), "a-2.csv");
    /* relative to the configuration's directory */
    assert_memory_equal(fx->paths[0], fx->dir, strlen(fx->dir));
}

static void test_file_set_glob_matching_nothing_names_the_pattern(void **state)
{
    fixture *fx = *state;
    const xc_binding *b = member_of(fx, "exports/sbjf-*.csv.gz");
    assert_int_equal(xc_file_expand(b, &fx->paths, &fx->n_paths, &fx->err), XC_EIO);
    assert_non_null(strstr(fx->err.msg, "exports/sbjf-*.csv.gz"));
    assert_non_null(strstr(fx->err.msg, "matches no file"));
}

static void test_file_set_file_named_twice_is_an_error(void **state)
{
    fixture *fx = *state;
    write_text(fx, "m-1.csv", MEMBER_HEADER);
    const xc_binding *b = member_of(fx, "m-1.csv, m-*.csv");
    assert_int_equal(xc_file_expand(b, &fx->paths, &fx->n_paths, &fx->err), XC_ECONFIG);
    assert_non_null(strstr(fx->err.msg, "m-1.csv\" twice"));
}

static void test_file_set_empty_entry_is_a_configuration_error(void **state)
{
    fixture *fx = *state;
    assert_int_equal(parse_in(fx, NULL, "a.csv,,b.csv"), XC_ECONFIG);
    assert_non_null(strstr(fx->err.msg, "empty entry"));
}

static void test_file_set_path_on_two_lines_stays_an_error(void **state)
{
    fixture *fx = *state;
    char text[2048];
    snprintf(text, sizeof text, "%s[member]\npath = a.csv\npath = b.csv\n%s",
             HOUSEHOLD_SECTION, MEMBER_FIELDS);
    assert_int_equal(xc_config_parse(text, "test.ini", fx->dir, &fx->cfg, &fx->err),
                     XC_ECONFIG);
    assert_non_null(strstr(fx->err.msg, "path"));
}

static void test_file_set_directory_wildcards_are_not_the_patterns(void **state)
{
    fixture *fx = *state;
    char sub[256];
    snprintf(sub, sizeof sub, "%s/d[1]", fx->dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    write_text(fx, "d[1]/m-1.csv", MEMBER_HEADER);
    assert_int_equal(parse_in(fx, "d[1]", "m-*.csv"), XC_OK);
    const xc_binding *b = &fx->cfg->ds[XC_DS_MEMBER];
    assert_int_equal(xc_file_expand(b, &fx->paths, &fx->n_paths, &fx->err), XC_OK);
    assert_int_equal(fx->n_paths, 1);
    assert_string_equal(base_of(fx->paths[0]), "m-1.csv");
    assert_non_null(strstr(fx->paths[0], "/d[1]/"));
}

/* ---- the checks up front ------------------------------------------------ */

static int prepare(fixture *fx, const char *path)
{
    const xc_binding *b = member_of(fx, path);
    return xc_source_prepare(&fx->run, b, &fx->plan, &fx->err);
}

static void test_file_set_header_differing_fails_naming_the_file_and_column(void **state)
{
    fixture *fx = *state;
    write_text(fx, "m-1.csv", MEMBER_HEADER MEMBER_ROW);
    write_gzip(fx, "m-2.csv.gz", MEMBER_HEADER MEMBER_ROW);
    write_text(fx, "m-3.csv", "archive_no,id_no,relation,name\n" MEMBER_ROW);
    assert_int_equal(prepare(fx, "m-*"), XC_EINPUT);
    assert_non_null(strstr(fx->err.msg, "m-3.csv\""));
    assert_non_null(strstr(fx->err.msg, "column 3 is \"relation\""));
    assert_non_null(strstr(fx->err.msg, "\"name\""));
    assert_null(fx->plan);
}

static void test_file_set_extra_column_fails_naming_the_first_difference(void **state)
{
    fixture *fx = *state;
    write_text(fx, "m-1.csv", MEMBER_HEADER);
    write_text(fx, "m-2.csv", "archive_no,id_no,name,relation,note\n");
    assert_int_equal(prepare(fx, "m-*.csv"), XC_EINPUT);
    assert_non_null(strstr(fx->err.msg, "m-2.csv\""));
    assert_non_null(strstr(fx->err.msg, "5 columns"));
    assert_non_null(strstr(fx->err.detail, "\"note\""));
}

static void test_file_set_mapped_column_missing_in_a_later_file_is_named(void **state)
{
    fixture *fx = *state;
    write_text(fx, "m-1.csv", MEMBER_HEADER);
    write_text(fx, "m-2.csv", "archive_no,id_number,name,relation\n");
    assert_int_equal(prepare(fx, "m-*.csv"), XC_EINPUT);
    assert_non_null(strstr(fx->err.msg, "m-2.csv\""));
    assert_non_null(strstr(fx->err.msg, "\"id_no\""));
}

static void test_file_set_missing_or_empty_file_fails_before_any_is_read(void **state)
{
    fixture *fx = *state;
    write_text(fx, "m-1.csv", MEMBER_HEADER);
    assert_int_equal(prepare(fx, "m-1.csv, m-9.csv"), XC_EIO);
    assert_non_null(strstr(fx->err.msg, "m-9.csv"));
    write_text(fx, "m-2.csv", "");
    assert_int_equal(prepare(fx, "m-*.csv"), XC_EINPUT);
    assert_non_null(strstr(fx->err.msg, "m-2.csv\" is empty"));
}

static void test_file_set_each_file_is_a_part_counted_on_its_own(void **state)
{
    fixture *fx = *state;
    write_text(fx, "m-1.csv", MEMBER_HEADER MEMBER_ROW MEMBER_ROW);
    write_gzip(fx, "m-2.csv.gz", MEMBER_HEADER "\n" MEMBER_ROW);
    write_text(fx, "m-3.csv", MEMBER_HEADER MEMBER_ROW "A2,1,2,3,4\n" MEMBER_ROW);
    assert_int_equal(prepare(fx, "m-*"), XC_OK);
    assert_true(xc_source_plans(fx->plan));
    xc_source_plan_in in = {.jobs = 2};
    assert_int_equal(xc_source_decide(fx->plan, &in, &fx->err), XC_OK);
    assert_int_equal(fx->plan->parts, 3);
    assert_int_equal(xc_source_count(fx->plan), 3);
    const uint64_t want_rows[] = {2, 1, 3}, want_lines[] = {3, 3, 4};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(xc_source_of_part(fx->plan, k), k);
        xc_source_ctx ctx = {.part = k, .parts = 3, .plan = fx->plan};
        xc_ingest *part = NULL;
        assert_int_equal(xc_ingest_open_part(fx->plan->binding, &ctx, 20260630, NULL, &part,
                                             &fx->err), XC_OK);
        xc_record rec;
        int rc;
        while ((rc = xc_ingest_next(part, &rec, &fx->err)) == XC_OK)
            xc_ingest_count(part, true);
        assert_int_equal(rc, XC_DONE);
        assert_int_equal(xc_ingest_finish(part, &fx->err), XC_OK);
        const xc_counts *c = xc_ingest_counts(part);
        assert_int_equal(c->read, want_rows[k]);
        assert_int_equal(c->physical_rows, want_lines[k]);
        assert_int_equal(c->rejected, k == 2 ? 1 : 0);
        assert_string_equal(base_of(xc_source_label(fx->plan, k)),
                            k == 0 ? "m-1.csv" : k == 1 ? "m-2.csv.gz" : "m-3.csv");
        assert_string_equal(xc_ingest_where(part), xc_source_label(fx->plan, k));
        xc_ingest_close(part);
    }
    xc_source_record rec;
    xc_source_record_of(fx->plan, &rec);
    assert_non_null(strstr(rec.where, "m-*"));
}

/* A file changed between the check and its reading is still checked: the
 * header is read again when the part is opened. */
static void test_file_set_file_damaged_after_the_check_fails_when_read(void **state)
{
    fixture *fx = *state;
    write_text(fx, "m-1.csv", MEMBER_HEADER MEMBER_ROW);
    write_text(fx, "m-2.csv", MEMBER_HEADER MEMBER_ROW);
    assert_int_equal(prepare(fx, "m-*.csv"), XC_OK);
    xc_source_plan_in in = {.jobs = 2};
    assert_int_equal(xc_source_decide(fx->plan, &in, &fx->err), XC_OK);
    write_text(fx, "m-2.csv", "archive_no\n");
    xc_source_ctx ctx = {.part = 1, .parts = 2, .plan = fx->plan};
    xc_source *src = NULL;
    assert_int_equal(xc_source_open_part(fx->plan->binding, &ctx, &src, &fx->err), XC_OK);
    xc_raw_row row;
    assert_int_equal(xc_source_next(src, &row, &fx->err), XC_EINPUT);
    assert_non_null(strstr(fx->err.msg, "m-2.csv"));
    xc_source_close(src);
}


/* ---- a run over datasets of several files ------------------------------- */

#define HH_HEADER "archive_no,worker_id,worker_name,region_code,level,status,enrolled_on," \
                  "exited_on,hardship_cause\n"
#define HH_1 "KN1,530111198907101227,杨桂佳,530111,local,active,2018-12-06,,illness\n"
#define HH_2 "KN2,53038119961004115X,袁红辉,530381,local,active,2016-08-21,,illness\n"
#define HH_3 "KN3,530111201812101456,叶忠,530111,local,active,2019-01-02,,illness\n"
#define HK_HEADER "id_no,name,region_code,status,status_on\n"

static void test_file_set_run_accounts_for_every_file(void **state)
{
    fixture *fx = *state;
    /* household in two files, the second's KN3 without members */
    write_text(fx, "hh-1.csv", HH_HEADER HH_1);
    write_gzip(fx, "hh-2.csv.gz", HH_HEADER HH_2 HH_3);
    write_text(fx, "mb.csv", MEMBER_HEADER "KN1,530111198907101227,杨桂佳,self\n"
                             "KN2,53038119961004115X,袁红辉,self\n");
    /* hukou in three files: matched, unmatched, a rejected row */
    write_text(fx, "hk-a.csv", HK_HEADER "530111198907101227,杨桂佳,530111,normal,\n");
    write_text(fx, "hk-b.csv", HK_HEADER "532221193607064679,宋林海,532521,normal,\n"
                               "53038119961004115X,袁红辉,530381,normal,\n");
    write_gzip(fx, "hk-c.csv.gz", HK_HEADER "1234,nobody,530111,normal,\n\n");
    char text[4096];
    snprintf(text, sizeof text, "[run]\nas_of = 2026-06-30\n"
             "[household]\npath = hh-*\nmax_rejects = 0\n"
             "field.archive_no = archive_no\nfield.worker_id = worker_id\n"
             "field.worker_name = worker_name\nfield.region_code = region_code\n"
             "field.level = level\nfield.status = status\nfield.enrolled_on = enrolled_on\n"
             "field.exited_on = exited_on\nfield.hardship_cause = hardship_cause\n"
             "[member]\npath = mb.csv\n%s"
             "[hukou]\npath = hk-a.csv, hk-[bc].*\nmax_rejects = 1\nexported = 2026-06-30\n"
             "field.id_no = id_no\nfield.name = name\nfield.region_code = region_code\n"
             "field.status = status\nfield.status_on = status_on\n", MEMBER_FIELDS);
    assert_int_equal(xc_config_parse(text, "test.ini", fx->dir, &fx->cfg, &fx->err), XC_OK);
    char out[256];
    snprintf(out, sizeof out, "%s/out", fx->dir);
    xc_run_opts opts = {.version = "test", .output = out, .rules_dir = XC_RULES_DIR,
                        .jobs = 2, .pushdown = -1};
    assert_int_equal(xc_date_parse_iso("2026-06-30", &opts.as_of), XC_OK);
    xc_run_result res;
    int rc = xc_run_execute(fx->cfg, &opts, &res, &fx->err);
    if (rc != XC_OK)
        print_error("run: %s\n", fx->err.msg);
    assert_int_equal(rc, XC_OK);

    const xc_dataset_result *hh = &res.ds[XC_DS_HOUSEHOLD];
    assert_int_equal(hh->n_sources, 2);
    assert_int_equal(hh->parts, 2);
    assert_string_equal(base_of(hh->sources[0].label), "hh-1.csv");
    assert_int_equal(hh->sources[0].counts.matched, 1);
    assert_int_equal(hh->sources[0].counts.unmatched, 0);
    /* KN3, no member row joined it: unmatched, in the file it came from */
    assert_int_equal(hh->sources[1].counts.read, 2);
    assert_int_equal(hh->sources[1].counts.matched, 1);
    assert_int_equal(hh->sources[1].counts.unmatched, 1);
    assert_int_equal(hh->counts.unmatched, 1);

    const xc_dataset_result *mb = &res.ds[XC_DS_MEMBER];
    assert_int_equal(mb->n_sources, 1);
    assert_string_equal(mb->sources[0].label, mb->where);

    const xc_dataset_result *hk = &res.ds[XC_DS_HUKOU];
    assert_int_equal(hk->n_sources, 3);
    assert_non_null(strstr(hk->where, "hk-a.csv, "));
    const char *names[] = {"hk-a.csv", "hk-b.csv", "hk-c.csv.gz"};
    const uint64_t matched[] = {1, 1, 0}, unmatched[] = {0, 1, 0}, rejected[] = {0, 0, 1},
                   physical[] = {2, 3, 3};
    xc_counts sum = {0};
    for (int i = 0; i < 3; i++) {
        const xc_counts *c = &hk->sources[i].counts;
        assert_string_equal(base_of(hk->sources[i].label), names[i]);
        assert_int_equal(c->matched, matched[i]);
        assert_int_equal(c->unmatched, unmatched[i]);
        assert_int_equal(c->rejected, rejected[i]);
        assert_int_equal(c->physical_rows, physical[i]);
        assert_int_equal(c->read, c->matched + c->unmatched + c->rejected);
        assert_int_equal(c->physical_rows, c->read + c->other_lines);
        sum.read += c->read;
        sum.physical_rows += c->physical_rows;
        sum.other_lines += c->other_lines;
    }
    assert_int_equal(sum.read, hk->counts.read);
    assert_int_equal(sum.physical_rows, hk->counts.physical_rows);
    assert_int_equal(sum.other_lines, hk->counts.other_lines);
    xc_run_result_free(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_file_set_glob_is_sorted_by_name_in_byte_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_set_list_keeps_its_order_and_sorts_each_glob, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_set_glob_matching_nothing_names_the_pattern, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_set_file_named_twice_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_set_empty_entry_is_a_configuration_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_set_path_on_two_lines_stays_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_set_directory_wildcards_are_not_the_patterns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_set_header_differing_fails_naming_the_file_and_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_set_extra_column_fails_naming_the_first_difference, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_set_mapped_column_missing_in_a_later_file_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_set_missing_or_empty_file_fails_before_any_is_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_set_each_file_is_a_part_counted_on_its_own, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_set_file_damaged_after_the_check_fails_when_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_set_run_accounts_for_every_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
