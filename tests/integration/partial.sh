#!/usr/bin/env bash
# partial.sh - partial data is never a confident answer. On copies of the
# demo: a rejected archive row stops the run; a reference dataset over its
# max_rejects stops it, naming the count and the commonest reasons; under
# the limit every output marks the run incomplete (exit 4) and no rate
# reads as a pass. Social insurance with a hole, one that starts late, and
# an as_of past its export: no income flag rests on a month it does not
# cover, the evidence shows those months as not covered, and each rule
# counts what it could not judge. Exports older than as_of are warned of.
# Usage: partial.sh XCHECK SOURCE_ROOT
set -u
xcheck=$1
root=$2
demo=$root/fixtures/demo
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/support/check.sh
. "$(dirname "$0")/../support/check.sh"
# shellcheck source=tests/support/clean-demo.sh
. "$(dirname "$0")/../support/clean-demo.sh"

# set_key DIR SECTION KEY VALUE: KEY = VALUE in [SECTION] of DIR/xcheck.ini
# (replacing the key when the section has it)
set_key() {
    local ini=$1/xcheck.ini
    sed -i "/^\[$2\]/,/^\[/{/^$3 *=/d}" "$ini"
    sed -i "s/^\[$2\]\$/[$2]\n$3 = $4/" "$ini"
}
drop_key() { sed -i "/^\[$2\]/,/^\[/{/^$3 *=/d}" "$1/xcheck.ini"; }
# keep_months DIR AWK-CONDITION: social-insurance rows whose month ($2,
# YYYYMM) meets the condition are kept, the others dropped (header kept)
keep_months() {
    awk -F'|' "NR == 1 || !(length(\$2) == 6 && \$2 ~ /^[0-9]+\$/) || ($2)" \
        "$1/social_insurance.csv" >"$1/si" &&
        mv "$1/si" "$1/social_insurance.csv"
}
rule_col() {   # rule_col DIR RULE COLUMN: a column of rules.csv, by name
    awk -F, -v r="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) at[$i] = i; next }
        $1 == r { print $(at[c]) }' "$1/rules.csv"
}
# no_flag_on_uncovered DIR WHAT: EX-WRONG, EX-RELAPSE and IN-ENROLL-HIGH
# judge every month of their evidence, so none may be uncovered; the run of
# IN-EXIT-DUE (from..to) and the window of CAND-ELIGIBLE must be covered.
no_flag_on_uncovered() {
    local ev=$1/evidence.jsonl bad_lines
    bad_lines=$(grep -E '^\{"rule":"(EX-WRONG|EX-RELAPSE|IN-ENROLL-HIGH)"' "$ev" | grep -c '"covered":false')
    [ "$bad_lines" = 0 ] && ok || bad "$2: $bad_lines flags judged a month social insurance does not cover"
    bad_lines=$(grep -E '^\{"rule":"(IN-EXIT-DUE|CAND-ELIGIBLE)"' "$ev" | awk -v hole="$3" '
        { match($0, /"from":"[0-9-]*"/); from = substr($0, RSTART + 8, 7)
          match($0, /"to":"[0-9-]*"/); to = substr($0, RSTART + 6, 7)
          n = split(hole, h, " ")
          for (i = 1; i <= n; i++) if (h[i] >= from && h[i] <= to) { print; next } }' | wc -l)
    [ "$bad_lines" = 0 ] && ok || bad "$2: $bad_lines IN-EXIT-DUE or CAND-ELIGIBLE flags rest on an uncovered month"
}

# a profile whose thresholds the demo meets
sed -e 's/^\(; \)\{0,1\}\(mis_enrollment_max\|missed_exit_max\|wrong_exit_max\|missed_enrollment_max\) *=.*/\2 = 100%/' \
    -e 's/^\(; \)\{0,1\}\(pairing_coverage_min\|visit_compliance_min\) *=.*/\2 = 0%/' \
    "$root/rules/default.profile" >"$tmp/lenient.profile"

# --- reject limits -------------------------------------------------------------
# 2026-12-02: three of seven households rejected left an archive of four,
# and the page said 错评率 0.00% 达标; a wrong format.month rejected 94 of
# 100 social-insurance rows and the run went on like any other.
cp -r "$demo" "$tmp/hh"
drop_key "$tmp/hh" household max_rejects
expect_exit 1 "a rejected household row stops the run" -- \
    "$xcheck" run -q -c "$tmp/hh/xcheck.ini" -o "$tmp/hh/out"
expect_in "$tmp/err" "household: 1 of 17 rows rejected" "the dataset and the count are named"
expect_in "$tmp/err" "enrolled_on: '2024-13-01' is not a date" "the reason is named"
expect_in "$tmp/err" "first on line 9" "the line is named"
expect_in "$tmp/err" "max_rejects" "the key that allows it is named"
[ ! -e "$tmp/hh/out/flags.csv" ] && ok || bad "a stopped run wrote flags"

cp -r "$demo" "$tmp/mb"
printf 'KN530102-0001,530102197003120133,张三,表亲\n' >>"$tmp/mb/member.csv"
expect_exit 1 "a rejected member row stops the run" -- \
    "$xcheck" run -q -c "$tmp/mb/xcheck.ini" -o "$tmp/mb/out"
expect_in "$tmp/err" "member: 1 of 34 rows rejected" "member count named"

cp -r "$demo" "$tmp/fmt"
sed -i 's/^format.month *= *YYYYMM/format.month = YYYY-MM/' "$tmp/fmt/xcheck.ini"
expect_exit 1 "a reference dataset over its limit stops the run" -- \
    "$xcheck" run -q -c "$tmp/fmt/xcheck.ini" -o "$tmp/fmt/out"
expect_in "$tmp/err" "social_insurance: 94 of 100 rows rejected (94.00%), over max_rejects = 1" "over the limit: dataset and count"
expect_in "$tmp/err" "month: '202601' is not a month in the expected format" "over the limit: the commonest reason"

# the default limit of a reference dataset is 0.1%: one bad row of 100 is over
cp -r "$demo" "$tmp/def"
drop_key "$tmp/def" social_insurance max_rejects
expect_exit 1 "one bad row of 100 is over the default 0.1%" -- \
    "$xcheck" run -q -c "$tmp/def/xcheck.ini" -o "$tmp/def/out"
expect_in "$tmp/err" "social_insurance: 1 of 100 rows rejected (1.00%), over max_rejects = 0.1%" "the default limit"
# a share above it lets the run go on
set_key "$tmp/def" social_insurance max_rejects 2%
expect_exit 4 "a share above the rejects" -- "$xcheck" run -q -c "$tmp/def/xcheck.ini" -o "$tmp/def/out"

# 2026-12-02: 69 of 3000 rows against max_rejects = 2.3% was "over" the
# limit (2.3 x 3000 is 6899.999... in floating point): shares are exact.
cp -r "$demo" "$tmp/exact"
awk 'NR == 1 { print; next } { print; n++ } END {
        for (i = n; i < 2931; i++) print "KN530102-0015,20251001"
        for (i = 0; i < 69; i++) print "KN530102-0015,2025-10-01" }' "$demo/followup.csv" >"$tmp/exact/followup.csv"
