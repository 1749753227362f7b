// How jobs run, apart from what they do (as Temporal and pg-boss separate them): claim a job
// from the catalog's queue under a lease, keep the lease alive while the work runs, and make
// sure every job ends in a recorded outcome — by its work, or, when the work keeps dying with
// its process, by giving up after maxAttempts with a reason that says so.
import { randomUUID } from 'node:crypto';
import type { Catalog, CatalogOps, JobQueue, QueuedJob, ResourceKind } from '../catalog/catalog.ts';
import { JobFailure } from './job-failure.ts';

export class LeaseLostError extends Error {
  constructor(arn: string) {
    super(`lost the lease on ${arn}: another worker took the job over`);
  }
}

export interface JobContext {
  readonly owner: string;
  readonly attempt: number;
  /** Aborted when the runner stops or the lease is lost; long work should check it. */
  readonly signal: AbortSignal;
  /**
   * Records the job's outcome: runs fn in one transaction together with removing the job from
   * the queue. Throws LeaseLostError (and commits nothing) if another worker took the job over.
   */
  finish(fn: (tx: CatalogOps) => Promise<void>): Promise<void>;
}

/**
 * What a kind of job does. `run` ends by calling ctx.finish with the job's outcome, or throws a
 * JobFailure, which the runner records through `fail` (its message is the failureReason).
 */
export interface JobKind {
  kind: ResourceKind;
  /**
   * The message of the work's own phase log lines (e.g. 'import phase'): when the work fails the
   * job with a JobFailure, the runner adds that stream's last line, phase 'failed' with the reason.
   */
  phaseMessage?: string;
  run(job: QueuedJob, ctx: JobContext): Promise<void>;
  fail(tx: CatalogOps, arn: string, reason: string): Promise<void>;
}

export interface JobRunnerOptions {
  owner?: string;
  leaseMs?: number;
  pollMs?: number;
  maxAttempts?: number;
  concurrency?: number;
  log?: (fields: Record<string, unknown>) => void;
  now?: () => number;
  /** Told how each run ended (metrics). */
  observe?: { jobEnded(kind: string, outcome: string, seconds: number): void };
  /**
   * Never claims a job by itself: jobs run only when drain() is called. For tests that must see
   * a job before it runs (CREATE PENDING) or control when it runs.
   */
  manual?: boolean;
}

/**
 * The fields every log line about a job carries (job ARN, kind, account, region), so that one
 * job's lines can be found across workers. ARN: arn:aws:personalize:REGION:ACCOUNT:TYPE/NAME.
 */
export function jobLogFields(arn: string, kind?: string): Record<string, unknown> {
  const [, , , region, account] = arn.split(':');
  return { job: arn, ...(kind ? { kind } : {}), account, region };
}

/** After aborting its jobs, how long stop() waits for them before handing them back anyway. */
const ABORT_WAIT_MS = 2000;

export class JobRunner {
  readonly owner: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private readonly concurrency: number;
  private readonly log: (fields: Record<string, unknown>) => void;
  private readonly now: () => number;
  private readonly observe: JobRunnerOptions['observe'];
  private readonly manual: boolean;
  private readonly kinds: Map<ResourceKind, JobKind>;
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private pumpAgain = false;

  constructor(
    /** The queue, and the catalog's transactions that a job's outcome commits in. */
    private readonly catalog: JobQueue & Pick<Catalog, 'transaction' | 'capabilities'>,
    kinds: JobKind[],
    options: JobRunnerOptions = {},
  ) {
    this.owner = options.owner ?? `worker-${randomUUID()}`;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 250;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.concurrency = options.concurrency ?? 2;
    this.log = options.log ?? (() => {});
    this.now = options.now ?? Date.now;
    this.observe = options.observe;
    this.manual = options.manual ?? false;
    this.kinds = new Map(kinds.map((k) => [k.kind, k]));
  }

  /**
   * Starts polling. On a single-process catalog every lease left from before must belong to a
   * process that died, so those jobs are taken over at once instead of after their lease ends.
   */
  async start(): Promise<void> {
    if (!this.catalog.capabilities.multiProcess) {
      const n = await this.catalog.expireAllLeases();
      if (n > 0) this.log({ level: 'warn', msg: 'taking over jobs interrupted by a previous stop', jobs: n, worker: this.owner });
    }
    if (this.manual) return;
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.wake();
  }

  /**
   * Runs every job (of `kinds`, default all this runner runs) that can be claimed now, and those
   * they make claimable, until none is left; waits only for the jobs it started itself (pg-boss's
   * supervise(), for tests). With `manual` this is the only way jobs run.
   */
  async drain(kinds?: ResourceKind[]): Promise<void> {
    for (;;) {
      const started = await this.pump(kinds);
      if (started.length === 0) return;
      await Promise.all(started);
    }
  }

