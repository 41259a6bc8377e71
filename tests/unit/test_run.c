/* test_run.c - the run (scan and run.c through xc_run_execute) over the fake
 * connector: every row counted, parts, sources failing, planning input,
 * the connector's shared state, and its configuration keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_source.h"
#include "xcheck/config.h"
#include "xcheck/error.h"
#include "xcheck/run.h"
#include "xcheck/schema.h"
#include "xcheck/plugin/source.h"

/* Two households: four people, one of them in both. */
static const char *const hh_cols[] = {"archive_no", "worker_id", "worker_name", "region_code",
                                      "level", "status", "enrolled_on", "exited_on",
                                      "hardship_cause", NULL};
static const char *const hh1[] = {"KN-1", "530102197003120133", "张建国", "530102", "local",
                                  "active", "2020-01-15", NULL, "illness"};
static const char *const hh2[] = {"KN-2", "530102196811050247", "李秀英", "530102", "local",
                                  "active", "2021-03-01", NULL, NULL};
static const char *const *const hh_rows[] = {hh1, hh2};

static const char *const mb_cols[] = {"archive_no", "id_no", "name", "relation", NULL};
static const char *const mb1[] = {"KN-1", "530102197003120133", "张建国", "self"};
static const char *const mb2[] = {"KN-1", "530102197204080262", "王芳", "spouse"};
static const char *const mb3[] = {"KN-1", "530102200109150319", "张磊", "child"};
static const char *const mb4[] = {"KN-2", "530102196811050247", "李秀英", "self"};
static const char *const *const mb_rows[] = {mb1, mb2, mb3, mb4};

/* Seven hukou rows: four about the archive's people, two about others, one
 * with a status no value map knows (rejected). */
static const char *const hk_cols[] = {"id_no", "name", "region_code", "status", "status_on",
                                      NULL};
static const char *const hk1[] = {"530102197003120133", "张建国", "530102", "normal", NULL};
static const char *const hk2[] = {"530102198001010015", "赵一", "530102", "normal", NULL};
static const char *const hk3[] = {"530102197204080262", "王芳", "530102", "normal", NULL};
static const char *const hk4[] = {"530102199002020025", "钱二", "530102", "normal", NULL};
static const char *const hk5[] = {"530102200109150319", "张磊", "530102", "alive", NULL};
static const char *const hk6[] = {"530102196811050247", "李秀英", "530102", "normal", NULL};
static const char *const hk7[] = {"530102200109150319", "张磊", "530102", "moved_out",
                                  "2026-01-10"};
static const char *const *const hk_rows[] = {hk1, hk2, hk3, hk4, hk5, hk6, hk7};

static const xc_fake_table tables[] = {
    {"household", hh_cols, hh_rows, 2},
    {"member", mb_cols, mb_rows, 4},
    {"hukou", hk_cols, hk_rows, 7},
};

#define ARCHIVE                                                                            \
    "[run]\nas_of = 2026-06-30\n"                                                          \
    "[household]\nkind = fake\nrows = household\n"                                         \
    "field.archive_no = archive_no\nfield.worker_id = worker_id\n"                         \
    "field.worker_name = worker_name\nfield.region_code = region_code\n"                   \
    "field.level = level\nfield.status = status\nfield.enrolled_on = enrolled_on\n"        \
    "field.exited_on = exited_on\nfield.hardship_cause = hardship_cause\n"                 \
    "[member]\nkind = fake\nrows = member\n"                                               \
    "field.archive_no = archive_no\nfield.id_no = id_no\nfield.name = name\n"              \
    "field.relation = relation\n"

#define HUKOU                                                                              \
    "[hukou]\nkind = fake\nrows = hukou\nmax_rejects = 1\n"                                \
    "field.id_no = id_no\nfield.name = name\nfield.region_code = region_code\n"            \
    "field.status = status\nfield.status_on = status_on\n"

