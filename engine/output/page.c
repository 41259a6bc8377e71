/*
 * page.c - report.html: the run for people, in one self-contained
 * page with Chinese labels, for the auditors and caseworkers who must
 * defend every number in it.
 *
 * The page holds everything inline (CSS, a little vanilla JavaScript, SVG
 * drawn here), refers to no network address and no other file, so it opens
 * from a USB stick. It shows:
 *
 *   概览          households, persons, flags and the total rates
 *   运行信息      as_of, audit period, profile and its parameters, the
 *                 configuration and its hash, snapshot, version, run id,
 *                 times and the time of every stage
 *   数据来源      every dataset: source, strategy, read = matched +
 *                 unmatched + rejected, checked; under a dataset of
 *                 several sources (files), a line for each
 *   比率          every rate per total / province / city / county / level:
 *                 numerator, denominator, rate, threshold, pass or fail, or
 *                 "not evaluated" and why; bar charts against the threshold
 *   规则          every rule: evaluated or not (and why), households looked
 *                 at and not judged, flags; charts of flags by rule and by
 *                 category
 *   疑点清单      every flag (rule, category, archive number, region, level,
 *                 masked ID, dates, summary), searchable and sortable; an
 *                 income flag opens a chart of the household's per-capita
 *                 income by month against the local standard, drawn from
 *                 the flag's months (xc_flag_income), its numbers written
 *                 as evidence.jsonl writes them
 *
 * Privacy: no full ID number is written. Persons appear by their masked ID,
 * and any run of 15 or more digits in text taken from the data (names,
 * summaries, paths) is masked the same way (first 6, ********, last 4).
 * evidence.jsonl, which holds the raw ID texts, is not embedded. All text is
 * escaped for HTML.
 *
 * The same run gives the same bytes, apart from its times, which are each
 * written inside <span class="ts">...</span>.
 */
#include "writers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xcheck/idno.h"
#include "xcheck/region.h"
#include "present.h"
#include "xcheck/text.h"
#include "html.h"
#include "page_assets.h"    /* page/: report.css, errors.js, income.js, report.js */

/* ---- text ----------------------------------------------------------------- */

static void put_date(FILE *f, xc_date d)
{
    char buf[11];
    if (d != XC_NO_DATE)
        fputs(xc_date_format(d, buf), f);
}

/* A fraction as a percentage: two decimals, more when two would make it
 * look equal to the threshold it is compared with while it is not. */
static void fmt_pct(char *buf, size_t n, double v, double threshold)
{
    int dec = 2;
    for (; dec < 6 && fabs(v - threshold) > 1e-12; dec++) {
        char a[48], b[48];
        snprintf(a, sizeof a, "%.*f", dec, v * 100);
        snprintf(b, sizeof b, "%.*f", dec, threshold * 100);
        if (strcmp(a, b) != 0)
            break;
    }
    snprintf(buf, n, "%.*f%%", dec, v * 100);
}

/* A threshold as a percentage: at least two decimals, no trailing zeros
 * beyond them. */
static void fmt_threshold(char *buf, size_t n, double t)
{
    char num[48];
    snprintf(num, sizeof num, "%.4f", t * 100);
    size_t len = strlen(num), keep = (size_t)(strchr(num, '.') - num) + 3;
    while (len > keep && num[len - 1] == '0')
        num[--len] = '\0';
    snprintf(buf, n, "%s%%", num);
}

/* ---- names ---------------------------------------------------------------- */

static const char *level_name(uint8_t level, char *buf, size_t n)
{
    xc_rate_row row = {.group = XC_GROUP_LEVEL, .code = level};
    return xc_rate_row_name(&row, buf, n);
}

static const char *group_zh(xc_group g)
{
    static const char *const zh[] = {"合计", "省", "市", "县", "档案级别"};
    return zh[g];
}

static const char *strategy_zh(const char *s)
{
    if (strcmp(s, "file") == 0)
        return "文件";
    if (strcmp(s, "full_scan") == 0)
        return "全表读取";
    if (strcmp(s, "pushdown") == 0)
        return "下推过滤";
    return s;
}

/* The datasets of the set `needs` (only the unconfigured ones when
 * only_missing), by their Chinese and logical names, "、" between. */
static void put_datasets(FILE *f, uint32_t needs, bool only_missing, const xc_run_result *res)
{
    int n = 0;
    for (int d = 0; d < XC_DS_COUNT; d++) {
        if (!(needs & XC_NEEDS(d)) || (only_missing && res->ds[d].evaluated))
            continue;
        const xc_dataset_def *ds = xc_dataset((xc_ds_id)d);
        fprintf(f, "%s%s（%s）", n++ ? "、" : "", ds->label_zh, ds->name);
    }
}

/* Why rule result r was not evaluated, in Chinese: the datasets it needs
 * that are not configured, else the optional field it needs unmapped. */
static void put_rule_why(FILE *f, const xc_rule_result *r, const xc_run_result *res)
{
    bool missing = false;
    for (int d = 0; d < XC_DS_COUNT; d++)
        missing |= (r->rule->needs & XC_NEEDS(d)) && !res->ds[d].evaluated;
    if (missing) {
        fputs("未配置数据集：", f);
        put_datasets(f, r->rule->needs, true, res);
    } else if (r->rule->needs_field) {
        char name[128];
        fprintf(f, "未映射字段：%s", xc_field_ref_name(r->rule->needs_field, name, sizeof name));
    } else {
        xc_html_text(f, r->why_not);
    }
}

/* The rules rate rests on, and how many of them were not evaluated. */
static void rate_rules(xc_rate_id rate, const xc_run_result *res, int *behind, int *missing)
{
    *behind = *missing = 0;
    for (size_t i = 0; i < res->n_rules; i++)
        if (xc_rate_uses_rule(rate, res->rules[i].rule)) {
            (*behind)++;
            *missing += !res->rules[i].evaluated;
        }
}

/* Whether put_rate_why() has something to say of rate. */
static bool rate_has_why(xc_rate_id rate, const xc_run_result *res)
{
    int behind, missing;
    rate_rules(rate, res, &behind, &missing);
    return behind == 0 || missing > 0;
}

/* Why a rate is not evaluated, or not complete, in Chinese; nothing when it
 * is complete. */
