/* table_xlsx.c - xc_table from a worksheet of an .xlsx workbook: the zip
 * read with minizip, its XML parts with expat, each part parsed as it is
 * inflated so that no part is ever held whole. */
#include "table_impl.h"

#include <expat.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unzip.h>

/* ---- the parser's memory ----------------------------------------------------- */

/* Expat keeps a token it has not seen the end of (a tag with its
 * attributes, a name) whole in memory, however long: its allocations are
 * counted and refused past XC_TABLE_MAX_XML_MEM. Expat's allocator has no
 * context pointer, hence a count per thread. */
typedef union mem_head {
    max_align_t align;
    size_t size;
} mem_head;

static _Thread_local size_t xml_mem;
static _Thread_local bool xml_mem_refused;

static bool xml_mem_take(size_t more)
{
    if (more > XC_TABLE_MAX_XML_MEM - xml_mem) {
        xml_mem_refused = true;
        return false;
    }
    return true;
}

static void *xml_malloc(size_t size)
{
    if (!xml_mem_take(size))
        return NULL;
    mem_head *h = malloc(sizeof *h + size);
    if (!h)
        return NULL;
    h->size = size;
    xml_mem += size;
    return h + 1;
}

static void xml_free(void *p)
{
    if (!p)
        return;
    mem_head *h = (mem_head *)p - 1;
    xml_mem -= h->size;
    free(h);
}

static void *xml_realloc(void *p, size_t size)
{
    if (!p)
        return xml_malloc(size);
    mem_head *h = (mem_head *)p - 1;
    size_t old = h->size;
    if (size > old && !xml_mem_take(size - old))
        return NULL;
    mem_head *bigger = realloc(h, sizeof *bigger + size);
    if (!bigger)
        return NULL;
    bigger->size = size;
    xml_mem = xml_mem - old + size;
    return bigger + 1;
}

static const XML_Memory_Handling_Suite xml_suite = {xml_malloc, xml_realloc, xml_free};

/* ---- XML ------------------------------------------------------------------- */

