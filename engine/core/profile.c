/*
 * profile.c - policy profiles: the declared parameters (the engine's own
 * here, the rule families' in rules/), filled with their defaults, then
 * from a profile file (INI through inih).
 */
#include "xcheck/profile.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/i18n.h"
#include "xcheck/record.h"
#include "xcheck/plugin/rule.h"
#include "xcheck/schema.h"

#include "ini_text.h"

/* The engine's parameters: the audit period (run.c) and the rates'
 * thresholds (evaluate.c). Listed first ([audit]) and last ([thresholds]),
 * around the families'. */
static const xc_param audit_params[] = {
    {.section = "audit", .key = "period_months", .type = XC_PARAM_INT, .min = 1, .max = 120,
     .def = "12",
     .comment = "No seed sets a standing audit window; rules.md default: the exits of the "
                "12 months ending at as_of."},
};

#define PLACEHOLDER "Placeholder: the seeds do not publish the 全国总工会 (ACFTU) standard; " \
    "004 reports Yunnan 2020 figures 错误率0.05%、漏评率0.12%、错退率0.04%、漏退率0.81%, " \
    "\"均低于全国总工会的标准\"; 1% is a round value above all four"

/* In xc_rate_id order. */
static const xc_param threshold_params[XC_RATE_COUNT] = {
    [XC_RATE_MIS_ENROLLMENT] = {.section = "thresholds", .key = "mis_enrollment_max",
        .type = XC_PARAM_PERCENT, .def = "1%", .comment = PLACEHOLDER " (read as 错评率)."},
    [XC_RATE_MISSED_EXIT] = {.section = "thresholds", .key = "missed_exit_max",
        .type = XC_PARAM_PERCENT, .def = "1%", .comment = PLACEHOLDER " (漏退率0.81%)."},
    [XC_RATE_WRONG_EXIT] = {.section = "thresholds", .key = "wrong_exit_max",
        .type = XC_PARAM_PERCENT, .def = "1%", .comment = PLACEHOLDER " (错退率0.04%)."},
    [XC_RATE_MISSED_ENROLLMENT] = {.section = "thresholds", .key = "missed_enrollment_max",
        .type = XC_PARAM_PERCENT, .def = "1%", .comment = PLACEHOLDER " (漏评率0.12%)."},
    [XC_RATE_PAIRING_COVERAGE] = {.section = "thresholds", .key = "pairing_coverage_min",
        .type = XC_PARAM_PERCENT, .def = "100%",
        .comment = "000: \"确保困难职工家庭结对帮扶100%全覆盖\"; 002 pairs every household "
                   "with a contact person (\"一一对应安排\")."},
    [XC_RATE_VISIT_COMPLIANCE] = {.section = "thresholds", .key = "visit_compliance_min",
        .type = XC_PARAM_PERCENT, .def = "100%",
        .comment = "No seed publishes a 走访达标率. Every seed makes visits a duty for every "
                   "archived household (000, 001, 002, 003) and states no tolerance: 100%."},
};

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


static bool is_date_list(const xc_param *pm)
{
    return pm->type == XC_PARAM_HOLIDAYS || pm->type == XC_PARAM_WORKDAYS;
}

/* ---- the declarations --------------------------------------------------- */

static int add_decl(xc_profile *p, const xc_param *pm, xc_err *err)
{
    for (int i = 0; i < p->n_params; i++)
        if (strcmp(p->param[i]->section, pm->section) == 0 &&
            strcmp(p->param[i]->key, pm->key) == 0)
            return xc_err_set(err, XC_ECONFIG, "parameter [%s] %s is declared twice",
                              pm->section, pm->key);
    if (p->n_params == XC_PROFILE_MAX_PARAMS)
        return xc_err_set(err, XC_ECONFIG, "more than %d parameters declared",
                          XC_PROFILE_MAX_PARAMS);
    p->param[p->n_params++] = pm;
    return XC_OK;
}

