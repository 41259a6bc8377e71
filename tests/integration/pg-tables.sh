#!/usr/bin/env bash
# pg-tables.sh - tables that are no plain table, on a throwaway cluster
# (tests/support/pg.sh) holding the demo's reference data
# (tests/support/pg-load-demo.sh), each read by xcheck with --pushdown on
# and off over three jobs, and required to give the file demo's flags and
# evidence:
#   - a hash-partitioned hukou (four partitions) and a range-partitioned
#     social insurance (one big partition, split into ctid ranges, and small
#     ones read whole);
#   - a view, a materialized view and an old-style inheritance tree (the
#     parent holding rows of its own, and two children);
#   - a postgres_fdw foreign table (its server: another database of the same
#     cluster, a real hop), read through `table =` and through `query =`;
#   - a range-partitioned social insurance with one foreign partition, and
#     one with a hash-partitioned partition (two levels);
#   - an inheritance tree with a plain and a foreign child.
# The partitioned and inherited tables hold filler rows (valid ID numbers of
# people in no demo file: unmatched, and no flag) so that their members have
# pages enough to be split. Each run's record (summary.json) must say how
# the table was read, and the foreign tables' server must have read their
# rows exactly once per run (pg_stat_user_tables.seq_tup_read there).
# Also: a role that may not read one partition on its own reads the table
# through its parent; a foreign partition whose remote table is gone fails
# the run before anything is written.
# Exits 77 (skipped) when no PostgreSQL server can be started here, except
# under CI=true; also when postgres_fdw is not installed.
# Usage: pg-tables.sh XCHECK SOURCE_ROOT
set -u
xcheck=$1
root=$2
demo=$root/fixtures/demo

# shellcheck source=tests/support/check.sh
. "$(dirname "$0")/../support/check.sh"
# shellcheck source=tests/support/pg.sh
. "$root/tests/support/pg.sh"
pg_start_or_skip
# Everything below lives in the cluster's directory: pg_stop, run by the
# trap pg_start installed, removes it.
tmp=$PG_DIR/t
mkdir "$tmp"
q() { pg_psql -At "$@"; }

if ! q -c 'CREATE EXTENSION postgres_fdw' >"$tmp/out" 2>&1; then
    echo "SKIP: no postgres_fdw here:"
    cat "$tmp/out"
    exit 77
fi
expect_exit 0 "load the demo" -- "$root/tests/support/pg-load-demo.sh" "$tmp/pg.ini"
expect_exit 0 "create the remote database" -- pg_psql -c "CREATE DATABASE remote"

# --- the tables ---------------------------------------------------------------
# Filler people: 530102, a birth date, sequence 8xx, a valid check
# character; none is in any demo table.
cat >"$tmp/tables.sql" <<SQL
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.with_check(s text) RETURNS text LANGUAGE sql IMMUTABLE AS \$\$
    SELECT s || substr('10X98765432', (sum(substr(s, i, 1)::int * ((1 << (18 - i)) % 11)) % 11)::int + 1, 1)
    FROM generate_series(1, 17) AS i \$\$;
CREATE TABLE pg_temp.known AS
    SELECT gmsfhm AS id FROM gongan.hukou_export UNION SELECT "AAC002" FROM renshe.shebao_jiaofei
    UNION SELECT sfzh FROM gonghui.kunnan_chengyuan UNION SELECT zgsfzh FROM gonghui.kunnan_dangan
    UNION SELECT sfzh FROM gonghui.bangfu_zijin UNION SELECT sfzh FROM minzheng.dibao_mingdan
    UNION SELECT 权利人证件号码 FROM zrzy.bdc_qlrxx UNION SELECT sfzmhm FROM jiaojing.jdc_djxx
    UNION SELECT zjhm FROM scjg.qy_rzry;
