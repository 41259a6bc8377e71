/*
 * rundir.h - a run's output directory (RUNDIR), put in place whole or not
 * at all.
 *
 * `xcheck run` writes its outputs (flags.csv ... rejects/, and visits/
 * with --visits-by-cadre=file) into a fresh
 * private directory beside the one it was given, OUT: ".OUT.XXXXXX" in the
 * same parent, mode 0700, holding the marker file .xcheck-output (0600).
 * Only when every output is written and synced is it put in place: the
 * previous outputs become OUT.prev (an older OUT.prev is removed), by one
 * atomic exchange of the two names where the system has one (renameat2
 * with RENAME_EXCHANGE, Linux 3.15 and glibc 2.28), else by two renames;
 * then the parent directory is synced. So OUT holds the whole outputs of
 * one run: a run that fails, runs out of disk, is killed or interrupted
 * leaves OUT and OUT.prev as they were.
 *
 * Nothing xcheck did not write is moved or removed:
 * - OUT may be missing, an empty directory (replaced), or the outputs of an
 *   earlier run: a directory whose marker lists the files the run wrote,
 *   holding nothing else but diff.csv (--nightly), the samples and
 *   estimates `xcheck sample` and `xcheck verify` write beside a run
 *   (sample.csv, sample.xlsx, sample-strata.csv, verify.csv) and temporary
 *   files of these (".NAME.XXXXXX"). Anything else is refused, naming the
 *   first entry (in byte order) no run wrote.
 * - OUT.prev is removed only when it is such a directory and holds no
 *   sample or estimate: a person may have filled those in. Otherwise the
 *   run is refused before it reads anything, and checked again before the
 *   renames, since the run may have taken hours.
 * - A hidden ".OUT.XXXXXX" directory of the user's, with the marker, that
 *   no running xcheck holds is what a killed run left: the next run into
 *   OUT removes it (its files, its rejects/ and visits/, nothing else). One a
 *   running xcheck holds (a lock on its marker) is left alone: runs into
 *   the same OUT at the same time each put their outputs in place in turn.
 *
 * OUT itself is checked as xc_output_dir() checks a private directory (a
 * real directory, the user's, writable by no one else) and must not be a
 * mount point; its parent is created (0700) when missing and otherwise
 * trusted, but must be writable, since the run's directory is made there.
 *
 * While a run's directory is held, SIGINT, SIGTERM, SIGHUP and SIGPIPE
 * (where the program left them to their default action) remove it before
 * the process ends by the signal as it would have; one that comes during the final
 * renames waits for them to end. SIGKILL cannot be caught: what it leaves
 * is removed by the next run.
 */
#ifndef XCHECK_RUNDIR_H
#define XCHECK_RUNDIR_H

#include <stdbool.h>

struct xc_err;

/* The marker file in every directory a run writes. */
#define XC_RUNDIR_MARKER ".xcheck-output"

typedef struct xc_rundir xc_rundir;

/* Starts the outputs of a run for the directory target (as given: a path,
 * trailing slashes allowed, not "/", "." or ".."): checks target and
 * target.prev as above, removes what killed runs left beside target, and
 * creates the run's private directory. Returns XC_OK with *ret (caller
 * frees with xc_rundir_free()); XC_ECONFIG with err naming the directory
 * (and the first entry no run wrote), a detail and a hint when target or
 * target.prev cannot be replaced, or target is unsafe as xc_output_dir()
 * says; XC_EIO when a directory cannot be examined or created. */
int xc_rundir_begin(const char *target, xc_rundir **ret, struct xc_err *err);

/* The directory to write the run's outputs into (borrowed until
 * xc_rundir_free()). */
const char *xc_rundir_path(const xc_rundir *d);

/* The directory the outputs go to, as given without trailing slashes
 * (borrowed until xc_rundir_free()). */
const char *xc_rundir_target(const xc_rundir *d);

/* Puts the outputs in place: lists them in the marker with run_id, syncs,
 * moves target to target.prev (removing the older one) and the run's
 * directory to target, and syncs the parent. Returns XC_OK; XC_ECONFIG as
 * xc_rundir_begin() when target or target.prev came to hold what no run
 * wrote; XC_EIO (xc_output_write_error()) when writing the marker, a sync
 * or a rename failed. On failure target and target.prev are as they were
 * and the run's directory is removed. Either way d holds no directory
 * afterwards. */
int xc_rundir_commit(xc_rundir *d, const char *run_id, struct xc_err *err);

/* For an error met while writing into d's directory: names the outputs as
 * target holds them ("OUT/flags.csv") instead of inside the hidden
 * directory that is removed, and when err has no detail yet says that
 * target was left as it was. */
void xc_rundir_explain(const xc_rundir *d, struct xc_err *err);

/* Removes the run's directory, unless committed, and frees d. NULL does
 * nothing. */
void xc_rundir_free(xc_rundir *d);

/* For tests: with true, the outputs are put in place by two renames, as on
 * a system without RENAME_EXCHANGE. */
void xc_rundir_test_no_exchange(bool on);

#endif
