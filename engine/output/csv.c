/* csv.c - the machine outputs written as rows: accounting.csv, flags.csv
 * with evidence.jsonl, rates.csv, rules.csv, households.csv, payments.csv. */
#include "writers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "present.h"
#include "xcheck/idno.h"
#include "xcheck/region.h"
#include "xcheck/text.h"

static void csv_date(FILE *f, xc_date d)
{
    char buf[11];
    fprintf(f, "%s,", d == XC_NO_DATE ? "" : xc_date_format(d, buf));
}

/* Commits o, unless a cell of it could not be made for want of memory
 * (xc_csv_put()): then the file is not written. */
static int commit(xc_output *o, bool oom, xc_err *err)
{
    if (oom) {
        xc_err_set(err, XC_ENOMEM, "out of memory writing %s", o->path);
        xc_output_abort(o);
        return XC_ENOMEM;
    }
    return xc_output_commit(o, err);
}

/* One line of accounting.csv: a dataset's total (level "dataset") or one
 * of its sources (level "source"); level NULL: no level column. */
static bool accounting_line(FILE *f, const char *dataset, bool evaluated, const char *where,
                            const xc_counts *c, const char *level)
{
    xc_buf w = {0};                      /* a path or table name may hold a number */
    xc_csv_field(&w, where, strlen(where), true);
    fprintf(f, "%s,%s,%s,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu%s%s\n", dataset,
            evaluated ? "yes" : "no", w.p ? w.p : "",
            (unsigned long long)c->read, (unsigned long long)c->matched,
            (unsigned long long)c->unmatched, (unsigned long long)c->rejected,
            (unsigned long long)c->legacy_ids, (unsigned long long)c->invalid_ids,
            (unsigned long long)c->unknown_county, (unsigned long long)c->physical_rows,
            (unsigned long long)c->other_lines, level ? "," : "", level ? level : "");
    bool failed = w.failed;
    xc_buf_free(&w);
    return failed;
}

