// CreateDatasetExportJob, DescribeDatasetExportJob, ListDatasetExportJobs. The export itself runs
// in src/data/jobs/export-job-work.ts.
import type {
  CreateDatasetExportJobRequest,
  CreateDatasetExportJobResponse,
  DatasetExportJob,
  DescribeDatasetExportJobRequest,
  DescribeDatasetExportJobResponse,
  ListDatasetExportJobsRequest,
  ListDatasetExportJobsResponse,
} from '../../api/personalize-types.ts';
import type { ResourceRecord } from '../../catalog/catalog.ts';
import { ObjectStoreError, parseS3Url } from '../../object-store/object-store.ts';
import type { PersonalizeHandlers } from '../../api/personalize-handlers.ts';
import { alreadyExists, inUse, invalidInput } from '../../protocol/service-error.ts';
import { makeArn } from '../shared/arns.ts';
import { insertQueuedJob, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { toTags } from '../tags/tag-rules.ts';
import { hasStatus } from '../shared/status-table.ts';
import { DATASET_KIND, DATASET_STATUSES } from '../datasets/dataset-record.ts';
import { EXPORT_JOB_KIND, type ExportJobBody, type IngestionMode } from './export-job-record.ts';

function describe(record: ResourceRecord): DatasetExportJob {
  const body = record.body as unknown as ExportJobBody;
  return {
    jobName: record.name,
    datasetExportJobArn: record.arn,
    datasetArn: record.parentArn ?? undefined,
    ingestionMode: body.ingestionMode,
    roleArn: body.roleArn,
    status: record.status ?? undefined,
    jobOutput: body.jobOutput,
    failureReason: body.failureReason,
    creationDateTime: toDate(record.createdAt),
    lastUpdatedDateTime: toDate(record.updatedAt),
  };
}

/** The output path must name an s3:// bucket that exists (rules.md §11: the role writes there). */
async function checkOutputPath(deps: ServiceDeps, path: string): Promise<void> {
  const target = parseS3Url(path);
  if (!target || !target.bucket) throw invalidInput(`Invalid output path ${path}: expected s3://bucket/folder/.`);
  try {
    await deps.objects.list(target.bucket, target.key, { recursive: false });
  } catch (e) {
    if (e instanceof ObjectStoreError)
      throw invalidInput(
        `Invalid output path ${path}: ${e.reason === 'no-bucket' ? `the bucket ${target.bucket} does not exist` : e.message}.`,
      );
    throw e;
  }
}

export function exportJobOperations(
  deps: ServiceDeps,
): Pick<PersonalizeHandlers, 'CreateDatasetExportJob' | 'DescribeDatasetExportJob' | 'ListDatasetExportJobs'> {
  return {
    async CreateDatasetExportJob(input: CreateDatasetExportJobRequest, ctx): Promise<CreateDatasetExportJobResponse> {
      const tags = toTags(input.tags);
      const arn = makeArn(EXPORT_JOB_KIND.kind, ctx.region, ctx.account, input.jobName!);
      const dataset = await loadResource(deps, deps.catalog, ctx, DATASET_KIND, input.datasetArn!);
      if (await deps.catalog.get(arn)) throw alreadyExists(`A dataset export job with the ARN ${arn} already exists.`);
      if (!hasStatus(DATASET_STATUSES, dataset, 'ACTIVE'))
        throw inUse(`Dataset ${dataset.arn} is in state ${dataset.status}; it can be exported once it is ACTIVE.`);
      const path = input.jobOutput!.s3DataDestination!.path!;
      await checkOutputPath(deps, path);
      const body: ExportJobBody = {
        // The model documents PUT as the default ingestion mode.
        ingestionMode: (input.ingestionMode ?? 'PUT') as IngestionMode,
        roleArn: input.roleArn!,
        jobOutput: { s3DataDestination: { path, kmsKeyArn: input.jobOutput!.s3DataDestination!.kmsKeyArn } },
      };
      await deps.catalog.transaction(async (tx) => {
        await insertQueuedJob(deps, tx, ctx, { kind: EXPORT_JOB_KIND, arn, name: input.jobName!, parentArn: dataset.arn, body, tags });
      });
      deps.jobQueued();
      return { datasetExportJobArn: arn };
    },

    async DescribeDatasetExportJob(input: DescribeDatasetExportJobRequest, ctx): Promise<DescribeDatasetExportJobResponse> {
      return { datasetExportJob: describe(await loadResource(deps, deps.catalog, ctx, EXPORT_JOB_KIND, input.datasetExportJobArn!)) };
    },

    async ListDatasetExportJobs(input: ListDatasetExportJobsRequest, ctx): Promise<ListDatasetExportJobsResponse> {
      if (input.datasetArn) await loadResource(deps, deps.catalog, ctx, DATASET_KIND, input.datasetArn);
      const page = await listPage(
        deps,
        ctx,
        'ListDatasetExportJobs',
        { kind: EXPORT_JOB_KIND.kind, parentArn: input.datasetArn },
        input.nextToken,
        input.maxResults,
      );
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { datasetExportJobs: page.records.map(describe), nextToken: page.nextToken };
    },
  };
}
