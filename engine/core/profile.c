/* profile.c - reading policy profiles (INI through inih) into xc_profile. */
#include "xcheck/profile.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/record.h"
#include "xcheck/schema.h"

#include "ini_text.h"

/* P_PERIOD: months that divide the year; P_HOLIDAYS, P_WORKDAYS: date lists
 * of the calendar, which may be given on several lines. */
typedef enum { P_INT, P_NUMBER, P_MONEY, P_PERCENT, P_LIST, P_PERIOD, P_HOLIDAYS,
               P_WORKDAYS } ptype;

typedef struct param {
    const char *section, *key;
    ptype type;
    size_t offset;             /* into xc_profile */
    xc_ds_id ds;               /* P_LIST: the dataset ... */
    int field;                 /* ... and coded field whose values are listed */
    int min, max;              /* P_INT bounds */
} param;

#define OFF(m) offsetof(xc_profile, m)
static const param params[] = {
    {"audit", "period_months", P_INT, OFF(audit_period_months), 0, 0, 1, 120},
    {"income", "enroll_months", P_INT, OFF(enroll_months), 0, 0, 1, 24},
    {"income", "enroll_factor", P_NUMBER, OFF(enroll_factor), 0, 0, 0, 0},
    {"income", "exit_months", P_INT, OFF(exit_months), 0, 0, 1, 36},
    {"income", "wrong_exit_months", P_INT, OFF(wrong_exit_months), 0, 0, 1, 36},
    {"income", "relapse_months", P_INT, OFF(relapse_months), 0, 0, 1, 24},
    {"property", "residential_min", P_INT, OFF(residential_min), 0, 0, 1, 100},
    {"property", "commercial_usages", P_LIST, OFF(commercial_usages), XC_DS_PROPERTY,
     XC_PR_USAGE, 0, 0},
    {"vehicle", "kinds", P_LIST, OFF(vehicle_kinds), XC_DS_VEHICLE, XC_VH_KIND, 0, 0},
    {"vehicle", "min_price", P_MONEY, OFF(vehicle_min_price), 0, 0, 0, 0},
    {"business", "roles", P_LIST, OFF(business_roles), XC_DS_BUSINESS, XC_BZ_ROLE, 0, 0},
    {"business", "min_capital", P_MONEY, OFF(business_min_capital), 0, 0, 0, 0},
    {"contact", "visit_period_months", P_PERIOD, OFF(visit_period_months), 0, 0, 0, 0},
    {"contact", "visits_per_period", P_INT, OFF(visits_per_period), 0, 0, 1, 99},
    {"contact", "call_period_months", P_PERIOD, OFF(call_period_months), 0, 0, 0, 0},
    {"contact", "calls_per_period", P_INT, OFF(calls_per_period), 0, 0, 0, 99},
    {"contact", "window_months", P_INT, OFF(window_months), 0, 0, 1, 120},
    {"exit", "publicity_workdays", P_INT, OFF(publicity_workdays), 0, 0, 0, 60},
    {"exit", "followup_after_months", P_INT, OFF(followup_after_months), 0, 0, 1, 60},
    {"exit", "followup_min_months", P_INT, OFF(followup_min_months), 0, 0, 0, 60},
    {"exit", "holidays", P_HOLIDAYS, OFF(calendar), 0, 0, 0, 0},
    {"exit", "workdays", P_WORKDAYS, OFF(calendar), 0, 0, 0, 0},
    {"candidate", "income_months", P_INT, OFF(candidate_income_months), 0, 0, 1, 24},
    {"candidate", "income_factor", P_NUMBER, OFF(candidate_income_factor), 0, 0, 0, 0},
    {"thresholds", "mis_enrollment_max", P_PERCENT, OFF(threshold[XC_RATE_MIS_ENROLLMENT]), 0, 0, 0, 0},
    {"thresholds", "missed_exit_max", P_PERCENT, OFF(threshold[XC_RATE_MISSED_EXIT]), 0, 0, 0, 0},
    {"thresholds", "wrong_exit_max", P_PERCENT, OFF(threshold[XC_RATE_WRONG_EXIT]), 0, 0, 0, 0},
    {"thresholds", "missed_enrollment_max", P_PERCENT,
     OFF(threshold[XC_RATE_MISSED_ENROLLMENT]), 0, 0, 0, 0},
    {"thresholds", "pairing_coverage_min", P_PERCENT,
     OFF(threshold[XC_RATE_PAIRING_COVERAGE]), 0, 0, 0, 0},
    {"thresholds", "visit_compliance_min", P_PERCENT,
     OFF(threshold[XC_RATE_VISIT_COMPLIANCE]), 0, 0, 0, 0},
};
enum { N_PARAMS = sizeof params / sizeof params[0] };

