// Trainers of aws-user-personalization(-v2) and aws-personalized-ranking(-v2): one model family
// (user-model.ts), tuned per dataset on held-out users (user-tuning.ts).
//
// Why this model. The bar is NDCG@25 on AWS's temporal holdout (each test user's newest 10 %)
// against EASE (Steck 2019) on catalogs up to ~20k items. EASE needs an items³ inverse: plain
// TypeScript runs ~1 GFLOP/s here, so 10k items would take ~19 minutes, and iALS-CG in TypeScript
// costs ~10 s per iteration at 64 factors on 1.8 M interactions (recsys-notes §2). An RP3beta item
// graph costs one co-occurrence pass (seconds), scales linearly with users, and, queried with
// recency weights and tuned on held-out users, matched or beat numpy EASE on every synthetic split
// we measured (bench/training/quality-bench.ts), with or without drifting users.
//
// Hyperparameters (training-rules §1.4). v1: `hidden_dimension` [32, 256] and `bptt` [2, 32] are
// range-checked but have no counterpart in this model; `recency_mask` (default true) turns the
// recency weighting on; `min_user_history_length_percentile` (0.0) drops users with shorter
// histories, `max_user_history_length_percentile` (0.99) keeps only the newest events of longer
// ones. v2: `apply_recency_bias` (default true) plays recency_mask's role. Exploration
// (`exploration_weight`, `exploration_item_age_cut_off`) is campaign configuration: serving's.
import type { Model, Trainer, TrainingData } from '../trainer.ts';
import type { FactorOptions } from './factor-model.ts';
import { histories } from './common.ts';
import { distinctPairs, rp3betaGraphs } from './item-graph.ts';
import { metadataGraph, mixGraphs } from './metadata-graph.ts';
import { trainFactorModel } from './factor-model.ts';
import { boolParam, floatParam, intParam, type HyperParameters } from './params.ts';
import { GraphCore, UserModel, type ScoringParams } from './user-model.ts';
import { DEFAULTS, popularity, tune, type GraphOptions, type TuningReport } from './user-tuning.ts';

export const USER_RECIPES = [
  'aws-user-personalization',
  'aws-user-personalization-v2',
  'aws-personalized-ranking',
  'aws-personalized-ranking-v2',
] as const;

const NEIGHBOURS = 100;
const ALPHA = 0.5;
const CAP = 300;
/**
 * Catalogs with more items than this get the factor model (factor-model.ts) instead of the item
 * graph. Measured (bench/training/large-catalog-bench.ts, README: Speed): the graph ranks best up
 * to 1 M items (NDCG@25 0.0875 against the factors' 0.066 at 1 M, level at 20k and 200k) but keeps
 * 100 neighbours per item: 2.1 GB peak RSS and a 446 MB artifact at 1 M items, twice that at 2 M,
 * and at 5 M items its artifact passes 2 GiB. The factors cost k floats per item (1.3 GB peak at
 * 1 M items) and scale to the 5 M items of the v2 recipes.
 */
export const LARGE_CATALOG_ITEMS = 1_000_000;

export interface UserTrainingOptions {
  recency: boolean;
  graph: GraphOptions;
  /** Skip the search and use these parameters (tests, benchmarks). */
  params?: ScoringParams;
  /** The threshold above which the factor model trains (default LARGE_CATALOG_ITEMS; tests lower it). */
  largeCatalogItems?: number;
  /** Options of the factor model (tests, benchmarks). */
  factors?: Partial<FactorOptions>;
}

export function userOptions(recipe: string, hp: HyperParameters): UserTrainingOptions {
  const v2 = recipe.endsWith('-v2');
  let recency: boolean;
  let bounds = { minPercentile: 0, maxPercentile: 0.99 };
  if (v2) recency = boolParam(hp, 'apply_recency_bias', true);
  else {
    intParam(hp, 'hidden_dimension', 149, 32, 256);
    intParam(hp, 'bptt', 32, 2, 32);
    recency = boolParam(hp, 'recency_mask', true);
    bounds = {
      minPercentile: floatParam(hp, 'min_user_history_length_percentile', 0, 0, 1),
      maxPercentile: floatParam(hp, 'max_user_history_length_percentile', 0.99, 0, 1),
    };
  }
  return { recency, graph: { alpha: ALPHA, neighbours: NEIGHBOURS, cap: CAP, bounds } };
}

