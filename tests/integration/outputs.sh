#!/usr/bin/env bash
# outputs.sh - every output file private and never written through a name
# someone else planted: `xcheck run`, `xcheck sample` and `xcheck verify` on
# the bundled demo. Files 0600 and directories 0700 whatever the umask; a
# symlink planted under an output's name never followed, its target
# untouched; an output directory others can write, someone else's or a
# symlink refused with exit 1. A run's outputs are put in place whole: the
# previous run's become OUT.prev; a run that fails (in the scan, in the
# report, over the size limit, on a full disk), is killed or interrupted
# leaves the previous outputs byte for byte and no directory of its own; a
# directory holding what no run wrote is refused and left untouched.
# Usage: outputs.sh XCHECK SOURCE_ROOT [XCGEN]
set -u
xcheck=$1
root=$2
xcgen=${3:-}
demo=$root/fixtures/demo
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/support/check.sh
. "$(dirname "$0")/../support/check.sh"

# modes DIR WHAT: every file under DIR (DIR included) is 0600, every
# directory 0700, and no temporary file is left, nor a run's directory
# beside DIR (the marker .xcheck-output of a run's outputs is no temporary)
modes() {
    local bad_modes
    bad_modes=$(find "$1" \( -type f ! -perm 0600 \) -o \( -type d ! -perm 0700 \) -o \
        \( ! -type f ! -type d \) | while read -r p; do echo "$(stat -c %a "$p") $p"; done)
    [ -z "$bad_modes" ] && ok || { bad "$2: not 0600 files and 0700 directories:"; echo "$bad_modes"; }
    local left
    left=$( (find "$1" \( -name '.*' -o -name 'tmp.*' \) ! -name .xcheck-output
             find "$(dirname "$1")" -maxdepth 1 -name ".$(basename "$1").*") | sort -u)
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
# directory (and so were report.xlsx and the reject files). Planted in a
# previous run's outputs: the run writes beside them and moves them whole
# to planted.prev, the next run removes them; no symlink is followed.
mkdir -p "$tmp/outside"
expect_exit 4 "run into planted" -- "$xcheck" run -q -o "$tmp/planted"
names="flags.csv report.xlsx report.html summary.json rejects/hukou.csv"
for n in $names; do
    t=$tmp/outside/${n//\//_}
    echo "not an output" >"$t"
    ln -sf "$t" "$tmp/planted/$n"
done
ln -sf "$tmp/outside/dangling" "$tmp/planted/rates.csv"
cp "$tmp/outside/flags.csv" "$tmp/outside/before"
expect_exit 4 "run over planted symlinks" -- "$xcheck" run -q -o "$tmp/planted"
expect_exit 4 "run over planted symlinks, moved to .prev" -- "$xcheck" run -q -o "$tmp/planted"
for n in $names; do
    t=$tmp/outside/${n//\//_}
    cmp -s "$tmp/outside/before" "$t" && ok || bad "the target of $n was written"
    [ -f "$tmp/planted/$n" ] && [ ! -L "$tmp/planted/$n" ] && ok || bad "$n is still a symlink"
done
[ ! -e "$tmp/outside/dangling" ] && ok || bad "a dangling symlink created a file outside"
[ "$(ls "$tmp/outside" | wc -l)" = 6 ] && ok || bad "files appeared outside: $(ls "$tmp/outside")"
cmp -s "$run/flags.csv" "$tmp/planted/flags.csv" && ok || bad "flags.csv over a symlink differs"
modes "$tmp/planted" "run over planted symlinks"
modes "$tmp/planted.prev" "run over planted symlinks: .prev"

# 2026-12-02: a run wrote into a directory holding what no run wrote (here
# symlinks someone planted), mixing its outputs with it; it is refused now,
# naming the first entry, and left untouched.
mkdir -m 700 "$tmp/foreign" "$tmp/foreign/rejects"
for n in $names; do ln -s "$tmp/outside/${n//\//_}" "$tmp/foreign/$n"; done
ls -lR "$tmp/foreign" >"$tmp/foreign.before"
expect_exit 1 "run into planted symlinks without a marker" -- "$xcheck" run -q -o "$tmp/foreign"
expect_in "$tmp/err" "output directory \"$tmp/foreign\" holds \"flags.csv\"" "names the first entry"
expect_in "$tmp/err" "HINT:  choose another output directory (-o), or empty" "a hint"
ls -lR "$tmp/foreign" | cmp -s - "$tmp/foreign.before" && ok || bad "the refused directory changed"
[ -z "$(find "$tmp" -maxdepth 1 -name '.foreign.*')" ] && ok || bad "a run's directory left beside"
for n in $names; do cmp -s "$tmp/outside/before" "$tmp/outside/${n//\//_}" && ok || bad "$n: target written"; done

# a file planted under a name, with a second link: never written, moved away
expect_exit 4 "run into hard" -- "$xcheck" run -q -o "$tmp/hard"
rm "$tmp/hard/flags.csv"
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
mkdir -p "$tmp/vis/visits" && chmod 700 "$tmp/vis" && chmod 777 "$tmp/vis/visits"
expect_exit 1 "run with a 0777 visits/" -- "$xcheck" run -q -o "$tmp/vis"
refused "a 0777 visits/" "output directory \"$tmp/vis/visits\" is writable by others"

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

# same DIR WHAT: DIR holds byte for byte what $tmp/before-fail holds, and
# neither a run's directory nor DIR.prev is beside it
same() {
    diff -r "$tmp/before-fail" "$1" >"$tmp/diff" && ok || { bad "$2: the outputs changed"; head "$tmp/diff"; }
    [ -z "$(find "$(dirname "$1")" -maxdepth 1 -name ".$(basename "$1").*")" ] && ok ||
        bad "$2: a run's directory left: $(ls -a "$(dirname "$1")")"
    [ ! -e "$1.prev" ] && ok || bad "$2: $1.prev appeared"
}

# 2026-12-02: a run that failed in the scan (a damaged gzip found after
# the rejects were opened) or in the report (the size limit) left the
# previous run's flags.csv, summary.json and report.* beside its own new
# files: two runs mixed in one folder.
mkdir "$tmp/dmg"
cp "$demo"/* "$tmp/dmg/"
zcat "$demo/hukou.csv.gz" | gzip | head -c 600 >"$tmp/dmg/hukou.csv.gz"
expect_exit 1 "a run that fails in the scan" -- "$xcheck" run -q -c "$tmp/dmg/xcheck.ini" -o "$run"
expect_in "$tmp/err" "hukou.csv.gz" "the damaged file named"
same "$run" "a run that fails in the scan"
# a file over the size limit: exit 1 and the file named, never SIGXFSZ
bash -c 'ulimit -f 30 && exec "$0" run -q -o "$1"' "$xcheck" "$run" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 1 ] && ok || { bad "over the size limit: exit $rc, wanted 1"; cat "$tmp/err"; }
expect_in "$tmp/err" "cannot write \"$run/evidence.jsonl\": File too large" "the file over the limit named"
expect_in "$tmp/err" "HINT:  the file is larger than this process may write (ulimit -f)" "a hint on the limit"
expect_in "$tmp/err" "DETAIL:  the previous outputs in \"$run\" are as they were" "says the outputs are kept"
same "$run" "over the size limit"

# a full disk (a small tmpfs, where it can be mounted: as root)
mkdir "$tmp/small"
if mount -t tmpfs -o size=400k,mode=700 tmpfs "$tmp/small" 2>/dev/null; then
    expect_exit 4 "a run into a small file system" -- "$xcheck" run -q -o "$tmp/small/out"
    rm -rf "$tmp/before-full" && cp -a "$tmp/small/out" "$tmp/before-full"
    expect_exit 1 "a run onto a full disk" -- "$xcheck" run -q -o "$tmp/small/out"
    expect_in "$tmp/err" "No space left on device" "a full disk named"
    expect_in "$tmp/err" "cannot write \"$tmp/small/out/" "the file named as in the output directory"
    expect_in "$tmp/err" "HINT:  the file system is full" "a hint on the full disk"
    diff -r "$tmp/before-full" "$tmp/small/out" >"$tmp/diff" && ok || { bad "a full disk changed the outputs"; head "$tmp/diff"; }
    [ "$(ls -A "$tmp/small")" = out ] && ok || bad "a full disk left: $(ls -A "$tmp/small")"
    umount "$tmp/small"
else
    echo "SKIP: a full disk needs a small tmpfs (mount as root)"
fi

# --- the previous outputs become OUT.prev -----------------------------------------
expect_exit 4 "a run after the failures" -- "$xcheck" run -q -o "$run"
diff -r "$tmp/before-fail" "$run.prev" >"$tmp/diff" && ok || { bad "OUT.prev is not the previous run"; head "$tmp/diff"; }
[ "$(head -1 "$run/.xcheck-output")" = "# xcheck run output: replaced whole by the next run, which keeps it as .prev" ] &&
    ok || bad "no marker line: $(head -2 "$run/.xcheck-output")"
grep -qx "run 2026-06-30" "$run/.xcheck-output" && grep -qx "file rejects/hukou.csv" "$run/.xcheck-output" &&
    grep -qx complete "$run/.xcheck-output" && ok || bad "the marker lacks the run id or the files"
modes "$run" "a run after the failures"
modes "$run.prev" "a run after the failures: .prev"
cp -a "$run" "$tmp/second"
expect_exit 4 "a third run" -- "$xcheck" run -q -o "$run"
diff -r "$tmp/second" "$run.prev" >"$tmp/diff" && ok || { bad "OUT.prev is not the second run"; head "$tmp/diff"; }
# an empty directory is taken; nothing beside is touched
mkdir -m 700 "$tmp/empty"
expect_exit 4 "a run into an empty directory" -- "$xcheck" run -q -o "$tmp/empty"
[ -f "$tmp/empty/flags.csv" ] && [ ! -e "$tmp/empty.prev" ] && ok || bad "an empty directory not taken"

# 2026-12-02: a run moved or removed what no run wrote. In OUT, in OUT.prev
# (which a run removes), samples a person may have filled in, and outputs
# of earlier versions of xcheck (no marker): refused, untouched.
refuse_case() { # WHAT TEXT: exit 1, TEXT and a hint, and $run, $run.prev as they were
    (cd "$tmp" && find "$run" "$run.prev" -exec stat -c '%n %s %Y' {} + | sort) >"$tmp/ls.before"
    expect_exit 1 "$1" -- "$xcheck" run -q -o "$run"
    expect_in "$tmp/err" "$2" "$1"
    expect_in "$tmp/err" "HINT:" "$1: a hint"
    (cd "$tmp" && find "$run" "$run.prev" -exec stat -c '%n %s %Y' {} + | sort) | cmp -s - "$tmp/ls.before" &&
        ok || bad "$1: changed what was there"
    [ -z "$(find "$(dirname "$run")" -maxdepth 1 -name ".run.*")" ] && ok || bad "$1: a run's directory left"
}
echo mine >"$run/notes.txt"
refuse_case "a file of the user's in OUT" "output directory \"$run\" holds \"notes.txt\", which no run wrote"
rm "$run/notes.txt"
mkdir "$run/rejects/old"
refuse_case "a directory in rejects/" "holds \"rejects/old\", which no run wrote"
rmdir "$run/rejects/old"
# visits/ (--visits-by-cadre=file) is a run's subdirectory as rejects/ is
mkdir -m 700 "$run/visits" && echo mine >"$run/visits/notes.xlsx"
refuse_case "a file of the user's in visits/" "holds \"visits/notes.xlsx\", which no run wrote"
rm -r "$run/visits"
echo mine >"$run.prev/notes.txt"
refuse_case "a file of the user's in OUT.prev" "\"$run.prev\" holds \"notes.txt\", which no run wrote"
rm "$run.prev/notes.txt"
expect_exit 0 "a sample beside the previous run" -- "$xcheck" sample --size 1 "$run.prev"
refuse_case "a sample in OUT.prev" "\"$run.prev\" holds \"sample-strata.csv\", which xcheck sample or verify wrote"
expect_in "$tmp/err" "a person may have filled it in" "why a sample is kept"
rm "$run.prev"/sample*
# a sample beside the current run moves with it to OUT.prev
expect_exit 0 "a sample beside the run" -- "$xcheck" sample --size 1 "$run"
cp "$run/sample.csv" "$tmp/sample.kept"
expect_exit 4 "a run over a run with a sample" -- "$xcheck" run -q -o "$run"
cmp -s "$tmp/sample.kept" "$run.prev/sample.csv" && [ ! -e "$run/sample.csv" ] && ok || bad "the sample did not move with its run"
rm "$run.prev"/sample*
# outputs of an earlier version: no marker
mkdir -m 700 "$tmp/old" && cp -r "$tmp/before-fail"/* "$tmp/old/"
expect_exit 1 "outputs without a marker" -- "$xcheck" run -q -o "$tmp/old"
expect_in "$tmp/err" "output directory \"$tmp/old\" holds \"accounting.csv\" and is not the output of an earlier run" "unmarked outputs refused"
expect_in "$tmp/err" "earlier versions of xcheck" "says why"
[ -z "$(find "$tmp" -maxdepth 1 -name '.old.*' -o -maxdepth 1 -name old.prev)" ] && ok || bad "unmarked outputs: something left"
# OUT.prev of another kind, and names that cannot be replaced
ln -s "$tmp/real" "$tmp/lnk.prev" && expect_exit 4 "run lnk" -- "$xcheck" run -q -o "$tmp/lnk"
expect_exit 1 "a symlink as OUT.prev" -- "$xcheck" run -q -o "$tmp/lnk"
expect_in "$tmp/err" "output directory \"$tmp/lnk.prev\" is a symbolic link" "a symlinked OUT.prev refused"
[ -L "$tmp/lnk.prev" ] && [ -z "$(ls -A "$tmp/real")" ] && ok || bad "a symlinked OUT.prev was touched"
expect_exit 1 "run -o ." -- bash -c 'cd "$1" && exec "$0" run -q -o .' "$xcheck" "$tmp/empty"
expect_in "$tmp/err" "output directory \".\" cannot be replaced whole" "-o . refused"

# --- killed and interrupted runs ----------------------------------------------------
# kill_run SIGNAL: starts a run on a generated province into $tmp/k/out,
# sends SIGNAL during the scan and waits; the exit status in $killed
kill_run() {
    rm -f "$tmp/k/err"
    env --default-signal=INT "$xcheck" run -j 1 -c "$tmp/k/data/xcheck.ini" -o "$tmp/k/out" \
        >/dev/null 2>"$tmp/k/err" &
    local pid=$! i
    for i in $(seq 1 3000); do
        grep -q "^xcheck: scanning the data$" "$tmp/k/err" 2>/dev/null && break
        sleep 0.01
    done
    kill -"$1" "$pid"
    { wait "$pid"; } 2>/dev/null
    killed=$?
}
mkdir "$tmp/k"
if [ -n "$xcgen" ] && "$xcgen" --out "$tmp/k/data" --scale 0.05 --seed 7 >"$tmp/k.log" 2>&1; then
    expect_exit 4 "a run on the generated data" -- "$xcheck" run -q -c "$tmp/k/data/xcheck.ini" -o "$tmp/k/out"
    cp -a "$tmp/k/out" "$tmp/k/before"
    # 2026-12-02: a run killed in the scan left the previous outputs beside
    # the rejects it had begun. SIGKILL: its directory is left, marked; the
    # next run removes it.
    kill_run KILL
    [ "$killed" = 137 ] && ok || bad "SIGKILL: exit $killed, wanted 137 (the run ended first?)"
    diff -r "$tmp/k/before" "$tmp/k/out" >"$tmp/diff" && ok || { bad "SIGKILL changed the outputs"; head "$tmp/diff"; }
    left=$(find "$tmp/k" -maxdepth 1 -name '.out.*')
    [ -n "$left" ] && [ -f "$left/.xcheck-output" ] && ok || bad "SIGKILL: no marked directory left: $left"
    expect_exit 4 "the run after SIGKILL" -- "$xcheck" run -q -c "$tmp/k/data/xcheck.ini" -o "$tmp/k/out"
    [ -z "$(find "$tmp/k" -maxdepth 1 -name '.out.*')" ] && ok || bad "the killed run's directory not removed"
    diff -r "$tmp/k/before" "$tmp/k/out.prev" >"$tmp/diff" && ok || { bad "after SIGKILL: OUT.prev not the previous run"; head "$tmp/diff"; }
    rm -rf "$tmp/k/before" && cp -a "$tmp/k/out" "$tmp/k/before" && cp -a "$tmp/k/out.prev" "$tmp/k/before.prev"
    # SIGTERM and SIGINT: the run removes its directory and ends by the signal
    for sig in TERM INT; do
        kill_run $sig
        want=$((128 + $(kill -l $sig)))
        [ "$killed" = "$want" ] && ok || bad "SIG$sig: exit $killed, wanted $want"
        diff -r "$tmp/k/before" "$tmp/k/out" >"$tmp/diff" && diff -r "$tmp/k/before.prev" "$tmp/k/out.prev" >>"$tmp/diff" &&
            ok || { bad "SIG$sig changed the outputs"; head "$tmp/diff"; }
        [ -z "$(find "$tmp/k" -maxdepth 1 -name '.out.*')" ] && ok || bad "SIG$sig: the run's directory left"
    done
else
    bad "no generated data for the killed runs (xcgen: ${xcgen:-not given})"
fi

# --- xcheck sample: the three files or none --------------------------------------
# 2026-12-02: a sample that failed writing sample.xlsx (the size limit) left
# the new sample.csv and sample-strata.csv beside the previous sample.xlsx.
cp -a "$tmp/s000/samples" "$tmp/samples.before"
bash -c 'ulimit -f 9 && exec "$0" sample --seed 3 --share 1 -o "$1" "$2"' "$xcheck" "$tmp/s000/samples" "$run" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" = 1 ] && ok || { bad "sample over the size limit: exit $rc, wanted 1"; cat "$tmp/err"; }
expect_in "$tmp/err" "cannot write \"$tmp/s000/samples/sample.xlsx\": File too large" "sample: the file named"
diff -r "$tmp/samples.before" "$tmp/s000/samples" >"$tmp/diff" && ok || { bad "a failed sample changed the previous one"; head "$tmp/diff"; }

# --- a publication that fails after the outputs are in place -----------------------
# The outputs stay in place (exit 1), and the message says so.
"$xcheck" key new "$tmp/pub.key" >/dev/null
expect_exit 1 "a publication that fails" -- "$xcheck" run -q --key "$tmp/pub.key" \
    -c "$root/fixtures/demo/xcheck.ini" --results "host=$tmp/no-server dbname=results" -o "$tmp/pub"
expect_in "$tmp/err" "the run's outputs are in place in \"$tmp/pub\"; the run was not published" \
    "a failed publication says where the outputs are"
[ -f "$tmp/pub/flags.csv" ] && [ -f "$tmp/pub/.xcheck-output" ] && ok || bad "no outputs after a failed publication"
modes "$tmp/pub" "a publication that fails"

summary
