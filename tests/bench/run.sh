#!/usr/bin/env bash
# run.sh - the benchmark: xcheck against what a user would pick instead, on
# this machine, in one run. Prints one table and writes it to BENCHMARKS.md
# (at the top of the checkout) with the machine, the versions and the exact
# commands. Run on demand, never in CI:
#
#   tests/bench/run.sh [--scale S] [--runs N] [--keep DIR]
#
# Scale 1 (the default) is a province slice: 100 k households (300 k people)
# against hukou 10 M, social_insurance 24 M, property 3 M, vehicle 2 M and
# business 1 M rows. Each figure is the median of --runs runs (default 3).
#
# Measured side by side:
#   1. xcheck, PostgreSQL sources, --jobs 2, the full rule set;
#   2. the same rules as SQL (peer.sql) run by psql with parallel query on;
#      the two flag sets must be equal row for row, or the benchmark fails;
#   3. the floor: the columns xcheck reads, streamed by two parallel
#      ctid-range COPY ... TO STDOUT into /dev/null;
#   4. xcheck on the same data as gzip CSV files, against the floor of just
#      decompressing those files (two at a time);
#   5. a nightly re-check of a small archive (3 k households) against the
#      same big indexed tables: push-down vs full scan vs the SQL peer;
#   6. peak memory of the file run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
scale=1 runs=3 keep=""
while [ $# -gt 0 ]; do
    case $1 in
    --scale) scale=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

say() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---- build (optimised, apart from the test builds) -------------------------
build=$root/build-bench
if [ -d "$build" ]; then meson setup --reconfigure "$build" -Dbuildtype=release >/dev/null
else meson setup "$build" -Dbuildtype=release >/dev/null; fi
meson compile -C "$build" >/dev/null
xcheck=$build/xcheck
xcgen=$build/tests/bench/xcgen
gzfloor=$build/tests/bench/gzfloor

work=${keep:-$(mktemp -d /tmp/xcheck-bench.XXXXXX)}
mkdir -p "$work"
data=$work/data
[ -n "$keep" ] || trap 'pg_stop 2>/dev/null; rm -rf "$work"' EXIT

# ---- data -------------------------------------------------------------------
if [ ! -s "$data/expected-flags.csv" ]; then
    say "generating scale $scale into $data"
    "$xcgen" --out "$data" --scale "$scale" --sql-schema bench
fi

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
as_of=$(sed -n 's/^as_of *= *//p' "$data/xcheck.ini")

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

