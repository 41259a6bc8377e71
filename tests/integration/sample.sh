#!/usr/bin/env bash
# sample.sh - report.xlsx, `xcheck sample` and `xcheck verify` end to end on
# the bundled demo: the workbook's sheets, headers, text cells, frozen rows
# and filters, the same bytes for the same run; seeded samples; estimates
# from filled-in outcomes against values computed here.
# Usage: sample.sh XCHECK SOURCE_ROOT
set -u
xcheck=$1
root=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/support/check.sh
. "$(dirname "$0")/../support/check.sh"

# close A B TOLERANCE DESCRIPTION: two numbers agree
close() {
    if awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; exit !(a != "" && b != "" && d <= t && -d <= t) }'
    then ok; else bad "$4: $1, wanted $2"; fi
}

# --- report.xlsx -------------------------------------------------------------
expect_exit 4 "run demo" -- "$xcheck" run -q -o "$tmp/run1"
[ -s "$tmp/run1/report.xlsx" ] && ok || bad "no report.xlsx"
expect_exit 4 "run demo again" -- "$xcheck" run -q -o "$tmp/run2"
cmp -s "$tmp/run1/report.xlsx" "$tmp/run2/report.xlsx" && ok || bad "two runs of the same data gave different report.xlsx"

xl=$tmp/run1/report.xlsx
part() { unzip -p "$xl" "$1"; }
part xl/workbook.xml | grep -o '<sheet name="[^"]*"' | sed 's/<sheet name="//; s/"$//' >"$tmp/sheets"
# one sheet per category a rule of the build can raise (rules.csv), in the
# order of the categories
cats=$(cut -d, -f3 "$tmp/run1/rules.csv" | tail -n +2 | tr '|' '\n' | sort -u)
{
    echo 汇总
    echo 入户核查清单
    for c in mis_enrollment:错评 missed_exit:漏退 wrong_exit:错退 missed_enrollment:漏评 \
             relapse:返困 data_quality:数据质量 process:工作规范; do
        echo "$cats" | grep -qx "${c%%:*}" && echo "${c#*:}"
    done
    echo 规则
} >"$tmp/want"
cmp -s "$tmp/want" "$tmp/sheets" && ok || { bad "sheet names"; diff "$tmp/want" "$tmp/sheets"; }
# report.xlsx is written row by row (its memory does not grow with the
# flags): its texts are in the cells, not in a table of shared strings
if unzip -l "$xl" | grep -q sharedStrings; then bad "report.xlsx has shared strings"; else ok; fi
for n in $(seq 1 "$(wc -l <"$tmp/sheets")"); do part "xl/worksheets/sheet$n.xml"; done >"$tmp/ss.xml"
expect_in "$tmp/ss.xml" "<t>身份证号（脱敏）</t>" "a Chinese header"
expect_in "$tmp/ss.xml" "<t>错评率</t>" "rates on the summary sheet"
expect_in "$tmp/ss.xml" "<t>核查结果</t>" "visit columns"
# In the 错评 sheet (the third), column H holds the masked ID: a string cell.
part xl/worksheets/sheet3.xml >"$tmp/s3.xml"
cell=$(grep -o '<c r="H2"[^>]*><is><t>[^<]*</t>' "$tmp/s3.xml")
case $cell in *' t="inlineStr"'*) ok ;; *) bad "ID cell H2 is not a string: $cell" ;; esac
id=$(echo "$cell" | sed 's/.*<t>\([^<]*\)<\/t>$/\1/')
echo "$id" | grep -qE '^[0-9]{6}\*{8}[0-9]{3}[0-9X]$' && ok || bad "H2 is not a masked ID: '$id'"
grep -qF "$id" "$tmp/run1/flags.csv" && ok || bad "masked ID $id not in flags.csv"
n_sheets=$(wc -l <"$tmp/sheets")
for n in $(seq 2 $((n_sheets - 1))); do
    part "xl/worksheets/sheet$n.xml" >"$tmp/s.xml"
    # every cell of the ID column (visit list: F, category sheets: H) is text
    col=H; [ "$n" = 2 ] && col=F
    if grep -o "<c r=\"$col[0-9]*\"[^>]*>" "$tmp/s.xml" | grep -v 't="inlineStr"' | grep -q .; then
        bad "sheet$n: a number in the ID column"; else ok; fi
