/*
 * ini_text.h - parsing INI text with inih, knowing the line of each key.
 *
 * inih reports neither line numbers nor section headers, so text is fed to
 * it through a reader that counts lines, skips a byte-order mark and shows
 * each line to an optional observer before inih parses it. A line longer
 * than XC_INI_MAX_LINE is never handed to inih (which would split it and
 * parse its tail as a line of its own): parsing stops there and the line is
 * reported. Private to the configuration and profile loaders.
 */
#ifndef XCHECK_INI_TEXT_H
#define XCHECK_INI_TEXT_H

#include <ini.h>
#include <stdbool.h>

/* The longest line, in bytes without its line break ("\n" or "\r\n"). */
#define XC_INI_MAX_LINE 65536

typedef struct xc_ini_text {
    const char *text;      /* the rest of the text to parse */
    int line;              /* the line being parsed, 1-based */
    bool at_line_start;
    /* Set when parsing stopped at a line longer than XC_INI_MAX_LINE: its
     * number, and the key it starts with ("" when it has none that fits). */
    int long_line;
    char long_key[64];
    /* Optional: called with each new line (NUL-terminated; the first bytes
     * of a long line, at least 200, with its line break when it fits). */
    void (*on_line)(void *user, const char *line);
    void *user;
} xc_ini_text;

/* Parses text (NUL-terminated), calling handler(user, section, key, value)
 * for each key while it->line is the key's line. Stops at the first error.
 * Returns what ini_parse_stream() returns: 0, or the line of a syntax error
 * or of the first key the handler refused; or, when it->long_line is set
 * after the call, that line. */
int xc_ini_parse(xc_ini_text *it, const char *text, ini_handler handler, void *user);

#endif
