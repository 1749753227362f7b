// The export job under the runner's failure contract: what goes wrong at run time because of the
// caller's resources (the output bucket removed after CreateDatasetExportJob checked it) fails the
// job with a failureReason naming the location, never "Internal error", and creates no bucket.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateDatasetExportJobCommand, DescribeDatasetExportJobCommand } from '@aws-sdk/client-personalize';
import { startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';
import { localBucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { minimalSchemas } from '../testkit/schemas.ts';

describe('export job failures at run time', () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({}, { manualJobs: true });
  });
  after(() => svc.close());

  it('a bucket that vanished before the job ran is a failureReason naming the output path', async () => {
    const client = svc.client();
    const bucket = localBucket(svc.dataDir);
    const { datasetArn } = await activeDataset(client, minimalSchemas.items, 'Items');
    const path = `s3://${bucket.name}/exports/`;
    const { datasetExportJobArn } = await client.send(
      new CreateDatasetExportJobCommand({
        jobName: uniqueName('exp'),
        datasetArn,
        ingestionMode: 'BULK',
        roleArn: 'arn:aws:iam::000000000000:role/export',
        jobOutput: { s3DataDestination: { path } },
      }),
    );
    const describe = async () => (await client.send(new DescribeDatasetExportJobCommand({ datasetExportJobArn }))).datasetExportJob!;
    assert.equal((await describe()).status, 'CREATE PENDING');
    const dir = join(svc.dataDir, 'buckets', bucket.name);
    rmSync(dir, { recursive: true, force: true });
    await svc.runner.drain();
    const job = await describe();
    assert.equal(job.status, 'CREATE FAILED');
    assert.equal(job.failureReason, `Could not write the export to ${path}: bucket "${bucket.name}" does not exist (no folder ${dir})`);
    assert.equal(existsSync(dir), false, 'the job did not make the bucket');
  });
});
