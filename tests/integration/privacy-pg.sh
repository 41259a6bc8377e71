#!/usr/bin/env bash
# privacy-pg.sh - what xcheck reveals, on a throwaway PostgreSQL cluster
# (tests/support/pg.sh) holding the demo as the departments would:
#   - the pseudonym key: made private, refused when others may read it,
#     when it is a link or not a key, never overwritten; no publication and
#     no data read without it;
#   - push-down with every statement logged (log_statement = all,
#     log_min_duration_statement = 0) and pg_stat_activity watched while
#     the run reads: no archive ID number in any of its forms reaches the
#     server; a role without the TEMP privilege gets a full scan, said in
#     the run record, and the same flags;
#   - the results database: no ID number, masked ID or unkeyed digest of
#     any archive number in any table, so a dictionary of every archive
#     number (the strongest brute force) finds nobody without the key,
#     while with the key every person key is found again;
#   - a `query =` runs as one statement only;
#   - xcheck prune.
# Exits 77 when no server can be started, except under CI=true.
# Usage: privacy-pg.sh XCHECK SOURCE_ROOT
set -u
xcheck=$1
root=$2
demo=$root/fixtures/demo

# shellcheck source=tests/support/check.sh
. "$(dirname "$0")/../support/check.sh"
# shellcheck source=tests/support/pg.sh
. "$root/tests/support/pg.sh"
pg_start_or_skip
tmp=$PG_DIR/t
mkdir "$tmp"
q() { pg_psql -At "$@"; }

expect_exit 0 "load the demo" -- "$root/tests/support/pg-load-demo.sh" "$tmp/pg.ini"
expect_exit 0 "create the results database" -- pg_psql -c "CREATE DATABASE results"
results="dbname=results"

# --- the key ------------------------------------------------------------------
key=$tmp/audit.key
expect_exit 0 "key new" -- "$xcheck" key new "$key"
[ "$(stat -c %a "$key")" = 600 ] && ok || bad "the key file is not mode 0600"
grep -qxE '[0-9a-f]{64}' "$key" && ok || bad "the key file holds no 64 hex digits"
keyid=$("$xcheck" key id "$key")
expect_in "$tmp/out" "$keyid" "key new prints the key id"
expect_exit 1 "key new over an existing file" -- "$xcheck" key new "$key"
expect_in "$tmp/err" "never overwritten" "an existing key is never overwritten"
cp "$key" "$tmp/open.key"
chmod 644 "$tmp/open.key"
expect_exit 1 "a key readable by others" -- "$xcheck" key id "$tmp/open.key"
expect_in "$tmp/err" "0600" "the refusal names the mode"
ln -s "$key" "$tmp/link.key"
expect_exit 1 "a key behind a symbolic link" -- "$xcheck" key id "$tmp/link.key"
printf 'not a key\n' >"$tmp/bad.key"
chmod 600 "$tmp/bad.key"
expect_exit 1 "a file that holds no key" -- "$xcheck" key id "$tmp/bad.key"
# No key: nothing is read, nothing published.
expect_exit 1 "--results without a key" -- env -u XCHECK_KEY_FILE "$xcheck" run -q \
    -c "$tmp/pg.ini" --results "$results" -o "$tmp/nokey"
expect_in "$tmp/err" "needs a pseudonym key" "--results without a key says why"
[ ! -e "$tmp/nokey" ] && ok || bad "a run without its key wrote $tmp/nokey"
export XCHECK_KEY_FILE=$key

