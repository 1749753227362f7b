// A data deletion job and an import committing into the same dataset meanwhile (rules.md rule 76):
// the deletion's commit must not drop the import's data. The interleaving is forced: the service's
// runner is stopped, and the test runs the deletion job's work itself with a part store that, when
// the deletion writes its first rewritten part (after it read the generation), runs a whole
// INCREMENTAL import to its commit. The deletion must notice, prepare again and commit on top.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateDataDeletionJobCommand, CreateDatasetImportJobCommand, DescribeDataDeletionJobCommand, DescribeDatasetImportJobCommand } from '@aws-sdk/client-personalize';
import type { CatalogOps } from '../../src/catalog/catalog.ts';
import { sqlAccessOf } from '../../src/catalog/sql/sql-catalog.ts';
import { dataDeletionJobKind } from '../../src/data/jobs/data-deletion-job-work.ts';
import { exportJobKind } from '../../src/data/jobs/export-job-work.ts';
import { importJobKind } from '../../src/data/jobs/import-job-work.ts';
import { PartStore } from '../../src/data/generations/part-store.ts';
import type { JobContext, JobKind } from '../../src/jobs/job-runner.ts';
import { LocalDirStore } from '../../src/object-store/local-dir-store.ts';
import { openObjectStore } from '../../src/object-store/open-object-store.ts';
import { SqlRecordStore } from '../../src/data/records/sql-record-store.ts';
import { schemas, startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';
import { activeDataset, csv, exportLines, importAndWait, localBucket } from '../testkit/import-fixtures.ts';

describe('data deletion job racing an import', () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService();
  });
  after(() => svc.close());

  it('re-reads the generation an import switched meanwhile and keeps the imported rows', async () => {
    const client = svc.client();
    const bucket = localBucket(svc.dataDir);
    const { datasetArn, datasetGroupArn } = await activeDataset(client, schemas.users, 'Users');
    await bucket.put('race/users.csv', csv('USER_ID,AGE', ['u1,1', 'u2,2', 'u3,3']));
    assert.equal((await importAndWait(client, datasetArn, `s3://${bucket.name}/race/users.csv`)).status, 'ACTIVE');
    await svc.runner.stop(); // from here on, the test runs the jobs

    await bucket.put('race/more.csv', csv('USER_ID,AGE', ['u2,20', 'u4,4', 'u5,5']));
    await bucket.put('race/delete.csv', csv('USER_ID', ['u2', 'u5']));
    const { dataDeletionJobArn } = await client.send(new CreateDataDeletionJobCommand({
      jobName: uniqueName('del'), datasetGroupArn, dataSource: { dataLocation: `s3://${bucket.name}/race/delete.csv` }, roleArn: 'arn:aws:iam::000000000000:role/r',
    }));
    const { datasetImportJobArn } = await client.send(new CreateDatasetImportJobCommand({
      jobName: uniqueName('imp'), datasetArn, importMode: 'INCREMENTAL', dataSource: { dataLocation: `s3://${bucket.name}/race/more.csv` },
    }));

    const base = { catalog: svc.catalog, config: svc.config, objects: openObjectStore('local', svc.dataDir), now: Date.now, log: () => {} };
    const parts = new PartStore(new LocalDirStore(join(svc.dataDir, 'storage')), 'parts', join(svc.dataDir, 'cache'));
    const ctx = (): JobContext => ({
      owner: 'test', attempt: 1, signal: new AbortController().signal,
      finish: (fn: (tx: CatalogOps) => Promise<void>) => svc.catalog.transaction(fn),
    });
    const run = async (kind: JobKind, arn: string) => kind.run((await svc.catalog.getQueuedJob(arn))!, ctx());
    const importKind = importJobKind({ ...base, parts });
    let puts = 0;
    // The deletion's part store: its first put (the deletion has read the generation) lets the import commit first.
    const racing = Object.assign(Object.create(parts) as PartStore, {
      async put(file: string, key: string) {
        await parts.put(file, key);
        if (puts++ === 0) await run(importKind, datasetImportJobArn!);
      },
    });
    await run(dataDeletionJobKind({ ...base, parts: racing, records: new SqlRecordStore(sqlAccessOf(svc.catalog)) }), dataDeletionJobArn!);

    assert.equal((await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!.status, 'ACTIVE');
    const job = (await client.send(new DescribeDataDeletionJobCommand({ dataDeletionJobArn }))).dataDeletionJob!;
    assert.equal(job.status, 'COMPLETED', job.failureReason);
    // First preparation: 1 part rewritten; second, over [old part, imported part]: both hold deleted users.
    assert.equal(puts, 3, 'the deletion prepared the dataset a second time');
    // u4 came with the import and stays; u2 and u5 (the latter only in the import) are deleted everywhere.
    assert.equal(job.numDeleted, 2);
    // The export job too is run by the test (a stopped runner does not start again).
    const exported = exportLines(client, bucket, datasetArn, 'BULK');
    const exportJob = await waitFor(async () => (await svc.catalog.listQueuedJobs()).find((j) => j.kind === 'dataset-export-job'), 10_000, 'export queued');
    await exportJobKind({ ...base, parts }).run(exportJob, ctx());
    assert.deepEqual(await exported, ['USER_ID,AGE', 'u1,1', 'u3,3', 'u4,4']);
  });
});
