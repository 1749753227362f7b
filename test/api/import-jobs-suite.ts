// Import and export jobs end to end through the AWS SDK for JavaScript, as one suite run against
// each object store (the local folder and S3 behind moto_server).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateDatasetImportJobCommand, DescribeDatasetImportJobCommand, ListDatasetImportJobsCommand, ListTagsForResourceCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { schemas, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';
import { activeDataset, csv, exportLines, importAndWait, INTERACTIONS_HEADER, interactionRows, type Bucket } from '../testkit/import-fixtures.ts';

export interface SuiteSetup {
  svc: TestService;
  bucket: Bucket;
  close(): Promise<void>;
}

const ITEMS_HEADER = 'ITEM_ID,GENRES';

export function runImportSuite(name: string, setup: () => Promise<SuiteSetup>): void {
  describe(`import and export jobs (${name})`, () => {
    let s: SuiteSetup;
    let client: PersonalizeClient;
    before(async () => {
      s = await setup();
      client = s.svc.client();
    });
    after(() => s.close());

    it('runs the full lifecycle to ACTIVE and exports every row back', async () => {
      const { datasetArn } = await activeDataset(client, schemas.interactions, 'Interactions');
      const rows = interactionRows(2000);
      await s.bucket.put('lifecycle/interactions.csv', csv(INTERACTIONS_HEADER, rows));
      const jobName = uniqueName('life');
      const created = Date.now();
      const { datasetImportJobArn } = await client.send(new CreateDatasetImportJobCommand({
        jobName, datasetArn, dataSource: { dataLocation: `s3://${s.bucket.name}/lifecycle/interactions.csv` },
        roleArn: 'arn:aws:iam::123456789012:role/import', tags: [{ tagKey: 'k', tagValue: 'v' }], publishAttributionMetricsToS3: false,
      }));
      assert.match(datasetImportJobArn!, new RegExp(`:dataset-import-job/${jobName}$`));
      const first = (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!;
      assert.ok(['CREATE PENDING', 'CREATE IN_PROGRESS', 'ACTIVE'].includes(first.status!), first.status);
      const job = await waitFor(async () => {
        const j = (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!;
        return j.status === 'ACTIVE' || j.status === 'CREATE FAILED' ? j : undefined;
      });
      assert.equal(job.status, 'ACTIVE', job.failureReason);
      assert.ok(Date.now() - created < 10_000);
      assert.equal(job.importMode, 'FULL');
      assert.equal(job.roleArn, 'arn:aws:iam::123456789012:role/import');
      assert.equal(job.publishAttributionMetricsToS3, false);
      assert.equal(job.dataSource?.dataLocation, `s3://${s.bucket.name}/lifecycle/interactions.csv`);
      assert.equal(job.failureReason, undefined);
      assert.ok(job.lastUpdatedDateTime!.getTime() >= job.creationDateTime!.getTime());
      assert.deepEqual((await client.send(new ListTagsForResourceCommand({ resourceArn: datasetImportJobArn }))).tags, [{ tagKey: 'k', tagValue: 'v' }]);
      const listed = await client.send(new ListDatasetImportJobsCommand({ datasetArn }));
      assert.deepEqual(listed.datasetImportJobs?.map((j) => [j.jobName, j.status, j.importMode]), [[jobName, 'ACTIVE', 'FULL']]);
      assert.deepEqual(await exportLines(client, s.bucket, datasetArn), [INTERACTIONS_HEADER, ...[...new Set(rows)].sort()]);
    });

    it('fails a job with bad rows with file, line, column, value and rule, and keeps the old data', async () => {
      const { datasetArn } = await activeDataset(client, schemas.interactions, 'Interactions');
      const good = interactionRows(1200);
      await s.bucket.put('bad/good.csv', csv(INTERACTIONS_HEADER, good));
      assert.equal((await importAndWait(client, datasetArn, `s3://${s.bucket.name}/bad/good.csv`)).status, 'ACTIVE');
      const bad = interactionRows(1200, 5000);
      bad[9] = 'u1,i1,yesterday,click';
      bad[19] = ',i2,1700000000,click';
      await s.bucket.put('bad/bad.csv', csv(INTERACTIONS_HEADER, bad));
      const job = await importAndWait(client, datasetArn, `s3://${s.bucket.name}/bad/bad.csv`);
      assert.equal(job.status, 'CREATE FAILED');
      assert.match(job.failureReason!, /2 of 1200 rows/);
      assert.match(job.failureReason!, new RegExp(`s3://${s.bucket.name}/bad/bad.csv`));
      assert.match(job.failureReason!, /line 11, column TIMESTAMP: 'yesterday'/);
      assert.match(job.failureReason!, /line 21, column USER_ID/);
      assert.deepEqual(await exportLines(client, s.bucket, datasetArn), [INTERACTIONS_HEADER, ...[...new Set(good)].sort()], 'the old data is intact');
    });

    it('imports the first level of a folder and ignores sub-folders', async () => {
      const { datasetArn } = await activeDataset(client, schemas.interactions, 'Interactions');
      const a = interactionRows(700, 0);
      const b = interactionRows(700, 700);
      await s.bucket.put('folder/a.csv', csv(INTERACTIONS_HEADER, a));
      await s.bucket.put('folder/b.csv', csv(INTERACTIONS_HEADER, b));
      await s.bucket.put('folder/sub/ignored.csv', csv(INTERACTIONS_HEADER, ['zzz,zzz,1,click']));
      const job = await importAndWait(client, datasetArn, `s3://${s.bucket.name}/folder/`);
      assert.equal(job.status, 'ACTIVE', job.failureReason);
      const lines = await exportLines(client, s.bucket, datasetArn);
      assert.deepEqual(lines, [INTERACTIONS_HEADER, ...[...new Set([...a, ...b])].sort()]);
    });

    it('FULL replaces the bulk data; INCREMENTAL replaces by ID and keeps exact duplicates once', async () => {
      const { datasetArn } = await activeDataset(client, schemas.items, 'Items');
      await s.bucket.put('items/one.csv', csv(ITEMS_HEADER, ['i1,Drama', 'i2,Comedy', 'i3,']));
      assert.equal((await importAndWait(client, datasetArn, `s3://${s.bucket.name}/items/one.csv`)).status, 'ACTIVE');
      await s.bucket.put('items/two.csv', csv(ITEMS_HEADER, ['i4,Horror', 'i5,Drama|Comedy']));
      assert.equal((await importAndWait(client, datasetArn, `s3://${s.bucket.name}/items/two.csv`, 'FULL')).status, 'ACTIVE');
      assert.deepEqual(await exportLines(client, s.bucket, datasetArn), [ITEMS_HEADER, 'i4,Horror', 'i5,Drama|Comedy']);
      await s.bucket.put('items/three.csv', csv(ITEMS_HEADER, ['i5,Western', 'i6,Family']));
      assert.equal((await importAndWait(client, datasetArn, `s3://${s.bucket.name}/items/three.csv`, 'INCREMENTAL')).status, 'ACTIVE');
      assert.deepEqual(await exportLines(client, s.bucket, datasetArn), [ITEMS_HEADER, 'i4,Horror', 'i5,Western', 'i6,Family']);

      const interactions = await activeDataset(client, schemas.interactions, 'Interactions');
      const first = interactionRows(1000);
      await s.bucket.put('inc/first.csv', csv(INTERACTIONS_HEADER, first));
      assert.equal((await importAndWait(client, interactions.datasetArn, `s3://${s.bucket.name}/inc/first.csv`)).status, 'ACTIVE');
      const more = interactionRows(1000, 1000);
      await s.bucket.put('inc/more.csv', csv(INTERACTIONS_HEADER, [...first.slice(0, 10), ...more]));
      const inc = await importAndWait(client, interactions.datasetArn, `s3://${s.bucket.name}/inc/more.csv`, 'INCREMENTAL');
      assert.equal(inc.status, 'ACTIVE', inc.failureReason);
      assert.deepEqual(await exportLines(client, s.bucket, interactions.datasetArn), [INTERACTIONS_HEADER, ...[...first, ...more].sort()]);
      // Fewer than 1,000 new records: refused (rule 55).
      await s.bucket.put('inc/few.csv', csv(INTERACTIONS_HEADER, [...more, ...interactionRows(5, 9000)]));
      const few = await importAndWait(client, interactions.datasetArn, `s3://${s.bucket.name}/inc/few.csv`, 'INCREMENTAL');
      assert.equal(few.status, 'CREATE FAILED');
      assert.match(few.failureReason!, /at least 1000 new records/);
    });
  });
}
