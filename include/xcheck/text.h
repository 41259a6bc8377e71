/*
 * text.h - small UTF-8 text helpers shared by connectors and the engine.
 */
#ifndef XCHECK_TEXT_H
#define XCHECK_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
bool xc_utf8_valid(const char *s, size_t len);

/* Narrows s[0..*len) in place to drop leading and trailing blanks: ASCII
 * white space, no-break space and the ideographic space U+3000. Returns the
 * new start. */
const char *xc_trim(const char *s, size_t *len);

/* Writes s[0..len) into out as CSV field text: quoted when it holds the
 * delimiter ',', a quote or a line break, quotes doubled. Returns the bytes
 * written (without NUL), or the size needed when it exceeds outsz. */
size_t xc_csv_quote(const char *s, size_t len, char *out, size_t outsz);

#endif
