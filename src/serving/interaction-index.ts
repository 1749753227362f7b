// The bulk part of every user's history, held in memory per dataset generation: read once by
// DuckDB from the Interactions dataset's current bulk parts (the same view every reader uses,
// datasetViewSql), so a runtime request finds a user's bulk interactions with one Map lookup.
// Individually put events are not in here: group-data.ts reads them per request, so a PutEvents
// counts on the very next request.
//
// Per user and event type only the newest `cap` interactions are kept: the models look at the
// newest HISTORY_CAP distinct items at most, and filters at the newest 100 per event type
// (training-rules.md §11), so nothing older can change an answer. Layout: users in a CSR index
// (offsets into flat typed arrays), item IDs and event types interned.
import type { DuckDBConnection, DuckDBVector } from '@duckdb/node-api';
import { withDuck } from '../data/engine/duck.ts';
import { sqlIdent } from '../data/engine/cell-rules.ts';
import type { EngineOptions } from '../data/engine/types.ts';
import type { ParsedSchema } from '../data/schema/schema-model.ts';
import type { UserInteraction } from './serving-data.ts';

export class InteractionIndex {
  constructor(
    private readonly users: ReadonlyMap<string, number>,
    /** User u owns entries offsets[u] .. offsets[u+1]-1, oldest first. */
    private readonly offsets: Int32Array,
    private readonly item: Int32Array,
    private readonly itemIds: readonly string[],
    private readonly time: Float64Array,
    private readonly type: Int32Array,
    private readonly eventTypes: readonly string[],
  ) {}

  static readonly EMPTY = new InteractionIndex(
    new Map(),
    new Int32Array(1),
    new Int32Array(0),
    [],
    new Float64Array(0),
    new Int32Array(0),
    [],
  );

  get userCount(): number {
    return this.users.size;
  }

  get size(): number {
    return this.item.length;
  }

  /** The user's bulk interactions, oldest first ([] for a user the bulk data does not hold). */
  interactionsOf(userId: string): UserInteraction[] {
    const u = this.users.get(userId);
    if (u === undefined) return [];
    const out: UserInteraction[] = [];
    for (let p = this.offsets[u]; p < this.offsets[u + 1]; p++) {
      out.push({ itemId: this.itemIds[this.item[p]], eventType: this.eventTypes[this.type[p]], time: this.time[p] });
    }
    return out;
  }
}

/** The values of a one-column query, in its order, as strings. */
async function strings(c: DuckDBConnection, sql: string): Promise<string[]> {
  const r = await c.runAndReadAll(sql);
  return (r.getColumnsJS()[0] ?? []).map((v) => String(v));
}

/** The rows of the index being built, each user's rows in offsets[u] .. offsets[u+1]-1. */
interface Rows {
  offsets: Int32Array;
  item: Int32Array;
  type: Int32Array;
  time: Float64Array;
}

/** Row a goes before row b: older first, then by item and event type (their indexes follow the IDs' order). */
function before(r: Rows, a: number, b: number): boolean {
  return (
    r.time[a] < r.time[b] || (r.time[a] === r.time[b] && (r.item[a] < r.item[b] || (r.item[a] === r.item[b] && r.type[a] < r.type[b])))
  );
}

/** Sorts rows from .. to-1 (one user's): insertion sort for the usual short histories, else a sort of their positions. */
function sortUser(r: Rows, from: number, to: number): void {
  if (to - from <= 32) {
    for (let i = from + 1; i < to; i++) {
      const [it, ty, ti] = [r.item[i], r.type[i], r.time[i]];
      let j = i - 1;
      for (; j >= from && (r.time[j] > ti || (r.time[j] === ti && (r.item[j] > it || (r.item[j] === it && r.type[j] > ty)))); j--) {
        r.item[j + 1] = r.item[j];
        r.type[j + 1] = r.type[j];
        r.time[j + 1] = r.time[j];
      }
      [r.item[j + 1], r.type[j + 1], r.time[j + 1]] = [it, ty, ti];
    }
    return;
  }
  const order = Array.from({ length: to - from }, (_, k) => from + k).sort((a, b) => (before(r, a, b) ? -1 : before(r, b, a) ? 1 : 0));
  const [item, type, time] = [order.map((p) => r.item[p]), order.map((p) => r.type[p]), order.map((p) => r.time[p])];
  r.item.set(item, from);
  r.type.set(type, from);
  r.time.set(time, from);
}

/**
 * Sorts every user's rows (oldest first) and keeps the newest `cap` of each event type, moving the
 * kept rows together; returns the rows with their new offsets.
 */
function sortAndCap(r: Rows, eventTypes: number, cap: number): Rows {
  const users = r.offsets.length - 1;
  const offsets = new Int32Array(users + 1);
  const perType = new Int32Array(eventTypes);
  let out = 0;
  for (let u = 0; u < users; u++) {
    const [from, to] = [r.offsets[u], r.offsets[u + 1]];
    sortUser(r, from, to);
    // Newest first, a row beyond the cap of its event type is marked (a negative type) and left out.
    if (to - from > cap) {
      perType.fill(0);
      for (let p = to - 1; p >= from; p--) if (++perType[r.type[p]] > cap) r.type[p] = -1 - r.type[p];
    }
    for (let p = from; p < to; p++) {
      if (r.type[p] < 0) continue;
      r.item[out] = r.item[p];
      r.type[out] = r.type[p];
      r.time[out] = r.time[p];
      out++;
    }
    offsets[u + 1] = out;
  }
  return { offsets, item: r.item.slice(0, out), type: r.type.slice(0, out), time: r.time.slice(0, out) };
}