/* Sorts the indices by declaration address (insertion: a few dozen). */
static void sort_by_addr(xc_profile *p)
{
    for (int i = 0; i < p->n_params; i++) {
        uint8_t v = (uint8_t)i;
        int j = i;
        for (; j > 0 && (uintptr_t)p->param[p->by_addr[j - 1]] > (uintptr_t)p->param[v]; j--)
            p->by_addr[j] = p->by_addr[j - 1];
        p->by_addr[j] = v;
    }
}

/* Every declared parameter into p, in listing order. */
static int collect(xc_profile *p, xc_err *err)
{
    int rc = xc_families_error(err);
    for (size_t i = 0; rc == XC_OK && i < sizeof audit_params / sizeof audit_params[0]; i++)
        rc = add_decl(p, &audit_params[i], err);
    size_t n_fam;
    const xc_family *const *fam = xc_families(&n_fam);
    for (size_t f = 0; rc == XC_OK && f < n_fam; f++)
        for (size_t i = 0; rc == XC_OK && i < fam[f]->n_params; i++)
            rc = add_decl(p, &fam[f]->params[i], err);
    for (int r = 0; rc == XC_OK && r < XC_RATE_COUNT; r++)
        rc = add_decl(p, &threshold_params[r], err);
    if (rc == XC_OK)
        sort_by_addr(p);
    return rc;
}

static int find_decl(const xc_profile *p, const xc_param *decl)
{
    int lo = 0, hi = p->n_params;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        uintptr_t at = (uintptr_t)p->param[p->by_addr[mid]];
        if (at == (uintptr_t)decl)
            return p->by_addr[mid];
        if (at < (uintptr_t)decl)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int find_key(const xc_profile *p, const char *section, const char *key)
{
    for (int i = 0; i < p->n_params; i++)
        if (strcmp(p->param[i]->section, section) == 0 && strcmp(p->param[i]->key, key) == 0)
            return i;
    return -1;
}

static const xc_param_value *value_of(const xc_profile *p, const xc_param *decl)
{
    static const xc_param_value none;   /* an unregistered handle, past the assert */
    int i = find_decl(p, decl);
    assert(i >= 0 && "parameter not registered");
    return i >= 0 ? &p->value[i] : &none;
}

int xc_profile_int(const xc_profile *p, const xc_param *decl)
{
    return value_of(p, decl)->i;
}

double xc_profile_number(const xc_profile *p, const xc_param *decl)
{
    return value_of(p, decl)->num;
}

int64_t xc_profile_money(const xc_profile *p, const xc_param *decl)
{
    return value_of(p, decl)->money;
}

uint32_t xc_profile_set_of(const xc_profile *p, const xc_param *decl)
{
    return value_of(p, decl)->set;
}

/* ---- values ------------------------------------------------------------- */

static int list_value(const xc_param *pm, const char *value, uint32_t *out, char *why,
                      size_t whysz)
{
    const xc_field_def *fd = &xc_dataset((xc_ds_id)pm->ds)->fields[pm->field];
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
            snprintf(why, whysz, _("[%s] %s: '%.*s' is not a value of %s.%s (%s)"), pm->section,
                     pm->key, (int)n, p, xc_dataset((xc_ds_id)pm->ds)->name, fd->name, known);
            return XC_ECONFIG;
        }
        *out |= 1u << v;
        p += n;
    }
    return XC_OK;
}

/* Parses value for pm into *out (or, for a date list, adds it to cal).
 * Returns XC_OK, or XC_ECONFIG with the message in why and, when there is
 * one, a hint in hint ("" else). */
