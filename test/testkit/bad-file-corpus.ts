// The bad-file corpus, shared by the import-job test through the API
// (test/api/import-job-bad-files.test.ts), the CLI validator's test (test/main/cli-validate.test.ts)
// and the engine's (test/data/engine/bad-files.test.ts), so all three judge the very same files by
// the very same expectations. Files are named by keys relative to where a test puts them;
// messages name files as each test shows them (`at(key)`: s3://bucket/key for the API and the
// engine, the local path for the validator), so expectations are functions of `at`. GOOD_FILES are
// files the three must accept, each with its own schema and the data an export then shows.
import assert from 'node:assert/strict';
import type { ParsedSchema } from '../../src/data/schema/schema-model.ts';
import { csv, INTERACTIONS_HEADER_4, interactionRows4 } from './rows.ts';

export interface Expect {
  /** Physical line (header = 1). */
  line?: number;
  column?: string;
  /** The offending value as the reason quotes it. */
  value?: string;
  rule: string | RegExp;
  /** [bad, total]: "bad of total rows are invalid". */
  rows?: [number, number];
  /** Further text the reason contains, and text it must not contain. */
  also?: (string | RegExp)[];
  absent?: string[];
}

export type At = (key: string) => string;

export interface BadFileCase {
  id: string;
  dataset: 'interactions' | 'items';
  /** Files to write, in order. */
  files: [key: string, body: string | Buffer][];
  /** What the import reads: one key, or a folder key ending in '/'. */
  location: string;
  /** The file the failure names. */
  failing: string;
  expect: (at: At) => Expect;
}

/**
 * A CSV file of `rows` (by default 1,200 valid INTERACTIONS_HEADER_4 rows) with `patch` applied
 * (data index -> line); data index i is physical line i + 2.
 */
export function patched(patch: Record<number, string>, rows = interactionRows4(1200, 10_000), header = INTERACTIONS_HEADER_4): string {
  for (const [i, l] of Object.entries(patch)) rows[Number(i)] = l;
  return csv(header, rows);
}

/** Deterministic random bytes (xorshift32), newlines and CRs included. */
export function garbage(n: number, seed = 2463534242): Buffer {
  let x = seed;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) % 256;
  }
  return out;
}

function utf8Body(): Buffer {
  const body = Buffer.from(patched({ 5: 'uXX,i1,1700000000,click' }));
  const at = body.indexOf('uXX,');
  body[at + 1] = 0xff; // 'u\xffX': not UTF-8
  body[at + 2] = 0xfe;
  return body;
}

function garbageFile(): Buffer {
  const noise = garbage(20_000);
  noise[0] = 0xc3; // \xc3 then a non-continuation byte: never UTF-8
  noise[1] = 0x28;
  return noise;
}

const dropLast = (r: string) => r.slice(0, r.lastIndexOf(','));
const swapped = () =>
  interactionRows4(600, 600)
    .map((r) => r.split(','))
    .map(([u, i, t, e]) => [i, u, t, e].join(','));

/** The missing-column file: CreateDatasetImportJob refuses it (the API test checks that itself). */
export const MISSING_COLUMN_FILE = csv('USER_ID,ITEM_ID,TIMESTAMP', interactionRows4(1200).map(dropLast));
export const MISSING_COLUMN_MESSAGE = 'Input csv is missing the following columns: [EVENT_TYPE]';

/** A good file with every tricky encoding detail, for the Items schema, and what it holds. */
export const TRICKY_ITEMS =
  [
    '\uFEFFITEM_ID,GENRES',
    'i1,"Drama, Comedy"',
    '"i2","He said ""hi"""',
    'i3,"back\\"slash\\" and \\\\ backslash"',
    'i4,Horror|Thriller',
    'i5,',
    'é6,"日本語, ok"',
  ].join('\r\n') + '\r\n';

