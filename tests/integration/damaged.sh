#!/usr/bin/env bash
# damaged.sh - damaged inputs, one thing broken at a time: each case is a
# copy of the demo with one file, value or key changed, run through
# `xcheck run`, and checked for
#   - the exit status (1 for what stops the run, 4 for a run that goes on:
#     the copy allows any share of rejected rows, and a run with rejected
#     rows is incomplete);
#   - the message: a text that must appear in stderr (file, line, field,
#     reason) or in a reject file;
#   - for a run that goes on, that every dataset's accounting adds up:
#     read = matched + unmatched + rejected, and read = the physical rows
#     the file holds where accounting.csv counts them;
#   - for a run that goes on with a harmless change, that the flags are
#     still exactly the demo's;
#   - that the outputs of a previous run are kept byte for byte: in place
#     when the run stops, as out.prev when it goes on, and that no
#     directory of the run is left beside them.
# Usage: damaged.sh XCHECK SOURCE_ROOT
set -u
xcheck=$1
root=$2
demo=$root/fixtures/demo
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/support/check.sh
. "$(dirname "$0")/../support/check.sh"

flags_of() { cut -d, -f1,2,3,6,8,9 "$1/flags.csv" | tail -n +2 | sort; }
tail -n +2 "$demo/expected-flags.csv" | sort >"$tmp/want"
# the outputs of a previous run, put beside each case's run
"$xcheck" run -q -c "$demo/xcheck.ini" -o "$tmp/base" >/dev/null 2>&1
[ -f "$tmp/base/.xcheck-output" ] && ok || bad "no previous run to keep"

# Every dataset of accounting.csv adds up: read = matched + unmatched +
# rejected, and the physical rows the file holds = read + its other lines
# (header, blank lines, the extra lines of multi-line rows). Counted by the
# columns' names from the end (a source before them may hold commas).
accounting_adds_up() {
    awk -F, -v what="$2" '
        NR == 1 { for (i = 1; i <= NF; i++) at[$i] = NF - i; next }
        { r = $(NF - at["read"]); m = $(NF - at["matched"]); u = $(NF - at["unmatched"])
          j = $(NF - at["rejected"]); p = $(NF - at["physical_rows"]); o = $(NF - at["other_lines"])
          if (r != m + u + j) { print what ": " $1 ": read " r " != " m "+" u "+" j; bad = 1 }
          if (!("physical_rows" in at) || p != r + o) { print what ": " $1 ": physical rows " p " != read " r " + other lines " o; bad = 1 } }
        END { exit bad }' "$1/accounting.csv" && ok || bad "accounting of $2"
}

# run_case NAME EXIT WHERE TEXT MUTATION
#   WHERE: "err" (stderr), a file under the output directory
#   ("rejects/member.csv"), or "same" (the flags are the demo's; TEXT is
#   then ignored). MUTATION runs in the copy of the demo.
# Every dataset of the copy allows rejected rows, so that a damaged row is
# rejected with its reason and the run goes on (the limits themselves are
# tested in partial.sh).
allow_rejects() {
    sed -i -e '/^max_rejects/d' -e 's/^\(kind *=.*\)$/\1\nmax_rejects = 100%/' "$1"
}