static int parse_value(const xc_param *pm, const char *value, xc_param_value *out,
                       xc_calendar *cal, char *why, size_t whysz, char *hint, size_t hintsz)
{
    const char *section = pm->section, *key = pm->key;
    char *end;
    hint[0] = '\0';
    errno = 0;
    switch (pm->type) {
    case XC_PARAM_INT: {
        long v = strtol(value, &end, 10);
        if (*end || end == value || errno || v < pm->min || v > pm->max)
            break;
        out->i = (int)v;
        return XC_OK;
    }
    case XC_PARAM_NUMBER: {
        double v = strtod(value, &end);
        if (*end || end == value || errno || !(v > 0 && v < 100))
            break;
        out->num = v;
        return XC_OK;
    }
    case XC_PARAM_MONEY:
        if (xc_money_parse(value, strlen(value), &out->money) < 0 || out->money < 0)
            break;
        return XC_OK;
    case XC_PARAM_PERCENT: {
        double v = strtod(value, &end);
        if (end == value || strcmp(end, "%") != 0 || errno || !(v >= 0 && v <= 100))
            break;
        out->num = v / 100;
        return XC_OK;
    }
    case XC_PARAM_LIST:
        return list_value(pm, value, &out->set, why, whysz);
    case XC_PARAM_PERIOD: {
        long v = strtol(value, &end, 10);
        if (*end || end == value || errno || v > 12 || !xc_period_months_valid((int)v))
            break;
        out->i = (int)v;
        return XC_OK;
    }
    case XC_PARAM_HOLIDAYS:
    case XC_PARAM_WORKDAYS: {
        char item[200];
        if (xc_calendar_add_list(cal, pm->type == XC_PARAM_WORKDAYS, value, item,
                                 sizeof item) == 0)
            return XC_OK;
        snprintf(why, whysz, "[%s] %s: %s", section, key, item);
        snprintf(hint, hintsz, "%s", _("list dates as YYYY-MM-DD and ranges as "
                 "YYYY-MM-DD..YYYY-MM-DD, separated by commas; the key may be "
                 "repeated, each line adding to the list"));
        return XC_ECONFIG;
    }
    }
    static const char *const expected[] = {
        [XC_PARAM_NUMBER] = N_("a number above 0"),
        [XC_PARAM_MONEY] = N_("an amount in yuan"),
        /* xgettext:no-c-format */
        [XC_PARAM_PERCENT] = N_("a percentage such as 0.5%"),
        [XC_PARAM_PERIOD] = N_("1, 2, 3, 4, 6 or 12 (months that divide the year into equal "
                               "periods)"),
    };
    if (pm->type == XC_PARAM_INT)
        snprintf(why, whysz, _("[%s] %s: '%s' is not a whole number from %d to %d"), section,
                 key, value, pm->min, pm->max);
    else
        snprintf(why, whysz, _("[%s] %s: '%s' is not %s"), section, key, value,
                 _(expected[pm->type]));
    return XC_ECONFIG;
}

/* Empties the date list pm fills. */
static void clear_dates(xc_calendar *cal, const xc_param *pm)
{
    if (pm->type == XC_PARAM_WORKDAYS)
        cal->n_workdays = 0;
    else
        cal->n_holidays = 0;
}

/* Adds the default lines of date list pm ('\n' between them). */
static int default_dates(xc_profile *p, const xc_param *pm, char *why, size_t whysz,
                         char *hint, size_t hintsz)
{
    char line[4096];
    for (const char *d = pm->def; *d;) {
        size_t n = strcspn(d, "\n");
        snprintf(line, sizeof line, "%.*s", (int)n, d);
        int rc = parse_value(pm, line, NULL, &p->calendar, why, whysz, hint, hintsz);
        if (rc != XC_OK)
            return rc;
        d += n + (d[n] == '\n');
    }
    return XC_OK;
}

/* Every value but the date lists' to its default. */
static int set_defaults(xc_profile *p, xc_err *err)
{
    char why[400], hint[256];
    for (int i = 0; i < p->n_params; i++) {
        p->given[i] = false;
        if (!is_date_list(p->param[i]) &&
            parse_value(p->param[i], p->param[i]->def, &p->value[i], NULL, why, sizeof why,
                        hint, sizeof hint) != XC_OK)
            return xc_err_set(err, XC_ECONFIG, "the declared default of %s does not parse",
                              why);
    }
    return XC_OK;
}

