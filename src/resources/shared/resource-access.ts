// Reading resources as a caller may see them, and paging through lists. Shared by every family
// so that account/region isolation, lifecycle settling and nextToken handling exist once.
import { CatalogConflictError, type CatalogOps, type ListQuery, type ResourceRecord, type Tag } from '../../catalog/catalog.ts';
import { addTags } from '../tags/tag-rules.ts';
import type { RequestContext } from '../../protocol/handler-types.ts';
import { alreadyExists, notFound } from '../../protocol/service-error.ts';
import { settle } from './lifecycle.ts';
import type { ResourceKindDefinition } from './resource-kind.ts';
import type { ServiceDeps } from './service-deps.ts';

export const DEFAULT_PAGE_SIZE = 100;

/**
 * The resource, settled to `now`, if it exists and belongs to the caller's account and region;
 * otherwise ResourceNotFoundException (another account's resource is indistinguishable from a
 * missing one).
 */
export async function loadResource(
  deps: ServiceDeps,
  ops: CatalogOps,
  ctx: RequestContext,
  kind: ResourceKindDefinition,
  arn: string,
): Promise<ResourceRecord> {
  const record = await ops.get(arn);
  if (!record || record.kind !== kind.kind || record.account !== ctx.account || record.region !== ctx.region) {
    throw notFound(`Could not find the ${kind.label} ${arn}.`);
  }
  return settle(record, deps.now());
}

/**
 * Inserts a new resource of the kind, in the kind's initial status; a taken ARN (= a taken name)
 * is ResourceAlreadyExistsException.
 */
export async function insertResource(
  ops: CatalogOps,
  kind: ResourceKindDefinition,
  record: Omit<ResourceRecord, 'version' | 'kind' | 'status'>,
): Promise<ResourceRecord> {
  try {
    return await ops.insert({ ...record, kind: kind.kind, status: kind.statuses.initial });
  } catch (e) {
    if (e instanceof CatalogConflictError && e.reason === 'exists') {
      throw alreadyExists(`A ${kind.label} with the ARN ${record.arn} already exists.`);
    }
    throw e;
  }
}

/**
 * Creates a job resource (import, export, data deletion) with its tags and queues it for a
 * worker, in the caller's transaction: the job exists and is queued together, or not at all.
 */
export async function insertQueuedJob(
  deps: ServiceDeps,
  tx: CatalogOps,
  ctx: RequestContext,
  job: { kind: ResourceKindDefinition; arn: string; name: string; parentArn: string; body: object; tags: Tag[] },
): Promise<void> {
  const now = deps.now();
  await insertResource(tx, job.kind, {
    arn: job.arn,
    account: ctx.account,
    region: ctx.region,
    name: job.name,
    parentArn: job.parentArn,
    createdAt: now,
    updatedAt: now,
    body: { ...job.body },
  });
  await addTags(tx, job.arn, job.tags, deps.quotas.tagsPerResource);
  await tx.enqueueJob(job.arn, job.kind.kind, now);
}

export interface Page {
  records: ResourceRecord[];
  nextToken: string | undefined;
}

/**
 * One page of a listing. The token is bound to the operation, caller and filter (scope), so it
 * cannot be replayed elsewhere.
 */
export async function listPage(
  deps: ServiceDeps,
  ctx: RequestContext,
  operation: string,
  query: Omit<ListQuery, 'account' | 'region' | 'after' | 'limit'>,
  nextToken: string | undefined,
  maxResults: number | undefined,
  /** Records listed beside the stored ones (e.g. dataset groups being deleted), in any order: they take their places in the list's order. */
  also?: () => Promise<ResourceRecord[]>,
): Promise<Page> {
  const scope = JSON.stringify([operation, ctx.account, ctx.region, query.kind, query.parentArn ?? null, query.statusIn ?? null]);
  const after = nextToken ? deps.tokens.read(scope, nextToken) : undefined;
  const limit = maxResults ?? DEFAULT_PAGE_SIZE;
  let rows = await deps.catalog.list({ ...query, account: ctx.account, region: ctx.region, after, limit: limit + 1 });
  if (also) {
    // The catalog's keyset order: (createdAt, arn), newest first unless the query says otherwise.
    const order = (a: PageKey, b: PageKey) => ((query.order ?? 'newest') === 'newest' ? byPageKey(b, a) : byPageKey(a, b));
    const past = (r: PageKey) => !after || order(after, r) < 0;
    rows = [...rows, ...(await also()).filter(past)].sort(order);
  }
  const records = rows.slice(0, limit).map((r) => settle(r, deps.now()));
  const last = records[records.length - 1];
  return {
    records,
    nextToken: rows.length > limit && last ? deps.tokens.issue(scope, { createdAt: last.createdAt, arn: last.arn }) : undefined,
  };
}

/** Where a page ends: lists are in (createdAt, arn) order, as the catalog's keyset. */
type PageKey = { createdAt: number; arn: string };

const byPageKey = (a: PageKey, b: PageKey) => a.createdAt - b.createdAt || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0);

export const toDate = (ms: number) => new Date(ms);
