// CreateRecommender, DescribeRecommender, ListRecommenders, UpdateRecommender, DeleteRecommender,
// StartRecommender, StopRecommender (training-rules.md §6 rules 72-78, §11). A recommender serves
// one use case of a Domain dataset group; creating it queues the training of its model
// (recommender-models.ts, src/training/recommender-model-job-work.ts), which moves it to ACTIVE
// or CREATE FAILED. Choices where AWS documents nothing [INF] (see also recommender-rules.ts):
//  * CreateRecommender needs an ACTIVE dataset group (ResourceInUseException); at most 5
//    recommenders per dataset group and 15 per account and region (rule 78), with a text like
//    the campaigns' (OPENPERSONALIZE_QUOTAS=aws enforces them; the default is generous);
//  * DescribeRecommender shows recommenderConfig as given ({} without one: AWS's example), and
//    modelMetrics once a model is trained and while the recommender is not being created;
//  * UpdateRecommender needs an ACTIVE recommender with no unfinished update and no model training
//    underway (ResourceInUseException). New training columns retrain the model, the update's
//    status following the training; any other change is timed like a campaign update. Until the
//    update is ACTIVE the previous configuration (and model) serve;
//  * Stop / Start: only from ACTIVE (with no unfinished update) / INACTIVE, else
//    ResourceInUseException; their steps are timed over the provisioning time;
//  * DeleteRecommender: when ACTIVE, INACTIVE or CREATE FAILED (ResourceInUseException while it is
//    being created, stopped or started), immediate, with its models; their artifacts are deleted
//    after the commit, best effort (the orphan sweep takes what is left);
//  * ListRecommenders: the account's, or a dataset group's (an unknown group lists nothing: the
//    operation declares no ResourceNotFoundException); newest first.
import type {
  CreateRecommenderRequest,
  CreateRecommenderResponse,
  Recommender,
  RecommenderConfig,
  UpdateRecommenderRequest,
} from '../../api/personalize-types.ts';
import type { PersonalizeHandlers } from '../../api/personalize-handlers.ts';
import type { CatalogOps, ResourceRecord } from '../../catalog/catalog.ts';
import type { RequestContext } from '../../protocol/handler-types.ts';
import { alreadyExists, inUse, limitExceeded, tooManyTags } from '../../protocol/service-error.ts';
import { childrenLock, DATASET_GROUP_KIND, DATASET_GROUP_STATUSES } from '../dataset-groups/dataset-group-record.ts';
import { groupSchemas } from '../metric-attributions/metric-attribution-rules.ts';
import { makeArn } from '../shared/arns.ts';
import { schedule, type Transition } from '../shared/lifecycle.ts';
import { insertResource, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { canMove, hasStatus, isFinal, withStatus } from '../shared/status-table.ts';
import type { GroupSchemas } from '../solutions/solution-rules.ts';
import { addTags, toTags } from '../tags/tag-rules.ts';
import { RECOMMENDER_MODEL_KIND, modelArtifactKeyOf } from './recommender-model-record.ts';
import { queueModel } from './recommender-models.ts';
import {
  RECOMMENDER_KIND,
  RECOMMENDER_STATUSES,
  RECOMMENDER_UPDATE_STATUSES,
  recommenderLock,
  MAX_MODEL_HISTORY,
  recommenderQuotaLock,
  type RecommenderBody,
  type StoredRecommenderUpdate,
} from './recommender-record.ts';
import { checkRecommenderConfig, checkRecommenderRecipe, mergedConfig, retrains } from './recommender-rules.ts';
import { RETRAIN_INTERVAL_MS } from './recommender-schedule.ts';

const WITH_METRICS = new Set(['ACTIVE', 'STOP PENDING', 'STOP IN_PROGRESS', 'INACTIVE', 'START PENDING', 'START IN_PROGRESS']);

function describeRecommender(record: ResourceRecord): Recommender {
  const body = record.body as unknown as RecommenderBody;
  const update = body.latestRecommenderUpdate;
  return {
    recommenderArn: record.arn,
    datasetGroupArn: record.parentArn ?? undefined,
    name: record.name,
    recipeArn: body.recipeArn,
    recommenderConfig: body.recommenderConfig,
    creationDateTime: toDate(record.createdAt),
    lastUpdatedDateTime: toDate(record.updatedAt),
    status: record.status ?? undefined,
    failureReason: body.failureReason,
    // Only once the recommender has had an UpdateRecommender.
    latestRecommenderUpdate: update && {
      recommenderConfig: update.recommenderConfig,
      creationDateTime: toDate(update.creationDateTime),
      lastUpdatedDateTime: toDate(update.lastUpdatedDateTime),
      status: update.status,
      failureReason: update.failureReason,
    },
    modelMetrics: WITH_METRICS.has(record.status ?? '') ? body.modelMetrics : undefined,
  };
}

async function schemasOf(ops: CatalogOps, group: ResourceRecord): Promise<GroupSchemas> {
  const out: GroupSchemas = {};
  for (const [type, { schema }] of await groupSchemas(ops, group)) out[type] = schema;
  return out;
}

const updateUnfinished = (body: RecommenderBody) =>
  body.latestRecommenderUpdate !== undefined && !isFinal(RECOMMENDER_UPDATE_STATUSES, body.latestRecommenderUpdate.status);

export function recommenderOperations(
  deps: ServiceDeps,
): Pick<
  PersonalizeHandlers,
  | 'CreateRecommender'
  | 'DescribeRecommender'
  | 'ListRecommenders'
  | 'UpdateRecommender'
  | 'DeleteRecommender'
  | 'StartRecommender'
  | 'StopRecommender'
> {
  /** The recommender under its lock, settled to now. */
  async function lockedRecommender(tx: CatalogOps, ctx: RequestContext, arn: string): Promise<ResourceRecord> {
    await tx.lock(recommenderLock(arn));
    return loadResource(deps, tx, ctx, RECOMMENDER_KIND, arn);
  }

  /** Moves an ACTIVE / INACTIVE recommender through stopping or starting (timed steps). */
  async function stopOrStart(ctx: RequestContext, arn: string, stop: boolean): Promise<{ recommenderArn: string }> {
    const now = deps.now();
    await deps.catalog.transaction(async (tx) => {
      const record = await lockedRecommender(tx, ctx, arn);
      const [first, ...steps] = stop
        ? (['STOP PENDING', 'STOP IN_PROGRESS', 'INACTIVE'] as const)
        : (['START PENDING', 'START IN_PROGRESS', 'ACTIVE'] as const);
      if (!canMove(RECOMMENDER_STATUSES, record.status, first) || record.status === first)
        throw inUse(
          `Recommender ${arn} is in state ${record.status}; it can be ${stop ? 'stopped once it is ACTIVE' : 'started once it is INACTIVE'}.`,
        );
      const body = record.body as unknown as RecommenderBody;
      if (stop && updateUnfinished(body))
        throw inUse(
          `Recommender ${arn} has an update in state ${body.latestRecommenderUpdate!.status}; stop it once the update is ACTIVE.`,
        );
      const moved = withStatus(RECOMMENDER_STATUSES, record, first, now);
      const transitions = schedule(RECOMMENDER_STATUSES, first, steps, now, deps.config.provisioningMs);
      const calls = [...(body.stopStartHistory ?? []), { at: now, action: stop ? ('STOP' as const) : ('START' as const) }];
      const stopStartHistory = calls.slice(-MAX_MODEL_HISTORY);
      await tx.update({ ...moved, body: { ...moved.body, transitions, stopStartHistory } });
    });
    return { recommenderArn: arn };
  }

  return {
    async CreateRecommender(input: CreateRecommenderRequest, ctx): Promise<CreateRecommenderResponse> {
      const tags = toTags(input.tags);
      if (tags.length > deps.quotas.tagsPerResource)
        throw tooManyTags(`${tags.length} tags given; the limit is ${deps.quotas.tagsPerResource} tags per resource.`);
      const arn = makeArn(RECOMMENDER_KIND.kind, ctx.region, ctx.account, input.name);
      const now = deps.now();
      await deps.catalog.transaction(async (tx) => {
        const group = await loadResource(deps, tx, ctx, DATASET_GROUP_KIND, input.datasetGroupArn);
        if (await tx.get(arn)) throw alreadyExists(`A recommender with the ARN ${arn} already exists.`);
        const useCase = checkRecommenderRecipe(input.recipeArn, group);
        if (!hasStatus(DATASET_GROUP_STATUSES, group, 'ACTIVE'))
          throw inUse(`Dataset group ${group.arn} is in state ${group.status}; a recommender can be created once it is ACTIVE.`);
        checkRecommenderConfig(input.recommenderConfig, await schemasOf(tx, group));
        // Against DeleteDatasetGroup (which refuses while the group has recommenders) and the quotas.
        await tx.lock(childrenLock(group.arn));
        await tx.lock(recommenderQuotaLock(ctx.account, ctx.region));
        const inGroup = await tx.count({ account: ctx.account, region: ctx.region, kind: RECOMMENDER_KIND.kind, parentArn: group.arn });
        const inRegion = await tx.count({ account: ctx.account, region: ctx.region, kind: RECOMMENDER_KIND.kind });
        if (inGroup >= deps.quotas.recommendersPerGroup || inRegion >= deps.quotas.recommendersPerRegion) {
          const limit = inGroup >= deps.quotas.recommendersPerGroup ? deps.quotas.recommendersPerGroup : deps.quotas.recommendersPerRegion;
          throw limitExceeded(
            `Cannot create a recommender. More than ${limit} resources in ACTIVE state. Please delete some and try again.`,
          );
        }
        const config: RecommenderConfig = input.recommenderConfig ?? {};
        const body: RecommenderBody = {
          recipeArn: useCase.recipe.arn,
          domain: useCase.recipe.domain!,
          recommenderConfig: config,
          retrainAt: now + RETRAIN_INTERVAL_MS,
        };
        const recommender = { arn, name: input.name, account: ctx.account, region: ctx.region, parentArn: group.arn };
        body.pendingModelArn = await queueModel(
          deps,
          tx,
          { ...recommender, body: body as unknown as Record<string, unknown> },
          'CREATE',
          config,
        );
        await insertResource(tx, RECOMMENDER_KIND, { ...recommender, createdAt: now, updatedAt: now, body: { ...body } });
        await addTags(tx, arn, tags, deps.quotas.tagsPerResource);
      });
      deps.jobQueued();
      return { recommenderArn: arn };
    },

    async DescribeRecommender(input, ctx) {
      return { recommender: describeRecommender(await loadResource(deps, deps.catalog, ctx, RECOMMENDER_KIND, input.recommenderArn)) };
    },

    async ListRecommenders(input, ctx) {
      const page = await listPage(
        deps,
        ctx,
        'ListRecommenders',
        { kind: RECOMMENDER_KIND.kind, parentArn: input.datasetGroupArn },
        input.nextToken,
        input.maxResults,
      );
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { recommenders: page.records.map(describeRecommender), nextToken: page.nextToken };
    },

    async UpdateRecommender(input: UpdateRecommenderRequest, ctx) {
      const now = deps.now();
      let queued = false;
      await deps.catalog.transaction(async (tx) => {
        const record = await lockedRecommender(tx, ctx, input.recommenderArn);
        const body = record.body as unknown as RecommenderBody;
        if (!hasStatus(RECOMMENDER_STATUSES, record, 'ACTIVE'))
          throw inUse(`Recommender ${record.arn} is in state ${record.status}; it can be updated once it is ACTIVE.`);
        if (updateUnfinished(body))
          throw inUse(`Recommender ${record.arn} has an update in state ${body.latestRecommenderUpdate!.status}; wait until it is ACTIVE.`);
        if (body.pendingModelArn)
          throw inUse(`Recommender ${record.arn} is training a model (${body.pendingModelArn}); update it once the training ends.`);
        const group = await loadResource(deps, tx, ctx, DATASET_GROUP_KIND, record.parentArn!);
        checkRecommenderConfig(input.recommenderConfig, await schemasOf(tx, group));
        const next = mergedConfig(body.recommenderConfig, input.recommenderConfig);
        const update = (status: StoredRecommenderUpdate['status'], at: number, modelArn?: string): StoredRecommenderUpdate => ({
          recommenderConfig: next,
          status,
          creationDateTime: now,
          lastUpdatedDateTime: at,
          ...(modelArn ? { modelArn } : {}),
        });
        if (retrains(body.recommenderConfig, next)) {
          // The update follows its training (recommender-model-job-work.ts).
          const modelArn = await queueModel(deps, tx, record, 'UPDATE', next);
          queued = true;
          const patch: Partial<RecommenderBody> = {
            latestRecommenderUpdate: update('CREATE PENDING', now, modelArn),
            pendingModelArn: modelArn,
          };
          await tx.update({ ...record, updatedAt: now, body: { ...record.body, ...patch } });
          return;
        }
        // The update's own timed states; the recommender stays ACTIVE and switches at the last one.
        const [inProgress, active] = schedule(
          RECOMMENDER_UPDATE_STATUSES,
          RECOMMENDER_UPDATE_STATUSES.initial,
          ['CREATE IN_PROGRESS', 'ACTIVE'],
          now,
          deps.config.provisioningMs,
        );
        const transitions: Transition[] = [
          { status: 'ACTIVE', at: inProgress.at, patch: { latestRecommenderUpdate: update('CREATE IN_PROGRESS', inProgress.at) } },
          { status: 'ACTIVE', at: active.at, patch: { recommenderConfig: next, latestRecommenderUpdate: update('ACTIVE', active.at) } },
        ];
        await tx.update({
          ...record,
          updatedAt: now,
          body: { ...record.body, latestRecommenderUpdate: update('CREATE PENDING', now), transitions },
        });
      });
      if (queued) deps.jobQueued();
      return { recommenderArn: input.recommenderArn };
    },

    async DeleteRecommender(input, ctx) {
      let artifacts: string[] = [];
      await deps.catalog.transaction(async (tx) => {
        const record = await lockedRecommender(tx, ctx, input.recommenderArn);
        if (!canMove(RECOMMENDER_STATUSES, record.status, 'DELETE PENDING'))
          throw inUse(
            `Recommender ${record.arn} is in state ${record.status}; it can be deleted when it is ACTIVE, INACTIVE or CREATE FAILED.`,
          );
        const models = await tx.list({
          account: ctx.account,
          region: ctx.region,
          kind: RECOMMENDER_MODEL_KIND.kind,
          parentArn: record.arn,
        });
        for (const m of models) await tx.delete(m.arn);
        await tx.delete(record.arn);
        artifacts = models.map((m) => modelArtifactKeyOf(m.body)).filter((k): k is string => k !== undefined);
      });
      // After the commit, best effort: the orphan sweep deletes what this leaves behind.
      await deps.models.delete(artifacts).catch(() => undefined);
      return {};
    },

    StopRecommender: (input, ctx) => stopOrStart(ctx, input.recommenderArn, true),
    StartRecommender: (input, ctx) => stopOrStart(ctx, input.recommenderArn, false),
  };
}