# Every form an archive number can be asked for in: 18 characters, a
# lower-case x, the 15 digits of one born in the 1900s.
# Every number of the demo, archive and reference data alike.
{ cat "$demo"/*.csv; zcat "$demo"/*.gz; } | grep -aoE '[0-9]{17}[0-9Xx]' | "$xcheck" id - >"$tmp/idcheck"
awk -F'\t' '$1 != "invalid" { print $3 }' "$tmp/idcheck" | sort -u >"$tmp/ids"
awk -F'\t' '$1 == "invalid" { print $3 }' "$tmp/idcheck" | sort -u >"$tmp/invalid"
[ "$(wc -l <"$tmp/ids")" -ge 40 ] && ok || bad "fewer than 40 demo numbers to look for"
{
    cat "$tmp/ids"
    grep 'X$' "$tmp/ids" | tr X x
    grep -E '^.{6}19' "$tmp/ids" | sed -E 's/^(.{6})19(.{9}).$/\1\2/'
} >"$tmp/forms"

# --- push-down with every statement logged ----------------------------------------
q -c "ALTER SYSTEM SET log_statement = 'all'" >/dev/null
q -c "ALTER SYSTEM SET log_min_duration_statement = 0" >/dev/null
q -c "ALTER SYSTEM SET log_parameter_max_length = -1" >/dev/null
q -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.3
: >"$tmp/activity"
(
    while [ ! -e "$tmp/done" ]; do
        q -c "SELECT query FROM pg_stat_activity WHERE backend_type = 'client backend'" \
            >>"$tmp/activity" 2>/dev/null
    done
) &
watcher=$!
expect_exit 4 "push-down run, published" -- "$xcheck" run -q -c "$tmp/pg.ini" -j 2 \
    --pushdown on --results "$results" --run-id logged -o "$tmp/logged"
touch "$tmp/done"
wait "$watcher"
expect_in "$tmp/logged/summary.json" '"strategy": "pushdown"' "datasets were pushed down"
expect_in "$tmp/logged/summary.json" "COPY data into a temporary table" "the record says how"
[ -s "$tmp/activity" ] && ok || bad "pg_stat_activity was not watched"
grep -q "xc_ids" "$PG_DIR/server.log" && ok || bad "the statement log did not log the push-down"
tail -n +2 "$demo/expected-flags.csv" | sort >"$tmp/want"
cut -d, -f1,2,3,6,8,9 "$tmp/logged/flags.csv" | tail -n +2 | sort >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" && ok || bad "push-down flags differ from expected-flags.csv"
# 2026-12-01: push-down wrote every archive number into the SQL text; the
# server's statement log and pg_stat_activity held them all.
leaked=$(grep -F -o -f "$tmp/forms" "$PG_DIR/server.log" "$tmp/activity" | sort -u | head -5)
[ -z "$leaked" ] && ok || bad "archive numbers reached the source server: $leaked"

# --- a role without TEMP: a full scan, said, and the same flags --------------------
q -c "CREATE ROLE xc_reader LOGIN" >/dev/null
q -c "REVOKE TEMPORARY ON DATABASE postgres FROM PUBLIC" >/dev/null
for s in $(q -c "SELECT nspname FROM pg_namespace WHERE nspname IN
                 ('gongan', 'renshe', 'zrzy', 'jiaojing', 'scjg', 'minzheng', 'gonghui')"); do
    q -c "GRANT USAGE ON SCHEMA $s TO xc_reader; GRANT SELECT ON ALL TABLES IN SCHEMA $s TO xc_reader" >/dev/null
done
expect_exit 4 "push-down without TEMP" -- "$xcheck" run -q -c "$tmp/pg.ini" --pushdown on \
    -d "user=xc_reader" -o "$tmp/notemp"
expect_in "$tmp/notemp/summary.json" "no TEMP privilege" "the record says why there is no push-down"
grep -q '"strategy": "pushdown"' "$tmp/notemp/summary.json" && bad "pushed down without TEMP" || ok
cut -d, -f1,2,3,6,8,9 "$tmp/notemp/flags.csv" | tail -n +2 | sort >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" && ok || bad "full-scan flags differ from expected-flags.csv"
leaked=$(grep -F -o -f "$tmp/forms" "$PG_DIR/server.log" | sort -u | head -5)
[ -z "$leaked" ] && ok || bad "archive numbers reached the source server: $leaked"

# --- ID columns of other types: only what the column can hold is sent -------------------
# 2026-12-01: the push-down's temporary table took the ID column's type, so
# a number or a domain with a CHECK refused a row of COPY data, and the
# server's log quoted it ("COPY xc_ids, line 2, column id: ...").
q -c "CREATE DOMAIN gongan.sfzh AS text CHECK (char_length(VALUE) <> 15)" >/dev/null
q -c "CREATE TABLE gongan.hukou_dom AS SELECT * FROM gongan.hukou_export
      WHERE char_length(gmsfhm) <> 15" >/dev/null
q -c "ALTER TABLE gongan.hukou_dom ALTER gmsfhm TYPE gongan.sfzh" >/dev/null
q -c "CREATE INDEX ON gongan.hukou_dom (gmsfhm)" >/dev/null
q -c "CREATE TABLE gongan.hukou_num AS SELECT * FROM gongan.hukou_export
      WHERE gmsfhm ~ '^[0-9]{18}$'" >/dev/null
q -c "ALTER TABLE gongan.hukou_num ALTER gmsfhm TYPE numeric USING gmsfhm::numeric" >/dev/null
q -c "CREATE INDEX ON gongan.hukou_num (gmsfhm)" >/dev/null
q -c "CREATE TABLE gongan.hukou_int AS SELECT *, 1::int AS n, 1::money AS m FROM gongan.hukou_export" >/dev/null
for t in dom num; do
    sed "s|^table = gongan.hukou_export|table = gongan.hukou_$t|" "$tmp/pg.ini" >"$tmp/$t.ini"
    expect_exit 4 "push-down into a $t ID column" -- "$xcheck" run -q -c "$tmp/$t.ini" \
        --pushdown on -o "$tmp/$t"
    grep -q '"dataset": "hukou", "configured": true[^}]*"strategy": "pushdown"' "$tmp/$t/summary.json" &&
        ok || bad "hukou was not pushed down into a $t column"
done
grep -q '"read": 0' "$tmp/num/summary.json" && bad "no hukou row found through a numeric column" || ok
sed -e "s|^table = gongan.hukou_export|table = gongan.hukou_int|" \
    -e "s|^field.id_no *= *gmsfhm|field.id_no = n|" \
    -e '/^\[hukou\]/,/^\[/s/^max_rejects.*/max_rejects = 100%/' "$tmp/pg.ini" >"$tmp/int.ini"
expect_exit 4 "an integer ID column" -- "$xcheck" run -q -c "$tmp/int.ini" --pushdown on -o "$tmp/int"
expect_in "$tmp/int/summary.json" "too small for ID numbers" "an integer ID column is read whole, and why"
# 2026-12-01: a money ID column (category N) got the numbers cast into it,
# and the server's error quoted them.
sed -e "s|^table = gongan.hukou_export|table = gongan.hukou_int|" \
    -e "s|^field.id_no *= *gmsfhm|field.id_no = m|" \
    -e '/^\[hukou\]/,/^\[/s/^max_rejects.*/max_rejects = 100%/' "$tmp/pg.ini" >"$tmp/money.ini"
expect_exit 4 "a money ID column" -- "$xcheck" run -q -c "$tmp/money.ini" --pushdown on -o "$tmp/money"
expect_in "$tmp/money/summary.json" "compared with exactly" "a money ID column is read whole, and why"
leaked=$(grep -F -o -f "$tmp/forms" "$PG_DIR/server.log" | sort -u | head -5)
[ -z "$leaked" ] && ok || bad "archive numbers reached the source server: $leaked"
grep -q "COPY xc_ids, line" "$PG_DIR/server.log" && bad "a row of the push-down's COPY was refused" || ok

# --- a foreign table: the filter would reach another server --------------------------------
# 2026-12-01: push-down into a postgres_fdw table sent the ID set on to the
# remote server as a parameter ($1 = '{...}' in that server's log).
q -c "CREATE EXTENSION postgres_fdw" >/dev/null
q -c "CREATE SERVER loop FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '$PGHOST', port '$PGPORT', dbname 'postgres')" >/dev/null
q -c "CREATE USER MAPPING FOR CURRENT_USER SERVER loop" >/dev/null
q -c "CREATE SCHEMA fdwtest" >/dev/null
q -c "IMPORT FOREIGN SCHEMA gongan LIMIT TO (hukou_export) FROM SERVER loop INTO fdwtest" >/dev/null
sed "s|^table = gongan.hukou_export|table = fdwtest.hukou_export|" "$tmp/pg.ini" >"$tmp/fdw.ini"
expect_exit 4 "push-down into a foreign table" -- "$xcheck" run -q -c "$tmp/fdw.ini" --pushdown on -o "$tmp/fdw"
expect_in "$tmp/fdw/summary.json" "foreign table" "the record says why the foreign table is read whole"
cut -d, -f1,2,3,6,8,9 "$tmp/fdw/flags.csv" | tail -n +2 | sort >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" && ok || bad "flags through the foreign table differ from expected-flags.csv"
leaked=$(grep -F -o -f "$tmp/forms" "$PG_DIR/server.log" | sort -u | head -5)
[ -z "$leaked" ] && ok || bad "archive numbers reached a server: $leaked"

# --- one statement per query ---------------------------------------------------------
sed 's|^table = scjg.qy_rzry|query = SELECT * FROM scjg.qy_rzry) AS a; DROP TABLE scjg.qy_rzry; SELECT * FROM (SELECT 1|' \
    "$tmp/pg.ini" >"$tmp/two.ini"
expect_exit 1 "a query of two statements" -- "$xcheck" run -q -c "$tmp/two.ini" -o "$tmp/two"
expect_in "$tmp/err" "multiple commands" "the server refuses the second statement"
[ "$(q -c "SELECT count(*) FROM scjg.qy_rzry")" = 4 ] && ok || bad "the second statement ran"

# --- the results database: a dictionary of every archive number finds nobody --------
rq() { pg_psql -At -d results "$@"; }
for t in runs flags rates; do
    rq -c "SELECT t::text FROM xcheck.$t t" >>"$tmp/dump"
done
[ "$(rq -c "SELECT count(*) FROM xcheck.flags WHERE run_id = 'logged'")" -gt 20 ] && ok ||
    bad "too few flags published to look at"
leaked=$(grep -F -o -f "$tmp/forms" "$tmp/dump" | sort -u | head -5)
[ -z "$leaked" ] && ok || bad "ID numbers in the results database: $leaked"
grep -qE '[0-9]{6}\*{8}[0-9]{3}' "$tmp/dump" && bad "masked ID numbers in the results database" || ok
# fnv ID: the FNV-1a 64 hash an earlier version stored, as 16 hex digits.
fnv() {
    local h=$((0xcbf29ce484222325)) i c
    for ((i = 0; i < ${#1}; i++)); do
        printf -v c '%d' "'${1:i:1}"
        h=$(((h ^ c) * 0x100000001b3))
    done
    printf '%016x\n' "$h"
}
: >"$tmp/digests"
: >"$tmp/keyed"
hexkey=$(cat "$key")
while read -r id; do
    fnv "$id" >>"$tmp/digests"
    for d in md5 sha1 sha256 sm3; do
        printf '%s' "$id" | openssl dgst -"$d" -r | cut -c1-32 >>"$tmp/digests"
    done
    printf 'xcheck/person/v1\0%s' "$id" >"$tmp/input"
    openssl mac -digest SM3 -macopt "hexkey:$hexkey" -in "$tmp/input" HMAC |
        tr 'A-F' 'a-f' | cut -c1-32 >>"$tmp/keyed"
done <"$tmp/ids"
while read -r text; do     # invalid numbers: a pseudonym of their text
    printf 'xcheck/text/v1\0%s' "$text" >"$tmp/input"
    openssl mac -digest SM3 -macopt "hexkey:$hexkey" -in "$tmp/input" HMAC |
        tr 'A-F' 'a-f' | cut -c1-32 >>"$tmp/keyed"
done <"$tmp/invalid"
found=$(grep -F -o -f "$tmp/digests" "$tmp/dump" | sort -u | head -5)
[ -z "$found" ] && ok || bad "unkeyed digests of archive numbers in the results database: $found"
# With the key the pseudonyms come back: the look above could find them.
rq -c "SELECT DISTINCT person_key FROM xcheck.flags WHERE run_id = 'logged' AND person_key <> ''" |
    sort >"$tmp/stored"
unknown=$(comm -23 "$tmp/stored" <(sort -u "$tmp/keyed") | grep -c .)
[ -s "$tmp/stored" ] && ok || bad "no person keys stored"
[ "$unknown" = 0 ] && ok || bad "$unknown stored person keys are no keyed pseudonym of a demo number"
[ "$(rq -c "SELECT key_id FROM xcheck.runs WHERE run_id = 'logged'")" = "$keyid" ] && ok ||
    bad "the run record holds no key id"

# --- numbers in paths and archive numbers ------------------------------------------------
# 2026-12-01: config_path and archive_no were stored as they were, and the
# diff printed them.
case_dir=$tmp/case-530102197003120133
mkdir "$case_dir"
sed 's/KN530102-0001/KN530102197003120133/' "$demo/household.csv" >"$case_dir/household.csv"
sed 's/KN530102-0001/KN530102197003120133/' "$demo/member.csv" >"$case_dir/member.csv"
sed -e "s|^path = $demo/household.csv|path = $case_dir/household.csv|" \
    -e "s|^path = $demo/member.csv|path = $case_dir/member.csv|" "$tmp/pg.ini" >"$case_dir/pg.ini"
grep -q "^path = $case_dir/member.csv" "$case_dir/pg.ini" && ok || bad "pg.ini does not read the changed archive"
expect_exit 4 "publish from a folder named after someone" -- "$xcheck" run -q -c "$case_dir/pg.ini" \
    --results "$results" --run-id paths -o "$tmp/paths"
grep -q 'KN530102197003120133' "$tmp/paths/flags.csv" && bad "flags.csv shows the archive number whole" || ok
rq -c "SELECT t::text FROM xcheck.runs t WHERE run_id = 'paths'" >"$tmp/paths.dump"
rq -c "SELECT t::text FROM xcheck.flags t WHERE run_id = 'paths'" >>"$tmp/paths.dump"
grep -q 530102197003120133 "$tmp/paths.dump" && bad "a number in a path or archive number was stored" || ok
grep -qF 'KN530102************' "$tmp/paths.dump" && ok || bad "the archive number is not stored with its region code only"
grep -qF 'case-530102************' "$tmp/paths.dump" && ok || bad "the configuration path is not stored masked"
expect_exit 3 "diff of a run with such names" -- "$xcheck" diff --results "$results" --run-id paths
grep -q 530102197003120133 "$tmp/out" && bad "the diff printed the number" || ok

# --- --full-ids never reaches the results database -----------------------------------------
expect_exit 4 "publish with --full-ids" -- "$xcheck" run -q --full-ids -c "$tmp/pg.ini" \
    --results "$results" --run-id full -o "$tmp/full"
grep -q '"id_no":"' "$tmp/full/evidence.jsonl" && ok || bad "--full-ids wrote no whole number into evidence.jsonl"
rq -c "SELECT t::text FROM xcheck.flags t WHERE run_id = 'full'" >"$tmp/full.dump"
[ -s "$tmp/full.dump" ] && ok || bad "nothing published with --full-ids"
leaked=$(grep -F -o -f "$tmp/forms" "$tmp/full.dump" | sort -u | head -3)
[ -z "$leaked" ] && ok || bad "--full-ids reached the results database: $leaked"

# --- retention -------------------------------------------------------------------------
expect_exit 0 "prune nothing" -- "$xcheck" prune --results "$results" --older-than 30
expect_in "$tmp/out" "0" "prune says how many"
rq -c "UPDATE xcheck.runs SET published = now() - interval '31 days'" >/dev/null
expect_exit 0 "prune old runs" -- "$xcheck" prune --results "$results" --older-than 30
[ "$(rq -c "SELECT count(*) FROM xcheck.runs") $(rq -c "SELECT count(*) FROM xcheck.flags")" = "0 0" ] &&
    ok || bad "prune left runs or flags"
expect_exit 2 "prune without --older-than" -- "$xcheck" prune --results "$results"

summary
