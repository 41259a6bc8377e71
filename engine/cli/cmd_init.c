/*
 * cmd_init.c - xcheck init: a commented draft configuration from exports.
 *
 * For each file: its encoding and delimiter (sniff.h), the dataset its
 * column names fit best (the schema's logical names, their Chinese labels
 * and common synonyms, below), each field's column, the date formats its
 * first rows parse with, and value maps for the codes of its first rows
 * that match a value's Chinese label. Every guess carries a comment ("; 猜
 * 测 guess"); what could not be guessed is left commented out, saying so.
 * The draft is meant for `xcheck check -c`, then for a person to read.
 */
#include "cli.h"
#include "xcheck/i18n.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xcheck/date.h"
#include "xcheck/schema.h"

#include "sniff.h"

void help_init(void)
{
    printf(_("Usage: xcheck init [-o CONFIG] [--force] FILE...\n\n"
           "Drafts a commented configuration from exports' headers: for each FILE (CSV,\n"
           "plain or gzip) guesses its dataset from its column names, its encoding and\n"
           "delimiter, each field's column, the date formats and the value maps of coded\n"
           "fields from its first rows. Every guess is marked \"; 猜测 guess\", fields it\n"
           "cannot place are left commented out. Check the draft with xcheck check -c.\n\n"
           "Options:\n"
           "  -o, --output=CONFIG  write the draft there (default: standard output); an\n"
           "                       existing file is not overwritten\n"
           "  -f, --force          overwrite CONFIG\n"
           "  -h, --help           show this help, then exit\n"));
}

/* ---- common names of the logical fields --------------------------------- */

/* Column names a field goes by, besides its logical name: for every
 * dataset (ds NULL) or one. */
typedef struct synonyms {
    const char *ds;
    const char *field;
    const char *names[8];
} synonyms;

static const synonyms common_names[] = {
    {NULL, "archive_no", {"档案号", "档案编号", "困难职工档案号", "dabh"}},
    {NULL, "worker_id", {"职工身份证号", "职工证件号码", "职工身份证号码", "职工证件号"}},
    {NULL, "worker_name", {"职工姓名", "困难职工姓名"}},
    {NULL, "id_no", {"身份证号", "证件号码", "公民身份号码", "身份证号码", "身份号码", "证件号",
                     "sfzh", "idcard"}},
    {NULL, "name", {"姓名", "xm"}},
    {NULL, "region_code", {"行政区划", "行政区划代码", "区划代码", "户籍地", "坐落区划",
                           "所在区划", "区划", "xzqh"}},
    {NULL, "level", {"档案级别", "级别"}},
    {"household", "status", {"档案状态", "状态"}},
    {"hukou", "status", {"人口状态", "户籍状态", "状态"}},
    {"business", "status", {"登记状态", "经营状态", "企业状态", "状态"}},
    {NULL, "enrolled_on", {"建档日期", "建档时间", "入档日期"}},
    {NULL, "exited_on", {"退档日期", "退档时间", "脱困日期"}},
    {NULL, "hardship_cause", {"致困原因", "困难原因", "致困类型"}},
    {NULL, "cadre_id", {"帮扶干部", "帮扶责任人", "干部编号"}},
    {NULL, "relation", {"与户主关系", "与职工关系", "家庭关系", "关系"}},
    {NULL, "contact_date", {"联系日期", "走访日期", "联系时间"}},
    {"contact", "kind", {"联系方式", "联系类型", "走访方式"}},
    {"social_insurance", "kind", {"险种类型", "险种", "待遇类型"}},
    {"vehicle", "kind", {"车辆类型", "车型"}},
    {NULL, "paid_on", {"发放日期", "发放时间", "支付日期"}},
    {NULL, "program", {"帮扶项目", "救助项目", "项目"}},
    {"payment", "amount", {"发放金额", "金额", "救助金额"}},
    {"social_insurance", "amount", {"缴费基数", "缴费金额", "金额", "待遇金额"}},
    {NULL, "channel", {"发放渠道", "渠道", "发放方式"}},
    {NULL, "personal_burden", {"个人负担", "个人自付"}},
    {NULL, "applied_on", {"申请日期", "申请时间"}},
    {NULL, "publicity_from", {"公示开始", "公示开始日期", "公示起始日期"}},
    {NULL, "publicity_to", {"公示结束", "公示结束日期", "公示截止日期"}},
    {NULL, "approved_on", {"审批日期", "批准日期"}},
    {NULL, "notified_on", {"告知日期", "通知日期"}},
    {NULL, "followup_on", {"回访日期", "跟踪日期", "跟踪回访日期"}},
    {NULL, "source", {"名单来源", "来源"}},
    {NULL, "status_on", {"状态变更日期", "变更日期"}},
    {NULL, "month", {"缴费年月", "所属期", "月份", "年月", "费款所属期"}},
    {NULL, "employer", {"单位名称", "参保单位", "单位"}},
    {NULL, "cert_no", {"不动产权证号", "产权证号", "权证号"}},
    {NULL, "usage", {"用途", "房屋用途"}},
    {NULL, "area_m2", {"面积", "建筑面积"}},
    {NULL, "registered_on", {"登记日期", "注册日期", "初次登记日期"}},
    {"property", "cancelled_on", {"注销日期"}},
    {"vehicle", "deregistered_on", {"注销日期"}},
    {"business", "closed_on", {"注销日期", "吊销日期"}},
    {NULL, "plate", {"号牌号码", "车牌号", "车牌号码"}},
    {NULL, "price", {"购置价格", "价格", "车价"}},
    {NULL, "credit_code", {"统一社会信用代码", "信用代码"}},
    {NULL, "role", {"任职类型", "职务", "身份类型"}},
    {NULL, "registered_capital", {"注册资本"}},
    {NULL, "established_on", {"成立日期"}},
    {NULL, "effective_from", {"生效日期", "执行日期", "起始日期"}},
    {NULL, "monthly_amount", {"低保标准", "月标准", "保障标准"}},
    {NULL, "rule", {"规则", "规则编号", "疑点规则"}},
    {NULL, "outcome", {"核查结果", "核实结果", "核查结论"}},
    {NULL, "decided_on", {"核查日期", "核实日期", "核查时间"}},
    {NULL, "decided_by", {"核查人", "核实人"}},
    {NULL, "note", {"备注", "说明", "核查说明"}},
    {NULL, "expires_on", {"有效期至", "有效期", "失效日期"}},
};

