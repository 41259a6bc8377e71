/* facts.c - per-dataset vectors of facts, their text, merging and sorting. */
#include "xcheck/facts.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/archive.h"
#include "xcheck/region.h"
#include "xcheck/spill.h"
#include "xcheck/text.h"

/* The ID text of a fact whose text differs from its number, under the
 * fact's head (key, source, line: one fact's own). */
typedef struct raw_text {
    xc_fact_head h;
    const char *text;
} raw_text;

typedef struct fact_vec {
    char *data;
    size_t n, cap;
    size_t settled;         /* facts [0, settled) stayed in memory at a spill
                               (xc_facts_spill()), placed already: a later
                               spill leaves them, and no row joins them */
    size_t settled_raws;
    char **sources;
    uint16_t n_sources;
    raw_text *raws;
    size_t n_raws, cap_raws;
    bool raws_sorted;       /* by cmp_raw: since the last xc_facts_seal() */
    uint64_t *every;        /* the key of every SAMPLE-th fact, made by the
                               seal: a search reads it first, then one block
                               of facts, not the whole vector's cache lines */
    size_t n_every;         /* 0 from the first change after the seal on */
    size_t every_len;       /* the keys every holds room for */
} fact_vec;

enum { SAMPLE = 32 };

/* Texts kept once however many facts hold them (contact.cadre_id): an
 * open-addressing set of the arena's copies, by hash. */
typedef struct text_set {
    const char **slot;
    size_t n, cap;          /* cap a power of two, or 0 */
} text_set;

/* A month of social insurance whose sum needs more than 32 bits. */
typedef struct wide_income {
    uint64_t key;
    int64_t amount;
    xc_month month;
} wide_income;

struct xc_facts {
    fact_vec v[XC_DS_COUNT];
    fact_vec wide;          /* wide_income: xc_fact_income's amount cannot hold them */
    xc_arena text;
    text_set shared;
    const xc_facts *sources_from;   /* names the sources when set */
};

/* Social insurance has no head: a fact is a person's sum for a month. */
static bool headless(xc_ds_id ds)
{
    return ds == XC_DS_SOCIAL_INSURANCE;
}

size_t xc_facts_size(xc_ds_id ds)
{
    switch (ds) {
    case XC_DS_HUKOU: return sizeof(xc_fact_hukou);
    case XC_DS_SOCIAL_INSURANCE: return sizeof(xc_fact_income);
    case XC_DS_PROPERTY: return sizeof(xc_fact_property);
    case XC_DS_VEHICLE: return sizeof(xc_fact_vehicle);
    case XC_DS_BUSINESS: return sizeof(xc_fact_business);
    case XC_DS_DIBAO_STANDARD: return sizeof(xc_fact_standard);
    case XC_DS_CONTACT: return sizeof(xc_fact_contact);
    case XC_DS_PAYMENT: return sizeof(xc_fact_payment);
    case XC_DS_EXIT_RECORD: return sizeof(xc_fact_exit);
    case XC_DS_FOLLOWUP: return sizeof(xc_fact_followup);
    case XC_DS_CANDIDATE: return sizeof(xc_fact_candidate);
    case XC_DS_DISPOSITION: return sizeof(xc_fact_disposition);
    default: return 0;
    }
}

bool xc_facts_kept(xc_ds_id ds)
{
    return xc_facts_size(ds) > 0;
}

int xc_facts_new(xc_facts **ret)
{
    xc_facts *f = calloc(1, sizeof *f);
    if (!f)
        return XC_ENOMEM;
    *ret = f;
    return XC_OK;
}

void xc_facts_free(xc_facts *f)
{
    if (!f)
        return;
    for (int d = 0; d < XC_DS_COUNT; d++) {
        free(f->v[d].data);
        for (uint16_t s = 0; s < f->v[d].n_sources; s++)
            free(f->v[d].sources[s]);
        free(f->v[d].sources);
        free(f->v[d].raws);
        free(f->v[d].every);
    }
    free(f->wide.data);
    xc_arena_free(&f->text);
    free(f->shared.slot);
    free(f);
}

static const char *keep_text(xc_facts *f, const xc_value *v)
{
    return v->null ? NULL : xc_arena_dup(&f->text, v->s, v->len);
}

static bool same_text(const char *kept, const char *s, size_t len)
{
    return strncmp(kept, s, len) == 0 && kept[len] == '\0';
}

/* keep_text() for a text that many facts share: the copy already kept, or
 * a new one. A text holding a NUL byte is kept apart each time (the set
 * compares C strings). */
static const char *keep_shared(xc_facts *f, const xc_value *v)
{
    if (v->null)
        return NULL;
    if (memchr(v->s, '\0', v->len))
        return keep_text(f, v);
    text_set *t = &f->shared;
    if ((t->n + 1) * 4 > t->cap * 3) {             /* at most 3/4 full */
        size_t cap = t->cap ? t->cap * 2 : 64;
        const char **slot = calloc(cap, sizeof *slot);
        if (!slot)
            return NULL;
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slot[i])
                continue;
            size_t j = xc_text_hash(t->slot[i], strlen(t->slot[i])) & (cap - 1);
            while (slot[j])
                j = (j + 1) & (cap - 1);
            slot[j] = t->slot[i];
        }
        free(t->slot);
        t->slot = slot;
        t->cap = cap;
    }
    size_t j = xc_text_hash(v->s, v->len) & (t->cap - 1);
    for (; t->slot[j]; j = (j + 1) & (t->cap - 1))
        if (same_text(t->slot[j], v->s, v->len))
            return t->slot[j];
    const char *kept = keep_text(f, v);
    if (kept) {
        t->slot[j] = kept;
        t->n++;
    }
    return kept;
}

int xc_facts_add_source(xc_facts *f, xc_ds_id ds, const char *where, uint16_t *ret_src)
{
    fact_vec *v = &f->v[ds];
    if (v->n_sources == UINT16_MAX)
        return XC_ENOMEM;
    char **s = realloc(v->sources, (v->n_sources + 1u) * sizeof *s);
    if (!s)
        return XC_ENOMEM;
    v->sources = s;
    size_t n = strlen(where) + 1;
    if (!(s[v->n_sources] = malloc(n)))
        return XC_ENOMEM;
    memcpy(s[v->n_sources], where, n);
    *ret_src = v->n_sources++;
    return XC_OK;
}

uint16_t xc_facts_sources(const xc_facts *f, xc_ds_id ds)
{
    return f->v[ds].n_sources;
}

const char *xc_facts_source(const xc_facts *f, xc_ds_id ds, uint16_t src)
{
    if (f->sources_from)
        f = f->sources_from;
    return src < f->v[ds].n_sources ? f->v[ds].sources[src] : "";
}

static void *push(fact_vec *v, size_t size)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 256;
        char *d = realloc(v->data, cap * size);
        if (!d)
            return NULL;
        v->data = d;
        v->cap = cap;
    }
    void *p = v->data + v->n * size;
    memset(p, 0, size);
    return p;
}

static xc_date date_or_none(const xc_value *v)
{
    return v->null ? XC_NO_DATE : (xc_date)v->i;
}

int xc_facts_add(xc_facts *f, xc_ds_id ds, uint16_t src, const xc_record *rec)
{
    return xc_facts_add_key(f, ds, src, rec->id.key, rec);
}

/* Joins the last run to the one before when it continues it with the same
 * sum. Always right: a row of its month that comes later is a run of its
 * own, which readers add and xc_facts_seal() sums in. */
static void join_last(fact_vec *vec)
{
    xc_fact_income *x = (xc_fact_income *)vec->data;
    size_t n = vec->n;
    if (n < vec->settled + 2)
        return;
    xc_fact_income *before = &x[n - 2], *last = &x[n - 1];
    if (before->key == last->key && xc_income_last(before) + 1 == xc_income_month(last) &&
        before->amount == last->amount && before->months <= UINT16_MAX - last->months) {
        before->months = (uint16_t)(before->months + last->months);
        vec->n--;
    }
}

/* The first month a run can start with, and the number of months. */
enum { FIRST_MONTH = XC_DATE_MIN_YEAR * 12,
       SPAN_MAX = (XC_DATE_MAX_YEAR - XC_DATE_MIN_YEAR + 1) * 12 };
_Static_assert(SPAN_MAX <= UINT16_MAX, "a month's offset fits xc_fact_income.month");

static bool narrow(int64_t amount)
{
    return amount >= INT32_MIN && amount <= INT32_MAX;
}

static int add_wide(xc_facts *f, uint64_t key, xc_month month, int64_t amount)
{
    wide_income *w = push(&f->wide, sizeof *w);
    if (!w)
        return XC_ENOMEM;
    *w = (wide_income){.key = key, .amount = amount, .month = month};
    f->wide.n++;
    return XC_OK;
}

