// Which dataset parts are in use: those of every dataset's current generation, and the parts a
// switch retired less than RETIRED_PART_GRACE_MS ago (a reader may still be reading them). The
// orphan sweep (object-store/blob-area.ts) deletes the others once they are old enough: retired
// parts past their grace, and the part of a job that died between uploading it and committing it.
import type { Catalog } from '../../catalog/catalog.ts';
import { RETIRED_PART_GRACE_MS, type DatasetBulk } from './part-store.ts';
import { everyOfKind } from '../../catalog/every-of-kind.ts';

export async function referencedPartKeys(catalog: Pick<Catalog, 'listAllOfKind'>, now: number): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const d of everyOfKind(catalog, 'dataset')) {
    const bulk = (d.body as { bulk?: DatasetBulk }).bulk;
    for (const p of bulk?.parts ?? []) keys.add(p.key);
    for (const r of bulk?.retired ?? []) if (r.at + RETIRED_PART_GRACE_MS > now) keys.add(r.key);
  }
  return keys;
}
