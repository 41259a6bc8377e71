/* test_file_source.c - the file connector: CSV, gzip, GB18030, and ingest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <zlib.h>

#include "scratch.h"
#include "xcheck/config.h"
#include "xcheck/error.h"
#include "xcheck/ingest.h"
#include "xcheck/record.h"
#include "xcheck/schema.h"
#include "xcheck/plugin/source.h"
#include "xcheck/text.h"

#define READ_CHUNK (256 * 1024)      /* the connector's read size */
#define ID_1 "11010519491231002X"
#define ID_2 "440524188001010014"

#define HOUSEHOLD_SECTION                      \
    "[household]\n"                            \
    "path = household.csv\n"                   \
    "field.archive_no = archive_no\n"          \
    "field.worker_id = worker_id\n"            \
    "field.worker_name = worker_name\n"        \
    "field.region_code = region_code\n"        \
    "field.level = level\n"                    \
    "field.status = status\n"                  \
    "field.enrolled_on = enrolled_on\n"        \
    "field.exited_on = exited_on\n"            \
    "field.hardship_cause = hardship_cause\n"

/* The usual column names of the [member] section under test. */
#define MEMBER_FIELDS                          \
    "field.archive_no = archive_no\n"          \
    "field.id_no = id_no\n"                    \
    "field.name = name\n"                      \
    "field.relation = relation\n"

#define MEMBER_HEADER "archive_no,id_no,name,relation"

typedef struct fixture {
    char dir[64];
    xc_config *cfg;
    xc_source *src;
    xc_ingest *in;
    xc_err err;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    if (xc_scratch_make(fx->dir, sizeof fx->dir, "file_source") < 0) {
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    xc_ingest_close(fx->in);
    xc_source_close(fx->src);
    xc_config_free(fx->cfg);
    int rc = xc_scratch_remove(fx->dir);
    free(fx);
    return rc;
}

/* ---- helpers ---- */

static void path_of(const fixture *fx, const char *name, char out[256])
{
    snprintf(out, 256, "%s/%s", fx->dir, name);
}

static void write_file(const fixture *fx, const char *name, const void *data, size_t len)
{
    char path[256];
    path_of(fx, name, path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void write_text(const fixture *fx, const char *name, const char *text)
{
    write_file(fx, name, text, strlen(text));
}

static void write_gzip(const fixture *fx, const char *name, const void *data, size_t len)
{
    char path[256];
    path_of(fx, name, path);
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    const char *p = data;
    while (len > 0) {
        unsigned n = len > (1u << 20) ? 1u << 20 : (unsigned)len;
        assert_int_equal(gzwrite(gz, p, n), (int)n);
        p += n;
        len -= n;
    }
    assert_int_equal(gzclose(gz), Z_OK);
}

static off_t file_size(const fixture *fx, const char *name)
{
    char path[256];
    path_of(fx, name, path);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_size;
}

/* Reads a whole file into a NUL-terminated buffer the caller frees. */
static char *read_back(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            buf = realloc(buf, cap *= 2);
            assert_non_null(buf);
        }
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

/* UTF-8 text as GB18030 bytes (malloc'ed, *ret_len bytes). */
static char *to_gb18030(const char *utf8, size_t len, size_t *ret_len)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t cap = len * 2 + 16;
    char *out = malloc(cap);
    assert_non_null(out);
    char *ip = (char *)utf8, *op = out;
    size_t il = len, ol = cap;
    assert_int_not_equal(iconv(cd, &ip, &il, &op, &ol), (size_t)-1);
    assert_int_equal(il, 0);
    iconv_close(cd);
    *ret_len = (size_t)(op - out);
    return out;
}

static void append(char *buf, size_t *len, const char *s)
{
    memcpy(buf + *len, s, strlen(s));
    *len += strlen(s);
}

static void append_gb18030(char *buf, size_t *len, const char *utf8)
{
    size_t n;
    char *gb = to_gb18030(utf8, strlen(utf8), &n);
    memcpy(buf + *len, gb, n);
    *len += n;
    free(gb);
}

/* Parses HOUSEHOLD_SECTION plus "[member]\n" + member in the fixture's
 * directory and returns the member binding. */
static const xc_binding *bind_member(fixture *fx, const char *member)
{
    size_t n = strlen(HOUSEHOLD_SECTION) + strlen(member) + 16;
    char *text = malloc(n);
    assert_non_null(text);
    snprintf(text, n, "%s[member]\n%s", HOUSEHOLD_SECTION, member);
    xc_config_free(fx->cfg);
    fx->cfg = NULL;
    int rc = xc_config_parse(text, "test.ini", fx->dir, &fx->cfg, &fx->err);
    free(text);
    if (rc != XC_OK)
        print_error("configuration: %s\n", fx->err.msg);
    assert_int_equal(rc, XC_OK);
    return &fx->cfg->ds[XC_DS_MEMBER];
}

static void open_source(fixture *fx, const xc_binding *b)
{
    xc_source_close(fx->src);
    fx->src = NULL;
    int rc = xc_source_open(b, &fx->src, &fx->err);
    if (rc != XC_OK)
        print_error("open: %s\n", fx->err.msg);
    assert_int_equal(rc, XC_OK);
    assert_non_null(fx->src);
}

static void open_member(fixture *fx, const char *member)
{
    open_source(fx, bind_member(fx, member));
}

static void next_row(fixture *fx, xc_raw_row *row)
{
    int rc = xc_source_next(fx->src, row, &fx->err);
    if (rc != XC_OK)
        print_error("next: %d %s\n", rc, fx->err.msg);
    assert_int_equal(rc, XC_OK);
}

/* The next row must be free of problems. */
static void next_good_row(fixture *fx, xc_raw_row *row)
{
    next_row(fx, row);
    if (row->problem)
        print_error("row on line %ld: %s\n", row->line, row->problem);
    assert_null(row->problem);
}

static void assert_done(fixture *fx)
{
    xc_raw_row row;
    assert_int_equal(xc_source_next(fx->src, &row, &fx->err), XC_DONE);
}

static void assert_field(const xc_raw_row *row, int f, const char *want)
{
    assert_non_null(row->f[f].p);
    if (row->f[f].len != strlen(want) || memcmp(row->f[f].p, want, row->f[f].len) != 0)
        fail_msg("field %d is '%.*s', not '%s'", f, (int)row->f[f].len, row->f[f].p, want);
}

static void assert_member_row(fixture *fx, long line, const char *archive_no,
                              const char *id_no, const char *name, const char *relation)
{
    xc_raw_row row;
    next_good_row(fx, &row);
    assert_int_equal(row.line, line);
    assert_field(&row, XC_MB_ARCHIVE_NO, archive_no);
    assert_field(&row, XC_MB_ID_NO, id_no);
    assert_field(&row, XC_MB_NAME, name);
    assert_field(&row, XC_MB_RELATION, relation);
}

static void open_ingest(fixture *fx, const xc_binding *b)
{
    char rejects[256];
    path_of(fx, "rejects", rejects);
    mkdir(rejects, 0700);
    int rc = xc_ingest_open(b, xc_date_from_ymd(2026, 6, 30), rejects, &fx->in, &fx->err);
    if (rc != XC_OK)
        print_error("ingest open: %s\n", fx->err.msg);
    assert_int_equal(rc, XC_OK);
}

/* ---- CSV ---- */

static void test_file_reads_quoted_fields_with_delimiters_quotes_and_line_breaks(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv",
               MEMBER_HEADER "\n"                                      /* 1 */
               "A1,\"" ID_1 "\",\"Wang, Fang\",self\n"                 /* 2 */
               "A2,x,\"He said \"\"hi\"\"\",spouse\n"                  /* 3 */
               "A3,y,\"two\nlines\",child\n"                           /* 4-5 */
               "A4,z,\"\",other\n"                                     /* 6 */
               "A5,\"\"\"\",\"a\n\nb\",\"self\"\n"                     /* 7-9 */
               "A6,w,\"x,\"\"y\"\",\nz\",self");                       /* 10-11 */
    open_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    assert_member_row(fx, 2, "A1", ID_1, "Wang, Fang", "self");
    assert_member_row(fx, 3, "A2", "x", "He said \"hi\"", "spouse");
    assert_member_row(fx, 4, "A3", "y", "two\nlines", "child");
    assert_member_row(fx, 6, "A4", "z", "", "other");
    assert_member_row(fx, 7, "A5", "\"", "a\n\nb", "self");
    assert_member_row(fx, 10, "A6", "w", "x,\"y\",\nz", "self");
    assert_done(fx);
    assert_int_equal(fx->src->rows, 6);
}

static void test_file_reads_crlf_line_ends(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv",
               MEMBER_HEADER "\r\n"                                    /* 1 */
               "A1,x,\"two\r\nlines\",self\r\n"                        /* 2-3 */
               "A2,y,plain,spouse\r\n"                                 /* 4 */
               "\r\n"                                                  /* 5 */
               "A3,z,\"q\",child\r\n");                                /* 6 */
    open_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    assert_member_row(fx, 2, "A1", "x", "two\r\nlines", "self");
    assert_member_row(fx, 4, "A2", "y", "plain", "spouse");
    assert_member_row(fx, 6, "A3", "z", "q", "child");
    assert_done(fx);
}

static void test_file_reads_lone_cr_line_ends(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv",
               MEMBER_HEADER "\r"                                      /* 1 */
               "A1,x,n1,self\r"                                        /* 2 */
               "A2,y,\"q\",spouse\r"                                   /* 3 */
               "\r"                                                    /* 4 */
               "A3,z,n3,child");                                       /* 5 */
    open_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    assert_member_row(fx, 2, "A1", "x", "n1", "self");
    assert_member_row(fx, 3, "A2", "y", "q", "spouse");
    assert_member_row(fx, 5, "A3", "z", "n3", "child");
    assert_done(fx);
}

static void test_file_skips_utf8_bom_before_a_quoted_header_name(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv",
               "\xEF\xBB\xBF\"archive_no\",\"id_no\",name,relation\n"
               "A1,x,张三,self\n");
    open_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    assert_member_row(fx, 2, "A1", "x", "张三", "self");
    assert_done(fx);
}

static void test_file_matches_header_names_trimmed_and_in_any_case(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv",
               "note, Archive_No ,ID_NO,\"name \",RELATION\n"
               "n1,A1,x,张三,self\n");
    open_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    assert_member_row(fx, 2, "A1", "x", "张三", "self");
    assert_done(fx);
}

