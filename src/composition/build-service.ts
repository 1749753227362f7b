// Assembles the service from its parts: catalog, handlers of every resource family, the HTTP
// pipeline. Used by the CLI (`openpersonalize serve`) and by tests that start a real server.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Catalog } from '../catalog/catalog.ts';
import { openCatalog } from '../catalog/open-catalog.ts';
import { consoleRoute } from '../console/console-routes.ts';
import { controlPlaneRoute, createHttpServer, healthRoute, restJsonRoute } from '../protocol/http-server.ts';
import { RestJsonService } from '../protocol/rest-json-protocol.ts';
import { sqlAccessOf } from '../catalog/sql/sql-catalog.ts';
import { CellValidator } from '../data/records/cell-validator.ts';
import { eventsOperations } from '../resources/events/events-operations.ts';
import { SqlRecordStore } from '../data/records/sql-record-store.ts';
import { eventTrackerOperations } from '../resources/event-trackers/event-tracker-operations.ts';
import { JsonService } from '../protocol/json-protocol.ts';
import { PageTokens } from '../protocol/pagination-token.ts';
import { loadServiceModel } from '../protocol/service-model.ts';
import { datasetGroupOperations } from '../resources/dataset-groups/dataset-group-operations.ts';
import { datasetOperations } from '../resources/datasets/dataset-operations.ts';
import { quotasFor } from '../resources/shared/quotas.ts';
import { schemaOperations } from '../resources/schemas/schema-operations.ts';
import type { ServiceDeps } from '../resources/shared/service-deps.ts';
import { tagOperations } from '../resources/tags/tag-operations.ts';
import { exportJobKind } from '../data/jobs/export-job-work.ts';
import { importJobKind } from '../data/jobs/import-job-work.ts';
import { dataDeletionJobKind } from '../data/jobs/data-deletion-job-work.ts';
import { dataDeletionJobOperations } from '../resources/data-deletion-jobs/data-deletion-job-operations.ts';
import { PartStore } from '../data/generations/part-store.ts';
import { collectOrphanParts, ORPHAN_MIN_AGE_MS } from '../data/generations/part-garbage-collector.ts';
import { JobRunner } from '../jobs/job-runner.ts';
import { LocalDirStore } from '../object-store/local-dir-store.ts';
import { openObjectStore } from '../object-store/open-object-store.ts';
import { exportJobOperations } from '../resources/export-jobs/export-job-operations.ts';
import { importJobOperations } from '../resources/import-jobs/import-job-operations.ts';
import { metricAttributionOperations } from '../resources/metric-attributions/metric-attribution-operations.ts';
import { join } from 'node:path';
import { authPolicyOf, type Config } from '../config/config.ts';
import { holdCatalogLock } from '../catalog/sqlite/sqlite-process-lock.ts';
import { ServiceMetrics } from '../observability/metrics.ts';
import { metricsRoute, readyRoute } from '../observability/readiness.ts';

export interface RunningService {
  server: Server;
  catalog: Catalog;
  runner: JobRunner;
  /** Where the datasets' bulk data is kept. */
  parts: PartStore;
  /** e.g. http://127.0.0.1:4580 */
  endpoint: string;
  close(): Promise<void>;
}

export type Logger = (fields: Record<string, unknown>) => void;

export const jsonLogger: Logger = (fields) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);