/* Codes that go by other names than their value's Chinese label. */
typedef struct value_synonym {
    const char *field;
    const char *code;
    const char *value;
} value_synonym;

static const value_synonym common_codes[] = {
    {"status", "解困", "relieved"}, {"status", "脱困", "exited"}, {"status", "退档", "exited"},
    {"status", "在业", "active"}, {"status", "开业", "active"},
    {"hardship_cause", "因灾", "accident"}, {"hardship_cause", "残疾", "disability"},
    {"kind", "电话", "phone"}, {"kind", "走访", "home_visit"},
    {"channel", "社保卡", "social_security_card"}, {"channel", "银行卡", "bank"},
    {"channel", "银行", "bank"},
    {"role", "高管", "executive"}, {"role", "法人", "legal_rep"},
    {"relation", "户主", "self"}, {"relation", "儿子", "child"}, {"relation", "女儿", "child"},
};

/* How well column name col fits field f of ds: 2 named so, 1 a name
 * contains it, 0 not. */
static int name_fit(const xc_dataset_def *ds, const xc_field_def *f, const char *col)
{
    if (strcasecmp(col, f->name) == 0)
        return 2;
    int fit = 0;
    for (size_t i = 0; i < sizeof common_names / sizeof common_names[0]; i++) {
        const synonyms *s = &common_names[i];
        if (strcmp(s->field, f->name) != 0 || (s->ds && strcmp(s->ds, ds->name) != 0))
            continue;
        for (int k = 0; k < 8 && s->names[k]; k++) {
            if (strcasecmp(col, s->names[k]) == 0)
                return 2;
            if ((unsigned char)s->names[k][0] >= 0x80 && strstr(col, s->names[k]))
                fit = 1;
        }
    }
    return fit;
}

/* Each field's column in sn (-1: none) and how it was found (1 contained,
 * 2 named); returns how many fields found one. Exact names first, then
 * names that contain a common one; a column serves one field. */
