#!/usr/bin/env bash
# check-pg.sh - xcheck check on PostgreSQL sources, on a throwaway cluster
# holding the demo (tests/support/pg-load-demo.sh): exit 0, every dataset
# and rule listed, and each table read with LIMIT N, never scanned whole
# (every statement logged); a column that is not in a table: exit 1,
# naming it. Exits 77 (skipped) when no server can be started, except
# under CI=true.
# Usage: check-pg.sh XCHECK SOURCE_ROOT
set -u
xcheck=$1
root=$2
# shellcheck source=tests/support/check.sh
. "$(dirname "$0")/../support/check.sh"
# shellcheck source=tests/support/pg.sh
. "$root/tests/support/pg.sh"
pg_start
rc=$?
if [ "$rc" != 0 ]; then
    if [ "$rc" = 77 ] && [ "${CI:-}" = true ]; then
        echo "FAIL: no PostgreSQL server to test with (.ci/deps installs it)"
        exit 1
    fi
    [ "$rc" = 77 ] && echo "SKIP: no PostgreSQL server to test with"
    exit "$rc"
fi
tmp=$PG_DIR/t
mkdir "$tmp"
q() { pg_psql -At "$@"; }
expect_exit 0 "load the demo" -- "$root/tests/support/pg-load-demo.sh" "$tmp/pg.ini"
if "$xcheck" check -c "$tmp/pg.ini" 2>&1 | grep -q "kind 'postgres' is not available"; then
    echo "SKIP: this xcheck has no postgres connector"
    exit 77
fi
q -c "ALTER SYSTEM SET log_statement = 'all'" >/dev/null
q -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.3
lines_before=$(wc -l <"$PG_DIR/server.log")

expect_exit 0 "check on the PostgreSQL demo" -- "$xcheck" check -c "$tmp/pg.ini" --rows 7
for ds in household member hukou social_insurance property vehicle business \
          dibao_standard contact payment exit_record followup candidate; do
    expect_in "$tmp/out" "[$ds]" "check lists dataset $ds"
done
expect_in "$tmp/out" "(sample read with LIMIT 7)" "the sample read with LIMIT"
expect_in "$tmp/out" "of 28 rules, 28 will be evaluated" "every rule evaluated"
expect_in "$tmp/out" "sample: 7 rows read" "seven rows of a big table read"
tail -n +"$((lines_before + 1))" "$PG_DIR/server.log" >"$tmp/log"
copies=$(grep -c 'COPY (SELECT' "$tmp/log")
limited=$(grep -c 'COPY (SELECT .* LIMIT 7) TO STDOUT' "$tmp/log")
[ "$copies" -ge 11 ] && [ "$copies" = "$limited" ] && ok ||
    bad "every COPY of check has LIMIT 7: $limited of $copies"
if grep -qE '[0-9]{17}[0-9Xx]' "$tmp/out"; then bad "a full ID number printed"; else ok; fi

sed -e '/^\[hukou\]/,/^\[/s/^field\.name *=.*/field.name = no_such_column/' "$tmp/pg.ini" >"$tmp/bad.ini"
expect_exit 1 "a column not in the table" -- "$xcheck" check -c "$tmp/bad.ini"
expect_in "$tmp/err" "no_such_column" "the missing column named"
summary
