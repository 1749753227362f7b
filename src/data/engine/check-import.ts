// checkImport: what an import of these files would do, without storing anything — for the CLI's
// `validate`. The verdict and the failureReason are validateToParquet's own (the very code a job
// runs); this file only adds what a person at a terminal wants beyond them: more than the
// SHOWN_ERRORS problems of a failureReason, and a summary (rows, distinct users / items / event
// types). Those extras cost a second read of the files, on the failure path only, through the
// same canonicalizer and diagnosis the engine uses.
import { randomUUID } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParsedSchema } from '../schema/schema-model.ts';
import { canonicalize } from './canonicalize.ts';
import { diagnose, type CanonicalFile } from './diagnose.ts';
import { rows, withDuck } from './duck.ts';
import { checkHeader, readHeader } from './header.ts';
import { sqlIdent, sqlString } from './cell-rules.ts';
import { readCsvSql } from './scan.ts';
import type { CsvSource, EngineOptions, RowError } from './types.ts';
import { validateToParquet } from './validate.ts';

export interface ImportCheck {
  ok: boolean;
  /** Exactly the failureReason an import job of these files would get. */
  failureReason?: string;
  /** Data rows read (valid and invalid); null when the files could not be read as CSV at all. */
  rows: number | null;
  badRows: number;
  bytes: number;
  /** Problems in file order, then line order; at most `limit`. */
  problems: RowError[];
  /** Distinct values of the columns present (of the rows the CSV reader could parse). */
  distinct: { users?: number; items?: number; eventTypes?: number };
}

const COUNTED = { users: 'USER_ID', items: 'ITEM_ID', eventTypes: 'EVENT_TYPE' } as const;

export async function checkImport(o: {
  schema: ParsedSchema;
  sources: CsvSource[];
  engine: EngineOptions;
  limit: number;
}): Promise<ImportCheck> {
  const { schema, sources, engine, limit } = o;
  const tag = randomUUID();
  const part = join(engine.workDir, `check-${tag}.parquet`);
  const canonical: CanonicalFile[] = [];
  try {
    const r = await validateToParquet({ schema, sources, outputPath: part, engine });
    const fields = new Set(schema.fields.map((f) => f.name));
    const counted = Object.entries(COUNTED).filter(([, col]) => fields.has(col));
    if (r.ok) {
      const distinct = await withDuck(engine, async (c) => {
        if (counted.length === 0) return {};
        const sel = counted.map(([k, col]) => `count(DISTINCT ${sqlIdent(col)}) AS ${k}`).join(', ');
        const [row] = await rows(c, `SELECT ${sel} FROM read_parquet(${sqlString(part)})`);
        return Object.fromEntries(counted.map(([k]) => [k, Number(row[k])]));
      });
      return { ok: true, rows: r.rows, badRows: 0, bytes: r.bytesRead, problems: [], distinct };
    }
    const base: ImportCheck = {
      ok: false,
      failureReason: r.failureReason,
      rows: null,
      badRows: r.badRows,
      bytes: 0,
      problems: r.errors.slice(0, limit),
      distinct: {},
    };
    // Header and file-level failures (line <= 1) stop an import before any row is read.
    if (r.errors.some((e) => e.line <= 1)) return base;
    let header: string[];
    try {
      header = checkHeader(await readHeader(sources[0].path, sources[0].displayName), schema, sources[0].displayName);
    } catch {
      return base;
    }
    for (const [i, s] of sources.entries()) {
      const canonicalPath = join(engine.workDir, `check-${tag}-${i}.csv`);
      canonical.push({ source: s, canonicalPath, canon: await canonicalize(s.path, canonicalPath, s.displayName, header, limit) });
    }
    return await withDuck(engine, async (c) => {
      const d = await diagnose(c, schema, header, canonical, limit);
      // Row errors come from the diagnosis (more of them); failures that are not about single
      // rows (too few rows, too many event types) keep the engine's own error.
      const problems = d.badRows > 0 ? d.errors : base.problems;
      let distinct: ImportCheck['distinct'] = {};
      if (counted.length > 0) {
        const rej = { table: 'check_rej', scan: 'check_rejscan', limit: 1000 };
        const scan = readCsvSql(
          canonical.map((f) => f.canonicalPath),
          header.length,
          { canonical: true, rejects: rej },
        );
        const sel = counted.map(([k, col]) => `count(DISTINCT c${header.indexOf(col)}) AS ${k}`).join(', ');
        // Counts are a courtesy next to the verdict: DuckDB's reject bookkeeping has failed
        // internally on some binary files, and that must not hide the problems found above.
        try {
          const [row] = await rows(c, `SELECT ${sel} FROM ${scan}`);
          distinct = Object.fromEntries(counted.map(([k]) => [k, Number(row[k])]));
        } catch {
          distinct = {};
        }
      }
      const bytes = await totalBytes(sources);
      return { ...base, rows: d.totalRows, problems, distinct, bytes };
    });
  } finally {
    await rm(part, { force: true });
    for (const f of canonical) await rm(f.canonicalPath, { force: true });
  }
}

async function totalBytes(sources: CsvSource[]): Promise<number> {
  let n = 0;
  for (const s of sources) n += (await stat(s.path)).size;
  return n;
}
