#!/usr/bin/env bash
# i18n.sh - the language of the messages: every marked message has a
# translation whose formats match its own; Chinese under a Chinese locale
# (installed or not) and when no locale is set; English under C, C.UTF-8
# and en_*, for the help, the errors, the console of check, id, rules and
# run, and the reasons of rejected rows; the output files meant for the
# report the same whatever the language.
# Usage: i18n.sh XCHECK SOURCE_ROOT
set -u
xcheck=$1
root=$2
po=$root/engine/cli/po
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/support/check.sh
. "$(dirname "$0")/../support/check.sh"

# --- the catalogue: complete, formats matching, POTFILES complete ----------
# The keywords are those of engine/cli/po/meson.build.
keywords=()
while read -r k; do keywords+=("$k"); done < <(grep -o "'--\(keyword\|flag\)=[^']*'" \
    "$po/meson.build" | tr -d "'")
if (cd "$root" && xgettext --from-code=UTF-8 "${keywords[@]}" -f "$po/POTFILES" \
        -o "$tmp/xcheck.pot") 2>"$tmp/err"; then ok; else bad "xgettext failed"; cat "$tmp/err"; fi
if msgcmp "$po/zh_CN.po" "$tmp/xcheck.pot" 2>"$tmp/err"; then ok
else bad "zh_CN.po lacks translations of messages in the sources"; head -40 "$tmp/err"; fi
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po/zh_CN.po" | grep -c '^msgid' || true)
[ "$fuzzy" = 0 ] && ok || bad "zh_CN.po: $fuzzy fuzzy entries"
untranslated=$(msgattrib --untranslated --no-obsolete "$po/zh_CN.po" | grep -c '^msgid' || true)
[ "$untranslated" -le 1 ] && ok || bad "zh_CN.po: $((untranslated - 1)) untranslated entries"
if msgfmt -c -o /dev/null "$po/zh_CN.po" 2>"$tmp/err"; then ok
else bad "msgfmt -c zh_CN.po"; head -20 "$tmp/err"; fi
# every source that marks a message is read by xgettext
(cd "$root" && grep -rlE '\b(N?_|xc_err_(set|detail|hint)|usage_error)\(' \
    engine connectors rules --include='*.c') | sort >"$tmp/marked"
sort "$po/POTFILES" >"$tmp/listed"
missing=$(comm -23 "$tmp/marked" "$tmp/listed")
[ -z "$missing" ] && ok || bad "POTFILES leaves out: $missing"

# --- the language chosen ------------------------------------------------------
# only_env VAR=VALUE... -- COMMAND: COMMAND with no locale but those given
only_env() {
    local vars=()
    while [ "$1" != "--" ]; do vars+=("$1"); shift; done
    shift
    env -u LC_ALL -u LC_MESSAGES -u LANG -u LANGUAGE "${vars[@]}" "$@"
}
zh_usage=$(msggrep -K -F -e "xcheck cross-checks" "$po/zh_CN.po" | sed -n '/^msgstr/,$p' |
    grep -o '用法[^\\"]*' | head -1)
[ -n "$zh_usage" ] && ok || bad "no 用法 in the main help's translation"
for lang in "" "LANG=zh_CN.UTF-8" "LC_ALL=zh_CN.UTF-8" "LC_MESSAGES=zh_CN" "LANG=C LC_ALL=zh_CN.GB18030"; do
    # shellcheck disable=SC2086
    expect_exit 0 "--help ($lang)" -- only_env $lang -- "$xcheck" --help
    expect_in "$tmp/out" "$zh_usage" "--help in Chinese (${lang:-no locale})"
    if grep -q "Usage:" "$tmp/out"; then bad "English left in --help (${lang:-no locale})"; else ok; fi
    # shellcheck disable=SC2086
    expect_exit 2 "a usage error ($lang)" -- only_env $lang -- "$xcheck" frobnicate
    if grep -q "unknown command" "$tmp/err"; then bad "usage error in English ($lang)"; cat "$tmp/err"
    else ok; fi
    expect_in "$tmp/err" "frobnicate" "usage error names the command ($lang)"
    # shellcheck disable=SC2086
    expect_exit 1 "a missing configuration ($lang)" -- only_env $lang -- "$xcheck" run \
        -c "$tmp/none.ini" -o "$tmp/o"
    if grep -q "xcheck: error:" "$tmp/err"; then bad "error in English ($lang)"; cat "$tmp/err"
    else ok; fi
    expect_in "$tmp/err" "none.ini" "error names the file ($lang)"
