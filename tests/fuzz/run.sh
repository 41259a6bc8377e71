#!/usr/bin/env bash
# run.sh FUZZER CORPUS WORKDIR SECONDS - a bounded libFuzzer run: new inputs
# go to WORKDIR (the corpus in the tree is only read), a crash fails the
# test and leaves its input in WORKDIR.
set -eu
fuzzer=$1 corpus=$2 work=$3 seconds=$4
mkdir -p "$work"
cd "$work"
"$fuzzer" -max_total_time="$seconds" -error_exitcode=1 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "$work" "$corpus" 2>&1 | tail -n 20
status=${PIPESTATUS[0]}
[ "$status" = 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
exit "$status"
