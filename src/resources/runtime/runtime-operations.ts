// The personalize-runtime API (rest-json, signing name personalize): GetRecommendations,
// GetPersonalizedRanking and GetActionRecommendations (training-rules.md §7; the last in
// action-runtime.ts). Each request reads its campaign from the catalog
// (settled to now: an UpdateCampaign that became ACTIVE on any node is seen at once), checks the
// request against the campaign (runtime-rules.ts) and asks the serving plane (src/serving/) for
// the answer.
//
// Choices where AWS documents nothing [INF]:
//  * a campaign still being created is ResourceNotFoundException (rule 80), as is one of another
//    account or region, a deleted one and an unknown ARN;
//  * recommenderArn: answered by recommender-runtime.ts (the recommender's use case);
//  * `context` weights the user models' items by how often they were taken in that context
//    (training/models/context.ts); other recipes ignore it, and unknown keys and values change nothing;
//  * campaignConfig.rankingInfluence re-ranks Semantic-Similarity's answers (serving/ranking-influence.ts);
//  * User-Personalization(-v2): the user's history per rule 120, exploration by the campaign's
//    itemExplorationConfig, v2's placeholders and `reason` (serving/real-time-personalization.ts);
//  * `promotions` (at most one, by the model): its filter goes through the same hook as the
//    request's (request-filter.ts); a promotion without a filter promotes nothing [INF: AWS
//    requires one in its console, the model does not].
import type { PersonalizeRuntimeHandlers } from '../../api/personalize-runtime-handlers.ts';
import type {
  GetPersonalizedRankingRequest,
  GetPersonalizedRankingResponse,
  GetRecommendationsRequest,
  GetRecommendationsResponse,
  MetadataColumns,
  PredictedItem,
} from '../../api/personalize-runtime-types.ts';
import type { CatalogOps, ResourceRecord } from '../../catalog/catalog.ts';
import type { RequestContext } from '../../protocol/handler-types.ts';
import { notFound } from '../../protocol/service-error.ts';
import type { CampaignServing } from '../../serving/campaign-serving.ts';
import type { RealTimePersonalization } from '../../serving/real-time-personalization.ts';
import type { RecommenderServing } from '../../serving/recommender-serving.ts';
import type { Answered } from '../../serving/user-lists.ts';
import { metadataOf, newRecommendationId, rankItems, recommendItems, runtimeKindOf, type Deployed } from '../../serving/recommendations.ts';
import { CAMPAIGN_KIND, CAMPAIGN_STATUSES, type CampaignBody } from '../campaigns/campaign-record.ts';
import { settle } from '../shared/lifecycle.ts';
import { withRankingInfluence } from '../../serving/ranking-influence.ts';
import { actionRecommendations } from './action-runtime.ts';
import { recommenderRecommendations } from './recommender-runtime.ts';
import { promotionOf, requestFilter } from './request-filter.ts';
import { hasStatus } from '../shared/status-table.ts';
import {
  checkInputList,
  checkOneTarget,
  checkRankingCampaign,
  checkRecommendationIds,
  metadataColumnsOf,
  numResultsOf,
  wantsMetadata,
} from './runtime-rules.ts';

export interface RuntimeDeps {
  catalog: Pick<CatalogOps, 'get' | 'list'>;
  now: () => number;
  serving: CampaignServing;
  personalization: RealTimePersonalization;
  /** Recommenders' deployments (absent: every recommender is unknown). */
  recommenders?: RecommenderServing;
}

function predicted(items: Answered[], metadata: Map<string, Record<string, string>> | undefined): PredictedItem[] {
  return items.map((s) => ({
    itemId: s.item,
    ...(s.score !== undefined ? { score: s.score } : {}),
    ...(s.promotionName !== undefined ? { promotionName: s.promotionName } : {}),
    ...(s.reason !== undefined ? { reason: s.reason } : {}),
    ...(metadata ? { metadata: metadata.get(s.item) } : {}),
  }));
}

