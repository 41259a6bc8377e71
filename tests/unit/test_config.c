/* test_config.c - loading and checking the run configuration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "pg.h"
#include "xcheck/config.h"
#include "xcheck/run.h"
#include "xcheck/date.h"
#include "xcheck/error.h"
#include "xcheck/schema.h"
#include "xcheck/plugin/source.h"

/* The two sections every configuration needs: 11 and 6 lines. */
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

#define MEMBER_SECTION                         \
    "[member]\n"                               \
    "path = member.csv\n"                      \
    "field.archive_no = archive_no\n"          \
    "field.id_no = id_no\n"                    \
    "field.name = name\n"                      \
    "field.relation = relation\n"

#define ARCHIVE_SECTIONS HOUSEHOLD_SECTION MEMBER_SECTION

/* A complete [hukou] section after which a test adds its own keys: 6 lines. */
#define HUKOU_SECTION                          \
    "[hukou]\n"                                \
    "path = hukou.csv\n"                       \
    "field.id_no = id_no\n"                    \
    "field.name = name\n"                      \
    "field.region_code = region_code\n"        \
    "field.status = status\n"

static int parse(const char *text, xc_config **cfg, xc_err *err)
{
    *cfg = NULL;
    xc_err_clear(err);
    return xc_config_parse(text, "test.ini", "/base", cfg, err);
}

/* Parses text, which must fail with XC_ECONFIG on `line` for `key`. */
static void expect_config_error(const char *text, long line, const char *key)
{
    xc_config *cfg;
    xc_err err;
    int rc = parse(text, &cfg, &err);
    if (rc != XC_ECONFIG)
        print_error("unexpected result %d (%s) for:\n%s\n", rc, err.msg, text);
    assert_int_equal(rc, XC_ECONFIG);
    assert_int_equal(err.code, XC_ECONFIG);
    assert_null(cfg);
    if (err.row != line)
        print_error("error on line %ld (%s), not %ld\n", err.row, err.msg, line);
    assert_int_equal(err.row, line);
    assert_string_equal(err.field, key);
    assert_string_equal(err.where, "test.ini");
    char prefix[64];
    snprintf(prefix, sizeof prefix, "test.ini:%ld: ", line);
    assert_memory_equal(err.msg, prefix, strlen(prefix));
}

/* Parses text, which must succeed. */
static xc_config *parse_ok(const char *text)
{
    xc_config *cfg;
    xc_err err;
    int rc = parse(text, &cfg, &err);
    if (rc != XC_OK)
        print_error("unexpected error %d: %s\n", rc, err.msg);
    assert_int_equal(rc, XC_OK);
    assert_non_null(cfg);
    return cfg;
}

static void test_config_parses_a_complete_configuration(void **state)
{
    (void)state;
    static const char text[] =
        "; a run configuration\n"                          /* 1 */
        "[run]\n"                                          /* 2 */
        "as_of   = 2026-06-30\n"                           /* 3 */
        "profile = strict\n"                               /* 4 */
        "output  = out/run1\n"                             /* 5 */
        "\n"                                               /* 6 */
        ARCHIVE_SECTIONS                                   /* 7-23 */
        "[hukou]\n"                                        /* 24 */
        "kind      = file\n"                               /* 25 */
        "path      = data/hukou.txt.gz\n"                  /* 26 */
        "delimiter = tab\n"                                /* 27 */
        "quote     = none\n"                               /* 28 */
        "header    = false\n"                              /* 29 */
        "encoding  = gb18030\n"                            /* 30 */
        "null      = NULL, \\N ,-\n"                       /* 31 */
        "field.id_no       = 1\n"                          /* 32 */
        "field.name        = 2\n"                          /* 33 */
        "field.region_code = 3\n"                          /* 34 */
        "field.status      = 4\n"                          /* 35 */
        "field.status_on   = 5\n"                          /* 36 */
        "map.status.1      = deceased\n"                   /* 37 */
        "map.status.0      = Normal    ; a comment\n"      /* 38 */
        "format.status_on  = YYYYMMDD\n"                   /* 39 */
        "[social_insurance]\n"                             /* 40 */
        "path      = /data/si.csv\n"
        "delimiter = pipe\n"
        "quote     = '\n"
        "encoding  = GBK\n"
        "field.id_no  = 公民身份号码 ; the column name\n"
        "field.month  = 月份\n"
        "field.kind   = 类型\n"
        "field.amount = 金额\n"
        "format.month = YYYYMM\n"
        "[vehicle]\n"
        "path      = vehicle.csv\n"
        "delimiter = semicolon\n"
        "header    = yes\n"
        "field.id_no = id\n"
        "field.plate = plate\n"
        "field.kind = kind\n"
        "field.registered_on = registered_on\n"
        "field.deregistered_on = deregistered_on\n"
        "[property]\n"
        "path      = property.csv\n"
        "delimiter = |\n"
        "field.id_no = id\n"
        "field.cert_no = cert\n"
        "field.usage = usage\n"
        "field.area_m2 = area\n"
        "field.region_code = region\n"
        "field.registered_on = on\n"
        "field.cancelled_on = off\n";
    xc_config *cfg = parse_ok(text);

    assert_string_equal(cfg->path, "test.ini");
    assert_string_equal(cfg->dir, "/base");
    assert_true(cfg->as_of_set);
    assert_int_equal(cfg->as_of, xc_date_from_ymd(2026, 6, 30));
    assert_string_equal(cfg->profile, "strict");
    assert_string_equal(cfg->output, "/base/out/run1");

    const xc_binding *hh = &cfg->ds[XC_DS_HOUSEHOLD];
    assert_true(hh->configured);
    assert_ptr_equal(hh->ds, xc_dataset(XC_DS_HOUSEHOLD));
    assert_int_equal(hh->line, 7);
    assert_string_equal(hh->source->kind, "file");
    assert_string_equal(xc_file_path(hh), "/base/household.csv");
    assert_int_equal(hh->delimiter, ',');
    assert_int_equal(hh->quote, '"');
    assert_true(hh->header);
    assert_int_equal(hh->encoding, XC_ENC_UTF8);
    assert_int_equal(hh->n_nulls, 0);
    assert_string_equal(hh->field[XC_HH_ARCHIVE_NO].column, "archive_no");
    assert_int_equal(hh->field[XC_HH_ARCHIVE_NO].line, 9);
    assert_null(hh->field[XC_HH_CADRE_ID].column);
    assert_false(hh->field[XC_HH_ENROLLED_ON].has_format);

    assert_int_equal(cfg->ds[XC_DS_MEMBER].line, 18);
    assert_false(cfg->ds[XC_DS_PAYMENT].configured);
    assert_false(cfg->ds[XC_DS_DIBAO_STANDARD].configured);

    const xc_binding *hk = &cfg->ds[XC_DS_HUKOU];
    assert_true(hk->configured);
    assert_int_equal(hk->line, 24);
    assert_string_equal(hk->source->kind, "file");
    assert_string_equal(xc_file_path(hk), "/base/data/hukou.txt.gz");
    assert_int_equal(hk->delimiter, '\t');
    assert_int_equal(hk->quote, 0);
    assert_false(hk->header);
    assert_int_equal(hk->encoding, XC_ENC_GB18030);
    assert_int_equal(hk->n_nulls, 3);
    assert_string_equal(hk->nulls[0], "NULL");
    assert_string_equal(hk->nulls[1], "\\N");
    assert_string_equal(hk->nulls[2], "-");
    static const int col_no[] = {1, 2, 3, 4, 5};
    for (int f = XC_HK_ID_NO; f <= XC_HK_STATUS_ON; f++) {
        assert_int_equal(hk->field[f].column_no, col_no[f]);
        assert_int_equal(hk->field[f].line, 32 + f);
    }
    assert_string_equal(hk->field[XC_HK_STATUS].column, "4");

    const xc_field_binding *st = &hk->field[XC_HK_STATUS];
    const xc_field_def *st_def = &xc_dataset(XC_DS_HUKOU)->fields[XC_HK_STATUS];
    assert_int_equal(st->n_map, 2);
    assert_string_equal(st->map[0].raw, "1");
    assert_int_equal(st->map[0].value, xc_field_value(st_def, "deceased", 8));
    assert_int_equal(st->map[0].value, 1);
    assert_string_equal(st->map[1].raw, "0");
    assert_int_equal(st->map[1].value, 0);

    const xc_field_binding *on = &hk->field[XC_HK_STATUS_ON];
    assert_true(on->has_format);
    xc_date d;
    assert_int_equal(xc_datefmt_parse(&on->format, "20240305", 8, &d), 0);
    assert_int_equal(d, xc_date_from_ymd(2024, 3, 5));
    assert_int_equal(xc_datefmt_parse(&on->format, "2024-03-05", 10, &d), -1);

    const xc_binding *si = &cfg->ds[XC_DS_SOCIAL_INSURANCE];
    assert_string_equal(xc_file_path(si), "/data/si.csv");
    assert_int_equal(si->delimiter, '|');
    assert_int_equal(si->quote, '\'');
    assert_int_equal(si->encoding, XC_ENC_GB18030);
    assert_true(si->header);
    assert_string_equal(si->field[XC_SI_ID_NO].column, "公民身份号码");
    assert_string_equal(si->field[XC_SI_MONTH].column, "月份");
    assert_null(si->field[XC_SI_EMPLOYER].column);
    assert_true(si->field[XC_SI_MONTH].has_format);
    assert_int_equal(xc_datefmt_parse(&si->field[XC_SI_MONTH].format, "202402", 6, &d), 0);
    assert_int_equal(d, xc_date_from_ymd(2024, 2, 1));

    assert_int_equal(cfg->ds[XC_DS_VEHICLE].delimiter, ';');
    assert_true(cfg->ds[XC_DS_VEHICLE].header);
    assert_int_equal(cfg->ds[XC_DS_PROPERTY].delimiter, '|');

    xc_config_free(cfg);
}

