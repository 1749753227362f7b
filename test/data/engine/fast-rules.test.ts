// The import's single pass (cell-rules.ts fastExpr) proves numbers strict by cheap tests that rely
// on what DuckDB's casts accept; the failure path (diagExpr) applies the rules as written. Both
// must give every cell the same verdict, or a valid file fails, or an invalid one passes. Checked
// here on many random texts and on the byte facts of validate.ts's pre-scan (tricky files).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ANY_BYTES, diagExpr, fastExpr, FAST_INVALID, typedCast, type ByteFacts } from '../../../src/data/engine/cell-rules.ts';
import { validateToParquet } from '../../../src/data/engine/index.ts';
import type { FieldType, ParsedSchema } from '../../../src/data/schema/schema-model.ts';
import { field, interactionsSchema, itemsSchema, parquetRows, query, tempDir } from './helpers.ts';
import { csv, INTERACTIONS_HEADER_WITH_VALUE } from '../../testkit/rows.ts';

const t = tempDir('fast-rules');
after(() => t.remove());

/** Deterministic texts: every character of `alphabet`, 1 to 8 of them (mulberry32 PRNG). */
function randomTexts(n: number, alphabet: string[], seed: number): string[] {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: n }, () => {
    const len = 1 + Math.floor(next() * 8);
    let s = '';
    for (let i = 0; i < len; i++) s += alphabet[Math.floor(next() * alphabet.length)];
    return s;
  });
}

const EDGE_CASES = [
  ...['0', '7', '+5', '-5', '007', '-0', '1.5', '1.0', '2.', '.5', '.', '1e3', '1E+3', '1e-3', '-.5e2', '+-1', '-+1', '--1'],
  ...[' 12', '12 ', '\t12', '12\t', '12\r', '1\n', '1_000', '0x10', '0b101', 'nan', 'NaN', 'inf', '-inf', 'Infinity', 'e5'],
  ...['9223372036854775807', '9223372036854775808', '-9223372036854775808', '2147483647', '2147483648', '-2147483649'],
  ...['1e38', '3.5e38', '1e39', '1e308', '1e309', '1e-50', '1e-400', '0.1', '19.99', '100000000', '123456789012345678901'],
  ...['1\0', '\0' + '1', '1\0' + '5', '1.5\0'],
];
const DIGITS = '0123456789'.split('');
const ALL = [...DIGITS, ...DIGITS, '.', '.', 'e', 'E', '+', '-', '_', 'x', 'b', 'n', 'a', 'i', 'f', ' ', '\t', '\v', '\f', '\r', '\n'];
const NO_SPACE = ALL.filter((c) => !/\s/.test(c));

function schemaWith(type: FieldType, name: string, datasetType: ParsedSchema['datasetType']): ParsedSchema {
  return { recordName: 'X', datasetType, fields: [field(name, type, { nullable: true })] };
}

/**
 * For every text: fastExpr (its error() made a marker) against diagExpr in the same mode. Returns
 * the texts where they disagree. `strict`: a needed value (an interactions TIMESTAMP, or a record);
 * else a lenient metadata field, whose unreadable values become NULL.
 */
async function disagreements(type: FieldType, strict: boolean, texts: string[], bytes: ByteFacts): Promise<string[]> {
  const schema = strict ? schemaWith(type, 'TIMESTAMP', 'INTERACTIONS') : schemaWith(type, 'PRICE', 'ITEMS');
  const f = schema.fields[0];
  const typed = typedCast(f, 's')!;
  const fast = fastExpr(f, 's', schema, 'bulk', { typed: 'v', bytes, nullsAfter: true }).replaceAll(`error('${FAST_INVALID}')`, 'NULL');
  const diag = diagExpr(f, 's', schema, 'record'); // every rule, whatever the column
  const path = t.path(`texts-${type}-${strict}.json`);
  t.write(`texts-${type}-${strict}.json`, texts.map((s) => JSON.stringify({ s })).join('\n'));
  const bad = await query(
    t.engine,
    `SELECT s, fast, diag FROM (
       SELECT s, ${fast} AS fast, ${diag} AS diag, v
       FROM (SELECT s, ${typed} AS v FROM read_json('${path}', format = 'newline_delimited', columns = {'s': 'VARCHAR'})))
     WHERE CASE WHEN diag IS NULL THEN fast IS DISTINCT FROM v ELSE fast IS NOT NULL END`,
  );
  return bad.map((r) => `${JSON.stringify(r.s)} fast=${String(r.fast)} diag=${String(r.diag)}`);
}