/* A person's row of social insurance. Rows of one person come together in
 * most exports, month after month: a row of the last run's month (the last
 * run is always one month long: it joins the run before only when a later
 * row opens another) is added to it; any other row closes the last run,
 * which joins the one before if it continues it, and opens its own. A row
 * whose amount needs more than 32 bits is kept apart. */
static int add_income(xc_facts *f, uint64_t key, const xc_record *rec)
{
    fact_vec *vec = &f->v[XC_DS_SOCIAL_INSURANCE];
    xc_month month = (xc_month)rec->v[XC_SI_MONTH].i;
    int64_t amount = rec->v[XC_SI_AMOUNT].i;
    if (!narrow(amount) || month < FIRST_MONTH || month >= FIRST_MONTH + SPAN_MAX)
        return add_wide(f, key, month, amount);
    size_t n = vec->n;
    xc_fact_income *last = n > vec->settled ? (xc_fact_income *)vec->data + (n - 1) : NULL;
    if (last && last->key == key && last->months == 1 && xc_income_month(last) == month &&
        narrow(last->amount + amount)) {
        last->amount = (int32_t)(last->amount + amount);
        return XC_OK;
    }
    join_last(vec);
    xc_fact_income *run = push(vec, sizeof *run);
    if (!run)
        return XC_ENOMEM;
    *run = (xc_fact_income){.key = key, .amount = (int32_t)amount,
                            .month = (uint16_t)(month - FIRST_MONTH), .months = 1};
    vec->n++;
    vec->n_every = 0;
    return XC_OK;
}

/* Keeps the ID text of a row whose text is not the normalised number. */
static int keep_raw_id(xc_facts *f, fact_vec *vec, const xc_fact_head *h, const xc_value *raw)
{
    if (vec->n_raws == vec->cap_raws) {
        size_t cap = vec->cap_raws ? vec->cap_raws * 2 : 16;
        raw_text *r = realloc(vec->raws, cap * sizeof *r);
        if (!r)
            return XC_ENOMEM;
        vec->raws = r;
        vec->cap_raws = cap;
    }
    const char *text = keep_text(f, raw);
    if (!text)
        return XC_ENOMEM;
    vec->raws[vec->n_raws++] = (raw_text){.h = *h, .text = text};
    vec->raws_sorted = false;
    return XC_OK;
}

int xc_facts_add_key(xc_facts *f, xc_ds_id ds, uint16_t src, uint64_t key,
                     const xc_record *rec)
{
    fact_vec *vec = &f->v[ds];
    if (headless(ds))
        return add_income(f, key, rec);
    size_t size = xc_facts_size(ds);
    xc_fact_head *h = push(vec, size);
    if (!h)
        return XC_ENOMEM;
    memset(h, 0, size);
    const xc_value *v = rec->v;
    h->key = key;
    const uint64_t max_line = ((uint64_t)1 << 48) - 1;
    uint64_t line = rec->line > 0 && (uint64_t)rec->line < max_line ? (uint64_t)rec->line
                                                                     : max_line;
    h->line = (uint32_t)line;
    h->line_hi = (uint16_t)(line >> 32);
    h->src = src;
    bool ok = true;
    switch (ds) {
    case XC_DS_HUKOU: {
        xc_fact_hukou *x = (xc_fact_hukou *)h;
        x->name = keep_text(f, &v[XC_HK_NAME]);
        ok = x->name || v[XC_HK_NAME].null;
        x->region = v[XC_HK_REGION_CODE].null ? 0 : (uint32_t)v[XC_HK_REGION_CODE].i;
        x->status = (uint8_t)v[XC_HK_STATUS].i;
        x->status_on = date_or_none(&v[XC_HK_STATUS_ON]);
        break;
    }
    case XC_DS_PROPERTY: {
        xc_fact_property *x = (xc_fact_property *)h;
        x->cert_no = keep_text(f, &v[XC_PR_CERT_NO]);
        ok = x->cert_no || v[XC_PR_CERT_NO].null;
        x->usage = (uint8_t)v[XC_PR_USAGE].i;
        x->area_m2 = v[XC_PR_AREA_M2].null ? -1 : v[XC_PR_AREA_M2].d;
        x->region = v[XC_PR_REGION_CODE].null ? 0 : (uint32_t)v[XC_PR_REGION_CODE].i;
        x->registered_on = (xc_date)v[XC_PR_REGISTERED_ON].i;
        x->cancelled_on = date_or_none(&v[XC_PR_CANCELLED_ON]);
        break;
    }
    case XC_DS_VEHICLE: {
        xc_fact_vehicle *x = (xc_fact_vehicle *)h;
        x->plate = keep_text(f, &v[XC_VH_PLATE]);
        ok = x->plate || v[XC_VH_PLATE].null;
        x->kind = (uint8_t)v[XC_VH_KIND].i;
        x->registered_on = (xc_date)v[XC_VH_REGISTERED_ON].i;
        x->deregistered_on = date_or_none(&v[XC_VH_DEREGISTERED_ON]);
        x->price = v[XC_VH_PRICE].null ? -1 : v[XC_VH_PRICE].i;
        break;
    }
    case XC_DS_BUSINESS: {
        xc_fact_business *x = (xc_fact_business *)h;
        x->credit_code = keep_text(f, &v[XC_BZ_CREDIT_CODE]);
        ok = x->credit_code || v[XC_BZ_CREDIT_CODE].null;
        x->role = (uint8_t)v[XC_BZ_ROLE].i;
        x->status = (uint8_t)v[XC_BZ_STATUS].i;
        x->capital = v[XC_BZ_REGISTERED_CAPITAL].null ? -1 : v[XC_BZ_REGISTERED_CAPITAL].i;
        x->established_on = date_or_none(&v[XC_BZ_ESTABLISHED_ON]);
        x->closed_on = date_or_none(&v[XC_BZ_CLOSED_ON]);
        break;
    }
    case XC_DS_DIBAO_STANDARD: {
        xc_fact_standard *x = (xc_fact_standard *)h;
        x->digits = (uint8_t)xc_region_prefix((uint32_t)v[XC_DB_REGION_CODE].i,
                                              (int)v[XC_DB_REGION_CODE].len, &x->code);
        x->effective_from = (xc_date)v[XC_DB_EFFECTIVE_FROM].i;
        x->amount = v[XC_DB_MONTHLY_AMOUNT].i;
        break;
    }
    case XC_DS_CONTACT: {
        xc_fact_contact *x = (xc_fact_contact *)h;
        x->date = (xc_date)v[XC_CT_CONTACT_DATE].i;
        x->kind = (uint8_t)v[XC_CT_KIND].i;
        x->cadre_id = keep_shared(f, &v[XC_CT_CADRE_ID]);
        ok = x->cadre_id || v[XC_CT_CADRE_ID].null;
        break;
    }
    case XC_DS_PAYMENT: {
        xc_fact_payment *x = (xc_fact_payment *)h;
        x->paid_on = (xc_date)v[XC_PM_PAID_ON].i;
        x->program = (uint8_t)v[XC_PM_PROGRAM].i;
        x->amount = v[XC_PM_AMOUNT].i;
        x->channel = (uint8_t)v[XC_PM_CHANNEL].i;
        x->personal_burden = v[XC_PM_PERSONAL_BURDEN].null ? -1 : v[XC_PM_PERSONAL_BURDEN].i;
        break;
    }
    case XC_DS_EXIT_RECORD: {
        xc_fact_exit *x = (xc_fact_exit *)h;
        x->applied_on = date_or_none(&v[XC_EX_APPLIED_ON]);
        x->publicity_from = date_or_none(&v[XC_EX_PUBLICITY_FROM]);
        x->publicity_to = date_or_none(&v[XC_EX_PUBLICITY_TO]);
        x->approved_on = date_or_none(&v[XC_EX_APPROVED_ON]);
        x->notified_on = date_or_none(&v[XC_EX_NOTIFIED_ON]);
        break;
    }
    case XC_DS_FOLLOWUP: {
        xc_fact_followup *x = (xc_fact_followup *)h;
        x->on = (xc_date)v[XC_FU_FOLLOWUP_ON].i;
        break;
    }
    case XC_DS_CANDIDATE: {
        xc_fact_candidate *x = (xc_fact_candidate *)h;
        x->name = keep_text(f, &v[XC_CD_NAME]);
        x->source = keep_text(f, &v[XC_CD_SOURCE]);
        ok = (x->name || v[XC_CD_NAME].null) && x->source;
        x->region = (uint32_t)v[XC_CD_REGION_CODE].i;
        break;
    }
    case XC_DS_DISPOSITION: {
        xc_fact_disposition *x = (xc_fact_disposition *)h;
        x->person = v[XC_DP_ID_NO].null ? 0 : rec->id.key;
        x->rule = keep_shared(f, &v[XC_DP_RULE]);
        x->decided_by = keep_shared(f, &v[XC_DP_DECIDED_BY]);
        x->note = keep_text(f, &v[XC_DP_NOTE]);
        ok = x->rule && (x->decided_by || v[XC_DP_DECIDED_BY].null) &&
             (x->note || v[XC_DP_NOTE].null);
        x->decided_on = (xc_date)v[XC_DP_DECIDED_ON].i;
        x->expires_on = date_or_none(&v[XC_DP_EXPIRES_ON]);
        x->outcome = (uint8_t)v[XC_DP_OUTCOME].i;
        x->names_household = !v[XC_DP_ARCHIVE_NO].null;
        break;
    }
    default:
        return XC_EINTERNAL;
    }
    if (!ok)
        return XC_ENOMEM;
    if (rec->id_field >= 0) {
        const xc_value *raw = &v[rec->id_field];
        if ((raw->len != 18 || memcmp(raw->s, rec->id.norm, 18) != 0) &&
            keep_raw_id(f, vec, h, raw) < 0)
            return XC_ENOMEM;
    }
    vec->n++;
    vec->n_every = 0;
    return XC_OK;
}

