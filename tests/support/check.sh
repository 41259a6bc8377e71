# check.sh - the counting and checking every shell test shares. Source it
# after setting $tmp (a scratch directory of the test); end the test with
# `summary`, which prints the counts and returns non-zero on any failure.
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect_exit CODE DESCRIPTION -- COMMAND...  (output in $tmp/out, $tmp/err)
expect_exit() {
    local want=$1 what=$2; shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    if [ "$got" = "$want" ]; then ok; else bad "$what: exit $got, wanted $want"; cat "$tmp/err"; fi
}

# expect_in FILE TEXT DESCRIPTION: TEXT somewhere in FILE (shown when not)
expect_in() {
    if grep -qF -- "$2" "$1"; then ok; else bad "$3: no '$2' in:"; head -c 3000 "$1"; echo; fi
}

summary() {
    echo "$pass passed, $fail failed"
    [ "$fail" = 0 ]
}