done
for lang in "LANG=C" "LANG=C.UTF-8" "LANG=en_US.UTF-8" "LANG=zh_CN.UTF-8 LC_ALL=C" \
            "LANG=zh_CN.UTF-8 LC_MESSAGES=POSIX" "LANGUAGE=en"; do
    # shellcheck disable=SC2086
    expect_exit 0 "--help ($lang)" -- only_env $lang -- "$xcheck" --help
    expect_in "$tmp/out" "Usage:" "--help in English ($lang)"
    # shellcheck disable=SC2086
    expect_exit 1 "a missing configuration ($lang)" -- only_env $lang -- "$xcheck" run \
        -c "$tmp/none.ini" -o "$tmp/o"
    expect_in "$tmp/err" "xcheck: error:" "error in English ($lang)"
done

# --- the console lines, xcheck id and the reasons of rejected rows -----------
# lacks FILE TEXT... -- DESCRIPTION: none of the TEXTs in FILE
lacks() {
    local f=$1 t found=
    shift
    while [ "$1" != "--" ]; do
        grep -qF -- "$1" "$f" && found="$found '$1'"
        shift
    done
    [ -z "$found" ] && ok || bad "$2:$found in $f"
}
demo=$root/fixtures/demo
for lang in "" "LANG=zh_CN.UTF-8"; do
    # shellcheck disable=SC2086
    expect_exit 0 "check ($lang)" -- only_env $lang -- "$xcheck" check -c "$demo/xcheck.ini"
    expect_in "$tmp/out" "将评估的规则：" "check in Chinese (${lang:-no locale})"
    expect_in "$tmp/out" "  样本：读取 17 行，拒收 1 行" "check's sample in Chinese (${lang:-no locale})"
    expect_in "$tmp/out" "'2024-13-01' 不是预期格式的日期" \
        "check's reasons of rejects in Chinese (${lang:-no locale})"
    expect_in "$tmp/out" "✓ 配置可以运行" "check's verdict in Chinese (${lang:-no locale})"
    lacks "$tmp/out" "rules that will be evaluated" "  file: " "  sample: " "is not a date" \
        "can run" -- "English left in check (${lang:-no locale})"
    # shellcheck disable=SC2086
    expect_exit 3 "id ($lang)" -- only_env $lang -- "$xcheck" id --header --as-of 2026-06-30 \
        11010519491231002Y 110105491231002
    [ "$(head -1 "$tmp/out")" = $'结论\t原因\t规范号码\t脱敏号码\t出生日期\t性别\t地区' ] && ok ||
        bad "id's header in Chinese (${lang:-no locale}): $(head -1 "$tmp/out")"
    expect_in "$tmp/out" $'invalid\t含非法字符\t' "id's reason in Chinese (${lang:-no locale})"
    expect_in "$tmp/out" $'warning\t15位旧号码，已升级为18位\t11010519491231002X' \
        "id's warning in Chinese (${lang:-no locale})"
    lacks "$tmp/out" "verdict" "invalid character" "old 15-digit" -- \
        "English left in id (${lang:-no locale})"
    # shellcheck disable=SC2086
    expect_exit 0 "rules ($lang)" -- only_env $lang -- "$xcheck" rules -p chengdu
    expect_in "$tmp/out" "政策参数：chengdu" "rules in Chinese (${lang:-no locale})"
    expect_in "$tmp/out" "  （默认）" "rules' defaults in Chinese (${lang:-no locale})"
    lacks "$tmp/out" "parameters of profile" "(default)" -- "English left in rules (${lang:-no locale})"