CREATE TABLE pg_temp.filler AS
    SELECT id FROM (SELECT pg_temp.with_check('530102' || to_char(date '1950-01-01' + i % 18000, 'YYYYMMDD')
                                              || (800 + i / 18000)::text) AS id
                    FROM generate_series(0, 39999) AS i) AS f
    WHERE id NOT IN (SELECT id FROM pg_temp.known WHERE id IS NOT NULL);

CREATE SCHEMA t;
CREATE TABLE t.hukou_plain AS
    SELECT gmsfhm, xm, hjdz_xzqh, rkzt, ztbgrq FROM gongan.hukou_export
    UNION ALL SELECT id, '填充', '530102', '0', NULL FROM pg_temp.filler;
CREATE INDEX ON t.hukou_plain (gmsfhm);

CREATE TABLE t.hukou_hash (gmsfhm text, xm text, hjdz_xzqh text, rkzt text, ztbgrq date)
    PARTITION BY HASH (gmsfhm);
CREATE TABLE t.hukou_hash_0 PARTITION OF t.hukou_hash FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE t.hukou_hash_1 PARTITION OF t.hukou_hash FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE t.hukou_hash_2 PARTITION OF t.hukou_hash FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE t.hukou_hash_3 PARTITION OF t.hukou_hash FOR VALUES WITH (MODULUS 4, REMAINDER 3);
INSERT INTO t.hukou_hash SELECT * FROM t.hukou_plain;
CREATE INDEX ON t.hukou_hash (gmsfhm);

CREATE VIEW t.hukou_view AS SELECT * FROM t.hukou_plain;
CREATE MATERIALIZED VIEW t.hukou_mv AS SELECT * FROM t.hukou_plain;

-- old-style inheritance: the parent holds the demo's rows, the children
-- the fillers
CREATE TABLE t.hukou_inh (gmsfhm text, xm text, hjdz_xzqh text, rkzt text, ztbgrq date);
CREATE TABLE t.hukou_inh_a () INHERITS (t.hukou_inh);
CREATE TABLE t.hukou_inh_b (note text) INHERITS (t.hukou_inh);
INSERT INTO t.hukou_inh SELECT gmsfhm, xm, hjdz_xzqh, rkzt, ztbgrq FROM gongan.hukou_export;
INSERT INTO t.hukou_inh_a SELECT * FROM t.hukou_plain WHERE xm = '填充' AND gmsfhm < '530102198';
INSERT INTO t.hukou_inh_b SELECT *, 'b' FROM t.hukou_plain WHERE xm = '填充' AND gmsfhm >= '530102198';

CREATE TABLE t.si_plain AS
    SELECT "AAC002", "AAE002", "AAE140", "AAB004", "AAE180" FROM renshe.shebao_jiaofei
    UNION ALL SELECT id, '202503', '1', '填充单位', '3000' FROM pg_temp.filler;
CREATE TABLE t.si_range ("AAC002" text, "AAE002" text, "AAE140" text, "AAB004" text, "AAE180" text)
    PARTITION BY RANGE ("AAE002");
CREATE TABLE t.si_range_2025a PARTITION OF t.si_range FOR VALUES FROM (MINVALUE) TO ('202507');
CREATE TABLE t.si_range_2025b PARTITION OF t.si_range FOR VALUES FROM ('202507') TO ('202601');
CREATE TABLE t.si_range_2026 PARTITION OF t.si_range FOR VALUES FROM ('202601') TO (MAXVALUE);
CREATE TABLE t.si_range_other PARTITION OF t.si_range DEFAULT;
INSERT INTO t.si_range SELECT * FROM t.si_plain;

-- two levels: the 2025 partition is itself hash-partitioned
CREATE TABLE t.si_sub ("AAC002" text, "AAE002" text, "AAE140" text, "AAB004" text, "AAE180" text)
    PARTITION BY RANGE ("AAE002");
CREATE TABLE t.si_sub_2025 PARTITION OF t.si_sub FOR VALUES FROM (MINVALUE) TO ('202601')
    PARTITION BY HASH ("AAC002");
