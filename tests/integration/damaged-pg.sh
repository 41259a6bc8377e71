#!/usr/bin/env bash
# damaged-pg.sh - damaged data from PostgreSQL, on a throwaway cluster
# holding the demo (tests/support/pg.sh, pg-load-demo.sh):
#   - dates the server holds but no calendar day is (infinity, -infinity,
#     BC, past 9999), in date and timestamp columns: each row rejected with
#     its reason and counted, never read as "no date", never failing the run;
#   - ID columns of other types (numeric, a domain) in push-down auto;
#   - the row accounting adds up in every case.
# Exits 77 when no server can be started, except under CI=true.
# Usage: damaged-pg.sh XCHECK SOURCE_ROOT
set -u
xcheck=$1
root=$2

# shellcheck source=tests/support/check.sh
. "$(dirname "$0")/../support/check.sh"
# shellcheck source=tests/support/pg.sh
. "$root/tests/support/pg.sh"
pg_start_or_skip
tmp=$PG_DIR/t
mkdir "$tmp"
q() { pg_psql -At "$@"; }
expect_exit 0 "load the demo" -- "$root/tests/support/pg-load-demo.sh" "$tmp/pg.ini"

# adds_up DIR DATASET: read = matched + unmatched + rejected in accounting.csv
# col DIR DATASET COLUMN: a count of accounting.csv, by the column's name
# (a source before it may hold commas: counted from the end)
col() {
    awk -F, -v ds="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) at[$i] = NF - i; next }
        $1 == ds { print $(NF - at[c]) }' "$1/accounting.csv"
}
adds_up() {
    local r m u j p o
    r=$(col "$1" "$2" read) m=$(col "$1" "$2" matched) u=$(col "$1" "$2" unmatched)
    j=$(col "$1" "$2" rejected) p=$(col "$1" "$2" physical_rows) o=$(col "$1" "$2" other_lines)
    [ "$r" = $((m + u + j)) ] && [ "$p" = $((r + o)) ] && ok ||
        bad "$2: the accounting does not add up: read $r, matched $m, unmatched $u, rejected $j, physical $p, other $o"
}
rejected() { col "$1" "$2" rejected; }

expect_exit 4 "the demo from PostgreSQL" -- "$xcheck" run -q -c "$tmp/pg.ini" -o "$tmp/base"
base=$(rejected "$tmp/base" hukou)
# The damaged hukou rows below are rejected with their reasons, and the run
# goes on (the limits themselves are tested in partial.sh).
sed -i '/^\[hukou\]/,/^\[/s/^max_rejects.*/max_rejects = 100%/' "$tmp/pg.ini"

# --- dates that are no calendar day -------------------------------------------------------
# 2026-12-01: infinity became "no date", a BC date lost its era, and a year
# past a timestamp's range failed the whole run (to_char through timestamp).
ids=$(q -c "SELECT gmsfhm FROM gongan.hukou_export WHERE ztbgrq IS NOT NULL ORDER BY gmsfhm LIMIT 4")
set -- $ids
q -c "UPDATE gongan.hukou_export SET ztbgrq = 'infinity' WHERE gmsfhm = '$1'" >/dev/null
q -c "UPDATE gongan.hukou_export SET ztbgrq = '-infinity' WHERE gmsfhm = '$2'" >/dev/null
q -c "UPDATE gongan.hukou_export SET ztbgrq = '0044-03-15 BC' WHERE gmsfhm = '$3'" >/dev/null
q -c "UPDATE gongan.hukou_export SET ztbgrq = '5874897-12-31' WHERE gmsfhm = '$4'" >/dev/null
expect_exit 4 "dates that are no calendar day" -- "$xcheck" run -q -c "$tmp/pg.ini" -o "$tmp/dates"
[ "$(rejected "$tmp/dates" hukou)" = $((base + 4)) ] && ok ||
    bad "four hukou rows rejected: $(rejected "$tmp/dates" hukou), wanted $((base + 4))"
for v in infinity -infinity "0044-03-15 BC" 5874897-12-31; do
    grep -F -- "$v" "$tmp/dates/rejects/hukou.csv" | grep -q "no calendar day" && ok ||
        bad "the reject of $v does not say why"
done
adds_up "$tmp/dates" hukou
# The same through a timestamp column.
q -c "CREATE TABLE gongan.hukou_ts AS SELECT gmsfhm, xm, hjdz_xzqh, rkzt,
      ztbgrq::timestamp AS ztbgrq FROM gongan.hukou_export WHERE ztbgrq IS NULL OR
      ztbgrq BETWEEN '1900-01-01' AND '2100-01-01'" >/dev/null
q -c "INSERT INTO gongan.hukou_ts SELECT gmsfhm, xm, hjdz_xzqh, rkzt, 'infinity'::timestamp
      FROM gongan.hukou_export WHERE gmsfhm = '$1'" >/dev/null
q -c "INSERT INTO gongan.hukou_ts SELECT gmsfhm, xm, hjdz_xzqh, rkzt, '294276-12-31'::timestamp
      FROM gongan.hukou_export WHERE gmsfhm = '$4'" >/dev/null
sed "s|^table = gongan.hukou_export|table = gongan.hukou_ts|" "$tmp/pg.ini" >"$tmp/ts.ini"
expect_exit 4 "timestamps that are no calendar day" -- "$xcheck" run -q -c "$tmp/ts.ini" -o "$tmp/ts"
grep -q "294276-12-31" "$tmp/ts/rejects/hukou.csv" && ok || bad "a timestamp past 9999 is not rejected"
grep -q "infinity" "$tmp/ts/rejects/hukou.csv" && ok || bad "an infinite timestamp is not rejected"
adds_up "$tmp/ts" hukou

# --- ID columns of other types, push-down auto ------------------------------------------------
# 2026-12-01: a numeric ID column broke push-down in auto with SQLSTATE 22P02.
q -c "UPDATE gongan.hukou_export SET ztbgrq = NULL WHERE ztbgrq IN ('infinity', '-infinity')
      OR ztbgrq < '0001-01-01' OR ztbgrq > '9999-12-31'" >/dev/null
q -c "CREATE TABLE gongan.hukou_num AS SELECT * FROM gongan.hukou_export
      WHERE gmsfhm ~ '^[0-9]{18}$'" >/dev/null
q -c "ALTER TABLE gongan.hukou_num ALTER gmsfhm TYPE numeric USING gmsfhm::numeric" >/dev/null
q -c "CREATE INDEX ON gongan.hukou_num (gmsfhm)" >/dev/null
# Many rows per archived person, so that auto chooses push-down.
q -c "INSERT INTO gongan.hukou_num SELECT 110101199001010000 + g, 'x', '110101', '1', NULL
      FROM generate_series(1, 20000) g" >/dev/null
q -c "ANALYZE gongan.hukou_num" >/dev/null
sed "s|^table = gongan.hukou_export|table = gongan.hukou_num|" "$tmp/pg.ini" >"$tmp/num.ini"
expect_exit 4 "a numeric ID column, push-down auto" -- "$xcheck" run -q -c "$tmp/num.ini" \
    --pushdown auto -o "$tmp/num"
grep -q '"dataset": "hukou", "configured": true[^}]*"strategy": "pushdown"' "$tmp/num/summary.json" &&
    ok || bad "auto did not push down into the numeric column"
adds_up "$tmp/num" hukou

summary