static void test_config_leaves_run_settings_unset_when_absent(void **state)
{
    (void)state;
    xc_config *cfg = parse_ok(ARCHIVE_SECTIONS);
    assert_false(cfg->as_of_set);
    assert_null(cfg->profile);
    assert_null(cfg->output);
    for (int d = XC_DS_CONTACT; d < XC_DS_COUNT; d++)
        assert_false(cfg->ds[d].configured);
    xc_config_free(cfg);
}

static void test_config_accepts_every_delimiter_name(void **state)
{
    (void)state;
    static const struct { const char *spec; char want; } cases[] = {
        {"tab", '\t'}, {"TAB", '\t'}, {"\\t", '\t'}, {"comma", ','}, {",", ','},
        {"semicolon", ';'}, {"pipe", '|'}, {"|", '|'}, {"space", ' '}, {"#", '#'},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, ARCHIVE_SECTIONS HUKOU_SECTION
                 "field.status_on = status_on\ndelimiter = %s\n", cases[i].spec);
        xc_config *cfg = parse_ok(text);
        assert_int_equal(cfg->ds[XC_DS_HUKOU].delimiter, cases[i].want);
        xc_config_free(cfg);
    }
}

static void test_config_accepts_every_encoding_name(void **state)
{
    (void)state;
    static const struct { const char *spec; xc_encoding want; } cases[] = {
        {"utf-8", XC_ENC_UTF8}, {"UTF8", XC_ENC_UTF8}, {"gb18030", XC_ENC_GB18030},
        {"GBK", XC_ENC_GB18030}, {"gb2312", XC_ENC_GB18030}, {"cp936", XC_ENC_GB18030},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, ARCHIVE_SECTIONS HUKOU_SECTION
                 "field.status_on = status_on\nencoding = %s\n", cases[i].spec);
        xc_config *cfg = parse_ok(text);
        assert_int_equal(cfg->ds[XC_DS_HUKOU].encoding, cases[i].want);
        xc_config_free(cfg);
    }
}

static void test_config_parses_a_line_longer_than_200_characters(void **state)
{
    (void)state;
    char column[301];
    memset(column, 'c', 300);
    column[300] = '\0';
    char nulls[1200] = "";
    for (int i = 0; i < 100; i++)
        snprintf(nulls + strlen(nulls), sizeof nulls - strlen(nulls), "%sN%03d",
                 i ? ", " : "", i);
    assert_true(strlen(nulls) > 500);
    char text[4096];
    snprintf(text, sizeof text,
             ARCHIVE_SECTIONS                          /* 1-17 */
             "[hukou]\n"                               /* 18 */
             "path = hukou.csv\n"                      /* 19 */
             "null = %s\n"                             /* 20 */
             "field.id_no = %s\n"                      /* 21 */
             "field.name = name\n"                     /* 22 */
             "field.region_code = region_code\n"       /* 23 */
             "field.status = status\n"                 /* 24 */
             "field.status_on = status_on\n",          /* 25 */
             nulls, column);
    xc_config *cfg = parse_ok(text);
    const xc_binding *hk = &cfg->ds[XC_DS_HUKOU];
    assert_int_equal(hk->n_nulls, 100);
    assert_string_equal(hk->nulls[0], "N000");
    assert_string_equal(hk->nulls[99], "N099");
    assert_string_equal(hk->field[XC_HK_ID_NO].column, column);
    assert_int_equal(hk->field[XC_HK_ID_NO].line, 21);
    assert_int_equal(hk->field[XC_HK_NAME].line, 22);
    assert_int_equal(hk->field[XC_HK_STATUS_ON].line, 25);
    xc_config_free(cfg);

    /* Lines after long ones are still counted right in errors. */
    strcat(text, "colour = blue\n");                   /* 26 */
    expect_config_error(text, 26, "colour");
}

static void test_config_parses_a_file_with_byte_order_mark_and_crlf(void **state)
{
    (void)state;
    static const char text[] =
        "\xEF\xBB\xBF[household]\r\n"
        "path = household.csv\r\n"
        "field.archive_no = 档案编号\r\n"
        "field.worker_id = worker_id\r\n"
        "field.worker_name = worker_name\r\n"
        "field.region_code = region_code\r\n"
        "field.level = level\r\n"
        "field.status = status\r\n"
        "field.enrolled_on = enrolled_on\r\n"
        "field.exited_on = exited_on\r\n"
        "field.hardship_cause = hardship_cause\r\n"
        "map.status.1 = active\r\n"
        "[member]\r\n"
        "path = member.csv\r\n"
        "field.archive_no = archive_no\r\n"
        "field.id_no = id_no\r\n"
        "field.name = name\r\n"
        "field.relation = relation\r\n";
    xc_config *cfg = parse_ok(text);
    const xc_binding *hh = &cfg->ds[XC_DS_HOUSEHOLD];
    assert_true(hh->configured);
    assert_int_equal(hh->line, 1);
    assert_string_equal(xc_file_path(hh), "/base/household.csv");
    assert_string_equal(hh->field[XC_HH_ARCHIVE_NO].column, "档案编号");
    assert_string_equal(hh->field[XC_HH_STATUS].map[0].raw, "1");
    assert_int_equal(cfg->ds[XC_DS_MEMBER].line, 13);
    assert_string_equal(cfg->ds[XC_DS_MEMBER].field[XC_MB_RELATION].column, "relation");
    xc_config_free(cfg);
}

