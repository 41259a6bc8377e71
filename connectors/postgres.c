/*
 * postgres.c - the `postgres` connector: datasets streamed out of one
 * snapshot with COPY (SELECT <mapped columns> ...) TO STDOUT.
 *
 * See pg.h for the snapshot, the checks and the plans: the run's shared
 * state (xc_source_shared) is the snapshot's leaders, one per database;
 * prepare checks a dataset, plan decides how to read it. Each part of a
 * dataset is one connection reading one COPY: a ctid page range of a full
 * scan, a share of a partitioned table's members (pg.h), or the whole
 * push-down query. COPY's text format is decoded here;
 * date and timestamp columns are formatted by the server as YYYY-MM-DD, so
 * they need no date format in the configuration.
 *
 * The end of a COPY counts as success only when PQgetCopyData() returns -1,
 * PQgetResult() then gives PGRES_COMMAND_OK, and its row count equals the
 * rows received: a backend killed mid-COPY also ends the stream with -1.
 *
 * Nothing about the archive reaches the server's logs: a push-down sends
 * its ID texts as COPY data into a temporary table of its own session,
 * inside its snapshot transaction, and the query reads them from there. No
 * statement text holds a number (log_statement, pg_stat_activity), and
 * COPY data is never logged. Every session runs with an empty search_path
 * (pg_catalog only, as PostgreSQL's own client tools do), and each
 * statement that holds configuration text goes through the extended
 * protocol, which runs exactly one statement.
 */
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg.h"
#include "xcheck/i18n.h"
#include "xcheck/idno.h"
#include "core/pgconn.h"
#include "xcheck/pseudonym.h"
#include "xcheck/plugin/source.h"
#include "xcheck/text.h"

enum {
    OID_DATE = 1082, OID_TIMESTAMP = 1114, OID_TIMESTAMPTZ = 1184,
    PAGES_PER_PART = 16,        /* below this a range is not worth a connection */
    /* auto: push down when rows >= 3 x ID texts asked. Measured on the
     * benchmark's slice (tests/bench/run.sh; 606 k texts asked, warm
     * cache, -j 2), one connection's seconds pushed down against two ranges'
     * of a full scan: 10 M rows 2.8 against 9.0, 3 M 2.5 against 4.7, 2 M
     * 2.1 against 2.9, 1 M 2.1 against 1.7 (2026-12-03: at 20, the 10 M
     * rows of hukou were read whole and the run took 40% longer). */
    PUSHDOWN_RATIO = 3
};

typedef struct leader {
    char *conninfo;
    PGconn *conn;
    char snapshot[64];
} leader;

extern const xc_source_ops xc_postgres_source_ops;

typedef struct xc_pg xc_pg;
typedef struct xc_pg_plan xc_pg_plan;

/* One relation of a table's inheritance tree that holds rows of its own: a
 * partition (a leaf: a plain or foreign table), or a table of an old-style
 * inheritance tree, the parent included. Read with ONLY, so that each row
 * is read once, from the relation that holds it. */
typedef struct member {
    char *rel;                  /* quoted: "schema"."name" */
    char *label;                /* schema.name, for messages */
    char kind;                  /* pg_class.relkind: 'r', 'm' or 'f' */
    long pages;                 /* its size in pages ('f': the server's
                                   estimate, from ANALYZE; 0 if none) */
    double tuples;              /* pg_class.reltuples, < 0: never analyzed */
    bool indexed;               /* a valid index on the ID column */
} member;

/* What one part reads of a member: all of it, or one ctid page range, with
 * or without the push-down's filter. */
typedef struct piece {
    int member;
    bool ranged;                /* false: the whole member */
    long from, to;              /* the page range; to < 0: open at the end */
    bool filtered;              /* WHERE id = ANY (the ID set) */
    int part;                   /* the part that reads it */
    long weight;                /* pages, for balancing the parts */
} piece;

/* The run's PostgreSQL state: the leaders, each allocated apart so that a
 * plan's pointer to its leader stays valid as databases are added. */
struct xc_pg {
    xc_source_shared base;
    leader **leaders;
    size_t n_leaders;
    xc_datefmt iso;             /* what the server writes for date columns */
    long lock_timeout_ms;       /* every session's lock_timeout, 0: none */
};

struct xc_pg_plan {
    xc_source_plan base;
    xc_pg *pg;
    const xc_binding *b;
    const xc_pg_conf *conf;
    const leader *leader;
    char *rel;                  /* quoted table, or (query) AS xc_q */
    char *table_label;          /* the table or "query", for messages */
    char *select_list;
    int n_cols;
    int col_field[XC_MAX_FIELDS];           /* the field of each column */
    const xc_datefmt *format[XC_MAX_FIELDS];
    bool is_table, splittable, id_indexed;
    bool by_index;              /* push-down through the ID column's index */
    char *id_col;               /* quoted ID column, NULL if none */
    char *id_type;              /* its SQL type, a domain's base type */
    char id_category;           /* pg_type.typcategory of that type: 'S'
                                   string, 'N' number, else no push-down */
    int id_maxlen;              /* characters it holds, 0: no limit */
    bool id_type_ok;            /* a type the ID texts can be cast to without
                                   an error or a lossy match: text, varchar,
                                   bpchar, name, an extension's string type
                                   (citext), bigint, numeric of 18 digits */
    bool id_foreign;            /* the relation reads a foreign table (or a
                                   custom scan): a filter could be sent on */
    double reltuples;
    long pages;
    char relkind;               /* the table's pg_class.relkind, 0: a query */
    bool custom_scan;           /* its plan holds a Custom Scan (Citus...) */
    /* A partitioned table or an inheritance tree read member by member:
     * tree is set when the table has members of its own (partitions,
     * children); direct when each can be read on its own (see
     * describe_tree()), else why not. */
    bool tree, direct;
    const char *indirect_why;
    member *members;
    int n_members;
    piece *pieces;              /* the decision, for a direct tree */
    int n_pieces;
    /* the decision */
    int parts;
    uint64_t limit;         /* plan_in's limit: LIMIT n, read as one part */
    bool pushdown;
    char *ids;                  /* push-down: the ID texts, one a line, for COPY */
    size_t ids_len;
    char strategy[16];
    char reason[200];
    /* A dataset of several sources (xc_pg_conf.sources): one plan each,
     * whose parts follow one another, source i's from part sub_first[i];
     * this plan reads nothing itself. For a source's plan, source_name is
     * its name (borrowed from the configuration), else NULL. */
    xc_pg_plan **subs;
    int n_subs;
    int *sub_first;             /* n_subs + 1 */
    xc_pg_conf *sub_conf;       /* each source's settings, texts borrowed */
    char **labels;              /* per source, for the run record */
    int snapshots;              /* the distinct databases (snapshots) read */
    const char *source_name;
};

typedef struct pg_source {
    xc_source base;
    const xc_pg_plan *plan;
    int part;
    PGconn *conn;
    bool copying;
    long rows;
    char *row;
    size_t row_cap;
    char problem[160];
} pg_source;

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

/* Sets err from a failed result (or the connection's message): primary
 * message, SQLSTATE, the server's detail and hint. */
static int fail_result(xc_err *err, int code, const char *what, PGconn *conn,
                       const PGresult *res)
{
    const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char msg[400];
    xc_pg_one_line(primary ? primary : conn ? PQerrorMessage(conn) : "", msg, sizeof msg,
                   false);
    xc_err_set(err, code, "%s: %s", what, msg[0] ? msg : "the server gave no reason");
    xc_pg_err_fields(err, res, conn);
    return code;
}

static PGconn *connect_db(const char *conninfo, const char *what, xc_err *err)
{
    return xc_pg_connect(conninfo, what, "check the database settings ([run] database, -d, "
                         "or the PG* environment variables) and that the server accepts the "
                         "connection", XC_ESOURCE, NULL, err);
}

/* Runs sql expecting `want`; on failure sets err and returns NULL. */
static PGresult *run(PGconn *conn, const char *sql, ExecStatusType want, const char *what,
                     xc_err *err)
{
    /* The extended protocol: one statement, whatever a query holds. */
    PGresult *res = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0);
    if (PQresultStatus(res) == want)
        return res;
    fail_result(err, XC_ESOURCE, what, conn, res);
    PQclear(res);
    return NULL;
}

/* Every connection: UTF-8 text, ISO dates, no schema but pg_catalog on the
 * search path (no other schema's objects can stand in for ours or for
 * pg_catalog's functions), then the snapshot transaction. */
static const char SESSION_SETTINGS[] =
    "SET client_encoding = 'UTF8'; SET DateStyle = 'ISO, YMD'; "
    "SELECT pg_catalog.set_config('search_path', '', false)";
static const char SESSION_BEGIN[] = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";

/* Runs our own fixed setup text, several statements at once. */
static bool setup_ok(PGconn *conn, const char *sql, const char *what, xc_err *err)
{
    PGresult *res = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        PQclear(res);
        return true;
    }
    fail_result(err, XC_ESOURCE, what, conn, res);
    PQclear(res);
    return false;
}

/* The settings of every session: SESSION_SETTINGS, then the limits on its
 * waits (pgconn.h): the leader sits idle in its snapshot transaction while
 * the others read, and must outlive any idle timeout of the role. */
static bool session_ok(const xc_pg *pg, PGconn *conn, const char *what, xc_err *err)
{
    char waits[400];
    xc_pg_waits_sql(pg->lock_timeout_ms, waits, sizeof waits);
    return setup_ok(conn, SESSION_SETTINGS, what, err) && setup_ok(conn, waits, what, err);
}

/* What a lock wait, a lost snapshot or an ended session means, said for
 * the dataset of plan p (pgconn.h). */
static void explain(const xc_pg_plan *p, xc_err *err)
{
    char state[6], who[200], rel[300];
    if (!xc_pg_err_state(err, state))
        return;
    snprintf(who, sizeof who, "dataset %s", p->b->ds->name);
    if (p->conf->table)
        snprintf(rel, sizeof rel, "%s", p->conf->table);
    else
        snprintf(rel, sizeof rel, "a table its query reads");
    xc_pg_explain(err, state, who, rel, p->pg->lock_timeout_ms);
}

