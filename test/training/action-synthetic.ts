// Synthetic Next-Best-Action data with planted structure, for the training and API tests:
// ten actions in five pairs (a1 → a0, a3 → a2, ...: whoever takes the first of a pair takes the
// second within hours), users who each favour one pair (and show it in their items too: a user
// of pair p interacts mostly with items of cluster p), sessions every few days that view or refuse
// a few random actions before taking their pair. Enough of everything for rule 19 (≥ 50 TAKEN and
// ≥ 50 NOT_TAKEN / VIEWED per action within the last 6 weeks).
import { actionTrainingData, eventKind, type ActionRow } from '../../src/training/action-training-data.ts';
import type { TrainingData } from '../../src/training/trainer.ts';
import { mulberry32 } from './synthetic.ts';

export const ACTIONS = Array.from({ length: 10 }, (_, i) => `a${i}`);
/** [first, second]: the second follows the first. */
export const PAIRS: [string, string][] = [0, 1, 2, 3, 4].map((p) => [`a${2 * p + 1}`, `a${2 * p}`]);

export interface ActionRows {
  /** USER_ID,ACTION_ID,EVENT_TYPE,TIMESTAMP */
  actionInteractions: string[];
  /** USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE */
  interactions: string[];
  /** The pair each user favours. */
  pairOf: Map<string, number>;
  users: string[];
  end: number;
}

export function actionRows(o: { users?: number; sessions?: number; seed?: number; start?: number } = {}): ActionRows {
  const rand = mulberry32(o.seed ?? 5);
  const users = Array.from({ length: o.users ?? 150 }, (_, u) => `u${u}`);
  const start = o.start ?? 1_700_000_000;
  const day = 86_400;
  const actionInteractions: string[] = [];
  const interactions: string[] = [];
  const pairOf = new Map<string, number>();
  let end = start;
  users.forEach((user, u) => {
    const pair = u % PAIRS.length;
    pairOf.set(user, pair);
    let t = start + Math.floor(rand() * 3 * day);
    for (let s = 0; s < (o.sessions ?? 6); s++) {
      for (let v = 0; v < 3; v++) {
        const a = ACTIONS[Math.floor(rand() * ACTIONS.length)];
        actionInteractions.push(`${user},${a},${rand() < 0.5 ? 'VIEWED' : 'NOT_TAKEN'},${(t += 60)}`);
      }
      // Mostly the user's own pair; sometimes another one, always in order.
      const p = rand() < 0.8 ? pair : Math.floor(rand() * PAIRS.length);
      const [first, second] = PAIRS[p];
      actionInteractions.push(`${user},${first},TAKEN,${(t += 600)}`);
      actionInteractions.push(`${user},${second},TAKEN,${(t += 3600 + Math.floor(rand() * 7200))}`);
      for (let i = 0; i < 2; i++) {
        const cluster = rand() < 0.85 ? pair : Math.floor(rand() * PAIRS.length);
        interactions.push(`${user},c${cluster}-i${Math.floor(rand() * 8)},${(t += 120)},click`);
      }
      end = Math.max(end, t);
      t += 3 * day + Math.floor(rand() * 4 * day);
    }
  });
  return { actionInteractions, interactions, pairOf, users, end };
}

/** TrainingData as the training job reads it from these rows (interactions by time, IDs in order), with the Actions rows given. */
export function actionTrainingDataOf(rows: ActionRows, actions: Map<string, ActionRow> = defaultActions()): TrainingData {
  const parsed = rows.interactions.map((line) => line.split(',')).sort((a, b) => Number(a[2]) - Number(b[2]));
  const userIds = [...new Set(parsed.map((r) => r[0]))].sort();
  const itemIds = [...new Set(parsed.map((r) => r[1]))].sort();
  const u = new Map(userIds.map((id, i) => [id, i]));
  const it = new Map(itemIds.map((id, i) => [id, i]));
  const n = parsed.length;
  const raw = rows.actionInteractions.map((line) => line.split(',')).sort((a, b) => Number(a[3]) - Number(b[3]));
  return {
    userIds,
    itemIds,
    user: Int32Array.from(parsed, (r) => u.get(r[0])!),
    item: Int32Array.from(parsed, (r) => it.get(r[1])!),
    time: Float64Array.from(parsed, (r) => Number(r[2])),
    weight: new Float32Array(n).fill(1),
    eventType: new Int32Array(n),
    eventTypes: ['click'],
    actions: actionTrainingData(actions, {
      users: raw.map((r) => r[0]),
      actions: raw.map((r) => r[1]),
      times: raw.map((r) => Number(r[3])),
      events: raw.map((r) => eventKind(r[2])),
    }),
  };
}

/** The Actions rows: a CATEGORY by pair, VALUE = the action's number. */
export function defaultActions(): Map<string, ActionRow> {
  return new Map(ACTIONS.map((id, i) => [id, { ACTION_ID: id, CATEGORY: `cat${Math.floor(i / 2)}`, VALUE: i }]));
}
