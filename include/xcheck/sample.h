/*
 * sample.h - field-verification samples (入户核查抽样): which households a
 * caseworker visits to check the run's flags, and the unflagged households
 * whose visit shows what the checks missed.
 *
 * The frame is a run's households.csv (every household) and flags.csv (its
 * flags: rule, category, summary; a flag a verification in force found
 * false, disposition excluded, is none of its flags but is shown among the
 * others). Households in the archive on as_of (in_archive = yes) and
 * households that had exited by then (exited = yes) are drawn; the others
 * (cancelled, or enrolled after as_of) are not. Exited households are
 * strata of their own, because wrong exits and relapses concern them.
 *
 * Strata: county (region code) x 在档 / 已退档 x 有疑点 / 无疑点. Flagged
 * means a flag of 错评, 漏退, 错退 or 返困: what a home visit confirms or
 * not (should the household be in the archive, or out of it). Flags of data
 * quality and process (数据质量, 工作规范) are shown to the visitor apart
 * (其他疑点) and do not make a household flagged. Each stratum gets
 *
 *   --size N             n_h = min(N, N_h)
 *   --share P --min M    n_h = min(N_h, max(M, ceil(P * N_h)))
 *
 * so a stratum smaller than its size is taken whole. Within a stratum the
 * households are put in archive-number order and a partial Fisher-Yates
 * shuffle draws n_h of them with xoshiro256** seeded from the seed and the
 * stratum's code (splitmix64): the same seed gives the same sample whatever
 * the order of the file, and a stratum's draw does not depend on the
 * others.
 *
 * Outputs, in the output directory:
 *   sample.csv         one row per drawn household (UTF-8 with a byte-order
 *                      mark, so that Excel opens it as UTF-8): stratum, its
 *                      N_h and n_h, county, 在档 / 已退档, 有疑点 / 无疑点,
 *                      archive number, worker, masked ID, the rules and
 *                      summaries of its flags, its other flags, and the
 *                      empty columns the
 *                      visit fills in: 核查结果 (属实 / 不属实), 核查日期,
 *                      核查人, 备注, and last 分规则核查结果 (optional: the
 *                      outcome of single rules of a household with several,
 *                      "HK-DECEASED 不属实；VH-CAR 属实")
 *   sample-strata.csv  one row per stratum: N_h, n_h, the seed, the method
 *   sample.xlsx        the same two tables as sheets 样本 and 分层
 */
#ifndef XCHECK_SAMPLE_H
#define XCHECK_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xcheck/date.h"
#include "xcheck/error.h"
#include "xcheck/text.h"

#define XC_SAMPLE_SEED 1u            /* the default seed */

/* ---- a seeded generator ---------------------------------------------------- */

typedef struct xc_rng {
    uint64_t s[4];
} xc_rng;

/* splitmix64: advances *state and returns the next output. */
uint64_t xc_splitmix64(uint64_t *state);

/* Seeds xoshiro256** with four splitmix64 outputs from seed. */
void xc_rng_seed(xc_rng *r, uint64_t seed);

/* The next xoshiro256** output. */
uint64_t xc_rng_next(xc_rng *r);

/* A uniform integer in [0, bound), bound > 0, without modulo bias. */
uint64_t xc_rng_below(xc_rng *r, uint64_t bound);

/* ---- the frame ------------------------------------------------------------- */

typedef struct xc_frame_hh {
    const char *archive_no;
    const char *region_code;    /* six digits: the county */
    const char *region_name;
    const char *worker_name;
    const char *masked_id;
    const char *rules;          /* "VH-CAR;BZ-ROLE": of its 错评, 漏退, 错退, 返困 flags */
    const char *summaries;      /* "VH-CAR：...；BZ-ROLE：...": of the same */
    const char *others;         /* its other flags (数据质量, 工作规范), the same way */
    bool exited;                /* else in the archive */
    bool flagged;               /* rules is not empty */
} xc_frame_hh;

typedef struct xc_frame {
    xc_frame_hh *v;
    size_t n, cap;
    size_t left_out;            /* households neither in the archive nor exited */
    xc_date as_of;              /* the run's (summary.json) */
    xc_arena arena;             /* the texts */
} xc_frame;

