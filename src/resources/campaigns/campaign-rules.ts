// The synchronous checks of CreateCampaign and UpdateCampaign (training-rules.md rules 61-67) that
// the model's constraints do not express. [INF] where AWS documents no code or text:
//  * syncWithLatestSolutionVersion true needs solutionVersionArn in `<solutionArn>/$LATEST` form
//    (InvalidInputException; the API reference says "must");
//  * itemExplorationConfig takes explorationWeight (0.0-1.0) and explorationItemAgeCutOff (days,
//    at least 1), as strings holding numbers; another key or value is InvalidInputException.
//    Given for a recipe without exploration it is accepted and has no effect (rule 63), as is
//    rankingInfluence outside Semantic-Similarity;
//  * a USER_SEGMENTATION version (batch segment jobs only) cannot be deployed
//    (InvalidInputException); a version that is not ACTIVE is ResourceInUseException.
import type { CampaignConfig } from '../../api/personalize-types.ts';
import type { ResourceRecord } from '../../catalog/catalog.ts';
import { inUse, invalidInput } from '../../protocol/service-error.ts';
import type { RecipeDefinition } from '../../training/recipes/recipe-catalog.ts';
import { hasStatus } from '../shared/status-table.ts';
import { SOLUTION_VERSION_STATUSES } from '../solution-versions/solution-version-record.ts';
import { latestOf } from './campaign-record.ts';

const EXPLORATION_KEYS: Record<string, { min: number; max: number; what: string }> = {
  explorationWeight: { min: 0, max: 1, what: 'a number from 0.0 to 1.0' },
  explorationItemAgeCutOff: { min: 1, max: Number.MAX_VALUE, what: 'a number of days, at least 1' },
};

export function checkExploration(config: Record<string, string>): void {
  for (const [key, value] of Object.entries(config)) {
    const rule = EXPLORATION_KEYS[key];
    if (!rule) {
      throw invalidInput(`itemExplorationConfig has the key '${key}'; it takes ${Object.keys(EXPLORATION_KEYS).join(' and ')}.`);
    }
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < rule.min || n > rule.max)
      throw invalidInput(`itemExplorationConfig.${key} is '${value}'; it must be ${rule.what}.`);
  }
}

/** The campaign configuration against the deployment it comes with (CreateCampaign, or UpdateCampaign's result). */
export function checkCampaignConfig(config: CampaignConfig | undefined, solutionVersionArn: string): void {
  if (config?.syncWithLatestSolutionVersion && latestOf(solutionVersionArn) === undefined) {
    throw invalidInput(
      `syncWithLatestSolutionVersion is true, so solutionVersionArn must name the solution in SolutionArn/$LATEST form, not ${solutionVersionArn}.`,
    );
  }
  if (config?.itemExplorationConfig) checkExploration(config.itemExplorationConfig);
}

/** A solution version of this recipe may be deployed in a campaign. */
export function checkDeployable(recipe: RecipeDefinition, version: ResourceRecord): void {
  if (recipe.recipeType === 'USER_SEGMENTATION') {
    throw invalidInput(
      `Solution version ${version.arn} was trained with the ${recipe.name} recipe (USER_SEGMENTATION), which serves batch segment jobs only and cannot be deployed in a campaign.`,
    );
  }
  if (!hasStatus(SOLUTION_VERSION_STATUSES, version, 'ACTIVE'))
    throw inUse(`Solution version ${version.arn} is in state ${version.status}; only an ACTIVE solution version can be deployed.`);
}
