/*
 * pgconn.h - connecting to PostgreSQL the way every xcheck connection does,
 * without ever letting a password into a message.
 *
 * PQconnectdbParams with expand_dbname: a conninfo string, a postgresql://
 * URI or a database name, and whatever it leaves unset from libpq's
 * defaults (PG* variables, ~/.pgpass, pg_service.conf);
 * fallback_application_name "xcheck"; server notices are not printed. A
 * malformed string is reported without its quoted fragments, which may be
 * part of a password.
 */
#ifndef XCHECK_PGCONN_H
#define XCHECK_PGCONN_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

#include "xcheck/error.h"

/* Connects to conninfo ("" or NULL: libpq's defaults). `what` names the
 * database in messages ("the results database"), `hint` tells what to
 * check. Returns the connection, or NULL with err set: XC_ECONFIG for a
 * malformed string, fail_code when the server could not be reached (detail
 * "SQLSTATE 08001..."), XC_ENOMEM. *ret_secret (NULL allowed) receives the
 * password the string gave, malloc'ed, or NULL, for xc_pg_scrub_err(); it is
 * NULL whenever the connection is. */
PGconn *xc_pg_connect(const char *conninfo, const char *what, const char *hint, int fail_code,
                      char **ret_secret, xc_err *err);

/* Fills err's detail from a failed result r (NULL: none): "SQLSTATE code:
 * the server's detail", with 08006 when the connection was lost without a
 * code; and err's hint with the server's hint, if any. Call after
 * xc_err_set(). Returns the SQLSTATE, or NULL when there is none. */
const char *xc_pg_err_fields(xc_err *err, const PGresult *r, const PGconn *conn);

/* The statement every xcheck session runs first, into buf: no
 * idle_in_transaction_session_timeout (nor transaction_timeout, where the
 * server has it), whatever the role or database sets, since the session
 * holding a run's snapshot sits idle in its transaction while the others
 * read; and lock_timeout = lock_timeout_ms (0: wait for ever), so that a
 * lock held by another session fails the run instead of stopping it.
 * statement_timeout is left as it is: a long read is no wait. One SELECT,
 * which needs no privilege. */
void xc_pg_waits_sql(long lock_timeout_ms, char *buf, size_t bufsz);

/* The SQLSTATE xc_pg_err_fields() put into err's detail, copied into
 * state; NULL when there is none. */
const char *xc_pg_err_state(const xc_err *err, char state[6]);

/* Makes err (filled by xc_pg_err_fields()) say what ended a wait or a
 * session, for the SQLSTATEs that need it; leaves other errors alone:
 *   55P03  a lock wait ran out: the message becomes "<who>: waited N s for
 *          a lock on <relation> and gave up (lock_timeout)", the server's
 *          words go to the detail, and the hint tells where to look
 *   22023  "invalid snapshot identifier": the session that exported the
 *          snapshot has ended
 *   25P03, 25P04, 57P01, 57P02, 57014 (statement timeout): which timeout
 *          or what ended the session
 * relation (NULL: "the table") names what was locked, lock_timeout_ms the
 * limit in force. A hint err already has is kept, but for 55P03. */
void xc_pg_explain(xc_err *err, const char *state, const char *who, const char *relation,
                   long lock_timeout_ms);

/* A time limit for messages: "2 s", "1.5 s", "2 min". */
void xc_pg_wait_text(long ms, char *buf, size_t bufsz);

/* Replaces secret (NULL or "" does nothing) by ******** in every text of
 * err. */
void xc_pg_scrub_err(xc_err *err, const char *secret);

/* True when conninfo (a string or URI) carries a password: given on a
 * command line, it is visible to every user of the machine in ps. */
bool xc_pg_conninfo_has_password(const char *conninfo);

/* Copies libpq's multi-line message m into out as one line: a line
 * indented with a tab continues the one before (joined with a blank), other
 * lines are joined with "; ". With first_only, stops at the first line
 * break. Returns where it stopped in m. */
const char *xc_pg_one_line(const char *m, char *out, size_t outsz, bool first_only);

#endif