static void test_config_rejects_unknown_key_in_a_dataset_section(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
                        "field.status_on = status_on\n"  /* 24 */
                        "delimeter = ;\n",               /* 25 */
                        25, "delimeter");
}

static void test_config_rejects_unknown_key_in_run(void **state)
{
    (void)state;
    expect_config_error("[run]\n"
                        "as_of = 2026-06-30\n"
                        "outptu = out\n"
                        ARCHIVE_SECTIONS,
                        3, "outptu");
}

static void test_config_rejects_unknown_section(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS                  /* 1-17 */
                        "\n"                              /* 18 */
                        "[houkou]\n"                      /* 19 */
                        "path = hukou.csv\n",
                        19, "houkou");
}

static void test_config_rejects_key_outside_any_section(void **state)
{
    (void)state;
    expect_config_error("; settings\n"
                        "as_of = 2026-06-30\n"
                        ARCHIVE_SECTIONS,
                        2, "as_of");
}

static void test_config_rejects_unmapped_required_field_at_the_section_line(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS                  /* 1-17 */
                        "[hukou]\n"                       /* 18 */
                        "path = hukou.csv\n"
                        "field.id_no = id_no\n"
                        "field.name = name\n"
                        "field.region_code = region_code\n"
                        "field.status_on = status_on\n",
                        18, "status");
}

/* 2026-12-02: household.hardship_cause had to be mapped although no rule
 * reads it; a field nothing reads may be left out. */
static void test_config_accepts_an_archive_without_hardship_cause(void **state)
{
    (void)state;
    xc_config *cfg = parse_ok("[household]\n"
                              "path = household.csv\n"
                              "field.archive_no = archive_no\n"
                              "field.worker_id = worker_id\n"
                              "field.worker_name = worker_name\n"
                              "field.region_code = region_code\n"
                              "field.level = level\n"
                              "field.status = status\n"
                              "field.enrolled_on = enrolled_on\n"
                              "field.exited_on = exited_on\n" MEMBER_SECTION);
    assert_null(cfg->ds[XC_DS_HOUSEHOLD].field[XC_HH_HARDSHIP_CAUSE].column);
    xc_config_free(cfg);
}

static void test_config_accepts_social_insurance_without_kind(void **state)
{
    (void)state;
    xc_config *cfg = parse_ok(ARCHIVE_SECTIONS "[social_insurance]\n"
                              "path = si.csv\n"
                              "field.id_no = id_no\n"
                              "field.month = month\n"
                              "field.amount = amount\n");
    assert_true(cfg->ds[XC_DS_SOCIAL_INSURANCE].configured);
    xc_config_free(cfg);
}

static void test_config_names_the_rules_that_read_an_unmapped_field(void **state)
{
    (void)state;
    xc_config *cfg;
    xc_err err;
    int rc = parse(ARCHIVE_SECTIONS "[hukou]\n"
                   "path = hukou.csv\n"
                   "field.id_no = id_no\n"
                   "field.name = name\n"
                   "field.region_code = region_code\n"
                   "field.status_on = status_on\n", &cfg, &err);
    assert_int_equal(rc, XC_ECONFIG);
    assert_non_null(strstr(err.msg, "'status'"));
    assert_non_null(strstr(err.msg, "HK-DECEASED"));
    assert_non_null(strstr(err.msg, "field.status"));
}

/* A dataset no evaluated rule needs (dibao_standard without social
 * insurance: the income rules need both) is read, but only its link is
 * required. */
static void test_config_requires_only_the_link_of_a_dataset_no_rule_needs(void **state)
{
    (void)state;
    xc_config *cfg = parse_ok(ARCHIVE_SECTIONS "[dibao_standard]\n"
                              "path = dibao.csv\n"
                              "field.region_code = region_code\n");
    xc_config_free(cfg);
    expect_config_error(ARCHIVE_SECTIONS                  /* 1-17 */
                        "[dibao_standard]\n"              /* 18 */
                        "path = dibao.csv\n"
                        "field.effective_from = effective_from\n",
                        18, "region_code");
}

static void test_config_rejects_unmapped_nullable_field(void **state)
{
    (void)state;
    /* status_on may be empty in a row, but it must still be mapped. */
    expect_config_error("[run]\n"
                        HUKOU_SECTION                     /* 2-7 */
                        ARCHIVE_SECTIONS,
                        2, "status_on");
}

static void test_config_rejects_value_map_to_unknown_logical_value(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
                        "field.status_on = status_on\n"  /* 24 */
                        "map.status.1 = deceased\n"      /* 25 */
                        "map.status.2 = dead\n",         /* 26 */
                        26, "map.status.2");
}

static void test_config_rejects_value_map_on_a_field_that_is_not_coded(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
                        "field.status_on = status_on\n"  /* 24 */
                        "map.name.x = normal\n",         /* 25 */
                        25, "map.name.x");
}

static void test_config_rejects_value_map_without_a_raw_value(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
                        "map.status = normal\n",         /* 24 */
                        24, "map.status");
}

static void test_config_rejects_value_mapped_twice(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
                        "map.status.1 = deceased\n"      /* 24 */
                        "map.status.1 = normal\n",       /* 25 */
                        25, "map.status.1");
}

static void test_config_rejects_format_on_a_field_that_is_not_a_date(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
                        "field.status_on = status_on\n"  /* 24 */
                        "format.status = YYYYMMDD\n",    /* 25 */
                        25, "format.status");
}

static void test_config_rejects_a_bad_date_format(void **state)
{
    (void)state;
    static const char *const bad[] = {"YY-MM-DD", "YYYY-DD", "DD*MM", "YYYY*MMDD",
                                      "YYYYMMDD|YYYY/M/D|YYYY-MM-DD|YYYY.MM.DD|YYYY MM DD"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
                 "field.status_on = status_on\n"                      /* 24 */
                 "format.status_on = %s\n", bad[i]);                  /* 25 */
        expect_config_error(text, 25, "format.status_on");
    }
}

static void test_config_rejects_date_format_without_day_for_a_date_field(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
                        "field.status_on = status_on\n"  /* 24 */
                        "format.status_on = YYYYMMDD|YYYY-MM\n",  /* 25 */
                        25, "format.status_on");
}

