/* test_results_pg.c - results.c against a real PostgreSQL server.
 *
 * Run by results-pg.sh, which starts a throwaway cluster (tests/support/
 * pg.sh) and sets PGHOST, PGPORT, PGUSER (a superuser), PGDATABASE, and
 * PG_TCP_HOST / PG_PASSWORD for a login over TCP. Runs are built in memory:
 * an archive, flags with rules from xc_rule_by_id(), a few rate rows. Each
 * test works in a schema of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xcheck/archive.h"
#include "xcheck/config.h"
#include "xcheck/idno.h"
#include "xcheck/pseudonym.h"
#include "xcheck/results.h"
#include "xcheck/plugin/rule.h"
#include "xcheck/run.h"
#include "xcheck/schema.h"

/* Every results session's lock_timeout, as a configuration gives it. */
#define WAIT_MS XC_LOCK_TIMEOUT_DEFAULT_MS

/* The keys runs are published under: bytes 0..31, and 1..32. */
static xc_key *tkey, *other_key;

/* ---- the superuser's connection, for setting up and looking ------------- */

static PGconn *admin;

static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static void sql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sql(const char *fmt, ...)
{
    char q[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof q, fmt, ap);
    va_end(ap);
    PGresult *r = PQexec(admin, q);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        fail_msg("%s\n-> %s", q, PQerrorMessage(admin));
    PQclear(r);
}

