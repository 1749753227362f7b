// kill -9 of the service in the middle of a training job, then a restart on the same data dir: the
// interrupted solution version is taken over and ends ACTIVE with a loadable artifact and the same
// metrics (and the same artifact bytes) as a version trained on the same data without a crash. A
// version stopped while it trains leaves the earlier ACTIVE version's metrics and artifact as they
// were (a failed version doing the same is solutions.test.ts's "a failed version leaves the earlier
// ACTIVE one as it was"). Artifacts left by a job that died between writing and committing are the
// orphan sweep's (test/composition/orphan-sweep.test.ts). Holding SQLite's write lock to widen that
// window does not work here: better-sqlite3 is synchronous, so the job's lease heartbeat blocks the
// whole event loop behind the lock.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import {
  CreateDatasetImportJobCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeDatasetImportJobCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
  PersonalizeClient,
  StopSolutionVersionCreationCommand,
} from '@aws-sdk/client-personalize';
import { userPersonalizationTrainer } from '../../src/training/models/user-personalization.ts';
import { killAllChildren, startChildService, type ChildService } from '../testkit/child-service.ts';
import { localBucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { INTERACTIONS_HEADER_4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { uniqueName, waitFor } from '../testkit/service-harness.ts';
import { synthetic } from '../training/synthetic.ts';

/**
 * About 40,000 interactions with planted structure (2,000 users, 800 items): a version of
 * aws-user-personalization takes ~4 s here, long enough to be killed in any phase (the model's
 * tuning dominates its time: 300,000 rows would take ~20 s a version, and this file trains five).
 */
const DATA = synthetic({ seed: 3, users: 2000, items: 800, meanHistory: 20 }).data;
const RECIPE = 'arn:aws:personalize:::recipe/aws-user-personalization';

function csvOf(): string {
  const lines = [INTERACTIONS_HEADER_4];
  for (let r = 0; r < DATA.user.length; r++)
    lines.push(`${DATA.userIds[DATA.user[r]]},${DATA.itemIds[DATA.item[r]]},${DATA.time[r]},click`);
  return `${lines.join('\n')}\n`;
}

function clientFor(svc: ChildService): PersonalizeClient {
  return new PersonalizeClient({
    endpoint: svc.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDCRASH', secretAccessKey: 's' },
    maxAttempts: 1,
  });
}

/** The training phase lines the service logged for a version. */
const phasesOf = (svc: ChildService, arn: string) =>
  svc
    .logLines()
    .filter((l) => l.msg === 'training phase' && l.job === arn)
    .map((l) => l.phase as string);

describe('crash in the middle of a training job', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'openpersonalize-training-crash-'));
  const env = { OPENPERSONALIZE_DATA_DIR: dataDir, OPENPERSONALIZE_PROVISIONING_MS: '0' };
  let svc: ChildService;
  let client: PersonalizeClient;
  let solutionArn: string;
  /** The versions that end ACTIVE, and the metrics every one of them must have. */
  const active: string[] = [];
  let expectedMetrics: Record<string, number>;

  /** Where a version's artifacts are (the local store's model area). */
  const modelDir = (arn: string) =>
    join(dataDir, 'storage', 'parts', 'models', createHash('sha256').update(arn).digest('hex').slice(0, 24));
  const modelFiles = (arn: string) => (existsSync(modelDir(arn)) ? readdirSync(modelDir(arn)).sort() : []);
  const fileOf = (key: string) => join(dataDir, 'storage', 'parts', key);

  /** The version as the catalog holds it, read from the SQLite file (works while the service is dead). */
  function stored(arn: string): { status: string; artifactKey?: string } {
    const db = new Database(join(dataDir, 'catalog.sqlite'), { readonly: true });
    try {
      const row = db.prepare('SELECT status, body FROM resources WHERE arn = ?').get(arn) as { status: string; body: string };
      return { status: row.status, artifactKey: (JSON.parse(row.body) as { artifactKey?: string }).artifactKey };
    } finally {
      db.close();
    }
  }

  const describeVersion = async (solutionVersionArn: string) =>
    (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion!;
  const metricsOf = async (solutionVersionArn: string) =>
    (await client.send(new GetSolutionMetricsCommand({ solutionVersionArn }))).metrics!;

  async function restart(): Promise<void> {
    svc = await startChildService(env);
    client = clientFor(svc);
  }

  async function ended(arn: string, timeoutMs = 30_000) {
    return waitFor(
      async () => {
        const v = await describeVersion(arn);
        return v.status === 'ACTIVE' || v.status === 'CREATE FAILED' || v.status === 'CREATE STOPPED' ? v : undefined;
      },
      timeoutMs,
      `${arn} to end`,
      50,
    );
  }

  /** Creates a version and waits until its job is CREATE IN_PROGRESS and has logged `phase`. */
  async function versionIn(phase: string): Promise<string> {
    const { solutionVersionArn } = await client.send(new CreateSolutionVersionCommand({ solutionArn }));
    const arn = solutionVersionArn!;
    await waitFor(async () => phasesOf(svc, arn).includes(phase), 30_000, `${arn} in phase ${phase}`, 5);
    assert.equal((await describeVersion(arn)).status, 'CREATE IN_PROGRESS');
    return arn;
  }

  before(async () => {
    await restart();
    const { datasetArn, datasetGroupArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
    const bucket = localBucket(dataDir);
    await bucket.put('interactions.csv', csvOf());
    const { datasetImportJobArn } = await client.send(
      new CreateDatasetImportJobCommand({
        jobName: uniqueName('imp'),
        datasetArn,
        dataSource: { dataLocation: `s3://${bucket.name}/interactions.csv` },
      }),
    );
    await waitFor(
      async () => (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob?.status === 'ACTIVE',
      20_000,
      'import ACTIVE',
      20,
    );
    ({ solutionArn } = (await client.send(
      new CreateSolutionCommand({ name: uniqueName('sol'), datasetGroupArn, recipeArn: RECIPE, performAutoTraining: false }),
    )) as { solutionArn: string });
    await waitFor(async () => (await client.send(new DescribeSolutionCommand({ solutionArn }))).solution?.status === 'ACTIVE');
  });

  after(async () => {
    await svc?.stop().catch(() => {});
    await killAllChildren();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a version killed mid-training is taken over after a restart: ACTIVE, a loadable artifact, the metrics of an uncrashed version', async () => {
    const first = await versionIn('training');
    await svc.kill9();
    // Nothing of the interrupted run is committed or stored: it died before its storing phase.
    assert.deepEqual(stored(first), { status: 'CREATE IN_PROGRESS', artifactKey: undefined });
    assert.deepEqual(modelFiles(first), []);

    await restart();
    const v = await ended(first);
    assert.equal(v.status, 'ACTIVE', v.failureReason);
    assert.match(svc.log(), /taking over jobs interrupted by a previous stop/);
    const key = stored(first).artifactKey!;
    assert.ok(existsSync(fileOf(key)), 'the artifact is in the model area');
    const artifact = readFileSync(fileOf(key));
    const model = userPersonalizationTrainer.load(artifact);
    assert.equal(model.recommend({ history: ['i1', 'i2', 'i3'], k: 25 }).length, 25);
    expectedMetrics = await metricsOf(first);
    assert.ok(Object.keys(expectedMetrics).length >= 8 && expectedMetrics.normalized_discounted_cumulative_gain_at_25 > 0);

    // Determinism: a version of the same data without a crash has the same metrics and artifact.
    const { solutionVersionArn: second } = await client.send(new CreateSolutionVersionCommand({ solutionArn }));
    assert.equal((await ended(second!)).status, 'ACTIVE');
    assert.deepEqual(await metricsOf(second!), expectedMetrics);
    assert.ok(readFileSync(fileOf(stored(second!).artifactKey!)).equals(artifact), 'the same artifact bytes');
    active.push(first, second!);
  });

  it('a version stopped while it trains leaves the earlier ACTIVE version’s metrics and artifact as they were', async () => {
    const arn = await versionIn('training');
    await client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn: arn }));
    const v = await ended(arn);
    assert.equal(v.status, 'CREATE STOPPED');
    assert.deepEqual(modelFiles(arn), [], 'a stopped version stores no model');
    for (const earlier of active) {
      assert.equal((await describeVersion(earlier)).status, 'ACTIVE');
      assert.deepEqual(await metricsOf(earlier), expectedMetrics);
      assert.ok(existsSync(fileOf(stored(earlier).artifactKey!)));
    }
  });
});
