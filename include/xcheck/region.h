/*
 * region.h - GB/T 2260 administrative region codes.
 *
 * The table (engine/gb2260.c) is generated from published lists by
 * engine/gen-gb2260.sh and includes codes abolished since 1980, because ID
 * numbers keep the code of the place and year they were issued in.
 */
#ifndef XCHECK_REGION_H
#define XCHECK_REGION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct xc_region_entry {
    uint32_t code;       /* six digits: province 2, city 2, county 2 */
    const char *name;    /* full name, province first, UTF-8 */
} xc_region_entry;

extern const xc_region_entry xc_gb2260[];   /* sorted by code */
extern const size_t xc_gb2260_count;

/* The full name of a six-digit code, or NULL when the code is not in the
 * table. Returns a static string. */
const char *xc_region_name(uint32_t code);

/* True when the six-digit code is in the table (same as xc_region_name()
 * != NULL, without the search). Thread-safe. */
bool xc_region_known(uint32_t code);

/* True when the province part (first two digits) of a six-digit code is a
 * known province. */
bool xc_region_province_known(uint32_t code);

/* Reads a code of `digits` digits (2, 4 or 6) as a region prefix: GB/T 2260
 * writes a province as 530000 and a city as 530100, and no county ends in
 * 00, so such six-digit codes are the 2- and 4-digit prefixes. Returns the
 * prefix's number of digits and stores the prefix in *ret_prefix. */
int xc_region_prefix(uint32_t code, int digits, uint32_t *ret_prefix);

/* Reads an area given by a person (--region, [run] region): 2, 4 or 6
 * digits, nothing else ("53", "5301", "530102"; "530100" is the city
 * 5301). Returns its digits, the area's prefix in *ret_prefix (53, 5301,
 * 530102), or -1 when s is no such code. Whether the area exists is not
 * checked. */
int xc_region_arg(const char *s, uint32_t *ret_prefix);

/* True when county `code` (6 digits) lies in the area `prefix` of
 * `digits` digits. */
static inline bool xc_region_in(uint32_t code, uint32_t prefix, int digits)
{
    return digits == 6 ? code == prefix : digits == 4 ? code / 100 == prefix
         : code / 10000 == prefix;
}

#endif
