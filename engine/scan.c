/* scan.c - the scan stage: each non-archive dataset streamed once, one per
 * worker thread, its matched rows kept as facts. */
#include "xcheck/scan.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xcheck/region.h"

double xc_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Decides whether a record of a non-archive dataset links to the archive. */
static bool links(const xc_archive *a, const xc_dataset_def *ds, const xc_record *rec)
{
    const xc_value *v = &rec->v[ds->link_field];
    switch (ds->link) {
    case XC_LINK_ID:
        return rec->id.key && xc_archive_find_person(a, rec->id.key) != XC_NONE;
    case XC_LINK_ARCHIVE_NO:
        return xc_archive_find_household(a, v->s, v->len) != XC_NONE;
    case XC_LINK_REGION: {
        uint32_t prefix;
        int digits = xc_region_prefix((uint32_t)v->i, (int)v->len, &prefix);
        return xc_archive_covers_region(a, prefix, digits);
    }
    case XC_LINK_NONE:
        break;
    }
    return false;
}

typedef struct scan_job {
    xc_ds_id ds;
    int part;
    xc_ingest *in;
    xc_facts *facts;
    int rc;
    double seconds;
    xc_err err;
} scan_job;

typedef struct scan_state {
    const xc_archive *archive;
    scan_job *jobs;
    int n_jobs, next;
    xc_dataset_result *results;
    int parts_left[XC_DS_COUNT];
    xc_run_progress *progress;
    void *progress_user;
    pthread_mutex_t lock;
} scan_state;

_Static_assert(XC_NONE == XC_UNLINKED, "a person index doubles as the link");

static void ids_linked(void *archive, const uint64_t *keys, size_t n, uint32_t *ret)
{
    xc_archive_find_persons(archive, keys, n, ret);
}

static int scan_one(scan_state *st, scan_job *job)
{
    const xc_dataset_def *ds = xc_dataset(job->ds);
    double t0 = xc_now();
    int rc = xc_facts_new(&job->facts);
    uint16_t src = 0;
    bool keep = xc_facts_kept(job->ds);
    if (rc < 0 || (keep && (rc = xc_facts_add_source(job->facts, job->ds,
                                                     xc_ingest_where(job->in), &src)) < 0))
        return xc_err_set(&job->err, XC_ENOMEM, "out of memory");
    xc_record rec;
    bool by_id = ds->link == XC_LINK_ID;
    while ((rc = by_id ? xc_ingest_next_linked(job->in, &rec, ids_linked, (void *)st->archive,
                                               &job->err)
                       : xc_ingest_next(job->in, &rec, &job->err)) == XC_OK) {
        bool matched = by_id || links(st->archive, ds, &rec);
        xc_ingest_count(job->in, matched);
        /* Standards are few and every region may need one: keep them all. */
        if (keep && (matched || job->ds == XC_DS_DIBAO_STANDARD) &&
            xc_facts_add(job->facts, job->ds, src, &rec) < 0)
            return xc_err_set(&job->err, XC_ENOMEM, "out of memory while reading %s", ds->name);
    }
    if (rc < 0 || (rc = xc_ingest_finish(job->in, &job->err)) < 0) {
        if (!job->err.where[0])
            xc_err_at(&job->err, xc_ingest_where(job->in), 0, NULL);
        return rc;
    }
    /* A dataset read in parts is done when its last part is. */
    xc_dataset_result *r = &st->results[job->ds];
    const xc_counts *c = xc_ingest_counts(job->in);
    pthread_mutex_lock(&st->lock);
    r->counts.read += c->read;
    r->counts.matched += c->matched;
    r->counts.unmatched += c->unmatched;
    r->counts.rejected += c->rejected;
    r->counts.legacy_ids += c->legacy_ids;
    r->counts.invalid_ids += c->invalid_ids;
    r->counts.unknown_county += c->unknown_county;
    double seconds = xc_now() - t0;
    if (seconds > r->seconds)
        r->seconds = seconds;
    if (--st->parts_left[job->ds] == 0) {
        r->evaluated = true;
        if (st->progress)
            st->progress(st->progress_user, ds, r);
    }
    pthread_mutex_unlock(&st->lock);
    return XC_OK;
}

static void *scan_worker(void *arg)
{
    scan_state *st = arg;
    for (;;) {
        pthread_mutex_lock(&st->lock);
        int i = st->next < st->n_jobs ? st->next++ : -1;
        /* After a failure the remaining jobs are not started. */
        for (int k = 0; i >= 0 && k < st->n_jobs; k++)
            if (st->jobs[k].rc < 0)
                i = -1;
        pthread_mutex_unlock(&st->lock);
        if (i < 0)
            return NULL;
        int rc = scan_one(st, &st->jobs[i]);
        pthread_mutex_lock(&st->lock);
        st->jobs[i].rc = rc;
        pthread_mutex_unlock(&st->lock);
    }
}

static int cmp_job_order(const void *x, const void *y)
{
    const scan_job *a = x, *b = y;
    if (a->ds != b->ds)
        return a->ds < b->ds ? -1 : 1;
    return (a->part > b->part) - (a->part < b->part);
}

static int cmp_job_size(const void *x, const void *y)
{
    const scan_job *a = x, *b = y;
    uint64_t da, ta, db, tb;
    xc_ingest_progress(a->in, &da, &ta);
    xc_ingest_progress(b->in, &db, &tb);
    if (ta != tb)
        return ta > tb ? -1 : 1;      /* biggest first */
    return (a->ds > b->ds) - (a->ds < b->ds);
}

int xc_scan(const xc_archive *archive, const xc_scan_part *parts, int n_parts, int jobs_wanted,
            xc_facts *into, xc_dataset_result results[XC_DS_COUNT],
            xc_run_progress *progress, void *progress_user, xc_err *err)
{
    scan_state st = {.archive = archive, .results = results, .progress = progress,
                     .progress_user = progress_user};
    scan_job *jobs = calloc(n_parts > 0 ? (size_t)n_parts : 1, sizeof *jobs);
    if (!jobs)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    for (int i = 0; i < n_parts; i++) {
        jobs[i] = (scan_job){.ds = parts[i].ds, .part = parts[i].part, .in = parts[i].in};
        st.parts_left[parts[i].ds]++;
    }
    st.n_jobs = n_parts;
    qsort(jobs, (size_t)st.n_jobs, sizeof *jobs, cmp_job_size);
    st.jobs = jobs;
    pthread_mutex_init(&st.lock, NULL);
    int workers = jobs_wanted < st.n_jobs ? jobs_wanted : st.n_jobs;
    pthread_t tid[64];
    int started = 0;
    for (; started < workers - 1 && started < 64; started++)
        if (pthread_create(&tid[started], NULL, scan_worker, &st) != 0)
            break;
    scan_worker(&st);                  /* this thread works too */
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&st.lock);
    /* Merge in dataset and part order, so the result does not depend on
     * timing. */
    qsort(jobs, (size_t)st.n_jobs, sizeof *jobs, cmp_job_order);
    int rc = XC_OK;
    for (int j = 0; j < st.n_jobs; j++) {
        if (jobs[j].rc < 0 && rc == XC_OK) {
            rc = jobs[j].rc;
            if (err)
                *err = jobs[j].err;
        }
        if (rc == XC_OK && jobs[j].facts && xc_facts_merge(into, jobs[j].facts) < 0)
            rc = xc_err_set(err, XC_ENOMEM, "out of memory");
        xc_facts_free(jobs[j].facts);
    }
    free(jobs);
    return rc;
}
