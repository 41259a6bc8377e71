/*
 * cmd_prune.c - xcheck prune: deletes old runs from the results database.
 */
#include "cli.h"
#include "xcheck/i18n.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "xcheck/results.h"

void help_prune(void)
{
    printf(_("Usage: xcheck prune --results=DB --older-than=DAYS\n\n"
           "Deletes from the results database (schema xcheck) every run published more\n"
           "than DAYS days ago, with its flags and rates, in one transaction.\n\n"
           "Options:\n"
           "      --results=DB       conninfo or postgresql:// URI of the results database\n"
           "  -c, --config=FILE      take DB from [run] results of FILE\n"
           "      --older-than=DAYS  publication age in days of the runs to delete\n"
           "  -h, --help             show this help, then exit\n"
           "Exit status: 0 success, 1 failure, 2 usage error.\n"));
}

int cmd_prune(int argc, char **argv)
{
    static const struct option opts[] = {
        {"results", required_argument, NULL, 'B'},
        {"config", required_argument, NULL, 'c'},
        {"older-than", required_argument, NULL, 'O'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *results = NULL, *config_path = NULL;
    long days = -1;
    int c;
    while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'B': results = optarg; break;
        case 'c': config_path = optarg; break;
        case 'O': {
            char *end;
            errno = 0;
            days = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || days < 0 || days > 100000)
                return usage_error("prune", "--older-than: \"%s\" is not a number of days "
                                   "from 0 to 100000", optarg);
            break;
        }
        case 'h':
            help_prune();
            return EXIT_OK;
        default:
            return usage_error("prune", "%s", _("invalid option"));
        }
    }
    if (optind < argc)
        return usage_error("prune", "unexpected argument \"%s\"", argv[optind]);
    if (days < 0)
        return usage_error("prune", "%s", _("--older-than DAYS is required"));
    xc_err err;
    xc_err_clear(&err);
    xc_config *cfg = NULL;
    int code = results_database("prune", config_path, &results, &cfg);
    if (code != EXIT_OK)
        return code;
    long n = 0;
    int rc = xc_results_prune(results, NULL, lock_timeout(cfg), (int)days, &n, &err);
    xc_config_free(cfg);
    if (rc < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    printf(_("deleted: %ld runs published more than %ld days ago\n"), n, days);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
}
