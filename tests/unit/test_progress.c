/* test_progress.c - the status line of a long scan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/progress.h"

static void assert_line(const xc_scan_status *s, const char *want)
{
    char got[512];
    xc_progress_line(s, got, sizeof got);
    if (strcmp(got, want) != 0)
        fail_msg("status line\n  got:  %s\n  want: %s", got, want);
}

static void test_progress_line_shows_rows_speed_share_and_time_left(void **state)
{
    (void)state;
    xc_scan_status s = {.rows = 12345678, .bytes_done = 250, .bytes_total = 1000,
                        .parts = 6, .parts_done = 2, .seconds = 10};
    snprintf(s.active, sizeof s.active, "hukou, social_insurance");
    /* a quarter read in 10 s: 30 s left */
    assert_line(&s, "scan 2/6  hukou, social_insurance  12,345,678 rows  1.2 M rows/s  25%  about 0:30 left");
    s.rows = 999;
    s.seconds = 2;
    s.bytes_done = 1;
    assert_line(&s, "scan 2/6  hukou, social_insurance  999 rows  500 rows/s  0%");
    s.rows = 7200000;
    s.seconds = 3600;
    s.bytes_done = 200;
    assert_line(&s, "scan 2/6  hukou, social_insurance  7,200,000 rows  2000 rows/s  20%  about 4:00:00 "
                    "left");
}

static void test_progress_line_says_done_and_cuts_long_names(void **state)
{
    (void)state;
    xc_scan_status s = {.rows = 1000, .parts = 3, .parts_done = 3, .seconds = 0.1, .done = true};
    assert_line(&s, "scan 3/3  done  1,000 rows  100%");
    xc_scan_status t = {.rows = 0, .parts = 9, .seconds = 0};
    snprintf(t.active, sizeof t.active, "%s", "social_insurance, property, vehicle, business, "
             "dibao_standard, hukou");
    char got[256];
    xc_progress_line(&t, got, sizeof got);
    assert_non_null(strstr(got, "social_insurance, property, vehicle, business, dibao_stan..."));
    assert_null(strstr(got, "hukou"));
}

static void test_progress_prints_one_line_per_event_off_a_terminal(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    xc_progress *p = NULL;
    assert_int_equal(xc_progress_new(f, false, &p), XC_OK);
    assert_non_null(p);
    xc_progress_stage(p, "scan");
    xc_scan_status s = {.rows = 5, .parts = 1, .seconds = 1};
    xc_progress_tick(p, &s);        /* not shown: no line is rewritten */
    s.done = true;
    s.parts_done = 1;
    xc_progress_tick(p, &s);
    xc_progress_free(p);
    fclose(f);
    assert_string_equal(text, "xcheck: scanning the data\nxcheck: scan 1/1  done  5 rows  5 rows/s  100%\n");
    free(text);
}

static void test_progress_rewrites_one_line_on_a_terminal(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    xc_progress *p = NULL;
    assert_int_equal(xc_progress_new(f, true, &p), XC_OK);
    xc_scan_status s = {.rows = 5, .parts = 1, .seconds = 1};
    snprintf(s.active, sizeof s.active, "hukou");
    xc_progress_tick(p, &s);
    xc_progress_stage(p, "evaluate");   /* the status line is erased first */
    xc_progress_free(p);
    fclose(f);
    assert_string_equal(text, "\r\033[Kscan 0/1  hukou  5 rows  5 rows/s  0%\r\033[Kxcheck: checking the rules\n");
    free(text);
}

/* 2026-12-02: a source that sent nothing (a lock, a slow query) showed only
 * as a scan that did not move: now it is named, with how long. */
static void test_progress_line_names_a_source_that_sends_no_rows(void **state)
{
    (void)state;
    xc_scan_status s = {.rows = 999, .bytes_done = 1, .bytes_total = 1000, .parts = 6,
                        .parts_done = 2, .seconds = 2, .stalled_seconds = 9.9};
    snprintf(s.active, sizeof s.active, "hukou, social_insurance");
    snprintf(s.stalled, sizeof s.stalled, "hukou");
    assert_line(&s, "scan 2/6  hukou, social_insurance  999 rows  500 rows/s  0%");
    s.stalled_seconds = 12.7;
    assert_line(&s, "scan 2/6  hukou, social_insurance  999 rows  500 rows/s  0%  hukou: no rows "
                "for 12 s (waiting on the server?)");
    s.done = true;
    s.parts_done = 6;
    assert_line(&s, "scan 6/6  done  999 rows  500 rows/s  100%");
}

static void test_progress_logs_a_stalled_source_at_10_30_and_60_seconds(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    xc_progress *p = NULL;
    assert_int_equal(xc_progress_new(f, false, &p), XC_OK);
    assert_non_null(p);
    xc_scan_status s = {.rows = 5, .parts = 2, .seconds = 1};
    snprintf(s.stalled, sizeof s.stalled, "property");
    static const double seconds[] = {0.5, 9.9, 10.1, 12, 29, 31, 45, 59, 61, 90, 125};
    for (size_t i = 0; i < sizeof seconds / sizeof seconds[0]; i++) {
        s.stalled_seconds = seconds[i];
        xc_progress_tick(p, &s);
    }
    /* rows again, then silent again: told again from 10 s */
    s.stalled_seconds = 0.2;
    xc_progress_tick(p, &s);
    s.stalled_seconds = 10.5;
    snprintf(s.stalled, sizeof s.stalled, "vehicle");
    xc_progress_tick(p, &s);
    s.done = true;
    s.parts_done = 2;
    xc_progress_tick(p, &s);
    xc_progress_free(p);
    fclose(f);
    assert_string_equal(text,
        "xcheck: property: no rows for 10 s (waiting on the server?)\n"
        "xcheck: property: no rows for 30 s (waiting on the server?)\n"
        "xcheck: property: no rows for 60 s (waiting on the server?)\n"
        "xcheck: property: no rows for 120 s (waiting on the server?)\n"
        "xcheck: vehicle: no rows for 10 s (waiting on the server?)\n"
        "xcheck: scan 2/2  done  5 rows  5 rows/s  100%\n");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_progress_line_shows_rows_speed_share_and_time_left),
        cmocka_unit_test(test_progress_line_says_done_and_cuts_long_names),
        cmocka_unit_test(test_progress_prints_one_line_per_event_off_a_terminal),
        cmocka_unit_test(test_progress_rewrites_one_line_on_a_terminal),
        cmocka_unit_test(test_progress_line_names_a_source_that_sends_no_rows),
        cmocka_unit_test(test_progress_logs_a_stalled_source_at_10_30_and_60_seconds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
