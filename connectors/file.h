/* file.h - the `file` connector's settings, inside connectors/ and for its
 * tests. */
#ifndef XCHECK_CONNECTORS_FILE_H
#define XCHECK_CONNECTORS_FILE_H

#include "xcheck/config.h"

/* The resolved path of b, a binding of kind file; NULL for another kind.
 * Borrowed from b's configuration. */
const char *xc_file_path(const xc_binding *b);

#endif