CREATE TABLE t.si_sub_2025_0 PARTITION OF t.si_sub_2025 FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE t.si_sub_2025_1 PARTITION OF t.si_sub_2025 FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE TABLE t.si_sub_2026 PARTITION OF t.si_sub FOR VALUES FROM ('202601') TO (MAXVALUE);
CREATE TABLE t.si_sub_other PARTITION OF t.si_sub DEFAULT;
INSERT INTO t.si_sub SELECT * FROM t.si_plain;

-- the foreign tables: their rows live in the database "remote"
CREATE SERVER remote FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '$PGHOST', port '$PGPORT', dbname 'remote');
CREATE USER MAPPING FOR CURRENT_USER SERVER remote;
-- an inheritance tree with a plain and a foreign child
CREATE TABLE t.hukou_inhf (gmsfhm text, xm text, hjdz_xzqh text, rkzt text, ztbgrq date);
CREATE TABLE t.hukou_inhf_a () INHERITS (t.hukou_inhf);
CREATE FOREIGN TABLE t.hukou_inhf_r () INHERITS (t.hukou_inhf)
    SERVER remote OPTIONS (schema_name 'public', table_name 'hukou_child');
INSERT INTO t.hukou_inhf SELECT gmsfhm, xm, hjdz_xzqh, rkzt, ztbgrq FROM gongan.hukou_export;
INSERT INTO t.hukou_inhf_a SELECT * FROM t.hukou_plain WHERE xm = '填充' AND gmsfhm < '530102198';
CREATE FOREIGN TABLE t.hukou_ft (gmsfhm text, xm text, hjdz_xzqh text, rkzt text, ztbgrq date)
    SERVER remote OPTIONS (schema_name 'public', table_name 'hukou');
CREATE TABLE t.si_mixed ("AAC002" text, "AAE002" text, "AAE140" text, "AAB004" text, "AAE180" text)
    PARTITION BY RANGE ("AAE002");
CREATE TABLE t.si_mixed_2025a PARTITION OF t.si_mixed FOR VALUES FROM (MINVALUE) TO ('202507');
CREATE TABLE t.si_mixed_2025b PARTITION OF t.si_mixed FOR VALUES FROM ('202507') TO ('202601');
CREATE FOREIGN TABLE t.si_mixed_2026 PARTITION OF t.si_mixed FOR VALUES FROM ('202601') TO (MAXVALUE)
    SERVER remote OPTIONS (schema_name 'public', table_name 'si_2026');
CREATE TABLE t.si_mixed_other PARTITION OF t.si_mixed DEFAULT;
CREATE INDEX ON t.si_mixed_2025a ("AAC002");
CREATE INDEX ON t.si_mixed_2025b ("AAC002");
CREATE INDEX ON t.si_mixed_other ("AAC002");
SQL
cat >"$tmp/remote.sql" <<'SQL'
CREATE TABLE public.hukou (gmsfhm text, xm text, hjdz_xzqh text, rkzt text, ztbgrq date);
CREATE TABLE public.hukou_child (gmsfhm text, xm text, hjdz_xzqh text, rkzt text, ztbgrq date);
CREATE TABLE public.si_2026 ("AAC002" text, "AAE002" text, "AAE140" text, "AAB004" text, "AAE180" text);
SQL
expect_exit 0 "the remote tables" -- pg_psql -d remote -f "$tmp/remote.sql"
expect_exit 0 "the tables" -- pg_psql -f "$tmp/tables.sql"
expect_exit 0 "fill the foreign tables" -- pg_psql \
    -c "INSERT INTO t.hukou_ft SELECT * FROM t.hukou_plain" \
    -c "INSERT INTO t.si_mixed SELECT * FROM t.si_plain" \
    -c "INSERT INTO t.hukou_inhf_r SELECT * FROM t.hukou_plain WHERE xm = '填充' AND gmsfhm >= '530102198'" \
    -c "ANALYZE t.hukou_plain, t.hukou_hash, t.hukou_mv, t.hukou_inh, t.hukou_inh_a, t.hukou_inh_b,
                t.si_plain, t.si_range, t.si_sub, t.si_mixed, t.hukou_ft, t.hukou_inhf, t.hukou_inhf_a"