static int place_columns(const xc_dataset_def *ds, const xc_sniff *sn, int col_of[], int how[])
{
    bool taken[256] = {false};
    int found = 0;
    for (int f = 0; f < ds->n_fields; f++)
        col_of[f] = -1, how[f] = 0;
    for (int pass = 2; pass >= 1; pass--)
        for (int f = 0; f < ds->n_fields; f++) {
            for (int c = 0; col_of[f] < 0 && c < sn->n_columns && c < 256; c++) {
                if (taken[c] || name_fit(ds, &ds->fields[f], sn->columns[c]) != pass)
                    continue;
                col_of[f] = c;
                how[f] = pass;
                taken[c] = true;
                found++;
            }
        }
    return found;
}

/* How well path's columns fit ds: the fields found, the file's name naming
 * the dataset counting three, a tie going to the dataset whose fields the
 * file covers most; 0 when fewer than two fields are found and the name
 * does not name it. */
static double fit_score(const char *path, const xc_sniff *sn, const xc_dataset_def *ds)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    int col_of[XC_MAX_FIELDS], how[XC_MAX_FIELDS];
    int found = place_columns(ds, sn, col_of, how);
    size_t nl = strlen(ds->name);
    bool named = (strncasecmp(base, ds->name, nl) == 0 &&
                  (base[nl] == '.' || base[nl] == '-' || base[nl] == '_')) ||
                 strstr(base, ds->label_zh);
    if (!found || (found < 2 && !named))
        return 0;
    return found + (named ? 3 : 0) + (double)found / (ds->n_fields + 1);
}

/* ---- the draft ---------------------------------------------------------- */

static const char *const day_formats[] = {
    "YYYY-MM-DD", "YYYYMMDD", "YYYY/MM/DD", "YYYY/M/D", "YYYY.MM.DD", "YYYY-M-D",
    "YYYY年M月D日", "YYYY-MM-DD*", NULL,
};
static const char *const month_formats[] = {
    "YYYY-MM", "YYYYMM", "YYYY/MM", "YYYY/M", "YYYY.MM", "YYYY年M月", NULL,
};

/* The first of the candidates that parses the most non-empty values of
 * column c, NULL when it parses fewer than four in five; *ret_n: the
 * values tried, *ret_ok: those it parses. */
static const char *guess_format(const xc_sniff *sn, int c, xc_ftype t, int *ret_n, int *ret_ok)
{
    const char *const *cand = t == XC_F_DATE ? day_formats : month_formats;
    *ret_n = 0;
    for (int r = 0; r < sn->n_rows; r++)
        *ret_n += sn->rows[r][c][0] != '\0';
    if (!*ret_n)
        return NULL;
    const char *best = NULL;
    int most = 0;
    for (int i = 0; cand[i]; i++) {
        xc_datefmt fmt;
        const char *why;
        if (xc_datefmt_compile(cand[i], &fmt, &why) < 0)
            continue;
        int ok = 0;
        for (int r = 0; r < sn->n_rows; r++) {
            const char *v = sn->rows[r][c];
            xc_date d;
            ok += v[0] && xc_datefmt_parse(&fmt, v, strlen(v), &d) == 0;
        }
        if (ok > most)
            most = ok, best = cand[i];
    }
    *ret_ok = most;
    /* a few values no format parses are typing errors, rejected by the run */
    return most * 5 >= *ret_n * 4 ? best : NULL;
}

/* The logical value code stands for (-1: no guess) and whether it is the
 * value itself (no map needed). */
