// From a dataset group's data to a trainer's input (TrainingData, trainer.ts): the Interactions
// dataset's current rows (the view every reader of a dataset uses, datasetViewSql: bulk parts and
// individually put events merged, exact duplicates once), filtered as the solution says, checked
// against the minimum-data rules and turned into dense typed arrays. DuckDB does the filtering,
// counting and indexing; only the final arrays cross into JavaScript.
//
// Filters (training-rules.md rules 31, 35), [INF] where noted:
//  * `eventType`: only interactions of that EVENT_TYPE; event types match case-insensitively, as
//    Personalize matches them elsewhere ("ignores case only when matching event types") [INF];
//  * `solutionConfig.eventValueThreshold`: only interactions with EVENT_VALUE >= the threshold
//    (a missing EVENT_VALUE is below any threshold);
//  * `eventsConfig`: only the listed event types are used [INF], each with its own
//    eventValueThreshold (if any) and its weight as the interaction's weight; without it every
//    weight is 1.
// Minimum data (rule 50, rules.md §8), checked after filtering, with AWS's texts where known:
//  * >= 1,000 interactions; >= 25 users with >= 2 interactions each; >= 1 % of the users with >= 2.
// Order and indexes are deterministic: interactions by time, then user, item, event type and
// weight; user and item indexes in ID order. The same data gives the same TrainingData, hence the same model.
import type { DuckDBConnection, DuckDBVector } from '@duckdb/node-api';
import { rows, withDuck } from '../data/engine/duck.ts';
import { INTERACTION_RESERVED, sqlIdent, sqlString } from '../data/engine/cell-rules.ts';
import type { EngineOptions } from '../data/engine/types.ts';
import type { ParsedSchema } from '../data/schema/schema-model.ts';
import type { ContextCounts, ItemField, TrainingData } from './trainer.ts';

export const MIN_TRAINING_INTERACTIONS = 1000;
export const MIN_USERS_WITH_TWO_INTERACTIONS = 25;
/** The share of all users that must have at least 2 interactions (training-rules.md §11). */
export const MIN_SHARE_WITH_TWO_INTERACTIONS = 0.01;

/** AWS's text when the group has no Interactions dataset, or one with no data (rules.md S28). */
export const NO_INTERACTIONS_TEXT =
  'Dataset group must contain an INTERACTIONS dataset with successfully completed dataset import job or EVENT_INTERACTIONS';
/** AWS's text (rules.md §8). */
export const TOO_FEW_USERS_TEXT = 'Create failed. Dataset has fewer than 25 users with at least 2 interactions each.';

export interface EventWeighting {
  eventType: string;
  eventValueThreshold?: number;
  weight: number;
}

export interface InteractionFilter {
  eventType?: string;
  eventValueThreshold?: number;
  /** eventsConfig.eventParametersList. */
  events?: EventWeighting[];
}

/** The counts the minimum-data rules look at, after filtering. */
export interface InteractionCounts {
  interactions: number;
  users: number;
  usersWithTwo: number;
  items: number;
}

/**
 * The failure reason for too little data, or undefined when the counts are enough. The 1,000
 * text is AWS's for the filtered case ("after filtering by event type: <type>"), worded the same
 * way for the other filters [INF]; the 1 % rule's text is unknown and ours [INF].
 */
export function minimumDataFailure(counts: InteractionCounts, filter: InteractionFilter): string | undefined {
  if (counts.interactions < MIN_TRAINING_INTERACTIONS) {
    const by: string[] = [];
    if (filter.eventType !== undefined) by.push(`event type: ${filter.eventType}`);
    if (filter.eventValueThreshold !== undefined) by.push(`event value threshold: ${filter.eventValueThreshold}`);
    if (filter.events) by.push(`events configuration: ${filter.events.map((e) => e.eventType).join(', ')}`);
    return by.length === 0
      ? `Dataset has fewer than ${MIN_TRAINING_INTERACTIONS} interactions.`
      : `Dataset has fewer than ${MIN_TRAINING_INTERACTIONS} interactions after filtering by ${by.join(' and ')}`;
  }
  if (counts.usersWithTwo < MIN_USERS_WITH_TWO_INTERACTIONS) return TOO_FEW_USERS_TEXT;
  if (counts.usersWithTwo < MIN_SHARE_WITH_TWO_INTERACTIONS * counts.users) {
    return `Create failed. Fewer than 1% of the users in the dataset have at least 2 interactions each (${counts.usersWithTwo} of ${counts.users} users).`;
  }
  return undefined;
}

