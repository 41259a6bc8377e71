/* rundir.c - a run's output directory, written aside and put in place
 * whole (rundir.h). */
#include "xcheck/rundir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xcheck/error.h"
#include "xcheck/text.h"

/* The marker's first line, the same in every run's directory. */
#define MAGIC "# xcheck run output: replaced whole by the next run, which keeps it as .prev"

/* Files that commands other than `xcheck run` write into a run's directory.
 * diff.csv (--nightly) is the run's own, written once its outputs are in
 * place; the samples and estimates may have been filled in by a person. */
static const char *const later[] = {"diff.csv", NULL};
static const char *const added[] = {"sample.csv", "sample.xlsx", "sample-strata.csv",
                                    "verify.csv", NULL};
/* The subdirectories a run writes (rejects/<dataset>.csv, the visit lists
 * per cadre visits/<cadre>.xlsx): each private, holding the run's files
 * only, listed by the marker as "rejects/hukou.csv". */
static const char *const subdirs[] = {"rejects", "visits", NULL};

static bool is_subdir(const char *name)
{
    for (const char *const *d = subdirs; *d; d++)
        if (strcmp(*d, name) == 0)
            return true;
    return false;
}

struct xc_rundir {
    char target[4096];       /* as given, without trailing slashes */
    char parent[4096];       /* its directory ("." when the name has none) */
    char prefix[4096];       /* the parent as written before the name ("" or "dir/") */
    char base[256];          /* the last component of target */
    char prev[4104];         /* target.prev, for messages */
    char prev_name[256];     /* base.prev */
    char stage[4096];        /* the run's directory, kept for messages */
    char stage_name[256];    /* its name in the parent; "" once given up */
    int pfd;                 /* the parent, open */
    int marker;              /* the run's marker, open and locked; -1 if none */
    bool had_outputs;        /* target held a previous run's outputs */
    bool signals;            /* this directory is the one the signals remove */
};

static bool no_exchange;

void xc_rundir_test_no_exchange(bool on)
{
    no_exchange = on;
}

/* ---- removing, also from a signal handler ------------------------------ */

static bool is_dots(const char *s)
{
    return s[0] == '.' && (s[1] == '\0' || (s[1] == '.' && s[2] == '\0'));
}

/* Removes the files in dfd and, at the top, those of its subdirectories
 * (rejects/, visits/) and those directories; the marker last, so that what a failure
 * leaves is still known as a run's. Only async-signal-safe calls: it also
 * runs in the signal handler. Another thread may be adding files: the
 * directory is read again while a pass removes anything. */
static void empty_dir(int dfd, bool top)
{
    char buf[4096] __attribute__((aligned(8)));
    for (int pass = 0; pass < 8; pass++) {
        bool removed = false;
        if (lseek(dfd, 0, SEEK_SET) < 0)
            return;
        ssize_t n;
        while ((n = getdents64(dfd, buf, sizeof buf)) > 0) {
            for (ssize_t off = 0; off < n;) {
                struct dirent64 *e = (struct dirent64 *)(void *)(buf + off);
                off += e->d_reclen;
                const char *name = e->d_name;
                if (is_dots(name) || (top && strcmp(name, XC_RUNDIR_MARKER) == 0))
                    continue;
                if (unlinkat(dfd, name, 0) == 0) {
                    removed = true;
                } else if (top && errno == EISDIR && is_subdir(name)) {
                    int sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                    if (sub >= 0) {
                        empty_dir(sub, false);
                        close(sub);
                    }
                    removed |= unlinkat(dfd, name, AT_REMOVEDIR) == 0;
                }
            }
        }
        if (!removed)
            break;
    }
    if (top)
        unlinkat(dfd, XC_RUNDIR_MARKER, 0);
}

/* Removes the run's directory pfd/name as empty_dir() empties it. Returns
 * 0, or -1 when something was left. */
static int remove_dir(int pfd, const char *name)
{
    int dfd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0)
        return errno == ENOENT ? 0 : -1;
    empty_dir(dfd, true);
    close(dfd);
    return unlinkat(pfd, name, AT_REMOVEDIR);
}

/* Removes from pfd/name only what its marker lists (and the diff written
 * beside a run), then the marker and the directory if nothing else is left:
 * what someone put there since stays, and so does the directory. */
static void remove_listed(int pfd, const char *name);

/* ---- signals ------------------------------------------------------------ */

