/*
 * cmd_id.c - xcheck id: checks, normalises and explains resident ID numbers,
 * one tab-separated line each.
 */
#include "cli.h"
#include "xcheck/i18n.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "xcheck/idno.h"
#include "xcheck/region.h"

void help_id(void)
{
    printf(_("Usage: xcheck id [OPTION]... [NUMBER]...\n\n"
           "Checks resident ID numbers (GB 11643-1999). With no NUMBER, or with -,\n"
           "reads one number per line from standard input. Prints one line per number,\n"
           "tab-separated: verdict (valid, warning, invalid), reason, normalised\n"
           "form, masked form, birth date, sex (男, 女), region name; on a\n"
           "terminal, a header line first.\n\n"
           "Options:\n"
           "      --as-of=DATE  judge birth dates against DATE (default: today)\n"
           "      --header      print the header line (verdict, reason, ...) even when the\n"
           "                    output is not a terminal\n"
           "      --no-header   never print it\n"
           "  -h, --help        show this help, then exit\n\n"
           "Exit status: 0 all valid (warnings included), 3 some invalid, 2 usage error.\n"));
}

static int id_one(const char *text, size_t len, xc_date as_of)
{
    xc_id id;
    int rc = xc_id_parse(text, len, as_of, &id);
    char masked[40], birth[11] = "-";
    xc_id_mask(id.norm, masked, sizeof masked);
    const char *verdict = "valid", *reason = N_("valid"), *region = "-";
    if (rc < 0) {
        verdict = "invalid";
        reason = xc_id_error_str(id.error);
    } else {
        xc_date_format(id.birth, birth);
        const char *name = xc_region_name(id.region);
        if (!name)
            name = xc_region_name(id.region / 100 * 100);
        if (!name)
            name = xc_region_name(id.region / 10000 * 10000);
        region = name ? name : "-";
        if (id.unknown_county || id.legacy) {
            verdict = "warning";
            reason = id.unknown_county && id.legacy
                     ? N_("old 15-digit number, upgraded to 18 digits; county code not in the "
                          "table of administrative divisions")
                     : id.legacy ? N_("old 15-digit number, upgraded to 18 digits")
                     : N_("county code not in the table of administrative divisions");
        }
    }
    printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", verdict, _(reason), id.norm[0] ? id.norm : "-",
           id.norm[0] ? masked : "-", birth, rc < 0 ? "-" : id.sex == 'M' ? "男" : "女", region);
    return rc < 0 ? 1 : 0;
}

int cmd_id(int argc, char **argv)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},
        {"header", no_argument, NULL, 'H'},
        {"no-header", no_argument, NULL, 'N'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    xc_date as_of = xc_date_today();
    int c, header = -1;          /* -1: on a terminal */
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            if (xc_date_parse_iso(optarg, &as_of) < 0)
                return usage_error("id", "--as-of: \"%s\" is not a date (YYYY-MM-DD)", optarg);
            break;
        case 'H': header = 1; break;
        case 'N': header = 0; break;
        case 'h':
            help_id();
            return EXIT_OK;
        default:
            return usage_error("id", "%s", _("invalid option"));
        }
    }
    if (header == 1 || (header < 0 && isatty(fileno(stdout))))
        fputs(_("verdict\treason\tnormalised\tmasked\tbirth date\tsex\tregion\n"), stdout);
    int invalid = 0;
    bool from_stdin = optind == argc;
    for (int i = optind; i < argc; i++) {
        if (strcmp(argv[i], "-") == 0)
            from_stdin = true;
        else
            invalid += id_one(argv[i], strlen(argv[i]), as_of);
    }
    if (from_stdin) {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while ((n = getline(&line, &cap, stdin)) >= 0) {
            while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                n--;
            invalid += id_one(line, (size_t)n, as_of);
        }
        free(line);
    }
    if (fflush(stdout) != 0) {
        perror("xcheck: error: writing the output");
        return EXIT_FAILED;
    }
    return invalid ? EXIT_FINDINGS : EXIT_OK;
}
