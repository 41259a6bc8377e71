/* test_schema.c - the tables made from schema.def hold together: the
 * generated enums index the tables, every coded value has a Chinese label,
 * names are unique, and every dataset's link field is a field of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "xcheck/schema.h"

/* What schema.def declares, with the enum constants the header made of it. */
typedef struct {
    xc_ds_id ds;
    int index;
    const char *name;
} declared_field;

typedef struct {
    xc_ds_id ds;
    int field;
    int index;
    const char *value;
    const char *label_zh;
} declared_value;

static const declared_field declared_fields[] = {
#define XC_FIELD(P, F, n, t, fl, nb) {XC_DS_COUNT, XC_##P##_##F, n},
#define XC_CODED(P, F, n, t, fl) {XC_DS_COUNT, XC_##P##_##F, n},
#define XC_DATASET(ID, P, n, zh, sd, req, lk, lf, snap) {XC_DS_##ID, -1, NULL},
#include "xcheck/schema.def"
};

static const declared_value declared_values[] = {
#define XC_DATASET(ID, P, n, zh, sd, req, lk, lf, snap) {XC_DS_##ID, -1, -1, NULL, NULL},
#define XC_CODED(P, F, n, t, fl) {XC_DS_COUNT, XC_##P##_##F, -1, NULL, NULL},
#define XC_VALUE(P, F, V, v, zh) {XC_DS_COUNT, -1, XC_##P##_##F##_##V, v, zh},
#include "xcheck/schema.def"
};

enum {
    N_DECLARED_FIELDS = sizeof declared_fields / sizeof declared_fields[0],
    N_DECLARED_VALUES = sizeof declared_values / sizeof declared_values[0]
};

/* True when s holds a byte outside ASCII: Chinese text, not a code. */
static bool has_non_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return true;
    return false;
}

static void test_schema_field_enums_index_the_field_tables(void **state)
{
    (void)state;
    xc_ds_id ds = XC_DS_COUNT;
    int next = 0, seen_datasets = 0;
    for (int i = 0; i < N_DECLARED_FIELDS; i++) {
        const declared_field *d = &declared_fields[i];
        if (d->ds != XC_DS_COUNT) {     /* a dataset opens */
            assert_int_equal(d->ds, seen_datasets++);
            if (ds != XC_DS_COUNT)
                assert_int_equal(next, xc_dataset(ds)->n_fields);
            ds = d->ds;
            next = 0;
            continue;
        }
        assert_int_equal(d->index, next++);
        assert_true(d->index < xc_dataset(ds)->n_fields);
        assert_string_equal(xc_dataset(ds)->fields[d->index].name, d->name);
    }
    assert_int_equal(next, xc_dataset(ds)->n_fields);
    assert_int_equal(seen_datasets, XC_DS_COUNT);
    for (int d = 0; d < XC_DS_COUNT; d++) {
        assert_int_equal(xc_dataset(d)->id, d);
        assert_true(xc_dataset(d)->n_fields <= XC_MAX_FIELDS);
    }
    /* Names other code is written against. */
    assert_string_equal(xc_dataset(XC_DS_PROPERTY)->fields[XC_PR_USAGE].name, "usage");
    assert_string_equal(xc_dataset(XC_DS_HUKOU)->fields[XC_HK_STATUS_ON].name, "status_on");
}

static void test_schema_value_enums_index_the_values(void **state)
{
    (void)state;
    xc_ds_id ds = XC_DS_COUNT;
    int field = -1, next = 0;
    for (int i = 0; i < N_DECLARED_VALUES; i++) {
        const declared_value *d = &declared_values[i];
        if (d->ds != XC_DS_COUNT) {
            ds = d->ds;
            continue;
        }
        if (d->field >= 0) {            /* a coded field opens */
            field = d->field;
            next = 0;
            continue;
        }
        const xc_field_def *f = &xc_dataset(ds)->fields[field];
        assert_true(f->type == XC_F_ENUM || f->type == XC_F_ENUMLIST);
        assert_int_equal(d->index, next++);
        assert_string_equal(f->values[d->index], d->value);
        assert_int_equal(xc_field_value(f, d->value, strlen(d->value)), d->index);
        assert_string_equal(xc_value_label_zh(ds, field, d->index), d->label_zh);
    }
    assert_int_equal(XC_HK_STATUS_DECEASED, 1);
    assert_int_equal(XC_HH_STATUS_COUNT, 4);
    assert_string_equal(xc_value_label_zh(XC_DS_HUKOU, XC_HK_STATUS, XC_HK_STATUS_DECEASED), "死亡");
}