/* Makes room for cap facts of size bytes. Returns false, the vector
 * unchanged, when there is none. */
static bool grow_to(fact_vec *v, size_t cap, size_t size)
{
    char *p = realloc(v->data, cap * size);
    if (!p)
        return false;
    v->data = p;
    v->cap = cap;
    return true;
}

/* Makes room in a's facts for b's (of size bytes). An empty vector takes
 * the other's over instead: no copy, no second buffer at the peak of a big
 * scan. */
static bool reserve_facts(fact_vec *a, const fact_vec *b, size_t size)
{
    return !a->n || !b->n || a->n + b->n <= a->cap || grow_to(a, a->n + b->n, size);
}

/* Makes room in `into` for every fact and source of `from`. Changes only
 * capacities, so that a failure leaves both sets as they were. */
static int merge_reserve(xc_facts *into, const xc_facts *from)
{
    if (!reserve_facts(&into->wide, &from->wide, sizeof(wide_income)))
        return XC_ENOMEM;
    for (int d = 0; d < XC_DS_COUNT; d++) {
        fact_vec *a = &into->v[d];
        const fact_vec *b = &from->v[d];
        if (!reserve_facts(a, b, xc_facts_size((xc_ds_id)d)))
            return XC_ENOMEM;
        if (a->n_raws && b->n_raws && a->n_raws + b->n_raws > a->cap_raws) {
            raw_text *r = realloc(a->raws, (a->n_raws + b->n_raws) * sizeof *r);
            if (!r)
                return XC_ENOMEM;
            a->raws = r;
            a->cap_raws = a->n_raws + b->n_raws;
        }
        if (b->n_sources) {
            if (a->n_sources + b->n_sources > UINT16_MAX)
                return XC_ENOMEM;
            char **s = realloc(a->sources, (a->n_sources + b->n_sources) * sizeof *s);
            if (!s)
                return XC_ENOMEM;
            a->sources = s;
        }
    }
    return XC_OK;
}

/* Moves dataset d's facts and sources from b to a, which has room for
 * them: b's facts take source numbers after a's. */
static void merge_vec(fact_vec *a, fact_vec *b, size_t size, bool with_head)
{
    uint16_t shift = a->n_sources;
    for (size_t i = 0; with_head && i < b->n; i++) {
        xc_fact_head *h = (xc_fact_head *)(b->data + i * size);
        h->src = (uint16_t)(h->src + shift);
    }
    for (size_t i = 0; i < b->n_raws; i++)
        b->raws[i].h.src = (uint16_t)(b->raws[i].h.src + shift);
    if (a->n_raws == 0 && b->n_raws) {
        free(a->raws);
        a->raws = b->raws;
        a->cap_raws = b->cap_raws;
        b->raws = NULL;
    } else if (b->n_raws) {
        memcpy(a->raws + a->n_raws, b->raws, b->n_raws * sizeof *b->raws);
    }
    a->n_raws += b->n_raws;
    if (b->n_raws)
        a->raws_sorted = false;
    if (a->n == 0 && b->n) {
        free(a->data);
        a->data = b->data;
        a->cap = b->cap;
        b->data = NULL;
    } else if (b->n) {
        memcpy(a->data + a->n * size, b->data, b->n * size);
    }
    a->n += b->n;
    a->n_every = 0;
    if (b->n_sources)
        memcpy(a->sources + a->n_sources, b->sources, b->n_sources * sizeof *b->sources);
    a->n_sources = (uint16_t)(a->n_sources + b->n_sources);
    free(b->data);
    free(b->sources);
    free(b->raws);
    free(b->every);
    memset(b, 0, sizeof *b);
}

int xc_facts_merge(xc_facts *into, xc_facts *from)
{
    /* Everything that can fail comes first; moving cannot fail. */
    if (merge_reserve(into, from) < 0)
        return XC_ENOMEM;
    for (int d = 0; d < XC_DS_COUNT; d++)
        merge_vec(&into->v[d], &from->v[d], xc_facts_size((xc_ds_id)d), !headless((xc_ds_id)d));
    merge_vec(&into->wide, &from->wide, sizeof(wide_income), false);
    /* The text moves with the facts that point into it; `into` keeps its
     * own set of shared texts (the other's copies stay, each once). */
    xc_arena_move(&into->text, &from->text);
    free(from->shared.slot);
    memset(&from->shared, 0, sizeof from->shared);
    return XC_OK;
}

static int cmp_head(const void *x, const void *y)
{
    const xc_fact_head *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->src != b->src)
        return a->src < b->src ? -1 : 1;
    uint64_t la = xc_fact_line(a), lb = xc_fact_line(b);
    return (la > lb) - (la < lb);
}

enum { SMALL_SORT = 48 };

/* Facts are whole 8-byte words: copied a word at a time, not by a call. */
static inline void copy_fact(char *dst, const char *src, size_t size)
{
    for (size_t i = 0; i < size; i += 8)
        memcpy(dst + i, src + i, 8);
}

/* By key and first month, then length and amount: runs that stay apart
 * come out the same whatever the order of the rows. */
static int cmp_income(const void *x, const void *y)
{
    const xc_fact_income *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->month != b->month)
        return a->month < b->month ? -1 : 1;
    if (a->months != b->months)
        return a->months < b->months ? -1 : 1;
    return (a->amount > b->amount) - (a->amount < b->amount);
}

static int cmp_wide(const void *x, const void *y)
{
    const wide_income *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->month != b->month)
        return a->month < b->month ? -1 : 1;
    return (a->amount > b->amount) - (a->amount < b->amount);
}

typedef int (*fact_cmp)(const void *, const void *);

/* Insertion sort by cmp, for short ranges. */
static void insertion_sort(char *d, size_t n, size_t size, char *tmp, fact_cmp cmp)
{
    for (size_t i = 1; i < n; i++) {
        if (cmp(d + (i - 1) * size, d + i * size) <= 0)
            continue;
        copy_fact(tmp, d + i * size, size);
        size_t j = i;
        for (; j > 0 && cmp(d + (j - 1) * size, tmp) > 0; j--)
            copy_fact(d + j * size, d + (j - 1) * size, size);
        copy_fact(d + j * size, tmp, size);
    }
}

/* Every fact starts with its key, with a head or without. */
static uint64_t fact_key(const char *e)
{
    uint64_t key;
    memcpy(&key, e, sizeof key);
    return key;
}

static unsigned key_byte(const char *e, int shift)
{
    return (unsigned)(fact_key(e) >> shift) & 0xFF;
}

/* Moves d's n facts into the buckets of their key's byte at `shift`, in
 * place (American flag sort), bucket b's count[b] facts after those of the
 * buckets before it. False, with nothing moved, when every fact has the
 * same byte there. */
static bool into_buckets(char *d, size_t n, size_t size, int shift, char *tmp,
                         size_t count[static 256])
{
    memset(count, 0, 256 * sizeof *count);
    for (size_t i = 0; i < n; i++)
        count[key_byte(d + i * size, shift)]++;
    if (count[key_byte(d, shift)] == n)
        return false;
    size_t next[256], end[256], at = 0;
    for (int b = 0; b < 256; b++) {
        next[b] = at;
        at += count[b];
        end[b] = at;
    }
    for (int b = 0; b < 256; b++) {
        while (next[b] < end[b]) {
            char *e = d + next[b] * size;
            unsigned eb = key_byte(e, shift);
            while (eb != (unsigned)b) {    /* swap e into its bucket */
                char *slot = d + next[eb]++ * size;
                copy_fact(tmp, slot, size);
                copy_fact(slot, e, size);
                copy_fact(e, tmp, size);
                eb = key_byte(e, shift);
            }
            next[b]++;
        }
    }
    return true;
}

/* Sorts by cmp (the key first) in place: a radix sort on the key's bytes
 * from `shift` down (American flag sort), then the short runs of one key by
 * cmp. Needs no memory beyond one element (tmp); qsort() would sort
 * pointers to the facts and permute them, far slower for millions. */
