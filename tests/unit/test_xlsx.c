/* test_xlsx.c - the workbooks xcheck writes (engine/output/xlsx_write.h),
 * read back by the reader of filled-in samples (table.h): text stored as
 * text with ID-like runs masked and cut at a character when longer than a
 * cell holds, numbers, dates (before 1900 as text), the same bytes for the
 * same content, nothing left behind when writing fails; and a workbook
 * without the sheet asked for (its first is read), or that is no zip; and
 * workbooks damaged in their parts, each refused with what is wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "scratch.h"
#include "output/xlsx_write.h"
#include "xcheck/error.h"
#include "field/table.h"

typedef struct fixture {
    char dir[64];
    char path[256];
    xc_err err;
    xc_table *t;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    if (xc_scratch_make(fx->dir, sizeof fx->dir, "xlsx") < 0) {
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    xc_table_free(fx->t);
    int rc = xc_scratch_remove(fx->dir);
    free(fx);
    return rc;
}

static const char *at(fixture *fx, const char *name)
{
    snprintf(fx->path, sizeof fx->path, "%s/%s", fx->dir, name);
    return fx->path;
}

static char *read_all(const char *path, size_t *ret_len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 1 << 20;
    char *buf = malloc(cap);
    assert_non_null(buf);
    *ret_len = fread(buf, 1, cap, f);
    assert_true(*ret_len < cap);
    fclose(f);
    return buf;
}

/* A text of n characters 中 (three bytes each). */
static char *wide_text(size_t n)
{
    char *s = malloc(n * 3 + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + 3 * i, "中", 3);
    s[n * 3] = '\0';
    return s;
}

/* Writes dir/name: sheet 表 with a header row and two rows of every kind
 * of cell; with in_order, as report.xlsx is written (each row written out
 * when the next starts, texts in the cells). */
static int write_book_as(fixture *fx, const char *name, bool in_order)
{
    xc_xw x;
    int rc = xc_xw_open(&x, fx->dir, name, xc_date_from_ymd(2026, 6, 30), "测试", in_order,
                        &fx->err);
    if (rc < 0)
        return rc;
    static const xc_xw_col cols[] = {{"文本", 20}, {"数值", 10}, {"日期", 12}, {"长文本", 40},
                                     {"早日期", 12}, {"结果", 10}};
    lxw_worksheet *ws = xc_xw_sheet(&x, "表");
    xc_xw_header(&x, ws, 0, cols, 6);
    xc_xw_str(&x, ws, 1, 0, "身份证 11010519491231002X", NULL);
    xc_xw_num(&x, ws, 1, 1, 42, NULL);
    xc_xw_date(&x, ws, 1, 2, xc_date_from_ymd(2026, 7, 1));
    char *long_text = wide_text(20000);             /* 60000 bytes: more than a cell */
    xc_xw_str(&x, ws, 1, 3, long_text, x.wrap);
    free(long_text);
    xc_xw_date(&x, ws, 1, 4, xc_date_from_ymd(1899, 1, 1));
    xc_xw_str(&x, ws, 2, 0, "second", NULL);
    xc_xw_str(&x, ws, 2, 1, NULL, x.key);           /* blank, formatted */
    xc_xw_str(&x, ws, 2, 3, "", NULL);
    xc_xw_date(&x, ws, 2, 2, INT32_MIN);            /* no date: empty */
    xc_xw_num(&x, ws, 2, 1, 0.25, x.pct);
    static const char *const values[] = {"属实", "不属实", NULL};
    xc_xw_list(&x, ws, 1, 2, 5, values, "结果", "属实或不属实");
    xc_xw_list(&x, ws, 2, 1, 5, values, "结果", "nothing: last before first");
    xc_xw_filter(&x, ws, 0, 2, 6);
    return xc_xw_close(&x, &fx->err);
}

static int write_book(fixture *fx, const char *name)
{
    return write_book_as(fx, name, false);
}

