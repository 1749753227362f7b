// aws-popularity-count: "the items with the most interactions data from unique users", the same
// list for every user (training-rules §1.4); no hyperparameters; no scores (§7.4 rule 94).
// Each user counts once per item with the largest weight of their interactions with it; ties go
// to the item with more interactions overall, then to the item seen last.
//
// Artifact (see artifact.ts): recipe "aws-popularity-count", meta {}; sections
//   "items"  json  string[]   item IDs, most popular first (only items with interactions)
//   "score"  f64   [n]        their unique-user counts, same order
import type { Model, RecommendQuery, Scored, Trainer, TrainingData } from '../trainer.ts';
import { readArtifact, jsonSection, section, writeArtifact } from './artifact.ts';
import { histories, uniqueUserPopularity, type Histories } from './common.ts';
import { throwIfAborted } from './params.ts';

const RECIPE = 'aws-popularity-count';

/**
 * Item indexes, most popular first, with their unique-user counts; shared as the fallback of other
 * recipes. `h`: the data's unbounded histories, when the caller has them already.
 */
export function popularityRanking(data: TrainingData, h: Histories = histories(data)): { order: Int32Array; score: Float64Array } {
  const pop = uniqueUserPopularity(data, h);
  const events = new Float64Array(data.itemIds.length);
  const last = new Float64Array(data.itemIds.length).fill(-Infinity);
  for (let i = 0; i < data.item.length; i++) {
    events[data.item[i]] += data.weight[i];
    last[data.item[i]] = data.time[i];
  }
  const idx: number[] = [];
  for (let i = 0; i < pop.length; i++) if (pop[i] > 0) idx.push(i);
  idx.sort((a, b) => pop[b] - pop[a] || events[b] - events[a] || last[b] - last[a] || a - b);
  const order = Int32Array.from(idx);
  return { order, score: Float64Array.from(idx, (i) => pop[i]) };
}

export class PopularityModel implements Model {
  readonly recipe = RECIPE;
  constructor(
    readonly items: string[],
    readonly score: Float64Array,
  ) {}

  recommend(q: RecommendQuery): Scored[] {
    const out: Scored[] = [];
    for (const item of this.items) {
      if (out.length >= q.k) break;
      if (!q.exclude?.has(item)) out.push({ item });
    }
    return out;
  }

  serialize(): Buffer {
    return writeArtifact(RECIPE, {}, { items: { json: this.items }, score: this.score });
  }
}

export const popularityCountTrainer: Trainer = {
  recipe: RECIPE,
  async train(data, _hp, signal) {
    throwIfAborted(signal);
    const { order, score } = popularityRanking(data);
    return new PopularityModel(
      Array.from(order, (i) => data.itemIds[i]),
      score,
    );
  },
  load(artifact) {
    const a = readArtifact(artifact, RECIPE);
    return new PopularityModel(jsonSection<string[]>(a, 'items'), section(a, 'score', Float64Array));
  },
};
