// Building blocks shared by the trainers: per-user histories in CSR form, popularity, top-k
// selection and percentile bounds. Everything works on item/user indexes into TrainingData's ID
// lists and on typed arrays.
import type { TrainingData } from '../trainer.ts';

/** Every user's interactions, oldest first: user u owns entries offsets[u] .. offsets[u+1]-1. */
export interface Histories {
  offsets: Int32Array;
  item: Int32Array;
  time: Float64Array;
  weight: Float32Array;
}

export interface HistoryBounds {
  /** Users whose history is shorter than this percentile of history lengths are dropped. */
  minPercentile?: number;
  /** Users whose history is longer than this percentile keep only their newest events up to it. */
  maxPercentile?: number;
}

export function histories(data: TrainingData, bounds: HistoryBounds = {}): Histories {
  const nUsers = data.userIds.length;
  const n = data.user.length;
  const len = new Int32Array(nUsers);
  for (let i = 0; i < n; i++) len[data.user[i]]++;
  const { lo, hi } = lengthBounds(len, bounds);
  const keep = new Int32Array(nUsers);
  for (let u = 0; u < nUsers; u++) keep[u] = len[u] < lo ? 0 : Math.min(len[u], hi);
  const offsets = new Int32Array(nUsers + 1);
  for (let u = 0; u < nUsers; u++) offsets[u + 1] = offsets[u] + keep[u];
  const total = offsets[nUsers];
  const item = new Int32Array(total);
  const time = new Float64Array(total);
  const weight = new Float32Array(total);
  // Entries are time-ordered in `data`; a user with a cap keeps the newest `keep[u]` of them.
  const skip = new Int32Array(nUsers);
  for (let u = 0; u < nUsers; u++) skip[u] = len[u] - keep[u];
  const fill = offsets.slice(0, nUsers);
  for (let i = 0; i < n; i++) {
    const u = data.user[i];
    if (skip[u] > 0) {
      skip[u]--;
      continue;
    }
    const p = fill[u]++;
    item[p] = data.item[i];
    time[p] = data.time[i];
    weight[p] = data.weight[i];
  }
  return { offsets, item, time, weight };
}

/** The history lengths the bounds keep: users shorter than `lo` are dropped, longer ones keep their newest `hi` entries. */
export function lengthBounds(len: Int32Array, b: HistoryBounds): { lo: number; hi: number } {
  const present = len.filter((x) => x > 0).sort();
  if (present.length === 0) return { lo: 0, hi: 0 };
  const lo = b.minPercentile ? percentile(present, b.minPercentile) : 0;
  const hi = b.maxPercentile !== undefined && b.maxPercentile < 1 ? Math.max(1, percentile(present, b.maxPercentile)) : Infinity;
  return { lo, hi };
}

/** Nearest-rank percentile of ascending values, p in [0, 1]. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i];
}

/**
 * Popularity as Personalize defines it ("most interactions data from unique users"): each user
 * counts once per item, with the largest weight of their interactions with it.
 */
export function uniqueUserPopularity(data: TrainingData, h: Histories = histories(data)): Float64Array {
  const nItems = data.itemIds.length;
  const pop = new Float64Array(nItems);
  const mark = new Int32Array(nItems).fill(-1);
  const best = new Float64Array(nItems);
  for (let u = 0; u + 1 < h.offsets.length; u++) {
    const a = h.offsets[u];
    const b = h.offsets[u + 1];
    for (let p = a; p < b; p++) {
      const i = h.item[p];
      if (mark[i] !== u) {
        mark[i] = u;
        best[i] = h.weight[p];
      } else if (h.weight[p] > best[i]) best[i] = h.weight[p];
    }
    for (let p = a; p < b; p++) {
      const i = h.item[p];
      if (mark[i] === u) {
        pop[i] += best[i];
        mark[i] = -2 - u; // counted for this user
      }
    }
  }
  return pop;
}

/** Item indexes with a positive score, best first; ties by lower index (stable, deterministic). */
export function rankedPositive(scores: ArrayLike<number>): Int32Array {
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i] > 0) idx.push(i);
  idx.sort((a, b) => scores[b] - scores[a] || a - b);
  return Int32Array.from(idx);
}

/**
 * The k highest-scoring indexes in [0, scores.length), best first (ties by lower index), skipping
 * those with skip[i] set. Quickselect finds the k-th best value, then only the winners are sorted:
 * O(n + k log k).
 */
