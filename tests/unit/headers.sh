#!/bin/sh
# headers.sh - the headers under include/xcheck/ are the program's and the
# plug-ins' interface: each compiles on its own with only include/ on the
# path (no header of a layer, no libpq), and includes nothing of the tree
# but other headers of include/xcheck/.
#   headers.sh CC SOURCE_ROOT
set -eu
cc=$1 root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
for h in $(cd "$root/include" && find xcheck -name '*.h' | sort); do
    printf '#include "%s"\n#include "%s"\n' "$h" "$h" >"$tmp/t.c"
    # libpq's headers are not on the compiler's own path (Debian:
    # /usr/include/postgresql), so a header that needs them fails here.
    if "$cc" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wpedantic -Werror -fsyntax-only \
            -I"$root/include" "$tmp/t.c" 2>"$tmp/err"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1)); echo "FAIL: $h does not compile alone:"; head -5 "$tmp/err"
    fi
    bad=$(grep -E '^#[[:space:]]*include[[:space:]]*"' "$root/include/$h" |
          grep -vE '"xcheck/[a-z_/]+\.(h|def)"' || true)
    if [ -z "$bad" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1)); echo "FAIL: $h includes what is not the interface: $bad"
    fi
done
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
