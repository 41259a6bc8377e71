/* archive.c - households, persons, the ID table and the archive-number map. */
#include "xcheck/archive.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/idno.h"
#include "xcheck/text.h"

/* Persons and households are most of an archive's bytes. */
_Static_assert(sizeof(xc_person) <= 32, "xc_person grew past 32 bytes");
_Static_assert(sizeof(xc_household) <= 64, "xc_household grew past 64 bytes");

/* A map from a person's or household's index to a value, for the fields
 * that only a few have: open addressing, at most half full. */
typedef struct side {
    uint32_t *keys;           /* XC_NONE marks an empty slot */
    uint64_t *vals;
    size_t mask, n;           /* no slots yet: keys NULL */
} side;

static size_t side_slot(const side *m, uint32_t k)
{
    size_t i = (size_t)(((uint64_t)k * 0x9E3779B97F4A7C15ULL) >> 32) & m->mask;
    while (m->keys[i] != k && m->keys[i] != XC_NONE)
        i = (i + 1) & m->mask;
    return i;
}

/* The value of k, or `none`. */
static uint64_t side_get(const side *m, uint32_t k, uint64_t none)
{
    if (!m->keys)
        return none;
    size_t i = side_slot(m, k);
    return m->keys[i] == k ? m->vals[i] : none;
}

/* Makes room for one key more. Returns XC_OK or XC_ENOMEM. */
static int side_reserve(side *m)
{
    if (m->keys && (m->n + 1) * 2 <= m->mask + 1)
        return XC_OK;
    side t = {0};
    size_t cap = m->keys ? (m->mask + 1) * 2 : 64;
    t.keys = malloc(cap * sizeof *t.keys);
    t.vals = malloc(cap * sizeof *t.vals);
    if (!t.keys || !t.vals) {
        free(t.keys);
        free(t.vals);
        return XC_ENOMEM;
    }
    memset(t.keys, 0xFF, cap * sizeof *t.keys);
    t.mask = cap - 1;
    t.n = m->n;
    for (size_t i = 0; m->keys && i <= m->mask; i++)
        if (m->keys[i] != XC_NONE) {
            size_t j = side_slot(&t, m->keys[i]);
            t.keys[j] = m->keys[i];
            t.vals[j] = m->vals[i];
        }
    free(m->keys);
    free(m->vals);
    *m = t;
    return XC_OK;
}

/* Sets k's value; requires the room side_reserve() makes. */
static void side_put(side *m, uint32_t k, uint64_t v)
{
    size_t i = side_slot(m, k);
    m->n += m->keys[i] == XC_NONE;
    m->keys[i] = k;
    m->vals[i] = v;
}

static void side_free(side *m)
{
    free(m->keys);
    free(m->vals);
    *m = (side){0};
}

struct xc_archive {
    xc_household *hh;
    size_t n_hh, cap_hh;
    xc_person *p;
    size_t n_p, cap_p;
    xc_idtab *ids;
    uint32_t *by_no;          /* open addressing: household index or XC_NONE */
    size_t by_no_mask;
    uint32_t *regions;        /* sorted distinct household regions, built lazily */
    size_t n_regions;
    bool regions_ready;
    xc_arena text;
    /* The fields few have (the flags in xc_person and xc_household say
     * who): */
    side raw_ids;             /* person -> its ID text (const char *) */
    side repeat_of;           /* repeated row -> the member it repeats */
    side next_same;           /* person -> the next person of its key */
    side repeats;             /* household -> first repeat << 32 | count */
    /* While loading, what adding a member needs in constant time: the last
     * member and last repeat of each household, the last person of each
     * key shared, and the members by (household, key) of the keys shared
     * but the key's first, to tell a repeat (the first is the ID table's).
     * Built by the first xc_archive_add_member(), dropped by
     * xc_archive_seal(). */
    bool loading;
    uint32_t *tail;           /* per household: last member */
    size_t cap_tail;          /* households it has room for */
    side last_repeat;         /* household -> its last repeat */
    side last_same;           /* a shared key's first person -> its last */
    uint32_t *by_member;      /* open addressing: member index or XC_NONE */
    size_t by_member_mask, n_by_member;
    /* Until the seal, the cadre IDs kept so far, so that a cadre's ID is
     * kept once for all of their households: open addressing by the text's
     * hash, a slot holding a household of that cadre, XC_NONE when
     * empty. */
    uint32_t *cadres;
    size_t cadre_mask, n_cadres;
};

