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
} from '@aws-sdk/client-personalize';
import type { ResourceRecord } from '../../catalog/catalog.ts';
import type { PartRef } from '../../data/generations/part-store.ts';
import type { HandlerTable } from '../../protocol/handler-types.ts';
import { inUse } from '../../protocol/service-error.ts';
import { makeArn, parseArn } from '../shared/arns.ts';
import { PROVISIONING_STEPS } from '../dataset-groups/dataset-group-operations.ts';
import { schedule } from '../shared/lifecycle.ts';
import { insertResource, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import { parsedSchemaOf, schemaLockKey } from '../schemas/schema-operations.ts';
import type { DatasetType } from '../../data/schema/schema-model.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { addTags, toTags } from '../tags/tag-rules.ts';
import { checkGroupAcceptsDataset, checkSchemaFitsDataset, checkSchemaUpdate, datasetTypeOf } from './dataset-rules.ts';

interface UpdateState {
  schemaArn: string;
  status: string;
  failureReason?: string;
  creationDateTime: number;
  lastUpdatedDateTime: number;
}

export interface DatasetBody {
  datasetType: DatasetType;
  schemaArn: string;
  trackingId?: string;
  latestDatasetUpdate?: UpdateState;
  /** The bulk-imported data: the current generation of Parquet parts. Absent before the first import. */
  bulk?: { parts: PartRef[] };
}

/** Import jobs that block deleting or re-schematising a dataset. */
export const PENDING_JOB_STATES = ['CREATE PENDING', 'CREATE IN_PROGRESS'];

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

export function datasetOperations(deps: ServiceDeps): HandlerTable {
  return {
    async CreateDataset(input: CreateDatasetRequest, ctx): Promise<CreateDatasetResponse> {
      const type = datasetTypeOf(input.datasetType!);
      const tags = toTags(input.tags);
      const now = deps.now();
      let arn = '';
      await deps.catalog.transaction(async (tx) => {
        const group = await loadResource(deps, tx, ctx, 'dataset-group', input.datasetGroupArn!);
        await tx.lock(`children:${group.arn}`);
        await tx.lock(schemaLockKey(input.schemaArn!));
        const schemaRecord = await loadResource(deps, tx, ctx, 'schema', input.schemaArn!);
        checkGroupAcceptsDataset(group);
        checkSchemaFitsDataset(type, parsedSchemaOf(schemaRecord), schemaRecord, group);
        // The dataset ARN is built from the group's name and the type: one dataset per type per group.
        arn = makeArn('dataset', ctx.region, ctx.account, `${parseArn(group.arn)!.id}/${type}`);
        const body: DatasetBody = { datasetType: type, schemaArn: schemaRecord.arn, trackingId: type === 'ACTION_INTERACTIONS' ? randomUUID() : undefined };
        await insertResource(tx, {
          arn, account: ctx.account, region: ctx.region, kind: 'dataset', name: input.name!, parentArn: group.arn,
          status: 'CREATE PENDING', createdAt: now, updatedAt: now,
          body: { ...body, transitions: schedule(now, deps.config.provisioningMs, PROVISIONING_STEPS) },
        });
        await addTags(tx, arn, tags, deps.quotas.tagsPerResource);
      });
      return { datasetArn: arn };
    },

    async DescribeDataset(input: DescribeDatasetRequest, ctx): Promise<DescribeDatasetResponse> {
      return { dataset: describe(await loadResource(deps, deps.catalog, ctx, 'dataset', input.datasetArn!)) };
    },

    async ListDatasets(input: ListDatasetsRequest, ctx): Promise<ListDatasetsResponse> {
      if (input.datasetGroupArn) await loadResource(deps, deps.catalog, ctx, 'dataset-group', input.datasetGroupArn);
      const page = await listPage(deps, ctx, 'ListDatasets', { kind: 'dataset', parentArn: input.datasetGroupArn }, input.nextToken, input.maxResults);
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { datasets: page.records.map(describe), nextToken: page.nextToken };
    },

    async DeleteDataset(input: DeleteDatasetRequest, ctx) {
      // Deleting the dataset is the only way to delete its data (rules.md rule 30).
      let parts: PartRef[] = [];
      await deps.catalog.transaction(async (tx) => {
        const record = await loadResource(deps, tx, ctx, 'dataset', input.datasetArn!);
        await tx.lock(`dataset-jobs:${record.arn}`);
        const running = await tx.count({ account: ctx.account, region: ctx.region, kind: 'dataset-import-job', parentArn: record.arn, statusIn: PENDING_JOB_STATES });
        if (running > 0) throw inUse(`Cannot delete dataset ${record.arn} while a dataset import job on it is pending or in progress.`);
        parts = (record.body as unknown as DatasetBody).bulk?.parts ?? [];
        await tx.delete(record.arn);
      });
      await deps.parts.delete(parts.map((p) => p.key));
      return {};
    },

    async UpdateDataset(input: UpdateDatasetRequest, ctx): Promise<UpdateDatasetResponse> {
      const now = deps.now();
      await deps.catalog.transaction(async (tx) => {
        const dataset = await loadResource(deps, tx, ctx, 'dataset', input.datasetArn!);
        await tx.lock(`dataset-jobs:${dataset.arn}`);
        await tx.lock(schemaLockKey(input.schemaArn!));
        const running = await tx.count({ account: ctx.account, region: ctx.region, kind: 'dataset-import-job', parentArn: dataset.arn, statusIn: PENDING_JOB_STATES });
        if (running > 0) throw inUse(`Cannot replace the schema of ${dataset.arn} while a dataset import job on it is pending or in progress.`);
        const body = dataset.body as unknown as DatasetBody;
        const current = parsedSchemaOf(await loadResource(deps, tx, ctx, 'schema', body.schemaArn));
        const next = parsedSchemaOf(await loadResource(deps, tx, ctx, 'schema', input.schemaArn!));
        checkSchemaUpdate(dataset, current, next);
        const update = (status: string, at: number): UpdateState => ({ schemaArn: input.schemaArn!, status, creationDateTime: now, lastUpdatedDateTime: at });
        const [inProgress, active] = schedule(now, deps.config.provisioningMs, ['UPDATE IN_PROGRESS', 'ACTIVE']);
        await tx.update({
          ...dataset, status: 'UPDATE PENDING', updatedAt: now,
          body: {
            ...dataset.body,
            latestDatasetUpdate: update('UPDATE PENDING', now),
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
