/*
 * rule.h - the rule interface, the evaluation context and flags.
 *
 * A rule looks at one household at a time, over the archive and the facts
 * the scans kept, and adds flags. Each rule has a stable id used by every
 * output and test. A rule is evaluated only when every dataset it needs was
 * configured; otherwise every output lists it as "not evaluated".
 *
 * Rules come in families: rules/<family>.c exports one xc_family with its
 * rules and the parameters they read (profile.h), and rules/meson.build
 * lists the families. Adding a rule to a family touches only that file.
 */
#ifndef XCHECK_RULE_H
#define XCHECK_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xcheck/archive.h"
#include "xcheck/date.h"
#include "xcheck/facts.h"
#include "xcheck/profile.h"
#include "xcheck/schema.h"

struct xc_buf;

typedef enum xc_category {
    XC_CAT_MIS_ENROLLMENT,     /* 错评 */
    XC_CAT_MISSED_EXIT,        /* 漏退 */
    XC_CAT_WRONG_EXIT,         /* 错退 */
    XC_CAT_MISSED_ENROLLMENT,  /* 漏评 */
    XC_CAT_RELAPSE,            /* 返困 */
    XC_CAT_DATA_QUALITY,       /* 数据质量 */
    XC_CAT_PROCESS,            /* 工作规范 */
    XC_CAT_COUNT
} xc_category;

const char *xc_category_name(xc_category c);       /* "mis_enrollment" */
const char *xc_category_label_zh(xc_category c);   /* "错评" */

/* The category called `name` (xc_category_name()), or XC_CAT_COUNT when
 * none is. */
xc_category xc_category_by_name(const char *name);

/* True for the categories a home visit confirms or not: the household
 * should not be in the archive (错评, 漏退) or should not have left it
 * (错退, 返困). Those are the flags of the visit lists (report.xlsx's
 * 入户核查清单) and of `xcheck sample`'s flagged households; the others
 * (数据质量, 工作规范, and 漏评, about people not archived) are checked
 * at the desk. */
bool xc_category_visited(xc_category c);

/* Household status values: short names of schema.h's XC_HH_STATUS_*. */
enum { XC_ST_ACTIVE = XC_HH_STATUS_ACTIVE, XC_ST_RELIEVED = XC_HH_STATUS_RELIEVED,
       XC_ST_EXITED = XC_HH_STATUS_EXITED, XC_ST_CANCELLED = XC_HH_STATUS_CANCELLED };

/* Which households a rule looks at. */
typedef enum xc_scope {
    XC_SCOPE_IN_ARCHIVE,       /* status active or relieved */
    XC_SCOPE_EXITED,           /* status exited */
    XC_SCOPE_ARCHIVED_OR_EXITED
} xc_scope;

typedef struct xc_standards xc_standards;

