// What the console shows of a dataset's data: row count, a page of rows and the aggregates behind
// its plots, computed by DuckDB over the dataset's current rows as datasetViewSql defines them
// (the same view exports read), so the console never disagrees with an export.
//
// Parts are immutable, so a result is cached under the list of part keys it was computed from;
// polling the console costs nothing until a new import switches the generation. Queries run one
// at a time: the console must not take the cores the import jobs need.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../main/config.ts';
import { withDuck, rows as duckRows } from '../ingest/duck.ts';
import { engineOptions } from '../ingest/import-job-work.ts';
import { datasetViewSql } from '../ingest/index.ts';
import { sqlIdent } from '../ingest/rules.ts';
import type { ParsedSchema } from '../resources/schemas/schema-model.ts';
import type { CountBar, DatasetInsights, RowsPage } from './console-api-types.ts';

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
  private readonly cache = new Map<string, unknown>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly workDir: string;

  constructor(private readonly config: Config) {
    this.workDir = join(config.dataDir, 'work', 'console');
  }

  /** Runs fn after every earlier query, caching its result under key (small LRU). */
  private serial<T>(key: string, fn: () => Promise<T>): Promise<T> {
    if (this.cache.has(key)) {
      const hit = this.cache.get(key) as T;
      this.cache.delete(key);
      this.cache.set(key, hit);
      return Promise.resolve(hit);
    }
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run.then((v) => {
      this.cache.set(key, v);
      if (this.cache.size > 64) this.cache.delete(this.cache.keys().next().value!);
      return v;
    });
  }

  private duck<T>(fn: Parameters<typeof withDuck<T>>[1]): Promise<T> {
    mkdirSync(this.workDir, { recursive: true });
    return withDuck(engineOptions(this.config, this.workDir), fn);
  }

  insights(schema: ParsedSchema, parts: string[]): Promise<DatasetInsights> {
    return this.serial(`insights\n${schema.datasetType}\n${JSON.stringify(schema.fields)}\n${parts.join('\n')}`, () =>
      this.duck(async (c) => {
        await c.run(`CREATE TEMP TABLE ds AS ${datasetViewSql(schema, parts)}`);
        const [{ n }] = await duckRows(c, 'SELECT count(*) AS n FROM ds');
        const result: DatasetInsights = { bulkRows: Number(n), individualRows: 0 };
        const names = new Set(schema.fields.map((f) => f.name));
        const itemCol = names.has('ITEM_ID') ? 'ITEM_ID' : names.has('ACTION_ID') ? 'ACTION_ID' : undefined;
        const isInteractions = schema.datasetType === 'INTERACTIONS' || schema.datasetType === 'ACTION_INTERACTIONS';
        if (!isInteractions || !itemCol || !names.has('USER_ID')) return result;
        const item = sqlIdent(itemCol);
        const num = (v: unknown) => Number(v ?? 0);
        const [totals] = await duckRows(c, `SELECT count(DISTINCT "USER_ID") AS users, count(DISTINCT ${item}) AS items FROM ds`);
        const days = names.has('TIMESTAMP')
          ? await duckRows(c, `SELECT "TIMESTAMP" // 86400 AS day, count(*) AS n FROM ds WHERE "TIMESTAMP" IS NOT NULL GROUP BY 1 ORDER BY 1`)
          : [];
        const types = names.has('EVENT_TYPE')
          ? await duckRows(c, `SELECT coalesce("EVENT_TYPE", '(none)') AS label, count(*) AS n FROM ds GROUP BY 1 ORDER BY n DESC, label`)
          : null;
        const top = await duckRows(c, `SELECT ${item} AS label, count(*) AS n FROM ds WHERE ${item} IS NOT NULL GROUP BY 1 ORDER BY n DESC, label LIMIT ${TOP_ITEMS}`);
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
  rows(schema: ParsedSchema, parts: string[], offset: number, limit: number): Promise<RowsPage> {
    return this.serial(`rows\n${offset}\n${limit}\n${JSON.stringify(schema.fields)}\n${parts.join('\n')}`, () =>
      this.duck(async (c) => {
        const columns = schema.fields.map((f) => f.name);
        const view = datasetViewSql(schema, parts);
        const [{ n }] = await duckRows(c, `SELECT count(*) AS n FROM (${view})`);
        const page = await duckRows(c, `SELECT * FROM (${view}) ORDER BY ALL LIMIT ${limit} OFFSET ${offset}`);
        return {
          columns,
          rows: page.map((r) => columns.map((col) => (r[col] ?? null) as string | number | boolean | null)),
          offset,
          limit,
          total: Number(n),
        };
      }),
    );
  }
}
