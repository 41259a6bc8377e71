/*
 * writers.h - one writer per output format, each writing its files from a
 * run's result into an output directory: the table in outputs.c calls them
 * in turn. Internal to engine/output/.
 *
 * Every writer returns XC_OK, or XC_EIO / XC_ENOMEM with err naming the
 * file; a file is written whole or not at all (text.h: xc_output_open()).
 */
#ifndef XC_OUTPUT_WRITERS_H
#define XC_OUTPUT_WRITERS_H

#include "xcheck/error.h"
#include "xcheck/run.h"

typedef int xc_writer_fn(const xc_run_result *res, const char *dir, xc_err *err);

/* csv.c */
xc_writer_fn xc_write_accounting;   /* accounting.csv */
xc_writer_fn xc_write_flags;        /* flags.csv and evidence.jsonl */
xc_writer_fn xc_write_rates;        /* rates.csv */
xc_writer_fn xc_write_rules;        /* rules.csv */
xc_writer_fn xc_write_households;   /* households.csv */
xc_writer_fn xc_write_payments;     /* payments.csv, when payments were evaluated */

xc_writer_fn xc_write_workbook;     /* workbook.c: report.xlsx */
xc_writer_fn xc_write_page;         /* page.c: report.html */
xc_writer_fn xc_write_summary;      /* summary.c: summary.json */

#endif
