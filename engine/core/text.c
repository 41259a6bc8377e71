/* text.c - UTF-8 validation, trimming, CSV quoting, string helpers and
 * private output files. */
#include "xcheck/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "xcheck/error.h"

static bool is_control(const unsigned char *s, size_t i, size_t len, unsigned *cp)
{
    unsigned c = s[i];
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
        *cp = c;
        return true;
    }
    if (c == 0xC2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F) {
        *cp = s[i + 1];
        return true;
    }
    return false;
}

size_t xc_text_control(const char *str, size_t len, unsigned *ret_cp)
{
    const unsigned char *s = (const unsigned char *)str;
    for (size_t i = 0; i < len; i++)
        if ((s[i] < 0x20 || s[i] == 0x7F || s[i] == 0xC2) && is_control(s, i, len, ret_cp))
            return i;
    return (size_t)-1;
}

const char *xc_text_show_controls(const char *str, size_t len, char *out, size_t outsz)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned cp;
        char tmp[12];
        size_t n = 1;
        const char *piece = (const char *)s + i;
        if (is_control(s, i, len, &cp)) {
            n = (size_t)snprintf(tmp, sizeof tmp, "<U+%04X>", cp);
            piece = tmp;
            i += cp >= 0x80;
        }
        if (o + n >= outsz)
            break;
        memcpy(out + o, piece, n);
        o += n;
    }
    out[o] = '\0';
    return out;
}

size_t xc_utf8_prefix(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;                 /* s[n] starts the character that does not fit */
    return n;
}

uint64_t xc_text_hash(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

bool xc_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    /* ASCII, the common case, eight bytes at a time */
    while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ULL)
            break;
        i += 8;
    }
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF)
            n = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else
            return false;
        if (i + n >= len)
            return false;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return false;
        for (size_t k = 2; k <= n; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return false;
        i += n + 1;
    }
    return true;
}

static size_t blank_at(const unsigned char *s, size_t len)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n'))
        return 1;
    if (len >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (len >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    return 0;
}

static size_t blank_before(const unsigned char *s, size_t len)
{
    if (len >= 1 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
                     s[len - 1] == '\n'))
        return 1;
    if (len >= 2 && s[len - 2] == 0xC2 && s[len - 1] == 0xA0)
        return 2;
    if (len >= 3 && s[len - 3] == 0xE3 && s[len - 2] == 0x80 && s[len - 1] == 0x80)
        return 3;
    return 0;
}

const char *xc_trim(const char *s, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = *len, k;
    while ((k = blank_at(u, n)) > 0)
        u += k, n -= k;
    while ((k = blank_before(u, n)) > 0)
        n -= k;
    *len = n;
    return (const char *)u;
}

/* Whether a spreadsheet would take s[0..len) for a formula: it begins with
 * = + - @ (or a tab or carriage return before one) and is not a plain
 * number such as -500.00. */
static bool formula_like(const char *s, size_t len)
{
    if (len == 0 || !strchr("=+-@\t\r", s[0]) || s[0] == '\0')
        return false;
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0, digits = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        i++;
        digits++;
    }
    if (digits && i < len && s[i] == '.')
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            ;
    return !(digits && i == len);
}

size_t xc_csv_quote(const char *s, size_t len, char *out, size_t outsz)
{
    bool inert = formula_like(s, len);
    bool quote = memchr(s, ',', len) || memchr(s, '"', len) ||
                 memchr(s, '\n', len) || memchr(s, '\r', len);
    size_t need = len + (quote ? 2 : 0) + inert;
    if (quote)
        for (size_t i = 0; i < len; i++)
            need += s[i] == '"';
    if (need >= outsz)
        return need;
    size_t o = 0;
    if (quote)
        out[o++] = '"';
    if (inert)
        out[o++] = '\'';
    for (size_t i = 0; i < len; i++) {
        if (quote && s[i] == '"')
            out[o++] = '"';
        out[o++] = s[i];
    }
    if (quote)
        out[o++] = '"';
    out[o] = '\0';
    return o;
}

/* Room for n more bytes and a NUL in b; false (and b failed) when none can
 * be had. */
