/* rulefix.c - an evaluation context built in memory, for rule tests. */
#include "rulefix.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xcheck/calendar.h"
#include "xcheck/schema.h"
#include "xcheck/text.h"

#ifndef XC_RULES_DIR
#error "XC_RULES_DIR must name the rules directory of the source tree"
#endif

/* Checks that a value index of the header matches the schema's. */
static void check_value(xc_ds_id ds, int field, const char *value, int index)
{
    const xc_field_def *fd = &xc_dataset(ds)->fields[field];
    assert_int_equal(xc_field_value(fd, value, strlen(value)), index);
}

int rf_setup(void **state)
{
    rulefix *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->as_of = rf_date(2025, 6, 30);
    xc_err err;
    memset(&err, 0, sizeof err);
    if (xc_profile_load("default", ".", XC_RULES_DIR, &f->profile, &err) != XC_OK)
        fail_msg("cannot load the default profile: %s", err.msg);
    assert_int_equal(xc_archive_new(&f->archive), XC_OK);
    assert_int_equal(xc_facts_new(&f->facts), XC_OK);
    f->configured[XC_DS_HOUSEHOLD] = true;
    f->configured[XC_DS_MEMBER] = true;
    check_value(XC_DS_HOUSEHOLD, XC_HH_STATUS, "active", XC_ST_ACTIVE);
    check_value(XC_DS_HOUSEHOLD, XC_HH_STATUS, "relieved", XC_ST_RELIEVED);
    check_value(XC_DS_HOUSEHOLD, XC_HH_STATUS, "exited", XC_ST_EXITED);
    check_value(XC_DS_HOUSEHOLD, XC_HH_STATUS, "cancelled", XC_ST_CANCELLED);
    check_value(XC_DS_MEMBER, XC_MB_RELATION, "self", RF_SELF);
    check_value(XC_DS_MEMBER, XC_MB_RELATION, "other", RF_OTHER);
    check_value(XC_DS_HUKOU, XC_HK_STATUS, "deceased", RF_HK_DECEASED);
    check_value(XC_DS_HUKOU, XC_HK_STATUS, "moved_out", RF_HK_MOVED_OUT);
    check_value(XC_DS_PROPERTY, XC_PR_USAGE, "residential", RF_PR_RESIDENTIAL);
    check_value(XC_DS_PROPERTY, XC_PR_USAGE, "commercial", RF_PR_COMMERCIAL);
    check_value(XC_DS_PROPERTY, XC_PR_USAGE, "industrial", RF_PR_INDUSTRIAL);
    check_value(XC_DS_VEHICLE, XC_VH_KIND, "car", RF_VH_CAR);
    check_value(XC_DS_VEHICLE, XC_VH_KIND, "motorcycle", RF_VH_MOTORCYCLE);
    check_value(XC_DS_BUSINESS, XC_BZ_ROLE, "legal_rep", RF_BZ_LEGAL_REP);
    check_value(XC_DS_BUSINESS, XC_BZ_ROLE, "executive", RF_BZ_EXECUTIVE);
    check_value(XC_DS_BUSINESS, XC_BZ_STATUS, "active", RF_BZ_ACTIVE);
    check_value(XC_DS_BUSINESS, XC_BZ_STATUS, "revoked", RF_BZ_REVOKED);
    *state = f;
    return 0;
}

int rf_teardown(void **state)
{
    rulefix *f = *state;
    if (!f)
        return 0;
    xc_flags_clear(&f->flags);
    free(f->evidence);
    free(f->results);
    xc_standards_free(f->standards);
    xc_facts_free(f->facts);
    xc_archive_free(f->archive);
    free(f);
    *state = NULL;
    return 0;
}

xc_date rf_date(int y, int m, int d)
{
    assert_true(xc_date_valid(y, m, d));
    return xc_date_from_ymd(y, m, d);
}

xc_month rf_month(int y, int m)
{
    return y * 12 + m - 1;
}

char *rf_id(char out[static 19], uint32_t region, int y, int m, int d, int seq)
{
    snprintf(out, 19, "%06u%04d%02d%02d%03d", (unsigned)region, y, m, d, seq);
    assert_int_equal(strlen(out), 17);
    out[17] = xc_id_check_char(out);
    out[18] = '\0';
    return out;
}

/* Value setters: a text (empty: null), an integer, a date or month. */
static void set_text(xc_value *v, const char *s)
{
    memset(v, 0, sizeof *v);
    v->s = s ? s : "";
    v->len = strlen(v->s);
    v->null = v->len == 0;
}

