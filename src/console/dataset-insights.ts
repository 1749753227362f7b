// What the console shows of a dataset's data: row counts, a page of rows and the aggregates behind
// its plots, computed by DuckDB over the dataset's current rows as datasetViewSql defines them
// (the same view exports read), so the console never disagrees with an export. When the dataset
// has individual records (PutEvents, PutUsers, ...), they are merged in exactly as an ALL export
// merges them (DatasetReader.sources, src/data/reader.ts); past MAX_INDIVIDUAL_IN_VIEW records
// the plots and rows cover the bulk data only, and say so (`covers`).
//
// Parts are immutable, so a bulk-only result is cached under the list of part keys it was
// computed from; polling the console costs nothing until a new import switches the generation.
// A result with individual records is cached under their count too, for INDIVIDUAL_TTL_MS only
// (a put that replaces a record keeps the count), and so are the record parts written for it
// (a few seconds per 100,000 records), so paging through rows does not write them again. Queries
// run one at a time: the console must not take the cores the import jobs need.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Config } from '../config/config.ts';
import type { DatasetReader, DatasetSnapshot } from '../data/reader.ts';
import { withDuck, rows as duckRows } from '../data/engine/duck.ts';
import { engineOptions } from '../data/engine/engine-options.ts';
import { datasetViewSql } from '../data/engine/index.ts';
import { sqlIdent } from '../data/engine/cell-rules.ts';
import type { CountBar, DataCoverage, DatasetInsights, RowsPage } from './console-api-types.ts';

/** A dataset's data as the console reads it: the dataset now (data/reader.ts). */
export type DatasetData = DatasetSnapshot;

/** Past this many individual records, plots and rows cover the bulk data only (labelled so). */
export const MAX_INDIVIDUAL_IN_VIEW = 200_000;
const INDIVIDUAL_TTL_MS = 30_000;
/** Datasets whose record parts are kept on disk at once. */
const KEPT_RECORD_PARTS = 4;

export const TOP_ITEMS = 20;
/** Past this many distinct days, interactions are shown per month. */
export const MAX_DAY_BARS = 400;

const DAY_MS = 86_400_000;

/** "1", "2-3", "4-7", ...: bin k holds users with 2^k .. 2^(k+1)-1 interactions. */
export function binLabel(k: number): string {
  const lo = 2 ** k;
  const hi = 2 ** (k + 1) - 1;
  return lo === hi ? String(lo) : `${lo}-${hi}`;
}

/** Per-day counts (epoch day -> n) as bars, per month when there are too many days. */
export function periodBars(days: { day: number; n: number }[]): { granularity: 'day' | 'month'; bars: CountBar[] } {
  const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
  if (days.length <= MAX_DAY_BARS) return { granularity: 'day', bars: days.map((d) => ({ label: iso(d.day), count: d.n })) };
  const months = new Map<string, number>();
  for (const d of days) months.set(iso(d.day).slice(0, 7), (months.get(iso(d.day).slice(0, 7)) ?? 0) + d.n);
  return { granularity: 'month', bars: [...months].map(([label, count]) => ({ label, count })) };
}

export class DatasetInsightsEngine {
  private readonly cache = new Map<string, { value: unknown; until: number }>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly workDir: string;
  /** Record parts written for a dataset (by ARN), valid for `key` until `until`. */
  private readonly recordParts = new Map<string, { key: string; dir: string; sources: string[]; until: number }>();

  constructor(
    private readonly config: Config,
    private readonly reader: DatasetReader,
    private readonly now: () => number = Date.now,
  ) {
    this.workDir = join(config.dataDir, 'work', 'console');
    // Record parts a previous process wrote before it crashed or was killed: nothing reads them.
    rmSync(this.workDir, { recursive: true, force: true });
  }

  private merges(d: DatasetData): boolean {
    return d.individual > 0 && d.individual <= MAX_INDIVIDUAL_IN_VIEW;
  }

  /** Runs fn after every earlier query, caching its result under key (small LRU). */
  private serial<T>(what: string, d: DatasetData, fn: () => Promise<T>): Promise<T> {
    const merges = this.merges(d);
    const key = [
      what,
      d.datasetArn,
      merges ? d.individual : 0,
      d.schema.datasetType,
      JSON.stringify(d.schema.fields),
      ...d.bulk.map((p) => p.path),
    ].join('\n');
    const hit = this.cache.get(key);
    this.cache.delete(key);
    if (hit && hit.until > this.now()) {
      this.cache.set(key, hit);
      return Promise.resolve(hit.value as T);
    }
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run.then((value) => {
      this.cache.set(key, { value, until: merges ? this.now() + INDIVIDUAL_TTL_MS : Infinity });
      if (this.cache.size > 64) this.cache.delete(this.cache.keys().next().value!);
      return value;
    });
  }

  /** fn over the dataset's view (bulk parts, and the individual records as temporary parts when merged). */
  private async withView<T>(d: DatasetData, fn: (c: DuckDBConnection, view: string, covers: DataCoverage) => Promise<T>): Promise<T> {
    mkdirSync(this.workDir, { recursive: true });
    if (!this.merges(d)) {
      return withDuck(engineOptions(this.config, this.workDir), (c) =>
        fn(
          c,
          datasetViewSql(
            d.schema,
            d.bulk.map((p) => p.path),
          ),
          'bulk',
        ),
      );
    }
    const m = await this.recordSources(d);
    return withDuck(engineOptions(this.config, m.dir), (c) => fn(c, datasetViewSql(d.schema, m.sources), 'bulk+individual'));
  }