static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(local(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

typedef struct sax {
    XML_Parser p;
    int rc;                      /* the first failure, XC_OK if none */
    xc_err *err;                 /* said by whoever failed first */
    const char *part;            /* the part being parsed */
    xc_buf text;                 /* character data being collected */
    bool collect;
    /* workbook.xml and its relationships */
    const char *want_sheet;
    char *rid, *target;
    bool named;
    /* sharedStrings.xml: trimmed, in the table's arena */
    const char **ss;
    uint32_t *ss_len;
    size_t n_ss, cap_ss;
    int phonetic;                /* depth inside <rPh>: its text is left out */
    /* the worksheet */
    xc_table *t;
    long row, col;               /* the last row and column seen, 0 and -1 at first */
    bool in_row, in_cell, shared, in_is;
} sax;

static void fail(sax *s, int rc)
{
    if (s->rc == XC_OK)
        s->rc = rc;
    if (s->p)
        XML_StopParser(s->p, XML_FALSE);
}

/* Fails the parse with "damaged workbook "path": what in part". */
static void damaged(sax *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void damaged(sax *s, const char *fmt, ...)
{
    char what[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    xc_err_set(s->err, XC_EINPUT, "damaged workbook \"%s\": %s in %s", s->t->path, what,
               s->part);
    if (s->p)
        xc_err_detail(s->err, "line %lu of %s", (unsigned long)XML_GetCurrentLineNumber(s->p),
                      s->part);
    fail(s, XC_EINPUT);
}

/* Fails with "damaged workbook "path": part what", before the part is
 * parsed. */
static int damaged_part(sax *s, const char *what)
{
    xc_err_set(s->err, XC_EINPUT, "damaged workbook \"%s\": %s %s", s->t->path, s->part, what);
    return s->rc = XC_EINPUT;
}

static void out_of_memory(sax *s)
{
    xc_err_set(s->err, XC_ENOMEM, "out of memory");
    fail(s, XC_ENOMEM);
}

static void text_reset(sax *s)
{
    s->text.len = 0;
    if (s->text.p)
        s->text.p[0] = '\0';
}

/* A text collected past this surely holds more than XC_TABLE_MAX_CELL
 * characters (four bytes each at most): it stops growing there. */
#define TEXT_MAX ((size_t)XC_TABLE_MAX_CELL * 4)

static void cell_too_long(sax *s)
{
    if (s->in_row)
        xc_table_refuse(s->t, s->row, s->err, "column %ld holds more than %d characters",
                        s->col + 1, XC_TABLE_MAX_CELL);
    else
        xc_table_refuse(s->t, 0, s->err, "shared string %zu of %s holds more than %d "
                        "characters", s->n_ss, s->part, XC_TABLE_MAX_CELL);
    fail(s, XC_EINPUT);
}

static void on_text(void *user, const XML_Char *str, int len)
{
    sax *s = user;
    if (!s->collect || s->phonetic)
        return;
    if (s->text.len + (size_t)len > TEXT_MAX) {
        cell_too_long(s);
        return;
    }
    xc_buf_append(&s->text, str, (size_t)len);
    if (s->text.failed)
        out_of_memory(s);
}

/* A DOCTYPE, and with it any entity declaration, stops the parse before
 * its first entity can be declared or referred to: no entity expands (a
 * "billion laughs" in a few hundred bytes) and none names a file outside the
 * workbook. Excel, WPS and LibreOffice write none. */
static void refuse_dtd(sax *s, const char *what)
{
    const char *path = s->t->path, *part = s->part;
    xc_err_set(s->err, XC_EINPUT, "\"%s\": %s holds %s", path, part, what);
    xc_err_detail(s->err, "line %lu of %s: the XML of a workbook has no document type, and "
                  "its entities could expand without bound or read other files",
                  (unsigned long)XML_GetCurrentLineNumber(s->p), part);
    xc_err_hint(s->err, "save the workbook again from the spreadsheet program, or send the "
                "sample as CSV");
    fail(s, XC_EINPUT);
}

static void on_doctype(void *user, const XML_Char *name, const XML_Char *sysid,
                       const XML_Char *pubid, int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    refuse_dtd(user, "a document type declaration (DOCTYPE)");
}

static void on_entity(void *user, const XML_Char *name, int is_parameter,
                      const XML_Char *value, int value_len, const XML_Char *base,
                      const XML_Char *sysid, const XML_Char *pubid, const XML_Char *notation)
{
    (void)name, (void)is_parameter, (void)value, (void)value_len, (void)base, (void)sysid;
    (void)pubid, (void)notation;
    refuse_dtd(user, "an entity declaration");
}

/* workbook.xml: the relationship id of the sheet named want_sheet, else of
 * the first sheet. */
static void wb_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    sax *s = user;
    if (strcmp(local(name), "sheet") != 0 || s->named)
        return;
    const char *id = attr(atts, "id"), *sheet = attr(atts, "name");
    bool named = sheet && s->want_sheet && strcmp(sheet, s->want_sheet) == 0;
    if (!id || (s->rid && !named))
        return;
    free(s->rid);
    if (!(s->rid = strdup(id)))
        out_of_memory(s);
    s->named = named;
}

static void rels_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    sax *s = user;
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
    if (strcmp(local(name), "Relationship") != 0 || !id || !target || strcmp(id, s->rid) != 0)
        return;
    free(s->target);
    size_t n = strlen(target) + 4;
    if (!(s->target = malloc(n))) {
        out_of_memory(s);
        return;
    }
    if (target[0] == '/')
        snprintf(s->target, n, "%s", target + 1);
    else
        snprintf(s->target, n, "xl/%s", target);
}

/* sharedStrings.xml: each <si>'s text, its runs joined. Its count
 * attribute is not believed: the array grows as strings come. */
static void ss_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    sax *s = user;
    (void)atts;
    const char *n = local(name);
    if (strcmp(n, "si") == 0) {
        s->collect = true;
        text_reset(s);
    } else if (strcmp(n, "rPh") == 0)
        s->phonetic++;
}

static void ss_end(void *user, const XML_Char *name)
{
    sax *s = user;
    const char *n = local(name);
    if (strcmp(n, "rPh") == 0) {
        s->phonetic--;
        return;
    }
    if (strcmp(n, "si") != 0)
        return;
    s->collect = false;
    if (s->n_ss == XC_TABLE_MAX_STRINGS) {
        xc_table_refuse(s->t, 0, s->err, "more than %zu shared strings in %s",
                        XC_TABLE_MAX_STRINGS, s->part);
        fail(s, XC_EINPUT);
        return;
    }
    if (s->n_ss == s->cap_ss) {
        size_t cap = s->cap_ss ? s->cap_ss * 2 : 256;
        const char **ss = realloc(s->ss, cap * sizeof *ss);
        if (ss)
            s->ss = ss;
        uint32_t *ss_len = realloc(s->ss_len, cap * sizeof *ss_len);
        if (ss_len)
            s->ss_len = ss_len;
        if (!ss || !ss_len) {
            out_of_memory(s);
            return;
        }
        s->cap_ss = cap;
    }
    size_t len = s->text.len;
    const char *text = xc_trim(s->text.p ? s->text.p : "", &len);
    if (len > XC_TABLE_MAX_CELL && xc_table_chars(text, len) > XC_TABLE_MAX_CELL) {
        cell_too_long(s);
        return;
    }
    /* Kept in the table's arena, and shown by every cell that refers to
     * it without a copy: a cell costs a pointer whatever its string. */
    const char *kept = len ? xc_arena_dup(&s->t->arena, text, len) : "";
    if (!kept) {
        out_of_memory(s);
        return;
    }
    s->ss[s->n_ss] = kept;
    s->ss_len[s->n_ss++] = (uint32_t)len;
}

/* The column (zero-based) of a cell reference "BC12": one to three capital
 * letters, then the row's digits. -1 when it is not one. */
static long column_of(const char *ref)
{
    long col = 0;
    int n = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++)
        if (++n > 3)
            return -1;
        else
            col = col * 26 + (*ref - 'A' + 1);
    size_t digits = strspn(ref, "0123456789");
    return n && digits && digits <= 7 && !ref[digits] ? col - 1 : -1;
}

