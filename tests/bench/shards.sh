#!/usr/bin/env bash
# shards.sh - the sharded series of the benchmark (tests/bench/run.sh
# --shards runs it): the same generated data read from 1, 2 and 3 shard
# servers and through a coordinator, on this machine.
#
#   shards.sh --xcheck XCHECK --xcgen XCGEN --work DIR --scale S --runs N
#             --section FILE
#
# xcgen --scale S --sql-schema bench writes the data into DIR/shards-data
# (kept there when DIR is kept). Four throwaway servers
# (tests/support/pg.sh) start on loopback ports of their own: servers 0-2
# are shards, server 3 the coordinator. Server 0 loads everything into
# schema bench, which is also the one-shard layout (n1); the reference
# datasets (hukou, social_insurance, property, vehicle, business) are then
# spread by abs(hashtext(coalesce(id_no, ''))) % N into schema nN of
# servers 0 .. N-1 (N = 2, 3), each with its btree index on id_no. The
# coordinator holds coord.<dataset>: a table partitioned BY LIST on that
# hash, of one postgres_fdw foreign partition per shard (n3).
#
# xcheck reads the archive (household, member) and dibao_standard from the
# gzip files, and the reference datasets bound as N sources
# (source.sI.database, one per shard), or through the coordinator, each
# with --pushdown on and off, --jobs 2: wall time, the scan stage's seconds
# (summary.json), reference rows read and rows per second, medians of
# --runs runs. Every run's flags must be the planted ones, or the script
# fails (status 1) once the section is written. The section, markdown, goes
# to FILE and to standard output.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
xcheck="" xcgen="" work="" scale="" runs="" section=""
while [ $# -ge 2 ]; do
    case $1 in
    --xcheck) xcheck=$2 ;;
    --xcgen) xcgen=$2 ;;
    --work) work=$2 ;;
    --scale) scale=$2 ;;
    --runs) runs=$2 ;;
    --section) section=$2 ;;
    *) echo "shards.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift 2