/**
 * Reads the interactions of `view` (a SELECT over the dataset's bulk parts) into an index. DuckDB
 * reads the rows and numbers the users, items and event types (hash joins); JavaScript copies the
 * integer and time columns out of DuckDB's vectors into each user's place (the counts per user
 * are known), sorts each user's few rows and keeps the newest `cap` per event type. So DuckDB
 * sorts no rows and JavaScript makes each distinct ID a string once: the costly parts of reading
 * the rows into JavaScript one by one, or of having DuckDB sort them all.
 */
export async function buildInteractionIndex(o: {
  view: string;
  schema: ParsedSchema;
  engine: EngineOptions;
  /** Interactions kept per user and event type, newest first. */
  capPerEventType: number;
}): Promise<InteractionIndex> {
  const has = new Set(o.schema.fields.map((f) => f.name));
  const type = has.has('EVENT_TYPE') ? `CAST(${sqlIdent('EVENT_TYPE')} AS VARCHAR)` : `NULL::VARCHAR`;
  const time = has.has('TIMESTAMP') ? `CAST(${sqlIdent('TIMESTAMP')} AS DOUBLE)` : 'CAST(0 AS DOUBLE)';
  const cap = Math.max(1, Math.floor(o.capPerEventType));
  return withDuck(o.engine, async (c) => {
    await c.run(`
      CREATE TEMP TABLE k AS
      SELECT CAST(${sqlIdent('USER_ID')} AS VARCHAR) AS u, CAST(${sqlIdent('ITEM_ID')} AS VARCHAR) AS i,
             coalesce(${type}, '') AS e, ${time} AS t
      FROM (${o.view}) WHERE ${sqlIdent('USER_ID')} IS NOT NULL AND ${sqlIdent('ITEM_ID')} IS NOT NULL`);
    // Items and event types numbered in their IDs' order, so that comparing numbers compares IDs.
    await c.run(`CREATE TEMP TABLE ux AS SELECT u AS v, (row_number() OVER (ORDER BY u) - 1)::INTEGER AS x, n
                 FROM (SELECT u, count(*)::INTEGER AS n FROM k GROUP BY u)`);
    await c.run(
      `CREATE TEMP TABLE ix AS SELECT i AS v, (row_number() OVER (ORDER BY i) - 1)::INTEGER AS x FROM (SELECT DISTINCT i FROM k)`,
    );
    await c.run(
      `CREATE TEMP TABLE ex AS SELECT e AS v, (row_number() OVER (ORDER BY e) - 1)::INTEGER AS x FROM (SELECT DISTINCT e FROM k)`,
    );
    const userIds = await strings(c, 'SELECT v FROM ux ORDER BY x');
    const itemIds = await strings(c, 'SELECT v FROM ix ORDER BY x');
    const eventTypes = await strings(c, 'SELECT v FROM ex ORDER BY x');
    const counts = (await c.runAndReadAll('SELECT n FROM ux ORDER BY x')).getColumnsJS()[0] ?? [];
    const offsets = new Int32Array(userIds.length + 1);
    for (let u = 0; u < userIds.length; u++) offsets[u + 1] = offsets[u] + Number(counts[u]);
    const total = offsets[userIds.length];
    const rows: Rows = { offsets, item: new Int32Array(total), type: new Int32Array(total), time: new Float64Array(total) };
    const next = offsets.slice(0, userIds.length);
    const result = await c.stream(`SELECT ux.x, ix.x, ex.x, k.t FROM k JOIN ux ON k.u = ux.v JOIN ix ON k.i = ix.v JOIN ex ON k.e = ex.v`);
    let read = 0;
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const [u, i, e, t] = [0, 1, 2, 3].map((col) => chunk.getColumnVector(col) as DuckDBVector<number>);
      for (let r = 0, n = chunk.rowCount; r < n; r++) {
        const user = u.getItem(r)!;
        const p = next[user]++;
        if (p >= offsets[user + 1]) throw new Error(`Internal error: user ${userIds[user]} has more interactions than counted`);
        rows.item[p] = i.getItem(r)!;
        rows.type[p] = e.getItem(r)!;
        rows.time[p] = t.getItem(r)!;
      }
      read += chunk.rowCount;
    }
    if (read !== total) throw new Error(`Internal error: the interaction index read ${read} rows, expected ${total}`);
    const kept = sortAndCap(rows, eventTypes.length, cap);
    const users = new Map<string, number>();
    for (let u = 0; u < userIds.length; u++) users.set(userIds[u], u);
    return new InteractionIndex(users, kept.offsets, kept.item, itemIds, kept.time, kept.type, eventTypes);
  });
}
