// Where datasets' bulk data lives: immutable Parquet parts in an object store (a local folder by
// default, S3 when scaled out). DuckDB reads local files only (httpfs is not available here), so
// parts of a remote store are downloaded once into a cache; being immutable, a cached part
// never goes stale.
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BlobArea } from '../../object-store/blob-area.ts';

export interface PartRef {
  key: string;
  rows: number;
  /** The import job that wrote it. */
  jobArn: string;
}

/** The `bulk` field of a stored dataset document: its current generation, oldest part first. */
export interface DatasetBulk {
  parts: PartRef[];
  /**
   * Parts that a switch replaced, with when (epoch ms): still readable for RETIRED_PART_GRACE_MS, so
   * that a reader that opened the old generation just before the switch (a training job, an export,
   * a serving cache loading it) finishes its read. The orphan sweep deletes them after that.
   */
  retired?: RetiredPart[];
}

export interface RetiredPart {
  key: string;
  at: number;
}

/** How long a replaced part stays readable: far longer than any one read of a generation takes. */
export const RETIRED_PART_GRACE_MS = 15 * 60 * 1000;

/**
 * The catalog lock (CatalogOps.lock) that every transaction switching a dataset's generation
 * takes before reading it (import and data deletion commits), so that on PostgreSQL neither
 * overwrites a switch the other committed meanwhile.
 */
export const generationLock = (datasetArn: string) => `generation:${datasetArn}`;

export class PartStore {
  constructor(
    /** The dataset-parts area of the service's storage. */
    readonly area: BlobArea,
    private readonly cacheDir: string,
  ) {}

  /** A fresh key for a new part of the dataset; never reused, so parts are immutable. */
  newKey(datasetArn: string): string {
    return this.area.newKey(datasetArn, 'parquet');
  }

  /** Every part in the store, referenced or not. */
  listKeys(): Promise<string[]> {
    return this.area.listKeys();
  }

  async put(localFile: string, key: string): Promise<void> {
    await this.area.store.putFile(this.area.bucket, key, localFile);
  }

  /** Local files DuckDB can read for these parts, in the same order. */
  async localPaths(keys: string[]): Promise<string[]> {
    return Promise.all(keys.map((k) => this.localPath(k)));
  }

  private async localPath(key: string): Promise<string> {
    const direct = this.area.store.localPath?.(this.area.bucket, key);
    if (direct) return direct;
    const cached = join(this.cacheDir, key);
    if (existsSync(cached)) return cached;
    mkdirSync(dirname(cached), { recursive: true });
    const tmp = `${cached}.${randomUUID()}.tmp`;
    await pipeline(await this.area.store.read(this.area.bucket, key), createWriteStream(tmp));
    renameSync(tmp, cached);
    return cached;
  }

  delete(keys: string[]): Promise<void> {
    return this.area.delete(keys);
  }
}
