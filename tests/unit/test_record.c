/* test_record.c - converting raw row text into typed values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/config.h"
#include "xcheck/date.h"
#include "xcheck/idno.h"
#include "xcheck/record.h"
#include "xcheck/region.h"
#include "xcheck/schema.h"

#define ID_1949 "11010519491231002X"     /* valid: a woman born 1949-12-31 */
#define ID_1880 "440524188001010014"     /* valid: a man born 1880-01-01 */

/* Everything mapped, defaults only. */
static const char plain_config[] =
    "[household]\n"
    "path = household.csv\n"
    "field.archive_no = archive_no\n"
    "field.worker_id = worker_id\n"
    "field.worker_name = worker_name\n"
    "field.region_code = region_code\n"
    "field.level = level\n"
    "field.status = status\n"
    "field.enrolled_on = enrolled_on\n"
    "field.exited_on = exited_on\n"
    "field.hardship_cause = hardship_cause\n"
    "[member]\n"
    "path = member.csv\n"
    "field.archive_no = archive_no\n"
    "field.id_no = id_no\n"
    "field.name = name\n"
    "field.relation = relation\n"
    "[hukou]\n"
    "path = hukou.csv\n"
    "field.id_no = id_no\n"
    "field.name = name\n"
    "field.region_code = region_code\n"
    "field.status = status\n"
    "field.status_on = status_on\n"
    "[social_insurance]\n"
    "path = si.csv\n"
    "field.id_no = id_no\n"
    "field.month = month\n"
    "field.kind = kind\n"
    "field.amount = amount\n"
    "[dibao_standard]\n"
    "path = dibao.csv\n"
    "field.region_code = region_code\n"
    "field.effective_from = effective_from\n"
    "field.monthly_amount = monthly_amount\n"
    "[payment]\n"
    "path = payment.csv\n"
    "field.id_no = id_no\n"
    "field.paid_on = paid_on\n"
    "field.program = program\n"
    "field.amount = amount\n"
    "field.channel = channel\n"
    "field.personal_burden = personal_burden\n"
    "[property]\n"
    "path = property.csv\n"
    "field.id_no = id_no\n"
    "field.cert_no = cert_no\n"
    "field.usage = usage\n"
    "field.area_m2 = area_m2\n"
    "field.region_code = region_code\n"
    "field.registered_on = registered_on\n"
    "field.cancelled_on = cancelled_on\n"
    "[vehicle]\n"
    "path = vehicle.csv\n"
    "field.id_no = id_no\n"
    "field.plate = plate\n"
    "field.kind = kind\n"
    "field.registered_on = registered_on\n"
    "field.deregistered_on = deregistered_on\n"
    "field.price = price\n"
    "[business]\n"
    "path = business.csv\n"
    "field.id_no = id_no\n"
    "field.credit_code = credit_code\n"
    "field.role = role\n"
    "field.registered_capital = registered_capital\n"
    "field.status = status\n"
    "field.established_on = established_on\n"
    "field.closed_on = closed_on\n"
    "[contact]\n"
    "path = contact.csv\n"
    "field.archive_no = archive_no\n"
    "field.contact_date = contact_date\n"
    "field.kind = kind\n"
    "field.cadre_id = cadre_id\n"
    "[exit_record]\n"
    "path = exit.csv\n"
    "field.archive_no = archive_no\n"
    "field.applied_on = applied_on\n"
    "field.publicity_from = publicity_from\n"
    "field.publicity_to = publicity_to\n"
    "field.approved_on = approved_on\n"
    "field.notified_on = notified_on\n"
    "[followup]\n"
    "path = followup.csv\n"
    "field.archive_no = archive_no\n"
    "field.followup_on = followup_on\n";

/* Value maps, date formats and null texts as real exports need them. */
static const char custom_config[] =
    "[household]\n"
    "path = household.csv\n"
    "null = NULL, \\N\n"
    "field.archive_no = 档案编号\n"
    "field.worker_id = 身份证号\n"
    "field.worker_name = 姓名\n"
    "field.region_code = 行政区划\n"
    "field.level = 级别\n"
    "field.status = 状态\n"
    "field.enrolled_on = 建档日期\n"
    "field.exited_on = 退档日期\n"
    "field.hardship_cause = 致困原因\n"
    "map.level.1 = national\n"
    "map.level.2 = provincial\n"
    "map.status.在档 = active\n"
    "map.hardship_cause.病 = illness\n"
    "map.hardship_cause.残 = disability\n"
    "format.enrolled_on = YYYYMMDD\n"
    "format.exited_on = YYYY/M/D\n"
    "[member]\n"
    "path = member.csv\n"
    "field.archive_no = archive_no\n"
    "field.id_no = id_no\n"
    "field.name = name\n"
    "field.relation = relation\n"
    "[hukou]\n"
    "path = hukou.csv\n"
    "null = -, 9999-12-31\n"
    "field.id_no = id_no\n"
    "field.name = name\n"
    "field.region_code = region_code\n"
    "field.status = status\n"
    "field.status_on = status_on\n"
    "map.status.0 = normal\n"
    "map.status.1 = deceased\n"
    "map.status.迁出 = moved_out\n"
    "format.status_on = YYYYMMDD | YYYY/M/D | YYYY-MM-DD*\n"
    "[social_insurance]\n"
    "path = si.csv\n"
    "field.id_no = id_no\n"
    "field.month = month\n"
    "field.kind = kind\n"
    "field.amount = amount\n"
    "format.month = YYYYMM\n";

typedef struct fixture {
    xc_config *plain;
    xc_config *custom;
    xc_date as_of;
    xc_date latest;     /* the last day the data can know: as_of, unless set */
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    xc_err err;
    if (xc_config_parse(plain_config, "plain.ini", "/data", &fx->plain, &err) != XC_OK ||
        xc_config_parse(custom_config, "custom.ini", "/data", &fx->custom, &err) != XC_OK) {
        print_error("configuration: %s\n", err.msg);
        xc_config_free(fx->plain);
        free(fx);
        return -1;
    }
    fx->as_of = xc_date_from_ymd(2026, 6, 30);
    fx->latest = fx->as_of;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    xc_config_free(fx->plain);
    xc_config_free(fx->custom);
    free(fx);
    return 0;
}

/* Converts one row given as one text per field of b's dataset (NULL: the
 * field is not mapped); trailing fields that b leaves unmapped may be left
 * out. */
static int convert_row(const fixture *fx, const xc_binding *b, const char *const *vals,
                       size_t n, xc_record *rec, xc_reject *rej)
{
    assert_true(n <= (size_t)b->ds->n_fields);
    for (size_t f = n; f < (size_t)b->ds->n_fields; f++)
        assert_null(b->field[f].column);
    xc_raw_row raw;
    memset(&raw, 0, sizeof raw);
    raw.line = 42;
    raw.problem_field = -1;
    for (size_t f = 0; f < n; f++)
        if (vals[f]) {
            raw.f[f].p = vals[f];
            raw.f[f].len = strlen(vals[f]);
        }
    memset(rec, 0x5A, sizeof *rec);
    memset(rej, 0, sizeof *rej);
    rej->field = -99;
    return xc_record_convert(b, fx->as_of, fx->latest, &raw, rec, rej);
}

#define CONVERT(b, rec, rej, ...)                                             \
    convert_row(fx, (b), (const char *const[]){__VA_ARGS__},                  \
                sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *), \
                (rec), (rej))

/* The row must be accepted; prints the reason when it is not. */
#define ACCEPT(b, rec, rej, ...)                                              \
    do {                                                                      \
        int rc_ = CONVERT(b, rec, rej, __VA_ARGS__);                          \
        if (rc_ != 0)                                                         \
            print_error("rejected: field %d: %s\n", (rej)->field, (rej)->reason); \
        assert_int_equal(rc_, 0);                                             \
    } while (0)

#define HUKOU(fx) (&(fx)->plain->ds[XC_DS_HUKOU])
#define HUKOU_C(fx) (&(fx)->custom->ds[XC_DS_HUKOU])

/* Builds a valid 18-character ID number from 17 digits. */
static void make_id(const char *digits17, char out[19])
{
    memcpy(out, digits17, 17);
    out[17] = xc_id_check_char(digits17);
    out[18] = '\0';
}

static void assert_text(const xc_value *v, const char *want)
{
    assert_false(v->null);
    assert_int_equal(v->len, strlen(want));
    assert_memory_equal(v->s, want, v->len);
}

/* ---- money ---- */

static int64_t money(const char *s)
{
    int64_t fen = INT64_MIN;
    assert_int_equal(xc_money_parse(s, strlen(s), &fen), 0);
    return fen;
}

