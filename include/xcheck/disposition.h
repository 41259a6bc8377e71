/*
 * disposition.h - what field verification decided about flags, applied to
 * a run's flags (核查处置登记).
 *
 * The optional dataset `disposition` (schema.def) holds, per flag, the
 * outcome of a verification: 属实 (confirmed: the flag was right) or 不属实
 * (rejected: a false positive), the day it was decided, by whom, a note
 * and an optional expiry. A row names its flag by rule and household
 * (archive_no), narrowed to one person by id_no where the household's
 * flags of the rule concern several; a flag about someone outside the
 * archive (a candidate, a payment's recipient) is named by id_no alone (a
 * row whose archive_no names no household of the archive names no one).
 *
 * The disposition in force for a flag on as_of is the latest decided on or
 * before as_of (of two on one day, the later row); it holds through its
 * last day (expires_on, when given). A flag whose disposition in
 * force is rejected is shown as 已核实排除 with its note, and kept out of
 * the rates and out of the diff's new flags; one whose disposition is
 * confirmed is shown with its verification. An expired disposition leaves
 * its flag as if never verified, and says so.
 */
#ifndef XCHECK_DISPOSITION_H
#define XCHECK_DISPOSITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xcheck/archive.h"
#include "xcheck/date.h"
#include "xcheck/facts.h"
#include "xcheck/plugin/rule.h"

/* What the register did in a run. Flags are counted once each; rows of
 * the register once each, by what became of them. */
typedef struct xc_disposition_counts {
    size_t rows;                /* rows of the register read (accepted) */
    size_t excluded;            /* flags kept out: rejected, in force */
    size_t confirmed;           /* flags shown with a confirmation in force */
    size_t expired;             /* flags whose latest disposition has expired */
    size_t rows_used;           /* rows in force for a flag of this run */
    size_t rows_later;          /* decided after as_of: not known on as_of */
    size_t rows_unknown_rule;   /* naming a rule xcheck does not have */
    size_t rows_unmatched;      /* the latest for no flag of this run (its
                                   flag resolved, or a later row decided it
                                   again) */
    size_t rows_outside;        /* of households outside the run's area
                                   (run --region): not looked at */
    char unknown_rules[120];    /* the first of those rules, "、"-separated */
} xc_disposition_counts;

/* Sets each flag's disposition (xc_flag.disposition) from the one in force
 * on as_of among the register's facts (xc_facts_all(facts,
 * XC_DS_DISPOSITION)), and fills *ret; outside (NULL: none) has bit h set
 * for the households outside the run's area, whose rows are counted apart.
 * A facts set without dispositions leaves every flag unverified. */
void xc_dispositions_apply(const xc_archive *a, const xc_facts *facts, xc_date as_of,
                           const uint8_t *outside, xc_flags *flags,
                           xc_disposition_counts *ret);

/* The disposition in force on as_of for flag f of archive a, as
 * xc_dispositions_apply() found it: what outputs show of it (date, who,
 * note). NULL when none is. */
const xc_fact_disposition *xc_disposition_of(const xc_archive *a, const xc_facts *facts,
                                             xc_date as_of, const xc_flag *f);

/* Whether flag f is kept out of the rates: its disposition in force is
 * rejected (不属实). */
bool xc_flag_excluded(const xc_flag *f);

/* For people: "已核实排除", "已核实属实", or "" without a disposition. */
const char *xc_flag_disposition_zh(const xc_flag *f);

/* For machines: "excluded", "confirmed", or "". */
const char *xc_flag_disposition_name(const xc_flag *f);

#endif
