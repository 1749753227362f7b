// A dataset group's action interactions as serving reads them (group-data.ts implements
// ActionFilterData with these): the bulk rows of the Action interactions dataset as a per-user
// index, built once per bulk generation (like interaction-index.ts for item interactions), merged
// with the user's individually put action interactions (PutActionInteractions) read per request.
// Each user keeps the newest FILTER_ACTION_INTERACTIONS_PER_TYPE per event type: filters consider
// 300 action interactions (training-rules.md rule 98), and the Next-Best-Action model reads its
// own trained histories plus the put ones.
import { datasetViewSql } from '../data/engine/index.ts';
import { sqlIdent } from '../data/engine/cell-rules.ts';
import { withDuck } from '../data/engine/duck.ts';
import type { EngineOptions } from '../data/engine/types.ts';
import type { DatasetReader } from '../data/reader.ts';
import type { StoredRecord } from '../data/records/record-store.ts';
import { FILTER_ACTION_INTERACTIONS_PER_TYPE, type ActionInteraction } from './filters/filter-evaluator.ts';

/** The bulk action interactions by user, oldest first. */
export class ActionIndex {
  static readonly EMPTY = new ActionIndex(new Map());
  constructor(private readonly byUser: ReadonlyMap<string, ActionInteraction[]>) {}
  of(userId: string): ActionInteraction[] {
    return this.byUser.get(userId) ?? [];
  }
  get userCount(): number {
    return this.byUser.size;
  }
}

/** The newest `perType` of each event type (case-insensitive), oldest first. */
function capped(list: ActionInteraction[], perType: number): ActionInteraction[] {
  const count = new Map<string, number>();
  const kept: ActionInteraction[] = [];
  for (let i = list.length - 1; i >= 0; i--) {
    const key = list[i].eventType.toLowerCase();
    const n = count.get(key) ?? 0;
    if (n < perType) (count.set(key, n + 1), kept.push(list[i]));
  }
  return kept.reverse();
}

/** Reads the dataset's bulk rows (not its records) into an ActionIndex. */
export async function buildActionIndex(reader: DatasetReader, datasetArn: string, engine: EngineOptions): Promise<ActionIndex> {
  const snapshot = await reader.open(datasetArn, 'BULK');
  if (typeof snapshot === 'string' || snapshot.bulk.length === 0) return ActionIndex.EMPTY;
  const has = new Set(snapshot.schema.fields.map((f) => f.name));
  const view = datasetViewSql(
    snapshot.schema,
    snapshot.bulk.map((p) => p.path),
  );
  const type = has.has('EVENT_TYPE') ? `CAST(${sqlIdent('EVENT_TYPE')} AS VARCHAR)` : `''`;
  const r = await withDuck(engine, (c) =>
    c.runAndReadAll(
      `SELECT CAST(${sqlIdent('USER_ID')} AS VARCHAR), CAST(${sqlIdent('ACTION_ID')} AS VARCHAR), coalesce(${type}, ''),
              CAST(${sqlIdent('TIMESTAMP')} AS DOUBLE)
       FROM (${view}) WHERE ${sqlIdent('USER_ID')} IS NOT NULL AND ${sqlIdent('ACTION_ID')} IS NOT NULL
       ORDER BY 1, 4`,
    ),
  );
  const byUser = new Map<string, ActionInteraction[]>();
  for (const [user, actionId, eventType, time] of r.getRowsJS() as [string, string, string, number][]) {
    const list = byUser.get(user) ?? byUser.set(user, []).get(user)!;
    list.push({ actionId, eventType, time: Number(time) });
  }
  for (const [user, list] of byUser) byUser.set(user, capped(list, FILTER_ACTION_INTERACTIONS_PER_TYPE));
  return new ActionIndex(byUser);
}

/** A user's put action interactions (records), oldest first. */
export function putActionInteractions(records: readonly StoredRecord[]): ActionInteraction[] {
  const out: ActionInteraction[] = [];
  for (const r of records) {
    const actionId = r.cells.ACTION_ID;
    const time = Number(r.cells.TIMESTAMP ?? NaN);
    if (actionId === null || actionId === undefined || !Number.isFinite(time)) continue;
    out.push({ actionId, eventType: r.cells.EVENT_TYPE ?? '', time });
  }
  // Stable: at equal times the earlier put stays first.
  return out.sort((a, b) => a.time - b.time);
}

/** Bulk and put action interactions together, oldest first, an exact duplicate once, capped per event type. */
export function mergedActionInteractions(bulk: readonly ActionInteraction[], records: readonly StoredRecord[]): ActionInteraction[] {
  const key = (x: ActionInteraction) => `${x.actionId}\u0000${x.eventType}\u0000${x.time}`;
  const seen = new Set(bulk.map(key));
  const all = [...bulk];
  for (const x of putActionInteractions(records)) if (!seen.has(key(x))) (seen.add(key(x)), all.push(x));
  all.sort((a, b) => a.time - b.time);
  return capped(all, FILTER_ACTION_INTERACTIONS_PER_TYPE);
}
