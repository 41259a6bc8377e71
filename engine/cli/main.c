/*
 * main.c - the xcheck program: its table of commands, the main help and the
 * dispatch.
 *
 * Every command is one entry of commands[]: its name and aliases, its line
 * in the main help, its help and its function (in cmd_<name>.c). The main
 * help's list, `xcheck help CMD`, `xcheck CMD --help` and the dispatch all
 * read that table, so a command added to it is listed, has its help and
 * runs. What the commands share is in cli.c; the exit codes are in cli.h.
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "xcheck/i18n.h"
#include "xc_build.h"

/* One command of the program. */
typedef struct command {
    const char *name;
    const char *aliases[2];             /* other names it answers to, NULL after the last */
    const char *summary;                /* its line in the main help */
    void (*help)(void);                 /* prints its help on stdout; NULL: it has none */
    int (*run)(int argc, char **argv);  /* as cmd_X() in cli.h */
} command;

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

/* In the order the main help lists them. */
static const command commands[] = {
    {.name = "run", .summary = N_("cross-check the archive against every configured dataset"),
     .help = help_run, .run = cmd_run},
    {.name = "check", .summary = N_("check a configuration on the first rows of its sources"),
     .help = help_check, .run = cmd_check},
    {.name = "init", .summary = N_("draft a commented configuration from exports' headers"),
     .help = help_init, .run = cmd_init},
    {.name = "fields", .summary = N_("list the logical datasets, their fields and allowed values"),
     .help = help_fields, .run = cmd_fields},
    {.name = "rules", .summary = N_("list the rules, their categories and the profile's parameters"),
     .help = help_rules, .run = cmd_rules},
    {.name = "diff", .summary = N_("new, resolved and persisting flags against the previous run"),
     .help = help_diff, .run = cmd_diff},
    {.name = "id", .summary = N_("check, normalise and explain resident ID numbers"),
     .help = help_id, .run = cmd_id},
    {.name = "sample", .summary = N_("draw the households to visit for field verification from a run"),
     .help = help_sample, .run = cmd_sample},
    {.name = "verify", .summary = N_("estimate error rates from the filled-in outcomes of a sample"),
     .help = help_verify, .run = cmd_verify},
    {.name = "key", .summary = N_("make a pseudonym key, or show a key's id"),
     .help = help_key, .run = cmd_key},
    {.name = "pseudonymise", .aliases = {"pseudonymize"},
     .summary = N_("replace an export's ID column by keyed pseudonyms"),
     .help = help_pseudonymise, .run = cmd_pseudonymise},
    {.name = "prune", .summary = N_("delete old runs from the results database"),
     .help = help_prune, .run = cmd_prune},
    {.name = "help", .summary = N_("show this help, or a command's: xcheck help run"),
     .run = cmd_help},
    {.name = "version", .summary = N_("show the version"), .run = cmd_version},
};

enum { N_COMMANDS = sizeof commands / sizeof commands[0] };

/* The command called name, by its name or an alias; NULL if none is. */
static const command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++) {
        const command *c = &commands[i];
        if (strcmp(c->name, name) == 0)
            return c;
        for (size_t a = 0; a < sizeof c->aliases / sizeof c->aliases[0] && c->aliases[a]; a++)
            if (strcmp(c->aliases[a], name) == 0)
                return c;
    }
    return NULL;
}

/* The main help, its list of commands printed from the table: names in 10
 * columns, a longer name followed by two blanks so that it stays apart
 * from its summary. */
static void help_main(void)
{
    fputs(_("xcheck cross-checks an archive of difficult workers' households against\n"
            "household-registration, social-insurance, property, vehicle and business\n"
            "data, and accounts for every row it reads.\n\n"
            "Usage:\n"
            "  xcheck COMMAND [OPTION]...\n\n"
            "Commands:\n"), stdout);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        const command *c = &commands[i];
        printf(strlen(c->name) <= 10 ? "  %-10s %s\n" : "  %s  %s\n", c->name, _(c->summary));
    }
    fputs(_("\nOptions:\n"
            "  -h, --help     show this help, then exit\n"
            "  -V, --version  show the version, then exit\n\n"
            "Exit status: 0 success, 1 failure, 2 usage error, 3 findings, 4 partial data.\n"),
          stdout);
}

/* xcheck help [COMMAND]: the main help, or COMMAND's. */
static int cmd_help(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    if (!*what) {
        help_main();
        return EXIT_OK;
    }
    const command *c = find_command(what);
    if (!c || !c->help)
        return usage_error(NULL, "no help for \"%s\": unknown command", what);
    c->help();
    return EXIT_OK;
}

/* xcheck version (or -V, --version): the version; arguments are ignored. */
static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("xcheck %s\n", XC_VERSION);
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    /* A file over the size limit (ulimit -f) is an error of its own, with
     * its path and a hint: write() fails with EFBIG instead of SIGXFSZ
     * ending the process. */
    signal(SIGXFSZ, SIG_IGN);
    cli_locale();
    if (argc < 2) {
        help_main();
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0) {
        help_main();
        return EXIT_OK;
    }
    if (strcmp(name, "-V") == 0 || strcmp(name, "--version") == 0)
        name = "version";
    const command *c = find_command(name);
    if (!c)
        return usage_error(NULL, "unknown command \"%s\"", name);
    /* xcheck CMD --help is the table's, whatever the command's options;
     * a command also answers --help met later among its options. */
    if (argc >= 3 && c->help && (strcmp(argv[2], "-h") == 0 || strcmp(argv[2], "--help") == 0)) {
        c->help();
        return EXIT_OK;
    }
    return c->run(argc - 1, argv + 1);
}