int xc_archive_new(xc_archive **ret)
{
    xc_archive *a = calloc(1, sizeof *a);
    if (!a)
        return XC_ENOMEM;
    a->by_no_mask = 1023;
    a->by_no = malloc((a->by_no_mask + 1) * sizeof *a->by_no);
    if (!a->by_no || xc_idtab_new(1024, &a->ids) < 0) {
        xc_archive_free(a);
        return XC_ENOMEM;
    }
    memset(a->by_no, 0xFF, (a->by_no_mask + 1) * sizeof *a->by_no);
    *ret = a;
    return XC_OK;
}

void xc_archive_free(xc_archive *a)
{
    if (!a)
        return;
    xc_arena_free(&a->text);
    free(a->hh);
    free(a->p);
    free(a->by_no);
    free(a->regions);
    free(a->tail);
    free(a->by_member);
    side_free(&a->raw_ids);
    side_free(&a->repeat_of);
    side_free(&a->next_same);
    side_free(&a->repeats);
    side_free(&a->last_repeat);
    side_free(&a->last_same);
    free(a->cadres);
    xc_idtab_free(a->ids);
    free(a);
}

uint32_t xc_archive_find_household(const xc_archive *a, const char *no, size_t len)
{
    for (size_t i = xc_text_hash(no, len) & a->by_no_mask;; i = (i + 1) & a->by_no_mask) {
        uint32_t h = a->by_no[i];
        if (h == XC_NONE)
            return XC_NONE;
        const char *s = a->hh[h].archive_no;
        if (strlen(s) == len && memcmp(s, no, len) == 0)
            return h;
    }
}

static int grow_by_no(xc_archive *a)
{
    size_t cap = (a->by_no_mask + 1) * 2;
    uint32_t *t = malloc(cap * sizeof *t);
    if (!t)
        return XC_ENOMEM;
    memset(t, 0xFF, cap * sizeof *t);
    for (uint32_t h = 0; h < a->n_hh; h++) {
        const char *s = a->hh[h].archive_no;
        size_t i = xc_text_hash(s, strlen(s)) & (cap - 1);
        while (t[i] != XC_NONE)
            i = (i + 1) & (cap - 1);
        t[i] = h;
    }
    free(a->by_no);
    a->by_no = t;
    a->by_no_mask = cap - 1;
    return XC_OK;
}

static const char *text_of(xc_archive *a, const xc_value *v)
{
    return v->null ? "" : xc_arena_dup(&a->text, v->s, v->len);
}

/* Makes room in the cadre IDs for one more. */
static int reserve_cadre(xc_archive *a)
{
    if (a->cadres && (a->n_cadres + 1) * 2 <= a->cadre_mask + 1)
        return XC_OK;
    size_t cap = a->cadres ? (a->cadre_mask + 1) * 2 : 1024;
    uint32_t *t = malloc(cap * sizeof *t);
    if (!t)
        return XC_ENOMEM;
    memset(t, 0xFF, cap * sizeof *t);
    for (size_t i = 0; a->cadres && i <= a->cadre_mask; i++) {
        if (a->cadres[i] == XC_NONE)
            continue;
        const char *id = a->hh[a->cadres[i]].cadre_id;
        size_t j = (size_t)xc_text_hash(id, strlen(id)) & (cap - 1);
        while (t[j] != XC_NONE)
            j = (j + 1) & (cap - 1);
        t[j] = a->cadres[i];
    }
    free(a->cadres);
    a->cadres = t;
    a->cadre_mask = cap - 1;
    return XC_OK;
}

