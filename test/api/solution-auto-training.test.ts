// Automatic training (training-rules.md rule 34) on a test clock: the first automatic version an
// hour after the solution is ACTIVE (skipped when a manual one came first), then every N days from
// the first training's start and only when the interactions changed; UpdateSolution restarts or
// stops the schedule. The service's rounds run when the test calls runAutoTraining (manual jobs).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateDatasetImportJobCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeSolutionVersionCommand,
  ListSolutionVersionsCommand,
  UpdateSolutionCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4, trafficRows4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';
import { testClock, type TestClock } from '../testkit/test-clock.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const POPULARITY = 'arn:aws:personalize:::recipe/aws-popularity-count';

describe('automatic training', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let clock: TestClock;
  let bucket: Bucket;
  before(async () => {
    clock = testClock();
    svc = await startTestService({ OPENPERSONALIZE_PROVISIONING_MS: '0' }, { now: clock.now, manualJobs: true });
    client = svc.client();
    bucket = localBucket(svc.dataDir);
  });
  after(() => svc.close());

  async function importRows(datasetArn: string, rows: string[], importMode: 'FULL' | 'INCREMENTAL' = 'FULL'): Promise<void> {
    const key = `${uniqueName('d')}.csv`;
    await bucket.put(key, csv(INTERACTIONS_HEADER_4, rows));
    await client.send(
      new CreateDatasetImportJobCommand({
        jobName: uniqueName('imp'),
        datasetArn,
        importMode,
        dataSource: { dataLocation: `s3://${bucket.name}/${key}` },
      }),
    );
    await svc.runner.drain();
  }

  async function groupWithData(): Promise<{ datasetGroupArn: string; datasetArn: string }> {
    const r = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
    await importRows(r.datasetArn, trafficRows4(1500));
    return r;
  }

  const versionsOf = async (solutionArn: string) => (await client.send(new ListSolutionVersionsCommand({ solutionArn }))).solutionVersions!;

  /** Moves the clock, runs a round of automatic training and the jobs it queued; returns the versions it made. */
  async function round(ms: number): Promise<string[]> {
    clock.advance(ms);
    const made = await svc.runAutoTraining();
    await svc.runner.drain();
    return made;
  }

  it('trains an hour after the solution is ACTIVE, then every 7 days when the interactions changed', async () => {
    const { datasetGroupArn, datasetArn } = await groupWithData();
    const { solutionArn } = await client.send(
      new CreateSolutionCommand({ name: uniqueName('sol'), datasetGroupArn, recipeArn: POPULARITY }),
    );
    assert.deepEqual(await round(HOUR - 1000), []);
    const [first] = await round(2000);
    assert.ok(first?.startsWith(`${solutionArn}/`), String(first));
    const version = (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn: first }))).solutionVersion!;
    assert.deepEqual([version.trainingType, version.trainingMode, version.status], ['AUTOMATIC', 'AUTOTRAIN', 'ACTIVE']);
    assert.deepEqual(await round(HOUR), [], 'not due again before 7 days');
    // 7 days on, the data has not changed: no training, the schedule goes on.
    assert.deepEqual(await round(7 * DAY), []);
    await importRows(datasetArn, trafficRows4(1200, 4242), 'INCREMENTAL');
    assert.deepEqual(await round(DAY), [], 'due only every 7 days from the first training');
    const [second] = await round(6 * DAY);
    assert.ok(second, 'the interactions changed: a new version');
    assert.deepEqual(
      (await versionsOf(solutionArn!)).map((v) => [v.solutionVersionArn, v.trainingType, v.status]),
      [
        [second, 'AUTOMATIC', 'ACTIVE'],
        [first, 'AUTOMATIC', 'ACTIVE'],
      ],
    );
  });

  it('skips the first automatic training after a manual version within the hour', async () => {
    const { datasetGroupArn, datasetArn } = await groupWithData();
    const { solutionArn } = await client.send(
      new CreateSolutionCommand({ name: uniqueName('sol'), datasetGroupArn, recipeArn: POPULARITY }),
    );
    const { solutionVersionArn: manual } = await client.send(new CreateSolutionVersionCommand({ solutionArn }));
    await svc.runner.drain();
    assert.deepEqual(await round(2 * HOUR), []);
    await importRows(datasetArn, trafficRows4(1200, 99), 'INCREMENTAL');
    // Counted from the manual version's start: due 7 days after it.
    assert.deepEqual(await round(7 * DAY - 3 * HOUR), []);
    const made = await round(2 * HOUR);
    assert.equal(made.length, 1);
    assert.deepEqual(
      (await versionsOf(solutionArn!)).map((v) => v.solutionVersionArn),
      [made[0], manual],
    );
  });

  it('turned on by UpdateSolution: due an hour later, whatever manual versions came before', async () => {
    const { datasetGroupArn, datasetArn } = await groupWithData();
    const { solutionArn } = await client.send(
      new CreateSolutionCommand({ name: uniqueName('sol'), datasetGroupArn, recipeArn: POPULARITY, performAutoTraining: false }),
    );
    await client.send(new CreateSolutionVersionCommand({ solutionArn }));
    await svc.runner.drain();
    assert.deepEqual(await round(2 * HOUR), []);
    await client.send(new UpdateSolutionCommand({ solutionArn, performAutoTraining: true }));
    await importRows(datasetArn, trafficRows4(1200, 31), 'INCREMENTAL');
    assert.deepEqual(await round(HOUR - 1000), []);
    const made = await round(2000);
    assert.equal(made.length, 1);
    assert.equal((await versionsOf(solutionArn!)).length, 2);
  });

  it('follows UpdateSolution: a new frequency restarts the schedule, turning it off stops it; performAutoTraining=false never trains', async () => {
    const { datasetGroupArn, datasetArn } = await groupWithData();
    const off = await client.send(
      new CreateSolutionCommand({ name: uniqueName('sol'), datasetGroupArn, recipeArn: POPULARITY, performAutoTraining: false }),
    );
    const { solutionArn } = await client.send(
      new CreateSolutionCommand({ name: uniqueName('sol'), datasetGroupArn, recipeArn: POPULARITY }),
    );
    assert.equal((await round(HOUR + 1000)).length, 1);
    await client.send(
      new UpdateSolutionCommand({ solutionArn, solutionUpdateConfig: { autoTrainingConfig: { schedulingExpression: 'rate(2 days)' } } }),
    );
    await importRows(datasetArn, trafficRows4(1200, 7), 'INCREMENTAL');
    // The update is ACTIVE at once (provisioning 0): a version is due within the hour, then every 2 days.
    assert.equal((await round(HOUR)).length, 1);
    await importRows(datasetArn, trafficRows4(1200, 8), 'INCREMENTAL');
    assert.equal((await round(2 * DAY)).length, 1);
    await client.send(new UpdateSolutionCommand({ solutionArn, performAutoTraining: false }));
    await importRows(datasetArn, trafficRows4(1200, 9), 'INCREMENTAL');
    assert.deepEqual(await round(30 * DAY), []);
    assert.equal((await versionsOf(solutionArn!)).length, 3);
    assert.deepEqual(await versionsOf(off.solutionArn!), []);
  });
});
