/*
 * sniff.h - the first bytes of an export, for xcheck check and xcheck init:
 * which encodings decode them cleanly, which delimiter its first line
 * holds, its header's columns and its first rows, decoded. Internal to the
 * program (engine/cli/sniff.c).
 *
 * Reads at most XC_SNIFF_BYTES of the file (gzip inflated, detected), never
 * the whole file.
 */
#ifndef XCHECK_SNIFF_H
#define XCHECK_SNIFF_H

#include <stdbool.h>

#include "xcheck/config.h"

#define XC_SNIFF_BYTES (256 * 1024)
#define XC_SNIFF_ROWS 200

typedef struct xc_sniff {
    bool ascii;             /* the bytes are all ASCII */
    bool utf8_ok;           /* they are valid UTF-8 */
    bool gb18030_ok;        /* they decode as GB18030 without an error */
    xc_encoding encoding;   /* the one the text below was decoded with */
    bool encoding_fits;     /* the asked encoding decodes them and is no
                               mojibake (UTF-8 text declared GB18030) */
    bool suggest_gb18030;   /* UTF-8 asked, not UTF-8, GB18030 decodes */
    char delimiter;         /* the one the rows below were split with */
    int declared_count;     /* times the asked delimiter is in the first line */
    char best_delimiter;    /* of , tab ; |: the commonest in the first line, 0: none */
    int best_count;
    bool delimiter_fits;    /* the asked one is in the first line, or no
                               candidate is (a single column) */
    bool garbled_header;    /* the first line looks like mojibake */
    char **columns;         /* the first line's fields, trimmed (UTF-8) */
    int n_columns;
    char ***rows;           /* the next lines' fields, each n_columns long
                               (missing ones ""), at most XC_SNIFF_ROWS */
    int n_rows;
} xc_sniff;

/* Sniffs the file at path as encoding enc (-1: guess: UTF-8 when it is
 * valid, else GB18030) and delimiter delim (0: guess: the commonest),
 * quote character quote (0: none). Fills *ret, which the caller frees with
 * xc_sniff_free(). Returns 0, or -1 when the file cannot be read (*ret
 * then holds nothing to free). */
int xc_sniff_file(const char *path, int enc, char delim, char quote, xc_sniff *ret);

/* Frees what s holds; a zeroed s is fine. */
void xc_sniff_free(xc_sniff *s);

#endif