/* The cadre ID of household h, kept once (see cadres). NULL when out of
 * memory. */
static const char *cadre_text(xc_archive *a, const xc_value *v, uint32_t h)
{
    if (reserve_cadre(a) < 0)
        return NULL;
    size_t i = (size_t)xc_text_hash(v->s, v->len) & a->cadre_mask;
    for (; a->cadres[i] != XC_NONE; i = (i + 1) & a->cadre_mask) {
        const char *id = a->hh[a->cadres[i]].cadre_id;
        if (strlen(id) == v->len && memcmp(id, v->s, v->len) == 0)
            return id;
    }
    char *d = xc_arena_dup(&a->text, v->s, v->len);
    if (d) {
        a->cadres[i] = h;
        a->n_cadres++;
    }
    return d;
}

int xc_archive_add_household(xc_archive *a, const xc_record *rec, long *ret_first)
{
    const xc_value *v = rec->v;
    uint32_t dup = xc_archive_find_household(a, v[XC_HH_ARCHIVE_NO].s, v[XC_HH_ARCHIVE_NO].len);
    if (dup != XC_NONE) {
        if (ret_first)
            *ret_first = xc_household_line(&a->hh[dup]);
        return XC_EXISTS;
    }
    if ((a->n_hh + 1) * 2 > a->by_no_mask + 1 && grow_by_no(a) < 0)
        return XC_ENOMEM;
    if (a->n_hh == a->cap_hh) {
        size_t cap = a->cap_hh ? a->cap_hh * 2 : 256;
        xc_household *hh = realloc(a->hh, cap * sizeof *hh);
        if (!hh)
            return XC_ENOMEM;
        a->hh = hh;
        a->cap_hh = cap;
    }
    xc_household *h = &a->hh[a->n_hh];
    memset(h, 0, sizeof *h);
    h->archive_no = text_of(a, &v[XC_HH_ARCHIVE_NO]);
    h->worker_name = text_of(a, &v[XC_HH_WORKER_NAME]);
    if (!h->archive_no || !h->worker_name)
        return XC_ENOMEM;
    /* Last: once the cadre IDs name the household, nothing may fail. */
    if (!v[XC_HH_CADRE_ID].null &&
        !(h->cadre_id = cadre_text(a, &v[XC_HH_CADRE_ID], (uint32_t)a->n_hh)))
        return XC_ENOMEM;
    h->worker_key = rec->id.key;
    h->region = (uint32_t)v[XC_HH_REGION_CODE].i;
    h->level = (uint8_t)v[XC_HH_LEVEL].i;
    h->status = (uint8_t)v[XC_HH_STATUS].i;
    h->enrolled_on = (xc_date)v[XC_HH_ENROLLED_ON].i;
    h->exited_on = v[XC_HH_EXITED_ON].null ? XC_NO_DATE : (xc_date)v[XC_HH_EXITED_ON].i;
    h->causes = (uint32_t)v[XC_HH_HARDSHIP_CAUSE].i;
    h->first_member = XC_NONE;
    h->line_lo = (uint32_t)rec->line;
    h->line_hi = (uint8_t)((uint64_t)rec->line >> 32);
    const char *s = h->archive_no;
    size_t i = xc_text_hash(s, strlen(s)) & a->by_no_mask;
    while (a->by_no[i] != XC_NONE)
        i = (i + 1) & a->by_no_mask;
    a->by_no[i] = (uint32_t)a->n_hh++;
    a->regions_ready = false;
    return XC_OK;
}