static void assert_not_money(const char *s)
{
    int64_t fen = 777;
    if (xc_money_parse(s, strlen(s), &fen) != -1)
        fail_msg("'%s' was accepted as money", s);
    assert_int_equal(fen, 777);
}

static void test_money_parses_whole_yuan(void **state)
{
    (void)state;
    assert_int_equal(money("12"), 1200);
    assert_int_equal(money("0"), 0);
    assert_int_equal(money("+7"), 700);
}

static void test_money_parses_one_decimal_as_tenths_of_yuan(void **state)
{
    (void)state;
    assert_int_equal(money("12.5"), 1250);
    assert_int_equal(money("0.1"), 10);
}

static void test_money_parses_two_decimals_and_thousands_separators(void **state)
{
    (void)state;
    assert_int_equal(money("1,234.56"), 123456);
    assert_int_equal(money("12.05"), 1205);
    assert_int_equal(money("1,000,000"), 100000000);
}

static void test_money_parses_negative_amounts(void **state)
{
    (void)state;
    assert_int_equal(money("-3.10"), -310);
    assert_int_equal(money("-0.01"), -1);
}

static void test_money_accepts_yuan_signs(void **state)
{
    (void)state;
    assert_int_equal(money("￥12"), 1200);
    assert_int_equal(money("¥1,234.5"), 123450);
    assert_int_equal(money("-￥3.1"), -310);
}

static void test_money_rejects_fractions_of_a_fen(void **state)
{
    (void)state;
    assert_not_money("12.345");
    assert_not_money("0.001");
}

static void test_money_accepts_trailing_zero_decimals(void **state)
{
    (void)state;
    assert_int_equal(money("12.300"), 1230);
    assert_int_equal(money("5.0000"), 500);
}

static void test_money_rejects_text_that_is_not_an_amount(void **state)
{
    (void)state;
    assert_not_money("abc");
    assert_not_money("");
    assert_not_money("-");
    assert_not_money(".");
    assert_not_money("12元");
    assert_not_money("1.2.3");
    assert_not_money("12 ");
    assert_not_money("1e3");
    assert_not_money("99999999999999999999");
}

static void test_money_reads_only_the_given_length(void **state)
{
    (void)state;
    int64_t fen = 0;
    assert_int_equal(xc_money_parse("12.50abc", 5, &fen), 0);
    assert_int_equal(fen, 1250);
}

/* The reasons xc_money_read() and xc_number_read() give. */
#define WHY_GROUPS "thousands separators out of place: commas may only split the digits " \
                   "before the decimal point into groups of three (1,234,567.89)"
#define WHY_FEN "a fraction of a fen: at most two decimals (further zeros only), nothing " \
                "is rounded"
#define WHY_CAP "more than one trillion yuan (1,000,000,000,000.00), the most an amount " \
                "may be"
#define WHY_FULLWIDTH "full-width digits or signs: write it in ASCII digits 0-9, '.' and ','"
#define WHY_POINT "a decimal point with no digit after it"
#define WHY_MONEY "allowed are yuan in digits, with an optional sign, ¥ or ￥, thousands " \
                  "commas and at most two decimals"
#define WHY_NUMBER "allowed are digits, with an optional sign, thousands commas and a " \
                   "decimal point (no exponent)"
#define WHY_DIGITS "more than 15 digits, more than a number can hold exactly"

typedef struct money_case {
    const char *text;
    const char *why;      /* NULL: accepted as fen */
    int64_t fen;
} money_case;

