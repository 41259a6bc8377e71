/*
 * income.h - local minimum-living standards and household income by month.
 *
 * A person's monthly income is the sum of that month's social-insurance
 * amounts (contribution base, pension, unemployment benefit). A household's
 * per-capita income is the sum over its members divided by the number of
 * member rows. The local standard for a month is the dibao_standard row with
 * the longest region-code prefix of the household's region that has a row
 * in force, and among that code's rows the latest whose effective_from falls
 * in or before the month.
 */
#ifndef XCHECK_INCOME_H
#define XCHECK_INCOME_H

#include <stdbool.h>
#include <stdint.h>

#include "xcheck/facts.h"
#include "xcheck/plugin/rule.h"

/* Builds the standards table from the facts of dibao_standard. Returns
 * XC_OK or XC_ENOMEM. Caller frees with xc_standards_free(). */
int xc_standards_build(const xc_facts *f, xc_standards **ret);
void xc_standards_free(xc_standards *s);

/* The standard row in force for region (six digits) in month m, or NULL. */
const xc_fact_standard *xc_standard_for(const xc_standards *s, uint32_t region, xc_month m);

/* Whether social insurance covers month m: a month outside its coverage
 * cannot be judged, like a month without a standard. */
bool xc_income_covered(const xc_eval_ctx *ctx, xc_month m);

typedef struct xc_month_income {
    xc_month month;
    bool covered;           /* social insurance covers the month: else its
                               income is unknown (total 0, neither above nor
                               below) */
    int64_t total;          /* fen: the household's income that month */
    int members;            /* household size */
    int64_t standard;       /* fen per person, -1 when no standard applies */
    const xc_fact_standard *standard_row;
    bool above;             /* per-capita > standard x factor (the factor given) */
    bool below;             /* per-capita < standard */
} xc_month_income;

/* Whether the month can be judged: covered, with a standard, and someone
 * to divide by. */
bool xc_month_known(const xc_month_income *mi);

/* Fills out[0 .. to-from] with household h's income for months from..to,
 * comparing per-capita income with standard x factor for `above`.
 * Requires to - from < 240. */
void xc_household_income(const xc_eval_ctx *ctx, uint32_t h, xc_month from, xc_month to,
                         double factor, xc_month_income *out);

#endif
