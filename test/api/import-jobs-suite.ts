// Import and export jobs end to end through the AWS SDK for JavaScript, as one suite run against
// each set of backends (the local folder, S3 behind moto_server, PostgreSQL and S3).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateDatasetImportJobCommand,
  DescribeDatasetImportJobCommand,
  ListDatasetImportJobsCommand,
  ListTagsForResourceCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import type { ServiceOptions } from '../../src/composition/build-service.ts';
import { uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { exportLines, importAndWait, type Bucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4, interactionRows4 } from '../testkit/rows.ts';

/** A service of the suite and the bucket its tests put their files in. */
export interface SuiteService {
  svc: TestService;
  bucket: Bucket;
  close(): Promise<void>;
}

/** The backends a suite runs on (a moto_server, a PostgreSQL server...), able to start services on them. */
export interface SuiteBackends {
  /** A new service on these backends with a catalog, and so a job queue, of its own. */
  start(options?: ServiceOptions): Promise<SuiteService>;
  /** Stops what the backends run; called after every service is closed. */
  close(): Promise<void>;
}

const ITEMS_HEADER = 'ITEM_ID,GENRES';

export function runImportSuite(name: string, setup: () => Promise<SuiteBackends>): void {
  describe(`import and export jobs (${name})`, () => {
    let backends: SuiteBackends;
    let s: SuiteService;
    let client: PersonalizeClient;
    before(async () => {
      backends = await setup();
      s = await backends.start();
      client = s.svc.client();
    });
    after(async () => {
      await s?.close();
      await backends?.close();
    });

    it('keeps a job CREATE PENDING until a worker takes it, then ACTIVE (manual job runner)', async (t) => {
      const m = await backends.start({ manualJobs: true });
      t.after(() => m.close());
      const c = m.svc.client();
      const { datasetArn } = await activeDataset(c, minimalSchemas.interactions, 'Interactions');
      await m.bucket.put('pending/interactions.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(1200)));
      const { datasetImportJobArn } = await c.send(
        new CreateDatasetImportJobCommand({
          jobName: uniqueName('pending'),
          datasetArn,
          dataSource: { dataLocation: `s3://${m.bucket.name}/pending/interactions.csv` },
        }),
      );
      const pending = (await c.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!;
      assert.equal(pending.status, 'CREATE PENDING');
      assert.equal(pending.failureReason, undefined);
      assert.deepEqual(
        (await c.send(new ListDatasetImportJobsCommand({ datasetArn }))).datasetImportJobs?.map((j) => j.status),
        ['CREATE PENDING'],
      );

      await m.svc.runner.drain();
      const job = (await c.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!;
      assert.equal(job.status, 'ACTIVE', job.failureReason);
      assert.equal(job.failureReason, undefined);
      assert.equal(job.creationDateTime!.getTime(), pending.creationDateTime!.getTime(), 'creationDateTime stays');
      assert.ok(
        job.creationDateTime!.getTime() <= job.lastUpdatedDateTime!.getTime(),
        `created ${job.creationDateTime!.toISOString()}, updated ${job.lastUpdatedDateTime!.toISOString()}`,
      );
      assert.ok(job.lastUpdatedDateTime!.getTime() >= pending.lastUpdatedDateTime!.getTime(), 'lastUpdatedDateTime does not go back');
    });

    it('runs the full lifecycle to ACTIVE and exports every row back', async () => {
      const { datasetArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
      const rows = interactionRows4(2000);
      await s.bucket.put('lifecycle/interactions.csv', csv(INTERACTIONS_HEADER_4, rows));
      const jobName = uniqueName('life');
      const { datasetImportJobArn } = await client.send(
        new CreateDatasetImportJobCommand({
          jobName,
          datasetArn,
          dataSource: { dataLocation: `s3://${s.bucket.name}/lifecycle/interactions.csv` },
          roleArn: 'arn:aws:iam::123456789012:role/import',
          tags: [{ tagKey: 'k', tagValue: 'v' }],
          publishAttributionMetricsToS3: false,
        }),
      );
      assert.match(datasetImportJobArn!, new RegExp(`:dataset-import-job/${jobName}$`));
      // That the job is CREATE PENDING until a worker takes it is proven with the manual runner above.
      const job = await waitFor(async () => {
        const j = (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!;
        return j.status === 'ACTIVE' || j.status === 'CREATE FAILED' ? j : undefined;
      });
      assert.equal(job.status, 'ACTIVE', job.failureReason);
      assert.equal(job.importMode, 'FULL');
      assert.equal(job.roleArn, 'arn:aws:iam::123456789012:role/import');
      assert.equal(job.publishAttributionMetricsToS3, false);
      assert.equal(job.dataSource?.dataLocation, `s3://${s.bucket.name}/lifecycle/interactions.csv`);
      assert.equal(job.failureReason, undefined);
      assert.ok(job.lastUpdatedDateTime!.getTime() >= job.creationDateTime!.getTime());
      assert.deepEqual((await client.send(new ListTagsForResourceCommand({ resourceArn: datasetImportJobArn }))).tags, [
        { tagKey: 'k', tagValue: 'v' },
      ]);
      const listed = await client.send(new ListDatasetImportJobsCommand({ datasetArn }));
      assert.deepEqual(
        listed.datasetImportJobs?.map((j) => [j.jobName, j.status, j.importMode]),
        [[jobName, 'ACTIVE', 'FULL']],
      );
      assert.deepEqual(await exportLines(client, s.bucket, datasetArn), [INTERACTIONS_HEADER_4, ...[...new Set(rows)].sort()]);
    });

    it('fails a job with bad rows with file, line, column, value and rule, and keeps the old data', async () => {
      const { datasetArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
      const good = interactionRows4(1200);
      await s.bucket.put('bad/good.csv', csv(INTERACTIONS_HEADER_4, good));
      assert.equal((await importAndWait(client, datasetArn, `s3://${s.bucket.name}/bad/good.csv`)).status, 'ACTIVE');
      const bad = interactionRows4(1200, 5000);
      bad[9] = 'u1,i1,yesterday,click';
      bad[19] = ',i2,1700000000,click';
      await s.bucket.put('bad/bad.csv', csv(INTERACTIONS_HEADER_4, bad));
      const job = await importAndWait(client, datasetArn, `s3://${s.bucket.name}/bad/bad.csv`);
      assert.equal(job.status, 'CREATE FAILED');
      assert.match(job.failureReason!, /2 of 1200 rows/);
      assert.match(job.failureReason!, new RegExp(`s3://${s.bucket.name}/bad/bad.csv`));
      assert.match(job.failureReason!, /line 11, column TIMESTAMP: 'yesterday'/);
      assert.match(job.failureReason!, /line 21, column USER_ID/);
      assert.deepEqual(
        await exportLines(client, s.bucket, datasetArn),
        [INTERACTIONS_HEADER_4, ...[...new Set(good)].sort()],
        'the old data is intact',
      );
    });

    it('imports the first level of a folder and ignores sub-folders', async () => {
      const { datasetArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
      const a = interactionRows4(700, 0);
      const b = interactionRows4(700, 700);
      await s.bucket.put('folder/a.csv', csv(INTERACTIONS_HEADER_4, a));
      await s.bucket.put('folder/b.csv', csv(INTERACTIONS_HEADER_4, b));
      await s.bucket.put('folder/sub/ignored.csv', csv(INTERACTIONS_HEADER_4, ['zzz,zzz,1,click']));
      const job = await importAndWait(client, datasetArn, `s3://${s.bucket.name}/folder/`);
      assert.equal(job.status, 'ACTIVE', job.failureReason);
      const lines = await exportLines(client, s.bucket, datasetArn);
      assert.deepEqual(lines, [INTERACTIONS_HEADER_4, ...[...new Set([...a, ...b])].sort()]);
    });

    it('FULL replaces the bulk data; INCREMENTAL replaces by ID and keeps exact duplicates once', async () => {
      const { datasetArn } = await activeDataset(client, minimalSchemas.items, 'Items');
      await s.bucket.put('items/one.csv', csv(ITEMS_HEADER, ['i1,Drama', 'i2,Comedy', 'i3,']));
      assert.equal((await importAndWait(client, datasetArn, `s3://${s.bucket.name}/items/one.csv`)).status, 'ACTIVE');
      await s.bucket.put('items/two.csv', csv(ITEMS_HEADER, ['i4,Horror', 'i5,Drama|Comedy']));
      assert.equal((await importAndWait(client, datasetArn, `s3://${s.bucket.name}/items/two.csv`, 'FULL')).status, 'ACTIVE');
      assert.deepEqual(await exportLines(client, s.bucket, datasetArn), [ITEMS_HEADER, 'i4,Horror', 'i5,Drama|Comedy']);
      await s.bucket.put('items/three.csv', csv(ITEMS_HEADER, ['i5,Western', 'i6,Family']));
      assert.equal((await importAndWait(client, datasetArn, `s3://${s.bucket.name}/items/three.csv`, 'INCREMENTAL')).status, 'ACTIVE');
      assert.deepEqual(await exportLines(client, s.bucket, datasetArn), [ITEMS_HEADER, 'i4,Horror', 'i5,Western', 'i6,Family']);

      const interactions = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
      const first = interactionRows4(1000);
      await s.bucket.put('inc/first.csv', csv(INTERACTIONS_HEADER_4, first));
      assert.equal((await importAndWait(client, interactions.datasetArn, `s3://${s.bucket.name}/inc/first.csv`)).status, 'ACTIVE');
      const more = interactionRows4(1000, 1000);
      await s.bucket.put('inc/more.csv', csv(INTERACTIONS_HEADER_4, [...first.slice(0, 10), ...more]));
      const inc = await importAndWait(client, interactions.datasetArn, `s3://${s.bucket.name}/inc/more.csv`, 'INCREMENTAL');
      assert.equal(inc.status, 'ACTIVE', inc.failureReason);
      assert.deepEqual(await exportLines(client, s.bucket, interactions.datasetArn), [
        INTERACTIONS_HEADER_4,
        ...[...first, ...more].sort(),
      ]);
      // Fewer than 1,000 new records: refused (rule 55).
      await s.bucket.put('inc/few.csv', csv(INTERACTIONS_HEADER_4, [...more, ...interactionRows4(5, 9000)]));
      const few = await importAndWait(client, interactions.datasetArn, `s3://${s.bucket.name}/inc/few.csv`, 'INCREMENTAL');
      assert.equal(few.status, 'CREATE FAILED');
      assert.match(few.failureReason!, /at least 1000 new records/);
    });
  });
}