static void test_money_accepts_and_refuses_by_the_table(void **state)
{
    (void)state;
    static const money_case cases[] = {
        {"1,234,567.89", NULL, 123456789},
        {"1,000", NULL, 100000},
        {"999,999", NULL, 99999900},
        {"1234567.8", NULL, 123456780},
        {"0.5", NULL, 50},
        {".5", NULL, 50},
        {"-.05", NULL, -5},
        {"007", NULL, 700},
        {"12.300", NULL, 1230},        /* zeros after the fen change nothing */
        {"+7", NULL, 700},
        {"-3.10", NULL, -310},
        {"¥1,234.5", NULL, 123450},
        {"-￥3.1", NULL, -310},
        {"0", NULL, 0},
        {"1000000000000", NULL, XC_MONEY_MAX_FEN},
        {"1,000,000,000,000.00", NULL, XC_MONEY_MAX_FEN},
        {"-1,000,000,000,000", NULL, -XC_MONEY_MAX_FEN},
        {"999,999,999,999.99", NULL, XC_MONEY_MAX_FEN - 1},
        /* 2026-12-01: "1,2,3,4.5" was read as 1234.50. */
        {"1,2,3,4.5", WHY_GROUPS, 0},
        /* 2026-12-01: ",5" was read as 5.00. */
        {",5", WHY_GROUPS, 0},
        {"1,2,3", WHY_GROUPS, 0},
        {"12,34", WHY_GROUPS, 0},
        {"1234,567", WHY_GROUPS, 0},
        {"1,23,456", WHY_GROUPS, 0},
        {"1,2345", WHY_GROUPS, 0},
        {"01,234", WHY_GROUPS, 0},
        {"1,234,", WHY_GROUPS, 0},
        {"1,,234", WHY_GROUPS, 0},
        {",", WHY_GROUPS, 0},
        {"-,5", WHY_GROUPS, 0},
        {"1,234.5,6", WHY_MONEY, 0},
        {"0.005", WHY_FEN, 0},
        {"12.345", WHY_FEN, 0},
        {"12.3001", WHY_FEN, 0},
        {"1000000000000.01", WHY_CAP, 0},
        {"1,000,000,000,001", WHY_CAP, 0},
        /* 2026-12-01: the cap was ten trillion yuan, its comment said one. */
        {"10000000000000", WHY_CAP, 0},
        {"9,999,999,999,999.99", WHY_CAP, 0},
        {"99999999999999999999", WHY_CAP, 0},
        {"１２３", WHY_FULLWIDTH, 0},
        {"12．5", WHY_FULLWIDTH, 0},
        {"1，234", WHY_FULLWIDTH, 0},
        {"5.", WHY_POINT, 0},
        {".", WHY_POINT, 0},
        {"", WHY_MONEY, 0},
        {"-", WHY_MONEY, 0},
        {"¥", WHY_MONEY, 0},
        {"abc", WHY_MONEY, 0},
        {"12元", WHY_MONEY, 0},
        {"1e3", WHY_MONEY, 0},
        {"1.2.3", WHY_MONEY, 0},
        {"12 ", WHY_MONEY, 0},
        {"1 234", WHY_MONEY, 0},
        {"--5", WHY_MONEY, 0},
        {"¥-5", WHY_MONEY, 0},
        {"1_000", WHY_MONEY, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const money_case *c = &cases[i];
        int64_t fen = 777;
        const char *why = NULL;
        int rc = xc_money_read(c->text, strlen(c->text), &fen, &why);
        if (!c->why) {
            if (rc != 0)
                fail_msg("'%s' was refused: %s", c->text, why);
            assert_int_equal(fen, c->fen);
            continue;
        }
        if (rc != -1)
            fail_msg("'%s' was accepted as %lld fen", c->text, (long long)fen);
        assert_int_equal(fen, 777);
        assert_non_null(why);
        if (strcmp(why, c->why) != 0)
            fail_msg("'%s': reason '%s', not '%s'", c->text, why, c->why);
        assert_int_equal(xc_money_parse(c->text, strlen(c->text), &fen), -1);
    }
}

typedef struct number_case {
    const char *text;
    const char *why;      /* NULL: accepted as value */
    double value;
} number_case;

static void test_number_accepts_and_refuses_by_the_table(void **state)
{
    (void)state;
    static const number_case cases[] = {
        {"89.5", NULL, 89.5},
        {"0", NULL, 0},
        {".25", NULL, 0.25},
        {"1,234.56", NULL, 1234.56},
        {"120.123456", NULL, 120.123456},
        {"+12", NULL, 12},
        {"-12.5", NULL, -12.5},
        {"123456789012345", NULL, 123456789012345.0},
        {"1234567890.12345", NULL, 1234567890.12345},
        /* 2026-12-01: "1,2,3" and "89,5" had to fail in strtod to be refused. */
        {"1,2,3", WHY_GROUPS, 0},
        {"89,5", WHY_GROUPS, 0},
        {",5", WHY_GROUPS, 0},
        {"12,34.5", WHY_GROUPS, 0},
        {"1e3", WHY_NUMBER, 0},
        {"1e999", WHY_NUMBER, 0},
        {"nan", WHY_NUMBER, 0},
        {"inf", WHY_NUMBER, 0},
        {"0x1A", WHY_NUMBER, 0},
        {"89.5m2", WHY_NUMBER, 0},
        {"¥5", WHY_NUMBER, 0},
        {"", WHY_NUMBER, 0},
        {" 5", WHY_NUMBER, 0},
        {"5.", WHY_POINT, 0},
        {"１２０", WHY_FULLWIDTH, 0},
        {"1234567890123456", WHY_DIGITS, 0},
        {"1.234567890123456", WHY_DIGITS, 0},
        {"-0.000000000000001", WHY_DIGITS, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const number_case *c = &cases[i];
        double d = 777;
        const char *why = NULL;
        int rc = xc_number_read(c->text, strlen(c->text), &d, &why);
        if (!c->why) {
            if (rc != 0)
                fail_msg("'%s' was refused: %s", c->text, why);
            assert_true(d == c->value);
            continue;
        }
        if (rc != -1)
            fail_msg("'%s' was accepted as %g", c->text, d);
        assert_true(d == 777);
        if (!why || strcmp(why, c->why) != 0)
            fail_msg("'%s': reason '%s', not '%s'", c->text, why ? why : "(none)", c->why);
    }
}

/* ---- conversion: general ---- */

static void test_record_keeps_text_trimmed_and_the_source_line(void **state)
{
    fixture *fx = *state;
    xc_record rec;
    xc_reject rej;
    ACCEPT(HUKOU(fx), &rec, &rej, " " ID_1949 " ", "\xE3\x80\x80张三\xC2\xA0 ", "110105",
           "normal", "2024-03-05");
    assert_int_equal(rec.line, 42);
    assert_text(&rec.v[XC_HK_NAME], "张三");
    assert_text(&rec.v[XC_HK_ID_NO], ID_1949);
    assert_int_equal(rec.id_field, XC_HK_ID_NO);
    assert_int_equal(rec.id.error, XC_ID_VALID);
    assert_string_equal(rec.id.norm, ID_1949);
    assert_int_equal(rec.id.key, xc_id_pack(ID_1949));
    assert_false(rec.warn_unknown_county);
}

static void test_record_rejects_a_row_with_a_problem_from_the_source(void **state)
{
    fixture *fx = *state;
    xc_raw_row raw;
    memset(&raw, 0, sizeof raw);
    raw.line = 9;
    raw.problem = "3 fields where the header has 5";
    raw.problem_field = -1;
    xc_record rec;
    xc_reject rej;
    assert_int_equal(xc_record_convert(HUKOU(fx), fx->as_of, fx->latest, &raw, &rec, &rej), -1);
    assert_int_equal(rej.field, -1);
    assert_string_equal(rej.reason, "3 fields where the header has 5");
    assert_int_equal(rec.line, 9);

    raw.problem = "not valid UTF-8";
    raw.problem_field = XC_HK_NAME;
    assert_int_equal(xc_record_convert(HUKOU(fx), fx->as_of, fx->latest, &raw, &rec, &rej), -1);
    assert_int_equal(rej.field, XC_HK_NAME);
    assert_string_equal(rej.reason, "not valid UTF-8");
}

/* ---- dates and months ---- */

static void test_record_parses_dates_in_the_default_format(void **state)
{
    fixture *fx = *state;
    xc_record rec;
    xc_reject rej;
    ACCEPT(HUKOU(fx), &rec, &rej, ID_1949, "", "", "deceased", "2024-02-29");
    assert_int_equal(rec.v[XC_HK_STATUS_ON].i, xc_date_from_ymd(2024, 2, 29));

    static const char *const bad[] = {"20240229", "2024/02/29", "2023-02-29", "2024-2-29",
                                      "2024-02-29 10:00", "29.02.2024"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(CONVERT(HUKOU(fx), &rec, &rej, ID_1949, "", "", "deceased",
                                 bad[i]), -1);
        assert_int_equal(rej.field, XC_HK_STATUS_ON);
        char want[128];
        snprintf(want, sizeof want, "'%s' is not a date in the expected format", bad[i]);
        assert_string_equal(rej.reason, want);
    }
}

static void test_record_parses_dates_in_a_configured_format(void **state)
{
    fixture *fx = *state;
    const xc_binding *hh = &fx->custom->ds[XC_DS_HOUSEHOLD];
    xc_record rec;
    xc_reject rej;
    ACCEPT(hh, &rec, &rej, "A1", ID_1949, "王五", "110105", "1", "在档", "20190701",
           "2024/3/5", "");
    assert_int_equal(rec.v[XC_HH_ENROLLED_ON].i, xc_date_from_ymd(2019, 7, 1));
    assert_int_equal(rec.v[XC_HH_EXITED_ON].i, xc_date_from_ymd(2024, 3, 5));
    ACCEPT(hh, &rec, &rej, "A1", ID_1949, "王五", "110105", "1", "在档", "20191231",
           "2024/12/05", "");
    assert_int_equal(rec.v[XC_HH_ENROLLED_ON].i, xc_date_from_ymd(2019, 12, 31));
    assert_int_equal(rec.v[XC_HH_EXITED_ON].i, xc_date_from_ymd(2024, 12, 5));

    /* The configured format replaces the default. */
    assert_int_equal(CONVERT(hh, &rec, &rej, "A1", ID_1949, "王五", "110105", "1", "在档",
                             "2019-07-01", "", ""), -1);
    assert_int_equal(rej.field, XC_HH_ENROLLED_ON);
    assert_int_equal(CONVERT(hh, &rec, &rej, "A1", ID_1949, "王五", "110105", "1", "在档",
                             "20190230", "", ""), -1);
    assert_int_equal(rej.field, XC_HH_ENROLLED_ON);
}

static void test_record_tries_each_alternative_date_format(void **state)
{
    fixture *fx = *state;
    static const struct { const char *text; int y, m, d; } ok[] = {
        {"20240305", 2024, 3, 5},
        {"2024/3/5", 2024, 3, 5},
        {"2024/03/15", 2024, 3, 15},
        {"2024-03-05", 2024, 3, 5},
        {"2024-03-05 00:00:00", 2024, 3, 5},
        {"2024-03-05T08:15:00+08:00", 2024, 3, 5},
    };
    xc_record rec;
    xc_reject rej;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        ACCEPT(HUKOU_C(fx), &rec, &rej, ID_1949, "", "", "1", ok[i].text);
        assert_int_equal(rec.v[XC_HK_STATUS_ON].i, xc_date_from_ymd(ok[i].y, ok[i].m, ok[i].d));
    }
    static const char *const bad[] = {"2024.03.05", "202403", "2024/3/5 0:00", "20240305x",
                                      "2024-3-5 00:00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (CONVERT(HUKOU_C(fx), &rec, &rej, ID_1949, "", "", "1", bad[i]) != -1)
            fail_msg("'%s' was accepted as a date", bad[i]);
        assert_int_equal(rej.field, XC_HK_STATUS_ON);
    }
}

static void test_record_parses_months_in_the_default_format(void **state)
{
    fixture *fx = *state;
    const xc_binding *si = &fx->plain->ds[XC_DS_SOCIAL_INSURANCE];
    xc_record rec;
    xc_reject rej;
    ACCEPT(si, &rec, &rej, ID_1949, "2024-03", "pension", NULL, "1,850.00");
    assert_int_equal(rec.v[XC_SI_MONTH].i, 2024 * 12 + 2);
    assert_int_equal(rec.v[XC_SI_MONTH].i, xc_date_month(xc_date_from_ymd(2024, 3, 31)));
    assert_int_equal(rec.v[XC_SI_AMOUNT].i, 185000);
    static const char *const bad[] = {"202403", "2024-13", "2024-03-01", "2024-3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(CONVERT(si, &rec, &rej, ID_1949, bad[i], "pension", NULL, "1"), -1);
        assert_int_equal(rej.field, XC_SI_MONTH);
        char want[128];
        snprintf(want, sizeof want, "'%s' is not a month in the expected format", bad[i]);
        assert_string_equal(rej.reason, want);
    }
}

static void test_record_parses_months_in_a_configured_format(void **state)
{
    fixture *fx = *state;
    const xc_binding *si = &fx->custom->ds[XC_DS_SOCIAL_INSURANCE];
    xc_record rec;
    xc_reject rej;
    ACCEPT(si, &rec, &rej, ID_1949, "202412", "contribution", NULL, "300");
    assert_int_equal(rec.v[XC_SI_MONTH].i, 2024 * 12 + 11);
    assert_int_equal(CONVERT(si, &rec, &rej, ID_1949, "2024-12", "contribution", NULL, "300"), -1);
    assert_int_equal(rej.field, XC_SI_MONTH);
    assert_int_equal(CONVERT(si, &rec, &rej, ID_1949, "202413", "contribution", NULL, "300"), -1);
    assert_int_equal(rej.field, XC_SI_MONTH);
}

/* ---- coded values ---- */

static void test_record_maps_raw_codes_through_the_value_map(void **state)
{
    fixture *fx = *state;
    static const struct { const char *raw; const char *logical; } cases[] = {
        {"0", "normal"}, {"1", "deceased"}, {"迁出", "moved_out"}, {" 1 ", "deceased"},
    };
    const xc_field_def *fd = &HUKOU_C(fx)->ds->fields[XC_HK_STATUS];
    xc_record rec;
    xc_reject rej;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ACCEPT(HUKOU_C(fx), &rec, &rej, ID_1949, "", "", cases[i].raw, "");
        assert_string_equal(fd->values[rec.v[XC_HK_STATUS].i], cases[i].logical);
    }
}

