// setJobState: progress writes of a worker that stalled past its lease never reopen a finished
// job, and every other status write must be a move the kind's table declares.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CatalogOps, ResourceRecord } from '../../src/catalog/catalog.ts';
import { setJobState } from '../../src/jobs/job-state.ts';
import { defineStatuses } from '../../src/resources/shared/status-table.ts';

const JOB = defineStatuses({
  kind: 'test-job',
  initial: 'CREATE PENDING',
  transitions: {
    'CREATE PENDING': ['CREATE IN_PROGRESS', 'CREATE FAILED'],
    'CREATE IN_PROGRESS': ['ACTIVE', 'CREATE FAILED'],
    ACTIVE: [],
    'CREATE FAILED': [],
  },
});

/** One job row; only what setJobState uses. */
function oneRow(status: string): { ops: CatalogOps; row: () => ResourceRecord } {
  let row: ResourceRecord = {
    arn: 'arn:j',
    account: 'a',
    region: 'r',
    kind: 'test-job',
    name: 'j',
    parentArn: null,
    status,
    createdAt: 1,
    updatedAt: 1,
    version: 1,
    body: { kept: true },
  };
  const ops = {
    get: async (arn: string) => (arn === row.arn ? row : undefined),
    update: async (r: ResourceRecord) => (row = { ...r, version: row.version + 1 }),
  } as unknown as CatalogOps;
  return { ops, row: () => row };
}

describe('setJobState', () => {
  it('moves the job and merges the patch into its document', async () => {
    const { ops, row } = oneRow('CREATE PENDING');
    await setJobState(ops, JOB, 'arn:j', 5, 'CREATE IN_PROGRESS', { progress: { phase: 'reading' } });
    await setJobState(ops, JOB, 'arn:j', 6, 'CREATE IN_PROGRESS', { progress: { phase: 'validating' } });
    await setJobState(ops, JOB, 'arn:j', 7, 'ACTIVE', { rows: 3 });
    assert.deepEqual(
      [row().status, row().updatedAt, row().body],
      ['ACTIVE', 7, { kept: true, progress: { phase: 'validating' }, rows: 3 }],
    );
  });

  it('skips a write to an unfinished status once the job is final', async () => {
    for (const final of ['ACTIVE', 'CREATE FAILED']) {
      const { ops, row } = oneRow(final);
      await setJobState(ops, JOB, 'arn:j', 9, 'CREATE IN_PROGRESS', { progress: { phase: 'late' } });
      assert.deepEqual([row().status, row().version, row().body], [final, 1, { kept: true }]);
    }
  });

  it('refuses an undeclared move, final to final included', async () => {
    await assert.rejects(setJobState(oneRow('CREATE PENDING').ops, JOB, 'arn:j', 2, 'ACTIVE', {}), /test-job.*CREATE PENDING to ACTIVE/);
    await assert.rejects(setJobState(oneRow('ACTIVE').ops, JOB, 'arn:j', 2, 'CREATE FAILED', {}), /test-job.*ACTIVE to CREATE FAILED/);
  });

  it('does nothing for a job that is gone', async () => {
    await setJobState(oneRow('CREATE PENDING').ops, JOB, 'arn:other', 2, 'CREATE IN_PROGRESS', {});
  });
});
