// The bad-file corpus: every kind of broken input fails the whole job with a failureReason that
// names the file, the physical line, the column (where there is one) and the rule.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { validateToParquet, type CsvSource } from '../../../src/data/engine/index.ts';
import type { ParsedSchema } from '../../../src/data/schema/schema-model.ts';
import { csv, INTERACTIONS_HEADER, interactionLines, interactionsSchema, itemsSchema, tempDir } from './helpers.ts';

const t = tempDir('bad');
after(() => t.remove());

interface Expect {
  file: string;
  line?: number;
  column?: string;
  rule: string | RegExp;
  badRows?: number;
}

async function expectFailure(sources: CsvSource[], schema: ParsedSchema, e: Expect): Promise<string> {
  const out = t.path(`out-${Math.random()}.parquet`);
  const r = await validateToParquet({ schema, sources, outputPath: out, engine: t.engine });
  assert.equal(r.ok, false, 'the import must fail');
  if (r.ok) throw new Error('unreachable');
  const reason = r.failureReason;
  assert.ok(reason.includes(e.file), `file ${e.file} in: ${reason}`);
  if (e.line !== undefined) assert.ok(reason.includes(`line ${e.line}`), `line ${e.line} in: ${reason}`);
  if (e.column !== undefined) assert.ok(reason.includes(`column ${e.column}`), `column ${e.column} in: ${reason}`);
  if (typeof e.rule === 'string') assert.ok(reason.includes(e.rule), `rule "${e.rule}" in: ${reason}`);
  else assert.match(reason, e.rule);
  if (e.badRows !== undefined) assert.equal(r.badRows, e.badRows, reason);
  assert.equal(existsSync(out), false, 'no part is written for a failed import');
  return reason;
}

/** 1,200 valid interaction lines with `patch` applied (index -> line); data line i is physical line i + 2. */
function interactions(name: string, patch: Record<number, string>, header = INTERACTIONS_HEADER): CsvSource {
  const lines = interactionLines(1200);
  for (const [i, l] of Object.entries(patch)) lines[Number(i)] = l;
  return t.write(name, csv(header, lines));
}

test('missing column: AWS wording plus file and line', async () => {
  const s = t.write('missing.csv', csv('USER_ID,ITEM_ID,TIMESTAMP', ['u1,i1,1']));
  const reason = await expectFailure([s], interactionsSchema, { file: 's3://bucket/missing.csv', line: 1, rule: 'Input csv is missing the following columns: [EVENT_TYPE, EVENT_VALUE]' });
  assert.ok(reason.startsWith('Input csv is missing the following columns: [EVENT_TYPE, EVENT_VALUE]'));
});

test('bad timestamp, "1.5" and "0x10" in a long column, all counted', async () => {
  const s = interactions('ts.csv', { 15: 'u1,i1,abc,click,', 40: 'u1,i1,1.5,click,', 41: 'u1,i1,0x10,click,', 42: 'u1,i1, 12,click,' });
  const reason = await expectFailure([s], interactionsSchema, { file: 's3://bucket/ts.csv', line: 17, column: 'TIMESTAMP', rule: "'abc' is not a whole number (long)", badRows: 4 });
  assert.ok(reason.startsWith('4 of 1200 rows are invalid. First errors: s3://bucket/ts.csv line 17, column TIMESTAMP:'), reason);
  assert.ok(reason.includes("line 42, column TIMESTAMP: '1.5' is not a whole number (long)"), reason);
  assert.ok(reason.includes("line 43, column TIMESTAMP: '0x10' is not a whole number (long)"), reason);
  assert.ok(reason.includes("line 44, column TIMESTAMP: ' 12' is not a whole number (long)"), reason);
});

test('bad decimal number in a float column', async () => {
  const s = interactions('num.csv', { 99: 'u1,i1,1700000000,click,1,5', 100: 'u1,i1,1700000000,click,NaN' });
  await expectFailure([s], interactionsSchema, { file: 's3://bucket/num.csv', line: 102, column: 'EVENT_VALUE', rule: "'NaN' is not a decimal number (float)", badRows: 2 });
});

