/*
 * verify.h - field-verification outcomes read back (入户核查结果), and what
 * they say about the whole archive.
 *
 * The input is a sample drawn by `xcheck sample` (sample.h) with its
 * column 核查结果 filled in: 属实 (the visit found the household's problem:
 * for a flagged household, its flags are right; for an unflagged one, a
 * problem the checks missed), 不属实 (no problem found), or empty (not yet
 * visited: counted and reported, never taken as either). Any other value is
 * an error naming the file, row and column, and so is a 核查日期 that is not
 * a date.
 *
 * Estimates (z = 1.96, 95%):
 *
 *   per stratum h   p_h = confirmed_h / verified_h, the share with a problem;
 *                   projected count N_h * p_h
 *   per group       (flagged, unflagged, in the archive, exited, all) the
 *                   stratified estimate p = sum W_h p_h, W_h = N_h / N over
 *                   the strata with a verified household, and its variance
 *                   v = sum W_h^2 (1 - f_h) p_h (1 - p_h) / verified_h with
 *                   f_h = verified_h / N_h (finite-population correction)
 *
 * The interval is Wilson's score interval at an effective sample size:
 * n_eff = p (1 - p) / v (Korn and Graubard), or where v is 0 because every
 * stratum's outcomes agree, n_eff = 1 / sum W_h^2 (1 - f_h) / verified_h
 * (Kish's, the same formula with equal variances in every stratum); for a
 * single stratum both are verified_h / (1 - f_h). Where every stratum was
 * verified whole, the estimate is exact (n_eff infinite, no interval).
 * Strata without a verified household are left out of the group's estimate
 * and its population is reported apart (covered vs population).
 *
 * Per rule: among the verified households that carry the rule, the share
 * confirmed, with a plain Wilson interval (unweighted: how often the rule
 * was right in the sample). A household with several rules may have the
 * outcome of each in 分规则核查结果 ("HK-DECEASED 不属实；VH-CAR 属实"): a
 * rule counts its own outcome there, else the household's 核查结果 (empty:
 * not verified). The household's outcome, where empty, follows from them
 * for the strata (属实 when one is, 不属实 when all are given and none is),
 * and must agree with them where given.
 */
#ifndef XCHECK_VERIFY_H
#define XCHECK_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "xcheck/error.h"
#include "xcheck/text.h"

#define XC_Z95 1.959963984540054

/* Wilson's score interval for a share p observed over n (> 0, possibly an
 * effective, fractional size; INFINITY gives [p, p]), z standard errors
 * wide. */
void xc_wilson(double p, double n, double z, double *ret_lo, double *ret_hi);

typedef struct xc_stratum_count {
    size_t population;          /* N_h */
    size_t verified;            /* households with an outcome */
    size_t confirmed;           /* of those, 属实 */
} xc_stratum_count;

typedef struct xc_estimate {
    size_t population;          /* sum N_h */
    size_t covered;             /* sum N_h of the strata with a verified household */
    size_t verified, confirmed;
    bool estimated;             /* covered > 0; else the numbers below are NaN */
    double p, lo, hi;           /* the share with a problem and its interval */
    double n_eff;               /* effective sample size, INFINITY when exact */
    double projected, projected_lo, projected_hi;   /* times covered */
} xc_estimate;

/* The stratified estimate over strata s[0..n). */
void xc_estimate_strata(const xc_stratum_count *s, size_t n, xc_estimate *ret);

typedef struct xc_vstratum {
    const char *code;           /* "530102-在档-有疑点" */
    bool exited, flagged;
    size_t population, size;    /* N_h and n_h as the sample says */
    size_t rows;                /* rows found; size - rows are missing */
    size_t confirmed, not_confirmed, unverified;
    long line;                  /* its first row */
    xc_estimate est;
} xc_vstratum;

typedef struct xc_vrow {
    const char *archive_no;
    size_t stratum;
    long line;
    int outcome;                /* 1 属实, 0 不属实, -1 not yet verified (as
                                   given, or from the rules' outcomes) */
    int given;                  /* 核查结果 as filled in: what the rules that
                                   分规则核查结果 does not name take */
    const char *rules;          /* 疑点规则 */
    const char *rule_outcomes;  /* 分规则核查结果, "" when none */
    const char *date, *inspector, *remarks;   /* 核查日期, 核查人, 备注; "" when
                                                 empty or absent */
} xc_vrow;

typedef struct xc_vrule {
    const char *id;
    size_t rows, verified, confirmed;
    double p, lo, hi;           /* NaN when none verified */
} xc_vrule;

enum { XC_VG_FLAGGED, XC_VG_UNFLAGGED, XC_VG_ARCHIVE, XC_VG_EXITED, XC_VG_ALL, XC_VG_COUNT };

typedef struct xc_verify {
    char path[4096];
    const char *encoding;       /* how the file was read (table.h) */
    xc_vstratum *strata;        /* in the order of their first row */
    size_t n_strata;
    xc_vrow *rows;
    size_t n_rows;
    xc_vrule *rules;            /* by rule id */
    size_t n_rules;
    xc_estimate groups[XC_VG_COUNT];
    size_t verified, confirmed, unverified, missing;
    xc_arena arena;
} xc_verify;

/* "flagged", "unflagged", "in_archive", "exited", "all" and their Chinese
 * labels. */
const char *xc_verify_group_name(int g);
const char *xc_verify_group_zh(int g);

/* Reads a filled-in sample (CSV, or .xlsx: its sheet 样本) and computes
 * every estimate. Returns XC_OK, or XC_EIO / XC_EINPUT with err naming the
 * file, row and column, or XC_ENOMEM, *ret then holding nothing. Free
 * with xc_verify_free() after XC_OK. */
int xc_verify_load(const char *path, xc_verify *ret, xc_err *err);

/* Checks the sample against the run it was drawn from: every stratum's N_h
 * as rundir's households.csv gives it, and every household in its stratum.
 * Returns XC_OK or XC_EINPUT naming the sample's row. */
int xc_verify_check_run(const xc_verify *v, const char *rundir, xc_err *err);

/* Writes the estimates as CSV into the file path: one row per stratum,
 * group and rule. A private output file (text.h: xc_output_open_file(); its
 * directory is created 0700 if missing). Returns XC_OK, XC_ECONFIG (the
 * directory is unsafe) or XC_EIO. */
int xc_verify_write_csv(const xc_verify *v, const char *path, xc_err *err);

/* Adds the outcomes of the sample's verified flagged households to the
 * register of dispositions at path (the dataset `disposition`,
 * disposition.h), one row per household and rule of its 疑点规则: the
 * rule's outcome in 分规则核查结果, else the household's; 核查日期 the day
 * decided, 核查人 by whom, 备注 the note. The register is a CSV with the
 * header 档案编号,身份证号,规则,核查结果,核查日期,核查人,备注,有效期至 (UTF-8,
 * a byte-order mark): created when missing, else kept as it is with the
 * new rows after it (a decision it already holds, the same first five
 * cells, is not added again), and
 * replaced whole as a private file (text.h). *ret_added and *ret_kept
 * receive the rows added and those found there already. Returns XC_OK,
 * XC_EINPUT (a verified row without a 核查日期, or a file that is no such
 * register), XC_EIO, XC_ECONFIG (an unsafe directory) or XC_ENOMEM; the
 * register is unchanged unless XC_OK. */
int xc_verify_write_dispositions(const xc_verify *v, const char *path, size_t *ret_added,
                                 size_t *ret_kept, xc_err *err);

void xc_verify_free(xc_verify *v);

#endif