static void sort_facts(char *d, size_t n, size_t size, int shift, char *tmp, fact_cmp cmp)
{
    if (n <= SMALL_SORT) {
        insertion_sort(d, n, size, tmp, cmp);
        return;
    }
    if (shift < 0) {                   /* one key: by the rest */
        qsort(d, n, size, cmp);
        return;
    }
    size_t count[256];
    if (!into_buckets(d, n, size, shift, tmp, count)) {   /* the same byte throughout */
        sort_facts(d, n, size, shift - 8, tmp, cmp);
        return;
    }
    for (size_t b = 0, at = 0; b < 256; at += count[b++])
        if (count[b] > 1)
            sort_facts(d + at * size, count[b], size, shift - 8, tmp, cmp);
}

static int cmp_raw(const void *x, const void *y)
{
    return cmp_head(&((const raw_text *)x)->h, &((const raw_text *)y)->h);
}

/* Sums the runs of one key, x[0 .. n-1] sorted by month, month by month,
 * and writes them as runs again, joined where a month continues the one
 * before with the same sum, into out (room for SPAN_MAX). Returns their
 * number, or 0 when they are left as they are: a month's sum needs more
 * than 32 bits. */
static size_t rerun(const xc_fact_income *x, size_t n, xc_fact_income *out)
{
    int64_t total[SPAN_MAX];
    bool seen[SPAN_MAX];
    int lo = x[0].month, hi = 0;
    for (size_t i = 0; i < n; i++)
        if (x[i].month + x[i].months - 1 > hi)
            hi = x[i].month + x[i].months - 1;
    if (hi >= SPAN_MAX)
        return 0;
    size_t span = (size_t)(hi - lo) + 1;
    memset(total, 0, span * sizeof *total);
    memset(seen, 0, span * sizeof *seen);
    for (size_t i = 0; i < n; i++)
        for (int m = x[i].month; m < x[i].month + x[i].months; m++) {
            if (__builtin_add_overflow(total[m - lo], x[i].amount, &total[m - lo]))
                return 0;
            seen[m - lo] = true;
        }
    size_t k = 0;
    for (size_t m = 0; m < span; m++) {
        if (!seen[m])
            continue;
        if (!narrow(total[m]))
            return 0;
        if (k && out[k - 1].amount == total[m] && out[k - 1].months < UINT16_MAX &&
            out[k - 1].month + out[k - 1].months == lo + (int)m) {
            out[k - 1].months++;
            continue;
        }
        out[k++] = (xc_fact_income){.key = x[0].key, .amount = (int32_t)total[m],
                                    .month = (uint16_t)(lo + (int)m), .months = 1};
    }
    return k;
}

/* The end of the key's runs that start at x[i]. */
static size_t key_end(const xc_fact_income *x, size_t n, size_t i)
{
    size_t j = i + 1;
    while (j < n && x[j].key == x[i].key)
        j++;
    return j;
}

/* Sums and joins the sorted runs of each key (rerun()). Written again, a
 * key's runs may be more than it had (a row inside a long run splits it):
 * those keys are left as they are while the others are written again in
 * place; then the vector grows by what they need and they are written again
 * from the back, the others moved up. When it cannot grow they stay as they
 * were, overlapping, which readers add up all the same. */
static void sum_income(fact_vec *v)
{
    xc_fact_income *runs = v->n > 1 ? malloc(SPAN_MAX * sizeof *runs) : NULL;
    if (!runs)
        return;                        /* as they are: right, less compact */
    xc_fact_income *x = (xc_fact_income *)v->data;
    size_t out = 0, extra = 0;
    for (size_t i = 0; i < v->n;) {
        size_t j = key_end(x, v->n, i);
        size_t k = j - i > 1 ? rerun(&x[i], j - i, runs) : 0;
        if (k > 0 && k <= j - i) {
            memcpy(&x[out], runs, k * sizeof *runs);
            out += k;
        } else {
            memmove(&x[out], &x[i], (j - i) * sizeof *x);
            out += j - i;
            extra += k > j - i ? k - (j - i) : 0;
        }
        i = j;
    }
    v->n = out;
    if (!extra || (v->cap < out + extra && !grow_to(v, out + extra, sizeof *x))) {
        free(runs);
        return;
    }
    x = (xc_fact_income *)v->data;
    size_t w = out + extra;            /* writes end here, reads at j */
    for (size_t j = out; j > 0;) {
        size_t i = j - 1;
        while (i > 0 && x[i - 1].key == x[j - 1].key)
            i--;
        size_t k = j - i > 1 ? rerun(&x[i], j - i, runs) : 0;
        if (k > j - i) {                /* runs is a copy: x[i..j) may be overwritten */
            w -= k;
            memcpy(&x[w], runs, k * sizeof *runs);
        } else {
            w -= j - i;
            memmove(&x[w], &x[i], (j - i) * sizeof *x);
        }
        j = i;
    }
    v->n = out + extra;
    free(runs);
}

/* Gives back the room past the facts: a vector that doubled holds up to
 * half again unused, and the evaluation adds none. A failure keeps it. */
static void fit(fact_vec *v, size_t size)
{
    if (v->n == v->cap)
        return;
    if (v->n == 0) {
        free(v->data);
        v->data = NULL;
        v->cap = 0;
        return;
    }
    char *p = realloc(v->data, v->n * size);
    if (p) {
        v->data = p;
        v->cap = v->n;
    }
}

/* ---- sealing: the sorts, on several threads ---------------------------------- */

/* A range of one vector still to sort from byte `shift` down. */
typedef struct sort_range {
    char *d;
    size_t n, size;
    int shift;
    fact_cmp cmp;
} sort_range;

typedef struct sort_work {
    sort_range *r;
    size_t n, cap;
    _Atomic size_t next;       /* the next range a thread takes */
} sort_work;

static bool work_add(sort_work *w, sort_range r)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        sort_range *more = realloc(w->r, cap * sizeof *more);
        if (!more)
            return false;
        w->r = more;
        w->cap = cap;
    }
    w->r[w->n++] = r;
    return true;
}

/* One pass of sort_facts() over r: its facts moved into the buckets of
 * byte r.shift, each bucket of more than one added to w as a range of its
 * own; a bucket w has no room for is sorted here. A byte the same
 * throughout moves nothing: r goes back to w to be cut at the next one. */
static void partition(sort_range r, sort_work *w)
{
    _Alignas(8) char tmp[256];
    size_t count[256];
    if (!into_buckets(r.d, r.n, r.size, r.shift, tmp, count)) {
        r.shift -= 8;
        if (!work_add(w, r))
            sort_facts(r.d, r.n, r.size, r.shift, tmp, r.cmp);
        return;
    }
    for (size_t b = 0, at = 0; b < 256; at += count[b++]) {
        if (count[b] < 2)
            continue;
        sort_range sub = {r.d + at * r.size, count[b], r.size, r.shift - 8, r.cmp};
        if (!work_add(w, sub))
            sort_facts(sub.d, sub.n, sub.size, sub.shift, tmp, sub.cmp);
    }
}

static void *sort_worker(void *arg)
{
    sort_work *w = arg;
    _Alignas(8) char tmp[256];
    for (;;) {
        size_t i = atomic_fetch_add(&w->next, 1);
        if (i >= w->n)
            return NULL;
        sort_range *r = &w->r[i];
        if (r->shift < -8)
            qsort(r->d, r->n, r->size, r->cmp);
        else
            sort_facts(r->d, r->n, r->size, r->shift, tmp, r->cmp);
    }
}

static int cmp_range_size(const void *x, const void *y)
{
    const sort_range *a = x, *b = y;
    return (a->n < b->n) - (a->n > b->n);       /* the largest first */
}

/* Sorts every vector by cmp on up to `jobs` threads: a vector of many
 * facts is first cut into the buckets of its key's leading bytes, so that
 * one big dataset keeps every thread busy too. The same order as one
 * thread gives: only where the buckets are sorted differs. */
