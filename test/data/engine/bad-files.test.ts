// Bad files in the engine: every kind of broken input fails the whole job with a failureReason that
// names the file, the physical line, the column (where there is one) and the rule. First the shared
// corpus (test/testkit/bad-file-corpus.ts), which the import job and the CLI validator are tested
// with too, so all three give the same verdicts; then cases only the engine is tested with (the
// schemas with EVENT_VALUE and with every scalar type).
import { describe, test, after, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { validateToParquet, type CsvSource } from '../../../src/data/engine/index.ts';
import type { ParsedSchema } from '../../../src/data/schema/schema-model.ts';
import { interactionsSchema, itemsSchema, minimalInteractionsSchema, minimalItemsSchema, parquetRows, tempDir } from './helpers.ts';
import { csv, INTERACTIONS_HEADER_WITH_VALUE, interactionRowsWithValue } from '../../testkit/rows.ts';
import {
  assertReason,
  BAD_FILES,
  GOOD_FILES,
  MISSING_COLUMN_FILE,
  MISSING_COLUMN_MESSAGE,
  patched,
  TRICKY_ITEMS,
  type Expect,
} from '../../testkit/bad-file-corpus.ts';

const t = tempDir('bad');
after(() => t.remove());

/** How the engine names a file it is given as `key` (t.write's displayName). */
const at = (key: string) => `s3://bucket/${key}`;

/** Writes `key` (sub-folders too) and returns it as a source. */
function put(key: string, body: string | Buffer): CsvSource {
  mkdirSync(dirname(t.path(key)), { recursive: true });
  return t.write(key, body);
}

/**
 * The engine must fail the sources with a failureReason that names `file` and meets `e` (the
 * corpus's checks), count e.rows[0] bad rows, list an error at e.line, and write no part.
 */
async function expectFailure(sources: CsvSource[], schema: ParsedSchema, file: string, e: Expect): Promise<string> {
  const out = t.path(`out-${Math.random()}.parquet`);
  const r = await validateToParquet({ schema, sources, outputPath: out, engine: t.engine });
  assert.equal(r.ok, false, 'the import must fail');
  if (r.ok) throw new Error('unreachable');
  assertReason(r.failureReason, file, e);
  if (e.rows) assert.equal(r.badRows, e.rows[0], r.failureReason);
  if (e.line !== undefined) {
    const listed = r.errors.find((x) => x.line === e.line);
    assert.ok(listed, `an error at line ${e.line}: ${JSON.stringify(r.errors.slice(0, 5))}`);
    assert.equal(listed.file, file);
    if (e.column !== undefined) assert.equal(listed.column, e.column);
  }
  assert.equal(existsSync(out), false, 'no part is written for a failed import');
  return r.failureReason;
}

/** 1,200 valid rows with EVENT_VALUE, `patch` applied (data index -> line; data index i is physical line i + 2). */
const withValue = (patch: Record<number, string>) => patched(patch, interactionRowsWithValue(1200), INTERACTIONS_HEADER_WITH_VALUE);

describe('the shared bad-file corpus: the verdicts of the import job and the CLI validator', () => {
  const schemaOf = { interactions: minimalInteractionsSchema, items: minimalItemsSchema };
  for (const c of BAD_FILES) {
    it(c.id, async () => {
      const sources = c.files.map(([key, body]) => put(`corpus/${key}`, body));
      const where = (key: string) => at(`corpus/${key}`);
      // A folder location is all its files, in key order, as one import; a key is that file alone.
      const read = c.location.endsWith('/')
        ? sources.filter((s) => s.displayName.startsWith(where(c.location))).sort((a, b) => (a.displayName < b.displayName ? -1 : 1))
        : sources.filter((s) => s.displayName === where(c.location));
      await expectFailure(read, schemaOf[c.dataset], where(c.failing), c.expect(where));
    });
  }

  it("the missing-column file the service refuses at creation fails with AWS's wording first", async () => {
    const reason = await expectFailure(
      [put('corpus/missing.csv', MISSING_COLUMN_FILE)],
      minimalInteractionsSchema,
      at('corpus/missing.csv'),
      { line: 1, rule: MISSING_COLUMN_MESSAGE },
    );
    assert.ok(reason.startsWith(MISSING_COLUMN_MESSAGE), reason);
  });

  it('the tricky good Items file passes, all 6 rows', async () => {
    const r = await validateToParquet({
      schema: minimalItemsSchema,
      sources: [put('corpus/tricky.csv', TRICKY_ITEMS)],
      outputPath: t.path('tricky.parquet'),
      engine: t.engine,
    });
    assert.ok(r.ok, r.ok ? '' : r.failureReason);
    assert.equal(r.rows, 6);
  });

  for (const g of GOOD_FILES) {
    it(`good: ${g.id} passes, stored as an export shows it`, async () => {
      const sources = g.files.map(([key, body]) => put(`corpus/${key}`, body));
      const out = t.path(`good-${g.id}.parquet`);
      const r = await validateToParquet({ schema: g.schema.parsed, sources, outputPath: out, engine: t.engine });
      assert.ok(r.ok, r.ok ? '' : r.failureReason);
      assert.equal(r.rows, g.rows);
      // The typed rows as the export's CSV cells: NULL empty (no value here needs quoting).
      const lines = (await parquetRows(t.engine, out)).map((row) =>
        g.schema.parsed.fields.map((f) => (row[f.name] === null ? '' : String(row[f.name]))).join(','),
      );
      assert.deepEqual([g.exported[0], ...lines.sort()], g.exported);
    });
  }
});

test('missing columns, a nullable one too: AWS wording plus file and line', async () => {
  const s = t.write('missing.csv', csv('USER_ID,ITEM_ID,TIMESTAMP', ['u1,i1,1']));
  const reason = await expectFailure([s], interactionsSchema, at('missing.csv'), {
    line: 1,
    rule: 'Input csv is missing the following columns: [EVENT_TYPE, EVENT_VALUE]',
  });
  assert.ok(reason.startsWith('Input csv is missing the following columns: [EVENT_TYPE, EVENT_VALUE]'));
});

test('bad timestamp, "1.5" and "0x10" in a long column, all counted', async () => {
  const s = t.write(
    'ts.csv',
    withValue({ 15: 'u1,i1,abc,click,', 40: 'u1,i1,1.5,click,', 41: 'u1,i1,0x10,click,', 42: 'u1,i1, 12,click,' }),
  );
  const reason = await expectFailure([s], interactionsSchema, at('ts.csv'), {
    line: 17,
    column: 'TIMESTAMP',
    rule: "'abc' is not a whole number (long)",
    rows: [4, 1200],
  });
  assert.ok(reason.startsWith('4 of 1200 rows are invalid. First errors: s3://bucket/ts.csv line 17, column TIMESTAMP:'), reason);
  assert.ok(reason.includes("line 42, column TIMESTAMP: '1.5' is not a whole number (long)"), reason);
  assert.ok(reason.includes("line 43, column TIMESTAMP: '0x10' is not a whole number (long)"), reason);
  assert.ok(reason.includes("line 44, column TIMESTAMP: ' 12' is not a whole number (long)"), reason);
});

test('a line with too many values fails; an EVENT_VALUE its type cannot read is stored as null (rule 42a)', async () => {
  const s = t.write('num.csv', withValue({ 99: 'u1,i1,1700000000,click,1,5', 100: 'u1,i1,1700000000,click,NaN' }));
  await expectFailure([s], interactionsSchema, at('num.csv'), {
    line: 101,
    rule: 'the line has 6 columns but the header has 5',
    rows: [1, 1200],
    absent: ['NaN', 'line 102'],
  });
});

test('values no field may hold, whatever the mode: a NUL character, a reserved keyword, alone or in a multi-value', async () => {
  const h = 'ITEM_ID,GENRES,DESCRIPTION,PRICE,STOCK,CREATION_TIMESTAMP,ADULT';
  const s = t.write(
    'never.csv',
    csv(h, [
      'i1,a\0b,d,,,1,',
      'i2,Drama|CREATION_TIMESTAMP,d,,,1,',
      'CREATION_TIMESTAMP,a,d,,,1,',
      'i4,a,d,1\0,,1,',
      'i5,Drama|creation_timestamp|CREATION_TIMESTAMPS,EVENT_TYPE,,,1,',
    ]),
  );
  await expectFailure([s], itemsSchema, at('never.csv'), {
    line: 2,
    column: 'GENRES',
    value: 'a\\x00b',
    rule: "'a\\x00b' contains a NUL character (\\x00); values must be text without NUL characters",
    rows: [4, 5],
    also: [
      "line 3, column GENRES: 'Drama|CREATION_TIMESTAMP' holds the value 'CREATION_TIMESTAMP', which is a reserved keyword; reserved keywords cannot be used as values",
      "line 4, column ITEM_ID: 'CREATION_TIMESTAMP' is a reserved keyword",
      "line 5, column PRICE: '1\\x00' contains a NUL character",
    ],
    absent: ['line 6'],
  });
});

test('too-long categorical string: the | separators count toward the limit', async () => {
  const h = 'ITEM_ID,GENRES,DESCRIPTION,PRICE,STOCK,CREATION_TIMESTAMP,ADULT';
  const s = t.write('long-cat-separators.csv', csv(h, [`i1,${'é'.repeat(1000)},d,,,1,`, `i2,${'a|'.repeat(500)}b,d,,,1,`]));
  await expectFailure([s], itemsSchema, at('long-cat-separators.csv'), {
    line: 3,
    column: 'GENRES',
    rule: 'Length cannot be more than 1000 characters for GENRES (this value has 1001)',
    rows: [1, 2],
  });
});

test('too many event types with EVENT_VALUE: the limit drops to 8', async () => {
  // EVENT_TYPE + EVENT_VALUE columns leave room for 8 distinct types (the corpus's schema, without EVENT_VALUE, has 9).
  const types = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7'];
  const lines = interactionRowsWithValue(1200, { types });
  lines[500] = 'u1,i1,1700000000,share,';
  lines[600] = 'u1,i1,1700000000,rate,';
  const s = t.write('types-with-value.csv', csv(INTERACTIONS_HEADER_WITH_VALUE, lines));
  await expectFailure([s], interactionsSchema, at('types-with-value.csv'), {
    line: 502,
    column: 'EVENT_TYPE',
    value: 'share',
    rule: "'share' is distinct event type number 9, but this Interactions schema allows at most 8",
  });
});

test('broken quoting: characters after a closing quote, and a quote never closed', async () => {
  const s = t.write('quotes.csv', withValue({ 10: 'u1,"i1"x,1700000000,click,', 20: 'u1,"i1,1700000000,click,' }));
  await expectFailure([s], interactionsSchema, at('quotes.csv'), {
    line: 12,
    column: 'ITEM_ID',
    rule: 'broken quoting',
    rows: [2, 1200],
    also: ['line 22, column ITEM_ID: a quoted value is not closed on its line'],
  });
});

test('errors in the second file of a folder import name that file; blank lines keep line numbers physical', async () => {
  const a = t.write('f1.csv', csv(INTERACTIONS_HEADER_WITH_VALUE, interactionRowsWithValue(600)));
  const lines = interactionRowsWithValue(600);
  lines.splice(3, 0, '', '');
  lines[10] = 'u1,i1,17e5,click,';
  const b = t.write('f2.csv', csv(INTERACTIONS_HEADER_WITH_VALUE, lines).replaceAll('\n', '\r\n'));
  const reason = await expectFailure([a, b], interactionsSchema, at('f2.csv'), {
    line: 12,
    column: 'TIMESTAMP',
    rule: "'17e5' is not a whole number (long)",
    rows: [1, 1200],
  });
  assert.ok(reason.startsWith('1 of 1200 rows is invalid. First error: s3://bucket/f2.csv line 12'), reason);
});

test('a line with too few values, and a value with a line break inside quotes', async () => {
  const s = t.write('cols.csv', withValue({ 0: 'u1,i1,1700000000', 5: 'u1,"i\nx",1700000000,click,' }));
  await expectFailure([s], interactionsSchema, at('cols.csv'), {
    line: 2,
    rule: 'the line has 3 columns but the header has 5',
    also: ['line 7, column ITEM_ID: a quoted value is not closed on its line'],
  });
});
