/* pgconn.c - password-safe connections to PostgreSQL, shared by the
 * postgres connector and the results database. */
#include "pgconn.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xcheck/i18n.h"

static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;     /* library code never prints */
}

/* Replaces every occurrence of secret in s (a char array of cap bytes). */
static void scrub(char *s, size_t cap, const char *secret)
{
    static const char mask[] = "********";
    const size_t m = sizeof mask - 1;
    size_t n = secret ? strlen(secret) : 0;
    if (n == 0)
        return;
    char *from = s, *p;
    while ((p = strstr(from, secret)) != NULL) {
        size_t pos = (size_t)(p - s);
        size_t tail = strlen(p + n);
        if (pos + m >= cap) {
            *p = '\0';
            return;
        }
        if (pos + m + tail >= cap)
            tail = cap - 1 - pos - m;
        memmove(p + m, p + n, tail);
        p[m + tail] = '\0';
        memcpy(p, mask, m);
        from = p + m;
    }
}


void xc_pg_scrub_err(xc_err *err, const char *secret)
{
    if (!err || !secret || !secret[0])
        return;
    scrub(err->msg, sizeof err->msg, secret);
    scrub(err->detail, sizeof err->detail, secret);
    scrub(err->hint, sizeof err->hint, secret);
    scrub(err->where, sizeof err->where, secret);
    scrub(err->field, sizeof err->field, secret);
}

/* Copies libpq's multi-line message into out as one line: a line indented
 * with a tab continues the one before (joined with a blank), other lines
 * are joined with "; ". With first_only, stops at the first line break.
 * Returns where it stopped in m (the start of the next line, or the end). */
const char *xc_pg_one_line(const char *m, char *out, size_t outsz, bool first_only)
{
    size_t o = 0;
    const char *s = m;
    for (; *s; s++) {
        if (*s == '\n') {
            while (o > 0 && out[o - 1] == ' ')
                o--;
            if (first_only || s[1] == '\0') {
                s++;
                break;
            }
            const char *sep = s[1] == '\t' ? " " : "; ";
            for (; *sep && o + 1 < outsz; sep++)
                out[o++] = *sep;
            continue;
        }
        if (*s == '\t' || (*s == ' ' && (o == 0 || out[o - 1] == ' ')))
            continue;
        if (o + 1 < outsz)
            out[o++] = *s;
    }
    out[o] = '\0';
    return s;
}

/* libpq's connection string message, with every quoted fragment that is
 * not a connection keyword or "=" taken out: a malformed string may have
 * been cut inside its password. */
static void safe_parse_message(const char *m, char *out, size_t outsz)
{
    char line[512];
    xc_pg_one_line(m, line, sizeof line, false);
    PQconninfoOption *defs = PQconndefaults();
    size_t o = 0;
    for (const char *s = line; *s && o + 1 < outsz;) {
        const char *close = *s == '"' ? strchr(s + 1, '"') : NULL;
        if (!close) {
            out[o++] = *s++;
            continue;
        }
        size_t len = (size_t)(close - s - 1);
        bool keep = len == 1 && s[1] == '=';
        for (PQconninfoOption *d = defs; !keep && d && d->keyword; d++)
            keep = strlen(d->keyword) == len && strncmp(d->keyword, s + 1, len) == 0;
        const char *text = keep ? s : "\"...\"";
        size_t tlen = keep ? len + 2 : 5;
        for (size_t i = 0; i < tlen && o + 1 < outsz; i++)
            out[o++] = text[i];
        s = close + 1;
    }
    out[o] = '\0';
    PQconninfoFree(defs);
}

static bool looks_like_conninfo(const char *s)
{
    return strncmp(s, "postgresql://", 13) == 0 || strncmp(s, "postgres://", 11) == 0 ||
           strchr(s, '=') != NULL;
}

