#!/usr/bin/env bash
# check.sh - xcheck check, xcheck init and the fields a configuration must
# map, on copies of the demo. check: the demo can run (exit 0, every
# dataset and the rules listed, no full ID number printed); a file declared
# in the wrong encoding, a column that is not in the header, a missing
# value map and a sample over max_rejects are each found (exit 1, named);
# a file is not read past the sample. Fields: a configuration without
# hardship_cause runs, one without a field an evaluated rule reads fails
# naming the field and the rule. init: a draft from the demo's exports that
# check accepts and run runs, with the demo's flags, once the test fills in
# what the draft could not guess (hukou's numeric status codes, and the
# max_rejects that allow the demo's planted rows).
# Usage: check.sh XCHECK SOURCE_ROOT
set -u
xcheck=$1
root=$2
demo=$root/fixtures/demo
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/support/check.sh
. "$(dirname "$0")/../support/check.sh"

# set_key DIR SECTION KEY VALUE: KEY = VALUE in [SECTION] of DIR/xcheck.ini
set_key() {
    local ini=$1/xcheck.ini
    sed -i "/^\[$2\]/,/^\[/{/^$3 *=/d}" "$ini"
    sed -i "s/^\[$2\]\$/[$2]\n$3 = $4/" "$ini"
}
drop_key() { sed -i "/^\[$2\]/,/^\[/{/^$3 *=/d}" "$1/xcheck.ini"; }
copy_demo() { rm -rf "$1" && cp -r "$demo" "$1"; }
# no_full_ids FILE WHAT: no 18-character ID number of the demo in FILE
no_full_ids() {
    if grep -qE '[0-9]{17}[0-9Xx]' "$1"; then bad "$2: a full ID number printed"; grep -E '[0-9]{17}[0-9Xx]' "$1" | head -3; else ok; fi
}

# ---- check on the demo ---------------------------------------------------
expect_exit 0 "check on the demo" -- "$xcheck" check -c "$demo/xcheck.ini"
cp "$tmp/out" "$tmp/demo.out"
for ds in household member hukou social_insurance property vehicle business \
          dibao_standard contact payment exit_record followup candidate; do
    expect_in "$tmp/demo.out" "[$ds]" "check lists dataset $ds"
done
expect_in "$tmp/demo.out" "rules that will be evaluated:" "check lists the rules evaluated"
expect_in "$tmp/demo.out" "HK-DECEASED" "check lists HK-DECEASED"
expect_in "$tmp/demo.out" "of 28 rules, 28 will be evaluated" "every rule evaluated on the demo"
expect_in "$tmp/demo.out" "id_no              <- 公民身份号码" "check shows the mapping"
expect_in "$tmp/demo.out" "encoding: configured gb18030" "check shows social insurance's encoding"
expect_in "$tmp/demo.out" "month              2025-01 .. 2026-06" "check shows the sample's months"
expect_in "$tmp/demo.out" "'2024-13-01' is not a date" "check shows the reasons of rejects"
expect_in "$tmp/demo.out" "formats that parse the most: YYYYMMDD (16/17)" "check shows the date formats"
# the planted bad status code of hukou is seen, and counted only if linked
expect_in "$tmp/demo.out" '"9" ×1' "check lists a code the map does not know"
expect_in "$tmp/demo.out" "only when the person is in the archive: not counted against the limit" "a reference row's reject counted only when linked"
no_full_ids "$tmp/demo.out" "check on the demo"

expect_exit 2 "check without -c" -- "$xcheck" check
expect_exit 2 "check --rows 0" -- "$xcheck" check -c "$demo/xcheck.ini" --rows 0
expect_exit 0 "xcheck help check" -- "$xcheck" help check
expect_in "$tmp/out" "Usage: xcheck check" "help check"
expect_exit 0 "xcheck check --help" -- "$xcheck" check --help

# ---- the wrong encoding, both ways ---------------------------------------
copy_demo "$tmp/enc"
set_key "$tmp/enc" social_insurance encoding utf-8
expect_exit 1 "GB18030 file declared UTF-8" -- "$xcheck" check -c "$tmp/enc/xcheck.ini"
expect_in "$tmp/out" "✗ the declared encoding does not fit" "GB18030 declared UTF-8: said"
expect_in "$tmp/out" "set encoding = gb18030" "GB18030 declared UTF-8: the fix"
copy_demo "$tmp/enc2"
set_key "$tmp/enc2" household encoding gb18030
expect_exit 1 "UTF-8 file declared GB18030" -- "$xcheck" check -c "$tmp/enc2/xcheck.ini"
expect_in "$tmp/out" "decoded as gb18030 it is mojibake" "UTF-8 declared GB18030: mojibake said"

