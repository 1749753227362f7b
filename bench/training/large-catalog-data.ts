// Synthetic interactions for catalogs of 10^5 to 10^7 items, straight into TrainingData's typed
// arrays (test/training/synthetic.ts builds objects: too slow and too big at this size). The
// planted structure of the other generators, scaled to a long tail:
// - items have a Zipf popularity (exponent `zipf`) over random ranks, so most items have one or
//   two interactions and a few have thousands;
// - items fall into clusters of about `clusterSize` items (item i → cluster i mod C), the niches
//   of a large catalog; each user prefers one cluster, draws `inCluster` of the events from it by
//   popularity and the rest from the global popularity; half of the users drift to a second
//   cluster over their history, so the newest events (what AWS's holdout tests) differ from the
//   oldest ones;
// - users = items × perItem / meanHistory, history lengths log-normal around meanHistory; each
//   user is active over a random stretch of 90 days; rows sorted by time (TrainingData's order).
// Only items with at least one interaction are in itemIds (as TrainingData has them).
import type { TrainingData } from '../../src/training/trainer.ts';
import { mulberry32 } from '../../test/training/synthetic.ts';

export interface LargeCatalogOptions {
  items: number;
  /** Mean interactions per catalog item. */
  perItem: number;
  meanHistory?: number;
  clusterSize?: number;
  zipf?: number;
  inCluster?: number;
  drift?: number;
  seed?: number;
}

function cdf(weights: Float64Array): Float64Array {
  const c = new Float64Array(weights.length);
  let s = 0;
  for (let i = 0; i < weights.length; i++) c[i] = s += weights[i];
  return c;
}

/** Index of the first c[k] > r·total in c[lo .. hi) (one cluster's stretch of a shared array). */
function draw(c: Float64Array, lo: number, hi: number, r: number): number {
  const base = lo > 0 ? c[lo - 1] : 0;
  const x = base + r * (c[hi - 1] - base);
  let a = lo;
  let b = hi - 1;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (c[mid] > x) b = mid;
    else a = mid + 1;
  }
  return a;
}

export function largeCatalog(o: LargeCatalogOptions): TrainingData {
  const rnd = mulberry32(o.seed ?? 1);
  const n = o.items;
  const meanHistory = o.meanHistory ?? 20;
  const inCluster = o.inCluster ?? 0.8;
  const drift = o.drift ?? 0.5;
  const C = Math.max(2, Math.round(n / (o.clusterSize ?? 2000)));
  const users = Math.max(100, Math.round((n * o.perItem) / meanHistory));
  const rank = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = rank[i];
    ((rank[i] = rank[j]), (rank[j] = t));
  }
  const pop = Float64Array.from(rank, (r) => 1 / Math.pow(r + 1, o.zipf ?? 1));
  const global = cdf(pop);
  // Cluster members laid out cluster after cluster: member[start[c] .. start[c+1]) = c, c + C, ...
  const start = new Int32Array(C + 1);
  for (let c = 0; c < C; c++) start[c + 1] = start[c] + Math.ceil((n - c) / C);
  const member = new Int32Array(n);
  const memberPop = new Float64Array(n);
  for (let c = 0; c < C; c++) {
    for (let k = 0, i = c; i < n; k++, i += C) ((member[start[c] + k] = i), (memberPop[start[c] + k] = pop[i]));
  }
  const clusterCdf = new Float64Array(n);
  for (let c = 0; c < C; c++) {
    let s = 0;
    for (let k = start[c]; k < start[c + 1]; k++) clusterCdf[k] = s += memberPop[k];
  }

  let cap = Math.ceil(users * meanHistory * 1.3) + 1024;
  let user = new Int32Array(cap);
  let item = new Int32Array(cap);
  let time = new Float64Array(cap);
  let m = 0;
  const t0 = 1_700_000_000;
  const span = 90 * 86400;
  const seen = new Set<number>();
  const times: number[] = [];
  for (let u = 0; u < users; u++) {
    const g = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    const len = Math.max(2, Math.round(meanHistory * Math.exp(0.8 * g - 0.32)));
    const a = Math.floor(rnd() * C);
    const b = rnd() < drift ? (a + 1 + Math.floor(rnd() * (C - 1))) % C : a;
    if (m + len > cap) {
      cap = Math.ceil(cap * 1.5) + len;
      const grow = <T extends Int32Array | Float64Array>(x: T, make: new (k: number) => T) => {
        const y = new make(cap);
        y.set(x.subarray(0, m));
        return y;
      };
      ((user = grow(user, Int32Array)), (item = grow(item, Int32Array)), (time = grow(time, Float64Array)));
    }
    seen.clear();
    const s0 = t0 + rnd() * span * 0.85;
    const d = span * (0.02 + rnd() * 0.12);
    times.length = 0;
    for (let k = 0; k < len; k++) times.push(Math.floor(s0 + rnd() * d));
    times.sort((x, y) => x - y);
    for (let k = 0; k < len; k++) {
      const c = rnd() < k / (len - 1) ? b : a;
      let i = -1;
      for (let tries = 0; tries < 20 && (i < 0 || seen.has(i)); tries++) {
        i = rnd() < inCluster ? member[draw(clusterCdf, start[c], start[c + 1], rnd())] : draw(global, 0, n, rnd());
      }
      seen.add(i);
      ((user[m] = u), (item[m] = i), (time[m] = times[k]), m++);
    }
  }
  // Time order: sort (time offset · 2^26 + row) as doubles (exact below 2^53), natively.
  if (m >= 2 ** 26) throw new Error('too many interactions for the sort key');
  const key = new Float64Array(m);
  for (let r = 0; r < m; r++) key[r] = (time[r] - t0) * 2 ** 26 + r;
  key.sort();
  // Compact the item indexes to the items that occur.
  const newIndex = new Int32Array(n).fill(-1);
  const itemIds: string[] = [];
  const out = {
    user: new Int32Array(m),
    item: new Int32Array(m),
    time: new Float64Array(m),
  };
  for (let x = 0; x < m; x++) {
    const r = key[x] % 2 ** 26;
    const i = item[r];
    if (newIndex[i] < 0) newIndex[i] = itemIds.push(`i${i}`) - 1;
    ((out.user[x] = user[r]), (out.item[x] = newIndex[i]), (out.time[x] = time[r]));
  }
  return {
    userIds: Array.from({ length: users }, (_, u) => `u${u}`),
    itemIds,
    ...out,
    weight: new Float32Array(m).fill(1),
    eventType: new Int32Array(m),
    eventTypes: ['click'],
  };
}
