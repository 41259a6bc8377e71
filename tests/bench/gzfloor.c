/* gzfloor.c - the floor of reading gzip files: zlib's gzread, or with
 * --isal ISA-L's isal_inflate (what xcheck's file connector inflates with
 * when built with it), with the buffer size the connector uses, into
 * nothing. Files are read by up to JOBS threads at once, the biggest first,
 * as xcheck reads datasets; every member of a file is inflated.
 * With --lines the rows are counted too, a memchr() for each line end: the
 * least any reader of the rows does beyond inflating them.
 * Usage: gzfloor [--isal] [--lines] JOBS FILE...   Prints the bytes
 * decompressed (and the lines). */
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#if XC_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

enum { CHUNK = 1 << 18 };

static char **files;
static int n_files, next_file;
static uint64_t total, total_lines;
static bool count_lines;

/* The line ends in buf[0..n), when they are counted. */
static uint64_t lines_in(const char *buf, size_t n)
{
    uint64_t k = 0;
    const char *p = buf, *end = buf + n;
    while (count_lines && p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
        k++;
        p++;
    }
    return k;
}
static int failed;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* zlib: the bytes of the file at path, decompressed; -1 when it fails. */
static int64_t zlib_read(const char *path, char *buf, uint64_t *lines)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        return -1;
    gzbuffer(gz, CHUNK);
    int64_t n = 0;
    int got;
    while ((got = gzread(gz, buf, CHUNK)) > 0) {
        n += got;
        *lines += lines_in(buf, (size_t)got);
    }
    gzclose_r(gz);
    return got < 0 ? -1 : n;
}

#if XC_HAVE_ISAL
static bool use_isal;

/* ISA-L: the same, member after member, each member's header and trailer
 * checked by ISA-L itself (ISAL_GZIP); -1 when it fails. */
static int64_t isal_read(const char *path, char *buf, uint64_t *lines)
{
    int fd = open(path, O_RDONLY);
    unsigned char *in = malloc(CHUNK);
    struct inflate_state *st = malloc(sizeof *st);
    int64_t n = -1;
    if (fd < 0 || !in || !st)
        goto done;
    isal_inflate_init(st);
    st->crc_flag = ISAL_GZIP;
    size_t len = 0;
    bool eof = false;
    n = 0;
    st->next_in = in;
    st->avail_in = 0;
    for (;;) {
        /* at a member's end, the next one's first bytes decide */
        bool at_end = st->block_state == ISAL_BLOCK_FINISH;
        while (st->avail_in < (at_end ? 2 : CHUNK / 4) && !eof) {
            memmove(in, st->next_in, st->avail_in);
            len = st->avail_in;
            ssize_t r = read(fd, in + len, CHUNK - len);
            if (r < 0) {
                n = -1;
                goto done;
            }
            eof = r == 0;
            len += (size_t)r;
            st->next_in = in;
            st->avail_in = (uint32_t)len;
        }
        if (at_end) {
            /* the next member, if any, starts at next_in */
            if (st->avail_in < 2 || st->next_in[0] != 0x1F || st->next_in[1] != 0x8B)
                break;
            uint8_t *next = st->next_in;
            uint32_t avail = st->avail_in;
            isal_inflate_reset(st);
            st->next_in = next;
            st->avail_in = avail;
            continue;
        }
        st->next_out = (uint8_t *)buf;
        st->avail_out = CHUNK;
        int rc = isal_inflate(st);
        if (rc < 0) {
            n = -1;
            goto done;
        }
        n += CHUNK - st->avail_out;
        *lines += lines_in(buf, CHUNK - st->avail_out);
        if (st->block_state != ISAL_BLOCK_FINISH && st->avail_out == CHUNK &&
            st->avail_in == 0 && eof) {
            n = -1;                     /* truncated */
            break;
        }
    }
done:
    if (fd >= 0)
        close(fd);
    free(in);
    free(st);
    return n;
}
#endif

static void *worker(void *arg)
{
    (void)arg;
    char *buf = malloc(CHUNK);
    for (;;) {
        pthread_mutex_lock(&lock);
        int i = next_file < n_files ? next_file++ : -1;
        pthread_mutex_unlock(&lock);
        if (i < 0 || !buf)
            break;
        uint64_t lines = 0;
#if XC_HAVE_ISAL
        int64_t n = use_isal ? isal_read(files[i], buf, &lines) : zlib_read(files[i], buf, &lines);
#else
        int64_t n = zlib_read(files[i], buf, &lines);
#endif
        pthread_mutex_lock(&lock);
        total += n > 0 ? (uint64_t)n : 0;
        total_lines += lines;
        failed |= n < 0;
        pthread_mutex_unlock(&lock);
    }
    free(buf);
    return NULL;
}

static off_t size_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : 0;
}

static int biggest_first(const void *x, const void *y)
{
    off_t a = size_of(*(char *const *)x), b = size_of(*(char *const *)y);
    return (a < b) - (a > b);
}

int main(int argc, char **argv)
{
    for (; argc > 1 && strncmp(argv[1], "--", 2) == 0; argv++, argc--) {
        if (strcmp(argv[1], "--lines") == 0) {
            count_lines = true;
        } else if (strcmp(argv[1], "--isal") == 0) {
#if XC_HAVE_ISAL
            use_isal = true;
#else
            fprintf(stderr, "gzfloor: built without ISA-L\n");
            return 2;
#endif
        } else {
            fprintf(stderr, "gzfloor: unknown option %s\n", argv[1]);
            return 2;
        }
    }
    char *end;
    long jobs = argc >= 3 ? strtol(argv[1], &end, 10) : 0;
    if (argc < 3 || *end || jobs < 1 || jobs > 64) {
        fprintf(stderr, "usage: gzfloor [--isal] [--lines] JOBS FILE...  (JOBS 1 to 64)\n");
        return 2;
    }
    files = argv + 2;
    n_files = argc - 2;
    qsort(files, (size_t)n_files, sizeof *files, biggest_first);
    pthread_t tid[64];
    int started = 0;
    for (; started < jobs - 1 && started < 64; started++)
        if (pthread_create(&tid[started], NULL, worker, NULL) != 0)
            break;
    worker(NULL);
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    printf("%llu bytes\n", (unsigned long long)total);
    if (count_lines)
        printf("%llu lines\n", (unsigned long long)total_lines);
    return failed;
}
