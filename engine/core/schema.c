/* schema.c - the data contract's logical datasets, as tables. */
#include "xcheck/schema.h"

#include <string.h>
#include <strings.h>

#define VALUES(...) ((const char *const[]){__VA_ARGS__, NULL})
#define FIELDS(...) ((const xc_field_def[]){__VA_ARGS__})
#define COUNT(...) ((int)(sizeof((const xc_field_def[]){__VA_ARGS__}) / sizeof(xc_field_def)))
#define DS(...) .n_fields = COUNT(__VA_ARGS__), .fields = FIELDS(__VA_ARGS__)

/* Field shorthands: name, type, then optional (unmappable) / nullable. */
#define F(n, t)        {.name = n, .type = t}
#define FN(n, t)       {.name = n, .type = t, .nullable = true}
#define FO(n, t)       {.name = n, .type = t, .optional = true, .nullable = true}
#define FE(n, ...)     {.name = n, .type = XC_F_ENUM, .values = VALUES(__VA_ARGS__)}
/* A date of something that has happened (not after the latest day the data
 * can know), required or nullable; ND: nullable and not before date field b. */
#define FP(n)          {.name = n, .type = XC_F_DATE, .not_after_as_of = true}
#define FNP(n)         {.name = n, .type = XC_F_DATE, .nullable = true, \
                        .not_after_as_of = true}
#define FND(n, b)      {.name = n, .type = XC_F_DATE, .nullable = true, \
                        .not_after_as_of = true, .not_before = b}
/* Money or a number that cannot be negative: required, nullable, optional. */
#define FU(n, t)       {.name = n, .type = t, .nonneg = true}
#define FNU(n, t)      {.name = n, .type = t, .nullable = true, .nonneg = true}
#define FOU(n, t)      {.name = n, .type = t, .optional = true, .nullable = true, \
                        .nonneg = true}