/* A push-down into a table with an index on its ID column. The planner
 * cannot know how few of the thousands of ID texts asked for exist: it
 * expects a row or more for each, costs every one as a random read, and
 * picks a (parallel) scan of the whole table for all but the biggest
 * tables, ten times slower than the index and in an order that changes
 * from run to run. The index is why the set is pushed down, so a bitmap
 * scan of it is all that is left: rows in the table's physical order, as
 * a full scan reads them, the same on every run. The ID set's temporary
 * table can only be scanned sequentially, which enable_seqscan = off
 * prices at 10^10: the plan's cost would then pass jit_above_cost, and
 * compiling it took longer than the query itself (120 ms of 150), so JIT is
 * off. Transaction-local; SET needs no privilege. */
static const char PUSHDOWN_SETUP[] =
    "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; "
    "SET LOCAL enable_indexonlyscan = off; SET LOCAL max_parallel_workers_per_gather = 0; "
    "SET LOCAL jit = off";

/* Creates the run's PostgreSQL state (no connection yet); every session it
 * opens waits at most env->lock_timeout_ms for a lock (0: for ever) and has
 * no idle-in-transaction timeout (pgconn.h, xc_pg_waits_sql()). */
static int pg_shared_new(const xc_source_env *env, xc_source_shared **ret, xc_err *err)
{
    xc_pg *pg = calloc(1, sizeof *pg);
    if (!pg)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    pg->base.ops = &xc_postgres_source_ops;
    pg->lock_timeout_ms = env->lock_timeout_ms;
    const char *why;
    xc_datefmt_compile("YYYY-MM-DD", &pg->iso, &why);
    *ret = &pg->base;
    return XC_OK;
}

static void pg_plan_free(xc_source_plan *base)
{
    xc_pg_plan *p = (xc_pg_plan *)base;
    if (!p)
        return;
    free(p->rel);
    free(p->table_label);
    free(p->select_list);
    free(p->id_col);
    free(p->id_type);
    free(p->ids);
    for (int i = 0; i < p->n_members; i++) {
        free(p->members[i].rel);
        free(p->members[i].label);
    }
    free(p->members);
    free(p->pieces);
    for (int i = 0; i < p->n_subs; i++) {
        pg_plan_free(&p->subs[i]->base);
        free(p->labels ? p->labels[i] : NULL);
    }
    free(p->subs);
    free(p->labels);
    free(p->sub_first);
    free(p->sub_conf);
    free(p);
}

/* Ends the leaders' transactions; the plans are freed before. */
static void pg_shared_free(xc_source_shared *base)
{
    xc_pg *pg = (xc_pg *)base;
    if (!pg)
        return;
    for (size_t i = 0; i < pg->n_leaders; i++) {
        if (pg->leaders[i]->conn) {
            PQclear(PQexec(pg->leaders[i]->conn, "COMMIT"));
            PQfinish(pg->leaders[i]->conn);
        }
        free(pg->leaders[i]->conninfo);
        free(pg->leaders[i]);
    }
    free(pg->leaders);
    free(pg);
}

/* The snapshot of the first database used, "" if none. */
static const char *pg_shared_label(const xc_source_shared *base)
{
    const xc_pg *pg = (const xc_pg *)base;
    return pg->n_leaders ? pg->leaders[0]->snapshot : "";
}