static void test_record_accepts_logical_names_in_any_case(void **state)
{
    fixture *fx = *state;
    static const struct { const char *raw; int want; } cases[] = {
        {"normal", 0}, {"Deceased", 1}, {"MOVED_OUT", 2}, {"cancelled", 3},
    };
    xc_record rec;
    xc_reject rej;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* With and without a value map. */
        ACCEPT(HUKOU(fx), &rec, &rej, ID_1949, "", "", cases[i].raw, "");
        assert_int_equal(rec.v[XC_HK_STATUS].i, cases[i].want);
        ACCEPT(HUKOU_C(fx), &rec, &rej, ID_1949, "", "", cases[i].raw, "");
        assert_int_equal(rec.v[XC_HK_STATUS].i, cases[i].want);
    }
}

static void test_record_rejects_unmapped_code_naming_field_and_map_key(void **state)
{
    fixture *fx = *state;
    xc_record rec;
    xc_reject rej;
    assert_int_equal(CONVERT(HUKOU_C(fx), &rec, &rej, ID_1949, "", "", "9", ""), -1);
    assert_int_equal(rej.field, XC_HK_STATUS);
    assert_string_equal(rej.reason, "value '9' has no mapping (add map.status.9 = <value>)");

    /* Without a map the raw codes mean nothing. */
    assert_int_equal(CONVERT(HUKOU(fx), &rec, &rej, ID_1949, "", "", "1", ""), -1);
    assert_int_equal(rej.field, XC_HK_STATUS);
    assert_string_equal(rej.reason, "value '1' has no mapping (add map.status.1 = <value>)");

    /* A near miss of a logical name is not guessed. */
    assert_int_equal(CONVERT(HUKOU(fx), &rec, &rej, ID_1949, "", "", "dead", ""), -1);
    assert_string_equal(rej.reason,
                        "value 'dead' has no mapping (add map.status.dead = <value>)");
}

static void test_record_reads_value_lists_with_mixed_separators(void **state)
{
    fixture *fx = *state;
    const xc_binding *hh = &fx->plain->ds[XC_DS_HOUSEHOLD];
    const xc_field_def *fd = &hh->ds->fields[XC_HH_HARDSHIP_CAUSE];
    int64_t illness = (int64_t)1 << xc_field_value(fd, "illness", 7);
    int64_t disability = (int64_t)1 << xc_field_value(fd, "disability", 10);
    int64_t education = (int64_t)1 << xc_field_value(fd, "education", 9);
    int64_t housing = (int64_t)1 << xc_field_value(fd, "housing", 7);
    int64_t other = (int64_t)1 << xc_field_value(fd, "other", 5);
    static const struct { const char *text; int mask; } cases[] = {
        {"illness", 1},
        {"illness; disability,education、housing", 1 | 2 | 4 | 8},
        {"Illness；Other，housing|education", 1 | 4 | 8 | 16},
        {" illness ;; ,illness、 ", 1},
    };
    xc_record rec;
    xc_reject rej;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ACCEPT(hh, &rec, &rej, "A1", ID_1949, "", "110105", "national", "active",
               "2020-01-01", "", cases[i].text);
        int64_t want = 0;
        want |= cases[i].mask & 1 ? illness : 0;
        want |= cases[i].mask & 2 ? disability : 0;
        want |= cases[i].mask & 4 ? education : 0;
        want |= cases[i].mask & 8 ? housing : 0;
        want |= cases[i].mask & 16 ? other : 0;
        assert_false(rec.v[XC_HH_HARDSHIP_CAUSE].null);
        assert_int_equal(rec.v[XC_HH_HARDSHIP_CAUSE].i, want);
    }
}

static void test_record_maps_value_list_items_through_the_value_map(void **state)
{
    fixture *fx = *state;
    const xc_binding *hh = &fx->custom->ds[XC_DS_HOUSEHOLD];
    const xc_field_def *fd = &hh->ds->fields[XC_HH_HARDSHIP_CAUSE];
    xc_record rec;
    xc_reject rej;
    ACCEPT(hh, &rec, &rej, "A1", ID_1949, "王五", "110105", "2", "在档", "20190701", "",
           "病、残、unemployment");
    assert_int_equal(rec.v[XC_HH_HARDSHIP_CAUSE].i,
                     ((int64_t)1 << xc_field_value(fd, "illness", 7)) |
                     ((int64_t)1 << xc_field_value(fd, "disability", 10)) |
                     ((int64_t)1 << xc_field_value(fd, "unemployment", 12)));
    assert_int_equal(rec.v[XC_HH_LEVEL].i, 1);       /* provincial */
    assert_int_equal(rec.v[XC_HH_STATUS].i, 0);      /* active */

    assert_int_equal(CONVERT(hh, &rec, &rej, "A1", ID_1949, "王五", "110105", "2", "在档",
                             "20190701", "", "病;水灾"), -1);
    assert_int_equal(rej.field, XC_HH_HARDSHIP_CAUSE);
    assert_string_equal(rej.reason, "list item '水灾' has no mapping "
                        "(add map.hardship_cause.水灾 = <value>)");
}

/* ---- empty values ---- */

static void test_record_accepts_empty_nullable_fields(void **state)
{
    fixture *fx = *state;
    const xc_binding *hh = &fx->plain->ds[XC_DS_HOUSEHOLD];
    xc_record rec;
    xc_reject rej;
    ACCEPT(hh, &rec, &rej, "A1", ID_1949, "", "110105", "national", "active",
           "2020-01-01", " \t ", "\xE3\x80\x80");
    assert_true(rec.v[XC_HH_WORKER_NAME].null);
    assert_true(rec.v[XC_HH_EXITED_ON].null);
    assert_true(rec.v[XC_HH_HARDSHIP_CAUSE].null);
    assert_int_equal(rec.v[XC_HH_HARDSHIP_CAUSE].i, 0);
    assert_false(rec.v[XC_HH_ENROLLED_ON].null);
    /* cadre_id is optional and not mapped. */
    assert_true(rec.v[XC_HH_CADRE_ID].null);
}

static void test_record_rejects_empty_required_fields(void **state)
{
    fixture *fx = *state;
    const xc_binding *hh = &fx->plain->ds[XC_DS_HOUSEHOLD];
    xc_record rec;
    xc_reject rej;
    assert_int_equal(CONVERT(hh, &rec, &rej, "A1", ID_1949, "", "110105", "national",
                             "active", "  ", "", ""), -1);
    assert_int_equal(rej.field, XC_HH_ENROLLED_ON);
    assert_string_equal(rej.reason, "empty, but enrolled_on is required");

    assert_int_equal(CONVERT(HUKOU(fx), &rec, &rej, ID_1949, "", "", "", ""), -1);
    assert_int_equal(rej.field, XC_HK_STATUS);
    assert_string_equal(rej.reason, "empty, but status is required");

    assert_int_equal(CONVERT(HUKOU(fx), &rec, &rej, "", "", "", "normal", ""), -1);
    assert_int_equal(rej.field, XC_HK_ID_NO);
    assert_string_equal(rej.reason, "empty, but id_no is required");
}

