/* span.c - the months and latest date a dataset's rows hold. */
#include "xcheck/span.h"

void xc_span_merge(xc_span *into, const xc_span *from)
{
    if (from->latest != XC_NO_DATE && (into->latest == XC_NO_DATE || from->latest > into->latest))
        into->latest = from->latest;
    for (size_t i = 0; i < sizeof into->months; i++)
        into->months[i] |= from->months[i];
}

bool xc_span_has_month(const xc_span *s, xc_month m)
{
    int i = m - XC_SPAN_FIRST;
    return i >= 0 && i < XC_SPAN_MONTHS && (s->months[i / 8] >> (i % 8) & 1);
}