/* The leader of a database: connected, in its snapshot transaction. */
static const leader *leader_for(xc_pg *pg, const char *conninfo, const char *what, xc_err *err)
{
    for (size_t i = 0; i < pg->n_leaders; i++)
        if (strcmp(pg->leaders[i]->conninfo, conninfo) == 0)
            return pg->leaders[i];
    leader **v = realloc(pg->leaders, (pg->n_leaders + 1) * sizeof *v);
    if (!v) {
        xc_err_set(err, XC_ENOMEM, "out of memory");
        return NULL;
    }
    pg->leaders = v;
    leader *l = calloc(1, sizeof *l);
    if (!l || !(l->conninfo = dup_str(conninfo))) {
        free(l);
        xc_err_set(err, XC_ENOMEM, "out of memory");
        return NULL;
    }
    v[pg->n_leaders++] = l;
    if (!(l->conn = connect_db(conninfo, what, err)) || !session_ok(pg, l->conn, what, err) ||
        !setup_ok(l->conn, SESSION_BEGIN, what, err))
        return NULL;
    PGresult *res = run(l->conn, "SELECT pg_catalog.pg_export_snapshot()", PGRES_TUPLES_OK,
                        what, err);
    if (!res)
        return NULL;
    snprintf(l->snapshot, sizeof l->snapshot, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return l;
}

/* "schema.table" -> "schema"."table", each part quoted. */
static char *quote_table(PGconn *conn, const char *name)
{
    xc_buf b = {0};
    const char *p = name;
    for (;;) {
        size_t n = strcspn(p, ".");
        char part[256];
        snprintf(part, sizeof part, "%.*s", (int)(n < 255 ? n : 255), p);
        char *q = PQescapeIdentifier(conn, part, strlen(part));
        if (!q) {
            xc_buf_free(&b);
            return NULL;
        }
        xc_buf_printf(&b, "%s%s", b.len ? "." : "", q);
        PQfreemem(q);
        if (!p[n])
            break;
        p += n + 1;
    }
    return xc_buf_take(&b);
}

/* For a table: the ID column's type and index, the table's size. */
static int describe_table(xc_pg_plan *p, PGconn *conn, const char *what, xc_err *err)
{
    const xc_binding *b = p->b;
    xc_buf q = {0};
    char *rel = PQescapeLiteral(conn, p->rel, strlen(p->rel));
    if (!rel)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    xc_buf_printf(&q, "SELECT c.relkind IN ('r', 'm'), c.reltuples, "
                  "pg_catalog.pg_relation_size(c.oid) / "
                  "pg_catalog.current_setting('block_size')::int");
    int id_field = b->ds->link == XC_LINK_ID ? b->ds->link_field : -1;
    const char *id_col = id_field >= 0 ? b->field[id_field].column : NULL;
    char *col = id_col ? PQescapeLiteral(conn, id_col, strlen(id_col)) : NULL;
    if (id_col && !col) {
        PQfreemem(rel);
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    }
    if (col)
        /* The column's type, a domain's base type (whose operators and
         * index the comparison uses), what kind of type that is, and how
         * many characters it holds. */
        xc_buf_printf(&q, ", (SELECT pg_catalog.format_type(b.oid, CASE WHEN t.typbasetype <> 0 "
                      "THEN t.typtypmod ELSE a.atttypmod END) || ' ' || b.typcategory::text || ' ' || "
                      "(CASE WHEN t.typbasetype <> 0 THEN t.typtypmod ELSE a.atttypmod END) || "
                      "' ' || b.oid::pg_catalog.int8 "
                      "FROM pg_catalog.pg_attribute a "
                      "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
                      "JOIN pg_catalog.pg_type b ON b.oid = CASE WHEN t.typbasetype <> 0 "
                      "THEN t.typbasetype ELSE t.oid END "
                      "WHERE a.attrelid = c.oid AND a.attname = %s), "
                      "EXISTS (SELECT 1 FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a "
                      "ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] "
                      "WHERE i.indrelid = c.oid AND a.attname = %s "
                      "AND i.indisvalid AND i.indpred IS NULL)", col, col);
    xc_buf_printf(&q, " FROM pg_catalog.pg_class c WHERE c.oid = %s::pg_catalog.regclass", rel);
    PQfreemem(rel);
    PQfreemem(col);
    char *sql = xc_buf_take(&q);
    if (!sql)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    PGresult *res = run(conn, sql, PGRES_TUPLES_OK, what, err);
    free(sql);
    if (!res)
        return XC_ESOURCE;
    p->splittable = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    p->reltuples = atof(PQgetvalue(res, 0, 1));
    p->pages = atol(PQgetvalue(res, 0, 2));
    if (id_col) {
        char *quoted = PQescapeIdentifier(conn, id_col, strlen(id_col));
        p->id_col = quoted ? dup_str(quoted) : NULL;
        PQfreemem(quoted);
        /* "character varying(18) S 22 0": the name may hold blanks */
        char *desc = PQgetvalue(res, 0, 3);
        char *end = desc + strlen(desc);
        char *oidtxt = end, *mod, *cat;
        while (oidtxt > desc && oidtxt[-1] != ' ')
            oidtxt--;
        mod = oidtxt > desc ? oidtxt - 1 : desc;
        while (mod > desc && mod[-1] != ' ')
            mod--;
        cat = mod > desc ? mod - 2 : desc;
        if (cat > desc && cat[1] == ' ') {
            p->id_category = cat[0];
            long typmod = atol(mod);
            /* character(n), character varying(n): typmod is n + 4 */
            p->id_maxlen = typmod > 4 && p->id_category == 'S' ? (int)(typmod - 4) : 0;
            long oid = atol(oidtxt);
            /* numeric(p, s): typmod is (p << 16 | s) + 4; -1 unbounded */
            long prec = typmod >= 4 ? ((typmod - 4) >> 16) & 0xFFFF : -1;
            long scale = typmod >= 4 ? (typmod - 4) & 0xFFFF : 0;
            p->id_type_ok = oid == 25 || oid == 1043 || oid == 1042 || oid == 19 ||
                            (p->id_category == 'S' && oid >= 16384) || oid == 20 ||
                            (oid == 1700 && (prec < 0 || prec - scale >= 18));
            p->id_type = malloc((size_t)(cat - desc));
            if (p->id_type) {
                memcpy(p->id_type, desc, (size_t)(cat - desc - 1));
                p->id_type[cat - desc - 1] = '\0';
            }
        } else {
            p->id_type = dup_str("text");
            p->id_category = '?';
        }
        p->id_indexed = strcmp(PQgetvalue(res, 0, 4), "t") == 0;
        if (!p->id_col || !p->id_type) {
            PQclear(res);
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        }
    }
    PQclear(res);
    return XC_OK;
}

/* The members of the table's inheritance tree that hold rows, the table
 * itself first when it does (a partitioned table has none of its own), then
 * by name: the relation's kind, its size, whether the role may read it
 * directly (SELECT on it, USAGE on its schema), whether row-level security is on, and whether it has an index
 * on the ID column (%s: that column as a literal, or NULL). */
static const char TREE_SQL[] =
    "WITH RECURSIVE tree(oid) AS (SELECT %s::pg_catalog.regclass::pg_catalog.oid "
    "UNION SELECT i.inhrelid FROM pg_catalog.pg_inherits i JOIN tree t ON i.inhparent = t.oid) "
    "SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), "
    "n.nspname || '.' || c.relname, c.relkind, "
    "CASE WHEN c.relkind IN ('r', 'm') THEN pg_catalog.pg_relation_size(c.oid) / "
    "pg_catalog.current_setting('block_size')::int ELSE c.relpages END, c.reltuples, "
    "pg_catalog.has_table_privilege(c.oid, 'SELECT') AND "
    "pg_catalog.has_schema_privilege(n.oid, 'USAGE'), c.relrowsecurity, "
    "EXISTS (SELECT 1 FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a "
    "ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = c.oid "
    "AND a.attname = %s AND i.indisvalid AND i.indpred IS NULL), "
    "c.oid = %s::pg_catalog.regclass::pg_catalog.oid "
    "FROM tree t JOIN pg_catalog.pg_class c ON c.oid = t.oid "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "ORDER BY c.oid <> %s::pg_catalog.regclass::pg_catalog.oid, n.nspname, c.relname";

/* Keeps row i of the TREE_SQL result as a member, if it holds rows. */
static int add_member(xc_pg_plan *p, const PGresult *res, int i)
{
    char kind = PQgetvalue(res, i, 2)[0];
    if (kind != 'r' && kind != 'm' && kind != 'f')
        return XC_OK;          /* a partitioned table: its partitions hold its rows */
    member *m = &p->members[p->n_members];
    *m = (member){.kind = kind, .pages = atol(PQgetvalue(res, i, 3)),
                  .tuples = atof(PQgetvalue(res, i, 4)),
                  .indexed = strcmp(PQgetvalue(res, i, 7), "t") == 0};
    if (!(m->rel = dup_str(PQgetvalue(res, i, 0))) ||
        !(m->label = dup_str(PQgetvalue(res, i, 1)))) {
        free(m->rel);
        return XC_ENOMEM;
    }
    p->n_members++;
    return XC_OK;
}

/* For a table: whether it is a partitioned table or the parent of an
 * inheritance tree, and its members. Reading each member on its own is
 * what makes such a table fast: a partitioned table has no pages of its
 * own to split into ctid ranges, and a ctid range through its parent would
 * scan every partition's range in each part; a foreign partition is read
 * whole, once. It needs the SELECT privilege on every member (the parent's
 * is checked only when the rows are read through it) and no row-level
 * security (a member's policies are not its parent's): otherwise the table
 * is read through the parent, whole. */
static int describe_tree(xc_pg_plan *p, PGconn *conn, const char *what, xc_err *err)
{
    const xc_binding *b = p->b;
    int id_field = b->ds->link == XC_LINK_ID ? b->ds->link_field : -1;
    const char *id_col = id_field >= 0 ? b->field[id_field].column : NULL;
    char *rel = PQescapeLiteral(conn, p->rel, strlen(p->rel));
    char *col = PQescapeLiteral(conn, id_col ? id_col : "", strlen(id_col ? id_col : ""));
    xc_buf q = {0};
    if (rel && col)
        xc_buf_printf(&q, TREE_SQL, rel, id_col ? col : "NULL", rel, rel);
    PQfreemem(rel);
    PQfreemem(col);
    char *sql = xc_buf_take(&q);
    if (!sql)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    PGresult *res = run(conn, sql, PGRES_TUPLES_OK, what, err);
    free(sql);
    if (!res)
        return XC_ESOURCE;
    int n = PQntuples(res);
    bool readable = true, rls = false;
    for (int i = 0; i < n; i++) {
        if (strcmp(PQgetvalue(res, i, 8), "t") == 0)
            p->relkind = PQgetvalue(res, i, 2)[0];
        readable = readable && strcmp(PQgetvalue(res, i, 5), "t") == 0;
        rls = rls || strcmp(PQgetvalue(res, i, 6), "t") == 0;
    }
    p->tree = n > 1 || p->relkind == 'p';
    if (!p->tree) {
        PQclear(res);
        return XC_OK;
    }
    if (!(p->members = calloc((size_t)n, sizeof *p->members))) {
        PQclear(res);
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    }
    for (int i = 0; i < n; i++)
        if (add_member(p, res, i) < 0) {
            PQclear(res);
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        }
    PQclear(res);
    p->direct = false;
    if (!readable)
        p->indirect_why = "the role may not read every member on its own";
    else if (rls)
        p->indirect_why = "row-level security is on for a member";
    else if (p->custom_scan)
        p->indirect_why = "its plan holds a custom scan";
    else if (p->n_members == 0)
        p->indirect_why = "it has no partitions";
    else
        p->direct = true;
    if (!p->direct) {
        p->splittable = false;  /* a ctid range through the parent is each member's */
        return XC_OK;
    }
    /* What the push-down decision weighs: the rows and indexes of the
     * members it would filter, the plain ones. */
    bool any_local = false, all_indexed = true;
    double tuples = 0;
    for (int i = 0; i < p->n_members; i++) {
        const member *m = &p->members[i];
        if (m->kind == 'f')
            continue;
        any_local = true;
        all_indexed = all_indexed && m->indexed;
        tuples += m->tuples > 0 ? m->tuples : 0;
    }
    p->id_indexed = any_local && all_indexed;
    p->reltuples = tuples;
    return XC_OK;
}

/* Checks dataset b in the database conninfo ("" for libpq's defaults),
 * connecting the leader for it and exporting the snapshot the first time,
 * into plan p. */
static int prepare(xc_pg *pg, xc_pg_plan *p, const xc_binding *b, const char *conninfo,
                   xc_err *err)
{
    const xc_pg_conf *conf = p->conf;
    char what[300], label[200];
    /* A source of several is named first: "shard2: public.hukou". */
    snprintf(label, sizeof label, "%s%s%s", p->source_name ? p->source_name : "",
             p->source_name ? ": " : "", conf->table ? conf->table : "query");
    snprintf(what, sizeof what, "dataset %s (%s)", b->ds->name, label);
    p->is_table = conf->table != NULL;
    if (!(p->table_label = dup_str(label)))
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    if (!(p->leader = leader_for(pg, conninfo, what, err)))
        return err && err->code ? err->code : XC_ESOURCE;
    PGconn *conn = p->leader->conn;
    xc_buf rel = {0};
    if (conf->table) {
        char *t = quote_table(conn, conf->table);
        xc_buf_printf(&rel, "%s", t ? t : "");
        free(t);
    } else {
        xc_buf_printf(&rel, "(%s\n) AS xc_q", conf->query);
    }
    if (!(p->rel = xc_buf_take(&rel)))
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    /* Only the mapped columns, in field order. */
    xc_buf cols = {0};
    for (int f = 0; f < b->ds->n_fields; f++) {
        if (!b->field[f].column)
            continue;
        char *q = PQescapeIdentifier(conn, b->field[f].column, strlen(b->field[f].column));
        if (!q) {
            xc_buf_free(&cols);
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        }
        xc_buf_printf(&cols, "%s%s", p->n_cols ? ", " : "", q);
        PQfreemem(q);
        p->col_field[p->n_cols++] = f;
    }
    char *plain = xc_buf_take(&cols);
    if (!plain)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    /* Run it once, empty, in the snapshot: the relation, every column and
     * the SELECT permission are checked before any data is read. */
    xc_buf q = {0};
    xc_buf_printf(&q, "SELECT %s FROM %s LIMIT 0", plain, p->rel);
    free(plain);
    char *sql = xc_buf_take(&q);
    if (!sql)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    PGresult *res = run(conn, sql, PGRES_TUPLES_OK, what, err);
    free(sql);
    char state[6];
    const char *st = xc_pg_err_state(err, state);
    /* A missing relation, column or privilege; not a lock wait or a lost
     * session, which explain() says. */
    if (!res && st && (strncmp(st, "42", 2) == 0 || strncmp(st, "3F", 2) == 0)) {
        xc_err_hint(err, "check table/query and the field.<name> columns of [%s] in the "
                    "configuration, and that the user may read them; names are looked up "
                    "with an empty search_path, so qualify tables with their schema "
                    "(public.hukou)", b->ds->name);
        return XC_ESOURCE;
    }
    if (!res)
        return XC_ESOURCE;
    /* Date and timestamp columns: let the server write ISO dates. */
    xc_buf sel = {0};
    for (int c = 0; c < p->n_cols; c++) {
        int f = p->col_field[c];
        Oid t = PQftype(res, c);
        char *q2 = PQescapeIdentifier(conn, b->field[f].column, strlen(b->field[f].column));
        if (!q2) {
            PQclear(res);
            xc_buf_free(&sel);
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        }
        /* Dates as the server writes them under DateStyle ISO: infinity,
         * an era (BC) and years past 9999 stay visible, to be rejected
         * with their reason; to_char() made infinity an empty date and
         * dropped the era, and timestamps past 294276 failed the run. */
        if (t == OID_DATE) {
            xc_buf_printf(&sel, "%s(%s)::pg_catalog.text", c ? ", " : "", q2);
            p->format[f] = &pg->iso;
        } else if (t == OID_TIMESTAMP || t == OID_TIMESTAMPTZ) {
            xc_buf_printf(&sel, "%s((%s)::pg_catalog.date)::pg_catalog.text", c ? ", " : "", q2);
            p->format[f] = &pg->iso;
        } else {
            xc_buf_printf(&sel, "%s%s", c ? ", " : "", q2);
        }
        PQfreemem(q2);
    }
    PQclear(res);
    if (!(p->select_list = xc_buf_take(&sel)))
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    /* Whether the relation reads another server: a foreign table, a view
     * or query over one, a partitioned table with foreign partitions, or a
     * custom scan (Citus...). A push-down's filter would be sent on there,
     * the ID set as a parameter in that server's log. */
    xc_buf ex = {0};
    xc_buf_printf(&ex, "EXPLAIN (COSTS OFF) SELECT %s FROM %s", p->select_list, p->rel);
    char *exsql = xc_buf_take(&ex);
    if (!exsql)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    PGresult *plan = run(conn, exsql, PGRES_TUPLES_OK, what, err);
    free(exsql);
    if (!plan)
        return XC_ESOURCE;
    for (int i = 0; i < PQntuples(plan); i++) {
        const char *line = PQgetvalue(plan, i, 0);
        if (strstr(line, "Foreign Scan") || strstr(line, "Custom Scan"))
            p->id_foreign = true;
        if (strstr(line, "Custom Scan"))
            p->custom_scan = true;
    }
    PQclear(plan);
    if (p->is_table && (describe_table(p, conn, what, err) < 0 ||
                        describe_tree(p, conn, what, err) < 0))
        return XC_ESOURCE;
    if (!p->is_table && b->ds->link == XC_LINK_ID) {
        const char *c = b->field[b->ds->link_field].column;
        char *q3 = PQescapeIdentifier(conn, c, strlen(c));
        p->id_col = q3 ? dup_str(q3) : NULL;
        PQfreemem(q3);
        if (!p->id_col || !(p->id_type = dup_str("text")))
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        p->id_category = 'S';
        p->id_type_ok = true;
    }
    return XC_OK;
}

/* The conninfo of a source: its own database, else the run's. */
static const char *database_of(const xc_pg_conf *conf, const xc_source_env *env)
{
    return conf->database ? conf->database : env->database ? env->database : "";
}

/* The settings of source s of section c: its own table or query, else the
 * section's; its own database, else the section's. Texts borrowed. */
static xc_pg_conf source_conf(const xc_pg_conf *c, const xc_pg_source_conf *s)
{
    bool own = s->table || s->query;
    return (xc_pg_conf){.table = own ? s->table : c->table, .query = own ? s->query : c->query,
                        .database = s->database ? s->database : c->database,
                        .pushdown = c->pushdown};
}

/* Checks every source of a dataset of several into top, each in the
 * snapshot of its own database (one leader per database, shared with
 * every other dataset and source read from it). The first failure names
 * its source. */
static int prepare_sources(xc_pg *pg, xc_pg_plan *top, const xc_binding *b,
                           const xc_source_env *env, xc_err *err)
{
    const xc_pg_conf *c = top->conf;
    int n = c->n_sources;
    top->sub_conf = calloc((size_t)n, sizeof *top->sub_conf);
    top->subs = calloc((size_t)n, sizeof *top->subs);
    top->sub_first = calloc((size_t)n + 1, sizeof *top->sub_first);
    top->labels = calloc((size_t)n, sizeof *top->labels);
    xc_buf where = {0};
    xc_buf_printf(&where, "%d sources:", n);
    for (int i = 0; i < n; i++)
        xc_buf_printf(&where, "%s %s", i ? "," : "", c->sources[i].name);
    if (!top->sub_conf || !top->subs || !top->sub_first || !top->labels ||
        !(top->table_label = xc_buf_take(&where)))
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    for (int i = 0; i < n; i++) {
        top->sub_conf[i] = source_conf(c, &c->sources[i]);
        xc_pg_plan *sub = calloc(1, sizeof *sub);
        if (!sub)
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        sub->base = (xc_source_plan){.ops = &xc_postgres_source_ops, .binding = b, .parts = 1};
        sub->pg = pg;
        sub->b = b;
        sub->conf = &top->sub_conf[i];
        sub->source_name = c->sources[i].name;
        top->subs[top->n_subs++] = sub;
        int rc = prepare(pg, sub, b, database_of(sub->conf, env), err);
        if (rc < 0) {
            explain(sub, err);
            return rc;
        }
        bool seen = false;
        for (int j = 0; j < i; j++)
            seen = seen || top->subs[j]->leader == sub->leader;
        top->snapshots += !seen;
    }
    return XC_OK;
}

/* Checks dataset b (the table or query and every mapped column exist and
 * can be read) in the run's snapshot of its database. */
static int pg_prepare(xc_source_shared *shared, const xc_binding *b, const xc_source_env *env,
                      xc_source_plan **ret, xc_err *err)
{
    xc_pg *pg = (xc_pg *)shared;
    const xc_pg_conf *conf = b->source_conf;
    xc_pg_plan *p = calloc(1, sizeof *p);
    if (!p)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    p->base = (xc_source_plan){.ops = &xc_postgres_source_ops, .binding = b, .parts = 1};
    p->pg = pg;
    p->b = b;
    p->conf = conf;
    int rc = conf->n_sources ? prepare_sources(pg, p, b, env, err)
                             : prepare(pg, p, b, database_of(conf, env), err);
    if (rc < 0) {
        if (!conf->n_sources)
            explain(p, err);
        pg_plan_free(&p->base);
        return rc;
    }
    *ret = &p->base;
    return XC_OK;
}

int xc_pg_id_variants(uint64_t key, char out[3][19])
{
    int n = 0;
    xc_id_unpack(key, out[n++]);
    if (out[0][17] == 'X') {
        memcpy(out[n], out[0], 19);
        out[n++][17] = 'x';
    }
    if (out[0][6] == '1' && out[0][7] == '9') {     /* born 19xx: maybe 15 digits */
        memcpy(out[n], out[0], 6);
        memcpy(out[n] + 6, out[0] + 8, 9);
        out[n++][15] = '\0';
    }
    return n;
}

/* The push-down's ID texts, one a line as COPY's text format takes them
 * (none needs escaping): every form of every number, or the pseudonyms.
 * They are sent as COPY data, never as statement text. */
static int build_ids(xc_pg_plan *p, const uint64_t *keys, size_t n_keys,
                     const xc_pseudomap *pseudo, size_t *ret_values)
{
    xc_buf b = {0};
    size_t values = 0;
    for (size_t i = 0; i < n_keys; i++) {
        if (pseudo) {
            const char *t = xc_pseudomap_text(pseudo, i);
            if (t[0]) {
                xc_buf_printf(&b, "%s\n", t);
                values++;
            }
            continue;
        }
        char v[3][19];
        int k = xc_pg_id_variants(keys[i], v);
        for (int j = 0; j < k; j++) {
            /* Only what the column can hold: the server's cast of the
             * array must never fail (its message would quote the value). */
            size_t n = strlen(v[j]);
            if ((p->id_maxlen && n > (size_t)p->id_maxlen) ||
                (p->id_category == 'N' && strspn(v[j], "0123456789") != n))
                continue;
            xc_buf_append(&b, v[j], n);
            xc_buf_append(&b, "\n", 1);
            values++;
        }
    }
    free(p->ids);
    p->ids_len = b.len;
    p->ids = xc_buf_take(&b);
    *ret_values = values;
    return p->ids || values == 0 ? XC_OK : XC_ENOMEM;
}

/* Whether this session may fill a temporary table: it needs the TEMP
 * privilege on the database and a server that is not a read-only standby
 * or a role whose transactions are all read-only. NULL when it may, else
 * why not. */
static const char *temp_refused(const xc_pg_plan *p, xc_err *err)
{
    PGresult *res = run(p->leader->conn,
                        "SELECT pg_catalog.has_database_privilege("
                        "pg_catalog.current_database(), 'TEMP'), pg_catalog.pg_is_in_recovery(), "
                        "pg_catalog.current_setting('default_transaction_read_only')",
                        PGRES_TUPLES_OK, "checking temporary tables", err);
    if (!res)
        return "the server would not say whether temporary tables are allowed";
    const char *why = NULL;
    if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
        why = "the role has no TEMP privilege on the database";
    else if (strcmp(PQgetvalue(res, 0, 1), "t") == 0)
        why = "the server is a read-only standby";
    else if (strcmp(PQgetvalue(res, 0, 2), "on") == 0)
        why = "the role's transactions are read-only (default_transaction_read_only)";
    PQclear(res);
    return why;
}

/* A piece's weight, heaviest first, then in plan order: the order in which
 * the parts are filled. */
typedef struct weighed {
    long weight;
    int piece;
} weighed;

static int cmp_weighed(const void *x, const void *y)
{
    const weighed *a = x, *b = y;
    if (a->weight != b->weight)
        return a->weight > b->weight ? -1 : 1;
    return (a->piece > b->piece) - (a->piece < b->piece);
}

/* Gives each of the n pieces listed in `which` to one of the parts from
 * `first` to first + bins - 1, heaviest first, each to the part with the
 * least weight so far (the lowest such part on a tie). */
static int balance(xc_pg_plan *p, const int *which, int n, int first, int bins)
{
    weighed *w = malloc((size_t)(n ? n : 1) * sizeof *w);
    long *load = calloc((size_t)(bins ? bins : 1), sizeof *load);
    if (!w || !load) {
        free(w);
        free(load);
        return XC_ENOMEM;
    }
    for (int i = 0; i < n; i++)
        w[i] = (weighed){.weight = p->pieces[which[i]].weight, .piece = which[i]};
    qsort(w, (size_t)n, sizeof *w, cmp_weighed);
    for (int i = 0; i < n; i++) {
        int best = 0;
        for (int k = 1; k < bins; k++)
            if (load[k] < load[best])
                best = k;
        load[best] += w[i].weight;
        p->pieces[w[i].piece].part = first + best;
    }
    free(w);
    free(load);
    return XC_OK;
}

/* Adds one piece of member m. */
static void add_piece(xc_pg_plan *p, int m, bool ranged, long from, long to, bool filtered)
{
    long pages = p->members[m].pages;
    long weight = ranged ? (to < 0 ? pages : to) - from : pages;
    p->pieces[p->n_pieces++] = (piece){.member = m, .ranged = ranged, .from = from, .to = to,
                                       .filtered = filtered,
                                       .weight = weight > 0 ? weight : 1};
}

/* The ctid ranges a plain member of `pages` pages is split into, when
 * each part should read about `target` pages: none below 2 x
 * PAGES_PER_PART pages, never more than jobs, each of at least
 * PAGES_PER_PART pages. A single table of a run with `jobs` parts gets
 * min(pages / PAGES_PER_PART, jobs), as a table that is no tree does. */
static long ranges_of(long pages, long target, int jobs)
{
    if (jobs < 2 || pages < 2 * PAGES_PER_PART)
        return 1;
    long k = pages / PAGES_PER_PART;
    long by_target = (pages + target - 1) / target;
    if (by_target < k)
        k = by_target;
    return k < jobs ? k : jobs;
}

/* Plans a tree read member by member (describe_tree()): the pieces and the
 * parts that read them, up to jobs, and what the run record says of it in
 * summary. A push-down filters the plain members in one part, with one
 * temporary table; a foreign member is never filtered (the ID set would
 * reach its server as a parameter) and never split (each ctid range would
 * be a query of its own to its server): it is read whole, once, in a part
 * of its own when there are parts to spare. Without a push-down a plain
 * member is split into ctid ranges as a table is. Returns the parts, or a
 * negative code. */
static int plan_tree(xc_pg_plan *p, bool push, int jobs, char *summary, size_t size)
{
    if (jobs < 1)
        jobs = 1;
    free(p->pieces);
    p->n_pieces = 0;
    if (!(p->pieces = calloc((size_t)p->n_members * (size_t)jobs, sizeof *p->pieces)))
        return XC_ENOMEM;
    long total = 0;
    for (int i = 0; i < p->n_members; i++)
        total += p->members[i].pages > 0 ? p->members[i].pages : 1;
    long target = (total + jobs - 1) / jobs;
    int ranged = 0, whole = 0, foreign = 0, filtered = 0;
    for (int i = 0; i < p->n_members; i++) {
        const member *m = &p->members[i];
        long k = m->kind == 'f' || push ? 1 : ranges_of(m->pages, target, jobs);
        if (m->kind == 'f')
            foreign++;
        else if (push)
            filtered++;
        else if (k > 1)
            ranged++;
        else
            whole++;
        if (k == 1) {
            add_piece(p, i, false, 0, -1, push && m->kind != 'f');
            continue;
        }
        for (long j = 0; j < k; j++)    /* the last range is open: pages added since */
            add_piece(p, i, true, m->pages * j / k, j + 1 < k ? m->pages * (j + 1) / k : -1,
                      false);
    }
    int *which = malloc((size_t)p->n_pieces * sizeof *which);
    if (!which)
        return XC_ENOMEM;
    int n = 0, parts;
    for (int i = 0; i < p->n_pieces; i++)
        if (!p->pieces[i].filtered)
            which[n++] = i;
    int first = filtered > 0 && jobs > 1 ? 1 : 0;   /* part 0: the filtered members */
    int bins = n < jobs - first ? n : jobs - first;
    int rc = bins > 0 ? balance(p, which, n, first, bins) : XC_OK;
    free(which);
    if (rc < 0)
        return rc;
    parts = filtered > 0 ? (jobs > 1 ? 1 + bins : 1) : bins;
    int used = snprintf(summary, size, "%s: %d %s", p->relkind == 'p' ? "partitioned"
                        : "inheritance tree", p->n_members,
                        p->relkind == 'p' ? "partitions" : "tables");
    const char *what[] = {"by ctid ranges", "whole", "filtered on the server",
                          "foreign read whole, once, unfiltered"};
    int count[] = {ranged, whole, filtered, foreign};
    for (int i = 0; i < 4; i++)
        if (count[i] && used >= 0 && (size_t)used < size)
            used += snprintf(summary + used, size - (size_t)used, ", %d %s", count[i], what[i]);
    if (used >= 0 && (size_t)used < size)
        snprintf(summary + used, size - (size_t)used, ", in %d part%s", parts,
                 parts == 1 ? "" : "s");
    return parts;
}

/* Whether a direct tree has a plain member, one a push-down can filter. */
static bool has_local(const xc_pg_plan *p)
{
    for (int i = 0; i < p->n_members; i++)
        if (p->members[i].kind != 'f')
            return true;
    return false;
}

/* Puts head before the reason, "; " between them; what passes the end of
 * the reason is cut. */
static void prepend_reason(xc_pg_plan *p, const char *head)
{
    char old[sizeof p->reason];
    memcpy(old, p->reason, sizeof old);
    size_t cap = sizeof p->reason - 1, n = 0;
    const char *parts[3] = {head, old[0] ? "; " : "", old};
    for (int i = 0; i < 3; i++) {
        size_t k = strlen(parts[i]);
        if (k > cap - n)
            k = cap - n;
        memcpy(p->reason + n, parts[i], k);
        n += k;
    }
    p->reason[n] = '\0';
}

/* Puts before the reason why a relation that is no plain table is read in
 * one part: ctid ranges mean nothing for a view, would each be a query of
 * their own to a foreign table's server, and through a parent would each
 * scan every member. */
static void explain_whole(xc_pg_plan *p)
{
    char why[160] = "";
    if (p->tree)
        snprintf(why, sizeof why, "%s read whole through the parent in one part: %s",
                 p->relkind == 'p' ? "partitioned," : "inheritance tree,", p->indirect_why);
    else if (p->relkind == 'v')
        snprintf(why, sizeof why, "a view: read in one part (no pages of its own)");
    else if (p->relkind == 'f')
        snprintf(why, sizeof why, "foreign table: read whole in one part, once");
    if (why[0])
        prepend_reason(p, why);
}

/* The decision for a tree read member by member: push (whether the
 * plain members are filtered by the ID set) is decided. */
static int decide_tree(xc_pg_plan *p, const uint64_t *keys, size_t n_keys,
                       const xc_pseudomap *pseudo, bool push, int jobs, xc_err *err)
{
    char summary[160];
    int parts = plan_tree(p, push, jobs, summary, sizeof summary);
    if (parts < 0)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    p->parts = parts;
    p->pushdown = push;
    p->by_index = push && p->id_indexed;
    snprintf(p->strategy, sizeof p->strategy, push ? "pushdown" : "full_scan");
    prepend_reason(p, summary);
    if (!push)
        return parts;
    size_t values;
    if (build_ids(p, keys, n_keys, pseudo, &values) < 0)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    size_t n = strlen(p->reason);
    snprintf(p->reason + n, sizeof p->reason - n, "; %zu ID texts sent as COPY data into a "
             "temporary table", values);
    return parts;
}

/* Decides how to read a prepared dataset: a full scan split into ctid page
 * ranges over up to in->jobs connections, or, when the archive's ID set is
 * small against an indexed table, a push-down filtered by that set. */
static int decide(xc_pg_plan *p, const uint64_t *keys, size_t n_keys,
                  const xc_pseudomap *pseudo, xc_pushdown mode, int jobs, xc_err *err)
{
    const xc_binding *b = p->b;
    size_t asked = n_keys * 2;          /* about two texts per number */
    bool push;
    switch (mode) {
    case XC_PUSHDOWN_ON:
        push = p->id_col != NULL;
        snprintf(p->reason, sizeof p->reason, push ? "pushdown = on"
                 : "pushdown = on, but %s has no ID column", b->ds->name);
        break;
    case XC_PUSHDOWN_OFF:
        push = false;
        snprintf(p->reason, sizeof p->reason, "pushdown = off");
        break;
    default:
        push = p->is_table && p->id_col && p->id_indexed &&
               p->reltuples >= (double)PUSHDOWN_RATIO * (double)asked;
        if (!p->is_table)
            snprintf(p->reason, sizeof p->reason, "a query: read whole (pushdown = on filters it)");
        else if (!p->id_col)
            snprintf(p->reason, sizeof p->reason, "no ID column");
        else if (!p->id_indexed)
            snprintf(p->reason, sizeof p->reason, "no index on the ID column %s", p->id_col);
        else
            snprintf(p->reason, sizeof p->reason, "%zu archive IDs against about %.0f rows "
                     "(indexed): %s", n_keys, p->reltuples,
                     push ? "small set, filtered on the server" : "not small enough to filter");
        break;
    }
    p->parts = 1;
    p->by_index = false;
    p->pushdown = false;
    free(p->ids);
    p->ids = NULL;
    const char *refused = NULL;
    if (push && pseudo && p->id_category != 'S')
        refused = "a column of pseudonyms must be text";
    else if (push && !p->id_type_ok)
        refused = p->id_category == 'N' ? "the ID column is a number type too small for ID "
                  "numbers, or one the ID texts cannot be compared with exactly"
                  : "the ID column's type is none the ID texts can be compared with exactly";
    else if (push && p->id_maxlen && p->id_maxlen < (pseudo ? XC_PSEUDONYM_LEN : 15))
        refused = "the ID column is too short for ID numbers";
    else if (push && p->tree && p->direct && !has_local(p))
        refused = "every member is a foreign table, and the filter would be sent on to "
                  "another server";
    else if (push && p->relkind == 'f')
        refused = "the filter would be sent on to its server";
    else if (push && p->id_foreign && !(p->tree && p->direct))
        refused = "it reads a foreign table (or a custom scan), and the filter would be "
                  "sent on to another server";
    if (push && !refused)
        refused = temp_refused(p, NULL);
    if (refused) {
        /* The ID set never goes into statement text: without a temporary
         * table to send it into, the table is read whole. */
        push = false;
        size_t n = strlen(p->reason);
        snprintf(p->reason + n, sizeof p->reason - n, "; no push-down: %s, so the archive's "
                 "ID numbers are not sent", refused);
    }
    if (p->tree && p->direct)
        return decide_tree(p, keys, n_keys, pseudo, push, jobs, err);
    if (push) {
        size_t values;
        p->by_index = p->is_table && p->id_indexed;
        p->pushdown = true;
        if (build_ids(p, keys, n_keys, pseudo, &values) < 0)
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        snprintf(p->strategy, sizeof p->strategy, "pushdown");
        size_t n = strlen(p->reason);
        snprintf(p->reason + n, sizeof p->reason - n, "; %zu ID texts sent as COPY data into a "
                 "temporary table", values);
        return 1;
    }
    snprintf(p->strategy, sizeof p->strategy, "full_scan");
    explain_whole(p);
    if (p->splittable && jobs > 1 && p->pages >= 2 * PAGES_PER_PART) {
        long parts = p->pages / PAGES_PER_PART;
        p->parts = (int)(parts < jobs ? parts : jobs);
        size_t n = strlen(p->reason);
        snprintf(p->reason + n, sizeof p->reason - n, "; %ld pages in %d ctid ranges",
                 p->pages, p->parts);
    }
    return p->parts;
}

static int pg_plan(xc_source_plan *base, const xc_source_plan_in *in, xc_err *err);

/* Where a source's database is: "host:port/dbname" of its leader. */
static void server_of(const xc_pg_plan *p, char *out, size_t size)
{
    PGconn *c = p->leader->conn;
    const char *host = PQhost(c), *port = PQport(c), *db = PQdb(c);
    snprintf(out, size, "%s:%s/%s", host ? host : "", port ? port : "", db ? db : "");
}

/* What the run record says of the sources once planned: a label per
 * source (name, table, server, snapshot, strategy and why), and for the
 * dataset the strategy they share ("mixed" if not) and a reason saying
 * how many databases were read and that their snapshots are not one point
 * in time. */
static int record_sources(xc_pg_plan *top)
{
    const char *strategy = top->subs[0]->strategy;
    for (int i = 0; i < top->n_subs; i++) {
        const xc_pg_plan *sub = top->subs[i];
        char server[300];
        server_of(sub, server, sizeof server);
        xc_buf l = {0};
        xc_buf_printf(&l, "%s @ %s, snapshot %s, %s: %s", sub->table_label, server,
                      sub->leader->snapshot, sub->strategy, sub->reason);
        free(top->labels[i]);
        if (!(top->labels[i] = xc_buf_take(&l)))
            return XC_ENOMEM;
        if (strcmp(sub->strategy, strategy) != 0)
            strategy = "mixed";
    }
    snprintf(top->strategy, sizeof top->strategy, "%s", strategy);
    if (top->n_subs == 1)       /* one named source: the record is its own */
        snprintf(top->reason, sizeof top->reason, "%s", top->subs[0]->reason);
    else if (top->snapshots > 1)
        snprintf(top->reason, sizeof top->reason, "%d sources from %d databases, each read in "
                 "its own snapshot: not one point in time; %d parts", top->n_subs,
                 top->snapshots, top->parts);
    else
        snprintf(top->reason, sizeof top->reason, "%d sources from one database, one "
                 "snapshot; %d parts", top->n_subs, top->parts);
    return XC_OK;
}

/* Plans every source of a dataset of several: push-down decided for each
 * on its own, the run's jobs shared out among them (one part at least
 * each); their parts follow one another. */
static int plan_sources(xc_pg_plan *top, const xc_source_plan_in *in, xc_err *err)
{
    xc_source_plan_in sub_in = *in;
    sub_in.jobs = in->jobs / top->n_subs > 1 ? in->jobs / top->n_subs : 1;
    top->sub_first[0] = 0;
    for (int i = 0; i < top->n_subs; i++) {
        int rc = pg_plan(&top->subs[i]->base, &sub_in, err);
        if (rc < 0)
            return rc;
        top->sub_first[i + 1] = top->sub_first[i] + top->subs[i]->base.parts;
    }
    top->parts = top->base.parts = top->sub_first[top->n_subs];
    if (record_sources(top) < 0)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    return XC_OK;
}

static int pg_plan(xc_source_plan *base, const xc_source_plan_in *in, xc_err *err)
{
    xc_pg_plan *p = (xc_pg_plan *)base;
    if (p->n_subs)
        return plan_sources(p, in, err);
    const xc_binding *b = p->b;
    p->limit = in->limit;
    xc_pushdown mode = !in->may_filter ? XC_PUSHDOWN_OFF
                     : in->pushdown >= 0 ? (xc_pushdown)in->pushdown : p->conf->pushdown;
    int parts = decide(p, in->keys, in->n_keys, b->id_pseudonym ? in->pseudo : NULL, mode,
                       in->jobs, err);
    if (parts < 0)
        return parts;
    if (p->limit)               /* a sample is one query, whatever the plan */
        parts = p->parts = 1;
    base->parts = parts;
    return XC_OK;
}

static void pg_record(const xc_source_plan *base, xc_source_record *ret)
{
    const xc_pg_plan *p = (const xc_pg_plan *)base;
    ret->strategy = p->strategy;
    ret->reason = p->reason;
    ret->where = p->n_subs == 1 && p->labels && p->labels[0] ? p->labels[0] : p->table_label;
    ret->snapshots = p->n_subs ? p->snapshots : 1;
}

static int pg_n_sources(const xc_source_plan *base)
{
    const xc_pg_plan *p = (const xc_pg_plan *)base;
    return p->n_subs ? p->n_subs : 1;
}

static const char *pg_source_label(const xc_source_plan *base, int i)
{
    const xc_pg_plan *p = (const xc_pg_plan *)base;
    return p->n_subs && i >= 0 && i < p->n_subs && p->labels[i] ? p->labels[i]
                                                                : p->table_label;
}

/* The source of a dataset of several that part `part` reads. */
static int pg_part_source(const xc_source_plan *base, int part)
{
    const xc_pg_plan *p = (const xc_pg_plan *)base;
    for (int i = 0; i < p->n_subs; i++)
        if (part < p->sub_first[i + 1])
            return i;
    return 0;
}

long xc_pg_copy_unescape(char *s, size_t len)
{
    if (!memchr(s, '\\', len))
        return (long)len;           /* nearly every field: nothing to decode */
    if (len == 2 && s[0] == '\\' && s[1] == 'N')
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c != '\\' || i + 1 == len) {
            s[o++] = c;
            continue;
        }
        c = s[++i];
        switch (c) {
        case 'b': s[o++] = '\b'; break;
        case 'f': s[o++] = '\f'; break;
        case 'n': s[o++] = '\n'; break;
        case 'r': s[o++] = '\r'; break;
        case 't': s[o++] = '\t'; break;
        case 'v': s[o++] = '\v'; break;
        case 'x': {
            int v = 0, k = 0;
            while (k < 2 && i + 1 < len && strchr("0123456789abcdefABCDEF", s[i + 1]) && s[i + 1]) {
                char h = s[++i];
                v = v * 16 + (h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
                k++;
            }
            s[o++] = k ? (char)v : 'x';
            break;
        }
        default:
            if (c >= '0' && c <= '7') {
                int v = c - '0', k = 1;
                while (k < 3 && i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '7') {
                    v = v * 8 + (s[++i] - '0');
                    k++;
                }
                s[o++] = (char)v;
            } else {
                s[o++] = c;       /* \\ and any other escaped character */
            }
        }
    }
    return (long)o;
}

