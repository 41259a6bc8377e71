/* idtab.c - open-addressing hash table from packed ID numbers to persons. */
#include "xcheck/idtab.h"

#include <stdbool.h>
#include <stdlib.h>

#include "xcheck/error.h"

struct xc_idtab {
    uint64_t *keys;     /* 0 marks an empty slot */
    uint32_t *values;
    size_t mask;        /* capacity - 1 */
    size_t count;
    size_t limit;       /* grow when count reaches this */
    int shift;          /* 64 - log2(capacity) */
};

/* Packed keys are decimal numbers with structure in every digit, so mix all
 * bits (the 64-bit finaliser of MurmurHash3) and take the top ones. */
static inline size_t slot_of(const xc_idtab *t, uint64_t key)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    key *= 0xc4ceb9fe1a85ec53ULL;
    key ^= key >> 33;
    return (size_t)(key >> t->shift);
}

static int alloc_slots(xc_idtab *t, size_t capacity)
{
    t->keys = calloc(capacity, sizeof *t->keys);
    t->values = malloc(capacity * sizeof *t->values);
    if (!t->keys || !t->values) {
        free(t->keys);
        free(t->values);
        return XC_ENOMEM;
    }
    t->mask = capacity - 1;
    t->limit = capacity / 4 * 3;
    int bits = 0;
    while (((size_t)1 << bits) < capacity)
        bits++;
    t->shift = 64 - bits;
    return XC_OK;
}

int xc_idtab_new(size_t expected, xc_idtab **ret)
{
    xc_idtab *t = calloc(1, sizeof *t);
    if (!t)
        return XC_ENOMEM;
    size_t capacity = 16;
    while (capacity / 4 * 3 <= expected)
        capacity *= 2;
    if (alloc_slots(t, capacity) < 0) {
        free(t);
        return XC_ENOMEM;
    }
    *ret = t;
    return XC_OK;
}

void xc_idtab_free(xc_idtab *t)
{
    if (!t)
        return;
    free(t->keys);
    free(t->values);
    free(t);
}

static void put(xc_idtab *t, uint64_t key, uint32_t value)
{
    size_t i = slot_of(t, key);
    while (t->keys[i] != 0)
        i = (i + 1) & t->mask;
    t->keys[i] = key;
    t->values[i] = value;
}

static int grow(xc_idtab *t)
{
    xc_idtab old = *t;
    if (alloc_slots(t, (old.mask + 1) * 2) < 0) {
        *t = old;
        return XC_ENOMEM;
    }
    for (size_t i = 0; i <= old.mask; i++)
        if (old.keys[i] != 0)
            put(t, old.keys[i], old.values[i]);
    free(old.keys);
    free(old.values);
    return XC_OK;
}

int xc_idtab_insert(xc_idtab *t, uint64_t key, uint32_t value,
                    uint32_t *ret_existing)
{
    uint32_t found = xc_idtab_find(t, key);
    if (found != XC_IDTAB_NONE) {
        if (ret_existing)
            *ret_existing = found;
        return XC_DONE;
    }
    if (t->count + 1 > t->limit && grow(t) < 0)
        return XC_ENOMEM;
    put(t, key, value);
    t->count++;
    return XC_OK;
}

uint32_t xc_idtab_find(const xc_idtab *t, uint64_t key)
{
    if (key == 0)
        return XC_IDTAB_NONE;
    for (size_t i = slot_of(t, key);; i = (i + 1) & t->mask) {
        uint64_t k = t->keys[i];
        if (k == key)
            return t->values[i];
        if (k == 0)
            return XC_IDTAB_NONE;
    }
}

enum { BATCH = 16 };

void xc_idtab_find_batch(const xc_idtab *t, const uint64_t *keys, size_t n,
                         uint32_t *ret_values)
{
    size_t slot[BATCH];
    for (size_t base = 0; base < n; base += BATCH) {
        size_t m = n - base < BATCH ? n - base : BATCH;
        for (size_t j = 0; j < m; j++) {
            slot[j] = slot_of(t, keys[base + j]);
            __builtin_prefetch(&t->keys[slot[j]]);
        }
        for (size_t j = 0; j < m; j++) {
            uint64_t key = keys[base + j];
            uint32_t v = XC_IDTAB_NONE;
            if (key != 0) {
                for (size_t i = slot[j];; i = (i + 1) & t->mask) {
                    uint64_t k = t->keys[i];
                    if (k == key) {
                        v = t->values[i];
                        break;
                    }
                    if (k == 0)
                        break;
                }
            }
            ret_values[base + j] = v;
        }
    }
}

size_t xc_idtab_count(const xc_idtab *t)
{
    return t->count;
}

size_t xc_idtab_bytes(const xc_idtab *t)
{
    return sizeof *t + (t->mask + 1) * (sizeof *t->keys + sizeof *t->values);
}