export const BAD_FILES: BadFileCase[] = [
  {
    id: 'missing-folder',
    dataset: 'interactions',
    location: 'missing-folder/',
    failing: 'missing-folder/b.csv',
    files: [
      ['missing-folder/a.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(600))],
      ['missing-folder/b.csv', csv('USER_ID,ITEM_ID,TIMESTAMP', interactionRows4(600, 600).map(dropLast))],
    ],
    expect: () => ({ line: 1, rule: MISSING_COLUMN_MESSAGE, also: [new RegExp(`^${MISSING_COLUMN_MESSAGE.replace(/[[\]]/g, '\\$&')}`)] }),
  },
  {
    id: 'bad-number',
    dataset: 'interactions',
    location: 'bad-number.csv',
    failing: 'bad-number.csv',
    files: [['bad-number.csv', patched({ 10: 'u1,i1,1.5,click', 20: 'u1,i1,99999999999999999999,click' })]],
    expect: () => ({
      line: 12,
      column: 'TIMESTAMP',
      value: '1.5',
      rule: 'is not a whole number (long)',
      rows: [2, 1200],
      also: ["line 22, column TIMESTAMP: '99999999999999999999' is out of range for long (-9223372036854775808 to 9223372036854775807)"],
    }),
  },
  {
    id: 'bad-ts',
    dataset: 'interactions',
    location: 'bad-ts.csv',
    failing: 'bad-ts.csv',
    files: [['bad-ts.csv', patched({ 0: 'u1,i1,yesterday,click', 500: 'u1,i1,2024-01-01T00:00:00Z,click' })]],
    expect: () => ({
      line: 2,
      column: 'TIMESTAMP',
      value: 'yesterday',
      rule: "'yesterday' is not a whole number (long)",
      rows: [2, 1200],
      also: ["line 502, column TIMESTAMP: '2024-01-01T00:00:00Z' is not a whole number (long)"],
    }),
  },
  {
    id: 'empty-values',
    dataset: 'interactions',
    location: 'empty.csv',
    failing: 'empty.csv',
    files: [['empty.csv', patched({ 7: ',i1,1700000000,click', 8: 'u1,i1,1700000000,', 9: 'u1,i1,,click' })]],
    expect: () => ({
      line: 9,
      column: 'USER_ID',
      rule: 'empty value, but USER_ID is required',
      rows: [3, 1200],
      also: [
        'line 10, column EVENT_TYPE: empty value, but EVENT_TYPE is required',
        'line 11, column TIMESTAMP: empty value, but TIMESTAMP is required',
      ],
    }),
  },
  {
    id: 'long-id',
    dataset: 'interactions',
    location: 'long-id.csv',
    failing: 'long-id.csv',
    files: [['long-id.csv', patched({ 3: `u1,${'x'.repeat(257)},1700000000,click`, 4: `${'y'.repeat(256)},i1,1700000000,click` })]],
    expect: () => ({
      line: 5,
      column: 'ITEM_ID',
      value: `${'x'.repeat(40)}…`,
      rule: 'is 257 characters long; ITEM_ID can have at most 256 characters',
      rows: [1, 1200],
      absent: ['x'.repeat(41), 'line 6'],
    }),
  },
  {
    id: 'event-types',
    dataset: 'interactions',
    location: 'types.csv',
    failing: 'types.csv',
    files: [
      [
        'types.csv',
        csv(
          INTERACTIONS_HEADER_4,
          interactionRows4(
            1200,
            0,
            Array.from({ length: 11 }, (_, i) => `type${i}`),
          ),
        ),
      ],
    ],
    // type9 is the 10th distinct type; it first appears on data row 9 = line 11.
    expect: () => ({
      line: 11,
      column: 'EVENT_TYPE',
      value: 'type9',
      rule: "'type9' is distinct event type number 10, but this Interactions schema allows at most 9",
      also: ['the data has 11'],
    }),
  },
  {
    id: 'few-rows',
    dataset: 'interactions',
    location: 'few.csv',
    failing: 'few.csv',
    files: [['few.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(999))]],
    expect: (at) => ({ rule: `An Interactions import needs at least 1000 records, but ${at('few.csv')} has only 999 data rows` }),
  },
  {
    id: 'quote',
    dataset: 'interactions',
    location: 'quote.csv',
    failing: 'quote.csv',
    files: [['quote.csv', patched({ 20: 'u1,"i1,1700000000,click' })]],
    expect: () => ({ line: 22, column: 'ITEM_ID', rule: 'a quoted value is not closed on its line', rows: [1, 1200] }),
  },
  {
    id: 'utf8',
    dataset: 'interactions',
    location: 'utf8.csv',
    failing: 'utf8.csv',
    files: [['utf8.csv', utf8Body()]],
    expect: () => ({ line: 7, column: 'USER_ID', rule: 'the line is not valid UTF-8 text', rows: [1, 1200] }),
  },
  {
    id: 'garbage',
    dataset: 'interactions',
    location: 'garbage.csv',
    failing: 'garbage.csv',
    files: [['garbage.csv', garbageFile()]],
    expect: () => ({ line: 1, rule: /line 1: the header is not valid UTF-8 text/ }),
  },
  {
    id: 'garbage-rows',
    dataset: 'interactions',
    location: 'garbage-rows.csv',
    failing: 'garbage-rows.csv',
    files: [
      ['garbage-rows.csv', Buffer.concat([Buffer.from(`${INTERACTIONS_HEADER_4}\nu1,i1,1700000000,click\n`), garbage(20_000, 88172645)])],
    ],
    expect: () => ({
      line: 3,
      rule: /line 3(, column \w+)?: (the line is not valid UTF-8 text|the line contains a carriage return|the line has \d+ columns but the header has 4)/,
      also: [/^\d+ of \d+ rows are invalid\. First errors: /, /; and \d+ more$/],
    }),
  },
  {
    id: 'empty-file',
    dataset: 'interactions',
    location: 'empty-file.csv',
    failing: 'empty-file.csv',
    files: [['empty-file.csv', '']],
    expect: () => ({ line: 1, rule: 'the file is empty' }),
  },
  {
    id: 'header-only',
    dataset: 'interactions',
    location: 'header-only.csv',
    failing: 'header-only.csv',
    files: [['header-only.csv', `${INTERACTIONS_HEADER_4}\n`]],
    expect: () => ({ line: 2, rule: 'the file has a header line but no data rows' }),
  },
  {
    id: 'two-headers',
    dataset: 'interactions',
    location: 'two-headers/',
    failing: 'two-headers/b.csv',
    files: [
      ['two-headers/a.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(600))],
      ['two-headers/b.csv', csv('ITEM_ID,USER_ID,TIMESTAMP,EVENT_TYPE', swapped())],
    ],
    expect: (at) => ({
      line: 1,
      rule: `all files of an import must have identical headers; this file has [ITEM_ID, USER_ID, TIMESTAMP, EVENT_TYPE] but ${at('two-headers/a.csv')} has [USER_ID, ITEM_ID, TIMESTAMP, EVENT_TYPE]`,
    }),
  },
  {
    id: 'long-categorical',
    dataset: 'items',
    location: 'long-cat.csv',
    failing: 'long-cat.csv',
    files: [['long-cat.csv', csv('ITEM_ID,GENRES', [`i7,${'é'.repeat(1000)}`, `i8,${'a'.repeat(1001)}`])]],
    expect: () => ({
      line: 3,
      column: 'GENRES',
      rule: 'Length cannot be more than 1000 characters for GENRES (this value has 1001)',
      rows: [1, 2],
    }),
  },
  {
    // rule 39a: a NUL byte is no text, in any column.
    id: 'nul-character',
    dataset: 'interactions',
    location: 'nul.csv',
    failing: 'nul.csv',
    files: [['nul.csv', patched({ 30: 'u1,i\u00001,1700000000,click', 31: 'u\u0000,i1,1700000000,click' })]],
    expect: () => ({
      line: 32,
      column: 'ITEM_ID',
      value: 'i\\x001',
      rule: "'i\\x001' contains a NUL character (\\x00); values must be text without NUL characters",
      rows: [2, 1200],
      also: ["line 33, column USER_ID: 'u\\x00' contains a NUL character"],
    }),
  },
  {
    // rule 17: reserved keywords cannot be values, e.g. a header line pasted into the data.
    id: 'reserved-keyword',
    dataset: 'interactions',
    location: 'keyword.csv',
    failing: 'keyword.csv',
    files: [['keyword.csv', patched({ 40: 'u1,i1,1700000000,EVENT_TYPE', 600: INTERACTIONS_HEADER_4 })]],
    expect: () => ({
      line: 42,
      column: 'EVENT_TYPE',
      value: 'EVENT_TYPE',
      rule: "'EVENT_TYPE' is a reserved keyword; reserved keywords cannot be used as values",
      rows: [2, 1200],
      also: ["line 602, column TIMESTAMP: 'TIMESTAMP' is not a whole number (long)"],
    }),
  },
  {
    // rule 42a: in an Items file metadata may be empty, the ID may not.
    id: 'items-empty-id',
    dataset: 'items',
    location: 'items-empty-id.csv',
    failing: 'items-empty-id.csv',
    files: [['items-empty-id.csv', csv('ITEM_ID,GENRES', ['i1,Drama', 'i2,', ',Comedy', 'i4,Horror'])]],
    expect: () => ({ line: 4, column: 'ITEM_ID', rule: 'empty value, but ITEM_ID is required', rows: [1, 4], absent: ['line 3'] }),
  },
];

/** A file the import job, the CLI validator and the engine must all accept. */
export interface GoodFileCase {
  id: string;
  datasetType: 'Items';
  /** The Avro schema as CreateSchema gets it, and the same schema parsed (the engine's input). */
  schema: { avro: string; parsed: ParsedSchema };
  files: [key: string, body: string][];
  location: string;
  rows: number;
  /** What an export of the dataset then holds: the header, then the rows sorted. */
  exported: string[];
}

const avro = (name: string, fields: unknown[]) =>
  JSON.stringify({ type: 'record', name, namespace: 'com.amazonaws.personalize.schema', fields, version: '1.0' });
const parsedField = (name: string, type: 'string' | 'int', o: { categorical?: boolean; textual?: boolean; nullable?: boolean } = {}) => ({
  name,
  type,
  nullable: o.nullable ?? false,
  categorical: o.categorical ?? false,
  textual: o.textual ?? false,
});

const MOVIELENS_GENRES = ['Action', 'Adventure', 'Animation', 'Children', 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy'];

/**
 * The Items file of AWS's POC-in-a-box notebook 02 in shape: MovieLens movies as ITEM_ID, GENRE
 * (pipe-separated) and YEAR, the year taken from the title with the notebook's regex, so that 12
 * titles without a year give an empty YEAR and a series gives `2006–2007` (en dash), which an int
 * cannot hold. AWS imported the notebook's file ACTIVE (rules.md rule 42a).
 */
function pocInABoxItems(n = 400): { body: string; exported: string[] } {
  const noYear = new Set([7, 41, 97, 133, 178, 201, 229, 260, 288, 311, 350, 389]);
  const rows: string[] = [];
  const stored: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = String(1 + i * 7);
    const genre =
      i % 50 === 49
        ? '(no genres listed)'
        : [0, 1, 2]
            .slice(0, 1 + (i % 3))
            .map((k) => MOVIELENS_GENRES[(i + 4 * k) % MOVIELENS_GENRES.length])
            .join('|');
    const year = noYear.has(i) ? '' : i === 300 ? '2006–2007' : String(1902 + ((i * 37) % 117));
    rows.push(`${id},${genre},${year}`);
    stored.push(`${id},${genre},${/^\d+$/.test(year) ? year : ''}`);
  }
  return { body: csv('ITEM_ID,GENRE,YEAR', rows), exported: ['ITEM_ID,GENRE,YEAR', ...stored.sort()] };
}

function textualItems(): { body: string; exported: string[] } {
  const ja = 'これは日本語の説明です。'.repeat(700); // 8,400 characters, Japanese
  const en = 'An English description. '.repeat(300); // 7,200 characters
  const mixed = `${'Mostly English text. '.repeat(400)}日本語`; // 8,403 characters, mostly Latin letters
  return {
    body: csv('ITEM_ID,DESCRIPTION', [`t1,"${ja}"`, `t2,"${en}"`, `t3,"${mixed}"`, `t4,${'字'.repeat(7001)}`]),
    exported: ['ITEM_ID,DESCRIPTION', `t1,${ja.slice(0, 7000)}`, `t2,${en}`, `t3,${mixed}`, `t4,${'字'.repeat(7000)}`],
  };
}

const POC = pocInABoxItems();
const TEXTUAL = textualItems();

export const GOOD_FILES: GoodFileCase[] = [
  {
    id: 'poc-in-a-box-items',
    datasetType: 'Items',
    schema: {
      // The notebook's schema as written: YEAR is a plain (non-nullable) int.
      avro: avro('Items', [
        { name: 'ITEM_ID', type: 'string' },
        { name: 'GENRE', type: 'string', categorical: true },
        { name: 'YEAR', type: 'int' },
      ]),
      parsed: {
        recordName: 'Items',
        datasetType: 'ITEMS',
        fields: [parsedField('ITEM_ID', 'string'), parsedField('GENRE', 'string', { categorical: true }), parsedField('YEAR', 'int')],
      },
    },
    files: [['item-meta.csv', POC.body]],
    location: 'item-meta.csv',
    rows: 400,
    exported: POC.exported,
  },
  {
    // rule 43: Chinese and Japanese textual values are cut at 7,000 characters, others at 20,000.
    id: 'textual-cjk',
    datasetType: 'Items',
    schema: {
      avro: avro('Items', [
        { name: 'ITEM_ID', type: 'string' },
        { name: 'DESCRIPTION', type: ['null', 'string'], textual: true },
      ]),
      parsed: {
        recordName: 'Items',
        datasetType: 'ITEMS',
        fields: [parsedField('ITEM_ID', 'string'), parsedField('DESCRIPTION', 'string', { textual: true, nullable: true })],
      },
    },
    files: [['textual.csv', TEXTUAL.body]],
    location: 'textual.csv',
    rows: 4,
    exported: TEXTUAL.exported,
  },
];

export function badFile(id: string): BadFileCase {
  const c = BAD_FILES.find((x) => x.id === id);
  if (!c) throw new Error(`no corpus case ${id}`);
  return c;
}

/** The checks every test of the corpus makes on a failureReason naming `file`. */
export function assertReason(reason: string, file: string, e: Expect): void {
  assert.ok(reason.includes(file), `file ${file} in: ${reason}`);
  if (e.line !== undefined) assert.ok(new RegExp(`line ${e.line}\\b`).test(reason), `line ${e.line} in: ${reason}`);
  if (e.column !== undefined) assert.ok(reason.includes(`line ${e.line}, column ${e.column}`), `column ${e.column} in: ${reason}`);
  if (e.value !== undefined) assert.ok(reason.includes(`'${e.value}'`), `value '${e.value}' in: ${reason}`);
  if (typeof e.rule === 'string') assert.ok(reason.includes(e.rule), `rule "${e.rule}" in: ${reason}`);
  else assert.match(reason, e.rule);
  if (e.rows) {
    const [bad, total] = e.rows;
    assert.ok(reason.startsWith(`${bad} of ${total} rows ${bad === 1 ? 'is' : 'are'} invalid.`), `${bad} of ${total} rows in: ${reason}`);
  }
  for (const a of e.also ?? []) {
    if (typeof a === 'string') assert.ok(reason.includes(a), `"${a}" in: ${reason}`);
    else assert.match(reason, a);
  }
  for (const a of e.absent ?? []) assert.ok(!reason.includes(a), `no "${a}" in: ${reason}`);
}
