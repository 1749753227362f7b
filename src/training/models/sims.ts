// aws-sims: item-to-item collaborative filtering on co-occurrence in user histories
// (training-rules §1.4). For item i and candidate j, with c = the number of users who interacted
// with both and n_j = the number of users of j:
//     score(i, j) = c / n_j ^ popularity_discount_factor        kept only if c ≥ min_cointeraction_count
// so a factor of 0 ranks co-interacted items by raw count (popular items win) and 1 ranks them by
// c / n_j, the share of j's users who also took i (pure co-interaction). The top NEIGHBOURS per item
// are kept; recommendations fill up with popular items (an item without enough data or unknown →
// popular items, as AWS documents). No scores are returned (§7.4 rule 94).
//
// Featurization bounds ([INF] reading of the percentile parameters): users shorter than the
// min history percentile are dropped, longer than the max keep their newest events up to it;
// items rarer than the min count percentile are dropped; items above the max count percentile
// keep only their newest users up to that count (never fewer than MIN_ITEM_CAP), the downsampling
// co-occurrence engines use so that a hit item does not co-occur with everything.
//
// Artifact (see artifact.ts): recipe "aws-sims", meta { neighbours }; sections
//   "itemIds"  json  string[]       the catalog; indexes below refer to it
//   "offsets"  i32   [items + 1]    item i's neighbours are entries offsets[i] .. offsets[i+1]-1
//   "nbr"      i32   [entries]      neighbour item index, best first
//   "score"    f32   [entries]      its score
//   "popular"  i32   [≤ 1000]       fallback: item indexes, most popular first
import type { Model, RecommendQuery, Scored, Trainer, TrainingData } from '../trainer.ts';
import { readArtifact, jsonSection, section, writeArtifact } from './artifact.ts';
import { histories, indexOf, percentile, topK } from './common.ts';
import { floatParam, intParam, tick, type HyperParameters } from './params.ts';
import { popularityRanking } from './popularity-count.ts';

const RECIPE = 'aws-sims';
const NEIGHBOURS = 100;
const POPULAR = 1000;
const MAX_DISTINCT_PER_USER = 500;
const MIN_ITEM_CAP = 1000;

export interface SimsParams {
  popularityDiscount: number;
  minCointeraction: number;
  userPct: [number, number];
  itemPct: [number, number];
}

export function simsParams(hp: HyperParameters): SimsParams {
  return {
    popularityDiscount: floatParam(hp, 'popularity_discount_factor', 0.5, 0, 1),
    minCointeraction: intParam(hp, 'min_cointeraction_count', 3, 0, 10),
    userPct: [
      floatParam(hp, 'min_user_history_length_percentile', 0.005, 0, 1),
      floatParam(hp, 'max_user_history_length_percentile', 0.995, 0, 1),
    ],
    itemPct: [
      floatParam(hp, 'min_item_interaction_count_percentile', 0.01, 0, 1),
      floatParam(hp, 'max_item_interaction_count_percentile', 0.9, 0, 1),
    ],
  };
}

/** Distinct (user, item) pairs after the featurization bounds, as CSR by user and by item. */
export function cointeractionPairs(data: TrainingData, p: Pick<SimsParams, 'userPct' | 'itemPct'>) {
  const h = histories(data, { minPercentile: p.userPct[0], maxPercentile: p.userPct[1] });
  const nUsers = data.userIds.length;
  const nItems = data.itemIds.length;
  // Newest distinct items per user, with the time of the user's last interaction with each.
  const pu: number[] = [];
  const pi: number[] = [];
  const pt: number[] = [];
  const seen = new Int32Array(nItems).fill(-1);
  for (let u = 0; u < nUsers; u++) {
    let taken = 0;
    for (let q = h.offsets[u + 1] - 1; q >= h.offsets[u] && taken < MAX_DISTINCT_PER_USER; q--) {
      const i = h.item[q];
      if (seen[i] === u) continue;
      seen[i] = u;
      (pu.push(u), pi.push(i), pt.push(h.time[q]));
      taken++;
    }
  }
  const count = new Int32Array(nItems);
  for (const i of pi) count[i]++;
  const present = Array.from(count.filter((c) => c > 0)).sort((a, b) => a - b);
  const lo = p.itemPct[0] > 0 ? percentile(present, p.itemPct[0]) : 0;
  const cap = p.itemPct[1] < 1 ? Math.max(MIN_ITEM_CAP, percentile(present, p.itemPct[1])) : Infinity;
  // Pairs sorted by item, newest first, so that a capped item keeps its newest users.
  const order = pi.map((_, k) => k).sort((a, b) => pi[a] - pi[b] || pt[b] - pt[a] || pu[a] - pu[b]);
  const keep = new Uint8Array(pi.length);
  let run = 0;
  for (let r = 0; r < order.length; r++) {
    const k = order[r];
    run = r > 0 && pi[order[r - 1]] === pi[k] ? run + 1 : 0;
    if (count[pi[k]] >= lo && run < cap) keep[k] = 1;
  }
  const byUser = csr(nUsers, pu, pi, keep);
  const byItem = csr(nItems, pi, pu, keep);
  return { byUser, byItem, nItems };
}

