/*
 * identity.c - data quality of the archive's ID numbers, and one person in
 * two households: ID-INVALID, ID-LEGACY, ID-NOT-FOUND, ID-NAME-MISMATCH,
 * DUP-PERSON.
 */
#include <stdlib.h>
#include <string.h>

#include "flag.h"

static int id_invalid(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int id_legacy(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int id_not_found(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int id_name_mismatch(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int dup_person(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int dup_prepare(const xc_eval_ctx *ctx, void **ret_state);
static void dup_release(void *state);

static const xc_rule xc_rule_id_invalid = {
    .abi = XC_RULE_ABI, .id = "ID-INVALID", .family = "identity",
    .category = XC_CAT_DATA_QUALITY, .scope = XC_SCOPE_ARCHIVED_OR_EXITED,
    .title_zh = "档案身份证号无效",
    .title = "archive ID number invalid",
    .evaluate = id_invalid,
};
static const xc_rule xc_rule_id_legacy = {
    .abi = XC_RULE_ABI, .id = "ID-LEGACY", .family = "identity",
    .category = XC_CAT_DATA_QUALITY, .scope = XC_SCOPE_ARCHIVED_OR_EXITED,
    .title_zh = "15位旧身份证号已升级",
    .title = "15-digit ID upgraded",
    .evaluate = id_legacy,
};
static const xc_rule xc_rule_id_not_found = {
    .abi = XC_RULE_ABI, .id = "ID-NOT-FOUND", .family = "identity",
    .category = XC_CAT_DATA_QUALITY, .scope = XC_SCOPE_ARCHIVED_OR_EXITED,
    .needs = XC_NEEDS(XC_DS_HUKOU),
    .title_zh = "户籍中查无此人",
    .title = "no household registration",
    .evaluate = id_not_found,
};
static const xc_rule xc_rule_id_name_mismatch = {
    .abi = XC_RULE_ABI, .id = "ID-NAME-MISMATCH", .family = "identity",
    .category = XC_CAT_DATA_QUALITY, .scope = XC_SCOPE_ARCHIVED_OR_EXITED,
    .needs = XC_NEEDS(XC_DS_HUKOU),
    .title_zh = "身份证号与户籍姓名不符",
    .title = "name differs from household registration",
    .evaluate = id_name_mismatch,
};
static const xc_rule xc_rule_dup_person = {
    .abi = XC_RULE_ABI, .id = "DUP-PERSON", .family = "identity",
    .category = XC_CAT_MIS_ENROLLMENT, .scope = XC_SCOPE_IN_ARCHIVE,
    .title_zh = "一人在两户档案中",
    .check_zh = "核实该成员实际属于哪一户、在哪里居住，是否在两户重复建档",
    .title = "person in two archived households",
    .evaluate = dup_person,
    .prepare = dup_prepare,
    .release = dup_release,
};

/* What is wrong with an ID number, in the words of the report (Chinese
 * whatever the locale, as every flag's summary). */
static const char *id_error_report(xc_id_error e)
{
    switch (e) {
    case XC_ID_VALID: return "有效";
    case XC_ID_EMPTY: return "为空";
    case XC_ID_BAD_CHAR: return "含非法字符";
    case XC_ID_BAD_LENGTH: return "位数不是15或18位";
    case XC_ID_BAD_CHECK: return "校验码错误";
    case XC_ID_UNKNOWN_PROVINCE: return "省份代码不存在";
    case XC_ID_BAD_BIRTH: return "出生日期不存在";
    case XC_ID_BIRTH_AFTER_AS_OF: return "出生日期晚于核查日期";
    }
    return "无效";
}

static int id_invalid(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    FOR_MEMBERS(ctx, h, p) {
        const xc_person *m = xc_archive_person(ctx->archive, p);
        if (m->id_error == XC_ID_VALID)
            continue;
        flag_builder b;
        char masked[32];
        xc_archive_masked_id(ctx->archive, p, masked);
        fb_begin(&b, ctx, &xc_rule_id_invalid, h, p, XC_CAT_DATA_QUALITY, XC_NO_DATE,
                 XC_NO_DATE);
        fb_say(&b, "成员%s的身份证号（%s）%s，第%ld行", m->name, masked,
               id_error_report((xc_id_error)m->id_error), xc_person_line(m));
        int rc = fb_end(&b, out);
        if (rc < 0)
            return rc;
    }
    return XC_OK;
}

static int id_legacy(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    FOR_MEMBERS(ctx, h, p) {
        const xc_person *m = xc_archive_person(ctx->archive, p);
        if (!m->legacy)
            continue;
        flag_builder b;
        char masked[32];
        xc_archive_masked_id(ctx->archive, p, masked);
        fb_begin(&b, ctx, &xc_rule_id_legacy, h, p, XC_CAT_DATA_QUALITY, XC_NO_DATE,
                 XC_NO_DATE);
        fb_say(&b, "成员%s登记的是15位旧身份证号，已按规则升级为18位（%s）", m->name, masked);
        int rc = fb_end(&b, out);
        if (rc < 0)
            return rc;
    }
    return XC_OK;
}

static int id_not_found(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    FOR_MEMBERS(ctx, h, p) {
        const xc_person *m = xc_archive_person(ctx->archive, p);
        size_t n;
        if (!m->key || xc_facts_find(ctx->facts, XC_DS_HUKOU, m->key, &n))
            continue;
        flag_builder b;
        char masked[32];
        xc_archive_masked_id(ctx->archive, p, masked);
        fb_begin(&b, ctx, &xc_rule_id_not_found, h, p, XC_CAT_DATA_QUALITY, XC_NO_DATE,
                 XC_NO_DATE);
        fb_say(&b, "成员%s（%s）在户籍数据中查无此身份证号", m->name, masked);
        int rc = fb_end(&b, out);
        if (rc < 0)
            return rc;
    }
    return XC_OK;
}

/* Names compared after trimming, full-width -> half-width, dropping blanks
 * and unifying the middle dots of transliterated names. */
static void name_key(const char *s, char *out, size_t outsz)
{
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && o + 4 < outsz) {
        unsigned c = *p;
        if (c == ' ' || c == '\t') {
            p++;
            continue;
        }
        if (c == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {          /* U+3000 */
            p += 3;
            continue;
        }
        if (c == 0xEF && (p[1] == 0xBC || p[1] == 0xBD) && p[2]) { /* U+FF01-FF5E */
            unsigned cp = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                out[o++] = (char)(cp - 0xFEE0);
                p += 3;
                continue;
            }
        }
        bool dot = c == '.' ||
                   (c == 0xC2 && p[1] == 0xB7) ||                           /* · */
                   (c == 0xE2 && p[1] == 0x80 && (p[2] == 0xA2 || p[2] == 0xA7)) || /* • ‧ */
                   (c == 0xE2 && p[1] == 0x88 && p[2] == 0x99) ||           /* ∙ */
                   (c == 0xE3 && p[1] == 0x83 && p[2] == 0xBB) ||           /* ・ */
                   (c == 0xEF && p[1] == 0xBD && p[2] == 0xA5);             /* ･ */
        if (dot) {
            out[o++] = '.';
            p += c == '.' ? 1 : c == 0xC2 ? 2 : 3;
            continue;
        }
        out[o++] = (char)*p++;
    }
    out[o] = '\0';
}

static int id_name_mismatch(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    FOR_MEMBERS(ctx, h, p) {
        const xc_person *m = xc_archive_person(ctx->archive, p);
        size_t n;
        const xc_fact_hukou *hk = m->key && m->name[0]
            ? xc_facts_find(ctx->facts, XC_DS_HUKOU, m->key, &n) : NULL;
        if (!hk)
            continue;
        char mine[256], theirs[256];
        name_key(m->name, mine, sizeof mine);
        const xc_fact_hukou *other = NULL;
        bool same = false;
        for (size_t i = 0; i < n; i++) {
            if (!hk[i].name)
                continue;
            name_key(hk[i].name, theirs, sizeof theirs);
            if (strcmp(mine, theirs) == 0)
                same = true;
            else if (!other)
                other = &hk[i];
        }
        if (same || !other)
            continue;
        flag_builder b;
        char masked[32];
        xc_archive_masked_id(ctx->archive, p, masked);
        fb_begin(&b, ctx, &xc_rule_id_name_mismatch, h, p, XC_CAT_DATA_QUALITY, XC_NO_DATE,
                 XC_NO_DATE);
        fb_say(&b, "档案姓名“%s”与户籍姓名“%s”不符（%s），身份证号可能录错", m->name,
               other->name, masked);
        for (size_t i = 0; i < n; i++)
            fb_row(&b, XC_DS_HUKOU, &hk[i]);
        int rc = fb_end(&b, out);
        if (rc < 0)
            return rc;
    }
    return XC_OK;
}

/* DUP-PERSON is decided once per ID number, over the persons sharing it
 * whose households are in the archive: each of them is flagged with the
 * households enrolled before its own (ties: the smaller archive number
 * first), the first MAX_OTHERS of those in member-file order. Taken in
 * order of enrollment, the households before a person's are the ones
 * already taken, so one sort and one walk decide a whole group, where
 * comparing each pair would take the square of its size. */
enum { MAX_OTHERS = 16 };

typedef struct dup_hit {
    uint32_t person;
    uint32_t at, n;                 /* its households: others[at .. at + n) */
} dup_hit;

typedef struct dup_state {
    dup_hit *hits;                  /* the persons flagged, sorted by person */
    size_t n_hits, cap_hits;
    uint32_t *others;
    size_t n_others, cap_others;
} dup_state;

/* A person of a group: its household, and where it comes in the group in
 * member-file order. */
typedef struct dup_member {
    xc_date enrolled_on;
    const char *archive_no;
    uint32_t person, household, pos;
} dup_member;

/* Earlier enrollment first; on the same day, the smaller archive number. */
static int cmp_enrolled(const void *x, const void *y)
{
    const dup_member *a = x, *b = y;
    if (a->enrolled_on != b->enrolled_on)
        return a->enrolled_on < b->enrolled_on ? -1 : 1;
    return strcmp(a->archive_no, b->archive_no);
}

static int cmp_hit(const void *x, const void *y)
{
    const dup_hit *a = x, *b = y;
    return (a->person > b->person) - (a->person < b->person);
}

static void dup_release(void *state)
{
    dup_state *st = state;
    if (!st)
        return;
    free(st->hits);
    free(st->others);
    free(st);
}

/* v with room for `need` elements of `size` bytes (*cap of them), or NULL
 * (v left as it was) when there is no memory. */
static void *room_for(void *v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return v;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *t = realloc(v, c * size);
    if (t)
        *cap = c;
    return t;
}

/* Decides one group: m[0..n), the persons sharing an ID number whose
 * households are in the archive. */
static int dup_group(dup_state *st, dup_member *m, size_t n)
{
    qsort(m, n, sizeof *m, cmp_enrolled);
    dup_member *first[MAX_OTHERS];  /* enrolled before: the first by pos */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0) {
            dup_hit *hits = room_for(st->hits, &st->cap_hits, st->n_hits + 1, sizeof *hits);
            if (hits)
                st->hits = hits;
            uint32_t *others = room_for(st->others, &st->cap_others, st->n_others + k,
                                        sizeof *others);
            if (others)
                st->others = others;
            if (!hits || !others)
                return XC_ENOMEM;
            st->hits[st->n_hits++] = (dup_hit){m[i].person, (uint32_t)st->n_others, (uint32_t)k};
            for (size_t j = 0; j < k; j++)
                st->others[st->n_others++] = first[j]->household;
        }
        size_t at = k;
        while (at > 0 && first[at - 1]->pos > m[i].pos)
            at--;
        if (at == MAX_OTHERS)
            continue;
        if (k < MAX_OTHERS)
            k++;
        memmove(&first[at + 1], &first[at], (k - 1 - at) * sizeof *first);
        first[at] = &m[i];
    }
    return XC_OK;
}

static int dup_prepare(const xc_eval_ctx *ctx, void **ret_state)
{
    const xc_archive *a = ctx->archive;
    size_t n_p = xc_archive_persons(a);
    dup_state *st = calloc(1, sizeof *st);
    bool *not_first = calloc(n_p ? n_p : 1, sizeof *not_first);  /* of its key */
    dup_member *m = NULL;
    size_t cap_m = 0;
    int rc = st && not_first ? XC_OK : XC_ENOMEM;
    for (uint32_t p = 0; p < n_p && rc == XC_OK; p++) {
        uint32_t next = xc_person_next_same(a, xc_archive_person(a, p));
        if (next != XC_NONE)
            not_first[next] = true;
    }
    for (uint32_t p = 0; p < n_p && rc == XC_OK; p++) {
        if (not_first[p] || !xc_archive_person(a, p)->has_next_same)
            continue;                   /* not the first of a key shared */
        size_t n = 0, pos = 0;
        for (uint32_t q = p; q != XC_NONE; q = xc_person_next_same(a, xc_archive_person(a, q)), pos++) {
            uint32_t g = xc_archive_person(a, q)->household;
            const xc_household *gg = xc_archive_household(a, g);
            if (!xc_in_archive(gg, ctx->as_of))
                continue;
            dup_member *mm = room_for(m, &cap_m, n + 1, sizeof *m);
            if (!mm) {
                rc = XC_ENOMEM;
                break;
            }
            m = mm;
            m[n++] = (dup_member){gg->enrolled_on, gg->archive_no, q, g, (uint32_t)pos};
        }
        if (rc == XC_OK && n > 1)
            rc = dup_group(st, m, n);
    }
    free(m);
    free(not_first);
    if (rc < 0) {
        dup_release(st);
        return rc;
    }
    if (st->n_hits > 1)
        qsort(st->hits, st->n_hits, sizeof *st->hits, cmp_hit);
    *ret_state = st;
    return XC_OK;
}

static int dup_person(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const dup_state *st = ctx->state;
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    if (!st || st->n_hits == 0)
        return XC_OK;
    FOR_MEMBERS(ctx, h, p) {
        const xc_person *m = xc_archive_person(ctx->archive, p);
        dup_hit key = {.person = p};
        const dup_hit *hit = m->key ? bsearch(&key, st->hits, st->n_hits, sizeof key, cmp_hit)
                                    : NULL;
        if (!hit)
            continue;
        flag_builder b;
        char masked[32];
        xc_archive_masked_id(ctx->archive, p, masked);
        fb_begin(&b, ctx, &xc_rule_dup_person, h, p, XC_CAT_MIS_ENROLLMENT, hh->enrolled_on,
                 XC_NO_DATE);
        fb_say(&b, "成员%s（%s）已在档于", m->name, masked);
        for (uint32_t i = 0; i < hit->n; i++) {
            uint32_t g = st->others[hit->at + i];
            const xc_household *gg = xc_archive_household(ctx->archive, g);
            fb_say(&b, "%s%s（%s建档）", i ? "、" : "", gg->archive_no, fb_date(gg->enrolled_on));
            fb_household_row(&b, g);
        }
        fb_say(&b, "，本户%s建档在后，违反一户一档", fb_date(hh->enrolled_on));
        int rc = fb_end(&b, out);
        if (rc < 0)
            return rc;
    }
    return XC_OK;
}

const xc_family xc_family_identity = {
    .abi = XC_RULE_ABI,
    .name = "identity",
    .rules = (const xc_rule *const[]){&xc_rule_id_invalid, &xc_rule_id_legacy, &xc_rule_id_not_found, &xc_rule_id_name_mismatch, &xc_rule_dup_person, NULL},
};