enum { SIG_IDLE, SIG_HELD, SIG_REMOVING, SIG_COMMITTING };
static atomic_int sig_state;
static atomic_int sig_pending;
static int sig_pfd = -1;
static char sig_name[256];
static const int sig_nums[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
enum { N_SIGS = sizeof sig_nums / sizeof *sig_nums };
static struct sigaction sig_old[N_SIGS];
static bool sig_ours[N_SIGS];

static void on_signal(int sig)
{
    int saved = errno;
    int held = SIG_HELD;
    if (atomic_compare_exchange_strong(&sig_state, &held, SIG_REMOVING)) {
        remove_dir(sig_pfd, sig_name);
    } else if (held == SIG_COMMITTING) {
        atomic_store(&sig_pending, sig);       /* raised once the renames are done */
        errno = saved;
        return;
    }
    /* Ends the process as the signal would have: delivered when the
     * handler returns, with the default action. */
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    raise(sig);
    errno = saved;
}

/* Makes d's directory the one the signals remove, if no other is. */
static void hold_signals(xc_rundir *d)
{
    int idle = SIG_IDLE;
    if (!atomic_compare_exchange_strong(&sig_state, &idle, SIG_COMMITTING))
        return;                                 /* another directory is held */
    sig_pfd = d->pfd;
    snprintf(sig_name, sizeof sig_name, "%s", d->stage_name);
    atomic_store(&sig_pending, 0);
    atomic_store(&sig_state, SIG_HELD);
    struct sigaction sa = {.sa_handler = on_signal, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < N_SIGS; i++) {
        sig_ours[i] = false;
        /* A signal the program ignores (nohup) or handles stays so. */
        if (sigaction(sig_nums[i], NULL, &sig_old[i]) == 0 &&
            !(sig_old[i].sa_flags & SA_SIGINFO) && sig_old[i].sa_handler == SIG_DFL)
            sig_ours[i] = sigaction(sig_nums[i], &sa, NULL) == 0;
    }
    d->signals = true;
}

/* Gives the signals back; one that came during the renames ends the
 * process now. */
static void release_signals(xc_rundir *d)
{
    if (!d->signals)
        return;
    d->signals = false;
    atomic_store(&sig_state, SIG_IDLE);
    for (int i = 0; i < N_SIGS; i++)
        if (sig_ours[i])
            sigaction(sig_nums[i], &sig_old[i], NULL);
    int pending = atomic_exchange(&sig_pending, 0);
    if (pending)
        raise(pending);
}

/* ---- what a directory holds --------------------------------------------- */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* The entries of dfd but . and .., in byte order, into *ret (caller frees
 * with free_names()). Returns 0, or -1 with errno. */
static int list_dir(int dfd, char ***ret, size_t *ret_n)
{
    *ret = NULL;
    *ret_n = 0;
    int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
    if (!dir) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        errno = e;
        return -1;
    }
    char **v = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int rc = 0;
    while ((errno = 0, e = readdir(dir))) {
        if (is_dots(e->d_name))
            continue;
        if (n == cap) {
            size_t c = cap ? cap * 2 : 32;
            char **nv = realloc(v, c * sizeof *nv);
            if (!nv) {
                rc = -1;
                break;
            }
            v = nv;
            cap = c;
        }
        if (!(v[n] = strdup(e->d_name))) {
            rc = -1;
            break;
        }
        n++;
    }
    if (rc == 0 && errno)
        rc = -1;
    int saved = errno;
    closedir(dir);
    if (rc < 0) {
        free_names(v, n);
        errno = saved ? saved : ENOMEM;
        return -1;
    }
    if (n)
        qsort(v, n, sizeof *v, by_name);
    *ret = v;
    *ret_n = n;
    return 0;
}

/* What a directory's marker says. */
typedef struct marker {
    bool ours;               /* the first line is MAGIC */
    bool complete;           /* a run that put its outputs in place */
    const char *stage;       /* the name the run's directory was made under */
    char *text;              /* the file's text; files point into it */
    const char **files;      /* the files it lists ("rejects/hukou.csv") */
    size_t n_files;
} marker;

static void marker_free(marker *m)
{
    free(m->text);
    free(m->files);
    memset(m, 0, sizeof *m);
}

static void read_marker(int dfd, marker *m)
{
    memset(m, 0, sizeof *m);
    int fd = openat(dfd, XC_RUNDIR_MARKER, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > (1 << 20) ||
        !(m->text = malloc((size_t)st.st_size + 1))) {
        close(fd);
        return;
    }
    size_t len = 0;
    ssize_t r;
    while (len < (size_t)st.st_size &&
           (r = read(fd, m->text + len, (size_t)st.st_size - len)) > 0)
        len += (size_t)r;
    close(fd);
    m->text[len] = '\0';
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += m->text[i] == '\n';
    if (!(m->files = malloc(lines * sizeof *m->files))) {
        marker_free(m);
        return;
    }
    char *line = m->text, *next;
    for (int i = 0; line && *line; i++, line = next) {
        next = strchr(line, '\n');
        if (!next)
            break;                      /* a line not ended: cut short */
        *next++ = '\0';
        if (i == 0)
            m->ours = strcmp(line, MAGIC) == 0;
        else if (strncmp(line, "file ", 5) == 0)
            m->files[m->n_files++] = line + 5;
        else if (strcmp(line, "complete") == 0)
            m->complete = true;
        else if (strncmp(line, "stage ", 6) == 0)
            m->stage = line + 6;
        if (!m->ours)
            break;
    }
}