/* The first value of a query, "(null)" for NULL, "(none)" for no row. */
static const char *value(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *value(const char *fmt, ...)
{
    static char out[4096];
    char q[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof q, fmt, ap);
    va_end(ap);
    PGresult *r = PQexec(admin, q);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("%s\n-> %s", q, PQerrorMessage(admin));
    snprintf(out, sizeof out, "%s", PQntuples(r) == 0 ? "(none)"
             : PQgetisnull(r, 0, 0) ? "(null)" : PQgetvalue(r, 0, 0));
    PQclear(r);
    return out;
}

static long count(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static long count(const char *fmt, ...)
{
    char q[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof q, fmt, ap);
    va_end(ap);
    return strtol(value("%s", q), NULL, 10);
}

/* A connection string for another role; host, port and database come
 * from PG*. */
static const char *conninfo_as(const char *user)
{
    static char out[256];
    snprintf(out, sizeof out, "user=%s", user);
    return out;
}

/* ---- runs built in memory ------------------------------------------------ */

enum { SELF = 0, SPOUSE = 1 };

/* Persons of the fixture archive, by index: the workers of A-1 ... A-6,
 * A-1's spouse, and A-5's spouse whose number is invalid. */
static char person_id[8][19];
static const char *const bad_id = "53010219800230123";

static xc_date day(int y, int m, int d)
{
    return xc_date_from_ymd(y, m, d);
}

static void make_ids(void)
{
    for (int i = 0; i < 7; i++) {
        snprintf(person_id[i], 19, "%06u%04d%02d%02d%03d", 530102u, 1960 + i, 3, 10 + i,
                 11 * (i + 1));
        person_id[i][17] = xc_id_check_char(person_id[i]);
        person_id[i][18] = '\0';
    }
}

static void set_text(xc_value *v, const char *s)
{
    memset(v, 0, sizeof *v);
    v->s = s;
    v->len = strlen(s);
    v->null = v->len == 0;
}

static void set_int(xc_value *v, int64_t i)
{
    memset(v, 0, sizeof *v);
    v->s = "";
    v->i = i;
}

static void new_record(xc_record *rec, int id_field, const char *id_text, xc_date as_of)
{
    memset(rec, 0, sizeof *rec);
    for (int i = 0; i < XC_MAX_FIELDS; i++) {
        rec->v[i].null = true;
        rec->v[i].s = "";
    }
    rec->line = 2;
    rec->id_field = id_field;
    set_text(&rec->v[id_field], id_text);
    xc_id_parse(id_text, strlen(id_text), as_of, &rec->id);
}

static void add_household(xc_archive *a, const char *archive_no, const char *worker,
                          xc_date as_of)
{
    xc_record rec;
    new_record(&rec, XC_HH_WORKER_ID, worker, as_of);
    set_text(&rec.v[XC_HH_ARCHIVE_NO], archive_no);
    set_int(&rec.v[XC_HH_REGION_CODE], 530102);
    set_int(&rec.v[XC_HH_LEVEL], 0);
    set_int(&rec.v[XC_HH_STATUS], XC_ST_ACTIVE);
    set_int(&rec.v[XC_HH_ENROLLED_ON], day(2023, 1, 15));
    rec.v[XC_HH_ENROLLED_ON].null = false;
    long first = 0;
    assert_int_equal(xc_archive_add_household(a, &rec, &first), XC_OK);
}

static void add_member(xc_archive *a, const char *archive_no, const char *id_text,
                       int relation, xc_date as_of)
{
    xc_record rec;
    new_record(&rec, XC_MB_ID_NO, id_text, as_of);
    set_text(&rec.v[XC_MB_ARCHIVE_NO], archive_no);
    set_text(&rec.v[XC_MB_NAME], "李四");
    set_int(&rec.v[XC_MB_RELATION], relation);
    assert_int_equal(xc_archive_add_member(a, &rec), XC_OK);
}

/* A run named run_id as of `as_of`, finished at `finished` (Unix time),
 * over the fixture archive: households A-1 ... A-6 and A-BOOM, A-KILL.
 * Free with xc_run_result_free(). */
static void run_init(xc_run_result *r, const char *run_id, xc_date as_of, int64_t finished)
{
    memset(r, 0, sizeof *r);
    snprintf(r->run_id, sizeof r->run_id, "%s", run_id);
    r->version = "0.1.0-test";
    snprintf(r->config_path, sizeof r->config_path, "/etc/xcheck/nightly.ini");
    snprintf(r->config_hash, sizeof r->config_hash, "0123456789abcdef");
    snprintf(r->profile.name, sizeof r->profile.name, "default");
    r->started = finished - 90;
    r->finished = finished;
    r->as_of = as_of;
    xc_dataset_result *hh = &r->ds[XC_DS_HOUSEHOLD];
    hh->evaluated = true;
    snprintf(hh->where, sizeof hh->where, "/data/household.csv");
    hh->counts.read = 8;
    hh->counts.matched = 8;
    hh->parts = 1;
    snprintf(hh->strategy, sizeof hh->strategy, "file");
    xc_dataset_result *hk = &r->ds[XC_DS_HUKOU];
    hk->evaluated = true;
    snprintf(hk->where, sizeof hk->where, "gongan.\"户籍\"");
    hk->counts.read = 120;
    hk->counts.matched = 7;
    hk->counts.unmatched = 110;
    hk->counts.rejected = 3;
    hk->parts = 4;
    snprintf(hk->strategy, sizeof hk->strategy, "pushdown");
    snprintf(hk->strategy_reason, sizeof hk->strategy_reason, "7 IDs against 120 rows, indexed");

    assert_int_equal(xc_archive_new(&r->archive), XC_OK);
    static const char *const nos[] = {"A-1", "A-2", "A-3", "A-4", "A-5", "A-6"};
    for (int i = 0; i < 6; i++) {
        add_household(r->archive, nos[i], person_id[i], as_of);
        add_member(r->archive, nos[i], person_id[i], SELF, as_of);
    }
    add_member(r->archive, "A-1", person_id[6], SPOUSE, as_of);
    add_member(r->archive, "A-5", bad_id, SPOUSE, as_of);
    add_household(r->archive, "A-BOOM", person_id[0], as_of);
    add_household(r->archive, "A-KILL", person_id[1], as_of);
    assert_int_equal(xc_archive_seal(r->archive), XC_OK);

    r->rates = calloc(3, sizeof *r->rates);
    assert_non_null(r->rates);
    r->n_rates = 3;
    r->rates[0] = (xc_rate_row){.rate = XC_RATE_MIS_ENROLLMENT, .group = XC_GROUP_TOTAL,
                                .numerator = 1, .denominator = 6, .evaluated = true,
                                .complete = true, .threshold = 0.01, .pass = false};
    r->rates[1] = (xc_rate_row){.rate = XC_RATE_MISSED_EXIT, .group = XC_GROUP_PROVINCE,
                                .code = 53, .numerator = 0, .denominator = 6,
                                .evaluated = true, .complete = false, .threshold = 0.02,
                                .pass = true};
    r->rates[2] = (xc_rate_row){.rate = XC_RATE_WRONG_EXIT, .group = XC_GROUP_COUNTY,
                                .code = 530102, .threshold = 0.01};

    /* Every rule evaluated, as in a run with every dataset configured. */
    size_t n_rules;
    const xc_rule *const *rules = xc_rules(&n_rules);
    r->rules = calloc(n_rules, sizeof *r->rules);
    assert_non_null(r->rules);
    r->n_rules = n_rules;
    for (size_t i = 0; i < n_rules; i++) {
        r->rules[i].rule = rules[i];
        r->rules[i].evaluated = true;
    }
}

/* Marks the rules whose id begins with prefix ("PR-") not evaluated, as a
 * run without their dataset has them. */
static void not_evaluated(xc_run_result *r, const char *prefix, const char *dataset)
{
    for (size_t i = 0; i < r->n_rules; i++)
        if (strncmp(r->rules[i].rule->id, prefix, strlen(prefix)) == 0) {
            r->rules[i].evaluated = false;
            snprintf(r->rules[i].why_not, sizeof r->rules[i].why_not,
                     "dataset %s not configured", dataset);
        }
    for (int d = 0; d < XC_DS_COUNT; d++)
        if (strcmp(xc_dataset((xc_ds_id)d)->name, dataset) == 0)
            r->ds[d].evaluated = false;
}

/* Adds a flag of rule on household archive_no; person: the member whose ID
 * text is id_text, or the household when NULL. */
static void add_flag(xc_run_result *r, const char *rule, const char *archive_no,
                     const char *id_text, const char *summary, const char *evidence)
{
    xc_flag f;
    memset(&f, 0, sizeof f);
    f.rule = xc_rule_by_id(rule);
    if (!f.rule)
        fail_msg("no rule %s", rule);
    f.category = f.rule->category;
    f.household = xc_archive_find_household(r->archive, archive_no, strlen(archive_no));
    assert_int_not_equal(f.household, XC_NONE);
    f.person = XC_NONE;
    if (id_text) {
        const xc_household *hh = xc_archive_household(r->archive, f.household);
        char buf[19];
        for (uint32_t m = hh->first_member; m != XC_NONE;
             m = xc_archive_person(r->archive, m)->next_member)
            if (strcmp(xc_person_raw_id(r->archive, xc_archive_person(r->archive, m), buf), id_text) == 0)
                f.person = m;
        assert_int_not_equal(f.person, XC_NONE);
    }
    f.from = day(2024, 2, 1);
    f.to = XC_NO_DATE;
    f.summary = strdup(summary);
    f.evidence = strdup(evidence ? evidence : "{\"rule\": \"x\"}");
    assert_non_null(f.summary);
    assert_non_null(f.evidence);
    assert_int_equal(xc_flags_add(&r->flags, &f), XC_OK);
}

static void publish_ok(const char *conninfo, const char *schema, const xc_run_result *r)
{
    xc_err err;
    xc_err_clear(&err);
    if (xc_results_publish(conninfo, schema, WAIT_MS, r, tkey, &err) != XC_OK)
        fail_msg("publish %s: %s / %s / %s / %s", r->run_id, err.msg, err.detail, err.hint,
                 err.where);
}

/* The summary with every character COPY's text format must escape. */
static const char *const tricky = "死亡登记\t民政局\n第二行 C:\\路径\\ \r\\N 结束";

/* ---- publishing ---------------------------------------------------------- */

static void test_results_publish_creates_the_schema_and_rows(void **state)
{
    (void)state;
    assert_string_equal(value("SELECT to_regnamespace('t_first')::text"), "(null)");
    xc_run_result r;
    run_init(&r, "r1", day(2026, 6, 30), 1782800000);
    add_flag(&r, "HK-DECEASED", "A-1", person_id[6], tricky,
             "{\"k\": \"引号\\\" 反斜杠\\\\ 制表\\t\", \"n\": 1}");
    add_flag(&r, "VH-CAR", "A-2", person_id[1], "名下有小汽车", NULL);
    add_flag(&r, "DUP-PERSON", "A-6", NULL, "同一人在两户", NULL);
    add_flag(&r, "ID-INVALID", "A-5", bad_id, "身份证号无效", NULL);
    publish_ok("", "t_first", &r);

    assert_int_equal(count("SELECT count(*) FROM t_first.runs"), 1);
    assert_string_equal(value("SELECT status FROM t_first.runs"), "complete");
    assert_string_equal(value("SELECT as_of FROM t_first.runs"), "2026-06-30");
    assert_string_equal(value("SELECT extract(epoch FROM finished)::bigint - "
                              "extract(epoch FROM started)::bigint FROM t_first.runs"), "90");
    assert_string_equal(value("SELECT extract(epoch FROM finished)::bigint FROM t_first.runs"),
                        "1782800000");
    assert_string_equal(value("SELECT profile || ' ' || config_hash || ' ' || version "
                              "FROM t_first.runs"), "default 0123456789abcdef 0.1.0-test");
    assert_string_equal(value("SELECT snapshot FROM t_first.runs"), "(null)");
    assert_string_equal(value("SELECT sources->'hukou'->>'source' FROM t_first.runs"),
                        "gongan.\"户籍\"");
    assert_string_equal(value("SELECT sources->'hukou'->>'rejected' FROM t_first.runs"), "3");
    assert_string_equal(value("SELECT sources->'hukou'->>'strategy' FROM t_first.runs"),
                        "pushdown");
    assert_string_equal(value("SELECT sources->'hukou'->>'parts' FROM t_first.runs"), "4");
    assert_string_equal(value("SELECT sources->'vehicle'->>'configured' FROM t_first.runs"),
                        "false");
    assert_string_equal(value("SELECT published <= now() FROM t_first.runs"), "t");

    assert_int_equal(count("SELECT count(*) FROM t_first.flags WHERE run_id = 'r1'"), 4);
    /* Every escaped character came back as it was. */
    const char *got = value("SELECT summary FROM t_first.flags WHERE seq = 1");
    assert_string_equal(got, tricky);
    assert_string_equal(value("SELECT evidence->>'k' FROM t_first.flags WHERE seq = 1"),
                        "引号\" 反斜杠\\ 制表\t");
    assert_string_equal(value("SELECT rule || ' ' || category || ' ' || archive_no || ' ' || "
                              "region_code || ' ' || level FROM t_first.flags WHERE seq = 1"),
                        "HK-DECEASED mis_enrollment A-1 530102 national");
    assert_string_equal(value("SELECT enrolled_on || ' ' || condition_from || ' ' || "
                              "coalesce(condition_to::text, '-') "
                              "FROM t_first.flags WHERE seq = 1"),
                        "2023-01-15 2024-02-01 -");
    for (size_t i = 0; i < r.flags.n; i++) {
        xc_flag_key k;
        xc_results_flag_key(r.archive, &r.flags.v[i], tkey, &k);
        assert_string_equal(value("SELECT person_key FROM t_first.flags WHERE seq = %zu",
                                  i + 1), k.person_key);
        assert_int_equal(strlen(k.person_key), XC_PSEUDONYM_LEN);
    }
    /* 2026-12-01: flags held the masked ID (first 6 and last 4) beside an
     * unkeyed hash of the number, which gave every number back in a
     * second. Now neither the number nor its masked form is anywhere. */
    assert_int_equal(count("SELECT count(*) FROM t_first.flags f WHERE f::text LIKE '%%%s%%'",
                           person_id[6]), 0);
    assert_string_equal(value("SELECT count(*) FROM information_schema.columns WHERE "
                              "table_schema = 't_first' AND column_name IN "
                              "('masked_id', 'person_hash')"), "0");
    assert_int_equal(count("SELECT count(*) FROM t_first.flags f WHERE f::text ~ "
                           "'[0-9]{6}\\*{8}[0-9]{3}'"), 0);
    char key_id[XC_KEY_ID_LEN + 1];
    assert_string_equal(value("SELECT key_id FROM t_first.runs"), xc_key_id(tkey, key_id));

    assert_int_equal(count("SELECT count(*) FROM t_first.rates WHERE run_id = 'r1'"), 3);
    assert_string_equal(value("SELECT rate || ' ' || grp || ' ' || code || ' ' || name || ' ' || "
                              "numerator || '/' || denominator || ' ' || round(value::numeric, 6) "
                              "|| ' ' || comparison || ' ' || result || ' ' || complete "
                              "FROM t_first.rates WHERE seq = 1"),
                        "mis_enrollment_rate total all 合计 1/6 0.166667 <= fail true");
    assert_string_equal(value("SELECT code || ' ' || name || ' ' || result || ' ' || complete "
                              "FROM t_first.rates WHERE seq = 2"),
                        /* 2026-12-02: a rate passing on incomplete data
                         * was published as a pass */
                        "53 云南省 incomplete false");
    assert_string_equal(value("SELECT coalesce(value::text, 'null') || ' ' || result "
                              "FROM t_first.rates WHERE seq = 3"), "null not_evaluated");
    xc_run_result_free(&r);
}

static void test_results_publish_streams_a_large_run(void **state)
{
    (void)state;
    /* Several MiB of rows: COPY is fed in chunks. */
    enum { N = 40000 };
    xc_run_result r;
    run_init(&r, "big", day(2026, 6, 30), 1782800000);
    char summary[160];
    for (int i = 0; i < N; i++) {
        snprintf(summary, sizeof summary, "第%d条\t疑点：名下登记有小汽车一辆，购置价格超过限额，"
                 "需入户核实\\%d", i, i);
        add_flag(&r, "VH-CAR", i % 2 ? "A-2" : "A-3", i % 2 ? person_id[1] : person_id[2],
                 summary, NULL);
    }
    publish_ok("", "t_big", &r);
    assert_int_equal(count("SELECT count(*) FROM t_big.flags WHERE run_id = 'big'"), N);
    assert_int_equal(count("SELECT count(DISTINCT summary) FROM t_big.flags"), N);
    snprintf(summary, sizeof summary, "第%d条\t疑点：名下登记有小汽车一辆，购置价格超过限额，"
             "需入户核实\\%d", N - 1, N - 1);
    assert_string_equal(value("SELECT summary FROM t_big.flags WHERE seq = %d", N), summary);
    assert_int_equal(count("SELECT sum(length(summary)) FROM t_big.flags") > 1500000, 1);
    xc_run_result_free(&r);
}

static void test_results_republishing_a_run_replaces_it(void **state)
{
    (void)state;
    xc_run_result r1, r2;
    run_init(&r1, "r1", day(2026, 6, 30), 1782800000);
    add_flag(&r1, "HK-DECEASED", "A-1", person_id[6], "一", NULL);
    add_flag(&r1, "VH-CAR", "A-2", person_id[1], "二", NULL);
    add_flag(&r1, "DUP-PERSON", "A-6", NULL, "三", NULL);
    publish_ok("", "t_again", &r1);
    run_init(&r2, "r2", day(2026, 7, 1), 1782900000);
    add_flag(&r2, "VH-CAR", "A-2", person_id[1], "二", NULL);
    publish_ok("", "t_again", &r2);
    xc_run_result_free(&r1);

    /* The same run id again, corrected: fewer flags, another as_of. */
    run_init(&r1, "r1", day(2026, 6, 29), 1782800000);
    add_flag(&r1, "HK-DECEASED", "A-1", person_id[6], "一（更正）", NULL);
    add_flag(&r1, "BZ-ROLE", "A-4", person_id[3], "四", NULL);
    publish_ok("", "t_again", &r1);
    publish_ok("", "t_again", &r1);

    assert_int_equal(count("SELECT count(*) FROM t_again.runs"), 2);
    assert_string_equal(value("SELECT as_of FROM t_again.runs WHERE run_id = 'r1'"),
                        "2026-06-29");
    assert_int_equal(count("SELECT count(*) FROM t_again.flags WHERE run_id = 'r1'"), 2);
    assert_string_equal(value("SELECT string_agg(summary, ',' ORDER BY seq) FROM t_again.flags "
                              "WHERE run_id = 'r1'"), "一（更正）,四");
    assert_int_equal(count("SELECT count(*) FROM t_again.rates WHERE run_id = 'r1'"), 3);
    /* The other run is untouched. */
    assert_int_equal(count("SELECT count(*) FROM t_again.flags WHERE run_id = 'r2'"), 1);
    assert_int_equal(count("SELECT count(*) FROM t_again.rates WHERE run_id = 'r2'"), 3);
    xc_run_result_free(&r1);
    xc_run_result_free(&r2);
}

/* The rows of run r1 in schema s, as one text, to compare before and after. */
static char *snapshot_of(const char *s)
{
    char *out = strdup(value(
        "SELECT (SELECT string_agg(r::text, '|') FROM %s.runs r WHERE run_id = 'r1') || '#' || "
        "(SELECT string_agg(f::text, '|' ORDER BY seq) FROM %s.flags f WHERE run_id = 'r1') "
        "|| '#' || (SELECT string_agg(t::text, '|' ORDER BY seq) FROM %s.rates t "
        "WHERE run_id = 'r1')", s, s, s));
    assert_non_null(out);
    return out;
}

static void test_results_a_publish_failing_midway_keeps_the_earlier_rows(void **state)
{
    (void)state;
    xc_run_result r;
    run_init(&r, "r1", day(2026, 6, 30), 1782800000);
    add_flag(&r, "HK-DECEASED", "A-1", person_id[6], "一", NULL);
    add_flag(&r, "VH-CAR", "A-2", person_id[1], "二", NULL);
    add_flag(&r, "DUP-PERSON", "A-6", NULL, "三", NULL);
    publish_ok("", "t_fail", &r);
    xc_run_result_free(&r);
    char *before = snapshot_of("t_fail");

    /* A trigger refuses one household's flags: the failure comes after the
     * run's old rows were deleted, inside the publishing transaction. */
    sql("CREATE FUNCTION t_fail.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF NEW.archive_no = 'A-BOOM' THEN RAISE EXCEPTION 'household %% refused', "
        "NEW.archive_no USING ERRCODE = 'XC001', HINT = 'drop the trigger'; END IF; "
        "IF NEW.archive_no = 'A-KILL' THEN PERFORM pg_terminate_backend(pg_backend_pid()); "
        "END IF; RETURN NEW; END $$");
    sql("CREATE TRIGGER refuse BEFORE INSERT ON t_fail.flags FOR EACH ROW "
        "EXECUTE FUNCTION t_fail.refuse()");

    run_init(&r, "r1", day(2026, 7, 1), 1782900000);
    add_flag(&r, "HK-DECEASED", "A-1", person_id[6], "一（新）", NULL);
    add_flag(&r, "DUP-PERSON", "A-BOOM", NULL, "炸", NULL);
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_results_publish("", "t_fail", WAIT_MS, &r, tkey, &err), XC_EIO);
    assert_string_equal(err.msg, "results database: household A-BOOM refused");
    assert_string_equal(err.detail, "SQLSTATE XC001");
    assert_string_equal(err.hint, "drop the trigger");
    assert_string_equal(err.where, "t_fail.flags");
    char *after = snapshot_of("t_fail");
    assert_string_equal(before, after);
    free(after);

    /* A new run that fails leaves no trace. */
    snprintf(r.run_id, sizeof r.run_id, "r9");
    assert_int_equal(xc_results_publish("", "t_fail", WAIT_MS, &r, tkey, &err), XC_EIO);
    assert_int_equal(count("SELECT count(*) FROM t_fail.runs WHERE run_id = 'r9'"), 0);
    assert_int_equal(count("SELECT count(*) FROM t_fail.flags WHERE run_id = 'r9'"), 0);
    xc_run_result_free(&r);

    /* The server goes away in the middle of the transaction. */
    run_init(&r, "r1", day(2026, 7, 1), 1782900000);
    add_flag(&r, "HK-DECEASED", "A-1", person_id[6], "一（新）", NULL);
    add_flag(&r, "DUP-PERSON", "A-KILL", NULL, "断", NULL);
    xc_err_clear(&err);
    assert_int_equal(xc_results_publish("", "t_fail", WAIT_MS, &r, tkey, &err), XC_EIO);
    /* libpq may or may not have read the server's last words. */
    if (!strstr(err.msg, "terminating connection") &&
        !strstr(err.msg, "server closed the connection unexpectedly"))
        fail_msg("%s / %s / %s", err.msg, err.detail, err.where);
    assert_non_null(strstr(err.detail, "SQLSTATE 08006"));
    after = snapshot_of("t_fail");
    assert_string_equal(before, after);
    free(after);
    xc_run_result_free(&r);

    /* A row the server refuses in COPY (evidence that is not JSON): the
     * error names the flag and the column. */
    run_init(&r, "r1", day(2026, 7, 1), 1782900000);
    add_flag(&r, "HK-DECEASED", "A-1", person_id[6], "一（新）", NULL);
    add_flag(&r, "VH-CAR", "A-2", person_id[1], "二", "{not json");
    xc_err_clear(&err);
    assert_int_equal(xc_results_publish("", "t_fail", WAIT_MS, &r, tkey, &err), XC_EIO);
    assert_non_null(strstr(err.msg, "invalid input syntax for type json"));
    assert_string_equal(err.where, "t_fail.flags");
    assert_int_equal(err.row, 2);
    assert_string_equal(err.field, "evidence");
    assert_non_null(strstr(err.detail, "SQLSTATE 22P02"));
    after = snapshot_of("t_fail");
    assert_string_equal(before, after);
    free(after);
    xc_run_result_free(&r);
    free(before);
}

static void test_results_a_role_without_create_publishes_only_into_existing_tables(void **s)
{
    (void)s;
    sql("CREATE ROLE xc_nightly LOGIN");
    sql("CREATE SCHEMA t_locked");
    sql("GRANT USAGE ON SCHEMA t_locked TO xc_nightly");
    xc_run_result r;
    run_init(&r, "r1", day(2026, 6, 30), 1782800000);
    add_flag(&r, "VH-CAR", "A-2", person_id[1], "二", NULL);

    /* No CREATE on the schema: the tables cannot be made. */
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_results_publish(conninfo_as("xc_nightly"), "t_locked", WAIT_MS, &r, tkey,
                                        &err),
                     XC_EIO);
    assert_string_equal(err.msg, "results database: permission denied for schema t_locked");
    assert_string_equal(err.detail, "SQLSTATE 42501");
    assert_true(err.hint[0] != '\0');
    assert_string_equal(value("SELECT to_regclass('t_locked.runs')::text"), "(null)");

    /* No CREATE on the database: no new schema either. */
    xc_err_clear(&err);
    assert_int_equal(xc_results_publish(conninfo_as("xc_nightly"), "t_other", WAIT_MS, &r, tkey,
                                        &err),
                     XC_EIO);
    assert_non_null(strstr(err.msg, "permission denied for database"));
    assert_string_equal(value("SELECT to_regnamespace('t_other')::text"), "(null)");

    /* Once the tables exist, reading and writing them is enough. */
    publish_ok("", "t_locked", &r);
    sql("GRANT SELECT, INSERT, DELETE ON ALL TABLES IN SCHEMA t_locked TO xc_nightly");
    xc_run_result_free(&r);
    run_init(&r, "r2", day(2026, 7, 1), 1782900000);
    add_flag(&r, "VH-CAR", "A-2", person_id[1], "二", NULL);
    publish_ok(conninfo_as("xc_nightly"), "t_locked", &r);
    publish_ok(conninfo_as("xc_nightly"), "t_locked", &r);
    assert_int_equal(count("SELECT count(*) FROM t_locked.runs"), 2);
    assert_int_equal(count("SELECT count(*) FROM t_locked.flags WHERE run_id = 'r2'"), 1);
    xc_run_result_free(&r);
}

