// Item exploration of User-Personalization and User-Personalization-v2 (training-rules.md §1.4
// rules 14-15, rule 121): how many of a list's places go to young, little-known items and which
// items take them. Pure functions of an item pool (item-pool.ts), the campaign's (or, later, the
// batch job's) itemExplorationConfig and a seeded random source, so a campaign and a batch job
// explore the same way.
//
// The method [INF: AWS publishes none beyond "the closer to 1, the more exploration ... items with
// less item interactions data or relevance"]:
//  * candidates: the pool's items whose age is at most explorationItemAgeCutOff days, an item's age
//    being the latest interaction across all items (the pool's refTime) minus its
//    CREATION_TIMESTAMP, else minus its first interaction (rule 15); an item with neither (put
//    through PutItems, never interacted with) is new, age 0;
//  * places: round(explorationWeight × places not taken by a promotion), so 0 explores nothing and
//    1 fills the whole list with exploration;
//  * choice: candidates are drawn one by one, each with probability proportional to 1 / (1 + n)²
//    where n is its interactions — an item without interactions is 4 times as likely as one with
//    a single interaction and 100 times as likely as one with nine — skipping items the request's
//    filter drops, items already in the list and the user's own history (a bounded number of
//    draws, so a filter that leaves few candidates gives fewer explored items);
//  * placement: the explored items replace the list's last ordinary items (user-lists.ts places
//    them by their score).
// The random source is seeded from the request (seededRandom): the same request against the same
// data and pool gets the same answer, and a new event of the user or a new pool changes the draw.
import type { ItemPool } from './item-pool.ts';

export const DEFAULT_EXPLORATION_WEIGHT = 0.3;
export const DEFAULT_EXPLORATION_ITEM_AGE_CUT_OFF_DAYS = 30;

/** The recipes whose campaigns and batch jobs explore (rule 63: itemExplorationConfig is theirs). */
export const EXPLORING_RECIPES: ReadonlySet<string> = new Set(['aws-user-personalization', 'aws-user-personalization-v2']);

export interface ExplorationConfig {
  /** explorationWeight, 0.0-1.0. */
  weight: number;
  /** explorationItemAgeCutOff, days. */
  ageCutOffDays: number;
}

const DAY_SECONDS = 24 * 60 * 60;

/** The configuration a campaign's itemExplorationConfig gives (validated by CreateCampaign/UpdateCampaign); omitted keys take their defaults. */
export function explorationConfigOf(map: Readonly<Record<string, string>> | undefined): ExplorationConfig {
  const number = (v: string | undefined, fallback: number) => (v === undefined || !Number.isFinite(Number(v)) ? fallback : Number(v));
  return {
    weight: Math.min(1, Math.max(0, number(map?.explorationWeight, DEFAULT_EXPLORATION_WEIGHT))),
    ageCutOffDays: Math.max(0, number(map?.explorationItemAgeCutOff, DEFAULT_EXPLORATION_ITEM_AGE_CUT_OFF_DAYS)),
  };
}

/** How many of `places` places exploration takes. */
export function explorationPlaces(weight: number, places: number): number {
  return Math.max(0, Math.min(places, Math.round(weight * places)));
}

/** A random source in [0, 1) seeded by a string (FNV-1a hash, then mulberry32). */
export function seededRandom(seed: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The exploration candidates of a pool under one age cut-off, with their cumulative draw weights. */
export interface Candidates {
  /** Pool indexes of the candidates. */
  items: Int32Array;
  /** cumulative[c] = the sum of the weights of candidates 0..c. */
  cumulative: Float64Array;
}

const byCutOff = new WeakMap<ItemPool, Map<number, Candidates>>();

/** The pool's candidates for an age cut-off (cached per pool and cut-off: pools are immutable). */
export function candidatesOf(pool: ItemPool, ageCutOffDays: number): Candidates {
  let cached = byCutOff.get(pool);
  if (!cached) byCutOff.set(pool, (cached = new Map()));
  const known = cached.get(ageCutOffDays);
  if (known) return known;
  const limit = ageCutOffDays * DAY_SECONDS;
  const items: number[] = [];
  const weights: number[] = [];
  for (let j = 0; j < pool.ids.length; j++) {
    const born = pool.born[j];
    const age = Number.isNaN(born) ? 0 : pool.refTime - born;
    if (age > limit) continue;
    items.push(j);
    weights.push(1 / (1 + pool.counts[j]) ** 2);
  }
  const cumulative = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, c) => (cumulative[c] = sum += w));
  const candidates = { items: Int32Array.from(items), cumulative };
  // A handful of cut-offs per pool at most (one per campaign deploying the version).
  if (cached.size >= 16) cached.clear();
  cached.set(ageCutOffDays, candidates);
  return candidates;
}

/**
 * Up to `count` candidates drawn as the header says, in draw order; `accept` drops an item (the
 * request's filter, items already placed, the user's history).
 */
export function drawExplored(
  pool: ItemPool,
  candidates: Candidates,
  count: number,
  accept: (itemId: string) => boolean,
  random: () => number,
): string[] {
  const n = candidates.items.length;
  if (count <= 0 || n === 0) return [];
  const total = candidates.cumulative[n - 1];
  const out: string[] = [];
  const tried = new Set<number>();
  const maxDraws = 64 + 16 * count;
  for (let draw = 0; draw < maxDraws && out.length < count && tried.size < n; draw++) {
    const x = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (candidates.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    if (tried.has(lo)) continue;
    tried.add(lo);
    const id = pool.ids[candidates.items[lo]];
    if (accept(id)) out.push(id);
  }
  return out;
}
