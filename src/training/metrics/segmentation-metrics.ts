// Offline metrics of the USER_SEGMENTATION recipes (Item-Affinity, Item-Attribute-Affinity),
// training-rules §4 rules 54, 56, 58: the model trains on the oldest 80 % of every user's
// interactions (at least one); for each item in the newest 20 % it returns its top 1 % of users
// (K = max(1, ⌈1 % of users⌉)), and
//   hits_at_1_percent   = mean over test items of |top-K users who took the item in the test part|
//                         (an average count, not a ratio: AWS reports values like 19.7648)
//   recall_at_1_percent = mean over test items of that count / the item's test users
//   coverage            = distinct users in any top-K / distinct users
// rounded to 4 decimals. The Model port has no segment query yet, so a segmentation model must
// offer `segment(itemId, k)` (see SegmentingModel); without it this throws.
import type { Model, Trainer, TrainingData } from '../trainer.ts';
import { round4 } from './ranking-metrics.ts';

export const SEGMENTATION_RECIPES = new Set(['aws-item-affinity', 'aws-item-attribute-affinity']);

export function isSegmentationRecipe(recipe: string): boolean {
  return SEGMENTATION_RECIPES.has(recipe);
}

/** A model that can name the users most likely to interact with an item, best first. */
export interface SegmentingModel extends Model {
  segment(itemId: string, k: number): string[];
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

export async function segmentationMetrics(
  trainer: Trainer,
  data: TrainingData,
  hyperParameters: Record<string, string>,
  o: { signal?: AbortSignal } = {},
): Promise<Record<string, number>> {
  const nUsers = data.userIds.length;
  const count = new Int32Array(nUsers);
  for (let r = 0; r < data.user.length; r++) count[data.user[r]]++;
  const seen = new Int32Array(nUsers);
  const train = new Uint8Array(data.user.length);
  // item → users who took it in their newest 20 %.
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
  const empty = { coverage: 0, hits_at_1_percent: 0, recall_at_1_percent: 0 };
  if (actual.size === 0) return empty;
  const model = (await trainer.train(subsetRows(data, train), hyperParameters, o.signal)) as Partial<SegmentingModel>;
  if (typeof model.segment !== 'function') throw new Error(`the ${trainer.recipe} model cannot segment users`);
  const userIndex = new Map(data.userIds.map((id, u) => [id, u]));
  const k = Math.max(1, Math.ceil(nUsers * 0.01));
  const covered = new Set<string>();
  let hits = 0;
  let recall = 0;
  for (const [i, users] of actual) {
    const top = model.segment.call(model, data.itemIds[i], k).slice(0, k);
    let h = 0;
    for (const id of top) {
      covered.add(id);
      const u = userIndex.get(id);
      if (u !== undefined && users.has(u)) h++;
    }
    hits += h;
    recall += h / users.size;
  }
  return {
    coverage: round4(covered.size / nUsers),
    hits_at_1_percent: round4(hits / actual.size),
    recall_at_1_percent: round4(recall / actual.size),
  };
}
