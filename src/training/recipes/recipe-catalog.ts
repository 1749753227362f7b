// The static recipe catalog (training-rules.md §1): recipes, their algorithms and feature
// transformations, all global (`arn:aws:personalize:::<type>/<name>`, no region, no account).
// The data lives in custom-recipes.ts, domain-recipes.ts and hyperparameters.ts; this file indexes
// it and answers the lookups that ListRecipes / DescribeRecipe / DescribeAlgorithm /
// DescribeFeatureTransformation and CreateSolution need. Imports nothing from src/resources/.
import { CUSTOM_RECIPES, LEGACY_RECIPE_ARNS } from './custom-recipes.ts';
import { DOMAIN_RECIPES } from './domain-recipes.ts';
import { ALGORITHM_HYPERPARAMETERS, FEATURIZATION_PARAMETERS, HYPERPARAMETER_ALIASES } from './hyperparameters.ts';
import type { AlgorithmDefinition, FeatureTransformationDefinition, HyperParameterSpec, RecipeDefinition } from './recipe-types.ts';

export type { AlgorithmDefinition, FeatureTransformationDefinition, HyperParameterSpec, RecipeDefinition } from './recipe-types.ts';

/**
 * The one lastUpdatedDateTime every recipe, algorithm and transformation shares (rule 26: the
 * service's deploy time; this is the latest observed one, 2024-06-19T16:47:19.191Z). Every
 * creationDateTime of the catalog is earlier.
 */
export const CATALOG_LAST_UPDATED = Date.parse('2024-06-19T16:47:19.191Z');

/**
 * DescribeAlgorithm's defaultResourceConfig: the HPO job counts used when hpoConfig.hpoResourceConfig
 * is omitted. [INF] The documented maxima (40 / 10, §11), which the SIMS sample also sends.
 */
export const DEFAULT_RESOURCE_CONFIG: Readonly<Record<string, string>> = { maxNumberOfTrainingJobs: '40', maxParallelTrainingJobs: '10' };

/** DescribeAlgorithm's trainingInputMode [INF: SageMaker's "File", the only mode Personalize could mean]. */
export const TRAINING_INPUT_MODE = 'File';

/** DescribeAlgorithm's algorithmImage [INF: AWS's images are not observed; ours name the built-in trainer]. */
export function algorithmImageOf(algorithm: AlgorithmDefinition): { name: string; dockerURI: string } {
  return { name: algorithm.name, dockerURI: `openpersonalize.local/algorithms/${algorithm.name}:builtin` };
}

const ALGORITHM_PREFIX = 'arn:aws:personalize:::algorithm/';
const FEATURE_TRANSFORMATION_PREFIX = 'arn:aws:personalize:::feature-transformation/';

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

const RECIPES: ReadonlyMap<string, RecipeDefinition> = new Map([...CUSTOM_RECIPES, ...DOMAIN_RECIPES].map((r) => [r.arn, r]));
const LISTED: readonly RecipeDefinition[] = [...RECIPES.values()].filter((r) => r.listed).sort(byName);

/** An algorithm or transformation exists as long as a recipe uses it, created with the first such recipe. */
function indexUsed<T>(arnOf: (r: RecipeDefinition) => string, prefix: string, make: (name: string, arn: string, created: number) => T) {
  const created = new Map<string, number>();
  for (const r of RECIPES.values()) {
    const arn = arnOf(r);
    created.set(arn, Math.min(created.get(arn) ?? Infinity, r.creationDateTime));
  }
  return new Map([...created].map(([arn, at]) => [arn, make(arn.slice(prefix.length), arn, at)] as const));
}

const ALGORITHMS: ReadonlyMap<string, AlgorithmDefinition> = indexUsed(
  (r) => r.algorithmArn,
  ALGORITHM_PREFIX,
  (name, arn, creationDateTime) => ({ name, arn, creationDateTime, hyperParameters: ALGORITHM_HYPERPARAMETERS[name] ?? [] }),
);

const FEATURE_TRANSFORMATIONS: ReadonlyMap<string, FeatureTransformationDefinition> = indexUsed(
  (r) => r.featureTransformationArn,
  FEATURE_TRANSFORMATION_PREFIX,
  (name, arn, creationDateTime) => ({ name, arn, creationDateTime, parameters: FEATURIZATION_PARAMETERS[name] ?? [] }),
);

const copies = (specs: readonly HyperParameterSpec[]): HyperParameterSpec[] =>
  specs.map((s) => ({ ...s, ...(s.values ? { values: [...s.values] } : {}) }));

/** The recipe with this ARN, listed or legacy; undefined if there is none. */
export function findRecipe(arn: string): RecipeDefinition | undefined {
  return RECIPES.get(arn);
}

/** What ListRecipes lists (custom and domain recipes, not the legacy ones), sorted by name. */
export function listedRecipes(): RecipeDefinition[] {
  return [...LISTED];
}

/** A legacy HRNN recipe: describable, not listed, no longer available for new solutions (§1.2). */
export function isLegacyRecipe(recipeArn: string): boolean {
  return LEGACY_RECIPE_ARNS.has(recipeArn);
}

export function findAlgorithm(arn: string): AlgorithmDefinition | undefined {
  return ALGORITHMS.get(arn);
}

export function findFeatureTransformation(arn: string): FeatureTransformationDefinition | undefined {
  return FEATURE_TRANSFORMATIONS.get(arn);
}

/** The recipe's algorithm's documented hyperparameters (solutionConfig.algorithmHyperParameters); [] for an unknown recipe. */
export function hyperParametersOf(recipeArn: string): HyperParameterSpec[] {
  const recipe = RECIPES.get(recipeArn);
  return recipe ? copies(ALGORITHMS.get(recipe.algorithmArn)!.hyperParameters) : [];
}

/** The recipe's feature transformation's parameters (solutionConfig.featureTransformationParameters); [] for an unknown recipe. */
export function featurizationParametersOf(recipeArn: string): HyperParameterSpec[] {
  const recipe = RECIPES.get(recipeArn);
  return recipe ? copies(FEATURE_TRANSFORMATIONS.get(recipe.featureTransformationArn)!.parameters) : [];
}

/** A hyperparameter's documented name for a recipe, mapping older spellings (Similar-Items' `_dimension`) [INF]. */
export function canonicalHyperParameterName(recipeArn: string, name: string): string {
  const recipe = RECIPES.get(recipeArn);
  const aliases = recipe ? HYPERPARAMETER_ALIASES[recipe.algorithmArn.slice(ALGORITHM_PREFIX.length)] : undefined;
  return aliases?.[name] ?? name;
}