static void sort_all(xc_facts *f, int jobs)
{
    enum { MAX_SORT_JOBS = 16 };
    if (jobs > MAX_SORT_JOBS)
        jobs = MAX_SORT_JOBS;
    sort_work w = {0};
    atomic_init(&w.next, 0);
    _Alignas(8) char tmp[256];
    size_t total = 0;
    for (int d = 0; d < XC_DS_COUNT; d++)
        total += f->v[d].n;
    for (int d = 0; d < XC_DS_COUNT; d++) {
        fact_vec *v = &f->v[d];
        size_t size = xc_facts_size((xc_ds_id)d);
        fact_cmp cmp = headless((xc_ds_id)d) ? cmp_income : cmp_head;
        bool radix = size <= sizeof tmp && size % 8 == 0;
        if (v->n < 2 || work_add(&w, (sort_range){v->data, v->n, size, radix ? 56 : -9, cmp}))
            continue;
        if (radix)                     /* no room in the list: sorted here */
            sort_facts(v->data, v->n, size, 56, tmp, cmp);
        else
            qsort(v->data, v->n, size, cmp);
    }
    /* Cuts every range of more than an eighth of a thread's share, so that
     * none is left for one thread while the others wait. */
    size_t share = total / ((size_t)jobs * 8) + 1;
    if (jobs > 1) {
        for (size_t i = 0; i < w.n; i++) {
            sort_range r = w.r[i];
            if (r.n <= share || r.n <= SMALL_SORT || r.shift < 0)
                continue;
            w.r[i] = w.r[--w.n];       /* taken out; its buckets added */
            i--;
            partition(r, &w);
        }
        if (w.n > 1)                   /* none at all: w.r is NULL */
            qsort(w.r, w.n, sizeof *w.r, cmp_range_size);
    }
    pthread_t tid[MAX_SORT_JOBS];
    int started = 0;
    while (started + 1 < jobs && (size_t)started + 1 < w.n &&
           pthread_create(&tid[started], NULL, sort_worker, &w) == 0)
        started++;
    sort_worker(&w);
    for (int j = 0; j < started; j++)
        pthread_join(tid[j], NULL);
    free(w.r);
}

/* Makes v->every for the facts as they are now; without it (no memory, or
 * few facts) a search halves the whole vector. */
static void sample_keys(fact_vec *v, size_t size)
{
    free(v->every);
    v->every = NULL;
    v->n_every = v->every_len = 0;
    if (v->n < 4 * SAMPLE)
        return;
    size_t n = (v->n + SAMPLE - 1) / SAMPLE;
    if (!(v->every = malloc(n * sizeof *v->every)))
        return;
    for (size_t i = 0; i < n; i++)
        v->every[i] = fact_key(v->data + i * SAMPLE * size);
    v->n_every = v->every_len = n;
}

void xc_facts_seal(xc_facts *f)
{
    xc_facts_seal_jobs(f, 1);
}

void xc_facts_seal_jobs(xc_facts *f, int jobs)
{
    sort_all(f, jobs < 1 ? 1 : jobs);
    for (int d = 0; d < XC_DS_COUNT; d++) {
        fact_vec *v = &f->v[d];
        size_t size = xc_facts_size((xc_ds_id)d);
        if (headless((xc_ds_id)d))
            sum_income(v);
        fit(v, size);
        if (v->n_raws > 1)
            qsort(v->raws, v->n_raws, sizeof *v->raws, cmp_raw);
        v->raws_sorted = true;
        sample_keys(v, size);
    }
    if (f->wide.n > 1)
        qsort(f->wide.data, f->wide.n, sizeof(wide_income), cmp_wide);
    free(f->shared.slot);          /* nothing more is added */
    memset(&f->shared, 0, sizeof f->shared);
}

const char *xc_fact_raw_id(const xc_facts *f, xc_ds_id ds, const void *fact)
{
    const fact_vec *v = &f->v[ds];
    if (headless(ds) || !v->n_raws)
        return NULL;
    raw_text want = {.h = *(const xc_fact_head *)fact};
    if (!v->raws_sorted) {           /* before the seal: rare, and short */
        for (size_t i = 0; i < v->n_raws; i++)
            if (cmp_raw(&want, &v->raws[i]) == 0)
                return v->raws[i].text;
        return NULL;
    }
    const raw_text *r = bsearch(&want, v->raws, v->n_raws, sizeof *v->raws, cmp_raw);
    return r ? r->text : NULL;
}

const void *xc_facts_all(const xc_facts *f, xc_ds_id ds, size_t *ret_n)
{
    *ret_n = f->v[ds].n;
    return f->v[ds].data;
}

static uint64_t key_of(const fact_vec *v, size_t size, size_t i)
{
    return fact_key(v->data + i * size);
}

/* The first fact of v (sorted, facts of size bytes) whose key is not less
 * than key, or v->n. */
