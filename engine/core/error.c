/* error.c - the error object: formatting helpers, never printing. The
 * formats are translated here (xcheck/i18n.h). */
#include "xcheck/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xcheck/i18n.h"

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
    vsnprintf(err->msg, sizeof err->msg, _(fmt), ap);
    va_end(ap);
    return code;
}

void xc_err_detail(xc_err *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->detail, sizeof err->detail, _(fmt), ap);
    va_end(ap);
}

void xc_err_hint(xc_err *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->hint, sizeof err->hint, _(fmt), ap);
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
    case XC_OK: return _("ok");
    case XC_DONE: return _("end of stream");
    case XC_NOT_COVERED: return _("not judged: outside the data's coverage");
    case XC_NOT_JUDGED: return _("not judged");
    case XC_EXISTS: return _("already there");
    case XC_NOT_FOUND: return _("not found");
    case XC_ENOMEM: return _("out of memory");
    case XC_EIO: return _("input/output error");
    case XC_ECONFIG: return _("configuration error");
    case XC_EINPUT: return _("unusable input");
    case XC_EINTERNAL: return _("internal error");
    case XC_ESOURCE: return _("source failed");
    }
    return _("unknown status");
}
