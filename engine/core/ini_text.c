/* ini_text.c - a line-counting reader for inih. */
#include "ini_text.h"

#include <stdio.h>
#include <string.h>

/* Notes a line too long to parse and the key it starts with, if any. */
static void note_long_line(xc_ini_text *it)
{
    it->long_line = it->line;
    it->long_key[0] = '\0';
    const char *p = it->text;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t n = strcspn(p, "=:\n");
    if (p[n] != '=' && p[n] != ':')
        return;
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n > 0 && n < sizeof it->long_key)
        snprintf(it->long_key, sizeof it->long_key, "%.*s", (int)n, p);
}

static char *read_line(char *str, int num, void *stream)
{
    xc_ini_text *it = stream;
    if (!*it->text || num < 2 || it->long_line)
        return NULL;
    if (it->at_line_start) {
        size_t len = strcspn(it->text, "\n");
        if (len > 0 && it->text[len - 1] == '\r')
            len--;
        if (len > XC_INI_MAX_LINE) {
            it->line++;
            note_long_line(it);
            return NULL;    /* the end of the text, for inih */
        }
    }
    int n = 0;
    while (n < num - 1 && it->text[n] && it->text[n] != '\n')
        n++;
    if (n < num - 1 && it->text[n] == '\n')
        n++;
    memcpy(str, it->text, (size_t)n);
    str[n] = '\0';
    if (it->at_line_start) {
        it->line++;
        if (it->on_line)
            it->on_line(it->user, str);
    }
    it->at_line_start = n > 0 && str[n - 1] == '\n';
    it->text += n;
    return str;
}

int xc_ini_parse(xc_ini_text *it, const char *text, ini_handler handler, void *user)
{
    if (strncmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3;          /* a byte-order mark (Windows editors) */
    it->text = text;
    it->line = 0;
    it->at_line_start = true;
    it->long_line = 0;
    it->long_key[0] = '\0';
    /* Debian's inih takes its options at run time. */
    ini_allow_multiline = false;
    ini_use_stack = false;
    ini_allow_realloc = true;
    /* Room for the longest line, "\r\n" and the NUL: inih never splits a
     * line the reader hands it. */
    ini_max_line = XC_INI_MAX_LINE + 3;
    ini_stop_on_first_error = true;   /* later lines would land in the wrong section */
    int rc = ini_parse_stream(read_line, it, handler, user);
    return it->long_line && rc == 0 ? it->long_line : rc;
}