typedef struct xc_eval_ctx {
    const xc_archive *archive;
    const xc_facts *facts;          /* sealed */
    const xc_standards *standards;  /* from dibao_standard; NULL if absent */
    const xc_profile *profile;
    xc_date as_of;
    xc_month last_month;            /* the last month ended on or before as_of */
    xc_date audit_from;             /* audit_period: (audit_from, as_of] */
    bool configured[XC_DS_COUNT];
    uint32_t bound[XC_DS_COUNT];    /* per dataset, bit f: field f is mapped
                                       (optional fields may not be) */
    bool full_ids;                  /* evidence may hold whole ID numbers */
    int jobs;                       /* threads for the households; 0: one */
    const struct xc_span *income_months;   /* the months social insurance
                                       covers (span.h); NULL: every month */
    const struct xc_idtab *unseen;  /* people of member rows of no household
                                       read: whether they were archived
                                       cannot be judged (fb_unknown_to_archive());
                                       NULL: none */
    const uint8_t *partial;         /* bit h: household h has member rows the
                                       run could not read, so no household
                                       rule can judge it; NULL: none */
    const uint8_t *outside;         /* bit h: household h lies outside the
                                       area the run is limited to (--region):
                                       no rule looks at it, no rate counts it;
                                       NULL: none */
    uint32_t region;                /* that area's prefix (53, 5301, 530102) */
    int region_digits;              /* its digits; 0: the run is not limited,
                                       else flags of no household count only
                                       when their region lies in the area */
    const uint32_t *hh_rejected;    /* per household, bit d: dataset d has a
                                       rejected row about it (or a member):
                                       a rule needing d cannot judge it;
                                       NULL: none */
    const struct xc_idtab *rejected_keys;   /* person key -> index into
                                       rejected_masks; NULL: none */
    const uint32_t *rejected_masks; /* bit d: dataset d rejected a row of the
                                       person */
    size_t *not_covered;            /* for evaluate_all: where it counts the
                                       ones it could not judge for a month its
                                       data does not cover (set by
                                       xc_evaluate); household rules return
                                       XC_NOT_COVERED instead */
    bool archive_unknown;           /* rejected household or member rows of
                                       no one known: who is archived cannot
                                       be told of anyone */
    const void *state;              /* set by xc_evaluate for the rule it
                                       calls: what that rule's prepare made
                                       (NULL: none); borrowed for the call */
} xc_eval_ctx;

/* One month of a flag's income evidence: the household's income against
 * the local standard (the income rules, rules/income.c). */
typedef struct xc_flag_month {
    int64_t total;          /* fen: the household's income that month (0 when
                               not covered) */
    int64_t standard;       /* fen per person, -1 when no standard applies */
    int32_t members;        /* household size */
    bool covered;           /* social insurance covers the month: else its
                               income is unknown */
    bool above;             /* per capita > standard x factor */
    bool below;             /* per capita < standard */
} xc_flag_month;

/* A flag's month-by-month income: months first, first + 1, ..., in one
 * allocation with the record. The evidence text leaves them out; they are
 * written into it, at byte `at`, whenever it is serialised
 * (xc_flag_evidence()). */
typedef struct xc_flag_income {
    double factor;          /* the factor `above` was judged with */
    size_t at;              /* where "factor" and "months" go in the flag's
                               evidence text */
    xc_month first;
    uint32_t n;
    bool mask;              /* ID-like runs in them are masked, as in the rest
                               of the evidence (no full_ids) */
    xc_flag_month m[];
} xc_flag_income;

/* One finding. Pointers first, so that income costs a flag without months
 * no memory. */
/* What the verification in force for a flag found (disposition.h). */
typedef enum xc_flag_disposition {
    XC_FLAG_UNVERIFIED,     /* none in force */
    XC_FLAG_CONFIRMED,      /* 属实: the flag is right */
    XC_FLAG_EXCLUDED        /* 不属实: a false positive, kept out of the rates */
} xc_flag_disposition;

typedef struct xc_flag {
    const struct xc_rule *rule;
    uint64_t subject;       /* with no household: that person's ID key */
    char *summary;          /* readable evidence, one line, Chinese */
    char *evidence;         /* full evidence: a JSON object, without the
                               months of income (see income) */
    xc_flag_income *income; /* the months of income rules, owned; NULL for
                               every other flag */
    uint8_t category;       /* xc_category */
    uint8_t disposition;    /* xc_flag_disposition: what the verification in
                               force for it found (disposition.h) */
    uint32_t household;     /* XC_NONE: the flag concerns someone in no
                               household of the archive (a payment's
                               recipient, a candidate): see subject */
    uint32_t person;        /* the person concerned, XC_NONE for the household */
    uint32_t region;        /* with no household: where the flag counts
                               (a candidate's region code), else 0 */
    xc_date from;           /* the dates that decided it: when the condition */
    xc_date to;             /* started and ended (XC_NO_DATE when open/none) */
} xc_flag;

typedef struct xc_flags {
    xc_flag *v;
    size_t n, cap;
} xc_flags;

