/*
 * present.h - what several outputs show the same way: a flag's masked ID,
 * a rate row's group code and name, each household's flags. Internal to
 * engine/output/.
 */
#ifndef XC_OUTPUT_PRESENT_H
#define XC_OUTPUT_PRESENT_H

#include <stddef.h>
#include <stdint.h>

#include "xcheck/run.h"
#include "xcheck/text.h"

/* Each household's flags, in flag order: first[h], then next[i] until
 * XC_NONE. Flags about someone in no household are in no list. */
typedef struct xc_household_flags {
    uint32_t *first, *next;
} xc_household_flags;

/* Builds the lists for res. Returns XC_OK (free with
 * xc_household_flags_free()) or XC_ENOMEM, hf then holding nothing. */
int xc_household_flags_build(const xc_run_result *res, xc_household_flags *hf);
void xc_household_flags_free(xc_household_flags *hf);

/* The masked ID of a flag's person, or of the worker for a household flag
 * ("" when unknown), as flags.csv shows it. */
void xc_flag_masked_id(const xc_archive *a, const xc_flag *fl, char out[static 32]);

/* The verification in force for flag fl of res (disposition.h), for
 * people, appended to b with every ID-like run of its note masked:
 * "已核实排除：系同名他人（2026-07-10 张三核实）", "已核实属实（2026-07-10 张三
 * 核实）"; without label (for a page that shows it apart), "系同名他人
 * （2026-07-10 张三核实）". Nothing for a flag without one. */
void xc_flag_disposition_text(const xc_run_result *res, const xc_flag *fl, bool label,
                              xc_buf *b);

/* A rate row's group code as in rates.csv ("all", "53", "530102", a
 * level), into buf. */
void xc_rate_row_code(const xc_rate_row *row, char *buf, size_t bufsz);

/* The display name of a rate row's group code ("云南省昆明市", "local"...),
 * into buf. */
const char *xc_rate_row_name(const xc_rate_row *row, char *buf, size_t bufsz);

/* The report's one title, the page's, the workbook's and its document's:
 * "[organisation]困难职工档案比对核查报告", into buf. */
const char *xc_report_title(const xc_run_result *res, char *buf, size_t bufsz);

/* The line under it: what the run covers ([report] scope, else the
 * archive's provinces by name), as of when, over which audit period. */
const char *xc_report_scope(const xc_run_result *res, char *buf, size_t bufsz);

#endif