/* ---- the connector ------------------------------------------------------ */

/* Sends the push-down's ID texts into the session's temporary table. */
static int send_ids(pg_source *ps, const char *what, xc_err *err)
{
    const xc_pg_plan *p = ps->plan;
    PGresult *res = run(ps->conn, "COPY pg_temp.xc_ids (id) FROM STDIN", PGRES_COPY_IN, what,
                        err);
    if (!res)
        return XC_ESOURCE;
    PQclear(res);
    const size_t chunk = 1u << 20;
    for (size_t off = 0; off < p->ids_len; off += chunk) {
        size_t n = p->ids_len - off < chunk ? p->ids_len - off : chunk;
        if (PQputCopyData(ps->conn, p->ids + off, (int)n) != 1)
            return fail_result(err, XC_ESOURCE, what, ps->conn, NULL);
    }
    if (PQputCopyEnd(ps->conn, NULL) != 1)
        return fail_result(err, XC_ESOURCE, what, ps->conn, NULL);
    int rc = XC_OK;
    while ((res = PQgetResult(ps->conn)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == XC_OK)
            rc = fail_result(err, XC_ESOURCE, what, ps->conn, res);
        PQclear(res);
    }
    return rc;
}

/* Whether part `part` filters by the ID set (and so needs the temporary
 * table): a push-down's part, but for a tree only the part of its plain
 * members. */
