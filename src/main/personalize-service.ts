// Assembles the service from its parts: catalog, handlers of every resource family, the HTTP
// pipeline. Used by the CLI (`openpersonalize serve`) and by tests that start a real server.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Catalog } from '../catalog/catalog.ts';
import { openCatalog } from '../catalog/open-catalog.ts';
import { createHttpServer } from '../protocol/http-server.ts';
import { JsonService } from '../protocol/json-protocol.ts';
import { PageTokens } from '../protocol/pagination-token.ts';
import { loadServiceModel } from '../protocol/service-model.ts';
import { datasetGroupOperations } from '../resources/dataset-groups/dataset-group-operations.ts';
import { datasetOperations } from '../resources/datasets/dataset-operations.ts';
import { quotasFor } from '../resources/quotas.ts';
import { schemaOperations } from '../resources/schemas/schema-operations.ts';
import type { ServiceDeps } from '../resources/service-deps.ts';
import { tagOperations } from '../resources/tags/tag-operations.ts';
import type { Config } from './config.ts';

export interface RunningService {
  server: Server;
  catalog: Catalog;
  /** e.g. http://127.0.0.1:4580 */
  endpoint: string;
  close(): Promise<void>;
}

export type Logger = (fields: Record<string, unknown>) => void;

export const jsonLogger: Logger = (fields) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);

export async function startService(config: Config, log: Logger = jsonLogger): Promise<RunningService> {
  const catalog = await openCatalog(config.databaseUrl, config.dataDir);
  const secret = config.secret ?? (await catalog.putSettingIfAbsent('pagination-secret', randomBytes(32).toString('hex')));
  const deps: ServiceDeps = {
    catalog,
    config,
    tokens: new PageTokens(Buffer.from(secret)),
    quotas: quotasFor(config.quotas),
    now: () => Date.now(),
  };
  const personalize = new JsonService(loadServiceModel('personalize', '2018-05-22'), {
    ...schemaOperations(deps),
    ...datasetGroupOperations(deps),
    ...datasetOperations(deps),
    ...tagOperations(deps),
  });
  const server = createHttpServer({ config, personalize, log });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    server,
    catalog,
    endpoint: `http://${host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await catalog.close();
    },
  };
}
