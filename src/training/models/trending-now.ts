// aws-trending-now: the items whose interactions grow fastest from one `trend_discovery_frequency`
// window to the next (training-rules §1.4 rules 17–18); the same list for every user; no scores.
//
// The newest window ends at the latest interaction in the data (trainers have no clock); the
// previous window is the one before it. Growth of item i, with weighted counts c1 (newest) and
// c0 (previous): (c1 − c0) / (c0 + m), where m is the mean newest-window count of the items seen
// in it; the smoothing keeps an item going 0 → 1 from outranking one going 5 → 40. Items that grow
// lead, best growth first; then items by newest-window count; then by popularity. With no
// interactions in either window, the list is the popularity list (rule 17).
// The parameter is a feature-transformation parameter; the trainer reads it from the same map.
//
// Artifact (see artifact.ts): recipe "aws-trending-now", meta { windowSeconds, windowEnd }; sections
//   "items"    json  string[]  item IDs in recommendation order (every item with interactions)
//   "growth"   f64   [n]       growth score, 0 for items that do not grow
//   "recent"   f64   [n]       weighted interactions in the newest window
//   "previous" f64   [n]       weighted interactions in the window before
import { JobFailure } from '../../jobs/job-failure.ts';
import type { Model, RecommendQuery, Scored, Trainer, TrainingData } from '../trainer.ts';
import { readArtifact, jsonSection, section, writeArtifact } from './artifact.ts';
import { throwIfAborted } from './params.ts';
import { popularityRanking } from './popularity-count.ts';

export const TRENDING_NOW_RECIPE = 'aws-trending-now';
const DEFAULT_FREQUENCY = '2 hours';
const ALLOWED_SECONDS = new Set([1800, 3600, 7200, 10800, 86400]);

/** "30 minutes", "30 min", "1 hour", "1h", "2 hours", "3 hours", "3h", "1 day" → seconds. */
export function trendWindowSeconds(value: string | undefined): number {
  const v = (value ?? DEFAULT_FREQUENCY).trim().toLowerCase();
  const m = /^(\d+)\s*(m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days)$/.exec(v);
  const unit = m ? { m: 60, h: 3600, d: 86400 }[m[2][0] as 'm' | 'h' | 'd'] : 0;
  const seconds = m ? Number(m[1]) * unit : NaN;
  if (!ALLOWED_SECONDS.has(seconds)) {
    throw new JobFailure(`Invalid trend_discovery_frequency "${value}": use 30 minutes, 1 hour, 2 hours, 3 hours or 1 day`);
  }
  return seconds;
}

export class TrendingModel implements Model {
  readonly recipe = TRENDING_NOW_RECIPE;
  constructor(
    readonly windowSeconds: number,
    readonly windowEnd: number,
    readonly items: string[],
    readonly growth: Float64Array,
    readonly recent: Float64Array,
    readonly previous: Float64Array,
  ) {}

  recommend(q: RecommendQuery): Scored[] {
    const out: Scored[] = [];
    for (const item of this.items) {
      if (out.length >= q.k) break;
      if (!q.exclude?.has(item)) out.push({ item });
    }
    return out;
  }

  serialize(): Buffer {
    return writeArtifact(
      TRENDING_NOW_RECIPE,
      { windowSeconds: this.windowSeconds, windowEnd: this.windowEnd },
      { items: { json: this.items }, growth: this.growth, recent: this.recent, previous: this.previous },
    );
  }
}

export function trainTrending(data: TrainingData, windowSeconds: number): TrendingModel {
  const nItems = data.itemIds.length;
  const n = data.item.length;
  let end = -Infinity;
  for (let i = 0; i < n; i++) if (data.time[i] > end) end = data.time[i];
  const c1 = new Float64Array(nItems);
  const c0 = new Float64Array(nItems);
  for (let i = 0; i < n; i++) {
    const age = end - data.time[i];
    if (age < windowSeconds) c1[data.item[i]] += data.weight[i];
    else if (age < 2 * windowSeconds) c0[data.item[i]] += data.weight[i];
  }
  let sum1 = 0;
  let active = 0;
  for (let i = 0; i < nItems; i++) if (c1[i] > 0) ((sum1 += c1[i]), active++);
  const m = active ? Math.max(1, sum1 / active) : 1;
  const growth = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) if (c1[i] > c0[i]) growth[i] = (c1[i] - c0[i]) / (c0[i] + m);
  const pop = popularityRanking(data);
  const popRank = new Int32Array(nItems).fill(nItems);
  pop.order.forEach((item, r) => (popRank[item] = r));
  const idx = Array.from(pop.order);
  idx.sort((a, b) => growth[b] - growth[a] || c1[b] - c1[a] || popRank[a] - popRank[b]);
  return new TrendingModel(
    windowSeconds,
    n ? end : 0,
    idx.map((i) => data.itemIds[i]),
    Float64Array.from(idx, (i) => growth[i]),
    Float64Array.from(idx, (i) => c1[i]),
    Float64Array.from(idx, (i) => c0[i]),
  );
}

export const trendingNowTrainer: Trainer = {
  recipe: TRENDING_NOW_RECIPE,
  async train(data, hp, signal) {
    const window = trendWindowSeconds(hp.trend_discovery_frequency);
    throwIfAborted(signal);
    return trainTrending(data, window);
  },
  load(artifact) {
    const a = readArtifact(artifact, TRENDING_NOW_RECIPE);
    return new TrendingModel(
      Number(a.meta.windowSeconds),
      Number(a.meta.windowEnd),
      jsonSection<string[]>(a, 'items'),
      section(a, 'growth', Float64Array),
      section(a, 'recent', Float64Array),
      section(a, 'previous', Float64Array),
    );
  },
};
