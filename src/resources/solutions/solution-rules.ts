// The synchronous checks of CreateSolution, UpdateSolution and CreateSolutionVersion
// (training-rules.md §2, §3): what is refused before anything is stored. The data itself is
// checked by the training job (src/training/solution-version-job-work.ts), which fails the version.
//
// Choices where AWS documents nothing [INF]:
//  * performAutoML=true is InvalidInputException: AutoML searched only the legacy HRNN recipes,
//    which are gone (rule 20); with a recipeArn as well, AWS's own wording;
//  * a legacy HRNN recipe is InvalidInputException (it is describable, but no longer available); a
//    domain recipe too (those are for recommenders); an unknown recipe ResourceNotFoundException;
//  * hyperparameter names the recipe's algorithm or feature transformation does not document are
//    refused, and values are range-checked against the documented bounds (recipe-catalog.ts);
//    Similar-Items' `_dim` parameters only through HPO ranges, as its page says;
//  * eventsConfig only for User-Personalization-v2 / Personalized-Ranking-v2 (rule 35),
//    optimizationObjective only for User-Personalization / Personalized-Ranking (rule 36),
//    performIncrementalUpdate=true only for Semantic-Similarity, HPO not for Item-Affinity,
//    Item-Attribute-Affinity and Next-Best-Action (rule 37);
//  * columns named by eventsConfig (EVENT_TYPE), optimizationObjective and trainingDataConfig are
//    checked against the group's datasets that exist when the solution is created;
//  * hpoObjective is accepted and stored, but not used ("Amazon Personalize doesn't support
//    configuring the hpoObjective at this time").
import type { EventsConfig, HPOConfig, SolutionConfig, TrainingDataConfig } from '../../api/personalize-types.ts';
import type { ParsedSchema } from '../../data/schema/schema-model.ts';
import { invalidInput, notFound } from '../../protocol/service-error.ts';
import {
  canonicalHyperParameterName,
  featurizationParametersOf,
  findRecipe,
  hyperParametersOf,
  isLegacyRecipe,
  type HyperParameterSpec,
  type RecipeDefinition,
} from '../../training/recipes/recipe-catalog.ts';
import { UPDATE_MODE_RULE } from '../solution-versions/solution-version-record.ts';

const RECIPE_PREFIX = 'arn:aws:personalize:::recipe/';
const recipeArn = (name: string) => `${RECIPE_PREFIX}${name}`;

/** Recipes whose solutions take an eventsConfig (rule 35). */
export const EVENTS_CONFIG_RECIPES = new Set([recipeArn('aws-user-personalization-v2'), recipeArn('aws-personalized-ranking-v2')]);
/** Recipes whose solutions take an optimizationObjective (rule 36). */
export const OBJECTIVE_RECIPES = new Set([recipeArn('aws-user-personalization'), recipeArn('aws-personalized-ranking')]);
/** Recipes without HPO (rule 37). */
export const NO_HPO_RECIPES = new Set([
  recipeArn('aws-item-affinity'),
  recipeArn('aws-item-attribute-affinity'),
  recipeArn('aws-next-best-action'),
]);
/** The only recipe with incremental updates (rule 28). */
export const INCREMENTAL_UPDATE_RECIPES = new Set([recipeArn('aws-semantic-similarity')]);
/** Recipes whose versions may be trained with trainingMode UPDATE (rule 45). */
export const UPDATE_MODE_RECIPES = new Set([recipeArn('aws-user-personalization'), recipeArn('aws-hrnn-coldstart')]);

/** Similar-Items' parameters that "you must use HPO" for. */
const HPO_ONLY = new Set(['item_id_hidden_dim', 'item_metadata_hidden_dim']);

const HPO_MAX_TRAINING_JOBS = 40;
const HPO_MAX_PARALLEL_JOBS = 10;
const MAX_AUTO_TRAINING_DAYS = 30;

/** The solution's recipe, checked as CreateSolution needs it. */
export function checkRecipe(input: { performAutoML?: boolean; recipeArn?: string }): RecipeDefinition {
  if (input.performAutoML && input.recipeArn) throw invalidInput('Either performAutoML or recipeArn must be specified but not both.');
  if (input.performAutoML) {
    throw invalidInput(
      'performAutoML is not supported: automated machine learning only chose among the legacy HRNN recipes, which are no longer available. Give a recipeArn instead (for example arn:aws:personalize:::recipe/aws-user-personalization).',
    );
  }
  if (!input.recipeArn) throw invalidInput('recipeArn is required when performAutoML is false.');
  const recipe = findRecipe(input.recipeArn);
  if (!recipe) throw notFound(`Could not find the recipe ${input.recipeArn}.`);
  if (isLegacyRecipe(recipe.arn)) {
    throw invalidInput(
      `The recipe ${recipe.arn} is a legacy HRNN recipe and is no longer available for new solutions; use arn:aws:personalize:::recipe/aws-user-personalization-v2 or aws-user-personalization.`,
    );
  }
  if (recipe.domain) {
    throw invalidInput(
      `The recipe ${recipe.arn} is a ${recipe.domain} domain recipe: it is used by recommenders (CreateRecommender), not by solutions.`,
    );
  }
  return recipe;
}

