#!/usr/bin/env bash
# shards-pg.sh - a sharded cluster: three shard servers and a coordinator,
# four throwaway servers (tests/support/pg.sh), each on a loopback port of
# its own. The coordinator holds the demo's tables
# (tests/support/pg-load-demo.sh); its hukou and social insurance rows are
# spread over the shards by a hash of the ID number
# (abs(hashtext(id)) % 3, a NULL ID on shard 0), each shard holding its
# share in a table of the coordinator's name and shape. Then:
#   (1) through the coordinator: a table partitioned BY LIST on that hash,
#       whose partitions are postgres_fdw foreign tables, one per shard;
#   (2) the three shards listed in one binding (source.<name>.database),
#       each read in the snapshot of its own server;
# each must give the file demo's flags and evidence, and its summary.json
# must name every source with its server, snapshot and strategy, and say
# that the snapshots of several servers are not one point in time. Also:
#   (3) one shard's backend killed in the middle of its COPY fails the run
#       (exit 1) naming that shard, with no crash, nothing published to the
#       results database and the previous output directory intact;
#   (4) a shard that lost its table, and (5) a shard server that is gone,
#       fail the run before any data is read, naming the shard.
# Exits 77 (skipped) when no PostgreSQL server can be started here, except
# under CI=true; also when postgres_fdw is not installed.
# Usage: shards-pg.sh XCHECK SOURCE_ROOT
set -u
xcheck=$1
root=$2
demo=$root/fixtures/demo

# shellcheck source=tests/support/check.sh
. "$(dirname "$0")/../support/check.sh"
# shellcheck source=tests/support/pg.sh
. "$root/tests/support/pg.sh"

# pg.sh keeps one server in PG_DIR, PGHOST and PGPORT and stops it on
# exit: the servers started before the last are kept here and stopped by
# PG_ON_STOP, which pg_stop runs first.
dirs=() hosts=() ports=()
stop_others() {
    local cur=${PG_DIR:-} d
    for d in "${dirs[@]}"; do
        [ "$d" = "$cur" ] && continue
        PG_DIR=$d PG_ON_STOP='' pg_stop
    done
    PG_DIR=$cur
}
for i in 0 1 2 3; do
    PG_ON_STOP=stop_others
    unset PG_DIR         # pg_start starts none while one is in PG_DIR
    pg_start_or_skip
    dirs+=("$PG_DIR") hosts+=("$PGHOST") ports+=("$PGPORT")
done
PG_ON_STOP=stop_others
# Server 3 is the coordinator (PGHOST, PGPORT: the last started); 0-2 the
# shards.
tmp=$PG_DIR/t
mkdir "$tmp"
q() { pg_psql -At "$@"; }
# on SHARD SQL...: psql on shard SHARD
on() { local s=$1; shift; PGHOST=${hosts[$s]} PGPORT=${ports[$s]} pg_psql -At "$@"; }
shard_db() { echo "host=${hosts[$1]} port=${ports[$1]} dbname=postgres"; }

if ! q -c 'CREATE EXTENSION postgres_fdw' >"$tmp/out" 2>&1; then
    echo "SKIP: no postgres_fdw here:"
    cat "$tmp/out"
    exit 77
fi
expect_exit 0 "load the demo on the coordinator" -- "$root/tests/support/pg-load-demo.sh" "$tmp/pg.ini"
expect_exit 0 "create the results database" -- pg_psql -c "CREATE DATABASE results"
"$xcheck" key new "$tmp/pseudonym.key" >/dev/null || { echo "FAIL: xcheck key new"; exit 1; }
export XCHECK_KEY_FILE="$tmp/pseudonym.key"