static int guess_code(const xc_field_def *f, const char *code, bool *ret_self)
{
    *ret_self = false;
    int v = xc_field_value(f, code, strlen(code));
    if (v >= 0) {
        *ret_self = true;
        return v;
    }
    for (int i = 0; f->labels_zh[i]; i++)
        if (strcmp(f->labels_zh[i], code) == 0)
            return i;
    for (size_t i = 0; i < sizeof common_codes / sizeof common_codes[0]; i++)
        if (strcmp(common_codes[i].field, f->name) == 0 && strcmp(common_codes[i].code, code) == 0)
            return xc_field_value(f, common_codes[i].value, strlen(common_codes[i].value));
    /* a code one of the labels holds whole, or the reverse (在档 / 已解困) */
    for (int i = 0; f->labels_zh[i]; i++)
        if ((unsigned char)code[0] >= 0x80 && strlen(code) >= 6 &&
            (strstr(f->labels_zh[i], code) || strstr(code, f->labels_zh[i])))
            return i;
    /* vehicle types of GA 24.4: K car, H truck, M motorcycle */
    if (strcmp(f->name, "kind") == 0 && xc_field_value(f, "car", 3) >= 0 && strlen(code) == 3) {
        const char *name = code[0] == 'K' ? "car" : code[0] == 'H' ? "truck"
                      : code[0] == 'M' ? "motorcycle" : NULL;
        if (name)
            return xc_field_value(f, name, strlen(name));
    }
    return -1;
}

/* The codes of column c of an ENUMLIST field: split on ; , | 、 ；. */
static int split_list(const char *s, char out[][64], int max)
{
    int n = 0;
    const char *at = s;
    while (*at && n < max) {
        size_t k = strcspn(at, ";,|");
        const char *p = strstr(at, "、"), *q = strstr(at, "；");
        size_t sep = 1;
        if (p && (size_t)(p - at) < k)
            k = (size_t)(p - at), sep = 3;
        if (q && (size_t)(q - at) < k)
            k = (size_t)(q - at), sep = 3;
        if (k && k < 64) {
            memcpy(out[n], at, k);
            out[n++][k] = '\0';
        }
        if (!at[k])
            break;
        at += k + sep;
    }
    return n;
}

static void write_values(FILE *o, const xc_field_def *f)
{
    for (int i = 0; f->values[i]; i++)
        fprintf(o, "%s%s %s", i ? ", " : "", f->values[i], f->labels_zh[i]);
}

/* The value maps of coded field f from column c's codes. Returns how many
 * codes could not be guessed. */
static int write_maps(FILE *o, const xc_field_def *f, const xc_sniff *sn, int c, bool dry)
{
    char seen[64][64];
    int n_seen = 0, unguessed = 0;
    for (int r = 0; r < sn->n_rows; r++) {
        char codes[16][64];
        int k = f->type == XC_F_ENUMLIST ? split_list(sn->rows[r][c], codes, 16) : 0;
        if (f->type == XC_F_ENUM && sn->rows[r][c][0] && strlen(sn->rows[r][c]) < 64)
            strcpy(codes[k++], sn->rows[r][c]);
        for (int i = 0; i < k; i++) {
            bool dup = false;
            for (int j = 0; j < n_seen && !dup; j++)
                dup = strcmp(seen[j], codes[i]) == 0;
            if (!dup && n_seen < 64)
                strcpy(seen[n_seen++], codes[i]);
        }
    }
    for (int i = 0; i < n_seen; i++) {
        bool self;
        int v = guess_code(f, seen[i], &self);
        if (self)
            continue;
        if (v < 0) {
            unguessed++;
            if (!dry) {
                fprintf(o, "; map.%s.%s = ?   ; 未能猜测 could not guess: one of ", f->name,
                        seen[i]);
                write_values(o, f);
                fprintf(o, "\n");
            }
        } else if (!dry) {
            fprintf(o, "map.%s.%s = %s   ; 猜测 guess: %s\n", f->name, seen[i], f->values[v],
                    f->labels_zh[v]);
        }
    }
    return unguessed;
}

static const char *delimiter_key(char d)
{
    switch (d) {
    case '\t': return "tab";
    case ',': return "comma";
    case ';': return "semicolon";
    case '|': return "pipe";
    default: return "comma";
    }
}

/* path as the draft names it: relative to the draft's directory when the
 * file lies under it, else absolute. */
static void path_from(const char *path, const char *draft_dir, char *out, size_t outsz)
{
    char file[PATH_MAX], dir[PATH_MAX];
    if (!realpath(path, file) || !realpath(draft_dir, dir)) {
        snprintf(out, outsz, "%s", path);
        return;
    }
    size_t n = strlen(dir);
    if (strncmp(file, dir, n) == 0 && file[n] == '/')
        snprintf(out, outsz, "%s", file + n + 1);
    else
        snprintf(out, outsz, "%s", file);
}

