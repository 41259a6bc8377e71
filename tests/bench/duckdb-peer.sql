-- duckdb-peer.sql - peer.sql's rules in DuckDB SQL, over the gzip CSV files
-- of an xcgen slice, read where they are (no load): the benchmark's DuckDB
-- peer. tests/bench/duckdb.sh runs it (through duckdb-run.mjs):
--
--   tests/bench/duckdb.sh DIR OUT.csv [--as-of DATE]
--
-- Variables (SET VARIABLE before the first statement): data_dir, the
-- directory of <dataset>.csv.gz; as_of ('YYYY-MM-DD'); optional profile
-- parameters, defaults of rules/default.profile: exit_months
-- wrong_exit_months enroll_months enroll_factor relapse_months
-- residential_min commercial_usages vehicle_kinds min_price business_roles
-- min_capital audit_months (lists as DuckDB lists). The last statement's
-- result is the flags, one a row:
--
--   rule,category,archive_no,masked_id,condition_from,condition_to
--
-- the columns 1, 2, 3, 6, 8 and 9 of the flags.csv of an xcheck run with the
-- default profile on the same files, for the 19 rules of peer.sql. The
-- semantics are peer.sql's (see its header): values trimmed, empty is NULL,
-- rejected rows left out, IDs normalised and validated as engine/idno.c
-- does, repeated member rows, months as year * 12 + month - 1, income
-- compared in fen. What differs is the reading: every value is read as
-- text, and the typed columns are converted here as peer.sql's tables hold
-- them (ISO dates; amounts as yuan and fen, rounded like numeric(12,2),
-- but a social-insurance amount with fractions of a fen is rejected, as
-- xcheck rejects it, where peer.sql's column would round it); the file
-- order (WITH ORDINALITY) stands for PostgreSQL's ctid; every reference
-- row is read and matched, as xcheck reads files (peer.sql's full scan),
-- by a hash join with the forms of the archive's IDs. The intermediate
-- results are tables of the in-memory database; DuckDB uses two threads
-- and the memory it likes (no memory_limit is set).

SET threads = 2;

SET VARIABLE exit_months = coalesce(getvariable('exit_months'), 6);
SET VARIABLE wrong_exit_months = coalesce(getvariable('wrong_exit_months'), 6);
SET VARIABLE enroll_months = coalesce(getvariable('enroll_months'), 3);
SET VARIABLE enroll_factor = coalesce(getvariable('enroll_factor'), 1.0);
SET VARIABLE relapse_months = coalesce(getvariable('relapse_months'), 3);
SET VARIABLE residential_min = coalesce(getvariable('residential_min'), 2);
SET VARIABLE commercial_usages = coalesce(getvariable('commercial_usages'),
                                          ['commercial', 'industrial']);
SET VARIABLE vehicle_kinds = coalesce(getvariable('vehicle_kinds'), ['car', 'truck']);
SET VARIABLE min_price = coalesce(getvariable('min_price'), 0);
SET VARIABLE business_roles = coalesce(getvariable('business_roles'),
                                       ['legal_rep', 'shareholder']);
SET VARIABLE min_capital = coalesce(getvariable('min_capital'), 0);
SET VARIABLE audit_months = coalesce(getvariable('audit_months'), 12);

-- The dates of the run (engine/run.c): the last month ended on or before
-- as_of, and audit_period = (as_of - audit_months, as_of] (the day clamped
-- to the month's end, as DuckDB's interval arithmetic does too).
SET VARIABLE as_of_d = CAST(getvariable('as_of') AS DATE);
SET VARIABLE last_month = year(getvariable('as_of_d') + 1) * 12
                          + month(getvariable('as_of_d') + 1) - 1 - 1;
SET VARIABLE audit_from = CAST(getvariable('as_of_d')
                               - to_months(CAST(getvariable('audit_months') AS INTEGER)) AS DATE);

-- ---- reading and helper macros -------------------------------------------

-- A dataset's file, every column as text; src_ordered with its row number
-- in the file (ordinality), for the rules that take "the first" of several
-- rows (numbering the rows makes DuckDB read the file more slowly: the
-- files no rule reads in order are read without).
CREATE MACRO src(name) AS TABLE
    SELECT * FROM read_csv(getvariable('data_dir') || '/' || name || '.csv.gz',
                           header = true, all_varchar = true, delim = ',', quote = '"',
                           escape = '"', compression = 'gzip');
CREATE MACRO src_ordered(name) AS TABLE
    SELECT * FROM read_csv(getvariable('data_dir') || '/' || name || '.csv.gz',
                           header = true, all_varchar = true, delim = ',', quote = '"',
                           escape = '"', compression = 'gzip')
    WITH ORDINALITY;

-- xc_trim: blanks at both ends (ASCII, no-break, ideographic); empty is NULL.
CREATE MACRO xtrim(t) AS
    nullif(trim(t, ' ' || chr(9) || chr(13) || chr(10) || chr(160) || chr(12288)), '');

-- ASCII lower case (strncasecmp), for coded values (lower() where the text
-- is ASCII: it is faster, and changes nothing else there).
CREATE MACRO alower(t) AS
    CASE WHEN strlen(t) = length(t) THEN lower(t)
         ELSE translate(t, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') END;

-- A trimmed coded value, lower-cased (NULL when empty).
CREATE MACRO code(t) AS alower(xtrim(t));

-- A region code xcheck accepts (convert_region): 6 digits of a known
-- province (GB/T 2260).
CREATE MACRO province_ok(t) AS
    left(t, 2) IN ('11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33',
                   '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50',
                   '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81',
                   '82', '83');
CREATE MACRO region_ok(t) AS regexp_full_match(t, '[0-9]{6}') AND province_ok(t);

-- Dates and amounts of the typed columns, as peer.sql's tables hold them:
-- trimmed text, empty is NULL; an amount in yuan and fen (numeric(12,2)).
CREATE MACRO tdate(t) AS CAST(xtrim(t) AS DATE);
CREATE MACRO tnum(t) AS CAST(xtrim(t) AS DECIMAL(18, 2));

-- The ID text cleaned as xc_id_parse reads it: trimmed, one leading
-- apostrophe dropped, full-width digits and X and lower-case x mapped,
-- blanks and hyphens (ASCII, no-break, ideographic, full-width, U+2010-2015)
-- dropped. Anything else stays, and makes the number invalid.
CREATE MACRO id_clean(t) AS
    CASE WHEN regexp_full_match(t, '[0-9Xx]*') THEN upper(t) ELSE
    translate(regexp_replace(trim(t, ' ' || chr(9) || chr(13) || chr(10) || chr(160)
                                     || chr(12288)), '^''', ''),
              '０１２３４５６７８９Ｘｘx' || ' ' || chr(9) || chr(13) || chr(10) || '-'
              || chr(160) || chr(12288) || chr(65293) || chr(8208) || chr(8209)
              || chr(8210) || chr(8211) || chr(8212) || chr(8213),
              '0123456789XXX') END;

-- The ISO 7064 MOD 11-2 check character of the first 17 digits of d.
CREATE MACRO id_chk(d) AS substr('10X98765432',
    CAST(((ascii(substr(d, 1, 1)) - 48) * 7 + (ascii(substr(d, 2, 1)) - 48) * 9
     + (ascii(substr(d, 3, 1)) - 48) * 10 + (ascii(substr(d, 4, 1)) - 48) * 5
     + (ascii(substr(d, 5, 1)) - 48) * 8 + (ascii(substr(d, 6, 1)) - 48) * 4
     + (ascii(substr(d, 7, 1)) - 48) * 2 + (ascii(substr(d, 8, 1)) - 48) * 1
     + (ascii(substr(d, 9, 1)) - 48) * 6 + (ascii(substr(d, 10, 1)) - 48) * 3
     + (ascii(substr(d, 11, 1)) - 48) * 7 + (ascii(substr(d, 12, 1)) - 48) * 9
     + (ascii(substr(d, 13, 1)) - 48) * 10 + (ascii(substr(d, 14, 1)) - 48) * 5
     + (ascii(substr(d, 15, 1)) - 48) * 8 + (ascii(substr(d, 16, 1)) - 48) * 4
     + (ascii(substr(d, 17, 1)) - 48) * 2) % 11 + 1 AS INTEGER), 1);

-- 15 digits upgraded to 18: 19 inserted before the year, check appended.
CREATE MACRO id_up15(c) AS
    left(c, 6) || '19' || substr(c, 7, 9) || id_chk(left(c, 6) || '19' || substr(c, 7, 9));

-- The 18-character form of cleaned text c if it has the shape of one (its
-- check character not verified), else NULL.
CREATE MACRO id_shape(c) AS
    CASE WHEN regexp_full_match(c, '[0-9]*X?')
         THEN CASE length(c) WHEN 18 THEN c
                             WHEN 15 THEN CASE WHEN right(c, 1) <> 'X' THEN id_up15(c) END
              END END;

-- The 18-character form of a reference row's ID text that is not only
-- digits and X/x (compared with the archive's valid IDs: no validation).
CREATE MACRO ref_slow(raw) AS id_shape(id_clean(raw));
-- The text a reference row's ID is matched by (peer.sql's full scan).
CREATE MACRO ref_form(raw) AS
    CASE WHEN regexp_full_match(raw, '[0-9Xx]*') THEN raw ELSE ref_slow(raw) END;

-- Whether cleaned text c, of shape d (id_shape(c)), is a valid ID
-- (xc_id_parse: characters, length, check character, province, birth date
-- a real day from 1800-01-01 to as_of).
CREATE MACRO id_ok(c, d) AS
    CASE
        WHEN d IS NULL THEN false
        WHEN length(c) = 18 AND right(c, 1) <> id_chk(c) THEN false
        WHEN NOT province_ok(d) THEN false
        ELSE coalesce(try_cast(substr(d, 7, 4) || '-' || substr(d, 11, 2) || '-'
                               || substr(d, 13, 2) AS DATE)
                      BETWEEN DATE '1800-01-01' AND getvariable('as_of_d'), false)
    END;

-- xc_id_mask: first 6 + ******** + last 4; shorter than 10: all stars.
CREATE MACRO mask(t) AS
    CASE WHEN length(t) < 10 THEN repeat('*', length(t))
         ELSE left(t, 6) || '********' || right(t, 4) END;

-- Names compared as identity.c's name_key: blanks (space, tab, U+3000)
-- dropped, full-width U+FF01-FF5E made ASCII, middle dots unified.
SET VARIABLE fw_from = (SELECT string_agg(chr(CAST(c AS INTEGER)), '' ORDER BY c)
                        FROM range(65281, 65375) t(c));
SET VARIABLE fw_to = (SELECT string_agg(chr(CAST(c - 65248 AS INTEGER)), '' ORDER BY c)
                      FROM range(65281, 65375) t(c));
CREATE MACRO name_key(t) AS
    translate(t, getvariable('fw_from') || chr(183) || chr(8226) || chr(8231) || chr(8729)
                 || chr(12539) || chr(65381) || ' ' || chr(9) || chr(12288),
              getvariable('fw_to') || '......');

-- Months as xcheck counts them: year * 12 + month - 1.
CREATE MACRO mon(d) AS year(d) * 12 + month(d) - 1;
CREATE MACRO mstart(m) AS make_date(CAST(m // 12 AS BIGINT), CAST(m % 12 + 1 AS BIGINT), 1);
CREATE MACRO mend(m) AS
    make_date(CAST((m + 1) // 12 AS BIGINT), CAST((m + 1) % 12 + 1 AS BIGINT), 1) - 1;

-- A month text as xcheck's month number, NULL when it is no 'YYYY-MM'.
CREATE MACRO month_of(t) AS
    CASE WHEN regexp_full_match(t, '[0-9]{4}-[0-9]{2}') AND left(t, 4) <> '0000'
              AND substr(t, 6, 2) BETWEEN '01' AND '12'
         THEN CAST(substr(t, 1, 4) AS INTEGER) * 12 + CAST(substr(t, 6, 2) AS INTEGER) - 1 END;

-- ---- the archive ---------------------------------------------------------

-- Accepted households, the first of each archive_no (file order). The
-- steps are materialised, so that the cleaned ID (c) and its shape (d) are
-- computed once: a macro is expanded where it is used, and id_ok(c, d)
-- would compute them some twenty times a row.
CREATE TABLE hh0 AS
WITH h0 AS MATERIALIZED (
    SELECT x.ordinality AS rid, xtrim(x.archive_no) AS archive_no,
           xtrim(x.worker_id) AS worker_raw, id_clean(x.worker_id) AS c,
           xtrim(x.region_code) AS region_t,
           code(x.level) AS level, code(x.status) AS status,
           tdate(x.enrolled_on) AS enrolled_on, tdate(x.exited_on) AS exited_on,
           x.hardship_cause
    FROM src_ordered('household') x
), h1 AS MATERIALIZED (
    SELECT h0.*, id_shape(c) AS d FROM h0
    WHERE archive_no IS NOT NULL AND worker_raw IS NOT NULL
      AND level IN ('national', 'provincial', 'local')
      AND status IN ('active', 'relieved', 'exited', 'cancelled')
      AND enrolled_on IS NOT NULL
      AND coalesce(region_ok(region_t), false)
      AND CASE WHEN hardship_cause IS NULL
                  OR regexp_full_match(hardship_cause, '(illness|disability|education|unemployment|housing|accident|other)(;(illness|disability|education|unemployment|housing|accident|other))*')
               THEN true
               ELSE len(list_filter(string_split_regex(hardship_cause, '[;,|、，；]'),
                                    item -> xtrim(item) IS NOT NULL
                                            AND code(item) NOT IN ('illness', 'disability',
                                                'education', 'unemployment', 'housing',
                                                'accident', 'other'))) = 0 END
), h2 AS MATERIALIZED (
    SELECT h1.*, CASE WHEN id_ok(c, d) THEN d END AS worker_key
    FROM h1
)
SELECT DISTINCT ON (archive_no)
       archive_no, worker_key, mask(worker_key) AS wmask, CAST(region_t AS INTEGER) AS region,
       status, enrolled_on, exited_on,
       enrolled_on <= getvariable('as_of_d')
           AND (status IN ('active', 'relieved')
                OR (exited_on IS NOT NULL AND exited_on > getvariable('as_of_d'))) AS in_arch,
       status = 'exited' AND enrolled_on <= getvariable('as_of_d')
           AND (exited_on IS NULL OR exited_on <= getvariable('as_of_d')) AS exited,
       mon(enrolled_on) AS e
FROM h2
ORDER BY archive_no, rid;

-- Member rows: accepted member rows of accepted households, in file order.
-- A row with a valid ID that an earlier row of its household has too
-- repeats that member (rows with an invalid ID never do). rep_of: the pid
-- of the household's first row with the ID (NULL for an invalid ID).
CREATE TABLE pm_all AS
WITH hk AS MATERIALIZED (
    SELECT row_number() OVER (ORDER BY archive_no) AS hid, archive_no FROM hh0
), m0 AS MATERIALIZED (
    SELECT x.ordinality AS rid, xtrim(x.archive_no) AS archive_no,
           xtrim(x.id_no) AS raw, coalesce(xtrim(x.name), '') AS name,
           code(x.relation) AS relation, id_clean(x.id_no) AS c
    FROM src_ordered('member') x
), m1 AS MATERIALIZED (
    SELECT m0.*, hk.hid, id_shape(c) AS d FROM m0 JOIN hk USING (archive_no)
    WHERE raw IS NOT NULL AND relation IN ('self', 'spouse', 'child', 'parent', 'other')
), m2 AS MATERIALIZED (
    SELECT m1.*, id_ok(c, d) AS ok FROM m1
)
SELECT *, CASE WHEN key IS NOT NULL
               THEN first_value(pid) OVER (PARTITION BY hid, key ORDER BY pid) END AS rep_of
FROM (
SELECT row_number() OVER (ORDER BY rid, archive_no, raw) AS pid, hid, archive_no, rid, name,
       relation, CASE WHEN ok THEN d END AS key, NOT ok AS err,
       length(c) = 15 AND d IS NOT NULL AS legacy,
       CASE WHEN ok THEN mask(d)
            ELSE mask(left(regexp_replace(raw, '[^0-9A-Za-z]', '', 'g'), 23))
       END AS masked
FROM m2
) s;

-- Persons (the household's members): the member rows that repeat no one.
CREATE TABLE pm AS
SELECT pid, hid, archive_no, rid, name, relation, key, err, legacy, masked
FROM pm_all WHERE rep_of IS NULL OR rep_of = pid;
CREATE TABLE pm_rep AS
SELECT pid, hid, archive_no, rep_of FROM pm_all WHERE rep_of <> pid;
DROP TABLE pm_all;

-- Households with their number (hid) and size (members, repeats not counted).
CREATE TABLE hh AS
SELECT row_number() OVER (ORDER BY h.archive_no) AS hid,
       coalesce((SELECT count(*) FROM pm p WHERE p.archive_no = h.archive_no), 0) AS n, h.*
FROM hh0 h;
DROP TABLE hh0;

-- ---- reference facts: the rows that match the archive --------------------

-- fm: every text an archive person's valid ID may be exported as (the ID,
-- with a lower-case x, the 15-digit form of one born in the 1900s), and
-- the ID.
CREATE TABLE fm AS
SELECT DISTINCT f AS form, key
FROM (SELECT DISTINCT key FROM pm WHERE key IS NOT NULL) k,
     (SELECT unnest([key,
                     CASE WHEN right(key, 1) = 'X' THEN left(key, 17) || 'x' END,
                     CASE WHEN substr(key, 7, 2) = '19'
                          THEN left(key, 6) || substr(key, 9, 9) END]) AS f)
WHERE f IS NOT NULL;

-- Each big file is read once, whole (as xcheck reads a file): its rows
-- whose ID text is one of the forms are kept as they are (m_*), and only
-- those are converted and checked (f_*). The two steps are two statements,
-- so that no check is evaluated on the rows of people outside the archive
-- (xcheck converts those no further than their ID).
CREATE TABLE m_hk AS
SELECT fm.key, x.ordinality AS rid, x.name, x.region_code, x.status, x.status_on
FROM src_ordered('hukou') x JOIN fm ON fm.form = ref_form(x.id_no);
CREATE TABLE f_hk AS
SELECT s.key AS k, s.rid, xtrim(s.name) AS name,
       CAST(xtrim(s.region_code) AS INTEGER) AS region,
       code(s.status) AS status, tdate(s.status_on) AS status_on
FROM m_hk s
WHERE code(s.status) IN ('normal', 'deceased', 'moved_out', 'cancelled')
  AND (xtrim(s.region_code) IS NULL OR region_ok(xtrim(s.region_code)));
DROP TABLE m_hk;

CREATE TABLE m_pr AS
SELECT fm.key, x.ordinality AS rid, x.cert_no, x.usage, x.area_m2, x.region_code,
       x.registered_on, x.cancelled_on
FROM src_ordered('property') x JOIN fm ON fm.form = ref_form(x.id_no);
CREATE TABLE f_pr AS
SELECT s.key AS k, s.rid, xtrim(s.cert_no) AS cert_no, code(s.usage) AS usage,
       CAST(xtrim(s.area_m2) AS DOUBLE) AS area_m2,
       CAST(xtrim(s.region_code) AS INTEGER) AS region,
       tdate(s.registered_on) AS registered_on, tdate(s.cancelled_on) AS cancelled_on
FROM m_pr s
WHERE code(s.usage) IN ('residential', 'commercial', 'industrial', 'other')
  AND xtrim(s.registered_on) IS NOT NULL
  AND NOT coalesce(isnan(CAST(xtrim(s.area_m2) AS DOUBLE)), false)
  AND (xtrim(s.region_code) IS NULL OR region_ok(xtrim(s.region_code)));
DROP TABLE m_pr;

CREATE TABLE m_vh AS
SELECT fm.key, x.kind, x.registered_on, x.deregistered_on, x.price
FROM src('vehicle') x JOIN fm ON fm.form = ref_form(x.id_no);
CREATE TABLE f_vh AS
SELECT s.key AS k, code(s.kind) AS kind, tdate(s.registered_on) AS registered_on,
       tdate(s.deregistered_on) AS deregistered_on, tnum(s.price) AS price
FROM m_vh s
WHERE code(s.kind) IN ('car', 'truck', 'motorcycle', 'low_speed', 'other')
  AND xtrim(s.registered_on) IS NOT NULL;
DROP TABLE m_vh;

CREATE TABLE m_bz AS
SELECT fm.key, x.role, x.registered_capital, x.status,
       x.established_on, x.closed_on
FROM src('business') x JOIN fm ON fm.form = ref_form(x.id_no);
CREATE TABLE f_bz AS
SELECT s.key AS k, code(s.role) AS role, tnum(s.registered_capital) AS capital,
       code(s.status) AS status, tdate(s.established_on) AS established_on,
       tdate(s.closed_on) AS closed_on
FROM m_bz s
WHERE code(s.role) IN ('legal_rep', 'shareholder', 'executive')
  AND code(s.status) IN ('active', 'revoked', 'cancelled');
DROP TABLE m_bz;

-- Local standards in force, as month intervals per (code, digits): the
-- latest row (effective_from, then file order) whose effective_from falls
-- in or before the month (engine/income.c). 6-digit codes ending in 0000 or
-- 00 are province or city prefixes (xc_region_prefix).
CREATE TABLE std AS
WITH rws AS (
    SELECT CASE WHEN length(t) = 6 AND right(t, 4) = '0000' THEN CAST(left(t, 2) AS INTEGER)
                WHEN length(t) = 6 AND right(t, 2) = '00' THEN CAST(left(t, 4) AS INTEGER)
                ELSE CAST(t AS INTEGER) END AS code,
           CASE WHEN length(t) = 6 AND right(t, 4) = '0000' THEN 2
                WHEN length(t) = 6 AND right(t, 2) = '00' THEN 4
                ELSE length(t) END AS digits,
           mon(effective_from) AS m, effective_from, rid, amount
    FROM (SELECT xtrim(x.region_code) AS t, tdate(x.effective_from) AS effective_from,
                 tnum(x.monthly_amount) AS amount, x.ordinality AS rid
          FROM src_ordered('dibao_standard') x) s
    WHERE regexp_full_match(t, '[0-9]{2}|[0-9]{4}|[0-9]{6}') AND province_ok(t)
      AND effective_from IS NOT NULL AND amount IS NOT NULL
), last_of_month AS (
    SELECT DISTINCT ON (code, digits, m) code, digits, m, amount
    FROM rws ORDER BY code, digits, m, effective_from DESC, rid DESC, amount
)
SELECT code, digits, m AS m_from,
       coalesce(lead(m) OVER (PARTITION BY code, digits ORDER BY m), 2147483647) AS m_to,
       amount
FROM last_of_month;

-- ---- flags -----------------------------------------------------------------

CREATE TABLE flags (rule VARCHAR, category VARCHAR, archive_no VARCHAR, masked_id VARCHAR,
                    condition_from DATE, condition_to DATE);

-- ID-INVALID, ID-LEGACY (identity.c): every member of a household in the
-- archive or exited on as_of whose ID is invalid / was upgraded from 15
-- digits (also when the upgraded number is then invalid).
INSERT INTO flags
SELECT 'ID-INVALID', 'data_quality', p.archive_no, p.masked, NULL, NULL
FROM pm p JOIN hh h USING (archive_no)
WHERE (h.in_arch OR h.exited) AND p.err
UNION ALL
SELECT 'ID-LEGACY', 'data_quality', p.archive_no, p.masked, NULL, NULL
FROM pm p JOIN hh h USING (archive_no)
WHERE (h.in_arch OR h.exited) AND p.legacy;

-- ID-NOT-FOUND: a valid ID without a hukou row.
INSERT INTO flags
SELECT 'ID-NOT-FOUND', 'data_quality', p.archive_no, p.masked, NULL, NULL
FROM pm p JOIN hh h USING (archive_no)
WHERE (h.in_arch OR h.exited) AND p.key IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM f_hk k WHERE k.k = p.key);

-- ID-NAME-MISMATCH: hukou has the ID under names, none the member's.
INSERT INTO flags
SELECT 'ID-NAME-MISMATCH', 'data_quality', p.archive_no, p.masked, NULL, NULL
FROM pm p JOIN hh h USING (archive_no)
WHERE (h.in_arch OR h.exited) AND p.key IS NOT NULL AND p.name <> ''
  AND EXISTS (SELECT 1 FROM f_hk k WHERE k.k = p.key AND k.name IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM f_hk k WHERE k.k = p.key AND k.name IS NOT NULL
                  AND (k.name = p.name OR name_key(k.name) = name_key(p.name)));

-- DUP-PERSON: a person of an in-archive household who is also in another
-- in-archive household enrolled earlier (same day: a smaller archive_no).
INSERT INTO flags
SELECT 'DUP-PERSON', 'mis_enrollment', p.archive_no, p.masked, h.enrolled_on, NULL
FROM pm p JOIN hh h USING (archive_no)
WHERE h.in_arch AND p.key IS NOT NULL
  AND EXISTS (
      SELECT 1 FROM pm q JOIN hh g ON g.archive_no = q.archive_no
      WHERE q.key = p.key AND g.archive_no <> h.archive_no AND g.in_arch
        AND (h.enrolled_on > g.enrolled_on
             OR (h.enrolled_on = g.enrolled_on AND h.archive_no > g.archive_no)));

-- HH-NO-SELF, HH-MULTI-SELF, HH-WORKER-NOT-MEMBER, MB-DUPLICATE
-- (structure.c): households in the archive or exited on as_of; only the
-- members (pm) are looked at. The household flags carry the worker's
-- masked ID (empty when invalid).
INSERT INTO flags
SELECT 'HH-NO-SELF', 'data_quality', h.archive_no, h.wmask, NULL, NULL
FROM hh h
WHERE (h.in_arch OR h.exited)
  AND NOT EXISTS (SELECT 1 FROM pm p WHERE p.hid = h.hid AND p.relation = 'self')
UNION ALL
SELECT 'HH-MULTI-SELF', 'data_quality', h.archive_no, h.wmask, NULL, NULL
FROM hh h
JOIN (SELECT hid FROM pm WHERE relation = 'self' GROUP BY hid HAVING count(*) >= 2) s
  USING (hid)
WHERE (h.in_arch OR h.exited)
UNION ALL
SELECT 'HH-WORKER-NOT-MEMBER', 'data_quality', h.archive_no, h.wmask, NULL, NULL
FROM hh h
WHERE (h.in_arch OR h.exited) AND h.n > 0 AND h.worker_key IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM pm p WHERE p.hid = h.hid AND p.key = h.worker_key)
UNION ALL
SELECT 'MB-DUPLICATE', 'data_quality', p.archive_no, p.masked, NULL, NULL
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
       h.archive_no, h.wmask, k.status_on, NULL
FROM hh h JOIN f_hk k ON k.k = h.worker_key
WHERE h.in_arch AND k.status = 'deceased'
  AND (k.status_on IS NULL OR k.status_on <= getvariable('as_of_d'))
ORDER BY h.archive_no, k.rid;

INSERT INTO flags
SELECT DISTINCT ON (h.archive_no) 'HK-MOVED', 'missed_exit', h.archive_no, h.wmask,
       CASE WHEN k.status = 'moved_out' THEN k.status_on END, NULL
FROM hh h JOIN f_hk k ON k.k = h.worker_key
WHERE h.in_arch
  AND ((k.status = 'moved_out' AND (k.status_on IS NULL OR k.status_on <= getvariable('as_of_d')))
       OR (k.status = 'normal' AND k.region IS NOT NULL AND k.region <> 0
           AND k.region // 10000 <> h.region // 10000))
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
    WHERE h.in_arch AND list_contains(getvariable('commercial_usages'), r.usage)
    UNION ALL
    SELECT 'VH-CAR', p.pid, p.archive_no, p.masked, h.enrolled_on,
           v.registered_on, v.deregistered_on
    FROM pm p JOIN hh h USING (archive_no) JOIN f_vh v ON v.k = p.key
    WHERE h.in_arch AND list_contains(getvariable('vehicle_kinds'), v.kind)
      AND (v.price IS NULL OR v.price < 0 OR v.price >= getvariable('min_price'))
    UNION ALL
    SELECT 'BZ-ROLE', p.pid, p.archive_no, p.masked, h.enrolled_on,
           b.established_on, b.closed_on
    FROM pm p JOIN hh h USING (archive_no) JOIN f_bz b ON b.k = p.key
    WHERE h.in_arch AND (b.status = 'active' OR b.closed_on IS NOT NULL)
      AND list_contains(getvariable('business_roles'), b.role)
      AND (b.capital IS NULL OR b.capital < 0 OR b.capital >= getvariable('min_capital'))
), judged AS (
    SELECT *, coalesce(f IS NOT NULL AND f <= enrolled_on AND (t IS NULL OR t > enrolled_on),
                       false) AS mis
    FROM hits
), cat AS (
    SELECT rule, pid, archive_no, masked, f,
           CASE WHEN mis THEN 'mis_enrollment' ELSE 'missed_exit' END AS category
    FROM judged
    WHERE mis OR ((f IS NULL OR f > enrolled_on) AND (f IS NULL OR f <= getvariable('as_of_d'))
                  AND (t IS NULL OR t > getvariable('as_of_d')))
)
SELECT rule, category, archive_no, masked,
       CASE WHEN bool_or(f IS NULL) THEN NULL ELSE min(f) END, NULL
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
    WHERE registered_on <= getvariable('as_of_d')
      AND (cancelled_on IS NULL OR cancelled_on > getvariable('as_of_d'))
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
       archive_no, wmask, registered_on, NULL
FROM ranked WHERE i = getvariable('residential_min')
ORDER BY archive_no, pass;

-- ---- income (rules/income.c) ----------------------------------------------

-- The household's income per month, in fen: its members' social-insurance
-- amounts (every kind) summed; a member counts once (a repeated row is no
-- member), a person in two households counts in each. A row with a bad
-- month, kind or amount (one with fractions of a fen too) is rejected.
CREATE TABLE fmp AS
SELECT fm.form, p.hid FROM fm JOIN pm p USING (key);
CREATE TABLE m_si AS
SELECT p.hid, xtrim(x.month) AS month, code(x.kind) AS kind, xtrim(x.amount) AS amount
FROM src('social_insurance') x JOIN fmp p ON p.form = ref_form(x.id_no);
CREATE TABLE hinc AS
WITH s AS (
    SELECT hid, month_of(month) AS month, kind, CAST(amount AS DECIMAL(18, 2)) AS amount,
           amount AS amount_t
    FROM m_si
)
SELECT hid, month, sum(CAST(amount * 100 AS BIGINT)) AS total
FROM s
WHERE month IS NOT NULL AND amount IS NOT NULL
  AND NOT regexp_matches(amount_t, '\.[0-9][0-9]0*[1-9]')
  AND kind IN ('contribution', 'pension', 'unemployment_benefit')
GROUP BY hid, month;
DROP TABLE m_si;

-- The months each rule looks at, apart from IN-EXIT-DUE's, per household:
--   IE  IN-ENROLL-HIGH  in archive: the enroll_months before enrolled_on's month
--   EW  EX-WRONG        exited in the audit period: the wrong_exit_months before
--                       exited_on's month
--   ER  EX-RELAPSE      exited before the last relapse_months: those months
CREATE TABLE hsm AS
SELECT 'IE' AS r, h.hid,
       unnest(generate_series(h.e - getvariable('enroll_months'), h.e - 1)) AS m
FROM hh h
WHERE h.in_arch
UNION ALL
SELECT 'EW', h.hid,
       unnest(generate_series(mon(h.exited_on) - getvariable('wrong_exit_months'),
                              mon(h.exited_on) - 1))
FROM hh h
WHERE h.exited AND h.exited_on > getvariable('audit_from')
  AND h.exited_on <= getvariable('as_of_d')
UNION ALL
SELECT 'ER', h.hid,
       unnest(generate_series(getvariable('last_month') - getvariable('relapse_months') + 1,
                              getvariable('last_month')))
FROM hh h
WHERE h.exited AND h.exited_on IS NOT NULL
  AND mon(h.exited_on) < getvariable('last_month') - getvariable('relapse_months') + 1;

-- The standard (fen) of each region and month looked at: those months, and
-- for IN-EXIT-DUE the last 240 months; the row of the longest region prefix
-- in force.
CREATE TABLE stdm AS
WITH rm AS (
    SELECT DISTINCT h.region, x.m FROM hsm x JOIN hh h USING (hid)
    UNION
    SELECT r.region, g.m
    FROM (SELECT DISTINCT region FROM hh WHERE in_arch) r,
         (SELECT unnest(generate_series(getvariable('last_month') - 239,
                                        getvariable('last_month'))) AS m) g
)
SELECT rm.region, rm.m, CAST(coalesce(s6.amount, s4.amount, s2.amount) * 100 AS BIGINT) AS std
FROM rm
LEFT JOIN std s6 ON s6.digits = 6 AND s6.code = rm.region AND rm.m >= s6.m_from
                AND rm.m < s6.m_to
LEFT JOIN std s4 ON s4.digits = 4 AND s4.code = rm.region // 100
                AND rm.m >= s4.m_from AND rm.m < s4.m_to
LEFT JOIN std s2 ON s2.digits = 2 AND s2.code = rm.region // 10000
                AND rm.m >= s2.m_from AND rm.m < s2.m_to;

-- Each of those months judged: per-capita income above standard x factor,
-- below standard (compared without dividing, as xcheck does).
CREATE TABLE hsv AS
SELECT x.r, x.hid, x.m, sm.std,
       coalesce(h.n > 0 AND sm.std IS NOT NULL
           AND coalesce(i.total, 0) > sm.std * h.n
                                      * CASE WHEN x.r = 'IE' THEN getvariable('enroll_factor')
                                             ELSE 1 END, false) AS above,
       coalesce(h.n > 0 AND sm.std IS NOT NULL AND coalesce(i.total, 0) < sm.std * h.n,
                false) AS below
FROM hsm x
JOIN hh h USING (hid)
LEFT JOIN hinc i ON i.hid = x.hid AND i.month = x.m
LEFT JOIN stdm sm ON sm.region = h.region AND sm.m = x.m;

-- IN-ENROLL-HIGH: above standard x enroll_factor in each of the months.
INSERT INTO flags
SELECT 'IN-ENROLL-HIGH', 'mis_enrollment', h.archive_no, any_value(h.wmask),
       mstart(any_value(h.e) - getvariable('enroll_months')), mend(any_value(h.e) - 1)
FROM hsv v JOIN hh h USING (hid)
WHERE v.r = 'IE'
GROUP BY h.archive_no
HAVING count(*) FILTER (WHERE v.above) = getvariable('enroll_months');

-- EX-WRONG: every month has a standard, not every month is above it.
INSERT INTO flags
SELECT 'EX-WRONG', 'wrong_exit', h.archive_no, any_value(h.wmask), any_value(h.exited_on), NULL
FROM hsv v JOIN hh h USING (hid)
WHERE v.r = 'EW'
GROUP BY h.archive_no
HAVING count(v.std) = getvariable('wrong_exit_months')
   AND count(*) FILTER (WHERE v.above) < getvariable('wrong_exit_months');

-- EX-RELAPSE: below the standard in each of the months.
INSERT INTO flags
SELECT 'EX-RELAPSE', 'relapse', h.archive_no, any_value(h.wmask),
       mstart(getvariable('last_month') - getvariable('relapse_months') + 1),
       mend(getvariable('last_month'))
FROM hsv v JOIN hh h USING (hid)
WHERE v.r = 'ER'
GROUP BY h.archive_no
HAVING count(*) FILTER (WHERE v.below) = getvariable('relapse_months');

-- IN-EXIT-DUE: in archive, at least exit_months months from the month after
-- enrollment to the last ended month; of that span (its last 240 months at
-- most), the first run of at least exit_months consecutive months above the
-- standard, reported whole. Only months with income can be above.
INSERT INTO flags
WITH above AS (
    SELECT i.hid, i.month AS m
    FROM hinc i
    JOIN hh h USING (hid)
    JOIN stdm sm ON sm.region = h.region AND sm.m = i.month
    WHERE h.in_arch AND getvariable('last_month') - h.e >= getvariable('exit_months')
      AND i.month BETWEEN greatest(h.e + 1, getvariable('last_month') - 239)
                      AND getvariable('last_month')
      AND h.n > 0 AND sm.std IS NOT NULL AND i.total > sm.std * h.n
), runs AS (
    SELECT hid, m, m - row_number() OVER (PARTITION BY hid ORDER BY m) AS grp
    FROM above
), islands AS (
    SELECT hid, min(m) AS s, max(m) AS t
    FROM runs GROUP BY hid, grp
    HAVING count(*) >= getvariable('exit_months')
)
SELECT DISTINCT ON (i.hid) 'IN-EXIT-DUE', 'missed_exit', h.archive_no, h.wmask,
       mstart(i.s), mend(i.t)
FROM islands i JOIN hh h USING (hid)
ORDER BY i.hid, i.s;

-- ---- output ------------------------------------------------------------------

SELECT rule, category, archive_no, nullif(masked_id, '') AS masked_id,
       strftime(condition_from, '%Y-%m-%d') AS condition_from,
       strftime(condition_to, '%Y-%m-%d') AS condition_to
FROM flags
ORDER BY rule, category, archive_no, masked_id, condition_from, condition_to;