for (const type of ['int', 'long', 'float', 'double'] as const) {
  test(`${type}: the fast checks accept exactly the texts the rules accept`, async () => {
    const texts = [...EDGE_CASES, ...randomTexts(60_000, ALL, type.length * 7919)];
    for (const strict of [true, false]) {
      assert.deepEqual(await disagreements(type, strict, texts, ANY_BYTES), [], `strict=${strict}`);
    }
    // The pre-scan found no whitespace, quote, NUL or keyword: those tests are left out.
    const plain = [...EDGE_CASES.filter((s) => !/\s/.test(s)), ...randomTexts(30_000, NO_SPACE, 17)];
    const none: ByteFacts = { nul: false, keywords: false, quote: false, spaces: [] };
    assert.deepEqual(await disagreements(type, true, plain, none), []);
  });
}

test('numbers followed by a tab: a needed value fails, a metadata value is stored as null', async () => {
  const rows = Array.from({ length: 1200 }, (_, i) => `u${i},i${i},${1_700_000_000 + i},click,${i % 3 === 0 ? '2.5\t' : '4'}`);
  const ok = t.write('tab-value.csv', csv(INTERACTIONS_HEADER_WITH_VALUE, rows));
  const r = await validateToParquet({ schema: interactionsSchema, sources: [ok], outputPath: t.path('tab.parquet'), engine: t.engine });
  if (!r.ok) assert.fail(r.failureReason);
  const stored = await parquetRows(t.engine, t.path('tab.parquet'));
  assert.equal(stored[0].EVENT_VALUE, null);
  assert.equal(stored[1].EVENT_VALUE, 4);

  rows[700] = `u700,i700,1700000700\t,click,1`;
  const bad = t.write('tab-timestamp.csv', csv(INTERACTIONS_HEADER_WITH_VALUE, rows));
  const b = await validateToParquet({ schema: interactionsSchema, sources: [bad], outputPath: t.path('tab2.parquet'), engine: t.engine });
  assert.equal(b.ok, false);
  if (b.ok) return;
  assert.equal(b.badRows, 1);
  assert.deepEqual([b.errors[0].line, b.errors[0].column, b.errors[0].code], [702, 'TIMESTAMP', 'not_integer']);
});

test('a reserved keyword across the pre-scan’s 4 MB chunk boundary is still found', async () => {
  const head = `${INTERACTIONS_HEADER_WITH_VALUE}\n`;
  const row = (i: number) => `user_${String(i).padStart(7, '0')},item_1,${1_700_000_000 + i},click,1\n`;
  const lines: string[] = [];
  // Rows up to 5 bytes before the boundary, the last one padded to end there exactly: the next
  // line's USER_ID straddles the boundary.
  const start = (4 << 20) - 5;
  let size = head.length;
  for (let i = 0; size + 2 * row(i).length <= start; i++) {
    lines.push(row(i));
    size += row(i).length;
  }
  lines.push(`u${'x'.repeat(start - size - 28)},item_1,1700000000,click,1\n`);
  assert.equal(size + lines[lines.length - 1].length, start);
  lines.push(`IMPRESSION,item_1,1700000000,click,1\n`);
  for (let i = 0; i < 2000; i++) lines.push(row(i));
  const s = t.write('boundary.csv', head + lines.join(''));
  const r = await validateToParquet({ schema: interactionsSchema, sources: [s], outputPath: t.path('b.parquet'), engine: t.engine });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual([r.errors[0].line, r.errors[0].column, r.errors[0].code], [lines.length - 2000 + 1, 'USER_ID', 'reserved_keyword']);
});

