/*
 * cli.c - what the commands of the program share: error messages, usage
 * errors, the run-id check, where the shipped profiles are, the password
 * warning, the pseudonym key, the results database of diff and prune.
 */
#include "cli.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xcheck/i18n.h"
#include "xcheck/idno.h"
#include "core/pgconn.h"
#include "xcheck/text.h"
#include "xc_build.h"

/* Messages quote data (a value that would not convert, a path): what could
 * be an ID number is masked, as in every output. */
void print_error(const xc_err *err)
{
    xc_err m = *err;
    xc_buf b = {0};
    char *fields[] = {m.msg, m.detail, m.hint, m.where, m.field};
    size_t sizes[] = {sizeof m.msg, sizeof m.detail, sizeof m.hint, sizeof m.where,
                      sizeof m.field};
    for (int i = 0; i < 5; i++) {
        b.len = 0;
        xc_mask_ids(&b, fields[i], strlen(fields[i]), false);
        if (!b.failed && b.p)
            snprintf(fields[i], sizes[i], "%s", b.p);
    }
    xc_buf_free(&b);
    err = &m;
    fprintf(stderr, _("xcheck: error: %s\n"), err->msg[0] ? err->msg : xc_strstatus(err->code));
    if (err->where[0] && !strstr(err->msg, err->where)) {
        if (err->row > 0)
            fprintf(stderr, _("DETAIL:  in \"%s\", line %ld%s%s\n"), err->where, err->row,
                    err->field[0] ? _(", field ") : "", err->field);
        else
            fprintf(stderr, _("DETAIL:  in \"%s\"\n"), err->where);
    }
    if (err->detail[0])
        fprintf(stderr, _("DETAIL:  %s\n"), err->detail);
    if (err->hint[0])
        fprintf(stderr, _("HINT:  %s\n"), err->hint);
}

int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "xcheck: ");
    vfprintf(stderr, _(fmt), ap);
    va_end(ap);
    fputc('\n', stderr);
    fprintf(stderr, _("Try \"xcheck %s%s--help\" for more information.\n"), cmd ? cmd : "",
            cmd ? " " : "");
    return EXIT_USAGE;
}

/* A run id as the results database keeps it: 1 to 127 bytes of valid
 * UTF-8 without control characters. Returns NULL, or why not. */
const char *bad_run_id(const char *id)
{
    size_t n = strlen(id);
    unsigned cp;
    if (n == 0)
        return "is empty";
    if (n > 127)
        return "is longer than 127 bytes";
    if (!xc_utf8_valid(id, n))
        return "is not valid UTF-8";
    if (xc_text_control(id, n, &cp) != (size_t)-1 || strpbrk(id, "\t\n\r"))
        return "holds a control character";
    return NULL;
}

/* Where the shipped profiles are: XCHECK_RULES_DIR, else those installed
 * beside an installed program (datadir/xcheck/rules, found from the
 * program's own place), else the source tree's rules/ (a program run from
 * its build directory). */
const char *rules_dir(void)
{
    const char *dir = getenv("XCHECK_RULES_DIR");
    if (dir && *dir)
        return dir;
    static char installed[PATH_MAX];
    struct stat st;
    if (installed_path(XC_INSTALLED_RULES, XC_INSTALLED_RULES_ABSOLUTE, installed,
                       sizeof installed) &&
        stat(installed, &st) == 0 && S_ISDIR(st.st_mode))
        return installed;
    return XC_RULES_DIR;
}

bool installed_path(const char *path, bool absolute, char *buf, size_t size)
{
    if (absolute)
        return (size_t)snprintf(buf, size, "%s", path) < size;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
    if (!slash)
        return false;
    *slash = '\0';
    return (size_t)snprintf(buf, size, "%s/%s", exe, path) < size;
}

/* A connection string given on the command line is visible to every user
 * of the machine (ps, /proc): a password in it deserves a warning. */
void warn_password(const char *opt, const char *conninfo)
{
    if (xc_pg_conninfo_has_password(conninfo))
        fprintf(stderr, _("xcheck: warning: %s holds a password, which other users of this "
                "machine can see in the process list\nHINT:  keep passwords in ~/.pgpass "
                "(or the file PGPASSFILE names) instead\n"), opt);
}

/* The key named by --key, else by $XCHECK_KEY_FILE; NULL with *ret NULL
 * when neither is given. Returns XC_OK or a negative code with err. */
int load_key(const char *path, xc_key **ret, xc_err *err)
{
    *ret = NULL;
    if (!path || !*path)
        path = getenv(XC_KEY_ENV);
    if (!path || !*path)
        return XC_OK;
    return xc_key_load(path, ret, err);
}

/* The lock_timeout of the results sessions: [run] lock_timeout of -c, else
 * the default. */
long lock_timeout(const xc_config *cfg)
{
    return cfg ? cfg->lock_timeout_ms : XC_LOCK_TIMEOUT_DEFAULT_MS;
}

/* The results database of diff and prune: --results, else [run] results of
 * -c CONFIG (*ret_cfg, which the caller frees, holds it then). Returns
 * EXIT_OK, or the exit code after saying what is wrong. */
int results_database(const char *cmd, const char *config_path, const char **results,
                            xc_config **ret_cfg)
{
    xc_err err;
    xc_err_clear(&err);
    *ret_cfg = NULL;
    if (config_path && xc_config_load(config_path, ret_cfg, &err) < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    if (!*results && *ret_cfg)
        *results = (*ret_cfg)->results;
    if (!*results) {
        xc_config_free(*ret_cfg);
        *ret_cfg = NULL;
        return usage_error(cmd, "%s", _("no results database: give --results or -c with "
                           "[run] results"));
    }
    warn_password("--results", *results);
    return EXIT_OK;
}
