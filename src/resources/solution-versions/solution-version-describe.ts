// How a solution version is shown: DescribeSolutionVersion's full form and the summary that lists
// and DescribeSolution's latestSolutionVersion use.
import type { SolutionVersion, SolutionVersionSummary } from '../../api/personalize-types.ts';
import type { CatalogOps, ResourceRecord } from '../../catalog/catalog.ts';
import { toDate } from '../shared/resource-access.ts';
import { hasStatus } from '../shared/status-table.ts';
import { SOLUTION_VERSION_KIND, SOLUTION_VERSION_STATUSES, type SolutionVersionBody } from './solution-version-record.ts';

export function versionSummary(record: ResourceRecord): SolutionVersionSummary {
  const body = record.body as unknown as SolutionVersionBody;
  return {
    solutionVersionArn: record.arn,
    status: record.status ?? undefined,
    trainingMode: body.trainingMode,
    trainingType: body.trainingType,
    creationDateTime: toDate(record.createdAt),
    lastUpdatedDateTime: toDate(record.updatedAt),
    failureReason: body.failureReason,
  };
}

export function describeVersion(record: ResourceRecord): SolutionVersion {
  const body = record.body as unknown as SolutionVersionBody;
  const active = hasStatus(SOLUTION_VERSION_STATUSES, record, 'ACTIVE');
  return {
    name: record.name,
    solutionVersionArn: record.arn,
    solutionArn: record.parentArn ?? undefined,
    performHPO: body.performHPO,
    performAutoML: body.performAutoML,
    performIncrementalUpdate: body.performIncrementalUpdate,
    recipeArn: body.recipeArn,
    eventType: body.eventType,
    datasetGroupArn: body.datasetGroupArn,
    // Observed: a version of a solution created without a configuration shows {} (rule 38).
    solutionConfig: body.solutionConfig ?? {},
    trainingHours: active ? body.trainingHours : undefined,
    trainingMode: body.trainingMode,
    tunedHPOParams: active && body.performHPO && body.hyperParameters ? { algorithmHyperParameters: body.hyperParameters } : undefined,
    status: record.status ?? undefined,
    failureReason: body.failureReason,
    creationDateTime: toDate(record.createdAt),
    lastUpdatedDateTime: toDate(record.updatedAt),
    trainingType: body.trainingType,
  };
}

/** The versions of a solution, newest first (optionally only those in statusIn). */
export async function versionsOf(ops: CatalogOps, solution: ResourceRecord, statusIn?: string[]): Promise<ResourceRecord[]> {
  return ops.list({
    account: solution.account,
    region: solution.region,
    kind: SOLUTION_VERSION_KIND.kind,
    parentArn: solution.arn,
    statusIn,
  });
}
