/* outputs.c - the report stage: every writer, from one table, on up to
 * --jobs threads: the writers only read the result, and each writes files
 * of its own. */
#include "xcheck/outputs.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "xcheck/date.h"        /* xc_now() */
#include "writers.h"

/* The writers in the order their failures are told; the timed ones run
 * after the run's times are final (the page and summary.json show them).
 * The workbook, the slowest, starts first. */
static const struct {
    xc_writer_fn *write;
    bool timed;
} writers[] = {
    {xc_write_workbook, false},   {xc_write_accounting, false}, {xc_write_flags, false},
    {xc_write_rates, false},      {xc_write_rules, false},      {xc_write_households, false},
    {xc_write_payments, false},   {xc_write_page, true},        {xc_write_summary, true},
};
enum { N_WRITERS = sizeof writers / sizeof writers[0], MAX_THREADS = 8 };

/* One batch of writers, [from, to), taken in turn by the threads. */
typedef struct batch {
    const xc_run_result *res;
    const char *dir;
    int from, to;
    atomic_int next;
    int rc[N_WRITERS];
    xc_err err[N_WRITERS];
} batch;

static void *work(void *arg)
{
    batch *b = arg;
    for (int i; (i = atomic_fetch_add(&b->next, 1) + b->from) < b->to;) {
        xc_err_clear(&b->err[i]);
        b->rc[i] = writers[i].write(b->res, b->dir, &b->err[i]);
    }
    return NULL;
}

/* Runs writers [from, to) on up to `jobs` threads, this one among them (a
 * thread that cannot be started leaves its share to the others). Returns
 * the first failure in table order, with its err. */
static int run_batch(const xc_run_result *res, const char *dir, int from, int to, int jobs,
                     xc_err *err)
{
    batch b = {.res = res, .dir = dir, .from = from, .to = to};
    atomic_init(&b.next, 0);
    int threads = jobs < to - from ? jobs : to - from;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    pthread_t tid[MAX_THREADS];
    int started = 0;
    for (; started < threads - 1; started++)
        if (pthread_create(&tid[started], NULL, work, &b) != 0)
            break;
    work(&b);
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    for (int i = from; i < to; i++)
        if (b.rc[i] < 0) {
            if (err)
                *err = b.err[i];
            return b.rc[i];
        }
    return XC_OK;
}

int xc_outputs_write(xc_run_result *res, const char *outdir, xc_err *err)
{
    double t = xc_now();
    int jobs = res->jobs > 1 ? res->jobs : 1;
    int timed = 0;
    while (timed < N_WRITERS && !writers[timed].timed)
        timed++;
    int rc = run_batch(res, outdir, 0, timed, jobs, err);
    if (rc < 0)
        return rc;
    res->seconds_report = xc_now() - t;
    res->seconds = xc_now() - res->clock_started;
    res->finished = (int64_t)time(NULL);
    return run_batch(res, outdir, timed, N_WRITERS, jobs, err);
}