static void set_int(xc_value *v, int64_t i)
{
    memset(v, 0, sizeof *v);
    v->i = i;
}

static void set_date(xc_value *v, xc_date d)
{
    memset(v, 0, sizeof *v);
    v->null = d == XC_NO_DATE;
    v->s = "";
    if (!v->null)
        v->i = d;
}

static void set_null(xc_value *v)
{
    memset(v, 0, sizeof *v);
    v->null = true;
    v->s = "";
}

/* A record whose every field is null, its ID field parsed from id_text. */
static void new_record(rulefix *f, int id_field, const char *id_text, xc_record *rec)
{
    memset(rec, 0, sizeof *rec);
    for (int i = 0; i < XC_MAX_FIELDS; i++)
        set_null(&rec->v[i]);
    rec->line = ++f->line + 1;           /* as if after a header line */
    rec->id_field = id_field;
    set_text(&rec->v[id_field], id_text);
    xc_id_parse(id_text, strlen(id_text), f->as_of, &rec->id);
}

static void add_household(rulefix *f, const char *archive_no, const char *worker_id,
                          uint32_t region, int status, xc_date enrolled_on, xc_date exited_on,
                          const char *cadre_id)
{
    assert_false(f->ran);
    xc_record rec;
    new_record(f, XC_HH_WORKER_ID, worker_id, &rec);
    set_text(&rec.v[XC_HH_ARCHIVE_NO], archive_no);
    set_int(&rec.v[XC_HH_REGION_CODE], region);
    set_int(&rec.v[XC_HH_LEVEL], 0);
    set_int(&rec.v[XC_HH_STATUS], status);
    set_date(&rec.v[XC_HH_ENROLLED_ON], enrolled_on);
    set_date(&rec.v[XC_HH_EXITED_ON], exited_on);
    if (cadre_id)
        set_text(&rec.v[XC_HH_CADRE_ID], cadre_id);
    long first = 0;
    assert_int_equal(xc_archive_add_household(f->archive, &rec, &first), XC_OK);
}

void rf_household(rulefix *f, const char *archive_no, const char *worker_id, uint32_t region,
                  int status, xc_date enrolled_on, xc_date exited_on)
{
    add_household(f, archive_no, worker_id, region, status, enrolled_on, exited_on, NULL);
}

void rf_household_paired(rulefix *f, const char *archive_no, const char *worker_id,
                         uint32_t region, int status, xc_date enrolled_on, xc_date exited_on,
                         const char *cadre_id)
{
    add_household(f, archive_no, worker_id, region, status, enrolled_on, exited_on, cadre_id);
    rf_bind_cadre(f);
}

void rf_member(rulefix *f, const char *archive_no, const char *id_no, const char *name,
               int relation)
{
    assert_false(f->ran);
    xc_record rec;
    new_record(f, XC_MB_ID_NO, id_no, &rec);
    set_text(&rec.v[XC_MB_ARCHIVE_NO], archive_no);
    set_text(&rec.v[XC_MB_NAME], name);
    set_int(&rec.v[XC_MB_RELATION], relation);
    assert_int_equal(xc_archive_add_member(f->archive, &rec), XC_OK);
}

void rf_configure(rulefix *f, xc_ds_id ds)
{
    f->configured[ds] = true;
}

void rf_bind_cadre(rulefix *f)
{
    f->bound[XC_DS_HOUSEHOLD] |= 1u << XC_HH_CADRE_ID;
}


/* Registers dataset ds's source, once, and marks it configured. */
static void use_dataset(rulefix *f, xc_ds_id ds)
{
    assert_false(f->ran);
    if (!f->has_src[ds]) {
        char where[64];
        snprintf(where, sizeof where, "%s.csv", xc_dataset(ds)->name);
        assert_int_equal(xc_facts_add_source(f->facts, ds, where, &f->src[ds]), XC_OK);
        f->has_src[ds] = true;
    }
    f->configured[ds] = true;
}

/* Adds a reference record of ds. */
static void add_fact(rulefix *f, xc_ds_id ds, const xc_record *rec)
{
    use_dataset(f, ds);
    assert_int_equal(xc_facts_add(f->facts, ds, f->src[ds], rec), XC_OK);
}

/* A reference record keyed by a valid ID number. */
static void ref_record(rulefix *f, int id_field, const char *id_no, xc_record *rec)
{
    new_record(f, id_field, id_no, rec);
    if (rec->id.error != XC_ID_VALID)
        fail_msg("reference ID \"%s\" is invalid: %s", id_no, xc_id_error_str(rec->id.error));
}