export function topK(scores: ArrayLike<number>, k: number, skip?: Uint8Array): Int32Array {
  // A few winners among many candidates (the usual case): one pass with a bounded heap.
  const out = !skip && k > 0 && k * 48 <= scores.length ? heapTop(scores, k) : selectTop(scores, k, skip);
  sortByScore(out, scores);
  return out;
}

let heap = new Int32Array(256);

/**
 * The k best indexes (score descending, then lower index) in no particular order: a min-heap of
 * the k best so far, its root the worst of them; a later index only enters with a strictly higher
 * score, so among equal scores the lower indexes stay.
 */
function heapTop(scores: ArrayLike<number>, k: number): Int32Array {
  if (heap.length < k) heap = new Int32Array(2 * k);
  const h = heap;
  // Worse(a, b): a ranks after b.
  const worse = (a: number, b: number) => scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
  const down = (from: number, size: number) => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) return;
      const c = l + 1 < size && worse(h[l + 1], h[l]) ? l + 1 : l;
      if (!worse(h[c], h[i])) return;
      const t = h[c];
      h[c] = h[i];
      h[i] = t;
      i = c;
    }
  };
  for (let i = 0; i < k; i++) h[i] = i;
  for (let i = (k >> 1) - 1; i >= 0; i--) down(i, k);
  const n = scores.length;
  for (let i = k; i < n; i++) {
    if (scores[i] > scores[h[0]]) {
      h[0] = i;
      down(0, k);
    }
  }
  return h.slice(0, k);
}

/** The indexes topK returns, in no particular order (for callers that need the set, not the order). */
export function selectTop(scores: ArrayLike<number>, k: number, skip?: Uint8Array): Int32Array {
  const n = scores.length;
  if (scratch.length < n) ((scratch = new Float64Array(Math.max(n, 2 * scratch.length))), (picked = new Int32Array(scratch.length)));
  let m = 0;
  for (let i = 0; i < n; i++) if (!(skip && skip[i])) scratch[m++] = scores[i];
  k = Math.min(k, m);
  if (k <= 0) return new Int32Array(0);
  const threshold = k === m ? -Infinity : kthLargest(scratch.subarray(0, m), k);
  let c = 0;
  for (let i = 0; i < n; i++) if (scores[i] > threshold && !(skip && skip[i])) picked[c++] = i;
  for (let i = 0; i < n && c < k; i++) if (scores[i] === threshold && !(skip && skip[i])) picked[c++] = i;
  return picked.slice(0, c);
}

/** Sorts indexes by score descending, ties by lower index: insertion sort for short lists (the usual case). */
function sortByScore(idx: Int32Array, scores: ArrayLike<number>): void {
  if (idx.length > 128) {
    const a = Array.from(idx).sort((x, y) => scores[y] - scores[x] || x - y);
    idx.set(a);
    return;
  }
  for (let i = 1; i < idx.length; i++) {
    const v = idx[i];
    const sv = scores[v];
    let j = i - 1;
    while (j >= 0 && (scores[idx[j]] < sv || (scores[idx[j]] === sv && idx[j] > v))) {
      idx[j + 1] = idx[j];
      j--;
    }
    idx[j + 1] = v;
  }
}

let scratch = new Float64Array(1024);
let picked = new Int32Array(1024);

/** The k-th largest value of v (1-based), reordering v: Hoare quickselect with median-of-three. */
function kthLargest(v: Float64Array, k: number): number {
  let lo = 0;
  let hi = v.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const a = v[lo];
    const b = v[mid];
    const c = v[hi];
    const pivot = a > b ? (b > c ? b : a > c ? c : a) : a > c ? a : b > c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (v[i] > pivot) i++;
      while (v[j] < pivot) j--;
      if (i <= j) {
        const t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return v[target];
  }
  return v[target];
}

export function indexOf(ids: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  ids.forEach((id, i) => m.set(id, i));
  return m;
}

/** Walks a precomputed ranking and returns the first k item IDs not excluded and not already taken. */
export function takeRanked(
  order: ArrayLike<number>,
  itemIds: readonly string[],
  k: number,
  exclude?: ReadonlySet<string>,
  taken?: Set<string>,
): string[] {
  const out: string[] = [];
  for (let r = 0; r < order.length && out.length < k; r++) {
    const id = itemIds[order[r]];
    if (exclude?.has(id) || taken?.has(id)) continue;
    taken?.add(id);
    out.push(id);
  }
  return out;
}
