// Storage layout of a dataset's bulk data.
//
// A dataset's bulk data is a *generation*: an ordered list of immutable Parquet parts, oldest
// first, each the output of one successful import (validateToParquet) with the schema's columns
// typed (VARCHAR, INTEGER, BIGINT, FLOAT, DOUBLE, BOOLEAN) and the rows in file order.
//   FULL        -> [newPart]                (rule 53: replaces all bulk data)
//   INCREMENTAL -> [...oldParts, newPart]   (rule 54: appends)
// Nothing is rewritten at import time, so an import costs only its own data and a failed import
// leaves the old generation untouched. The semantics are applied when reading (datasetViewSql):
//   ITEMS / USERS / ACTIONS: one row per ITEM_ID / USER_ID / ACTION_ID, from the newest part, and
//     within a part the last row (rule 46: a record with an existing ID replaces it);
//   INTERACTIONS / ACTION_INTERACTIONS: exact duplicate rows are kept once (rule 46).
// When parts pile up (many INCREMENTAL imports), compactParts writes the view into one part that
// replaces the whole generation; its result is identical by construction.
import type { ParsedSchema } from '../schema/schema-model.ts';
import { rows, withDuck } from '../engine/duck.ts';
import {
  duckType,
  MAX_INTERACTION_COLUMNS_AND_TYPES,
  maxDistinctEventTypes,
  MIN_INTERACTION_ROWS,
  sqlIdent,
  sqlString,
} from '../engine/cell-rules.ts';
import type { EngineOptions } from '../engine/types.ts';

/** Suggested compaction threshold: past this many parts, compact after an import. */
export const COMPACT_AFTER_PARTS = 16;

export function shouldCompact(partCount: number): boolean {
  return partCount > COMPACT_AFTER_PARTS;
}

const ID_OF: Partial<Record<ParsedSchema['datasetType'], string>> = { ITEMS: 'ITEM_ID', USERS: 'USER_ID', ACTIONS: 'ACTION_ID' };

/** Every row of the parts with all schema columns (NULL where an older part lacks a column that a
 *  later schema added, rule 22) plus the part index and row number inside the part. */
function allRowsSql(schema: ParsedSchema, parts: string[]): string {
  const typed = schema.fields.map((f) => `NULL::${duckType(f.type)} AS ${sqlIdent(f.name)}`);
  const empty = `SELECT ${typed.join(', ')}, NULL::BIGINT AS __part, NULL::BIGINT AS __row WHERE false`;
  if (parts.length === 0) return empty;
  const scan = `read_parquet([${parts.map(sqlString).join(', ')}], union_by_name = true)`;
  return `${empty} UNION ALL BY NAME SELECT *, file_index AS __part, file_row_number AS __row FROM ${scan}`;
}

/** A SELECT of the dataset's current rows (schema columns in schema order) over a generation. */
export function datasetViewSql(schema: ParsedSchema, parts: string[]): string {
  const cols = schema.fields.map((f) => sqlIdent(f.name)).join(', ');
  const id = ID_OF[schema.datasetType];
  if (id) {
    return `SELECT ${cols} FROM (${allRowsSql(schema, parts)})
            QUALIFY row_number() OVER (PARTITION BY ${sqlIdent(id)} ORDER BY __part DESC, __row DESC) = 1`;
  }
  return `SELECT DISTINCT ${cols} FROM (${allRowsSql(schema, parts)})`;
}

/** Distinct rows of `incoming` that the generation `parts` does not already hold (rule 55). */
export async function newRecordCount(o: {
  schema: ParsedSchema;
  parts: string[];
  incoming: string;
  engine: EngineOptions;
}): Promise<{ newRecords: number; incomingRows: number }> {
  const cols = o.schema.fields.map((f) => sqlIdent(f.name)).join(', ');
  return withDuck(o.engine, async (c) => {
    const [r] = await rows(
      c,
      `SELECT (SELECT count(*) FROM (SELECT ${cols} FROM (${allRowsSql(o.schema, [o.incoming])})
                                     EXCEPT SELECT ${cols} FROM (${allRowsSql(o.schema, o.parts)}))) AS n,
              (SELECT count(*) FROM read_parquet(${sqlString(o.incoming)})) AS total`,
    );
    return { newRecords: Number(r.n), incomingRows: Number(r.total) };
  });
}

/**
 * The INCREMENTAL rule of rule 55: an import into an Interactions or Action interactions dataset
 * needs at least 1,000 records that are not already in it. Returns the failureReason, or null when
 * the import may proceed (always null for other dataset types).
 */
export async function countNewRecords(o: {
  schema: ParsedSchema;
  parts: string[];
  incoming: string;
  engine: EngineOptions;
}): Promise<string | null> {
  if (o.schema.datasetType !== 'INTERACTIONS' && o.schema.datasetType !== 'ACTION_INTERACTIONS') return null;
  const { newRecords, incomingRows } = await newRecordCount(o);
  if (newRecords >= MIN_INTERACTION_ROWS) return null;
  const kind = o.schema.datasetType === 'INTERACTIONS' ? 'Interactions' : 'Action interactions';
  return `An INCREMENTAL import into an ${kind} dataset needs at least ${MIN_INTERACTION_ROWS} new records, but only ${newRecords} of its ${incomingRows} records are not already in the dataset.`;
}