# ---- the wrong delimiter -------------------------------------------------
copy_demo "$tmp/delim"
set_key "$tmp/delim" property delimiter semicolon
expect_exit 1 "comma file declared semicolon" -- "$xcheck" check -c "$tmp/delim/xcheck.ini"
expect_in "$tmp/out" "set delimiter = comma" "the wrong delimiter: the fix"

# ---- a column that is not there, a code the map does not know -------------
copy_demo "$tmp/map"
set_key "$tmp/map" hukou field.name 不存在的列
expect_exit 1 "a column not in the header" -- "$xcheck" check -c "$tmp/map/xcheck.ini"
expect_in "$tmp/out" "不存在的列   ✗ not in the header of $tmp/map/hukou.csv.gz" \
    "the missing column named with its file"
expect_in "$tmp/err" 'column "不存在的列" (field hukou.name) is not in the header' \
    "the connector's error printed too"
copy_demo "$tmp/map2"
drop_key "$tmp/map2" business map.role.股东
# a reference row is rejected for it only when its person is in the
# archive, which a sample cannot know: listed, not a failure
expect_exit 0 "a reference code without a map" -- "$xcheck" check -c "$tmp/map2/xcheck.ini"
expect_in "$tmp/out" '"股东" ×2' "the code without a map listed"
drop_key "$tmp/map2" household map.status.在档
expect_exit 1 "an archive code without a map" -- "$xcheck" check -c "$tmp/map2/xcheck.ini"
expect_in "$tmp/out" 'coded values not mapped (map.status.<code>): "在档"' "the archive's code listed"

# ---- rejects over max_rejects in the sample ------------------------------
copy_demo "$tmp/rej"
drop_key "$tmp/rej" household max_rejects
expect_exit 1 "an archive row rejected, no max_rejects" -- "$xcheck" check -c "$tmp/rej/xcheck.ini"
expect_in "$tmp/out" "✗ over the limit" "over max_rejects said"

# ---- nothing read past the sample ----------------------------------------
# 2000 good rows, then 10 with the wrong number of fields: a sample of
# 1000 rows never meets them, a run does (over max_rejects).
copy_demo "$tmp/big"
{
    head -1 "$demo/exit_record.csv"
    for i in $(seq 1 2000); do echo "KN530103-0004,2025-12-20,2025-12-25,2025-12-30,2026-01-08,2026-01-09"; done
    for i in $(seq 1 10); do echo "broken,row"; done
} >"$tmp/big/exit_record.csv"
expect_exit 0 "check reads only the first rows" -- "$xcheck" check -c "$tmp/big/xcheck.ini" --rows 1000
expect_in "$tmp/out" "sample: 1000 rows read, 0 rejected" "exactly the sample read"
expect_exit 1 "the run meets the broken row" -- "$xcheck" run -q -c "$tmp/big/xcheck.ini" -o "$tmp/big/out"

# ---- fields a configuration must map -------------------------------------
copy_demo "$tmp/opt"
drop_key "$tmp/opt" household field.hardship_cause
sed -i '/^map\.hardship_cause\./d' "$tmp/opt/xcheck.ini"
expect_exit 4 "a run without hardship_cause" -- "$xcheck" run -q -c "$tmp/opt/xcheck.ini" -o "$tmp/opt/out"
expect_exit 0 "check without hardship_cause" -- "$xcheck" check -c "$tmp/opt/xcheck.ini"
expect_in "$tmp/out" "hardship_cause     (not mapped)" "check shows hardship_cause unmapped"
copy_demo "$tmp/req"
drop_key "$tmp/req" hukou field.status
sed -i '/^map\.status\.[0-3] /d' "$tmp/req/xcheck.ini"
expect_exit 1 "a run without hukou.status" -- "$xcheck" run -q -c "$tmp/req/xcheck.ini" -o "$tmp/req/out"
expect_in "$tmp/err" "required field 'status' is not mapped" "the field named"
expect_in "$tmp/err" "HK-DECEASED" "the rule that reads it named"

