#!/usr/bin/env bash
# duckdb.sh - the benchmark's DuckDB peer: peer.sql's rules in DuckDB SQL
# (tests/bench/duckdb-peer.sql) over the gzip CSV files of an xcgen slice,
# read where they are, by an in-memory DuckDB with two threads:
#
#   tests/bench/duckdb.sh DIR OUT.csv [--as-of DATE]
#   tests/bench/duckdb.sh --version
#
# Writes the flags to OUT.csv as peer.sql does
# (rule,category,archive_no,masked_id,condition_from,condition_to, with a
# header). as_of defaults to that of DIR/xcheck.ini. --version prints the
# versions of DuckDB and of @duckdb/node-api (installing them first).
#
# DuckDB comes from npm (@duckdb/node-api $DUCKDB_NODE_API, default below),
# installed once into a cache directory and used again from there:
# $DUCKDB_CACHE, by default $XDG_CACHE_HOME/xcheck-bench (~/.cache/...). It
# is never a build or test dependency and never goes into the checkout.
# Without node or npm, or when the registry cannot be reached, it says so
# and exits 2: the benchmark then has no DuckDB figure, never a made-up one.
# Other failures exit 1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=${DUCKDB_NODE_API:-1.5.6-r.1}
usage() { echo "usage: duckdb.sh DIR OUT.csv [--as-of DATE] | --version" >&2; exit 1; }
[ $# -ge 1 ] || usage
if [ "$1" = --version ]; then
    [ $# = 1 ] || usage
    dir="" out=""
else
    [ $# -ge 2 ] || usage
    dir=$1 out=$2 as_of=""
    shift 2
    while [ $# -gt 0 ]; do
        case $1 in
        --as-of) [ $# -ge 2 ] || usage; as_of=$2; shift 2 ;;
        *) usage ;;
        esac
    done
    [ -d "$dir" ] || { echo "duckdb.sh: $dir is no directory" >&2; exit 1; }
    if [ -z "$as_of" ]; then
        as_of=$(sed -n 's/^as_of *= *//p' "$dir/xcheck.ini" 2>/dev/null | head -n 1)
        [ -n "$as_of" ] ||
            { echo "duckdb.sh: no --as-of and no as_of in $dir/xcheck.ini" >&2; exit 1; }
    fi
    dir=$(cd "$dir" && pwd)
fi

cache=${DUCKDB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xcheck-bench}/duckdb-node-api-$version
if [ ! -f "$cache/node_modules/@duckdb/node-api/package.json" ]; then
    for tool in node npm; do
        command -v "$tool" >/dev/null ||
            { echo "duckdb.sh: $tool is not installed: DuckDB not measured" >&2; exit 2; }
    done
    mkdir -p "$(dirname "$cache")"
    tmp=$(mktemp -d "$cache.XXXXXX")
    echo "duckdb.sh: installing @duckdb/node-api@$version into $cache" >&2
    if ! npm install --prefix "$tmp" --no-save --no-package-lock --no-audit --no-fund \
            --loglevel=error "@duckdb/node-api@$version" >"$tmp.log" 2>&1; then
        echo "duckdb.sh: npm could not install @duckdb/node-api@$version (is the registry" \
             "reachable?): DuckDB not measured" >&2
        tail -n 5 "$tmp.log" >&2
        rm -rf "$tmp" "$tmp.log"
        exit 2
    fi
    rm -f "$tmp.log"
    # in place at once, or not at all: a cache is complete or absent
    if ! mv -T "$tmp" "$cache" 2>/dev/null; then rm -rf "$tmp"; fi
fi

if [ -z "$dir" ]; then
    NODE_PATH=$cache/node_modules exec node -e '
        const { DuckDBInstance } = require("@duckdb/node-api");
        const api = require("@duckdb/node-api/package.json").version;
        DuckDBInstance.create(":memory:").then((db) => db.connect())
            .then((c) => c.runAndReadAll("SELECT version()"))
            .then((r) => console.log(`DuckDB ${r.getRows()[0][0]} (@duckdb/node-api ${api})`));'
fi

# exec: the process measured (/usr/bin/time) is the one that runs DuckDB
NODE_PATH=$cache/node_modules exec node "$here/duckdb-run.mjs" "$here/duckdb-peer.sql" \
    "$dir" "$as_of" "$out"