static void test_results_connects_by_uri_and_never_shows_the_password(void **state)
{
    (void)state;
    const char *host = getenv("PG_TCP_HOST"), *port = getenv("PGPORT");
    const char *password = getenv("PG_PASSWORD"), *user = getenv("PGUSER");
    if (!host || !port || !password || !password[0] || !user)
        skip();
    xc_run_result r;
    run_init(&r, "r1", day(2026, 6, 30), 1782800000);
    add_flag(&r, "VH-CAR", "A-2", person_id[1], "二", NULL);
    char uri[512];
    snprintf(uri, sizeof uri, "postgresql://%s:%s@%s:%s/%s", user, password, host, port,
             getenv("PGDATABASE") ? getenv("PGDATABASE") : "postgres");
    publish_ok(uri, "t_uri", &r);
    assert_int_equal(count("SELECT count(*) FROM t_uri.flags"), 1);

    /* A wrong password over TCP: refused, and not repeated. */
    char bad[512];
    snprintf(bad, sizeof bad, "host=%s port=%s user=%s password=Wrong-Tiger6-%s", host, port,
             user, password);
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_results_publish(bad, "t_uri", WAIT_MS, &r, tkey, &err), XC_EIO);
    assert_non_null(strstr(err.msg, "password authentication failed"));
    /* the server's own code, not the generic 08001 */
    assert_non_null(strstr(err.detail, "SQLSTATE 28P01"));
    const char *fields[] = {err.msg, err.detail, err.hint, err.where};
    for (int i = 0; i < 4; i++) {
        assert_null(strstr(fields[i], "Wrong-Tiger6"));
        assert_null(strstr(fields[i], password));
    }
    /* A server error on a connection made with a password: not shown either. */
    xc_err_clear(&err);
    xc_diff *d = NULL;
    assert_int_equal(xc_results_diff(uri, "t_nothing_here", WAIT_MS, NULL, &d, &err), XC_EIO);
    assert_null(d);
    assert_non_null(strstr(err.msg, "does not exist"));
    assert_non_null(strstr(err.hint, "no results have been published"));
    assert_null(strstr(err.msg, password));
    xc_run_result_free(&r);
}

