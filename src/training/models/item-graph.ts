// The item-item graph of the user models: RP3beta (Paudel et al., "Updatable, Accurate, Diverse,
// and Scalable Recommendations for Interactive Applications", TiiS 2017; among the strongest
// baselines in Ferrari Dacrema et al., TOIS 2021). With x_ui the user's largest event weight for
// item i (1 for unweighted data), d_u = Σ_i x_ui and n_j = Σ_u x_uj:
//     W_ij = Σ_u x_ui · x_uj / d_u^α           (a random-walk step i → u → j, heavy users count less)
//     S_ij = W_ij / n_j^β                      (β discounts popular targets)
// then the top `neighbours` j ≠ i of each row, rescaled to sum to 1 (each history item gives the
// same total mass). One co-occurrence pass yields the graphs for several β at once, so tuning β
// costs one pass. Cost: Σ_u min(|u|, cap)² additions.
import type { Histories } from './common.ts';
import { topK } from './common.ts';
import { tick } from './params.ts';

/** Rows of a sparse item-item matrix: row i is entries offsets[i] .. offsets[i+1]-1. */
export interface ItemGraph {
  offsets: Int32Array;
  nbr: Int32Array;
  w: Float32Array;
}

/** Distinct (user, item) pairs with the largest weight, newest `cap` items per user, in CSR both ways. */
export interface Pairs {
  userOffsets: Int32Array;
  userItem: Int32Array;
  userValue: Float32Array;
  itemOffsets: Int32Array;
  itemUser: Int32Array;
  itemValue: Float32Array;
  /** n_i = Σ_u x_ui. */
  itemMass: Float64Array;
}

export function distinctPairs(h: Histories, nItems: number, cap: number): Pairs {
  const nUsers = h.offsets.length - 1;
  const mark = new Int32Array(nItems).fill(-1);
  const slot = new Int32Array(nItems);
  const ui: number[] = [];
  const uv: number[] = [];
  const userOffsets = new Int32Array(nUsers + 1);
  for (let u = 0; u < nUsers; u++) {
    const start = ui.length;
    for (let p = h.offsets[u + 1] - 1; p >= h.offsets[u]; p--) {
      const i = h.item[p];
      if (mark[i] === u) {
        if (h.weight[p] > uv[slot[i]]) uv[slot[i]] = h.weight[p];
        continue;
      }
      if (ui.length - start >= cap) continue;
      mark[i] = u;
      slot[i] = ui.length;
      ui.push(i);
      uv.push(h.weight[p]);
    }
    userOffsets[u + 1] = ui.length;
  }
  const userItem = Int32Array.from(ui);
  const userValue = Float32Array.from(uv);
  const itemOffsets = new Int32Array(nItems + 1);
  const itemMass = new Float64Array(nItems);
  for (let e = 0; e < userItem.length; e++) (itemOffsets[userItem[e] + 1]++, (itemMass[userItem[e]] += userValue[e]));
  for (let i = 0; i < nItems; i++) itemOffsets[i + 1] += itemOffsets[i];
  const itemUser = new Int32Array(userItem.length);
  const itemValue = new Float32Array(userItem.length);
  const fill = itemOffsets.slice(0, nItems);
  for (let u = 0; u < nUsers; u++) {
    for (let e = userOffsets[u]; e < userOffsets[u + 1]; e++) {
      const k = fill[userItem[e]]++;
      itemUser[k] = u;
      itemValue[k] = userValue[e];
    }
  }
  return { userOffsets, userItem, userValue, itemOffsets, itemUser, itemValue, itemMass };
}

/** Row i of W into acc (touched lists the non-zero entries); returns their count. Kept apart from the async caller so that it optimizes. */
function accumulate(p: Pairs, i: number, userScale: Float64Array, acc: Float64Array, touched: Int32Array): number {
  const { itemOffsets, itemUser, itemValue, userOffsets, userItem, userValue } = p;
  let t = 0;
  for (let e = itemOffsets[i]; e < itemOffsets[i + 1]; e++) {
    const u = itemUser[e];
    const s = itemValue[e] * userScale[u];
    for (let f = userOffsets[u]; f < userOffsets[u + 1]; f++) {
      const j = userItem[f];
      if (acc[j] === 0) touched[t++] = j;
      acc[j] += s * userValue[f];
    }
  }
  // The row's own item is not its neighbour.
  if (acc[i] !== 0) {
    for (let x = 0; x < t; x++) if (touched[x] === i) ((touched[x] = touched[--t]), (x = t));
    acc[i] = 0;
  }
  return t;
}

/** RP3beta graphs for each β in `betas` (same α, same neighbour count). */
export async function rp3betaGraphs(
  p: Pairs,
  alpha: number,
  betas: number[],
  neighbours: number,
  signal?: AbortSignal,
): Promise<ItemGraph[]> {
  const nItems = p.itemMass.length;
  const nUsers = p.userOffsets.length - 1;
  const userScale = new Float64Array(nUsers);
  for (let u = 0; u < nUsers; u++) {
    let d = 0;
    for (let e = p.userOffsets[u]; e < p.userOffsets[u + 1]; e++) d += p.userValue[e];
    userScale[u] = d > 0 ? Math.pow(d, -alpha) : 0;
  }
  const discount = betas.map((b) => Float64Array.from(p.itemMass, (n) => (n > 0 ? Math.pow(n, -b) : 0)));
  const acc = new Float64Array(nItems);
  const touched = new Int32Array(nItems);
  const cand = new Float64Array(nItems);
  // Rows are written straight into full-size arrays (at most `neighbours` per item), trimmed at the end.
  const rows = betas.map(() => ({
    offsets: new Int32Array(nItems + 1),
    nbr: new Int32Array(nItems * neighbours),
    w: new Float32Array(nItems * neighbours),
  }));
  for (let i = 0; i < nItems; i++) {
    if ((i & 255) === 0) await tick(signal);
    const t = accumulate(p, i, userScale, acc, touched);
    for (let b = 0; b < betas.length; b++) {
      const d = discount[b];
      for (let x = 0; x < t; x++) cand[x] = acc[touched[x]] * d[touched[x]];
      const best = topK(cand.subarray(0, t), neighbours);
      let sum = 0;
      for (let x = 0; x < best.length; x++) sum += cand[best[x]];
      const r = rows[b];
      let o = r.offsets[i];
      for (let x = 0; x < best.length; x++, o++) {
        r.nbr[o] = touched[best[x]];
        r.w[o] = sum > 0 ? cand[best[x]] / sum : 0;
      }
      r.offsets[i + 1] = o;
    }
    for (let x = 0; x < t; x++) acc[touched[x]] = 0;
  }
  return rows.map((r) => ({ offsets: r.offsets, nbr: r.nbr.slice(0, r.offsets[nItems]), w: r.w.slice(0, r.offsets[nItems]) }));
}