static bool part_filtered(const xc_pg_plan *p, int part)
{
    if (!p->pushdown || !(p->tree && p->direct))
        return p->pushdown;
    for (int i = 0; i < p->n_pieces; i++)
        if (p->pieces[i].part == part && p->pieces[i].filtered)
            return true;
    return false;
}

/* The push-down's filter on the ID column. A one-row subquery, cast so
 * that it is an array expression and not ANY (subquery): the planner takes
 * the array as a parameter, and does not estimate each of its thousands of
 * elements. */
static void print_filter(xc_buf *q, const xc_pg_plan *p)
{
    xc_buf_printf(q, " WHERE %s = ANY ((SELECT pg_catalog.array_agg(id) "
                  "FROM pg_temp.xc_ids)::%s[])", p->id_col, p->id_type);
}

/* The ctid condition of pages [from, to), to < 0: open at the end. */
static void print_range(xc_buf *q, long from, long to)
{
    xc_buf_printf(q, " WHERE ctid >= '(%ld,0)'::pg_catalog.tid", from);
    if (to >= 0)
        xc_buf_printf(q, " AND ctid < '(%ld,0)'::pg_catalog.tid", to);
}

/* The query of one part of a tree read member by member: its pieces, in
 * plan order, each from ONLY its member. */
static void print_tree_part(xc_buf *q, const xc_pg_plan *p, int part)
{
    int n = 0;
    for (int i = 0; i < p->n_pieces; i++) {
        const piece *c = &p->pieces[i];
        if (c->part != part)
            continue;
        xc_buf_printf(q, "%sSELECT %s FROM ONLY %s", n++ ? " UNION ALL " : "", p->select_list,
                      p->members[c->member].rel);
        if (c->filtered)
            print_filter(q, p);
        else if (c->ranged)
            print_range(q, c->from, c->to);
    }
}

