#!/bin/sh
# results-pg.sh - runs test_results_pg against a throwaway PostgreSQL
# cluster (tests/support/pg.sh). Exits 77 (skipped) only when no server can
# be had; a server that will not start is a failure.
# Usage: results-pg.sh TEST_PROGRAM SOURCE_ROOT
set -u
prog=$1
root=$2
. "$root/tests/support/pg.sh"
pg_start || exit $?
"$prog"
status=$?
pg_stop
exit "$status"
