/*
 * structure.c - the archive's own structure: HH-NO-SELF, HH-MULTI-SELF,
 * HH-WORKER-NOT-MEMBER, MB-DUPLICATE.
 *
 * The data contract wants exactly one `self` member per household, whose
 * ID number is the household's worker_id, and every member once. These
 * rules need the archive only and look at the households in the archive
 * and the exited ones, like the ID rules. Members are the distinct ones of
 * the archive (archive.h): a row repeating a member's ID number is not one
 * of them, so the worker's row given twice is MB-DUPLICATE, not
 * HH-MULTI-SELF.
 */
#include <stdlib.h>
#include <string.h>

#include "flag.h"
#include "xcheck/idno.h"

static int hh_no_self(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int hh_multi_self(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int hh_worker_not_member(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int mb_duplicate(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);

static const xc_rule xc_rule_hh_no_self = {
    .abi = XC_RULE_ABI, .id = "HH-NO-SELF", .family = "structure",
    .category = XC_CAT_DATA_QUALITY, .scope = XC_SCOPE_ARCHIVED_OR_EXITED,
    .title_zh = "家庭成员中没有本人",
    .title = "no member with relation self",
    .evaluate = hh_no_self,
};
static const xc_rule xc_rule_hh_multi_self = {
    .abi = XC_RULE_ABI, .id = "HH-MULTI-SELF", .family = "structure",
    .category = XC_CAT_DATA_QUALITY, .scope = XC_SCOPE_ARCHIVED_OR_EXITED,
    .title_zh = "家庭成员中有多名本人",
    .title = "several members with relation self",
    .evaluate = hh_multi_self,
};
static const xc_rule xc_rule_hh_worker_not_member = {
    .abi = XC_RULE_ABI, .id = "HH-WORKER-NOT-MEMBER", .family = "structure",
    .category = XC_CAT_DATA_QUALITY, .scope = XC_SCOPE_ARCHIVED_OR_EXITED,
    .title_zh = "档案职工不在家庭成员中",
    .title = "the worker is none of the members",
    .evaluate = hh_worker_not_member,
};
static const xc_rule xc_rule_mb_duplicate = {
    .abi = XC_RULE_ABI, .id = "MB-DUPLICATE", .family = "structure",
    .category = XC_CAT_DATA_QUALITY, .scope = XC_SCOPE_ARCHIVED_OR_EXITED,
    .title_zh = "同一成员重复登记",
    .title = "a member row given twice",
    .evaluate = mb_duplicate,
};

static const char *relation_zh(uint8_t r)
{
    const char *zh = xc_value_label_zh(XC_DS_MEMBER, XC_MB_RELATION, r);
    return zh ? zh : "其他";
}

/* "张三（配偶，530102********0133，第5行）" for a member row. */
static void say_member(flag_builder *b, const xc_eval_ctx *ctx, uint32_t p)
{
    const xc_person *m = xc_archive_person(ctx->archive, p);
    char masked[32];
    xc_archive_masked_id(ctx->archive, p, masked);
    fb_say(b, "%s（%s，%s，第%ld行）", m->name[0] ? m->name : "无姓名", relation_zh(m->relation),
           masked, xc_person_line(m));
}

/* Says and shows, in member order, the members of household h, of the
 * relation `relation` only when it is not -1. */
static void list_members(flag_builder *b, const xc_eval_ctx *ctx, uint32_t h, int relation)
{
    int i = 0;
    FOR_MEMBERS(ctx, h, p) {
        if (relation >= 0 && xc_archive_person(ctx->archive, p)->relation != relation)
            continue;
        fb_say(b, "%s", i++ ? "、" : "");
        say_member(b, ctx, p);
        fb_member_row(b, p);
    }
}

/* The household's worker ID number, masked, or "无效" when invalid. */
static const char *worker_masked(const xc_household *hh, char out[static 32])
{
    if (!hh->worker_key)
        return strcpy(out, "无效");
    char id[19];
    xc_id_unpack(hh->worker_key, id);
    return xc_id_mask(id, out, 32);
}

static int hh_no_self(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    FOR_MEMBERS(ctx, h, p) {
        if (xc_archive_person(ctx->archive, p)->relation == XC_MB_RELATION_SELF)
            return XC_OK;
    }
    flag_builder b;
    char wm[32];
    fb_begin(&b, ctx, &xc_rule_hh_no_self, h, XC_NONE, XC_CAT_DATA_QUALITY, XC_NO_DATE,
             XC_NO_DATE);
    if (hh->n_members == 0) {
        fb_say(&b, "档案%s（职工%s，%s，第%ld行）没有任何家庭成员登记", hh->archive_no,
               hh->worker_name, worker_masked(hh, wm), xc_household_line(hh));
    } else {
        fb_say(&b, "档案%s（职工%s，%s，第%ld行）的%u名家庭成员中没有关系为本人的成员：",
               hh->archive_no, hh->worker_name, worker_masked(hh, wm), xc_household_line(hh), hh->n_members);
        list_members(&b, ctx, h, -1);
    }
    return fb_end(&b, out);
}

static int hh_multi_self(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    unsigned n = 0;
    FOR_MEMBERS(ctx, h, p) {
        n += xc_archive_person(ctx->archive, p)->relation == XC_MB_RELATION_SELF;
    }
    if (n < 2)
        return XC_OK;
    flag_builder b;
    char wm[32];
    fb_begin(&b, ctx, &xc_rule_hh_multi_self, h, XC_NONE, XC_CAT_DATA_QUALITY, XC_NO_DATE,
             XC_NO_DATE);
    fb_say(&b, "档案%s（职工%s，%s，第%ld行）有%u名成员的关系为本人：", hh->archive_no,
           hh->worker_name, worker_masked(hh, wm), xc_household_line(hh), n);
    list_members(&b, ctx, h, XC_MB_RELATION_SELF);
    fb_say(&b, "，每户应只有一名本人");
    return fb_end(&b, out);
}

/* A household with members none of which has the worker's ID number. An
 * invalid worker ID number cannot be compared: not judged. A household
 * without members is HH-NO-SELF's. */
static int hh_worker_not_member(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    if (hh->n_members == 0)
        return XC_OK;
    if (!hh->worker_key)
        return XC_NOT_JUDGED;
    FOR_MEMBERS(ctx, h, p) {
        if (xc_archive_person(ctx->archive, p)->key == hh->worker_key)
            return XC_OK;
    }
    flag_builder b;
    char wm[32];
    fb_begin(&b, ctx, &xc_rule_hh_worker_not_member, h, XC_NONE, XC_CAT_DATA_QUALITY,
             XC_NO_DATE, XC_NO_DATE);
    fb_say(&b, "档案%s（第%ld行）的职工%s（%s）不是本户%u名家庭成员中的任何一人：",
           hh->archive_no, xc_household_line(hh), hh->worker_name, worker_masked(hh, wm), hh->n_members);
    list_members(&b, ctx, h, -1);
    return fb_end(&b, out);
}

/* A row repeating a member: whose, and where it comes among the
 * household's repeats. */
typedef struct repeat_row {
    uint32_t of, pos, person;
} repeat_row;

static int cmp_repeat(const void *x, const void *y)
{
    const repeat_row *a = x, *b = y;
    if (a->of != b->of)
        return a->of < b->of ? -1 : 1;
    return (a->pos > b->pos) - (a->pos < b->pos);
}

/* One flag per member with repeated rows: the member's row and every row
 * repeating it, counted once. The repeats are sorted by member once, not
 * walked for every member: a household of many members and many repeats
 * costs their sum, not their product. */
static int mb_duplicate(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_archive *a = ctx->archive;
    const xc_household *hh = xc_archive_household(a, h);
    uint32_t n_repeats = xc_household_n_repeats(a, hh);
    if (n_repeats == 0)
        return XC_OK;
    repeat_row *rows = malloc(n_repeats * sizeof *rows);
    if (!rows)
        return XC_ENOMEM;
    size_t n_rows = 0;
    for (uint32_t q = xc_household_first_repeat(a, hh); q != XC_NONE && n_rows < n_repeats;
         q = xc_archive_person(a, q)->next_member, n_rows++)
        rows[n_rows] = (repeat_row){xc_person_repeat_of(a, xc_archive_person(a, q)),
                                    (uint32_t)n_rows, q};
    qsort(rows, n_rows, sizeof *rows, cmp_repeat);
    int rc = XC_OK;
    FOR_MEMBERS(ctx, h, p) {
        /* the first row repeating p */
        size_t lo = 0, hi = n_rows;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (rows[mid].of < p)
                lo = mid + 1;
            else
                hi = mid;
        }
        unsigned n = 0;
        while (lo + n < n_rows && rows[lo + n].of == p)
            n++;
        if (n == 0)
            continue;
        const xc_person *m = xc_archive_person(ctx->archive, p);
        flag_builder b;
        char masked[32];
        xc_archive_masked_id(ctx->archive, p, masked);
        fb_begin(&b, ctx, &xc_rule_mb_duplicate, h, p, XC_CAT_DATA_QUALITY, XC_NO_DATE,
                 XC_NO_DATE);
        fb_say(&b, "成员%s（%s）在档案%s中登记了%u次：第%ld行", m->name, masked,
               hh->archive_no, n + 1, xc_person_line(m));
        fb_member_row(&b, p);
        for (size_t i = lo; i < lo + n; i++) {
            const xc_person *r = xc_archive_person(ctx->archive, rows[i].person);
            fb_say(&b, "、第%ld行", xc_person_line(r));
            if (strcmp(r->name, m->name) != 0)
                fb_say(&b, "（姓名为“%s”）", r->name);
            if (r->relation != m->relation)
                fb_say(&b, "（关系为%s）", relation_zh(r->relation));
            fb_member_row(&b, rows[i].person);
        }
        fb_say(&b, "，按一人计，家庭人口为%u人", hh->n_members);
        if ((rc = fb_end(&b, out)) < 0)
            break;
    }
    free(rows);
    return rc;
}

const xc_family xc_family_structure = {
    .abi = XC_RULE_ABI,
    .name = "structure",
    .rules = (const xc_rule *const[]){&xc_rule_hh_no_self, &xc_rule_hh_multi_self, &xc_rule_hh_worker_not_member, &xc_rule_mb_duplicate, NULL},
};
