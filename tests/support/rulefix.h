/*
 * rulefix.h - an evaluation context built in memory, for rule tests.
 *
 * A test states a scenario: households and members of the archive, then
 * reference rows (hukou, social insurance, property, vehicle, business,
 * dibao standards), then runs every rule and asks what was flagged:
 *
 *     static void test_...(void **state)
 *     {
 *         rulefix *f = *state;                    (rf_setup: as_of 2025-06-30)
 *         char w[19];
 *         rf_id(w, 530102, 1970, 3, 12, 13);
 *         rf_household(f, "A-1", w, 530102, XC_ST_ACTIVE, rf_date(2023, 6, 1), XC_NO_DATE);
 *         rf_member(f, "A-1", w, "张三", RF_SELF);
 *         rf_hukou(f, w, "张三", 530102, RF_HK_DECEASED, rf_date(2024, 2, 1));
 *         rf_run(f);
 *         assert_int_equal(rf_count(f, "A-1", "HK-DECEASED"), 1);
 *     }
 *
 * Rows go through the library's own entry points (xc_archive_add_household,
 * xc_archive_add_member, xc_facts_add) as converted records would; ID text
 * is parsed with xc_id_parse as of f->as_of. Adding a reference row marks its
 * dataset configured; rf_configure() does so for a dataset without rows.
 * household and member are always configured. Any failure of the library
 * while building fails the test (cmocka assertions).
 */
#ifndef XCHECK_TESTS_RULEFIX_H
#define XCHECK_TESTS_RULEFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xcheck/archive.h"
#include "xcheck/evaluate.h"
#include "xcheck/facts.h"
#include "xcheck/plugin/income.h"
#include "xcheck/profile.h"
#include "xcheck/plugin/rule.h"

/* Short names of the coded fields' value indexes (schema.def's, as schema.h
 * names them). Household status: XC_ST_* of rule.h. */
enum { RF_SELF = XC_MB_RELATION_SELF, RF_SPOUSE = XC_MB_RELATION_SPOUSE,     /* member.relation */
       RF_CHILD = XC_MB_RELATION_CHILD, RF_PARENT = XC_MB_RELATION_PARENT,
       RF_OTHER = XC_MB_RELATION_OTHER };
enum { RF_HK_NORMAL = XC_HK_STATUS_NORMAL, RF_HK_DECEASED = XC_HK_STATUS_DECEASED, /* hukou.status */
       RF_HK_MOVED_OUT = XC_HK_STATUS_MOVED_OUT, RF_HK_CANCELLED = XC_HK_STATUS_CANCELLED };
enum { RF_PR_RESIDENTIAL = XC_PR_USAGE_RESIDENTIAL, RF_PR_COMMERCIAL = XC_PR_USAGE_COMMERCIAL,
       RF_PR_INDUSTRIAL = XC_PR_USAGE_INDUSTRIAL, RF_PR_OTHER = XC_PR_USAGE_OTHER }; /* usage */
enum { RF_VH_CAR = XC_VH_KIND_CAR, RF_VH_TRUCK = XC_VH_KIND_TRUCK,           /* vehicle.kind */
       RF_VH_MOTORCYCLE = XC_VH_KIND_MOTORCYCLE, RF_VH_LOW_SPEED = XC_VH_KIND_LOW_SPEED,
       RF_VH_OTHER = XC_VH_KIND_OTHER };
enum { RF_BZ_LEGAL_REP = XC_BZ_ROLE_LEGAL_REP, RF_BZ_SHAREHOLDER = XC_BZ_ROLE_SHAREHOLDER,
       RF_BZ_EXECUTIVE = XC_BZ_ROLE_EXECUTIVE };                            /* business.role */
enum { RF_BZ_ACTIVE = XC_BZ_STATUS_ACTIVE, RF_BZ_REVOKED = XC_BZ_STATUS_REVOKED, /* business.status */
       RF_BZ_CANCELLED = XC_BZ_STATUS_CANCELLED };
enum { RF_CT_VISIT = XC_CT_KIND_HOME_VISIT, RF_CT_PHONE = XC_CT_KIND_PHONE }; /* contact.kind */
enum { RF_PM_LIVING = XC_PM_PROGRAM_LIVING, RF_PM_MEDICAL = XC_PM_PROGRAM_MEDICAL, /* program */
       RF_PM_EDUCATION = XC_PM_PROGRAM_EDUCATION, RF_PM_WARMTH = XC_PM_PROGRAM_WARMTH,
       RF_PM_OTHER = XC_PM_PROGRAM_OTHER };
enum { RF_CH_CARD = XC_PM_CHANNEL_SOCIAL_SECURITY_CARD, RF_CH_BANK = XC_PM_CHANNEL_BANK, /* channel */
       RF_CH_CASH = XC_PM_CHANNEL_CASH };

typedef struct rulefix {
    xc_date as_of;              /* set before adding rows; default 2025-06-30 */
    xc_profile profile;         /* "default", loaded by rf_setup: edit before rf_run */
    bool configured[XC_DS_COUNT];
    xc_archive *archive;
    xc_facts *facts;
    /* After rf_run: */
    xc_standards *standards;
    xc_eval_ctx ctx;
    xc_flags flags;
    xc_rule_result *results;    /* one per rule of xc_rules() */
    size_t n_rules;
    /* Private. */
    uint16_t src[XC_DS_COUNT];
    bool has_src[XC_DS_COUNT];
    long line;
    bool ran;
    bool full_ids;           /* evidence with whole ID numbers */
    uint32_t bound[XC_DS_COUNT];   /* optional fields mapped (rf_bind_cadre) */
    char *evidence;          /* the last rf_evidence() */
} rulefix;

