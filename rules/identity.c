/*
 * identity.c - data quality of the archive's ID numbers, and one person in
 * two households: ID-INVALID, ID-LEGACY, ID-NOT-FOUND, ID-NAME-MISMATCH,
 * DUP-PERSON.
 */
#include <string.h>

#include "flag.h"
#include "xcheck/evaluate.h"

static const char *reason_zh(xc_id_error e)
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

static int id_invalid(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int id_legacy(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int id_not_found(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int id_name_mismatch(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);
static int dup_person(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out);

const xc_rule xc_rule_id_invalid = {
    XC_RULE_ABI, "ID-INVALID", "identity", XC_CAT_DATA_QUALITY, false,
    XC_SCOPE_ARCHIVED_OR_EXITED, 0, "档案身份证号无效", "archive ID number invalid",
    id_invalid, NULL, NULL, NULL, NULL};
const xc_rule xc_rule_id_legacy = {
    XC_RULE_ABI, "ID-LEGACY", "identity", XC_CAT_DATA_QUALITY, false,
    XC_SCOPE_ARCHIVED_OR_EXITED, 0, "15位旧身份证号已升级", "15-digit ID upgraded",
    id_legacy, NULL, NULL, NULL, NULL};
const xc_rule xc_rule_id_not_found = {
    XC_RULE_ABI, "ID-NOT-FOUND", "identity", XC_CAT_DATA_QUALITY, false,
    XC_SCOPE_ARCHIVED_OR_EXITED, XC_NEEDS(XC_DS_HUKOU), "户籍中查无此人",
    "no household registration", id_not_found, NULL, NULL, NULL, NULL};
const xc_rule xc_rule_id_name_mismatch = {
    XC_RULE_ABI, "ID-NAME-MISMATCH", "identity", XC_CAT_DATA_QUALITY, false,
    XC_SCOPE_ARCHIVED_OR_EXITED, XC_NEEDS(XC_DS_HUKOU), "身份证号与户籍姓名不符",
    "name differs from household registration", id_name_mismatch, NULL, NULL, NULL, NULL};
const xc_rule xc_rule_dup_person = {
    XC_RULE_ABI, "DUP-PERSON", "identity", XC_CAT_MIS_ENROLLMENT, false,
    XC_SCOPE_IN_ARCHIVE, 0, "一人在两户档案中", "person in two archived households",
    dup_person, NULL, NULL, NULL, NULL};

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
               reason_zh((xc_id_error)m->id_error), m->line);
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

/* Which of two households enrolled later (ties: the later archive number). */
static bool later(const xc_household *a, const xc_household *b)
{
    if (a->enrolled_on != b->enrolled_on)
        return a->enrolled_on > b->enrolled_on;
    return strcmp(a->archive_no, b->archive_no) > 0;
}

static int dup_person(const xc_eval_ctx *ctx, uint32_t h, xc_flags *out)
{
    const xc_household *hh = xc_archive_household(ctx->archive, h);
    FOR_MEMBERS(ctx, h, p) {
        const xc_person *m = xc_archive_person(ctx->archive, p);
        if (!m->key)
            continue;
        uint32_t others[16];
        int n = 0;
        for (uint32_t q = xc_archive_find_person(ctx->archive, m->key); q != XC_NONE;
             q = xc_archive_person(ctx->archive, q)->next_same) {
            uint32_t g = xc_archive_person(ctx->archive, q)->household;
            const xc_household *gg = xc_archive_household(ctx->archive, g);
            if (g != h && xc_in_archive(gg, ctx->as_of) && later(hh, gg) && n < 16)
                others[n++] = g;
        }
        if (n == 0)
            continue;
        flag_builder b;
        char masked[32];
        xc_archive_masked_id(ctx->archive, p, masked);
        fb_begin(&b, ctx, &xc_rule_dup_person, h, p, XC_CAT_MIS_ENROLLMENT, hh->enrolled_on,
                 XC_NO_DATE);
        fb_say(&b, "成员%s（%s）已在档于", m->name, masked);
        for (int i = 0; i < n; i++) {
            const xc_household *gg = xc_archive_household(ctx->archive, others[i]);
            fb_say(&b, "%s%s（%s建档）", i ? "、" : "", gg->archive_no, fb_date(gg->enrolled_on));
            fb_household_row(&b, others[i]);
        }
        fb_say(&b, "，本户%s建档在后，违反一户一档", fb_date(hh->enrolled_on));
        int rc = fb_end(&b, out);
        if (rc < 0)
            return rc;
    }
    return XC_OK;
}
