/*
 * results.c - a run's results in PostgreSQL, and the diff between runs.
 *
 * Publishing: one connection; the schema and tables are created when
 * missing (under an advisory lock, so two first publishers do not race);
 * the run, its flags and rates are copied into temporary staging tables
 * with COPY ... FROM STDIN (text format); then one short transaction
 * deletes the run's earlier rows and inserts the staged ones. A failure
 * anywhere rolls that transaction back, so readers see the old run or the
 * new one, never a mix.
 *
 * Every statement names its tables with the schema, quoted by
 * PQescapeIdentifier, and search_path is emptied on connecting (as
 * PostgreSQL's own client tools do), so no other schema's objects can stand
 * in for ours or for pg_catalog's functions.
 */
#include "xcheck/results.h"

#include <libpq-fe.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xcheck/evaluate.h"
#include "core/pgconn.h"
#include "xcheck/i18n.h"
#include "xcheck/idno.h"
#include "xcheck/profile.h"
#include "present.h"
#include "xcheck/schema.h"

#define COPY_CHUNK (1u << 20)   /* bytes handed to libpq at a time */

/* ---- text helpers ------------------------------------------------------ */

static void buf_str(xc_buf *b, const char *s)
{
    xc_buf_append(b, s, strlen(s));
}

void xc_results_copy_text(xc_buf *b, const char *s)
{
    if (!s) {
        xc_buf_append(b, "\\N", 2);
        return;
    }
    const char *run = s;
    for (; *s; s++) {
        const char *esc;
        switch (*s) {
        case '\\': esc = "\\\\"; break;
        case '\t': esc = "\\t"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        default: continue;
        }
        xc_buf_append(b, run, (size_t)(s - run));
        xc_buf_append(b, esc, 2);
        run = s + 1;
    }
    xc_buf_append(b, run, (size_t)(s - run));
}

/* ---- flag keys ---------------------------------------------------------- */

static void key_of_person(const xc_archive *a, const xc_person *p, const xc_key *k,
                          char out[XC_PSEUDONYM_LEN + 1])
{
    if (p->key) {
        xc_pseudonym_of_key(k, p->key, out);
        return;
    }
    /* Invalid: the normalised text, so that blanks or full-width digits do
     * not make another person of the same one; the raw text when the
     * normal form was cut. */
    char buf[19];
    const char *raw = xc_person_raw_id(a, p, buf);   /* kept: the key is invalid */
    xc_id parsed;
    xc_id_parse(raw, strlen(raw), 0, &parsed);   /* only norm is used */
    size_t n = strlen(parsed.norm);
    if (n == 0 && raw[0] == '\0')
        out[0] = '\0';
    else if (n > 0 && n < sizeof parsed.norm - 1)
        xc_pseudonym_text(k, parsed.norm, n, out);
    else
        xc_pseudonym_text(k, raw, strlen(raw), out);
}

void xc_results_flag_key(const xc_archive *a, const xc_flag *fl, const xc_key *k,
                         xc_flag_key *ret)
{
    ret->rule = fl->rule ? fl->rule->id : "";
    ret->category = xc_category_name(fl->category);
    ret->person_key[0] = '\0';
    if (fl->household == XC_NONE) {     /* someone in no household */
        ret->archive_no = "";
        xc_pseudonym_of_key(k, fl->subject, ret->person_key);
        return;
    }
    const xc_household *hh = xc_archive_household(a, fl->household);
    ret->archive_no = hh->archive_no;
    if (fl->person != XC_NONE) {
        key_of_person(a, xc_archive_person(a, fl->person), k, ret->person_key);
    } else if (hh->worker_key) {
        xc_pseudonym_of_key(k, hh->worker_key, ret->person_key);
    } else {
        for (uint32_t m = hh->first_member; m != XC_NONE;) {
            const xc_person *p = xc_archive_person(a, m);
            if (p->relation == XC_MB_RELATION_SELF) {
                key_of_person(a, p, k, ret->person_key);
                break;
            }
            m = p->next_member;
        }
    }
}

/* ---- the connection ------------------------------------------------------ */

typedef struct pg {
    PGconn *conn;
    const char *schema;      /* as given */
    char *q;                 /* quoted: PQescapeIdentifier's, PQfreemem */
    char *secret;            /* the connection string's password, or NULL */
    char table[3][200];      /* "schema.runs", "schema.flags", "schema.rates" */
    long lock_timeout_ms;    /* the session's lock_timeout, 0: none */
    bool old_flags;          /* the diff's: flags has no column disposition
                                (laid out before it was kept) */
} pg;

enum { T_RUNS, T_FLAGS, T_RATES };

/* Fills err from a failed statement (r may be NULL: connection lost). */
static int pg_error(pg *c, const PGresult *r, const char *where, xc_err *err)
{
    const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *context = r ? PQresultErrorField(r, PG_DIAG_CONTEXT) : NULL;
    if (primary) {
        xc_err_set(err, XC_EIO, "results database: %s", primary);
    } else {
        char line[480];
        const char *m = r ? PQresultErrorMessage(r) : "";
        xc_pg_one_line(m[0] ? m : PQerrorMessage(c->conn), line, sizeof line, false);
        xc_err_set(err, XC_EIO, "results database: %s",
                   line[0] ? line : "the server gave no reason");
    }
    const char *state = xc_pg_err_fields(err, r, c->conn);
    if (err && state) {
        /* A lock wait names the relation it waited for in its context
         * ("while deleting tuple (0,1) in relation \"runs\""), when it was
         * a row's; else it was the statement's table. */
        char rel[300];
        const char *in = context ? strstr(context, " in relation \"") : NULL;
        if (in) {
            size_t n = strcspn(in + 14, "\"");
            snprintf(rel, sizeof rel, "%.180s.%.*s", c->schema, (int)(n < 100 ? n : 100),
                     in + 14);
        } else {
            snprintf(rel, sizeof rel, "%s", where ? where : "");
        }
        xc_pg_explain(err, state, "results database", rel, c->lock_timeout_ms);
    }
    if (err && err->hint[0]) {
        /* the server's own hint stands */
    } else if (PQstatus(c->conn) == CONNECTION_BAD) {
        xc_err_hint(err, "the connection to the results database was lost; a transaction "
                         "it left open is rolled back by the server");
    } else if (state && strcmp(state, "42501") == 0) {
        xc_err_hint(err, "the role needs USAGE on schema \"%s\" and SELECT, INSERT and "
                         "DELETE on its tables; creating them, the first time, needs CREATE "
                         "on the database (for the schema) or the schema (for the tables)",
                    c->schema);
    } else if (state && (strcmp(state, "42P01") == 0 || strcmp(state, "3F000") == 0)) {
        xc_err_hint(err, "no results have been published in schema \"%s\" yet", c->schema);
    }
    /* A COPY row's number, from the context line "COPY xc_stage_flags, line
     * 12, column evidence: ..." (after the lines of inner contexts, such as
     * "JSON data, line 1: ..."). */
    long row = 0;
    char field[64] = "";
    if (context && strncmp(context, "COPY ", 5) != 0 && (context = strstr(context, "\nCOPY ")))
        context++;
    if (context && strncmp(context, "COPY ", 5) == 0) {
        const char *l = strstr(context, ", line ");
        if (l)
            row = strtol(l + 7, NULL, 10);
        const char *col = strstr(context, ", column ");
        if (col) {
            size_t n = strcspn(col + 9, ": \n");
            snprintf(field, sizeof field, "%.*s", (int)(n < 63 ? n : 63), col + 9);
        }
    }
    xc_err_at(err, where, row, field[0] ? field : NULL);
    return XC_EIO;
}

/* Runs one statement; params may be NULL. Returns the result (caller
 * clears) when it succeeded, or NULL with err filled. */
static PGresult *pg_exec(pg *c, const char *sql, int nparams, const char *const *params,
                         const char *where, xc_err *err)
{
    PGresult *r = nparams ? PQexecParams(c->conn, sql, nparams, NULL, params, NULL, NULL, 0)
                          : PQexec(c->conn, sql);
    ExecStatusType st = PQresultStatus(r);
    if (r && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK))
        return r;
    if (!r && PQstatus(c->conn) == CONNECTION_OK)
        xc_err_set(err, XC_ENOMEM, "out of memory");
    else
        pg_error(c, r, where, err);
    PQclear(r);
    return NULL;
}

static int pg_run(pg *c, const char *sql, const char *where, xc_err *err)
{
    PGresult *r = pg_exec(c, sql, 0, NULL, where, err);
    if (!r)
        return err && err->code ? err->code : XC_EIO;
    PQclear(r);
    return XC_OK;
}

static int pg_run1(pg *c, const char *sql, const char *param, const char *where, xc_err *err)
{
    const char *params[1] = {param};
    PGresult *r = pg_exec(c, sql, 1, params, where, err);
    if (!r)
        return err && err->code ? err->code : XC_EIO;
    PQclear(r);
    return XC_OK;
}

/* A statement with the quoted schema put in for every %s. Returns a
 * malloc'ed text, or NULL when out of memory. */
static char *sql_for(const pg *c, const char *tmpl)
{
    xc_buf b = {0};
    size_t qlen = strlen(c->q);
    for (const char *s = tmpl; *s;) {
        const char *p = strstr(s, "%s");
        if (!p) {
            buf_str(&b, s);
            break;
        }
        xc_buf_append(&b, s, (size_t)(p - s));
        xc_buf_append(&b, c->q, qlen);
        s = p + 2;
    }
    return xc_buf_take(&b);
}

