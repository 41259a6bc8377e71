/* present.c - what several outputs show the same way: a flag's masked ID,
 * a rate row's group code and name, each household's flags. */
#include "present.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/idno.h"
#include "xcheck/region.h"

void xc_flag_masked_id(const xc_archive *a, const xc_flag *fl, char out[static 32])
{
    out[0] = '\0';
    if (fl->person != XC_NONE) {
        xc_archive_masked_id(a, fl->person, out);
        return;
    }
    uint64_t key = fl->household == XC_NONE ? fl->subject
                 : xc_archive_household(a, fl->household)->worker_key;
    if (key) {
        char id[19];
        xc_id_unpack(key, id);
        xc_id_mask(id, out, 32);
    }
}

void xc_flag_disposition_text(const xc_run_result *res, const xc_flag *fl, bool label,
                               xc_buf *b)
{
    const xc_fact_disposition *d = xc_disposition_of(res->archive, res->facts, res->as_of, fl);
    if (!d)
        return;
    if (label)
        xc_buf_printf(b, "%s", xc_flag_disposition_zh(fl));
    size_t from = b->len;
    if (d->note && d->note[0])
        xc_buf_printf(b, "%s%s", label ? "：" : "", d->note);
    char on[11];
    xc_buf_printf(b, "（%s%s%s核实）", xc_date_format(d->decided_on, on),
                  d->decided_by ? " " : "", d->decided_by ? d->decided_by : "");
    if (d->expires_on != XC_NO_DATE)
        xc_buf_printf(b, "，有效至%s", xc_date_format(d->expires_on, on));
    xc_buf_mask_ids(b, from, false);
}

const char *xc_rate_row_name(const xc_rate_row *row, char *buf, size_t bufsz)
{
    const char *name = NULL;
    switch (row->group) {
    case XC_GROUP_TOTAL: name = "合计"; break;
    case XC_GROUP_PROVINCE: name = xc_region_name(row->code * 10000); break;
    case XC_GROUP_CITY: name = xc_region_name(row->code * 100); break;
    case XC_GROUP_COUNTY: name = xc_region_name(row->code); break;
    case XC_GROUP_LEVEL:
        name = xc_value_label_zh(XC_DS_HOUSEHOLD, XC_HH_LEVEL, (int)row->code);
        break;
    }
    snprintf(buf, bufsz, "%s", name ? name : "");
    return buf;
}

void xc_rate_row_code(const xc_rate_row *row, char *buf, size_t bufsz)
{
    static const int width[] = {0, 2, 4, 6};
    if (row->group == XC_GROUP_TOTAL)
        snprintf(buf, bufsz, "all");
    else if (row->group == XC_GROUP_LEVEL)
        snprintf(buf, bufsz, "%s",
                 xc_dataset(XC_DS_HOUSEHOLD)->fields[XC_HH_LEVEL].values[row->code]);
    else
        snprintf(buf, bufsz, "%0*u", width[row->group], row->code);
}

int xc_household_flags_build(const xc_run_result *res, xc_household_flags *hf)
{
    size_t n = xc_archive_households(res->archive);
    hf->first = malloc((n ? n : 1) * sizeof *hf->first);
    hf->next = malloc((res->flags.n ? res->flags.n : 1) * sizeof *hf->next);
    if (!hf->first || !hf->next) {
        xc_household_flags_free(hf);  /* nothing left to free on failure */
        return XC_ENOMEM;
    }
    for (size_t h = 0; h < n; h++)
        hf->first[h] = XC_NONE;
    for (size_t i = res->flags.n; i-- > 0;) {      /* lists in flag order */
        uint32_t h = res->flags.v[i].household;
        hf->next[i] = XC_NONE;
        if (h == XC_NONE)
            continue;                                 /* someone outside them */
        hf->next[i] = hf->first[h];
        hf->first[h] = (uint32_t)i;
    }
    return XC_OK;
}

void xc_household_flags_free(xc_household_flags *hf)
{
    free(hf->first);
    free(hf->next);
    hf->first = hf->next = NULL;
}

const char *xc_report_title(const xc_run_result *res, char *buf, size_t bufsz)
{
    snprintf(buf, bufsz, "%s困难职工档案比对核查报告", res->organisation);
    return buf;
}

const char *xc_report_scope(const xc_run_result *res, char *buf, size_t bufsz)
{
    char asof[11], from[11], area[256] = "";
    xc_date_format(res->as_of, asof);
    xc_date_format(res->audit_from + 1, from);      /* the period is (audit_from, as_of] */
    size_t households = res->households - res->households_outside;
    if (res->scope[0]) {
        snprintf(area, sizeof area, "%s", res->scope);
    } else if (res->region_digits) {
        /* a run limited to an area (--region) covers that area only */
        char label[200];
        snprintf(area, sizeof area, "%s困难职工档案",
                 xc_run_region_label(res, label, sizeof label));
    } else {
        /* the archive's provinces, by name, from the rates' province rows */
        for (size_t i = 0; i < res->n_rates; i++) {
            const xc_rate_row *r = &res->rates[i];
            if (r->group != XC_GROUP_PROVINCE || r->rate != XC_RATE_MIS_ENROLLMENT)
                continue;
            char name[128];
            xc_rate_row_name(r, name, sizeof name);
            size_t len = strlen(area);
            snprintf(area + len, sizeof area - len, "%s%s", len ? "、" : "", name);
        }
        size_t len = strlen(area);
        snprintf(area + len, sizeof area - len, "困难职工档案");
    }
    snprintf(buf, bufsz, "核查范围：%s（档案%zu户，核查基准日在档%zu户）；核查基准日 %s；"
             "审计期间 %s 至 %s", area, households, res->households_in_archive, asof,
             from, asof);
    return buf;
}
