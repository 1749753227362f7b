// The failure path: reads canonical files (canonicalize.ts) once more to count every invalid row
// and to name the first ones with their physical line, column, value and rule. Three sources of
// errors, disjoint by construction: lines the canonicalizer flagged (written blank, so DuckDB skips
// them), lines DuckDB's reader rejects (structure, encoding), and rows whose cells break a rule.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ParsedSchema } from '../schema/schema-model.ts';
import type { CanonicalResult } from './canonicalize.ts';
import { rows } from './duck.ts';
import { cutValue, SHOWN_ERRORS, structuralRule, valueRule } from './failure-reason.ts';
import { diagExpr, sqlString } from './cell-rules.ts';
import { LINE_COL, planColumns, readCsvSql } from './scan.ts';
import type { CsvSource, RowError } from './types.ts';

export interface CanonicalFile {
  source: CsvSource;
  canonicalPath: string;
  canon: CanonicalResult;
}

export interface Diagnosis {
  badRows: number;
  totalRows: number;
  /** The first errors, file by file in source order, by line within a file. */
  errors: RowError[];
}

/** Reject rows kept per file: enough to show the first ones; the count comes from row totals. */
const REJECTS_KEPT = 1000;

/** `limit`: how many errors to name (the failureReason shows SHOWN_ERRORS; the CLI validator more). */
export async function diagnose(
  c: DuckDBConnection,
  schema: ParsedSchema,
  header: string[],
  files: CanonicalFile[],
  limit = SHOWN_ERRORS,
): Promise<Diagnosis> {
  const plan = planColumns(schema, header).sort((a, b) => a.index - b.index);
  const d: Diagnosis = { badRows: 0, totalRows: 0, errors: [] };
  for (let fi = 0; fi < files.length; fi++) {
    const { source, canonicalPath, canon } = files[fi];
    const rej = { table: `rej_${fi}`, scan: `rejscan_${fi}`, limit: REJECTS_KEPT };
    const scan = readCsvSql([canonicalPath], header.length, { canonical: true, rejects: rej });
    const codes = plan.map((p, k) => `${diagExpr(p.field, p.raw, schema)} AS e${k}`).join(', ');
    const firstErr = plan.map((p, k) => `WHEN e${k} IS NOT NULL THEN {'col': ${k}, 'code': e${k}, 'value': ${p.raw}}`).join(' ');
    const [agg] = await rows(
      c,
      `SELECT count(*) AS total, count(err) AS bad,
              min_by({'line': line, 'err': err}, line, ${limit}) FILTER (WHERE err IS NOT NULL) AS first
       FROM (SELECT TRY_CAST(${LINE_COL} AS BIGINT) AS line, CASE ${firstErr} END AS err
             FROM (SELECT *, ${codes} FROM ${scan}))`,
    );
    const parsed = Number(agg.total);
    const structural = canon.records - parsed;
    d.totalRows += canon.records + canon.badLines;
    d.badRows += canon.badLines + structural + Number(agg.bad);

    const errs: RowError[] = [...canon.errors];
    type First = { line: number; err: { col: number; code: string; value: string | null } };
    for (const f of (agg.first as First[] | null) ?? []) {
      const p = plan[f.err.col];
      errs.push({
        file: source.displayName,
        line: Number(f.line),
        column: p.field.name,
        value: f.err.value === null ? null : cutValue(f.err.value),
        code: f.err.code,
        rule: valueRule(f.err.code, p.field, f.err.value),
      });
    }
    if (structural > 0) {
      const rejects = await rows(
        c,
        `SELECT line, column_name, error_type, csv_line, error_message FROM ${rej.table}
         ORDER BY line, column_idx LIMIT ${limit * 64}`,
      );
      const seen = new Set<number>();
      for (const r of rejects) {
        const csvLine = String(r.csv_line ?? '');
        const m = /^(\d+),/.exec(csvLine);
        const line = m ? Number(m[1]) : Number(r.line);
        if (seen.has(line)) continue;
        seen.add(line);
        const colName =
          typeof r.column_name === 'string' && /^c\d+$/.test(r.column_name) ? (header[Number(r.column_name.slice(1))] ?? null) : null;
        const { code, rule } = structuralRule(String(r.error_type), String(r.error_message ?? ''), true);
        const value = m ? csvLine.slice(m[0].length) : csvLine;
        errs.push({ file: source.displayName, line, column: colName, value: cutValue(value), code, rule });
      }
    }
    errs.sort((a, b) => a.line - b.line);
    d.errors.push(...errs.slice(0, limit));
  }
  d.errors = d.errors.slice(0, limit);
  return d;
}

/** Interactions: where the event type that breaks "columns + distinct event types <= 10" first
 *  appears. Returns null if the canonical files do not have more than `max` types. */
export async function eventTypeOverflow(
  c: DuckDBConnection,
  header: string[],
  files: CanonicalFile[],
  max: number,
): Promise<{ error: RowError; distinct: string[] } | null> {
  const col = header.indexOf('EVENT_TYPE');
  const union = files
    .map(
      (f, i) =>
        `SELECT ${i}::BIGINT AS file, TRY_CAST(${LINE_COL} AS BIGINT) AS line, c${col} AS t FROM ${readCsvSql([f.canonicalPath], header.length, { canonical: true })}`,
    )
    .join(' UNION ALL ');
  // First appearance of each type as one sortable key: file * 1e10 + line.
  const firsts = await rows(c, `SELECT t, min(file * 10000000000 + line) AS k FROM (${union}) WHERE t IS NOT NULL GROUP BY t ORDER BY k`);
  if (firsts.length <= max) return null;
  const k = Number(firsts[max].k);
  const over = { t: String(firsts[max].t), at: { file: Math.floor(k / 1e10), line: k % 1e10 } };
  const distinct = firsts.map((r) => String(r.t));
  const error: RowError = {
    file: files[over.at.file].source.displayName,
    line: Number(over.at.line),
    column: 'EVENT_TYPE',
    value: cutValue(over.t),
    code: 'too_many_event_types',
    rule: `${sqlString(cutValue(over.t))} is distinct event type number ${max + 1}, but this Interactions schema allows at most ${max} (custom metadata columns + EVENT_TYPE/EVENT_VALUE columns + distinct event types must be at most 10); the data has ${distinct.length}: [${distinct.slice(0, 20).map(cutValue).join(', ')}${distinct.length > 20 ? ', …' : ''}]`,
  };
  return { error, distinct };
}
