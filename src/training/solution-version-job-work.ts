// What a solution version's training job does (its mechanics — claiming, leases, retries — are
// the runner's): read the dataset group's Interactions dataset (and what else the recipe trains
// on: recipe-training-input.ts) as it is when the job starts
// (DatasetReader: bulk parts and individually put events), filter it as the solution says and
// check there is enough of it (training-data.ts), train the recipe's model, compute the offline
// metrics (metrics/offline-metrics.ts), write the model's artifact (model-store.ts), then record
// ACTIVE with the artifact's key, the metrics and trainingHours in the one transaction that ends
// the job. Until that commit nothing that serving reads changes, so a failure, a stop or a crash
// leaves the solution's earlier versions exactly as they were; a re-run after a crash starts again
// from scratch and writes a fresh artifact (the orphan sweep removes the one left behind).
//
// Stopping (StopSolutionVersionCreation moves a running version to CREATE STOPPING): the job
// reads its version's status between its phases and every STOP_POLL_MS while it trains or
// evaluates, aborting the trainer's signal when it sees CREATE STOPPING, and ends the version
// CREATE STOPPED. Every status write of a version takes its lock (solutionVersionLock), so the job
// and a Stop never overwrite each other.
//
// performHPO: a bounded grid search scored on the offline metrics' holdout (hpo.ts); its best
// hyperparameters are tunedHPOParams.
//
// Recipes whose trainer can refit (Trainer.refit: the user models, whose tuning is most of their
// training) are evaluated first: the holdout's model (tuned on the training users only, so the
// metrics stay honest) gives its learned parameters to the final model, which then costs one graph
// pass instead of a second tuning. Other recipes train the final model and the holdout's
// independently: at once, the holdout's in a worker thread, on large data (holdout-worker.ts).
// trainingMode UPDATE (rule 45; CreateSolutionVersion checked the recipe and that an ACTIVE FULL
// version exists): the base is the solution's newest ACTIVE version trained FULL (or AUTOTRAIN);
// its artifact is loaded and refit on the current data — new items included — with the base's
// hyperparameters, for the holdout's model and for the final one alike: no tuning, no HPO.
import type { CatalogOps, QueuedJob, ResourceRecord } from '../catalog/catalog.ts';
import type { WorkerDeps } from '../data/jobs/work-deps.ts';
import { JobFailure } from '../jobs/job-failure.ts';
import { jobLogFields, type JobContext, type JobKind } from '../jobs/job-runner.ts';
import { withWorkDir } from '../jobs/work-dir.ts';
import { SOLUTION_KIND } from '../resources/solutions/solution-record.ts';
import {
  SOLUTION_VERSION_KIND,
  SOLUTION_VERSION_STATUSES,
  solutionVersionLock,
  type SolutionVersionBody,
  type SolutionVersionStatus,
  UPDATE_MODE_RULE,
} from '../resources/solution-versions/solution-version-record.ts';
import { assertMove, isFinal } from '../resources/shared/status-table.ts';
import { canEvaluateInWorker, evaluateInWorker } from './holdout-worker.ts';
import { optimizeHyperParameters } from './hpo.ts';
import { evaluateModel, offlineMetrics } from './metrics/offline-metrics.ts';
import type { ModelStore } from './model-store.ts';
import { findRecipe, hyperParametersOf } from './recipes/recipe-catalog.ts';
import type { Model, Trainer } from './trainer.ts';
import { objectiveTrainer } from './models/objective.ts';
import { openTrainingInput } from './recipe-training-input.ts';
import { hyperParametersFor, interactionFilterOf } from './version-training-options.ts';

/** What the training work is built from: the data plane's job deps, the model store and the trainers. */
export interface TrainingDeps extends WorkerDeps {
  /** Where the trained models' artifacts are written. */
  models: ModelStore;
  /** The trainer of a recipe (by recipe ARN), or undefined when this service has none for it. */
  trainerFor(recipeArn: string): Trainer | undefined;
}

/** How often a training job looks for a stop request while it trains or evaluates. */
export const STOP_POLL_MS = 500;

/** The version was asked to stop (its status is CREATE STOPPING). */
class StopRequested extends Error {
  constructor() {
    super('the solution version is being stopped');
  }
}

/** The algorithm's hyperparameters as trained: its defaults overlaid with the given ones (tunedHPOParams). */
function algorithmHyperParameters(body: SolutionVersionBody, used: Record<string, string>): Record<string, string> {
  return Object.fromEntries(hyperParametersOf(body.recipeArn).map((s) => [s.name, used[s.name] ?? s.default]));
}

