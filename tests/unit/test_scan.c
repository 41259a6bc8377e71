/* test_scan.c - reading datasets through the file connector (ingest.h) and
 * the scan stage (scan.h): every row read is matched, unmatched or rejected;
 * rejected rows land in the reject file with the ID masked and whom they
 * were about noted; what the converted rows hold (dates, months) and why
 * rows were rejected are kept; the scan links rows by ID number, archive
 * number and region, keeps the facts, and reports progress. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "scratch.h"
#include "xcheck/archive.h"
#include "xcheck/config.h"
#include "xcheck/error.h"
#include "xcheck/facts.h"
#include "xcheck/idno.h"
#include "xcheck/idtab.h"
#include "xcheck/ingest.h"
#include "xcheck/pseudonym.h"
#include "xcheck/run.h"
#include "pipeline/scan.h"
#include "xcheck/schema.h"
#include "xcheck/text.h"

typedef struct fixture {
    char dir[64];
    char path[256];          /* built by at() */
    xc_config *cfg;
    xc_archive *archive;
    xc_facts *facts;
    xc_err err;
    char id[8][19];          /* valid ID numbers, made by make_id() */
    char bad[19];            /* id[6] with a wrong check character */
} fixture;

/* An ID number of 530102 (Kunming, Wuhua), born 1970-01-01, sequence seq,
 * with its ISO 7064 MOD 11-2 check character worked out here. */
static void make_id(char out[19], int seq)
{
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    snprintf(out, 19, "53010219700101%03u", (unsigned)seq % 1000u);
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (out[i] - '0') * weight[i];
    out[17] = "10X98765432"[sum % 11];
    out[18] = '\0';
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    if (xc_scratch_make(fx->dir, sizeof fx->dir, "scan") < 0) {
        free(fx);
        return -1;
    }
    for (int i = 0; i < 8; i++)
        make_id(fx->id[i], 11 + i);
    memcpy(fx->bad, fx->id[6], 19);
    fx->bad[17] = fx->bad[17] == '0' ? '1' : '0';
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    xc_facts_free(fx->facts);
    xc_archive_free(fx->archive);
    xc_config_free(fx->cfg);
    int rc = xc_scratch_remove(fx->dir);
    free(fx);
    return rc;
}

static const char *at(fixture *fx, const char *name)
{
    snprintf(fx->path, sizeof fx->path, "%s/%s", fx->dir, name);
    return fx->path;
}

