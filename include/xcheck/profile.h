/*
 * profile.h - policy profiles: every threshold of the rules, in plain text.
 *
 * Provinces set their rules differently, so no threshold is a C constant: a
 * profile (rules/<name>.profile, INI style) gives each parameter with a
 * comment on its policy source, and a user copies and edits one. Every
 * parameter must be present; an unknown one is an error naming the file,
 * line and key.
 */
#ifndef XCHECK_PROFILE_H
#define XCHECK_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

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
    double threshold[XC_RATE_COUNT];   /* fractions: 0.01 = 1% */
} xc_profile;

/* Loads a profile: `name` is a file path when it contains '/' or ends in
 * ".profile" (relative paths against basedir), else rules_dir/<name>.profile.
 * Returns XC_OK, or XC_EIO / XC_ECONFIG with err naming file, line and key. */
int xc_profile_load(const char *name, const char *basedir, const char *rules_dir,
                    xc_profile *ret, xc_err *err);

/* Parameter names, in file order, and their values as text, for listing:
 * fills *ret_section, *ret_key and buf (value); returns false past the end. */
bool xc_profile_param(const xc_profile *p, int i, const char **ret_section,
                      const char **ret_key, char *buf, size_t bufsz);

/* Rates: stable id ("mis_enrollment_rate"), Chinese label, and whether the
 * threshold is a maximum (error rates) or a minimum (coverage rates). */
const char *xc_rate_name(xc_rate_id r);
const char *xc_rate_label_zh(xc_rate_id r);
bool xc_rate_is_max(xc_rate_id r);

#endif
