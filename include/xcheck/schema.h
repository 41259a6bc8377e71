/*
 * schema.h - the logical datasets of the data contract and their fields.
 *
 * The engine knows datasets and fields only by these logical names; the run
 * configuration binds each to a physical file or table and its columns. The
 * field-index enums below are the order of each dataset's fields.
 */
#ifndef XCHECK_SCHEMA_H
#define XCHECK_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#define XC_MAX_FIELDS 12

typedef enum xc_ftype {
    XC_F_TEXT,      /* UTF-8 text, trimmed */
    XC_F_ID,        /* resident ID number (idno.h) */
    XC_F_DATE,      /* a day; format per field, default YYYY-MM-DD */
    XC_F_MONTH,     /* a month; format per field, default YYYY-MM */
    XC_F_MONEY,     /* yuan with at most two decimals, kept in fen, at most
                       one trillion yuan (XC_MONEY_MAX_FEN) either way */
    XC_F_NUMBER,    /* a decimal number, at most 15 digits */
    XC_F_ENUM,      /* one of the field's logical values (value maps apply) */
    XC_F_ENUMLIST,  /* several of them, separated by ; , | 、 or ； */
    XC_F_REGION     /* GB/T 2260 code: 6 digits (or 2/4/6 where allowed) */
} xc_ftype;

typedef struct xc_field_def {
    const char *name;
    xc_ftype type;
    bool optional;               /* may be left unmapped */
    bool nullable;               /* may be empty in a row */
    const char *const *values;   /* ENUM/ENUMLIST: logical values, NULL-ended */
    bool short_region;           /* REGION: 2 and 4 digits allowed too */
    bool nonneg;                 /* MONEY, NUMBER: cannot be negative: no
                                    minus sign at all, not even on zero */
    bool not_after_as_of;        /* DATE, MONTH: records something that has
                                    happened, so cannot be later than the
                                    latest day the data can know (record.h) */
    const char *not_before;      /* DATE: the name of a date field of the
                                    same row this one cannot precede, or NULL */
} xc_field_def;

/* The years a date or month of any field may have: earlier ones are typing
 * errors, later ones placeholders meaning "no end" (9999-12-31). */
#define XC_DATE_MIN_YEAR 1900
#define XC_DATE_MAX_YEAR 2099

typedef enum xc_side {
    XC_SIDE_ARCHIVE,     /* the union's archive: household, member */
    XC_SIDE_PROCESS,     /* the union's optional process data */
    XC_SIDE_REFERENCE    /* other departments' data */
} xc_side;

typedef enum xc_ds_id {
    XC_DS_HOUSEHOLD, XC_DS_MEMBER,
    XC_DS_CONTACT, XC_DS_PAYMENT, XC_DS_EXIT_RECORD, XC_DS_FOLLOWUP,
    XC_DS_CANDIDATE,
    XC_DS_HUKOU, XC_DS_SOCIAL_INSURANCE, XC_DS_PROPERTY, XC_DS_VEHICLE,
    XC_DS_BUSINESS, XC_DS_DIBAO_STANDARD,
    XC_DS_COUNT
} xc_ds_id;

/* How a dataset's rows link to the archive, for row accounting. */
typedef enum xc_link {
    XC_LINK_NONE,        /* the archive's own households */
    XC_LINK_ID,          /* by the id_no field, through the ID table */
    XC_LINK_ARCHIVE_NO,  /* by archive_no, to a household */
    XC_LINK_REGION       /* by region prefix, to some household's region */
} xc_link;

typedef struct xc_dataset_def {
    xc_ds_id id;
    const char *name;          /* logical name: the config section */
    const char *label_zh;      /* Chinese name for people */
    xc_side side;
    bool required;             /* a run needs it */
    xc_link link;
    int link_field;            /* field used by `link`, -1 for NONE */
    int n_fields;
    const xc_field_def *fields;
    bool snapshot;             /* a state as of the day it was exported
                                  (registrations, assets): judging as_of
                                  after that day is a warning */
} xc_dataset_def;

/* The definition of a dataset. */
const xc_dataset_def *xc_dataset(xc_ds_id id);

/* The dataset called name, or NULL. */
const xc_dataset_def *xc_dataset_by_name(const char *name);

/* The index of field `name` in ds, or -1. */
int xc_dataset_field(const xc_dataset_def *ds, const char *name);

/* The index of `value` among a field's logical values, or -1. */
int xc_field_value(const xc_field_def *f, const char *value, size_t len);

enum { XC_HH_ARCHIVE_NO, XC_HH_WORKER_ID, XC_HH_WORKER_NAME, XC_HH_REGION_CODE,
       XC_HH_LEVEL, XC_HH_STATUS, XC_HH_ENROLLED_ON, XC_HH_EXITED_ON,
       XC_HH_HARDSHIP_CAUSE, XC_HH_CADRE_ID };
enum { XC_MB_ARCHIVE_NO, XC_MB_ID_NO, XC_MB_NAME, XC_MB_RELATION };
enum { XC_CT_ARCHIVE_NO, XC_CT_CONTACT_DATE, XC_CT_KIND, XC_CT_CADRE_ID };
enum { XC_PM_ID_NO, XC_PM_PAID_ON, XC_PM_PROGRAM, XC_PM_AMOUNT, XC_PM_CHANNEL,
       XC_PM_PERSONAL_BURDEN };
enum { XC_EX_ARCHIVE_NO, XC_EX_APPLIED_ON, XC_EX_PUBLICITY_FROM,
       XC_EX_PUBLICITY_TO, XC_EX_APPROVED_ON, XC_EX_NOTIFIED_ON };
enum { XC_FU_ARCHIVE_NO, XC_FU_FOLLOWUP_ON };
enum { XC_CD_ID_NO, XC_CD_NAME, XC_CD_SOURCE, XC_CD_REGION_CODE };
enum { XC_HK_ID_NO, XC_HK_NAME, XC_HK_REGION_CODE, XC_HK_STATUS, XC_HK_STATUS_ON };
enum { XC_SI_ID_NO, XC_SI_MONTH, XC_SI_KIND, XC_SI_EMPLOYER, XC_SI_AMOUNT };
enum { XC_PR_ID_NO, XC_PR_CERT_NO, XC_PR_USAGE, XC_PR_AREA_M2, XC_PR_REGION_CODE,
       XC_PR_REGISTERED_ON, XC_PR_CANCELLED_ON };
enum { XC_VH_ID_NO, XC_VH_PLATE, XC_VH_KIND, XC_VH_REGISTERED_ON,
       XC_VH_DEREGISTERED_ON, XC_VH_PRICE };
enum { XC_BZ_ID_NO, XC_BZ_CREDIT_CODE, XC_BZ_ROLE, XC_BZ_REGISTERED_CAPITAL,
       XC_BZ_STATUS, XC_BZ_ESTABLISHED_ON, XC_BZ_CLOSED_ON };
enum { XC_DB_REGION_CODE, XC_DB_EFFECTIVE_FROM, XC_DB_MONTHLY_AMOUNT };

#endif
