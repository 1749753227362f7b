// The two-hourly automatic updates of the personalised recommenders (training-rules.md rule 121:
// "For Top picks / Recommended for you ... Amazon Personalize automatically updates the model every
// two hours. After each update, Amazon Personalize considers new items for recommendations as part
// of exploration"), done as new-items-update-work.ts does them for User-Personalization versions:
// a new item pool (every item of the group's data now, new ones included) written to the model
// store and recorded as the served model's `autoUpdate`, which every serving node reads
// (real-time-personalization.ts); the model is not retrained, no new metrics.
//
// When [INF, as for versions]: only an ACTIVE recommender of a personalised use case, every two
// hours from its served model becoming served (a retrained model starts a new grid); a round with
// the same Interactions and Items data as the last update only moves the due time; a pool of more
// than 750,000 items is not written. The commit takes the recommender's lock and keeps the first
// of several nodes' updates. Also here: which blobs the recommenders keep in use (orphan sweep).
import type { Catalog, ResourceRecord } from '../catalog/catalog.ts';
import { RECOMMENDER_MODEL_KIND, modelArtifactKeyOf } from '../resources/recommenders/recommender-model-record.ts';
import { recommenderLock, type RecommenderBody } from '../resources/recommenders/recommender-record.ts';
import { jsonSection, readArtifact } from '../training/models/artifact.ts';
import { useCaseOf } from '../training/recommender-use-cases.ts';
import { buildItemPool, serializePool } from './item-pool.ts';
import { autoUpdateOf, type AutoUpdate } from './model-update-record.ts';
import { AUTO_UPDATE_INTERVAL_MS, AUTO_UPDATE_MAX_ITEMS, dataStamp, type UpdateDeps } from './new-items-update-work.ts';
import { everyOfKind } from '../catalog/every-of-kind.ts';

/** Writes `next` as the served model's autoUpdate if it is still served and still has `seen`. */
async function commit(deps: UpdateDeps, recommenderArn: string, modelArn: string, seen: AutoUpdate | undefined, next: AutoUpdate) {
  return deps.catalog.transaction(async (tx) => {
    await tx.lock(recommenderLock(recommenderArn));
    const recommender = await tx.get(recommenderArn);
    const model = await tx.get(modelArn);
    if (!recommender || !model || (recommender.body as unknown as RecommenderBody).model?.arn !== modelArn) return false;
    if (JSON.stringify(autoUpdateOf(model.body)) !== JSON.stringify(seen)) return false;
    await tx.update({ ...model, body: { ...model.body, autoUpdate: next } });
    return true;
  });
}

/** Updates one recommender's served model if it is due; returns whether it wrote a new pool. */
async function updateRecommender(deps: UpdateDeps, recommender: ResourceRecord, now: number): Promise<boolean> {
  const served = (recommender.body as unknown as RecommenderBody).model!;
  const model = await deps.catalog.get(served.arn);
  if (!model) return false;
  const seen = autoUpdateOf(model.body);
  if (now < (seen?.nextAt ?? served.since + AUTO_UPDATE_INTERVAL_MS)) return false;
  const group = { arn: recommender.parentArn!, account: recommender.account, region: recommender.region };
  const stamp = await dataStamp(deps, group);
  const nextAt = served.since + (Math.floor((now - served.since) / AUTO_UPDATE_INTERVAL_MS) + 1) * AUTO_UPDATE_INTERVAL_MS;
  if (seen?.stamp === stamp) {
    await commit(deps, recommender.arn, served.arn, seen, { ...seen, nextAt });
    return false;
  }
  const pool = await buildItemPool(deps, group);
  if (pool.ids.length > AUTO_UPDATE_MAX_ITEMS) {
    await commit(deps, recommender.arn, served.arn, seen, { ...seen, stamp, nextAt });
    return false;
  }
  const poolKey = deps.models.newKey(served.arn, now);
  await deps.models.put(poolKey, serializePool(pool));
  const known = new Set(jsonSection<string[]>(readArtifact(await deps.models.get(served.artifactKey)), 'itemIds'));
  const newItems = pool.ids.reduce((n, id) => n + (known.has(id) ? 0 : 1), 0);
  if (!(await commit(deps, recommender.arn, served.arn, seen, { at: now, poolKey, stamp, nextAt, newItems }))) {
    await deps.models.delete([poolKey]).catch(() => undefined);
    return false;
  }
  deps.log({
    level: 'info',
    msg: 'model updated',
    recommender: recommender.arn,
    recommenderModel: served.arn,
    items: pool.ids.length,
    newItems,
  });
  return true;
}

/**
 * One round over the ACTIVE recommenders (composition reads them: active-recommenders.ts): updates
 * those of a personalised use case that are due; returns the recommenders updated. Failures are
 * logged and retried at the next round.
 */
export async function updateRecommenders(deps: UpdateDeps, recommenders: Iterable<ResourceRecord>, now: number): Promise<string[]> {
  const updated: string[] = [];
  for (const recommender of recommenders) {
    const body = recommender.body as unknown as RecommenderBody;
    if (!body.model || !useCaseOf(body.recipeArn)?.personalized) continue;
    try {
      if (await updateRecommender(deps, recommender, now)) updated.push(recommender.arn);
    } catch (e) {
      deps.log({ level: 'warn', msg: 'model update failed', recommender: recommender.arn, error: String(e) });
    }
  }
  return updated;
}

/** The model store blobs the recommenders' models use: artifacts and item pools. */
export async function referencedRecommenderBlobs(catalog: Pick<Catalog, 'listAllOfKind'>): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const m of everyOfKind(catalog, RECOMMENDER_MODEL_KIND.kind)) {
    const artifact = modelArtifactKeyOf(m.body);
    const pool = autoUpdateOf(m.body)?.poolKey;
    if (artifact) keys.add(artifact);
    if (pool) keys.add(pool);
  }
  return keys;
}