done
for n in $(seq 1 "$n_sheets"); do
    part "xl/worksheets/sheet$n.xml" >"$tmp/s.xml"
    grep -q '<pane [^>]*state="frozen"' "$tmp/s.xml" && ok || bad "sheet$n: no frozen header"
    grep -q '<autoFilter ref="A' "$tmp/s.xml" && ok || bad "sheet$n: no autofilter"
done
# the visit list: one row per household with a flag a visit confirms (错评,
# 漏退, 错退, 返困: as xcheck sample's flagged), counted from households.csv
visit='(^|;)(mis_enrollment|missed_exit|wrong_exit|relapse)(;|$)'
flagged=$(awk -F, -v e="$visit" 'NR > 1 && $15 ~ e' "$tmp/run1/households.csv" | wc -l)
part xl/worksheets/sheet2.xml >"$tmp/visits.xml"
grep -o '<row r="[0-9]*"' "$tmp/visits.xml" | wc -l >"$tmp/rows"
[ "$(cat "$tmp/rows")" = "$((flagged + 1))" ] && ok || bad "visit list rows: $(cat "$tmp/rows"), wanted $((flagged + 1))"
# 2026-12-02: households whose only flags are desk checks (数据质量,
# 工作规范) were in the visit list; they stay in their category sheets.
desk=$(awk -F, -v e="$visit" 'NR > 1 && $13 > 0 && $15 !~ e { print $1 }' "$tmp/run1/households.csv")
[ -n "$desk" ] && ok || bad "the demo has no household with desk-check flags only"
for a in $desk; do
    if grep -qF "<t>$a</t>" "$tmp/visits.xml"; then bad "desk-check household $a in the visit list"; else ok; fi
    grep -qF "<t>$a</t>" "$tmp/ss.xml" && ok || bad "desk-check household $a in no sheet"
done
if grep -qE '<t>(ID-LEGACY|CT-VISITS|EX-PUBLICITY)' "$tmp/visits.xml"; then
    bad "a desk-check rule in the visit list"; else ok; fi
expect_in "$tmp/visits.xml" "<t>帮扶干部</t>" "the visit list names the cadre"
expect_in "$tmp/visits.xml" "<t>核查要点</t>" "the visit list has 核查要点"
expect_in "$tmp/visits.xml" "<t>C001</t>" "a cadre of the demo in the visit list"
grep -q 'IN-EXIT-DUE：核实家庭成员近期收入（工资、养老金）是否已高于低保标准' "$tmp/visits.xml" \
    && ok || bad "the 核查要点 of IN-EXIT-DUE"
# printed on A4 landscape, fit to the width, header row on every page,
# page numbers in the footer: every sheet
for n in $(seq 1 "$(wc -l <"$tmp/sheets")"); do
    part "xl/worksheets/sheet$n.xml" >"$tmp/s.xml"
    grep -q '<pageSetup paperSize="9"[^>]*orientation="landscape"' "$tmp/s.xml" && ok || bad "sheet$n: not A4 landscape"
    grep -q '<pageSetUpPr fitToPage="1"/>' "$tmp/s.xml" && grep -q 'fitToHeight="0"' "$tmp/s.xml" \
        && ok || bad "sheet$n: not fit to the width"
    grep -q '<oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter>' "$tmp/s.xml" && ok || bad "sheet$n: no page numbers"
done
titles=$(part xl/workbook.xml | grep -o '<definedName name="_xlnm.Print_Titles"' | wc -l)
[ "$titles" = "$(wc -l <"$tmp/sheets")" ] && ok || bad "repeated header rows on $titles sheets, not every one"

# one visit list per cadre: the sheets 结对干部, 干部 <id>..., 未结对; each
# household of the visit list in exactly one of them
expect_exit 4 "run --visits-by-cadre" -- "$xcheck" run -q --visits-by-cadre -o "$tmp/cadre"
cx=$tmp/cadre/report.xlsx
unzip -p "$cx" xl/workbook.xml | grep -o '<sheet name="[^"]*"' | sed 's/<sheet name="//; s/"$//' >"$tmp/csheets"
sed -n 3p "$tmp/csheets" | grep -qx 结对干部 && ok || bad "no 结对干部 sheet after the visit list"
grep -qx '干部 C001' "$tmp/csheets" && ok || bad "no sheet of cadre C001"
total=0
i=0
while read -r name; do
    i=$((i + 1))
    case $name in 干部\ *|未结对) ;; *) continue ;; esac
    rows=$(unzip -p "$cx" "xl/worksheets/sheet$i.xml" | grep -o '<row r="[0-9]*"' | wc -l)
    total=$((total + rows - 1))
