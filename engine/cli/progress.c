/* progress.c - the status line of a long run, or one line per event. */
#include "progress.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/i18n.h"
#include "xcheck/idno.h"
#include "xcheck/text.h"

struct xc_progress {
    FILE *out;
    bool live;
    bool shown;              /* a status line is on the screen */
    char stalled[64];        /* off a terminal: the stalled source last told */
    long stall_told;         /* and the mark (seconds) told for it, 0: none */
    pthread_mutex_t lock;
};

/* The marks at which a log tells of a source still sending nothing: 10 s,
 * 30 s, 60 s, then every minute. The last one reached by s, 0 before 10 s. */
static long stall_mark(double s)
{
    if (s < XC_PROGRESS_STALL_SECONDS)
        return 0;
    if (s < 30)
        return XC_PROGRESS_STALL_SECONDS;
    if (s < 60)
        return 30;
    return (long)(s / 60) * 60;
}

static void stall_text(const char *name, long seconds, char *buf, size_t bufsz)
{
    snprintf(buf, bufsz, _("%s: no rows for %ld s (waiting on the server?)"), name, seconds);
}

int xc_progress_new(FILE *out, bool live, xc_progress **ret)
{
    xc_progress *p = calloc(1, sizeof *p);
    if (!p)
        return XC_ENOMEM;
    p->out = out;
    p->live = live;
    pthread_mutex_init(&p->lock, NULL);
    *ret = p;
    return XC_OK;
}

/* Erases the status line, if one is shown (lock held). */
static void clear_line(xc_progress *p)
{
    if (p->shown) {
        fputs("\r\033[K", p->out);
        p->shown = false;
    }
}

void xc_progress_free(xc_progress *p)
{
    if (!p)
        return;
    clear_line(p);
    fflush(p->out);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

void xc_progress_stage(void *user, const char *stage)
{
    static const struct {
        const char *stage, *text;
    } names[] = {{"archive", N_("reading the archive")}, {"scan", N_("scanning the data")},
                 {"evaluate", N_("checking the rules")}, {"report", N_("writing the report")}};
    xc_progress *p = user;
    const char *text = stage;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].stage, stage) == 0)
            text = _(names[i].text);
    pthread_mutex_lock(&p->lock);
    clear_line(p);
    fprintf(p->out, "xcheck: %s\n", text);
    fflush(p->out);
    pthread_mutex_unlock(&p->lock);
}

void xc_progress_dataset(void *user, const xc_dataset_def *ds, const xc_dataset_result *r)
{
    xc_progress *p = user;
    pthread_mutex_lock(&p->lock);
    clear_line(p);
    /* A nightly job's log is kept: a path or table name holding a number
     * is masked there too. */
    xc_buf line = {0};
    xc_buf_printf(&line, _("xcheck: %-16s %10llu rows in %.2f s  (%s"), ds->name,
                  (unsigned long long)r->counts.read, r->seconds, r->where);
    if (strcmp(r->strategy, "file") != 0 && r->strategy[0])
        xc_buf_printf(&line, "; %s: %s", r->strategy, r->strategy_reason);
    xc_buf_printf(&line, ")\n");
    xc_buf_mask_ids(&line, 0, false);
    if (!line.failed)
        fputs(line.p, p->out);
    xc_buf_free(&line);
    fflush(p->out);
    pthread_mutex_unlock(&p->lock);
}

/* 12345678 as "12,345,678". */
static void with_commas(uint64_t v, char *buf, size_t bufsz)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    size_t o = 0;
    for (int i = 0; i < n && o + 2 < bufsz; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

/* Seconds as "m:ss" or "h:mm:ss". */
static void duration(double s, char *buf, size_t bufsz)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, bufsz, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, bufsz, "%ld:%02ld", t / 60, t % 60);
}

void xc_progress_line(const xc_scan_status *s, char *buf, size_t bufsz)
{
    char rows[32], left[48] = "", speed[32] = "";
    with_commas(s->rows, rows, sizeof rows);
    double share = s->bytes_total ? (double)s->bytes_done / (double)s->bytes_total : 0;
    if (s->seconds > 0.2) {
        double per_s = (double)s->rows / s->seconds;
        if (per_s >= 1e6)
            snprintf(speed, sizeof speed, _("  %.1f M rows/s"), per_s / 1e6);
        else
            snprintf(speed, sizeof speed, _("  %.0f rows/s"), per_s);
    }
    if (!s->done && share > 0.01 && s->seconds > 1) {
        char d[32];
        duration(s->seconds * (1 - share) / share, d, sizeof d);
        snprintf(left, sizeof left, _("  about %s left"), d);
    }
    /* At most 60 bytes of dataset names: the line must fit a terminal. */
    const char *names = s->done ? _("done") : s->active;
    int shown = (int)strlen(names) > 60 ? 57 : (int)strlen(names);
    int pct = s->done ? 100 : (int)(share * 100);
    char stall[160] = "";
    if (!s->done && s->stalled[0] && s->stalled_seconds >= XC_PROGRESS_STALL_SECONDS) {
        memcpy(stall, "  ", 3);
        stall_text(s->stalled, (long)s->stalled_seconds, stall + 2, sizeof stall - 2);
    }
    snprintf(buf, bufsz, _("scan %d/%d  %.*s%s  %s rows%s  %d%%%s%s"), s->parts_done, s->parts,
             shown, names, shown < (int)strlen(names) ? "..." : "", rows, speed, pct, left, stall);
}

void xc_progress_tick(void *user, const xc_scan_status *s)
{
    xc_progress *p = user;
    char line[512];
    xc_progress_line(s, line, sizeof line);
    pthread_mutex_lock(&p->lock);
    long mark = s->done ? 0 : stall_mark(s->stalled_seconds);
    if (!p->live && mark && (p->stall_told < mark || strcmp(p->stalled, s->stalled) != 0)) {
        /* A log has no status line: a source that has sent nothing for a
         * while gets a line of its own, at 10 s, 30 s, 60 s, then every
         * minute. */
        char text[200];
        stall_text(s->stalled, mark, text, sizeof text);
        fprintf(p->out, "xcheck: %s\n", text);
        snprintf(p->stalled, sizeof p->stalled, "%s", s->stalled);
        p->stall_told = mark;
    } else if (!mark) {
        p->stall_told = 0;
    }
    if (p->live) {
        fprintf(p->out, "\r\033[K%s", line);
        p->shown = true;
        if (s->done) {
            fputc('\n', p->out);
            p->shown = false;
        }
    } else if (s->done) {
        fprintf(p->out, "xcheck: %s\n", line);
    }
    fflush(p->out);
    pthread_mutex_unlock(&p->lock);
}