static void test_config_accepts_date_format_without_day_for_a_month_field(void **state)
{
    (void)state;
    xc_config *cfg = parse_ok(ARCHIVE_SECTIONS
                              "[social_insurance]\n"
                              "path = si.csv\n"
                              "field.id_no = id\n"
                              "field.month = month\n"
                              "field.kind = kind\n"
                              "field.amount = amount\n"
                              "format.month = YYYY/M|YYYYMM\n");
    const xc_field_binding *fb = &cfg->ds[XC_DS_SOCIAL_INSURANCE].field[XC_SI_MONTH];
    assert_true(fb->has_format);
    assert_int_equal(fb->format.n_alt, 2);
    xc_date d;
    assert_int_equal(xc_datefmt_parse(&fb->format, "2024/7", 6, &d), 0);
    assert_int_equal(d, xc_date_from_ymd(2024, 7, 1));
    xc_config_free(cfg);
}

static void test_config_rejects_bad_as_of(void **state)
{
    (void)state;
    static const char *const bad[] = {"2026-02-30", "30.06.2026", "20260630", "2026-6-30",
                                      "today"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, "[run]\nprofile = default\nas_of = %s\n"
                 ARCHIVE_SECTIONS, bad[i]);
        expect_config_error(text, 3, "as_of");
    }
}

static void test_config_rejects_bad_delimiter(void **state)
{
    (void)state;
    static const char *const bad[] = {"tabs", ",,", "\"", "; after a blank: a comment"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
                 "delimiter = %s\n", bad[i]);                         /* 24 */
        expect_config_error(text, 24, "delimiter");
    }
}

static void test_config_rejects_bad_quote(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
                        "quote = double\n",              /* 24 */
                        24, "quote");
}

static void test_config_rejects_bad_header_value(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
                        "header = maybe\n",              /* 24 */
                        24, "header");
}

static void test_config_rejects_bad_encoding(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
                        "encoding = latin1\n",           /* 24 */
                        24, "encoding");
}

static void test_config_rejects_unknown_source_kind(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
                        "kind = oracle\n",               /* 24 */
                        24, "kind");
}

static void test_config_rejects_duplicate_field_mapping(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
                        "field.status_on = status_on\n"  /* 24 */
                        "field.name = 姓名\n",           /* 25 */
                        25, "field.name");
}

static void test_config_rejects_mapping_of_unknown_field(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
                        "field.birthday = birthday\n",   /* 24 */
                        24, "field.birthday");
}

static void test_config_rejects_empty_column_name(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
                        "field.status_on =\n",           /* 24 */
                        24, "field.status_on");
}

static void test_config_rejects_duplicate_section(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS                  /* 1-17 */
                        "[household]\n"                   /* 18 */
                        "path = other.csv\n",
                        18, "household");
}

static void test_config_rejects_duplicate_run_section(void **state)
{
    (void)state;
    expect_config_error("[run]\n"
                        "as_of = 2026-06-30\n"
                        ARCHIVE_SECTIONS                  /* 3-19 */
                        "[run]\n",                        /* 20 */
                        20, "run");
}

static void test_config_rejects_non_numeric_column_when_header_is_false(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS                  /* 1-17 */
                        "[hukou]\n"                       /* 18 */
                        "path = hukou.csv\n"              /* 19 */
                        "header = false\n"                /* 20 */
                        "field.id_no = 1\n"               /* 21 */
                        "field.name = 2\n"                /* 22 */
                        "field.region_code = third\n"     /* 23 */
                        "field.status = 4\n"              /* 24 */
                        "field.status_on = 5\n",          /* 25 */
                        23, "field.region_code");
    expect_config_error(ARCHIVE_SECTIONS                  /* 1-17 */
                        "[hukou]\n"                       /* 18 */
                        "path = hukou.csv\n"              /* 19 */
                        "header = false\n"                /* 20 */
                        "field.id_no = 1\n"               /* 21 */
                        "field.name = 2\n"                /* 22 */
                        "field.region_code = 3\n"         /* 23 */
                        "field.status = 4\n"              /* 24 */
                        "field.status_on = 0\n",          /* 25 */
                        25, "field.status_on");
}

static void test_config_rejects_missing_household_section(void **state)
{
    (void)state;
    expect_config_error("[run]\nas_of = 2026-06-30\n" MEMBER_SECTION, 0, "household");
}

static void test_config_rejects_missing_member_section(void **state)
{
    (void)state;
    expect_config_error(HOUSEHOLD_SECTION, 0, "member");
}

#define PG_HUKOU_FIELDS "field.id_no = id_no\nfield.name = name\n" \
    "field.region_code = region_code\nfield.status = status\nfield.status_on = status_on\n"

static void test_config_reads_postgres_sources(void **state)
{
    (void)state;
    xc_config *cfg = NULL;
    xc_err err;
    assert_int_equal(parse("[run]\ndatabase = postgresql://audit@db.example/province\n"
                           "results = dbname=results\n"
                           ARCHIVE_SECTIONS
                           "[hukou]\nkind = postgres\ntable = gongan.hukou\npushdown = off\n"
                           PG_HUKOU_FIELDS
                           "[property]\nkind = postgres\ndatabase = service=fangchan\n"
                           "query = SELECT * FROM fc.reg WHERE valid\n"
                           "field.id_no = a\nfield.cert_no = b\nfield.usage = c\n"
                           "field.area_m2 = d\nfield.region_code = e\n"
                           "field.registered_on = f\nfield.cancelled_on = g\n", &cfg, &err),
                     XC_OK);
    assert_string_equal(cfg->database, "postgresql://audit@db.example/province");
    assert_string_equal(cfg->results, "dbname=results");
    const xc_binding *hk = &cfg->ds[XC_DS_HUKOU];
    assert_string_equal(hk->source->kind, "postgres");
    assert_string_equal(xc_pg_conf_of(hk)->table, "gongan.hukou");
    assert_null(xc_pg_conf_of(hk)->query);
    assert_null(xc_pg_conf_of(hk)->database);
    assert_int_equal(xc_pg_conf_of(hk)->pushdown, XC_PUSHDOWN_OFF);
    const xc_binding *pr = &cfg->ds[XC_DS_PROPERTY];
    assert_string_equal(xc_pg_conf_of(pr)->query, "SELECT * FROM fc.reg WHERE valid");
    assert_string_equal(xc_pg_conf_of(pr)->database, "service=fangchan");
    assert_int_equal(xc_pg_conf_of(pr)->pushdown, XC_PUSHDOWN_AUTO);
    xc_config_free(cfg);
}

static void test_config_rejects_postgres_sources_without_one_table_or_query(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS "[hukou]\nkind = postgres\n" PG_HUKOU_FIELDS,
                        18, "table");
    expect_config_error(ARCHIVE_SECTIONS "[hukou]\nkind = postgres\ntable = a\nquery = SELECT 1\n"
                        PG_HUKOU_FIELDS, 18, "table");
    /* a key of another kind: on its own line */
    expect_config_error(ARCHIVE_SECTIONS "[hukou]\nkind = postgres\ntable = a\npath = x.csv\n"
                        PG_HUKOU_FIELDS, 21, "path");
    expect_config_error(ARCHIVE_SECTIONS "[hukou]\npath = x.csv\ntable = a\n" PG_HUKOU_FIELDS,
                        20, "table");
    expect_config_error(ARCHIVE_SECTIONS "[hukou]\nkind = postgres\ntable = a\n"
                        "pushdown = sometimes\n" PG_HUKOU_FIELDS, 21, "pushdown");
}

static void test_config_rejects_file_source_without_path(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS                  /* 1-17 */
                        "[hukou]\n"                       /* 18 */
                        "kind = file\n"
                        "field.id_no = id_no\n"
                        "field.name = name\n"
                        "field.region_code = region_code\n"
                        "field.status = status\n"
                        "field.status_on = status_on\n",
                        18, "path");
}

