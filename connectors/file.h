/* file.h - the `file` connector's settings, inside connectors/ and for its
 * tests. */
#ifndef XCHECK_CONNECTORS_FILE_H
#define XCHECK_CONNECTORS_FILE_H

#include <stddef.h>

#include "xcheck/config.h"
#include "xcheck/error.h"

/* The resolved path of b, a binding of kind file; NULL for another kind.
 * Borrowed from b's configuration. */
const char *xc_file_path(const xc_binding *b);

/* The files of b, a binding of kind file: the entries of its `path` in the
 * order given, each glob's matches sorted by name in byte order (strcmp,
 * whatever the locale). Fills *ret (caller frees with xc_file_paths_free())
 * and *ret_n >= 1; returns XC_OK, XC_EIO naming the pattern when a glob
 * matches nothing or cannot be read, XC_ECONFIG when a file is named twice,
 * XC_ENOMEM. Nothing is opened: xc_source_prepare() checks the files. */
int xc_file_expand(const xc_binding *b, char ***ret, size_t *ret_n, xc_err *err);

/* Frees paths[0..n) and paths; NULL does nothing. */
void xc_file_paths_free(char **paths, size_t n);

#endif
