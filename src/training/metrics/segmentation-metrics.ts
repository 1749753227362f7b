// Offline metrics of the USER_SEGMENTATION recipes (Item-Affinity, Item-Attribute-Affinity),
// training-rules §4 rules 54, 56, 58: the model trains on the oldest 80 % of every user's
// interactions (at least one); each query is asked for its top 1 % of users
// (K = max(1, ⌈1 % of users⌉)) through Model.segment, and
//   hits_at_1_percent   = mean over queries of |top-K users who took a queried item in the test part|
//                         (an average count, not a ratio: AWS reports values like 19.7648)
//   recall_at_1_percent = mean over queries of that count / the query's test users
//   coverage            = distinct users in any top-K / distinct users
// rounded to 4 decimals, in that (lexicographic) key order. The queries [INF]: Item-Affinity asks
// for every item of the newest 20 %; Item-Attribute-Affinity for every value of a categorical
// metadata column (or, without one, of any non-textual column; item-metadata.ts attributeIndex)
// that an item of the newest 20 % has, whose test users are those who took any item with the value
// there (a numeric column's values are mostly one item each: they would measure Item-Affinity
// again). A model without segment() gives empty segments.
import { attributeIndex } from '../models/item-metadata.ts';
import type { Scored, SegmentQuery, Trainer, TrainingData } from '../trainer.ts';
import { round4 } from './ranking-metrics.ts';

export const SEGMENTATION_RECIPES = new Set(['aws-item-affinity', 'aws-item-attribute-affinity']);

export function isSegmentationRecipe(recipe: string): boolean {
  return SEGMENTATION_RECIPES.has(recipe);
}

function subsetRows(data: TrainingData, keep: Uint8Array): TrainingData {
  const rows: number[] = [];
  for (let r = 0; r < keep.length; r++) if (keep[r]) rows.push(r);
  return {
    ...data,
    user: Int32Array.from(rows, (r) => data.user[r]),
    item: Int32Array.from(rows, (r) => data.item[r]),
    time: Float64Array.from(rows, (r) => data.time[r]),
    weight: Float32Array.from(rows, (r) => data.weight[r]),
    eventType: Int32Array.from(rows, (r) => data.eventType[r]),
  };
}

/** The 80/20 split: the training rows and, per item index, the users who took it in their newest 20 %. */
export function segmentationSplit(data: TrainingData): { train: TrainingData; actual: Map<number, Set<number>> } {
  const nUsers = data.userIds.length;
  const count = new Int32Array(nUsers);
  for (let r = 0; r < data.user.length; r++) count[data.user[r]]++;
  const seen = new Int32Array(nUsers);
  const train = new Uint8Array(data.user.length);
  const actual = new Map<number, Set<number>>();
  for (let r = 0; r < data.user.length; r++) {
    const u = data.user[r];
    const inTrain = Math.max(1, Math.floor(0.8 * count[u]));
    if (seen[u]++ < inTrain) train[r] = 1;
    else {
      const i = data.item[r];
      if (!actual.has(i)) actual.set(i, new Set());
      actual.get(i)!.add(u);
    }
  }
  return { train: subsetRows(data, train), actual };
}

export interface SegmentationTest {
  query: SegmentQuery;
  /** Indexes of the users who took a queried item in their newest 20 %. */
  users: Set<number>;
}

/** The queries of a recipe and their test users, in a fixed order. */
export function segmentationQueries(recipe: string, data: TrainingData, actual: Map<number, Set<number>>): SegmentationTest[] {
  if (recipe !== 'aws-item-attribute-affinity') {
    return [...actual].sort((a, b) => a[0] - b[0]).map(([i, users]) => ({ query: { itemId: data.itemIds[i] }, users }));
  }
  const out: SegmentationTest[] = [];
  let index = attributeIndex(data, data.itemIds, true);
  if (index.size === 0) index = attributeIndex(data, data.itemIds);
  for (const [key, items] of [...index].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const users = new Set<number>();
    for (const i of items) for (const u of actual.get(i) ?? []) users.add(u);
    if (users.size === 0) continue;
    const cut = key.indexOf('\u0000');
    out.push({ query: { attribute: { name: key.slice(0, cut), value: key.slice(cut + 1) } }, users });
  }
  return out;
}

/** K of the metrics: 1 % of the users, at least 1. */
export function segmentSize(users: number): number {
  return Math.max(1, Math.ceil(users * 0.01));
}

/** The three metrics of segments (best first, `item` a user ID) for the tests, unrounded. */
export function scoreSegments(
  segment: (q: SegmentQuery, k: number) => Scored[],
  tests: readonly SegmentationTest[],
  userIds: readonly string[],
  signal?: AbortSignal,
): { coverage: number; hits: number; recall: number } {
  const userIndex = new Map(userIds.map((id, u) => [id, u]));
  const k = segmentSize(userIds.length);
  const covered = new Set<string>();
  let hits = 0;
  let recall = 0;
  for (let q = 0; q < tests.length; q++) {
    if (q % 64 === 0) signal?.throwIfAborted();
    const { query, users } = tests[q];
    let h = 0;
    for (const { item: id } of segment(query, k).slice(0, k)) {
      covered.add(id);
      const u = userIndex.get(id);
      if (u !== undefined && users.has(u)) h++;
    }
    hits += h;
    recall += h / users.size;
  }
  const n = tests.length || 1;
  return { coverage: userIds.length ? covered.size / userIds.length : 0, hits: hits / n, recall: recall / n };
}

export async function segmentationMetrics(
  trainer: Trainer,
  data: TrainingData,
  hyperParameters: Record<string, string>,
  o: { signal?: AbortSignal } = {},
): Promise<Record<string, number>> {
  const { train, actual } = segmentationSplit(data);
  const tests = segmentationQueries(trainer.recipe, data, actual);
  if (tests.length === 0) return { coverage: 0, hits_at_1_percent: 0, recall_at_1_percent: 0 };
  const model = await trainer.train(train, hyperParameters, o.signal);
  const s = scoreSegments((q, k) => model.segment?.(q, k) ?? [], tests, data.userIds, o.signal);
  return { coverage: round4(s.coverage), hits_at_1_percent: round4(s.hits), recall_at_1_percent: round4(s.recall) };
}
