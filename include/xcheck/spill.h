/*
 * spill.h - a private store on disk for what a run cannot keep in memory.
 *
 * Blocks of bytes, each in one of a fixed number of buckets, appended to a
 * single temporary file and read back bucket by bucket in the order they
 * were written. The file is created in a directory of the caller's with
 * mode 0600 and unlinked at once (O_TMPFILE where the file system allows),
 * so that nothing is left behind however the process ends; every block is
 * encrypted with AES-256-GCM under a key drawn at random for the store and
 * held only in its memory, so the file says nothing of the archive, and a
 * block changed on disk is refused when it is read back.
 *
 * Writers may be any number of threads at once; reading starts once every
 * write has returned.
 */
#ifndef XCHECK_SPILL_H
#define XCHECK_SPILL_H

#include <stddef.h>
#include <stdint.h>

#include "xcheck/error.h"

typedef struct xc_spill xc_spill;

/* Opens a store of `buckets` buckets (1 to 65536) in directory dir (NULL:
 * $TMPDIR, else /tmp). Returns XC_OK, XC_EIO (err names the directory and
 * why) or XC_ENOMEM. Caller frees with xc_spill_free(). */
int xc_spill_open(const char *dir, int buckets, xc_spill **ret, xc_err *err);

/* Closes the file (already unlinked) and wipes the key; NULL does nothing. */
void xc_spill_free(xc_spill *s);

/* Appends bytes[0..n) (n > 0, at most 1 GiB) to bucket b as one block.
 * Returns XC_OK, XC_EIO (err says where and why: a full disk...) or
 * XC_ENOMEM. */
int xc_spill_write(xc_spill *s, int bucket, const void *bytes, size_t n, xc_err *err);

/* Bytes written to bucket b (before encryption), and to all of them. */
uint64_t xc_spill_bytes(const xc_spill *s, int bucket);
uint64_t xc_spill_total(const xc_spill *s);

/* The directory the file is in (borrowed, for messages). */
const char *xc_spill_dir(const xc_spill *s);

/* Reads bucket b's blocks back in the order written, calling
 * fn(user, bytes, n) for each (bytes borrowed for the call). Returns XC_OK,
 * XC_EIO (a short read, or a block that is not what was written: err says
 * the file is damaged), XC_ENOMEM, or the first negative value fn returned. */
int xc_spill_read(xc_spill *s, int bucket, int (*fn)(void *user, const void *bytes, size_t n),
                  void *user, xc_err *err);

#endif