static void put_rate_why(FILE *f, xc_rate_id rate, const xc_run_result *res)
{
    int behind, missing;
    rate_rules(rate, res, &behind, &missing);
    if (behind == 0) {
        fputs("本版本尚无计算该比率的规则", f);
        return;
    }
    if (missing == 0)
        return;
    fputs(missing == behind ? "所依据的规则均未评估：" : "部分规则未评估，结果不完整：", f);
    int n = 0;
    for (size_t i = 0; i < res->n_rules; i++) {
        const xc_rule_result *r = &res->rules[i];
        if (!xc_rate_uses_rule(rate, r->rule) || r->evaluated)
            continue;
        fprintf(f, "%s%s（", n++ ? "；" : "", r->rule->id);
        put_rule_why(f, r, res);
        fputs("）", f);
    }
}

/* ---- head, overview, manifest --------------------------------------------- */

static void put_head(FILE *f, const xc_run_result *res)
{
    char d[11];
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\" class=\"nojs\">\n<head>\n"
          "<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", f);
    fprintf(f, "<meta name=\"generator\" content=\"xcheck ");
    xc_html_text(f, res->version);
    char title[320], scope[640];
    xc_report_title(res, title, sizeof title);
    xc_report_scope(res, scope, sizeof scope);
    fputs("\">\n<title>", f);
    xc_html_text(f, title);
    fprintf(f, " %s</title>\n<style>\n", xc_date_format(res->as_of, d));
    fputs((const char *)xc_page_css, f);
    fputs("</style>\n<script>", f);
    fputs((const char *)xc_page_errors_js, f);
    fputs("</script>\n</head>\n<body>\n", f);
    fputs("<header class=\"top\"><h1>", f);
    xc_html_text(f, title);
    fputs("</h1>\n<p class=\"scope\">", f);
    xc_html_text(f, scope);
    fprintf(f, "</p>\n<p>核查基准日 %s · 政策配置 ", d);
    xc_html_text(f, res->profile.name);
    fputs(" · 运行编号 ", f);
    xc_html_text(f, res->run_id);
    /* findings first, what the run read and did last */
    fputs("</p>\n<nav><a href=\"#overview\">概览</a><a href=\"#rates\">比率</a>"
          "<a href=\"#flags\">疑点清单</a><a href=\"#rules\">规则</a>"
          "<a href=\"#sources\">数据来源与行数</a><a href=\"#run\">运行信息</a></nav></header>\n"
          "<main>\n", f);
}

static const xc_rate_row *total_row(const xc_run_result *res, xc_rate_id rate)
{
    for (size_t i = 0; i < res->n_rates; i++)
        if (res->rates[i].group == XC_GROUP_TOTAL && res->rates[i].rate == rate)
            return &res->rates[i];
    return NULL;
}

/* The result of a rate row: "ok", "bad", "part" (passes on partial data)
 * or "na", with its Chinese word. */
static const char *rate_result(const xc_rate_row *r, const char **ret_zh)
{
    if (!r->evaluated) {
        *ret_zh = "未评估";
        return "na";
    }
    if (!r->denominator) {
        *ret_zh = "无适用户";
        return "na";
    }
    *ret_zh = xc_rate_result_zh(r);
    return !r->pass ? "bad" : !r->complete ? "part" : "ok";
}

static void put_card(FILE *f, const char *cls, const char *key, const char *value,
                     const char *sub)
{
    fprintf(f, "<div class=\"card%s%s\"><div class=\"k\">%s</div><div class=\"v\">%s</div>"
            "<div class=\"s\">%s</div></div>\n", cls[0] ? " " : "", cls, key, value, sub);
}

/* What the register of verifications did, when one was read: the rows
 * that name a rule xcheck does not have, or were decided after as_of, are
 * said, as they decide nothing. */
static void put_dispositions(FILE *f, const xc_run_result *res)
{
    const xc_disposition_counts *d = &res->dispositions;
    if (!d->rows)
        return;
    fprintf(f, "<p class=\"note\" id=\"dispositions\">核查处置登记 %zu 条：本次对 %zu 条疑点有效"
            "（已核实排除 %zu 条，不计入比率和每日比对的新增疑点；已核实属实 %zu 条）",
            d->rows, d->rows_used, d->excluded, d->confirmed);
    if (d->expired)
        fprintf(f, "；%zu 条疑点的核实已过有效期，重新计入", d->expired);
    if (d->rows_unmatched)
        fprintf(f, "；%zu 条未对应本次任何疑点（疑点已消失，或被更晚的核实取代）",
                d->rows_unmatched);
    if (d->rows_later)
        fprintf(f, "；%zu 条核查日期晚于核查基准日，本次不采用", d->rows_later);
    if (d->rows_outside)
        fprintf(f, "；%zu 条所涉户在本次核查范围之外", d->rows_outside);
    if (d->rows_unknown_rule) {
        fprintf(f, "；<b>%zu 条所填规则不存在（", d->rows_unknown_rule);
        xc_html_text(f, d->unknown_rules);
        fputs("），未采用，请更正</b>", f);
    }
    fputs("。</p>\n", f);
}

