// The synchronous checks of CreateBatchInferenceJob that the model's constraints do not express
// (training-rules.md rules 109-111, 14). [INF] where AWS documents no code or text:
//  * recipes: "You can't get batch recommendations with the Trending-Now or Next-Best-Action
//    recipes", and a USER_SEGMENTATION version serves batch segment jobs only:
//    InvalidInputException naming the recipe;
//  * numResults at most 500, as GetRecommendations (rule 109: the maximum is undocumented);
//  * batchInferenceJobMode THEME_GENERATION needs a Similar-Items version and
//    themeGenerationConfig.fieldsForThemeGeneration.itemName naming a string column of the group's
//    Items dataset, which must also have a textual column (the item descriptions themes are made
//    from); themeGenerationConfig without THEME_GENERATION is refused (it would do nothing);
//  * batchInferenceJobConfig.itemExplorationConfig takes what a campaign's does
//    (campaign-rules.ts); rankingInfluence is accepted and, outside Semantic-Similarity (which has
//    no model here), has no effect, as for campaigns.
import type { CreateBatchInferenceJobRequest } from '../../api/personalize-types.ts';
import type { CatalogOps, ResourceRecord } from '../../catalog/catalog.ts';
import { invalidInput } from '../../protocol/service-error.ts';
import { groupSchemasOf } from '../../serving/filters/filter-loading.ts';
import type { RecipeDefinition } from '../../training/recipes/recipe-catalog.ts';
import { checkCampaignConfig } from '../campaigns/campaign-rules.ts';
import type { BatchInferenceJobMode } from './batch-inference-job-record.ts';

export const MAX_BATCH_RESULTS = 500;

/** Recipes whose versions a batch inference job cannot use, and why. */
const NOT_BATCHABLE: Record<string, string> = {
  'aws-trending-now': 'You can’t get batch recommendations with the Trending-Now recipe.',
  'aws-next-best-action': 'You can’t get batch recommendations with the Next-Best-Action recipe.',
};

export function checkBatchRecipe(recipe: RecipeDefinition, versionArn: string): void {
  const refusal = NOT_BATCHABLE[recipe.name];
  if (refusal) throw invalidInput(`${refusal} Solution version ${versionArn} was trained with ${recipe.name}.`);
  if (recipe.recipeType === 'USER_SEGMENTATION')
    throw invalidInput(
      `Solution version ${versionArn} was trained with the ${recipe.name} recipe (USER_SEGMENTATION), which makes user segments: use CreateBatchSegmentJob with it.`,
    );
}

export function checkExplorationConfig(input: CreateBatchInferenceJobRequest): void {
  const itemExplorationConfig = input.batchInferenceJobConfig?.itemExplorationConfig;
  if (itemExplorationConfig) checkCampaignConfig({ itemExplorationConfig }, input.solutionVersionArn);
}

/** The job's mode, its theme configuration checked against the recipe and the group's Items schema. */
export async function checkJobMode(
  ops: Pick<CatalogOps, 'get' | 'list'>,
  input: CreateBatchInferenceJobRequest,
  recipe: RecipeDefinition,
  version: ResourceRecord,
  datasetGroupArn: string,
): Promise<BatchInferenceJobMode> {
  const mode: BatchInferenceJobMode = input.batchInferenceJobMode ?? 'BATCH_INFERENCE';
  const themes = input.themeGenerationConfig;
  if (mode !== 'THEME_GENERATION') {
    if (themes) throw invalidInput('themeGenerationConfig is used only with batchInferenceJobMode THEME_GENERATION.');
    return mode;
  }
  if (recipe.name !== 'aws-similar-items')
    throw invalidInput(
      `batchInferenceJobMode THEME_GENERATION needs a solution version trained with the Similar-Items recipe; ${version.arn} was trained with ${recipe.name}.`,
    );
  const itemName = themes?.fieldsForThemeGeneration?.itemName;
  if (!itemName)
    throw invalidInput('batchInferenceJobMode THEME_GENERATION needs themeGenerationConfig.fieldsForThemeGeneration.itemName.');
  const items = (await groupSchemasOf(ops, { account: version.account, region: version.region, arn: datasetGroupArn })).ITEMS;
  if (!items) throw invalidInput(`Themes are made from the Items dataset, and the dataset group ${datasetGroupArn} has none.`);
  const field = items.fields.find((f) => f.name === itemName);
  if (!field || field.type !== 'string')
    throw invalidInput(
      `themeGenerationConfig.fieldsForThemeGeneration.itemName is '${itemName}', which is not a string column of the Items dataset (its string columns: ${items.fields
        .filter((f) => f.type === 'string')
        .map((f) => f.name)
        .join(', ')}).`,
    );
  if (!items.fields.some((f) => f.textual))
    throw invalidInput('Themes are made from the items’ descriptions: the Items dataset needs a textual column.');
  return mode;
}