n_cases=0
run_case() {
    local name=$1 want=$2 where=$3 text=$4 mutation=$5
    n_cases=$((n_cases + 1))
    local d=$tmp/c$n_cases
    cp -r "$demo" "$d"
    allow_rejects "$d/xcheck.ini"
    local before after
    # what the copy holds: names and kinds, and the bytes of its regular files
    snap() { (cd "$d" && ls -l --time-style=+ . && find . -maxdepth 1 -type f -exec md5sum {} +) | md5sum; }
    before=$(snap)
    (cd "$d" && eval "$mutation") || { bad "$name: the mutation failed"; return; }
    after=$(snap)
    [ "$before" != "$after" ] && ok || { bad "$name: the mutation changed nothing"; return; }
    cp -a "$tmp/base" "$d/out"
    timeout 60 "$xcheck" run -q -c "$d/xcheck.ini" -o "$d/out" >"$d/stdout" 2>"$d/stderr"
    local got=$?
    if [ "$got" != "$want" ]; then
        bad "$name: exit $got, wanted $want"
        head -5 "$d/stderr"
        return
    fi
    ok
    # 2026-12-02: a run that stopped in the scan left the previous run's
    # outputs beside what it had begun; now they are kept whole, in place
    # or (the run went on) as out.prev.
    local kept=$d/out
    [ "$want" = 1 ] || kept=$d/out.prev
    diff -r "$tmp/base" "$kept" >/dev/null && ok || bad "$name: the previous outputs were not kept in $kept"
    [ -z "$(find "$d" -maxdepth 1 -name '.out.*')" ] && ok || bad "$name: the run's directory was left"
    case $where in
    err) grep -qF -- "$text" "$d/stderr" && ok || { bad "$name: no '$text' in:"; head -5 "$d/stderr"; } ;;
    same) ;;
    *) grep -qF -- "$text" "$d/out/$where" 2>/dev/null && ok ||
        { bad "$name: no '$text' in $where:"; head -5 "$d/out/$where" 2>/dev/null; } ;;
    esac
    if [ -n "${extra:-}" ]; then
        eval "$extra"
        extra=
    fi
    if [ "$want" = 4 ]; then
        accounting_adds_up "$d/out" "$name"
        if [ "$where" = same ]; then
            flags_of "$d/out" >"$d/got"
            cmp -s "$tmp/want" "$d/got" && ok || { bad "$name: the flags changed"; diff "$tmp/want" "$d/got" | head -5; }
        fi
    fi
    rm -rf "$d"
}

