/* report_html.c - report.html: one self-contained page per run, in Chinese. */
#include "xcheck/report_html.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xcheck/idno.h"
#include "xcheck/region.h"
#include "xcheck/report.h"
#include "xcheck/text.h"

/* ---- text ----------------------------------------------------------------- */

/* Writes s[0..n) escaped for HTML text and attribute values; the bytes
 * that need nothing go out by runs. */
static void put_esc(FILE *f, const char *s, size_t n)
{
    size_t plain = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc;
        switch (s[i]) {
        case '&': esc = "&amp;"; break;
        case '<': esc = "&lt;"; break;
        case '>': esc = "&gt;"; break;
        case '"': esc = "&quot;"; break;
        case '\'': esc = "&#39;"; break;
        default: esc = (unsigned char)s[i] < 0x20 && s[i] != '\t' ? " " : NULL; break;
        }
        if (!esc)
            continue;
        fwrite(s + plain, 1, i - plain, f);
        fputs(esc, f);
        plain = i + 1;
    }
    fwrite(s + plain, 1, n - plain, f);
}

/* Writes text taken from the data or the configuration: escaped, with any
 * run that could be an ID number (or a card number) masked. */
static void put_text(FILE *f, const char *s)
{
    if (!s)
        return;
    size_t len = strlen(s);
    xc_buf b = {0};
    const char *t = xc_masked(s, &len, false, &b);
    if (t)
        put_esc(f, t, len);
    xc_buf_free(&b);
}

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

/* Width in pixels of text at font size px: CJK a full em, ASCII about 0.6. */
static int text_px(const char *s, int px)
{
    double w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80)
            w += 0.6 * px;
        else if ((*p & 0xC0) != 0x80)
            w += px;
    }
    return (int)ceil(w);
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
        put_text(f, r->why_not);
    }
}

/* Why a rate is not evaluated, or not complete, in Chinese; nothing when it
 * is complete. */
static void put_rate_why(FILE *f, xc_rate_id rate, const xc_run_result *res)
{
    int behind = 0, missing = 0;
    for (size_t i = 0; i < res->n_rules; i++)
        if (xc_rate_uses_rule(rate, res->rules[i].rule)) {
            behind++;
            missing += !res->rules[i].evaluated;
        }
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

/* ---- SVG bar charts ------------------------------------------------------- */

typedef struct bar {
    char label[192];
    char sub[32];        /* after the label, lighter */
    int indent;          /* label indentation steps */
    bool heading;        /* a label row without a bar */
    double value;
    char note[96];       /* after the bar */
    const char *cls;     /* "ok", "bad" or "n" */
} bar;

typedef struct chart {
    const char *id;
    const char *caption;
    bool percent;        /* the values are fractions, shown as percentages */
    double threshold;    /* < 0: none */
    char threshold_label[64];
} chart;

enum { CH_ROW = 22, CH_BAR = 14, CH_BOTTOM = 28, CH_FONT = 12, CH_PLOT = 300 };

/* A round step for about four ticks up to max; *ret_ticks of them. */
static double axis_step(double max, bool percent, int *ret_ticks)
{
    double step = percent ? 0.01 : 1;
    if (max > 0) {
        double raw = max / 4, mag = pow(10, floor(log10(raw))), q = raw / mag;
        step = (q <= 1 ? 1 : q <= 2 ? 2 : q <= 2.5 && percent ? 2.5 : q <= 5 ? 5 : 10) * mag;
        if (!percent && step < 1)
            step = 1;
    }
    int ticks = (int)ceil(max / step - 1e-9);
    *ret_ticks = ticks < 1 ? 1 : ticks;
    return step;
}

static void put_tick_label(FILE *f, double v, bool percent)
{
    if (!percent) {
        fprintf(f, "%.0f", v);
        return;
    }
    int dec = 0;
    while (dec < 4 && fabs(v * 100 * pow(10, dec) - round(v * 100 * pow(10, dec))) > 1e-6)
        dec++;
    fprintf(f, "%.*f%%", dec, v * 100);
}

/* Where a chart's parts go. */
typedef struct chart_box {
    int label_w, note_w, top, plot_h, width, height;
    int ticks;
    double step, max;    /* axis: ticks x step = max */
} chart_box;

static chart_box chart_layout(const chart *c, const bar *b, size_t n)
{
    chart_box k = {0};
    double max = c->threshold > 0 ? c->threshold : 0;
    for (size_t i = 0; i < n; i++) {
        int w = text_px(b[i].label, CH_FONT) + text_px(b[i].sub, CH_FONT) + b[i].indent * 14;
        k.label_w = w > k.label_w ? w : k.label_w;
        w = text_px(b[i].note, CH_FONT);
        k.note_w = w > k.note_w ? w : k.note_w;
        if (!b[i].heading && b[i].value > max)
            max = b[i].value;
    }
    k.label_w += 20;
    k.note_w += 16;
    k.step = axis_step(max, c->percent, &k.ticks);
    k.max = k.step * k.ticks;
    k.top = c->threshold >= 0 ? 30 : 8;
    k.plot_h = (int)n * CH_ROW;
    k.width = k.label_w + CH_PLOT + k.note_w;
    k.height = k.top + k.plot_h + CH_BOTTOM;
    return k;
}

static void put_chart_grid(FILE *f, const chart *c, const chart_box *k)
{
    fputs("<g class=\"grid\">", f);
    for (int t = 0; t <= k->ticks; t++) {
        double x = k->label_w + (double)CH_PLOT * t / k->ticks;
        fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x, k->top - 4, x,
                k->top + k->plot_h, x, k->top + k->plot_h + 16);
        put_tick_label(f, k->step * t, c->percent);
        fputs("</text>", f);
    }
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"base\"/></g>\n",
            k->label_w, k->top - 4, k->label_w, k->top + k->plot_h);
}

static void put_chart_row(FILE *f, const bar *b, int y, const chart_box *k)
{
    fprintf(f, "<text x=\"%d\" y=\"%d\"%s>", 8 + b->indent * 14, y + CH_ROW / 2 + 4,
            b->heading ? " class=\"hd\"" : "");
    put_text(f, b->label);
    if (b->sub[0]) {
        fputs(" <tspan class=\"sub\">", f);
        put_text(f, b->sub);
        fputs("</tspan>", f);
    }
    fputs("</text>", f);
    if (!b->heading) {
        double w = k->max > 0 ? CH_PLOT * b->value / k->max : 0;
        fprintf(f, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>",
                b->cls, k->label_w, y + (CH_ROW - CH_BAR) / 2, w, CH_BAR);
        put_text(f, b->label);
        fputs("：", f);
        put_text(f, b->note);
        fprintf(f, "</title></rect><text class=\"val\" x=\"%.1f\" y=\"%d\">",
                k->label_w + w + 6, y + CH_ROW / 2 + 4);
        put_text(f, b->note);
        fputs("</text>", f);
    }
    fputc('\n', f);
}

