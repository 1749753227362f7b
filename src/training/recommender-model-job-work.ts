// What a recommender-model job does (training-rules.md rules 73-76): train the model of the
// recommender's use case (recommender-use-cases.ts) on the dataset group's data as it is when the
// job starts, compute its offline metrics (modelMetrics), write its artifact, and in the one
// transaction that ends the job make it the recommender's served model. The mechanics (claims,
// leases, retries) are the runner's; the data reading is the solution-version job's
// (training-input.ts), the metrics and trainers are the same too.
//
// What the job moves, by the model's purpose (recommender-model-record.ts), every write under the
// recommender's lock and through the status tables:
//  * CREATE: the recommender CREATE PENDING > CREATE IN_PROGRESS > ACTIVE, or CREATE FAILED with
//    the failure as its failureReason (AWS's texts: NO_INTERACTIONS_TEXT, "Dataset has fewer than
//    1000 interactions after filtering by event type: View", the 25-users rule);
//  * UPDATE (new training columns): latestRecommenderUpdate the same way; on success the new
//    configuration applies together with the new model, on failure the old ones keep serving;
//  * RETRAIN (weekly) and REFRESH (Trending now's two-hourly re-evaluation, without metrics): the
//    recommender stays as it is; only a success shows (new model, new modelMetrics for RETRAIN).
// A new served model replaces the recommender's earlier model documents (their artifacts are left
// to the orphan sweep, so a node still loading one is not cut short). A recommender deleted
// meanwhile takes its models with it: the job then commits nothing and drops its artifact.
import type { CatalogOps, QueuedJob, ResourceRecord } from '../catalog/catalog.ts';
import { JobFailure } from '../jobs/job-failure.ts';
import { jobLogFields, type JobContext, type JobKind } from '../jobs/job-runner.ts';
import { withWorkDir } from '../jobs/work-dir.ts';
import { assertMove, hasStatus, isFinal, withStatus } from '../resources/shared/status-table.ts';
import {
  RECOMMENDER_MODEL_KIND,
  RECOMMENDER_MODEL_STATUSES,
  type RecommenderModelBody,
  type RecommenderModelStatus,
} from '../resources/recommenders/recommender-model-record.ts';
import {
  MAX_MODEL_HISTORY,
  RECOMMENDER_STATUSES,
  RECOMMENDER_UPDATE_STATUSES,
  recommenderLock,
  type RecommenderBody,
  type RecommenderUpdateStatus,
} from '../resources/recommenders/recommender-record.ts';
import { dataStampOf } from '../resources/solution-versions/solution-version-record.ts';
import { canEvaluateInWorker, evaluateInWorker } from './holdout-worker.ts';
import { evaluateModel, offlineMetrics } from './metrics/offline-metrics.ts';
import { useCaseOf } from './recommender-use-cases.ts';
import type { TrainingDeps } from './solution-version-job-work.ts';
import type { Model, Trainer, TrainingData } from './trainer.ts';
import { NO_INTERACTIONS_TEXT } from './training-data.ts';
import { datasetSnapshot, groupDataset, readTrainingData } from './training-input.ts';

/** More like X without an Items dataset [INF: worded like AWS's Interactions text, NO_INTERACTIONS_TEXT]. */
export const NO_ITEMS_TEXT = 'Dataset group must contain an ITEMS dataset with successfully completed dataset import job';

/** The model, and its offline metrics unless `evaluate` is false; refit-capable trainers tune once (as the solution-version job does). */
export async function trainWithMetrics(
  trainer: Trainer,
  data: TrainingData,
  hyperParameters: Record<string, string>,
  o: { evaluate: boolean; signal?: AbortSignal },
): Promise<{ model: Model; metrics?: Record<string, number> }> {
  if (!o.evaluate) return { model: await trainer.train(data, hyperParameters, o.signal) };
  if (trainer.refit) {
    const e = await evaluateModel(trainer, data, hyperParameters, { signal: o.signal });
    const model = e.model
      ? await trainer.refit(e.model, data, hyperParameters, o.signal)
      : await trainer.train(data, hyperParameters, o.signal);
    return { model, metrics: e.metrics };
  }
  const holdout = canEvaluateInWorker(trainer, data) ? evaluateInWorker(trainer, data, hyperParameters, o.signal) : undefined;
  holdout?.catch(() => undefined); // awaited below; a failed training must not leave it unhandled
  const model = await trainer.train(data, hyperParameters, o.signal);
  return { model, metrics: holdout ? await holdout : await offlineMetrics(trainer, data, hyperParameters, { signal: o.signal }) };
}

const modelBody = (r: ResourceRecord) => r.body as unknown as RecommenderModelBody;
const recommenderBody = (r: ResourceRecord) => r.body as unknown as RecommenderBody;

