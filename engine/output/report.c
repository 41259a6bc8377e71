/* report.c - flags.csv, evidence.jsonl, rates.csv, rules.csv, households.csv,
 * summary.json. */
#include "xcheck/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/idno.h"
#include "xcheck/region.h"
#include "xcheck/text.h"

static void csv_date(FILE *f, xc_date d)
{
    char buf[11];
    fprintf(f, "%s,", d == XC_NO_DATE ? "" : xc_date_format(d, buf));
}

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

/* One line of evidence.jsonl: the flag's evidence with its months written
 * in (in ev, reused from flag to flag). Returns XC_OK or XC_ENOMEM. */
static int put_evidence(FILE *j, const xc_flag *fl, xc_buf *ev)
{
    if (!fl->income) {
        fputs(fl->evidence, j);
    } else {
        ev->len = 0;
        xc_flag_evidence(fl, ev);
        if (ev->failed)
            return XC_ENOMEM;
        fwrite(ev->p, 1, ev->len, j);
    }
    fputc('\n', j);
    return XC_OK;
}

static int write_flags(const xc_run_result *res, const char *dir, xc_err *err)
{
    xc_output fo, jo;
    int rc = xc_output_open(&fo, dir, "flags.csv", err);
    if (rc < 0)
        return rc;
    if ((rc = xc_output_open(&jo, dir, "evidence.jsonl", err)) < 0) {
        xc_output_abort(&fo);
        return rc;
    }
    FILE *f = fo.f, *j = jo.f;
    fputs("rule,category,archive_no,region_code,level,masked_id,enrolled_on,"
          "condition_from,condition_to,summary\n", f);
    const xc_dataset_def *hd = xc_dataset(XC_DS_HOUSEHOLD);
    xc_buf ev = {0};
    for (size_t i = 0; i < res->flags.n; i++) {
        const xc_flag *fl = &res->flags.v[i];
        const xc_household *hh = fl->household == XC_NONE ? NULL
                               : xc_archive_household(res->archive, fl->household);
        char masked[32];
        xc_flag_masked_id(res->archive, fl, masked);
        fprintf(f, "%s,%s,", fl->rule->id, xc_category_name(fl->category));
        xc_csv_put(f, hh ? hh->archive_no : "", false);
        if (hh)
            fprintf(f, "%06u,%s,", hh->region, hd->fields[XC_HH_LEVEL].values[hh->level]);
        else if (fl->region)
            fprintf(f, "%06u,,", fl->region);
        else
            fputs(",,", f);
        xc_csv_put(f, masked, false);
        csv_date(f, hh ? hh->enrolled_on : XC_NO_DATE);
        csv_date(f, fl->from);
        csv_date(f, fl->to);
        xc_csv_put(f, fl->summary, true);
        if ((rc = put_evidence(j, fl, &ev)) < 0)
            break;
    }
    xc_buf_free(&ev);
    if (rc < 0) {
        xc_output_abort(&fo);
        xc_output_abort(&jo);
        return xc_err_set(err, rc, "out of memory writing evidence.jsonl");
    }
    if ((rc = xc_output_commit(&fo, err)) < 0) {
        xc_output_abort(&jo);
        return rc;
    }
    return xc_output_commit(&jo, err);
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

/* A source's coverage, export date and reject limit, for summary.json. */
static void put_coverage(xc_buf *b, const xc_dataset_result *r)
{
    char d[11];
    xc_buf_printf(b, ", \"coverage\": ");
    xc_buf_json(b, r->coverage[0] ? r->coverage : NULL);
    xc_buf_printf(b, ", \"coverage_declared\": %s, \"exported\": ",
                  r->coverage_declared ? "true" : "false");
    xc_buf_json(b, r->exported != XC_NO_DATE ? xc_date_format(r->exported, d) : NULL);
    xc_buf_printf(b, ", \"exported_declared\": %s, \"max_rejects\": ",
                  r->exported_declared ? "true" : "false");
    if (r->max_rejects.share)
        xc_buf_printf(b, "\"%g%%\"", r->max_rejects.percent);
    else
        xc_buf_printf(b, "%llu", (unsigned long long)r->max_rejects.count);
}

static int write_rates(const xc_run_result *res, const char *dir, xc_err *err)
{
    xc_output out;
    int rc = xc_output_open(&out, dir, "rates.csv", err);
    if (rc < 0)
        return rc;
    FILE *f = out.f;
    fputs("rate,label,group,code,name,numerator,denominator,value,threshold,comparison,"
          "result,complete\n", f);
    for (size_t i = 0; i < res->n_rates; i++) {
        const xc_rate_row *r = &res->rates[i];
        char code[16], name[256];
        xc_rate_row_code(r, code, sizeof code);
        xc_rate_row_name(r, name, sizeof name);
        fprintf(f, "%s,%s,%s,%s,", xc_rate_name(r->rate), xc_rate_label_zh(r->rate),
                xc_group_name(r->group), code);
        xc_csv_put(f, name, false);
        fprintf(f, "%llu,%llu,", (unsigned long long)r->numerator,
                (unsigned long long)r->denominator);
        if (r->evaluated && r->denominator)
            fprintf(f, "%.6f,", (double)r->numerator / (double)r->denominator);
        else
            fputs(",", f);
        fprintf(f, "%.6f,%s,%s,%s\n", r->threshold, xc_rate_is_max(r->rate) ? "<=" : ">=",
                xc_rate_result(r), r->complete ? "yes" : "no");
    }
    return xc_output_commit(&out, err);
}

static int write_rules(const xc_run_result *res, const char *dir, xc_err *err)
{
    xc_output out;
    int rc = xc_output_open(&out, dir, "rules.csv", err);
    if (rc < 0)
        return rc;
    FILE *f = out.f;
        /* not_covered last: the columns before keep their places */
    fputs("rule,family,category,title,evaluated,reason,households,not_judged,flags,"
          "not_covered\n", f);
    for (size_t i = 0; i < res->n_rules; i++) {
        const xc_rule_result *r = &res->rules[i];
        fprintf(f, "%s,%s,%s,", r->rule->id, r->rule->family,
                r->rule->split ? "mis_enrollment|missed_exit"
                               : xc_category_name(r->rule->category));
        xc_csv_put(f, r->rule->title_zh, false);
        fprintf(f, "%s,", r->evaluated ? "yes" : "no");
        xc_csv_put(f, r->evaluated ? "" : r->why_not, false);
        fprintf(f, "%zu,%zu,%zu,%zu\n", r->households, r->not_judged, r->flags, r->not_covered);
    }
    return xc_output_commit(&out, err);
}

/* "profile_defaults": the parameters the profile left to their declared
 * defaults, as "section.key", in listing order. */
static void put_profile_defaults(xc_buf *b, const xc_profile *p)
{
    const char *sec, *key, *last = NULL;
    char val[256];
    xc_buf_printf(b, ",\n  \"profile_defaults\": [");
    int n = 0;
    for (int i = 0; xc_profile_param(p, i, &sec, &key, val, sizeof val); i++) {
        if (!xc_profile_param_is_default(p, i, sizeof val) || key == last)
            continue;       /* a date list comes in several entries */
        last = key;
        xc_buf_printf(b, "%s\"%s.%s\"", n++ ? ", " : "", sec, key);
    }
    xc_buf_printf(b, "]");
}

static int write_summary(const xc_run_result *res, const char *dir, xc_err *err)
{
    char d1[11], d2[11];
    xc_output out;
    int rc = xc_output_open(&out, dir, "summary.json", err);
    if (rc < 0)
        return rc;
    xc_buf b = {0};
    xc_buf_printf(&b, "{\n  \"version\": ");
    xc_buf_json(&b, res->version);
    xc_buf_printf(&b, ",\n  \"as_of\": \"%s\",\n", xc_date_format(res->as_of, d1));
    xc_buf_printf(&b, "  \"audit_period\": {\"after\": \"%s\", \"through\": \"%s\"},\n",
                  xc_date_format(res->audit_from, d2), d1);
    xc_buf_printf(&b, "  \"run_id\": ");
    xc_buf_json(&b, res->run_id);
    xc_buf_printf(&b, ",\n  \"started\": %lld, \"finished\": %lld,\n  \"config_hash\": \"%s\",\n"
                  "  \"snapshot\": ", (long long)res->started, (long long)res->finished,
                  res->config_hash);
    xc_buf_json(&b, res->snapshot[0] ? res->snapshot : NULL);
    xc_buf_printf(&b, ",\n  \"full_ids\": %s", res->full_ids ? "true" : "false");
    xc_buf_printf(&b, ",\n  \"profile\": ");
    xc_buf_json(&b, res->profile.name);
    xc_buf_printf(&b, ",\n  \"profile_file\": ");
    xc_buf_json(&b, res->profile.path);
    put_profile_defaults(&b, &res->profile);
    xc_buf_printf(&b, ",\n  \"config\": ");
    xc_buf_json(&b, res->config_path);
    xc_buf_printf(&b, ",\n  \"households\": %zu,\n  \"households_in_archive\": %zu,\n"
                  "  \"persons\": %zu,\n  \"sources\": [\n", res->households,
                  res->households_in_archive, res->persons);
    int first = 1;
    for (int d = 0; d < XC_DS_COUNT; d++) {
        const xc_dataset_result *r = &res->ds[d];
        const xc_counts *c = &r->counts;
        xc_buf_printf(&b, "%s    {\"dataset\": \"%s\", \"configured\": %s", first ? "" : ",\n",
                      xc_dataset((xc_ds_id)d)->name, r->evaluated ? "true" : "false");
        first = 0;
        if (r->evaluated) {
            xc_buf_printf(&b, ", \"source\": ");
            xc_buf_json(&b, r->where);
            xc_buf_printf(&b, ", \"read\": %llu, \"matched\": %llu, \"unmatched\": %llu, "
                          "\"rejected\": %llu, \"legacy_ids\": %llu, \"invalid_ids\": %llu, "
                          "\"physical_rows\": %llu, \"other_lines\": %llu, \"seconds\": %.3f, \"parts\": %d, \"strategy\": \"%s\", "
                          "\"strategy_reason\": ",
                          (unsigned long long)c->read, (unsigned long long)c->matched,
                          (unsigned long long)c->unmatched, (unsigned long long)c->rejected,
                          (unsigned long long)c->legacy_ids, (unsigned long long)c->invalid_ids,
                          (unsigned long long)c->physical_rows,
                          (unsigned long long)c->other_lines, r->seconds, r->parts, r->strategy);
            xc_buf_json(&b, r->strategy_reason);
            put_coverage(&b, r);
        }
        xc_buf_printf(&b, "}");
    }
    xc_buf_printf(&b, "\n  ],\n  \"rates\": [\n");
    first = 1;
    for (size_t i = 0; i < res->n_rates; i++) {
        const xc_rate_row *r = &res->rates[i];
        char code[16], name[256];
        xc_rate_row_code(r, code, sizeof code);
        xc_rate_row_name(r, name, sizeof name);
        xc_buf_printf(&b, "%s    {\"group\": \"%s\", \"code\": \"%s\", \"name\": ", first ? "" : ",\n",
                      xc_group_name(r->group), code);
        xc_buf_json(&b, name);
        first = 0;
        xc_buf_printf(&b, ", \"rate\": \"%s\", \"numerator\": %llu, \"denominator\": %llu, "
                      "\"threshold\": %g, \"comparison\": \"%s\", \"result\": \"%s\", "
                      "\"complete\": %s}", xc_rate_name(r->rate),
                      (unsigned long long)r->numerator, (unsigned long long)r->denominator,
                      r->threshold, xc_rate_is_max(r->rate) ? "<=" : ">=",
                      xc_rate_result(r), r->complete ? "true" : "false");
        first = 0;
    }
    xc_buf_printf(&b, "\n  ],\n  \"flags\": %zu,\n  \"flags_per_rule\": {", res->flags.n);
    for (size_t i = 0; i < res->n_rules; i++)
        xc_buf_printf(&b, "%s\"%s\": %zu", i ? ", " : "", res->rules[i].rule->id,
                      res->rules[i].flags);
    xc_buf_printf(&b, "},\n  \"households_not_judged_per_rule\": {");
    first = 1;
    for (size_t i = 0; i < res->n_rules; i++)
        if (res->rules[i].not_judged) {
            xc_buf_printf(&b, "%s\"%s\": %zu", first ? "" : ", ", res->rules[i].rule->id,
                          res->rules[i].not_judged);
            first = 0;
        }
    xc_buf_printf(&b, "},\n  \"not_judged_for_coverage_per_rule\": {");
    first = 1;
    for (size_t i = 0; i < res->n_rules; i++)
        if (res->rules[i].not_covered) {
            xc_buf_printf(&b, "%s\"%s\": %zu", first ? "" : ", ", res->rules[i].rule->id,
                          res->rules[i].not_covered);
            first = 0;
        }
    xc_buf_printf(&b, "},\n  \"rules_not_evaluated\": [");
    first = 1;
    for (size_t i = 0; i < res->n_rules; i++) {
        if (res->rules[i].evaluated)
            continue;
        xc_buf_printf(&b, "%s{\"rule\": \"%s\", \"reason\": ", first ? "" : ", ",
                      res->rules[i].rule->id);
        xc_buf_json(&b, res->rules[i].why_not);
        xc_buf_printf(&b, "}");
        first = 0;
    }
    xc_buf_printf(&b, "],\n  \"rates_over_threshold\": %d,\n", res->rates_failed);
    /* What the run could not see: its rates are incomplete. */
    xc_buf_printf(&b, "  \"complete\": %s,\n  \"incomplete\": [", res->incomplete ? "false"
                                                                            : "true");
    for (int i = 0; i < res->n_warnings; i++) {
        const xc_run_warning *w = &res->warnings[i];
        xc_buf_printf(&b, "%s\n    {\"kind\": \"%s\", \"dataset\": ", i ? "," : "",
                      xc_warning_kind_name(w->kind));
        xc_buf_json(&b, w->dataset >= 0 ? xc_dataset((xc_ds_id)w->dataset)->name : NULL);
        xc_buf_printf(&b, ", \"text\": ");
        xc_buf_json(&b, w->text);
        xc_buf_printf(&b, "}");
    }
    xc_buf_printf(&b, "%s],\n", res->n_warnings ? "\n  " : "");
    if (res->payments_evaluated) {
        xc_buf_printf(&b, "  \"payments\": [");
        for (int p = 0; p <= XC_PAY_PROGRAMS; p++) {
            const xc_payment_total *t = &res->payments[p];
            xc_buf_printf(&b, "%s\n    {\"program\": \"%s\", \"payments\": %llu, "
                          "\"amount\": %lld.%02lld, \"flagged_payments\": %llu, "
                          "\"flagged_amount\": %lld.%02lld}", p ? "," : "",
                          p == XC_PAY_PROGRAMS ? "total"
                          : xc_dataset(XC_DS_PAYMENT)->fields[XC_PM_PROGRAM].values[p],
                          (unsigned long long)t->payments, (long long)(t->amount / 100),
                          (long long)(t->amount % 100), (unsigned long long)t->flagged,
                          (long long)(t->flagged_amount / 100),
                          (long long)(t->flagged_amount % 100));
        }
        xc_buf_printf(&b, "\n  ],\n");
    }
    xc_buf_printf(&b, "  \"seconds\": {\"archive\": %.3f, \"scan\": %.3f, \"evaluate\": %.3f, "
                  "\"report\": %.3f, \"total\": %.3f},\n  \"jobs\": %d\n}\n",
                  res->seconds_archive, res->seconds_scan, res->seconds_evaluate,
                  res->seconds_report, res->seconds, res->jobs);
    xc_buf_mask_ids(&b, 0, false);      /* paths and names come from people */
    char *text = xc_buf_take(&b);
    if (!text) {
        xc_output_abort(&out);
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    }
    fputs(text, out.f);
    free(text);
    return xc_output_commit(&out, err);
}

/* payments.csv: the funds of the audit period per program, and the share a
 * PAY-* rule flags. */
static int write_payments(const xc_run_result *res, const char *dir, xc_err *err)
{
    if (!res->payments_evaluated)
        return XC_OK;
    xc_output out;
    int rc = xc_output_open(&out, dir, "payments.csv", err);
    if (rc < 0)
        return rc;
    FILE *f = out.f;
    fputs("program,program_zh,payments,amount,flagged_payments,flagged_amount,"
          "flagged_share\n", f);
    const xc_field_def *pd = &xc_dataset(XC_DS_PAYMENT)->fields[XC_PM_PROGRAM];
    for (int p = 0; p <= XC_PAY_PROGRAMS; p++) {
        const xc_payment_total *t = &res->payments[p];
        fprintf(f, "%s,%s,%llu,%lld.%02lld,%llu,%lld.%02lld,%.6f\n",
                p == XC_PAY_PROGRAMS ? "total" : pd->values[p], xc_payment_program_zh(p),
                (unsigned long long)t->payments, (long long)(t->amount / 100),
                (long long)(t->amount % 100), (unsigned long long)t->flagged,
                (long long)(t->flagged_amount / 100), (long long)(t->flagged_amount % 100),
                t->amount ? (double)t->flagged_amount / (double)t->amount : 0.0);
    }
    return xc_output_commit(&out, err);
}

int xc_household_flags_build(const xc_run_result *res, xc_household_flags *hf)
{
    size_t n = xc_archive_households(res->archive);
    hf->first = malloc((n ? n : 1) * sizeof *hf->first);
    hf->next = malloc((res->flags.n ? res->flags.n : 1) * sizeof *hf->next);
    if (!hf->first || !hf->next)
        return XC_ENOMEM;
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

/* households.csv: every household with its place in the run, the frame that
 * field-verification samples are drawn from. */
static int write_households(const xc_run_result *res, const char *dir, xc_err *err)
{
    size_t n = xc_archive_households(res->archive);
    xc_household_flags hf;
    if (xc_household_flags_build(res, &hf) < 0) {
        xc_household_flags_free(&hf);
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    }
    xc_output out;
    int rc = xc_output_open(&out, dir, "households.csv", err);
    if (rc < 0) {
        xc_household_flags_free(&hf);
        return rc;
    }
    FILE *f = out.f;
    fputs("archive_no,region_code,county,level,status,in_archive,exited,enrolled_on,"
          "exited_on,members,worker_name,masked_id,flags,rules,categories\n", f);
    const xc_dataset_def *hd = xc_dataset(XC_DS_HOUSEHOLD);
    for (size_t h = 0; h < n; h++) {
        const xc_household *hh = xc_archive_household(res->archive, (uint32_t)h);
        const char *county = xc_region_name(hh->region);
        char masked[32] = "", id[19];
        if (hh->worker_key) {
            xc_id_unpack(hh->worker_key, id);
            xc_id_mask(id, masked, sizeof masked);
        }
        xc_csv_put(f, hh->archive_no, false);
        fprintf(f, "%06u,", hh->region);
        xc_csv_put(f, county ? county : "", false);
        fprintf(f, "%s,%s,%s,%s,", hd->fields[XC_HH_LEVEL].values[hh->level],
                hd->fields[XC_HH_STATUS].values[hh->status],
                xc_in_archive(hh, res->as_of) ? "yes" : "no",
                xc_exited(hh, res->as_of) ? "yes" : "no");
        csv_date(f, hh->enrolled_on);
        csv_date(f, hh->exited_on);
        fprintf(f, "%u,", hh->n_members);
        xc_csv_put(f, hh->worker_name, false);
        xc_csv_put(f, masked, false);
        xc_buf rules = {0}, cats = {0};
        unsigned count = 0, seen_cats = 0;
        for (uint32_t i = hf.first[h]; i != XC_NONE; i = hf.next[i]) {
            const xc_flag *fl = &res->flags.v[i];
            xc_buf_printf(&rules, "%s%s", count++ ? ";" : "", fl->rule->id);
            if (!(seen_cats & 1u << fl->category)) {
                xc_buf_printf(&cats, "%s%s", seen_cats ? ";" : "",
                              xc_category_name(fl->category));
                seen_cats |= 1u << fl->category;
            }
        }
        char *rs = xc_buf_take(&rules), *cs = xc_buf_take(&cats);
        fprintf(f, "%u,", count);
        xc_csv_put(f, rs ? rs : "", false);
        xc_csv_put(f, cs ? cs : "", true);
        free(rs);
        free(cs);
    }
    xc_household_flags_free(&hf);
    return xc_output_commit(&out, err);
}

int xc_report_write(const xc_run_result *res, const char *outdir, xc_err *err)
{
    int rc;
    if ((rc = write_flags(res, outdir, err)) < 0 || (rc = write_rates(res, outdir, err)) < 0 ||
        (rc = write_rules(res, outdir, err)) < 0 ||
        (rc = write_households(res, outdir, err)) < 0 ||
        (rc = write_payments(res, outdir, err)) < 0)
        return rc;
    return XC_OK;
}

int xc_report_write_summary(const xc_run_result *res, const char *outdir, xc_err *err)
{
    return write_summary(res, outdir, err);
}
