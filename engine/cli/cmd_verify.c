/*
 * cmd_verify.c - xcheck verify: reads the outcomes of the visits back from a
 * filled-in sample and prints the estimates, with their intervals.
 */
#include "cli.h"
#include "xcheck/i18n.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "xcheck/verify.h"

void help_verify(void)
{
    printf(_("Usage: xcheck verify [OPTION]... SAMPLEFILE\n\n"
           "Reads the outcomes of field verification back from the sample that xcheck\n"
           "sample wrote, with its column 核查结果 filled in: 属实 (the visit found the\n"
           "household's problem: for a flagged household its flags are right, for an\n"
           "unflagged one the checks missed it), 不属实 (no problem found), or empty (not\n"
           "yet verified: counted, left out of the estimates). SAMPLEFILE is sample.csv as\n"
           "a spreadsheet saves it (UTF-8 with or without BOM, GB18030, UTF-16) or the\n"
           "filled-in sample.xlsx itself.\n\n"
           "Prints, with 95%% Wilson intervals: per stratum the confirmed share and the\n"
           "households it projects to; the share of flagged households whose flags are\n"
           "right; the problem households among the unflagged; the estimated error rate\n"
           "of households in the archive, of exited households and overall (stratified\n"
           "estimate, Wilson interval at the effective sample size); the confirmed share\n"
           "per rule.\n\n"
           "A household with several rules may carry the outcome of each in the optional\n"
           "column 分规则核查结果 (\"HK-DECEASED 不属实；VH-CAR 属实\"): the confirmed share\n"
           "per rule counts it; rules it does not name take the household's outcome.\n\n"
           "Options:\n"
           "      --run=RUNDIR   check the sample against the run it was drawn from (every\n"
           "                     stratum's households and every household's stratum)\n"
           "  -d, --dispositions=FILE\n"
           "                     add the verified flags to the register of dispositions\n"
           "                     FILE (created if missing; rows it holds are not added\n"
           "                     again): one row per household and rule, 属实 or 不属实,\n"
           "                     with 核查日期, 核查人 and 备注; bound as [disposition], a\n"
           "                     run keeps the flags found 不属实 out of its rates\n"
           "  -o, --output=FILE  write the estimates as CSV to FILE (default: verify.csv\n"
           "                     beside SAMPLEFILE)\n"
           "  -h, --help         show this help, then exit\n\n"
           "Exit status: 0 success, 1 failure (a value that is not allowed, with its file,\n"
           "line and column), 2 usage error.\n"));
}

static void put_pct(double p, int width)
{
    char buf[32];
    snprintf(buf, sizeof buf, isnan(p) ? "-" : "%.1f%%", 100 * p);
    put_cell(buf, width);
}

static void put_interval(double lo, double hi, double scale, int width)
{
    char buf[64];
    if (isnan(lo))
        snprintf(buf, sizeof buf, "-");
    else if (scale == 100)
        snprintf(buf, sizeof buf, "[%.1f%%, %.1f%%]", 100 * lo, 100 * hi);
    else
        snprintf(buf, sizeof buf, "[%.1f, %.1f]", lo, hi);
    put_cell(buf, width);
}

static void print_estimate_cells(const xc_estimate *e)
{
    put_pct(e->p, -9);
    printf("  ");
    put_interval(e->lo, e->hi, 100, 18);
    char buf[32];
    snprintf(buf, sizeof buf, isnan(e->projected) ? "-" : "%.1f", e->projected);
    put_cell(buf, -9);
    printf("  ");
    put_interval(e->projected_lo, e->projected_hi, 1, 1);
}

static void put_heads(const char *const *head, const int *width, int n)
{
    for (int i = 0; i < n; i++)
        put_cell(_(head[i]), width[i]);
    putchar('\n');
}

static void print_verify_strata(const xc_verify *v)
{
    static const char *const head[] = {N_("stratum"), "N_h", "n_h", N_("verified"),
                                       N_("confirmed"), N_("open"), N_("share"),
                                       N_("  interval (95%)"), N_("projected"),
                                       N_("  (interval)")};
    static const int width[] = {30, -7, -7, -9, -10, -8, -9, 20, -10, 1};
    putchar('\n');
    put_heads(head, width, 10);
    for (size_t h = 0; h < v->n_strata; h++) {
        const xc_vstratum *s = &v->strata[h];
        put_cell(s->code, width[0]);
        put_count(s->population, width[1]);
        put_count(s->size, width[2]);
        put_count(s->confirmed + s->not_confirmed, width[3]);
        put_count(s->confirmed, width[4]);
        put_count(s->unverified + (s->size - s->rows), width[5]);
        print_estimate_cells(&s->est);
        putchar('\n');
    }
}