static void put_overview(FILE *f, const xc_run_result *res, size_t flagged_households,
                         size_t outside)
{
    char v[64], s[160], thr[32], val[32];
    fputs("<section id=\"overview\"><h2>概览</h2>\n", f);
    /* Partial data first, before any number that could read as a pass. */
    if (res->incomplete) {
        fputs("<div class=\"warnband\" id=\"incomplete\" role=\"alert\"><b>数据不完整："
              "以下比率只基于本次看到的数据，不能据此判定达标</b><ul>\n", f);
        for (int i = 0; i < res->n_warnings; i++) {
            fputs("<li>", f);
            xc_html_text(f, res->warnings[i].text);
            fputs("</li>\n", f);
        }
        if (res->n_warnings == XC_RUN_WARNINGS)
            fputs("<li>（另有未列出的情况）</li>\n", f);
        fputs("</ul></div>\n", f);
    }
    fputs("<div class=\"cards\">\n", f);
    snprintf(v, sizeof v, "%zu", res->households_in_archive);
    snprintf(s, sizeof s, "档案共 %zu 户", res->households);
    put_card(f, "", "在档户数", v, s);
    snprintf(v, sizeof v, "%zu", res->persons);
    put_card(f, "", "家庭成员人数", v, "档案中的成员行");
    snprintf(v, sizeof v, "%zu", res->flags.n);
    if (outside)
        snprintf(s, sizeof s, "涉及 %zu 户；另 %zu 条涉及不在档人员", flagged_households, outside);
    else
        snprintf(s, sizeof s, "涉及 %zu 户", flagged_households);
    put_card(f, res->flags.n ? "bad" : "ok", "疑点", v, s);
    if (res->dispositions.rows) {
        const xc_disposition_counts *d = &res->dispositions;
        snprintf(v, sizeof v, "%zu", d->excluded);
        snprintf(s, sizeof s, "不计入比率；已核实属实 %zu 条%s", d->confirmed,
                 d->expired ? "；另有核实已过期的" : "");
        if (d->expired)
            snprintf(s + strlen(s), sizeof s - strlen(s), " %zu 条重新计入", d->expired);
        put_card(f, "", "已核实排除", v, s);
    }
    for (int r = 0; r < XC_RATE_COUNT; r++) {
        const xc_rate_row *row = total_row(res, (xc_rate_id)r);
        if (!row)
            continue;
        const char *zh, *cls = rate_result(row, &zh);
        fmt_threshold(thr, sizeof thr, row->threshold);
        if (row->evaluated && row->denominator) {
            fmt_pct(val, sizeof val, (double)row->numerator / (double)row->denominator,
                    row->threshold);
            snprintf(s, sizeof s, "%s%s · 阈值 %s%s · %llu/%llu", zh,
                     row->complete ? "" : "（不完整）", xc_rate_is_max(row->rate) ? "≤" : "≥",
                     thr, (unsigned long long)row->numerator,
                     (unsigned long long)row->denominator);
        } else {
            snprintf(val, sizeof val, "—");
            snprintf(s, sizeof s, "%s · 阈值 %s%s", zh, xc_rate_is_max(row->rate) ? "≤" : "≥",
                     thr);
        }
        put_card(f, cls, xc_rate_label_zh(row->rate), val, s);
    }
    fputs("</div>\n", f);
    put_dispositions(f, res);
    if (res->rates_failed)
        fprintf(f, "<p class=\"note\">合计层面有 %d 项比率未达到阈值。</p>\n", res->rates_failed);
    fputs("</section>\n", f);
}

static void put_time(FILE *f, int64_t t)
{
    char buf[64] = "";
    time_t tt = (time_t)t;
    struct tm tm;
    if (localtime_r(&tt, &tm))
        strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %z", &tm);
    fprintf(f, "<span class=\"ts\">%s</span>", buf);
}

static void put_seconds(FILE *f, double s)
{
    fprintf(f, "<span class=\"ts\">%.2f</span> 秒", s);
}

static void kv_open(FILE *f, const char *key)
{
    fprintf(f, "<tr><th>%s</th><td>", key);
}

static void put_manifest(FILE *f, const xc_run_result *res)
{
    char d1[11], d2[11];
    fputs("<section id=\"run\"><h2>五、运行信息</h2>\n<table class=\"kv\">\n", f);
    fprintf(f, "<tr><th>核查基准日</th><td>%s</td></tr>\n", xc_date_format(res->as_of, d1));
    fprintf(f, "<tr><th>审计期间</th><td>%s 至 %s（%d 个月）</td></tr>\n",
            xc_date_format(res->audit_from + 1, d2), d1, res->profile.audit_period_months);
    kv_open(f, "政策配置");
    xc_html_text(f, res->profile.name);
    fputs(" <span class=\"c\">", f);
    xc_html_text(f, res->profile.path);
    fputs("</span></td></tr>\n", f);
    kv_open(f, "配置文件");
    fputs("<span class=\"mono\">", f);
    xc_html_text(f, res->config_path);
    fputs("</span></td></tr>\n", f);
    fprintf(f, "<tr><th>配置哈希</th><td class=\"mono\">%s <span class=\"c\">（SHA-256，不含口令）</span>"
            "</td></tr>\n", res->config_hash);
    kv_open(f, "数据库快照");
    if (res->snapshot[0]) {
        fputs("<span class=\"mono\">", f);
        xc_html_text(f, res->snapshot);
        fputs("</span> <span class=\"c\">（PostgreSQL，所有连接读取同一快照）</span>", f);
    } else {
        fputs("无（本次未从 PostgreSQL 读取）", f);
    }
    fputs("</td></tr>\n", f);
    kv_open(f, "程序版本");
    fputs("xcheck ", f);
    xc_html_text(f, res->version);
    fputs("</td></tr>\n", f);
    kv_open(f, "运行编号");
    xc_html_text(f, res->run_id);
    fputs("</td></tr>\n", f);
    kv_open(f, "开始时间");
    put_time(f, res->started);
    fputs("</td></tr>\n", f);
    kv_open(f, "结束时间");
    put_time(f, res->finished);
    fputs("</td></tr>\n", f);
    kv_open(f, "各阶段用时");
    fputs("读取档案 ", f);
    put_seconds(f, res->seconds_archive);
    fputs("；比对扫描 ", f);
    put_seconds(f, res->seconds_scan);
    fprintf(f, "（%d 路并行）；规则评估 ", res->jobs);
    put_seconds(f, res->seconds_evaluate);
    fputs("；输出报告 ", f);
    put_seconds(f, res->seconds_report);
    fputs("；合计 ", f);
    put_seconds(f, res->seconds);
    fputs("</td></tr>\n", f);
    fprintf(f, "<tr><th>规模</th><td>档案 %zu 户（在档 %zu 户），成员 %zu 人</td></tr>\n",
            res->households, res->households_in_archive, res->persons);
    if (res->region_digits) {
        char label[256];
        fputs("<tr><th>核查地区</th><td>", f);
        xc_html_text(f, xc_run_region_label(res, label, sizeof label));
        fprintf(f, "：只核查该地区的 %zu 户；其余 %zu 户的数据行照常读取、计入行数核对，"
                "不评估、不计入比率</td></tr>\n", res->households - res->households_outside,
                res->households_outside);
    }
    fputs("</table>\n<details><summary>政策参数（阈值及各规则参数，来自政策配置文件）</summary>\n"
          "<table class=\"kv\"><tr><th>节</th><th>参数</th><th>取值</th></tr>\n", f);
    const char *sec, *key;
    char val[256];
    for (int i = 0; xc_profile_param(&res->profile, i, &sec, &key, val, sizeof val); i++) {
        fprintf(f, "<tr><td>[%s]</td><td class=\"mono\">%s</td><td>", sec, key);
        xc_html_text(f, val);
        if (xc_profile_param_is_default(&res->profile, i, sizeof val))
            fputs(" <span class=\"c\">（默认）</span>", f);
        fputs("</td></tr>\n", f);
    }
    fputs("</table></details>\n</section>\n", f);
}

