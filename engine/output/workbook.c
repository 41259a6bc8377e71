/*
 * workbook.c - report.xlsx: the run as an Excel workbook for people, with
 * Chinese headers, written through libxlsxwriter.
 *
 *   汇总          the run (as_of, audit period, profile, version, configuration
 *                 hash, run id, counts) and every rate in total and per
 *                 province / city / county / level: numerator, denominator,
 *                 rate (a percentage), threshold, 达标 / 未达标 / 未评估,
 *                 and the flags a verification kept out (已核实排除)
 *   入户核查清单  the households with a flag a visit confirms (错评, 漏退,
 *                 错退, 返困: xc_category_visited(), as xcheck sample's
 *                 flagged) and no verification in force for it yet
 *                 (disposition.h), by county then archive number: worker, masked
 *                 ID, region, cadre (帮扶干部, masked when an ID number),
 *                 the rules and summaries of those flags, each rule's 核查要点
 *                 (xc_rule.check_zh), and empty columns for the visit
 *                 (核查日期, 核查结果 with a 属实 / 不属实 drop-down, 核查人,
 *                 备注); desk checks (数据质量, 工作规范) stay in their
 *                 category sheets
 *   结对干部      with --visits-by-cadre: each cadre's list (a sheet "干部
 *                 <cadre>" after it, or a file visits/<cadre>.xlsx), the
 *                 cadre and the households; 未结对 for those without one
 *   错评, 漏退...  one sheet per flag category that a rule of this build can
 *                 raise (xc_category_label_zh), even when empty: every flag
 *                 with its rule, rule title, archive number, region, level,
 *                 person, masked ID, worker, dates, summary, and the
 *                 verification in force (核查处置: 已核实排除 / 已核实属实,
 *                 date, who, note)
 *   规则          every rule: category, evaluated or not (and why),
 *                 households looked at, not judged, flags
 *
 * Every sheet has a bold, filled header row that stays frozen, is repeated
 * on every printed page, and an autofilter over its table; it prints on A4
 * landscape, fit to the page's width, with page numbers. Text that could
 * look like a number (ID numbers, archive numbers, region codes) is
 * written as text. ID numbers are only
 * ever written masked (first 6 + ******** + last 4), whatever --full-ids.
 *
 * The same run gives the same bytes: the document's creation time is the
 * run's as_of at 00:00 UTC (not the time of writing), title and author are
 * fixed, and libxlsxwriter dates every zip entry 1980-01-01.
 */
#include "writers.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xcheck/idno.h"
#include "xcheck/region.h"
#include "present.h"
#include "xcheck/text.h"
#include "xlsx_write.h"

#define MAX_ROWS (LXW_ROW_MAX - 1)   /* data rows under one header row */

static const char *const outcome_values[] = {"属实", "不属实", NULL};

static const char *level_zh(uint8_t level, char *buf, size_t bufsz)
{
    xc_rate_row row = {.group = XC_GROUP_LEVEL, .code = level};
    return xc_rate_row_name(&row, buf, bufsz);
}

static const char *status_zh(uint8_t status)
{
    const char *zh = xc_value_label_zh(XC_DS_HOUSEHOLD, XC_HH_STATUS, status);
    return zh ? zh : "";
}

static const char *region_zh(uint32_t code)
{
    const char *name = xc_region_name(code);
    return name ? name : "";
}

static void region_code(uint32_t code, char buf[static 16])
{
    snprintf(buf, 16, "%06u", code);
}

/* The worker's masked ID as households.csv shows it ("" when invalid). */
static void worker_masked(const xc_household *hh, char out[static 32])
{
    out[0] = '\0';
    if (hh->worker_key) {
        char id[19];
        xc_id_unpack(hh->worker_key, id);
        xc_id_mask(id, out, 32);
    }
}

/* ---- 汇总 ---------------------------------------------------------------- */

static const char *group_zh(xc_group g)
{
    static const char *zh[] = {"合计", "省", "市", "区县", "级别"};
    return g <= XC_GROUP_LEVEL ? zh[g] : "";
}

static const char *rate_result_zh(const xc_rate_row *r)
{
    return xc_rate_result_zh(r);
}