static void read_sheet(fixture *fx, const char *name, const char *sheet)
{
    xc_table_free(fx->t);
    fx->t = NULL;
    int rc = xc_table_read_xlsx(at(fx, name), sheet, &fx->t, &fx->err);
    if (rc != XC_OK)
        print_error("%s\n", fx->err.msg);
    assert_int_equal(rc, XC_OK);
}

static const char *cell(const fixture *fx, size_t row, const char *col)
{
    int c = xc_table_col(fx->t, col);
    if (c < 0)
        fail_msg("no column %s", col);
    return xc_table_cell(fx->t, row, c);
}

static void cells_read_back_as_written(fixture *fx, bool in_order)
{
    int rc = write_book_as(fx, "book.xlsx", in_order);
    if (rc != XC_OK)
        print_error("%s\n", fx->err.msg);
    assert_int_equal(rc, XC_OK);
    struct stat st;
    assert_int_equal(stat(at(fx, "book.xlsx"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    read_sheet(fx, "book.xlsx", "表");
    assert_string_equal(xc_table_encoding(fx->t), "xlsx");
    assert_int_equal(xc_table_cols(fx->t), 6);
    assert_int_equal(xc_table_rows(fx->t), 2);
    assert_string_equal(cell(fx, 0, "文本"), "身份证 110105********002X");
    assert_string_equal(cell(fx, 0, "数值"), "42");
    xc_date d;
    assert_int_equal(xc_table_date(cell(fx, 0, "日期"), &d), 0);
    assert_int_equal(d, xc_date_from_ymd(2026, 7, 1));
    assert_string_equal(cell(fx, 0, "早日期"), "1899-01-01");
    /* cut at a character, within what a cell holds, marked with … */
    const char *cut = cell(fx, 0, "长文本");
    size_t len = strlen(cut);
    assert_true(len <= 32767);
    assert_true(len > 32000);
    assert_string_equal(cut + len - 3, "…");
    assert_int_equal((len - 3) % 3, 0);
    assert_string_equal(cell(fx, 1, "文本"), "second");
    assert_string_equal(cell(fx, 1, "长文本"), "");
    assert_string_equal(cell(fx, 1, "日期"), "");
    assert_string_equal(cell(fx, 1, "数值"), "0.25");
    assert_int_equal(xc_table_line(fx->t, 1), 3);     /* its row in the sheet */
}

static void test_xlsx_cells_read_back_as_written(void **state)
{
    cells_read_back_as_written(*state, false);
}

/* Two workbooks of the same content, written as write_book_as() does,
 * are the same bytes. */
static void same_bytes(fixture *fx, bool in_order)
{
    assert_int_equal(write_book_as(fx, "a.xlsx", in_order), XC_OK);
    assert_int_equal(write_book_as(fx, "b.xlsx", in_order), XC_OK);
    size_t na, nb;
    char *a = read_all(at(fx, "a.xlsx"), &na);
    char *b = read_all(at(fx, "b.xlsx"), &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(a);
    free(b);
}

/* Rows in order (report.xlsx): the same cells, their texts inline. */
static void test_xlsx_cells_written_in_row_order_read_back_as_written(void **state)
{
    fixture *fx = *state;
    cells_read_back_as_written(fx, true);
    same_bytes(fx, true);
}

static void test_xlsx_same_content_gives_the_same_bytes(void **state)
{
    same_bytes(*state, false);
}

static void test_xlsx_failed_workbook_leaves_no_file(void **state)
{
    fixture *fx = *state;
    xc_xw x;
    assert_int_equal(xc_xw_open(&x, fx->dir, "bad.xlsx", xc_date_from_ymd(2026, 6, 30), "t",
                                false, &fx->err), XC_OK);
    /* a sheet name Excel refuses: no sheet, and the workbook fails */
    lxw_worksheet *ws = xc_xw_sheet(&x, "a/b");
    assert_null(ws);
    xc_xw_str(&x, ws, 0, 0, "ignored", NULL);
    xc_xw_num(&x, ws, 0, 1, 1, NULL);
    xc_xw_date(&x, ws, 0, 2, xc_date_from_ymd(2026, 1, 1));
    xc_xw_header(&x, ws, 0, NULL, 0);
    xc_xw_filter(&x, ws, 0, 1, 1);
    xc_xw_list(&x, ws, 0, 1, 0, NULL, "t", "m");
    assert_true(xc_xw_close(&x, &fx->err) < 0);
    assert_non_null(strstr(fx->err.msg, "bad.xlsx"));
    assert_int_equal(access(at(fx, "bad.xlsx"), F_OK), -1);
    /* nor any temporary file */
    char cmd[300];
    snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s')\"", fx->dir);
    assert_int_equal(system(cmd), 0);
}

static void test_xlsx_into_an_unsafe_directory_is_refused(void **state)
{
    fixture *fx = *state;
    assert_int_equal(mkdir(at(fx, "open"), 0777), 0);
    assert_int_equal(chmod(fx->path, 0777), 0);
    xc_xw x;
    assert_true(xc_xw_open(&x, fx->path, "r.xlsx", 0, "t", false, &fx->err) < 0);
    assert_int_equal(access(at(fx, "open/r.xlsx"), F_OK), -1);
}

static void test_xlsx_reader_falls_back_to_the_first_sheet_and_refuses_a_non_workbook(void **state)
{
    fixture *fx = *state;
    assert_int_equal(write_book(fx, "book.xlsx"), XC_OK);
    /* without a sheet of that name, the first is read */
    read_sheet(fx, "book.xlsx", "没有");
    assert_int_equal(xc_table_cols(fx->t), 6);
    assert_string_equal(xc_table_head(fx->t, 0), "文本");
    xc_table_free(fx->t);
    fx->t = NULL;
    FILE *f = fopen(at(fx, "fake.xlsx"), "wb");
    assert_non_null(f);
    fputs("PK\x03\x04 but no zip after all", f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(xc_table_read(at(fx, "fake.xlsx"), "表", &fx->t, &fx->err), XC_EINPUT);
    assert_non_null(strstr(fx->err.msg, "not an .xlsx workbook"));
    assert_null(fx->t);
}

/* ---- damaged workbooks ---- */

static void zip_add(zipFile z, const char *name, const char *text)
{
    assert_int_equal(zipOpenNewFileInZip(z, name, NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED,
                                         Z_DEFAULT_COMPRESSION), ZIP_OK);
    assert_int_equal(zipWriteInFileInZip(z, text, (unsigned)strlen(text)), ZIP_OK);
    assert_int_equal(zipCloseFileInZip(z), ZIP_OK);
}

#define WORKBOOK                                                                   \
    "<workbook><sheets><sheet name=\"样本\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
#define RELS                                                                       \
    "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"  \
    "</Relationships>"

/* Writes dir/w.xlsx of the given parts (NULL: left out) and returns its
 * path. */
static const char *make_book(fixture *fx, const char *workbook, const char *rels,
                             const char *strings, const char *sheet)
{
    at(fx, "w.xlsx");
    remove(fx->path);
    zipFile z = zipOpen(fx->path, APPEND_STATUS_CREATE);
    assert_non_null(z);
    if (workbook)
        zip_add(z, "xl/workbook.xml", workbook);
    if (rels)
        zip_add(z, "xl/_rels/workbook.xml.rels", rels);
    if (strings)
        zip_add(z, "xl/sharedStrings.xml", strings);
    if (sheet)
        zip_add(z, "xl/worksheets/sheet1.xml", sheet);
    assert_int_equal(zipClose(z, NULL), ZIP_OK);
    return fx->path;
}

static void expect_damaged(fixture *fx, const char *path, const char *text)
{
    xc_table_free(fx->t);
    fx->t = NULL;
    xc_err_clear(&fx->err);
    int rc = xc_table_read_xlsx(path, "样本", &fx->t, &fx->err);
    assert_int_equal(rc, XC_EINPUT);
    assert_null(fx->t);
    if (!strstr(fx->err.msg, text))
        fail_msg("error \"%s\" does not say \"%s\"", fx->err.msg, text);
    assert_string_equal(fx->err.where, path);
}

#define SHEET(rows) "<worksheet><sheetData>" rows "</sheetData></worksheet>"
#define HEAD "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c></row>"

static void test_xlsx_reader_refuses_damaged_parts(void **state)
{
    fixture *fx = *state;
    expect_damaged(fx, make_book(fx, NULL, RELS, NULL, SHEET(HEAD)),
                   "xl/workbook.xml is missing");
    expect_damaged(fx, make_book(fx, "<workbook><sheets/></workbook>", RELS, NULL, SHEET(HEAD)),
                   "has no worksheet");
    expect_damaged(fx, make_book(fx, WORKBOOK, "<Relationships/>", NULL, SHEET(HEAD)),
                   "no part for sheet rId1");
    expect_damaged(fx, make_book(fx, WORKBOOK, RELS, NULL, NULL), "is missing");
    expect_damaged(fx, make_book(fx, WORKBOOK, RELS, NULL, "<worksheet><sheetData>"),
                   "damaged workbook");
    expect_damaged(fx, make_book(fx, WORKBOOK, RELS, NULL,
                                 "<!DOCTYPE x [<!ENTITY a \"b\">]>" SHEET(HEAD)),
                   "document type declaration");
    assert_non_null(strstr(fx->err.hint, "save the workbook again"));
    expect_damaged(fx, make_book(fx, WORKBOOK, RELS, NULL,
                                 SHEET("<row r=\"2\"/><row r=\"1\"/>")), "row 1 after row 2");
    expect_damaged(fx, make_book(fx, WORKBOOK, RELS, NULL, SHEET("<row r=\"x\"/>")),
                   "row number \"x\"");
    expect_damaged(fx, make_book(fx, WORKBOOK, RELS, NULL,
                                 SHEET("<row r=\"1\"><c r=\"B1\"/><c r=\"A1\"/></row>")),
                   "cell A1 after column B in row 1");
    expect_damaged(fx, make_book(fx, WORKBOOK, RELS, NULL,
                                 SHEET("<row r=\"1\"><c r=\"ABCD1\"/></row>")),
                   "cell reference \"ABCD1\"");
    expect_damaged(fx, make_book(fx, WORKBOOK, RELS, "<sst><si><t>a</t></si></sst>",
                                 SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c></row>")),
                   "refers to shared string \"1\"");
    expect_damaged(fx, make_book(fx, WORKBOOK, RELS, NULL,
                                 SHEET("<row r=\"1\"><c r=\"ZZZ1\"><v>1</v></c></row>")),
                   "past column");
    expect_damaged(fx, make_book(fx, WORKBOOK, RELS, NULL, SHEET("")), "has no header row");
}

static void test_xlsx_reader_numbers_rows_and_cells_without_references(void **state)
{
    fixture *fx = *state;
    make_book(fx, WORKBOOK, RELS,
              "<sst><si><t>a</t></si><si><t>b</t><rPh><t>x</t></rPh></si></sst>",
              SHEET("<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c></row>"
                    "<row><c><v>1</v></c><c><v>2</v></c></row>"
                    "<row r=\"5\"><c r=\"B5\"><v>3</v></c></row>"));
    read_sheet(fx, "w.xlsx", "样本");
    assert_int_equal(xc_table_cols(fx->t), 2);
    assert_string_equal(xc_table_head(fx->t, 1), "b");       /* the phonetic run left out */
    assert_int_equal(xc_table_rows(fx->t), 2);
    assert_int_equal(xc_table_line(fx->t, 0), 2);
    assert_string_equal(cell(fx, 0, "b"), "2");
    assert_int_equal(xc_table_line(fx->t, 1), 5);
    assert_string_equal(cell(fx, 1, "a"), "");
    assert_string_equal(cell(fx, 1, "b"), "3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_xlsx_cells_read_back_as_written, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_cells_written_in_row_order_read_back_as_written,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_same_content_gives_the_same_bytes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_failed_workbook_leaves_no_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_into_an_unsafe_directory_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_xlsx_reader_falls_back_to_the_first_sheet_and_refuses_a_non_workbook, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_reader_refuses_damaged_parts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_reader_numbers_rows_and_cells_without_references,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