  /** The bulk parts and the records written as parts, as an ALL export reads them (only called in serial). */
  private async recordSources(d: DatasetData): Promise<{ dir: string; sources: string[] }> {
    const key = [d.individual, JSON.stringify(d.schema.fields), ...d.bulk.map((p) => p.path)].join('\n');
    const kept = this.recordParts.get(d.datasetArn);
    this.recordParts.delete(d.datasetArn);
    if (kept && kept.key === key && kept.until > this.now()) {
      this.recordParts.set(d.datasetArn, kept);
      return kept;
    }
    if (kept) rmSync(kept.dir, { recursive: true, force: true });
    const dir = mkdtempSync(join(this.workDir, 'records-'));
    try {
      const engine = engineOptions(this.config, dir);
      const sources = await this.reader.sources(d, 'ALL', dir, engine);
      this.recordParts.set(d.datasetArn, { key, dir, sources, until: this.now() + INDIVIDUAL_TTL_MS });
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    for (const [arn, old] of this.recordParts) {
      if (this.recordParts.size <= KEPT_RECORD_PARTS) break;
      rmSync(old.dir, { recursive: true, force: true });
      this.recordParts.delete(arn);
    }
    return this.recordParts.get(d.datasetArn)!;
  }

  insights(d: DatasetData): Promise<DatasetInsights> {
    const { schema } = d;
    return this.serial('insights', d, () =>
      this.withView(d, async (c, view, covers) => {
        await c.run(`CREATE TEMP TABLE ds AS ${view}`);
        const [{ n }] = await duckRows(c, 'SELECT count(*) AS n FROM ds');
        const [bulk] =
          covers === 'bulk'
            ? [{ n }]
            : await duckRows(
                c,
                `SELECT count(*) AS n FROM (${datasetViewSql(
                  schema,
                  d.bulk.map((p) => p.path),
                )})`,
              );
        const result: DatasetInsights = { bulkRows: Number(bulk.n), individualRows: d.individual, covers, rows: Number(n) };
        const names = new Set(schema.fields.map((f) => f.name));
        const itemCol = names.has('ITEM_ID') ? 'ITEM_ID' : names.has('ACTION_ID') ? 'ACTION_ID' : undefined;
        const isInteractions = schema.datasetType === 'INTERACTIONS' || schema.datasetType === 'ACTION_INTERACTIONS';
        if (!isInteractions || !itemCol || !names.has('USER_ID')) return result;
        const item = sqlIdent(itemCol);
        const num = (v: unknown) => Number(v ?? 0);
        const [totals] = await duckRows(c, `SELECT count(DISTINCT "USER_ID") AS users, count(DISTINCT ${item}) AS items FROM ds`);
        const days = names.has('TIMESTAMP')
          ? await duckRows(
              c,
              `SELECT "TIMESTAMP" // 86400 AS day, count(*) AS n FROM ds WHERE "TIMESTAMP" IS NOT NULL GROUP BY 1 ORDER BY 1`,
            )
          : [];
        const types = names.has('EVENT_TYPE')
          ? await duckRows(c, `SELECT coalesce("EVENT_TYPE", '(none)') AS label, count(*) AS n FROM ds GROUP BY 1 ORDER BY n DESC, label`)
          : null;
        const top = await duckRows(
          c,
          `SELECT ${item} AS label, count(*) AS n FROM ds WHERE ${item} IS NOT NULL GROUP BY 1 ORDER BY n DESC, label LIMIT ${TOP_ITEMS}`,
        );
        await c.run(`CREATE TEMP TABLE per_user AS SELECT count(*) AS n FROM ds WHERE "USER_ID" IS NOT NULL GROUP BY "USER_ID"`);
        const bins = await duckRows(c, `SELECT floor(log2(n))::INTEGER AS k, count(*) AS users FROM per_user GROUP BY 1 ORDER BY 1`);
        const [stats] = await duckRows(c, `SELECT coalesce(max(n), 0) AS max, coalesce(quantile_disc(n, 0.5), 0) AS median FROM per_user`);
        const period = periodBars(days.map((d) => ({ day: num(d.day), n: num(d.n) })));
        // Empty bins are kept so the histogram's x axis is continuous and the tail reads as a tail.
        const byBin = new Map(bins.map((b) => [num(b.k), num(b.users)]));
        const maxBin = Math.max(-1, ...byBin.keys());
        result.interactions = {
          users: num(totals.users),
          items: num(totals.items),
          granularity: period.granularity,
          perPeriod: period.bars,
          eventTypes: types && types.map((t) => ({ label: String(t.label), count: num(t.n) })),
          topItems: top.map((t) => ({ label: String(t.label), count: num(t.n) })),
          perUserHistogram: Array.from({ length: maxBin + 1 }, (_, k) => ({ label: binLabel(k), count: byBin.get(k) ?? 0 })),
          maxPerUser: num(stats.max),
          medianPerUser: num(stats.median),
        };
        return result;
      }),
    );
  }

  /** Rows offset..offset+limit of the dataset in a stable order (every column ascending). */
  rows(d: DatasetData, offset: number, limit: number): Promise<RowsPage> {
    return this.serial(`rows\n${offset}\n${limit}`, d, () =>
      this.withView(d, async (c, view, covers) => {
        const columns = d.schema.fields.map((f) => f.name);
        const [{ n }] = await duckRows(c, `SELECT count(*) AS n FROM (${view})`);
        const page = await duckRows(c, `SELECT * FROM (${view}) ORDER BY ALL LIMIT ${limit} OFFSET ${offset}`);
        return {
          columns,
          rows: page.map((r) => columns.map((col) => (r[col] ?? null) as string | number | boolean | null)),
          offset,
          limit,
          total: Number(n),
          covers,
        };
      }),
    );
  }
}
