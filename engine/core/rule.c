/* rule.c - categories, flags and the helpers every rule family shares. */
#include "xcheck/rule.h"

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
