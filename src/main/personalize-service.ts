// Assembles the service from its parts: catalog, handlers of every resource family, the HTTP
// pipeline. Used by the CLI (`openpersonalize serve`) and by tests that start a real server.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Catalog } from '../catalog/catalog.ts';
import { openCatalog } from '../catalog/open-catalog.ts';
import { controlPlaneRoute, createHttpServer, healthRoute } from '../protocol/http-server.ts';
import { JsonService } from '../protocol/json-protocol.ts';
import { PageTokens } from '../protocol/pagination-token.ts';
import { loadServiceModel } from '../protocol/service-model.ts';
import { datasetGroupOperations } from '../resources/dataset-groups/dataset-group-operations.ts';
import { datasetOperations } from '../resources/datasets/dataset-operations.ts';
import { quotasFor } from '../resources/quotas.ts';
import { schemaOperations } from '../resources/schemas/schema-operations.ts';
import type { ServiceDeps } from '../resources/service-deps.ts';
import { tagOperations } from '../resources/tags/tag-operations.ts';
import { exportJobKind } from '../ingest/export-job-work.ts';
import { importJobKind } from '../ingest/import-job-work.ts';
import { PartStore } from '../ingest/part-store.ts';
import { JobRunner } from '../jobs/job-runner.ts';
import { LocalDirStore } from '../object-store/local-dir-store.ts';
import { openObjectStore } from '../object-store/open-object-store.ts';
import { exportJobOperations } from '../resources/export-jobs/export-job-operations.ts';
import { importJobOperations } from '../resources/import-jobs/import-job-operations.ts';
import { join } from 'node:path';
import type { Config } from './config.ts';

export interface RunningService {
  server: Server;
  catalog: Catalog;
  runner: JobRunner;
  /** e.g. http://127.0.0.1:4580 */
  endpoint: string;
  close(): Promise<void>;
}

export type Logger = (fields: Record<string, unknown>) => void;

export const jsonLogger: Logger = (fields) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);

export async function startService(config: Config, log: Logger = jsonLogger, env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const catalog = await openCatalog(config.databaseUrl, config.dataDir);
  const secret = config.secret ?? (await catalog.putSettingIfAbsent('pagination-secret', randomBytes(32).toString('hex')));
  const objects = openObjectStore(config.objectStore, config.dataDir, env);
  // The datasets' own data: in the data dir by default, in a bucket of its own on S3.
  const parts =
    config.objectStore === 's3'
      ? new PartStore(objects, config.storageBucket, join(config.dataDir, 'cache'))
      : new PartStore(new LocalDirStore(join(config.dataDir, 'storage')), 'parts', join(config.dataDir, 'cache'));
  const now = () => Date.now();
  const workerDeps = { catalog, config, objects, parts, now, log };
  const jobRunner = new JobRunner(catalog, [importJobKind(workerDeps), exportJobKind(workerDeps)], { log, concurrency: config.jobConcurrency, maxAttempts: config.jobMaxAttempts });
  const deps: ServiceDeps = {
    catalog,
    config,
    tokens: new PageTokens(Buffer.from(secret)),
    quotas: quotasFor(config.quotas, config.maxPendingImports),
    now,
    objects,
    parts,
    jobQueued: () => jobRunner.wake(),
  };
  const personalize = new JsonService(loadServiceModel('personalize', '2018-05-22'), {
    ...schemaOperations(deps),
    ...datasetGroupOperations(deps),
    ...datasetOperations(deps),
    ...tagOperations(deps),
    ...importJobOperations(deps),
    ...exportJobOperations(deps),
  });
  const server = createHttpServer({ config, routes: [healthRoute, controlPlaneRoute(personalize)], log });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  await jobRunner.start();
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    server,
    catalog,
    runner: jobRunner,
    endpoint: `http://${host}:${port}`,
    async close() {
      await jobRunner.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await catalog.close();
    },
  };
}