done <"$tmp/csheets"
[ "$total" = "$flagged" ] && ok || bad "the cadres' sheets hold $total households, wanted $flagged"
unzip -p "$cx" xl/worksheets/sheet4.xml | grep -q "<t>C001</t>" && ok || bad "cadre C001's sheet holds other cadres"
if unzip -p "$cx" xl/worksheets/sheet4.xml | grep -qE "<t>C00[2-9]</t>"; then bad "cadre C001's sheet holds other cadres"; else ok; fi
expect_exit 2 "--visits-by-cadre=files" -- "$xcheck" run -q --visits-by-cadre=files -o "$tmp/bad"
# one file per cadre: visits/<cadre>.xlsx, private, listed in 结对干部, put
# in place with the run's other outputs. A cadre known by an ID number is
# named by its masked form (in the file's name too); a household without
# a cadre is in 未结对.
cp -r "$root/fixtures/demo" "$tmp/demo"
sed -i 's/^\(KN530102-0001,.*\),C001\r$/\1,\r/; s/^\(KN530103-0003,.*\),C001\r$/\1,530102197003120133\r/' "$tmp/demo/household.csv"
{ cat "$tmp/demo/xcheck.ini"; printf '\n[report]\nvisits_by_cadre = file\n'; } >"$tmp/demo/files.ini"
expect_exit 4 "[report] visits_by_cadre = file" -- "$xcheck" run -q -c "$tmp/demo/files.ini" -o "$tmp/files"
ls "$tmp/files/visits" >"$tmp/vfiles"
expect_in "$tmp/vfiles" "未结对.xlsx" "the unpaired households' file"
expect_in "$tmp/vfiles" "530102________0133.xlsx" "a cadre's ID masked in the file's name"
if grep -qE '[0-9]{17}[0-9X]' "$tmp/vfiles"; then bad "a whole ID number in a file's name"; else ok; fi
total=0
for f in "$tmp/files/visits"/*.xlsx; do
    [ "$(stat -c %a "$f")" = 600 ] && ok || bad "$f: not 0600"
    if unzip -p "$f" | grep -qE '[0-9]{17}[0-9X]'; then bad "$f: a whole ID number"; else ok; fi
    unzip -p "$f" xl/worksheets/sheet1.xml | grep -q '<pageSetup paperSize="9"' && ok || bad "$f: print settings"
    rows=$(unzip -p "$f" xl/worksheets/sheet1.xml | grep -o '<row r="[0-9]*"' | wc -l)
    total=$((total + rows - 1))
done
[ "$(stat -c %a "$tmp/files/visits")" = 700 ] && ok || bad "visits/ is not 0700"
vis=$(awk -F, -v e="$visit" 'NR > 1 && $15 ~ e' "$tmp/files/households.csv" | wc -l)
[ "$total" = "$vis" ] && ok || bad "the cadres' files hold $total households, wanted $vis"
unzip -p "$tmp/files/visits/未结对.xlsx" xl/worksheets/sheet1.xml | grep -qF '<t>KN530102-0001</t>' \
    && ok || bad "the unpaired household is not in 未结对.xlsx"
unzip -p "$tmp/files/report.xlsx" xl/worksheets/sheet3.xml | grep -qF '<t>visits/530102________0133.xlsx</t>' \
    && ok || bad "结对干部 does not list the files"
expect_in "$tmp/files/.xcheck-output" "file visits/未结对.xlsx" "the run's marker lists visits/"
# the next run (one list) replaces the whole directory, visits/ with it
expect_exit 4 "run after visits_by_cadre = file" -- "$xcheck" run -q -c "$tmp/demo/xcheck.ini" -o "$tmp/files"
[ ! -e "$tmp/files/visits" ] && ok || bad "visits/ of the previous run left in place"
[ -s "$tmp/files.prev/visits/未结对.xlsx" ] && ok || bad "visits/ not kept in .prev"
expect_exit 4 "run once more" -- "$xcheck" run -q -c "$tmp/demo/xcheck.ini" -o "$tmp/files"
[ ! -e "$tmp/files.prev/visits" ] && ok || bad "the old .prev's visits/ left"
# no whole ID number anywhere in the workbook
if unzip -p "$xl" | grep -qE '[0-9]{17}[0-9X]'; then bad "a whole ID number in report.xlsx"; else ok; fi
# document dates: the run's as_of, not the time of writing
expect_in <(part docProps/core.xml) '<dcterms:created xsi:type="dcterms:W3CDTF">2026-06-30T00:00:00Z' "created = as_of"
expect_exit 4 "run with another as_of" -- "$xcheck" run -q --as-of 2026-07-31 -o "$tmp/run3"
expect_in <(unzip -p "$tmp/run3/report.xlsx" docProps/core.xml) '2026-07-31T00:00:00Z' "created follows as_of"
unzip -l "$xl" | awk '$2 ~ /^[0-9]+-/ { n++; if ($2 != "1980-01-01") bad = 1 } END { exit bad || n < 10 }' \
    && ok || bad "zip entries not dated 1980-01-01"

# --- xcheck sample -------------------------------------------------------------
expect_exit 0 "help sample" -- "$xcheck" help sample
expect_in "$tmp/out" "Usage: xcheck sample" "help sample"
expect_exit 0 "verify --help" -- "$xcheck" verify --help
expect_in "$tmp/out" "Usage: xcheck verify" "verify --help"
expect_exit 0 "help" -- "$xcheck" help
expect_in "$tmp/out" "  sample " "help lists sample"
expect_in "$tmp/out" "  verify " "help lists verify"
expect_exit 2 "sample without RUNDIR" -- "$xcheck" sample
expect_exit 2 "sample --size 0" -- "$xcheck" sample --size 0 "$tmp/run1"
expect_exit 2 "sample --share 2" -- "$xcheck" sample --share 2 "$tmp/run1"
expect_exit 2 "sample --size with --share" -- "$xcheck" sample --size 2 --share 0.1 "$tmp/run1"
expect_exit 2 "verify without a file" -- "$xcheck" verify
expect_exit 1 "sample of no run" -- "$xcheck" sample "$tmp/nothing"
expect_in "$tmp/err" "summary.json" "sample of no run names the file"

expect_exit 0 "sample seed 11" -- "$xcheck" sample --seed 11 --size 1 -o "$tmp/s11a" "$tmp/run1"
expect_exit 0 "sample seed 11 again" -- "$xcheck" sample --seed 11 --size 1 -o "$tmp/s11b" "$tmp/run1"
for f in sample.csv sample-strata.csv sample.xlsx; do
    cmp -s "$tmp/s11a/$f" "$tmp/s11b/$f" && ok || bad "same seed, different $f"
done
# the strata and their sizes, counted here from households.csv: in the
# archive (in_archive yes) or exited, by county x group x flagged (a flag of
# 错评, 漏退, 错退 or 返困: its categories column)
elig='(^|;)(mis_enrollment|missed_exit|wrong_exit|relapse)(;|$)'
awk -F, -v e="$elig" 'NR > 1 && ($6 == "yes" || $7 == "yes") {
    k = $2 "-" ($6 == "yes" ? "在档" : "已退档") "-" ($15 ~ e ? "有疑点" : "无疑点"); n[k]++ }
    END { for (k in n) print k "," n[k] "," 1 }' "$tmp/run1/households.csv" | sort >"$tmp/want"
sed '1d' "$tmp/s11a/sample-strata.csv" | cut -d, -f1,6,7 | sort >"$tmp/got"
cmp -s "$tmp/want" "$tmp/got" && ok || { bad "strata N_h and n_h"; diff "$tmp/want" "$tmp/got"; }
[ "$(sed '1d' "$tmp/s11a/sample.csv" | wc -l)" = "$(wc -l <"$tmp/want")" ] && ok || bad "--size 1: one household per stratum"
expect_in "$tmp/s11a/sample-strata.csv" ",11,分层随机抽样：每层 1 户" "the seed is recorded"
# other seeds draw other households (the demo has strata of two and three
# households: five seeds all drawing what seed 11 drew is very unlikely)
differs=0
for seed in 12 13 14 15 16; do
    "$xcheck" sample --seed "$seed" --size 1 -o "$tmp/s$seed" "$tmp/run1" >/dev/null || bad "sample seed $seed"
    cmp -s "$tmp/s11a/sample.csv" "$tmp/s$seed/sample.csv" || differs=1
done
[ "$differs" = 1 ] && ok || bad "five other seeds drew the same sample as seed 11"
# the masked ID is text in sample.xlsx too, the outcome column is there
unzip -p "$tmp/s11a/sample.xlsx" xl/sharedStrings.xml | grep -qF "<t>核查结果</t>" && ok || bad "sample.xlsx headers"
if unzip -p "$tmp/s11a/sample.xlsx" xl/worksheets/sheet1.xml | grep -o '<c r="J[0-9]*"[^>]*>' | grep -v 't="s"' | grep -q .
then bad "a number in sample.xlsx's ID column"; else ok; fi

# --- xcheck verify -------------------------------------------------------------
# Every household of the demo: all strata whole.
expect_exit 0 "sample everything" -- "$xcheck" sample --seed 5 --size 100 -o "$tmp/all" "$tmp/run1"
# 属实 for the flagged, 不属实 for the rest, and one flagged household, in a
# stratum of several in the archive, not yet visited.
skip=$(awk -F, 'NR > 1 && $2 >= 2 && $6 == "在档" && $7 == "有疑点" { print $8 "," $2; exit }' \
       "$tmp/all/sample.csv")
skip_no=${skip%,*} skip_n=${skip#*,}
[ -n "$skip_no" ] && ok || bad "the demo has no stratum of several flagged households"
awk -F, -v skip="$skip_no" 'NR == 1 { print; next }
    { o = $7 == "有疑点" ? "属实" : "不属实"; if ($8 == skip) o = ""
      sub(/,,,,,$/, "," o ",2026-07-02,王五,,"); print }' "$tmp/all/sample.csv" >"$tmp/filled.csv"
expect_exit 0 "verify" -- "$xcheck" verify -o "$tmp/verify.csv" "$tmp/filled.csv"
expect_in "$tmp/out" "not yet verified: 1" "the empty outcome is reported"
expect_in "$tmp/out" "全部：总体错误率" "overall estimate printed"

# The same estimates computed here, from the filled-in file: per group the
# stratified share p = sum W_h p_h, variance sum W_h^2 (1 - f_h) p_h (1 - p_h)
# / v_h, effective size p (1 - p) / variance, or 1 / sum W_h^2 (1 - f_h) / v_h
# when the variance is 0, infinite when every stratum is verified whole.
awk -F, 'NR > 1 {
    s = $1; N[s] = $2; ex[s] = $6 == "已退档"; fl[s] = $7 == "有疑点"; o = $(NF - 4)
    if (o != "") { v[s]++; if (o == "属实") c[s]++ }
}
function member(s, g) {
    return g == "flagged" ? fl[s] : g == "unflagged" ? !fl[s] : g == "in_archive" ? !ex[s] \
         : g == "exited" ? ex[s] : 1
}
END {
    z = 1.959963984540054
    split("flagged unflagged in_archive exited all", gs, " ")
    for (i = 1; i <= 5; i++) {
        g = gs[i]; tot = 0
        for (s in N) if (member(s, g) && v[s] > 0) tot += N[s]
        p = 0; var = 0; k = 0
        for (s in N) if (member(s, g) && v[s] > 0) {
            w = N[s] / tot; ph = c[s] / v[s]; f = 1 - v[s] / N[s]
            p += w * ph; var += w * w * f * ph * (1 - ph) / v[s]; k += w * w * f / v[s]
        }
        if (k == 0) { lo = p; hi = p }
        else {
            n = var > 0 ? p * (1 - p) / var : 1 / k
            d = 1 + z * z / n; m = (p + z * z / (2 * n)) / d
            h = z / d * sqrt(p * (1 - p) / n + z * z / (4 * n * n))
            lo = m - h < 0 ? 0 : m - h; hi = m + h > 1 ? 1 : m + h
        }
        printf "%s %.6f %.6f %.6f %.3f\n", g, p, lo, hi, p * tot
    }
}' "$tmp/filled.csv" >"$tmp/want"
while read -r g p lo hi proj; do
    line=$(grep "^group,$g," "$tmp/verify.csv")
    close "$(echo "$line" | cut -d, -f13)" "$p" 1e-6 "$g estimate"
    close "$(echo "$line" | cut -d, -f14)" "$lo" 1e-6 "$g interval low"
    close "$(echo "$line" | cut -d, -f15)" "$hi" 1e-6 "$g interval high"
    close "$(echo "$line" | cut -d, -f17)" "$proj" 1e-3 "$g projected"
done <"$tmp/want"
[ "$(wc -l <"$tmp/want")" = 5 ] && ok || bad "five groups expected"

# And by hand, from households.csv: every flagged household confirmed, no
# unflagged one a problem, so the archive's error rate is its flagged share
# and so is the overall one. Only the stratum of the household not visited
# (N_s households, N_s - 1 verified) is not whole, so the effective size of
# a group of N households is 1 / ((N_s/N)^2 (1/N_s) / (N_s - 1))
# = N^2 (N_s - 1) / N_s, and for the flagged (p = 1) the interval starts at
# n / (n + z^2).
read -r n_in f_in n_all f_all < <(awk -F, -v e="$elig" 'NR > 1 && ($6 == "yes" || $7 == "yes") {
    all++; if ($15 ~ e) fa++; if ($6 == "yes") { in_++; if ($15 ~ e) fi++ } }
    END { print in_ + 0, fi + 0, all + 0, fa + 0 }' "$tmp/run1/households.csv")
hand() { awk "BEGIN { z = 1.959963984540054; print $1 }"; }
g() { grep "^group,$1," "$tmp/verify.csv" | cut -d, -f"$2"; }
close "$(g in_archive 13)" "$(hand "$f_in / $n_in")" 1e-6 "in-archive error rate by hand"
close "$(g in_archive 16)" "$(hand "$n_in^2 * ($skip_n - 1) / $skip_n")" 1e-3 "in-archive effective size"
close "$(g all 13)" "$(hand "$f_all / $n_all")" 1e-6 "overall error rate by hand"
close "$(g all 16)" "$(hand "$n_all^2 * ($skip_n - 1) / $skip_n")" 1e-3 "overall effective size"
n_fl=$(hand "$f_all^2 * ($skip_n - 1) / $skip_n")
close "$(g flagged 13)" 1 1e-9 "flag precision"
close "$(g flagged 14)" "$(hand "$n_fl / ($n_fl + z^2)")" 1e-6 "flag precision, lower bound"
close "$(g unflagged 17)" 0 1e-9 "missed problems"
expect_in "$tmp/verify.csv" "group,all,,,$n_all,$n_all,1,0,$n_all,$n_all,$((n_all - 1)),$((f_all - 1))," \
    "overall counts"
# per rule: rows, not yet verified, verified, confirmed counted here; all
# confirmed, so Wilson's interval of v of v starts at v / (v + z^2)
awk -F, 'NR > 1 { n = split($11, r, ";"); o = $(NF - 4)
    for (i = 1; i <= n; i++) { rows[r[i]]++; if (o == "") un[r[i]]++; else { v[r[i]]++
        if (o == "属实") c[r[i]]++ } } }
    END { for (k in rows) print k, rows[k], un[k] + 0, v[k] + 0, c[k] + 0 }' "$tmp/filled.csv" \
    | sort >"$tmp/rules-want"
[ "$(wc -l <"$tmp/rules-want")" -gt 3 ] && ok || bad "too few rules in the sample"
while read -r rule rows un v c; do
    line=$(grep "^rule,$rule," "$tmp/verify.csv")
    [ "$(echo "$line" | cut -d, -f6,7,11,12)" = "$rows,$un,$v,$c" ] && ok \
        || bad "rule $rule: $(echo "$line" | cut -d, -f6,7,11,12), wanted $rows,$un,$v,$c"
    [ "$v" = 0 ] || close "$(echo "$line" | cut -d, -f14)" "$(hand "$v / ($v + z^2)")" 1e-6 "rule $rule low"
done <"$tmp/rules-want"
[ "$(grep -c '^rule,' "$tmp/verify.csv")" = "$(wc -l <"$tmp/rules-want")" ] && ok || bad "rule rows"
# against the run it was drawn from
expect_exit 0 "verify --run" -- "$xcheck" verify --run "$tmp/run1" -o "$tmp/v.csv" "$tmp/filled.csv"
# a run with one household fewer: its stratum does not add up
mkdir "$tmp/other" && cp "$tmp/run1"/summary.json "$tmp/run1"/flags.csv "$tmp/other/"
gone=$(awk -F, -v e="$elig" 'NR > 1 && $6 == "yes" { print $2 "-在档-" ($15 ~ e ? "有疑点" : "无疑点"); exit }' \
       "$tmp/run1/households.csv")
awk -F, 'NR == 1 || !($6 == "yes" && !done++)' "$tmp/run1/households.csv" >"$tmp/other/households.csv"
expect_exit 1 "verify --run of another run" -- "$xcheck" verify --run "$tmp/other" -o "$tmp/v.csv" "$tmp/filled.csv"
expect_in "$tmp/err" "stratum $gone has" "run mismatch names the stratum"
expect_in "$tmp/err" "households in the run, not" "run mismatch says why"
# the same outcomes saved as GB18030 with CRLF, as Excel does on a Chinese system
sed 's/$/\r/' "$tmp/filled.csv" | iconv -f UTF-8 -t GB18030 >"$tmp/gb.csv"
expect_exit 0 "verify GB18030" -- "$xcheck" verify -o "$tmp/gb-verify.csv" "$tmp/gb.csv"
expect_in "$tmp/out" "(GB18030)" "GB18030 detected"
cmp -s "$tmp/verify.csv" "$tmp/gb-verify.csv" && ok || bad "GB18030 gave other estimates"
# sample.xlsx read back: nothing filled in yet
expect_exit 0 "verify sample.xlsx" -- "$xcheck" verify -o "$tmp/x.csv" "$tmp/all/sample.xlsx"
expect_in "$tmp/out" "(xlsx)" "xlsx read"
expect_in "$tmp/out" "households    verified: 0" "an empty sample.xlsx has no outcomes"
expect_in "$tmp/out" "not yet verified: $n_all" "every row of sample.xlsx counted"
# a malformed outcome: exit 1, file, line and column named
bad_line=$(awk -F, 'NR > 2 && $(NF - 4) == "属实" { print NR; exit }' "$tmp/filled.csv")
awk -v n="$bad_line" 'NR == n { sub(/,属实,2026/, ",OK,2026") } { print }' "$tmp/filled.csv" >"$tmp/bad.csv"
expect_exit 1 "malformed outcome" -- "$xcheck" verify -o "$tmp/v.csv" "$tmp/bad.csv"
expect_in "$tmp/err" "bad.csv\" line $bad_line, column 核查结果: \"OK\" is neither 属实 nor 不属实" \
    "malformed outcome named"

# --- hostile files -------------------------------------------------------------
# Refused with exit 1, naming the file and line, in bounded memory: where the
# build is not sanitized (a sanitizer reserves far more address space), in
# 1 GiB of it. Before their limits, a header 16384 columns wide made each of
# 50,000 short rows cost 128 KiB (6 GB), and a line of one field was read
# whole into a cell.
limited() {
    if ldd "$xcheck" 2>/dev/null | grep -q 'lib[at]san'; then "$@"
    else (ulimit -v 1048576 && exec "$@"); fi
}
{ printf '层'; for i in $(seq 1 16383); do printf ',c%d' "$i"; done; echo
  yes x | head -n 50000; } >"$tmp/wide.csv"
expect_exit 1 "a header of 16384 columns over 50000 rows" -- limited "$xcheck" verify -o "$tmp/v.csv" "$tmp/wide.csv"
expect_in "$tmp/err" "wide.csv\" line 1026: more than 16777216 cells" "cells past their limit named"
{ head -1 "$tmp/filled.csv"; head -c 50000000 /dev/zero | tr '\0' x; echo; } >"$tmp/line.csv"
expect_exit 1 "a line of 50 MB" -- limited "$xcheck" verify -o "$tmp/v.csv" "$tmp/line.csv"
expect_in "$tmp/err" "line.csv\" line 2: column 1 holds more than 32767 characters" "a long line named"
{ printf 'a'; for i in $(seq 1 16384); do printf ',c'; done; echo; } >"$tmp/cols.csv"
expect_exit 1 "a header of 16385 columns" -- "$xcheck" verify -o "$tmp/v.csv" "$tmp/cols.csv"
expect_in "$tmp/err" "cols.csv\" line 1: more than 16384 columns" "too many columns named"

summary