void rf_hukou(rulefix *f, const char *id_no, const char *name, uint32_t region, int status,
              xc_date status_on)
{
    xc_record rec;
    ref_record(f, XC_HK_ID_NO, id_no, &rec);
    set_text(&rec.v[XC_HK_NAME], name);
    if (region)
        set_int(&rec.v[XC_HK_REGION_CODE], region);
    set_int(&rec.v[XC_HK_STATUS], status);
    set_date(&rec.v[XC_HK_STATUS_ON], status_on);
    add_fact(f, XC_DS_HUKOU, &rec);
}

void rf_income(rulefix *f, const char *id_no, xc_month month, int64_t fen)
{
    xc_record rec;
    ref_record(f, XC_SI_ID_NO, id_no, &rec);
    set_int(&rec.v[XC_SI_MONTH], month);
    set_int(&rec.v[XC_SI_KIND], 0);
    set_int(&rec.v[XC_SI_AMOUNT], fen);
    add_fact(f, XC_DS_SOCIAL_INSURANCE, &rec);
}

void rf_property(rulefix *f, const char *id_no, const char *cert_no, int usage,
                 xc_date registered_on, xc_date cancelled_on)
{
    xc_record rec;
    ref_record(f, XC_PR_ID_NO, id_no, &rec);
    set_text(&rec.v[XC_PR_CERT_NO], cert_no);
    set_int(&rec.v[XC_PR_USAGE], usage);
    set_date(&rec.v[XC_PR_REGISTERED_ON], registered_on);
    set_date(&rec.v[XC_PR_CANCELLED_ON], cancelled_on);
    add_fact(f, XC_DS_PROPERTY, &rec);
}

void rf_vehicle(rulefix *f, const char *id_no, int kind, xc_date registered_on,
                xc_date deregistered_on, int64_t price)
{
    xc_record rec;
    char plate[16];
    ref_record(f, XC_VH_ID_NO, id_no, &rec);
    snprintf(plate, sizeof plate, "云A%05ld", f->line);
    set_text(&rec.v[XC_VH_PLATE], plate);
    set_int(&rec.v[XC_VH_KIND], kind);
    set_date(&rec.v[XC_VH_REGISTERED_ON], registered_on);
    set_date(&rec.v[XC_VH_DEREGISTERED_ON], deregistered_on);
    if (price >= 0)
        set_int(&rec.v[XC_VH_PRICE], price);
    add_fact(f, XC_DS_VEHICLE, &rec);
}

void rf_business(rulefix *f, const char *id_no, int role, int status, xc_date established_on,
                 xc_date closed_on)
{
    xc_record rec;
    char code[32];
    ref_record(f, XC_BZ_ID_NO, id_no, &rec);
    snprintf(code, sizeof code, "91530102MA%08ld", f->line);
    set_text(&rec.v[XC_BZ_CREDIT_CODE], code);
    set_int(&rec.v[XC_BZ_ROLE], role);
    set_int(&rec.v[XC_BZ_STATUS], status);
    set_date(&rec.v[XC_BZ_ESTABLISHED_ON], established_on);
    set_date(&rec.v[XC_BZ_CLOSED_ON], closed_on);
    add_fact(f, XC_DS_BUSINESS, &rec);
}

/* A process record of the household archive_no, kept under its index + 1. */
static void household_fact(rulefix *f, int no_field, const char *archive_no, xc_record *rec)
{
    memset(rec, 0, sizeof *rec);
    for (int i = 0; i < XC_MAX_FIELDS; i++)
        set_null(&rec->v[i]);
    rec->line = ++f->line + 1;
    rec->id_field = -1;
    set_text(&rec->v[no_field], archive_no);
}

static void add_household_fact(rulefix *f, xc_ds_id ds, const char *archive_no,
                               const xc_record *rec)
{
    uint32_t h = xc_archive_find_household(f->archive, archive_no, strlen(archive_no));
    assert_true(h != XC_NONE);
    use_dataset(f, ds);
    assert_int_equal(xc_facts_add_key(f->facts, ds, f->src[ds], (uint64_t)h + 1, rec), XC_OK);
}

