// CreateDatasetImportJob, DescribeDatasetImportJob, ListDatasetImportJobs. Creating checks what
// can be checked at once and queues the job; the job itself runs in src/data/jobs/import-job-work.ts.
import type {
  CreateDatasetImportJobRequest,
  CreateDatasetImportJobResponse,
  DatasetImportJob,
  DescribeDatasetImportJobRequest,
  DescribeDatasetImportJobResponse,
  ListDatasetImportJobsRequest,
  ListDatasetImportJobsResponse,
} from '@aws-sdk/client-personalize';
import type { ResourceRecord } from '../../catalog/catalog.ts';
import type { HandlerTable } from '../../protocol/handler-types.ts';
import { alreadyExists, inUse, limitExceeded, tooManyTags } from '../../protocol/service-error.ts';
import { makeArn } from '../shared/arns.ts';
import { PENDING_JOB_STATES, type DatasetBody } from '../datasets/dataset-operations.ts';
import { checkPublishAttribution } from '../metric-attributions/metric-attribution-rules.ts';
import { insertQueuedJob, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import { parsedSchemaOf } from '../schemas/schema-operations.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { toTags } from '../tags/tag-rules.ts';
import { checkDataLocation, checkDatasetAcceptsImport, checkFirstHeader } from './import-job-rules.ts';

export type ImportMode = 'FULL' | 'INCREMENTAL';

export interface ImportJobBody {
  dataSource: { dataLocation?: string };
  roleArn?: string;
  importMode: ImportMode;
  publishAttributionMetricsToS3?: boolean;
  failureReason?: string;
  /** Set while running and at the end: what the job has read so far. */
  progress?: { phase: string; rows?: number; bytes?: number; totalBytes?: number };
}

/** Serialises the checks of the 5-jobs quota and of "one import at a time per dataset". */
const importLock = (account: string, region: string) => `imports:${account}:${region}`;

function describe(record: ResourceRecord): DatasetImportJob {
  const body = record.body as unknown as ImportJobBody;
  return {
    jobName: record.name,
    datasetImportJobArn: record.arn,
    datasetArn: record.parentArn ?? undefined,
    dataSource: body.dataSource,
    roleArn: body.roleArn,
    status: record.status ?? undefined,
    importMode: body.importMode,
    publishAttributionMetricsToS3: body.publishAttributionMetricsToS3,
    failureReason: body.failureReason,
    creationDateTime: toDate(record.createdAt),
    lastUpdatedDateTime: toDate(record.updatedAt),
  };
}

export function importJobOperations(deps: ServiceDeps): HandlerTable {
  return {
    async CreateDatasetImportJob(input: CreateDatasetImportJobRequest, ctx): Promise<CreateDatasetImportJobResponse> {
      const tags = toTags(input.tags);
      if (tags.length > deps.quotas.tagsPerResource) throw tooManyTags(`${tags.length} tags given; the limit is ${deps.quotas.tagsPerResource} tags per resource.`);
      const importMode = (input.importMode ?? 'FULL') as ImportMode;
      const arn = makeArn('dataset-import-job', ctx.region, ctx.account, input.jobName!);
      // Cheap checks first, so a taken name or a missing dataset never costs a read of S3.
      const dataset = await loadResource(deps, deps.catalog, ctx, 'dataset', input.datasetArn!);
      if (await deps.catalog.get(arn)) throw alreadyExists(`A dataset import job with the ARN ${arn} already exists.`);
      checkDatasetAcceptsImport(dataset, importMode);
      await checkPublishAttribution(deps.catalog, dataset, input.publishAttributionMetricsToS3);
      const schema = parsedSchemaOf(await loadResource(deps, deps.catalog, ctx, 'schema', (dataset.body as unknown as DatasetBody).schemaArn));
      const objects = await checkDataLocation(deps, input.dataSource?.dataLocation);
      await checkFirstHeader(objects[0], schema);

      await deps.catalog.transaction(async (tx) => {
        await tx.lock(importLock(ctx.account, ctx.region));
        await tx.lock(`dataset-jobs:${dataset.arn}`);
        const current = await loadResource(deps, tx, ctx, 'dataset', dataset.arn);
        checkDatasetAcceptsImport(current, importMode);
        const onDataset = await tx.count({ account: ctx.account, region: ctx.region, kind: 'dataset-import-job', parentArn: dataset.arn, statusIn: PENDING_JOB_STATES });
        if (onDataset > 0) throw inUse(`Another dataset import job on ${dataset.arn} is pending or in progress; wait until it ends.`);
        const pending = await tx.count({ account: ctx.account, region: ctx.region, kind: 'dataset-import-job', statusIn: PENDING_JOB_STATES });
        if (pending >= deps.quotas.pendingImportJobs) throw limitExceeded(`More than ${deps.quotas.pendingImportJobs} resources with PENDING or IN_PROGRESS status.`);
        const body: ImportJobBody = {
          dataSource: { dataLocation: input.dataSource?.dataLocation },
          roleArn: input.roleArn,
          importMode,
          publishAttributionMetricsToS3: input.publishAttributionMetricsToS3,
        };
        await insertQueuedJob(deps, tx, ctx, { kind: 'dataset-import-job', arn, name: input.jobName!, parentArn: dataset.arn, status: 'CREATE PENDING', body, tags });
      });
      deps.jobQueued();
      return { datasetImportJobArn: arn };
    },

    async DescribeDatasetImportJob(input: DescribeDatasetImportJobRequest, ctx): Promise<DescribeDatasetImportJobResponse> {
      return { datasetImportJob: describe(await loadResource(deps, deps.catalog, ctx, 'dataset-import-job', input.datasetImportJobArn!)) };
    },

    async ListDatasetImportJobs(input: ListDatasetImportJobsRequest, ctx): Promise<ListDatasetImportJobsResponse> {
      if (input.datasetArn) await loadResource(deps, deps.catalog, ctx, 'dataset', input.datasetArn);
      const page = await listPage(deps, ctx, 'ListDatasetImportJobs', { kind: 'dataset-import-job', parentArn: input.datasetArn }, input.nextToken, input.maxResults);
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { datasetImportJobs: page.records.map(describe), nextToken: page.nextToken };
    },
  };
}
