// The synchronous checks that CreateBatchInferenceJob and CreateBatchSegmentJob share
// (training-rules.md §9 rules 109-116, rule 108): the solution version, the filter, numResults,
// the quota of pending jobs, and the refusal of DeleteFilter while a batch job uses the filter
// (rule 97). Choices where AWS documents nothing [INF]:
//  * a solution version that is not ACTIVE, and a filter that is not ACTIVE yet, are
//    ResourceInUseException (as CreateCampaign treats a version still training);
//  * the filter must belong to the version's dataset group and filter what the job returns
//    (ItemID for item recommendations, UserID for user segments): InvalidInputException;
//  * numResults: absent or 0 means the default (25), a negative number or more than the maximum
//    is InvalidInputException;
//  * S3 paths are not read here: an unreadable input or output path fails the job with AWS's
//    failureReason texts (rule 115), as AWS reports them.
import type { CatalogOps, ResourceRecord } from '../../catalog/catalog.ts';
import type { RequestContext } from '../../protocol/handler-types.ts';
import { inUse, invalidInput, limitExceeded } from '../../protocol/service-error.ts';
import { parseFilterExpression } from '../../serving/filters/filter-parser.ts';
import type { FilterTarget } from '../../serving/filters/filter-syntax.ts';
import { findRecipe, type RecipeDefinition } from '../../training/recipes/recipe-catalog.ts';
import { FILTER_KIND, FILTER_STATUSES, type FilterBody } from '../filters/filter-record.ts';
import { loadResource } from '../shared/resource-access.ts';
import type { ResourceKindDefinition } from '../shared/resource-kind.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { hasStatus, unfinished } from '../shared/status-table.ts';
import {
  SOLUTION_VERSION_KIND,
  SOLUTION_VERSION_STATUSES,
  type SolutionVersionBody,
} from '../solution-versions/solution-version-record.ts';
import { BATCH_INFERENCE_JOB_KIND } from '../batch-inference-jobs/batch-inference-job-record.ts';
import { BATCH_SEGMENT_JOB_KIND } from '../batch-segment-jobs/batch-segment-job-record.ts';
import type { BatchJobRequestBody } from './batch-job-record.ts';

export const DEFAULT_BATCH_RESULTS = 25;

/** The ACTIVE solution version a batch job uses, with its recipe. */
export async function batchVersion(
  deps: ServiceDeps,
  ops: CatalogOps,
  ctx: RequestContext,
  arn: string,
): Promise<{ version: ResourceRecord; body: SolutionVersionBody; recipe: RecipeDefinition }> {
  const version = await loadResource(deps, ops, ctx, SOLUTION_VERSION_KIND, arn);
  if (!hasStatus(SOLUTION_VERSION_STATUSES, version, 'ACTIVE'))
    throw inUse(`Solution version ${arn} is in state ${version.status}; a batch job can use it once it is ACTIVE.`);
  const body = version.body as unknown as SolutionVersionBody;
  const recipe = findRecipe(body.recipeArn);
  if (!recipe) throw new Error(`Internal error: solution version ${arn} names the unknown recipe ${body.recipeArn}`);
  return { version, body, recipe };
}

/** numResults as the job uses it (see the header). */
export function batchNumResults(numResults: number | undefined, max: number, what: string): number {
  if (numResults === undefined || numResults === 0) return DEFAULT_BATCH_RESULTS;
  if (numResults < 0 || numResults > max)
    throw invalidInput(`numResults is ${numResults}; it must be from 1 to ${max.toLocaleString('en-US')} (${what}).`);
  return numResults;
}

/**
 * The filter a batch job applies, checked (see the header); returns the datasets its WHERE
 * conditions read (e.g. INTERACTIONS), for the rules of one kind of job.
 */
export async function checkBatchFilter(
  deps: ServiceDeps,
  ops: CatalogOps,
  ctx: RequestContext,
  filterArn: string,
  datasetGroupArn: string,
  target: FilterTarget,
): Promise<Set<string>> {
  const filter = await loadResource(deps, ops, ctx, FILTER_KIND, filterArn);
  if (!hasStatus(FILTER_STATUSES, filter, 'ACTIVE'))
    throw inUse(`Filter ${filterArn} is in state ${filter.status}; a batch job can use it once it is ACTIVE.`);
  if (filter.parentArn !== datasetGroupArn)
    throw invalidInput(
      `Filter ${filterArn} belongs to the dataset group ${filter.parentArn}, not to the solution version's ${datasetGroupArn}.`,
    );
  const parsed = parseFilterExpression((filter.body as unknown as FilterBody).filterExpression);
  const targets = new Set(parsed.expressions.map((e) => e.target));
  if (!targets.has(target) || targets.size > 1)
    throw invalidInput(
      `Filter ${filterArn} filters ${[...targets].join(', ')}; ${target === 'UserID' ? 'a batch segment job needs a UserID' : 'item recommendations need an ItemID'} filter.`,
    );
  return new Set(parsed.expressions.flatMap((e) => e.where.flat().map((c) => c.field.dataset)));
}

/** LimitExceededException when the account already has `max` jobs of the kind pending or in progress in the region. */
export async function checkPendingJobs(ops: CatalogOps, ctx: RequestContext, kind: ResourceKindDefinition, max: number): Promise<void> {
  const pending = await ops.count({ account: ctx.account, region: ctx.region, kind: kind.kind, statusIn: unfinished(kind.statuses) });
  // AWS's text for the pending-jobs quotas (rules.md: import jobs; the same quota form).
  if (pending >= max) throw limitExceeded(`More than ${max} resources with PENDING or IN_PROGRESS status.`);
}

/** The batch jobs (inference or segment) pending or in progress in the caller's account and region that apply the filter. */
export async function batchJobsUsingFilter(ops: CatalogOps, ctx: RequestContext, filterArn: string): Promise<string[]> {
  const using: string[] = [];
  for (const kind of [BATCH_INFERENCE_JOB_KIND, BATCH_SEGMENT_JOB_KIND]) {
    const jobs = await ops.list({ account: ctx.account, region: ctx.region, kind: kind.kind, statusIn: unfinished(kind.statuses) });
    for (const job of jobs) if ((job.body as unknown as BatchJobRequestBody).filterArn === filterArn) using.push(job.arn);
  }
  return using;
}

/** DeleteFilter's refusal (rule 97: "You can't delete a filter while a batch inference job is in progress"). */
export async function checkFilterNotInBatchUse(ops: CatalogOps, ctx: RequestContext, filterArn: string): Promise<void> {
  const [job] = await batchJobsUsingFilter(ops, ctx, filterArn);
  if (job)
    throw inUse(`Filter ${filterArn} is used by the batch job ${job}, which is pending or in progress; delete it once the job ends.`);
}
