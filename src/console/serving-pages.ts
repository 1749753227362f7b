// The console's campaign and recommender pages: the resource, its history (creation, updates,
// retrained models) and the shape of its try-it panel (which ids the runtime operation takes for
// its recipe or use case, the group's filters with their $parameters, the Items columns the
// answer's metadata shows). The try-it request itself is try-it.ts.
import type { ResourceRecord } from '../catalog/catalog.ts';
import { parsedSchemaOf, SCHEMA_KIND } from '../resources/schemas/schema-record.ts';
import { CAMPAIGN_KIND, type CampaignBody } from '../resources/campaigns/campaign-record.ts';
import { DATASET_GROUP_KIND } from '../resources/dataset-groups/dataset-group-record.ts';
import { DATASET_KIND, type DatasetBody } from '../resources/datasets/dataset-record.ts';
import { FILTER_KIND, type FilterBody } from '../resources/filters/filter-record.ts';
import { RECOMMENDER_MODEL_KIND, type RecommenderModelBody } from '../resources/recommenders/recommender-model-record.ts';
import { RECOMMENDER_KIND, type RecommenderBody } from '../resources/recommenders/recommender-record.ts';
import { parseFilterExpression } from '../serving/filters/filter-parser.ts';
import { tokenize } from '../serving/filters/filter-tokens.ts';
import { runtimeKindOf } from '../serving/recommendations.ts';
import { findRecipe } from '../training/recipes/recipe-catalog.ts';
import { useCaseOf } from '../training/recommender-use-cases.ts';
import type { HistoryEntry, ServingDetail, TryItShape } from './console-training-types.ts';
import type { ConsoleCaller } from './console-session.ts';
import { recipeName, type ConsoleReads } from './model-pages.ts';

/** Metadata columns an answer shows at most. */
const MAX_METADATA_COLUMNS = 8;

/** The group's ACTIVE item filters, with the $parameters their expressions take. */
async function itemFilters(reads: ConsoleReads, c: ConsoleCaller, groupArn: string): Promise<TryItShape['filters']> {
  const out: TryItShape['filters'] = [];
  for (const f of await reads.list(c, FILTER_KIND, groupArn)) {
    if (f.status !== 'ACTIVE') continue;
    const expression = (f.body as unknown as FilterBody).filterExpression;
    try {
      if (parseFilterExpression(expression).expressions.some((x) => x.target !== 'ItemID')) continue;
      const parameters = [...new Set(tokenize(expression).flatMap((t) => (t.kind === 'param' ? [t.value] : [])))];
      out.push({ arn: f.arn, name: f.name, expression, parameters });
    } catch {
      // An expression this service accepted parses; one that does not is not offered.
    }
  }
  return out;
}

/** The Items dataset's columns (naming ones first, then schema order; ITEM_ID left out); [] without an Items dataset. */
export async function itemColumns(reads: ConsoleReads, c: ConsoleCaller, groupArn: string): Promise<string[]> {
  const items = (await reads.list(c, DATASET_KIND, groupArn)).find((d) => (d.body as unknown as DatasetBody).datasetType === 'ITEMS');
  if (!items) return [];
  const schema = await reads.load(c, SCHEMA_KIND, (items.body as unknown as DatasetBody).schemaArn).catch(() => undefined);
  if (!schema) return [];
  const names = parsedSchemaOf(schema)
    .fields.map((f) => f.name)
    .filter((n) => n !== 'ITEM_ID');
  // What names an item (TITLE, ITEM_NAME, PRODUCT_NAME, ...) first: that is what a reader looks for.
  const naming = (n: string) => (/(TITLE|NAME)$/i.test(n) ? 0 : 1);
  return names.sort((a, b) => naming(a) - naming(b)).slice(0, MAX_METADATA_COLUMNS);
}

/** What the runtime answers for a campaign or recommender: its operation and ids, or why it cannot be tried. */
export function runtimeShapeOf(target: ResourceRecord): Pick<TryItShape, 'operation' | 'userId' | 'itemId' | 'unavailable'> {
  const notActive = target.status === 'ACTIVE' ? undefined : `It is ${target.status}: it answers requests once it is ACTIVE.`;
  if (target.kind === RECOMMENDER_KIND.kind) {
    const useCase = useCaseOf((target.body as unknown as RecommenderBody).recipeArn);
    if (!useCase) return { operation: 'GetRecommendations', userId: 'unused', itemId: 'unused', unavailable: 'Unknown use case.' };
    return { operation: 'GetRecommendations', userId: useCase.userId, itemId: useCase.itemId, unavailable: notActive };
  }
  const recipe = findRecipe((target.body as unknown as CampaignBody).recipeArn);
  const kind = recipe ? runtimeKindOf(recipe) : 'OTHER';
  const base = { operation: 'GetRecommendations' as const, unavailable: notActive };
  if (kind === 'USER') return { ...base, userId: 'required', itemId: 'unused' };
  if (kind === 'RELATED') return { ...base, userId: 'optional', itemId: 'required' };
  if (kind === 'POPULAR') return { ...base, userId: 'optional', itemId: 'unused' };
  if (kind === 'RANKING') return { ...base, operation: 'GetPersonalizedRanking', userId: 'required', itemId: 'unused' };
  return {
    ...base,
    userId: 'unused',
    itemId: 'unused',
    unavailable: `The recipe ${recipe?.name ?? '(unknown)'} has no recommendations to try here (batch jobs use it).`,
  };
}

