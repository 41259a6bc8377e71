/* flag.c - the summary and evidence of a flag. */
#include "flag.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/idno.h"

const char *fb_date(xc_date d)
{
    static _Thread_local char ring[8][11];
    static _Thread_local int next;
    char *buf = ring[next++ & 7];
    if (d == XC_NO_DATE)
        return strcpy(buf, "?");
    return xc_date_format(d, buf);
}

const char *fb_yuan(int64_t fen)
{
    static _Thread_local char ring[8][32];
    static _Thread_local int next;
    return xc_money_format(fen, ring[next++ & 7]);
}

static void json_date(xc_buf *b, const char *name, xc_date d)
{
    if (d == XC_NO_DATE)
        xc_buf_printf(b, ",\"%s\":null", name);
    else
        xc_buf_printf(b, ",\"%s\":\"%s\"", name, fb_date(d));
}

static void household_json(const xc_eval_ctx *ctx, xc_buf *b, uint32_t h)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    const xc_dataset_def *ds = xc_dataset(XC_DS_HOUSEHOLD);
    xc_buf_printf(b, "\"archive_no\":");
    xc_buf_json(b, hh->archive_no);
    xc_buf_printf(b, ",\"region_code\":\"%06u\",\"level\":\"%s\",\"status\":\"%s\"", hh->region,
                  ds->fields[XC_HH_LEVEL].values[hh->level],
                  ds->fields[XC_HH_STATUS].values[hh->status]);
    json_date(b, "enrolled_on", hh->enrolled_on);
    json_date(b, "exited_on", hh->exited_on);
    xc_buf_printf(b, ",\"members\":%u,\"household_line\":%ld", hh->n_members,
                  xc_household_line(hh));
}

/* A person's fields, without braces: masked ID (or whole, with full_ids),
 * the raw text, name, relation and member line. */
static void person_json(const xc_eval_ctx *ctx, xc_buf *b, uint32_t person)
{
    const xc_person *p = xc_archive_person(ctx->archive, person);
    char masked[32], id[19];
    xc_archive_masked_id(ctx->archive, person, masked);
    xc_buf_printf(b, "\"masked_id\":");
    xc_buf_json(b, masked);
    if (ctx->full_ids) {
        if (p->key) {
            xc_id_unpack(p->key, id);
            xc_buf_printf(b, ",\"id_no\":\"%s\"", id);
        }
        xc_buf_printf(b, ",\"raw_id\":");
        xc_buf_json(b, xc_person_raw_id(ctx->archive, p, id));
    } else {
        char raw[96];
        const char *text = xc_person_raw_id(ctx->archive, p, id);
        xc_buf_printf(b, ",\"raw_id_masked\":");
        xc_buf_json(b, xc_id_mask_text(text, strlen(text), raw, sizeof raw));
    }
    xc_buf_printf(b, ",\"name\":");
    xc_buf_json(b, p->name);
    xc_buf_printf(b, ",\"relation\":\"%s\",\"member_line\":%ld",
                  xc_dataset(XC_DS_MEMBER)->fields[XC_MB_RELATION].values[p->relation],
                  xc_person_line(p));
}

static void init(flag_builder *b, const xc_eval_ctx *ctx, const xc_rule *r, uint32_t h,
                 uint32_t person, xc_category cat, xc_date from, xc_date to)
{
    memset(b, 0, sizeof *b);
    b->ctx = ctx;
    b->f.rule = r;
    b->f.category = cat;
    b->f.household = h;
    b->f.person = person;
    b->f.from = from;
    b->f.to = to;
}

void fb_begin(flag_builder *b, const xc_eval_ctx *ctx, const xc_rule *r, uint32_t h,
              uint32_t person, xc_category cat, xc_date from, xc_date to)
{
    init(b, ctx, r, h, person, cat, from, to);
    xc_buf_printf(&b->ev, "{\"rule\":\"%s\",\"category\":\"%s\",", r->id, xc_category_name(cat));
    household_json(ctx, &b->ev, h);
    if (person != XC_NONE) {
        xc_buf_printf(&b->ev, ",\"person\":{");
        person_json(ctx, &b->ev, person);
        xc_buf_printf(&b->ev, "}");
    }
    json_date(&b->ev, "from", from);
    json_date(&b->ev, "to", to);
    xc_buf_printf(&b->ev, ",\"rows\":[");
}

