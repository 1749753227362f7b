// Metric attributions (rules.md §11) through the AWS SDK for JavaScript: every operation and its
// errors, the refusal of publishAttributionMetricsToS3 without an attribution, and the metrics
// report of an import checked against figures the test computes itself from the CSV it wrote.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateDatasetImportJobCommand,
  CreateMetricAttributionCommand,
  DeleteDatasetGroupCommand,
  DeleteMetricAttributionCommand,
  DescribeDatasetImportJobCommand,
  DescribeMetricAttributionCommand,
  ListDatasetImportJobsCommand,
  ListMetricAttributionMetricsCommand,
  ListMetricAttributionsCommand,
  TagResourceCommand,
  UpdateMetricAttributionCommand,
  type CreateMetricAttributionRequest,
  type DatasetImportJob,
  type MetricAttribute,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { errorOf, startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { groupWithDatasets } from '../testkit/resources.ts';
import { csv, interactionRows4, INTERACTIONS_HEADER_4 } from '../testkit/rows.ts';

const ROLE = 'arn:aws:iam::000000000000:role/metrics';

const interactionsWithSource = JSON.stringify({
  type: 'record',
  name: 'Interactions',
  namespace: 'com.amazonaws.personalize.schema',
  version: '1.0',
  fields: [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
    { name: 'EVENT_VALUE', type: ['null', 'float'] },
    { name: 'EVENT_ATTRIBUTION_SOURCE', type: ['null', 'string'] },
  ],
});
const interactionsNoEventType = JSON.stringify({
  type: 'record',
  name: 'Interactions',
  namespace: 'com.amazonaws.personalize.schema',
  version: '1.0',
  fields: [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
  ],
});

describe('metric attributions', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let bucket: Bucket;
  before(async () => {
    // Long enough that "still PENDING" is observable under load (the update-while-updating check).
    svc = await startTestService({ OPENPERSONALIZE_PROVISIONING_MS: '400' });
    client = svc.client();
    bucket = localBucket(svc.dataDir);
  });
  after(() => svc.close());

  /** path null: no S3 output. */
  const request = (
    datasetGroupArn: string,
    metrics: MetricAttribute[],
    path: string | null = `s3://${bucket.name}/reports/`,
  ): CreateMetricAttributionRequest => ({
    name: uniqueName('ma'),
    datasetGroupArn,
    metrics,
    metricsOutputConfig: { roleArn: ROLE, s3DataDestination: path === null ? undefined : { path } },
  });
  const clicks: MetricAttribute = { eventType: 'click', metricName: 'CLICKS', expression: 'SAMPLECOUNT()' };
  const status = async (metricAttributionArn: string) =>
    (await client.send(new DescribeMetricAttributionCommand({ metricAttributionArn }))).metricAttribution!.status;

  async function importJob(
    datasetArn: string,
    key: string,
    body: string,
    importMode: 'FULL' | 'INCREMENTAL',
    publish = true,
  ): Promise<DatasetImportJob> {
    await bucket.put(key, body);
    const { datasetImportJobArn } = await client.send(
      new CreateDatasetImportJobCommand({
        jobName: uniqueName('imp'),
        datasetArn,
        dataSource: { dataLocation: `s3://${bucket.name}/${key}` },
        importMode,
        publishAttributionMetricsToS3: publish,
      }),
    );
    return waitFor(
      async () => {
        const j = (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!;
        return j.status === 'ACTIVE' || j.status === 'CREATE FAILED' ? j : undefined;
      },
      60_000,
      'import job to end',
    );
  }

  /** The report rows as `metric|source|window` -> { value, eventType, fn }, checking the header. */
  async function readReport(key: string): Promise<Map<string, { value: number; eventType: string; fn: string }>> {
    const [header, ...lines] = (await bucket.get(key)).trimEnd().split('\n');
    assert.equal(header, 'METRIC_NAME,EVENT_TYPE,VALUE,MATH_FUNCTION,EVENT_ATTRIBUTION_SOURCE,TIMESTAMP');
    const out = new Map<string, { value: number; eventType: string; fn: string }>();
    for (const line of lines) {
      const [metric, eventType, value, fn, source, window] = line.split(',');
      assert.equal(Number(window) % 900, 0, `window start ${window} is a multiple of 900`);
      out.set(`${metric}|${source}|${window}`, { value: Number(value), eventType, fn });
    }
    return out;
  }

  function assertFigures(actual: Map<string, { value: number }>, expected: Map<string, number>): void {
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
    for (const [k, v] of expected) {
      const got = actual.get(k)!.value;
      assert.ok(Math.abs(got - v) <= 1e-6 * Math.max(1, Math.abs(v)), `${k}: report says ${got}, the CSV gives ${v}`);
    }
  }

  it('creates, describes, lists, updates and deletes an attribution, through its states', async () => {
    const { datasetGroupArn: groupArn } = await groupWithDatasets(client, {
      Interactions: interactionsWithSource,
      Items: minimalSchemas.itemsPlusPrice,
    });
    const req = request(groupArn, [clicks, { eventType: 'purchase', metricName: 'REVENUE', expression: 'sum( Items.PRICE )' }]);
    const { metricAttributionArn } = await client.send(new CreateMetricAttributionCommand(req));
    assert.equal(metricAttributionArn, `arn:aws:personalize:us-east-1:000000000000:metric-attribution/${req.name}`);
    const first = (await client.send(new DescribeMetricAttributionCommand({ metricAttributionArn }))).metricAttribution!;
    assert.ok(['CREATE PENDING', 'CREATE IN_PROGRESS'].includes(first.status!), first.status);
    assert.equal(first.name, req.name);
    assert.equal(first.datasetGroupArn, groupArn);
    assert.deepEqual(first.metricsOutputConfig, req.metricsOutputConfig);
    await waitFor(async () => (await status(metricAttributionArn!)) === 'ACTIVE', 5_000, 'ACTIVE');

    const listed = await client.send(new ListMetricAttributionsCommand({ datasetGroupArn: groupArn }));
    assert.deepEqual(
      listed.metricAttributions?.map((m) => [m.name, m.metricAttributionArn, m.status]),
      [[req.name, metricAttributionArn, 'ACTIVE']],
    );
    assert.ok(
      (await client.send(new ListMetricAttributionsCommand({}))).metricAttributions?.some(
        (m) => m.metricAttributionArn === metricAttributionArn,
      ),
    );
    const page1 = await client.send(new ListMetricAttributionMetricsCommand({ metricAttributionArn, maxResults: 1 }));
    assert.deepEqual(page1.metrics, [clicks]);
    const page2 = await client.send(
      new ListMetricAttributionMetricsCommand({ metricAttributionArn, maxResults: 1, nextToken: page1.nextToken }),
    );
    assert.deepEqual(page2.metrics, [req.metrics![1]]);
    assert.equal(page2.nextToken, undefined);

    // Update: remove one, add two (one re-using the removed name), and a new output path.
    const views: MetricAttribute = { eventType: 'watch', metricName: 'VALUE', expression: 'SUM(Interactions.EVENT_VALUE)' };
    const revenue2: MetricAttribute = { eventType: 'buy', metricName: 'REVENUE', expression: 'SUM(Items.PRICE)' };
    await client.send(
      new UpdateMetricAttributionCommand({
        metricAttributionArn,
        removeMetrics: ['REVENUE'],
        addMetrics: [views, revenue2],
        metricsOutputConfig: { roleArn: ROLE, s3DataDestination: { path: `s3://${bucket.name}/other/` } },
      }),
    );
    assert.ok(['UPDATE PENDING', 'UPDATE IN_PROGRESS'].includes((await status(metricAttributionArn!))!));
    const busy = await errorOf(() => client.send(new UpdateMetricAttributionCommand({ metricAttributionArn, removeMetrics: ['VALUE'] })));
    assert.equal(busy.name, 'ResourceInUseException');
    await waitFor(async () => (await status(metricAttributionArn!)) === 'ACTIVE', 5_000, 'ACTIVE after update');
    assert.deepEqual((await client.send(new ListMetricAttributionMetricsCommand({ metricAttributionArn }))).metrics, [
      clicks,
      views,
      revenue2,
    ]);
    assert.equal(
      (await client.send(new DescribeMetricAttributionCommand({ metricAttributionArn }))).metricAttribution?.metricsOutputConfig
        ?.s3DataDestination?.path,
      `s3://${bucket.name}/other/`,
    );

    const update = (input: Omit<ConstructorParameters<typeof UpdateMetricAttributionCommand>[0], 'metricAttributionArn'>) =>
      errorOf(() => client.send(new UpdateMetricAttributionCommand({ metricAttributionArn, ...input })));
    assert.equal((await update({ addMetrics: [{ ...clicks, eventType: 'tap' }] })).name, 'ResourceAlreadyExistsException');
    assert.equal((await update({ removeMetrics: ['NOPE'] })).name, 'InvalidInputException');
    assert.equal((await update({})).name, 'InvalidInputException');
    assert.equal(
      (await update({ removeMetrics: ['CLICKS', 'VALUE', 'REVENUE'] })).name,
      'InvalidInputException',
      'at least one metric stays',
    );
    assert.equal(
      (await update({ addMetrics: [{ eventType: 'x', metricName: 'BAD', expression: 'SUM(Items.GENRES)' }] })).name,
      'InvalidInputException',
    );
    const tooMany = Array.from({ length: 8 }, (_, i) => ({ eventType: 'click', metricName: `M${i}`, expression: 'SAMPLECOUNT()' }));
    assert.match((await update({ addMetrics: tooMany })).message, /at most 10 metrics/);
    assert.equal(
      (await errorOf(() => client.send(new UpdateMetricAttributionCommand({ removeMetrics: ['CLICKS'] })))).name,
      'InvalidInputException',
    );

    // Not taggable; blocks deleting its group; deleting it takes effect at once.
    assert.equal(
      (
        await errorOf(() =>
          client.send(new TagResourceCommand({ resourceArn: metricAttributionArn, tags: [{ tagKey: 'k', tagValue: 'v' }] })),
        )
      ).name,
      'InvalidInputException',
    );
    assert.equal(
      (await errorOf(() => client.send(new DeleteDatasetGroupCommand({ datasetGroupArn: groupArn })))).name,
      'ResourceInUseException',
    );
    await client.send(new DeleteMetricAttributionCommand({ metricAttributionArn }));
    assert.equal(
      (await errorOf(() => client.send(new DescribeMetricAttributionCommand({ metricAttributionArn })))).name,
      'ResourceNotFoundException',
    );
    assert.equal(
      (await errorOf(() => client.send(new DeleteMetricAttributionCommand({ metricAttributionArn })))).name,
      'ResourceNotFoundException',
    );
    assert.equal(
      (await errorOf(() => client.send(new ListMetricAttributionMetricsCommand({ metricAttributionArn })))).name,
      'InvalidInputException',
    );
    assert.deepEqual((await client.send(new ListMetricAttributionsCommand({ datasetGroupArn: groupArn }))).metricAttributions, []);
  });

  it('refuses what an attribution may not be, and a second one in a group', async () => {
    const { datasetGroupArn: groupArn } = await groupWithDatasets(client, {
      Interactions: interactionsWithSource,
      Items: minimalSchemas.itemsPlusPrice,
    });
    const refuse = async (req: CreateMetricAttributionRequest, name: string, message?: RegExp) => {
      const e = await errorOf(() => client.send(new CreateMetricAttributionCommand(req)));
      assert.equal(e.name, name, e.message);
      assert.equal(e.$metadata?.httpStatusCode, 400);
      if (message) assert.match(e.message, message);
    };
    const metric = (expression: string): MetricAttribute[] => [{ eventType: 'purchase', metricName: 'M', expression }];
    await refuse({ ...request(groupArn, [clicks]), name: 'bad name!' }, 'ValidationException', /at 'name'/);
    await refuse(
      request(
        groupArn,
        Array.from({ length: 11 }, (_, i) => ({ ...clicks, metricName: `M${i}` })),
      ),
      'ValidationException',
      /metrics/,
    );
    await refuse(request(groupArn, []), 'InvalidInputException', /at least one metric/);
    await refuse(request(groupArn, [clicks, clicks]), 'InvalidInputException', /more than once/);
    for (const bad of ['AVG(Items.PRICE)', 'SUM(PRICE)', 'SUM(Users.AGE)', 'SAMPLECOUNT(Items.PRICE)', 'SUM(Items.PRICE) + 1', '']) {
      await refuse(request(groupArn, metric(bad)), 'InvalidInputException', /expected SAMPLECOUNT\(\) or SUM/);
    }
    await refuse(request(groupArn, metric('SUM(Items.COST)')), 'InvalidInputException', /no column COST/);
    await refuse(request(groupArn, metric('SUM(Items.price)')), 'InvalidInputException', /no column price/);
    await refuse(request(groupArn, metric('SUM(Items.GENRES)')), 'InvalidInputException', /numeric/);
    await refuse(request(groupArn, metric('SUM(Interactions.EVENT_ATTRIBUTION_SOURCE)')), 'InvalidInputException', /numeric/);
    await refuse(request(groupArn, [{ ...clicks, eventType: '' }]), 'InvalidInputException', /eventType/);
    await refuse(request(groupArn, [clicks], 's3://no-such-bucket-ma/x/'), 'InvalidInputException', /does not exist/);
    await refuse(request(`${groupArn}-missing`, [clicks]), 'ResourceNotFoundException');

    const noItems = await groupWithDatasets(client, { Interactions: interactionsWithSource });
    await refuse(request(noItems.datasetGroupArn, metric('SUM(Items.PRICE)')), 'InvalidInputException', /no Items dataset/);
    const noInteractions = await groupWithDatasets(client, { Items: minimalSchemas.itemsPlusPrice });
    await refuse(request(noInteractions.datasetGroupArn, [clicks]), 'InvalidInputException', /no Interactions dataset/);
    const noEventType = await groupWithDatasets(client, { Interactions: interactionsNoEventType });
    await refuse(request(noEventType.datasetGroupArn, [clicks]), 'InvalidInputException', /EVENT_TYPE/);

    // Without an S3 output an attribution is valid (AWS reports to CloudWatch then).
    const first = request(groupArn, [clicks], null);
    await client.send(new CreateMetricAttributionCommand(first));
    await refuse(request(groupArn, [clicks]), 'LimitExceededException', /at most one/);
    await refuse({ ...request(noItems.datasetGroupArn, [clicks]), name: first.name }, 'ResourceAlreadyExistsException');
    assert.equal((await client.send(new ListMetricAttributionsCommand({ datasetGroupArn: groupArn }))).metricAttributions?.length, 1);
  });

  it('refuses publishAttributionMetricsToS3 without an attribution that has an S3 output', async () => {
    const { datasetGroupArn: groupArn, datasetArns } = await groupWithDatasets(client, { Interactions: minimalSchemas.interactions });
    await bucket.put('refuse/i.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(1000)));
    const create = () =>
      client.send(
        new CreateDatasetImportJobCommand({
          jobName: uniqueName('imp'),
          datasetArn: datasetArns.Interactions,
          dataSource: { dataLocation: `s3://${bucket.name}/refuse/i.csv` },
          publishAttributionMetricsToS3: true,
        }),
      );
    const none = await errorOf(create);
    assert.equal(none.name, 'InvalidInputException');
    assert.match(none.message, /no metric attribution/);
    await client.send(new CreateMetricAttributionCommand(request(groupArn, [clicks], null)));
    const noS3 = await errorOf(create);
    assert.equal(noS3.name, 'InvalidInputException');
    assert.match(noS3.message, /no s3DataDestination/);
    assert.deepEqual(
      (await client.send(new ListDatasetImportJobsCommand({ datasetArn: datasetArns.Interactions }))).datasetImportJobs,
      [],
      'no job was created',
    );
  });

  it('publishes a report per metric, source and window whose figures match the imported CSV', async () => {
    const { datasetGroupArn: groupArn, datasetArns } = await groupWithDatasets(client, {
      Interactions: interactionsWithSource,
      Items: minimalSchemas.itemsPlusPrice,
    });
    // Items: a price for most items, none for every 7th (it adds nothing to the sum).
    const price = new Map<string, number>();
    const itemRows = Array.from({ length: 50 }, (_, n) => {
      if (n % 7 === 3) return `i${n},Drama,`;
      const p = Math.round((n * 3.7 + 0.99) * 100) / 100;
      price.set(`i${n}`, Math.fround(p)); // PRICE is an Avro float: stored as 32-bit
      return `i${n},Drama,${p}`;
    });
    assert.equal(
      (await importJob(datasetArns.Items, 'report/items.csv', csv('ITEM_ID,GENRES,PRICE', itemRows), 'FULL', false)).status,
      'ACTIVE',
    );
    const metrics: MetricAttribute[] = [
      clicks,
      { eventType: 'purchase', metricName: 'REVENUE', expression: 'SUM(Items.PRICE)' },
      { eventType: 'watch', metricName: 'WATCHED', expression: 'SUM(Interactions.EVENT_VALUE)' },
    ];
    const { metricAttributionArn } = await client.send(new CreateMetricAttributionCommand(request(groupArn, metrics)));
    await waitFor(async () => (await status(metricAttributionArn!)) === 'ACTIVE');

    const sources = [
      '',
      'arn:aws:personalize:us-east-1:000000000000:recommender/r1',
      'email',
      'arn:aws:personalize:us-east-1:000000000000:campaign/c2',
    ];
    const types = ['click', 'purchase', 'watch', 'view'];
    const rows = Array.from({ length: 1500 }, (_, i) => {
      const value = i % 11 === 0 ? '' : String((i % 13) + 0.25);
      return {
        user: `u${i % 40}`,
        item: `i${(i * 7) % 55}`,
        ts: 1_700_000_000 + i * 5,
        type: types[i % 4],
        value,
        source: sources[(i * 3) % 4],
      };
    });
    const body = csv(
      'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,EVENT_ATTRIBUTION_SOURCE',
      rows.map((r) => `${r.user},${r.item},${r.ts},${r.type},${r.value},${r.source}`),
    );

    // Independently: per metric, source (empty -> SOURCE_NAME_UNDEFINED) and 15-minute window.
    const expected = new Map<string, number>();
    for (const r of rows) {
      const key = (m: string) => `${m}|${r.source || 'SOURCE_NAME_UNDEFINED'}|${Math.floor(r.ts / 900) * 900}`;
      const add = (m: string, v: number) => expected.set(key(m), (expected.get(key(m)) ?? 0) + v);
      if (r.type === 'click') add('CLICKS', 1);
      if (r.type === 'purchase') add('REVENUE', price.get(r.item) ?? 0);
      if (r.type === 'watch') add('WATCHED', r.value === '' ? 0 : Math.fround(Number(r.value)));
    }

    await bucket.put('report/interactions.csv', body);
    const jobName = uniqueName('pub');
    const { datasetImportJobArn } = await client.send(
      new CreateDatasetImportJobCommand({
        jobName,
        datasetArn: datasetArns.Interactions,
        dataSource: { dataLocation: `s3://${bucket.name}/report/interactions.csv` },
        publishAttributionMetricsToS3: true,
      }),
    );
    // While the job is pending the attribution it publishes to cannot go away.
    assert.equal(
      (await errorOf(() => client.send(new DeleteMetricAttributionCommand({ metricAttributionArn })))).name,
      'ResourceInUseException',
    );
    const job = await waitFor(
      async () => {
        const j = (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!;
        return j.status === 'ACTIVE' || j.status === 'CREATE FAILED' ? j : undefined;
      },
      60_000,
      'import job to end',
    );
    assert.equal(job.status, 'ACTIVE', job.failureReason);
    assert.equal(job.publishAttributionMetricsToS3, true);

    const keys = await bucket.list('reports/');
    const seconds = Math.floor(job.creationDateTime!.getTime() / 1000);
    assert.deepEqual(keys, [`reports/AggregatedAttributionMetrics-FULL-${seconds}-${jobName}.csv`]);
    const report = await readReport(keys[0]);
    assertFigures(report, expected);
    assert.ok(
      [...expected.keys()].some((k) => k.includes('|SOURCE_NAME_UNDEFINED|')) && [...expected.keys()].some((k) => k.includes('|email|')),
    );
    for (const [k, r] of report) {
      const metric = metrics.find((m) => m.metricName === k.split('|')[0])!;
      assert.deepEqual([r.eventType, r.fn], [metric.eventType, metric.expression!.startsWith('SUM') ? 'sum' : 'samplecount']);
    }
  });

  it('fails an import that brings more than 100 distinct event attribution sources into a group with an attribution', async () => {
    const { datasetGroupArn: groupArn, datasetArns } = await groupWithDatasets(client, { Interactions: interactionsWithSource });
    const { metricAttributionArn } = await client.send(new CreateMetricAttributionCommand(request(groupArn, [clicks])));
    await waitFor(async () => (await status(metricAttributionArn!)) === 'ACTIVE');
    const header = 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE,EVENT_ATTRIBUTION_SOURCE';
    const rowsWith = (sources: number, from = 0) =>
      Array.from(
        { length: 1000 },
        (_, i) =>
          `u${(i + from) % 50},i${i % 60},${1_700_000_000 + i + from},click,,${i % 10 === 0 ? '' : `src-${Math.floor(i / 10) % sources}`}`,
      );
    // 100 sources (plus rows without one, SOURCE_NAME_UNDEFINED): at the limit.
    assert.equal(
      (await importJob(datasetArns.Interactions, 'sources/100.csv', csv(header, rowsWith(100)), 'FULL', false)).status,
      'ACTIVE',
    );
    // One more, in an INCREMENTAL import: the dataset would hold 101.
    const extra = rowsWith(100, 5000).map((r, i) => (i === 1 ? r.replace(/src-\d+$/, 'src-new') : r));
    const more = await importJob(datasetArns.Interactions, 'sources/101.csv', csv(header, extra), 'INCREMENTAL', false);
    assert.equal(more.status, 'CREATE FAILED');
    assert.equal(
      more.failureReason,
      'With a metric attribution, at most 100 distinct event attribution sources (EVENT_ATTRIBUTION_SOURCE) can be imported, but the dataset would hold 101 (e.g. src-0, src-1, src-10, src-11, src-12).',
    );
  });

  it('reports only the rows of its own job, SOURCE_NAME_UNDEFINED without the source column', async () => {
    const { datasetGroupArn: groupArn, datasetArns } = await groupWithDatasets(client, { Interactions: minimalSchemas.interactions });
    await client.send(new CreateMetricAttributionCommand(request(groupArn, [clicks], `s3://${bucket.name}/own/`)));
    const expectedFor = (rows: string[]) => {
      const out = new Map<string, number>();
      for (const [, , ts, type] of rows.map((r) => r.split(','))) {
        const k = `CLICKS|SOURCE_NAME_UNDEFINED|${Math.floor(Number(ts) / 900) * 900}`;
        if (type === 'click') out.set(k, (out.get(k) ?? 0) + 1);
      }
      return out;
    };
    const full = interactionRows4(1000);
    assert.equal((await importJob(datasetArns.Interactions, 'own/a.csv', csv(INTERACTIONS_HEADER_4, full), 'FULL')).status, 'ACTIVE');
    const more = interactionRows4(1000, 4000);
    const job = await importJob(datasetArns.Interactions, 'own/b.csv', csv(INTERACTIONS_HEADER_4, more), 'INCREMENTAL');
    assert.equal(job.status, 'ACTIVE', job.failureReason);
    const keys = await bucket.list('own/AggregatedAttributionMetrics-');
    assert.equal(keys.length, 2);
    const incremental = keys.find((k) => k.includes('-INCREMENTAL-'))!;
    assert.ok(incremental.endsWith(`-${job.jobName}.csv`));
    assertFigures(await readReport(keys.find((k) => k.includes('-FULL-'))!), expectedFor(full));
    assertFigures(await readReport(incremental), expectedFor(more));
  });
});
