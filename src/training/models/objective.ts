// optimizationObjective (training-rules.md rules 36 and 57; AWS's "Optimizing a solution for an
// additional objective"): User-Personalization and Personalized-Ranking solutions that name a
// numeric, non-null Items column give "more importance to items with higher values", with an
// objectiveSensitivity of OFF, LOW ("less emphasis ... relevance is more important"), MEDIUM
// ("equal emphasis") or HIGH ("more emphasis on your objective").
//
// How [INF: AWS does not say how]: the user model's logit of item j (τ·f_j: user-model.ts) gains
//     b_j = λ · (2·p_j − 1)
// where p_j ∈ [0, 1] is j's percentile among the catalog's items by the column's value (ties
// share their mean rank; an item without a value sits at the middle, 0.5) and λ is 0 for OFF,
// 0.5 for LOW, 1 for MEDIUM and 2 for HIGH. Percentiles make the boost independent of the
// column's scale and sign (the notebook's negated royalties work as well as prices). The boost
// enters everything the model answers: the order of the list, the softmax scores (over the whole
// catalog, so they still sum to 1), Personalized-Ranking's softmax over the given items, and so
// the offline metrics, which show the cost in relevance.
//
// The metric average_rewards_at_k [INF]: AWS divides "total rewards from the user's interactions
// with their top 25 reward generating recommendations" by "total rewards from the user's
// interactions with recommendations" and normalises the average into (0, 1]; for a list of 25 that
// ratio is 1 as written, so we read it as the reward per interaction: per test user whose held-out
// items the top 25 recommendations hit, the mean reward of those hits, where an item's reward is
// its value scaled into (0, 1] (0.01 at the catalog's lowest value, 1 at its highest; 1 for all
// when every value is the same, the median's reward for an item without one); averaged over those
// users, rounded to 4 decimals (0 when no user has a hit). It rises as the lists lean to valuable
// items the users do take. It is reported for every solution with an optimizationObjective, OFF
// included, so that versions with different sensitivities can be compared on it.
import type { Model, Trainer, TrainingData } from '../trainer.ts';
import { UserModel } from './user-model.ts';

export interface ObjectiveConfig {
  itemAttribute?: string;
  objectiveSensitivity?: string;
}

/** λ by objectiveSensitivity (see the header); absent means MEDIUM [INF: AWS's console default]. */
const SENSITIVITY: Record<string, number> = { OFF: 0, LOW: 0.5, MEDIUM: 1, HIGH: 2 };

/** The column's numeric values by item ID (the Items rows of the training data; the name matched in any case). */
export function objectiveValues(data: Pick<TrainingData, 'items'>, attribute: string): Map<string, number> {
  const values = new Map<string, number>();
  if (!data.items) return values;
  const wanted = attribute.toUpperCase();
  let key: string | undefined;
  for (const [id, row] of data.items) {
    key ??= Object.keys(row).find((k) => k.toUpperCase() === wanted);
    const v = key === undefined ? null : row[key];
    const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (Number.isFinite(x)) values.set(id, x);
  }
  return values;
}

/** b_j for every item of the catalog, in logit units (see the header). */
export function objectiveBoosts(itemIds: readonly string[], values: ReadonlyMap<string, number>, lambda: number): Float32Array {
  const boost = new Float32Array(itemIds.length);
  const known = itemIds.map((id, j) => ({ j, v: values.get(id) })).filter((x): x is { j: number; v: number } => x.v !== undefined);
  known.sort((a, b) => a.v - b.v);
  const last = known.length - 1;
  for (let lo = 0; lo <= last;) {
    let hi = lo;
    while (hi < last && known[hi + 1].v === known[lo].v) hi++;
    const p = last > 0 ? (lo + hi) / 2 / last : 0.5;
    for (let r = lo; r <= hi; r++) boost[known[r].j] = lambda * (2 * p - 1);
    lo = hi + 1;
  }
  return boost;
}

/** An item's reward for average_rewards_at_k: its value scaled into (0, 1]. */
export function rewardOf(values: ReadonlyMap<string, number>): (item: string) => number {
  const sorted = [...values.values()].sort((a, b) => a - b);
  if (sorted.length === 0) return () => 1;
  const min = sorted[0];
  const span = sorted[sorted.length - 1] - min;
  const scale = (v: number) => (span > 0 ? 0.01 + (0.99 * (v - min)) / span : 1);
  const median = scale(sorted[Math.floor(sorted.length / 2)]);
  return (item) => {
    const v = values.get(item);
    return v === undefined ? median : scale(v);
  };
}

/** average_rewards_at_k of the lists (their top 25) for the users' held-out items (see the header). */
export function averageRewards(
  lists: readonly (readonly string[])[],
  relevant: readonly ReadonlySet<string>[],
  reward: (item: string) => number,
): number {
  let sum = 0;
  let n = 0;
  for (let u = 0; u < lists.length; u++) {
    let total = 0;
    let hits = 0;
    for (const item of new Set(lists[u].slice(0, 25))) {
      if (!relevant[u].has(item)) continue;
      total += reward(item);
      hits++;
    }
    if (hits === 0) continue;
    sum += total / hits;
    n++;
  }
  return n ? Math.round((sum / n) * 10_000) / 10_000 : 0;
}

/** The user model with its boosts for the data's values of the column; other models as they are. */
function withBoosts(model: Model, data: TrainingData, attribute: string, lambda: number): Model {
  if (!(model instanceof UserModel) || lambda === 0) return model;
  return model.withObjective(objectiveBoosts(model.itemIds, objectiveValues(data, attribute), lambda));
}

/**
 * The recipe's trainer for a solution with an optimizationObjective: its models carry the boosts
 * (stored in the artifact, so load is the recipe's own), and evaluation reports
 * average_rewards_at_k (Trainer.objectiveAttribute). Without an itemAttribute, the trainer itself.
 */
export function objectiveTrainer(inner: Trainer, objective: ObjectiveConfig | undefined): Trainer {
  const attribute = objective?.itemAttribute;
  if (!attribute) return inner;
  const lambda = SENSITIVITY[objective.objectiveSensitivity ?? 'MEDIUM'] ?? SENSITIVITY.MEDIUM;
  const refit = inner.refit;
  return {
    recipe: inner.recipe,
    objectiveAttribute: attribute,
    async train(data, hp, signal) {
      return withBoosts(await inner.train(data, hp, signal), data, attribute, lambda);
    },
    load: (artifact) => inner.load(artifact),
    ...(refit
      ? {
          refit: async (base: Model, data: TrainingData, hp: Record<string, string>, signal?: AbortSignal) =>
            withBoosts(await refit.call(inner, base, data, hp, signal), data, attribute, lambda),
        }
      : {}),
  };
}
