/* summary.json - the run for machines: as_of, profile, sources and their
 * row counts, rates, flags per rule, rules not evaluated, time per stage;
 * written last, once the run's times are known. */
#include "writers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "present.h"
#include "xcheck/idno.h"
#include "xcheck/region.h"
#include "xcheck/text.h"

/* A source's coverage, export date and reject limit, for summary.json. */
/* "inputs": the dataset's sources (the files of a glob...), each with its
 * label and counts, in reading order; one for a dataset of one source. */
static void put_inputs(xc_buf *b, const xc_dataset_result *r)
{
    xc_buf_printf(b, ", \"inputs\": [");
    for (int i = 0; i < r->n_sources; i++) {
        const xc_counts *c = &r->sources[i].counts;
        xc_buf_printf(b, "%s{\"label\": ", i ? ", " : "");
        xc_buf_json(b, r->sources[i].label);
        xc_buf_printf(b, ", \"read\": %llu, \"matched\": %llu, \"unmatched\": %llu, "
                      "\"rejected\": %llu, \"physical_rows\": %llu, \"other_lines\": %llu}",
                      (unsigned long long)c->read, (unsigned long long)c->matched,
                      (unsigned long long)c->unmatched, (unsigned long long)c->rejected,
                      (unsigned long long)c->physical_rows, (unsigned long long)c->other_lines);
    }
    xc_buf_printf(b, "]");
}

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

int xc_write_summary(const xc_run_result *res, const char *dir, xc_err *err)
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
    /* A run limited to an area: its code and name, and the households of
     * the archive left out (their rows are in the sources' counts). */
    xc_buf_printf(&b, ",\n  \"region\": ");
    if (res->region_digits) {
        char code[16], label[256];
        snprintf(code, sizeof code, "%0*u", res->region_digits, res->region);
        uint32_t six = res->region_digits == 2 ? res->region * 10000
                     : res->region_digits == 4 ? res->region * 100 : res->region;
        const char *name = xc_region_name(six);
        xc_buf_printf(&b, "{\"code\": \"%s\", \"name\": ", code);
        xc_buf_json(&b, name ? name : "");
        xc_buf_printf(&b, ", \"label\": ");
        xc_buf_json(&b, xc_run_region_label(res, label, sizeof label));
        xc_buf_printf(&b, ", \"households_outside\": %zu}", res->households_outside);
    } else {
        xc_buf_printf(&b, "null");
    }
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
            /* Sources of several databases: each snapshot is one point in
             * time of its own server, not the same one. */
            if (r->snapshots)
                xc_buf_printf(&b, ", \"snapshots\": %d, \"one_point_in_time\": %s",
                              r->snapshots, r->snapshots == 1 ? "true" : "false");
            put_coverage(&b, r);
            put_inputs(&b, r);
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
                      "\"complete\": %s, \"excluded\": %llu}", xc_rate_name(r->rate),
                      (unsigned long long)r->numerator, (unsigned long long)r->denominator,
                      r->threshold, xc_rate_is_max(r->rate) ? "<=" : ">=",
                      xc_rate_result(r), r->complete ? "true" : "false",
                      (unsigned long long)r->excluded);
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
    const xc_disposition_counts *dc = &res->dispositions;
    xc_buf_printf(&b, "  \"dispositions\": {\"rows\": %zu, \"in_force\": %zu, "
                  "\"excluded\": %zu, \"confirmed\": %zu, \"expired\": %zu, "
                  "\"unmatched\": %zu, \"after_as_of\": %zu, \"outside_region\": %zu, "
                  "\"unknown_rule\": %zu, \"unknown_rules\": ", dc->rows, dc->rows_used,
                  dc->excluded, dc->confirmed, dc->expired, dc->rows_unmatched, dc->rows_later,
                  dc->rows_outside, dc->rows_unknown_rule);
    xc_buf_json(&b, dc->unknown_rules);
    xc_buf_printf(&b, "},\n");
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
    xc_buf_printf(&b, "  \"memory\": {\"limit\": %llu, \"facts_budget\": %llu, "
                  "\"spilled\": %s, \"windows\": %d, \"batches\": %d, "
                  "\"spilled_bytes\": %llu},\n",
                  (unsigned long long)res->memory_limit, (unsigned long long)res->facts_budget,
                  res->spill_windows ? "true" : "false", res->spill_windows, res->spill_batches,
                  (unsigned long long)res->spill_bytes);
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
