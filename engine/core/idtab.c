/* idtab.c - open-addressing hash table from packed ID numbers to persons. */
#include "xcheck/idtab.h"

#include <stdbool.h>
#include <stdlib.h>

#include "xcheck/error.h"

/* Most probes miss, and at archive scale the key array is larger than the
 * cache, so a miss would cost a trip to memory. A register-blocked Bloom
 * filter (one 64-bit word per key, four bits set in it; 8 bits of filter per
 * slot, so at least 10.7 per key) answers most misses from the cache. */
struct xc_idtab {
    uint64_t *keys;     /* 0 marks an empty slot */
    uint32_t *values;
    uint64_t *filter;   /* capacity / 8 words */
    size_t mask;        /* capacity - 1 */
    size_t count;
    size_t limit;       /* grow when count reaches this */
    int shift;          /* 64 - log2(capacity) */
    int fshift;         /* 64 - log2(filter words) */
};

/* Packed keys are decimal numbers with structure in every digit, so mix all
 * bits (the 64-bit finaliser of MurmurHash3). */
static inline uint64_t mix(uint64_t key)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    key *= 0xc4ceb9fe1a85ec53ULL;
    key ^= key >> 33;
    return key;
}

/* The slot takes the hash's top bits; the filter a second product's. */
static inline size_t slot_of(const xc_idtab *t, uint64_t h)
{
    return (size_t)(h >> t->shift);
}

static inline size_t filter_word(const xc_idtab *t, uint64_t h, uint64_t *ret_bits)
{
    uint64_t g = h * 0x9E3779B97F4A7C15ULL;
    *ret_bits = (1ULL << (g & 63)) | (1ULL << ((g >> 6) & 63)) |
                (1ULL << ((g >> 12) & 63)) | (1ULL << ((g >> 18) & 63));
    return (size_t)(g >> t->fshift);
}

static int alloc_slots(xc_idtab *t, size_t capacity)
{
    t->keys = calloc(capacity, sizeof *t->keys);
    t->values = malloc(capacity * sizeof *t->values);
    t->filter = calloc(capacity / 8, sizeof *t->filter);
    if (!t->keys || !t->values || !t->filter) {
        free(t->keys);
        free(t->values);
        free(t->filter);
        return XC_ENOMEM;
    }
    t->mask = capacity - 1;
    t->limit = capacity - capacity / 8;
    int bits = 0;
    while (((size_t)1 << bits) < capacity)
        bits++;
    t->shift = 64 - bits;
    t->fshift = 64 - (bits - 3);
    return XC_OK;
}

int xc_idtab_new(size_t expected, xc_idtab **ret)
{
    xc_idtab *t = calloc(1, sizeof *t);
    if (!t)
        return XC_ENOMEM;
    size_t capacity = 16;
    while (capacity - capacity / 8 <= expected)
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
    free(t->filter);
    free(t);
}

static void put(xc_idtab *t, uint64_t key, uint32_t value)
{
    uint64_t h = mix(key), bits;
    t->filter[filter_word(t, h, &bits)] |= bits;
    size_t i = slot_of(t, h);
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
    free(old.filter);
    return XC_OK;
}

int xc_idtab_insert(xc_idtab *t, uint64_t key, uint32_t value,
                    uint32_t *ret_existing)
{
    uint32_t found = xc_idtab_find(t, key);
    if (found != XC_IDTAB_NONE) {
        if (ret_existing)
            *ret_existing = found;
        return XC_EXISTS;
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
    uint64_t h = mix(key), bits;
    if ((t->filter[filter_word(t, h, &bits)] & bits) != bits)
        return XC_IDTAB_NONE;
    for (size_t i = slot_of(t, h);; i = (i + 1) & t->mask) {
        uint64_t k = t->keys[i];
        if (k == key)
            return t->values[i];
        if (k == 0)
            return XC_IDTAB_NONE;
    }
}

enum { BATCH = 32 };

/* Three passes over a batch: hash and prefetch the filter words; test them
 * and prefetch the slots of the few that pass; then compare keys. */
void xc_idtab_find_batch(const xc_idtab *t, const uint64_t *keys, size_t n,
                         uint32_t *ret_values)
{
    uint64_t hash[BATCH], bits[BATCH];
    size_t word[BATCH], pass[BATCH];
    for (size_t base = 0; base < n; base += BATCH) {
        size_t m = n - base < BATCH ? n - base : BATCH, np = 0;
        for (size_t j = 0; j < m; j++) {
            hash[j] = mix(keys[base + j]);
            word[j] = filter_word(t, hash[j], &bits[j]);
            __builtin_prefetch(&t->filter[word[j]]);
        }
        for (size_t j = 0; j < m; j++) {
            ret_values[base + j] = XC_IDTAB_NONE;
            if ((t->filter[word[j]] & bits[j]) == bits[j] && keys[base + j] != 0) {
                __builtin_prefetch(&t->keys[slot_of(t, hash[j])]);
                pass[np++] = j;
            }
        }
        for (size_t p = 0; p < np; p++) {
            size_t j = pass[p];
            uint64_t key = keys[base + j];
            for (size_t i = slot_of(t, hash[j]);; i = (i + 1) & t->mask) {
                uint64_t k = t->keys[i];
                if (k == key) {
                    ret_values[base + j] = t->values[i];
                    break;
                }
                if (k == 0)
                    break;
            }
        }
    }
}

size_t xc_idtab_count(const xc_idtab *t)
{
    return t->count;
}

size_t xc_idtab_bytes(const xc_idtab *t)
{
    size_t capacity = t->mask + 1;
    return sizeof *t + capacity * (sizeof *t->keys + sizeof *t->values) +
           capacity / 8 * sizeof *t->filter;
}
