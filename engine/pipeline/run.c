/* run.c - the run pipeline: archive, scan (parallel), evaluate, report. */
#include "xcheck/run.h"
#include "xcheck/region.h"

#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xcheck/i18n.h"
#include "xcheck/calendar.h"
#include "xcheck/plugin/income.h"
#include "xcheck/payments.h"
#include "xcheck/pseudonym.h"
#include "scan.h"
#include "xcheck/plugin/source.h"
#include "xcheck/spill.h"
#include "xcheck/text.h"

/* Adds part `part` (read through in) of a dataset to its result: to the
 * dataset's counts and to those of the source the part reads. */
static void add_part_result(xc_ingest *in, xc_dataset_result *r, int source)
{
    const xc_counts *c = xc_ingest_counts(in);
    xc_scan_counts_add(&r->counts, c);
    if (r->sources && source >= 0 && source < r->n_sources)
        xc_scan_counts_add(&r->sources[source].counts, c);
    xc_span_merge(&r->span, xc_ingest_span(in));
    xc_reasons_merge(&r->reasons, xc_ingest_reasons(in));
}

/* ---- archive stage ------------------------------------------------------ */

/* Notes someone of an archive row the run could not read. */
static int unsee(xc_run_result *res, uint64_t key)
{
    if (!res->unseen && xc_idtab_new(64, &res->unseen) < 0)
        return XC_ENOMEM;
    int rc = xc_idtab_insert(res->unseen, key, 0, NULL);
    return rc == XC_ENOMEM ? XC_ENOMEM : XC_OK;
}

/* Notes that dataset d rejected a row about the person of key. */
static int reject_of(xc_run_result *res, uint64_t key, xc_ds_id d)
{
    if (!res->rejected_keys && xc_idtab_new(64, &res->rejected_keys) < 0)
        return XC_ENOMEM;
    uint32_t at;
    int rc = xc_idtab_insert(res->rejected_keys, key, (uint32_t)res->n_rejected_masks, &at);
    if (rc == XC_ENOMEM)
        return XC_ENOMEM;
    if (rc == XC_OK) {
        uint32_t *m = realloc(res->rejected_masks, (res->n_rejected_masks + 1) * sizeof *m);
        if (!m)
            return XC_ENOMEM;
        res->rejected_masks = m;
        at = (uint32_t)res->n_rejected_masks++;
        m[at] = 0;
    }
    res->rejected_masks[at] |= XC_NEEDS(d);
    return XC_OK;
}

/* Marks household h read in part: a household or member row of its archive
 * number was rejected, so no household rule can judge it. */
/* The households outside the run's area, into res->outside: the whole
 * archive is read (a person of the area may share an ID with a household
 * elsewhere, DUP-PERSON), only the area's households are judged. */
static int mark_outside(xc_run_result *res)
{
    size_t n = xc_archive_households(res->archive);
    if (!(res->outside = calloc(n / 8 + 1, 1)))
        return XC_ENOMEM;
    for (uint32_t h = 0; h < n; h++)
        if (!xc_region_in(xc_archive_household(res->archive, h)->region, res->region,
                          res->region_digits)) {
            res->outside[h / 8] |= (uint8_t)(1u << (h % 8));
            res->households_outside++;
        }
    return XC_OK;
}

const char *xc_run_region_label(const xc_run_result *r, char *buf, size_t bufsz)
{
    buf[0] = '\0';
    if (!r->region_digits)
        return buf;
    uint32_t code = r->region_digits == 2 ? r->region * 10000
                  : r->region_digits == 4 ? r->region * 100 : r->region;
    const char *name = xc_region_name(code);
    snprintf(buf, bufsz, "%s（%0*u）", name ? name : "未知地区", r->region_digits, r->region);
    return buf;
}

static int mark_partial(xc_run_result *res, uint32_t h)
{
    if (!res->partial &&
        !(res->partial = calloc(xc_archive_households(res->archive) / 8 + 1, 1)))
        return XC_ENOMEM;
    if (!(res->partial[h / 8] >> (h % 8) & 1))
        res->n_partial++;
    res->partial[h / 8] |= (uint8_t)(1u << (h % 8));
    return XC_OK;
}

/* Notes that dataset d rejected a row about household h. */
static int household_rejected(xc_run_result *res, uint32_t h, xc_ds_id d)
{
    if (!res->hh_rejected) {
        size_t n = xc_archive_households(res->archive);
        if (!(res->hh_rejected = calloc(n ? n : 1, sizeof *res->hh_rejected)))
            return XC_ENOMEM;
    }
    res->hh_rejected[h] |= XC_NEEDS(d);
    return XC_OK;
}

/* Whom the rejected rows of dataset d (read through the ingests in[0..n))
 * were about: the households and people that no rule needing d can judge on
 * the rows that are left; for the archive's own datasets, the households
 * read in part (by archive number) and the people who may be archived
 * (by ID number: rejected_keys). */