static void test_results_ignore_hostile_session_defaults(void **state)
{
    (void)state;
    /* What a role's or a site's settings might impose on every session. */
    setenv("PGOPTIONS", "-c DateStyle=SQL,DMY -c search_path=nowhere "
           "-c TimeZone=Asia/Kathmandu -c IntervalStyle=sql_standard", 1);
    setenv("PGCLIENTENCODING", "GBK", 1);
    xc_run_result r1, r2;
    run_init(&r1, "h1", day(2026, 6, 1), 1780000000);
    add_flag(&r1, "HK-DECEASED", "A-1", person_id[6], tricky, NULL);
    run_init(&r2, "h2", day(2026, 6, 30), 1780000000 + 86400);
    add_flag(&r2, "HK-DECEASED", "A-1", person_id[6], tricky, NULL);
    publish_ok("", "t_hostile", &r1);
    publish_ok("", "t_hostile", &r2);
    xc_diff *d = NULL;
    xc_err err;
    xc_err_clear(&err);
    int rc = xc_results_diff("", "t_hostile", WAIT_MS, NULL, &d, &err);
    unsetenv("PGOPTIONS");
    unsetenv("PGCLIENTENCODING");
    if (rc != XC_OK)
        fail_msg("diff: %s / %s", err.msg, err.detail);
    assert_string_equal(d->run_id, "h2");
    assert_int_equal(d->as_of, day(2026, 6, 30));
    assert_int_equal(d->previous_as_of, day(2026, 6, 1));
    assert_int_equal(d->n_persisting, 1);
    assert_int_equal(d->persisting[0].days_open, 29);
    assert_string_equal(d->persisting[0].summary, tricky);
    xc_results_diff_free(d);
    assert_string_equal(value("SELECT summary FROM t_hostile.flags WHERE run_id = 'h1'"), tricky);
    assert_string_equal(value("SELECT to_char(as_of, 'YYYY-MM-DD') FROM t_hostile.runs "
                              "WHERE run_id = 'h1'"), "2026-06-01");
    assert_string_equal(value("SELECT extract(epoch FROM finished)::bigint FROM t_hostile.runs "
                              "WHERE run_id = 'h1'"), "1780000000");
    xc_run_result_free(&r1);
    xc_run_result_free(&r2);
}

/* ---- the diff ----------------------------------------------------------------- */

/* Flags of the chain, by letter:
 *   A  HK-DECEASED  A-1, the spouse   n1 n2 n3 n4
 *   B  VH-CAR       A-2               .  .  n3 n4
 *   C  PR-MULTI     A-3               n1 .  n3 n4   (a gap: open again since n3)
 *   D  BZ-ROLE      A-4               n1 n2 n3 .
 *   E  ID-INVALID   A-5, bad number   .  .  .  n4
 *   F  DUP-PERSON   A-6 (household)   .  .  .  n4, twice */
static void add_letter(xc_run_result *r, char letter)
{
    switch (letter) {
    case 'A': add_flag(r, "HK-DECEASED", "A-1", person_id[6], "A 已死亡", NULL); break;
    case 'B': add_flag(r, "VH-CAR", "A-2", person_id[1], "B 有车", NULL); break;
    case 'C': add_flag(r, "PR-MULTI", "A-3", person_id[2], "C 多套房", NULL); break;
    case 'D': add_flag(r, "BZ-ROLE", "A-4", person_id[3], "D 法人", NULL); break;
    case 'E': add_flag(r, "ID-INVALID", "A-5", bad_id, "E 号码无效", NULL); break;
    case 'F': add_flag(r, "DUP-PERSON", "A-6", NULL, "F 重复", NULL); break;
    default: fail();
    }
}

static void publish_chain_run(const char *id, xc_date as_of, int64_t finished,
                              const char *letters)
{
    xc_run_result r;
    run_init(&r, id, as_of, finished);
    for (const char *l = letters; *l; l++)
        add_letter(&r, *l);
    publish_ok("", "t_diff", &r);
    xc_run_result_free(&r);
}

/* The diff's list as "SUMMARY-LETTER:days ..." in its order. */
static const char *list_text(const xc_diff_flag *v, size_t n)
{
    static char out[256];
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%c:%d", i ? " " : "",
                 v[i].summary[0], v[i].days_open);
    return out;
}

/* The diff of run_id (NULL: the latest) in schema, which must succeed. */
static xc_diff *diff_in(const char *schema, const char *run_id)
{
    xc_diff *d = NULL;
    xc_err err;
    xc_err_clear(&err);
    if (xc_results_diff("", schema, WAIT_MS, run_id, &d, &err) != XC_OK)
        fail_msg("diff %s: %s / %s / %s", run_id ? run_id : "(latest)", err.msg, err.detail,
                 err.hint);
    return d;
}

static xc_diff *diff_of(const char *run_id)
{
    xc_diff *d = NULL;
    xc_err err;
    xc_err_clear(&err);
    if (xc_results_diff("", "t_diff", WAIT_MS, run_id, &d, &err) != XC_OK)
        fail_msg("diff %s: %s / %s / %s", run_id ? run_id : "(latest)", err.msg, err.detail,
                 err.hint);
    return d;
}

