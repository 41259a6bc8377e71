#!/usr/bin/env bash
# region.sh - `xcheck run --region CODE` ([run] region): a run limited to
# the households of a county, city or province. On the bundled demo (it
# spans several counties) and on a slice of the benchmark's generator, the
# limited run's flags and households.csv are exactly the full run's of that
# area, its rates are the full run's rows of the area recomputed (the
# area's own row becomes the total), every row read is still accounted for
# (accounting.csv as in the full run), and summary.json, report.html and
# report.xlsx say which area the run was limited to.
# Usage: region.sh XCHECK SOURCE_ROOT XCGEN
set -u
xcheck=$1
root=$2
xcgen=$3
export LC_ALL=C
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/support/check.sh
. "$(dirname "$0")/../support/check.sh"

# area_rows FILE COLUMN CODE: the data rows of a CSV whose COLUMN starts
# with CODE (the header first)
area_rows() { awk -F, -v c="$2" -v p="$3" 'NR == 1 || index($c, p) == 1' "$1"; }

# same_as_full FULL LIMITED CODE GROUP: flags, households and rates of the
# limited run against the full run's of area CODE (rates group GROUP)
same_as_full() {
    local full=$1 lim=$2 code=$3 group=$4
    area_rows "$full/flags.csv" 4 "$code" >"$tmp/want"
    cmp -s "$tmp/want" "$lim/flags.csv" && ok || { bad "$code: flags differ from the full run's"; diff "$tmp/want" "$lim/flags.csv" | head; }
    [ "$(wc -l <"$lim/flags.csv")" -gt 1 ] && ok || bad "$code: no flag at all"
    area_rows "$full/households.csv" 2 "$code" >"$tmp/want"
    cmp -s "$tmp/want" "$lim/households.csv" && ok || bad "$code: households.csv differs from the full run's"
    # every row read is accounted for, as in the full run
    cmp -s "$full/accounting.csv" "$lim/accounting.csv" && ok || bad "$code: accounting.csv differs"
    # the rates: the area's counties as in the full run; the total is the
    # full run's row of the area
    awk -F, -v p="$code" '$3 == "county" && index($4, p) == 1 { print $1, $4, $6, $7 }' "$full/rates.csv" >"$tmp/want"
    awk -F, '$3 == "county" { print $1, $4, $6, $7 }' "$lim/rates.csv" >"$tmp/got"
    cmp -s "$tmp/want" "$tmp/got" && ok || { bad "$code: county rates differ"; diff "$tmp/want" "$tmp/got"; }
    [ -s "$tmp/got" ] && ok || bad "$code: no county rate"
    awk -F, -v g="$group" -v p="$code" '$3 == g && $4 == p { print $1, $6, $7 }' "$full/rates.csv" >"$tmp/want"
    awk -F, '$3 == "total" { print $1, $6, $7 }' "$lim/rates.csv" >"$tmp/got"
    cmp -s "$tmp/want" "$tmp/got" && ok || { bad "$code: total rates are not the full run's $group row"; diff "$tmp/want" "$tmp/got"; }
    if awk -F, -v p="$code" 'NR > 1 && $3 == "county" && index($4, p) != 1' "$lim/rates.csv" | grep -q .
    then bad "$code: a rate row of a county outside the area"; else ok; fi
    expect_in "$lim/summary.json" "\"region\": {\"code\": \"$code\"" "$code: summary.json names the area"
}

# --- the demo ------------------------------------------------------------------
expect_exit 4 "demo" -- "$xcheck" run -q -o "$tmp/full"
expect_exit 4 "demo --region 530102" -- "$xcheck" run -q --region 530102 -o "$tmp/r530102"
same_as_full "$tmp/full" "$tmp/r530102" 530102 county
expect_in "$tmp/r530102/summary.json" '"name": "云南省昆明市五华区"' "the area's Chinese name"
expect_in "$tmp/full/summary.json" '"region": null' "a full run is limited to no area"
grep -q '核查地区</th><td>云南省昆明市五华区（530102）：只核查该地区的 6 户；其余 10 户' "$tmp/r530102/report.html" \
    && ok || bad "report.html names the area"
