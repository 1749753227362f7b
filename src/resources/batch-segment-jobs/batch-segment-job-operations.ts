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
import { batchJobView, createBatchJob, listBatchJobs, type BatchJobKindSpec } from '../batch-jobs/batch-job-operations.ts';
import { loadResource } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { BATCH_SEGMENT_JOB_KIND, batchSegmentQuotaLock, type BatchSegmentJobBody } from './batch-segment-job-record.ts';
import { checkSegmentFilterDatasets, checkSegmentRecipe, MAX_USERS_PER_SEGMENT } from './batch-segment-job-rules.ts';

const SPEC: BatchJobKindSpec<CreateBatchSegmentJobRequest, BatchSegmentJobBody> = {
  kind: BATCH_SEGMENT_JOB_KIND,
  quotaLock: batchSegmentQuotaLock,
  pendingQuota: (deps) => deps.quotas.pendingBatchSegmentJobs,
  maxResults: MAX_USERS_PER_SEGMENT,
  resultsAre: 'users per segment',
  filterTarget: 'UserID',
  checkRecipe: checkSegmentRecipe,
  checkFilterDatasets: checkSegmentFilterDatasets,
  ownBody: async () => ({}),
};

const describe = (record: ResourceRecord): BatchSegmentJob => ({ ...batchJobView(record), batchSegmentJobArn: record.arn });

export function batchSegmentJobOperations(
  deps: ServiceDeps,
): Pick<PersonalizeHandlers, 'CreateBatchSegmentJob' | 'DescribeBatchSegmentJob' | 'ListBatchSegmentJobs'> {
  return {
    async CreateBatchSegmentJob(input: CreateBatchSegmentJobRequest, ctx): Promise<CreateBatchSegmentJobResponse> {
      return { batchSegmentJobArn: await createBatchJob(deps, ctx, input, SPEC) };
    },

    async DescribeBatchSegmentJob(input: DescribeBatchSegmentJobRequest, ctx): Promise<DescribeBatchSegmentJobResponse> {
      return { batchSegmentJob: describe(await loadResource(deps, deps.catalog, ctx, BATCH_SEGMENT_JOB_KIND, input.batchSegmentJobArn)) };
    },

    async ListBatchSegmentJobs(input: ListBatchSegmentJobsRequest, ctx): Promise<ListBatchSegmentJobsResponse> {
      const page = await listBatchJobs(deps, ctx, 'ListBatchSegmentJobs', BATCH_SEGMENT_JOB_KIND, input);
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { batchSegmentJobs: page.records.map(describe), nextToken: page.nextToken };
    },
  };
}
