/*
 * fault.h - allocation fault injection for the unit tests.
 *
 * A test binary linked with fault.c and the linker options of
 * `fault_link_args` (tests/unit/meson.build: -Wl,--wrap=malloc and the
 * others) sends every malloc, calloc, realloc, strdup, strndup, getline
 * and getdelim call of its own objects and of the xcheck library through a
 * countdown, as SQLite's test harness does (src/test_malloc.c,
 * faultsimConfig): once armed, the Nth allocation from then on fails,
 * and with `repeat` the `repeat` ones after it too. The program itself is
 * linked without it and pays nothing. Allocations made inside shared
 * libraries (libc's own, zlib, inih, iconv, libpq) are not seen; OpenSSL's
 * are when asked for (xc_fault_openssl()).
 *
 * Not thread-safe: arm it only around single-threaded code.
 */
#ifndef XCHECK_TEST_FAULT_H
#define XCHECK_TEST_FAULT_H

#include <stdbool.h>

/* Arms the countdown: allocation n (1-based, counted from now) fails, and
 * `repeat` more after it (-1: every one after it). n = 0 disarms. Resets
 * the counts below. */
void xc_fault_arm(long n, long repeat);

/* Disarms the countdown; the counts stay readable. */
void xc_fault_disarm(void);

/* Routes OpenSSL's allocations through the countdown too, counted only
 * while `counted` (not by default: code that aborts when OpenSSL fails,
 * such as xc_sha256_hex(), must not meet it). The first call installs the
 * hook and must come before OpenSSL allocates anything (first in main());
 * returns false when that is too late. */
bool xc_fault_openssl(bool counted);

/* Allocations asked for since the last xc_fault_arm(), failed or not. */
long xc_fault_calls(void);

/* Allocations made to fail since the last xc_fault_arm(). */
long xc_fault_failed(void);

#endif
