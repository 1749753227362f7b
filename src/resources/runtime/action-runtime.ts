// GetActionRecommendations (`POST /action-recommendations`, training-rules.md rule 91): a
// PERSONALIZED_ACTIONS campaign's actions for a user, best first, each with its score; the ranking
// itself is serving/action-recommendations.ts'. Checks where AWS documents no code or text [INF]:
//  * the campaign must deploy a PERSONALIZED_ACTIONS (Next-Best-Action) version, else
//    InvalidInputException naming the operation to use; an unknown, foreign, deleted or not yet
//    ACTIVE campaign is ResourceNotFoundException, as for GetRecommendations;
//  * campaignArn and userId are required (InvalidInputException naming the member);
//  * numResults: absent or 0 means 5, at most 100;
//  * filterArn must name an ACTIVE ActionID filter of the campaign's dataset group.
import type { GetActionRecommendationsRequest, GetActionRecommendationsResponse } from '../../api/personalize-runtime-types.ts';
import type { ResourceRecord } from '../../catalog/catalog.ts';
import type { RequestContext } from '../../protocol/handler-types.ts';
import { invalidInput } from '../../protocol/service-error.ts';
import { DEFAULT_ACTION_RESULTS, isActionModel, MAX_ACTION_RESULTS, recommendActions } from '../../serving/action-recommendations.ts';
import type { CampaignServing } from '../../serving/campaign-serving.ts';
import type { RealTimePersonalization } from '../../serving/real-time-personalization.ts';
import { newRecommendationId } from '../../serving/recommendations.ts';
import type { CampaignBody } from '../campaigns/campaign-record.ts';
import { DATA_DELETION_JOB_KIND } from '../data-deletion-jobs/data-deletion-job-record.ts';
import { requestFilter, type FilterDeps } from './request-filter.ts';

export interface ActionRuntimeDeps extends FilterDeps {
  serving: CampaignServing;
  personalization: RealTimePersonalization;
  /** The campaign as the caller may use it now (theirs, ACTIVE), or ResourceNotFoundException. */
  activeCampaign(ctx: RequestContext, arn: string): Promise<ResourceRecord>;
}

/** Whether a data deletion job completed in the version's group after the version was created. */
async function deletedSinceTraining(deps: FilterDeps, campaign: ResourceRecord, versionArn: string, groupArn: string): Promise<boolean> {
  const [job] = await deps.catalog.list({
    account: campaign.account,
    region: campaign.region,
    kind: DATA_DELETION_JOB_KIND.kind,
    parentArn: groupArn,
    statusIn: ['COMPLETED'],
    limit: 1,
  });
  return job !== undefined && job.updatedAt > ((await deps.catalog.get(versionArn))?.createdAt ?? Infinity);
}

export function actionResultsOf(numResults: number | undefined): number {
  const n = numResults === undefined || numResults === 0 ? DEFAULT_ACTION_RESULTS : numResults;
  if (n > MAX_ACTION_RESULTS)
    throw invalidInput(`numResults is ${n}; GetActionRecommendations returns at most ${MAX_ACTION_RESULTS} actions.`);
  return n;
}

export async function actionRecommendations(
  deps: ActionRuntimeDeps,
  input: GetActionRecommendationsRequest,
  ctx: RequestContext,
): Promise<GetActionRecommendationsResponse> {
  if (input.campaignArn === undefined)
    throw invalidInput('campaignArn is required: the campaign that deploys a Next-Best-Action solution version.');
  const campaign = await deps.activeCampaign(ctx, input.campaignArn);
  const d = await deps.serving.deployed(campaign);
  if (!isActionModel(d))
    throw invalidInput(
      `Campaign ${campaign.arn} deploys a ${d.recipe.name} (${d.recipe.recipeType}) model: GetActionRecommendations needs a PERSONALIZED_ACTIONS campaign (aws-next-best-action).`,
    );
  if (input.userId === undefined) throw invalidInput(`userId is required: campaign ${campaign.arn} recommends actions for a user.`);
  const numResults = actionResultsOf(input.numResults);
  const data = deps.serving.dataOf(d.version.datasetGroupArn, campaign.account, campaign.region);
  const keep = await requestFilter(
    deps,
    ctx,
    input.filterArn,
    input.filterValues,
    { userId: input.userId, datasetGroupArn: d.version.datasetGroupArn, data },
    'ActionID',
  );
  // The user's items per rule 120, as User-Personalization reads them.
  const p = await deps.personalization.request(d);
  const weight = (campaign.body as unknown as CampaignBody).campaignConfig?.itemExplorationConfig?.explorationWeight;
  const actions = await recommendActions(p.deployed, data, {
    userId: input.userId,
    numResults,
    keep,
    now: deps.now(),
    explorationWeight: weight === undefined ? undefined : Number(weight),
    dataNow: await deletedSinceTraining(deps, campaign, d.versionArn, d.version.datasetGroupArn),
  });
  return { actionList: actions.map((a) => ({ actionId: a.actionId, score: a.score })), recommendationId: newRecommendationId() };
}