/* Adds a flag (a move: the list owns what f pointed to); takes ownership of
 * summary, evidence and income (malloc'ed, freed here on failure). Returns
 * XC_OK or XC_ENOMEM. */
int xc_flags_add(xc_flags *fl, const xc_flag *f);

/* Frees what one flag owns (its texts and income) and leaves those NULL:
 * for a flag that is dropped instead of added to a list. */
void xc_flag_clear(xc_flag *f);

/* Frees every flag's text and income and the array; the list is left
 * empty. */
void xc_flags_clear(xc_flags *fl);

/* A month's numbers as the evidence writes them: yuan with two decimals
 * ("1650.50"); income and per_capita "" when social insurance does not
 * cover the month, standard "" when none applies. */
typedef struct xc_flag_month_text {
    char income[32], per_capita[32], standard[32];
} xc_flag_month_text;

void xc_flag_month_text_of(const xc_flag_month *m, xc_flag_month_text *ret);

/* Appends the flag's whole evidence to b, one JSON object: its text with
 * "factor" and "months" written in where they belong. A failed allocation
 * is left in b->failed. */
void xc_flag_evidence(const xc_flag *f, struct xc_buf *b);

/* Appends only the ',"factor":..,"months":[..]' part (nothing without
 * income). */
void xc_flag_months_json(const xc_flag_income *inc, struct xc_buf *b);

/* 2: prepare and release. 3: rules come in families (xc_family) that
 * declare their parameters; rates pick rules by `rates`; needs_field is a
 * dataset and field. 4: check_zh, required of a rule whose flags a visit
 * confirms (xc_category_visited(), or split); xc_eval_ctx's outside,
 * region and region_digits. */
#define XC_RULE_ABI 4

/* A field of a dataset: household.cadre_id is {XC_DS_HOUSEHOLD, XC_HH_CADRE_ID}. */
typedef struct xc_field_ref {
    xc_ds_id ds;
    int field;          /* index into xc_dataset(ds)->fields */
} xc_field_ref;

/* Bit of xc_rule.rates for rate r. */
#define XC_RATE_BIT(r) (1u << (r))

/* A rule, written with designated initializers in its family's file; what
 * is left out is 0 or NULL. */