static void test_file_splits_on_the_configured_delimiter(void **state)
{
    fixture *fx = *state;
    static const struct { const char *setting; char delim; } cases[] = {
        {"tab", '\t'}, {"pipe", '|'}, {"|", '|'}, {"semicolon", ';'},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char d = cases[i].delim;
        char text[256], member[256];
        snprintf(text, sizeof text,
                 "archive_no%cid_no%cname%crelation\n"
                 "A1%cx%cWang, Fang%cself\n"
                 "A2%cy%c\"in%cquotes\"%cspouse\n",
                 d, d, d, d, d, d, d, d, d, d);
        write_text(fx, "in.txt", text);
        snprintf(member, sizeof member, "path = in.txt\ndelimiter = %s\n" MEMBER_FIELDS,
                 cases[i].setting);
        open_member(fx, member);
        assert_int_equal(fx->cfg->ds[XC_DS_MEMBER].delimiter, d);
        assert_member_row(fx, 2, "A1", "x", "Wang, Fang", "self");
        char quoted[16];
        snprintf(quoted, sizeof quoted, "in%cquotes", d);
        assert_member_row(fx, 3, "A2", "y", quoted, "spouse");
        assert_done(fx);
    }
}

static void test_file_without_quoting_keeps_quote_characters(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv", MEMBER_HEADER "\nA1,x,\"Wang\",self\n");
    open_member(fx, "path = in.csv\nquote = none\n" MEMBER_FIELDS);
    assert_member_row(fx, 2, "A1", "x", "\"Wang\"", "self");
    assert_done(fx);
}

static void test_file_reads_numbered_columns_without_header(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv",
               ID_1 ",A1,张三,self,note\n"
               "\n"
               ID_2 ",A2,\"Li\nSi\",spouse,\n"
               "x,A3,王五,child,n3\n");
    open_member(fx, "path = in.csv\nheader = false\n"
                "field.archive_no = 2\nfield.id_no = 1\nfield.name = 3\nfield.relation = 4\n");
    assert_member_row(fx, 1, "A1", ID_1, "张三", "self");
    assert_member_row(fx, 3, "A2", ID_2, "Li\nSi", "spouse");
    assert_member_row(fx, 5, "A3", "x", "王五", "child");
    assert_done(fx);
}

static void test_file_rejects_numbered_column_beyond_the_first_row(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv", "A1,x,张三,self\n");
    const xc_binding *b = bind_member(fx, "path = in.csv\nheader = false\n"
                                      "field.archive_no = 1\nfield.id_no = 2\n"
                                      "field.name = 3\nfield.relation = 5\n");
    assert_int_equal(xc_source_open(b, &fx->src, &fx->err), XC_EINPUT);
    assert_null(fx->src);
    assert_string_equal(fx->err.field, "relation");
    assert_non_null(strstr(fx->err.msg, "column 5"));
}

static void test_file_skips_blank_lines(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv",
               "\n"                                                    /* 1 */
               "\r\n"                                                  /* 2 */
               MEMBER_HEADER "\n"                                      /* 3 */
               "\n"                                                    /* 4 */
               "A1,x,n1,self\n"                                        /* 5 */
               "\n\n"                                                  /* 6-7 */
               "A2,y,n2,spouse\n"                                      /* 8 */
               "\n\n");                                                /* 9-10 */
    open_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    assert_member_row(fx, 5, "A1", "x", "n1", "self");
    assert_member_row(fx, 8, "A2", "y", "n2", "spouse");
    assert_done(fx);
    assert_done(fx);
    assert_int_equal(fx->src->rows, 2);
}

static void test_file_reports_row_with_wrong_field_count(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv",
               MEMBER_HEADER "\n"
               "A1,x,n1\n"
               "A2,y,n2,spouse,extra\n"
               "A3,z,n3,child\n");
    open_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    xc_raw_row row;
    next_row(fx, &row);
    assert_int_equal(row.line, 2);
    assert_string_equal(row.problem, "3 fields where the header has 4");
    assert_int_equal(row.problem_field, -1);
    next_row(fx, &row);
    assert_int_equal(row.line, 3);
    assert_string_equal(row.problem, "5 fields where the header has 4");
    assert_member_row(fx, 4, "A3", "z", "n3", "child");
    assert_done(fx);
}

static void test_ingest_rejects_row_with_wrong_field_count_into_the_reject_file(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv",
               MEMBER_HEADER "\n"                                      /* 1 */
               "A1," ID_1 ",张三,self\n"                                /* 2 */
               "A2," ID_1 ",李四\n"                                     /* 3 */
               "A3," ID_1 ",\"王,五\",child,extra\n"                    /* 4 */
               "A4," ID_2 ",赵六,spouse\n");                            /* 5 */
    open_ingest(fx, bind_member(fx, "path = in.csv\n" MEMBER_FIELDS));
    char data[256];
    path_of(fx, "in.csv", data);
    assert_string_equal(xc_ingest_where(fx->in), data);

    xc_record rec;
    assert_int_equal(xc_ingest_next(fx->in, &rec, &fx->err), XC_OK);
    assert_int_equal(rec.line, 2);
    assert_memory_equal(rec.v[XC_MB_ARCHIVE_NO].s, "A1", 2);
    xc_ingest_count(fx->in, true);
    assert_int_equal(xc_ingest_next(fx->in, &rec, &fx->err), XC_OK);
    assert_int_equal(rec.line, 5);
    assert_memory_equal(rec.v[XC_MB_ARCHIVE_NO].s, "A4", 2);
    xc_ingest_count(fx->in, false);
    assert_int_equal(xc_ingest_next(fx->in, &rec, &fx->err), XC_DONE);

    const xc_counts *c = xc_ingest_counts(fx->in);
    assert_int_equal(c->read, 4);
    assert_int_equal(c->matched, 1);
    assert_int_equal(c->unmatched, 1);
    assert_int_equal(c->rejected, 2);
    assert_int_equal(xc_ingest_finish(fx->in, &fx->err), XC_OK);

    char path[256], want[1024];
    path_of(fx, "rejects/member.csv", path);
    char *got = read_back(path);
    snprintf(want, sizeof want,
             XC_CSV_BOM "file,line,field,reason,value\n"
             "%s,3,,3 fields where the header has 4,\n"
             "%s,4,,5 fields where the header has 4,\n", data, data);
    assert_string_equal(got, want);
    free(got);
}

static void test_file_reports_unterminated_quote_at_end_of_file(void **state)
{
    fixture *fx = *state;
    /* 2026-12-01: the quote swallowed line 4 too; now line 3 alone is lost. */
    write_text(fx, "in.csv",
               MEMBER_HEADER "\n"
               "A1,x,n1,self\n"
               "A2,y,\"never closed,spouse\n"
               "A3,z,n3,child\n");
    open_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    assert_member_row(fx, 2, "A1", "x", "n1", "self");
    xc_raw_row row;
    next_row(fx, &row);
    assert_int_equal(row.line, 3);
    assert_string_equal(row.problem, "unterminated quote in column 3: not closed before the "
                        "end of the file; the line is read alone");
    assert_int_equal(row.problem_field, -1);
    assert_member_row(fx, 4, "A3", "z", "n3", "child");
    assert_done(fx);
    assert_int_equal(fx->src->rows, 3);
    assert_int_equal(fx->src->physical_rows, 4);
    assert_int_equal(fx->src->other_lines, 1);
}

static void test_file_reports_unterminated_quote_on_the_last_line(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv",
               MEMBER_HEADER "\n"
               "A1,x,n1,self\n"
               "A2,y,\"never closed,spouse");
    open_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    assert_member_row(fx, 2, "A1", "x", "n1", "self");
    xc_raw_row row;
    next_row(fx, &row);
    assert_int_equal(row.line, 3);
    assert_string_equal(row.problem, "quoted field opened on line 3 is never closed");
    assert_done(fx);
    assert_int_equal(fx->src->rows, 2);
    assert_int_equal(fx->src->physical_rows, 3);
    assert_int_equal(fx->src->other_lines, 1);
}

static void test_file_reports_text_after_a_closing_quote(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv",
               MEMBER_HEADER "\n"
               "A1,x,\"Wang\" Fang,self\n"
               "A2,y,\"ok\",spouse\n");
    open_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    xc_raw_row row;
    next_row(fx, &row);
    assert_int_equal(row.line, 2);
    assert_string_equal(row.problem, "text after the closing quote of column 3");
    assert_member_row(fx, 3, "A2", "y", "ok", "spouse");
    assert_done(fx);
}

/* Converting the row rejects its name field for undecodable text. */
static void assert_bad_text(fixture *fx, const xc_raw_row *row, const char *reason)
{
    assert_null(row->problem);
    xc_record rec;
    xc_reject rej;
    assert_int_equal(xc_record_convert(&fx->cfg->ds[XC_DS_MEMBER], xc_date_from_ymd(2026, 6, 30),
                                       xc_date_from_ymd(2026, 6, 30), row, &rec, &rej), -1);
    assert_int_equal(rej.field, XC_MB_NAME);
    assert_string_equal(rej.reason, reason);
}

static void test_file_reports_invalid_utf8_in_a_mapped_field(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv",
               MEMBER_HEADER ",note\n"
               "A1,x,\xD5\xC5\xC8\xFD,self,n\n"       /* 张三 in GB18030 */
               "A2,y,ok,spouse,\xC3\x28\n"            /* an unmapped column */
               "A3,z,\xE5\xBC,child,n\n");            /* cut short */
    open_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    xc_raw_row row;
    next_row(fx, &row);
    assert_int_equal(row.line, 2);
    /* the text is checked when the field is converted */
    assert_bad_text(fx, &row, "not valid UTF-8 (is the file GB18030? set encoding = gb18030)");
    assert_member_row(fx, 3, "A2", "y", "ok", "spouse");
    next_row(fx, &row);
    assert_int_equal(row.line, 4);
    assert_bad_text(fx, &row, "not valid UTF-8 (is the file GB18030? set encoding = gb18030)");
    assert_done(fx);
}

