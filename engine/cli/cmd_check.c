/*
 * cmd_check.c - xcheck check: what a configuration will do, from a sample.
 *
 * Opens every configured source through its connector, as a run does, and
 * reads its header and its first rows only (--rows, default 1000: a file
 * is never read past them, a server is asked for them with LIMIT). Prints,
 * per dataset, the mapping column by column, the coded values the value
 * maps do not know, whether the declared encoding and delimiter fit the
 * file's first bytes, the date formats that parse, the sample's rejects
 * with their commonest reasons and the dates it spans; then which rules
 * the configuration will and will not evaluate, and why. Text taken from
 * the data is printed with what could be an ID number masked.
 */
#include "cli.h"
#include "xcheck/i18n.h"

#include <getopt.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "xcheck/date.h"
#include "xcheck/idno.h"
#include "xcheck/ingest.h"
#include "xcheck/record.h"
#include "xcheck/text.h"
#include "xcheck/plugin/rule.h"
#include "xcheck/plugin/source.h"

#include "file.h"
#include "sniff.h"

#define DEFAULT_ROWS 1000
#define MAX_UNKNOWN 12           /* unknown coded values listed per field */
#define DATE_SAMPLES 200         /* values of a date field tried per format */

void help_check(void)
{
    printf(_("Usage: xcheck check -c CONFIG [--rows N]\n\n"
           "Checks a configuration against its sources without a run: opens every\n"
           "configured dataset's source, reads its header and first N rows only, and\n"
           "prints per dataset the mapping (logical field <- column, and the columns left\n"
           "unmapped), coded values the value maps do not know, whether the declared\n"
           "encoding and delimiter fit, the date formats that parse, the share of the\n"
           "sample rejected and why, the dates the sample spans; then the rules the\n"
           "configuration will and will not evaluate, and why.\n\n"
           "Options:\n"
           "  -c, --config=FILE   the configuration to check (required)\n"
           "  -n, --rows=N        rows read per dataset (default 1000)\n"
           "  -h, --help          show this help, then exit\n\n"
           "Exit status: 0 everything can run; 1 something would fail (a source that\n"
           "cannot be opened, a column not in the header, an encoding or delimiter that\n"
           "does not fit, a garbled header, rejects over max_rejects in the sample);\n"
           "2 usage error.\n"));
}

/* Prints text from the data, what could be an ID number masked. */
static void put_masked(const char *s, size_t len)
{
    xc_buf b = {0};
    xc_mask_ids(&b, s, len, false);
    char *t = xc_buf_take(&b);
    fputs(t ? t : "?", stdout);
    free(t);
}

/* ---- one dataset -------------------------------------------------------- */

typedef struct unknown_value {
    char text[64];
    uint64_t n;
} unknown_value;

typedef struct field_sample {
    unknown_value unknown[MAX_UNKNOWN];
    int n_unknown;
    uint64_t more_unknown;       /* rows with further unknown values */
    char *dates[DATE_SAMPLES];   /* DATE and MONTH fields: raw values */
    int n_dates;
    int64_t lo, hi;              /* accepted values' span; lo > hi: none */
} field_sample;

typedef struct ds_check {
    const xc_binding *b;
    field_sample f[XC_MAX_FIELDS];
    uint64_t read, rejected;
    uint64_t if_linked;          /* of the rejected, those a run rejects only
                                    when the row's person is in the archive */
    xc_reasons reasons;
    bool failed;
} ds_check;

static bool known_value(const xc_binding *b, int f, const char *s, size_t len)
{
    const xc_field_binding *fb = &b->field[f];
    for (size_t i = 0; i < fb->n_map; i++)
        if (strlen(fb->map[i].raw) == len && memcmp(fb->map[i].raw, s, len) == 0)
            return true;
    return xc_field_value(&b->ds->fields[f], s, len) >= 0;
}

static void note_unknown(field_sample *fs, const char *s, size_t len)
{
    if (len >= sizeof fs->unknown[0].text)
        len = sizeof fs->unknown[0].text - 1;
    for (int i = 0; i < fs->n_unknown; i++)
        if (strlen(fs->unknown[i].text) == len && memcmp(fs->unknown[i].text, s, len) == 0) {
            fs->unknown[i].n++;
            return;
        }
    if (fs->n_unknown == MAX_UNKNOWN) {
        fs->more_unknown++;
        return;
    }
    memcpy(fs->unknown[fs->n_unknown].text, s, len);
    fs->unknown[fs->n_unknown].text[len] = '\0';
    fs->unknown[fs->n_unknown++].n = 1;
}

