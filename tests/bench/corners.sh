#!/usr/bin/env bash
# corners.sh - the archive's corner shapes, each at N (default 60 000):
#
#   wide:   one household with N distinct members (a few of them `self`,
#           one row in 100 given twice), beside a few ordinary households;
#   shared: one person in N households (each with its own worker), enrolled
#           on dates in no order, some of them exited, cancelled or enrolled
#           after as_of.
#
#   tests/bench/corners.sh [--size N] [--runs R] [--keep DIR] [--xcheck PATH]
#                          [--generate-only DIR]
#
# Writes household.csv and member.csv of each case with the configuration
# of the demo ([household] and [member] of fixtures/demo/xcheck.ini), runs
# xcheck on each --runs times (default 3) and prints, per case, the median
# seconds of the stages archive (reading and building it) and evaluate,
# from summary.json, and of the whole run, with the flags per rule. The time of a case
# should grow with N, not N squared. Without --xcheck it builds build-bench/
# (release) as run.sh does. --generate-only DIR writes the two cases into
# DIR/wide and DIR/shared and stops. Run on demand, never in CI.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
size=60000 runs=3 keep="" xcheck="" gen_only=""
usage() { echo "corners.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || case $1 in -h|--help) ;; *) usage "$1 needs a value" ;; esac
    case $1 in
    --size) size=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --xcheck) xcheck=$2; shift 2 ;;
    --generate-only) gen_only=$2; shift 2 ;;
    -h|--help) sed -n '/^set -euo/q; 2,$p' "$0"; exit 0 ;;
    *) usage "unknown argument $1" ;;
    esac
done
case $size in '' | *[!0-9]*) usage "--size: '$size' is not a number" ;; esac
[ "$size" -ge 10 ] && [ "$size" -le 900000 ] || usage "--size: '$size' is not from 10 to 900000"
case $runs in '' | *[!0-9]* | 0) usage "--runs: '$runs' is not a number of runs" ;; esac

say() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# gen CASE DIR: writes DIR/household.csv, DIR/member.csv, DIR/xcheck.ini.
# ID numbers are valid (GB 11643 check character) and distinct: region
# 530102, a birth date, a sequence number.
gen() {
    local kind=$1 dir=$2
    mkdir -p "$dir"
    {
        printf '[run]\nas_of   = 2026-06-30\nprofile = default\n\n'
        sed -n '/^\[household\]/,/^; Police/p' "$root/fixtures/demo/xcheck.ini" | sed '$d'
    } >"$dir/xcheck.ini"
    awk -v kind="$kind" -v n="$size" -v dir="$dir" '
    function id(y, m, d, seq,    s, i, sum) {
        s = sprintf("530102%04d%02d%02d%03d", y, m, d, seq)
        sum = 0
        for (i = 1; i <= 17; i++)
            sum += substr(s, i, 1) * w[i]
        return s substr("10X98765432", sum % 11 + 1, 1)
    }
    # The k-th distinct ID number of a person born 1950-2009 (k from 0).
    function nth(k) {
        return id(1950 + int(k / 336000) % 60, 1 + int(k / 28000) % 12, 1 + int(k / 1000) % 28, k % 1000)
    }
    function date(k) {
        return sprintf("%04d%02d%02d", 2010 + k % 15, 1 + int(k / 15) % 12, 1 + int(k / 180) % 28)
    }
    BEGIN {
        split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
        hh = dir "/household.csv"; mb = dir "/member.csv"
        print "档案号,职工身份证号,职工姓名,行政区划,档案级别,档案状态,建档日期,退档日期,致困原因,帮扶干部" > hh
        print "archive_no,id_no,name,relation" > mb
        rel[0] = "配偶"; rel[1] = "子女"; rel[2] = "父母"; rel[3] = "其他"
        if (kind == "wide") {
            # Three ordinary households, then the wide one in the middle.
            for (h = 0; h < 4; h++) {
                no = sprintf("KW530102-%04d", h)
                worker = nth(h)
                printf "%s,%s,职工%d,530102,市县级,在档,%s,,因病,C001\n", no, worker, h, date(h) > hh
                printf "%s,%s,职工%d,本人\n", no, worker, h > mb
                if (h != 2) {
                    printf "%s,%s,配偶%d,配偶\n", no, nth(1000000 + h), h > mb
                    continue
                }
                for (i = 1; i < n; i++) {
                    p = nth(10 + i)
                    # a few more `self` rows: HH-MULTI-SELF lists them all
                    r = i % 9973 == 0 ? "本人" : rel[i % 4]
                    printf "%s,%s,成员%d,%s\n", no, p, i, r > mb
                    if (i % 100 == 0)
                        printf "%s,%s,成员%d,%s\n", no, p, i, r > mb
                }
            }
        } else {
            shared = id(1980, 5, 5, 999)
            # Household order is not enrollment order; dates repeat, so the
            # archive number decides between households enrolled one day.
            for (h = 0; h < n; h++) {
                no = sprintf("KS530102-%06d", (h * 7919) % n)
                k = (h * 104729) % 2000
                status = "在档"; exited = ""; enrolled = date(k)
                # an exit never precedes its enrollment (a row saying so is
                # rejected): the enrollment moves to the day of the exit then
                if (h % 10 == 3) { status = "脱困"; exited = "20250101" }
                else if (h % 20 == 7) { status = "脱困"; exited = "20260901" }
                else if (h % 50 == 11) { status = "注销"; exited = "20240601" }
                if (exited != "" && enrolled > exited) enrolled = exited
                else if (h % 25 == 13) status = "解困"
                else if (h % 100 == 17) enrolled = "20260801"
                worker = nth(h)
                printf "%s,%s,职工%d,530102,市县级,%s,%s,%s,因病,C001\n", no, worker, h, status, enrolled, exited > hh
                printf "%s,%s,职工%d,本人\n", no, worker, h > mb
                printf "%s,%s,共有人,%s\n", no, shared, rel[h % 4] > mb
            }
        }
    }'
}