static int start_copy(pg_source *ps, xc_err *err)
{
    const xc_pg_plan *p = ps->plan;
    bool filtered = part_filtered(p, ps->part);
    char what[600];
    snprintf(what, sizeof what, "dataset %s (%s)", p->b->ds->name, ps->base.where);
    if (!(ps->conn = connect_db(p->leader->conninfo, what, err)) ||
        !session_ok(p->pg, ps->conn, what, err))
        return XC_ESOURCE;
    /* The temporary table is made before the snapshot transaction (a
     * read-only transaction may fill one but not create it); it is filled
     * inside the transaction, so the rows are its own and seen whatever
     * the snapshot. The type name comes from format_type(): a plain SQL
     * type name. */
    if (filtered) {
        char create[200];
        /* text: a row of COPY data can never be refused (and quoted in the
         * server's log); the query casts the array to the column's type. */
        snprintf(create, sizeof create, "CREATE TEMPORARY TABLE xc_ids (id text)");
        if (!setup_ok(ps->conn, create, what, err)) {
            xc_err_hint(err, "the push-down needs a temporary table; pushdown = off reads the "
                        "table whole");
            return XC_ESOURCE;
        }
    }
    char setup[sizeof SESSION_BEGIN + sizeof PUSHDOWN_SETUP + 128];
    snprintf(setup, sizeof setup, "%s; SET TRANSACTION SNAPSHOT '%s'%s%s", SESSION_BEGIN,
             p->leader->snapshot, filtered && p->by_index ? "; " : "",
             filtered && p->by_index ? PUSHDOWN_SETUP : "");
    if (!setup_ok(ps->conn, setup, what, err))
        return XC_ESOURCE;
    if (filtered && send_ids(ps, what, err) < 0)
        return XC_ESOURCE;
    xc_buf q = {0};
    xc_buf_printf(&q, "COPY (");
    if (p->limit) {                     /* a sample: the first rows, no scan */
        xc_buf_printf(&q, "SELECT %s FROM %s LIMIT %llu", p->select_list, p->rel,
                      (unsigned long long)p->limit);
    } else if (p->tree && p->direct) {
        print_tree_part(&q, p, ps->part);
    } else {
        xc_buf_printf(&q, "SELECT %s FROM %s", p->select_list, p->rel);
        if (p->pushdown)
            print_filter(&q, p);
        else if (p->parts > 1)          /* the last range is open: pages added since */
            print_range(&q, p->pages * ps->part / p->parts, ps->part + 1 < p->parts
                        ? p->pages * (ps->part + 1) / p->parts : -1);
    }
    xc_buf_printf(&q, ") TO STDOUT");
    char *copy = xc_buf_take(&q);
    if (!copy)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    PGresult *res = run(ps->conn, copy, PGRES_COPY_OUT, what, err);
    free(copy);
    if (!res)
        return XC_ESOURCE;
    PQclear(res);
    ps->copying = true;
    return XC_OK;
}

