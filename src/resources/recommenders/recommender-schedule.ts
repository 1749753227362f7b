// A recommender's trainings between the user's calls (training-rules.md rules 73, 118, 121):
//  * weekly retraining: "Amazon Personalize automatically retrains the models backing your
//    recommender every 7 days", counted from the recommender's creation; a round at or after a
//    due time queues a RETRAIN model, and the next is due at the next 7-day step;
//  * Trending now's re-evaluation every two hours, counted from its served model's training: a
//    REFRESH model (trained on the data then, without new metrics).
// Our choices [INF], as for solutions' automatic training (auto-training.ts): only an ACTIVE
// recommender takes part ("stopping a recommender halts ... automatic retraining"; StartRecommender
// resumes it, a missed week then comes at the next round); a round with a model training already
// underway is postponed to the next call; a round whose Interactions data is what the served model
// was trained on only moves the due time (nothing new to learn). Nodes that run jobs call
// runRecommenderSchedules about once a minute (composition/build-service.ts); each recommender is
// decided in a transaction under its lock, so several nodes may call it at once.
import { ServiceError } from '../../protocol/service-error.ts';
import { useCaseOf } from '../../training/recommender-use-cases.ts';
import { settle } from '../shared/lifecycle.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { nextDue } from '../../jobs/due-times.ts';
import { interactionsStamp, type RecordCounter } from '../shared/interactions-stamp.ts';
import { hasStatus } from '../shared/status-table.ts';
import { queueModel } from './recommender-models.ts';
import { RECOMMENDER_KIND, RECOMMENDER_STATUSES, recommenderLock, type RecommenderBody } from './recommender-record.ts';
import { everyOfKind } from '../../catalog/every-of-kind.ts';

export const RETRAIN_INTERVAL_MS = 7 * 24 * 60 * 60 * 1000;
export const REFRESH_INTERVAL_MS = 2 * 60 * 60 * 1000;

/** When Trending now's next re-evaluation is due: two hours after the served model's, or the moved due time. */
function refreshAt(body: RecommenderBody): number | undefined {
  if (!body.model || !useCaseOf(body.recipeArn)?.trending) return undefined;
  return Math.max(body.model.since + REFRESH_INTERVAL_MS, body.refreshAt ?? 0);
}

const isDue = (body: RecommenderBody, now: number) => now >= body.retrainAt || now >= (refreshAt(body) ?? Infinity);

/** Decides one recommender now; returns the queued model's ARN, if any. */
async function consider(deps: ServiceDeps, arn: string, stamp: string | undefined, now: number): Promise<string | undefined> {
  return deps.catalog.transaction(async (tx) => {
    await tx.lock(recommenderLock(arn));
    const stored = await tx.get(arn);
    if (!stored || stored.kind !== RECOMMENDER_KIND.kind) return undefined;
    const recommender = settle(stored, now);
    const body = recommender.body as unknown as RecommenderBody;
    if (!hasStatus(RECOMMENDER_STATUSES, recommender, 'ACTIVE') || body.pendingModelArn || !isDue(body, now)) return undefined;
    const retrain = now >= body.retrainAt;
    const changed = stamp !== undefined && stamp !== body.model?.dataStamp;
    const patch: Partial<RecommenderBody> = retrain
      ? { retrainAt: nextDue(recommender.createdAt, RETRAIN_INTERVAL_MS, now) }
      : { refreshAt: nextDue(body.model!.since, REFRESH_INTERVAL_MS, now) };
    if (changed) patch.pendingModelArn = await queueModel(deps, tx, recommender, retrain ? 'RETRAIN' : 'REFRESH', body.recommenderConfig);
    await tx.update({ ...recommender, body: { ...recommender.body, ...patch } });
    return patch.pendingModelArn;
  });
}

/** Queues the recommenders' retrainings and re-evaluations due at `now`; returns the models queued. */
export async function runRecommenderSchedules(deps: ServiceDeps, countRecords: RecordCounter, now: number): Promise<string[]> {
  const queued: string[] = [];
  for await (const r of everyOfKind(deps.catalog, RECOMMENDER_KIND.kind)) {
    const recommender = settle(r, now);
    const body = recommender.body as unknown as RecommenderBody;
    if (!hasStatus(RECOMMENDER_STATUSES, recommender, 'ACTIVE') || body.pendingModelArn || !isDue(body, now)) continue;
    try {
      const arn = await consider(deps, r.arn, await interactionsStamp(deps.catalog, { ...r, arn: r.parentArn! }, countRecords), now);
      if (arn) queued.push(arn);
    } catch (e) {
      // Postponed to the next round (the group is being deleted, ...).
      if (!(e instanceof ServiceError)) throw e;
    }
  }
  if (queued.length > 0) deps.jobQueued();
  return queued;
}