static int note_rejected(xc_run_result *res, xc_ds_id d, xc_ingest *const *in, int n)
{
    const xc_archive *a = res->archive;
    for (int i = 0; i < n; i++) {
        size_t k;
        char *const *links = xc_ingest_rejected_links(in[i], &k);
        for (size_t j = 0; j < k; j++) {
            uint32_t h = xc_archive_find_household(a, links[j], strlen(links[j]));
            if (h != XC_NONE && (d <= XC_DS_MEMBER ? mark_partial(res, h)
                                                  : household_rejected(res, h, d)) < 0)
                return XC_ENOMEM;
        }
        const uint64_t *keys = xc_ingest_rejected_ids(in[i], &k);
        for (size_t j = 0; j < k; j++) {
            if (reject_of(res, keys[j], d) < 0)
                return XC_ENOMEM;
            for (uint32_t p = xc_archive_find_person(a, keys[j]); p != XC_NONE;
                 p = xc_person_next_same(a, xc_archive_person(a, p))) {
                uint32_t h = xc_archive_person(a, p)->household;
                if (h != XC_NONE && household_rejected(res, h, d) < 0)
                    return XC_ENOMEM;
            }
        }
        res->ds[d].unattributed += xc_ingest_unattributed(in[i]);
    }
    return XC_OK;
}

/* The archive's datasets as the run opened them: each read in parts one
 * after another (a file each), part k reading source source[k]. */
typedef struct archive_parts {
    xc_ingest **in;
    int *source;
    int n, cap;
} archive_parts;

/* Reads the household rows of every part, in order; hh_end[k] is the number
 * of households once part k is read. */
static int read_households(archive_parts *hh, xc_archive *a, xc_dataset_result *r,
                           size_t *hh_end, xc_err *err)
{
    xc_record rec;
    int rc;
    for (int k = 0; k < hh->n; k++) {
        xc_ingest *in = hh->in[k];
        while ((rc = xc_ingest_next(in, &rec, err)) == XC_OK) {
            long first = 0;
            rc = xc_archive_add_household(a, &rec, &first);
            if (rc == XC_EXISTS) {
                char why[128];
                snprintf(why, sizeof why, _("archive_no already used on line %ld"), first);
                xc_ingest_reject(in, &rec, XC_HH_ARCHIVE_NO, why);
                continue;
            }
            if (rc < 0)
                return xc_err_set(err, rc, "out of memory while reading household");
            xc_ingest_count(in, true);    /* recounted once members are known */
        }
        if (rc < 0 || (rc = xc_ingest_finish(in, err)) < 0)
            return rc;
        add_part_result(in, r, hh->source[k]);
        hh_end[k] = xc_archive_households(a);
    }
    return XC_OK;
}

static int read_members(archive_parts *mb, xc_archive *a, xc_run_result *res, xc_err *err)
{
    xc_record rec;
    int rc;
    for (int k = 0; k < mb->n; k++) {
        xc_ingest *in = mb->in[k];
        while ((rc = xc_ingest_next(in, &rec, err)) == XC_OK) {
            rc = xc_archive_add_member(a, &rec);
            if (rc < 0)
                return xc_err_set(err, rc, "out of memory while reading member");
            /* of a household the run did not read: not seen */
            if (rc == XC_NOT_FOUND && rec.id.key && unsee(res, rec.id.key) < 0)
                return xc_err_set(err, XC_ENOMEM, "out of memory while reading member");
            xc_ingest_count(in, rc == XC_OK);
        }
        if (rc < 0 || (rc = xc_ingest_finish(in, err)) < 0)
            return rc;
        add_part_result(in, &res->ds[XC_DS_MEMBER], mb->source[k]);
    }
    return XC_OK;
}

static int read_archive(archive_parts *hh, archive_parts *mb, xc_archive *a, xc_run_result *res,
                        xc_err *err)
{
    size_t *hh_end = calloc((size_t)(hh->n ? hh->n : 1), sizeof *hh_end);
    if (!hh_end)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    double t0 = xc_now();
    int rc = read_households(hh, a, &res->ds[XC_DS_HOUSEHOLD], hh_end, err);
    res->ds[XC_DS_HOUSEHOLD].evaluated = rc >= 0;
    res->ds[XC_DS_HOUSEHOLD].seconds = xc_now() - t0;
    t0 = xc_now();
    if (rc >= 0)
        rc = read_members(mb, a, res, err);
    res->ds[XC_DS_MEMBER].evaluated = rc >= 0;
    res->ds[XC_DS_MEMBER].seconds = xc_now() - t0;
    if (rc < 0) {
        free(hh_end);
        return rc;
    }
    /* A household no member row joined is unmatched, in the dataset and in
     * the source (part) it was read from. */
    xc_dataset_result *r = &res->ds[XC_DS_HOUSEHOLD];
    int k = 0;
    for (uint32_t h = 0; h < xc_archive_households(a); h++) {
        while (k + 1 < hh->n && h >= hh_end[k])
            k++;
        if (xc_archive_household(a, h)->n_members != 0)
            continue;
        r->counts.matched--;
        r->counts.unmatched++;
        int src = hh->n ? hh->source[k] : -1;
        if (r->sources && src >= 0 && src < r->n_sources) {
            r->sources[src].counts.matched--;
            r->sources[src].counts.unmatched++;
        }
    }
    free(hh_end);
    return XC_OK;
}

/* ---- what the run could not see ---------------------------------------- */

