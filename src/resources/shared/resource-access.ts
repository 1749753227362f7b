// Reading resources as a caller may see them, and paging through lists. Shared by every family
// so that account/region isolation, lifecycle settling and nextToken handling exist once.
import { CatalogConflictError, type CatalogOps, type ListQuery, type ResourceKind, type ResourceRecord, type Tag } from '../../catalog/catalog.ts';
import { addTags } from '../tags/tag-rules.ts';
import type { RequestContext } from '../../protocol/handler-types.ts';
import { alreadyExists, notFound } from '../../protocol/service-error.ts';
import { settle } from './lifecycle.ts';
import type { ServiceDeps } from './service-deps.ts';

/** Human names for error messages. */
export const KIND_LABEL: Record<ResourceKind, string> = {
  schema: 'schema',
  'dataset-group': 'dataset group',
  dataset: 'dataset',
  'dataset-import-job': 'dataset import job',
  'dataset-export-job': 'dataset export job',
  'data-deletion-job': 'data deletion job',
  'event-tracker': 'event tracker',
  'metric-attribution': 'metric attribution',
  filter: 'filter',
};

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
  kind: ResourceKind,
  arn: string,
): Promise<ResourceRecord> {
  const record = await ops.get(arn);
  if (!record || record.kind !== kind || record.account !== ctx.account || record.region !== ctx.region) {
    throw notFound(`Could not find the ${KIND_LABEL[kind]} ${arn}.`);
  }
  return settle(record, deps.now());
}

/** Inserts a new resource; a taken ARN (= a taken name) is ResourceAlreadyExistsException. */
export async function insertResource(ops: CatalogOps, record: Omit<ResourceRecord, 'version'>): Promise<ResourceRecord> {
  try {
    return await ops.insert(record);
  } catch (e) {
    if (e instanceof CatalogConflictError && e.reason === 'exists') {
      throw alreadyExists(`A ${KIND_LABEL[record.kind]} with the ARN ${record.arn} already exists.`);
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
  job: { kind: ResourceKind; arn: string; name: string; parentArn: string; status: string; body: object; tags: Tag[] },
): Promise<void> {
  const now = deps.now();
  await insertResource(tx, {
    arn: job.arn, account: ctx.account, region: ctx.region, kind: job.kind, name: job.name,
    parentArn: job.parentArn, status: job.status, createdAt: now, updatedAt: now, body: { ...job.body },
  });
  await addTags(tx, job.arn, job.tags, deps.quotas.tagsPerResource);
  await tx.enqueueJob(job.arn, job.kind, now);
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
): Promise<Page> {
  const scope = JSON.stringify([operation, ctx.account, ctx.region, query.kind, query.parentArn ?? null, query.statusIn ?? null]);
  const after = nextToken ? deps.tokens.read(scope, nextToken) : undefined;
  const limit = maxResults ?? DEFAULT_PAGE_SIZE;
  const rows = await deps.catalog.list({ ...query, account: ctx.account, region: ctx.region, after, limit: limit + 1 });
  const records = rows.slice(0, limit).map((r) => settle(r, deps.now()));
  const last = records[records.length - 1];
  return { records, nextToken: rows.length > limit && last ? deps.tokens.issue(scope, { createdAt: last.createdAt, arn: last.arn }) : undefined };
}

export const toDate = (ms: number) => new Date(ms);
