/*
 * locale.c - the language of the program's messages (xcheck/i18n.h).
 *
 * Chinese under a Chinese locale (LC_ALL, else LC_MESSAGES, else LANG
 * beginning with "zh") and when none of them is set, as on a server's
 * cron or systemd job; otherwise what gettext gives for the locale: English
 * under C, POSIX, C.UTF-8 or en_*, and LANGUAGE honoured as gettext does.
 * A Chinese locale that is not installed (no zh_CN.UTF-8 on the machine)
 * still gives Chinese: the messages' category is then C.UTF-8 with
 * LANGUAGE=zh_CN (unless LANGUAGE names others). Only the messages'
 * category follows the locale, and the characters' is C.UTF-8: numbers,
 * dates and the classes of ASCII bytes stay those of C whatever the
 * locale, so that the output files do not depend on it. The translations are read from the
 * installed program's datadir/locale (found from the program's own place,
 * as its profiles), else from the build directory.
 */
#include "cli.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xcheck/i18n.h"
#include "xc_build.h"

/* The locale the messages' category takes from the environment, as
 * setlocale() reads it; NULL when none is set. */
static const char *messages_locale(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return v;
    }
    return NULL;
}

/* The directory of the translations: the installed one beside an
 * installed program, else the build directory's. */
static const char *locale_dir(void)
{
    static char installed[PATH_MAX];
    struct stat st;
    if (!installed_path(XC_INSTALLED_LOCALE, XC_INSTALLED_LOCALE_ABSOLUTE, installed,
                        sizeof installed))
        return XC_BUILD_LOCALE;
    char mo[PATH_MAX + 64];
    snprintf(mo, sizeof mo, "%s/zh_CN/LC_MESSAGES/" XC_TEXT_DOMAIN ".mo", installed);
    if (stat(mo, &st) == 0 && S_ISREG(st.st_mode))
        return installed;
    return XC_BUILD_LOCALE;
}

void cli_locale(void)
{
    const char *want = messages_locale();
    bool chinese = !want || strncmp(want, "zh", 2) == 0;
    /* The characters of C with UTF-8 (the classes of ASCII bytes are
     * those of C): the C library's own messages (strerror) are then
     * converted to UTF-8, not to "?" */
    setlocale(LC_CTYPE, "C.UTF-8");
    const char *got = setlocale(LC_MESSAGES, "");
    if (chinese && (!got || strcmp(got, "C") == 0 || strcmp(got, "POSIX") == 0 ||
                    strncmp(got, "zh", 2) != 0)) {
        /* none set, or a Chinese one not installed: gettext ignores
         * LANGUAGE under "C" only, not under C.UTF-8 */
        setlocale(LC_MESSAGES, "C.UTF-8");
        const char *language = getenv("LANGUAGE");
        if (!language || !*language)
            setenv("LANGUAGE", "zh_CN", 1);
    }
    bindtextdomain(XC_TEXT_DOMAIN, locale_dir());
    bind_textdomain_codeset(XC_TEXT_DOMAIN, "UTF-8");
}
