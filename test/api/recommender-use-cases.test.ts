// The ten domain use cases through the AWS SDKs over HTTP (training-rules.md §1.6, rules 21-22, 73,
// 94): each recommender trains on synthetic data with the event types its use case requires and
// answers as its use case does (popularity over the counted event type, items viewed / watched
// with the given one, a planted pair bought together, the user's taste cluster), without scores;
// each fails with AWS's text when its event type is missing; and the automatic filters hold, also
// for an event put a moment before the request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateRecommenderCommand, DescribeRecommenderCommand, type Domain, type PersonalizeClient } from '@aws-sdk/client-personalize';
import { PutEventsCommand, type PersonalizeEventsClient } from '@aws-sdk/client-personalize-events';
import {
  GetRecommendationsCommand,
  type GetRecommendationsCommandInput,
  type PersonalizeRuntimeClient,
} from '@aws-sdk/client-personalize-runtime';
import { activeTracker, eventsClient } from '../testkit/events-fixtures.ts';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import {
  activeRecommender,
  domainDataset,
  domainGroupWith,
  domainRows,
  VOD_ITEMS_HEADER,
  VOD_ITEMS_SCHEMA,
  type DomainRows,
} from '../testkit/recommender-fixtures.ts';
import { importRows, recipeArn, runtimeClient } from '../testkit/serving-fixtures.ts';
import { errorOf, startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';

const METRICS = [
  'coverage',
  'mean_reciprocal_rank_at_25',
  'normalized_discounted_cumulative_gain_at_10',
  'normalized_discounted_cumulative_gain_at_25',
  'normalized_discounted_cumulative_gain_at_5',
  'precision_at_10',
  'precision_at_25',
  'precision_at_5',
];

describe('recommenders: the ten domain use cases', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let runtime: PersonalizeRuntimeClient;
  let events: PersonalizeEventsClient;
  let bucket: Bucket;
  const data = { ECOMMERCE: domainRows('ECOMMERCE'), VIDEO_ON_DEMAND: domainRows('VIDEO_ON_DEMAND') };
  const groups: Record<Domain, { arn: string; trackingId: string }> = {} as never;
  const recommenders = new Map<string, string>();

  before(async () => {
    svc = await startTestService({}, { manualJobs: true });
    client = svc.client();
    runtime = runtimeClient(svc);
    events = eventsClient(svc);
    bucket = localBucket(svc.dataDir);
    for (const domain of ['ECOMMERCE', 'VIDEO_ON_DEMAND'] as const) {
      const { datasetGroupArn } = await domainGroupWith(svc, client, bucket, domain, data[domain].rows);
      groups[domain] = { arn: datasetGroupArn, trackingId: (await activeTracker(client, datasetGroupArn)).trackingId };
    }
    // More like X needs the Items dataset: cluster A is comedy, B drama, the pair documentaries.
    const items = await domainDataset(client, groups.VIDEO_ON_DEMAND.arn, 'VIDEO_ON_DEMAND', VOD_ITEMS_SCHEMA, 'Items');
    const vod = data.VIDEO_ON_DEMAND;
    const genre = (id: string) => (id.startsWith('a') ? 'Comedy' : id.startsWith('b') ? 'Drama' : 'Documentary');
    await importRows(
      svc,
      client,
      bucket,
      items,
      VOD_ITEMS_HEADER,
      [...vod.clusterA, ...vod.clusterB, ...vod.pair].map((id) => `${id},${genre(id)},1700000000`),
    );
  });
  after(() => svc.close());

  const recommend = (input: GetRecommendationsCommandInput) => runtime.send(new GetRecommendationsCommand(input));
  const ids = (list: { itemId?: string }[] | undefined) => (list ?? []).map((i) => i.itemId!);
  const share = (items: string[], cluster: string[]) => items.filter((i) => cluster.includes(i)).length / items.length;
  async function recommenderOf(domain: Domain, recipe: string): Promise<string> {
    let arn = recommenders.get(recipe);
    if (!arn) recommenders.set(recipe, (arn = await activeRecommender(svc, client, groups[domain].arn, recipe)));
    return arn;
  }
  /** Users per item among the users with an event of the type. */
  const usersPerItem = (d: DomainRows, type: string) => {
    const counts = new Map<string, number>();
    for (const types of d.byUser.values()) for (const item of types.get(type) ?? []) counts.set(item, (counts.get(item) ?? 0) + 1);
    return counts;
  };
  const taken = (d: DomainRows, user: string, type: string) => d.byUser.get(user)?.get(type) ?? new Set<string>();

  it('every trained recommender reports the offline metrics of its model', async () => {
    const arn = await recommenderOf('ECOMMERCE', 'aws-ecomm-recommended-for-you');
    const r = (await client.send(new DescribeRecommenderCommand({ recommenderArn: arn }))).recommender!;
    assert.deepEqual(Object.keys(r.modelMetrics ?? {}).sort(), METRICS);
    assert.ok(r.modelMetrics!.precision_at_25 > 0, JSON.stringify(r.modelMetrics));
  });

  it('Most viewed, Best sellers, Most popular: the items most users viewed / purchased / watched, the same for everyone', async () => {
    for (const [domain, recipe, type] of [
      ['ECOMMERCE', 'aws-ecomm-popular-items-by-views', 'view'],
      ['ECOMMERCE', 'aws-ecomm-popular-items-by-purchases', 'purchase'],
      ['VIDEO_ON_DEMAND', 'aws-vod-most-popular', 'watch'],
    ] as const) {
      const arn = await recommenderOf(domain, recipe);
      const counts = usersPerItem(data[domain], type);
      const r = await recommend({ recommenderArn: arn, userId: 'u1', numResults: 10 });
      const got = ids(r.itemList).map((i) => counts.get(i) ?? 0);
      assert.equal(got[0], Math.max(...counts.values()), `${recipe}: ${got.join(',')}`);
      for (let k = 1; k < got.length; k++) assert.ok(got[k] <= got[k - 1], `${recipe}: ${got.join(',')}`);
      assert.ok(
        r.itemList!.every((i) => !('score' in i)),
        `${recipe}: no scores for domain recommenders (rule 94)`,
      );
      assert.deepEqual(ids((await recommend({ recommenderArn: arn, userId: 'u2', numResults: 10 })).itemList), ids(r.itemList));
      const noUser = await errorOf(() => recommend({ recommenderArn: arn }));
      assert.equal(noUser.name, 'InvalidInputException', `${recipe}: userId is required`);
      assert.match(noUser.message, /userId/);
    }
  });

  it('Frequently bought together: the item purchased in the same basket; itemId required, userId optional', async () => {
    const arn = await recommenderOf('ECOMMERCE', 'aws-ecomm-frequently-bought-together');
    const [p1, p2] = data.ECOMMERCE.pair;
    const r = await recommend({ recommenderArn: arn, itemId: p1, numResults: 5 });
    assert.equal(r.itemList![0].itemId, p2);
    assert.ok(!ids(r.itemList).includes(p1));
    assert.ok(r.itemList!.every((i) => !('score' in i)));
    assert.equal((await recommend({ recommenderArn: arn, itemId: p2, numResults: 1 })).itemList![0].itemId, p1);
    assert.equal((await errorOf(() => recommend({ recommenderArn: arn, userId: 'u1' }))).name, 'InvalidInputException');
  });

  it("Customers who viewed X also viewed, Because you watched X, More like X: items of X's cluster, without what the user took", async () => {
    for (const [domain, recipe, removed] of [
      ['ECOMMERCE', 'aws-ecomm-customers-who-viewed-x-also-viewed', 'purchase'],
      ['VIDEO_ON_DEMAND', 'aws-vod-because-you-watched-x', 'watch'],
      ['VIDEO_ON_DEMAND', 'aws-vod-more-like-x', 'watch'],
    ] as const) {
      const arn = await recommenderOf(domain, recipe);
      const d = data[domain];
      const r = await recommend({ recommenderArn: arn, userId: 'u1', itemId: d.clusterA[0], numResults: 10 });
      const got = ids(r.itemList);
      assert.equal(got.length, 10, recipe);
      assert.ok(share(got, d.clusterA) >= 0.7, `${recipe}: ${got.join(',')}`);
      assert.ok(r.itemList!.every((i) => !('score' in i)));
      // u0 takes cluster A: what u0 purchased / watched is never among u0's answers.
      const own = taken(d, 'u0', removed);
      const forU0 = ids((await recommend({ recommenderArn: arn, userId: 'u0', itemId: d.clusterA[0], numResults: 20 })).itemList);
      assert.deepEqual(
        forU0.filter((i) => own.has(i)),
        [],
        `${recipe}: the automatic filter`,
      );
      for (const input of [{ userId: 'u1' }, { itemId: d.clusterA[0] }])
        assert.equal(
          (await errorOf(() => recommend({ recommenderArn: arn, ...input }))).name,
          'InvalidInputException',
          `${recipe}: ${JSON.stringify(input)}`,
        );
    }
  });

  it("Recommended for you, Top picks for you: the user's taste, without what the user purchased / watched", async () => {
    for (const [domain, recipe, removed] of [
      ['ECOMMERCE', 'aws-ecomm-recommended-for-you', 'purchase'],
      ['VIDEO_ON_DEMAND', 'aws-vod-top-picks', 'watch'],
    ] as const) {
      const arn = await recommenderOf(domain, recipe);
      const d = data[domain];
      const r = await recommend({ recommenderArn: arn, userId: 'u0', numResults: 10 });
      const got = ids(r.itemList);
      assert.equal(got.length, 10);
      assert.ok(
        r.itemList!.every((i) => !('score' in i)),
        `${recipe}: no scores`,
      );
      assert.deepEqual(
        got.filter((i) => taken(d, 'u0', removed).has(i)),
        [],
        `${recipe}: the automatic filter`,
      );
      const odd = ids((await recommend({ recommenderArn: arn, userId: 'u1', numResults: 10 })).itemList);
      assert.ok(share(odd, d.clusterB) > share(odd, d.clusterA), `${recipe}: u1 takes cluster B: ${odd.join(',')}`);
    }
  });

  it('Trending now: the same list for everyone, userId optional', async () => {
    const arn = await recommenderOf('VIDEO_ON_DEMAND', 'aws-vod-trending-now');
    const anyone = ids((await recommend({ recommenderArn: arn, numResults: 10 })).itemList);
    assert.equal(anyone.length, 10);
    assert.deepEqual(ids((await recommend({ recommenderArn: arn, userId: 'u3', numResults: 10 })).itemList), anyone);
  });

  it('an item purchased or watched through PutEvents is left out of the very next answer', async () => {
    const cases = [
      ['ECOMMERCE', 'aws-ecomm-recommended-for-you', 'Purchase', undefined],
      ['ECOMMERCE', 'aws-ecomm-customers-who-viewed-x-also-viewed', 'Purchase', 'a0'],
      ['VIDEO_ON_DEMAND', 'aws-vod-top-picks', 'Watch', undefined],
      ['VIDEO_ON_DEMAND', 'aws-vod-because-you-watched-x', 'Watch', 'a0'],
    ] as const;
    for (const [domain, recipe, eventType, itemId] of cases) {
      const arn = await recommenderOf(domain, recipe);
      const userId = 'u4';
      const before = ids((await recommend({ recommenderArn: arn, userId, itemId, numResults: 5 })).itemList);
      const [first, second] = before;
      // A View / Click of the first item is not what the use case filters; a purchase / watch of the second is.
      await events.send(
        new PutEventsCommand({
          trackingId: groups[domain].trackingId,
          userId,
          sessionId: uniqueName('s'),
          eventList: [
            { eventType: domain === 'ECOMMERCE' ? 'View' : 'Click', itemId: first, sentAt: new Date() },
            { eventType, itemId: second, sentAt: new Date() },
          ],
        }),
      );
      const now = ids((await recommend({ recommenderArn: arn, userId, itemId, numResults: 5 })).itemList);
      assert.ok(!now.includes(second), `${recipe}: ${second} was just ${eventType}d: ${now.join(',')}`);
      assert.equal(now.length, 5);
    }
  });

  it("each use case fails without the event type it requires, with AWS's text as failureReason", async () => {
    const failureOf = async (datasetGroupArn: string, recipe: string) => {
      const { recommenderArn } = await client.send(
        new CreateRecommenderCommand({ name: uniqueName('rec'), datasetGroupArn, recipeArn: recipeArn(recipe) }),
      );
      await svc.runner.drain();
      const r = (await client.send(new DescribeRecommenderCommand({ recommenderArn }))).recommender!;
      assert.equal(r.status, 'CREATE FAILED', recipe);
      assert.equal(r.modelMetrics, undefined);
      return r.failureReason;
    };
    const only = (d: DomainRows, type: string) => d.rows.filter((row) => row.endsWith(`,${type}`));
    const views = (await domainGroupWith(svc, client, bucket, 'ECOMMERCE', only(data.ECOMMERCE, 'View'))).datasetGroupArn;
    const purchases = (await domainGroupWith(svc, client, bucket, 'ECOMMERCE', only(data.ECOMMERCE, 'Purchase'))).datasetGroupArn;
    const clicks = (await domainGroupWith(svc, client, bucket, 'VIDEO_ON_DEMAND', only(data.VIDEO_ON_DEMAND, 'Click'))).datasetGroupArn;
    const text = (type: string) => `Dataset has fewer than 1000 interactions after filtering by event type: ${type}`;
    assert.equal(await failureOf(views, 'aws-ecomm-popular-items-by-purchases'), text('Purchase'));
    assert.equal(await failureOf(views, 'aws-ecomm-frequently-bought-together'), text('Purchase'));
    assert.equal(await failureOf(purchases, 'aws-ecomm-popular-items-by-views'), text('View'));
    assert.equal(await failureOf(purchases, 'aws-ecomm-customers-who-viewed-x-also-viewed'), text('View'));
    assert.equal(await failureOf(clicks, 'aws-vod-most-popular'), text('Watch'));
    assert.equal(await failureOf(clicks, 'aws-vod-because-you-watched-x'), text('Watch'));
    assert.equal(
      await failureOf(clicks, 'aws-vod-more-like-x'),
      'Dataset group must contain an ITEMS dataset with successfully completed dataset import job',
    );
    // Use cases that take any event type train on the clicks alone; none trains without data.
    await activeRecommender(svc, client, clicks, 'aws-vod-top-picks');
    const empty = (await domainGroupWith(svc, client, bucket, 'VIDEO_ON_DEMAND', [])).datasetGroupArn;
    assert.equal(
      await failureOf(empty, 'aws-vod-trending-now'),
      'Dataset group must contain an INTERACTIONS dataset with successfully completed dataset import job or EVENT_INTERACTIONS',
    );
  });
});
