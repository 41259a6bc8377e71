/* rule.c - categories, flags and the helpers every rule family shares. */
#include "xcheck/rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { const char *name, *zh; } categories[XC_CAT_COUNT] = {
    {"mis_enrollment", "错评"},
    {"missed_exit", "漏退"},
    {"wrong_exit", "错退"},
    {"missed_enrollment", "漏评"},
    {"relapse", "返困"},
    {"data_quality", "数据质量"},
    {"process", "工作规范"},
};

const char *xc_category_name(xc_category c) { return categories[c].name; }
const char *xc_category_label_zh(xc_category c) { return categories[c].zh; }

int xc_flags_add(xc_flags *fl, const xc_flag *f)
{
    if (!f->summary || !f->evidence)
        goto fail;
    if (fl->n == fl->cap) {
        size_t cap = fl->cap ? fl->cap * 2 : 64;
        xc_flag *v = realloc(fl->v, cap * sizeof *v);
        if (!v)
            goto fail;
        fl->v = v;
        fl->cap = cap;
    }
    fl->v[fl->n++] = *f;
    return XC_OK;
fail:
    free(f->summary);
    free(f->evidence);
    return XC_ENOMEM;
}

void xc_flags_clear(xc_flags *fl)
{
    for (size_t i = 0; i < fl->n; i++) {
        free(fl->v[i].summary);
        free(fl->v[i].evidence);
    }
    free(fl->v);
    memset(fl, 0, sizeof *fl);
}

bool xc_rule_evaluable(const xc_rule *r, const bool configured[XC_DS_COUNT])
{
    for (int d = 0; d < XC_DS_COUNT; d++)
        if ((r->needs & XC_NEEDS(d)) && !configured[d])
            return false;
    return true;
}

xc_category xc_split_category(xc_date start, xc_date enrolled_on)
{
    return start != XC_NO_DATE && start <= enrolled_on ? XC_CAT_MIS_ENROLLMENT
                                                       : XC_CAT_MISSED_EXIT;
}

bool xc_held_on(xc_date from, xc_date to, xc_date d)
{
    return (from == XC_NO_DATE || from <= d) && (to == XC_NO_DATE || to > d);
}

const xc_rule *xc_rule_by_id(const char *id)
{
    size_t n;
    const xc_rule *const *all = xc_rules(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i]->id, id) == 0)
            return all[i];
    return NULL;
}

/* Why rule r of family f cannot be taken in, into err; XC_OK when it can. */
static int check_rule(const xc_family *f, const xc_rule *r, xc_err *err)
{
    const char *id = r->id ? r->id : "(no id)";
    if (r->abi != XC_RULE_ABI) {
        xc_err_set(err, XC_ECONFIG, "rule %s of family \"%s\" was built for rule ABI %d; "
                   "this xcheck takes ABI %d: the family is refused", id, f->name, r->abi,
                   XC_RULE_ABI);
        xc_err_hint(err, "rebuild rules/%s.c against this xcheck's include/xcheck/rule.h",
                    f->name);
        return XC_ECONFIG;
    }
    if (!r->id || !r->family || strcmp(r->family, f->name) != 0)
        return xc_err_set(err, XC_ECONFIG, "rule %s says it belongs to family \"%s\", but "
                          "family \"%s\" lists it", id, r->family ? r->family : "(none)",
                          f->name);
    if (!r->evaluate == !r->evaluate_all)
        return xc_err_set(err, XC_ECONFIG, "rule %s of family \"%s\" must give evaluate or "
                          "evaluate_all, and only one", id, f->name);
    if (!r->prepare != !r->release)
        return xc_err_set(err, XC_ECONFIG, "rule %s of family \"%s\" gives prepare or "
                          "release without the other", id, f->name);
    return XC_OK;
}

int xc_family_check(const xc_family *f, xc_err *err)
{
    const char *name = f->name ? f->name : "(no name)";
    if (f->abi != XC_RULE_ABI) {
        xc_err_set(err, XC_ECONFIG, "rule family \"%s\" was built for rule ABI %d; this "
                   "xcheck takes ABI %d: the family is refused", name, f->abi, XC_RULE_ABI);
        xc_err_hint(err, "rebuild rules/%s.c against this xcheck's include/xcheck/rule.h",
                    name);
        return XC_ECONFIG;
    }
    if (!f->name || !f->rules)
        return xc_err_set(err, XC_ECONFIG, "rule family \"%s\" has no name or no rule list",
                          name);
    for (size_t i = 0; f->rules[i]; i++) {
        int rc = check_rule(f, f->rules[i], err);
        if (rc != XC_OK)
            return rc;
    }
    return XC_OK;
}

const char *xc_field_ref_name(const xc_field_ref *f, char *buf, size_t bufsz)
{
    const xc_dataset_def *ds = xc_dataset(f->ds);
    snprintf(buf, bufsz, "%s.%s", ds->name, ds->fields[f->field].name);
    return buf;
}
