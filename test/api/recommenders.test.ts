// Recommenders through the AWS SDKs over HTTP (training-rules.md §6 rules 72-78, §11): CreateRecommender,
// DescribeRecommender, ListRecommenders, UpdateRecommender, DeleteRecommender, StartRecommender and
// StopRecommender with their states, errors, tags, paging, quotas and isolation, and
// GetRecommendations with a recommenderArn: its errors, metadata, filters and promotions.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateFilterCommand,
  CreateRecommenderCommand,
  DeleteDatasetGroupCommand,
  DeleteRecommenderCommand,
  DescribeFilterCommand,
  DescribeRecommenderCommand,
  ListRecommendersCommand,
  ListTagsForResourceCommand,
  StartRecommenderCommand,
  StopRecommenderCommand,
  UpdateRecommenderCommand,
  type PersonalizeClient,
  type Recommender,
} from '@aws-sdk/client-personalize';
import {
  GetRecommendationsCommand,
  type GetRecommendationsCommandInput,
  type PersonalizeRuntimeClient,
} from '@aws-sdk/client-personalize-runtime';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeRecommender, domainDataset, domainGroupWith, domainRows } from '../testkit/recommender-fixtures.ts';
import { activeGroup } from '../testkit/resources.ts';
import { importRows, recipeArn, runtimeClient } from '../testkit/serving-fixtures.ts';
import { errorOf, startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';

const ITEMS_SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Items',
  namespace: 'com.amazonaws.personalize.schema',
  version: '1.0',
  fields: [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'PRICE', type: 'float' },
    { name: 'CATEGORY_L1', type: 'string', categorical: true },
    { name: 'CATEGORY_L2', type: ['null', 'string'], categorical: true },
  ],
});
const MOST_VIEWED = 'aws-ecomm-popular-items-by-views';

