// The status table of every resource family (src/resources/*/*-record.ts), checked as a table
// (every status reachable, none a dead end, undeclared moves refused) and through the API: each
// kind shows its statuses in an order its table declares. Record files are found on disk, so a
// new family's table is checked without editing this file, and the last test asks for its API test.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  CreateBatchInferenceJobCommand,
  CreateBatchSegmentJobCommand,
  CreateCampaignCommand,
  CreateDataDeletionJobCommand,
  CreateDatasetExportJobCommand,
  CreateDatasetGroupCommand,
  DeleteDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  CreateEventTrackerCommand,
  CreateFilterCommand,
  CreateMetricAttributionCommand,
  CreateSchemaCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeBatchInferenceJobCommand,
  DescribeBatchSegmentJobCommand,
  DescribeCampaignCommand,
  DescribeDataDeletionJobCommand,
  DescribeDatasetCommand,
  DescribeDatasetExportJobCommand,
  DescribeDatasetGroupCommand,
  DescribeDatasetImportJobCommand,
  DescribeEventTrackerCommand,
  DescribeFilterCommand,
  DescribeMetricAttributionCommand,
  DescribeSchemaCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  UpdateCampaignCommand,
  UpdateDatasetCommand,
  UpdateMetricAttributionCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import {
  CreateDatasetCommand,
  CreateRecommenderCommand,
  DescribeRecommenderCommand,
  StartRecommenderCommand,
  StopRecommenderCommand,
  UpdateRecommenderCommand,
} from '@aws-sdk/client-personalize';
import { CAMPAIGN_UPDATE_STATUSES } from '../../src/resources/campaigns/campaign-record.ts';
import { RECOMMENDER_UPDATE_STATUSES } from '../../src/resources/recommenders/recommender-record.ts';
import { schedule } from '../../src/resources/shared/lifecycle.ts';
import { definedKinds, kindDefinition } from '../../src/resources/shared/resource-kind.ts';
import { assertMove, canMove, isFinal, unfinished, type StatusTable } from '../../src/resources/shared/status-table.ts';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeDataset, activeGroup, datasetIn } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4, interactionRows4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';

const RESOURCES = new URL('../../src/resources/', import.meta.url);
const RECORD_FILES = readdirSync(RESOURCES, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('-record.ts'));
for (const file of RECORD_FILES) await import(new URL(file, RESOURCES).href);

/** The statuses reachable from `from` in one move or more. */
function reachable(table: StatusTable, from: string): Set<string> {
  const seen = new Set<string>();
  const todo = [...table.transitions[from]];
  for (let s = todo.pop(); s !== undefined; s = todo.pop()) {
    if (!seen.has(s)) todo.push(...table.transitions[s]);
    seen.add(s);
  }
  return seen;
}

