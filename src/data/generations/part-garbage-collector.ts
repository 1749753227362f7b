// Parts nobody points to: a job that died between uploading its part and committing it, or
// after committing but before deleting the generation it replaced, leaves Parquet files that no
// dataset references. They are never read, only waste space; this sweep deletes them. Parts
// younger than minAgeMs are left alone, since a running job uploads its part moments before
// it commits it (the key carries its creation time, see PartStore.newKey).
import type { Catalog } from '../../catalog/catalog.ts';
import type { DatasetBody } from '../../resources/datasets/dataset-operations.ts';
import { partCreatedAt, type PartStore } from './part-store.ts';

export const ORPHAN_MIN_AGE_MS = 60 * 60 * 1000;
const PAGE = 500;

async function referencedKeys(catalog: Catalog): Promise<Set<string>> {
  const keys = new Set<string>();
  let after: string | undefined;
  for (;;) {
    const page = await catalog.listAllOfKind('dataset', after, PAGE);
    for (const d of page) for (const p of (d.body as unknown as DatasetBody).bulk?.parts ?? []) keys.add(p.key);
    if (page.length < PAGE) return keys;
    after = page[page.length - 1].arn;
  }
}

export async function collectOrphanParts(o: { catalog: Catalog; parts: PartStore; now: number; minAgeMs?: number }): Promise<{ deleted: string[]; kept: number }> {
  // Referenced keys first: a part committed after this read is young, so it is not at risk.
  const referenced = await referencedKeys(o.catalog);
  const stored = await o.parts.listKeys();
  const minAge = o.minAgeMs ?? ORPHAN_MIN_AGE_MS;
  const deleted = stored.filter((key) => {
    if (referenced.has(key)) return false;
    const created = partCreatedAt(key);
    return created !== undefined && o.now - created >= minAge;
  });
  await o.parts.delete(deleted);
  return { deleted, kept: stored.length - deleted.length };
}
