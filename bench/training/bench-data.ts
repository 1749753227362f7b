// The training benchmark's data: the planted structure of test/training/synthetic.ts (items in
// CLUSTERS clusters, item i in cluster i mod CLUSTERS, Zipf popularity over random ranks; each user
// prefers one cluster and half of them drift to a second over their history; 4 % of the users take
// a bundle of 5 otherwise unused items together; one item rises in the newest hour; each user is
// active over a random stretch of 90 days), streamed straight into a CSV file so that 10 M rows
// take seconds (synthetic.ts builds objects, too slow and too big at that size).
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import type { TrainingData } from '../../src/training/trainer.ts';
import { mulberry32 } from '../../test/training/synthetic.ts';

export const HEADER = 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE';
export const SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Interactions',
  namespace: 'com.amazonaws.personalize.schema',
  version: '1.0',
  fields: [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
  ],
});
export const MEAN_HISTORY = 20;
const CLUSTERS = 10;

export interface Generated {
  rows: number;
  mb: number;
  /** With `keep`: the same rows as TrainingData (user and item indexes are the numbers in the IDs). */
  data?: TrainingData;
}

/** `keep`: also return the rows as TrainingData; `seed`: the random stream (default 7). */
export interface GenerateOptions {
  keep?: boolean;
  seed?: number;
}

/** Writes ASCII digits of a non-negative integer into buf at pos; returns the new pos. */
function digits(buf: Buffer, pos: number, v: number): number {
  let len = 1;
  for (let x = v; x >= 10; x = Math.floor(x / 10)) len++;
  for (let i = pos + len - 1; i >= pos; i--) {
    buf[i] = 48 + (v % 10);
    v = Math.floor(v / 10);
  }
  return pos + len;
}

function cdf(weights: ArrayLike<number>): Float64Array {
  const c = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) c[i] = sum += weights[i];
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

/**
 * Writes `users` users' interactions with `items` items (the structure above) to the CSV file at
 * `path`. Rows are grouped by user, oldest first; the rising item's rows come last.
 */
export function generate(path: string, users: number, items: number, o: GenerateOptions = {}): Generated {
  const keep = o.keep ?? false;
  const rnd = mulberry32(o.seed ?? 7);
  const C = CLUSTERS;
  const planted = 5;
  const normal = items - planted - 1;
  const rising = items - 1;
  const start = 1_700_000_000;
  const span = 90 * 86400;
  const end = start + span;
  const rank = Int32Array.from({ length: normal }, (_, i) => i);
  for (let i = normal - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [rank[i], rank[j]] = [rank[j], rank[i]];
  }
  const pop = Float64Array.from(rank, (r) => 1 / (r + 1));
  const global = cdf(pop);
  const members = Array.from({ length: C }, (_, c) => Int32Array.from({ length: Math.ceil((normal - c) / C) }, (_, k) => c + k * C));
  const clusterCdf = members.map((m) => cdf(Array.from(m, (i) => pop[i])));

  const fd = openSync(path, 'w');
  const buf = Buffer.alloc(16 << 20);
  let pos = buf.write(`${HEADER}\n`);
  const click = Buffer.from(',click\n');
  let rows = 0;
  const kept = keep ? { user: [] as number[], item: [] as number[], time: [] as number[] } : undefined;
  const row = (u: number, i: number, t: number) => {
    if (pos > buf.length - 128) {
      writeSync(fd, buf, 0, pos);
      pos = 0;
    }
    buf[pos++] = 117; // u
    pos = digits(buf, pos, u);
    buf[pos++] = 44;
    buf[pos++] = 105; // i
    pos = digits(buf, pos, i);
    buf[pos++] = 44;
    pos = digits(buf, pos, t);
    pos += click.copy(buf, pos);
    rows++;
    if (kept) (kept.user.push(u), kept.item.push(i), kept.time.push(t));
  };
  const history: number[] = [];
  const times: number[] = [];
  const seen = new Set<number>();
  for (let u = 0; u < users; u++) {
    const g = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    const len = Math.max(2, Math.round(MEAN_HISTORY * Math.exp(0.8 * g - 0.32)));
    const a = Math.floor(rnd() * C);
    const b = rnd() < 0.5 ? (a + 1 + Math.floor(rnd() * (C - 1))) % C : a;
    history.length = 0;
    seen.clear();
    for (let t = 0; t < len; t++) {
      const c = rnd() < t / (len - 1) ? b : a;
      let i = -1;
      for (let tries = 0; tries < 20 && (i < 0 || seen.has(i)); tries++) {
        i = rnd() < 0.8 ? members[c][draw(clusterCdf[c], rnd())] : draw(global, rnd());
      }
      seen.add(i);
      history.push(i);
    }
    if (rnd() < 0.04) history.splice(Math.floor(rnd() * (history.length + 1)), 0, ...Array.from({ length: planted }, (_, k) => normal + k));
    const s0 = start + rnd() * span * 0.85;
    const d = span * (0.02 + rnd() * 0.12);
    times.length = 0;
    for (let k = 0; k < history.length; k++) times.push(Math.floor(s0 + rnd() * d));
    times.sort((x, y) => x - y);
    for (let k = 0; k < history.length; k++) row(u, history[k], times[k]);
  }
  // The rising item: a trickle in the hour before the newest one, then a burst of one user in 500.
  const burst = Math.max(30, Math.round(users / 500));
  for (let k = 0; k < burst + 3; k++) {
    const t = k < 3 ? end - 3600 - 1 - rnd() * 3500 : k === 3 ? end : end - rnd() * 3500;
    row(Math.floor(rnd() * users), rising, Math.floor(t));
  }
  writeSync(fd, buf, 0, pos);
  closeSync(fd);
  const mb = statSync(path).size / 2 ** 20;
  if (!kept) return { rows, mb };
  const data: TrainingData = {
    userIds: Array.from({ length: users }, (_, u) => `u${u}`),
    itemIds: Array.from({ length: items }, (_, i) => `i${i}`),
    user: Int32Array.from(kept.user),
    item: Int32Array.from(kept.item),
    time: Float64Array.from(kept.time),
    weight: new Float32Array(rows).fill(1),
    eventType: new Int32Array(rows),
    eventTypes: ['click'],
  };
  return { rows, mb, data };
}

/**
 * An increment for a trainingMode UPDATE: `rows` interactions of `newItems` items that the base
 * data does not have (IDs i<items>.. i<items + newItems − 1>), by random existing users, in the
 * day after the base data ends.
 */
export function generateNewItems(path: string, users: number, items: number, newItems: number, rows: number): Generated {
  const rnd = mulberry32(11);
  const after = 1_700_000_000 + 90 * 86400;
  const lines = [HEADER];
  for (let k = 0; k < rows; k++) {
    const u = Math.floor(rnd() * users);
    lines.push(`u${u},i${items + (k % newItems)},${after + 1 + Math.floor(rnd() * 86400)},click`);
  }
  const fd = openSync(path, 'w');
  writeSync(fd, `${lines.join('\n')}\n`);
  closeSync(fd);
  return { rows, mb: statSync(path).size / 2 ** 20 };
}