static void remove_listed(int pfd, const char *name)
{
    int dfd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0)
        return;
    marker m;
    read_marker(dfd, &m);
    if (m.ours) {
        for (size_t i = 0; i < m.n_files; i++)
            if (!strstr(m.files[i], "..") && m.files[i][0] != '/')
                unlinkat(dfd, m.files[i], 0);
        for (const char *const *l = later; *l; l++)
            unlinkat(dfd, *l, 0);
        for (const char *const *sd = subdirs; *sd; sd++)
            unlinkat(dfd, *sd, AT_REMOVEDIR);        /* only when empty */
        struct stat st;
        char **left;
        size_t n_left;
        /* the marker goes last, and only when nothing else is left */
        if (list_dir(dfd, &left, &n_left) == 0) {
            if (n_left == 1 && fstatat(dfd, XC_RUNDIR_MARKER, &st, AT_SYMLINK_NOFOLLOW) == 0)
                unlinkat(dfd, XC_RUNDIR_MARKER, 0);
            free_names(left, n_left);
        }
    }
    marker_free(&m);
    close(dfd);
    unlinkat(pfd, name, AT_REMOVEDIR);               /* only when empty */
}

static bool in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

/* The name a temporary file ".NAME.XXXXXX" is written for, into buf; false
 * when name is no such file. */
static bool temporary_of(const char *name, char *buf, size_t bufsz)
{
    size_t n = strlen(name);
    if (n < 9 || name[0] != '.' || name[n - 7] != '.' || n - 8 >= bufsz)
        return false;
    for (size_t i = n - 6; i < n; i++) {
        char c = name[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
            return false;
    }
    memcpy(buf, name + 1, n - 8);
    buf[n - 8] = '\0';
    return true;
}

enum { K_RUN, K_ADDED, K_OTHER };

/* Who wrote the entry `name` of the run's directory (sub: "" at the top,
 * "rejects/" in rejects/, "visits/" in visits/), as the marker m says. */
static int kind_of(const marker *m, const char *sub, const char *name)
{
    char base[300], full[400];
    const char *b = temporary_of(name, base, sizeof base) ? base : name;
    snprintf(full, sizeof full, "%s%s", sub, b);
    for (size_t i = 0; i < m->n_files; i++)
        if (strcmp(m->files[i], full) == 0)
            return K_RUN;
    if (!*sub && in_list(later, b))
        return K_RUN;
    if (!*sub && in_list(added, b))
        return K_ADDED;
    return K_OTHER;
}

enum { D_MISSING, D_EMPTY, D_OURS, D_OTHER };

/* What a directory holds, as judged for moving or removing it. */
typedef struct look {
    int state;               /* D_* */
    bool marked;             /* it has the marker of a run that was put in place */
    char entry[512];         /* D_OTHER: the first entry no run wrote */
    char added[512];         /* D_OURS: the first sample or estimate, "" if none */
} look;

/* Judges the entries of dfd by the marker m; with any_name, every regular
 * file is taken as a run's (a run's own directory, the marker not complete
 * yet). Fills l->state (D_OURS or D_OTHER), entry and added. */
static int judge(int dfd, const marker *m, bool any_name, const char *sub, look *l)
{
    char **names;
    size_t n;
    if (list_dir(dfd, &names, &n) < 0)
        return -1;
    for (size_t i = 0; i < n && l->state != D_OTHER; i++) {
        const char *e = names[i];
        struct stat st;
        if (!*sub && strcmp(e, XC_RUNDIR_MARKER) == 0)
            continue;
        int k = K_OTHER;
        if (fstatat(dfd, e, &st, AT_SYMLINK_NOFOLLOW) < 0) {
            k = K_OTHER;
        } else if (!*sub && is_subdir(e) && S_ISDIR(st.st_mode) &&
                   st.st_uid == geteuid() && !(st.st_mode & (S_IWGRP | S_IWOTH))) {
            int sfd = openat(dfd, e, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sfd >= 0) {
                char in[32];
                snprintf(in, sizeof in, "%s/", e);
                int rc = judge(sfd, m, any_name, in, l);
                close(sfd);
                if (rc < 0) {
                    free_names(names, n);
                    return -1;
                }
                continue;
            }
        } else if (S_ISREG(st.st_mode) || (!any_name && S_ISLNK(st.st_mode))) {
            k = any_name ? K_RUN : kind_of(m, sub, e);
        }
        if (k == K_OTHER) {
            snprintf(l->entry, sizeof l->entry, "%s%s", sub, e);
            l->state = D_OTHER;
        } else if (k == K_ADDED && !l->added[0]) {
            snprintf(l->added, sizeof l->added, "%s%s", sub, e);
        }
    }
    free_names(names, n);
    return 0;
}

static int io_error(xc_err *err, const char *what, const char *path, int e)
{
    xc_err_set(err, XC_EIO, "%s \"%s\": %s", what, path, strerror(e));
    xc_err_at(err, path, 0, NULL);
    return XC_EIO;
}

/* Looks at pfd/name (path, for messages): missing, empty, a previous run's
 * outputs, or something else. Checks it as a private output directory
 * first (xc_output_dir_check()). */
static int look_at(int pfd, const char *name, const char *path, look *l, xc_err *err)
{
    memset(l, 0, sizeof *l);
    int rc = xc_output_dir_check(path, XC_OUTDIR_PRIVATE, err);
    if (rc == XC_NOT_FOUND) {
        l->state = D_MISSING;
        return XC_OK;
    }
    if (rc < 0)
        return rc;
    int dfd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0)
        return io_error(err, "cannot read directory", path, errno);
    /* The same goes for the rejects/ and visits/ of a run: no one else may
     * have put anything there. */
    struct stat st;
    char sub[4200];
    for (const char *const *sd = subdirs; *sd; sd++) {
        snprintf(sub, sizeof sub, "%s/%s", path, *sd);
        if (fstatat(dfd, *sd, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) &&
            (rc = xc_output_dir_check(sub, XC_OUTDIR_PRIVATE, err)) < 0) {
            close(dfd);
            return rc;
        }
    }
    char **names;
    size_t n;
    if (list_dir(dfd, &names, &n) < 0) {
        rc = io_error(err, "cannot read directory", path, errno);
        close(dfd);
        return rc;
    }
    marker m;
    read_marker(dfd, &m);
    l->marked = m.ours && m.complete;
    if (n == 0) {
        l->state = D_EMPTY;
    } else if (!l->marked) {
        l->state = D_OTHER;
        size_t i = 0;
        while (i + 1 < n && strcmp(names[i], XC_RUNDIR_MARKER) == 0)
            i++;
        snprintf(l->entry, sizeof l->entry, "%s", names[i]);
    } else {
        l->state = D_OURS;
        if (judge(dfd, &m, false, "", l) < 0)
            rc = io_error(err, "cannot read directory", path, errno);
    }
    marker_free(&m);
    free_names(names, n);
    close(dfd);
    return rc;
}

