// Synthetic data for the benchmarks, written in 16 MB chunks so that generating a 10M-row file takes
// seconds, not the benchmark's whole budget:
//  * Interactions with EVENT_VALUE: Zipf-distributed users and items, a few event types with a
//    skewed mix, increasing timestamps, a decimal event value (empty on some rows);
//  * Items with a categorical GENRES (`a|b`) and a textual DESCRIPTION: long free text with commas,
//    RFC 4180 doubled quotes and a few non-ASCII words, so every description is a quoted value.
// BENCH_DATASETS also gives each file's schema (ParsedSchema for the engine, Avro for the API) and
// the reference: DuckDB reading the same file with the schema's column types given (no sniffing),
// writing Parquet.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { ParsedSchema, SchemaField } from '../src/data/schema/schema-model.ts';
import { duckType, sqlIdent, sqlString } from '../src/data/engine/cell-rules.ts';

export const INTERACTIONS_HEADER = 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE';
export const ITEMS_HEADER = 'ITEM_ID,GENRES,PRICE,CREATION_TIMESTAMP,DESCRIPTION';
const USERS = 1_000_000;
const ITEMS = 200_000;
const EVENT_TYPES = ['click', 'view', 'purchase', 'like', 'share'];
const EVENT_CDF = [0.6, 0.85, 0.93, 0.98, 1];
const GENRES = ['action', 'comedy', 'drama', 'horror', 'kids', 'documentary', 'sci-fi', 'romance', 'thriller', 'music'];
const WORDS = (
  'the a of and to in is for with on that this it as by from at an be or are was new best ' +
  'classic edition collection limited soft cotton shirt dress shoes lamp kitchen garden outdoor ' +
  'wireless charger battery portable design premium quality everyday comfortable lightweight ' +
  'durable modern vintage handmade organic natural stainless steel wooden ceramic glass leather ' +
  'café naïve crème brûlée über señor façade résumé'
).split(' ');

/** Zipf(s=1)-like rank in [1, n]: inverse of the continuous CDF ln(k)/ln(n). */
function zipf(n: number): number {
  return Math.floor(Math.exp(Math.random() * Math.log(n + 1)));
}

/** Writes ASCII digits of a non-negative integer into buf at pos; returns the new pos. */
function digits(buf: Buffer, pos: number, v: number): number {
  if (v === 0) {
    buf[pos] = 48;
    return pos + 1;
  }
  let len = 0;
  for (let x = v; x > 0; x = Math.floor(x / 10)) len++;
  for (let i = pos + len - 1; i >= pos; i--) {
    buf[i] = 48 + (v % 10);
    v = Math.floor(v / 10);
  }
  return pos + len;
}

/** Writes `rows` lines made by `line` (which writes one line at pos and returns the new pos, at
 *  most `maxLine` bytes) after the header. */
function writeLines(
  path: string,
  header: string,
  rows: number,
  maxLine: number,
  line: (buf: Buffer, pos: number, i: number) => number,
): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(16 << 20);
  let pos = chunk.write(`${header}\n`);
  for (let i = 0; i < rows; i++) {
    if (pos > chunk.length - maxLine) {
      writeSync(fd, chunk, 0, pos);
      pos = 0;
    }
    pos = line(chunk, pos, i);
  }
  writeSync(fd, chunk, 0, pos);
  closeSync(fd);
}

/** Interactions (INTERACTIONS_HEADER), about 37 bytes a row. */
export function generateInteractions(path: string, rows: number): void {
  const user = Buffer.from('user_');
  const item = Buffer.from('item_');
  const types = EVENT_TYPES.map((t) => Buffer.from(`${t},`));
  writeLines(path, INTERACTIONS_HEADER, rows, 256, (chunk, pos, i) => {
    pos += user.copy(chunk, pos);
    pos = digits(chunk, pos, zipf(USERS));
    chunk[pos++] = 44;
    pos += item.copy(chunk, pos);
    pos = digits(chunk, pos, zipf(ITEMS));
    chunk[pos++] = 44;
    pos = digits(chunk, pos, 1_690_000_000 + Math.floor(i / 4));
    chunk[pos++] = 44;
    const r = Math.random();
    let t = 0;
    while (r > EVENT_CDF[t]) t++;
    pos += types[t].copy(chunk, pos);
    // EVENT_VALUE: a rating-like decimal (0.5 .. 5.0), a whole number, or empty.
    const v = Math.random();
    if (v < 0.7) {
      const tenths = 5 + Math.floor(Math.random() * 46);
      pos = digits(chunk, pos, Math.floor(tenths / 10));
      chunk[pos++] = 46;
      chunk[pos++] = 48 + (tenths % 10);
    } else if (v < 0.95) {
      pos = digits(chunk, pos, 1 + Math.floor(Math.random() * 5));
    }
    chunk[pos++] = 10;
    return pos;
  });
}

const MAX_DESCRIPTION_WORDS = 80;

/** Items (ITEMS_HEADER), about 300 bytes a row: IDs item_0.., 1-3 genres, a price, a creation
 *  timestamp, and a quoted description of 10-80 words with commas and some "" quotes. */
