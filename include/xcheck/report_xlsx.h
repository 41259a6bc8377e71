/*
 * report_xlsx.h - report.xlsx: the run as an Excel workbook for people, with
 * Chinese headers, written through libxlsxwriter.
 *
 *   汇总          the run (as_of, audit period, profile, version, configuration
 *                 hash, run id, counts) and every rate in total and per
 *                 province / city / county / level: numerator, denominator,
 *                 rate (a percentage), threshold, 达标 / 未达标 / 未评估
 *   入户核查清单  the households with flags, by county then archive number:
 *                 worker, masked ID, region, the rules and summaries of their
 *                 flags, and empty columns for the visit (核查日期, 核查结果
 *                 with a 属实 / 不属实 drop-down, 核查人, 备注)
 *   错评, 漏退...  one sheet per flag category that a rule of this build can
 *                 raise (xc_category_label_zh), even when empty: every flag
 *                 with its rule, rule title, archive number, region, level,
 *                 person, masked ID, worker, dates and summary
 *   规则          every rule: category, evaluated or not (and why),
 *                 households looked at, not judged, flags
 *
 * Every sheet has a bold, filled header row that stays frozen and an
 * autofilter over its table. Text that could look like a number (ID numbers,
 * archive numbers, region codes) is written as text. ID numbers are only
 * ever written masked (first 6 + ******** + last 4), whatever --full-ids.
 *
 * The same run gives the same bytes: the document's creation time is the
 * run's as_of at 00:00 UTC (not the time of writing), title and author are
 * fixed, and libxlsxwriter dates every zip entry 1980-01-01.
 */
#ifndef XCHECK_REPORT_XLSX_H
#define XCHECK_REPORT_XLSX_H

#include "xcheck/error.h"
#include "xcheck/run.h"

/* Writes outdir/report.xlsx for the run res (its evaluate stage done).
 * Returns XC_OK, XC_EIO (err names the file and libxlsxwriter's reason) or
 * XC_ENOMEM. */
int xc_report_write_xlsx(const xc_run_result *res, const char *outdir, xc_err *err);

#endif