static void put_pair(xc_xw *x, lxw_worksheet *ws, uint32_t row, uint16_t col, const char *key,
                     const char *value)
{
    xc_xw_str(x, ws, row, col, key, x->key);
    xc_xw_str(x, ws, row, (uint16_t)(col + 1), value, NULL);
}

static void put_count_pair(xc_xw *x, lxw_worksheet *ws, uint32_t row, uint16_t col,
                           const char *key, size_t n)
{
    xc_xw_str(x, ws, row, col, key, x->key);
    xc_xw_num(x, ws, row, (uint16_t)(col + 1), (double)n, NULL);
}

static void summary_head(xc_xw *x, lxw_worksheet *ws, const xc_run_result *res)
{
    char asof[11], from[11], period[40];
    xc_date_format(res->as_of, asof);
    xc_date_format(res->audit_from + 1, from);      /* the period is (audit_from, as_of] */
    snprintf(period, sizeof period, "%s 至 %s", from, asof);
    char title[320], scope[640];
    xc_xw_str(x, ws, 0, 0, xc_report_title(res, title, sizeof title), x->title);
    xc_xw_str(x, ws, 0, 4, xc_report_scope(res, scope, sizeof scope), NULL);
    put_pair(x, ws, 1, 0, "核查日期", asof);
    put_pair(x, ws, 1, 2, "审计期间", period);
    put_pair(x, ws, 1, 4, "政策参数", res->profile.name);
    put_pair(x, ws, 1, 6, "版本", res->version ? res->version : "");
    put_pair(x, ws, 1, 8, "配置哈希", res->config_hash);
    put_count_pair(x, ws, 2, 0, "在档户数", res->households_in_archive);
    put_count_pair(x, ws, 2, 2, "档案户数", res->households);
    put_count_pair(x, ws, 2, 4, "人数", res->persons);
    put_count_pair(x, ws, 2, 6, "疑点数", res->flags.n);
    if (res->dispositions.rows)
        put_count_pair(x, ws, 2, 10, "已核实排除", res->dispositions.excluded);
    put_pair(x, ws, 2, 8, "运行编号", res->run_id);
    char why[sizeof res->incomplete_why + 64];
    snprintf(why, sizeof why, "不完整，比率不能据此判定达标：%s", res->incomplete_why);
    put_pair(x, ws, 3, 0, "数据完整性", res->incomplete ? why : "完整");
}

static void write_summary(xc_xw *x, const xc_run_result *res)
{
    static const xc_xw_col cols[] = {
        {"比率", 16}, {"范围", 8}, {"代码", 12}, {"名称", 28}, {"分子", 10}, {"分母", 10},
        {"比率值", 10}, {"阈值", 10}, {"要求", 8}, {"结果", 18}, {"数据完整", 10},
        {"已核实排除", 12},
    };
    enum { HEAD = 4, N = sizeof cols / sizeof cols[0] };
    lxw_worksheet *ws = xc_xw_sheet(x, "汇总");
    summary_head(x, ws, res);               /* rows 0 to 3 before the header's */
    xc_xw_header(x, ws, HEAD, cols, N);
    uint32_t row = HEAD;
    for (size_t i = 0; i < res->n_rates && row < MAX_ROWS; i++) {
        const xc_rate_row *r = &res->rates[i];
        char code[16] = "", name[256];
        /* a region's code; the total and the levels have their name only
         * (2026-12-02: "all", "national" in a sheet for people) */
        if (r->group != XC_GROUP_TOTAL && r->group != XC_GROUP_LEVEL)
            xc_rate_row_code(r, code, sizeof code);
        xc_rate_row_name(r, name, sizeof name);
        row++;
        xc_xw_str(x, ws, row, 0, xc_rate_label_zh(r->rate), NULL);
        xc_xw_str(x, ws, row, 1, group_zh(r->group), NULL);
        xc_xw_str(x, ws, row, 2, code, NULL);
        xc_xw_str(x, ws, row, 3, name, NULL);
        xc_xw_num(x, ws, row, 4, (double)r->numerator, NULL);
        xc_xw_num(x, ws, row, 5, (double)r->denominator, NULL);
        if (r->evaluated && r->denominator)
            xc_xw_num(x, ws, row, 6, (double)r->numerator / (double)r->denominator, x->pct);
        xc_xw_num(x, ws, row, 7, r->threshold, x->pct);
        xc_xw_str(x, ws, row, 8, xc_rate_is_max(r->rate) ? "≤" : "≥", NULL);
        xc_xw_str(x, ws, row, 9, rate_result_zh(r), NULL);
        xc_xw_str(x, ws, row, 10, r->complete ? "是" : "否（见数据完整性）", NULL);
        xc_xw_num(x, ws, row, 11, (double)r->excluded, NULL);
    }
    xc_xw_filter(x, ws, HEAD, row, N);
}

