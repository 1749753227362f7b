// Valid inputs in every accepted shape, with the stored (typed) values checked.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { validateToParquet, type CsvSource } from '../../../src/data/engine/index.ts';
import type { ParsedSchema } from '../../../src/data/schema/schema-model.ts';
import { field, interactionsSchema, itemsSchema, parquetRows, query, tempDir } from './helpers.ts';
import { csv, INTERACTIONS_HEADER_WITH_VALUE, interactionRowsWithValue } from '../../testkit/rows.ts';

const t = tempDir('good');
after(() => t.remove());
const ITEMS_HEADER = 'ITEM_ID,GENRES,DESCRIPTION,PRICE,STOCK,CREATION_TIMESTAMP,ADULT';

async function importOk(sources: CsvSource[], schema: ParsedSchema) {
  const out = t.path(`out-${Math.random()}.parquet`);
  const r = await validateToParquet({ schema, sources, outputPath: out, engine: t.engine });
  if (!r.ok) assert.fail(r.failureReason);
  return { r, rows: await parquetRows(t.engine, out), out };
}

test('BOM + CRLF interactions: typed columns, no CR left in the last column', async () => {
  const lines = interactionRowsWithValue(1000);
  const s = t.write('bom-crlf.csv', '\uFEFF' + csv(INTERACTIONS_HEADER_WITH_VALUE, lines).replaceAll('\n', '\r\n'));
  const { r, rows, out } = await importOk([s], interactionsSchema);
  assert.equal(r.rows, 1000);
  assert.equal(r.distinctEventTypes, 2);
  assert.equal(r.bytesRead, Buffer.byteLength('\uFEFF' + csv(INTERACTIONS_HEADER_WITH_VALUE, lines).replaceAll('\n', '\r\n')));
  assert.deepEqual(rows[0], { USER_ID: 'u0', ITEM_ID: 'i0', TIMESTAMP: '1700000000', EVENT_TYPE: 'click', EVENT_VALUE: null });
  assert.deepEqual(rows[1], { USER_ID: 'u1', ITEM_ID: 'i1', TIMESTAMP: '1700000001', EVENT_TYPE: 'view', EVENT_VALUE: 0.5 });
  const types = await query(t.engine, `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${out}'))`);
  assert.deepEqual(
    types.map((x) => `${x.column_name}:${x.column_type}`),
    ['USER_ID:VARCHAR', 'ITEM_ID:VARCHAR', 'TIMESTAMP:BIGINT', 'EVENT_TYPE:VARCHAR', 'EVENT_VALUE:FLOAT'],
  );
});

test('quoted fields with commas, "" and \\" and \\\\ escapes, literal backslashes outside quotes', async () => {
  const s = t.write(
    'quotes.csv',
    csv(ITEMS_HEADER, [
      'i1,"rock,pop","He said ""hi"", twice",1,2,3,true',
      'i2,a,"He said \\"hi\\", twice",1,2,3,false',
      'i3,a,"mixed ""one"" and \\"two\\"",,,3,',
      'i4,a,"ends with a backslash\\\\",,,3,',
      'i5,c:\\dir\\x,"keep \\n as is",,,3,',
      'i6,"",,,,3,',
    ]),
  );
  const { rows } = await importOk([s], itemsSchema);
  assert.deepEqual(
    rows.map((x) => [x.ITEM_ID, x.GENRES, x.DESCRIPTION]),
    [
      ['i1', 'rock,pop', 'He said "hi", twice'],
      ['i2', 'a', 'He said "hi", twice'],
      ['i3', 'a', 'mixed "one" and "two"'],
      ['i4', 'a', 'ends with a backslash\\'],
      ['i5', 'c:\\dir\\x', 'keep \\n as is'],
      ['i6', null, null],
    ],
  );
});

test('textual values are truncated to 20,000 characters, not failed', async () => {
  const long = 'ü'.repeat(25000);
  const s = t.write('textual.csv', csv(ITEMS_HEADER, [`i1,a,${long},,,1,`, `i2,a,${'x'.repeat(20000)},,,1,`]));
  const { rows } = await importOk([s], itemsSchema);
  assert.equal(rows[0].DESCRIPTION, 'ü'.repeat(20000));
  assert.equal(rows[1].DESCRIPTION, 'x'.repeat(20000));
});

test('Chinese and Japanese textual values are truncated to 7,000 characters (rule 43), others to 20,000', async () => {
  const ja = 'これは日本語の説明です。'.repeat(700); // 8,400 characters, 12 of them punctuation
  const zh = `${'这是中文描述'.repeat(1200)} with some English`; // 7,218 characters, mostly Han
  const en = `${'English with 漢字 inside. '.repeat(400)}`; // 9,600 characters, mostly Latin
  const s = t.write(
    'textual-cjk.csv',
    csv(ITEMS_HEADER, [`i1,a,"${ja}",,,1,`, `i2,a,"${zh}",,,1,`, `i3,a,"${en}",,,1,`, `i4,a,${'日'.repeat(7000)},,,1,`]),
  );
  const { rows } = await importOk([s], itemsSchema);
  assert.deepEqual(
    rows.map((x) => String(x.DESCRIPTION).length),
    [7000, 7000, en.length, 7000],
  );
  assert.equal(rows[0].DESCRIPTION, ja.slice(0, 7000));
  assert.equal(rows[1].DESCRIPTION, zh.slice(0, 7000));
});

