/*
 * fault.c - the allocation countdown of fault.h, behind the linker's
 * --wrap: each __wrap_X is what the wrapped objects call for X, and
 * __real_X the C library's X.
 */
#include "fault.h"

#include <errno.h>
#include <execinfo.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
ssize_t __real_getdelim(char **line, size_t *cap, int delim, FILE *f);
ssize_t __wrap_getdelim(char **line, size_t *cap, int delim, FILE *f);
ssize_t __wrap_getline(char **line, size_t *cap, FILE *f);

static long countdown;   /* allocations until the failing one; 0: disarmed */
static long repeat_left; /* failures still to come after it; -1: for ever */
static long calls, failed;
static bool failing;     /* the failing one has come */

/* Threads of one stage (the report's writers) count as one sequence. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void xc_fault_arm(long n, long repeat)
{
    pthread_mutex_lock(&lock);
    countdown = n;
    repeat_left = repeat;
    calls = failed = 0;
    failing = false;
    pthread_mutex_unlock(&lock);
}

void xc_fault_disarm(void)
{
    pthread_mutex_lock(&lock);
    countdown = 0;
    failing = false;
    pthread_mutex_unlock(&lock);
}

long xc_fault_calls(void) { return calls; }
long xc_fault_failed(void) { return failed; }

/* With XC_FAULT_TRACE set, where each failed allocation was asked for, on
 * stderr: to find the call whose failure a test did not expect. */
static void trace(void)
{
    if (!getenv("XC_FAULT_TRACE"))
        return;
    void *at[16];
    int n = backtrace(at, 16);
    backtrace_symbols_fd(at, n, STDERR_FILENO);
    write(STDERR_FILENO, "--\n", 3);
}

/* True when this allocation is to fail. */
static bool decide(void)
{
    calls++;
    if (failing) {
        if (repeat_left == 0) {
            failing = false;
            return false;
        }
        if (repeat_left > 0)
            repeat_left--;
        failed++;
        trace();
        errno = ENOMEM;
        return true;
    }
    if (countdown == 0 || --countdown > 0)
        return false;
    failing = true;
    failed++;
    trace();
    errno = ENOMEM;          /* as the C library's allocator sets it */
    return true;
}

static bool fail_now(void)
{
    pthread_mutex_lock(&lock);
    bool fail = decide();
    pthread_mutex_unlock(&lock);
    if (fail)
        errno = ENOMEM;      /* errno is the thread's own */
    return fail;
}

void *__wrap_malloc(size_t n)
{
    return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return fail_now() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = fail_now() ? NULL : __real_malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

char *__wrap_strndup(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    char *d = fail_now() ? NULL : __real_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* getdelim() and getline() allocate the line: one allocation each call,
 * failing as the C library's do (-1, errno ENOMEM). */
ssize_t __wrap_getdelim(char **line, size_t *cap, int delim, FILE *f)
{
    return fail_now() ? -1 : __real_getdelim(line, cap, delim, f);
}

ssize_t __wrap_getline(char **line, size_t *cap, FILE *f)
{
    return fail_now() ? -1 : __real_getdelim(line, cap, '\n', f);
}

/* OpenSSL's allocator: through the countdown while counted. */
static bool openssl_counted, openssl_hooked;

static void *ossl_malloc(size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    return openssl_counted && fail_now() ? NULL : __real_malloc(n);
}

static void *ossl_realloc(void *p, size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    return openssl_counted && fail_now() ? NULL : __real_realloc(p, n);
}

static void ossl_free(void *p, const char *file, int line)
{
    (void)file;
    (void)line;
    free(p);
}

bool xc_fault_openssl(bool counted)
{
    if (!openssl_hooked) {
        if (!CRYPTO_set_mem_functions(ossl_malloc, ossl_realloc, ossl_free))
            return false;
        openssl_hooked = true;
    }
    openssl_counted = counted;
    return true;
}
