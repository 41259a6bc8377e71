// duckdb-run.mjs - runs duckdb-peer.sql in an in-memory DuckDB (the
// benchmark's DuckDB peer; tests/bench/duckdb.sh installs @duckdb/node-api
// and calls it):
//
//   NODE_PATH=<dir>/node_modules node duckdb-run.mjs SQL DIR AS_OF OUT.csv
//
// Sets the variables data_dir (DIR, the gzip CSV files of an xcgen slice)
// and as_of, runs SQL's statements one by one with two threads, and writes
// the result of the last one as CSV with a header to OUT.csv (NULL as an
// empty field). With DUCKDB_PEER_TIMES set, prints each statement's
// seconds to stderr.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [sqlFile, dir, asOf, out] = process.argv.slice(2);
if (!out) {
    console.error('usage: node duckdb-run.mjs SQL DIR AS_OF OUT.csv');
    process.exit(2);
}
// @duckdb/node-api lives in the bench's cache, not in the checkout: found
// through NODE_PATH, which import does not read.
const require = createRequire(join(process.env.NODE_PATH || '.', 'x.js'));
const { DuckDBInstance } = require('@duckdb/node-api');

const quote = (s) => "'" + s.replaceAll("'", "''") + "'";
const field = (v) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
};

const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await db.connect();
await con.run(`SET VARIABLE data_dir = ${quote(dir)}`);
await con.run(`SET VARIABLE as_of = ${quote(asOf)}`);
const statements = await con.extractStatements(readFileSync(sqlFile, 'utf8'));
let last = null;
for (let i = 0; i < statements.count; i++) {
    const t0 = performance.now();
    try {
        last = await (await statements.prepare(i)).runAndReadAll();
    } catch (e) {
        console.error(`duckdb-run: ${sqlFile}, statement ${i + 1} of ${statements.count}: ${e.message}`);
        process.exit(1);
    }
    if (process.env.DUCKDB_PEER_TIMES)
        console.error(`statement ${i + 1}: ${((performance.now() - t0) / 1000).toFixed(2)} s`);
}
if (!last) {
    console.error(`duckdb-run: ${sqlFile} has no statement`);
    process.exit(1);
}
const lines = [last.columnNames().map(field).join(',')];
for (const row of last.getRowsJS())
    lines.push(row.map(field).join(','));
writeFileSync(out, lines.join('\n') + '\n');
