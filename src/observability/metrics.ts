// Prometheus metrics at GET /metrics, through prom-client (the de-facto Node client). One
// registry per service, not prom-client's global one, so that several services in one process
// (tests) do not mix their numbers.
//
// Two sorts of numbers:
// * this process's own: request latency by operation, job runs by outcome and their duration,
//   import rows (sum them over all nodes: `sum(rate(openpersonalize_import_rows_total[5m]))`
//   is the cluster's import rows/s);
// * the cluster's, read from the catalog at each scrape: jobs by state and the queue depth. Every
//   node reports the same values, so aggregate them with max(), not sum().
import type { IncomingMessage } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Catalog } from '../catalog/catalog.ts';
import { jobKinds } from '../resources/shared/resource-kind.ts';

/** What the job runner and the job work report. */
export interface JobObserver {
  /** outcome: completed (the work recorded ACTIVE or a failure), handed_over, gave_up, error. */
  jobEnded(kind: string, outcome: string, seconds: number): void;
  importCommitted(rows: number, seconds: number): void;
}

/** The kinds of job, as the families' record files declare them: asked at each scrape, when every family is loaded. */
const jobKindNames = () => jobKinds().map((d) => d.kind);

const CONTROL_PLANE_TARGET = /^AmazonPersonalize\.([A-Za-z]+)$/;

export class ServiceMetrics implements JobObserver {
  readonly registry = new Registry();
  private readonly requests: Histogram<'operation' | 'code'>;
  private readonly jobRuns: Counter<'kind' | 'outcome'>;
  private readonly jobSeconds: Histogram<'kind'>;
  private readonly importRows: Counter;
  private readonly lastImportRate: Gauge;

  /**
   * operations: the names the control plane knows; any other X-Amz-Target is labelled 'unknown'
   * so that a client cannot grow the label set without bound.
   */
  constructor(
    catalog: Catalog,
    private readonly operations: ReadonlySet<string>,
    activeJobs: () => number,
    /** The operation of a rest-json API (personalize-events) that a method and path name, if any. */
    private readonly restOperation: (method: string, path: string) => string | undefined = () => undefined,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'openpersonalize_' });
    this.requests = new Histogram({
      name: 'openpersonalize_request_duration_seconds',
      help: 'HTTP request latency by operation (control-plane operation name, or the path of other routes) and status code',
      labelNames: ['operation', 'code'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.jobRuns = new Counter({
      name: 'openpersonalize_job_runs_total',
      help: 'Job runs in this process by kind and outcome',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    this.jobSeconds = new Histogram({
      name: 'openpersonalize_job_duration_seconds',
      help: 'Duration of job runs in this process that completed',
      labelNames: ['kind'],
      buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    });
    this.importRows = new Counter({
      name: 'openpersonalize_import_rows_total',
      help: 'Rows committed by import jobs in this process',
      registers,
    });
    this.lastImportRate = new Gauge({
      name: 'openpersonalize_import_last_rows_per_second',
      help: 'Rows per second of the last import job this process committed',
      registers,
    });
    new Gauge({
      name: 'openpersonalize_worker_active_jobs',
      help: 'Jobs this process is running now',
      registers,
      collect() {
        this.set(activeJobs());
      },
    });
    new Gauge({
      name: 'openpersonalize_jobs',
      help: 'Jobs in the catalog by kind and state (cluster-wide: aggregate with max)',
      labelNames: ['kind', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const r of await catalog.countByStatus(jobKindNames())) this.set({ kind: r.kind, state: r.status ?? 'none' }, r.count);
      },
    });
    new Gauge({
      name: 'openpersonalize_job_queue_depth',
      help: 'Queued jobs by kind: waiting for a worker, or leased by one (cluster-wide: aggregate with max)',
      labelNames: ['kind', 'state'],
      registers,
      async collect() {
        this.reset();
        const now = Date.now();
        for (const kind of jobKindNames()) for (const state of ['waiting', 'leased']) this.set({ kind, state }, 0);
        for (const job of await catalog.listQueuedJobs()) {
          const leased = job.owner !== null && (job.leaseExpiresAt ?? 0) >= now;
          this.inc({ kind: job.kind, state: leased ? 'leased' : 'waiting' });
        }
      },
    });
  }

  /** For HttpDeps.observe: one observation per answered request. */
  observeRequest = (req: IncomingMessage, status: number, seconds: number): void => {
    this.requests.observe({ operation: this.operationOf(req), code: String(status) }, seconds);
  };

  private operationOf(req: IncomingMessage): string {
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') {
      const name = CONTROL_PLANE_TARGET.exec(target)?.[1];
      return name && this.operations.has(name) ? name : 'unknown';
    }
    const path = (req.url ?? '/').split('?')[0];
    if (['/health', '/ready', '/metrics'].includes(path)) return `GET ${path}`;
    if (path === '/console' || path.startsWith('/console/')) return 'console';
    return this.restOperation(req.method ?? 'GET', path) ?? 'unknown';
  }

  jobEnded(kind: string, outcome: string, seconds: number): void {
    this.jobRuns.inc({ kind, outcome });
    if (outcome === 'completed') this.jobSeconds.observe({ kind }, seconds);
  }

  importCommitted(rows: number, seconds: number): void {
    this.importRows.inc(rows);
    if (seconds > 0) this.lastImportRate.set(rows / seconds);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