hukou_rows=$(q -c 'SELECT count(*) FROM t.hukou_plain')
si_rows=$(q -c 'SELECT count(*) FROM t.si_plain')
[ "$hukou_rows" -gt 39000 ] && ok || bad "hukou with fillers: $hukou_rows rows"
for t in t.hukou_hash t.hukou_view t.hukou_mv t.hukou_inh t.hukou_inhf t.hukou_ft; do
    [ "$(q -c "SELECT count(*) FROM $t")" = "$hukou_rows" ] && ok || bad "$t: not $hukou_rows rows"
done
for t in t.si_range t.si_sub t.si_mixed; do
    [ "$(q -c "SELECT count(*) FROM $t")" = "$si_rows" ] && ok || bad "$t: not $si_rows rows"
done
remote_si=$(q -d remote -c 'SELECT count(*) FROM public.si_2026')
remote_child=$(q -d remote -c 'SELECT count(*) FROM public.hukou_child')
[ "$remote_child" -gt 0 ] && ok || bad "the remote child holds no rows"
[ "$remote_si" -gt 0 ] && [ "$(q -d remote -c 'SELECT count(*) FROM public.hukou')" = "$hukou_rows" ] &&
    ok || bad "the remote tables hold no rows"

# --- the file demo: what every run must reproduce ------------------------------
expect_exit 4 "file demo" -- "$xcheck" run -q -c "$demo/xcheck.ini" -j 1 -o "$tmp/file"
flags_of() { cut -d, -f1,2,3,6,8,9 "$1/flags.csv" | tail -n +2 | sort; }
# evidence without the source (file path or table) and line (row number)
# of the source rows
evidence_of() {
    sed -E -e 's/"source":"([^"\\]|\\.)*",?//g' -e 's/"line":[0-9]+,?//g' "$1/evidence.jsonl"
}
flags_of "$tmp/file" >"$tmp/file.flags"
tail -n +2 "$demo/expected-flags.csv" | sort >"$tmp/want"
cmp -s "$tmp/want" "$tmp/file.flags" && ok || bad "file demo flags differ from expected-flags.csv"
evidence_of "$tmp/file" >"$tmp/file.evidence"

# The remote's count of rows read from one of its tables.
remote_read() {
    q -d remote -c "SELECT coalesce(seq_tup_read, 0) FROM pg_stat_user_tables
                    WHERE relname = '$1'"
}
# The same, once the figure stands still: a session that ended a moment ago
# may not have flushed its statistics yet.
remote_settled() {
    local a b i=0
    a=$(remote_read "$1")
    while sleep 0.5 && b=$(remote_read "$1") && [ "$a" != "$b" ] && [ "$i" -lt 20 ]; do
        a=$b
        i=$((i + 1))
    done
    echo "$b"
}
# remote_once TABLE BEFORE ROWS WHAT: the remote read ROWS more rows of
# TABLE since BEFORE. Its backends flush their statistics as they end, a
# moment after the run: wait for them (at most 10 s), then a little more
# for anything read twice.
remote_once() {
    local want=$(($2 + $3)) got i=0
    while got=$(remote_read "$1") && [ "$got" -lt "$want" ] && [ "$i" -lt 50 ]; do
        sleep 0.2
        i=$((i + 1))
    done
    sleep 1
    got=$(remote_read "$1")
    [ "$got" = "$want" ] && ok || bad "$4: the remote read $(($got - $2)) rows of $1, not $3 once"
}

# variant NAME DATASET TABLE|query=SQL: a configuration reading DATASET
# (hukou or social_insurance) from TABLE, or by the query.
variant() {
    local name=$1 ds=$2 from=$3 line
    case $from in
    query=*) line="query = ${from#query=}" ;;
    *) line="table = $from" ;;
    esac
    awk -v ds="[$ds]" -v line="$line" '
        /^\[/ { in_ds = ($0 == ds) }
        in_ds && /^table = / { print line; next }
        { print }' "$tmp/pg.ini" >"$tmp/$name.ini"
}