/**
 * Why the dataset after this import would hold more distinct event types than its schema allows
 * (custom metadata columns + EVENT_TYPE/EVENT_VALUE + distinct event types <= the limit), or null.
 * The dataset is the bulk generation the import adds to (`parts`, [] for FULL, whose own file the
 * validating pass already checked alone) plus the event types of individually put events
 * (`putTypes`), as AWS counts the Interactions dataset whatever way its events came in.
 */
export async function eventTypesAfterImport(o: {
  schema: ParsedSchema;
  parts: string[];
  incoming: string;
  putTypes: string[];
  engine: EngineOptions;
}): Promise<string | null> {
  const max = maxDistinctEventTypes(o.schema);
  if (max === null || (o.parts.length === 0 && o.putTypes.length === 0)) return null;
  return withDuck(o.engine, async (c) => {
    const all = [...o.parts, o.incoming].map(sqlString).join(', ');
    const put = o.putTypes.length > 0 ? ` UNION SELECT unnest([${o.putTypes.map(sqlString).join(', ')}]::VARCHAR[])` : '';
    const types = `SELECT "EVENT_TYPE" AS t FROM read_parquet([${all}], union_by_name = true)${put}`;
    const [r] = await rows(c, `SELECT count(DISTINCT t) AS n FROM (${types})`);
    const n = Number(r.n);
    if (n <= max) return null;
    const before = [
      ...(o.parts.length > 0
        ? [`SELECT DISTINCT "EVENT_TYPE" FROM read_parquet([${o.parts.map(sqlString).join(', ')}], union_by_name = true)`]
        : []),
      ...(o.putTypes.length > 0 ? [`SELECT unnest([${o.putTypes.map(sqlString).join(', ')}]::VARCHAR[])`] : []),
    ].join(' UNION ');
    const fresh = await rows(
      c,
      `SELECT DISTINCT "EVENT_TYPE" AS t FROM read_parquet(${sqlString(o.incoming)}) EXCEPT ${before} ORDER BY 1 LIMIT 10`,
    );
    const what = o.putTypes.length > 0 ? 'bulk data and individually put events' : 'bulk data';
    return `With this ${o.parts.length > 0 ? 'INCREMENTAL ' : ''}import the dataset (${what}) would hold ${n} distinct event types, but its schema allows at most ${max} (custom metadata columns + EVENT_TYPE/EVENT_VALUE + distinct event types <= ${MAX_INTERACTION_COLUMNS_AND_TYPES}). Event types new in this import: [${fresh.map((x) => String(x.t)).join(', ')}].`;
  });
}

/** At most this many distinct event attribution sources may be imported (developer guide, "Recording events": "You can import at most 100 event attribution sources"). */
export const MAX_ATTRIBUTION_SOURCES = 100;

/**
 * Why the Interactions data after this import would hold too many distinct EVENT_ATTRIBUTION_SOURCE
 * values (empty ones are SOURCE_NAME_UNDEFINED, not a source), or null. `parts` is the generation
 * the import adds to: [] for FULL.
 */
export async function attributionSourcesAfterImport(o: {
  schema: ParsedSchema;
  parts: string[];
  incoming: string;
  engine: EngineOptions;
}): Promise<string | null> {
  if (!o.schema.fields.some((f) => f.name === 'EVENT_ATTRIBUTION_SOURCE')) return null;
  return withDuck(o.engine, async (c) => {
    const files = [...o.parts, o.incoming].map(sqlString).join(', ');
    const sources = `SELECT DISTINCT "EVENT_ATTRIBUTION_SOURCE" AS s FROM read_parquet([${files}], union_by_name = true) WHERE coalesce("EVENT_ATTRIBUTION_SOURCE", '') <> ''`;
    const [r] = await rows(c, `SELECT count(*) AS n FROM (${sources})`);
    const n = Number(r.n);
    if (n <= MAX_ATTRIBUTION_SOURCES) return null;
    const some = await rows(c, `SELECT s FROM (${sources}) ORDER BY s LIMIT 5`);
    const where = o.parts.length > 0 ? 'the dataset would hold' : 'the import holds';
    return `With a metric attribution, at most ${MAX_ATTRIBUTION_SOURCES} distinct event attribution sources (EVENT_ATTRIBUTION_SOURCE) can be imported, but ${where} ${n} (e.g. ${some.map((x) => String(x.s)).join(', ')}).`;
  });
}

/** Writes the generation's current rows into one part (same content, fewer files). */
export async function compactParts(o: {
  schema: ParsedSchema;
  parts: string[];
  outputPath: string;
  engine: EngineOptions;
}): Promise<{ rows: number }> {
  return withDuck(o.engine, async (c) => {
    const [r] = await rows(c, `COPY (${datasetViewSql(o.schema, o.parts)}) TO ${sqlString(o.outputPath)} (FORMAT parquet)`);
    return { rows: Number(r.Count) };
  });
}
