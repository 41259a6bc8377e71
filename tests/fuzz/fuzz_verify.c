/* fuzz_verify.c - a filled-in sample read back by xcheck verify on any
 * bytes, with its per-rule outcomes (分规则核查结果): it is read, or refused
 * with a message naming the file; what it reads adds up (every stratum's
 * rows within its size, the confirmed within the verified); and its
 * verified flags written as a register of dispositions give a file that
 * verify reads back as one, a second time adding nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "xcheck/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/xcheck-fuzz-verify-XXXXXX";
    if (fuzz_input_file(data, size, path) < 0)
        return 0;
    xc_verify v;
    xc_err err;
    xc_err_clear(&err);
    int rc = xc_verify_load(path, &v, &err);
    if (rc != XC_OK) {
        if (!err.msg[0] || !strstr(err.msg, path + 5))
            abort();                    /* refused without saying where */
        unlink(path);
        return 0;
    }
    size_t verified = 0;
    for (size_t h = 0; h < v.n_strata; h++) {
        const xc_vstratum *s = &v.strata[h];
        if (s->rows > s->size || s->confirmed + s->not_confirmed + s->unverified != s->rows)
            abort();
        verified += s->confirmed + s->not_confirmed;
    }
    if (verified != v.verified || v.confirmed > v.verified)
        abort();
    for (size_t i = 0; i < v.n_rules; i++)
        if (v.rules[i].confirmed > v.rules[i].verified || v.rules[i].verified > v.rules[i].rows)
            abort();
    char reg[sizeof path + 8];
    snprintf(reg, sizeof reg, "%s.reg", path);
    size_t added, kept, added2, kept2;
    rc = xc_verify_write_dispositions(&v, reg, &added, &kept, &err);
    if (rc == XC_OK) {
        if (kept != 0)
            abort();
        if (xc_verify_write_dispositions(&v, reg, &added2, &kept2, &err) != XC_OK ||
            added2 != 0 || kept2 != added)
            abort();                    /* the register written is not read as one */
    } else if (!err.msg[0]) {
        abort();
    }
    unlink(reg);
    xc_verify_free(&v);
    unlink(path);
    return 0;
}