# set_ini SECTION KEY VALUE: replaces (or adds) KEY in [SECTION]
set_ini='set_ini() { awk -v s="[$1]" -v k="$2" -v v="$3" '"'"'
    $0 == s { print; print k " = " v; insec = 1; next }
    /^\[/ { insec = 0 }
    insec && $0 ~ "^" k " *=" { next }
    { print }'"'"' xcheck.ini >x.tmp && mv x.tmp xcheck.ini; }'
# add_ini SECTION LINE: adds LINE at the top of [SECTION]
add_ini='add_ini() { awk -v s="[$1]" -v l="$2" '"'"'$0 == s { print; print l; next } { print }'"'"' xcheck.ini >x.tmp && mv x.tmp xcheck.ini; }'
# on_line FILE N SED: applies the sed expression to line N of FILE
on_line='on_line() { sed -i "$2s/$3/" "$1"; }'
prep="$set_ini; $add_ini; $on_line"

# ---- files and gzip -----------------------------------------------------------------
run_case "missing file" 1 err "member.csv" 'rm member.csv'
run_case "empty file" 1 err "member.csv" ': >member.csv'
run_case "a header and no rows" 4 accounting.csv "contact" 'head -1 contact.csv >c && mv c contact.csv'
run_case "a directory as path" 1 err "directory" 'rm member.csv && mkdir member.csv'
run_case "a FIFO as path" 1 err "member.csv" 'rm member.csv && mkfifo member.csv'
run_case "a truncated gzip" 1 err "hukou.csv.gz" 'zcat hukou.csv.gz | gzip | head -c 600 >h && mv h hukou.csv.gz'
run_case "a gzip with a bad CRC" 1 err "hukou.csv.gz" \
    'n=$(stat -c %s hukou.csv.gz); printf "\\377\\377\\377\\377" | dd of=hukou.csv.gz bs=1 seek=$((n - 8)) conv=notrunc 2>/dev/null'
run_case "bytes after the gzip stream" 1 err "hukou.csv.gz" 'printf "garbage after the stream" >>hukou.csv.gz'
run_case "a damaged second gzip member" 1 err "hukou.csv.gz" \
    'zcat hukou.csv.gz | head -30 | gzip >h; zcat hukou.csv.gz | tail -n +31 | gzip | head -c 200 >>h; mv h hukou.csv.gz'
run_case "two gzip members" 4 same "" \
    'zcat hukou.csv.gz >h; head -30 h | gzip >h.gz; tail -n +31 h | gzip >>h.gz; mv h.gz hukou.csv.gz; rm h'
run_case "NUL padding after gzip" 4 same "" 'head -c 512 /dev/zero >>hukou.csv.gz'
run_case "a plain file where gzip was" 4 same "" 'zcat hukou.csv.gz >h && mv h hukou.csv.gz'
run_case "CRLF line ends" 4 same "" 'sed -i "s/\$/\r/" member.csv'
run_case "blank lines between rows" 4 same "" 'sed -i "5a\\\\" member.csv; sed -i "10a\\\\" member.csv'
run_case "no line end at the end" 4 same "" 'printf %s "$(cat member.csv)" >m && mv m member.csv'
run_case "a mapped column missing" 1 err "name" 'sed -i "1s/,name,/,nom,/" member.csv'
# ---- rows -----------------------------------------------------------------------------------
run_case "a row with too many fields" 4 rejects/member.csv "member.csv,5," "$prep"'; on_line member.csv 5 "\$/,extra"'
run_case "a row with too few fields" 4 rejects/member.csv "member.csv,5," "$prep"'; on_line member.csv 5 ",[^,]*\$/"'
run_case "a stray opening quote" 4 rejects/member.csv "member.csv,5," "$prep"'; on_line member.csv 5 ",\\([^,]*\\),\\([^,]*\\)\$/,\"\\1,\\2"'
# 2026-12-01: one stray quote swallowed the next 27 rows into one reject.
extra='[ "$(wc -l <"$d/out/rejects/member.csv")" = 2 ] && ok || bad "a stray quote: more than one line rejected: $(cat "$d/out/rejects/member.csv")"
    [ "$(awk -F, '"'"'NR == 1 { for (i = 1; i <= NF; i++) at[$i] = NF - i } $1 == "member" { print $(NF - at["physical_rows"]) }'"'"' "$d/out/accounting.csv")" = $(wc -l <"$demo/member.csv") ] && ok ||
        bad "a stray quote: member rows read are not the rows the file holds"'
run_case "a stray quote loses one line only" 4 rejects/member.csv "member.csv,5," "$prep"'; on_line member.csv 5 ",\\([^,]*\\),\\([^,]*\\)\$/,\"\\1,\\2"'
run_case "invalid UTF-8 in a name" 4 rejects/member.csv "member.csv,5,name," "$prep"'; on_line member.csv 5 ",\\([^,]*\\),\\([^,]*\\)\$/,\\xff\\xfe,\\2"'
run_case "a NUL byte in a name" 4 rejects/member.csv "member.csv,5,name," \
    'sed -i "5s/,\\([^,]*\\),\\([^,]*\\)\$/,张\\x00三,\\2/" member.csv'
run_case "a control character in a name" 4 rejects/member.csv "member.csv,5,name," "$prep"'; on_line member.csv 5 ",\\([^,]*\\),\\([^,]*\\)\$/,张\\x01三,\\2"'
run_case "an empty required field" 4 rejects/member.csv "member.csv,5,relation," "$prep"'; on_line member.csv 5 ",[^,]*\$/,"'
run_case "a code without a mapping" 4 rejects/member.csv "member.csv,5,relation," "$prep"'; on_line member.csv 5 ",[^,]*\$/,表亲"'
run_case "an invalid reference ID" 4 rejects/property.csv "property.csv,2,id_no," "$prep"'; on_line property.csv 2 "^\\([^,]*\\)[0-9],/\\1Q,"'
# ---- encodings --------------------------------------------------------------------------
run_case "UTF-8 declared gb18030" 1 err "utf-8" "$prep"'; set_ini member encoding gb18030'
run_case "GB18030 declared utf-8" 1 err "gb18030" "$prep"'; set_ini social_insurance encoding utf-8'
# ---- values ---------------------------------------------------------------------------------
money='f=payment.csv; c=$(head -1 $f | tr , "\n" | grep -n "金额" | head -1 | cut -d: -f1); set_money() { awk -F, -v OFS=, -v c="$c" -v v="$1" "NR == 2 { \$c = v } { print }" $f >p && mv p $f; }'
run_case "money with bad grouping" 4 rejects/payment.csv "payment.csv,2,amount," "$prep; $money"'; set_money "\"1,2,3,4.5\""'
run_case "money starting with a comma" 4 rejects/payment.csv "payment.csv,2,amount," "$prep; $money"'; set_money "\",5\""'
run_case "a negative payment" 4 rejects/payment.csv "payment.csv,2,amount," "$prep; $money"'; set_money "-500.00"'
run_case "money over the cap" 4 rejects/payment.csv "payment.csv,2,amount," "$prep; $money"'; set_money "99999999999999999.00"'
run_case "money that is no number" 4 rejects/payment.csv "payment.csv,2,amount," "$prep; $money"'; set_money "五百"'
hh='f=household.csv; set_col() { c=$(head -1 $f | tr , "\n" | grep -n "^$1\$" | cut -d: -f1); awk -F, -v OFS=, -v c="$c" -v v="$2" -v r="$3" "NR == r { \$c = v } { print }" $f >p && mv p $f; }'
run_case "enrolled after as_of" 4 rejects/household.csv "household.csv,3,enrolled_on," "$prep; $hh"'; set_col 建档日期 20300101 3'
run_case "an exit before the enrollment" 4 rejects/household.csv "household.csv,4," "$prep; $hh"'; set_col 退档日期 20100101 4'
run_case "an exit after as_of" 4 rejects/household.csv "household.csv,4,exited_on," "$prep; $hh"'; set_col 退档日期 20991231 4'
run_case "year 0001" 4 rejects/household.csv "household.csv,3,enrolled_on," "$prep; $hh"'; set_col 建档日期 00010101 3'
run_case "9999-12-31 as an exit" 4 rejects/household.csv "household.csv,4,exited_on," "$prep; $hh"'; set_col 退档日期 99991231 4'
run_case "February 30" 4 rejects/household.csv "household.csv,3,enrolled_on," "$prep; $hh"'; set_col 建档日期 20200230 3'
run_case "a date in another format" 4 rejects/household.csv "household.csv,3,enrolled_on," "$prep; $hh"'; set_col 建档日期 2020-01-15 3'
run_case "an unknown region code" 4 rejects/household.csv "household.csv,3,region_code," "$prep; $hh"'; set_col 行政区划 999999 3'
# ---- ID numbers: dirt that normalises -------------------------------------------------------
idc='f=member.csv; set_id() { awk -F, -v OFS=, -v v="$1" "NR == 3 { \$2 = v } { print }" $f >p && mv p $f; }'
run_case "an ID with blanks" 4 same "" "$prep; $idc"'; set_id " 530102 19720408 0262 "'
run_case "an ID with hyphens" 4 same "" "$prep; $idc"'; set_id "530102-19720408-0262"'
run_case "an ID in full-width digits" 4 same "" "$prep; $idc"'; set_id "５３０１０２１９７２０４０８０２６２"'
run_case "an ID with an Excel apostrophe" 4 same "" "$prep; $idc"'; set_id "'"'"'530102197204080262"'
# ---- the archive's structure ------------------------------------------------------------------
run_case "a member row given twice" 4 flags.csv "MB-DUPLICATE" 'sed -n 3p member.csv >>member.csv'
run_case "a household without 本人" 4 flags.csv "HH-NO-SELF" 'sed -i "2s/本人\$/子女/" member.csv'
run_case "a household with two 本人" 4 flags.csv "HH-MULTI-SELF" 'sed -i "3s/配偶\$/本人/" member.csv'
run_case "a worker who is no member" 4 flags.csv "HH-WORKER-NOT-MEMBER" \
    'sed -i "2s/^\\(KN530102-0001\\),530102197003120133,/\\1,110101199003077777,/" household.csv'
# ---- configuration ------------------------------------------------------------------------------
run_case "path given twice" 1 err "path" "$prep"'; add_ini member "path = other.csv"'
run_case "as_of given twice" 1 err "as_of" "$prep"'; add_ini run "as_of = 2026-01-01"'
run_case "encoding given twice" 1 err "encoding" "$prep"'; add_ini member "encoding = utf-8"; add_ini member "encoding = utf-8"'
run_case "delimiter given twice" 1 err "delimiter" "$prep"'; add_ini member "delimiter = ,"; add_ini member "delimiter = ;"'
run_case "header given twice" 1 err "header" "$prep"'; add_ini member "header = true"; add_ini member "header = false"'
run_case "kind given twice" 1 err "kind" "$prep"'; add_ini member "kind = file"; add_ini member "kind = file"'
run_case "quote empty" 1 err "quote" "$prep"'; set_ini member quote ""'
run_case "quote equal to the delimiter" 1 err "quote" "$prep"'; set_ini member quote ","'
run_case "a line over 64 KiB" 1 err "xcheck.ini" "$prep"'; add_ini member "; $(head -c 70000 /dev/zero | tr "\0" x)"'
run_case "an unknown key" 1 err "frobnicate" "$prep"'; add_ini member "frobnicate = 1"'
run_case "an unknown section" 1 err "frobnicate" 'printf "[frobnicate]\nx = 1\n" >>xcheck.ini'
run_case "a required field unmapped" 1 err "relation" 'sed -i "/^field.relation/d" xcheck.ini'
run_case "a bad date format" 1 err "format" "$prep"'; set_ini household format.enrolled_on "YYYY-QQ"'
run_case "a bad header value" 1 err "header" "$prep"'; set_ini member header maybe'
run_case "an unknown kind" 1 err "kind" "$prep"'; set_ini member kind ftp'
run_case "a delimiter of two characters" 1 err "delimiter" "$prep"'; set_ini member delimiter ab'
run_case "a value map to no value" 1 err "map" "$prep"'; add_ini member "map.relation.X = nobody"'

# ---- a dataset of several files ------------------------------------------------------------------
# split_into FILE N STEM SECTION: writes FILE's rows as N files STEM-001.csv(.gz) ... of
# about equal rows, each with FILE's header (gzip when FILE is), removes FILE and binds
# [SECTION] to the glob STEM-*.
split_into() {
    local file=$1 n=$2 stem=$3 section=$4 cat=cat ext=.csv
    case $file in *.gz) cat=zcat ext=.csv.gz ;; esac
    $cat "$file" >x.all && rm "$file"
    head -1 x.all >x.head
    tail -n +2 x.all >x.body
    split -n "l/$n" -d -a 3 x.body x.part
    local i=0 part
    for part in x.part*; do
        i=$((i + 1))
        local out
        out=$(printf '%s-%03d%s' "$stem" "$i" "$ext")
        if [ "$ext" = .csv.gz ]; then cat x.head "$part" | gzip -n >"$out"; else cat x.head "$part" >"$out"; fi
    done
    rm -f x.all x.head x.body x.part*
    sed -i "/^\[$section\]/,/^\[/s|^path *=.*|path = $stem-*$ext|" xcheck.ini
}
run_case "hukou in three files" 4 same "" 'split_into hukou.csv.gz 3 hukou hukou'
run_case "member in two files, household in two" 4 same "" \
    'split_into member.csv 2 member member && split_into household.csv 2 household household'
