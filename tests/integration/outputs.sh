#!/usr/bin/env bash
# outputs.sh - every output file private and never written through a name
# someone else planted: `xcheck run`, `xcheck sample` and `xcheck verify` on
# the bundled demo. Files 0600 and directories 0700 whatever the umask; a
# symlink planted under an output's name replaced, its target untouched; an
# output directory others can write, someone else's or a symlink refused
# with exit 1; a failed run leaves the previous outputs as they were.
# Usage: outputs.sh XCHECK SOURCE_ROOT
set -u
xcheck=$1
root=$2
demo=$root/fixtures/demo
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/support/check.sh
. "$(dirname "$0")/../support/check.sh"

# modes DIR WHAT: every file under DIR (DIR included) is 0600, every
# directory 0700, and no temporary file is left
modes() {
    local bad_modes
    bad_modes=$(find "$1" \( -type f ! -perm 0600 \) -o \( -type d ! -perm 0700 \) -o \
        \( ! -type f ! -type d \) | while read -r p; do echo "$(stat -c %a "$p") $p"; done)
    [ -z "$bad_modes" ] && ok || { bad "$2: not 0600 files and 0700 directories:"; echo "$bad_modes"; }
    local left
    left=$(find "$1" -name '.*' -o -name 'tmp.*')
    [ -z "$left" ] && ok || { bad "$2: temporary files left:"; echo "$left"; }
}

# --- modes ---------------------------------------------------------------------
# 2026-12-01: outputs were created 0644 and directories 0755 (0666/0777 under
# umask 0), readable by every local user.
for mask in 022 000; do
    expect_exit 4 "run, umask $mask" -- bash -c "umask $mask && exec \"\$0\" run -q -o \"\$1\"" \
        "$xcheck" "$tmp/u$mask/new/run"
    modes "$tmp/u$mask" "run, umask $mask"
    [ "$(stat -c %a "$tmp/u$mask/new/run/rejects")" = 700 ] && ok || bad "rejects/ not 0700"
    for f in flags.csv evidence.jsonl rates.csv rules.csv summary.json households.csv \
             payments.csv accounting.csv report.html report.xlsx rejects/hukou.csv; do
        [ -f "$tmp/u$mask/new/run/$f" ] && ok || bad "run, umask $mask: no $f"
    done
done
run=$tmp/u022/new/run

expect_exit 0 "sample, umask 000" -- bash -c "umask 000 && exec \"\$0\" sample --seed 3 --size 1 -o \"\$1\" \"\$2\"" \
    "$xcheck" "$tmp/s000/samples" "$run"
modes "$tmp/s000" "sample, umask 000"
for f in sample.csv sample-strata.csv sample.xlsx; do
    [ -f "$tmp/s000/samples/$f" ] && ok || bad "sample: no $f"
done
cp "$tmp/s000/samples/sample.csv" "$tmp/filled.csv"
expect_exit 0 "verify, umask 000" -- bash -c "umask 000 && exec \"\$0\" verify -o \"\$1\" \"\$2\"" \
    "$xcheck" "$tmp/v000/est/verify.csv" "$tmp/filled.csv"
modes "$tmp/v000" "verify, umask 000"

