// Service quotas (src/resources/shared/quotas.ts): generous by default so that test suites creating
// many resources just work, AWS's defaults with AWS's wording under OPENPERSONALIZE_QUOTAS=aws, and
// the quota AWS cannot raise (5 pending import jobs) the same in both modes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  DeleteDatasetGroupCommand,
  DescribeDatasetImportJobCommand,
  ListDatasetGroupsCommand,
  ListDatasetImportJobsCommand,
} from '@aws-sdk/client-personalize';
import { quotasFor } from '../../src/resources/shared/quotas.ts';
import { errorOf, startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';
import { localBucket } from '../testkit/import-fixtures.ts';
import { activeGroup, DATASET_KINDS, datasetIn, fiveDatasets } from '../testkit/resources.ts';

/** AWS's default quota of dataset groups per account and region. */
const AWS_DATASET_GROUPS = 5;
/** An account of its own for the pending-imports tests (its quotas are untouched by the other tests). */
const IMPORT_ACCOUNT = '111122223333';

describe('quotas', () => {
  let aws: TestService;
  let generous: TestService;
  before(async () => {
    // Manual job runners: imports stay CREATE PENDING until a test drains the runner.
    aws = await startTestService({ OPENPERSONALIZE_QUOTAS: 'aws' }, { manualJobs: true });
    generous = await startTestService({}, { manualJobs: true });
  });
  after(async () => {
    await aws.close();
    await generous.close();
  });

  it('allows 5 dataset groups per account and region with OPENPERSONALIZE_QUOTAS=aws', async () => {
    const client = aws.client();
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) arns.push((await client.send(new CreateDatasetGroupCommand({ name: uniqueName('g') }))).datasetGroupArn!);
    const e = await errorOf(() => client.send(new CreateDatasetGroupCommand({ name: uniqueName('g') })));
    assert.equal(e.name, 'LimitExceededException');
    assert.equal(e.message, 'Cannot create a dataset group. More than 5 resources in ACTIVE state. Please delete some and try again.');
    // Per account and region: another region still has room, and deleting one frees a place.
    await aws.client({ region: 'eu-west-1' }).send(new CreateDatasetGroupCommand({ name: uniqueName('g') }));
    await client.send(new DeleteDatasetGroupCommand({ datasetGroupArn: arns[0] }));
    await client.send(new CreateDatasetGroupCommand({ name: uniqueName('g') }));
  });

  it("the quota table: generous values by default, AWS's defaults in aws mode; what AWS cannot raise is the same", () => {
    assert.equal(generous.config.quotas, 'generous', 'generous is the default mode');
    assert.equal(aws.config.quotas, 'aws');
    assert.deepEqual(quotasFor('generous'), {
      schemas: 100_000,
      datasetGroups: 10_000,
      pendingImportJobs: 5,
      tagsPerResource: 50,
      solutionsPerGroup: 10_000,
      pendingSolutionVersions: 10_000,
      campaignsPerGroup: 10_000,
      recommendersPerGroup: 10_000,
      recommendersPerRegion: 10_000,
      pendingBatchInferenceJobs: 10_000,
      pendingBatchSegmentJobs: 5,
    });
    assert.deepEqual(quotasFor('aws'), {
      schemas: 500,
      datasetGroups: AWS_DATASET_GROUPS,
      pendingImportJobs: 5,
      tagsPerResource: 50,
      solutionsPerGroup: 10,
      pendingSolutionVersions: 20,
      campaignsPerGroup: 5,
      recommendersPerGroup: 5,
      recommendersPerRegion: 15,
      pendingBatchInferenceJobs: 5,
      pendingBatchSegmentJobs: 5,
    });
    // OPENPERSONALIZE_MAX_PENDING_IMPORTS sets the pending-imports quota, whatever the mode.
    assert.equal(quotasFor('generous', 2).pendingImportJobs, 2);
    assert.equal(quotasFor('aws', 2).pendingImportJobs, 2);
  });

  it('defaults to generous quotas: more dataset groups than AWS allows, all there', async () => {
    // A region of its own, so that the list holds exactly these groups.
    const client = generous.client({ region: 'us-west-2' });
    const arns: string[] = [];
    for (let i = 0; i < AWS_DATASET_GROUPS + 3; i++)
      arns.push((await client.send(new CreateDatasetGroupCommand({ name: uniqueName('g') }))).datasetGroupArn!);
    const listed = await client.send(new ListDatasetGroupsCommand({ maxResults: 100 }));
    assert.deepEqual(listed.datasetGroups?.map((g) => g.datasetGroupArn).sort(), arns.sort());
  });

  for (const mode of ['aws', 'generous'] as const) {
    it(`refuses a 6th pending import job with AWS's message, in ${mode} mode too`, async () => {
      const svc = mode === 'aws' ? aws : generous;
      const client = svc.client({ accessKeyId: IMPORT_ACCOUNT });
      const bucket = localBucket(svc.dataDir);
      // Six ACTIVE datasets in two groups (AWS mode allows 5 groups): one pending import each.
      const [five, sixth] = await Promise.all([
        fiveDatasets(client, bucket),
        activeGroup(client).then((g) => datasetIn(client, g, DATASET_KINDS[0].schema, DATASET_KINDS[0].type)),
      ]);
      const create = (datasetArn: string, dataLocation: string) =>
        client.send(new CreateDatasetImportJobCommand({ jobName: uniqueName('imp'), datasetArn, dataSource: { dataLocation } }));
      const jobs: string[] = [];
      for (const d of five) jobs.push((await create(d.arn, d.location)).datasetImportJobArn!);
      for (const datasetImportJobArn of jobs) {
        assert.equal(
          (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob?.status,
          'CREATE PENDING',
        );
      }
      const e = await errorOf(() => create(sixth, five[0].location));
      assert.equal(e.name, 'LimitExceededException');
      assert.equal(e.message, 'More than 5 resources with PENDING or IN_PROGRESS status.');
      assert.equal(e.$metadata?.httpStatusCode, 400);
      assert.equal(
        (await client.send(new ListDatasetImportJobsCommand({ maxResults: 100 }))).datasetImportJobs?.length,
        5,
        'the refused call made no job',
      );
      // Once the five have ended, none is pending: the sixth is taken.
      await svc.runner.drain();
      await create(sixth, five[0].location);
    });
  }
});
