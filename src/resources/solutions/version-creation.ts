// Creating a solution version and queuing its training job, in the caller's transaction (which
// holds the solution's versions lock): by CreateSolutionVersion, and by automatic training
// (auto-training.ts). The version takes the solution's settings as they are now.
import { randomBytes } from 'node:crypto';
import type { CatalogOps, ResourceRecord, Tag } from '../../catalog/catalog.ts';
import type { RequestContext } from '../../protocol/handler-types.ts';
import { inUse, limitExceeded } from '../../protocol/service-error.ts';
import { DATASET_GROUP_KIND, DATASET_GROUP_STATUSES } from '../dataset-groups/dataset-group-record.ts';
import { insertQueuedJob, loadResource } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { hasStatus, unfinished } from '../shared/status-table.ts';
import {
  SOLUTION_VERSION_KIND,
  SOLUTION_VERSION_STATUSES,
  solutionVersionQuotaLock,
  type SolutionVersionBody,
  type TrainingMode,
  type TrainingType,
} from '../solution-versions/solution-version-record.ts';
import type { SolutionBody } from './solution-record.ts';

/** A version ARN: solution/<solution name>/<8 lowercase hex> (rule 2). */
function versionArn(solutionArn: string): string {
  return `${solutionArn}/${randomBytes(4).toString('hex')}`;
}

/**
 * Inserts a new version of `solution` and queues its job; returns its ARN. ResourceInUseException
 * when the dataset group is not ACTIVE, LimitExceededException past the pending-versions quota.
 * The caller tells the job runner (deps.jobQueued) after its transaction commits.
 */
export async function insertVersion(
  deps: ServiceDeps,
  tx: CatalogOps,
  ctx: RequestContext,
  solution: ResourceRecord,
  o: { name?: string; trainingMode: TrainingMode; trainingType: TrainingType; tags: Tag[] },
): Promise<string> {
  const body = solution.body as unknown as SolutionBody;
  const group = await loadResource(deps, tx, ctx, DATASET_GROUP_KIND, solution.parentArn!);
  if (!hasStatus(DATASET_GROUP_STATUSES, group, 'ACTIVE'))
    throw inUse(`Dataset group ${group.arn} is in state ${group.status}; a solution version can be created once it is ACTIVE.`);
  await tx.lock(solutionVersionQuotaLock(ctx.account, ctx.region));
  const pending = await tx.count({
    account: ctx.account,
    region: ctx.region,
    kind: SOLUTION_VERSION_KIND.kind,
    statusIn: unfinished(SOLUTION_VERSION_STATUSES),
  });
  if (pending >= deps.quotas.pendingSolutionVersions)
    throw limitExceeded(`More than ${deps.quotas.pendingSolutionVersions} resources with PENDING or IN_PROGRESS status.`);
  let arn: string;
  do arn = versionArn(solution.arn);
  while (await tx.get(arn));
  const versionBody: SolutionVersionBody = {
    recipeArn: body.recipeArn,
    datasetGroupArn: group.arn,
    performHPO: body.performHPO,
    performAutoML: body.performAutoML,
    performIncrementalUpdate: body.performIncrementalUpdate,
    eventType: body.eventType,
    solutionConfig: body.solutionConfig,
    trainingMode: o.trainingMode,
    trainingType: o.trainingType,
  };
  const name = o.name ?? `${solution.name}/${arn.slice(arn.lastIndexOf('/') + 1)}`;
  await insertQueuedJob(deps, tx, ctx, {
    kind: SOLUTION_VERSION_KIND,
    arn,
    name,
    parentArn: solution.arn,
    body: versionBody,
    tags: o.tags,
  });
  return arn;
}
