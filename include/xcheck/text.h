/*
 * text.h - small UTF-8 text helpers shared by connectors and the engine.
 */
#ifndef XCHECK_TEXT_H
#define XCHECK_TEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The byte-order mark every CSV for people starts with: Excel on Chinese
 * Windows reads a CSV as UTF-8 only with it (xcheck's own readers skip it). */
#define XC_CSV_BOM "\xEF\xBB\xBF"

/* FNV-1a of s[0..len), for the tables that look texts up by their bytes. */
uint64_t xc_text_hash(const char *s, size_t len);

/* A size in bytes: digits, optionally followed (spaces allowed) by K, M, G
 * or T, with or without B or iB, in either case, all of them powers of
 * 1024 ("512M", "2 GiB"). Returns XC_OK, or -1 (*ret untouched) for
 * anything else or more than 2^62 bytes. */
int xc_size_parse(const char *s, uint64_t *ret);

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool xc_utf8_valid(const char *s, size_t len);

/* The longest prefix of s[0..len) of at most max bytes that does not cut a
 * UTF-8 character: its length. */
size_t xc_utf8_prefix(const char *s, size_t len, size_t max);

/* Control characters text cannot truly hold: C0 (U+0000-U+001F) except tab,
 * line feed and carriage return (a quoted CSV field may hold line breaks),
 * DEL (U+007F) and C1 (U+0080-U+009F, UTF-8 C2 80-C2 9F). Returns the byte
 * offset of the first one in s[0..len) (well-formed UTF-8), setting *ret_cp
 * to its code point, or (size_t)-1 when there is none. */
size_t xc_text_control(const char *s, size_t len, unsigned *ret_cp);

/* True when every byte of s[0..len) is printable ASCII (0x20-0x7E): text
 * that is valid UTF-8 and holds no control character, known eight bytes at
 * a time. False says nothing: xc_utf8_valid() and xc_text_control() tell. */
static inline bool xc_text_plain(const char *s, size_t len)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w, del;
        memcpy(&w, s + i, 8);
        del = w ^ (0x7F * ones);
        /* a byte with its high bit set, one below 0x20, one equal to 0x7F */
        if ((w | ((w - 0x20 * ones) & ~w) | ((del - ones) & ~del)) & high)
            return false;
    }
    for (; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7E)
            return false;
    return true;
}

/* Writes s[0..len) into out (outsz > 0, NUL-terminated, cut short when it
 * does not fit) with every character xc_text_control() finds shown as
 * <U+XXXX>. Returns out. */
const char *xc_text_show_controls(const char *s, size_t len, char *out, size_t outsz);

/* Narrows s[0..*len) in place to drop leading and trailing blanks: ASCII
 * white space, no-break space and the ideographic space U+3000. Returns the
 * new start. */
const char *xc_trim(const char *s, size_t *len);

struct xc_err;

struct xc_buf;

/* Writes s[0..len) into out as CSV field text: quoted when it holds the
 * delimiter ',', a quote or a line break, quotes doubled; a text that a
 * spreadsheet would run as a formula (= + - @ first, tab or carriage
 * return first; not a plain number like -500.00) gets a leading ' so it
 * stays inert text. Returns the bytes written (without NUL), or the size
 * needed when it exceeds outsz. */
size_t xc_csv_quote(const char *s, size_t len, char *out, size_t outsz);

/* Appends s[0..len) to b as one CSV field, as xc_csv_quote() writes it;
 * with mask, every run that could be an ID number is masked first
 * (xc_mask_ids()). */
void xc_csv_field(struct xc_buf *b, const char *s, size_t len, bool mask);

/* Appends s (NULL: empty) to b as one masked CSV field, then ',' or, for
 * the last field of a row, '\n': the cell of a file for people. */
void xc_csv_cell(struct xc_buf *b, const char *s, bool last);