static void test_results_diff_follows_flags_over_a_chain_of_runs(void **state)
{
    (void)state;
    const int64_t t0 = 1780000000;
    /* Published out of order (n3 before n2): the chain is by as_of. */
    publish_chain_run("n1", day(2026, 6, 1), t0, "ACD");
    publish_chain_run("n3", day(2026, 6, 15), t0 + 2 * 86400, "ABCD");
    publish_chain_run("n2", day(2026, 6, 8), t0 + 86400, "AD");
    publish_chain_run("n4", day(2026, 6, 22), t0 + 3 * 86400, "ABCEFF");
    /* A run that never completed, between n3 and n4: not in the chain. */
    sql("INSERT INTO t_diff.runs (run_id, finished, as_of, status) "
        "VALUES ('n3b', to_timestamp(%lld), '2026-06-20', 'failed')",
        (long long)(t0 + 2 * 86400 + 3600));

    xc_diff *d = diff_of("n4");
    assert_string_equal(d->run_id, "n4");
    assert_true(d->has_previous);
    assert_string_equal(d->previous_run_id, "n3");
    assert_int_equal(d->as_of, day(2026, 6, 22));
    assert_int_equal(d->previous_as_of, day(2026, 6, 15));
    assert_string_equal(list_text(d->added, d->n_added), "F:0 E:0");
    assert_string_equal(list_text(d->resolved, d->n_resolved), "D:-1");
    assert_string_equal(list_text(d->persisting, d->n_persisting), "A:21 C:7 B:7");
    assert_int_equal(d->persisting[0].since, day(2026, 6, 1));
    assert_int_equal(d->persisting[1].since, day(2026, 6, 15));
    assert_string_equal(d->persisting[0].rule, "HK-DECEASED");
    assert_string_equal(d->persisting[0].archive_no, "A-1");
    char pkey[XC_PSEUDONYM_LEN + 1];
    assert_string_equal(d->persisting[0].person_key, xc_pseudonym(tkey, person_id[6], pkey));
    assert_string_equal(d->persisting[0].region_code, "530102");
    assert_int_equal(d->persisting[0].condition_from, day(2024, 2, 1));
    assert_string_equal(d->resolved[0].rule, "BZ-ROLE");
    assert_string_equal(d->added[0].rule, "DUP-PERSON");    /* F once, not twice */
    assert_string_equal(d->added[0].person_key, xc_pseudonym(tkey, person_id[5], pkey));
    /* the worker's */
    assert_string_equal(d->added[1].rule, "ID-INVALID");

    xc_buf b = {0};
    xc_results_diff_csv(d, &b);
    char *csv = xc_buf_take(&b);
    char line[128];
    snprintf(line, sizeof line, "\npersisting,VH-CAR,%s,A-2,530102,%s,7,B 有车,\n",
             xc_category_name(xc_rule_by_id("VH-CAR")->category),
             value("SELECT level FROM t_diff.flags WHERE run_id = 'n4' AND rule = 'VH-CAR'"));
    assert_non_null(strstr(csv, line));
    assert_non_null(strstr(csv, "\nresolved,BZ-ROLE,"));
    assert_non_null(strstr(csv, ",,D 法人,\n"));
    free(csv);
    xc_results_diff_format(d, &b);
    char *text = xc_buf_take(&b);
    assert_non_null(strstr(text, "21 days (since 2026-06-01)"));
    assert_non_null(strstr(text, "compared with: n3"));
    free(text);
    xc_results_diff_free(d);

    /* NULL: the run that finished last. */
    d = diff_of(NULL);
    assert_string_equal(d->run_id, "n4");
    assert_string_equal(d->previous_run_id, "n3");
    xc_results_diff_free(d);

    d = diff_of("n3");
    assert_string_equal(d->previous_run_id, "n2");
    assert_string_equal(list_text(d->added, d->n_added), "C:0 B:0");
    assert_int_equal(d->n_resolved, 0);
    assert_string_equal(list_text(d->persisting, d->n_persisting), "D:14 A:14");
    xc_results_diff_free(d);

    d = diff_of("n2");
    assert_string_equal(d->previous_run_id, "n1");
    assert_int_equal(d->n_added, 0);
    assert_string_equal(list_text(d->resolved, d->n_resolved), "C:-1");
    assert_string_equal(list_text(d->persisting, d->n_persisting), "D:7 A:7");
    xc_results_diff_free(d);

    /* The first run: nothing to compare with, all is new. */
    d = diff_of("n1");
    assert_false(d->has_previous);
    assert_string_equal(d->previous_run_id, "");
    assert_int_equal(d->previous_as_of, XC_NO_DATE);
    assert_string_equal(list_text(d->added, d->n_added), "D:0 A:0 C:0");
    assert_int_equal(d->n_resolved + d->n_persisting, 0);
    xc_results_diff_free(d);

    xc_err err;
    xc_err_clear(&err);
    d = NULL;
    assert_int_equal(xc_results_diff("", "t_diff", WAIT_MS, "n3b", &d, &err), XC_EINPUT);
    assert_null(d);
    assert_non_null(strstr(err.msg, "no complete run \"n3b\""));
}

/* 2026-12-02: a night without [property] listed every PR-* flag of the night
 * before as resolved, and the next night with it listed them as new. A
 * rule not evaluated in one of the two runs has its flags not comparable,
 * with the reason. */
static void test_results_diff_keeps_rules_not_evaluated_out_of_new_and_resolved(void **state)
{
    (void)state;
    const int64_t t0 = 1780000000;
    xc_run_result r;
    run_init(&r, "p1", day(2026, 6, 1), t0);
    add_letter(&r, 'A');
    add_letter(&r, 'C');                    /* PR-MULTI */
    publish_ok("", "t_rules", &r);
    xc_run_result_free(&r);
    run_init(&r, "p2", day(2026, 6, 2), t0 + 86400);
    not_evaluated(&r, "PR-", "property");
    add_letter(&r, 'A');
    add_letter(&r, 'B');                    /* VH-CAR, new */
    publish_ok("", "t_rules", &r);
    xc_run_result_free(&r);
    run_init(&r, "p3", day(2026, 6, 3), t0 + 2 * 86400);
    add_letter(&r, 'A');
    add_letter(&r, 'C');
    publish_ok("", "t_rules", &r);
    xc_run_result_free(&r);
    assert_string_equal(value("SELECT (rules->'PR-MULTI')::text FROM t_rules.runs "
                              "WHERE run_id = 'p2'"),
                        "{\"why_not\": \"dataset property not configured\", \"evaluated\": false}");
    assert_string_equal(value("SELECT (rules->'VH-CAR')::text FROM t_rules.runs "
                              "WHERE run_id = 'p2'"), "{\"evaluated\": true}");

    xc_diff *d = diff_in("t_rules", "p2");
    assert_string_equal(d->previous_run_id, "p1");
    assert_string_equal(list_text(d->added, d->n_added), "B:0");
    assert_int_equal(d->n_resolved, 0);
    assert_string_equal(list_text(d->persisting, d->n_persisting), "A:1");
    assert_int_equal(d->n_not_comparable, 1);
    const xc_diff_flag *f = &d->not_comparable[0];
    assert_string_equal(f->rule, "PR-MULTI");
    assert_int_equal(f->change, XC_CHANGE_NOT_COMPARABLE);
    assert_false(f->in_current);
    assert_int_equal(f->days_open, -1);
    assert_string_equal(f->why, "not evaluated in this run (dataset property not "
                        "configured)");
    xc_buf b = {0};
    xc_results_diff_format(d, &b);
    char *text = xc_buf_take(&b);
    assert_non_null(strstr(text, "not comparable: 1    excluded: 0\n"));
    assert_non_null(strstr(text, "\nnot comparable (1)\n  PR-MULTI: not "
                                 "evaluated in this run (dataset property not configured)\n"));
    free(text);
    xc_results_diff_csv(d, &b);
    char *csv = xc_buf_take(&b);
    assert_non_null(strstr(csv, "\nnot_comparable,PR-MULTI,mis_enrollment,A-3,530102,"));
    assert_non_null(strstr(csv, ",C 多套房,not evaluated in this run (dataset property "
                                "not configured)\n"));
    assert_null(strstr(csv, "\nresolved,"));
    free(csv);
    xc_results_diff_free(d);

    /* The night after, with [property] again: C is not new either. */
    d = diff_in("t_rules", "p3");
    assert_int_equal(d->n_added, 0);
    assert_string_equal(list_text(d->resolved, d->n_resolved), "B:-1");
    assert_string_equal(list_text(d->persisting, d->n_persisting), "A:2");
    assert_int_equal(d->n_not_comparable, 1);
    assert_true(d->not_comparable[0].in_current);
    assert_string_equal(d->not_comparable[0].why, "not evaluated in the previous "
                        "run (dataset property not configured)");
    xc_results_diff_free(d);
}

/* 2026-12-02: a run backfilled for an earlier as_of was the "latest" by
 * publication time and was compared with a later run: a flag open since
 * long had days_open -128. Runs follow their as_of. */
static void test_results_diff_orders_runs_by_as_of_when_one_is_backfilled(void **state)
{
    (void)state;
    const int64_t t0 = 1780000000;
    xc_run_result r;
    run_init(&r, "b1", day(2026, 6, 1), t0);
    add_letter(&r, 'A');
    add_letter(&r, 'B');
    publish_ok("", "t_back", &r);
    xc_run_result_free(&r);
    run_init(&r, "b2", day(2026, 6, 22), t0 + 3 * 86400);
    add_letter(&r, 'A');
    publish_ok("", "t_back", &r);
    xc_run_result_free(&r);
    /* Backfilled: made and published last, for January. */
    run_init(&r, "b0", day(2026, 1, 24), t0 + 4 * 86400);
    add_letter(&r, 'A');
    add_letter(&r, 'C');
    publish_ok("", "t_back", &r);
    xc_run_result_free(&r);

    xc_diff *d = diff_in("t_back", NULL);
    assert_string_equal(d->run_id, "b2");
    assert_string_equal(d->previous_run_id, "b1");
    assert_int_equal(d->n_changes, 0);
    assert_string_equal(list_text(d->persisting, d->n_persisting), "A:149");
    assert_int_equal(d->persisting[0].since, day(2026, 1, 24));
    assert_string_equal(list_text(d->resolved, d->n_resolved), "B:-1");
    assert_int_equal(d->n_added + d->n_not_comparable, 0);
    xc_results_diff_free(d);

    d = diff_in("t_back", "b0");
    assert_false(d->has_previous);
    assert_string_equal(list_text(d->added, d->n_added), "A:0 C:0");
    assert_int_equal(d->n_resolved + d->n_persisting + d->n_not_comparable, 0);
    xc_results_diff_free(d);

    d = diff_in("t_back", "b1");
    assert_string_equal(d->previous_run_id, "b0");
    assert_string_equal(list_text(d->added, d->n_added), "B:0");
    assert_string_equal(list_text(d->resolved, d->n_resolved), "C:-1");
    assert_string_equal(list_text(d->persisting, d->n_persisting), "A:128");
    xc_results_diff_free(d);
    assert_int_equal(count("SELECT count(*) FROM t_back.runs"), 3);
}

