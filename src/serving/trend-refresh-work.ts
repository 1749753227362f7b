// Trending-Now's re-evaluation of a deployed version (training-rules.md rules 17 and 121; AWS's
// Trending-Now recipe page: it identifies the top trending items "at the trend discovery
// frequency" and "automatically considers all new items over configurable intervals without
// training"; new interactions count whether imported in bulk or put with PutEvents).
//
// What a re-evaluation is here: the trending list computed again (trending-now.ts, the same
// window and smoothing as at training) from the group's data as it is then — bulk imports and
// individually put events, filtered as the solution says (version-training-options.ts) — written
// to the model store as a new artifact and recorded as the version's `autoUpdate.modelKey`.
// Serving nodes answer with it instead of the trained artifact (campaign-serving.ts reads the
// version's document again at most every revalidateMs). No new version, no new metrics, the same
// lastUpdatedDateTime; the superseded artifact is left to the orphan sweep, which deletes it only
// when no version names it and it is old enough, so a node still answering with it is not cut short.
//
// When [INF, as for the two-hourly updates of new-items-update-work.ts]: only a version that an
// ACTIVE campaign deploys; every trend_discovery_frequency counted from the version becoming
// ACTIVE; a round whose Interactions and Items data are what the last re-evaluation read only
// moves the due time (the first re-evaluation always runs); data that no longer passes the
// minimum-data checks keeps the current list (logged).
import type { ResourceRecord } from '../catalog/catalog.ts';
import { nextDue } from '../jobs/due-times.ts';
import { withWorkDir } from '../jobs/work-dir.ts';
import type { SolutionVersionBody } from '../resources/solution-versions/solution-version-record.ts';
import { trainTrending, trendWindowSeconds, TRENDING_NOW_RECIPE } from '../training/models/trending-now.ts';
import { findRecipe } from '../training/recipes/recipe-catalog.ts';
import { openTrainingInput } from '../training/recipe-training-input.ts';
import { hyperParametersFor, interactionFilterOf } from '../training/version-training-options.ts';
import { autoUpdateOf } from './model-update-record.ts';
import { commitAutoUpdate, dataStamp, type Outcome, type UpdateDeps } from './new-items-update-work.ts';

/** The version's list is re-evaluated while it is deployed: an ACTIVE Trending-Now version with a model. */
export function isTrendingVersion(version: ResourceRecord): boolean {
  const body = version.body as unknown as SolutionVersionBody;
  return version.status === 'ACTIVE' && !!body.artifactKey && findRecipe(body.recipeArn)?.name === TRENDING_NOW_RECIPE;
}

/** Re-evaluates one deployed Trending-Now version if it is due (see the header). */
export async function refreshTrend(deps: UpdateDeps, version: ResourceRecord, now: number): Promise<Outcome> {
  if (!isTrendingVersion(version)) return 'not-updatable';
  const body = version.body as unknown as SolutionVersionBody;
  const windowSeconds = trendWindowSeconds(hyperParametersFor(body).trend_discovery_frequency);
  const seen = autoUpdateOf(version.body);
  const activeAt = version.updatedAt;
  if (now < (seen?.nextAt ?? activeAt + windowSeconds * 1000)) return 'not-due';
  const group = { arn: body.datasetGroupArn, account: version.account, region: version.region };
  const stamp = await dataStamp(deps, group);
  const nextAt = nextDue(activeAt, windowSeconds * 1000, now);
  if (seen?.stamp === stamp) {
    await commitAutoUpdate(deps, version.arn, seen, { ...seen, nextAt });
    return 'unchanged';
  }
  const started = Date.now();
  const input = await openTrainingInput(deps, TRENDING_NOW_RECIPE, group);
  const loaded = await withWorkDir(deps.config.dataDir, `trend-${version.name.replace(/[^A-Za-z0-9_-]/g, '-')}`, (workDir) =>
    input.read({ workDir, filter: interactionFilterOf(body), trainingDataConfig: body.solutionConfig?.trainingDataConfig }),
  );
  if (!loaded.ok) {
    deps.log({ level: 'info', msg: 'trend re-evaluation skipped', solutionVersion: version.arn, reason: loaded.failureReason });
    await commitAutoUpdate(deps, version.arn, seen, { ...seen, stamp, nextAt });
    return 'unchanged';
  }
  const model = trainTrending(loaded.data, windowSeconds);
  const modelKey = deps.models.newKey(version.arn, now);
  await deps.models.put(modelKey, model.serialize());
  if (!(await commitAutoUpdate(deps, version.arn, seen, { at: now, modelKey, stamp, nextAt }))) {
    await deps.models.delete([modelKey]).catch(() => undefined);
    return 'not-due';
  }
  deps.log({
    level: 'info',
    msg: 'trend re-evaluated',
    solutionVersion: version.arn,
    interactions: loaded.counts.interactions,
    items: model.items.length,
    durationMs: Date.now() - started,
  });
  return 'updated';
}