/* ---- 入户核查清单 --------------------------------------------------------- */

typedef struct visit_key {
    const char *cadre;          /* NULL: unpaired */
    uint32_t region;
    const char *archive_no;
    uint32_t h;
} visit_key;

static int visit_cmp(const void *pa, const void *pb)
{
    const visit_key *a = pa, *b = pb;
    if (a->region != b->region)
        return a->region < b->region ? -1 : 1;
    return strcmp(a->archive_no, b->archive_no);
}

/* By cadre (the unpaired last), then as visit_cmp(). */
static int cadre_cmp(const void *pa, const void *pb)
{
    const visit_key *a = pa, *b = pb;
    if (!a->cadre != !b->cadre)
        return a->cadre ? -1 : 1;
    int c = a->cadre ? strcmp(a->cadre, b->cadre) : 0;
    return c ? c : visit_cmp(pa, pb);
}

static bool same_cadre(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

/* Whether flag fl is one to visit for: of a category a visit confirms
 * (xc_category_visited()), and not verified yet (no disposition in force). */
static bool to_visit(const xc_flag *fl)
{
    return xc_category_visited(fl->category) && !fl->disposition;
}

/* Whether household h has a flag to visit for. */
static bool visit_household(const xc_run_result *res, const xc_household_flags *hf, uint32_t h)
{
    for (uint32_t i = hf->first[h]; i != XC_NONE; i = hf->next[i])
        if (to_visit(&res->flags.v[i]))
            return true;
    return false;
}

/* The rules, categories, summaries and 核查要点 of household h's flags that
 * a visit confirms, joined (each rule's 核查要点 once). */
static void joined_flags(const xc_run_result *res, const xc_household_flags *hf, uint32_t h,
                         xc_buf *rules, xc_buf *cats, xc_buf *sums, xc_buf *checks,
                         unsigned *ret_n)
{
    unsigned n = 0, seen = 0;
    const xc_rule *done[16];
    unsigned n_done = 0;
    for (uint32_t i = hf->first[h]; i != XC_NONE; i = hf->next[i]) {
        const xc_flag *fl = &res->flags.v[i];
        if (!to_visit(fl))
            continue;                                 /* a desk check, or verified */
        xc_buf_printf(rules, "%s%s", n ? ";" : "", fl->rule->id);
        xc_buf_printf(sums, "%s%s：%s", n ? "\n" : "", fl->rule->id, fl->summary);
        if (!(seen & 1u << fl->category)) {
            xc_buf_printf(cats, "%s%s", seen ? "、" : "", xc_category_label_zh(fl->category));
            seen |= 1u << fl->category;
        }
        unsigned k = 0;
        while (k < n_done && done[k] != fl->rule)
            k++;
        if (k == n_done) {
            xc_buf_printf(checks, "%s%s：%s", n_done ? "\n" : "", fl->rule->id,
                          fl->rule->check_zh ? fl->rule->check_zh : fl->rule->title_zh);
            if (n_done < sizeof done / sizeof done[0])
                done[n_done++] = fl->rule;
        }
        n++;
    }
    *ret_n = n;
}

static void visit_row(xc_xw *x, lxw_worksheet *ws, uint32_t row, const xc_run_result *res,
                      const xc_household_flags *hf, uint32_t h)
{
    const xc_household *hh = xc_archive_household(res->archive, h);
    char code[16], masked[32], level[32];
    region_code(hh->region, code);
    worker_masked(hh, masked);
    xc_buf rules = {0}, cats = {0}, sums = {0}, checks = {0};
    unsigned n;
    joined_flags(res, hf, h, &rules, &cats, &sums, &checks, &n);
    char *rs = xc_buf_take(&rules), *cs = xc_buf_take(&cats), *ss = xc_buf_take(&sums);
    char *ks = xc_buf_take(&checks);
    if (!rs || !cs || !ss || !ks)
        x->failed = LXW_ERROR_MEMORY_MALLOC_FAILED;
    xc_xw_num(x, ws, row, 0, row, NULL);
    xc_xw_str(x, ws, row, 1, code, x->wrap);
    xc_xw_str(x, ws, row, 2, region_zh(hh->region), x->wrap);
    xc_xw_str(x, ws, row, 3, hh->archive_no, x->wrap);
    xc_xw_str(x, ws, row, 4, hh->worker_name, x->wrap);
    xc_xw_str(x, ws, row, 5, masked, x->wrap);
    xc_xw_str(x, ws, row, 6, level_zh(hh->level, level, sizeof level), x->wrap);
    xc_xw_str(x, ws, row, 7, status_zh(hh->status), x->wrap);
    /* The cadre's ID as the data holds it, masked by xc_xw_str() when it
     * is an ID number. */
    xc_xw_str(x, ws, row, 8, hh->cadre_id ? hh->cadre_id : "未结对", x->wrap);
    xc_xw_num(x, ws, row, 9, n, NULL);
    xc_xw_str(x, ws, row, 10, rs, x->wrap);
    xc_xw_str(x, ws, row, 11, cs, x->wrap);
    xc_xw_str(x, ws, row, 12, ss, x->wrap);
    xc_xw_str(x, ws, row, 13, ks, x->wrap);
    free(rs);
    free(cs);
    free(ss);
    free(ks);
}

/* One visit list: the households keys[0..n) on a sheet of that name. */
static void write_visit_sheet(xc_xw *x, const xc_run_result *res, const xc_household_flags *hf,
                              const char *name, const visit_key *keys, size_t n)
{
    static const xc_xw_col cols[] = {
        {"序号", 6}, {"区县代码", 10}, {"地区", 26}, {"档案编号", 16}, {"职工姓名", 10},
        {"身份证号（脱敏）", 21}, {"级别", 8}, {"状态", 8}, {"帮扶干部", 14}, {"疑点数", 7},
        {"疑点规则", 22}, {"疑点类别", 14}, {"疑点摘要", 70}, {"核查要点", 60},
        {"核查日期", 12}, {"核查结果", 10}, {"核查人", 10}, {"备注", 30},
    };
    enum { N = sizeof cols / sizeof cols[0], COL_DATE = 14, COL_OUTCOME = 15 };
    lxw_worksheet *ws = xc_xw_sheet(x, name);
    xc_xw_header(x, ws, 0, cols, N);
    uint32_t row = 0;
    for (size_t i = 0; i < n && row < MAX_ROWS; i++)
        visit_row(x, ws, ++row, res, hf, keys[i].h);
    if (ws && row > 0) {
        worksheet_set_column(ws, COL_DATE, COL_DATE, cols[COL_DATE].width, x->date);
        xc_xw_list(x, ws, 1, row, COL_OUTCOME, outcome_values, "核查结果",
                   "属实：疑点经入户核查属实；不属实：核查未发现该问题");
    }
    xc_xw_filter(x, ws, 0, row, N);
}

/* The households a visit is for (a flag xc_category_visited()), in *ret
 * (caller frees), by county and archive number. */
static int visit_keys(const xc_run_result *res, const xc_household_flags *hf, visit_key **ret,
                      size_t *ret_n)
{
    size_t n_hh = xc_archive_households(res->archive), n = 0;
    visit_key *keys = malloc((n_hh ? n_hh : 1) * sizeof *keys);
    if (!keys)
        return XC_ENOMEM;
    for (uint32_t h = 0; h < n_hh; h++)
        if (hf->first[h] != XC_NONE && visit_household(res, hf, h)) {
            const xc_household *hh = xc_archive_household(res->archive, h);
            keys[n++] = (visit_key){hh->cadre_id, hh->region, hh->archive_no, h};
        }
    qsort(keys, n, sizeof *keys, visit_cmp);
    *ret = keys;
    *ret_n = n;
    return XC_OK;
}

/* ---- one visit list per cadre --------------------------------------------- */

/* The cadre's ID as a label: masked when it is an ID number, each of
 * `bad` and every control character made '_', at most `max` characters,
 * after `prefix`; "未结对" for none. */
static void cadre_label(const char *cadre, const char *prefix, const char *bad, size_t max,
                        char *out, size_t outsz)
{
    if (!cadre) {
        snprintf(out, outsz, "未结对");
        return;
    }
    size_t len = strlen(cadre);
    xc_buf tmp = {0}, b = {0};
    const char *s = xc_masked(cadre, &len, false, &tmp);
    xc_buf_printf(&b, "%s", prefix);
    for (size_t i = 0, chars = 0; s && i < len && chars < max; chars++) {
        size_t k = 1;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80)
            while (i + k < len && ((unsigned char)s[i + k] & 0xC0) == 0x80)
                k++;
        if (c < 0x20 || c == 0x7F || strchr(bad, c) || (i == 0 && c == '.' && !*prefix))
            xc_buf_append(&b, "_", 1);
        else
            xc_buf_append(&b, s + i, k);
        i += k;
    }
    char *t = xc_buf_take(&b);
    snprintf(out, outsz, "%s", t && *t ? t : "干部");
    free(t);
    xc_buf_free(&tmp);
}

