// Which dataset parts are in use: those of every dataset's current generation. The orphan sweep
// (object-store/blob-area.ts) deletes the others once they are old enough: a job that died between
// uploading its part and committing it, or after committing but before deleting the generation it
// replaced, leaves Parquet files that no dataset references and nothing ever reads.
import type { Catalog } from '../../catalog/catalog.ts';
import type { DatasetBulk } from './part-store.ts';

const PAGE = 500;

export async function referencedPartKeys(catalog: Pick<Catalog, 'listAllOfKind'>): Promise<Set<string>> {
  const keys = new Set<string>();
  let after: string | undefined;
  for (;;) {
    const page = await catalog.listAllOfKind('dataset', after, PAGE);
    for (const d of page) for (const p of (d.body as { bulk?: DatasetBulk }).bulk?.parts ?? []) keys.add(p.key);
    if (page.length < PAGE) return keys;
    after = page[page.length - 1].arn;
  }
}