/* 2026-12-02: a diff said nothing when the configuration, the profile or
 * the data's coverage had changed between the two runs. */
static void test_results_diff_shows_what_changed_between_the_runs(void **state)
{
    (void)state;
    const int64_t t0 = 1780000000;
    xc_run_result r;
    run_init(&r, "c1", day(2026, 6, 1), t0);
    xc_dataset_result *hk = &r.ds[XC_DS_HUKOU];
    snprintf(hk->coverage, sizeof hk->coverage, "2021-01..2025-06");
    hk->exported = day(2025, 6, 30);
    xc_dataset_result *pr = &r.ds[XC_DS_PROPERTY];
    pr->evaluated = true;
    snprintf(pr->where, sizeof pr->where, "zrzy.bdc");
    snprintf(pr->strategy, sizeof pr->strategy, "full_scan");
    add_letter(&r, 'A');
    publish_ok("", "t_changed", &r);
    xc_run_result_free(&r);
    run_init(&r, "c2", day(2026, 6, 2), t0 + 86400);
    snprintf(r.config_hash, sizeof r.config_hash, "fedcba9876543210");
    snprintf(r.profile.name, sizeof r.profile.name, "yunnan");
    hk = &r.ds[XC_DS_HUKOU];
    snprintf(hk->coverage, sizeof hk->coverage, "2021-01..2025-12");
    hk->coverage_declared = true;
    hk->exported = day(2025, 12, 31);
    hk->exported_declared = true;
    not_evaluated(&r, "PR-", "property");
    r.incomplete = true;
    snprintf(r.incomplete_why, sizeof r.incomplete_why, "hukou: 3 rows rejected");
    add_letter(&r, 'A');
    publish_ok("", "t_changed", &r);
    xc_run_result_free(&r);
    assert_string_equal(value("SELECT sources->'hukou'->>'coverage' || ' ' || "
                              "(sources->'hukou'->>'coverage_declared') || ' ' || "
                              "(sources->'hukou'->>'exported') || ' ' || "
                              "(sources->'hukou'->>'exported_declared') FROM t_changed.runs "
                              "WHERE run_id = 'c2'"), "2021-01..2025-12 true 2025-12-31 true");
    assert_string_equal(value("SELECT jsonb_typeof(sources->'member'->'exported') FROM "
                              "t_changed.runs WHERE run_id = 'c2'"), "(null)");
    assert_string_equal(value("SELECT incomplete || ' ' || incomplete_why FROM t_changed.runs "
                              "WHERE run_id = 'c2'"), "true hukou: 3 rows rejected");
    assert_string_equal(value("SELECT incomplete::text || coalesce(incomplete_why, '-') FROM "
                              "t_changed.runs WHERE run_id = 'c1'"), "false-");

    xc_diff *d = diff_in("t_changed", "c2");
    assert_true(d->incomplete);
    assert_string_equal(d->incomplete_why, "hukou: 3 rows rejected");
    assert_int_equal(d->n_changes, 6);
    static const char *const want[][4] = {
        {"config_hash", "", "0123456789abcdef", "fedcba9876543210"},
        {"profile", "", "default", "yunnan"},
        {"incomplete", "", "complete", "incomplete (hukou: 3 rows rejected)"},
        {"coverage", "hukou", "2021-01..2025-06", "2021-01..2025-12 (declared)"},
        {"exported", "hukou", "2025-06-30", "2025-12-31 (declared)"},
        {"configured", "property", "configured", "not configured"},
    };
    for (size_t i = 0; i < d->n_changes; i++) {
        assert_string_equal(d->changes[i].what, want[i][0]);
        assert_string_equal(d->changes[i].dataset, want[i][1]);
        assert_string_equal(d->changes[i].before, want[i][2]);
        assert_string_equal(d->changes[i].after, want[i][3]);
    }
    xc_buf b = {0};
    xc_results_diff_format(d, &b);
    char *text = xc_buf_take(&b);
    assert_non_null(strstr(text, "compared with: c1"));
    assert_non_null(strstr(text, "\nthe runs differ (compare with care):\n"
                                 "  configuration (SHA-256): 0123456789ab → fedcba987654\n"
                                 "  the profile: default → yunnan\n"));
    assert_non_null(strstr(text, "  the dataset property: configured → not "
                                 "configured\n"));
    assert_non_null(strstr(text, "note: this run rests on incomplete "
                                 "data: hukou: 3 rows rejected\n"));
    /* before the counts */
    assert_true(strstr(text, "the runs differ") < strstr(text, "new: "));
    free(text);
    xc_results_diff_csv(d, &b);
    char *csv = xc_buf_take(&b);
    assert_non_null(strstr(csv, "summary,note\nrun_changed,config_hash,,,,,,configuration "
                                "(SHA-256): 0123456789ab → fedcba987654,\n"
                                "run_changed,profile,,,,,,the profile: default → yunnan,\n"));
    assert_non_null(strstr(csv, "\nrun_changed,exported.hukou,,,,,,export date hukou: "
                                "2025-06-30 → 2025-12-31 (declared),\n"));
    free(csv);
    xc_results_diff_free(d);
}

/* Runs published before runs held the rules record: their rules are
 * unknown; the next publication adds the columns. */
static void test_results_diff_reads_runs_without_a_rules_record(void **state)
{
    (void)state;
    const int64_t t0 = 1780000000;
    xc_run_result r;
    run_init(&r, "o1", day(2026, 6, 1), t0);
    add_letter(&r, 'A');
    add_letter(&r, 'B');
    publish_ok("", "t_norules", &r);
    xc_run_result_free(&r);
    run_init(&r, "o2", day(2026, 6, 2), t0 + 86400);
    add_letter(&r, 'A');
    add_letter(&r, 'C');
    publish_ok("", "t_norules", &r);
    xc_run_result_free(&r);
    sql("ALTER TABLE t_norules.runs DROP COLUMN rules, DROP COLUMN incomplete, "
        "DROP COLUMN incomplete_why");

    xc_diff *d = diff_in("t_norules", "o2");
    assert_string_equal(list_text(d->persisting, d->n_persisting), "A:1");
    assert_int_equal(d->n_added + d->n_resolved, 0);
    assert_int_equal(d->n_not_comparable, 2);
    assert_string_equal(d->not_comparable[0].rule, "PR-MULTI");
    assert_string_equal(d->not_comparable[0].why, "the previous run "
                        "has no record of the rules it evaluated");
    assert_string_equal(d->not_comparable[1].rule, "VH-CAR");
    assert_string_equal(d->not_comparable[1].why, "this run has no "
                        "record of the rules it evaluated");
    assert_false(d->incomplete);
    xc_results_diff_free(d);

    /* A role that does not own the table cannot add the columns. */
    sql("CREATE ROLE xc_feeder LOGIN");
    sql("GRANT USAGE ON SCHEMA t_norules TO xc_feeder");
    sql("GRANT SELECT, INSERT, DELETE ON ALL TABLES IN SCHEMA t_norules TO xc_feeder");
    run_init(&r, "o3", day(2026, 6, 3), t0 + 2 * 86400);
    add_letter(&r, 'A');
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_results_publish(conninfo_as("xc_feeder"), "t_norules", WAIT_MS, &r,
                                        tkey, &err), XC_EIO);
    assert_non_null(strstr(err.detail, "SQLSTATE 42501"));
    assert_non_null(strstr(err.hint, "their owner must publish once"));
    publish_ok("", "t_norules", &r);
    xc_run_result_free(&r);
    assert_int_equal(count("SELECT count(*) FROM information_schema.columns WHERE "
                           "table_schema = 't_norules' AND table_name = 'runs' AND column_name "
                           "IN ('rules', 'incomplete', 'incomplete_why')"), 3);
    assert_string_equal(value("SELECT string_agg(run_id || ':' || (rules IS NULL), ',' ORDER BY "
                              "run_id) FROM t_norules.runs"), "o1:true,o2:true,o3:false");
    d = diff_in("t_norules", "o3");
    assert_string_equal(list_text(d->persisting, d->n_persisting), "A:2");
    /* o3 evaluated PR-MULTI: its flag of o2 is resolved */
    assert_string_equal(list_text(d->resolved, d->n_resolved), "C:-1");
    assert_int_equal(d->n_not_comparable, 0);
    xc_results_diff_free(d);
}

/* A flag verified false (a disposition in force, rejected) is neither new
 * nor persisting: the diff lists it apart, whatever the previous run had;
 * one verified right stays what it was. Flags and rates tables laid out
 * before dispositions were kept are read as verified by no one, and get
 * the columns on the next publication. */
