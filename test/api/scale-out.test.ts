// Scale-out on loopback: the machine's PostgreSQL (own database), moto_server for S3, two api
// processes and two worker processes (a third worker joins later). Drives imports, exports and a
// data deletion job through both api endpoints with the AWS SDK, kills a worker with SIGKILL
// mid-import, stops one with SIGTERM mid-import, trains a model on a worker and serves it through
// both api nodes (an UpdateCampaign while a client keeps requesting answers every request), and
// kills an api node.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateDataDeletionJobCommand,
  CreateDatasetImportJobCommand,
  CreateSchemaCommand,
  DescribeDataDeletionJobCommand,
  DescribeDatasetCommand,
  DescribeDatasetImportJobCommand,
  ListDatasetImportJobsCommand,
  ListSchemasCommand,
  PersonalizeClient,
  CreateCampaignCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeCampaignCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  UpdateCampaignCommand,
} from '@aws-sdk/client-personalize';
import { GetRecommendationsCommand, PersonalizeRuntimeClient } from '@aws-sdk/client-personalize-runtime';
import { uniqueName, waitFor } from '../testkit/service-harness.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { exportLines, importAndWait, s3Bucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4, interactionRows4, viewRows4 } from '../testkit/rows.ts';
import { startNode, type ChildService, type Role } from '../testkit/child-service.ts';
import { startMotoServer, type MotoServer } from '../testkit/moto-server.ts';
import { createDatabase, databaseUrl, dropDatabase } from '../testkit/postgres-db.ts';

const BIG_ROWS = 400_000;

function clientFor(node: ChildService): PersonalizeClient {
  return new PersonalizeClient({
    endpoint: node.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDSCALE', secretAccessKey: 's' },
    maxAttempts: 1,
  });
}

function runtimeFor(node: ChildService): PersonalizeRuntimeClient {
  return new PersonalizeRuntimeClient({
    endpoint: node.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDSCALE', secretAccessKey: 's' },
    maxAttempts: 1,
  });
}

/** The log line of `worker` saying it started `arn` (any attempt), if there is one. */
function started(worker: ChildService, arn: string): Record<string, unknown> | undefined {
  return worker.logLines().find((l) => l.msg === 'job started' && l.job === arn);
}

