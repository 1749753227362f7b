import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkHeader, checkSameHeaders, IngestError, readHeader } from '../../../src/data/engine/index.ts';
import { interactionsSchema, tempDir } from './helpers.ts';

const t = tempDir('header');
after(() => t.remove());

test('readHeader strips the BOM and the CR of a CRLF line', async () => {
  const s = t.write('bom.csv', '\uFEFFUSER_ID,ITEM_ID,TIMESTAMP\r\nu1,i1,1\r\n');
  assert.deepEqual(await readHeader(s.path), ['USER_ID', 'ITEM_ID', 'TIMESTAMP']);
});

test('readHeader reads a header-only file without a newline', async () => {
  const s = t.write('noeol.csv', 'A,B');
  assert.deepEqual(await readHeader(s.path), ['A', 'B']);
});

test('readHeader rejects an empty file, naming the file and line 1', async () => {
  const s = t.write('empty.csv', '');
  await assert.rejects(readHeader(s.path, s.displayName), (e: unknown) => {
    assert.ok(e instanceof IngestError);
    assert.equal(e.message, 's3://bucket/empty.csv line 1: the file is empty; expected a header line with the column names');
    return true;
  });
});

test('readHeader rejects a header that is not UTF-8', async () => {
  const s = t.write('bin.csv', Buffer.from([0x55, 0xff, 0xfe, 0x00, 0x2c, 0x41, 0x0a]));
  await assert.rejects(readHeader(s.path, s.displayName), /bin\.csv line 1: the header is not valid UTF-8/);
});

test('checkHeader: missing columns use AWS wording, in schema order', () => {
  assert.throws(
    () => checkHeader(['ITEM_ID', 'EVENT_VALUE', 'OTHER'], interactionsSchema),
    (e: unknown) =>
      e instanceof IngestError && e.message === 'Input csv is missing the following columns: [USER_ID, TIMESTAMP, EVENT_TYPE]',
  );
});

test('checkHeader accepts any column order and extra columns', () => {
  checkHeader(['EVENT_VALUE', 'EXTRA', 'TIMESTAMP', 'EVENT_TYPE', 'ITEM_ID', 'USER_ID'], interactionsSchema);
  // pandas' index column (DataFrame.to_csv() without index=False): an empty name first.
  checkHeader(['', 'EVENT_VALUE', 'TIMESTAMP', 'EVENT_TYPE', 'ITEM_ID', 'USER_ID'], interactionsSchema);
});

test('checkHeader rejects duplicate, quoted and empty names', () => {
  const base = ['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'EVENT_TYPE', 'EVENT_VALUE'];
  assert.throws(
    () => checkHeader([...base, 'ITEM_ID'], interactionsSchema, 'f.csv'),
    /f\.csv line 1, column ITEM_ID: the column name ITEM_ID appears more than once/,
  );
  assert.throws(
    () => checkHeader(['"USER_ID"', ...base.slice(1)], interactionsSchema, 'f.csv'),
    /f\.csv line 1, column "USER_ID": column names in the header must not be quoted/,
  );
  assert.throws(
    () => checkHeader([...base, ''], interactionsSchema, 'f.csv'),
    /f\.csv line 1: the header has an empty column name at position 6/,
  );
});

test("checkHeader matches schema fields in any case and returns the columns by the fields' names", () => {
  // AWS's exploration notebook imports `ITEM_ID,genres,creation_timestamp` into GENRES / CREATION_TIMESTAMP.
  assert.deepEqual(checkHeader(['user_id', 'Item_Id', 'TIMESTAMP', 'event_type', 'Event_Value', 'extra'], interactionsSchema), [
    'USER_ID',
    'ITEM_ID',
    'TIMESTAMP',
    'EVENT_TYPE',
    'EVENT_VALUE',
    'extra',
  ]);
  assert.throws(
    () => checkHeader(['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'EVENT_TYPE', 'EVENT_VALUE', 'item_id'], interactionsSchema, 'f.csv'),
    /f\.csv line 1, column item_id: the column name item_id \(as ITEM_ID\) appears more than once/,
  );
});

test('checkSameHeaders names the file whose header differs', () => {
  assert.throws(
    () =>
      checkSameHeaders([
        { displayName: 'a.csv', header: ['A', 'B'] },
        { displayName: 'b.csv', header: ['B', 'A'] },
      ]),
    /b\.csv line 1: all files of an import must have identical headers; this file has \[B, A\] but a\.csv has \[A, B\]$/,
  );
});
