// Files larger than the canonicalizer's 4 MB read chunk and DuckDB's parallel scan units: escapes
// and errors across chunk boundaries must still give exact values and physical line numbers.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { validateToParquet } from '../../../src/data/engine/index.ts';
import { itemsSchema, query, tempDir } from './helpers.ts';
import { csv } from '../../testkit/rows.ts';

const t = tempDir('large');
after(() => t.remove());
const ITEMS_HEADER = 'ITEM_ID,GENRES,DESCRIPTION,PRICE,STOCK,CREATION_TIMESTAMP,ADULT';
const N = 60_000;

/** ~6.5 MB of items; every 7th description uses backslash escapes, every 5th RFC doubling. */
function itemLines(): string[] {
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    const text =
      i % 7 === 0 ? `"item \\"${i}\\" with, comma and \\\\ slash"` : i % 5 === 0 ? `"item ""${i}"" quoted"` : `item ${i} ${'x'.repeat(40)}`;
    lines.push(`i${i},g${i % 13},${text},${i / 4},${i},${1600000000 + i},${i % 2 === 0}`);
  }
  return lines;
}

function expectedDescription(i: number): string {
  return i % 7 === 0 ? `item "${i}" with, comma and \\ slash` : i % 5 === 0 ? `item "${i}" quoted` : `item ${i} ${'x'.repeat(40)}`;
}

test('a 6 MB file with escapes everywhere is read exactly (CRLF)', async () => {
  const s = t.write('big.csv', csv(ITEMS_HEADER, itemLines()).replaceAll('\n', '\r\n'));
  const out = t.path('big.parquet');
  const r = await validateToParquet({ schema: itemsSchema, sources: [s], outputPath: out, engine: t.engine });
  if (!r.ok) assert.fail(r.failureReason);
  assert.equal(r.rows, N);
  const rows = await query(t.engine, `SELECT ITEM_ID, DESCRIPTION, STOCK FROM read_parquet('${out}')`);
  assert.equal(rows.length, N);
  for (let i = 0; i < N; i++) {
    if (rows[i].DESCRIPTION !== expectedDescription(i) || rows[i].STOCK !== i) {
      assert.fail(`row ${i}: ${JSON.stringify(rows[i])}`);
    }
  }
});

test('errors deep inside a large file carry their physical line', async () => {
  const lines = itemLines();
  lines[41_000] = 'i41000,g,"unclosed \\" quote,1,1,1,true';
  lines[52_345] = 'i52345,g|CREATION_TIMESTAMP,d,1,1,1,true';
  lines[59_998] = ',g,d,1,1,1,true';
  lines[59_999] = 'i59999,g,d,1.5,x,,maybe'; // metadata an import stores as null (rule 42a): no error
  const s = t.write('big-bad.csv', csv(ITEMS_HEADER, lines));
  const r = await validateToParquet({ schema: itemsSchema, sources: [s], outputPath: t.path('bad.parquet'), engine: t.engine });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.badRows, 3);
  assert.deepEqual(
    r.errors.map((e) => [e.line, e.column, e.code]),
    [
      [41_002, 'DESCRIPTION', 'unclosed_quote'],
      [52_347, 'GENRES', 'reserved_keyword'],
      [60_000, 'ITEM_ID', 'required'],
    ],
  );
  assert.ok(
    r.failureReason.startsWith(`3 of ${N} rows are invalid. First errors: s3://bucket/big-bad.csv line 41002, column DESCRIPTION:`),
    r.failureReason,
  );
});
