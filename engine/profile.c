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

typedef enum { P_INT, P_NUMBER, P_MONEY, P_PERCENT, P_LIST } ptype;

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
    if (c->seen[idx])
        return fail(c, key, "[%s] %s: given twice (first on line %d)", section, key,
                    c->line_of[idx]);
    c->seen[idx] = true;
    c->line_of[idx] = c->line;
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
    }
    return 1;
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
    fclose(f);
    if (len < 0) {
        free(text);
        return xc_err_set(err, XC_EIO, "cannot read policy profile \"%s\"", ret->path);
    }
    load_ctx c = {.p = ret, .err = err};
    int rc = xc_ini_parse(&c.it, text, on_key, &c);
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
    free(text);
    return c.failed ? XC_ECONFIG : XC_OK;
}

bool xc_profile_param(const xc_profile *p, int i, const char **ret_section,
                      const char **ret_key, char *buf, size_t bufsz)
{
    if (i < 0 || i >= N_PARAMS)
        return false;
    const param *pm = &params[i];
    *ret_section = pm->section;
    *ret_key = pm->key;
    const char *at = (const char *)p + pm->offset;
    switch (pm->type) {
    case P_INT: snprintf(buf, bufsz, "%d", *(const int *)at); break;
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
    }
    return true;
}
