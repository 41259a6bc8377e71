#!/usr/bin/env bash
# run.sh - the benchmark: xcheck against what a user would pick instead, on
# this machine, in one run. Prints one table and writes it to BENCHMARKS.md
# (at the top of the checkout) with the machine, the versions and the exact
# commands. Run on demand, never in CI:
#
#   tests/bench/run.sh [--scale S] [--runs N] [--keep DIR]
#                      [--series "1 2 4"] [--only series|corners] [--report FILE]
#   tests/bench/run.sh --corners [--runs N] [--keep DIR] [--report FILE]
#   tests/bench/run.sh --split [--scale S] [--runs N] [--keep DIR] [--report FILE]
#   tests/bench/run.sh --national [--scale S] [--ref-factor F] [--runs N]
#                      [--keep DIR] [--report FILE]
#   tests/bench/run.sh --shards [--scale S] [--runs N] [--keep DIR] [--report FILE]
#   tests/bench/run.sh --only months [--scale S] [--runs N] [--keep DIR] [--report FILE]
#
# Scale 1 (the default) is a province slice: 100 k households (300 k people)
# against hukou 10 M, social_insurance 24 M, property 3 M, vehicle 2 M and
# business 1 M rows. Each figure is the median of --runs runs (default 3).
# The data lives in a temporary directory, removed at the end, or in
# --keep DIR, kept and used again by the next run with the same DIR.
#
# Measured side by side:
#   1. xcheck, PostgreSQL sources, --jobs 2, the full rule set;
#   2. the same rules as SQL (peer.sql) run by psql with parallel query on;
#      the two flag sets must be equal row for row, or the benchmark fails;
#   3. the floor: the columns xcheck reads, streamed by two parallel
#      ctid-range COPY ... TO STDOUT into /dev/null;
#   4. xcheck on the same data as gzip CSV files, against the floor of just
#      decompressing those files (two at a time);
#   4b. the same rules in DuckDB SQL (duckdb-peer.sql) over the same gzip
#      files, DuckDB from npm in a cache (tests/bench/duckdb.sh, never a
#      build or test dependency): its wall time and peak memory; its flags
#      must equal xcheck's, or the benchmark fails; "not measured" when
#      DuckDB cannot be installed;
#   5. a nightly re-check of a small archive (3 k households) against the
#      same big indexed tables: push-down vs full scan vs the SQL peer;
#   6. peak memory of the file run;
#   7. the reference size series: the file run of 4 again, with the same
#      archive against F times the reference rows (xcgen --ref-factor F, F
#      in --series, default "1 2 4", "" to leave it out): wall time and peak
#      memory (/usr/bin/time) per F, against F times the time at F = 1 and
#      the memory limit of 200 MB + 64 B per archived person; the flags at
#      every F must be the planted ones, or the benchmark fails;
#   8. the archive's corner shapes (tests/bench/corners.sh): one household
#      of 60 000 members, one person in 60 000 households; the seconds of
#      the archive and evaluate stages and of the whole run, which must
#      grow with the size, not its square.
#   9. a national archive on one coordinator (--national only): xcgen
#      --scale S (default 10: 1 M households, 3 M people) --ref-factor F
#      (default 1) --process, the file run of 4 with the full rule set:
#      wall time and peak memory (/usr/bin/time), the memory per archived
#      person, against 200 MB + 64 B per archived person; the flags must be
#      the planted ones, or the benchmark fails.
#  10. months of social insurance: the slice of xcgen --scale S --process
#      with the archive's social insurance of 24 months (the default) and
#      of 54 (--si-months 54: the same archive and planted flags), the file
#      run of 4 with the full rule set under the memory target as --memory
#      (200 MB + 64 B per archived person) and with --memory 0: wall time
#      and peak memory (/usr/bin/time) of each; the flags must be the
#      planted ones, and the same with and without the limit, evidence
#      too, or the benchmark fails.
# --only months measures 10 alone and writes its section into --report
# FILE, by default into BENCHMARKS.md in place of its "Months of social
# insurance" section, the others kept; a full run measures it too.
# --split (or --only split) measures one dataset read from one big gzip
# file against the same rows in four files (xcgen --split 4), alone: the
# archive and hukou only, --jobs 2 on two cores (taskset -c 0,1), the scan
# stage's seconds (summary.json), medians of --runs runs, the flags of
# both runs the same; the target is 1.7 times faster from four files.
# --only series measures 7 alone, without PostgreSQL, and --corners (or
# --only corners) 8 alone, without the generated data; either writes its
# table to --report FILE only when one is given (BENCHMARKS.md is the
# default of a full run). --national (or --only national) measures 9
# alone and writes its section into --report FILE, by default into
# BENCHMARKS.md in place of its "National archive" section, the others
# kept; a full run keeps that section as it finds it.
# --shards (or --only shards) measures the reference datasets read from
# 1, 2 and 3 throwaway PostgreSQL shard servers (hash-partitioned by ID,
# one source per shard) and through a coordinator of postgres_fdw foreign
# partitions, with push-down and with full scans, and projects a national
# run from it (tests/bench/shards.sh; default scale 0.3, 12 M reference
# rows: loading and spreading them and the 8 measurements of 3 runs take
# about 5 minutes on 2 cores, room for --runs 5 or --scale 0.5 in 10); every
# run's flags must be the planted ones, or the benchmark fails. Its section
# goes into --report FILE, by default into BENCHMARKS.md in place of its
# "Sharded reference data" section, which a full run keeps as it finds it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
scale="" runs=3 keep="" series="1 2 4" only="" report="" t_corners="" ref_factor=1
usage() { echo "run.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || case $1 in -h|--help|--corners|--split|--national|--shards) ;; *) usage "$1 needs a value" ;; esac
    case $1 in
    --scale) scale=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --series) series=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --corners) only=corners; shift ;;
    --split) only=split; shift ;;
    --national) only=national; shift ;;
    --shards) only=shards; shift ;;
    --ref-factor) ref_factor=$2; shift 2 ;;
    --report) report=$2; shift 2 ;;
    -h|--help) sed -n '/^set -euo/q; 2,$p' "$0"; exit 0 ;;
    *) usage "unknown argument $1" ;;
    esac
