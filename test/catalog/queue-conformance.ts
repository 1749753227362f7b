// The job queue's contract (Catalog.claimJob and friends), held against both backends. `open`
// must return a new Catalog on the same storage each time. The queue is one table shared by the
// whole storage (claims take the oldest job of any account), so every test starts from an
// empty queue (beforeEach) and the tests of one suite run one after another.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { CatalogConflictError, type Catalog, type QueuedJob, type ResourceKind } from '../../src/catalog/catalog.ts';

const ALL_KINDS: ResourceKind[] = [
  'schema',
  'dataset-group',
  'dataset',
  'dataset-import-job',
  'dataset-export-job',
  'data-deletion-job',
  'event-tracker',
  'metric-attribution',
  'filter',
];
const IMPORT: ResourceKind = 'dataset-import-job';
const T0 = 1_700_000_000_000;
const LEASE = 30_000;

const run = randomBytes(4).toString('hex');
function jobArn(name: string, kind: ResourceKind = IMPORT): string {
  return `arn:aws:personalize:us-east-1:000000000000:${kind}/${run}-${name}`;
}

function waiting(arn: string, enqueuedAt = T0, kind: ResourceKind = IMPORT, attempts = 0): QueuedJob {
  return { arn, kind, owner: null, leaseExpiresAt: null, attempts, enqueuedAt };
}

/** Takes every job off the queue through the API under test. */
async function emptyQueue(catalog: Catalog): Promise<void> {
  await catalog.expireAllLeases();
  for (let job; (job = await catalog.claimJob('test-reset', ALL_KINDS, LEASE, T0));) {
    assert.equal(await catalog.finishJob(job.arn, 'test-reset'), true);
  }
  assert.deepEqual(await catalog.listQueuedJobs(), []);
}

