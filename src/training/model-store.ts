// Where trained models live: the modelArtifacts area of the service's storage (object-store/
// blob-area.ts: `models/` in the storage bucket, a folder of the data dir by default). One blob per
// ACTIVE solution version, written by its training job before the commit that records its key in
// the version's document (`artifactKey`); the orphan sweep deletes blobs that no version names
// (a job that died between writing and committing, a deleted solution whose delete could not
// remove them).
//
// Artifact format. A blob is exactly the bytes Model.serialize() returned (training/trainer.ts),
// read back with the recipe's Trainer.load(). The built-in models all write the container of
// training/models/artifact.ts:
//   "OPMA" magic, u32 container version, u32 header length H, H bytes of JSON
//   { recipe, meta, sections: [{ name, type: f32|f64|i32|u8|json, offset, length }] },
//   then the sections' bytes at their (8-aligned, absolute) offsets; integers little-endian.
// The header's `recipe` names the recipe that wrote it (a load with the wrong trainer fails), and
// each model file documents its own `meta` keys and sections. Keys are
// `models/<sha256(solution version ARN), 24 hex>/<creation time, base 36>-<uuid>.bin`: never reused,
// so a blob never changes once written and any node may cache it.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Catalog } from '../catalog/catalog.ts';
import type { BlobArea } from '../object-store/blob-area.ts';
import { artifactKeyOf, SOLUTION_VERSION_KIND } from '../resources/solution-versions/solution-version-record.ts';
import { everyOfKind } from '../catalog/every-of-kind.ts';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export class ModelStore {
  constructor(
    /** The modelArtifacts area of the service's storage. */
    readonly area: BlobArea,
    /** Where artifacts of a remote store are cached on this node (immutable, so never stale). */
    private readonly cacheDir?: string,
  ) {}

  /** A fresh, never reused key for a new artifact of the solution version. */
  newKey(solutionVersionArn: string, now?: number): string {
    return this.area.newKey(solutionVersionArn, 'bin', now);
  }

  async put(key: string, artifact: Buffer): Promise<void> {
    await this.area.store.putBytes(this.area.bucket, key, artifact);
  }

  /** The artifact's bytes (ObjectStoreError 'no-object' when it is gone). */
  async get(key: string): Promise<Buffer> {
    const direct = this.area.store.localPath?.(this.area.bucket, key);
    if (direct) return existsSync(direct) ? readFileSync(direct) : readAll(await this.area.store.read(this.area.bucket, key));
    if (!this.cacheDir) return readAll(await this.area.store.read(this.area.bucket, key));
    const cached = join(this.cacheDir, key);
    if (existsSync(cached)) return readFileSync(cached);
    const bytes = await readAll(await this.area.store.read(this.area.bucket, key));
    mkdirSync(dirname(cached), { recursive: true });
    const tmp = `${cached}.${randomUUID()}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, cached);
    return bytes;
  }

  /** Every artifact in the store, referenced or not. */
  listKeys(): Promise<string[]> {
    return this.area.listKeys();
  }

  delete(keys: string[]): Promise<void> {
    return this.area.delete(keys);
  }
}

/** The artifacts in use: those every stored solution version names (the orphan sweep keeps them). */
export async function referencedModelKeys(catalog: Pick<Catalog, 'listAllOfKind'>): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const v of everyOfKind(catalog, SOLUTION_VERSION_KIND.kind)) {
    const key = artifactKeyOf(v.body);
    if (key) keys.add(key);
  }
  return keys;
}