static void test_record_treats_configured_null_texts_as_empty(void **state)
{
    fixture *fx = *state;
    const xc_binding *hh = &fx->custom->ds[XC_DS_HOUSEHOLD];
    xc_record rec;
    xc_reject rej;
    ACCEPT(hh, &rec, &rej, "A1", ID_1949, "NULL", "110105", "1", "在档", "20190701",
           "\\N", " NULL ");
    assert_true(rec.v[XC_HH_WORKER_NAME].null);
    assert_true(rec.v[XC_HH_EXITED_ON].null);
    assert_true(rec.v[XC_HH_HARDSHIP_CAUSE].null);

    /* A null text in a required field is an empty required field. */
    assert_int_equal(CONVERT(hh, &rec, &rej, "A1", ID_1949, "王五", "NULL", "1", "在档",
                             "20190701", "", ""), -1);
    assert_int_equal(rej.field, XC_HH_REGION_CODE);
    assert_string_equal(rej.reason, "empty, but region_code is required");

    /* Null texts are exact: other spellings are values. */
    ACCEPT(hh, &rec, &rej, "A1", ID_1949, "null", "110105", "1", "在档", "20190701", "", "");
    assert_text(&rec.v[XC_HH_WORKER_NAME], "null");

    /* Null texts belong to their dataset. */
    ACCEPT(HUKOU_C(fx), &rec, &rej, ID_1949, "-", "-", "0", "-");
    assert_true(rec.v[XC_HK_NAME].null);
    assert_true(rec.v[XC_HK_REGION_CODE].null);
    assert_true(rec.v[XC_HK_STATUS_ON].null);
    assert_int_equal(CONVERT(HUKOU_C(fx), &rec, &rej, ID_1949, "", "", "0", "NULL"), -1);
    assert_int_equal(rej.field, XC_HK_STATUS_ON);

    /* Without null texts, "NULL" is just text that is not a date. */
    const xc_binding *plain = &fx->plain->ds[XC_DS_HOUSEHOLD];
    assert_int_equal(CONVERT(plain, &rec, &rej, "A1", ID_1949, "NULL", "110105",
                             "national", "active", "2020-01-01", "\\N", ""), -1);
    assert_int_equal(rej.field, XC_HH_EXITED_ON);
}

/* ---- ID numbers ---- */

static void test_record_rejects_bad_id_number_on_a_reference_dataset(void **state)
{
    fixture *fx = *state;
    xc_record rec;
    xc_reject rej;
    assert_int_equal(CONVERT(HUKOU(fx), &rec, &rej, "110105194912310021", "", "", "normal",
                             ""), -1);
    assert_int_equal(rej.field, XC_HK_ID_NO);
    assert_string_equal(rej.reason, "bad ID number: check character does not match");

    assert_int_equal(CONVERT(HUKOU(fx), &rec, &rej, "1101051949123100", "", "", "normal", ""),
                     -1);
    assert_string_equal(rej.reason, "bad ID number: wrong length (not 15 or 18)");

    assert_int_equal(CONVERT(&fx->plain->ds[XC_DS_PAYMENT], &rec, &rej, "abc", "2024-01-01",
                             "living", "100", "bank", ""), -1);
    assert_int_equal(rej.field, XC_PM_ID_NO);
    assert_string_equal(rej.reason, "bad ID number: invalid character");
}

static void test_record_keeps_bad_id_number_on_member_with_the_error(void **state)
{
    fixture *fx = *state;
    const xc_binding *mb = &fx->plain->ds[XC_DS_MEMBER];
    xc_record rec;
    xc_reject rej;
    ACCEPT(mb, &rec, &rej, "A1", "110105194912310021", "张三", "self");
    assert_int_equal(rec.id_field, XC_MB_ID_NO);
    assert_int_equal(rec.id.error, XC_ID_BAD_CHECK);
    assert_int_equal(rec.id.key, 0);
    assert_text(&rec.v[XC_MB_ID_NO], "110105194912310021");
    assert_int_equal(rec.v[XC_MB_RELATION].i, 0);

    char future[19];
    make_id("11010520300101001", future);
    ACCEPT(mb, &rec, &rej, "A1", future, "", "child");
    assert_int_equal(rec.id.error, XC_ID_BIRTH_AFTER_AS_OF);

    /* So on household. */
    const xc_binding *hh = &fx->plain->ds[XC_DS_HOUSEHOLD];
    ACCEPT(hh, &rec, &rej, "A1", "12345", "", "110105", "national", "active", "2020-01-01",
           "", "");
    assert_int_equal(rec.id_field, XC_HH_WORKER_ID);
    assert_int_equal(rec.id.error, XC_ID_BAD_LENGTH);

    /* A valid one is parsed the same on both sides. */
    ACCEPT(mb, &rec, &rej, "A1", ID_1880, "", "parent");
    assert_int_equal(rec.id.error, XC_ID_VALID);
    assert_int_equal(rec.id.birth, xc_date_from_ymd(1880, 1, 1));
    assert_int_equal(rec.id.sex, 'M');
    assert_int_equal(rec.v[XC_MB_RELATION].i, 3);
}

static void test_record_flags_and_upgrades_15_digit_id_numbers(void **state)
{
    fixture *fx = *state;
    xc_record rec;
    xc_reject rej;
    ACCEPT(HUKOU(fx), &rec, &rej, "110105491231002", "", "", "normal", "");
    assert_int_equal(rec.id.error, XC_ID_VALID);
    assert_true(rec.id.legacy);
    assert_string_equal(rec.id.norm, ID_1949);
    assert_int_equal(rec.id.key, xc_id_pack(ID_1949));
    assert_int_equal(rec.id.birth, xc_date_from_ymd(1949, 12, 31));

    ACCEPT(HUKOU(fx), &rec, &rej, ID_1949, "", "", "normal", "");
    assert_false(rec.id.legacy);
}

static void test_record_warns_about_id_number_with_unknown_county(void **state)
{
    fixture *fx = *state;
    assert_null(xc_region_name(110199));
    char id[19];
    make_id("11019919800101001", id);
    xc_record rec;
    xc_reject rej;
    ACCEPT(HUKOU(fx), &rec, &rej, id, "", "110105", "normal", "");
    assert_int_equal(rec.id.error, XC_ID_VALID);
    assert_true(rec.id.unknown_county);
    assert_true(rec.warn_unknown_county);
}

/* ---- region codes ---- */

static void test_record_reads_six_digit_region_codes(void **state)
{
    fixture *fx = *state;
    xc_record rec;
    xc_reject rej;
    ACCEPT(HUKOU(fx), &rec, &rej, ID_1949, "", "440524", "normal", "");
    assert_int_equal(rec.v[XC_HK_REGION_CODE].i, 440524);
    assert_false(rec.warn_unknown_county);

    static const struct { const char *text; const char *reason; } bad[] = {
        {"4405", "region code '4405' has 4 digits, not 6"},
        {"44", "region code '44' has 2 digits, not 6"},
        {"4405240", "region code '4405240' has 7 digits, not 6"},
        {"44052A", "region code '44052A' is not digits"},
        {"-44052", "region code '-44052' is not digits"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(CONVERT(HUKOU(fx), &rec, &rej, ID_1949, "", bad[i].text,
                                 "normal", ""), -1);
        assert_int_equal(rej.field, XC_HK_REGION_CODE);
        assert_string_equal(rej.reason, bad[i].reason);
    }
}

static void test_record_accepts_short_region_codes_only_where_allowed(void **state)
{
    fixture *fx = *state;
    const xc_binding *db = &fx->plain->ds[XC_DS_DIBAO_STANDARD];
    static const struct { const char *text; int64_t code; } ok[] = {
        {"44", 44}, {"4405", 4405}, {"440524", 440524},
    };
    xc_record rec;
    xc_reject rej;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        ACCEPT(db, &rec, &rej, ok[i].text, "2024-01-01", "1,050");
        assert_int_equal(rec.v[XC_DB_REGION_CODE].i, ok[i].code);
        assert_int_equal(rec.v[XC_DB_REGION_CODE].len, strlen(ok[i].text));
        assert_int_equal(rec.v[XC_DB_MONTHLY_AMOUNT].i, 105000);
        assert_false(rec.warn_unknown_county);
    }
    assert_int_equal(CONVERT(db, &rec, &rej, "440", "2024-01-01", "1050"), -1);
    assert_int_equal(rej.field, XC_DB_REGION_CODE);
    assert_string_equal(rej.reason, "region code '440' has 3 digits, not 2, 4 or 6");
    assert_int_equal(CONVERT(db, &rec, &rej, "99", "2024-01-01", "1050"), -1);
    assert_string_equal(rej.reason, "region code '99': unknown province");
}