/* The member slot of (household, key), where it is or would go. */
static size_t member_slot(const xc_archive *a, uint32_t h, uint64_t key)
{
    uint64_t x = (key ^ ((uint64_t)h * 0x9E3779B97F4A7C15ULL)) * 0xff51afd7ed558ccdULL;
    for (size_t i = (size_t)(x >> 32) & a->by_member_mask;; i = (i + 1) & a->by_member_mask) {
        uint32_t m = a->by_member[i];
        if (m == XC_NONE || (a->p[m].household == h && a->p[m].key == key))
            return i;
    }
}

/* Makes room in the members by (household, key) for one more. */
static int reserve_member(xc_archive *a)
{
    if ((a->n_by_member + 1) * 2 <= a->by_member_mask + 1)
        return XC_OK;
    size_t cap = (a->by_member_mask + 1) * 2;
    uint32_t *t = malloc(cap * sizeof *t), *old = a->by_member;
    if (!t)
        return XC_ENOMEM;
    memset(t, 0xFF, cap * sizeof *t);
    size_t old_cap = a->by_member_mask + 1;
    a->by_member = t;
    a->by_member_mask = cap - 1;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i] != XC_NONE)
            a->by_member[member_slot(a, a->p[old[i]].household, a->p[old[i]].key)] = old[i];
    free(old);
    return XC_OK;
}

/* Enters person idx in the members by (household, key); requires the room
 * reserve_member() makes. */
static void put_member(xc_archive *a, uint32_t idx)
{
    a->by_member[member_slot(a, a->p[idx].household, a->p[idx].key)] = idx;
    a->n_by_member++;
}

/* Makes room for the tails of every household so far. */
static int grow_loading(xc_archive *a)
{
    if (a->cap_tail < a->n_hh) {
        uint32_t *t = realloc(a->tail, a->cap_hh * sizeof *t);
        if (!t)
            return XC_ENOMEM;
        /* households still without members */
        memset(t + a->cap_tail, 0xFF, (a->cap_hh - a->cap_tail) * sizeof *t);
        a->tail = t;
        a->cap_tail = a->cap_hh;
    }
    return XC_OK;
}

/* Builds the loading index from the archive as it is (empty, the first
 * time; after xc_archive_seal(), from every list): one pass over each. */
static int start_loading(xc_archive *a)
{
    a->cap_tail = 0;
    a->n_by_member = 0;
    a->by_member_mask = 1023;
    free(a->by_member);
    a->by_member = malloc((a->by_member_mask + 1) * sizeof *a->by_member);
    if (!a->by_member || grow_loading(a) < 0)
        return XC_ENOMEM;
    memset(a->by_member, 0xFF, (a->by_member_mask + 1) * sizeof *a->by_member);
    for (size_t h = 0; h < a->n_hh; h++) {
        uint32_t last = XC_NONE;
        for (uint32_t m = a->hh[h].first_member; m != XC_NONE; m = a->p[m].next_member)
            last = m;
        a->tail[h] = last;
        last = XC_NONE;
        for (uint32_t m = xc_household_first_repeat(a, &a->hh[h]); m != XC_NONE;
             m = a->p[m].next_member)
            last = m;
        if (last != XC_NONE) {
            if (side_reserve(&a->last_repeat) < 0)
                return XC_ENOMEM;
            side_put(&a->last_repeat, (uint32_t)h, last);
        }
    }
    for (uint32_t i = 0; i < a->n_p; i++) {
        const xc_person *p = &a->p[i];
        if (!p->has_next_same)
            continue;
        uint32_t next = xc_person_next_same(a, p);
        if (reserve_member(a) < 0)      /* a shared key's person, not its first */
            return XC_ENOMEM;
        put_member(a, next);
        if (xc_idtab_find(a->ids, p->key) != i)
            continue;
        uint32_t last = i;
        while (a->p[last].has_next_same)
            last = xc_person_next_same(a, &a->p[last]);
        if (side_reserve(&a->last_same) < 0)
            return XC_ENOMEM;
        side_put(&a->last_same, i, last);
    }
    a->loading = true;
    return XC_OK;
}