set_key "$tmp/exact" followup max_rejects 2.3%
expect_exit 4 "69 of 3000 rows at max_rejects = 2.3%" -- \
    "$xcheck" run -q -c "$tmp/exact/xcheck.ini" -o "$tmp/exact/out"
set_key "$tmp/exact" followup max_rejects 2.29%
expect_exit 1 "69 of 3000 rows over max_rejects = 2.29%" -- \
    "$xcheck" run -q -c "$tmp/exact/xcheck.ini" -o "$tmp/exact/out"
expect_in "$tmp/err" "followup: 69 of 3000 rows rejected (2.30%), over max_rejects = 2.29%" "the share named"
expect_in "$tmp/err" "max_rejects is set on line" "the line of the limit named"
set_key "$tmp/exact" followup max_rejects 69
expect_exit 4 "69 rows at max_rejects = 69" -- "$xcheck" run -q -c "$tmp/exact/xcheck.ini" -o "$tmp/exact/out"
set_key "$tmp/exact" followup max_rejects 68
expect_exit 1 "69 rows over max_rejects = 68" -- "$xcheck" run -q -c "$tmp/exact/xcheck.ini" -o "$tmp/exact/out"

for bad_value in abc -1 150% 1.5.5% '%' 0x10% 1e1% 5.% 100.5% 0.00000001% '+5' '5 %'; do
    cp -r "$demo" "$tmp/badlimit"
    set_key "$tmp/badlimit" hukou max_rejects "$bad_value"
    expect_exit 1 "max_rejects = $bad_value" -- "$xcheck" run -q -c "$tmp/badlimit/xcheck.ini" -o "$tmp/badlimit/out"
    expect_in "$tmp/err" "max_rejects" "max_rejects = $bad_value: the key is named"
    rm -rf "$tmp/badlimit"
