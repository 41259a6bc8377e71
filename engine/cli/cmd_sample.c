/*
 * cmd_sample.c - xcheck sample: draws the households to visit for field
 * verification from a run's output directory.
 */
#include "cli.h"
#include "xcheck/i18n.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "xcheck/sample.h"

void help_sample(void)
{
    printf(_("Usage: xcheck sample [OPTION]... RUNDIR\n\n"
           "Draws the households to visit for field verification (入户核查) from a run's\n"
           "output directory (its households.csv, flags.csv and summary.json).\n"
           "Households in the archive on as_of, and households that had exited by then,\n"
           "are stratified by county x 在档/已退档 x 有疑点/无疑点 (a flag of 错评, 漏退,\n"
           "错退 or 返困); a stratum smaller than its size is taken whole. The same seed\n"
           "gives the same sample.\n\n"
           "Options:\n"
           "  -o, --output=DIR   where to write (default: RUNDIR)\n"
           "      --seed=N       the random seed, 0 to 2^64-1 (default: %u); choose it\n"
           "                     in the open, e.g. before witnesses\n"
           "      --size=N       N households per stratum\n"
           "      --share=P      a share of each stratum, 0 < P <= 1 (0.05 or 5%%) ...\n"
           "      --min=N        ... but at least N per stratum (default: 5)\n"
           "                     default: --share 0.05 --min 5\n"
           "  -h, --help         show this help, then exit\n\n"
           "Output in DIR: sample.csv and sample.xlsx (the households to visit, with empty\n"
           "columns 核查结果 (属实/不属实), 核查日期, 核查人, 备注), sample-strata.csv\n"
           "(N_h and n_h of every stratum, the seed). Fill in 核查结果 and give the file\n"
           "to xcheck verify.\n"
           "Exit status: 0 success, 1 failure, 2 usage error.\n"), XC_SAMPLE_SEED);
}

static int parse_count(const char *cmd, const char *opt, const char *arg, size_t min,
                       size_t *ret)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (!*arg || *end || errno || arg[0] == '-' || v < min)
        return usage_error(cmd, "%s: \"%s\" is not a whole number of at least %zu", opt, arg,
                           min);
    *ret = (size_t)v;
    return EXIT_OK;
}

static int parse_share(const char *arg, double *ret)
{
    char *end;
    double v = strtod(arg, &end);
    if (end != arg && *end == '%' && !end[1]) {
        v /= 100;
        end++;
    }
    if (end == arg || *end || !(v > 0 && v <= 1))
        return usage_error("sample", "--share: \"%s\" is not a share above 0 and at most 1 "
                           "(0.05 or 5%%)", arg);
    *ret = v;
    return EXIT_OK;
}

static void print_sample(const xc_frame *f, const xc_sample *s, const char *outdir)
{
    printf(_("sample: %zu strata, %zu of %zu households drawn, seed %llu\n"),
           s->n_strata, s->n_picked, f->n, (unsigned long long)s->opts.seed);
    if (f->left_out)
        printf(_("left out: %zu households neither in the archive nor exited (cancelled, or "
                 "enrolled after as_of)\n"),
               f->left_out);
    printf("\n");
    static const int width[] = {30, -10, -10};
    put_cell(_("stratum"), width[0]);
    put_cell(_("total N_h"), width[1]);
    put_cell(_("sample n_h"), width[2]);
    putchar('\n');
    for (size_t i = 0; i < s->n_strata; i++) {
        put_cell(s->strata[i].code, width[0]);
        put_count(s->strata[i].population, width[1]);
        put_count(s->strata[i].size, width[2]);
        putchar('\n');
    }
    printf(_("\noutput: %s/ (sample.csv, sample.xlsx, sample-strata.csv)\n"), outdir);
}

int cmd_sample(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"seed", required_argument, NULL, 'S'},
        {"size", required_argument, NULL, 'n'},
        {"share", required_argument, NULL, 'P'},
        {"min", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    xc_sample_opts so = {.seed = XC_SAMPLE_SEED, .share = 0.05, .min = 5};
    const char *output = NULL;
    bool size_given = false, share_given = false, min_given = false;
    int c, rc = EXIT_OK;
    while (rc == EXIT_OK && (c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        size_t seed = 0;
        switch (c) {
        case 'o': output = optarg; break;
        case 'S':
            if ((rc = parse_count("sample", "--seed", optarg, 0, &seed)) == EXIT_OK)
                so.seed = seed;
            break;
        case 'n': rc = parse_count("sample", "--size", optarg, 1, &so.size); size_given = true; break;
        case 'P': rc = parse_share(optarg, &so.share); share_given = true; break;
        case 'm': rc = parse_count("sample", "--min", optarg, 0, &so.min); min_given = true; break;
        case 'h':
            help_sample();
            return EXIT_OK;
        default:
            return usage_error("sample", "%s", _("invalid option"));
        }
    }
    if (rc != EXIT_OK)
        return rc;
    if (size_given && (share_given || min_given))
        return usage_error("sample", "%s", _("--size cannot be combined with --share or --min"));
    if (optind + 1 != argc)
        return usage_error("sample", "%s", optind < argc ? "one RUNDIR only"
                           : "no RUNDIR: give the output directory of a run");
    const char *rundir = argv[optind];
    xc_err err;
    xc_err_clear(&err);
    xc_frame f;
    xc_sample s = {0};
    int xrc = xc_frame_load(rundir, &f, &err);
    if (xrc >= 0)
        xrc = xc_sample_draw(&f, &so, &s, &err);
    if (xrc >= 0)
        xrc = xc_sample_write(&f, &s, rundir, output ? output : rundir, &err);
    if (xrc >= 0)
        print_sample(&f, &s, output ? output : rundir);
    xc_sample_free(&s);
    xc_frame_free(&f);
    if (xrc < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
}
