/* outputs.c - the report stage: every file written from a run's result,
 * into its output directory. */
#include "xcheck/report.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "xcheck/report_html.h"
#include "xcheck/report_xlsx.h"
#include "xcheck/scan.h"        /* xc_now() */
#include "xcheck/text.h"

static int write_accounting(const char *outdir, const xc_run_result *res, xc_err *err)
{
    xc_output out;
    int rc = xc_output_open(&out, outdir, "accounting.csv", err);
    if (rc < 0)
        return rc;
    FILE *f = out.f;
    /* physical_rows and other_lines last: the columns before keep their
     * places */
    fputs("dataset,evaluated,source,read,matched,unmatched,rejected,legacy_ids,"
          "invalid_ids,unknown_county,physical_rows,other_lines\n", f);
    for (int d = 0; d < XC_DS_COUNT; d++) {
        const xc_dataset_result *r = &res->ds[d];
        const xc_counts *c = &r->counts;
        xc_buf where = {0};              /* a path or table name may hold a number */
        xc_csv_field(&where, r->where, strlen(r->where), true);
        fprintf(f, "%s,%s,%s,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu\n",
                xc_dataset((xc_ds_id)d)->name, r->evaluated ? "yes" : "no",
                where.p ? where.p : "",
                (unsigned long long)c->read, (unsigned long long)c->matched,
                (unsigned long long)c->unmatched, (unsigned long long)c->rejected,
                (unsigned long long)c->legacy_ids, (unsigned long long)c->invalid_ids,
                (unsigned long long)c->unknown_county, (unsigned long long)c->physical_rows,
                (unsigned long long)c->other_lines);
        xc_buf_free(&where);
    }
    return xc_output_commit(&out, err);
}

int xc_outputs_write(xc_run_result *res, const char *outdir, xc_err *err)
{
    double t = xc_now();
    int rc;
    if ((rc = write_accounting(outdir, res, err)) < 0 ||
        (rc = xc_report_write(res, outdir, err)) < 0 ||
        (rc = xc_report_write_xlsx(res, outdir, err)) < 0)
        return rc;
    res->seconds_report = xc_now() - t;
    res->seconds = xc_now() - res->clock_started;
    res->finished = (int64_t)time(NULL);
    if ((rc = xc_report_write_html(res, outdir, err)) < 0)
        return rc;
    return xc_report_write_summary(res, outdir, err);
}