done

# 2026-12-02: the members of a rejected household were paid "while not in
# the archive": PAY-NOT-ARCHIVED cannot judge someone of a row it could not
# read. The demo rejects household KN530102-0007 (worker 530102198502281120).
cp -r "$demo" "$tmp/pay"
printf '530102198502281120,2026/03/02,生活救助,500.00,社保卡,\n' >>"$tmp/pay/payment.csv"
expect_exit 4 "a payment to the worker of a rejected household" -- \
    "$xcheck" run -q -c "$tmp/pay/xcheck.ini" -o "$tmp/pay/out"
grep -q '^PAY-NOT-ARCHIVED,.*530102\*\*\*\*\*\*\*\*1120' "$tmp/pay/out/flags.csv" &&
    bad "a payment to someone of a rejected household row flagged PAY-NOT-ARCHIVED" || ok
[ "$(rule_col "$tmp/pay/out" PAY-NOT-ARCHIVED not_judged)" = 1 ] && ok ||
    bad "PAY-NOT-ARCHIVED did not count the payment it could not judge"
[ "$(grep -c '^PAY-NOT-ARCHIVED,' "$tmp/pay/out/flags.csv")" = "$(grep -c '^PAY-NOT-ARCHIVED,' "$demo/expected-flags.csv")" ] &&
    ok || bad "PAY-NOT-ARCHIVED flags changed"

# ... nor CAND-ELIGIBLE call them "not in the archive"
cand_nj=$(rule_col "$tmp/pay/out" CAND-ELIGIBLE not_judged)
cp -r "$demo" "$tmp/cand"
printf '530102198502281120,周敏,低保名单,530102\n' >>"$tmp/cand/candidate.csv"
expect_exit 4 "a candidate who is the worker of a rejected household" -- \
    "$xcheck" run -q -c "$tmp/cand/xcheck.ini" -o "$tmp/cand/out"
grep -q '^CAND-ELIGIBLE,.*530102\*\*\*\*\*\*\*\*1120' "$tmp/cand/out/flags.csv" &&
    bad "someone of a rejected household row flagged as not archived" || ok
[ "$(rule_col "$tmp/cand/out" CAND-ELIGIBLE not_judged)" = $((cand_nj + 1)) ] && ok ||
    bad "CAND-ELIGIBLE did not count the candidate it could not judge"

# 2026-12-02: a household whose self row was rejected was flagged
# HH-NO-SELF, and its per-capita income was that of the members read. A
# household with a rejected member row is not judged by any household rule.
cp -r "$demo" "$tmp/part"
set_key "$tmp/part" member max_rejects 1
printf 'KN530102-0016,530102196001010012,黄\001五,本人\n' >>"$tmp/part/member.csv"
expect_exit 4 "a household with a rejected self row" -- \
    "$xcheck" run -q -c "$tmp/part/xcheck.ini" -o "$tmp/part/out"
grep -q '^HH-NO-SELF,data_quality,KN530102-0016,' "$tmp/part/out/flags.csv" &&
    bad "HH-NO-SELF raised on a household read in part" || ok