/* ---- sources and row accounting ------------------------------------------- */

static void put_count_notes(FILE *f, const xc_dataset_result *r, const xc_dataset_def *ds)
{
    const xc_counts *c = &r->counts;
    int n = 0;
    if (c->legacy_ids)
        fprintf(f, "%s15位旧证号升级 %llu", n++ ? "；" : "", (unsigned long long)c->legacy_ids);
    if (c->invalid_ids)
        fprintf(f, "%s无效证号 %llu", n++ ? "；" : "", (unsigned long long)c->invalid_ids);
    if (c->unknown_county)
        fprintf(f, "%s未知区县代码 %llu", n++ ? "；" : "",
                (unsigned long long)c->unknown_county);
    if (c->rejected)
        fprintf(f, "%s拒收明细见 <span class=\"mono\">rejects/%s.csv</span>", n++ ? "；" : "",
                ds->name);
    if (r->parts > 1)
        fprintf(f, "%s分 %d 段并行读取", n++ ? "；" : "", r->parts);
}

/* The lines of a dataset's sources (the files of a glob...), under its own
 * line, when it has more than one: each accounted for alone. */
static void put_source_parts(FILE *f, const xc_dataset_result *r)
{
    for (int i = 0; r->n_sources > 1 && i < r->n_sources; i++) {
        const xc_counts *c = &r->sources[i].counts;
        bool adds_up = c->read == c->matched + c->unmatched + c->rejected &&
                       c->physical_rows == c->read + c->other_lines;
        fprintf(f, "<tr class=\"source-part\"><td class=\"c\">来源 %d/%d</td>"
                "<td class=\"mono\">", i + 1, r->n_sources);
        xc_html_text(f, r->sources[i].label);
        fprintf(f, "</td><td></td><td class=\"n\">%llu</td><td class=\"n\">%llu</td>"
                "<td class=\"n\">%llu</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td>"
                "<td><span class=\"badge b-%s\">%s</span></td><td></td><td></td></tr>\n",
                (unsigned long long)c->physical_rows, (unsigned long long)c->read,
                (unsigned long long)c->matched, (unsigned long long)c->unmatched,
                (unsigned long long)c->rejected, adds_up ? "ok" : "bad",
                adds_up ? "相符" : "不符");
    }
}

/* A note for each dataset read from several databases: their snapshots
 * were taken one after another, each of its own server, so the rows are
 * not of one point in time. A fact of the run, not missing data: the
 * rates are not made incomplete by it. */
static void put_snapshots_apart(FILE *f, const xc_run_result *res)
{
    for (int d = 0; d < XC_DS_COUNT; d++) {
        const xc_dataset_result *r = &res->ds[d];
        if (!r->evaluated || r->snapshots < 2)
            continue;
        fprintf(f, "<p class=\"note\">注意：%s <span class=\"c\">%s</span> 读自 %d 个数据库，"
                "各用本库的快照，不是同一时点的数据 (snapshots of %d databases: not one point "
                "in time)。</p>\n", xc_dataset((xc_ds_id)d)->label_zh,
                xc_dataset((xc_ds_id)d)->name, r->snapshots, r->snapshots);
    }
}

static void put_sources(FILE *f, const xc_run_result *res)
{
    fputs("<section id=\"sources\"><h2>四、数据来源与行数核对</h2>\n"
          "<p class=\"note\">每个数据集的每一行都有去向：读取 = 匹配 + 未匹配 + 拒收。"
          "物理行数另行清点（文件：行尾计数，含表头、空行和跨行字段的续行；数据库：服务器发送的行），"
          "须等于读取 + 其他行。"
          "匹配：按身份证号、档案号或行政区划与档案关联；未匹配：有效但与档案无关；"
          "拒收：格式或取值不合规，逐行记入拒收明细。</p>\n"
          "<table id=\"source-table\"><thead><tr><th>数据集</th><th>数据来源</th><th>读取方式</th>"
          "<th class=\"n\">物理行数</th><th class=\"n\">读取行数</th><th class=\"n\">匹配</th><th class=\"n\">未匹配</th>"
          "<th class=\"n\">拒收</th><th>核对</th><th class=\"n\">用时</th>"
          "<th>备注</th></tr></thead>"
          "\n<tbody>\n", f);
    for (int d = 0; d < XC_DS_COUNT; d++) {
        const xc_dataset_result *r = &res->ds[d];
        const xc_dataset_def *ds = xc_dataset((xc_ds_id)d);
        fprintf(f, "<tr><td>%s <span class=\"c\">%s</span></td>", ds->label_zh, ds->name);
        if (!r->evaluated) {
            /* no rule reads the register: without it no flag is verified */
            fprintf(f, "<td colspan=\"10\" class=\"c\">未配置%s</td></tr>\n",
                    ds->required ? "" : d == XC_DS_DISPOSITION
                    ? "（可选数据集：没有核查处置登记，疑点均按未核实计）"
                    : "（可选数据集；依赖它的规则不评估）");
            continue;
        }
        const xc_counts *c = &r->counts;
        bool adds_up = c->read == c->matched + c->unmatched + c->rejected &&
                       c->physical_rows == c->read + c->other_lines;
        fputs("<td class=\"mono\">", f);
        xc_html_text(f, r->where);
        fprintf(f, "</td><td>%s", strategy_zh(r->strategy));
        if (r->strategy_reason[0]) {
            fputs("<br><span class=\"c\">", f);
            xc_html_text(f, r->strategy_reason);
            fputs("</span>", f);
        }
        fprintf(f, "</td><td class=\"n\">%llu", (unsigned long long)c->physical_rows);
        if (c->other_lines)
            fprintf(f, "<br><span class=\"c\">其他行 %llu</span>",
                    (unsigned long long)c->other_lines);
        fprintf(f, "</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td>"
                "<td class=\"n\">%llu</td>"
                "<td class=\"n\">%llu</td><td><span class=\"badge b-%s\">%s</span></td>"
                "<td class=\"n\">", (unsigned long long)c->read, (unsigned long long)c->matched,
                (unsigned long long)c->unmatched, (unsigned long long)c->rejected,
                adds_up ? "ok" : "bad", adds_up ? "相符" : "不符");
        put_seconds(f, r->seconds);
        fputs("</td><td>", f);
        put_count_notes(f, r, ds);
        fputs("</td></tr>\n", f);
        put_source_parts(f, r);
    }
    fputs("</tbody></table>\n", f);
    put_snapshots_apart(f, res);
    fputs("</section>\n", f);
}

