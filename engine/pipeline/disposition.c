/* disposition.c - the register of verifications applied to a run's flags. */
#include "xcheck/disposition.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The person a flag is about, as the register names them: the person's,
 * else (someone outside the archive) the subject's, else (a household's
 * flag) the worker's ID key; 0 when the number is invalid. */
static uint64_t flag_person(const xc_archive *a, const xc_flag *f)
{
    if (f->person != XC_NONE)
        return xc_archive_person(a, f->person)->key;
    if (f->household == XC_NONE)
        return f->subject;
    return xc_archive_household(a, f->household)->worker_key;
}

static bool known_rule(const char *id)
{
    size_t n;
    const xc_rule *const *rules = xc_rules(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(rules[i]->id, id) == 0)
            return true;
    return false;
}

/* Adds rule to the "、"-list of unknown rules, once (while it fits). */
static void note_unknown(xc_disposition_counts *c, const char *rule)
{
    static const char sep[] = "、";
    size_t n = strlen(rule), len = strlen(c->unknown_rules);
    for (const char *p = c->unknown_rules; *p;) {
        const char *end = strstr(p, sep);
        size_t k = end ? (size_t)(end - p) : strlen(p);
        if (k == n && memcmp(p, rule, n) == 0)
            return;
        p = end ? end + strlen(sep) : p + k;
    }
    if (len + n + sizeof sep < sizeof c->unknown_rules)
        snprintf(c->unknown_rules + len, sizeof c->unknown_rules - len, "%s%s",
                 len ? sep : "", rule);
}

/* Whether d is later than e: decided later, or the same day on a later row
 * (or of a later source). */
static bool later(const xc_fact_disposition *d, const xc_fact_disposition *e)
{
    if (d->decided_on != e->decided_on)
        return d->decided_on > e->decided_on;
    if (d->h.src != e->h.src)
        return d->h.src > e->h.src;
    return xc_fact_line(&d->h) > xc_fact_line(&e->h);
}

/* The latest disposition decided on or before as_of for flag f (expired
 * or not), NULL when none is. */
static const xc_fact_disposition *latest(const xc_archive *a, const xc_facts *facts,
                                         xc_date as_of, const xc_flag *f)
{
    uint64_t key = f->household == XC_NONE ? 0 : (uint64_t)f->household + 1;
    size_t n;
    const xc_fact_disposition *d = xc_facts_find(facts, XC_DS_DISPOSITION, key, &n);
    uint64_t person = flag_person(a, f);
    const xc_fact_disposition *best = NULL;
    for (size_t k = 0; k < n; k++) {
        const xc_fact_disposition *x = &d[k];
        if (x->decided_on > as_of || strcmp(x->rule, f->rule->id) != 0)
            continue;
        /* someone outside the archive: named by id_no alone (a row naming
         * a household the archive does not have names no one) */
        if (x->person ? x->person != person : key == 0)
            continue;
        if (key == 0 && x->names_household)
            continue;
        if (!best || later(x, best))
            best = x;
    }
    return best;
}

static bool expired(const xc_fact_disposition *d, xc_date as_of)
{
    return d->expires_on != XC_NO_DATE && d->expires_on < as_of;
}

const xc_fact_disposition *xc_disposition_of(const xc_archive *a, const xc_facts *facts,
                                             xc_date as_of, const xc_flag *f)
{
    if (!facts || f->disposition == XC_FLAG_UNVERIFIED)
        return NULL;
    const xc_fact_disposition *d = latest(a, facts, as_of, f);
    return d && !expired(d, as_of) ? d : NULL;
}

/* What became of a row of the register. */
enum { ROW_OPEN, ROW_OUTSIDE, ROW_LATER, ROW_UNKNOWN_RULE, ROW_USED, ROW_EXPIRED };

/* A row's state before any flag is looked at: outside the run's area,
 * decided after as_of, naming no rule, or open. */
static unsigned char row_state(const xc_fact_disposition *d, const uint8_t *outside,
                               xc_date as_of)
{
    uint64_t h = d->h.key;              /* the household's index + 1, 0: none */
    if (h && outside && outside[(h - 1) / 8] >> ((h - 1) % 8) & 1)
        return ROW_OUTSIDE;             /* its flags were not evaluated */
    if (d->decided_on > as_of)
        return ROW_LATER;
    return known_rule(d->rule) ? ROW_OPEN : ROW_UNKNOWN_RULE;
}

void xc_dispositions_apply(const xc_archive *a, const xc_facts *facts, xc_date as_of,
                           const uint8_t *outside, xc_flags *flags,
                           xc_disposition_counts *ret)
{
    memset(ret, 0, sizeof *ret);
    for (size_t i = 0; i < flags->n; i++)
        flags->v[i].disposition = XC_FLAG_UNVERIFIED;
    size_t n_all;
    const xc_fact_disposition *all = facts ? xc_facts_all(facts, XC_DS_DISPOSITION, &n_all)
                                           : NULL;
    if (!all || !n_all)
        return;
    ret->rows = n_all;
    /* Each row's state (NULL when out of memory: the flags get their
     * dispositions all the same, the rows in force and unmatched are not
     * counted). */
    unsigned char *state = calloc(n_all, 1);
    for (size_t i = 0; i < n_all; i++) {
        unsigned char st = row_state(&all[i], outside, as_of);
        ret->rows_outside += st == ROW_OUTSIDE;
        ret->rows_later += st == ROW_LATER;
        if (st == ROW_UNKNOWN_RULE) {
            ret->rows_unknown_rule++;
            note_unknown(ret, all[i].rule);
        }
        if (state)
            state[i] = st;
    }
    for (size_t i = 0; i < flags->n; i++) {
        xc_flag *f = &flags->v[i];
        const xc_fact_disposition *best = latest(a, facts, as_of, f);
        if (!best)
            continue;
        unsigned char *st = state ? &state[best - all] : NULL;
        if (expired(best, as_of)) {
            ret->expired++;
            if (st)
                *st = ROW_EXPIRED;
            continue;
        }
        if (st)
            *st = ROW_USED;
        if (best->outcome == XC_DP_OUTCOME_REJECTED) {
            f->disposition = XC_FLAG_EXCLUDED;
            ret->excluded++;
        } else {
            f->disposition = XC_FLAG_CONFIRMED;
            ret->confirmed++;
        }
    }
    for (size_t i = 0; state && i < n_all; i++) {
        ret->rows_used += state[i] == ROW_USED;
        ret->rows_unmatched += state[i] == ROW_OPEN;
    }
    free(state);
}

bool xc_flag_excluded(const xc_flag *f)
{
    return f->disposition == XC_FLAG_EXCLUDED;
}

const char *xc_flag_disposition_zh(const xc_flag *f)
{
    return f->disposition == XC_FLAG_EXCLUDED ? "已核实排除"
         : f->disposition == XC_FLAG_CONFIRMED ? "已核实属实" : "";
}

const char *xc_flag_disposition_name(const xc_flag *f)
{
    return f->disposition == XC_FLAG_EXCLUDED ? "excluded"
         : f->disposition == XC_FLAG_CONFIRMED ? "confirmed" : "";
}