static void test_ingest_writes_invalid_text_as_a_placeholder_in_the_reject_file(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv",
               MEMBER_HEADER "\n"
               "A1," ID_1 ",\xD5\xC5\xC8\xFD,self\n"
               "A2," ID_1 ",李四,cousin\n");
    open_ingest(fx, bind_member(fx, "path = in.csv\n" MEMBER_FIELDS));
    xc_record rec;
    assert_int_equal(xc_ingest_next(fx->in, &rec, &fx->err), XC_DONE);
    assert_int_equal(xc_ingest_counts(fx->in)->rejected, 2);
    assert_int_equal(xc_ingest_finish(fx->in, &fx->err), XC_OK);
    char data[256], path[256], want[1024];
    path_of(fx, "in.csv", data);
    path_of(fx, "rejects/member.csv", path);
    char *got = read_back(path);
    snprintf(want, sizeof want,
             XC_CSV_BOM "file,line,field,reason,value\n"
             "%s,2,name,not valid UTF-8 (is the file GB18030? set encoding = gb18030),"
             "(not valid text)\n"
             "%s,3,relation,value 'cousin' has no mapping (add map.relation.cousin = "
             "<value>),cousin\n", data, data);
    assert_string_equal(got, want);
    free(got);
}

static void test_ingest_rejects_a_record_for_a_reason_of_the_caller(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv",
               MEMBER_HEADER "\n"
               "A1," ID_1 ",张三,self\n"
               "A1," ID_2 ",\"Li \"\"Si\"\"\",spouse\n");
    open_ingest(fx, bind_member(fx, "path = in.csv\n" MEMBER_FIELDS));
    xc_record rec;
    assert_int_equal(xc_ingest_next(fx->in, &rec, &fx->err), XC_OK);
    xc_ingest_count(fx->in, true);
    assert_int_equal(xc_ingest_next(fx->in, &rec, &fx->err), XC_OK);
    xc_ingest_reject(fx->in, &rec, XC_MB_NAME, "same archive_no, other person");
    xc_ingest_count(fx->in, true);     /* already rejected: not counted again */
    assert_int_equal(xc_ingest_next(fx->in, &rec, &fx->err), XC_DONE);
    const xc_counts *c = xc_ingest_counts(fx->in);
    assert_int_equal(c->read, 2);
    assert_int_equal(c->matched, 1);
    assert_int_equal(c->unmatched, 0);
    assert_int_equal(c->rejected, 1);
    assert_int_equal(xc_ingest_finish(fx->in, &fx->err), XC_OK);

    char data[256], path[256], want[1024];
    path_of(fx, "in.csv", data);
    path_of(fx, "rejects/member.csv", path);
    char *got = read_back(path);
    snprintf(want, sizeof want,
             XC_CSV_BOM "file,line,field,reason,value\n"
             "%s,3,name,\"same archive_no, other person\",\"Li \"\"Si\"\"\"\n", data);
    assert_string_equal(got, want);
    free(got);
}

/* ---- GB18030 ---- */

static void test_file_decodes_gb18030(void **state)
{
    fixture *fx = *state;
    static const char utf8[] =
        "\xEF\xBB\xBF"
        "档案编号,公民身份号码,姓名,与户主关系\r\n"
        "甲001," ID_1 ",张三,本人\r\n"
        "甲002," ID_2 ",\"𠮷田，花子\",配偶\r\n";
    size_t len;
    char *gb = to_gb18030(utf8, sizeof utf8 - 1, &len);
    assert_null(memmem(gb, len, "\xE5\xBC\xA0", 3));          /* not UTF-8 any more */
    write_file(fx, "in.csv", gb, len);
    free(gb);
    open_member(fx, "path = in.csv\nencoding = gb18030\n"
                "field.archive_no = 档案编号\nfield.id_no = 公民身份号码\n"
                "field.name = 姓名\nfield.relation = 与户主关系\n");
    assert_member_row(fx, 2, "甲001", ID_1, "张三", "本人");
    assert_member_row(fx, 3, "甲002", ID_2, "𠮷田，花子", "配偶");
    assert_done(fx);
}

static void test_file_splits_gb18030_on_pipe_despite_colliding_bytes(void **state)
{
    fixture *fx = *state;
    /* 亅 and 皘 end in the byte 0x7C, '|', in GB18030. */
    static const char utf8[] =
        "档案编号|身份证号|姓名|关系\n"
        "A1|" ID_1 "|亅皘|本人\n"
        "A2|" ID_2 "|皘|亅\n";
    size_t len;
    char *gb = to_gb18030(utf8, sizeof utf8 - 1, &len);
    size_t pipes = 0;
    for (size_t i = 0; i < len; i++)
        pipes += gb[i] == '|';
    assert_true(pipes >= 9 + 4);
    write_file(fx, "in.txt", gb, len);
    free(gb);
    open_member(fx, "path = in.txt\nencoding = gbk\ndelimiter = pipe\n"
                "field.archive_no = 档案编号\nfield.id_no = 身份证号\n"
                "field.name = 姓名\nfield.relation = 关系\n");
    assert_member_row(fx, 2, "A1", ID_1, "亅皘", "本人");
    assert_member_row(fx, 3, "A2", ID_2, "皘", "亅");
    assert_done(fx);
}

static void test_file_reports_invalid_gb18030_bytes_as_a_row_problem(void **state)
{
    fixture *fx = *state;
    char buf[256];
    size_t len = 0;
    append_gb18030(buf, &len, MEMBER_HEADER "\nA1,x,张三,本人\n");
    append(buf, &len, "A2,y,\x80");                 /* 0x80 is no character */
    append_gb18030(buf, &len, "李");
    append(buf, &len, ",spouse\nA3,z,\x81,child");  /* a lead byte, then ',' */
    append_gb18030(buf, &len, "\nA4,w,王五,子女\n");
    assert_true(len < sizeof buf);
    write_file(fx, "in.csv", buf, len);

    open_member(fx, "path = in.csv\nencoding = gb18030\n" MEMBER_FIELDS);
    assert_member_row(fx, 2, "A1", "x", "张三", "本人");
    xc_raw_row row;
    next_row(fx, &row);
    assert_int_equal(row.line, 3);
    assert_bad_text(fx, &row, "bytes that are not valid GB18030");
    next_row(fx, &row);
    assert_int_equal(row.line, 4);
    assert_bad_text(fx, &row, "bytes that are not valid GB18030");
    assert_member_row(fx, 5, "A4", "w", "王五", "子女");
    assert_done(fx);
}

/* ---- gzip ---- */

static void test_file_reads_gzip_the_same_as_plain(void **state)
{
    fixture *fx = *state;
    static const char text[] =
        "\xEF\xBB\xBF" MEMBER_HEADER "\r\n"
        "A1," ID_1 ",\"Wang, \"\"Fang\"\"\",self\r\n"
        "\r\n"
        "A2," ID_2 ",\"two\nlines\",spouse\r\n"
        "A3,x,张三,child";
    write_file(fx, "in.csv", text, sizeof text - 1);
    write_gzip(fx, "in.csv.gz", text, sizeof text - 1);
    assert_int_not_equal(file_size(fx, "in.csv.gz"), file_size(fx, "in.csv"));

    open_member(fx, "path = in.csv.gz\n" MEMBER_FIELDS);
    assert_int_equal(fx->src->bytes_total, (uint64_t)file_size(fx, "in.csv.gz"));
    assert_member_row(fx, 2, "A1", ID_1, "Wang, \"Fang\"", "self");
    assert_member_row(fx, 4, "A2", ID_2, "two\nlines", "spouse");
    assert_member_row(fx, 6, "A3", "x", "张三", "child");
    assert_done(fx);
    assert_int_equal(fx->src->bytes_in, fx->src->bytes_total);

    open_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    assert_int_equal(fx->src->bytes_total, sizeof text - 1);
    assert_member_row(fx, 2, "A1", ID_1, "Wang, \"Fang\"", "self");
    assert_member_row(fx, 4, "A2", ID_2, "two\nlines", "spouse");
    assert_member_row(fx, 6, "A3", "x", "张三", "child");
    assert_done(fx);
    assert_int_equal(fx->src->bytes_in, sizeof text - 1);
}

static void test_file_decodes_gzip_compressed_gb18030(void **state)
{
    fixture *fx = *state;
    static const char utf8[] = "档案编号,身份证号,姓名,关系\nA1," ID_1 ",张三,本人\n";
    size_t len;
    char *gb = to_gb18030(utf8, sizeof utf8 - 1, &len);
    write_gzip(fx, "in.csv.gz", gb, len);
    free(gb);
    open_member(fx, "path = in.csv.gz\nencoding = gb18030\n"
                "field.archive_no = 档案编号\nfield.id_no = 身份证号\n"
                "field.name = 姓名\nfield.relation = 关系\n");
    assert_member_row(fx, 2, "A1", ID_1, "张三", "本人");
    assert_done(fx);
}

/* n rows of hard-to-compress text; *ret_len bytes, malloc'ed. */
static char *noisy_rows(int n, size_t *ret_len)
{
    size_t cap = (size_t)n * 80 + 64;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t len = (size_t)snprintf(buf, cap, MEMBER_HEADER "\n");
    uint32_t x = 12345;
    for (int i = 0; i < n; i++) {
        char name[33];
        for (int k = 0; k < 32; k++) {
            x = x * 1103515245u + 12345u;
            name[k] = (char)('a' + (x >> 16) % 26);
        }
        name[32] = '\0';
        len += (size_t)snprintf(buf + len, cap - len, "A%07d,%s,%s,self\n", i, ID_1, name);
    }
    *ret_len = len;
    return buf;
}

static void test_file_reports_truncated_gzip_as_io_error(void **state)
{
    fixture *fx = *state;
    size_t len;
    char *text = noisy_rows(40000, &len);
    write_gzip(fx, "in.csv.gz", text, len);
    free(text);
    off_t size = file_size(fx, "in.csv.gz");
    assert_true(size > 2 * READ_CHUNK / 3);
    char path[256];
    path_of(fx, "in.csv.gz", path);
    assert_int_equal(truncate(path, size / 2), 0);

    open_member(fx, "path = in.csv.gz\n" MEMBER_FIELDS);
    int rc;
    long rows = 0;
    xc_raw_row row;
    while ((rc = xc_source_next(fx->src, &row, &fx->err)) == XC_OK) {
        assert_null(row.problem);
        rows++;
    }
    assert_int_equal(rc, XC_EIO);
    assert_int_equal(fx->err.code, XC_EIO);
    assert_true(rows > 0 && rows < 40000);
    assert_non_null(strstr(fx->err.msg, path));
    assert_string_equal(fx->err.where, path);
    assert_true(fx->err.row > rows);
    assert_non_null(strstr(fx->err.hint, "truncated"));

    /* The same through ingest: the failure is not a rejected row. */
    open_ingest(fx, &fx->cfg->ds[XC_DS_MEMBER]);
    xc_record rec;
    while ((rc = xc_ingest_next(fx->in, &rec, &fx->err)) == XC_OK)
        xc_ingest_count(fx->in, false);
    assert_int_equal(rc, XC_EIO);
    const xc_counts *c = xc_ingest_counts(fx->in);
    assert_int_equal(c->read, (uint64_t)rows);
    assert_int_equal(c->rejected, 0);
}