# check NAME DATASET REASON [REMOTE_TABLE ROWS]: runs the variant with
# --pushdown on and off over three jobs: exit 4, the file demo's flags and
# evidence, REASON (an extended regular expression) in the dataset's
# strategy_reason, and REMOTE_TABLE's rows read once by its server.
check() {
    local name=$1 ds=$2 reason=$3 remote=${4:-} rows=${5:-0} pushdown out before=0 rec
    for pushdown in on off; do
        out=$tmp/$name-$pushdown
        [ -z "$remote" ] || before=$(remote_settled "$remote")
        expect_exit 4 "$name, --pushdown $pushdown" -- \
            "$xcheck" run -q -c "$tmp/$name.ini" --jobs 3 --pushdown "$pushdown" -o "$out"
        if [ ! -s "$out/flags.csv" ]; then
            bad "$name, --pushdown $pushdown: no flags.csv"
            cat "$tmp/err"
            continue
        fi
        flags_of "$out" >"$tmp/got"
        cmp -s "$tmp/file.flags" "$tmp/got" && ok ||
            { bad "$name, --pushdown $pushdown: flags differ from the file demo"; diff "$tmp/file.flags" "$tmp/got"; }
        evidence_of "$out" >"$tmp/got"
        cmp -s "$tmp/file.evidence" "$tmp/got" && ok ||
            { bad "$name, --pushdown $pushdown: evidence differs from the file demo"; diff "$tmp/file.evidence" "$tmp/got" | head -n 20; }
        cmp -s "$tmp/file/rules.csv" "$out/rules.csv" && ok ||
            bad "$name, --pushdown $pushdown: rules.csv differs"
        rec=$(grep "\"dataset\": \"$ds\"" "$out/summary.json")
        if printf '%s\n' "$rec" | grep -qE -- "$reason"; then ok; else
            bad "$name, --pushdown $pushdown: no '$reason' in the record of $ds:"
            printf '%s\n' "$rec"
        fi
        awk -F, -v ds="$ds" '$1 == ds && $(NF-8) != $(NF-7) + $(NF-6) + $(NF-5) { bad = 1 }
                             END { exit bad }' "$out/accounting.csv" &&
            ok || bad "$name, --pushdown $pushdown: the accounting of $ds does not add up"
        [ -z "$remote" ] || remote_once "$remote" "$before" "$rows" "$name, --pushdown $pushdown"
    done
}

# --- each kind of table ----------------------------------------------------------
variant hash hukou t.hukou_hash
check hash hukou '"strategy_reason": "partitioned: 4 partitions, 4 (whole|filtered on the server)'
grep -q '"strategy": "pushdown"' "$tmp/hash-on/summary.json" && ok || bad "hash, --pushdown on: no push-down"
grep '"dataset": "hukou"' "$tmp/hash-off/summary.json" | grep -q '"parts": 3' &&
    ok || bad "hash, --pushdown off: not in 3 parts"

variant range social_insurance t.si_range
check range social_insurance '"strategy_reason": "partitioned: 4 partitions, (1 by ctid ranges, 3 whole, in 3 parts|4 filtered on the server, in 1 part)'

variant sub social_insurance t.si_sub
check sub social_insurance '"strategy_reason": "partitioned: 4 partitions, (2 by ctid ranges, 2 whole, in 3 parts|4 filtered on the server, in 1 part)'

variant view hukou t.hukou_view
check view hukou 'a view: read in one part|pushdown = on; [0-9]+ ID texts'

variant matview hukou t.hukou_mv
check matview hukou '"parts": 3, "strategy": "full_scan", "strategy_reason": "pushdown = off; [0-9]+ pages in 3 ctid ranges|pushdown = on; [0-9]+ ID texts'