done
for lang in "LANG=C" "LANG=C.UTF-8" "LANG=en_US.UTF-8"; do
    # shellcheck disable=SC2086
    expect_exit 0 "check ($lang)" -- only_env $lang -- "$xcheck" check -c "$demo/xcheck.ini"
    expect_in "$tmp/out" "rules that will be evaluated:" "check in English ($lang)"
    expect_in "$tmp/out" "  sample: 17 rows read, 1 rejected" "check's sample in English ($lang)"
    expect_in "$tmp/out" "'2024-13-01' is not a date in the expected format" \
        "check's reasons of rejects in English ($lang)"
    expect_in "$tmp/out" "✓ the configuration can run" "check's verdict in English ($lang)"
    lacks "$tmp/out" "将评估" "样本：" "文件：" "不是预期格式" "可以运行" -- "Chinese left in check ($lang)"
    # shellcheck disable=SC2086
    expect_exit 3 "id ($lang)" -- only_env $lang -- "$xcheck" id --header --as-of 2026-06-30 \
        11010519491231002Y 110105491231002
    [ "$(head -1 "$tmp/out")" = $'verdict\treason\tnormalised\tmasked\tbirth date\tsex\tregion' ] &&
        ok || bad "id's header in English ($lang): $(head -1 "$tmp/out")"
    expect_in "$tmp/out" $'invalid\tinvalid character\t' "id's reason in English ($lang)"
    expect_in "$tmp/out" $'warning\told 15-digit number, upgraded to 18 digits\t11010519491231002X' \
        "id's warning in English ($lang)"
    lacks "$tmp/out" "结论" "含非法字符" "15位旧号码" -- "Chinese left in id ($lang)"
    # shellcheck disable=SC2086
    expect_exit 0 "rules ($lang)" -- only_env $lang -- "$xcheck" rules -p chengdu
    expect_in "$tmp/out" "parameters of profile chengdu" "rules in English ($lang)"
    lacks "$tmp/out" "政策参数" "（默认）" -- "Chinese left in rules ($lang)"
done

# --- the outputs do not depend on the language --------------------------------
only_env LANG=C -- "$xcheck" run -c "$root/fixtures/demo/xcheck.ini" -o "$tmp/en" \
    >"$tmp/en.out" 2>&1
en=$?
only_env -- "$xcheck" run -c "$root/fixtures/demo/xcheck.ini" -o "$tmp/zh" >"$tmp/zh.out" 2>&1
zh=$?
[ "$en" = "$zh" ] && ok || bad "exit $en in English, $zh in Chinese"
for f in flags.csv households.csv rates.csv payments.csv rules.csv evidence.jsonl; do
    if cmp -s "$tmp/en/$f" "$tmp/zh/$f"; then ok; else bad "$f differs between English and Chinese"; fi
done
# The reasons of rejected rows follow the language of the messages, in the
# rejects files too; the rest of those files does not.
for f in "$tmp"/en/rejects/*.csv; do
    g=$tmp/zh/rejects/${f##*/}
    if cmp -s <(cut -d, -f1-3 "$f") <(cut -d, -f1-3 "$g"); then ok
    else bad "rejects/${f##*/}: other rows in English and Chinese"; fi
done
expect_in "$tmp/zh/rejects/hukou.csv" ",id_no,身份证号无效：位数不是15或18位," "a reason of a reject in Chinese"
expect_in "$tmp/en/rejects/hukou.csv" ",id_no,bad ID number: wrong length (not 15 or 18)," \
    "a reason of a reject in English"
lacks "$tmp/zh/rejects/hukou.csv" "bad ID number" "wrong length" -- "English left in a Chinese reject"
lacks "$tmp/en/rejects/hukou.csv" "身份证号无效" "位数不是" -- "Chinese left in an English reject"
# the run's summary and progress on the console
expect_in "$tmp/zh.out" "在档户数：10" "the run's summary in Chinese"
expect_in "$tmp/zh.out" "xcheck: 扫描数据" "the run's progress in Chinese"
lacks "$tmp/zh.out" "households in archive" "legacy IDs upgraded" "scanning the data" "rows in " -- \
    "English left in the run's console"
expect_in "$tmp/en.out" "households in archive: 10" "the run's summary in English"
expect_in "$tmp/en.out" "xcheck: scanning the data" "the run's progress in English"
lacks "$tmp/en.out" "在档户数" "15位身份证号已升级" "扫描数据" "行，用时" -- \
    "Chinese left in the run's console"
summary