/* The end of the stream: a success only with COMMAND_OK and every row. */
static int finish_copy(pg_source *ps, xc_err *err)
{
    char what[600];
    snprintf(what, sizeof what, "dataset %s (%s): reading failed", ps->plan->b->ds->name,
             ps->base.where);
    ps->copying = false;
    PGresult *res = PQgetResult(ps->conn);
    int rc = XC_DONE;
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        rc = fail_result(err, XC_ESOURCE, what, ps->conn, res);
    } else if (atol(PQcmdTuples(res)) != ps->rows) {
        rc = xc_err_set(err, XC_ESOURCE, "%s: the server sent %ld rows but reported %s", what,
                        ps->rows, PQcmdTuples(res));
    }
    PQclear(res);
    while ((res = PQgetResult(ps->conn)) != NULL)
        PQclear(res);
    if (rc < 0)
        xc_err_at(err, ps->base.where, ps->rows, NULL);
    return rc;
}

/* A date column's text as YYYY-MM-DD, nothing else (not "infinity", not
 * "0044-03-15 BC", not "10000-01-01"). */
static bool plain_date(const char *s, size_t len)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

static int next_row(xc_source *src, xc_raw_row *row, xc_err *err)
{
    pg_source *ps = (pg_source *)src;
    const xc_pg_plan *p = ps->plan;
    if (!ps->conn) {
        int rc = start_copy(ps, err);
        if (rc < 0)
            return rc;
    }
    if (!ps->copying)
        return XC_DONE;
    char *buf = NULL;
    int n = PQgetCopyData(ps->conn, &buf, 0);
    if (n == -1)
        return finish_copy(ps, err);
    if (n < 0) {
        char what[600];
        snprintf(what, sizeof what, "dataset %s (%s): reading failed", p->b->ds->name,
                 src->where);
        ps->copying = false;
        return fail_result(err, XC_ESOURCE, what, ps->conn, NULL);
    }
    if ((size_t)n + 1 > ps->row_cap) {
        char *r = realloc(ps->row, (size_t)n + 1);
        if (!r) {
            PQfreemem(buf);
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        }
        ps->row = r;
        ps->row_cap = (size_t)n + 1;
    }
    memcpy(ps->row, buf, (size_t)n);
    PQfreemem(buf);
    if (n > 0 && ps->row[n - 1] == '\n')
        n--;
    ps->row[n] = '\0';
    ps->rows++;
    src->rows++;
    src->physical_rows++;          /* what the server sent: each is a row */
    src->bytes_in += (uint64_t)n;
    memset(row->f, 0, sizeof row->f);
    row->line = ps->rows;
    row->format = p->format;
    row->problem = NULL;
    row->problem_field = -1;
    char *s = ps->row, *end = ps->row + n;
    for (int c = 0; c < p->n_cols; c++) {
        char *tab = memchr(s, '\t', (size_t)(end - s));
        char *stop = tab ? tab : end;
        if ((tab == NULL) != (c == p->n_cols - 1)) {
            snprintf(ps->problem, sizeof ps->problem, "%s", _("the server sent a row with "
                     "the wrong number of columns"));
            row->problem = ps->problem;
            return XC_OK;
        }
        long len = xc_pg_copy_unescape(s, (size_t)(stop - s));
        int f = p->col_field[c];
        row->f[f].p = s;
        row->f[f].len = len < 0 ? 0 : (size_t)len;     /* NULL: empty */
        if (len > 0 && p->format[f] == &p->pg->iso && !row->problem &&
            !plain_date(s, (size_t)len)) {
            snprintf(ps->problem, sizeof ps->problem, _("the server's date \"%.*s\" is no "
                     "calendar day of the Common Era up to 9999 (infinity, BC or too late)"),
                     (int)(len < 40 ? len : 40), s);
            row->problem = ps->problem;
            row->problem_field = f;
        }
        s = stop + 1;
    }
    return XC_OK;
}

static int pg_next(xc_source *src, xc_raw_row *row, xc_err *err)
{
    int rc = next_row(src, row, err);
    if (rc < 0)
        explain(((pg_source *)src)->plan, err);
    return rc;
}

static void pg_close(xc_source *src)
{
    pg_source *ps = (pg_source *)src;
    if (!ps)
        return;
    if (ps->conn) {
        if (ps->copying) {      /* stop the server's COPY before leaving */
            PGcancel *cancel = PQgetCancel(ps->conn);
            char buf[256];
            if (cancel) {
                PQcancel(cancel, buf, sizeof buf);
                PQfreeCancel(cancel);
            }
        }
        PQfinish(ps->conn);
    }
    free(ps->row);
    free(ps);
}

/* What a part of a tree read member by member is called in messages: the
 * table, the part and the members it reads ("t.sb (part 2 of 3: t.sb_2025
 * pages 40-79, t.sb_2026)"), cut with "..." to fit in size bytes. */
static void tree_part_where(const xc_pg_plan *p, int part, char *out, size_t size)
{
    xc_buf b = {0};
    xc_buf_printf(&b, "%s (part %d of %d:", p->table_label, part + 1, p->parts);
    int n = 0;
    for (int i = 0; i < p->n_pieces; i++) {
        const piece *c = &p->pieces[i];
        if (c->part != part)
            continue;
        xc_buf_printf(&b, "%s %s", n++ ? "," : "", p->members[c->member].label);
        if (c->ranged && c->to >= 0)
            xc_buf_printf(&b, " pages %ld-%ld", c->from, c->to - 1);
        else if (c->ranged)
            xc_buf_printf(&b, " pages %ld-", c->from);
    }
    xc_buf_printf(&b, ")");
    char *s = xc_buf_take(&b);
    const char *text = s ? s : p->table_label;
    size_t len = strlen(text);
    if (len < size)
        memcpy(out, text, len + 1);
    else if (size > 4) {
        size_t keep = size - 4;
        while (keep > 0 && ((unsigned char)text[keep] & 0xC0) == 0x80)
            keep--;             /* never half a UTF-8 character */
        memcpy(out, text, keep);
        memcpy(out + keep, "...", 4);
    }
    free(s);
}