/* Makes name differ from names[0..n) (Excel and some file systems compare
 * them ignoring ASCII case) by " 2", " 3"..., put before `ext`. */
static void unique_name(char *name, size_t namesz, char (*names)[128], size_t n,
                        const char *ext)
{
    char base[100];
    size_t el = strlen(ext), len = strlen(name);
    snprintf(base, sizeof base, "%.*s", (int)(len - el), name);
    for (unsigned k = 2;; k++) {
        size_t i = 0;
        while (i < n && strcasecmp(names[i], name) != 0)
            i++;
        if (i == n)
            return;
        snprintf(name, namesz, "%s %u%s", base, k, ext);
    }
}

/* One cadre's visit list as a workbook of its own, dir/name. */
static int write_cadre_file(const xc_run_result *res, const xc_household_flags *hf,
                            const char *dir, const char *name, const visit_key *keys, size_t n,
                            xc_err *err)
{
    xc_xw y;
    int rc = xc_xw_open(&y, dir, name, res->as_of, "入户核查清单", true, err);
    if (rc < 0)
        return rc;
    write_visit_sheet(&y, res, hf, "入户核查清单", keys, n);
    return xc_xw_close(&y, err);
}

/* The visit list once more per cadre (keys sorted by cadre_cmp()): the
 * sheet 结对干部 with each cadre's sheet or file, masked ID and
 * households; then one sheet per cadre, or one file visits/<cadre>.xlsx. */
