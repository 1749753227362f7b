// CreateDataset, DescribeDataset, ListDatasets, DeleteDataset, UpdateDataset.
import { randomUUID } from 'node:crypto';
import type {
  CreateDatasetRequest,
  CreateDatasetResponse,
  Dataset,
  DatasetUpdateSummary,
  DeleteDatasetRequest,
  DescribeDatasetRequest,
  DescribeDatasetResponse,
  ListDatasetsRequest,
  ListDatasetsResponse,
  UpdateDatasetRequest,
  UpdateDatasetResponse,
} from '../../api/personalize-types.ts';
import type { ResourceRecord } from '../../catalog/catalog.ts';
import type { PartRef } from '../../data/generations/part-store.ts';
import type { PersonalizeHandlers } from '../../api/personalize-handlers.ts';
import { inUse } from '../../protocol/service-error.ts';
import { makeArn, parseArn } from '../shared/arns.ts';
import { schedule } from '../shared/lifecycle.ts';
import { insertResource, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import { assertMove, unfinished } from '../shared/status-table.ts';
import { childrenLock, DATASET_GROUP_KIND } from '../dataset-groups/dataset-group-record.ts';
import { FILTER_KIND } from '../filters/filter-record.ts';
import { IMPORT_JOB_KIND, IMPORT_JOB_STATUSES } from '../import-jobs/import-job-record.ts';
import { parsedSchemaOf, SCHEMA_KIND, schemaLockKey } from '../schemas/schema-record.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { addTags, toTags } from '../tags/tag-rules.ts';
import { checkGroupAcceptsDataset, checkSchemaFitsDataset, checkSchemaUpdate, datasetTypeOf } from './dataset-rules.ts';
import { DATASET_KIND, DATASET_STATUSES, datasetJobsLock, type DatasetBody, type DatasetUpdate } from './dataset-record.ts';

function describe(record: ResourceRecord): Dataset {
  const body = record.body as unknown as DatasetBody;
  const u = body.latestDatasetUpdate;
  const update: DatasetUpdateSummary | undefined = u && {
    schemaArn: u.schemaArn,
    status: u.status,
    failureReason: u.failureReason,
    creationDateTime: toDate(u.creationDateTime),
    lastUpdatedDateTime: toDate(u.lastUpdatedDateTime),
  };
  return {
    name: record.name,
    datasetArn: record.arn,
    datasetGroupArn: record.parentArn ?? undefined,
    datasetType: body.datasetType,
    schemaArn: body.schemaArn,
    status: record.status ?? undefined,
    trackingId: body.trackingId,
    latestDatasetUpdate: update,
    creationDateTime: toDate(record.createdAt),
    lastUpdatedDateTime: toDate(record.updatedAt),
  };
}

export function datasetOperations(
  deps: ServiceDeps,
): Pick<PersonalizeHandlers, 'CreateDataset' | 'DescribeDataset' | 'ListDatasets' | 'DeleteDataset' | 'UpdateDataset'> {
  return {
    async CreateDataset(input: CreateDatasetRequest, ctx): Promise<CreateDatasetResponse> {
      const type = datasetTypeOf(input.datasetType!);
      const tags = toTags(input.tags);
      const now = deps.now();
      let arn = '';
      await deps.catalog.transaction(async (tx) => {
        const group = await loadResource(deps, tx, ctx, DATASET_GROUP_KIND, input.datasetGroupArn!);
        await tx.lock(childrenLock(group.arn));
        await tx.lock(schemaLockKey(input.schemaArn!));
        const schemaRecord = await loadResource(deps, tx, ctx, SCHEMA_KIND, input.schemaArn!);
        checkGroupAcceptsDataset(group);
        checkSchemaFitsDataset(type, parsedSchemaOf(schemaRecord), schemaRecord, group);
        // The dataset ARN is built from the group's name and the type: one dataset per type per group.
        arn = makeArn(DATASET_KIND.kind, ctx.region, ctx.account, `${parseArn(group.arn)!.id}/${type}`);
        const body: DatasetBody = {
          datasetType: type,
          schemaArn: schemaRecord.arn,
          trackingId: type === 'ACTION_INTERACTIONS' ? randomUUID() : undefined,
        };
        const transitions = schedule(
          DATASET_STATUSES,
          DATASET_STATUSES.initial,
          ['CREATE IN_PROGRESS', 'ACTIVE'],
          now,
          deps.config.provisioningMs,
        );
        await insertResource(tx, DATASET_KIND, {
          arn,
          account: ctx.account,
          region: ctx.region,
          name: input.name!,
          parentArn: group.arn,
          createdAt: now,
          updatedAt: now,
          body: { ...body, transitions },
        });
        await addTags(tx, arn, tags, deps.quotas.tagsPerResource);
      });
      return { datasetArn: arn };
    },

    async DescribeDataset(input: DescribeDatasetRequest, ctx): Promise<DescribeDatasetResponse> {
      return { dataset: describe(await loadResource(deps, deps.catalog, ctx, DATASET_KIND, input.datasetArn!)) };
    },

    async ListDatasets(input: ListDatasetsRequest, ctx): Promise<ListDatasetsResponse> {
      if (input.datasetGroupArn) await loadResource(deps, deps.catalog, ctx, DATASET_GROUP_KIND, input.datasetGroupArn);
      const page = await listPage(
        deps,
        ctx,
        'ListDatasets',
        { kind: DATASET_KIND.kind, parentArn: input.datasetGroupArn },
        input.nextToken,
        input.maxResults,
      );
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { datasets: page.records.map(describe), nextToken: page.nextToken };
    },

    async DeleteDataset(input: DeleteDatasetRequest, ctx) {
      // Deleting the dataset is the only way to delete its data (rules.md rule 30).
      let parts: PartRef[] = [];
      await deps.catalog.transaction(async (tx) => {
        const record = await loadResource(deps, tx, ctx, DATASET_KIND, input.datasetArn!);
        await tx.lock(datasetJobsLock(record.arn));
        const running = await tx.count({
          account: ctx.account,
          region: ctx.region,
          kind: IMPORT_JOB_KIND.kind,
          parentArn: record.arn,
          statusIn: unfinished(IMPORT_JOB_STATUSES),
        });
        if (running > 0) throw inUse(`Cannot delete dataset ${record.arn} while a dataset import job on it is pending or in progress.`);
        // "You must delete all filters before deleting any dataset" (developer guide, Deleting a dataset).
        await tx.lock(childrenLock(record.parentArn!));
        const filters = await tx.list({ account: ctx.account, region: ctx.region, kind: FILTER_KIND.kind, parentArn: record.parentArn! });
        if (filters.length > 0)
          throw inUse(
            `Cannot delete dataset ${record.arn} while its dataset group has filters; delete them first (${filters.map((f) => f.arn).join(', ')}).`,
          );
        parts = (record.body as unknown as DatasetBody).bulk?.parts ?? [];
        await tx.delete(record.arn);
      });
      await deps.parts.delete(parts.map((p) => p.key));
      return {};
    },

    async UpdateDataset(input: UpdateDatasetRequest, ctx): Promise<UpdateDatasetResponse> {
      const now = deps.now();
      await deps.catalog.transaction(async (tx) => {
        const dataset = await loadResource(deps, tx, ctx, DATASET_KIND, input.datasetArn!);
        await tx.lock(datasetJobsLock(dataset.arn));
        await tx.lock(schemaLockKey(input.schemaArn!));
        const running = await tx.count({
          account: ctx.account,
          region: ctx.region,
          kind: IMPORT_JOB_KIND.kind,
          parentArn: dataset.arn,
          statusIn: unfinished(IMPORT_JOB_STATUSES),
        });
        if (running > 0)
          throw inUse(`Cannot replace the schema of ${dataset.arn} while a dataset import job on it is pending or in progress.`);
        const body = dataset.body as unknown as DatasetBody;
        const current = parsedSchemaOf(await loadResource(deps, tx, ctx, SCHEMA_KIND, body.schemaArn));
        const next = parsedSchemaOf(await loadResource(deps, tx, ctx, SCHEMA_KIND, input.schemaArn!));
        checkSchemaUpdate(dataset, current, next);
        const pending: DatasetUpdate['status'] = 'UPDATE PENDING';
        assertMove(DATASET_STATUSES, dataset.status, pending);
        const update = (status: DatasetUpdate['status'], at: number): DatasetUpdate => ({
          schemaArn: input.schemaArn!,
          status,
          creationDateTime: now,
          lastUpdatedDateTime: at,
        });
        const [inProgress, active] = schedule(DATASET_STATUSES, pending, ['UPDATE IN_PROGRESS', 'ACTIVE'], now, deps.config.provisioningMs);
        await tx.update({
          ...dataset,
          status: pending,
          updatedAt: now,
          body: {
            ...dataset.body,
            latestDatasetUpdate: update(pending, now),
            transitions: [
              { ...inProgress, patch: { latestDatasetUpdate: update('UPDATE IN_PROGRESS', inProgress.at) } },
              // The dataset takes the new schema when the update completes.
              { ...active, patch: { schemaArn: input.schemaArn!, latestDatasetUpdate: update('ACTIVE', active.at) } },
            ],
          },
        });
      });
      return { datasetArn: input.datasetArn };
    },
  };
}
