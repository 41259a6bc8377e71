/* error.c - the error object: formatting helpers, never printing. */
#include "xcheck/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void xc_err_clear(xc_err *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

int xc_err_set(xc_err *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    xc_err_clear(err);
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

void xc_err_detail(xc_err *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->detail, sizeof err->detail, fmt, ap);
    va_end(ap);
}

void xc_err_hint(xc_err *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->hint, sizeof err->hint, fmt, ap);
    va_end(ap);
}

void xc_err_at(xc_err *err, const char *where, long row, const char *field)
{
    if (!err)
        return;
    snprintf(err->where, sizeof err->where, "%s", where ? where : "");
    err->row = row;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
}

const char *xc_strstatus(int code)
{
    switch (code) {
    case XC_OK: return "ok";
    case XC_DONE: return "end of stream";
    case XC_NOT_COVERED: return "not judged: outside the data's coverage";
    case XC_NOT_JUDGED: return "not judged";
    case XC_EXISTS: return "already there";
    case XC_NOT_FOUND: return "not found";
    case XC_ENOMEM: return "out of memory";
    case XC_EIO: return "input/output error";
    case XC_ECONFIG: return "configuration error";
    case XC_EINPUT: return "unusable input";
    case XC_EINTERNAL: return "internal error";
    case XC_ESOURCE: return "source failed";
    }
    return "unknown status";
}