/* Room for the persons of the members to come: the households hold about
 * three each, so the first guess is three times their number. */
static int reserve_person(xc_archive *a)
{
    if (a->n_p < a->cap_p)
        return XC_OK;
    size_t cap = a->cap_p ? a->cap_p * 2 : 3 * a->n_hh + 1024;
    xc_person *p = realloc(a->p, cap * sizeof *p);
    if (!p)
        return XC_ENOMEM;
    a->p = p;
    a->cap_p = cap;
    return XC_OK;
}

int xc_archive_add_member(xc_archive *a, const xc_record *rec)
{
    const xc_value *v = rec->v;
    uint32_t h = xc_archive_find_household(a, v[XC_MB_ARCHIVE_NO].s, v[XC_MB_ARCHIVE_NO].len);
    if (h == XC_NONE)
        return XC_NOT_FOUND;
    if (reserve_person(a) < 0 || (!a->loading ? start_loading(a) < 0 : grow_loading(a) < 0))
        return XC_ENOMEM;
    uint32_t idx = (uint32_t)a->n_p;
    xc_person *p = &a->p[idx];
    memset(p, 0, sizeof *p);
    /* Most IDs are exported clean: their text is the key's, not kept twice. */
    const xc_value *raw = &v[XC_MB_ID_NO];
    bool clean = rec->id.key && raw->len == 18 && memcmp(raw->s, rec->id.norm, 18) == 0;
    const char *raw_id = clean ? NULL : text_of(a, raw);
    /* The worker's own row gives the worker's name again: kept once. */
    const xc_value *name = &v[XC_MB_NAME];
    const char *worker = a->hh[h].worker_name;
    p->name = !name->null && strlen(worker) == name->len && memcmp(worker, name->s, name->len) == 0
                  ? worker
                  : text_of(a, name);
    if ((!clean && (!raw_id || side_reserve(&a->raw_ids) < 0)) || !p->name)
        return XC_ENOMEM;
    p->key = rec->id.key;
    p->household = h;
    p->relation = (uint8_t)v[XC_MB_RELATION].i;
    p->id_error = (uint8_t)rec->id.error;
    p->legacy = rec->id.legacy;
    p->has_raw_id = !clean;
    p->line_lo = (uint32_t)rec->line;
    p->line_hi = (uint8_t)((uint64_t)rec->line >> 32);
    p->next_member = XC_NONE;
    /* Keep members in file order: append to the household's list, unless
     * the row repeats a member's valid ID number: the key's first person,
     * or one of the others of a key shared. Room first: once the ID table
     * or a list holds the person, nothing may fail, or adding the row again
     * would find it there. */
    uint32_t first = p->key ? xc_idtab_find(a->ids, p->key) : XC_NONE, repeat_of = XC_NONE;
    if (first != XC_NONE)
        repeat_of = a->p[first].household == h ? first
                    : a->p[first].has_next_same ? a->by_member[member_slot(a, h, p->key)]
                                                : XC_NONE;
    if (repeat_of != XC_NONE) {
        const xc_household *hh = &a->hh[h];
        if (side_reserve(&a->repeat_of) < 0 || side_reserve(&a->repeats) < 0 ||
            side_reserve(&a->last_repeat) < 0)
            return XC_ENOMEM;
        uint32_t last = (uint32_t)side_get(&a->last_repeat, h, XC_NONE);
        uint64_t first_n = hh->has_repeats ? side_get(&a->repeats, h, 0) : (uint64_t)idx << 32;
        if (last != XC_NONE)
            a->p[last].next_member = idx;
        side_put(&a->last_repeat, h, idx);
        side_put(&a->repeats, h, first_n + 1);
        side_put(&a->repeat_of, idx, repeat_of);
        a->hh[h].has_repeats = true;
        p->is_repeat = true;
    } else {
        if (first != XC_NONE) {         /* a key shared with another household */
            if (reserve_member(a) < 0 || side_reserve(&a->next_same) < 0 ||
                side_reserve(&a->last_same) < 0)
                return XC_ENOMEM;
            uint32_t last = (uint32_t)side_get(&a->last_same, first, first);
            side_put(&a->next_same, last, idx);
            a->p[last].has_next_same = true;
            side_put(&a->last_same, first, idx);
            put_member(a, idx);
        } else if (p->key && xc_idtab_insert(a->ids, p->key, idx, NULL) < 0) {
            return XC_ENOMEM;
        }
        uint32_t *last = &a->tail[h];
        if (*last == XC_NONE)
            a->hh[h].first_member = idx;
        else
            a->p[*last].next_member = idx;
        *last = idx;
        a->hh[h].n_members++;
    }
    if (!clean)
        side_put(&a->raw_ids, idx, (uint64_t)(uintptr_t)raw_id);
    a->n_p++;
    return XC_OK;
}

