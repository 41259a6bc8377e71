/*
 * term.c - text for a terminal: cells aligned in display columns, Chinese
 * text taking two columns a character.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

/* Display columns of UTF-8 text: CJK and full-width characters take two. */
int display_width(const char *s)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) == 0x80)
            continue;
        w += *p >= 0xE1 ? 2 : 1;    /* 3- and 4-byte sequences: wide scripts */
    }
    return w;
}

/* Prints s left-aligned (width > 0) or right-aligned (width < 0) in |width|
 * display columns. */
void put_cell(const char *s, int width)
{
    int pad = abs(width) - display_width(s);
    if (width < 0)
        printf("%*s", pad > 0 ? pad : 0, "");
    fputs(s, stdout);
    if (width > 0)
        printf("%*s", pad > 0 ? pad : 0, "");
}

void put_count(uint64_t n, int width)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)n);
    put_cell(buf, width);
}
