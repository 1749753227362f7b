// AWS's offline evaluation (training-rules §4 rules 54–58), as GetSolutionMetrics reports it.
//
// The holdout (rule 54): 10 % of the users are test users; the model is trained on the other 90 %
// of users and all their interactions (the "training set" — the test users' data is NOT trained
// on); each test user's oldest 90 % of interactions is then given to the model as input (the
// request's history) and its top 25 is compared with the distinct items of the newest 10 %.
// Choice of test users (rule 55): among the users with at least 2 interactions, the
// max(1, round(10 %)) with the lowest hash of (seed, USER_ID), so a rerun on the same data gives
// the same figures and adding users moves few others. A test user with n interactions gives the
// first min(n − 1, ⌈0.9·n⌉) as input. Nothing is excluded from the request (rule 55), so a model
// decides itself whether already-seen items are worth recommending.
// Related-items recipes (SIMS, Similar-Items, Semantic-Similarity) are asked for the neighbours of
// the test user's newest input item. USER_SEGMENTATION recipes use their own split and metrics
// (segmentation-metrics.ts), PERSONALIZED_ACTIONS ones theirs (action-metrics.ts). A related-items
// recipe trained without interactions (Semantic-Similarity needs only Items) has no test users:
// its coverage is that of the neighbours of every item (at most 2,000, evenly spread), the other
// metrics 0. A solution with an optimizationObjective adds average_rewards_at_k (models/objective.ts).
import type { Model, Trainer, TrainingData } from '../trainer.ts';
import { averageRewards, objectiveValues, rewardOf } from '../models/objective.ts';
import { actionMetrics } from './action-metrics.ts';
import { rankingMetrics } from './ranking-metrics.ts';
import { isSegmentationRecipe, segmentationMetrics } from './segmentation-metrics.ts';

export const RELATED_ITEMS_RECIPES = new Set(['aws-sims', 'aws-similar-items', 'aws-semantic-similarity']);
export const TOP_K = 25;

export interface TestUser {
  userId: string;
  /** The oldest part of the user's interactions, oldest first. */
  input: string[];
  /** Distinct items of the newest part. */
  relevant: Set<string>;
}

export interface EvaluationSplit {
  /** The training users with all their interactions (user indexes renumbered, items unchanged). */
  train: TrainingData;
  tests: TestUser[];
  /** Distinct items of the datasets (Interactions ∪ Items): coverage's denominator. */
  catalogSize: number;
}

