// validateToParquet: CSV files -> one typed, validated Parquet part, or a failureReason.
//
// Fast path (valid files, the common case): one DuckDB COPY reads the files as raw VARCHAR with the
// RFC-4180 reader and writes the typed columns; every rule is a CASE that calls error() on the
// first bad cell, so a valid file is read once and nothing else is materialized. A memchr scan of
// the bytes (byte-scan.ts, far cheaper than any per-cell SQL) leaves out checks that cannot fire.
// Slow path (the fast COPY failed, or a file contains a backslash that may be a \" / \\ escape):
// each file is canonicalized (canonicalize.ts); the COPY is retried on the canonical files unless
// the failure was a bad cell, and diagnose.ts counts and locates every bad row.
import { randomUUID } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ParsedSchema } from '../schema/schema-model.ts';
import { covers, mergeScans, scanBytes } from './byte-scan.ts';
import { canonicalize } from './canonicalize.ts';
import { diagnose, eventTypeOverflow, type CanonicalFile } from './diagnose.ts';
import { rows, withDuck } from './duck.ts';
import { checkHeader, checkSameHeaders, readHeader } from './header.ts';
import { formatFailure, formatSingle } from './failure-reason.ts';
import {
  ANY_BYTES,
  FAST_INVALID,
  fastExpr,
  maxDistinctEventTypes,
  MIN_INTERACTION_ROWS,
  needsValue,
  reservedKeywords,
  sqlIdent,
  sqlString,
  typedCast,
  type ByteFacts,
} from './cell-rules.ts';
import { planColumns, readCsvSql } from './scan.ts';
import { IngestError, type CsvSource, type EngineOptions, type RowError, type ValidateResult } from './types.ts';

export interface ValidateInput {
  schema: ParsedSchema;
  sources: CsvSource[];
  /** Where the Parquet part is written (atomically: a temp file renamed on success). */
  outputPath: string;
  engine: EngineOptions;
}

type Failure = Extract<ValidateResult, { ok: false }>;

function fail(errors: RowError[], failureReason: string, badRows = errors.length): Failure {
  return { ok: false, failureReason, badRows, errors };
}

function fromIngestError(e: IngestError): Failure {
  if (e.errors[0]?.code === 'missing_column') {
    // Keep AWS's exact wording first; say which file it is about after it.
    return fail(e.errors, `${e.message} (${e.errors[0].file}, line 1)`);
  }
  return fail(e.errors, e.message);
}