if [ -n "$gen_only" ]; then
    gen wide "$gen_only/wide"
    gen shared "$gen_only/shared"
    exit 0
fi

if [ -z "$xcheck" ]; then
    build=$root/build-bench
    if [ -d "$build" ]; then meson setup --reconfigure "$build" -Dbuildtype=release >/dev/null
    else meson setup "$build" -Dbuildtype=release >/dev/null; fi
    meson compile -C "$build" ./xcheck:executable >/dev/null
    xcheck=$build/xcheck
fi
work=${keep:-$(mktemp -d /tmp/xcheck-corners.XXXXXX)}
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] }'; }
# stage NAME FILE: the seconds of one stage in summary.json.
stage() { tr -d '\n ' <"$2" | grep -o "\"seconds\":{[^}]*" | grep -o "\"$1\":[0-9.]*" | sed 's/.*://'; }

declare -A t_arch t_eval t_wall flags
for c in wide shared; do
    dir=$work/$c
    if [ ! -s "$dir/member.csv" ] || [ "$(sed -n 2p "$dir/size" 2>/dev/null)" != "$size" ]; then
        say "generating $c at $size into $dir"
        gen "$c" "$dir"
        printf '%s\n%s\n' "$c" "$size" >"$dir/size"
    fi
    : >"$work/$c.arch"; : >"$work/$c.eval"; : >"$work/$c.wall"
    for _ in $(seq "$runs"); do
        s=$(date +%s.%N)
        rc=0
        "$xcheck" run -q -c "$dir/xcheck.ini" -j 2 -o "$work/out-$c" >/dev/null || rc=$?
        e=$(date +%s.%N)
        # 4: the corners configure the archive alone, so most rules are not
        # evaluated and the run says it is partial
        [ "$rc" = 0 ] || [ "$rc" = 3 ] || [ "$rc" = 4 ] || { say "$c: xcheck exited with $rc"; exit 1; }
        echo "$e - $s" | bc -l >>"$work/$c.wall"
        stage archive "$work/out-$c/summary.json" >>"$work/$c.arch"
        stage evaluate "$work/out-$c/summary.json" >>"$work/$c.eval"
    done
    t_arch[$c]=$(median <"$work/$c.arch")
    t_eval[$c]=$(median <"$work/$c.eval")
    t_wall[$c]=$(median <"$work/$c.wall")
    flags[$c]=$(tail -n +2 "$work/out-$c/flags.csv" | cut -d, -f1 | sort | uniq -c |
                awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }')
    say "$c: archive ${t_arch[$c]} s, evaluate ${t_eval[$c]} s, all ${t_wall[$c]} s"
done

cat <<EOF
| case ($size) | archive s | evaluate s | whole run s | flags |
|---|---:|---:|---:|---|
| wide: one household, $size members | ${t_arch[wide]} | ${t_eval[wide]} | ${t_wall[wide]} | ${flags[wide]} |
| shared: one person in $size households | ${t_arch[shared]} | ${t_eval[shared]} | ${t_wall[shared]} | ${flags[shared]} |
EOF
