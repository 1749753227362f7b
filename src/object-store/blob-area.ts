// The service's own storage is split into named areas, each a key prefix in one bucket: the
// datasets' Parquet parts and the trained models' artifacts. Keys are never reused (each carries
// its creation time and a UUID), so what an area holds is immutable and any node may cache it.
// Whatever no resource references any more is swept by the orphan sweep below.
import { createHash, randomUUID } from 'node:crypto';
import { ObjectStoreError, type ObjectStore } from './object-store.ts';

export type AreaName = 'datasetParts' | 'modelArtifacts';

/** Where each area's keys start (datasets/ is the layout of every data dir written so far). */
const PREFIXES: Record<AreaName, string> = { datasetParts: 'datasets/', modelArtifacts: 'models/' };

export class BlobArea {
  readonly prefix: string;

  constructor(
    readonly name: AreaName,
    readonly store: ObjectStore,
    readonly bucket: string,
  ) {
    this.prefix = PREFIXES[name];
  }

  /** A fresh key for a new blob of `owner` (a dataset, a solution version): <prefix><owner hash>/<time>-<uuid>.<ext>. */
  newKey(owner: string, ext: string, now = Date.now()): string {
    const hash = createHash('sha256').update(owner).digest('hex').slice(0, 24);
    return `${this.prefix}${hash}/${now.toString(36)}-${randomUUID()}.${ext}`;
  }

  /** Every key in the area, referenced or not. */
  async listKeys(): Promise<string[]> {
    try {
      return (await this.store.list(this.bucket, this.prefix, { recursive: true })).map((o) => o.key);
    } catch (e) {
      // Before the first write there is no bucket yet, hence nothing in the area.
      if (e instanceof ObjectStoreError && e.reason === 'no-bucket') return [];
      throw e;
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.store.delete(this.bucket, keys);
  }
}

/** The two areas in one bucket of one store. */
export function storageAreas(store: ObjectStore, bucket: string): Record<AreaName, BlobArea> {
  return { datasetParts: new BlobArea('datasetParts', store, bucket), modelArtifacts: new BlobArea('modelArtifacts', store, bucket) };
}

/** When a blob was created, from its key (newKey puts the time in it); undefined for other keys. */
export function blobCreatedAt(key: string): number | undefined {
  const m = /\/([0-9a-z]+)-[0-9a-f-]{36}\.[a-z0-9]+$/.exec(key);
  return m ? parseInt(m[1], 36) : undefined;
}

/** How old an unreferenced blob must be before the sweep deletes it: a running job writes its blob moments before it commits the reference. */
export const ORPHAN_MIN_AGE_MS = 60 * 60 * 1000;

/**
 * Deletes the blobs of the area that `referenced` does not name and that are old enough. Read the
 * references before calling: a blob committed after that read is young, so it is not at risk.
 */
export async function sweepOrphans(
  area: BlobArea,
  referenced: Set<string>,
  now: number,
  minAgeMs = ORPHAN_MIN_AGE_MS,
): Promise<{ deleted: string[]; kept: number }> {
  const stored = await area.listKeys();
  const deleted = stored.filter((key) => {
    if (referenced.has(key)) return false;
    const created = blobCreatedAt(key);
    return created !== undefined && now - created >= minAgeMs;
  });
  await area.delete(deleted);
  return { deleted, kept: stored.length - deleted.length };
}