run_case "social insurance in four files (GB18030, |)" 4 same "" \
    'split_into social_insurance.csv 4 si social_insurance'
run_case "the second of three hukou files truncated" 1 err "hukou-002.csv.gz" \
    'split_into hukou.csv.gz 3 hukou hukou && head -c -12 hukou-002.csv.gz >x && mv x hukou-002.csv.gz'
run_case "the third of three hukou files with another header" 1 err "hukou-003.csv.gz" \
    'split_into hukou.csv.gz 3 hukou hukou && zcat hukou-003.csv.gz | sed "1s/姓名/名字/" | gzip >x && mv x hukou-003.csv.gz'
run_case "a hukou file with a column more" 1 err "first difference" \
    'split_into hukou.csv.gz 3 hukou hukou && zcat hukou-002.csv.gz | sed "s/\$/,x/" | gzip >x && mv x hukou-002.csv.gz'
run_case "the second of three hukou files empty" 1 err "hukou-002.csv.gz\" is empty" \
    'split_into hukou.csv.gz 3 hukou hukou && : | gzip >hukou-002.csv.gz'
run_case "a row with too many fields in the second of three files" 4 rejects/hukou.csv \
    "hukou-002.csv.gz,2,,6 fields where the header has 5" \
    'split_into hukou.csv.gz 3 hukou hukou && zcat hukou-002.csv.gz | sed "2s/\$/,x/" | gzip >x && mv x hukou-002.csv.gz'
