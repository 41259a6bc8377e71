/* table_xlsx.c - xc_table from a worksheet of an .xlsx workbook: the zip
 * read with minizip, its XML parts with expat. */
#include "table_impl.h"

#include <expat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unzip.h>

/* A part bigger than this is not a table people fill in by hand. */
#define PART_MAX ((size_t)256 << 20)

/* ---- the zip --------------------------------------------------------------- */

/* Reads the entry name whole. Returns XC_OK, XC_DONE when there is none,
 * or XC_EINPUT (damaged) / XC_ENOMEM. */
static int zip_part(unzFile z, const char *name, char **ret, size_t *ret_len)
{
    if (unzLocateFile(z, name, 1) != UNZ_OK)
        return XC_DONE;
    unz_file_info64 info;
    if (unzGetCurrentFileInfo64(z, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK ||
        info.uncompressed_size > PART_MAX || unzOpenCurrentFile(z) != UNZ_OK)
        return XC_EINPUT;
    size_t len = (size_t)info.uncompressed_size;
    char *buf = malloc(len + 1);
    if (!buf) {
        unzCloseCurrentFile(z);
        return XC_ENOMEM;
    }
    int n = len ? unzReadCurrentFile(z, buf, (unsigned)len) : 0;
    int closed = unzCloseCurrentFile(z);        /* checks the CRC */
    if (n < 0 || (size_t)n != len || closed != UNZ_OK) {
        free(buf);
        return XC_EINPUT;
    }
    buf[len] = '\0';
    *ret = buf;
    *ret_len = len;
    return XC_OK;
}

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
    xc_err *err;
    bool told;                   /* err says what the failure is */
    const char *part;            /* the part being parsed */
    xc_buf text;                 /* character data being collected */
    bool collect;
    /* workbook.xml and its relationships */
    const char *want_sheet;
    char *rid, *target;
    bool named;
    /* sharedStrings.xml */
    char **ss;
    size_t n_ss, cap_ss;
    int phonetic;                /* depth inside <rPh>: its text is left out */
    /* the worksheet */
    xc_table *t;
    long row, col;
    bool in_row, shared, in_is;
} sax;

static void fail(sax *s, int rc)
{
    if (s->rc == XC_OK)
        s->rc = rc;
    XML_StopParser(s->p, XML_FALSE);
}

static void on_text(void *user, const XML_Char *str, int len)
{
    sax *s = user;
    if (s->collect && !s->phonetic)
        xc_buf_append(&s->text, str, (size_t)len);
}

static char *take_text(sax *s)
{
    char *t = xc_buf_take(&s->text);
    if (!t)
        fail(s, XC_ENOMEM);
    return t;
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
        fail(s, XC_ENOMEM);
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
        fail(s, XC_ENOMEM);
        return;
    }
    if (target[0] == '/')
        snprintf(s->target, n, "%s", target + 1);
    else
        snprintf(s->target, n, "xl/%s", target);
}

/* sharedStrings.xml: each <si>'s text, its runs joined. */
static void ss_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    sax *s = user;
    (void)atts;
    const char *n = local(name);
    if (strcmp(n, "si") == 0) {
        s->collect = true;
        s->text.len = 0;
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
    if (s->n_ss == s->cap_ss) {
        size_t cap = s->cap_ss ? s->cap_ss * 2 : 256;
        char **ss = realloc(s->ss, cap * sizeof *ss);
        if (!ss) {
            fail(s, XC_ENOMEM);
            return;
        }
        s->ss = ss;
        s->cap_ss = cap;
    }
    char *text = take_text(s);
    if (text)
        s->ss[s->n_ss++] = text;
}

/* "BC12" -> 54 (zero-based), -1 when there are no letters. */
static long column_of(const char *ref)
{
    long col = 0;
    int n = 0;
    for (; *ref >= 'A' && *ref <= 'Z' && n < 4; ref++, n++)
        col = col * 26 + (*ref - 'A' + 1);
    return n ? col - 1 : -1;
}

static void sheet_start(void *user, const XML_Char *name, const XML_Char **atts)
{
    sax *s = user;
    const char *n = local(name);
    if (strcmp(n, "row") == 0) {
        const char *r = attr(atts, "r");
        s->row = r ? strtol(r, NULL, 10) : s->row + 1;
        s->col = -1;
        s->in_row = true;
        xc_table_row_begin(s->t, s->row);
    } else if (strcmp(n, "c") == 0) {
        const char *r = attr(atts, "r"), *type = attr(atts, "t");
        long col = r ? column_of(r) : -1;
        s->col = col >= 0 ? col : s->col + 1;
        s->shared = type && strcmp(type, "s") == 0;
        s->text.len = 0;
    } else if (strcmp(n, "v") == 0 || (strcmp(n, "t") == 0 && s->in_is)) {
        s->collect = true;
    } else if (strcmp(n, "is") == 0) {
        s->in_is = true;
    } else if (strcmp(n, "rPh") == 0)
        s->phonetic++;
}

