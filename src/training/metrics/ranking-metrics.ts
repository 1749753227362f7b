// The formulas of AWS's offline metrics (training-rules §4 rule 58), on plain lists, so that the
// offline evaluation and the benchmarks (which score lists from another implementation) share them.
//   precision_at_K  = relevant items in the top K / K (K even when fewer items are relevant)
//   NDCG_at_K       = Σ_{hits at position p ≤ K} 1/log(1+p)  /  Σ_{p=1..min(|relevant|,K)} 1/log(1+p)
//   MRR_at_25       = 1 / position of the first relevant item in the top 25, 0 if none
//   coverage        = distinct recommended items / distinct items in the datasets
// each averaged over the test users with a non-empty relevant set, rounded to 4 decimals, and
// returned in the lexicographic key order AWS returns them in (rule 56).

export const METRIC_NAMES = [
  'coverage',
  'mean_reciprocal_rank_at_25',
  'normalized_discounted_cumulative_gain_at_10',
  'normalized_discounted_cumulative_gain_at_25',
  'normalized_discounted_cumulative_gain_at_5',
  'precision_at_10',
  'precision_at_25',
  'precision_at_5',
] as const;

/** Per-list figures before averaging. */
export interface ListScores {
  ndcg5: number;
  ndcg10: number;
  ndcg25: number;
  p5: number;
  p10: number;
  p25: number;
  rr25: number;
}

/** 1 / log2(1 + p) for positions p = 1.. (the log base cancels in NDCG). */
function gain(p: number): number {
  return 1 / Math.log2(1 + p);
}

function ndcg(recommended: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  let dcg = 0;
  const n = Math.min(k, recommended.length);
  for (let p = 1; p <= n; p++) if (relevant.has(recommended[p - 1])) dcg += gain(p);
  let idcg = 0;
  for (let p = 1; p <= Math.min(relevant.size, k); p++) idcg += gain(p);
  return idcg > 0 ? dcg / idcg : 0;
}

function precision(recommended: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  let hits = 0;
  for (let p = 0; p < Math.min(k, recommended.length); p++) if (relevant.has(recommended[p])) hits++;
  return hits / k;
}

/** Scores one recommendation list (best first; duplicates count once) against the relevant set. */
export function scoreList(recommended: readonly string[], relevant: ReadonlySet<string>): ListScores {
  const list = [...new Set(recommended)];
  let rr25 = 0;
  for (let p = 1; p <= Math.min(25, list.length); p++) {
    if (relevant.has(list[p - 1])) {
      rr25 = 1 / p;
      break;
    }
  }
  return {
    ndcg5: ndcg(list, relevant, 5),
    ndcg10: ndcg(list, relevant, 10),
    ndcg25: ndcg(list, relevant, 25),
    p5: precision(list, relevant, 5),
    p10: precision(list, relevant, 10),
    p25: precision(list, relevant, 25),
    rr25,
  };
}

export function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/**
 * The eight metrics for lists[u] against relevant[u]; pairs with an empty relevant set are
 * skipped. `catalogSize` is the number of distinct items in the datasets (coverage's denominator).
 */
export function rankingMetrics(
  lists: readonly (readonly string[])[],
  relevant: readonly ReadonlySet<string>[],
  catalogSize: number,
): Record<(typeof METRIC_NAMES)[number], number> {
  const sum: ListScores = { ndcg5: 0, ndcg10: 0, ndcg25: 0, p5: 0, p10: 0, p25: 0, rr25: 0 };
  const recommended = new Set<string>();
  let n = 0;
  for (let u = 0; u < lists.length; u++) {
    for (const item of lists[u].slice(0, 25)) recommended.add(item);
    if (relevant[u].size === 0) continue;
    const s = scoreList(lists[u], relevant[u]);
    for (const k of Object.keys(sum) as (keyof ListScores)[]) sum[k] += s[k];
    n++;
  }
  const avg = (x: number) => (n ? round4(x / n) : 0);
  return {
    coverage: catalogSize ? round4(recommended.size / catalogSize) : 0,
    mean_reciprocal_rank_at_25: avg(sum.rr25),
    normalized_discounted_cumulative_gain_at_10: avg(sum.ndcg10),
    normalized_discounted_cumulative_gain_at_25: avg(sum.ndcg25),
    normalized_discounted_cumulative_gain_at_5: avg(sum.ndcg5),
    precision_at_10: avg(sum.p10),
    precision_at_25: avg(sum.p25),
    precision_at_5: avg(sum.p5),
  };
}
