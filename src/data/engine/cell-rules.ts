// Row validation rules (rules 40-43, 47, 42a, §3.1) expressed as DuckDB SQL over raw VARCHAR cells.
// Every cell is read as text and checked here because DuckDB's own casts are lenient ('1.5' becomes
// 2 for BIGINT, '0x10', '1_000', ' 12', 'nan', 'yes' are accepted). Two forms exist per column:
//  * fastExpr: the typed value, or error() on the first bad cell. Used in the single-pass COPY; a
//    valid file never pays for diagnostics, an invalid one aborts early and goes to diagnose.ts.
//    Integer CASTs of strict columns throw: an out-of-range value aborts the COPY as well.
//  * diagExpr: a rule code (VARCHAR) or NULL. Used only on the failure path to count and locate.
// Two modes (CellMode). Bulk rows (rule 42a): only IDs, EVENT_TYPE and the TIMESTAMP of interactions
// must hold a value their type reads; in every other column an empty cell or a value its type
// cannot read is stored as null, whatever the schema's nullability, as AWS imports its own
// POC-in-a-box Items file. Individually put records keep the schema's word (a non-nullable field
// needs a value, an unreadable value is refused). Either way these always fail: a line break, a NUL
// character, an over-long ID or string, a reserved keyword as a value (rule 17).
import { rulesFor } from '../schema/reserved-fields.ts';
import { DATASET_TYPES, type DatasetType, type FieldType, type ParsedSchema, type SchemaField } from '../schema/schema-model.ts';

export const ID_MAX_CHARS = 256;
export const STRING_MAX_CHARS = 1000;
export const TEXTUAL_MAX_CHARS = 20000;
/** Textual values in Chinese or Japanese are cut at 7,000 characters instead (rule 43). */
export const TEXTUAL_CJK_MAX_CHARS = 7000;
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

/** How a cell is judged: 'bulk' for CSV rows of an import (rule 42a), 'record' for individually put
 *  records, which keep the schema's nullability and refuse a value their type cannot read. */
export type CellMode = 'bulk' | 'record';

/** IDs, interaction timestamps and EVENT_TYPE need a value their type reads, even if the schema made
 *  them nullable (rule 42, §3.2: "if the column exists every event must have a value"). */
export function needsValue(f: SchemaField, schema: ParsedSchema): boolean {
  if (ID_FIELDS.has(f.name) || f.name === 'EVENT_TYPE') return true;
  const interactions = schema.datasetType === 'INTERACTIONS' || schema.datasetType === 'ACTION_INTERACTIONS';
  return interactions && f.name === 'TIMESTAMP';
}

/** An empty cell is an error (else it is stored as null). */
function emptyIsError(f: SchemaField, schema: ParsedSchema, mode: CellMode): boolean {
  return needsValue(f, schema) || (mode === 'record' && !f.nullable);
}

/** A value the field's type cannot read is an error (else it is stored as null). */
function unreadableIsError(f: SchemaField, schema: ParsedSchema, mode: CellMode): boolean {
  return needsValue(f, schema) || mode === 'record';
}

/** The reserved keywords of a dataset type (rules.md §3.1, "reserved" column), which must not appear
 *  as values (rule 17): e.g. EVENT_TYPE, EVENT_VALUE, IMPRESSION for Interactions. Case-sensitive. */
export function reservedKeywords(type: DatasetType): string[] {
  return [...(rulesFor(type)?.fields.values() ?? [])].filter((r) => !r.required).map((r) => r.name);
}

/** Every reserved keyword of any dataset type: for wording a failure (failure-reason.ts). */
export const ALL_RESERVED_KEYWORDS: ReadonlySet<string> = new Set(DATASET_TYPES.flatMap(reservedKeywords));

/** Fields whose values are lists separated by `|` (rule 41): each part is a value. */
function multiValued(f: SchemaField): boolean {
  return f.categorical || f.name === 'IMPRESSION';
}

/** For Interactions with an EVENT_TYPE column: how many distinct event types the data may have
 *  (custom metadata columns + EVENT_TYPE/EVENT_VALUE columns + distinct types <= 10). */
export function maxDistinctEventTypes(schema: ParsedSchema): number | null {
  if (schema.datasetType !== 'INTERACTIONS' || !schema.fields.some((f) => f.name === 'EVENT_TYPE')) return null;
  const custom = schema.fields.filter((f) => !INTERACTION_RESERVED.has(f.name)).length;
  const reserved = schema.fields.filter((f) => f.name === 'EVENT_TYPE' || f.name === 'EVENT_VALUE').length;
  return MAX_INTERACTION_COLUMNS_AND_TYPES - custom - reserved;
}