/* Writes s to f as xc_csv_cell() does. Returns XC_OK, or XC_ENOMEM when
 * the cell could not be made: then only a line break is written in its
 * place (never the text unmasked), the row is short, and the file must not
 * be kept. */
int xc_csv_put(FILE *f, const char *s, bool last);

/* ---- output files ------------------------------------------------------
 *
 * Every file xcheck writes holds personal data, so it is written privately
 * and under a name no one else can plant:
 *
 * - An output directory is created 0700 when missing (its missing parents
 *   too). One that exists must be a real directory (not a symbolic link),
 *   owned by the effective user and writable neither by its group nor by
 *   others; only the directory itself is checked, its parents are trusted.
 * - A file is written first under a random temporary name beside its final
 *   one (".NAME.XXXXXX"), created with O_CREAT|O_EXCL|O_NOFOLLOW and mode
 *   0600 (set again with fchmod, whatever the umask), then flushed, synced
 *   and renamed over the final name. rename() replaces a symbolic link or a
 *   file planted under the final name: it is never followed, written through
 *   or reused. When anything fails the temporary file is removed and the
 *   previous file under the final name, if any, is left as it was.
 *
 * A single output file (verify -o FILE, diff -o FILE) may also go into a
 * shared directory with the sticky bit, such as /tmp, when that directory
 * belongs to root or to the user: there no one else can rename or remove
 * our temporary file, so the rename publishes what we wrote. Directories of
 * several outputs (run, sample) must be private: the workbook writer opens
 * its temporary file again by name. */

/* How xc_output_dir() judges a directory that exists. */
typedef enum xc_outdir_kind {
    XC_OUTDIR_PRIVATE,        /* owned by the user, not writable by others */
    XC_OUTDIR_FILE            /* as PRIVATE, or sticky and owned by root or
                               * the user: the directory of one output file */
} xc_outdir_kind;

/* Makes sure dir can take output files: creates it (and missing parents)
 * with mode 0700, or checks the directory that is there as `kind` says.
 * Returns XC_OK; XC_ECONFIG with err naming dir and a hint when it is a
 * symbolic link, not a directory, someone else's or writable by others;
 * XC_EIO when it cannot be created or examined. */
int xc_output_dir(const char *dir, xc_outdir_kind kind, struct xc_err *err);

/* As xc_output_dir(), but a missing dir is not created: returns XC_NOT_FOUND
 * for it (and sets nothing in err). */
int xc_output_dir_check(const char *dir, xc_outdir_kind kind, struct xc_err *err);

/* Creates dir and its missing parents with mode 0700 (mkdir -p), checking
 * none that is there. Returns XC_OK, or XC_EIO with err naming the
 * directory that could not be made. */
int xc_output_mkdirs(const char *dir, struct xc_err *err);

/* Sets err for a failure to write path (an output, named as the user knows
 * it) with errno e: "cannot write PATH: REASON", at path, with a hint when
 * the file system is full (ENOSPC), the user's quota is used up (EDQUOT) or
 * the file is over the size limit (EFBIG, ulimit -f). Returns XC_EIO. */
int xc_output_write_error(struct xc_err *err, const char *path, int e);

struct xc_output_file;

/* An output file being written. All members are owned by the object. */
typedef struct xc_output {
    FILE *f;                  /* the temporary file, open for writing; NULL
                               * once finished */
    char path[4096];          /* the final name, for messages */
    char tmp[4096];           /* the temporary name; "" when none is held */
    struct xc_output_file *file;  /* the descriptor under f, and the first
                                   * error of a write through f (stdio keeps
                                   * only a flag); NULL when none is held */
} xc_output;

/* Opens a temporary file for dir/name in dir. Requires dir accepted by
 * xc_output_dir(..., XC_OUTDIR_PRIVATE), which is checked again here (not
 * created), and name without a '/'. Returns XC_OK with o->f open, or
 * XC_ECONFIG / XC_EIO / XC_ENOMEM with err naming the path and o holding
 * nothing (no temporary file left either).
 * Finish with xc_output_commit() or xc_output_abort(). A writer that must
 * open the file by name itself (libxlsxwriter) may write to o->tmp and
 * leave o->f unused. */
