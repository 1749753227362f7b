// The orphan sweep over every storage area: what no resource references (as the families declare
// it) is deleted once old enough. Nodes that run jobs sweep at start and hourly.
import type { Catalog } from '../catalog/catalog.ts';
import { sweepOrphans, type AreaName, type BlobArea } from '../object-store/blob-area.ts';
import type { Family } from './families.ts';

export type SweepResult = Record<AreaName, { deleted: string[]; kept: number }>;

export async function sweepAllAreas(
  catalog: Catalog,
  areas: Record<AreaName, BlobArea>,
  families: readonly Family[],
  now: number,
): Promise<SweepResult> {
  const result = {} as SweepResult;
  for (const area of Object.values(areas)) {
    // References first: a blob committed after this read is young, so the sweep leaves it.
    const referenced = new Set<string>();
    for (const f of families)
      for (const b of [f.blobs ?? []].flat()) if (b.area === area.name) for (const k of await b.referenced(catalog, now)) referenced.add(k);
    result[area.name] = await sweepOrphans(area, referenced, now);
  }
  return result;
}
