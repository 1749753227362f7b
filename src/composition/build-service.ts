// Assembles the service from its parts: stores, the families of the registry, the job runner and
// the HTTP routes of the process's role. Used by the CLI (`openpersonalize serve`) and by tests
// that start a real server.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Catalog } from '../catalog/catalog.ts';
import { sqlAccessOf } from '../catalog/sql/sql-catalog.ts';
import { holdCatalogLock } from '../catalog/sqlite/sqlite-process-lock.ts';
import { authPolicyOf, ConfigError, type Config } from '../config/config.ts';
import { consoleRoute } from '../console/console-routes.ts';
import type { PartStore } from '../data/generations/part-store.ts';
import { DatasetReader } from '../data/reader.ts';
import { CellValidator } from '../data/records/cell-validator.ts';
import { SqlRecordStore } from '../data/records/sql-record-store.ts';
import { JobRunner } from '../jobs/job-runner.ts';
import { ORPHAN_MIN_AGE_MS } from '../object-store/blob-area.ts';
import { ServiceMetrics } from '../observability/metrics.ts';
import { metricsRoute, readyRoute } from '../observability/readiness.ts';
import type { PersonalizeHandlers } from '../api/personalize-handlers.ts';
import { mergeHandlers } from '../protocol/handler-types.ts';
import { controlPlaneRoute, createHttpServer, healthRoute, restJsonRoute, type Route } from '../protocol/http-server.ts';
import { JsonService } from '../protocol/json-protocol.ts';
import { PageTokens } from '../protocol/pagination-token.ts';
import { RestJsonService } from '../protocol/rest-json-protocol.ts';
import { ServiceError } from '../protocol/service-error.ts';
import { loadServiceModel } from '../protocol/service-model.ts';
import { eventsOperations } from '../resources/events/events-operations.ts';
import { runtimeOperations } from '../resources/runtime/runtime-operations.ts';
import { quotasFor } from '../resources/shared/quotas.ts';
import { runAutoTraining as autoTrainingRound } from '../resources/solutions/auto-training.ts';
import { runRecommenderSchedules } from '../resources/recommenders/recommender-schedule.ts';
import { RecommenderServing } from '../serving/recommender-serving.ts';
import { updateRecommenders } from '../serving/recommender-updates-work.ts';
import { activeRecommenders } from '../resources/recommenders/active-recommenders.ts';
import type { ServiceDeps } from '../resources/shared/service-deps.ts';
import { CampaignServing } from '../serving/campaign-serving.ts';
import { updateDeployedVersions } from '../serving/model-updates-round.ts';
import { purgeDeletions } from '../resources/dataset-groups/dataset-group-deletion-record.ts';
import { RealTimePersonalization } from '../serving/real-time-personalization.ts';
import { deployedVersionArns } from '../resources/campaigns/deployed-versions.ts';
import { ModelStore } from '../training/model-store.ts';
import { BUILT_IN_TRAINERS } from '../training/models/built-in-trainers.ts';
import type { TrainingDeps } from '../training/solution-version-job-work.ts';
import { FAMILIES, type Family } from './families.ts';
import { sweepAllAreas, type SweepResult } from './orphan-sweeper.ts';
import { ROLES, type RouteName } from './roles.ts';
import { openStores } from './stores.ts';

export interface RunningService {
  server: Server;
  catalog: Catalog;
  runner: JobRunner;
  /** Where the datasets' bulk data is kept. */
  parts: PartStore;
  /** Runs the orphan sweep of every storage area now (as if at `now`). */
  sweepOrphans(now?: number): Promise<SweepResult>;
  /** Creates the automatic solution versions due (as if at `now`); returns their ARNs. */
  runAutoTraining(now?: number): Promise<string[]>;
  /** Makes the automatic two-hourly model updates due (as if at `now`, rule 121); returns the versions updated. */
  runModelUpdates(now?: number): Promise<string[]>;
  /**
   * The recommenders' schedules (as if at `now`): weekly retraining and Trending now's two-hourly
   * re-evaluation queued (their model ARNs), the personalised use cases' two-hourly updates made.
   */
  runRecommenderRounds(now?: number): Promise<{ queued: string[]; updated: string[] }>;
  /** e.g. http://127.0.0.1:4580 */
  endpoint: string;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** The service's clock (epoch ms): resources' timed states, jobs, leases. Default Date.now. */
  now?: () => number;
  /** The job runner claims nothing by itself; jobs run when a test calls runner.drain(). */
  manualJobs?: boolean;
}

/** How long a node trusts what it read of a group's datasets and a solution's newest version before reading again. */
const SERVING_REVALIDATE_MS = 1000;