function csr(n: number, row: number[], col: number[], keep: Uint8Array): { offsets: Int32Array; cols: Int32Array } {
  const offsets = new Int32Array(n + 1);
  for (let k = 0; k < row.length; k++) if (keep[k]) offsets[row[k] + 1]++;
  for (let r = 0; r < n; r++) offsets[r + 1] += offsets[r];
  const cols = new Int32Array(offsets[n]);
  const fill = offsets.slice(0, n);
  for (let k = 0; k < row.length; k++) if (keep[k]) cols[fill[row[k]]++] = col[k];
  return { offsets, cols };
}

export class SimsModel implements Model {
  readonly recipe = RECIPE;
  private readonly index: Map<string, number>;
  constructor(
    readonly itemIds: string[],
    readonly offsets: Int32Array,
    readonly nbr: Int32Array,
    readonly score: Float32Array,
    readonly popular: Int32Array,
  ) {
    this.index = indexOf(itemIds);
  }

  recommend(q: RecommendQuery): Scored[] {
    const anchor = q.itemId ?? q.history[q.history.length - 1];
    const i = anchor === undefined ? undefined : this.index.get(anchor);
    const taken = new Set<string>(anchor === undefined ? [] : [anchor]);
    const out: Scored[] = [];
    const push = (j: number) => {
      const id = this.itemIds[j];
      if (out.length < q.k && !taken.has(id) && !q.exclude?.has(id)) (taken.add(id), out.push({ item: id }));
    };
    if (i !== undefined) for (let e = this.offsets[i]; e < this.offsets[i + 1]; e++) push(this.nbr[e]);
    for (let r = 0; r < this.popular.length && out.length < q.k; r++) push(this.popular[r]);
    return out;
  }

  /** The neighbours of an item with their co-occurrence scores (for tests and inspection). */
  neighbours(itemId: string): Scored[] {
    const i = this.index.get(itemId);
    if (i === undefined) return [];
    const out: Scored[] = [];
    for (let e = this.offsets[i]; e < this.offsets[i + 1]; e++) out.push({ item: this.itemIds[this.nbr[e]], score: this.score[e] });
    return out;
  }

  serialize(): Buffer {
    return writeArtifact(
      RECIPE,
      { neighbours: NEIGHBOURS },
      { itemIds: { json: this.itemIds }, offsets: this.offsets, nbr: this.nbr, score: this.score, popular: this.popular },
    );
  }
}

export async function trainSims(data: TrainingData, p: SimsParams, signal?: AbortSignal): Promise<SimsModel> {
  const { byUser, byItem, nItems } = cointeractionPairs(data, p);
  const n = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) n[i] = byItem.offsets[i + 1] - byItem.offsets[i];
  const discount = Float64Array.from(n, (c) => (c > 0 ? Math.pow(c, -p.popularityDiscount) : 0));
  const minC = Math.max(1, p.minCointeraction);
  const acc = new Float64Array(nItems);
  const touched = new Int32Array(nItems);
  const offsets = new Int32Array(nItems + 1);
  const nbrs: Int32Array[] = [];
  const scores: Float32Array[] = [];
  const cand = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    if (i % 256 === 0) await tick(signal);
    let t = 0;
    for (let e = byItem.offsets[i]; e < byItem.offsets[i + 1]; e++) {
      const u = byItem.cols[e];
      for (let f = byUser.offsets[u]; f < byUser.offsets[u + 1]; f++) {
        const j = byUser.cols[f];
        if (j === i) continue;
        if (acc[j] === 0) touched[t++] = j;
        acc[j]++;
      }
    }
    // Score the candidates into a compact array, pick the best, reset the accumulator.
    const ids = touched.slice(0, t);
    let m = 0;
    for (let x = 0; x < t; x++) {
      const j = ids[x];
      if (acc[j] >= minC) cand[m] = acc[j] * discount[j];
      else cand[m] = 0;
      ids[m] = j;
      m++;
      acc[j] = 0;
    }
    const best = topK(cand.subarray(0, m), NEIGHBOURS).filter((x) => cand[x] > 0);
    nbrs.push(Int32Array.from(best, (x) => ids[x]));
    scores.push(Float32Array.from(best, (x) => cand[x]));
    offsets[i + 1] = offsets[i] + best.length;
  }
  const nbr = new Int32Array(offsets[nItems]);
  const score = new Float32Array(offsets[nItems]);
  for (let i = 0; i < nItems; i++) (nbr.set(nbrs[i], offsets[i]), score.set(scores[i], offsets[i]));
  const popular = popularityRanking(data).order.slice(0, POPULAR);
  return new SimsModel(data.itemIds.slice(), offsets, nbr, score, popular);
}

export const simsTrainer: Trainer = {
  recipe: RECIPE,
  async train(data, hp, signal) {
    return trainSims(data, simsParams(hp), signal);
  },
  load(artifact) {
    const a = readArtifact(artifact, RECIPE);
    return new SimsModel(
      jsonSection<string[]>(a, 'itemIds'),
      section(a, 'offsets', Int32Array),
      section(a, 'nbr', Int32Array),
      section(a, 'score', Float32Array),
      section(a, 'popular', Int32Array),
    );
  },
};
