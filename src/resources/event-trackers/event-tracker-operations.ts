// CreateEventTracker, DescribeEventTracker, ListEventTrackers, DeleteEventTracker. An event
// tracker gives a dataset group a tracking ID for PutEvents (src/data/records/), which records the
// events in the group's Interactions dataset. Choices where AWS documents nothing [INF]:
//  * a second tracker for a group (rules.md rule 32) is ResourceAlreadyExistsException;
//  * the group must be ACTIVE (ResourceInUseException), like for datasets;
//  * the tracker goes CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE like a dataset group, and a
//    delete takes effect at once; its events stay in the Interactions dataset.
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  CreateEventTrackerRequest,
  CreateEventTrackerResponse,
  DeleteEventTrackerRequest,
  DescribeEventTrackerRequest,
  DescribeEventTrackerResponse,
  EventTracker,
  ListEventTrackersRequest,
  ListEventTrackersResponse,
} from '../../api/personalize-types.ts';
import type { ResourceRecord } from '../../catalog/catalog.ts';
import type { PersonalizeHandlers } from '../../api/personalize-handlers.ts';
import { alreadyExists, inUse } from '../../protocol/service-error.ts';
import { makeArn } from '../shared/arns.ts';
import { schedule } from '../shared/lifecycle.ts';
import { insertResource, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { hasStatus } from '../shared/status-table.ts';
import { addTags, toTags } from '../tags/tag-rules.ts';
import { childrenLock, DATASET_GROUP_KIND, DATASET_GROUP_STATUSES } from '../dataset-groups/dataset-group-record.ts';
import { EVENT_TRACKER_KIND, EVENT_TRACKER_STATUSES, type EventTrackerBody } from './event-tracker-record.ts';

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

export function eventTrackerOperations(
  deps: ServiceDeps,
): Pick<PersonalizeHandlers, 'CreateEventTracker' | 'DescribeEventTracker' | 'ListEventTrackers' | 'DeleteEventTracker'> {
  return {
    async CreateEventTracker(input: CreateEventTrackerRequest, ctx): Promise<CreateEventTrackerResponse> {
      const tags = toTags(input.tags);
      // event-tracker/<8 lowercase hex>, as AWS's notebooks show it (rules.md rule 7), not the name.
      const arn = makeArn(EVENT_TRACKER_KIND.kind, ctx.region, ctx.account, randomBytes(4).toString('hex'));
      const trackingId = randomUUID();
      const now = deps.now();
      await deps.catalog.transaction(async (tx) => {
        const group = await loadResource(deps, tx, ctx, DATASET_GROUP_KIND, input.datasetGroupArn!);
        await tx.lock(childrenLock(group.arn));
        if (!hasStatus(DATASET_GROUP_STATUSES, group, 'ACTIVE'))
          throw inUse(`Dataset group ${group.arn} is in state ${group.status}; an event tracker can be added once it is ACTIVE.`);
        const [existing] = await tx.list({
          account: ctx.account,
          region: ctx.region,
          kind: EVENT_TRACKER_KIND.kind,
          parentArn: group.arn,
          limit: 1,
        });
        if (existing)
          throw alreadyExists(
            `The dataset group ${group.arn} already has an event tracker (${existing.arn}); a dataset group can have only one.`,
          );
        const body: EventTrackerBody = { trackingId };
        const transitions = schedule(
          EVENT_TRACKER_STATUSES,
          EVENT_TRACKER_STATUSES.initial,
          ['CREATE IN_PROGRESS', 'ACTIVE'],
          now,
          deps.config.provisioningMs,
        );
        await insertResource(tx, EVENT_TRACKER_KIND, {
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
      return { eventTrackerArn: arn, trackingId };
    },

    async DescribeEventTracker(input: DescribeEventTrackerRequest, ctx): Promise<DescribeEventTrackerResponse> {
      return { eventTracker: describe(await loadResource(deps, deps.catalog, ctx, EVENT_TRACKER_KIND, input.eventTrackerArn!)) };
    },

    async ListEventTrackers(input: ListEventTrackersRequest, ctx): Promise<ListEventTrackersResponse> {
      if (input.datasetGroupArn) await loadResource(deps, deps.catalog, ctx, DATASET_GROUP_KIND, input.datasetGroupArn);
      const page = await listPage(
        deps,
        ctx,
        'ListEventTrackers',
        { kind: EVENT_TRACKER_KIND.kind, parentArn: input.datasetGroupArn },
        input.nextToken,
        input.maxResults,
      );
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { eventTrackers: page.records.map(describe), nextToken: page.nextToken };
    },

    async DeleteEventTracker(input: DeleteEventTrackerRequest, ctx) {
      await deps.catalog.transaction(async (tx) => {
        const record = await loadResource(deps, tx, ctx, EVENT_TRACKER_KIND, input.eventTrackerArn!);
        await tx.lock(childrenLock(record.parentArn!));
        await tx.delete(record.arn);
      });
      return {};
    },
  };
}