static int write_by_cadre(xc_xw *x, const xc_run_result *res, const xc_household_flags *hf,
                          const char *outdir, visit_key *keys, size_t n, xc_err *err)
{
    bool files = res->visits_by_cadre == XC_VISITS_BY_CADRE_FILE;
    qsort(keys, n, sizeof *keys, cadre_cmp);
    size_t groups = 0;
    for (size_t i = 0; i < n; i++)
        groups += i == 0 || !same_cadre(keys[i].cadre, keys[i - 1].cadre);
    char (*names)[128] = malloc((groups ? groups : 1) * sizeof *names);
    size_t *first = malloc((groups + 1) * sizeof *first);
    if (!names || !first) {
        free(names);
        free(first);
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    }
    size_t g = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || !same_cadre(keys[i].cadre, keys[i - 1].cadre)) {
            if (files) {
                /* no path separator, nothing Windows refuses in a name */
                cadre_label(keys[i].cadre, "", "/\\:*?\"<>|", 60, names[g], sizeof names[g]);
                strcat(names[g], ".xlsx");
            } else {
                /* Excel's sheet names: at most 31 characters, none of []:*?/\ */
                cadre_label(keys[i].cadre, "干部 ", "[]:*?/\\'", 25, names[g], sizeof names[g]);
            }
            unique_name(names[g], sizeof names[g], names, g, files ? ".xlsx" : "");
            first[g++] = i;
        }
    first[g] = n;
    static const xc_xw_col cols[] = {
        {"序号", 6}, {"核查清单", 34}, {"帮扶干部", 24}, {"核查户数", 10},
    };
    enum { N = sizeof cols / sizeof cols[0] };
    lxw_worksheet *ws = xc_xw_sheet(x, "结对干部");
    xc_xw_header(x, ws, 0, cols, N);
    for (size_t i = 0; i < g; i++) {
        const char *cadre = keys[first[i]].cadre;
        char where[160];
        snprintf(where, sizeof where, "%s%s", files ? "visits/" : "", names[i]);
        xc_xw_num(x, ws, (uint32_t)i + 1, 0, (double)(i + 1), NULL);
        xc_xw_str(x, ws, (uint32_t)i + 1, 1, where, NULL);
        xc_xw_str(x, ws, (uint32_t)i + 1, 2, cadre ? cadre : "未结对", NULL);
        xc_xw_num(x, ws, (uint32_t)i + 1, 3, (double)(first[i + 1] - first[i]), NULL);
    }
    xc_xw_filter(x, ws, 0, (uint32_t)g, N);
    int rc = XC_OK;
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/visits", outdir);
    if (files && g > 0)
        rc = xc_output_dir(dir, XC_OUTDIR_PRIVATE, err);
    for (size_t i = 0; i < g && rc == XC_OK; i++) {
        if (files)
            rc = write_cadre_file(res, hf, dir, names[i], keys + first[i],
                                  first[i + 1] - first[i], err);
        else
            write_visit_sheet(x, res, hf, names[i], keys + first[i], first[i + 1] - first[i]);
    }
    free(names);
    free(first);
    return rc;
}