bool xc_pg_conninfo_has_password(const char *conninfo)
{
    if (!conninfo || !looks_like_conninfo(conninfo))
        return false;
    char *errmsg = NULL;
    PQconninfoOption *opts = PQconninfoParse(conninfo, &errmsg);
    PQfreemem(errmsg);
    bool has = false;
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val && o->val[0])
            has = true;
    PQconninfoFree(opts);
    return has;
}

/* In verbose mode a server's refusal carries its SQLSTATE ("FATAL: 28P01:
 * password authentication failed..."): takes it out of msg into state. */
static void take_sqlstate(char *msg, char state[6])
{
    static const char *const levels[] = {"FATAL: ", "ERROR: "};
    for (int l = 0; l < 2; l++) {
        char *c = strstr(msg, levels[l]);
        if (!c)
            continue;
        c += strlen(levels[l]);
        if (strlen(c) >= 7 && c[5] == ':' && c[6] == ' ' &&
            strspn(c, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") >= 5 &&
            strpbrk((char[6]){c[0], c[1], c[2], c[3], c[4], 0}, "0123456789")) {
            memcpy(state, c, 5);
            state[5] = '\0';
            memmove(c, c + 7, strlen(c + 7) + 1);
            return;
        }
    }
}

/* The seconds connect_timeout (or PGCONNECT_TIMEOUT) allows, 0: no limit. */
static int connect_timeout(const char *conninfo)
{
    int t = 0;
    const char *env = getenv("PGCONNECT_TIMEOUT");
    if (env)
        t = atoi(env);
    PQconninfoOption *opts = conninfo[0] ? PQconninfoParse(conninfo, NULL) : NULL;
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "connect_timeout") == 0 && o->val)
            t = atoi(o->val);
    PQconninfoFree(opts);
    return t > 0 && t < 2 ? 2 : t;      /* libpq's own minimum */
}

/* PQconnectdbParams, but asynchronous so that errors are verbose (with the
 * server's SQLSTATE) from the start; honours connect_timeout. */
static PGconn *connect_verbose(const char *conninfo)
{
    const char *const keywords[] = {"dbname", "fallback_application_name", NULL};
    const char *const values[] = {conninfo, "xcheck", NULL};
    PGconn *conn = PQconnectStartParams(keywords, values, 1);
    if (!conn || PQstatus(conn) == CONNECTION_BAD)
        return conn;
    PQsetErrorVerbosity(conn, PQERRORS_VERBOSE);
    int timeout = connect_timeout(conninfo);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    PostgresPollingStatusType st = PGRES_POLLING_WRITING;
    while (st != PGRES_POLLING_OK && st != PGRES_POLLING_FAILED) {
        struct pollfd pfd = {.fd = PQsocket(conn),
                             .events = st == PGRES_POLLING_READING ? POLLIN : POLLOUT};
        int wait_ms = -1;
        if (timeout > 0) {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            long spent = (now.tv_sec - start.tv_sec) * 1000 +
                         (now.tv_nsec - start.tv_nsec) / 1000000;
            wait_ms = (int)(timeout * 1000L - spent);
            if (wait_ms <= 0)
                break;
        }
        if (pfd.fd >= 0 && poll(&pfd, 1, wait_ms) == 0 && timeout > 0)
            break;                      /* timed out */
        st = PQconnectPoll(conn);
    }
    if (st != PGRES_POLLING_OK && PQstatus(conn) != CONNECTION_BAD) {
        /* Out of time: a fresh blocking attempt reports it as libpq does. */
        PQfinish(conn);
        conn = PQconnectdbParams(keywords, values, 1);
    }
    if (conn && PQstatus(conn) == CONNECTION_OK)
        PQsetErrorVerbosity(conn, PQERRORS_DEFAULT);
    return conn;
}

