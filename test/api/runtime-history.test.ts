// Which interactions a deployed model reads as a user's history (training-rules.md rules 119-120,
// 125; rules.md rule 72), through @aws-sdk/client-personalize-runtime over HTTP: bulk data imported
// after the training is not used for real-time personalization until a version trained on it is
// deployed (its parts stay in storage meanwhile), while filters see it at once and PutEvents count
// at once; a data deletion job removes the deleted users' trained history too.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateDataDeletionJobCommand,
  CreateDatasetImportJobCommand,
  CreateFilterCommand,
  DescribeDataDeletionJobCommand,
  DescribeFilterCommand,
  UpdateCampaignCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { PutEventsCommand } from '@aws-sdk/client-personalize-events';
import {
  GetRecommendationsCommand,
  type GetRecommendationsCommandInput,
  type PersonalizeRuntimeClient,
} from '@aws-sdk/client-personalize-runtime';
import { activeTracker, eventsClient } from '../testkit/events-fixtures.ts';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeGroup, datasetIn } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import {
  activeCampaign,
  activeSolution,
  campaignActive,
  importRows,
  runtimeClient,
  servingRows,
  trainedVersion,
  type ServingRows,
} from '../testkit/serving-fixtures.ts';
import { startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';

const NO_EXPLORATION = { itemExplorationConfig: { explorationWeight: '0' } };

describe("a user's history at inference (rule 120)", () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let runtime: PersonalizeRuntimeClient;
  let bucket: Bucket;
  let data: ServingRows;
  let groupArn: string;
  let interactionsArn: string;
  let solutionArn: string;
  let v1: string;
  let campaignArn: string;

  before(async () => {
    svc = await startTestService({}, { manualJobs: true });
    client = svc.client();
    runtime = runtimeClient(svc);
    bucket = localBucket(svc.dataDir);
    data = servingRows();
    groupArn = await activeGroup(client);
    interactionsArn = await datasetIn(client, groupArn, minimalSchemas.interactions, 'Interactions');
    await importRows(svc, client, bucket, interactionsArn, INTERACTIONS_HEADER_4, data.rows);
    solutionArn = await activeSolution(client, groupArn, 'aws-user-personalization');
    v1 = await trainedVersion(svc, client, solutionArn);
    campaignArn = await activeCampaign(client, v1, NO_EXPLORATION);
  });
  after(() => svc.close());

  const top = async (input: Omit<GetRecommendationsCommandInput, 'campaignArn'>) =>
    (await runtime.send(new GetRecommendationsCommand({ campaignArn, numResults: 10, ...input }))).itemList!.map((i) => i.itemId!);
  const shareB = (items: string[]) => items.filter((i) => data.clusterB.includes(i)).length / items.length;
  const trainedKeys = async (versionArn: string) => JSON.parse(String((await svc.catalog.get(versionArn))!.body.dataStamp))[0] as string[];
  /** Cluster-B clicks after the data's end, for a user. */
  const bRows = (user: string, items: string[]) => items.map((item, k) => `${user},${item},${data.end + 10 + k},click`);

  it('bulk data imported after the training changes no history until a version trained on it is deployed', async () => {
    const popular = await top({ userId: 'nobody' });
    const u0 = await top({ userId: 'u0' });
    assert.ok(shareB(u0) <= 0.3, `u0 likes cluster A: ${u0.join(',')}`);
    // A FULL import: the data the version trained on plus two users who like cluster B and u0 turning to B.
    const late = data.clusterB.slice(0, 12);
    await importRows(svc, client, bucket, interactionsArn, INTERACTIONS_HEADER_4, [
      ...data.rows,
      ...bRows('late', late),
      ...bRows('late2', late),
      ...bRows('u0', data.clusterB.slice(0, 25)),
    ]);
    // Filters see the import (rule 125): late's clicked items are excluded for late.
    const { filterArn } = await client.send(
      new CreateFilterCommand({
        name: uniqueName('f'),
        datasetGroupArn: groupArn,
        filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")',
      }),
    );
    await waitFor(async () => (await client.send(new DescribeFilterCommand({ filterArn }))).filter?.status === 'ACTIVE');
    const filtered = await waitFor(async () => {
      const list = await top({ userId: 'late', filterArn });
      return !list.some((i) => late.includes(i)) && list;
    });
    assert.equal(filtered.length, 10);
    // The model does not: late and late2 are still unknown users, u0 still likes A.
    assert.deepEqual(await top({ userId: 'late' }), popular);
    assert.deepEqual(await top({ userId: 'late2' }), popular);
    assert.deepEqual(await top({ userId: 'u0' }), u0);
    // Events put now count at once (rule 119).
    const { trackingId } = await activeTracker(client, groupArn);
    await eventsClient(svc).send(
      new PutEventsCommand({
        trackingId,
        userId: 'late',
        sessionId: 'late-session',
        eventList: data.clusterB
          .slice(12, 16)
          .map((itemId, k) => ({ eventType: 'click', itemId, sentAt: new Date((data.end + 100 + k) * 1000) })),
      }),
    );
    const afterEvents = await top({ userId: 'late' });
    assert.ok(shareB(afterEvents) >= 0.7, `late after B events: ${afterEvents.join(',')}`);

    // The parts the deployed version reads stay while it is deployed, though the import replaced them.
    const v1Keys = await trainedKeys(v1);
    assert.ok(v1Keys.length > 0);
    await svc.sweepOrphans(Date.now() + 2 * 3_600_000);
    const kept = new Set(await svc.parts.listKeys());
    assert.ok(
      v1Keys.every((k) => kept.has(k)),
      'trained parts kept while deployed',
    );

    // A version trained on the import, deployed: now the bulk histories count.
    const v2 = await trainedVersion(svc, client, solutionArn);
    await client.send(new UpdateCampaignCommand({ campaignArn, solutionVersionArn: v2 }));
    await campaignActive(client, campaignArn);
    const late2 = await top({ userId: 'late2' });
    assert.ok(shareB(late2) >= 0.7, `late2 from its bulk history: ${late2.join(',')}`);
    assert.ok(shareB(await top({ userId: 'u0' })) > shareB(u0), 'u0 turned to B');
    await svc.sweepOrphans(Date.now() + 2 * 3_600_000);
    const left = new Set(await svc.parts.listKeys());
    assert.ok(!v1Keys.some((k) => left.has(k)), 'no longer kept once no campaign deploys the version');
  });

  it('after a data deletion job a deleted user is unknown, though the deployed version trained on its data', async () => {
    // An INCREMENTAL import: the deployed version's trained generation is no longer the current one.
    const key = `${uniqueName('more')}.csv`;
    await bucket.put(key, csv(INTERACTIONS_HEADER_4, bRows('late3', data.clusterB.slice(0, 3))));
    await client.send(
      new CreateDatasetImportJobCommand({
        jobName: uniqueName('imp'),
        datasetArn: interactionsArn,
        importMode: 'INCREMENTAL',
        dataSource: { dataLocation: `s3://${bucket.name}/${key}` },
      }),
    );
    await svc.runner.drain();
    const popular = await top({ userId: 'nobody' });
    assert.ok(shareB(await top({ userId: 'late2' })) >= 0.7);
    const users = `${uniqueName('users')}.csv`;
    await bucket.put(users, 'USER_ID\nlate2\n');
    const { dataDeletionJobArn } = await client.send(
      new CreateDataDeletionJobCommand({
        jobName: uniqueName('del'),
        datasetGroupArn: groupArn,
        dataSource: { dataLocation: `s3://${bucket.name}/${users}` },
        roleArn: 'arn:aws:iam::000000000000:role/deletion',
      }),
    );
    await svc.runner.drain();
    const job = (await client.send(new DescribeDataDeletionJobCommand({ dataDeletionJobArn }))).dataDeletionJob!;
    assert.equal(job.status, 'COMPLETED', job.failureReason);
    await waitFor(async () => JSON.stringify(await top({ userId: 'late2' })) === JSON.stringify(popular), 5000, 'late2 unknown');
  });
});