describe('scale-out: two api nodes and two workers on PostgreSQL and S3', () => {
  let moto: MotoServer;
  let db: string;
  let bucket: Bucket;
  let env: Record<string, string>;
  const dirs: string[] = [];
  const nodes: ChildService[] = [];
  let api1: ChildService, api2: ChildService;
  let workers: ChildService[];
  let datasetArn: string;
  let datasetGroupArn: string;
  /** The dataset's export (through api1) after the small import. */
  let smallExport: string[];
  let tokenFromApi1: string;
  /** A third worker, started while the SIGKILL test runs, for the SIGTERM test. */
  let joining: Promise<ChildService>;
  /** The campaign deployed by the serving test, and its top items. */
  let campaignArn: string;
  let topItems: string[];

  async function node(role: Role): Promise<ChildService> {
    // Each process has its own data dir (caches and temp files only): nothing is shared on disk.
    const dataDir = mkdtempSync(join(tmpdir(), `openpersonalize-${role}-`));
    dirs.push(dataDir);
    const n = await startNode(role, { ...env, OPENPERSONALIZE_DATA_DIR: dataDir });
    nodes.push(n);
    return n;
  }

  /** Starts an import of BIG_ROWS rows and returns its ARN and the worker that runs it. */
  async function bigImportRunning(key: string, offset: number, candidates: ChildService[]) {
    await bucket.put(key, csv(INTERACTIONS_HEADER_4, viewRows4(BIG_ROWS, offset)));
    const { datasetImportJobArn } = await clientFor(api1).send(
      new CreateDatasetImportJobCommand({
        jobName: uniqueName('big'),
        datasetArn,
        dataSource: { dataLocation: `s3://${bucket.name}/${key}` },
      }),
    );
    const holder = await waitFor(
      async () => candidates.find((w) => started(w, datasetImportJobArn!)),
      20_000,
      'a worker to start the job',
      5,
    );
    return { arn: datasetImportJobArn!, holder, other: candidates.find((w) => w !== holder)! };
  }

  async function ended(client: PersonalizeClient, arn: string) {
    return waitFor(
      async () => {
        const j = (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn: arn }))).datasetImportJob!;
        return j.status === 'ACTIVE' || j.status === 'CREATE FAILED' ? j : undefined;
      },
      40_000,
      'the import to end',
      50,
    );
  }

  before(async () => {
    [moto, db] = await Promise.all([startMotoServer(), createDatabase()]);
    bucket = await s3Bucket(moto.s3Client());
    env = {
      ...moto.env,
      OPENPERSONALIZE_DATABASE_URL: databaseUrl(db),
      OPENPERSONALIZE_OBJECT_STORE: 's3',
      OPENPERSONALIZE_S3_STORAGE_BUCKET: uniqueName('storage').toLowerCase(),
      OPENPERSONALIZE_SECRET: 'shared-secret-of-the-scale-out-test',
      OPENPERSONALIZE_PROVISIONING_MS: '60',
      // Short, so that a killed worker's job is taken over quickly; heartbeats renew it every 500 ms.
      OPENPERSONALIZE_JOB_LEASE_MS: '1500',
      OPENPERSONALIZE_SHUTDOWN_GRACE_MS: '300',
      OPENPERSONALIZE_JOB_CONCURRENCY: '1',
    };
    [api1, api2, ...workers] = await Promise.all([node('api'), node('api'), node('worker'), node('worker')]);
  });

  after(async () => {
    for (const n of nodes) await n.kill9().catch(() => {});
    await moto?.stop();
    if (db) await dropDatabase(db);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('every node answers /health, /ready and /metrics; a worker does not answer the AWS API', async () => {
    for (const n of [api1, api2, ...workers]) {
      assert.equal((await fetch(`${n.endpoint}/health`)).status, 200);
      const ready = await fetch(`${n.endpoint}/ready`);
      assert.deepEqual(await ready.json(), { status: 'ready', checks: { catalog: 'ok', objectStore: 'ok' } });
      assert.match(await (await fetch(`${n.endpoint}/metrics`)).text(), /# TYPE openpersonalize_job_queue_depth gauge/);
    }
    const r = await fetch(workers[0].endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonPersonalize.ListSchemas', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    assert.equal(r.status, 404);
  });

  it('imports and exports through both api endpoints, and a page token of one node works on the other', async () => {
    const c1 = clientFor(api1);
    const c2 = clientFor(api2);
    ({ datasetArn, datasetGroupArn } = await activeDataset(c1, minimalSchemas.interactions, 'Interactions'));
    assert.equal((await c2.send(new DescribeDatasetCommand({ datasetArn }))).dataset?.status, 'ACTIVE');
    const rows = interactionRows4(1500);
    await bucket.put('small.csv', csv(INTERACTIONS_HEADER_4, rows));
    const job = await importAndWait(c2, datasetArn, `s3://${bucket.name}/small.csv`);
    assert.equal(job.status, 'ACTIVE', job.failureReason);
    smallExport = await exportLines(c1, bucket, datasetArn);
    assert.deepEqual(smallExport, [INTERACTIONS_HEADER_4, ...[...new Set(rows)].sort()]);

    for (let i = 0; i < 2; i++) await c2.send(new CreateSchemaCommand({ name: uniqueName('s'), schema: minimalSchemas.interactions }));
    const first = await c1.send(new ListSchemasCommand({ maxResults: 1 }));
    tokenFromApi1 = first.nextToken!;
    const second = await c2.send(new ListSchemasCommand({ maxResults: 1, nextToken: tokenFromApi1 }));
    assert.equal(second.schemas?.length, 1);
    assert.notEqual(second.schemas![0].schemaArn, first.schemas![0].schemaArn);
  });

  it('a data deletion job created through one api node, watched through the other, run by a worker, removes exactly its users', async () => {
    const c1 = clientFor(api1);
    const c2 = clientFor(api2);
    const gone = new Set(['u3', 'u50']);
    await bucket.put('delete/users.csv', csv('USER_ID', ['u3', 'u50', 'nobody']));
    const { dataDeletionJobArn } = await c1.send(
      new CreateDataDeletionJobCommand({
        jobName: uniqueName('del'),
        datasetGroupArn,
        dataSource: { dataLocation: `s3://${bucket.name}/delete/users.csv` },
        roleArn: 'arn:aws:iam::000000000000:role/deletion',
      }),
    );
    const job = await waitFor(
      async () => {
        const j = (await c2.send(new DescribeDataDeletionJobCommand({ dataDeletionJobArn }))).dataDeletionJob!;
        return j.status === 'COMPLETED' || j.status === 'FAILED' ? j : undefined;
      },
      30_000,
      'the data deletion job to end',
    );
    assert.equal(job.status, 'COMPLETED', job.failureReason);
    assert.equal(job.numDeleted, 2, 'u3 and u50 were found; nobody was not');
    assert.ok(
      workers.some((w) => started(w, dataDeletionJobArn!)),
      'a worker ran the job',
    );
    assert.ok(![api1, api2].some((a) => started(a, dataDeletionJobArn!)), 'an api node only enqueues');
    const kept = smallExport.filter((l, i) => i === 0 || !gone.has(l.split(',')[0]));
    assert.ok(smallExport.length - kept.length >= 2 * 15, 'the deletion removes real rows (u3 and u50 have 15 or 16 each)');
    assert.deepEqual(await exportLines(c2, bucket, datasetArn, 'ALL'), kept);
  });

  it('a worker killed with SIGKILL mid-import: the other takes the job over and it ends ACTIVE with exactly the new data', async () => {
    const { arn, holder, other } = await bigImportRunning('big-1.csv', 0, workers);
    await holder.kill9();
    // The third worker starts only once the survivor has taken the job over: started at the kill,
    // it was often up when the killed worker's lease ended and could claim the job first.
    const takeover = await waitFor(
      async () => started(other, arn),
      20_000,
      'the surviving worker to take the job over (if the killed one ended it first, make BIG_ROWS larger)',
      5,
    );
    joining = node('worker');
    const jobLines = (w: ChildService) => JSON.stringify(w.logLines().filter((l) => l.job === arn));
    assert.equal(takeover.attempt, 2, `the surviving worker ran the second attempt: ${jobLines(other)}`);
    const job = await ended(clientFor(api2), arn);
    assert.equal(job.status, 'ACTIVE', job.failureReason);
    assert.ok(
      !holder.logLines().some((l) => l.msg === 'job ended' && l.job === arn),
      `the import ended before the kill (make BIG_ROWS larger): ${jobLines(holder)}`,
    );
    const lines = await exportLines(clientFor(api1), bucket, datasetArn);
    assert.equal(lines.length, 1 + BIG_ROWS, 'exactly the rows of the new file: nothing of the killed run, nothing of the old data');
    assert.deepEqual(lines, [INTERACTIONS_HEADER_4, ...viewRows4(BIG_ROWS, 0).sort()]);
    // The structured log of the import: job, account, dataset, phase, duration.
    const done = other.logLines().find((l) => l.msg === 'import phase' && l.job === arn && l.phase === 'done');
    assert.equal(done?.dataset, datasetArn);
    assert.equal(done?.account, '000000000000');
    assert.equal(typeof done?.durationMs, 'number');
    workers = [other];
  });

  it('a worker stopped with SIGTERM mid-import exits 0 at once, finishing the job or handing it back to another', async () => {
    workers.push(await joining);
    const { arn, holder, other } = await bigImportRunning('big-2.csv', 7, workers);
    const t0 = Date.now();
    const code = await holder.stop();
    assert.equal(code, 0, `exit code of the stopped worker; its log:\n${holder.log().slice(-3000)}`);
    assert.ok(Date.now() - t0 < 8000, `stopped within a bounded time (${Date.now() - t0} ms)`);
    const holderLines = JSON.stringify(holder.logLines().filter((l) => l.job === arn));
    // The issue allows either: the stopping worker finishes the job within its grace time, or
    // hands it back. Which one happens depends on how far the import got when SIGTERM came.
    const handedBack = holder.logLines().some((l) => l.msg === 'job handed back to the queue' && l.job === arn);
    const finished = holder.logLines().some((l) => l.msg === 'job ended' && l.job === arn);
    assert.ok(handedBack !== finished, `the stopping worker either handed the job back or finished it: ${holderLines}`);
    const job = await ended(clientFor(api1), arn);
    assert.equal(job.status, 'ACTIVE', job.failureReason);
    // Handed back, the interrupted run does not count as an attempt.
    if (handedBack) assert.equal(started(other, arn)?.attempt, 1);
    else assert.equal(started(other, arn), undefined, 'a finished job is not run again');
    const lines = await exportLines(clientFor(api2), bucket, datasetArn);
    assert.deepEqual(lines, [INTERACTIONS_HEADER_4, ...viewRows4(BIG_ROWS, 7).sort()]);
    workers = [other];
  });

  it('a model trained on a worker is served through both api nodes; an UpdateCampaign under requests answers every one', async () => {
    const [c1, c2] = [clientFor(api1), clientFor(api2)];
    const { solutionArn } = await c1.send(
      new CreateSolutionCommand({
        name: uniqueName('sol'),
        datasetGroupArn,
        recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count',
        performAutoTraining: false,
      }),
    );
    await waitFor(async () => (await c2.send(new DescribeSolutionCommand({ solutionArn }))).solution?.status === 'ACTIVE');
    const trained = async () => {
      const { solutionVersionArn } = await c1.send(new CreateSolutionVersionCommand({ solutionArn }));
      const v = await waitFor(
        async () => {
          const d = (await c2.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion!;
          return d.status === 'ACTIVE' || d.status === 'CREATE FAILED' ? d : undefined;
        },
        60_000,
        'the solution version to end',
        100,
      );
      assert.equal(v.status, 'ACTIVE', v.failureReason);
      return solutionVersionArn!;
    };
    const first = await trained();
    ({ campaignArn } = (await c2.send(new CreateCampaignCommand({ name: uniqueName('c'), solutionVersionArn: first }))) as {
      campaignArn: string;
    });
    const settled = async () =>
      waitFor(async () => {
        const c = (await c1.send(new DescribeCampaignCommand({ campaignArn }))).campaign!;
        return c.status === 'ACTIVE' && (c.latestCampaignUpdate?.status ?? 'ACTIVE') === 'ACTIVE';
      });
    await settled();
    const ask = async (node: ChildService) =>
      ((await runtimeFor(node).send(new GetRecommendationsCommand({ campaignArn, numResults: 10 }))).itemList ?? []).map((i) => i.itemId!);
    topItems = await ask(api1);
    assert.equal(topItems.length, 10);
    assert.deepEqual(await ask(api2), topItems, 'both api nodes load the model from S3 and answer alike');

    // A second version deployed while a client keeps asking the other node: no request fails.
    const second = await trained();
    let answered = 0;
    let stop = false;
    const client = (async () => {
      while (!stop) {
        assert.equal((await ask(api2)).length, 10);
        answered++;
      }
    })();
    await c1.send(new UpdateCampaignCommand({ campaignArn, solutionVersionArn: second }));
    await settled();
    await ask(api2);
    stop = true;
    await client;
    assert.ok(answered > 0);
    assert.equal((await c2.send(new DescribeCampaignCommand({ campaignArn }))).campaign?.solutionVersionArn, second);
  });

  it('with one api node killed, the other still serves everything', async () => {
    await api1.kill9();
    const c2 = clientFor(api2);
    assert.equal((await c2.send(new DescribeDatasetCommand({ datasetArn }))).dataset?.status, 'ACTIVE');
    const next = await c2.send(new ListSchemasCommand({ maxResults: 1, nextToken: tokenFromApi1 }));
    assert.equal(next.schemas?.length, 1, 'a page token issued by the dead node still works');
    const jobs = (await c2.send(new ListDatasetImportJobsCommand({ datasetArn }))).datasetImportJobs ?? [];
    assert.equal(jobs.length, 3);
    assert.ok(jobs.every((j) => j.status === 'ACTIVE'));
    const rows = interactionRows4(1200, 5000);
    await bucket.put('after.csv', csv(INTERACTIONS_HEADER_4, rows));
    const job = await importAndWait(c2, datasetArn, `s3://${bucket.name}/after.csv`);
    assert.equal(job.status, 'ACTIVE', job.failureReason);
    assert.deepEqual(await exportLines(c2, bucket, datasetArn), [INTERACTIONS_HEADER_4, ...[...new Set(rows)].sort()]);

    const metrics = await (await fetch(`${api2.endpoint}/metrics`)).text();
    assert.match(metrics, /openpersonalize_request_duration_seconds_count\{operation="CreateDatasetImportJob",code="200"\} [1-9]/);
    assert.match(metrics, /openpersonalize_jobs\{kind="dataset-import-job",state="ACTIVE"\} 4/);
    const recommended = await runtimeFor(api2).send(new GetRecommendationsCommand({ campaignArn, numResults: 10 }));
    assert.equal(recommended.itemList?.length, 10, 'the campaign still answers through the surviving node');
    const workerMetrics = await (await fetch(`${workers[0].endpoint}/metrics`)).text();
    assert.match(workerMetrics, /openpersonalize_import_rows_total [1-9]/);
  });
});
