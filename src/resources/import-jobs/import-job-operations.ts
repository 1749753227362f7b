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
} from '../../api/personalize-types.ts';
import type { ResourceRecord } from '../../catalog/catalog.ts';
import type { PersonalizeHandlers } from '../../api/personalize-handlers.ts';
import { alreadyExists, inUse, limitExceeded, tooManyTags } from '../../protocol/service-error.ts';
import { makeArn } from '../shared/arns.ts';
import { DATASET_KIND, datasetJobsLock, type DatasetBody } from '../datasets/dataset-record.ts';
import { checkPublishAttribution } from '../metric-attributions/metric-attribution-rules.ts';
import { insertQueuedJob, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import { unfinished } from '../shared/status-table.ts';
import { parsedSchemaOf, SCHEMA_KIND } from '../schemas/schema-record.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { toTags } from '../tags/tag-rules.ts';
import { checkDataLocation, checkDatasetAcceptsImport, checkFirstHeader } from './import-job-rules.ts';
import { IMPORT_JOB_KIND, IMPORT_JOB_STATUSES, importQuotaLock, type ImportJobBody, type ImportMode } from './import-job-record.ts';

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

export function importJobOperations(
  deps: ServiceDeps,
): Pick<PersonalizeHandlers, 'CreateDatasetImportJob' | 'DescribeDatasetImportJob' | 'ListDatasetImportJobs'> {
  return {
    async CreateDatasetImportJob(input: CreateDatasetImportJobRequest, ctx): Promise<CreateDatasetImportJobResponse> {
      const tags = toTags(input.tags);
      if (tags.length > deps.quotas.tagsPerResource)
        throw tooManyTags(`${tags.length} tags given; the limit is ${deps.quotas.tagsPerResource} tags per resource.`);
      const importMode = (input.importMode ?? 'FULL') as ImportMode;
      const arn = makeArn(IMPORT_JOB_KIND.kind, ctx.region, ctx.account, input.jobName!);
      // Cheap checks first, so a taken name or a missing dataset never costs a read of S3.
      const dataset = await loadResource(deps, deps.catalog, ctx, DATASET_KIND, input.datasetArn!);
      if (await deps.catalog.get(arn)) throw alreadyExists(`A dataset import job with the ARN ${arn} already exists.`);
      checkDatasetAcceptsImport(dataset, importMode);
      await checkPublishAttribution(deps.catalog, dataset, input.publishAttributionMetricsToS3);
      const schema = parsedSchemaOf(
        await loadResource(deps, deps.catalog, ctx, SCHEMA_KIND, (dataset.body as unknown as DatasetBody).schemaArn),
      );
      const objects = await checkDataLocation(deps, input.dataSource?.dataLocation ?? undefined);
      await checkFirstHeader(objects[0], schema);

      await deps.catalog.transaction(async (tx) => {
        await tx.lock(importQuotaLock(ctx.account, ctx.region));
        await tx.lock(datasetJobsLock(dataset.arn));
        const current = await loadResource(deps, tx, ctx, DATASET_KIND, dataset.arn);
        checkDatasetAcceptsImport(current, importMode);
        const statusIn = unfinished(IMPORT_JOB_STATUSES);
        const onDataset = await tx.count({
          account: ctx.account,
          region: ctx.region,
          kind: IMPORT_JOB_KIND.kind,
          parentArn: dataset.arn,
          statusIn,
        });
        if (onDataset > 0) throw inUse(`Another dataset import job on ${dataset.arn} is pending or in progress; wait until it ends.`);
        const pending = await tx.count({ account: ctx.account, region: ctx.region, kind: IMPORT_JOB_KIND.kind, statusIn });
        if (pending >= deps.quotas.pendingImportJobs)
          throw limitExceeded(`More than ${deps.quotas.pendingImportJobs} resources with PENDING or IN_PROGRESS status.`);
        const body: ImportJobBody = {
          dataSource: { dataLocation: input.dataSource?.dataLocation ?? undefined },
          roleArn: input.roleArn ?? undefined,
          importMode,
          publishAttributionMetricsToS3: input.publishAttributionMetricsToS3,
        };
        await insertQueuedJob(deps, tx, ctx, { kind: IMPORT_JOB_KIND, arn, name: input.jobName!, parentArn: dataset.arn, body, tags });
      });
      deps.jobQueued();
      return { datasetImportJobArn: arn };
    },

    async DescribeDatasetImportJob(input: DescribeDatasetImportJobRequest, ctx): Promise<DescribeDatasetImportJobResponse> {
      return { datasetImportJob: describe(await loadResource(deps, deps.catalog, ctx, IMPORT_JOB_KIND, input.datasetImportJobArn!)) };
    },

    async ListDatasetImportJobs(input: ListDatasetImportJobsRequest, ctx): Promise<ListDatasetImportJobsResponse> {
      if (input.datasetArn) await loadResource(deps, deps.catalog, ctx, DATASET_KIND, input.datasetArn);
      const page = await listPage(
        deps,
        ctx,
        'ListDatasetImportJobs',
        { kind: IMPORT_JOB_KIND.kind, parentArn: input.datasetArn },
        input.nextToken,
        input.maxResults,
      );
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { datasetImportJobs: page.records.map(describe), nextToken: page.nextToken };
    },
  };
}