/** (condition, rule code) pairs that fail a non-NULL raw cell in every mode, in report order. */
function hardChecks(f: SchemaField, r: string, schema: ParsedSchema): [string, string][] {
  // NUL is no text character: a CSV cell or a record holding one is refused (rule 39a).
  const nul: [string, string] = [`contains(${r}, chr(0))`, 'nul_character'];
  if (f.type !== 'string') return [nul];
  // A quoted value may hold a line break; records must be single lines (rule 37).
  const out: [string, string][] = [[`contains(${r}, chr(10))`, 'line_break'], nul];
  const kind = stringKind(f);
  if (kind !== 'textual') {
    const max = stringLimit(kind);
    // strlen (bytes) first: cheap, and length (characters) can only exceed max if it does.
    out.push([`(strlen(${r}) > ${max} AND length(${r}) > ${max})`, kind === 'id' ? 'id_too_long' : 'string_too_long']);
  }
  const keywords = reservedKeywords(schema.datasetType);
  if (keywords.length > 0) {
    // Keywords are ASCII [A-Z_] (bytes = characters), safe in SQL strings and in the pattern. The
    // byte-length test skips nearly every cell (IDs, event types are shorter than any keyword)
    // before the comparisons; a multi-value is searched for each keyword, and only a cell that
    // contains one is matched against the pattern of whole |-separated parts.
    const lengths = keywords.map((k) => k.length);
    const [min, max] = [Math.min(...lengths), Math.max(...lengths)];
    const cond = multiValued(f)
      ? `(strlen(${r}) >= ${min} AND (${keywords.map((k) => `contains(${r}, ${sqlString(k)})`).join(' OR ')}) AND ` +
        `regexp_matches(${r}, '(^|[|])(${keywords.join('|')})([|]|$)'))`
      : `(strlen(${r}) BETWEEN ${min} AND ${max} AND ${r} IN (${keywords.map(sqlString).join(', ')}))`;
    out.push([cond, 'reserved_keyword']);
  }
  return out;
}

/** (condition, rule code) pairs of a value the field's type cannot read. With `castThrows`, checks
 *  that the typed CAST makes anyway (integer range) are left out. */
function typeChecks(f: SchemaField, r: string, castThrows: boolean): [string, string][] {
  switch (f.type) {
    case 'string':
      return [];
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
      return stringKind(f) === 'textual' ? truncatedText(r) : r;
    case 'boolean':
      return `(lower(${r}) = 'true')`;
    default:
      // Out-of-range integers make CAST throw, which also sends the job to the diagnostic pass.
      return `CAST(${r} AS ${duckType(f.type)})`;
  }
}

/**
 * A textual value cut as Personalize cuts it (rule 43): at 7,000 characters when it is Chinese or
 * Japanese text (more than half of its letters are Han, Hiragana or Katakana [INF]), else at
 * 20,000. strlen (bytes) >= length (characters), so values of at most 7,000 bytes, nearly all of
 * them, cost one comparison; the script count runs only on values longer than 7,000 characters.
 */
function truncatedText(r: string): string {
  const cjk = `length(regexp_replace(${r}, '[^\\p{Han}\\p{Hiragana}\\p{Katakana}]', '', 'g'))`;
  const letters = `length(regexp_replace(${r}, '[^\\p{L}]', '', 'g'))`;
  return (
    `CASE WHEN strlen(${r}) <= ${TEXTUAL_CJK_MAX_CHARS} THEN ${r} ` +
    `WHEN length(${r}) > ${TEXTUAL_CJK_MAX_CHARS} AND 2 * ${cjk} > ${letters} THEN left(${r}, ${TEXTUAL_CJK_MAX_CHARS}) ` +
    `WHEN length(${r}) > ${TEXTUAL_MAX_CHARS} THEN left(${r}, ${TEXTUAL_MAX_CHARS}) ELSE ${r} END`
  );
}

/** Message of the fast path's error(): validate.ts reads it to choose the next step. */
export const FAST_INVALID = 'ingest:invalid';

/** Typed value of the column, or a query error on the first invalid cell. */
export function fastExpr(f: SchemaField, r: string, schema: ParsedSchema, mode: CellMode = 'bulk'): string {
  const fail = `error('${FAST_INVALID}')`;
  const asNull = `NULL::${duckType(f.type)}`;
  const onNull = emptyIsError(f, schema, mode) ? fail : asNull;
  const any = (cs: [string, string][]) => cs.map(([c]) => c).join(' OR ');
  const hard = hardChecks(f, r, schema);
  if (unreadableIsError(f, schema, mode)) {
    const bad = any([...hard, ...typeChecks(f, r, true)]);
    return `CASE WHEN ${r} IS NULL THEN ${onNull} WHEN ${bad} THEN ${fail} ELSE ${convert(f, r)} END`;
  }
  // Lenient: the range checks are made here (TRY_CAST), so the CAST after them cannot throw.
  const unreadable = typeChecks(f, r, false);
  return (
    `CASE WHEN ${r} IS NULL THEN ${onNull} WHEN ${any(hard)} THEN ${fail}` +
    `${unreadable.length > 0 ? ` WHEN ${any(unreadable)} THEN ${asNull}` : ''} ELSE ${convert(f, r)} END`
  );
}

/** Rule code of the first violated rule of the cell, NULL when the cell is valid. */
export function diagExpr(f: SchemaField, r: string, schema: ParsedSchema, mode: CellMode = 'bulk'): string {
  const onNull = emptyIsError(f, schema, mode) ? `'required'` : 'NULL';
  const rules = [...hardChecks(f, r, schema), ...(unreadableIsError(f, schema, mode) ? typeChecks(f, r, false) : [])];
  const whens = rules.map(([c, code]) => `WHEN ${c} THEN '${code}'`).join(' ');
  return `CASE WHEN ${r} IS NULL THEN ${onNull} ${whens} END`;
}