describe('status tables', () => {
  it('every record file declares one kind, with its own table', () => {
    // A record file may instead hold what several kinds store alike (batch-jobs/batch-job-record.ts).
    const declaring = RECORD_FILES.filter((f) => readFileSync(new URL(f, RESOURCES), 'utf8').includes('defineKind('));
    assert.deepEqual(
      RECORD_FILES.filter((f) => !declaring.includes(f)).map((f) => f.replaceAll('\\', '/')),
      ['batch-jobs/batch-job-record.ts'],
    );
    assert.equal(definedKinds().length, declaring.length, declaring.join(', '));
    for (const d of definedKinds()) assert.equal(d.statuses.kind, d.kind);
  });

  for (const { kind, statuses: table } of definedKinds()) {
    describe(kind, () => {
      it('reaches every status from the initial one', () => {
        const from = new Set([table.initial, ...reachable(table, table.initial)]);
        assert.deepEqual(
          table.states.filter((s) => !from.has(s)),
          [],
        );
      });

      it('has no dead end', () => {
        const finals = table.states.filter((s) => isFinal(table, s));
        assert.deepEqual(
          unfinished(table),
          table.states.filter((s) => !finals.includes(s)),
        );
        if (finals.length > 0) {
          for (const s of unfinished(table))
            assert.ok(
              finals.some((f) => reachable(table, s).has(f)),
              `${s} reaches no final status`,
            );
        } else {
          // A resource that rests in ACTIVE and leaves it only for an update: from wherever it is, it comes back.
          const everywhere = table.states.filter((r) => table.states.every((s) => s === r || reachable(table, s).has(r)));
          assert.ok(everywhere.length > 0, 'no status that every status leads back to');
        }
      });

      it('refuses undeclared moves, naming the kind and both statuses, and allows keeping a status', () => {
        for (const s of table.states) {
          assert.ok(canMove(table, s, s));
          assertMove(table, s, s);
          for (const to of table.states.filter((t) => t !== s && !table.transitions[s].includes(t))) {
            assert.throws(
              () => assertMove(table, s, to),
              (e: Error) => e.message.includes(kind) && e.message.includes(s) && e.message.includes(to),
            );
          }
        }
        assert.throws(() => assertMove(table, 'NO SUCH STATUS', table.initial), /NO SUCH STATUS/);
        assert.throws(() => assertMove(table, null, table.initial), /no status/);
      });
    });
  }

  it('schedules only declared steps', () => {
    const group = kindDefinition('dataset-group').statuses;
    assert.deepEqual(
      schedule(group, group.initial, ['CREATE IN_PROGRESS', 'ACTIVE'], 1000, 100).map((t) => [t.status, t.at]),
      [
        ['CREATE IN_PROGRESS', 1050],
        ['ACTIVE', 1100],
      ],
    );
    assert.throws(() => schedule(group, group.initial, ['ACTIVE'], 1000, 100), /dataset-group.*CREATE PENDING to ACTIVE/);
  });
});

/** The shortest declared way from `from` to `to` (at least one move), both included. */
function declaredPath(table: StatusTable, from: string, to: string): string[] {
  const paths: string[][] = table.transitions[from].map((s) => [from, s]);
  for (const path of paths) {
    const last = path[path.length - 1];
    if (last === to) return path;
    paths.push(...table.transitions[last].filter((s) => !path.includes(s) || s === to).map((s) => [...path, s]));
  }
  throw new Error(`${table.kind} declares no way from ${from} to ${to}`);
}

const ROLE = 'arn:aws:iam::000000000000:role/status-tables';
const MOST_VIEWED = 'arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-views';

