// Seeded synthetic interactions with planted structure, for the trainer tests and the quality
// benchmark:
// - items belong to clusters (item i → cluster i mod C) and have a Zipf popularity (random ranks);
// - each user prefers one cluster; a `drift` share of users moves gradually to a second cluster
//   over their history, so their newest events (what the offline metrics test) differ from their
//   oldest ones and recent events predict better;
// - a planted bundle of `plantedSize` otherwise unused items that a `plantedUsers` share of users
//   take together (consecutively): the co-occurrence cluster SIMS must find;
// - one rising item, unused until the last hour, then taken by `risingEvents` users;
// - timestamps: each user is active over a random stretch of the `spanDays` period;
// - with `metadata`, an Items dataset (data.items, data.itemFields) drawn from its own random stream
//   (the interactions stay the same): GENRE (categorical) is the item's cluster `g<c>` (a
//   `metadataNoise` share gets a random genre instead, a fifth a second genre `g<c>|g<d>`),
//   DESCRIPTION (textual) mixes words of the cluster's vocabulary with common words, PRICE is a
//   number; plus `coldItems` items without interactions that share the genre `planted` and a
//   vocabulary of their own: the metadata cluster Similar-Items must find for a cold item.
import type { TrainingData } from '../../src/training/trainer.ts';

export interface SyntheticOptions {
  seed?: number;
  users?: number;
  items?: number;
  clusters?: number;
  meanHistory?: number;
  /** Chance that an event comes from the user's current cluster rather than global popularity. */
  inCluster?: number;
  zipf?: number;
  drift?: number;
  /** Chance that an event repeats one of the user's earlier items. */
  repeat?: number;
  plantedSize?: number;
  plantedUsers?: number;
  risingEvents?: number;
  spanDays?: number;
  metadata?: boolean;
  metadataNoise?: number;
  coldItems?: number;
}