/* ---- whole-file failures ---- */

static void test_file_reports_missing_file_at_open(void **state)
{
    fixture *fx = *state;
    const xc_binding *b = bind_member(fx, "path = no-such-file.csv\n" MEMBER_FIELDS);
    char path[256];
    path_of(fx, "no-such-file.csv", path);
    assert_int_equal(xc_source_open(b, &fx->src, &fx->err), XC_EIO);
    assert_null(fx->src);
    assert_int_equal(fx->err.code, XC_EIO);
    assert_non_null(strstr(fx->err.msg, path));
    assert_string_equal(fx->err.where, path);

    assert_int_equal(xc_ingest_open(b, 0, fx->dir, &fx->in, &fx->err), XC_EIO);
    assert_null(fx->in);
    assert_non_null(strstr(fx->err.msg, path));
}

/* 2026-12-02: when the rejects file could not be made, xc_ingest_open()
 * closed what it had opened but still handed it out in *ret. */
static void test_file_ingest_leaves_nothing_when_its_rejects_cannot_be_made(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv", MEMBER_HEADER "\nA1," ID_1 ",Wang,self\n");
    const xc_binding *b = bind_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    char missing[256];
    path_of(fx, "no-such-dir", missing);
    assert_int_equal(xc_ingest_open(b, 0, missing, &fx->in, &fx->err), XC_EIO);
    assert_null(fx->in);
}

static void test_file_reports_directory_at_open(void **state)
{
    fixture *fx = *state;
    const xc_binding *b = bind_member(fx, "path = .\n" MEMBER_FIELDS);
    assert_int_equal(xc_source_open(b, &fx->src, &fx->err), XC_EIO);
    assert_non_null(strstr(fx->err.msg, "directory"));
}

static void test_file_reports_missing_column_at_open(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv", "archive_no,id_no,full_name,relation\nA1,x,n,self\n");
    const xc_binding *b = bind_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    assert_int_equal(xc_source_open(b, &fx->src, &fx->err), XC_EINPUT);
    assert_null(fx->src);
    assert_int_equal(fx->err.code, XC_EINPUT);
    assert_non_null(strstr(fx->err.msg, "\"name\""));
    assert_non_null(strstr(fx->err.detail, "full_name"));
    assert_string_equal(fx->err.field, "name");
    assert_int_equal(fx->err.row, 1);

    /* A wrong delimiter looks the same: one column holding the whole header. */
    write_text(fx, "in.csv", MEMBER_HEADER "\n");
    b = bind_member(fx, "path = in.csv\ndelimiter = tab\n" MEMBER_FIELDS);
    assert_int_equal(xc_source_open(b, &fx->src, &fx->err), XC_EINPUT);
    assert_non_null(strstr(fx->err.msg, "\"archive_no\""));
}

static void test_file_reports_column_that_appears_twice_in_the_header(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv", "archive_no,id_no,name,relation,Name\nA1,x,n,self,m\n");
    const xc_binding *b = bind_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    assert_int_equal(xc_source_open(b, &fx->src, &fx->err), XC_EINPUT);
    assert_string_equal(fx->err.field, "name");
    assert_non_null(strstr(fx->err.msg, "twice"));
}

static void test_file_reports_empty_file_at_open(void **state)
{
    fixture *fx = *state;
    static const char *const empty[] = {"", "\n\r\n\n"};
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
        write_text(fx, "in.csv", empty[i]);
        const xc_binding *b = bind_member(fx, "path = in.csv\n" MEMBER_FIELDS);
        assert_int_equal(xc_source_open(b, &fx->src, &fx->err), XC_EINPUT);
        assert_null(fx->src);
        assert_non_null(strstr(fx->err.msg, "empty"));
    }
    write_gzip(fx, "in.csv.gz", "", 0);
    const xc_binding *b = bind_member(fx, "path = in.csv.gz\n" MEMBER_FIELDS);
    assert_int_equal(xc_source_open(b, &fx->src, &fx->err), XC_EINPUT);
}

static void test_file_with_only_a_header_has_no_rows(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv", MEMBER_HEADER "\n\n");
    open_ingest(fx, bind_member(fx, "path = in.csv\n" MEMBER_FIELDS));
    xc_record rec;
    assert_int_equal(xc_ingest_next(fx->in, &rec, &fx->err), XC_DONE);
    assert_int_equal(xc_ingest_next(fx->in, &rec, &fx->err), XC_DONE);
    const xc_counts *c = xc_ingest_counts(fx->in);
    assert_int_equal(c->read + c->matched + c->unmatched + c->rejected, 0);
    assert_int_equal(xc_ingest_finish(fx->in, &fx->err), XC_OK);
}

/* ---- large files ---- */

/* Builds n member rows with CRLF line ends, every `bad_every`-th one with
 * three fields; the header is padded so that the CR of a row is the last
 * byte of the first read chunk. */
static char *big_csv(int n, int bad_every, size_t *ret_len)
{
    char row[128];
    int row_len = snprintf(row, sizeof row, "A%06d," ID_1 ",\"姓名, %06d\",self\r\n", 0, 0);
    size_t cap = (size_t)n * (size_t)row_len + 1024;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t len = (size_t)snprintf(buf, cap, MEMBER_HEADER);
    /* Blanks after the last column name do not count. The row CRs sit at
     * header_len + k * row_len - 2. */
    size_t pad = ((size_t)READ_CHUNK + 1 - (len + 2)) % (size_t)row_len;
    memset(buf + len, ' ', pad);
    len += pad;
    memcpy(buf + len, "\r\n", 2);
    len += 2;
    for (int i = 0; i < n; i++) {
        /* A bad row is as long as a good one: the quote moves past ",self". */
        int k = bad_every && i % bad_every == bad_every - 1
            ? snprintf(buf + len, cap - len, "A%06d," ID_1 ",\"姓名, %06d,self\"\r\n", i, i)
            : snprintf(buf + len, cap - len, "A%06d," ID_1 ",\"姓名, %06d\",self\r\n", i, i);
        assert_int_equal(k, row_len);
        len += (size_t)k;
    }
    assert_memory_equal(buf + READ_CHUNK - 1, "\r\n", 2);
    *ret_len = len;
    return buf;
}

static void read_big_file(fixture *fx, const char *member, int n, int bad_every)
{
    open_ingest(fx, bind_member(fx, member));
    xc_record rec;
    int rc, expect = 0;
    uint64_t matched = 0;
    while ((rc = xc_ingest_next(fx->in, &rec, &fx->err)) == XC_OK) {
        while (bad_every && expect % bad_every == bad_every - 1)
            expect++;
        char want[32];
        snprintf(want, sizeof want, "A%06d", expect);
        if (rec.v[XC_MB_ARCHIVE_NO].len != 7 || memcmp(rec.v[XC_MB_ARCHIVE_NO].s, want, 7))
            fail_msg("row %d is '%.*s' on line %ld", expect, (int)rec.v[XC_MB_ARCHIVE_NO].len,
                     rec.v[XC_MB_ARCHIVE_NO].s, rec.line);
        snprintf(want, sizeof want, "姓名, %06d", expect);
        assert_int_equal(rec.v[XC_MB_NAME].len, strlen(want));
        assert_memory_equal(rec.v[XC_MB_NAME].s, want, strlen(want));
        assert_int_equal(rec.line, expect + 2);
        assert_int_equal(rec.id.error, 0);
        bool m = expect % 3 == 0;
        matched += m;
        xc_ingest_count(fx->in, m);
        expect++;
    }
    assert_int_equal(rc, XC_DONE);
    while (bad_every && expect % bad_every == bad_every - 1)
        expect++;
    assert_int_equal(expect, n);
    const xc_counts *c = xc_ingest_counts(fx->in);
    uint64_t bad = bad_every ? (uint64_t)(n / bad_every) : 0;
    assert_int_equal(c->read, n);
    assert_int_equal(c->rejected, bad);
    assert_int_equal(c->matched, matched);
    assert_int_equal(c->unmatched, (uint64_t)n - bad - matched);
    assert_int_equal(xc_ingest_finish(fx->in, &fx->err), XC_OK);
    xc_ingest_close(fx->in);
    fx->in = NULL;
}

static void test_file_reads_a_file_larger_than_the_read_chunk(void **state)
{
    fixture *fx = *state;
    size_t len;
    char *text = big_csv(100000, 997, &len);
    assert_true(len > 10 * READ_CHUNK);
    write_file(fx, "big.csv", text, len);
    free(text);
    read_big_file(fx, "path = big.csv\n" MEMBER_FIELDS, 100000, 997);

    /* Every rejected row is in the reject file, with its line. */
    char path[256];
    path_of(fx, "rejects/member.csv", path);
    char *got = read_back(path);
    size_t lines = 0;
    for (char *p = got; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 1 + 100000 / 997);
    char want[64];
    snprintf(want, sizeof want, ",%d,,3 fields where the header has 4,\n", 996 + 2);
    assert_non_null(strstr(got, want));
    free(got);
}

static void test_file_reads_a_large_gzip_file_in_full(void **state)
{
    fixture *fx = *state;
    size_t len;
    char *text = big_csv(100000, 0, &len);
    write_gzip(fx, "big.csv.gz", text, len);
    free(text);
    read_big_file(fx, "path = big.csv.gz\n" MEMBER_FIELDS, 100000, 0);
}

static void test_file_decodes_gb18030_characters_split_between_read_chunks(void **state)
{
    fixture *fx = *state;
    size_t len;
    char *text = big_csv(100000, 0, &len);
    size_t gb_len;
    char *gb = to_gb18030(text, len, &gb_len);
    free(text);
    /* Blanks before the first column name (they are trimmed) move the last
     * two-byte character that starts in the first read chunk so that it
     * starts on the chunk's last byte. */
    const unsigned char *u = (const unsigned char *)gb;
    size_t last = 0;
    for (size_t i = 0; i < READ_CHUNK;) {
        size_t n = u[i] < 0x80 ? 1 : u[i + 1] >= 0x30 && u[i + 1] <= 0x39 ? 4 : 2;
        if (n == 2)
            last = i;
        i += n;
    }
    size_t pad = READ_CHUNK - 1 - last;
    assert_true(pad < 64);
    char path[256];
    path_of(fx, "big.csv", path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < pad; i++)
        fputc(' ', f);
    assert_int_equal(fwrite(gb, 1, gb_len, f), gb_len);
    assert_int_equal(fclose(f), 0);
    free(gb);
    read_big_file(fx, "path = big.csv\nencoding = gb18030\n" MEMBER_FIELDS, 100000, 0);
}

