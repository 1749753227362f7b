// GET /ready and GET /metrics, served by every node (a worker too, on its PORT). /health (in
// http-server.ts) says the process runs; /ready says it can do its work now: the catalog and the
// object store answer, and it is not shutting down. A load balancer or Kubernetes readiness probe
// takes a node out of rotation on 503 without restarting it.
import type { Catalog } from '../catalog/catalog.ts';
import type { ObjectStore } from '../object-store/object-store.ts';
import { ObjectStoreError } from '../object-store/object-store.ts';
import type { Route } from '../protocol/http-server.ts';
import type { ServiceMetrics } from './metrics.ts';

const CHECK_TIMEOUT_MS = 3000;

export interface ReadinessDeps {
  catalog: Catalog;
  objects: ObjectStore;
  /** The bucket the probe looks into (the datasets' storage bucket on S3). */
  probeBucket: string;
  /** True once the process has begun to shut down. */
  draining: () => boolean;
}

function withTimeout<T>(what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** One check: 'ok' or the reason it failed. */
async function check(what: string, fn: () => Promise<unknown>): Promise<string> {
  try {
    await withTimeout(what, fn());
    return 'ok';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export async function readiness(deps: ReadinessDeps): Promise<{ ready: boolean; checks: Record<string, string> }> {
  const [catalog, objectStore] = await Promise.all([
    check('the catalog', () => deps.catalog.getSetting('readiness-probe')),
    check('the object store', async () => {
      try {
        await deps.objects.head(deps.probeBucket, '.openpersonalize-readiness-probe');
      } catch (e) {
        // The store answered; a bucket not created yet (it is, at the first write) is no outage.
        if (!(e instanceof ObjectStoreError && e.reason === 'no-bucket')) throw e;
      }
    }),
  ]);
  const checks: Record<string, string> = { catalog, objectStore };
  if (deps.draining()) checks.shutdown = 'shutting down';
  return { ready: Object.values(checks).every((v) => v === 'ok'), checks };
}

const json = (status: number, value: unknown) => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

export function readyRoute(deps: ReadinessDeps): Route {
  return (call) => {
    if (call.method !== 'GET' || call.rawPath !== '/ready') return undefined;
    return readiness(deps).then((r) => json(r.ready ? 200 : 503, { status: r.ready ? 'ready' : 'not ready', checks: r.checks }));
  };
}

export function metricsRoute(metrics: ServiceMetrics): Route {
  return (call) => {
    if (call.method !== 'GET' || call.rawPath !== '/metrics') return undefined;
    return metrics.render().then((m) => ({ status: 200, headers: { 'content-type': m.contentType }, body: m.body }));
  };
}
