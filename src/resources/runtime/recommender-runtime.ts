// GetRecommendations with a recommenderArn (training-rules.md rules 74, 79-88, 94, table 1.6):
// the recommender's use case decides the ids it needs and what it filters out by itself; the
// answer is computed as a campaign's is (recommendations.ts, real-time-personalization.ts) from
// the deployment serving/recommender-serving.ts gives. Choices where AWS documents nothing [INF]:
//  * a recommender being created is ResourceNotFoundException (as a campaign, rule 80); one that
//    is stopping, stopped, starting or failed is InvalidInputException (rule 74);
//  * a missing required id (table 1.6) is InvalidInputException naming it; an id the use case does
//    not use is ignored;
//  * the automatic filter (rule 22) applies before the request's filter and to promoted items too
//    (a purchased item is not promoted either); exploration uses the recommender's
//    itemExplorationConfig for the personalised use cases only;
//  * no scores (rule 94: "No scores for domain recommenders") and no reasons;
//  * metadataColumns needs enableMetadataWithRecommendations in the recommender's configuration.
import type { GetRecommendationsRequest, GetRecommendationsResponse, PredictedItem } from '../../api/personalize-runtime-types.ts';
import type { CatalogOps, ResourceRecord } from '../../catalog/catalog.ts';
import type { RequestContext } from '../../protocol/handler-types.ts';
import { invalidInput, notFound } from '../../protocol/service-error.ts';
import type { RealTimePersonalization } from '../../serving/real-time-personalization.ts';
import { metadataOf, newRecommendationId, recommendItems, type ItemPredicate } from '../../serving/recommendations.ts';
import { automaticFilter, type RecommenderServing } from '../../serving/recommender-serving.ts';
import type { DomainUseCase } from '../../training/recommender-use-cases.ts';
import { RECOMMENDER_KIND, type RecommenderBody } from '../recommenders/recommender-record.ts';
import { settle } from '../shared/lifecycle.ts';
import { promotionOf, requestFilter } from './request-filter.ts';
import { metadataColumnsOf, numResultsOf, wantsMetadata } from './runtime-rules.ts';

export interface RecommenderRuntimeDeps {
  catalog: Pick<CatalogOps, 'get' | 'list'>;
  now: () => number;
  recommenders: RecommenderServing;
  personalization: RealTimePersonalization;
}

/** The recommender as the caller may use it now: theirs, and ACTIVE. */
async function activeRecommender(deps: RecommenderRuntimeDeps, ctx: RequestContext, arn: string): Promise<ResourceRecord> {
  const record = await deps.catalog.get(arn);
  if (!record || record.kind !== RECOMMENDER_KIND.kind || record.account !== ctx.account || record.region !== ctx.region)
    throw notFound(`Could not find the recommender ${arn}.`);
  const recommender = settle(record, deps.now());
  const status = recommender.status ?? '';
  if (status === 'ACTIVE') return recommender;
  if (status.startsWith('CREATE ') && status !== 'CREATE FAILED')
    throw notFound(`Recommender ${arn} is in state ${status}; it answers requests once it is ACTIVE.`);
  if (status === 'INACTIVE')
    throw invalidInput(`Recommender ${arn} is stopped (INACTIVE); start it with StartRecommender to get recommendations.`);
  throw invalidInput(`Recommender ${arn} is in state ${status}; it answers requests only when it is ACTIVE.`);
}

function checkIds(useCase: DomainUseCase, arn: string, input: { userId?: string; itemId?: string }): void {
  const what = `recommender ${arn} serves the ${useCase.title} use case (${useCase.recipe.name})`;
  if (useCase.userId === 'required' && input.userId === undefined) throw invalidInput(`userId is required: ${what}.`);
  if (useCase.itemId === 'required' && input.itemId === undefined) throw invalidInput(`itemId is required: ${what}.`);
}

const both = (a: ItemPredicate | undefined, b: ItemPredicate | undefined): ItemPredicate | undefined =>
  a && b ? (id) => a(id) && b(id) : (a ?? b);

export async function recommenderRecommendations(
  deps: RecommenderRuntimeDeps,
  input: GetRecommendationsRequest,
  ctx: RequestContext,
): Promise<GetRecommendationsResponse> {
  const arn = input.recommenderArn!;
  const recommender = await activeRecommender(deps, ctx, arn);
  const config = (recommender.body as unknown as RecommenderBody).recommenderConfig;
  const { deployed: d, useCase } = await deps.recommenders.deployed(recommender);
  checkIds(useCase, arn, input);
  const userId = useCase.userId === 'unused' ? undefined : input.userId;
  const itemId = useCase.itemId === 'unused' ? undefined : input.itemId;
  let columns: string[] | undefined;
  if (wantsMetadata(input.metadataColumns)) {
    if (!config.enableMetadataWithRecommendations)
      throw invalidInput(
        `metadataColumns needs a recommender with enableMetadataWithRecommendations; recommender ${arn} does not enable it.`,
      );
    const [first] = (await d.data.items()).values();
    columns = metadataColumnsOf(input.metadataColumns!, arn, config, d.recipe, first ? Object.keys(first) : undefined);
  }
  const numResults = numResultsOf(input.numResults, columns !== undefined);
  // The model reads the user's history per rule 120; filters, automatic ones too, read the data now (d.data).
  const p = await deps.personalization.request(d);
  const subject = { userId: input.userId, itemId: input.itemId, datasetGroupArn: recommender.parentArn!, data: d.data };
  const automatic = await automaticFilter(useCase, d.data, input.userId);
  const keep = both(automatic, await requestFilter(deps, ctx, input.filterArn, input.filterValues, subject));
  const promotion = await promotionOf(deps, ctx, input.promotions, subject);
  if (promotion) promotion.keep = both(automatic, promotion.keep)!;
  const context = input.context;
  const items = await p.finish(await recommendItems(p.deployed, { userId, itemId, numResults, keep, promotion, context }), {
    userId,
    numResults,
    keep,
    itemExplorationConfig: useCase.personalized ? config.itemExplorationConfig : { explorationWeight: '0' },
    seed: JSON.stringify([arn, input.filterArn, input.filterValues, input.promotions]),
    context,
  });
  const metadata =
    columns &&
    (await metadataOf(
      d.data,
      items.map((s) => s.item),
      columns,
    ));
  const itemList: PredictedItem[] = items.map((s) => ({
    itemId: s.item,
    ...(s.promotionName !== undefined ? { promotionName: s.promotionName } : {}),
    ...(metadata ? { metadata: metadata.get(s.item) } : {}),
  }));
  return { itemList, recommendationId: newRecommendationId() };
}