# --- the shards ---------------------------------------------------------------
# shard TABLE IDCOL: TABLE's shape on every shard, and its rows spread by
# the hash of IDCOL; then, on the coordinator, shard.<name>: a table
# partitioned by that hash, of one foreign partition per shard.
hash_of() { echo "(abs(hashtext(coalesce($1, ''))) % 3)"; }
shard() {
    local table=$1 col=$2 name=${1#*.} s n total=0
    pg_dump -s -t "$table" | grep -v '^SET transaction_timeout' >"$tmp/$name.ddl"
    for s in 0 1 2; do
        on "$s" -q -c "CREATE SCHEMA IF NOT EXISTS ${table%%.*}" >/dev/null &&
            on "$s" -q -f "$tmp/$name.ddl" >"$tmp/out" 2>&1 ||
            { bad "$table: shape on shard $s"; cat "$tmp/out"; }
        q -c "COPY (SELECT * FROM $table WHERE $(hash_of "$col") = $s) TO STDOUT" |
            on "$s" -c "COPY $table FROM STDIN" >"$tmp/out" 2>&1 ||
            { bad "$table: rows to shard $s"; cat "$tmp/out"; }
        on "$s" -q -c "ANALYZE $table"
        n=$(on "$s" -c "SELECT count(*) FROM $table")
        [ "$n" -gt 0 ] && ok || bad "$table: shard $s holds no row"
        total=$((total + n))
    done
    [ "$total" = "$(q -c "SELECT count(*) FROM $table")" ] && ok ||
        bad "$table: the shards hold $total rows"
    {
        echo "CREATE TABLE shard.$name (LIKE $table) PARTITION BY LIST ($(hash_of "$col"));"
        for s in 0 1 2; do
            echo "CREATE FOREIGN TABLE shard.${name}_$s PARTITION OF shard.$name FOR VALUES IN ($s)"
            echo "    SERVER shard$s OPTIONS (schema_name '${table%%.*}', table_name '$name');"
        done
    } | q -q -1 >"$tmp/out" 2>&1 && ok || { bad "shard.$name on the coordinator"; cat "$tmp/out"; }
}
{
    echo "CREATE SCHEMA shard;"
    for s in 0 1 2; do
        echo "CREATE SERVER shard$s FOREIGN DATA WRAPPER postgres_fdw"
        echo "    OPTIONS (host '${hosts[$s]}', port '${ports[$s]}', dbname 'postgres');"
        echo "CREATE USER MAPPING FOR CURRENT_USER SERVER shard$s OPTIONS (user 'postgres');"
    done
} | q -q -1 >"$tmp/out" 2>&1 && ok || { bad "foreign servers"; cat "$tmp/out"; }
shard gongan.hukou_export gmsfhm
shard renshe.shebao_jiaofei '"AAC002"'
[ "$(q -c 'SELECT count(*) FROM shard.hukou_export')" = "$(q -c 'SELECT count(*) FROM gongan.hukou_export')" ] &&
    ok || bad "shard.hukou_export reads every row through the coordinator"

# --- the file demo: what every run must reproduce -------------------------
expect_exit 4 "file demo" -- "$xcheck" run -q -c "$demo/xcheck.ini" -j 1 -o "$tmp/file"
flags_of() { cut -d, -f1,2,3,6,8,9 "$1/flags.csv" | tail -n +2 | sort; }
# evidence without the source (file path or table) and line (row number)
evidence_of() {
    sed -E -e 's/"source":"([^"\\]|\\.)*",?//g' -e 's/"line":[0-9]+,?//g' "$1/evidence.jsonl"
}
flags_of "$tmp/file" >"$tmp/file.flags"
evidence_of "$tmp/file" >"$tmp/file.evidence"
same_as_file() {
    flags_of "$1" >"$tmp/got"
    cmp -s "$tmp/file.flags" "$tmp/got" && ok || { bad "$2: flags differ from the file demo"; diff "$tmp/file.flags" "$tmp/got"; }
    evidence_of "$1" >"$tmp/got"
    cmp -s "$tmp/file.evidence" "$tmp/got" && ok || { bad "$2: evidence differs from the file demo"; diff "$tmp/file.evidence" "$tmp/got" | head -n 20; }
}
# summary_line DIR DATASET: the dataset's line of summary.json
summary_line() { grep "\"dataset\": \"$2\", \"configured\"" "$1/summary.json"; }

# --- (1) through the coordinator ------------------------------------------
sed -e 's/^table = gongan.hukou_export/table = shard.hukou_export/' \
    -e 's/^table = renshe.shebao_jiaofei/table = shard.shebao_jiaofei/' "$tmp/pg.ini" >"$tmp/coord.ini"
for pd in on off; do
    expect_exit 4 "(1) through the coordinator, pushdown $pd" -- \
        "$xcheck" run -q -c "$tmp/coord.ini" -j 3 --pushdown "$pd" -o "$tmp/coord-$pd"
    same_as_file "$tmp/coord-$pd" "(1) coordinator, pushdown $pd"
    summary_line "$tmp/coord-$pd" hukou >"$tmp/line"
    expect_in "$tmp/line" "3 foreign read whole, once, unfiltered" "(1) pushdown $pd: the foreign partitions read whole"
done

# --- (2) the shards in one binding -----------------------------------------
# shards_ini OUT TABLE: pg.ini with hukou and social insurance read from
# the three shards directly (hukou from TABLE on each).
shards_ini() {
    awk -v h="$2" -v s0="$(shard_db 0)" -v s1="$(shard_db 1)" -v s2="$(shard_db 2)" '
        /^\[/ { sec = $0 }
        (sec == "[hukou]" || sec == "[social_insurance]") && /^table = / {
            if (sec == "[hukou]") $0 = "table = " h
            print
            print "source.s0.database = " s0
            print "source.s1.database = " s1
            print "source.s2.database = " s2
            next
        }
        { print }' "$tmp/pg.ini" >"$1"
}
shards_ini "$tmp/shards.ini" gongan.hukou_export
[ "$(grep -c '^source\.s[012]\.database' "$tmp/shards.ini")" = 6 ] && ok || bad "shards.ini: three sources twice"
for pd in on off; do
    expect_exit 4 "(2) the three shards, pushdown $pd" -- \
        "$xcheck" run -q -c "$tmp/shards.ini" -j 2 --pushdown "$pd" \
        --results dbname=results --run-id "shards-$pd" -o "$tmp/shards-$pd"
    same_as_file "$tmp/shards-$pd" "(2) shards, pushdown $pd"
    summary_line "$tmp/shards-$pd" hukou >"$tmp/line"
    for s in 0 1 2; do
        expect_in "$tmp/line" "\"label\": \"s$s: gongan.hukou_export @ ${hosts[$s]}:${ports[$s]}/postgres, snapshot " \
            "(2) pushdown $pd: source s$s named with its server"
    done
    expect_in "$tmp/line" "3 sources from 3 databases, each read in its own snapshot: not one point in time" \
        "(2) pushdown $pd: the snapshots are said to be apart"
    expect_in "$tmp/line" "\"snapshots\": 3" "(2) pushdown $pd: three snapshots"
    want=$([ "$pd" = on ] && echo pushdown || echo full_scan)
    # (fresh servers may well name their snapshots alike)
    [ "$(grep -o "snapshot [0-9A-F]*-[0-9A-F]*-[0-9]*, $want:" "$tmp/line" | wc -l)" = 3 ] && ok ||
        bad "(2) pushdown $pd: a snapshot for each source, each read by $want: $(cat "$tmp/line")"
    [ "$(grep -c 's[012]: gongan.hukou_export @' "$tmp/shards-$pd/accounting.csv")" = 3 ] && ok ||
        { bad "(2) pushdown $pd: accounting.csv has no line per hukou source"; cat "$tmp/shards-$pd/accounting.csv"; }
    expect_in "$tmp/shards-$pd/report.html" "not one point in time" "(2) pushdown $pd: the page says the snapshots are apart"
done
[ "$(q -d results -c "SELECT count(*) FROM xcheck.runs")" = 2 ] && ok || bad "(2) two runs published"
# 2026-12-02: a dataset of one named source was recorded as "1 sources: s0",
# without its table, server, snapshot or strategy
grep -v '^source\.s[12]\.database' "$tmp/shards.ini" >"$tmp/one.ini"
"$xcheck" run -q -c "$tmp/one.ini" -j 2 -o "$tmp/one" >/dev/null 2>&1
summary_line "$tmp/one" hukou >"$tmp/line"
expect_in "$tmp/line" "\"source\": \"s0: gongan.hukou_export @ ${hosts[0]}:${ports[0]}/postgres, snapshot " \
    "one named source: recorded with its table, server and snapshot"
grep -q '1 sources' "$tmp/line" && bad "one named source: recorded as '1 sources'" || ok
# 2026-12-02: the console's summary said nothing of the snapshots apart
expect_exit 4 "(2) the three shards, on the console" -- \
    "$xcheck" run -c "$tmp/shards.ini" -j 2 -o "$tmp/shards-console"
expect_in "$tmp/out" "hukou: read from snapshots of 3 databases, not one point in time" \
    "(2) the console says the snapshots are apart"

# --- (3) a shard's backend killed mid-COPY ----------------------------------
# Shard 1 gets a big hukou table of its own: its demo rows and 600,000
# rows of valid ID numbers nobody archived (Beijing, 110105).
on 1 -q -1 >"$tmp/out" 2>&1 <<'SQL' && ok || { bad "create the big table on shard 1"; cat "$tmp/out"; }
CREATE SCHEMA big;
CREATE TABLE big.hukou_export (LIKE gongan.hukou_export INCLUDING DEFAULTS);
INSERT INTO big.hukou_export SELECT * FROM gongan.hukou_export;
WITH base AS (
    SELECT '110105' || to_char(date '1960-01-01' + g * 7, 'YYYYMMDD') || lpad((g % 1000)::text, 3, '0') AS s
    FROM generate_series(1, 1000) g
), ids AS (
    SELECT s || substr('10X98765432',
                       (SELECT sum(substr(s, i, 1)::int * (ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2])[i])
                        FROM generate_series(1, 17) i)::int % 11 + 1, 1) AS id
    FROM base
)
INSERT INTO big.hukou_export (gmsfhm, xm, hjdz_xzqh, rkzt)
SELECT id, '测试', '110105', '0' FROM ids, generate_series(1, 600);
ANALYZE big.hukou_export;
-- Waits (at most `seconds`) for an xcheck session's COPY to have sent
-- min_rows rows, then terminates its backend.
CREATE FUNCTION big.kill_copy(min_rows bigint, seconds int) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    p int;
    n bigint;
BEGIN
    FOR i IN 1 .. seconds * 100 LOOP
        PERFORM pg_stat_clear_snapshot();
        SELECT c.pid, c.tuples_processed INTO p, n
        FROM pg_stat_progress_copy c JOIN pg_stat_activity a USING (pid)
        WHERE a.application_name LIKE 'xcheck%' AND c.command = 'COPY TO'
          AND c.tuples_processed >= min_rows
        LIMIT 1;
        IF p IS NOT NULL THEN
            PERFORM pg_terminate_backend(p);
            RETURN format('terminated %s after %s rows', p, n);
        END IF;
        PERFORM pg_sleep(0.01);
    END LOOP;
    RETURN 'no COPY of xcheck seen';
END $$;
SQL
# Only shard 1 has big.hukou_export: the others keep the section's table.
awk '/^source\.s1\.database/ && !done { print; print "source.s1.table = big.hukou_export"; done = 1; next } { print }' \
    "$tmp/shards.ini" >"$tmp/kill.ini"
q -d results -c "SELECT t::text FROM xcheck.runs t ORDER BY 1" >"$tmp/runs.before"
q -d results -c "SELECT t::text FROM xcheck.flags t ORDER BY 1" >"$tmp/flags.before"
cp -r "$tmp/shards-off" "$tmp/kept"
PGHOST=${hosts[1]} PGPORT=${ports[1]} PGAPPNAME=pgtest-killer pg_psql -At \
    -c "SELECT big.kill_copy(50000, 120)" >"$tmp/killer" 2>&1 &
killer=$!
"$xcheck" run -q -c "$tmp/kill.ini" -j 2 --pushdown off --results dbname=results \
    --run-id shard-killed -o "$tmp/shards-off" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 1 ] && ok || { bad "(3) killed shard: exit $rc, not 1"; cat "$tmp/err"; }