export function runQueueConformance(name: string, open: () => Promise<Catalog>): void {
  describe(`job queue conformance: ${name}`, () => {
    let catalog: Catalog;
    before(async () => {
      catalog = await open();
    });
    after(() => catalog?.close());
    beforeEach(() => emptyQueue(catalog));

    it('enqueue then claim: attempts 1 and the lease set; nobody claims it again until the lease ends', async () => {
      const arn = jobArn('claim');
      await catalog.enqueueJob(arn, IMPORT, T0);
      assert.deepEqual(await catalog.getQueuedJob(arn), waiting(arn));
      const first = await catalog.claimJob('w1', [IMPORT], LEASE, T0 + 5);
      const end = T0 + 5 + LEASE;
      assert.deepEqual(first, { arn, kind: IMPORT, owner: 'w1', leaseExpiresAt: end, attempts: 1, enqueuedAt: T0 });
      assert.deepEqual(await catalog.getQueuedJob(arn), first);

      assert.equal(await catalog.claimJob('w2', [IMPORT], LEASE, T0 + 6), undefined);
      assert.equal(await catalog.claimJob('w1', [IMPORT], LEASE, T0 + 6), undefined, 'not even the holder');
      assert.equal(await catalog.claimJob('w2', [IMPORT], LEASE, end), undefined, 'the lease runs up to its end');
      const second = await catalog.claimJob('w2', [IMPORT], LEASE, end + 1);
      assert.deepEqual(second, { arn, kind: IMPORT, owner: 'w2', leaseExpiresAt: end + 1 + LEASE, attempts: 2, enqueuedAt: T0 });
      assert.deepEqual(await catalog.getQueuedJob(arn), second);
      assert.equal(await catalog.getQueuedJob(jobArn('never-queued')), undefined);
    });

    it('renewLease: true for the holder, also past its lease end; false for others and once taken over', async () => {
      const arn = jobArn('renew');
      await catalog.enqueueJob(arn, IMPORT, T0);
      await catalog.claimJob('w1', [IMPORT], LEASE, T0);
      assert.equal(await catalog.renewLease(arn, 'w1', LEASE, T0 + 10), true);
      assert.equal((await catalog.getQueuedJob(arn))?.leaseExpiresAt, T0 + 10 + LEASE);
      assert.equal(await catalog.renewLease(arn, 'w2', LEASE, T0 + 20), false);
      assert.equal((await catalog.getQueuedJob(arn))?.leaseExpiresAt, T0 + 10 + LEASE);

      // Ran out, but nobody took it over: still w1's.
      const late = T0 + 10 + LEASE + 100;
      assert.equal(await catalog.renewLease(arn, 'w1', LEASE, late), true);
      assert.deepEqual(await catalog.getQueuedJob(arn), { ...waiting(arn), owner: 'w1', leaseExpiresAt: late + LEASE, attempts: 1 });

      assert.equal((await catalog.claimJob('w2', [IMPORT], LEASE, late + LEASE + 1))?.owner, 'w2');
      assert.equal(await catalog.renewLease(arn, 'w1', LEASE, late + LEASE + 2), false);
      assert.equal(await catalog.renewLease(arn, 'w2', LEASE, late + LEASE + 2), true);
      assert.equal(await catalog.renewLease(jobArn('renew-missing'), 'w2', LEASE, T0), false);
    });

    it('finishJob: false for a non-holder (the row stays), true for the holder (the row goes)', async () => {
      const arn = jobArn('finish');
      await catalog.enqueueJob(arn, IMPORT, T0);
      assert.equal(await catalog.finishJob(arn, 'w1'), false, 'an unclaimed job has no holder');
      const held = await catalog.claimJob('w1', [IMPORT], LEASE, T0);
      assert.equal(await catalog.finishJob(arn, 'w2'), false);
      assert.deepEqual(await catalog.getQueuedJob(arn), held);
      assert.equal(await catalog.finishJob(arn, 'w1'), true);
      assert.equal(await catalog.getQueuedJob(arn), undefined);
      assert.equal(await catalog.finishJob(arn, 'w1'), false);

      // Taken over after the lease ended: the first worker can no longer finish it.
      const other = jobArn('finish-over');
      await catalog.enqueueJob(other, IMPORT, T0);
      await catalog.claimJob('w1', [IMPORT], LEASE, T0);
      const over = await catalog.claimJob('w2', [IMPORT], LEASE, T0 + LEASE + 1);
      assert.equal(await catalog.finishJob(other, 'w1'), false);
      assert.deepEqual(await catalog.getQueuedJob(other), over);
      assert.equal(await catalog.finishJob(other, 'w2'), true);
    });

    it('finishJob in a transaction commits with it, and a throw leaves the job queued', async () => {
      const arn = jobArn('tx-finish');
      const resource = {
        arn,
        account: '000000000000',
        region: 'us-east-1',
        kind: IMPORT,
        name: `${run}-tx-finish`,
        parentArn: null,
        status: 'IN_PROGRESS',
        createdAt: T0,
        updatedAt: T0,
        body: {},
      };
      const created = await catalog.transaction(async (tx) => {
        const r = await tx.insert(resource);
        await tx.enqueueJob(arn, IMPORT, T0);
        return r;
      });
      const held = await catalog.claimJob('w1', [IMPORT], LEASE, T0);
      const boom = new Error('boom');
      await assert.rejects(
        catalog.transaction(async (tx) => {
          assert.equal(await tx.finishJob(arn, 'w1'), true);
          assert.equal(await tx.getQueuedJob(arn), undefined);
          await tx.update({ ...created, status: 'ACTIVE' });
          throw boom;
        }),
        (e) => e === boom,
      );
      assert.deepEqual(await catalog.getQueuedJob(arn), held);
      assert.equal((await catalog.get(arn))?.status, 'IN_PROGRESS');

      await catalog.transaction(async (tx) => {
        assert.equal(await tx.finishJob(arn, 'w2'), false, 'a lost lease does not spoil the transaction');
        assert.equal(await tx.finishJob(arn, 'w1'), true);
        await tx.update({ ...created, status: 'ACTIVE' });
      });
      assert.equal(await catalog.getQueuedJob(arn), undefined);
      assert.equal((await catalog.get(arn))?.status, 'ACTIVE');
    });

    it('releaseJob makes the job claimable at once and takes back the attempt it counted', async () => {
      const arn = jobArn('release');
      await catalog.enqueueJob(arn, IMPORT, T0);
      const held = await catalog.claimJob('w1', [IMPORT], LEASE, T0);
      assert.equal(await catalog.releaseJob(arn, 'w2'), false);
      assert.deepEqual(await catalog.getQueuedJob(arn), held, 'only the holder can release');
      assert.equal(await catalog.releaseJob(arn, 'w1'), true);
      assert.deepEqual(await catalog.getQueuedJob(arn), waiting(arn));
      assert.equal(await catalog.finishJob(arn, 'w1'), false);

      // Within what would have been w1's lease.
      assert.equal((await catalog.claimJob('w2', [IMPORT], LEASE, T0 + 1))?.attempts, 1);
      // w2 dies (its lease runs out); w3's run is the second attempt, and a hand-back keeps it at one.
      assert.equal((await catalog.claimJob('w3', [IMPORT], LEASE, T0 + LEASE + 2))?.attempts, 2);
      await catalog.releaseJob(arn, 'w3');
      assert.equal((await catalog.getQueuedJob(arn))?.attempts, 1);
      assert.deepEqual(await catalog.claimJob('w4', [IMPORT], LEASE, T0 + LEASE + 3), {
        ...waiting(arn),
        owner: 'w4',
        leaseExpiresAt: T0 + 2 * LEASE + 3,
        attempts: 2,
      });
    });

    it('claim takes only the given kinds, oldest enqueuedAt first, ties by ARN in byte order', async () => {
      const EXPORT: ResourceKind = 'dataset-export-job';
      const DELETION: ResourceKind = 'data-deletion-job';
      const jobs: Array<[string, ResourceKind, number]> = [
        [jobArn('late'), IMPORT, T0 + 30],
        [jobArn('export', EXPORT), EXPORT, T0 + 10],
        [jobArn('tie-a'), IMPORT, T0 + 20],
        [jobArn('tie-B'), IMPORT, T0 + 20], // 'B' < 'a' in byte order, whatever the locale says
        [jobArn('deletion', DELETION), DELETION, T0],
      ];
      for (const [arn, kind, at] of jobs) await catalog.enqueueJob(arn, kind, at);
      assert.equal(await catalog.claimJob('w', [], LEASE, T0), undefined);
      assert.equal(await catalog.claimJob('w', ['filter', 'schema'], LEASE, T0), undefined);
      const take = async (kinds: ResourceKind[]) => (await catalog.claimJob('w', kinds, LEASE, T0))?.arn;
      assert.equal(await take([IMPORT]), jobArn('tie-B'));
      assert.equal(await take([IMPORT]), jobArn('tie-a'));
      assert.equal(await take([IMPORT, 'filter']), jobArn('late'));
      assert.equal(await take([IMPORT]), undefined);
      assert.equal(await take([EXPORT, DELETION, IMPORT]), jobArn('deletion', DELETION));
      assert.equal(await take([IMPORT, EXPORT]), jobArn('export', EXPORT));
      assert.equal(await take(ALL_KINDS), undefined);
    });

    it('expireAllLeases makes every held job claimable at once, keeps attempts, returns the count', async () => {
      const [a, b, c] = ['x-a', 'x-b', 'x-c'].map((n) => jobArn(n));
      for (const [i, arn] of [a, b, c].entries()) await catalog.enqueueJob(arn, IMPORT, T0 + i);
      await catalog.claimJob('w1', [IMPORT], LEASE, T0);
      await catalog.claimJob('w2', [IMPORT], LEASE, T0);
      assert.equal(await catalog.expireAllLeases(), 2);
      assert.deepEqual(await catalog.listQueuedJobs(), [waiting(a, T0, IMPORT, 1), waiting(b, T0 + 1, IMPORT, 1), waiting(c, T0 + 2)]);
      assert.equal(await catalog.finishJob(a, 'w1'), false);
      assert.equal(await catalog.expireAllLeases(), 0);

      const again = [];
      for (let i = 0; i < 3; i++) again.push(await catalog.claimJob('w3', [IMPORT], LEASE, T0 + 1));
      assert.deepEqual(
        again.map((j) => [j?.arn, j?.attempts]),
        [
          [a, 2],
          [b, 2],
          [c, 1],
        ],
      );
      assert.equal(await catalog.expireAllLeases(), 3);
    });

    it('listQueuedJobs returns every job in claim order with its current state', async () => {
      assert.deepEqual(await catalog.listQueuedJobs(), []);
      const [a, b, c] = ['l-a', 'l-b', 'l-c'].map((n) => jobArn(n));
      await catalog.enqueueJob(b, 'filter', T0 + 2);
      await catalog.enqueueJob(a, IMPORT, T0 + 1);
      await catalog.enqueueJob(c, IMPORT, T0 + 3);
      await catalog.claimJob('w1', [IMPORT], LEASE, T0 + 4);
      assert.deepEqual(await catalog.listQueuedJobs(), [
        { ...waiting(a, T0 + 1), owner: 'w1', leaseExpiresAt: T0 + 4 + LEASE, attempts: 1 },
        waiting(b, T0 + 2, 'filter'),
        waiting(c, T0 + 3),
      ]);
      await catalog.finishJob(a, 'w1');
      assert.deepEqual(
        (await catalog.listQueuedJobs()).map((j) => j.arn),
        [b, c],
      );
    });

    it('enqueue: a queued ARN conflicts (exists), rolls back with its transaction, needs no resource row', async () => {
      const arn = jobArn('enqueue');
      await catalog.enqueueJob(arn, IMPORT, T0);
      const held = await catalog.claimJob('w1', [IMPORT], LEASE, T0);
      const exists = (e: unknown) => e instanceof CatalogConflictError && e.reason === 'exists';
      await assert.rejects(catalog.enqueueJob(arn, IMPORT, T0 + 1), exists);
      assert.deepEqual(await catalog.getQueuedJob(arn), held);

      const other = jobArn('enqueue-tx');
      await catalog.transaction(async (tx) => {
        await assert.rejects(tx.enqueueJob(arn, IMPORT, T0), exists);
        await tx.enqueueJob(other, IMPORT, T0); // the conflict did not spoil the transaction
      });
      assert.deepEqual(await catalog.getQueuedJob(other), waiting(other));

      const rolledBack = jobArn('enqueue-rollback');
      await assert.rejects(
        catalog.transaction(async (tx) => {
          await tx.enqueueJob(rolledBack, IMPORT, T0);
          throw new Error('no');
        }),
        /no/,
      );
      assert.equal(await catalog.getQueuedJob(rolledBack), undefined);

      // The queue refers to no resource row: deleting the resource leaves the job.
      const withResource = jobArn('enqueue-resource');
      await catalog.insert({
        arn: withResource,
        account: '000000000000',
        region: 'us-east-1',
        kind: IMPORT,
        name: 'r',
        parentArn: null,
        status: null,
        createdAt: T0,
        updatedAt: T0,
        body: {},
      });
      await catalog.enqueueJob(withResource, IMPORT, T0);
      assert.equal(await catalog.delete(withResource), true);
      assert.deepEqual(await catalog.getQueuedJob(withResource), waiting(withResource));
    });

    it('20 parallel claimers on several catalogs take 10 jobs: each job exactly once', async () => {
      // Separate catalogs stand in for separate processes (own pool on PostgreSQL).
      const others = await Promise.all([open(), open(), open()]);
      const claimers = [catalog, ...others];
      try {
        // Warm the pools so the claims overlap instead of waiting for connections.
        await Promise.all(claimers.flatMap((c) => Array.from({ length: 5 }, () => c.transaction(() => delay(10)))));
        for (let round = 0; round < 3; round++) {
          const arns = Array.from({ length: 10 }, (_, i) => jobArn(`race-${round}-${i}`));
          for (const arn of arns) await catalog.enqueueJob(arn, IMPORT, T0 + round);
          const results = await Promise.all(
            Array.from({ length: 20 }, (_, i) => claimers[i % claimers.length].claimJob(`w${i}`, [IMPORT], LEASE, T0 + 10)),
          );
          const claimed = results.filter((j): j is QueuedJob => j !== undefined);
          assert.deepEqual(claimed.map((j) => j.arn).sort(), [...arns].sort(), `round ${round}: every job once`);
          assert.ok(claimed.every((j) => j.attempts === 1));
          const stored = new Map((await catalog.listQueuedJobs()).map((j) => [j.arn, j.owner]));
          for (const j of claimed) assert.equal(stored.get(j.arn), j.owner, 'the stored owner is the claimer that got it');
          await emptyQueue(catalog);
        }
      } finally {
        await Promise.all(others.map((c) => c.close()));
      }
    });

    it('a claimed, unfinished job survives close and reopen, lease and all', async () => {
      const arn = jobArn('durable');
      const first = await open();
      await first.enqueueJob(arn, IMPORT, T0);
      const held = await first.claimJob('w-gone', [IMPORT], LEASE, T0);
      await first.close();

      const second = await open();
      try {
        assert.deepEqual(await second.getQueuedJob(arn), held);
        assert.deepEqual(await second.listQueuedJobs(), [held]);
        assert.equal(await second.claimJob('w2', [IMPORT], LEASE, T0 + 1), undefined);
        assert.equal((await second.claimJob('w2', [IMPORT], LEASE, T0 + LEASE + 1))?.attempts, 2);
        assert.equal((await catalog.getQueuedJob(arn))?.owner, 'w2');
      } finally {
        await second.close();
      }
    });
  });
}