/* ---- rates ---------------------------------------------------------------- */

static void put_rate_cells(FILE *f, const xc_rate_row *r, const xc_run_result *res)
{
    char thr[32], val[32];
    const char *zh, *cls = rate_result(r, &zh);
    fmt_threshold(thr, sizeof thr, r->threshold);
    fprintf(f, "<td class=\"n\">%llu</td><td class=\"n\">%llu</td><td class=\"n\">",
            (unsigned long long)r->numerator, (unsigned long long)r->denominator);
    if (r->evaluated && r->denominator) {
        fmt_pct(val, sizeof val, (double)r->numerator / (double)r->denominator, r->threshold);
        fputs(val, f);
    } else {
        fputs("—", f);
    }
    fprintf(f, "</td><td class=\"n\">%s %s</td><td><span class=\"badge b-%s\">%s</span>%s</td><td>",
            xc_rate_is_max(r->rate) ? "≤" : "≥", thr, cls, zh,
            r->evaluated && !r->complete ? " <span class=\"badge b-na\">不完整</span>" : "");
    /* the why once per rate, on its total row (2026-12-02: the same long
     * note stood on every region's and level's row) */
    if ((!r->evaluated || !r->complete) && r->group == XC_GROUP_TOTAL)
        put_rate_why(f, r->rate, res);
    else if ((!r->evaluated || !r->complete) && rate_has_why(r->rate, res))
        fputs("见合计行", f);
    if (r->excluded)
        fprintf(f, "%s已核实排除 %llu 条疑点", (!r->evaluated || !r->complete) ? "；" : "",
                (unsigned long long)r->excluded);
    fputs("</td>", f);
}