static int write_visits(xc_xw *x, const xc_run_result *res, const xc_household_flags *hf,
                        const char *outdir, xc_err *err)
{
    visit_key *keys;
    size_t n;
    if (visit_keys(res, hf, &keys, &n) < 0)
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    write_visit_sheet(x, res, hf, "入户核查清单", keys, n);
    int rc = XC_OK;
    if (res->visits_by_cadre != XC_VISITS_BY_CADRE_NONE)
        rc = write_by_cadre(x, res, hf, outdir, keys, n, err);
    free(keys);
    return rc;
}

/* ---- one sheet per category ---------------------------------------------- */

/* A flag's household, or NULL for one about someone in no household of the
 * archive (a payment's recipient, a candidate). */
static const xc_household *flag_household(const xc_run_result *res, const xc_flag *fl)
{
    return fl->household == XC_NONE ? NULL : xc_archive_household(res->archive, fl->household);
}

static void flag_row(xc_xw *x, lxw_worksheet *ws, uint32_t row, const xc_run_result *res,
                     const xc_flag *fl)
{
    const xc_household *hh = flag_household(res, fl);
    uint32_t region = hh ? hh->region : fl->region;
    char code[16] = "", masked[32], level[32] = "";
    if (region)
        region_code(region, code);
    xc_flag_masked_id(res->archive, fl, masked);
    const char *person = fl->person != XC_NONE
                       ? xc_archive_person(res->archive, fl->person)->name
                       : hh ? hh->worker_name : "";
    xc_xw_str(x, ws, row, 0, fl->rule->id, NULL);
    xc_xw_str(x, ws, row, 1, fl->rule->title_zh, NULL);
    xc_xw_str(x, ws, row, 2, hh ? hh->archive_no : "", NULL);
    xc_xw_str(x, ws, row, 3, code, NULL);
    xc_xw_str(x, ws, row, 4, region ? region_zh(region) : "", NULL);
    xc_xw_str(x, ws, row, 5, hh ? level_zh(hh->level, level, sizeof level) : "", NULL);
    xc_xw_str(x, ws, row, 6, person, NULL);
    xc_xw_str(x, ws, row, 7, masked, NULL);
    xc_xw_str(x, ws, row, 8, hh ? hh->worker_name : "", NULL);
    xc_xw_date(x, ws, row, 9, hh ? hh->enrolled_on : XC_NO_DATE);
    xc_xw_date(x, ws, row, 10, hh ? hh->exited_on : XC_NO_DATE);
    xc_xw_date(x, ws, row, 11, fl->from);
    xc_xw_date(x, ws, row, 12, fl->to);
    xc_xw_str(x, ws, row, 13, fl->summary, NULL);
    if (fl->disposition) {
        xc_buf d = {0};
        xc_flag_disposition_text(res, fl, true, &d);
        xc_xw_str(x, ws, row, 14, d.failed ? "" : d.p, NULL);
        xc_buf_free(&d);
    }
}

