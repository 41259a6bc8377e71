/*
 * evaluate.h - the evaluate stage: every evaluable rule over every household
 * in its scope, and the rates of the audit report.
 */
#ifndef XCHECK_EVALUATE_H
#define XCHECK_EVALUATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xcheck/plugin/rule.h"

typedef struct xc_rule_result {
    const xc_rule *rule;
    bool evaluated;          /* false: a dataset it needs is not configured */
    char why_not[160];       /* when not evaluated: which datasets are missing */
    size_t flags;            /* flags it raised */
    size_t households;       /* households (or payments, candidates) it
                                looked at */
    size_t not_judged;       /* of those, the ones it could not judge */
    size_t not_covered;      /* of those, the ones it could not judge for a
                                month its data does not cover */
} xc_rule_result;

/* Runs every rule of xc_rules() over the archive. Fills results[i] for rule
 * i (caller provides as many as xc_rules() returns) and appends flags to
 * out: the household rules' in household order, then each rule over all
 * facts in turn, its flags by the key of the person they concern (their
 * person's, else their subject). Returns XC_OK or XC_ENOMEM. */
int xc_evaluate(const xc_eval_ctx *ctx, xc_flags *out, xc_rule_result *results);

/* The households in windows whose facts come one window at a time (a run
 * whose facts were spilled, facts.h): load(user, i, &facts, &from, &to)
 * gives window i's facts (sealed, borrowed until release(user, i)) and its
 * households from..to-1; the windows follow one another and cover every
 * household. */
typedef struct xc_eval_windows {
    int n;
    int (*load)(void *user, int i, const xc_facts **ret, uint32_t *ret_from, uint32_t *ret_to);
    void (*release)(void *user, int i);
    void *user;
} xc_eval_windows;

/* xc_evaluate() window by window: the household rules over each window's
 * households with its facts; the rules over all facts (evaluate_all) over
 * each window's facts and then over ctx->facts (those kept in memory),
 * their flags in the order of the key of the person they concern, as
 * xc_evaluate() gives them. w NULL: xc_evaluate(). Returns XC_OK,
 * XC_ENOMEM, or the first negative value load returned. */
int xc_evaluate_windows(const xc_eval_ctx *ctx, const xc_eval_windows *w, xc_flags *out,
                        xc_rule_result *results);

typedef enum xc_group {
    XC_GROUP_TOTAL, XC_GROUP_PROVINCE, XC_GROUP_CITY, XC_GROUP_COUNTY, XC_GROUP_LEVEL
} xc_group;

const char *xc_group_name(xc_group g);   /* "total", "province", ... */

typedef struct xc_rate_row {
    xc_rate_id rate;
    xc_group group;
    uint32_t code;           /* region prefix (2, 4, 6 digits) or level index */
    uint64_t numerator, denominator;
    uint64_t excluded;       /* flags of the rate's rules kept out of it by a
                                verification in force (disposition.h) */
    bool evaluated;          /* some rule behind it was evaluated */
    bool complete;           /* every rule behind it was evaluated */
    double threshold;        /* the profile's */
    bool pass;               /* meaningful when evaluated and denominator > 0 */
} xc_rate_row;

/* Computes every rate per group (total first, then provinces, cities,
 * counties, levels in code order). A flag excluded by its disposition
 * (xc_flag_excluded()) counts in no numerator, only in `excluded`. Returns XC_OK or XC_ENOMEM; the caller
 * frees *ret with free(). */
int xc_rates_compute(const xc_eval_ctx *ctx, const xc_flags *flags,
                     const xc_rule_result *results, xc_rate_row **ret, size_t *ret_n);

/* What a rate row says: "not_evaluated", "no_households", "fail",
 * "incomplete" (it passes on the data the run saw, but that data is
 * partial: never a pass) or "pass". */
const char *xc_rate_result(const xc_rate_row *r);

/* The same for people: 未评估, 无适用户, 未达标, 数据不完整, 达标. */
const char *xc_rate_result_zh(const xc_rate_row *r);

/* The rule behind a rate's category: does rule r contribute to rate? */
bool xc_rate_uses_rule(xc_rate_id rate, const xc_rule *r);

#endif
