// CreateDatasetGroup, DescribeDatasetGroup, ListDatasetGroups, DeleteDatasetGroup.
import type {
  CreateDatasetGroupRequest,
  CreateDatasetGroupResponse,
  DatasetGroup,
  DeleteDatasetGroupRequest,
  DescribeDatasetGroupRequest,
  DescribeDatasetGroupResponse,
  ListDatasetGroupsRequest,
  ListDatasetGroupsResponse,
} from '@aws-sdk/client-personalize';
import type { ResourceRecord } from '../../catalog/catalog.ts';
import type { HandlerTable } from '../../protocol/handler-types.ts';
import { inUse, invalidInput, limitExceeded } from '../../protocol/service-error.ts';
import { makeArn } from '../shared/arns.ts';
import { schedule } from '../shared/lifecycle.ts';
import { insertResource, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import type { Domain } from '../../data/schema/schema-model.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { addTags, toTags } from '../tags/tag-rules.ts';
import { deletionLock } from '../data-deletion-jobs/data-deletion-job-operations.ts';
import { UNFINISHED_DELETION_STATES } from '../data-deletion-jobs/data-deletion-job-rules.ts';

export interface DatasetGroupBody {
  roleArn?: string;
  kmsKeyArn?: string;
  domain?: Domain;
  failureReason?: string;
}

export const PROVISIONING_STEPS = ['CREATE IN_PROGRESS', 'ACTIVE'];

function describe(record: ResourceRecord): DatasetGroup {
  const body = record.body as DatasetGroupBody;
  return {
    name: record.name,
    datasetGroupArn: record.arn,
    status: record.status ?? undefined,
    roleArn: body.roleArn,
    kmsKeyArn: body.kmsKeyArn,
    domain: body.domain,
    failureReason: body.failureReason,
    creationDateTime: toDate(record.createdAt),
    lastUpdatedDateTime: toDate(record.updatedAt),
  };
}

export function datasetGroupOperations(deps: ServiceDeps): HandlerTable {
  return {
    async CreateDatasetGroup(input: CreateDatasetGroupRequest, ctx): Promise<CreateDatasetGroupResponse> {
      // The role only exists to let Personalize use the KMS key, so one without the other is
      // meaningless (API reference of CreateDatasetGroup).
      if (input.roleArn && !input.kmsKeyArn) throw invalidInput('roleArn is only valid together with kmsKeyArn: the role grants Amazon Personalize access to the KMS key.');
      if (input.kmsKeyArn && !input.roleArn) throw invalidInput('kmsKeyArn requires roleArn: a role that grants Amazon Personalize access to the KMS key.');
      const tags = toTags(input.tags);
      const arn = makeArn('dataset-group', ctx.region, ctx.account, input.name!);
      const now = deps.now();
      await deps.catalog.transaction(async (tx) => {
        await tx.lock(`quota:dataset-group:${ctx.account}:${ctx.region}`);
        const count = await tx.count({ account: ctx.account, region: ctx.region, kind: 'dataset-group' });
        if (count >= deps.quotas.datasetGroups) {
          throw limitExceeded(`Cannot create a dataset group. More than ${deps.quotas.datasetGroups} resources in ACTIVE state. Please delete some and try again.`);
        }
        const body: DatasetGroupBody = { roleArn: input.roleArn, kmsKeyArn: input.kmsKeyArn, domain: input.domain as Domain | undefined };
        await insertResource(tx, {
          arn, account: ctx.account, region: ctx.region, kind: 'dataset-group', name: input.name!, parentArn: null,
          status: 'CREATE PENDING', createdAt: now, updatedAt: now,
          body: { ...body, transitions: schedule(now, deps.config.provisioningMs, PROVISIONING_STEPS) },
        });
        await addTags(tx, arn, tags, deps.quotas.tagsPerResource);
      });
      return { datasetGroupArn: arn, domain: input.domain };
    },

    async DescribeDatasetGroup(input: DescribeDatasetGroupRequest, ctx): Promise<DescribeDatasetGroupResponse> {
      return { datasetGroup: describe(await loadResource(deps, deps.catalog, ctx, 'dataset-group', input.datasetGroupArn!)) };
    },

    async ListDatasetGroups(input: ListDatasetGroupsRequest, ctx): Promise<ListDatasetGroupsResponse> {
      const page = await listPage(deps, ctx, 'ListDatasetGroups', { kind: 'dataset-group' }, input.nextToken, input.maxResults);
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { datasetGroups: page.records.map(describe), nextToken: page.nextToken };
    },

    async DeleteDatasetGroup(input: DeleteDatasetGroupRequest, ctx) {
      await deps.catalog.transaction(async (tx) => {
        const record = await loadResource(deps, tx, ctx, 'dataset-group', input.datasetGroupArn!);
        await tx.lock(`children:${record.arn}`);
        const children = await tx.list({ account: ctx.account, region: ctx.region, kind: 'dataset', parentArn: record.arn });
        const trackers = await tx.list({ account: ctx.account, region: ctx.region, kind: 'event-tracker', parentArn: record.arn });
        const attributions = await tx.list({ account: ctx.account, region: ctx.region, kind: 'metric-attribution', parentArn: record.arn });
        // A deletion job still to run would find its group gone: the group waits for it.
        await tx.lock(deletionLock(record.arn));
        const deletions = await tx.list({ account: ctx.account, region: ctx.region, kind: 'data-deletion-job', parentArn: record.arn, statusIn: UNFINISHED_DELETION_STATES });
        const blocking = [...children, ...trackers, ...attributions, ...deletions];
        if (blocking.length > 0) {
          throw inUse(`Cannot delete dataset group ${record.arn}: delete its datasets, event trackers and metric attribution first, and let its data deletion jobs finish (${blocking.map((c) => c.arn).join(', ')}).`);
        }
        await tx.delete(record.arn);
      });
      return {};
    },
  };
}