/* ---- random files: every way a row can lie against the read chunks ---- */

enum { MIX_COLS = 40, MIX_ROWS = 60000 };
static const int mix_col_of[4] = {0, 17, 33, 39};   /* the mapped columns */

typedef struct mix_row {
    long line;
    char *field[4];        /* the mapped columns' text, as read back */
} mix_row;

static uint64_t mix_next(uint64_t *x)
{
    *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
    return *x;
}

/* Appends one field in a random shape; *out gets its text as read back and
 * *lines the line breaks inside it. */
static void mix_field(uint64_t *x, char *buf, size_t *len, char *out, int *lines)
{
    static const char *words[] = {"", "a", "529001", "张三", "x y", "0.00", "2024-01-31"};
    out[0] = '\0';
    int shape = (int)(mix_next(x) % 10);
    if (shape < 7) {                     /* plain */
        int k = (int)(mix_next(x) % 3);
        for (int i = 0; i < k; i++)
            strcat(out, words[mix_next(x) % 7]);
        append(buf, len, out);
        return;
    }
    append(buf, len, "\"");              /* quoted, with what quotes allow */
    for (int i = 0; i < 3; i++) {
        static const char *parts[] = {",", "\"\"", "\n", "\r\n", "李四", "q"};
        const char *p = parts[mix_next(x) % 6];
        append(buf, len, p);
        strcat(out, strcmp(p, "\"\"") == 0 ? "\"" : p);
        *lines += p[0] == '\n' || p[0] == '\r';
    }
    append(buf, len, "\"");
}

/* Builds a file of MIX_ROWS rows of MIX_COLS columns with mixed line ends,
 * quoting and blank lines, and what reading it must give. */
static char *mix_file(uint64_t seed, mix_row *rows, size_t *ret_len)
{
    size_t cap = (size_t)MIX_ROWS * MIX_COLS * 40;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t len = 0;
    buf[0] = '\0';
    for (int c = 0; c < MIX_COLS; c++) {
        char name[16];
        snprintf(name, sizeof name, "%sc%d", c ? "," : "", c);
        append(buf, &len, name);
    }
    append(buf, &len, "\n");
    uint64_t x = seed;
    long line = 2;
    bool after_cr = false;     /* an LF right after a lone CR would join it */
    for (int r = 0; r < MIX_ROWS; r++) {
        while (mix_next(&x) % 50 == 0) {    /* blank lines are not rows */
            append(buf, &len, mix_next(&x) % 2 && !after_cr ? "\n" : "\r\n");
            line++;
        }
        rows[r].line = line;
        int inside = 0;
        for (int c = 0, m = 0; c < MIX_COLS; c++) {
            char out[256];
            if (c)
                append(buf, &len, ",");
            mix_field(&x, buf, &len, out, &inside);
            if (m < 4 && mix_col_of[m] == c)
                rows[r].field[m++] = strdup(out);
        }
        static const char *ends[] = {"\n", "\r\n", "\r"};
        const char *e = ends[mix_next(&x) % 3];
        if (r == MIX_ROWS - 1 && mix_next(&x) % 2)
            e = "";                          /* no line end at the end */
        append(buf, &len, e);
        after_cr = strcmp(e, "\r") == 0;
        line += inside + 1;
        assert_true(len + 4096 < cap);
    }
    *ret_len = len;
    return buf;
}

static void read_mix(fixture *fx, const char *name, const mix_row *rows)
{
    char member[256];
    snprintf(member, sizeof member,
             "path = %s\nfield.archive_no = c0\nfield.id_no = c17\nfield.name = c33\n"
             "field.relation = c39\n", name);
    open_member(fx, member);
    static const int logical[4] = {XC_MB_ARCHIVE_NO, XC_MB_ID_NO, XC_MB_NAME, XC_MB_RELATION};
    for (int r = 0; r < MIX_ROWS; r++) {
        xc_raw_row row;
        next_good_row(fx, &row);
        if (row.line != rows[r].line)
            fail_msg("row %d starts on line %ld, not %ld", r, row.line, rows[r].line);
        for (int m = 0; m < 4; m++)
            assert_field(&row, logical[m], rows[r].field[m]);
    }
    assert_done(fx);
}

static void test_file_reads_random_rows_across_read_chunks_alike_plain_and_gzip(void **state)
{
    fixture *fx = *state;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        mix_row *rows = calloc(MIX_ROWS, sizeof *rows);
        assert_non_null(rows);
        size_t len;
        char *text = mix_file(seed * 0x9E3779B97F4A7C15ULL, rows, &len);
        assert_true(len > 8 * READ_CHUNK);
        write_file(fx, "mix.csv", text, len);
        write_gzip(fx, "mix.csv.gz", text, len);
        free(text);
        read_mix(fx, "mix.csv", rows);
        read_mix(fx, "mix.csv.gz", rows);
        for (int r = 0; r < MIX_ROWS; r++)
            for (int m = 0; m < 4; m++)
                free(rows[r].field[m]);
        free(rows);
    }
}

/* ---- damage: every physical line accounted for ---- */

/* Opens b and reads every row: the final code, *ret_rows rows read. */
static int drain(fixture *fx, const xc_binding *b, long *ret_rows)
{
    xc_source_close(fx->src);
    fx->src = NULL;
    xc_err_clear(&fx->err);
    *ret_rows = 0;
    int rc = xc_source_open(b, &fx->src, &fx->err);
    if (rc != XC_OK)
        return rc;
    xc_raw_row row;
    while ((rc = xc_source_next(fx->src, &row, &fx->err)) == XC_OK)
        (*ret_rows)++;
    return rc;
}

static void append_file(const fixture *fx, const char *name, const void *data, size_t len)
{
    char path[256];
    path_of(fx, name, path);
    FILE *f = fopen(path, "ab");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Appends the bytes of file `from` to file `to`. */
static void append_copy(const fixture *fx, const char *to, const char *from)
{
    char path[256];
    path_of(fx, from, path);
    size_t len = (size_t)file_size(fx, from);
    char *buf = malloc(len + 1);
    assert_non_null(buf);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(buf, 1, len, f), len);
    fclose(f);
    append_file(fx, to, buf, len);
    free(buf);
}

static void test_file_counts_physical_lines_apart_from_rows(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv",
               "\n"                                                    /* 1 */
               MEMBER_HEADER "\r\n"                                    /* 2 */
               "A1,x,n1,self\r"                                        /* 3 */
               "\r\n"                                                  /* 4 */
               "A2,y,\"two\nlines\",spouse\n"                          /* 5-6 */
               "A3,z,\"cr\rinside\",child\n"                           /* 7-8 */
               "A4,w,\"crlf\r\ninside\",child\n"                       /* 9-10 */
               "\n"                                                    /* 11 */
               "A5,v,n5,other");                                       /* 12 */
    open_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    assert_member_row(fx, 3, "A1", "x", "n1", "self");
    assert_member_row(fx, 5, "A2", "y", "two\nlines", "spouse");
    assert_member_row(fx, 7, "A3", "z", "cr\rinside", "child");
    assert_member_row(fx, 9, "A4", "w", "crlf\r\ninside", "child");
    assert_member_row(fx, 12, "A5", "v", "n5", "other");
    assert_done(fx);
    assert_int_equal(fx->src->rows, 5);
    assert_int_equal(fx->src->physical_rows, 12);
    /* header, 3 blank lines, the second lines of 3 rows */
    assert_int_equal(fx->src->other_lines, 7);

    /* through ingest, into the counts */
    open_ingest(fx, &fx->cfg->ds[XC_DS_MEMBER]);
    xc_record rec;
    int rc;
    while ((rc = xc_ingest_next(fx->in, &rec, &fx->err)) == XC_OK)
        xc_ingest_count(fx->in, false);
    assert_int_equal(rc, XC_DONE);
    assert_int_equal(xc_ingest_finish(fx->in, &fx->err), XC_OK);
    const xc_counts *c = xc_ingest_counts(fx->in);
    assert_int_equal(c->read, 5);
    assert_int_equal(c->physical_rows, 12);
    assert_int_equal(c->other_lines, 7);
}

static void test_file_rejects_only_the_line_of_a_stray_quote(void **state)
{
    fixture *fx = *state;
    /* 2026-12-01: one stray opening quote swallowed every row up to the next
     * quote in the file into one rejected row. */
    char text[8192];
    size_t len = (size_t)snprintf(text, sizeof text, MEMBER_HEADER "\n"
                                  "A1,x,n1,self\n"
                                  "A2,y,\"Wang,spouse\n");           /* line 3 */
    for (int i = 4; i < 31; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "B%d,z,n%d,child\n", i, i);
    len += (size_t)snprintf(text + len, sizeof text - len, "C31,q,\"Li, \"\"Na\"\"\",other\n");
    write_file(fx, "in.csv", text, len);
    open_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    assert_member_row(fx, 2, "A1", "x", "n1", "self");
    xc_raw_row row;
    next_row(fx, &row);
    assert_int_equal(row.line, 3);
    assert_string_equal(row.problem, "unterminated quote in column 3: closed on line 31, it "
                        "is followed by text after the closing quote; the line is read alone");
    for (int i = 4; i < 31; i++) {
        char a[16], n[16];
        snprintf(a, sizeof a, "B%d", i);
        snprintf(n, sizeof n, "n%d", i);
        assert_member_row(fx, i, a, "z", n, "child");
    }
    assert_member_row(fx, 31, "C31", "q", "Li, \"Na\"", "other");
    assert_done(fx);
    assert_int_equal(fx->src->rows, 30);
    assert_int_equal(fx->src->physical_rows, 31);
    assert_int_equal(fx->src->other_lines, 1);

    /* closed by a quote that makes the wrong number of fields */
    write_text(fx, "in.csv",
               MEMBER_HEADER "\n"
               "A1,x,\"n1,self\n"                                    /* 2 */
               "A2,y,n2\",spouse,extra\n"                            /* 3 */
               "A3,z,n3,child\n");
    open_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    next_row(fx, &row);
    assert_int_equal(row.line, 2);
    assert_string_equal(row.problem, "unterminated quote in column 3: closed on line 3, it "
                        "makes 5 fields where the header has 4; the line is read alone");
    next_row(fx, &row);
    assert_int_equal(row.line, 3);
    assert_non_null(row.problem);
    assert_member_row(fx, 4, "A3", "z", "n3", "child");
    assert_done(fx);
    assert_int_equal(fx->src->physical_rows, 4);
    assert_int_equal(fx->src->other_lines, 1);
}

