/*
 * idno.h - resident ID numbers (GB 11643-1999).
 *
 * An 18-character number is 6 digits of region (GB/T 2260), 8 of birth date,
 * 3 of sequence (odd for men, even for women) and a check character (ISO 7064
 * MOD 11-2, '0'-'9' or 'X'). Numbers issued before 1999 have 15 digits: no
 * century and no check character; they are upgraded to 18.
 *
 * Exports are dirty, so parsing first normalises: full-width digits and Ｘ,
 * lower-case x, blanks (ASCII, no-break, ideographic) and hyphens anywhere,
 * and an Excel text marker (a leading apostrophe) are accepted.
 */
#ifndef XCHECK_IDNO_H
#define XCHECK_IDNO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xcheck/date.h"

/* Why a number is invalid; XC_ID_VALID when it is not. */
typedef enum xc_id_error {
    XC_ID_VALID = 0,
    XC_ID_EMPTY,             /* nothing left after normalising */
    XC_ID_BAD_CHAR,          /* a character that cannot be in an ID number */
    XC_ID_BAD_LENGTH,        /* neither 15 nor 18 characters */
    XC_ID_BAD_CHECK,         /* the check character does not match */
    XC_ID_UNKNOWN_PROVINCE,  /* first two digits are no province */
    XC_ID_BAD_BIRTH,         /* the birth date is no real day (or before 1800) */
    XC_ID_BIRTH_AFTER_AS_OF  /* born after the run's as_of date */
} xc_id_error;

typedef struct xc_id {
    xc_id_error error;    /* XC_ID_VALID or the first problem found */
    char norm[24];        /* normalised text, NUL-terminated; 18 characters
                             when valid (at most 23 kept otherwise) */
    uint64_t key;         /* packed number (xc_id_pack), 0 when invalid */
    xc_date birth;        /* valid numbers only */
    uint32_t region;      /* the six-digit region code, valid numbers only */
    char sex;             /* 'M' or 'F', valid numbers only */
    bool legacy;          /* upgraded from a 15-digit number */
    bool unknown_county;  /* region code not in GB/T 2260 (a warning) */
} xc_id;

/* Normalises and validates raw[0..len) (UTF-8) as of the date as_of.
 * Returns 0 when the number is valid (warnings may be set), -1 when not;
 * *ret is filled either way. */
int xc_id_parse(const char *raw, size_t len, xc_date as_of, xc_id *ret);

/* The ISO 7064 MOD 11-2 check character of 17 digits. */
char xc_id_check_char(const char digits[17]);

/* Packs a valid normalised 18-character number into a 64-bit key (its first
 * 17 digits as an integer: never 0, unique per number). */
uint64_t xc_id_pack(const char norm[18]);

/* Writes the 18-character number of a key, and a NUL, into out. */
void xc_id_unpack(uint64_t key, char out[static 19]);

/* Masks a number for display: first 6 + "********" + last 4. Text shorter
 * than 10 characters is masked whole. Writes at most outsz bytes, NUL
 * included. Returns out. */
char *xc_id_mask(const char *norm, char *out, size_t outsz);

/* Masks an ID number as it was exported, dirt and all: of its letters and
 * digits (ASCII or full-width) the first 6 and the last 4 stay, the others
 * become '*'; blanks, hyphens and other bytes stay where they are, so the
 * evidence still shows what was wrong with the text. With fewer than 10
 * letters and digits, all of them are masked. Writes at most outsz bytes,
 * NUL included (cut at a character boundary). Returns out. */
char *xc_id_mask_text(const char *raw, size_t len, char *out, size_t outsz);

struct xc_buf;

/* Appends s[0..len) to out with everything that could be an ID number (or
 * a masked one) masked. Text is read as runs: groups of digits (ASCII or
 * full-width) and '*', an X allowed to end a group, joined by one to three
 * separators (blanks, tabs, line breaks, hyphens and dashes, '.', '/',
 * '_', zero-width spaces, and the JSON escapes of control characters). An
 * ID is a group of 15 or more digits (card numbers too), or 18 or 15
 * characters from the start of a group on that read as a number with a
 * real province and birth date, whatever its check character; a list of
 * dates or months is none. A hexadecimal word of exactly 16, 32 or 64
 * characters (a key id, a pseudonym, a digest) is left alone. Plainly, an
 * ID keeps its first 6 and last 4 characters around "********", as
 * xc_id_mask() shows numbers, and already masked forms stay as they are.
 * With strict, masked forms count too (a group of 15 or more digits and
 * '*', or 18 characters from a group's start, 6 digits first, with a '*'),
 * and only an ID's first 6 characters (the region code) stay, followed by
 * 12 '*': nothing that narrows the person down is left (for the results
 * database). Other text is copied as it is. */
void xc_mask_ids(struct xc_buf *out, const char *s, size_t len, bool strict);

/* What to write for s[0..*len): s itself when nothing in it is to be
 * masked, else its masked copy, held in tmp (*len updated; the caller frees
 * tmp with xc_buf_free() once done with the text). NULL when out of memory.
 * tmp must start empty. */
const char *xc_masked(const char *s, size_t *len, bool strict, struct xc_buf *tmp);

/* Masks, as xc_mask_ids() does, the text of b from byte `from` on, in
 * place. */
void xc_buf_mask_ids(struct xc_buf *b, size_t from, bool strict);

/* True when s[0..len) holds a run that xc_mask_ids() would change. */
bool xc_has_id_run(const char *s, size_t len, bool strict);

/* A short reason ("check character does not match"...), static: the
 * English message, which _() translates where it is shown. */
const char *xc_id_error_str(xc_id_error e);

#endif
