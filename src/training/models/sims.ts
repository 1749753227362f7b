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
//   (neighbour-list-model.ts):
//   "itemIds"  json  string[]       the catalog; indexes below refer to it
//   "offsets"  i32   [items + 1]    item i's neighbours are entries offsets[i] .. offsets[i+1]-1
//   "nbr"      i32   [entries]      neighbour item index, best first
//   "score"    f32   [entries]      its score
//   "popular"  i32   [≤ 1000]       fallback: item indexes, most popular first
import type { Trainer, TrainingData } from '../trainer.ts';
import { NeighbourListModel } from './neighbour-list-model.ts';
import { histories, lengthBounds, percentile, topK, type Histories } from './common.ts';
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

/**
 * Distinct (user, item) pairs after the featurization bounds, as CSR by user and by item. `h`: the
 * data's unbounded histories (the bounds are applied here: users shorter than the min percentile
 * are left out, longer than the max keep their newest events up to it).
 */
export function cointeractionPairs(data: TrainingData, p: Pick<SimsParams, 'userPct' | 'itemPct'>, h: Histories = histories(data)) {
  const nUsers = data.userIds.length;
  const nItems = data.itemIds.length;
  const len = new Int32Array(nUsers);
  for (let u = 0; u < nUsers; u++) len[u] = h.offsets[u + 1] - h.offsets[u];
  const bounds = lengthBounds(len, { minPercentile: p.userPct[0], maxPercentile: p.userPct[1] });
  // Newest distinct items per user, with the time of the user's last interaction with each; pairs
  // come out in user order.
  const pu = new Int32Array(h.item.length);
  const pi = new Int32Array(h.item.length);
  const pt = new Float64Array(h.item.length);
  let n = 0;
  const seen = new Int32Array(nItems).fill(-1);
  for (let u = 0; u < nUsers; u++) {
    if (len[u] < bounds.lo) continue;
    const oldest = Math.max(h.offsets[u], h.offsets[u + 1] - bounds.hi);
    let taken = 0;
    for (let q = h.offsets[u + 1] - 1; q >= oldest && taken < MAX_DISTINCT_PER_USER; q--) {
      const i = h.item[q];
      if (seen[i] === u) continue;
      seen[i] = u;
      ((pu[n] = u), (pi[n] = i), (pt[n] = h.time[q]), n++);
      taken++;
    }
  }
  const count = new Int32Array(nItems);
  for (let k = 0; k < n; k++) count[pi[k]]++;
  const present = Int32Array.from(count.filter((c) => c > 0)).sort();
  const lo = p.itemPct[0] > 0 ? percentile(present, p.itemPct[0]) : 0;
  const cap = p.itemPct[1] < 1 ? Math.max(MIN_ITEM_CAP, percentile(present, p.itemPct[1])) : Infinity;
  // A capped item keeps its newest users (ties: the lower user index, i.e. the earlier pair).
  const keep = new Uint8Array(n);
  const pairIndex = new Int32Array(n);
  for (let k = 0; k < n; k++) pairIndex[k] = k;
  const byItem = csr(nItems, pi, pairIndex, new Uint8Array(n).fill(1), n);
  for (let i = 0; i < nItems; i++) {
    const [from, to] = [byItem.offsets[i], byItem.offsets[i + 1]];
    if (to - from < lo) continue;
    let threshold = -Infinity;
    if (to - from > cap) {
      const times = new Float64Array(to - from);
      for (let e = from; e < to; e++) times[e - from] = pt[byItem.cols[e]];
      threshold = times.sort()[to - from - cap];
    }
    let atThreshold = cap;
    for (let e = from; e < to; e++) if (pt[byItem.cols[e]] > threshold) atThreshold--;
    for (let e = from; e < to; e++) {
      const k = byItem.cols[e];
      if (pt[k] > threshold) keep[k] = 1;
      else if (pt[k] === threshold && atThreshold > 0) ((keep[k] = 1), atThreshold--);
    }
  }
  return { byUser: csr(nUsers, pu, pi, keep, n), byItem: csr(nItems, pi, pu, keep, n), nItems };
}