/* A coded field's raw text: each value (an ENUMLIST holds several) the
 * maps do not know is noted. */
static void look_coded(const xc_binding *b, int f, field_sample *fs, const char *p, size_t len)
{
    const char *s = xc_trim(p, &len);
    if (xc_binding_null_text(b, s, len))
        return;
    if (b->ds->fields[f].type == XC_F_ENUM || known_value(b, f, s, len)) {
        if (!known_value(b, f, s, len))
            note_unknown(fs, s, len);
        return;
    }
    /* ENUMLIST: ; , | 、 and ； separate values */
    const char *end = s + len, *at = s;
    while (at <= end) {
        const char *stop = at;
        size_t sep = 0;
        while (stop < end) {
            if (*stop == ';' || *stop == ',' || *stop == '|') {
                sep = 1;
                break;
            }
            if (end - stop >= 3 && (memcmp(stop, "\xE3\x80\x81", 3) == 0 ||
                                    memcmp(stop, "\xEF\xBC\x9B", 3) == 0)) {
                sep = 3;
                break;
            }
            stop++;
        }
        size_t n = (size_t)(stop - at);
        const char *v = xc_trim(at, &n);
        if (n && !known_value(b, f, v, n))
            note_unknown(fs, v, n);
        if (stop >= end)
            break;
        at = stop + sep;
    }
}

static void look_row(ds_check *c, const xc_raw_row *raw)
{
    const xc_binding *b = c->b;
    for (int f = 0; f < b->ds->n_fields; f++) {
        const xc_field_def *fd = &b->ds->fields[f];
        if (!raw->f[f].p)
            continue;
        field_sample *fs = &c->f[f];
        if (fd->type == XC_F_ENUM || fd->type == XC_F_ENUMLIST)
            look_coded(b, f, fs, raw->f[f].p, raw->f[f].len);
        if ((fd->type == XC_F_DATE || fd->type == XC_F_MONTH) && fs->n_dates < DATE_SAMPLES) {
            size_t n = raw->f[f].len;
            const char *s = xc_trim(raw->f[f].p, &n);
            if (!xc_binding_null_text(b, s, n) && (fs->dates[fs->n_dates] = malloc(n + 1))) {
                memcpy(fs->dates[fs->n_dates], s, n);
                fs->dates[fs->n_dates++][n] = '\0';
            }
        }
    }
}

static void look_record(ds_check *c, const xc_record *rec)
{
    const xc_binding *b = c->b;
    for (int f = 0; f < b->ds->n_fields; f++) {
        xc_ftype t = b->ds->fields[f].type;
        if ((t != XC_F_DATE && t != XC_F_MONTH) || rec->v[f].null)
            continue;
        field_sample *fs = &c->f[f];
        if (fs->lo > fs->hi)
            fs->lo = fs->hi = rec->v[f].i;
        if (rec->v[f].i < fs->lo)
            fs->lo = rec->v[f].i;
        if (rec->v[f].i > fs->hi)
            fs->hi = rec->v[f].i;
    }
}

/* Reads up to max rows of the planned source of c->b. Returns XC_OK, or a
 * negative code with err (the source could not be opened or failed). */
static int read_sample(ds_check *c, const xc_source_plan *plan, xc_date as_of, uint64_t max,
                       xc_err *err)
{
    xc_date latest = xc_date_today() > as_of ? xc_date_today() : as_of;
    int rc = XC_OK;
    for (int k = 0; k < plan->parts && c->read < max && rc >= 0; k++) {
        xc_source_ctx ctx = {.part = k, .parts = plan->parts, .plan = plan};
        xc_source *src = NULL;
        if ((rc = xc_source_open_part(c->b, &ctx, &src, err)) < 0)
            break;
        xc_raw_row raw;
        while (c->read < max && (rc = xc_source_next(src, &raw, err)) == XC_OK) {
            c->read++;
            look_row(c, &raw);
            xc_record rec;
            xc_reject rej;
            /* A run converts a reference row's other fields only when its
             * ID number links it to the archive (ingest.h), which the
             * sample cannot know: those rejects are counted apart. */
            bool by_id = c->b->ds->side == XC_SIDE_REFERENCE && c->b->ds->link == XC_LINK_ID;
            if (by_id && xc_record_convert_id(c->b, as_of, &raw, &rec, &rej) < 0) {
                c->rejected++;
                xc_reasons_add(&c->reasons, rej.field, rej.reason, raw.line, 1);
            } else if (xc_record_convert(c->b, as_of, latest, &raw, &rec, &rej) < 0) {
                c->rejected++;
                c->if_linked += by_id;
                xc_reasons_add(&c->reasons, rej.field, rej.reason, raw.line, 1);
            } else {
                look_record(c, &rec);
            }
        }
        if (rc == XC_DONE)
            rc = XC_OK;
        xc_source_close(src);
    }
    return rc;
}

