/*
 * flag.h - building a flag: its readable summary and its JSON evidence.
 * Private to the rule families under rules/.
 */
#ifndef XCHECK_RULES_FLAG_H
#define XCHECK_RULES_FLAG_H

#include "xcheck/plugin/income.h"
#include "xcheck/plugin/rule.h"
#include "xcheck/text.h"

typedef struct flag_builder {
    const xc_eval_ctx *ctx;
    xc_flag f;
    xc_buf ev;          /* evidence JSON being written */
    xc_buf sum;         /* summary being written */
    int rows;           /* evidence rows so far */
    bool rows_closed;
} flag_builder;

/* Starts a flag of rule r on household h (person: XC_NONE for the whole
 * household) with its category and deciding dates. */
void fb_begin(flag_builder *b, const xc_eval_ctx *ctx, const xc_rule *r, uint32_t h,
              uint32_t person, xc_category cat, xc_date from, xc_date to);

/* Starts a flag about someone in no household of the archive (a payment's
 * recipient, a candidate): ID key, name (NULL: unknown) and the region the
 * flag counts in (0: none). */
void fb_begin_subject(flag_builder *b, const xc_eval_ctx *ctx, const xc_rule *r,
                      uint64_t key, const char *name, uint32_t region, xc_category cat,
                      xc_date from, xc_date to);

/* Adds a source row (a fact of dataset ds) to the evidence. */
void fb_row(flag_builder *b, xc_ds_id ds, const void *fact);

/* Adds another archived household (by index) to the evidence. */
void fb_household_row(flag_builder *b, uint32_t h);

/* Adds a member row of the archive (a person, by index) to the evidence:
 * dataset "member", its line, ID number (masked unless full_ids), name and
 * relation. */
void fb_member_row(flag_builder *b, uint32_t person);

/* Gives the flag its month-by-month income: a copy of m[0 .. n), months
 * that follow each other, with the factor `above` was judged with. Closes
 * the rows; the evidence's "factor" and "months" are written from the copy,
 * after the rows, whenever the evidence is (xc_flag_evidence()). */
void fb_months(flag_builder *b, const xc_month_income *m, int n, double factor);

/* Appends to the readable summary (Chinese, one line). */
void fb_say(flag_builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Finishes the flag and adds it to out. Returns XC_OK or XC_ENOMEM. */
int fb_end(flag_builder *b, xc_flags *out);

/* Formats a date ("2024-03-01"), or "?" for XC_NO_DATE, into a static
 * ring of buffers: valid for the next few calls. */
const char *fb_date(xc_date d);

/* Formats fen as yuan ("1650.50") into a static ring of buffers. */
const char *fb_yuan(int64_t fen);


/* Asset rules (property, vehicle, business) share one shape: a person's
 * qualifying holdings, each held from `from` to `to`. Those held on
 * enrolled_on make one mis_enrollment flag; those that started after it and
 * are held on as_of make one missed_exit flag. A holding with no start date
 * counts as started after enrollment. `describe` writes one holding into the
 * summary. */
typedef struct asset_hit {
    const void *fact;
    xc_date from, to;
} asset_hit;

int fb_asset_flags(const xc_eval_ctx *ctx, const xc_rule *r, uint32_t h, uint32_t person,
                   xc_ds_id ds, const asset_hit *hits, size_t n,
                   void (*describe)(flag_builder *b, const void *fact), xc_flags *out);

/* Iterates over the members of household h: for (p = first; ...). */
/* The holdings that count against a household under the profile, the same
 * for its members (PR-COMMERCIAL, VH-CAR, BZ-ROLE) and for a candidate
 * (CAND-ELIGIBLE); when they were held is for the caller to judge. */
bool fb_property_counts(const xc_profile *pf, const xc_fact_property *x);
bool fb_vehicle_counts(const xc_profile *pf, const xc_fact_vehicle *x);
bool fb_business_counts(const xc_profile *pf, const xc_fact_business *x);
/* [property] residential_min: the homes that count against a household or
 * candidate (PR-MULTI, CAND-ELIGIBLE). */
int fb_residential_min(const xc_profile *pf);

/* The person with that key in a household of the archive that was in the
 * archive on day d, or XC_NONE; *ret_any gets the first person with the key
 * in any household (XC_NONE: none). */
uint32_t fb_archived_on(const xc_eval_ctx *ctx, uint64_t key, xc_date d, uint32_t *ret_any);

/* The datasets that rejected a row of the person of key (bit d of
 * XC_NEEDS(d)), 0 when none did. */
uint32_t fb_rejected_rows(const xc_eval_ctx *ctx, uint64_t key);

/* Whether the person of key may be archived in a row the run could not
 * read: a rejected household or member row of theirs, a member row of a
 * household not read, or archive rows of no one known. Whether they were
 * archived cannot then be judged. */
bool fb_unknown_to_archive(const xc_eval_ctx *ctx, uint64_t key);

/* Two rows of the same property: co-owners appear as one row each. */
bool fb_same_property(const xc_fact_property *a, const xc_fact_property *b);

#define FOR_MEMBERS(ctx, h, p)                                                        \
    for (uint32_t p = xc_archive_household((ctx)->archive, h)->first_member; p != XC_NONE; \
         p = xc_archive_person((ctx)->archive, p)->next_member)

#endif