export async function startService(config: Config, log: Logger = jsonLogger, env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const releaseLock = holdCatalogLock(config);
  const catalog = await openCatalog(config.databaseUrl, config.dataDir).catch((e: unknown) => {
    releaseLock();
    throw e;
  });
  const secret = config.secret ?? (await catalog.putSettingIfAbsent('pagination-secret', randomBytes(32).toString('hex')));
  const objects = openObjectStore(config.objectStore, config.dataDir, env);
  // The datasets' own data: in the data dir by default, in a bucket of its own on S3.
  const parts =
    config.objectStore === 's3'
      ? new PartStore(objects, config.storageBucket, join(config.dataDir, 'cache'))
      : new PartStore(new LocalDirStore(join(config.dataDir, 'storage')), 'parts', join(config.dataDir, 'cache'));
  const now = () => Date.now();
  const model = loadServiceModel('personalize', '2018-05-22');
  const metrics = new ServiceMetrics(catalog, new Set(Object.keys(model.operations)), () => jobRunner.activeJobs, (method, path) => events.resolve(method, path));
  const workerDeps = { catalog, config, objects, parts, now, log, observe: metrics };
  // Individually put records (personalize-events), kept in the catalog database apart from bulk data.
  const records = new SqlRecordStore(sqlAccessOf(catalog));
  const validator = new CellValidator();
  const jobRunner = new JobRunner(catalog, [importJobKind(workerDeps), exportJobKind({ ...workerDeps, records }), dataDeletionJobKind({ ...workerDeps, records })], {
    log, concurrency: config.jobConcurrency, maxAttempts: config.jobMaxAttempts, leaseMs: config.jobLeaseMs, observe: metrics,
  });
  const runsJobs = config.role !== 'api';
  const deps: ServiceDeps = {
    catalog,
    config,
    tokens: new PageTokens(Buffer.from(secret)),
    quotas: quotasFor(config.quotas, config.maxPendingImports),
    now,
    objects,
    parts,
    // An api node only enqueues: the workers poll the shared queue.
    jobQueued: () => (runsJobs ? jobRunner.wake() : undefined),
  };
  const personalize = new JsonService(model, {
    ...schemaOperations(deps),
    ...datasetGroupOperations(deps),
    ...datasetOperations(deps),
    ...tagOperations(deps),
    ...importJobOperations(deps),
    ...dataDeletionJobOperations(deps),
    ...exportJobOperations(deps),
    ...metricAttributionOperations(deps),
    ...eventTrackerOperations(deps),
  });
  const events = new RestJsonService(loadServiceModel('personalize-events', '2018-03-22'), eventsOperations({ catalog, records, validator, now }));
  let draining = false;
  const probeBucket = config.objectStore === 's3' ? config.storageBucket : 'parts';
  // Every node, a worker too, answers health, readiness and metrics; a worker nothing else.
  const opsRoutes = [healthRoute, readyRoute({ catalog, objects, probeBucket, draining: () => draining }), metricsRoute(metrics)];
  const routes = config.role === 'worker' ? opsRoutes : [...opsRoutes, consoleRoute({ catalog, config, objects, parts, records, now, secret }), controlPlaneRoute(personalize), restJsonRoute(events)];
  const server = createHttpServer({ auth: authPolicyOf(config), maxRequestBytes: config.maxRequestBytes, routes, log, observe: metrics.observeRequest });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  if (runsJobs) await jobRunner.start();
  // Nodes that run jobs also sweep parts that crashed jobs left behind: at start, then hourly.
  const sweep = () =>
    collectOrphanParts({ catalog, parts, now: now() }).then(
      (r) => r.deleted.length > 0 && log({ level: 'info', msg: 'deleted orphan dataset parts', parts: r.deleted.length }),
      (e: unknown) => log({ level: 'warn', msg: 'orphan part sweep failed', error: String(e) }),
    );
  const sweeper = runsJobs ? setInterval(sweep, ORPHAN_MIN_AGE_MS) : undefined;
  sweeper?.unref();
  if (runsJobs) void sweep();
  log({ level: 'info', msg: 'service started', role: config.role, worker: runsJobs ? jobRunner.owner : undefined });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    server,
    catalog,
    runner: jobRunner,
    parts,
    endpoint: `http://${host}:${port}`,
    async close() {
      draining = true;
      clearInterval(sweeper);
      await jobRunner.stop(config.shutdownGraceMs);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await records.close();
      await validator.close();
      await catalog.close();
      releaseLock();
    },
  };
}