/* ---- what is printed ---------------------------------------------------- */

static const char *const day_formats[] = {
    "YYYY-MM-DD", "YYYYMMDD", "YYYY/MM/DD", "YYYY/M/D", "YYYY.MM.DD", "YYYY-M-D",
    "YYYY年M月D日", "YYYY-MM-DD*", "YYYY/M/D*", NULL,
};
static const char *const month_formats[] = {
    "YYYY-MM", "YYYYMM", "YYYY/MM", "YYYY/M", "YYYY.MM", "YYYY年M月", "YYYY-MM-DD",
    "YYYYMMDD", NULL,
};

static int parsed(const xc_datefmt *fmt, const field_sample *fs)
{
    int ok = 0;
    for (int i = 0; i < fs->n_dates; i++) {
        xc_date d;
        ok += xc_datefmt_parse(fmt, fs->dates[i], strlen(fs->dates[i]), &d) == 0;
    }
    return ok;
}

/* The date formats of field f: the configured one's success and the
 * candidates that parse every value seen. Returns whether the configured
 * one parses them all. */
static bool print_dates(const ds_check *c, int f)
{
    const field_sample *fs = &c->f[f];
    const xc_field_def *fd = &c->b->ds->fields[f];
    if (!fs->n_dates)
        return true;
    int ok = parsed(&c->b->field[f].format, fs);
    printf(_("    %-18s date format: the configured one parses %d of %d values"), fd->name, ok,
           fs->n_dates);
    const char *const *cand = fd->type == XC_F_DATE ? day_formats : month_formats;
    int most = 0, count[16] = {0};
    for (int i = 0; cand[i] && i < 16; i++) {
        xc_datefmt fmt;
        const char *why;
        if (xc_datefmt_compile(cand[i], &fmt, &why) == 0)
            count[i] = parsed(&fmt, fs);
        if (count[i] > most)
            most = count[i];
    }
    int shown = 0;
    for (int i = 0; cand[i] && i < 16 && most; i++)
        if (count[i] == most)
            printf("%s%s", shown++ ? ", " : most == fs->n_dates
                   ? _("; formats that parse them all: ")
                   : _("; formats that parse the most: "), cand[i]);
    if (most && most < fs->n_dates)
        printf(" (%d/%d)", most, fs->n_dates);
    if (!most)
        fputs(_("; no common format parses them"), stdout);
    printf("\n");
    return ok == fs->n_dates;
}

static void print_span(const ds_check *c)
{
    bool any = false;
    for (int f = 0; f < c->b->ds->n_fields; f++) {
        const field_sample *fs = &c->f[f];
        const xc_field_def *fd = &c->b->ds->fields[f];
        if (fs->lo > fs->hi)
            continue;
        char a[11], z[11];
        if (!any)
            fputs(_("  dates the sample covers:\n"), stdout);
        any = true;
        if (fd->type == XC_F_MONTH) {
            char ma[8], mz[8];
            printf("    %-18s %s .. %s\n", fd->name, xc_month_format((xc_month)fs->lo, ma),
                   xc_month_format((xc_month)fs->hi, mz));
        } else {
            printf("    %-18s %s .. %s\n", fd->name, xc_date_format((xc_date)fs->lo, a),
                   xc_date_format((xc_date)fs->hi, z));
        }
    }
}

static const char *enc_name(xc_encoding e)
{
    return e == XC_ENC_GB18030 ? "gb18030" : "utf-8";
}

static const char *delim_name(char d, char *buf)
{
    if (d == '\t')
        return "tab";
    buf[0] = d;
    buf[1] = '\0';
    return buf;
}

/* The file's first bytes against its declared encoding and delimiter, and
 * its header's columns (names decoded). Returns false when they do not
 * fit. */
