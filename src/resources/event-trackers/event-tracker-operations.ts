// CreateEventTracker, DescribeEventTracker, ListEventTrackers, DeleteEventTracker. An event
// tracker gives a dataset group a tracking ID for PutEvents (src/data/records/), which records the
// events in the group's Interactions dataset. Choices where AWS documents nothing [INF]:
//  * a second tracker for a group (rules.md rule 32) is ResourceAlreadyExistsException;
//  * the group must be ACTIVE (ResourceInUseException), like for datasets;
//  * the tracker goes CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE like a dataset group, and a
//    delete takes effect at once; its events stay in the Interactions dataset.
import { randomUUID } from 'node:crypto';
import type {
  CreateEventTrackerRequest,
  CreateEventTrackerResponse,
  DeleteEventTrackerRequest,
  DescribeEventTrackerRequest,
  DescribeEventTrackerResponse,
  EventTracker,
  ListEventTrackersRequest,
  ListEventTrackersResponse,
} from '@aws-sdk/client-personalize';
import type { ResourceRecord } from '../../catalog/catalog.ts';
import type { HandlerTable } from '../../protocol/handler-types.ts';
import { alreadyExists, inUse } from '../../protocol/service-error.ts';
import { makeArn } from '../shared/arns.ts';
import { PROVISIONING_STEPS } from '../dataset-groups/dataset-group-operations.ts';
import { schedule } from '../shared/lifecycle.ts';
import { insertResource, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { addTags, toTags } from '../tags/tag-rules.ts';

export interface EventTrackerBody {
  trackingId: string;
}

function describe(record: ResourceRecord): EventTracker {
  const body = record.body as unknown as EventTrackerBody;
  return {
    name: record.name,
    eventTrackerArn: record.arn,
    accountId: record.account,
    trackingId: body.trackingId,
    datasetGroupArn: record.parentArn ?? undefined,
    status: record.status ?? undefined,
    creationDateTime: toDate(record.createdAt),
    lastUpdatedDateTime: toDate(record.updatedAt),
  };
}

export function eventTrackerOperations(deps: ServiceDeps): HandlerTable {
  return {
    async CreateEventTracker(input: CreateEventTrackerRequest, ctx): Promise<CreateEventTrackerResponse> {
      const tags = toTags(input.tags);
      const arn = makeArn('event-tracker', ctx.region, ctx.account, input.name!);
      const trackingId = randomUUID();
      const now = deps.now();
      await deps.catalog.transaction(async (tx) => {
        const group = await loadResource(deps, tx, ctx, 'dataset-group', input.datasetGroupArn!);
        await tx.lock(`children:${group.arn}`);
        if (group.status !== 'ACTIVE') throw inUse(`Dataset group ${group.arn} is in state ${group.status}; an event tracker can be added once it is ACTIVE.`);
        const [existing] = await tx.list({ account: ctx.account, region: ctx.region, kind: 'event-tracker', parentArn: group.arn, limit: 1 });
        if (existing) throw alreadyExists(`The dataset group ${group.arn} already has an event tracker (${existing.arn}); a dataset group can have only one.`);
        const body: EventTrackerBody = { trackingId };
        await insertResource(tx, {
          arn, account: ctx.account, region: ctx.region, kind: 'event-tracker', name: input.name!, parentArn: group.arn,
          status: 'CREATE PENDING', createdAt: now, updatedAt: now,
          body: { ...body, transitions: schedule(now, deps.config.provisioningMs, PROVISIONING_STEPS) },
        });
        await addTags(tx, arn, tags, deps.quotas.tagsPerResource);
      });
      return { eventTrackerArn: arn, trackingId };
    },

    async DescribeEventTracker(input: DescribeEventTrackerRequest, ctx): Promise<DescribeEventTrackerResponse> {
      return { eventTracker: describe(await loadResource(deps, deps.catalog, ctx, 'event-tracker', input.eventTrackerArn!)) };
    },

    async ListEventTrackers(input: ListEventTrackersRequest, ctx): Promise<ListEventTrackersResponse> {
      if (input.datasetGroupArn) await loadResource(deps, deps.catalog, ctx, 'dataset-group', input.datasetGroupArn);
      const page = await listPage(deps, ctx, 'ListEventTrackers', { kind: 'event-tracker', parentArn: input.datasetGroupArn }, input.nextToken, input.maxResults);
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { eventTrackers: page.records.map(describe), nextToken: page.nextToken };
    },

    async DeleteEventTracker(input: DeleteEventTrackerRequest, ctx) {
      await deps.catalog.transaction(async (tx) => {
        const record = await loadResource(deps, tx, ctx, 'event-tracker', input.eventTrackerArn!);
        await tx.lock(`children:${record.parentArn}`);
        await tx.delete(record.arn);
      });
      return {};
    },
  };
}
