// The factor model's training input: each user's distinct items (newest CAP), with confidences
// that favour the user's recent items, items renumbered by popularity, and the validation users
// the tuner scores (factor-tuning.ts).
//
// Validation without a second training: the users of AWS's holdout rule (offline-metrics.ts) with
// a validation seed, up to `validation` of them, train with only their oldest 90 % (the holdout's
// input part); their newest 10 % is what the tuner checks the model against. They are a small
// share of the users, so the final model is this same training: ALS on a large catalog is too
// costly to run twice (the item graph's tuner can afford a second graph).
import { userHash } from '../metrics/offline-metrics.ts';
import type { TrainingData } from '../trainer.ts';
import { histories, type HistoryBounds } from './common.ts';
import type { AlsInput } from './als.ts';

export interface ValidationUser {
  /** Item indexes (model numbering), oldest first. */
  input: number[];
  relevant: Set<number>;
}

export interface FactorInput {
  als: AlsInput;
  /** Model item index → data item index: the model's items, most popular first. */
  order: Int32Array;
  validation: ValidationUser[];
}

export interface InputOptions {
  bounds: HistoryBounds;
  cap: number;
  validation: number;
  seed: number;
  /** Confidence of a user's r-th newest item: w · (1 + exp(−r / trainDecay)) / 2 (∞: w). */
  trainDecay: number;
}

/** The `count` users with the lowest hash among those with at least 2 events (rule 55's choice). */
function validationUsers(data: TrainingData, len: Int32Array, count: number, seed: number): Uint8Array {
  const n = data.userIds.length;
  const pick = new Uint8Array(n);
  if (count <= 0) return pick;
  const hash = new Float64Array(n).fill(Infinity);
  for (let u = 0; u < n; u++) if (len[u] >= 2) hash[u] = userHash(seed, data.userIds[u]);
  const sorted = hash.slice().sort();
  const threshold = sorted[Math.min(count, n) - 1];
  let taken = 0;
  for (let u = 0; u < n && taken < count; u++) if (hash[u] <= threshold && hash[u] !== Infinity) ((pick[u] = 1), taken++);
  return pick;
}

export function factorInput(data: TrainingData, o: InputOptions): FactorInput {
  const h = histories(data, o.bounds);
  const nUsers = h.offsets.length - 1;
  const nItems = data.itemIds.length;
  const len = Int32Array.from({ length: nUsers }, (_, u) => h.offsets[u + 1] - h.offsets[u]);
  const isValidation = validationUsers(data, len, o.validation, o.seed);
  const validationRaw: { input: number[]; relevant: Set<number> }[] = [];
  // Distinct items newest first, largest weight, up to cap; validation users only over their input part.
  const mark = new Int32Array(nItems).fill(-1);
  const slot = new Int32Array(nItems);
  const offsets = new Int32Array(nUsers + 1);
  let item = new Int32Array(Math.min(h.item.length, nUsers * o.cap) + 1);
  let weight = new Float32Array(item.length);
  let m = 0;
  for (let u = 0; u < nUsers; u++) {
    let end = h.offsets[u + 1];
    if (isValidation[u]) {
      const n = len[u];
      const keep = Math.min(n - 1, Math.max(1, Math.ceil(0.9 * n)));
      end = h.offsets[u] + keep;
      validationRaw.push({
        input: Array.from(h.item.subarray(h.offsets[u], end)),
        relevant: new Set(h.item.subarray(end, h.offsets[u + 1])),
      });
    }
    const start = m;
    for (let p = end - 1; p >= h.offsets[u]; p--) {
      const i = h.item[p];
      if (mark[i] === u) {
        if (h.weight[p] > weight[slot[i]]) weight[slot[i]] = h.weight[p];
        continue;
      }
      if (m - start >= o.cap) continue;
      mark[i] = u;
      slot[i] = m;
      item[m] = i;
      weight[m++] = h.weight[p];
    }
    offsets[u + 1] = m;
  }
  item = item.slice(0, m);
  weight = weight.slice(0, m);
  // Popularity (unique-user mass) orders the model's items.
  const mass = new Float64Array(nItems);
  for (let e = 0; e < m; e++) mass[item[e]] += weight[e];
  const order = Int32Array.from({ length: nItems }, (_, i) => i).sort((a, b) => mass[b] - mass[a] || a - b);
  const rank = new Int32Array(nItems);
  order.forEach((i, r) => (rank[i] = r));
  const conf = new Float32Array(m);
  for (let u = 0; u < nUsers; u++) {
    for (let e = offsets[u]; e < offsets[u + 1]; e++) {
      const r = e - offsets[u];
      conf[e] = o.trainDecay === Infinity ? weight[e] : (weight[e] * (1 + Math.exp(-r / o.trainDecay))) / 2;
      item[e] = rank[item[e]];
    }
  }
  const validation = validationRaw.map((v) => ({
    input: v.input.map((i) => rank[i]),
    relevant: new Set(Array.from(v.relevant, (i) => rank[i])),
  }));
  return { als: { nUsers, nItems, offsets, item, conf }, order, validation };
}