static bool print_file_head(const xc_binding *b, const char *path, xc_sniff *sn)
{
    int rc = xc_sniff_file(path, b->encoding, b->delimiter, b->quote, sn);
    if (rc < 0) {
        printf(_("  ✗ cannot read the start of %s\n"), path);
        return false;
    }
    bool ok = true;
    printf(_("  file: %s\n"), path);
    printf(_("  encoding: configured %s; the sample decodes cleanly as: %s%s%s\n"),
           enc_name(b->encoding), sn->utf8_ok ? "UTF-8" : "",
           sn->utf8_ok && sn->gb18030_ok ? ", " : "",
           sn->gb18030_ok ? "GB18030" : (!sn->utf8_ok ? _("(neither)") : ""));
    if (!sn->encoding_fits) {
        ok = false;
        printf(_("  ✗ the declared encoding does not fit: decoded as %s it is mojibake%s\n"),
               enc_name(b->encoding),
               sn->suggest_gb18030 ? _("; set encoding = gb18030")
               : sn->utf8_ok ? _("; set encoding = utf-8") : "");
    }
    char d1[2], d2[2];
    printf(_("  delimiter: configured %s, %d in the first line"), delim_name(b->delimiter, d1),
           sn->declared_count);
    if (sn->best_delimiter && sn->best_delimiter != b->delimiter)
        printf(_("; the commonest in the first line is %s (%d)"),
               delim_name(sn->best_delimiter, d2), sn->best_count);
    printf("\n");
    if (!sn->delimiter_fits) {
        ok = false;
        printf(_("  ✗ the delimiter does not fit: set delimiter = %s\n"),
               sn->best_delimiter == '\t' ? "tab" : sn->best_delimiter == ',' ? "comma"
               : sn->best_delimiter == ';' ? "semicolon" : sn->best_delimiter == '|' ? "pipe"
               : delim_name(sn->best_delimiter, d2));
    }
    if (sn->garbled_header) {
        ok = false;
        printf(_("  ✗ the header is garbled (mojibake): the encoding %s is wrong\n"),
               enc_name(b->encoding));
    }
    return ok;
}

static bool column_in_header(const xc_sniff *sn, const char *name)
{
    for (int c = 0; c < sn->n_columns; c++)
        if (strcasecmp(sn->columns[c], name) == 0)
            return true;
    return false;
}

/* The mapping column by column. Returns false when a mapped column is not
 * in the header. */
static bool print_mapping(const xc_binding *b, const xc_sniff *sn, const char *path)
{
    bool ok = true;
    fputs(_("  mapping (logical field <- column):\n"), stdout);
    for (int f = 0; f < b->ds->n_fields; f++) {
        const xc_field_def *fd = &b->ds->fields[f];
        const xc_field_binding *fb = &b->field[f];
        printf("    %-18s ", fd->name);
        if (!fb->column) {
            fputs(fd->optional ? _("(not mapped, optional)\n") : _("(not mapped)\n"), stdout);
            continue;
        }
        printf("<- ");
        put_masked(fb->column, strlen(fb->column));
        if (sn && b->header && sn->n_columns && !column_in_header(sn, fb->column)) {
            ok = false;
            printf(_("   ✗ not in the header of %s (line %d of the configuration)"), path,
                   fb->line);
        }
        printf("\n");
    }
    if (sn && b->header && sn->n_columns) {
        bool any = false;
        for (int c = 0; c < sn->n_columns; c++) {
            bool mapped = false;
            for (int f = 0; f < b->ds->n_fields && !mapped; f++)
                mapped = b->field[f].column && strcasecmp(b->field[f].column, sn->columns[c]) == 0;
            if (mapped)
                continue;
            fputs(any ? ", " : _("  columns not mapped: "), stdout);
            put_masked(sn->columns[c], strlen(sn->columns[c]));
            any = true;
        }
        if (any)
            printf("\n");
    }
    return ok;
}

static void print_unknown(const ds_check *c)
{
    for (int f = 0; f < c->b->ds->n_fields; f++) {
        const field_sample *fs = &c->f[f];
        if (!fs->n_unknown)
            continue;
        printf(_("    %-18s coded values not mapped (map.%s.<code>): "),
               c->b->ds->fields[f].name, c->b->ds->fields[f].name);
        for (int i = 0; i < fs->n_unknown; i++) {
            printf("%s\"", i ? ", " : "");
            put_masked(fs->unknown[i].text, strlen(fs->unknown[i].text));
            printf("\" ×%llu", (unsigned long long)fs->unknown[i].n);
        }
        if (fs->more_unknown)
            printf(_(" and %llu more rows"), (unsigned long long)fs->more_unknown);
        printf("\n");
    }
}

