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

/* The writers in the order their failures are told (the first is the
 * run's error); the timed ones run after the run's times are final (the
 * page and summary.json show them). The slow ones start first. */
static const struct {
    xc_writer_fn *write;
    bool timed;
    bool slow;
} writers[] = {
    {xc_write_accounting, false, false}, {xc_write_flags, false, true},
    {xc_write_rates, false, false},      {xc_write_rules, false, false},
    {xc_write_households, false, false}, {xc_write_payments, false, false},
    {xc_write_workbook, false, true},    {xc_write_page, true, true},
    {xc_write_summary, true, false},
};
enum { N_WRITERS = sizeof writers / sizeof writers[0], MAX_THREADS = 8 };

/* One batch of writers, [from, to), taken in turn by the threads: the slow
 * ones first (order). */
typedef struct batch {
    const xc_run_result *res;
    const char *dir;
    int from, to;
    int order[N_WRITERS];
    atomic_int next;
    int rc[N_WRITERS];
    xc_err err[N_WRITERS];
} batch;

static void *work(void *arg)
{
    batch *b = arg;
    for (int k; (k = atomic_fetch_add(&b->next, 1)) < b->to - b->from;) {
        int i = b->order[k];
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
    int k = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int i = from; i < to; i++)
            if (writers[i].slow == (pass == 0))
                b.order[k++] = i;
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