static const struct { const char *name, *zh; bool max; } rates[XC_RATE_COUNT] = {
    {"mis_enrollment_rate", "错评率", true},
    {"missed_exit_rate", "漏退率", true},
    {"wrong_exit_rate", "错退率", true},
    {"missed_enrollment_rate", "漏评率", true},
    {"pairing_coverage", "结对帮扶覆盖率", false},
    {"visit_compliance", "走访达标率", false},
};

const char *xc_rate_name(xc_rate_id r) { return rates[r].name; }
const char *xc_rate_label_zh(xc_rate_id r) { return rates[r].zh; }
bool xc_rate_is_max(xc_rate_id r) { return rates[r].max; }

typedef struct load_ctx {
    xc_profile *p;
    xc_err *err;
    xc_ini_text it;
    int line;
    bool seen[N_PARAMS];
    int line_of[N_PARAMS];
    char sections[16][32];     /* the [section] lines seen ... */
    int section_line[16];      /* ... and where */
    int n_sections;
    bool failed;
} load_ctx;

static int fail(load_ctx *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(load_ctx *c, const char *key, const char *fmt, ...)
{
    if (c->failed)
        return 0;
    c->failed = true;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    xc_err_set(c->err, XC_ECONFIG, "%s:%d: %s", c->p->path, c->line, msg);
    xc_err_at(c->err, c->p->path, c->line, key);
    return 0;
}

static int set_list(load_ctx *c, const param *pm, const char *value, uint32_t *out)
{
    const xc_field_def *fd = &xc_dataset(pm->ds)->fields[pm->field];
    *out = 0;
    const char *p = value;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ", ");
        if (n == 0)
            break;
        int v = xc_field_value(fd, p, n);
        if (v < 0) {
            char known[200] = "";
            for (int i = 0; fd->values[i]; i++)
                snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s",
                         i ? ", " : "", fd->values[i]);
            return fail(c, pm->key, "[%s] %s: '%.*s' is not a value of %s.%s (%s)", pm->section,
                        pm->key, (int)n, p, xc_dataset(pm->ds)->name, fd->name, known);
        }
        *out |= 1u << v;
        p += n;
    }
    return 1;
}

static bool is_date_list(const param *pm)
{
    return pm->type == P_HOLIDAYS || pm->type == P_WORKDAYS;
}

static int set_dates(load_ctx *c, const param *pm, const char *value, xc_calendar *cal)
{
    char why[200];
    if (xc_calendar_add_list(cal, pm->type == P_WORKDAYS, value, why, sizeof why) < 0) {
        fail(c, pm->key, "[%s] %s: %s", pm->section, pm->key, why);
        xc_err_hint(c->err, "list dates as YYYY-MM-DD and ranges as "
                    "YYYY-MM-DD..YYYY-MM-DD, separated by commas; the key may be "
                    "repeated, each line adding to the list");
        return 0;
    }
    return 1;
}

