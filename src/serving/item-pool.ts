// The item pool exploration draws from (item-exploration.ts): which items a deployed
// User-Personalization version may explore, with what exploration needs to know of each — its
// interactions and when it was born (CREATION_TIMESTAMP, else its first interaction) — and the
// latest interaction across all items, from which ages are counted (rule 15).
//
// Which items are in it (rule 121): before a version's first automatic update, the items of its
// model (computed by each serving node from the group's data when it first needs it); after an
// update, every item the group's data held at that update, new ones included, as written by the
// update into one immutable blob of the model store (new-items-update-work.ts) that every node
// reads. A pool is read once per node and never changes.
//
// Blob format: JSON { format: "openpersonalize-item-pool", version: 1, refTime, ids: string[],
// counts: number[], born: (number | null)[] } — epoch seconds; born null when the item has neither
// a CREATION_TIMESTAMP nor an interaction (only in the Items dataset).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogOps } from '../catalog/catalog.ts';
import type { Config } from '../config/config.ts';
import { datasetViewSql } from '../data/engine/index.ts';
import { engineOptions } from '../data/engine/engine-options.ts';
import { sqlIdent } from '../data/engine/cell-rules.ts';
import { withDuck } from '../data/engine/duck.ts';
import type { EngineOptions } from '../data/engine/types.ts';
import type { DatasetReader } from '../data/reader.ts';
import { withWorkDir } from '../jobs/work-dir.ts';
import { DATASET_KIND, type DatasetBody } from '../resources/datasets/dataset-record.ts';

export interface ItemPool {
  /** The latest interaction across all items (epoch seconds); 0 without interactions. */
  refTime: number;
  ids: string[];
  /** Interactions per item. */
  counts: Int32Array;
  /** CREATION_TIMESTAMP, else the first interaction (epoch seconds); NaN for neither. */
  born: Float64Array;
}

const FORMAT = 'openpersonalize-item-pool';

export function serializePool(pool: ItemPool): Buffer {
  return Buffer.from(
    JSON.stringify({
      format: FORMAT,
      version: 1,
      refTime: pool.refTime,
      ids: pool.ids,
      counts: Array.from(pool.counts),
      born: Array.from(pool.born, (b) => (Number.isNaN(b) ? null : b)),
    }),
  );
}

export function parsePool(bytes: Buffer): ItemPool {
  const o = JSON.parse(bytes.toString('utf8')) as {
    format?: string;
    refTime: number;
    ids: string[];
    counts: number[];
    born: (number | null)[];
  };
  if (o.format !== FORMAT) throw new Error(`Internal error: not an item pool (format ${String(o.format)})`);
  return {
    refTime: o.refTime,
    ids: o.ids,
    counts: Int32Array.from(o.counts),
    born: Float64Array.from(o.born, (b) => (b === null ? NaN : b)),
  };
}

export interface PoolDeps {
  catalog: Pick<CatalogOps, 'list'>;
  reader: DatasetReader;
  config: Config;
}

/** The group's Interactions and Items datasets, if it has them. */
export async function poolDatasets(deps: Pick<PoolDeps, 'catalog'>, group: { arn: string; account: string; region: string }) {
  const list = await deps.catalog.list({ account: group.account, region: group.region, kind: DATASET_KIND.kind, parentArn: group.arn });
  const of = (type: string) => list.find((d) => (d.body as unknown as DatasetBody).datasetType === type);
  return { interactions: of('INTERACTIONS'), items: of('ITEMS') };
}

/** A SELECT over the dataset as it is now (bulk parts and individual records), or undefined when it holds nothing. */
async function viewOf(deps: PoolDeps, datasetArn: string | undefined, dir: string, engine: EngineOptions) {
  if (!datasetArn) return undefined;
  const snapshot = await deps.reader.open(datasetArn, 'ALL');
  if (typeof snapshot === 'string' || (snapshot.bulk.length === 0 && snapshot.individual === 0)) return undefined;
  mkdirSync(dir, { recursive: true });
  const sources = await deps.reader.sources(snapshot, 'ALL', dir, engine);
  return { sql: datasetViewSql(snapshot.schema, sources), fields: new Set(snapshot.schema.fields.map((f) => f.name)) };
}

/**
 * The pool of the group's data now: every item of its Interactions and Items datasets (bulk and
 * individually put records), or only those of `only` (a model's catalog).
 */
export async function buildItemPool(
  deps: PoolDeps,
  group: { arn: string; account: string; region: string },
  only?: readonly string[],
): Promise<ItemPool> {
  const datasets = await poolDatasets(deps, group);
  const read = await withWorkDir(deps.config.dataDir, 'item-pool', async (dir) => {
    const engine = engineOptions(deps.config, dir);
    const interactions = await viewOf(deps, datasets.interactions?.arn, join(dir, 'interactions'), engine);
    const items = await viewOf(deps, datasets.items?.arn, join(dir, 'items'), engine);
    const id = sqlIdent('ITEM_ID');
    const time = interactions?.fields.has('TIMESTAMP') ? `CAST(${sqlIdent('TIMESTAMP')} AS DOUBLE)` : 'NULL::DOUBLE';
    const seen = interactions
      ? `SELECT CAST(${id} AS VARCHAR) AS id, count(*) AS n, min(${time}) AS first FROM (${interactions.sql}) WHERE ${id} IS NOT NULL GROUP BY 1`
      : 'SELECT NULL::VARCHAR AS id, 0::BIGINT AS n, NULL::DOUBLE AS first WHERE false';
    const created = items?.fields.has('CREATION_TIMESTAMP') ? `CAST(${sqlIdent('CREATION_TIMESTAMP')} AS DOUBLE)` : 'NULL::DOUBLE';
    const catalogued = items
      ? `SELECT CAST(${id} AS VARCHAR) AS id, ${created} AS created FROM (${items.sql}) WHERE ${id} IS NOT NULL`
      : 'SELECT NULL::VARCHAR AS id, NULL::DOUBLE AS created WHERE false';
    return withDuck(engine, async (c) => {
      const r = await c.runAndReadAll(`
        SELECT coalesce(s.id, c.id) AS id, coalesce(s.n, 0) AS n, coalesce(c.created, s.first) AS born
        FROM (${seen}) s FULL OUTER JOIN (${catalogued}) c ON s.id = c.id ORDER BY 1`);
      const latest = interactions ? await c.runAndReadAll(`SELECT max(${time}) FROM (${interactions.sql})`) : undefined;
      return { rows: r.getRowsJS(), refTime: Number(latest?.getRowsJS()[0]?.[0] ?? 0) || 0 };
    });
  });
  const wanted = only && new Set(only);
  const ids: string[] = [];
  const counts: number[] = [];
  const born: number[] = [];
  for (const [itemId, n, b] of read.rows) {
    if (wanted && !wanted.has(String(itemId))) continue;
    ids.push(String(itemId));
    counts.push(Number(n));
    born.push(b === null || b === undefined ? NaN : Number(b));
  }
  return { refTime: read.refTime, ids, counts: Int32Array.from(counts), born: Float64Array.from(born) };
}
