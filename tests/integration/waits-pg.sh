#!/usr/bin/env bash
# waits-pg.sh - no wait without an end, on a throwaway cluster holding the
# demo (tests/support/pg.sh, pg-load-demo.sh):
#   - a source table locked ACCESS EXCLUSIVE by another session: with
#     [run] lock_timeout = 2s the run fails in about 2 s, exit 1, naming
#     the dataset, the table and SQLSTATE 55P03, with a hint;
#   - a row of xcheck.runs locked by another session while a run publishes
#     into it, and xcheck.runs locked whole while `xcheck diff` reads it:
#     clean failures naming xcheck.runs, the earlier publication intact;
#   - a role whose idle_in_transaction_session_timeout is 1 s, and a scan
#     that keeps the snapshot's session idle for 11 s: the run succeeds,
#     and its progress says which source sent no rows for 10 s;
#   - the snapshot's session terminated while a source is read: the next
#     source fails with a hint saying that session has ended.
# Every wait on another session is a poll of pg_locks or pg_stat_activity,
# never a fixed sleep. Exits 77 when no server can be started, except
# under CI=true.
# Usage: waits-pg.sh XCHECK SOURCE_ROOT
set -u
xcheck=$1
root=$2

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
"$xcheck" key new "$tmp/pseudonym.key" >/dev/null || { echo "FAIL: xcheck key new"; exit 1; }
export XCHECK_KEY_FILE="$tmp/pseudonym.key"
results="dbname=results"
sed 's/^\[run\]$/[run]\nlock_timeout = 2s/' "$tmp/pg.ini" >"$tmp/lock.ini"
expect_in "$tmp/lock.ini" "lock_timeout = 2s" "lock.ini sets lock_timeout"

# locker NAME DB SQL: runs SQL in the background in a session named NAME,
# which holds what it took until stop_locker (the SQL ends in a long
# pg_sleep).
locker() {
    PGAPPNAME=$1 pg_psql -d "$2" -c "$3" >"$tmp/$1.log" 2>&1 &
}
# until_true WHAT SQL [DB]: polls until SQL says t (at most 30 s)
until_true() {
    for _ in $(seq 300); do
        [ "$(q -d "${3:-postgres}" -c "$2")" = t ] && { ok; return 0; }
        sleep 0.1
    done
    bad "$1: not seen in 30 s"
    return 1
}
stop_locker() {
    q -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '$1'" >/dev/null
    wait
}
# elapsed: seconds since `started=$(date +%s%N)`
elapsed() { echo $((($(date +%s%N) - started) / 1000000000)); }

expect_exit 4 "the demo from PostgreSQL" -- "$xcheck" run -q -c "$tmp/pg.ini" -o "$tmp/base"
flags_of() { cut -d, -f1,2,3,6,8,9 "$1/flags.csv" | tail -n +2 | sort; }
flags_of "$tmp/base" >"$tmp/base.flags"

# --- a source table locked by another session ---------------------------------------------
# 2026-12-02: a table locked by another session (ALTER TABLE, VACUUM FULL,
# an open LOCK TABLE) kept the run waiting for ever, without a word.
locker pgtest-table postgres "BEGIN; LOCK TABLE zrzy.bdc_qlrxx IN ACCESS EXCLUSIVE MODE;
    SELECT pg_sleep(600)"
until_true "the table lock" "SELECT count(*) = 1 FROM pg_locks l JOIN pg_stat_activity a USING (pid)
    WHERE a.application_name = 'pgtest-table' AND l.relation = 'zrzy.bdc_qlrxx'::regclass
    AND l.mode = 'AccessExclusiveLock' AND l.granted"
started=$(date +%s%N)
expect_exit 1 "a locked source table, lock_timeout = 2s" -- "$xcheck" run -q -c "$tmp/lock.ini" \
    -o "$tmp/locked"
took=$(elapsed)
[ "$took" -ge 2 ] && [ "$took" -lt 20 ] && ok || bad "a locked source table: failed after $took s, not about 2"
expect_in "$tmp/err" "xcheck: error: dataset property: waited 2 s for a lock on zrzy.bdc_qlrxx and gave up (lock_timeout)" \
    "a locked source table: the dataset and the table named"
expect_in "$tmp/err" "SQLSTATE 55P03" "a locked source table: SQLSTATE"
expect_in "$tmp/err" "HINT:  another session holds or awaits a lock on zrzy.bdc_qlrxx" \
    "a locked source table: hint"
