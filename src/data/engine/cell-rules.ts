// Row validation rules (rules 40-43, 47, §3.1) expressed as DuckDB SQL over raw VARCHAR cells.
// Every cell is read as text and checked here because DuckDB's own casts are lenient ('1.5' becomes
// 2 for BIGINT, '0x10', '1_000', ' 12', 'nan', 'yes' are accepted). Two forms exist per column:
//  * fastExpr: the typed value, or error() on the first bad cell. Used in the single-pass COPY; a
//    valid file never pays for diagnostics, an invalid one aborts early and goes to diagnose.ts.
//    Integer CASTs stay strict-by-throwing: an out-of-range value aborts the COPY as well.
//  * diagExpr: a rule code (VARCHAR) or NULL. Used only on the failure path to count and locate.
import type { FieldType, ParsedSchema, SchemaField } from '../schema/schema-model.ts';

export const ID_MAX_CHARS = 256;
export const STRING_MAX_CHARS = 1000;
export const TEXTUAL_MAX_CHARS = 20000;
export const MIN_INTERACTION_ROWS = 1000;
export const MAX_INTERACTION_COLUMNS_AND_TYPES = 10;

const ID_FIELDS = new Set(['USER_ID', 'ITEM_ID', 'ACTION_ID']);
const INTERACTION_RESERVED = new Set([
  'USER_ID',
  'ITEM_ID',
  'TIMESTAMP',
  'EVENT_TYPE',
  'EVENT_VALUE',
  'IMPRESSION',
  'RECOMMENDATION_ID',
  'EVENT_ATTRIBUTION_SOURCE',
]);

export const INT_RE = '[+-]?[0-9]+';
export const DECIMAL_RE = '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?';

export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
export function sqlIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

export function duckType(t: FieldType): string {
  return { string: 'VARCHAR', int: 'INTEGER', long: 'BIGINT', float: 'FLOAT', double: 'DOUBLE', boolean: 'BOOLEAN' }[t];
}

export type StringKind = 'id' | 'textual' | 'string';

export function stringKind(f: SchemaField): StringKind {
  if (ID_FIELDS.has(f.name)) return 'id';
  return f.textual ? 'textual' : 'string';
}

export function stringLimit(kind: StringKind): number {
  return kind === 'id' ? ID_MAX_CHARS : kind === 'textual' ? TEXTUAL_MAX_CHARS : STRING_MAX_CHARS;
}

/** IDs, interaction timestamps and EVENT_TYPE need a value even if the schema made them nullable
 *  (rule 42, §3.2: "if the column exists every event must have a value"). */
export function isRequired(f: SchemaField, schema: ParsedSchema): boolean {
  if (!f.nullable || ID_FIELDS.has(f.name) || f.name === 'EVENT_TYPE') return true;
  const interactions = schema.datasetType === 'INTERACTIONS' || schema.datasetType === 'ACTION_INTERACTIONS';
  return interactions && f.name === 'TIMESTAMP';
}

/** For Interactions with an EVENT_TYPE column: how many distinct event types the data may have
 *  (custom metadata columns + EVENT_TYPE/EVENT_VALUE columns + distinct types <= 10). */
export function maxDistinctEventTypes(schema: ParsedSchema): number | null {
  if (schema.datasetType !== 'INTERACTIONS' || !schema.fields.some((f) => f.name === 'EVENT_TYPE')) return null;
  const custom = schema.fields.filter((f) => !INTERACTION_RESERVED.has(f.name)).length;
  const reserved = schema.fields.filter((f) => f.name === 'EVENT_TYPE' || f.name === 'EVENT_VALUE').length;
  return MAX_INTERACTION_COLUMNS_AND_TYPES - custom - reserved;
}

/** (condition, rule code) pairs for a non-NULL raw cell, in the order they are reported. With
 *  `castThrows`, checks that the typed CAST makes anyway (integer range) are left out. */
function checks(f: SchemaField, r: string, castThrows: boolean): [string, string][] {
  switch (f.type) {
    case 'string': {
      // A quoted value may hold a line break; records must be single lines (rule 37).
      const out: [string, string][] = [[`contains(${r}, chr(10))`, 'line_break']];
      const kind = stringKind(f);
      if (kind !== 'textual') {
        const max = stringLimit(kind);
        // strlen (bytes) first: cheap, and length (characters) can only exceed max if it does.
        out.push([`(strlen(${r}) > ${max} AND length(${r}) > ${max})`, kind === 'id' ? 'id_too_long' : 'string_too_long']);
      }
      return out;
    }
    case 'int':
    case 'long':
      return [
        [`NOT regexp_full_match(${r}, '${INT_RE}')`, 'not_integer'],
        ...(castThrows ? [] : [[`TRY_CAST(${r} AS ${duckType(f.type)}) IS NULL`, 'out_of_range'] as [string, string]]),
      ];
    case 'float':
    case 'double':
      return [
        [`NOT regexp_full_match(${r}, '${DECIMAL_RE}')`, 'not_decimal'],
        [`isinf(TRY_CAST(${r} AS ${duckType(f.type)}))`, 'out_of_range'],
      ];
    case 'boolean':
      return [[`lower(${r}) NOT IN ('true', 'false')`, 'not_boolean']];
  }
}

function convert(f: SchemaField, r: string): string {
  switch (f.type) {
    case 'string':
      return stringKind(f) === 'textual'
        ? `CASE WHEN strlen(${r}) > ${TEXTUAL_MAX_CHARS} THEN left(${r}, ${TEXTUAL_MAX_CHARS}) ELSE ${r} END`
        : r;
    case 'boolean':
      return `(lower(${r}) = 'true')`;
    default:
      // Out-of-range integers make CAST throw, which also sends the job to the diagnostic pass.
      return `CAST(${r} AS ${duckType(f.type)})`;
  }
}

/** Message of the fast path's error(): validate.ts reads it to choose the next step. */
export const FAST_INVALID = 'ingest:invalid';

/** Typed value of the column, or a query error on the first invalid cell. */
export function fastExpr(f: SchemaField, r: string, schema: ParsedSchema): string {
  const onNull = isRequired(f, schema) ? `error('${FAST_INVALID}')` : `NULL::${duckType(f.type)}`;
  const bad = checks(f, r, true)
    .map(([c]) => c)
    .join(' OR ');
  return `CASE WHEN ${r} IS NULL THEN ${onNull} WHEN ${bad} THEN error('${FAST_INVALID}') ELSE ${convert(f, r)} END`;
}

/** Rule code of the first violated rule of the cell, NULL when the cell is valid. */
export function diagExpr(f: SchemaField, r: string, schema: ParsedSchema): string {
  const onNull = isRequired(f, schema) ? `'required'` : 'NULL';
  const whens = checks(f, r, false)
    .map(([c, code]) => `WHEN ${c} THEN '${code}'`)
    .join(' ');
  return `CASE WHEN ${r} IS NULL THEN ${onNull} ${whens} END`;
}