export function solutionVersionJobKind(deps: TrainingDeps): JobKind {
  /**
   * Moves the version (under its lock) to `status` with `patch` merged into its document. Returns
   * false if the version is gone or already final. A version being stopped keeps CREATE STOPPING:
   * the move throws StopRequested instead.
   */
  async function move(ops: CatalogOps, arn: string, status: SolutionVersionStatus, patch: Partial<SolutionVersionBody>): Promise<boolean> {
    await ops.lock(solutionVersionLock(arn));
    const current = await ops.get(arn);
    if (!current || isFinal(SOLUTION_VERSION_STATUSES, current.status)) return false;
    if (current.status === 'CREATE STOPPING' && status !== 'CREATE STOPPED') throw new StopRequested();
    assertMove(SOLUTION_VERSION_STATUSES, current.status, status);
    await ops.update({ ...current, status, updatedAt: deps.now(), body: { ...current.body, ...patch } }, current.version);
    return true;
  }

  const stopped = (ops: CatalogOps, arn: string) => move(ops, arn, 'CREATE STOPPED', { phase: undefined });

  async function isStopping(arn: string): Promise<boolean> {
    return (await deps.catalog.get(arn))?.status === 'CREATE STOPPING';
  }

  /**
   * The version an UPDATE starts from: the solution's newest ACTIVE version trained FULL (or
   * AUTOTRAIN), with its artifact and the hyperparameters it was trained with.
   */
  async function updateBase(version: ResourceRecord): Promise<{ artifactKey: string; hyperParameters: Record<string, string> }> {
    const versions = await deps.catalog.list({
      account: version.account,
      region: version.region,
      kind: SOLUTION_VERSION_KIND.kind,
      parentArn: version.parentArn!,
      statusIn: ['ACTIVE'],
    });
    const full = versions
      .filter((v) => v.arn !== version.arn)
      .map((v) => ({ v, body: v.body as unknown as SolutionVersionBody }))
      .filter(({ body }) => body.trainingMode !== 'UPDATE' && body.artifactKey)
      .sort((a, b) => b.v.createdAt - a.v.createdAt)[0];
    if (!full) throw new JobFailure(`The solution has no ACTIVE solution version trained with trainingMode FULL. ${UPDATE_MODE_RULE}`);
    return { artifactKey: full.body.artifactKey!, hyperParameters: full.body.hyperParameters ?? {} };
  }

  async function run(job: QueuedJob, ctx: JobContext, signal: AbortSignal): Promise<void> {
    const started = deps.now();
    const record = await deps.catalog.get(job.arn);
    // Deleted with its solution, or stopped before it ran: nothing to do.
    if (!record || isFinal(SOLUTION_VERSION_STATUSES, record.status)) return ctx.finish(async () => {});
    const body = record.body as unknown as SolutionVersionBody;
    const phase = async (name: string, extra: Record<string, unknown> = {}, patch: Partial<SolutionVersionBody> = {}) => {
      if (signal.aborted) throw signal.reason;
      await deps.catalog.transaction((tx) => move(tx, job.arn, 'CREATE IN_PROGRESS', { ...patch, phase: name }));
      deps.log({
        level: 'info',
        msg: 'training phase',
        ...jobLogFields(job.arn, job.kind),
        worker: ctx.owner,
        solution: record.parentArn,
        recipe: body.recipeArn,
        phase: name,
        durationMs: deps.now() - started,
        ...extra,
      });
    };
    await phase('reading');

    if ((await deps.catalog.get(record.parentArn!))?.kind !== SOLUTION_KIND.kind) {
      throw new JobFailure(`The solution ${record.parentArn} no longer exists.`);
    }
    const group = { arn: body.datasetGroupArn, account: record.account, region: record.region };
    // The datasets the recipe reads (recipe-training-input.ts: Interactions and Items for most).
    const input = await openTrainingInput(deps, findRecipe(body.recipeArn)?.name, group);
    // Recorded whatever the outcome: automatic training retrains only when this changes.
    await phase('loading', {}, { dataStamp: input.dataStamp });

    await withWorkDir(deps.config.dataDir, record.name.replace(/[^A-Za-z0-9_-]/g, '-'), async (workDir) => {
      const loaded = await input.read({
        workDir,
        filter: interactionFilterOf(body),
        trainingDataConfig: body.solutionConfig?.trainingDataConfig,
        signal,
      });
      if (!loaded.ok) throw new JobFailure(loaded.failureReason);
      const { data, counts } = loaded;
      // After the data checks: too little data is the user's to fix whatever the recipe.
      const recipe = findRecipe(body.recipeArn);
      const recipeTrainer = recipe && deps.trainerFor(recipe.arn);
      if (!recipe || !recipeTrainer) {
        throw new JobFailure(`Training with the recipe ${recipe?.name ?? body.recipeArn} is not available in this service yet.`);
      }
      // An optimizationObjective boosts the user models' items by the Items column (models/objective.ts).
      const trainer = objectiveTrainer(recipeTrainer, body.solutionConfig?.optimizationObjective);

      let hyperParameters = hyperParametersFor(body);
      let metrics: Record<string, number> | undefined;
      /** The model whose learned parameters the final model keeps (Trainer.refit). */
      let base: Model | undefined;
      // The first phase after loading logs the data's size and the load's steps.
      let sizes: Record<string, unknown> = {
        interactions: counts.interactions,
        users: counts.users,
        items: counts.items,
        loadSteps: loaded.steps,
      };
      const next = async (name: string) => {
        await phase(name, sizes);
        sizes = {};
      };
      if (body.trainingMode === 'UPDATE') {
        await next('base');
        const from = await updateBase(record);
        if (!trainer.refit) throw new JobFailure(`trainingMode UPDATE is not supported for the recipe ${recipe.name}. ${UPDATE_MODE_RULE}`);
        hyperParameters = { ...hyperParameters, ...from.hyperParameters };
        const fromModel = trainer.load(await deps.models.get(from.artifactKey));
        base = fromModel;
        await next('evaluating');
        const hp = hyperParameters;
        ({ metrics } = await evaluateModel(trainer, data, hp, { signal, train: (d) => trainer.refit!(fromModel, d, hp, signal) }));
      } else if (body.performHPO) {
        // Each candidate is scored on the holdout; the best one's figures are the version's metrics.
        await next('tuning');
        const tuned = await optimizeHyperParameters({
          trainer,
          data,
          recipeArn: body.recipeArn,
          hpo: body.solutionConfig?.hpoConfig,
          base: hyperParameters,
          signal,
        });
        ({ hyperParameters, metrics, model: base } = tuned);
      } else if (trainer.refit) {
        await next('evaluating');
        ({ metrics, model: base } = await evaluateModel(trainer, data, hyperParameters, { signal }));
      }
      // Without metrics yet, a large training's holdout runs in a worker thread meanwhile.
      const hp = hyperParameters;
      await next('training');
      const stopHoldout = new AbortController();
      const holdout =
        !metrics && canEvaluateInWorker(trainer, data)
          ? evaluateInWorker(trainer, data, hp, AbortSignal.any([signal, stopHoldout.signal]))
          : undefined;
      holdout?.catch(() => undefined); // awaited below; a failed training must not leave it unhandled
      let model: Model;
      try {
        model = base && trainer.refit ? await trainer.refit(base, data, hp, signal) : await trainer.train(data, hp, signal);
        if (!metrics) {
          await next('evaluating');
          metrics = holdout ? await holdout : await offlineMetrics(trainer, data, hp, { signal });
        }
      } catch (e) {
        stopHoldout.abort(e);
        throw e;
      }
      await phase('storing');
      const artifact = model.serialize();
      const artifactKey = deps.models.newKey(job.arn, deps.now());
      await deps.models.put(artifactKey, artifact);

      let committed = false;
      const hours = (deps.now() - started) / 3_600_000;
      await ctx.finish(async (tx) => {
        committed = await move(tx, job.arn, 'ACTIVE', {
          phase: undefined,
          artifactKey,
          metrics,
          trainingHours: Math.max(0.001, Math.round(hours * 1000) / 1000),
          hyperParameters: algorithmHyperParameters(body, hyperParameters),
          trainingData: { interactions: counts.interactions, users: counts.users, items: counts.items },
        }).catch(async (e: unknown) => {
          // Stopped while the artifact was written: the stop wins.
          if (!(e instanceof StopRequested)) throw e;
          await stopped(tx, job.arn);
          return false;
        });
      });
      if (!committed) await deps.models.delete([artifactKey]).catch(() => undefined);
      deps.log({
        level: 'info',
        msg: 'training phase',
        ...jobLogFields(job.arn, job.kind),
        worker: ctx.owner,
        phase: committed ? 'done' : 'stopped',
        durationMs: deps.now() - started,
        artifactBytes: artifact.length,
      });
    });
  }

  return {
    kind: SOLUTION_VERSION_KIND.kind,
    phaseMessage: 'training phase',
    async run(job, ctx) {
      // Aborted by the runner (lease lost, worker stopping) or by a stop request seen by the poll.
      const stop = new AbortController();
      const signal = AbortSignal.any([ctx.signal, stop.signal]);
      const poll = setInterval(() => {
        isStopping(job.arn).then(
          (yes) => yes && stop.abort(new StopRequested()),
          () => undefined,
        );
      }, STOP_POLL_MS);
      poll.unref();
      try {
        await run(job, ctx, signal);
      } catch (e) {
        // The runner's own abort (lease lost, worker stopping) is the runner's to handle.
        const stopping =
          !ctx.signal.aborted &&
          (e instanceof StopRequested || stop.signal.aborted || (e instanceof JobFailure && (await isStopping(job.arn))));
        if (stopping) {
          await ctx.finish(async (tx) => void (await stopped(tx, job.arn)));
          deps.log({ level: 'info', msg: 'training phase', ...jobLogFields(job.arn, job.kind), worker: ctx.owner, phase: 'stopped' });
          return;
        }
        throw e;
      } finally {
        clearInterval(poll);
      }
    },
    async fail(tx, arn, reason) {
      await tx.lock(solutionVersionLock(arn));
      const current = await tx.get(arn);
      if (!current || isFinal(SOLUTION_VERSION_STATUSES, current.status)) return;
      // A version being stopped ends stopped, whatever ended its job.
      if (current.status === 'CREATE STOPPING') await stopped(tx, arn);
      else await move(tx, arn, 'CREATE FAILED', { failureReason: reason, phase: undefined });
    },
  };
}