/* The date lists the profile did not give take their defaults. */
static int default_date_lists(xc_profile *p, char *why, size_t whysz, char *hint,
                              size_t hintsz)
{
    for (int i = 0; i < p->n_params; i++)
        if (is_date_list(p->param[i]) && !p->given[i]) {
            int rc = default_dates(p, p->param[i], why, whysz, hint, hintsz);
            if (rc != XC_OK)
                return rc;
        }
    return XC_OK;
}

/* The engine's parameters into their fields. */
static void copy_engine_params(xc_profile *p)
{
    p->audit_period_months = xc_profile_int(p, &audit_params[0]);
    for (int r = 0; r < XC_RATE_COUNT; r++)
        p->threshold[r] = xc_profile_number(p, &threshold_params[r]);
}

/* An empty profile holding the declarations and their defaults, but the
 * date lists'. */
static int start(xc_profile *p, xc_err *err)
{
    memset(p, 0, sizeof *p);
    xc_calendar_init(&p->calendar);
    int rc = collect(p, err);
    return rc == XC_OK ? set_defaults(p, err) : rc;
}

int xc_profile_defaults(xc_profile *ret, xc_err *err)
{
    int rc = start(ret, err);
    char why[400], hint[256];
    if (rc == XC_OK && default_date_lists(ret, why, sizeof why, hint, sizeof hint) != XC_OK)
        rc = xc_err_set(err, XC_ECONFIG, "the declared default of %s does not parse", why);
    if (rc == XC_OK)
        copy_engine_params(ret);
    snprintf(ret->name, sizeof ret->name, "defaults");
    return rc;
}

int xc_profile_set(xc_profile *p, const char *section, const char *key, const char *value,
                   xc_err *err)
{
    int i = find_key(p, section, key);
    if (i < 0)
        return XC_NOT_FOUND;
    const xc_param *pm = p->param[i];
    char why[400], hint[256];
    if (is_date_list(pm))
        clear_dates(&p->calendar, pm);
    if (parse_value(pm, value, &p->value[i], &p->calendar, why, sizeof why, hint,
                    sizeof hint) != XC_OK) {
        xc_err_set(err, XC_ECONFIG, "%s", why);
        if (hint[0])
            xc_err_hint(err, "%s", hint);
        return XC_ECONFIG;
    }
    p->given[i] = true;
    copy_engine_params(p);
    return XC_OK;
}

/* ---- reading a profile -------------------------------------------------- */

