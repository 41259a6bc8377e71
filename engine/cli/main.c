/*
 * main.c - the xcheck program: the main help and the dispatch to the
 * commands, one file each (cmd_<name>.c); exit codes in cli.h.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "xc_build.h"

static void help_main(void)
{
    printf("xcheck cross-checks an archive of difficult workers' households against\n"
           "household-registration, social-insurance, property, vehicle and business\n"
           "data, and accounts for every row it reads.\n\n"
           "Usage:\n"
           "  xcheck COMMAND [OPTION]...\n\n"
           "Commands:\n"
           "  run        cross-check the archive against every configured dataset\n"
           "  rules      list the rules, their categories and the profile's parameters\n"
           "  diff       new, resolved and persisting flags against the previous run\n"
           "  id         check, normalise and explain resident ID numbers\n"
           "  sample     draw the households to visit for field verification from a run\n"
           "  verify     estimate error rates from the filled-in outcomes of a sample\n"
           "  key        make a pseudonym key, or show a key's id\n"
           "  pseudonymise  replace an export's ID column by keyed pseudonyms\n"
           "  prune      delete old runs from the results database\n"
           "  help       show this help, or a command's: xcheck help run\n"
           "  version    show the version\n\n"
           "Options:\n"
           "  -h, --help     show this help, then exit\n"
           "  -V, --version  show the version, then exit\n\n"
           "Exit status: 0 success, 1 failure, 2 usage error, 3 findings.\n");
}

int main(int argc, char **argv)
{
    /* A file over the size limit (ulimit -f) is an error of its own, with
     * its path and a hint: write() fails with EFBIG instead of SIGXFSZ
     * ending the process. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        help_main();
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        help_main();
        return EXIT_OK;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("xcheck %s\n", XC_VERSION);
        return EXIT_OK;
    }
    if (strcmp(cmd, "help") == 0) {
        const char *what = argc > 2 ? argv[2] : "";
        if (strcmp(what, "run") == 0)
            help_run();
        else if (strcmp(what, "id") == 0)
            help_id();
        else if (strcmp(what, "rules") == 0)
            help_rules();
        else if (strcmp(what, "diff") == 0)
            help_diff();
        else if (strcmp(what, "sample") == 0)
            help_sample();
        else if (strcmp(what, "verify") == 0)
            help_verify();
        else if (strcmp(what, "key") == 0)
            help_key();
        else if (strcmp(what, "prune") == 0)
            help_prune();
        else if (strcmp(what, "pseudonymise") == 0 || strcmp(what, "pseudonymize") == 0)
            help_pseudonymise();
        else if (!*what)
            help_main();
        else
            return usage_error(NULL, "no help for \"%s\": unknown command", what);
        return EXIT_OK;
    }
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "id") == 0)
        return cmd_id(argc - 1, argv + 1);
    if (strcmp(cmd, "rules") == 0)
        return cmd_rules(argc - 1, argv + 1);
    if (strcmp(cmd, "diff") == 0)
        return cmd_diff(argc - 1, argv + 1);
    if (strcmp(cmd, "sample") == 0)
        return cmd_sample(argc - 1, argv + 1);
    if (strcmp(cmd, "verify") == 0)
        return cmd_verify(argc - 1, argv + 1);
    if (strcmp(cmd, "key") == 0)
        return cmd_key(argc - 1, argv + 1);
    if (strcmp(cmd, "prune") == 0)
        return cmd_prune(argc - 1, argv + 1);
    if (strcmp(cmd, "pseudonymise") == 0 || strcmp(cmd, "pseudonymize") == 0)
        return cmd_pseudonymise(argc - 1, argv + 1);
    return usage_error(NULL, "unknown command \"%s\"", cmd);
}
