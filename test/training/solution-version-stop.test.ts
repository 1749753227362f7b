// StopSolutionVersionCreation while the training job runs: the version goes to CREATE STOPPING and
// the job notices within seconds — through the trainer's signal when the trainer honours it, at
// the next phase when it does not — and ends it CREATE STOPPED, writing no model. The job kind
// runs here on a runner of the test's own, with trainers that take as long as the test wants; the
// service (whose own runner never claims: manual jobs) serves the API and the data.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateDatasetImportJobCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
  StopSolutionVersionCreationCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { sqlAccessOf } from '../../src/catalog/sql/sql-catalog.ts';
import { DatasetReader } from '../../src/data/reader.ts';
import { SqlRecordStore } from '../../src/data/records/sql-record-store.ts';
import { JobRunner } from '../../src/jobs/job-runner.ts';
import { BlobArea } from '../../src/object-store/blob-area.ts';
import { LocalDirStore } from '../../src/object-store/local-dir-store.ts';
import { ModelStore } from '../../src/training/model-store.ts';
import { popularityCountTrainer } from '../../src/training/models/popularity-count.ts';
import { solutionVersionJobKind, STOP_POLL_MS, type TrainingDeps } from '../../src/training/solution-version-job-work.ts';
import type { Trainer } from '../../src/training/trainer.ts';
import { localBucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4, trafficRows4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { errorOf, startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';

/** A trainer that starts, says so, and then trains until `finish` is called or, if it honours it, its signal aborts. */
function slowTrainer(o: { honoursSignal: boolean }) {
  let started!: () => void;
  let finish!: () => void;
  const startedP = new Promise<void>((r) => (started = r));
  const finishP = new Promise<void>((r) => (finish = r));
  const trainer: Trainer = {
    recipe: popularityCountTrainer.recipe,
    async train(data, hp, signal) {
      started();
      const aborted = new Promise<never>((_, reject) => {
        if (o.honoursSignal) signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      await Promise.race([finishP, aborted]);
      return popularityCountTrainer.train(data, hp);
    },
    load: popularityCountTrainer.load,
  };
  return { trainer, started: startedP, finish };
}

describe('stopping a solution version while it trains', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let records: SqlRecordStore;
  let models: ModelStore;
  const scratch = mkdtempSync(join(tmpdir(), 'stop-training-'));
  let solutionArn: string;
  before(async () => {
    svc = await startTestService({}, { manualJobs: true });
    client = svc.client();
    records = new SqlRecordStore(sqlAccessOf(svc.catalog));
    models = new ModelStore(new BlobArea('modelArtifacts', new LocalDirStore(join(scratch, 'storage')), 'parts'));
    const { datasetArn, datasetGroupArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
    const bucket = localBucket(svc.dataDir);
    await bucket.put('i.csv', csv(INTERACTIONS_HEADER_4, trafficRows4(2000)));
    await client.send(
      new CreateDatasetImportJobCommand({
        jobName: uniqueName('imp'),
        datasetArn,
        dataSource: { dataLocation: `s3://${bucket.name}/i.csv` },
      }),
    );
    await svc.runner.drain();
    ({ solutionArn } = (await client.send(
      new CreateSolutionCommand({
        name: uniqueName('sol'),
        datasetGroupArn,
        recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count',
        performAutoTraining: false,
      }),
    )) as { solutionArn: string });
    await waitFor(async () => (await client.send(new DescribeSolutionCommand({ solutionArn }))).solution?.status === 'ACTIVE');
  });
  after(async () => {
    await records.close();
    await svc.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  function runnerWith(trainer: Trainer): JobRunner {
    const deps: TrainingDeps = {
      catalog: svc.catalog,
      config: svc.config,
      objects: new LocalDirStore(join(scratch, 'buckets')),
      parts: svc.parts,
      reader: new DatasetReader(svc.catalog, svc.parts, records),
      records,
      now: Date.now,
      log: () => {},
      models,
      trainerFor: () => trainer,
    };
    return new JobRunner(svc.catalog, [solutionVersionJobKind(deps)], { manual: true });
  }

  const status = async (solutionVersionArn: string) =>
    (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion!.status;

  for (const honoursSignal of [true, false]) {
    it(`goes CREATE IN_PROGRESS -> CREATE STOPPING -> CREATE STOPPED (${honoursSignal ? 'the trainer is aborted' : 'at the next phase'})`, async () => {
      const slow = slowTrainer({ honoursSignal });
      const runner = runnerWith(slow.trainer);
      const { solutionVersionArn } = await client.send(new CreateSolutionVersionCommand({ solutionArn }));
      const ran = runner.drain();
      await slow.started;
      assert.equal(await status(solutionVersionArn!), 'CREATE IN_PROGRESS');
      await client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn }));
      assert.equal(await status(solutionVersionArn!), 'CREATE STOPPING');
      const again = await errorOf(() => client.send(new StopSolutionVersionCreationCommand({ solutionVersionArn })));
      assert.equal(again.name, 'ResourceInUseException');
      const stoppedAt = Date.now();
      if (!honoursSignal) setTimeout(slow.finish, 300);
      await ran;
      assert.ok(Date.now() - stoppedAt < 5 * STOP_POLL_MS + 1000, `took ${Date.now() - stoppedAt} ms`);
      const version = (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion!;
      assert.equal(version.status, 'CREATE STOPPED');
      assert.equal(version.failureReason, undefined);
      assert.equal((await svc.catalog.get(solutionVersionArn!))!.body.artifactKey, undefined);
      assert.deepEqual(await models.listKeys(), [], 'no model is written');
      assert.equal(
        (await errorOf(() => client.send(new GetSolutionMetricsCommand({ solutionVersionArn })))).name,
        'ResourceInUseException',
      );
      slow.finish();
    });
  }

  it('after the stops, the next version trains as usual and its model loads', async () => {
    const runner = runnerWith(popularityCountTrainer);
    const { solutionVersionArn } = await client.send(new CreateSolutionVersionCommand({ solutionArn }));
    await runner.drain();
    assert.equal(await status(solutionVersionArn!), 'ACTIVE');
    const key = (await svc.catalog.get(solutionVersionArn!))!.body.artifactKey as string;
    assert.deepEqual(await models.listKeys(), [key]);
    const model = popularityCountTrainer.load(await models.get(key));
    assert.equal(model.recommend({ history: [], k: 5 }).length, 5);
  });
});
