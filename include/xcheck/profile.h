/*
 * profile.h - policy profiles: every threshold of the rules, in plain text.
 *
 * Provinces set their rules differently, so no threshold is a C constant.
 * Each parameter is declared once, where it is used: the rule families
 * (rules/<family>.c, see xc_family in rule.h) declare theirs, the engine its
 * own ([audit] and [thresholds]), each with its section, key, type, bounds,
 * default and a comment on where the default comes from. A profile
 * (rules/<name>.profile, INI style) gives the values a union changes from
 * those defaults, each with a comment on its policy source; a parameter it
 * leaves out takes its default, and the listing says so. An unknown
 * parameter is an error naming the file, line and key. A parameter is given
 * once, except the date lists of [exit] (holidays, workdays): each line of
 * one of them adds to the list, so a profile can give one line per year; a
 * profile giving one line of a list replaces that list's default whole.
 */
#ifndef XCHECK_PROFILE_H
#define XCHECK_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
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

/* How a parameter's value is written and kept. */
typedef enum xc_param_type {
    XC_PARAM_INT,        /* a whole number from min to max: int */
    XC_PARAM_NUMBER,     /* a number above 0, below 100 ("1.5"): double */
    XC_PARAM_MONEY,      /* an amount in yuan ("1,000.50"): int64_t fen */
    XC_PARAM_PERCENT,    /* "0.5%": double, the fraction (0.005) */
    XC_PARAM_LIST,       /* values of a coded field ("car, truck"): uint32_t,
                            bit v for value v of field `field` of dataset `ds` */
    XC_PARAM_PERIOD,     /* months that divide the year (1, 2, 3, 4, 6, 12): int */
    XC_PARAM_HOLIDAYS,   /* dates and ranges: into the profile's calendar */
    XC_PARAM_WORKDAYS    /* Saturdays and Sundays worked: into the calendar */
} xc_param_type;

/* A parameter's declaration: static, const, and its address is the handle
 * rules read the value by. */
typedef struct xc_param {
    const char *section;     /* "contact" */
    const char *key;         /* "window_months" */
    xc_param_type type;
    int min, max;            /* XC_PARAM_INT: bounds */
    int ds, field;           /* XC_PARAM_LIST: the xc_ds_id and the coded field
                                whose values are listed */
    const char *def;         /* the default, as a profile writes the value; a
                                date list's lines joined by '\n' */
    const char *comment;     /* where the default comes from (policy source) */
} xc_param;

enum { XC_PROFILE_MAX_PARAMS = 64 };

typedef union xc_param_value {
    int i;                   /* XC_PARAM_INT, XC_PARAM_PERIOD */
    double num;              /* XC_PARAM_NUMBER, XC_PARAM_PERCENT */
    int64_t money;           /* XC_PARAM_MONEY: fen */
    uint32_t set;            /* XC_PARAM_LIST */
} xc_param_value;

/* A profile: storage filled from the declarations, then from the file. */
typedef struct xc_profile {
    char name[256];            /* as given: "default" or a path */
    char path[4096];           /* the file read */
    /* The engine's own parameters, copied here once at load. */
    int audit_period_months;           /* [audit] period_months */
    double threshold[XC_RATE_COUNT];   /* [thresholds]; fractions: 0.01 = 1% */
    xc_calendar calendar;      /* [exit] holidays and workdays (调休上班) */
    /* Every declared parameter, in listing order: the engine's [audit],
     * the families' in registry order, the engine's [thresholds]. */
    int n_params;
    const xc_param *param[XC_PROFILE_MAX_PARAMS];   /* borrowed: static */
    xc_param_value value[XC_PROFILE_MAX_PARAMS];
    bool given[XC_PROFILE_MAX_PARAMS];   /* by the file; false: the default */
    /* param[] indices sorted by declaration address, for the accessors */
    uint8_t by_addr[XC_PROFILE_MAX_PARAMS];
} xc_profile;

/* Loads a profile: `name` is a file path when it contains '/' or ends in
 * ".profile" (relative paths against basedir), else rules_dir/<name>.profile.
 * Every declared parameter the file leaves out takes its default. Returns
 * XC_OK, or XC_EIO / XC_ECONFIG with err naming file, line and key (also
 * when a rule family was refused at registration, see xc_families()), or
 * XC_ENOMEM; a profile holds no memory of its own, so a failed one leaves
 * nothing to free. */
int xc_profile_load(const char *name, const char *basedir, const char *rules_dir,
                    xc_profile *ret, xc_err *err);

/* Fills *ret with every parameter's default and no file (name "defaults"),
 * for tests and tools. Returns XC_OK or XC_ECONFIG (a family refused, or a
 * declared default that does not parse: a programming error). */
int xc_profile_defaults(xc_profile *ret, xc_err *err);

/* Sets [section] key to value as a profile line would (a date list: this
 * line replaces the list). Returns XC_OK, XC_NOT_FOUND for an unknown
 * parameter, or XC_ECONFIG with err saying why the value is wrong. The
 * checks that need several parameters are not made. */
int xc_profile_set(xc_profile *p, const char *section, const char *key, const char *value,
                   xc_err *err);

/* The value of a declared parameter, by its declaration (the handle). The
 * declaration must be registered (a family's, or the engine's) and of the
 * accessor's type; costs a binary search over the declarations. */
int xc_profile_int(const xc_profile *p, const xc_param *decl);        /* INT, PERIOD */
double xc_profile_number(const xc_profile *p, const xc_param *decl);  /* NUMBER, PERCENT */
int64_t xc_profile_money(const xc_profile *p, const xc_param *decl);
uint32_t xc_profile_set_of(const xc_profile *p, const xc_param *decl); /* LIST */

/* Parameter names, in file order, and their values as text, for listing:
 * fills *ret_section, *ret_key and buf (value); returns false past the end.
 * A list that may be long ([exit] holidays, workdays) comes as several
 * entries under the same key, one per year and each fitting bufsz, as a
 * profile may write it; an empty list is one entry with an empty value. The
 * numbering of entries depends on bufsz: keep it the same through a loop. */
bool xc_profile_param(const xc_profile *p, int i, const char **ret_section,
                      const char **ret_key, char *buf, size_t bufsz);

/* Whether entry i of xc_profile_param (with the same bufsz) is a default:
 * the profile did not give that parameter. False past the end. */
bool xc_profile_param_is_default(const xc_profile *p, int i, size_t bufsz);

/* Rates: stable id ("mis_enrollment_rate"), Chinese label, and whether the
 * threshold is a maximum (error rates) or a minimum (coverage rates). */
const char *xc_rate_name(xc_rate_id r);
const char *xc_rate_label_zh(xc_rate_id r);
bool xc_rate_is_max(xc_rate_id r);

#endif