test('out-of-range int, bad boolean, bad double (items)', async () => {
  const h = 'ITEM_ID,GENRES,DESCRIPTION,PRICE,STOCK,CREATION_TIMESTAMP,ADULT';
  const s = t.write('items-range.csv', csv(h, ['i1,a,d,1.5,3000000000,1,true', 'i2,a,d,1.5,3,1,yes', 'i3,a,d,1e999,3,1,false', 'i4,a,d,1,2147483647,1,FALSE']));
  const reason = await expectFailure([s], itemsSchema, {
    file: 's3://bucket/items-range.csv', line: 2, column: 'STOCK', rule: "'3000000000' is out of range for int (-2147483648 to 2147483647)", badRows: 3,
  });
  assert.ok(reason.includes("line 3, column ADULT: 'yes' is not a boolean (true or false)"), reason);
  assert.ok(reason.includes("line 4, column PRICE: '1e999' is out of range for double"), reason);
});

test('empty required value', async () => {
  const s = interactions('empty-id.csv', { 7: ',i1,1700000000,click,', 8: 'u1,i1,1700000000,,' });
  const reason = await expectFailure([s], interactionsSchema, { file: 's3://bucket/empty-id.csv', line: 9, column: 'USER_ID', rule: 'empty value, but USER_ID is required', badRows: 2 });
  assert.ok(reason.includes('line 10, column EVENT_TYPE: empty value, but EVENT_TYPE is required'), reason);
});

test('too-long ID', async () => {
  const s = interactions('long-id.csv', { 3: `u1,${'x'.repeat(257)},1700000000,click,` });
  await expectFailure([s], interactionsSchema, { file: 's3://bucket/long-id.csv', line: 5, column: 'ITEM_ID', rule: 'is 257 characters long; ITEM_ID can have at most 256 characters' });
});

test('too-long categorical string (limit counts characters, not bytes)', async () => {
  const h = 'ITEM_ID,GENRES,DESCRIPTION,PRICE,STOCK,CREATION_TIMESTAMP,ADULT';
  const s = t.write('long-cat.csv', csv(h, [`i1,${'é'.repeat(1000)},d,,,1,`, `i2,${'a|'.repeat(500)}b,d,,,1,`]));
  await expectFailure([s], itemsSchema, { file: 's3://bucket/long-cat.csv', line: 3, column: 'GENRES', rule: 'Length cannot be more than 1000 characters for GENRES (this value has 1001)', badRows: 1 });
});

test('too many event types: names the line where the first one too many appears', async () => {
  // EVENT_TYPE + EVENT_VALUE columns leave room for 8 distinct types.
  const types = ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7'];
  const lines = interactionLines(1200, { types });
  lines[500] = 'u1,i1,1700000000,share,';
  lines[600] = 'u1,i1,1700000000,rate,';
  const s = t.write('types.csv', csv(INTERACTIONS_HEADER, lines));
  await expectFailure([s], interactionsSchema, { file: 's3://bucket/types.csv', line: 502, column: 'EVENT_TYPE', rule: "'share' is distinct event type number 9, but this Interactions schema allows at most 8" });
});

test('fewer than 1,000 interaction rows', async () => {
  const s = t.write('few.csv', csv(INTERACTIONS_HEADER, interactionLines(999)));
  await expectFailure([s], interactionsSchema, { file: 's3://bucket/few.csv', rule: 'needs at least 1000 records, but s3://bucket/few.csv has only 999' });
});

test('broken quoting: characters after a closing quote, and a quote never closed', async () => {
  const s = interactions('quotes.csv', { 10: 'u1,"i1"x,1700000000,click,', 20: 'u1,"i1,1700000000,click,' });
  const reason = await expectFailure([s], interactionsSchema, { file: 's3://bucket/quotes.csv', line: 12, column: 'ITEM_ID', rule: 'broken quoting', badRows: 2 });
  assert.ok(reason.includes('line 22, column ITEM_ID: a quoted value is not closed on its line'), reason);
});