const char *xc_warning_kind_name(xc_warning_kind k)
{
    static const char *const names[] = {"rejects", "coverage", "exported", "not_evaluated"};
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

static void warn(xc_run_result *res, xc_warning_kind kind, int ds, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void warn(xc_run_result *res, xc_warning_kind kind, int ds, const char *fmt, ...)
{
    res->incomplete = true;
    if (res->n_warnings == XC_RUN_WARNINGS)
        return;
    xc_run_warning *w = &res->warnings[res->n_warnings++];
    w->kind = kind;
    w->dataset = ds;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->text, sizeof w->text, fmt, ap);
    va_end(ap);
    w->text[xc_utf8_prefix(w->text, strlen(w->text), sizeof w->text - 1)] = '\0';
    /* 2026-12-02: the reasons were cut inside a character, and the results
     * database refused the text: cut between characters, and say so. */
    size_t len = strlen(res->incomplete_why), room = sizeof res->incomplete_why - len;
    char part[sizeof w->text + 8];
    snprintf(part, sizeof part, "%s%s", len ? "；" : "", w->text);
    size_t n = strlen(part);
    if (n + 1 > room) {
        static const char more[] = "…";
        n = room > sizeof more ? xc_utf8_prefix(part, n, room - sizeof more) : 0;
        if (!n)
            return;
        memcpy(part + n, more, sizeof more);
        n += sizeof more - 1;
    }
    memcpy(res->incomplete_why + len, part, n);
    res->incomplete_why[len + n] = '\0';
}

/* "1.5%" of a limit, "25 rows" */
static void limit_text(const xc_reject_limit *l, char *out, size_t n)
{
    if (l->share)
        snprintf(out, n, "%g%%", l->percent);
    else
        snprintf(out, n, "%llu", (unsigned long long)l->count);
}

/* Appends to out (used of size bytes taken) which of a dataset's sources
 * rejected rows, when it has several: the lines of the reasons name no
 * file. */
static void sources_rejected(const xc_dataset_result *r, char *out, size_t used, size_t size)
{
    bool first = true;
    for (int i = 0; r->n_sources > 1 && i < r->n_sources && used + 1 < size; i++) {
        const xc_source_result *src = &r->sources[i];
        if (!src->counts.rejected)
            continue;
        int n = snprintf(out + used, size - used, "%s%s %llu", first ? _("; rejected by source: ")
                                                                     : ", ",
                         src->label, (unsigned long long)src->counts.rejected);
        if (n < 0)
            return;
        used += (size_t)n < size - used ? (size_t)n : size - used - 1;
        first = false;
    }
}

/* Stops the run when dataset d has more rejected rows than its limit; a
 * reject below it is a warning. */
static int check_rejects(const xc_config *cfg, xc_run_result *res, xc_ds_id d, xc_err *err)
{
    const xc_binding *b = &cfg->ds[d];
    const xc_dataset_result *r = &res->ds[d];
    uint64_t rej = r->counts.rejected, read = r->counts.read;
    if (!b->configured || rej == 0)
        return XC_OK;
    const xc_reject_limit *l = &b->max_rejects;
    /* exactly: rej / read > ppm / 10^8, in integers below 1.8e11 rows */
    bool over;
    if (!l->share)
        over = rej > l->count;
    else if (rej <= UINT64_MAX / 100000000u && read <= UINT64_MAX / 100000000u)
        over = rej * 100000000u > l->ppm * read;
    else
        over = (long double)rej * 1e8L > (long double)l->ppm * (long double)read;
    char lim[32];
    limit_text(l, lim, sizeof lim);
    double pct = read ? 100.0 * (double)rej / (double)read : 100.0;
    if (!over) {
        warn(res, XC_WARN_REJECTS, d, "%s（%s）有%llu行被拒（%.2f%%，上限%s），见 rejects/%s.csv",
             b->ds->label_zh, b->ds->name, (unsigned long long)rej, pct, lim, b->ds->name);
        return XC_OK;
    }
    bool archive = b->ds->side == XC_SIDE_ARCHIVE;
    xc_err_set(err, XC_EINPUT, "%s: %llu of %llu rows rejected (%.2f%%), over max_rejects = %s%s",
               b->ds->name, (unsigned long long)rej, (unsigned long long)read, pct, lim,
               archive && !l->line ? _(": a rejected household or member row stops the run, "
               "the archive is the denominator of every rate") : "");
    xc_err_at(err, r->where, 0, "max_rejects");
    size_t used = 0;
    for (size_t i = 0; i < r->reasons.n && used + 1 < sizeof err->detail; i++) {
        const xc_reason_count *rc = &r->reasons.r[i];
        int n = snprintf(err->detail + used, sizeof err->detail - used,
                         rc->n == 1 ? _("%s%llu row: %s%s%s (first on line %ld)")
                                    : _("%s%llu rows: %s%s%s (first on line %ld)"),
                         i ? "; " : "", (unsigned long long)rc->n,
                         rc->field >= 0 ? b->ds->fields[rc->field].name : "",
                         rc->field >= 0 ? ": " : "", rc->example, rc->line);
        if (n < 0)
            break;
        used += (size_t)n < sizeof err->detail - used ? (size_t)n : sizeof err->detail - used - 1;
    }
    if (r->reasons.other && used + 1 < sizeof err->detail) {
        int n = snprintf(err->detail + used, sizeof err->detail - used,
                         _("; %llu rows for other reasons"), (unsigned long long)r->reasons.other);
        used += n < 0 ? 0 : (size_t)n < sizeof err->detail - used ? (size_t)n
                                                                  : sizeof err->detail - used - 1;
    }
    sources_rejected(r, err->detail, used, sizeof err->detail);
    if (l->line)
        xc_err_hint(err, "fix the binding of [%s] (formats, value maps, columns) or the export; "
                    "max_rejects is set on line %d of %s", b->ds->name, l->line, cfg->path);
    else
        xc_err_hint(err, "fix the binding of [%s] (formats, value maps, columns) or the export; "
                    "rows that are truly unusable can be allowed with max_rejects = N or N%% in "
                    "[%s]: the rates are then marked incomplete", b->ds->name, b->ds->name);
    return XC_EINPUT;
}

/* "2021-01..2025-06,2025-08" from the months of s. */
static void coverage_text(const xc_span *s, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < XC_SPAN_MONTHS; i++) {
        if (!xc_span_has_month(s, XC_SPAN_FIRST + i))
            continue;
        int j = i;
        while (j + 1 < XC_SPAN_MONTHS && xc_span_has_month(s, XC_SPAN_FIRST + j + 1))
            j++;
        char a[8], z[8], span[24];
        xc_month_format(XC_SPAN_FIRST + i, a);
        xc_month_format(XC_SPAN_FIRST + j, z);
        if (j > i)
            snprintf(span, sizeof span, "%s%s..%s", n ? "," : "", a, z);
        else
            snprintf(span, sizeof span, "%s%s", n ? "," : "", a);
        if (n + strlen(span) + 4 >= size) {       /* no room: say there is more */
            snprintf(out + n, size - n, ",...");
            return;
        }
        memcpy(out + n, span, strlen(span) + 1);
        n += strlen(span);
        i = j;
    }
}