static int pg_run_tmpl(pg *c, const char *tmpl, const char *param, const char *where,
                       xc_err *err)
{
    char *sql = sql_for(c, tmpl);
    if (!sql)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    int rc = param ? pg_run1(c, sql, param, where, err) : pg_run(c, sql, where, err);
    free(sql);
    return rc;
}

static int pg_connect(pg *c, const char *conninfo, const char *schema, long lock_timeout_ms,
                      xc_err *err)
{
    memset(c, 0, sizeof *c);
    c->schema = schema ? schema : XC_RESULTS_SCHEMA;
    c->lock_timeout_ms = lock_timeout_ms;
    const char *ci = conninfo ? conninfo : "";
    if (!c->schema[0])
        return xc_err_set(err, XC_ECONFIG, "the results schema name is empty");
    c->conn = xc_pg_connect(ci, "the results database", "check the results connection string "
                            "and PGHOST, PGPORT, PGUSER, PGDATABASE, PGSERVICE or ~/.pgpass",
                            XC_EIO, &c->secret, err);
    if (!c->conn)
        return err && err->code ? err->code : XC_EIO;
    if (PQsetClientEncoding(c->conn, "UTF8") != 0)
        return pg_error(c, NULL, NULL, err);
    int rc = pg_run(c, "SELECT pg_catalog.set_config('search_path', '', false), "
                       "pg_catalog.set_config('datestyle', 'ISO, YMD', false)", NULL, err);
    if (rc < 0)
        return rc;
    /* No wait without an end: lock_timeout bounds every lock wait (the
     * advisory lock's too), whatever the role sets. */
    char waits[400];
    xc_pg_waits_sql(c->lock_timeout_ms, waits, sizeof waits);
    if ((rc = pg_run(c, waits, NULL, err)) < 0)
        return rc;
    c->q = PQescapeIdentifier(c->conn, c->schema, strlen(c->schema));
    if (!c->q)
        return pg_error(c, NULL, NULL, err);
    static const char *const names[] = {"runs", "flags", "rates"};
    for (int i = 0; i < 3; i++)
        snprintf(c->table[i], sizeof c->table[i], "%.180s.%s", c->schema, names[i]);
    return XC_OK;
}

/* Ends the session: rolls back an open transaction, keeps passwords out of
 * err, frees everything. Returns rc. */
static int pg_close(pg *c, int rc, xc_err *err)
{
    if (c->conn && PQtransactionStatus(c->conn) != PQTRANS_IDLE &&
        PQtransactionStatus(c->conn) != PQTRANS_UNKNOWN)
        PQclear(PQexec(c->conn, "ROLLBACK"));
    if (rc < 0) {
        xc_pg_scrub_err(err, c->secret);
        if (c->conn)
            xc_pg_scrub_err(err, PQpass(c->conn));
    }
    if (c->q)
        PQfreemem(c->q);
    if (c->conn)
        PQfinish(c->conn);
    free(c->secret);
    memset(c, 0, sizeof *c);
    return rc;
}

/* ---- creating the tables ------------------------------------------------- */

static const char *const create_sql[3] = {
    "CREATE TABLE IF NOT EXISTS %s.runs (\n"
    "  run_id text PRIMARY KEY,\n"
    "  started timestamptz,\n"
    "  finished timestamptz,\n"
    "  as_of date NOT NULL,\n"
    "  profile text,\n"
    "  config_path text,\n"
    "  config_hash text,\n"
    "  snapshot text,\n"
    "  version text,\n"
    "  key_id text,\n"
    "  sources jsonb NOT NULL DEFAULT '{}',\n"
    "  status text NOT NULL,\n"
    "  published timestamptz NOT NULL DEFAULT now(),\n"
    "  rules jsonb,\n"
    "  incomplete boolean,\n"
    "  incomplete_why text)",

    "CREATE TABLE IF NOT EXISTS %s.flags (\n"
    "  run_id text NOT NULL REFERENCES %s.runs ON DELETE CASCADE,\n"
    "  seq integer NOT NULL,\n"
    "  rule text NOT NULL,\n"
    "  category text NOT NULL,\n"
    "  archive_no text NOT NULL,\n"
    "  region_code text,\n"
    "  level text,\n"
    "  person_key text NOT NULL,\n"
    "  enrolled_on date,\n"
    "  condition_from date,\n"
    "  condition_to date,\n"
    "  summary text,\n"
    "  evidence jsonb,\n"
    "  disposition text,\n"
    "  PRIMARY KEY (run_id, seq));\n"
    "CREATE INDEX IF NOT EXISTS flags_key ON %s.flags (archive_no, rule, person_key)",

    "CREATE TABLE IF NOT EXISTS %s.rates (\n"
    "  run_id text NOT NULL REFERENCES %s.runs ON DELETE CASCADE,\n"
    "  seq integer NOT NULL,\n"
    "  rate text NOT NULL,\n"
    "  grp text NOT NULL,\n"
    "  code text NOT NULL,\n"
    "  name text,\n"
    "  numerator bigint NOT NULL,\n"
    "  denominator bigint NOT NULL,\n"
    "  value double precision,\n"
    "  threshold double precision,\n"
    "  comparison text,\n"
    "  result text,\n"
    "  complete boolean,\n"
    "  excluded bigint,\n"
    "  PRIMARY KEY (run_id, seq))",
};

/* Serialises the publishers of one schema (creating tables, replacing a
 * run). */
#define LOCK_SQL "SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('xcheck results ' || $1))"

/* Takes the publishers' lock of the schema, in the open transaction. It
 * waits under lock_timeout as a table lock does; when that runs out, the
 * message names the lock and who may hold it. */
static int lock_publishers(pg *c, xc_err *err)
{
    int rc = pg_run1(c, LOCK_SQL, c->schema, c->table[T_RUNS], err);
    char state[6];
    if (rc < 0 && xc_pg_err_state(err, state) && strcmp(state, "55P03") == 0) {
        char limit[32];
        xc_pg_wait_text(c->lock_timeout_ms, limit, sizeof limit);
        snprintf(err->msg, sizeof err->msg, "results database: waited %s for the publishers' "
                 "lock of schema \"%.180s\" and gave up (lock_timeout)", limit, c->schema);
        xc_err_hint(err, "another xcheck is publishing into or pruning schema \"%.120s\" (an "
                    "advisory lock: pg_locks, locktype advisory); run again once it is done, "
                    "or raise [run] lock_timeout", c->schema);
    }
    return rc;
}

/* Whether table `table` of the schema has column `column`. */
static int has_column(pg *c, const char *table, const char *column, bool *ret, int t,
                      xc_err *err)
{
    const char *params[3] = {c->schema, table, column};
    PGresult *r = pg_exec(c,
        "SELECT count(*) FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class t"
        "    ON t.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace"
        " WHERE n.nspname = $1 AND t.relname = $2 AND a.attname = $3 AND NOT a.attisdropped",
        3, params, c->table[t], err);
    if (!r)
        return err && err->code ? err->code : XC_EIO;
    *ret = strcmp(PQgetvalue(r, 0, 0), "0") != 0;
    PQclear(r);
    return XC_OK;
}

/* Tables laid out by an earlier version held, per flag, the masked ID
 * beside an unkeyed hash of the number: together they give the number back.
 * Both go, with the evidence (masked IDs again) of those runs; the runs
 * stay, without a key id, so that no diff compares them with keyed ones. */
static int upgrade(pg *c, xc_err *err)
{
    bool old;
    int rc = has_column(c, "flags", "person_hash", &old, T_FLAGS, err);
    if (rc < 0 || !old)
        return rc;
    if ((rc = pg_run_tmpl(c, "ALTER TABLE %s.runs ADD COLUMN IF NOT EXISTS key_id text", NULL,
                          c->table[T_RUNS], err)) < 0 ||
        (rc = pg_run_tmpl(c, "ALTER TABLE %s.flags DROP COLUMN IF EXISTS masked_id", NULL,
                          c->table[T_FLAGS], err)) < 0 ||
        (rc = pg_run_tmpl(c, "ALTER TABLE %s.flags RENAME COLUMN person_hash TO person_key",
                          NULL, c->table[T_FLAGS], err)) < 0 ||
        (rc = pg_run_tmpl(c, "UPDATE %s.flags SET person_key = '', evidence = NULL, "
                             "summary = NULL", NULL, c->table[T_FLAGS], err)) < 0)
        xc_err_hint(err, "the results tables of schema \"%s\" are of an earlier version and "
                    "hold reversible ID keys: their owner must publish once to upgrade them",
                    c->schema);
    return rc;
}

static int old_runs_layout(pg *c, bool *ret, xc_err *err);

/* The columns of runs added since its first layout, for the diff: which
 * rules a run evaluated (NULL in a run published before: unknown), and
 * whether it rested on incomplete data. Added when missing, by a role that
 * owns the table. */
static int add_run_columns(pg *c, xc_err *err)
{
    bool missing = false;
    int orc = old_runs_layout(c, &missing, err);
    if (orc < 0)
        return orc;
    if (!missing)
        return XC_OK;
    int rc = pg_run_tmpl(c, "ALTER TABLE %s.runs ADD COLUMN IF NOT EXISTS rules jsonb, "
                            "ADD COLUMN IF NOT EXISTS incomplete boolean, "
                            "ADD COLUMN IF NOT EXISTS incomplete_why text", NULL,
                         c->table[T_RUNS], err);
    char state[6];
    if (rc < 0 && xc_pg_err_state(err, state) && strcmp(state, "42501") == 0)
        xc_err_hint(err, "the results tables of schema \"%s\" are of an earlier version: "
                    "their owner must publish once to add the columns rules, incomplete and "
                    "incomplete_why", c->schema);
    return rc;
}