test('an empty required cell is found after the pass (Parquet null counts) with its line', async () => {
  const rows = Array.from({ length: 30 }, (_, i) => `i${i},g,"d",1.5,${i},${1_600_000_000 + i},true`);
  rows[29] = `i29,g,"d",1.5,29,,true`; // CREATION_TIMESTAMP of Items is metadata: stored as null
  rows[12] = `,g,"d",1.5,12,1600000012,true`;
  const s = t.write('empty-id.csv', csv('ITEM_ID,GENRES,DESCRIPTION,PRICE,STOCK,CREATION_TIMESTAMP,ADULT', rows));
  const r = await validateToParquet({ schema: itemsSchema, sources: [s], outputPath: t.path('e.parquet'), engine: t.engine });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.badRows, 1);
  assert.deepEqual([r.errors[0].line, r.errors[0].column, r.errors[0].code], [14, 'ITEM_ID', 'required']);
});

/** An interactions file of more than 4 MB (the pre-scan's first chunk) plus `tail` lines. */
function bigInteractions(tail: string[]): string {
  const rows = Array.from({ length: 120_000 }, (_, i) => `user_${i},item_${i % 977},${1_700_000_000 + i},click,1`);
  return csv(INTERACTIONS_HEADER_WITH_VALUE, [...rows, ...tail]);
}

test('bytes only after the first 4 MB: a backslash escape is applied, a NUL is refused with its line', async () => {
  const body = bigInteractions(['"u \\"q\\" x",i1,1700000000,click,2']);
  assert.ok(body.indexOf('\\') > 4 << 20);
  const esc = t.write('late-escape.csv', body);
  const r = await validateToParquet({ schema: interactionsSchema, sources: [esc], outputPath: t.path('late.parquet'), engine: t.engine });
  if (!r.ok) assert.fail(r.failureReason);
  const [last] = await query(t.engine, `SELECT USER_ID FROM read_parquet('${t.path('late.parquet')}') WHERE EVENT_VALUE = 2`);
  assert.equal(last.USER_ID, 'u "q" x');

  const nul = t.write('late-nul.csv', bigInteractions(['u1,i1,1700000000,click,1', 'u\0,i1,1700000000,click,1']));
  const n = await validateToParquet({ schema: interactionsSchema, sources: [nul], outputPath: t.path('nul.parquet'), engine: t.engine });
  assert.equal(n.ok, false);
  if (n.ok) return;
  assert.deepEqual([n.badRows, n.errors[0].line, n.errors[0].column, n.errors[0].code], [1, 120_003, 'USER_ID', 'nul_character']);
});

test('with 2 threads the part keeps the rows in file order (a join in the plan, as of an IN list, would not)', async () => {
  const rows = Array.from({ length: 400_000 }, (_, i) => `user_${i % 5003},item_${i % 977},${1_700_000_000 + i},click,1`);
  // A keyword where a number belongs (stored as null) brings the keyword checks into the pass.
  rows[7] = `user_7,item_7,1700000007,click,IMPRESSION`;
  const s = t.write('order.csv', csv(INTERACTIONS_HEADER_WITH_VALUE, rows));
  const engine = { ...t.engine, threads: 2 };
  const r = await validateToParquet({ schema: interactionsSchema, sources: [s], outputPath: t.path('order.parquet'), engine });
  if (!r.ok) assert.fail(r.failureReason);
  const [o] = await query(
    engine,
    `SELECT count(*) FILTER (WHERE "TIMESTAMP" <> 1700000000 + file_row_number) AS moved
     FROM read_parquet('${t.path('order.parquet')}', file_row_number = true)`,
  );
  assert.equal(Number(o.moved), 0);
});
