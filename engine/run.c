/* run.c - the run pipeline: archive, scan (parallel), evaluate, report. */
#include "xcheck/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xcheck/calendar.h"
#include "xcheck/income.h"
#include "xcheck/payments.h"
#include "xcheck/pg.h"
#include "xcheck/pseudonym.h"
#include "xcheck/report.h"
#include "xcheck/report_html.h"
#include "xcheck/report_xlsx.h"
#include "xcheck/scan.h"
#include "xcheck/text.h"

static void finish_dataset(xc_ingest *in, xc_dataset_result *r, double t0)
{
    r->counts = *xc_ingest_counts(in);
    r->evaluated = true;
    r->seconds = xc_now() - t0;
}

/* ---- archive stage ------------------------------------------------------ */

static int read_archive(xc_ingest *hh_in, xc_ingest *mb_in, xc_archive *a, xc_run_result *res,
                        xc_err *err)
{
    xc_record rec;
    int rc;
    double t0 = xc_now();
    while ((rc = xc_ingest_next(hh_in, &rec, err)) == XC_OK) {
        long first = 0;
        rc = xc_archive_add_household(a, &rec, &first);
        if (rc == XC_DONE) {
            char why[128];
            snprintf(why, sizeof why, "archive_no already used on line %ld", first);
            xc_ingest_reject(hh_in, &rec, XC_HH_ARCHIVE_NO, why);
            continue;
        }
        if (rc < 0)
            return xc_err_set(err, rc, "out of memory while reading household");
        xc_ingest_count(hh_in, true);    /* recounted once members are known */
    }
    if (rc < 0 || (rc = xc_ingest_finish(hh_in, err)) < 0)
        return rc;
    finish_dataset(hh_in, &res->ds[XC_DS_HOUSEHOLD], t0);
    t0 = xc_now();
    while ((rc = xc_ingest_next(mb_in, &rec, err)) == XC_OK) {
        rc = xc_archive_add_member(a, &rec);
        if (rc < 0)
            return xc_err_set(err, rc, "out of memory while reading member");
        xc_ingest_count(mb_in, rc == XC_OK);
    }
    if (rc < 0 || (rc = xc_ingest_finish(mb_in, err)) < 0)
        return rc;
    finish_dataset(mb_in, &res->ds[XC_DS_MEMBER], t0);
    /* A household no member row joined is unmatched. */
    xc_counts *c = &res->ds[XC_DS_HOUSEHOLD].counts;
    for (uint32_t h = 0; h < xc_archive_households(a); h++)
        if (xc_archive_household(a, h)->n_members == 0) {
            c->matched--;
            c->unmatched++;
        }
    return XC_OK;
}

/* ---- the run ------------------------------------------------------------ */

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

static int evaluate(xc_run_result *res, const xc_config *cfg, xc_err *err)
{
    xc_facts_seal(res->facts);
    if (xc_standards_build(res->facts, &res->standards) < 0)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    xc_eval_ctx ctx = {
        .archive = res->archive, .facts = res->facts, .standards = res->standards,
        .profile = &res->profile, .as_of = res->as_of, .audit_from = res->audit_from,
        .full_ids = res->full_ids, .jobs = res->jobs,
    };
    /* The last month that ended on or before as_of. */
    ctx.last_month = xc_date_month(res->as_of + 1) - 1;
    for (int d = 0; d < XC_DS_COUNT; d++) {
        ctx.configured[d] = cfg->ds[d].configured;
        for (int f = 0; f < cfg->ds[d].ds->n_fields; f++)
            if (cfg->ds[d].field[f].column)
                ctx.bound[d] |= 1u << f;
    }
    size_t n_rules;
    xc_rules(&n_rules);
    res->rules = calloc(n_rules, sizeof *res->rules);
    res->n_rules = n_rules;
    if ((res->payments_evaluated = cfg->ds[XC_DS_PAYMENT].configured))
        xc_payment_totals(&ctx, res->payments);
    if (!res->rules || xc_evaluate(&ctx, &res->flags, res->rules) < 0 ||
        xc_rates_compute(&ctx, &res->flags, res->rules, &res->rates, &res->n_rates) < 0)
        return xc_err_set(err, XC_ENOMEM, "out of memory while evaluating");
    for (size_t i = 0; i < res->n_rates; i++) {
        const xc_rate_row *r = &res->rates[i];
        res->rates_failed += r->group == XC_GROUP_TOTAL && r->evaluated && r->denominator &&
                             !r->pass;
    }
    return XC_OK;
}

/* Everything a run holds open while it reads. */
typedef struct sources {
    xc_pg *pg;
    xc_pg_plan *plan[XC_DS_COUNT];        /* postgres datasets */
    xc_rejects *rejects[XC_DS_COUNT];
    xc_ingest *archive_in[2];             /* household, member */
    xc_scan_part *parts;
    int n_parts, cap_parts;
    xc_pseudomap *pseudo;                 /* pseudonyms of the keys, if needed */
} sources;

