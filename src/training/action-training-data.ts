// What Next-Best-Action trains on besides the item interactions (training-rules.md §1.3, rules.md
// §3.1): the Actions dataset's rows (the actions that can be recommended, with VALUE,
// EXPIRATION_TIMESTAMP, REPEAT_FREQUENCY, CREATION_TIMESTAMP and metadata) and the Action
// interactions (USER_ID, ACTION_ID, EVENT_TYPE, TIMESTAMP) as dense, time-ordered typed arrays.
//
// Decisions [INF] where AWS documents nothing:
//  * event types match case-insensitively (as Personalize matches event types elsewhere):
//    TAKEN, NOT_TAKEN, VIEWED; any other value is kept as OTHER (it counts for nothing but the
//    data's size);
//  * "During model training, Amazon Personalize considers a maximum of 1000 actions ... priority
//    given to new actions (actions you recently added with no interactions) and existing actions
//    with recent interactions data" [DOC]: beyond 1,000 actions the candidates are the 1,000 most
//    recent by the later of their CREATION_TIMESTAMP and their newest interaction (an action with
//    neither comes last); interactions with other actions still count as the users' history;
//  * action interactions with an action the Actions dataset does not hold are kept as history, but
//    such an action is never a candidate (AWS recommends "from the actions you import").
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdent } from '../data/engine/cell-rules.ts';
import { withDuck } from '../data/engine/duck.ts';
import type { EngineOptions } from '../data/engine/types.ts';
import type { ParsedSchema } from '../data/schema/schema-model.ts';

/** Event kinds of action interactions, as stored in ActionTrainingData.event. */
export const TAKEN = 0;
export const NOT_TAKEN = 1;
export const VIEWED = 2;
export const OTHER_EVENT = 3;

/** "considers a maximum of 1000 actions" (training-rules.md §11). */
export const MAX_CANDIDATE_ACTIONS = 1000;

export type ActionRow = Record<string, string | number | boolean | null>;

export interface ActionTrainingData {
  /** Every action ID the data names: the candidates first (see `candidates`), then the others. */
  actionIds: string[];
  /** actionIds[0 .. candidates-1] are the actions that may be recommended (from the Actions dataset). */
  candidates: number;
  /** The Actions dataset's rows by ACTION_ID (every column of its schema). */
  rows: Map<string, ActionRow>;
  /** Users of the action interactions; `user[k]` indexes into it. */
  userIds: string[];
  /** One entry per action interaction, oldest first. */
  user: Int32Array;
  action: Int32Array;
  /** TIMESTAMP, epoch seconds. */
  time: Float64Array;
  /** TAKEN, NOT_TAKEN, VIEWED or OTHER_EVENT. */
  event: Uint8Array;
}

/** The event kind of an EVENT_TYPE value (case-insensitive). */
export function eventKind(eventType: string | null | undefined): number {
  switch ((eventType ?? '').toUpperCase()) {
    case 'TAKEN':
      return TAKEN;
    case 'NOT_TAKEN':
      return NOT_TAKEN;
    case 'VIEWED':
      return VIEWED;
    default:
      return OTHER_EVENT;
  }
}