int xc_write_accounting(const xc_run_result *res, const char *outdir, xc_err *err)
{
    xc_output out;
    int rc = xc_output_open(&out, outdir, "accounting.csv", err);
    if (rc < 0)
        return rc;
    FILE *f = out.f;
    fputs(XC_CSV_BOM, f);
    bool oom = false;
    /* physical_rows and other_lines last: the columns before keep their
     * places. A dataset of several sources (the files of a glob) has its
     * total line, then one line per source, in reading order, whose counts
     * add up to the total; a run with such a dataset adds the column level
     * after them ("dataset" or "source"), and a run without one writes the
     * file as it always did. */
    bool several = false;
    for (int d = 0; d < XC_DS_COUNT; d++)
        several |= res->ds[d].n_sources > 1;
    fprintf(f, "dataset,evaluated,source,read,matched,unmatched,rejected,legacy_ids,"
            "invalid_ids,unknown_county,physical_rows,other_lines%s\n", several ? ",level" : "");
    for (int d = 0; d < XC_DS_COUNT; d++) {
        const xc_dataset_result *r = &res->ds[d];
        const char *name = xc_dataset((xc_ds_id)d)->name;
        oom |= accounting_line(f, name, r->evaluated, r->where, &r->counts,
                               several ? "dataset" : NULL);
        for (int i = 0; r->n_sources > 1 && i < r->n_sources; i++)
            oom |= accounting_line(f, name, r->evaluated, r->sources[i].label,
                                   &r->sources[i].counts, "source");
    }
    return commit(&out, oom, err);
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

int xc_write_flags(const xc_run_result *res, const char *dir, xc_err *err)
{
    bool oom = false;
    xc_output fo, jo;
    int rc = xc_output_open(&fo, dir, "flags.csv", err);
    if (rc < 0)
        return rc;
    if ((rc = xc_output_open(&jo, dir, "evidence.jsonl", err)) < 0) {
        xc_output_abort(&fo);
        return rc;
    }
    FILE *f = fo.f, *j = jo.f;
    fputs(XC_CSV_BOM, f);
    /* the disposition last: the columns before keep their places */
    fputs("rule,category,archive_no,region_code,level,masked_id,enrolled_on,"
          "condition_from,condition_to,summary,disposition,disposition_on,disposition_by,"
          "disposition_note\n", f);
    const xc_dataset_def *hd = xc_dataset(XC_DS_HOUSEHOLD);
    xc_buf ev = {0};
    for (size_t i = 0; i < res->flags.n; i++) {
        const xc_flag *fl = &res->flags.v[i];
        const xc_household *hh = fl->household == XC_NONE ? NULL
                               : xc_archive_household(res->archive, fl->household);
        char masked[32];
        xc_flag_masked_id(res->archive, fl, masked);
        fprintf(f, "%s,%s,", fl->rule->id, xc_category_name(fl->category));
        oom |= xc_csv_put(f, hh ? hh->archive_no : "", false) < 0;
        if (hh)
            fprintf(f, "%06u,%s,", hh->region, hd->fields[XC_HH_LEVEL].values[hh->level]);
        else if (fl->region)
            fprintf(f, "%06u,,", fl->region);
        else
            fputs(",,", f);
        oom |= xc_csv_put(f, masked, false) < 0;
        csv_date(f, hh ? hh->enrolled_on : XC_NO_DATE);
        csv_date(f, fl->from);
        csv_date(f, fl->to);
        oom |= xc_csv_put(f, fl->summary, false) < 0;
        const xc_fact_disposition *d = xc_disposition_of(res->archive, res->facts, res->as_of, fl);
        fprintf(f, "%s,", xc_flag_disposition_name(fl));
        csv_date(f, d ? d->decided_on : XC_NO_DATE);
        oom |= xc_csv_put(f, d ? d->decided_by : NULL, false) < 0;
        oom |= xc_csv_put(f, d ? d->note : NULL, true) < 0;
        if ((rc = put_evidence(j, fl, &ev)) < 0)
            break;
    }
    xc_buf_free(&ev);
    if (rc < 0) {
        xc_output_abort(&fo);
        xc_output_abort(&jo);
        return xc_err_set(err, rc, "out of memory writing evidence.jsonl");
    }
    if ((rc = commit(&fo, oom, err)) < 0) {
        xc_output_abort(&jo);
        return rc;
    }
    return xc_output_commit(&jo, err);
}

int xc_write_rates(const xc_run_result *res, const char *dir, xc_err *err)
{
    bool oom = false;
    xc_output out;
    int rc = xc_output_open(&out, dir, "rates.csv", err);
    if (rc < 0)
        return rc;
    FILE *f = out.f;
    fputs(XC_CSV_BOM, f);
    /* excluded last: the columns before keep their places */
    fputs("rate,label,group,code,name,numerator,denominator,value,threshold,comparison,"
          "result,complete,excluded\n", f);
    for (size_t i = 0; i < res->n_rates; i++) {
        const xc_rate_row *r = &res->rates[i];
        char code[16], name[256];
        xc_rate_row_code(r, code, sizeof code);
        xc_rate_row_name(r, name, sizeof name);
        fprintf(f, "%s,%s,%s,%s,", xc_rate_name(r->rate), xc_rate_label_zh(r->rate),
                xc_group_name(r->group), code);
        oom |= xc_csv_put(f, name, false) < 0;
        fprintf(f, "%llu,%llu,", (unsigned long long)r->numerator,
                (unsigned long long)r->denominator);
        if (r->evaluated && r->denominator)
            fprintf(f, "%.6f,", (double)r->numerator / (double)r->denominator);
        else
            fputs(",", f);
        fprintf(f, "%.6f,%s,%s,%s,%llu\n", r->threshold, xc_rate_is_max(r->rate) ? "<=" : ">=",
                xc_rate_result(r), r->complete ? "yes" : "no", (unsigned long long)r->excluded);
    }
    return commit(&out, oom, err);
}

int xc_write_rules(const xc_run_result *res, const char *dir, xc_err *err)
{
    bool oom = false;
    xc_output out;
    int rc = xc_output_open(&out, dir, "rules.csv", err);
    if (rc < 0)
        return rc;
    FILE *f = out.f;
    fputs(XC_CSV_BOM, f);
    /* not_covered last: the columns before keep their places */
    fputs("rule,family,category,title,evaluated,reason,households,not_judged,flags,"
          "not_covered\n", f);
    for (size_t i = 0; i < res->n_rules; i++) {
        const xc_rule_result *r = &res->rules[i];
        fprintf(f, "%s,%s,%s,", r->rule->id, r->rule->family,
                r->rule->split ? "mis_enrollment|missed_exit"
                               : xc_category_name(r->rule->category));
        oom |= xc_csv_put(f, r->rule->title_zh, false) < 0;
        fprintf(f, "%s,", r->evaluated ? "yes" : "no");
        oom |= xc_csv_put(f, r->evaluated ? "" : r->why_not, false) < 0;
        fprintf(f, "%zu,%zu,%zu,%zu\n", r->households, r->not_judged, r->flags, r->not_covered);
    }
    return commit(&out, oom, err);
}

/* households.csv: every household with its place in the run, the frame that
 * field-verification samples are drawn from. */
int xc_write_households(const xc_run_result *res, const char *dir, xc_err *err)
{
    bool oom = false;
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
    fputs(XC_CSV_BOM, f);
    fputs("archive_no,region_code,county,level,status,in_archive,exited,enrolled_on,"
          "exited_on,members,worker_name,masked_id,flags,rules,categories,excluded_rules\n", f);
    const xc_dataset_def *hd = xc_dataset(XC_DS_HOUSEHOLD);
    for (size_t h = 0; h < n; h++) {
        if (!xc_run_in_region(res, (uint32_t)h))
            continue;                       /* outside the run's area */
        const xc_household *hh = xc_archive_household(res->archive, (uint32_t)h);
        const char *county = xc_region_name(hh->region);
        char masked[32] = "", id[19];
        if (hh->worker_key) {
            xc_id_unpack(hh->worker_key, id);
            xc_id_mask(id, masked, sizeof masked);
        }
        oom |= xc_csv_put(f, hh->archive_no, false) < 0;
        fprintf(f, "%06u,", hh->region);
        oom |= xc_csv_put(f, county ? county : "", false) < 0;
        fprintf(f, "%s,%s,%s,%s,", hd->fields[XC_HH_LEVEL].values[hh->level],
                hd->fields[XC_HH_STATUS].values[hh->status],
                xc_in_archive(hh, res->as_of) ? "yes" : "no",
                xc_exited(hh, res->as_of) ? "yes" : "no");
        csv_date(f, hh->enrolled_on);
        csv_date(f, hh->exited_on);
        fprintf(f, "%u,", hh->n_members);
        oom |= xc_csv_put(f, hh->worker_name, false) < 0;
        oom |= xc_csv_put(f, masked, false) < 0;
        /* A flag a verification rejected is no flag of the frame: listed
         * apart, last. */
        xc_buf rules = {0}, cats = {0}, excluded = {0};
        unsigned count = 0, seen_cats = 0, n_excluded = 0;
        for (uint32_t i = hf.first[h]; i != XC_NONE; i = hf.next[i]) {
            const xc_flag *fl = &res->flags.v[i];
            if (xc_flag_excluded(fl)) {
                xc_buf_printf(&excluded, "%s%s", n_excluded++ ? ";" : "", fl->rule->id);
                continue;
            }
            xc_buf_printf(&rules, "%s%s", count++ ? ";" : "", fl->rule->id);
            if (!(seen_cats & 1u << fl->category)) {
                xc_buf_printf(&cats, "%s%s", seen_cats ? ";" : "",
                              xc_category_name(fl->category));
                seen_cats |= 1u << fl->category;
            }
        }
        oom |= rules.failed || cats.failed || excluded.failed;
        char *rs = xc_buf_take(&rules), *cs = xc_buf_take(&cats), *es = xc_buf_take(&excluded);
        fprintf(f, "%u,", count);
        oom |= xc_csv_put(f, rs ? rs : "", false) < 0;
        oom |= xc_csv_put(f, cs ? cs : "", false) < 0;
        oom |= xc_csv_put(f, es ? es : "", true) < 0;
        free(rs);
        free(cs);
        free(es);
    }
    xc_household_flags_free(&hf);
    return commit(&out, oom, err);
}

/* payments.csv: the funds of the audit period per program, and the share a
 * PAY-* rule flags. */
int xc_write_payments(const xc_run_result *res, const char *dir, xc_err *err)
{
    if (!res->payments_evaluated)
        return XC_OK;
    xc_output out;
    int rc = xc_output_open(&out, dir, "payments.csv", err);
    if (rc < 0)
        return rc;
    FILE *f = out.f;
    fputs(XC_CSV_BOM, f);
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