expect_in "$tmp/err" "lock_timeout" "a locked source table: hint names the setting"
stop_locker pgtest-table
# The same table read through a query: the relation is not known by name.
sed 's|^table = zrzy.bdc_qlrxx|query = SELECT * FROM zrzy.bdc_qlrxx|' "$tmp/lock.ini" >"$tmp/lockq.ini"
locker pgtest-table postgres "BEGIN; LOCK TABLE zrzy.bdc_qlrxx IN ACCESS EXCLUSIVE MODE;
    SELECT pg_sleep(600)"
until_true "the table lock again" "SELECT count(*) = 1 FROM pg_locks l JOIN pg_stat_activity a
    USING (pid) WHERE a.application_name = 'pgtest-table' AND l.mode = 'AccessExclusiveLock'
    AND l.relation = 'zrzy.bdc_qlrxx'::regclass AND l.granted"
expect_exit 1 "a table locked under a query" -- "$xcheck" run -q -c "$tmp/lockq.ini" -o "$tmp/lockedq"
expect_in "$tmp/err" "dataset property: waited 2 s for a lock on a table its query reads" \
    "a table locked under a query: named as the query's"
stop_locker pgtest-table
expect_exit 4 "the lock gone, the same run" -- "$xcheck" run -q -c "$tmp/lock.ini" -o "$tmp/unlocked"
flags_of "$tmp/unlocked" >"$tmp/got"
cmp -s "$tmp/base.flags" "$tmp/got" && ok || bad "the lock gone: flags differ"

# --- the results database locked by another session -------------------------------------------
expect_exit 4 "publish a run" -- "$xcheck" run -q -c "$tmp/lock.ini" --results "$results" \
    --run-id held -o "$tmp/pub"
rq() { q -d results "$@"; }
rq -c "SELECT t::text FROM xcheck.runs t ORDER BY 1" >"$tmp/runs.before"
# 2026-12-02: a row of xcheck.runs locked by a session left open (a
# reporting tool's SELECT ... FOR UPDATE) stopped the nightly publication
# for ever.
locker pgtest-row results "BEGIN; SELECT 1 FROM xcheck.runs WHERE run_id = 'held' FOR UPDATE;
    SELECT pg_sleep(600)"
until_true "the row lock" "SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name =
    'pgtest-row' AND state = 'active' AND query LIKE '%pg_sleep%'" results
started=$(date +%s%N)
expect_exit 1 "a row of xcheck.runs locked while publishing" -- "$xcheck" run -q -c "$tmp/lock.ini" \
    --results "$results" --run-id held -o "$tmp/pub2"
took=$(elapsed)
[ "$took" -lt 30 ] && ok || bad "a locked row: failed after $took s"
expect_in "$tmp/err" "xcheck: error: results database: waited 2 s for a lock on xcheck.runs and gave up (lock_timeout)" \
    "a locked row: xcheck.runs named"
expect_in "$tmp/err" "SQLSTATE 55P03" "a locked row: SQLSTATE"
expect_in "$tmp/err" "HINT:  another session holds or awaits a lock on xcheck.runs" "a locked row: hint"
[ -s "$tmp/pub2/flags.csv" ] && ok || bad "a locked row: the run's files are not written"
stop_locker pgtest-row
rq -c "SELECT t::text FROM xcheck.runs t ORDER BY 1" >"$tmp/runs.after"
cmp -s "$tmp/runs.before" "$tmp/runs.after" && ok || bad "a locked row: xcheck.runs changed"
# xcheck.runs locked whole: the diff gives up too
locker pgtest-runs results "BEGIN; LOCK TABLE xcheck.runs IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600)"
until_true "the lock on xcheck.runs" "SELECT count(*) = 1 FROM pg_locks l JOIN pg_stat_activity a
    USING (pid) WHERE a.application_name = 'pgtest-runs' AND l.mode = 'AccessExclusiveLock'
    AND l.relation = 'xcheck.runs'::regclass AND l.granted" results
expect_exit 1 "xcheck.runs locked during a diff" -- "$xcheck" diff -c "$tmp/lock.ini" --results "$results"
expect_in "$tmp/err" "results database: waited 2 s for a lock on xcheck.runs and gave up" \
    "xcheck.runs locked during a diff: named"
stop_locker pgtest-runs
expect_exit 3 "the lock gone, the diff (every flag new)" -- "$xcheck" diff -c "$tmp/lock.ini" --results "$results"
# 2026-12-02: a run's reasons for being incomplete, long enough, were cut
# inside a character: the results database refused them, and the run could
# never be published; the diff's texts were cut the same way.
awk '/^\[/ { skip = ($0 == "[property]" || $0 == "[vehicle]") } !skip' "$tmp/lock.ini" >"$tmp/many.ini"
expect_exit 4 "a run with many reasons to be incomplete, published" -- "$xcheck" run -q \
    -c "$tmp/many.ini" --results "$results" --run-id many --nightly -o "$tmp/many"
