/*
 * outputs.h - the report stage: every file written from a run's result
 * into its output directory (the run itself writes only its rejects, as it
 * reads). One writer per format (engine/output/writers.h):
 *
 *   accounting.csv  every dataset's rows: read = matched + unmatched +
 *                   rejected, and the physical rows counted apart
 *   flags.csv       one row per flag: rule, category, archive_no, region,
 *                   level, masked ID, the dates that decided it, a summary
 *   evidence.jsonl  one JSON object per flag, in the same order: the
 *                   matched source rows, and for income rules the months,
 *                   written in from the flag's data (xc_flag_evidence())
 *   rates.csv       every rate per total / province / city / county / level,
 *                   with numerator, denominator, threshold and pass/fail
 *   rules.csv       every rule: evaluated or not (and why), flags raised
 *   households.csv  every household with its flags: the sampling frame
 *   payments.csv    the audit period's funds per program, and the share
 *                   flagged (when payments were evaluated)
 *   report.xlsx     the workbook for people
 *   report.html     the page for people
 *   summary.json    the run: as_of, profile, sources and row counts, rates,
 *                   flags per rule, rules not evaluated, time per stage
 *
 * Keys and column names are English; values for people may be Chinese.
 */
#ifndef XCHECK_OUTPUTS_H
#define XCHECK_OUTPUTS_H

#include "xcheck/error.h"
#include "xcheck/run.h"

/* Writes every output of res into outdir (created and checked by the run:
 * its rejects/ are already there), in the order above; the page and
 * summary.json last, once the run's times are known, which it completes
 * (seconds_report, seconds, finished). Returns XC_OK or a negative code
 * with err naming the file. */
int xc_outputs_write(xc_run_result *res, const char *outdir, xc_err *err);

#endif
