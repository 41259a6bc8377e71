#!/usr/bin/env bash
# readme-fields.sh - README's list of the logical fields, between
# <!-- fields:begin --> and <!-- fields:end -->, is what `xcheck fields
# --markdown` prints from the schema: a field, value or label added to
# include/xcheck/schema.def without README fails here.
# Usage: readme-fields.sh XCHECK SOURCE_ROOT
set -u
xcheck=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$xcheck" fields --markdown >"$tmp/generated" || { echo "FAIL: xcheck fields --markdown"; exit 1; }
awk '/<!-- fields:end -->/ { on = 0 } on { print } /<!-- fields:begin -->/ { on = 1 }' \
    "$root/README.md" >"$tmp/readme"
# the blank lines around the markers are the README's, not the list's
sed -i -e '/./,$!d' "$tmp/readme"
sed -i -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$tmp/readme"
if [ ! -s "$tmp/readme" ]; then
    echo "FAIL: README.md has no list between <!-- fields:begin --> and <!-- fields:end -->"
    echo "      paste the output of: xcheck fields --markdown"
    exit 1
fi
if ! diff -u "$tmp/readme" "$tmp/generated"; then
    echo "FAIL: README.md's list of fields differs from xcheck fields --markdown (above)"
    exit 1
fi
echo "README's list of fields is up to date"
