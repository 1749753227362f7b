// Picks the user model's parameters on held-out users, the way Personalize will score the model:
// the training users are split again with evaluationSplit (10 % of them give their oldest 90 % as
// input and their newest 10 % as truth), the graph is built on the rest for every β of the grid
// in one pass, and a coordinate search (two rounds over β, decay, seen, popularity) maximises
// NDCG@25 averaged over up to MAX_FOLDS such splits (different seeds), until about TARGET_USERS
// held-out users take part: one split of a few hundred users is too noisy to choose β. The temperature τ of the softmax scores is then the one that
// maximises the mean log-probability of the held-out items. With fewer than MIN_USERS held-out
// users the defaults stand.
import { evaluationSplit } from '../metrics/offline-metrics.ts';
import { scoreList } from '../metrics/ranking-metrics.ts';
import type { TrainingData } from '../trainer.ts';
import { histories, indexOf, type HistoryBounds } from './common.ts';
import { distinctPairs, rp3betaGraphs, type ItemGraph, type Pairs } from './item-graph.ts';
import { METADATA_MIX, mixGraphs } from './metadata-graph.ts';
import { tick } from './params.ts';
import { Scorer, type RunState, type ScoringParams } from './user-model.ts';

const VALIDATION_SEED = 0x5eed;
const TARGET_USERS = 3000;
const MAX_FOLDS = 3;
const MIN_USERS = 30;
/** Held-out users per fold that choose the temperature (a smooth criterion needs fewer). */
const TEMPERATURE_USERS = 400;
/** Graph entries (items × neighbours × β values × folds) the search may hold at once. */
const ENTRY_BUDGET = 60_000_000;

export interface GraphOptions {
  alpha: number;
  neighbours: number;
  /** Newest distinct items per user that enter the graph. */
  cap: number;
  bounds: HistoryBounds;
}

export interface Space {
  beta: number[];
  decay: number[];
  seen: number[];
  popularity: number[];
  temperature: number[];
}

export const DEFAULTS: ScoringParams = { beta: 0.4, decay: 10, seen: -Infinity, popularity: 0.1, temperature: 300 };

export function space(recency: boolean): Space {
  return {
    beta: [0.2, 0.3, 0.4, 0.5, 0.6],
    decay: recency ? [Infinity, 40, 20, 10, 5, 3, 2] : [Infinity],
    seen: [-Infinity, 0, 0.1, 0.3, 1, 3],
    popularity: [0, 0.1, 0.3, 1],
    temperature: [10, 30, 100, 300, 1000, 3000, 10000],
  };
}

/** Each item's share of the interaction mass and the popularity order, from the pairs. */
export function popularity(p: Pairs): { pop: Float32Array; popular: Int32Array } {
  const mass = p.itemMass;
  let sum = 0;
  for (const m of mass) sum += m;
  const pop = Float32Array.from(mass, (m) => (sum > 0 ? m / sum : 0));
  const popular = Int32Array.from(mass.keys()).sort((a, b) => mass[b] - mass[a] || a - b);
  return { pop, popular };
}

export interface TuningReport {
  params: ScoringParams;
  users: number;
  ndcg25: number;
  evaluations: number;
}

interface Fold {
  tests: { input: number[]; relevant: Set<string>; run?: { key: string; state: RunState } }[];
  scorers: Scorer[];
  graphs: ItemGraph[];
  pop: Float32Array;
  popular: Int32Array;
}

/** Touched entries the run cache may hold over all held-out users. */
const RUN_CACHE_BUDGET = 20_000_000;