export interface Synthetic {
  data: TrainingData;
  planted: string[];
  rising: string;
  itemCluster: Int32Array;
  /** Each user's first cluster and the one they drift to (the same when they do not drift). */
  userCluster: Int32Array;
  userDrift: Int32Array;
  /** With `metadata`: the IDs of the items without interactions (the planted metadata cluster). */
  cold: string[];
  /** The end of the period: the time of the newest interaction. */
  end: number;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cdf(weights: number[]): Float64Array {
  const c = new Float64Array(weights.length);
  let s = 0;
  weights.forEach((w, i) => (c[i] = s += w));
  return c;
}

function draw(c: Float64Array, r: number): number {
  const x = r * c[c.length - 1];
  let lo = 0;
  let hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function synthetic(o: SyntheticOptions = {}): Synthetic {
  const rnd = mulberry32(o.seed ?? 1);
  const nUsers = o.users ?? 2000;
  const nItems = o.items ?? 500;
  const C = o.clusters ?? 10;
  const meanHistory = o.meanHistory ?? 20;
  const inCluster = o.inCluster ?? 0.8;
  const drift = o.drift ?? 0.5;
  const repeat = o.repeat ?? 0;
  const plantedSize = o.plantedSize ?? 5;
  const plantedUsers = o.plantedUsers ?? 0.04;
  const risingEvents = o.risingEvents ?? 30;
  const start = 1_700_000_000;
  const span = (o.spanDays ?? 90) * 86400;
  const end = start + span;

  // The last plantedSize + 1 items are the bundle and the rising item; the rest are "normal".
  const normal = nItems - plantedSize - 1;
  const rank = Array.from({ length: normal }, (_, i) => i);
  for (let i = normal - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [rank[i], rank[j]] = [rank[j], rank[i]];
  }
  const pop = rank.map((r) => 1 / Math.pow(r + 1, o.zipf ?? 1));
  const global = cdf(pop);
  const members: number[][] = Array.from({ length: C }, () => []);
  for (let i = 0; i < normal; i++) members[i % C].push(i);
  const clusterCdf = members.map((m) => cdf(m.map((i) => pop[i])));
  const planted = Array.from({ length: plantedSize }, (_, k) => normal + k);
  const rising = nItems - 1;

  const ev: { u: number; i: number; t: number }[] = [];
  const userCluster = new Int32Array(nUsers);
  const userDrift = new Int32Array(nUsers);
  for (let u = 0; u < nUsers; u++) {
    const g = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    const len = Math.max(2, Math.round(meanHistory * Math.exp(0.8 * g - 0.32)));
    const a = Math.floor(rnd() * C);
    const b = rnd() < drift ? (a + 1 + Math.floor(rnd() * (C - 1))) % C : a;
    ((userCluster[u] = a), (userDrift[u] = b));
    const items: number[] = [];
    const seen = new Set<number>();
    for (let t = 0; t < len; t++) {
      let i = -1;
      if (items.length > 0 && rnd() < repeat) i = items[Math.max(0, items.length - 1 - Math.floor(rnd() * 5))];
      else {
        const c = rnd() < (len > 1 ? t / (len - 1) : 0) ? b : a;
        for (let tries = 0; tries < 20 && (i < 0 || seen.has(i)); tries++) {
          i = rnd() < inCluster ? members[c][draw(clusterCdf[c], rnd())] : draw(global, rnd());
        }
      }
      seen.add(i);
      items.push(i);
    }
    if (rnd() < plantedUsers) {
      const at = Math.floor(rnd() * (items.length + 1));
      const bundle = planted.filter(() => rnd() < 0.8);
      items.splice(at, 0, ...(bundle.length >= 2 ? bundle : planted));
    }
    const s = start + rnd() * span * 0.85;
    const d = span * (0.02 + rnd() * 0.12);
    const times = items.map(() => s + rnd() * d).sort((x, y) => x - y);
    items.forEach((i, k) => ev.push({ u, i, t: Math.floor(times[k]) }));
  }
  // The rising item: a trickle in the previous hour, then a burst in the newest hour.
  for (let k = 0; k < risingEvents + 3; k++) {
    const t = k < 3 ? end - 3600 - 1 - rnd() * 3500 : k === 3 ? end : end - rnd() * 3500;
    ev.push({ u: Math.floor(rnd() * nUsers), i: rising, t: Math.floor(t) });
  }
  ev.sort((x, y) => x.t - y.t);
  const data: TrainingData = {
    userIds: Array.from({ length: nUsers }, (_, u) => `u${u}`),
    itemIds: Array.from({ length: nItems }, (_, i) => `i${i}`),
    user: Int32Array.from(ev, (e) => e.u),
    item: Int32Array.from(ev, (e) => e.i),
    time: Float64Array.from(ev, (e) => e.t),
    weight: new Float32Array(ev.length).fill(1),
    eventType: new Int32Array(ev.length),
    eventTypes: ['click'],
  };
  const itemCluster = Int32Array.from({ length: nItems }, (_, i) => (i < normal ? i % C : -1));
  const cold = o.metadata ? addMetadata(data, itemCluster, C, o.seed ?? 1, o.metadataNoise ?? 0.1, o.coldItems ?? 6) : [];
  return { data, planted: planted.map((i) => `i${i}`), rising: `i${rising}`, itemCluster, userCluster, userDrift, cold, end };
}

function addMetadata(data: TrainingData, itemCluster: Int32Array, C: number, seed: number, noise: number, coldItems: number): string[] {
  const rnd = mulberry32(seed ^ 0x9e3779b9);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const common = Array.from({ length: 200 }, (_, k) => `common${k}`);
  const vocab = (c: number | string) => Array.from({ length: 12 }, (_, k) => `topic${c}word${k}`);
  const describe = (own: string[]) =>
    [...Array.from({ length: 4 }, () => pick(own)), ...Array.from({ length: 6 }, () => pick(common))].join(' ') + '.';
  const items = new Map<string, Record<string, string | number | boolean | null>>();
  data.itemIds.forEach((id, i) => {
    const c = itemCluster[i] >= 0 ? itemCluster[i] : Math.floor(rnd() * C);
    const g = rnd() < noise ? Math.floor(rnd() * C) : c;
    const genre = rnd() < 0.2 ? `g${g}|g${(g + 1 + Math.floor(rnd() * (C - 1))) % C}` : `g${g}`;
    items.set(id, { GENRE: genre, DESCRIPTION: describe(vocab(c)), PRICE: Math.round(rnd() * 10000) / 100 });
  });
  const cold = Array.from({ length: coldItems }, (_, k) => `cold${k}`);
  for (const id of cold) items.set(id, { GENRE: 'planted', DESCRIPTION: describe(vocab('planted')), PRICE: 1 });
  data.items = items;
  data.itemFields = [
    { name: 'GENRE', type: 'string', categorical: true, textual: false },
    { name: 'DESCRIPTION', type: 'string', categorical: false, textual: true },
    { name: 'PRICE', type: 'double', categorical: false, textual: false },
  ];
  return cold;
}