grep -q ',KN530102-0016,' "$tmp/part/out/flags.csv" && bad "a household read in part has flags" || ok
[ "$(rule_col "$tmp/part/out" HH-NO-SELF not_judged)" -ge 1 ] && ok ||
    bad "HH-NO-SELF did not count the household it could not judge"
expect_in "$tmp/part/out/summary.json" "1户有家庭成员行被拒" "the household read in part warned of"

# --- rejected rows leave whom they are about unjudged ----------------------------
clean_demo "$xcheck" "$tmp/base"
# 2026-12-02: a member row broken as a whole (a field too many) was
# forgotten: its person was paid "while not archived" and listed as an
# eligible candidate.
cp -r "$tmp/base" "$tmp/m2"
printf 'KN530102-0002,53010220050101002X,李小,子女,x\n' >>"$tmp/m2/member.csv"
printf '53010220050101002X,2026/03/02,生活救助,500.00,社保卡,\n' >>"$tmp/m2/payment.csv"
printf '53010220050101002X,李小,低保名单,530102\n' >>"$tmp/m2/candidate.csv"
set_key "$tmp/m2" member max_rejects 1
expect_exit 4 "a member row broken as a whole" -- "$xcheck" run -q -c "$tmp/m2/xcheck.ini" -o "$tmp/m2/out"
grep -qE '^(PAY-NOT-ARCHIVED|CAND-ELIGIBLE),.*530102\*{8}002X' "$tmp/m2/out/flags.csv" &&
    bad "someone of a member row broken as a whole flagged as not archived" || ok
expect_in "$tmp/m2/out/summary.json" "家庭成员（member）有1行整行损坏" "the broken row warned of"
# 2026-12-02: a rejected income row counted as no income: a candidate's 850
# became 0.00 and CAND-ELIGIBLE flagged her.
cp -r "$tmp/base" "$tmp/sirej"
iconv -f gb18030 -t utf-8 "$tmp/base/social_insurance.csv" |
    sed 's/^\(53010219850505402X|202606|1|某保洁公司|\)850/\1八百五/' |
    iconv -f utf-8 -t gb18030 >"$tmp/sirej/social_insurance.csv"
set_key "$tmp/sirej" social_insurance max_rejects 1
expect_exit 4 "a rejected income row" -- "$xcheck" run -q -c "$tmp/sirej/xcheck.ini" -o "$tmp/sirej/out"
grep -q '^CAND-ELIGIBLE,.*530102\*\{8\}402X' "$tmp/sirej/out/flags.csv" &&
    bad "a rejected income row counted as no income" || ok
cut -d, -f1-3 "$tmp/sirej/out/flags.csv" | sort >"$tmp/sirej.flags"
"$xcheck" run -q -c "$tmp/base/xcheck.ini" -o "$tmp/base/out" >/dev/null 2>&1
cut -d, -f1-3 "$tmp/base/out/flags.csv" | sort >"$tmp/base.flags"
comm -13 "$tmp/base.flags" "$tmp/sirej.flags" | grep -q . && bad "a rejected income row raised a flag" || ok
# 2026-12-02: a rejected hukou row gave ID-NOT-FOUND for someone it holds.
cp -r "$tmp/base" "$tmp/hkrej"
gzip -dc "$tmp/base/hukou.csv.gz" | sed 's/^530102197003120133,张建国,530102,0,$/&2024\/13\/01/' |
    gzip -n >"$tmp/hkrej/hukou.csv.gz"
set_key "$tmp/hkrej" hukou max_rejects 1
expect_exit 4 "a rejected hukou row" -- "$xcheck" run -q -c "$tmp/hkrej/xcheck.ini" -o "$tmp/hkrej/out"
[ "$(awk -F, '$1 == "hukou" { print $7 }' "$tmp/hkrej/out/accounting.csv")" = 1 ] && ok ||
    bad "the hukou row was not rejected"
grep -q '^ID-NOT-FOUND,.*530102\*\{8\}0133' "$tmp/hkrej/out/flags.csv" &&
    bad "ID-NOT-FOUND for someone whose hukou row was rejected" || ok
