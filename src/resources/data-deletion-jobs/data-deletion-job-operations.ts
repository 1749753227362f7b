// CreateDataDeletionJob, DescribeDataDeletionJob, ListDataDeletionJobs (rules.md §9). Creating
// checks what can be checked at once and queues the job; the job itself runs in
// src/data/jobs/data-deletion-job-work.ts. A job's parent is its dataset group.
import type {
  CreateDataDeletionJobRequest,
  CreateDataDeletionJobResponse,
  DataDeletionJob,
  DescribeDataDeletionJobRequest,
  DescribeDataDeletionJobResponse,
  ListDataDeletionJobsRequest,
  ListDataDeletionJobsResponse,
} from '../../api/personalize-types.ts';
import type { ResourceRecord } from '../../catalog/catalog.ts';
import type { PersonalizeHandlers } from '../../api/personalize-handlers.ts';
import { alreadyExists, inUse, limitExceeded, tooManyTags } from '../../protocol/service-error.ts';
import { makeArn } from '../shared/arns.ts';
import { insertQueuedJob, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { toTags } from '../tags/tag-rules.ts';
import { hasStatus, unfinished } from '../shared/status-table.ts';
import { DATASET_GROUP_KIND, DATASET_GROUP_STATUSES } from '../dataset-groups/dataset-group-record.ts';
import { checkUserListHeader, checkUserListLocation, MAX_PENDING_DELETIONS } from './data-deletion-job-rules.ts';
import {
  DATA_DELETION_JOB_KIND,
  DATA_DELETION_JOB_STATUSES,
  deletionLock,
  shownNumDeleted,
  type DataDeletionJobBody,
} from './data-deletion-job-record.ts';

function describe(record: ResourceRecord): DataDeletionJob {
  const body = record.body as unknown as DataDeletionJobBody;
  return {
    jobName: record.name,
    dataDeletionJobArn: record.arn,
    datasetGroupArn: record.parentArn ?? undefined,
    dataSource: body.dataSource,
    roleArn: body.roleArn,
    status: record.status ?? undefined,
    numDeleted: shownNumDeleted(record),
    failureReason: body.failureReason,
    creationDateTime: toDate(record.createdAt),
    lastUpdatedDateTime: toDate(record.updatedAt),
  };
}

export function dataDeletionJobOperations(
  deps: ServiceDeps,
): Pick<PersonalizeHandlers, 'CreateDataDeletionJob' | 'DescribeDataDeletionJob' | 'ListDataDeletionJobs'> {
  return {
    async CreateDataDeletionJob(input: CreateDataDeletionJobRequest, ctx): Promise<CreateDataDeletionJobResponse> {
      const tags = toTags(input.tags);
      if (tags.length > deps.quotas.tagsPerResource)
        throw tooManyTags(`${tags.length} tags given; the limit is ${deps.quotas.tagsPerResource} tags per resource.`);
      const arn = makeArn(DATA_DELETION_JOB_KIND.kind, ctx.region, ctx.account, input.jobName!);
      // Cheap checks first, so a taken name or a missing group never costs a read of S3.
      const group = await loadResource(deps, deps.catalog, ctx, DATASET_GROUP_KIND, input.datasetGroupArn!);
      if (await deps.catalog.get(arn)) throw alreadyExists(`A data deletion job with the ARN ${arn} already exists.`);
      if (!hasStatus(DATASET_GROUP_STATUSES, group, 'ACTIVE'))
        throw inUse(`Dataset group ${group.arn} is in state ${group.status}; data can be deleted once it is ACTIVE.`);
      const objects = await checkUserListLocation(deps, input.dataSource?.dataLocation);
      await checkUserListHeader(objects[0]);

      await deps.catalog.transaction(async (tx) => {
        await tx.lock(deletionLock(group.arn));
        await loadResource(deps, tx, ctx, DATASET_GROUP_KIND, group.arn);
        const pending = await tx.count({
          account: ctx.account,
          region: ctx.region,
          kind: DATA_DELETION_JOB_KIND.kind,
          parentArn: group.arn,
          statusIn: unfinished(DATA_DELETION_JOB_STATUSES),
        });
        if (pending >= MAX_PENDING_DELETIONS) {
          throw limitExceeded(
            `More than ${MAX_PENDING_DELETIONS} data deletion jobs with PENDING or IN_PROGRESS status in dataset group ${group.arn}.`,
          );
        }
        const body: DataDeletionJobBody = {
          dataSource: { dataLocation: input.dataSource?.dataLocation },
          roleArn: input.roleArn,
        };
        await insertQueuedJob(deps, tx, ctx, { kind: DATA_DELETION_JOB_KIND, arn, name: input.jobName!, parentArn: group.arn, body, tags });
      });
      deps.jobQueued();
      return { dataDeletionJobArn: arn };
    },

    async DescribeDataDeletionJob(input: DescribeDataDeletionJobRequest, ctx): Promise<DescribeDataDeletionJobResponse> {
      return { dataDeletionJob: describe(await loadResource(deps, deps.catalog, ctx, DATA_DELETION_JOB_KIND, input.dataDeletionJobArn!)) };
    },

    // The model declares no ResourceNotFoundException here: a group without jobs (or a deleted
    // one) lists nothing, and the jobs of a deleted group can still be listed by its ARN.
    async ListDataDeletionJobs(input: ListDataDeletionJobsRequest, ctx): Promise<ListDataDeletionJobsResponse> {
      const page = await listPage(
        deps,
        ctx,
        'ListDataDeletionJobs',
        { kind: DATA_DELETION_JOB_KIND.kind, parentArn: input.datasetGroupArn },
        input.nextToken,
        input.maxResults,
      );
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { dataDeletionJobs: page.records.map(describe), nextToken: page.nextToken };
    },
  };
}
