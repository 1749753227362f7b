// Hyperparameter optimization (performHPO, training-rules.md rule 37) for the training job: a
// bounded grid search that scores each candidate with the offline metrics (metrics/offline-
// metrics.ts, the same holdout GetSolutionMetrics reports) and keeps the best. [INF] choices:
//  * the searched hyperparameters are the ranges of hpoConfig.algorithmHyperParameterRanges, or,
//    without ranges (the SIMS sample sends only hpoResourceConfig), every tunable hyperparameter of
//    the recipe over its documented range; hyperparameters set in algorithmHyperParameters and not
//    searched keep their values;
//  * grid points: an integer or continuous range gives its minimum, middle and maximum, a
//    categorical one its values; the first candidate is the solution's own (or default) setting, so
//    HPO never reports worse figures than training without it;
//  * at most maxNumberOfTrainingJobs candidates (default 40); maxParallelTrainingJobs is accepted
//    but candidates run one after the other (a job has its cores);
//  * the objective (hpoObjective cannot be configured, rule 32) is
//    normalized_discounted_cumulative_gain_at_25, ties kept by the earlier candidate; segmentation
//    recipes use hits_at_1_percent.
import type { HPOConfig } from '../api/personalize-types.ts';
import { evaluateModel } from './metrics/offline-metrics.ts';
import {
  canonicalHyperParameterName,
  DEFAULT_RESOURCE_CONFIG,
  hyperParametersOf,
  type HyperParameterSpec,
} from './recipes/recipe-catalog.ts';
import type { Model, Trainer, TrainingData } from './trainer.ts';

export interface HpoResult {
  /** The hyperparameters to train the final model with (all of them, as given to the trainer). */
  hyperParameters: Record<string, string>;
  /** The offline metrics of that choice. */
  metrics: Record<string, number>;
  /** Its model of the holdout's training users (see evaluateModel). */
  model?: Model;
  candidates: number;
}

interface Dimension {
  name: string;
  values: string[];
}

const middle = (lo: number, hi: number, integer: boolean) => (integer ? Math.round((lo + hi) / 2) : (lo + hi) / 2);

function points(spec: HyperParameterSpec, lo: number | undefined, hi: number | undefined): string[] {
  const min = lo ?? spec.min;
  const max = hi ?? spec.max;
  if (min === undefined || max === undefined) return [spec.default];
  const integer = spec.kind === 'integer';
  return [...new Set([min, middle(min, max, integer), max].map(String))];
}

/** The searched hyperparameters and their grid points. */
export function searchSpace(recipeArn: string, hpo: HPOConfig | undefined): Dimension[] {
  const specs = hyperParametersOf(recipeArn).filter((s) => s.tunable);
  const ranges = hpo?.algorithmHyperParameterRanges;
  const given = [
    ...(ranges?.integerHyperParameterRanges ?? []),
    ...(ranges?.continuousHyperParameterRanges ?? []),
    ...(ranges?.categoricalHyperParameterRanges ?? []),
  ];
  if (given.length === 0)
    return specs.map((s) => ({ name: s.name, values: s.kind === 'categorical' ? [...(s.values ?? [])] : points(s, undefined, undefined) }));
  const out: Dimension[] = [];
  for (const r of given) {
    const spec = specs.find((s) => s.name === canonicalHyperParameterName(recipeArn, r.name ?? ''));
    if (!spec) continue;
    const values =
      'values' in r ? [...(r.values ?? [])] : points(spec, (r as { minValue?: number }).minValue, (r as { maxValue?: number }).maxValue);
    out.push({ name: spec.name, values });
  }
  return out;
}

const objective = (metrics: Record<string, number>) =>
  metrics.normalized_discounted_cumulative_gain_at_25 ?? metrics.hits_at_1_percent ?? metrics.coverage ?? 0;

export async function optimizeHyperParameters(o: {
  trainer: Trainer;
  data: TrainingData;
  recipeArn: string;
  hpo: HPOConfig | undefined;
  /** The solution's own hyperparameters (algorithm and feature transformation, documented names). */
  base: Record<string, string>;
  signal?: AbortSignal;
}): Promise<HpoResult> {
  const max = Number(o.hpo?.hpoResourceConfig?.maxNumberOfTrainingJobs ?? DEFAULT_RESOURCE_CONFIG.maxNumberOfTrainingJobs);
  const dims = searchSpace(o.recipeArn, o.hpo);
  const candidates: Record<string, string>[] = [{ ...o.base }];
  const seen = new Set([JSON.stringify(Object.entries(o.base).sort())]);
  const grid = (i: number, acc: Record<string, string>): void => {
    if (candidates.length >= max) return;
    if (i === dims.length) {
      const key = JSON.stringify(Object.entries(acc).sort());
      if (!seen.has(key)) {
        seen.add(key);
        candidates.push({ ...acc });
      }
      return;
    }
    for (const v of dims[i].values) grid(i + 1, { ...acc, [dims[i].name]: v });
  };
  grid(0, { ...o.base });
  let best: HpoResult | undefined;
  for (const hp of candidates.slice(0, Math.max(1, max))) {
    o.signal?.throwIfAborted();
    const { metrics, model } = await evaluateModel(o.trainer, o.data, hp, { signal: o.signal });
    if (!best || objective(metrics) > objective(best.metrics))
      best = { hyperParameters: hp, metrics, model, candidates: candidates.length };
  }
  return { ...best!, candidates: Math.min(candidates.length, Math.max(1, max)) };
}