/* Whether the sample's rejects are over the dataset's max_rejects. */
static bool over_limit(const ds_check *c)
{
    const xc_reject_limit *l = &c->b->max_rejects;
    uint64_t sure = c->rejected - c->if_linked;
    if (!sure)
        return false;
    if (!l->share)
        return sure > l->count;
    /* ppm: millionths of a percent, so the share is ppm / 10^8 */
    return (double)sure * 1e8 > (double)l->ppm * (double)c->read;
}

static bool print_rejects(const ds_check *c)
{
    printf(_("  sample: %llu rows read, %llu rejected (%.2f%%)"), (unsigned long long)c->read,
           (unsigned long long)c->rejected,
           c->read ? 100.0 * (double)c->rejected / (double)c->read : 0.0);
    const xc_reject_limit *l = &c->b->max_rejects;
    if (l->share)
        printf(_(", limit max_rejects %g%%"), l->percent);
    else
        printf(_(", limit max_rejects %llu rows"), (unsigned long long)l->count);
    bool over = over_limit(c);
    fputs(over ? _("  ✗ over the limit\n") : "\n", stdout);
    if (c->if_linked)
        printf(_("    of which %llu only when the person is in the archive: not counted "
                 "against the limit\n"), (unsigned long long)c->if_linked);
    for (size_t i = 0; i < c->reasons.n; i++) {
        const xc_reason_count *r = &c->reasons.r[i];
        printf(r->n == 1 ? _("    %llu row  %s: e.g. line %ld: ")
                         : _("    %llu rows  %s: e.g. line %ld: "), (unsigned long long)r->n,
               r->field >= 0 ? c->b->ds->fields[r->field].name : _("(row)"), r->line);
        put_masked(r->example, strlen(r->example));
        printf("\n");
    }
    if (c->reasons.other)
        printf(_("    %llu rows for other reasons\n"), (unsigned long long)c->reasons.other);
    return !over;
}

/* ---- the command -------------------------------------------------------- */

static bool check_dataset(const xc_config *cfg, xc_source_run *run, xc_ds_id d, uint64_t rows)
{
    const xc_binding *b = &cfg->ds[d];
    printf("\n[%s] %s  (kind = %s)\n", b->ds->name, b->ds->label_zh, b->source->kind);
    xc_err err;
    xc_err_clear(&err);
    xc_source_plan *plan = NULL;
    ds_check *c = calloc(1, sizeof *c);
    if (!c) {
        fputs(_("  ✗ out of memory\n"), stdout);
        return false;
    }
    c->b = b;
    for (int f = 0; f < XC_MAX_FIELDS; f++) {
        c->f[f].lo = 1;
        c->f[f].hi = 0;
    }
    bool ok = true;
    xc_sniff sn;
    memset(&sn, 0, sizeof sn);
    char **paths = NULL;
    size_t n_paths = 0;
    const char *path = NULL;
    /* A file's first bytes are looked at before the connector checks its
     * header, so that a wrong encoding or delimiter is explained even
     * when the header cannot be read. */
    if (strcmp(b->source->kind, "file") == 0) {
        xc_err perr;
        xc_err_clear(&perr);
        if (xc_file_expand(b, &paths, &n_paths, &perr) >= 0 && n_paths) {
            path = paths[0];
            ok &= print_file_head(b, path, &sn);
            if (n_paths > 1)
                printf(_("  (%zu files; the encoding and the header are checked on the "
                         "first)\n"), n_paths);
        }
    }
    int rc = xc_source_prepare(run, b, &plan, &err);
    if (rc >= 0 && xc_source_plans(plan)) {
        xc_source_plan_in in = {.pushdown = XC_PUSHDOWN_OFF, .jobs = 1, .limit = rows};
        rc = xc_source_decide(plan, &in, &err);
    }
    if (rc >= 0 && !path) {
        xc_source_record rec;
        xc_source_record_of(plan, &rec);
        printf(_("  source: %s (sample read with LIMIT %llu)\n"),
               rec.where, (unsigned long long)rows);
    }
    ok &= print_mapping(b, path ? &sn : NULL, path ? path : "");
    if (rc >= 0)
        rc = read_sample(c, plan, cfg->as_of, rows, &err);
    if (rc < 0) {
        fputs(_("  ✗ cannot be read:\n"), stdout);
        fflush(stdout);
        print_error(&err);
        ok = false;
    } else {
        print_unknown(c);
        for (int f = 0; f < b->ds->n_fields; f++)
            print_dates(c, f);
        ok &= print_rejects(c);
        print_span(c);
    }
    for (int f = 0; f < XC_MAX_FIELDS; f++)
        for (int i = 0; i < c->f[f].n_dates; i++)
            free(c->f[f].dates[i]);
    xc_sniff_free(&sn);
    xc_file_paths_free(paths, n_paths);
    xc_source_plan_free(plan);
    free(c);
    printf("  %s\n", ok ? _("✓ can run") : _("✗ would fail"));
    return ok;
}

