// Picks the factor model's query-time parameters on its validation users (factor-input.ts), the
// way Personalize will score the model: each user's oldest 90 % folded in, the top 25 scored
// against the newest 10 % by NDCG@25. First the recency decay of the fold-in (seen items last),
// then whether seen items should come last at all (seen = −∞ or 0), then the temperature τ of the
// softmax: the one that maximises the mean log-probability of the held-out items. The factors
// themselves (k, α₀, λ) are fixed defaults, chosen on the large-catalog benchmark: a search over
// them would train ALS once per candidate.
import { scoreList } from '../metrics/ranking-metrics.ts';
import type { FactorCore, FactorParams } from './factor-core.ts';
import type { ValidationUser } from './factor-input.ts';
import { tick } from './params.ts';

export const FACTOR_PARAMS: FactorParams = { decay: 5, seen: -Infinity, temperature: 30 };
const MIN_USERS = 30;
const TEMPERATURE_USERS = 400;

export interface FactorTuning {
  params: FactorParams;
  users: number;
  ndcg25: number;
}

export function decays(recency: boolean): number[] {
  return recency ? [Infinity, 20, 10, 5, 3, 2] : [Infinity];
}

export async function tuneFactors(
  core: FactorCore,
  users: ValidationUser[],
  recency: boolean,
  signal?: AbortSignal,
): Promise<FactorTuning> {
  const start = { ...FACTOR_PARAMS, decay: recency ? FACTOR_PARAMS.decay : Infinity };
  if (users.length < MIN_USERS) {
    core.params = start;
    return { params: start, users: users.length, ndcg25: NaN };
  }
  const relevant = users.map((u) => new Set(Array.from(u.relevant, String)));
  const evaluate = async (p: FactorParams): Promise<number> => {
    core.params = p;
    let sum = 0;
    for (let x = 0; x < users.length; x++) {
      if (x % 64 === 0) await tick(signal);
      core.run(users[x].input);
      sum += scoreList(core.top(25).items.map(String), relevant[x]).ndcg25;
    }
    return sum / users.length;
  };
  let best = start;
  let bestValue = -Infinity;
  for (const decay of decays(recency)) {
    const p = { ...best, decay };
    const v = await evaluate(p);
    if (v > bestValue + 1e-4) ((best = p), (bestValue = v));
  }
  const repeats = { ...best, seen: 0 };
  const v = await evaluate(repeats);
  if (v > bestValue + 1e-4) ((best = repeats), (bestValue = v));

  // τ: the mean log-probability of the held-out items under the softmax over the catalog.
  const taus = [1, 3, 10, 30, 100, 300, 1000];
  const lik = new Float64Array(taus.length);
  let n = 0;
  for (const u of users.slice(0, TEMPERATURE_USERS)) {
    core.params = best;
    core.run(u.input);
    const f = Array.from(u.relevant, (j) => core.final(j));
    taus.forEach((tau, t) => {
      core.params = { ...best, temperature: tau };
      const logZ = core.logPartition();
      for (const fj of f) lik[t] += Math.max(fj === -Infinity ? -Infinity : tau * fj - logZ, -50);
    });
    n += f.length;
  }
  let temperature = best.temperature;
  if (n > 0) temperature = taus[lik.indexOf(Math.max(...lik))];
  best = { ...best, temperature };
  core.params = best;
  return { params: best, users: users.length, ndcg25: bestValue };
}
