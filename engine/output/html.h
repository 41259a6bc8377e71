/*
 * html.h - what the page's writers share: escaped and masked text, and
 * horizontal bar charts drawn in SVG. Internal to engine/output/.
 */
#ifndef XC_OUTPUT_HTML_H
#define XC_OUTPUT_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Writes s[0..n) escaped for HTML text and attribute values. */
void xc_html_esc(FILE *f, const char *s, size_t n);

/* Writes text taken from the data or the configuration: escaped, with any
 * run that could be an ID number (or a card number) masked. NULL writes
 * nothing. */
void xc_html_text(FILE *f, const char *s);

/* Width in pixels of text at font size px: CJK a full em, ASCII about 0.6. */
int xc_html_text_px(const char *s, int px);

/* One row of a bar chart. */
typedef struct xc_bar {
    char label[192];
    char sub[32];        /* after the label, lighter */
    int indent;          /* label indentation steps */
    bool heading;        /* a label row without a bar */
    double value;
    char note[96];       /* after the bar */
    const char *cls;     /* "ok", "bad" or "n" */
} xc_bar;

typedef struct xc_chart {
    const char *id;
    const char *caption;
    bool percent;        /* the values are fractions, shown as percentages */
    double threshold;    /* < 0: none */
    char threshold_label[64];
} xc_chart;

/* A horizontal bar chart in SVG, in a figure with its caption: a row per
 * bar, the axis below, and the threshold (if any) as a dashed line across. */
void xc_html_chart(FILE *f, const xc_chart *c, const xc_bar *b, size_t n);

#endif