static void test_file_keeps_a_legal_multi_line_field_and_rejects_text_after_a_stray_quote(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv",
               MEMBER_HEADER "\n"
               "A1,x,\"line one\nline two\",self\n"                /* 2-3: legal */
               "A2,y,\"stray,spouse\n"                             /* 4: stray */
               "A3,z,\"n3\" junk,child\n"                          /* 5 */
               "A4,w,n4,child\n");                                 /* 6 */
    open_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    assert_member_row(fx, 2, "A1", "x", "line one\nline two", "self");
    xc_raw_row row;
    next_row(fx, &row);
    assert_int_equal(row.line, 4);
    assert_string_equal(row.problem, "unterminated quote in column 3: closed on line 5, it is "
                        "followed by text after the closing quote; the line is read alone");
    next_row(fx, &row);      /* line 5 read again: its own problem */
    assert_int_equal(row.line, 5);
    assert_string_equal(row.problem, "text after the closing quote of column 3");
    assert_member_row(fx, 6, "A4", "w", "n4", "child");
    assert_done(fx);
    assert_int_equal(fx->src->physical_rows, 6);
    assert_int_equal(fx->src->other_lines, 2);
}

static void test_file_rejects_a_stray_quote_across_read_chunks(void **state)
{
    fixture *fx = *state;
    /* rows past three read chunks, a stray quote in the last rows of the
     * first chunk whose field runs on into the next; through gzip too */
    size_t len;
    char *text = noisy_rows(12000, &len);
    size_t at = READ_CHUNK - 200;
    while (text[at - 1] != '\n')
        at++;
    long stray_line = 1;
    for (size_t i = 0; i < at; i++)
        stray_line += text[i] == '\n';
    /* "A0001234,<id>,name..." becomes "A0001234,<id>,"name..." */
    char *comma = memchr(text + at, ',', 40);
    comma = memchr(comma + 1, ',', 40);
    memmove(comma + 2, comma + 1, len - (size_t)(comma + 1 - text));
    comma[1] = '"';
    len++;
    /* a closing quote far on, in the third chunk */
    char *late = text + 2 * READ_CHUNK + 100;
    while (*late != '\n')
        late++;
    comma = memchr(late + 1, ',', 40);
    comma = memchr(comma + 1, ',', 40);
    memmove(comma + 2, comma + 1, len - (size_t)(comma + 1 - text));
    comma[1] = '"';
    len++;
    write_file(fx, "in.csv", text, len);
    write_gzip(fx, "in.csv.gz", text, len);
    free(text);
    for (int gz = 0; gz < 2; gz++) {
        open_member(fx, gz ? "path = in.csv.gz\n" MEMBER_FIELDS : "path = in.csv\n" MEMBER_FIELDS);
        xc_raw_row row;
        int rc;
        long rows = 0, problems = 0, problem_line = 0, expect_line = 2;
        while ((rc = xc_source_next(fx->src, &row, &fx->err)) == XC_OK) {
            assert_int_equal(row.line, expect_line);
            expect_line++;
            rows++;
            if (row.problem) {
                problems++;
                problem_line = row.line;
            }
        }
        assert_int_equal(rc, XC_DONE);
        assert_int_equal(rows, 12000);
        /* the stray quote's line, and the late quote's own line */
        assert_int_equal(problems, 2);
        assert_true(problem_line > stray_line);
        assert_int_equal(fx->src->physical_rows, 12001);
        assert_int_equal(fx->src->other_lines, 1);
    }
}

static void test_file_reports_a_damaged_header(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv",
               "archive_no,\"id_no,name,relation\n"
               "A1,x,n1,self\n");
    const xc_binding *b = bind_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    assert_int_equal(xc_source_open(b, &fx->src, &fx->err), XC_EINPUT);
    assert_non_null(strstr(fx->err.msg, "header on line 1 is damaged"));
    assert_int_equal(fx->err.row, 1);
}

/* ---- gzip: members, padding, trailing bytes ---- */

static void test_file_reads_every_member_of_a_multi_member_gzip(void **state)
{
    fixture *fx = *state;
    static const char a[] = MEMBER_HEADER "\nA1,x,n1,self\n";
    static const char b[] = "A2,y,n2,spouse\nA3,z,n3,child\n";
    write_gzip(fx, "a.gz", a, sizeof a - 1);
    write_gzip(fx, "in.csv.gz", b, sizeof b - 1);
    write_gzip(fx, "b.gz", b, sizeof b - 1);
    /* cat a.gz b.gz */
    write_file(fx, "all.csv.gz", "", 0);
    append_copy(fx, "all.csv.gz", "a.gz");
    append_copy(fx, "all.csv.gz", "b.gz");
    open_member(fx, "path = all.csv.gz\n" MEMBER_FIELDS);
    assert_member_row(fx, 2, "A1", "x", "n1", "self");
    assert_member_row(fx, 3, "A2", "y", "n2", "spouse");
    assert_member_row(fx, 4, "A3", "z", "n3", "child");
    assert_done(fx);
    assert_int_equal(fx->src->physical_rows, 4);
    assert_int_equal(fx->src->bytes_in, (uint64_t)file_size(fx, "all.csv.gz"));

    /* NUL padding after the last member, as gzip(1) ignores it */
    static const char zeros[1000] = {0};
    append_file(fx, "all.csv.gz", zeros, sizeof zeros);
    long rows;
    assert_int_equal(drain(fx, &fx->cfg->ds[XC_DS_MEMBER], &rows), XC_DONE);
    assert_int_equal(rows, 3);
}

static void test_file_reports_bytes_after_the_gzip_data(void **state)
{
    fixture *fx = *state;
    static const char a[] = MEMBER_HEADER "\nA1,x,n1,self\n";
    write_gzip(fx, "in.csv.gz", a, sizeof a - 1);
    off_t end = file_size(fx, "in.csv.gz");
    /* 2026-12-01: bytes after the gzip stream were ignored in silence */
    append_file(fx, "in.csv.gz", "A2,y,n2,spouse\n", 15);
    const xc_binding *b = bind_member(fx, "path = in.csv.gz\n" MEMBER_FIELDS);
    long rows;
    assert_int_equal(drain(fx, b, &rows), XC_EIO);
    char path[256], want[64];
    path_of(fx, "in.csv.gz", path);
    assert_non_null(strstr(fx->err.msg, path));
    snprintf(want, sizeof want, "from byte offset %lld,", (long long)end);
    assert_non_null(strstr(fx->err.msg, want));
    assert_non_null(strstr(fx->err.hint, "after its gzip data"));

    /* NUL padding, then something else: not padding */
    write_gzip(fx, "in.csv.gz", a, sizeof a - 1);
    static const char pad[8] = {0, 0, 0, 0, 0, 0, 0, 'x'};
    append_file(fx, "in.csv.gz", pad, sizeof pad);
    assert_int_equal(drain(fx, b, &rows), XC_EIO);
    snprintf(want, sizeof want, "from byte offset %lld,", (long long)end + 7);
    assert_non_null(strstr(fx->err.msg, want));
}

static void test_file_reports_a_damaged_second_gzip_member(void **state)
{
    fixture *fx = *state;
    size_t len;
    char *text = noisy_rows(30000, &len);    /* more than a read chunk */
    write_gzip(fx, "in.csv.gz", text, len);
    free(text);
    off_t second = file_size(fx, "in.csv.gz");
    static const char b[] = "A2,y,n2,spouse\nA3,z,n3,child\n";
    write_gzip(fx, "b.gz", b, sizeof b - 1);
    char path[256];
    path_of(fx, "b.gz", path);
    FILE *f = fopen(path, "r+b");           /* the deflate data: scrambled */
    assert_non_null(f);
    assert_int_equal(fseek(f, 10, SEEK_SET), 0);
    fputs("\xFF\xFF\xFF\xFF\xFF\xFF", f);
    fclose(f);
    append_copy(fx, "in.csv.gz", "b.gz");
    const xc_binding *bd = bind_member(fx, "path = in.csv.gz\n" MEMBER_FIELDS);
    long rows;
    assert_int_equal(drain(fx, bd, &rows), XC_EIO);
    assert_int_equal(rows, 30000);
    char want[80];
    snprintf(want, sizeof want, "the gzip member that starts at byte offset %lld is corrupt",
             (long long)second);
    assert_non_null(strstr(fx->err.msg, want));
    path_of(fx, "in.csv.gz", path);
    assert_non_null(strstr(fx->err.msg, path));
    assert_string_equal(fx->err.where, path);

    /* a second member cut short after its magic bytes */
    write_file(fx, "cut.csv.gz", "", 0);
    write_gzip(fx, "b.gz", b, sizeof b - 1);
    append_copy(fx, "cut.csv.gz", "b.gz");
    append_file(fx, "cut.csv.gz", "\x1F\x8B\x08", 3);
    bd = bind_member(fx, "path = cut.csv.gz\nheader = false\nfield.archive_no = 1\n"
                     "field.id_no = 2\nfield.name = 3\nfield.relation = 4\n");
    assert_int_equal(drain(fx, bd, &rows), XC_EIO);
    assert_non_null(strstr(fx->err.hint, "truncated"));
}

/* ---- gzip: every kind of member, and every fault, named alike ---- */

/* The outcomes asserted here are those zlib's inflate gave: any inflater the
 * reader is built with must give the same rows, faults and offsets. */

/* Raw deflate data of text (no wrapper), for members written by hand. The
 * caller frees it. */
static unsigned char *deflate_raw(const void *text, size_t len, size_t *ret_len)
{
    z_stream zs = {0};
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&zs, (uLong)len);
    unsigned char *out = malloc(cap);
    assert_non_null(out);
    zs.next_in = (unsigned char *)(uintptr_t)text;
    zs.avail_in = (uInt)len;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *ret_len = cap - zs.avail_out;
    deflateEnd(&zs);
    return out;
}

