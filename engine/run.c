/* run.c - the run pipeline: archive first, then every other dataset. */
#include "xcheck/run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int xc_mkdirs(const char *dir, xc_err *err)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return xc_err_set(err, XC_EIO, "directory name too long: \"%s\"", dir);
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(path, 0777) < 0 && errno != EEXIST) {
            xc_err_set(err, XC_EIO, "cannot create directory \"%s\": %s", path, strerror(errno));
            return XC_EIO;
        }
        *p = c;
        if (!c)
            break;
    }
    return XC_OK;
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
    case XC_LINK_REGION:
        return xc_archive_covers_region(a, (uint32_t)v->i, (int)v->len);
    case XC_LINK_NONE:
        break;
    }
    return false;
}

static int read_dataset(const xc_config *cfg, const xc_run_opts *opts, xc_ds_id id,
                        xc_ingest *in, xc_archive *a, xc_run_result *res, xc_err *err)
{
    const xc_binding *b = &cfg->ds[id];
    xc_dataset_result *r = &res->ds[id];
    double t0 = now_seconds();
    int rc;
    snprintf(r->where, sizeof r->where, "%s", xc_ingest_where(in));
    xc_record rec;
    while ((rc = xc_ingest_next(in, &rec, err)) == XC_OK) {
        if (id == XC_DS_HOUSEHOLD) {
            long first = 0;
            rc = xc_archive_add_household(a, &rec, &first);
            if (rc == XC_DONE) {
                char why[128];
                snprintf(why, sizeof why, "archive_no already used on line %ld", first);
                xc_ingest_reject(in, &rec, XC_HH_ARCHIVE_NO, why);
                continue;
            }
            /* A household counts as matched once a member row joins it;
             * see below. */
            xc_ingest_count(in, true);
        } else if (id == XC_DS_MEMBER) {
            rc = xc_archive_add_member(a, &rec);
            xc_ingest_count(in, rc == XC_OK);
        } else {
            xc_ingest_count(in, links(a, b->ds, &rec));
            rc = XC_OK;
        }
        if (rc < 0) {
            xc_err_set(err, rc, "out of memory while reading %s", b->ds->name);
            break;
        }
    }
    if (rc == XC_DONE)
        rc = xc_ingest_finish(in, err);
    if (rc >= 0) {
        r->counts = *xc_ingest_counts(in);
        r->evaluated = true;
        r->seconds = now_seconds() - t0;
    } else if (err && !err->where[0]) {
        xc_err_at(err, xc_ingest_where(in), 0, NULL);
    }
    if (rc >= 0 && opts->progress)
        opts->progress(opts->progress_user, b->ds, r);
    return rc < 0 ? rc : XC_OK;
}

/* Households without any member row are "unmatched": nothing joined them. */
static void recount_households(const xc_archive *a, xc_dataset_result *r)
{
    uint64_t empty = 0;
    for (uint32_t h = 0; h < xc_archive_households(a); h++)
        empty += xc_archive_household(a, h)->n_members == 0;
    r->counts.matched -= empty;
    r->counts.unmatched += empty;
}

static int write_accounting(const char *outdir, const xc_run_result *res, xc_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/accounting.csv", outdir);
    FILE *f = fopen(path, "w");
    if (!f)
        return xc_err_set(err, XC_EIO, "cannot write \"%s\": %s", path, strerror(errno));
    fputs("dataset,evaluated,source,read,matched,unmatched,rejected,legacy_ids,"
          "invalid_ids,unknown_county\n", f);
    for (int d = 0; d < XC_DS_COUNT; d++) {
        const xc_dataset_result *r = &res->ds[d];
        const xc_counts *c = &r->counts;
        fprintf(f, "%s,%s,\"%s\",%llu,%llu,%llu,%llu,%llu,%llu,%llu\n",
                xc_dataset((xc_ds_id)d)->name, r->evaluated ? "yes" : "no", r->where,
                (unsigned long long)c->read, (unsigned long long)c->matched,
                (unsigned long long)c->unmatched, (unsigned long long)c->rejected,
                (unsigned long long)c->legacy_ids, (unsigned long long)c->invalid_ids,
                (unsigned long long)c->unknown_county);
    }
    int bad = ferror(f);
    bad |= fclose(f) != 0;
    return bad ? xc_err_set(err, XC_EIO, "cannot write \"%s\"", path) : XC_OK;
}

int xc_run_execute(const xc_config *cfg, const xc_run_opts *opts, xc_run_result *ret,
                   xc_archive **ret_archive, xc_err *err)
{
    double t0 = now_seconds();
    memset(ret, 0, sizeof *ret);
    ret->as_of = opts->as_of;
    char reject_dir[4096];
    snprintf(reject_dir, sizeof reject_dir, "%s/rejects", opts->output);
    int rc = xc_mkdirs(reject_dir, err);
    if (rc < 0)
        return rc;
    xc_archive *a = NULL;
    xc_ingest *in[XC_DS_COUNT] = {0};
    if (xc_archive_new(&a) < 0)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    /* Open every source first, so that a missing file or column stops the
     * run before hours of reading the others. */
    for (int d = 0; d < XC_DS_COUNT; d++) {
        if (!cfg->ds[d].configured)
            continue;
        rc = xc_ingest_open(&cfg->ds[d], opts->as_of, reject_dir, &in[d], err);
        if (rc < 0)
            goto fail;
    }
    /* Archive first: every other dataset is matched against it. */
    static const xc_ds_id order[] = {
        XC_DS_HOUSEHOLD, XC_DS_MEMBER, XC_DS_HUKOU, XC_DS_SOCIAL_INSURANCE,
        XC_DS_PROPERTY, XC_DS_VEHICLE, XC_DS_BUSINESS, XC_DS_DIBAO_STANDARD,
        XC_DS_CONTACT, XC_DS_PAYMENT, XC_DS_EXIT_RECORD, XC_DS_FOLLOWUP, XC_DS_CANDIDATE,
    };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        xc_ds_id d = order[i];
        if (!in[d])
            continue;
        rc = read_dataset(cfg, opts, d, in[d], a, ret, err);
        xc_ingest_close(in[d]);
        in[d] = NULL;
        if (rc < 0)
            goto fail;
        if (d == XC_DS_MEMBER)
            recount_households(a, &ret->ds[XC_DS_HOUSEHOLD]);
    }
    ret->households = xc_archive_households(a);
    ret->persons = xc_archive_persons(a);
    rc = write_accounting(opts->output, ret, err);
    if (rc < 0)
        goto fail;
    ret->seconds = now_seconds() - t0;
    if (ret_archive)
        *ret_archive = a;
    else
        xc_archive_free(a);
    return XC_OK;
fail:
    for (int d = 0; d < XC_DS_COUNT; d++)
        xc_ingest_close(in[d]);
    xc_archive_free(a);
    return rc;
}