static void test_record_rejects_region_code_of_unknown_province(void **state)
{
    fixture *fx = *state;
    assert_false(xc_region_province_known(990101));
    xc_record rec;
    xc_reject rej;
    assert_int_equal(CONVERT(HUKOU(fx), &rec, &rej, ID_1949, "", "990101", "normal", ""),
                     -1);
    assert_int_equal(rej.field, XC_HK_REGION_CODE);
    assert_string_equal(rej.reason, "region code '990101': unknown province");
}

static void test_record_accepts_region_code_of_unknown_county_with_a_warning(void **state)
{
    fixture *fx = *state;
    assert_null(xc_region_name(110199));
    assert_true(xc_region_province_known(110199));
    xc_record rec;
    xc_reject rej;
    ACCEPT(HUKOU(fx), &rec, &rej, ID_1949, "", "110199", "normal", "");
    assert_int_equal(rec.v[XC_HK_REGION_CODE].i, 110199);
    assert_true(rec.warn_unknown_county);
    assert_false(rec.id.unknown_county);
}

/* ---- money and numbers in rows ---- */

static void test_record_reads_money_fields_in_fen(void **state)
{
    fixture *fx = *state;
    const xc_binding *pm = &fx->plain->ds[XC_DS_PAYMENT];
    xc_record rec;
    xc_reject rej;
    ACCEPT(pm, &rec, &rej, ID_1949, "2024-05-01", "medical", "￥1,234.5", "bank", "");
    assert_int_equal(rec.v[XC_PM_AMOUNT].i, 123450);
    assert_true(rec.v[XC_PM_PERSONAL_BURDEN].null);
    ACCEPT(pm, &rec, &rej, ID_1949, "2024-05-01", "medical", " 80 ", "cash", "12.300");
    assert_int_equal(rec.v[XC_PM_AMOUNT].i, 8000);
    assert_int_equal(rec.v[XC_PM_PERSONAL_BURDEN].i, 1230);
    assert_int_equal(CONVERT(pm, &rec, &rej, ID_1949, "2024-05-01", "medical", "12.345",
                             "bank", ""), -1);
    assert_int_equal(rej.field, XC_PM_AMOUNT);
    assert_string_equal(rej.reason, "'12.345' is not an amount of money: " WHY_FEN);
}

static void test_record_reads_decimal_numbers(void **state)
{
    fixture *fx = *state;
    const xc_binding *pr = &fx->plain->ds[XC_DS_PROPERTY];
    xc_record rec;
    xc_reject rej;
    ACCEPT(pr, &rec, &rej, ID_1949, "", "residential", "89.5", "", "2010-01-01", "");
    assert_true(rec.v[XC_PR_AREA_M2].d == 89.5);
    static const char *const bad[] = {"89,5", "89.5m2", "nan", "inf", "0x1A", "1e999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (CONVERT(pr, &rec, &rej, ID_1949, "", "residential", bad[i], "", "2010-01-01",
                    "") != -1)
            fail_msg("'%s' was accepted as a number", bad[i]);
        assert_int_equal(rej.field, XC_PR_AREA_M2);
    }
}

/* ---- values that cannot be true ---- */

/* A row that converts, per dataset of the plain configuration: its dates
 * on or before as_of and before one another, its end dates empty. */
typedef struct base_row {
    xc_ds_id ds;
    const char *vals[XC_MAX_FIELDS];
    size_t n;
} base_row;

static const base_row base_rows[] = {
    {XC_DS_HOUSEHOLD, {"A1", ID_1949, "", "110105", "national", "active", "2020-01-01", "",
                       ""}, 9},
    {XC_DS_CONTACT, {"A1", "2026-01-05", "phone", "C1"}, 4},
    {XC_DS_PAYMENT, {ID_1949, "2026-01-05", "medical", "100", "bank", "20"}, 6},
    {XC_DS_EXIT_RECORD, {"A1", "2026-01-01", "2026-01-02", "2026-01-09", "2026-01-12",
                         "2026-01-13"}, 6},
    {XC_DS_FOLLOWUP, {"A1", "2026-03-01"}, 2},
    {XC_DS_HUKOU, {ID_1949, "", "", "deceased", "2026-01-05"}, 5},
    {XC_DS_SOCIAL_INSURANCE, {ID_1949, "2026-01", "pension", NULL, "1,850.00"}, 5},
    {XC_DS_PROPERTY, {ID_1949, "", "residential", "89.5", "", "2010-01-01", ""}, 7},
    {XC_DS_VEHICLE, {ID_1949, "", "car", "2010-01-01", "", "100,000"}, 6},
    {XC_DS_BUSINESS, {ID_1949, "", "legal_rep", "10,000", "active", "2010-01-01", ""}, 7},
    {XC_DS_DIBAO_STANDARD, {"53", "2026-01-01", "800"}, 3},
    {XC_DS_DISPOSITION, {"A1", "", "HK-DECEASED", "rejected", "2026-01-05", "", "", ""}, 8},
};

static const base_row *base_of(xc_ds_id ds)
{
    for (size_t i = 0; i < sizeof base_rows / sizeof base_rows[0]; i++)
        if (base_rows[i].ds == ds)
            return &base_rows[i];
    fail_msg("no base row for dataset %d", (int)ds);
    return NULL;
}

/* Converts the base row of ds with field f set to text. */
static int convert_with(const fixture *fx, xc_ds_id ds, int f, const char *text,
                        xc_record *rec, xc_reject *rej)
{
    const base_row *b = base_of(ds);
    const char *vals[XC_MAX_FIELDS];
    memcpy(vals, b->vals, sizeof vals);
    assert_true((size_t)f < b->n);
    vals[f] = text;
    return convert_row(fx, &fx->plain->ds[ds], vals, b->n, rec, rej);
}

static void test_record_accepts_every_base_row(void **state)
{
    fixture *fx = *state;
    xc_record rec;
    xc_reject rej;
    for (size_t i = 0; i < sizeof base_rows / sizeof base_rows[0]; i++) {
        const base_row *b = &base_rows[i];
        int rc = convert_row(fx, &fx->plain->ds[b->ds], b->vals, b->n, &rec, &rej);
        if (rc != 0)
            fail_msg("%s: field %d: %s", xc_dataset(b->ds)->name, rej.field, rej.reason);
    }
}

/* Every field that cannot be negative, with a negative value. */
typedef struct sign_case {
    xc_ds_id ds;
    int field;
    const char *text;
} sign_case;

static void test_record_refuses_a_minus_sign_where_a_value_cannot_be_negative(void **state)
{
    fixture *fx = *state;
    static const sign_case cases[] = {
        /* 2026-12-01: -500.00 was accepted as a payment. */
        {XC_DS_PAYMENT, XC_PM_AMOUNT, "-500.00"},
        {XC_DS_PAYMENT, XC_PM_AMOUNT, "-0.00"},
        {XC_DS_PAYMENT, XC_PM_AMOUNT, "-￥12"},
        {XC_DS_PAYMENT, XC_PM_PERSONAL_BURDEN, "-1"},
        {XC_DS_SOCIAL_INSURANCE, XC_SI_AMOUNT, "-1,850.00"},
        {XC_DS_PROPERTY, XC_PR_AREA_M2, "-89.5"},
        {XC_DS_PROPERTY, XC_PR_AREA_M2, "-0"},
        {XC_DS_VEHICLE, XC_VH_PRICE, "-100000"},
        {XC_DS_BUSINESS, XC_BZ_REGISTERED_CAPITAL, "-10,000"},
        {XC_DS_DIBAO_STANDARD, XC_DB_MONTHLY_AMOUNT, "-800"},
    };
    xc_record rec;
    xc_reject rej;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const sign_case *c = &cases[i];
        const char *name = xc_dataset(c->ds)->fields[c->field].name;
        if (convert_with(fx, c->ds, c->field, c->text, &rec, &rej) != -1)
            fail_msg("%s '%s' was accepted", name, c->text);
        assert_int_equal(rej.field, c->field);
        char want[256];
        snprintf(want, sizeof want, "'%s' is negative, but %s cannot be: 0 or more", c->text,
                 name);
        assert_string_equal(rej.reason, want);
        /* The same without its sign is accepted. */
        if (convert_with(fx, c->ds, c->field, c->text + 1, &rec, &rej) != 0)
            fail_msg("%s '%s' was refused: %s", name, c->text + 1, rej.reason);
    }
    /* Every amount and number of the schema cannot be negative, and has a
     * case above. */
    for (int d = 0; d < XC_DS_COUNT; d++) {
        const xc_dataset_def *ds = xc_dataset((xc_ds_id)d);
        for (int f = 0; f < ds->n_fields; f++) {
            if (ds->fields[f].type != XC_F_MONEY && ds->fields[f].type != XC_F_NUMBER)
                continue;
            if (!ds->fields[f].nonneg)
                fail_msg("%s.%s may be negative", ds->name, ds->fields[f].name);
            bool tested = false;
            for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
                tested |= cases[i].ds == (xc_ds_id)d && cases[i].field == f;
            if (!tested)
                fail_msg("%s.%s has no case", ds->name, ds->fields[f].name);
        }
    }
}