static int on_key(void *user, const char *section, const char *key, const char *value)
{
    load_ctx *c = user;
    if (c->failed)
        return 0;
    c->line = c->it.line;
    const param *pm = NULL;
    int idx = 0;
    for (; idx < N_PARAMS; idx++)
        if (strcmp(params[idx].section, section) == 0 && strcmp(params[idx].key, key) == 0) {
            pm = &params[idx];
            break;
        }
    if (!pm)
        return fail(c, key, "unknown parameter '%s' in [%s] (see xcheck rules for the list)",
                    key, section);
    if (c->seen[idx] && !is_date_list(pm)) {
        fail(c, key, "[%s] %s: given twice, on line %d and here", section, key,
             c->line_of[idx]);
        xc_err_hint(c->err, "keep one of the two lines: a parameter takes one value (only "
                    "holidays and workdays may be repeated)");
        return 0;
    }
    if (!c->seen[idx])
        c->line_of[idx] = c->line;
    c->seen[idx] = true;
    char *at = (char *)c->p + pm->offset;
    char *end;
    errno = 0;
    switch (pm->type) {
    case P_INT: {
        long v = strtol(value, &end, 10);
        if (*end || end == value || errno || v < pm->min || v > pm->max)
            return fail(c, key, "[%s] %s: '%s' is not a whole number from %d to %d", section,
                        key, value, pm->min, pm->max);
        *(int *)at = (int)v;
        return 1;
    }
    case P_NUMBER: {
        double v = strtod(value, &end);
        if (*end || end == value || errno || !(v > 0 && v < 100))
            return fail(c, key, "[%s] %s: '%s' is not a number above 0", section, key, value);
        *(double *)at = v;
        return 1;
    }
    case P_MONEY:
        if (xc_money_parse(value, strlen(value), (int64_t *)at) < 0 || *(int64_t *)at < 0)
            return fail(c, key, "[%s] %s: '%s' is not an amount in yuan", section, key, value);
        return 1;
    case P_PERCENT: {
        double v = strtod(value, &end);
        if (end == value || strcmp(end, "%") != 0 || errno || !(v >= 0 && v <= 100))
            return fail(c, key, "[%s] %s: '%s' is not a percentage such as 0.5%%", section,
                        key, value);
        *(double *)at = v / 100;
        return 1;
    }
    case P_LIST:
        return set_list(c, pm, value, (uint32_t *)at);
    case P_PERIOD: {
        long v = strtol(value, &end, 10);
        if (*end || end == value || errno || v > 12 || !xc_period_months_valid((int)v))
            return fail(c, key, "[%s] %s: '%s' is not 1, 2, 3, 4, 6 or 12 (months that "
                        "divide the year into equal periods)", section, key, value);
        *(int *)at = (int)v;
        return 1;
    }
    case P_HOLIDAYS:
    case P_WORKDAYS:
        return set_dates(c, pm, value, (xc_calendar *)at);
    }
    return 1;
}

/* Sees each line before inih does: a [section] given twice would let a
 * second copy of a section pass unnoticed, an unknown one without keys too. */
static void on_line(void *user, const char *str)
{
    load_ctx *c = user;
    const char *p = str;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '[' || c->failed || p[1 + strcspn(p + 1, "]\n")] != ']')
        return;    /* no section; without ']' inih reports the line */
    c->line = c->it.line;
    size_t len = strcspn(p + 1, "]");
    char sec[32];
    snprintf(sec, sizeof sec, "%.*s", (int)(len < 31 ? len : 31), p + 1);
    bool known = false;
    for (int i = 0; i < N_PARAMS && !known; i++)
        known = strlen(params[i].section) == len && strncmp(params[i].section, p + 1, len) == 0;
    if (!known) {
        fail(c, NULL, "unknown section [%.*s]", (int)(len < 64 ? len : 64), p + 1);
        xc_err_hint(c->err, "the sections are audit, income, property, vehicle, business, "
                    "contact, exit, candidate and thresholds (see xcheck rules)");
        return;
    }
    for (int i = 0; i < c->n_sections; i++)
        if (strcmp(c->sections[i], sec) == 0) {
            fail(c, NULL, "section [%s] given twice, on line %d and here", sec,
                 c->section_line[i]);
            xc_err_hint(c->err, "put every parameter of [%s] under one [%s] line", sec, sec);
            return;
        }
    if (c->n_sections < 16) {
        snprintf(c->sections[c->n_sections], sizeof c->sections[0], "%s", sec);
        c->section_line[c->n_sections++] = c->line;
    }
}