/* The columns of flags and rates added since their first layout: each
 * flag's disposition (disposition.h), each rate row's flags kept out by
 * one. Added when missing, by a role that owns the tables; earlier rows
 * have them NULL (no disposition was read then). */
static int add_disposition_columns(pg *c, xc_err *err)
{
    static const struct {
        int t;
        const char *table, *column, *sql;
    } add[] = {
        {T_FLAGS, "flags", "disposition",
         "ALTER TABLE %s.flags ADD COLUMN IF NOT EXISTS disposition text"},
        {T_RATES, "rates", "excluded",
         "ALTER TABLE %s.rates ADD COLUMN IF NOT EXISTS excluded bigint"},
    };
    for (size_t i = 0; i < sizeof add / sizeof add[0]; i++) {
        bool have;
        int rc = has_column(c, add[i].table, add[i].column, &have, add[i].t, err);
        if (rc == XC_OK && !have)
            rc = pg_run_tmpl(c, add[i].sql, NULL, c->table[add[i].t], err);
        char state[6];
        if (rc < 0 && xc_pg_err_state(err, state) && strcmp(state, "42501") == 0)
            xc_err_hint(err, "the results tables of schema \"%s\" are of an earlier version: "
                        "their owner must publish once to add the columns flags.disposition "
                        "and rates.excluded", c->schema);
        if (rc < 0)
            return rc;
    }
    return XC_OK;
}

/* Creates what is missing. Only what is missing: CREATE ... IF NOT EXISTS
 * wants the CREATE privilege even when the object exists, and a nightly
 * job's role may have been given only the tables. */
static int ensure_tables(pg *c, xc_err *err)
{
    int rc = pg_run(c, "BEGIN", c->table[T_RUNS], err);
    if (rc == XC_OK)
        rc = lock_publishers(c, err);
    if (rc < 0)
        return rc;
    const char *params[1] = {c->schema};
    PGresult *r = pg_exec(c,
        "SELECT (SELECT count(*) FROM pg_catalog.pg_namespace WHERE nspname = $1),"
        " coalesce(pg_catalog.string_agg(c.relname, ' '), '')"
        "  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = $1 AND c.relname IN ('runs', 'flags', 'rates')"
        "   AND c.relkind IN ('r', 'p')", 1, params, c->table[T_RUNS], err);
    if (!r)
        return err && err->code ? err->code : XC_EIO;
    bool have_schema = strcmp(PQgetvalue(r, 0, 0), "0") != 0;
    char have[64];
    snprintf(have, sizeof have, " %s ", PQgetvalue(r, 0, 1));
    PQclear(r);
    if (!have_schema && (rc = pg_run_tmpl(c, "CREATE SCHEMA IF NOT EXISTS %s", NULL,
                                          c->schema, err)) < 0)
        return rc;
    static const char *const names[] = {" runs ", " flags ", " rates "};
    for (int i = 0; i < 3; i++)
        if (!strstr(have, names[i]) &&
            (rc = pg_run_tmpl(c, create_sql[i], NULL, c->table[i], err)) < 0)
            return rc;
    if (strstr(have, " flags ") && (rc = upgrade(c, err)) < 0)
        return rc;
    if (strstr(have, " runs ") && (rc = add_run_columns(c, err)) < 0)
        return rc;
    if (strstr(have, " flags ") && strstr(have, " rates ") &&
        (rc = add_disposition_columns(c, err)) < 0)
        return rc;
    return pg_run(c, "COMMIT", c->table[T_RUNS], err);
}

/* ---- COPY rows ----------------------------------------------------------- */

static void put(xc_buf *b, const char *s, bool last)
{
    xc_results_copy_text(b, s);
    xc_buf_append(b, last ? "\n" : "\t", 1);
}

static void put_nonempty(xc_buf *b, const char *s, bool last)
{
    put(b, s && s[0] ? s : NULL, last);
}

static void put_date(xc_buf *b, xc_date d, bool last)
{
    char buf[11];
    put(b, d == XC_NO_DATE ? NULL : xc_date_format(d, buf), last);
}

static void put_u64(xc_buf *b, uint64_t v, bool last)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    put(b, buf, last);
}

/* Unix time as a timestamptz in UTC; 0 (unknown) as NULL. */
static void put_time(xc_buf *b, int64_t t, bool last)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[40];
    if (t == 0 || !gmtime_r(&tt, &tm)) {
        put(b, NULL, last);
        return;
    }
    snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d+00", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    put(b, buf, last);
}

typedef struct pub {
    const xc_run_result *res;
    const xc_key *key;
} pub;

typedef void row_fn(const pub *ctx, size_t i, xc_buf *b);

/* Text for the database: every ID-like run reduced to its region code. */
static void put_masked(xc_buf *b, const char *s, bool last)
{
    if (!s) {
        put(b, s, last);
        return;
    }
    xc_buf m = {0};
    size_t len = strlen(s);
    const char *t = xc_masked(s, &len, true, &m);
    if (!t)
        b->failed = true;
    put(b, t, last);
    xc_buf_free(&m);
}

static void run_row(const pub *ctx, size_t i, xc_buf *b)
{
    const xc_run_result *res = ctx->res;
    (void)i;
    xc_buf src = {0};
    xc_buf_printf(&src, "{");
    for (int d = 0; d < XC_DS_COUNT; d++) {
        const xc_dataset_result *r = &res->ds[d];
        xc_buf_printf(&src, "%s", d ? ", " : "");
        xc_buf_json(&src, xc_dataset((xc_ds_id)d)->name);
        xc_buf_printf(&src, ": {\"configured\": %s", r->evaluated ? "true" : "false");
        if (r->evaluated) {
            const xc_counts *k = &r->counts;
            xc_buf_printf(&src, ", \"source\": ");
            xc_buf_json(&src, r->where);
            xc_buf_printf(&src, ", \"read\": %llu, \"matched\": %llu, \"unmatched\": %llu, "
                          "\"rejected\": %llu, \"parts\": %d, \"strategy\": ",
                          (unsigned long long)k->read, (unsigned long long)k->matched,
                          (unsigned long long)k->unmatched, (unsigned long long)k->rejected,
                          r->parts);
            xc_buf_json(&src, r->strategy);
            xc_buf_printf(&src, ", \"strategy_reason\": ");
            xc_buf_json(&src, r->strategy_reason);
            /* What the data covers, for the diff: a run over other months
             * or an older export is not like for like. */
            char exported[11];
            xc_buf_printf(&src, ", \"coverage\": ");
            xc_buf_json(&src, r->coverage);
            xc_buf_printf(&src, ", \"coverage_declared\": %s, \"exported\": ",
                          r->coverage_declared ? "true" : "false");
            if (r->exported == XC_NO_DATE)
                xc_buf_printf(&src, "null");
            else
                xc_buf_json(&src, xc_date_format(r->exported, exported));
            xc_buf_printf(&src, ", \"exported_declared\": %s",
                          r->exported_declared ? "true" : "false");
        }
        xc_buf_printf(&src, "}");
    }
    xc_buf_printf(&src, "}");
    char *sources = xc_buf_take(&src);
    if (!sources) {
        b->failed = true;
        return;
    }
    /* Which rules were evaluated, and why not: a diff compares a rule's
     * flags only between runs that both evaluated it. */
    xc_buf rl = {0};
    xc_buf_printf(&rl, "{");
    for (size_t k = 0; k < res->n_rules; k++) {
        const xc_rule_result *rr = &res->rules[k];
        if (!rr->rule)
            continue;
        xc_buf_printf(&rl, "%s", rl.len > 1 ? ", " : "");
        xc_buf_json(&rl, rr->rule->id);
        xc_buf_printf(&rl, ": {\"evaluated\": %s", rr->evaluated ? "true" : "false");
        if (!rr->evaluated) {
            xc_buf_printf(&rl, ", \"why_not\": ");
            xc_buf_json(&rl, rr->why_not);
        }
        xc_buf_printf(&rl, "}");
    }
    xc_buf_printf(&rl, "}");
    char *rules = xc_buf_take(&rl);
    if (!rules) {
        free(sources);
        b->failed = true;
        return;
    }
    put(b, res->run_id, false);
    put_time(b, res->started, false);
    put_time(b, res->finished, false);
    put_date(b, res->as_of, false);
    put_masked(b, res->profile.name[0] ? res->profile.name : NULL, false);
    put_masked(b, res->config_path[0] ? res->config_path : NULL, false);
    put_nonempty(b, res->config_hash, false);
    put_nonempty(b, res->snapshot, false);
    put_nonempty(b, res->version, false);
    char key_id[XC_KEY_ID_LEN + 1];
    put(b, xc_key_id(ctx->key, key_id), false);
    put_masked(b, sources, false);
    /* A run without a rule table (none evaluated yet) leaves it unknown. */
    put_masked(b, res->n_rules ? rules : NULL, false);
    put(b, res->incomplete ? "t" : "f", false);
    put_masked(b, res->incomplete ? res->incomplete_why : NULL, true);
    free(sources);
    free(rules);
}