static void test_results_diff_lists_flags_verified_false_apart(void **state)
{
    (void)state;
    const int64_t t0 = 1780000000;
    xc_run_result r;
    run_init(&r, "d1", day(2026, 6, 1), t0);
    add_letter(&r, 'A');
    add_letter(&r, 'B');
    publish_ok("", "t_disp", &r);
    xc_run_result_free(&r);
    /* d2: A and B again, A verified false, B right; C new but verified
     * false before this run; E new. */
    run_init(&r, "d2", day(2026, 6, 2), t0 + 86400);
    for (const char *l = "ABCE"; *l; l++)
        add_letter(&r, *l);
    r.flags.v[0].disposition = XC_FLAG_EXCLUDED;
    r.flags.v[1].disposition = XC_FLAG_CONFIRMED;
    r.flags.v[2].disposition = XC_FLAG_EXCLUDED;
    r.rates[0].excluded = 2;
    publish_ok("", "t_disp", &r);
    xc_run_result_free(&r);
    assert_string_equal(value("SELECT string_agg(coalesce(disposition, '-'), ',' ORDER BY seq) "
                              "FROM t_disp.flags WHERE run_id = 'd2'"),
                        "excluded,confirmed,excluded,-");
    assert_string_equal(value("SELECT excluded FROM t_disp.rates WHERE run_id = 'd2' AND "
                              "seq = 1"), "2");

    xc_diff *d = diff_in("t_disp", "d2");
    assert_string_equal(list_text(d->added, d->n_added), "E:0");
    assert_string_equal(list_text(d->persisting, d->n_persisting), "B:1");
    assert_int_equal(d->n_resolved, 0);
    assert_string_equal(list_text(d->excluded, d->n_excluded), "A:-1 C:-1");
    assert_int_equal(d->excluded[0].change, XC_CHANGE_EXCLUDED);
    xc_buf b = {0};
    xc_results_diff_csv(d, &b);
    char *csv = xc_buf_take(&b);
    assert_non_null(strstr(csv, "\nexcluded,HK-DECEASED,"));
    assert_non_null(strstr(csv, "\nexcluded,PR-MULTI,"));
    assert_null(strstr(csv, "\nnew,HK-DECEASED,"));
    free(csv);
    xc_results_diff_format(d, &b);
    char *text = xc_buf_take(&b);
    assert_non_null(strstr(text, "new: 1 "));
    assert_non_null(strstr(text, "excluded: 2\n"));
    free(text);
    xc_results_diff_free(d);

    /* d3: the verification of A has lapsed: A is back, and counts as
     * persisting from d1 on. */
    run_init(&r, "d3", day(2026, 6, 3), t0 + 2 * 86400);
    for (const char *l = "ABCE"; *l; l++)
        add_letter(&r, *l);
    r.flags.v[2].disposition = XC_FLAG_EXCLUDED;
    publish_ok("", "t_disp", &r);
    xc_run_result_free(&r);
    d = diff_in("t_disp", "d3");
    assert_int_equal(d->n_added, 0);
    assert_string_equal(list_text(d->persisting, d->n_persisting), "A:2 B:2 E:1");
    assert_string_equal(list_text(d->excluded, d->n_excluded), "C:-1");
    xc_results_diff_free(d);

    /* A layout without the columns: read as no disposition, then upgraded. */
    sql("ALTER TABLE t_disp.flags DROP COLUMN disposition");
    sql("ALTER TABLE t_disp.rates DROP COLUMN excluded");
    d = diff_in("t_disp", "d3");
    assert_int_equal(d->n_excluded, 0);
    assert_string_equal(list_text(d->persisting, d->n_persisting), "A:2 B:2 E:1 C:1");
    xc_results_diff_free(d);
    run_init(&r, "d4", day(2026, 6, 4), t0 + 3 * 86400);
    add_letter(&r, 'A');
    r.flags.v[0].disposition = XC_FLAG_EXCLUDED;
    publish_ok("", "t_disp", &r);
    xc_run_result_free(&r);
    assert_string_equal(value("SELECT string_agg(coalesce(disposition, '-'), ',') "
                              "FROM t_disp.flags WHERE run_id = 'd4'"), "excluded");
    assert_string_equal(value("SELECT count(*) FILTER (WHERE excluded IS NULL) || '/' || "
                              "count(*) FROM t_disp.rates"), "9/12");
    d = diff_in("t_disp", "d4");
    assert_string_equal(list_text(d->excluded, d->n_excluded), "A:-1");
    assert_string_equal(list_text(d->resolved, d->n_resolved), "E:-1 C:-1 B:-1");
    xc_results_diff_free(d);
}

/* 2026-12-01: a diff compared person keys across runs whatever they were
 * made with. Runs published under another key (a new audit exercise)
 * cannot be compared, and the diff says so. */
static void test_results_diff_refuses_runs_made_under_different_keys(void **state)
{
    (void)state;
    xc_run_result r1, r2;
    run_init(&r1, "k1", day(2026, 6, 1), 1780000000);
    add_letter(&r1, 'A');
    publish_ok("", "t_keys", &r1);
    run_init(&r2, "k2", day(2026, 6, 8), 1780000000 + 86400);
    add_letter(&r2, 'A');
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_results_publish("", "t_keys", WAIT_MS, &r2, other_key, &err), XC_OK);
    xc_diff *d = NULL;
    xc_err_clear(&err);
    assert_int_equal(xc_results_diff("", "t_keys", WAIT_MS, "k2", &d, &err), XC_EINPUT);
    assert_null(d);
    assert_non_null(strstr(err.msg, "different keys"));
    char k1[64];
    snprintf(k1, sizeof k1, "%s", value("SELECT person_key FROM t_keys.flags WHERE run_id = 'k1'"));
    assert_string_not_equal(k1, value("SELECT person_key FROM t_keys.flags WHERE run_id = 'k2'"));
    xc_run_result_free(&r1);
    xc_run_result_free(&r2);
}

/* 2026-12-01: tables of an earlier version keep the masked ID beside an
 * unkeyed hash; the next publication takes both out. */
static void test_results_an_old_layout_is_upgraded_and_its_reversible_keys_wiped(void **state)
{
    (void)state;
    sql("CREATE SCHEMA t_old");
    sql("CREATE TABLE t_old.runs (run_id text PRIMARY KEY, started timestamptz, finished "
        "timestamptz, as_of date NOT NULL, profile text, config_path text, config_hash text, "
        "snapshot text, version text, sources jsonb NOT NULL DEFAULT '{}', status text NOT "
        "NULL, published timestamptz NOT NULL DEFAULT now())");
    sql("CREATE TABLE t_old.flags (run_id text NOT NULL REFERENCES t_old.runs ON DELETE "
        "CASCADE, seq integer NOT NULL, rule text NOT NULL, category text NOT NULL, "
        "archive_no text NOT NULL, region_code text, level text, masked_id text, person_hash "
        "text NOT NULL, enrolled_on date, condition_from date, condition_to date, summary "
        "text, evidence jsonb, PRIMARY KEY (run_id, seq))");
    sql("CREATE TABLE t_old.rates (run_id text NOT NULL REFERENCES t_old.runs ON DELETE "
        "CASCADE, seq integer NOT NULL, rate text NOT NULL, grp text NOT NULL, code text NOT "
        "NULL, name text, numerator bigint NOT NULL, denominator bigint NOT NULL, value double "
        "precision, threshold double precision, comparison text, result text, complete "
        "boolean, PRIMARY KEY (run_id, seq))");
    sql("INSERT INTO t_old.runs (run_id, finished, as_of, status) VALUES ('old', "
        "to_timestamp(1770000000), '2026-05-01', 'complete')");
    sql("INSERT INTO t_old.flags VALUES ('old', 1, 'VH-CAR', 'missed_exit', 'A-2', '530102', "
        "'national', '530102********0131', 'af63dc4c8601ec8c', NULL, NULL, NULL, 'x', "
        "'{\"masked_id\": \"530102********0131\"}')");
    xc_run_result r;
    run_init(&r, "new", day(2026, 6, 1), 1780000000);
    add_letter(&r, 'B');
    publish_ok("", "t_old", &r);
    assert_string_equal(value("SELECT count(*) FROM information_schema.columns WHERE "
                              "table_schema = 't_old' AND column_name IN "
                              "('masked_id', 'person_hash')"), "0");
    assert_string_equal(value("SELECT person_key || '|' || coalesce(evidence::text, 'null') "
                              "FROM t_old.flags WHERE run_id = 'old'"), "|null");
    assert_string_equal(value("SELECT coalesce(key_id, 'none') FROM t_old.runs "
                              "WHERE run_id = 'old'"), "none");
    assert_int_equal(strlen(value("SELECT person_key FROM t_old.flags WHERE run_id = 'new'")),
                     XC_PSEUDONYM_LEN);
    /* The old run has no key: no diff pretends to follow its people. */
    xc_diff *d = NULL;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_results_diff("", "t_old", WAIT_MS, "new", &d, &err), XC_EINPUT);
    xc_run_result_free(&r);
}