static void test_config_rejects_a_line_that_is_not_a_key(void **state)
{
    (void)state;
    xc_config *cfg;
    xc_err err;
    assert_int_equal(parse(ARCHIVE_SECTIONS "just some words\n", &cfg, &err), XC_ECONFIG);
    assert_null(cfg);
    assert_int_equal(err.row, 18);
    assert_non_null(strstr(err.msg, "test.ini:18: "));

    /* It is the first error even when later lines have errors of their own. */
    assert_int_equal(parse(ARCHIVE_SECTIONS "just some words\nfield.name = again\n", &cfg,
                           &err), XC_ECONFIG);
    assert_int_equal(err.row, 18);
    assert_non_null(strstr(err.msg, "test.ini:18: "));
}

static void test_config_rejects_a_section_line_without_closing_bracket(void **state)
{
    (void)state;
    xc_config *cfg;
    xc_err err;
    assert_int_equal(parse(ARCHIVE_SECTIONS "[hukou\nfield.name = name\n", &cfg, &err),
                     XC_ECONFIG);
    assert_null(cfg);
    assert_int_equal(err.row, 18);
    assert_string_equal(err.field, "");
    assert_null(strchr(err.msg, '\n'));
    assert_null(strchr(err.field, '\n'));
    assert_non_null(strstr(err.msg, "test.ini:18: "));
}

static void test_config_reports_only_the_first_error(void **state)
{
    (void)state;
    expect_config_error("[run]\n"
                        "colour = blue\n"                 /* 2 */
                        "flavour = sweet\n"               /* 3 */
                        "[nowhere]\n",                    /* 4 */
                        2, "colour");
}

/* Parses text, which must fail with XC_ECONFIG on `line` for `key`, with a
 * message that contains `says` (NULL: anything) and a hint. */
static void expect_config_error_saying(const char *text, long line, const char *key,
                                       const char *says)
{
    expect_config_error(text, line, key);
    xc_config *cfg;
    xc_err err;
    parse(text, &cfg, &err);
    if (says && !strstr(err.msg, says))
        print_error("message \"%s\" does not say \"%s\"\n", err.msg, says);
    if (says)
        assert_non_null(strstr(err.msg, says));
    assert_true(err.hint[0] != '\0');
}

/* 2026-12-02: a lock held by another session made a run wait for ever;
 * [run] lock_timeout bounds every wait, 60 s unless given. */
static void test_config_reads_lock_timeout_with_its_unit(void **state)
{
    (void)state;
    xc_config *cfg = parse_ok(ARCHIVE_SECTIONS);
    assert_int_equal(cfg->lock_timeout_ms, 60000);
    assert_int_equal(cfg->lock_timeout_ms, XC_LOCK_TIMEOUT_DEFAULT_MS);
    xc_config_free(cfg);
    static const struct { const char *text; long ms; } good[] = {
        {"60s", 60000}, {"2", 2000}, {"2 s", 2000}, {"500ms", 500}, {"3min", 180000},
        {"0", 0}, {"0s", 0}, {"2147483ms", 2147483},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, "[run]\nlock_timeout = %s\n" ARCHIVE_SECTIONS, good[i].text);
        cfg = parse_ok(text);
        if (cfg->lock_timeout_ms != good[i].ms)
            fail_msg("lock_timeout = %s: %ld ms", good[i].text, cfg->lock_timeout_ms);
        xc_config_free(cfg);
    }
    static const char *const bad[] = {"soon", "-1", "1.5s", "10h", "60 seconds", "s",
                                      "99999999999", "2147484s"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[1024];
        snprintf(text, sizeof text, "[run]\nlock_timeout = %s\n" ARCHIVE_SECTIONS, bad[i]);
        expect_config_error_saying(text, 2, "lock_timeout", "is not a time");
    }
}

/* [run] region limits the run to an area; [report] visits_by_cadre splits the
 * visit list per cadre. */
static void test_config_reads_region_and_visits_by_cadre(void **state)
{
    (void)state;
    xc_config *cfg = parse_ok(ARCHIVE_SECTIONS);
    assert_int_equal(cfg->region_digits, 0);
    assert_int_equal(cfg->visits_by_cadre, XC_VISITS_BY_CADRE_NONE);
    xc_config_free(cfg);
    cfg = parse_ok("[run]\nregion = 530100\n[report]\nvisits_by_cadre = file\n" ARCHIVE_SECTIONS);
    assert_int_equal(cfg->region_digits, 4);
    assert_int_equal(cfg->region, 5301);
    assert_int_equal(cfg->visits_by_cadre, XC_VISITS_BY_CADRE_FILE);
    xc_config_free(cfg);
    cfg = parse_ok("[run]\nregion = 530102\n[report]\nvisits_by_cadre = sheet\n" ARCHIVE_SECTIONS);
    assert_int_equal(cfg->region_digits, 6);
    assert_int_equal(cfg->region, 530102);
    assert_int_equal(cfg->visits_by_cadre, XC_VISITS_BY_CADRE_SHEET);
    xc_config_free(cfg);
    expect_config_error_saying("[run]\nregion = 5301x\n" ARCHIVE_SECTIONS, 2, "region",
                               "is not a region code of 2, 4 or 6 digits");
    expect_config_error_saying("[run]\nregion = 530\n" ARCHIVE_SECTIONS, 2, "region",
                               "is not a region code");
    expect_config_error_saying("[report]\nvisits_by_cadre = files\n" ARCHIVE_SECTIONS, 2,
                               "visits_by_cadre", "is not sheet, file or none");
    expect_config_error_saying("[report]\nvisits_by_cadre = file\nvisits_by_cadre = sheet\n"
                               ARCHIVE_SECTIONS, 3, "visits_by_cadre", "given twice");
    expect_config_error("[run]\nvisits_by_cadre = file\n" ARCHIVE_SECTIONS, 2,
                        "visits_by_cadre");
}

/* 2026-12-01: a key given twice took the last one (path, as_of, encoding,
 * delimiter, quote, header, kind, format.<f>, every [run] key). */