  /** Looks for work now (called after a job is enqueued in this process). */
  wake(): void {
    if (this.stopping || this.manual) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    this.pump()
      .catch((e: unknown) => this.log({ level: 'error', msg: 'job claim failed', error: String(e) }))
      .finally(() => {
        this.pumping = false;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.wake();
        }
      });
  }

  /** Claims jobs while there is room; returns the runs it started. */
  private async pump(kinds: ResourceKind[] = [...this.kinds.keys()]): Promise<Promise<void>[]> {
    const started: Promise<void>[] = [];
    while (!this.stopping && this.running.size < this.concurrency) {
      const job = await this.catalog.claimJob(this.owner, kinds, this.leaseMs, this.now());
      if (!job) break;
      const abort = new AbortController();
      const done = this.execute(job, abort).finally(() => {
        this.running.delete(job.arn);
        this.wake();
      });
      this.running.set(job.arn, { abort, done });
      started.push(done);
    }
    return started;
  }

  private async execute(job: QueuedJob, abort: AbortController): Promise<void> {
    const kind = this.kinds.get(job.kind)!;
    const started = this.now();
    const fields = { ...jobLogFields(job.arn, job.kind), worker: this.owner, attempt: job.attempts };
    const ended = (outcome: string) => {
      const durationMs = this.now() - started;
      this.observe?.jobEnded(job.kind, outcome, durationMs / 1000);
      return { ...fields, outcome, durationMs };
    };
    const heartbeat = setInterval(
      () => {
        this.catalog.renewLease(job.arn, this.owner, this.leaseMs, this.now()).then(
          (held) => held || abort.abort(new LeaseLostError(job.arn)),
          (e: unknown) => this.log({ level: 'warn', msg: 'lease renewal failed', ...fields, error: String(e) }),
        );
      },
      Math.max(50, Math.floor(this.leaseMs / 3)),
    );
    const ctx: JobContext = {
      owner: this.owner,
      attempt: job.attempts,
      signal: abort.signal,
      finish: (fn) => this.finish(job.arn, fn),
    };
    try {
      if (job.attempts > this.maxAttempts) {
        await this.finish(job.arn, (tx) =>
          kind.fail(
            tx,
            job.arn,
            `The job was interrupted ${job.attempts - 1} times (the service stopped or crashed while it ran) and was not retried again.`,
          ),
        );
        this.log({ level: 'warn', msg: 'job given up', ...ended('gave_up') });
        return;
      }
      this.log({ level: 'info', msg: 'job started', ...fields });
      await kind.run(job, ctx);
      this.log({ level: 'info', msg: 'job ended', ...ended('completed') });
    } catch (e) {
      if (e instanceof JobFailure) {
        // The work's own verdict (bad data, a bucket that is gone): the job fails with its words.
        if (kind.phaseMessage) this.log({ level: 'info', msg: kind.phaseMessage, ...fields, phase: 'failed', reason: e.message });
        await this.finish(job.arn, (tx) => kind.fail(tx, job.arn, e.message)).then(
          () => this.log({ level: 'info', msg: 'job ended', ...ended('failed'), reason: e.message }),
          (e2: unknown) => this.log({ level: 'warn', msg: 'job handed over', ...ended('handed_over'), reason: String(e2) }),
        );
        return;
      }
      if (e instanceof LeaseLostError || this.stopping) {
        this.log({ level: 'warn', msg: 'job handed over', ...ended('handed_over'), reason: String(e) });
        return;
      }
      this.log({ level: 'error', msg: 'job failed unexpectedly', ...ended('error'), error: e instanceof Error ? e.stack : String(e) });
      await this.finish(job.arn, (tx) =>
        kind.fail(tx, job.arn, `Internal error while running the job: ${e instanceof Error ? e.message : String(e)}`),
      ).catch((e2: unknown) => this.log({ level: 'error', msg: 'could not record job failure', ...fields, error: String(e2) }));
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async finish(arn: string, fn: (tx: CatalogOps) => Promise<void>): Promise<void> {
    await this.catalog.transaction(async (tx) => {
      if (!(await tx.finishJob(arn, this.owner))) throw new LeaseLostError(arn);
      await fn(tx);
    });
  }

  /**
   * Stops claiming, lets running jobs finish for up to graceMs, then aborts them and hands
   * their jobs back to the queue so another worker (or the next start) runs them. Bounded: a
   * job whose work does not notice the abort (a long DuckDB statement) is handed back after
   * ABORT_WAIT_MS all the same. That is safe: once released, the job's owner is no longer this
   * worker, so the work's eventual finish() fails with LeaseLostError and commits nothing.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    const settled = (ms: number) =>
      Promise.race([
        Promise.all([...this.running.values()].map((r) => r.done)).then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref()),
      ]);
    if (await settled(graceMs)) return;
    const left = [...this.running.entries()];
    for (const [, r] of left) r.abort.abort(new Error('worker stopping'));
    await settled(ABORT_WAIT_MS);
    for (const [arn] of left) {
      await this.catalog.releaseJob(arn, this.owner).then(
        // Not released: the aborted run did not notice in time and committed the job (or lost it).
        (released) =>
          released && this.log({ level: 'info', msg: 'job handed back to the queue', ...jobLogFields(arn), worker: this.owner }),
        (e: unknown) =>
          this.log({
            level: 'warn',
            msg: 'could not hand the job back; it is taken over when its lease ends',
            ...jobLogFields(arn),
            error: String(e),
          }),
      );
    }
  }

  get activeJobs(): number {
    return this.running.size;
  }
}