typedef struct load_ctx {
    xc_profile *p;
    xc_err *err;
    xc_ini_text it;
    int line;
    int line_of[XC_PROFILE_MAX_PARAMS];
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

static int on_key(void *user, const char *section, const char *key, const char *value)
{
    load_ctx *c = user;
    if (c->failed)
        return 0;
    c->line = c->it.line;
    xc_profile *p = c->p;
    int idx = find_key(p, section, key);
    if (idx < 0)
        return fail(c, key, "unknown parameter '%s' in [%s] (see xcheck rules for the list)",
                    key, section);
    const xc_param *pm = p->param[idx];
    if (p->given[idx] && !is_date_list(pm)) {
        fail(c, key, "[%s] %s: given twice, on line %d and here", section, key,
             c->line_of[idx]);
        xc_err_hint(c->err, "keep one of the two lines: a parameter takes one value (only "
                    "holidays and workdays may be repeated)");
        return 0;
    }
    if (!p->given[idx])
        c->line_of[idx] = c->line;
    p->given[idx] = true;
    char why[400], hint[256];
    if (parse_value(pm, value, &p->value[idx], &p->calendar, why, sizeof why, hint,
                    sizeof hint) != XC_OK) {
        fail(c, key, "%s", why);
        if (hint[0])
            xc_err_hint(c->err, "%s", hint);
        return 0;
    }
    return 1;
}

static bool section_known(const xc_profile *p, const char *name, size_t len)
{
    for (int i = 0; i < p->n_params; i++)
        if (strlen(p->param[i]->section) == len && strncmp(p->param[i]->section, name, len) == 0)
            return true;
    return false;
}

/* "audit, income, ... and thresholds" into buf. */
static void list_sections(const xc_profile *p, char *buf, size_t bufsz)
{
    const char *seen[XC_PROFILE_MAX_PARAMS];
    int n = 0;
    for (int i = 0; i < p->n_params; i++) {
        int k = 0;
        while (k < n && strcmp(seen[k], p->param[i]->section) != 0)
            k++;
        if (k == n)
            seen[n++] = p->param[i]->section;
    }
    buf[0] = '\0';
    for (int k = 0; k < n; k++)
        snprintf(buf + strlen(buf), bufsz - strlen(buf), "%s%s",
                 k == 0 ? "" : k == n - 1 ? " and " : ", ", seen[k]);
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
    if (!section_known(c->p, p + 1, len)) {
        char known[512];
        list_sections(c->p, known, sizeof known);
        fail(c, NULL, "unknown section [%.*s]", (int)(len < 64 ? len : 64), p + 1);
        xc_err_hint(c->err, "the sections are %s (see xcheck rules)", known);
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

/* The families' checks that need several parameters; an error names the
 * line of the parameter the family points at (0 when it is a default). */
static void check_together(load_ctx *c)
{
    size_t n_fam;
    const xc_family *const *fam = xc_families(&n_fam);
    for (size_t f = 0; f < n_fam && !c->failed; f++) {
        char why[300];
        const xc_param *at = NULL;
        if (!fam[f]->check_params ||
            fam[f]->check_params(c->p, why, sizeof why, &at) == XC_OK)
            continue;
        int i = at ? find_decl(c->p, at) : -1;
        c->line = i >= 0 && c->p->given[i] ? c->line_of[i] : 0;
        fail(c, at ? at->key : NULL, "%s", why);
    }
}

/* Reads the file into *ret_text (malloc'ed). */
static int read_text(xc_profile *p, const char *rules_dir, char **ret_text, xc_err *err)
{
    FILE *f = fopen(p->path, "rb");
    if (!f) {
        xc_err_set(err, XC_EIO, "cannot open policy profile \"%s\": %s", p->path,
                   strerror(errno));
        xc_err_at(err, p->path, 0, NULL);
        xc_err_hint(err, "profiles shipped: default, yunnan, anhui-city, shandong, chengdu "
                    "(in %s); or give a path to your own .profile file", rules_dir);
        return XC_EIO;
    }
    char *text = NULL;
    size_t cap = 0;
    errno = 0;
    ssize_t len = getdelim(&text, &cap, '\0', f);
    int read_errno = errno;
    /* An empty file is an empty profile: every parameter at its default. */
    if (len < 0 && !ferror(f) && read_errno != ENOMEM) {
        free(text);
        len = 0;
        if (!(text = calloc(1, 1)))
            read_errno = ENOMEM, len = -1;
    }
    /* getdelim() stops at a NUL byte: anything after one would be lost. */
    bool nul = len > 0 && (text[len - 1] == '\0' || fgetc(f) != EOF);
    fclose(f);
    if (len < 0 && read_errno == ENOMEM) {
        free(text);
        return xc_err_set(err, XC_ENOMEM, "out of memory reading policy profile \"%s\"",
                          p->path);
    }
    if (len < 0) {
        free(text);
        return xc_err_set(err, XC_EIO, "cannot read policy profile \"%s\"", p->path);
    }
    if (nul) {
        free(text);
        xc_err_set(err, XC_ECONFIG, "policy profile \"%s\" contains a NUL byte", p->path);
        xc_err_at(err, p->path, 0, NULL);
        xc_err_hint(err, "a profile is plain text; save it again as UTF-8");
        return XC_ECONFIG;
    }
    *ret_text = text;
    return XC_OK;
}

static bool looks_like_path(const char *name)
{
    size_t n = strlen(name);
    return strchr(name, '/') || (n > 8 && strcmp(name + n - 8, ".profile") == 0);
}

int xc_profile_load(const char *name, const char *basedir, const char *rules_dir,
                    xc_profile *ret, xc_err *err)
{
    int rc = start(ret, err);
    if (rc != XC_OK)
        return rc;
    snprintf(ret->name, sizeof ret->name, "%s", name);
    if (looks_like_path(name))
        snprintf(ret->path, sizeof ret->path, "%s%s%s", name[0] == '/' || !basedir ? "" : basedir,
                 name[0] == '/' || !basedir ? "" : "/", name);
    else
        snprintf(ret->path, sizeof ret->path, "%s/%s.profile", rules_dir, name);
    char *text = NULL;
    rc = read_text(ret, rules_dir, &text, err);
    if (rc != XC_OK)
        return rc;
    load_ctx c = {.p = ret, .err = err};
    c.it.on_line = on_line;
    c.it.user = &c;
    rc = xc_ini_parse(&c.it, text, on_key, &c);
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
    char why[400], hint[256];
    if (!c.failed && default_date_lists(ret, why, sizeof why, hint, sizeof hint) != XC_OK) {
        c.line = 0;
        fail(&c, NULL, "the default does not fit the profile's dates: %s", why);
        xc_err_hint(err, "give both holidays and workdays, or neither");
    }
    if (!c.failed) {
        copy_engine_params(ret);
        check_together(&c);
    }
    free(text);
    return c.failed ? XC_ECONFIG : XC_OK;
}

static void format_value(const xc_profile *p, int j, char *buf, size_t bufsz)
{
    const xc_param *pm = p->param[j];
    const xc_param_value *v = &p->value[j];
    switch (pm->type) {
    case XC_PARAM_INT:
    case XC_PARAM_PERIOD: snprintf(buf, bufsz, "%d", v->i); break;
    case XC_PARAM_NUMBER: snprintf(buf, bufsz, "%g", v->num); break;
    case XC_PARAM_MONEY:
        snprintf(buf, bufsz, "%lld.%02lld", (long long)(v->money / 100),
                 (long long)(v->money % 100));
        break;
    case XC_PARAM_PERCENT: snprintf(buf, bufsz, "%g%%", v->num * 100); break;
    case XC_PARAM_LIST: {
        const xc_field_def *fd = &xc_dataset((xc_ds_id)pm->ds)->fields[pm->field];
        buf[0] = '\0';
        for (int k = 0; fd->values[k]; k++)
            if (v->set & (1u << k))
                snprintf(buf + strlen(buf), bufsz - strlen(buf), "%s%s", buf[0] ? ", " : "",
                         fd->values[k]);
        break;
    }
    case XC_PARAM_HOLIDAYS:
    case XC_PARAM_WORKDAYS: buf[0] = '\0'; break;
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

/* The parameter of entry i, its value in buf; -1 past the end. */
static int entry(const xc_profile *p, int i, char *buf, size_t bufsz)
{
    if (i < 0 || bufsz == 0)
        return -1;
    for (int j = 0, at = 0; j < p->n_params; j++) {
        const xc_param *pm = p->param[j];
        int k = i - at;
        int n = is_date_list(pm) ? date_entries(&p->calendar, pm->type == XC_PARAM_WORKDAYS, k,
                                                buf, bufsz) : 1;
        if (k < n) {
            if (!is_date_list(pm))
                format_value(p, j, buf, bufsz);
            return j;
        }
        at += n;
    }
    return -1;
}

bool xc_profile_param(const xc_profile *p, int i, const char **ret_section,
                      const char **ret_key, char *buf, size_t bufsz)
{
    int j = entry(p, i, buf, bufsz);
    if (j < 0)
        return false;
    *ret_section = p->param[j]->section;
    *ret_key = p->param[j]->key;
    return true;
}

bool xc_profile_param_is_default(const xc_profile *p, int i, size_t bufsz)
{
    char *buf = malloc(bufsz ? bufsz : 1);
    int j = buf ? entry(p, i, buf, bufsz) : -1;
    free(buf);
    return j >= 0 && !p->given[j];
}
