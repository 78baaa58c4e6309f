// sums.mjs FILE KIND — the DuckDB peer of `accord import` in bench/run.sh.
//
// Opens an in-memory DuckDB, reads FILE with read_csv (the column names and
// types of bench/sql/KIND.columns, the header checked against it), and runs
// bench/sql/KIND.sql: the same sums Accord's importer computes for that kind
// (by provider, commissioner or ICB, region, England and month), the same
// query PostgreSQL runs in bench/pg_copy.sh. It prints one JSON line: rows
// read, groups, the England sums (to check against Accord's) and the
// milliseconds taken inside the process.
//
// KIND is rtt or ae. DUCKDB_THREADS sets DuckDB's threads (default: all cores).

import { readFileSync, openSync, readSync, closeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const started = performance.now();
const here = dirname(fileURLToPath(import.meta.url));
const sqlDir = join(here, '..', 'sql');
const refDir = join(here, '..', '..', 'reference', 'data');

const [file, kind] = process.argv.slice(2);
if (!file || !['rtt', 'ae'].includes(kind)) {
  console.error('usage: node sums.mjs FILE rtt|ae');
  process.exit(2);
}

// columns reads bench/sql/KIND.columns: short name, type, published header.
function columns(kind) {
  return readFileSync(join(sqlDir, `${kind}.columns`), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [name, type, header] = l.split('\t');
      return { name, type, header };
    });
}

// firstLine reads the header without reading the file.
function firstLine(path) {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    let text = buf.subarray(0, n).toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text.split(/\r?\n/, 1)[0];
  } finally {
    closeSync(fd);
  }
}

const quote = (s) => `'${s.replaceAll("'", "''")}'`;

const cols = columns(kind);
const header = firstLine(file).split(',').map((h) => h.trim());
const expected = cols.map((c) => c.header);
if (header.join('\u0000') !== expected.join('\u0000')) {
  console.error(`${file}: the header is not the ${kind} layout of bench/sql/${kind}.columns`);
  process.exit(2);
}

const instance = await DuckDBInstance.create(':memory:', process.env.DUCKDB_THREADS ? { threads: process.env.DUCKDB_THREADS } : {});
const db = await instance.connect();

// The reference tables the query joins, as small as the query needs them.
const ref = (name) => quote(join(refDir, name));
await db.run(`CREATE TABLE icb_region AS
  SELECT icb_ods_code AS icb, nhs_region_ods_code AS region
  FROM read_csv(${ref('icbs_england.csv')}, header = true, all_varchar = true)`);
if (kind === 'ae') {
  await db.run(`CREATE TABLE ae_attribution AS
    SELECT DISTINCT upper(trim("Code")) AS code, upper(trim("ICB Code")) AS icb
    FROM read_csv(${ref('ae_provider_to_icb_mapping_mar2024.csv')}, header = true, all_varchar = true)`);
  await db.run(`CREATE TABLE trust_icb AS
    SELECT DISTINCT "Organisation Code" AS code, "Higher Level Health Geography" AS icb
    FROM read_csv(${ref('ods_nhs_trusts_etr.csv')}, header = true, all_varchar = true)`);
}

// The file itself, read as it is queried: no table is loaded first.
const struct = cols.map((c) => `${quote(c.name)}: ${quote(c.type.toUpperCase())}`).join(', ');
await db.run(`CREATE VIEW src AS SELECT * FROM read_csv(${quote(resolve(file))},
  header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = {${struct}})`);

const reader = await db.runAndReadAll(readFileSync(join(sqlDir, `${kind}.sql`), 'utf8'));
const rows = reader.getRowObjectsJS();

const england = rows.filter((r) => r.level === 'england');
const total = (key) => england.reduce((s, r) => s + Number(r[key] ?? 0), 0);
const result = {
  engine: 'duckdb',
  version: (await db.runAndReadAll('SELECT version() AS v')).getRowObjectsJS()[0].v,
  kind,
  rows: total('rows_read'),
  groups: rows.length,
  england:
    kind === 'rtt'
      ? { waiting_list: total('waiting_list'), over_52w: total('over_52w') }
      : { attendances: total('attendances'), over_4h: total('over_4h') },
  ms: Math.round(performance.now() - started),
};
console.log(JSON.stringify(result));
db.closeSync?.();