# --- symlinks and files planted under the outputs' names -----------------------
# 2026-12-01: flags.csv was written through a symlink planted in the output
# directory (and so were report.xlsx and the reject files).
mkdir -p "$tmp/outside" "$tmp/planted"
chmod 700 "$tmp/planted"
names="flags.csv report.xlsx report.html summary.json rejects/hukou.csv"
mkdir -m 700 "$tmp/planted/rejects"
for n in $names; do
    t=$tmp/outside/${n//\//_}
    echo "not an output" >"$t"
    ln -s "$t" "$tmp/planted/$n"
done
ln -s "$tmp/outside/dangling" "$tmp/planted/rates.csv"
cp "$tmp/outside/flags.csv" "$tmp/outside/before"
expect_exit 4 "run over planted symlinks" -- "$xcheck" run -q -o "$tmp/planted"
for n in $names; do
    t=$tmp/outside/${n//\//_}
    cmp -s "$tmp/outside/before" "$t" && ok || bad "the target of $n was written"
    [ -f "$tmp/planted/$n" ] && [ ! -L "$tmp/planted/$n" ] && ok || bad "$n is still a symlink"
done
[ ! -e "$tmp/outside/dangling" ] && ok || bad "a dangling symlink created a file outside"
[ "$(ls "$tmp/outside" | wc -l)" = 6 ] && ok || bad "files appeared outside: $(ls "$tmp/outside")"
cmp -s "$run/flags.csv" "$tmp/planted/flags.csv" && ok || bad "flags.csv over a symlink differs"
modes "$tmp/planted" "run over planted symlinks"

# a file planted under a name, with a second link: replaced, not reused
mkdir "$tmp/hard" && chmod 700 "$tmp/hard"
echo planted >"$tmp/hard/flags.csv"
chmod 666 "$tmp/hard/flags.csv"
ln "$tmp/hard/flags.csv" "$tmp/outside/hardlink"
expect_exit 4 "run over a planted file" -- "$xcheck" run -q -o "$tmp/hard"
[ "$(cat "$tmp/outside/hardlink")" = planted ] && ok || bad "written through a planted hard link"
[ "$(stat -c '%a %h' "$tmp/hard/flags.csv")" = "600 1" ] && ok || bad "flags.csv reused the planted file"
rm "$tmp/outside/hardlink"

# sample.xlsx and verify -o FILE over symlinks
ln -sf "$tmp/outside/flags.csv" "$tmp/s000/samples/sample.xlsx"
ln -s "$tmp/outside/flags.csv" "$tmp/v000/est/verify.csv.new"
expect_exit 0 "sample over a symlink" -- "$xcheck" sample --seed 3 --size 1 -o "$tmp/s000/samples" "$run"
expect_exit 0 "verify over a symlink" -- "$xcheck" verify -o "$tmp/v000/est/verify.csv.new" "$tmp/filled.csv"
cmp -s "$tmp/outside/before" "$tmp/outside/flags.csv" && ok || bad "sample or verify wrote through a symlink"
[ ! -L "$tmp/s000/samples/sample.xlsx" ] && [ ! -L "$tmp/v000/est/verify.csv.new" ] && ok ||
    bad "sample.xlsx or verify.csv still a symlink"
modes "$tmp/s000" "sample over a symlink"
modes "$tmp/v000" "verify over a symlink"

# --- output directories refused -------------------------------------------------
# refused WHAT TEXT: the last command failed (exit 1 checked by the caller)
# with an error naming the directory and saying TEXT, and a hint
refused() {
    expect_in "$tmp/err" "$2" "$1"
    expect_in "$tmp/err" "HINT:" "$1: a hint"
}
# 2026-12-01: outputs were written into a directory anyone could write.
mkdir "$tmp/open" && chmod 777 "$tmp/open"
expect_exit 1 "run into a 0777 directory" -- "$xcheck" run -q -o "$tmp/open"
refused "run into a 0777 directory" "output directory \"$tmp/open\" is writable by others"
expect_in "$tmp/err" "chmod 700" "hint: chmod 700"
[ -z "$(ls -A "$tmp/open")" ] && ok || bad "files written into a refused directory"
[ "$(stat -c %a "$tmp/open")" = 777 ] && ok || bad "the refused directory's mode was changed"
chmod 775 "$tmp/open"
expect_exit 1 "run into a group-writable directory" -- "$xcheck" run -q -o "$tmp/open"
refused "group-writable" "is writable by its group"
chmod 777 "$tmp/open"
expect_exit 1 "sample into a 0777 directory" -- "$xcheck" sample --size 1 -o "$tmp/open" "$run"
refused "sample into a 0777 directory" "is writable by others"
expect_exit 1 "verify into a 0777 directory" -- "$xcheck" verify -o "$tmp/open/v.csv" "$tmp/filled.csv"
refused "verify into a 0777 directory" "is writable by others"
[ -z "$(ls -A "$tmp/open")" ] && ok || bad "files written into a refused directory"
# rejects/ is checked as well
mkdir -p "$tmp/rej/rejects" && chmod 700 "$tmp/rej" && chmod 777 "$tmp/rej/rejects"
expect_exit 1 "run with a 0777 rejects/" -- "$xcheck" run -q -o "$tmp/rej"
refused "a 0777 rejects/" "output directory \"$tmp/rej/rejects\" is writable by others"

# 2026-12-01: a symlink given as the output directory was followed.
mkdir "$tmp/real" && chmod 700 "$tmp/real"
ln -s "$tmp/real" "$tmp/link"
expect_exit 1 "run into a symlinked directory" -- "$xcheck" run -q -o "$tmp/link"
refused "symlinked directory" "is a symbolic link"
expect_exit 1 "run into a symlinked directory/" -- "$xcheck" run -q -o "$tmp/link/"
refused "symlinked directory/" "is a symbolic link"
[ -z "$(ls -A "$tmp/real")" ] && ok || bad "files written through a symlinked directory"

# a file where the directory should be
echo x >"$tmp/plain"
expect_exit 1 "run into a file" -- "$xcheck" run -q -o "$tmp/plain"
refused "run into a file" "is not a directory"

# 2026-12-01: outputs were written into a directory of another user.
if [ "$(id -u)" = 0 ]; then
    mkdir "$tmp/theirs" && chmod 700 "$tmp/theirs" && chown nobody "$tmp/theirs"
    expect_exit 1 "run into nobody's directory" -- "$xcheck" run -q -o "$tmp/theirs"
    refused "nobody's directory" "output directory \"$tmp/theirs\" belongs to another user"
    expect_exit 1 "verify into nobody's directory" -- "$xcheck" verify -o "$tmp/theirs/v.csv" "$tmp/filled.csv"
    refused "verify into nobody's directory" "belongs to another user"
    [ -z "$(ls -A "$tmp/theirs")" ] && ok || bad "files written into nobody's directory"
else
    echo "SKIP: a directory of another user needs root"
fi

# --- a shared sticky directory (like /tmp) takes a single file -------------------
mkdir "$tmp/sticky" && chmod 1777 "$tmp/sticky"
expect_exit 0 "verify into a sticky directory" -- "$xcheck" verify -o "$tmp/sticky/v.csv" "$tmp/filled.csv"
[ "$(stat -c %a "$tmp/sticky/v.csv")" = 600 ] && ok || bad "verify.csv in a sticky directory not 0600"
[ "$(ls -A "$tmp/sticky")" = v.csv ] && ok || bad "a temporary file left in the sticky directory"
expect_exit 1 "run into a sticky directory" -- "$xcheck" run -q -o "$tmp/sticky"
refused "run into a sticky directory" "is writable by others"

# --- a failed run leaves the previous outputs as they were ------------------------
# 2026-12-01: a failed run truncated the previous run's reject files: they
# were opened for writing before the sources were checked.
cp -a "$run" "$tmp/before-fail"
sed 's/^path = property.csv/path = missing.csv/' "$demo/xcheck.ini" >"$tmp/missing.ini"
cp "$demo"/*.csv "$demo"/*.gz "$tmp/"
expect_exit 1 "a run that fails" -- "$xcheck" run -q -c "$tmp/missing.ini" -o "$run"
expect_in "$tmp/err" "missing.csv" "the failed run names the missing file"
diff -r "$tmp/before-fail" "$run" >"$tmp/diff" && ok || { bad "a failed run changed the outputs"; cat "$tmp/diff"; }
modes "$run" "after a failed run"

summary
