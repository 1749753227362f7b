// Graceful shutdown of the job runner: stop() is bounded even when a job's work ignores the abort,
// the job goes back to the queue (not counted as an attempt), and the abandoned run can commit nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openCatalog } from '../../src/catalog/open-catalog.ts';
import { JobRunner, LeaseLostError, type JobContext, type JobKind } from '../../src/jobs/job-runner.ts';

const ARN = 'arn:aws:personalize:us-east-1:123456789012:dataset-import-job/slow';

describe('job runner shutdown', () => {
  it('hands a job back within graceMs + a bounded wait when the work does not stop', async () => {
    const catalog = await openCatalog('sqlite::memory:', '.');
    let finishOutcome: unknown;
    let runEnded!: () => void;
    const ended = new Promise<void>((r) => (runEnded = r));
    let startedRun!: () => void;
    const running = new Promise<void>((r) => (startedRun = r));
    const kind: JobKind = {
      kind: 'dataset-import-job',
      async run(_job, ctx: JobContext) {
        startedRun();
        // Work that never looks at ctx.signal (a long DuckDB statement), then tries to commit.
        await new Promise((r) => setTimeout(r, 4000));
        try {
          await ctx.finish(async () => {});
          finishOutcome = 'committed';
        } catch (e) {
          finishOutcome = e;
          throw e;
        } finally {
          runEnded();
        }
      },
      async fail() {},
    };
    const outcomes: string[] = [];
    const logs: Record<string, unknown>[] = [];
    const runner = new JobRunner(catalog, [kind], {
      leaseMs: 60_000,
      log: (f) => logs.push(f),
      observe: { jobEnded: (_k, outcome) => outcomes.push(outcome) },
    });
    await catalog.enqueueJob(ARN, 'dataset-import-job', Date.now());
    await runner.start();
    await running;
    assert.equal((await catalog.getQueuedJob(ARN))?.owner, runner.owner);

    const t0 = Date.now();
    await runner.stop(100);
    const took = Date.now() - t0;
    assert.ok(took < 3000, `stop took ${took} ms`);
    const queued = await catalog.getQueuedJob(ARN);
    assert.equal(queued?.owner, null, 'available again at once');
    assert.equal(queued?.attempts, 0, 'the handed-back run is not an attempt');
    const handed = logs.find((l) => l.msg === 'job handed back to the queue');
    assert.equal(handed?.job, ARN);
    assert.equal(handed?.account, '123456789012');

    // The abandoned run wakes up later: its commit is refused, the job stays queued.
    await ended;
    await new Promise((r) => setImmediate(r));
    assert.ok(finishOutcome instanceof LeaseLostError);
    assert.ok(await catalog.getQueuedJob(ARN));
    assert.deepEqual(outcomes, ['handed_over']);
    await catalog.close();
  });

  it('does not claim to hand back a job that its aborted run committed meanwhile', async () => {
    const catalog = await openCatalog('sqlite::memory:', '.');
    let startedRun!: () => void;
    const running = new Promise<void>((r) => (startedRun = r));
    const kind: JobKind = {
      kind: 'dataset-import-job',
      async run(_job, ctx: JobContext) {
        startedRun();
        // Past the grace time, and past its last look at ctx.signal: it commits after the abort.
        await new Promise((r) => setTimeout(r, 300));
        await ctx.finish(async () => {});
      },
      async fail() {},
    };
    const logs: Record<string, unknown>[] = [];
    const runner = new JobRunner(catalog, [kind], { leaseMs: 60_000, log: (f) => logs.push(f) });
    await catalog.enqueueJob(ARN, 'dataset-import-job', Date.now());
    await runner.start();
    await running;
    await runner.stop(50);
    assert.equal(await catalog.getQueuedJob(ARN), undefined, 'the run committed the job');
    assert.ok(
      logs.some((l) => l.msg === 'job ended' && l.job === ARN),
      JSON.stringify(logs),
    );
    assert.ok(!logs.some((l) => l.msg === 'job handed back to the queue'), JSON.stringify(logs));
    await catalog.close();
  });
});
