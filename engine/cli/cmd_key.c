/*
 * cmd_key.c - xcheck key: makes a pseudonym key, or shows a key's id.
 */
#include "cli.h"
#include "xcheck/i18n.h"

#include <stdio.h>
#include <string.h>

void help_key(void)
{
    printf(_("Usage: xcheck key new FILE\n"
           "       xcheck key id [FILE]\n\n"
           "new: writes a new random 256-bit pseudonym key into FILE (mode 0600; an\n"
           "existing file is never replaced) and prints its key id.\n"
           "id: prints the key id of FILE (default: $XCHECK_KEY_FILE).\n\n"
           "The key turns ID numbers into pseudonyms (HMAC-SM3) in the results database\n"
           "and in pseudonymised exports. Keep it apart from the results, readable by\n"
           "the job's user only; make a new one for each audit exercise. The key is never\n"
           "given on the command line or in the configuration: only its file's name is.\n"
           "Exit status: 0 success, 1 failure, 2 usage error.\n"));
}

int cmd_key(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        help_key();
        return EXIT_OK;
    }
    xc_err err;
    xc_err_clear(&err);
    char id[XC_KEY_ID_LEN + 1];
    if (argc == 3 && strcmp(argv[1], "new") == 0) {
        xc_key *k = NULL;
        if (xc_key_generate(argv[2], &err) < 0 || xc_key_load(argv[2], &k, &err) < 0) {
            print_error(&err);
            return EXIT_FAILED;
        }
        printf(_("new key written: %s\nkey id: %s\n"), argv[2], xc_key_id(k, id));
        xc_key_free(k);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
    }
    if ((argc == 2 || argc == 3) && strcmp(argv[1], "id") == 0) {
        xc_key *k = NULL;
        if (load_key(argc == 3 ? argv[2] : NULL, &k, &err) < 0) {
            print_error(&err);
            return EXIT_FAILED;
        }
        if (!k)
            return usage_error("key", "no key file: name one, or set %s", XC_KEY_ENV);
        printf("%s\n", xc_key_id(k, id));
        xc_key_free(k);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILED;
    }
    return usage_error("key", "%s", _("expected: key new FILE, or key id [FILE]"));
}
