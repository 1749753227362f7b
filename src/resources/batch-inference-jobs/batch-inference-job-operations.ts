// CreateBatchInferenceJob, DescribeBatchInferenceJob, ListBatchInferenceJobs (training-rules.md §9
// rules 109-116). Creating checks what can be checked at once (batch-job-rules.ts,
// batch-inference-job-rules.ts) and queues the job; src/serving/batch-inference-work.ts runs it.
// Choices where AWS documents nothing [INF]:
//  * Describe shows numResults as the job uses it (the request's, or 25), and
//    batchInferenceJobMode always (BATCH_INFERENCE when the request gave none);
//  * ListBatchInferenceJobs lists the account's jobs, or a solution version's (an unknown
//    solutionVersionArn lists nothing: the operation declares no ResourceNotFoundException);
//    newest first.
import type {
  BatchInferenceJob,
  CreateBatchInferenceJobRequest,
  CreateBatchInferenceJobResponse,
  DescribeBatchInferenceJobRequest,
  DescribeBatchInferenceJobResponse,
  ListBatchInferenceJobsRequest,
  ListBatchInferenceJobsResponse,
} from '../../api/personalize-types.ts';
import type { PersonalizeHandlers } from '../../api/personalize-handlers.ts';
import type { ResourceRecord } from '../../catalog/catalog.ts';
import { batchJobView, createBatchJob, listBatchJobs, type BatchJobKindSpec } from '../batch-jobs/batch-job-operations.ts';
import { loadResource } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { BATCH_INFERENCE_JOB_KIND, batchInferenceQuotaLock, type BatchInferenceJobBody } from './batch-inference-job-record.ts';
import { checkBatchRecipe, checkExplorationConfig, checkJobMode, MAX_BATCH_RESULTS } from './batch-inference-job-rules.ts';

const SPEC: BatchJobKindSpec<CreateBatchInferenceJobRequest, BatchInferenceJobBody> = {
  kind: BATCH_INFERENCE_JOB_KIND,
  quotaLock: batchInferenceQuotaLock,
  pendingQuota: (deps) => deps.quotas.pendingBatchInferenceJobs,
  maxResults: MAX_BATCH_RESULTS,
  resultsAre: 'recommended items per input line',
  filterTarget: 'ItemID',
  checkRequest: checkExplorationConfig,
  checkRecipe: checkBatchRecipe,
  async ownBody(tx, input, { recipe, version, datasetGroupArn }) {
    return {
      batchInferenceJobMode: await checkJobMode(tx, input, recipe, version, datasetGroupArn),
      batchInferenceJobConfig: input.batchInferenceJobConfig,
      themeGenerationConfig: input.themeGenerationConfig,
    };
  },
};

function describe(record: ResourceRecord): BatchInferenceJob {
  const body = record.body as unknown as BatchInferenceJobBody;
  return {
    ...batchJobView(record),
    batchInferenceJobArn: record.arn,
    batchInferenceJobConfig: body.batchInferenceJobConfig,
    batchInferenceJobMode: body.batchInferenceJobMode,
    themeGenerationConfig: body.themeGenerationConfig,
  };
}

export function batchInferenceJobOperations(
  deps: ServiceDeps,
): Pick<PersonalizeHandlers, 'CreateBatchInferenceJob' | 'DescribeBatchInferenceJob' | 'ListBatchInferenceJobs'> {
  return {
    async CreateBatchInferenceJob(input: CreateBatchInferenceJobRequest, ctx): Promise<CreateBatchInferenceJobResponse> {
      return { batchInferenceJobArn: await createBatchJob(deps, ctx, input, SPEC) };
    },

    async DescribeBatchInferenceJob(input: DescribeBatchInferenceJobRequest, ctx): Promise<DescribeBatchInferenceJobResponse> {
      return {
        batchInferenceJob: describe(await loadResource(deps, deps.catalog, ctx, BATCH_INFERENCE_JOB_KIND, input.batchInferenceJobArn)),
      };
    },

    async ListBatchInferenceJobs(input: ListBatchInferenceJobsRequest, ctx): Promise<ListBatchInferenceJobsResponse> {
      const page = await listBatchJobs(deps, ctx, 'ListBatchInferenceJobs', BATCH_INFERENCE_JOB_KIND, input);
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { batchInferenceJobs: page.records.map(describe), nextToken: page.nextToken };
    },
  };
}