/* Each dataset's coverage: the months of a dataset with a month field, the
 * export date of the others, declared or seen in the rows. Warns of what
 * the run cannot see: months social insurance does not cover before as_of's
 * month, exports taken before as_of, rules not evaluated. */
static void judge_coverage(const xc_config *cfg, xc_run_result *res, xc_month last_month)
{
    for (int d = 0; d < XC_DS_COUNT; d++) {
        const xc_binding *b = &cfg->ds[d];
        xc_dataset_result *r = &res->ds[d];
        if (!b->configured || b->ds->side == XC_SIDE_ARCHIVE)
            continue;
        bool has_month = false;
        for (int f = 0; f < b->ds->n_fields; f++)
            has_month |= b->ds->fields[f].type == XC_F_MONTH;
        if (has_month) {
            xc_span cov = {.latest = XC_NO_DATE};
            if (b->n_covers) {
                for (size_t k = 0; k < b->n_covers; k++)
                    for (xc_month m = b->covers[k].from; m <= b->covers[k].to; m++) {
                        int i = m - XC_SPAN_FIRST;
                        cov.months[i / 8] |= (uint8_t)(1u << (i % 8));
                    }
            } else {
                memcpy(cov.months, r->span.months, sizeof cov.months);
            }
            r->coverage_declared = b->n_covers > 0;
            coverage_text(&cov, r->coverage, sizeof r->coverage);
            if (d == XC_DS_SOCIAL_INSURANCE)
                res->income_months = cov;
            /* The months from the first covered one to as_of's that it
             * does not cover. */
            xc_month first = 0;
            int holes = 0;
            char from[8] = "", to[8] = "";
            for (int i = 0; i < XC_SPAN_MONTHS && XC_SPAN_FIRST + i <= last_month; i++) {
                bool has = xc_span_has_month(&cov, XC_SPAN_FIRST + i);
                if (has && !first)
                    first = XC_SPAN_FIRST + i;
                if (!has && first) {
                    if (!holes++)
                        xc_month_format(XC_SPAN_FIRST + i, from);
                    xc_month_format(XC_SPAN_FIRST + i, to);
                }
            }
            if (!first)
                warn(res, XC_WARN_COVERAGE, d, "%s（%s）不覆盖as_of以前的任何月份，其规则均无法判断",
                     b->ds->label_zh, b->ds->name);
            else if (holes)
                warn(res, XC_WARN_COVERAGE, d, "%s（%s）覆盖%s，%s至%s间有%d个月未覆盖，这些月份无法判断",
                     b->ds->label_zh, b->ds->name, r->coverage, from, to, holes);
        }
        r->exported_declared = b->exported != XC_NO_DATE;
        r->exported = r->exported_declared ? b->exported : r->span.latest;
        if (b->ds->snapshot && r->exported == XC_NO_DATE)
            warn(res, XC_WARN_EXPORTED, d, "%s（%s）的导出日期未知（未声明exported，数据中也没有日期）："
                 "无法确认它反映as_of当日的情况", b->ds->label_zh, b->ds->name);
        if ((b->ds->snapshot || r->exported_declared) && r->exported != XC_NO_DATE &&
            r->exported < res->as_of) {
            char e[11], a[11];
            warn(res, XC_WARN_EXPORTED, d, "%s（%s）%s%s，早于as_of %s：此后的变化未能核查",
                 b->ds->label_zh, b->ds->name, r->exported_declared ? "导出于" : "所含最晚日期为",
                 xc_date_format(r->exported, e), xc_date_format(res->as_of, a));
        }
    }
}

/* ---- the run ------------------------------------------------------------ */

/* ---- facts past the memory budget --------------------------------------- */

/* What the heap holds now: where the budget for the facts starts. */
static uint64_t heap_in_use(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 m = mallinfo2();
    return (uint64_t)m.uordblks + (uint64_t)m.hblkhd;
#else
    return 0;
#endif
}

/* Windows of households the facts are spilled into: each a 256th of the
 * archive (a national archive's: 4,000 households, 5 MB of facts), read
 * back in batches as large as the budget allows. */
enum { SPILL_WINDOWS = 256 };

/* Room kept under the limit for what is not facts: the readers' buffers,
 * the flags, the writers. */
enum { RESERVE_BYTES = 48 << 20, RESERVE_PER_JOB = 8 << 20 };