const lowerEq = (column: string, value: string) => `lower(${column}) = lower(${sqlString(value)})`;

/** The Interactions schema's contextual metadata columns: its string fields beyond the reserved ones (rule 87). */
export function contextColumns(schema: ParsedSchema): string[] {
  return schema.fields.filter((f) => f.type === 'string' && !INTERACTION_RESERVED.has(f.name.toUpperCase())).map((f) => f.name);
}

/** The SELECT of the filtered interactions: u, i, t (epoch seconds), e (event type or NULL), w (weight), c0… (context). */
export function filteredInteractionsSql(view: string, schema: ParsedSchema, filter: InteractionFilter): string {
  const has = new Set(schema.fields.map((f) => f.name));
  const type = has.has('EVENT_TYPE') ? sqlIdent('EVENT_TYPE') : 'NULL::VARCHAR';
  const value = has.has('EVENT_VALUE') ? `CAST(${sqlIdent('EVENT_VALUE')} AS DOUBLE)` : 'NULL::DOUBLE';
  const where = [`${sqlIdent('USER_ID')} IS NOT NULL`, `${sqlIdent('ITEM_ID')} IS NOT NULL`];
  if (filter.eventType !== undefined) where.push(lowerEq(type, filter.eventType));
  if (filter.eventValueThreshold !== undefined) where.push(`${value} >= ${Number(filter.eventValueThreshold)}`);
  let weight = 'CAST(1 AS FLOAT)';
  if (filter.events) {
    const listed = filter.events.map(
      (e) =>
        `(${lowerEq(type, e.eventType)}${e.eventValueThreshold === undefined ? '' : ` AND ${value} >= ${Number(e.eventValueThreshold)}`})`,
    );
    where.push(listed.length > 0 ? `(${listed.join(' OR ')})` : 'false');
    weight = `CAST(CASE ${filter.events.map((e) => `WHEN ${lowerEq(type, e.eventType)} THEN ${Number(e.weight)}`).join(' ')} END AS FLOAT)`;
  }
  const time = has.has('TIMESTAMP') ? `CAST(${sqlIdent('TIMESTAMP')} AS DOUBLE)` : 'CAST(0 AS DOUBLE)';
  const context = contextColumns(schema).map((name, k) => `, CAST(${sqlIdent(name)} AS VARCHAR) AS c${k}`);
  return `SELECT CAST(${sqlIdent('USER_ID')} AS VARCHAR) AS u, CAST(${sqlIdent('ITEM_ID')} AS VARCHAR) AS i, ${time} AS t,
            CAST(${type} AS VARCHAR) AS e, ${weight} AS w${context.join('')}
          FROM (${view}) WHERE ${where.join(' AND ')}`;
}

/**
 * The counts of the filtered rows `f`, with the user table `uc` (each user's interaction count)
 * and the item index `ix` built on the way: the counts are read off those tables rather than by
 * separate passes over the rows.
 */
async function counts(c: DuckDBConnection): Promise<InteractionCounts> {
  await c.run('CREATE TEMP TABLE uc AS SELECT u AS v, count(*) AS n FROM f GROUP BY u');
  await c.run(`CREATE TEMP TABLE ix AS SELECT i AS v, (row_number() OVER (ORDER BY i) - 1)::INTEGER AS x FROM (SELECT DISTINCT i FROM f)`);
  const [r] = await rows(
    c,
    `SELECT (SELECT coalesce(sum(n), 0) FROM uc) AS n, (SELECT count(*) FROM uc) AS users, (SELECT count(*) FROM ix) AS items,
            (SELECT count(*) FROM uc WHERE n >= 2) AS two`,
  );
  return { interactions: Number(r.n), users: Number(r.users), usersWithTwo: Number(r.two), items: Number(r.items) };
}