export function runtimeOperations(deps: RuntimeDeps): PersonalizeRuntimeHandlers {
  /** The campaign as the caller may use it now: theirs, and ACTIVE. */
  async function activeCampaign(ctx: RequestContext, arn: string): Promise<ResourceRecord> {
    const record = await deps.catalog.get(arn);
    if (!record || record.kind !== CAMPAIGN_KIND.kind || record.account !== ctx.account || record.region !== ctx.region)
      throw notFound(`Could not find the campaign ${arn}.`);
    const campaign = settle(record, deps.now());
    if (!hasStatus(CAMPAIGN_STATUSES, campaign, 'ACTIVE'))
      throw notFound(`Campaign ${arn} is in state ${campaign.status}; it answers requests once it is ACTIVE.`);
    return campaign;
  }

  /** The Items columns a request's metadataColumns name, or undefined when it asks for none. */
  async function metadataColumns(
    requested: MetadataColumns | undefined,
    campaign: ResourceRecord,
    d: Deployed,
  ): Promise<string[] | undefined> {
    if (!wantsMetadata(requested)) return undefined;
    const [first] = (await d.data.items()).values();
    const config = (campaign.body as unknown as CampaignBody).campaignConfig;
    return metadataColumnsOf(requested!, campaign.arn, config, d.recipe, first ? Object.keys(first) : undefined);
  }

  return {
    async GetRecommendations(input: GetRecommendationsRequest, ctx): Promise<GetRecommendationsResponse> {
      checkOneTarget(input);
      if (input.recommenderArn !== undefined) {
        if (!deps.recommenders) throw notFound(`Could not find the recommender ${input.recommenderArn}.`);
        return recommenderRecommendations({ ...deps, recommenders: deps.recommenders }, input, ctx);
      }
      const campaign = await activeCampaign(ctx, input.campaignArn!);
      const config = (campaign.body as unknown as CampaignBody).campaignConfig;
      const d = withRankingInfluence(await deps.serving.deployed(campaign), config?.rankingInfluence);
      // The model reads the user's history per rule 120; filters read the data now (d.data).
      const p = await deps.personalization.request(d);
      const kind = runtimeKindOf(d.recipe);
      checkRecommendationIds(kind, d.recipe, campaign.arn, input);
      const columns = await metadataColumns(input.metadataColumns, campaign, d);
      const numResults = numResultsOf(input.numResults, columns !== undefined);
      const subject = { userId: input.userId, itemId: input.itemId, datasetGroupArn: d.version.datasetGroupArn, data: d.data };
      const keep = await requestFilter(deps, ctx, input.filterArn, input.filterValues, subject);
      const promotion = await promotionOf(deps, ctx, input.promotions, subject);
      const items = await p.finish(
        await recommendItems(p.deployed, {
          userId: input.userId,
          itemId: input.itemId,
          numResults,
          keep,
          promotion,
          context: input.context,
        }),
        {
          userId: input.userId,
          numResults,
          keep,
          itemExplorationConfig: (campaign.body as unknown as CampaignBody).campaignConfig?.itemExplorationConfig,
          seed: JSON.stringify([campaign.arn, input.filterArn, input.filterValues, input.promotions]),
          context: input.context,
        },
      );
      const metadata =
        columns &&
        (await metadataOf(
          d.data,
          items.map((s) => s.item),
          columns,
        ));
      return { itemList: predicted(items, metadata), recommendationId: newRecommendationId() };
    },

    async GetPersonalizedRanking(input: GetPersonalizedRankingRequest, ctx): Promise<GetPersonalizedRankingResponse> {
      const campaign = await activeCampaign(ctx, input.campaignArn);
      const d = await deps.serving.deployed(campaign);
      checkRankingCampaign(runtimeKindOf(d.recipe), d.recipe, campaign.arn);
      const columns = await metadataColumns(input.metadataColumns, campaign, d);
      checkInputList(input.inputList.length, columns !== undefined);
      const keep = await requestFilter(deps, ctx, input.filterArn, input.filterValues, {
        userId: input.userId,
        datasetGroupArn: d.version.datasetGroupArn,
        data: d.data,
      });
      const items = await rankItems((await deps.personalization.request(d)).deployed, {
        userId: input.userId,
        inputList: input.inputList,
        keep,
        context: input.context,
      });
      const metadata =
        columns &&
        (await metadataOf(
          d.data,
          items.map((s) => s.item),
          columns,
        ));
      return { personalizedRanking: predicted(items, metadata), recommendationId: newRecommendationId() };
    },

    GetActionRecommendations: (input, ctx) => actionRecommendations({ ...deps, activeCampaign }, input, ctx),
  };
}