/* The flag's evidence, its months written in, masked strictly. */
static void put_evidence(xc_buf *b, const xc_flag *fl, bool last)
{
    if (!fl->income) {
        put_masked(b, fl->evidence, last);
        return;
    }
    xc_buf ev = {0};
    xc_flag_evidence(fl, &ev);
    if (ev.failed)
        b->failed = true;
    put_masked(b, ev.failed ? NULL : ev.p, last);
    xc_buf_free(&ev);
}

static void flag_row(const pub *ctx, size_t i, xc_buf *b)
{
    const xc_run_result *res = ctx->res;
    const xc_flag *fl = &res->flags.v[i];
    const xc_household *hh = fl->household == XC_NONE ? NULL
                           : xc_archive_household(res->archive, fl->household);
    xc_flag_key key;
    xc_results_flag_key(res->archive, fl, ctx->key, &key);
    char region[16] = "";
    uint32_t code = hh ? hh->region : fl->region;
    if (code)
        snprintf(region, sizeof region, "%06u", (unsigned)code);
    put(b, res->run_id, false);
    put_u64(b, i + 1, false);
    put(b, key.rule, false);
    put(b, key.category, false);
    put_masked(b, key.archive_no, false);
    put_nonempty(b, region, false);
    put_nonempty(b, hh ? xc_dataset(XC_DS_HOUSEHOLD)->fields[XC_HH_LEVEL].values[hh->level] : "",
                 false);
    put(b, key.person_key, false);
    put_date(b, hh ? hh->enrolled_on : XC_NO_DATE, false);
    put_date(b, fl->from, false);
    put_date(b, fl->to, false);
    put_masked(b, fl->summary, false);
    put_evidence(b, fl, false);
    put(b, fl->disposition ? xc_flag_disposition_name(fl) : NULL, true);
}


static void rate_row(const pub *ctx, size_t i, xc_buf *b)
{
    const xc_run_result *res = ctx->res;
    const xc_rate_row *r = &res->rates[i];
    char code[64], name[256], num[40];
    xc_rate_row_code(r, code, sizeof code);
    xc_rate_row_name(r, name, sizeof name);
    put(b, res->run_id, false);
    put_u64(b, i + 1, false);
    put(b, xc_rate_name(r->rate), false);
    put(b, xc_group_name(r->group), false);
    put(b, code, false);
    put(b, name, false);
    put_u64(b, r->numerator, false);
    put_u64(b, r->denominator, false);
    if (r->evaluated && r->denominator) {
        snprintf(num, sizeof num, "%.17g", (double)r->numerator / (double)r->denominator);
        put(b, num, false);
    } else {
        put(b, NULL, false);
    }
    snprintf(num, sizeof num, "%.17g", r->threshold);
    put(b, num, false);
    put(b, xc_rate_is_max(r->rate) ? "<=" : ">=", false);
    put(b, xc_rate_result(r), false);
    put(b, r->complete ? "t" : "f", false);
    put_u64(b, r->excluded, true);
}

/* COPY n rows made by fn into a staging table. */
static int copy_rows(pg *c, const char *sql, const char *where, const pub *res,
                     size_t n, row_fn *fn, xc_err *err)
{
    PGresult *r = PQexec(c->conn, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        int rc = r ? pg_error(c, r, where, err) : pg_error(c, NULL, where, err);
        PQclear(r);
        return rc;
    }
    PQclear(r);
    xc_buf b = {0};
    int rc = XC_OK;
    for (size_t i = 0; i < n; i++) {
        fn(res, i, &b);
        if (b.failed) {
            rc = xc_err_set(err, XC_ENOMEM, "out of memory");
            break;
        }
        if (b.len >= COPY_CHUNK || i + 1 == n) {
            if (PQputCopyData(c->conn, b.p, (int)b.len) != 1) {
                rc = pg_error(c, NULL, where, err);
                break;
            }
            b.len = 0;
        }
    }
    xc_buf_free(&b);
    if (PQputCopyEnd(c->conn, rc == XC_OK ? NULL : "xcheck stopped the copy") != 1 &&
        rc == XC_OK)
        rc = pg_error(c, NULL, where, err);
    while ((r = PQgetResult(c->conn)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == XC_OK)
            rc = pg_error(c, r, where, err);
        PQclear(r);
    }
    return rc;
}

static int stage(pg *c, const pub *ctx, xc_err *err)
{
    const xc_run_result *res = ctx->res;
    int rc;
    if ((rc = pg_run(c, "CREATE TEMP TABLE xc_stage_runs (run_id text, started timestamptz, "
                        "finished timestamptz, as_of date, profile text, config_path text, "
                        "config_hash text, snapshot text, version text, key_id text, "
                        "sources jsonb, rules jsonb, incomplete boolean, incomplete_why text)",
                     c->table[T_RUNS], err)) < 0 ||
        (rc = pg_run_tmpl(c, "CREATE TEMP TABLE xc_stage_flags (LIKE %s.flags)", NULL,
                          c->table[T_FLAGS], err)) < 0 ||
        (rc = pg_run_tmpl(c, "CREATE TEMP TABLE xc_stage_rates (LIKE %s.rates)", NULL,
                          c->table[T_RATES], err)) < 0)
        return rc;
    if ((rc = copy_rows(c, "COPY pg_temp.xc_stage_runs (run_id, started, finished, as_of, "
                           "profile, config_path, config_hash, snapshot, version, key_id, "
                           "sources, rules, incomplete, incomplete_why) FROM STDIN",
                        c->table[T_RUNS], ctx, 1, run_row, err)) < 0 ||
        (rc = copy_rows(c, "COPY pg_temp.xc_stage_flags (run_id, seq, rule, category, "
                           "archive_no, region_code, level, person_key, "
                           "enrolled_on, condition_from, condition_to, summary, evidence, "
                           "disposition) FROM STDIN", c->table[T_FLAGS], ctx, res->flags.n, flag_row,
                        err)) < 0 ||
        (rc = copy_rows(c, "COPY pg_temp.xc_stage_rates (run_id, seq, rate, grp, code, name, "
                           "numerator, denominator, value, threshold, comparison, result, "
                           "complete, excluded) FROM STDIN", c->table[T_RATES], ctx, res->n_rates,
                        rate_row, err)) < 0)
        return rc;
    return XC_OK;
}

/* The one transaction that replaces the run. */
static int publish(pg *c, const char *run_id, xc_err *err)
{
    int rc;
    if ((rc = pg_run(c, "BEGIN", c->table[T_RUNS], err)) < 0 ||
        (rc = lock_publishers(c, err)) < 0 ||
        (rc = pg_run_tmpl(c, "DELETE FROM %s.flags WHERE run_id = $1", run_id,
                          c->table[T_FLAGS], err)) < 0 ||
        (rc = pg_run_tmpl(c, "DELETE FROM %s.rates WHERE run_id = $1", run_id,
                          c->table[T_RATES], err)) < 0 ||
        (rc = pg_run_tmpl(c, "DELETE FROM %s.runs WHERE run_id = $1", run_id,
                          c->table[T_RUNS], err)) < 0 ||
        (rc = pg_run_tmpl(c, "INSERT INTO %s.runs (run_id, started, finished, as_of, profile, "
                             "config_path, config_hash, snapshot, version, key_id, sources, "
                             "status, published, rules, incomplete, incomplete_why) "
                             "SELECT run_id, started, finished, as_of, "
                             "profile, config_path, config_hash, snapshot, version, key_id, "
                             "sources, 'complete', pg_catalog.now(), rules, incomplete, "
                             "incomplete_why FROM pg_temp.xc_stage_runs",
                          NULL, c->table[T_RUNS], err)) < 0 ||
        (rc = pg_run_tmpl(c, "INSERT INTO %s.flags (run_id, seq, rule, category, archive_no, "
                             "region_code, level, person_key, enrolled_on, "
                             "condition_from, condition_to, summary, evidence, disposition) "
                             "SELECT run_id, seq, rule, category, archive_no, region_code, "
                             "level, person_key, enrolled_on, condition_from, "
                             "condition_to, summary, evidence, disposition "
                             "FROM pg_temp.xc_stage_flags",
                          NULL, c->table[T_FLAGS], err)) < 0 ||
        (rc = pg_run_tmpl(c, "INSERT INTO %s.rates (run_id, seq, rate, grp, code, name, "
                             "numerator, denominator, value, threshold, comparison, result, "
                             "complete, excluded) SELECT run_id, seq, rate, grp, code, name, "
                             "numerator, denominator, value, threshold, comparison, result, "
                             "complete, excluded FROM pg_temp.xc_stage_rates", NULL, c->table[T_RATES], err)) < 0)
        return rc;
    rc = pg_run(c, "COMMIT", c->table[T_RUNS], err);
    if (rc < 0 && PQstatus(c->conn) == CONNECTION_BAD)
        xc_err_hint(err, "the connection was lost while committing: whether run \"%s\" was "
                         "published is unknown; publish it again", run_id);
    return rc;
}

