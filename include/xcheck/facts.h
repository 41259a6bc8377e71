/*
 * facts.h - what the scans keep: the reference rows that matched the archive.
 *
 * A scan streams one dataset and keeps, per matched row, a small fact with
 * the fields the rules use and where the row came from (source, line, raw
 * ID text) for the evidence. Facts are keyed by the packed ID number, not by
 * an index of this process, so facts from scans run elsewhere can be merged:
 * xc_facts_merge() appends one set to another (remapping source numbers),
 * and xc_facts_seal() sorts them by key for the evaluation.
 *
 * Every fact struct starts with xc_fact_head, but for social insurance:
 * the rules read a person's income by month and no evidence shows its rows,
 * so a person's rows are kept as runs of months with the same monthly sum
 * (xc_fact_income).
 * The ID text as exported is kept apart, only for the rows where it differs
 * from the normalised number (xc_fact_raw_id()): most rows hold it clean,
 * and a pointer in every fact would be a third of the smaller ones.
 */
#ifndef XCHECK_FACTS_H
#define XCHECK_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xcheck/date.h"
#include "xcheck/record.h"
#include "xcheck/schema.h"

typedef struct xc_fact_head {
    uint64_t key;          /* packed ID number; for the datasets linked by
                              archive number (contact, exit_record,
                              followup, disposition) the household's index
                              + 1; 0 for dibao_standard */
    uint32_t line;         /* row in its source: its low 32 bits */
    uint16_t src;          /* source number: xc_facts_source() */
    uint16_t line_hi;      /* the row's bits 32 to 47 */
} xc_fact_head;

/* The fact's row in its source, 1 to 2^48 - 1 (that when out of range):
 * (key, source, row) tells one fact from every other, which the ID texts
 * kept apart rely on. */
static inline uint64_t xc_fact_line(const xc_fact_head *h)
{
    return (uint64_t)h->line_hi << 32 | h->line;
}

typedef struct xc_fact_hukou {
    xc_fact_head h;
    const char *name;      /* NULL when empty */
    uint32_t region;       /* 0 when empty */
    xc_date status_on;     /* XC_NO_DATE when empty */
    uint8_t status;        /* index into hukou.status values */
} xc_fact_hukou;

/* A person's social insurance over a run of months with the same monthly
 * sum of rows (contribution base, pension, unemployment benefit: what
 * income.h calls the person's income). Contribution bases are set for a
 * year and pensions change once a year, so a person's years of history are
 * a few runs, not a fact per row; and a run is 16 bytes, its sum in 32 bits
 * (21 million yuan a month): a month whose sum needs more is kept apart,
 * whole. No source or line: a sum has many. Runs of one key do not overlap
 * after xc_facts_seal(), but where a month's sum needs more than 32 bits or
 * memory ran out: xc_facts_income() adds up whatever covers a month. */
typedef struct xc_fact_income {
    uint64_t key;          /* packed ID number */
    int32_t amount;        /* fen, in each month of the run */
    uint16_t month;        /* the run's first month, from XC_DATE_MIN_YEAR's
                              January: xc_income_month() */
    uint16_t months;       /* its length, at least 1 */
} xc_fact_income;

/* The first and the last month of run x. */
static inline xc_month xc_income_month(const xc_fact_income *x)
{
    return XC_DATE_MIN_YEAR * 12 + x->month;
}

static inline xc_month xc_income_last(const xc_fact_income *x)
{
    return xc_income_month(x) + x->months - 1;
}

typedef struct xc_fact_property {
    xc_fact_head h;
    const char *cert_no;   /* NULL when empty */
    double area_m2;        /* < 0 when empty */
    uint32_t region;
    xc_date registered_on;
    xc_date cancelled_on;  /* XC_NO_DATE while held */
    uint8_t usage;
} xc_fact_property;

typedef struct xc_fact_vehicle {
    xc_fact_head h;
    const char *plate;
    int64_t price;         /* fen, -1 when unknown */
    xc_date registered_on;
    xc_date deregistered_on;
    uint8_t kind;
} xc_fact_vehicle;

typedef struct xc_fact_business {
    xc_fact_head h;
    const char *credit_code;
    int64_t capital;       /* fen, -1 when unknown */
    xc_date established_on;   /* XC_NO_DATE when unknown */
    xc_date closed_on;
    uint8_t role;
    uint8_t status;
} xc_fact_business;