static void print_rules(const xc_config *cfg)
{
    bool configured[XC_DS_COUNT];
    uint32_t bound[XC_DS_COUNT] = {0};
    for (int d = 0; d < XC_DS_COUNT; d++) {
        configured[d] = cfg->ds[d].configured;
        for (int f = 0; configured[d] && f < cfg->ds[d].ds->n_fields; f++)
            if (cfg->ds[d].field[f].column)
                bound[d] |= 1u << f;
    }
    size_t n;
    const xc_rule *const *rules = xc_rules(&n);
    char why[200];
    int will = 0;
    fputs(_("\nrules that will be evaluated:\n"), stdout);
    for (size_t i = 0; i < n; i++)
        if (xc_rule_will_run(rules[i], configured, bound, why, sizeof why)) {
            printf("  %-20s %s\n", rules[i]->id, rules[i]->title_zh);
            will++;
        }
    fputs(_("rules not evaluated:\n"), stdout);
    for (size_t i = 0; i < n; i++)
        if (!xc_rule_will_run(rules[i], configured, bound, why, sizeof why))
            printf("  %-20s %s: %s\n", rules[i]->id, rules[i]->title_zh, why);
    printf(_("of %zu rules, %d will be evaluated\n"), n, will);
}

int cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"rows", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *config_path = NULL;
    uint64_t rows = DEFAULT_ROWS;
    int c;
    while ((c = getopt_long(argc, argv, "c:n:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config_path = optarg; break;
        case 'n': {
            char *end;
            long long v = strtoll(optarg, &end, 10);
            if (*end || end == optarg || v < 1 || v > 100000000)
                return usage_error("check", "--rows: a number of rows from 1, not \"%s\"",
                                   optarg);
            rows = (uint64_t)v;
            break;
        }
        case 'h':
            help_check();
            return EXIT_OK;
        default:
            return usage_error("check", "%s", _("invalid option"));
        }
    }
    if (optind < argc)
        return usage_error("check", "unexpected argument \"%s\"", argv[optind]);
    if (!config_path)
        return usage_error("check", "%s", _("-c CONFIG is required"));
    xc_err err;
    xc_err_clear(&err);
    xc_config *cfg = NULL;
    if (xc_config_load(config_path, &cfg, &err) < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    if (!cfg->as_of_set)
        cfg->as_of = xc_date_today();
    printf(_("checking %s: the first %llu rows of each dataset\n"), config_path,
           (unsigned long long)rows);
    xc_source_env env = {.lock_timeout_ms = cfg->lock_timeout_ms,
                         .database = cfg->database ? cfg->database : ""};
    xc_source_run run = {.env = &env};
    int failed = 0;
    for (int d = 0; d < XC_DS_COUNT; d++) {
        if (!cfg->ds[d].configured)
            continue;
        fflush(stdout);
        failed += !check_dataset(cfg, &run, (xc_ds_id)d, rows);
    }
    fputs(_("\ndatasets not configured:"), stdout);
    int none = 0;
    for (int d = 0; d < XC_DS_COUNT; d++)
        if (!cfg->ds[d].configured)
            printf(" %s", cfg->ds[d].ds->name), none++;
    fputs(none ? "\n" : _(" (none)\n"), stdout);
    print_rules(cfg);
    xc_source_run_free(&run);
    xc_config_free(cfg);
    if (failed)
        printf(_("\n✗ %d dataset(s) would fail\n"), failed);
    else
        fputs(_("\n✓ the configuration can run\n"), stdout);
    if (fflush(stdout) != 0)
        return EXIT_FAILED;
    return failed ? EXIT_FAILED : EXIT_OK;
}
