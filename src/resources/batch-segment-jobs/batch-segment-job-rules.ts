// The synchronous checks of CreateBatchSegmentJob that the model's constraints do not express
// (training-rules.md rules 108, 113). [INF] where AWS documents no code or text:
//  * the solution version must be USER_SEGMENTATION (Item-Affinity, Item-Attribute-Affinity):
//    InvalidInputException naming the recipe;
//  * numResults (users per segment) at most 5 million (§11);
//  * the filter filters UserID; one with Interactions conditions cannot be used with
//    Item-Attribute-Affinity (rule 108): InvalidInputException.
import { invalidInput } from '../../protocol/service-error.ts';
import type { RecipeDefinition } from '../../training/recipes/recipe-catalog.ts';

export const MAX_USERS_PER_SEGMENT = 5_000_000;

export function checkSegmentRecipe(recipe: RecipeDefinition, versionArn: string): void {
  if (recipe.recipeType !== 'USER_SEGMENTATION')
    throw invalidInput(
      `Solution version ${versionArn} was trained with the ${recipe.name} recipe (${recipe.recipeType}); a batch segment job needs a USER_SEGMENTATION version (Item-Affinity or Item-Attribute-Affinity).`,
    );
}

/** The filter's datasets (checkBatchFilter) against the recipe. */
export function checkSegmentFilterDatasets(datasets: ReadonlySet<string>, recipe: RecipeDefinition, filterArn: string): void {
  if (recipe.name === 'aws-item-attribute-affinity' && datasets.has('INTERACTIONS'))
    throw invalidInput(`Filter ${filterArn} has Interactions conditions, which cannot be used with the Item-Attribute-Affinity recipe.`);
}