typedef struct xc_fact_standard {
    xc_fact_head h;
    uint32_t code;         /* 2, 4 or 6 digits */
    uint8_t digits;
    xc_date effective_from;
    int64_t amount;        /* fen per person per month */
} xc_fact_standard;

/* The union's own process records. */
typedef struct xc_fact_contact {
    xc_fact_head h;
    const char *cadre_id;  /* NULL when empty; one copy per text: a few
                              cadres hold millions of contacts */
    xc_date date;
    uint8_t kind;          /* index into contact.kind values */
} xc_fact_contact;

typedef struct xc_fact_payment {
    xc_fact_head h;        /* key: the recipient, linked or not */
    int64_t amount;        /* fen */
    int64_t personal_burden;  /* fen, -1 when empty */
    xc_date paid_on;
    uint8_t program;
    uint8_t channel;
} xc_fact_payment;

typedef struct xc_fact_exit {
    xc_fact_head h;
    xc_date applied_on;    /* each XC_NO_DATE when empty */
    xc_date publicity_from;
    xc_date publicity_to;
    xc_date approved_on;
    xc_date notified_on;
} xc_fact_exit;

typedef struct xc_fact_followup {
    xc_fact_head h;
    xc_date on;
} xc_fact_followup;

typedef struct xc_fact_candidate {
    xc_fact_head h;        /* key: the candidate, in the archive or not */
    const char *name;      /* NULL when empty */
    const char *source;
    uint32_t region;
} xc_fact_candidate;

/* A verification's outcome for one flag (disposition.h). */
typedef struct xc_fact_disposition {
    xc_fact_head h;        /* key: the household's index + 1; 0 for a row
                              of no household of the archive */
    uint64_t person;       /* the person's ID key, 0 when id_no is empty */
    const char *rule;
    const char *decided_by;   /* NULL when empty */
    const char *note;      /* NULL when empty */
    xc_date decided_on;
    xc_date expires_on;    /* XC_NO_DATE: never */
    uint8_t outcome;       /* index into disposition.outcome values */
    bool names_household;  /* archive_no is not empty (key 0 then: it names
                              no household of the archive) */
} xc_fact_disposition;

typedef struct xc_facts xc_facts;

/* Creates an empty set. Caller frees with xc_facts_free(). */
int xc_facts_new(xc_facts **ret);
void xc_facts_free(xc_facts *f);

/* True for the datasets whose rows become facts. */
bool xc_facts_kept(xc_ds_id ds);

/* Registers a source (file or table name, copied) of dataset ds; its number
 * goes into the facts added from it. Returns XC_OK or XC_ENOMEM. */
int xc_facts_add_source(xc_facts *f, xc_ds_id ds, const char *where, uint16_t *ret_src);
const char *xc_facts_source(const xc_facts *f, xc_ds_id ds, uint16_t src);

/* The number of sources of ds registered in f. */
uint16_t xc_facts_sources(const xc_facts *f, xc_ds_id ds);

/* Keeps a fact from an accepted record of ds (xc_facts_kept(ds)), under
 * the record's ID key, or under `key` for xc_facts_add_key(). Returns
 * XC_OK or XC_ENOMEM. */
int xc_facts_add(xc_facts *f, xc_ds_id ds, uint16_t src, const xc_record *rec);
int xc_facts_add_key(xc_facts *f, xc_ds_id ds, uint16_t src, uint64_t key,
                     const xc_record *rec);

/* Moves every fact and source of `from` into `into`; `from` is left empty.
 * Returns XC_OK or XC_ENOMEM (then both are unchanged). */
int xc_facts_merge(xc_facts *into, xc_facts *from);

/* Sorts every dataset's facts by key, then source and line (social
 * insurance: by key and month, its runs summed and joined where the sums
 * fit), and gives back the room they do not use. */
void xc_facts_seal(xc_facts *f);

/* xc_facts_seal() on up to `jobs` threads: the same facts in the same
 * order. */
void xc_facts_seal_jobs(xc_facts *f, int jobs);

/* All facts of ds (an array of the dataset's fact struct), *ret_n of them. */
const void *xc_facts_all(const xc_facts *f, xc_ds_id ds, size_t *ret_n);

/* The facts of ds for key, after xc_facts_seal(): *ret_n of them (0: NULL). */
const void *xc_facts_find(const xc_facts *f, xc_ds_id ds, uint64_t key, size_t *ret_n);