describe('recommenders: the control plane and GetRecommendations', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let runtime: PersonalizeRuntimeClient;
  let bucket: Bucket;
  let group: string;
  /** An ACTIVE Most viewed recommender of the group. */
  let mostViewed: string;
  const data = domainRows('ECOMMERCE');

  before(async () => {
    // 400 ms from PENDING to ACTIVE: an update or a stop must be readable while it is pending on a busy machine.
    svc = await startTestService({ OPENPERSONALIZE_PROVISIONING_MS: '400' }, { manualJobs: true });
    client = svc.client();
    runtime = runtimeClient(svc);
    bucket = localBucket(svc.dataDir);
    group = (await domainGroupWith(svc, client, bucket, 'ECOMMERCE', data.rows)).datasetGroupArn;
    const items = await domainDataset(client, group, 'ECOMMERCE', ITEMS_SCHEMA, 'Items');
    const all = [...data.clusterA, ...data.clusterB, ...data.pair];
    await importRows(
      svc,
      client,
      bucket,
      items,
      'ITEM_ID,PRICE,CATEGORY_L1,CATEGORY_L2',
      all.map((id, i) => `${id},${(i + 1) * 1.5},${id[0]},`),
    );
    mostViewed = await activeRecommender(svc, client, group, MOST_VIEWED);
  });
  after(() => svc.close());

  const describeRecommender = async (recommenderArn: string) =>
    (await client.send(new DescribeRecommenderCommand({ recommenderArn }))).recommender!;
  const recommend = (input: GetRecommendationsCommandInput) => runtime.send(new GetRecommendationsCommand(input));
  const ids = (list: { itemId?: string }[] | undefined) => (list ?? []).map((i) => i.itemId!);
  const create = (
    name: string,
    recipe = MOST_VIEWED,
    o: Partial<{ datasetGroupArn: string; recommenderConfig: Recommender['recommenderConfig'] }> = {},
  ) =>
    client.send(
      new CreateRecommenderCommand({
        name,
        datasetGroupArn: o.datasetGroupArn ?? group,
        recipeArn: recipeArn(recipe),
        recommenderConfig: o.recommenderConfig,
      }),
    );

  it('CreateRecommender: CREATE PENDING until its training runs, then ACTIVE with its model metrics; what was given, tags', async () => {
    const name = uniqueName('rec');
    const recommenderConfig = { minRecommendationRequestsPerSecond: 2, enableMetadataWithRecommendations: true };
    const { recommenderArn } = await client.send(
      new CreateRecommenderCommand({
        name,
        datasetGroupArn: group,
        recipeArn: recipeArn('aws-ecomm-popular-items-by-purchases'),
        recommenderConfig,
        tags: [{ tagKey: 'team', tagValue: 'shop' }],
      }),
    );
    assert.equal(recommenderArn, `arn:aws:personalize:us-east-1:000000000000:recommender/${name}`);
    const pending = await describeRecommender(recommenderArn!);
    assert.equal(pending.status, 'CREATE PENDING');
    assert.equal(pending.modelMetrics, undefined, 'no metrics while it is being created');
    assert.equal('latestRecommenderUpdate' in pending, false);
    const early = await errorOf(() => recommend({ recommenderArn, userId: 'u1' }));
    assert.equal(early.name, 'ResourceNotFoundException', 'not ACTIVE yet');
    await svc.runner.drain();
    const r = await describeRecommender(recommenderArn!);
    assert.deepEqual(
      { name: r.name, arn: r.recommenderArn, group: r.datasetGroupArn, recipe: r.recipeArn, config: r.recommenderConfig, status: r.status },
      {
        name,
        arn: recommenderArn,
        group,
        recipe: recipeArn('aws-ecomm-popular-items-by-purchases'),
        config: recommenderConfig,
        status: 'ACTIVE',
      },
    );
    assert.equal(Object.keys(r.modelMetrics!).length, 8);
    assert.ok(r.creationDateTime instanceof Date && r.lastUpdatedDateTime! >= r.creationDateTime);
    assert.equal(r.failureReason, undefined);
    assert.deepEqual((await client.send(new ListTagsForResourceCommand({ resourceArn: recommenderArn }))).tags, [
      { tagKey: 'team', tagValue: 'shop' },
    ]);
    assert.equal((await errorOf(() => create(name))).name, 'ResourceAlreadyExistsException');
    // Without a configuration, the documented empty one.
    assert.deepEqual((await describeRecommender(mostViewed)).recommenderConfig, {});
    await client.send(new DeleteRecommenderCommand({ recommenderArn }));
  });

  it('CreateRecommender errors: the group, the recipe, the configuration, tags', async () => {
    const name = () => uniqueName('rec');
    const cases: [string, () => Promise<unknown>, RegExp?][] = [
      ['ResourceNotFoundException', () => create(name(), MOST_VIEWED, { datasetGroupArn: `${group}-none` })],
      [
        'InvalidInputException',
        async () => create(name(), MOST_VIEWED, { datasetGroupArn: await activeGroup(client) }),
        /Custom dataset group/,
      ],
      ['InvalidInputException', () => create(name(), 'aws-vod-top-picks'), /VIDEO_ON_DEMAND/],
      ['InvalidInputException', () => create(name(), 'aws-user-personalization'), /custom recipe/],
      ['ResourceNotFoundException', () => create(name(), 'aws-no-such-use-case')],
      [
        'InvalidInputException',
        () => create(name(), MOST_VIEWED, { recommenderConfig: { itemExplorationConfig: { explorationWeight: '2' } } }),
        /explorationWeight/,
      ],
      [
        'InvalidInputException',
        () => create(name(), MOST_VIEWED, { recommenderConfig: { trainingDataConfig: { excludedDatasetColumns: { ITEMS: ['COLOUR'] } } } }),
        /COLOUR/,
      ],
      ['ValidationException', () => create(name(), MOST_VIEWED, { recommenderConfig: { minRecommendationRequestsPerSecond: 0 } })],
      [
        'TooManyTagsException',
        () =>
          client.send(
            new CreateRecommenderCommand({
              name: name(),
              datasetGroupArn: group,
              recipeArn: recipeArn(MOST_VIEWED),
              tags: Array.from({ length: 51 }, (_, i) => ({ tagKey: `k${i}`, tagValue: 'v' })),
            }),
          ),
      ],
    ];
    for (const [code, call, message] of cases) {
      const e = await errorOf(call);
      assert.equal(e.name, code, e.message);
      if (message) assert.match(e.message, message);
    }
    assert.equal((await errorOf(() => describeRecommender(`${mostViewed}-none`))).name, 'ResourceNotFoundException');
    const other = svc.client({ accessKeyId: '123456789012' });
    assert.equal(
      (await errorOf(() => other.send(new DescribeRecommenderCommand({ recommenderArn: mostViewed })))).name,
      'ResourceNotFoundException',
    );
  });

  it("ListRecommenders: the account's or a group's, newest first, in pages", async () => {
    const otherGroup = (await domainGroupWith(svc, client, bucket, 'ECOMMERCE', [])).datasetGroupArn;
    const made: string[] = [];
    for (let i = 0; i < 3; i++) made.push((await create(uniqueName('rec'), MOST_VIEWED, { datasetGroupArn: otherGroup })).recommenderArn!);
    const all = (await client.send(new ListRecommendersCommand({ datasetGroupArn: otherGroup }))).recommenders!;
    assert.deepEqual(
      all.map((r) => r.recommenderArn),
      [...made].reverse(),
    );
    assert.deepEqual(Object.keys(all[0]).sort(), [
      'creationDateTime',
      'datasetGroupArn',
      'lastUpdatedDateTime',
      'name',
      'recipeArn',
      'recommenderArn',
      'recommenderConfig',
      'status',
    ]);
    const first = await client.send(new ListRecommendersCommand({ datasetGroupArn: otherGroup, maxResults: 2 }));
    const second = await client.send(
      new ListRecommendersCommand({ datasetGroupArn: otherGroup, maxResults: 2, nextToken: first.nextToken }),
    );
    assert.deepEqual(
      [...first.recommenders!, ...second.recommenders!].map((r) => r.recommenderArn),
      [...made].reverse(),
    );
    assert.equal(second.nextToken, undefined);
    const everyone = (await client.send(new ListRecommendersCommand({}))).recommenders!.map((r) => r.recommenderArn);
    assert.ok(made.every((a) => everyone.includes(a)) && everyone.includes(mostViewed));
    assert.deepEqual((await client.send(new ListRecommendersCommand({ datasetGroupArn: `${group}-none` }))).recommenders, []);
    await svc.runner.drain(); // they fail (no data), so they can be deleted
    for (const recommenderArn of made) {
      assert.equal((await describeRecommender(recommenderArn)).status, 'CREATE FAILED');
      await client.send(new DeleteRecommenderCommand({ recommenderArn }));
    }
  });

  it('UpdateRecommender: a new configuration applies once latestRecommenderUpdate is ACTIVE; new training columns retrain', async () => {
    const recommenderArn = await activeRecommender(svc, client, group, MOST_VIEWED, { enableMetadataWithRecommendations: true });
    await client.send(new UpdateRecommenderCommand({ recommenderArn, recommenderConfig: { minRecommendationRequestsPerSecond: 3 } }));
    const pending = await describeRecommender(recommenderArn);
    assert.equal(pending.status, 'ACTIVE');
    assert.ok(['CREATE PENDING', 'CREATE IN_PROGRESS'].includes(pending.latestRecommenderUpdate!.status!));
    assert.deepEqual(pending.recommenderConfig, { enableMetadataWithRecommendations: true }, 'the old configuration serves until then');
    const twice = await errorOf(() => client.send(new UpdateRecommenderCommand({ recommenderArn, recommenderConfig: {} })));
    assert.equal(twice.name, 'ResourceInUseException');
    const merged = { enableMetadataWithRecommendations: true, minRecommendationRequestsPerSecond: 3 };
    await waitFor(async () => (await describeRecommender(recommenderArn)).latestRecommenderUpdate?.status === 'ACTIVE');
    const done = await describeRecommender(recommenderArn);
    assert.deepEqual([done.recommenderConfig, done.latestRecommenderUpdate!.recommenderConfig], [merged, merged]);
    // New training columns: a full retraining, the update following it.
    const trainingDataConfig = { excludedDatasetColumns: { ITEMS: ['CATEGORY_L2'] } };
    await client.send(new UpdateRecommenderCommand({ recommenderArn, recommenderConfig: { trainingDataConfig } }));
    assert.equal((await describeRecommender(recommenderArn)).latestRecommenderUpdate!.status, 'CREATE PENDING');
    assert.ok(ids((await recommend({ recommenderArn, userId: 'u1' })).itemList).length > 0, 'it keeps serving');
    await svc.runner.drain();
    const retrained = await describeRecommender(recommenderArn);
    assert.equal(retrained.latestRecommenderUpdate!.status, 'ACTIVE');
    assert.deepEqual(retrained.recommenderConfig, { ...merged, trainingDataConfig });
    assert.equal(Object.keys(retrained.modelMetrics!).length, 8);
    const bad = await errorOf(() =>
      client.send(
        new UpdateRecommenderCommand({
          recommenderArn,
          recommenderConfig: { trainingDataConfig: { includedDatasetColumns: { ITEMS: ['NOPE'] } } },
        }),
      ),
    );
    assert.equal(bad.name, 'InvalidInputException');
    const creating = (await create(uniqueName('rec'))).recommenderArn!;
    assert.equal(
      (await errorOf(() => client.send(new UpdateRecommenderCommand({ recommenderArn: creating, recommenderConfig: {} })))).name,
      'ResourceInUseException',
    );
    await svc.runner.drain();
    const missing = await errorOf(() =>
      client.send(new UpdateRecommenderCommand({ recommenderArn: `${recommenderArn}-none`, recommenderConfig: {} })),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
    for (const arn of [recommenderArn, creating]) await client.send(new DeleteRecommenderCommand({ recommenderArn: arn }));
  });

  it('StopRecommender / StartRecommender: INACTIVE answers nothing, then ACTIVE again with the same model', async () => {
    const recommenderArn = await activeRecommender(svc, client, group, MOST_VIEWED);
    const answer = ids((await recommend({ recommenderArn, userId: 'u1', numResults: 5 })).itemList);
    assert.equal((await errorOf(() => client.send(new StartRecommenderCommand({ recommenderArn })))).name, 'ResourceInUseException');
    assert.deepEqual(await client.send(new StopRecommenderCommand({ recommenderArn })).then((r) => r.recommenderArn), recommenderArn);
    const stopping = (await describeRecommender(recommenderArn)).status!;
    assert.ok(['STOP PENDING', 'STOP IN_PROGRESS', 'INACTIVE'].includes(stopping), stopping);
    await waitFor(async () => (await describeRecommender(recommenderArn)).status === 'INACTIVE');
    assert.equal(Object.keys((await describeRecommender(recommenderArn)).modelMetrics!).length, 8);
    const stopped = await errorOf(() => recommend({ recommenderArn, userId: 'u1' }));
    assert.equal(stopped.name, 'InvalidInputException');
    assert.match(stopped.message, /INACTIVE/);
    assert.equal((await errorOf(() => client.send(new StopRecommenderCommand({ recommenderArn })))).name, 'ResourceInUseException');
    await client.send(new StartRecommenderCommand({ recommenderArn }));
    assert.ok(['START PENDING', 'START IN_PROGRESS', 'ACTIVE'].includes((await describeRecommender(recommenderArn)).status!));
    await waitFor(async () => (await describeRecommender(recommenderArn)).status === 'ACTIVE');
    assert.deepEqual(ids((await recommend({ recommenderArn, userId: 'u1', numResults: 5 })).itemList), answer);
    await client.send(new DeleteRecommenderCommand({ recommenderArn }));
  });

  it('DeleteRecommender: refused while it is being created; then gone; its dataset group waits for it', async () => {
    const { recommenderArn } = await create(uniqueName('rec'));
    assert.equal((await errorOf(() => client.send(new DeleteRecommenderCommand({ recommenderArn })))).name, 'ResourceInUseException');
    const refused = await errorOf(() => client.send(new DeleteDatasetGroupCommand({ datasetGroupArn: group })));
    assert.equal(refused.name, 'ResourceInUseException');
    assert.match(refused.message, /recommender/);
    await svc.runner.drain();
    await client.send(new DeleteRecommenderCommand({ recommenderArn }));
    assert.equal((await errorOf(() => describeRecommender(recommenderArn!))).name, 'ResourceNotFoundException');
    assert.equal((await errorOf(() => recommend({ recommenderArn, userId: 'u1' }))).name, 'ResourceNotFoundException');
    assert.equal((await errorOf(() => client.send(new DeleteRecommenderCommand({ recommenderArn })))).name, 'ResourceNotFoundException');
  });

  it('GetRecommendations with a recommender: its errors, metadata, a filter and a promotion', async () => {
    const notFound = await errorOf(() => recommend({ recommenderArn: `${mostViewed}-none`, userId: 'u1' }));
    assert.equal(notFound.name, 'ResourceNotFoundException');
    assert.equal(notFound.$metadata?.httpStatusCode, 404);
    const both = await errorOf(() =>
      recommend({ recommenderArn: mostViewed, campaignArn: mostViewed.replace(':recommender/', ':campaign/'), userId: 'u1' }),
    );
    assert.equal(both.name, 'InvalidInputException');
    assert.equal(
      (await errorOf(() => recommend({ recommenderArn: mostViewed, userId: 'u1', numResults: 501 }))).name,
      'InvalidInputException',
    );
    const noMetadata = await errorOf(() => recommend({ recommenderArn: mostViewed, userId: 'u1', metadataColumns: { ITEMS: ['PRICE'] } }));
    assert.equal(noMetadata.name, 'InvalidInputException');
    assert.match(noMetadata.message, /enableMetadataWithRecommendations/);
    const withMetadata = await activeRecommender(svc, client, group, MOST_VIEWED, { enableMetadataWithRecommendations: true });
    const r = await recommend({
      recommenderArn: withMetadata,
      userId: 'u1',
      numResults: 3,
      metadataColumns: { ITEMS: ['PRICE', 'CATEGORY_L1'] },
    });
    for (const item of r.itemList!) assert.deepEqual(Object.keys(item.metadata!).sort(), ['CATEGORY_L1', 'PRICE'], JSON.stringify(item));
    // A filter of the group: only cluster B; a promotion of cluster A items.
    const filter = async (expression: string) => {
      const { filterArn } = await client.send(
        new CreateFilterCommand({ name: uniqueName('f'), datasetGroupArn: group, filterExpression: expression }),
      );
      await waitFor(async () => (await client.send(new DescribeFilterCommand({ filterArn }))).filter?.status === 'ACTIVE');
      return filterArn!;
    };
    const onlyB = await filter('INCLUDE ItemID WHERE Items.CATEGORY_L1 IN ("b")');
    const onlyA = await filter('INCLUDE ItemID WHERE Items.CATEGORY_L1 IN ("a")');
    const filtered = await recommend({ recommenderArn: mostViewed, userId: 'u1', numResults: 10, filterArn: onlyB });
    assert.ok(
      ids(filtered.itemList).every((i) => i.startsWith('b')),
      ids(filtered.itemList).join(','),
    );
    const promoted = await recommend({
      recommenderArn: mostViewed,
      userId: 'u1',
      numResults: 10,
      filterArn: onlyB,
      promotions: [{ name: 'cluster-a', percentPromotedItems: 20, filterArn: onlyA }],
    });
    const marked = promoted.itemList!.filter((i) => i.promotionName === 'cluster-a');
    assert.equal(marked.length, 2);
    assert.ok(marked.every((i) => i.itemId!.startsWith('a')));
    await client.send(new DeleteRecommenderCommand({ recommenderArn: withMetadata }));
  });
});