/* A row number "12": digits only, -1 when it is not one. */
static long row_of(const char *r)
{
    size_t digits = strspn(r, "0123456789");
    return digits && digits <= 7 && !r[digits] ? strtol(r, NULL, 10) : -1;
}

/* "A", "XFD": the letters of column col (zero-based). */
static const char *column_name(long col, char buf[8])
{
    char rev[8];
    int n = 0;
    for (long c = col + 1; c > 0 && n < 7; c = (c - 1) / 26)
        rev[n++] = (char)('A' + (c - 1) % 26);
    for (int i = 0; i < n; i++)
        buf[i] = rev[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

/* Rows, and the cells of a row, must come in order (Excel writes them so
 * and reports a file that has them otherwise as damaged): a row or cell
 * that comes back would otherwise be a way to make a small part read long. */
static void row_start(sax *s, const char **atts)
{
    const char *r = attr(atts, "r");
    long row = r ? row_of(r) : s->row + 1;
    if (row < 1 || row > XC_TABLE_MAX_ROWS) {
        if (r)
            damaged(s, "row number \"%s\" (Excel's rows are 1 to %d)", r, XC_TABLE_MAX_ROWS);
        else
            damaged(s, "a row past row %d", XC_TABLE_MAX_ROWS);
        return;
    }
    if (row <= s->row) {
        damaged(s, "row %ld after row %ld", row, s->row);
        return;
    }
    s->row = row;
    s->col = -1;
    s->in_row = true;
    xc_table_row_begin(s->t, row);
}

static void cell_start(sax *s, const char **atts)
{
    const char *r = attr(atts, "r"), *type = attr(atts, "t");
    long col = r ? column_of(r) : s->col + 1;
    char a[8], b[8];
    if (col < 0) {
        damaged(s, "cell reference \"%s\" in row %ld", r, s->row);
        return;
    }
    if (col >= XC_TABLE_MAX_COLS) {
        xc_table_refuse(s->t, s->row, s->err, "cell %s is past column %s (%d columns)",
                        r ? r : column_name(col, a), column_name(XC_TABLE_MAX_COLS - 1, b),
                        XC_TABLE_MAX_COLS);
        fail(s, XC_EINPUT);
        return;
    }
    if (col <= s->col) {
        damaged(s, "cell %s after column %s in row %ld", r ? r : column_name(col, a),
                column_name(s->col, b), s->row);
        return;
    }
    s->col = col;
    s->in_cell = true;
    s->shared = type && strcmp(type, "s") == 0;
    text_reset(s);
}

static void sheet_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    sax *s = user;
    const char *n = local(name);
    if (strcmp(n, "row") == 0)
        row_start(s, atts);
    else if (strcmp(n, "c") == 0 && s->in_row)
        cell_start(s, atts);
    else if (strcmp(n, "v") == 0 || (strcmp(n, "t") == 0 && s->in_is))
        s->collect = s->in_cell;
    else if (strcmp(n, "is") == 0)
        s->in_is = true;
    else if (strcmp(n, "rPh") == 0)
        s->phonetic++;
}

static void put_cell(sax *s)
{
    const char *text = s->text.p ? s->text.p : "";
    int rc;
    if (s->shared) {
        char *end;
        unsigned long i = strtoul(text, &end, 10);
        if (end == text || *end || i >= s->n_ss) {
            char a[8];
            damaged(s, "cell %s%ld refers to shared string \"%.32s\", which "
                    "xl/sharedStrings.xml does not have", column_name(s->col, a), s->row, text);
            return;
        }
        rc = xc_table_put_kept(s->t, (size_t)s->col, s->ss[i], s->ss_len[i], s->err);
    } else
        rc = xc_table_put(s->t, (size_t)s->col, text, s->text.len, s->err);
    if (rc < 0)
        fail(s, rc);
}

static void sheet_end(void *user, const XML_Char *name)
{
    sax *s = user;
    const char *n = local(name);
    if (strcmp(n, "v") == 0 || strcmp(n, "t") == 0)
        s->collect = false;
    else if (strcmp(n, "is") == 0)
        s->in_is = false;
    else if (strcmp(n, "rPh") == 0)
        s->phonetic--;
    else if (strcmp(n, "c") == 0 && s->in_cell) {
        s->in_cell = false;
        put_cell(s);
    } else if (strcmp(n, "row") == 0 && s->in_row) {
        s->in_row = s->in_cell = false;
        int rc = xc_table_row_end(s->t, s->err);
        if (rc < 0)
            fail(s, rc);
    }
}

/* ---- a part, inflated as it is parsed ------------------------------------------ */

#define CHUNK 65536

/* The zip entry's declared sizes, before a byte of it is inflated: a part
 * larger than XC_TABLE_MAX_PART, or larger than deflate can make of its
 * compressed bytes (a zip bomb, or a size that lies), is refused. */
static int check_sizes(sax *s, const unz_file_info64 *info)
{
    const char *path = s->t->path;
    uint64_t size = info->uncompressed_size, packed = info->compressed_size;
    if (size > XC_TABLE_MAX_PART) {
        xc_err_set(s->err, XC_EINPUT, "\"%s\": %s is %llu bytes uncompressed, more than %zu "
                   "MiB", path, s->part, (unsigned long long)size, XC_TABLE_MAX_PART >> 20);
        xc_err_hint(s->err, "a filled-in sample is far smaller: is it the sample that xcheck "
                    "sample wrote?");
        return XC_EINPUT;
    }
    if (size / XC_TABLE_MAX_RATIO > packed) {
        xc_err_set(s->err, XC_EINPUT, "damaged workbook \"%s\": %s declares %llu bytes from "
                   "%llu compressed, more than deflate can make", path, s->part,
                   (unsigned long long)size, (unsigned long long)packed);
        xc_err_detail(s->err, "deflate makes at most %d bytes of each compressed byte",
                      XC_TABLE_MAX_RATIO);
        return XC_EINPUT;
    }
    return XC_OK;
}

/* Inflates the current entry into the parser, CHUNK bytes at a time; the
 * bytes inflated must be the size the entry declares and match its CRC. */
static int feed(sax *s, unzFile z, const unz_file_info64 *info)
{
    uint64_t total = 0;
    for (;;) {
        void *buf = XML_GetBuffer(s->p, CHUNK);
        if (!buf)
            break;
        int n = unzReadCurrentFile(z, buf, CHUNK);
        if (n < 0) {
            damaged(s, "compressed data that cannot be inflated");
            return s->rc;
        }
        total += (uint64_t)n;
        if (XML_ParseBuffer(s->p, n, n == 0) != XML_STATUS_OK || s->rc != XC_OK || n == 0)
            break;
    }
    if (s->rc == XC_OK && XML_GetErrorCode(s->p) != XML_ERROR_NONE) {
        if (XML_GetErrorCode(s->p) == XML_ERROR_NO_MEMORY && !xml_mem_refused)
            out_of_memory(s);
        else if (xml_mem_refused) {
            xc_err_set(s->err, XC_EINPUT, "\"%s\": %s holds a tag or name too large to read",
                       s->t->path, s->part);
            xc_err_detail(s->err, "line %lu of %s: the parser would need more than %zu MiB",
                          (unsigned long)XML_GetCurrentLineNumber(s->p), s->part,
                          XC_TABLE_MAX_XML_MEM >> 20);
            s->rc = XC_EINPUT;
        } else
            damaged(s, "%s", XML_ErrorString(XML_GetErrorCode(s->p)));
    }
    if (s->rc == XC_OK && total != info->uncompressed_size) {
        XML_ParserFree(s->p);       /* read to its end: no line to name */
        s->p = NULL;
        damaged(s, "%llu bytes where the zip entry declares %llu", (unsigned long long)total,
                (unsigned long long)info->uncompressed_size);
    }
    return s->rc;
}

/* Parses the part named name with the given handlers; a missing part is
 * damage unless optional. */
static int load_part(sax *s, unzFile z, const char *part, bool optional,
                     XML_StartElementHandler start, XML_EndElementHandler end)
{
    s->part = part;
    s->p = NULL;
    if (unzLocateFile(z, part, 1) != UNZ_OK)
        return optional ? XC_OK : damaged_part(s, "is missing");
    unz_file_info64 info;
    if (unzGetCurrentFileInfo64(z, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK)
        return damaged_part(s, "cannot be read");
    if ((s->rc = check_sizes(s, &info)) < 0)
        return s->rc;
    if (unzOpenCurrentFile(z) != UNZ_OK)
        return damaged_part(s, "cannot be opened");
    xml_mem = 0;
    xml_mem_refused = false;
    if (!(s->p = XML_ParserCreate_MM(NULL, &xml_suite, NULL))) {
        unzCloseCurrentFile(z);
        return xc_err_set(s->err, XC_ENOMEM, "out of memory");
    }
    XML_SetUserData(s->p, s);
    XML_SetElementHandler(s->p, start, end);
    XML_SetCharacterDataHandler(s->p, on_text);
    XML_SetStartDoctypeDeclHandler(s->p, on_doctype);
    XML_SetEntityDeclHandler(s->p, on_entity);
    s->collect = false;
    s->phonetic = 0;
    text_reset(s);
    int rc = feed(s, z, &info);
    if (s->p)
        XML_ParserFree(s->p);
    s->p = NULL;
    int closed = unzCloseCurrentFile(z);       /* checks the CRC of a part read whole */
    if (rc >= 0 && closed != UNZ_OK)
        damaged(s, "data that does not match its CRC");
    return s->rc;
}

static int read_book(sax *s, unzFile z, xc_err *err)
{
    int rc = load_part(s, z, "xl/workbook.xml", false, wb_start, NULL);
    if (rc >= 0 && !s->rid)
        rc = xc_err_set(err, XC_EINPUT, "\"%s\" has no worksheet", s->t->path);
    if (rc >= 0)
        rc = load_part(s, z, "xl/_rels/workbook.xml.rels", false, rels_start, NULL);
    if (rc >= 0 && !s->target)
        rc = xc_err_set(err, XC_EINPUT, "damaged workbook \"%s\": no part for sheet %s",
                        s->t->path, s->rid);
    if (rc >= 0)
        rc = load_part(s, z, "xl/sharedStrings.xml", true, ss_start, ss_end);
    if (rc >= 0)
        rc = load_part(s, z, s->target, false, sheet_start, sheet_end);
    return rc;
}

int xc_table_read_xlsx(const char *path, const char *sheet, xc_table **ret, xc_err *err)
{
    xc_err_clear(err);
    sax s = {.want_sheet = sheet, .err = err};
    if (xc_table_new(path, "xlsx", &s.t) < 0)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    int rc;
    unzFile z = unzOpen64(path);
    if (!z)
        rc = xc_err_set(err, XC_EINPUT, "\"%s\" is not an .xlsx workbook (not a zip file)",
                        path);
    else {
        rc = read_book(&s, z, err);
        unzClose(z);
    }
    if (rc >= 0 && !s.t->n_cols)
        rc = xc_err_set(err, XC_EINPUT, "\"%s\" has no header row", path);
    if (rc < 0 && err && !err->where[0])
        xc_err_at(err, path, 0, NULL);
    free(s.ss);
    free(s.ss_len);
    free(s.rid);
    free(s.target);
    xc_buf_free(&s.text);
    if (rc < 0) {
        xc_table_free(s.t);
        return rc;
    }
    *ret = s.t;
    return XC_OK;
}