# 2026-12-02: a second household row of an archive number, rejected, left
# the first with the members of both: HH-MULTI-SELF.
cp -r "$tmp/base" "$tmp/dup"
printf 'KN530102-0002,530102198001010019,周刚,530102,市县级,在档,20220101,,因病,C001\r\n' >>"$tmp/dup/household.csv"
printf 'KN530102-0002,530102198001010019,周刚,本人\nKN530102-0002,530102200501010020,周小,子女\n' >>"$tmp/dup/member.csv"
set_key "$tmp/dup" household max_rejects 1
expect_exit 4 "an archive number given twice" -- "$xcheck" run -q -c "$tmp/dup/xcheck.ini" -o "$tmp/dup/out"
grep -qE '^(HH-MULTI-SELF|HH-WORKER-NOT-MEMBER|HH-NO-SELF|MB-DUPLICATE),data_quality,KN530102-0002,' \
    "$tmp/dup/out/flags.csv" && bad "a household mixed with a rejected one was judged" || ok
# social insurance starting late on otherwise complete data: incomplete
cp -r "$tmp/base" "$tmp/late2"
drop_key "$tmp/late2" social_insurance covers
keep_months "$tmp/late2" '$2 >= "202601"'
expect_exit 4 "complete data but social insurance from 2026-01" -- \
    "$xcheck" run -c "$tmp/late2/xcheck.ini" -p "$tmp/lenient.profile" -o "$tmp/late2/out"
expect_in "$tmp/late2/out/summary.json" '"not_judged_for_coverage_per_rule": {' "coverage not-judged counted"
grep -q '"EX-WRONG": [1-9]' "$tmp/late2/out/summary.json" && ok || bad "EX-WRONG's uncovered exits not counted"
expect_in "$tmp/out" "所需月份未覆盖，无法判断" "console: rules the coverage left unjudged"
grep -qE "  pass$" "$tmp/out" && bad "a rate passed on exits none of which could be judged" || ok

# --- under the limit: incomplete in every output -----------------------------
# The demo allows its planted rejects: the run goes on, incomplete, exit 4.
# A profile whose thresholds it meets shows that no rate passes on it.
expect_exit 4 "a run with rejects under the limit" -- \
    "$xcheck" run -c "$demo/xcheck.ini" -p "$tmp/lenient.profile" -o "$tmp/inc"
expect_in "$tmp/out" "!! INCOMPLETE: the rates rest on the data seen in this run only" "console: incomplete"
expect_in "$tmp/out" "户籍（hukou）有1行被拒" "console: the rejects named"
grep -qE "  pass$" "$tmp/out" && bad "console: a rate reads as passed on partial data" || ok
expect_in "$tmp/inc/rates.csv" "mis_enrollment_rate,错评率,total,all,合计,3,10,0.300000,1.000000,<=,incomplete,no" "rates.csv: incomplete"
grep -q ',pass,' "$tmp/inc/rates.csv" && bad "rates.csv: a pass on partial data" || ok
expect_in "$tmp/inc/summary.json" '"complete": false' "summary.json: not complete"
expect_in "$tmp/inc/summary.json" '{"kind": "rejects", "dataset": "hukou"' "summary.json: the rejects listed"
expect_in "$tmp/inc/summary.json" '"result": "incomplete"' "summary.json: rates incomplete"
grep -q '"result": "pass"' "$tmp/inc/summary.json" && bad "summary.json: a pass on partial data" || ok
expect_in "$tmp/inc/report.html" 'class="warnband" id="incomplete"' "report.html: the warning band"
expect_in "$tmp/inc/report.html" '有1行被拒' "report.html: the rejects in the band"
grep -q 'class="card ok"><div class="k">错评率' "$tmp/inc/report.html" && bad "report.html: a green rate tile on partial data" || ok
grep -q 'b-ok">达标' "$tmp/inc/report.html" && bad "report.html: 达标 on partial data" || ok
unzip -p "$tmp/inc/report.xlsx" 'xl/worksheets/*.xml' >"$tmp/strings.xml" 2>/dev/null
expect_in "$tmp/strings.xml" "数据完整性" "report.xlsx: the completeness row"
expect_in "$tmp/strings.xml" "不完整，比率不能据此判定达标" "report.xlsx: incomplete"

