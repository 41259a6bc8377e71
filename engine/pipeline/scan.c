/* scan.c - the scan stage: each non-archive dataset streamed once, one part
 * per worker thread at a time, its matched rows kept as facts; each part's
 * counts go to its dataset and to the dataset's source it reads. */
#include "scan.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xcheck/region.h"

/* Decides whether a record of a non-archive dataset links to the archive;
 * *ret_key is what its fact is kept under: the ID key, or for a dataset
 * linked by archive number the household's index + 1. */
static bool links(const xc_archive *a, const xc_dataset_def *ds, const xc_record *rec,
                  uint64_t *ret_key)
{
    const xc_value *v = &rec->v[ds->link_field];
    *ret_key = rec->id.key;
    switch (ds->link) {
    case XC_LINK_ID:
        return rec->id.key && xc_archive_find_person(a, rec->id.key) != XC_NONE;
    case XC_LINK_ARCHIVE_NO: {
        uint32_t h = xc_archive_find_household(a, v->s, v->len);
        *ret_key = h == XC_NONE ? 0 : (uint64_t)h + 1;
        return h != XC_NONE;
    }
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

/* Datasets kept whole, linked or not: every region may need a standard, a
 * payment to someone outside the archive is a finding, candidates are by
 * definition outside it, and so are the dispositions of their flags. */
static bool kept_whole(xc_ds_id ds)
{
    return ds == XC_DS_DIBAO_STANDARD || ds == XC_DS_PAYMENT || ds == XC_DS_CANDIDATE ||
           ds == XC_DS_DISPOSITION;
}

typedef struct scan_job {
    xc_ds_id ds;
    int part;
    int source;              /* of the dataset's sources, the one it reads */
    xc_ingest *in;
    xc_facts *facts;
    uint64_t bytes_total;    /* the source's size, 0 when unknown */
    int state;               /* 0 waiting, 1 being read, 2 done */
    double since;            /* being read: when it started, or when the
                                ticker last saw its row count grow */
    uint64_t rows_seen;      /* the row count the ticker saw then */
    int rc;
    double seconds;
    xc_err err;
    uint16_t shift[XC_DS_COUNT];   /* its source's number in the run's set */
    size_t bytes;            /* its facts' size when last looked at */
    bool done_reading;       /* its facts are all there, not spilled */
} scan_job;

typedef struct scan_state {
    const xc_archive *archive;
    const xc_idtab *also;    /* more ID numbers whose rows are kept */
    scan_job *jobs;
    int n_jobs, next;
    xc_dataset_result *results;
    int parts_left[XC_DS_COUNT];
    xc_run_progress *progress;
    xc_run_tick *tick;
    void *progress_user;
    double started;
    bool finished;           /* every worker is done: the ticker stops */
    pthread_cond_t wake;     /* wakes the ticker early */
    pthread_mutex_t lock;
    /* Spilling (spill NULL: never): the workers' facts counted together
     * with what `into` held at the start; once spilling, every part's facts
     * go to the store as they grow and when it ends. */
    xc_scan_spill *spill;
    const xc_facts *into;
    size_t into_bytes;
    bool spilling;
    pthread_mutex_t spill_lock;
} scan_state;

_Static_assert(XC_NONE == XC_UNLINKED, "a person index doubles as the link");

static void ids_linked(void *user, const uint64_t *keys, size_t n, uint32_t *ret)
{
    const scan_state *st = user;
    xc_archive_find_persons(st->archive, keys, n, ret);
    if (!st->also)
        return;
    uint64_t more[64];
    uint32_t found[64];
    for (size_t base = 0; base < n; base += 64) {
        size_t m = n - base < 64 ? n - base : 64;
        for (size_t i = 0; i < m; i++)
            more[i] = ret[base + i] == XC_UNLINKED ? keys[base + i] : 0;
        xc_idtab_find_batch(st->also, more, m, found);
        for (size_t i = 0; i < m; i++)
            if (ret[base + i] == XC_UNLINKED && found[i] != XC_IDTAB_NONE)
                ret[base + i] = 0;      /* linked, to no person of the archive */
    }
}

void xc_scan_counts_add(xc_counts *into, const xc_counts *c)
{
    into->read += c->read;
    into->matched += c->matched;
    into->unmatched += c->unmatched;
    into->rejected += c->rejected;
    into->legacy_ids += c->legacy_ids;
    into->invalid_ids += c->invalid_ids;
    into->unknown_county += c->unknown_county;
    into->physical_rows += c->physical_rows;
    into->other_lines += c->other_lines;
}

/* Moves the job's facts that belong to a window into the store. */
static int spill_job(scan_state *st, scan_job *job)
{
    int rc = xc_facts_spill(job->facts, &st->spill->plan, job->shift, st->spill->store,
                            &job->err);
    if (rc < 0 && !job->err.where[0])
        xc_err_at(&job->err, xc_spill_dir(st->spill->store), 0, NULL);
    return rc;
}

/* Opens the store and plans the windows: once, under spill_lock. */
static int start_spilling(scan_state *st, xc_err *err)
{
    xc_scan_spill *sp = st->spill;
    if (!sp->spilled) {
        size_t n_hh = xc_archive_households(st->archive);
        int n = sp->windows < 1 ? 1 : sp->windows;
        if (n_hh < (size_t)n)
            n = n_hh ? (int)n_hh : 1;
        sp->plan = (xc_facts_windows){.archive = st->archive,
                                      .households = (uint32_t)((n_hh + (size_t)n - 1) / (size_t)n),
                                      .n = n, .keep = st->into};
        if (sp->plan.households == 0)
            sp->plan.households = 1;
        if (xc_facts_workers(st->archive, &sp->workers, &sp->plan.n_workers) < 0)
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        sp->plan.workers = sp->workers;
        int rc = sp->store ? XC_OK : xc_spill_open(sp->dir, n, &sp->store, err);
        if (rc < 0)
            return rc;
        sp->spilled = true;
    }
    st->spilling = true;
    return XC_OK;
}

/* Whether the facts pass the budget, counting this job's as they are now
 * (at_end: the part is done); once they have, moves this job's facts to
 * the store, and at the first time those of the parts already done too. */
static int check_spill(scan_state *st, scan_job *job, bool at_end)
{
    size_t bytes = xc_facts_bytes(job->facts);
    pthread_mutex_lock(&st->spill_lock);
    job->bytes = bytes;
    int rc = XC_OK;
    if (!st->spilling) {
        size_t total = st->into_bytes;
        for (int i = 0; i < st->n_jobs; i++)
            total += st->jobs[i].bytes;
        if (st->spill->budget && total > st->spill->budget) {
            rc = start_spilling(st, &job->err);
            for (int i = 0; rc == XC_OK && i < st->n_jobs; i++) {
                scan_job *done = &st->jobs[i];
                if (done != job && done->done_reading && done->facts) {
                    rc = spill_job(st, done);
                    done->bytes = xc_facts_bytes(done->facts);
                    if (rc < 0)
                        job->err = done->err;
                }
            }
        }
    }
    bool spill_now = rc == XC_OK && st->spilling &&
                     (at_end || bytes > st->spill->budget / (2 * (size_t)(st->n_jobs ? st->n_jobs : 1)));
    if (!spill_now && at_end)
        job->done_reading = true;
    pthread_mutex_unlock(&st->spill_lock);
    if (spill_now) {
        rc = spill_job(st, job);
        pthread_mutex_lock(&st->spill_lock);
        job->bytes = xc_facts_bytes(job->facts);
        job->done_reading = at_end;
        pthread_mutex_unlock(&st->spill_lock);
    }
    return rc;
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
    bool whole = kept_whole(job->ds);
    bool by_id = ds->link == XC_LINK_ID && !whole;
    unsigned kept = 0;
    while ((rc = by_id ? xc_ingest_next_linked(job->in, &rec, ids_linked, st, &job->err)
                       : xc_ingest_next(job->in, &rec, &job->err)) == XC_OK) {
        uint64_t key = rec.id.key;
        bool matched = by_id || links(st->archive, ds, &rec, &key);
        xc_ingest_count(job->in, matched);
        if (!keep || !(matched || whole))
            continue;
        if (xc_facts_add_key(job->facts, job->ds, src, key, &rec) < 0)
            return xc_err_set(&job->err, XC_ENOMEM, "out of memory while reading %s", ds->name);
        if (st->spill && ++kept % 65536 == 0 && (rc = check_spill(st, job, false)) < 0)
            return rc;
    }
    if (rc < 0 || (rc = xc_ingest_finish(job->in, &job->err)) < 0) {
        if (!job->err.where[0])
            xc_err_at(&job->err, xc_ingest_where(job->in), 0, NULL);
        return rc;
    }
    if (st->spill && keep && (rc = check_spill(st, job, true)) < 0)
        return rc;
    /* A dataset read in parts is done when its last part is. */
    xc_dataset_result *r = &st->results[job->ds];
    const xc_counts *c = xc_ingest_counts(job->in);
    pthread_mutex_lock(&st->lock);
    xc_scan_counts_add(&r->counts, c);
    if (r->sources && job->source >= 0 && job->source < r->n_sources)
        xc_scan_counts_add(&r->sources[job->source].counts, c);
    xc_span_merge(&r->span, xc_ingest_span(job->in));
    xc_reasons_merge(&r->reasons, xc_ingest_reasons(job->in));
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
        pthread_mutex_lock(&st->lock);
        st->jobs[i].state = 1;
        st->jobs[i].since = xc_now();
        pthread_mutex_unlock(&st->lock);
        int rc = scan_one(st, &st->jobs[i]);
        pthread_mutex_lock(&st->lock);
        st->jobs[i].rc = rc;
        st->jobs[i].state = 2;
        pthread_mutex_unlock(&st->lock);
    }
}

/* The scan as it stands, from the counters the workers publish. Called
 * from the ticker alone, which also notes when each source's rows last
 * grew: a source that sends nothing (a lock, a slow query, a server that
 * stopped answering) shows as stalled. */
static void status_of(scan_state *st, xc_scan_status *ret)
{
    memset(ret, 0, sizeof *ret);
    pthread_mutex_lock(&st->lock);
    double now = xc_now();
    ret->seconds = now - st->started;
    bool named[XC_DS_COUNT] = {false};
    for (int i = 0; i < st->n_jobs; i++) {
        scan_job *job = &st->jobs[i];
        uint64_t rows, bytes;
        xc_ingest_seen(job->in, &rows, &bytes);
        ret->rows += rows;
        if (job->state == 1 && rows != job->rows_seen) {
            job->rows_seen = rows;
            job->since = now;
        }
        if (job->state == 1 && (!ret->stalled[0] || now - job->since > ret->stalled_seconds)) {
            ret->stalled_seconds = now - job->since;
            snprintf(ret->stalled, sizeof ret->stalled, "%s", xc_dataset(job->ds)->name);
        }
        if (job->bytes_total) {
            ret->bytes_total += job->bytes_total;
            ret->bytes_done += job->state == 2 ? job->bytes_total
                               : bytes < job->bytes_total ? bytes : job->bytes_total;
        }
        if (job->state == 1 && !named[job->ds]) {
            named[job->ds] = true;
            size_t n = strlen(ret->active);
            snprintf(ret->active + n, sizeof ret->active - n, "%s%s", n ? ", " : "",
                     xc_dataset(job->ds)->name);
        }
        ret->parts_done += job->state == 2;
    }
    ret->parts = st->n_jobs;
    ret->done = st->finished;
    pthread_mutex_unlock(&st->lock);
}

/* Calls st->tick four times a second while the workers read, and once more
 * when they are done. */
static void *ticker(void *arg)
{
    scan_state *st = arg;
    xc_scan_status s;
    for (;;) {
        status_of(st, &s);
        st->tick(st->progress_user, &s);
        if (s.done)
            return NULL;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 250 * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_mutex_lock(&st->lock);
        if (!st->finished)
            pthread_cond_timedwait(&st->wake, &st->lock, &until);
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

int xc_scan(const xc_archive *archive, const xc_idtab *also, const xc_scan_part *parts,
            int n_parts, int jobs_wanted, xc_facts *into, xc_dataset_result results[XC_DS_COUNT],
            xc_run_progress *progress, xc_run_tick *tick, void *progress_user, xc_err *err)
{
    return xc_scan_spilling(archive, also, parts, n_parts, jobs_wanted, into, results, NULL,
                            progress, tick, progress_user, err);
}

int xc_scan_spilling(const xc_archive *archive, const xc_idtab *also,
                     const xc_scan_part *parts, int n_parts, int jobs_wanted, xc_facts *into,
                     xc_dataset_result results[XC_DS_COUNT], xc_scan_spill *spill,
                     xc_run_progress *progress, xc_run_tick *tick, void *progress_user,
                     xc_err *err)
{
    scan_state st = {.archive = archive, .also = also, .results = results, .progress = progress,
                     .tick = tick, .progress_user = progress_user, .started = xc_now(),
                     .spill = spill, .into = into, .into_bytes = xc_facts_bytes(into),
                     .spilling = spill && spill->spilled};
    scan_job *jobs = calloc(n_parts > 0 ? (size_t)n_parts : 1, sizeof *jobs);
    if (!jobs)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    for (int i = 0; i < n_parts; i++) {
        jobs[i] = (scan_job){.ds = parts[i].ds, .part = parts[i].part, .in = parts[i].in,
                             .source = parts[i].source};
        st.parts_left[parts[i].ds]++;
    }
    st.n_jobs = n_parts;
    /* The source number each part's facts will have once merged (in
     * dataset and part order, after those `into` has): the facts it
     * spills carry it. */
    qsort(jobs, (size_t)st.n_jobs, sizeof *jobs, cmp_job_order);
    for (int i = 0, k = 0; i < st.n_jobs; i++) {
        k = i > 0 && jobs[i - 1].ds == jobs[i].ds ? k + 1 : 0;
        jobs[i].shift[jobs[i].ds] = (uint16_t)(xc_facts_sources(into, jobs[i].ds) + k);
    }
    qsort(jobs, (size_t)st.n_jobs, sizeof *jobs, cmp_job_size);
    st.jobs = jobs;
    for (int i = 0; i < st.n_jobs; i++) {
        uint64_t done;
        xc_ingest_progress(jobs[i].in, &done, &jobs[i].bytes_total);
    }
    pthread_mutex_init(&st.lock, NULL);
    pthread_mutex_init(&st.spill_lock, NULL);
    pthread_cond_init(&st.wake, NULL);
    pthread_t tick_tid;
    bool ticking = tick && pthread_create(&tick_tid, NULL, ticker, &st) == 0;
    int workers = jobs_wanted < st.n_jobs ? jobs_wanted : st.n_jobs;
    pthread_t tid[64];
    int started = 0;
    for (; started < workers - 1 && started < 64; started++)
        if (pthread_create(&tid[started], NULL, scan_worker, &st) != 0)
            break;
    scan_worker(&st);                  /* this thread works too */
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_lock(&st.lock);
    st.finished = true;
    pthread_cond_signal(&st.wake);
    pthread_mutex_unlock(&st.lock);
    if (ticking)
        pthread_join(tick_tid, NULL);
    pthread_cond_destroy(&st.wake);
    pthread_mutex_destroy(&st.lock);
    pthread_mutex_destroy(&st.spill_lock);
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
