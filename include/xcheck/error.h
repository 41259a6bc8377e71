/*
 * error.h - status codes and the error object of the xcheck library.
 *
 * Library functions return an int: XC_OK (0) on success, XC_DONE (1) at the
 * end of a stream and nothing else, another positive code for an outcome
 * that is no failure (XC_NOT_COVERED, XC_NOT_JUDGED, XC_EXISTS,
 * XC_NOT_FOUND), a negative XC_E* code on failure. A function that can fail
 * takes an optional xc_err * (NULL allowed) and fills it with a primary
 * message, optional detail and hint, and the place the problem was found
 * (file or table, row, field). Library code never prints: only the program
 * (engine/cli/) does.
 */
#ifndef XCHECK_ERROR_H
#define XCHECK_ERROR_H

#include <stddef.h>

/* Marks a case that goes on into the next one (GCC and clang check it). */
#if defined(__GNUC__) || defined(__clang__)
#define XC_FALLTHROUGH __attribute__((fallthrough))
#else
#define XC_FALLTHROUGH ((void)0)
#endif

enum {
    XC_OK = 0,
    XC_DONE = 1,        /* end of stream, not an error */
    XC_NOT_COVERED = 2, /* a rule could not judge: a month it needs lies
                           outside what its data covers (not an error) */
    XC_NOT_JUDGED = 3,  /* a rule could not judge, for another reason */
    XC_EXISTS = 4,      /* what was to be added is there already */
    XC_NOT_FOUND = 5,   /* what was looked for is not there */
    XC_ENOMEM = -1,     /* out of memory */
    XC_EIO = -2,        /* a file could not be opened, read or written */
    XC_ECONFIG = -3,    /* the run configuration is wrong */
    XC_EINPUT = -4,     /* an input is unusable as a whole (missing column...) */
    XC_EINTERNAL = -5,  /* an invariant of the engine failed */
    XC_ESOURCE = -6     /* a source (database...) failed while reading */
};

typedef struct xc_err {
    int code;            /* the XC_E* code, XC_OK when nothing happened */
    char msg[1024];       /* primary message, one line, no trailing period */
    char detail[1024];    /* optional: what exactly was found ("" if none) */
    char hint[512];      /* optional: what the user can do ("" if none) */
    char where[512];     /* optional: file or table the problem is in */
    long row;            /* optional: 1-based line or row number, 0 if none */
    char field[64];      /* optional: logical field or config key */
} xc_err;

/* Resets err (NULL allowed) to "no error". */
void xc_err_clear(xc_err *err);

/* Sets err's code and printf-formatted primary message (fmt translated:
 * xcheck/i18n.h); keeps nothing of an
 * earlier error. Returns code, so callers can write
 * `return xc_err_set(err, XC_EIO, "...")`. err may be NULL. */
int xc_err_set(xc_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Adds a detail or hint line to an error already set. err may be NULL. */
void xc_err_detail(xc_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void xc_err_hint(xc_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Records where the error is: file or table (borrowed, copied), row (0 if
 * none), field or key (NULL if none). err may be NULL. */
void xc_err_at(xc_err *err, const char *where, long row, const char *field);

/* A short name for a status code ("out of memory"...), translated. */
const char *xc_strstatus(int code);

#endif