[ "$(rq -At -c "SELECT octet_length(incomplete_why) > 300 FROM xcheck.runs WHERE run_id = 'many'")" = t ] &&
    ok || bad "the long reasons were not stored"
iconv -f UTF-8 -t UTF-8 "$tmp/many/diff.csv" >/dev/null 2>&1 && ok || bad "diff.csv is not valid UTF-8"
expect_exit 2 "a run id too long" -- "$xcheck" run -q -c "$tmp/many.ini" --results "$results" \
    --run-id "$(printf 'k%.0s' $(seq 130))" -o "$tmp/long"
expect_exit 2 "a run id with a line break" -- "$xcheck" diff -c "$tmp/many.ini" --results "$results" \
    --run-id "$(printf 'a\nb')"

# --- a role that ends idle transactions ----------------------------------------------------
# 2026-12-02: with idle_in_transaction_session_timeout set for the role, the
# server ended the session holding the run's snapshot while the others
# read, and the next one failed with "invalid snapshot identifier".
pg_psql >"$tmp/out" 2>&1 <<'SQL' && ok || { bad "create the role"; cat "$tmp/out"; }
CREATE ROLE xc_idle LOGIN;
GRANT USAGE ON SCHEMA gonghui, gongan, renshe, zrzy, jiaojing, scjg, minzheng TO xc_idle;
GRANT SELECT ON ALL TABLES IN SCHEMA gonghui, gongan, renshe, zrzy, jiaojing, scjg, minzheng TO xc_idle;
ALTER ROLE xc_idle SET idle_in_transaction_session_timeout = '1s';
SQL
[ "$(q -U xc_idle -c 'SHOW idle_in_transaction_session_timeout')" = 1s ] && ok ||
    bad "the role's idle_in_transaction_session_timeout is not 1s"
# The candidates are read first, on their own, through a query that takes
# 11 s before its first row: the snapshot's session is idle all that time.
sed 's|^table = minzheng.dibao_mingdan|query = SELECT m.* FROM minzheng.dibao_mingdan m, pg_catalog.pg_sleep(11)|' \
    "$tmp/pg.ini" >"$tmp/idle.ini"
expect_in "$tmp/idle.ini" "pg_sleep(11)" "idle.ini: a slow candidate query"
expect_exit 4 "a role ending idle transactions after 1 s" -- "$xcheck" run -c "$tmp/idle.ini" \
    -d "dbname=postgres user=xc_idle" -o "$tmp/idle"
flags_of "$tmp/idle" >"$tmp/got"
cmp -s "$tmp/base.flags" "$tmp/got" && ok || bad "a role ending idle transactions: flags differ"
# The log form of the progress: the source that sent nothing for 10 s.
expect_in "$tmp/err" "xcheck: candidate: no rows for 10 s (waiting on the server?)" \
    "the stalled source in the progress"

# --- the session holding the snapshot terminated ------------------------------------------
# 2026-12-02: when the session that exported the snapshot had ended, the
# next source failed with "invalid snapshot identifier" and no hint.
sed 's|^table = minzheng.dibao_mingdan|query = SELECT m.* FROM minzheng.dibao_mingdan m, pg_catalog.pg_sleep(5)|' \
    "$tmp/pg.ini" >"$tmp/kill.ini"
"$xcheck" run -q -c "$tmp/kill.ini" -o "$tmp/killed" >"$tmp/kill.out" 2>"$tmp/kill.err" &
run=$!
# The candidates' session sleeps in its query; the snapshot's session waits,
# idle in its transaction: end it.
until_true "the candidates' query" "SELECT count(*) = 1 FROM pg_stat_activity WHERE
    application_name = 'xcheck' AND state = 'active' AND query LIKE '%pg_sleep(5)%'"
[ "$(q -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE
    application_name = 'xcheck' AND state = 'idle in transaction'")" = 1 ] && ok ||
    bad "the snapshot's session not found"
wait "$run"
rc=$?
[ "$rc" = 1 ] && ok || bad "the snapshot's session terminated: exit $rc, wanted 1"
expect_in "$tmp/kill.err" "invalid snapshot identifier" "the snapshot's session terminated: the server's words"
expect_in "$tmp/kill.err" "HINT:  the session that exported the run's snapshot has ended: terminated" \
    "the snapshot's session terminated: hint"

summary