static const xc_dataset_def datasets[XC_DS_COUNT] = {
    {XC_DS_HOUSEHOLD, "household", "困难职工档案", XC_SIDE_ARCHIVE, true,
     XC_LINK_NONE, -1,
     DS(F("archive_no", XC_F_TEXT), F("worker_id", XC_F_ID),
        FN("worker_name", XC_F_TEXT), F("region_code", XC_F_REGION),
        FE("level", "national", "provincial", "local"),
        FE("status", "active", "relieved", "exited", "cancelled"),
        FP("enrolled_on"), FND("exited_on", "enrolled_on"),
        {.name = "hardship_cause", .type = XC_F_ENUMLIST, .nullable = true,
         .values = VALUES("illness", "disability", "education", "unemployment",
                          "housing", "accident", "other")},
        FO("cadre_id", XC_F_TEXT))},
    {XC_DS_MEMBER, "member", "家庭成员", XC_SIDE_ARCHIVE, true,
     XC_LINK_ARCHIVE_NO, XC_MB_ARCHIVE_NO,
     DS(F("archive_no", XC_F_TEXT), F("id_no", XC_F_ID), FN("name", XC_F_TEXT),
        FE("relation", "self", "spouse", "child", "parent", "other"))},
    {XC_DS_CONTACT, "contact", "走访联系记录", XC_SIDE_PROCESS, false,
     XC_LINK_ARCHIVE_NO, XC_CT_ARCHIVE_NO,
     DS(F("archive_no", XC_F_TEXT), FP("contact_date"),
        FE("kind", "home_visit", "phone"), FN("cadre_id", XC_F_TEXT))},
    {XC_DS_PAYMENT, "payment", "帮扶资金发放", XC_SIDE_PROCESS, false,
     XC_LINK_ID, XC_PM_ID_NO,
     DS(F("id_no", XC_F_ID), FP("paid_on"),
        FE("program", "living", "medical", "education", "warmth", "other"),
        FU("amount", XC_F_MONEY),
        FE("channel", "social_security_card", "bank", "cash"),
        FNU("personal_burden", XC_F_MONEY))},
    {XC_DS_EXIT_RECORD, "exit_record", "退档程序记录", XC_SIDE_PROCESS, false,
     XC_LINK_ARCHIVE_NO, XC_EX_ARCHIVE_NO,
     DS(F("archive_no", XC_F_TEXT), FNP("applied_on"),
        FN("publicity_from", XC_F_DATE), FN("publicity_to", XC_F_DATE),
        FNP("approved_on"), FNP("notified_on"))},
    {XC_DS_FOLLOWUP, "followup", "退档后跟踪", XC_SIDE_PROCESS, false,
     XC_LINK_ARCHIVE_NO, XC_FU_ARCHIVE_NO,
     DS(F("archive_no", XC_F_TEXT), FP("followup_on"))},
    {XC_DS_CANDIDATE, "candidate", "疑似漏评名单", XC_SIDE_PROCESS, false,
     XC_LINK_ID, XC_CD_ID_NO,
     DS(F("id_no", XC_F_ID), FN("name", XC_F_TEXT), F("source", XC_F_TEXT),
        F("region_code", XC_F_REGION))},
    {XC_DS_HUKOU, "hukou", "户籍", XC_SIDE_REFERENCE, false,
     XC_LINK_ID, XC_HK_ID_NO,
     DS(F("id_no", XC_F_ID), FN("name", XC_F_TEXT), FN("region_code", XC_F_REGION),
        FE("status", "normal", "deceased", "moved_out", "cancelled"),
        FNP("status_on")), .snapshot = true},
    {XC_DS_SOCIAL_INSURANCE, "social_insurance", "社保", XC_SIDE_REFERENCE, false,
     XC_LINK_ID, XC_SI_ID_NO,
     DS(F("id_no", XC_F_ID), F("month", XC_F_MONTH),
        FE("kind", "contribution", "pension", "unemployment_benefit"),
        FO("employer", XC_F_TEXT), FU("amount", XC_F_MONEY))},
    {XC_DS_PROPERTY, "property", "房产", XC_SIDE_REFERENCE, false,
     XC_LINK_ID, XC_PR_ID_NO,
     DS(F("id_no", XC_F_ID), FN("cert_no", XC_F_TEXT),
        FE("usage", "residential", "commercial", "industrial", "other"),
        FNU("area_m2", XC_F_NUMBER), FN("region_code", XC_F_REGION),
        FP("registered_on"), FND("cancelled_on", "registered_on")), .snapshot = true},
    {XC_DS_VEHICLE, "vehicle", "车辆", XC_SIDE_REFERENCE, false,
     XC_LINK_ID, XC_VH_ID_NO,
     DS(F("id_no", XC_F_ID), FN("plate", XC_F_TEXT),
        FE("kind", "car", "truck", "motorcycle", "low_speed", "other"),
        FP("registered_on"), FND("deregistered_on", "registered_on"),
        FOU("price", XC_F_MONEY)), .snapshot = true},
    {XC_DS_BUSINESS, "business", "工商登记", XC_SIDE_REFERENCE, false,
     XC_LINK_ID, XC_BZ_ID_NO,
     DS(F("id_no", XC_F_ID), FN("credit_code", XC_F_TEXT),
        FE("role", "legal_rep", "shareholder", "executive"),
        FNU("registered_capital", XC_F_MONEY),
        FE("status", "active", "revoked", "cancelled"),
        FNP("established_on"), FND("closed_on", "established_on")), .snapshot = true},
    {XC_DS_DIBAO_STANDARD, "dibao_standard", "低保标准", XC_SIDE_REFERENCE, false,
     XC_LINK_REGION, XC_DB_REGION_CODE,
     DS({.name = "region_code", .type = XC_F_REGION, .short_region = true},
        F("effective_from", XC_F_DATE), FU("monthly_amount", XC_F_MONEY))},
};

const xc_dataset_def *xc_dataset(xc_ds_id id)
{
    return &datasets[id];
}

const xc_dataset_def *xc_dataset_by_name(const char *name)
{
    for (int i = 0; i < XC_DS_COUNT; i++)
        if (strcmp(datasets[i].name, name) == 0)
            return &datasets[i];
    return NULL;
}

int xc_dataset_field(const xc_dataset_def *ds, const char *name)
{
    for (int i = 0; i < ds->n_fields; i++)
        if (strcmp(ds->fields[i].name, name) == 0)
            return i;
    return -1;
}

int xc_field_value(const xc_field_def *f, const char *value, size_t len)
{
    if (!f->values)
        return -1;
    for (int i = 0; f->values[i]; i++)
        if (strlen(f->values[i]) == len && strncasecmp(f->values[i], value, len) == 0)
            return i;
    return -1;
}