static void write_dataset(FILE *o, const xc_dataset_def *ds, const char *path,
                          const char *draft_dir, const xc_sniff *sn)
{
    char where[PATH_MAX];
    path_from(path, draft_dir, where, sizeof where);
    int col_of[XC_MAX_FIELDS], how[XC_MAX_FIELDS];
    place_columns(ds, sn, col_of, how);
    fprintf(o, "\n; %s: %d 列 columns, 样本 %d 行 rows sampled\n", ds->label_zh, sn->n_columns,
            sn->n_rows);
    fprintf(o, "[%s]   ; 猜测 guess: from the column names\n", ds->name);
    fprintf(o, "kind = file\npath = %s\n", where);
    fprintf(o, "encoding  = %s   ; 猜测 guess: %s\n",
            sn->encoding == XC_ENC_GB18030 ? "gb18030" : "utf-8",
            sn->ascii ? "ASCII only" : sn->encoding == XC_ENC_GB18030
            ? "not UTF-8, decodes as GB18030" : "valid UTF-8");
    fprintf(o, "delimiter = %s   ; 猜测 guess: %d in the header\n", delimiter_key(sn->delimiter),
            sn->declared_count);
    for (int f = 0; f < ds->n_fields; f++) {
        const xc_field_def *fd = &ds->fields[f];
        int c = col_of[f];
        if (c < 0) {
            fprintf(o, "; field.%s = ?   ; 未找到列 no column found (%s%s)\n", fd->name,
                    fd->unread ? "read by no rule, optional" : fd->optional ? "optional"
                    : "required", fd->values ? "" : "");
            continue;
        }
        /* an unread coded field whose codes cannot all be guessed stays out */
        bool coded = fd->type == XC_F_ENUM || fd->type == XC_F_ENUMLIST;
        if (coded && fd->unread && write_maps(o, fd, sn, c, true) > 0) {
            fprintf(o, "; field.%s = %s   ; 猜测 guess, left out: read by no rule, and its codes "
                    "could not all be guessed\n", fd->name, sn->columns[c]);
            continue;
        }
        fprintf(o, "field.%s = %s   ; %s\n", fd->name, sn->columns[c],
                how[f] == 2 ? "猜测 guess: the column's name" : "猜测 guess: the name contains a "
                "common one");
        if (coded)
            write_maps(o, fd, sn, c, false);
        if (fd->type == XC_F_DATE || fd->type == XC_F_MONTH) {
            int n, ok;
            const char *fmt = guess_format(sn, c, fd->type, &n, &ok);
            if (!fmt && n)
                fprintf(o, "; format.%s = ?   ; 未能猜测 no common format parses its values\n",
                        fd->name);
            else if (fmt && strcmp(fmt, fd->type == XC_F_DATE ? "YYYY-MM-DD" : "YYYY-MM") != 0)
                fprintf(o, "format.%s = %s   ; 猜测 guess: parses %d of the %d values sampled\n",
                        fd->name, fmt, ok, n);
        }
    }
}

int cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *out = NULL;
    bool force = false;
    int c;
    while ((c = getopt_long(argc, argv, "o:fh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'f': force = true; break;
        case 'h':
            help_init();
            return EXIT_OK;
        default:
            return usage_error("init", "%s", _("invalid option"));
        }
    }
    if (optind >= argc)
        return usage_error("init", "%s", _("name at least one export FILE"));
    struct stat st;
    if (out && !force && stat(out, &st) == 0) {
        xc_err err;
        xc_err_set(&err, XC_EIO, "\"%s\" exists already: not overwritten", out);
        xc_err_hint(&err, "name another file with -o, or --force to overwrite it");
        print_error(&err);
        return EXIT_FAILED;
    }
    char draft_dir[PATH_MAX] = ".";
    if (out && strrchr(out, '/'))
        snprintf(draft_dir, sizeof draft_dir, "%.*s", (int)(strrchr(out, '/') - out), out);
    if (!draft_dir[0])
        snprintf(draft_dir, sizeof draft_dir, "/");
    char *text = NULL;
    size_t len = 0;
    FILE *o = open_memstream(&text, &len);
    if (!o)
        return EXIT_FAILED;
    fprintf(o, "; xcheck 配置草稿 draft configuration, written by xcheck init from the exports'\n"
               "; headers and first rows. Every line marked \"猜测 guess\" is a guess: read it.\n"
               "; Check it with: xcheck check -c THIS_FILE\n\n"
               "[run]\n; as_of   = YYYY-MM-DD   ; default: today\nprofile = default\n");
    bool used[XC_DS_COUNT] = {false};
    int rc = EXIT_OK, n_files = argc - optind;
    xc_sniff *sn = calloc((size_t)n_files, sizeof *sn);
    double (*score)[XC_DS_COUNT] = calloc((size_t)n_files, sizeof *score);
    int *ds_of = malloc((size_t)n_files * sizeof *ds_of);
    bool *read_ok = calloc((size_t)n_files, sizeof *read_ok);
    if (!sn || !score || !ds_of || !read_ok) {
        free(sn), free(score), free(ds_of), free(read_ok);
        fclose(o);
        free(text);
        return EXIT_FAILED;
    }
    for (int i = 0; i < n_files; i++) {
        const char *path = argv[optind + i];
        ds_of[i] = -1;
        if (xc_sniff_file(path, -1, 0, '"', &sn[i]) < 0) {
            xc_err err;
            xc_err_set(&err, XC_EIO, "cannot read \"%s\"", path);
            print_error(&err);
            rc = EXIT_FAILED;
            continue;
        }
        read_ok[i] = true;
        for (int d = 0; d < XC_DS_COUNT; d++)
            score[i][d] = fit_score(path, &sn[i], xc_dataset((xc_ds_id)d));
    }
    /* The best fits first, each file and each dataset taken once. */
    for (;;) {
        int bi = -1, bd = -1;
        for (int i = 0; i < n_files; i++)
            for (int d = 0; ds_of[i] < 0 && d < XC_DS_COUNT; d++)
                if (!used[d] && score[i][d] > 0 && (bi < 0 || score[i][d] > score[bi][bd]))
                    bi = i, bd = d;
        if (bi < 0)
            break;
        ds_of[bi] = bd;
        used[bd] = true;
    }
    for (int d = 0; d < XC_DS_COUNT; d++)
        for (int i = 0; i < n_files; i++)
            if (ds_of[i] == d)
                write_dataset(o, xc_dataset((xc_ds_id)d), argv[optind + i], draft_dir, &sn[i]);
    for (int i = 0; i < n_files; i++) {
        if (read_ok[i] && ds_of[i] < 0) {
            fprintf(o, "\n; %s: 未能猜测数据集 could not guess its dataset (columns:",
                    argv[optind + i]);
            for (int k = 0; k < sn[i].n_columns; k++)
                fprintf(o, " %s", sn[i].columns[k]);
            fprintf(o, ")\n");
            fprintf(stderr, _("xcheck: %s: could not guess its dataset; left out of the "
                    "draft\n"), argv[optind + i]);
        }
        xc_sniff_free(&sn[i]);
    }
    free(sn), free(score), free(ds_of), free(read_ok);
    for (int d = 0; d < XC_DS_COUNT; d++)
        if (xc_dataset((xc_ds_id)d)->required && !used[d])
            fprintf(o, "\n; [%s] 必需但没有文件 is required, but no file fits it\n",
                    xc_dataset((xc_ds_id)d)->name);
    if (fclose(o) != 0) {
        free(text);
        return EXIT_FAILED;
    }
    FILE *f = out ? fopen(out, "w") : stdout;
    if (!f || fwrite(text, 1, len, f) != len || (out ? fclose(f) : fflush(f)) != 0) {
        xc_err err;
        xc_err_set(&err, XC_EIO, "cannot write \"%s\"", out ? out : "standard output");
        print_error(&err);
        rc = EXIT_FAILED;
    }
    free(text);
    if (out && rc == EXIT_OK)
        fprintf(stderr, _("xcheck: draft written to %s; check it with xcheck check -c %s\n"),
                out, out);
    return rc;
}