/* The date fields that record something that has happened: no later than
 * the last day the data can know. The others may lie ahead: a publicity
 * period planned, a standard announced, a month of contributions paid in
 * advance. */
typedef struct when_case {
    xc_ds_id ds;
    int field;
    bool not_after_as_of;
} when_case;

static const when_case when_cases[] = {
    {XC_DS_HOUSEHOLD, XC_HH_ENROLLED_ON, true},
    {XC_DS_HOUSEHOLD, XC_HH_EXITED_ON, true},
    {XC_DS_CONTACT, XC_CT_CONTACT_DATE, true},
    {XC_DS_PAYMENT, XC_PM_PAID_ON, true},
    {XC_DS_EXIT_RECORD, XC_EX_APPLIED_ON, true},
    {XC_DS_EXIT_RECORD, XC_EX_PUBLICITY_FROM, false},
    {XC_DS_EXIT_RECORD, XC_EX_PUBLICITY_TO, false},
    {XC_DS_EXIT_RECORD, XC_EX_APPROVED_ON, true},
    {XC_DS_EXIT_RECORD, XC_EX_NOTIFIED_ON, true},
    {XC_DS_FOLLOWUP, XC_FU_FOLLOWUP_ON, true},
    {XC_DS_DISPOSITION, XC_DP_DECIDED_ON, true},
    {XC_DS_DISPOSITION, XC_DP_EXPIRES_ON, false},      /* a day to come */
    {XC_DS_HUKOU, XC_HK_STATUS_ON, true},
    {XC_DS_SOCIAL_INSURANCE, XC_SI_MONTH, false},
    {XC_DS_PROPERTY, XC_PR_REGISTERED_ON, true},
    {XC_DS_PROPERTY, XC_PR_CANCELLED_ON, true},
    {XC_DS_VEHICLE, XC_VH_REGISTERED_ON, true},
    {XC_DS_VEHICLE, XC_VH_DEREGISTERED_ON, true},
    {XC_DS_BUSINESS, XC_BZ_ESTABLISHED_ON, true},
    {XC_DS_BUSINESS, XC_BZ_CLOSED_ON, true},
    {XC_DS_DIBAO_STANDARD, XC_DB_EFFECTIVE_FROM, false},
};

static void test_record_refuses_dates_after_as_of_where_they_cannot_be(void **state)
{
    fixture *fx = *state;
    xc_record rec;
    xc_reject rej;
    /* 2026-12-01: enrollments, exits, deaths, registrations and payments
     * after as_of were accepted. */
    for (size_t i = 0; i < sizeof when_cases / sizeof when_cases[0]; i++) {
        const when_case *c = &when_cases[i];
        const xc_field_def *fd = &xc_dataset(c->ds)->fields[c->field];
        bool month = fd->type == XC_F_MONTH;
        assert_int_equal(fd->not_after_as_of, c->not_after_as_of);
        const char *on = month ? "2026-06" : "2026-06-30";
        const char *after = month ? "2026-07" : "2026-07-01";
        if (convert_with(fx, c->ds, c->field, on, &rec, &rej) != 0)
            fail_msg("%s '%s' was refused: %s", fd->name, on, rej.reason);
        int rc = convert_with(fx, c->ds, c->field, after, &rec, &rej);
        if (!c->not_after_as_of) {
            if (rc != 0)
                fail_msg("%s '%s' was refused: %s", fd->name, after, rej.reason);
            continue;
        }
        if (rc != -1)
            fail_msg("%s '%s' was accepted", fd->name, after);
        assert_int_equal(rej.field, c->field);
        char want[256];
        snprintf(want, sizeof want, "%s '%s' is after as_of 2026-06-30: it records something "
                 "that has happened, so it can be as_of at the latest", fd->name, after);
        assert_string_equal(rej.reason, want);
    }
    /* Every date field of the schema has a case. */
    for (int d = 0; d < XC_DS_COUNT; d++) {
        const xc_dataset_def *ds = xc_dataset((xc_ds_id)d);
        for (int f = 0; f < ds->n_fields; f++) {
            if (ds->fields[f].type != XC_F_DATE && ds->fields[f].type != XC_F_MONTH)
                continue;
            bool tested = false;
            for (size_t i = 0; i < sizeof when_cases / sizeof when_cases[0]; i++)
                tested |= when_cases[i].ds == (xc_ds_id)d && when_cases[i].field == f;
            if (!tested)
                fail_msg("%s.%s has no case", ds->name, ds->fields[f].name);
        }
    }
}

static void test_record_reads_events_after_as_of_of_a_later_export(void **state)
{
    fixture *fx = *state;
    xc_record rec;
    xc_reject rej;
    /* A run on 2026-12-01 judging 2026-06-30: what happened in between is
     * real, what lies after the day of the run is not. */
    fx->latest = xc_date_from_ymd(2026, 12, 1);
    int rc_between = convert_with(fx, XC_DS_HUKOU, XC_HK_STATUS_ON, "2026-12-01", &rec, &rej);
    xc_date between = (xc_date)rec.v[XC_HK_STATUS_ON].i;
    int rc_after = convert_with(fx, XC_DS_HOUSEHOLD, XC_HH_EXITED_ON, "2026-12-02", &rec,
                                &rej);
    fx->latest = fx->as_of;
    assert_int_equal(rc_between, 0);
    assert_int_equal(between, xc_date_from_ymd(2026, 12, 1));
    assert_int_equal(rc_after, -1);
    assert_int_equal(rej.field, XC_HH_EXITED_ON);
    assert_string_equal(rej.reason, "exited_on '2026-12-02' is after today, 2026-12-01 (as_of "
                        "2026-06-30): it records something that has happened, so it can be "
                        "today at the latest");
}

typedef struct year_case {
    xc_ds_id ds;
    int field;
    const char *text;
    const char *why;     /* NULL: accepted */
} year_case;

#define WHY_EARLY(text, field) "'" text "' is before 1900: " field " cannot be that early " \
                               "(years 1900 to 2099)"
#define WHY_PLACEHOLDER(text) "'" text "' is after 2099: a placeholder, not a real date " \
                              "(years 1900 to 2099); if the export means no date by it, " \
                              "add it to the dataset's null texts"

static void test_record_refuses_years_before_1900_and_placeholder_years(void **state)
{
    fixture *fx = *state;
    static const year_case cases[] = {
        {XC_DS_HUKOU, XC_HK_STATUS_ON, "1900-01-01", NULL},
        {XC_DS_HUKOU, XC_HK_STATUS_ON, "1899-12-31", WHY_EARLY("1899-12-31", "status_on")},
        /* 2026-12-01: year 0001 was a date like any other. */
        {XC_DS_HOUSEHOLD, XC_HH_ENROLLED_ON, "0001-01-01",
         WHY_EARLY("0001-01-01", "enrolled_on")},
        {XC_DS_PROPERTY, XC_PR_REGISTERED_ON, "1000-05-05",
         WHY_EARLY("1000-05-05", "registered_on")},
        {XC_DS_SOCIAL_INSURANCE, XC_SI_MONTH, "1899-12", WHY_EARLY("1899-12", "month")},
        {XC_DS_SOCIAL_INSURANCE, XC_SI_MONTH, "1900-01", NULL},
        {XC_DS_DIBAO_STANDARD, XC_DB_EFFECTIVE_FROM, "2099-12-31", NULL},
        {XC_DS_DIBAO_STANDARD, XC_DB_EFFECTIVE_FROM, "2100-01-01",
         WHY_PLACEHOLDER("2100-01-01")},
        {XC_DS_EXIT_RECORD, XC_EX_PUBLICITY_TO, "9999-12-31", WHY_PLACEHOLDER("9999-12-31")},
        {XC_DS_SOCIAL_INSURANCE, XC_SI_MONTH, "9999-12", WHY_PLACEHOLDER("9999-12")},
        /* 2026-12-01: 9999-12-31 was an exit date. */
        {XC_DS_HOUSEHOLD, XC_HH_EXITED_ON, "9999-12-31", WHY_PLACEHOLDER("9999-12-31")},
        {XC_DS_VEHICLE, XC_VH_DEREGISTERED_ON, "2999-01-01", WHY_PLACEHOLDER("2999-01-01")},
    };
    xc_record rec;
    xc_reject rej;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const year_case *c = &cases[i];
        int rc = convert_with(fx, c->ds, c->field, c->text, &rec, &rej);
        if (!c->why) {
            if (rc != 0)
                fail_msg("'%s' was refused: %s", c->text, rej.reason);
            continue;
        }
        if (rc != -1)
            fail_msg("'%s' was accepted", c->text);
        assert_int_equal(rej.field, c->field);
        assert_string_equal(rej.reason, c->why);
    }
}