PGconn *xc_pg_connect(const char *conninfo, const char *what, const char *hint, int fail_code,
                      char **ret_secret, xc_err *err)
{
    const char *ci = conninfo ? conninfo : "";
    if (ret_secret)
        *ret_secret = NULL;
    if (looks_like_conninfo(ci)) {
        /* Parse first: libpq's own message for a malformed string may quote
         * a piece of it, and we need the password to keep it out of ours. */
        char *why = NULL;
        PQconninfoOption *opts = PQconninfoParse(ci, &why);
        if (!opts) {
            if (!why) {
                xc_err_set(err, XC_ENOMEM, "out of memory");
                return NULL;
            }
            char safe[400];
            safe_parse_message(why, safe, sizeof safe);
            PQfreemem(why);
            xc_err_set(err, XC_ECONFIG, "invalid connection string for %s", what);
            xc_err_detail(err, "%s", safe);
            xc_err_hint(err, "give key=value pairs (a value with blanks in single quotes), "
                             "a postgresql:// URI or a database name; the faulty part is "
                             "not shown, as it may be part of a password");
            return NULL;
        }
        /* Without its copy the password could not be kept out of later
         * messages: no copy, no connection. */
        bool copied = true;
        for (PQconninfoOption *o = opts; o->keyword; o++)
            if (ret_secret && strcmp(o->keyword, "password") == 0 && o->val && o->val[0])
                copied = (*ret_secret = strdup(o->val)) != NULL;
        PQconninfoFree(opts);
        if (!copied) {
            xc_err_set(err, XC_ENOMEM, "out of memory");
            return NULL;
        }
    }
    PGconn *conn = connect_verbose(ci);
    if (!conn) {
        xc_err_set(err, XC_ENOMEM, "out of memory");
        return NULL;
    }
    PQsetNoticeProcessor(conn, ignore_notice, NULL);
    if (PQstatus(conn) != CONNECTION_OK) {
        char first[400], rest[512], state[6] = "08001";
        const char *m = PQerrorMessage(conn);
        const char *next = xc_pg_one_line(m, first, sizeof first, true);
        xc_pg_one_line(next, rest, sizeof rest, false);
        take_sqlstate(first, state);
        if (strcmp(state, "08001") == 0)
            take_sqlstate(rest, state);
        char *loc = strstr(rest, "LOCATION: ");     /* verbose mode's source line */
        if (loc) {
            while (loc > rest && (loc[-1] == ' ' || loc[-1] == ';'))
                loc--;
            *loc = '\0';
        }
        xc_err_set(err, fail_code, "cannot connect to %s: %s", what,
                   first[0] ? first : "no reason given");
        /* Without a code from the server, 08001 is the standard's "unable to
         * establish SQL connection". */
        if (rest[0])
            xc_err_detail(err, "SQLSTATE %s: %s", state, rest);
        else
            xc_err_detail(err, "SQLSTATE %s", state);
        if (hint)
            xc_err_hint(err, "%s", hint);
        xc_pg_scrub_err(err, ret_secret ? *ret_secret : NULL);
        xc_pg_scrub_err(err, PQpass(conn));
        PQfinish(conn);
        if (ret_secret) {
            free(*ret_secret);
            *ret_secret = NULL;
        }
        return NULL;
    }
    return conn;
}

const char *xc_pg_err_fields(xc_err *err, const PGresult *r, const PGconn *conn)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *detail = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : NULL;
    const char *hint = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_HINT) : NULL;
    if (!state && conn && PQstatus(conn) == CONNECTION_BAD)
        state = "08006";                  /* connection_failure */
    if (state && detail)
        xc_err_detail(err, "SQLSTATE %s: %s", state, detail);
    else if (state)
        xc_err_detail(err, "SQLSTATE %s", state);
    else if (detail)
        xc_err_detail(err, "%s", detail);
    if (hint)
        xc_err_hint(err, "%s", hint);
    return state;
}

void xc_pg_waits_sql(long lock_timeout_ms, char *buf, size_t bufsz)
{
    /* transaction_timeout (PostgreSQL 17) is set only where it exists:
     * set_config() of an unknown name would fail. */
    snprintf(buf, bufsz, "SELECT pg_catalog.set_config('idle_in_transaction_session_timeout', "
             "'0', false), pg_catalog.set_config('lock_timeout', '%ld', false), "
             "(SELECT pg_catalog.set_config(name, '0', false) FROM pg_catalog.pg_settings "
             "WHERE name = 'transaction_timeout')", lock_timeout_ms > 0 ? lock_timeout_ms : 0);
}