describe('recommenders: quotas (OPENPERSONALIZE_QUOTAS=aws)', () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({ OPENPERSONALIZE_QUOTAS: 'aws' }, { manualJobs: true });
  });
  after(() => svc.close());

  it('5 recommenders per dataset group, 15 per account and region', async () => {
    const client = svc.client({ region: 'eu-west-1' });
    const groups: string[] = [];
    for (let g = 0; g < 4; g++) groups.push(await activeGroup(client, { domain: 'ECOMMERCE' }));
    const create = (datasetGroupArn: string) =>
      client.send(new CreateRecommenderCommand({ name: uniqueName('rec'), datasetGroupArn, recipeArn: recipeArn(MOST_VIEWED) }));
    for (let i = 0; i < 5; i++) await create(groups[0]);
    const perGroup = await errorOf(() => create(groups[0]));
    assert.equal(perGroup.name, 'LimitExceededException');
    assert.equal(perGroup.message, 'Cannot create a recommender. More than 5 resources in ACTIVE state. Please delete some and try again.');
    for (const g of [groups[1], groups[2]]) for (let i = 0; i < 5; i++) await create(g);
    const perRegion = await errorOf(() => create(groups[3]));
    assert.equal(perRegion.name, 'LimitExceededException');
    assert.match(perRegion.message, /More than 15 resources/);
    // Another region has its own.
    const elsewhere = svc.client({ region: 'us-west-2' });
    await elsewhere.send(
      new CreateRecommenderCommand({
        name: uniqueName('rec'),
        datasetGroupArn: await activeGroup(elsewhere, { domain: 'ECOMMERCE' }),
        recipeArn: recipeArn(MOST_VIEWED),
      }),
    );
  });
});
