// Any node serves any campaign: two nodes on one PostgreSQL catalog and one S3 store (moto). Node A
// runs the jobs; node B, cold, loads the deployed model from the object store on its first
// request and answers exactly as A does; an UpdateCampaign sent to one node is seen by both (the
// campaign is read from the catalog on every request); a PutEvents received by A changes the user's
// next recommendations from B.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UpdateCampaignCommand, type PersonalizeClient } from '@aws-sdk/client-personalize';
import { PutEventsCommand } from '@aws-sdk/client-personalize-events';
import { GetRecommendationsCommand, type PersonalizeRuntimeClient } from '@aws-sdk/client-personalize-runtime';
import { activeTracker, eventsClient } from '../testkit/events-fixtures.ts';
import { s3Bucket, type Bucket } from '../testkit/import-fixtures.ts';
import { startMotoServer, type MotoServer } from '../testkit/moto-server.ts';
import { createDatabase, databaseUrl, dropDatabase } from '../testkit/postgres-db.ts';
import { activeDataset } from '../testkit/resources.ts';
import { INTERACTIONS_HEADER_4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import {
  activeCampaign,
  activeSolution,
  campaignActive,
  importRows,
  runtimeClient,
  servingRows,
  trainedVersion,
} from '../testkit/serving-fixtures.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';

describe('serving on two nodes (PostgreSQL + S3)', () => {
  let moto: MotoServer;
  let db: string;
  let a: TestService;
  let b: TestService;
  let client: PersonalizeClient;
  let runtimeA: PersonalizeRuntimeClient;
  let runtimeB: PersonalizeRuntimeClient;
  let bucket: Bucket;
  let datasetGroupArn: string;
  let datasetArn: string;
  const data = servingRows({ users: 90 });

  before(async () => {
    moto = await startMotoServer();
    db = await createDatabase();
    const env = {
      ...moto.env,
      OPENPERSONALIZE_OBJECT_STORE: 's3',
      OPENPERSONALIZE_DATABASE_URL: databaseUrl(db),
      OPENPERSONALIZE_SECRET: 'two-nodes-test-secret',
    };
    a = await startTestService(env, { manualJobs: true });
    b = await startTestService({ ...env, OPENPERSONALIZE_ROLE: 'api' });
    client = a.client();
    runtimeA = runtimeClient(a);
    runtimeB = runtimeClient(b);
    bucket = await s3Bucket(moto.s3Client());
    ({ datasetGroupArn, datasetArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions'));
    await importRows(a, client, bucket, datasetArn, INTERACTIONS_HEADER_4, data.rows);
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await dropDatabase(db);
    await moto.stop();
  });

  const top = async (runtime: PersonalizeRuntimeClient, campaignArn: string, userId?: string) =>
    (await runtime.send(new GetRecommendationsCommand({ campaignArn, userId, numResults: 10 }))).itemList!.map((i) => i.itemId);

  it('a cold node answers like the node that trained, and both follow an UpdateCampaign sent to either', async () => {
    const solution = await activeSolution(client, datasetGroupArn, 'aws-popularity-count');
    const v1 = await trainedVersion(a, client, solution);
    const campaignArn = await activeCampaign(client, v1);
    assert.deepEqual(await top(runtimeB, campaignArn), await top(runtimeA, campaignArn));
    await importRows(a, client, bucket, datasetArn, INTERACTIONS_HEADER_4, [
      ...data.rows,
      ...Array.from({ length: 150 }, (_, i) => `fan-${i},z-hit,${1_800_000_000 + i},click`),
    ]);
    const v2 = await trainedVersion(a, client, solution);
    await b.client().send(new UpdateCampaignCommand({ campaignArn, solutionVersionArn: v2 }));
    await campaignActive(client, campaignArn);
    for (const runtime of [runtimeA, runtimeB]) assert.equal((await top(runtime, campaignArn))[0], 'z-hit');
  });

  it("a PutEvents received by one node changes the user's next recommendations from the other", async () => {
    // No exploration: the model's own answer is what the events change.
    const campaignArn = await activeCampaign(
      client,
      await trainedVersion(a, client, await activeSolution(client, datasetGroupArn, 'aws-user-personalization')),
      { itemExplorationConfig: { explorationWeight: '0' } },
    );
    const { trackingId } = await activeTracker(client, datasetGroupArn);
    const before = await top(runtimeB, campaignArn, 'newcomer');
    await eventsClient(a).send(
      new PutEventsCommand({
        trackingId,
        userId: 'newcomer',
        sessionId: 'newcomer-session',
        eventList: data.clusterB.slice(0, 6).map((itemId, k) => ({ eventType: 'click', itemId, sentAt: new Date((data.end + k) * 1000) })),
      }),
    );
    // The very next request, on the other node.
    const afterEvents = await top(runtimeB, campaignArn, 'newcomer');
    assert.notDeepEqual(afterEvents, before);
    assert.ok(afterEvents.filter((i) => data.clusterB.includes(i!)).length >= 7, afterEvents.join(','));
  });
});
