// The user model for large catalogs: implicit ALS item factors (als.ts), an inverted-file index
// over them (item-index.ts), and query-time parameters tuned on validation users
// (factor-tuning.ts); scored by factor-core.ts inside a UserModel (user-model.ts).
//
// Why above a catalog size (user-personalization.ts has the threshold and its measurements): the
// item graph keeps `neighbours` entries per item, so its memory and artifact grow with the
// catalog past what a service can hold (its artifact passes 2 GiB at 5 M items); the factors
// cost k floats per item and per user, and fold in any history at request time.
//
// Defaults, from bench/training/large-catalog-bench.ts: k = 64 up to 1 M items, 32 above (ALS's
// cost grows with k²: k = 64 ranked 5 % better at 200k items for twice the time); α₀ = 0.01,
// λ = 0.01 (best of α₀ ∈ {0.001, 0.0025, 0.01, 0.03, 0.1}, λ ∈ {0.001, 0.003, 0.01, 0.03, 0.1}
// at 50k and 200k items), 3 CG steps, 6 iterations (3 for a refit, warm-started from the base
// model's item factors). Recency: the fold-in's decay does it (tuned); training confidences
// w·(1 + exp(−r/20))/2 for a user's r-th newest item measured neutral (a faster decay, 5, cost
// 12 % of NDCG), so they stay mild. Worker threads (two on this machine kind) from WORKER_MIN
// interactions.
import { availableParallelism } from 'node:os';
import type { TrainingData } from '../trainer.ts';
import { regularizationPrior } from './als-kernels.ts';
import { trainAls } from './als.ts';
import type { HistoryBounds } from './common.ts';
import { FactorCore, type FactorParams, type FactorSpec } from './factor-core.ts';
import { factorInput } from './factor-input.ts';
import { FACTOR_PARAMS, tuneFactors, type FactorTuning } from './factor-tuning.ts';
import { buildItemIndex } from './item-index.ts';
import { UserModel } from './user-model.ts';

export interface FactorOptions {
  recency: boolean;
  bounds: HistoryBounds;
  /** Newest distinct items per user that enter the training. */
  cap: number;
  /** Skip the tuning and use these parameters (refit, tests). */
  params?: FactorParams;
  /** Overrides of the defaults (tests, benchmarks). */
  k?: number;
  iterations?: number;
  alpha0?: number;
  lambda?: number;
  threads?: number;
  listSize?: number;
  probe?: number;
  head?: number;
}

const WORKER_MIN = 200_000;
const VALIDATION_USERS = 1000;
const VALIDATION_SEED = 0x5eed;
const TRAIN_DECAY = 20;
const REFIT_ITERATIONS = 3;

/** The last training's tuning outcome, for benchmarks and logs (not part of the model). */
export let lastFactorTuning: FactorTuning | undefined;

/**
 * Index list size and probe for n items: lists of ~2√n items (at most 2,048), 8 lists' worth of
 * items probed (recall@25 against a full scan: 0.996 with 4 lists, 1.0 with 8 at 200k items).
 */
export function indexSizes(n: number): { listSize: number; probe: number; head: number } {
  const listSize = Math.max(32, Math.min(2048, Math.round(2 * Math.sqrt(n))));
  return { listSize, probe: Math.min(n, 8 * listSize), head: Math.min(n, 1000) };
}

/** The base model's item factors in this training's numbering (new items: small random values). */
function warmStart(base: UserModel, itemIds: string[], order: Int32Array, k: number): Float32Array | undefined {
  const core = base.core;
  if (core.kind !== 'factors' || core.spec.k !== k) return undefined;
  const at = new Map(base.itemIds.map((id, j) => [id, j]));
  const y = new Float32Array(order.length * k);
  let seed = 1;
  for (let j = 0; j < order.length; j++) {
    const from = at.get(itemIds[order[j]]);
    if (from !== undefined) y.set(core.y.subarray(from * k, from * k + k), j * k);
    else for (let a = 0; a < k; a++) y[j * k + a] = (((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.2) / Math.sqrt(k);
  }
  return y;
}

export async function trainFactorModel(
  recipe: string,
  data: TrainingData,
  o: FactorOptions,
  signal?: AbortSignal,
  base?: UserModel,
): Promise<UserModel> {
  const nItems = data.itemIds.length;
  const k = o.k ?? (nItems > 1_000_000 ? 32 : 64);
  const alpha0 = o.alpha0 ?? 0.01;
  const lambda = o.lambda ?? 0.01;
  const input = factorInput(data, {
    bounds: o.bounds,
    cap: o.cap,
    validation: o.params ? 0 : Math.min(VALIDATION_USERS, Math.round(0.1 * data.userIds.length)),
    seed: VALIDATION_SEED,
    trainDecay: o.recency ? TRAIN_DECAY : Infinity,
  });
  const init = base ? warmStart(base, data.itemIds, input.order, k) : undefined;
  const threads = o.threads ?? (input.als.item.length >= WORKER_MIN ? Math.min(2, availableParallelism()) : 1);
  const als = await trainAls(
    input.als,
    {
      k,
      iterations: o.iterations ?? (init ? REFIT_ITERATIONS : 6),
      alpha0,
      lambda,
      cgSteps: 3,
      threads,
      seed: 1,
    },
    init,
    signal,
  );
  const sizes = indexSizes(nItems);
  const spec: FactorSpec = {
    k,
    alpha0,
    lambda,
    prior: regularizationPrior(alpha0, nItems),
    head: o.head ?? sizes.head,
    probe: Math.min(nItems, o.probe ?? sizes.probe),
  };
  const index = await buildItemIndex(als.items, k, o.listSize ?? sizes.listSize, 7, signal);
  // The model's numbering: list by list (see factor-core.ts); input.order maps the popularity
  // numbering of the training to the data's items.
  const y = new Float32Array(nItems * k);
  const modelOf = new Int32Array(nItems);
  index.members.forEach((j, e) => {
    y.set(als.items.subarray(j * k, j * k + k), e * k);
    modelOf[j] = e;
  });
  let params = o.params ?? { ...FACTOR_PARAMS };
  if (!o.recency) params = { ...params, decay: Infinity };
  const core = new FactorCore(spec, params, y, als.itemGram, index, modelOf);
  const validation = input.validation.map((v) => ({
    input: v.input.map((j) => modelOf[j]),
    relevant: new Set(Array.from(v.relevant, (j) => modelOf[j])),
  }));
  if (!o.params) {
    lastFactorTuning = await tuneFactors(core, validation, o.recency, signal);
  }
  return new UserModel(
    recipe,
    Array.from(index.members, (j) => data.itemIds[input.order[j]]),
    core,
  );
}