static int pg_open(const xc_binding *b, const xc_source_ctx *ctx, xc_source **ret, xc_err *err)
{
    const xc_pg_plan *p = (const xc_pg_plan *)ctx->plan;
    if (!p)
        return xc_err_set(err, XC_EINTERNAL, "dataset %s: a postgres source needs a plan",
                          b->ds->name);
    if (p->n_subs) {        /* a part of one of several sources: its own plan's */
        int i = pg_part_source(&p->base, ctx->part);
        const xc_pg_plan *sub = p->subs[i];
        xc_source_ctx sub_ctx = {.part = ctx->part - p->sub_first[i], .parts = sub->parts,
                                 .plan = &sub->base};
        return pg_open(b, &sub_ctx, ret, err);
    }
    pg_source *ps = calloc(1, sizeof *ps);
    if (!ps)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    ps->base.ops = &xc_postgres_source_ops;
    ps->base.binding = b;
    ps->plan = p;
    ps->part = ctx->part;
    if (p->pushdown && p->parts == 1)
        snprintf(ps->base.where, sizeof ps->base.where, "%s (push-down)", p->table_label);
    else if (p->parts > 1 && p->tree && p->direct)
        tree_part_where(p, ctx->part, ps->base.where, sizeof ps->base.where);
    else if (p->parts > 1)
        snprintf(ps->base.where, sizeof ps->base.where, "%s (part %d of %d)", p->table_label,
                 ctx->part + 1, p->parts);
    else
        snprintf(ps->base.where, sizeof ps->base.where, "%s", p->table_label);
    /* The size of a part, so the biggest are read first. */
    ps->base.bytes_total = (uint64_t)(p->pages > 0 ? p->pages : 1) * 8192 /
                           (uint64_t)(p->parts > 0 ? p->parts : 1);
    if (p->tree && p->direct) {
        uint64_t pages = 0;
        for (int i = 0; i < p->n_pieces; i++)
            if (p->pieces[i].part == ctx->part)
                pages += (uint64_t)p->pieces[i].weight;
        ps->base.bytes_total = pages * 8192;
    }
    *ret = &ps->base;
    return XC_OK;
}

/* ---- configuration ------------------------------------------------------ */

static const char *const pg_keys[] = {"table", "query", "database", "pushdown", NULL};

/* Several sources of one dataset: source.<name>.table, .query, .database. */
static const char *const pg_key_prefixes[] = {"source.", NULL};

static int set_text(char **slot, const char *ds, const char *key, const char *value,
                    xc_err *err)
{
    if (!*value) {
        xc_err_set(err, XC_ECONFIG, "[%s] %s: empty value", ds, key);
        xc_err_hint(err, "give a value, or leave the key out");
        return XC_ECONFIG;
    }
    if (!(*slot = dup_str(value)))
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    return XC_OK;
}

/* The source named by name (len bytes) in c, added when new. */
static xc_pg_source_conf *source_named(xc_pg_conf *c, const char *name, size_t len,
                                       const char *ds, const char *key, xc_err *err)
{
    for (int i = 0; i < c->n_sources; i++)
        if (strlen(c->sources[i].name) == len && memcmp(c->sources[i].name, name, len) == 0)
            return &c->sources[i];
    if (c->n_sources == XC_PG_MAX_SOURCES) {
        xc_err_set(err, XC_ECONFIG, "[%s] %s: more than %d sources", ds, key,
                   XC_PG_MAX_SOURCES);
        return NULL;
    }
    xc_pg_source_conf *v = realloc(c->sources, (size_t)(c->n_sources + 1) * sizeof *v);
    if (!v) {
        xc_err_set(err, XC_ENOMEM, "out of memory");
        return NULL;
    }
    c->sources = v;
    xc_pg_source_conf *src = &v[c->n_sources];
    *src = (xc_pg_source_conf){.name = malloc(len + 1)};
    if (!src->name) {
        xc_err_set(err, XC_ENOMEM, "out of memory");
        return NULL;
    }
    memcpy(src->name, name, len);
    src->name[len] = '\0';
    c->n_sources++;
    return src;
}

/* source.<name>.<key>: one source of several. */
static int source_key(xc_pg_conf *c, const char *ds, const char *key, const char *value,
                      xc_err *err)
{
    const char *name = key + strlen("source.");
    const char *dot = strchr(name, '.');
    size_t len = dot ? (size_t)(dot - name) : strlen(name);
    bool named = len > 0 && len <= 63;
    for (size_t i = 0; named && i < len; i++)
        named = (name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
                (name[i] >= '0' && name[i] <= '9') || name[i] == '_' || name[i] == '-';
    const char *sub = dot ? dot + 1 : "";
    if (!named || (strcmp(sub, "table") && strcmp(sub, "query") && strcmp(sub, "database"))) {
        xc_err_set(err, XC_ECONFIG, "[%s] %s: not a source key (source.<name>.table, "
                   "source.<name>.query or source.<name>.database)", ds, key);
        xc_err_hint(err, "name a source with letters, digits, '_' or '-' (up to 63), e.g. "
                    "source.shard1.database = host=db1 dbname=province");
        return XC_ECONFIG;
    }
    xc_pg_source_conf *src = source_named(c, name, len, ds, key, err);
    if (!src)
        return err && err->code ? err->code : XC_ENOMEM;
    char **slot = strcmp(sub, "table") == 0 ? &src->table
                : strcmp(sub, "query") == 0 ? &src->query : &src->database;
    return set_text(slot, ds, key, value, err);
}

static int pg_conf_key(xc_binding *b, const char *key, const char *value, const char *basedir,
                       xc_err *err)
{
    (void)basedir;
    const char *ds = b->ds->name;
    xc_pg_conf *c = b->source_conf;
    if (!c && !(c = b->source_conf = calloc(1, sizeof *c)))
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    if (strcmp(key, "pushdown") == 0) {
        if (strcmp(value, "auto") == 0)
            c->pushdown = XC_PUSHDOWN_AUTO;
        else if (strcmp(value, "on") == 0)
            c->pushdown = XC_PUSHDOWN_ON;
        else if (strcmp(value, "off") == 0)
            c->pushdown = XC_PUSHDOWN_OFF;
        else
            return xc_err_set(err, XC_ECONFIG, "[%s] pushdown: '%s' is not auto, on or off", ds,
                              value);
        return XC_OK;
    }
    if (strncmp(key, "source.", 7) == 0)
        return source_key(c, ds, key, value, err);
    char **slot = strcmp(key, "table") == 0 ? &c->table : strcmp(key, "query") == 0 ? &c->query
                : &c->database;
    return set_text(slot, ds, key, value, err);
}

/* The sources of a section of several: each reads one table or query, its
 * own or the section's, and no two read the same from the same database. */
static int check_sources(const xc_binding *b, const xc_pg_conf *c, xc_err *err)
{
    char key[128];
    if (c->table && c->query) {
        xc_err_set(err, XC_ECONFIG, "[%s]: give 'table' or 'query', not both", b->ds->name);
        xc_err_at(err, NULL, 0, "query");
        return XC_ECONFIG;
    }
    for (int i = 0; i < c->n_sources; i++) {
        const xc_pg_source_conf *s = &c->sources[i];
        if (s->table && s->query) {
            snprintf(key, sizeof key, "source.%s.query", s->name);
            xc_err_set(err, XC_ECONFIG, "[%s] source %s: give 'table' or 'query', not both",
                       b->ds->name, s->name);
            xc_err_at(err, NULL, 0, key);
            return XC_ECONFIG;
        }
        if (!s->table && !s->query && !c->table && !c->query) {
            snprintf(key, sizeof key, "source.%s.table", s->name);
            xc_err_set(err, XC_ECONFIG, "[%s] source %s: needs a table or a query "
                       "(source.%s.table, or the section's table)", b->ds->name, s->name,
                       s->name);
            xc_err_at(err, NULL, 0, key);
            return XC_ECONFIG;
        }
    }
    for (int i = 0; i < c->n_sources; i++)
        for (int j = 0; j < i; j++) {
            const xc_pg_source_conf *s = &c->sources[i], *t = &c->sources[j];
            const char *sd = s->database ? s->database : c->database ? c->database : "";
            const char *td = t->database ? t->database : c->database ? c->database : "";
            const char *sr = s->table ? s->table : s->query ? s->query
                           : c->table ? c->table : c->query;
            const char *tr = t->table ? t->table : t->query ? t->query
                           : c->table ? c->table : c->query;
            if (strcmp(sd, td) == 0 && strcmp(sr, tr) == 0) {
                snprintf(key, sizeof key, "source.%s", s->name);
                xc_err_set(err, XC_ECONFIG, "[%s] sources %s and %s read the same from the "
                           "same database: its rows would be counted twice", b->ds->name,
                           t->name, s->name);
                xc_err_hint(err, "give each source its own database or table");
                xc_err_at(err, NULL, 0, key);
                return XC_ECONFIG;
            }
        }
    return XC_OK;
}

static int pg_conf_check(const xc_binding *b, xc_err *err)
{
    const xc_pg_conf *c = b->source_conf;
    if (c && c->n_sources)
        return check_sources(b, c, err);
    if (c && !c->table != !c->query)
        return XC_OK;
    xc_err_set(err, XC_ECONFIG, "[%s]: a postgres source needs either 'table' or 'query'",
               b->ds->name);
    xc_err_at(err, NULL, 0, "table");
    return XC_ECONFIG;
}

static void pg_conf_free(void *conf)
{
    xc_pg_conf *c = conf;
    if (c) {
        free(c->table);
        free(c->query);
        free(c->database);
        for (int i = 0; i < c->n_sources; i++) {
            free(c->sources[i].name);
            free(c->sources[i].table);
            free(c->sources[i].query);
            free(c->sources[i].database);
        }
        free(c->sources);
    }
    free(c);
}

const xc_pg_conf *xc_pg_conf_of(const xc_binding *b)
{
    return b->source == &xc_postgres_source_ops ? b->source_conf : NULL;
}

const xc_source_ops xc_postgres_source_ops = {
    .abi = XC_SOURCE_ABI,
    .kind = "postgres",
    .open = pg_open,
    .next = pg_next,
    .close = pg_close,
    .keys = pg_keys,
    .key_prefixes = pg_key_prefixes,
    .conf_key = pg_conf_key,
    .conf_check = pg_conf_check,
    .conf_free = pg_conf_free,
    .shared_new = pg_shared_new,
    .shared_free = pg_shared_free,
    .shared_label = pg_shared_label,
    .prepare = pg_prepare,
    .plan = pg_plan,
    .plan_free = pg_plan_free,
    .record = pg_record,
    .n_sources = pg_n_sources,
    .source_label = pg_source_label,
    .part_source = pg_part_source,
};
