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
import { alreadyExists, tooManyTags } from '../../protocol/service-error.ts';
import { filterQuotaLock } from '../filters/filter-record.ts';
import { makeArn } from '../shared/arns.ts';
import { insertQueuedJob, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { toTags } from '../tags/tag-rules.ts';
import { BATCH_INFERENCE_JOB_KIND, batchInferenceQuotaLock, type BatchInferenceJobBody } from './batch-inference-job-record.ts';
import { checkBatchRecipe, checkExplorationConfig, checkJobMode, MAX_BATCH_RESULTS } from './batch-inference-job-rules.ts';
import { batchNumResults, batchVersion, checkBatchFilter, checkPendingJobs } from './batch-job-rules.ts';

function describe(record: ResourceRecord): BatchInferenceJob {
  const body = record.body as unknown as BatchInferenceJobBody;
  return {
    jobName: record.name,
    batchInferenceJobArn: record.arn,
    filterArn: body.filterArn,
    failureReason: body.failureReason,
    solutionVersionArn: body.solutionVersionArn,
    numResults: body.numResults,
    jobInput: body.jobInput,
    jobOutput: body.jobOutput,
    batchInferenceJobConfig: body.batchInferenceJobConfig,
    roleArn: body.roleArn,
    batchInferenceJobMode: body.batchInferenceJobMode,
    themeGenerationConfig: body.themeGenerationConfig,
    status: record.status ?? undefined,
    creationDateTime: toDate(record.createdAt),
    lastUpdatedDateTime: toDate(record.updatedAt),
  };
}

export function batchInferenceJobOperations(
  deps: ServiceDeps,
): Pick<PersonalizeHandlers, 'CreateBatchInferenceJob' | 'DescribeBatchInferenceJob' | 'ListBatchInferenceJobs'> {
  return {
    async CreateBatchInferenceJob(input: CreateBatchInferenceJobRequest, ctx): Promise<CreateBatchInferenceJobResponse> {
      const tags = toTags(input.tags);
      if (tags.length > deps.quotas.tagsPerResource)
        throw tooManyTags(`${tags.length} tags given; the limit is ${deps.quotas.tagsPerResource} tags per resource.`);
      const arn = makeArn(BATCH_INFERENCE_JOB_KIND.kind, ctx.region, ctx.account, input.jobName);
      const numResults = batchNumResults(input.numResults, MAX_BATCH_RESULTS, 'recommended items per input line');
      checkExplorationConfig(input);
      await deps.catalog.transaction(async (tx) => {
        if (await tx.get(arn)) throw alreadyExists(`A batch inference job with the ARN ${arn} already exists.`);
        const { version, body: versionBody, recipe } = await batchVersion(deps, tx, ctx, input.solutionVersionArn);
        checkBatchRecipe(recipe, version.arn);
        const datasetGroupArn = versionBody.datasetGroupArn;
        const mode = await checkJobMode(tx, input, recipe, version, datasetGroupArn);
        if (input.filterArn !== undefined) {
          // Against DeleteFilter, which takes the same lock and refuses while a batch job uses the filter.
          await tx.lock(filterQuotaLock(datasetGroupArn));
          await checkBatchFilter(deps, tx, ctx, input.filterArn, datasetGroupArn, 'ItemID');
        }
        await tx.lock(batchInferenceQuotaLock(ctx.account, ctx.region));
        await checkPendingJobs(tx, ctx, BATCH_INFERENCE_JOB_KIND, deps.quotas.pendingBatchInferenceJobs);
        const body: BatchInferenceJobBody = {
          solutionVersionArn: version.arn,
          datasetGroupArn,
          recipe: recipe.name,
          filterArn: input.filterArn,
          numResults,
          jobInput: { s3DataSource: { ...input.jobInput.s3DataSource } },
          jobOutput: { s3DataDestination: { ...input.jobOutput.s3DataDestination } },
          roleArn: input.roleArn,
          batchInferenceJobMode: mode,
          batchInferenceJobConfig: input.batchInferenceJobConfig,
          themeGenerationConfig: input.themeGenerationConfig,
        };
        await insertQueuedJob(deps, tx, ctx, {
          kind: BATCH_INFERENCE_JOB_KIND,
          arn,
          name: input.jobName,
          parentArn: version.arn,
          body,
          tags,
        });
      });
      deps.jobQueued();
      return { batchInferenceJobArn: arn };
    },

    async DescribeBatchInferenceJob(input: DescribeBatchInferenceJobRequest, ctx): Promise<DescribeBatchInferenceJobResponse> {
      return {
        batchInferenceJob: describe(await loadResource(deps, deps.catalog, ctx, BATCH_INFERENCE_JOB_KIND, input.batchInferenceJobArn)),
      };
    },

    async ListBatchInferenceJobs(input: ListBatchInferenceJobsRequest, ctx): Promise<ListBatchInferenceJobsResponse> {
      const page = await listPage(
        deps,
        ctx,
        'ListBatchInferenceJobs',
        { kind: BATCH_INFERENCE_JOB_KIND.kind, parentArn: input.solutionVersionArn },
        input.nextToken,
        input.maxResults,
      );
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { batchInferenceJobs: page.records.map(describe), nextToken: page.nextToken };
    },
  };
}
