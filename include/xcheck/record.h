/*
 * record.h - one row of a logical dataset, converted to typed values.
 *
 * The same conversion serves every connector: value maps, date formats, ID
 * numbers, money and region codes are interpreted here, from the binding's
 * settings. A row that cannot be converted is rejected with the field and a
 * reason; nothing is guessed.
 */
#ifndef XCHECK_RECORD_H
#define XCHECK_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "xcheck/config.h"
#include "xcheck/idno.h"
#include "xcheck/plugin/source.h"

typedef struct xc_value {
    bool null;          /* empty, a configured null text, or unmapped */
    int64_t i;          /* DATE: day, MONTH: month, MONEY: fen, ENUM: value
                           index, ENUMLIST: bit set of indexes, REGION: code */
    double d;           /* NUMBER */
    const char *s;      /* the trimmed text (borrowed: valid until the
                           source's next row) */
    size_t len;
} xc_value;

typedef struct xc_record {
    long line;                      /* where the row starts in its source */
    xc_value v[XC_MAX_FIELDS];
    int id_field;                   /* the dataset's ID field, -1 if none */
    xc_id id;                       /* that field, parsed */
    bool warn_unknown_county;       /* an ID or region code's county is unknown */
} xc_record;

typedef struct xc_reject {
    int field;                      /* logical field, -1 for the whole row */
    char reason[256];               /* in the language of the messages */
} xc_reject;

/* Converts raw (a source's row) under binding b, judging ID numbers as of
 * as_of. Returns 0 and fills rec, or -1 and fills rej with the field and a
 * reason that says what is wrong and what is allowed. On the archive side
 * (household, member) an invalid ID number does not reject the row: rec->id
 * carries the error, for the data-quality rules.
 *
 * Values that cannot be true are rejected: money and numbers as
 * xc_money_read() and xc_number_read() say, a minus sign in a field that
 * cannot be negative (schema.h: nonneg), a date or month outside the years
 * XC_DATE_MIN_YEAR to XC_DATE_MAX_YEAR, a date of a not_after_as_of field
 * later than `latest`, and a date earlier than the field it cannot precede
 * (not_before). `latest` is the last day the data can know: the later of
 * as_of and the day of the run, since a run may judge an earlier day on a
 * later export, whose events after as_of are real but not yet so on as_of.
 * Requires latest >= as_of. */
int xc_record_convert(const xc_binding *b, xc_date as_of, xc_date latest,
                      const xc_raw_row *raw, xc_record *rec, xc_reject *rej);

/* Converts only the dataset's ID field (rec->id, rec->id_field), as
 * xc_record_convert() would: enough to decide whether a row concerns the
 * archive at all. Returns 0, or -1 with rej filled. */
int xc_record_convert_id(const xc_binding *b, xc_date as_of, const xc_raw_row *raw,
                         xc_record *rec, xc_reject *rej);

/* The most an amount of money may be, either way: one trillion yuan. */
#define XC_MONEY_MAX_FEN 100000000000000LL   /* 10^12 yuan = 10^14 fen */

/* Parses yuan into fen: an optional sign (+ or -), an optional ¥ or ￥, the
 * yuan in ASCII digits, either without separators or with commas between
 * groups of exactly three digits ("1,234,567"; the first group 1 to 3
 * digits, not starting with 0), then optionally a decimal point and at least
 * one digit ("12.5", ".5"). Decimals after the second must be zeros: a
 * fraction of a fen is refused, never rounded. At most XC_MONEY_MAX_FEN.
 * Full-width digits are refused (the reason says so). Returns 0 and the fen,
 * or -1 and, when ret_why is not NULL, a static reason; *ret_fen is then
 * left alone. */
int xc_money_read(const char *s, size_t len, int64_t *ret_fen, const char **ret_why);

/* xc_money_read() without the reason. */
int xc_money_parse(const char *s, size_t len, int64_t *ret_fen);

/* fen as yuan with two decimals, as outputs write money ("1650.50",
 * "-3.07"), into out; any int64_t fits. Returns out. */
char *xc_money_format(int64_t fen, char out[static 32]);

/* The most digits a number may have: more are not exact in a double. */
#define XC_NUMBER_MAX_DIGITS 15

/* Parses a decimal number with the same grammar as money, without the yuan
 * sign and with any number of decimals, at most XC_NUMBER_MAX_DIGITS digits
 * in all: no exponent, hexadecimal, infinity or NaN. Returns 0 and the
 * value, or -1 and, when ret_why is not NULL, a static reason. */
int xc_number_read(const char *s, size_t len, double *ret, const char **ret_why);

/* Whether s[0..len) stands for "empty" in binding b: no text, or one of
 * its configured null texts. */
bool xc_binding_null_text(const xc_binding *b, const char *s, size_t len);

#endif
