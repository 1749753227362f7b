// The object-store port: where import data comes from, where exports go, and where datasets'
// Parquet parts live. Two implementations: local-dir (s3://BUCKET/KEY is the file
// <root>/BUCKET/KEY) and s3 (the AWS SDK v3 client, any S3-compatible server). One conformance
// suite (test/object-store/) holds both to this contract.
import type { Readable } from 'node:stream';

export interface ObjectInfo {
  key: string;
  size: number;
}

export class ObjectStoreError extends Error {
  constructor(
    readonly reason: 'no-bucket' | 'no-object' | 'access-denied' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'ObjectStoreError';
  }
}

export interface ObjectStore {
  /** 'local' or 's3', for messages and logs. */
  readonly kind: string;
  /** Size of one object, or undefined if it does not exist. Throws ObjectStoreError('no-bucket') if the bucket is missing. */
  head(bucket: string, key: string): Promise<ObjectInfo | undefined>;
  /**
   * Objects whose key starts with prefix, sorted by key. With `recursive: false`, only the first
   * level below the prefix (keys with no further '/' after it), as S3's delimiter '/' gives.
   * Throws ObjectStoreError('no-bucket') if the bucket is missing.
   */
  list(bucket: string, prefix: string, options: { recursive: boolean }): Promise<ObjectInfo[]>;
  /** Streams the object; ObjectStoreError('no-object') if it is missing. `range` is inclusive, like HTTP Range. */
  read(bucket: string, key: string, range?: { start: number; end: number }): Promise<Readable>;
  /** Writes the object from a local file, atomically (readers never see a partial object). Creates the bucket if missing. */
  putFile(bucket: string, key: string, localPath: string): Promise<void>;
  /** Writes a small object from memory, atomically. Creates the bucket if missing. */
  putBytes(bucket: string, key: string, body: Buffer | string): Promise<void>;
  /** Deletes objects; missing ones are ignored. */
  delete(bucket: string, keys: string[]): Promise<void>;
  /**
   * Capability: the local file that holds the object, where the store keeps objects as files
   * (local-dir). Lets DuckDB read in place instead of through a copy. Absent for remote stores.
   */
  localPath?(bucket: string, key: string): string;
}

/** Splits s3://bucket/key into its parts, or undefined if it is not such a URL. */
export function parseS3Url(url: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  return m ? { bucket: m[1], key: m[2] } : undefined;
}
