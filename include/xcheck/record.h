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
#include "xcheck/source.h"

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
    char reason[256];
} xc_reject;

/* Converts raw (a source's row) under binding b, judging ID numbers as of
 * as_of. Returns 0 and fills rec, or -1 and fills rej. On the archive side
 * (household, member) an invalid ID number does not reject the row: rec->id
 * carries the error, for the data-quality rules. */
int xc_record_convert(const xc_binding *b, xc_date as_of, const xc_raw_row *raw,
                      xc_record *rec, xc_reject *rej);

/* Converts only the dataset's ID field (rec->id, rec->id_field), as
 * xc_record_convert() would: enough to decide whether a row concerns the
 * archive at all. Returns 0, or -1 with rej filled. */
int xc_record_convert_id(const xc_binding *b, xc_date as_of, const xc_raw_row *raw,
                         xc_record *rec, xc_reject *rej);

/* Parses yuan with at most two decimals ("1,234.5", "￥12") into fen.
 * Returns 0 or -1. */
int xc_money_parse(const char *s, size_t len, int64_t *ret_fen);

#endif