static void write_category(xc_xw *x, const xc_run_result *res, xc_category c)
{
    static const xc_xw_col cols[] = {
        {"规则", 18}, {"规则名称", 36}, {"档案编号", 16}, {"区县代码", 10}, {"地区", 26},
        {"级别", 8}, {"涉及人员", 10}, {"身份证号（脱敏）", 21}, {"职工姓名", 10},
        {"建档日期", 12}, {"退档日期", 12}, {"条件起始", 12}, {"条件终止", 12}, {"摘要", 100},
        {"核查处置", 40},
    };
    enum { N = sizeof cols / sizeof cols[0] };
    lxw_worksheet *ws = xc_xw_sheet(x, xc_category_label_zh(c));
    xc_xw_header(x, ws, 0, cols, N);
    uint32_t row = 0;
    for (size_t i = 0; i < res->flags.n && row < MAX_ROWS; i++)
        if (res->flags.v[i].category == c)
            flag_row(x, ws, ++row, res, &res->flags.v[i]);
    xc_xw_filter(x, ws, 0, row, N);
}

/* The categories a rule of this build can raise, as a bit set. */
static unsigned catalogue_categories(void)
{
    size_t n;
    const xc_rule *const *rules = xc_rules(&n);
    unsigned set = 0;
    for (size_t i = 0; i < n; i++) {
        set |= 1u << rules[i]->category;
        if (rules[i]->split)
            set |= 1u << XC_CAT_MIS_ENROLLMENT | 1u << XC_CAT_MISSED_EXIT;
    }
    return set;
}

/* ---- 规则 ---------------------------------------------------------------- */

static void write_rules(xc_xw *x, const xc_run_result *res)
{
    static const xc_xw_col cols[] = {
        {"规则", 18}, {"规则名称", 40}, {"类别", 12}, {"是否评估", 10}, {"未评估原因", 30},
        {"核查户数", 10}, {"无法判断户数", 12}, {"疑点数", 8},
    };
    enum { N = sizeof cols / sizeof cols[0] };
    lxw_worksheet *ws = xc_xw_sheet(x, "规则");
    xc_xw_header(x, ws, 0, cols, N);
    uint32_t row = 0;
    for (size_t i = 0; i < res->n_rules; i++) {
        const xc_rule_result *r = &res->rules[i];
        row++;
        xc_xw_str(x, ws, row, 0, r->rule->id, NULL);
        xc_xw_str(x, ws, row, 1, r->rule->title_zh, NULL);
        xc_xw_str(x, ws, row, 2, r->rule->split ? "错评/漏退"
                  : xc_category_label_zh(r->rule->category), NULL);
        xc_xw_str(x, ws, row, 3, r->evaluated ? "是" : "否", NULL);
        xc_xw_str(x, ws, row, 4, r->evaluated ? "" : r->why_not, NULL);
        xc_xw_num(x, ws, row, 5, (double)r->households, NULL);
        xc_xw_num(x, ws, row, 6, (double)r->not_judged, NULL);
        xc_xw_num(x, ws, row, 7, (double)r->flags, NULL);
    }
    xc_xw_filter(x, ws, 0, row, N);
}

int xc_write_workbook(const xc_run_result *res, const char *outdir, xc_err *err)
{
    xc_household_flags hf = {0};
    if (xc_household_flags_build(res, &hf) < 0) {
        xc_household_flags_free(&hf);
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    }
    xc_xw x;
    /* Rows in order: a national run's tens of thousands of flags are
     * written out as they go, not held until the end. */
    char title[320];
    int rc = xc_xw_open(&x, outdir, "report.xlsx", res->as_of,
                        xc_report_title(res, title, sizeof title), true, err);
    if (rc < 0) {
        xc_household_flags_free(&hf);
        return rc;
    }
    write_summary(&x, res);
    rc = write_visits(&x, res, &hf, outdir, err);
    if (rc < 0) {
        xc_xw_abort(&x);
        xc_household_flags_free(&hf);
        return rc;
    }
    unsigned cats = catalogue_categories();
    for (int c = 0; c < XC_CAT_COUNT; c++)
        if (cats & 1u << c)
            write_category(&x, res, (xc_category)c);
    write_rules(&x, res);
    xc_household_flags_free(&hf);
    return xc_xw_close(&x, err);
}