export async function validateToParquet(o: ValidateInput): Promise<ValidateResult> {
  const { schema, sources, engine } = o;
  if (sources.length === 0) {
    return fail([], 'No CSV data found at the data location');
  }
  let header: string[] = [];
  try {
    const headers = [];
    for (const s of sources) {
      const h = await readHeader(s.path, s.displayName);
      // The columns by the schema's names (any case matches); the files' own headers must agree.
      const named = checkHeader(h, schema, s.displayName);
      if (headers.length === 0) header = named;
      headers.push({ displayName: s.displayName, header: h });
    }
    checkSameHeaders(headers);
  } catch (e) {
    if (e instanceof IngestError) return fromIngestError(e);
    throw e;
  }
  let bytesRead = 0;
  for (const s of sources) bytesRead += (await stat(s.path)).size;

  const tag = randomUUID();
  const tmpOut = `${o.outputPath}.${tag}.tmp`;
  const canonical: CanonicalFile[] = [];
  const canonicalizeAll = async () => {
    for (let i = canonical.length; i < sources.length; i++) {
      const canonicalPath = join(engine.workDir, `${tag}-${i}.csv`);
      canonical.push({ source: sources[i], canonicalPath, canon: { records: 0, badLines: 0, errors: [] } });
      canonical[i].canon = await canonicalize(sources[i].path, canonicalPath, sources[i].displayName, header);
    }
  };
  try {
    // A backslash may be a \" or \\ escape, which DuckDB's reader cannot apply together with
    // RFC 4180's "": such files go through the canonical form at once. byte-scan.ts finds out,
    // with what else the files hold or lack: the first chunk while DuckDB starts, the rest while
    // the COPY runs on what the first chunk showed.
    const keywords = reservedKeywords(schema.datasetType);
    const scanning = scanBytes(sources, keywords, 'head');
    scanning.catch(() => {}); // awaited below; this only keeps a failed open of DuckDB from leaving it unhandled
    return await withDuck(engine, async (c) => {
      const head = await scanning;
      const copy = (paths: string[], isCanonical: boolean, bytes = ANY_BYTES) =>
        copyToParquet(c, schema, header, paths, bytes, isCanonical, tmpOut);
      const paths = sources.map((s) => s.path);
      let count = -1;
      let fastError: unknown = null;
      if (!head.escapes) {
        const rest = scanBytes(sources, keywords, 'rest');
        rest.catch(() => {}); // awaited right after the COPY
        try {
          count = await copy(paths, false, head.bytes);
        } catch (e) {
          fastError = e;
        }
        const all = mergeScans(head, await rest);
        if (all.escapes) {
          // As if known before: the canonical path, which knows of no failure of this COPY.
          [count, fastError] = [-1, null];
        } else if (count >= 0 && !covers(head.bytes, all.bytes)) {
          // The rest holds bytes the first chunk did not (rare): the COPY lacked checks. A COPY
          // that failed with fewer checks fails with more as well.
          try {
            count = await copy(paths, false, all.bytes);
          } catch (e) {
            [count, fastError] = [-1, e];
          }
        }
      }
      if (count < 0) {
        await canonicalizeAll();
        const canonicalPaths = canonical.map((f) => f.canonicalPath);
        // A cell that broke a rule is still wrong in the canonical file: locate the errors at
        // once. A parse error (mixed line endings, escapes) may be gone there: COPY again first.
        const msg = fastError instanceof Error ? fastError.message : String(fastError ?? '');
        const valueError = msg.includes(FAST_INVALID) || msg.startsWith('Conversion Error');
        let retryError: unknown = null;
        if (!valueError && canonical.every((f) => f.canon.badLines === 0)) {
          try {
            count = await copy(canonicalPaths, true);
          } catch (e) {
            retryError = e;
          }
        }
        if (count < 0) {
          const d = await diagnose(c, schema, header, canonical);
          if (d.badRows > 0) return fail(d.errors, formatFailure(d.badRows, d.totalRows, d.errors), d.badRows);
          if (retryError !== null) throw retryError; // not a data problem (disk full, out of memory, ...)
          count = await copy(canonicalPaths, true);
        }
      }
      if (count === 0) {
        const e: RowError = {
          file: sources[0].displayName,
          line: 2,
          column: null,
          value: null,
          code: 'no_data',
          rule: 'the file has a header line but no data rows',
        };
        return fail([e], formatSingle(e));
      }
      if (schema.datasetType === 'INTERACTIONS' && count < MIN_INTERACTION_ROWS) {
        const names = sources.length <= 3 ? sources.map((s) => s.displayName).join(', ') : `the ${sources.length} files of the import`;
        const e: RowError = { file: sources[0].displayName, line: 0, column: null, value: null, code: 'too_few_rows', rule: '' };
        e.rule = `an Interactions import needs at least ${MIN_INTERACTION_ROWS} records, but ${names} ${sources.length === 1 ? 'has' : 'have'} only ${count} data rows`;
        return fail([e], `${e.rule.charAt(0).toUpperCase()}${e.rule.slice(1)}`);
      }
      let distinctEventTypes: number | undefined;
      if (schema.fields.some((f) => f.name === 'EVENT_TYPE')) {
        const [r] = await rows(c, `SELECT count(DISTINCT "EVENT_TYPE") AS n FROM read_parquet(${sqlString(tmpOut)})`);
        distinctEventTypes = Number(r.n);
        const max = maxDistinctEventTypes(schema);
        if (max !== null && distinctEventTypes > max) {
          await canonicalizeAll(); // for line numbers
          const over = await eventTypeOverflow(c, header, canonical, max);
          const e = over?.error ?? {
            file: sources[0].displayName,
            line: 0,
            column: 'EVENT_TYPE',
            value: null,
            code: 'too_many_event_types',
            rule: `${distinctEventTypes} distinct event types, at most ${max} allowed`,
          };
          return fail([e], formatSingle(e));
        }
      }
      await rename(tmpOut, o.outputPath);
      return { ok: true as const, rows: count, bytesRead, ...(distinctEventTypes === undefined ? {} : { distinctEventTypes }) };
    });
  } finally {
    await rm(tmpOut, { force: true });
    for (const f of canonical) await rm(f.canonicalPath, { force: true });
  }
}

/**
 * The single-pass COPY (fastExpr over every column). Numbers are cast once, in an inner projection,
 * and checked against their text outside it. Empty cells of fields that need a value are written
 * as NULL and found afterwards in the null counts the COPY returns, instead of by a test of every
 * cell. Throws on the first invalid cell.
 */
async function copyToParquet(
  c: DuckDBConnection,
  schema: ParsedSchema,
  header: string[],
  paths: string[],
  bytes: ByteFacts,
  isCanonical: boolean,
  out: string,
): Promise<number> {
  const plan = planColumns(schema, header);
  const casts: string[] = [];
  const cols = plan.map((p, k) => {
    const cast = typedCast(p.field, p.raw);
    if (cast !== null) casts.push(`${cast} AS v${k}`);
    const o = { bytes, nullsAfter: true, ...(cast === null ? {} : { typed: `v${k}` }) };
    return `${fastExpr(p.field, p.raw, schema, 'bulk', o)} AS ${sqlIdent(p.field.name)}`;
  });
  const src = readCsvSql(paths, header.length, { canonical: isCanonical });
  const inner = casts.length === 0 ? src : `(SELECT *, ${casts.join(', ')} FROM ${src})`;
  const [r] = await rows(c, `COPY (SELECT ${cols.join(', ')} FROM ${inner}) TO ${sqlString(out)} (FORMAT parquet, RETURN_STATS)`);
  // RETURN_STATS: per column (keyed by its quoted name) the null count of what was written.
  type Stats = { key: string; value: { key: string; value: string }[] }[];
  const stats = new Map(((r.column_statistics ?? []) as Stats).map((col) => [col.key, col.value]));
  for (const f of schema.fields.filter((x) => needsValue(x, schema))) {
    const known = stats.get(sqlIdent(f.name))?.find((x) => x.key === 'null_count');
    let nulls = Number(known?.value ?? 0);
    if (!known && Number(r.count) > 0) {
      // No null count reported (DuckDB gives one for every column written): count.
      const [n] = await rows(c, `SELECT count(*) AS n FROM read_parquet(${sqlString(out)}) WHERE ${sqlIdent(f.name)} IS NULL`);
      nulls = Number(n.n);
    }
    if (nulls > 0) throw new Error(FAST_INVALID);
  }
  return Number(r.count);
}
