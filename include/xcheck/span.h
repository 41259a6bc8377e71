/*
 * span.h - what a dataset's converted rows hold in time, for its coverage:
 * the latest date of any date field, and the months its month fields name.
 */
#ifndef XCHECK_SPAN_H
#define XCHECK_SPAN_H

#include <stdbool.h>
#include <stdint.h>

#include "xcheck/date.h"
#include "xcheck/schema.h"

#define XC_SPAN_MONTHS ((XC_DATE_MAX_YEAR - XC_DATE_MIN_YEAR + 1) * 12)
#define XC_SPAN_FIRST (XC_DATE_MIN_YEAR * 12)      /* the xc_month of months[0] */
typedef struct xc_span {
    xc_date latest;                      /* XC_NO_DATE when none */
    uint8_t months[XC_SPAN_MONTHS / 8];  /* bit m - XC_SPAN_FIRST: month m held */
} xc_span;

/* Adds what from holds to into. */
void xc_span_merge(xc_span *into, const xc_span *from);

/* Whether month m is held. */
bool xc_span_has_month(const xc_span *s, xc_month m);

#endif
