/* rule.c - categories, flags and the helpers every rule family shares. */
#include "xcheck/plugin/rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/idno.h"
#include "xcheck/record.h"
#include "xcheck/text.h"

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

xc_category xc_category_by_name(const char *name)
{
    int c = 0;
    while (c < XC_CAT_COUNT && strcmp(categories[c].name, name) != 0)
        c++;
    return (xc_category)c;
}

bool xc_category_visited(xc_category c)
{
    return c == XC_CAT_MIS_ENROLLMENT || c == XC_CAT_MISSED_EXIT || c == XC_CAT_WRONG_EXIT ||
           c == XC_CAT_RELAPSE;
}

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
    free(f->income);
    return XC_ENOMEM;
}

void xc_flag_clear(xc_flag *f)
{
    free(f->summary);
    free(f->evidence);
    free(f->income);
    f->summary = f->evidence = NULL;
    f->income = NULL;
}

void xc_flags_clear(xc_flags *fl)
{
    for (size_t i = 0; i < fl->n; i++)
        xc_flag_clear(&fl->v[i]);
    free(fl->v);
    memset(fl, 0, sizeof *fl);
}

void xc_flag_month_text_of(const xc_flag_month *m, xc_flag_month_text *ret)
{
    ret->income[0] = ret->per_capita[0] = ret->standard[0] = '\0';
    /* A month social insurance does not cover has no known income. */
    if (m->covered) {
        xc_money_format(m->total, ret->income);
        snprintf(ret->per_capita, sizeof ret->per_capita, "%.2f",
                 m->members ? (double)m->total / 100.0 / m->members : 0.0);
    }
    if (m->standard >= 0)
        xc_money_format(m->standard, ret->standard);
}

void xc_flag_months_json(const xc_flag_income *inc, xc_buf *b)
{
    if (!inc)
        return;
    size_t start = b->len;
    xc_buf_printf(b, ",\"factor\":%g,\"months\":[", inc->factor);
    for (uint32_t i = 0; i < inc->n; i++) {
        const xc_flag_month *m = &inc->m[i];
        xc_flag_month_text t;
        char mon[8];
        xc_flag_month_text_of(m, &t);
        xc_buf_printf(b, "%s{\"month\":\"%s\",%s\"household_income\":%s,\"members\":%d,"
                      "\"per_capita\":%s,\"standard\":%s,\"above\":%s,\"below\":%s}",
                      i ? "," : "", xc_month_format(inc->first + (xc_month)i, mon),
                      m->covered ? "" : "\"covered\":false,", m->covered ? t.income : "null",
                      m->members, m->covered ? t.per_capita : "null",
                      m->standard >= 0 ? t.standard : "null", m->above ? "true" : "false",
                      m->below ? "true" : "false");
    }
    xc_buf_printf(b, "]");
    /* The evidence text was masked whole before; so are the months. */
    if (inc->mask)
        xc_buf_mask_ids(b, start, false);
}

void xc_flag_evidence(const xc_flag *f, xc_buf *b)
{
    if (!f->income) {
        xc_buf_append(b, f->evidence, strlen(f->evidence));
        return;
    }
    xc_buf_append(b, f->evidence, f->income->at);
    xc_flag_months_json(f->income, b);
    xc_buf_append(b, f->evidence + f->income->at, strlen(f->evidence + f->income->at));
}

bool xc_rule_evaluable(const xc_rule *r, const bool configured[XC_DS_COUNT])
{
    for (int d = 0; d < XC_DS_COUNT; d++)
        if ((r->needs & XC_NEEDS(d)) && !configured[d])
            return false;
    return true;
}

bool xc_rule_will_run(const xc_rule *r, const bool configured[XC_DS_COUNT],
                      const uint32_t bound[XC_DS_COUNT], char *why, size_t whysz)
{
    if (whysz)
        why[0] = '\0';
    bool runs = xc_rule_evaluable(r, configured);
    for (int d = 0; d < XC_DS_COUNT && !runs; d++)
        if ((r->needs & XC_NEEDS(d)) && !configured[d] && strlen(why) + 1 < whysz)
            snprintf(why + strlen(why), whysz - strlen(why), "%sdataset %s not configured",
                     why[0] ? "; " : "", xc_dataset((xc_ds_id)d)->name);
    const xc_field_ref *f = r->needs_field;
    if (runs && f && !(configured[f->ds] && (bound[f->ds] & (1u << f->field)))) {
        char name[128];
        runs = false;
        snprintf(why, whysz, "field %s not mapped", xc_field_ref_name(f, name, sizeof name));
    }
    return runs;
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

const char *xc_field_ref_name(const xc_field_ref *f, char *buf, size_t bufsz)
{
    const xc_dataset_def *ds = xc_dataset(f->ds);
    snprintf(buf, bufsz, "%s.%s", ds->name, ds->fields[f->field].name);
    return buf;
}