/** The last training's tuning outcome, for benchmarks and logs (not part of the model). */
export let lastTuning: TuningReport | undefined;

export async function trainUserModel(recipe: string, data: TrainingData, o: UserTrainingOptions, signal?: AbortSignal): Promise<UserModel> {
  if (data.itemIds.length > (o.largeCatalogItems ?? LARGE_CATALOG_ITEMS)) {
    return trainFactorModel(recipe, data, { recency: o.recency, bounds: o.graph.bounds, cap: o.graph.cap, ...o.factors }, signal);
  }
  // The Items metadata's graph, mixed into the item graph by the tuned share η (metadata-graph.ts).
  const metadata = !o.params || (o.params.metadata ?? 0) > 0 ? await metadataGraph(data, signal) : undefined;
  let params = o.params;
  if (!params) {
    lastTuning = await tune(data, o.graph, o.recency, signal, metadata);
    params = lastTuning.params;
  }
  if (!o.recency) params = { ...params, decay: Infinity };
  const pairs = distinctPairs(histories(data, o.graph.bounds), data.itemIds.length, o.graph.cap);
  const [cooccurrence] = await rp3betaGraphs(pairs, o.graph.alpha, [params.beta], o.graph.neighbours, signal);
  const graph = mixGraphs(cooccurrence, metadata, params.metadata ?? 0);
  const { pop, popular } = popularity(pairs);
  return new UserModel(recipe, data.itemIds.slice(), new GraphCore(graph, pop, popular, params, o.graph.alpha));
}

/**
 * The refit (Trainer.refit): the graph pass on `data` with the base model's ScoringParams, no search.
 *
 * This is trainingMode UPDATE ("updates the model to consider new items for recommendations. It is
 * not a full retraining", training-rules rule 45). What a full training learns beyond the data is
 * the tuned ScoringParams (β, decay, seen, popularity, temperature: the costly search over held-out
 * users); the graph itself is a deterministic function of the interactions. So an update keeps the
 * parameters and re-runs the one graph pass on the current data: the new items get their rows and
 * appear in the other items' rows, at the cost of one co-occurrence pass (about a tenth of a full
 * training). Recomputing only the rows that touch new items was the alternative, and a worse one:
 * every new interaction changes the degree normalisations d_u^α and n_j^β of RP3beta, so old rows
 * would keep stale weights beside fresh ones, and finding the rows to redo already costs most of
 * the co-occurrence pass.
 */
export async function refitUserModel(
  recipe: string,
  base: Model,
  data: TrainingData,
  hp: HyperParameters,
  signal?: AbortSignal,
): Promise<UserModel> {
  if (!(base instanceof UserModel)) throw new Error(`Internal error: cannot refit a ${recipe} model from a ${base.recipe} model`);
  const o = userOptions(recipe, hp);
  // A refit keeps the base's kind of core, whatever the catalog's size now.
  if (base.core.kind === 'factors') {
    const { k, alpha0, lambda, probe, head } = base.core.spec;
    const factors = {
      recency: o.recency,
      bounds: o.graph.bounds,
      cap: o.graph.cap,
      params: base.core.params,
      k,
      alpha0,
      lambda,
      probe,
      head,
    };
    return trainFactorModel(recipe, data, factors, signal, base);
  }
  return trainUserModel(recipe, data, { ...o, params: base.core.params, largeCatalogItems: Infinity }, signal);
}

function userTrainer(recipe: string): Trainer {
  return {
    recipe,
    // async, so that a bad hyperparameter rejects the promise rather than throwing at the call.
    // The contextual columns' counts go with the model: a request's context uses them (context.ts).
    train: async (data, hp, signal): Promise<Model> =>
      (await trainUserModel(recipe, data, userOptions(recipe, hp), signal)).withContext(data.context, data.itemIds),
    load: (artifact) => UserModel.load(artifact, recipe),
    refit: async (base, data, hp, signal) => (await refitUserModel(recipe, base, data, hp, signal)).withContext(data.context, data.itemIds),
  };
}

export const userPersonalizationTrainer = userTrainer('aws-user-personalization');
export const userPersonalizationV2Trainer = userTrainer('aws-user-personalization-v2');
export const personalizedRankingTrainer = userTrainer('aws-personalized-ranking');
export const personalizedRankingV2Trainer = userTrainer('aws-personalized-ranking-v2');
export { DEFAULTS as USER_MODEL_DEFAULTS };
