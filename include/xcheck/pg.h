/*
 * pg.h - the PostgreSQL side of a run: one snapshot, plans, and the
 * `postgres` connector's parts.
 *
 * Every source a run reads from one database sees the same snapshot: the
 * first connection (the leader) opens a REPEATABLE READ, READ ONLY
 * transaction and exports its snapshot, and every connection that reads a
 * part adopts it (SET TRANSACTION SNAPSHOT), as pg_dump -j does. The leader
 * stays open until xc_pg_free().
 *
 * A dataset is first checked (xc_pg_prepare: the table or query and every
 * mapped column exist and can be read), before any data is read; once the
 * archive is known it is planned (xc_pg_decide): a full scan split into ctid
 * page ranges over several connections, or, when the archive's ID set is
 * small against an indexed table, a scan filtered on the server by that set
 * ("push-down"). The set is sent as COPY data into a temporary table of the
 * reading session, never in statement text, so that no ID number of the
 * archive reaches the server's statement log or pg_stat_activity; where
 * the server refuses temporary tables the table is read whole instead, and
 * the run record says why. A push-down into a table
 * with an index on its ID column reads it through that index alone (a
 * bitmap scan, no parallel workers): the rows come in the table's physical
 * order, the same on every run.
 *
 * Connections use PQconnectdbParams with expand_dbname, so a conninfo
 * string or a postgresql:// URI works and anything it leaves unset comes
 * from libpq's defaults (PGHOST, PGPORT, PGUSER, PGDATABASE, PGSERVICE,
 * PGSSLMODE, ~/.pgpass, pg_service.conf); fallback_application_name is
 * "xcheck". No message ever contains a password.
 */
#ifndef XCHECK_PG_H
#define XCHECK_PG_H

#include <stddef.h>
#include <stdint.h>

#include "xcheck/config.h"
#include "xcheck/error.h"

typedef struct xc_pg xc_pg;
typedef struct xc_pg_plan xc_pg_plan;

/* Creates the run's PostgreSQL state (no connection yet); every session it
 * opens waits at most lock_timeout_ms for a lock (0: for ever) and has no
 * idle-in-transaction timeout (pgconn.h, xc_pg_waits_sql()). A lock wait
 * that runs out fails naming the dataset's table. Caller frees with
 * xc_pg_free(), which ends the leaders' transactions. */
int xc_pg_new(xc_pg **ret, long lock_timeout_ms);
void xc_pg_free(xc_pg *pg);

/* Checks dataset b (kind postgres) in the database `conninfo` ("" for
 * libpq's defaults), connecting the leader for it and exporting the
 * snapshot the first time. Returns XC_OK and a plan owned by pg, or a
 * negative code with err naming the dataset, the server's message and
 * SQLSTATE. */
int xc_pg_prepare(xc_pg *pg, const xc_binding *b, const char *conninfo, xc_pg_plan **ret,
                  xc_err *err);

struct xc_pseudomap;

/* Decides how to read a prepared dataset: keys are the archive's packed ID
 * numbers (sorted, distinct; none for the archive's own datasets), pseudo
 * their pseudonyms for a dataset whose ID column holds pseudonyms (NULL:
 * numbers), mode the push-down setting in force, jobs the connections a
 * full scan may use. Returns the number of parts to open (>= 1), or a
 * negative code. */
int xc_pg_decide(xc_pg_plan *plan, const uint64_t *keys, size_t n_keys,
                 const struct xc_pseudomap *pseudo, xc_pushdown mode, int jobs, xc_err *err);

/* The table (or "query") a plan reads, for messages. */
const char *xc_pg_label(const xc_pg_plan *plan);

/* The decision, for the run's record: "full_scan" or "pushdown", and why. */
const char *xc_pg_strategy(const xc_pg_plan *plan);
const char *xc_pg_strategy_reason(const xc_pg_plan *plan);

/* The snapshot of the first database used, "" if none. */
const char *xc_pg_snapshot(const xc_pg *pg);

/* The ID texts a push-down filter asks for, for one packed number: the
 * 18-character form, with a lower-case x when it ends in X, and the
 * 15-digit form a number born in the 1900s may still be exported in. Writes
 * up to 3 NUL-terminated texts of at most 18 characters; returns how many. */
int xc_pg_id_variants(uint64_t key, char out[3][19]);

/* Decodes one field of COPY's text format in place (\N is NULL: returns
 * -1; backslash escapes \b \f \n \r \t \v \\ \ooo \xhh). Returns the new
 * length, or -1 for NULL. */
long xc_pg_copy_unescape(char *s, size_t len);

#endif