/* The bytes the facts may take: what the limit leaves over the heap as it
 * is (the archive read) and the reserve; 0: no limit. A limit that leaves
 * nothing gives a budget of one byte: every fact about the households goes
 * to the file, and the windows are evaluated one by one. */
static uint64_t facts_budget(uint64_t limit, int jobs)
{
    if (!limit)
        return 0;
    uint64_t held = heap_in_use() + RESERVE_BYTES + (uint64_t)RESERVE_PER_JOB * (uint64_t)jobs;
    return limit > held ? limit - held : 1;
}

/* The windows read back and evaluated in batches of consecutive windows,
 * each batch as large as the budget allows (at least one window). */
typedef struct window_batches {
    xc_run_result *res;
    xc_scan_spill *spill;
    const xc_eval_ctx *ctx;
    int *first;              /* batch i: windows first[i] .. first[i + 1] - 1 */
    int n;
    xc_facts *loaded;
    xc_err *err;
} window_batches;

static int plan_batches(window_batches *wb, uint64_t budget)
{
    const xc_facts_windows *plan = &wb->spill->plan;
    if (!(wb->first = malloc(((size_t)plan->n + 1) * sizeof *wb->first)))
        return XC_ENOMEM;
    wb->n = 0;
    uint64_t in_batch = 0;
    for (int w = 0; w < plan->n; w++) {
        uint64_t bytes = xc_spill_bytes(wb->spill->store, w);
        /* read back, a window's facts take about twice their bytes */
        if (w == 0 || (in_batch && in_batch + bytes > budget / 2)) {
            wb->first[wb->n++] = w;
            in_batch = 0;
        }
        in_batch += bytes;
    }
    wb->first[wb->n] = plan->n;
    return XC_OK;
}

static void add_totals(xc_payment_total *into, const xc_payment_total *t)
{
    for (int p = 0; p <= XC_PAY_PROGRAMS; p++) {
        into[p].payments += t[p].payments;
        into[p].amount += t[p].amount;
        into[p].flagged += t[p].flagged;
        into[p].flagged_amount += t[p].flagged_amount;
    }
}

static int load_batch(void *user, int i, const xc_facts **ret, uint32_t *ret_from,
                      uint32_t *ret_to)
{
    window_batches *wb = user;
    const xc_facts_windows *plan = &wb->spill->plan;
    size_t n_hh = xc_archive_households(wb->res->archive);
    if (xc_facts_new(&wb->loaded) < 0)
        return xc_err_set(wb->err, XC_ENOMEM, "out of memory");
    for (int w = wb->first[i]; w < wb->first[i + 1]; w++) {
        int rc = xc_facts_load(wb->loaded, wb->spill->store, w, wb->first[i], wb->err);
        if (rc < 0)
            return rc;
    }
    xc_facts_seal_jobs(wb->loaded, wb->res->jobs);
    xc_facts_borrow_sources(wb->loaded, wb->res->facts);
    uint64_t from = (uint64_t)wb->first[i] * plan->households;
    uint64_t to = (uint64_t)wb->first[i + 1] * plan->households;
    *ret_from = (uint32_t)(from < n_hh ? from : n_hh);
    *ret_to = (uint32_t)(to < n_hh ? to : n_hh);
    *ret = wb->loaded;
    if (wb->res->payments_evaluated) {
        xc_eval_ctx in_window = *wb->ctx;
        xc_payment_total t[XC_PAY_PROGRAMS + 1];
        in_window.facts = wb->loaded;
        xc_payment_totals(&in_window, t);
        add_totals(wb->res->payments, t);
    }
    return XC_OK;
}

static void release_batch(void *user, int i)
{
    window_batches *wb = user;
    (void)i;
    xc_facts_free(wb->loaded);
    wb->loaded = NULL;
#if defined(__GLIBC__)
    malloc_trim(0);          /* the next window's facts, not the heap, grow */
#endif
}