done
case $runs in '' | *[!0-9]* | 0) usage "--runs: '$runs' is not a number of runs" ;; esac
case $only in '' | series | corners | split | national | shards | months) ;;
*) usage "--only: '$only' is not 'series', 'corners', 'split', 'national', 'shards' or 'months'" ;; esac
# the national archive is ten provinces' worth; everything else a province
# (the sharded series a third of one, to load four servers in minutes)
[ -n "$scale" ] || case $only in national) scale=10 ;; shards) scale=0.3 ;; *) scale=1 ;; esac
case $ref_factor in '' | *[!0-9]*) usage "--ref-factor: '$ref_factor' is not a factor from 1 to 16" ;; esac
prev=0
for f in $series; do
    case $f in '' | *[!0-9]*) usage "--series: '$f' is not a factor from 1 to 16" ;; esac
    { [ "$f" -ge 1 ] && [ "$f" -le 16 ]; } || usage "--series: '$f' is not a factor from 1 to 16"
    [ "$prev" != 0 ] || [ "$f" = 1 ] || usage "--series: the first factor must be 1, the base"
    [ "$f" -gt "$prev" ] || usage "--series: the factors must be increasing"
    prev=$f
done
[ "$only" != series ] || [ -n "$series" ] || usage "--only series with an empty --series"
[ -n "$report" ] || [ -n "$only" ] || report=$root/BENCHMARKS.md
# --national: its section replaces that of BENCHMARKS.md unless --report
national_into=""
if [ "$only" = national ] && [ -z "$report" ]; then national_into=$root/BENCHMARKS.md; fi
if [ "$only" = shards ] && [ -z "$report" ]; then national_into=$root/BENCHMARKS.md; fi
if [ "$only" = months ] && [ -z "$report" ]; then national_into=$root/BENCHMARKS.md; fi

say() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---- build (optimised, apart from the test builds) -------------------------
build=$root/build-bench
if [ -d "$build" ]; then meson setup --reconfigure "$build" -Dbuildtype=release >/dev/null
else meson setup "$build" -Dbuildtype=release >/dev/null; fi
meson compile -C "$build" >/dev/null
xcheck=$build/xcheck
xcgen=$build/tests/bench/xcgen
gzfloor=$build/tests/bench/gzfloor
# The file connector inflates with ISA-L when the build found it: then the
# floor is ISA-L's, and zlib's is measured beside it for reference.
isal=""
grep -q 'XC_HAVE_ISAL 1' "$build/xc_build.h" && isal=--isal

work=${keep:-$(mktemp -d /tmp/xcheck-bench.XXXXXX)}
mkdir -p "$work"
data=$work/data
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT

# ---- 8. the corner shapes: corners prints the table, corners_section the
# report's section around it ------------------------------------------------
corners() {
    say "8. the archive's corner shapes"
    "$here/corners.sh" --runs "$runs" --xcheck "$xcheck" --keep "$work/corners"
}
corners_section() {
    cat <<EOF
## Corner shapes of the archive

One household of 60 000 members (one row in 100 given twice, a few of
them \`self\`), and one person in 60 000 households (each with its own
worker, enrolled in no order, some exited, cancelled or enrolled after
as_of), household and member only (\`tests/bench/corners.sh\`), --jobs 2,
medians of $runs runs. Adding a member, DUP-PERSON and MB-DUPLICATE take
time in proportion to the rows, not to their square. Most of the shared
case is its output: 52 199 DUP-PERSON flags naming 16 households each,
217 MB of evidence, which the evaluate stage builds and masks and the
report stage writes in five forms.

$1
EOF
}
if [ "$only" = corners ]; then
    t_corners=$(corners)
    echo "$t_corners"
    if [ -n "$report" ]; then
        corners_section "$t_corners" >"$report"
        say "wrote $report"
    fi
    exit 0
fi

# median: the median of the numbers on standard input, one a line.
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# ---- one dataset from one file or four: --split ---------------------------------
# split_config DATA OUT: DATA's xcheck.ini with [run], household, member and
# hukou only, so that the scan stage reads hukou alone.
split_config() {
    awk '/^\[/ { keep = ($0 == "[run]" || $0 == "[household]" || $0 == "[member]" ||
                          $0 == "[hukou]") } keep' "$1/xcheck.ini" >"$2"
}
# split_scan CONFIG OUT: the scan stage's seconds of one run on two cores,
# and the cores the whole run kept busy (CPU seconds over wall seconds).
split_scan() {
    /usr/bin/time -o "$2.time" -f '%e %U %S' \
        taskset -c 0,1 "$xcheck" run -q --jobs 2 -c "$1" -o "$2" >/dev/null 2>&1 || [ $? = 4 ] ||
        { say "xcheck run -c $1 failed"; return 1; }
    local scan cores
    scan=$(sed -n 's/.*"seconds": {[^}]*"scan": \([0-9.]*\).*/\1/p' "$2/summary.json")
    cores=$(tail -n 1 "$2.time" | awk '{ printf "%.2f", ($2 + $3) / $1 }')
    echo "$scan $cores"
}
if [ "$only" = split ]; then
    for n in 1 4; do
        d=$work/split$n
        if [ ! -s "$d/expected-flags.csv" ]; then
            say "generating scale $scale into $d (--split $n)"
            "$xcgen" --out "$d" --scale "$scale" --split "$n" >"$work/xcgen-split$n.log"
        fi
        split_config "$d" "$d/hukou-only.ini"
    done
    t1=() t4=()
    for _ in $(seq "$runs"); do
        t1+=("$(split_scan "$work/split1/hukou-only.ini" "$work/out-split1")")
        t4+=("$(split_scan "$work/split4/hukou-only.ini" "$work/out-split4")")
    done
    same=$(check_flags() { cut -d, -f1,2,3,6,8,9 "$1/flags.csv" | tail -n +2 | sort; }
           if cmp -s <(check_flags "$work/out-split1") <(check_flags "$work/out-split4")
           then echo same; else echo DIFFERENT; fi)
    m1=$(printf '%s\n' "${t1[@]}" | cut -d' ' -f1 | median)
    m4=$(printf '%s\n' "${t4[@]}" | cut -d' ' -f1 | median)
    c1=$(printf '%s\n' "${t1[@]}" | cut -d' ' -f2 | median)
    c4=$(printf '%s\n' "${t4[@]}" | cut -d' ' -f2 | median)
    rows=$(awk -F, '$1 == "hukou" && $NF == "dataset" { print $4 }' "$work/out-split4/accounting.csv")
    speed=$(echo "$m1 / $m4" | bc -l | awk '{ printf "%.2f", $1 }')
    table="| hukou ($rows rows, scale $scale) | scan stage, s (median of $runs) | rows/s | cores busy (CPU s / wall s, the whole run) |
|---|---:|---:|---:|
| one gzip file | $m1 | $(echo "$rows / $m1" | bc) | $c1 |
| four gzip files (xcgen --split 4) | $m4 | $(echo "$rows / $m4" | bc) | $c4 |
| four files against one | ${speed}x (target 1.7x) | flags $same | |"
    echo "$table"
    if [ -n "$report" ]; then
        { echo "## One dataset from one file or four files"; echo
          echo "xcheck --jobs 2 on two cores (taskset -c 0,1), household, member and hukou only."
          echo; echo "$table"; } >"$report"
        say "wrote $report"
    fi
    [ "$same" = same ]
    exit
fi

# ---- 9. a national archive on one coordinator: national_section prints the
# report's section ------------------------------------------------------------
# section_of FILE TITLE: the section "## TITLE" of FILE, up to the next one.
section_of() {
    [ -f "$1" ] || return 0
    awk -v t="## $2" '$0 == t { on = 1; print; next } on && /^## / { exit } on' "$1"
}
# put_section FILE TITLE TEXTFILE: FILE with its section TITLE replaced by
# TEXTFILE's, or with TEXTFILE's put before "## Machine and versions" (at the
# end when there is none); the other sections as they were.
put_section() {
    awk -v t="## $2" -v text="$3" '
        function put() { while ((getline l < text) > 0) print l; close(text); print ""; done = 1 }
        $0 == t { put(); skip = 1; next }
        skip && /^## / { skip = 0 }
        skip { next }
        !done && $0 == "## Machine and versions" { put() }
        { print }
        END { if (!done) { print ""; put() } }' "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}
# timed_runs WHAT TIMES OUT ARG...: --runs runs of `xcheck run -q -j 2 -o OUT
# ARG...`, each one's "seconds peak-KiB" appended to TIMES; a failure ends
# the benchmark.
timed_runs() {
    local what=$1 times=$2 out=$3 rc
    shift 3
    : >"$times"
    for _ in $(seq "$runs"); do
        say "$what"
        rc=0
        /usr/bin/time -o "$work/time.out" -f '%e %M' \
            "$xcheck" run -q -j 2 -o "$out" "$@" >/dev/null || rc=$?
        if [ "$rc" != 0 ] && [ "$rc" != 3 ] && [ "$rc" != 4 ]; then
            say "$what: xcheck exited with $rc"; exit 1
        fi
        tail -n 1 "$work/time.out" >>"$times"
    done
}
national_section() {
    local dir=$work/national log=$work/xcgen-national.log out=$work/out-national
    local persons households rows bytes t m limit per over same n_want n_got gen
    local t_none m_none spilled batches windows budget same_none kept facts
    if [ ! -s "$dir/expected-flags.csv" ]; then
        say "9. generating the national archive (scale $scale, reference x$ref_factor) into $dir"
        /usr/bin/time -o "$work/gen-national.time" -f '%e %M' \
            "$xcgen" --out "$dir" --scale "$scale" --ref-factor "$ref_factor" --process >"$log"
    fi
    gen=$(tail -n 1 "$work/gen-national.time" 2>/dev/null |
          awk '{ printf "generated in %.0f s, xcgen peak %d MB", $1, $2 / 1024 }')
    persons=$(( $(gzip -dc "$dir/member.csv.gz" | wc -l) - 1 ))
    households=$(( $(gzip -dc "$dir/household.csv.gz" | wc -l) - 1 ))
    limit=$(( 200 * 1024 + 64 * persons / 1024 ))       # KiB
    # under the target as --memory, and with no limit for comparison
    timed_runs "9. xcheck on the national archive (limit)" "$work/time-national-limit" \
        "$out-limit" -c "$dir/xcheck.ini" --memory "${limit}K" --temp-dir "$work"
    timed_runs "9. xcheck on the national archive (none)" "$work/time-national-none" \
        "$out-none" -c "$dir/xcheck.ini" --memory 0
    local out_none=$out-none
    out=$out-limit
    t=$(cut -d' ' -f1 "$work/time-national-limit" | median | awk '{ printf "%.1f", $1 }')
    m=$(cut -d' ' -f2 "$work/time-national-limit" | median)
    t_none=$(cut -d' ' -f1 "$work/time-national-none" | median | awk '{ printf "%.1f", $1 }')
    m_none=$(cut -d' ' -f2 "$work/time-national-none" | median)
    spilled=$(grep -o '"spilled_bytes": [0-9]*' "$out/summary.json" | awk '{ printf "%.2f GB", $2 / 1e9 }')
    batches=$(grep -o '"batches": [0-9]*' "$out/summary.json" | awk '{ print $2 }')
    windows=$(grep -o '"windows": [0-9]*' "$out/summary.json" | awk '{ print $2 }')
    budget=$(grep -o '"facts_budget": [0-9]*' "$out/summary.json" | awk '{ printf "%.0f MB", $2 / 1048576 }')
    rows=$(awk -F, 'NR > 1 { n += $4 } END { print n + 0 }' "$out/accounting.csv")
    bytes=$(du -sbL "$dir" | awk '{ printf "%.1f", $1 / 1e9 }')
    # the matched rows kept as facts, the most first
    kept=$(awk -F, 'NR > 1 && $1 != "household" && $1 != "member" && $5 >= 50000 {
                        printf "%s %.1f\n", $1, $5 / 1e6 }' "$out/accounting.csv" |
           sort -k2 -gr | awk '{ printf "%s%s %s M", (NR > 1 ? ", " : ""), $1, $2 }')
    facts=$(awk -F, -v p="$persons" 'NR > 1 && $1 != "household" && $1 != "member" { n += $5 }
                                     END { printf "%.1f", n / p }' "$out/accounting.csv")
    per=$(( m * 1024 / persons ))
    over=$(( (m - 200 * 1024) * 1024 / persons ))
    [ "$over" -ge 0 ] && over="$over B" || over="none: the peak is under 200 MB"
    if cmp -s "$out_none/flags.csv" "$out/flags.csv" &&
       cmp -s "$out_none/evidence.jsonl" "$out/evidence.jsonl"; then same_none=same
    else same_none=DIFFERENT; fi
    cut -d, -f1,2,3,6,8,9 "$out/flags.csv" | tail -n +2 | sort >"$work/national.flags"
    tail -n +2 "$dir/expected-flags.csv" | sort >"$work/national.expected"
    n_want=$(wc -l <"$work/national.expected")
    n_got=$(wc -l <"$work/national.flags")
    if cmp -s "$work/national.expected" "$work/national.flags"; then same=same; else
        same=DIFFERENT
        say "national archive: the flags differ from the planted ones:"
        diff "$work/national.expected" "$work/national.flags" | head -n 20 >&2 || true
    fi
    cat <<SECTION
## National archive

One coordinator checks $households households, $persons people
(\`xcgen --scale $scale --ref-factor $ref_factor --process\`, the full rule
set${gen:+; $gen}) against $(awk -v n="$rows" 'BEGIN { printf "%.1f M", n / 1e6 }') rows
in all, $bytes GB of gzip CSV, with \`xcheck run -j 2\`
(\`tests/bench/run.sh --national --scale $scale --runs $runs\` on
$(date -u +%Y-%m-%d), median of $runs).

| measure | value | target |
|---|---:|---|
| 9. national archive: xcheck, gzip files, --jobs 2, \`--memory ${limit}K\` | $t s | |
| 9. peak memory | $(( m / 1024 )) MB | ≤ $(( limit / 1024 )) MB: 200 MB + 64 B × $persons people |
| 9. peak memory per archived person | $per B | |
| 9. peak memory over 200 MB, per archived person | $over | ≤ 64 B |
| 9. the same with no limit: time | $t_none s | |
| 9. the same with no limit: peak memory | $(( m_none / 1024 )) MB | |

Flags vs planted: $same ($n_want expected, $n_got raised); flags and
evidence with and without the limit: $same_none.

Where the memory goes: the archive itself (households, members, the ID
table), the flags and the report's writers; and the facts: every matched
process row and hukou, property, vehicle or business row as a fact of 24 to
48 bytes, a person's social insurance as runs of months of 16 bytes
(\`include/xcheck/facts.h\`), $facts matched rows per archived person here
($kept). With no limit they are all held until the evaluation; under the
limit (a facts budget of $budget once the archive is read) they went to the
temporary file as the scan read them, $spilled in $windows windows of
households, and were evaluated in $batches batches (README, "A memory
limit").
SECTION
}
# publish STEM TITLE: prints $section, and puts it into --report's file or
# as section TITLE of BENCHMARKS.md
publish() {
    echo "$section"
    if [ -n "$report" ] || [ -n "$national_into" ]; then
        echo "$section" >"$work/$1.md"
        if [ -n "$report" ]; then cp "$work/$1.md" "$report"
        else put_section "$national_into" "$2" "$work/$1.md"; fi
        say "wrote ${report:-$national_into}"
    fi
}
if [ "$only" = national ]; then
    section=$(national_section)
    publish national "National archive"
    case $section in *"Flags vs planted: DIFFERENT"* | *"limit: DIFFERENT"*) exit 1 ;; esac
    exit 0
fi

# ---- the sharded series: --shards (tests/bench/shards.sh) ----------------------
if [ "$only" = shards ]; then
    rc=0
    "$here/shards.sh" --xcheck "$xcheck" --xcgen "$xcgen" --work "$work" --scale "$scale" \
        --runs "$runs" --section "$work/shards.md" || rc=$?
    # a section with flags apart from the planted ones is written too
    if [ -s "$work/shards.md" ]; then
        if [ -n "$report" ]; then cp "$work/shards.md" "$report"
        else put_section "$national_into" "Sharded reference data" "$work/shards.md"; fi
        say "wrote ${report:-$national_into}"
    fi
    exit "$rc"
fi

# ---- 10. months of social insurance: months_section prints the report's
# section; a flag set or evidence that differs makes it say DIFFERENT ---------
months_section() {
    local n mode dir out rc persons households limit
    local -A t m same same_none rows matched spilled
    for n in 24 54; do
        dir=$work/months$n
        if [ ! -s "$dir/expected-flags.csv" ]; then
            say "10. generating scale $scale, --process --si-months $n, into $dir"
            "$xcgen" --out "$dir" --scale "$scale" --process --si-months "$n" >"$work/xcgen-months$n.log"
        fi
    done
    persons=$(( $(gzip -dc "$work/months54/member.csv.gz" | wc -l) - 1 ))
    households=$(( $(gzip -dc "$work/months54/household.csv.gz" | wc -l) - 1 ))
    limit=$(( 200 * 1024 + 64 * persons / 1024 ))       # KiB
    for n in 24 54; do
        dir=$work/months$n
        for mode in limit none; do
            local memory_arg=(--memory 0)
            [ "$mode" = none ] || memory_arg=(--memory "${limit}K" --temp-dir "$work")
            timed_runs "10. xcheck on $n months of social insurance (--memory: $mode)" \
                "$work/time-months$n-$mode" "$work/out-months$n-$mode" -c "$dir/xcheck.ini" \
                "${memory_arg[@]}"
            t[$n-$mode]=$(cut -d' ' -f1 "$work/time-months$n-$mode" | median | awk '{ printf "%.1f", $1 }')
            m[$n-$mode]=$(cut -d' ' -f2 "$work/time-months$n-$mode" | median)
        done
        out=$work/out-months$n-limit
        rows[$n]=$(awk -F, '$1 == "social_insurance" { print $4 }' "$out/accounting.csv")
        matched[$n]=$(awk -F, '$1 == "social_insurance" { print $5 }' "$out/accounting.csv")
        spilled[$n]=$(awk '/"spilled": true/ { s = 1 }
                           match($0, /"spilled_bytes": [0-9]+/) { b = substr($0, RSTART + 17, RLENGTH - 17) }
                           match($0, /"batches": [0-9]+/) { k = substr($0, RSTART + 11, RLENGTH - 11) }
                           END { if (s) printf "%.0f MB in %d batches", b / 1048576, k; else print "nothing" }' \
                      "$out/summary.json")
        cut -d, -f1,2,3,6,8,9 "$out/flags.csv" | tail -n +2 | sort >"$work/months$n.flags"
        tail -n +2 "$dir/expected-flags.csv" | sort >"$work/months$n.expected"
        if cmp -s "$work/months$n.expected" "$work/months$n.flags"; then
            same[$n]="same ($(wc -l <"$work/months$n.expected") flags)"
        else
            same[$n]=DIFFERENT
            say "$n months: the flags differ from the planted ones:"
            diff "$work/months$n.expected" "$work/months$n.flags" | head -n 20 >&2 || true
        fi
        if cmp -s "$out/flags.csv" "$work/out-months$n-none/flags.csv" &&
           cmp -s "$out/evidence.jsonl" "$work/out-months$n-none/evidence.jsonl"; then
            same_none[$n]=same
        else same_none[$n]=DIFFERENT; fi
    done
    over() {
        local b=$(( ($1 - 200 * 1024) * 1024 / persons ))
        if [ "$b" -ge 0 ]; then echo "$b B"; else echo "none (under 200 MB)"; fi
    }
    in_m() { awk -v n="$1" 'BEGIN { printf "%.1f M", n / 1e6 }'; }
    cat <<SECTION
## Months of social insurance

The slice of \`xcgen --scale $scale --process\` ($households households,
$persons people, the full rule set) with the archive's social insurance of
24 months, and of 54 (\`--si-months 54\`: the same archive, reference
people and planted flags, 30 months more of every archived earner), with
\`xcheck run -j 2\` under the memory target as \`--memory ${limit}K\`
(200 MB + 64 B × $persons people) and with \`--memory 0\`
(\`tests/bench/run.sh --only months --scale $scale --runs $runs\` on
$(date -u +%Y-%m-%d), median of $runs).

| measure | 24 months | 54 months | target |
|---|---:|---:|---|
| 10. social_insurance rows (matched) | $(in_m "${rows[24]}") ($(in_m "${matched[24]}")) | $(in_m "${rows[54]}") ($(in_m "${matched[54]}")) | |
| 10. xcheck, gzip files, --jobs 2, \`--memory ${limit}K\`: time | ${t[24-limit]} s | ${t[54-limit]} s | |
| 10. peak memory | $(( m[24-limit] / 1024 )) MB | $(( m[54-limit] / 1024 )) MB | ≤ $(( limit / 1024 )) MB at every length |
| 10. peak memory over 200 MB, per archived person | $(over "${m[24-limit]}") | $(over "${m[54-limit]}") | ≤ 64 B |
| 10. facts spilled | ${spilled[24]} | ${spilled[54]} | |
| 10. \`--memory 0\`: time | ${t[24-none]} s | ${t[54-none]} s | |
| 10. \`--memory 0\`: peak memory | $(( m[24-none] / 1024 )) MB | $(( m[54-none] / 1024 )) MB | |

Flags vs planted: 24 months ${same[24]}, 54 months ${same[54]}.
Flags and evidence with and without the limit: 24 months ${same_none[24]},
54 months ${same_none[54]}.
SECTION
}
if [ "$only" = months ]; then
    section=$(months_section)
    publish months "Months of social insurance"
    case $section in *DIFFERENT*) exit 1 ;; esac
    exit 0
fi

# ---- data -------------------------------------------------------------------
if [ ! -s "$data/expected-flags.csv" ]; then
    say "generating scale $scale into $data"
    "$xcgen" --out "$data" --scale "$scale" --sql-schema bench | tee "$work/xcgen-x1.log"
fi
as_of=$(sed -n 's/^as_of *= *//p' "$data/xcheck.ini")
persons=$(( $(gzip -dc "$data/member.csv.gz" | wc -l) - 1 ))

# ---- measuring ----------------------------------------------------------------
# median_of N CMD...: runs CMD N times, prints the median wall time (s).
median_of() {
    local n=$1; shift
    local t=()
    for _ in $(seq "$n"); do
        local s e
        s=$(date +%s.%N)
        "$@" >/dev/null
        e=$(date +%s.%N)
        t+=("$(echo "$e - $s" | bc -l)")
    done
    printf '%s\n' "${t[@]}" | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] }'
}
flags_of() { cut -d, -f1,2,3,6,8,9 "$1/flags.csv" | tail -n +2 | sort; }
ratio() { echo "$1 / $2" | bc -l | awk '{ printf "%.2f", $1 }'; }
tail -n +2 "$data/expected-flags.csv" | sort >"$work/expected.flags"

# ---- the same flags, or no benchmark ------------------------------------------
# check_same WHAT A B: prints "same" or "DIFFERENT" (and the difference on
# stderr). It runs in $(...), so the caller fails the benchmark, with
# same_or_fail, once every figure is in the table.
check_same() {
    if cmp -s "$2" "$3"; then echo "same"; else
        echo "DIFFERENT"
        say "$1: the flag sets differ:"; diff "$2" "$3" | head -n 20 >&2 || true
    fi
}
status=0
same_or_fail() { case "$*" in *DIFFERENT*) status=1 ;; esac; }

# ---- 1 to 6, all but with --only series (up to the matching "fi") -------------
if [ "$only" != series ]; then
# ---- a throwaway server, tuned for a read-mostly benchmark ---------------------
. "$root/tests/support/pg.sh"
PG_CONF_EXTRA="shared_buffers = 2GB
work_mem = 256MB
maintenance_work_mem = 1GB
max_parallel_workers_per_gather = 2
max_parallel_workers = 2
effective_cache_size = 16GB
max_wal_size = 8GB
checkpoint_timeout = 30min"
export PG_CONF_EXTRA
# pg_start replaces the EXIT trap with its own, which runs PG_ON_STOP first.
[ -n "$keep" ] || PG_ON_STOP='rm -rf "$work"'
pg_start
say "loading into PostgreSQL ($PGPORT)"
pg_psql -f "$data/load.sql" >/dev/null
# The small archive of a nightly re-check: 3 k households of the big one.
pg_psql <<'SQL' >/dev/null
CREATE SCHEMA bench_small;
CREATE TABLE bench_small.household AS
    SELECT * FROM bench.household ORDER BY archive_no LIMIT 3000;
CREATE TABLE bench_small.member AS
    SELECT m.* FROM bench.member m JOIN bench_small.household h USING (archive_no);
DO $$ DECLARE t text; BEGIN
    FOREACH t IN ARRAY ARRAY['hukou', 'social_insurance', 'property', 'vehicle',
                             'business', 'dibao_standard'] LOOP
        EXECUTE format('CREATE VIEW bench_small.%I AS SELECT * FROM bench.%I', t, t);
    END LOOP;
END $$;
SQL

# Configurations: files as generated; everything from PostgreSQL; the small
# archive from bench_small with the big reference tables.
awk -v s=bench '
    /^\[/ { sec = substr($0, 2, length($0) - 2) }
    /^kind *=/ { print "kind = postgres"; next }
    /^path *=/ { print "table = " s "." sec; next }
    /^delimiter|^quote|^header|^encoding/ { next }
    { print }' "$data/xcheck.ini" >"$work/pg.ini"
awk '/^\[/ { sec = substr($0, 2, length($0) - 2) }
     /^table *= *bench\.(household|member)$/ { print "table = bench_small." sec; next }
     { print }' "$work/pg.ini" >"$work/small.ini"

run_pg() { "$xcheck" run -q -c "$work/pg.ini" -j 2 -o "$work/out-pg" || { rc=$?; [ $rc = 3 ] || [ $rc = 4 ]; }; }
run_files() { "$xcheck" run -q -c "$data/xcheck.ini" -j 2 -o "$work/out-files" || { rc=$?; [ $rc = 3 ] || [ $rc = 4 ]; }; }
run_peer() {
    pg_psql -X -q -A -v schema="$1" -v as_of="$as_of" -f "$here/peer.sql" >"$2"
}
run_small() { "$xcheck" run -q -c "$work/small.ini" -j 2 --pushdown "$1" -o "$work/out-small-$1" || { rc=$?; [ $rc = 3 ] || [ $rc = 4 ]; }; }

# The floor: every column xcheck reads (the mapped ones), per table, in two
# ctid ranges streamed at once.
copy_floor() {
    local t cols pages half
    for t in hukou social_insurance property vehicle business dibao_standard; do
        cols=$(sed -n "/^\[$t\]/,/^\[/p" "$work/pg.ini" | sed -n 's/^field\.[a-z_0-9]* *= *//p' | paste -sd, -)
        pages=$(pg_psql -At -c "SELECT pg_relation_size('bench.$t') / current_setting('block_size')::int")
        half=$((pages / 2))
        pg_psql -c "\\copy (SELECT $cols FROM bench.$t WHERE ctid < '($half,0)'::tid) TO '/dev/null'" &
        pg_psql -c "\\copy (SELECT $cols FROM bench.$t WHERE ctid >= '($half,0)'::tid) TO '/dev/null'"
        wait
    done
}
gunzip_floor() { "$gzfloor" $isal 2 "$data"/*.csv.gz; }
zlib_floor() { "$gzfloor" 2 "$data"/*.csv.gz; }

say "1. xcheck, PostgreSQL sources"
t_pg=$(median_of "$runs" run_pg)
say "2. the SQL peer"
t_peer=$(median_of "$runs" run_peer bench "$work/peer.csv")
say "3. the COPY floor"
t_copy=$(median_of "$runs" copy_floor)
say "4. xcheck on gzip files, and the decompression floor"
t_files=$(median_of "$runs" run_files)
t_gunzip=$(median_of "$runs" gunzip_floor)
t_zlib=""
[ -z "$isal" ] || t_zlib=$(median_of "$runs" zlib_floor)
say "5. nightly re-check of 3 k households"
t_push=$(median_of "$runs" run_small on)
t_full=$(median_of "$runs" run_small off)
t_speer=$(median_of "$runs" run_peer bench_small "$work/peer-small.csv")
say "6. peak memory"
mem_kb=$( { /usr/bin/time -f '%M' "$xcheck" run -q -c "$data/xcheck.ini" -j 2 -o "$work/out-mem" 2>&1 >/dev/null || true; } | tail -n 1)

flags_of "$work/out-pg" >"$work/pg.flags"
flags_of "$work/out-files" >"$work/files.flags"
tail -n +2 "$work/peer.csv" | sort >"$work/peer.flags"
same_expected=$(check_same "xcheck vs planted" "$work/expected.flags" "$work/pg.flags")
same_peer=$(check_same "xcheck vs SQL peer" "$work/pg.flags" "$work/peer.flags")
same_files=$(check_same "PostgreSQL vs files" "$work/pg.flags" "$work/files.flags")
flags_of "$work/out-small-on" >"$work/push.flags"
flags_of "$work/out-small-off" >"$work/full.flags"
tail -n +2 "$work/peer-small.csv" | sort >"$work/speer.flags"
same_small=$(check_same "push-down vs full scan" "$work/push.flags" "$work/full.flags")
same_small_peer=$(check_same "push-down vs SQL peer" "$work/push.flags" "$work/speer.flags")
same_or_fail "$same_expected" "$same_peer" "$same_files" "$same_small" "$same_small_peer"

# ---- 4b. the DuckDB peer: duckdb-peer.sql over the same gzip files -----------
# (tests/bench/duckdb.sh). The first run installs DuckDB from npm when it is
# not in the cache yet and is not timed; its exit 2 (no node, no npm, no
# registry) leaves the row "not measured". The cache: $work/duckdb with
# --keep, else duckdb.sh's default, $XDG_CACHE_HOME/xcheck-bench.
[ -z "$keep" ] || export DUCKDB_CACHE=$work/duckdb
run_duckdb() {
    /usr/bin/time -o "$work/time.out" -f '%e %M' \
        "$here/duckdb.sh" "$data" "$work/duckdb.csv" --as-of "$as_of" >/dev/null &&
        tail -n 1 "$work/time.out" >>"$work/time-duckdb"
}
say "4b. the DuckDB peer"
t_duck="not measured" m_duck="" same_duck="not measured" duck_version="" rc=0
"$here/duckdb.sh" "$data" "$work/duckdb.csv" --as-of "$as_of" >/dev/null || rc=$?
case $rc in
0)  : >"$work/time-duckdb"
    for _ in $(seq "$runs"); do
        run_duckdb || { say "4b. the DuckDB peer failed"; exit 1; }
    done
    t_duck=$(cut -d' ' -f1 "$work/time-duckdb" | median | awk '{ printf "%.2f", $1 }')
    m_duck=$(cut -d' ' -f2 "$work/time-duckdb" | median)
    duck_version=$("$here/duckdb.sh" --version)
    tail -n +2 "$work/duckdb.csv" | sort >"$work/duckdb.flags"
    same_duck=$(check_same "xcheck vs DuckDB peer" "$work/files.flags" "$work/duckdb.flags")
    same_or_fail "$same_duck" ;;
2)  say "4b. DuckDB could not be installed: not measured" ;;
*)  say "4b. the DuckDB peer failed (exit $rc)"; exit 1 ;;
esac

mem_mb=$(echo "$mem_kb / 1024" | bc)
mem_limit=$(echo "200 + 64 * $persons / 1048576" | bc)
strategies=$(grep -o '"dataset": "[a-z_]*", "configured": true[^}]*"strategy": "[a-z_]*"' "$work/out-small-on/summary.json" |
             sed 's/"dataset": "\([a-z_]*\)".*"strategy": "\([a-z_]*\)"/\1: \2/' | paste -sd, - | sed 's/,/, /g')
fi    # 1 to 6

# ---- 7. the reference size series ----------------------------------------------
# The file run of 4 on the same archive against F times the reference rows
# (F = 1 is the data above): wall time and peak memory, medians of --runs.
# The data of F > 1 is generated here and, without --keep, removed once
# measured.
ref_datasets="hukou social_insurance property vehicle business"
limit_kb=$(( 200 * 1024 + 64 * persons / 1024 ))
declare -A s_time s_mem s_rows s_same s_gen
if [ -n "$series" ]; then
    labels=""
    for f in $series; do labels="$labels, x$f"; done
    say "7. reference size series: ${labels#, }"
    for f in $series; do
        dir=$data
        [ "$f" = 1 ] || dir=$work/data-x$f
        if [ ! -s "$dir/expected-flags.csv" ]; then
            say "generating scale $scale, reference x$f, into $dir"
            "$xcgen" --out "$dir" --scale "$scale" --ref-factor "$f" >"$work/xcgen-x$f.log"
        fi
        s_gen[$f]=$(sed -n 's/.*everything in \([0-9.]*\) s$/\1/p' "$work/xcgen-x$f.log" 2>/dev/null || true)
        # the same archive and planted flags as at x1, or the series means nothing
        for name in household.csv.gz member.csv.gz expected-flags.csv; do
            if ! cmp -s "$data/$name" "$dir/$name"; then
                say "reference x$f: $name differs from that of x1"
                status=1
            fi
        done
        timed_runs "reference x$f" "$work/time-x$f" "$work/out-x$f" -c "$dir/xcheck.ini"
        s_time[$f]=$(cut -d' ' -f1 "$work/time-x$f" | median | awk '{ printf "%.2f", $1 }')
        s_mem[$f]=$(cut -d' ' -f2 "$work/time-x$f" | median)
        s_rows[$f]=$(awk -F, -v list=" $ref_datasets " 'index(list, " " $1 " ") { n += $4 } END { print n + 0 }' \
                     "$work/out-x$f/accounting.csv")
        flags_of "$work/out-x$f" >"$work/x$f.flags"
        s_same[$f]=$(check_same "reference x$f vs planted" "$work/expected.flags" "$work/x$f.flags")
        same_or_fail "${s_same[$f]}"
        say "reference x$f: ${s_rows[$f]} reference rows, ${s_time[$f]} s, $(( s_mem[$f] / 1024 )) MB"
        [ -n "$keep" ] || [ "$f" = 1 ] || rm -rf "$dir"
    done
fi

[ -n "$only" ] || t_corners=$(corners)
t_months=""
if [ -z "$only" ]; then
    t_months=$(months_section)
    same_or_fail "$t_months"
fi

# ---- the table ------------------------------------------------------------------
mb() { echo $(( $1 / 1024 )); }
# 12345678 -> 12.3 M
millions() { awk -v n="$1" 'BEGIN { printf "%.1f M", n / 1e6 }'; }
series_rows() {
    local f
    for f in $series; do
        if [ "$f" = 1 ]; then
            echo "| 7. reference ×1 ($(millions "${s_rows[1]}") rows): xcheck, gzip files, --jobs 2 | ${s_time[1]} | | time ∝ reference rows |"
        else
            echo "| 7. reference ×$f ($(millions "${s_rows[$f]}") rows) | ${s_time[$f]} | $(ratio "${s_time[$f]}" "${s_time[1]}") × the ×1 time | ≈ $f× |"
        fi
    done
    for f in $series; do
        if [ "$f" = 1 ]; then
            echo "| 7. peak memory, reference ×1 | $(mb "${s_mem[1]}") MB | limit $(mb "$limit_kb") MB | ≤ 200 MB + 64 B × $persons people, at every size |"
        else
            echo "| 7. peak memory, reference ×$f | $(mb "${s_mem[$f]}") MB | $(ratio "${s_mem[$f]}" "${s_mem[1]}") × the ×1 peak | ≤ limit; ≤ 1.10× |"
        fi
    done
}
series_summary() {
    local f d worst=0 under=yes per="" same=""
    for f in $series; do
        per="$per, ×$f $(echo "${s_time[$f]} ${s_rows[$f]}" | awk '{ printf "%.3f", $2 ? $1 * 1e6 / $2 : 0 }')"
        d=$(echo "${s_mem[$f]} ${s_mem[1]}" | awk '{ d = 100 * ($1 - $2) / $2; if (d < 0) d = -d; printf "%.0f", d }')
        [ "$d" -le "$worst" ] || worst=$d
        [ "${s_mem[$f]}" -le "$limit_kb" ] || under=no
        same="$same; ×$f ${s_same[$f]}"
    done
    cat <<EOF
Reference size series: seconds per million reference rows${per#,} (linear:
the same at every size, but for a fixed part, reading the archive and
writing the reports, that weighs less as the reference grows). Peak memory
at most ${worst}% from the ×1 peak (flat: 10% at most), under the limit at
every size: $under. Flag sets vs planted: ${same#; }.
EOF
}

duck_row() {
    if [ -z "$m_duck" ]; then
        echo "| 4b. DuckDB peer (same gzip files, 2 threads) | not measured | DuckDB could not be installed | ≥ 3×, ≤ ¼ memory |"
    else
        echo "| 4b. DuckDB peer (same gzip files, 2 threads) | $t_duck | xcheck $(ratio "$t_duck" "$t_files")× faster; $(mb "$m_duck") MB peak, xcheck's ${mem_mb} MB = $(ratio "$mem_kb" "$m_duck")× of it | ≥ 3×, ≤ ¼ memory |"
    fi
}

# The decompression floor of 4: ISA-L's with zlib's beside it, or zlib's.
floor_rows() {
    if [ -n "$isal" ]; then
        echo "| 4. gunzip floor (ISA-L isal_inflate, 2 files at once) | $t_gunzip | | |"
        echo "| 4. zlib gunzip floor, for reference (gzread, 2 files at once) | $t_zlib | $(ratio "$t_zlib" "$t_gunzip") × ISA-L floor | |"
    else
        echo "| 4. gunzip floor (zlib gzread, 2 files at once) | $t_gunzip | | |"
    fi
}
floor_commands() {
    if [ -n "$isal" ]; then
        echo "    build-bench/tests/bench/gzfloor --isal 2 data/*.csv.gz      # 4, floor: ISA-L's isal_inflate"
        echo "    build-bench/tests/bench/gzfloor 2 data/*.csv.gz             # 4, for reference: zlib's gzread"
    else
        echo "    build-bench/tests/bench/gzfloor 2 data/*.csv.gz             # 4, floor: zlib's gzread"
    fi
}

table=$(
    echo "| measure | seconds | ratio | target |"
    echo "|---|---:|---:|---|"
    if [ "$only" != series ]; then cat <<EOF
| 1. xcheck, PostgreSQL, --jobs 2 | $t_pg | $(ratio "$t_pg" "$t_copy") × COPY floor | ≤ 1.1× |
| 2. SQL peer (psql, parallel query) | $t_peer | xcheck $(ratio "$t_peer" "$t_pg")× faster | ≥ 3× |
| 3. COPY floor (2 ctid ranges at once) | $t_copy | | |
| 4. xcheck, gzip files, --jobs 2 | $t_files | $(ratio "$t_files" "$t_gunzip") × gunzip floor | ≤ 1.3× |
$(floor_rows)
$(duck_row)
| 5. small archive, push-down | $t_push | $(ratio "$t_full" "$t_push")× faster than full scan; $(ratio "$t_speer" "$t_push")× faster than SQL | ≥ 20×; > 1× |
| 5. small archive, full scan | $t_full | | |
| 5. small archive, SQL peer | $t_speer | | |
| 6. peak memory, file run | ${mem_mb} MB | limit ${mem_limit} MB | ≤ 200 MB + 64 B × $persons people |
EOF
    fi
    [ -z "$series" ] || series_rows
    if [ "$only" != series ]; then cat <<EOF

Flag sets: xcheck vs planted: $same_expected; xcheck vs SQL peer: $same_peer;
PostgreSQL vs files: $same_files; small archive push-down vs full scan:
$same_small; push-down vs SQL peer: $same_small_peer; xcheck vs DuckDB peer: $same_duck. Small-archive strategies: $strategies.
EOF
    fi
    if [ -n "$series" ]; then echo; series_summary; fi
)
echo "$table"
[ -z "$t_corners" ] || printf '\n%s\n' "$t_corners"

# ---- the report -----------------------------------------------------------------
if [ -n "$report" ]; then
rows() { echo $(( $(gzip -dc "$data/$1.csv.gz" | wc -l) - 1 )); }
args="--scale $scale --runs $runs"
[ "$series" = "1 2 4" ] || args="$args --series \"$series\""
[ -z "$only" ] || args="$args --only $only"
# the national archive is measured apart (--national): its section stays
national_kept=$(section_of "$report" "National archive")
shards_kept=$(section_of "$report" "Sharded reference data")
split_kept=$(section_of "$report" "One dataset from one file or four files")
{
cat <<EOF
# Benchmarks

Written by \`tests/bench/run.sh $args\` on $(date -u +%Y-%m-%d).
Medians of $runs runs.

## Data

Scale $scale, seed fixed: $(rows household) households, $persons people;
hukou $(rows hukou), social_insurance $(rows social_insurance), property
$(rows property), vehicle $(rows vehicle), business $(rows business) rows
(\`xcgen --scale $scale\`), as gzip CSV$([ "$only" = series ] || echo " and loaded into PostgreSQL with btree
indexes on \`id_no\`").
EOF
if [ -n "$series" ]; then
    echo
    echo "Reference size series: the same archive and planted flags against F times"
    echo "the reference rows (\`xcgen --scale $scale --ref-factor F\`), as gzip CSV;"
    echo "rows of hukou, social_insurance, property, vehicle and business together:"
    for f in $series; do
        echo "- ×$f: ${s_rows[$f]} rows${s_gen[$f]:+, generated in ${s_gen[$f]} s}"
    done
fi
cat <<EOF

## Results

$table
EOF
[ -z "$t_corners" ] || { echo; corners_section "$t_corners"; }
[ -z "$t_months" ] || printf '\n%s\n' "$t_months"
[ -z "$national_kept" ] || printf '\n%s\n' "$national_kept"
[ -z "$shards_kept" ] || printf '\n%s\n' "$shards_kept"
[ -z "$split_kept" ] || printf '\n%s\n' "$split_kept"
cat <<EOF

## Machine and versions

- $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB
- $(uname -sr); $("$xcheck" --version); $(cc --version | head -n 1)
EOF
libs_isal=""
[ -z "$isal" ] || libs_isal="; ISA-L $(pkg-config --modversion libisal)"
if [ "$only" != series ]; then
    echo "- $(pg_psql -At -c 'SELECT version()' | cut -d, -f1); zlib $(pkg-config --modversion zlib)$libs_isal"
    [ -z "$duck_version" ] || echo "- $duck_version, node $(node --version)"
else
    echo "- zlib $(pkg-config --modversion zlib)$libs_isal"
fi
echo
echo "## Commands"
echo
if [ "$only" != series ]; then cat <<EOF
    xcheck run -q -c pg.ini -j 2 -o out-pg                       # 1
    psql -X -q -A -v schema=bench -v as_of=$as_of -f tests/bench/peer.sql   # 2
    psql -c "\\copy (SELECT <mapped columns> FROM bench.<t> WHERE ctid < '(half,0)'::tid) TO '/dev/null'" &
    psql -c "\\copy (SELECT <mapped columns> FROM bench.<t> WHERE ctid >= '(half,0)'::tid) TO '/dev/null'"   # 3, per table
    xcheck run -q -c data/xcheck.ini -j 2 -o out-files          # 4
$(floor_commands)
    /usr/bin/time -f '%e %M' tests/bench/duckdb.sh data out-duckdb.csv --as-of $as_of   # 4b
    xcheck run -q -c small.ini -j 2 --pushdown on|off -o ...     # 5
    psql ... -v schema=bench_small -f tests/bench/peer.sql       # 5
    /usr/bin/time -f %M xcheck run -q -c data/xcheck.ini -j 2    # 6
EOF
fi
if [ -n "$series" ]; then cat <<EOF
    xcgen --out data-xF --scale $scale --ref-factor F           # 7, F in $series (F = 1: data)
    /usr/bin/time -f '%e %M' xcheck run -q -c data-xF/xcheck.ini -j 2 -o out-xF   # 7
EOF
fi
[ -z "$t_corners" ] || echo "    tests/bench/corners.sh --runs $runs --xcheck build-bench/xcheck   # 8"
[ -z "$t_months" ] || cat <<EOF2
    xcgen --out monthsN --scale $scale --process --si-months N   # 10, N in 24 54
    /usr/bin/time -f '%e %M' xcheck run -q -c monthsN/xcheck.ini -j 2 -o out-monthsN --memory <target>K|0   # 10
EOF2
[ "$only" = series ] || { echo; cat "$here/PROFILE.md"; }
} >"$report"
say "wrote $report"
fi
exit "$status"