static void write_text(fixture *fx, const char *name, const char *text)
{
    FILE *f = fopen(at(fx, name), "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void write_gzip(fixture *fx, const char *name, const char *text)
{
    gzFile gz = gzopen(at(fx, name), "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, text, (unsigned)strlen(text)), (int)strlen(text));
    assert_int_equal(gzclose(gz), Z_OK);
}

/* Reads a whole file into a NUL-terminated buffer the caller frees. */
static char *read_back(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = calloc(1, 1 << 16);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* printf into a fresh string the caller frees. */
static char *text_of(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *text_of(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    assert_true(vasprintf(&s, fmt, ap) >= 0);
    va_end(ap);
    return s;
}

#define CONFIG_TEXT                                                          \
    "[run]\nas_of = 2026-06-30\n"                                            \
    "[household]\npath = household.csv\n"                                    \
    "field.archive_no = archive_no\nfield.worker_id = worker_id\n"           \
    "field.worker_name = worker_name\nfield.region_code = region_code\n"     \
    "field.level = level\nfield.status = status\n"                           \
    "field.enrolled_on = enrolled_on\nfield.exited_on = exited_on\n"         \
    "field.hardship_cause = hardship_cause\n"                                \
    "[member]\npath = member.csv.gz\n"                                       \
    "field.archive_no = archive_no\nfield.id_no = id_no\n"                   \
    "field.name = name\nfield.relation = relation\n"                         \
    "[hukou]\npath = hukou.csv\nmax_rejects = 5\n"                           \
    "field.id_no = id_no\nfield.name = name\nfield.region_code = region\n"   \
    "field.status = status\nfield.status_on = status_on\n"                   \
    "[social_insurance]\npath = si.csv.gz\nmax_rejects = 5\n"                \
    "field.id_no = id_no\nfield.month = month\nfield.kind = kind\n"          \
    "field.amount = amount\nformat.month = YYYY-MM\n"                        \
    "[dibao_standard]\npath = dibao.csv\n"                                   \
    "field.region_code = region_code\nfield.effective_from = from\n"         \
    "field.monthly_amount = amount\n"                                        \
    "[contact]\npath = contact.csv\nmax_rejects = 5\n"                       \
    "field.archive_no = archive_no\nfield.contact_date = date\n"             \
    "field.kind = kind\nfield.cadre_id = cadre\n"

/* Writes the archive (two households in 530102, three people) and the
 * reference files, and loads the configuration. */
static void write_dataset_files(fixture *fx)
{
    char *hh = text_of("archive_no,worker_id,worker_name,region_code,level,status,"
                       "enrolled_on,exited_on,hardship_cause\n"
                       "H1,%s,Zhang San,530102,local,active,2020-01-01,,illness\n"
                       "H2,%s,Li Si,530102,local,active,2021-03-01,,\n",
                       fx->id[0], fx->id[2]);
    write_text(fx, "household.csv", hh);
    free(hh);
    char *mb = text_of("archive_no,id_no,name,relation\n"
                       "H1,%s,Zhang San,self\nH1,%s,Wang Fang,spouse\nH2,%s,Li Si,self\n",
                       fx->id[0], fx->id[1], fx->id[2]);
    write_gzip(fx, "member.csv.gz", mb);
    free(mb);
    /* id[5] is no one in the archive; id[6] with its last character
     * changed has a wrong check character; id[2]'s row has a status the
     * dataset does not have. */
    char *hk = text_of("id_no,name,region,status,status_on\n"
                       "%s,Zhang San,530102,normal,\n"
                       "%s,Wang Fang,530102,deceased,2025-05-01\n"
                       "%s,Nobody,530102,normal,\n"
                       "%s,Broken,530102,normal,\n"
                       "%s,Li Si,530102,lost,\n",
                       fx->id[0], fx->id[1], fx->id[5], fx->bad, fx->id[2]);
    write_text(fx, "hukou.csv", hk);
    free(hk);
    char *si = text_of("id_no,month,kind,amount\n"
                       "%s,2026-01,contribution,3000.00\n"
                       "%s,2026-02,contribution,3100.50\n"
                       "%s,2026-03,pension,1200\n"
                       "%s,2026-04,pension,900\n"
                       "%s,2026-13,pension,900\n",
                       fx->id[0], fx->id[0], fx->id[2], fx->id[5], fx->id[1]);
    write_gzip(fx, "si.csv.gz", si);
    free(si);
    write_text(fx, "dibao.csv", "region_code,from,amount\n"
                                "530100,2025-01-01,800.00\n"
                                "110000,2025-01-01,1000\n");
    write_text(fx, "contact.csv", "archive_no,date,kind,cadre\n"
                                  "H1,2026-01-05,home_visit,C1\n"
                                  "H9,2026-01-05,phone,\n"
                                  "H2,2026-13-01,phone,\n");
    int rc = xc_config_parse(CONFIG_TEXT, "test.ini", fx->dir, &fx->cfg, &fx->err);
    if (rc != XC_OK)
        print_error("configuration: %s\n", fx->err.msg);
    assert_int_equal(rc, XC_OK);
}

static xc_date as_of(void)
{
    return xc_date_from_ymd(2026, 6, 30);
}

/* Reads household and member into a sealed archive, as the run does. */
static void load_archive(fixture *fx)
{
    assert_int_equal(xc_archive_new(&fx->archive), XC_OK);
    xc_ingest *in;
    xc_record rec;
    assert_int_equal(xc_ingest_open(&fx->cfg->ds[XC_DS_HOUSEHOLD], as_of(), NULL, &in,
                                    &fx->err), XC_OK);
    int rc;
    long first;
    while ((rc = xc_ingest_next(in, &rec, &fx->err)) == XC_OK) {
        assert_int_equal(xc_archive_add_household(fx->archive, &rec, &first), XC_OK);
        xc_ingest_count(in, true);
    }
    assert_int_equal(rc, XC_DONE);
    assert_int_equal(xc_ingest_finish(in, &fx->err), XC_OK);
    assert_int_equal(xc_ingest_counts(in)->matched, 2);
    xc_ingest_close(in);
    assert_int_equal(xc_ingest_open(&fx->cfg->ds[XC_DS_MEMBER], as_of(), NULL, &in, &fx->err),
                     XC_OK);
    while ((rc = xc_ingest_next(in, &rec, &fx->err)) == XC_OK) {
        assert_int_equal(xc_archive_add_member(fx->archive, &rec), XC_OK);
        xc_ingest_count(in, true);
    }
    assert_int_equal(rc, XC_DONE);
    assert_int_equal(xc_ingest_finish(in, &fx->err), XC_OK);
    assert_int_equal(xc_ingest_counts(in)->matched, 3);
    xc_ingest_close(in);
    assert_int_equal(xc_archive_seal(fx->archive), XC_OK);
    assert_int_equal(xc_archive_persons(fx->archive), 3);
}

/* ---- the scan ---- */

typedef struct seen {
    int progress_calls;
    bool dataset_done[XC_DS_COUNT];
    int ticks, done_ticks;
    int last_parts, last_parts_done;
    uint64_t last_rows;
} seen;

static void on_progress(void *user, const xc_dataset_def *ds, const xc_dataset_result *r)
{
    seen *s = user;
    s->progress_calls++;
    assert_true(r->evaluated);
    s->dataset_done[ds->id] = true;
}

static void on_tick(void *user, const xc_scan_status *st)
{
    seen *s = user;
    s->ticks++;
    if (st->done) {
        s->done_ticks++;
        s->last_parts = st->parts;
        s->last_parts_done = st->parts_done;
        s->last_rows = st->rows;
    }
}

static const xc_ds_id scanned[] = {XC_DS_HUKOU, XC_DS_SOCIAL_INSURANCE, XC_DS_DIBAO_STANDARD,
                                   XC_DS_CONTACT};
#define N_SCANNED ((int)(sizeof scanned / sizeof scanned[0]))

/* Scans the four reference and process datasets with two workers, their
 * rejects into dir/rejects; fills results. */
static void scan_all(fixture *fx, xc_dataset_result results[XC_DS_COUNT], seen *s,
                     xc_rejects *rejects[N_SCANNED])
{
    char rdir[256];
    snprintf(rdir, sizeof rdir, "%s", at(fx, "rejects"));
    assert_int_equal(mkdir(rdir, 0700), 0);
    xc_scan_part parts[N_SCANNED];
    xc_source_ctx whole = {.part = 0, .parts = 1};
    for (int i = 0; i < N_SCANNED; i++) {
        const xc_binding *b = &fx->cfg->ds[scanned[i]];
        assert_int_equal(xc_rejects_open(rdir, b->ds->name, false, &rejects[i], &fx->err),
                         XC_OK);
        parts[i] = (xc_scan_part){.ds = scanned[i], .part = 0};
        int rc = xc_ingest_open_part(b, &whole, as_of(), rejects[i], &parts[i].in, &fx->err);
        if (rc != XC_OK)
            print_error("open %s: %s\n", b->ds->name, fx->err.msg);
        assert_int_equal(rc, XC_OK);
    }
    for (int d = 0; d < XC_DS_COUNT; d++)          /* as the run starts them */
        results[d].span.latest = results[d].exported = XC_NO_DATE;
    assert_int_equal(xc_facts_new(&fx->facts), XC_OK);
    int rc = xc_scan(fx->archive, NULL, parts, N_SCANNED, 2, fx->facts, results, on_progress,
                     on_tick, s, &fx->err);
    if (rc != XC_OK)
        print_error("scan: %s\n", fx->err.msg);
    assert_int_equal(rc, XC_OK);
    for (int i = 0; i < N_SCANNED; i++) {
        assert_int_equal(xc_rejects_close(rejects[i], &fx->err), XC_OK);
        xc_ingest_close(parts[i].in);
    }
    xc_facts_seal(fx->facts);
}

static void assert_counts(const xc_counts *c, uint64_t read, uint64_t matched,
                          uint64_t unmatched, uint64_t rejected)
{
    assert_int_equal(c->read, read);
    assert_int_equal(c->matched, matched);
    assert_int_equal(c->unmatched, unmatched);
    assert_int_equal(c->rejected, rejected);
    assert_int_equal(c->read, c->matched + c->unmatched + c->rejected);
    assert_int_equal(c->physical_rows, c->read + c->other_lines);
}

static void test_scan_counts_every_row_as_matched_unmatched_or_rejected(void **state)
{
    fixture *fx = *state;
    write_dataset_files(fx);
    load_archive(fx);
    xc_dataset_result results[XC_DS_COUNT];
    memset(results, 0, sizeof results);
    seen s = {0};
    xc_rejects *rejects[N_SCANNED];
    scan_all(fx, results, &s, rejects);

    assert_counts(&results[XC_DS_HUKOU].counts, 5, 2, 1, 2);
    assert_counts(&results[XC_DS_SOCIAL_INSURANCE].counts, 5, 3, 1, 1);
    assert_counts(&results[XC_DS_DIBAO_STANDARD].counts, 2, 1, 1, 0);
    assert_counts(&results[XC_DS_CONTACT].counts, 3, 1, 1, 1);
    /* a header line each, no row of its own */
    assert_int_equal(results[XC_DS_HUKOU].counts.other_lines, 1);
    for (int i = 0; i < N_SCANNED; i++) {
        assert_true(results[scanned[i]].evaluated);
        assert_true(s.dataset_done[scanned[i]]);
    }
    assert_false(results[XC_DS_PROPERTY].evaluated);
    assert_int_equal(s.progress_calls, N_SCANNED);
    /* the ticker ends with one call saying every source is read */
    assert_int_equal(s.done_ticks, 1);
    assert_int_equal(s.last_parts, N_SCANNED);
    assert_int_equal(s.last_parts_done, N_SCANNED);
}

static void test_scan_keeps_the_facts_of_the_linked_rows(void **state)
{
    fixture *fx = *state;
    write_dataset_files(fx);
    load_archive(fx);
    xc_dataset_result results[XC_DS_COUNT];
    memset(results, 0, sizeof results);
    seen s = {0};
    xc_rejects *rejects[N_SCANNED];
    scan_all(fx, results, &s, rejects);

    size_t n;
    const xc_fact_hukou *hk = xc_facts_find(fx->facts, XC_DS_HUKOU, xc_id_pack(fx->id[1]), &n);
    assert_int_equal(n, 1);
    assert_int_equal(hk->status, 1);          /* deceased: the second value */
    assert_int_equal(hk->status_on, xc_date_from_ymd(2025, 5, 1));
    assert_int_equal(hk->h.line, 3);
    assert_string_equal(xc_facts_source(fx->facts, XC_DS_HUKOU, hk->h.src), at(fx, "hukou.csv"));
    /* no fact is kept of someone outside the archive */
    assert_null(xc_facts_find(fx->facts, XC_DS_HUKOU, xc_id_pack(fx->id[5]), &n));
    assert_int_equal(n, 0);

    const xc_fact_income *si = xc_facts_find(fx->facts, XC_DS_SOCIAL_INSURANCE,
                                             xc_id_pack(fx->id[0]), &n);
    assert_int_equal(n, 2);
    int64_t total = si[0].amount + si[1].amount;
    assert_int_equal(total, 300000 + 310050);    /* fen */
    /* as evidence: the dataset, its source and line, the fields */
    xc_buf json = {0};
    xc_fact_json(fx->facts, XC_DS_SOCIAL_INSURANCE, &si[0], false, &json);
    char *j = xc_buf_take(&json);
    assert_non_null(j);
    assert_non_null(strstr(j, "\"social_insurance\""));
    assert_non_null(strstr(j, "\"months\":1"));   /* a run of one month */
    bool jan = xc_income_month(&si[0]) == 2026 * 12;
    assert_non_null(strstr(j, jan ? "\"amount\":3000.00" : "\"amount\":3100.50"));
    assert_non_null(strstr(j, jan ? "\"month\":\"2026-01\"" : "\"month\":\"2026-02\""));
    assert_null(strstr(j, fx->id[0] + 6));      /* the ID masked */
    free(j);

    /* standards are kept whole, those of other regions too */
    const xc_fact_standard *std = xc_facts_all(fx->facts, XC_DS_DIBAO_STANDARD, &n);
    assert_int_equal(n, 2);
    xc_fact_json(fx->facts, XC_DS_DIBAO_STANDARD, std[0].amount == 80000 ? &std[0] : &std[1],
                 false, &json);
    j = xc_buf_take(&json);
    assert_non_null(j);
    assert_non_null(strstr(j, "\"region_code\":\"5301"));   /* 530100 as its city */
    assert_non_null(strstr(j, "\"monthly_amount\":800.00"));
    assert_non_null(strstr(j, "\"effective_from\":\"2025-01-01\""));
    free(j);
    /* contacts are kept under the household's index + 1 */
    uint32_t h1 = xc_archive_find_household(fx->archive, "H1", 2);
    assert_int_not_equal(h1, XC_NONE);
    const xc_fact_contact *ct = xc_facts_find(fx->facts, XC_DS_CONTACT, (uint64_t)h1 + 1, &n);
    assert_int_equal(n, 1);
    assert_int_equal(ct->date, xc_date_from_ymd(2026, 1, 5));
    assert_string_equal(ct->cadre_id, "C1");
}

static void test_scan_notes_the_months_and_dates_the_rows_hold(void **state)
{
    fixture *fx = *state;
    write_dataset_files(fx);
    load_archive(fx);
    xc_dataset_result results[XC_DS_COUNT];
    memset(results, 0, sizeof results);
    seen s = {0};
    xc_rejects *rejects[N_SCANNED];
    scan_all(fx, results, &s, rejects);

    const xc_span *si = &results[XC_DS_SOCIAL_INSURANCE].span;
    xc_month jan = 2026 * 12 + 0;
    assert_true(xc_span_has_month(si, jan));
    assert_true(xc_span_has_month(si, jan + 1));
    assert_true(xc_span_has_month(si, jan + 2));
    assert_false(xc_span_has_month(si, jan + 5));
    assert_false(xc_span_has_month(si, XC_SPAN_FIRST - 1));      /* out of range */
    assert_false(xc_span_has_month(si, XC_SPAN_FIRST + XC_SPAN_MONTHS));
    assert_int_equal(results[XC_DS_HUKOU].span.latest, xc_date_from_ymd(2025, 5, 1));
    assert_int_equal(results[XC_DS_CONTACT].span.latest, xc_date_from_ymd(2026, 1, 5));

    /* merging keeps the later date and every month of both */
    assert_int_equal(si->latest, XC_NO_DATE);     /* no date field */
    xc_span a = {.latest = xc_date_from_ymd(2020, 1, 1)};
    xc_span_merge(&a, si);
    assert_int_equal(a.latest, xc_date_from_ymd(2020, 1, 1));
    assert_true(xc_span_has_month(&a, jan + 2));
    xc_span b = {.latest = XC_NO_DATE};
    xc_span_merge(&b, &results[XC_DS_HUKOU].span);
    assert_int_equal(b.latest, xc_date_from_ymd(2025, 5, 1));
    xc_span none = {.latest = XC_NO_DATE};
    xc_span_merge(&b, &none);
    assert_int_equal(b.latest, xc_date_from_ymd(2025, 5, 1));
}

static void test_scan_writes_rejects_with_the_id_masked(void **state)
{
    fixture *fx = *state;
    write_dataset_files(fx);
    load_archive(fx);
    xc_dataset_result results[XC_DS_COUNT];
    memset(results, 0, sizeof results);
    seen s = {0};
    xc_rejects *rejects[N_SCANNED];
    scan_all(fx, results, &s, rejects);

    char *hk = read_back(at(fx, "rejects/hukou.csv"));
    /* the header, then a row per rejected row, in file order */
    assert_non_null(strstr(hk, "file,line,field,reason,value\n"));
    char *bad = strstr(hk, ",5,id_no,");
    assert_non_null(bad);
    char masked[32];
    snprintf(masked, sizeof masked, "%.6s********%.4s", fx->bad, fx->bad + 14);
    assert_non_null(strstr(bad, masked));
    assert_null(strstr(hk, fx->bad + 6));               /* never the whole number */
    assert_non_null(strstr(hk, ",6,status,"));
    assert_non_null(strstr(hk, "lost"));
    free(hk);
    char *ct = read_back(at(fx, "rejects/contact.csv"));
    assert_non_null(strstr(ct, ",4,contact_date,"));
    assert_non_null(strstr(ct, "2026-13-01"));
    free(ct);

    /* the reasons are grouped with the values taken out */
    const xc_reasons *r = &results[XC_DS_CONTACT].reasons;
    assert_int_equal(r->n, 1);
    assert_int_equal(r->r[0].n, 1);
    assert_int_equal(r->r[0].line, 4);
    assert_int_equal(r->r[0].field, XC_CT_CONTACT_DATE);
    assert_null(strstr(r->r[0].key, "2026-13-01"));
    assert_non_null(strstr(r->r[0].example, "2026-13-01"));
}

/* ---- ingest alone ---- */

static void test_ingest_notes_whom_rejected_rows_were_about(void **state)
{
    fixture *fx = *state;
    write_dataset_files(fx);
    char *mb = text_of("archive_no,id_no,name,relation\n"
                       "H1,%s,Zhang San,self\n"
                       "  H1 ,%s,Wang Fang,cousin\n"      /* 3: relation unknown */
                       ",%s,Nobody,friend\n"              /* 4: id only */
                       ",x,y\n",                          /* 5: too few fields */
                       fx->id[0], fx->id[1], fx->id[3]);
    write_gzip(fx, "member.csv.gz", mb);
    free(mb);
    xc_ingest *in;
    assert_int_equal(xc_ingest_open(&fx->cfg->ds[XC_DS_MEMBER], as_of(), at(fx, "."), &in,
                                    &fx->err), XC_OK);
    assert_string_equal(xc_ingest_where(in), at(fx, "member.csv.gz"));
    xc_record rec;
    int rc, accepted = 0;
    while ((rc = xc_ingest_next(in, &rec, &fx->err)) == XC_OK) {
        accepted++;
        /* the caller rejects the one accepted row after all */
        xc_ingest_reject(in, &rec, XC_MB_ARCHIVE_NO, "duplicate 'H1' for the test");
    }
    assert_int_equal(rc, XC_DONE);
    assert_int_equal(accepted, 1);
    assert_int_equal(xc_ingest_finish(in, &fx->err), XC_OK);
    const xc_counts *c = xc_ingest_counts(in);
    assert_int_equal(c->read, 4);
    assert_int_equal(c->rejected, 4);
    size_t n;
    char *const *links = xc_ingest_rejected_links(in, &n);
    assert_int_equal(n, 2);                      /* blanks around it trimmed */
    assert_string_equal(links[0], "H1");
    assert_string_equal(links[1], "H1");
    const uint64_t *ids = xc_ingest_rejected_ids(in, &n);
    assert_int_equal(n, 3);
    assert_int_equal(ids[0], xc_id_pack(fx->id[0]));
    assert_int_equal(ids[1], xc_id_pack(fx->id[1]));
    assert_int_equal(ids[2], xc_id_pack(fx->id[3]));
    assert_int_equal(xc_ingest_unattributed(in), 1);   /* the broken row */
    uint64_t done, total;
    xc_ingest_progress(in, &done, &total);
    assert_true(done > 0);
    uint64_t rows, bytes;
    xc_ingest_seen(in, &rows, &bytes);
    assert_true(rows <= c->read);
    xc_ingest_close(in);
    char *rj = read_back(at(fx, "member.csv"));
    assert_non_null(strstr(rj, ",2,archive_no,duplicate 'H1' for the test,H1\n"));
    assert_non_null(strstr(rj, ",3,relation,"));
    free(rj);
}

static void test_ingest_counts_an_uncounted_record_as_unmatched(void **state)
{
    fixture *fx = *state;
    write_dataset_files(fx);
    xc_ingest *in;
    assert_int_equal(xc_ingest_open(&fx->cfg->ds[XC_DS_DIBAO_STANDARD], as_of(), NULL, &in,
                                    &fx->err), XC_OK);
    xc_record rec;
    assert_int_equal(xc_ingest_next(in, &rec, &fx->err), XC_OK);
    /* not counted: the next call counts it as unmatched */
    assert_int_equal(xc_ingest_next(in, &rec, &fx->err), XC_OK);
    xc_ingest_count(in, true);
    xc_ingest_count(in, true);                   /* a second count is ignored */
    assert_int_equal(xc_ingest_next(in, &rec, &fx->err), XC_DONE);
    assert_int_equal(xc_ingest_finish(in, &fx->err), XC_OK);
    assert_counts(xc_ingest_counts(in), 2, 1, 1, 0);
    xc_ingest_close(in);
}

static void test_ingest_of_a_missing_file_fails_and_leaves_nothing(void **state)
{
    fixture *fx = *state;
    write_dataset_files(fx);
    assert_int_equal(remove(at(fx, "dibao.csv")), 0);
    xc_ingest *in = NULL;
    int rc = xc_ingest_open(&fx->cfg->ds[XC_DS_DIBAO_STANDARD], as_of(), fx->dir, &in, &fx->err);
    assert_true(rc < 0);
    assert_null(in);
    assert_int_equal(access(at(fx, "dibao_standard.csv"), F_OK), -1);
}

static void test_rejects_dir_that_is_a_file_is_refused(void **state)
{
    fixture *fx = *state;
    write_text(fx, "plain", "x");
    xc_rejects *r = NULL;
    assert_true(xc_rejects_open(at(fx, "plain"), "hukou", false, &r, &fx->err) < 0);
    assert_null(r);
    xc_rejects_discard(NULL);
    assert_int_equal(xc_rejects_close(NULL, &fx->err), XC_OK);
}

static void test_rejects_discarded_publish_nothing(void **state)
{
    fixture *fx = *state;
    xc_rejects *r;
    assert_int_equal(xc_rejects_open(fx->dir, "hukou", true, &r, &fx->err), XC_OK);
    xc_rejects_discard(r);
    assert_int_equal(access(at(fx, "hukou.csv"), F_OK), -1);
}

/* ---- pseudonyms, whole IDs, awkward values ---- */

/* The link function of the tests: only id[0] is in the archive (person 0). */
static void only_first(void *user, const uint64_t *keys, size_t n, uint32_t *ret)
{
    const fixture *fx = user;
    for (size_t i = 0; i < n; i++)
        ret[i] = keys[i] && keys[i] == xc_id_pack(fx->id[0]) ? 0 : XC_UNLINKED;
}

/* An ID number of region `region`, born 1970-01-01, sequence seq. */
static void make_id_in(char out[19], const char *region, int seq)
{
    make_id(out, seq);
    memcpy(out, region, 6);
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (out[i] - '0') * weight[i];
    out[17] = "10X98765432"[sum % 11];
}

/* 2026-12-03: a row whose ID text is the row before's takes that row's
 * conversion instead of converting it again; every kind of row next to
 * its twin must still be counted as if each had been converted alone. */
static void test_ingest_rows_of_one_person_in_a_row_count_as_each_alone(void **state)
{
    fixture *fx = *state;
    write_dataset_files(fx);
    char unknown[19];                  /* 530199: Kunming, no such county */
    make_id_in(unknown, "530199", 21);
    char *si = text_of("id_no,month,kind,amount\n"
                       "%s,2026-01,pension,100\n"      /* 2: matched */
                       "%s,2026-02,pension,100\n"      /* 3: matched, the same text */
                       "%s,2026-03,pension\n"          /* 4: too few fields: rejected */
                       "%s,2026-04,pension,100\n"      /* 5: matched */
                       "%s,2026-13,pension,100\n"      /* 6: a bad month: rejected */
                       "%s,2026-05,pension,100\n"      /* 7: matched */
                       "%s,2026-01,pension,100\n"      /* 8: wrong check character */
                       "%s,2026-02,pension,100\n"      /* 9: the same, rejected again */
                       "%s,2026-01,pension,100\n"      /* 10: unknown county, unmatched */
                       "%s,2026-02,pension,100\n"      /* 11: the same */
                       "530102700101099,2026-01,pension,100\n"   /* 12: 15 digits */
                       "530102700101099,2026-02,pension,100\n"   /* 13: the same */
                       "%s,2026-01,pension,100\n"      /* 14: someone else */
                       "%s,2026-02,pension,100\n",     /* 15: the same */
                       fx->id[0], fx->id[0], fx->id[0], fx->id[0], fx->id[0], fx->id[0], fx->bad,
                       fx->bad, unknown, unknown, fx->id[5], fx->id[5]);
    write_gzip(fx, "si.csv.gz", si);
    free(si);
    xc_ingest *in;
    assert_int_equal(xc_ingest_open(&fx->cfg->ds[XC_DS_SOCIAL_INSURANCE], as_of(), fx->dir, &in,
                                    &fx->err), XC_OK);
    xc_record rec;
    long lines[8];
    int n = 0, rc;
    while ((rc = xc_ingest_next_linked(in, &rec, only_first, fx, &fx->err)) == XC_OK) {
        assert_true(n < 8);
        assert_int_equal(rec.id.key, xc_id_pack(fx->id[0]));
        lines[n++] = rec.line;
        xc_ingest_count(in, true);
    }
    assert_int_equal(rc, XC_DONE);
    assert_int_equal(xc_ingest_finish(in, &fx->err), XC_OK);
    assert_int_equal(n, 4);
    assert_int_equal(lines[0], 2);
    assert_int_equal(lines[1], 3);
    assert_int_equal(lines[2], 5);
    assert_int_equal(lines[3], 7);
    const xc_counts *c = xc_ingest_counts(in);
    assert_counts(c, 14, 4, 6, 4);
    assert_int_equal(c->unknown_county, 2);
    assert_int_equal(c->legacy_ids, 2);
    xc_ingest_close(in);
    char *rj = read_back(at(fx, "social_insurance.csv"));
    assert_non_null(strstr(rj, ",4,"));
    assert_non_null(strstr(rj, ",6,month,"));
    assert_non_null(strstr(rj, ",8,id_no,"));
    assert_non_null(strstr(rj, ",9,id_no,"));
    free(rj);
}

static void test_ingest_matches_pseudonyms_to_the_numbers_they_stand_for(void **state)
{
    fixture *fx = *state;
    write_dataset_files(fx);
    uint8_t bytes[32];
    for (int i = 0; i < 32; i++)
        bytes[i] = (uint8_t)(i * 7 + 1);
    xc_key *k;
    assert_int_equal(xc_key_from_bytes(bytes, &k), XC_OK);
    char p0[XC_PSEUDONYM_LEN + 1], p5[XC_PSEUDONYM_LEN + 1];
    xc_pseudonym(k, fx->id[0], p0);
    xc_pseudonym(k, fx->id[5], p5);
    char *hk = text_of("id_no,name,region,status,status_on\n"
                       "%s,Zhang San,530102,normal,\n"       /* 2: id[0] */
                       "%s,Nobody,530102,normal,\n"          /* 3: someone else */
                       "%s,Plain,530102,normal,\n"           /* 4: a number, no pseudonym */
                       ",Empty,530102,normal,\n"             /* 5: no ID */
                       "%s,Plain,530102,normal,\n"           /* 6: a number again, */
                       "%s,Zhang San,530102,normal,\n",      /* 7: then its pseudonym */
                       p0, p5, fx->id[0], fx->id[0], p0);
    write_text(fx, "hukou.csv", hk);
    free(hk);
    xc_config_free(fx->cfg);
    fx->cfg = NULL;
    char *text = text_of("%s", CONFIG_TEXT);
    char *at_hukou = strstr(text, "[hukou]\n");
    assert_non_null(at_hukou);
    char *cfg = text_of("%.*s[hukou]\nid_form = pseudonym\n%s", (int)(at_hukou - text), text,
                        at_hukou + strlen("[hukou]\n"));
    int rc = xc_config_parse(cfg, "test.ini", fx->dir, &fx->cfg, &fx->err);
    free(cfg);
    free(text);
    if (rc != XC_OK)
        print_error("configuration: %s\n", fx->err.msg);
    assert_int_equal(rc, XC_OK);
    uint64_t keys[3] = {xc_id_pack(fx->id[0]), xc_id_pack(fx->id[1]), xc_id_pack(fx->id[2])};
    xc_pseudomap *m;
    assert_int_equal(xc_pseudomap_new(k, keys, 3, &m), XC_OK);
    xc_ingest *in;
    assert_int_equal(xc_ingest_open(&fx->cfg->ds[XC_DS_HUKOU], as_of(), fx->dir, &in, &fx->err),
                     XC_OK);
    xc_ingest_set_pseudonyms(in, m);
    xc_record rec;
    assert_int_equal(xc_ingest_next_linked(in, &rec, only_first, fx, &fx->err), XC_OK);
    assert_int_equal(rec.id.key, xc_id_pack(fx->id[0]));  /* the number, in memory */
    assert_int_equal(rec.line, 2);
    xc_ingest_count(in, true);
    /* 2026-12-03: line 7 must not take line 6's "not a pseudonym" for the
     * same number as a row before it converted to */
    assert_int_equal(xc_ingest_next_linked(in, &rec, only_first, fx, &fx->err), XC_OK);
    assert_int_equal(rec.line, 7);
    xc_ingest_count(in, true);
    assert_int_equal(xc_ingest_next_linked(in, &rec, only_first, fx, &fx->err), XC_DONE);
    assert_int_equal(xc_ingest_finish(in, &fx->err), XC_OK);
    assert_counts(xc_ingest_counts(in), 6, 2, 1, 3);
    xc_ingest_close(in);
    xc_pseudomap_free(m);
    xc_key_free(k);
    char *rj = read_back(at(fx, "hukou.csv"));
    assert_non_null(strstr(rj, ",4,id_no,\"not a pseudonym"));
    assert_non_null(strstr(rj, ",5,id_no,"));
    assert_null(strstr(rj, fx->id[0] + 6));               /* masked there too */
    free(rj);
}

static void test_rejects_with_full_ids_keep_the_number_and_show_controls(void **state)
{
    fixture *fx = *state;
    write_dataset_files(fx);
    /* a long name (cut in the reject file), a status with a control
     * character, an ID number with one */
    char name[5000];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    char *hk = text_of("id_no,name,region,status,status_on\n"
                       "%s,%s,530102,lost,\n"
                       "%s,x,530102,dead\x01,\n"
                       "%s\x02,x,530102,normal,\n",
                       fx->bad, name, fx->id[1], fx->id[2]);
    write_text(fx, "hukou.csv", hk);
    free(hk);
    char rdir[256];
    snprintf(rdir, sizeof rdir, "%s", at(fx, "full"));
    assert_int_equal(mkdir(rdir, 0700), 0);
    xc_rejects *r;
    assert_int_equal(xc_rejects_open(rdir, "hukou", true, &r, &fx->err), XC_OK);
    xc_source_ctx whole = {.part = 0, .parts = 1};
    xc_ingest *in;
    assert_int_equal(xc_ingest_open_part(&fx->cfg->ds[XC_DS_HUKOU], &whole, as_of(), r, &in,
                                         &fx->err), XC_OK);
    xc_record rec;
    while (xc_ingest_next(in, &rec, &fx->err) == XC_OK)
        xc_ingest_count(in, false);
    assert_int_equal(xc_ingest_finish(in, &fx->err), XC_OK);
    assert_int_equal(xc_ingest_counts(in)->rejected, 3);
    xc_ingest_close(in);
    assert_int_equal(xc_rejects_close(r, &fx->err), XC_OK);
    char *rj = read_back(at(fx, "full/hukou.csv"));
    assert_non_null(strstr(rj, fx->bad));                  /* whole, as asked */
    assert_null(strchr(rj, '\x01'));
    assert_null(strchr(rj, '\x02'));
    assert_non_null(strstr(rj, ",3,status,"));
    assert_non_null(strstr(rj, ",4,id_no,"));
    /* the first row's reason is about its ID; no field of a reject row
     * holds more than 400 bytes of the name */
    assert_null(strstr(rj, name + sizeof name - 1 - 401));
    free(rj);
}

static void also_linked(fixture *fx, xc_idtab **ret)
{
    assert_int_equal(xc_idtab_new(4, ret), XC_OK);
    uint32_t have;
    assert_int_equal(xc_idtab_insert(*ret, xc_id_pack(fx->id[5]), 0, &have), XC_OK);
}

static void test_scan_keeps_the_rows_of_people_of_interest_outside_the_archive(void **state)
{
    fixture *fx = *state;
    write_dataset_files(fx);
    load_archive(fx);
    xc_idtab *also;
    also_linked(fx, &also);
    xc_dataset_result results[XC_DS_COUNT];
    memset(results, 0, sizeof results);
    for (int d = 0; d < XC_DS_COUNT; d++)
        results[d].span.latest = results[d].exported = XC_NO_DATE;
    xc_scan_part part = {.ds = XC_DS_HUKOU};
    xc_source_ctx whole = {.part = 0, .parts = 1};
    assert_int_equal(xc_ingest_open_part(&fx->cfg->ds[XC_DS_HUKOU], &whole, as_of(), NULL,
                                         &part.in, &fx->err), XC_OK);
    assert_int_equal(xc_facts_new(&fx->facts), XC_OK);
    assert_int_equal(xc_scan(fx->archive, also, &part, 1, 1, fx->facts, results, NULL, NULL,
                             NULL, &fx->err), XC_OK);
    xc_ingest_close(part.in);
    xc_idtab_free(also);
    xc_facts_seal(fx->facts);
    /* id[5] is counted as matched, and its row kept */
    assert_counts(&results[XC_DS_HUKOU].counts, 5, 3, 0, 2);
    size_t n;
    assert_non_null(xc_facts_find(fx->facts, XC_DS_HUKOU, xc_id_pack(fx->id[5]), &n));
    assert_int_equal(n, 1);
}

static void test_scan_of_a_broken_source_fails_naming_it(void **state)
{
    fixture *fx = *state;
    write_dataset_files(fx);
    load_archive(fx);
    /* a gzip file cut short past its first blocks: the stream ends inside
     * it, long after the header was read */
    gzFile gz = gzopen(at(fx, "si.csv.gz"), "wb");
    assert_non_null(gz);
    gzprintf(gz, "id_no,month,kind,amount\n");
    uint64_t x = 88172645463325252ull;
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;      /* xorshift: hardly compressible */
        gzprintf(gz, "%s,2026-0%d,pension,%llu.%02u\n", fx->id[(x >> 3) % 8], 1 + (int)(x % 6),
                 (unsigned long long)(x % 100000), (unsigned)(x >> 40) % 100);
    }
    assert_int_equal(gzclose(gz), Z_OK);
    struct stat st;
    assert_int_equal(stat(at(fx, "si.csv.gz"), &st), 0);
    assert_true(st.st_size > 1 << 20);
    assert_int_equal(truncate(at(fx, "si.csv.gz"), st.st_size / 2), 0);
    xc_dataset_result results[XC_DS_COUNT];
    memset(results, 0, sizeof results);
    xc_scan_part parts[2] = {{.ds = XC_DS_SOCIAL_INSURANCE}, {.ds = XC_DS_HUKOU}};
    xc_source_ctx whole = {.part = 0, .parts = 1};
    for (int i = 0; i < 2; i++)
        assert_int_equal(xc_ingest_open_part(&fx->cfg->ds[parts[i].ds], &whole, as_of(), NULL,
                                             &parts[i].in, &fx->err), XC_OK);
    assert_int_equal(xc_facts_new(&fx->facts), XC_OK);
    xc_err_clear(&fx->err);
    int rc = xc_scan(fx->archive, NULL, parts, 2, 1, fx->facts, results, NULL, NULL, NULL,
                     &fx->err);
    assert_true(rc < 0);
    assert_non_null(strstr(fx->err.where, "si.csv.gz"));
    assert_false(results[XC_DS_SOCIAL_INSURANCE].evaluated);
    for (int i = 0; i < 2; i++)
        xc_ingest_close(parts[i].in);
}

static void test_rejected_long_value_is_cut_and_its_id_runs_masked(void **state)
{
    fixture *fx = *state;
    write_dataset_files(fx);
    /* a status of 6000 bytes with an ID number at its start: the reject
     * file keeps at most 400 bytes of it, masked */
    char status[6001];
    memset(status, 'x', 6000);
    status[6000] = '\0';
    memcpy(status, fx->id[3], 18);
    status[18] = ' ';
    char *hk = text_of("id_no,name,region,status,status_on\n%s,x,530102,%s,\n", fx->id[0],
                       status);
    write_text(fx, "hukou.csv", hk);
    free(hk);
    xc_ingest *in;
    assert_int_equal(xc_ingest_open(&fx->cfg->ds[XC_DS_HUKOU], as_of(), fx->dir, &in, &fx->err),
                     XC_OK);
    xc_record rec;
    assert_int_equal(xc_ingest_next(in, &rec, &fx->err), XC_DONE);
    assert_int_equal(xc_ingest_finish(in, &fx->err), XC_OK);
    assert_int_equal(xc_ingest_counts(in)->rejected, 1);
    xc_ingest_close(in);
    char *rj = read_back(at(fx, "hukou.csv"));
    char *row = strstr(rj, ",2,status,");
    assert_non_null(row);
    assert_null(strstr(rj, fx->id[3] + 6));
    char *end = strchr(row, '\n');
    assert_non_null(end);
    assert_true(end - row < 1200);           /* reason and value, each cut */
    free(rj);
}

static void test_file_row_with_too_many_columns_stops_the_read_naming_its_line(void **state)
{
    fixture *fx = *state;
    write_dataset_files(fx);
    size_t n = 5000 * 2 + 64;
    char *line = malloc(n);
    assert_non_null(line);
    size_t o = (size_t)snprintf(line, n, "region_code,from,amount\n530100,2025-01-01,800\n");
    for (int i = 0; i < 5000; i++)
        line[o++] = ',';
    line[o++] = '\n';
    line[o] = '\0';
    write_text(fx, "dibao.csv", line);
    free(line);
    xc_ingest *in;
    assert_int_equal(xc_ingest_open(&fx->cfg->ds[XC_DS_DIBAO_STANDARD], as_of(), NULL, &in,
                                    &fx->err), XC_OK);
    xc_record rec;
    assert_int_equal(xc_ingest_next(in, &rec, &fx->err), XC_OK);
    xc_ingest_count(in, true);
    xc_err_clear(&fx->err);
    assert_int_equal(xc_ingest_next(in, &rec, &fx->err), XC_EINPUT);
    assert_non_null(strstr(fx->err.msg, "row starting on line 3"));
    assert_non_null(strstr(fx->err.msg, "more than 4096 columns"));
    assert_int_equal(fx->err.row, 3);
    xc_ingest_close(in);
}

/* ---- the reasons ---- */

static void test_reasons_group_by_field_and_reason_without_values(void **state)
{
    (void)state;
    xc_reasons t = {0};
    xc_reasons_add(&t, 2, "'2024-13-01' is not a date", 9, 1);
    xc_reasons_add(&t, 2, "'2025-99-01' is not a date", 4, 2);   /* earlier line */
    xc_reasons_add(&t, 3, "'2025-99-01' is not a date", 5, 1);   /* another field */
    assert_int_equal(t.n, 2);
    assert_int_equal(t.r[0].n, 3);
    assert_int_equal(t.r[0].line, 4);
    assert_string_equal(t.r[0].example, "'2025-99-01' is not a date");
    assert_string_equal(t.r[0].key, "'\xe2\x80\xa6' is not a date");
    for (int i = 0; i < XC_REASONS + 2; i++) {
        char why[32];
        snprintf(why, sizeof why, "reason %d", i);
        xc_reasons_add(&t, -1, why, 20 + i, 1);
    }
    assert_int_equal(t.n, XC_REASONS);
    assert_int_equal(t.other, 2 + 2);           /* beyond the table: counted apart */
    xc_reasons into = {0};
    xc_reasons_add(&into, 2, "'x' is not a date", 1, 5);
    xc_reasons_merge(&into, &t);
    assert_int_equal(into.r[0].n, 5 + 3);
    assert_int_equal(into.r[0].line, 1);
    assert_int_equal(into.n, XC_REASONS);       /* the first five fit beside it */
    assert_int_equal(into.other, t.other);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scan_counts_every_row_as_matched_unmatched_or_rejected,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_scan_keeps_the_facts_of_the_linked_rows, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_scan_notes_the_months_and_dates_the_rows_hold,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_scan_writes_rejects_with_the_id_masked, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ingest_notes_whom_rejected_rows_were_about, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ingest_counts_an_uncounted_record_as_unmatched,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_ingest_of_a_missing_file_fails_and_leaves_nothing,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_rejects_dir_that_is_a_file_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rejects_discarded_publish_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_ingest_rows_of_one_person_in_a_row_count_as_each_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_ingest_matches_pseudonyms_to_the_numbers_they_stand_for, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_rejects_with_full_ids_keep_the_number_and_show_controls, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_scan_keeps_the_rows_of_people_of_interest_outside_the_archive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scan_of_a_broken_source_fails_naming_it, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rejected_long_value_is_cut_and_its_id_runs_masked,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_file_row_with_too_many_columns_stops_the_read_naming_its_line, setup, teardown),
        cmocka_unit_test(test_reasons_group_by_field_and_reason_without_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
