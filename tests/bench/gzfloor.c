/* gzfloor.c - the floor of reading gzip files: zlib's gzread, with the
 * buffer size xcheck's file connector uses, into nothing. Files are read
 * by up to JOBS threads at once, the biggest first, as xcheck reads
 * datasets.
 * Usage: gzfloor JOBS FILE...   Prints the bytes decompressed. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <zlib.h>

enum { CHUNK = 1 << 18 };

static char **files;
static int n_files, next_file;
static uint64_t total;
static int failed;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

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
        gzFile gz = gzopen(files[i], "rb");
        uint64_t n = 0;
        int got = -1;
        if (gz) {
            gzbuffer(gz, CHUNK);
            while ((got = gzread(gz, buf, CHUNK)) > 0)
                n += (uint64_t)got;
            gzclose_r(gz);
        }
        pthread_mutex_lock(&lock);
        total += n;
        failed |= got < 0 || !gz;
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
    if (argc < 3) {
        fprintf(stderr, "usage: gzfloor JOBS FILE...\n");
        return 2;
    }
    int jobs = atoi(argv[1]);
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
    return failed;
}
