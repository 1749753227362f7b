// The automatic update of User-Personalization models every two hours (training-rules.md rules
// 68 and 121): "Amazon Personalize automatically updates the model every two hours. After each
// update, Amazon Personalize considers new items for recommendations as part of exploration."
//
// What an update is here: a new item pool (item-pool.ts) of every item the group's data holds at
// the update — new items (in the data, not in the model) included, with their interactions and
// ages — written as one immutable blob of the model store and recorded in the solution version's
// document as `autoUpdate`. The model itself is not retrained (its scoring of known items is what
// the training learned; new items reach lists through exploration only), and nothing else of the
// version changes: no new version, no new metrics, the same lastUpdatedDateTime (rule 121: "no
// new version or metrics"). Every serving node reads the version's `autoUpdate` (at most a
// revalidation period late) and then the same blob, so all nodes explore the same items.
//
// When (AWS's rules, with our choices [INF]):
//  * only a version that an ACTIVE campaign deploys now (directly, through `$LATEST`, or as the
//    target of a pending update: composition passes them in), of User-Personalization or -v2, that
//    is its solution's newest ACTIVE version trained FULL (or AUTOTRAIN) — "only the latest fully
//    trained version is updated and only while deployed";
//  * every two hours counted from the version becoming ACTIVE: a round at or after a due time
//    updates it, and the next one is due at the next multiple of two hours;
//  * and at once, due or not, when a batch inference job names the version (rule 112: naming the
//    latest fully trained version "triggers an automatic update"; AWS's update-datasets notebook
//    shows the new items in a job created 20 minutes after the version became ACTIVE) — no
//    campaign needed; the due time of the next round moves as after any update;
//  * "needs new data since the last update": when the Interactions and Items data (bulk parts
//    and individually put records) are what the last update read, the round only moves the due
//    time (the first update of a version always runs);
//  * "stops at 750,000 items": a pool larger than that is not written.
// Nodes that run jobs call a round (model-updates-round.ts) about once a minute, next to
// automatic training (composition/build-service.ts). Several nodes may compute the same update;
// the commit takes the version's lock and keeps the first one (the loser's blob is deleted), so
// every node sees one.
import type { Catalog, ResourceRecord } from '../catalog/catalog.ts';
import type { RecordStore } from '../data/records/record-store.ts';
import type { DatasetBody } from '../resources/datasets/dataset-record.ts';
import {
  dataStampOf,
  SOLUTION_VERSION_KIND,
  solutionVersionLock,
  type SolutionVersionBody,
} from '../resources/solution-versions/solution-version-record.ts';
import type { ModelStore } from '../training/model-store.ts';
import { jsonSection, readArtifact } from '../training/models/artifact.ts';
import { findRecipe } from '../training/recipes/recipe-catalog.ts';
import { EXPLORING_RECIPES } from './item-exploration.ts';
import { buildItemPool, poolDatasets, serializePool, type PoolDeps } from './item-pool.ts';
import { autoUpdateOf, type AutoUpdate } from './model-update-record.ts';
import { nextDue } from '../jobs/due-times.ts';

export const AUTO_UPDATE_INTERVAL_MS = 2 * 60 * 60 * 1000;
export const AUTO_UPDATE_MAX_ITEMS = 750_000;

export interface UpdateDeps extends PoolDeps {
  catalog: Pick<Catalog, 'get' | 'list' | 'transaction' | 'listAllOfKind'>;
  records: Pick<RecordStore, 'count' | 'stamp'>;
  models: Pick<ModelStore, 'newKey' | 'put' | 'delete' | 'get'>;
  log: (fields: Record<string, unknown>) => void;
}

/** The version is one that automatic updates apply to (see the header). */
async function isUpdatable(deps: UpdateDeps, version: ResourceRecord): Promise<boolean> {
  const body = version.body as unknown as SolutionVersionBody;
  if (version.status !== 'ACTIVE' || body.trainingMode === 'UPDATE' || !body.artifactKey) return false;
  if (!EXPLORING_RECIPES.has(findRecipe(body.recipeArn)?.name ?? '')) return false;
  const active = await deps.catalog.list({
    account: version.account,
    region: version.region,
    kind: SOLUTION_VERSION_KIND.kind,
    parentArn: version.parentArn!,
    statusIn: ['ACTIVE'],
  });
  const newestFull = active
    .filter((v) => (v.body as unknown as SolutionVersionBody).trainingMode !== 'UPDATE')
    .sort((a, b) => b.createdAt - a.createdAt || (a.arn < b.arn ? 1 : -1))[0];
  return newestFull?.arn === version.arn;
}