function campaignHistory(r: ResourceRecord): HistoryEntry[] {
  const body = r.body as unknown as CampaignBody;
  const replaced = body.replacedDeployments ?? [];
  const update = body.latestCampaignUpdate;
  // Each update replaced the deployment before it; the last one deploys the update's target.
  const deployments = [...replaced, replaced.length > 0 && update ? update : body];
  const entries: HistoryEntry[] = [
    {
      at: r.createdAt,
      event: 'created',
      what: deployments[0].solutionVersionArn,
      config: { minProvisionedTPS: deployments[0].minProvisionedTPS, campaignConfig: deployments[0].campaignConfig },
      status: replaced.length > 0 ? 'ACTIVE' : (r.status ?? undefined),
    },
  ];
  replaced.forEach((d, i) => {
    const next = deployments[i + 1];
    const last = i === replaced.length - 1;
    entries.push({
      at: d.replacedAt,
      event: 'updated',
      what: next.solutionVersionArn,
      config: { minProvisionedTPS: next.minProvisionedTPS, campaignConfig: next.campaignConfig },
      status: last ? update?.status : 'ACTIVE',
      failureReason: last ? update?.failureReason : undefined,
    });
  });
  // A campaign updated before the history was kept: its latest update alone.
  if (replaced.length === 0 && update)
    entries.push({
      at: update.creationDateTime,
      event: 'updated',
      what: update.solutionVersionArn,
      config: { minProvisionedTPS: update.minProvisionedTPS, campaignConfig: update.campaignConfig },
      status: update.status,
      failureReason: update.failureReason,
    });
  return entries;
}

const PURPOSE: Record<string, string> = {
  CREATE: 'trained',
  RETRAIN: 'retrained (weekly)',
  UPDATE: 'retrained (update)',
  REFRESH: 're-evaluated (trending)',
};

async function recommenderHistory(reads: ConsoleReads, c: ConsoleCaller, r: ResourceRecord): Promise<HistoryEntry[]> {
  const body = r.body as unknown as RecommenderBody;
  const entries: HistoryEntry[] = [{ at: r.createdAt, event: 'created', what: recipeName(body.recipeArn) }];
  const served = body.modelHistory ?? (body.model ? [{ arn: body.model.arn, purpose: 'CREATE', since: body.model.since }] : []);
  for (const m of served)
    entries.push({
      at: m.since,
      event: PURPOSE[m.purpose] ?? m.purpose,
      what: m.arn.slice(m.arn.indexOf('/') + 1),
      status: 'ACTIVE',
      metrics: 'metrics' in m ? m.metrics : undefined,
    });
  // Models being trained, and failed ones (kept until a newer model replaces them).
  for (const m of await reads.list(c, RECOMMENDER_MODEL_KIND, r.arn)) {
    if (m.status === 'ACTIVE') continue;
    const mb = m.body as unknown as RecommenderModelBody;
    entries.push({
      at: m.createdAt,
      event: PURPOSE[mb.purpose] ?? mb.purpose,
      what: m.name,
      status: m.status ?? undefined,
      failureReason: mb.failureReason,
    });
  }
  // Stopping and starting: the latest call shows where its steps are now; earlier ones finished.
  const calls = body.stopStartHistory ?? [];
  calls.forEach((call, i) => {
    const finalStatus = call.action === 'STOP' ? 'INACTIVE' : 'ACTIVE';
    const latest = i === calls.length - 1 && r.status?.startsWith(call.action);
    entries.push({
      at: call.at,
      event: call.action === 'STOP' ? 'stopped' : 'started',
      what: recipeName(body.recipeArn),
      status: latest ? r.status! : finalStatus,
    });
  });
  const update = body.latestRecommenderUpdate;
  if (update)
    entries.push({
      at: update.creationDateTime,
      event: 'update requested',
      what: recipeName(body.recipeArn),
      status: update.status,
      config: update.recommenderConfig,
      failureReason: update.failureReason,
    });
  return entries.sort((a, b) => a.at - b.at);
}

export async function servingDetail(
  reads: ConsoleReads,
  c: ConsoleCaller,
  kind: 'campaign' | 'recommender',
  arn: string | null,
): Promise<ServingDetail> {
  const r = await reads.load(c, kind === 'campaign' ? CAMPAIGN_KIND : RECOMMENDER_KIND, arn);
  const groupArn = kind === 'campaign' ? (r.body as unknown as CampaignBody).datasetGroupArn : r.parentArn!;
  const group = await reads.load(c, DATASET_GROUP_KIND, groupArn);
  const [filters, metadataColumns, history] = await Promise.all([
    itemFilters(reads, c, groupArn),
    itemColumns(reads, c, groupArn),
    kind === 'campaign' ? campaignHistory(r) : recommenderHistory(reads, c, r),
  ]);
  const base = {
    kind,
    arn: r.arn,
    name: r.name,
    status: r.status,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    groupArn,
    groupName: group.name,
    history,
    tryIt: { ...runtimeShapeOf(r), filters, metadataColumns },
  };
  if (kind === 'campaign') {
    const b = r.body as unknown as CampaignBody;
    return {
      ...base,
      recipe: recipeName(b.recipeArn),
      solutionVersionArn: b.solutionVersionArn,
      solutionArn: r.parentArn ?? undefined,
      minProvisionedTPS: b.minProvisionedTPS,
      config: b.campaignConfig,
    };
  }
  const b = r.body as unknown as RecommenderBody;
  return { ...base, recipe: recipeName(b.recipeArn), config: b.recommenderConfig, failureReason: b.failureReason, metrics: b.modelMetrics };
}
