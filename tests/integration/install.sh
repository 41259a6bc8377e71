#!/usr/bin/env bash
# install.sh - `meson install` puts the program and the shipped profiles in
# place (staged with DESTDIR), and the installed program reads the profiles
# and the messages' translations installed beside it, not the source tree's
# or the build directory's.
# Usage: install.sh BUILD_DIR
set -u
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tests/support/check.sh
. "$(dirname "$0")/../support/check.sh"

meson install -C "$build" --destdir "$tmp/stage" --no-rebuild --quiet >"$tmp/log" 2>&1 && ok ||
    { bad "meson install failed"; cat "$tmp/log"; }
bin=$(find "$tmp/stage" -path '*/bin/xcheck' -type f | head -1)
[ -n "$bin" ] && [ -x "$bin" ] && ok || bad "no program installed"
rules=$(find "$tmp/stage" -path '*/share/xcheck/rules' -type d | head -1)
for p in default yunnan anhui-city shandong chengdu; do
    [ -f "$rules/$p.profile" ] && ok || bad "profile $p not installed"
done
# 2026-12-02: the installed program read the profiles of the build
# machine's source tree. Changed where it is installed, the change shows.
sed -i 's/^\(; \)\{0,1\}\(exit_months *= *\)[0-9]*.*/\29/' "$rules/yunnan.profile"
env -u XCHECK_RULES_DIR "$bin" rules -p yunnan >"$tmp/out" 2>&1
grep -q '\[income\] exit_months *= 9$' "$tmp/out" && ok ||
    { bad "the installed program did not read its installed profiles"; head -5 "$tmp/out"; }
XCHECK_RULES_DIR="$rules/../nowhere" "$bin" rules -p yunnan >"$tmp/out" 2>&1
grep -q 'nowhere' "$tmp/out" && ok || bad "XCHECK_RULES_DIR is not the first place looked at"
# the translations: installed, and read from there (a changed message shows)
mo=$(find "$tmp/stage" -path '*/zh_CN/LC_MESSAGES/xcheck.mo' -type f | head -1)
[ -n "$mo" ] && ok || bad "no zh_CN catalogue installed"
if [ -n "$mo" ]; then
    msgunfmt "$mo" >"$tmp/zh.po" && ok || bad "msgunfmt $mo"
    python3 - "$tmp/zh.po" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding='utf-8').read()
# the line of the version command in the main help: a text of our own
s = re.sub(r'(msgid "show the version"\nmsgstr )"[^"]*"', r'\1"INSTALLED-CATALOGUE"', s)
open(p, 'w', encoding='utf-8').write(s)
PY
    msgfmt -o "$mo" "$tmp/zh.po" && ok || bad "msgfmt"
    env -u LC_ALL -u LC_MESSAGES -u LANG -u LANGUAGE "$bin" --help >"$tmp/out" 2>&1
    grep -q 'INSTALLED-CATALOGUE' "$tmp/out" && ok ||
        { bad "the installed program did not read its installed translations"; head -30 "$tmp/out"; }
fi
summary
