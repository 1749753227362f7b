// Opens the concrete backends the configuration names — the only place that does (a dependency
// rule checks it): the catalog, the object store that s3:// locations name, and the service's own
// storage areas (dataset parts, model artifacts): a folder of the data dir by default, a bucket
// of its own on S3.
import { join } from 'node:path';
import type { Catalog } from '../catalog/catalog.ts';
import { openCatalog } from '../catalog/open-catalog.ts';
import type { Config } from '../config/config.ts';
import { PartStore } from '../data/generations/part-store.ts';
import { storageAreas, type AreaName, type BlobArea } from '../object-store/blob-area.ts';
import { LocalDirStore } from '../object-store/local-dir-store.ts';
import type { ObjectStore } from '../object-store/object-store.ts';
import { openObjectStore } from '../object-store/open-object-store.ts';

export interface Stores {
  catalog: Catalog;
  /** Where s3:// data locations are read and outputs written. */
  objects: ObjectStore;
  areas: Record<AreaName, BlobArea>;
  parts: PartStore;
}

/**
 * The object store s3:// locations name, for a client of the service that places files where it
 * reads them (CLI import): it may create the bucket it places them in.
 */
export function openDataLocations(kind: Config['objectStore'], dataDir: string, env: NodeJS.ProcessEnv): ObjectStore {
  return openObjectStore(kind, dataDir, env, { createBuckets: true });
}

export async function openStores(config: Config, env: NodeJS.ProcessEnv): Promise<Stores> {
  const catalog = await openCatalog(config.databaseUrl, config.dataDir);
  // The callers' buckets are theirs: a job writing to one that is gone fails (as on AWS); the
  // service's own storage bucket is made on first write.
  const objects = openObjectStore(config.objectStore, config.dataDir, env);
  const areas =
    config.objectStore === 's3'
      ? storageAreas(openObjectStore('s3', config.dataDir, env, { createBuckets: true }), config.storageBucket)
      : storageAreas(new LocalDirStore(join(config.dataDir, 'storage')), 'parts');
  return { catalog, objects, areas, parts: new PartStore(areas.datasetParts, join(config.dataDir, 'cache')) };
}