unzip -p "$tmp/r530102/report.xlsx" xl/worksheets/sheet1.xml | grep -qF '<t>核查范围：云南省昆明市五华区（530102）困难职工档案（档案6户，核查基准日在档4户）' \
    && ok || bad "report.xlsx names the area"
grep -qF '核查范围：云南省昆明市五华区（530102）困难职工档案' "$tmp/r530102/report.html" && ok || bad "the page's scope line names the area"
# a region the archive's households are not in: nothing judged, every row
# still accounted for
expect_exit 4 "demo --region 11" -- "$xcheck" run -q --region 11 -o "$tmp/r11"
[ "$(wc -l <"$tmp/r11/flags.csv")" = 1 ] && ok || bad "--region 11: flags of households elsewhere"
cmp -s "$tmp/full/accounting.csv" "$tmp/r11/accounting.csv" && ok || bad "--region 11: accounting differs"
# [run] region, as --region; --region overrides it
cp -r "$root/fixtures/demo" "$tmp/demo"
sed 's/^\[run\]/[run]\nregion = 5301/' "$root/fixtures/demo/xcheck.ini" >"$tmp/demo/region.ini"
expect_exit 4 "[run] region = 5301" -- "$xcheck" run -q -c "$tmp/demo/region.ini" -o "$tmp/c5301"
expect_exit 4 "--region 5301" -- "$xcheck" run -q --region 530100 -o "$tmp/r5301"
cmp -s "$tmp/c5301/flags.csv" "$tmp/r5301/flags.csv" && ok || bad "[run] region and --region differ"
same_as_full "$tmp/full" "$tmp/r5301" 5301 city
expect_exit 4 "--region overrides [run] region" -- "$xcheck" run -q -c "$tmp/demo/region.ini" --region 530102 -o "$tmp/o"
cmp -s "$tmp/r530102/flags.csv" "$tmp/o/flags.csv" && ok || bad "--region does not override [run] region"
for v in 5 530 5301021 53a1 ""; do
    expect_exit 2 "--region '$v'" -- "$xcheck" run -q --region "$v" -o "$tmp/bad"
done
sed 's/^\[run\]/[run]\nregion = 5301x/' "$root/fixtures/demo/xcheck.ini" >"$tmp/bad.ini"
expect_exit 1 "[run] region = 5301x" -- "$xcheck" run -q -c "$tmp/bad.ini" -o "$tmp/bad"
expect_in "$tmp/err" "region" "the error names the key"

# a run limited to an area is never published
expect_exit 2 "--region with --results" -- "$xcheck" run -q -c "$tmp/demo/xcheck.ini" --region 53 --results dbname=none -o "$tmp/bad"
expect_in "$tmp/err" "cannot be published" "--region with --results"
sed 's/^\[run\]/[run]\nresults = dbname=none/' "$tmp/demo/region.ini" >"$tmp/demo/published.ini"
expect_exit 1 "[run] region with [run] results" -- "$xcheck" run -q -c "$tmp/demo/published.ini" -o "$tmp/bad"
expect_in "$tmp/err" "is not published to the results database" "[run] region with [run] results"
[ ! -e "$tmp/bad" ] && ok || bad "a refused run wrote outputs"

# --- a slice of the generator's province ---------------------------------------
"$xcgen" --out "$tmp/g" --scale 0.005 --seed 42 --process >"$tmp/gen.log" 2>&1 && ok || bad "xcgen"
"$xcheck" run -q -c "$tmp/g/xcheck.ini" -o "$tmp/gfull" >/dev/null 2>&1
for area in 5303:city 530302:county 53:province; do
    code=${area%:*}
    "$xcheck" run -q -c "$tmp/g/xcheck.ini" --region "$code" -o "$tmp/g$code" >/dev/null 2>&1
    [ -s "$tmp/g$code/flags.csv" ] && ok || bad "generator --region $code: no flags.csv"
    same_as_full "$tmp/gfull" "$tmp/g$code" "$code" "${area#*:}"
done
summary