int xc_results_publish(const char *conninfo, const char *schema, long lock_timeout_ms,
                       const xc_run_result *res, const xc_key *key, xc_err *err)
{
    if (!key) {
        xc_err_set(err, XC_ECONFIG, "publishing results needs a key: without one the people "
                   "of the archive could be found again from the results");
        xc_err_hint(err, "make one with xcheck key new FILE (keep it apart from the results) "
                    "and name it with --key FILE or %s", XC_KEY_ENV);
        return XC_ECONFIG;
    }
    if (!res || !res->run_id[0])
        return xc_err_set(err, XC_ECONFIG, "the run has no run id, so it cannot be published");
    if (res->flags.n && !res->archive)
        return xc_err_set(err, XC_EINTERNAL, "the run's flags have no archive");
    pg c;
    int rc = pg_connect(&c, conninfo, schema, lock_timeout_ms, err);
    if (rc == XC_OK)
        rc = ensure_tables(&c, err);
    pub ctx = {res, key};
    if (rc == XC_OK)
        rc = stage(&c, &ctx, err);
    if (rc == XC_OK)
        rc = publish(&c, res->run_id, err);
    return pg_close(&c, rc, err);
}

/* ---- retention ------------------------------------------------------------ */

int xc_results_prune(const char *conninfo, const char *schema, long lock_timeout_ms,
                     int older_than_days, long *ret_runs, xc_err *err)
{
    if (ret_runs)
        *ret_runs = 0;
    if (older_than_days < 0)
        return xc_err_set(err, XC_ECONFIG, "--older-than must be 0 days or more");
    pg c;
    int rc = pg_connect(&c, conninfo, schema, lock_timeout_ms, err);
    char days[16];
    snprintf(days, sizeof days, "%d", older_than_days);
    PGresult *r = NULL;
    if (rc == XC_OK)
        rc = pg_run(&c, "BEGIN", c.table[T_RUNS], err);
    if (rc == XC_OK)
        rc = lock_publishers(&c, err);
    /* Flags and rates go with their run (ON DELETE CASCADE), in the same
     * transaction: a run is pruned whole or not at all. */
    if (rc == XC_OK) {
        char *sql = sql_for(&c, "DELETE FROM %s.runs WHERE published < pg_catalog.now() - "
                                "pg_catalog.make_interval(days => $1::int)");
        const char *params[1] = {days};
        r = sql ? pg_exec(&c, sql, 1, params, c.table[T_RUNS], err) : NULL;
        if (!sql)
            rc = xc_err_set(err, XC_ENOMEM, "out of memory");
        else if (!r)
            rc = err && err->code ? err->code : XC_EIO;
        free(sql);
    }
    if (rc == XC_OK && ret_runs)
        *ret_runs = atol(PQcmdTuples(r));
    PQclear(r);
    if (rc == XC_OK)
        rc = pg_run(&c, "COMMIT", c.table[T_RUNS], err);
    return pg_close(&c, rc, err);
}

/* ---- the diff ------------------------------------------------------------ */

const char *xc_change_name(xc_change c)
{
    static const char *const names[] = {"new", "resolved", "persisting", "not_comparable",
                                         "excluded"};
    return c < XC_CHANGE_COUNT ? names[c] : "";
}

/* Runs are ordered by as_of, then by publication, then by run_id; "%R"
 * stands for the runs table (runs_of()), "%s" for the schema. */
#define RUN_ORDER(r) "(" r ".as_of, " r ".published, " r ".run_id)"

/* The current run and the previous complete one, with what the diff
 * shows of their records. */
static const char *const current_sql =
    "SELECT run_id, pg_catalog.to_char(as_of, 'YYYY-MM-DD'), coalesce(key_id, ''),"
    "       coalesce(config_hash, ''), coalesce(profile, ''), coalesce(incomplete::text, ''),"
    "       coalesce(incomplete_why, '')"
    "  FROM %R cr WHERE run_id = $1 AND status = 'complete'";
static const char *const latest_sql =
    "SELECT run_id, pg_catalog.to_char(as_of, 'YYYY-MM-DD'), coalesce(key_id, ''),"
    "       coalesce(config_hash, ''), coalesce(profile, ''), coalesce(incomplete::text, ''),"
    "       coalesce(incomplete_why, '')"
    "  FROM %R cr WHERE status = 'complete'"
    " ORDER BY as_of DESC, published DESC, run_id DESC LIMIT 1";
static const char *const previous_sql =
    "SELECT r.run_id, pg_catalog.to_char(r.as_of, 'YYYY-MM-DD'), coalesce(r.key_id, ''),"
    "       coalesce(r.config_hash, ''), coalesce(r.profile, ''),"
    "       coalesce(r.incomplete::text, ''), coalesce(r.incomplete_why, '')"
    "  FROM %R r, %R c"
    " WHERE c.run_id = $1 AND r.status = 'complete'"
    "   AND " RUN_ORDER("r") " < " RUN_ORDER("c")
    " ORDER BY r.as_of DESC, r.published DESC, r.run_id DESC LIMIT 1";
/* Per dataset, what changed in sources between the two runs: whether it
 * was configured, and for one configured in both, its coverage and export
 * date where both runs recorded them (runs published before they were
 * kept did not). */
static const char *const sources_sql =
    "WITH c AS (SELECT sources FROM %R cr WHERE run_id = $1),\n"
    "     p AS (SELECT sources FROM %R pr WHERE run_id = $2),\n"
    "     d AS (SELECT k.ds, p.sources -> k.ds AS ps, c.sources -> k.ds AS cs\n"
    "             FROM c, p, (SELECT pg_catalog.jsonb_object_keys(sources) FROM c\n"
    "                         UNION SELECT pg_catalog.jsonb_object_keys(sources) FROM p) AS k(ds))\n"
    "SELECT d.ds, w.what, coalesce(ps ->> w.what, ''), coalesce(cs ->> w.what, ''),\n"
    "       coalesce(ps ->> (w.what || '_declared'), ''), coalesce(cs ->> (w.what || '_declared'), '')\n"
    "  FROM d, (VALUES (1, 'configured'), (2, 'coverage'), (3, 'exported')) AS w(o, what)\n"
    " WHERE CASE WHEN w.what = 'configured'\n"
    "            THEN coalesce(ps ->> 'configured', 'false') <> coalesce(cs ->> 'configured', 'false')\n"
    "            ELSE ps ->> 'configured' = 'true' AND cs ->> 'configured' = 'true'\n"
    "                 AND ps ? w.what AND cs ? w.what\n"
    "                 AND (ps ->> w.what, ps ->> (w.what || '_declared'))\n"
    "                     IS DISTINCT FROM (cs ->> w.what, cs ->> (w.what || '_declared')) END\n"
    " ORDER BY d.ds, w.o";
/* Every flag key of either run with its change; for the current run's
 * keys, the as_of of the first run of their unbroken streak (gaps and
 * islands over the chain of complete runs numbered back from the current
 * one); and for a key in one run only, the state of its rule in the other
 * run: e evaluated (as recorded, or the run has flags of it), n not
 * evaluated (with why_not), u unknown (a run without a record of its
 * rules), x not a rule that run knew. */
static const char *const diff_sql =
    "WITH chain AS (\n"
    "  SELECT r.run_id, r.as_of, pg_catalog.row_number() OVER"
    "         (ORDER BY r.as_of DESC, r.published DESC, r.run_id DESC) AS rn\n"
    "    FROM %R r, %R c\n"
    "   WHERE c.run_id = $1 AND r.status = 'complete'\n"
    "     AND " RUN_ORDER("r") " <= " RUN_ORDER("c") "\n"
    "), cur AS (\n"
    "  SELECT DISTINCT ON (rule, category, archive_no, person_key) *\n"
    "    FROM %F cf WHERE run_id = $1\n"
    "   ORDER BY rule, category, archive_no, person_key, seq\n"
    "), prev AS (\n"
    "  SELECT DISTINCT ON (rule, category, archive_no, person_key) *\n"
    "    FROM %F pf WHERE run_id = $2\n"
    "   ORDER BY rule, category, archive_no, person_key, seq\n"
    "), seen AS (\n"
    "  SELECT DISTINCT f.rule, f.category, f.archive_no, f.person_key, ch.rn, ch.as_of\n"
    "    FROM %F f JOIN chain ch ON ch.run_id = f.run_id\n"
    "   WHERE (f.rule, f.category, f.archive_no, f.person_key) IN\n"
    "         (SELECT rule, category, archive_no, person_key FROM cur)\n"
    "), streak AS (\n"
    "  SELECT rule, category, archive_no, person_key,\n"
    "         (pg_catalog.array_agg(as_of ORDER BY rn DESC))[1] AS since\n"
    "    FROM (SELECT seen.*, rn - pg_catalog.row_number() OVER (PARTITION BY rule, category,"
    "                 archive_no, person_key ORDER BY rn) AS gap FROM seen) s\n"
    "   WHERE gap = 0\n"
    "   GROUP BY rule, category, archive_no, person_key\n"
    "), ru AS (\n"
    "  SELECT (SELECT rules FROM %R cr WHERE run_id = $1) AS cur_rules,\n"
    "         (SELECT rules FROM %R pr WHERE run_id = $2) AS prev_rules\n"
    ")\n"
    "SELECT CASE WHEN p.rule IS NULL THEN 0 WHEN c.rule IS NULL THEN 1 ELSE 2 END,\n"
    "       coalesce(c.rule, p.rule), coalesce(c.category, p.category),\n"
    "       coalesce(c.archive_no, p.archive_no), coalesce(c.region_code, p.region_code, ''),\n"
    "       coalesce(c.level, p.level, ''), coalesce(c.person_key, p.person_key),\n"
    "       coalesce(c.summary, p.summary, ''),\n"
    "       pg_catalog.to_char(coalesce(c.condition_from, p.condition_from), 'YYYY-MM-DD'),\n"
    "       pg_catalog.to_char(st.since, 'YYYY-MM-DD'),\n"
    "       CASE WHEN p.rule IS NOT NULL AND c.rule IS NOT NULL THEN 'e'\n"
    "            WHEN c.rule IS NOT NULL THEN\n"
    "              CASE WHEN EXISTS (SELECT 1 FROM prev x WHERE x.rule = c.rule) THEN 'e'\n"
    "                   WHEN ru.prev_rules IS NULL THEN 'u'\n"
    "                   WHEN ru.prev_rules -> c.rule IS NULL THEN 'x'\n"
    "                   WHEN (ru.prev_rules -> c.rule ->> 'evaluated')::boolean THEN 'e'\n"
    "                   ELSE 'n' END\n"
    "            ELSE\n"
    "              CASE WHEN EXISTS (SELECT 1 FROM cur x WHERE x.rule = p.rule) THEN 'e'\n"
    "                   WHEN ru.cur_rules IS NULL THEN 'u'\n"
    "                   WHEN ru.cur_rules -> p.rule IS NULL THEN 'x'\n"
    "                   WHEN (ru.cur_rules -> p.rule ->> 'evaluated')::boolean THEN 'e'\n"
    "                   ELSE 'n' END END,\n"
    "       coalesce(CASE WHEN c.rule IS NOT NULL THEN ru.prev_rules -> c.rule ->> 'why_not'\n"
    "                     ELSE ru.cur_rules -> p.rule ->> 'why_not' END, ''),\n"
    "       coalesce(c.disposition, '')\n"
    "  FROM cur c\n"
    "  FULL JOIN prev p ON (p.rule, p.category, p.archive_no, p.person_key)\n"
    "                    = (c.rule, c.category, c.archive_no, c.person_key)\n"
    "  LEFT JOIN streak st ON (st.rule, st.category, st.archive_no, st.person_key)\n"
    "                       = (c.rule, c.category, c.archive_no, c.person_key)\n"
    "  CROSS JOIN ru\n"
    " ORDER BY 1, st.since NULLS LAST, 2, 4, 7";

