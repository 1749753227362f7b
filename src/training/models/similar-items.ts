// aws-similar-items: related items from co-occurrence in user histories blended with Items
// metadata (training-rules §1.3, §1.4), so that an item with few or no interactions still gets
// neighbours. For item i and candidate j, with n the items' user counts and c_ij the users of both:
//     cf(i, j)    = c_ij / √(n_i · n_j) · c_ij / (c_ij + κ)      cosine of the user sets, times a
//                                                               significance weight (κ = 10)
//     meta(i, j)  = cos_meta(i, j) · (1 + ln(1 + n_j))           cosine of the TF-IDF metadata vectors
//                                                               (categorical values, textual tokens:
//                                                               item-metadata.ts) times a mild prior
//                                                               for items people take
//     score(i, j) = a_i · cf(i, j) / max_j cf(i, ·) + (1 − a_i) · meta(i, j) / max_j meta(i, ·)
//     a_i = n_i / (n_i + s),  s = 10 · item_metadata_hidden_dim / item_id_hidden_dim
// Each part is scaled by its row's best value so that both speak on one scale; a_i, the trust in
// the interactions, grows with the item's interaction count: an item without interactions is
// placed by its metadata alone, a popular item mostly by co-occurrence. The two hyperparameters
// are the sizes of the ID and metadata parts of AWS's item embedding; here their ratio sets s (the
// defaults 100/100 give s = 10: an item with 10 users weighs both parts equally), which is what HPO
// over their ranges tunes (CreateSolution lets them be set only through HPO ranges).
// Measured on the synthetic data of test/training/synthetic.ts (clusters, metadata that mostly
// follows them; 400–3,000 items, 1,500–3,000 users, 3 seeds): NDCG@25 of the related-items offline
// metrics 0.12–0.17 against SIMS's 0.10–0.16 and 0.08–0.18 from the interactions alone; without κ
// and the prior it was 0.05–0.16 (rare items got noisy co-occurrence neighbours and rare metadata
// look-alikes); a stronger prior (ln² or √n) gained ≤ 0.005 but let popular warm items crowd out a
// cold item's metadata cluster.
// The catalog is the interacted items plus the Items dataset's other items (cold items), whose
// neighbours come from metadata and who can be neighbours of others. The top NEIGHBOURS per item
// are kept; lists fill up with popular items, and an unknown item gets popular items (§1.4). No
// scores are returned (§7.4 rule 94). Metadata columns that are neither categorical nor textual
// (numbers, booleans) are not used [INF].
//
// Cost: co-occurrence Σ_u min(|u|, CAP)²; metadata at most BUDGET posting steps per item (a
// feature's postings, most popular items first, are walked up to POSTING_CAP: a value half the
// catalog shares says little, and its IDF is low anyway).
//
// Artifact (see artifact.ts): recipe "aws-similar-items", meta { neighbours, shrink }; sections
//   "itemIds"  json  string[]       the catalog; indexes below refer to it
//   "offsets"  i32   [items + 1]    item i's neighbours are entries offsets[i] .. offsets[i+1]-1
//   "nbr"      i32   [entries]      neighbour item index, best first
//   "score"    f32   [entries]      its blended score
//   "popular"  i32   [≤ 1000]       fallback: item indexes, most popular first
import type { Trainer, TrainingData } from '../trainer.ts';
import { NeighbourListModel } from './neighbour-list-model.ts';
import { histories, selectTop, topK } from './common.ts';
import { distinctPairs } from './item-graph.ts';
import { featureMatrix, metadataColumns, metadataRow } from './item-metadata.ts';
import { intParam, tick, type HyperParameters } from './params.ts';
import { popularityRanking } from './popularity-count.ts';

const RECIPE = 'aws-similar-items';
const NEIGHBOURS = 100;
/** Candidates kept from each part before blending. */
const CANDIDATES = 200;
const POPULAR = 1000;
/** Newest distinct items per user that count for co-occurrence. */
const CAP = 300;
const POSTING_CAP = 500;
const BUDGET = 20_000;
const BASE_SHRINK = 10;
/** κ of the co-occurrence significance weight c / (c + κ). */
const SIGNIFICANCE = 10;

export interface SimilarItemsParams {
  idDim: number;
  metadataDim: number;
}

export function similarItemsParams(hp: HyperParameters): SimilarItemsParams {
  return {
    idDim: intParam(hp, ['item_id_hidden_dim', 'item_id_hidden_dimension'], 100, 30, 200),
    metadataDim: intParam(hp, ['item_metadata_hidden_dim', 'item_metadata_hidden_dimension'], 100, 30, 200),
  };
}

/** The catalog: the interacted items (their indexes unchanged), then the Items dataset's other items in ID order. */
function catalog(data: TrainingData): string[] {
  const ids = data.itemIds.slice();
  if (data.items) {
    const known = new Set(ids);
    const extra = [...data.items.keys()].filter((id) => !known.has(id)).sort();
    ids.push(...extra);
  }
  return ids;
}

