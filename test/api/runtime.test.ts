// The personalize-runtime API through @aws-sdk/client-personalize-runtime over HTTP (training-rules.md
// §7): real models trained on data with a planted structure, deployed in campaigns, answer
// sensibly — popularity follows the counts, SIMS finds the planted co-occurrence, a user's
// PutEvents changes the user's next recommendations, an unknown user gets the popular items,
// ranking scores sum to 1 — and every request error comes back as the model declares it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateEventTrackerCommand, DescribeEventTrackerCommand, type PersonalizeClient } from '@aws-sdk/client-personalize';
import { PutEventsCommand, type PersonalizeEventsClient } from '@aws-sdk/client-personalize-events';
import {
  GetActionRecommendationsCommand,
  GetPersonalizedRankingCommand,
  GetRecommendationsCommand,
  type GetRecommendationsCommandInput,
  type PersonalizeRuntimeClient,
} from '@aws-sdk/client-personalize-runtime';
import { eventsClient } from '../testkit/events-fixtures.ts';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { datasetIn, activeGroup } from '../testkit/resources.ts';
import { INTERACTIONS_HEADER_4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import {
  activeCampaign,
  activeSolution,
  importRows,
  runtimeClient,
  servingRows,
  trainedVersion,
  type ServingRows,
} from '../testkit/serving-fixtures.ts';
import { errorOf, startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';

const RID = /^RID-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** At most 7 decimal places (rule 7). */
const sevenDecimals = (x: number) => Math.abs(Math.round(x * 1e7) / 1e7 - x) < 1e-15;

describe('personalize-runtime: GetRecommendations and GetPersonalizedRanking', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let runtime: PersonalizeRuntimeClient;
  let events: PersonalizeEventsClient;
  let bucket: Bucket;
  let data: ServingRows;
  let trackingId: string;
  const campaigns: Record<'popularity' | 'sims' | 'user' | 'ranking', string> = { popularity: '', sims: '', user: '', ranking: '' };

  before(async () => {
    svc = await startTestService({}, { manualJobs: true });
    client = svc.client();
    runtime = runtimeClient(svc);
    events = eventsClient(svc);
    bucket = localBucket(svc.dataDir);
    data = servingRows();
    const datasetGroupArn = await activeGroup(client);
    const interactions = await datasetIn(client, datasetGroupArn, minimalSchemas.interactions, 'Interactions');
    const items = await datasetIn(client, datasetGroupArn, minimalSchemas.items, 'Items');
    await importRows(svc, client, bucket, interactions, INTERACTIONS_HEADER_4, data.rows);
    const genre = (id: string) => (id.startsWith('a') ? 'Drama' : id.startsWith('b') ? 'Comedy' : 'Documentary');
    await importRows(
      svc,
      client,
      bucket,
      items,
      'ITEM_ID,GENRES',
      [...data.usersPerItem.keys()].map((id) => `${id},${genre(id)}`),
    );
    const recipes = {
      popularity: 'aws-popularity-count',
      sims: 'aws-sims',
      user: 'aws-user-personalization',
      ranking: 'aws-personalized-ranking',
    };
    for (const [key, recipe] of Object.entries(recipes) as [keyof typeof campaigns, string][]) {
      const version = await trainedVersion(svc, client, await activeSolution(client, datasetGroupArn, recipe));
      // No exploration (its default weight is 0.3): these tests look at what the model itself answers.
      const user = { enableMetadataWithRecommendations: true, itemExplorationConfig: { explorationWeight: '0' } };
      campaigns[key] = await activeCampaign(client, version, key === 'user' ? user : undefined);
    }
    const tracker = await client.send(new CreateEventTrackerCommand({ name: uniqueName('t'), datasetGroupArn }));
    await waitFor(
      async () =>
        (await client.send(new DescribeEventTrackerCommand({ eventTrackerArn: tracker.eventTrackerArn }))).eventTracker?.status ===
        'ACTIVE',
    );
    trackingId = tracker.trackingId!;
  });
  after(() => svc.close());

  const recommend = (input: GetRecommendationsCommandInput) => runtime.send(new GetRecommendationsCommand(input));
  const ids = (list: { itemId?: string }[] | undefined) => (list ?? []).map((i) => i.itemId!);
  const share = (items: string[], cluster: string[]) => items.filter((i) => cluster.includes(i)).length / items.length;

  it('Popularity-Count: the items with the most users first, 25 by default, no scores, a RID', async () => {
    const r = await recommend({ campaignArn: campaigns.popularity });
    assert.match(r.recommendationId!, RID);
    assert.equal(r.itemList!.length, 25);
    assert.ok(
      r.itemList!.every((i) => !('score' in i)),
      'popularity gives no scores',
    );
    const counts = ids(r.itemList).map((i) => data.usersPerItem.get(i)!);
    assert.equal(counts[0], Math.max(...data.usersPerItem.values()));
    for (let k = 1; k < counts.length; k++) assert.ok(counts[k] <= counts[k - 1], `counts ${counts.join(',')}`);
    // The same list for everyone, known or not; numResults 0 means the default.
    const forUser = await recommend({ campaignArn: campaigns.popularity, userId: 'u1', numResults: 0 });
    assert.deepEqual(ids(forUser.itemList), ids(r.itemList));
    assert.equal((await recommend({ campaignArn: campaigns.popularity, numResults: 3 })).itemList!.length, 3);
  });

  it('SIMS: the planted co-occurrence comes back first, without scores; an unknown item gets popular items', async () => {
    const [x1, x2] = data.planted;
    const r = await recommend({ campaignArn: campaigns.sims, itemId: x1, numResults: 10 });
    assert.equal(r.itemList![0].itemId, x2);
    assert.ok(r.itemList!.every((i) => !('score' in i)));
    assert.ok(!ids(r.itemList).includes(x1), 'an item is not related to itself');
    const unknown = await recommend({ campaignArn: campaigns.sims, itemId: 'no-such-item', numResults: 10 });
    assert.equal(unknown.itemList!.length, 10);
    const popular = ids((await recommend({ campaignArn: campaigns.popularity, numResults: 10 })).itemList);
    assert.deepEqual(new Set(ids(unknown.itemList)), new Set(popular));
  });

  it("User-Personalization: a user's own taste, scores rounded to 7 decimals, descending, summing to at most 1", async () => {
    const r = await recommend({ campaignArn: campaigns.user, userId: 'u0' });
    const items = ids(r.itemList);
    assert.equal(items.length, 25);
    assert.ok(share(items.slice(0, 10), data.clusterA) >= 0.7, `u0 likes cluster A: ${items.join(',')}`);
    const scores = r.itemList!.map((i) => i.score!);
    assert.ok(
      scores.every((s) => typeof s === 'number' && s >= 0 && s <= 1 && sevenDecimals(s)),
      scores.join(','),
    );
    for (let k = 1; k < scores.length; k++) assert.ok(scores[k] <= scores[k - 1]);
    assert.ok(scores.reduce((a, b) => a + b, 0) <= 1 + 1e-6);
  });

  it('User-Personalization: an unknown user gets the popular items', async () => {
    const a = ids((await recommend({ campaignArn: campaigns.user, userId: 'nobody-1', numResults: 10 })).itemList);
    const b = ids((await recommend({ campaignArn: campaigns.user, userId: 'nobody-2', numResults: 10 })).itemList);
    assert.deepEqual(a, b);
    const popular = ids((await recommend({ campaignArn: campaigns.popularity, numResults: 15 })).itemList);
    assert.ok(
      a.slice(0, 5).every((i) => popular.includes(i)),
      `${a.join(',')} vs popular ${popular.join(',')}`,
    );
  });

  it("PutEvents changes that user's next recommendations (a new user after a few events, an existing one too)", async () => {
    // PutEvents takes at most 10 events a call.
    const put = async (userId: string, items: string[]) => {
      for (let k = 0; k < items.length; k += 10) {
        const eventList = items
          .slice(k, k + 10)
          .map((itemId, j) => ({ eventType: 'click', itemId, sentAt: new Date((data.end + 100 + k + j) * 1000) }));
        await events.send(new PutEventsCommand({ trackingId, userId, sessionId: `s-${userId}`, eventList }));
      }
    };
    const fresh = uniqueName('fresh');
    const before = ids((await recommend({ campaignArn: campaigns.user, userId: fresh })).itemList);
    await put(fresh, data.clusterB.slice(0, 6));
    const after = ids((await recommend({ campaignArn: campaigns.user, userId: fresh })).itemList);
    assert.notDeepEqual(after, before);
    assert.ok(share(after.slice(0, 10), data.clusterB) >= 0.7, `after B events: ${after.join(',')}`);
    // u2 likes cluster A; a run of B events moves its recommendations towards B at once.
    const u2Before = share(ids((await recommend({ campaignArn: campaigns.user, userId: 'u2' })).itemList).slice(0, 10), data.clusterB);
    await put('u2', data.clusterB.slice(5, 25));
    const u2After = share(ids((await recommend({ campaignArn: campaigns.user, userId: 'u2' })).itemList).slice(0, 10), data.clusterB);
    assert.ok(u2After > u2Before, `cluster B share ${u2Before} -> ${u2After}`);
    // An anonymous visitor: events with a sessionId only; the sessionId is then the userId (rule 82).
    const session = uniqueName('session');
    await events.send(
      new PutEventsCommand({
        trackingId,
        sessionId: session,
        eventList: data.clusterB.slice(0, 6).map((itemId, k) => ({ eventType: 'click', itemId, sentAt: new Date((data.end + k) * 1000) })),
      }),
    );
    const anonymous = ids((await recommend({ campaignArn: campaigns.user, userId: session })).itemList);
    assert.ok(share(anonymous.slice(0, 10), data.clusterB) >= 0.7, `after a session's B events: ${anonymous.join(',')}`);
  });

  it('GetPersonalizedRanking: the list ranked for the user, scores summing to 1, unknown items last without a score', async () => {
    const inputList = ['b3', 'a0', 'a1', 'unknown-1', 'b0', 'a2', 'unknown-2', 'b1'];
    const r = await runtime.send(new GetPersonalizedRankingCommand({ campaignArn: campaigns.ranking, userId: 'u4', inputList }));
    assert.match(r.recommendationId!, RID);
    const ranked = r.personalizedRanking!;
    assert.deepEqual(new Set(ids(ranked)), new Set(inputList));
    assert.deepEqual(
      ranked.slice(-2).map((i) => [i.itemId, 'score' in i]),
      [
        ['unknown-1', false],
        ['unknown-2', false],
      ],
    );
    const scores = ranked.slice(0, -2).map((i) => i.score!);
    assert.ok(Math.abs(scores.reduce((a, b) => a + b, 0) - 1) < 1e-5, scores.join(','));
    assert.ok(scores.every(sevenDecimals));
    // u4 likes cluster A: A items rank above B items.
    assert.ok(share(ids(ranked).slice(0, 3), data.clusterA) >= 2 / 3, ids(ranked).join(','));
  });

  it('metadataColumns: Items values as strings when the campaign enables metadata; at most 50 results then', async () => {
    const r = await recommend({ campaignArn: campaigns.user, userId: 'u0', numResults: 5, metadataColumns: { ITEMS: ['genres'] } });
    for (const item of r.itemList!) {
      const expected = item.itemId!.startsWith('a') ? 'Drama' : item.itemId!.startsWith('b') ? 'Comedy' : 'Documentary';
      assert.deepEqual(item.metadata, { GENRES: expected });
    }
    const tooMany = await errorOf(() =>
      recommend({ campaignArn: campaigns.user, userId: 'u0', numResults: 51, metadataColumns: { ITEMS: ['GENRES'] } }),
    );
    assert.equal(tooMany.name, 'InvalidInputException');
    assert.match(tooMany.message, /numResults.*50/);
    const notEnabled = await errorOf(() => recommend({ campaignArn: campaigns.popularity, metadataColumns: { ITEMS: ['GENRES'] } }));
    assert.equal(notEnabled.name, 'InvalidInputException');
    assert.match(notEnabled.message, /enableMetadataWithRecommendations/);
    const unknownColumn = await errorOf(() =>
      recommend({ campaignArn: campaigns.user, userId: 'u0', metadataColumns: { ITEMS: ['NOT_A_COLUMN'] } }),
    );
    assert.match(unknownColumn.message, /NOT_A_COLUMN/);
  });

  it('errors: 400 InvalidInputException for a bad request, 404 ResourceNotFoundException for what does not exist', async () => {
    const cases: [string, () => Promise<unknown>, string, number, RegExp][] = [
      ['neither ARN', () => recommend({ userId: 'u0' }), 'InvalidInputException', 400, /campaignArn or recommenderArn/],
      [
        'both ARNs',
        () => recommend({ campaignArn: campaigns.user, recommenderArn: campaigns.user.replace('campaign/', 'recommender/'), userId: 'u0' }),
        'InvalidInputException',
        400,
        /not both/,
      ],
      [
        'a recommender',
        () => recommend({ recommenderArn: 'arn:aws:personalize:us-east-1:000000000000:recommender/r1', userId: 'u0' }),
        'ResourceNotFoundException',
        404,
        /recommender/,
      ],
      [
        'an unknown campaign',
        () => recommend({ campaignArn: 'arn:aws:personalize:us-east-1:000000000000:campaign/none', userId: 'u0' }),
        'ResourceNotFoundException',
        404,
        /campaign\/none/,
      ],
      ['no userId for User-Personalization', () => recommend({ campaignArn: campaigns.user }), 'InvalidInputException', 400, /userId/],
      ['no itemId for SIMS', () => recommend({ campaignArn: campaigns.sims, userId: 'u0' }), 'InvalidInputException', 400, /itemId/],
      [
        'a ranking campaign in GetRecommendations',
        () => recommend({ campaignArn: campaigns.ranking, userId: 'u0' }),
        'InvalidInputException',
        400,
        /GetPersonalizedRanking/,
      ],
      [
        'GetPersonalizedRanking on a User-Personalization campaign',
        () => runtime.send(new GetPersonalizedRankingCommand({ campaignArn: campaigns.user, userId: 'u0', inputList: ['a1'] })),
        'InvalidInputException',
        400,
        /PERSONALIZED_RANKING/,
      ],
      [
        'numResults over 500',
        () => recommend({ campaignArn: campaigns.user, userId: 'u0', numResults: 501 }),
        'InvalidInputException',
        400,
        /numResults.*500/,
      ],
      [
        'an inputList over 500',
        () =>
          runtime.send(
            new GetPersonalizedRankingCommand({
              campaignArn: campaigns.ranking,
              userId: 'u0',
              inputList: Array.from({ length: 501 }, (_, i) => `i${i}`),
            }),
          ),
        'InvalidInputException',
        400,
        /inputList.*500/,
      ],
      [
        'an unknown filter',
        () => recommend({ campaignArn: campaigns.user, userId: 'u0', filterArn: 'arn:aws:personalize:us-east-1:000000000000:filter/none' }),
        'ResourceNotFoundException',
        404,
        /filter\/none/,
      ],
      [
        'a campaign of another account',
        () =>
          runtimeClient(svc, { accessKeyId: '123456789012' }).send(
            new GetRecommendationsCommand({ campaignArn: campaigns.user, userId: 'u0' }),
          ),
        'ResourceNotFoundException',
        404,
        /Could not find/,
      ],
      [
        'a campaign of another region',
        () =>
          runtimeClient(svc, { region: 'eu-west-1' }).send(new GetRecommendationsCommand({ campaignArn: campaigns.user, userId: 'u0' })),
        'ResourceNotFoundException',
        404,
        /Could not find/,
      ],
    ];
    for (const [what, call, name, status, message] of cases) {
      const e = await errorOf(call);
      assert.equal(e.name, name, `${what}: ${e.message}`);
      assert.equal(e.$metadata?.httpStatusCode, status, what);
      assert.match(e.message, message, what);
    }
  });

  it('model constraints: ValidationException 400; GetActionRecommendations needs a PERSONALIZED_ACTIONS campaign', async () => {
    const negative = await errorOf(() => recommend({ campaignArn: campaigns.user, userId: 'u0', numResults: -1 }));
    assert.equal(negative.$metadata?.httpStatusCode, 400);
    assert.match(negative.message, /numResults/);
    const actions = await errorOf(() => runtime.send(new GetActionRecommendationsCommand({ campaignArn: campaigns.user, userId: 'u0' })));
    assert.equal(actions.name, 'InvalidInputException');
    assert.equal(actions.$metadata?.httpStatusCode, 400);
    assert.match(actions.message, /PERSONALIZED_ACTIONS/);
    const malformed = await fetch(`${svc.endpoint}/recommendations`, {
      method: 'POST',
      body: '{"campaignArn": ',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(malformed.status, 400);
  });

  it('a context key the Interactions dataset has no column for changes nothing (rule 87; runtime-context.test.ts has the columns)', async () => {
    const r = await recommend({ campaignArn: campaigns.user, userId: 'u0', context: { DEVICE: 'mobile' } });
    assert.deepEqual(ids(r.itemList), ids((await recommend({ campaignArn: campaigns.user, userId: 'u0' })).itemList));
  });
});
