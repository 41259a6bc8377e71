/* html.c - escaped and masked text for the page, and its SVG bar charts. */
#include "html.h"

#include <math.h>
#include <string.h>

#include "xcheck/idno.h"
#include "xcheck/text.h"

/* Writes s[0..n) escaped for HTML text and attribute values; the bytes
 * that need nothing go out by runs. */
void xc_html_esc(FILE *f, const char *s, size_t n)
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
void xc_html_text(FILE *f, const char *s)
{
    if (!s)
        return;
    size_t len = strlen(s);
    xc_buf b = {0};
    const char *t = xc_masked(s, &len, false, &b);
    if (t)
        xc_html_esc(f, t, len);
    xc_buf_free(&b);
}

/* Width in pixels of text at font size px: CJK a full em, ASCII about 0.6. */
int xc_html_text_px(const char *s, int px)
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


/* ---- bar charts ----------------------------------------------------------- */

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

static chart_box chart_layout(const xc_chart *c, const xc_bar *b, size_t n)
{
    chart_box k = {0};
    double max = c->threshold > 0 ? c->threshold : 0;
    for (size_t i = 0; i < n; i++) {
        int w = xc_html_text_px(b[i].label, CH_FONT) + xc_html_text_px(b[i].sub, CH_FONT) + b[i].indent * 14;
        k.label_w = w > k.label_w ? w : k.label_w;
        w = xc_html_text_px(b[i].note, CH_FONT);
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

static void put_chart_grid(FILE *f, const xc_chart *c, const chart_box *k)
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

static void put_chart_row(FILE *f, const xc_bar *b, int y, const chart_box *k)
{
    fprintf(f, "<text x=\"%d\" y=\"%d\"%s>", 8 + b->indent * 14, y + CH_ROW / 2 + 4,
            b->heading ? " class=\"hd\"" : "");
    xc_html_text(f, b->label);
    if (b->sub[0]) {
        fputs(" <tspan class=\"sub\">", f);
        xc_html_text(f, b->sub);
        fputs("</tspan>", f);
    }
    fputs("</text>", f);
    if (!b->heading) {
        double w = k->max > 0 ? CH_PLOT * b->value / k->max : 0;
        fprintf(f, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>",
                b->cls, k->label_w, y + (CH_ROW - CH_BAR) / 2, w, CH_BAR);
        xc_html_text(f, b->label);
        fputs("：", f);
        xc_html_text(f, b->note);
        fprintf(f, "</title></rect><text class=\"val\" x=\"%.1f\" y=\"%d\">",
                k->label_w + w + 6, y + CH_ROW / 2 + 4);
        xc_html_text(f, b->note);
        fputs("</text>", f);
    }
    fputc('\n', f);
}

/* A horizontal bar chart in SVG: a row per bar, the axis below, and the
 * threshold (if any) as a dashed line across. */
void xc_html_chart(FILE *f, const xc_chart *c, const xc_bar *b, size_t n)
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
