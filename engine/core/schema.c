/* schema.c - the data contract's logical datasets, as tables. */
#include "xcheck/schema.h"

#include <string.h>
#include <strings.h>

/* Each coded field's logical values and their Chinese labels, NULL-ended:
 * values_HH_LEVEL[], labels_HH_LEVEL[], ... */
#define XC_CODED(P, F, name, type, flags) static const char *const values_##P##_##F[] = {
#define XC_VALUE(P, F, V, v, zh) v,
#define XC_CODED_END(P, F) NULL};
#include "xcheck/schema.def"

#define XC_CODED(P, F, name, type, flags) static const char *const labels_##P##_##F[] = {
#define XC_VALUE(P, F, V, v, zh) zh,
#define XC_CODED_END(P, F) NULL};
#include "xcheck/schema.def"

/* Each dataset's fields, in the order of its field-index enum: fields_HH[],
 * ... */
#define FIELD_FLAGS(flags)                                                  \
    .optional = ((flags) & XC_FF_OPTIONAL) != 0,                            \
    .nullable = ((flags) & XC_FF_NULLABLE) != 0,                            \
    .nonneg = ((flags) & XC_FF_NONNEG) != 0,                                \
    .not_after_as_of = ((flags) & XC_FF_PAST) != 0,                         \
    .short_region = ((flags) & XC_FF_SHORT_REGION) != 0,                    \
    .unread = ((flags) & XC_FF_UNREAD) != 0
#define XC_DATASET(ID, P, name, label_zh, side, required, link, link_field, snapshot) \
    static const xc_field_def fields_##P[] = {
#define XC_FIELD(P, F, n, t, fl, nb)                                        \
    {.name = n, .type = XC_F_##t, FIELD_FLAGS(fl), .not_before = nb},
#define XC_CODED(P, F, n, t, fl)                                            \
    {.name = n, .type = XC_F_##t, FIELD_FLAGS(fl),                          \
     .values = values_##P##_##F, .labels_zh = labels_##P##_##F},
#define XC_DATASET_END(ID, P) };                                            \
    _Static_assert(sizeof fields_##P / sizeof fields_##P[0] == XC_##P##_N_FIELDS, \
                   #ID ": the field table and the field-index enum differ"); \
    _Static_assert(XC_##P##_N_FIELDS <= XC_MAX_FIELDS, #ID ": too many fields");
#include "xcheck/schema.def"
#undef FIELD_FLAGS

static const xc_dataset_def datasets[XC_DS_COUNT] = {
#define XC_DATASET(ID, P, n, zh, sd, req, lk, lf, snap)                      \
    {.id = XC_DS_##ID, .name = n, .label_zh = zh, .side = XC_SIDE_##sd,      \
     .required = req, .link = XC_LINK_##lk, .link_field = lf,                 \
     .n_fields = XC_##P##_N_FIELDS, .fields = fields_##P, .snapshot = snap},
#include "xcheck/schema.def"
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

const char *xc_value_label_zh(xc_ds_id ds, int field, int value)
{
    if ((unsigned)ds >= XC_DS_COUNT || field < 0 || field >= datasets[ds].n_fields)
        return NULL;
    const xc_field_def *f = &datasets[ds].fields[field];
    if (!f->labels_zh || value < 0)
        return NULL;
    for (int i = 0; f->labels_zh[i]; i++)
        if (i == value)
            return f->labels_zh[i];
    return NULL;
}
