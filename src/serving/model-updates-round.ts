// One round of the automatic updates of the versions that ACTIVE campaigns deploy (training-rules.md
// rule 121): User-Personalization's two-hourly item pool (new-items-update-work.ts) and
// Trending-Now's re-evaluation at its trend discovery frequency (trend-refresh-work.ts). Nodes that
// run jobs call it about once a minute (composition/build-service.ts); composition computes the
// deployed versions. Also here: which blobs the updates keep in use (orphan sweep).
import type { Catalog } from '../catalog/catalog.ts';
import { everyOfKind } from '../catalog/every-of-kind.ts';
import { SOLUTION_VERSION_KIND } from '../resources/solution-versions/solution-version-record.ts';
import { autoUpdateOf } from './model-update-record.ts';
import { updateVersion, type UpdateDeps } from './new-items-update-work.ts';
import { isTrendingVersion, refreshTrend } from './trend-refresh-work.ts';

/**
 * Updates the deployed versions that are due; returns the ARNs updated. A version whose update
 * fails is logged and tried again at the next round.
 */
export async function updateDeployedVersions(deps: UpdateDeps, versionArns: Iterable<string>, now: number): Promise<string[]> {
  const updated: string[] = [];
  for (const arn of versionArns) {
    try {
      const version = await deps.catalog.get(arn);
      if (!version || version.kind !== SOLUTION_VERSION_KIND.kind) continue;
      const outcome = isTrendingVersion(version) ? await refreshTrend(deps, version, now) : await updateVersion(deps, arn, now);
      if (outcome === 'updated') updated.push(arn);
    } catch (e) {
      deps.log({ level: 'warn', msg: 'model update failed', solutionVersion: arn, error: String(e) });
    }
  }
  return updated;
}

/** The blobs the updates keep in use: each version's latest item pool and re-evaluated model. */
export async function referencedUpdateKeys(catalog: Pick<Catalog, 'listAllOfKind'>): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const v of everyOfKind(catalog, SOLUTION_VERSION_KIND.kind)) {
    const update = autoUpdateOf(v.body);
    for (const key of [update?.poolKey, update?.modelKey]) if (key) keys.add(key);
  }
  return keys;
}