/* ---- messages ------------------------------------------------------------ */

static int refuse_target(const xc_rundir *d, const look *l, xc_err *err)
{
    if (l->marked)
        xc_err_set(err, XC_ECONFIG, "output directory \"%s\" holds \"%s\", which no run wrote",
                   d->target, l->entry);
    else
        xc_err_set(err, XC_ECONFIG, "output directory \"%s\" holds \"%s\" and is not the "
                   "output of an earlier run", d->target, l->entry);
    xc_err_detail(err, "a run replaces its output directory whole, keeping the previous "
                  "outputs as \"%s\": it takes a directory that is missing, empty, or marked "
                  "as a run's by its file %s (which earlier versions of xcheck did not "
                  "write), and moves nothing a run did not write", d->prev, XC_RUNDIR_MARKER);
    xc_err_hint(err, "choose another output directory (-o), or empty \"%s\"", d->target);
    xc_err_at(err, d->target, 0, NULL);
    return XC_ECONFIG;
}

static int refuse_prev(const xc_rundir *d, const look *l, xc_err *err)
{
    if (l->state == D_OTHER) {
        xc_err_set(err, XC_ECONFIG, "\"%s\" holds \"%s\", which no run wrote%s", d->prev,
                   l->entry, l->marked ? "" : " (it is not the output of an earlier run)");
        xc_err_detail(err, "a run keeps the previous outputs of \"%s\" as \"%s\", removing "
                      "what is there: it removes nothing a run did not write", d->target,
                      d->prev);
        xc_err_hint(err, "move \"%s\" away or empty it, or choose another output directory "
                    "(-o)", d->prev);
    } else {
        xc_err_set(err, XC_ECONFIG, "\"%s\" holds \"%s\", which xcheck sample or verify "
                   "wrote beside that run", d->prev, l->added);
        xc_err_detail(err, "a run keeps the previous outputs of \"%s\" as \"%s\", removing "
                      "what is there, but never a sample or an estimate: a person may have "
                      "filled it in", d->target, d->prev);
        xc_err_hint(err, "move the samples out of \"%s\", or remove it yourself", d->prev);
    }
    xc_err_at(err, d->prev, 0, NULL);
    return XC_ECONFIG;
}