static bool reserve(xc_buf *b, size_t n)
{
    if (b->cap - b->len > n)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= n) {
        if (cap > SIZE_MAX / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(b->p, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void xc_buf_printf(xc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    xc_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void xc_buf_vprintf(xc_buf *b, const char *fmt, va_list args)
{
    if (b->failed)
        return;
    for (;;) {
        va_list ap;
        va_copy(ap, args);
        size_t room = b->cap - b->len;
        int n = vsnprintf(b->p ? b->p + b->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = true;
            return;
        }
        if ((size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        if (!reserve(b, (size_t)n))
            return;
    }
}

void xc_buf_json(xc_buf *b, const char *s)
{
    if (!s) {
        xc_buf_append(b, "null", 4);
        return;
    }
    /* Plain bytes go in by runs: evidence is mostly names and numbers. */
    xc_buf_append(b, "\"", 1);
    const unsigned char *run = (const unsigned char *)s, *p = run;
    for (;; p++) {
        if (*p >= 0x20 && *p != '"' && *p != '\\')
            continue;
        xc_buf_append(b, (const char *)run, (size_t)(p - run));
        if (!*p)
            break;
        if (*p < 0x20)
            xc_buf_printf(b, "\\u%04x", *p);
        else
            xc_buf_append(b, *p == '"' ? "\\\"" : "\\\\", 2);
        run = p + 1;
    }
    xc_buf_append(b, "\"", 1);
}

char *xc_buf_take(xc_buf *b)
{
    char *p = b->failed ? NULL : b->p;
    if (b->failed)
        free(b->p);
    else if (!p)
        p = calloc(1, 1);
    memset(b, 0, sizeof *b);
    return p;
}

void xc_buf_free(xc_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

struct xc_arena_block {
    struct xc_arena_block *next;
    size_t used, size;
    char data[];
};

#define ARENA_BLOCK 65536

char *xc_arena_dup(xc_arena *a, const char *s, size_t len)
{
    struct xc_arena_block *b = a->head;
    if (!b || b->size - b->used < len + 1) {
        /* A long text gets a block of its own behind the head, so that the
         * head's room still serves the short texts that follow: long texts
         * between short ones would otherwise leave most of every block
         * unused. */
        bool own = len + 1 > ARENA_BLOCK / 4;
        size_t size = own ? len + 1 : ARENA_BLOCK;
        b = malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->used = 0;
        b->size = size;
        if (own && a->head) {
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
        a->bytes += sizeof *b + size;
    }
    char *d = b->data + b->used;
    memcpy(d, s, len);
    d[len] = '\0';
    b->used += len + 1;
    return d;
}

void xc_arena_move(xc_arena *into, xc_arena *from)
{
    struct xc_arena_block **tail = &into->head;
    while (*tail)
        tail = &(*tail)->next;
    *tail = from->head;
    into->bytes += from->bytes;
    from->head = NULL;
    from->bytes = 0;
}

void xc_arena_free(xc_arena *a)
{
    while (a->head) {
        struct xc_arena_block *next = a->head->next;
        free(a->head);
        a->head = next;
    }
    a->bytes = 0;
}

void xc_buf_append(xc_buf *b, const char *s, size_t n)
{
    if (b->failed || !reserve(b, n))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}


/* ---- output files ------------------------------------------------------ */

/* dir without trailing slashes ("/" stays), into buf. False when too long. */
static bool dir_name(const char *dir, char *buf, size_t bufsz)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (n == 0 || n >= bufsz)
        return false;
    memcpy(buf, dir, n);
    buf[n] = '\0';
    return true;
}

/* Creates one directory with mode 0700 exactly: the umask may take bits
 * away, so the mode is set again on the directory just made (not through
 * a symbolic link put there since). XC_EXISTS when it was there already. */
static int make_dir(const char *path, xc_err *err)
{
    if (mkdir(path, 0700) < 0) {
        if (errno == EEXIST)
            return XC_EXISTS;
        xc_err_set(err, XC_EIO, "cannot create directory \"%s\": %s", path, strerror(errno));
        xc_err_at(err, path, 0, NULL);
        return XC_EIO;
    }
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || fchmod(fd, 0700) < 0) {
        xc_err_set(err, XC_EIO, "cannot make directory \"%s\" private: %s", path,
                   strerror(errno));
        xc_err_at(err, path, 0, NULL);
        if (fd >= 0)
            close(fd);
        return XC_EIO;
    }
    close(fd);
    return XC_OK;
}

/* mkdir -p with mode 0700 for every directory it makes. */
static int make_dirs(const char *dir, xc_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (p[-1] != '/') {                /* not an empty component of "a//b" */
            int rc = make_dir(path, err);
            if (rc < 0)
                return rc;
        }
        *p = c;
        if (!c)
            return XC_OK;
    }
}

static int unsafe_dir(xc_err *err, const char *dir, const char *what, const char *hint)
{
    xc_err_set(err, XC_ECONFIG, "output directory \"%s\" %s", dir, what);
    xc_err_detail(err, "outputs hold personal data: they are written only into a directory "
                  "no one else can change");
    xc_err_hint(err, "%s", hint);
    xc_err_at(err, dir, 0, NULL);
    return XC_ECONFIG;
}

/* Checks dir (without trailing slashes) as kind says; creates it first
 * when create and it is missing. */
static int check_dir(const char *dir, xc_outdir_kind kind, bool create, xc_err *err)
{
    struct stat st;
    if (lstat(dir, &st) < 0 && errno == ENOENT && create) {
        int rc = make_dirs(dir, err);
        if (rc < 0)
            return rc;
    }
    if (lstat(dir, &st) < 0) {
        xc_err_set(err, XC_EIO, "cannot use output directory \"%s\": %s", dir, strerror(errno));
        xc_err_at(err, dir, 0, NULL);
        return XC_EIO;
    }
    if (S_ISLNK(st.st_mode))
        return unsafe_dir(err, dir, "is a symbolic link",
                          "give the directory it points to, or choose another output "
                          "directory");
    if (!S_ISDIR(st.st_mode))
        return unsafe_dir(err, dir, "is not a directory", "choose another output directory");
    uid_t me = geteuid();
    bool shared = kind == XC_OUTDIR_FILE && (st.st_mode & S_ISVTX) &&
                  (st.st_uid == 0 || st.st_uid == me);
    if (shared)
        return XC_OK;
    char hint[600];
    if (st.st_uid != me) {
        char what[64];
        snprintf(what, sizeof what, "belongs to another user (uid %lu)",
                 (unsigned long)st.st_uid);
        return unsafe_dir(err, dir, what, "choose an output directory of your own");
    }
    if (st.st_mode & (S_IWGRP | S_IWOTH)) {
        snprintf(hint, sizeof hint, "make it private with chmod 700 \"%s\", or choose another "
                 "output directory", dir);
        return unsafe_dir(err, dir, st.st_mode & S_IWOTH ? "is writable by others"
                          : "is writable by its group", hint);
    }
    return XC_OK;
}

int xc_output_dir(const char *dir, xc_outdir_kind kind, xc_err *err)
{
    char d[4096];
    if (!dir_name(dir, d, sizeof d))
        return xc_err_set(err, XC_EIO, "output directory name \"%s\" is empty or too long",
                          dir);
    return check_dir(d, kind, true, err);
}

int xc_output_dir_check(const char *dir, xc_outdir_kind kind, xc_err *err)
{
    char d[4096];
    struct stat st;
    if (!dir_name(dir, d, sizeof d))
        return xc_err_set(err, XC_EIO, "output directory name \"%s\" is empty or too long",
                          dir);
    if (lstat(d, &st) < 0 && errno == ENOENT)
        return XC_NOT_FOUND;
    return check_dir(d, kind, false, err);
}

int xc_output_mkdirs(const char *dir, xc_err *err)
{
    char d[4096];
    struct stat st;
    if (!dir_name(dir, d, sizeof d))
        return xc_err_set(err, XC_EIO, "directory name \"%s\" is empty or too long", dir);
    if (lstat(d, &st) == 0)
        return XC_OK;
    return make_dirs(d, err);
}

int xc_output_write_error(xc_err *err, const char *path, int e)
{
    xc_err_set(err, XC_EIO, "cannot write \"%s\": %s", path, strerror(e));
    xc_err_at(err, path, 0, NULL);
    if (e == ENOSPC)
        xc_err_hint(err, "the file system is full: free some space, or choose an output "
                    "directory on another file system (-o)");
#ifdef EDQUOT
    else if (e == EDQUOT)
        xc_err_hint(err, "your disk quota is used up: free some space or ask for more, or "
                    "choose an output directory on another file system (-o)");
#endif
    else if (e == EFBIG)
        xc_err_hint(err, "the file is larger than this process may write (ulimit -f) or the "
                    "file system takes: raise the limit, or choose another output directory "
                    "(-o)");
    return XC_EIO;
}

/* n random characters of [0-9A-Za-z] into s. Only the name is random: O_EXCL
 * keeps a guessed name from being used, randomness keeps it from being
 * blocked. */
static void random_name(char *s, size_t n)
{
    static const char chars[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static _Atomic unsigned long counter;
    unsigned char r[16];
    if (n > sizeof r)
        n = sizeof r;
    if (getrandom(r, n, GRND_NONBLOCK) != (ssize_t)n) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64_t x = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 30 ^
                     (uint64_t)getpid() << 16 ^ (uint64_t)++counter * 0x9E3779B97F4A7C15u;
        for (size_t i = 0; i < n; i++, x = x * 6364136223846793005u + 1442695040888963407u)
            r[i] = (unsigned char)(x >> 56);
    }
    for (size_t i = 0; i < n; i++)
        s[i] = chars[r[i] % (sizeof chars - 1)];
}

/* The file under an output's stream. The stream writes through it so that
 * the first failed write keeps its errno: stdio keeps only a flag, and a
 * full disk (ENOSPC) or the size limit (EFBIG) must be told apart from
 * other errors. */
struct xc_output_file {
    int fd;
    int error;               /* errno of the first failed write, 0 if none */
};

static ssize_t file_write(void *cookie, const char *buf, size_t n)
{
    struct xc_output_file *of = cookie;
    size_t done = 0;
    while (done < n && !of->error) {
        ssize_t w = write(of->fd, buf + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            of->error = w < 0 ? errno : EIO;
        else
            done += (size_t)w;
    }
    return (ssize_t)done;     /* short: stdio sets the stream's error flag */
}

/* Closes the stream and the descriptor of o, keeping o->tmp. Returns the
 * first errno of a write, the flush or the close; 0 when all went well. */
static int close_file(xc_output *o, bool flush)
{
    int e = 0;
    if (o->f) {
        if (flush && fflush(o->f) != 0 && !(o->file && o->file->error))
            e = errno ? errno : EIO;
        if (ferror(o->f) && !e && !(o->file && o->file->error))
            e = EIO;
        fclose(o->f);
        o->f = NULL;
    }
    if (o->file) {
        if (o->file->error)
            e = o->file->error;
        if (flush && !e && fsync(o->file->fd) != 0)
            e = errno;
        if (close(o->file->fd) != 0 && flush && !e)
            e = errno;
        free(o->file);
        o->file = NULL;
    }
    return e;
}

/* Opens the temporary file of dir/name, dir already without trailing
 * slashes and checked as kind says. */
static int open_in(xc_output *o, const char *dir, const char *name, xc_outdir_kind kind,
                   xc_err *err)
{
    memset(o, 0, sizeof *o);
    const char *sep = strcmp(dir, "/") == 0 ? "" : "/";
    int n = snprintf(o->path, sizeof o->path, "%s%s%s", dir, sep, name);
    int m = snprintf(o->tmp, sizeof o->tmp, "%s%s.%s.XXXXXX", dir, sep, name);
    if (n < 0 || m < 0 || (size_t)m >= sizeof o->tmp) {
        o->tmp[0] = '\0';
        return xc_err_set(err, XC_EIO, "output file name too long: \"%s/%s\"", dir, name);
    }
    int rc = check_dir(dir, kind, false, err);
    if (rc < 0) {
        o->tmp[0] = '\0';
        return rc;
    }
    int fd = -1;
    for (int tries = 0; fd < 0 && tries < 100; tries++) {
        random_name(o->tmp + m - 6, 6);
        fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    int e = errno;
    static const cookie_io_functions_t io = {.write = file_write};
    if (fd >= 0 && fchmod(fd, 0600) == 0 && (o->file = malloc(sizeof *o->file))) {
        *o->file = (struct xc_output_file){.fd = fd};
        if ((o->f = fopencookie(o->file, "w", io))) {
            setvbuf(o->f, NULL, _IOFBF, 1 << 16);
            return XC_OK;
        }
    }
    if (fd >= 0) {
        e = errno;
        free(o->file);
        o->file = NULL;
        close(fd);
        unlink(o->tmp);
    }
    o->tmp[0] = '\0';
    if (e == ENOMEM) {         /* the object or stdio's stream: not the disk */
        xc_err_set(err, XC_ENOMEM, "out of memory opening \"%s\"", o->path);
        xc_err_at(err, o->path, 0, NULL);
        return XC_ENOMEM;
    }
    return xc_output_write_error(err, o->path, e);
}

int xc_output_open(xc_output *o, const char *dir, const char *name, xc_err *err)
{
    char d[4096];
    if (!dir_name(dir, d, sizeof d)) {
        memset(o, 0, sizeof *o);
        return xc_err_set(err, XC_EIO, "output directory name \"%s\" is empty or too long",
                          dir);
    }
    return open_in(o, d, name, XC_OUTDIR_PRIVATE, err);
}

int xc_output_open_file(xc_output *o, const char *path, xc_err *err)
{
    memset(o, 0, sizeof *o);
    char d[4096];
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        xc_err_set(err, XC_EIO, "output \"%s\" is not a file name", path);
        xc_err_at(err, path, 0, NULL);
        return XC_EIO;
    }
    if (!slash)
        snprintf(d, sizeof d, ".");
    else if (slash == path)
        snprintf(d, sizeof d, "/");
    else if ((size_t)(slash - path) >= sizeof d)
        return xc_err_set(err, XC_EIO, "output file name too long: \"%s\"", path);
    else
        snprintf(d, sizeof d, "%.*s", (int)(slash - path), path);
    char dd[4096];
    if (!dir_name(d, dd, sizeof dd))
        return xc_err_set(err, XC_EIO, "output file name too long: \"%s\"", path);
    int rc = check_dir(dd, XC_OUTDIR_FILE, true, err);
    return rc < 0 ? rc : open_in(o, dd, name, XC_OUTDIR_FILE, err);
}

int xc_unnamed_file(const char *dir)
{
#ifdef O_TMPFILE
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
    /* file systems without it say so in several ways: try the portable way */
#endif
    struct stat st;
    if (stat(dir, &st) == 0 && (st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX)) {
        errno = EPERM;
        return -1;
    }
    char path[4200];
    if (snprintf(path, sizeof path, "%s/.xcheck-XXXXXX", dir) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd2 = mkostemp(path, O_CLOEXEC);      /* mode 0600, O_EXCL */
    if (fd2 >= 0 && unlink(path) < 0) {
        int e = errno;
        close(fd2);
        errno = e;
        return -1;
    }
    return fd2;
}

int xc_output_fd(const xc_output *o)
{
    return o->file ? o->file->fd : -1;
}

int xc_output_finish(xc_output *o, xc_err *err)
{
    if (!o->f) {
        xc_output_abort(o);
        return xc_err_set(err, XC_EINTERNAL, "no output file to finish");
    }
    /* The data reaches the disk before the name does: after a crash the
     * final name holds the old file or the whole new one. */
    int e = close_file(o, true);
    if (!e)
        return XC_OK;
    unlink(o->tmp);
    o->tmp[0] = '\0';
    return xc_output_write_error(err, o->path, e);
}

int xc_output_commit(xc_output *o, xc_err *err)
{
    if (!o->tmp[0]) {
        xc_output_abort(o);
        return xc_err_set(err, XC_EINTERNAL, "no output file to commit");
    }
    int rc = o->f ? xc_output_finish(o, err) : XC_OK;
    if (rc < 0)
        return rc;
    if (rename(o->tmp, o->path) == 0) {
        o->tmp[0] = '\0';
        return XC_OK;
    }
    int e = errno;
    unlink(o->tmp);
    o->tmp[0] = '\0';
    return xc_output_write_error(err, o->path, e);
}

void xc_output_abort(xc_output *o)
{
    close_file(o, false);
    if (o->tmp[0])
        unlink(o->tmp);
    o->tmp[0] = '\0';
}

int xc_size_parse(const char *s, uint64_t *ret)
{
    if (!s || *s < '0' || *s > '9')
        return -1;
    uint64_t n = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (n > (UINT64_C(1) << 62) / 10)
            return -1;
        n = n * 10 + (uint64_t)(*s - '0');
    }
    while (*s == ' ')
        s++;
    static const char units[] = "KMGT";
    int shift = 0;
    if (*s) {
        const char *u = strchr(units, *s & ~0x20);
        if (!u || !*u)
            return -1;
        shift = 10 * (int)(u - units + 1);
        s++;
        if ((*s & ~0x20) == 'I' && (s[1] & ~0x20) == 'B')
            s += 2;
        else if ((*s & ~0x20) == 'B')
            s++;
        if (*s)
            return -1;
    }
    if (n > (UINT64_C(1) << 62) >> shift)
        return -1;
    *ret = n << shift;
    return 0;
}
