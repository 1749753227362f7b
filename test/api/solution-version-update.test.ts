// CreateSolutionVersion with trainingMode UPDATE through the AWS SDK (training-rules.md rule 45):
// for User-Personalization, a version that starts from the latest ACTIVE FULL version's model and
// brings in the items that appeared since, without the full training's tuning; for any other
// recipe, or without an ACTIVE FULL version, InvalidInputException in the API model's words.
// Jobs run when the test drains the runner, so every timing compares the jobs alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateDatasetImportJobCommand,
  CreateSolutionVersionCommand,
  DescribeDatasetImportJobCommand,
  DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
  ListSolutionVersionsCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { GetRecommendationsCommand, type PersonalizeRuntimeClient } from '@aws-sdk/client-personalize-runtime';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { activeCampaign, activeSolution, importRows, runtimeClient, servingRows } from '../testkit/serving-fixtures.ts';
import { errorOf, startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';

const UP = 'aws-user-personalization';
const NEW_ITEMS = ['new1', 'new2', 'new3', 'new4'];
/** The API model's words for when UPDATE may be used (CreateSolutionVersionRequest.trainingMode). */
const RULE =
  /The UPDATE option can only be used when you already have an active solution version created from the input solution using the FULL option/;

describe('trainingMode UPDATE', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let runtime: PersonalizeRuntimeClient;
  let bucket: Bucket;
  before(async () => {
    svc = await startTestService({}, { manualJobs: true });
    client = svc.client();
    runtime = runtimeClient(svc);
    bucket = localBucket(svc.dataDir);
  });
  after(() => svc.close());

  /** Creates a version, runs its job alone and returns the version with the job's wall time. */
  async function version(solutionArn: string, trainingMode?: 'FULL' | 'UPDATE') {
    const { solutionVersionArn } = await client.send(new CreateSolutionVersionCommand({ solutionArn, trainingMode }));
    const t = performance.now();
    await svc.runner.drain();
    const ms = performance.now() - t;
    const v = (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion!;
    assert.equal(v.status, 'ACTIVE', v.failureReason);
    return { arn: solutionVersionArn!, ms, version: v };
  }

  /** Runs an INCREMENTAL import of the rows into the dataset to its end. */
  async function incremental(datasetArn: string, rows: string[]) {
    const key = `${uniqueName('inc')}.csv`;
    await bucket.put(key, csv(INTERACTIONS_HEADER_4, rows));
    const { datasetImportJobArn } = await client.send(
      new CreateDatasetImportJobCommand({
        jobName: uniqueName('imp'),
        datasetArn,
        importMode: 'INCREMENTAL',
        dataSource: { dataLocation: `s3://${bucket.name}/${key}` },
      }),
    );
    await svc.runner.drain();
    const job = (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!;
    assert.equal(job.status, 'ACTIVE', job.failureReason);
  }

  const top = async (campaignArn: string, userId: string) =>
    ((await runtime.send(new GetRecommendationsCommand({ campaignArn, userId, numResults: 25 }))).itemList ?? []).map((x) => x.itemId!);

  it('brings items imported after the FULL version into the model, faster than a FULL training, with metrics', async () => {
    const base = servingRows({ users: 1200 });
    const { datasetArn, datasetGroupArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
    await importRows(svc, client, bucket, datasetArn, INTERACTIONS_HEADER_4, base.rows);
    const solutionArn = await activeSolution(client, datasetGroupArn, UP);
    const full = await version(solutionArn);
    assert.equal(full.version.trainingMode, 'FULL');

    // Then new users take the four new items together, after some of their cluster's items; a
    // few take only the first two (the users whose next items the updated model must know).
    let t = base.end;
    const rows: string[] = [];
    for (let u = 0; u < 110; u++) {
      const own = u % 2 === 0 ? base.clusterA : base.clusterB;
      const items = [...own.slice(u % 7, (u % 7) + 6), ...(u < 100 ? NEW_ITEMS : NEW_ITEMS.slice(0, 2))];
      for (const item of items) rows.push(`newcomer${u},${item},${(t += 7)},click`);
    }
    await incremental(datasetArn, rows);

    const update = await version(solutionArn, 'UPDATE');
    assert.equal(update.version.trainingMode, 'UPDATE');
    assert.equal(update.version.trainingType, 'MANUAL');
    assert.ok(update.version.trainingHours! > 0);
    const { metrics } = await client.send(new GetSolutionMetricsCommand({ solutionVersionArn: update.arn }));
    assert.deepEqual(Object.keys(metrics!), [
      'coverage',
      'mean_reciprocal_rank_at_25',
      'normalized_discounted_cumulative_gain_at_10',
      'normalized_discounted_cumulative_gain_at_25',
      'normalized_discounted_cumulative_gain_at_5',
      'precision_at_10',
      'precision_at_25',
      'precision_at_5',
    ]);
    assert.ok(metrics!.normalized_discounted_cumulative_gain_at_25 > 0, JSON.stringify(metrics));

    // A FULL training on the same data tunes again: the UPDATE skipped that.
    const again = await version(solutionArn);
    assert.ok(update.ms < again.ms, `UPDATE ${update.ms.toFixed(0)} ms, FULL ${again.ms.toFixed(0)} ms`);
    const listed = (await client.send(new ListSolutionVersionsCommand({ solutionArn }))).solutionVersions!;
    assert.deepEqual(
      listed.map((v) => v.trainingMode),
      ['FULL', 'UPDATE', 'FULL'],
    );

    // The users who took new1 and new2 get new3 and new4 from the updated model (among their 25); the FULL model
    // from before the import has never seen them. No exploration, so only the models answer.
    const noExploration = { itemExplorationConfig: { explorationWeight: '0' } };
    const [before, after] = [
      await activeCampaign(client, full.arn, noExploration),
      await activeCampaign(client, update.arn, noExploration),
    ];
    for (const user of ['newcomer100', 'newcomer105', 'newcomer109']) {
      const updated = await top(after, user);
      assert.ok(
        updated.includes('new3') && updated.includes('new4'),
        `${user}: ${updated.join(', ')} from the UPDATE version should hold new3 and new4`,
      );
      const old = await top(before, user);
      assert.ok(!old.some((item) => NEW_ITEMS.includes(item)), `${user}: ${old.join(', ')} from the FULL version`);
    }
  });

  it('is refused for other recipes and without an ACTIVE FULL version, in the API model’s words', async () => {
    const { datasetArn, datasetGroupArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
    await importRows(svc, client, bucket, datasetArn, INTERACTIONS_HEADER_4, servingRows().rows);
    for (const recipe of ['aws-user-personalization-v2', 'aws-personalized-ranking', 'aws-sims', 'aws-popularity-count']) {
      const solutionArn = await activeSolution(client, datasetGroupArn, recipe);
      await version(solutionArn);
      const e = await errorOf(() => client.send(new CreateSolutionVersionCommand({ solutionArn, trainingMode: 'UPDATE' })));
      assert.equal(e.name, 'InvalidInputException', recipe);
      assert.match(e.message, new RegExp(`not supported for the recipe arn:aws:personalize:::recipe/${recipe}\\b`));
      assert.match(e.message, RULE);
    }
    // User-Personalization without a version, and with a failed one only.
    const up = await activeSolution(client, datasetGroupArn, UP);
    const none = await errorOf(() => client.send(new CreateSolutionVersionCommand({ solutionArn: up, trainingMode: 'UPDATE' })));
    assert.equal(none.name, 'InvalidInputException');
    assert.match(none.message, /no ACTIVE solution version trained with trainingMode FULL/);
    assert.match(none.message, RULE);
    const filtered = await activeSolution(client, datasetGroupArn, UP, { eventType: 'no-such-event' });
    const { solutionVersionArn } = await client.send(new CreateSolutionVersionCommand({ solutionArn: filtered }));
    await svc.runner.drain();
    const failed = (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion!;
    assert.equal(failed.status, 'CREATE FAILED');
    const afterFailed = await errorOf(() =>
      client.send(new CreateSolutionVersionCommand({ solutionArn: filtered, trainingMode: 'UPDATE' })),
    );
    assert.equal(afterFailed.name, 'InvalidInputException');
    assert.match(afterFailed.message, RULE);
  });
});
