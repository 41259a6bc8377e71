/*
 * cmd_pseudonymise.c - xcheck pseudonymise (or pseudonymize): copies a CSV
 * export with its ID columns replaced by keyed pseudonyms (the work is
 * pseudonymise.c's, in the library).
 */
#include "cli.h"
#include "xcheck/i18n.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pseudonymise.h"

void help_pseudonymise(void)
{
    printf(_("Usage: xcheck pseudonymise --column=NAME [OPTION]... INPUT OUTPUT\n\n"
           "Copies the CSV export INPUT (gzip or plain) to OUTPUT with its ID column\n"
           "replaced by keyed pseudonyms (HMAC-SM3 of the normalised number, 32 hex\n"
           "digits), for a department that will not hand out ID numbers. Bind OUTPUT\n"
           "with id_form = pseudonym; xcheck matches it under the same key. Every other\n"
           "field is copied byte for byte. A number that cannot be normalised is never\n"
           "written: its cell is left empty and counted; a record with another number\n"
           "of fields than the header is left out and counted.\n\n"
           "Options:\n"
           "      --column=NAME    an ID column (with --no-header: its number from 1);\n"
           "                       up to 8, each given with its own --column\n"
           "      --key=FILE       the pseudonym key (default: $XCHECK_KEY_FILE)\n"
           "      --delimiter=C    field delimiter: one character, or tab (default ,)\n"
           "      --quote=C        quote character, or none (default \")\n"
           "      --no-header      the first line is data\n"
           "      --encoding=E     utf-8 (default) or gb18030: the file is decoded as the\n"
           "                       run decodes it, and OUTPUT is written in UTF-8\n"
           "      --gzip           write OUTPUT gzip-compressed (default: when it ends .gz)\n"
           "  -h, --help           show this help, then exit\n"
           "Exit status: 0 success, 1 failure, 2 usage error, 3 some numbers or records\n"
           "could not be pseudonymised, or another column holds what looks like an ID\n"
           "number (counted on stderr).\n"));
}

int cmd_pseudonymise(int argc, char **argv)
{
    static const struct option opts[] = {
        {"column", required_argument, NULL, 'C'},
        {"key", required_argument, NULL, 'K'},
        {"delimiter", required_argument, NULL, 'D'},
        {"quote", required_argument, NULL, 'Q'},
        {"no-header", no_argument, NULL, 'H'},
        {"gzip", no_argument, NULL, 'Z'},
        {"encoding", required_argument, NULL, 'E'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    xc_pseudonymise_opts po = {.delimiter = ',', .quote = '"', .header = true};
    const char *key_path = NULL;
    bool gzip = false, gb = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'C':
            if (po.n_columns == XC_PSEUDONYMISE_COLUMNS)
                return usage_error("pseudonymise", "at most %d --column options",
                                   XC_PSEUDONYMISE_COLUMNS);
            po.column[po.n_columns++] = optarg;
            break;
        case 'K': key_path = optarg; break;
        case 'D':
            if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0)
                po.delimiter = '\t';
            else if (strcmp(optarg, "pipe") == 0)
                po.delimiter = '|';
            else if (strcmp(optarg, "semicolon") == 0)
                po.delimiter = ';';
            else if (strcmp(optarg, "comma") == 0)
                po.delimiter = ',';
            else if (strlen(optarg) == 1 && optarg[0] != '"' && optarg[0] != '\n')
                po.delimiter = optarg[0];
            else
                return usage_error("pseudonymise", "--delimiter: \"%s\" is not one character "
                                   "or tab", optarg);
            break;
        case 'Q':
            if (strcmp(optarg, "none") == 0)
                po.quote = 0;
            else if (strlen(optarg) == 1 && optarg[0] != '\n')
                po.quote = optarg[0];
            else
                return usage_error("pseudonymise", "--quote: \"%s\" is not one character or "
                                   "none", optarg);
            break;
        case 'H': po.header = false; break;
        case 'Z': gzip = true; break;
        case 'E':
            if (strcasecmp(optarg, "gb18030") == 0 || strcasecmp(optarg, "gbk") == 0)
                gb = true;
            else if (strcasecmp(optarg, "utf-8") != 0 && strcasecmp(optarg, "utf8") != 0)
                return usage_error("pseudonymise", "--encoding: \"%s\" is not utf-8 or "
                                   "gb18030", optarg);
            break;
        case 'h':
            help_pseudonymise();
            return EXIT_OK;
        default:
            return usage_error("pseudonymise", "%s", _("invalid option"));
        }
    }
    if (!po.n_columns)
        return usage_error("pseudonymise", "%s", _("--column NAME is required"));
    if (po.quote && po.quote == po.delimiter)
        return usage_error("pseudonymise", "%s", _("the quote and the delimiter are the same"));
    if (argc - optind != 2)
        return usage_error("pseudonymise", "%s", _("expected INPUT and OUTPUT"));
    po.gb18030 = gb;
    const char *in = argv[optind], *out = argv[optind + 1];
    size_t n = strlen(out);
    po.gzip = gzip || (n > 3 && strcmp(out + n - 3, ".gz") == 0);
    xc_err err;
    xc_err_clear(&err);
    xc_key *key = NULL;
    if (load_key(key_path, &key, &err) < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    if (!key)
        return usage_error("pseudonymise", "no key: give --key FILE or set %s",
                           XC_KEY_ENV);
    xc_pseudonymise_stats st;
    int rc = xc_pseudonymise_file(in, out, &po, key, &st, &err);
    xc_key_free(key);
    if (rc < 0) {
        print_error(&err);
        return EXIT_FAILED;
    }
    fprintf(stderr, _("xcheck: %s: %llu records, %llu written, %llu pseudonymised (%llu "
            "upgraded from 15 digits), %llu empty, %llu invalid (left empty), %llu with "
            "another number of fields (left out)\n"), out,
            (unsigned long long)st.records, (unsigned long long)st.written,
            (unsigned long long)st.pseudonymised, (unsigned long long)st.legacy,
            (unsigned long long)st.empty, (unsigned long long)st.invalid,
            (unsigned long long)st.bad_records);
    if (st.first_invalid_line)
        fprintf(stderr, _("xcheck: warning: the first invalid ID number is on line %ld of %s\n"),
                st.first_invalid_line, in);
    if (st.first_bad_line)
        fprintf(stderr, _("xcheck: warning: the first record with another number of fields is "
                "on line %ld of %s\n"), st.first_bad_line, in);
    if (st.other_ids)
        fprintf(stderr, _("xcheck: warning: %llu records hold what looks like an ID number (or a "
                "card number) in another column, copied as it is, the first on line %ld of "
                "%s\nHINT:  name that column with --column too, or leave it out of the export\n"),
                (unsigned long long)st.other_ids, st.first_other_line, in);
    return st.invalid || st.bad_records || st.other_ids ? EXIT_FINDINGS : EXIT_OK;
}
