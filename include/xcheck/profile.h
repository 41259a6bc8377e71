/*
 * profile.h - policy profiles: every threshold of the rules, in plain text.
 *
 * Provinces set their rules differently, so no threshold is a C constant: a
 * profile (rules/<name>.profile, INI style) gives each parameter with a
 * comment on its policy source, and a user copies and edits one. Every
 * parameter must be present; an unknown one is an error naming the file,
 * line and key. A parameter is given once, except the date lists of [exit]
 * (holidays, workdays): each line of one of them adds to the list, so a
 * profile can give one line per year.
 */
#ifndef XCHECK_PROFILE_H
#define XCHECK_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "xcheck/calendar.h"
#include "xcheck/error.h"

typedef enum xc_rate_id {
    XC_RATE_MIS_ENROLLMENT,      /* 错评率 */
    XC_RATE_MISSED_EXIT,         /* 漏退率 */
    XC_RATE_WRONG_EXIT,          /* 错退率 */
    XC_RATE_MISSED_ENROLLMENT,   /* 漏评率 */
    XC_RATE_PAIRING_COVERAGE,    /* 结对帮扶覆盖率 */
    XC_RATE_VISIT_COMPLIANCE,    /* 走访达标率 */
    XC_RATE_COUNT
} xc_rate_id;

typedef struct xc_profile {
    char name[256];            /* as given: "default" or a path */
    char path[4096];           /* the file read */
    int audit_period_months;
    int enroll_months;
    double enroll_factor;
    int exit_months;
    int wrong_exit_months;
    int relapse_months;
    int residential_min;
    uint32_t commercial_usages;   /* bit set of property usage values */
    uint32_t vehicle_kinds;       /* bit set of vehicle kind values */
    int64_t vehicle_min_price;    /* fen */
    uint32_t business_roles;      /* bit set of business role values */
    int64_t business_min_capital; /* fen */
    /* [contact] CT-VISITS: contacts required per calendar period (periods
     * of 1, 2, 3, 4, 6 or 12 months aligned to the year: quarters start in
     * January, April, July, October) */
    int visit_period_months;      /* the period of home visits */
    int visits_per_period;        /* home visits required in each period, >= 1 */
    int call_period_months;       /* the period of phone contacts */
    int calls_per_period;         /* phone contacts per period; 0: none required */
    int window_months;            /* only complete periods inside the last N
                                     months before as_of count; at least twice
                                     every period in use, so one always fits */
    /* [exit] EX-PUBLICITY, EX-FOLLOWUP */
    int publicity_workdays;       /* minimum exit publicity, in working days;
                                     0: no minimum */
    int followup_after_months;    /* an exit this many months old needs... */
    int followup_min_months;      /* ...a follow-up dated at least this many
                                     months after the exit (<= the above) */
    xc_calendar calendar;         /* [exit] holidays and workdays (调休上班) */
    /* [candidate] CAND-ELIGIBLE */
    int candidate_income_months;  /* own income below the standard in each
                                     of the last N months */
    double candidate_income_factor; /* standard x factor */
    double threshold[XC_RATE_COUNT];   /* fractions: 0.01 = 1% */
} xc_profile;

/* Loads a profile: `name` is a file path when it contains '/' or ends in
 * ".profile" (relative paths against basedir), else rules_dir/<name>.profile.
 * Returns XC_OK, or XC_EIO / XC_ECONFIG with err naming file, line and key. */
int xc_profile_load(const char *name, const char *basedir, const char *rules_dir,
                    xc_profile *ret, xc_err *err);

/* Parameter names, in file order, and their values as text, for listing:
 * fills *ret_section, *ret_key and buf (value); returns false past the end.
 * A list that may be long ([exit] holidays, workdays) comes as several
 * entries under the same key, one per year and each fitting bufsz, as a
 * profile may write it; an empty list is one entry with an empty value. The
 * numbering of entries depends on bufsz: keep it the same through a loop. */
bool xc_profile_param(const xc_profile *p, int i, const char **ret_section,
                      const char **ret_key, char *buf, size_t bufsz);

/* Rates: stable id ("mis_enrollment_rate"), Chinese label, and whether the
 * threshold is a maximum (error rates) or a minimum (coverage rates). */
const char *xc_rate_name(xc_rate_id r);
const char *xc_rate_label_zh(xc_rate_id r);
bool xc_rate_is_max(xc_rate_id r);

#endif