static void put_cell(sax *s)
{
    char *text = take_text(s);
    if (!text)
        return;
    const char *value = text;
    if (s->shared) {
        char *end;
        unsigned long i = strtoul(text, &end, 10);
        if (end == text || *end || i >= s->n_ss) {
            free(text);
            fail(s, XC_EINPUT);
            return;
        }
        value = s->ss[i];
    }
    int rc = s->col >= 0 ? xc_table_put(s->t, (size_t)s->col, value, strlen(value), s->err)
           : XC_OK;
    if (rc < 0) {
        s->told = true;
        fail(s, rc);
    }
    free(text);
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
    else if (strcmp(n, "c") == 0 && s->in_row)
        put_cell(s);
    else if (strcmp(n, "row") == 0) {
        s->in_row = false;
        int rc = xc_table_row_end(s->t, s->err);
        if (rc < 0) {
            s->told = true;
            fail(s, rc);
        }
    }
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
    s->told = true;
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

/* Parses one part with the given handlers. */
static int parse(sax *s, const char *part, const char *xml, size_t len,
                 XML_StartElementHandler start, XML_EndElementHandler end, xc_err *err)
{
    s->p = XML_ParserCreate(NULL);
    if (!s->p)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    XML_SetUserData(s->p, s);
    XML_SetElementHandler(s->p, start, end);
    XML_SetCharacterDataHandler(s->p, on_text);
    XML_SetStartDoctypeDeclHandler(s->p, on_doctype);
    XML_SetEntityDeclHandler(s->p, on_entity);
    s->part = part;
    s->collect = false;
    s->text.len = 0;
    bool ok = XML_Parse(s->p, xml, (int)len, XML_TRUE) == XML_STATUS_OK;
    if (s->told)
        ;                       /* the handler that failed said why */
    else if (!ok && s->rc == XC_OK) {
        xc_err_set(err, XC_EINPUT, "damaged workbook: %s in %s", XML_ErrorString(
                   XML_GetErrorCode(s->p)), part);
        xc_err_detail(err, "line %lu of %s", (unsigned long)XML_GetCurrentLineNumber(s->p),
                      part);
        s->rc = XC_EINPUT;
    } else if (s->rc == XC_EINPUT) {
        xc_err_set(err, XC_EINPUT, "damaged workbook: a cell refers to a shared string "
                   "that %s does not have", "xl/sharedStrings.xml");
    } else if (s->rc == XC_ENOMEM)
        xc_err_set(err, XC_ENOMEM, "out of memory");
    XML_ParserFree(s->p);
    s->p = NULL;
    return s->rc;
}

/* Reads and parses one part; a missing part is damage unless optional. */
static int load_part(sax *s, unzFile z, const char *part, bool optional,
                     XML_StartElementHandler start, XML_EndElementHandler end, xc_err *err)
{
    char *xml;
    size_t len;
    int rc = zip_part(z, part, &xml, &len);
    if (rc == XC_DONE && optional)
        return XC_OK;
    if (rc == XC_ENOMEM)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    if (rc != XC_OK || len > INT32_MAX)
        return xc_err_set(err, XC_EINPUT, "damaged workbook: %s %s", part,
                          rc == XC_DONE ? "is missing" : "cannot be read");
    rc = parse(s, part, xml, len, start, end, err);
    free(xml);
    return rc;
}

static int read_book(sax *s, unzFile z, xc_err *err)
{
    int rc = load_part(s, z, "xl/workbook.xml", false, wb_start, NULL, err);
    if (rc >= 0 && !s->rid)
        rc = xc_err_set(err, XC_EINPUT, "the workbook has no worksheet");
    if (rc >= 0)
        rc = load_part(s, z, "xl/_rels/workbook.xml.rels", false, rels_start, NULL, err);
    if (rc >= 0 && !s->target)
        rc = xc_err_set(err, XC_EINPUT, "damaged workbook: no part for sheet %s", s->rid);
    if (rc >= 0)
        rc = load_part(s, z, "xl/sharedStrings.xml", true, ss_start, ss_end, err);
    if (rc >= 0)
        rc = load_part(s, z, s->target, false, sheet_start, sheet_end, err);
    return rc;
}

int xc_table_read_xlsx(const char *path, const char *sheet, xc_table **ret, xc_err *err)
{
    sax s = {.want_sheet = sheet, .err = err};
    if (xc_table_new(path, "xlsx", &s.t) < 0)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    int rc;
    unzFile z = unzOpen(path);
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
    for (size_t i = 0; i < s.n_ss; i++)
        free(s.ss[i]);
    free(s.ss);
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
