// Tracking IDs -> where their records go: an event tracker's ID (PutEvents) or an Action
// interactions dataset's ID (PutActionInteractions). Tracking IDs live in resource documents,
// which the catalog does not index, so a miss scans the caller's trackers / datasets once and
// the answer is cached; every hit is re-read by ARN, so a deleted or re-created resource is
// never served from the cache.
import type { Catalog, ResourceRecord } from '../../catalog/catalog.ts';
import type { RequestContext } from '../../protocol/handler-types.ts';
import { DATASET_KIND } from '../datasets/dataset-record.ts';
import { EVENT_TRACKER_KIND } from '../event-trackers/event-tracker-record.ts';
import { settle } from '../shared/lifecycle.ts';
import type { ResourceKindDefinition } from '../shared/resource-kind.ts';

const MAX_CACHED = 10_000;

export class TrackingIds {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly catalog: Catalog,
    private readonly now: () => number,
  ) {}

  /** The event tracker (settled to now) whose tracking ID this is, in the caller's account and region. */
  async eventTracker(ctx: RequestContext, trackingId: string): Promise<ResourceRecord | undefined> {
    return this.find(ctx, EVENT_TRACKER_KIND, trackingId);
  }

  /** The ARN of the Action interactions dataset whose tracking ID this is. */
  async actionInteractionsDataset(ctx: RequestContext, trackingId: string): Promise<string | undefined> {
    return (await this.find(ctx, DATASET_KIND, trackingId))?.arn;
  }

  private async find(ctx: RequestContext, definition: ResourceKindDefinition, trackingId: string): Promise<ResourceRecord | undefined> {
    const kind = definition.kind;
    const cacheKey = JSON.stringify([ctx.account, ctx.region, kind, trackingId]);
    const matches = (r: ResourceRecord | undefined): r is ResourceRecord =>
      r !== undefined && r.kind === kind && r.account === ctx.account && r.region === ctx.region && r.body.trackingId === trackingId;
    const cached = this.cache.get(cacheKey);
    if (cached) {
      const record = await this.catalog.get(cached);
      if (matches(record)) return settle(record, this.now());
      this.cache.delete(cacheKey);
    }
    const found = (await this.catalog.list({ account: ctx.account, region: ctx.region, kind })).find(matches);
    if (!found) return undefined;
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(cacheKey, found.arn);
    return settle(found, this.now());
  }
}