/* The flags table as the diff reads it: one laid out before dispositions
 * were kept has them as NULL. */
static const char *flags_of(bool old_layout)
{
    return old_layout ? "(SELECT f0.*, NULL::text AS disposition FROM %s.flags f0)"
                      : "%s.flags";
}

/* The runs table as the diff reads it: one laid out before rules,
 * incomplete and incomplete_why were kept has them as NULL. */
static const char *runs_of(bool old_layout)
{
    return old_layout ? "(SELECT r0.*, NULL::jsonb AS rules, NULL::boolean AS incomplete, "
                        "NULL::text AS incomplete_why FROM %s.runs r0)"
                      : "%s.runs";
}

static PGresult *query_diff(pg *c, const char *tmpl, bool old_layout, int nparams,
                            const char *const *params, const char *where, xc_err *err)
{
    xc_buf b = {0};
    const char *runs = runs_of(old_layout), *flags = flags_of(c->old_flags);
    for (const char *t = tmpl; *t;) {
        const char *r = strstr(t, "%R"), *f = strstr(t, "%F");
        if (!r || (f && f < r))
            r = f;
        if (!r) {
            buf_str(&b, t);
            break;
        }
        xc_buf_append(&b, t, (size_t)(r - t));
        buf_str(&b, r[1] == 'R' ? runs : flags);
        t = r + 2;
    }
    char *expanded = xc_buf_take(&b);
    char *sql = expanded ? sql_for(c, expanded) : NULL;
    free(expanded);
    if (!sql) {
        xc_err_set(err, XC_ENOMEM, "out of memory");
        return NULL;
    }
    PGresult *r = pg_exec(c, sql, nparams, params, where, err);
    free(sql);
    return r;
}

static xc_date parse_date(const char *s)
{
    xc_date d;
    return s && xc_date_parse_iso(s, &d) == 0 ? d : XC_NO_DATE;
}

/* The reason a flag of a rule in state st ('n', 'u', 'x') in the other run
 * is not comparable; of_current: the other run is this one. */
static const char *why_not_comparable(xc_arena *a, char st, bool of_current,
                                      const char *why_not)
{
    char text[400];
    const char *why = why_not[0] ? why_not : _("no reason recorded");
    if (st == 'n')
        snprintf(text, sizeof text, of_current ? _("not evaluated in this run (%s)")
                                               : _("not evaluated in the previous run (%s)"), why);
    else if (st == 'x')
        snprintf(text, sizeof text, "%s", of_current ? _("this run had no such rule")
                                                     : _("the previous run had no such rule"));
    else
        snprintf(text, sizeof text, "%s",
                 of_current ? _("this run has no record of the rules it evaluated")
                            : _("the previous run has no record of the rules it evaluated"));
    return xc_arena_dup(a, text, strlen(text));
}

static int cmp_not_comparable(const void *x, const void *y)
{
    const xc_diff_flag *a = x, *b = y;
    int c = strcmp(a->rule, b->rule);
    if (c)
        return c;
    if (a->in_current != b->in_current)
        return a->in_current ? -1 : 1;
    if ((c = strcmp(a->archive_no, b->archive_no)) != 0)
        return c;
    return strcmp(a->person_key, b->person_key);
}

static int cmp_rule_archive(const void *x, const void *y)
{
    const xc_diff_flag *a = x, *b = y;
    int c = strcmp(a->rule, b->rule);
    if (c)
        return c;
    if ((c = strcmp(a->archive_no, b->archive_no)) != 0)
        return c;
    return strcmp(a->person_key, b->person_key);
}

static int fill_diff(xc_diff *d, const PGresult *r)
{
    int n = PQntuples(r);
    size_t count[XC_CHANGE_COUNT] = {0};
    xc_change *kind = calloc((size_t)(n ? n : 1), sizeof *kind);
    if (!kind)
        return XC_ENOMEM;
    for (int i = 0; i < n; i++) {
        long ch = strtol(PQgetvalue(r, i, 0), NULL, 10);
        if (ch < 0 || ch > XC_CHANGE_PERSISTING) {
            free(kind);
            return XC_EINTERNAL;
        }
        /* In one run only, and its rule not (known to be) evaluated in the
         * other: neither new nor resolved. Without a previous run all is
         * new. */
        bool other_evaluated = PQgetvalue(r, i, 10)[0] == 'e';
        if (ch != XC_CHANGE_PERSISTING && !other_evaluated &&
            (ch == XC_CHANGE_RESOLVED || d->has_previous))
            ch = XC_CHANGE_NOT_COMPARABLE;
        /* In this run, and verified a false positive: neither new nor
         * persisting, whatever the previous run had. */
        if (ch != XC_CHANGE_RESOLVED && strcmp(PQgetvalue(r, i, 12), "excluded") == 0)
            ch = XC_CHANGE_EXCLUDED;
        kind[i] = (xc_change)ch;
        count[ch]++;
    }
    xc_diff_flag **lists[XC_CHANGE_COUNT] = {&d->added, &d->resolved, &d->persisting,
                                             &d->not_comparable, &d->excluded};
    size_t *lens[XC_CHANGE_COUNT] = {&d->n_added, &d->n_resolved, &d->n_persisting,
                                     &d->n_not_comparable, &d->n_excluded};
    for (int k = 0; k < XC_CHANGE_COUNT; k++)
        if (count[k] && !(*lists[k] = calloc(count[k], sizeof **lists[k]))) {
            free(kind);
            return XC_ENOMEM;
        }
    int rc = XC_OK;
    for (int i = 0; i < n && rc == XC_OK; i++) {
        xc_change ch = kind[i];
        long was = strtol(PQgetvalue(r, i, 0), NULL, 10);
        xc_diff_flag *f = &(*lists[ch])[(*lens[ch])++];
        const char **texts[] = {&f->rule, &f->category, &f->archive_no, &f->region_code,
                                &f->level, &f->person_key, &f->summary};
        for (int k = 0; k < 7; k++) {
            const char *v = PQgetvalue(r, i, k + 1);
            if (!(*texts[k] = xc_arena_dup(&d->text, v, strlen(v))))
                rc = XC_ENOMEM;
        }
        f->change = ch;
        f->in_current = was != XC_CHANGE_RESOLVED;
        f->why = ch == XC_CHANGE_NOT_COMPARABLE
                 ? why_not_comparable(&d->text, PQgetvalue(r, i, 10)[0], !f->in_current,
                                      PQgetvalue(r, i, 11))
                 : "";
        if (!f->why)
            rc = XC_ENOMEM;
        f->condition_from = PQgetisnull(r, i, 8) ? XC_NO_DATE : parse_date(PQgetvalue(r, i, 8));
        bool closed = ch == XC_CHANGE_RESOLVED || ch == XC_CHANGE_NOT_COMPARABLE ||
                      ch == XC_CHANGE_EXCLUDED;
        f->since = closed || PQgetisnull(r, i, 9) ? XC_NO_DATE : parse_date(PQgetvalue(r, i, 9));
        if (closed)
            f->days_open = -1;
        else if (ch == XC_CHANGE_NEW || f->since == XC_NO_DATE || f->since > d->as_of)
            f->days_open = 0;
        else
            f->days_open = d->as_of - f->since;
    }
    free(kind);
    if (rc == XC_OK && d->n_excluded > 1)
        qsort(d->excluded, d->n_excluded, sizeof *d->excluded, cmp_rule_archive);
    if (rc == XC_OK && d->n_not_comparable > 1)
        qsort(d->not_comparable, d->n_not_comparable, sizeof *d->not_comparable,
              cmp_not_comparable);
    return rc;
}

