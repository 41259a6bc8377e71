/*
 * config.h - the run configuration: one INI-style text file.
 *
 *   [run]
 *   as_of    = 2026-06-30       ; evaluation date (default: today)
 *   profile  = default          ; policy profile under rules/
 *   output   = out              ; output directory
 *   database = postgresql://... ; default database of postgres sources
 *                               ; (conninfo or URI; unset: libpq's PG* defaults)
 *   results  = postgresql://... ; publish the results there (optional)
 *   lock_timeout = 60s          ; how long any PostgreSQL session of the run
 *                               ; (sources and results) waits for a lock
 *                               ; before it fails naming the table: seconds,
 *                               ; or with s, min or ms; 0 waits for ever;
 *                               ; default 60 s. No statement_timeout is set:
 *                               ; a long read is not a wait
 *
 *   [hukou]                     ; a logical dataset (schema.h)
 *   kind      = file            ; where the rows come from: a connector
 *                               ; (source.h), file when not given
 *   path      = hukou.csv.gz    ; a key of the connector's own: the file
 *                               ; connector's path, relative to this file's
 *                               ; directory (connectors/file.c); postgres
 *                               ; takes table or query, database and
 *                               ; pushdown (connectors/postgres.c)
 *   delimiter = ,               ; or tab, comma, semicolon, pipe, space, or
 *                               ; one ASCII character, not a line break
 *   quote     = "               ; one ASCII character other than the
 *                               ; delimiter, or none (never empty)
 *   header    = true            ; false: columns are 1-based numbers
 *   encoding  = utf-8           ; or gb18030 (gbk, gb2312: decoded as gb18030)
 *   null      = NULL, \N        ; extra texts that mean "no value"; the key
 *                               ; may be repeated, each line adding texts
 *   field.id_no    = 公民身份号码 ; logical field = column (name or number)
 *   map.status.1   = deceased   ; raw value -> logical value, coded fields
 *   format.status_on = YYYYMMDD ; date format (date.h), date/month fields
 *   covers    = 2021-01..2025-06 ; months a dataset with a month field covers
 *                               ; (ranges joined by ","; default: the months
 *                               ; its rows hold)
 *   exported  = 2026-05-31      ; the day the export was taken (default: the
 *                               ; latest date its rows hold)
 *   max_rejects = 0.1%          ; rejected rows beyond which the run stops: a
 *                               ; count or a share (default 0 for household
 *                               ; and member, 0.1% for the others)
 *
 * The keys a dataset section does not know itself go to the connector
 * named by kind, which parses and checks them; a key of another connector
 * is an error naming that connector's kind.
 *
 * A configured dataset's fields must be mapped when something reads them:
 * the archive's fields and a dataset's link (the engine reads them), and
 * the fields of a dataset that a rule this configuration will evaluate
 * needs (xc_rule_evaluable()); never an optional field or one no rule reads
 * (schema.h: unread). The error names the rules that read it. Every key but
 * null takes one value: a key given twice in a section (field.<f>,
 * format.<f> and map.<f>.<value> included) is an error, as is a section
 * given twice and a line longer than 64 KiB. Everything is checked when the
 * file is loaded, before any data is read; an error (XC_ECONFIG) names the
 * configuration file, the line and the key, and most carry a hint.
 */
#ifndef XCHECK_CONFIG_H
#define XCHECK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xcheck/date.h"
#include "xcheck/error.h"
#include "xcheck/schema.h"

#define XC_LOCK_TIMEOUT_DEFAULT_MS 60000L   /* [run] lock_timeout when not given */

struct xc_source_ops;

/* A push-down setting (--pushdown, a connector's pushdown key): whether a
 * source is filtered by the archive's ID numbers on its side. */
typedef enum xc_pushdown { XC_PUSHDOWN_AUTO, XC_PUSHDOWN_ON, XC_PUSHDOWN_OFF } xc_pushdown;
typedef enum xc_encoding { XC_ENC_UTF8, XC_ENC_GB18030 } xc_encoding;

typedef struct xc_valmap {
    char *raw;     /* the exported value, trimmed */
    int value;     /* index into the field's logical values */
    int line;      /* configuration line that mapped it */
} xc_valmap;