async function ids(c: DuckDBConnection, table: string): Promise<string[]> {
  const r = await c.runAndReadAll(`SELECT v FROM ${table} ORDER BY x`);
  return (r.getColumnsJS()[0] ?? []).map((v) => String(v));
}

export interface ItemsInput {
  /** SELECT of the Items dataset's current rows (datasetViewSql). */
  view: string;
  schema: ParsedSchema;
  /** Columns not to hand to trainers (trainingDataConfig.excludedDatasetColumns.ITEMS). */
  excluded?: string[];
  /** If given, only these columns besides ITEM_ID (trainingDataConfig.includedDatasetColumns.ITEMS). */
  included?: string[];
}

export type TrainingDataResult =
  | {
      ok: true;
      data: TrainingData;
      counts: InteractionCounts;
      /** Milliseconds per step (read: DuckDB reading and filtering the rows; index: counts and ID indexes; sort: the
       *  time-ordered join until its first rows; stream: the rows into TrainingData; items: the Items rows). */
      steps: Record<string, number>;
    }
  | { ok: false; failureReason: string; counts: InteractionCounts };

/**
 * Reads the filtered interactions (and the Items rows, when given) into TrainingData, or says why
 * there is too little of it. `signal` is checked between the steps.
 */
export async function loadTrainingData(o: {
  engine: EngineOptions;
  interactions: { view: string; schema: ParsedSchema };
  filter: InteractionFilter;
  items?: ItemsInput;
  signal?: AbortSignal;
}): Promise<TrainingDataResult> {
  const steps: Record<string, number> = {};
  let mark = performance.now();
  const step = (name: string) => {
    const now = performance.now();
    steps[name] = Math.round(now - mark);
    mark = now;
  };
  return withDuck(o.engine, async (c): Promise<TrainingDataResult> => {
    await c.run(`CREATE TEMP TABLE f AS ${filteredInteractionsSql(o.interactions.view, o.interactions.schema, o.filter)}`);
    o.signal?.throwIfAborted();
    step('read');
    const n = await counts(c);
    const failureReason = minimumDataFailure(n, o.filter);
    if (failureReason) return { ok: false, failureReason, counts: n };
    await c.run(`CREATE TEMP TABLE ux AS SELECT v, (row_number() OVER (ORDER BY v) - 1)::INTEGER AS x FROM uc`);
    await c.run(
      `CREATE TEMP TABLE ex AS SELECT e AS v, (row_number() OVER (ORDER BY e) - 1)::INTEGER AS x FROM (SELECT DISTINCT e FROM f WHERE e IS NOT NULL)`,
    );
    const [userIds, itemIds, eventTypes] = [await ids(c, 'ux'), await ids(c, 'ix'), await ids(c, 'ex')];
    o.signal?.throwIfAborted();
    step('index');
    const total = n.interactions;
    // Shared memory: a worker thread reads the same arrays without a copy (holdout-worker.ts).
    const shared = (bytesPerRow: number) => new SharedArrayBuffer(total * bytesPerRow);
    const data: TrainingData = {
      userIds,
      itemIds,
      user: new Int32Array(shared(4)),
      item: new Int32Array(shared(4)),
      time: new Float64Array(shared(8)),
      weight: new Float32Array(shared(4)),
      eventType: new Int32Array(shared(4)),
      eventTypes,
    };
    // The indexes follow the IDs' order, so sorting by them sorts by the IDs: integers sort much
    // faster than strings (a radix sort in JavaScript instead was slower than DuckDB's two threads).
    // Columns are read from DuckDB's vectors (no row arrays, no boxing).
    const result = await c.stream(
      `SELECT ux.x AS ux, ix.x AS ix, f.t, f.w, coalesce(ex.x, -1)::INTEGER AS ex
       FROM f JOIN ux ON f.u = ux.v JOIN ix ON f.i = ix.v LEFT JOIN ex ON f.e = ex.v
       ORDER BY f.t, ux.x, ix.x, coalesce(ex.x, -1), f.w`,
    );
    let k = 0;
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      if (k === 0) step('sort');
      const m = chunk.rowCount;
      if (k + m > total) throw new Error(`Internal error: read more than the ${total} interactions counted`);
      const [u, i, t, w, e] = [0, 1, 2, 3, 4].map((col) => chunk.getColumnVector(col) as DuckDBVector<number>);
      for (let r = 0; r < m; r++, k++) {
        data.user[k] = u.getItem(r)!;
        data.item[k] = i.getItem(r)!;
        data.time[k] = t.getItem(r)!;
        data.weight[k] = w.getItem(r)!;
        data.eventType[k] = e.getItem(r)!;
      }
      o.signal?.throwIfAborted();
    }
    if (k !== total) throw new Error(`Internal error: read ${k} interactions, expected ${total}`);
    step('stream');
    const context = contextColumns(o.interactions.schema);
    if (context.length > 0) {
      data.context = [];
      for (let k = 0; k < context.length; k++) data.context.push(await contextCounts(c, context[k], `c${k}`));
      step('context');
    }
    if (o.items) {
      ({ rows: data.items, fields: data.itemFields } = await itemsMetadata(c, o.items));
      step('items');
    }
    return { ok: true, data, counts: n, steps };
  });
}

