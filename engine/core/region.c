/* region.c - look-ups in the generated GB/T 2260 table.
 *
 * Names are found by binary search (for display only); whether a code is
 * known is asked for every ID number read, so that is a bitmap over all six
 * digit codes (125 KiB), built once. */
#include "xcheck/region.h"

#include <stdlib.h>
#include <string.h>

#include <stdlib.h>
#include <threads.h>

static unsigned char known[1000000 / 8];
static once_flag known_once = ONCE_FLAG_INIT;

static void build_known(void)
{
    for (size_t i = 0; i < xc_gb2260_count; i++) {
        uint32_t c = xc_gb2260[i].code;
        known[c >> 3] |= (unsigned char)(1u << (c & 7));
    }
}

static bool is_known(uint32_t code)
{
    if (code >= 1000000)
        return false;
    call_once(&known_once, build_known);
    return known[code >> 3] & (1u << (code & 7));
}

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

bool xc_region_known(uint32_t code)
{
    return is_known(code);
}

bool xc_region_province_known(uint32_t code)
{
    return is_known(code / 10000 * 10000);
}

int xc_region_arg(const char *s, uint32_t *ret_prefix)
{
    size_t n = strspn(s, "0123456789");
    if (s[n] || (n != 2 && n != 4 && n != 6))
        return -1;
    uint32_t code = (uint32_t)strtoul(s, NULL, 10);
    if (code < (n == 2 ? 11u : n == 4 ? 1100u : 110000u))
        return -1;                          /* no province below 11 */
    return xc_region_prefix(code, (int)n, ret_prefix);
}

int xc_region_prefix(uint32_t code, int digits, uint32_t *ret_prefix)
{
    if (digits == 6 && code % 10000 == 0) {
        *ret_prefix = code / 10000;
        return 2;
    }
    if (digits == 6 && code % 100 == 0) {
        *ret_prefix = code / 100;
        return 4;
    }
    *ret_prefix = code;
    return digits;
}