/* covers, exported and max_rejects: what a binding declares of its export. */
static void test_config_reads_coverage_export_dates_and_reject_limits(void **state)
{
    (void)state;
    xc_config *cfg = parse_ok(ARCHIVE_SECTIONS HUKOU_SECTION
                              "field.status_on = status_on\n"
                              "exported = 2026-05-31\n"
                              "max_rejects = 25\n"
                              "[social_insurance]\n"
                              "path = si.csv\n"
                              "field.id_no = id_no\n"
                              "field.month = month\n"
                              "field.kind = kind\n"
                              "field.amount = amount\n"
                              "covers = 2021-01..2022-05, 2022-08 ,2023-01..2025-06\n"
                              "max_rejects = 0.5%\n");
    const xc_binding *hh = &cfg->ds[XC_DS_HOUSEHOLD], *hk = &cfg->ds[XC_DS_HUKOU];
    const xc_binding *si = &cfg->ds[XC_DS_SOCIAL_INSURANCE];
    /* the archive allows no rejected row, the others 0.1%, unless told */
    assert_false(hh->max_rejects.share);
    assert_int_equal(hh->max_rejects.count, 0);
    assert_false(hk->max_rejects.share);
    assert_int_equal(hk->max_rejects.count, 25);
    assert_true(si->max_rejects.share);
    assert_true(si->max_rejects.percent == 0.5);
    assert_int_equal(si->max_rejects.ppm, 500000);      /* exact: millionths of a percent */
    assert_true(cfg->ds[XC_DS_PROPERTY].max_rejects.share);
    assert_true(cfg->ds[XC_DS_PROPERTY].max_rejects.percent == 0.1);
    xc_date d;
    assert_int_equal(xc_date_parse_iso("2026-05-31", &d), 0);
    assert_int_equal(hk->exported, d);
    assert_int_equal(si->exported, XC_NO_DATE);
    assert_int_equal(si->n_covers, 3);
    assert_int_equal(si->covers[0].from, 2021 * 12 + 0);
    assert_int_equal(si->covers[0].to, 2022 * 12 + 4);
    assert_int_equal(si->covers[1].from, 2022 * 12 + 7);
    assert_int_equal(si->covers[1].to, 2022 * 12 + 7);
    assert_int_equal(si->covers[2].from, 2023 * 12 + 0);
    assert_int_equal(si->covers[2].to, 2025 * 12 + 5);
    assert_int_equal(hk->n_covers, 0);
    xc_config_free(cfg);
}

static void test_config_rejects_bad_coverage_export_dates_and_reject_limits(void **state)
{
    (void)state;
#define SI_SECTION                                                        \
    "[social_insurance]\n"                       /* 18 */                 \
    "path = si.csv\n"                                                     \
    "field.id_no = id_no\n"                                               \
    "field.month = month\n"                                               \
    "field.kind = kind\n"                                                 \
    "field.amount = amount\n"                    /* 23 */
    static const char *const bad_covers[] = {
        "2025-13", "2025-00..2025-03", "1899-12..1900-03", "2100-01", "2025-06..2025-01",
        "2025-01..2025-06, 2025-03..2025-09", "2025-01..2025-06,2025-07..2025-08",
        "2025-07..2025-09, 2025-01", "202501..202506", "2025-01,", "2025-01 2025-02",
        "2025-01...2025-02", "",
    };
    for (size_t i = 0; i < sizeof bad_covers / sizeof bad_covers[0]; i++) {
        char text[2048];
        snprintf(text, sizeof text, ARCHIVE_SECTIONS SI_SECTION "covers = %s\n", bad_covers[i]);
        expect_config_error(text, 24, "covers");
    }
    static const char *const bad_limits[] = {"abc", "-1", "150%", "1.5.5%", "%", "", "1e3",
                                             "0x10", "99999999999999999999999", "-0.5%",
                                             "0x10%", "1e1%", "0x1p-3%", "5.%", ".5%", "100.5%",
                                             "0.00000001%", "+5", "5 %", "nan%", "inf%", "2.5"};
    for (size_t i = 0; i < sizeof bad_limits / sizeof bad_limits[0]; i++) {
        char text[2048];
        snprintf(text, sizeof text, ARCHIVE_SECTIONS SI_SECTION "max_rejects = %s\n",
                 bad_limits[i]);
        expect_config_error(text, 24, "max_rejects");
    }
    static const char *const bad_days[] = {"2026-02-30", "2026-06", "1899-12-31", "2100-01-01",
                                           "20260531", ""};
    for (size_t i = 0; i < sizeof bad_days / sizeof bad_days[0]; i++) {
        char text[2048];
        snprintf(text, sizeof text, ARCHIVE_SECTIONS SI_SECTION "exported = %s\n", bad_days[i]);
        expect_config_error(text, 24, "exported");
    }
    /* no months to cover; no export date for the archive */
    expect_config_error(ARCHIVE_SECTIONS HUKOU_SECTION "covers = 2025-01..2025-06\n", 24,
                        "covers");
    expect_config_error(HOUSEHOLD_SECTION "exported = 2026-05-31\n" MEMBER_SECTION,
                        12, "exported");
#undef SI_SECTION
}

static void test_config_rejects_every_single_value_key_given_twice(void **state)
{
    (void)state;
    static const struct { const char *key, *first, *second; } dataset_keys[] = {
        {"kind", "file", "postgres"},
        {"table", "a.hukou", "b.hukou"},
        {"query", "SELECT 1", "SELECT 2"},
        {"database", "dbname=a", "dbname=b"},
        {"pushdown", "auto", "off"},
        {"id_form", "number", "number"},
        {"delimiter", "|", "tab"},
        {"quote", "'", "none"},
        {"header", "true", "false"},
        {"encoding", "utf-8", "gb18030"},
        {"field.status_on", "status_on", "status_on"},
        {"format.status_on", "YYYYMMDD", "YYYY-MM-DD"},
        {"map.status.1", "deceased", "normal"},
        {"exported", "2026-05-31", "2026-06-30"},
        {"max_rejects", "10", "1%"},
    };
    for (size_t i = 0; i < sizeof dataset_keys / sizeof dataset_keys[0]; i++) {
        char text[2048];
        snprintf(text, sizeof text, ARCHIVE_SECTIONS HUKOU_SECTION      /* 18-23 */
                 "null = NULL\n"                                        /* 24 */
                 "%s = %s\n"                                            /* 25 */
                 "%s = %s\n",                                           /* 26 */
                 dataset_keys[i].key, dataset_keys[i].first,
                 dataset_keys[i].key, dataset_keys[i].second);
        expect_config_error_saying(text, 26, dataset_keys[i].key, "given twice, on line 25");
    }
    /* the path given once, then again after other keys */
    expect_config_error_saying(ARCHIVE_SECTIONS HUKOU_SECTION          /* 18-23 */
                               "field.status_on = status_on\n"          /* 24 */
                               "path = /etc/other.csv\n",               /* 25 */
                               25, "path", "[hukou] path: given twice, on line 19");
    static const struct { const char *key, *first, *second; } run_keys[] = {
        {"as_of", "2026-06-30", "2026-07-31"},
        {"profile", "default", "yunnan"},
        {"output", "out", "out2"},
        {"database", "dbname=a", "dbname=b"},
        {"results", "dbname=a", "dbname=b"},
        {"lock_timeout", "60s", "2s"},
    };
    for (size_t i = 0; i < sizeof run_keys / sizeof run_keys[0]; i++) {
        char text[2048];
        snprintf(text, sizeof text, "[run]\n%s = %s\n%s = %s\n" ARCHIVE_SECTIONS,
                 run_keys[i].key, run_keys[i].first, run_keys[i].key, run_keys[i].second);
        expect_config_error_saying(text, 3, run_keys[i].key, "[run] ");
        expect_config_error_saying(text, 3, run_keys[i].key, "given twice, on line 2");
    }
}

/* 2026-12-01: a section given twice with the same key took the last one. */
static void test_config_rejects_a_dataset_section_given_twice_with_the_same_key(void **state)
{
    (void)state;
    expect_config_error(ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
                        "field.status_on = status_on\n"  /* 24 */
                        "[hukou]\n"                      /* 25 */
                        "path = other.csv\n",            /* 26 */
                        25, "hukou");
}

