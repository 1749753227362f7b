// The synchronous checks of CreateRecommender and UpdateRecommender (training-rules.md rules 72,
// 76) that the model's constraints do not express. [INF] where AWS documents no code or text:
//  * the recipe must be a domain recipe (a use case) of the dataset group's domain, and the group
//    a Domain dataset group: InvalidInputException otherwise; an unknown recipe ARN is
//    ResourceNotFoundException (as CreateSolution's);
//  * itemExplorationConfig takes explorationWeight and explorationItemAgeCutOff as a campaign's
//    does (campaign-rules.ts); given to a use case that does not personalise it is accepted and
//    has no effect, as campaigns treat it (rule 63);
//  * trainingDataConfig names dataset types and their columns as a solution's does
//    (solution-rules.ts), checked against the group's datasets that exist now;
//  * UpdateRecommender's recommenderConfig: each member given replaces that member, members not
//    given keep their value (so raising minRecommendationRequestsPerSecond does not drop the
//    training columns); the update retrains when trainingDataConfig changes (rule 73).
import type { RecommenderConfig } from '../../api/personalize-types.ts';
import type { ResourceRecord } from '../../catalog/catalog.ts';
import { invalidInput, notFound } from '../../protocol/service-error.ts';
import { findRecipe } from '../../training/recipes/recipe-catalog.ts';
import { useCaseOf, type DomainUseCase } from '../../training/recommender-use-cases.ts';
import { checkExploration } from '../campaigns/campaign-rules.ts';
import type { DatasetGroupBody } from '../dataset-groups/dataset-group-record.ts';
import { checkTrainingDataConfig, type GroupSchemas } from '../solutions/solution-rules.ts';

/** The recipe's use case, checked against the dataset group it is for. */
export function checkRecommenderRecipe(recipeArn: string, group: ResourceRecord): DomainUseCase {
  const useCase = useCaseOf(recipeArn);
  if (!useCase) {
    const recipe = findRecipe(recipeArn);
    if (!recipe) throw notFound(`Could not find the recipe ${recipeArn}.`);
    throw invalidInput(
      `The recipe ${recipeArn} is a custom recipe: a recommender takes a domain recipe (a use case such as arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you). Use custom recipes with CreateSolution.`,
    );
  }
  const domain = (group.body as DatasetGroupBody).domain;
  if (!domain) {
    throw invalidInput(
      `Dataset group ${group.arn} is a Custom dataset group; recommenders are created in Domain dataset groups (ECOMMERCE or VIDEO_ON_DEMAND).`,
    );
  }
  if (useCase.recipe.domain !== domain) {
    throw invalidInput(
      `The recipe ${recipeArn} is a ${useCase.recipe.domain} use case; dataset group ${group.arn} is a ${domain} dataset group.`,
    );
  }
  return useCase;
}

/** The configuration's members that the model's constraints do not check. */
export function checkRecommenderConfig(config: RecommenderConfig | undefined, schemas: GroupSchemas): void {
  if (config?.itemExplorationConfig) checkExploration(config.itemExplorationConfig);
  checkTrainingDataConfig(config?.trainingDataConfig, schemas);
}

/** UpdateRecommender's resulting configuration: the given members over the current ones. */
export function mergedConfig(current: RecommenderConfig, given: RecommenderConfig): RecommenderConfig {
  const out: RecommenderConfig = { ...current };
  for (const [key, value] of Object.entries(given) as [keyof RecommenderConfig, unknown][])
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}

/** Whether going from `current` to `next` changes the training columns (a full retraining, rule 73). */
export function retrains(current: RecommenderConfig, next: RecommenderConfig): boolean {
  return JSON.stringify(current.trainingDataConfig ?? null) !== JSON.stringify(next.trainingDataConfig ?? null);
}