test('invalid UTF-8 inside the data', async () => {
  const body = Buffer.from(csv(INTERACTIONS_HEADER, interactionLines(1200)));
  const at = body.indexOf('\nu5,') + 1; // data line 5 = physical line 7
  body[at + 1] = 0xff;
  const s = t.write('utf8.csv', body);
  await expectFailure([s], interactionsSchema, { file: 's3://bucket/utf8.csv', line: 7, column: 'USER_ID', rule: 'the line is not valid UTF-8 text', badRows: 1 });
});

test('binary garbage: as a whole file, and after a valid header', async () => {
  let x = 2463534242; // xorshift32: deterministic bytes, newlines and CRs included
  const garbage = Buffer.from(Buffer.alloc(20000, 0).map(() => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) % 256)));
  garbage[0] = 0xc3; // never valid UTF-8 at the start: \xc3 followed by a non-continuation byte
  garbage[1] = 0x28;
  await expectFailure([t.write('garbage.csv', garbage)], interactionsSchema, { file: 's3://bucket/garbage.csv', line: 1, rule: /header is not valid UTF-8|first line is longer/ });
  const s = t.write('garbage2.csv', Buffer.concat([Buffer.from(INTERACTIONS_HEADER + '\nu1,i1,1700000000,click,1\n'), garbage]));
  const reason = await expectFailure([s], interactionsSchema, { file: 's3://bucket/garbage2.csv', line: 3, rule: /line 3(, column \w+)?: (the line is not valid UTF-8 text|the line contains a carriage return)/ });
  assert.match(reason, /^\d+ of \d+ rows are invalid/);
  assert.match(reason, /; and \d+ more$/);
});

test('empty file and header-only file', async () => {
  await expectFailure([t.write('empty.csv', '')], interactionsSchema, { file: 's3://bucket/empty.csv', line: 1, rule: 'the file is empty' });
  await expectFailure([t.write('header.csv', INTERACTIONS_HEADER + '\n')], interactionsSchema, { file: 's3://bucket/header.csv', line: 2, rule: 'the file has a header line but no data rows' });
});

test('two files with different headers', async () => {
  const a = t.write('a.csv', csv(INTERACTIONS_HEADER, interactionLines(600)));
  const b = t.write('b.csv', csv('ITEM_ID,USER_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE', interactionLines(600)));
  await expectFailure([a, b], interactionsSchema, { file: 's3://bucket/b.csv', line: 1, rule: 'all files of an import must have identical headers' });
});

test('errors in the second file of a folder import name that file; blank lines keep line numbers physical', async () => {
  const a = t.write('f1.csv', csv(INTERACTIONS_HEADER, interactionLines(600)));
  const lines = interactionLines(600);
  lines.splice(3, 0, '', '');
  lines[10] = 'u1,i1,17e5,click,';
  const b = t.write('f2.csv', csv(INTERACTIONS_HEADER, lines).replaceAll('\n', '\r\n'));
  const reason = await expectFailure([a, b], interactionsSchema, { file: 's3://bucket/f2.csv', line: 12, column: 'TIMESTAMP', rule: "'17e5' is not a whole number (long)", badRows: 1 });
  assert.ok(reason.startsWith('1 of 1200 rows is invalid. First error: s3://bucket/f2.csv line 12'), reason);
});

test('a line with too few values, and a value with a line break inside quotes', async () => {
  const s = interactions('cols.csv', { 0: 'u1,i1,1700000000', 5: 'u1,"i\nx",1700000000,click,' });
  const reason = await expectFailure([s], interactionsSchema, { file: 's3://bucket/cols.csv', line: 2, rule: 'the line has 3 columns but the header has 5' });
  assert.ok(reason.includes('line 7, column ITEM_ID: a quoted value is not closed on its line'), reason);
});
