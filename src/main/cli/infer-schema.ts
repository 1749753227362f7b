// --infer-schema: a schema proposed from a CSV file's header and a sample of its rows.
// Reserved fields get what Personalize requires (taken from reserved-fields.ts, the table
// CreateSchema enforces: USER_ID/ITEM_ID string, TIMESTAMP long, EVENT_VALUE float, ...); other
// columns get the narrowest type every sampled value passes under the import's own rules
// (cell-rules.ts regexes): boolean, long, double, else string. A string column is proposed categorical
// when its values are short and repeat (the ones Personalize can learn from as categories), and
// in Items the longest free-text column is proposed textual. The result is checked by parseSchema,
// so an inferred schema is never one the service would refuse.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rows, withDuck } from '../../data/engine/duck.ts';
import { readHeader } from '../../data/engine/header.ts';
import { DECIMAL_RE, INT_RE, sqlString } from '../../data/engine/cell-rules.ts';
import { IngestError } from '../../data/engine/types.ts';
import { parseSchema, recordNameFor, SchemaRuleError } from '../../data/schema/avro-schema-rules.ts';
import { rulesFor } from '../../data/schema/reserved-fields.ts';
import type { DatasetType, Domain, ParsedSchema } from '../../data/schema/schema-model.ts';
import { CliError } from './cli-common.ts';

/** Rows read to decide types; enough for types, cheap on a multi-GB file (it stops there). */
export const SAMPLE_ROWS = 20_000;
/** Categorical: values at most this long on average ... */
const CATEGORICAL_AVG_CHARS = 40;
/** ... and at most this many distinct values, and repeating (distinct <= half the values). */
const CATEGORICAL_MAX_DISTINCT = 1000;
/** Items: a string column this long on average is free text (textual). */
const TEXTUAL_AVG_CHARS = 80;
const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface ColumnStats {
  name: string;
  nonNull: number;
  empty: number;
  allInt: boolean;
  allDecimal: boolean;
  allBoolean: boolean;
  distinct: number;
  avgChars: number;
}

type AvroField = { name: string; type: string | string[]; categorical?: true; textual?: true };

export interface InferredSchema {
  json: string;
  schema: ParsedSchema;
  /** Header columns left out (names Avro cannot hold); an import ignores them. */
  skipped: string[];
}

async function sampleStats(path: string, header: string[]): Promise<ColumnStats[]> {
  const workDir = mkdtempSync(join(tmpdir(), 'openpersonalize-infer-'));
  try {
    return await withDuck({ workDir }, async (c) => {
      const cols = header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
      // A sample, not a validation: lines the reader cannot parse are skipped.
      const src = `(SELECT * FROM read_csv(${sqlString(path)}, columns = {${cols}}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', ignore_errors = true) LIMIT ${SAMPLE_ROWS})`;
      const sel = header
        .map((_, i) => {
          const v = `c${i}`;
          return [
            `count(${v}) AS n${i}`,
            `count(*) - count(${v}) AS e${i}`,
            `coalesce(bool_and(regexp_full_match(${v}, '${INT_RE}') AND TRY_CAST(${v} AS BIGINT) IS NOT NULL), false) AS i${i}`,
            `coalesce(bool_and(regexp_full_match(${v}, '${DECIMAL_RE}')), false) AS d${i}`,
            `coalesce(bool_and(lower(${v}) IN ('true', 'false')), false) AS b${i}`,
            `count(DISTINCT ${v}) AS u${i}`,
            `coalesce(avg(length(${v})), 0) AS l${i}`,
          ].join(', ');
        })
        .join(', ');
      const [r] = await rows(c, `SELECT ${sel} FROM ${src}`);
      return header.map((name, i) => ({
        name,
        nonNull: Number(r[`n${i}`]),
        empty: Number(r[`e${i}`]),
        allInt: r[`i${i}`] === true,
        allDecimal: r[`d${i}`] === true,
        allBoolean: r[`b${i}`] === true,
        distinct: Number(r[`u${i}`]),
        avgChars: Number(r[`l${i}`]),
      }));
    });
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function ordinaryField(s: ColumnStats): AvroField {
  // A column with no value in the sample says nothing about its type: string holds anything.
  const type = s.nonNull === 0 ? 'string' : s.allBoolean ? 'boolean' : s.allInt ? 'long' : s.allDecimal ? 'double' : 'string';
  const f: AvroField = { name: s.name, type: s.empty > 0 || s.nonNull === 0 ? ['null', type] : type };
  const repeats = s.distinct <= CATEGORICAL_MAX_DISTINCT && s.distinct * 2 <= s.nonNull;
  if (type === 'string' && s.nonNull > 0 && s.avgChars <= CATEGORICAL_AVG_CHARS && repeats) f.categorical = true;
  return f;
}

export async function inferSchema(path: string, type: DatasetType, domain?: Domain): Promise<InferredSchema> {
  let header: string[];
  try {
    header = await readHeader(path);
  } catch (e) {
    if (e instanceof IngestError) throw new CliError(`cannot infer a schema: ${e.message}`);
    throw e;
  }
  const rules = rulesFor(type, domain);
  if (!rules) throw new CliError(`${type} datasets do not exist in a ${domain} dataset group`);
  const usable = header.filter((n) => AVRO_NAME.test(n));
  const skipped = header.filter((n) => !AVRO_NAME.test(n));
  const stats = await sampleStats(path, header);
  const fields: AvroField[] = [];
  for (const s of stats) {
    if (!usable.includes(s.name)) continue;
    const rule = rules.fields.get(s.name);
    if (!rule) {
      fields.push(ordinaryField(s));
      continue;
    }
    // Reserved: the documented type; null only where Personalize allows it and the data has gaps.
    const f: AvroField = { name: s.name, type: rule.nullable && s.empty > 0 ? ['null', rule.types[0]] : rule.types[0] };
    if (rule.categorical) f.categorical = true;
    if (rule.textual) f.textual = true;
    fields.push(f);
  }
  if (type === 'ITEMS' && !fields.some((f) => f.textual)) {
    const text = stats
      .filter((s) => fields.some((f) => f.name === s.name && !rules.fields.has(f.name) && (f.type === 'string' || f.type[1] === 'string')))
      .filter((s) => s.avgChars >= TEXTUAL_AVG_CHARS)
      .sort((a, b) => b.avgChars - a.avgChars)[0];
    const f = text && fields.find((x) => x.name === text.name);
    if (f) {
      delete f.categorical;
      f.textual = true;
    }
  }
  const doc = { type: 'record', name: recordNameFor(type), namespace: 'com.amazonaws.personalize.schema', fields, version: '1.0' };
  const json = JSON.stringify(doc, null, 2);
  try {
    return { json, schema: parseSchema(json, domain), skipped };
  } catch (e) {
    if (e instanceof SchemaRuleError)
      throw new CliError(`the schema inferred from ${path} is not valid (${e.message}); write one and pass it with --schema`);
    throw e;
  }
}
