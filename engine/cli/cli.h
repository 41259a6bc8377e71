/*
 * cli.h - what the commands of the xcheck program share (cli.c), and the
 * terminal rendering of term.c. Internal to the program: the library and
 * its tests never include it.
 *
 * Only the program prints errors and chooses the exit code: a command
 * returns one of these to main(), which returns it.
 */
#ifndef XCHECK_CLI_H
#define XCHECK_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "xcheck/config.h"
#include "xcheck/error.h"
#include "xcheck/pseudonym.h"

/* The exit codes (README, "Exit codes"):
 *   0  success
 *   1  the run failed (configuration, input or output error)
 *   2  usage error (unknown command or option, malformed argument)
 *   3  success with findings: a rate over its threshold (`xcheck run`), new
 *      flags (`xcheck diff`), an invalid ID number (`xcheck id`), numbers or
 *      records left out (`xcheck pseudonymise`)
 *   4  `xcheck run` finished on partial data (takes precedence over 3) */
enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_FINDINGS = 3, EXIT_PARTIAL = 4 };

/* ---- cli.c -------------------------------------------------------------- */

/* Prints err on stderr: "xcheck: error: <msg>", then DETAIL: lines (the
 * place, the detail) and a HINT: line, with what could be an ID number
 * masked. */
void print_error(const xc_err *err);

/* Prints "xcheck: <message>" on stderr and where the help is: cmd's
 * (xcheck CMD --help), or with cmd NULL the main help. Returns
 * EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Returns NULL when id can name a run in the results database (1 to 127
 * bytes of UTF-8 without control characters), else why not (static
 * text). */
const char *bad_run_id(const char *id);

/* The directory of the shipped profiles: $XCHECK_RULES_DIR, else the one
 * installed beside the program, else the source tree's rules/. Static
 * storage, valid until the next call. */
const char *rules_dir(void);

/* An installed directory: `path` itself when absolute, else `path` from
 * the program's own directory (so that a staged install and a moved
 * prefix work), into buf. False when it does not fit or the program's
 * place is unknown. */
bool installed_path(const char *path, bool absolute, char *buf, size_t size);

/* Warns on stderr when conninfo (given as option opt; NULL allowed) holds a
 * password. */
void warn_password(const char *opt, const char *conninfo);

/* Loads the pseudonym key of path, else of $XCHECK_KEY_FILE, into *ret
 * (caller frees with xc_key_free()); *ret is NULL when neither names a
 * file. Returns XC_OK or a negative code with err. */
int load_key(const char *path, xc_key **ret, xc_err *err);

/* The lock_timeout (ms) of results sessions: cfg's, or the default when
 * cfg is NULL. */
long lock_timeout(const xc_config *cfg);

/* Points *results, when NULL, at [run] results of config_path (loaded into
 * *ret_cfg, which the caller frees with xc_config_free(); NULL without
 * config_path). Returns EXIT_OK, or the exit code after printing what is
 * wrong (then *ret_cfg is NULL). */
int results_database(const char *cmd, const char *config_path, const char **results,
                     xc_config **ret_cfg);

/* ---- locale.c ----------------------------------------------------------- */

/* Chooses the language of the messages (Chinese unless the locale says
 * otherwise) and where their translations are: first thing in main(). */
void cli_locale(void);

/* ---- the commands, one file each (cmd_<name>.c) ------------------------- */

/* cmd_X(argc, argv) runs xcheck X: argv[0] is the name it was called by,
 * the options and arguments follow. Returns the exit code, after printing
 * any error. help_X() prints the command's help on stdout. main.c's
 * table of commands names them. */
int cmd_run(int argc, char **argv);
void help_run(void);
int cmd_rules(int argc, char **argv);
void help_rules(void);
int cmd_diff(int argc, char **argv);
void help_diff(void);
int cmd_id(int argc, char **argv);
void help_id(void);
int cmd_sample(int argc, char **argv);
void help_sample(void);
int cmd_verify(int argc, char **argv);
void help_verify(void);
int cmd_key(int argc, char **argv);
void help_key(void);
int cmd_pseudonymise(int argc, char **argv);
void help_pseudonymise(void);
int cmd_prune(int argc, char **argv);
void help_prune(void);
int cmd_check(int argc, char **argv);
void help_check(void);
int cmd_init(int argc, char **argv);
void help_init(void);
int cmd_fields(int argc, char **argv);
void help_fields(void);

/* cmd_diff.c, also for xcheck run --nightly: prints (unless quiet) the diff
 * of run_id (NULL: the last complete run) against the previous run, and
 * with csv_path writes it as CSV into that file. Returns the number of new
 * flags, or a negative code with err. */
int diff_to(const char *results, long lock_ms, const char *run_id, const char *csv_path,
            bool quiet, xc_err *err);

/* ---- term.c: cells on a terminal ---------------------------------------- */

/* The display columns of UTF-8 text s: CJK and full-width characters take
 * two. */
int display_width(const char *s);

/* Prints s on stdout left-aligned (width > 0) or right-aligned (width < 0)
 * in |width| display columns; longer text is not cut. */
void put_cell(const char *s, int width);

/* Prints n as put_cell() prints text. */
void put_count(uint64_t n, int width);

#endif