void fb_begin_subject(flag_builder *b, const xc_eval_ctx *ctx, const xc_rule *r,
                      uint64_t key, const char *name, uint32_t region, xc_category cat,
                      xc_date from, xc_date to)
{
    init(b, ctx, r, XC_NONE, XC_NONE, cat, from, to);
    b->f.subject = key;
    b->f.region = region;
    char id[19], masked[32];
    xc_id_unpack(key, id);
    xc_id_mask(id, masked, sizeof masked);
    xc_buf_printf(&b->ev, "{\"rule\":\"%s\",\"category\":\"%s\",\"archive_no\":null,", r->id,
                  xc_category_name(cat));
    if (region)
        xc_buf_printf(&b->ev, "\"region_code\":\"%06u\",", region);
    xc_buf_printf(&b->ev, "\"person\":{\"masked_id\":\"%s\"", masked);
    if (ctx->full_ids)
        xc_buf_printf(&b->ev, ",\"id_no\":\"%s\"", id);
    xc_buf_printf(&b->ev, ",\"name\":");
    xc_buf_json(&b->ev, name);
    xc_buf_printf(&b->ev, "}");
    json_date(&b->ev, "from", from);
    json_date(&b->ev, "to", to);
    xc_buf_printf(&b->ev, ",\"rows\":[");
}

void fb_row(flag_builder *b, xc_ds_id ds, const void *fact)
{
    xc_buf_printf(&b->ev, "%s", b->rows++ ? "," : "");
    xc_fact_json(b->ctx->facts, ds, fact, b->ctx->full_ids, &b->ev);
}

void fb_household_row(flag_builder *b, uint32_t h)
{
    xc_buf_printf(&b->ev, "%s{\"dataset\":\"household\",", b->rows++ ? "," : "");
    household_json(b->ctx, &b->ev, h);
    xc_buf_printf(&b->ev, "}");
}

void fb_member_row(flag_builder *b, uint32_t person)
{
    const xc_person *p = xc_archive_person(b->ctx->archive, person);
    xc_buf_printf(&b->ev, "%s{\"dataset\":\"member\",\"line\":%ld,", b->rows++ ? "," : "", xc_person_line(p));
    person_json(b->ctx, &b->ev, person);
    xc_buf_printf(&b->ev, "}");
}

/* Masks the ID numbers of the evidence text. With income, the text before
 * the months and the text after them are masked apart, so that the months'
 * place is known in the masked text; no run of an ID reaches across it, as
 * the rows end there with "]" and the rest begins with ",\"summary\"". */
static void mask_evidence(flag_builder *b)
{
    xc_flag_income *inc = b->f.income;
    if (b->ev.failed)
        return;
    if (!inc) {
        xc_buf_mask_ids(&b->ev, 0, false);
        return;
    }
    xc_buf tail = {0};
    xc_buf_append(&tail, b->ev.p + inc->at, b->ev.len - inc->at);
    xc_buf_mask_ids(&tail, 0, false);
    b->ev.len = inc->at;
    xc_buf_mask_ids(&b->ev, 0, false);
    inc->at = b->ev.len;
    if (tail.failed)
        b->ev.failed = true;            /* fb_end then fails with XC_ENOMEM */
    else
        xc_buf_append(&b->ev, tail.p, tail.len);
    xc_buf_free(&tail);
}

static void close_rows(flag_builder *b)
{
    if (!b->rows_closed)
        xc_buf_printf(&b->ev, "]");
    b->rows_closed = true;
}

void fb_months(flag_builder *b, const xc_month_income *m, int n, double factor)
{
    close_rows(b);
    free(b->f.income);
    b->f.income = malloc(sizeof *b->f.income + (size_t)n * sizeof b->f.income->m[0]);
    if (!b->f.income) {
        b->ev.failed = true;            /* fb_end then fails with XC_ENOMEM */
        return;
    }
    xc_flag_income *inc = b->f.income;
    *inc = (xc_flag_income){.factor = factor, .at = b->ev.len, .first = n ? m[0].month : 0,
                            .n = (uint32_t)n, .mask = !b->ctx->full_ids};
    for (int i = 0; i < n; i++) {
        assert(m[i].month == inc->first + i);
        inc->m[i] = (xc_flag_month){.total = m[i].total, .standard = m[i].standard,
                                    .members = m[i].members, .covered = m[i].covered,
                                    .above = m[i].above, .below = m[i].below};
    }
}

