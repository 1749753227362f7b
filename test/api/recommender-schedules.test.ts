// A recommender's trainings between the user's calls, on a test clock (training-rules.md rules 73,
// 118, 121): the weekly full retraining from the creation date (only with new data, not while
// stopped), Trending now's two-hourly re-evaluation, and the two-hourly new-item updates of the
// personalised use cases, after which a new item is explored. The rounds run when the test calls
// runRecommenderRounds; jobs when it drains the runner.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DescribeRecommenderCommand,
  StartRecommenderCommand,
  StopRecommenderCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { PutEventsCommand } from '@aws-sdk/client-personalize-events';
import { GetRecommendationsCommand, type PersonalizeRuntimeClient } from '@aws-sdk/client-personalize-runtime';
import { activeTracker, eventsClient } from '../testkit/events-fixtures.ts';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeRecommender, domainGroupWith, domainRows } from '../testkit/recommender-fixtures.ts';
import { INTERACTIONS_HEADER_4 } from '../testkit/rows.ts';
import { importRows, runtimeClient } from '../testkit/serving-fixtures.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';
import { testClock, type TestClock } from '../testkit/test-clock.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('recommenders: weekly retraining and two-hourly updates', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let runtime: PersonalizeRuntimeClient;
  let clock: TestClock;
  let bucket: Bucket;
  before(async () => {
    clock = testClock();
    svc = await startTestService({ OPENPERSONALIZE_PROVISIONING_MS: '0' }, { now: clock.now, manualJobs: true });
    client = svc.client();
    runtime = runtimeClient(svc);
    bucket = localBucket(svc.dataDir);
  });
  after(() => svc.close());

  /** Moves the clock, runs the recommenders' rounds and the jobs they queued. */
  async function round(ms: number): Promise<{ queued: string[]; updated: string[] }> {
    clock.advance(ms);
    const r = await svc.runRecommenderRounds();
    await svc.runner.drain();
    return r;
  }
  const top = async (recommenderArn: string, userId = 'u1', numResults = 5) =>
    (await runtime.send(new GetRecommendationsCommand({ recommenderArn, userId, numResults }))).itemList!.map((i) => i.itemId!);
  const servedArtifact = async (recommenderArn: string) =>
    ((await svc.catalog.get(recommenderArn))!.body as { model: { artifactKey: string } }).model.artifactKey;
  const describe_ = async (recommenderArn: string) => (await client.send(new DescribeRecommenderCommand({ recommenderArn }))).recommender!;

  it('retrains every 7 days from its creation when the interactions changed, and not while it is stopped', async () => {
    const data = domainRows('ECOMMERCE');
    const { datasetGroupArn, interactionsArn } = await domainGroupWith(svc, client, bucket, 'ECOMMERCE', data.rows);
    const recommenderArn = await activeRecommender(svc, client, datasetGroupArn, 'aws-ecomm-popular-items-by-views');
    const before = await describe_(recommenderArn);
    const firstArtifact = await servedArtifact(recommenderArn);
    assert.deepEqual((await round(7 * DAY - HOUR)).queued, []);
    // 200 new viewers of one item: the most viewed item once the model learns it.
    const hit = Array.from({ length: 200 }, (_, i) => `fan${i},z-hit,${data.end + 10 + i},View`);
    await importRows(svc, client, bucket, interactionsArn, INTERACTIONS_HEADER_4, [...data.rows, ...hit]);
    assert.notEqual((await top(recommenderArn))[0], 'z-hit', 'bulk data counts after the next training');
    const { queued } = await round(2 * HOUR);
    assert.equal(queued.length, 1);
    assert.equal((await top(recommenderArn))[0], 'z-hit');
    const after = await describe_(recommenderArn);
    assert.equal(after.status, 'ACTIVE');
    assert.ok(after.lastUpdatedDateTime! > before.lastUpdatedDateTime!);
    assert.equal(Object.keys(after.modelMetrics!).length, 8);
    // The replaced model's artifact is left to the orphan sweep; the served one is kept.
    const swept = (await svc.sweepOrphans(clock.now() + 2 * HOUR)).modelArtifacts.deleted;
    assert.ok(swept.includes(firstArtifact) && !swept.includes(await servedArtifact(recommenderArn)), swept.join(', '));
    // A week on without new data: nothing to learn.
    assert.deepEqual((await round(7 * DAY)).queued, []);
    // Stopped: no retraining, whatever the data; started again, the next round retrains.
    await client.send(new StopRecommenderCommand({ recommenderArn }));
    await importRows(svc, client, bucket, interactionsArn, INTERACTIONS_HEADER_4, [...data.rows, ...hit.slice(0, 100)]);
    assert.deepEqual((await round(7 * DAY)).queued, []);
    await client.send(new StartRecommenderCommand({ recommenderArn }));
    clock.advance(1);
    assert.equal((await describe_(recommenderArn)).status, 'ACTIVE');
    assert.equal((await round(HOUR)).queued.length, 1, 'the missed week comes at the next round');
  });

  it('Trending now is re-evaluated every two hours on the data then, keeping its metrics', async () => {
    const data = domainRows('VIDEO_ON_DEMAND');
    const { datasetGroupArn, interactionsArn } = await domainGroupWith(svc, client, bucket, 'VIDEO_ON_DEMAND', data.rows);
    const recommenderArn = await activeRecommender(svc, client, datasetGroupArn, 'aws-vod-trending-now');
    const metrics = (await describe_(recommenderArn)).modelMetrics;
    assert.deepEqual((await round(HOUR)).queued, []);
    // A burst of a new title in the newest hours.
    const burst = Array.from({ length: 150 }, (_, i) => `viewer${i},z-trend,${data.end + 60 * i},Watch`);
    await importRows(svc, client, bucket, interactionsArn, INTERACTIONS_HEADER_4, [...data.rows, ...burst]);
    assert.ok(!(await top(recommenderArn)).includes('z-trend'));
    assert.equal((await round(HOUR + 1000)).queued.length, 1);
    assert.equal((await top(recommenderArn))[0], 'z-trend');
    assert.deepEqual((await describe_(recommenderArn)).modelMetrics, metrics, 'a re-evaluation reports no new metrics');
    assert.deepEqual((await round(2 * HOUR)).queued, [], 'no new data');
  });

  it('Recommended for you is updated every two hours: a new item is explored, without retraining', async () => {
    const data = domainRows('ECOMMERCE', { seed: 99 });
    const { datasetGroupArn } = await domainGroupWith(svc, client, bucket, 'ECOMMERCE', data.rows);
    const { trackingId } = await activeTracker(client, datasetGroupArn);
    const recommenderArn = await activeRecommender(svc, client, datasetGroupArn, 'aws-ecomm-recommended-for-you', {
      itemExplorationConfig: { explorationWeight: '0.5', explorationItemAgeCutOff: '30' },
    });
    const model = await describe_(recommenderArn);
    await runtimeEvents(trackingId, 'newcomer', 'z-new');
    const users = ['u0', 'u1', 'u2', 'u3'];
    for (const u of users) assert.ok(!(await top(recommenderArn, u, 10)).includes('z-new'), 'not in the model, not yet in its pool');
    assert.deepEqual((await round(HOUR)).updated, []);
    const { updated, queued } = await round(HOUR);
    assert.deepEqual([updated, queued], [[recommenderArn], []]);
    const lists = await Promise.all(users.map((u) => top(recommenderArn, u, 10)));
    assert.ok(
      lists.some((l) => l.includes('z-new')),
      `explored after the update: ${JSON.stringify(lists)}`,
    );
    const now = await describe_(recommenderArn);
    assert.deepEqual([now.modelMetrics, now.lastUpdatedDateTime], [model.modelMetrics, model.lastUpdatedDateTime], 'no new model');
    assert.deepEqual((await round(2 * HOUR)).updated, [], 'no new data since the update');
  });

  /** A new user viewing a new item, through PutEvents at the clock's time. */
  async function runtimeEvents(trackingId: string, userId: string, itemId: string): Promise<void> {
    await eventsClient(svc).send(
      new PutEventsCommand({
        trackingId,
        userId,
        sessionId: `s-${userId}`,
        eventList: [{ eventType: 'View', itemId, sentAt: new Date(clock.now()) }],
      }),
    );
  }
});
