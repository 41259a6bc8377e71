/* scratch.c - a unit test's scratch directory (scratch.h). */
#include "scratch.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

int xc_scratch_make(char *dir, size_t n, const char *name)
{
    if ((size_t)snprintf(dir, n, "/tmp/xc_%s_XXXXXX", name) >= n) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

int xc_scratch_remove(const char *dir)
{
    return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