/** The kept pairs (row[k], col[k]), k < n, as rows of columns. */
function csr(rowsN: number, row: Int32Array, col: Int32Array, keep: Uint8Array, n: number): { offsets: Int32Array; cols: Int32Array } {
  const offsets = new Int32Array(rowsN + 1);
  for (let k = 0; k < n; k++) if (keep[k]) offsets[row[k] + 1]++;
  for (let r = 0; r < rowsN; r++) offsets[r + 1] += offsets[r];
  const cols = new Int32Array(offsets[rowsN]);
  const fill = offsets.slice(0, rowsN);
  for (let k = 0; k < n; k++) if (keep[k]) cols[fill[row[k]]++] = col[k];
  return { offsets, cols };
}

/** Co-interaction counts of item i with every item into acc (touched lists them); returns their number. */
function cointeractions(
  byItem: { offsets: Int32Array; cols: Int32Array },
  byUser: { offsets: Int32Array; cols: Int32Array },
  i: number,
  acc: Int32Array,
  touched: Int32Array,
): number {
  let t = 0;
  for (let e = byItem.offsets[i], end = byItem.offsets[i + 1]; e < end; e++) {
    const u = byItem.cols[e];
    for (let f = byUser.offsets[u], fEnd = byUser.offsets[u + 1]; f < fEnd; f++) {
      // Branch-free (half the increments are an item's first): touched grows only when acc was 0.
      const j = byUser.cols[f];
      const a = acc[j];
      touched[t] = j;
      t += (a - 1) >>> 31;
      acc[j] = a + 1;
    }
  }
  return t;
}

export async function trainSims(data: TrainingData, p: SimsParams, signal?: AbortSignal): Promise<NeighbourListModel> {
  const h = histories(data);
  const { byUser, byItem, nItems } = cointeractionPairs(data, p, h);
  const n = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) n[i] = byItem.offsets[i + 1] - byItem.offsets[i];
  const discount = Float64Array.from(n, (c) => (c > 0 ? Math.pow(c, -p.popularityDiscount) : 0));
  const minC = Math.max(1, p.minCointeraction);
  const acc = new Int32Array(nItems);
  const touched = new Int32Array(nItems + 1);
  const offsets = new Int32Array(nItems + 1);
  const nbrs: Int32Array[] = [];
  const scores: Float32Array[] = [];
  const cand = new Float64Array(nItems);
  const ids = new Int32Array(nItems);
  for (let i = 0; i < nItems; i++) {
    if (i % 256 === 0) await tick(signal);
    const t = cointeractions(byItem, byUser, i, acc, touched);
    // Score the candidates (the item itself is not one), pick the best, reset the counts.
    acc[i] = 0;
    let m = 0;
    for (let x = 0; x < t; x++) {
      const j = touched[x];
      if (acc[j] >= minC) ((cand[m] = acc[j] * discount[j]), (ids[m++] = j));
      acc[j] = 0;
    }
    const best = topK(cand.subarray(0, m), NEIGHBOURS);
    nbrs.push(Int32Array.from(best, (x) => ids[x]));
    scores.push(Float32Array.from(best, (x) => cand[x]));
    offsets[i + 1] = offsets[i] + best.length;
  }
  const nbr = new Int32Array(offsets[nItems]);
  const score = new Float32Array(offsets[nItems]);
  for (let i = 0; i < nItems; i++) (nbr.set(nbrs[i], offsets[i]), score.set(scores[i], offsets[i]));
  const popular = popularityRanking(data, h).order.slice(0, POPULAR);
  return new NeighbourListModel(RECIPE, data.itemIds.slice(), offsets, nbr, score, popular, { neighbours: NEIGHBOURS });
}

export const simsTrainer: Trainer = {
  recipe: RECIPE,
  async train(data, hp, signal) {
    return trainSims(data, simsParams(hp), signal);
  },
  load: (artifact) => NeighbourListModel.load(artifact, RECIPE),
};