PGHOST=${hosts[1]} PGPORT=${ports[1]} pg_psql -At -c \
    "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'pgtest-killer'" >/dev/null
wait "$killer"
expect_in "$tmp/killer" "terminated" "(3) the killer found xcheck's COPY on shard 1"
grep -q '^xcheck: error: ' "$tmp/err" && ok || { bad "(3) no 'xcheck: error:' line"; cat "$tmp/err"; }
expect_in "$tmp/err" "s1: big.hukou_export" "(3) the shard is named"
grep -qE '57P01|08006' "$tmp/err" && ok || { bad "(3) no SQLSTATE 57P01 or 08006"; cat "$tmp/err"; }
if grep -qiE 'assert|sanitizer|segmentation|core dumped' "$tmp/err"; then bad "(3) crashed"; cat "$tmp/err"; else ok; fi
q -d results -c "SELECT t::text FROM xcheck.runs t ORDER BY 1" >"$tmp/runs.after"
q -d results -c "SELECT t::text FROM xcheck.flags t ORDER BY 1" >"$tmp/flags.after"
cmp -s "$tmp/runs.before" "$tmp/runs.after" && ok || bad "(3) xcheck.runs changed"
cmp -s "$tmp/flags.before" "$tmp/flags.after" && ok || bad "(3) xcheck.flags changed"
diff -r "$tmp/kept" "$tmp/shards-off" >"$tmp/out" 2>&1 && ok ||
    { bad "(3) the previous output directory changed"; head -n 20 "$tmp/out"; }