const char *xc_pg_err_state(const xc_err *err, char state[6])
{
    if (!err || strncmp(err->detail, "SQLSTATE ", 9) != 0 || strlen(err->detail) < 14)
        return NULL;
    memcpy(state, err->detail + 9, 5);
    state[5] = '\0';
    return state;
}

void xc_pg_wait_text(long ms, char *buf, size_t bufsz)
{
    if (ms % 60000 == 0 && ms >= 60000)
        snprintf(buf, bufsz, "%ld min", ms / 60000);
    else if (ms % 1000 == 0)
        snprintf(buf, bufsz, "%ld s", ms / 1000);
    else
        snprintf(buf, bufsz, "%.3g s", (double)ms / 1000);
}

void xc_pg_explain(xc_err *err, const char *state, const char *who, const char *relation,
                   long lock_timeout_ms)
{
    if (!err || !state)
        return;
    bool own_hint = err->hint[0] != '\0';
    const char *rel = relation && relation[0] ? relation : _("the table");
    if (strcmp(state, "55P03") == 0) {
        /* The server's message names no relation: say which, and move its
         * words to the detail. */
        char server[400], limit[32];
        const char *colon = NULL;      /* the last ": ": the server's words follow */
        for (const char *c = strstr(err->msg, ": "); c; c = strstr(c + 1, ": "))
            colon = c;
        snprintf(server, sizeof server, "%.399s", colon ? colon + 2 : err->msg);
        xc_pg_wait_text(lock_timeout_ms, limit, sizeof limit);
        if (lock_timeout_ms > 0)
            snprintf(err->msg, sizeof err->msg, _("%s: waited %s for a lock on %s and gave up "
                     "(lock_timeout)"), who, limit, rel);
        else
            snprintf(err->msg, sizeof err->msg, _("%s: could not get a lock on %s"), who, rel);
        snprintf(err->detail, sizeof err->detail, "SQLSTATE 55P03: %s", server);
        /* The server gives no hint here; one of ours (what to check for a
         * missing table) would mislead. */
        xc_err_hint(err, "another session holds or awaits a lock on %s (ALTER TABLE, "
                        "TRUNCATE, VACUUM FULL, LOCK TABLE, an open transaction...): see "
                        "pg_locks, pg_stat_activity and pg_blocking_pids(); or raise "
                        "[run] lock_timeout", rel);
        return;
    }
    if (own_hint)
        return;
    if (strcmp(state, "22023") == 0 && strstr(err->msg, "invalid snapshot identifier"))
        xc_err_hint(err, "the session that exported the run's snapshot has ended: terminated "
                    "(pg_terminate_backend, a restart, a lost connection) or ended by a "
                    "timeout of the role or database; see the server's log");
    else if (strcmp(state, "25P03") == 0 || strcmp(state, "25P04") == 0)
        xc_err_hint(err, "the server ended the session: %s, set for the role or database, "
                    "ran out (xcheck turns it off for its sessions; an older xcheck or a "
                    "pooler may not)", state[4] == '3' ? "idle_in_transaction_session_timeout"
                    : "transaction_timeout");
    else if (strcmp(state, "57P01") == 0 || strcmp(state, "57P02") == 0)
        xc_err_hint(err, "the session was terminated on the server (pg_terminate_backend, a "
                    "shutdown or a crash); see the server's log, then run again");
    else if (strcmp(state, "57014") == 0 && strstr(err->msg, "statement timeout"))
        xc_err_hint(err, "statement_timeout, set for the role or database (or PGOPTIONS), "
                    "cut a read short; xcheck sets none: ALTER ROLE ... SET "
                    "statement_timeout = 0 for the role it reads with");
}