/** An action's expiration time (epoch seconds) from its row, if it has one (either spelling, rules.md §3.1). */
export function expirationOf(row: Readonly<Record<string, unknown>> | undefined): number | undefined {
  const v = row?.EXPIRATION_TIMESTAMP ?? row?.ACTION_EXPIRATION_TIMESTAMP;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** A numeric column of an action's row (VALUE, REPEAT_FREQUENCY, CREATION_TIMESTAMP), if set. */
export function numberOf(row: Readonly<Record<string, unknown>> | undefined, column: string): number | undefined {
  const v = row?.[column];
  const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

const plain = (v: unknown): string | number | boolean | null =>
  v === null || v === undefined
    ? null
    : typeof v === 'bigint'
      ? Number(v)
      : typeof v === 'object'
        ? String(v)
        : (v as string | number | boolean);

async function readActions(c: DuckDBConnection, view: string, schema: ParsedSchema): Promise<Map<string, ActionRow>> {
  const names = schema.fields.map((f) => f.name);
  const r = await c.runAndReadAll(`SELECT ${names.map(sqlIdent).join(', ')} FROM (${view}) WHERE ${sqlIdent('ACTION_ID')} IS NOT NULL`);
  const id = names.indexOf('ACTION_ID');
  const out = new Map<string, ActionRow>();
  for (const row of r.getRowsJS()) {
    const record: ActionRow = {};
    names.forEach((name, j) => (record[name] = plain(row[j])));
    out.set(String(row[id]), record);
  }
  return out;
}

interface RawInteractions {
  users: string[];
  actions: string[];
  times: number[];
  events: number[];
}

async function readInteractions(c: DuckDBConnection, view: string, schema: ParsedSchema): Promise<RawInteractions> {
  const has = new Set(schema.fields.map((f) => f.name));
  const type = has.has('EVENT_TYPE') ? `CAST(${sqlIdent('EVENT_TYPE')} AS VARCHAR)` : 'NULL::VARCHAR';
  const time = has.has('TIMESTAMP') ? `CAST(${sqlIdent('TIMESTAMP')} AS DOUBLE)` : 'CAST(0 AS DOUBLE)';
  const r = await c.runAndReadAll(
    `SELECT CAST(${sqlIdent('USER_ID')} AS VARCHAR) AS u, CAST(${sqlIdent('ACTION_ID')} AS VARCHAR) AS a, ${time} AS t, ${type} AS e
     FROM (${view}) WHERE ${sqlIdent('USER_ID')} IS NOT NULL AND ${sqlIdent('ACTION_ID')} IS NOT NULL
     ORDER BY t, u, a, e`,
  );
  const [u, a, t, e] = r.getColumnsJS() as [unknown[], unknown[], unknown[], unknown[]];
  return {
    users: (u ?? []).map(String),
    actions: (a ?? []).map(String),
    times: (t ?? []).map(Number),
    events: (e ?? []).map((x) => eventKind(x as string | null)),
  };
}

/** The candidates when there are more than MAX_CANDIDATE_ACTIONS (see the header), in ID order. */
function prioritised(rows: Map<string, ActionRow>, lastSeen: Map<string, number>): string[] {
  const ids = [...rows.keys()].sort();
  if (ids.length <= MAX_CANDIDATE_ACTIONS) return ids;
  const recency = (id: string) => Math.max(numberOf(rows.get(id), 'CREATION_TIMESTAMP') ?? -Infinity, lastSeen.get(id) ?? -Infinity);
  return ids
    .map((id) => [id, recency(id)] as const)
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, MAX_CANDIDATE_ACTIONS)
    .map(([id]) => id)
    .sort();
}

/** Builds ActionTrainingData from the Actions rows and raw interactions (also used by tests and benchmarks). */
export function actionTrainingData(rows: Map<string, ActionRow>, raw: RawInteractions): ActionTrainingData {
  const lastSeen = new Map<string, number>();
  raw.actions.forEach((a, k) => lastSeen.set(a, raw.times[k]));
  const candidates = prioritised(rows, lastSeen);
  const index = new Map(candidates.map((id, i) => [id, i]));
  const actionIds = [...candidates];
  for (const a of [...new Set(raw.actions)].sort()) if (!index.has(a)) index.set(a, actionIds.push(a) - 1);
  const userIds = [...new Set(raw.users)].sort();
  const userIndex = new Map(userIds.map((id, i) => [id, i]));
  const n = raw.users.length;
  const data: ActionTrainingData = {
    actionIds,
    candidates: candidates.length,
    rows: new Map(candidates.map((id) => [id, rows.get(id)!])),
    userIds,
    user: new Int32Array(n),
    action: new Int32Array(n),
    time: new Float64Array(n),
    event: new Uint8Array(n),
  };
  for (let k = 0; k < n; k++) {
    data.user[k] = userIndex.get(raw.users[k])!;
    data.action[k] = index.get(raw.actions[k])!;
    data.time[k] = raw.times[k];
    data.event[k] = raw.events[k];
  }
  return data;
}

/**
 * Reads the Actions rows and (when the group has them) the action interactions. `actions` and
 * `interactions` are SELECTs of the datasets' current rows (datasetViewSql) with their schemas.
 */
export async function loadActionTrainingData(o: {
  engine: EngineOptions;
  actions: { view: string; schema: ParsedSchema };
  interactions?: { view: string; schema: ParsedSchema };
  signal?: AbortSignal;
}): Promise<ActionTrainingData> {
  return withDuck(o.engine, async (c) => {
    const rows = await readActions(c, o.actions.view, o.actions.schema);
    o.signal?.throwIfAborted();
    const raw = o.interactions
      ? await readInteractions(c, o.interactions.view, o.interactions.schema)
      : { users: [], actions: [], times: [], events: [] };
    o.signal?.throwIfAborted();
    return actionTrainingData(rows, raw);
  });
}
