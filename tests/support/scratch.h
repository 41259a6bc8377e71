/*
 * scratch.h - a private scratch directory for a unit test: made under /tmp
 * with a unique name, removed with everything below it.
 */
#ifndef XC_TEST_SCRATCH_H
#define XC_TEST_SCRATCH_H

#include <stddef.h>

/* Makes /tmp/xc_<name>_XXXXXX (mode 0700) into dir (n bytes). Returns 0,
 * or -1 with errno set. */
int xc_scratch_make(char *dir, size_t n, const char *name);

/* Removes dir and everything below it; a symbolic link is removed, never
 * followed. Returns 0, or -1 when something could not be removed. */
int xc_scratch_remove(const char *dir);

#endif