# --- (4) a shard without its table -----------------------------------------
on 2 -q -c "ALTER TABLE gongan.hukou_export RENAME TO hukou_gone"
expect_exit 1 "(4) a shard lost its table" -- "$xcheck" run -q -c "$tmp/shards.ini" -j 2 \
    -o "$tmp/gone"
expect_in "$tmp/err" "s2: gongan.hukou_export" "(4) the shard is named"
expect_in "$tmp/err" "42P01" "(4) SQLSTATE undefined_table"
[ ! -e "$tmp/gone" ] && ok || bad "(4) an output directory was written"

# --- (5) a shard server gone -------------------------------------------------
on 2 -q -c "ALTER TABLE gongan.hukou_gone RENAME TO hukou_export"
sleep 0.5
for s in 0 1 2 3; do
    [ "$(on "$s" -c "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'xcheck%'")" = 0 ] &&
        ok || bad "xcheck sessions left on server $s"
done
PG_DIR=${dirs[0]} PG_ON_STOP='' pg_stop
export PGHOST=${hosts[3]} PGPORT=${ports[3]} PG_DIR=${dirs[3]}
expect_exit 1 "(5) a shard server is gone" -- "$xcheck" run -q -c "$tmp/shards.ini" -j 2 \
    -o "$tmp/lost"
expect_in "$tmp/err" "s0: gongan.hukou_export" "(5) the shard is named"
[ ! -e "$tmp/lost" ] && ok || bad "(5) an output directory was written"
summary