/** What the group's Interactions and Items data are now: changes with any import or put. */
export async function dataStamp(deps: UpdateDeps, group: { arn: string; account: string; region: string }): Promise<string> {
  const { interactions, items } = await poolDatasets(deps, group);
  const itemsStamp = items ? await deps.records.stamp(items.arn) : undefined;
  return JSON.stringify([
    interactions ? dataStampOf(interactions, await deps.records.count(interactions.arn)) : null,
    items ? [((items.body as unknown as DatasetBody).bulk?.parts ?? []).map((p) => p.key), itemsStamp?.count, itemsStamp?.lastPutAt] : null,
  ]);
}

export type Outcome = 'updated' | 'unchanged' | 'not-due' | 'not-updatable';

/** Writes `next` as the version's autoUpdate if the version still has `seen`; false if another node was first (or it is gone). */
export async function commitAutoUpdate(deps: UpdateDeps, arn: string, seen: AutoUpdate | undefined, next: AutoUpdate): Promise<boolean> {
  return deps.catalog.transaction(async (tx) => {
    await tx.lock(solutionVersionLock(arn));
    const current = await tx.get(arn);
    if (!current || JSON.stringify(autoUpdateOf(current.body)) !== JSON.stringify(seen)) return false;
    // updatedAt unchanged: DescribeSolutionVersion shows the version as it was.
    await tx.update({ ...current, body: { ...current.body, autoUpdate: next } }, current.version);
    return true;
  });
}

/** Updates one version if it is due, or at once for a batch job (see the header). */
export async function updateVersion(
  deps: UpdateDeps,
  arn: string,
  now: number,
  trigger: 'schedule' | 'batch' = 'schedule',
): Promise<Outcome> {
  const version = await deps.catalog.get(arn);
  if (!version || version.kind !== SOLUTION_VERSION_KIND.kind) return 'not-updatable';
  const seen = autoUpdateOf(version.body);
  const activeAt = version.updatedAt;
  if (trigger === 'schedule' && now < (seen?.nextAt ?? activeAt + AUTO_UPDATE_INTERVAL_MS)) return 'not-due';
  if (!(await isUpdatable(deps, version))) return 'not-updatable';
  const body = version.body as unknown as SolutionVersionBody;
  const group = { arn: body.datasetGroupArn, account: version.account, region: version.region };
  const stamp = await dataStamp(deps, group);
  const nextAt = nextDue(activeAt, AUTO_UPDATE_INTERVAL_MS, now);
  if (seen?.stamp === stamp) {
    await commitAutoUpdate(deps, arn, seen, { ...seen, nextAt });
    return 'unchanged';
  }
  const started = Date.now();
  const pool = await buildItemPool(deps, group);
  if (pool.ids.length > AUTO_UPDATE_MAX_ITEMS) {
    deps.log({ level: 'info', msg: 'model update skipped', solutionVersion: arn, items: pool.ids.length, limit: AUTO_UPDATE_MAX_ITEMS });
    await commitAutoUpdate(deps, arn, seen, { ...seen, stamp, nextAt });
    return 'unchanged';
  }
  const poolKey = deps.models.newKey(arn, now);
  await deps.models.put(poolKey, serializePool(pool));
  const newItems = await countNewItems(deps, body, pool.ids);
  const committed = await commitAutoUpdate(deps, arn, seen, { at: now, poolKey, stamp, nextAt, newItems });
  if (!committed) {
    await deps.models.delete([poolKey]).catch(() => undefined);
    return 'not-due';
  }
  deps.log({
    level: 'info',
    msg: 'model updated',
    solutionVersion: arn,
    items: pool.ids.length,
    newItems,
    durationMs: Date.now() - started,
  });
  return 'updated';
}

/** How many of `ids` the version's model does not know (its artifact's `itemIds` section: user-model.ts). */
async function countNewItems(deps: UpdateDeps, body: SolutionVersionBody, ids: string[]): Promise<number> {
  const artifact = readArtifact(await deps.models.get(body.artifactKey!));
  const known = new Set(jsonSection<string[]>(artifact, 'itemIds'));
  return ids.reduce((n, id) => n + (known.has(id) ? 0 : 1), 0);
}
