/*
 * table.h - small tables that people edit and send back: a CSV file as a
 * spreadsheet program saves it, or the first worksheet of an .xlsx
 * workbook, read whole into memory as text cells under a header row.
 *
 * CSV: UTF-8 with or without a byte-order mark, GB18030 (also GBK and
 * GB2312, as Excel saves "CSV" on a Chinese system) or UTF-16 with a
 * byte-order mark (Excel's "Unicode text"); the delimiter is the one of
 * ',', ';' and tab that the header line holds most of; fields may be quoted,
 * with doubled quotes and line breaks inside. Blank lines, and rows whose
 * cells are all empty, are skipped.
 *
 * XLSX: one worksheet (xl/workbook.xml, its relationships, shared
 * strings with rich-text runs, inline strings; phonetic runs left out). A
 * number is its text as stored ("3", "46204"): a date typed into a cell is
 * a day number in Excel's 1900 calendar, which xc_table_date() reads. An
 * XML part with a document type declaration (DOCTYPE) or an entity
 * declaration is refused: a workbook never has one, and its entities could
 * expand without bound or name files outside the workbook. Rows and the
 * cells of a row must come in order, as Excel writes and requires them.
 *
 * Cells are trimmed of surrounding blanks (xc_trim()). A row's line is the
 * line it starts on in the CSV file, or its row number in the worksheet,
 * for messages.
 *
 * The file has been through other hands, so its size and the numbers it
 * holds never decide alone how much memory is taken: a table past one of
 * the limits below is refused (XC_EINPUT naming the file and line), never
 * read into unbounded memory. A sample filled in by hand stays far below
 * each; Excel's own limits are the anchors.
 */
#ifndef XCHECK_TABLE_H
#define XCHECK_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "xcheck/date.h"
#include "xcheck/error.h"

/* Columns of a row: Excel's, A to XFD. */
#define XC_TABLE_MAX_COLS 16384
/* Rows, the header included: Excel's. */
#define XC_TABLE_MAX_ROWS 1048576
/* Characters in a cell: Excel's. */
#define XC_TABLE_MAX_CELL 32767
/* Bytes of text in one row (a sample's row holds a few hundred). */
#define XC_TABLE_MAX_ROW_TEXT ((size_t)1 << 20)
/* Data rows times header columns: at most 128 MiB of cells, a million
 * rows of 16 columns (a sample of 200,000 households has 3.4 million). */
#define XC_TABLE_MAX_CELLS ((size_t)1 << 24)
/* Bytes of a CSV file (a million households' sample is about 150 MB). */
#define XC_TABLE_MAX_FILE ((size_t)256 << 20)
/* Bytes of text in all the cells kept, a shared string of a workbook
 * counted each time a cell shows it, so that no later pass over the cells
 * reads more than this. */
#define XC_TABLE_MAX_TEXT ((size_t)512 << 20)
/* A workbook's XML parts are read as they are inflated, never whole; an
 * uncompressed part may hold this many bytes (the worksheet of a sample of
 * 200,000 households is about 150 MB)... */
#define XC_TABLE_MAX_PART ((size_t)1 << 30)
/* ...and no more than this many per compressed byte: deflate cannot pack
 * more than 1032, so a zip entry that declares more is not telling the
 * truth. */
#define XC_TABLE_MAX_RATIO 1032
/* Shared strings in a workbook. */
#define XC_TABLE_MAX_STRINGS XC_TABLE_MAX_CELLS
/* Memory of the XML parser for one part: an element, attribute or name
 * that needs more is refused. */
#define XC_TABLE_MAX_XML_MEM ((size_t)32 << 20)

typedef struct xc_table xc_table;

/* Reads path: an .xlsx workbook when it starts as a zip file does (its
 * worksheet named sheet if it has one, else its first), else CSV; a path
 * that is no regular file (a pipe: xcheck verify <(...)) is read once, as
 * CSV. Returns XC_OK and a table (caller frees with xc_table_free()), or
 * XC_EIO (cannot read), XC_EINPUT (not text in a known encoding, an
 * unterminated quote, no header, a damaged workbook; err names the file and
 * line) or XC_ENOMEM. */
int xc_table_read(const char *path, const char *sheet, xc_table **ret, xc_err *err);

/* The same for a CSV file or an .xlsx file whatever its first bytes. */
int xc_table_read_csv(const char *path, xc_table **ret, xc_err *err);
int xc_table_read_xlsx(const char *path, const char *sheet, xc_table **ret, xc_err *err);

void xc_table_free(xc_table *t);

/* The file's name as given, and how it was read: "UTF-8", "GB18030",
 * "UTF-16" or "xlsx". */
const char *xc_table_path(const xc_table *t);
const char *xc_table_encoding(const xc_table *t);

/* Header: the number of columns and the index of the column named name
 * (exactly, after trimming), or -1. */
size_t xc_table_cols(const xc_table *t);
int xc_table_col(const xc_table *t, const char *name);
const char *xc_table_head(const xc_table *t, size_t col);

/* Data rows (the header excluded). xc_table_cell() gives "" for a column
 * past the row's end or col < 0; the text lives as long as the table. */
size_t xc_table_rows(const xc_table *t);
const char *xc_table_cell(const xc_table *t, size_t row, int col);
long xc_table_line(const xc_table *t, size_t row);

/* A date written as YYYY-M-D, YYYY/M/D, YYYY.M.D, YYYY年M月D日 or YYYYMMDD,
 * or as an Excel day number (1900 calendar, as an .xlsx stores a date).
 * Returns 0 and the date, or -1. */
int xc_table_date(const char *s, xc_date *ret);

#endif
