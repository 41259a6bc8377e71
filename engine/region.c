/* region.c - look-ups in the generated GB/T 2260 table. */
#include "xcheck/region.h"

#include <stdlib.h>

static int cmp_code(const void *key, const void *elem)
{
    uint32_t k = *(const uint32_t *)key;
    uint32_t c = ((const xc_region_entry *)elem)->code;
    return (k > c) - (k < c);
}

const char *xc_region_name(uint32_t code)
{
    const xc_region_entry *e =
        bsearch(&code, xc_gb2260, xc_gb2260_count, sizeof *xc_gb2260, cmp_code);
    return e ? e->name : NULL;
}

bool xc_region_province_known(uint32_t code)
{
    return xc_region_name(code / 10000 * 10000) != NULL;
}
