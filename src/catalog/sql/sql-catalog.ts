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
} from '../catalog.ts';
import { SqlCatalogOps } from './sql-catalog-ops.ts';
import type { SqlDialect } from './sql-dialect.ts';
import type { SqlExecutor } from './sql-executor.ts';

/**
 * Raw SQL on the catalog database, for stores that keep tables of their own there (the
 * individual-record store, src/data/records/): they get the same durability, backend choice and, on
 * SQLite, the same connection and mutex as the catalog, without widening the Catalog port.
 */
export interface SqlAccess {
  readonly dialect: SqlDialect;
  /** Each statement on its own (autocommit). */
  readonly sql: SqlExecutor;
  /** fn's statements commit together or not at all. Never call the catalog from inside fn. */
  sqlTransaction<T>(fn: (exec: SqlExecutor) => Promise<T>): Promise<T>;
}

/** The SQL access of a catalog opened by openCatalog (both backends are SqlCatalogs). */
export function sqlAccessOf(catalog: Catalog): SqlAccess {
  if (!(catalog instanceof SqlCatalog)) throw new Error('this catalog has no SQL access');
  return catalog;
}

/**
 * The SQL executor of a catalog transaction (the `tx` of Catalog.transaction), so that another
 * store in the same database can write in that transaction, all or nothing with it.
 */
export function sqlExecutorOfTransaction(tx: CatalogOps): SqlExecutor {
  if (!(tx instanceof SqlCatalogOps)) throw new Error('this catalog transaction has no SQL executor');
  return tx.exec;
}

/**
 * A Catalog over SqlCatalogOps: single statements run on the backend's autocommit ops, and the
 * one multi-statement operation (putTags) runs in a transaction so it applies all or nothing.
 * The queue operations are all single statements too.
 */
export abstract class SqlCatalog implements Catalog, SqlAccess {
  abstract readonly capabilities: CatalogCapabilities;
  abstract readonly sql: SqlExecutor;
  abstract sqlTransaction<T>(fn: (exec: SqlExecutor) => Promise<T>): Promise<T>;
  abstract readonly dialect: SqlDialect;
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
  listAllOfKind(kind: ResourceKind, afterArn: string | undefined, limit: number): Promise<ResourceRecord[]> {
    return this.autocommit.listAllOfKind(kind, afterArn, limit);
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
    return this.autocommit.queue.claim(owner, kinds, leaseMs, now, this.dialect);
  }
  renewLease(arn: string, owner: string, leaseMs: number, now: number): Promise<boolean> {
    return this.autocommit.queue.renew(arn, owner, leaseMs, now);
  }
  releaseJob(arn: string, owner: string): Promise<boolean> {
    return this.autocommit.queue.release(arn, owner);
  }
  expireAllLeases(): Promise<number> {
    return this.autocommit.queue.expireAll();
  }
  countByStatus(kinds: ResourceKind[]): Promise<{ kind: ResourceKind; status: string | null; count: number }[]> {
    return this.autocommit.countByStatus(kinds);
  }
  listQueuedJobs(): Promise<QueuedJob[]> {
    return this.autocommit.queue.list();
  }
}