/* Appends to name a gzip member of text whose header carries FEXTRA, FNAME,
 * FCOMMENT and FHCRC, as zlib's gzwrite never writes them. */
static void append_member_with_header_fields(const fixture *fx, const char *name,
                                             const char *text)
{
    unsigned char hdr[64];
    size_t n = 0;
    static const unsigned char fixed[] = {0x1F, 0x8B, 8, 0x02 | 0x04 | 0x08 | 0x10,
                                          0, 0, 0, 0, 0, 3};
    memcpy(hdr, fixed, sizeof fixed);
    n = sizeof fixed;
    static const unsigned char extra[] = {6, 0, 'A', 'P', 2, 0, 'h', 'i'};
    memcpy(hdr + n, extra, sizeof extra);
    n += sizeof extra;
    memcpy(hdr + n, "member.csv", 11);
    n += 11;
    memcpy(hdr + n, "an export", 10);
    n += 10;
    uLong hcrc = crc32(0, hdr, (uInt)n);
    hdr[n++] = (unsigned char)(hcrc & 0xFF);
    hdr[n++] = (unsigned char)(hcrc >> 8 & 0xFF);
    append_file(fx, name, hdr, n);
    size_t dlen;
    unsigned char *d = deflate_raw(text, strlen(text), &dlen);
    append_file(fx, name, d, dlen);
    free(d);
    uLong crc = crc32(0, (const unsigned char *)text, (uInt)strlen(text));
    unsigned char trailer[8];
    for (int i = 0; i < 4; i++) {
        trailer[i] = (unsigned char)(crc >> (8 * i) & 0xFF);
        trailer[4 + i] = (unsigned char)(strlen(text) >> (8 * i) & 0xFF);
    }
    append_file(fx, name, trailer, sizeof trailer);
}

/* Overwrites the byte of name at offset at (from the end when negative). */
static void poke(const fixture *fx, const char *name, long at, unsigned char byte)
{
    char path[256];
    path_of(fx, name, path);
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, at, at < 0 ? SEEK_END : SEEK_SET), 0);
    assert_int_equal(fputc(byte, f), byte);
    assert_int_equal(fclose(f), 0);
}

static void test_file_reads_and_faults_gzip_members_of_every_kind(void **state)
{
    fixture *fx = *state;
    static const char a[] = MEMBER_HEADER "\nA1,x,n1,self\n";
    static const char b[] = "A2,y,n2,spouse\nA3,z,n3,child\n";
    const xc_binding *bd = bind_member(fx, "path = in.csv.gz\n" MEMBER_FIELDS);
    long rows;
    char want[200];
    write_gzip(fx, "a.gz", a, sizeof a - 1);
    write_gzip(fx, "b.gz", b, sizeof b - 1);
    write_gzip(fx, "empty.gz", "", 0);
    long a_len = (long)file_size(fx, "a.gz"), empty_len = (long)file_size(fx, "empty.gz");
    long b_len = (long)file_size(fx, "b.gz");

    /* a, an empty member (printf '' | gzip), b */
    write_file(fx, "in.csv.gz", "", 0);
    append_copy(fx, "in.csv.gz", "a.gz");
    append_copy(fx, "in.csv.gz", "empty.gz");
    append_copy(fx, "in.csv.gz", "b.gz");
    assert_int_equal(drain(fx, bd, &rows), XC_DONE);
    assert_int_equal(rows, 3);
    assert_int_equal(fx->src->bytes_in, (uint64_t)(a_len + empty_len + b_len));

    /* a member whose header has every optional field, between two others */
    write_file(fx, "in.csv.gz", "", 0);
    append_copy(fx, "in.csv.gz", "a.gz");
    append_member_with_header_fields(fx, "in.csv.gz", "A4,w,n4,self\n");
    append_copy(fx, "in.csv.gz", "b.gz");
    assert_int_equal(drain(fx, bd, &rows), XC_DONE);
    assert_int_equal(rows, 4);
    /* ... and its header CRC damaged */
    poke(fx, "in.csv.gz", a_len + 10 + 8 + 11 + 10, 0x55);
    assert_int_equal(drain(fx, bd, &rows), XC_EIO);
    snprintf(want, sizeof want, "read failed: the gzip member that starts at byte offset %ld "
             "is corrupt near byte offset %ld (header crc mismatch)", a_len, a_len + 41);
    assert_non_null(strstr(fx->err.msg, want));

    /* a bad CRC-32 in the last member's trailer */
    write_file(fx, "in.csv.gz", "", 0);
    append_copy(fx, "in.csv.gz", "a.gz");
    append_copy(fx, "in.csv.gz", "b.gz");
    poke(fx, "in.csv.gz", -8, 0x55);
    assert_int_equal(drain(fx, bd, &rows), XC_EIO);
    snprintf(want, sizeof want, "read failed: the gzip member that starts at byte offset %ld "
             "is corrupt near byte offset %ld (incorrect data check)", a_len, a_len + b_len - 4);
    assert_non_null(strstr(fx->err.msg, want));
    assert_string_equal(fx->err.hint, "the gzip file is truncated or corrupt; export it again");

    /* a bad ISIZE */
    write_file(fx, "in.csv.gz", "", 0);
    append_copy(fx, "in.csv.gz", "a.gz");
    append_copy(fx, "in.csv.gz", "b.gz");
    poke(fx, "in.csv.gz", -4, 0x55);
    assert_int_equal(drain(fx, bd, &rows), XC_EIO);
    snprintf(want, sizeof want, "read failed: the gzip member that starts at byte offset %ld "
             "is corrupt near byte offset %ld (incorrect length check)", a_len, a_len + b_len);
    assert_non_null(strstr(fx->err.msg, want));

    /* the trailer cut short */
    write_file(fx, "in.csv.gz", "", 0);
    append_copy(fx, "in.csv.gz", "a.gz");
    append_copy(fx, "in.csv.gz", "b.gz");
    char path[256];
    path_of(fx, "in.csv.gz", path);
    assert_int_equal(truncate(path, a_len + b_len - 3), 0);
    assert_int_equal(drain(fx, bd, &rows), XC_EIO);
    snprintf(want, sizeof want, "read failed: the gzip data ends at byte offset %ld inside "
             "the member that starts at byte offset %ld", a_len + b_len - 3, a_len);
    assert_non_null(strstr(fx->err.msg, want));
    assert_string_equal(fx->err.hint, "the gzip file is truncated or corrupt; export it again");

    /* garbage after the last member; NUL padding, then garbage */
    write_file(fx, "in.csv.gz", "", 0);
    append_copy(fx, "in.csv.gz", "a.gz");
    append_copy(fx, "in.csv.gz", "b.gz");
    append_file(fx, "in.csv.gz", "\x1F junk", 6);
    assert_int_equal(drain(fx, bd, &rows), XC_EIO);
    snprintf(want, sizeof want, "read failed: bytes after the end of the gzip data, from byte "
             "offset %ld, do not start a gzip member", a_len + b_len);
    assert_non_null(strstr(fx->err.msg, want));
    static const char pad[] = {0, 0, 0, 0};
    write_file(fx, "in.csv.gz", "", 0);
    append_copy(fx, "in.csv.gz", "a.gz");
    append_copy(fx, "in.csv.gz", "b.gz");
    append_file(fx, "in.csv.gz", pad, sizeof pad);
    assert_int_equal(drain(fx, bd, &rows), XC_DONE);
    assert_int_equal(rows, 3);
    append_file(fx, "in.csv.gz", "\x1F\x8B", 2);
    assert_int_equal(drain(fx, bd, &rows), XC_EIO);
    snprintf(want, sizeof want, "from byte offset %ld, do not start a gzip member",
             a_len + b_len + 4);
    assert_non_null(strstr(fx->err.msg, want));

    /* a damaged method byte and reserved flag bits */
    write_file(fx, "in.csv.gz", "", 0);
    append_copy(fx, "in.csv.gz", "a.gz");
    append_copy(fx, "in.csv.gz", "b.gz");
    poke(fx, "in.csv.gz", a_len + 2, 7);
    assert_int_equal(drain(fx, bd, &rows), XC_EIO);
    snprintf(want, sizeof want, "the gzip member that starts at byte offset %ld is corrupt "
             "near byte offset %ld (unknown compression method)", a_len, a_len + 4);
    assert_non_null(strstr(fx->err.msg, want));
    poke(fx, "in.csv.gz", a_len + 2, 8);
    poke(fx, "in.csv.gz", a_len + 3, 0x20);
    assert_int_equal(drain(fx, bd, &rows), XC_EIO);
    snprintf(want, sizeof want, "the gzip member that starts at byte offset %ld is corrupt "
             "near byte offset %ld (unknown header flags set)", a_len, a_len + 4);
    assert_non_null(strstr(fx->err.msg, want));

    /* a header cut short */
    write_file(fx, "in.csv.gz", "", 0);
    append_copy(fx, "in.csv.gz", "a.gz");
    append_file(fx, "in.csv.gz", "\x1F\x8B\x08\x00\x00", 5);
    assert_int_equal(drain(fx, bd, &rows), XC_EIO);
    snprintf(want, sizeof want, "the gzip data ends at byte offset %ld inside the member that "
             "starts at byte offset %ld", a_len + 5, a_len);
    assert_non_null(strstr(fx->err.msg, want));
}

static void test_file_reads_a_gzip_member_of_a_thousandfold_ratio(void **state)
{
    fixture *fx = *state;
    /* 64 MiB of blank lines between two rows: the member is some 64 KiB */
    size_t blank = 64u << 20;
    static const char head[] = MEMBER_HEADER "\nA1,x,n1,self\n", tail[] = "A2,y,n2,spouse\n";
    size_t len = sizeof head - 1 + blank + sizeof tail - 1;
    char *text = malloc(len);
    assert_non_null(text);
    memcpy(text, head, sizeof head - 1);
    memset(text + sizeof head - 1, '\n', blank);
    memcpy(text + sizeof head - 1 + blank, tail, sizeof tail - 1);
    write_gzip(fx, "in.csv.gz", text, len);
    free(text);
    assert_true(file_size(fx, "in.csv.gz") < 100000);
    const xc_binding *bd = bind_member(fx, "path = in.csv.gz\n" MEMBER_FIELDS);
    long rows;
    assert_int_equal(drain(fx, bd, &rows), XC_DONE);
    assert_int_equal(rows, 2);
    assert_int_equal(fx->src->physical_rows, (long)blank + 3);
}

