// FULL / INCREMENTAL semantics over generations of parts, the INCREMENTAL new-records rule,
// compaction, and export -> re-import round trips.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  compactParts,
  countNewRecords,
  datasetViewSql,
  eventTypesAfterImport,
  exportToCsv,
  newRecordCount,
  validateToParquet,
  type CsvSource,
} from '../../../src/data/engine/index.ts';
import type { ParsedSchema } from '../../../src/data/schema/schema-model.ts';
import { field, interactionsSchema, itemsSchema, query, tempDir } from '../engine/helpers.ts';
import { csv, INTERACTIONS_HEADER_WITH_VALUE, interactionRowsWithValue } from '../../testkit/rows.ts';

const t = tempDir('gen');
after(() => t.remove());
const ITEMS_HEADER = 'ITEM_ID,GENRES,DESCRIPTION,PRICE,STOCK,CREATION_TIMESTAMP,ADULT';
let n = 0;

async function part(schema: ParsedSchema, sources: CsvSource[]): Promise<string> {
  const out = t.path(`part-${n++}.parquet`);
  const r = await validateToParquet({ schema, sources, outputPath: out, engine: t.engine });
  if (!r.ok) assert.fail(r.failureReason);
  return out;
}

function view(schema: ParsedSchema, parts: string[], orderBy: string) {
  return query(t.engine, `SELECT * FROM (${datasetViewSql(schema, parts)}) ORDER BY ${orderBy}`);
}

test('items: INCREMENTAL replaces same IDs, the last row of a part wins, FULL replaces everything', async () => {
  const p1 = await part(itemsSchema, [
    t.write('items1.csv', csv(ITEMS_HEADER, ['A,g,old A,1,1,100,', 'B,g,old B,2,2,100,', 'C,g,old C,3,3,100,'])),
  ]);
  const p2 = await part(itemsSchema, [
    t.write('items2.csv', csv(ITEMS_HEADER, ['B,h,new B,20,20,200,true', 'D,h,first D,4,4,200,', 'D,h,last D,5,5,200,'])),
  ]);
  const gen = [p1, p2]; // an INCREMENTAL generation (generation-switch.test.ts tests the switch)
  const rows = await view(itemsSchema, gen, 'ITEM_ID');
  assert.deepEqual(
    rows.map((r) => [r.ITEM_ID, r.DESCRIPTION, r.PRICE, r.ADULT]),
    [
      ['A', 'old A', 1, null],
      ['B', 'new B', 20, true],
      ['C', 'old C', 3, null],
      ['D', 'last D', 5, null],
    ],
  );
  const p3 = await part(itemsSchema, [t.write('items3.csv', csv(ITEMS_HEADER, ['Z,g,only,1,1,1,']))]);
  const full = [p3];
  assert.deepEqual(
    (await view(itemsSchema, full, 'ITEM_ID')).map((r) => r.ITEM_ID),
    ['Z'],
  );
  assert.deepEqual(await view(itemsSchema, [], 'ITEM_ID'), []);
});

test('interactions: exact duplicates are kept once, within and across parts', async () => {
  const lines = interactionRowsWithValue(1000);
  const p1 = await part(interactionsSchema, [t.write('int1.csv', csv(INTERACTIONS_HEADER_WITH_VALUE, [...lines, ...lines.slice(0, 10)]))]);
  // 1,000 new events plus 300 already present; a duplicate with one property changed is new.
  const changed = lines[0].replace('u0,', 'u0b,');
  const p2 = await part(interactionsSchema, [
    t.write(
      'int2.csv',
      csv(INTERACTIONS_HEADER_WITH_VALUE, [...interactionRowsWithValue(999, { start: 5000 }), changed, ...lines.slice(0, 300)]),
    ),
  ]);
  const rows = await query(t.engine, `SELECT count(*) AS n FROM (${datasetViewSql(interactionsSchema, [p1, p2])})`);
  assert.equal(rows[0].n, '2000');
  assert.deepEqual(await newRecordCount({ schema: interactionsSchema, parts: [p1], incoming: p2, engine: t.engine }), {
    newRecords: 1000,
    incomingRows: 1300,
  });
  assert.equal(await countNewRecords({ schema: interactionsSchema, parts: [p1], incoming: p2, engine: t.engine }), null);
});

