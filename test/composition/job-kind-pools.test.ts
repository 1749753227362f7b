// Which job kinds a process runs is configuration (OPENPERSONALIZE_JOB_KINDS): a node configured
// for exports leaves an import queued, and a node for imports on the same catalog runs it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateDatasetImportJobCommand, DescribeDatasetImportJobCommand } from '@aws-sdk/client-personalize';
import { loadConfig } from '../../src/config/config.ts';
import { ROLES } from '../../src/composition/roles.ts';
import { startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { localBucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { csv } from '../testkit/rows.ts';

describe('job kind pools', () => {
  let exporter: TestService;
  let importer: TestService;
  before(async () => {
    exporter = await startTestService({ OPENPERSONALIZE_JOB_KINDS: 'dataset-export-job' }, { manualJobs: true });
    importer = await startTestService(
      { OPENPERSONALIZE_DATA_DIR: exporter.dataDir, OPENPERSONALIZE_JOB_KINDS: 'dataset-import-job' },
      { manualJobs: true },
    );
  });
  after(async () => {
    await importer.close();
    await exporter.close();
  });

  it('runs only the configured kinds', async () => {
    const client = exporter.client();
    const bucket = localBucket(exporter.dataDir);
    const { datasetArn } = await activeDataset(client, minimalSchemas.items, 'Items');
    await bucket.put('items.csv', csv('ITEM_ID,GENRES', ['i1,Drama']));
    const { datasetImportJobArn } = await client.send(
      new CreateDatasetImportJobCommand({
        jobName: uniqueName('imp'),
        datasetArn,
        dataSource: { dataLocation: `s3://${bucket.name}/items.csv` },
      }),
    );
    const status = async () => (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!.status;
    await exporter.runner.drain();
    assert.equal(await status(), 'CREATE PENDING', 'an export worker leaves imports to others');
    await importer.runner.drain();
    assert.equal(await status(), 'ACTIVE');
  });

  it('reads the kinds from the configuration, and roles from one table', async () => {
    assert.deepEqual(loadConfig({ OPENPERSONALIZE_JOB_KINDS: ' dataset-import-job, data-deletion-job ' }).jobKinds, [
      'dataset-import-job',
      'data-deletion-job',
    ]);
    assert.equal(loadConfig({}).jobKinds, undefined);
    assert.throws(() => loadConfig({ OPENPERSONALIZE_JOB_KINDS: 'Imports!' }), /OPENPERSONALIZE_JOB_KINDS=Imports! must be job kinds/);
    await assert.rejects(
      startTestService({ OPENPERSONALIZE_JOB_KINDS: 'dataset-import-jobs' }),
      /unknown job kinds: dataset-import-jobs \(known: dataset-import-job, dataset-export-job, data-deletion-job, solution-version, recommender-model, batch-inference-job, batch-segment-job\)/,
    );
    assert.deepEqual(ROLES.worker, { routes: ['health', 'ready', 'metrics'], runsJobs: true });
    assert.equal(ROLES.api.runsJobs, false);
    assert.deepEqual(ROLES.api.routes, ROLES.all.routes);
  });
});
