-- peer.sql - xcheck's rule set written as SQL: the benchmark's peer.
--
--   psql -X -v schema=bench -v as_of=2026-06-30 -f tests/bench/peer.sql > peer-flags.csv
--
-- Reads the logical tables of tests/bench/SCHEMA.md in schema :schema and
-- writes to stdout, as CSV with a header, one line per flag:
--
--   rule,category,archive_no,masked_id,condition_from,condition_to
--
-- the columns 1, 2, 3, 6, 8 and 9 of the flags.csv of an xcheck run with the
-- default profile (rules/default.profile) on the same data, for the 19 rules
-- ID-INVALID ... EX-RELAPSE (the structure rules HH-NO-SELF, HH-MULTI-SELF,
-- HH-WORKER-NOT-MEMBER and MB-DUPLICATE among them). Nothing but temporary
-- objects is written: the helper functions live in pg_temp, the
-- intermediate results in temporary tables. No extension is used. Parallel
-- query is on.
--
-- Optional variables: profile parameters (defaults of rules/default.profile)
--   exit_months wrong_exit_months enroll_months enroll_factor relapse_months
--   residential_min commercial_usages vehicle_kinds min_price business_roles
--   min_capital audit_months
-- (lists as PostgreSQL arrays: -v vehicle_kinds='{car,truck}'), and
--   pushdown  auto (default), on or off: how the big tables are matched (see
--             "reference facts" below)
--   workers   max_parallel_workers_per_gather (default 2)
--
-- How xcheck's semantics are reproduced (rules/*.c, engine/*.c):
--   * Every value is trimmed of blanks (ASCII, no-break, ideographic) as
--     xcheck's xc_trim does; empty means NULL. Rows xcheck would reject (an
--     empty required field, a coded value outside the logical values (ASCII
--     case-insensitive), a bad region code, month or amount, an invalid ID
--     on the reference side, a second household with the same archive_no)
--     are left out; member rows of no accepted household too.
--   * ID numbers are normalised like engine/idno.c: an Excel apostrophe,
--     full-width digits and X, lower-case x, blanks and hyphens of every
--     width; then length, characters, check character (ISO 7064 MOD 11-2),
--     province (GB/T 2260), birth date (1800 .. as_of); 15 digits are
--     upgraded to 18 (19YY, computed check character). Archive persons with
--     an invalid ID are kept (ID-INVALID) but never matched.
--   * A member row whose valid ID an earlier row of the same household has
--     (engine/archive.c) is a repeat, not a member: it counts once in the
--     household size, is in no rule but MB-DUPLICATE, and is never matched.
--   * A reference row is matched when its normalised ID is an archive
--     person's valid ID. Each big table is read once, by a parallel scan
--     that passes the rows whose ID text may be one of the archive's; the
--     leader joins those to the archive. With pushdown=auto the big tables
--     are read as xcheck's auto push-down reads them (all rows, or only the
--     ID texts of the archive's IDs), so the flags are those of an xcheck
--     run on the same tables.
--   * Where xcheck takes "the first" of several rows (facts are kept in
--     file order, members in file order), the physical row order (ctid)
--     stands for it; a view has none, and its rows come in no fixed order.
--   * Months are xcheck's: year * 12 + month - 1; the income rules compare
--     fen (yuan x 100) without dividing, as engine/income.c does.
\set ON_ERROR_STOP on
\set QUIET on

\if :{?schema}
\else
\set schema bench
\endif
\if :{?as_of}
\else
SELECT current_date AS as_of \gset
\endif
\if :{?workers}
\else
\set workers 2
\endif
\if :{?exit_months}
\else
\set exit_months 6
\endif
\if :{?wrong_exit_months}
\else
\set wrong_exit_months 6
\endif
\if :{?enroll_months}
\else
\set enroll_months 3
\endif
\if :{?enroll_factor}
\else
\set enroll_factor 1.0
\endif
\if :{?relapse_months}
\else
\set relapse_months 3
\endif
\if :{?residential_min}
\else
\set residential_min 2
\endif
\if :{?commercial_usages}
\else
\set commercial_usages '{commercial,industrial}'
\endif
\if :{?vehicle_kinds}
\else
\set vehicle_kinds '{car,truck}'
\endif
\if :{?min_price}
\else
\set min_price 0
\endif
\if :{?business_roles}
\else
\set business_roles '{legal_rep,shareholder}'
\endif
\if :{?min_capital}
\else
\set min_capital 0
\endif
\if :{?audit_months}
\else
\set audit_months 12
\endif

SET client_min_messages = warning;
SET temp_buffers = '1GB';
SET datestyle = ISO, YMD;
SET max_parallel_workers_per_gather = :workers;
SET parallel_setup_cost = 100;
SET parallel_tuple_cost = 0.01;
SET min_parallel_table_scan_size = '1MB';
SET work_mem = '1GB';
SET hash_mem_multiplier = 2;
SET jit = off;

-- The dates of the run (engine/run.c): the last month ended on or before
-- as_of, and audit_period = (as_of - audit_months, as_of] (the day clamped
-- to the month's end, as PostgreSQL's interval arithmetic does too).
SELECT :'as_of'::date AS as_of_d,
       (extract(year FROM :'as_of'::date + 1)::int * 12
        + extract(month FROM :'as_of'::date + 1)::int - 1) - 1 AS last_month,
       (:'as_of'::date - make_interval(months => :audit_months))::date AS audit_from
\gset

-- ---- helper functions (pg_temp, inlinable SQL) ---------------------------