/* cmocka setup and teardown: *state becomes a fresh rulefix (as_of
 * 2025-06-30, default profile, empty archive and facts); teardown frees it
 * and everything rf_run made. */
int rf_setup(void **state);
int rf_teardown(void **state);

/* Dates: a day, a month (xc_month). */
xc_date rf_date(int y, int m, int d);
xc_month rf_month(int y, int m);

/* Writes a valid 18-character ID number (region, birth date, 3-digit
 * sequence, computed check character) into out. Returns out. */
char *rf_id(char out[static 19], uint32_t region, int y, int m, int d, int seq);

/* Archive rows. worker_id and id_no are ID text as exported (any length:
 * invalid ones are kept with their error, like the real conversion does).
 * exited_on: XC_NO_DATE when empty. */
void rf_household(rulefix *f, const char *archive_no, const char *worker_id, uint32_t region,
                  int status, xc_date enrolled_on, xc_date exited_on);
void rf_member(rulefix *f, const char *archive_no, const char *id_no, const char *name,
               int relation);

/* A household with its cadre (household.cadre_id; NULL: unpaired). The
 * field counts as mapped from the first such household on, or after
 * rf_bind_cadre(). */
void rf_household_paired(rulefix *f, const char *archive_no, const char *worker_id,
                         uint32_t region, int status, xc_date enrolled_on, xc_date exited_on,
                         const char *cadre_id);
void rf_bind_cadre(rulefix *f);

/* Marks a dataset configured without adding rows. */
void rf_configure(rulefix *f, xc_ds_id ds);

/* Process rows of the union. Dates XC_NO_DATE when empty; money in fen,
 * burden -1 when empty. */
void rf_contact(rulefix *f, const char *archive_no, xc_date date, int kind);
void rf_exit_record(rulefix *f, const char *archive_no, xc_date applied_on,
                    xc_date publicity_from, xc_date publicity_to, xc_date approved_on,
                    xc_date notified_on);
void rf_followup(rulefix *f, const char *archive_no, xc_date on);
void rf_payment(rulefix *f, const char *id_no, xc_date paid_on, int program, int64_t fen,
                int channel, int64_t burden);
void rf_candidate(rulefix *f, const char *id_no, const char *name, const char *source,
                  uint32_t region);

/* Reference rows; id_no must be a valid number. Dates XC_NO_DATE when
 * empty; money in fen; region 0 when empty. */
void rf_hukou(rulefix *f, const char *id_no, const char *name, uint32_t region, int status,
              xc_date status_on);
void rf_income(rulefix *f, const char *id_no, xc_month month, int64_t fen);
void rf_property(rulefix *f, const char *id_no, const char *cert_no, int usage,
                 xc_date registered_on, xc_date cancelled_on);
void rf_vehicle(rulefix *f, const char *id_no, int kind, xc_date registered_on,
                xc_date deregistered_on, int64_t price);     /* price -1: unknown */
void rf_business(rulefix *f, const char *id_no, int role, int status, xc_date established_on,
                 xc_date closed_on);
/* region_code: 2, 4 or 6 digits ("53", "5301", "530102"). */
void rf_standard(rulefix *f, const char *region_code, xc_date effective_from, int64_t fen);

/* Seals the archive and facts, builds the standards and the context
 * (last_month: the last month ended on or before as_of; audit_from: as_of
 * minus the profile's audit period) and runs xc_evaluate. Once per test. */
/* Sets a parameter of f's profile as a profile line would ("contact",
 * "window_months", "12"); fails the test when it is refused. */
void rf_param(rulefix *f, const char *section, const char *key, const char *value);

void rf_run(rulefix *f);

/* After rf_run. archive_no NULL: every household; rule_id NULL: every rule. */
size_t rf_count(const rulefix *f, const char *archive_no, const char *rule_id);
size_t rf_count_category(const rulefix *f, const char *archive_no, const char *rule_id,
                         xc_category cat);
/* The first such flag, or NULL. */
const xc_flag *rf_find(const rulefix *f, const char *archive_no, const char *rule_id);
const xc_flag *rf_find_category(const rulefix *f, const char *archive_no, const char *rule_id,
                                xc_category cat);
/* Flags about someone in no household of the archive (a payment's
 * recipient, a candidate) with that ID number; rule_id NULL: every rule. */
size_t rf_count_subject(const rulefix *f, const char *id_no, const char *rule_id);
const xc_flag *rf_find_subject(const rulefix *f, const char *id_no, const char *rule_id);

/* The archive number of a flag's household ("" for none); the name of its
 * person (NULL for a household flag). */
const char *rf_flag_archive_no(const rulefix *f, const xc_flag *fl);
const char *rf_flag_person(const rulefix *f, const xc_flag *fl);
/* A flag's evidence as evidence.jsonl writes it, months of income
 * included (xc_flag_evidence()); valid until the next call or teardown. */
const char *rf_evidence(rulefix *f, const xc_flag *fl);
/* The result of one rule. */
const xc_rule_result *rf_result(const rulefix *f, const char *rule_id);

#endif