describe('statuses through the API, in declared order', () => {
  const tested = new Set<string>();
  // Provisioning slow enough to see every step; and jobs that run only when the test drains them.
  let slowSvc: TestService;
  let jobsSvc: TestService;
  let slow: PersonalizeClient;
  let client: PersonalizeClient;
  let bucket: Bucket;
  before(async () => {
    [slowSvc, jobsSvc] = await Promise.all([
      startTestService({ OPENPERSONALIZE_PROVISIONING_MS: '1200' }),
      startTestService({}, { manualJobs: true }),
    ]);
    slow = slowSvc.client();
    client = jobsSvc.client();
    bucket = localBucket(jobsSvc.dataDir);
  });
  after(() => Promise.all([slowSvc.close(), jobsSvc.close()]));

  /**
   * Reads the status until the path's last one and checks that the API showed exactly the path.
   * `held`: path[0] is the status before the call that started the path (an update of an ACTIVE resource).
   */
  async function expectPath(kind: string, path: string[], read: () => Promise<string | undefined>, held = false): Promise<void> {
    tested.add(kind);
    const seen: string[] = held ? [path[0]] : [];
    await waitFor(
      async () => {
        const s = await read();
        if (s !== undefined && s !== seen[seen.length - 1]) seen.push(s);
        return s === path[path.length - 1] && seen.length > 1;
      },
      15_000,
      `${kind} to reach ${path[path.length - 1]}`,
      10,
    );
    assert.deepEqual(seen, path, `${kind}: ${seen.join(' -> ')}`);
  }
  const creation = (kind: string) => declaredPath(kindDefinition(kind).statuses, kindDefinition(kind).statuses.initial, 'ACTIVE');
  const update = (kind: string) => declaredPath(kindDefinition(kind).statuses, 'ACTIVE', 'ACTIVE');

  /** A job: its initial status while queued, then (the runner drained) the final status `end`, reachable from it. */
  async function expectJob(kind: string, end: string, read: () => Promise<string | undefined>): Promise<void> {
    tested.add(kind);
    const table = kindDefinition(kind).statuses;
    assert.equal(await read(), table.initial);
    await jobsSvc.runner.drain();
    const last = await read();
    assert.equal(last, end);
    assert.ok(isFinal(table, last) && reachable(table, table.initial).has(end), `${kind}: ${table.initial} -> ${last}`);
  }

  it('schema: ACTIVE (final) from the start, a status the API does not show', async () => {
    tested.add('schema');
    const { schemaArn } = await slow.send(new CreateSchemaCommand({ name: uniqueName('s'), schema: minimalSchemas.users }));
    const shown = (await slow.send(new DescribeSchemaCommand({ schemaArn }))).schema as { status?: string };
    assert.equal(shown.status, undefined);
    const stored = await slowSvc.catalog.get(schemaArn!);
    assert.equal(stored?.status, kindDefinition('schema').statuses.initial);
    assert.ok(isFinal(kindDefinition('schema').statuses, stored?.status));
  });

  it('dataset group: CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE', async () => {
    const { datasetGroupArn } = await slow.send(new CreateDatasetGroupCommand({ name: uniqueName('g') }));
    await expectPath(
      'dataset-group',
      creation('dataset-group'),
      async () => (await slow.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup?.status,
    );
  });

  it('dataset group deletion: DELETE PENDING, its only and final status, for the provisioning time; then not found', async () => {
    tested.add('dataset-group-deletion');
    const table = kindDefinition('dataset-group-deletion').statuses;
    const datasetGroupArn = await activeGroup(slow);
    await slow.send(new DeleteDatasetGroupCommand({ datasetGroupArn }));
    const read = () => slow.send(new DescribeDatasetGroupCommand({ datasetGroupArn }));
    assert.equal((await read()).datasetGroup?.status, table.initial);
    assert.ok(isFinal(table, table.initial));
    await waitFor(
      () =>
        read().then(
          () => false,
          (e: Error) => e.name === 'ResourceNotFoundException',
        ),
      15_000,
      'the group not found',
    );
  });

  it('dataset: created, then updated back to ACTIVE', async () => {
    const datasetArn = await datasetIn(slow, await activeGroup(slow), minimalSchemas.items, 'Items', { wait: false });
    const read = async () => (await slow.send(new DescribeDatasetCommand({ datasetArn }))).dataset?.status;
    await expectPath('dataset', creation('dataset'), read);
    const { schemaArn } = await slow.send(new CreateSchemaCommand({ name: uniqueName('s'), schema: minimalSchemas.itemsPlusPrice }));
    await slow.send(new UpdateDatasetCommand({ datasetArn, schemaArn }));
    await expectPath('dataset', update('dataset'), read, true);
  });

  it('event tracker: CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE', async () => {
    const { eventTrackerArn } = await slow.send(
      new CreateEventTrackerCommand({ name: uniqueName('t'), datasetGroupArn: await activeGroup(slow) }),
    );
    await expectPath(
      'event-tracker',
      creation('event-tracker'),
      async () => (await slow.send(new DescribeEventTrackerCommand({ eventTrackerArn }))).eventTracker?.status,
    );
  });

  it('metric attribution: created, then updated back to ACTIVE', async () => {
    const datasetGroupArn = await activeGroup(slow);
    await datasetIn(slow, datasetGroupArn, minimalSchemas.interactions, 'Interactions', { wait: false });
    const { metricAttributionArn } = await slow.send(
      new CreateMetricAttributionCommand({
        name: uniqueName('ma'),
        datasetGroupArn,
        metricsOutputConfig: { roleArn: ROLE },
        metrics: [{ eventType: 'click', metricName: 'clicks', expression: 'SAMPLECOUNT()' }],
      }),
    );
    const read = async () => (await slow.send(new DescribeMetricAttributionCommand({ metricAttributionArn }))).metricAttribution?.status;
    await expectPath('metric-attribution', creation('metric-attribution'), read);
    await slow.send(
      new UpdateMetricAttributionCommand({
        metricAttributionArn,
        addMetrics: [{ eventType: 'purchase', metricName: 'purchases', expression: 'SAMPLECOUNT()' }],
      }),
    );
    await expectPath('metric-attribution', update('metric-attribution'), read, true);
  });

  it('import, export and data deletion jobs: queued in their initial status, then final', async () => {
    const datasetGroupArn = await activeGroup(client);
    const datasetArn = await datasetIn(client, datasetGroupArn, minimalSchemas.interactions, 'Interactions');
    await bucket.put('status-tables/good.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(1000)));
    await bucket.put('status-tables/bad.csv', csv(INTERACTIONS_HEADER_4, ['u1,i1,not-a-time,click']));
    await bucket.put('status-tables/users.csv', csv('USER_ID', ['u1']));
    const at = (key: string) => `s3://${bucket.name}/status-tables/${key}`;
    const importJob = async (file: string) => {
      const { datasetImportJobArn } = await client.send(
        new CreateDatasetImportJobCommand({
          jobName: uniqueName('imp'),
          datasetArn,
          dataSource: { dataLocation: at(file) },
          roleArn: ROLE,
        }),
      );
      return async () => (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob?.status;
    };
    await expectJob('dataset-import-job', 'CREATE FAILED', await importJob('bad.csv'));
    await expectJob('dataset-import-job', 'ACTIVE', await importJob('good.csv'));

    const { datasetExportJobArn } = await client.send(
      new CreateDatasetExportJobCommand({
        jobName: uniqueName('exp'),
        datasetArn,
        ingestionMode: 'BULK',
        roleArn: ROLE,
        jobOutput: { s3DataDestination: { path: at('exports/') } },
      }),
    );
    await expectJob(
      'dataset-export-job',
      'ACTIVE',
      async () => (await client.send(new DescribeDatasetExportJobCommand({ datasetExportJobArn }))).datasetExportJob?.status,
    );

    const { dataDeletionJobArn } = await client.send(
      new CreateDataDeletionJobCommand({
        jobName: uniqueName('del'),
        datasetGroupArn,
        dataSource: { dataLocation: at('users.csv') },
        roleArn: ROLE,
      }),
    );
    await expectJob(
      'data-deletion-job',
      'COMPLETED',
      async () => (await client.send(new DescribeDataDeletionJobCommand({ dataDeletionJobArn }))).dataDeletionJob?.status,
    );
  });

  it('solution: CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE; its version a job, failed without data', async () => {
    const recipeArn = 'arn:aws:personalize:::recipe/aws-popularity-count';
    const { solutionArn } = await slow.send(
      new CreateSolutionCommand({ name: uniqueName('sol'), datasetGroupArn: await activeGroup(slow), recipeArn }),
    );
    await expectPath(
      'solution',
      creation('solution'),
      async () => (await slow.send(new DescribeSolutionCommand({ solutionArn }))).solution?.status,
    );

    const { solutionArn: jobSolution } = await client.send(
      new CreateSolutionCommand({ name: uniqueName('sol'), datasetGroupArn: await activeGroup(client), recipeArn }),
    );
    await waitFor(async () => (await client.send(new DescribeSolutionCommand({ solutionArn: jobSolution }))).solution?.status === 'ACTIVE');
    const { solutionVersionArn } = await client.send(new CreateSolutionVersionCommand({ solutionArn: jobSolution }));
    await expectJob(
      'solution-version',
      'CREATE FAILED',
      async () => (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion?.status,
    );
  });

  it('filter: CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE', async () => {
    const datasetGroupArn = await activeGroup(slow);
    await datasetIn(slow, datasetGroupArn, minimalSchemas.items, 'Items', { wait: false });
    const { filterArn } = await slow.send(
      new CreateFilterCommand({ name: uniqueName('f'), datasetGroupArn, filterExpression: 'EXCLUDE ItemID WHERE Items.GENRES IN ("x")' }),
    );
    await expectPath('filter', creation('filter'), async () => (await slow.send(new DescribeFilterCommand({ filterArn }))).filter?.status);
  });

  it('campaign: CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE (an update shows its own statuses)', async () => {
    const { datasetGroupArn, datasetArn } = await activeDataset(slow, minimalSchemas.interactions, 'Interactions');
    const slowBucket = localBucket(slowSvc.dataDir);
    await slowBucket.put('interactions.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(1200)));
    const { datasetImportJobArn } = await slow.send(
      new CreateDatasetImportJobCommand({
        jobName: uniqueName('imp'),
        datasetArn,
        dataSource: { dataLocation: `s3://${slowBucket.name}/interactions.csv` },
        roleArn: ROLE,
      }),
    );
    await waitFor(
      async () => (await slow.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob?.status === 'ACTIVE',
      15_000,
    );
    const { solutionArn } = await slow.send(
      new CreateSolutionCommand({
        name: uniqueName('sol'),
        datasetGroupArn,
        recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count',
      }),
    );
    const { solutionVersionArn } = await slow.send(new CreateSolutionVersionCommand({ solutionArn }));
    await waitFor(
      async () => (await slow.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion?.status === 'ACTIVE',
      30_000,
    );
    const { campaignArn } = await slow.send(new CreateCampaignCommand({ name: uniqueName('c'), solutionVersionArn }));
    await expectPath(
      'campaign',
      creation('campaign'),
      async () => (await slow.send(new DescribeCampaignCommand({ campaignArn }))).campaign?.status,
    );
    await slow.send(new UpdateCampaignCommand({ campaignArn, minProvisionedTPS: 2 }));
    await expectPath(
      'campaign',
      declaredPath(CAMPAIGN_UPDATE_STATUSES, CAMPAIGN_UPDATE_STATUSES.initial, 'ACTIVE'),
      async () => (await slow.send(new DescribeCampaignCommand({ campaignArn }))).campaign?.latestCampaignUpdate?.status,
    );
  });

  it('recommender: created by its model job, then stopped and started (timed), updated; its model a job', async () => {
    // The model job without data: both end CREATE FAILED.
    const failing = await activeGroup(client, { domain: 'ECOMMERCE' });
    const { recommenderArn: failed } = await client.send(
      new CreateRecommenderCommand({ name: uniqueName('rec'), datasetGroupArn: failing, recipeArn: MOST_VIEWED }),
    );
    const failedStatus = async () => (await client.send(new DescribeRecommenderCommand({ recommenderArn: failed }))).recommender?.status;
    assert.equal(await failedStatus(), kindDefinition('recommender').statuses.initial);
    const [model] = await jobsSvc.catalog.list({
      account: '000000000000',
      region: 'us-east-1',
      kind: 'recommender-model',
      parentArn: failed,
    });
    await expectJob('recommender-model', 'CREATE FAILED', async () => (await jobsSvc.catalog.get(model.arn))?.status ?? undefined);
    const creation = kindDefinition('recommender').statuses;
    await expectPath('recommender', declaredPath(creation, creation.initial, 'CREATE FAILED'), failedStatus, true);
    // With data, on the slow service: created, stopped, started, updated.
    const datasetGroupArn = await activeGroup(slow, { domain: 'ECOMMERCE' });
    const { schemaArn } = await slow.send(
      new CreateSchemaCommand({ name: uniqueName('s'), schema: minimalSchemas.interactions, domain: 'ECOMMERCE' }),
    );
    const { datasetArn } = await slow.send(
      new CreateDatasetCommand({ name: uniqueName('d'), schemaArn, datasetGroupArn, datasetType: 'Interactions' }),
    );
    await waitFor(async () => (await slow.send(new DescribeDatasetCommand({ datasetArn }))).dataset?.status === 'ACTIVE', 15_000);
    const slowBucket = localBucket(slowSvc.dataDir);
    await slowBucket.put('views.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(1200, 0, ['View'])));
    const { datasetImportJobArn } = await slow.send(
      new CreateDatasetImportJobCommand({
        jobName: uniqueName('imp'),
        datasetArn,
        dataSource: { dataLocation: `s3://${slowBucket.name}/views.csv` },
        roleArn: ROLE,
      }),
    );
    await waitFor(
      async () => (await slow.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob?.status === 'ACTIVE',
      15_000,
    );
    const { recommenderArn } = await slow.send(
      new CreateRecommenderCommand({ name: uniqueName('rec'), datasetGroupArn, recipeArn: MOST_VIEWED }),
    );
    const status = async () => (await slow.send(new DescribeRecommenderCommand({ recommenderArn }))).recommender?.status;
    await waitFor(async () => (await status()) === 'ACTIVE', 30_000);
    const table = kindDefinition('recommender').statuses;
    await slow.send(new StopRecommenderCommand({ recommenderArn }));
    await expectPath('recommender', declaredPath(table, 'ACTIVE', 'INACTIVE'), status, true);
    await slow.send(new StartRecommenderCommand({ recommenderArn }));
    await expectPath('recommender', declaredPath(table, 'INACTIVE', 'ACTIVE'), status, true);
    await slow.send(new UpdateRecommenderCommand({ recommenderArn, recommenderConfig: { minRecommendationRequestsPerSecond: 2 } }));
    await expectPath(
      'recommender',
      declaredPath(RECOMMENDER_UPDATE_STATUSES, RECOMMENDER_UPDATE_STATUSES.initial, 'ACTIVE'),
      async () => (await slow.send(new DescribeRecommenderCommand({ recommenderArn }))).recommender?.latestRecommenderUpdate?.status,
    );
  });

  it('batch inference and batch segment jobs: queued in their initial status, then final', async () => {
    const datasetGroupArn = await activeGroup(client);
    const datasetArn = await datasetIn(client, datasetGroupArn, minimalSchemas.interactions, 'Interactions');
    await bucket.put('status-tables/batch.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(1000)));
    await bucket.put('status-tables/batch.json', '{"userId": "u1"}\n');
    const at = (key: string) => `s3://${bucket.name}/status-tables/${key}`;
    await client.send(
      new CreateDatasetImportJobCommand({ jobName: uniqueName('imp'), datasetArn, dataSource: { dataLocation: at('batch.csv') } }),
    );
    await jobsSvc.runner.drain();
    const version = async (recipe: string) => {
      const { solutionArn } = await client.send(
        new CreateSolutionCommand({ name: uniqueName('sol'), datasetGroupArn, recipeArn: `arn:aws:personalize:::recipe/${recipe}` }),
      );
      await waitFor(async () => (await client.send(new DescribeSolutionCommand({ solutionArn }))).solution?.status === 'ACTIVE');
      const { solutionVersionArn } = await client.send(new CreateSolutionVersionCommand({ solutionArn }));
      await jobsSvc.runner.drain();
      return solutionVersionArn!;
    };
    const io = (input: string) => ({
      jobInput: { s3DataSource: { path: at(input) } },
      jobOutput: { s3DataDestination: { path: at('batch-out/') } },
    });
    for (const [input, end] of [
      ['batch.json', 'ACTIVE'],
      ['missing.json', 'CREATE FAILED'],
    ]) {
      const { batchInferenceJobArn } = await client.send(
        new CreateBatchInferenceJobCommand({
          jobName: uniqueName('bij'),
          solutionVersionArn: await version('aws-popularity-count'),
          roleArn: ROLE,
          ...io(input),
        }),
      );
      await expectJob(
        'batch-inference-job',
        end,
        async () => (await client.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn }))).batchInferenceJob?.status,
      );
    }
    const { batchSegmentJobArn } = await client.send(
      new CreateBatchSegmentJobCommand({
        jobName: uniqueName('bsj'),
        solutionVersionArn: await version('aws-item-affinity'),
        roleArn: ROLE,
        ...io('missing.json'),
      }),
    );
    await expectJob(
      'batch-segment-job',
      'CREATE FAILED',
      async () => (await client.send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn }))).batchSegmentJob?.status,
    );
  });

  it('covers every kind', () => {
    assert.deepEqual(
      definedKinds()
        .map((d) => d.kind)
        .filter((k) => !tested.has(k)),
      [],
    );
  });
});