/** The bound of a node's loaded models (by artifact bytes). */
const MODEL_CACHE_BYTES = 1024 * 1024 * 1024;

/** How often a node that runs jobs looks for automatic trainings that are due. */
const AUTO_TRAINING_POLL_MS = 60_000;

export type Logger = (fields: Record<string, unknown>) => void;

export const jsonLogger: Logger = (fields) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);

export async function startService(
  config: Config,
  log: Logger = jsonLogger,
  env: NodeJS.ProcessEnv = process.env,
  options: ServiceOptions = {},
): Promise<RunningService> {
  const releaseLock = holdCatalogLock(config);
  const stores = await openStores(config, env).catch((e: unknown) => {
    releaseLock();
    throw e;
  });
  const { catalog, objects, parts, areas } = stores;
  const role = ROLES[config.role];
  const now = options.now ?? (() => Date.now());
  const secret = config.secret ?? (await catalog.putSettingIfAbsent('pagination-secret', randomBytes(32).toString('hex')));
  const model = loadServiceModel('personalize', '2018-05-22');
  const eventsModel = loadServiceModel('personalize-events', '2018-03-22');
  const runtimeModel = loadServiceModel('personalize-runtime', '2018-05-22');
  // Individually put records (personalize-events), kept in the catalog database apart from bulk data.
  const records = new SqlRecordStore(sqlAccessOf(catalog));
  const reader = new DatasetReader(catalog, parts, records);
  const validator = new CellValidator();

  const metrics = new ServiceMetrics(
    catalog,
    new Set(Object.keys(model.operations)),
    () => runner.activeJobs,
    (method, path) => events.resolve(method, path) ?? runtime.resolve(method, path),
  );
  // Trained models' artifacts: the modelArtifacts area, cached beside the dataset parts when remote.
  const models = new ModelStore(areas.modelArtifacts, join(config.dataDir, 'cache'));
  const workerDeps: TrainingDeps = {
    catalog,
    config,
    objects,
    parts,
    reader,
    records,
    now,
    log,
    observe: metrics,
    models,
    // Built-in recipe ARNs are arn:aws:personalize:::recipe/<name>.
    trainerFor: (recipeArn) => BUILT_IN_TRAINERS.get(recipeArn.slice(recipeArn.lastIndexOf('/') + 1)),
  };
  const allKinds = (FAMILIES as readonly Family[]).flatMap((f) => f.jobs?.(workerDeps) ?? []);
  const unknown = config.jobKinds?.filter((k) => !allKinds.some((j) => j.kind === k)) ?? [];
  if (unknown.length > 0) {
    await Promise.all([records.close(), validator.close()]);
    await catalog.close();
    releaseLock();
    throw new ConfigError(
      `OPENPERSONALIZE_JOB_KINDS names unknown job kinds: ${unknown.join(', ')} (known: ${allKinds.map((k) => k.kind).join(', ')})`,
    );
  }
  const kinds = allKinds.filter((k) => !config.jobKinds || config.jobKinds.includes(k.kind));
  const runner = new JobRunner(catalog, role.runsJobs ? kinds : [], {
    log,
    now,
    manual: options.manualJobs,
    concurrency: config.jobConcurrency,
    maxAttempts: config.jobMaxAttempts,
    leaseMs: config.jobLeaseMs,
    observe: metrics,
  });
  const deps: ServiceDeps = {
    catalog,
    config,
    objects,
    parts,
    models,
    now,
    tokens: new PageTokens(Buffer.from(secret)),
    quotas: quotasFor(config.quotas, config.maxPendingImports),
    // A node that runs no jobs only enqueues: the workers poll the shared queue.
    jobQueued: () => (role.runsJobs ? runner.wake() : undefined),
  };
  const handlers: PersonalizeHandlers = mergeHandlers(...FAMILIES.map((f) => f.handlers(deps)));
  const personalize = new JsonService(model, handlers);
  const events = new RestJsonService(eventsModel, eventsOperations({ catalog, records, validator, now }));
  // The serving plane: campaigns' models and their groups' data, cached on this node.
  const serving = new CampaignServing({
    catalog,
    reader,
    records,
    config,
    now,
    log,
    models,
    trainerFor: workerDeps.trainerFor,
    revalidateMs: SERVING_REVALIDATE_MS,
    modelCacheBytes: MODEL_CACHE_BYTES,
  });
  const personalization = new RealTimePersonalization({
    catalog,
    reader,
    parts,
    records,
    config,
    now,
    log,
    models,
    revalidateMs: SERVING_REVALIDATE_MS,
  });
  const recommenders = new RecommenderServing({ catalog, models, campaigns: serving, now, log });
  const runtime = new RestJsonService(runtimeModel, runtimeOperations({ catalog, now, serving, personalization, recommenders }));

  let draining = false;
  const probeBucket = config.objectStore === 's3' ? config.storageBucket : 'parts';
  const routeOf: Record<RouteName, () => Route> = {
    health: () => healthRoute,
    ready: () => readyRoute({ catalog, objects, probeBucket, draining: () => draining }),
    metrics: () => metricsRoute(metrics),
    console: () =>
      consoleRoute({
        catalog,
        config,
        objects,
        reader,
        records,
        now,
        secret,
        // try-it: the runtime API's own pipeline (its errors with the runtime API's HTTP statuses,
        // e.g. 404 for ResourceNotFoundException, where the control plane answers 400), and the
        // Items rows serving reads.
        runtime: {
          invoke: (operation, body, ctx) =>
            runtime.invoke(operation, body, ctx).catch((e: unknown) => {
              throw e instanceof ServiceError ? new ServiceError(e.code, e.message, runtime.statusOf(e)) : e;
            }),
          items: (groupArn, account, region) => serving.dataOf(groupArn, account, region).items(),
        },
      }),
    personalize: () => controlPlaneRoute(personalize),
    'personalize-events': () => restJsonRoute(events),
    'personalize-runtime': () => restJsonRoute(runtime),
  };
  const routes = role.routes.map((r) => routeOf[r]());
  const server = createHttpServer({
    auth: authPolicyOf(config),
    maxRequestBytes: config.maxRequestBytes,
    routes,
    log,
    observe: metrics.observeRequest,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });

  const sweepOrphans = (at = now()) => sweepAllAreas(catalog, areas, FAMILIES, at);
  const sweep = () =>
    sweepOrphans()
      .then(
        (r) => {
          const deleted = Object.values(r).reduce((n, a) => n + a.deleted.length, 0);
          if (deleted > 0)
            log({
              level: 'info',
              msg: 'deleted orphan blobs',
              parts: r.datasetParts.deleted.length,
              models: r.modelArtifacts.deleted.length,
            });
        },
        (e: unknown) => log({ level: 'warn', msg: 'orphan sweep failed', error: String(e) }),
      )
      .then(() =>
        // With it, the dataset groups' deletion records whose DELETE PENDING time is over.
        purgeDeletions(catalog, now()).catch((e: unknown) =>
          log({ level: 'warn', msg: 'deletion records purge failed', error: String(e) }),
        ),
      );
  const runAutoTraining = (at = now()) => autoTrainingRound(deps, (datasetArn) => records.count(datasetArn), at);
  const runRecommenderRounds = async (at = now()) => ({
    queued: await runRecommenderSchedules(deps, (datasetArn) => records.count(datasetArn), at),
    updated: await updateRecommenders({ catalog, reader, records, config, models, log }, await activeRecommenders(catalog, at), at),
  });
  const runModelUpdates = async (at = now()) =>
    updateDeployedVersions({ catalog, reader, records, config, models, log }, await deployedVersionArns(catalog, at), at);
  let sweeper: NodeJS.Timeout | undefined;
  let autoTrainer: NodeJS.Timeout | undefined;
  if (role.runsJobs) {
    await runner.start();
    // Nodes that run jobs also sweep what crashed jobs left behind: at start, then hourly.
    sweeper = setInterval(sweep, ORPHAN_MIN_AGE_MS);
    sweeper.unref();
    void sweep();
    // And create the solutions' automatic versions when due; with manual jobs only when a test asks.
    if (!options.manualJobs) {
      autoTrainer = setInterval(() => {
        void runAutoTraining().catch((e: unknown) => log({ level: 'warn', msg: 'automatic training failed', error: String(e) }));
        void runModelUpdates().catch((e: unknown) => log({ level: 'warn', msg: 'automatic model updates failed', error: String(e) }));
        void runRecommenderRounds().catch((e: unknown) => log({ level: 'warn', msg: 'recommender schedules failed', error: String(e) }));
      }, AUTO_TRAINING_POLL_MS);
      autoTrainer.unref();
    }
  }
  log({
    level: 'info',
    msg: 'service started',
    role: config.role,
    worker: role.runsJobs ? runner.owner : undefined,
    jobKinds: role.runsJobs ? kinds.map((k) => k.kind) : [],
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    server,
    catalog,
    runner,
    parts,
    sweepOrphans,
    runAutoTraining,
    runModelUpdates,
    runRecommenderRounds,
    endpoint: `http://${host}:${port}`,
    async close() {
      draining = true;
      clearInterval(sweeper);
      clearInterval(autoTrainer);
      await runner.stop(config.shutdownGraceMs);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await records.close();
      await validator.close();
      await catalog.close();
      releaseLock();
    },
  };
}