# the same data without its planted rejects: complete, exit 0, passes
clean_demo "$xcheck" "$tmp/clean"
expect_exit 0 "the complete demo passes the lenient profile" -- \
    "$xcheck" run -q -c "$tmp/clean/xcheck.ini" -p "$tmp/lenient.profile" -o "$tmp/cl"
expect_in "$tmp/cl/summary.json" '"complete": true' "summary.json: complete"
grep -q 'class="warnband"' "$tmp/cl/report.html" && bad "report.html: a warning band on complete data" || ok

# --- coverage of social insurance ------------------------------------------
# 2026-12-02: an export covering only 2025-11 to 2026-03 counted every other
# month as zero income: an exited household with a real pension got
# EX-WRONG, and the chart showed the missing months as 0.00 below the
# standard.
# A hole: 2025-07 to 2025-09 missing, coverage taken from the rows.
cp -r "$demo" "$tmp/hole"
drop_key "$tmp/hole" social_insurance covers
keep_months "$tmp/hole" '$2 < "202507" || $2 > "202509"'
expect_exit 4 "social insurance with a hole" -- \
    "$xcheck" run -c "$tmp/hole/xcheck.ini" -o "$tmp/hole/out"
expect_in "$tmp/hole/out/summary.json" '"coverage": "2025-01..2025-06,2025-10..2026-06", "coverage_declared": false' "the hole in the coverage"
expect_in "$tmp/hole/out/summary.json" '"kind": "coverage", "dataset": "social_insurance"' "the hole warned of"
expect_in "$tmp/out" "2025-07至2025-09间有3个月未覆盖" "console: the hole named"
no_flag_on_uncovered "$tmp/hole/out" "hole" "2025-07 2025-08 2025-09"

# The same hole declared, the rows left in place: the declaration wins.
cp -r "$demo" "$tmp/declared"
set_key "$tmp/declared" social_insurance covers "2025-01..2025-06, 2025-10..2026-06"
expect_exit 4 "a declared hole" -- "$xcheck" run -q -c "$tmp/declared/xcheck.ini" -o "$tmp/declared/out"
expect_in "$tmp/declared/out/summary.json" '"coverage": "2025-01..2025-06,2025-10..2026-06", "coverage_declared": true' "the declared coverage"
no_flag_on_uncovered "$tmp/declared/out" "declared hole" "2025-07 2025-08 2025-09"
cut -d, -f1,3 "$tmp/hole/out/flags.csv" | sort >"$tmp/hole.flags"
cut -d, -f1,3 "$tmp/declared/out/flags.csv" | sort >"$tmp/declared.flags"
cmp -s "$tmp/hole.flags" "$tmp/declared.flags" && ok || bad "a declared hole judges otherwise than a missing one"

# A late start: only 2026-01 to 2026-06. The demo's wrong exit rests on 2025.
grep -q '^EX-WRONG,' "$demo/expected-flags.csv" && ok || bad "the demo has no EX-WRONG flag"
cp -r "$demo" "$tmp/late"
drop_key "$tmp/late" social_insurance covers
keep_months "$tmp/late" '$2 >= "202601"'
expect_exit 4 "social insurance starting late" -- "$xcheck" run -q -c "$tmp/late/xcheck.ini" -o "$tmp/late/out"
expect_in "$tmp/late/out/summary.json" '"coverage": "2026-01..2026-06"' "the late coverage"
grep -q '^EX-WRONG,' "$tmp/late/out/flags.csv" && bad "EX-WRONG raised on months before the export" || ok
[ "$(rule_col "$tmp/late/out" EX-WRONG not_judged)" -ge 1 ] && ok || bad "EX-WRONG did not count the exit it could not judge"
[ "$(rule_col "$tmp/late/out" IN-ENROLL-HIGH not_judged)" -ge 1 ] && ok || bad "IN-ENROLL-HIGH did not count what it could not judge"
no_flag_on_uncovered "$tmp/late/out" "late start" "2025-01 2025-02 2025-03 2025-04 2025-05 2025-06 2025-07 2025-08 2025-09 2025-10 2025-11 2025-12"

