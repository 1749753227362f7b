// CreateBatchSegmentJob, DescribeBatchSegmentJob, ListBatchSegmentJobs (training-rules.md §9
// rules 113-117). Creating checks what can be checked at once and queues the job;
// src/serving/batch-segment-work.ts runs it. As for batch inference jobs [INF]: Describe shows
// numResults as the job uses it (the request's, or 25 users per segment); List lists the
// account's jobs or a solution version's, newest first.
import type {
  BatchSegmentJob,
  CreateBatchSegmentJobRequest,
  CreateBatchSegmentJobResponse,
  DescribeBatchSegmentJobRequest,
  DescribeBatchSegmentJobResponse,
  ListBatchSegmentJobsRequest,
  ListBatchSegmentJobsResponse,
} from '../../api/personalize-types.ts';
import type { PersonalizeHandlers } from '../../api/personalize-handlers.ts';
import type { ResourceRecord } from '../../catalog/catalog.ts';
import { alreadyExists, tooManyTags } from '../../protocol/service-error.ts';
import { batchNumResults, batchVersion, checkBatchFilter, checkPendingJobs } from '../batch-inference-jobs/batch-job-rules.ts';
import { filterQuotaLock } from '../filters/filter-record.ts';
import { makeArn } from '../shared/arns.ts';
import { insertQueuedJob, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { toTags } from '../tags/tag-rules.ts';
import { BATCH_SEGMENT_JOB_KIND, batchSegmentQuotaLock, type BatchSegmentJobBody } from './batch-segment-job-record.ts';
import { checkSegmentFilterDatasets, checkSegmentRecipe, MAX_USERS_PER_SEGMENT } from './batch-segment-job-rules.ts';

function describe(record: ResourceRecord): BatchSegmentJob {
  const body = record.body as unknown as BatchSegmentJobBody;
  return {
    jobName: record.name,
    batchSegmentJobArn: record.arn,
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

export function batchSegmentJobOperations(
  deps: ServiceDeps,
): Pick<PersonalizeHandlers, 'CreateBatchSegmentJob' | 'DescribeBatchSegmentJob' | 'ListBatchSegmentJobs'> {
  return {
    async CreateBatchSegmentJob(input: CreateBatchSegmentJobRequest, ctx): Promise<CreateBatchSegmentJobResponse> {
      const tags = toTags(input.tags);
      if (tags.length > deps.quotas.tagsPerResource)
        throw tooManyTags(`${tags.length} tags given; the limit is ${deps.quotas.tagsPerResource} tags per resource.`);
      const arn = makeArn(BATCH_SEGMENT_JOB_KIND.kind, ctx.region, ctx.account, input.jobName);
      const numResults = batchNumResults(input.numResults, MAX_USERS_PER_SEGMENT, 'users per segment');
      await deps.catalog.transaction(async (tx) => {
        if (await tx.get(arn)) throw alreadyExists(`A batch segment job with the ARN ${arn} already exists.`);
        const { version, body: versionBody, recipe } = await batchVersion(deps, tx, ctx, input.solutionVersionArn);
        checkSegmentRecipe(recipe, version.arn);
        const datasetGroupArn = versionBody.datasetGroupArn;
        if (input.filterArn !== undefined) {
          // Against DeleteFilter, which takes the same lock and refuses while a batch job uses the filter.
          await tx.lock(filterQuotaLock(datasetGroupArn));
          const datasets = await checkBatchFilter(deps, tx, ctx, input.filterArn, datasetGroupArn, 'UserID');
          checkSegmentFilterDatasets(datasets, recipe, input.filterArn);
        }
        await tx.lock(batchSegmentQuotaLock(ctx.account, ctx.region));
        await checkPendingJobs(tx, ctx, BATCH_SEGMENT_JOB_KIND, deps.quotas.pendingBatchSegmentJobs);
        const body: BatchSegmentJobBody = {
          solutionVersionArn: version.arn,
          datasetGroupArn,
          recipe: recipe.name,
          filterArn: input.filterArn,
          numResults,
          jobInput: { s3DataSource: { ...input.jobInput.s3DataSource } },
          jobOutput: { s3DataDestination: { ...input.jobOutput.s3DataDestination } },
          roleArn: input.roleArn,
        };
        await insertQueuedJob(deps, tx, ctx, {
          kind: BATCH_SEGMENT_JOB_KIND,
          arn,
          name: input.jobName,
          parentArn: version.arn,
          body,
          tags,
        });
      });
      deps.jobQueued();
      return { batchSegmentJobArn: arn };
    },

    async DescribeBatchSegmentJob(input: DescribeBatchSegmentJobRequest, ctx): Promise<DescribeBatchSegmentJobResponse> {
      return { batchSegmentJob: describe(await loadResource(deps, deps.catalog, ctx, BATCH_SEGMENT_JOB_KIND, input.batchSegmentJobArn)) };
    },

    async ListBatchSegmentJobs(input: ListBatchSegmentJobsRequest, ctx): Promise<ListBatchSegmentJobsResponse> {
      const page = await listPage(
        deps,
        ctx,
        'ListBatchSegmentJobs',
        { kind: BATCH_SEGMENT_JOB_KIND.kind, parentArn: input.solutionVersionArn },
        input.nextToken,
        input.maxResults,
      );
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { batchSegmentJobs: page.records.map(describe), nextToken: page.nextToken };
    },
  };
}