typedef struct xc_field_binding {
    char *column;          /* column name, or NULL when unmapped */
    int column_no;         /* header = false: 1-based column number */
    int line;              /* configuration line that mapped it */
    bool has_format;       /* format given in the configuration */
    xc_datefmt format;     /* date and month fields: YYYY-MM-DD / YYYY-MM
                              unless the configuration says otherwise */
    xc_valmap *map;        /* value map, n_map entries */
    size_t n_map;
} xc_field_binding;

/* A span of months, both ends included. */
typedef struct xc_month_range {
    xc_month from, to;
} xc_month_range;

/* How many rejected rows a dataset may have before the run stops. */
typedef struct xc_reject_limit {
    bool share;            /* limit is a share of the rows read, else a count */
    uint64_t ppm;          /* share: millionths of a percent, 0 to 10^8 */
    double percent;        /* share: the same, for people */
    uint64_t count;        /* count */
    int line;              /* configuration line, 0 for the default */
} xc_reject_limit;

typedef struct xc_binding {
    bool configured;
    const xc_dataset_def *ds;
    int line;              /* line of the [section] */
    const struct xc_source_ops *source;  /* the connector named by kind
                              (source.h): parses the keys of its own, reads */
    void *source_conf;     /* the connector's settings (path, table...), made
                              and freed by its conf_key and conf_free */
    bool id_pseudonym;     /* id_form = pseudonym: the ID column holds keyed
                              pseudonyms (pseudonym.h), not numbers */
    char delimiter;
    char quote;            /* 0: no quoting */
    bool header;
    xc_encoding encoding;
    char **nulls;          /* texts meaning "no value", besides "" */
    size_t n_nulls;
    xc_field_binding field[XC_MAX_FIELDS];
    xc_month_range *covers;  /* covers: the months a dataset with a month
                              field covers, sorted, apart; NULL: the months
                              its rows hold */
    size_t n_covers;
    xc_date exported;      /* exported: the day the export was taken,
                              XC_NO_DATE: the latest date its rows hold */
    xc_reject_limit max_rejects;   /* default 0 for the archive, 0.1% else */
} xc_binding;

typedef struct xc_config {
    char *path;            /* the configuration file */
    char hash[65];         /* SHA-256 of its text with passwords taken out,
                              hex, for the run's record */
    char *dir;             /* its directory, for relative paths */
    xc_date as_of;
    bool as_of_set;
    char *profile;
    char *output;          /* NULL: the caller's default */
    char *database;        /* default conninfo of postgres sources, or NULL */
    char *results;         /* conninfo of the results database, or NULL */
    long lock_timeout_ms;  /* [run] lock_timeout; XC_LOCK_TIMEOUT_DEFAULT_MS
                              when not given, 0: wait for ever */
    uint64_t memory;       /* [run] memory: bytes (xc_run_opts.memory); 0: none */
    bool memory_set;       /* [run] memory given */
    char *temp_dir;        /* [run] temp_dir, or NULL */
    uint32_t region;       /* [run] region: the prefix (xc_region_arg()) */
    int region_digits;     /* its digits, 2, 4 or 6; 0: not given */
    int visits_by_cadre;   /* [report] visits_by_cadre: xc_visits_by_cadre
                              (run.h), 0: none */
    char *organisation;    /* [report] organisation: who issues the report
                              ("云南省总工会"), or NULL */
    char *scope;           /* [report] scope: what it covers ("全省在档困难职工
                              家庭"), or NULL */
    xc_binding ds[XC_DS_COUNT];
} xc_config;

/* Whether key is one every dataset section takes whatever its kind
 * (delimiter, null, field.<f>, ...; not kind itself), so that no connector
 * may own it. */
bool xc_config_section_key(const char *key);

/* Loads and checks the file at path. Returns XC_OK and a configuration the
 * caller frees with xc_config_free(), or XC_EIO / XC_ECONFIG / XC_ENOMEM with
 * err naming the file, line and key. */
int xc_config_load(const char *path, xc_config **ret, xc_err *err);

/* The same from text in memory; name is used in errors and basedir for
 * relative paths. */
int xc_config_parse(const char *text, const char *name, const char *basedir,
                    xc_config **ret, xc_err *err);

/* Frees c; NULL does nothing. */
void xc_config_free(xc_config *c);

#endif
