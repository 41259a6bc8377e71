/*
 * fake_source.h - a connector for tests: rows from arrays in memory.
 *
 * Kind `fake`, registered with xc_fake_source_register(). A dataset section
 * names a table added with xc_fake_source_add() and may ask for faults:
 *
 *   [hukou]
 *   kind  = fake
 *   rows  = hukou          ; the table (xc_fake_table.name)
 *   parts = 3              ; planned in 3 parts (default 1), rows split
 *                          ; into consecutive ranges
 *   fail  = open           ; open fails (every part), or
 *   fail  = row 4          ; next fails after 4 rows of a part, naming the
 *                          ; dataset and the part
 *   extra_rows = 2         ; the source claims 2 physical rows more than it
 *                          ; handed out
 *
 * Fields are matched to columns by name (field.<f> = <column>); a mapped
 * column the table lacks fails the check before any row is read, as a file's
 * header does. Not thread-safe to set up: add tables before the run.
 */
#ifndef XCHECK_FAKE_SOURCE_H
#define XCHECK_FAKE_SOURCE_H

#include <stddef.h>

/* A table the fake connector serves; everything borrowed until
 * xc_fake_source_reset(). */
typedef struct xc_fake_table {
    const char *name;                 /* what rows = names */
    const char *const *columns;       /* column names, NULL-terminated */
    const char *const *const *rows;   /* n_rows rows, each a cell per column
                                         (NULL: an empty cell) */
    size_t n_rows;
} xc_fake_table;

/* How the connector was used, for the tests to look at. */
typedef struct xc_fake_stats {
    int shared_made;       /* shared states made, in all */
    int shared_live;       /* made and not yet freed */
    int plans;             /* datasets planned */
    int opened;            /* parts opened */
} xc_fake_stats;

/* Registers the connector (once; later calls return XC_EXISTS). */
int xc_fake_source_register(void);

/* Adds a table (borrowed). Returns XC_OK, XC_EXISTS for a name given
 * before, XC_ENOMEM. */
int xc_fake_source_add(const xc_fake_table *t);

/* Forgets every table and zeroes the stats. */
void xc_fake_source_reset(void);

/* The stats since the last reset. */
xc_fake_stats xc_fake_source_stats(void);

#endif