-- xc_trim: blanks at both ends; empty is NULL.
CREATE FUNCTION pg_temp.xtrim(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN nullif(btrim(t, E' \t\r\n\u00a0\u3000'), '');

-- ASCII lower case (strncasecmp), for coded values: lower() under the C
-- collation changes ASCII letters only.
CREATE FUNCTION pg_temp.alower(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN lower(t COLLATE "C");

-- A trimmed coded value, lower-cased (NULL when empty).
CREATE FUNCTION pg_temp.code(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_temp.alower(pg_temp.xtrim(t));

-- A region code xcheck accepts (convert_region): digits, 6 of them (or 2/4
-- for dibao_standard), of a known province (the XX0000 codes of GB/T 2260
-- in engine/gb2260.c).
CREATE FUNCTION pg_temp.province_ok(t text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN left(t, 2) IN ('11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33',
                          '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50',
                          '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81',
                          '82', '83');
CREATE FUNCTION pg_temp.region_ok(t text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN t ~ '^[0-9][0-9][0-9][0-9][0-9][0-9]$' AND pg_temp.province_ok(t);

-- The ID text cleaned as xc_id_parse reads it: trimmed, one leading
-- apostrophe dropped, full-width digits and X and lower-case x mapped,
-- blanks and hyphens (ASCII, no-break, ideographic, full-width, U+2010-2015)
-- dropped. Anything else stays, and makes the number invalid.
CREATE FUNCTION pg_temp.id_clean(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN t ~ '^[0-9Xx]*$' THEN upper(t) ELSE
           translate(regexp_replace(btrim(t, E' \t\r\n\u00a0\u3000'), '^''', ''),
                     E'０１２３４５６７８９Ｘｘx \t\r\n-\u00a0\u3000\uff0d\u2010\u2011\u2012\u2013\u2014\u2015',
                     '0123456789XXX') END;

-- The ISO 7064 MOD 11-2 check character of the first 17 digits of d.
CREATE FUNCTION pg_temp.id_chk(d text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN substr('10X98765432',
        ((ascii(substr(d, 1, 1)) - 48) * 7 + (ascii(substr(d, 2, 1)) - 48) * 9
         + (ascii(substr(d, 3, 1)) - 48) * 10 + (ascii(substr(d, 4, 1)) - 48) * 5
         + (ascii(substr(d, 5, 1)) - 48) * 8 + (ascii(substr(d, 6, 1)) - 48) * 4
         + (ascii(substr(d, 7, 1)) - 48) * 2 + (ascii(substr(d, 8, 1)) - 48) * 1
         + (ascii(substr(d, 9, 1)) - 48) * 6 + (ascii(substr(d, 10, 1)) - 48) * 3
         + (ascii(substr(d, 11, 1)) - 48) * 7 + (ascii(substr(d, 12, 1)) - 48) * 9
         + (ascii(substr(d, 13, 1)) - 48) * 10 + (ascii(substr(d, 14, 1)) - 48) * 5
         + (ascii(substr(d, 15, 1)) - 48) * 8 + (ascii(substr(d, 16, 1)) - 48) * 4
         + (ascii(substr(d, 17, 1)) - 48) * 2) % 11 + 1, 1);

-- 15 digits upgraded to 18: 19 inserted before the year, check appended.
CREATE FUNCTION pg_temp.id_up15(c text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN left(c, 6) || '19' || substr(c, 7, 9)
           || pg_temp.id_chk(left(c, 6) || '19' || substr(c, 7, 9));

-- The 18-character form of cleaned text c if it has the shape of one (its
-- check character not verified), else NULL.
CREATE FUNCTION pg_temp.id_shape(c text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN c ~ '^[0-9]*X?$'
                THEN CASE length(c) WHEN 18 THEN c
                                    WHEN 15 THEN CASE WHEN right(c, 1) <> 'X'
                                                      THEN pg_temp.id_up15(c) END END END;

-- The 18-character form of a reference row's ID text that is not only
-- digits and X/x (see "reference facts" below). No validation is needed:
-- it is compared with the archive's valid IDs.
CREATE FUNCTION pg_temp.ref_slow(raw text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN pg_temp.id_shape(pg_temp.id_clean(raw));

-- The birth dates an ID may hold: real days from 1800-01-01 to as_of, as
-- YYYYMMDD (looked up in a hashed array).
SELECT coalesce(array_agg(to_char(d, 'YYYYMMDD')), '{}')::text AS births
FROM generate_series(date '1800-01-01', :'as_of_d'::date, interval '1 day') d
\gset

-- Whether cleaned text c, of shape d (id_shape(c)), is a valid ID
-- (xc_id_parse: characters, length, check character, province, birth date).
CREATE FUNCTION pg_temp.id_ok(c text, d text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE
        WHEN d IS NULL THEN false
        WHEN length(c) = 18 AND right(c, 1) <> pg_temp.id_chk(c) THEN false
        WHEN NOT pg_temp.province_ok(d) THEN false
        ELSE substr(d, 7, 8) = ANY (:'births'::text[])
    END;

-- xc_id_mask: first 6 + ******** + last 4; shorter than 10: all stars.
CREATE FUNCTION pg_temp.mask(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN length(t) < 10 THEN repeat('*', length(t))
                ELSE left(t, 6) || '********' || right(t, 4) END;

-- Names compared as identity.c's name_key: blanks (space, tab, U+3000)
-- dropped, full-width U+FF01-FF5E made ASCII, middle dots unified.
SELECT string_agg(chr(c), '' ORDER BY c) AS fw_from,
       string_agg(chr(c - 65248), '' ORDER BY c) AS fw_to
FROM generate_series(65281, 65374) c
\gset
CREATE FUNCTION pg_temp.name_key(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN translate(t, :'fw_from' || E'\u00b7\u2022\u2027\u2219\u30fb\uff65 \t\u3000',
                     :'fw_to' || '......');

-- Months as xcheck counts them: year * 12 + month - 1.
CREATE FUNCTION pg_temp.mon(d date) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN extract(year FROM d)::int * 12 + extract(month FROM d)::int - 1;
CREATE FUNCTION pg_temp.mstart(m int) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN make_date(m / 12, m % 12 + 1, 1);
CREATE FUNCTION pg_temp.mend(m int) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN make_date((m + 1) / 12, (m + 1) % 12 + 1, 1) - 1;

-- ---- the relations read -------------------------------------------------

-- Per logical table: its physical row order where it has one (ctid: a table
-- has it, a view has not), and, for the reference tables, the table behind
-- it (itself, or the one table a view reads), its size and whether its
-- id_no has a btree index.
CREATE TEMP TABLE rel AS
WITH t(name) AS (
    VALUES ('household'), ('member'), ('hukou'), ('social_insurance'), ('property'),
           ('vehicle'), ('business'), ('dibao_standard')
), r AS (
    SELECT t.name, c.oid, c.relkind,
           CASE WHEN c.relkind = 'v' THEN (
               SELECT CASE WHEN count(DISTINCT d.refobjid) = 1 THEN min(d.refobjid) END
               FROM pg_rewrite w
               JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = w.oid
                               AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> c.oid
               WHERE w.ev_class = c.oid)
           ELSE c.oid END AS base
    FROM t JOIN pg_class c ON c.oid = to_regclass(format('%I.%I', :'schema', t.name))
)
SELECT r.name, r.relkind IN ('r', 'm') AS has_ctid, b.reltuples,
       EXISTS (SELECT 1 FROM pg_index i
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
               WHERE i.indrelid = b.oid AND a.attname = 'id_no') AS id_indexed
FROM r LEFT JOIN pg_class b ON b.oid = r.base;

SELECT max(CASE WHEN name = 'household' THEN x END) AS rid_household,
       max(CASE WHEN name = 'member' THEN x END) AS rid_member,
       max(CASE WHEN name = 'hukou' THEN x END) AS rid_hukou,
       max(CASE WHEN name = 'property' THEN x END) AS rid_property,
       max(CASE WHEN name = 'vehicle' THEN x END) AS rid_vehicle,
       max(CASE WHEN name = 'business' THEN x END) AS rid_business,
       max(CASE WHEN name = 'dibao_standard' THEN x END) AS rid_dibao_standard
FROM (SELECT name, CASE WHEN has_ctid THEN 'x.ctid' ELSE 'NULL::tid' END AS x FROM rel) r
\gset

-- ---- the archive ---------------------------------------------------------

-- Accepted households, the first of each archive_no (file order).
CREATE TEMP TABLE hh AS
WITH h0 AS MATERIALIZED (
    SELECT :rid_household AS rid, pg_temp.xtrim(x.archive_no) AS archive_no,
           pg_temp.xtrim(x.worker_id) AS worker_raw, pg_temp.id_clean(x.worker_id) AS c,
           pg_temp.xtrim(x.region_code) AS region_t,
           pg_temp.code(x.level) AS level, pg_temp.code(x.status) AS status,
           x.enrolled_on, x.exited_on, x.hardship_cause
    FROM :"schema".household x
), h1 AS MATERIALIZED (
    SELECT h0.*, pg_temp.id_shape(c) AS d FROM h0
    WHERE archive_no IS NOT NULL AND worker_raw IS NOT NULL
      AND level IN ('national', 'provincial', 'local')
      AND status IN ('active', 'relieved', 'exited', 'cancelled')
      AND enrolled_on IS NOT NULL
      AND pg_temp.region_ok(region_t)
      AND CASE WHEN hardship_cause IS NULL
                  OR hardship_cause ~ '^(illness|disability|education|unemployment|housing|accident|other)(;(illness|disability|education|unemployment|housing|accident|other))*$'
               THEN true
               ELSE NOT EXISTS (
                   SELECT 1 FROM regexp_split_to_table(hardship_cause, '[;,|、，；]') item
                   WHERE pg_temp.xtrim(item) IS NOT NULL
                     AND pg_temp.code(item) NOT IN ('illness', 'disability', 'education',
                                                    'unemployment', 'housing', 'accident',
                                                    'other')) END
), h2 AS (
    SELECT h1.*, CASE WHEN pg_temp.id_ok(c, d) THEN d END AS worker_key
    FROM h1
)
SELECT row_number() OVER (ORDER BY archive_no)::int AS hid, 0 AS n, *
FROM (
SELECT DISTINCT ON (archive_no)
       archive_no, worker_key, pg_temp.mask(worker_key) AS wmask, region_t::int AS region,
       status, enrolled_on, exited_on,
       enrolled_on <= :'as_of_d'
           AND (status IN ('active', 'relieved')
                OR (exited_on IS NOT NULL AND exited_on > :'as_of_d')) AS in_arch,
       status = 'exited' AND enrolled_on <= :'as_of_d'
           AND (exited_on IS NULL OR exited_on <= :'as_of_d') AS exited,
       pg_temp.mon(enrolled_on) AS e
FROM h2
ORDER BY archive_no, rid
) s;
ALTER TABLE hh ADD PRIMARY KEY (archive_no);

-- Member rows: accepted member rows of accepted households, in file order.
-- A row with a valid ID that an earlier row of its household has too
-- repeats that member (engine/archive.c xc_archive_add_member; rows with an
-- invalid ID never do). rep_of: the pid of the household's first row with
-- the ID (the member's own pid for the member; NULL for an invalid ID).
CREATE TEMP TABLE pm_all AS
WITH m0 AS MATERIALIZED (
    SELECT :rid_member AS rid, pg_temp.xtrim(x.archive_no) AS archive_no,
           pg_temp.xtrim(x.id_no) AS raw, coalesce(pg_temp.xtrim(x.name), '') AS name,
           pg_temp.code(x.relation) AS relation, pg_temp.id_clean(x.id_no) AS c
    FROM :"schema".member x
), m1 AS MATERIALIZED (
    SELECT m0.*, hh.hid, pg_temp.id_shape(c) AS d FROM m0 JOIN hh USING (archive_no)
    WHERE raw IS NOT NULL AND relation IN ('self', 'spouse', 'child', 'parent', 'other')
), m2 AS MATERIALIZED (
    SELECT m1.*, pg_temp.id_ok(c, d) AS ok FROM m1
)
SELECT *, CASE WHEN key IS NOT NULL
                THEN first_value(pid) OVER (PARTITION BY hid, key ORDER BY pid) END AS rep_of
FROM (
SELECT row_number() OVER (ORDER BY rid, archive_no, raw) AS pid, hid, archive_no, rid, name,
       relation, CASE WHEN ok THEN d END AS key, NOT ok AS err,
       length(c) = 15 AND d IS NOT NULL AS legacy,
       CASE WHEN ok THEN pg_temp.mask(d)
            ELSE pg_temp.mask(left(regexp_replace(raw, '[^0-9A-Za-z]', '', 'g'), 23))
       END AS masked
FROM m2
) s;

-- Persons (the household's members): the member rows that repeat no one.
-- A repeated row is not a member: it is not in the household size, not in
-- the ID table, never judged (ID-*, DUP-PERSON, the asset rules, the
-- household's income), and only MB-DUPLICATE sees it, through pm_rep.
CREATE TEMP TABLE pm AS
SELECT pid, hid, archive_no, rid, name, relation, key, err, legacy, masked
FROM pm_all WHERE rep_of IS NULL OR rep_of = pid;
CREATE TEMP TABLE pm_rep AS
SELECT pid, hid, archive_no, rep_of FROM pm_all WHERE rep_of <> pid;
DROP TABLE pm_all;
CREATE INDEX ON pm (key);
CREATE INDEX ON pm (archive_no);
ANALYZE hh;
ANALYZE pm;
ANALYZE pm_rep;

-- Household size: the number of its members (repeated rows not counted).
UPDATE hh SET n = x.n
FROM (SELECT hid, count(*) AS n FROM pm GROUP BY hid) x
WHERE x.hid = hh.hid;
CREATE UNIQUE INDEX ON hh (hid);
ANALYZE hh;
ANALYZE pm;

-- ---- reference facts: the rows that match the archive --------------------
--
-- fm: every text an archive person's valid ID may be exported as (the ID,
-- with a lower-case x, the 15-digit form of one born in the 1900s), and
-- the ID.
CREATE TEMP TABLE fm AS
SELECT f AS form, key
FROM (SELECT DISTINCT key FROM pm WHERE key IS NOT NULL) k
CROSS JOIN LATERAL (VALUES (key),
                           (CASE WHEN right(key, 1) = 'X' THEN left(key, 17) || 'x' END),
                           (CASE WHEN substr(key, 7, 2) = '19'
                                 THEN left(key, 6) || substr(key, 9, 9) END)) v(f)
WHERE f IS NOT NULL;
ANALYZE fm;

-- Parallel workers cannot read temporary tables, so the scans of the big
-- tables get the forms as an array constant, for a hashed look-up: of
-- their hashtext() values (a sixth of the size of the texts, which every
-- worker is sent), or for a few the texts themselves. The rows that pass
-- are joined to fm, exactly, and on to the archive, by the leader.
--
-- Two strategies per table, as xcheck's (connectors/postgres.c):
--   full scan   every row: a text among the forms matches; a text of only
--               digits and X/x that is not among them cannot; any other
--               text is cleaned in full and matches if that gives an ID.
--               Exactly xcheck's matching of every row it reads.
--   push-down   only texts among the forms (the index on id_no may serve):
--               what xcheck's push-down asks the server for. Other dirt
--               (blanks, full-width digits) is found by a full scan only,
--               in xcheck as here.
-- pushdown=auto (the default) pushes down, as xcheck does, when the table
-- has a btree index on id_no and at least 20 rows per ID text asked (two
-- per archive ID); a view over one table is judged by that table (xcheck's
-- auto reads a view whole: --pushdown on makes it ask). pushdown=on|off
-- forces it.
\if :{?pushdown}
\else
\set pushdown auto
\endif
SELECT CASE WHEN count(*) <= 50000 THEN coalesce(array_agg(form), '{}')::text END AS forms,
       coalesce(array_agg(DISTINCT hashtext(form)), '{}')::text AS hashes,
       count(DISTINCT key) AS n_keys, count(*) <= 50000 AS forms_small
FROM fm
\gset
SELECT max(CASE WHEN name = 'hukou' THEN push END) AS push_hukou,
       max(CASE WHEN name = 'social_insurance' THEN push END) AS push_social_insurance,
       max(CASE WHEN name = 'property' THEN push END) AS push_property,
       max(CASE WHEN name = 'vehicle' THEN push END) AS push_vehicle,
       max(CASE WHEN name = 'business' THEN push END) AS push_business
FROM (SELECT name, CASE lower(:'pushdown')
                       WHEN 'on' THEN 'on' WHEN 'off' THEN 'off'
                       ELSE CASE WHEN id_indexed AND reltuples >= 20 * 2 * :n_keys
                                 THEN 'on' ELSE 'off' END END AS push
      FROM rel) r
\gset
-- The filters below are wrapped in CASE, to have them evaluated in that
-- order and to keep the planner from estimating a selectivity for each
-- element of a large array; a small one (push-down of a small archive) is
-- left to the planner, which may use the index.

CREATE TEMP TABLE f_hk AS
SELECT fm.key AS k, s.rid, pg_temp.xtrim(s.name) AS name,
       CASE WHEN pg_temp.xtrim(s.region_code) IS NOT NULL
            THEN pg_temp.xtrim(s.region_code)::int END AS region,
       pg_temp.code(s.status) AS status, s.status_on
FROM (
    SELECT
\if :push_hukou
           x.id_no AS f,
\else
           CASE WHEN x.id_no ~ '^[0-9Xx]*$' THEN x.id_no ELSE pg_temp.ref_slow(x.id_no) END AS f,
\endif
           :rid_hukou AS rid, x.name, x.region_code, x.status, x.status_on
    FROM :"schema".hukou x
\if :push_hukou
\if :forms_small
    WHERE x.id_no = ANY (:'forms'::text[])
\else
    WHERE CASE WHEN hashtext(x.id_no) = ANY (:'hashes'::int4[]) THEN true ELSE false END
\endif
\else
    WHERE CASE WHEN hashtext(CASE WHEN x.id_no ~ '^[0-9Xx]*$' THEN x.id_no
                                  ELSE pg_temp.ref_slow(x.id_no) END) = ANY (:'hashes'::int4[])
               THEN true ELSE false END
\endif
    OFFSET 0
) s
JOIN fm ON fm.form = s.f
WHERE pg_temp.code(s.status) IN ('normal', 'deceased', 'moved_out', 'cancelled')
  AND (pg_temp.xtrim(s.region_code) IS NULL OR pg_temp.region_ok(pg_temp.xtrim(s.region_code)));
CREATE INDEX ON f_hk (k, rid);

CREATE TEMP TABLE f_pr AS
SELECT fm.key AS k, s.rid, pg_temp.xtrim(s.cert_no) AS cert_no, pg_temp.code(s.usage) AS usage,
       s.area_m2,
       CASE WHEN pg_temp.xtrim(s.region_code) IS NOT NULL
            THEN pg_temp.xtrim(s.region_code)::int END AS region,
       s.registered_on, s.cancelled_on
FROM (
    SELECT
\if :push_property
           x.id_no AS f,
\else
           CASE WHEN x.id_no ~ '^[0-9Xx]*$' THEN x.id_no ELSE pg_temp.ref_slow(x.id_no) END AS f,
\endif
           :rid_property AS rid, x.cert_no, x.usage, x.area_m2, x.region_code,
           x.registered_on, x.cancelled_on
    FROM :"schema".property x
\if :push_property
\if :forms_small
    WHERE x.id_no = ANY (:'forms'::text[])
\else
    WHERE CASE WHEN hashtext(x.id_no) = ANY (:'hashes'::int4[]) THEN true ELSE false END
\endif
\else
    WHERE CASE WHEN hashtext(CASE WHEN x.id_no ~ '^[0-9Xx]*$' THEN x.id_no
                                  ELSE pg_temp.ref_slow(x.id_no) END) = ANY (:'hashes'::int4[])
               THEN true ELSE false END
\endif
    OFFSET 0
) s
JOIN fm ON fm.form = s.f
WHERE pg_temp.code(s.usage) IN ('residential', 'commercial', 'industrial', 'other')
  AND s.registered_on IS NOT NULL AND (s.area_m2 IS NULL OR s.area_m2 <> 'NaN')
  AND (pg_temp.xtrim(s.region_code) IS NULL OR pg_temp.region_ok(pg_temp.xtrim(s.region_code)));

CREATE TEMP TABLE f_vh AS
SELECT fm.key AS k, s.rid, pg_temp.code(s.kind) AS kind, s.registered_on, s.deregistered_on,
       s.price
FROM (
    SELECT
\if :push_vehicle
           x.id_no AS f,
\else
           CASE WHEN x.id_no ~ '^[0-9Xx]*$' THEN x.id_no ELSE pg_temp.ref_slow(x.id_no) END AS f,
\endif
           :rid_vehicle AS rid, x.kind, x.registered_on, x.deregistered_on, x.price
    FROM :"schema".vehicle x
\if :push_vehicle
\if :forms_small
    WHERE x.id_no = ANY (:'forms'::text[])
\else
    WHERE CASE WHEN hashtext(x.id_no) = ANY (:'hashes'::int4[]) THEN true ELSE false END
\endif
\else
    WHERE CASE WHEN hashtext(CASE WHEN x.id_no ~ '^[0-9Xx]*$' THEN x.id_no
                                  ELSE pg_temp.ref_slow(x.id_no) END) = ANY (:'hashes'::int4[])
               THEN true ELSE false END
\endif
    OFFSET 0
) s
JOIN fm ON fm.form = s.f
WHERE pg_temp.code(s.kind) IN ('car', 'truck', 'motorcycle', 'low_speed', 'other')
  AND s.registered_on IS NOT NULL;

CREATE TEMP TABLE f_bz AS
SELECT fm.key AS k, s.rid, pg_temp.code(s.role) AS role, s.registered_capital AS capital,
       pg_temp.code(s.status) AS status, s.established_on, s.closed_on
FROM (
    SELECT
\if :push_business
           x.id_no AS f,
\else
           CASE WHEN x.id_no ~ '^[0-9Xx]*$' THEN x.id_no ELSE pg_temp.ref_slow(x.id_no) END AS f,
\endif
           :rid_business AS rid, x.role, x.registered_capital, x.status,
           x.established_on, x.closed_on
    FROM :"schema".business x
\if :push_business
\if :forms_small
    WHERE x.id_no = ANY (:'forms'::text[])
\else
    WHERE CASE WHEN hashtext(x.id_no) = ANY (:'hashes'::int4[]) THEN true ELSE false END
\endif
\else
    WHERE CASE WHEN hashtext(CASE WHEN x.id_no ~ '^[0-9Xx]*$' THEN x.id_no
                                  ELSE pg_temp.ref_slow(x.id_no) END) = ANY (:'hashes'::int4[])
               THEN true ELSE false END
\endif
    OFFSET 0
) s
JOIN fm ON fm.form = s.f
WHERE pg_temp.code(s.role) IN ('legal_rep', 'shareholder', 'executive')
  AND pg_temp.code(s.status) IN ('active', 'revoked', 'cancelled');

-- Local standards in force, as month intervals per (code, digits): the
-- latest row (effective_from, then file order) whose effective_from falls
-- in or before the month (engine/income.c). 6-digit codes ending in 0000 or
-- 00 are province or city prefixes (xc_region_prefix).
CREATE TEMP TABLE std AS
WITH rows AS (
    SELECT CASE WHEN length(t) = 6 AND right(t, 4) = '0000' THEN left(t, 2)::int
                WHEN length(t) = 6 AND right(t, 2) = '00' THEN left(t, 4)::int
                ELSE t::int END AS code,
           CASE WHEN length(t) = 6 AND right(t, 4) = '0000' THEN 2
                WHEN length(t) = 6 AND right(t, 2) = '00' THEN 4
                ELSE length(t) END AS digits,
           pg_temp.mon(effective_from) AS m, effective_from, rid, monthly_amount AS amount
    FROM (SELECT pg_temp.xtrim(x.region_code) AS t, x.effective_from, x.monthly_amount,
                 :rid_dibao_standard AS rid
          FROM :"schema".dibao_standard x) s
    WHERE t ~ '^([0-9]{2}|[0-9]{4}|[0-9]{6})$' AND pg_temp.province_ok(t)
      AND effective_from IS NOT NULL AND monthly_amount IS NOT NULL
), last_of_month AS (
    SELECT DISTINCT ON (code, digits, m) code, digits, m, amount
    FROM rows ORDER BY code, digits, m, effective_from DESC, rid DESC, amount
)
SELECT code, digits, m AS m_from,
       coalesce(lead(m) OVER (PARTITION BY code, digits ORDER BY m), 2147483647) AS m_to,
       amount
FROM last_of_month;
CREATE INDEX ON std (digits, code, m_from);
ANALYZE f_hk;
ANALYZE f_pr;
ANALYZE f_vh;
ANALYZE f_bz;
ANALYZE std;

-- ---- flags -----------------------------------------------------------------

CREATE TEMP TABLE flags (rule text, category text, archive_no text, masked_id text,
                         condition_from date, condition_to date);

-- ID-INVALID, ID-LEGACY (identity.c): every member of a household in the
-- archive or exited on as_of whose ID is invalid / was upgraded from 15
-- digits (also when the upgraded number is then invalid).
INSERT INTO flags
SELECT 'ID-INVALID', 'data_quality', p.archive_no, p.masked, NULL::date, NULL::date
FROM pm p JOIN hh h USING (archive_no)
WHERE (h.in_arch OR h.exited) AND p.err
UNION ALL
SELECT 'ID-LEGACY', 'data_quality', p.archive_no, p.masked, NULL::date, NULL::date
FROM pm p JOIN hh h USING (archive_no)
WHERE (h.in_arch OR h.exited) AND p.legacy;

-- ID-NOT-FOUND: a valid ID without a hukou row.
INSERT INTO flags
SELECT 'ID-NOT-FOUND', 'data_quality', p.archive_no, p.masked, NULL::date, NULL::date
FROM pm p JOIN hh h USING (archive_no)
WHERE (h.in_arch OR h.exited) AND p.key IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM f_hk k WHERE k.k = p.key);

-- ID-NAME-MISMATCH: hukou has the ID under names, none the member's.
INSERT INTO flags
SELECT 'ID-NAME-MISMATCH', 'data_quality', p.archive_no, p.masked, NULL::date, NULL::date
FROM pm p JOIN hh h USING (archive_no)
WHERE (h.in_arch OR h.exited) AND p.key IS NOT NULL AND p.name <> ''
  AND EXISTS (SELECT 1 FROM f_hk k WHERE k.k = p.key AND k.name IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM f_hk k WHERE k.k = p.key AND k.name IS NOT NULL
                  AND (k.name = p.name OR pg_temp.name_key(k.name) = pg_temp.name_key(p.name)));

-- DUP-PERSON: a person of an in-archive household who is also in another
-- in-archive household enrolled earlier (same day: a smaller archive_no).
INSERT INTO flags
SELECT 'DUP-PERSON', 'mis_enrollment', p.archive_no, p.masked, h.enrolled_on, NULL::date
FROM pm p JOIN hh h USING (archive_no)
WHERE h.in_arch AND p.key IS NOT NULL
  AND EXISTS (
      SELECT 1 FROM pm q JOIN hh g ON g.archive_no = q.archive_no
      WHERE q.key = p.key AND g.archive_no <> h.archive_no AND g.in_arch
        AND (h.enrolled_on > g.enrolled_on
             OR (h.enrolled_on = g.enrolled_on
                 AND h.archive_no COLLATE "C" > g.archive_no COLLATE "C")));

-- HH-NO-SELF, HH-MULTI-SELF, HH-WORKER-NOT-MEMBER, MB-DUPLICATE
-- (structure.c): households in the archive or exited on as_of; only the
-- members (pm) are looked at, so the worker's row given twice is
-- MB-DUPLICATE, not HH-MULTI-SELF. The household flags carry the worker's
-- masked ID (empty when invalid).
--   HH-NO-SELF            no member with relation self (also no member at all)
--   HH-MULTI-SELF         two or more members with relation self
--   HH-WORKER-NOT-MEMBER  members, a valid worker ID, none of them has it
--   MB-DUPLICATE          per member with repeated rows, that member's ID
INSERT INTO flags
SELECT 'HH-NO-SELF', 'data_quality', h.archive_no, h.wmask, NULL::date, NULL::date
FROM hh h
WHERE (h.in_arch OR h.exited)
  AND NOT EXISTS (SELECT 1 FROM pm p WHERE p.hid = h.hid AND p.relation = 'self')
UNION ALL
SELECT 'HH-MULTI-SELF', 'data_quality', h.archive_no, h.wmask, NULL::date, NULL::date
FROM hh h
JOIN (SELECT hid FROM pm WHERE relation = 'self' GROUP BY hid HAVING count(*) >= 2) s
  USING (hid)
WHERE (h.in_arch OR h.exited)
UNION ALL
SELECT 'HH-WORKER-NOT-MEMBER', 'data_quality', h.archive_no, h.wmask, NULL::date, NULL::date
FROM hh h
WHERE (h.in_arch OR h.exited) AND h.n > 0 AND h.worker_key IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM pm p WHERE p.hid = h.hid AND p.key = h.worker_key)
UNION ALL
SELECT 'MB-DUPLICATE', 'data_quality', p.archive_no, p.masked, NULL::date, NULL::date
FROM pm p JOIN hh h USING (hid)
WHERE (h.in_arch OR h.exited)
  AND EXISTS (SELECT 1 FROM pm_rep r WHERE r.rep_of = p.pid);

-- HK-DECEASED, HK-MOVED (hukou.c): the worker's first hukou row (file
-- order) that shows death / moving out by as_of, or a normal registration
-- in another province. One flag per household.
INSERT INTO flags
SELECT DISTINCT ON (h.archive_no) 'HK-DECEASED',
       CASE WHEN k.status_on IS NOT NULL AND k.status_on <= h.enrolled_on
            THEN 'mis_enrollment' ELSE 'missed_exit' END,
       h.archive_no, h.wmask, k.status_on, NULL::date
FROM hh h JOIN f_hk k ON k.k = h.worker_key
WHERE h.in_arch AND k.status = 'deceased'
  AND (k.status_on IS NULL OR k.status_on <= :'as_of_d')
ORDER BY h.archive_no, k.rid;

INSERT INTO flags
SELECT DISTINCT ON (h.archive_no) 'HK-MOVED', 'missed_exit', h.archive_no, h.wmask,
       CASE WHEN k.status = 'moved_out' THEN k.status_on END, NULL::date
FROM hh h JOIN f_hk k ON k.k = h.worker_key
WHERE h.in_arch
  AND ((k.status = 'moved_out' AND (k.status_on IS NULL OR k.status_on <= :'as_of_d'))
       OR (k.status = 'normal' AND k.region IS NOT NULL AND k.region <> 0
           AND k.region / 10000 <> h.region / 10000))
ORDER BY h.archive_no, k.rid;

-- PR-COMMERCIAL, VH-CAR, BZ-ROLE (flag.c fb_asset_flags): per member, the
-- qualifying holdings held on enrolled_on make one mis_enrollment flag;
-- those started after enrolled_on (or with no start) and held on as_of one
-- missed_exit flag. Held on d: from <= d (or no from) and (no to or to > d).
-- condition_from: the earliest start, empty when one is unknown.
INSERT INTO flags
WITH hits AS (
    SELECT 'PR-COMMERCIAL' AS rule, p.pid, p.archive_no, p.masked, h.enrolled_on,
           r.registered_on AS f, r.cancelled_on AS t
    FROM pm p JOIN hh h USING (archive_no) JOIN f_pr r ON r.k = p.key
    WHERE h.in_arch AND r.usage = ANY (:'commercial_usages'::text[])
    UNION ALL
    SELECT 'VH-CAR', p.pid, p.archive_no, p.masked, h.enrolled_on,
           v.registered_on, v.deregistered_on
    FROM pm p JOIN hh h USING (archive_no) JOIN f_vh v ON v.k = p.key
    WHERE h.in_arch AND v.kind = ANY (:'vehicle_kinds'::text[])
      AND (v.price IS NULL OR v.price < 0 OR v.price >= :min_price)
    UNION ALL
    SELECT 'BZ-ROLE', p.pid, p.archive_no, p.masked, h.enrolled_on,
           b.established_on, b.closed_on
    FROM pm p JOIN hh h USING (archive_no) JOIN f_bz b ON b.k = p.key
    WHERE h.in_arch AND (b.status = 'active' OR b.closed_on IS NOT NULL)
      AND b.role = ANY (:'business_roles'::text[])
      AND (b.capital IS NULL OR b.capital < 0 OR b.capital >= :min_capital)
), judged AS (
    SELECT *, f IS NOT NULL AND f <= enrolled_on AND (t IS NULL OR t > enrolled_on) AS mis
    FROM hits
), cat AS (
    SELECT rule, pid, archive_no, masked, f,
           CASE WHEN mis THEN 'mis_enrollment' ELSE 'missed_exit' END AS category
    FROM judged
    WHERE mis OR ((f IS NULL OR f > enrolled_on) AND (f IS NULL OR f <= :'as_of_d')
                  AND (t IS NULL OR t > :'as_of_d'))
)
SELECT rule, category, archive_no, masked,
       CASE WHEN bool_or(f IS NULL) THEN NULL ELSE min(f) END, NULL::date
FROM cat GROUP BY rule, category, pid, archive_no, masked;

-- PR-MULTI (property.c): the household's distinct residential properties
-- held on enrolled_on (mis_enrollment), else on as_of (missed_exit): at
-- least residential_min of them. One certificate counts once; rows without
-- one are the same property when registered the same day, in the same
-- place, with the same area; the first row (member order, file order) of
-- each stands for it. condition_from: the registration of the min-th home.
INSERT INTO flags
WITH res AS (
    SELECT h.archive_no, h.wmask, h.enrolled_on, p.pid, r.rid, r.cert_no, r.registered_on,
           r.cancelled_on, coalesce(r.region, 0) AS region, r.area_m2
    FROM pm p JOIN hh h USING (archive_no) JOIN f_pr r ON r.k = p.key
    WHERE h.in_arch AND r.usage = 'residential'
), held AS (
    SELECT 1 AS pass, res.* FROM res
    WHERE registered_on <= enrolled_on AND (cancelled_on IS NULL OR cancelled_on > enrolled_on)
    UNION ALL
    SELECT 2, res.* FROM res
    WHERE registered_on <= :'as_of_d' AND (cancelled_on IS NULL OR cancelled_on > :'as_of_d')
), homes AS (
    SELECT DISTINCT ON (pass, archive_no, cert_no,
                        CASE WHEN cert_no IS NULL THEN registered_on END,
                        CASE WHEN cert_no IS NULL THEN region END,
                        CASE WHEN cert_no IS NULL THEN coalesce(area_m2, -1) END)
           pass, archive_no, wmask, registered_on
    FROM held
    ORDER BY pass, archive_no, cert_no,
             CASE WHEN cert_no IS NULL THEN registered_on END,
             CASE WHEN cert_no IS NULL THEN region END,
             CASE WHEN cert_no IS NULL THEN coalesce(area_m2, -1) END,
             pid, rid
), ranked AS (
    SELECT pass, archive_no, wmask, registered_on,
           row_number() OVER (PARTITION BY pass, archive_no ORDER BY registered_on) AS i
    FROM homes
)
SELECT DISTINCT ON (archive_no) 'PR-MULTI',
       CASE WHEN pass = 1 THEN 'mis_enrollment' ELSE 'missed_exit' END,
       archive_no, wmask, registered_on, NULL::date
FROM ranked WHERE i = :residential_min
ORDER BY archive_no, pass;

-- ---- income (rules/income.c) ----------------------------------------------

-- A month text as xcheck's month number (year * 12 + month - 1), NULL when
-- it is no 'YYYY-MM' (a rejected row); month_of: the text trimmed.
CREATE FUNCTION pg_temp.month_of(t text) RETURNS int
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN t ~ '^[0-9][0-9][0-9][0-9]-[0-9][0-9]$' AND left(t, 4) <> '0000'
                     AND substr(t, 6, 2) BETWEEN '01' AND '12'
                THEN substr(t, 1, 4)::int * 12 + substr(t, 6, 2)::int - 1 END;
-- The scan below tests a month text against the array of the texts of
-- the months from 1800 to 2200 first (a hashed look-up, cheaper than a
-- regular expression).
SELECT array_agg(to_char(make_date(y, m, 1), 'YYYY-MM'))::text AS months
FROM generate_series(1800, 2200) y, generate_series(1, 12) m
\gset

-- The household's income per month, in fen: its members' social-insurance
-- amounts (every kind) summed; a member counts once (a repeated row is no
-- member), a person in two households counts in each. Rows are
-- matched, and their month, kind and amount checked, in the parallel scan.
CREATE TEMP TABLE fmp AS
SELECT fm.form, p.hid FROM fm JOIN pm p USING (key);
ANALYZE fmp;
CREATE TEMP TABLE hinc AS
SELECT p.hid, s.month, sum(s.fen) AS total
FROM (
    SELECT
\if :push_social_insurance
           x.id_no AS f,
\else
           CASE WHEN x.id_no ~ '^[0-9Xx]*$' THEN x.id_no ELSE pg_temp.ref_slow(x.id_no) END AS f,
\endif
           CASE WHEN x.month = ANY (:'months'::text[])
                THEN substr(x.month, 1, 4)::int * 12 + substr(x.month, 6, 2)::int - 1
                ELSE pg_temp.month_of(pg_temp.xtrim(x.month)) END AS month,
           (x.amount * 100)::int8 AS fen
    FROM :"schema".social_insurance x
\if :push_social_insurance
\if :forms_small
    WHERE x.id_no = ANY (:'forms'::text[])
      AND x.amount IS NOT NULL AND x.amount = round(x.amount, 2)
      AND (x.kind IN ('contribution', 'pension', 'unemployment_benefit')
           OR pg_temp.code(x.kind) IN ('contribution', 'pension', 'unemployment_benefit'))
\else
    WHERE CASE WHEN hashtext(x.id_no) = ANY (:'hashes'::int4[])
               THEN x.amount IS NOT NULL AND x.amount = round(x.amount, 2)
                    AND (x.kind IN ('contribution', 'pension', 'unemployment_benefit')
                         OR pg_temp.code(x.kind) IN ('contribution', 'pension',
                                                     'unemployment_benefit'))
               ELSE false END
\endif
\else
    WHERE CASE WHEN hashtext(CASE WHEN x.id_no ~ '^[0-9Xx]*$' THEN x.id_no
                                  ELSE pg_temp.ref_slow(x.id_no) END) = ANY (:'hashes'::int4[])
               THEN x.amount IS NOT NULL AND x.amount = round(x.amount, 2)
                    AND (x.kind IN ('contribution', 'pension', 'unemployment_benefit')
                         OR pg_temp.code(x.kind) IN ('contribution', 'pension',
                                                     'unemployment_benefit'))
               ELSE false END
\endif
    OFFSET 0
) s
JOIN fmp p ON p.form = s.f
WHERE s.month IS NOT NULL
GROUP BY p.hid, s.month;
ANALYZE hinc;

-- The months each rule looks at, apart from IN-EXIT-DUE's, per household:
--   IE  IN-ENROLL-HIGH  in archive: the enroll_months before enrolled_on's month
--   EW  EX-WRONG        exited in the audit period: the wrong_exit_months before
--                       exited_on's month
--   ER  EX-RELAPSE      exited before the last relapse_months: those months
CREATE TEMP TABLE hsm AS
SELECT 'IE' AS r, h.hid, g.m
FROM hh h CROSS JOIN LATERAL generate_series(h.e - :enroll_months, h.e - 1) g(m)
WHERE h.in_arch
UNION ALL
SELECT 'EW', h.hid, g.m
FROM hh h
CROSS JOIN LATERAL generate_series(pg_temp.mon(h.exited_on) - :wrong_exit_months,
                                   pg_temp.mon(h.exited_on) - 1) g(m)
WHERE h.exited AND h.exited_on > :'audit_from'::date AND h.exited_on <= :'as_of_d'
UNION ALL
SELECT 'ER', h.hid, g.m
FROM hh h
CROSS JOIN LATERAL generate_series(:last_month - :relapse_months + 1, :last_month) g(m)
WHERE h.exited AND h.exited_on IS NOT NULL
  AND pg_temp.mon(h.exited_on) < :last_month - :relapse_months + 1;
ANALYZE hsm;

-- The standard (fen) of each region and month looked at: those months, and
-- for IN-EXIT-DUE the last 240 months; the row of the longest region prefix
-- in force.
CREATE TEMP TABLE stdm AS
WITH rm AS (
    SELECT DISTINCT h.region, x.m FROM hsm x JOIN hh h USING (hid)
    UNION
    SELECT r.region, g.m
    FROM (SELECT DISTINCT region FROM hh WHERE in_arch) r
    CROSS JOIN generate_series(:last_month - 239, :last_month) g(m)
)
SELECT rm.region, rm.m, (coalesce(s6.amount, s4.amount, s2.amount) * 100)::int8 AS std
FROM rm
LEFT JOIN std s6 ON s6.digits = 6 AND s6.code = rm.region AND rm.m >= s6.m_from AND rm.m < s6.m_to
LEFT JOIN std s4 ON s4.digits = 4 AND s4.code = rm.region / 100
                AND rm.m >= s4.m_from AND rm.m < s4.m_to
LEFT JOIN std s2 ON s2.digits = 2 AND s2.code = rm.region / 10000
                AND rm.m >= s2.m_from AND rm.m < s2.m_to;
ANALYZE stdm;

-- Each of those months judged: per-capita income above standard x factor,
-- below standard (compared without dividing, as xcheck does).
CREATE TEMP TABLE hsv AS
SELECT x.r, x.hid, x.m, sm.std,
       h.n > 0 AND sm.std IS NOT NULL
           AND coalesce(i.total, 0) > sm.std * h.n
                                      * CASE WHEN x.r = 'IE' THEN :enroll_factor ELSE 1 END
           AS above,
       h.n > 0 AND sm.std IS NOT NULL AND coalesce(i.total, 0) < sm.std * h.n AS below
FROM hsm x
JOIN hh h USING (hid)
LEFT JOIN hinc i ON i.hid = x.hid AND i.month = x.m
LEFT JOIN stdm sm ON sm.region = h.region AND sm.m = x.m;

-- IN-ENROLL-HIGH: above standard x enroll_factor in each of the months.
INSERT INTO flags
SELECT 'IN-ENROLL-HIGH', 'mis_enrollment', h.archive_no, h.wmask,
       pg_temp.mstart(h.e - :enroll_months), pg_temp.mend(h.e - 1)
FROM hsv v JOIN hh h USING (hid)
WHERE v.r = 'IE'
GROUP BY h.archive_no
HAVING count(*) FILTER (WHERE v.above) = :enroll_months;

-- EX-WRONG: every month has a standard, not every month is above it.
INSERT INTO flags
SELECT 'EX-WRONG', 'wrong_exit', h.archive_no, h.wmask, h.exited_on, NULL::date
FROM hsv v JOIN hh h USING (hid)
WHERE v.r = 'EW'
GROUP BY h.archive_no
HAVING count(v.std) = :wrong_exit_months
   AND count(*) FILTER (WHERE v.above) < :wrong_exit_months;

-- EX-RELAPSE: below the standard in each of the months.
INSERT INTO flags
SELECT 'EX-RELAPSE', 'relapse', h.archive_no, h.wmask,
       pg_temp.mstart(:last_month - :relapse_months + 1), pg_temp.mend(:last_month)
FROM hsv v JOIN hh h USING (hid)
WHERE v.r = 'ER'
GROUP BY h.archive_no
HAVING count(*) FILTER (WHERE v.below) = :relapse_months;

-- IN-EXIT-DUE: in archive, at least exit_months months from the month after
-- enrollment to the last ended month; of that span (its last 240 months at
-- most), the first run of at least exit_months consecutive months above the
-- standard, reported whole. Only months with income can be above (a
-- standard is never negative).
INSERT INTO flags
WITH above AS (
    SELECT i.hid, i.month AS m
    FROM hinc i
    JOIN hh h USING (hid)
    JOIN stdm sm ON sm.region = h.region AND sm.m = i.month
    WHERE h.in_arch AND :last_month - h.e >= :exit_months
      AND i.month BETWEEN greatest(h.e + 1, :last_month - 239) AND :last_month
      AND h.n > 0 AND sm.std IS NOT NULL AND i.total > sm.std * h.n
), runs AS (
    SELECT hid, m, m - row_number() OVER (PARTITION BY hid ORDER BY m) AS grp
    FROM above
), islands AS (
    SELECT hid, min(m) AS s, max(m) AS t
    FROM runs GROUP BY hid, grp
    HAVING count(*) >= :exit_months
)
SELECT DISTINCT ON (i.hid) 'IN-EXIT-DUE', 'missed_exit', h.archive_no, h.wmask,
       pg_temp.mstart(i.s), pg_temp.mend(i.t)
FROM islands i JOIN hh h USING (hid)
ORDER BY i.hid, i.s;

-- ---- output ------------------------------------------------------------------

COPY (
    SELECT rule, category, archive_no, nullif(masked_id, '') AS masked_id,
           to_char(condition_from, 'YYYY-MM-DD') AS condition_from,
           to_char(condition_to, 'YYYY-MM-DD') AS condition_to
    FROM flags
    ORDER BY rule COLLATE "C", category COLLATE "C", archive_no COLLATE "C",
             masked_id COLLATE "C", condition_from, condition_to
) TO STDOUT WITH (FORMAT csv, HEADER true);
