/*
 * idtab.h - the ID table: packed ID number -> archived person.
 *
 * An open-addressing hash table (linear probing, power-of-two capacity, at
 * most 7/8 full) built once from the archive side and then probed by every
 * reference row, most of which miss. In front of the slots sits a small
 * Bloom filter (one byte per slot) that answers most misses from the cache.
 * 13 bytes a slot: 15 to 30 bytes per stored key, whatever the load after
 * growing. xc_idtab_find_batch() prefetches a batch's filter words, then
 * the slots of the keys that pass, to overlap the cache misses of a table
 * larger than the cache.
 *
 * Not thread-safe for writers; any number of threads may probe a table that
 * is no longer written to.
 */
#ifndef XCHECK_IDTAB_H
#define XCHECK_IDTAB_H

#include <stddef.h>
#include <stdint.h>

#define XC_IDTAB_NONE UINT32_MAX   /* "no such key" */

typedef struct xc_idtab xc_idtab;

/* Creates an empty table sized for about `expected` keys (it grows past
 * that). Returns XC_OK or XC_ENOMEM. Caller frees with xc_idtab_free(). */
int xc_idtab_new(size_t expected, xc_idtab **ret);

/* Frees t; NULL does nothing. */
void xc_idtab_free(xc_idtab *t);

/* Maps key (non-zero) to value (not XC_IDTAB_NONE). Returns XC_OK when the
 * key was new; XC_EXISTS, storing nothing, when the key is already present,
 * with its value in *ret_existing (NULL allowed); XC_ENOMEM when growing
 * failed. */
int xc_idtab_insert(xc_idtab *t, uint64_t key, uint32_t value,
                    uint32_t *ret_existing);

/* The value of key, or XC_IDTAB_NONE. */
uint32_t xc_idtab_find(const xc_idtab *t, uint64_t key);

/* Looks up keys[0..n) and writes each value (or XC_IDTAB_NONE) into
 * ret_values[0..n). Same results as n calls of xc_idtab_find(). Key 0 is
 * allowed and never found. */
void xc_idtab_find_batch(const xc_idtab *t, const uint64_t *keys, size_t n,
                         uint32_t *ret_values);

/* Number of keys stored. */
size_t xc_idtab_count(const xc_idtab *t);

/* Bytes of memory the table holds (slots and header). */
size_t xc_idtab_bytes(const xc_idtab *t);

#endif
