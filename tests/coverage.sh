#!/bin/sh
# Line coverage of the library by the unit tests: builds build-cov/ beside
# this checkout's meson.build with -Db_coverage=true, runs the unit suite
# alone (the cmocka programs of tests/unit: no server, no browser), and
# prints gcovr's table for the library's sources (engine/, connectors/,
# rules/), leaving out the program (engine/cli/) and the generated GB/T 2260
# table (engine/core/gb2260.c, data). The counters are reset first, so the
# figures are those of this run alone.
#
#   tests/coverage.sh            the table, least covered file last
#   tests/coverage.sh --html DIR also an HTML report, one page per file,
#                                into DIR (DIR/index.html)
#
# Needs gcovr (Debian: apt-get install gcovr). Exits 1 when a unit test fails.
set -eu
cd "$(dirname "$0")/.."
html=
case "${1:-}" in
--html) html=${2:?"--html needs a directory"} ;;
"") ;;
*) echo "usage: tests/coverage.sh [--html DIR]" >&2; exit 2 ;;
esac
if ! command -v gcovr >/dev/null 2>&1; then
    echo "tests/coverage.sh: gcovr is not installed (apt-get install gcovr)" >&2
    exit 1
fi
if [ -d build-cov ]; then
    meson setup --reconfigure build-cov -Db_coverage=true >/dev/null
else
    meson setup build-cov -Db_coverage=true >/dev/null
fi
meson compile -C build-cov >/dev/null
find build-cov -name '*.gcda' -delete
status=0
meson test -C build-cov --suite unit --print-errorlogs >build-cov/coverage-tests.log 2>&1 ||
    status=1
if [ "$status" -ne 0 ]; then
    cat build-cov/coverage-tests.log
    echo "tests/coverage.sh: a unit test failed: the figures below lack what it did not run" >&2
fi
set -- -r . --object-directory build-cov \
    -f 'engine/' -f 'connectors/' -f 'rules/' \
    -e 'engine/cli/' -e 'engine/core/gb2260.c'
gcovr "$@" --sort-percentage --print-summary
if [ -n "$html" ]; then
    mkdir -p "$html"
    gcovr "$@" --html-details "$html/index.html" >/dev/null
    echo "HTML report: $html/index.html"
fi
exit "$status"