static int add_part(sources *s, xc_ds_id ds, int part, xc_ingest *in)
{
    if (s->n_parts == s->cap_parts) {
        int cap = s->cap_parts ? s->cap_parts * 2 : 32;
        xc_scan_part *p = realloc(s->parts, (size_t)cap * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        s->parts = p;
        s->cap_parts = cap;
    }
    s->parts[s->n_parts++] = (xc_scan_part){.ds = ds, .part = part, .in = in};
    return XC_OK;
}

static int close_sources(sources *s, int rc, xc_err *err)
{
    for (int i = 0; i < 2; i++)
        xc_ingest_close(s->archive_in[i]);
    for (int i = 0; i < s->n_parts; i++)
        xc_ingest_close(s->parts[i].in);
    free(s->parts);
    xc_pseudomap_free(s->pseudo);
    /* The reject files of a failed run are removed, the previous run's kept. */
    for (int d = 0; d < XC_DS_COUNT; d++) {
        if (rc < 0) {
            xc_rejects_discard(s->rejects[d]);
            continue;
        }
        int r = xc_rejects_close(s->rejects[d], err);
        if (r < 0)
            rc = r;
    }
    xc_pg_free(s->pg);
    return rc;
}

static const char *conninfo_of(const xc_config *cfg, const xc_run_opts *opts, const xc_binding *b)
{
    return b->database ? b->database : opts->database ? opts->database
         : cfg->database ? cfg->database : "";
}

/* Opens parts of dataset d: a postgres dataset as its plan decides. */
static int open_parts(const xc_config *cfg, const xc_run_opts *opts, xc_ds_id d, sources *s,
                      const uint64_t *keys, size_t n_keys, int jobs, xc_run_result *ret,
                      xc_err *err)
{
    const xc_binding *b = &cfg->ds[d];
    xc_dataset_result *r = &ret->ds[d];
    bool archive = d == XC_DS_HOUSEHOLD || d == XC_DS_MEMBER;
    /* Read whole: a payment to someone outside the archive is a finding,
     * candidates are outside it, every region may need a standard. */
    bool whole = d == XC_DS_PAYMENT || d == XC_DS_CANDIDATE || d == XC_DS_DIBAO_STANDARD;
    int parts = 1;
    if (b->kind == XC_KIND_POSTGRES) {
        xc_pushdown mode = archive || whole ? XC_PUSHDOWN_OFF
                         : opts->pushdown >= 0 ? (xc_pushdown)opts->pushdown : b->pushdown;
        parts = xc_pg_decide(s->plan[d], keys, n_keys, b->id_pseudonym ? s->pseudo : NULL, mode,
                             archive ? 1 : jobs, err);
        if (parts < 0)
            return parts;
        snprintf(r->strategy, sizeof r->strategy, "%s", xc_pg_strategy(s->plan[d]));
        snprintf(r->strategy_reason, sizeof r->strategy_reason, "%s",
                 xc_pg_strategy_reason(s->plan[d]));
        snprintf(r->where, sizeof r->where, "%s", xc_pg_label(s->plan[d]));
    } else {
        snprintf(r->strategy, sizeof r->strategy, "file");
        snprintf(r->where, sizeof r->where, "%s", b->path);
    }
    r->parts = parts;
    for (int k = 0; k < parts; k++) {
        xc_source_ctx ctx = {.part = k, .parts = parts, .plan = s->plan[d]};
        xc_ingest *in = NULL;
        int rc = xc_ingest_open_part(b, &ctx, opts->as_of, s->rejects[d], &in, err);
        if (rc < 0)
            return rc;
        if (archive)
            s->archive_in[d == XC_DS_MEMBER] = in;
        else if (add_part(s, d, k, in) < 0) {
            xc_ingest_close(in);
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        }
    }
    return XC_OK;
}

/* Scans the candidate parts (only == true) or every other part. */
static int scan_parts(sources *s, bool only, const xc_idtab *also, const xc_run_opts *opts,
                      xc_run_result *ret, xc_err *err)
{
    xc_scan_part *parts = malloc((size_t)(s->n_parts ? s->n_parts : 1) * sizeof *parts);
    if (!parts)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    int n = 0;
    for (int i = 0; i < s->n_parts; i++)
        if ((s->parts[i].ds == XC_DS_CANDIDATE) == only)
            parts[n++] = s->parts[i];
    int rc = xc_scan(ret->archive, also, parts, n, ret->jobs, ret->facts, ret->ds,
                     opts->progress, opts->tick, opts->progress_user, err);
    free(parts);
    return rc;
}

/* Reads the candidates, and adds the ID numbers of those outside the
 * archive to *keys and to a table of their own (*ret). */
static int scan_candidates(const xc_config *cfg, const xc_run_opts *opts, sources *s,
                           xc_run_result *ret, xc_idtab **ret_tab, uint64_t **keys,
                           size_t *n_keys, xc_err *err)
{
    int rc = XC_OK;
    if (s->plan[XC_DS_CANDIDATE] &&
        (rc = open_parts(cfg, opts, XC_DS_CANDIDATE, s, NULL, 0, ret->jobs, ret, err)) < 0)
        return rc;
    if ((rc = scan_parts(s, true, NULL, opts, ret, err)) < 0)
        return rc;
    xc_facts_seal(ret->facts);
    size_t n;
    const xc_fact_candidate *c = xc_facts_all(ret->facts, XC_DS_CANDIDATE, &n);
    uint64_t *more = realloc(*keys, (*n_keys + n + 1) * sizeof *more);
    if (!more || xc_idtab_new(n, ret_tab) < 0) {
        if (more)
            *keys = more;
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    }
    *keys = more;
    for (size_t i = 0; i < n; i++) {
        uint64_t key = c[i].h.key;
        if (!key || xc_archive_find_person(ret->archive, key) != XC_NONE)
            continue;
        int r = xc_idtab_insert(*ret_tab, key, 0, NULL);
        if (r == XC_ENOMEM)
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        if (r == XC_OK)
            more[(*n_keys)++] = key;
    }
    return XC_OK;
}

int xc_run_execute(const xc_config *cfg, const xc_run_opts *opts, xc_run_result *ret,
                   xc_err *err)
{
    double t0 = xc_now(), t;
    memset(ret, 0, sizeof *ret);
    ret->started = (int64_t)time(NULL);
    ret->as_of = opts->as_of;
    ret->full_ids = opts->full_ids;
    ret->version = opts->version ? opts->version : "unknown";
    snprintf(ret->config_path, sizeof ret->config_path, "%s", cfg->path);
    snprintf(ret->config_hash, sizeof ret->config_hash, "%s", cfg->hash);
    if (opts->run_id)
        snprintf(ret->run_id, sizeof ret->run_id, "%s", opts->run_id);
    else
        xc_date_format(ret->as_of, ret->run_id);      /* nightly: one run per as_of */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    ret->jobs = opts->jobs > 0 ? opts->jobs : cores > 0 ? (int)cores : 1;
    const char *profile = opts->profile ? opts->profile : cfg->profile ? cfg->profile : "default";
    int rc = xc_profile_load(profile, opts->profile ? "." : cfg->dir, opts->rules_dir,
                             &ret->profile, err);
    if (rc < 0)
        return rc;
    ret->audit_from = xc_date_add_months(ret->as_of, -ret->profile.audit_period_months);
    /* The output directory is checked before hours of reading, not when the
     * first report is written. */
    char reject_dir[4096];
    snprintf(reject_dir, sizeof reject_dir, "%s/rejects", opts->output);
    if ((rc = xc_output_dir(opts->output, XC_OUTDIR_PRIVATE, err)) < 0 ||
        (rc = xc_output_dir(reject_dir, XC_OUTDIR_PRIVATE, err)) < 0)
        return rc;
    if (xc_archive_new(&ret->archive) < 0 || xc_facts_new(&ret->facts) < 0)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    sources s = {0};
    uint64_t *keys = NULL;
    size_t n_keys = 0;
    xc_idtab *candidates = NULL;

    /* Check every source first, so that a missing file, table or column
     * stops the run before hours of reading the others: files are opened
     * (header checked), postgres datasets checked in the run's snapshot. */
    for (int d = 0; d < XC_DS_COUNT && rc >= 0; d++) {
        const xc_binding *b = &cfg->ds[d];
        if (!b->configured)
            continue;
        rc = xc_rejects_open(reject_dir, b->ds->name, opts->full_ids, &s.rejects[d], err);
        if (rc >= 0 && b->kind == XC_KIND_POSTGRES) {
            if (!s.pg && xc_pg_new(&s.pg, cfg->lock_timeout_ms) < 0)
                rc = xc_err_set(err, XC_ENOMEM, "out of memory");
            else
                rc = xc_pg_prepare(s.pg, b, conninfo_of(cfg, opts, b), &s.plan[d], err);
        } else if (rc >= 0) {
            rc = open_parts(cfg, opts, (xc_ds_id)d, &s, NULL, 0, 1, ret, err);
        }
    }
    if (rc < 0)
        goto done;
    snprintf(ret->snapshot, sizeof ret->snapshot, "%s", xc_pg_snapshot(s.pg));

    t = xc_now();
    if (opts->stage)
        opts->stage(opts->progress_user, "archive");
    for (int d = XC_DS_HOUSEHOLD; d <= XC_DS_MEMBER && rc >= 0; d++)
        if (cfg->ds[d].kind == XC_KIND_POSTGRES)
            rc = open_parts(cfg, opts, (xc_ds_id)d, &s, NULL, 0, 1, ret, err);
    if (rc < 0 || (rc = read_archive(s.archive_in[0], s.archive_in[1], ret->archive, ret,
                                     err)) < 0)
        goto done;
    if (xc_archive_seal(ret->archive) < 0 || xc_archive_keys(ret->archive, &keys, &n_keys) < 0) {
        rc = xc_err_set(err, XC_ENOMEM, "out of memory");
        goto done;
    }
    ret->households = xc_archive_households(ret->archive);
    ret->persons = xc_archive_persons(ret->archive);
    for (uint32_t h = 0; h < ret->households; h++)
        ret->households_in_archive += xc_in_archive(xc_archive_household(ret->archive, h),
                                                    ret->as_of);
    if (opts->progress) {
        opts->progress(opts->progress_user, xc_dataset(XC_DS_HOUSEHOLD), &ret->ds[XC_DS_HOUSEHOLD]);
        opts->progress(opts->progress_user, xc_dataset(XC_DS_MEMBER), &ret->ds[XC_DS_MEMBER]);
    }
    ret->seconds_archive = xc_now() - t;

    t = xc_now();
    if (opts->stage)
        opts->stage(opts->progress_user, "scan");
    /* Candidates first: their ID numbers join the archive's, so that the
     * reference rows about them are kept too. */
    if (cfg->ds[XC_DS_CANDIDATE].configured &&
        (rc = scan_candidates(cfg, opts, &s, ret, &candidates, &keys, &n_keys, err)) < 0)
        goto done;
    /* Datasets whose ID column holds pseudonyms are matched on the
     * pseudonyms of the archive's (and the candidates') people. */
    bool pseudonyms = false;
    for (int d = 0; d < XC_DS_COUNT; d++)
        pseudonyms |= cfg->ds[d].configured && cfg->ds[d].id_pseudonym;
    if (pseudonyms && !opts->key) {
        rc = xc_err_set(err, XC_ECONFIG, "a dataset with id_form = pseudonym needs the "
                        "pseudonym key");
        goto done;
    }
    if (pseudonyms && xc_pseudomap_new(opts->key, keys, n_keys, &s.pseudo) < 0) {
        rc = xc_err_set(err, XC_ENOMEM, "out of memory");
        goto done;
    }
    /* With the IDs known, plan the postgres datasets. */
    for (int d = XC_DS_MEMBER + 1; d < XC_DS_COUNT && rc >= 0; d++)
        if (s.plan[d] && d != XC_DS_CANDIDATE)
            rc = open_parts(cfg, opts, (xc_ds_id)d, &s, keys, n_keys, ret->jobs, ret, err);
    if (rc < 0)
        goto done;
    for (int i = 0; i < s.n_parts; i++)
        if (cfg->ds[s.parts[i].ds].id_pseudonym)
            xc_ingest_set_pseudonyms(s.parts[i].in, s.pseudo);
    rc = scan_parts(&s, false, candidates, opts, ret, err);
    ret->seconds_scan = xc_now() - t;
    if (rc < 0)
        goto done;

    t = xc_now();
    if (opts->stage)
        opts->stage(opts->progress_user, "evaluate");
    rc = evaluate(ret, cfg, err);
    ret->seconds_evaluate = xc_now() - t;
    if (rc < 0)
        goto done;

    t = xc_now();
    if (opts->stage)
        opts->stage(opts->progress_user, "report");
    if ((rc = write_accounting(opts->output, ret, err)) < 0 ||
        (rc = xc_report_write(ret, opts->output, err)) < 0 ||
        (rc = xc_report_write_xlsx(ret, opts->output, err)) < 0)
        goto done;
    ret->seconds_report = xc_now() - t;
    ret->seconds = xc_now() - t0;
    ret->finished = (int64_t)time(NULL);
    if ((rc = xc_report_write_html(ret, opts->output, err)) < 0)
        goto done;
    rc = xc_report_write_summary(ret, opts->output, err);
done:
    free(keys);
    xc_idtab_free(candidates);
    return close_sources(&s, rc, err) < 0 ? (rc < 0 ? rc : XC_EIO) : XC_OK;
}

void xc_run_result_free(xc_run_result *r)
{
    xc_archive_free(r->archive);
    xc_facts_free(r->facts);
    xc_standards_free(r->standards);
    xc_flags_clear(&r->flags);
    free(r->rules);
    free(r->rates);
    memset(r, 0, sizeof *r);
}