static void test_results_prune_deletes_old_runs_with_their_flags_and_rates(void **state)
{
    (void)state;
    xc_run_result r;
    for (int i = 0; i < 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "p%d", i);
        run_init(&r, id, day(2026, 6, 1 + i), 1780000000 + i);
        add_letter(&r, 'A');
        publish_ok("", "t_prune", &r);
        xc_run_result_free(&r);
    }
    sql("UPDATE t_prune.runs SET published = now() - interval '40 days' WHERE run_id = 'p0'");
    sql("UPDATE t_prune.runs SET published = now() - interval '31 days' WHERE run_id = 'p1'");
    long n = -1;
    xc_err err;
    xc_err_clear(&err);
    assert_int_equal(xc_results_prune("", "t_prune", WAIT_MS, 30, &n, &err), XC_OK);
    assert_int_equal(n, 2);
    assert_string_equal(value("SELECT string_agg(run_id, ',') FROM t_prune.runs"), "p2");
    assert_int_equal(count("SELECT count(*) FROM t_prune.flags WHERE run_id <> 'p2'"), 0);
    assert_int_equal(count("SELECT count(*) FROM t_prune.rates WHERE run_id <> 'p2'"), 0);
    assert_true(count("SELECT count(*) FROM t_prune.rates WHERE run_id = 'p2'") > 0);
    assert_int_equal(xc_results_prune("", "t_prune", WAIT_MS, 30, &n, &err), XC_OK);
    assert_int_equal(n, 0);
}

/* 2026-12-02: a lock held by another session (a row of runs, a table, the
 * publishers' advisory lock) kept a publication, a diff or a prune waiting
 * for ever. Each waits lock_timeout, then fails naming what it waited for;
 * lock_timeout bounds the advisory lock too. */
static void test_results_lock_waits_end_naming_the_lock(void **state)
{
    (void)state;
    xc_run_result r;
    run_init(&r, "w1", day(2026, 6, 30), 1782800000);
    add_letter(&r, 'A');
    publish_ok("", "t_wait", &r);
    char *before = strdup(value("SELECT string_agg(t::text, '|') FROM t_wait.runs t"));
    xc_err err;
    xc_diff *d = NULL;
    long n = 0;

    /* A row of runs, locked by another session: replacing the run waits
     * for it. */
    sql("BEGIN");
    sql("SELECT 1 FROM t_wait.runs WHERE run_id = 'w1' FOR UPDATE");
    xc_err_clear(&err);
    assert_int_equal(xc_results_publish("", "t_wait", 300, &r, tkey, &err), XC_EIO);
    sql("ROLLBACK");
    assert_string_equal(err.msg, "results database: waited 0.3 s for a lock on t_wait.runs and "
                        "gave up (lock_timeout)");
    assert_string_equal(err.detail, "SQLSTATE 55P03: canceling statement due to lock timeout");
    assert_non_null(strstr(err.hint, "another session holds or awaits a lock on t_wait.runs"));
    assert_non_null(strstr(err.hint, "pg_locks"));
    assert_string_equal(value("SELECT string_agg(t::text, '|') FROM t_wait.runs t"), before);

    /* flags locked whole: the staging table, made like it, waits. */
    sql("BEGIN");
    sql("LOCK TABLE t_wait.flags IN ACCESS EXCLUSIVE MODE");
    xc_err_clear(&err);
    assert_int_equal(xc_results_publish("", "t_wait", 300, &r, tkey, &err), XC_EIO);
    sql("ROLLBACK");
    assert_non_null(strstr(err.msg, "a lock on t_wait.flags"));

    /* Another publisher: the advisory lock. */
    sql("SELECT pg_advisory_lock(hashtext('xcheck results t_wait'))");
    xc_err_clear(&err);
    assert_int_equal(xc_results_publish("", "t_wait", 300, &r, tkey, &err), XC_EIO);
    assert_string_equal(err.msg, "results database: waited 0.3 s for the publishers' lock of "
                        "schema \"t_wait\" and gave up (lock_timeout)");
    assert_non_null(strstr(err.detail, "SQLSTATE 55P03"));
    assert_non_null(strstr(err.hint, "another xcheck is publishing into or pruning"));
    xc_err_clear(&err);
    assert_int_equal(xc_results_prune("", "t_wait", 300, 0, &n, &err), XC_EIO);
    assert_non_null(strstr(err.msg, "the publishers' lock"));
    sql("SELECT pg_advisory_unlock(hashtext('xcheck results t_wait'))");

    /* A diff of runs locked whole. */
    sql("BEGIN");
    sql("LOCK TABLE t_wait.runs IN ACCESS EXCLUSIVE MODE");
    xc_err_clear(&err);
    assert_int_equal(xc_results_diff("", "t_wait", 1000, NULL, &d, &err), XC_EIO);
    sql("ROLLBACK");
    assert_null(d);
    assert_string_equal(err.msg, "results database: waited 1 s for a lock on t_wait.runs and "
                        "gave up (lock_timeout)");

    /* Nothing held: each goes through. */
    publish_ok("", "t_wait", &r);
    xc_err_clear(&err);
    assert_int_equal(xc_results_diff("", "t_wait", 300, NULL, &d, &err), XC_OK);
    xc_results_diff_free(d);
    assert_int_equal(count("SELECT count(*) FROM t_wait.runs"), 1);
    free(before);
    xc_run_result_free(&r);
}

/* 2026-12-02: a role's idle_in_transaction_session_timeout or lock_timeout
 * applied to the results sessions too; each sets its own. */
static void test_results_sessions_set_their_own_waits(void **state)
{
    (void)state;
    sql("CREATE ROLE xc_waits LOGIN SUPERUSER");
    sql("ALTER ROLE xc_waits SET idle_in_transaction_session_timeout = '1ms'");
    sql("ALTER ROLE xc_waits SET lock_timeout = '1ms'");
    xc_run_result r;
    run_init(&r, "s1", day(2026, 6, 30), 1782800000);
    add_letter(&r, 'A');
    /* Idle in its transactions between statements for longer than 1 ms. */
    publish_ok(conninfo_as("xc_waits"), "t_waits", &r);
    publish_ok(conninfo_as("xc_waits"), "t_waits", &r);
    /* The role's lock_timeout of 1 ms would give up at once. */
    sql("BEGIN");
    sql("SELECT 1 FROM t_waits.runs WHERE run_id = 's1' FOR UPDATE");
    xc_err err;
    xc_err_clear(&err);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(xc_results_publish(conninfo_as("xc_waits"), "t_waits", 400, &r, tkey,
                                        &err), XC_EIO);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    sql("ROLLBACK");
    double waited = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (waited < 0.39)
        fail_msg("gave up after %.3f s, not 0.4: %s", waited, err.msg);
    assert_non_null(strstr(err.msg, "waited 0.4 s for a lock on t_waits.runs"));
    xc_run_result_free(&r);
}

static int setup(void **state)
{
    (void)state;
    make_ids();
    uint8_t bytes[32];
    for (int i = 0; i < 32; i++)
        bytes[i] = (uint8_t)i;
    if (xc_key_from_bytes(bytes, &tkey) < 0)
        return -1;
    for (int i = 0; i < 32; i++)
        bytes[i] = (uint8_t)(i + 1);
    if (xc_key_from_bytes(bytes, &other_key) < 0)
        return -1;
    admin = PQconnectdb("");
    if (PQstatus(admin) != CONNECTION_OK) {
        fprintf(stderr, "test_results_pg: cannot connect: %s", PQerrorMessage(admin));
        return -1;
    }
    PQsetNoticeProcessor(admin, ignore_notice, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    PQfinish(admin);
    xc_key_free(tkey);
    xc_key_free(other_key);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_results_publish_creates_the_schema_and_rows),
        cmocka_unit_test(test_results_publish_streams_a_large_run),
        cmocka_unit_test(test_results_republishing_a_run_replaces_it),
        cmocka_unit_test(test_results_a_publish_failing_midway_keeps_the_earlier_rows),
        cmocka_unit_test(test_results_a_role_without_create_publishes_only_into_existing_tables),
        cmocka_unit_test(test_results_connects_by_uri_and_never_shows_the_password),
        cmocka_unit_test(test_results_ignore_hostile_session_defaults),
        cmocka_unit_test(test_results_diff_follows_flags_over_a_chain_of_runs),
        cmocka_unit_test(test_results_diff_keeps_rules_not_evaluated_out_of_new_and_resolved),
        cmocka_unit_test(test_results_diff_orders_runs_by_as_of_when_one_is_backfilled),
        cmocka_unit_test(test_results_diff_shows_what_changed_between_the_runs),
        cmocka_unit_test(test_results_diff_reads_runs_without_a_rules_record),
        cmocka_unit_test(test_results_diff_lists_flags_verified_false_apart),
        cmocka_unit_test(test_results_diff_refuses_runs_made_under_different_keys),
        cmocka_unit_test(test_results_an_old_layout_is_upgraded_and_its_reversible_keys_wiped),
        cmocka_unit_test(test_results_prune_deletes_old_runs_with_their_flags_and_rates),
        cmocka_unit_test(test_results_lock_waits_end_naming_the_lock),
        cmocka_unit_test(test_results_sessions_set_their_own_waits),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
