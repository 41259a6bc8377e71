/*
 * report.h - the report stage: machine outputs of a run, written from its
 * result (the run itself writes only its rejects, as it reads).
 *
 *   flags.csv       one row per flag: rule, category, archive_no, region,
 *                   level, masked ID, the dates that decided it, a summary
 *   evidence.jsonl  one JSON object per flag, in the same order: the
 *                   matched source rows, and for income rules the months,
 *                   written in from the flag's data (xc_flag_evidence())
 *   rates.csv       every rate per total / province / city / county / level,
 *                   with numerator, denominator, threshold and pass/fail
 *   rules.csv       every rule: evaluated or not (and why), flags raised
 *   summary.json    the run: as_of, profile, sources and row counts, rates,
 *                   flags per rule, rules not evaluated, time per stage
 *
 * Keys and column names are English; values for people may be Chinese.
 */
#ifndef XCHECK_REPORT_H
#define XCHECK_REPORT_H

#include "xcheck/error.h"
#include "xcheck/evaluate.h"
#include "xcheck/run.h"

/* The report stage: writes every output of res into outdir (created and
 * checked by the run: its rejects/ are already there): accounting.csv, the
 * files below, report.xlsx, report.html, then summary.json with the run's
 * times, which it completes (seconds_report, seconds, finished). Returns
 * XC_OK or a negative code with err naming the file. */
int xc_outputs_write(xc_run_result *res, const char *outdir, xc_err *err);

/* Writes flags.csv, evidence.jsonl, rates.csv and rules.csv into outdir.
 * Returns XC_OK, XC_EIO or XC_ENOMEM. */
int xc_report_write(const xc_run_result *res, const char *outdir, xc_err *err);

/* Writes summary.json, last, once the run's times are known. */
int xc_report_write_summary(const xc_run_result *res, const char *outdir, xc_err *err);

/* Each household's flags, in flag order: first[h], then next[i] until
 * XC_NONE. Flags about someone in no household are in no list. */
typedef struct xc_household_flags {
    uint32_t *first, *next;
} xc_household_flags;

/* Builds the lists for res. Returns XC_OK or XC_ENOMEM; free with
 * xc_household_flags_free() either way. */
int xc_household_flags_build(const xc_run_result *res, xc_household_flags *hf);
void xc_household_flags_free(xc_household_flags *hf);

/* The masked ID of a flag's person, or of the worker for a household flag
 * ("" when unknown), as flags.csv shows it. */
void xc_flag_masked_id(const xc_archive *a, const xc_flag *fl, char out[static 32]);

/* A rate row's group code as in rates.csv ("all", "53", "530102", a
 * level), into buf. */
void xc_rate_row_code(const xc_rate_row *row, char *buf, size_t bufsz);

/* The display name of a rate row's group code ("云南省昆明市", "local"...),
 * into buf. */
const char *xc_rate_row_name(const xc_rate_row *row, char *buf, size_t bufsz);

#endif
