/*
 * report_html.h - report.html: the run for people, in one self-contained
 * page with Chinese labels, for the auditors and caseworkers who must
 * defend every number in it.
 *
 * The page holds everything inline (CSS, a little vanilla JavaScript, SVG
 * drawn here), refers to no network address and no other file, so it opens
 * from a USB stick. It shows:
 *
 *   概览          households, persons, flags and the total rates
 *   运行信息      as_of, audit period, profile and its parameters, the
 *                 configuration and its hash, snapshot, version, run id,
 *                 times and the time of every stage
 *   数据来源      every dataset: source, strategy, read = matched +
 *                 unmatched + rejected, checked
 *   比率          every rate per total / province / city / county / level:
 *                 numerator, denominator, rate, threshold, pass or fail, or
 *                 "not evaluated" and why; bar charts against the threshold
 *   规则          every rule: evaluated or not (and why), households looked
 *                 at and not judged, flags; charts of flags by rule and by
 *                 category
 *   疑点清单      every flag (rule, category, archive number, region, level,
 *                 masked ID, dates, summary), searchable and sortable; an
 *                 income flag opens a chart of the household's per-capita
 *                 income by month against the local standard, drawn from
 *                 the flag's months (xc_flag_income), its numbers written
 *                 as evidence.jsonl writes them
 *
 * Privacy: no full ID number is written. Persons appear by their masked ID,
 * and any run of 15 or more digits in text taken from the data (names,
 * summaries, paths) is masked the same way (first 6, ********, last 4).
 * evidence.jsonl, which holds the raw ID texts, is not embedded. All text is
 * escaped for HTML.
 *
 * The same run gives the same bytes, apart from its times, which are each
 * written inside <span class="ts">...</span>.
 */
#ifndef XCHECK_REPORT_HTML_H
#define XCHECK_REPORT_HTML_H

#include "xcheck/error.h"
#include "xcheck/run.h"

/* Writes outdir/report.html for the run res (its stages done, times set).
 * Returns XC_OK, XC_EIO (err names the file) or XC_ENOMEM. */
int xc_report_write_html(const xc_run_result *res, const char *outdir, xc_err *err);

#endif