static int evaluate(xc_run_result *res, const xc_config *cfg, xc_scan_spill *spill, xc_err *err)
{
    xc_facts_seal_jobs(res->facts, res->jobs);
    if (xc_standards_build(res->facts, &res->standards) < 0)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    xc_eval_ctx ctx = {
        .archive = res->archive, .facts = res->facts, .standards = res->standards,
        .profile = &res->profile, .as_of = res->as_of, .audit_from = res->audit_from,
        .full_ids = res->full_ids, .jobs = res->jobs,
        .income_months = cfg->ds[XC_DS_SOCIAL_INSURANCE].configured ? &res->income_months
                                                                   : NULL,
        .unseen = res->unseen,
        .partial = res->partial,
        .outside = res->outside, .region = res->region, .region_digits = res->region_digits,
        .hh_rejected = res->hh_rejected,
        .rejected_keys = res->rejected_keys,
        .rejected_masks = res->rejected_masks,
        .archive_unknown = res->ds[XC_DS_HOUSEHOLD].unattributed +
                           res->ds[XC_DS_MEMBER].unattributed > 0,
    };
    /* The last month that ended on or before as_of. */
    ctx.last_month = xc_date_month(res->as_of + 1) - 1;
    judge_coverage(cfg, res, ctx.last_month);
    if (res->n_partial)
        warn(res, XC_WARN_REJECTS, XC_DS_MEMBER, "%zu户有家庭成员行被拒，只读到部分成员，"
             "这些户的户级规则均无法判断", res->n_partial);
    for (int d = 0; d < XC_DS_COUNT; d++)
        if (res->ds[d].unattributed)
            warn(res, XC_WARN_REJECTS, d, "%s（%s）有%llu行整行损坏，读不出所涉人员或档案号：%s",
                 xc_dataset((xc_ds_id)d)->label_zh, xc_dataset((xc_ds_id)d)->name,
                 (unsigned long long)res->ds[d].unattributed,
                 d <= XC_DS_MEMBER ? "PAY-NOT-ARCHIVED和CAND-ELIGIBLE不予判断，各户只按读到的成员判断"
                                   : "依赖该数据集的规则只按读到的行判断");
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
    window_batches wb = {.res = res, .spill = spill, .ctx = &ctx, .err = err};
    xc_eval_windows windows = {.load = load_batch, .release = release_batch, .user = &wb};
    if (spill->spilled) {
        if (plan_batches(&wb, res->facts_budget) < 0)
            return xc_err_set(err, XC_ENOMEM, "out of memory");
        windows.n = wb.n;
        res->spill_windows = spill->plan.n;
        res->spill_batches = wb.n;
        res->spill_bytes = xc_spill_total(spill->store);
    }
    if (res->rules) {
        xc_err_clear(err);
        int rc = xc_evaluate_windows(&ctx, spill->spilled ? &windows : NULL, &res->flags,
                                     res->rules);
        free(wb.first);
        if (rc < 0 && err && err->code)
            return rc;
        if (rc < 0)
            return xc_err_set(err, rc, "%s while evaluating", xc_strstatus(rc));
    }
    if (cfg->ds[XC_DS_DISPOSITION].configured)
        xc_dispositions_apply(res->archive, res->facts, res->as_of, res->outside, &res->flags,
                              &res->dispositions);
    if (!res->rules ||
        xc_rates_compute(&ctx, &res->flags, res->rules, &res->rates, &res->n_rates) < 0)
        return xc_err_set(err, XC_ENOMEM, "out of memory while evaluating");
    size_t not_evaluated = 0;
    char which[200] = "";
    for (size_t i = 0; i < res->n_rules; i++)
        if (!res->rules[i].evaluated) {
            size_t len = strlen(which);
            if (not_evaluated++ < 8)
                snprintf(which + len, sizeof which - len, "%s%s", len ? "、" : "",
                         res->rules[i].rule->id);
        }
    if (not_evaluated)
        warn(res, XC_WARN_NOT_EVALUATED, -1, "%zu条规则未评估（%s%s），缺少所需数据集或字段",
             not_evaluated, which, not_evaluated > 8 ? "等" : "");
    /* 2026-12-02: social insurance starting late left every exit unjudged,
     * and the wrong-exit rate read 0/5 达标. */
    char uncovered[300] = "";
    for (size_t i = 0; i < res->n_rules; i++) {
        size_t len = strlen(uncovered);
        if (res->rules[i].not_covered && len + 60 < sizeof uncovered)
            snprintf(uncovered + len, sizeof uncovered - len, "%s%s %zu", len ? "、" : "",
                     res->rules[i].rule->id, res->rules[i].not_covered);
    }
    if (uncovered[0])
        warn(res, XC_WARN_COVERAGE, XC_DS_SOCIAL_INSURANCE, "社保（social_insurance）覆盖%s，"
             "所需月份未覆盖，无法判断：%s（户或人）",
             res->ds[XC_DS_SOCIAL_INSURANCE].coverage[0] ? res->ds[XC_DS_SOCIAL_INSURANCE].coverage
                                                         : "无", uncovered);
    for (size_t i = 0; i < res->n_rates; i++) {
        xc_rate_row *r = &res->rates[i];
        if (res->incomplete)
            r->complete = false;
        res->rates_failed += r->group == XC_GROUP_TOTAL && r->evaluated && r->denominator &&
                             !r->pass;
    }
    return XC_OK;
}

/* Everything a run holds open while it reads. */
typedef struct sources {
    xc_source_env env;                    /* what every connector is told */
    xc_source_run run;                    /* the connectors' shared states */
    xc_source_plan *plan[XC_DS_COUNT];    /* every configured dataset's */
    xc_rejects *rejects[XC_DS_COUNT];
    archive_parts archive[2];             /* household, member */
    xc_scan_part *parts;
    int n_parts, cap_parts;
    xc_pseudomap *pseudo;                 /* pseudonyms of the keys, if needed */
    xc_scan_spill spill;                  /* facts past the memory budget */
} sources;