export async function trainSimilarItems(data: TrainingData, p: SimilarItemsParams, signal?: AbortSignal): Promise<NeighbourListModel> {
  const itemIds = catalog(data);
  const nItems = itemIds.length;
  const nData = data.itemIds.length;
  const pairs = distinctPairs(histories(data), nData, CAP);
  const n = new Float64Array(nItems);
  for (let i = 0; i < nData; i++) n[i] = pairs.itemOffsets[i + 1] - pairs.itemOffsets[i];
  const invSqrt = Float64Array.from(n, (c) => (c > 0 ? 1 / Math.sqrt(c) : 0));
  const prior = Float64Array.from(n, (c) => 1 + Math.log1p(c));
  const popularOrder = popularityRanking(data).order;
  const popRank = new Float64Array(nItems).fill(Infinity);
  popularOrder.forEach((i, r) => (popRank[i] = r));
  const columns = metadataColumns(data);
  const meta = featureMatrix(
    itemIds.map((id) => data.items?.get(id)),
    columns,
    (r) => popRank[r],
  );
  const shrink = (BASE_SHRINK * p.metadataDim) / p.idDim;

  const acc = new Float64Array(nItems);
  const touched = new Int32Array(nItems);
  const cand = new Float64Array(nItems);
  const blended = new Float64Array(nItems);
  const inBlend = new Uint8Array(nItems);
  const offsets = new Int32Array(nItems + 1);
  let nbr = new Int32Array(Math.max(1024, nItems * 8));
  let score = new Float32Array(nbr.length);
  const list: number[] = [];
  for (let i = 0; i < nItems; i++) {
    if ((i & 255) === 0) await tick(signal);
    const a = n[i] / (n[i] + shrink);
    list.length = 0;
    // Co-occurrence part.
    if (i < nData && n[i] > 0) {
      let t = 0;
      for (let e = pairs.itemOffsets[i]; e < pairs.itemOffsets[i + 1]; e++) {
        const u = pairs.itemUser[e];
        for (let f = pairs.userOffsets[u]; f < pairs.userOffsets[u + 1]; f++) {
          const j = pairs.userItem[f];
          if (j === i) continue;
          if (acc[j] === 0) touched[t++] = j;
          acc[j]++;
        }
      }
      for (let x = 0; x < t; x++) {
        const c = acc[touched[x]];
        cand[x] = ((c * c) / (c + SIGNIFICANCE)) * invSqrt[i] * invSqrt[touched[x]];
      }
      addPart(touched, cand, t, a, blended, inBlend, list);
      for (let x = 0; x < t; x++) acc[touched[x]] = 0;
    }
    // Metadata part.
    if (meta.offsets[i + 1] > meta.offsets[i]) {
      const t = metadataRow(meta, i, acc, touched, { postingCap: POSTING_CAP, budget: BUDGET });
      for (let x = 0; x < t; x++) cand[x] = acc[touched[x]] * prior[touched[x]];
      addPart(touched, cand, t, 1 - a, blended, inBlend, list);
      for (let x = 0; x < t; x++) acc[touched[x]] = 0;
    }
    const m = list.length;
    for (let x = 0; x < m; x++) cand[x] = blended[list[x]];
    const best = topK(cand.subarray(0, m), NEIGHBOURS);
    if (offsets[i] + best.length > nbr.length) {
      const size = Math.max(2 * nbr.length, offsets[i] + best.length);
      const [nn, ns] = [new Int32Array(size), new Float32Array(size)];
      (nn.set(nbr), ns.set(score), (nbr = nn), (score = ns));
    }
    let o = offsets[i];
    for (let x = 0; x < best.length; x++) {
      if (!(cand[best[x]] > 0)) break;
      nbr[o] = list[best[x]];
      score[o++] = cand[best[x]];
    }
    offsets[i + 1] = o;
    for (const j of list) ((blended[j] = 0), (inBlend[j] = 0));
  }
  const total = offsets[nItems];
  return new NeighbourListModel(RECIPE, itemIds, offsets, nbr.slice(0, total), score.slice(0, total), popularOrder.slice(0, POPULAR), {
    neighbours: NEIGHBOURS,
    shrink,
  });
}

/** Adds the best CANDIDATES of one part, scaled to its row maximum and weighted, into the blend. */
function addPart(
  ids: Int32Array,
  cand: Float64Array,
  t: number,
  weight: number,
  blended: Float64Array,
  inBlend: Uint8Array,
  list: number[],
): void {
  if (t === 0 || weight <= 0) return;
  const best = selectTop(cand.subarray(0, t), CANDIDATES);
  let max = 0;
  for (let x = 0; x < best.length; x++) max = Math.max(max, cand[best[x]]);
  if (!(max > 0)) return;
  for (let x = 0; x < best.length; x++) {
    const v = cand[best[x]];
    if (!(v > 0)) continue;
    const j = ids[best[x]];
    if (!inBlend[j]) ((inBlend[j] = 1), list.push(j));
    blended[j] += (weight * v) / max;
  }
}

export const similarItemsTrainer: Trainer = {
  recipe: RECIPE,
  async train(data, hp, signal) {
    return trainSimilarItems(data, similarItemsParams(hp), signal);
  },
  load: (artifact) => NeighbourListModel.load(artifact, RECIPE),
};
