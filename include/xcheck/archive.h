/*
 * archive.h - the union's archive in memory: households, persons, and the
 * ID table that reference rows are probed against.
 *
 * Persons are the member rows (the worker is a member with relation
 * `self`). One person may sit in two households (a data-quality finding), so
 * the ID table maps a key to the first such person and persons with the
 * same key are chained (xc_person_next_same()).
 *
 * A member row that repeats one of its household's members (the same valid
 * ID number after normalisation, whatever its name or relation) is kept as
 * a person but is not a member: it is chained apart
 * (xc_household_first_repeat()), does not count in n_members (the household
 * size of the income rules), is not in the ID table and is never visited
 * with the members, so the person counts once. Rows with an invalid ID
 * number are never taken as repeats: they cannot be compared.
 */
#ifndef XCHECK_ARCHIVE_H
#define XCHECK_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xcheck/date.h"
#include "xcheck/error.h"
#include "xcheck/idtab.h"
#include "xcheck/record.h"

#define XC_NONE UINT32_MAX

/* Fields few households or persons have (the ID text when it is not the
 * number's, the row a repeat repeats, the next person of a key shared,
 * a household's repeats) are kept apart in the archive, and a flag in the
 * struct says whether there is one: ask the xc_person_*() and
 * xc_household_*() functions below. Rows are kept to 40 bits (lines below
 * 2^40). The structs are 64 and 32 bytes. */
typedef struct xc_household {
    const char *archive_no;     /* owned by the archive */
    const char *worker_name;    /* "" when empty */
    const char *cadre_id;       /* NULL: unpaired (or field unmapped) */
    uint64_t worker_key;        /* 0 when the ID number is invalid */
    xc_date enrolled_on;
    xc_date exited_on;          /* XC_NO_DATE when empty */
    uint32_t region;
    uint32_t causes;            /* bit set of hardship_cause values */
    uint32_t first_member;      /* index into persons, XC_NONE if none */
    uint32_t n_members;         /* distinct members: repeated rows not counted */
    uint32_t line_lo;           /* xc_household_line() */
    uint8_t line_hi;
    uint8_t level;              /* index into the level values */
    uint8_t status;             /* index into the status values */
    bool has_repeats : 1;       /* see xc_household_first_repeat() */
} xc_household;

typedef struct xc_person {
    uint64_t key;               /* 0 when the ID number is invalid */
    const char *name;
    uint32_t household;
    uint32_t next_member;       /* next person of the household (of its
                                   repeats, for a repeat), XC_NONE */
    uint32_t line_lo;           /* xc_person_line() */
    uint8_t line_hi;
    uint8_t relation;
    uint8_t id_error;           /* xc_id_error */
    bool legacy : 1;            /* the ID was upgraded from 15 digits */
    bool has_raw_id : 1;        /* the ID text is not the valid number's
                                   18 characters: xc_person_raw_id() */
    bool is_repeat : 1;         /* see xc_person_repeat_of() */
    bool has_next_same : 1;     /* see xc_person_next_same() */
} xc_person;

/* The row of the household or member in its file. */
static inline long xc_household_line(const xc_household *hh)
{
    return (long)((uint64_t)hh->line_hi << 32 | hh->line_lo);
}

static inline long xc_person_line(const xc_person *p)
{
    return (long)((uint64_t)p->line_hi << 32 | p->line_lo);
}

typedef struct xc_archive xc_archive;

/* Creates an empty archive. Caller frees with xc_archive_free(). */
int xc_archive_new(xc_archive **ret);
void xc_archive_free(xc_archive *a);

/* Adds a household from a converted `household` record. Returns XC_OK,
 * XC_EXISTS when the archive number is already taken (*ret_first gets the
 * line of the first), or XC_ENOMEM. */
int xc_archive_add_household(xc_archive *a, const xc_record *rec, long *ret_first);

/* Adds a person from a converted `member` record, in constant time
 * whatever the size of its household or the number of households sharing
 * its key. Returns XC_OK (also for a row repeating a member of its
 * household, which is chained apart: see above), XC_NOT_FOUND when no household
 * has that archive number, or XC_ENOMEM. */
int xc_archive_add_member(xc_archive *a, const xc_record *rec);

/* Ends loading: builds the look-up caches and frees what adding members
 * needed (the ends of the lists, the members by household and key), after
 * which the archive is only read and may be shared by threads. A member
 * added all the same rebuilds that in one pass over the archive. Returns
 * XC_OK or XC_ENOMEM. */
int xc_archive_seal(xc_archive *a);

/* Index of the household with that archive number, or XC_NONE. */
uint32_t xc_archive_find_household(const xc_archive *a, const char *archive_no, size_t len);

/* First person with that key, or XC_NONE. */
uint32_t xc_archive_find_person(const xc_archive *a, uint64_t key);

/* xc_archive_find_person() for n keys at once (faster: the lookups overlap).
 * A key of 0 finds XC_NONE. */
void xc_archive_find_persons(const xc_archive *a, const uint64_t *keys, size_t n,
                             uint32_t *ret);

/* True when some household's region code starts with `code` of `digits`
 * digits (2, 4 or 6). */
bool xc_archive_covers_region(const xc_archive *a, uint32_t code, int digits);

/* A person's ID number masked for display (first 6 + ******** + last 4);
 * for an invalid number, its letters and digits masked the same way (so
 * the result is plain ASCII). Returns out. */
char *xc_archive_masked_id(const xc_archive *a, uint32_t person, char out[static 32]);

/* What follows takes a person or household as xc_archive_person() or
 * xc_archive_household() of the same archive gave it. */

/* The person's ID text as exported: kept by the archive, or the number
 * written into buf when the text was that number. */
const char *xc_person_raw_id(const xc_archive *a, const xc_person *p, char buf[static 19]);

/* The member that a repeated row repeats (see above), XC_NONE for a
 * member. */
uint32_t xc_person_repeat_of(const xc_archive *a, const xc_person *p);

/* The next person with the same key (in another household), XC_NONE if
 * none. */
uint32_t xc_person_next_same(const xc_archive *a, const xc_person *p);

/* The first of the rows repeating a member of the household, in file
 * order, chained by next_member; XC_NONE if none. */
uint32_t xc_household_first_repeat(const xc_archive *a, const xc_household *hh);

/* The number of those rows. */
uint32_t xc_household_n_repeats(const xc_archive *a, const xc_household *hh);

/* The distinct packed ID numbers of the archive's persons, sorted, into a
 * new array (caller frees with free()); *ret_n of them. Returns XC_OK or
 * XC_ENOMEM. */
int xc_archive_keys(const xc_archive *a, uint64_t **ret, size_t *ret_n);

size_t xc_archive_households(const xc_archive *a);
size_t xc_archive_persons(const xc_archive *a);
const xc_household *xc_archive_household(const xc_archive *a, uint32_t i);
const xc_person *xc_archive_person(const xc_archive *a, uint32_t i);
const xc_idtab *xc_archive_idtab(const xc_archive *a);

/* Whether a household was "in the archive" (active or relieved) on as_of,
 * judged from its dates as well as its status today: a household enrolled
 * after as_of was not yet in it; one exited or cancelled after as_of still
 * was. */
bool xc_in_archive(const xc_household *hh, xc_date as_of);

/* Whether a household had exited (status exited) on or before as_of. */
bool xc_exited(const xc_household *hh, xc_date as_of);

#endif