run_case "rejected rows over the limit in one of three files" 1 err "hukou-003.csv.gz 1" \
    "split_into hukou.csv.gz 3 hukou hukou; $prep"'; set_ini hukou max_rejects 0'
run_case "a glob matching nothing" 1 err "nothing-*.csv" "$prep"'; set_ini hukou path "nothing-*.csv"'
run_case "a list naming a missing file" 1 err "hukou-9.csv.gz" \
    "split_into hukou.csv.gz 2 hukou hukou; $prep"'; set_ini hukou path "hukou-*.csv.gz, hukou-9.csv.gz"'
run_case "a list naming one file twice" 1 err "twice" \
    "split_into hukou.csv.gz 2 hukou hukou; $prep"'; set_ini hukou path "hukou-001.csv.gz, hukou-*.csv.gz"'

# The lines of a dataset's files add up to its total line, and each is accounted for.
d=$tmp/split
cp -r "$demo" "$d"
(cd "$d" && split_into hukou.csv.gz 3 hukou hukou && split_into member.csv 2 member member)
"$xcheck" run -q -c "$d/xcheck.ini" -o "$d/out" >/dev/null 2>&1
[ $? = 4 ] && ok || bad "split demo: exit status"
flags_of "$d/out" | cmp -s - "$tmp/want" && ok || bad "split demo: flags"
for ds in hukou member; do
    n=$(awk -F, -v ds=$ds '$1 == ds && $NF == "source"' "$d/out/accounting.csv" | wc -l)
    want_n=$([ $ds = hukou ] && echo 3 || echo 2)
    [ "$n" = "$want_n" ] && ok || bad "split demo: $ds has $n source lines"
    awk -F, -v ds=$ds '
        NR == 1 { for (i = 1; i <= NF; i++) at[$i] = NF - i; next }
        $1 != ds { next }
        { for (k in at) if (k != "dataset" && k != "evaluated" && k != "source" && k != "level")
              v[$NF, k] += $(NF - at[k]) }
        END { for (k in at) if (("dataset", k) in v && v["dataset", k] != v["source", k]) {
                  print ds ": " k " " v["dataset", k] " != " v["source", k]; bad = 1 }
              exit bad }' "$d/out/accounting.csv" && ok || bad "split demo: $ds lines add up"
done
grep -q '"inputs": \[{"label": "[^"]*hukou-001.csv.gz"' "$d/out/summary.json" && ok ||
    bad "split demo: summary.json lists the files"
grep -q 'hukou-003.csv.gz' "$d/out/report.html" && ok || bad "split demo: report.html lists the files"

[ "$n_cases" -ge 60 ] && ok || bad "only $n_cases cases"
echo "$n_cases cases"
summary