test('INCREMENTAL interactions with fewer than 1,000 new records fail (rule 55)', async () => {
  const lines = interactionRowsWithValue(1500);
  const p1 = await part(interactionsSchema, [t.write('old.csv', csv(INTERACTIONS_HEADER_WITH_VALUE, lines))]);
  const p2 = await part(interactionsSchema, [
    t.write('new.csv', csv(INTERACTIONS_HEADER_WITH_VALUE, [...lines.slice(0, 700), ...interactionRowsWithValue(999, { start: 9000 })])),
  ]);
  const reason = await countNewRecords({ schema: interactionsSchema, parts: [p1], incoming: p2, engine: t.engine });
  assert.equal(
    reason,
    'An INCREMENTAL import into an Interactions dataset needs at least 1000 new records, but only 999 of its 1699 records are not already in the dataset.',
  );
  assert.equal(await countNewRecords({ schema: itemsSchema, parts: [p1], incoming: p2, engine: t.engine }), null);
});

test('compaction gives the same rows as the generation it replaces', async () => {
  const p1 = await part(itemsSchema, [t.write('c1.csv', csv(ITEMS_HEADER, ['A,g,a1,1,1,1,', 'B,g,b1,1,1,1,']))]);
  const p2 = await part(itemsSchema, [t.write('c2.csv', csv(ITEMS_HEADER, ['B,g,b2,1,1,1,', 'C,g,c2,1,1,1,']))]);
  const out = t.path('compacted.parquet');
  assert.deepEqual(await compactParts({ schema: itemsSchema, parts: [p1, p2], outputPath: out, engine: t.engine }), { rows: 3 });
  assert.deepEqual(await view(itemsSchema, [out], 'ITEM_ID'), await view(itemsSchema, [p1, p2], 'ITEM_ID'));
});

test('a part written before a nullable field was added reads that field as NULL', async () => {
  const older: ParsedSchema = { ...itemsSchema, fields: itemsSchema.fields.filter((f) => f.name !== 'ADULT') };
  const p1 = await part(older, [
    t.write('old-schema.csv', csv('ITEM_ID,GENRES,DESCRIPTION,PRICE,STOCK,CREATION_TIMESTAMP', ['A,g,a,1,1,1'])),
  ]);
  const p2 = await part(itemsSchema, [t.write('new-schema.csv', csv(ITEMS_HEADER, ['B,g,b,1,1,1,true']))]);
  const rows = await view(itemsSchema, [p1, p2], 'ITEM_ID');
  assert.deepEqual(
    rows.map((r) => [r.ITEM_ID, r.ADULT]),
    [
      ['A', null],
      ['B', true],
    ],
  );
});

test('export -> re-import round trip keeps every value of every row', async () => {
  const tricky = [
    'plain',
    'with,comma',
    'with "quotes"',
    '"starts with a quote',
    'back\\slash',
    'ends with backslash\\',
    'both \\" mixed',
    'comma, and backslash\\',
    'ünïcödé 日本語 🎉',
    ' spaces around ',
    "it's",
  ];
  const schema: ParsedSchema = {
    recordName: 'Items',
    datasetType: 'ITEMS',
    fields: [
      field('ITEM_ID', 'string'),
      field('GENRES', 'string', { categorical: true, nullable: true }),
      field('DESCRIPTION', 'string', { textual: true, nullable: true }),
      field('PRICE', 'double', { nullable: true }),
      field('RATING', 'float', { nullable: true }),
      field('STOCK', 'int', { nullable: true }),
      field('CREATION_TIMESTAMP', 'long'),
      field('ADULT', 'boolean', { nullable: true }),
    ],
  };
  const dq = (s: string) => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  const lines = tricky.map((s, i) =>
    [
      `id${i}`,
      dq(s),
      dq(s.toUpperCase()),
      [0.1, 1e20, -0.5, 123456.789, 5e-324, ''][i % 6],
      [0.1, 3.4e38, -1.5, ''][i % 4],
      [-2147483648, 0, ''][i % 3],
      [-9223372036854775808n, 9223372036854775807n, 0][i % 3],
      ['true', 'false', ''][i % 3],
    ].join(','),
  );
  const header = 'ITEM_ID,GENRES,DESCRIPTION,PRICE,RATING,STOCK,CREATION_TIMESTAMP,ADULT';
  const p1 = await part(schema, [t.write('rt.csv', csv(header, lines))]);
  const exported = t.path('export.csv');
  assert.deepEqual(await exportToCsv({ schema, parts: [p1], outputPath: exported, engine: t.engine }), { rows: tricky.length });
  assert.equal(readFileSync(exported, 'utf8').split('\n')[0], header);
  const p2 = await part(schema, [{ displayName: 'export.csv', path: exported }]);
  const before = await view(schema, [p1], 'ITEM_ID');
  const afterRoundTrip = await view(schema, [p2], 'ITEM_ID');
  assert.equal(before.length, tricky.length);
  assert.deepEqual(afterRoundTrip, before);
  assert.deepEqual(before.map((r) => r.GENRES).sort(), [...tricky].sort());
});

