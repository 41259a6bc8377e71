/* source.c - choosing a connector by the binding's source kind. */
#include <assert.h>

#include "xcheck/source.h"

int xc_source_open_part(const xc_binding *b, const xc_source_ctx *ctx, xc_source **ret,
                        xc_err *err)
{
    const xc_source_ops *ops = NULL;
    switch (b->kind) {
    case XC_KIND_FILE: ops = &xc_file_source_ops; break;
    case XC_KIND_POSTGRES: ops = &xc_postgres_source_ops; break;
    }
    assert(ops && ops->abi == XC_SOURCE_ABI);
    return ops->open(b, ctx, ret, err);
}

int xc_source_open(const xc_binding *b, xc_source **ret, xc_err *err)
{
    xc_source_ctx whole = {.part = 0, .parts = 1};
    return xc_source_open_part(b, &whole, ret, err);
}

int xc_source_next(xc_source *src, xc_raw_row *row, xc_err *err)
{
    return src->ops->next(src, row, err);
}

int xc_source_next_batch(xc_source *src, xc_raw_row *rows, int max, int *ret_n, xc_err *err)
{
    if (src->ops->next_batch)
        return src->ops->next_batch(src, rows, max, ret_n, err);
    *ret_n = 0;
    int rc = src->ops->next(src, rows, err);
    if (rc == XC_OK)
        *ret_n = 1;
    return rc;
}

void xc_source_close(xc_source *src)
{
    if (src)
        src->ops->close(src);
}
