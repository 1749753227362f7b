// What CreateBatchInferenceJob / CreateBatchSegmentJob, their Describe and their List have in
// common (training-rules.md §9): the order of the checks, the catalog transaction that queues the
// job, the members every batch job shows, and the listing by solution version. Each kind's
// operations file says what is its own (batch-job-kind specs below): its limits, its recipe and
// filter rules, and the members only it stores.
import type { Tag } from '../../api/personalize-types.ts';
import type { CatalogOps, ResourceRecord } from '../../catalog/catalog.ts';
import type { RequestContext } from '../../protocol/handler-types.ts';
import { alreadyExists, tooManyTags } from '../../protocol/service-error.ts';
import type { RecipeDefinition } from '../../training/recipes/recipe-catalog.ts';
import type { FilterTarget } from '../../serving/filters/filter-syntax.ts';
import { filterQuotaLock } from '../filters/filter-record.ts';
import { makeArn } from '../shared/arns.ts';
import { insertQueuedJob, listPage, toDate } from '../shared/resource-access.ts';
import type { ResourceKindDefinition } from '../shared/resource-kind.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { toTags } from '../tags/tag-rules.ts';
import type { BatchJobRequestBody } from './batch-job-record.ts';
import { batchNumResults, batchVersion, checkBatchFilter, checkPendingJobs } from './batch-job-rules.ts';

/** The request members both Create operations take. */
export interface BatchJobRequest {
  jobName: string;
  solutionVersionArn: string;
  filterArn?: string;
  numResults?: number;
  jobInput: { s3DataSource: { path: string; kmsKeyArn?: string } };
  jobOutput: { s3DataDestination: { path: string; kmsKeyArn?: string } };
  roleArn: string;
  tags?: Tag[];
}

/** What the version a job uses turned out to be, for a kind's own checks. */
export interface UsedVersion {
  version: ResourceRecord;
  recipe: RecipeDefinition;
  datasetGroupArn: string;
}

/** One kind of batch job, as the shared Create needs to know it. */
export interface BatchJobKindSpec<R extends BatchJobRequest, B extends BatchJobRequestBody> {
  kind: ResourceKindDefinition;
  /** The pending-jobs quota's lock and limit. */
  quotaLock(account: string, region: string): string;
  pendingQuota(deps: ServiceDeps): number;
  /** numResults' maximum and what it counts, for the error message. */
  maxResults: number;
  resultsAre: string;
  /** What the job's filter must filter. */
  filterTarget: FilterTarget;
  /** Checks of the request alone, before the catalog is read. */
  checkRequest?(input: R): void;
  checkRecipe(recipe: RecipeDefinition, versionArn: string): void;
  /** Checks of the filter's datasets (those its conditions read) against the recipe. */
  checkFilterDatasets?(datasets: ReadonlySet<string>, recipe: RecipeDefinition, filterArn: string): void;
  /** The members of the document only this kind stores (after its checks against the catalog). */
  ownBody(tx: CatalogOps, input: R, used: UsedVersion): Promise<Omit<B, keyof BatchJobRequestBody>>;
}

/** Checks the request and queues the job (see the header); returns its ARN. */
export async function createBatchJob<R extends BatchJobRequest, B extends BatchJobRequestBody>(
  deps: ServiceDeps,
  ctx: RequestContext,
  input: R,
  spec: BatchJobKindSpec<R, B>,
): Promise<string> {
  const tags = toTags(input.tags);
  if (tags.length > deps.quotas.tagsPerResource)
    throw tooManyTags(`${tags.length} tags given; the limit is ${deps.quotas.tagsPerResource} tags per resource.`);
  const arn = makeArn(spec.kind.kind, ctx.region, ctx.account, input.jobName);
  const numResults = batchNumResults(input.numResults, spec.maxResults, spec.resultsAre);
  spec.checkRequest?.(input);
  await deps.catalog.transaction(async (tx) => {
    if (await tx.get(arn)) throw alreadyExists(`A ${spec.kind.label} with the ARN ${arn} already exists.`);
    const { version, body: versionBody, recipe } = await batchVersion(deps, tx, ctx, input.solutionVersionArn);
    spec.checkRecipe(recipe, version.arn);
    const used: UsedVersion = { version, recipe, datasetGroupArn: versionBody.datasetGroupArn };
    const own = await spec.ownBody(tx, input, used);
    if (input.filterArn !== undefined) {
      // Against DeleteFilter, which takes the same lock and refuses while a batch job uses the filter.
      await tx.lock(filterQuotaLock(used.datasetGroupArn));
      const datasets = await checkBatchFilter(deps, tx, ctx, input.filterArn, used.datasetGroupArn, spec.filterTarget);
      spec.checkFilterDatasets?.(datasets, recipe, input.filterArn);
    }
    await tx.lock(spec.quotaLock(ctx.account, ctx.region));
    await checkPendingJobs(tx, ctx, spec.kind, spec.pendingQuota(deps));
    const body: BatchJobRequestBody = {
      solutionVersionArn: version.arn,
      datasetGroupArn: used.datasetGroupArn,
      recipe: recipe.name,
      filterArn: input.filterArn,
      numResults,
      jobInput: { s3DataSource: { ...input.jobInput.s3DataSource } },
      jobOutput: { s3DataDestination: { ...input.jobOutput.s3DataDestination } },
      roleArn: input.roleArn,
      ...own,
    };
    await insertQueuedJob(deps, tx, ctx, { kind: spec.kind, arn, name: input.jobName, parentArn: version.arn, body, tags });
  });
  deps.jobQueued();
  return arn;
}

/** The members every batch job's Describe shows (its ARN member is the kind's own). */
export function batchJobView(record: ResourceRecord) {
  const body = record.body as unknown as BatchJobRequestBody;
  return {
    jobName: record.name,
    filterArn: body.filterArn,
    failureReason: body.failureReason,
    solutionVersionArn: body.solutionVersionArn,
    numResults: body.numResults,
    jobInput: body.jobInput,
    jobOutput: body.jobOutput,
    roleArn: body.roleArn,
    status: record.status ?? undefined,
    creationDateTime: toDate(record.createdAt),
    lastUpdatedDateTime: toDate(record.updatedAt),
  };
}

/** A page of the account's jobs of the kind, or of one solution version's, newest first. */
export function listBatchJobs(
  deps: ServiceDeps,
  ctx: RequestContext,
  operation: string,
  kind: ResourceKindDefinition,
  input: { solutionVersionArn?: string; nextToken?: string; maxResults?: number },
) {
  return listPage(deps, ctx, operation, { kind: kind.kind, parentArn: input.solutionVersionArn }, input.nextToken, input.maxResults);
}
