#!/bin/sh
# Runs every test twice: in a build with warnings as errors, and in a build
# under AddressSanitizer and UndefinedBehaviorSanitizer; then the tests that
# read gzip once more, in a build without ISA-L (zlib inflates); then, where
# clang is installed, builds the whole tree with clang, warnings as errors,
# and runs each fuzz target for a bounded time (-Dfuzz_seconds). Build
# directories: build-test/, build-asan/, build-zlib/ and build-fuzz/ beside
# this checkout's meson.build. Ends with one line: "tests: N passed, N failed".
set -eu
cd "$(dirname "$0")/.."
# what only the tests need (a PostgreSQL server, Chromium, clang...), if
# missing: the quick start's first command installs only what building and
# running need
.ci/deps --tests
log=$(mktemp)
trap 'rm -f "$log"' EXIT
setup() {
    dir=$1; shift
    if [ -d "$dir" ]; then
        meson setup --reconfigure "$dir" "$@" >/dev/null
    else
        meson setup "$dir" "$@" >/dev/null
    fi
}
status=0
run_tests() {
    out=$(mktemp)
    meson test -C "$1" --print-errorlogs >"$out" 2>&1 || status=1
    cat "$out"
    cat "$out" >>"$log"
    rm -f "$out"
}
setup build-test -Dwerror=true
meson compile -C build-test
run_tests build-test

setup build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
meson compile -C build-asan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
run_tests build-asan

# The file connector inflates gzip with ISA-L where the build has it, with
# zlib otherwise: the tests that read gzip run once more on a build without
# ISA-L, so that zlib's path stays tested: build-zlib/.
setup build-zlib -Dwerror=true -Disal=disabled
meson compile -C build-zlib xcheck:executable tests/unit/test_file_source \
    tests/unit/test_file_set tests/unit/test_scan tests/fuzz/replay_csv
out=$(mktemp)
meson test -C build-zlib --no-rebuild --print-errorlogs file_source file_set scan \
    fuzz_corpus_csv damaged >"$out" 2>&1 || status=1
cat "$out"
cat "$out" >>"$log"
rm -f "$out"

# Where clang (and its libFuzzer runtime) is there: the whole tree built by
# clang with warnings as errors, then the fuzz targets for a bounded time:
# build-fuzz/.
if command -v clang >/dev/null 2>&1; then
    (CC=clang && export CC && setup build-fuzz -Dwerror=true -Dfuzz=true \
        -Db_sanitize=address,undefined -Db_lundef=false)
    if meson compile -C build-fuzz; then
        out=$(mktemp)
        meson test -C build-fuzz --suite fuzz-run --print-errorlogs >"$out" 2>&1 || status=1
        cat "$out"
        cat "$out" >>"$log"
        rm -f "$out"
    else
        echo "Fail: 1 (the clang build failed)" | tee -a "$log"
        status=1
    fi
fi

passed=$(awk '/^Ok:/ { n += $2 } END { print n + 0 }' "$log")
failed=$(awk '/^(Fail|Unexpected Pass|Timeout):/ { n += $NF } END { print n + 0 }' "$log")
echo "tests: $passed passed, $failed failed"
exit "$status"
