// Row validation rules (rules 40-43, 47, 42a, §3.1) expressed as DuckDB SQL over raw VARCHAR cells.
// Every cell is read as text and checked here because DuckDB's own casts are lenient ('1.5' becomes
// 2 for BIGINT, '0x10', '1_000', ' 12', 'nan', 'yes' are accepted). Two forms exist per column:
//  * fastExpr: the typed value, or error() on the first bad cell. Used in the single-pass COPY; a
//    valid file never pays for diagnostics, an invalid one aborts early and goes to diagnose.ts.
//    It is what an import costs: numbers are cast once and proved strict by cheap tests, the
//    regular expressions deciding only the rest (strictNumber), and checks that validate.ts's byte
//    pre-scan proved needless (ByteFacts) are left out.
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
/** The Interactions fields that are not metadata: the required and the reserved ones. */
export const INTERACTION_RESERVED = new Set([
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

/** `a AND b`, b evaluated only where a holds. DuckDB reorders the terms of AND and OR by their
 *  measured cost and selectivity, which can put an expensive test first; CASE keeps the order. */
function andThen(a: string, b: string): string {
  return `CASE WHEN ${a} THEN ${b} ELSE false END`;
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
    out.push([andThen(`strlen(${r}) > ${max}`, `length(${r}) > ${max}`), kind === 'id' ? 'id_too_long' : 'string_too_long']);
  }
  const keywords = reservedKeywords(schema.datasetType);
  if (keywords.length > 0) {
    // Keywords are ASCII [A-Z_] (bytes = characters), safe in SQL strings and in the pattern. A
    // single value is compared only if its byte length is a keyword's, by equalities: DuckDB plans
    // an IN list of 5 or more as a join, and with a join in the plan a parallel COPY no longer
    // keeps the file's row order (which decides the last row per ID). A multi-value is searched
    // for each keyword, and only a cell that contains one is matched against the pattern of whole
    // |-separated parts.
    const lengths = keywords.map((k) => k.length);
    const [min, max] = [Math.min(...lengths), Math.max(...lengths)];
    const cond = multiValued(f)
      ? andThen(
          `strlen(${r}) >= ${min} AND (${keywords.map((k) => `contains(${r}, ${sqlString(k)})`).join(' OR ')})`,
          `regexp_matches(${r}, '(^|[|])(${keywords.join('|')})([|]|$)')`,
        )
      : `(strlen(${r}) BETWEEN ${min} AND ${max} AND (${keywords.map((k) => `${r} = ${sqlString(k)}`).join(' OR ')}))`;
    out.push([cond, 'reserved_keyword']);
  }
  return out;
}

/** (condition, rule code) pairs of a value the field's type cannot read. */
function typeChecks(f: SchemaField, r: string): [string, string][] {
  switch (f.type) {
    case 'string':
      return [];
    case 'int':
    case 'long':
      return [
        [`NOT regexp_full_match(${r}, '${INT_RE}')`, 'not_integer'],
        [`TRY_CAST(${r} AS ${duckType(f.type)}) IS NULL`, 'out_of_range'],
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

/** The stored value of a valid string or boolean cell (numbers are typedCast). */
function convert(f: SchemaField, r: string): string {
  return f.type === 'boolean' ? `(lower(${r}) = 'true')` : stringKind(f) === 'textual' ? truncatedText(r) : r;
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

/**
 * What a pre-scan of the files' bytes (validate.ts) proved absent, so that the fast path leaves out
 * checks that cannot fire. ANY_BYTES, the default, knows nothing.
 */
export interface ByteFacts {
  /** A NUL byte occurs somewhere. */
  nul: boolean;
  /** A reserved keyword of the dataset type occurs somewhere after the header line. */
  keywords: boolean;
  /** A double quote occurs somewhere. Without one no value holds a line break: LF ends a record. */
  quote: boolean;
  /** Which whitespace bytes but LF occur (' ', \t, \v, \f, \r): a number may end with them. */
  spaces: number[];
}
/** Whitespace that DuckDB's number casts skip around a number (LF aside: see ByteFacts.quote). */
export const SPACE_BYTES = [0x20, 0x09, 0x0b, 0x0c, 0x0d];
export const ANY_BYTES: ByteFacts = { nul: true, keywords: true, quote: true, spaces: SPACE_BYTES };

/** The field's value as its type, NULL when DuckDB's (lenient) cast cannot read the text; null for
 *  fields that are not numbers. validate.ts computes it once per cell in an inner projection. */
export function typedCast(f: SchemaField, r: string): string | null {
  return f.type === 'string' || f.type === 'boolean' ? null : `TRY_CAST(${r} AS ${duckType(f.type)})`;
}

/** A CASE of (condition, result) pairs tried in order: unlike OR, evaluation keeps to that order. */
function ladder(whens: [string, string][], otherwise: string): string {
  return `CASE ${whens.map(([c, v]) => `WHEN ${c} THEN ${v}`).join(' ')} ELSE ${otherwise} END`;
}

/**
 * The CASE steps that accept the number cell `r` (not NULL) as `v` = typedCast(f, r) when it is
 * strict and in range: exactly the rules of typeChecks, cheaper on the common forms.
 *  * An integer is strict if DuckDB writes its value back as the very text (no sign, no leading
 *    zero: '1700000000'); other texts ('+5', '007', but also '1.5', ' 12') go to INT_RE.
 *  * A decimal that DuckDB reads as a finite number is strict if it starts with a digit or '.',
 *    holds no '_' and does not end with whitespace: besides 'nan' and 'inf' those are the only
 *    liberties DuckDB's float reader takes beyond DECIMAL_RE (a second sign, '1_000', ' 1.5 ';
 *    checked against DECIMAL_RE on random texts in test/data/engine/fast-rules.test.ts). Other
 *    texts ('-2', '+1e5') go to DECIMAL_RE. Whitespace bytes absent from the files are not tested.
 */
function strictNumber(f: SchemaField, r: string, v: string, bytes: ByteFacts): [string, string][] {
  if (f.type === 'int' || f.type === 'long') {
    return [
      [`${v}::VARCHAR = ${r}`, v],
      [andThen(`${v} IS NOT NULL`, `regexp_full_match(${r}, '${INT_RE}')`), v],
    ];
  }
  const spaces = [...bytes.spaces, ...(bytes.quote ? [0x0a] : [])];
  const plain = [`${r} >= '.'`, `${r} < ':'`, `NOT contains(${r}, '_')`, ...spaces.map((b) => `NOT ends_with(${r}, chr(${b}))`)];
  return [
    [`${plain.join(' AND ')} AND isfinite(${v})`, v],
    [andThen(`isfinite(${v})`, `regexp_full_match(${r}, '${DECIMAL_RE}')`), v],
  ];
}

/**
 * Typed value of the column, or a query error on the first invalid cell. Options of the import's
 * COPY (validate.ts): `typed`, the SQL of typedCast(f, r) computed once already; `bytes`, what the
 * files lack; `nullsAfter`, an empty cell that needs a value is written as NULL, and the caller
 * fails the COPY if the Parquet file's null counts show one. Every check is a step of one CASE,
 * the cheap ones first; a NULL cell makes every test NULL, so that it falls through to the end.
 */
export function fastExpr(
  f: SchemaField,
  r: string,
  schema: ParsedSchema,
  mode: CellMode = 'bulk',
  o: { typed?: string; bytes?: ByteFacts; nullsAfter?: boolean } = {},
): string {
  const bytes = o.bytes ?? ANY_BYTES;
  const fail = `error('${FAST_INVALID}')`;
  const asNull = `NULL::${duckType(f.type)}`;
  const strict = unreadableIsError(f, schema, mode);
  const onNull = emptyIsError(f, schema, mode) && !o.nullsAfter ? fail : asNull;
  const v = o.typed ?? typedCast(f, r);
  if (v !== null) {
    // A number: NUL is the only hard check, and a strict text holds none.
    const unreadable = strict ? fail : bytes.nul ? `CASE WHEN contains(${r}, chr(0)) THEN ${fail} ELSE ${asNull} END` : asNull;
    const [accept, ...slower] = strictNumber(f, r, v, bytes);
    return ladder([accept, [`${r} IS NULL`, onNull], ...slower], unreadable);
  }
  const whens: [string, string][] = onNull === asNull ? [] : [[`${r} IS NULL`, onNull]];
  let tooLong: [string, string] | null = null;
  for (const [c, code] of hardChecks(f, r, schema)) {
    const absent = { nul_character: !bytes.nul, line_break: !bytes.quote, reserved_keyword: !bytes.keywords };
    if (absent[code as keyof typeof absent]) continue;
    if (code === 'id_too_long' || code === 'string_too_long') {
      // Last, as a plain comparison: the character count only where the bytes are too many.
      const max = stringLimit(stringKind(f));
      tooLong = [`strlen(${r}) > ${max}`, `CASE WHEN length(${r}) > ${max} THEN ${fail} ELSE ${convert(f, r)} END`];
    } else whens.push([c, fail]);
  }
  for (const [c] of typeChecks(f, r)) whens.push([c, strict ? fail : asNull]);
  if (tooLong) whens.push(tooLong);
  return whens.length === 0 ? convert(f, r) : ladder(whens, convert(f, r));
}

/** Rule code of the first violated rule of the cell, NULL when the cell is valid. */
export function diagExpr(f: SchemaField, r: string, schema: ParsedSchema, mode: CellMode = 'bulk'): string {
  const onNull = emptyIsError(f, schema, mode) ? `'required'` : 'NULL';
  const rules = [...hardChecks(f, r, schema), ...(unreadableIsError(f, schema, mode) ? typeChecks(f, r) : [])];
  const whens = rules.map(([c, code]) => `WHEN ${c} THEN '${code}'`).join(' ');
  return `CASE WHEN ${r} IS NULL THEN ${onNull} ${whens} END`;
}