/* A horizontal bar chart in SVG: a row per bar, the axis below, and the
 * threshold (if any) as a dashed line across. */
static void put_chart(FILE *f, const chart *c, const bar *b, size_t n)
{
    chart_box k = chart_layout(c, b, n);
    fprintf(f, "<figure><figcaption>%s</figcaption>\n<svg class=\"chart\" id=\"%s\" "
            "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">\n",
            c->caption, c->id, k.width, k.height, k.width, k.height, c->caption);
    put_chart_grid(f, c, &k);
    for (size_t i = 0; i < n; i++)
        put_chart_row(f, &b[i], k.top + (int)i * CH_ROW, &k);
    if (c->threshold >= 0) {
        double x = k.label_w + CH_PLOT * c->threshold / k.max;
        fprintf(f, "<line class=\"thr\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                "<text class=\"thr\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                x, k.top - 8, x, k.top + k.plot_h, x, k.top - 12, c->threshold_label);
    }
    fputs("</svg></figure>\n", f);
}

/* ---- head, overview, manifest --------------------------------------------- */

static void put_lines(FILE *f, const char *const *lines)
{
    for (; *lines; lines++)
        fputs(*lines, f);
}

static const char *const css[] = {
    ":root{--ink:#1f2937;--mute:#6b7280;--line:#d5d9e0;--bg:#f3f5f8;--acc:#1f4e79;",
    "--ok:#2e7d32;--bad:#c62828;--na:#78909c;--thr:#e65100;--part:#b26a00}\n",
    "*{box-sizing:border-box}\n",
    "body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.6 \"Noto Sans CJK SC\",",
    "\"Source Han Sans SC\",\"WenQuanYi Zen Hei\",\"Microsoft YaHei\",",
    "\"PingFang SC\",sans-serif}\n",
    "header.top{background:var(--acc);color:#fff;padding:20px 32px 14px}\n",
    "header.top h1{margin:0;font-size:26px;letter-spacing:3px}\n",
    "header.top p{margin:4px 0 12px;opacity:.92}\n",
    "header.top nav a{color:#fff;margin-right:20px;text-decoration:none;",
    "border-bottom:1px solid rgba(255,255,255,.5)}\n",
    "main{max-width:1400px;margin:0 auto;padding:8px 20px 32px}\n",
    "section{background:#fff;border:1px solid var(--line);border-radius:6px;",
    "padding:14px 22px 18px;margin:16px 0}\n",
    "h2{font-size:19px;margin:0 0 12px;padding-bottom:6px;border-bottom:2px solid var(--acc);",
    "color:var(--acc)}\n",
    "h3{font-size:15px;margin:18px 0 8px}\n",
    "table{border-collapse:collapse;width:100%;font-size:13px}\n",
    "th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}\n",
    "th{background:#eef2f7;font-weight:600;white-space:nowrap}\n",
    ".n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n",
    ".kv th{width:170px}.kv td{word-break:break-all}\n",
    ".mono,.kv .mono{font-family:\"DejaVu Sans Mono\",Consolas,monospace;font-size:12px}\n",
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:10px}\n",
    ".card{border:1px solid var(--line);border-left:4px solid var(--acc);border-radius:4px;",
    "padding:8px 12px;background:#fafbfd}\n",
    ".card.ok{border-left-color:var(--ok)}.card.bad{border-left-color:var(--bad)}",
    ".card.na{border-left-color:var(--na)}.card.part{border-left-color:var(--part)}\n",
    ".warnband{border:2px solid var(--part);background:#fff6e5;border-radius:4px;",
    "padding:8px 14px;margin:0 0 12px}.warnband b{color:#7a4700}\n",
    ".warnband ul{margin:4px 0;padding-left:20px}\n",
    ".card .k{color:var(--mute);font-size:12px}.card .v{font-size:22px;font-weight:600}\n",
    ".card .s{font-size:12px;color:var(--mute)}\n",
    ".badge{display:inline-block;padding:0 7px;border-radius:3px;font-size:12px;color:#fff;",
    "white-space:nowrap}\n",
    ".b-ok{background:var(--ok)}.b-bad{background:var(--bad)}.b-na{background:var(--na)}",
    ".b-part{background:var(--part)}\n",
    ".note{color:var(--mute);font-size:12px}\n",
    ".box{background:#f8fafc;border:1px solid var(--line);border-radius:4px;padding:8px 14px;",
    "margin:10px 0}\n",
    ".box ul{margin:4px 0;padding-left:20px}\n",
    ".charts{display:flex;flex-wrap:wrap;gap:18px 28px;align-items:flex-start}\n",
    "figure{margin:6px 0}figcaption{font-weight:600;margin-bottom:2px}\n",
    "svg.chart{max-width:100%;height:auto;font-size:12px}\n",
    "svg text{fill:var(--ink)}svg .grid line{stroke:#e3e7ee}svg .grid text{fill:var(--mute)}\n",
    "svg text.hd{font-weight:600;fill:var(--acc)}svg text.val,svg .sub{fill:var(--mute)}\n",
    "svg .grid line.base{stroke:#9aa5b4}\n",
    "rect.ok{fill:var(--ok)}rect.bad{fill:var(--bad)}rect.n{fill:#4f7cac}",
    "rect.part{fill:var(--part)}\n",
    "line.thr{stroke:var(--thr);stroke-width:1.5;stroke-dasharray:5 3}text.thr{fill:var(--thr)}\n",
    "tr.grp td{border-top:2px solid #a9b1bd}\n",
    ".c{color:var(--mute);font-size:12px}\n",
    ".tools{display:flex;gap:14px;align-items:center;margin:4px 0 10px}\n",
    "#flag-search{flex:0 1 440px;padding:6px 10px;font:inherit;border:1px solid #9aa5b4;",
    "border-radius:4px}\n",
    "#flag-table th{cursor:pointer;user-select:none}\n",
    "#flag-table th.asc::after{content:\" ▲\"}#flag-table th.desc::after{content:\" ▼\"}\n",
    "#flag-table td:nth-child(7){font-family:\"DejaVu Sans Mono\",Consolas,monospace;",
    "font-size:12px;white-space:nowrap}\n",
    "#flag-table{font-size:12.5px}#flag-table td:first-child{text-align:right}\n",
    "#flag-table td:nth-child(-n+4),#flag-table td:nth-child(6),#flag-table td:nth-child(8),",
    "#flag-table td:nth-child(9){white-space:nowrap}\n",
    "#flag-table td:nth-child(5){min-width:10.5em}#flag-table td:nth-child(10){min-width:300px}\n",
    ".wide{overflow-x:auto}\n",
    "#rule-table td:nth-child(1),#rule-table td:nth-child(3){white-space:nowrap}\n",
    "#source-table td:first-child{white-space:nowrap}\n",
    "button.inc{display:block;margin-top:3px;font:inherit;font-size:12px;padding:0 8px;",
    "border:1px solid #4f7cac;border-radius:3px;background:#eef4fb;color:#1f4e79;cursor:pointer}\n",
    "button.inc[aria-expanded=true]{background:#1f4e79;color:#fff}\n",
    "tr.det>td{background:#fbfcfe}\n",
    ".incbox{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}\n",
    ".incbox svg{font-size:11px}.incbox .win{fill:#fff3cd}.incbox .std{fill:none;stroke:#c62828;",
    "stroke-width:2}.incbox .fac{fill:none;stroke:#c62828;stroke-width:1.5;stroke-dasharray:4 3}\n",
    ".incbox text.wl{fill:#8a6d00}.incbox .mk{stroke:#e65100;",
    "stroke-width:1.5;stroke-dasharray:4 3}\n",
    "rect.m10,.sw.m10{fill:#e08a1e;background:#e08a1e}rect.m01,.sw.m01{fill:#2f6fb3;",
    "background:#2f6fb3}rect.m00,.sw.m00,rect.m11{fill:#9aa5b4;background:#9aa5b4}\n",
    ".sw{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}\n",
    ".sw.std{height:2px;background:#c62828;vertical-align:middle}\n",
    ".mtw{max-height:300px;overflow:auto}.mt{width:auto}.mt td,.mt th{padding:1px 8px}\n",
    ".mt thead th{position:sticky;top:0}\n",
    ".mt tr.in td{background:#fff3cd}\n",
    ".nojs .js{display:none}\n",
    "footer{max-width:1400px;margin:0 auto;padding:0 20px 30px;color:var(--mute);font-size:12px}\n",
    "@media print{body{background:#fff}header.top{background:#fff;color:#000;padding:0}",
    "header.top nav,.tools,button.inc{display:none}section{border:0;padding:0}",
    "th{background:#eee}}\n",
    NULL};

