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

/** Grows a typed array by doubling (the row count is not known before the stream ends). */
class Growing<T extends Int32Array | Float64Array> {
  length = 0;
  constructor(
    private data: T,
    private readonly make: (n: number) => T,
  ) {}

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }

  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}

function intern(map: Map<string, number>, list: string[], value: string): number {
  let i = map.get(value);
  if (i === undefined) {
    i = list.length;
    map.set(value, i);
    list.push(value);
  }
  return i;
}

/** Reads the interactions of `view` (a SELECT over the dataset's bulk parts) into an index. */
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
  const sql = `
    WITH f AS (
      SELECT CAST(${sqlIdent('USER_ID')} AS VARCHAR) AS u, CAST(${sqlIdent('ITEM_ID')} AS VARCHAR) AS i,
             coalesce(${type}, '') AS e, ${time} AS t
      FROM (${o.view}) WHERE ${sqlIdent('USER_ID')} IS NOT NULL AND ${sqlIdent('ITEM_ID')} IS NOT NULL)
    SELECT u, i, e, t FROM f
    QUALIFY row_number() OVER (PARTITION BY u, e ORDER BY t DESC, i DESC) <= ${Math.max(1, Math.floor(o.capPerEventType))}
    ORDER BY u, t, i, e`;
  return withDuck(o.engine, async (c) => {
    const users = new Map<string, number>();
    const itemIndex = new Map<string, number>();
    const itemIds: string[] = [];
    const typeIndex = new Map<string, number>();
    const eventTypes: string[] = [];
    const offsets: number[] = [0];
    const item = new Growing(new Int32Array(1024), (n) => new Int32Array(n));
    const times = new Growing(new Float64Array(1024), (n) => new Float64Array(n));
    const types = new Growing(new Int32Array(1024), (n) => new Int32Array(n));
    let current: string | undefined;
    const result = await c.stream(sql);
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      for (const row of chunk.getRows()) {
        const u = String(row[0]);
        if (u !== current) {
          if (current !== undefined) offsets.push(item.length);
          users.set(u, users.size);
          current = u;
        }
        item.push(intern(itemIndex, itemIds, String(row[1])));
        types.push(intern(typeIndex, eventTypes, String(row[2])));
        times.push(Number(row[3]));
      }
    }
    if (current !== undefined) offsets.push(item.length);
    return new InteractionIndex(users, Int32Array.from(offsets), item.done(), itemIds, times.done(), types.done(), eventTypes);
  });
}