/* null is a list: the key may be repeated, each line adding texts. */
static void test_config_accepts_null_on_several_lines(void **state)
{
    (void)state;
    xc_config *cfg = parse_ok(ARCHIVE_SECTIONS HUKOU_SECTION
                              "field.status_on = status_on\n"
                              "null = NULL, \\N\n"
                              "null = -\n");
    const xc_binding *hk = &cfg->ds[XC_DS_HUKOU];
    assert_int_equal(hk->n_nulls, 3);
    assert_string_equal(hk->nulls[0], "NULL");
    assert_string_equal(hk->nulls[1], "\\N");
    assert_string_equal(hk->nulls[2], "-");
    xc_config_free(cfg);
}

/* A configuration with one [hukou] line `line` (no line break) at line 24. */
static char *with_long_line(const char *line, const char *eol)
{
    size_t n = strlen(line) + 4096;
    char *text = malloc(n);
    assert_non_null(text);
    snprintf(text, n, ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
             "%s%s"                                    /* 24 */
             "field.status_on = status_on\n",          /* 25 */
             line, eol);
    return text;
}

/* 2026-12-01: a line over 64 KiB was split and its tail parsed as another
 * key, which replaced the path. */
static void test_config_rejects_a_line_longer_than_64_kib(void **state)
{
    (void)state;
    enum { MAX = 65536 };
    static char line[MAX + 64];
    /* null = aaa...a, its tail a key of its own where inih would split */
    int head = snprintf(line, sizeof line, "null = ");
    memset(line + head, 'a', MAX - (size_t)head);
    snprintf(line + MAX, sizeof line - MAX, "path = /etc/passwd");
    char *text = with_long_line(line, "\n");
    expect_config_error_saying(text, 24, "null", "line longer than 65536 bytes");
    free(text);
    /* also without a key, and as the last line without a line break */
    memset(line, ';', MAX + 1);
    line[MAX + 1] = '\0';
    text = with_long_line(line, "");
    expect_config_error_saying(text, 24, "", "line longer than 65536 bytes");
    free(text);
    /* a line of exactly 64 KiB, with "\n" or "\r\n", is read whole */
    static const char *const eols[] = {"\n", "\r\n"};
    for (int e = 0; e < 2; e++) {
        head = snprintf(line, sizeof line, "null = x");
        memset(line + head, 'b', MAX - (size_t)head);
        line[MAX] = '\0';
        text = with_long_line(line, eols[e]);
        xc_config *cfg = parse_ok(text);
        const xc_binding *hk = &cfg->ds[XC_DS_HUKOU];
        assert_int_equal(hk->n_nulls, 1);
        assert_int_equal(strlen(hk->nulls[0]), MAX - strlen("null = "));
        assert_int_equal(hk->field[XC_HK_STATUS_ON].line, 25);
        assert_string_equal(xc_file_path(hk), "/base/hukou.csv");
        xc_config_free(cfg);
        free(text);
    }
}

/* 2026-12-01: quote = (empty) silently meant no quoting, a quote equal to
 * the delimiter was accepted. */
static void test_config_rejects_bad_delimiters_and_quotes(void **state)
{
    (void)state;
    static const struct { const char *keys; long line; const char *key, *says; } bad[] = {
        {"quote =\n", 24, "quote", "empty value"},
        {"quote = \"\"\n", 24, "quote", "not one character"},
        {"quote = \xef\xbc\x82\n", 24, "quote", "not an ASCII character"},
        {"quote = ,\n", 24, "quote", "both the delimiter and the quote"},
        {"delimiter = \"\n", 24, "delimiter", "both the delimiter and the quote"},
        {"delimiter = |\nquote = |\n", 25, "quote", "both the delimiter and the quote"},
        {"quote = |\ndelimiter = pipe\n", 25, "delimiter", "both the delimiter"},
        {"delimiter = ;\n", 24, "delimiter", "write semicolon"},
        {"quote = ;\n", 24, "quote", "quote = none"},
        {"delimiter =\n", 24, "delimiter", "empty value"},
        {"delimiter = \xef\xbc\x8c\n", 24, "delimiter", "not an ASCII character"},
        {"delimiter = \xa7\n", 24, "delimiter", "not an ASCII character"},
        {"delimiter = \\n\n", 24, "delimiter", "not one character"},
        {"delimiter = \\r\n", 24, "delimiter", "not one character"},
        {"delimiter = crlf\n", 24, "delimiter", "not one character"},
        {"header =\n", 24, "header", "not true or false"},
        {"header = ja\n", 24, "header", "not true or false"},
        {"encoding =\n", 24, "encoding", "not supported"},
        {"encoding = utf_8\n", 24, "encoding", "not supported"},
        {"encoding = utf-16\n", 24, "encoding", "not supported"},
        {"encoding = gb 18030\n", 24, "encoding", "not supported"},
        {"kind = File\n", 24, "kind", "not a source kind"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[2048];
        snprintf(text, sizeof text, ARCHIVE_SECTIONS HUKOU_SECTION   /* 18-23 */
                 "%s"                                                 /* 24- */
                 "field.status_on = status_on\n", bad[i].keys);
        expect_config_error_saying(text, bad[i].line, bad[i].key, bad[i].says);
    }
    /* and what is right */
    static const struct { const char *keys; char delimiter, quote; bool header; } good[] = {
        {"quote = none\n", ',', 0, true},
        {"quote = NONE\ndelimiter = \"\n", '"', 0, true},
        {"delimiter = \"\nquote = '\n", '"', '\'', true},
        {"delimiter = space\nheader = YES\n", ' ', '"', true},
        {"delimiter = \\t\nheader = 1\n", '\t', '"', true},
        {"delimiter = ~\nquote = `\nheader = On\n", '~', '`', true},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char text[2048];
        snprintf(text, sizeof text, ARCHIVE_SECTIONS HUKOU_SECTION
                 "%sfield.status_on = status_on\n", good[i].keys);
        xc_config *cfg = parse_ok(text);
        assert_int_equal(cfg->ds[XC_DS_HUKOU].delimiter, good[i].delimiter);
        assert_int_equal(cfg->ds[XC_DS_HUKOU].quote, good[i].quote);
        assert_int_equal(cfg->ds[XC_DS_HUKOU].header, good[i].header);
        xc_config_free(cfg);
    }
}

static void test_config_load_reports_missing_file_as_io_error(void **state)
{
    (void)state;
    xc_config *cfg = NULL;
    xc_err err;
    xc_err_clear(&err);
    const char *path = "/nonexistent-xcheck-dir/xcheck.ini";
    assert_int_equal(xc_config_load(path, &cfg, &err), XC_EIO);
    assert_null(cfg);
    assert_int_equal(err.code, XC_EIO);
    assert_non_null(strstr(err.msg, path));
    assert_string_equal(err.where, path);
}

/* Writes text to path; returns 0 or -1. */
static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int rc = fputs(text, f) < 0 ? -1 : 0;
    return fclose(f) != 0 ? -1 : rc;
}

