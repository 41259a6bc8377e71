/*
 * cmd_diff.c - xcheck diff: new, resolved and persisting flags of a
 * published run against the previous one; diff_to() also serves
 * xcheck run --nightly.
 */
#include "cli.h"
#include "xcheck/i18n.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "xcheck/results.h"
#include "xcheck/text.h"

void help_diff(void)
{
    printf(_("Usage: xcheck diff [OPTION]...\n\n"
           "Compares the flags of a published run with the previous complete run (by\n"
           "as_of): new, resolved and persisting flags, with the days each has been open;\n"
           "the flags of rules one of the two runs did not evaluate, as not comparable;\n"
           "and what differs between the runs (configuration, profile, coverage).\n\n"
           "Options:\n"
           "      --results=DB   the results database (default: [run] results of -c)\n"
           "  -c, --config=FILE  take the results database from FILE\n"
           "      --run-id=ID    the run to look at (default: the last complete one)\n"
           "  -o, --output=FILE  also write the changes as CSV into FILE\n"
           "  -h, --help         show this help, then exit\n\n"
           "Exit status: 0 no new flags, 3 new flags (not comparable ones do not count),\n"
           "1 failure, 2 usage error.\n"));
}

/* Prints the diff of run_id against the previous run (and writes it as CSV
 * to csv_dir/diff.csv, or to the file csv_path). Returns the number of new
 * flags, or a negative code. */
int diff_to(const char *results, long lock_ms, const char *run_id, const char *csv_path,
                   bool quiet, xc_err *err)
{
    xc_diff *d = NULL;
    int rc = xc_results_diff(results, NULL, lock_ms, run_id, &d, err);
    if (rc < 0)
        return rc;
    xc_buf b = {0};
    if (!quiet) {
        xc_results_diff_format(d, &b);
        char *text = xc_buf_take(&b);
        if (text)
            fputs(text, stdout);
        free(text);
    }
    if (csv_path) {
        xc_results_diff_csv(d, &b);
        char *text = xc_buf_take(&b);
        xc_output out;
        rc = text ? xc_output_open_file(&out, csv_path, err)
                  : xc_err_set(err, XC_ENOMEM, "out of memory");
        if (rc >= 0) {
            fputs(XC_CSV_BOM, out.f);
            fputs(text, out.f);
            rc = xc_output_commit(&out, err);
        }
        free(text);
        if (rc < 0) {
            xc_results_diff_free(d);
            return rc;
        }
    }
    int added = (int)d->n_added;
    xc_results_diff_free(d);
    return added;
}

int cmd_diff(int argc, char **argv)
{
    static const struct option opts[] = {
        {"results", required_argument, NULL, 'B'},
        {"config", required_argument, NULL, 'c'},
        {"run-id", required_argument, NULL, 'R'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *results = NULL, *config_path = NULL, *run_id = NULL, *output = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "c:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'B': results = optarg; break;
        case 'c': config_path = optarg; break;
        case 'R':
            /* 2026-12-02: a long id was cut, and two runs became one */
            if (bad_run_id(optarg))
                return usage_error("diff", "the --run-id given %s", bad_run_id(optarg));
            run_id = optarg;
            break;
        case 'o': output = optarg; break;
        case 'h':
            help_diff();
            return EXIT_OK;
        default:
            return usage_error("diff", "%s", _("invalid option"));
        }
    }
    if (optind < argc)
        return usage_error("diff", "unexpected argument \"%s\"", argv[optind]);
    xc_err err;
    xc_err_clear(&err);
    xc_config *cfg = NULL;
    int code = results_database("diff", config_path, &results, &cfg);
    if (code != EXIT_OK)
        return code;
    int rc = diff_to(results, lock_timeout(cfg), run_id, output, false, &err);
    xc_config_free(cfg);
    if (rc < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    return fflush(stdout) != 0 ? EXIT_FAILED : rc > 0 ? EXIT_FINDINGS : EXIT_OK;
}
