// The checks of a personalize-runtime request that the model's constraints do not express
// (training-rules.md rules 79-91). AWS publishes no texts for these errors (§12); ours name the
// member. [INF] where noted:
//  * exactly one of campaignArn / recommenderArn (InvalidInputException otherwise);
//  * numResults: absent or 0 means 25 (rule 83), at most 500, at most 50 with metadataColumns;
//    inputList at most 500 items, 50 with metadataColumns;
//  * the operation must fit the campaign's recipe (rule 10): PERSONALIZED_RANKING campaigns answer
//    GetPersonalizedRanking only, the others GetRecommendations only; userId is required for
//    User-Personalization, itemId for related-items recipes, neither for popularity recipes;
//  * metadataColumns: one entry, key ITEMS, at most 10 columns of the Items dataset (names in any
//    case), only when the campaign enables metadata (or its recipe has it always: the v2 recipes
//    and Semantic-Similarity, rule 12).
import type { CampaignConfig } from '../../api/personalize-types.ts';
import type { GetRecommendationsRequest, MetadataColumns } from '../../api/personalize-runtime-types.ts';
import { invalidInput } from '../../protocol/service-error.ts';
import type { RuntimeKind } from '../../serving/recommendations.ts';
import type { RecipeDefinition } from '../../training/recipes/recipe-catalog.ts';

export const DEFAULT_NUM_RESULTS = 25;
export const MAX_RESULTS = 500;
export const MAX_RESULTS_WITH_METADATA = 50;
export const MAX_METADATA_COLUMNS = 10;

/** Recipes whose campaigns return metadata without enableMetadataWithRecommendations (rule 12). */
const METADATA_ALWAYS = new Set(['aws-user-personalization-v2', 'aws-personalized-ranking-v2', 'aws-semantic-similarity']);

export function checkOneTarget(input: Pick<GetRecommendationsRequest, 'campaignArn' | 'recommenderArn'>): void {
  if (input.campaignArn !== undefined && input.recommenderArn !== undefined)
    throw invalidInput('Give either campaignArn or recommenderArn, not both.');
  if (input.campaignArn === undefined && input.recommenderArn === undefined)
    throw invalidInput('One of campaignArn or recommenderArn is required.');
}

export function numResultsOf(numResults: number | undefined, withMetadata: boolean): number {
  const n = numResults === undefined || numResults === 0 ? DEFAULT_NUM_RESULTS : numResults;
  const max = withMetadata ? MAX_RESULTS_WITH_METADATA : MAX_RESULTS;
  if (n > max) throw invalidInput(`numResults is ${n}; it can be at most ${max}${withMetadata ? ' when metadataColumns is given' : ''}.`);
  return n;
}

export function checkInputList(length: number, withMetadata: boolean): void {
  const max = withMetadata ? MAX_RESULTS_WITH_METADATA : MAX_RESULTS;
  if (length > max)
    throw invalidInput(`inputList has ${length} items; it can have at most ${max}${withMetadata ? ' when metadataColumns is given' : ''}.`);
}

/** GetRecommendations' ids for the campaign's recipe (rule 81). */
export function checkRecommendationIds(
  kind: RuntimeKind,
  recipe: RecipeDefinition,
  campaignArn: string,
  input: { userId?: string; itemId?: string },
): void {
  if (kind === 'RANKING')
    throw invalidInput(
      `Campaign ${campaignArn} deploys a ${recipe.name} (PERSONALIZED_RANKING) model: call GetPersonalizedRanking with it.`,
    );
  if (kind === 'OTHER')
    throw invalidInput(`Campaign ${campaignArn} deploys a ${recipe.name} model, which GetRecommendations does not serve.`);
  if (kind === 'USER' && input.userId === undefined)
    throw invalidInput(`userId is required: campaign ${campaignArn} recommends items for a user (${recipe.name}).`);
  if (kind === 'RELATED' && input.itemId === undefined)
    throw invalidInput(`itemId is required: campaign ${campaignArn} recommends items related to an item (${recipe.name}).`);
}

export function checkRankingCampaign(kind: RuntimeKind, recipe: RecipeDefinition, campaignArn: string): void {
  if (kind !== 'RANKING')
    throw invalidInput(
      `Campaign ${campaignArn} deploys a ${recipe.name} (${recipe.recipeType}) model: GetPersonalizedRanking needs a PERSONALIZED_RANKING campaign; call GetRecommendations with it.`,
    );
}

/** Whether the request asks for metadata at all (an empty map or list asks for none). */
export function wantsMetadata(columns: MetadataColumns | undefined): boolean {
  return columns !== undefined && Object.values(columns).some((list) => list.length > 0);
}

/**
 * The Items columns to return, by their schema names. `available` lists the Items dataset's
 * columns (undefined when the group has no Items data).
 */
export function metadataColumnsOf(
  requested: MetadataColumns,
  campaignArn: string,
  config: CampaignConfig | undefined,
  recipe: RecipeDefinition,
  available: readonly string[] | undefined,
): string[] {
  if (!config?.enableMetadataWithRecommendations && !METADATA_ALWAYS.has(recipe.name))
    throw invalidInput(
      `metadataColumns needs a campaign with enableMetadataWithRecommendations; campaign ${campaignArn} does not enable it.`,
    );
  const [[type, columns]] = Object.entries(requested);
  if (type !== 'ITEMS') throw invalidInput(`metadataColumns has the key '${type}'; the only dataset type it takes is ITEMS.`);
  if (columns.length > MAX_METADATA_COLUMNS)
    throw invalidInput(`metadataColumns.ITEMS names ${columns.length} columns; at most ${MAX_METADATA_COLUMNS} can be requested.`);
  if (!available) throw invalidInput(`metadataColumns asks for Items columns, but the campaign's dataset group has no Items data.`);
  const byUpper = new Map(available.map((c) => [c.toUpperCase(), c]));
  return columns.map((c) => {
    const name = byUpper.get(c.toUpperCase());
    if (!name)
      throw invalidInput(`metadataColumns.ITEMS names '${c}', which is not a column of the Items dataset (${available.join(', ')}).`);
    return name;
  });
}