static void test_config_load_resolves_paths_relative_to_the_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/xc_config_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/run.ini", dir);
    xc_config *bad = NULL, *cfg = NULL;
    xc_err bad_err, err;
    int written = write_text(path, "[run]\noutput = result\n" ARCHIVE_SECTIONS
                             "[hukou]\nkind = nonsense\n");
    int bad_rc = xc_config_load(path, &bad, &bad_err);
    written |= write_text(path, "[run]\noutput = result\n" ARCHIVE_SECTIONS);
    int rc = xc_config_load(path, &cfg, &err);
    unlink(path);
    rmdir(dir);
    assert_int_equal(written, 0);

    /* An error names the file that was loaded. */
    assert_int_equal(bad_rc, XC_ECONFIG);
    assert_null(bad);
    assert_string_equal(bad_err.where, path);
    assert_int_equal(bad_err.row, 21);
    assert_string_equal(bad_err.field, "kind");

    assert_int_equal(rc, XC_OK);
    char want[160];
    snprintf(want, sizeof want, "%s/result", dir);
    assert_string_equal(cfg->output, want);
    snprintf(want, sizeof want, "%s/household.csv", dir);
    assert_string_equal(xc_file_path(&cfg->ds[XC_DS_HOUSEHOLD]), want);
    assert_string_equal(cfg->dir, dir);
    assert_string_equal(cfg->path, path);
    xc_config_free(cfg);
}

static void test_config_free_accepts_null(void **state)
{
    (void)state;
    xc_config_free(NULL);
    /* And a configuration that failed leaves nothing to free. */
    xc_config *cfg;
    xc_err err;
    assert_int_equal(parse("[household]\n", &cfg, &err), XC_ECONFIG);
    assert_null(cfg);
}

/* A [hukou] of kind postgres after which a test adds its own keys. */
#define PG_HUKOU_SECTION "[hukou]\nkind = postgres\n" PG_HUKOU_FIELDS

static void test_config_reads_several_postgres_sources_in_their_order(void **state)
{
    (void)state;
    xc_config *cfg, *other;
    xc_err err;
    assert_int_equal(parse(ARCHIVE_SECTIONS PG_HUKOU_SECTION "table = gongan.hukou\n"
                           "source.s2.database = host=b password=secret\n"
                           "source.s1.database = host=a\nsource.s1.query = SELECT 1\n",
                           &cfg, &err), XC_OK);
    const xc_pg_conf *c = xc_pg_conf_of(&cfg->ds[XC_DS_HUKOU]);
    assert_non_null(c);
    assert_int_equal(c->n_sources, 2);
    assert_string_equal(c->sources[0].name, "s2");
    assert_string_equal(c->sources[0].database, "host=b password=secret");
    assert_null(c->sources[0].table);
    assert_string_equal(c->sources[1].name, "s1");
    assert_string_equal(c->sources[1].database, "host=a");
    assert_string_equal(c->sources[1].query, "SELECT 1");
    assert_string_equal(c->table, "gongan.hukou");
    /* the configuration's hash leaves a source's password out */
    assert_int_equal(parse(ARCHIVE_SECTIONS PG_HUKOU_SECTION "table = gongan.hukou\n"
                           "source.s2.database = host=b password=other\n"
                           "source.s1.database = host=a\nsource.s1.query = SELECT 1\n",
                           &other, &err), XC_OK);
    assert_string_equal(cfg->hash, other->hash);
    xc_config_free(other);
    xc_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_parses_a_complete_configuration),
        cmocka_unit_test(test_config_leaves_run_settings_unset_when_absent),
        cmocka_unit_test(test_config_reads_lock_timeout_with_its_unit),
        cmocka_unit_test(test_config_reads_region_and_visits_by_cadre),
        cmocka_unit_test(test_config_accepts_every_delimiter_name),
        cmocka_unit_test(test_config_accepts_every_encoding_name),
        cmocka_unit_test(test_config_parses_a_line_longer_than_200_characters),
        cmocka_unit_test(test_config_parses_a_file_with_byte_order_mark_and_crlf),
        cmocka_unit_test(test_config_rejects_unknown_key_in_a_dataset_section),
        cmocka_unit_test(test_config_rejects_unknown_key_in_run),
        cmocka_unit_test(test_config_rejects_unknown_section),
        cmocka_unit_test(test_config_rejects_key_outside_any_section),
        cmocka_unit_test(test_config_rejects_unmapped_required_field_at_the_section_line),
        cmocka_unit_test(test_config_accepts_an_archive_without_hardship_cause),
        cmocka_unit_test(test_config_accepts_social_insurance_without_kind),
        cmocka_unit_test(test_config_names_the_rules_that_read_an_unmapped_field),
        cmocka_unit_test(test_config_requires_only_the_link_of_a_dataset_no_rule_needs),
        cmocka_unit_test(test_config_rejects_unmapped_nullable_field),
        cmocka_unit_test(test_config_rejects_value_map_to_unknown_logical_value),
        cmocka_unit_test(test_config_rejects_value_map_on_a_field_that_is_not_coded),
        cmocka_unit_test(test_config_rejects_value_map_without_a_raw_value),
        cmocka_unit_test(test_config_rejects_value_mapped_twice),
        cmocka_unit_test(test_config_rejects_format_on_a_field_that_is_not_a_date),
        cmocka_unit_test(test_config_rejects_a_bad_date_format),
        cmocka_unit_test(test_config_rejects_date_format_without_day_for_a_date_field),
        cmocka_unit_test(test_config_accepts_date_format_without_day_for_a_month_field),
        cmocka_unit_test(test_config_rejects_bad_as_of),
        cmocka_unit_test(test_config_rejects_bad_delimiter),
        cmocka_unit_test(test_config_rejects_bad_quote),
        cmocka_unit_test(test_config_rejects_bad_header_value),
        cmocka_unit_test(test_config_rejects_bad_encoding),
        cmocka_unit_test(test_config_rejects_unknown_source_kind),
        cmocka_unit_test(test_config_rejects_duplicate_field_mapping),
        cmocka_unit_test(test_config_rejects_mapping_of_unknown_field),
        cmocka_unit_test(test_config_rejects_empty_column_name),
        cmocka_unit_test(test_config_rejects_duplicate_section),
        cmocka_unit_test(test_config_rejects_duplicate_run_section),
        cmocka_unit_test(test_config_rejects_non_numeric_column_when_header_is_false),
        cmocka_unit_test(test_config_rejects_missing_household_section),
        cmocka_unit_test(test_config_rejects_missing_member_section),
        cmocka_unit_test(test_config_reads_postgres_sources),
        cmocka_unit_test(test_config_rejects_postgres_sources_without_one_table_or_query),
        cmocka_unit_test(test_config_rejects_file_source_without_path),
        cmocka_unit_test(test_config_rejects_a_line_that_is_not_a_key),
        cmocka_unit_test(test_config_rejects_a_section_line_without_closing_bracket),
        cmocka_unit_test(test_config_reports_only_the_first_error),
        cmocka_unit_test(test_config_rejects_every_single_value_key_given_twice),
        cmocka_unit_test(test_config_reads_coverage_export_dates_and_reject_limits),
        cmocka_unit_test(test_config_rejects_bad_coverage_export_dates_and_reject_limits),
        cmocka_unit_test(test_config_rejects_a_dataset_section_given_twice_with_the_same_key),
        cmocka_unit_test(test_config_accepts_null_on_several_lines),
        cmocka_unit_test(test_config_rejects_a_line_longer_than_64_kib),
        cmocka_unit_test(test_config_rejects_bad_delimiters_and_quotes),
        cmocka_unit_test(test_config_load_reports_missing_file_as_io_error),
        cmocka_unit_test(test_config_load_resolves_paths_relative_to_the_file),
        cmocka_unit_test(test_config_free_accepts_null),
        cmocka_unit_test(test_config_reads_several_postgres_sources_in_their_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