/** One contextual column's weighted interactions by value and item (ContextCounts), from the filtered rows `f`. */
async function contextCounts(c: DuckDBConnection, column: string, alias: string): Promise<ContextCounts> {
  const r = await c.runAndReadAll(
    `SELECT f.${alias} AS v, ix.x AS ix, CAST(sum(f.w) AS FLOAT) AS n FROM f JOIN ix ON f.i = ix.v
     WHERE f.${alias} IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const [v = [], ix = [], n = []] = r.getColumnsJS();
  const values: string[] = [];
  const offsets: number[] = [];
  for (let e = 0; e < v.length; e++) {
    if (e === 0 || v[e] !== v[e - 1]) {
      values.push(String(v[e]));
      offsets.push(e);
    }
  }
  offsets.push(v.length);
  return {
    column,
    values,
    offsets: Int32Array.from(offsets),
    items: Int32Array.from(ix, Number),
    counts: Float32Array.from(n, Number),
  };
}

/** The Items rows by ITEM_ID, with the columns the solution's training data configuration keeps, and those columns' schema fields. */
export async function itemsMetadata(
  c: DuckDBConnection,
  items: ItemsInput,
): Promise<{ rows: Map<string, Record<string, string | number | boolean | null>>; fields: ItemField[] }> {
  const excluded = new Set((items.excluded ?? []).map((n) => n.toUpperCase()));
  const included = items.included && new Set(items.included.map((n) => n.toUpperCase()));
  const fields: ItemField[] = items.schema.fields
    .filter((f) => f.name !== 'ITEM_ID' && !excluded.has(f.name.toUpperCase()) && (!included || included.has(f.name.toUpperCase())))
    .map((f) => ({
      name: f.name,
      type: f.type,
      categorical: f.categorical,
      textual: f.textual,
      ...(f.itemName ? { itemName: true } : {}),
    }));
  const columns = fields.map((f) => f.name);
  const r = await c.runAndReadAll(
    `SELECT ${[sqlIdent('ITEM_ID'), ...columns.map(sqlIdent)].join(', ')} FROM (${items.view}) WHERE ${sqlIdent('ITEM_ID')} IS NOT NULL`,
  );
  const out = new Map<string, Record<string, string | number | boolean | null>>();
  for (const row of r.getRowsJS()) {
    const record: Record<string, string | number | boolean | null> = {};
    columns.forEach((name, j) => {
      const v = row[j + 1];
      record[name] = v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : Number(v);
    });
    out.set(String(row[0]), record);
  }
  return { rows: out, fields };
}
