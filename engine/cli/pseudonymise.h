/*
 * pseudonymise.h - an export's ID column turned into keyed pseudonyms, for
 * a department that will not hand out raw ID numbers.
 *
 * The file (gzip or plain, detected) is read as CSV records: quoted fields
 * with doubled quotes and line breaks inside them, CRLF or LF. Every field
 * but the ID column is copied byte for byte, quoting and all, whatever the
 * text's encoding (the delimiter and quote must be ASCII characters that
 * cannot stand inside a multi-byte character of it: comma, tab, semicolon
 * and the double quote can't in UTF-8). A GB18030 file is decoded as it is
 * read, as the run reads it, and written as UTF-8. The ID column's text is
 * normalised as xcheck normalises numbers (full-width digits, lower-case
 * x, blanks and hyphens, Excel's apostrophe, 15 digits upgraded to 18) and
 * replaced by its pseudonym (pseudonym.h). A text that is no valid number
 * is never written: its cell is left empty and counted. A record whose
 * number of fields differs from the header's cannot be trusted to hold the
 * number where the column says, so it is not written at all, and counted
 * with its line. Several ID columns may be named; a header that has a
 * named column twice is refused. What looks like an ID number in any other
 * column is counted (the caller warns): it is copied as it is.
 */
#ifndef XCHECK_PSEUDONYMISE_H
#define XCHECK_PSEUDONYMISE_H

#include <stdbool.h>
#include <stdint.h>

#include "xcheck/error.h"
#include "xcheck/pseudonym.h"

#define XC_PSEUDONYMISE_COLUMNS 8

typedef struct xc_pseudonymise_opts {
    const char *column[XC_PSEUDONYMISE_COLUMNS];   /* the ID columns: header
                                  names, or with header false numbers from 1 */
    int n_columns;
    char delimiter;            /* ',' unless set */
    char quote;                /* '"' unless set; 0: no quoting */
    bool header;               /* the first record names the columns */
    bool gb18030;              /* the file is GB18030: read decoded, written
                                  as UTF-8 (bind it with encoding = utf-8) */
    bool gzip;                 /* write the output gzip-compressed */
} xc_pseudonymise_opts;

typedef struct xc_pseudonymise_stats {
    uint64_t records;          /* data records read (not the header) */
    uint64_t written;          /* records written */
    uint64_t pseudonymised;    /* ID cells replaced by a pseudonym */
    uint64_t legacy;           /* of those, 15-digit numbers upgraded */
    uint64_t empty;            /* ID cells empty in the input, left empty */
    uint64_t invalid;          /* ID cells that are no valid number: emptied */
    uint64_t bad_records;      /* records with another number of fields: not
                                  written */
    long first_bad_line;       /* the line of the first of those, 0 if none */
    long first_invalid_line;   /* the line of the first invalid ID, 0 if none */
    uint64_t other_ids;        /* records with what looks like an ID number
                                  (xc_has_id_run()) in another column */
    long first_other_line;     /* the line of the first of those, 0 if none */
} xc_pseudonymise_stats;

/* Pseudonymises in_path into out_path under k. The output is a private
 * output file (text.h: 0600, a temporary name renamed over out_path only
 * when complete); on failure out_path is left as it was. Returns XC_OK with *stats filled, or
 * a negative code with err naming the file, line and column: XC_ECONFIG
 * for an unknown, ambiguous or repeated column, XC_EINPUT for an
 * unterminated quote or a record over 1 MiB, XC_EIO. */
int xc_pseudonymise_file(const char *in_path, const char *out_path,
                         const xc_pseudonymise_opts *opts, const xc_key *k,
                         xc_pseudonymise_stats *stats, xc_err *err);

#endif
