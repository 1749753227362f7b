// The Catalog both backends extend: everything outside a transaction runs on the backend's
// autocommit SqlCatalogOps; a backend adds only its capabilities, `transaction` and `close`.

import type {
  Catalog,
  CatalogCapabilities,
  CatalogOps,
  CountQuery,
  ListQuery,
  QueuedJob,
  ResourceKind,
  ResourceRecord,
  Tag,
} from './catalog.ts';
import type { SqlCatalogOps } from './sql-catalog-ops.ts';

/**
 * A Catalog over SqlCatalogOps: single statements run on the backend's autocommit ops, and the
 * one multi-statement operation (putTags) runs in a transaction so it applies all or nothing.
 * The queue operations are all single statements too.
 */
export abstract class SqlCatalog implements Catalog {
  abstract readonly capabilities: CatalogCapabilities;
  /** Ops that run each statement on its own, outside any transaction. */
  protected abstract readonly autocommit: SqlCatalogOps;
  abstract transaction<T>(fn: (tx: CatalogOps) => Promise<T>): Promise<T>;
  abstract close(): Promise<void>;

  get(arn: string): Promise<ResourceRecord | undefined> {
    return this.autocommit.get(arn);
  }
  insert(record: Omit<ResourceRecord, 'version'>): Promise<ResourceRecord> {
    return this.autocommit.insert(record);
  }
  update(record: ResourceRecord, expectedVersion?: number): Promise<ResourceRecord> {
    return this.autocommit.update(record, expectedVersion);
  }
  delete(arn: string): Promise<boolean> {
    return this.autocommit.delete(arn);
  }
  list(query: ListQuery): Promise<ResourceRecord[]> {
    return this.autocommit.list(query);
  }
  count(query: CountQuery): Promise<number> {
    return this.autocommit.count(query);
  }
  getTags(arn: string): Promise<Tag[]> {
    return this.autocommit.getTags(arn);
  }
  async putTags(arn: string, tags: Tag[]): Promise<void> {
    if (tags.length) await this.transaction((tx) => tx.putTags(arn, tags));
  }
  deleteTags(arn: string, keys: string[]): Promise<void> {
    return this.autocommit.deleteTags(arn, keys);
  }
  getSetting(key: string): Promise<string | undefined> {
    return this.autocommit.getSetting(key);
  }
  putSettingIfAbsent(key: string, value: string): Promise<string> {
    return this.autocommit.putSettingIfAbsent(key, value);
  }
  lock(key: string): Promise<void> {
    return this.autocommit.lock(key);
  }
  enqueueJob(arn: string, kind: ResourceKind, now: number): Promise<void> {
    return this.autocommit.enqueueJob(arn, kind, now);
  }
  finishJob(arn: string, owner: string): Promise<boolean> {
    return this.autocommit.finishJob(arn, owner);
  }
  getQueuedJob(arn: string): Promise<QueuedJob | undefined> {
    return this.autocommit.getQueuedJob(arn);
  }
  claimJob(owner: string, kinds: ResourceKind[], leaseMs: number, now: number): Promise<QueuedJob | undefined> {
    return this.autocommit.queue.claim(owner, kinds, leaseMs, now, this.capabilities.backend);
  }
  renewLease(arn: string, owner: string, leaseMs: number, now: number): Promise<boolean> {
    return this.autocommit.queue.renew(arn, owner, leaseMs, now);
  }
  releaseJob(arn: string, owner: string): Promise<void> {
    return this.autocommit.queue.release(arn, owner);
  }
  expireAllLeases(): Promise<number> {
    return this.autocommit.queue.expireAll();
  }
  listQueuedJobs(): Promise<QueuedJob[]> {
    return this.autocommit.queue.list();
  }
}