export function generateItems(path: string, rows: number): void {
  const item = Buffer.from('item_');
  const genres = GENRES.map((g) => Buffer.from(g));
  const words = WORDS.map((w) => Buffer.from(w));
  const quoted = WORDS.map((w) => Buffer.from(`""${w}""`));
  writeLines(path, ITEMS_HEADER, rows, 64 + MAX_DESCRIPTION_WORDS * 16, (chunk, pos, i) => {
    pos += item.copy(chunk, pos);
    pos = digits(chunk, pos, i);
    chunk[pos++] = 44;
    const g = 1 + Math.floor(Math.random() * 3);
    for (let k = 0; k < g; k++) {
      if (k > 0) chunk[pos++] = 124; // |
      pos += genres[Math.floor(Math.random() * genres.length)].copy(chunk, pos);
    }
    chunk[pos++] = 44;
    const cents = 99 + Math.floor(Math.random() * 20_000);
    pos = digits(chunk, pos, Math.floor(cents / 100));
    chunk[pos++] = 46;
    chunk[pos++] = 48 + Math.floor((cents % 100) / 10);
    chunk[pos++] = 48 + (cents % 10);
    chunk[pos++] = 44;
    pos = digits(chunk, pos, 1_500_000_000 + i * 17);
    chunk[pos++] = 44;
    chunk[pos++] = 34; // "
    const n = 10 + Math.floor(Math.random() * (MAX_DESCRIPTION_WORDS - 9));
    for (let k = 0; k < n; k++) {
      if (k > 0) {
        if (Math.random() < 0.12) chunk[pos++] = 44; // ,
        chunk[pos++] = 32;
      }
      const w = Math.floor(Math.random() * words.length);
      pos += (Math.random() < 0.03 ? quoted[w] : words[w]).copy(chunk, pos);
    }
    chunk[pos++] = 46;
    chunk[pos++] = 34;
    chunk[pos++] = 10;
    return pos;
  });
}

function field(name: string, type: SchemaField['type'], o: Partial<SchemaField> = {}): SchemaField {
  return { name, type, nullable: false, categorical: false, textual: false, ...o };
}

export interface BenchDataset {
  /** 'interactions' | 'items': the file's name and the label of its figures. */
  name: string;
  datasetType: 'Interactions' | 'Items';
  header: string;
  schema: ParsedSchema;
  generate(path: string, rows: number): void;
}

export const BENCH_DATASETS: BenchDataset[] = [
  {
    name: 'interactions',
    datasetType: 'Interactions',
    header: INTERACTIONS_HEADER,
    schema: {
      recordName: 'Interactions',
      datasetType: 'INTERACTIONS',
      fields: [
        field('USER_ID', 'string'),
        field('ITEM_ID', 'string'),
        field('TIMESTAMP', 'long'),
        field('EVENT_TYPE', 'string'),
        field('EVENT_VALUE', 'float', { nullable: true }),
      ],
    },
    generate: generateInteractions,
  },
  {
    name: 'items',
    datasetType: 'Items',
    header: ITEMS_HEADER,
    schema: {
      recordName: 'Items',
      datasetType: 'ITEMS',
      fields: [
        field('ITEM_ID', 'string'),
        field('GENRES', 'string', { nullable: true, categorical: true }),
        field('PRICE', 'float', { nullable: true }),
        field('CREATION_TIMESTAMP', 'long'),
        field('DESCRIPTION', 'string', { nullable: true, textual: true }),
      ],
    },
    generate: generateItems,
  },
];

/** Rows of the Items file for `rows` interactions: about as many bytes as the interactions file. */
export function itemRowsFor(rows: number): number {
  return Math.max(1000, Math.round(rows / 8));
}

/** The schema as the Avro JSON of CreateSchema. */
export function avroSchema(s: ParsedSchema): string {
  return JSON.stringify({
    type: 'record',
    name: s.recordName,
    namespace: 'com.amazonaws.personalize.schema',
    version: '1.0',
    fields: s.fields.map((f) => ({
      name: f.name,
      type: f.nullable ? ['null', f.type] : f.type,
      ...(f.categorical ? { categorical: true } : {}),
      ...(f.textual ? { textual: true } : {}),
    })),
  });
}

/** The reference: DuckDB reading the file with the schema's column types given (header = true, no
 *  sniffing, RFC 4180 quoting) and writing Parquet with its defaults, as our import does. */
export function referenceCopySql(file: string, d: BenchDataset, out: string): string {
  const { schema, header } = d;
  const types = new Map(schema.fields.map((f) => [f.name, duckType(f.type)]));
  const columns = header
    .split(',')
    .map((n) => `${sqlString(n)}: '${types.get(n) ?? 'VARCHAR'}'`)
    .join(', ');
  const src = `read_csv(${sqlString(file)}, header = true, auto_detect = false, columns = {${columns}}, delim = ',', quote = '"', escape = '"')`;
  return `COPY (SELECT ${schema.fields.map((f) => sqlIdent(f.name)).join(', ')} FROM ${src}) TO ${sqlString(out)} (FORMAT parquet)`;
}
