/*
 * schema.h - the logical datasets of the data contract and their fields.
 *
 * The engine knows datasets and fields only by these logical names; the run
 * configuration binds each to a physical file or table and its columns.
 * Datasets, fields and coded values are declared once, in schema.def: the
 * enums below and the tables behind xc_dataset() are made from it.
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
    const char *const *labels_zh;  /* ENUM/ENUMLIST: each value's Chinese
                                      label, in the order of `values` */
    bool short_region;           /* REGION: 2 and 4 digits allowed too */
    bool nonneg;                 /* MONEY, NUMBER: cannot be negative: no
                                    minus sign at all, not even on zero */
    bool not_after_as_of;        /* DATE, MONTH: records something that has
                                    happened, so cannot be later than the
                                    latest day the data can know (record.h) */
    const char *not_before;      /* DATE: the name of a date field of the
                                    same row this one cannot precede, or NULL */
    bool unread;                 /* read by no rule nor by the engine: kept
                                    when mapped, so may be left unmapped */
} xc_field_def;

/* Properties of a field in schema.def (XC_FIELD's and XC_CODED's flags),
 * the booleans of xc_field_def. */
enum {
    XC_FF_OPTIONAL = 1 << 0,       /* .optional */
    XC_FF_NULLABLE = 1 << 1,       /* .nullable */
    XC_FF_NONNEG = 1 << 2,         /* .nonneg */
    XC_FF_PAST = 1 << 3,           /* .not_after_as_of */
    XC_FF_SHORT_REGION = 1 << 4,   /* .short_region */
    XC_FF_UNREAD = 1 << 5          /* .unread */
};

/* The years a date or month of any field may have: earlier ones are typing
 * errors, later ones placeholders meaning "no end" (9999-12-31). */
#define XC_DATE_MIN_YEAR 1900
#define XC_DATE_MAX_YEAR 2099

typedef enum xc_side {
    XC_SIDE_ARCHIVE,     /* the union's archive: household, member */
    XC_SIDE_PROCESS,     /* the union's optional process data */
    XC_SIDE_REFERENCE    /* other departments' data */
} xc_side;

/* The datasets, in the order of schema.def. */
typedef enum xc_ds_id {
#define XC_DATASET(ID, P, name, label_zh, side, required, link, link_field, snapshot) XC_DS_##ID,
#include "xcheck/schema.def"
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

/* Whether the engine itself reads every field of ds: the archive's, and
 * the register of dispositions (disposition.h). Each field of it that is
 * not optional must then be mapped, whatever rules are evaluated. */
static inline bool xc_dataset_engine_reads(const xc_dataset_def *ds)
{
    return ds->side == XC_SIDE_ARCHIVE || ds->id == XC_DS_DISPOSITION;
}

/* The dataset called name, or NULL. */
const xc_dataset_def *xc_dataset_by_name(const char *name);

/* The index of field `name` in ds, or -1. */
int xc_dataset_field(const xc_dataset_def *ds, const char *name);

/* The index of `value` among a field's logical values, or -1. */
int xc_field_value(const xc_field_def *f, const char *value, size_t len);

/* The Chinese label of value `value` (XC_HK_STATUS_DECEASED, ...) of field
 * `field` (XC_HK_STATUS, ...) of dataset ds ("死亡"): static text. NULL
 * when the field is not coded or has no such value, so that callers say
 * what an unknown value prints as. */
const char *xc_value_label_zh(xc_ds_id ds, int field, int value);

/* The index of each field in its dataset's row: XC_HH_ARCHIVE_NO, ... and
 * XC_HH_N_FIELDS, one enum per dataset. */
#define XC_DATASET(ID, P, name, label_zh, side, required, link, link_field, snapshot) enum {
#define XC_FIELD(P, F, name, type, flags, not_before) XC_##P##_##F,
#define XC_CODED(P, F, name, type, flags) XC_##P##_##F,
#define XC_DATASET_END(ID, P) XC_##P##_N_FIELDS };
#include "xcheck/schema.def"

/* The index of each value of a coded field among the field's values (what
 * an ENUM field's value holds, the bit an ENUMLIST field's value sets):
 * XC_HK_STATUS_DECEASED, ... and XC_HK_STATUS_COUNT, one enum per field. */
#define XC_CODED(P, F, name, type, flags) enum {
#define XC_VALUE(P, F, V, value, label_zh) XC_##P##_##F##_##V,
#define XC_CODED_END(P, F) XC_##P##_##F##_COUNT };
#include "xcheck/schema.def"

#endif
