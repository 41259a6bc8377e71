/* replay.c - runs a fuzz target over files and directories of inputs, as a
 * test: every input must come back without a crash, a hang or a sanitizer
 * report. Prints "N passed, 0 failed" (a failure aborts). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static long run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        exit(1);
    }
    size_t cap = 1 << 16, len = 0, n;
    uint8_t *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "replay: out of memory\n");
        exit(1);
    }
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    return 1;
}

static long run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        fprintf(stderr, "replay: no %s\n", path);
        exit(1);
    }
    if (!S_ISDIR(st.st_mode))
        return run_file(path);
    DIR *d = opendir(path);
    long n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        n += run_path(sub);
    }
    if (d)
        closedir(d);
    return n;
}

int main(int argc, char **argv)
{
    long n = 0;
    for (int i = 1; i < argc; i++)
        n += run_path(argv[i]);
    if (n == 0) {
        fprintf(stderr, "replay: no inputs\n");
        return 1;
    }
    printf("%ld passed, 0 failed\n", n);
    return 0;
}