static int setup(void **state)
{
    (void)state;
    int rc = xc_fake_source_register();
    assert_true(rc == XC_OK || rc == XC_EXISTS);
    xc_fake_source_reset();
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        assert_int_equal(xc_fake_source_add(&tables[i]), XC_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    xc_fake_source_reset();
    return 0;
}

/* Runs the configuration text; returns the run's status, res and err
 * filled. */
static int run_text(const char *text, xc_run_result *res, xc_err *err)
{
    xc_config *cfg = NULL;
    xc_err_clear(err);
    assert_int_equal(xc_config_parse(text, "fake.ini", ".", &cfg, err), XC_OK);
    xc_run_opts opts = {.version = "test", .output = XC_TEST_DATA "/run-out",
                        .rules_dir = XC_RULES_DIR, .jobs = 2, .pushdown = -1};
    assert_int_equal(xc_date_parse_iso("2026-06-30", &opts.as_of), XC_OK);
    int rc = xc_run_execute(cfg, &opts, res, err);
    xc_config_free(cfg);
    return rc;
}

static void assert_counted(const xc_dataset_result *r, uint64_t read, uint64_t matched,
                           uint64_t unmatched, uint64_t rejected)
{
    assert_true(r->evaluated);
    assert_int_equal(r->counts.read, read);
    assert_int_equal(r->counts.matched, matched);
    assert_int_equal(r->counts.unmatched, unmatched);
    assert_int_equal(r->counts.rejected, rejected);
    assert_int_equal(r->counts.physical_rows, read);
}

static void test_run_counts_every_row_of_every_part(void **state)
{
    (void)state;
    static const char *const parts[] = {"", "parts = 3\n", "parts = 7\n"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        char text[4096];
        snprintf(text, sizeof text, ARCHIVE HUKOU "%s", parts[i]);
        xc_run_result res;
        xc_err err;
        assert_int_equal(run_text(text, &res, &err), XC_OK);
        assert_counted(&res.ds[XC_DS_HOUSEHOLD], 2, 2, 0, 0);
        assert_counted(&res.ds[XC_DS_MEMBER], 4, 4, 0, 0);
        assert_counted(&res.ds[XC_DS_HUKOU], 7, 4, 2, 1);
        assert_int_equal(res.ds[XC_DS_HUKOU].parts, i == 0 ? 1 : i == 1 ? 3 : 7);
        assert_int_equal(res.households, 2);
        assert_int_equal(res.persons, 4);
        xc_run_result_free(&res);
    }
}

static void test_run_plans_with_the_archive_keys(void **state)
{
    (void)state;
    xc_run_result res;
    xc_err err;
    assert_int_equal(run_text(ARCHIVE HUKOU "parts = 2\n", &res, &err), XC_OK);
    /* The archive is planned without keys and read whole; the reference
     * dataset with the archive's four ID numbers. */
    assert_string_equal(res.ds[XC_DS_HOUSEHOLD].strategy, "fake");
    assert_string_equal(res.ds[XC_DS_HOUSEHOLD].strategy_reason,
                        "0 keys offered, read whole, 1 parts");
    assert_string_equal(res.ds[XC_DS_HUKOU].strategy_reason, "4 keys offered, may filter, 2 parts");
    assert_string_equal(res.ds[XC_DS_HUKOU].where, "hukou");
    xc_fake_stats st = xc_fake_source_stats();
    assert_int_equal(st.plans, 3);
    assert_int_equal(st.opened, 1 + 1 + 2);
    /* One shared state for the run, freed with its sources. */
    assert_int_equal(st.shared_made, 1);
    assert_int_equal(st.shared_live, 0);
    xc_run_result_free(&res);
}

static void test_run_fails_naming_a_source_that_fails_mid_stream(void **state)
{
    (void)state;
    xc_run_result res;
    xc_err err;
    assert_int_equal(run_text(ARCHIVE HUKOU "parts = 2\nfail = row 2\n", &res, &err),
                     XC_ESOURCE);
    assert_non_null(strstr(err.msg, "dataset hukou (fake hukou (part "));
    assert_non_null(strstr(err.msg, "failed after 2 rows"));
    assert_int_equal(err.row, 2);
    assert_int_equal(xc_fake_source_stats().shared_live, 0);
    xc_run_result_free(&res);
}

static void test_run_fails_naming_an_archive_source_that_fails(void **state)
{
    (void)state;
    xc_run_result res;
    xc_err err;
    char text[4096];
    snprintf(text, sizeof text, "%s", ARCHIVE);
    /* member fails after its first row */
    strcat(text, "fail = row 1\n");
    assert_int_equal(run_text(text, &res, &err), XC_ESOURCE);
    assert_non_null(strstr(err.msg, "dataset member (fake member)"));
    xc_run_result_free(&res);
}

static void test_run_fails_when_a_source_cannot_be_opened(void **state)
{
    (void)state;
    xc_run_result res;
    xc_err err;
    assert_int_equal(run_text(ARCHIVE HUKOU "fail = open\n", &res, &err), XC_ESOURCE);
    assert_non_null(strstr(err.msg, "dataset hukou (fake hukou): cannot open part 1 of 1"));
    assert_string_equal(err.where, "hukou");
    assert_int_equal(xc_fake_source_stats().shared_live, 0);
    xc_run_result_free(&res);
}

static void test_run_fails_when_physical_rows_do_not_add_up(void **state)
{
    (void)state;
    xc_run_result res;
    xc_err err;
    assert_int_equal(run_text(ARCHIVE HUKOU "extra_rows = 2\n", &res, &err), XC_EINTERNAL);
    assert_non_null(strstr(err.msg, "row accounting of hukou does not add up: 9 physical rows, "
                                    "but read 7 + other lines 0"));
    xc_run_result_free(&res);
}

static void test_run_checks_every_source_before_reading(void **state)
{
    (void)state;
    xc_run_result res;
    xc_err err;
    /* a column the table lacks, in the last dataset: nothing is opened */
    assert_int_equal(run_text(ARCHIVE HUKOU "[property]\nkind = fake\nrows = hukou\n"
                              "field.id_no = id_no\nfield.cert_no = cert\nfield.usage = u\n"
                              "field.area_m2 = a\nfield.region_code = region_code\n"
                              "field.registered_on = r\nfield.cancelled_on = c\n", &res, &err),
                     XC_EINPUT);
    assert_non_null(strstr(err.msg, "has no column \"cert\" for field cert_no"));
    assert_int_equal(xc_fake_source_stats().opened, 0);
    xc_run_result_free(&res);
}

/* ---- the connector's keys in the configuration -------------------------- */

static void expect_config_error(const char *text, long line, const char *key, const char *says)
{
    xc_config *cfg = NULL;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_config_parse(text, "fake.ini", ".", &cfg, &err), XC_ECONFIG);
    assert_null(cfg);
    assert_int_equal(err.row, line);
    assert_string_equal(err.field, key);
    if (!strstr(err.msg, says))
        fail_msg("\"%s\" does not say \"%s\"", err.msg, says);
}

