// Individual records: what the personalize-events API (PutEvents, PutItems, PutUsers, PutActions,
// PutActionInteractions) stores, apart from the bulk data (Parquet parts) that imports write.
// Being apart by construction is what keeps them across FULL imports (rules.md rule 80): an
// import only ever replaces the dataset's list of parts, never a row here.
//
// One implementation (sql-record-store.ts) runs on the catalog database, SQLite or PostgreSQL,
// through the catalog's SQL executor; test/data/records/ holds both backends to this contract.
//
// A record is stored as its raw text cells (schema field name -> text, or null), exactly as a
// CSV row would carry them, after the same cell rules as bulk rows (src/data/engine/cell-rules.ts) have
// accepted them. The typed values are produced by the same conversion as an import when the
// records are read by DuckDB (src/data/records/record-parts.ts), so both paths cannot drift apart.

/** Raw text cells by schema field name; null = empty cell. */
import type { CatalogOps } from '../../catalog/catalog.ts';
export type Cells = Record<string, string | null>;

export interface NewRecord {
  /**
   * Identity within the dataset: the ITEM_ID / USER_ID / ACTION_ID (a later put with the same key
   * replaces the record), or for interactions a digest of all cells (exact duplicates once).
   */
  key: string;
  /** The record's USER_ID (Users, Interactions, Action interactions), null for Items/Actions. */
  userId: string | null;
  cells: Cells;
}

export interface StoredRecord extends NewRecord {
  /** Epoch ms of the put that stored this version of the record. */
  putAt: number;
}

/** Which incarnation of a dataset a put is for (a dataset ARN is reused after delete + create). */
export interface DatasetRef {
  arn: string;
  createdAt: number;
}

/** The dataset was deleted (or deleted and re-created) between the checks of a put and its commit. */
export class DatasetGoneError extends Error {
  constructor(readonly datasetArn: string) {
    super(`The dataset ${datasetArn} no longer exists.`);
    this.name = 'DatasetGoneError';
  }
}

export interface RecordStore {
  /**
   * Stores the records of one API call, all or nothing, and resolves only once they are
   * committed durably (SQLite synchronous=FULL / PostgreSQL commit): "200 means stored".
   * Within `records`, a later record with the same key wins. Concurrent calls are grouped into
   * one transaction (group commit), each caller still waiting for its own commit.
   * Rejects with DatasetGoneError if that incarnation of the dataset no longer exists.
   */
  put(dataset: DatasetRef, records: NewRecord[], putAt: number): Promise<void>;

  /** Records of a dataset in key order, `limit` at a time after the key `after` (keyset paging). */
  scan(datasetArn: string, options?: { after?: string; limit?: number }): Promise<StoredRecord[]>;

  count(datasetArn: string): Promise<number>;

  /** The records of one USER_ID in a dataset (serving reads a user's new events per request). */
  forUser(datasetArn: string, userId: string): Promise<StoredRecord[]>;

  /**
   * How many records the dataset has and when the newest put was (epoch ms, 0 without records):
   * together they change whenever a put adds or replaces a record, so a reader can tell that data
   * it cached from the records is stale.
   */
  stamp(datasetArn: string): Promise<{ count: number; lastPutAt: number }>;

  /** Up to `limit` distinct non-empty values of one column over the dataset's records (in value order). */
  distinctCells(datasetArn: string, column: string, limit: number): Promise<string[]>;

  /**
   * For data deletion jobs: removes every record whose USER_ID is one of `userIds` from each of
   * `datasetArns` (Users, Interactions and Action interactions datasets hold USER_IDs; Items and
   * Actions datasets have none and are unaffected), in one transaction, and returns how many
   * records were removed. Any number of user IDs (sent in chunks); unknown ARNs remove nothing.
   * Bulk data is not touched: removing users from Parquet parts is the job's other half. With
   * `within`, a transaction of the catalog (same database), the deletion is part of it — so a job
   * can switch the bulk data and remove the records all or nothing.
   */
  deleteUsers(datasetArns: string[], userIds: string[], within?: CatalogOps): Promise<number>;

  /** Waits for puts already accepted to commit. */
  close(): Promise<void>;
}
