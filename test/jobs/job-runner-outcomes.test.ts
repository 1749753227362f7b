// The runner's failure contract, the same for every job kind: a JobFailure thrown by the work is
// recorded through the kind's fail() with its message as it is; any other error is recorded as an
// internal error (and logged at error level); a kind with its own phase log stream gets that
// stream's 'failed' line for a JobFailure. drain() runs queued jobs of a manual runner, and
// only the kinds it is given.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CatalogOps } from '../../src/catalog/catalog.ts';
import { openCatalog } from '../../src/catalog/open-catalog.ts';
import { JobFailure } from '../../src/jobs/job-failure.ts';
import { JobRunner, type JobKind } from '../../src/jobs/job-runner.ts';

const arn = (name: string) => `arn:aws:personalize:us-east-1:123456789012:dataset-export-job/${name}`;

function kindThatThrows(kind: string, errorOf: (arn: string) => Error | undefined, failures: Map<string, string>, done: string[]): JobKind {
  return {
    kind,
    async run(job, ctx) {
      const e = errorOf(job.arn);
      if (e) throw e;
      await ctx.finish(async () => void done.push(job.arn));
    },
    async fail(_tx: CatalogOps, jobArn: string, reason: string) {
      failures.set(jobArn, reason);
    },
  };
}

describe('job runner outcomes', () => {
  it('records a JobFailure as the failure reason, anything else as an internal error, and drains only the kinds asked for', async () => {
    const catalog = await openCatalog('sqlite::memory:', '.');
    const failures = new Map<string, string>();
    const done: string[] = [];
    const errors = new Map<string, Error>([
      [arn('bad-data'), new JobFailure('Input line 3, column TIMESTAMP: not a whole number')],
      [arn('bug'), new TypeError('x is undefined')],
    ]);
    const outcomes: string[] = [];
    const logs: Record<string, unknown>[] = [];
    const exportKind = { ...kindThatThrows('dataset-export-job', (a) => errors.get(a), failures, done), phaseMessage: 'export phase' };
    const importKind = kindThatThrows('dataset-import-job', () => undefined, failures, done);
    const runner = new JobRunner(catalog, [exportKind, importKind], {
      manual: true,
      log: (f) => logs.push(f),
      observe: { jobEnded: (_k, o) => outcomes.push(o) },
    });
    const imported = 'arn:aws:personalize:us-east-1:123456789012:dataset-import-job/i';
    for (const a of [arn('bad-data'), arn('bug'), arn('fine')]) await catalog.enqueueJob(a, 'dataset-export-job', 1);
    await catalog.enqueueJob(imported, 'dataset-import-job', 1);
    await runner.start();
    assert.equal((await catalog.listQueuedJobs()).length, 4, 'a manual runner claims nothing by itself');

    await runner.drain(['dataset-export-job']);
    assert.equal(failures.get(arn('bad-data')), 'Input line 3, column TIMESTAMP: not a whole number');
    assert.equal(failures.get(arn('bug')), 'Internal error while running the job: x is undefined');
    assert.deepEqual(done, [arn('fine')]);
    assert.deepEqual(outcomes.sort(), ['completed', 'error', 'failed']);
    assert.ok(
      logs.some((l) => l.level === 'error' && l.job === arn('bug')),
      'an internal error is logged as one',
    );
    assert.ok(!logs.some((l) => l.level === 'error' && l.job === arn('bad-data')), 'a JobFailure is not an internal error');
    // The kind's phase stream ends with the failed phase and its reason; only for a JobFailure.
    const phases = logs.filter((l) => l.msg === 'export phase');
    assert.deepEqual(
      phases.map((l) => [l.job, l.phase, l.reason]),
      [[arn('bad-data'), 'failed', 'Input line 3, column TIMESTAMP: not a whole number']],
    );
    assert.deepEqual(
      (await catalog.listQueuedJobs()).map((j) => j.arn),
      [imported],
      'the import was not drained',
    );

    await runner.drain();
    assert.deepEqual(done, [arn('fine'), imported]);
    assert.deepEqual(await catalog.listQueuedJobs(), []);
    await runner.stop(0);
    await catalog.close();
  });
});