variant inherit hukou t.hukou_inh
check inherit hukou '"strategy_reason": "inheritance tree: 3 tables, (2 by ctid ranges, 1 whole|3 filtered on the server)'

variant inheritf hukou t.hukou_inhf
check inheritf hukou '"strategy_reason": "inheritance tree: 3 tables, (1 by ctid ranges, 1 whole|2 filtered on the server), 1 foreign read whole, once, unfiltered' \
    hukou_child "$remote_child"

variant foreign hukou t.hukou_ft
check foreign hukou '"strategy_reason": "foreign table: read whole in one part, once' \
    hukou "$hukou_rows"
grep '"dataset": "hukou"' "$tmp/foreign-on/summary.json" |
    grep -q 'no push-down: the filter would be sent on to its server' && ok || bad "foreign, --pushdown on: pushed down"

variant fquery hukou 'query=SELECT gmsfhm, xm, hjdz_xzqh, rkzt, ztbgrq FROM t.hukou_ft'
check fquery hukou '"source": "query", .*"parts": 1,' hukou "$hukou_rows"

variant mixed social_insurance t.si_mixed
check mixed social_insurance '"strategy_reason": "partitioned: 4 partitions, (1 by ctid ranges, 2 whole|3 filtered on the server), 1 foreign read whole, once, unfiltered' \
    si_2026 "$remote_si"

# The parts of a tree are named by the members they read (in the evidence's
# source of each row).
grep -qE '"source":"t\.hukou_inh \(part [0-9] of 3: [^"]*t\.hukou_inh[,)]' \
    "$tmp/inherit-off/evidence.jsonl" && ok || bad "inherit, --pushdown off: no part named by its members"

# A role that may read the parent but not every partition: read through the
# parent, whole, and said so.
expect_exit 0 "a role without SELECT on one partition" -- pg_psql \
    -c "CREATE ROLE reader LOGIN" \
    -c "GRANT USAGE ON SCHEMA gonghui, gongan, renshe, zrzy, jiaojing, scjg, minzheng, t TO reader" \
    -c "GRANT SELECT ON ALL TABLES IN SCHEMA gonghui, gongan, renshe, zrzy, jiaojing, scjg, minzheng, t TO reader" \
    -c "REVOKE SELECT ON t.si_range_2026 FROM reader"
expect_exit 4 "range, as a role that may not read a partition" -- \
    env PGUSER=reader "$xcheck" run -q -c "$tmp/range.ini" --jobs 3 -o "$tmp/range-reader"
flags_of "$tmp/range-reader" >"$tmp/got"
cmp -s "$tmp/file.flags" "$tmp/got" && ok || bad "range, as reader: flags differ from the file demo"
grep '"dataset": "social_insurance"' "$tmp/range-reader/summary.json" |
    grep -q '"parts": 1, .*"strategy_reason": "partitioned, read whole through the parent in one part: the role may not read every member on its own' &&
    ok || { bad "range, as reader: not read through the parent"; grep '"dataset": "social_insurance"' "$tmp/range-reader/summary.json"; }

# A foreign partition whose remote table is gone fails the run before any
# data is read, naming the dataset and the table.
expect_exit 0 "the remote table taken away" -- pg_psql -d remote -c "ALTER TABLE public.si_2026 RENAME TO si_gone"
expect_exit 1 "mixed, the remote table gone" -- "$xcheck" run -q -c "$tmp/mixed.ini" --jobs 3 -o "$tmp/mixed-gone"
expect_in "$tmp/err" "social_insurance" "mixed, the remote table gone: the dataset named"
expect_in "$tmp/err" "t.si_mixed" "mixed, the remote table gone: the table named"
[ ! -e "$tmp/mixed-gone/flags.csv" ] && ok || bad "mixed, the remote table gone: outputs written"
expect_exit 0 "the remote table back" -- pg_psql -d remote -c "ALTER TABLE public.si_gone RENAME TO si_2026"

summary
