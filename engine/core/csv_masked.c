/* csv_masked.c - CSV fields for people: quoted as xc_csv_quote() does,
 * with every run that could be an ID number masked (idno.h). Apart from
 * text.c, which the masking itself builds on. */
#include "xcheck/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/error.h"
#include "xcheck/idno.h"

void xc_csv_field(xc_buf *b, const char *s, size_t len, bool mask)
{
    xc_buf masked = {0};
    if (mask && !(s = xc_masked(s, &len, false, &masked))) {
        b->failed = true;
        xc_buf_free(&masked);
        return;
    }
    char small[512];
    size_t n = xc_csv_quote(s, len, small, sizeof small);
    if (n < sizeof small) {
        xc_buf_append(b, small, n);
    } else {
        char *big = malloc(n + 1);
        if (big) {
            xc_csv_quote(s, len, big, n + 1);
            xc_buf_append(b, big, n);
            free(big);
        } else {
            b->failed = true;
        }
    }
    xc_buf_free(&masked);
}

void xc_csv_cell(xc_buf *b, const char *s, bool last)
{
    xc_csv_field(b, s ? s : "", s ? strlen(s) : 0, true);
    xc_buf_append(b, last ? "\n" : ",", 1);
}

int xc_csv_put(FILE *f, const char *s, bool last)
{
    xc_buf b = {0};
    xc_csv_cell(&b, s, last);
    bool failed = b.failed;
    if (failed)
        fputs("\n", f);          /* out of memory: the file is short a field */
    else
        fwrite(b.p, 1, b.len, f);
    xc_buf_free(&b);
    return failed ? XC_ENOMEM : XC_OK;
}
