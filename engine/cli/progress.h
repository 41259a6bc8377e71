/*
 * progress.h - what a run shows on stderr while it works.
 *
 * On a terminal, one status line rewritten in place during the scan:
 * the datasets being read, rows so far, rows per second, the share of the
 * sources' bytes read and the time left. Elsewhere (a log, a pipe), one
 * line per stage and per dataset read, nothing rewritten.
 *
 * A source that has sent no row for XC_PROGRESS_STALL_SECONDS or more (a
 * lock, a slow query, a server that stopped answering) is named: on the
 * status line ("hukou: 12 秒未收到数据 no rows for 12 s (waiting on the
 * server?)"), and in a log as a line of its own at 10 s, 30 s, 60 s, then
 * every minute it goes on. The functions
 * are the callbacks of xc_run_opts (run.h), with the display as their
 * user pointer; they may be called from several threads.
 */
#ifndef XCHECK_PROGRESS_H
#define XCHECK_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

#include "xcheck/run.h"

typedef struct xc_progress xc_progress;

#define XC_PROGRESS_STALL_SECONDS 10    /* a source silent this long is named */

/* A display on out: live (a terminal) or one line per event, into *ret.
 * Returns XC_OK or XC_ENOMEM (*ret untouched). */
int xc_progress_new(FILE *out, bool live, xc_progress **ret);

/* Clears a live status line and frees p (NULL does nothing). */
void xc_progress_free(xc_progress *p);

/* xc_run_stage, xc_run_progress and xc_run_tick. */
void xc_progress_stage(void *p, const char *stage);
void xc_progress_dataset(void *p, const xc_dataset_def *ds, const xc_dataset_result *r);
void xc_progress_tick(void *p, const xc_scan_status *s);

/* The status line for s, without control characters (what a live display
 * shows). */
void xc_progress_line(const xc_scan_status *s, char *buf, size_t bufsz);

#endif
