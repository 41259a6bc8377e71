/* outputs.c - the report stage: every writer in turn, from one table. */
#include "xcheck/outputs.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "xcheck/date.h"        /* xc_now() */
#include "writers.h"

/* The writers in the order they run; the timed ones after the run's times
 * are final (the page and summary.json show them). */
static const struct {
    xc_writer_fn *write;
    bool timed;
} writers[] = {
    {xc_write_accounting, false}, {xc_write_flags, false},    {xc_write_rates, false},
    {xc_write_rules, false},      {xc_write_households, false}, {xc_write_payments, false},
    {xc_write_workbook, false},   {xc_write_page, true},       {xc_write_summary, true},
};
enum { N_WRITERS = sizeof writers / sizeof writers[0] };

int xc_outputs_write(xc_run_result *res, const char *outdir, xc_err *err)
{
    double t = xc_now();
    bool timed = false;
    for (int i = 0; i < N_WRITERS; i++) {
        if (writers[i].timed && !timed) {
            res->seconds_report = xc_now() - t;
            res->seconds = xc_now() - res->clock_started;
            res->finished = (int64_t)time(NULL);
            timed = true;
        }
        int rc = writers[i].write(res, outdir, err);
        if (rc < 0)
            return rc;
    }
    return XC_OK;
}