static int param_index(const char *section, const char *key)
{
    for (int i = 0; i < N_PARAMS; i++)
        if (strcmp(params[i].section, section) == 0 && strcmp(params[i].key, key) == 0)
            return i;
    return -1;
}

/* Fails on the line of [section] key, which was seen. */
static void fail_at(load_ctx *c, const char *section, const char *key, const char *msg)
{
    c->line = c->line_of[param_index(section, key)];
    fail(c, key, "%s", msg);
}

/* A window must hold a complete period wherever as_of falls: a period of P
 * months that ends the day after as_of leaves the one before it complete
 * only when the window reaches back 2P months. */
static void check_window(load_ctx *c, const char *period_key, int period)
{
    const xc_profile *p = c->p;
    if (c->failed || p->window_months >= 2 * period)
        return;
    char msg[300];
    snprintf(msg, sizeof msg, "[contact] window_months: %d months cannot always hold a "
             "complete period of %s = %d; give at least %d", p->window_months, period_key,
             period, 2 * period);
    fail_at(c, "contact", "window_months", msg);
}

/* Checks that need several parameters. */
static void check_together(load_ctx *c)
{
    const xc_profile *p = c->p;
    check_window(c, "visit_period_months", p->visit_period_months);
    if (p->calls_per_period > 0)
        check_window(c, "call_period_months", p->call_period_months);
    if (!c->failed && p->followup_min_months > p->followup_after_months) {
        char msg[300];
        snprintf(msg, sizeof msg, "[exit] followup_min_months: %d is more than "
                 "followup_after_months (%d): no follow-up could be recorded in time",
                 p->followup_min_months, p->followup_after_months);
        fail_at(c, "exit", "followup_min_months", msg);
    }
}

static bool looks_like_path(const char *name)
{
    size_t n = strlen(name);
    return strchr(name, '/') || (n > 8 && strcmp(name + n - 8, ".profile") == 0);
}

int xc_profile_load(const char *name, const char *basedir, const char *rules_dir,
                    xc_profile *ret, xc_err *err)
{
    memset(ret, 0, sizeof *ret);
    snprintf(ret->name, sizeof ret->name, "%s", name);
    if (looks_like_path(name))
        snprintf(ret->path, sizeof ret->path, "%s%s%s", name[0] == '/' || !basedir ? "" : basedir,
                 name[0] == '/' || !basedir ? "" : "/", name);
    else
        snprintf(ret->path, sizeof ret->path, "%s/%s.profile", rules_dir, name);
    FILE *f = fopen(ret->path, "rb");
    if (!f) {
        xc_err_set(err, XC_EIO, "cannot open policy profile \"%s\": %s", ret->path,
                   strerror(errno));
        xc_err_at(err, ret->path, 0, NULL);
        xc_err_hint(err, "profiles shipped: default, yunnan, anhui-city, shandong, chengdu "
                    "(in %s); or give a path to your own .profile file", rules_dir);
        return XC_EIO;
    }
    char *text = NULL;
    size_t cap = 0;
    ssize_t len = getdelim(&text, &cap, '\0', f);
    /* getdelim() stops at a NUL byte: anything after one would be lost. */
    bool nul = len > 0 && (text[len - 1] == '\0' || fgetc(f) != EOF);
    fclose(f);
    if (len < 0) {
        free(text);
        return xc_err_set(err, XC_EIO, "cannot read policy profile \"%s\"", ret->path);
    }
    if (nul) {
        free(text);
        xc_err_set(err, XC_ECONFIG, "policy profile \"%s\" contains a NUL byte", ret->path);
        xc_err_at(err, ret->path, 0, NULL);
        xc_err_hint(err, "a profile is plain text; save it again as UTF-8");
        return XC_ECONFIG;
    }
    xc_calendar_init(&ret->calendar);
    load_ctx c = {.p = ret, .err = err};
    c.it.on_line = on_line;
    c.it.user = &c;
    int rc = xc_ini_parse(&c.it, text, on_key, &c);
    if (!c.failed && c.it.long_line) {
        c.line = c.it.long_line;
        fail(&c, c.it.long_key[0] ? c.it.long_key : NULL, "line longer than %d bytes",
             XC_INI_MAX_LINE);
        xc_err_hint(err, "a line is never split: give holidays and workdays on several "
                    "lines, one a year");
    }
    if (!c.failed && rc > 0) {
        c.line = rc;
        fail(&c, NULL, "cannot parse this line (expected [section] or key = value)");
    }
    for (int i = 0; i < N_PARAMS && !c.failed; i++)
        if (!c.seen[i]) {
            c.line = 0;
            fail(&c, params[i].key, "parameter [%s] %s is missing", params[i].section,
                 params[i].key);
        }
    if (!c.failed)
        check_together(&c);
    free(text);
    return c.failed ? XC_ECONFIG : XC_OK;
}