/** FNV-1a of the seed and the ID, then murmur3's finalizer: a well-mixed 32-bit hash. */
export function userHash(seed: number, id: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  h = Math.imul(h, 0x01000193);
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Row indexes of every user, in data order (which is time order): user u's are rows[offsets[u] .. offsets[u+1]-1]. */
function rowsByUser(data: TrainingData): { offsets: Int32Array; rows: Int32Array } {
  const nUsers = data.userIds.length;
  const offsets = new Int32Array(nUsers + 1);
  for (let r = 0; r < data.user.length; r++) offsets[data.user[r] + 1]++;
  for (let u = 0; u < nUsers; u++) offsets[u + 1] += offsets[u];
  const rows = new Int32Array(data.user.length);
  const fill = offsets.slice(0, nUsers);
  for (let r = 0; r < data.user.length; r++) rows[fill[data.user[r]]++] = r;
  return { offsets, rows };
}

export function catalogSize(data: TrainingData): number {
  const ids = new Set(data.itemIds);
  if (data.items) for (const id of data.items.keys()) ids.add(id);
  return ids.size;
}

/** Keeps the rows of the users with keep[u] set, renumbering those users. */
export function subsetUsers(data: TrainingData, keep: Uint8Array): TrainingData {
  const newIndex = new Int32Array(data.userIds.length).fill(-1);
  const userIds: string[] = [];
  data.userIds.forEach((id, u) => {
    if (keep[u]) newIndex[u] = userIds.push(id) - 1;
  });
  let n = 0;
  for (let r = 0; r < data.user.length; r++) if (keep[data.user[r]]) n++;
  const out: TrainingData = {
    userIds,
    itemIds: data.itemIds,
    user: new Int32Array(n),
    item: new Int32Array(n),
    time: new Float64Array(n),
    weight: new Float32Array(n),
    eventType: new Int32Array(n),
    eventTypes: data.eventTypes,
    ...(data.items ? { items: data.items } : {}),
    ...(data.itemFields ? { itemFields: data.itemFields } : {}),
  };
  for (let r = 0, o = 0; r < data.user.length; r++) {
    if (!keep[data.user[r]]) continue;
    out.user[o] = newIndex[data.user[r]];
    out.item[o] = data.item[r];
    out.time[o] = data.time[r];
    out.weight[o] = data.weight[r];
    out.eventType[o++] = data.eventType[r];
  }
  return out;
}

export function evaluationSplit(data: TrainingData, seed = 0): EvaluationSplit {
  const { offsets, rows } = rowsByUser(data);
  const nUsers = data.userIds.length;
  // The test users: the nTest eligible users with the lowest (hash, ID). The nTest-th hash is found
  // with a numeric sort of the hashes; ties at it go to the lower IDs.
  const hash = new Float64Array(nUsers).fill(Infinity);
  let eligible = 0;
  for (let u = 0; u < nUsers; u++) {
    if (offsets[u + 1] - offsets[u] >= 2) ((hash[u] = userHash(seed, data.userIds[u])), eligible++);
  }
  const nTest = eligible ? Math.max(1, Math.round(eligible * 0.1)) : 0;
  const keep = new Uint8Array(nUsers).fill(1);
  const testUsers: number[] = [];
  if (nTest > 0) {
    const threshold = hash.slice().sort()[nTest - 1];
    const tied: number[] = [];
    for (let u = 0; u < nUsers; u++) {
      if (hash[u] < threshold) testUsers.push(u);
      else if (hash[u] === threshold) tied.push(u);
    }
    tied.sort((a, b) => (data.userIds[a] < data.userIds[b] ? -1 : 1));
    testUsers.push(...tied.slice(0, nTest - testUsers.length));
    testUsers.sort((a, b) => a - b);
  }
  const tests: TestUser[] = [];
  for (const u of testUsers) {
    keep[u] = 0;
    const r = rows.subarray(offsets[u], offsets[u + 1]);
    const m = Math.min(r.length - 1, Math.max(1, Math.ceil(0.9 * r.length)));
    tests.push({
      userId: data.userIds[u],
      input: Array.from(r.subarray(0, m), (x) => data.itemIds[data.item[x]]),
      relevant: new Set(Array.from(r.subarray(m), (x) => data.itemIds[data.item[x]])),
    });
  }
  return { train: subsetUsers(data, keep), tests, catalogSize: catalogSize(data) };
}

export interface Evaluation {
  metrics: Record<string, number>;
  /** The model trained on the holdout's training users (absent for segmentation recipes and without test users). */
  model?: Model;
}

/**
 * The offline metrics of the recipe's model on `data`, and that model. `train` replaces
 * trainer.train for the holdout's training users (a trainingMode UPDATE refits its base model).
 */
export async function evaluateModel(
  trainer: Trainer,
  data: TrainingData,
  hyperParameters: Record<string, string>,
  o: { seed?: number; signal?: AbortSignal; train?: (train: TrainingData) => Promise<Model> } = {},
): Promise<Evaluation> {
  if (isSegmentationRecipe(trainer.recipe)) return { metrics: await segmentationMetrics(trainer, data, hyperParameters, o) };
  if (data.actions) return { metrics: await actionMetrics(trainer, data, hyperParameters, o) };
  const split = evaluationSplit(data, o.seed ?? 0);
  const related = RELATED_ITEMS_RECIPES.has(trainer.recipe);
  if (split.tests.length === 0 && related && data.items && data.items.size > 0) {
    return { metrics: await neighbourCoverage(trainer, data, hyperParameters, split.catalogSize, o.signal) };
  }
  if (split.tests.length === 0) return { metrics: withRewards(trainer, data, rankingMetrics([], [], split.catalogSize), [], []) };
  const model = await (o.train ? o.train(split.train) : trainer.train(split.train, hyperParameters, o.signal));
  const lists: string[][] = [];
  for (let t = 0; t < split.tests.length; t++) {
    if (t % 64 === 0 && o.signal?.aborted) throw o.signal.reason ?? new Error('aborted');
    const { input } = split.tests[t];
    const recs = model.recommend({ history: input, k: TOP_K, ...(related ? { itemId: input[input.length - 1] } : {}) });
    lists.push(recs.map((s) => s.item));
  }
  const relevant = split.tests.map((t) => t.relevant);
  return { metrics: withRewards(trainer, data, rankingMetrics(lists, relevant, split.catalogSize), lists, relevant), model };
}

/**
 * The metrics with average_rewards_at_k added when the solution has an optimizationObjective
 * (models/objective.ts), keys in lexicographic order as AWS reports them (rule 56).
 */
function withRewards(
  trainer: Trainer,
  data: TrainingData,
  metrics: Record<string, number>,
  lists: readonly string[][],
  relevant: readonly ReadonlySet<string>[],
): Record<string, number> {
  if (!trainer.objectiveAttribute) return metrics;
  const reward = rewardOf(objectiveValues(data, trainer.objectiveAttribute));
  const all: Record<string, number> = { ...metrics, average_rewards_at_k: averageRewards(lists, relevant, reward) };
  return Object.fromEntries(
    Object.keys(all)
      .sort()
      .map((k) => [k, all[k]]),
  );
}

/** Coverage of the top 25 neighbours of (up to 2,000 of) the Items dataset's items; the other metrics 0. */
async function neighbourCoverage(
  trainer: Trainer,
  data: TrainingData,
  hyperParameters: Record<string, string>,
  catalogSize: number,
  signal?: AbortSignal,
): Promise<Record<string, number>> {
  const model = await trainer.train(data, hyperParameters, signal);
  const ids = [...data.items!.keys()].sort();
  const step = Math.max(1, ids.length / 2000);
  const lists: string[][] = [];
  for (let r = 0; r < ids.length; r += step)
    lists.push(model.recommend({ history: [], itemId: ids[Math.floor(r)], k: TOP_K }).map((s) => s.item));
  return rankingMetrics(
    lists,
    lists.map(() => new Set<string>()),
    catalogSize,
  );
}

export async function offlineMetrics(
  trainer: Trainer,
  data: TrainingData,
  hyperParameters: Record<string, string>,
  o: { seed?: number; signal?: AbortSignal } = {},
): Promise<Record<string, number>> {
  return (await evaluateModel(trainer, data, hyperParameters, o)).metrics;
}