test('bulk rows (rule 42a): empty cells of non-nullable metadata and values their type cannot read are stored as null', async () => {
  const schema: ParsedSchema = {
    recordName: 'Items',
    datasetType: 'ITEMS',
    fields: [...itemsSchema.fields, field('YEAR', 'int'), field('RATING', 'float')],
  };
  const h = `${ITEMS_HEADER},YEAR,RATING`;
  const s = t.write(
    'lenient.csv',
    csv(h, [
      'i1,a,d,1.5,3000000000,1,true,2006–2007,high',
      'i2,a,d,1.5,3,1,yes,,',
      'i3,a,d,1e999,3.5,,FALSE,1995,4.5',
      'i4,a,d,,, 12,,0x10,1_0',
    ]),
  );
  const { rows } = await importOk([s], schema);
  assert.deepEqual(
    rows.map((x) => [x.ITEM_ID, x.PRICE, x.STOCK, x.CREATION_TIMESTAMP, x.ADULT, x.YEAR, x.RATING]),
    [
      ['i1', 1.5, null, '1', true, null, null],
      ['i2', 1.5, 3, '1', null, null, null],
      ['i3', null, null, null, false, 1995, 4.5],
      ['i4', null, null, null, null, null, null],
    ],
  );
});

test('nullable empty cells become NULL; numbers and booleans typed; any column order; extra columns ignored', async () => {
  const h = 'EXTRA,ADULT,CREATION_TIMESTAMP,STOCK,PRICE,DESCRIPTION,GENRES,ITEM_ID';
  const s = t.write(
    'order.csv',
    csv(h, ['zzz,,1600000000,,,,,i1', 'zzz,TRUE,+1600000001,-2147483648,1e3,d,g1|g2,i2', ',false,0001,2147483647,-.5,,,i3']),
  );
  const { rows } = await importOk([s], itemsSchema);
  assert.deepEqual(rows, [
    { ITEM_ID: 'i1', GENRES: null, DESCRIPTION: null, PRICE: null, STOCK: null, CREATION_TIMESTAMP: '1600000000', ADULT: null },
    { ITEM_ID: 'i2', GENRES: 'g1|g2', DESCRIPTION: 'd', PRICE: 1000, STOCK: -2147483648, CREATION_TIMESTAMP: '1600000001', ADULT: true },
    { ITEM_ID: 'i3', GENRES: null, DESCRIPTION: null, PRICE: -0.5, STOCK: 2147483647, CREATION_TIMESTAMP: '1', ADULT: false },
  ]);
});

test('mixed LF / CRLF line endings and blank lines are accepted', async () => {
  const lines = interactionRowsWithValue(1000);
  const body = INTERACTIONS_HEADER_WITH_VALUE + '\r\n' + lines.map((l, i) => l + (i % 2 ? '\r\n' : '\n')).join('') + '\n\n';
  const { r, rows } = await importOk([t.write('mixed.csv', body)], interactionsSchema);
  assert.equal(r.rows, 1000);
  assert.equal(rows[999].USER_ID, 'u49');
  assert.equal(rows.filter((x) => String(x.EVENT_TYPE).includes('\r')).length, 0);
});

test('a folder import of several files keeps their rows in order', async () => {
  const a = t.write('part-a.csv', csv(INTERACTIONS_HEADER_WITH_VALUE, interactionRowsWithValue(600)));
  const b = t.write('part-b.csv', csv(INTERACTIONS_HEADER_WITH_VALUE, interactionRowsWithValue(600, { start: 600 })));
  const { r, rows } = await importOk([a, b], interactionsSchema);
  assert.equal(r.rows, 1200);
  assert.deepEqual(
    rows.map((x) => Number(x.TIMESTAMP) - 1700000000),
    Array.from({ length: 1200 }, (_, i) => i),
  );
});

test('a file without a final newline and with a backslash ID outside quotes', async () => {
  const lines = interactionRowsWithValue(1000);
  lines[0] = 'u\\0,i0,1700000000,click,1';
  const { rows } = await importOk([t.write('noeol.csv', csv(INTERACTIONS_HEADER_WITH_VALUE, lines).trimEnd())], interactionsSchema);
  assert.equal(rows.length, 1000);
  assert.equal(rows[0].USER_ID, 'u\\0');
  assert.equal(rows[999].USER_ID, 'u49');
});

test('header names in another case: stored under the schema names, with the right types', async () => {
  const header = INTERACTIONS_HEADER_WITH_VALUE.toLowerCase();
  const s = t.write('lower-header.csv', csv(header, interactionRowsWithValue(1000)));
  const { r, rows } = await importOk([s], interactionsSchema);
  assert.equal(r.rows, 1000);
  assert.deepEqual(rows[1], { USER_ID: 'u1', ITEM_ID: 'i1', TIMESTAMP: '1700000001', EVENT_TYPE: 'view', EVENT_VALUE: 0.5 });
});