static void format_value(const xc_profile *p, const param *pm, char *buf, size_t bufsz)
{
    const char *at = (const char *)p + pm->offset;
    switch (pm->type) {
    case P_INT:
    case P_PERIOD: snprintf(buf, bufsz, "%d", *(const int *)at); break;
    case P_NUMBER: snprintf(buf, bufsz, "%g", *(const double *)at); break;
    case P_MONEY: {
        int64_t v = *(const int64_t *)at;
        snprintf(buf, bufsz, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
        break;
    }
    case P_PERCENT: snprintf(buf, bufsz, "%g%%", *(const double *)at * 100); break;
    case P_LIST: {
        const xc_field_def *fd = &xc_dataset(pm->ds)->fields[pm->field];
        uint32_t set = *(const uint32_t *)at;
        buf[0] = '\0';
        for (int v = 0; fd->values[v]; v++)
            if (set & (1u << v))
                snprintf(buf + strlen(buf), bufsz - strlen(buf), "%s%s", buf[0] ? ", " : "",
                         fd->values[v]);
        break;
    }
    case P_HOLIDAYS:
    case P_WORKDAYS: buf[0] = '\0'; break;
    }
}

/* Item i of a date list as text; returns its year. */
static int date_item(const xc_calendar *cal, bool workdays, int i, char item[static 24])
{
    char a[11], b[11];
    xc_date first = workdays ? cal->workdays[i] : cal->holidays[i].first;
    xc_date last = workdays ? first : cal->holidays[i].last;
    if (first == last)
        snprintf(item, 24, "%s", xc_date_format(first, a));
    else
        snprintf(item, 24, "%s..%s", xc_date_format(first, a), xc_date_format(last, b));
    int y, m, d;
    xc_date_to_ymd(first, &y, &m, &d);
    return y;
}

/* A date list is listed in entries of one year each, split further where an
 * entry would not fit bufsz. Writes entry k into buf (when there is one) and
 * returns the number of entries, 1 for an empty list. */
static int date_entries(const xc_calendar *cal, bool workdays, int k, char *buf, size_t bufsz)
{
    int n = workdays ? cal->n_workdays : cal->n_holidays;
    int entry = 0, year = 0;
    size_t len = 0;   /* of the entry being laid out */
    buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        char item[24];
        int y = date_item(cal, workdays, i, item);
        if (len > 0 && (y != year || len + 2 + strlen(item) >= bufsz))
            entry++, len = 0;
        year = y;
        if (entry == k)
            snprintf(buf + strlen(buf), bufsz - strlen(buf), "%s%s", len ? ", " : "", item);
        len += (len ? 2 : 0) + strlen(item);
    }
    return entry + 1;
}

bool xc_profile_param(const xc_profile *p, int i, const char **ret_section,
                      const char **ret_key, char *buf, size_t bufsz)
{
    if (i < 0 || bufsz == 0)
        return false;
    for (int j = 0, at = 0; j < N_PARAMS; j++) {
        const param *pm = &params[j];
        int k = i - at;
        int n = is_date_list(pm) ? date_entries(&p->calendar, pm->type == P_WORKDAYS, k, buf,
                                                bufsz) : 1;
        if (k < n) {
            *ret_section = pm->section;
            *ret_key = pm->key;
            if (!is_date_list(pm))
                format_value(p, pm, buf, bufsz);
            return true;
        }
        at += n;
    }
    return false;
}