void rf_contact(rulefix *f, const char *archive_no, xc_date date, int kind)
{
    xc_record rec;
    household_fact(f, XC_CT_ARCHIVE_NO, archive_no, &rec);
    set_date(&rec.v[XC_CT_CONTACT_DATE], date);
    set_int(&rec.v[XC_CT_KIND], kind);
    add_household_fact(f, XC_DS_CONTACT, archive_no, &rec);
}

void rf_exit_record(rulefix *f, const char *archive_no, xc_date applied_on,
                    xc_date publicity_from, xc_date publicity_to, xc_date approved_on,
                    xc_date notified_on)
{
    xc_record rec;
    household_fact(f, XC_EX_ARCHIVE_NO, archive_no, &rec);
    set_date(&rec.v[XC_EX_APPLIED_ON], applied_on);
    set_date(&rec.v[XC_EX_PUBLICITY_FROM], publicity_from);
    set_date(&rec.v[XC_EX_PUBLICITY_TO], publicity_to);
    set_date(&rec.v[XC_EX_APPROVED_ON], approved_on);
    set_date(&rec.v[XC_EX_NOTIFIED_ON], notified_on);
    add_household_fact(f, XC_DS_EXIT_RECORD, archive_no, &rec);
}

void rf_followup(rulefix *f, const char *archive_no, xc_date on)
{
    xc_record rec;
    household_fact(f, XC_FU_ARCHIVE_NO, archive_no, &rec);
    set_date(&rec.v[XC_FU_FOLLOWUP_ON], on);
    add_household_fact(f, XC_DS_FOLLOWUP, archive_no, &rec);
}

void rf_payment(rulefix *f, const char *id_no, xc_date paid_on, int program, int64_t fen,
                int channel, int64_t burden)
{
    xc_record rec;
    ref_record(f, XC_PM_ID_NO, id_no, &rec);
    set_date(&rec.v[XC_PM_PAID_ON], paid_on);
    set_int(&rec.v[XC_PM_PROGRAM], program);
    set_int(&rec.v[XC_PM_AMOUNT], fen);
    set_int(&rec.v[XC_PM_CHANNEL], channel);
    if (burden >= 0)
        set_int(&rec.v[XC_PM_PERSONAL_BURDEN], burden);
    add_fact(f, XC_DS_PAYMENT, &rec);
}

void rf_candidate(rulefix *f, const char *id_no, const char *name, const char *source,
                  uint32_t region)
{
    xc_record rec;
    ref_record(f, XC_CD_ID_NO, id_no, &rec);
    set_text(&rec.v[XC_CD_NAME], name);
    set_text(&rec.v[XC_CD_SOURCE], source);
    set_int(&rec.v[XC_CD_REGION_CODE], region);
    add_fact(f, XC_DS_CANDIDATE, &rec);
}

void rf_standard(rulefix *f, const char *region_code, xc_date effective_from, int64_t fen)
{
    size_t len = strlen(region_code);
    assert_true(len == 2 || len == 4 || len == 6);
    xc_record rec;
    memset(&rec, 0, sizeof rec);
    for (int i = 0; i < XC_MAX_FIELDS; i++)
        set_null(&rec.v[i]);
    rec.line = ++f->line + 1;
    rec.id_field = -1;
    set_text(&rec.v[XC_DB_REGION_CODE], region_code);
    rec.v[XC_DB_REGION_CODE].i = strtol(region_code, NULL, 10);
    set_date(&rec.v[XC_DB_EFFECTIVE_FROM], effective_from);
    set_int(&rec.v[XC_DB_MONTHLY_AMOUNT], fen);
    add_fact(f, XC_DS_DIBAO_STANDARD, &rec);
}

void rf_run(rulefix *f)
{
    assert_false(f->ran);
    f->ran = true;
    assert_int_equal(xc_archive_seal(f->archive), XC_OK);
    xc_facts_seal(f->facts);
    assert_int_equal(xc_standards_build(f->facts, &f->standards), XC_OK);
    xc_eval_ctx *c = &f->ctx;
    memset(c, 0, sizeof *c);
    c->archive = f->archive;
    c->facts = f->facts;
    c->standards = f->standards;
    c->full_ids = f->full_ids;
    c->profile = &f->profile;
    c->as_of = f->as_of;
    c->last_month = xc_date_month(f->as_of + 1) - 1;
    c->audit_from = xc_date_add_months(f->as_of, -f->profile.audit_period_months);
    memcpy(c->configured, f->configured, sizeof c->configured);
    memcpy(c->bound, f->bound, sizeof c->bound);
    xc_rules(&f->n_rules);
    f->results = calloc(f->n_rules, sizeof *f->results);
    assert_non_null(f->results);
    assert_int_equal(xc_evaluate(c, &f->flags, f->results), XC_OK);
}

