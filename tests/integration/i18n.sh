#!/usr/bin/env bash
# i18n.sh - the language of the messages: every marked message has a
# translation whose formats match its own; Chinese under a Chinese locale
# (installed or not) and when no locale is set; English under C, C.UTF-8
# and en_*; the output files the same whatever the language.
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

# --- the outputs do not depend on the language --------------------------------
only_env LANG=C -- "$xcheck" run -c "$root/fixtures/demo/xcheck.ini" -o "$tmp/en" \
    >/dev/null 2>&1
en=$?
only_env -- "$xcheck" run -c "$root/fixtures/demo/xcheck.ini" -o "$tmp/zh" >"$tmp/zh.out" 2>&1
zh=$?
[ "$en" = "$zh" ] && ok || bad "exit $en in English, $zh in Chinese"
for f in flags.csv households.csv rates.csv payments.csv rules.csv evidence.jsonl; do
    if cmp -s "$tmp/en/$f" "$tmp/zh/$f"; then ok; else bad "$f differs between English and Chinese"; fi
done
summary