/* ---- text that cannot be true ---- */

static void test_record_rejects_control_characters_in_text(void **state)
{
    fixture *fx = *state;
    static const char text[] =
        MEMBER_HEADER "\n"
        "A1," ID_1 ",王\0五,self\n"            /* 2: NUL */
        "A2," ID_1 ",Wang\tFang,self\n"         /* 3: tab: kept */
        "A3," ID_1 ",Li\x7F,self\n"             /* 4: DEL */
        "A4," ID_1 ",Zhao\xC2\x85,self\n"       /* 5: C1 (NEL) */
        "A5," ID_1 ",\"Qian\x01\",self\n";      /* 6: C0 in a quoted field */
    write_file(fx, "in.csv", text, sizeof text - 1);
    open_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    xc_raw_row row;
    xc_record rec;
    xc_reject rej;
    const xc_binding *b = &fx->cfg->ds[XC_DS_MEMBER];
    static const char *const reasons[] = {
        "control character U+0000 at byte 4 of name: text cannot hold it", NULL,
        "control character U+007F at byte 3 of name: text cannot hold it",
        "control character U+0085 at byte 5 of name: text cannot hold it",
        "control character U+0001 at byte 5 of name: text cannot hold it"};
    for (int i = 0; i < 5; i++) {
        next_row(fx, &row);
        assert_null(row.problem);
        int rc = xc_record_convert(b, xc_date_from_ymd(2026, 6, 30), xc_date_from_ymd(2026, 6, 30), &row, &rec, &rej);
        if (!reasons[i]) {
            assert_int_equal(rc, 0);
            assert_int_equal(rec.v[XC_MB_NAME].len, 9);
            continue;
        }
        assert_int_equal(rc, -1);
        assert_int_equal(rej.field, XC_MB_NAME);
        assert_string_equal(rej.reason, reasons[i]);
    }
    assert_done(fx);

    /* 2026-12-01: the name was cut at the NUL; the reject file shows it */
    open_ingest(fx, b);
    while (xc_ingest_next(fx->in, &rec, &fx->err) == XC_OK)
        xc_ingest_count(fx->in, true);
    assert_int_equal(xc_ingest_finish(fx->in, &fx->err), XC_OK);
    assert_int_equal(xc_ingest_counts(fx->in)->rejected, 4);
    char path[256];
    path_of(fx, "rejects/member.csv", path);
    char *got = read_back(path);
    assert_non_null(strstr(got, ",2,name,control character U+0000 at byte 4 of name: text "
                           "cannot hold it,王<U+0000>五\n"));
    assert_non_null(strstr(got, ",5,name,control character U+0085 at byte 5 of name: text "
                           "cannot hold it,Zhao<U+0085>\n"));
    free(got);
}

/* ---- an encoding that does not fit ---- */

static void test_file_reports_utf8_text_bound_as_gb18030(void **state)
{
    fixture *fx = *state;
    write_text(fx, "in.csv",
               "档案号,身份证号,姓名,关系\n"
               "A1,x,张三,self\n");
    const xc_binding *b = bind_member(fx, "path = in.csv\nencoding = gb18030\n"
                                      "field.archive_no = 档案号\nfield.id_no = 身份证号\n"
                                      "field.name = 姓名\nfield.relation = 关系\n");
    assert_int_equal(xc_source_open(b, &fx->src, &fx->err), XC_EINPUT);
    char path[256];
    path_of(fx, "in.csv", path);
    assert_non_null(strstr(fx->err.msg, path));
    assert_non_null(strstr(fx->err.msg, "is UTF-8, not GB18030"));
    assert_string_equal(fx->err.hint, "set encoding = utf-8 in the [member] section");
    assert_int_equal(fx->err.row, 1);
}

static void test_file_reports_gb18030_text_bound_as_utf8(void **state)
{
    fixture *fx = *state;
    char text[512];
    size_t len = 0;
    append(text, &len, MEMBER_HEADER "\n");
    append_gb18030(text, &len, "A1,x,张三,self\nA2,y,李四,spouse\n");
    write_file(fx, "in.csv", text, len);
    const xc_binding *b = bind_member(fx, "path = in.csv\n" MEMBER_FIELDS);
    assert_int_equal(xc_source_open(b, &fx->src, &fx->err), XC_EINPUT);
    assert_non_null(strstr(fx->err.msg, "is not UTF-8: its text (from line 2) reads as "
                           "GB18030"));
    assert_string_equal(fx->err.hint, "set encoding = gb18030 in the [member] section");
    assert_int_equal(fx->err.row, 2);
}

static void test_file_hints_at_the_encoding_of_a_garbled_header(void **state)
{
    fixture *fx = *state;
    /* GB18030 column names taken for Latin-1 and written as UTF-8 */
    write_text(fx, "in.csv",
               "µµ°¸ºÅ,Éí·ÝÖ¤ºÅ,ÐÕÃû,¹ØÏµ\n"
               "A1,x,n1,self\n");
    const xc_binding *b = bind_member(fx, "path = in.csv\n"
                                      "field.archive_no = 档案号\nfield.id_no = 身份证号\n"
                                      "field.name = 姓名\nfield.relation = 关系\n");
    assert_int_equal(xc_source_open(b, &fx->src, &fx->err), XC_EINPUT);
    assert_non_null(strstr(fx->err.msg, "is not in the header"));
    assert_non_null(strstr(fx->err.hint, "encoding = gb18030"));
}

/* ---- paths that are no regular file ---- */

static void test_file_refuses_a_fifo_a_socket_and_a_device_without_blocking(void **state)
{
    fixture *fx = *state;
    char path[256];
    path_of(fx, "fifo.csv", path);
    assert_int_equal(mkfifo(path, 0600), 0);
    /* 2026-12-01: open(2) of a FIFO without a writer blocked the run */
    const xc_binding *b = bind_member(fx, "path = fifo.csv\n" MEMBER_FIELDS);
    assert_int_equal(xc_source_open(b, &fx->src, &fx->err), XC_EIO);
    assert_non_null(strstr(fx->err.msg, "is a FIFO (named pipe), not a regular file"));
    assert_non_null(strstr(fx->err.msg, path));
    assert_string_equal(fx->err.where, path);

    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    path_of(fx, "sock.csv", path);
    assert_true(strlen(path) < sizeof sa.sun_path);
    memcpy(sa.sun_path, path, strlen(path) + 1);
    int sd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(sd >= 0);
    assert_int_equal(bind(sd, (struct sockaddr *)&sa, sizeof sa), 0);
    b = bind_member(fx, "path = sock.csv\n" MEMBER_FIELDS);
    assert_int_equal(xc_source_open(b, &fx->src, &fx->err), XC_EIO);
    assert_non_null(strstr(fx->err.msg, "is a socket, not a regular file"));
    close(sd);

    b = bind_member(fx, "path = /dev/null\n" MEMBER_FIELDS);
    assert_int_equal(xc_source_open(b, &fx->src, &fx->err), XC_EIO);
    assert_non_null(strstr(fx->err.msg, "is a character device, not a regular file"));
}


int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_file_reads_quoted_fields_with_delimiters_quotes_and_line_breaks),
        T(test_file_reads_crlf_line_ends),
        T(test_file_reads_lone_cr_line_ends),
        T(test_file_skips_utf8_bom_before_a_quoted_header_name),
        T(test_file_matches_header_names_trimmed_and_in_any_case),
        T(test_file_splits_on_the_configured_delimiter),
        T(test_file_without_quoting_keeps_quote_characters),
        T(test_file_reads_numbered_columns_without_header),
        T(test_file_rejects_numbered_column_beyond_the_first_row),
        T(test_file_skips_blank_lines),
        T(test_file_reports_row_with_wrong_field_count),
        T(test_ingest_rejects_row_with_wrong_field_count_into_the_reject_file),
        T(test_file_reports_unterminated_quote_at_end_of_file),
        T(test_file_reports_unterminated_quote_on_the_last_line),
        T(test_file_reports_text_after_a_closing_quote),
        T(test_file_reports_invalid_utf8_in_a_mapped_field),
        T(test_ingest_writes_invalid_text_as_a_placeholder_in_the_reject_file),
        T(test_ingest_rejects_a_record_for_a_reason_of_the_caller),
        T(test_file_decodes_gb18030),
        T(test_file_splits_gb18030_on_pipe_despite_colliding_bytes),
        T(test_file_reports_invalid_gb18030_bytes_as_a_row_problem),
        T(test_file_reads_gzip_the_same_as_plain),
        T(test_file_decodes_gzip_compressed_gb18030),
        T(test_file_reports_truncated_gzip_as_io_error),
        T(test_file_reports_missing_file_at_open),
    T(test_file_ingest_leaves_nothing_when_its_rejects_cannot_be_made),
        T(test_file_reports_directory_at_open),
        T(test_file_reports_missing_column_at_open),
        T(test_file_reports_column_that_appears_twice_in_the_header),
        T(test_file_reports_empty_file_at_open),
        T(test_file_with_only_a_header_has_no_rows),
        T(test_file_reads_a_file_larger_than_the_read_chunk),
        T(test_file_reads_a_large_gzip_file_in_full),
        T(test_file_decodes_gb18030_characters_split_between_read_chunks),
        T(test_file_reads_random_rows_across_read_chunks_alike_plain_and_gzip),
        T(test_file_counts_physical_lines_apart_from_rows),
        T(test_file_rejects_only_the_line_of_a_stray_quote),
        T(test_file_keeps_a_legal_multi_line_field_and_rejects_text_after_a_stray_quote),
        T(test_file_rejects_a_stray_quote_across_read_chunks),
        T(test_file_reports_a_damaged_header),
        T(test_file_reads_every_member_of_a_multi_member_gzip),
        T(test_file_reports_bytes_after_the_gzip_data),
        T(test_file_reports_a_damaged_second_gzip_member),
        T(test_file_reads_and_faults_gzip_members_of_every_kind),
        T(test_file_reads_a_gzip_member_of_a_thousandfold_ratio),
        T(test_record_rejects_control_characters_in_text),
        T(test_file_reports_utf8_text_bound_as_gb18030),
        T(test_file_reports_gb18030_text_bound_as_utf8),
        T(test_file_hints_at_the_encoding_of_a_garbled_header),
        T(test_file_refuses_a_fifo_a_socket_and_a_device_without_blocking),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