uint32_t xc_archive_find_person(const xc_archive *a, uint64_t key)
{
    return xc_idtab_find(a->ids, key);
}

void xc_archive_find_persons(const xc_archive *a, const uint64_t *keys, size_t n,
                             uint32_t *ret)
{
    xc_idtab_find_batch(a->ids, keys, n, ret);
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* The sorted distinct regions of the households (a cache). */
static int build_regions(xc_archive *m)
{
    if (!m->regions_ready) {
        uint32_t *r = realloc(m->regions, (m->n_hh + 1) * sizeof *r);
        if (!r)
            return XC_ENOMEM;
        m->regions = r;
        for (size_t i = 0; i < m->n_hh; i++)
            r[i] = m->hh[i].region;
        qsort(r, m->n_hh, sizeof *r, cmp_u32);
        size_t n = 0;
        for (size_t i = 0; i < m->n_hh; i++)
            if (n == 0 || r[n - 1] != r[i])
                r[n++] = r[i];
        m->n_regions = n;
        m->regions_ready = true;
        if ((r = realloc(m->regions, (n + 1) * sizeof *r)) != NULL)   /* a few hundred */
            m->regions = r;
    }
    return XC_OK;
}

/* Gives back the room grown for households and persons to come. */
static void fit(xc_archive *m)
{
    if (m->n_hh && m->n_hh < m->cap_hh) {
        xc_household *hh = realloc(m->hh, m->n_hh * sizeof *hh);
        if (hh) {
            m->hh = hh;
            m->cap_hh = m->n_hh;
        }
    }
    if (m->n_p && m->n_p < m->cap_p) {
        xc_person *p = realloc(m->p, m->n_p * sizeof *p);
        if (p) {
            m->p = p;
            m->cap_p = m->n_p;
        }
    }
}

int xc_archive_seal(xc_archive *m)
{
    free(m->tail);
    free(m->by_member);
    m->tail = m->by_member = NULL;
    m->cap_tail = 0;
    side_free(&m->last_repeat);
    side_free(&m->last_same);
    free(m->cadres);
    m->cadres = NULL;
    m->n_cadres = 0;
    m->loading = false;
    fit(m);
    return build_regions(m);
}

bool xc_archive_covers_region(const xc_archive *a, uint32_t code, int digits)
{
    xc_archive *m = (xc_archive *)a;   /* the sorted list is a cache */
    if (!m->regions_ready && build_regions(m) < 0)
        return false;
    uint32_t scale = digits == 2 ? 10000 : digits == 4 ? 100 : 1;
    uint32_t lo = code * scale, hi = (code + 1) * scale;
    size_t l = 0, h = m->n_regions;
    while (l < h) {                     /* first region >= lo */
        size_t mid = (l + h) / 2;
        if (m->regions[mid] < lo)
            l = mid + 1;
        else
            h = mid;
    }
    return l < m->n_regions && m->regions[l] < hi;
}

size_t xc_archive_households(const xc_archive *a) { return a->n_hh; }
size_t xc_archive_persons(const xc_archive *a) { return a->n_p; }
const xc_household *xc_archive_household(const xc_archive *a, uint32_t i) { return &a->hh[i]; }
const xc_person *xc_archive_person(const xc_archive *a, uint32_t i) { return &a->p[i]; }
const xc_idtab *xc_archive_idtab(const xc_archive *a) { return a->ids; }

static uint32_t person_index(const xc_archive *a, const xc_person *p)
{
    assert(p >= a->p && p < a->p + a->n_p);
    return (uint32_t)(p - a->p);
}

static uint32_t household_index(const xc_archive *a, const xc_household *hh)
{
    assert(hh >= a->hh && hh < a->hh + a->n_hh);
    return (uint32_t)(hh - a->hh);
}

const char *xc_person_raw_id(const xc_archive *a, const xc_person *p, char buf[static 19])
{
    if (p->has_raw_id)
        return (const char *)(uintptr_t)side_get(&a->raw_ids, person_index(a, p), 0);
    xc_id_unpack(p->key, buf);
    return buf;
}

uint32_t xc_person_repeat_of(const xc_archive *a, const xc_person *p)
{
    return p->is_repeat ? (uint32_t)side_get(&a->repeat_of, person_index(a, p), XC_NONE)
                        : XC_NONE;
}

uint32_t xc_person_next_same(const xc_archive *a, const xc_person *p)
{
    return p->has_next_same
               ? (uint32_t)side_get(&a->next_same, person_index(a, p), XC_NONE)
               : XC_NONE;
}

uint32_t xc_household_first_repeat(const xc_archive *a, const xc_household *hh)
{
    return hh->has_repeats
               ? (uint32_t)(side_get(&a->repeats, household_index(a, hh), 0) >> 32)
               : XC_NONE;
}

uint32_t xc_household_n_repeats(const xc_archive *a, const xc_household *hh)
{
    return hh->has_repeats ? (uint32_t)side_get(&a->repeats, household_index(a, hh), 0) : 0;
}

char *xc_archive_masked_id(const xc_archive *a, uint32_t person, char out[static 32])
{
    const xc_person *p = &a->p[person];
    char id[24];
    if (!p->key) {
        /* Invalid text can hold anything: mask only its letters and digits. */
        size_t n = 0;
        char buf[19];
        for (const char *s = xc_person_raw_id(a, p, buf); *s && n < sizeof id - 1; s++)
            if ((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
                id[n++] = *s;
        id[n] = '\0';
        return xc_id_mask(id, out, 32);
    }
    xc_id_unpack(p->key, id);
    return xc_id_mask(id, out, 32);
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

int xc_archive_keys(const xc_archive *a, uint64_t **ret, size_t *ret_n)
{
    uint64_t *k = malloc((a->n_p ? a->n_p : 1) * sizeof *k);
    if (!k)
        return XC_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < a->n_p; i++)
        if (a->p[i].key)
            k[n++] = a->p[i].key;
    qsort(k, n, sizeof *k, cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || k[u - 1] != k[i])
            k[u++] = k[i];
    *ret = k;
    *ret_n = u;
    return XC_OK;
}

bool xc_in_archive(const xc_household *hh, xc_date as_of)
{
    if (hh->enrolled_on > as_of)
        return false;
    if (hh->status == XC_HH_STATUS_ACTIVE || hh->status == XC_HH_STATUS_RELIEVED)
        return true;
    return hh->exited_on != XC_NO_DATE && hh->exited_on > as_of;
}

bool xc_exited(const xc_household *hh, xc_date as_of)
{
    return hh->status == XC_HH_STATUS_EXITED && hh->enrolled_on <= as_of &&
           (hh->exited_on == XC_NO_DATE || hh->exited_on <= as_of);
}
