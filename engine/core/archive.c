/* archive.c - households, persons, the ID table and the archive-number map. */
#include "xcheck/archive.h"

#include <stdlib.h>
#include <string.h>

#include "xcheck/idno.h"
#include "xcheck/text.h"

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
    /* While loading, what adding a member needs in constant time: the last
     * member and last repeat of each household, the last person of each
     * key (kept at the key's first person), and the members by (household,
     * key), to tell a repeat. Built by the first xc_archive_add_member(),
     * dropped by xc_archive_seal(). */
    bool loading;
    uint32_t *tail;           /* [2 * h]: last member, [2 * h + 1]: last repeat */
    size_t cap_tail;          /* households it has room for */
    uint32_t *last_same;      /* per person: at a key's first, its last */
    size_t cap_last;          /* persons it has room for */
    uint32_t *by_member;      /* open addressing: member index or XC_NONE */
    size_t by_member_mask, n_by_member;
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
    free(a->last_same);
    free(a->by_member);
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

int xc_archive_add_household(xc_archive *a, const xc_record *rec, long *ret_first)
{
    const xc_value *v = rec->v;
    uint32_t dup = xc_archive_find_household(a, v[XC_HH_ARCHIVE_NO].s, v[XC_HH_ARCHIVE_NO].len);
    if (dup != XC_NONE) {
        if (ret_first)
            *ret_first = a->hh[dup].line;
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
    h->cadre_id = v[XC_HH_CADRE_ID].null ? NULL : text_of(a, &v[XC_HH_CADRE_ID]);
    if (!h->archive_no || !h->worker_name || (!v[XC_HH_CADRE_ID].null && !h->cadre_id))
        return XC_ENOMEM;
    h->worker_key = rec->id.key;
    h->region = (uint32_t)v[XC_HH_REGION_CODE].i;
    h->level = (uint8_t)v[XC_HH_LEVEL].i;
    h->status = (uint8_t)v[XC_HH_STATUS].i;
    h->enrolled_on = (xc_date)v[XC_HH_ENROLLED_ON].i;
    h->exited_on = v[XC_HH_EXITED_ON].null ? XC_NO_DATE : (xc_date)v[XC_HH_EXITED_ON].i;
    h->causes = (uint32_t)v[XC_HH_HARDSHIP_CAUSE].i;
    h->first_member = XC_NONE;
    h->first_repeat = XC_NONE;
    h->line = rec->line;
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

/* Makes room for the tails of every household so far and of one person
 * more. */
static int grow_loading(xc_archive *a)
{
    if (a->cap_tail < a->cap_hh) {
        uint32_t *t = realloc(a->tail, a->cap_hh * 2 * sizeof *t);
        if (!t)
            return XC_ENOMEM;
        /* households still without members */
        memset(t + 2 * a->cap_tail, 0xFF, (a->cap_hh - a->cap_tail) * 2 * sizeof *t);
        a->tail = t;
        a->cap_tail = a->cap_hh;
    }
    if (a->cap_last < a->n_p + 1) {
        size_t cap = a->cap_p > a->n_p ? a->cap_p : a->n_p + 1;
        uint32_t *t = realloc(a->last_same, cap * sizeof *t);
        if (!t)
            return XC_ENOMEM;
        a->last_same = t;
        a->cap_last = cap;
    }
    return XC_OK;
}

/* Builds the loading index from the archive as it is (empty, the first
 * time; after xc_archive_seal(), from every list): one pass over each. */
static int start_loading(xc_archive *a)
{
    a->cap_tail = a->cap_last = 0;
    a->n_by_member = 0;
    a->by_member_mask = 1023;
    free(a->by_member);
    a->by_member = malloc((a->by_member_mask + 1) * sizeof *a->by_member);
    if (!a->by_member || grow_loading(a) < 0)
        return XC_ENOMEM;
    memset(a->by_member, 0xFF, (a->by_member_mask + 1) * sizeof *a->by_member);
    for (size_t h = 0; h < a->n_hh; h++) {
        uint32_t last = XC_NONE;
        for (uint32_t m = a->hh[h].first_member; m != XC_NONE; m = a->p[m].next_member) {
            last = m;
            if (!a->p[m].key)
                continue;
            if (reserve_member(a) < 0)
                return XC_ENOMEM;
            put_member(a, m);
        }
        a->tail[2 * h] = last;
        last = XC_NONE;
        for (uint32_t m = a->hh[h].first_repeat; m != XC_NONE; m = a->p[m].next_member)
            last = m;
        a->tail[2 * h + 1] = last;
    }
    for (uint32_t i = 0; i < a->n_p; i++) {
        const xc_person *p = &a->p[i];
        if (!p->key || p->repeat_of != XC_NONE || xc_idtab_find(a->ids, p->key) != i)
            continue;
        uint32_t last = i;
        while (a->p[last].next_same != XC_NONE)
            last = a->p[last].next_same;
        a->last_same[i] = last;
    }
    a->loading = true;
    return XC_OK;
}

/* Appends person idx to the list that starts at *first and ends at *last. */
static void append(xc_archive *a, uint32_t *first, uint32_t *last, uint32_t idx)
{
    if (*last == XC_NONE)
        *first = idx;
    else
        a->p[*last].next_member = idx;
    *last = idx;
}

int xc_archive_add_member(xc_archive *a, const xc_record *rec)
{
    const xc_value *v = rec->v;
    uint32_t h = xc_archive_find_household(a, v[XC_MB_ARCHIVE_NO].s, v[XC_MB_ARCHIVE_NO].len);
    if (h == XC_NONE)
        return XC_NOT_FOUND;
    if (a->n_p == a->cap_p) {
        size_t cap = a->cap_p ? a->cap_p * 2 : 1024;
        xc_person *p = realloc(a->p, cap * sizeof *p);
        if (!p)
            return XC_ENOMEM;
        a->p = p;
        a->cap_p = cap;
    }
    if (!a->loading ? start_loading(a) < 0 : grow_loading(a) < 0)
        return XC_ENOMEM;
    uint32_t idx = (uint32_t)a->n_p;
    xc_person *p = &a->p[idx];
    memset(p, 0, sizeof *p);
    /* Most IDs are exported clean: their text is the key's, not kept twice. */
    const xc_value *raw = &v[XC_MB_ID_NO];
    bool clean = rec->id.key && raw->len == 18 && memcmp(raw->s, rec->id.norm, 18) == 0;
    p->raw_id = clean ? NULL : text_of(a, raw);
    p->name = text_of(a, &v[XC_MB_NAME]);
    if ((!clean && !p->raw_id) || !p->name)
        return XC_ENOMEM;
    p->key = rec->id.key;
    p->household = h;
    p->relation = (uint8_t)v[XC_MB_RELATION].i;
    p->id_error = (uint8_t)rec->id.error;
    p->legacy = rec->id.legacy;
    p->line = rec->line;
    p->next_same = XC_NONE;
    p->repeat_of = XC_NONE;
    p->next_member = XC_NONE;
    /* Keep members in file order: append to the household's list, unless
     * the row repeats a member's valid ID number. */
    if (p->key)
        p->repeat_of = a->by_member[member_slot(a, h, p->key)];
    if (p->repeat_of != XC_NONE) {
        append(a, &a->hh[h].first_repeat, &a->tail[2 * h + 1], idx);
        a->hh[h].n_repeats++;
        a->n_p++;
        return XC_OK;
    }
    if (p->key) {
        /* Room first: once the ID table holds the person, nothing may fail,
         * or adding the row again would find it there. */
        uint32_t first;
        int rc = reserve_member(a);
        if (rc < 0 || (rc = xc_idtab_insert(a->ids, p->key, idx, &first)) < 0)
            return XC_ENOMEM;
        put_member(a, idx);
        if (rc == XC_EXISTS)
            a->p[a->last_same[first]].next_same = idx;
        a->last_same[rc == XC_EXISTS ? first : idx] = idx;
    }
    append(a, &a->hh[h].first_member, &a->tail[2 * h], idx);
    a->hh[h].n_members++;
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
    }
    return XC_OK;
}

int xc_archive_seal(xc_archive *m)
{
    free(m->tail);
    free(m->last_same);
    free(m->by_member);
    m->tail = m->last_same = m->by_member = NULL;
    m->cap_tail = m->cap_last = 0;
    m->loading = false;
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

const char *xc_person_raw_id(const xc_person *p, char buf[static 19])
{
    if (p->raw_id)
        return p->raw_id;
    xc_id_unpack(p->key, buf);
    return buf;
}

char *xc_archive_masked_id(const xc_archive *a, uint32_t person, char out[static 32])
{
    const xc_person *p = &a->p[person];
    char id[24];
    if (!p->key) {
        /* Invalid text can hold anything: mask only its letters and digits. */
        size_t n = 0;
        for (const char *s = p->raw_id; *s && n < sizeof id - 1; s++)
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