/* Records script errors on the page, for the tests that load it. */
static const char err_script[] =
    "window.addEventListener('error',function(e){var r=document.documentElement;"
    "r.setAttribute('data-jserror',(r.getAttribute('data-jserror')||'')"
    "+(e.message||'error')+';');});";

static void put_head(FILE *f, const xc_run_result *res)
{
    char d[11];
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\" class=\"nojs\">\n<head>\n"
          "<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", f);
    fprintf(f, "<meta name=\"generator\" content=\"xcheck ");
    put_text(f, res->version);
    fprintf(f, "\">\n<title>困难职工档案核查报告 %s</title>\n<style>\n",
            xc_date_format(res->as_of, d));
    put_lines(f, css);
    fprintf(f, "</style>\n<script>%s</script>\n</head>\n<body>\n", err_script);
    fprintf(f, "<header class=\"top\"><h1>困难职工档案核查报告</h1>\n<p>核查基准日 %s · 政策配置 ",
            d);
    put_text(f, res->profile.name);
    fputs(" · 运行编号 ", f);
    put_text(f, res->run_id);
    fputs("</p>\n<nav><a href=\"#overview\">概览</a><a href=\"#run\">运行信息</a>"
          "<a href=\"#sources\">数据来源与行数</a><a href=\"#rates\">比率</a>"
          "<a href=\"#rules\">规则</a><a href=\"#flags\">疑点清单</a></nav></header>\n<main>\n", f);
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
            put_text(f, res->warnings[i].text);
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
    fputs("<section id=\"run\"><h2>一、运行信息</h2>\n<table class=\"kv\">\n", f);
    fprintf(f, "<tr><th>核查基准日</th><td>%s</td></tr>\n", xc_date_format(res->as_of, d1));
    fprintf(f, "<tr><th>审计期间</th><td>%s 至 %s（%d 个月）</td></tr>\n",
            xc_date_format(res->audit_from + 1, d2), d1, res->profile.audit_period_months);
    kv_open(f, "政策配置");
    put_text(f, res->profile.name);
    fputs(" <span class=\"c\">", f);
    put_text(f, res->profile.path);
    fputs("</span></td></tr>\n", f);
    kv_open(f, "配置文件");
    fputs("<span class=\"mono\">", f);
    put_text(f, res->config_path);
    fputs("</span></td></tr>\n", f);
    fprintf(f, "<tr><th>配置哈希</th><td class=\"mono\">%s <span class=\"c\">（SHA-256，不含口令）</span>"
            "</td></tr>\n", res->config_hash);
    kv_open(f, "数据库快照");
    if (res->snapshot[0]) {
        fputs("<span class=\"mono\">", f);
        put_text(f, res->snapshot);
        fputs("</span> <span class=\"c\">（PostgreSQL，所有连接读取同一快照）</span>", f);
    } else {
        fputs("无（本次未从 PostgreSQL 读取）", f);
    }
    fputs("</td></tr>\n", f);
    kv_open(f, "程序版本");
    fputs("xcheck ", f);
    put_text(f, res->version);
    fputs("</td></tr>\n", f);
    kv_open(f, "运行编号");
    put_text(f, res->run_id);
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
    fputs("</table>\n<details><summary>政策参数（阈值及各规则参数，来自政策配置文件）</summary>\n"
          "<table class=\"kv\"><tr><th>节</th><th>参数</th><th>取值</th></tr>\n", f);
    const char *sec, *key;
    char val[256];
    for (int i = 0; xc_profile_param(&res->profile, i, &sec, &key, val, sizeof val); i++) {
        fprintf(f, "<tr><td>[%s]</td><td class=\"mono\">%s</td><td>", sec, key);
        put_text(f, val);
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

static void put_sources(FILE *f, const xc_run_result *res)
{
    fputs("<section id=\"sources\"><h2>二、数据来源与行数核对</h2>\n"
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
            fprintf(f, "<td colspan=\"10\" class=\"c\">未配置%s</td></tr>\n",
                    ds->required ? "" : "（可选数据集；依赖它的规则不评估）");
            continue;
        }
        const xc_counts *c = &r->counts;
        bool adds_up = c->read == c->matched + c->unmatched + c->rejected &&
                       c->physical_rows == c->read + c->other_lines;
        fputs("<td class=\"mono\">", f);
        put_text(f, r->where);
        fprintf(f, "</td><td>%s", strategy_zh(r->strategy));
        if (r->strategy_reason[0]) {
            fputs("<br><span class=\"c\">", f);
            put_text(f, r->strategy_reason);
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
    }
    fputs("</tbody></table>\n</section>\n", f);
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
    if (!r->evaluated || !r->complete)
        put_rate_why(f, r->rate, res);
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
                r->group == XC_GROUP_TOTAL ? "—" : code);
        put_text(f, name);
        fputs("</td>", f);
        put_rate_cells(f, r, res);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

enum { CHART_COUNTIES_MAX = 30 };   /* more counties: the table only */

static size_t rate_bars(const xc_run_result *res, xc_rate_id rate, bool counties, bar *b)
{
    size_t n = 0;
    bool level_heading = false;
    for (size_t i = 0; i < res->n_rates; i++) {
        const xc_rate_row *r = &res->rates[i];
        if (r->rate != rate || (r->group == XC_GROUP_COUNTY && !counties))
            continue;
        if (r->group == XC_GROUP_LEVEL && !level_heading) {
            b[n] = (bar){.heading = true};
            snprintf(b[n++].label, sizeof b->label, "按档案级别");
            level_heading = true;
        }
        bar *x = &b[n++];
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
    bar *b = malloc((res->n_rates + 2) * sizeof *b);
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
        chart c = {.id = id, .caption = caption, .percent = true, .threshold = t->threshold};
        fmt_threshold(thr, sizeof thr, t->threshold);
        snprintf(c.threshold_label, sizeof c.threshold_label, "阈值 %s%s",
                 xc_rate_is_max(t->rate) ? "≤" : "≥", thr);
        put_chart(f, &c, b, rate_bars(res, (xc_rate_id)rate, counties <= CHART_COUNTIES_MAX, b));
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
    fputs("<section id=\"rates\"><h2>三、比率</h2>\n"
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
    bar *b = calloc(n_bars ? n_bars : 1, sizeof *b);
    if (!b)
        return XC_ENOMEM;
    fputs("<section id=\"rules\"><h2>四、规则</h2>\n", f);
    put_rule_notes(f, res);
    fputs("<div class=\"charts\">\n", f);
    size_t n = 0;
    for (size_t i = 0; i < res->n_rules; i++) {
        const xc_rule_result *r = &res->rules[i];
        if (!r->evaluated)
            continue;
        bar *x = &b[n++];
        memset(x, 0, sizeof *x);
        snprintf(x->label, sizeof x->label, "%s", r->rule->title_zh);
        snprintf(x->sub, sizeof x->sub, "%s", r->rule->id);
        x->value = (double)r->flags;
        x->cls = "n";
        snprintf(x->note, sizeof x->note, "%zu", r->flags);
    }
    chart c = {.id = "chart-rules", .caption = "疑点数（按规则）", .threshold = -1};
    put_chart(f, &c, b, n);
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
    c = (chart){.id = "chart-categories", .caption = "疑点数（按类别）", .threshold = -1};
    put_chart(f, &c, b, XC_CAT_COUNT);
    fputs("</div>\n", f);
    free(b);
    put_rule_table(f, res);
    fputs("</section>\n", f);
    return XC_OK;
}

/* ---- income months from a flag's evidence --------------------------------- */

/* The recorded months are read back from the evidence the rule wrote, so
 * the page shows exactly the numbers of evidence.jsonl. */

enum { EV_MONTHS_MAX = 240 };

typedef struct ev_month {
    xc_month month;
    char income[24], members[12], per_capita[24], standard[24];   /* standard "" for null */
    char above, below;                                            /* '0' or '1' */
} ev_month;

static const char *js_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

/* The JSON string at p: its text (escapes kept) into *ret_s, *ret_n when
 * asked. Returns the byte after it, or NULL when p holds none. */
static const char *js_string(const char *p, const char **ret_s, size_t *ret_n)
{
    if (*p != '"')
        return NULL;
    const char *s = ++p;
    for (; *p && *p != '"'; p++)
        if (*p == '\\' && !*++p)
            return NULL;
    if (*p != '"')
        return NULL;
    if (ret_s) {
        *ret_s = s;
        *ret_n = (size_t)(p - s);
    }
    return p + 1;
}

/* Skips the JSON value at p. Returns the byte after it, or NULL. */
static const char *js_skip(const char *p)
{
    p = js_ws(p);
    if (*p == '"')
        return js_string(p, NULL, NULL);
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        p = js_ws(p + 1);
        if (*p == close)
            return p + 1;
        for (;;) {
            if (close == '}') {
                if (!(p = js_string(js_ws(p), NULL, NULL)))
                    return NULL;
                p = js_ws(p);
                if (*p++ != ':')
                    return NULL;
            }
            if (!(p = js_skip(p)))
                return NULL;
            p = js_ws(p);
            if (*p != ',')
                return *p == close ? p + 1 : NULL;
            p++;
        }
    }
    const char *s = p;
    while (*p && strchr("+-.0123456789eEtruefalsn", *p))
        p++;
    return p > s ? p : NULL;
}

/* The value of member `key` of the JSON object at p, or NULL. */
static const char *js_member(const char *p, const char *key)
{
    p = js_ws(p);
    if (*p != '{')
        return NULL;
    p = js_ws(p + 1);
    while (*p == '"') {
        const char *k;
        size_t kn;
        if (!(p = js_string(p, &k, &kn)))
            return NULL;
        p = js_ws(p);
        if (*p++ != ':')
            return NULL;
        p = js_ws(p);
        if (kn == strlen(key) && memcmp(k, key, kn) == 0)
            return p;
        if (!(p = js_skip(p)))
            return NULL;
        p = js_ws(p);
        if (*p != ',')
            return NULL;
        p = js_ws(p + 1);
    }
    return NULL;
}

/* Copies the number at p (as written) into out. Returns false when p holds
 * no plain number. */
static bool js_number(const char *p, char *out, size_t n)
{
    size_t len = 0;
    if (!p)
        return false;
    while (p[len] && strchr("-.0123456789", p[len]))
        len++;
    if (len == 0 || len >= n)
        return false;
    memcpy(out, p, len);
    out[len] = '\0';
    return true;
}

static bool js_bool(const char *p, char *out)
{
    if (p && strncmp(p, "true", 4) == 0)
        *out = '1';
    else if (p && strncmp(p, "false", 5) == 0)
        *out = '0';
    else
        return false;
    return true;
}

static bool ev_month_read(const char *obj, ev_month *m)
{
    const char *s, *p = js_member(obj, "month");
    size_t n;
    int y, mo;
    char text[8];
    if (!p || !js_string(p, &s, &n) || n != 7)
        return false;
    memcpy(text, s, 7);
    text[7] = '\0';
    if (sscanf(text, "%4d-%2d", &y, &mo) != 2 || mo < 1 || mo > 12)
        return false;
    m->month = y * 12 + mo - 1;
    p = js_member(obj, "standard");
    m->standard[0] = '\0';
    if (!p || (strncmp(p, "null", 4) != 0 && !js_number(p, m->standard, sizeof m->standard)))
        return false;
    /* A month social insurance does not cover has no income: "" */
    char covered = '1';
    p = js_member(obj, "covered");
    if (p && !js_bool(p, &covered))
        return false;
    if (covered == '0') {
        m->income[0] = m->per_capita[0] = '\0';
        return js_number(js_member(obj, "members"), m->members, sizeof m->members) &&
               js_bool(js_member(obj, "above"), &m->above) &&
               js_bool(js_member(obj, "below"), &m->below);
    }
    return js_number(js_member(obj, "household_income"), m->income, sizeof m->income) &&
           js_number(js_member(obj, "members"), m->members, sizeof m->members) &&
           js_number(js_member(obj, "per_capita"), m->per_capita, sizeof m->per_capita) &&
           js_bool(js_member(obj, "above"), &m->above) &&
           js_bool(js_member(obj, "below"), &m->below);
}

/* Reads the "factor" and the consecutive "months" of a flag's evidence into
 * factor and m[0 .. *ret_n). Returns false when there are none. */
static bool ev_months(const char *evidence, char factor[24], ev_month *m, int *ret_n)
{
    const char *p = evidence ? js_member(evidence, "months") : NULL;
    int n = 0;
    if (!p || *p != '[' ||
        !js_number(js_member(evidence, "factor"), factor, 24))
        return false;
    p = js_ws(p + 1);
    while (*p == '{') {
        if (n == EV_MONTHS_MAX || !ev_month_read(p, &m[n]) ||
            (n > 0 && m[n].month != m[0].month + n))
            return false;
        n++;
        if (!(p = js_skip(p)))
            return false;
        p = js_ws(p);
        if (*p == ',')
            p = js_ws(p + 1);
    }
    *ret_n = n;
    return n > 0 && *p == ']';
}

static bool ev_same(const ev_month *a, const ev_month *b)
{
    return strcmp(a->income, b->income) == 0 && strcmp(a->members, b->members) == 0 &&
           strcmp(a->per_capita, b->per_capita) == 0 && strcmp(a->standard, b->standard) == 0 &&
           a->above == b->above && a->below == b->below;
}

/* The months as the page's script reads them, in data-m:
 *   from;to;factor;first month;month,month...
 * a month "income:members:per_capita:standard:AB" (A above, B below, 0/1;
 * income and per_capita "" for a month social insurance does not cover),
 * "*k" after one that repeats k times. */
static void put_income_data(FILE *f, const xc_flag *fl, const char *factor, const ev_month *m,
                            int n)
{
    char mon[8];
    fputs(" data-m=\"", f);
    put_date(f, fl->from);
    fputc(';', f);
    put_date(f, fl->to);
    fprintf(f, ";%s;%s;", factor, xc_month_format(m[0].month, mon));
    for (int i = 0; i < n;) {
        int j = i;
        while (j + 1 < n && ev_same(&m[j + 1], &m[i]))
            j++;
        fprintf(f, "%s%s:%s:%s:%s:%c%c", i ? "," : "", m[i].income, m[i].members,
                m[i].per_capita, m[i].standard, m[i].above, m[i].below);
        if (j > i)
            fprintf(f, "*%d", j - i + 1);
        i = j + 1;
    }
    fputc('"', f);
}

/* ---- the flag list -------------------------------------------------------- */

/* One row of the flag list. The end tags of cells and rows are left out
 * (HTML allows it), as the list may hold tens of thousands of rows. */
static void put_flag_row(FILE *f, const xc_run_result *res, size_t i, ev_month *months)
{
    const xc_flag *fl = &res->flags.v[i];
    const xc_household *hh = fl->household == XC_NONE ? NULL
                           : xc_archive_household(res->archive, fl->household);
    uint32_t region = hh ? hh->region : fl->region;
    char masked[32], level[64] = "", factor[24];
    int n = 0;
    fputs("<tr", f);
    if (strcmp(fl->rule->family, "income") == 0 && ev_months(fl->evidence, factor, months, &n)) {
        fprintf(f, " data-i=\"%zu\"", i);
        put_income_data(f, fl, factor, months, n);
    }
    fprintf(f, "><td>%zu<td>%s<td>%s<td%s>", i + 1, fl->rule->id,
            xc_category_label_zh(fl->category), hh ? "" : " data-k=\"\"");
    if (hh)
        put_text(f, hh->archive_no);
    else
        fputs("<span class=\"c\">不在档</span>", f);   /* sorted last */
    fputs("<td>", f);
    if (region) {
        const char *name = xc_region_name(region);
        put_text(f, name ? name : "");
        fprintf(f, " <span class=\"c\">%06u</span>", region);
    }
    if (hh)
        level_name(hh->level, level, sizeof level);
    fprintf(f, "<td>%s<td>", level);
    xc_flag_masked_id(res->archive, fl, masked);
    put_text(f, masked);
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
    put_text(f, fl->summary);
    fputc('\n', f);
}

static int put_flags(FILE *f, const xc_run_result *res)
{
    ev_month *months = malloc(EV_MONTHS_MAX * sizeof *months);
    if (!months)
        return XC_ENOMEM;
    fprintf(f, "<section id=\"flags\"><h2>五、疑点清单</h2>\n"
            "<p class=\"note\">身份证号只显示脱敏形式。每条疑点的证据（匹配到的源数据行、"
            "收入逐月明细）见同一目录的 evidence.jsonl，顺序与本表序号一致；"
            "该文件含完整身份证号，请按保密要求保管。"
            "收入类疑点可点“收入图”查看逐月人均收入与低保标准。"
            "</p>\n<div class=\"tools js\"><input id=\"flag-search\" type=\"search\" "
            "placeholder=\"搜索：规则、档案编号、地区、姓名、日期……（空格分隔多个词）\" "
            "aria-label=\"搜索疑点\"><span>显示 <b id=\"flag-shown\">%zu</b> / 共 %zu 条"
            "（点击表头排序）</span></div>\n", res->flags.n, res->flags.n);
    fputs("<div class=\"wide\"><table id=\"flag-table\"><thead><tr>"
          "<th class=\"n\">序号</th><th>规则</th><th>类别</th>"
          "<th>档案编号</th><th>地区</th><th>级别</th><th>身份证号（脱敏）</th><th>建档日期</th>"
          "<th title=\"判定疑点的条件开始与结束的日期\">起止日期</th><th>摘要</th></tr></thead>\n"
          "<tbody>\n", f);
    for (size_t i = 0; i < res->flags.n; i++)
        put_flag_row(f, res, i, months);
    fputs("</tbody></table></div>\n", f);
    if (!res->flags.n)
        fputs("<p>本次核查未发现疑点。</p>\n", f);
    fputs("</section>\n", f);
    free(months);
    return XC_OK;
}

/* ---- script --------------------------------------------------------------- */

/* Search, sort, income charts, and a self-check run by the tests when the
 * page is opened with #selftest (or #selftest:QUERY). */
static const char *const script[] = {
    "(function () {\n",
    "'use strict';\n",
    "var d = document, root = d.documentElement;\n",
    "root.classList.remove('nojs');\n",
    "function $(id) { return d.getElementById(id); }\n",
    "function esc(s) {\n",
    "  return String(s).replace(/[&<>\"']/g, function (c) { return '&#' ",
    "+ c.charCodeAt(0) + ';'; });\n",
    "}\n",
    "var table = $('flag-table'), body = table.tBodies[0], box = $('flag-search');\n",
    "var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);\n",
    "var rows = Array.prototype.slice.call(body.rows);\n",
    "var texts = rows.map(function (r) { return r.textContent.toLowerCase(); });\n",
    "rows.forEach(function (r) {\n",
    "  if (!r.hasAttribute('data-m')) return;\n",
    "  var td = r.cells[1], b = d.createElement('button');\n",
    "  td.setAttribute('data-k', td.textContent);\n",
    "  b.className = 'inc';\n",
    "  b.type = 'button';\n",
    "  b.textContent = '收入图';\n",
    "  b.setAttribute('aria-expanded', 'false');\n",
    "  td.appendChild(b);\n",
    "});\n",
    "var dets = [], opened = [], sorted = [0, 1];\n",
    "var coll = new Intl.Collator('zh-CN', {numeric: true});\n",
    "\n",
    "function filter() {\n",
    "  var terms = box.value.toLowerCase().trim().split(/ +/)",
    ".filter(function (t) { return t; });\n",
    "  var n = 0;\n",
    "  rows.forEach(function (r, i) {\n",
    "    var ok = terms.every(function (t) { return texts[i].indexOf(t) >= 0; });\n",
    "    r.hidden = !ok;\n",
    "    if (dets[i]) dets[i].hidden = !ok || !opened[i];\n",
    "    if (ok) n++;\n",
    "  });\n",
    "  $('flag-shown').textContent = n;\n",
    "  return n;\n",
    "}\n",
    "box.addEventListener('input', filter);\n",
    "\n",
    "function key(r, c) {\n",
    "  var td = r.cells[c];\n",
    "  return td.hasAttribute('data-k') ? td.getAttribute('data-k') : td.textContent;\n",
    "}\n",
    "function sortBy(c, dir) {\n",
    "  var keys = rows.map(function (r) { return key(r, c); });\n",
    "  var order = rows.map(function (r, i) { return i; });\n",
    "  order.sort(function (a, b) {\n",
    "    var x = keys[a], y = keys[b];\n",
    "    if (!x !== !y) return x ? -1 : 1;\n",
    "    return dir * coll.compare(x, y) || a - b;\n",
    "  });\n",
    "  var frag = d.createDocumentFragment();\n",
    "  order.forEach(function (i) {\n",
    "    frag.appendChild(rows[i]);\n",
    "    if (dets[i]) frag.appendChild(dets[i]);\n",
    "  });\n",
    "  body.appendChild(frag);\n",
    "  heads.forEach(function (h, j) {\n",
    "    h.classList.toggle('asc', j === c && dir > 0);\n",
    "    h.classList.toggle('desc', j === c && dir < 0);\n",
    "    h.setAttribute('aria-sort', j !== c ? 'none' : dir > 0 ? 'ascending' : 'descending');\n",
    "  });\n",
    "  sorted = [c, dir];\n",
    "}\n",
    "heads.forEach(function (h, j) {\n",
    "  function go() { sortBy(j, sorted[0] === j ? -sorted[1] : 1); }\n",
    "  h.tabIndex = 0;\n",
    "  h.addEventListener('click', go);\n",
    "  h.addEventListener('keydown', function (e) {\n",
    "    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); go(); }\n",
    "  });\n",
    "});\n",
    "\n",
    "function ym(y, m) { return y + '-' + (m < 9 ? '0' : '') + (m + 1); }\n",
    "function decode(s) {\n",
    "  var p = s.split(';'), first = p[3].split('-'), y = +first[0], m ",
    "= +first[1] - 1, out = [];\n",
    "  p[4].split(',').forEach(function (t) {\n",
    "    var k = 1, star = t.indexOf('*');\n",
    "    if (star >= 0) { k = +t.slice(star + 1); t = t.slice(0, star); }\n",
    "    var f = t.split(':');\n",
    "    for (var j = 0; j < k; j++) {\n",
    "      out.push({m: ym(y, m), hi: f[0], mem: f[1], pc: f[2], st: f[3], v: f[4]});\n",
    "      if (++m === 12) { m = 0; y++; }\n",
    "    }\n",
    "  });\n",
    "  return {from: p[0], to: p[1], factor: p[2], months: out};\n",
    "}\n",
    "function verdict(e, factor) {\n",
    "  if (e.pc === '') return '社保数据未覆盖，无法判断';\n",
    "  if (e.st === '') return '无标准，不能判定';\n",
    "  var f = factor === '1' ? '' : '×' + factor, a = e.v.charAt(0) === ",
    "'1', b = e.v.charAt(1) === '1';\n",
    "  if (a && b) return '高于标准' + f + '且低于标准';\n",
    "  if (a) return '高于标准' + f;\n",
    "  if (b) return '低于标准';\n",
    "  return f ? '介于标准与标准' + f + '之间' : '等于标准';\n",
    "}\n",
    "function nice(v) {\n",
    "  if (!(v > 0)) return 1;\n",
    "  var p = Math.pow(10, Math.floor(Math.log10(v))), q = v / p;\n",
    "  return (q <= 1 ? 1 : q <= 2 ? 2 : q <= 5 ? 5 : 10) * p;\n",
    "}\n",
    "function inWindow(x, m) {\n",
    "  return x.from !== '' && x.to !== '' && m >= x.from.slice(0, 7) && m <= x.to.slice(0, 7);\n",
    "}\n",
    "function incomeSvg(x) {\n",
    "  var ms = x.months, n = ms.length, W = 660, H = 250, L = 70, R = 20, T = 28, B = 44;\n",
    "  var pw = W - L - R, ph = H - T - B, bw = pw / n, f = parseFloat(x.factor) || 1, max = 0;\n",
    "  ms.forEach(function (e) {\n",
    "    max = Math.max(max, +e.pc, e.st === '' ? 0 : +e.st * Math.max(f, 1));\n",
    "  });\n",
    "  var step = nice(max / 4), top = step * Math.max(1, Math.ceil(max / step - 1e-9));\n",
    "  function Y(v) { return (T + ph - ph * v / top).toFixed(1); }\n",
    "  function X(i) { return (L + i * bw).toFixed(1); }\n",
    "  var s = ['<svg class=\"inc-chart\" data-months=\"' + n + '\" ",
    "viewBox=\"0 0 ' + W + ' ' + H +\n",
    "    '\" width=\"' + W +\n",
    "    '\" height=\"' + H + '\" role=\"img\" aria-label=\"家庭人均月收入与低保标准\">'];\n",
    "  var w0 = -1, w1 = -1;\n",
    "  ms.forEach(function (e, i) { if (inWindow(x, e.m)) { if (w0 < 0) w0 = i; w1 = i; } });\n",
    "  if (w0 >= 0) {\n",
    "    s.push('<rect class=\"win\" x=\"' + X(w0) + '\" y=\"' + T + '\" width=\"' +\n",
    "      ((w1 - w0 + 1) * bw).toFixed(1) + '\" height=\"' + ph + '\"/>');\n",
    "    var right = w0 > n / 2, lx = right ? X(w1 + 1) : X(w0);\n",
    "    s.push('<text x=\"' + lx + '\" y=\"' + (T - 8) + '\" class=\"wl\" text-anchor=\"' +\n",
    "      (right ? 'end' : 'start') + '\">疑点期间 ' +\n",
    "      esc(x.from) + ' 至 ' + esc(x.to) + '</text>');\n",
    "  } else if (x.from !== '') {\n",
    "    var at = n;\n",
    "    ms.forEach(function (e, i) { if (e.m === x.from.slice(0, 7)) at = i; });\n",
    "    s.push('<line class=\"mk\" x1=\"' + X(at) + '\" y1=\"' + (T - 4) + '\" x2=\"' + X(at) +\n",
    "      '\" y2=\"' + (T + ph) + '\"/><text x=\"' + X(at) + '\" y=\"' + (T - 8) +\n",
    "      '\" text-anchor=\"end\">疑点日期 ' + esc(x.from) + '</text>');\n",
    "  }\n",
    "  for (var k = 0; k * step <= top + 1e-9; k++) {\n",
    "    var v = k * step, y = Y(v);\n",
    "    s.push('<line x1=\"' + L + '\" x2=\"' + (W - R) + '\" y1=\"' + y + '\" y2=\"' + y +\n",
    "      '\" stroke=\"#e3e7ee\"/><text x=\"' + (L - 6) + '\" y=\"' + (+y + 4) +\n",
    "      '\" text-anchor=\"end\">' + (step < 1 ? v.toFixed(2) : v.toFixed(0)) + '</text>');\n",
    "  }\n",
    "  s.push('<text x=\"' + 4 + '\" y=\"' + (T - 14) + '\">元/人·月</text>');\n",
    "  var every = Math.ceil(n / 8);\n",
    "  ms.forEach(function (e, i) {\n",
    "    var h = e.pc === '' ? 0 : ph * (+e.pc) / top, gap = Math.min(2, bw * 0.2);\n",
    "    s.push('<rect class=\"m m' + e.v + '\" x=\"' + (L + i * bw + ",
    "gap).toFixed(1) + '\" y=\"' +\n",
    "      (T + ph - h).toFixed(1) + '\" width=\"' + Math.max(1, bw - 2 * gap).toFixed(1) +\n",
    "      '\" height=\"' + h.toFixed(1) + '\"><title>' + esc(e.m + ' ",
    "人均 ' + (e.pc === '' ? '未知' : e.pc + ' 元') + '，标准 ' +\n",
    "      (e.st === '' ? '无' : e.st + ' 元') + '：' + verdict(e, ",
    "x.factor)) + '</title></rect>');\n",
    "    if (i % every === 0)\n",
    "      s.push('<text x=\"' + (L + (i + 0.5) * bw).toFixed(1) + '\" y=\"' + (T + ph + 16) +\n",
    "        '\" text-anchor=\"middle\">' + e.m + '</text>');\n",
    "  });\n",
    "  function line(cls, mult) {\n",
    "    var p = '', prev = false;\n",
    "    ms.forEach(function (e, i) {\n",
    "      if (e.st === '') { prev = false; return; }\n",
    "      var y = Y(+e.st * mult);\n",
    "      p += (prev ? 'V' : 'M' + X(i) + ' ') + y + 'H' + X(i + 1);\n",
    "      prev = true;\n",
    "    });\n",
    "    if (p) s.push('<path class=\"' + cls + '\" d=\"' + p + '\"/>');\n",
    "  }\n",
    "  line('std', 1);\n",
    "  if (f !== 1) line('fac', f);\n",
    "  s.push('<line x1=\"' + L + '\" x2=\"' + (W - R) + '\" y1=\"' + (T + ",
    "ph) + '\" y2=\"' + (T + ph) +\n",
    "    '\" stroke=\"#6b7280\"/></svg>');\n",
    "  return s.join('');\n",
    "}\n",
    "function incomeHtml(x) {\n",
    "  var f = x.factor === '1' ? '' : '×' + esc(x.factor);\n",
    "  var h = '<div class=\"incbox\"><div>' + incomeSvg(x) + '<div class=\"note\">' +\n",
    "    '<span class=\"sw m10\"></span>人均收入高于标准' + f + '<span ",
    "class=\"sw m01\"></span>低于标准' +\n",
    "    '<span class=\"sw m00\"></span>其他<span class=\"sw std\"></span>当地低保标准' +\n",
    "    (f ? '（虚线：标准' + f + '）' : '') + '；黄色底纹：疑点期间</div></div>';\n",
    "  h += '<div class=\"mtw\"><table class=\"mt\"><thead><tr><th>月份</th>",
    "<th class=\"n\">家庭月收入</th>' +\n",
    "    '<th class=\"n\">人数</th><th class=\"n\">人均</th><th ",
    "class=\"n\">低保标准</th><th>判定</th>' +\n",
    "    '</tr></thead><tbody>';\n",
    "  x.months.forEach(function (e) {\n",
    "    h += '<tr' + (inWindow(x, e.m) ? ' class=\"in\"' : '') + '><td>' + ",
    "e.m + '</td><td class=\"n\">' +\n",
    "      (e.hi === '' ? '—' : esc(e.hi)) + '</td><td class=\"n\">' + esc(e.mem) + '</td><td ",
    "class=\"n\">' + (e.pc === '' ? '—' : esc(e.pc)) +\n",
    "      '</td><td class=\"n\">' + (e.st === '' ? '无' : esc(e.st)) + '</td><td>' +\n",
    "      verdict(e, x.factor) + '</td></tr>';\n",
    "  });\n",
    "  return h + '</tbody></table><div class=\"note\">金额单位：元；与 ",
    "evidence.jsonl 中的 months 一致</div>' +\n",
    "    '</div></div>';\n",
    "}\n",
    "function toggle(i, open) {\n",
    "  var r = rows[i];\n",
    "  if (open && !dets[i]) {\n",
    "    var tr = d.createElement('tr'), td = d.createElement('td');\n",
    "    tr.className = 'det';\n",
    "    td.colSpan = r.cells.length;\n",
    "    td.innerHTML = incomeHtml(decode(r.getAttribute('data-m')));\n",
    "    tr.appendChild(td);\n",
    "    r.parentNode.insertBefore(tr, r.nextSibling);\n",
    "    dets[i] = tr;\n",
    "  }\n",
    "  opened[i] = open;\n",
    "  if (dets[i]) dets[i].hidden = !open || r.hidden;\n",
    "  r.querySelector('button.inc').setAttribute('aria-expanded', open ? 'true' : 'false');\n",
    "}\n",
    "body.addEventListener('click', function (e) {\n",
    "  var b = e.target.closest('button.inc');\n",
    "  if (!b) return;\n",
    "  var i = +b.closest('tr').getAttribute('data-i');\n",
    "  toggle(i, !opened[i]);\n",
    "  var first = opened[i] && e.isTrusted && dets[i].querySelector('tr.in');\n",
    "  if (first) first.closest('.mtw').scrollTop = Math.max(0, first.offsetTop - 40);\n",
    "});\n",
    "d.addEventListener('click', function (e) {\n",
    "  var a = e.target.closest('a[data-q]');\n",
    "  if (!a) return;\n",
    "  box.value = a.getAttribute('data-q');\n",
    "  filter();\n",
    "});\n",
    "\n",
    "function selftest(q) {\n",
    "  var log = [], months = [], ok = true;\n",
    "  function check(c, what) { if (!c) { ok = false; log.push('FAIL ' + what); } }\n",
    "  function visible() {\n",
    "    return Array.prototype.filter.call(body.rows, function (r) {\n",
    "      return !r.hidden && r.className !== 'det';\n",
    "    });\n",
    "  }\n",
    "  function inOrder(c, dir) {\n",
    "    var v = visible();\n",
    "    for (var i = 1; i < v.length; i++) {\n",
    "      var x = key(v[i - 1], c), y = key(v[i], c);\n",
    "      if (x && y && dir * coll.compare(x, y) > 0) return false;\n",
    "    }\n",
    "    return true;\n",
    "  }\n",
    "  var rt = $('rate-table');\n",
    "  log.push('rate-rows ' + (rt ? rt.tBodies[0].rows.length : 0));\n",
    "  log.push('charts ' + d.querySelectorAll('svg.chart').length);\n",
    "  log.push('flags ' + rows.length);\n",
    "  if (rows.length) {\n",
    "    box.value = q || rows[0].cells[3].textContent;\n",
    "    var n = filter();\n",
    "    check(n === visible().length, 'search count');\n",
    "    log.push('search ' + box.value + ' ' + n);\n",
    "    box.value = 'no-such-flag-zz';\n",
    "    log.push('search-none ' + filter());\n",
    "    box.value = '';\n",
    "    log.push('search-all ' + filter());\n",
    "    heads[3].click();\n",
    "    check(inOrder(3, 1), 'sort ascending');\n",
    "    log.push('sort-asc-first ' + visible()[0].cells[3].textContent);\n",
    "    heads[3].click();\n",
    "    check(inOrder(3, -1), 'sort descending');\n",
    "    log.push('sort-desc-first ' + visible()[0].cells[3].textContent);\n",
    "    heads[0].click();\n",
    "    check(inOrder(0, 1) && visible()[0] === rows[0], 'sort back');\n",
    "  }\n",
    "  var inc = rows.filter(function (r) { return r.hasAttribute('data-m'); });\n",
    "  log.push('income-flags ' + inc.length);\n",
    "  inc.slice(0, 200).forEach(function (r, k) {\n",
    "    var i = +r.getAttribute('data-i'), x = decode(r.getAttribute('data-m'));\n",
    "    r.querySelector('button.inc').click();\n",
    "    check(opened[i] && dets[i] && !dets[i].hidden, 'income open ' + (i + 1));\n",
    "    var bars = dets[i].querySelectorAll('svg.inc-chart rect.m').length;\n",
    "    check(bars === x.months.length, 'income bars ' + (i + 1));\n",
    "    x.months.forEach(function (e) {\n",
    "      months.push((i + 1) + ' ' + e.m + ' ' + e.hi + ' ' + e.mem + ' ' + e.pc + ' ' +\n",
    "        (e.st === '' ? 'null' : e.st) + ' ' + e.v);\n",
    "    });\n",
    "    if (k > 0) r.querySelector('button.inc').click();\n",
    "  });\n",
    "  log.push('income-charts ' + d.querySelectorAll('svg.inc-chart').length);\n",
    "  log.push('result ' + (ok ? 'pass' : 'fail'));\n",
    "  $('selftest-log').textContent = log.join('\\n');\n",
    "  $('selftest-months').textContent = months.join('\\n');\n",
    "  root.setAttribute('data-selftest', ok ? 'pass' : 'fail');\n",
    "}\n",
    "var h = location.hash;\n",
    "if (h.indexOf('#selftest') === 0) selftest(decodeURIComponent(h.slice(10)));\n",
    "root.setAttribute('data-ready', '1');\n",
    "})();\n",
    NULL};

static void put_footer(FILE *f, const xc_run_result *res)
{
    fputs("</main>\n<footer>本报告由 xcheck ", f);
    put_text(f, res->version);
    fputs(" 生成，与同一目录的 flags.csv、evidence.jsonl、rates.csv、rules.csv、summary.json、"
          "accounting.csv 出自同一次运行。页面不含完整身份证号，不引用任何网络资源。</footer>\n"
          "<section id=\"selftest\" hidden><pre id=\"selftest-log\"></pre>"
          "<pre id=\"selftest-months\"></pre></section>\n<script>\n", f);
    put_lines(f, script);
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

int xc_report_write_html(const xc_run_result *res, const char *outdir, xc_err *err)
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
        put_manifest(f, res);
        put_sources(f, res);
    }
    if (rc < 0 || (rc = put_rates(f, res)) < 0 || (rc = put_rules(f, res)) < 0 ||
        (rc = put_flags(f, res)) < 0) {
        xc_output_abort(&out);
        return xc_err_set(err, rc, "out of memory while writing \"%s\"", out.path);
    }
    put_footer(f, res);
    return xc_output_commit(&out, err);
}
