// kill -9 of the service in the middle of a batch inference job, then a restart on the same data
// dir: every `.out` visible at the moment of the kill is complete (the output is staged in the
// job's work folder and put in place atomically), the restarted service takes the job over from
// the first file without its output (the files done are not answered again), and the job ends
// ACTIVE with outputs identical, byte for byte, to those of a job run without a crash.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import {
  CreateBatchInferenceJobCommand,
  CreateDatasetImportJobCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeBatchInferenceJobCommand,
  DescribeDatasetImportJobCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { jsonLines, ROLE_ARN } from '../testkit/batch-fixtures.ts';
import { killAllChildren, startChildService, type ChildService } from '../testkit/child-service.ts';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { servingRows } from '../testkit/serving-fixtures.ts';
import { uniqueName, waitFor } from '../testkit/service-harness.ts';

const FILES = 3;
const LINES_PER_FILE = 40_000;
const USERS = 300;

describe('crash in the middle of a batch inference job', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'openpersonalize-batch-crash-'));
  const env = { OPENPERSONALIZE_DATA_DIR: dataDir, OPENPERSONALIZE_PROVISIONING_MS: '0' };
  let svc: ChildService;
  let client: PersonalizeClient;
  let bucket: Bucket;
  let versionArn: string;

  const outDir = (prefix: string) => join(dataDir, 'buckets', bucket.name, prefix);
  const outFiles = (prefix: string) => (existsSync(outDir(prefix)) ? readdirSync(outDir(prefix)).sort() : []);

  async function restart(): Promise<void> {
    svc = await startChildService(env);
    client = new PersonalizeClient({
      endpoint: svc.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDCRASH', secretAccessKey: 's' },
      maxAttempts: 1,
    });
  }

  /** The job as the catalog holds it, read from the SQLite file (works while the service is dead). */
  function stored(arn: string): { status: string; filesDone: number } {
    const db = new Database(join(dataDir, 'catalog.sqlite'), { readonly: true });
    try {
      const row = db.prepare('SELECT status, body FROM resources WHERE arn = ?').get(arn) as { status: string; body: string };
      return { status: row.status, filesDone: (JSON.parse(row.body) as { progress?: { filesDone: number } }).progress?.filesDone ?? 0 };
    } finally {
      db.close();
    }
  }

  const fileDoneLines = (arn: string) => svc.logLines().filter((l) => l.msg === 'batch file done' && l.job === arn);

  async function startJob(out: string): Promise<string> {
    const { batchInferenceJobArn } = await client.send(
      new CreateBatchInferenceJobCommand({
        jobName: uniqueName('bij'),
        roleArn: ROLE_ARN,
        solutionVersionArn: versionArn,
        numResults: 10,
        batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0' } },
        jobInput: { s3DataSource: { path: `s3://${bucket.name}/in/` } },
        jobOutput: { s3DataDestination: { path: `s3://${bucket.name}/${out}/` } },
      }),
    );
    return batchInferenceJobArn!;
  }

  const ended = (arn: string) =>
    waitFor(
      async () => {
        const j = (await client.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn: arn }))).batchInferenceJob!;
        return j.status === 'ACTIVE' || j.status === 'CREATE FAILED' ? j : undefined;
      },
      120_000,
      `${arn} to end`,
      50,
    );

  before(async () => {
    await restart();
    bucket = localBucket(dataDir);
    const { datasetArn, datasetGroupArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
    await bucket.put('interactions.csv', csv(INTERACTIONS_HEADER_4, servingRows({ users: USERS }).rows));
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
    );
    const { solutionArn } = await client.send(
      new CreateSolutionCommand({
        name: uniqueName('sol'),
        datasetGroupArn,
        recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization',
        performAutoTraining: false,
      }),
    );
    await waitFor(async () => (await client.send(new DescribeSolutionCommand({ solutionArn }))).solution?.status === 'ACTIVE');
    ({ solutionVersionArn: versionArn } = (await client.send(new CreateSolutionVersionCommand({ solutionArn }))) as {
      solutionVersionArn: string;
    });
    await waitFor(
      async () =>
        (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn: versionArn }))).solutionVersion?.status === 'ACTIVE',
      60_000,
      'version ACTIVE',
    );
    for (let f = 0; f < FILES; f++)
      await bucket.put(
        `in/part-${f}.json`,
        jsonLines(Array.from({ length: LINES_PER_FILE }, (_, k) => ({ userId: `u${(f * 7 + k) % (USERS + 20)}` }))),
      );
  });

  after(async () => {
    await svc?.stop().catch(() => {});
    await killAllChildren();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a job killed after its first file is taken over after a restart and ends with complete outputs, the done file untouched', async () => {
    const arn = await startJob('out');
    await waitFor(async () => fileDoneLines(arn).length >= 1, 60_000, 'the first file done', 5);
    await svc.kill9();
    // At the kill: the job is unfinished, and every .out in place is complete (none half written).
    const atKill = stored(arn);
    assert.equal(atKill.status, 'CREATE IN_PROGRESS');
    assert.ok(atKill.filesDone >= 1 && atKill.filesDone < FILES, `files done at the kill: ${atKill.filesDone}`);
    // (The file after them may be in place too: it is put before its progress is recorded.)
    const present = outFiles('out');
    assert.ok(present.length === atKill.filesDone || present.length === atKill.filesDone + 1, `${present}`);
    assert.deepEqual(
      present,
      Array.from({ length: present.length }, (_, f) => `part-${f}.json.out`),
    );
    for (const name of present) assert.equal(readFileSync(join(outDir('out'), name), 'utf8').split('\n').length - 1, LINES_PER_FILE);
    const firstWritten = statSync(join(outDir('out'), 'part-0.json.out')).mtimeMs;

    await restart();
    const j = await ended(arn);
    assert.equal(j.status, 'ACTIVE', j.failureReason);
    assert.match(svc.log(), /taking over jobs interrupted by a previous stop/);
    // The restarted run answered only the files without their output.
    const again = fileDoneLines(arn).map((l) => String(l.file).split('/').pop());
    assert.deepEqual(
      again,
      Array.from({ length: FILES - atKill.filesDone }, (_, k) => `part-${atKill.filesDone + k}.json`),
    );
    assert.equal(statSync(join(outDir('out'), 'part-0.json.out')).mtimeMs, firstWritten);

    // The same as a job that was never interrupted.
    const reference = await startJob('reference');
    assert.equal((await ended(reference)).status, 'ACTIVE');
    assert.deepEqual(outFiles('out'), outFiles('reference'));
    for (const name of outFiles('reference'))
      assert.ok(readFileSync(join(outDir('out'), name)).equals(readFileSync(join(outDir('reference'), name))), `${name} differs`);
  });
});
