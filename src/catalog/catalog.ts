// The metadata store: one small port, implemented by sqlite/ and postgres/.
//
// Every Personalize resource (schema, dataset group, dataset, import job, ...) is one row:
// a few indexed columns that the API queries by (account, region, kind, parent, status,
// creation time) plus a JSON document with everything else. The resource families own the
// meaning of the document; the catalog only stores, filters, orders and counts rows. That keeps
// both backends tiny and lets one conformance suite (test/catalog/) hold them to one contract.

/**
 * The kind of a resource, e.g. 'dataset-group'. A plain string, so that a new family never edits
 * the catalog: each family declares its kind in resources/<family>/<family>-record.ts
 * (defineKind), and callers name kinds through those definitions (DATASET_KIND.kind).
 */
export type ResourceKind = string;

export interface ResourceRecord<Body = Record<string, unknown>> {
  /** Primary key. ARNs are name-based, so ARN uniqueness is name uniqueness per account/region/kind. */
  arn: string;
  account: string;
  region: string;
  kind: ResourceKind;
  name: string;
  /** The owning resource, e.g. the dataset group of a dataset, the dataset of an import job. */
  parentArn: string | null;
  status: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  /** Incremented by every update; `update` can require the version it read (optimistic lock). */
  version: number;
  body: Body;
}

/** Keyset cursor: the (createdAt, arn) of the last row of the previous page. */
export interface ListCursor {
  createdAt: number;
  arn: string;
}

export interface ListQuery {
  account: string;
  region: string;
  kind: ResourceKind;
  parentArn?: string;
  statusIn?: string[];
  /** 'newest' (default): createdAt DESC, arn DESC. 'oldest': createdAt ASC, arn ASC. */
  order?: 'newest' | 'oldest';
  /** Rows strictly after this cursor in the chosen order. */
  after?: ListCursor;
  limit?: number;
}

export type CountQuery = Omit<ListQuery, 'order' | 'after' | 'limit'>;

export interface Tag {
  key: string;
  value: string;
}

export class CatalogConflictError extends Error {
  constructor(
    readonly reason: 'exists' | 'version' | 'missing',
    message: string,
  ) {
    super(message);
    this.name = 'CatalogConflictError';
  }
}

/**
 * A job waiting for, or held by, a worker. The queue holds only the mechanics (who runs it, until
 * when); what the job is lives in its resource row (same ARN), whose status the API shows.
 */
export interface QueuedJob {
  arn: string;
  kind: ResourceKind;
  /** Worker id holding the lease, or null when the job is available. */
  owner: string | null;
  /** Epoch ms when the lease ends; a job whose lease has ended is available again. */
  leaseExpiresAt: number | null;
  /** How many times the job has been claimed (1 on the first run). */
  attempts: number;
  enqueuedAt: number;
}

/** Operations available both outside and inside a transaction. */
export interface CatalogOps {
  get(arn: string): Promise<ResourceRecord | undefined>;
  /** Throws CatalogConflictError('exists') when the ARN is taken. version is set to 1. */
  insert(record: Omit<ResourceRecord, 'version'>): Promise<ResourceRecord>;
  /**
   * Replaces name/parentArn/status/updatedAt/body of an existing row and bumps its version.
   * With expectedVersion, throws CatalogConflictError('version') if the stored version differs;
   * throws CatalogConflictError('missing') if the row is gone.
   */
  update(record: ResourceRecord, expectedVersion?: number): Promise<ResourceRecord>;
  /** Deletes the row and its tags. Returns false if there was no such row. */
  delete(arn: string): Promise<boolean>;
  list(query: ListQuery): Promise<ResourceRecord[]>;
  count(query: CountQuery): Promise<number>;

  /** Tags in insertion order of their keys. */
  getTags(arn: string): Promise<Tag[]>;
  /** Upserts each tag by key. */
  putTags(arn: string, tags: Tag[]): Promise<void>;
  deleteTags(arn: string, keys: string[]): Promise<void>;

  /** Adds a job to the queue, available at once (call in the transaction that creates its resource). */
  enqueueJob(arn: string, kind: ResourceKind, now: number): Promise<void>;
  /**
   * Removes the job from the queue if `owner` still holds its lease; returns false (and changes
   * nothing) if the lease was lost. Call in the transaction that records the job's outcome, and
   * roll that transaction back on false, so a job that another worker took over is not finished twice.
   */
  finishJob(arn: string, owner: string): Promise<boolean>;
  getQueuedJob(arn: string): Promise<QueuedJob | undefined>;

  getSetting(key: string): Promise<string | undefined>;
  /** Sets the value only if the key is absent; returns the value stored afterwards. */
  putSettingIfAbsent(key: string, value: string): Promise<string>;

  /**
   * Serialises callers that pass the same key until the enclosing transaction ends, across
   * processes where the backend is shared (PostgreSQL advisory lock). Only meaningful inside
   * `transaction`; on SQLite a write transaction is already exclusive, so this is a no-op.
   */
  lock(key: string): Promise<void>;
}

/** What differs between backends that callers must know of (kysely's adapter habit): named capabilities, not backend names. */
export interface CatalogCapabilities {
  /** Several processes may use this catalog at once (PostgreSQL yes, SQLite file no). */
  multiProcess: boolean;
}

/**
 * The job queue's port (its in-transaction half — enqueueJob, finishJob, getQueuedJob — is on
 * CatalogOps, so a job is queued and finished in the transactions that create and end it).
 */
export interface JobQueue {
  /**
   * Atomically takes the oldest available job (never leased, or lease ended before `now`) of the
   * given kinds: sets owner, leaseExpiresAt = now + leaseMs, attempts + 1, and returns it. Two
   * workers never get the same job while a lease runs (PostgreSQL: FOR UPDATE SKIP LOCKED).
   */
  claimJob(owner: string, kinds: ResourceKind[], leaseMs: number, now: number): Promise<QueuedJob | undefined>;
  /** Extends the lease if `owner` still holds it; false if it was lost. */
  renewLease(arn: string, owner: string, leaseMs: number, now: number): Promise<boolean>;
  /**
   * Gives the job back (graceful shutdown): available at once, attempts unchanged minus this one.
   * False if `owner` did not hold it (its run finished the job, or another worker took it over).
   */
  releaseJob(arn: string, owner: string): Promise<boolean>;
  /**
   * Ends every lease at once. Only for a single-process catalog at start-up, where any lease
   * left must belong to a process that died.
   */
  expireAllLeases(): Promise<number>;
  listQueuedJobs(): Promise<QueuedJob[]>;
}

export interface Catalog extends CatalogOps, JobQueue {
  readonly capabilities: CatalogCapabilities;
  /**
   * Runs fn in one transaction: all its writes commit together or not at all. Transactions are
   * serialisable with respect to each other for rows they both write; use `lock` for
   * check-then-insert invariants (quotas, "one job per dataset").
   */
  transaction<T>(fn: (tx: CatalogOps) => Promise<T>): Promise<T>;
  /**
   * Every resource of a kind, across all accounts and regions, in ARN order after `afterArn`.
   * For maintenance only (garbage collection of dataset parts): API handlers must use `list`,
   * which is always scoped to the caller's account and region.
   */
  listAllOfKind(kind: ResourceKind, afterArn: string | undefined, limit: number): Promise<ResourceRecord[]>;
  /** Resources of the given kinds counted by kind and status, over all accounts and regions (for metrics). */
  countByStatus(kinds: ResourceKind[]): Promise<{ kind: ResourceKind; status: string | null; count: number }[]>;
  close(): Promise<void>;
}