# as_of past the export: the demo's relapse rests on months it does not hold.
grep -q '^EX-RELAPSE,' "$demo/expected-flags.csv" && ok || bad "the demo has no EX-RELAPSE flag"
expect_exit 4 "as_of past the export" -- \
    "$xcheck" run -c "$demo/xcheck.ini" --as-of 2026-09-30 -o "$tmp/past"
grep -q '^EX-RELAPSE,' "$tmp/past/flags.csv" && bad "EX-RELAPSE raised on months after the export" || ok
[ "$(rule_col "$tmp/past" EX-RELAPSE not_judged)" -ge 1 ] && ok || bad "EX-RELAPSE did not count what it could not judge"
grep -q '^CAND-ELIGIBLE,' "$tmp/past/flags.csv" && bad "CAND-ELIGIBLE raised on months after the export" || ok
expect_in "$tmp/out" "2026-07至2026-09间有3个月未覆盖" "console: the months after the export"
# the snapshot registers were exported on 2026-06-30, before as_of
expect_in "$tmp/past/summary.json" '{"kind": "exported", "dataset": "property"' "an export before as_of warned of"
expect_in "$tmp/out" "房产（property）导出于2026-06-30，早于as_of 2026-09-30" "console: the export date"
# undeclared, the export date is the latest date the rows hold
cp -r "$demo" "$tmp/undeclared"
drop_key "$tmp/undeclared" property exported
expect_exit 4 "an undeclared export date" -- "$xcheck" run -q -c "$tmp/undeclared/xcheck.ini" -o "$tmp/undeclared/out"
expect_in "$tmp/undeclared/out/summary.json" '"dataset": "property", "text": "房产（property）所含最晚日期为' "the latest date as export date"
expect_in "$tmp/undeclared/out/summary.json" '"exported_declared": false' "the export date not declared"

# evidence of an income flag reaching outside the coverage says so
grep -q '"covered":false' "$tmp/hole/out/evidence.jsonl" && ok || bad "no uncovered month in any evidence"
grep '"covered":false' "$tmp/hole/out/evidence.jsonl" | grep -q '"household_income":null' && ok ||
    bad "an uncovered month shows an income"
grep -q '社保数据未覆盖' "$tmp/inc/flags.csv" && ok ||
    bad "no summary names the months social insurance does not cover"

# --- configuration ----------------------------------------------------------
for bad_cov in "2025-13..2026-01" "2026-01..2025-01" "2025-01..2025-06, 2025-03..2025-09" "202501..202506" "2025-01,"; do
    cp -r "$demo" "$tmp/badcov"
    set_key "$tmp/badcov" social_insurance covers "$bad_cov"
    expect_exit 1 "covers = $bad_cov" -- "$xcheck" run -q -c "$tmp/badcov/xcheck.ini" -o "$tmp/badcov/out"
    expect_in "$tmp/err" "[social_insurance] covers" "covers = $bad_cov: named"
    rm -rf "$tmp/badcov"
done
cp -r "$demo" "$tmp/badcov"
set_key "$tmp/badcov" property covers "2025-01..2025-06"
expect_exit 1 "covers on a dataset without months" -- "$xcheck" run -q -c "$tmp/badcov/xcheck.ini" -o "$tmp/badcov/out"
expect_in "$tmp/err" "property has no month field" "covers without months: why"
set_key "$tmp/badcov" property exported 2026-02-30
drop_key "$tmp/badcov" property covers
expect_exit 1 "exported = 2026-02-30" -- "$xcheck" run -q -c "$tmp/badcov/xcheck.ini" -o "$tmp/badcov/out"
expect_in "$tmp/err" "[property] exported" "exported: named"
cp -r "$demo" "$tmp/badexp"
set_key "$tmp/badexp" household exported 2026-06-30
expect_exit 1 "exported on the archive" -- "$xcheck" run -q -c "$tmp/badexp/xcheck.ini" -o "$tmp/badexp/out"
expect_in "$tmp/err" "the archive has no export date" "exported on the archive: why"

summary