/* A run's record as current_sql and previous_sql give it. */
typedef struct run_rec {
    char run_id[128], key_id[XC_KEY_ID_LEN + 1], config_hash[65], profile[128];
    char incomplete[8];        /* "true", "false", "" when not recorded */
    char incomplete_why[512];
    xc_date as_of;
} run_rec;

static void read_rec(const PGresult *r, run_rec *ret)
{
    snprintf(ret->run_id, sizeof ret->run_id, "%s", PQgetvalue(r, 0, 0));
    ret->as_of = parse_date(PQgetvalue(r, 0, 1));
    snprintf(ret->key_id, sizeof ret->key_id, "%s", PQgetvalue(r, 0, 2));
    snprintf(ret->config_hash, sizeof ret->config_hash, "%s", PQgetvalue(r, 0, 3));
    snprintf(ret->profile, sizeof ret->profile, "%s", PQgetvalue(r, 0, 4));
    snprintf(ret->incomplete, sizeof ret->incomplete, "%s", PQgetvalue(r, 0, 5));
    snprintf(ret->incomplete_why, sizeof ret->incomplete_why, "%s", PQgetvalue(r, 0, 6));
}

/* Appends a change; texts copied into the diff. */
static int add_change(xc_diff *d, size_t *cap, const char *what, const char *dataset,
                      const char *before, const char *after)
{
    if (d->n_changes == *cap) {
        size_t n = *cap ? *cap * 2 : 8;
        xc_run_change *v = realloc(d->changes, n * sizeof *v);
        if (!v)
            return XC_ENOMEM;
        d->changes = v;
        *cap = n;
    }
    xc_run_change *c = &d->changes[d->n_changes];
    c->what = xc_arena_dup(&d->text, what, strlen(what));
    c->dataset = xc_arena_dup(&d->text, dataset, strlen(dataset));
    c->before = xc_arena_dup(&d->text, before, strlen(before));
    c->after = xc_arena_dup(&d->text, after, strlen(after));
    if (!c->what || !c->dataset || !c->before || !c->after)
        return XC_ENOMEM;
    d->n_changes++;
    return XC_OK;
}

/* A run's completeness for people: "" when not recorded. */
static void completeness(const run_rec *r, char *buf, size_t bufsz)
{
    if (strcmp(r->incomplete, "true") == 0)
        snprintf(buf, bufsz, r->incomplete_why[0] ? _("incomplete (%s)") : _("incomplete"),
                 r->incomplete_why);
    else if (strcmp(r->incomplete, "false") == 0)
        snprintf(buf, bufsz, "%s", _("complete"));
    else
        buf[0] = '\0';
}

static int cmp_change(const void *x, const void *y)
{
    const xc_run_change *a = x, *b = y;
    const xc_dataset_def *da = a->dataset[0] ? xc_dataset_by_name(a->dataset) : NULL;
    const xc_dataset_def *db = b->dataset[0] ? xc_dataset_by_name(b->dataset) : NULL;
    int ia = da ? (int)da->id : a->dataset[0] ? XC_DS_COUNT : -1;
    int ib = db ? (int)db->id : b->dataset[0] ? XC_DS_COUNT : -1;
    if (ia != ib)
        return ia < ib ? -1 : 1;
    if (ia < 0)
        return 0;             /* the run's own: kept in their order */
    static const char *const order[] = {"configured", "coverage", "exported"};
    int oa = 0, ob = 0;
    for (int i = 0; i < 3; i++) {
        oa = strcmp(a->what, order[i]) == 0 ? i : oa;
        ob = strcmp(b->what, order[i]) == 0 ? i : ob;
    }
    return oa != ob ? (oa < ob ? -1 : 1) : strcmp(a->dataset, b->dataset);
}

/* How the previous run's record differs from the current one's. */
static int find_changes(pg *c, bool old_layout, const run_rec *cur, const run_rec *prev,
                        xc_diff *d, xc_err *err)
{
    size_t cap = 0;
    int rc = XC_OK;
    if (strcmp(cur->config_hash, prev->config_hash) != 0)
        rc = add_change(d, &cap, "config_hash", "", prev->config_hash, cur->config_hash);
    if (rc == XC_OK && strcmp(cur->profile, prev->profile) != 0)
        rc = add_change(d, &cap, "profile", "", prev->profile, cur->profile);
    char was[600], is[600];
    completeness(prev, was, sizeof was);
    completeness(cur, is, sizeof is);
    /* Only when one of them is known to rest on incomplete data. */
    if (rc == XC_OK && strcmp(was, is) != 0 &&
        (strcmp(cur->incomplete, "true") == 0 || strcmp(prev->incomplete, "true") == 0))
        rc = add_change(d, &cap, "incomplete", "", was, is);
    if (rc < 0)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    size_t own = d->n_changes;
    const char *params[2] = {cur->run_id, prev->run_id};
    PGresult *r = query_diff(c, sources_sql, old_layout, 2, params, c->table[T_RUNS], err);
    if (!r)
        return err && err->code ? err->code : XC_EIO;
    for (int i = 0; i < PQntuples(r) && rc == XC_OK; i++) {
        const char *what = PQgetvalue(r, i, 1);
        char before[300], after[300];
        const char *v[2] = {PQgetvalue(r, i, 2), PQgetvalue(r, i, 3)};
        const char *declared[2] = {PQgetvalue(r, i, 4), PQgetvalue(r, i, 5)};
        char *out[2] = {before, after};
        for (int k = 0; k < 2; k++) {
            if (strcmp(what, "configured") == 0)
                snprintf(out[k], sizeof before, "%s", strcmp(v[k], "true") == 0
                         ? _("configured") : _("not configured"));
            else
                snprintf(out[k], sizeof before, strcmp(declared[k], "true") == 0
                         ? _("%s (declared)") : "%s", v[k][0] ? v[k] : _("(none)"));
        }
        rc = add_change(d, &cap, what, PQgetvalue(r, i, 0), before, after);
    }
    PQclear(r);
    if (rc < 0)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    if (d->n_changes > own)
        qsort(d->changes + own, d->n_changes - own, sizeof *d->changes, cmp_change);
    return XC_OK;
}

/* Whether runs lacks the columns of the diff's record (a table laid out by
 * an earlier version, not published into since). */
static int old_runs_layout(pg *c, bool *ret, xc_err *err)
{
    const char *params[1] = {c->schema};
    PGresult *r = pg_exec(c,
        "SELECT count(*) FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class t"
        "    ON t.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace"
        " WHERE n.nspname = $1 AND t.relname = 'runs' AND NOT a.attisdropped"
        "   AND a.attname IN ('rules', 'incomplete', 'incomplete_why')", 1, params,
        c->table[T_RUNS], err);
    if (!r)
        return err && err->code ? err->code : XC_EIO;
    *ret = strcmp(PQgetvalue(r, 0, 0), "3") != 0;
    PQclear(r);
    return XC_OK;
}

