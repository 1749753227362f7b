// Shared fixtures of the ingest tests: ParsedSchema objects built by hand (the engine must not
// depend on the Avro parser) and a temp directory per test file. CSV text is in test/testkit/rows.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FieldType, ParsedSchema, SchemaField } from '../../../src/data/schema/schema-model.ts';
import type { CsvSource, EngineOptions } from '../../../src/data/engine/index.ts';

export function field(name: string, type: FieldType, o: Partial<SchemaField> = {}): SchemaField {
  return { name, type, nullable: false, categorical: false, textual: false, ...o };
}

/** Interactions with a nullable float EVENT_VALUE: the columns of INTERACTIONS_HEADER_WITH_VALUE. */
export const interactionsSchema: ParsedSchema = {
  recordName: 'Interactions',
  datasetType: 'INTERACTIONS',
  fields: [
    field('USER_ID', 'string'),
    field('ITEM_ID', 'string'),
    field('TIMESTAMP', 'long'),
    field('EVENT_TYPE', 'string'),
    field('EVENT_VALUE', 'float', { nullable: true }),
  ],
};

export const itemsSchema: ParsedSchema = {
  recordName: 'Items',
  datasetType: 'ITEMS',
  fields: [
    field('ITEM_ID', 'string'),
    field('GENRES', 'string', { categorical: true, nullable: true }),
    field('DESCRIPTION', 'string', { textual: true, nullable: true }),
    field('PRICE', 'double', { nullable: true }),
    field('STOCK', 'int', { nullable: true }),
    field('CREATION_TIMESTAMP', 'long'),
    field('ADULT', 'boolean', { nullable: true }),
  ],
};

/** The ParsedSchema of minimalSchemas.interactions (test/testkit/schemas.ts): the bad-file corpus's Interactions. */
export const minimalInteractionsSchema: ParsedSchema = {
  recordName: 'Interactions',
  datasetType: 'INTERACTIONS',
  fields: [field('USER_ID', 'string'), field('ITEM_ID', 'string'), field('TIMESTAMP', 'long'), field('EVENT_TYPE', 'string')],
};

/** The ParsedSchema of minimalSchemas.items: the bad-file corpus's Items. */
export const minimalItemsSchema: ParsedSchema = {
  recordName: 'Items',
  datasetType: 'ITEMS',
  fields: [field('ITEM_ID', 'string'), field('GENRES', 'string', { categorical: true, nullable: true })],
};

export interface TempDir {
  dir: string;
  engine: EngineOptions;
  write(name: string, content: string | Buffer): CsvSource;
  path(name: string): string;
  remove(): void;
}

export function tempDir(prefix: string): TempDir {
  const dir = mkdtempSync(join(tmpdir(), `ingest-${prefix}-`));
  const work = join(dir, 'work');
  mkdirSync(work);
  return {
    dir,
    engine: { workDir: work, memoryLimit: '256MB', threads: 1 },
    write(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return { displayName: `s3://bucket/${name}`, path };
    },
    path: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Rows of a Parquet file (or any SELECT) as JSON values, BIGINTs as strings. */
export async function query(engine: EngineOptions, sql: string): Promise<Record<string, unknown>[]> {
  const { withDuck, rows } = await import('../../../src/data/engine/duck.ts');
  return withDuck(engine, (c) => rows(c, sql));
}

export function parquetRows(engine: EngineOptions, path: string): Promise<Record<string, unknown>[]> {
  return query(engine, `SELECT * FROM read_parquet('${path.replaceAll("'", "''")}')`);
}
