/* ini_text.c - a line-counting reader for inih. */
#include "ini_text.h"

#include <string.h>

static char *read_line(char *str, int num, void *stream)
{
    xc_ini_text *it = stream;
    if (!*it->text || num < 2)
        return NULL;
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
    /* Debian's inih takes its options at run time. */
    ini_allow_multiline = false;
    ini_use_stack = false;
    ini_allow_realloc = true;
    ini_max_line = 65536;
    ini_stop_on_first_error = true;   /* later lines would land in the wrong section */
    return ini_parse_stream(read_line, it, handler, user);
}