/* Replaces every `from` in s (of size sz) by `to`. */
static void replace_all(char *s, size_t sz, const char *from, const char *to)
{
    size_t nf = strlen(from), nt = strlen(to);
    char out[4096];
    size_t o = 0;
    if (!nf)
        return;
    for (const char *p = s; *p && o + 1 < sizeof out;) {
        if (strncmp(p, from, nf) == 0) {
            size_t k = nt < sizeof out - 1 - o ? nt : sizeof out - 1 - o;
            memcpy(out + o, to, k);
            o += k;
            p += nf;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
    snprintf(s, sz, "%s", out);
}

void xc_rundir_explain(const xc_rundir *d, xc_err *err)
{
    if (!d || !err || !d->stage[0])
        return;
    char *texts[] = {err->msg, err->detail, err->hint, err->where};
    size_t sizes[] = {sizeof err->msg, sizeof err->detail, sizeof err->hint,
                      sizeof err->where};
    for (int i = 0; i < 4; i++)
        replace_all(texts[i], sizes[i], d->stage, d->target);
    if (!err->detail[0])
        xc_err_detail(err, d->had_outputs ? "the previous outputs in \"%s\" are as they were"
                      : "nothing was written into \"%s\"", d->target);
}

/* ---- beginning ------------------------------------------------------------ */

/* Splits target into d's names. */
static int split(xc_rundir *d, const char *target, xc_err *err)
{
    size_t n = strlen(target);
    while (n > 1 && target[n - 1] == '/')
        n--;
    if (n >= sizeof d->target)
        return xc_err_set(err, XC_EIO, "output directory name \"%s\" is too long", target);
    memcpy(d->target, target, n);
    d->target[n] = '\0';
    const char *slash = strrchr(d->target, '/');
    const char *base = slash ? slash + 1 : d->target;
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        xc_err_set(err, XC_ECONFIG, "output directory \"%s\" cannot be replaced whole",
                   *target ? target : "");
        xc_err_detail(err, "a run writes its outputs beside its output directory and "
                      "renames them into its place");
        xc_err_hint(err, "name the directory by its own name (for example ../out), or a "
                    "directory inside it");
        return XC_ECONFIG;
    }
    if (strlen(base) + 8 > 255)
        return xc_err_set(err, XC_EIO, "output directory name \"%s\" is too long", base);
    snprintf(d->base, sizeof d->base, "%s", base);
    snprintf(d->prev_name, sizeof d->prev_name, "%s.prev", base);
    size_t plen = (size_t)(base - d->target);
    memcpy(d->prefix, d->target, plen);
    d->prefix[plen] = '\0';
    while (plen > 1 && d->target[plen - 1] == '/')
        plen--;
    if (plen == 0)
        snprintf(d->parent, sizeof d->parent, ".");
    else
        snprintf(d->parent, sizeof d->parent, "%.*s", (int)plen, d->target);
    snprintf(d->prev, sizeof d->prev, "%s.prev", d->target);
    return XC_OK;
}

static void lock_parent(const xc_rundir *d, bool on)
{
    /* Runs beside each other wait while one looks and renames. A file
     * system without locks (some network ones) goes without. */
    while (flock(d->pfd, on ? LOCK_EX : LOCK_UN) < 0 && errno == EINTR)
        ;
}

/* Whether name in pfd matches ".BASE.XXXXXX", the name of a run's own
 * directory for base. */
static bool is_run_dir_name(const xc_rundir *d, const char *name)
{
    size_t nb = strlen(d->base), n = strlen(name);
    char b[300];
    return n == nb + 8 && temporary_of(name, b, sizeof b) && strcmp(b, d->base) == 0;
}

/* The journal of a commit in the parent, ".BASE.xcheck-commit": the names
 * of the run's directory and of the older outputs moved aside, written
 * before the first rename and removed after the last, so that a commit cut
 * short by a kill or a power loss can be finished by the next run. */
static void journal_name(const xc_rundir *d, char *out, size_t n)
{
    snprintf(out, n, ".%s.xcheck-commit", d->base);
}

/* Reads one "key NAME" line of a journal. */
static bool journal_get(const char *text, const char *key, char *out, size_t n)
{
    size_t k = strlen(key);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, key, k) == 0 && p[k] == ' ') {
            const char *v = p + k + 1, *end = strchr(v, '\n');
            size_t len = end ? (size_t)(end - v) : strlen(v);
            if (len == 0 || len >= n || memchr(v, '/', len))
                return false;
            memcpy(out, v, len);
            out[len] = '\0';
            return true;
        }
    return false;
}

/* The marker of pfd/name, or m->ours false. */
static void marker_of(int pfd, const char *name, marker *m)
{
    memset(m, 0, sizeof *m);
    int dfd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0)
        return;
    read_marker(dfd, m);
    close(dfd);
}