static int add_part(sources *s, xc_ds_id ds, int part, int source, xc_ingest *in)
{
    if (s->n_parts == s->cap_parts) {
        int cap = s->cap_parts ? s->cap_parts * 2 : 32;
        xc_scan_part *p = realloc(s->parts, (size_t)cap * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        s->parts = p;
        s->cap_parts = cap;
    }
    s->parts[s->n_parts++] = (xc_scan_part){.ds = ds, .part = part, .in = in, .source = source};
    return XC_OK;
}

static int add_archive_part(archive_parts *ap, xc_ingest *in, int source)
{
    if (ap->n == ap->cap) {
        int cap = ap->cap ? ap->cap * 2 : 4;
        xc_ingest **ins = realloc(ap->in, (size_t)cap * sizeof *ins);
        if (ins)
            ap->in = ins;
        int *src = ins ? realloc(ap->source, (size_t)cap * sizeof *src) : NULL;
        if (!src)
            return XC_ENOMEM;
        ap->source = src;
        ap->cap = cap;
    }
    ap->in[ap->n] = in;
    ap->source[ap->n++] = source;
    return XC_OK;
}

static int close_sources(sources *s, int rc, xc_err *err)
{
    for (int i = 0; i < 2; i++) {
        for (int k = 0; k < s->archive[i].n; k++)
            xc_ingest_close(s->archive[i].in[k]);
        free(s->archive[i].in);
        free(s->archive[i].source);
    }
    for (int i = 0; i < s->n_parts; i++)
        xc_ingest_close(s->parts[i].in);
    free(s->parts);
    xc_pseudomap_free(s->pseudo);
    xc_spill_free(s->spill.store);
    free(s->spill.workers);
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
    for (int d = 0; d < XC_DS_COUNT; d++)
        xc_source_plan_free(s->plan[d]);
    xc_source_run_free(&s->run);
    return rc;
}

/* The dataset's sources as its plan names them, their counts to come. */
static int list_sources(const xc_source_plan *p, xc_dataset_result *r, xc_err *err)
{
    int n = xc_source_count(p);
    if (!(r->sources = calloc((size_t)n, sizeof *r->sources)))
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    r->n_sources = n;
    for (int i = 0; i < n; i++)
        snprintf(r->sources[i].label, sizeof r->sources[i].label, "%s",
                 n == 1 ? r->where : xc_source_label(p, i));
    return XC_OK;
}

/* Plans dataset d with the archive's keys (none for the archive itself)
 * and opens the parts its connector decides on. */
static int open_parts(const xc_config *cfg, const xc_run_opts *opts, xc_ds_id d, sources *s,
                      const uint64_t *keys, size_t n_keys, int jobs, xc_run_result *ret,
                      xc_err *err)
{
    const xc_binding *b = &cfg->ds[d];
    xc_dataset_result *r = &ret->ds[d];
    bool archive = d == XC_DS_HOUSEHOLD || d == XC_DS_MEMBER;
    /* Read whole: a payment to someone outside the archive is a finding,
     * candidates are outside it (and so are their flags' dispositions),
     * every region may need a standard. */
    bool whole = d == XC_DS_PAYMENT || d == XC_DS_CANDIDATE || d == XC_DS_DIBAO_STANDARD ||
                 d == XC_DS_DISPOSITION;
    xc_source_plan_in in = {.keys = keys, .n_keys = n_keys, .pseudo = s->pseudo,
                            .may_filter = !archive && !whole, .pushdown = opts->pushdown,
                            .jobs = archive ? 1 : jobs};
    int rc = xc_source_decide(s->plan[d], &in, err);
    if (rc < 0)
        return rc;
    xc_source_record rec;
    xc_source_record_of(s->plan[d], &rec);
    snprintf(r->strategy, sizeof r->strategy, "%s", rec.strategy);
    snprintf(r->strategy_reason, sizeof r->strategy_reason, "%s", rec.reason);
    r->snapshots = rec.snapshots;
    snprintf(r->where, sizeof r->where, "%s", rec.where);
    if ((rc = list_sources(s->plan[d], r, err)) < 0)
        return rc;
    int parts = r->parts = s->plan[d]->parts;
    for (int k = 0; k < parts; k++) {
        xc_source_ctx ctx = {.part = k, .parts = parts, .plan = s->plan[d]};
        xc_ingest *part = NULL;
        if ((rc = xc_ingest_open_part(b, &ctx, opts->as_of, s->rejects[d], &part, err)) < 0)
            return rc;
        int source = xc_source_of_part(s->plan[d], k);
        if (archive ? add_archive_part(&s->archive[d == XC_DS_MEMBER], part, source) < 0
                    : add_part(s, d, k, source, part) < 0) {
            xc_ingest_close(part);
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
    int rc = xc_scan_spilling(ret->archive, also, parts, n, ret->jobs, ret->facts, ret->ds,
                              only ? NULL : &s->spill, opts->progress, opts->tick,
                              opts->progress_user, err);
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
    if (xc_source_plans(s->plan[XC_DS_CANDIDATE]) &&
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
    for (int d = 0; d < XC_DS_COUNT; d++) {
        ret->ds[d].span.latest = ret->ds[d].exported = XC_NO_DATE;
        ret->ds[d].max_rejects = cfg->ds[d].max_rejects;
    }
    ret->started = (int64_t)time(NULL);
    ret->as_of = opts->as_of;
    ret->full_ids = opts->full_ids;
    ret->visits_by_cadre = opts->visits_by_cadre;
    ret->region = opts->region;
    ret->region_digits = opts->region_digits;
    ret->version = opts->version ? opts->version : "unknown";
    snprintf(ret->config_path, sizeof ret->config_path, "%s", cfg->path);
    snprintf(ret->organisation, sizeof ret->organisation, "%s",
             cfg->organisation ? cfg->organisation : "");
    snprintf(ret->scope, sizeof ret->scope, "%s", cfg->scope ? cfg->scope : "");
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
    /* With a memory limit the temporary file may be needed: its directory
     * is tried now, not when the facts first pass the budget. */
    xc_spill *store = NULL;
    if (opts->memory && (rc = xc_spill_open(opts->temp_dir, SPILL_WINDOWS, &store, err)) < 0)
        return rc;
    sources s = {.env = {.lock_timeout_ms = cfg->lock_timeout_ms,
                         .database = opts->database ? opts->database
                                   : cfg->database ? cfg->database : ""}};
    s.run.env = &s.env;
    uint64_t *keys = NULL;
    size_t n_keys = 0;
    xc_idtab *candidates = NULL;

    /* Check every source first, so that a missing file, table or column
     * stops the run before hours of reading the others: each connector
     * checks its source (postgres: in the run's snapshot); a dataset whose
     * connector does not plan is opened at once (a file: header checked). */
    for (int d = 0; d < XC_DS_COUNT && rc >= 0; d++) {
        const xc_binding *b = &cfg->ds[d];
        if (!b->configured)
            continue;
        rc = xc_rejects_open(reject_dir, b->ds->name, opts->full_ids, &s.rejects[d], err);
        if (rc >= 0)
            rc = xc_source_prepare(&s.run, b, &s.plan[d], err);
        if (rc >= 0 && !xc_source_plans(s.plan[d]))
            rc = open_parts(cfg, opts, (xc_ds_id)d, &s, NULL, 0, 1, ret, err);
    }
    if (rc < 0)
        goto done;
    snprintf(ret->snapshot, sizeof ret->snapshot, "%s", xc_source_run_label(&s.run));

    t = xc_now();
    if (opts->stage)
        opts->stage(opts->progress_user, "archive");
    for (int d = XC_DS_HOUSEHOLD; d <= XC_DS_MEMBER && rc >= 0; d++)
        if (xc_source_plans(s.plan[d]))
            rc = open_parts(cfg, opts, (xc_ds_id)d, &s, NULL, 0, 1, ret, err);
    if (rc < 0 || (rc = read_archive(&s.archive[0], &s.archive[1], ret->archive, ret,
                                     err)) < 0)
        goto done;
    if ((rc = check_rejects(cfg, ret, XC_DS_HOUSEHOLD, err)) < 0 ||
        (rc = check_rejects(cfg, ret, XC_DS_MEMBER, err)) < 0)
        goto done;
    if (xc_archive_seal(ret->archive) < 0 ||
        xc_archive_keys(ret->archive, &keys, &n_keys) < 0) {
        rc = xc_err_set(err, XC_ENOMEM, "out of memory");
        goto done;
    }
    ret->households = xc_archive_households(ret->archive);
    ret->persons = xc_archive_persons(ret->archive);
    if (opts->region_digits && mark_outside(ret) < 0) {
        rc = xc_err_set(err, XC_ENOMEM, "out of memory");
        goto done;
    }
    for (uint32_t h = 0; h < ret->households; h++)
        ret->households_in_archive += xc_run_in_region(ret, h) &&
            xc_in_archive(xc_archive_household(ret->archive, h), ret->as_of);
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
    /* With the IDs known, plan the datasets whose connectors plan. */
    for (int d = XC_DS_MEMBER + 1; d < XC_DS_COUNT && rc >= 0; d++)
        if (s.plan[d] && xc_source_plans(s.plan[d]) && d != XC_DS_CANDIDATE)
            rc = open_parts(cfg, opts, (xc_ds_id)d, &s, keys, n_keys, ret->jobs, ret, err);
    if (rc < 0)
        goto done;
    for (int i = 0; i < s.n_parts; i++)
        if (cfg->ds[s.parts[i].ds].id_pseudonym)
            xc_ingest_set_pseudonyms(s.parts[i].in, s.pseudo);
    ret->memory_limit = opts->memory;
    ret->facts_budget = facts_budget(opts->memory, ret->jobs);
    s.spill = (xc_scan_spill){.budget = (size_t)ret->facts_budget, .dir = opts->temp_dir,
                              .windows = SPILL_WINDOWS, .store = store};
    store = NULL;
    rc = scan_parts(&s, false, candidates, opts, ret, err);
    ret->seconds_scan = xc_now() - t;
    for (int d = XC_DS_MEMBER + 1; d < XC_DS_COUNT && rc >= 0; d++)
        rc = check_rejects(cfg, ret, (xc_ds_id)d, err);
    if (rc < 0)
        goto done;
    for (int i = 0; i < s.n_parts; i++)
        if (note_rejected(ret, s.parts[i].ds, &s.parts[i].in, 1) < 0) {
            rc = xc_err_set(err, XC_ENOMEM, "out of memory");
            goto done;
        }
    if (note_rejected(ret, XC_DS_HOUSEHOLD, s.archive[0].in, s.archive[0].n) < 0 ||
        note_rejected(ret, XC_DS_MEMBER, s.archive[1].in, s.archive[1].n) < 0) {
        rc = xc_err_set(err, XC_ENOMEM, "out of memory");
        goto done;
    }

    t = xc_now();
    if (opts->stage)
        opts->stage(opts->progress_user, "evaluate");
    rc = evaluate(ret, cfg, &s.spill, err);
    ret->seconds_evaluate = xc_now() - t;
    if (rc < 0)
        goto done;

    ret->clock_started = t0;
done:
    xc_spill_free(store);
    free(keys);
    xc_idtab_free(candidates);
    return close_sources(&s, rc, err) < 0 ? (rc < 0 ? rc : XC_EIO) : XC_OK;
}

void xc_run_result_free(xc_run_result *r)
{
    for (int d = 0; d < XC_DS_COUNT; d++)
        free(r->ds[d].sources);
    xc_archive_free(r->archive);
    xc_facts_free(r->facts);
    xc_standards_free(r->standards);
    xc_idtab_free(r->unseen);
    free(r->partial);
    free(r->outside);
    free(r->hh_rejected);
    xc_idtab_free(r->rejected_keys);
    free(r->rejected_masks);
    xc_flags_clear(&r->flags);
    free(r->rules);
    free(r->rates);
    memset(r, 0, sizeof *r);
}