void fb_say(flag_builder *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    xc_buf_vprintf(&b->sum, fmt, ap);
    va_end(ap);
}

int fb_end(flag_builder *b, xc_flags *out)
{
    close_rows(b);
    xc_buf_printf(&b->ev, ",\"summary\":");
    xc_buf_json(&b->ev, b->sum.p ? b->sum.p : "");
    xc_buf_printf(&b->ev, "}");
    /* Names, certificate numbers, notes: any text of the data may hold an
     * ID number typed in by hand. */
    if (!b->ctx->full_ids)
        mask_evidence(b);
    b->f.summary = xc_buf_take(&b->sum);
    b->f.evidence = xc_buf_take(&b->ev);
    return xc_flags_add(out, &b->f);
}

/* The person of the archive with that key in a household that was in the
 * archive on day d, or XC_NONE; *ret_any gets the first person with the key
 * in any household (XC_NONE: none). */
uint32_t fb_rejected_rows(const xc_eval_ctx *ctx, uint64_t key)
{
    if (!ctx->rejected_keys)
        return 0;
    uint32_t at = xc_idtab_find(ctx->rejected_keys, key);
    return at == XC_IDTAB_NONE ? 0 : ctx->rejected_masks[at];
}

bool fb_unknown_to_archive(const xc_eval_ctx *ctx, uint64_t key)
{
    return ctx->archive_unknown ||
           (ctx->unseen && xc_idtab_find(ctx->unseen, key) != XC_IDTAB_NONE) ||
           (fb_rejected_rows(ctx, key) & (XC_NEEDS(XC_DS_HOUSEHOLD) | XC_NEEDS(XC_DS_MEMBER)));
}

uint32_t fb_archived_on(const xc_eval_ctx *ctx, uint64_t key, xc_date d, uint32_t *ret_any)
{
    uint32_t first = xc_archive_find_person(ctx->archive, key);
    *ret_any = first;
    for (uint32_t p = first; p != XC_NONE;) {
        const xc_person *pp = xc_archive_person(ctx->archive, p);
        if (xc_in_archive(xc_archive_household(ctx->archive, pp->household), d))
            return p;
        p = xc_person_next_same(ctx->archive, pp);
    }
    return XC_NONE;
}

int fb_asset_flags(const xc_eval_ctx *ctx, const xc_rule *r, uint32_t h, uint32_t person,
                   xc_ds_id ds, const asset_hit *hits, size_t n,
                   void (*describe)(flag_builder *b, const void *fact), xc_flags *out)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    const xc_person *p = xc_archive_person(ctx->archive, person);
    for (int pass = 0; pass < 2; pass++) {
        xc_category cat = pass == 0 ? XC_CAT_MIS_ENROLLMENT : XC_CAT_MISSED_EXIT;
        size_t k = 0;
        xc_date first = XC_NO_DATE;
        bool any_unknown = false;
        const asset_hit *sel[64];
        for (size_t i = 0; i < n && k < 64; i++) {
            const asset_hit *a = &hits[i];
            bool mis = a->from != XC_NO_DATE && xc_held_on(a->from, a->to, hh->enrolled_on);
            bool missed = !mis && (a->from == XC_NO_DATE || a->from > hh->enrolled_on) &&
                          xc_held_on(a->from, a->to, ctx->as_of);
            if ((pass == 0 && mis) || (pass == 1 && missed)) {
                sel[k++] = a;
                if (a->from == XC_NO_DATE)
                    any_unknown = true;
                else if (first == XC_NO_DATE || a->from < first)
                    first = a->from;
            }
        }
        if (k == 0)
            continue;
        flag_builder b;
        char masked[32];
        xc_archive_masked_id(ctx->archive, person, masked);
        fb_begin(&b, ctx, r, h, person, cat, any_unknown ? XC_NO_DATE : first, XC_NO_DATE);
        fb_say(&b, "成员%s（%s）", p->name, masked);
        for (size_t i = 0; i < k; i++) {
            fb_say(&b, "%s", i ? "；" : "");
            describe(&b, sel[i]->fact);
            fb_row(&b, ds, sel[i]->fact);
        }
        fb_say(&b, pass == 0 ? "，建档日%s时已持有" : "，于建档日%s之后取得，%s仍持有",
               fb_date(hh->enrolled_on), fb_date(ctx->as_of));
        int rc = fb_end(&b, out);
        if (rc < 0)
            return rc;
    }
    return XC_OK;
}
