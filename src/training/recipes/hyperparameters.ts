// The documented parameters of each algorithm and feature transformation (training-rules.md §1.4).
// Values are strings, as on the wire. Where §1.4 names a parameter "algorithm" it is an algorithm
// hyperparameter (solutionConfig.algorithmHyperParameters, DescribeAlgorithm); where it names it
// "featurization" it belongs to the feature transformation (solutionConfig.featureTransformationParameters,
// DescribeFeatureTransformation). Campaign-level settings (User-Personalization's exploration
// weight and item age cut-off, §1.4 rule 14) are neither and are not listed here.
import type { HyperParameterSpec } from './recipe-types.ts';

const int = (name: string, dflt: number, min: number, max: number, tunable: boolean): HyperParameterSpec => ({
  name,
  kind: 'integer',
  default: String(dflt),
  min,
  max,
  tunable,
});

// `dflt` as printed in the docs ("0.0", "0.99"): the string is what DescribeAlgorithm returns.
const float = (name: string, dflt: string, min: number, max: number, tunable: boolean): HyperParameterSpec => ({
  name,
  kind: 'continuous',
  default: dflt,
  min,
  max,
  tunable,
});

const choice = (name: string, dflt: string, values: string[], tunable: boolean): HyperParameterSpec => ({
  name,
  kind: 'categorical',
  default: dflt,
  values,
  tunable,
});

// The HRNN family, User-Personalization and Personalized-Ranking share one architecture (§1.4).
// `recency_mask`: the recipe tables print `True`/`False`; the HPO example of the same docs sends
// "true"/"false" — consumers should compare these case-insensitively.
const hrnnFamily = (hiddenDimension: number): HyperParameterSpec[] => [
  int('hidden_dimension', hiddenDimension, 32, 256, true),
  int('bptt', 32, 2, 32, true),
  choice('recency_mask', 'True', ['True', 'False'], true),
];

// User-Personalization-v2 / Personalized-Ranking-v2: only `apply_recency_bias`, not HPO-tunable.
const v2 = (): HyperParameterSpec[] => [choice('apply_recency_bias', 'true', ['true', 'false'], false)];

/** Algorithm hyperparameters by algorithm name (the part after `algorithm/`). Absent = none. */
export const ALGORITHM_HYPERPARAMETERS: Readonly<Record<string, HyperParameterSpec[]>> = {
  'aws-user-personalization-v2': v2(),
  'aws-personalized-ranking-v2': v2(),
  'aws-user-personalization': hrnnFamily(149),
  'aws-personalized-ranking': hrnnFamily(149),
  // Similar-Items: "you must use HPO and provide minimum and maximum range values" — tunable.
  'aws-similar-items': [int('item_id_hidden_dim', 100, 30, 200, true), int('item_metadata_hidden_dim', 100, 30, 200, true)],
  'aws-sims': [float('popularity_discount_factor', '0.5', 0.0, 1.0, true), int('min_cointeraction_count', 3, 0, 10, true)],
  // Item-Affinity / Item-Attribute-Affinity: "You can't use hyperparameter optimization (HPO)".
  'aws-item-affinity': [int('hidden_dimension', 149, 32, 256, false)],
  'aws-item-attribute-affinity': [int('hidden_dimension', 149, 32, 256, false)],
  // Legacy (D-hrnn, 2023 docs): hidden_dimension 43 for HRNN and HRNN-Metadata, 149 for HRNN-Coldstart.
  'aws-hrnn': hrnnFamily(43),
  'aws-hrnn-metadata': hrnnFamily(43),
  'aws-hrnn-coldstart': hrnnFamily(149),
  // Trending-Now, Popularity-Count, Semantic-Similarity, Next-Best-Action and the domain recipes
  // expose no algorithm hyperparameters (§1.4).
};

/**
 * Older pages spell Similar-Items' parameters `item_id_hidden_dimension` /
 * `item_metadata_hidden_dimension`; current ones use `_dim`. Accept both [INF] (§1.4).
 */
export const HYPERPARAMETER_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'aws-similar-items': {
    item_id_hidden_dimension: 'item_id_hidden_dim',
    item_metadata_hidden_dimension: 'item_metadata_hidden_dim',
  },
};

const userHistoryPercentiles = (min: string, max: string): HyperParameterSpec[] => [
  float('min_user_history_length_percentile', min, 0.0, 1.0, false),
  float('max_user_history_length_percentile', max, 0.0, 1.0, false),
];

/** Feature-transformation parameters by feature-transformation name (after `feature-transformation/`). */
export const FEATURIZATION_PARAMETERS: Readonly<Record<string, HyperParameterSpec[]>> = {
  // User-Personalization, Personalized-Ranking and HRNN: 0.0 / 0.99 (§1.4).
  'JSON-percentile-filtering': userHistoryPercentiles('0.0', '0.99'),
  // SIMS (and Popularity-Count, which the docs give the same `sims` transformation).
  sims: [
    ...userHistoryPercentiles('0.005', '0.995'),
    float('min_item_interaction_count_percentile', '0.01', 0.0, 1.0, false),
    float('max_item_interaction_count_percentile', '0.9', 0.0, 1.0, false),
  ],
  // Trending-Now: default `2 hours` (current docs; 2023: `3h`). All five documented spellings of the
  // current table are accepted (§1.4 rules 17-18).
  'aws-trending-now': [choice('trend_discovery_frequency', '2 hours', ['30 minutes', '1 hour', '2 hours', '3 hours', '1 day'], false)],
  // Next-Best-Action: days ahead the propensity is for; no HPO.
  'aws-next-best-action': [int('action_optimization_period', 14, 7, 28, false)],
  featurize_metadata: userHistoryPercentiles('0.0', '0.99'),
  // HRNN-Coldstart (2023 docs). The docs give no bounds for the cold-start parameters [INF: none].
  featurize_coldstart: [
    ...userHistoryPercentiles('0.0', '0.99'),
    { name: 'cold_start_max_interactions', kind: 'integer', default: '15', min: 0, tunable: false },
    { name: 'cold_start_max_duration', kind: 'continuous', default: '5.0', min: 0, tunable: false },
    choice('cold_start_relative_from', 'latestItem', ['latestItem', 'currentTime'], false),
  ],
  // The other transformations (item-affinity, item-attribute-affinity, aws-semantic-similarity, the
  // v2 recipes', Similar-Items' and the domain recipes') have no documented parameters.
};
