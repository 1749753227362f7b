// Filters and promotions at request time, through @aws-sdk/client-personalize-runtime over HTTP
// (training-rules.md §7.1 rule 86, §8): a filter keeps only what its expression allows, with the
// request's filterValues, before the list is cut to numResults; an item purchased through
// PutEvents a moment ago is excluded on the very next request; a promotion takes its share of the
// places for items its own filter keeps; and the filter's errors come back as the model declares.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateFilterCommand, DescribeFilterCommand, type PersonalizeClient } from '@aws-sdk/client-personalize';
import { PutEventsCommand } from '@aws-sdk/client-personalize-events';
import {
  GetPersonalizedRankingCommand,
  GetRecommendationsCommand,
  type GetRecommendationsCommandInput,
  type PersonalizeRuntimeClient,
} from '@aws-sdk/client-personalize-runtime';
import { activeTracker, eventsClient } from '../testkit/events-fixtures.ts';
import { localBucket } from '../testkit/import-fixtures.ts';
import { activeGroup, datasetIn } from '../testkit/resources.ts';
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

const genreOf = (id: string) => (id.startsWith('a') ? 'Drama' : id.startsWith('b') ? 'Comedy' : 'Documentary');

describe('personalize-runtime: filters and promotions', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let runtime: PersonalizeRuntimeClient;
  let data: ServingRows;
  let groupArn: string;
  let trackingId: string;
  const campaigns = { popularity: '', user: '', ranking: '' };

  async function activeFilter(filterExpression: string, datasetGroupArn = groupArn): Promise<string> {
    const { filterArn } = await client.send(new CreateFilterCommand({ name: uniqueName('f'), datasetGroupArn, filterExpression }));
    await waitFor(async () => (await client.send(new DescribeFilterCommand({ filterArn }))).filter?.status === 'ACTIVE');
    return filterArn!;
  }

  before(async () => {
    svc = await startTestService({}, { manualJobs: true });
    client = svc.client();
    runtime = runtimeClient(svc);
    data = servingRows();
    const bucket = localBucket(svc.dataDir);
    groupArn = await activeGroup(client);
    const interactions = await datasetIn(client, groupArn, minimalSchemas.interactions, 'Interactions');
    const items = await datasetIn(client, groupArn, minimalSchemas.items, 'Items');
    await importRows(svc, client, bucket, interactions, INTERACTIONS_HEADER_4, data.rows);
    await importRows(
      svc,
      client,
      bucket,
      items,
      'ITEM_ID,GENRES',
      [...data.usersPerItem.keys()].map((id) => `${id},${genreOf(id)}`),
    );
    for (const [key, recipe] of [
      ['popularity', 'aws-popularity-count'],
      ['user', 'aws-user-personalization'],
      ['ranking', 'aws-personalized-ranking'],
    ] as const)
      campaigns[key] = await activeCampaign(client, await trainedVersion(svc, client, await activeSolution(client, groupArn, recipe)));
    trackingId = (await activeTracker(client, groupArn)).trackingId;
  });
  after(() => svc.close());

  const recommend = (input: GetRecommendationsCommandInput) => runtime.send(new GetRecommendationsCommand(input));
  const ids = (list: { itemId?: string }[] | undefined) => (list ?? []).map((i) => i.itemId!);

  it('INCLUDE by an Items field with a placeholder keeps only matching items, still numResults of them', async () => {
    const filterArn = await activeFilter('INCLUDE ItemID WHERE Items.GENRES IN ($GENRE)');
    for (const [genre, prefix] of [
      ['Comedy', 'b'],
      ['Drama', 'a'],
    ]) {
      const r = await recommend({
        campaignArn: campaigns.user,
        userId: 'u0',
        numResults: 20,
        filterArn,
        filterValues: { GENRE: `"${genre}"` },
      });
      assert.equal(r.itemList!.length, 20, 'filtered before the cut: the next best fill the list');
      assert.ok(
        ids(r.itemList).every((i) => i.startsWith(prefix)),
        ids(r.itemList).join(','),
      );
    }
    // Two values, quoted and comma-separated.
    const both = await recommend({
      campaignArn: campaigns.popularity,
      numResults: 62,
      filterArn,
      filterValues: { GENRE: '"Comedy","Documentary"' },
    });
    assert.deepEqual(new Set(ids(both.itemList).map(genreOf)), new Set(['Comedy', 'Documentary']));
    // An INCLUDE without its value is an error naming the parameter.
    const e = await errorOf(() => recommend({ campaignArn: campaigns.user, userId: 'u0', filterArn }));
    assert.equal(e.name, 'InvalidInputException');
    assert.match(e.message, /GENRE/);
  });

  it('an item purchased through PutEvents is excluded on the very next request', async () => {
    const filterArn = await activeFilter('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")');
    const user = uniqueName('buyer');
    const top = ids((await recommend({ campaignArn: campaigns.popularity, userId: user, numResults: 5, filterArn })).itemList);
    await eventsClient(svc).send(
      new PutEventsCommand({
        trackingId,
        userId: user,
        sessionId: `s-${user}`,
        eventList: [{ eventType: 'purchase', itemId: top[0], sentAt: new Date() }],
      }),
    );
    const after = ids((await recommend({ campaignArn: campaigns.popularity, userId: user, numResults: 5, filterArn })).itemList);
    assert.ok(!after.includes(top[0]), `${top[0]} was just purchased: ${after.join(',')}`);
    assert.deepEqual(after.slice(0, 4), top.slice(1, 5), 'the others move up');
    // Another user is not affected, nor is the same user without the filter.
    assert.equal(
      ids((await recommend({ campaignArn: campaigns.popularity, userId: 'u1', numResults: 5, filterArn })).itemList)[0] !== undefined,
      true,
    );
    assert.deepEqual(ids((await recommend({ campaignArn: campaigns.popularity, userId: user, numResults: 5 })).itemList), top);
    // Event types match case-insensitively (rule 102).
    const upper = await activeFilter('EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("PURCHASE")');
    assert.ok(
      !ids((await recommend({ campaignArn: campaigns.popularity, userId: user, numResults: 5, filterArn: upper })).itemList).includes(
        top[0],
      ),
    );
  });

  it('GetPersonalizedRanking drops the items the filter removes', async () => {
    const filterArn = await activeFilter('EXCLUDE ItemID WHERE Items.GENRES IN ("Drama")');
    const inputList = ['a1', 'b1', 'a2', 'b2', 'x1'];
    const r = await runtime.send(new GetPersonalizedRankingCommand({ campaignArn: campaigns.ranking, userId: 'u1', inputList, filterArn }));
    assert.deepEqual(new Set(ids(r.personalizedRanking)), new Set(['b1', 'b2', 'x1']));
  });

  it('a promotion takes its share of the places for items its own filter keeps, marked with its name', async () => {
    const documentaries = await activeFilter('INCLUDE ItemID WHERE Items.GENRES IN ("Documentary")');
    const dramaOnly = await activeFilter('INCLUDE ItemID WHERE Items.GENRES IN ("Drama")');
    const plain = ids((await recommend({ campaignArn: campaigns.popularity, numResults: 10, filterArn: dramaOnly })).itemList);
    const r = await recommend({
      campaignArn: campaigns.popularity,
      numResults: 10,
      filterArn: dramaOnly,
      promotions: [{ name: 'docs', percentPromotedItems: 20, filterArn: documentaries }],
    });
    const promoted = r.itemList!.filter((i) => i.promotionName === 'docs');
    const rest = r.itemList!.filter((i) => i.promotionName === undefined);
    assert.equal(r.itemList!.length, 10);
    const bestDocs = ids((await recommend({ campaignArn: campaigns.popularity, numResults: 2, filterArn: documentaries })).itemList);
    assert.deepEqual(ids(promoted), bestDocs, 'the best items of the promotion filter (not the request filter), in their order');
    assert.equal(promoted.length, 2, '20 % of 10');
    assert.deepEqual(ids(rest), plain.slice(0, 8), 'the others in their own order');
  });

  it('errors: an unknown filter is 404; a filter of another dataset group is InvalidInputException', async () => {
    const missing = await errorOf(() =>
      recommend({ campaignArn: campaigns.user, userId: 'u0', filterArn: groupArn.replace(/dataset-group\/.*/, 'filter/none') }),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
    const otherGroup = await activeGroup(client);
    await datasetIn(client, otherGroup, minimalSchemas.items, 'Items');
    const foreign = await activeFilter('EXCLUDE ItemID WHERE Items.GENRES IN ("Drama")', otherGroup);
    const e = await errorOf(() => recommend({ campaignArn: campaigns.user, userId: 'u0', filterArn: foreign }));
    assert.equal(e.name, 'InvalidInputException');
    assert.match(e.message, /dataset group/);
  });
});