/** A numeric string (eventValueThreshold), or InvalidInputException naming where it was. */
export function parseThreshold(value: string, where: string): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n)) throw invalidInput(`${where} must be a number, but is '${value}'.`);
  return n;
}

/** `rate(N day)` / `rate(N days)` with N in 1..30 (the model checks the pattern). Returns N. */
export function checkSchedulingExpression(expression: string | undefined): number | undefined {
  if (expression === undefined) return undefined;
  const m = /^rate\((\d+) days?\)$/.exec(expression);
  const days = m ? Number(m[1]) : NaN;
  if (!m || days < 1 || days > MAX_AUTO_TRAINING_DAYS) {
    throw invalidInput(
      `Invalid schedulingExpression ${expression}: use rate(N days) with N from 1 to ${MAX_AUTO_TRAINING_DAYS}, for example rate(7 days).`,
    );
  }
  return days;
}

function checkValue(spec: HyperParameterSpec, value: string, where: string): void {
  const v = value.trim();
  if (spec.kind === 'categorical') {
    if (!(spec.values ?? []).some((x) => x.toLowerCase() === v.toLowerCase())) {
      throw invalidInput(`Invalid value '${value}' for ${where} ${spec.name}: expected one of ${(spec.values ?? []).join(', ')}.`);
    }
    return;
  }
  const n = Number(v);
  const bounds = `${spec.min ?? '-inf'}, ${spec.max ?? 'inf'}`;
  const ok = v !== '' && Number.isFinite(n) && (spec.kind === 'continuous' || Number.isInteger(n));
  if (!ok || (spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
    throw invalidInput(
      `Invalid value '${value}' for ${where} ${spec.name}: expected ${spec.kind === 'integer' ? 'an integer' : 'a number'} in [${bounds}].`,
    );
  }
}

function checkParameters(
  recipe: RecipeDefinition,
  given: Record<string, string> | undefined,
  specs: HyperParameterSpec[],
  what: 'algorithmHyperParameters' | 'featureTransformationParameters',
): void {
  for (const [raw, value] of Object.entries(given ?? {})) {
    const name = canonicalHyperParameterName(recipe.arn, raw);
    const spec = specs.find((s) => s.name === name);
    if (!spec) {
      const known = specs.map((s) => s.name);
      throw invalidInput(
        `${what} names ${raw}, which the recipe ${recipe.name} does not have` +
          (known.length > 0 ? `; its ${what} are ${known.join(', ')}.` : `; it takes no ${what}.`),
      );
    }
    if (what === 'algorithmHyperParameters' && HPO_ONLY.has(name)) {
      throw invalidInput(
        `${raw} of ${recipe.name} can only be tuned by hyperparameter optimization: set performHPO and give its range in hpoConfig.algorithmHyperParameterRanges.`,
      );
    }
    checkValue(spec, value, what === 'algorithmHyperParameters' ? 'hyperparameter' : 'feature transformation parameter');
  }
}

function checkHpoResource(value: string | undefined, name: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw invalidInput(`hpoResourceConfig.${name} must be an integer from 1 to ${max}, but is '${value}'.`);
  return n;
}

function checkHpo(recipe: RecipeDefinition, hpo: HPOConfig): void {
  const jobs = checkHpoResource(hpo.hpoResourceConfig?.maxNumberOfTrainingJobs, 'maxNumberOfTrainingJobs', HPO_MAX_TRAINING_JOBS);
  const parallel = checkHpoResource(hpo.hpoResourceConfig?.maxParallelTrainingJobs, 'maxParallelTrainingJobs', HPO_MAX_PARALLEL_JOBS);
  if (jobs !== undefined && parallel !== undefined && parallel > jobs) {
    throw invalidInput(`hpoResourceConfig.maxParallelTrainingJobs (${parallel}) cannot exceed maxNumberOfTrainingJobs (${jobs}).`);
  }
  const specs = hyperParametersOf(recipe.arn);
  const ranges = hpo.algorithmHyperParameterRanges ?? {};
  const seen = new Set<string>();
  const tunable = (raw: string | undefined, kind: HyperParameterSpec['kind']): HyperParameterSpec => {
    if (!raw) throw invalidInput('Every hyperparameter range in hpoConfig.algorithmHyperParameterRanges needs a name.');
    const name = canonicalHyperParameterName(recipe.arn, raw);
    const spec = specs.find((s) => s.name === name);
    const names = specs.filter((s) => s.tunable).map((s) => `${s.name} (${s.kind})`);
    if (!spec || !spec.tunable || spec.kind !== kind) {
      throw invalidInput(
        `hpoConfig names ${raw} as a ${kind} hyperparameter range, but it is not a tunable ${kind} hyperparameter of ${recipe.name}` +
          (names.length > 0 ? `; its tunable hyperparameters are ${names.join(', ')}.` : '; it has no tunable hyperparameters.'),
      );
    }
    if (seen.has(name)) throw invalidInput(`hpoConfig gives more than one range for ${name}.`);
    seen.add(name);
    return spec;
  };
  for (const kind of ['integer', 'continuous'] as const) {
    const list = kind === 'integer' ? ranges.integerHyperParameterRanges : ranges.continuousHyperParameterRanges;
    for (const r of list ?? []) {
      const spec = tunable(r.name, kind);
      const lo = r.minValue ?? spec.min;
      const hi = r.maxValue ?? spec.max;
      if (lo !== undefined) checkValue(spec, String(lo), 'the range of hyperparameter');
      if (hi !== undefined) checkValue(spec, String(hi), 'the range of hyperparameter');
      if (lo !== undefined && hi !== undefined && lo > hi)
        throw invalidInput(`The range of ${spec.name} has minValue ${lo} above maxValue ${hi}.`);
    }
  }
  for (const r of ranges.categoricalHyperParameterRanges ?? []) {
    const spec = tunable(r.name, 'categorical');
    for (const v of r.values ?? []) checkValue(spec, v, 'the range of hyperparameter');
  }
}

function interactionsHaveEventType(schemas: GroupSchemas): boolean {
  return !schemas.INTERACTIONS || schemas.INTERACTIONS.fields.some((f) => f.name === 'EVENT_TYPE');
}

/** eventsConfig of CreateSolution or UpdateSolution. */
export function checkEventsConfig(recipe: RecipeDefinition, events: EventsConfig | undefined, schemas: GroupSchemas): void {
  if (!events) return;
  if (!EVENTS_CONFIG_RECIPES.has(recipe.arn)) {
    throw invalidInput(
      `eventsConfig is only supported by the User-Personalization-v2 and Personalized-Ranking-v2 recipes, not by ${recipe.name}.`,
    );
  }
  const seen = new Set<string>();
  for (const p of events.eventParametersList ?? []) {
    if (!p.eventType) throw invalidInput('Every entry of eventsConfig.eventParametersList needs an eventType.');
    const key = p.eventType.toLowerCase();
    if (seen.has(key)) throw invalidInput(`eventsConfig names the event type ${p.eventType} more than once.`);
    seen.add(key);
  }
  if (!interactionsHaveEventType(schemas)) {
    throw invalidInput('eventsConfig weights event types, but the Interactions dataset of the dataset group has no EVENT_TYPE column.');
  }
}

function checkObjective(recipe: RecipeDefinition, config: SolutionConfig, schemas: GroupSchemas): void {
  const objective = config.optimizationObjective;
  if (!objective) return;
  if (!OBJECTIVE_RECIPES.has(recipe.arn)) {
    throw invalidInput(
      `optimizationObjective is only supported by the User-Personalization and Personalized-Ranking recipes, not by ${recipe.name}.`,
    );
  }
  if (!objective.itemAttribute) throw invalidInput('optimizationObjective needs an itemAttribute: a numeric column of the Items dataset.');
  const items = schemas.ITEMS;
  if (!items)
    throw invalidInput(`optimizationObjective.itemAttribute ${objective.itemAttribute} needs an Items dataset in the dataset group.`);
  const field = items.fields.find((f) => f.name === objective.itemAttribute);
  if (!field || !['int', 'long', 'float', 'double'].includes(field.type) || field.nullable) {
    throw invalidInput(
      `optimizationObjective.itemAttribute must be a numeric column of the Items dataset whose type does not allow null; ${objective.itemAttribute} is ${
        field ? `of type ${field.nullable ? `["null", "${field.type}"]` : field.type}` : 'not a column of it'
      }.`,
    );
  }
}

/** The dataset types trainingDataConfig may name, in the spellings accepted (any case, with or without '_'). */
const CONFIG_DATASET_TYPES: Record<string, ParsedSchema['datasetType']> = {
  INTERACTIONS: 'INTERACTIONS',
  ITEMS: 'ITEMS',
  USERS: 'USERS',
  ACTIONS: 'ACTIONS',
  ACTIONINTERACTIONS: 'ACTION_INTERACTIONS',
};
/** Columns that training cannot do without. */
const REQUIRED_COLUMNS = new Set(['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'ACTION_ID']);

/** The dataset type a trainingDataConfig key names, or undefined. */
export function configDatasetType(key: string): ParsedSchema['datasetType'] | undefined {
  return CONFIG_DATASET_TYPES[key.toUpperCase().replace(/_/g, '')];
}

export function checkTrainingDataConfig(config: TrainingDataConfig | undefined, schemas: GroupSchemas): void {
  if (!config) return;
  const types = new Map<string, string>();
  for (const [which, map] of [
    ['excludedDatasetColumns', config.excludedDatasetColumns],
    ['includedDatasetColumns', config.includedDatasetColumns],
  ] as const) {
    for (const [key, columns] of Object.entries(map ?? {})) {
      const type = configDatasetType(key);
      if (!type)
        throw invalidInput(`trainingDataConfig.${which} names ${key}, which is not a dataset type (Interactions, Items, Users, ...).`);
      const other = types.get(type);
      if (other && other !== which)
        throw invalidInput(`trainingDataConfig gives both excluded and included columns for ${key}; give one of them.`);
      types.set(type, which);
      for (const column of columns ?? []) {
        if (which === 'excludedDatasetColumns' && REQUIRED_COLUMNS.has(column)) {
          throw invalidInput(`trainingDataConfig cannot exclude ${column}: training needs it.`);
        }
        const schema = schemas[type];
        if (schema && !schema.fields.some((f) => f.name === column)) {
          throw invalidInput(`trainingDataConfig.${which} names ${column}, which is not a column of the ${key} dataset.`);
        }
      }
    }
  }
}

/** The parsed schemas of the group's datasets that exist now, by dataset type. */
export type GroupSchemas = Partial<Record<ParsedSchema['datasetType'], ParsedSchema>>;

/** Every check of CreateSolution's settings beyond the recipe itself. */
export function checkSolutionSettings(
  recipe: RecipeDefinition,
  input: { performHPO?: boolean; performIncrementalUpdate?: boolean; solutionConfig?: SolutionConfig },
  schemas: GroupSchemas,
): void {
  if (input.performIncrementalUpdate && !INCREMENTAL_UPDATE_RECIPES.has(recipe.arn)) {
    throw invalidInput(`performIncrementalUpdate is only supported by the Semantic-Similarity recipe, not by ${recipe.name}.`);
  }
  if (input.performHPO && NO_HPO_RECIPES.has(recipe.arn)) {
    throw invalidInput(`The recipe ${recipe.name} does not support hyperparameter optimization (performHPO).`);
  }
  const config = input.solutionConfig;
  if (!config) return;
  if (config.eventValueThreshold !== undefined) parseThreshold(config.eventValueThreshold, 'solutionConfig.eventValueThreshold');
  checkParameters(recipe, config.algorithmHyperParameters, hyperParametersOf(recipe.arn), 'algorithmHyperParameters');
  checkParameters(recipe, config.featureTransformationParameters, featurizationParametersOf(recipe.arn), 'featureTransformationParameters');
  if (config.hpoConfig && input.performHPO) checkHpo(recipe, config.hpoConfig);
  checkEventsConfig(recipe, config.eventsConfig, schemas);
  checkObjective(recipe, config, schemas);
  checkTrainingDataConfig(config.trainingDataConfig, schemas);
  checkSchedulingExpression(config.autoTrainingConfig?.schedulingExpression);
}

/** trainingMode of CreateSolutionVersion (rule 45). `hasActiveFull`: the solution has an ACTIVE FULL version. */
export function checkTrainingMode(mode: string | undefined, recipeArn: string, hasActiveFull: boolean): 'FULL' | 'UPDATE' {
  if (mode === undefined || mode === 'FULL') return 'FULL';
  if (mode === 'AUTOTRAIN') throw invalidInput('trainingMode AUTOTRAIN is set by automatic training; give FULL or UPDATE.');
  if (!UPDATE_MODE_RECIPES.has(recipeArn)) {
    throw invalidInput(`trainingMode UPDATE is not supported for the recipe ${recipeArn}. ${UPDATE_MODE_RULE}`);
  }
  if (!hasActiveFull) {
    throw invalidInput(`The solution has no ACTIVE solution version trained with trainingMode FULL. ${UPDATE_MODE_RULE}`);
  }
  return 'UPDATE';
}
