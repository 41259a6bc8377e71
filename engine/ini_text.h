/*
 * ini_text.h - parsing INI text with inih, knowing the line of each key.
 *
 * inih reports neither line numbers nor section headers, so text is fed to
 * it through a reader that counts lines, skips a byte-order mark and shows
 * each line to an optional observer before inih parses it. Private to the
 * configuration and profile loaders.
 */
#ifndef XCHECK_INI_TEXT_H
#define XCHECK_INI_TEXT_H

#include <ini.h>
#include <stdbool.h>

typedef struct xc_ini_text {
    const char *text;      /* the rest of the text to parse */
    int line;              /* the line being parsed, 1-based */
    bool at_line_start;
    /* Optional: called with each new line (NUL-terminated, up to 64 KiB). */
    void (*on_line)(void *user, const char *line);
    void *user;
} xc_ini_text;

/* Parses text (NUL-terminated), calling handler(user, section, key, value)
 * for each key while it->line is the key's line. Stops at the first error.
 * Returns what ini_parse_stream() returns: 0, or the line of a syntax error
 * or of the first key the handler refused. */
int xc_ini_parse(xc_ini_text *it, const char *text, ini_handler handler, void *user);

#endif