static size_t first_of(const fact_vec *v, size_t size, uint64_t key)
{
    size_t lo = 0, hi = v->n;
    if (v->n_every) {
        size_t a = 0, b = v->n_every;  /* the first sample not below key */
        while (a < b) {
            size_t mid = (a + b) / 2;
            if (v->every[mid] < key)
                a = mid + 1;
            else
                b = mid;
        }
        lo = a ? (a - 1) * SAMPLE + 1 : 0;   /* sample a - 1 is below key */
        hi = a < v->n_every ? a * SAMPLE : v->n;
    }
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (key_of(v, size, mid) < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const void *xc_facts_find(const xc_facts *f, xc_ds_id ds, uint64_t key, size_t *ret_n)
{
    const fact_vec *v = &f->v[ds];
    size_t size = xc_facts_size(ds);
    size_t lo = first_of(v, size, key);
    /* The end of the run: galloping from its start, then halving, so that
     * a key with many facts costs the logarithm of their number, not the
     * number, and a short run stays a few steps. */
    size_t good = lo, bad, step = 1;   /* [lo, good) hold the key; bad does not */
    for (;; step *= 2) {
        size_t probe = good + step - 1;
        if (probe >= v->n || key_of(v, size, probe) != key) {
            bad = probe < v->n ? probe : v->n;
            break;
        }
        good = probe + 1;
    }
    while (good < bad) {
        size_t mid = (good + bad) / 2;
        if (key_of(v, size, mid) == key)
            good = mid + 1;
        else
            bad = mid;
    }
    size_t end = good;
    *ret_n = end - lo;
    return end > lo ? v->data + lo * size : NULL;
}

void xc_facts_income(const xc_facts *f, uint64_t key, xc_month from, xc_month to, int64_t *out)
{
    size_t k;
    const xc_fact_income *x = xc_facts_find(f, XC_DS_SOCIAL_INSURANCE, key, &k);
    for (size_t i = 0; i < k; i++) {
        xc_month a = xc_income_month(&x[i]) > from ? xc_income_month(&x[i]) : from;
        xc_month z = xc_income_last(&x[i]) < to ? xc_income_last(&x[i]) : to;
        for (xc_month m = a; m <= z; m++)
            out[m - from] += x[i].amount;
    }
    const wide_income *w = (const wide_income *)f->wide.data;
    for (size_t i = first_of(&f->wide, sizeof *w, key); i < f->wide.n && w[i].key == key; i++)
        if (w[i].month >= from && w[i].month <= to)
            out[w[i].month - from] += w[i].amount;
}

size_t xc_facts_bytes(const xc_facts *f)
{
    size_t n = sizeof *f + f->text.bytes + f->shared.cap * sizeof *f->shared.slot +
               f->wide.cap * sizeof(wide_income);
    for (int d = 0; d < XC_DS_COUNT; d++)
        n += f->v[d].cap * xc_facts_size((xc_ds_id)d) + f->v[d].cap_raws * sizeof(raw_text) +
             f->v[d].every_len * sizeof *f->v[d].every;
    return n;
}

static void json_date(xc_buf *b, const char *name, xc_date d)
{
    char buf[11];
    if (d == XC_NO_DATE)
        xc_buf_printf(b, ",\"%s\":null", name);
    else
        xc_buf_printf(b, ",\"%s\":\"%s\"", name, xc_date_format(d, buf));
}

static void json_text(xc_buf *b, const char *name, const char *s)
{
    xc_buf_printf(b, ",\"%s\":", name);
    xc_buf_json(b, s);
}

static void json_money(xc_buf *b, const char *name, int64_t fen)
{
    if (fen < 0)
        xc_buf_printf(b, ",\"%s\":null", name);
    else
        xc_buf_printf(b, ",\"%s\":%lld.%02lld", name, (long long)(fen / 100),
                      (long long)(fen % 100));
}

/* The name of field `field` of ds: the key of its value in the evidence. */
static const char *key(xc_ds_id ds, int field)
{
    return xc_dataset(ds)->fields[field].name;
}

static const char *value_name(xc_ds_id ds, int field, int v)
{
    return xc_dataset(ds)->fields[field].values[v];
}

void xc_fact_json(const xc_facts *f, xc_ds_id ds, const void *fact, bool full_ids, xc_buf *b)
{
    uint64_t fkey = fact_key(fact);
    const char *raw_id = xc_fact_raw_id(f, ds, fact);
    xc_buf_printf(b, "{\"dataset\":\"%s\"", xc_dataset(ds)->name);
    if (!headless(ds)) {
        const xc_fact_head *h = fact;
        json_text(b, "source", xc_facts_source(f, ds, h->src));
        xc_buf_printf(b, ",\"line\":%llu", (unsigned long long)xc_fact_line(h));
    }
    if (fkey && xc_dataset(ds)->link == XC_LINK_ID) {
        char id[19], masked[96];
        xc_id_unpack(fkey, id);
        if (full_ids) {
            json_text(b, "id_no", id);
            if (!headless(ds))
                json_text(b, "raw_id", raw_id ? raw_id : id);
        } else {
            json_text(b, "masked_id", xc_id_mask(id, masked, sizeof masked));
            if (raw_id)
                json_text(b, "raw_id_masked",
                          xc_id_mask_text(raw_id, strlen(raw_id), masked, sizeof masked));
        }
    }
    switch (ds) {
    case XC_DS_HUKOU: {
        const xc_fact_hukou *x = fact;
        json_text(b, key(ds, XC_HK_NAME), x->name);
        if (x->region)
            xc_buf_printf(b, ",\"%s\":\"%06u\"", key(ds, XC_HK_REGION_CODE), x->region);
        json_text(b, key(ds, XC_HK_STATUS), value_name(ds, XC_HK_STATUS, x->status));
        json_date(b, key(ds, XC_HK_STATUS_ON), x->status_on);
        break;
    }
    case XC_DS_SOCIAL_INSURANCE: {
        const xc_fact_income *x = fact;
        char m[8];
        json_text(b, key(ds, XC_SI_MONTH), xc_month_format(xc_income_month(x), m));
        xc_buf_printf(b, ",\"months\":%u", x->months);
        json_money(b, key(ds, XC_SI_AMOUNT), x->amount);
        break;
    }
    case XC_DS_PROPERTY: {
        const xc_fact_property *x = fact;
        json_text(b, key(ds, XC_PR_CERT_NO), x->cert_no);
        json_text(b, key(ds, XC_PR_USAGE), value_name(ds, XC_PR_USAGE, x->usage));
        if (x->area_m2 >= 0)
            xc_buf_printf(b, ",\"%s\":%g", key(ds, XC_PR_AREA_M2), x->area_m2);
        json_date(b, key(ds, XC_PR_REGISTERED_ON), x->registered_on);
        json_date(b, key(ds, XC_PR_CANCELLED_ON), x->cancelled_on);
        break;
    }
    case XC_DS_VEHICLE: {
        const xc_fact_vehicle *x = fact;
        json_text(b, key(ds, XC_VH_PLATE), x->plate);
        json_text(b, key(ds, XC_VH_KIND), value_name(ds, XC_VH_KIND, x->kind));
        json_date(b, key(ds, XC_VH_REGISTERED_ON), x->registered_on);
        json_date(b, key(ds, XC_VH_DEREGISTERED_ON), x->deregistered_on);
        json_money(b, key(ds, XC_VH_PRICE), x->price);
        break;
    }
    case XC_DS_BUSINESS: {
        const xc_fact_business *x = fact;
        json_text(b, key(ds, XC_BZ_CREDIT_CODE), x->credit_code);
        json_text(b, key(ds, XC_BZ_ROLE), value_name(ds, XC_BZ_ROLE, x->role));
        json_text(b, key(ds, XC_BZ_STATUS), value_name(ds, XC_BZ_STATUS, x->status));
        json_money(b, key(ds, XC_BZ_REGISTERED_CAPITAL), x->capital);
        json_date(b, key(ds, XC_BZ_ESTABLISHED_ON), x->established_on);
        json_date(b, key(ds, XC_BZ_CLOSED_ON), x->closed_on);
        break;
    }
    case XC_DS_DIBAO_STANDARD: {
        const xc_fact_standard *x = fact;
        xc_buf_printf(b, ",\"%s\":\"%0*u\"", key(ds, XC_DB_REGION_CODE), x->digits, x->code);
        json_date(b, key(ds, XC_DB_EFFECTIVE_FROM), x->effective_from);
        json_money(b, key(ds, XC_DB_MONTHLY_AMOUNT), x->amount);
        break;
    }
    case XC_DS_CONTACT: {
        const xc_fact_contact *x = fact;
        json_date(b, key(ds, XC_CT_CONTACT_DATE), x->date);
        json_text(b, key(ds, XC_CT_KIND), value_name(ds, XC_CT_KIND, x->kind));
        json_text(b, key(ds, XC_CT_CADRE_ID), x->cadre_id);
        break;
    }
    case XC_DS_PAYMENT: {
        const xc_fact_payment *x = fact;
        json_date(b, key(ds, XC_PM_PAID_ON), x->paid_on);
        json_text(b, key(ds, XC_PM_PROGRAM), value_name(ds, XC_PM_PROGRAM, x->program));
        json_money(b, key(ds, XC_PM_AMOUNT), x->amount);
        json_text(b, key(ds, XC_PM_CHANNEL), value_name(ds, XC_PM_CHANNEL, x->channel));
        json_money(b, key(ds, XC_PM_PERSONAL_BURDEN), x->personal_burden);
        break;
    }
    case XC_DS_EXIT_RECORD: {
        const xc_fact_exit *x = fact;
        json_date(b, key(ds, XC_EX_APPLIED_ON), x->applied_on);
        json_date(b, key(ds, XC_EX_PUBLICITY_FROM), x->publicity_from);
        json_date(b, key(ds, XC_EX_PUBLICITY_TO), x->publicity_to);
        json_date(b, key(ds, XC_EX_APPROVED_ON), x->approved_on);
        json_date(b, key(ds, XC_EX_NOTIFIED_ON), x->notified_on);
        break;
    }
    case XC_DS_FOLLOWUP: {
        const xc_fact_followup *x = fact;
        json_date(b, key(ds, XC_FU_FOLLOWUP_ON), x->on);
        break;
    }
    case XC_DS_CANDIDATE: {
        const xc_fact_candidate *x = fact;
        json_text(b, key(ds, XC_CD_NAME), x->name);
        json_text(b, key(ds, XC_CD_SOURCE), x->source);
        xc_buf_printf(b, ",\"%s\":\"%06u\"", key(ds, XC_CD_REGION_CODE), x->region);
        break;
    }
    case XC_DS_DISPOSITION: {
        const xc_fact_disposition *x = fact;
        json_text(b, key(ds, XC_DP_RULE), x->rule);
        json_text(b, key(ds, XC_DP_OUTCOME), value_name(ds, XC_DP_OUTCOME, x->outcome));
        json_date(b, key(ds, XC_DP_DECIDED_ON), x->decided_on);
        json_text(b, key(ds, XC_DP_DECIDED_BY), x->decided_by);
        json_text(b, key(ds, XC_DP_NOTE), x->note);
        json_date(b, key(ds, XC_DP_EXPIRES_ON), x->expires_on);
        break;
    }
    default:
        break;
    }
    xc_buf_printf(b, "}");
}

/* ---- facts that do not fit in memory ------------------------------------ */

/* What a store's block holds: records of one byte's type (with REC_COPY:
 * a copy of the record written to a lower window, whose number follows as
 * 32 bits), one byte's dataset, then
 *   FACT: the fact's struct, its text pointers zeroed, then each text of
 *         the dataset (text_fields) as a 32-bit length (NO_TEXT: NULL) and
 *         its bytes;
 *   RAW:  the head of the fact whose ID text it is, the text as above;
 *   WIDE: a wide_income. */
enum { REC_FACT = 1, REC_RAW = 2, REC_WIDE = 3, REC_COPY = 0x80 };
#define NO_TEXT UINT32_MAX

typedef struct text_field {
    xc_ds_id ds;
    size_t at;              /* offset of the const char * in the fact */
    bool shared;            /* kept once: keep_shared() */
} text_field;

static const text_field text_fields[] = {
    {XC_DS_HUKOU, offsetof(xc_fact_hukou, name), false},
    {XC_DS_PROPERTY, offsetof(xc_fact_property, cert_no), false},
    {XC_DS_VEHICLE, offsetof(xc_fact_vehicle, plate), false},
    {XC_DS_BUSINESS, offsetof(xc_fact_business, credit_code), false},
    {XC_DS_CONTACT, offsetof(xc_fact_contact, cadre_id), true},
    {XC_DS_CANDIDATE, offsetof(xc_fact_candidate, name), false},
    {XC_DS_CANDIDATE, offsetof(xc_fact_candidate, source), false},
    {XC_DS_DISPOSITION, offsetof(xc_fact_disposition, rule), true},
    {XC_DS_DISPOSITION, offsetof(xc_fact_disposition, decided_by), true},
    {XC_DS_DISPOSITION, offsetof(xc_fact_disposition, note), false},
};
enum { N_TEXT_FIELDS = sizeof text_fields / sizeof text_fields[0] };

/* A window's records waiting for the store. */
enum { BLOCK_BYTES = 32 * 1024 };

typedef struct spill_out {
    xc_spill *store;
    xc_buf *buf;            /* per window */
    int n;
    xc_err *err;
    int rc;
} spill_out;

static void out_text(xc_buf *b, const char *t)
{
    uint32_t len = t ? (uint32_t)strlen(t) : NO_TEXT;
    xc_buf_append(b, (const char *)&len, sizeof len);
    if (t)
        xc_buf_append(b, t, len);
}

static int out_flush(spill_out *o, int w)
{
    xc_buf *b = &o->buf[w];
    if (b->failed)
        return o->rc = xc_err_set(o->err, XC_ENOMEM, "out of memory");
    if (b->len && o->rc == XC_OK)
        o->rc = xc_spill_write(o->store, w, b->p, b->len, o->err);
    b->len = 0;
    return o->rc;
}

/* A record's type and dataset, and the window it copies (origin >= 0). */
static void out_tag(xc_buf *b, int type, xc_ds_id ds, int origin)
{
    char tag[2] = {(char)(origin >= 0 ? type | REC_COPY : type), (char)ds};
    xc_buf_append(b, tag, 2);
    if (origin >= 0) {
        uint32_t o32 = (uint32_t)origin;
        xc_buf_append(b, (const char *)&o32, sizeof o32);
    }
}

static int out_fact(spill_out *o, int w, int origin, xc_ds_id ds, const char *fact,
                    size_t size, uint16_t shift)
{
    xc_buf *b = &o->buf[w];
    _Alignas(8) char copy[256];
    memcpy(copy, fact, size);
    if (!headless(ds))
        ((xc_fact_head *)copy)->src = (uint16_t)(((xc_fact_head *)copy)->src + shift);
    for (int t = 0; t < N_TEXT_FIELDS; t++)
        if (text_fields[t].ds == ds)
            memset(copy + text_fields[t].at, 0, sizeof(const char *));
    out_tag(b, REC_FACT, ds, origin);
    xc_buf_append(b, copy, size);
    for (int t = 0; t < N_TEXT_FIELDS; t++)
        if (text_fields[t].ds == ds) {
            const char *text;
            memcpy(&text, fact + text_fields[t].at, sizeof text);
            out_text(b, text);
        }
    return b->len >= BLOCK_BYTES ? out_flush(o, w) : o->rc;
}

static int out_raw(spill_out *o, int w, int origin, xc_ds_id ds, const raw_text *r,
                   uint16_t shift)
{
    xc_buf *b = &o->buf[w];
    xc_fact_head h = r->h;
    h.src = (uint16_t)(h.src + shift);
    out_tag(b, REC_RAW, ds, origin);
    xc_buf_append(b, (const char *)&h, sizeof h);
    out_text(b, r->text);
    return b->len >= BLOCK_BYTES ? out_flush(o, w) : o->rc;
}

static int out_wide(spill_out *o, int w, int origin, const wide_income *x)
{
    xc_buf *b = &o->buf[w];
    out_tag(b, REC_WIDE, XC_DS_SOCIAL_INSURANCE, origin);
    xc_buf_append(b, (const char *)x, sizeof *x);
    return b->len >= BLOCK_BYTES ? out_flush(o, w) : o->rc;
}

/* Datasets read across households: in memory whatever their keys. */
static bool resident(xc_ds_id ds)
{
    return ds == XC_DS_DIBAO_STANDARD || ds == XC_DS_CANDIDATE || ds == XC_DS_DISPOSITION;
}

/* Where a fact goes: the windows of the households that may read it, the
 * lowest first, each once; and whether it stays in memory too. */
enum { PLACE_STACK = 16 };

typedef struct fact_place {
    int *win;               /* into stack, or malloc'ed past PLACE_STACK */
    int n, cap;
    int stack[PLACE_STACK];
    bool keep;
    bool failed;            /* out of memory */
} fact_place;

static void place_add(fact_place *p, int win)
{
    for (int i = 0; i < p->n; i++)
        if (p->win[i] == win)
            return;
    if (p->n == p->cap) {
        int cap = p->cap * 2;
        int *v = p->win == p->stack ? malloc((size_t)cap * sizeof *v)
                                    : realloc(p->win, (size_t)cap * sizeof *v);
        if (!v) {
            p->failed = true;
            return;
        }
        if (p->win == p->stack)
            memcpy(v, p->stack, sizeof p->stack);
        p->win = v;
        p->cap = cap;
    }
    p->win[p->n++] = win;
    for (int i = p->n - 1; i > 0 && p->win[i] < p->win[i - 1]; i--) {
        int t = p->win[i];          /* kept sorted: the lowest first */
        p->win[i] = p->win[i - 1];
        p->win[i - 1] = t;
    }
}

static void place_free(fact_place *p)
{
    if (p->win != p->stack)
        free(p->win);
}

/* The households whose worker has ID key but who do not list the worker
 * among their members: the first of them in w->workers, or w->n_workers. */
static size_t first_worker(const xc_facts_windows *w, uint64_t key)
{
    size_t lo = 0, hi = w->n_workers;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (w->workers[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A fact of ds under key: in the windows of its persons' households (a
 * payment: of the first only, since the payment rules see each once), and
 * of the households whose worker it is without being their member (the
 * rules read the worker's hukou by ID); in memory when it is read across
 * households, is about someone outside the archive, or about a candidate. */
static void place_of(const xc_facts_windows *w, xc_ds_id ds, uint64_t key, fact_place *p)
{
    p->win = p->stack;
    p->n = 0;
    p->cap = PLACE_STACK;
    p->keep = false;
    p->failed = false;
    if (resident(ds) || key == 0) {
        p->keep = true;
        return;
    }
    if (xc_dataset(ds)->link == XC_LINK_ARCHIVE_NO) {
        if (key - 1 >= xc_archive_households(w->archive))
            p->keep = true;
        else
            place_add(p, xc_facts_window(w, (uint32_t)(key - 1)));
        return;
    }
    uint32_t first = xc_archive_find_person(w->archive, key);
    if (first == XC_NONE)
        p->keep = true;
    for (uint32_t q = first; q != XC_NONE;
         q = xc_person_next_same(w->archive, xc_archive_person(w->archive, q))) {
        place_add(p, xc_facts_window(w, xc_archive_person(w->archive, q)->household));
        if (ds == XC_DS_PAYMENT)
            return;
    }
    if (ds == XC_DS_PAYMENT)
        return;
    for (size_t i = first_worker(w, key); i < w->n_workers && w->workers[i].key == key; i++)
        place_add(p, xc_facts_window(w, w->workers[i].household));
    size_t n;
    if (!p->keep && w->keep && xc_facts_find(w->keep, XC_DS_CANDIDATE, key, &n))
        p->keep = true;
}

/* One record to write: a fact, an ID text or a wide month. */
typedef struct rec_ref {
    int type;
    xc_ds_id ds;
    const char *fact;
    const raw_text *raw;
    const wide_income *wide;
    uint16_t shift;
} rec_ref;

static void out_rec(spill_out *o, int win, int origin, const rec_ref *r)
{
    switch (r->type) {
    case REC_FACT: out_fact(o, win, origin, r->ds, r->fact, xc_facts_size(r->ds), r->shift); break;
    case REC_RAW: out_raw(o, win, origin, r->ds, r->raw, r->shift); break;
    default: out_wide(o, win, origin, r->wide); break;
    }
}

/* Writes r to each window of place p: to the lowest as it is, to the
 * others as a copy of that one, which a batch holding both skips. */
static void out_places(spill_out *o, const fact_place *p, const rec_ref *r)
{
    if (p->failed && o->rc == XC_OK)
        o->rc = xc_err_set(o->err, XC_ENOMEM, "out of memory");
    for (int i = 0; i < p->n && o->rc == XC_OK; i++)
        out_rec(o, p->win[i], i ? p->win[0] : -1, r);
}

/* Calls fn for the address of every text pointer of the facts f holds
 * (NULL ones too) and of its ID texts, in one fixed order. */
static void each_text(xc_facts *f, void (*fn)(void *user, const char **text), void *user)
{
    for (int d = 0; d < XC_DS_COUNT; d++) {
        fact_vec *v = &f->v[d];
        size_t size = xc_facts_size((xc_ds_id)d);
        for (int t = 0; t < N_TEXT_FIELDS; t++)
            if (text_fields[t].ds == (xc_ds_id)d)
                for (size_t i = 0; i < v->n; i++)
                    fn(user, (const char **)(void *)(v->data + i * size + text_fields[t].at));
        for (size_t i = 0; i < v->n_raws; i++)
            fn(user, &v->raws[i].text);
    }
}

typedef struct rekeep {
    xc_arena arena;
    const char **copy;      /* the new texts, in each_text() order */
    size_t n;
    bool failed;
} rekeep;

static void count_text(void *user, const char **text)
{
    (void)text;
    ((rekeep *)user)->n++;
}

static void copy_text(void *user, const char **text)
{
    rekeep *r = user;
    const char *c = NULL;
    if (*text && !r->failed && !(c = xc_arena_dup(&r->arena, *text, strlen(*text))))
        r->failed = true;
    r->copy[r->n++] = c;
}

static void point_text(void *user, const char **text)
{
    rekeep *r = user;
    *text = r->copy[r->n++];
}

/* Copies the texts of the facts f still holds into an arena of their own,
 * freeing the old one with the texts of those it gave away, and fits the
 * vectors to what they hold. On failure f is as it was. */
static int rekeep_texts(xc_facts *f)
{
    rekeep r = {0};
    each_text(f, count_text, &r);
    if (r.n && !(r.copy = malloc(r.n * sizeof *r.copy)))
        return XC_ENOMEM;
    r.n = 0;
    each_text(f, copy_text, &r);
    if (r.failed) {
        xc_arena_free(&r.arena);
        free(r.copy);
        return XC_ENOMEM;
    }
    r.n = 0;
    each_text(f, point_text, &r);
    free(r.copy);
    xc_arena_free(&f->text);
    f->text = r.arena;
    free(f->shared.slot);           /* its texts are gone: start again */
    memset(&f->shared, 0, sizeof f->shared);
    for (int d = 0; d < XC_DS_COUNT; d++) {
        fact_vec *v = &f->v[d];
        fit(v, xc_facts_size((xc_ds_id)d));
        if (v->n_raws == 0) {
            free(v->raws);
            v->raws = NULL;
            v->cap_raws = 0;
        } else if (v->n_raws < v->cap_raws) {
            raw_text *x = realloc(v->raws, v->n_raws * sizeof *x);
            if (x) {
                v->raws = x;
                v->cap_raws = v->n_raws;
            }
        }
    }
    fit(&f->wide, sizeof(wide_income));
    return XC_OK;
}

int xc_facts_spill(xc_facts *f, const xc_facts_windows *w, const uint16_t shift[XC_DS_COUNT],
                   xc_spill *s, xc_err *err)
{
    spill_out o = {.store = s, .n = w->n, .err = err, .rc = XC_OK};
    if (!(o.buf = calloc((size_t)w->n, sizeof *o.buf)))
        return xc_err_set(err, XC_ENOMEM, "out of memory");
    for (int d = 0; d < XC_DS_COUNT && o.rc == XC_OK; d++) {
        xc_ds_id ds = (xc_ds_id)d;
        fact_vec *v = &f->v[d];
        size_t size = xc_facts_size(ds);
        if (!size || resident(ds))
            continue;
        size_t kept = v->settled;
        for (size_t i = v->settled; i < v->n && o.rc == XC_OK; i++) {
            char *fact = v->data + i * size;
            fact_place p;
            place_of(w, ds, fact_key(fact), &p);
            out_places(&o, &p, &(rec_ref){REC_FACT, ds, fact, NULL, NULL, shift[d]});
            place_free(&p);
            if (p.keep) {
                if (kept != i)
                    memcpy(v->data + kept * size, fact, size);
                kept++;
            }
        }
        size_t raws = v->settled_raws;
        for (size_t i = v->settled_raws; i < v->n_raws && o.rc == XC_OK; i++) {
            fact_place p;
            place_of(w, ds, v->raws[i].h.key, &p);
            out_places(&o, &p, &(rec_ref){REC_RAW, ds, NULL, &v->raws[i], NULL, shift[d]});
            place_free(&p);
            if (p.keep)
                v->raws[raws++] = v->raws[i];
        }
        if (o.rc == XC_OK) {
            v->n = v->settled = kept;
            v->n_every = 0;
            v->n_raws = v->settled_raws = raws;
        }
    }
    if (o.rc == XC_OK) {
        wide_income *x = (wide_income *)f->wide.data;
        size_t kept = f->wide.settled;
        for (size_t i = f->wide.settled; i < f->wide.n && o.rc == XC_OK; i++) {
            fact_place p;
            place_of(w, XC_DS_SOCIAL_INSURANCE, x[i].key, &p);
            out_places(&o, &p, &(rec_ref){REC_WIDE, XC_DS_SOCIAL_INSURANCE, NULL, NULL, &x[i], 0});
            place_free(&p);
            if (p.keep)
                x[kept++] = x[i];
        }
        if (o.rc == XC_OK)
            f->wide.n = f->wide.settled = kept;
    }
    for (int i = 0; i < w->n; i++) {
        out_flush(&o, i);
        if (o.buf[i].p)
            explicit_bzero(o.buf[i].p, o.buf[i].cap);   /* facts in clear */
        xc_buf_free(&o.buf[i]);
    }
    free(o.buf);
    if (o.rc == XC_OK && rekeep_texts(f) < 0)
        o.rc = xc_err_set(err, XC_ENOMEM, "out of memory");
    return o.rc;
}

/* Reading a block back. */
typedef struct load_in {
    xc_facts *f;
    xc_err *err;
    int first;              /* the batch's first window: copies of a record
                               of its windows are skipped */
} load_in;

static bool take(const char **p, const char *end, void *out, size_t n)
{
    if ((size_t)(end - *p) < n)
        return false;
    memcpy(out, *p, n);
    *p += n;
    return true;
}

/* A text of the record at *p, as a value (NULL text: v->null). */
static bool take_value(const char **p, const char *end, xc_value *v)
{
    uint32_t len;
    if (!take(p, end, &len, sizeof len))
        return false;
    *v = (xc_value){.null = len == NO_TEXT};
    if (v->null)
        return true;
    if ((size_t)(end - *p) < len)
        return false;
    v->s = *p;
    v->len = len;
    *p += len;
    return true;
}

static int load_block(void *user, const void *bytes, size_t n)
{
    load_in *in = user;
    xc_facts *f = in->f;
    const char *p = bytes, *end = p + n;
    while (p < end) {
        unsigned char tag[2];
        if (!take(&p, end, tag, 2) || tag[1] >= XC_DS_COUNT || !xc_facts_size(tag[1]))
            goto damaged;
        xc_ds_id ds = (xc_ds_id)tag[1];
        fact_vec *v = &f->v[ds];
        /* a copy of a record of a window loaded into f already: read past */
        bool skip = false;
        if (tag[0] & REC_COPY) {
            uint32_t origin;
            if (!take(&p, end, &origin, sizeof origin))
                goto damaged;
            skip = origin >= (uint32_t)in->first;
            tag[0] &= (unsigned char)~REC_COPY;
        }
        if (tag[0] == REC_FACT) {
            size_t size = xc_facts_size(ds);
            char *fact = push(v, size);
            if (!fact)
                goto no_memory;
            if (!take(&p, end, fact, size))
                goto damaged;
            for (int t = 0; t < N_TEXT_FIELDS; t++) {
                if (text_fields[t].ds != ds)
                    continue;
                xc_value text;
                if (!take_value(&p, end, &text))
                    goto damaged;
                if (skip)
                    continue;
                const char *kept = text_fields[t].shared ? keep_shared(f, &text)
                                                         : keep_text(f, &text);
                if (!kept && !text.null)
                    goto no_memory;
                memcpy(fact + text_fields[t].at, &kept, sizeof kept);
            }
            v->n += !skip;
            v->n_every = 0;
        } else if (tag[0] == REC_RAW) {
            xc_fact_head h;
            xc_value text;
            if (!take(&p, end, &h, sizeof h) || !take_value(&p, end, &text) || text.null)
                goto damaged;
            if (!skip && keep_raw_id(f, v, &h, &text) < 0)
                goto no_memory;
        } else if (tag[0] == REC_WIDE && ds == XC_DS_SOCIAL_INSURANCE) {
            wide_income *x = push(&f->wide, sizeof *x);
            if (!x)
                goto no_memory;
            if (!take(&p, end, x, sizeof *x))
                goto damaged;
            f->wide.n += !skip;
        } else {
            goto damaged;
        }
    }
    return XC_OK;
no_memory:
    return xc_err_set(in->err, XC_ENOMEM, "out of memory");
damaged:
    return xc_err_set(in->err, XC_EINTERNAL, "a block of the temporary file does not parse");
}

int xc_facts_load(xc_facts *f, xc_spill *s, int window, int first, xc_err *err)
{
    load_in in = {f, err, first};
    return xc_spill_read(s, window, load_block, &in, err);
}

static int cmp_worker(const void *x, const void *y)
{
    const xc_facts_worker *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->household > b->household) - (a->household < b->household);
}

int xc_facts_workers(const xc_archive *a, xc_facts_worker **ret, size_t *ret_n)
{
    size_t n_hh = xc_archive_households(a), n = 0, cap = 0;
    xc_facts_worker *v = NULL;
    for (uint32_t h = 0; h < n_hh; h++) {
        const xc_household *hh = xc_archive_household(a, h);
        if (!hh->worker_key)
            continue;
        bool member = false;
        for (uint32_t p = hh->first_member; p != XC_NONE && !member;
             p = xc_archive_person(a, p)->next_member)
            member = xc_archive_person(a, p)->key == hh->worker_key;
        if (member)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            xc_facts_worker *more = realloc(v, cap * sizeof *v);
            if (!more) {
                free(v);
                return XC_ENOMEM;
            }
            v = more;
        }
        v[n++] = (xc_facts_worker){hh->worker_key, h};
    }
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_worker);
    *ret = v;
    *ret_n = n;
    return XC_OK;
}

void xc_facts_borrow_sources(xc_facts *f, const xc_facts *from)
{
    f->sources_from = from->sources_from ? from->sources_from : from;
}
