/*
 * pg.h - the `postgres` connector (postgres.c), inside connectors/ and for
 * its tests: one snapshot, plans, parts, and its settings.
 *
 * Every source a run reads from one database sees the same snapshot: the
 * first connection (the leader) opens a REPEATABLE READ, READ ONLY
 * transaction and exports its snapshot, and every connection that reads a
 * part adopts it (SET TRANSACTION SNAPSHOT), as pg_dump -j does. The
 * leaders are the connector's shared state of the run (source.h): they stay
 * open until it is freed, after the run's sources are closed.
 *
 * A dataset is first checked (prepare: the table or query and every
 * mapped column exist and can be read), before any data is read; once the
 * archive is known it is planned (plan): a full scan split into ctid
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
 * How a table is read is decided from the catalog (pg_class.relkind,
 * pg_inherits, the size of each member). A plain table or a materialized
 * view is split into ctid page ranges. A partitioned table, which has no
 * pages of its own, and the parent of an old-style inheritance tree are
 * read member by member, each relation that holds rows FROM ONLY itself: a
 * plain member in ctid ranges of its own, a foreign partition whole, in one
 * query (a ctid range through postgres_fdw would be one query to its server
 * per range), the members balanced over the parts by their pages. A
 * push-down filters the plain members in one part, through one temporary
 * table, and never a foreign one: the ID set would reach its server as a
 * parameter, so its rows come whole and are matched here. Members the role
 * may not read on their own, or under row-level security, are read through
 * the parent, whole, in one part. A view and a foreign table are read in
 * one part (a foreign table: no push-down). A query is read as it stands.
 * The run record's reason says which of these was done.
 *
 * A dataset may list several sources (source.<name>.table, .query and
 * .database: shards, or one database per city): each is checked and
 * planned on its own, in the snapshot of its own database's leader
 * (push-down decided per source), and its parts follow the previous
 * source's, so that all are read concurrently over the run's jobs. The
 * run record names each source with its server, snapshot and strategy,
 * and counts the snapshots: those of several databases are not one point
 * in time.
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

/* One of several sources of a dataset: source.<name>.table, .query and
 * .database; what it leaves out comes from the section's own keys. */
typedef struct xc_pg_source_conf {
    char *name;            /* [A-Za-z0-9_-], as in the keys */
    char *table;           /* NULL: the section's */
    char *query;           /* NULL: the section's */
    char *database;        /* NULL: the section's, else the run's */
} xc_pg_source_conf;

/* At most this many sources in one dataset section. */
#define XC_PG_MAX_SOURCES 64

/* The keys of a postgres dataset section (b->source_conf). */
typedef struct xc_pg_conf {
    char *table;           /* table name, possibly schema-qualified, or NULL */
    char *query;           /* read-only query, or NULL: exactly one is given,
                              here or by each source */
    char *database;        /* conninfo, NULL: the run's */
    xc_pushdown pushdown;  /* auto unless given; for every source */
    xc_pg_source_conf *sources;  /* in the order of their first lines; none:
                                    the section is one source */
    int n_sources;
} xc_pg_conf;

/* The settings of b, a binding of kind postgres; NULL for another kind.
 * Borrowed from b's configuration. */
const xc_pg_conf *xc_pg_conf_of(const xc_binding *b);

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
