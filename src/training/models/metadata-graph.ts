// The Items dataset's metadata in the user models' item graph (user-model.ts): AWS's
// User-Personalization and Personalized-Ranking use item metadata, textual fields included (its
// item-text notebook shows +22 % to +45 % on every metric with a product description).
//
// How: a second item-to-item graph M from the metadata alone — each catalog item's METADATA_NEIGHBOURS
// nearest items by the cosine of their TF-IDF vectors (categorical values and textual tokens:
// item-metadata.ts, walked as Similar-Items walks them), each row summing to 1 — mixed into the
// co-occurrence graph S row by row:
//     S'_i = (1 − η) · S_i + η · M_i        (S_i alone where M_i is empty, M_i alone where S_i is)
// so the user's walk also reaches items that look like what they took. η is a tuned parameter of
// the model (user-tuning.ts: chosen on the same held-out users as the others, among METADATA_MIX,
// and kept only when it scores at least 3 % better than none — with 1 % it was taken on AWS's
// item-text notebook data and lost 2.6 % NDCG@25 on the version's holdout), kept by a refit. Rows
// of the mixed graph keep every entry of both parts (at most neighbours + METADATA_NEIGHBOURS).
// Measured (synthetic data whose genres follow tastes): sparse histories (300 users, 1,500 items,
// 5 each) NDCG@25 0.182 → 0.213 with η = 0.5; dense ones (2,000 users, 400 items, 20 each) and the
// item-text notebook's data keep η = 0.
import type { TrainingData } from '../trainer.ts';
import { topK } from './common.ts';
import type { ItemGraph } from './item-graph.ts';
import { featureMatrix, metadataColumns, metadataRow } from './item-metadata.ts';
import { tick } from './params.ts';

/** The η values the tuner tries beside 0. */
export const METADATA_MIX = [0.1, 0.25, 0.5];
const METADATA_NEIGHBOURS = 50;
/** Posting steps per item (fewer than Similar-Items takes: every user model of a group with Items metadata pays them). */
const LIMITS = { postingCap: 500, budget: 5_000 };

/** M over the catalog `data.itemIds`, or undefined when the Items dataset gives no usable metadata. */
export async function metadataGraph(data: TrainingData, signal?: AbortSignal): Promise<ItemGraph | undefined> {
  const columns = metadataColumns(data);
  if (!data.items || columns.length === 0) return undefined;
  const n = data.itemIds.length;
  const m = featureMatrix(
    data.itemIds.map((id) => data.items!.get(id)),
    columns,
    (r) => r,
  );
  const acc = new Float64Array(n);
  const touched = new Int32Array(n);
  const cand = new Float64Array(n);
  const offsets = new Int32Array(n + 1);
  const nbr: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    if ((i & 255) === 0) await tick(signal);
    const t = metadataRow(m, i, acc, touched, LIMITS);
    for (let x = 0; x < t; x++) cand[x] = acc[touched[x]];
    const best = topK(cand.subarray(0, t), METADATA_NEIGHBOURS);
    let sum = 0;
    for (const b of best) sum += cand[b] > 0 ? cand[b] : 0;
    for (const b of best) {
      if (!(cand[b] > 0)) continue;
      nbr.push(touched[b]);
      w.push(cand[b] / sum);
    }
    offsets[i + 1] = nbr.length;
    for (let x = 0; x < t; x++) acc[touched[x]] = 0;
  }
  return nbr.length === 0 ? undefined : { offsets, nbr: Int32Array.from(nbr), w: Float32Array.from(w) };
}

/** S' = (1 − η)·S + η·M row by row (see the header); S itself when η is 0 or there is no M. */
export function mixGraphs(s: ItemGraph, m: ItemGraph | undefined, eta: number): ItemGraph {
  if (!m || !(eta > 0)) return s;
  const n = s.offsets.length - 1;
  const offsets = new Int32Array(n + 1);
  const total = s.offsets[n] + m.offsets[n];
  const nbr = new Int32Array(total);
  const w = new Float32Array(total);
  const slot = new Int32Array(n).fill(-1);
  let o = 0;
  for (let i = 0; i < n; i++) {
    const sEmpty = s.offsets[i + 1] === s.offsets[i];
    const mEmpty = m.offsets[i + 1] === m.offsets[i];
    const [ws, wm] = sEmpty ? [0, 1] : mEmpty ? [1, 0] : [1 - eta, eta];
    const start = o;
    for (const [g, k] of [
      [s, ws],
      [m, wm],
    ] as const) {
      if (k === 0) continue;
      for (let e = g.offsets[i]; e < g.offsets[i + 1]; e++) {
        const j = g.nbr[e];
        if (slot[j] < 0) ((slot[j] = o), (nbr[o] = j), (w[o++] = 0));
        w[slot[j]] += k * g.w[e];
      }
    }
    for (let e = start; e < o; e++) slot[nbr[e]] = -1;
    offsets[i + 1] = o;
  }
  return { offsets, nbr: nbr.slice(0, o), w: w.slice(0, o) };
}