int xc_output_open(xc_output *o, const char *dir, const char *name, struct xc_err *err);

/* As xc_output_open() for a file given as a path: its directory ("." when
 * it has no '/') is made or checked by xc_output_dir(..., XC_OUTDIR_FILE).
 * Returns XC_EIO also when path names no file ("", ending in '/'). */
int xc_output_open_file(xc_output *o, const char *path, struct xc_err *err);

/* Opens a file without a name in directory dir, for the process's own use
 * (read and written, mode 0600, closed on exec): O_TMPFILE where the file
 * system has it, else a random name removed at once, which is refused
 * (EPERM) in a directory anyone may write to without the sticky bit, where
 * someone else could take the name away first. Nothing is left behind
 * however the process ends. Returns the descriptor, or -1 with errno. */
int xc_unnamed_file(const char *dir);

/* The descriptor of the temporary file, for a writer that writes it
 * through a descriptor of its own (dup() it: zlib closes what it is given);
 * -1 when o holds none. */
int xc_output_fd(const xc_output *o);

/* Flushes, syncs and closes the temporary file, without renaming it yet:
 * so that the files of one output (sample.csv, sample-strata.csv,
 * sample.xlsx) are all complete before the first is renamed. Returns XC_OK
 * (o->f is then NULL, o->tmp still held: finish with xc_output_commit() or
 * xc_output_abort()), or XC_EIO as xc_output_commit() does, with the
 * temporary file removed and o holding nothing. */
int xc_output_finish(xc_output *o, struct xc_err *err);

/* Flushes, syncs and closes the temporary file (unless xc_output_finish()
 * did) and renames it to its final name. Returns XC_OK, or XC_EIO with err
 * naming the path (xc_output_write_error()) when a write, the sync, the
 * close or the rename failed: then the temporary file is removed and the
 * previous file is untouched. Either way o holds nothing afterwards (a
 * later xc_output_abort() does nothing). */
int xc_output_commit(xc_output *o, struct xc_err *err);

/* Closes and removes the temporary file; the previous file under the final
 * name is untouched. Does nothing when o holds nothing (zeroed, committed
 * or aborted before), so it can end every error path. */
void xc_output_abort(xc_output *o);

/* A string arena: copies of short texts that live as long as the arena,
 * in 64 KiB blocks. */
typedef struct xc_arena {
    struct xc_arena_block *head;
    size_t bytes;                 /* held, for the memory report */
} xc_arena;

/* Copies s[0..len) and a NUL into the arena. Returns the copy (owned by the
 * arena), or NULL when out of memory. */
char *xc_arena_dup(xc_arena *a, const char *s, size_t len);

/* Moves every block of `from` into `into` (texts keep their addresses). */
void xc_arena_move(xc_arena *into, xc_arena *from);

/* Frees every text; the arena is left empty. */
void xc_arena_free(xc_arena *a);

/* A growing string for building JSON and messages. A failed allocation is
 * remembered and makes xc_buf_take() return NULL. */
typedef struct xc_buf {
    char *p;
    size_t len, cap;
    bool failed;
} xc_buf;

void xc_buf_printf(xc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void xc_buf_vprintf(xc_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Appends s[0..n) as it is (NUL bytes included). */
void xc_buf_append(xc_buf *b, const char *s, size_t n);

/* Appends s as a JSON string (quoted and escaped); NULL appends null. */
void xc_buf_json(xc_buf *b, const char *s);

/* The text (malloc'ed, caller frees), or NULL when an append failed; the
 * buffer is left empty either way. */
char *xc_buf_take(xc_buf *b);

/* Frees the text; the buffer is left empty. */
void xc_buf_free(xc_buf *b);

#endif
