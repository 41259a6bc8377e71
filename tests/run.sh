#!/bin/sh
# Runs every test twice: in a build with warnings as errors, and in a build
# under AddressSanitizer and UndefinedBehaviorSanitizer. Build directories:
# build-test/ and build-asan/ beside this checkout's meson.build.
set -eu
cd "$(dirname "$0")/.."
setup() {
    dir=$1; shift
    if [ -d "$dir" ]; then
        meson setup --reconfigure "$dir" "$@" >/dev/null
    else
        meson setup "$dir" "$@" >/dev/null
    fi
}
setup build-test -Dwerror=true
meson compile -C build-test
meson test -C build-test --print-errorlogs

setup build-asan -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
meson compile -C build-asan
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C build-asan --print-errorlogs