static void test_run_config_hands_keys_to_the_connector_of_the_kind(void **state)
{
    (void)state;
    /* ARCHIVE is lines 1-21; HUKOU, lines 22-30 */
    expect_config_error(ARCHIVE HUKOU "parts = 0\n", 31, "parts", "[hukou] parts: '0' is not "
                        "from 1 to 64");
    expect_config_error(ARCHIVE HUKOU "parts = 2\nparts = 3\n", 32, "parts", "given twice, on "
                        "line 31 and here");
    /* a key given before kind is still the kind's */
    expect_config_error(ARCHIVE "[hukou]\nfail = never\nkind = fake\nrows = hukou\n", 23,
                        "fail", "is not open or row <n>");
    /* the connector's own check, on the section's line */
    expect_config_error(ARCHIVE "[hukou]\nkind = fake\nfield.id_no = id_no\n", 22, "rows",
                        "a fake source needs 'rows'");
    /* another kind's key, on its own line */
    expect_config_error(ARCHIVE "[hukou]\npath = hukou.csv\nrows = hukou\n", 24, "rows",
                        "'rows' is for kind = fake");
    expect_config_error(ARCHIVE HUKOU "table = gongan.hukou\n", 31, "table",
                        "'table' is for kind = postgres");
    /* 2026-12-02: of several keys of another kind, the one reported was the
     * first in the connectors' own order, on the section's line, not the
     * first in the file */
    expect_config_error(ARCHIVE HUKOU "pushdown = on\ndatabase = x\n", 31, "pushdown",
                        "'pushdown' is for kind = postgres");
    /* a registered kind is a kind like the built-in ones */
    expect_config_error(ARCHIVE "[hukou]\nkind = fakes\n", 23, "kind",
                        "not a source kind (file, postgres, fake)");
    expect_config_error(ARCHIVE "[hukou]\nkind = fakes\nfield.nothing = x\n", 23, "kind",
                        "not a source kind");
    expect_config_error(ARCHIVE "[hukou]\nkind = fake\nrowz = hukou\n", 24, "rowz",
                        "(known: kind, path, table, query, database, pushdown, rows, parts, "
                        "fail, extra_rows, delimiter");
}