/* Does flag fl match the filters (NULL / negative: any)? */
static bool matches(const rulefix *f, const xc_flag *fl, const char *archive_no,
                    const char *rule_id, int cat)
{
    if (archive_no && strcmp(rf_flag_archive_no(f, fl), archive_no) != 0)
        return false;
    if (rule_id && strcmp(fl->rule->id, rule_id) != 0)
        return false;
    return cat < 0 || fl->category == (xc_category)cat;
}

static size_t count(const rulefix *f, const char *archive_no, const char *rule_id, int cat)
{
    assert_true(f->ran);
    if (rule_id && !xc_rule_by_id(rule_id))
        fail_msg("no rule \"%s\"", rule_id);
    size_t n = 0;
    for (size_t i = 0; i < f->flags.n; i++)
        n += matches(f, &f->flags.v[i], archive_no, rule_id, cat);
    return n;
}

static const xc_flag *find(const rulefix *f, const char *archive_no, const char *rule_id,
                           int cat)
{
    assert_true(f->ran);
    for (size_t i = 0; i < f->flags.n; i++)
        if (matches(f, &f->flags.v[i], archive_no, rule_id, cat))
            return &f->flags.v[i];
    return NULL;
}

size_t rf_count(const rulefix *f, const char *archive_no, const char *rule_id)
{
    return count(f, archive_no, rule_id, -1);
}

size_t rf_count_category(const rulefix *f, const char *archive_no, const char *rule_id,
                         xc_category cat)
{
    return count(f, archive_no, rule_id, (int)cat);
}

const xc_flag *rf_find(const rulefix *f, const char *archive_no, const char *rule_id)
{
    return find(f, archive_no, rule_id, -1);
}

const xc_flag *rf_find_category(const rulefix *f, const char *archive_no, const char *rule_id,
                                xc_category cat)
{
    return find(f, archive_no, rule_id, (int)cat);
}

const char *rf_flag_archive_no(const rulefix *f, const xc_flag *fl)
{
    return fl->household == XC_NONE ? "" : xc_archive_household(f->archive, fl->household)->archive_no;
}

static bool subject_is(const xc_flag *fl, const char *id_no, const char *rule_id, xc_date as_of)
{
    xc_id id;
    xc_id_parse(id_no, strlen(id_no), as_of, &id);
    return fl->household == XC_NONE && fl->subject == id.key &&
           (!rule_id || strcmp(fl->rule->id, rule_id) == 0);
}

size_t rf_count_subject(const rulefix *f, const char *id_no, const char *rule_id)
{
    assert_true(f->ran);
    size_t n = 0;
    for (size_t i = 0; i < f->flags.n; i++)
        n += subject_is(&f->flags.v[i], id_no, rule_id, f->as_of);
    return n;
}

const xc_flag *rf_find_subject(const rulefix *f, const char *id_no, const char *rule_id)
{
    assert_true(f->ran);
    for (size_t i = 0; i < f->flags.n; i++)
        if (subject_is(&f->flags.v[i], id_no, rule_id, f->as_of))
            return &f->flags.v[i];
    return NULL;
}

const char *rf_flag_person(const rulefix *f, const xc_flag *fl)
{
    return fl->person == XC_NONE ? NULL : xc_archive_person(f->archive, fl->person)->name;
}

const char *rf_evidence(rulefix *f, const xc_flag *fl)
{
    xc_buf b = {0};
    xc_flag_evidence(fl, &b);
    free(f->evidence);
    f->evidence = xc_buf_take(&b);
    assert_non_null(f->evidence);
    return f->evidence;
}

const xc_rule_result *rf_result(const rulefix *f, const char *rule_id)
{
    assert_true(f->ran);
    for (size_t i = 0; i < f->n_rules; i++)
        if (strcmp(f->results[i].rule->id, rule_id) == 0)
            return &f->results[i];
    fail_msg("no rule \"%s\"", rule_id);
    return NULL;
}

void rf_param(rulefix *f, const char *section, const char *key, const char *value)
{
    xc_err err;
    xc_err_clear(&err);
    int rc = xc_profile_set(&f->profile, section, key, value, &err);
    if (rc != XC_OK)
        fail_msg("[%s] %s = %s: %s", section, key, value, rc == XC_NOT_FOUND ? "unknown" : err.msg);
}
