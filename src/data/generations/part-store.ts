// Where datasets' bulk data lives: immutable Parquet parts in an object store (a local folder by
// default, S3 when scaled out). DuckDB reads local files only (httpfs is not available here), so
// parts of a remote store are downloaded once into a cache; being immutable, a cached part
// never goes stale.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ObjectStoreError, type ObjectStore } from '../../object-store/object-store.ts';

export interface PartRef {
  key: string;
  rows: number;
  /** The import job that wrote it. */
  jobArn: string;
}

/**
 * The catalog lock (CatalogOps.lock) that every transaction switching a dataset's generation
 * takes before reading it (import and data deletion commits), so that on PostgreSQL neither
 * overwrites a switch the other committed meanwhile.
 */
export const generationLock = (datasetArn: string) => `generation:${datasetArn}`;

/** When a part was created, from its key (newKey puts the time in it); undefined for other keys. */
export function partCreatedAt(key: string): number | undefined {
  const m = /\/([0-9a-z]+)-[0-9a-f-]{36}\.parquet$/.exec(key);
  return m ? parseInt(m[1], 36) : undefined;
}

export class PartStore {
  constructor(
    private readonly store: ObjectStore,
    private readonly bucket: string,
    private readonly cacheDir: string,
  ) {}

  /** A fresh key for a new part of the dataset; never reused, so parts are immutable. */
  newKey(datasetArn: string): string {
    const dataset = createHash('sha256').update(datasetArn).digest('hex').slice(0, 24);
    return `datasets/${dataset}/${Date.now().toString(36)}-${randomUUID()}.parquet`;
  }

  /** Every part in the store, referenced or not (for the garbage collector). */
  async listKeys(): Promise<string[]> {
    try {
      return (await this.store.list(this.bucket, 'datasets/', { recursive: true })).map((o) => o.key);
    } catch (e) {
      // Before the first import there is no bucket yet, hence no part.
      if (e instanceof ObjectStoreError && e.reason === 'no-bucket') return [];
      throw e;
    }
  }

  async put(localFile: string, key: string): Promise<void> {
    await this.store.putFile(this.bucket, key, localFile);
  }

  /** Local files DuckDB can read for these parts, in the same order. */
  async localPaths(keys: string[]): Promise<string[]> {
    return Promise.all(keys.map((k) => this.localPath(k)));
  }

  private async localPath(key: string): Promise<string> {
    const direct = this.store.localPath?.(this.bucket, key);
    if (direct) return direct;
    const cached = join(this.cacheDir, key);
    if (existsSync(cached)) return cached;
    mkdirSync(dirname(cached), { recursive: true });
    const tmp = `${cached}.${randomUUID()}.tmp`;
    await pipeline(await this.store.read(this.bucket, key), createWriteStream(tmp));
    renameSync(tmp, cached);
    return cached;
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.store.delete(this.bucket, keys);
  }
}