static void test_run_registry_refuses_a_kind_twice_or_a_wrong_abi(void **state)
{
    (void)state;
    assert_int_equal(xc_fake_source_register(), XC_EXISTS);
    const xc_source_ops *fake = xc_source_find("fake");
    assert_non_null(fake);
    xc_source_ops other = *fake;
    other.kind = "other";
    other.abi = XC_SOURCE_ABI + 1;
    assert_int_equal(xc_source_register(&other), XC_EINTERNAL);
    other.abi = XC_SOURCE_ABI;
    other.next = NULL;
    assert_int_equal(xc_source_register(&other), XC_EINTERNAL);
    assert_null(xc_source_find("other"));
    assert_string_equal(xc_source_at(0)->kind, "file");
    assert_ptr_equal(xc_source_key_owner("rows"), fake);
    assert_ptr_equal(xc_source_key_owner("path"), xc_source_find("file"));
    assert_null(xc_source_key_owner("delimiter"));
    /* 2026-12-02: a connector could claim a key every dataset section
     * takes (delimiter, field.<f>...) or another kind's, and every section
     * of another kind giving it then failed as "for kind = ..." */
    static const char *const general[] = {"delimiter", NULL}, *const fields[] = {"field.x", NULL},
                             *const theirs[] = {"path", NULL}, *const kind[] = {"kind", NULL};
    const char *const *bad[] = {general, fields, theirs, kind};
    other.next = fake->next;
    other.keys = NULL;
    assert_int_equal(xc_source_check(&other), XC_OK);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        other.keys = bad[i];
        assert_int_equal(xc_source_check(&other), XC_EINTERNAL);
        assert_int_equal(xc_source_register(&other), XC_EINTERNAL);
    }
    assert_null(xc_source_find("other"));
    /* the built-in connectors and the fake one pass the same check */
    for (int c = 0; xc_source_at(c); c++)
        assert_int_equal(xc_source_check(xc_source_at(c)), XC_OK);
}

/* ---- several sources of one dataset: key prefixes ------------------------ */

/* [hukou] of kind postgres, lines 22-28, then the text given. */
#define PG_HUKOU                                                                           \
    "[hukou]\nkind = postgres\nfield.id_no = id_no\nfield.name = name\n"                   \
    "field.region_code = region_code\nfield.status = status\n"                              \
    "field.status_on = status_on\n"