run_pg() { "$xcheck" run -q -c "$work/pg.ini" -j 2 -o "$work/out-pg" || [ $? = 3 ]; }
run_files() { "$xcheck" run -q -c "$data/xcheck.ini" -j 2 -o "$work/out-files" || [ $? = 3 ]; }
run_peer() {
    pg_psql -X -q -A -v schema="$1" -v as_of="$as_of" -f "$here/peer.sql" >"$2"
}
run_small() { "$xcheck" run -q -c "$work/small.ini" -j 2 --pushdown "$1" -o "$work/out-small-$1" || [ $? = 3 ]; }

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
gunzip_floor() { "$gzfloor" 2 "$data"/*.csv.gz; }

say "1. xcheck, PostgreSQL sources"
t_pg=$(median_of "$runs" run_pg)
say "2. the SQL peer"
t_peer=$(median_of "$runs" run_peer bench "$work/peer.csv")
say "3. the COPY floor"
t_copy=$(median_of "$runs" copy_floor)
say "4. xcheck on gzip files, and the decompression floor"
t_files=$(median_of "$runs" run_files)
t_gunzip=$(median_of "$runs" gunzip_floor)
say "5. nightly re-check of 3 k households"
t_push=$(median_of "$runs" run_small on)
t_full=$(median_of "$runs" run_small off)
t_speer=$(median_of "$runs" run_peer bench_small "$work/peer-small.csv")
say "6. peak memory"
mem_kb=$( { /usr/bin/time -f '%M' "$xcheck" run -q -c "$data/xcheck.ini" -j 2 -o "$work/out-mem" 2>&1 >/dev/null || true; } | tail -n 1)

# ---- the same flags, or no benchmark ------------------------------------------
status=0
check_same() {    # check_same WHAT A B
    if cmp -s "$2" "$3"; then echo "same"; else
        echo "DIFFERENT"
        say "$1: the flag sets differ:"; diff "$2" "$3" | head -n 20 >&2
        status=1
    fi
}
flags_of "$work/out-pg" >"$work/pg.flags"
flags_of "$work/out-files" >"$work/files.flags"
tail -n +2 "$work/peer.csv" | sort >"$work/peer.flags"
tail -n +2 "$data/expected-flags.csv" | sort >"$work/expected.flags"
same_expected=$(check_same "xcheck vs planted" "$work/expected.flags" "$work/pg.flags")
same_peer=$(check_same "xcheck vs SQL peer" "$work/pg.flags" "$work/peer.flags")
same_files=$(check_same "PostgreSQL vs files" "$work/pg.flags" "$work/files.flags")
flags_of "$work/out-small-on" >"$work/push.flags"
flags_of "$work/out-small-off" >"$work/full.flags"
tail -n +2 "$work/peer-small.csv" | sort >"$work/speer.flags"
same_small=$(check_same "push-down vs full scan" "$work/push.flags" "$work/full.flags")
same_small_peer=$(check_same "push-down vs SQL peer" "$work/push.flags" "$work/speer.flags")

persons=$(( $(gzip -dc "$data/member.csv.gz" | wc -l) - 1 ))
rows() { echo $(( $(gzip -dc "$data/$1.csv.gz" | wc -l) - 1 )); }
mem_mb=$(echo "$mem_kb / 1024" | bc)
mem_limit=$(echo "200 + 64 * $persons / 1048576" | bc)
strategies=$(grep -o '"dataset": "[a-z_]*", "configured": true[^}]*"strategy": "[a-z_]*"' "$work/out-small-on/summary.json" |
             sed 's/"dataset": "\([a-z_]*\)".*"strategy": "\([a-z_]*\)"/\1: \2/' | paste -sd, - | sed 's/,/, /g')

table=$(cat <<EOF
| measure | seconds | ratio | target |
|---|---:|---:|---|
| 1. xcheck, PostgreSQL, --jobs 2 | $t_pg | $(ratio "$t_pg" "$t_copy") × COPY floor | ≤ 1.2× |
| 2. SQL peer (psql, parallel query) | $t_peer | xcheck $(ratio "$t_peer" "$t_pg")× faster | ≥ 2× |
| 3. COPY floor (2 ctid ranges at once) | $t_copy | | |
| 4. xcheck, gzip files, --jobs 2 | $t_files | $(ratio "$t_files" "$t_gunzip") × gunzip floor | ≤ 1.3× |
| 4. gunzip floor (zlib gzread, 2 files at once) | $t_gunzip | | |
| 5. small archive, push-down | $t_push | $(ratio "$t_full" "$t_push")× faster than full scan; $(ratio "$t_speer" "$t_push")× faster than SQL | ≥ 20×; > 1× |
| 5. small archive, full scan | $t_full | | |
| 5. small archive, SQL peer | $t_speer | | |
| 6. peak memory, file run | ${mem_mb} MB | limit ${mem_limit} MB | ≤ 200 MB + 64 B × $persons people |

Flag sets: xcheck vs planted: $same_expected; xcheck vs SQL peer: $same_peer;
PostgreSQL vs files: $same_files; small archive push-down vs full scan:
$same_small; push-down vs SQL peer: $same_small_peer. Small-archive strategies: $strategies.
EOF
)
echo "$table"

cat >"$root/BENCHMARKS.md" <<EOF
# Benchmarks

Written by \`tests/bench/run.sh --scale $scale --runs $runs\` on $(date -u +%Y-%m-%d).
Medians of $runs runs.

## Data

Scale $scale, seed fixed: $(rows household) households, $persons people;
hukou $(rows hukou), social_insurance $(rows social_insurance), property
$(rows property), vehicle $(rows vehicle), business $(rows business) rows
(\`xcgen --scale $scale\`), as gzip CSV and loaded into PostgreSQL with btree
indexes on \`id_no\`.

## Results

$table

## Machine and versions

- $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB
- $(uname -sr); $("$xcheck" --version); $(cc --version | head -n 1)
- $(pg_psql -At -c 'SELECT version()' | cut -d, -f1); zlib $(pkg-config --modversion zlib)

## Commands

    xcheck run -q -c pg.ini -j 2 -o out-pg                       # 1
    psql -X -q -A -v schema=bench -v as_of=$as_of -f tests/bench/peer.sql   # 2
    psql -c "\\copy (SELECT <mapped columns> FROM bench.<t> WHERE ctid < '(half,0)'::tid) TO '/dev/null'" &
    psql -c "\\copy (SELECT <mapped columns> FROM bench.<t> WHERE ctid >= '(half,0)'::tid) TO '/dev/null'"   # 3, per table
    xcheck run -q -c data/xcheck.ini -j 2 -o out-files          # 4
    build-bench/tests/bench/gzfloor 2 data/*.csv.gz             # 4, floor: zlib's gzread
    xcheck run -q -c small.ini -j 2 --pushdown on|off -o ...     # 5
    psql ... -v schema=bench_small -f tests/bench/peer.sql       # 5
    /usr/bin/time -f %M xcheck run -q -c data/xcheck.ini -j 2    # 6
EOF
say "wrote $root/BENCHMARKS.md"
exit "$status"