test('interactions export of an empty generation is a header only', async () => {
  const out = t.path('empty-export.csv');
  assert.deepEqual(await exportToCsv({ schema: interactionsSchema, parts: [], outputPath: out, engine: t.engine }), { rows: 0 });
  assert.equal(readFileSync(out, 'utf8'), INTERACTIONS_HEADER_WITH_VALUE + '\n');
});

test('INCREMENTAL: the distinct event types of the whole dataset stay within the column rule', async () => {
  // Schema with EVENT_TYPE and EVENT_VALUE and no custom column: at most 10 - 2 = 8 event types.
  const base = await part(interactionsSchema, [
    t.write('types1.csv', csv(INTERACTIONS_HEADER_WITH_VALUE, interactionRowsWithValue(1000, { types: ['t1', 't2', 't3', 't4', 't5'] }))),
  ]);
  const fits = await part(interactionsSchema, [
    t.write('types2.csv', csv(INTERACTIONS_HEADER_WITH_VALUE, interactionRowsWithValue(1000, { start: 5000, types: ['t4', 't5', 't6'] }))),
  ]);
  assert.equal(
    await eventTypesAfterImport({ schema: interactionsSchema, parts: [base], incoming: fits, putTypes: [], engine: t.engine }),
    null,
  );
  const over = await part(interactionsSchema, [
    t.write(
      'types3.csv',
      csv(INTERACTIONS_HEADER_WITH_VALUE, interactionRowsWithValue(1000, { start: 9000, types: ['t5', 't6', 't7', 't8', 't9'] })),
    ),
  ]);
  const reason = await eventTypesAfterImport({ schema: interactionsSchema, parts: [base], incoming: over, putTypes: [], engine: t.engine });
  assert.ok(reason?.includes('would hold 9 distinct event types, but its schema allows at most 8'), reason ?? 'no reason');
  assert.ok(reason?.includes('[t6, t7, t8, t9]'), reason ?? 'no reason');
  // Each file alone is within the rule: only the dataset as a whole is not.
  assert.equal(
    await eventTypesAfterImport({ schema: interactionsSchema, parts: [], incoming: over, putTypes: [], engine: t.engine }),
    null,
  );
  // Individually put events count too, for a FULL import (no parts) as for an INCREMENTAL one.
  const withPuts = await eventTypesAfterImport({
    schema: interactionsSchema,
    parts: [],
    incoming: over,
    putTypes: ['p1', 'p2', 't5', 'p3', 'p4'],
    engine: t.engine,
  });
  assert.ok(withPuts?.includes('(bulk data and individually put events) would hold 9 distinct event types'), withPuts ?? 'no reason');
  assert.ok(withPuts?.includes('[t6, t7, t8, t9]'), withPuts ?? 'no reason');
  assert.equal(
    await eventTypesAfterImport({ schema: interactionsSchema, parts: [], incoming: over, putTypes: ['t5', 'p1'], engine: t.engine }),
    null,
  );
});