static void print_verify_groups(const xc_verify *v)
{
    static const char *const head[] = {N_("estimate (stratified)"), N_("total"), N_("verified"),
                                       N_("confirmed"), N_("estimate"), N_("  interval (95%)"),
                                       N_("projected"), N_("  (interval)")};
    static const int width[] = {36, -8, -9, -10, -9, 20, -10, 1};
    putchar('\n');
    put_heads(head, width, 8);
    for (int g = 0; g < XC_VG_COUNT; g++) {
        const xc_estimate *e = &v->groups[g];
        put_cell(xc_verify_group_zh(g), width[0]);
        put_count(e->population, width[1]);
        put_count(e->verified, width[2]);
        put_count(e->confirmed, width[3]);
        print_estimate_cells(e);
        if (e->estimated && e->covered < e->population)
            printf(_("  (only strata with outcomes: %zu of %zu households)"), e->covered,
                   e->population);
        putchar('\n');
    }
}

static void print_verify_rules(const xc_verify *v)
{
    static const char *const head[] = {N_("rule"), N_("verified"), N_("confirmed"), N_("share"),
                                       N_("  interval (95%)")};
    static const int width[] = {24, -9, -10, -9, 1};
    putchar('\n');
    put_heads(head, width, 5);
    for (size_t i = 0; i < v->n_rules; i++) {
        const xc_vrule *r = &v->rules[i];
        put_cell(r->id, width[0]);
        put_count(r->verified, width[1]);
        put_count(r->confirmed, width[2]);
        put_pct(r->p, width[3]);
        printf("  ");
        put_interval(r->lo, r->hi, 100, width[4]);
        putchar('\n');
    }
}

static void print_verify(const xc_verify *v, const char *csv_path)
{
    printf(_("outcomes: %s (%s)\n"), v->path, v->encoding);
    printf(_("sampled: %zu households    verified: %zu    confirmed: %zu    not yet verified: "
             "%zu    missing rows: %zu\n"), v->n_rows + v->missing, v->verified, v->confirmed,
           v->unverified, v->missing);
    if (v->unverified + v->missing)
        printf(_("note: %zu households not yet verified, left out of the estimates\n"),
               v->unverified + v->missing);
    print_verify_strata(v);
    print_verify_groups(v);
    print_verify_rules(v);
    fputs(_("\nmethod: share = confirmed / verified; the intervals are 95% Wilson intervals; the "
            "stratified estimates weigh each stratum by its households, effective sample size "
            "= p(1-p) / variance (with the finite population correction)\n"), stdout);
    printf(_("output: %s\n"), csv_path);
}

int cmd_verify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"run", required_argument, NULL, 'r'},
        {"output", required_argument, NULL, 'o'},
        {"dispositions", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *rundir = NULL, *output = NULL, *register_path = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "o:d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'r': rundir = optarg; break;
        case 'd': register_path = optarg; break;
        case 'o': output = optarg; break;
        case 'h':
            help_verify();
            return EXIT_OK;
        default:
            return usage_error("verify", "%s", _("invalid option"));
        }
    }
    if (optind + 1 != argc)
        return usage_error("verify", "%s", optind < argc ? "one SAMPLEFILE only"
                           : "no SAMPLEFILE: give the filled-in sample.csv or sample.xlsx");
    const char *path = argv[optind];
    char csv_path[4096];
    if (output)
        snprintf(csv_path, sizeof csv_path, "%s", output);
    else {
        const char *slash = strrchr(path, '/');
        snprintf(csv_path, sizeof csv_path, "%.*sverify.csv",
                 slash ? (int)(slash - path + 1) : 0, path);
    }
    xc_err err;
    xc_err_clear(&err);
    xc_verify v;
    int rc = xc_verify_load(path, &v, &err);
    if (rc >= 0 && rundir)
        rc = xc_verify_check_run(&v, rundir, &err);
    if (rc >= 0)
        rc = xc_verify_write_csv(&v, csv_path, &err);
    size_t added = 0, kept = 0;
    if (rc >= 0 && register_path)
        rc = xc_verify_write_dispositions(&v, register_path, &added, &kept, &err);
    if (rc >= 0)
        print_verify(&v, csv_path);
    if (rc >= 0 && register_path)
        printf(_("Dispositions: %zu rows added to %s (%zu there already)\n"), added,
               register_path, kept);
    xc_verify_free(&v);
    if (rc < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
}
