// CreateSolution, DescribeSolution, ListSolutions, UpdateSolution, DeleteSolution,
// CreateSolutionVersion, DescribeSolutionVersion, ListSolutionVersions,
// StopSolutionVersionCreation, GetSolutionMetrics (training-rules.md §2-§4). A solution is
// provisioned like a dataset group; a version is a job that trains the model
// (src/training/solution-version-job-work.ts). Choices where AWS documents nothing [INF]
// (see also solution-rules.ts):
//  * a solution is ACTIVE after OPENPERSONALIZE_PROVISIONING_MS; CreateSolution needs an ACTIVE
//    dataset group (ResourceInUseException otherwise), at most 10 solutions per group (adjustable:
//    OPENPERSONALIZE_QUOTAS=aws enforces it). CreateSolutionVersion also takes a solution that is
//    still CREATE PENDING / IN_PROGRESS (AWS asks for ACTIVE, but a solution's creation cannot
//    fail here, and AWS's own getting-started notebook creates the version right after the
//    solution, which a 200 ms provisioning time would otherwise refuse);
//  * an UpdateSolution shows CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE in latestSolutionUpdate
//    over the provisioning time, and its configuration applies (to new versions) once ACTIVE; a
//    second update while one is unfinished is ResourceInUseException, as is an update before the
//    solution is ACTIVE; an update that changes nothing is InvalidInputException;
//  * a version's name defaults to <solution name>/<version id> (rule 2); a name given twice within
//    one solution is ResourceAlreadyExistsException; at most 20 versions CREATE PENDING, CREATE
//    IN_PROGRESS or CREATE STOPPING per account and region (adjustable, like the other quota);
//  * DeleteSolution deletes the versions too (and their model artifacts, best effort, after the
//    commit); refused while a version is unfinished or an update is;
//  * StopSolutionVersionCreation on a version in any other state than CREATE PENDING / CREATE
//    IN_PROGRESS is ResourceInUseException; GetSolutionMetrics on a version that is not ACTIVE too;
//  * ListSolutions with an unknown datasetGroupArn lists nothing (the operation declares no
//    ResourceNotFoundException); ListSolutionVersions with an unknown solutionArn is
//    ResourceNotFoundException (declared). Lists are newest first.
import type {
  CreateSolutionRequest,
  CreateSolutionResponse,
  DeleteSolutionRequest,
  DescribeSolutionRequest,
  DescribeSolutionResponse,
  ListSolutionsRequest,
  ListSolutionsResponse,
  Solution,
  SolutionConfig,
  UpdateSolutionRequest,
  UpdateSolutionResponse,
} from '../../api/personalize-types.ts';
import type { PersonalizeHandlers } from '../../api/personalize-handlers.ts';
import type { CatalogOps, ResourceRecord } from '../../catalog/catalog.ts';
import type { RequestContext } from '../../protocol/handler-types.ts';
import { alreadyExists, inUse, invalidInput, limitExceeded, tooManyTags } from '../../protocol/service-error.ts';
import { findRecipe } from '../../training/recipes/recipe-catalog.ts';
import { CAMPAIGN_KIND } from '../campaigns/campaign-record.ts';
import { childrenLock, DATASET_GROUP_KIND, DATASET_GROUP_STATUSES } from '../dataset-groups/dataset-group-record.ts';
import { groupSchemas } from '../metric-attributions/metric-attribution-rules.ts';
import { makeArn } from '../shared/arns.ts';
import { schedule, type Transition } from '../shared/lifecycle.ts';
import { insertResource, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { hasStatus, isFinal } from '../shared/status-table.ts';
import {
  SOLUTION_VERSION_KIND,
  SOLUTION_VERSION_STATUSES,
  type SolutionVersionBody,
} from '../solution-versions/solution-version-record.ts';
import { addTags, toTags } from '../tags/tag-rules.ts';
import { checkEventsConfig, checkRecipe, checkSchedulingExpression, checkSolutionSettings, type GroupSchemas } from './solution-rules.ts';
import {
  SOLUTION_KIND,
  SOLUTION_STATUSES,
  SOLUTION_UPDATE_STATUSES,
  solutionQuotaLock,
  solutionVersionsLock,
  type SolutionBody,
  type StoredSolutionUpdate,
} from './solution-record.ts';
import { FIRST_AUTO_TRAINING_DELAY_MS } from './auto-training.ts';
import { versionsOf, versionSummary } from '../solution-versions/solution-version-describe.ts';

function describeUpdate(update: StoredSolutionUpdate | undefined): Solution['latestSolutionUpdate'] {
  if (!update) return undefined;
  return {
    solutionUpdateConfig: update.solutionUpdateConfig,
    status: update.status,
    performAutoTraining: update.performAutoTraining,
    performIncrementalUpdate: update.performIncrementalUpdate,
    creationDateTime: toDate(update.creationDateTime),
    lastUpdatedDateTime: toDate(update.lastUpdatedDateTime),
    failureReason: update.failureReason,
  };
}

function describeSolution(record: ResourceRecord, latest: ResourceRecord | undefined): Solution {
  const body = record.body as unknown as SolutionBody;
  return {
    name: record.name,
    solutionArn: record.arn,
    performHPO: body.performHPO,
    performAutoML: body.performAutoML,
    performAutoTraining: body.performAutoTraining,
    performIncrementalUpdate: body.performIncrementalUpdate,
    recipeArn: body.recipeArn,
    datasetGroupArn: record.parentArn ?? undefined,
    eventType: body.eventType,
    solutionConfig: body.solutionConfig,
    status: record.status ?? undefined,
    creationDateTime: toDate(record.createdAt),
    lastUpdatedDateTime: toDate(record.updatedAt),
    latestSolutionVersion: latest ? versionSummary(latest) : undefined,
    latestSolutionUpdate: describeUpdate(body.latestSolutionUpdate),
  };
}

async function schemasOf(ops: CatalogOps, group: ResourceRecord): Promise<GroupSchemas> {
  const out: GroupSchemas = {};
  for (const [type, { schema }] of await groupSchemas(ops, group)) out[type] = schema;
  return out;
}

const updateUnfinished = (body: SolutionBody) =>
  body.latestSolutionUpdate !== undefined && !isFinal(SOLUTION_UPDATE_STATUSES, body.latestSolutionUpdate.status);

export function solutionOperations(
  deps: ServiceDeps,
): Pick<PersonalizeHandlers, 'CreateSolution' | 'DescribeSolution' | 'ListSolutions' | 'UpdateSolution' | 'DeleteSolution'> {
  /** The newest version of the solution, if any. */
  async function latestVersion(solution: ResourceRecord): Promise<ResourceRecord | undefined> {
    const [latest] = await deps.catalog.list({
      account: solution.account,
      region: solution.region,
      kind: SOLUTION_VERSION_KIND.kind,
      parentArn: solution.arn,
      limit: 1,
    });
    return latest;
  }

  return {
    async CreateSolution(input: CreateSolutionRequest, ctx): Promise<CreateSolutionResponse> {
      const tags = toTags(input.tags);
      if (tags.length > deps.quotas.tagsPerResource)
        throw tooManyTags(`${tags.length} tags given; the limit is ${deps.quotas.tagsPerResource} tags per resource.`);
      const recipe = checkRecipe(input);
      const arn = makeArn(SOLUTION_KIND.kind, ctx.region, ctx.account, input.name!);
      const now = deps.now();
      await deps.catalog.transaction(async (tx) => {
        const group = await loadResource(deps, tx, ctx, DATASET_GROUP_KIND, input.datasetGroupArn!);
        if (await tx.get(arn)) throw alreadyExists(`A solution with the ARN ${arn} already exists.`);
        if (!hasStatus(DATASET_GROUP_STATUSES, group, 'ACTIVE'))
          throw inUse(`Dataset group ${group.arn} is in state ${group.status}; a solution can be created once it is ACTIVE.`);
        checkSolutionSettings(recipe, input, await schemasOf(tx, group));
        // Against DeleteDatasetGroup (which refuses while the group has solutions) and the quota.
        await tx.lock(childrenLock(group.arn));
        await tx.lock(solutionQuotaLock(group.arn));
        const count = await tx.count({ account: ctx.account, region: ctx.region, kind: SOLUTION_KIND.kind, parentArn: group.arn });
        if (count >= deps.quotas.solutionsPerGroup) {
          throw limitExceeded(
            `Cannot create a solution. More than ${deps.quotas.solutionsPerGroup} resources in ACTIVE state. Please delete some and try again.`,
          );
        }
        const body: SolutionBody = {
          recipeArn: recipe.arn,
          performHPO: input.performHPO ?? false,
          performAutoML: input.performAutoML ?? false,
          performAutoTraining: input.performAutoTraining ?? true,
          performIncrementalUpdate: input.performIncrementalUpdate,
          eventType: input.eventType,
          solutionConfig: input.solutionConfig,
          // The first automatic version is due an hour after the solution is ACTIVE (auto-training.ts).
          autoTraining:
            (input.performAutoTraining ?? true)
              ? { since: now, nextAt: now + deps.config.provisioningMs + FIRST_AUTO_TRAINING_DELAY_MS }
              : undefined,
        };
        const transitions = schedule(
          SOLUTION_STATUSES,
          SOLUTION_STATUSES.initial,
          ['CREATE IN_PROGRESS', 'ACTIVE'],
          now,
          deps.config.provisioningMs,
        );
        await insertResource(tx, SOLUTION_KIND, {
          arn,
          account: ctx.account,
          region: ctx.region,
          name: input.name!,
          parentArn: group.arn,
          createdAt: now,
          updatedAt: now,
          body: { ...body, transitions },
        });
        await addTags(tx, arn, tags, deps.quotas.tagsPerResource);
      });
      return { solutionArn: arn };
    },

    async DescribeSolution(input: DescribeSolutionRequest, ctx): Promise<DescribeSolutionResponse> {
      const record = await loadResource(deps, deps.catalog, ctx, SOLUTION_KIND, input.solutionArn!);
      return { solution: describeSolution(record, await latestVersion(record)) };
    },

    async ListSolutions(input: ListSolutionsRequest, ctx): Promise<ListSolutionsResponse> {
      const page = await listPage(
        deps,
        ctx,
        'ListSolutions',
        { kind: SOLUTION_KIND.kind, parentArn: input.datasetGroupArn },
        input.nextToken,
        input.maxResults,
      );
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { solutions: page.records.map((r) => describeSolution(r, undefined)), nextToken: page.nextToken };
    },

    async UpdateSolution(input: UpdateSolutionRequest, ctx): Promise<UpdateSolutionResponse> {
      const config = input.solutionUpdateConfig;
      if (
        input.performAutoTraining === undefined &&
        input.performIncrementalUpdate === undefined &&
        config?.autoTrainingConfig === undefined &&
        config?.eventsConfig === undefined
      ) {
        throw invalidInput('Nothing to update: give performAutoTraining, performIncrementalUpdate or solutionUpdateConfig.');
      }
      checkSchedulingExpression(config?.autoTrainingConfig?.schedulingExpression);
      const now = deps.now();
      await deps.catalog.transaction(async (tx) => {
        const record = await loadResource(deps, tx, ctx, SOLUTION_KIND, input.solutionArn!);
        await tx.lock(solutionVersionsLock(record.arn));
        const body = record.body as unknown as SolutionBody;
        if (!hasStatus(SOLUTION_STATUSES, record, 'ACTIVE'))
          throw inUse(`Solution ${record.arn} is in state ${record.status}; it can be updated once it is ACTIVE.`);
        if (updateUnfinished(body))
          throw inUse(`Solution ${record.arn} has an update in state ${body.latestSolutionUpdate!.status}; wait until it is ACTIVE.`);
        const recipe = findRecipe(body.recipeArn);
        if (!recipe) throw new Error(`Internal error: solution ${record.arn} names the unknown recipe ${body.recipeArn}`);
        if (input.performIncrementalUpdate && recipe.arn !== 'arn:aws:personalize:::recipe/aws-semantic-similarity')
          throw invalidInput(`performIncrementalUpdate is only supported by the Semantic-Similarity recipe, not by ${recipe.name}.`);
        if (config?.eventsConfig) {
          const group = await loadResource(deps, tx, ctx, DATASET_GROUP_KIND, record.parentArn!);
          checkEventsConfig(recipe, config.eventsConfig, await schemasOf(tx, group));
        }
        const update = (status: StoredSolutionUpdate['status'], at: number): StoredSolutionUpdate => ({
          solutionUpdateConfig: {
            ...(config?.autoTrainingConfig ? { autoTrainingConfig: config.autoTrainingConfig } : {}),
            ...(config?.eventsConfig ? { eventsConfig: config.eventsConfig } : {}),
          },
          status,
          performAutoTraining: input.performAutoTraining,
          performIncrementalUpdate: input.performIncrementalUpdate,
          creationDateTime: now,
          lastUpdatedDateTime: at,
        });
        // The new configuration applies once the update is ACTIVE (rule 40: until then the old one does).
        const solutionConfig: SolutionConfig = {
          ...body.solutionConfig,
          ...(config?.autoTrainingConfig ? { autoTrainingConfig: config.autoTrainingConfig } : {}),
          ...(config?.eventsConfig ? { eventsConfig: config.eventsConfig } : {}),
        };
        const applied: Partial<SolutionBody> = {
          ...(config?.autoTrainingConfig || config?.eventsConfig ? { solutionConfig } : {}),
          ...(input.performAutoTraining !== undefined ? { performAutoTraining: input.performAutoTraining } : {}),
          ...(input.performIncrementalUpdate !== undefined ? { performIncrementalUpdate: input.performIncrementalUpdate } : {}),
        };
        // The solution stays ACTIVE; the timed steps move the update's own status.
        const [inProgress, active] = schedule(SOLUTION_STATUSES, 'ACTIVE', ['ACTIVE', 'ACTIVE'], now, deps.config.provisioningMs);
        // Turning automatic training on or changing its frequency starts its schedule again (auto-training.ts).
        const autoTraining = input.performAutoTraining ?? body.performAutoTraining;
        if (!autoTraining) applied.autoTraining = undefined;
        else if (input.performAutoTraining || config?.autoTrainingConfig)
          applied.autoTraining = { since: now, nextAt: active.at + FIRST_AUTO_TRAINING_DELAY_MS };
        const transitions: Transition[] = [
          { ...inProgress, patch: { latestSolutionUpdate: update('CREATE IN_PROGRESS', inProgress.at) } },
          { ...active, patch: { ...applied, latestSolutionUpdate: update('ACTIVE', active.at) } },
        ];
        await tx.update({
          ...record,
          updatedAt: now,
          body: { ...record.body, latestSolutionUpdate: update('CREATE PENDING', now), transitions },
        });
      });
      return { solutionArn: input.solutionArn };
    },

    async DeleteSolution(input: DeleteSolutionRequest, ctx: RequestContext) {
      let artifacts: string[] = [];
      await deps.catalog.transaction(async (tx) => {
        const record = await loadResource(deps, tx, ctx, SOLUTION_KIND, input.solutionArn!);
        await tx.lock(solutionVersionsLock(record.arn));
        const body = record.body as unknown as SolutionBody;
        if (updateUnfinished(body))
          throw inUse(`Cannot delete solution ${record.arn} while its update is in state ${body.latestSolutionUpdate!.status}.`);
        // Rule 41: not while a campaign deploys it (CreateCampaign takes the same lock).
        const campaigns = await tx.list({ account: ctx.account, region: ctx.region, kind: CAMPAIGN_KIND.kind, parentArn: record.arn });
        if (campaigns.length > 0)
          throw inUse(
            `Cannot delete solution ${record.arn} while campaigns use it (${campaigns.map((c) => c.arn).join(', ')}); delete them first.`,
          );
        const versions = await versionsOf(tx, record);
        const running = versions.filter((v) => !isFinal(SOLUTION_VERSION_STATUSES, v.status));
        if (running.length > 0) {
          throw inUse(
            `Cannot delete solution ${record.arn} while its solution versions are being created (${running.map((v) => `${v.arn}: ${v.status}`).join(', ')}); stop them or wait until they end.`,
          );
        }
        for (const v of versions) await tx.delete(v.arn);
        await tx.delete(record.arn);
        artifacts = versions.map((v) => (v.body as unknown as SolutionVersionBody).artifactKey).filter((k): k is string => !!k);
      });
      // After the commit, best effort: the orphan sweep deletes what this leaves behind.
      await deps.models.delete(artifacts).catch(() => undefined);
      return {};
    },
  };
}