static void test_record_reads_a_placeholder_named_as_a_null_text_as_no_date(void **state)
{
    fixture *fx = *state;
    xc_record rec;
    xc_reject rej;
    ACCEPT(HUKOU_C(fx), &rec, &rej, ID_1949, "", "", "0", "9999-12-31");
    assert_true(rec.v[XC_HK_STATUS_ON].null);
    /* Written otherwise, it is not that null text. */
    assert_int_equal(CONVERT(HUKOU_C(fx), &rec, &rej, ID_1949, "", "", "0", "99991231"), -1);
    assert_int_equal(rej.field, XC_HK_STATUS_ON);
    assert_string_equal(rej.reason, WHY_PLACEHOLDER("99991231"));
}

typedef struct order_case {
    xc_ds_id ds;
    int start, end;
    const char *start_text, *end_text;
    const char *why;     /* NULL: accepted */
} order_case;

static void test_record_refuses_an_end_before_its_start(void **state)
{
    fixture *fx = *state;
    static const order_case cases[] = {
        /* 2026-12-01: an exit before the enrollment was accepted. */
        {XC_DS_HOUSEHOLD, XC_HH_ENROLLED_ON, XC_HH_EXITED_ON, "2020-01-01", "2019-12-31",
         "exited_on 2019-12-31 is before enrolled_on 2020-01-01: it cannot precede it"},
        {XC_DS_HOUSEHOLD, XC_HH_ENROLLED_ON, XC_HH_EXITED_ON, "2020-01-01", "2020-01-01", NULL},
        {XC_DS_HOUSEHOLD, XC_HH_ENROLLED_ON, XC_HH_EXITED_ON, "2020-01-01", "", NULL},
        {XC_DS_PROPERTY, XC_PR_REGISTERED_ON, XC_PR_CANCELLED_ON, "2010-01-01", "2009-06-30",
         "cancelled_on 2009-06-30 is before registered_on 2010-01-01: it cannot precede it"},
        {XC_DS_PROPERTY, XC_PR_REGISTERED_ON, XC_PR_CANCELLED_ON, "2010-01-01", "2010-01-02",
         NULL},
        {XC_DS_VEHICLE, XC_VH_REGISTERED_ON, XC_VH_DEREGISTERED_ON, "2010-01-01", "2001-01-01",
         "deregistered_on 2001-01-01 is before registered_on 2010-01-01: it cannot precede "
         "it"},
        {XC_DS_BUSINESS, XC_BZ_ESTABLISHED_ON, XC_BZ_CLOSED_ON, "2010-01-01", "2009-12-31",
         "closed_on 2009-12-31 is before established_on 2010-01-01: it cannot precede it"},
        {XC_DS_BUSINESS, XC_BZ_ESTABLISHED_ON, XC_BZ_CLOSED_ON, "", "2009-12-31", NULL},
    };
    xc_record rec;
    xc_reject rej;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const order_case *c = &cases[i];
        const base_row *b = base_of(c->ds);
        const char *vals[XC_MAX_FIELDS];
        memcpy(vals, b->vals, sizeof vals);
        vals[c->start] = c->start_text;
        vals[c->end] = c->end_text;
        int rc = convert_row(fx, &fx->plain->ds[c->ds], vals, b->n, &rec, &rej);
        if (!c->why) {
            if (rc != 0)
                fail_msg("%s..%s was refused: %s", c->start_text, c->end_text, rej.reason);
            continue;
        }
        if (rc != -1)
            fail_msg("%s..%s was accepted", c->start_text, c->end_text);
        assert_int_equal(rej.field, c->end);
        assert_string_equal(rej.reason, c->why);
    }
}

/* Money as every output writes it, from one formatter: the evidence's
 * months and the flags' summaries. */
static void test_record_formats_money_as_yuan_with_two_decimals(void **state)
{
    (void)state;
    char out[32];
    assert_string_equal(xc_money_format(165050, out), "1650.50");
    assert_string_equal(xc_money_format(0, out), "0.00");
    assert_string_equal(xc_money_format(-307, out), "-3.07");
    assert_string_equal(xc_money_format(-7, out), "-0.07");
    assert_string_equal(xc_money_format(INT64_MIN, out), "-92233720368547758.08");
    assert_string_equal(xc_money_format(INT64_MAX, out), "92233720368547758.07");
    /* what is read back is what was written */
    int64_t fen;
    assert_int_equal(xc_money_parse("-3.07", 5, &fen), 0);
    assert_string_equal(xc_money_format(fen, out), "-3.07");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money_parses_whole_yuan),
        cmocka_unit_test(test_money_parses_one_decimal_as_tenths_of_yuan),
        cmocka_unit_test(test_money_parses_two_decimals_and_thousands_separators),
        cmocka_unit_test(test_money_parses_negative_amounts),
        cmocka_unit_test(test_money_accepts_yuan_signs),
        cmocka_unit_test(test_money_rejects_fractions_of_a_fen),
        cmocka_unit_test(test_money_accepts_trailing_zero_decimals),
        cmocka_unit_test(test_money_rejects_text_that_is_not_an_amount),
        cmocka_unit_test(test_money_reads_only_the_given_length),
        cmocka_unit_test(test_money_accepts_and_refuses_by_the_table),
        cmocka_unit_test(test_number_accepts_and_refuses_by_the_table),
        cmocka_unit_test(test_record_keeps_text_trimmed_and_the_source_line),
        cmocka_unit_test(test_record_rejects_a_row_with_a_problem_from_the_source),
        cmocka_unit_test(test_record_parses_dates_in_the_default_format),
        cmocka_unit_test(test_record_parses_dates_in_a_configured_format),
        cmocka_unit_test(test_record_tries_each_alternative_date_format),
        cmocka_unit_test(test_record_parses_months_in_the_default_format),
        cmocka_unit_test(test_record_parses_months_in_a_configured_format),
        cmocka_unit_test(test_record_maps_raw_codes_through_the_value_map),
        cmocka_unit_test(test_record_accepts_logical_names_in_any_case),
        cmocka_unit_test(test_record_rejects_unmapped_code_naming_field_and_map_key),
        cmocka_unit_test(test_record_reads_value_lists_with_mixed_separators),
        cmocka_unit_test(test_record_maps_value_list_items_through_the_value_map),
        cmocka_unit_test(test_record_accepts_empty_nullable_fields),
        cmocka_unit_test(test_record_rejects_empty_required_fields),
        cmocka_unit_test(test_record_treats_configured_null_texts_as_empty),
        cmocka_unit_test(test_record_rejects_bad_id_number_on_a_reference_dataset),
        cmocka_unit_test(test_record_keeps_bad_id_number_on_member_with_the_error),
        cmocka_unit_test(test_record_flags_and_upgrades_15_digit_id_numbers),
        cmocka_unit_test(test_record_warns_about_id_number_with_unknown_county),
        cmocka_unit_test(test_record_reads_six_digit_region_codes),
        cmocka_unit_test(test_record_accepts_short_region_codes_only_where_allowed),
        cmocka_unit_test(test_record_rejects_region_code_of_unknown_province),
        cmocka_unit_test(test_record_accepts_region_code_of_unknown_county_with_a_warning),
        cmocka_unit_test(test_record_reads_money_fields_in_fen),
        cmocka_unit_test(test_record_reads_decimal_numbers),
        cmocka_unit_test(test_record_accepts_every_base_row),
        cmocka_unit_test(test_record_refuses_a_minus_sign_where_a_value_cannot_be_negative),
        cmocka_unit_test(test_record_refuses_dates_after_as_of_where_they_cannot_be),
        cmocka_unit_test(test_record_reads_events_after_as_of_of_a_later_export),
        cmocka_unit_test(test_record_refuses_years_before_1900_and_placeholder_years),
        cmocka_unit_test(test_record_reads_a_placeholder_named_as_a_null_text_as_no_date),
        cmocka_unit_test(test_record_refuses_an_end_before_its_start),
        cmocka_unit_test(test_record_formats_money_as_yuan_with_two_decimals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