# ---- xcheck fields ---------------------------------------------------------
expect_exit 0 "xcheck fields hukou" -- "$xcheck" fields hukou
expect_in "$tmp/out" "deceased               死亡" "fields: a value with its label"
expect_in "$tmp/out" "status_on" "fields: a field of hukou"
expect_exit 0 "xcheck fields --markdown" -- "$xcheck" fields --markdown
expect_in "$tmp/out" "| \`hardship_cause\` | enumlist | optional (read by no rule) |" \
    "fields: hardship_cause optional"
expect_in "$tmp/out" "#### \`candidate\` 疑似漏评名单 (process)" "fields: every dataset"
expect_exit 2 "xcheck fields of no dataset" -- "$xcheck" fields houkou

# ---- init on the demo's exports ------------------------------------------
mkdir "$tmp/draft"
exports=$(cd "$demo" && ls ./*.csv ./*.csv.gz | grep -v expected-flags)
(cd "$demo" && "$xcheck" init $exports -o "$tmp/draft/xcheck.ini") >"$tmp/out" 2>"$tmp/err"
if [ $? = 0 ]; then ok; else bad "init on the demo's exports"; cat "$tmp/err"; fi
d=$tmp/draft/xcheck.ini
for ds in household member hukou social_insurance property vehicle business \
          dibao_standard contact payment exit_record followup candidate; do
    expect_in "$d" "[$ds]" "init places a file for $ds"
done
expect_in "$d" "path = $demo/hukou.csv.gz" "init: hukou's file"
expect_in "$d" "encoding  = gb18030" "init: social insurance's encoding guessed"
expect_in "$d" "delimiter = pipe" "init: social insurance's delimiter guessed"
expect_in "$d" "field.id_no = 公民身份号码   ; 猜测 guess" "init: a column guessed and marked"
expect_in "$d" "map.status.在档 = active   ; 猜测 guess" "init: a value map guessed from the labels"
expect_in "$d" "map.kind.K33 = car" "init: vehicle codes of GA 24.4"
expect_in "$d" "format.contact_date = YYYY年M月D日" "init: a Chinese date format guessed"
expect_in "$d" "format.month = YYYYMM" "init: a month format guessed"
expect_in "$d" "; map.status.0 = ?   ; 未能猜测" "init: a numeric code left for a person"
expect_in "$d" "; field.kind = 险种类型" "init: an unread field with unknown codes left out"
# refuses to overwrite; --force does
expect_exit 1 "init over an existing file" -- "$xcheck" init "$demo/member.csv" -o "$d"
expect_in "$tmp/err" "exists already" "init says why it refuses"
expect_exit 0 "init --force" -- "$xcheck" init "$demo/member.csv" -o "$tmp/forced.ini"
expect_exit 0 "init --force over a file" -- "$xcheck" init --force "$demo/member.csv" -o "$tmp/forced.ini"
expect_exit 1 "the draft as written: hukou's codes unknown" -- "$xcheck" check -c "$d"
expect_in "$tmp/out" '"0" ×42' "check lists hukou's unmapped codes"
# What the draft could not guess: hukou's numeric status codes, and the
# max_rejects that allow the rows the demo plants.
python3 - "$d" <<'EOF'
import sys
p = sys.argv[1]
s = open(p, encoding='utf-8').read()
def add(sec, lines):
    global s
    i = s.index('[' + sec + ']')
    j = s.index('\n', i)
    s = s[:j + 1] + lines + s[j + 1:]
add('hukou', 'map.status.0 = normal\nmap.status.1 = deceased\nmap.status.2 = moved_out\n'
             'map.status.3 = cancelled\nmax_rejects = 1\n')
for sec in ['household', 'social_insurance', 'contact', 'payment']:
    add(sec, 'max_rejects = 1\n')
open(p, 'w', encoding='utf-8').write(s)
EOF
expect_exit 0 "check accepts the filled-in draft" -- "$xcheck" check -c "$d"
expect_exit 4 "the filled-in draft runs" -- "$xcheck" run -q -c "$d" --as-of 2026-06-30 -o "$tmp/draft/out"
expect_exit 4 "the demo runs" -- "$xcheck" run -q -c "$demo/xcheck.ini" -o "$tmp/demo-run"
if [ -s "$tmp/demo-run/flags.csv" ] &&
   diff <(sort "$tmp/demo-run/flags.csv") <(sort "$tmp/draft/out/flags.csv") >"$tmp/diff"; then
    ok
else
    bad "the draft's flags differ from the demo's"; head -20 "$tmp/diff"
fi

summary