done
[ $# = 0 ] && [ -n "$xcheck" ] && [ -n "$xcgen" ] && [ -n "$work" ] && [ -n "$scale" ] &&
    [ -n "$runs" ] && [ -n "$section" ] || { echo "shards.sh: see the usage in its header" >&2; exit 2; }

say() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
flags_of() { cut -d, -f1,2,3,6,8,9 "$1/flags.csv" | tail -n +2 | sort; }

ref_datasets="hukou social_insurance property vehicle business"
data=$work/shards-data
if [ ! -s "$data/expected-flags.csv" ]; then
    say "shards: generating scale $scale into $data"
    "$xcgen" --out "$data" --scale "$scale" --sql-schema bench >"$work/xcgen-shards.log"
fi
tail -n +2 "$data/expected-flags.csv" | sort >"$work/shards-expected.flags"
persons=$(( $(gzip -dc "$data/member.csv.gz" | wc -l) - 1 ))

# ---- four servers ---------------------------------------------------------
# pg.sh keeps one server in PG_DIR, PGHOST and PGPORT and stops it on exit:
# those started before the last are kept here and stopped by PG_ON_STOP,
# which pg_stop runs first (as tests/integration/shards-pg.sh does).
. "$root/tests/support/pg.sh"
PG_CONF_EXTRA="shared_buffers = 1GB
work_mem = 64MB
maintenance_work_mem = 512MB
max_wal_size = 8GB
checkpoint_timeout = 30min"
export PG_CONF_EXTRA
dirs=() hosts=() ports=()
stop_others() {
    local cur=${PG_DIR:-} d
    for d in "${dirs[@]}"; do
        [ "$d" = "$cur" ] && continue
        PG_DIR=$d PG_ON_STOP='' pg_stop
    done
    PG_DIR=$cur
}
for i in 0 1 2 3; do
    PG_ON_STOP=stop_others
    unset PG_DIR         # pg_start starts none while one is in PG_DIR
    pg_start || { say "shards: server $i did not start"; exit 1; }
    dirs+=("$PG_DIR") hosts+=("$PGHOST") ports+=("$PGPORT")
done
PG_ON_STOP=stop_others
# on SERVER psql-arguments...: psql on server SERVER (3: the coordinator)
on() {
    local s=$1; shift
    PGHOST=${hosts[$s]} PGPORT=${ports[$s]} PGOPTIONS='-c client_min_messages=warning' pg_psql -At "$@"
}
conninfo() { echo "host=${hosts[$1]} port=${ports[$1]} dbname=postgres"; }

# ---- the layouts -----------------------------------------------------------
hash_of() { echo "(abs(hashtext(coalesce(id_no, ''))) % $1)"; }
say "shards: loading scale $scale into server 0 (${ports[0]})"
on 0 -f "$data/load.sql" >/dev/null
# spread N: schema nN on servers 0 .. N-1, each with its share of the rows
spread() {
    local n=$1 t s pids
    for t in $ref_datasets; do
        pg_dump -h "${hosts[0]}" -p "${ports[0]}" -U postgres --section=pre-data -t "bench.$t" postgres |
            grep -v '^SET transaction_timeout' | sed "s/\\bbench\\.$t\\b/n$n.$t/g" >"$work/shards-$t.ddl"
        pids=()
        for s in $(seq 0 $((n - 1))); do
            {
                on "$s" -q -c "CREATE SCHEMA IF NOT EXISTS n$n" >/dev/null
                on "$s" -q -f "$work/shards-$t.ddl" >/dev/null
                on 0 -c "COPY (SELECT * FROM bench.$t WHERE $(hash_of "$n") = $s) TO STDOUT" |
                    on "$s" -c "COPY n$n.$t FROM STDIN" >/dev/null
                on "$s" -q -c "CREATE INDEX ON n$n.$t (id_no)" -c "ANALYZE n$n.$t"
            } &
            pids+=($!)
        done
        for s in "${pids[@]}"; do wait "$s" || { say "shards: spreading $t over $n shards failed"; exit 1; }; done
    done
}
on 0 -q -c "CREATE SCHEMA n1" >/dev/null
for t in $ref_datasets; do on 0 -q -c "CREATE VIEW n1.$t AS SELECT * FROM bench.$t"; done
for n in 2 3; do
    say "shards: spreading the reference datasets over $n shards"
    spread "$n"
done
say "shards: the coordinator (${ports[3]}): postgres_fdw partitions over the 3 shards"
{
    echo "CREATE EXTENSION postgres_fdw;"
    echo "CREATE SCHEMA coord; CREATE SCHEMA shape;"
    for s in 0 1 2; do
        echo "CREATE SERVER shard$s FOREIGN DATA WRAPPER postgres_fdw"
        echo "    OPTIONS (host '${hosts[$s]}', port '${ports[$s]}', dbname 'postgres');"
        echo "CREATE USER MAPPING FOR CURRENT_USER SERVER shard$s OPTIONS (user 'postgres');"
    done
    echo "IMPORT FOREIGN SCHEMA n3 FROM SERVER shard0 INTO shape;"
    for t in $ref_datasets; do
        echo "CREATE TABLE coord.$t (LIKE shape.$t) PARTITION BY LIST ($(hash_of 3));"
        for s in 0 1 2; do
            echo "CREATE FOREIGN TABLE coord.${t}_$s PARTITION OF coord.$t FOR VALUES IN ($s)"
            echo "    SERVER shard$s OPTIONS (schema_name 'n3', table_name '$t');"
        done
    done
} | on 3 -q -1 >/dev/null
# every layout holds every row, or the series means nothing
for t in $ref_datasets; do
    want=$(on 0 -c "SELECT count(*) FROM bench.$t")
    for n in 2 3; do
        got=0
        for s in $(seq 0 $((n - 1))); do got=$((got + $(on "$s" -c "SELECT count(*) FROM n$n.$t"))); done
        [ "$got" = "$want" ] || { say "shards: $t over $n shards holds $got rows, not $want"; exit 1; }
    done
    got=$(on 3 -c "SELECT count(*) FROM coord.$t")
    [ "$got" = "$want" ] || { say "shards: coord.$t holds $got rows, not $want"; exit 1; }
done

# ---- configurations ----------------------------------------------------------
# config LAYOUT OUT: the generated xcheck.ini with file paths made absolute
# and the reference datasets read from LAYOUT: 1, 2 or 3 (as many sources,
# one per shard) or coord (the coordinator's partitioned tables).
config() {
    local layout=$1 srcs="" s
    case $layout in
    coord) srcs="database = $(conninfo 3)" ;;
    *) for s in $(seq 0 $((layout - 1))); do srcs="$srcs|source.s$s.database = $(conninfo "$s")"; done
       srcs=${srcs#|} ;;
    esac
    awk -v list=" $ref_datasets " -v data="$data" -v schema="$([ "$layout" = coord ] && echo coord || echo "n$layout")" \
        -v srcs="$srcs" '
        /^\[/ { sec = substr($0, 2, length($0) - 2); ref = index(list, " " sec " ") > 0 }
        ref && /^kind *=/ { print "kind = postgres"; next }
        ref && /^path *=/ {
            print "table = " schema "." sec
            n = split(srcs, s, "|"); for (i = 1; i <= n; i++) print s[i]
            next
        }
        ref && /^(delimiter|quote|header|encoding) *=/ { next }
        !ref && /^path *=/ { sub(/= */, "= " data "/"); print; next }
        { print }' "$data/xcheck.ini" >"$2"
}
layouts="1 2 3 coord"
for l in $layouts; do config "$l" "$work/shards-$l.ini"; done

# ---- measuring -----------------------------------------------------------------
# measure LAYOUT PUSHDOWN: --runs runs; sets wall, scan, rows, rate, strategy, same
declare -A r_wall r_scan r_rows r_strategy r_same r_rss
status=0
measure() {
    local l=$1 pd=$2 out=$work/out-shards-$1-$2 walls=() scans=() rss=() s e rc
    for _ in $(seq "$runs"); do
        rc=0
        s=$(date +%s.%N)
        /usr/bin/time -o "$work/shards.time" -f '%M' \
            "$xcheck" run -q -c "$work/shards-$l.ini" -j 2 --pushdown "$pd" -o "$out" >/dev/null || rc=$?
        e=$(date +%s.%N)
        if [ "$rc" != 0 ] && [ "$rc" != 3 ] && [ "$rc" != 4 ]; then
            say "shards: layout $l, pushdown $pd: xcheck exited with $rc"; exit 1
        fi
        walls+=("$(echo "$e - $s" | bc -l)")
        scans+=("$(sed -n 's/.*"seconds": {[^}]*"scan": \([0-9.]*\).*/\1/p' "$out/summary.json")")
        rss+=("$(tail -n 1 "$work/shards.time")")
    done
    r_wall[$l-$pd]=$(printf '%s\n' "${walls[@]}" | median | awk '{ printf "%.2f", $1 }')
    r_scan[$l-$pd]=$(printf '%s\n' "${scans[@]}" | median | awk '{ printf "%.2f", $1 }')
    r_rss[$l-$pd]=$(printf '%s\n' "${rss[@]}" | median)
    # the dataset lines of the reference datasets (not their sources' lines)
    r_rows[$l-$pd]=$(grep -o '"dataset": "[a-z_]*", "configured": true, "source": "[^"]*", "read": [0-9]*' \
                         "$out/summary.json" |
                     awk -v list=" $ref_datasets " -F'"' 'index(list, " " $4 " ") { sub(/.*"read": /, ""); n += $0 }
                                                          END { print n + 0 }')
    r_strategy[$l-$pd]=$(grep -o '"dataset": "hukou", "configured": true[^}]*"strategy": "[a-z_]*"' "$out/summary.json" |
                         sed 's/.*"strategy": "\([a-z_]*\)"/\1/' | head -n 1)
    flags_of "$out" >"$work/shards-$l-$pd.flags"
    if cmp -s "$work/shards-expected.flags" "$work/shards-$l-$pd.flags"; then r_same[$l-$pd]=same; else
        r_same[$l-$pd]=DIFFERENT status=1
        say "shards: layout $l, pushdown $pd: the flags differ from the planted ones:"
        diff "$work/shards-expected.flags" "$work/shards-$l-$pd.flags" | head -n 20 >&2 || true
    fi
    say "shards: layout $l, pushdown $pd: ${r_wall[$l-$pd]} s, scan ${r_scan[$l-$pd]} s, ${r_rows[$l-$pd]} rows, ${r_same[$l-$pd]}"
}
for l in $layouts; do
    for pd in on off; do measure "$l" "$pd"; done
done

# ---- what the projection needs ----------------------------------------------------
# The COPY text's bytes per row of hukou and social_insurance (every column:
# what a full scan sends over the network), from a 1% sample.
row_bytes() {
    on 0 -c "SELECT round(avg(octet_length(t::text)) + 1) FROM bench.$1 t TABLESAMPLE SYSTEM (1)"
}
b_hukou=$(row_bytes hukou)
b_si=$(row_bytes social_insurance)
# the ID texts one push-down sends to each shard (xcheck does not route
# the IDs by the shards' hash: every shard gets them all)
# (the run record names them per source only when a dataset has several)
texts=$(cat "$work"/out-shards-[23]-on/summary.json | grep -o '[0-9]* ID texts sent' | head -n 1 | cut -d' ' -f1 || true)
[ -n "$texts" ] || { say "shards: no push-down's count of ID texts in summary.json"; exit 1; }
# The national archive's memory per person, from BENCHMARKS.md's section
# (tests/bench/run.sh --national)
nat_over=$(sed -n 's/^| 9\. peak memory over 200 MB, per archived person | \([0-9]*\) B .*/\1/p' "$root/BENCHMARKS.md")
nat_per=$(sed -n 's/^| 9\. peak memory per archived person | \([0-9]*\) B .*/\1/p' "$root/BENCHMARKS.md")
nat_facts=$(sed -n 's/.* \([0-9.]*\) matched rows per archived person here.*/\1/p' "$root/BENCHMARKS.md" | head -1)

# ---- the section -------------------------------------------------------------------
label() {
    case $1 in
    coord) echo "coordinator: postgres_fdw partitions of 3 shards" ;;
    1) echo "1 shard, 1 source" ;;
    *) echo "$1 shards, $1 sources" ;;
    esac
}
rate() { echo "$1 $2" | awk '{ printf "%.2f M", $2 ? $1 / $2 / 1e6 : 0 }'; }
{
cat <<SECTION
## Sharded reference data

The same data (\`xcgen --scale $scale --sql-schema bench\`: $persons archived
people; hukou, social_insurance, property, vehicle and business, ${r_rows[1-off]}
rows in all) with the reference datasets hash-partitioned by ID
(\`abs(hashtext(id_no)) % N\`, btree index on \`id_no\` on every shard)
over 1, 2 and 3 throwaway PostgreSQL servers, bound as N sources
(\`source.sI.database\`, one per shard), and through a coordinator of
postgres_fdw foreign partitions over the 3 shards (default \`fetch_size\`,
100 rows); the archive and dibao_standard from the gzip files.
\`xcheck run -j 2 --pushdown on|off\`, medians of $runs runs
(\`tests/bench/run.sh --shards --scale $scale --runs $runs\` on $(date -u +%Y-%m-%d)).
Scan s is the scan stage (summary.json); rows/s the reference rows read
over the scan seconds.

| layout | push-down | hukou read by | wall s | scan s | reference rows read | rows/s | peak MB | flags vs planted |
|---|---|---|---:|---:|---:|---:|---:|---|
SECTION
for l in $layouts; do
    for pd in on off; do
        k=$l-$pd
        echo "| $(label "$l") | $pd | ${r_strategy[$k]} | ${r_wall[$k]} | ${r_scan[$k]} | ${r_rows[$k]} | $(rate "${r_rows[$k]}" "${r_scan[$k]}") | $(( r_rss[$k] / 1024 )) | ${r_same[$k]} |"
    done
done
cat <<SECTION

All four servers and xcheck run on this one machine's 2 cores: more shards
add no CPU, so the series measures the cost of more sources (connections,
snapshots, one push-down per shard) and of the coordinator, not a
scale-out. A full scan moves every row to xcheck whatever the number of
shards, and its time stays that of xcheck's parsing and matching; a
push-down sends every shard all $texts ID texts of the archive (xcheck does
not route them by the shards' hash), so the shards' work grows with their
number, and here they share the cores. Through the coordinator every row
crosses two servers: postgres_fdw fetches each foreign partition whole in
batches of \`fetch_size\` rows, and xcheck cannot push the IDs through it.
SECTION
} >"$section"

# ---- the projection ----------------------------------------------------------------
# Per core: the measured rate of the 3-shard full scan over xcheck's two
# jobs (the shards' COPY shared those cores: a floor). Per shard: its
# full-scan COPY rate (1 shard, full scan: also a floor) and its push-down
# seconds per ID text, at 1 shard.
awk -v rows3="${r_rows[3-off]}" -v scan3="${r_scan[3-off]}" -v rows1="${r_rows[1-off]}" -v scan1="${r_scan[1-off]}" \
    -v pdscan="${r_scan[1-on]}" -v pdrows="${r_rows[1-on]}" -v texts="$texts" -v persons="$persons" -v scale="$scale" \
    -v bh="$b_hukou" -v bsi="$b_si" -v over="$nat_over" -v per="$nat_per" -v facts="$nat_facts" '
# row WHAT CPU SHARDS BYTES: a line of the table; the stages run at once,
# so a run takes about the slowest of them
function row(what, tc, ts, net,    n1, n10) {
    n1 = net / 125e6; n10 = net / 1.25e9
    printf "| %s | %s | %s | %s | %s | %s (%s) | %s (%s) |\n", what, hms(tc), hms(ts), hms(n1), hms(n10), \
        hms(max3(tc, ts, n1)), slowest(tc, ts, n1), hms(max3(tc, ts, n10)), slowest(tc, ts, n10)
}
function max3(x, y, z) { return x > y ? (x > z ? x : z) : (y > z ? y : z) }
function slowest(c, s, n) { return c >= s && c >= n ? "coordinator" : s >= n ? "shards" : "network" }
function hms(s) { return s < 90 ? sprintf("%.0f s", s) : s < 5400 ? sprintf("%.0f min", s / 60) : sprintf("%.1f h", s / 3600) }
BEGIN {
    hukou = 1.5e9; si = 9e9; total = hukou + si; provinces = 30
    core = rows3 / scan3 / 2                      # coordinator rows/s per core
    shard = rows1 / scan1                         # one shard streaming rows/s
    bytes = hukou * bh + si * bsi                 # a full scan over the network
    people = persons / scale * provinces          # scale 1 is a province
    ntexts = texts / persons * people             # ID texts sent to each shard
    lookup = pdscan / texts                       # push-down s per ID text, per shard
    matched = pdrows / persons * people           # rows a push-down returns
    printf "\n### Projection: a national run\n\n"
    printf "30 provinces: %.1f billion hukou and %.0f billion social-insurance rows\n", hukou / 1e9, si / 1e9
    printf "(%.1f billion rows, %.0f and %.0f bytes a row as COPY text here: %.0f GB),\n", total / 1e9, bh, bsi, bytes / 1e9
    printf "%.1f M archived people (scale 1 is a province: %d people at scale %s).\n", people / 1e6, persons, scale
    printf "Assumptions: one shard per province, N = 30, each on a machine of its\n"
    printf "own; the coordinator parses and matches %.2f M rows/s per core (the\n", core / 1e6
    printf "3-shard full scan above over its 2 jobs, with the shards on the same\n"
    printf "cores: a floor); a shard streams %.2f M rows/s (1 shard, full scan) and\n", shard / 1e6
    printf "spends %.1f µs per ID text of a push-down (1 shard, push-down, %d texts\n", lookup * 1e6, texts
    printf "for 5 tables); the rates stay those of this machine, and xcheck'\''s rate\n"
    printf "grows with its --jobs up to the coordinator'\''s cores (not measured past 2); nothing else\n"
    printf "runs. The larger shards (%.0f M rows each, against %.1f M here) make index\n", total / provinces / 1e6, rows1 / 1e6
    printf "lookups deeper and colder, so the push-down figure is optimistic.\n\n"
    printf "| national run | coordinator CPU | shards (30 at once) | network 1 Gbit/s | network 10 Gbit/s | time, 1 Gbit/s | time, 10 Gbit/s |\n"
    printf "|---|---:|---:|---:|---:|---:|---:|\n"
    ts = total / provinces / shard
    for (c = 2; c <= 32; c *= 4)
        row(sprintf("full scans, coordinator of %d cores", c), total / (core * c), ts, bytes)
    matched_bytes = matched * bytes / total
    row("push-down, coordinator of 2 cores", matched / (core * 2), ntexts * lookup, ntexts * 19 * provinces + matched_bytes)
    printf "\nThe stages run at once (rows stream from the shards through the network\n"
    printf "into the coordinator), so a run takes about the slowest of them, named\n"
    printf "in brackets. Push-down: %.1f M ID texts to each shard, %.0f M matched rows back.\n", ntexts / 1e6, matched / 1e6
    printf "\nUnder its memory limit the coordinator holds the archive, a budget of\n"
    printf "facts and the flags: 200 MB plus %s B a person over it (%s B a person in\n", over, per
    printf "all: the \"National archive\" section, run with `--memory` at its target), so\n"
    printf "%.1f GB for %.1f M people, whatever N; the facts past the budget go to its\n", (200e6 + over * people) / 1e9, people / 1e6
    printf "encrypted temporary file and are read back once (%s facts a person, a year\n", facts
    printf "of social insurance here).\n"
    printf "Neither grows with the reference rows. The bottleneck of full scans is the coordinator'\''s parse\n"
    printf "and match rate (more shards do not shorten it: every row still reaches\n"
    printf "it; more cores do, up to the network), and the network into it, %.0f GB\n", bytes / 1e9
    printf "a run, at 1 Gbit/s; of push-down, the\n"
    printf "shards'\'' index lookups, the same on every shard because each gets every\n"
    printf "ID (routing the IDs by the shards'\'' hash would divide them by N), and the\n"
    printf "network carries only the IDs (19 bytes a text, to each shard) and the matched rows.\n"
}' >>"$section"
cat "$section"
exit "$status"