static void put_rate_table(FILE *f, const xc_run_result *res)
{
    fputs("<h3>比率明细（合计 / 省 / 市 / 县 / 档案级别）</h3>\n"
          "<table id=\"rate-table\"><thead><tr><th>比率</th><th>范围</th><th>代码</th><th>名称</th>"
          "<th class=\"n\">分子</th><th class=\"n\">分母</th><th class=\"n\">比率值</th>"
          "<th class=\"n\">阈值</th><th>结果</th><th>说明</th></tr></thead>\n<tbody>\n", f);
    for (size_t i = 0; i < res->n_rates; i++) {
        const xc_rate_row *r = &res->rates[i];
        bool first = i == 0 || r->group != res->rates[i - 1].group ||
                     r->code != res->rates[i - 1].code;
        char code[16], name[256];
        xc_rate_row_code(r, code, sizeof code);
        xc_rate_row_name(r, name, sizeof name);
        fprintf(f, "<tr%s><td>%s</td><td>%s</td><td class=\"mono\">%s</td><td>",
                first ? " class=\"grp\"" : "", xc_rate_label_zh(r->rate), group_zh(r->group),
                r->group == XC_GROUP_TOTAL || r->group == XC_GROUP_LEVEL ? "—" : code);
        xc_html_text(f, name);
        fputs("</td>", f);
        put_rate_cells(f, r, res);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

enum { CHART_COUNTIES_MAX = 30 };   /* more counties: the table only */

static size_t rate_bars(const xc_run_result *res, xc_rate_id rate, bool counties, xc_bar *b)
{
    size_t n = 0;
    bool level_heading = false;
    for (size_t i = 0; i < res->n_rates; i++) {
        const xc_rate_row *r = &res->rates[i];
        if (r->rate != rate || (r->group == XC_GROUP_COUNTY && !counties))
            continue;
        if (r->group == XC_GROUP_LEVEL && !level_heading) {
            b[n] = (xc_bar){.heading = true};
            snprintf(b[n++].label, sizeof b->label, "按档案级别");
            level_heading = true;
        }
        xc_bar *x = &b[n++];
        memset(x, 0, sizeof *x);
        xc_rate_row_name(r, x->label, sizeof x->label);
        x->indent = r->group == XC_GROUP_CITY ? 1 : r->group == XC_GROUP_COUNTY ? 2
                  : r->group == XC_GROUP_LEVEL ? 1 : 0;
        const char *zh;
        x->cls = rate_result(r, &zh);
        if (strcmp(x->cls, "na") == 0)
            x->cls = "n";
        if (r->denominator) {
            char val[32];
            x->value = (double)r->numerator / (double)r->denominator;
            fmt_pct(val, sizeof val, x->value, r->threshold);
            snprintf(x->note, sizeof x->note, "%s（%llu/%llu）", val,
                     (unsigned long long)r->numerator, (unsigned long long)r->denominator);
        } else {
            snprintf(x->note, sizeof x->note, "无适用户");
        }
    }
    return n;
}

static int put_rate_charts(FILE *f, const xc_run_result *res)
{
    size_t counties = 0;
    for (size_t i = 0; i < res->n_rates; i++)
        counties += res->rates[i].group == XC_GROUP_COUNTY &&
                    res->rates[i].rate == XC_RATE_MIS_ENROLLMENT;
    xc_bar *b = malloc((res->n_rates + 2) * sizeof *b);
    if (!b)
        return XC_ENOMEM;
    fputs("<div class=\"charts\">\n", f);
    int not_evaluated = 0;
    for (int rate = 0; rate < XC_RATE_COUNT; rate++) {
        const xc_rate_row *t = total_row(res, (xc_rate_id)rate);
        if (!t || !t->evaluated) {
            not_evaluated++;
            continue;
        }
        char caption[160], thr[32], id[32];
        snprintf(caption, sizeof caption, "%s（按地区、档案级别）%s", xc_rate_label_zh(t->rate),
                 t->complete ? "" : "——不完整：部分规则未评估");
        snprintf(id, sizeof id, "chart-rate-%d", rate);
        xc_chart c = {.id = id, .caption = caption, .percent = true, .threshold = t->threshold};
        fmt_threshold(thr, sizeof thr, t->threshold);
        snprintf(c.threshold_label, sizeof c.threshold_label, "阈值 %s%s",
                 xc_rate_is_max(t->rate) ? "≤" : "≥", thr);
        xc_html_chart(f, &c, b, rate_bars(res, (xc_rate_id)rate, counties <= CHART_COUNTIES_MAX, b));
    }
    free(b);
    fputs("</div>\n<p class=\"note\">"
          "绿色：达标；红色：未达标；灰蓝：无适用户；橙色虚线：阈值。", f);
    if (counties > CHART_COUNTIES_MAX)
        fprintf(f, "区县共 %zu 个，图中只画到市一级，区县见下表。", counties);
    fputs("</p>\n", f);
    if (not_evaluated) {
        fputs("<div class=\"box\"><b>未评估的比率</b>（不作达标判断）<ul>\n", f);
        for (int rate = 0; rate < XC_RATE_COUNT; rate++) {
            const xc_rate_row *t = total_row(res, (xc_rate_id)rate);
            if (t && t->evaluated)
                continue;
            fprintf(f, "<li>%s：", xc_rate_label_zh((xc_rate_id)rate));
            put_rate_why(f, (xc_rate_id)rate, res);
            fputs("</li>\n", f);
        }
        fputs("</ul></div>\n", f);
    }
    return XC_OK;
}

/* Funds of the audit period per program, and the share a PAY rule flags. */
static void put_payments(FILE *f, const xc_run_result *res)
{
    if (!res->payments_evaluated)
        return;
    char from[11], to[11];
    fprintf(f, "<h3 id=\"payments\">帮扶资金（%s 后至 %s）</h3>\n"
            "<table id=\"payment-table\"><thead><tr><th>帮扶项目</th><th>笔数</th><th>金额（元）</th>"
            "<th>存疑笔数</th><th>存疑金额（元）</th><th>存疑金额占比</th></tr></thead><tbody>\n",
            xc_date_format(res->audit_from, from), xc_date_format(res->as_of, to));
    for (int p = 0; p <= XC_PAY_PROGRAMS; p++) {
        const xc_payment_total *t = &res->payments[p];
        if (!t->payments && p < XC_PAY_PROGRAMS)
            continue;
        fprintf(f, "<tr%s><td>%s</td><td class=\"n\">%llu</td><td class=\"n\">%lld.%02lld</td>"
                "<td class=\"n\">%llu</td><td class=\"n\">%lld.%02lld</td>"
                "<td class=\"n\">%.1f%%</td></tr>\n", p == XC_PAY_PROGRAMS ? " style=\"font-weight:600\"" : "",
                xc_payment_program_zh(p), (unsigned long long)t->payments,
                (long long)(t->amount / 100), (long long)(t->amount % 100),
                (unsigned long long)t->flagged, (long long)(t->flagged_amount / 100),
                (long long)(t->flagged_amount % 100),
                t->amount ? 100.0 * (double)t->flagged_amount / (double)t->amount : 0.0);
    }
    fputs("</tbody></table>\n<p class=\"note\">存疑：向发放日不在档人员发放、医疗救助超过个人负担、"
          "未发放到社会保障卡（PAY-NOT-ARCHIVED、PAY-MEDICAL-OVER、PAY-CHANNEL）。</p>\n", f);
}

static int put_rates(FILE *f, const xc_run_result *res)
{
    fputs("<section id=\"rates\"><h2>一、比率</h2>\n"
          "<p class=\"note\">错评率、漏退率：有相应疑点的在档户 / 在档户；错退率：错退户 "
          "/ 审计期间退档户；"
          "漏评率：疑似漏评 / (在档户 + 疑似漏评)；结对帮扶覆盖率、走访达标率：达标户 / 在档户。"
          "每项与政策配置的阈值比较。所依据的规则均未评估的比率为“未评估”，不作达标判断；"
          "部分规则未评估的比率标为“不完整”，只计入已评估规则的疑点。</p>\n", f);
    int rc = put_rate_charts(f, res);
    if (rc < 0)
        return rc;
    put_rate_table(f, res);
    put_payments(f, res);
    fputs("</section>\n", f);
    return XC_OK;
}

/* ---- rules ---------------------------------------------------------------- */

static void put_rule_category(FILE *f, const xc_rule *r)
{
    if (r->split)
        fprintf(f, "%s/%s", xc_category_label_zh(XC_CAT_MIS_ENROLLMENT),
                xc_category_label_zh(XC_CAT_MISSED_EXIT));
    else
        fputs(xc_category_label_zh(r->category), f);
}

static void put_rule_table(FILE *f, const xc_run_result *res)
{
    fputs("<h3>规则一览</h3>\n<table id=\"rule-table\"><thead><tr><th>规则</th><th>规则名称</th>"
          "<th>类别</th><th>所需数据</th><th>状态</th>"
          "<th class=\"n\" title=\"户，或资金发放记录、疑似漏评人员\">检查对象数</th>"
          "<th class=\"n\">无法判定</th><th class=\"n\">疑点数</th></tr></thead>\n<tbody>\n", f);
    for (size_t i = 0; i < res->n_rules; i++) {
        const xc_rule_result *r = &res->rules[i];
        fprintf(f, "<tr><td class=\"mono\"><a href=\"#flags\" data-q=\"%s\">%s</a></td><td>%s</td>"
                "<td>", r->rule->id, r->rule->id, r->rule->title_zh);
        put_rule_category(f, r->rule);
        fputs("</td><td>", f);
        if (r->rule->needs)
            put_datasets(f, r->rule->needs, false, res);
        else
            fputs("仅档案", f);
        if (r->evaluated) {
            fputs("</td><td><span class=\"badge b-ok\">已评估</span></td>", f);
        } else {
            fputs("</td><td><span class=\"badge b-na\">未评估</span> <span class=\"c\">", f);
            put_rule_why(f, r, res);
            fputs("</span></td>", f);
        }
        fprintf(f, "<td class=\"n\">%zu</td><td class=\"n\">%zu</td>"
                "<td class=\"n\">%zu</td></tr>\n",
                r->households, r->not_judged, r->flags);
    }
    fputs("</tbody></table>\n", f);
}

static void put_rule_notes(FILE *f, const xc_run_result *res)
{
    int n = 0;
    fputs("<div class=\"box\"><b>未评估的规则</b>：", f);
    for (size_t i = 0; i < res->n_rules; i++) {
        const xc_rule_result *r = &res->rules[i];
        if (r->evaluated)
            continue;
        fprintf(f, "%s<li><span class=\"mono\">%s</span> %s：", n++ ? "" : "<ul>", r->rule->id,
                r->rule->title_zh);
        put_rule_why(f, r, res);
        fputs("</li>\n", f);
    }
    fputs(n ? "</ul>" : "无，所有规则所需的数据集均已配置。", f);
    n = 0;
    for (size_t i = 0; i < res->n_rules; i++) {
        const xc_rule_result *r = &res->rules[i];
        if (!r->not_judged)
            continue;
        if (!n++)
            fputs("<br><b>无法判定</b>（缺少低保标准等参考数据，不作为未发现问题）：", f);
        fprintf(f, "%s<span class=\"mono\">%s</span> %zu", n > 1 ? "；" : "", r->rule->id,
                r->not_judged);
    }
    fputs("</div>\n", f);
}

static int put_rules(FILE *f, const xc_run_result *res)
{
    size_t n_bars = res->n_rules > XC_CAT_COUNT ? res->n_rules : XC_CAT_COUNT;
    xc_bar *b = calloc(n_bars ? n_bars : 1, sizeof *b);
    if (!b)
        return XC_ENOMEM;
    fputs("<section id=\"rules\"><h2>三、规则</h2>\n", f);
    put_rule_notes(f, res);
    fputs("<div class=\"charts\">\n", f);
    size_t n = 0;
    for (size_t i = 0; i < res->n_rules; i++) {
        const xc_rule_result *r = &res->rules[i];
        if (!r->evaluated)
            continue;
        xc_bar *x = &b[n++];
        memset(x, 0, sizeof *x);
        snprintf(x->label, sizeof x->label, "%s", r->rule->title_zh);
        snprintf(x->sub, sizeof x->sub, "%s", r->rule->id);
        x->value = (double)r->flags;
        x->cls = "n";
        snprintf(x->note, sizeof x->note, "%zu", r->flags);
    }
    xc_chart c = {.id = "chart-rules", .caption = "疑点数（按规则）", .threshold = -1};
    xc_html_chart(f, &c, b, n);
    size_t per_cat[XC_CAT_COUNT] = {0};
    for (size_t i = 0; i < res->flags.n; i++)
        per_cat[res->flags.v[i].category]++;
    for (int k = 0; k < XC_CAT_COUNT; k++) {
        memset(&b[k], 0, sizeof b[k]);
        snprintf(b[k].label, sizeof b[k].label, "%s", xc_category_label_zh((xc_category)k));
        b[k].value = (double)per_cat[k];
        b[k].cls = "n";
        snprintf(b[k].note, sizeof b[k].note, "%zu", per_cat[k]);
    }
    c = (xc_chart){.id = "chart-categories", .caption = "疑点数（按类别）", .threshold = -1};
    xc_html_chart(f, &c, b, XC_CAT_COUNT);
    fputs("</div>\n", f);
    free(b);
    put_rule_table(f, res);
    fputs("</section>\n", f);
    return XC_OK;
}

/* ---- income months of a flag --------------------------------------------- */

/* Whether two months read the same in data-m. */
static bool month_same(const xc_flag_month *a, const xc_flag_month_text *ta,
                       const xc_flag_month *b, const xc_flag_month_text *tb)
{
    return strcmp(ta->income, tb->income) == 0 && a->members == b->members &&
           strcmp(ta->per_capita, tb->per_capita) == 0 &&
           strcmp(ta->standard, tb->standard) == 0 && a->above == b->above &&
           a->below == b->below;
}

/* The months as the page's script reads them, in data-m:
 *   from;to;factor;first month;month,month...
 * a month "income:members:per_capita:standard:AB" (A above, B below, 0/1;
 * income and per_capita "" for a month social insurance does not cover,
 * standard "" where none applies), "*k" after one that repeats k times.
 * The numbers are written as evidence.jsonl writes them
 * (xc_flag_month_text_of()), so the page shows the same. */
static void put_income_data(FILE *f, const xc_flag *fl)
{
    const xc_flag_income *inc = fl->income;
    char mon[8];
    fputs(" data-m=\"", f);
    put_date(f, fl->from);
    fputc(';', f);
    put_date(f, fl->to);
    fprintf(f, ";%g;%s;", inc->factor, xc_month_format(inc->first, mon));
    xc_flag_month_text t, next;
    xc_flag_month_text_of(&inc->m[0], &t);
    for (uint32_t i = 0; i < inc->n;) {
        const xc_flag_month *m = &inc->m[i];
        uint32_t j = i + 1;
        for (; j < inc->n; j++) {
            xc_flag_month_text_of(&inc->m[j], &next);
            if (!month_same(&inc->m[j], &next, m, &t))
                break;
        }
        fprintf(f, "%s%s:%d:%s:%s:%c%c", i ? "," : "", t.income, (int)m->members, t.per_capita,
                t.standard, m->above ? '1' : '0', m->below ? '1' : '0');
        if (j - i > 1)
            fprintf(f, "*%u", (unsigned)(j - i));
        if (j < inc->n)
            t = next;
        i = j;
    }
    fputc('"', f);
}

/* ---- the flag list -------------------------------------------------------- */

/* One row of the flag list. The end tags of cells and rows are left out
 * (HTML allows it), as the list may hold tens of thousands of rows. */
static void put_flag_row(FILE *f, const xc_run_result *res, size_t i)
{
    const xc_flag *fl = &res->flags.v[i];
    const xc_household *hh = fl->household == XC_NONE ? NULL
                           : xc_archive_household(res->archive, fl->household);
    uint32_t region = hh ? hh->region : fl->region;
    char masked[32], level[64] = "";
    fputs("<tr", f);
    if (fl->income && fl->income->n) {
        fprintf(f, " data-i=\"%zu\"", i);
        put_income_data(f, fl);
    }
    fprintf(f, "><td>%zu<td>%s<td>%s<td%s>", i + 1, fl->rule->id,
            xc_category_label_zh(fl->category), hh ? "" : " data-k=\"\"");
    if (hh)
        xc_html_text(f, hh->archive_no);
    else
        fputs("<span class=\"c\">不在档</span>", f);   /* sorted last */
    fputs("<td>", f);
    if (region) {
        const char *name = xc_region_name(region);
        xc_html_text(f, name ? name : "");
        fprintf(f, " <span class=\"c\">%06u</span>", region);
    }
    if (hh)
        level_name(hh->level, level, sizeof level);
    fprintf(f, "<td>%s<td>", level);
    xc_flag_masked_id(res->archive, fl, masked);
    xc_html_text(f, masked);
    fputs("<td>", f);
    if (hh)
        put_date(f, hh->enrolled_on);
    fputs("<td>", f);
    put_date(f, fl->from);
    if (fl->to != XC_NO_DATE) {
        fputs(fl->from != XC_NO_DATE ? "<br>至 " : "至 ", f);
        put_date(f, fl->to);
    }
    fputs("<td>", f);
    if (fl->disposition) {
        /* the verification first: its badge, then what it found */
        xc_buf d = {0};
        xc_flag_disposition_text(res, fl, false, &d);
        fprintf(f, "<span class=\"badge b-%s\">%s</span> ", xc_flag_excluded(fl) ? "na" : "bad",
                xc_flag_disposition_zh(fl));
        xc_html_text(f, d.failed || !d.p ? "" : d.p);
        fputs("<br>", f);
        xc_buf_free(&d);
    }
    xc_html_text(f, fl->summary);
    fputc('\n', f);
}

static int put_flags(FILE *f, const xc_run_result *res)
{
    /* 2026-12-02: said evidence.jsonl held whole ID numbers when it held
     * them masked; it holds them whole only with --full-ids. */
    fprintf(f, "<section id=\"flags\"><h2>二、疑点清单</h2>\n"
            "<p class=\"note\">身份证号只显示脱敏形式。每条疑点的证据（匹配到的源数据行、"
            "收入逐月明细）见同一目录的 evidence.jsonl，顺序与本表序号一致；%s"
            "收入类疑点可点“收入图”查看逐月人均收入与低保标准。"
            "</p>\n<div class=\"tools js\"><input id=\"flag-search\" type=\"search\" "
            "placeholder=\"搜索：规则、档案编号、地区、姓名、日期……（空格分隔多个词）\" "
            "aria-label=\"搜索疑点\"><span>显示 <b id=\"flag-shown\">%zu</b> / 共 %zu 条"
            "（点击表头排序）</span></div>\n",
            res->full_ids ? "本次运行使用了 --full-ids，该文件含完整身份证号，请按保密要求保管。"
                          : "该文件中的身份证号同样为脱敏形式。",
            res->flags.n, res->flags.n);
    fputs("<div class=\"wide\"><table id=\"flag-table\"><thead><tr>"
          "<th class=\"n\">序号</th><th>规则</th><th>类别</th>"
          "<th>档案编号</th><th>地区</th><th>级别</th><th>身份证号（脱敏）</th><th>建档日期</th>"
          "<th title=\"判定疑点的条件开始与结束的日期\">起止日期</th><th>摘要</th></tr></thead>\n"
          "<tbody>\n", f);
    for (size_t i = 0; i < res->flags.n; i++)
        put_flag_row(f, res, i);
    fputs("</tbody></table></div>\n", f);
    if (!res->flags.n)
        fputs("<p>本次核查未发现疑点。</p>\n", f);
    fputs("</section>\n", f);
    return XC_OK;
}

static void put_footer(FILE *f, const xc_run_result *res)
{
    fputs("</main>\n<footer>本报告由 xcheck ", f);
    xc_html_text(f, res->version);
    fputs(" 生成，与同一目录的 flags.csv、evidence.jsonl、rates.csv、rules.csv、summary.json、"
          "accounting.csv 出自同一次运行。页面不含完整身份证号，不引用任何网络资源。</footer>\n"
          "<section id=\"selftest\" hidden><pre id=\"selftest-log\"></pre>"
          "<pre id=\"selftest-months\"></pre></section>\n<script>\n", f);
    fputs((const char *)xc_page_income_js, f);
    fputs((const char *)xc_page_report_js, f);
    fputs("</script>\n</body>\n</html>\n", f);
}

/* ---- the page ------------------------------------------------------------- */

/* The households with a flag, and the flags of people in no household.
 * Returns XC_OK or XC_ENOMEM. */
static int count_flagged(const xc_run_result *res, size_t *ret_households, size_t *ret_outside)
{
    size_t n_hh = xc_archive_households(res->archive);
    unsigned char *seen = calloc(n_hh ? n_hh : 1, 1);
    if (!seen)
        return XC_ENOMEM;
    *ret_households = *ret_outside = 0;
    for (size_t i = 0; i < res->flags.n; i++) {
        uint32_t h = res->flags.v[i].household;
        if (h == XC_NONE) {
            (*ret_outside)++;
            continue;
        }
        *ret_households += !seen[h];
        seen[h] = 1;
    }
    free(seen);
    return XC_OK;
}

int xc_write_page(const xc_run_result *res, const char *outdir, xc_err *err)
{
    xc_output out;
    int rc = xc_output_open(&out, outdir, "report.html", err);
    if (rc < 0)
        return rc;
    FILE *f = out.f;
    size_t households, outside;
    rc = count_flagged(res, &households, &outside);
    if (rc >= 0) {
        put_head(f, res);
        put_overview(f, res, households, outside);
    }
    /* the findings, then how they were reached, then what the run read */
    if (rc < 0 || (rc = put_rates(f, res)) < 0 || (rc = put_flags(f, res)) < 0 ||
        (rc = put_rules(f, res)) < 0) {
        xc_output_abort(&out);
        return xc_err_set(err, rc, "out of memory while writing \"%s\"", out.path);
    }
    put_sources(f, res);
    put_manifest(f, res);
    put_footer(f, res);
    return xc_output_commit(&out, err);
}
