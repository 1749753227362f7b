// An inverted-file index over the item factors, for top-k by inner product over millions of items
// (the factor model's serving: factor-core.ts). Brute force costs items × k per request (113 ms at
// 1 M items, 64 dims, recsys-notes §2); the index lets a request score the items of the few lists
// whose centroid scores best, about `probe` items, plus the most popular items.
//
// Lists: hierarchical k-means (BRANCH centroids per level, Lloyd's iterations on a sample of the
// cell, every item then assigned to its nearest centroid) until a cell holds at most `listSize`
// items, so that building costs items × BRANCH × log_BRANCH(lists) × k instead of items × lists × k.
// Inner-product search is turned into nearest-neighbour search first (Bachrach et al., RecSys
// 2014): each item vector gets one more coordinate √(R² − |y|²), R the largest norm, so that the
// items nearest to a cell's centroid are those with the largest inner products with it; a query's
// extra coordinate is 0, so a list scores x·μ with μ the mean of its members' factors.
// Members are stored list by list, each list in random order: the first few members of a list are
// a uniform sample of it, which factor-core.ts uses to estimate the softmax's partition function
// over the lists a request does not probe.
import { tick } from './params.ts';

export interface ItemIndex {
  lists: number;
  /** Lists × k: the mean factors of each list's members. */
  centroids: Float32Array;
  /** List c's members are members[offsets[c] .. offsets[c+1]-1]. */
  offsets: Int32Array;
  members: Int32Array;
}

const BRANCH = 16;
const SAMPLE_PER_CENTROID = 64;
const LLOYD_ITERATIONS = 6;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Space {
  y: Float32Array;
  k: number;
  /** The extra coordinate of each item (see the header). */
  extra: Float64Array;
}

/** Index of the centroid nearest to item j: max of y·μ + e·μ_e − |μ|²/2 (centroids (k+1)-dimensional). */
function nearest(s: Space, j: number, cent: Float64Array, half: Float64Array, c: number): number {
  const d = s.k + 1;
  const base = j * s.k;
  let best = 0;
  let bestV = -Infinity;
  for (let m = 0; m < c; m++) {
    const o = m * d;
    let v = s.extra[j] * cent[o + s.k] - half[m];
    for (let a = 0; a < s.k; a++) v += s.y[base + a] * cent[o + a];
    if (v > bestV) ((bestV = v), (best = m));
  }
  return best;
}

/** k-means of the items `cell` into c groups; returns each item's group (same order as cell). */
function kmeans(s: Space, cell: Int32Array, c: number, rnd: () => number): Int32Array {
  const d = s.k + 1;
  const sampleSize = Math.min(cell.length, c * SAMPLE_PER_CENTROID);
  const sample = new Int32Array(sampleSize);
  for (let x = 0; x < sampleSize; x++) sample[x] = cell[Math.floor(rnd() * cell.length)];
  const cent = new Float64Array(c * d);
  const half = new Float64Array(c);
  const seed = (m: number) => {
    const j = sample[Math.floor(rnd() * sampleSize)];
    for (let a = 0; a < s.k; a++) cent[m * d + a] = s.y[j * s.k + a];
    cent[m * d + s.k] = s.extra[j];
  };
  for (let m = 0; m < c; m++) seed(m);
  const sums = new Float64Array(c * d);
  const counts = new Int32Array(c);
  const norms = () => {
    for (let m = 0; m < c; m++) {
      let q = 0;
      for (let a = 0; a < d; a++) q += cent[m * d + a] * cent[m * d + a];
      half[m] = q / 2;
    }
  };
  for (let it = 0; it < LLOYD_ITERATIONS; it++) {
    norms();
    sums.fill(0);
    counts.fill(0);
    for (const j of sample) {
      const m = nearest(s, j, cent, half, c);
      counts[m]++;
      for (let a = 0; a < s.k; a++) sums[m * d + a] += s.y[j * s.k + a];
      sums[m * d + s.k] += s.extra[j];
    }
    for (let m = 0; m < c; m++) {
      if (counts[m] === 0) seed(m);
      else for (let a = 0; a < d; a++) cent[m * d + a] = sums[m * d + a] / counts[m];
    }
  }
  norms();
  return Int32Array.from(cell, (j) => nearest(s, j, cent, half, c));
}

/** Splits `cell` recursively until each part holds at most listSize items; appends the leaves to `out`. */
async function split(s: Space, cell: Int32Array, listSize: number, rnd: () => number, out: Int32Array[], signal?: AbortSignal) {
  if (cell.length <= listSize) {
    if (cell.length) out.push(cell);
    return;
  }
  await tick(signal);
  const c = Math.min(BRANCH, Math.ceil(cell.length / listSize));
  const group = kmeans(s, cell, c, rnd);
  const parts = Array.from({ length: c }, () => [] as number[]);
  for (let x = 0; x < cell.length; x++) parts[group[x]].push(cell[x]);
  // A degenerate split (all in one group: identical vectors, e.g. items without interactions)
  // ends here, in lists of listSize items.
  if (parts.filter((p) => p.length).length === 1) {
    for (let x = 0; x < cell.length; x += listSize) out.push(cell.slice(x, x + listSize));
    return;
  }
  for (const p of parts) await split(s, Int32Array.from(p), listSize, rnd, out, signal);
}

export async function buildItemIndex(y: Float32Array, k: number, listSize: number, seed: number, signal?: AbortSignal): Promise<ItemIndex> {
  const n = y.length / k;
  const norm2 = new Float64Array(n);
  let r2 = 0;
  for (let j = 0; j < n; j++) {
    let q = 0;
    for (let a = 0; a < k; a++) q += y[j * k + a] * y[j * k + a];
    norm2[j] = q;
    r2 = Math.max(r2, q);
  }
  const space: Space = { y, k, extra: Float64Array.from(norm2, (q) => Math.sqrt(Math.max(0, r2 - q))) };
  const rnd = rng(seed);
  const leaves: Int32Array[] = [];
  await split(
    space,
    Int32Array.from({ length: n }, (_, j) => j),
    Math.max(1, listSize),
    rnd,
    leaves,
    signal,
  );
  const lists = leaves.length;
  const offsets = new Int32Array(lists + 1);
  const members = new Int32Array(n);
  const centroids = new Float32Array(lists * k);
  const mean = new Float64Array(k);
  leaves.forEach((leaf, c) => {
    // Random order inside the list: its first members are a uniform sample of it.
    for (let x = leaf.length - 1; x > 0; x--) {
      const z = Math.floor(rnd() * (x + 1));
      const t = leaf[x];
      ((leaf[x] = leaf[z]), (leaf[z] = t));
    }
    members.set(leaf, offsets[c]);
    offsets[c + 1] = offsets[c] + leaf.length;
    mean.fill(0);
    for (const j of leaf) for (let a = 0; a < k; a++) mean[a] += y[j * k + a];
    for (let a = 0; a < k; a++) centroids[c * k + a] = mean[a] / leaf.length;
  });
  return { lists, centroids, offsets, members };
}