static int diff_runs(pg *c, const char *run_id, xc_diff *d, xc_err *err)
{
    const char *where = c->table[T_RUNS];
    int rc = pg_run(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", where, err);
    bool old_layout = false;
    if (rc < 0 || (rc = old_runs_layout(c, &old_layout, err)) < 0)
        return rc;
    const char *params[2] = {run_id, NULL};
    PGresult *r = query_diff(c, run_id ? current_sql : latest_sql, old_layout, run_id ? 1 : 0,
                             params, where, err);
    if (!r)
        return err && err->code ? err->code : XC_EIO;
    if (PQntuples(r) == 0) {
        PQclear(r);
        if (run_id)
            xc_err_set(err, XC_EINPUT, "no complete run \"%s\" in the results database",
                       run_id);
        else
            xc_err_set(err, XC_EINPUT, "no complete run in the results database");
        xc_err_at(err, where, 0, NULL);
        xc_err_hint(err, "publish a run first, or name one that was published completely");
        return XC_EINPUT;
    }
    run_rec cur, prev;
    read_rec(r, &cur);
    PQclear(r);
    snprintf(d->run_id, sizeof d->run_id, "%s", cur.run_id);
    d->as_of = cur.as_of;
    snprintf(d->key_id, sizeof d->key_id, "%s", cur.key_id);
    d->incomplete = strcmp(cur.incomplete, "true") == 0;
    d->incomplete_why = xc_arena_dup(&d->text, cur.incomplete_why, strlen(cur.incomplete_why));
    if (!d->incomplete_why)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    params[0] = d->run_id;
    if (!(r = query_diff(c, previous_sql, old_layout, 1, params, where, err)))
        return err && err->code ? err->code : XC_EIO;
    d->has_previous = PQntuples(r) > 0;
    d->previous_as_of = XC_NO_DATE;
    if (d->has_previous) {
        read_rec(r, &prev);
        snprintf(d->previous_run_id, sizeof d->previous_run_id, "%s", prev.run_id);
        d->previous_as_of = prev.as_of;
        bool same = d->key_id[0] && strcmp(d->key_id, prev.key_id) == 0;
        if (!same) {
            xc_err_set(err, XC_EINPUT, "runs \"%s\" and \"%s\" were published under "
                       "different keys: their people cannot be compared", d->run_id,
                       d->previous_run_id);
            xc_err_detail(err, "key id %s against %s", d->key_id[0] ? d->key_id : "(none)",
                          prev.key_id[0] ? prev.key_id : "(none)");
            xc_err_hint(err, "a diff compares runs made with the same key file; a new key "
                        "starts a new series of runs");
            xc_err_at(err, where, 0, NULL);
            PQclear(r);
            return XC_EINPUT;
        }
    }
    PQclear(r);
    if (d->has_previous && (rc = find_changes(c, old_layout, &cur, &prev, d, err)) < 0)
        return rc;
    params[1] = d->has_previous ? d->previous_run_id : NULL;
    bool with_disposition = false;
    if ((rc = has_column(c, "flags", "disposition", &with_disposition, T_FLAGS, err)) < 0)
        return rc;
    c->old_flags = !with_disposition;
    if (!(r = query_diff(c, diff_sql, old_layout, 2, params, c->table[T_FLAGS], err)))
        return err && err->code ? err->code : XC_EIO;
    rc = fill_diff(d, r);
    PQclear(r);
    if (rc == XC_ENOMEM)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    if (rc < 0)
        return xc_err_set(err, XC_EINTERNAL, "unexpected answer from the results database");
    return pg_run(c, "COMMIT", where, err);
}

int xc_results_diff(const char *conninfo, const char *schema, long lock_timeout_ms,
                    const char *run_id, xc_diff **ret, xc_err *err)
{
    *ret = NULL;
    xc_diff *d = calloc(1, sizeof *d);
    if (!d)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    d->incomplete_why = "";
    pg c;
    int rc = pg_connect(&c, conninfo, schema, lock_timeout_ms, err);
    if (rc == XC_OK)
        rc = diff_runs(&c, run_id, d, err);
    rc = pg_close(&c, rc, err);
    if (rc < 0) {
        xc_results_diff_free(d);
        return rc;
    }
    *ret = d;
    return XC_OK;
}

void xc_results_diff_free(xc_diff *d)
{
    if (!d)
        return;
    free(d->added);
    free(d->resolved);
    free(d->persisting);
    free(d->not_comparable);
    free(d->excluded);
    free(d->changes);
    xc_arena_free(&d->text);
    free(d);
}

/* ---- the diff for people and as CSV ---------------------------------------- */

static const char *category_label(const char *name)
{
    for (int c = 0; c < XC_CAT_COUNT; c++)
        if (strcmp(xc_category_name((xc_category)c), name) == 0)
            return xc_category_label_zh((xc_category)c);
    return name;
}

/* Appends s padded to `width` display columns (CJK characters take two). */
static void put_cell(xc_buf *b, const char *s, int width)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            w += *p >= 0xE1 ? 2 : 1;
    buf_str(b, s);
    for (; w < width; w++)
        xc_buf_append(b, " ", 1);
}

/* The lists' headings, for people. */
static const char *const change_text_of[] = {N_("new"), N_("resolved"), N_("persisting"),
                                             N_("not comparable"),
                                             N_("verified false, excluded")};

static void format_list(xc_buf *b, xc_change ch, const xc_diff_flag *v, size_t n)
{
    xc_buf_printf(b, "\n%s (%zu)\n", _(change_text_of[ch]), n);
    for (size_t i = 0; i < n; i++) {
        const xc_diff_flag *f = &v[i];
        /* Not comparable: the reason once for each rule and run. */
        const char *why = f->why ? f->why : "";
        if (ch == XC_CHANGE_NOT_COMPARABLE &&
            (i == 0 || strcmp(f->rule, v[i - 1].rule) != 0 ||
             strcmp(why, v[i - 1].why ? v[i - 1].why : "") != 0))
            xc_buf_printf(b, "  %s: %s\n", f->rule, why);
        buf_str(b, ch == XC_CHANGE_NOT_COMPARABLE ? "    " : "  ");
        put_cell(b, f->rule, 18);
        put_cell(b, category_label(f->category), 10);
        put_cell(b, f->archive_no, 14);
        put_cell(b, f->region_code[0] ? f->region_code : "-", 8);
        put_cell(b, f->level[0] ? f->level : "-", 10);
        if (ch == XC_CHANGE_PERSISTING) {
            char since[11];
            xc_buf_printf(b, _("%d days (since %s)  "), f->days_open,
                          f->since == XC_NO_DATE ? "?" : xc_date_format(f->since, since));
        }
        if (ch == XC_CHANGE_NOT_COMPARABLE)
            buf_str(b, f->in_current ? _("in this run  ") : _("in the previous run  "));
        buf_str(b, f->summary);
        xc_buf_append(b, "\n", 1);
    }
}

/* One difference of the two runs' records, for people. */
static void change_text(const xc_run_change *c, xc_buf *b)
{
    const char *label = strcmp(c->what, "config_hash") == 0 ? _("configuration (SHA-256)")
                      : strcmp(c->what, "profile") == 0 ? _("the profile")
                      : strcmp(c->what, "incomplete") == 0 ? _("completeness")
                      : strcmp(c->what, "configured") == 0 ? _("the dataset")
                      : strcmp(c->what, "coverage") == 0 ? _("coverage")
                      : strcmp(c->what, "exported") == 0 ? _("export date") : c->what;
    bool hash = strcmp(c->what, "config_hash") == 0;
    const char *before = c->before[0] ? c->before : _("(none)");
    const char *after = c->after[0] ? c->after : _("(none)");
    /* cut between characters (2026-12-02: a cut inside one made diff.csv
     * invalid UTF-8) */
    int nb = (int)xc_utf8_prefix(before, strlen(before), hash ? 12 : 400);
    int na = (int)xc_utf8_prefix(after, strlen(after), hash ? 12 : 400);
    xc_buf_printf(b, "%s%s%s: %.*s → %.*s", label, c->dataset[0] ? " " : "", c->dataset,
                  nb, before, na, after);
}

void xc_results_diff_format(const xc_diff *d, xc_buf *out)
{
    char a[11], p[11];
    xc_buf_printf(out, _("run: %s    as_of: %s\n"), d->run_id,
                  d->as_of == XC_NO_DATE ? "?" : xc_date_format(d->as_of, a));
    if (d->has_previous)
        xc_buf_printf(out, _("compared with: %s    as_of: %s\n"), d->previous_run_id,
                      d->previous_as_of == XC_NO_DATE ? "?"
                      : xc_date_format(d->previous_as_of, p));
    else
        buf_str(out, _("compared with: no earlier complete run (every flag is new)\n"));
    if (d->n_changes) {
        buf_str(out, _("the runs differ (compare with care):\n"));
        for (size_t i = 0; i < d->n_changes; i++) {
            buf_str(out, "  ");
            change_text(&d->changes[i], out);
            xc_buf_append(out, "\n", 1);
        }
    }
    if (d->incomplete)
        xc_buf_printf(out, _("note: this run rests on incomplete data%s%s\n"),
                      d->incomplete_why[0] ? _(": ") : "", d->incomplete_why);
    xc_buf_printf(out, _("new: %zu    resolved: %zu    persisting: %zu    not comparable: %zu"
                         "    excluded: %zu\n"), d->n_added, d->n_resolved, d->n_persisting,
                  d->n_not_comparable, d->n_excluded);
    format_list(out, XC_CHANGE_NEW, d->added, d->n_added);
    format_list(out, XC_CHANGE_RESOLVED, d->resolved, d->n_resolved);
    format_list(out, XC_CHANGE_PERSISTING, d->persisting, d->n_persisting);
    if (d->n_not_comparable)
        format_list(out, XC_CHANGE_NOT_COMPARABLE, d->not_comparable, d->n_not_comparable);
    if (d->n_excluded)
        format_list(out, XC_CHANGE_EXCLUDED, d->excluded, d->n_excluded);
}

void xc_results_diff_csv(const xc_diff *d, xc_buf *out)
{
    buf_str(out, "change,rule,category,archive_no,region_code,level,days_open,summary,note\n");
    for (size_t i = 0; i < d->n_changes; i++) {
        const xc_run_change *c = &d->changes[i];
        char item[200];
        snprintf(item, sizeof item, "%s%s%s", c->what, c->dataset[0] ? "." : "", c->dataset);
        xc_buf text = {0};
        change_text(c, &text);
        xc_csv_cell(out, "run_changed", false);
        xc_csv_cell(out, item, false);
        for (int k = 0; k < 5; k++)      /* category ... days_open */
            xc_csv_cell(out, "", false);
        xc_csv_cell(out, text.p ? text.p : "", false);
        xc_csv_cell(out, "", true);
        xc_buf_free(&text);
    }
    const xc_diff_flag *lists[] = {d->added, d->resolved, d->persisting, d->not_comparable,
                                   d->excluded};
    size_t lens[] = {d->n_added, d->n_resolved, d->n_persisting, d->n_not_comparable,
                     d->n_excluded};
    for (int k = 0; k < XC_CHANGE_COUNT; k++)
        for (size_t i = 0; i < lens[k]; i++) {
            const xc_diff_flag *f = &lists[k][i];
            char days[16] = "";
            if (f->change == XC_CHANGE_NEW || f->change == XC_CHANGE_PERSISTING)
                snprintf(days, sizeof days, "%d", f->days_open);
            xc_csv_cell(out, xc_change_name(f->change), false);
            xc_csv_cell(out, f->rule, false);
            xc_csv_cell(out, f->category, false);
            xc_csv_cell(out, f->archive_no, false);
            xc_csv_cell(out, f->region_code, false);
            xc_csv_cell(out, f->level, false);
            xc_csv_cell(out, days, false);
            xc_csv_cell(out, f->summary, false);
            xc_csv_cell(out, f->why, true);
        }
}