/* Adds person key's social insurance of months from..to to out[0 .. to -
 * from], in fen: the sum of the person's rows of each month. After
 * xc_facts_seal(). */
void xc_facts_income(const xc_facts *f, uint64_t key, xc_month from, xc_month to, int64_t *out);

/* The ID text of fact (of ds) as exported, when it differs from the
 * normalised number; else NULL (always for social insurance). A binary
 * search after xc_facts_seal(), a walk over those texts before. */
const char *xc_fact_raw_id(const xc_facts *f, xc_ds_id ds, const void *fact);

struct xc_buf;

/* Appends fact (of dataset ds) to out as a JSON object: dataset, source,
 * line, the ID number and its fields by logical name (social insurance:
 * the run's first month, its months and the monthly sum, without source
 * and line). The ID is masked
 * ("masked_id", and "raw_id_masked" when the text differed from the
 * number), unless full_ids: then "id_no" and "raw_id" hold it whole. */
void xc_fact_json(const xc_facts *f, xc_ds_id ds, const void *fact, bool full_ids,
                  struct xc_buf *out);

/* Size of one fact of ds. */
size_t xc_facts_size(xc_ds_id ds);

/* Bytes held (facts and text), for the memory report. */
size_t xc_facts_bytes(const xc_facts *f);

/* ---- facts that do not fit in memory ------------------------------------
 * A run short of memory moves the facts about its households out to a
 * spill store (spill.h), one bucket per window of consecutive households,
 * and evaluates the households window by window, each window's facts read
 * back into a set of their own. What is read across households stays in
 * memory: dibao standards and candidates, the facts of people outside the
 * archive (a payment's recipient, a candidate), and a copy of the facts of
 * every candidate's ID number. A person in households of several windows
 * has their facts in each (a batch of windows read back together takes
 * them once), and so has a household whose worker it is without being its
 * member; a payment goes to its recipient's first household only, since
 * the payment rules see every payment once. */
struct xc_archive;
struct xc_spill;

/* A household whose worker is not among its members, under the worker's
 * ID key. */
typedef struct xc_facts_worker {
    uint64_t key;
    uint32_t household;
} xc_facts_worker;

/* The households of archive a whose worker is not their member, by key,
 * into a new array (caller frees with free()). Returns XC_OK or
 * XC_ENOMEM. */
int xc_facts_workers(const struct xc_archive *a, xc_facts_worker **ret, size_t *ret_n);

typedef struct xc_facts_windows {
    const struct xc_archive *archive;   /* sealed; borrowed */
    const xc_facts_worker *workers;     /* xc_facts_workers(); borrowed */
    size_t n_workers;
    uint32_t households;    /* households per window, at least 1 */
    int n;                  /* windows: the store's buckets */
    const xc_facts *keep;   /* sealed set whose candidates' ID numbers keep
                               their facts in memory too; NULL: none */
} xc_facts_windows;

/* The window of household h. */
static inline int xc_facts_window(const xc_facts_windows *w, uint32_t h)
{
    return (int)(h / w->households);
}

/* Moves every fact of f (not yet sealed) that belongs to a window into
 * store s, leaving in f those kept in memory (and the copies kept), in
 * room fitted to them: what f held for the others is given back. The
 * facts written carry their source number plus shift[ds]: the number
 * their source has once f is merged into the run's set. Returns XC_OK,
 * XC_ENOMEM or the store's XC_EIO (then f is as it was or lost some facts
 * to the store: the run fails either way). */
int xc_facts_spill(xc_facts *f, const xc_facts_windows *w, const uint16_t shift[XC_DS_COUNT],
                   struct xc_spill *s, struct xc_err *err);

/* Adds window's facts from store s to f (to be sealed before it is read),
 * for a batch of windows from `first` (<= window) loaded into f in turn:
 * what a window holds as a copy of a record of an earlier window of the
 * batch is skipped. Returns XC_OK, XC_ENOMEM, or XC_EIO when the store
 * cannot be read back. */
int xc_facts_load(xc_facts *f, struct xc_spill *s, int window, int first,
                  struct xc_err *err);

/* Makes f name its sources as `from` does (xc_facts_source()): for a set
 * loaded from a store, whose facts carry the run's source numbers. from is
 * borrowed for f's life. */
void xc_facts_borrow_sources(xc_facts *f, const xc_facts *from);

#endif
