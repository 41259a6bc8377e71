/*
 * payments.h - the union's assistance funds in the report: how much was
 * paid in the audit period, per program, and how much of it a PAY-* rule
 * flags.
 */
#ifndef XCHECK_PAYMENTS_H
#define XCHECK_PAYMENTS_H

#include <stdint.h>

#include "xcheck/plugin/rule.h"

enum { XC_PAY_PROGRAMS = XC_PM_PROGRAM_COUNT };   /* payment.program values */

typedef struct xc_payment_total {
    uint64_t payments;          /* in the audit period */
    int64_t amount;             /* fen */
    uint64_t flagged;           /* of those, flagged by some PAY-* rule */
    int64_t flagged_amount;
} xc_payment_total;

/* out[program] for each program value, out[XC_PAY_PROGRAMS] in total. */
void xc_payment_totals(const xc_eval_ctx *ctx, xc_payment_total out[XC_PAY_PROGRAMS + 1]);

/* "生活救助"..., "合计" for XC_PAY_PROGRAMS. */
const char *xc_payment_program_zh(int program);

#endif