export function recommenderModelJobKind(deps: TrainingDeps): JobKind {
  /**
   * The model and its recommender, under the recommender's lock; undefined when either is gone or
   * the model is final. The recommender as stored: the statuses the job writes (creation, an
   * update's) are never timed, and timed steps it does not touch (stopping, starting) stay in the
   * document and apply when it is read.
   */
  async function locked(tx: CatalogOps, arn: string): Promise<{ model: ResourceRecord; recommender: ResourceRecord } | undefined> {
    const peek = await tx.get(arn);
    if (!peek?.parentArn) return undefined;
    await tx.lock(recommenderLock(peek.parentArn));
    const model = await tx.get(arn);
    const recommender = await tx.get(peek.parentArn);
    if (!model || !recommender || isFinal(RECOMMENDER_MODEL_STATUSES, model.status)) return undefined;
    return { model, recommender };
  }

  function moveModel(tx: CatalogOps, model: ResourceRecord, status: RecommenderModelStatus, patch: Partial<RecommenderModelBody>) {
    return tx.update({ ...withStatus(RECOMMENDER_MODEL_STATUSES, model, status, deps.now()), body: { ...model.body, ...patch } });
  }

  /** The recommender's latestRecommenderUpdate moved to `status` (with `patch` on the recommender). */
  function updateMoved(recommender: ResourceRecord, status: RecommenderUpdateStatus, failureReason?: string): Partial<RecommenderBody> {
    const update = recommenderBody(recommender).latestRecommenderUpdate;
    if (!update) return {};
    assertMove(RECOMMENDER_UPDATE_STATUSES, update.status, status);
    return { latestRecommenderUpdate: { ...update, status, lastUpdatedDateTime: deps.now(), ...(failureReason ? { failureReason } : {}) } };
  }

  /** The job starts: the model, and what it is for, to IN_PROGRESS. False when there is nothing to do. */
  async function begin(tx: CatalogOps, arn: string): Promise<boolean> {
    const found = await locked(tx, arn);
    if (!found) return false;
    const { model, recommender } = found;
    await moveModel(tx, model, 'CREATE IN_PROGRESS', { phase: 'reading' });
    const purpose = modelBody(model).purpose;
    let next = recommender;
    if (purpose === 'CREATE' && hasStatus(RECOMMENDER_STATUSES, recommender, 'CREATE PENDING'))
      next = withStatus(RECOMMENDER_STATUSES, recommender, 'CREATE IN_PROGRESS', deps.now());
    const patch =
      purpose === 'UPDATE' && recommenderBody(recommender).latestRecommenderUpdate?.status === 'CREATE PENDING'
        ? updateMoved(recommender, 'CREATE IN_PROGRESS')
        : {};
    if (next !== recommender || Object.keys(patch).length > 0) await tx.update({ ...next, body: { ...next.body, ...patch } });
    return true;
  }

  async function phase(arn: string, name: string, patch: Partial<RecommenderModelBody> = {}): Promise<void> {
    await deps.catalog.transaction(async (tx) => {
      const found = await locked(tx, arn);
      if (found) await moveModel(tx, found.model, 'CREATE IN_PROGRESS', { ...patch, phase: name });
    });
  }

  /** Makes the trained model the recommender's; false when the recommender or the model is gone. */
  async function commit(
    tx: CatalogOps,
    arn: string,
    result: Pick<RecommenderModelBody, 'artifactKey' | 'metrics' | 'trainingHours' | 'trainingData'>,
  ): Promise<boolean> {
    const found = await locked(tx, arn);
    if (!found) return false;
    const { model, recommender } = found;
    const body = modelBody(model);
    const now = deps.now();
    await moveModel(tx, model, 'ACTIVE', { ...result, phase: undefined });
    let next = recommender;
    if (body.purpose === 'CREATE' && !hasStatus(RECOMMENDER_STATUSES, recommender, 'ACTIVE'))
      next = withStatus(RECOMMENDER_STATUSES, recommender, 'ACTIVE', now);
    const current = recommenderBody(recommender);
    const patch: Partial<RecommenderBody> = {
      model: { arn, artifactKey: result.artifactKey!, dataStamp: body.dataStamp, since: now },
      modelMetrics: body.purpose === 'REFRESH' ? current.modelMetrics : result.metrics,
      pendingModelArn: current.pendingModelArn === arn ? undefined : current.pendingModelArn,
      failureReason: undefined,
      modelHistory: [
        ...(current.modelHistory ?? []),
        { arn, purpose: body.purpose, since: now, trainingHours: result.trainingHours, metrics: result.metrics },
      ].slice(-MAX_MODEL_HISTORY),
      ...(body.purpose === 'UPDATE' && current.latestRecommenderUpdate?.modelArn === arn
        ? { recommenderConfig: body.recommenderConfig, ...updateMoved(recommender, 'ACTIVE') }
        : {}),
    };
    await tx.update({ ...next, updatedAt: now, body: { ...next.body, ...patch } });
    // The models it replaces (the earlier served one, failed ones); a job still queued or running stays.
    const older = await tx.list({
      account: model.account,
      region: model.region,
      kind: RECOMMENDER_MODEL_KIND.kind,
      parentArn: recommender.arn,
      statusIn: ['ACTIVE', 'CREATE FAILED'],
    });
    for (const o of older) if (o.arn !== arn) await tx.delete(o.arn);
    return true;
  }

  async function run(job: QueuedJob, ctx: JobContext): Promise<void> {
    const started = deps.now();
    const signal = ctx.signal;
    if (!(await deps.catalog.transaction((tx) => begin(tx, job.arn)))) return ctx.finish(async () => {});
    const record = (await deps.catalog.get(job.arn))!;
    const body = modelBody(record);
    const useCase = useCaseOf(body.recipeArn);
    if (!useCase) throw new Error(`Internal error: recommender model ${job.arn} names the recipe ${body.recipeArn}, which is no use case`);
    const log = (name: string, extra: Record<string, unknown> = {}) =>
      deps.log({
        level: 'info',
        msg: 'training phase',
        ...jobLogFields(job.arn, job.kind),
        worker: ctx.owner,
        recommender: record.parentArn,
        recipe: body.recipeArn,
        purpose: body.purpose,
        phase: name,
        durationMs: deps.now() - started,
        ...extra,
      });
    log('reading');

    const group = { arn: body.datasetGroupArn, account: record.account, region: record.region };
    const interactionsDataset = await groupDataset(deps.catalog, group, 'INTERACTIONS');
    const interactions = await datasetSnapshot(deps.reader, interactionsDataset);
    if (!interactions) throw new JobFailure(NO_INTERACTIONS_TEXT);
    const items = await datasetSnapshot(deps.reader, await groupDataset(deps.catalog, group, 'ITEMS'));
    if (useCase.requiresItems && !items) throw new JobFailure(NO_ITEMS_TEXT);
    await phase(job.arn, 'loading', { dataStamp: dataStampOf(interactionsDataset, interactions.individual) });
    const loaded = await withWorkDir(deps.config.dataDir, record.name.replace(/[^A-Za-z0-9_-]/g, '-'), (workDir) =>
      readTrainingData(deps, {
        workDir,
        interactions,
        items,
        filter: useCase.eventType !== undefined ? { eventType: useCase.eventType } : {},
        trainingDataConfig: body.recommenderConfig.trainingDataConfig,
        signal,
      }),
    );
    if (!loaded.ok) throw new JobFailure(loaded.failureReason);
    const { data, counts } = loaded;
    await phase(job.arn, 'training');
    log('training', { interactions: counts.interactions, users: counts.users, items: counts.items, loadSteps: loaded.steps });
    const { model, metrics } = await trainWithMetrics(useCase.trainer, data, {}, { evaluate: body.purpose !== 'REFRESH', signal });
    await phase(job.arn, 'storing');
    const artifact = model.serialize();
    const artifactKey = deps.models.newKey(job.arn, deps.now());
    await deps.models.put(artifactKey, artifact);
    const hours = (deps.now() - started) / 3_600_000;
    let committed = false;
    await ctx.finish(async (tx) => {
      committed = await commit(tx, job.arn, {
        artifactKey,
        metrics,
        trainingHours: Math.max(0.001, Math.round(hours * 1000) / 1000),
        trainingData: { interactions: counts.interactions, users: counts.users, items: counts.items },
      });
    });
    if (!committed) await deps.models.delete([artifactKey]).catch(() => undefined);
    log(committed ? 'done' : 'dropped', { artifactBytes: artifact.length });
  }

  return {
    kind: RECOMMENDER_MODEL_KIND.kind,
    phaseMessage: 'training phase',
    run: (job, ctx) => run(job, ctx),
    async fail(tx, arn, reason) {
      const found = await locked(tx, arn);
      if (!found) return;
      const { model, recommender } = found;
      const purpose = modelBody(model).purpose;
      await moveModel(tx, model, 'CREATE FAILED', { failureReason: reason, phase: undefined });
      const current = recommenderBody(recommender);
      let next = recommender;
      const creating =
        hasStatus(RECOMMENDER_STATUSES, recommender, 'CREATE PENDING') ||
        hasStatus(RECOMMENDER_STATUSES, recommender, 'CREATE IN_PROGRESS');
      if (purpose === 'CREATE' && creating) next = withStatus(RECOMMENDER_STATUSES, recommender, 'CREATE FAILED', deps.now());
      const patch: Partial<RecommenderBody> = {
        pendingModelArn: current.pendingModelArn === arn ? undefined : current.pendingModelArn,
        ...(purpose === 'CREATE' ? { failureReason: reason } : {}),
        ...(purpose === 'UPDATE' && current.latestRecommenderUpdate?.modelArn === arn
          ? updateMoved(recommender, 'CREATE FAILED', reason)
          : {}),
      };
      await tx.update({ ...next, body: { ...next.body, ...patch } });
    },
  };
}
