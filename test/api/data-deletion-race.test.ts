// A data deletion job and an import committing into the same dataset meanwhile (rules.md rule 76):
// the deletion's commit must not drop the import's data. The interleaving is forced: the service
// runs jobs only when the test drains its runner, and the service's own part store, when the
// deletion writes its first rewritten part (after it read the generation), runs the queued
// INCREMENTAL import to its commit. The deletion must notice, prepare again and commit on top.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateDataDeletionJobCommand,
  CreateDatasetImportJobCommand,
  DescribeDataDeletionJobCommand,
  DescribeDatasetImportJobCommand,
} from '@aws-sdk/client-personalize';
import { startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { exportLines, localBucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { csv } from '../testkit/rows.ts';

describe('data deletion job racing an import', () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({}, { manualJobs: true });
  });
  after(() => svc.close());

  it('re-reads the generation an import switched meanwhile and keeps the imported rows', async () => {
    const client = svc.client();
    const bucket = localBucket(svc.dataDir);
    const importJob = async (file: string, importMode: 'FULL' | 'INCREMENTAL') =>
      (
        await client.send(
          new CreateDatasetImportJobCommand({
            jobName: uniqueName('imp'),
            datasetArn,
            importMode,
            dataSource: { dataLocation: `s3://${bucket.name}/${file}` },
          }),
        )
      ).datasetImportJobArn!;
    const importStatus = async (datasetImportJobArn: string) =>
      (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!.status;
    const { datasetArn, datasetGroupArn } = await activeDataset(client, minimalSchemas.users, 'Users');
    await bucket.put('race/users.csv', csv('USER_ID,AGE', ['u1,1', 'u2,2', 'u3,3']));
    const first = await importJob('race/users.csv', 'FULL');
    await svc.runner.drain();
    assert.equal(await importStatus(first), 'ACTIVE');

    await bucket.put('race/more.csv', csv('USER_ID,AGE', ['u2,20', 'u4,4', 'u5,5']));
    await bucket.put('race/delete.csv', csv('USER_ID', ['u2', 'u5']));
    const { dataDeletionJobArn } = await client.send(
      new CreateDataDeletionJobCommand({
        jobName: uniqueName('del'),
        datasetGroupArn,
        dataSource: { dataLocation: `s3://${bucket.name}/race/delete.csv` },
        roleArn: 'arn:aws:iam::000000000000:role/r',
      }),
    );
    const racing = await importJob('race/more.csv', 'INCREMENTAL');

    // The deletion's first part write (it has read the generation) lets the import commit first.
    const put = svc.parts.put.bind(svc.parts);
    let deletionPuts = 0;
    let inImport = false;
    svc.parts.put = async (file: string, key: string) => {
      await put(file, key);
      if (inImport) return;
      if (deletionPuts++ > 0) return;
      inImport = true;
      await svc.runner.drain(['dataset-import-job']);
      inImport = false;
    };
    await svc.runner.drain(['data-deletion-job']);
    svc.parts.put = put;

    assert.equal(await importStatus(racing), 'ACTIVE');
    const job = (await client.send(new DescribeDataDeletionJobCommand({ dataDeletionJobArn }))).dataDeletionJob!;
    assert.equal(job.status, 'COMPLETED', job.failureReason);
    // First preparation: 1 part rewritten; second, over [old part, imported part]: both hold deleted users.
    assert.equal(deletionPuts, 3, 'the deletion prepared the dataset a second time');
    // u4 came with the import and stays; u2 and u5 (the latter only in the import) are deleted everywhere.
    assert.equal(job.numDeleted, 2);
    const exported = exportLines(client, bucket, datasetArn, 'BULK');
    await waitFor(async () => (await svc.catalog.listQueuedJobs()).find((j) => j.kind === 'dataset-export-job'), 10_000, 'export queued');
    await svc.runner.drain();
    assert.deepEqual(await exported, ['USER_ID,AGE', 'u1,1', 'u3,3', 'u4,4']);
  });
});