typedef struct xc_rule {
    int abi;                    /* XC_RULE_ABI; checked at registration */
    const char *id;             /* stable id: "HK-DECEASED" */
    const char *family;         /* its family's name (xc_family.name): "hukou" */
    xc_category category;       /* the category of its flags; for `split` rules
                                   mis_enrollment or missed_exit by the date */
    bool split;
    xc_scope scope;
    uint32_t needs;             /* bit set of the datasets it needs */
    const char *title_zh;       /* what it finds, for people */
    const char *title;
    /* 核查要点: what the caseworker checks on the visit, one short Chinese
     * sentence ("核实户主是否已死亡……"), shown beside the flag in the visit
     * lists. Required when the rule's category is one a visit confirms
     * (xc_category_visited(), or split): the family is refused without
     * it; NULL for the others. */
    const char *check_zh;
    /* The coverage rates (XC_RATE_BIT(XC_RATE_PAIRING_COVERAGE), ...) whose
     * households its flags take out of the numerator; 0: none. The error
     * rates go by category instead. */
    uint32_t rates;
    /* Evaluates household h, adding flags to out (from several threads at
     * once, for different households and outs). Returns XC_OK;
     * XC_NOT_JUDGED when the household cannot be judged (missing reference
     * data, such as a month without a local standard), XC_NOT_COVERED when
     * a month it needs lies outside what social insurance covers, both
     * counted and reported, not taken as passed; or a negative code
     * (XC_ENOMEM). */
    int (*evaluate)(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
    /* Instead of evaluate, for rules whose subjects are not households
     * (payments, candidates): looks at all of them once, adding flags to
     * out and counting in *ret_looked the subjects looked at and in
     * *ret_not_judged those it could not judge. Returns XC_OK or a
     * negative code. */
    int (*evaluate_all)(const xc_eval_ctx *ctx, xc_flags *out, size_t *ret_looked,
                        size_t *ret_not_judged);
    /* An optional field the rule needs mapped too (household.cadre_id), or
     * NULL; outputs name it "household.cadre_id" (xc_field_ref_name()). */
    const xc_field_ref *needs_field;
    /* Optional (NULL: none). Called once per evaluation of a rule that is
     * evaluated, before its first household, from one thread: decides once
     * what concerns the archive as a whole (such as every household sharing
     * a person's ID number) instead of once per household, into
     * *ret_state, which evaluate and evaluate_all then read as ctx->state
     * (from several threads at once). Returns XC_OK or a negative code
     * (XC_ENOMEM), which ends the evaluation. */
    int (*prepare)(const xc_eval_ctx *ctx, void **ret_state);
    /* Frees what prepare made, after the last call of the rule; NULL does
     * nothing. Required with prepare. */
    void (*release)(void *state);
} xc_rule;

/* A rule family: one file under rules/, exporting one of these. Its rules
 * read their parameters from ctx->profile by the declarations' addresses
 * (xc_profile_int(ctx->profile, &params[P_WINDOW]), ...). */
typedef struct xc_family {
    int abi;                        /* XC_RULE_ABI; checked at registration */
    const char *name;               /* "contact": its file, rules/contact.c */
    const xc_rule *const *rules;    /* NULL-terminated, in report order */
    const xc_param *params;         /* its parameters, in listing order */
    size_t n_params;
    /* Optional (NULL: none): checks that need several of its parameters,
     * once a profile is read. Returns XC_OK, or XC_ECONFIG with the reason
     * in why (whysz bytes) and in *ret_at the parameter whose line the
     * error names. */
    int (*check_params)(const xc_profile *p, char *why, size_t whysz, const xc_param **ret_at);
} xc_family;

/* Checks a family before it is registered: its ABI and each rule's (a
 * family or rule built for another ABI is refused), each rule's family
 * name, and that each rule evaluates one way. Returns XC_OK or XC_ECONFIG
 * with err saying which family or rule and why. */
int xc_family_check(const xc_family *f, xc_err *err);

/* Every family registered in this build, in report order (engine/core/registry.c).
 * A family refused by xc_family_check() is left out, and xc_families_error()
 * then returns XC_ECONFIG with the first refusal's message. */
const xc_family *const *xc_families(size_t *ret_n);
int xc_families_error(xc_err *err);

/* "household.cadre_id" into buf; returns buf. */
const char *xc_field_ref_name(const xc_field_ref *f, char *buf, size_t bufsz);

#define XC_NEEDS(ds) (1u << (ds))

/* Every rule of the registered families, in report order. */
const xc_rule *const *xc_rules(size_t *ret_n);

/* The rule with that id, or NULL. */
const xc_rule *xc_rule_by_id(const char *id);

/* True when every dataset the rule needs is configured. */
bool xc_rule_evaluable(const xc_rule *r, const bool configured[XC_DS_COUNT]);

/* Whether the rule will be evaluated: every dataset it needs configured and
 * its needs_field mapped (bound as xc_eval_ctx.bound: per dataset, bit f
 * for mapped field f). Returns true, or false with why (whysz bytes) saying
 * what is missing: "dataset hukou not configured; ..." or "field
 * household.cadre_id not mapped", as rules.csv says it. */
bool xc_rule_will_run(const xc_rule *r, const bool configured[XC_DS_COUNT],
                      const uint32_t bound[XC_DS_COUNT], char *why, size_t whysz);

/* mis_enrollment when a condition that started on `start` already held on
 * enrolled_on, else missed_exit. A condition with no known start is taken as
 * arising after enrollment. */
xc_category xc_split_category(xc_date start, xc_date enrolled_on);

/* True when a condition registered on `from` and ended on `to` (XC_NO_DATE:
 * not ended) held on day d. */
bool xc_held_on(xc_date from, xc_date to, xc_date d);

#endif