export async function tune(
  data: TrainingData,
  g: GraphOptions,
  recency: boolean,
  signal?: AbortSignal,
  /** The Items metadata's graph (metadata-graph.ts): its share η is tuned too. */
  metadata?: ItemGraph,
): Promise<TuningReport> {
  const start: ScoringParams = { ...DEFAULTS, decay: recency ? DEFAULTS.decay : Infinity };
  const s = space(recency);
  const nItems = data.itemIds.length;
  const index = indexOf(data.itemIds);
  // Large catalogs: fewer β values, then fewer folds, to stay within the memory budget.
  while (s.beta.length > 1 && nItems * g.neighbours * s.beta.length > ENTRY_BUDGET) s.beta = s.beta.filter((_, i) => i % 2 === 0);
  const folds: Fold[] = [];
  let users = 0;
  for (let f = 0; f < MAX_FOLDS && users < TARGET_USERS; f++) {
    if (folds.length && nItems * g.neighbours * s.beta.length * (folds.length + 1) > ENTRY_BUDGET) break;
    const split = evaluationSplit(data, VALIDATION_SEED + f);
    const tests = split.tests
      .slice(0, TARGET_USERS - users)
      .map((t) => ({ input: t.input.map((id) => index.get(id) ?? -1), relevant: t.relevant }));
    if (tests.length === 0) break;
    const pairs = distinctPairs(histories(split.train, g.bounds), nItems, g.cap);
    const graphs = await rp3betaGraphs(pairs, g.alpha, s.beta, g.neighbours, signal);
    const { pop, popular } = popularity(pairs);
    folds.push({ tests, scorers: graphs.map((graph) => new Scorer(graph, pop, popular)), graphs, pop, popular });
    users += tests.length;
  }
  if (users < MIN_USERS) return { params: start, users, ndcg25: NaN, evaluations: 0 };
  const cache = new Map<string, number>();
  let cached = 0;
  /** run() for a held-out user, or its saved outcome when only seen / popularity / temperature changed. */
  const runFor = (scorer: Scorer, t: Fold['tests'][number], p: ScoringParams) => {
    const key = `${p.beta}/${p.decay}`;
    if (t.run?.key === key) return scorer.restore(t.run.state);
    scorer.run(t.input, p);
    const had = t.run ? t.run.state.buffer.length : 0;
    if (cached - had + scorer.nTouched <= RUN_CACHE_BUDGET) {
      const state = scorer.save(t.run?.state);
      cached += state.buffer.length - had;
      t.run = { key, state };
    }
  };

  const evaluate = async (p: ScoringParams): Promise<number> => {
    const key = `${p.beta}/${p.decay}/${p.seen}/${p.popularity}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    await tick(signal);
    let sum = 0;
    for (const fold of folds) {
      const scorer = fold.scorers[s.beta.indexOf(p.beta)];
      for (const t of fold.tests) {
        runFor(scorer, t, p);
        const top = scorer.top(25, p).items.map((j) => data.itemIds[j]);
        sum += scoreList(top, t.relevant).ndcg25;
      }
    }
    const v = sum / users;
    cache.set(key, v);
    return v;
  };

  let best = start.beta === undefined || s.beta.includes(start.beta) ? start : { ...start, beta: s.beta[0] };
  let bestValue = await evaluate(best);
  // Round 2 re-sweeps β and decay only if round 1 moved seen or popularity away from the start.
  for (let round = 0; round < 2; round++) {
    if (round === 1 && best.seen === start.seen && best.popularity === start.popularity) break;
    for (const dim of round === 0 ? (['beta', 'decay', 'seen', 'popularity'] as const) : (['beta', 'decay'] as const)) {
      for (const value of s[dim]) {
        const p = { ...best, [dim]: value };
        const v = await evaluate(p);
        if (v > bestValue + 1e-4) ((best = p), (bestValue = v));
      }
    }
  }

  // The metadata graph's share, with the parameters chosen: kept only when it scores better.
  if (metadata) {
    const b = s.beta.indexOf(best.beta);
    let bestEta = 0;
    for (const eta of METADATA_MIX) {
      await tick(signal);
      let sum = 0;
      for (const fold of folds) {
        const scorer = new Scorer(mixGraphs(fold.graphs[b], metadata, eta), fold.pop, fold.popular);
        for (const t of fold.tests) {
          scorer.run(t.input, best);
          sum += scoreList(
            scorer.top(25, best).items.map((j) => data.itemIds[j]),
            t.relevant,
          ).ndcg25;
        }
      }
      // A clear gain only (3 %): the held-out users that choose η are few (gains of 1-2 % there
      // turned into small losses on AWS's holdout), and a graph without the metadata is the safer default.
      if (sum / users > Math.max(bestValue * 1.03, bestValue + 1e-4)) ((bestValue = sum / users), (bestEta = eta));
    }
    if (bestEta > 0) {
      best = { ...best, metadata: bestEta };
      for (const fold of folds) {
        fold.scorers[b] = new Scorer(mixGraphs(fold.graphs[b], metadata, bestEta), fold.pop, fold.popular);
        for (const t of fold.tests) t.run = undefined;
      }
    }
  }

  // The temperature: maximise the mean log-probability of the held-out items.
  let bestLik = -Infinity;
  let temperature = best.temperature;
  for (const tau of s.temperature) {
    const p = { ...best, temperature: tau };
    let lik = 0;
    let n = 0;
    for (const fold of folds) {
      const scorer = fold.scorers[s.beta.indexOf(p.beta)];
      for (const t of fold.tests.slice(0, TEMPERATURE_USERS)) {
        runFor(scorer, t, p);
        const logZ = scorer.logPartition(p);
        for (const id of t.relevant) {
          const j = index.get(id);
          if (j === undefined) continue;
          const f = scorer.final(j, p);
          // A demoted (seen) held-out item has probability 0; count it at a floor instead of −∞.
          lik += Math.max(f === -Infinity ? -Infinity : tau * f - logZ, -50);
          n++;
        }
      }
    }
    if (n && lik / n > bestLik) ((bestLik = lik / n), (temperature = tau));
  }
  return { params: { ...best, temperature }, users, ndcg25: bestValue, evaluations: cache.size };
}