static void test_run_config_names_the_line_and_key_of_a_bad_source(void **state)
{
    (void)state;
    /* PG_HUKOU ends on line 28 */
    expect_config_error(ARCHIVE PG_HUKOU "table = t\nsource.a.database = x\n"
                        "source.a.database = y\n", 31, "source.a.database",
                        "given twice, on line 30 and here");
    expect_config_error(ARCHIVE PG_HUKOU "table = t\nsource.a.host = x\n", 30,
                        "source.a.host", "not a source key");
    expect_config_error(ARCHIVE PG_HUKOU "table = t\nsource.a b.table = x\n", 30,
                        "source.a b.table", "not a source key");
    expect_config_error(ARCHIVE PG_HUKOU "table = t\nsource..table = x\n", 30,
                        "source..table", "not a source key");
    expect_config_error(ARCHIVE PG_HUKOU "table = t\nsource.a.table =\n", 30,
                        "source.a.table", "empty value");
    /* the whole section's checks, on the section's line */
    expect_config_error(ARCHIVE PG_HUKOU "source.a.database = x\n", 22, "source.a.table",
                        "source a: needs a table or a query");
    expect_config_error(ARCHIVE PG_HUKOU "source.a.table = t\nsource.a.query = SELECT 1\n",
                        22, "source.a.query", "give 'table' or 'query', not both");
    expect_config_error(ARCHIVE PG_HUKOU "table = t\nsource.a.database = x\n"
                        "source.b.database = x\n", 22, "source.b",
                        "sources a and b read the same from the same database");
    /* a prefix of another kind, on its own line */
    expect_config_error(ARCHIVE HUKOU "source.a.table = t\n", 31, "source.a.table",
                        "'source.a.table' is for kind = postgres");
    expect_config_error(ARCHIVE "[hukou]\nkind = fake\nrowz = hukou\n", 24, "rowz",
                        "format.<f>, source.<...>)");
}

static void test_run_registry_refuses_a_key_prefix_that_is_not_its_own(void **state)
{
    (void)state;
    const xc_source_ops *fake = xc_source_find("fake");
    xc_source_ops other = *fake;
    other.kind = "other";
    other.keys = NULL;
    assert_ptr_equal(xc_source_key_owner("source.x.table"), xc_source_find("postgres"));
    assert_true(xc_source_key_prefixed(xc_source_find("postgres"), "source.x.table"));
    assert_false(xc_source_key_prefixed(fake, "source.x.table"));
    /* without a dot, a section's own prefix, inside one, another kind's
     * prefix or key, or one taking another kind's in */
    static const char *const nodot[] = {"src", NULL}, *const field[] = {"field.", NULL},
                             *const in_field[] = {"field.x.", NULL},
                             *const map[] = {"ma.", NULL}, *const theirs[] = {"source.", NULL},
                             *const inside[] = {"source.x.", NULL},
                             *const outer[] = {"s.", NULL}, *const empty[] = {".", NULL};
    const char *const *bad[] = {nodot, field, in_field, theirs, inside, empty};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        other.key_prefixes = bad[i];
        assert_int_equal(xc_source_check(&other), XC_EINTERNAL);
    }
    /* "s." would take postgres's "source." in only if it started with it */
    other.key_prefixes = outer;
    assert_int_equal(xc_source_check(&other), XC_OK);
    other.key_prefixes = map;
    assert_int_equal(xc_source_check(&other), XC_OK);
    /* prefixes need conf_key */
    other.conf_key = NULL;
    assert_int_equal(xc_source_check(&other), XC_EINTERNAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_run_counts_every_row_of_every_part, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_plans_with_the_archive_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_fails_naming_a_source_that_fails_mid_stream,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_fails_naming_an_archive_source_that_fails,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_fails_when_a_source_cannot_be_opened, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_run_fails_when_physical_rows_do_not_add_up, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_run_checks_every_source_before_reading, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_run_config_hands_keys_to_the_connector_of_the_kind,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_registry_refuses_a_kind_twice_or_a_wrong_abi,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_config_names_the_line_and_key_of_a_bad_source,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_run_registry_refuses_a_key_prefix_that_is_not_its_own, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