static void test_schema_every_coded_value_has_a_chinese_label(void **state)
{
    (void)state;
    for (int d = 0; d < XC_DS_COUNT; d++) {
        const xc_dataset_def *ds = xc_dataset(d);
        for (int i = 0; i < ds->n_fields; i++) {
            const xc_field_def *f = &ds->fields[i];
            bool coded = f->type == XC_F_ENUM || f->type == XC_F_ENUMLIST;
            assert_int_equal(coded, f->values != NULL);
            assert_int_equal(coded, f->labels_zh != NULL);
            if (!coded) {
                assert_null(xc_value_label_zh(d, i, 0));
                continue;
            }
            int n = 0;
            for (; f->values[n]; n++) {
                assert_non_null(f->labels_zh[n]);
                assert_true(has_non_ascii(f->labels_zh[n]));
                for (int k = 0; k < n; k++)
                    assert_string_not_equal(f->labels_zh[k], f->labels_zh[n]);
            }
            assert_null(f->labels_zh[n]);
            /* An ENUMLIST's values are bits of a 32-bit set, an ENUM's
             * index fits the facts' uint8_t. */
            assert_true(n >= 1 && n <= (f->type == XC_F_ENUMLIST ? 32 : 255));
            assert_null(xc_value_label_zh(d, i, n));
            assert_null(xc_value_label_zh(d, i, -1));
        }
        assert_null(xc_value_label_zh(d, -1, 0));
        assert_null(xc_value_label_zh(d, ds->n_fields, 0));
    }
    assert_null(xc_value_label_zh(XC_DS_COUNT, 0, 0));
}

static void test_schema_names_are_unique(void **state)
{
    (void)state;
    for (int d = 0; d < XC_DS_COUNT; d++) {
        const xc_dataset_def *ds = xc_dataset(d);
        assert_ptr_equal(xc_dataset_by_name(ds->name), ds);
        assert_true(has_non_ascii(ds->label_zh));
        for (int e = 0; e < d; e++) {
            assert_string_not_equal(xc_dataset(e)->name, ds->name);
            assert_string_not_equal(xc_dataset(e)->label_zh, ds->label_zh);
        }
        for (int i = 0; i < ds->n_fields; i++) {
            const xc_field_def *f = &ds->fields[i];
            assert_int_equal(xc_dataset_field(ds, f->name), i);
            for (int k = 0; f->values && f->values[k]; k++)
                for (int j = 0; j < k; j++)
                    assert_string_not_equal(f->values[j], f->values[k]);
        }
    }
    assert_null(xc_dataset_by_name("nonesuch"));
}

static void test_schema_link_fields_and_date_bounds_exist(void **state)
{
    (void)state;
    for (int d = 0; d < XC_DS_COUNT; d++) {
        const xc_dataset_def *ds = xc_dataset(d);
        if (ds->link == XC_LINK_NONE) {
            assert_int_equal(ds->link_field, -1);
        } else {
            assert_in_range(ds->link_field, 0, ds->n_fields - 1);
            const xc_field_def *f = &ds->fields[ds->link_field];
            assert_false(f->optional);
            /* a disposition names a household, or else a person outside
             * the archive (record.c rejects a row with neither) */
            if (d != XC_DS_DISPOSITION)
                assert_false(f->nullable);
            switch (ds->link) {
            case XC_LINK_ID: assert_int_equal(f->type, XC_F_ID); break;
            case XC_LINK_ARCHIVE_NO: assert_string_equal(f->name, "archive_no"); break;
            case XC_LINK_REGION: assert_int_equal(f->type, XC_F_REGION); break;
            case XC_LINK_NONE: break;
            }
        }
        for (int i = 0; i < ds->n_fields; i++) {
            const xc_field_def *f = &ds->fields[i];
            if (!f->not_before)
                continue;
            int b = xc_dataset_field(ds, f->not_before);
            assert_true(b >= 0 && b != i);
            assert_int_equal(ds->fields[b].type, XC_F_DATE);
        }
    }
    assert_int_equal(xc_dataset(XC_DS_HOUSEHOLD)->link, XC_LINK_NONE);
    assert_int_equal(xc_dataset(XC_DS_MEMBER)->link_field, XC_MB_ARCHIVE_NO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_field_enums_index_the_field_tables),
        cmocka_unit_test(test_schema_value_enums_index_the_values),
        cmocka_unit_test(test_schema_every_coded_value_has_a_chinese_label),
        cmocka_unit_test(test_schema_names_are_unique),
        cmocka_unit_test(test_schema_link_fields_and_date_bounds_exist),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
