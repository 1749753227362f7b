// The metadata store: one small port, implemented by sqlite/ and postgres/.
//
// Every Personalize resource (schema, dataset group, dataset, import job, ...) is one row:
// a few indexed columns that the API queries by (account, region, kind, parent, status,
// creation time) plus a JSON document with everything else. The resource families own the
// meaning of the document; the catalog only stores, filters, orders and counts rows. That keeps
// both backends tiny and lets one conformance suite (test/catalog/) hold them to one contract.

export type ResourceKind =
  | 'schema'
  | 'dataset-group'
  | 'dataset'
  | 'dataset-import-job'
  | 'dataset-export-job'
  | 'data-deletion-job'
  | 'event-tracker'
  | 'metric-attribution'
  | 'filter';

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

export interface CatalogCapabilities {
  /** Several processes may use this catalog at once (PostgreSQL yes, SQLite file no). */
  multiProcess: boolean;
  backend: 'sqlite' | 'postgres';
}

export interface Catalog extends CatalogOps {
  readonly capabilities: CatalogCapabilities;
  /**
   * Runs fn in one transaction: all its writes commit together or not at all. Transactions are
   * serialisable with respect to each other for rows they both write; use `lock` for
   * check-then-insert invariants (quotas, "one job per dataset").
   */
  transaction<T>(fn: (tx: CatalogOps) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
