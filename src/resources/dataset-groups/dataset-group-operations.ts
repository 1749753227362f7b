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
} from '../../api/personalize-types.ts';
import type { ResourceRecord } from '../../catalog/catalog.ts';
import type { PersonalizeHandlers } from '../../api/personalize-handlers.ts';
import { inUse, invalidInput, limitExceeded, ServiceError } from '../../protocol/service-error.ts';
import { makeArn } from '../shared/arns.ts';
import { schedule } from '../shared/lifecycle.ts';
import { insertResource, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import type { Domain } from '../../data/schema/schema-model.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { addTags, toTags } from '../tags/tag-rules.ts';
import { unfinished } from '../shared/status-table.ts';
import { DATA_DELETION_JOB_KIND, DATA_DELETION_JOB_STATUSES, deletionLock } from '../data-deletion-jobs/data-deletion-job-record.ts';
import { DATASET_KIND } from '../datasets/dataset-record.ts';
import { EVENT_TRACKER_KIND } from '../event-trackers/event-tracker-record.ts';
import { METRIC_ATTRIBUTION_KIND } from '../metric-attributions/metric-attribution-record.ts';
import { SOLUTION_KIND } from '../solutions/solution-record.ts';
import { RECOMMENDER_KIND } from '../recommenders/recommender-record.ts';
import {
  childrenLock,
  DATASET_GROUP_KIND,
  DATASET_GROUP_STATUSES,
  datasetGroupQuotaLock,
  type DatasetGroupBody,
} from './dataset-group-record.ts';
import { pendingDeletion, pendingDeletions, recordDeletion } from './dataset-group-deletion-record.ts';

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

export function datasetGroupOperations(
  deps: ServiceDeps,
): Pick<PersonalizeHandlers, 'CreateDatasetGroup' | 'DescribeDatasetGroup' | 'ListDatasetGroups' | 'DeleteDatasetGroup'> {
  return {
    async CreateDatasetGroup(input: CreateDatasetGroupRequest, ctx): Promise<CreateDatasetGroupResponse> {
      // The role only exists to let Personalize use the KMS key, so one without the other is
      // meaningless (API reference of CreateDatasetGroup).
      if (input.roleArn && !input.kmsKeyArn)
        throw invalidInput('roleArn is only valid together with kmsKeyArn: the role grants Amazon Personalize access to the KMS key.');
      if (input.kmsKeyArn && !input.roleArn)
        throw invalidInput('kmsKeyArn requires roleArn: a role that grants Amazon Personalize access to the KMS key.');
      const tags = toTags(input.tags);
      const arn = makeArn(DATASET_GROUP_KIND.kind, ctx.region, ctx.account, input.name!);
      const now = deps.now();
      await deps.catalog.transaction(async (tx) => {
        await tx.lock(datasetGroupQuotaLock(ctx.account, ctx.region));
        const count = await tx.count({ account: ctx.account, region: ctx.region, kind: DATASET_GROUP_KIND.kind });
        if (count >= deps.quotas.datasetGroups) {
          throw limitExceeded(
            `Cannot create a dataset group. More than ${deps.quotas.datasetGroups} resources in ACTIVE state. Please delete some and try again.`,
          );
        }
        const body: DatasetGroupBody = {
          roleArn: input.roleArn,
          kmsKeyArn: input.kmsKeyArn,
          domain: input.domain as Domain | undefined,
        };
        const transitions = schedule(
          DATASET_GROUP_STATUSES,
          DATASET_GROUP_STATUSES.initial,
          ['CREATE IN_PROGRESS', 'ACTIVE'],
          now,
          deps.config.provisioningMs,
        );
        await insertResource(tx, DATASET_GROUP_KIND, {
          arn,
          account: ctx.account,
          region: ctx.region,
          name: input.name!,
          parentArn: null,
          createdAt: now,
          updatedAt: now,
          body: { ...body, transitions },
        });
        await addTags(tx, arn, tags, deps.quotas.tagsPerResource);
      });
      return { datasetGroupArn: arn, domain: input.domain ?? undefined };
    },

    async DescribeDatasetGroup(input: DescribeDatasetGroupRequest, ctx): Promise<DescribeDatasetGroupResponse> {
      const arn = input.datasetGroupArn!;
      try {
        return { datasetGroup: describe(await loadResource(deps, deps.catalog, ctx, DATASET_GROUP_KIND, arn)) };
      } catch (e) {
        // A group deleted a moment ago is DELETE PENDING for a while (dataset-group-deletion-record.ts).
        const pending =
          e instanceof ServiceError && e.code === 'ResourceNotFoundException'
            ? await pendingDeletion(deps.catalog, arn, deps.now())
            : undefined;
        if (!pending || pending.account !== ctx.account || pending.region !== ctx.region) throw e;
        return { datasetGroup: describe(pending) };
      }
    },

    async ListDatasetGroups(input: ListDatasetGroupsRequest, ctx): Promise<ListDatasetGroupsResponse> {
      // Groups being deleted are listed DELETE PENDING (dataset-group-deletion-record.ts).
      const page = await listPage(
        deps,
        ctx,
        'ListDatasetGroups',
        { kind: DATASET_GROUP_KIND.kind },
        input.nextToken,
        input.maxResults,
        () => pendingDeletions(deps.catalog, ctx.account, ctx.region, deps.now()),
      );
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { datasetGroups: page.records.map(describe), nextToken: page.nextToken };
    },

    async DeleteDatasetGroup(input: DeleteDatasetGroupRequest, ctx) {
      await deps.catalog.transaction(async (tx) => {
        const record = await loadResource(deps, tx, ctx, DATASET_GROUP_KIND, input.datasetGroupArn!);
        await tx.lock(childrenLock(record.arn));
        const children = await tx.list({ account: ctx.account, region: ctx.region, kind: DATASET_KIND.kind, parentArn: record.arn });
        const trackers = await tx.list({ account: ctx.account, region: ctx.region, kind: EVENT_TRACKER_KIND.kind, parentArn: record.arn });
        const attributions = await tx.list({
          account: ctx.account,
          region: ctx.region,
          kind: METRIC_ATTRIBUTION_KIND.kind,
          parentArn: record.arn,
        });
        // A deletion job still to run would find its group gone: the group waits for it.
        await tx.lock(deletionLock(record.arn));
        const deletions = await tx.list({
          account: ctx.account,
          region: ctx.region,
          kind: DATA_DELETION_JOB_KIND.kind,
          parentArn: record.arn,
          statusIn: unfinished(DATA_DELETION_JOB_STATUSES),
        });
        const solutions = await tx.list({ account: ctx.account, region: ctx.region, kind: SOLUTION_KIND.kind, parentArn: record.arn });
        const recommenders = await tx.list({
          account: ctx.account,
          region: ctx.region,
          kind: RECOMMENDER_KIND.kind,
          parentArn: record.arn,
        });
        const blocking = [...children, ...trackers, ...attributions, ...deletions, ...solutions, ...recommenders];
        if (blocking.length > 0) {
          throw inUse(
            `Cannot delete dataset group ${record.arn}: delete its recommenders, solutions, datasets, event trackers and metric attribution first, and let its data deletion jobs finish (${blocking.map((c) => c.arn).join(', ')}).`,
          );
        }
        await tx.delete(record.arn);
        await recordDeletion(tx, record, deps.now(), deps.config.provisioningMs);
      });
      return {};
    },
  };
}