static bool exists(int pfd, const char *name)
{
    struct stat st;
    return fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Finishes a commit a kill cut short: the previous outputs go back to
 * OUT.prev, and what was moved aside for removal is removed. */
static void finish_commit(const xc_rundir *d)
{
    char jname[300], text[1200] = "";
    journal_name(d, jname, sizeof jname);
    int fd = openat(d->pfd, jname, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return;
    ssize_t r = read(fd, text, sizeof text - 1);
    close(fd);
    text[r > 0 ? r : 0] = '\0';
    char stage[256] = "", trash[256] = "";
    bool has_stage = journal_get(text, "stage", stage, sizeof stage) && is_run_dir_name(d, stage);
    bool has_trash = journal_get(text, "trash", trash, sizeof trash) && is_run_dir_name(d, trash);
    if (has_stage && exists(d->pfd, stage)) {
        marker out;
        marker_of(d->pfd, d->base, &out);
        /* exchanged: OUT is the new run, the run's directory the previous */
        bool exchanged = out.ours && out.stage && strcmp(out.stage, stage) == 0;
        marker_free(&out);
        if (exchanged && !exists(d->pfd, d->prev_name))
            renameat(d->pfd, stage, d->pfd, d->prev_name);
    }
    if (has_trash && exists(d->pfd, trash)) {
        if (!exists(d->pfd, d->prev_name))
            renameat(d->pfd, trash, d->pfd, d->prev_name);
        else
            remove_listed(d->pfd, trash);
    }
    fsync(d->pfd);
    unlinkat(d->pfd, jname, 0);
    fsync(d->pfd);
}

/* Removes what killed runs into target left beside it: run directories of
 * the user's whose marker says they were made under that very name, that
 * no running xcheck holds, holding only a run's files. Anything else is
 * left alone: a copy of an output, a directory of the same shape. */
static void remove_leftovers(const xc_rundir *d)
{
    finish_commit(d);
    char **names;
    size_t n;
    if (list_dir(d->pfd, &names, &n) < 0)
        return;
    for (size_t i = 0; i < n; i++) {
        const char *name = names[i];
        struct stat st;
        if (!is_run_dir_name(d, name) || fstatat(d->pfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
            !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
            (st.st_mode & (S_IWGRP | S_IWOTH)))
            continue;
        int dfd = openat(d->pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dfd < 0)
            continue;
        /* 2026-12-02: a copy of the outputs, or an empty directory, named
         * like a run's own was removed as a killed run's leftover */
        int mfd = openat(dfd, XC_RUNDIR_MARKER, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (mfd < 0) {
            close(dfd);
            continue;
        }
        if (flock(mfd, LOCK_EX | LOCK_NB) == 0) {
            marker m;
            look l = {.state = D_OURS};
            read_marker(dfd, &m);
            if (m.ours && m.stage && strcmp(m.stage, name) == 0 &&
                judge(dfd, &m, !m.complete, "", &l) == 0 && l.state == D_OURS && !l.added[0])
                remove_dir(d->pfd, name);
            marker_free(&m);
        }
        close(mfd);
        close(dfd);
    }
    free_names(names, n);
}

/* Creates the run's private directory and its marker, locked. */
static int make_stage(xc_rundir *d, xc_err *err)
{
    int n = snprintf(d->stage, sizeof d->stage, "%s.%s.XXXXXX", d->prefix, d->base);
    if (n < 0 || (size_t)n >= sizeof d->stage)
        return xc_err_set(err, XC_EIO, "output directory name \"%s\" is too long", d->target);
    if (!mkdtemp(d->stage)) {
        int e = errno;
        xc_err_set(err, XC_EIO, "cannot create a directory beside \"%s\" in \"%s\": %s",
                   d->target, d->parent, strerror(e));
        xc_err_detail(err, "a run writes its outputs into a new directory beside its output "
                      "directory and renames it into place when they are complete");
        xc_err_hint(err, "the output directory's parent must be writable: choose another "
                    "output directory (-o)");
        xc_err_at(err, d->parent, 0, NULL);
        d->stage[0] = '\0';
        return XC_EIO;
    }
    snprintf(d->stage_name, sizeof d->stage_name, "%s", d->stage + strlen(d->prefix));
    int e = 0;
    int sfd = openat(d->pfd, d->stage_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sfd < 0 || fchmod(sfd, 0700) < 0)
        e = errno;
    if (!e) {
        d->marker = openat(sfd, XC_RUNDIR_MARKER,
                           O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        /* the name it is made under: a copy of it elsewhere is no run's own */
        char line[400];
        int ln = snprintf(line, sizeof line, "%s\nstage %s\n", MAGIC, d->stage_name);
        if (d->marker < 0 || fchmod(d->marker, 0600) < 0 || ln < 0 ||
            (size_t)ln >= sizeof line || write(d->marker, line, (size_t)ln) != (ssize_t)ln)
            e = errno ? errno : EIO;
        else if (flock(d->marker, LOCK_EX | LOCK_NB) < 0 && errno != ENOLCK)
            e = errno;
    }
    if (sfd >= 0)
        close(sfd);
    if (!e)
        return XC_OK;
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", d->target, XC_RUNDIR_MARKER);
    return xc_output_write_error(err, path, e);
}

int xc_rundir_begin(const char *target, xc_rundir **ret, xc_err *err)
{
    *ret = NULL;
    xc_rundir *d = calloc(1, sizeof *d);
    if (!d)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    d->pfd = d->marker = -1;
    int rc = split(d, target, err);
    if (rc >= 0 && (rc = xc_output_mkdirs(d->parent, err)) >= 0 &&
        (d->pfd = open(d->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
        rc = io_error(err, "cannot use directory", d->parent, errno);
    if (rc < 0) {
        xc_rundir_free(d);
        return rc;
    }
    lock_parent(d, true);
    remove_leftovers(d);
    look t = {0}, p = {0};
    if ((rc = look_at(d->pfd, d->base, d->target, &t, err)) >= 0) {
        d->had_outputs = t.state == D_OURS;
        if (t.state == D_OTHER)
            rc = refuse_target(d, &t, err);
        else if (t.state == D_OURS &&
                 (rc = look_at(d->pfd, d->prev_name, d->prev, &p, err)) >= 0 &&
                 (p.state == D_OTHER || p.added[0]))
            rc = refuse_prev(d, &p, err);
    }
    struct stat ps, ts;
    if (rc >= 0 && t.state != D_MISSING && fstat(d->pfd, &ps) == 0 &&
        fstatat(d->pfd, d->base, &ts, AT_SYMLINK_NOFOLLOW) == 0 && ps.st_dev != ts.st_dev) {
        rc = xc_err_set(err, XC_ECONFIG, "output directory \"%s\" is a mount point",
                        d->target);
        xc_err_detail(err, "a run writes its outputs beside its output directory and "
                      "renames them into its place, which a mount point cannot take");
        xc_err_hint(err, "give a directory inside it (for example -o %s/run)", d->target);
        xc_err_at(err, d->target, 0, NULL);
    }
    if (rc >= 0)
        rc = make_stage(d, err);
    lock_parent(d, false);
    if (rc < 0) {
        xc_rundir_free(d);
        return rc;
    }
    hold_signals(d);
    *ret = d;
    return XC_OK;
}

const char *xc_rundir_path(const xc_rundir *d)
{
    return d->stage;
}

const char *xc_rundir_target(const xc_rundir *d)
{
    return d->target;
}

/* ---- putting in place ------------------------------------------------------ */

/* Appends the run's files and run_id to its marker and syncs the marker,
 * its subdirectories and the run's directory. */
static int write_listing(xc_rundir *d, const char *run_id, xc_err *err)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", d->target, XC_RUNDIR_MARKER);
    int sfd = openat(d->pfd, d->stage_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sfd < 0)
        return xc_output_write_error(err, path, errno);
    xc_buf b = {0};
    xc_buf_printf(&b, "run ");
    for (const char *p = run_id ? run_id : ""; *p; p++)
        xc_buf_printf(&b, "%c", (unsigned char)*p < 0x20 ? '?' : *p);
    xc_buf_printf(&b, "\n");
    char **names = NULL;
    size_t n = 0;
    int e = list_dir(sfd, &names, &n) < 0 ? errno : 0;
    for (size_t i = 0; i < n && !e; i++) {
        if (strcmp(names[i], XC_RUNDIR_MARKER) == 0)
            continue;
        if (!is_subdir(names[i])) {
            xc_buf_printf(&b, "file %s\n", names[i]);
            continue;
        }
        char **sub = NULL;
        size_t n_sub = 0;
        int rfd = openat(sfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (rfd < 0 || list_dir(rfd, &sub, &n_sub) < 0)
            e = errno;
        for (size_t k = 0; k < n_sub; k++)
            xc_buf_printf(&b, "file %s/%s\n", names[i], sub[k]);
        if (!e && fsync(rfd) < 0)
            e = errno;
        free_names(sub, n_sub);
        if (rfd >= 0)
            close(rfd);
    }
    xc_buf_printf(&b, "complete\n");
    char *text = xc_buf_take(&b);
    if (!e && !text)
        e = ENOMEM;
    size_t len = text ? strlen(text) : 0, done = 0;
    while (!e && done < len) {
        ssize_t w = write(d->marker, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            e = w < 0 ? errno : EIO;
        else
            done += (size_t)w;
    }
    if (!e && fsync(d->marker) < 0)
        e = errno;
    if (!e && fsync(sfd) < 0)
        e = errno;
    free(text);
    free_names(names, n);
    close(sfd);
    return e ? xc_output_write_error(err, path, e) : XC_OK;
}

static int rename_error(const xc_rundir *d, int e, xc_err *err)
{
    xc_err_set(err, XC_EIO, "cannot put the outputs in place in \"%s\": %s", d->target,
               strerror(e));
    xc_err_detail(err, "\"%s\" and \"%s\" are as they were", d->target, d->prev);
    xc_err_at(err, d->target, 0, NULL);
    return XC_EIO;
}

/* Renames from to to in pfd, where nothing may be under to. */
static int rename_fresh(int pfd, const char *from, const char *to)
{
#ifdef RENAME_NOREPLACE
    if (renameat2(pfd, from, pfd, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != ENOSYS && errno != EINVAL)
        return -1;
#endif
    struct stat st;
    if (fstatat(pfd, to, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        errno = EEXIST;
        return -1;
    }
    return renameat(pfd, from, pfd, to);
}

/* Exchanges the names a and b in pfd at once. Returns 0, or -1 with errno:
 * ENOSYS when the kernel, the C library or the file system cannot. */
static int exchange(int pfd, const char *a, const char *b)
{
#ifdef RENAME_EXCHANGE
    if (!no_exchange) {
        if (renameat2(pfd, a, pfd, b, RENAME_EXCHANGE) == 0)
            return 0;
        if (errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP)
            return -1;
    }
#else
    (void)pfd, (void)a, (void)b;
#endif
    errno = ENOSYS;
    return -1;
}

/* target holds a previous run's outputs: they become target.prev, the run's
 * directory target. */
static int replace(xc_rundir *d, xc_err *err)
{
    look p;
    int rc = look_at(d->pfd, d->prev_name, d->prev, &p, err);
    if (rc < 0)
        return rc;
    if (p.state == D_OTHER || p.added[0])
        return refuse_prev(d, &p, err);
    /* The older outputs are moved aside first, under a fresh name (an
     * empty directory renamed over), and removed once the new ones are in
     * place. */
    char trash[4400] = "";
    const char *trash_name = NULL;
    /* What the next run needs to finish this commit if it is cut short.
     * 2026-12-02: a kill between the renames left the previous outputs
     * under a hidden name, and the next run removed them. */
    char jname[300], jtext[1200];
    journal_name(d, jname, sizeof jname);
    int jfd = -1;
    if (p.state != D_MISSING) {
        int n = snprintf(trash, sizeof trash, "%s.%s.XXXXXX", d->prefix, d->base);
        if (n < 0 || (size_t)n >= sizeof trash || !mkdtemp(trash))
            return rename_error(d, errno, err);
        trash_name = trash + strlen(d->prefix);
    }
    int jn = snprintf(jtext, sizeof jtext, "stage %s\ntrash %s\n", d->stage_name,
                      trash_name ? trash_name : "-");
    jfd = openat(d->pfd, jname, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (jfd < 0 || jn < 0 || write(jfd, jtext, (size_t)jn) != (ssize_t)jn || fsync(jfd) < 0 ||
        fsync(d->pfd) < 0) {
        int je = errno ? errno : EIO;
        if (jfd >= 0)
            close(jfd);
        unlinkat(d->pfd, jname, 0);
        if (trash_name)
            unlinkat(d->pfd, trash_name, AT_REMOVEDIR);
        return rename_error(d, je, err);
    }
    close(jfd);
    if (trash_name) {
        if (renameat(d->pfd, d->prev_name, d->pfd, trash_name) < 0) {
            int e2 = errno;
            unlinkat(d->pfd, trash_name, AT_REMOVEDIR);
            unlinkat(d->pfd, jname, 0);
            return rename_error(d, e2, err);
        }
    }
    int e = 0;
    if (exchange(d->pfd, d->stage_name, d->base) == 0) {
        /* The previous outputs are under the run directory's name now. */
        char old[256];
        snprintf(old, sizeof old, "%s", d->stage_name);
        d->stage_name[0] = '\0';
        if (renameat(d->pfd, old, d->pfd, d->prev_name) < 0 && trash_name) {
            /* Cannot be: the name was just freed. The new outputs are in
             * place; the previous ones are left where the next run removes
             * them, the older ones where they were. */
            renameat(d->pfd, trash_name, d->pfd, d->prev_name);
            trash_name = NULL;
        }
    } else if (errno != ENOSYS) {
        e = errno;
    } else if (renameat(d->pfd, d->base, d->pfd, d->prev_name) < 0) {
        e = errno;
    } else if (renameat(d->pfd, d->stage_name, d->pfd, d->base) < 0) {
        e = errno;
        renameat(d->pfd, d->prev_name, d->pfd, d->base);
    } else {
        d->stage_name[0] = '\0';
    }
    if (e) {
        if (trash_name)
            renameat(d->pfd, trash_name, d->pfd, d->prev_name);
        fsync(d->pfd);
        unlinkat(d->pfd, jname, 0);
        return rename_error(d, e, err);
    }
    fsync(d->pfd);
    if (trash_name)
        remove_listed(d->pfd, trash_name);
    unlinkat(d->pfd, jname, 0);
    fsync(d->pfd);
    return XC_OK;
}

int xc_rundir_commit(xc_rundir *d, const char *run_id, xc_err *err)
{
    if (!d->stage_name[0])
        return xc_err_set(err, XC_EINTERNAL, "no run directory to put in place");
    int held = SIG_HELD;
    if (d->signals && !atomic_compare_exchange_strong(&sig_state, &held, SIG_COMMITTING))
        return xc_err_set(err, XC_EIO, "interrupted");
    int rc = write_listing(d, run_id, err);
    look t;
    if (rc >= 0) {
        lock_parent(d, true);
        if ((rc = look_at(d->pfd, d->base, d->target, &t, err)) >= 0) {
            if (t.state == D_OTHER) {
                rc = refuse_target(d, &t, err);
            } else if (t.state == D_OURS) {
                rc = replace(d, err);
            } else {
                /* Missing, or an empty directory: renamed over, which
                 * fails if it is no longer empty. */
                if ((t.state == D_MISSING ? rename_fresh(d->pfd, d->stage_name, d->base)
                     : renameat(d->pfd, d->stage_name, d->pfd, d->base)) < 0)
                    rc = rename_error(d, errno, err);
                else
                    d->stage_name[0] = '\0';
            }
        }
        if (rc >= 0)
            fsync(d->pfd);     /* the new names reach the disk */
        lock_parent(d, false);
    }
    if (d->stage_name[0]) {
        remove_dir(d->pfd, d->stage_name);
        d->stage_name[0] = '\0';
    }
    if (d->marker >= 0)
        close(d->marker);
    d->marker = -1;
    release_signals(d);
    return rc;
}

void xc_rundir_free(xc_rundir *d)
{
    if (!d)
        return;
    int held = SIG_HELD;
    bool mine = !d->signals ||
                atomic_compare_exchange_strong(&sig_state, &held, SIG_COMMITTING);
    /* else a signal handler is removing it, and the process ends */
    if (mine && d->stage_name[0] && d->pfd >= 0)
        remove_dir(d->pfd, d->stage_name);
    if (d->marker >= 0)
        close(d->marker);
    if (mine)
        release_signals(d);
    if (d->pfd >= 0)
        close(d->pfd);
    free(d);
}