/* Loads rundir's households.csv, flags.csv and as_of from summary.json.
 * Returns XC_OK (free with xc_frame_free()), or XC_EIO / XC_EINPUT naming
 * the file, line and column, or XC_ENOMEM, *ret then holding nothing. */
int xc_frame_load(const char *rundir, xc_frame *ret, xc_err *err);

/* Adds a household, copying its texts (NULL taken as ""). Returns XC_OK or
 * XC_ENOMEM. */
int xc_frame_add(xc_frame *f, const xc_frame_hh *hh);

void xc_frame_free(xc_frame *f);

/* ---- drawing --------------------------------------------------------------- */

typedef struct xc_sample_opts {
    uint64_t seed;
    size_t size;                /* > 0: a fixed size per stratum */
    double share;               /* else: this share of each stratum, (0, 1] */
    size_t min;                 /* ... but at least this many */
} xc_sample_opts;

typedef struct xc_stratum {
    char code[48];              /* "530102-在档-有疑点" */
    const char *region_code, *region_name;   /* borrowed from the frame */
    bool exited, flagged;
    size_t population;          /* N_h */
    size_t size;                /* n_h */
} xc_stratum;

typedef struct xc_sample {
    xc_stratum *strata;         /* by county, 在档 before 已退档, flagged first */
    size_t n_strata;
    uint32_t *picked;           /* frame indices, by stratum, then archive number */
    uint32_t *picked_stratum;   /* the stratum of each */
    size_t n_picked;
    xc_sample_opts opts;
} xc_sample;

/* n_h for a stratum of `population` households. */
size_t xc_sample_size_for(size_t population, const xc_sample_opts *o);

/* The stratum code of a household ("530102-已退档-无疑点") into buf. */
void xc_stratum_code(const char *region_code, bool exited, bool flagged, char *buf,
                     size_t bufsz);

/* Draws the sample. Returns XC_OK or XC_ENOMEM; free with
 * xc_sample_free() in both cases. */
int xc_sample_draw(const xc_frame *f, const xc_sample_opts *o, xc_sample *ret, xc_err *err);

void xc_sample_free(xc_sample *s);

/* Writes sample.csv, sample-strata.csv and sample.xlsx into dir, as private
 * output files (text.h): dir is created 0700 if missing, else checked by
 * xc_output_dir(). rundir is recorded in the strata table. Returns XC_OK,
 * XC_ECONFIG (dir unsafe), XC_EIO or XC_ENOMEM. */
int xc_sample_write(const xc_frame *f, const xc_sample *s, const char *rundir,
                    const char *dir, xc_err *err);

/* Column headers of sample.csv / sample.xlsx that xcheck verify reads. */
#define XC_COL_STRATUM     "层"
#define XC_COL_POPULATION  "层总户数"
#define XC_COL_SIZE        "层样本数"
#define XC_COL_REGION_CODE "区县代码"
#define XC_COL_REGION      "地区"
#define XC_COL_GROUP       "类别"
#define XC_COL_FLAGGED     "有无疑点"
#define XC_COL_ARCHIVE_NO  "档案编号"
#define XC_COL_WORKER      "职工姓名"
#define XC_COL_MASKED_ID   "身份证号（脱敏）"
#define XC_COL_RULES       "疑点规则"
#define XC_COL_SUMMARIES   "疑点摘要"
#define XC_COL_OTHERS      "其他疑点"
#define XC_COL_OUTCOME     "核查结果"
#define XC_COL_RULE_OUTCOMES "分规则核查结果"   /* optional: "RULE 属实；RULE 不属实" */
#define XC_COL_DATE        "核查日期"
#define XC_COL_INSPECTOR   "核查人"
#define XC_COL_REMARKS     "备注"

#define XC_GROUP_ARCHIVE_ZH "在档"
#define XC_GROUP_EXITED_ZH  "已退档"
#define XC_FLAGGED_ZH       "有疑点"
#define XC_UNFLAGGED_ZH     "无疑点"
#define XC_CONFIRMED_ZH     "属实"
#define XC_NOT_CONFIRMED_ZH "不属实"

#endif
