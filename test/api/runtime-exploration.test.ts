// Item exploration, the two-hourly automatic update and User-Personalization-v2's `reason`
// (training-rules.md rules 14-15, 68, 84-85, 121) through @aws-sdk/client-personalize-runtime over
// HTTP, on a test clock. The data: servingRows' two taste clusters and planted pair (created 100
// days before the newest interaction), three "cold" items with one interaction each created 10
// days before it, a tail of 500 items with three users each and five "rare" items with one user
// each (old, so never explored) that make the catalog larger than the 500 items v2 scores.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateFilterCommand,
  DescribeFilterCommand,
  CreateSolutionVersionCommand,
  DescribeSolutionVersionCommand,
  ListSolutionVersionsCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { PutItemsCommand } from '@aws-sdk/client-personalize-events';
import {
  GetRecommendationsCommand,
  type GetRecommendationsCommandInput,
  type PersonalizeRuntimeClient,
} from '@aws-sdk/client-personalize-runtime';
import { eventsClient } from '../testkit/events-fixtures.ts';
import { localBucket } from '../testkit/import-fixtures.ts';
import { activeGroup, datasetIn } from '../testkit/resources.ts';
import { INTERACTIONS_HEADER_4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { activeCampaign, activeSolution, importRows, runtimeClient, servingRows, trainedVersion } from '../testkit/serving-fixtures.ts';
import { startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';
import { testClock, type TestClock } from '../testkit/test-clock.ts';

const HOUR = 3_600_000;
const DAY_S = 24 * 3600;

const ITEMS_SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Items',
  namespace: 'com.amazonaws.personalize.schema',
  version: '1.0',
  fields: [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'GENRES', type: ['null', 'string'], categorical: true },
    { name: 'CREATION_TIMESTAMP', type: 'long' },
  ],
});

const COLD = ['cold1', 'cold2', 'cold3'];
const RARE = Array.from({ length: 5 }, (_, i) => `rare${i}`);
const TAIL = Array.from({ length: 500 }, (_, i) => `tail${i}`);

describe('item exploration, the two-hourly update and v2 reasons', () => {
  let svc: TestService;
  let clock: TestClock;
  let client: PersonalizeClient;
  let runtime: PersonalizeRuntimeClient;
  let groupArn: string;
  let itemsArn: string;
  let v1: string;
  let v2: string;
  const campaigns = { explore: '', none: '', short: '', v2: '' };

  before(async () => {
    clock = testClock();
    svc = await startTestService({ OPENPERSONALIZE_PROVISIONING_MS: '0' }, { now: clock.now, manualJobs: true });
    client = svc.client();
    runtime = runtimeClient(svc);
    const bucket = localBucket(svc.dataDir);
    const data = servingRows();
    const end = data.end + 1000;
    const rows = [...data.rows, ...COLD.map((item, i) => `cold-user-${i},${item},${end - i},click`)];
    TAIL.forEach((item, i) => {
      for (let u = 0; u < 3; u++) rows.push(`tail-user-${(i * 3 + u) % 300},${item},${data.end - 5000 + i},click`);
    });
    RARE.forEach((item, i) => rows.push(`rare-user-${i},${item},${data.end - 4000 + i},click`));
    groupArn = await activeGroup(client);
    const interactions = await datasetIn(client, groupArn, minimalSchemas.interactions, 'Interactions');
    itemsArn = await datasetIn(client, groupArn, ITEMS_SCHEMA, 'Items');
    await importRows(svc, client, bucket, interactions, INTERACTIONS_HEADER_4, rows);
    const old = end - 100 * DAY_S;
    const genre = (id: string) => (id.startsWith('a') ? 'Drama' : id.startsWith('b') ? 'Comedy' : id.startsWith('rare') ? 'Rare' : 'Other');
    await importRows(svc, client, bucket, itemsArn, 'ITEM_ID,GENRES,CREATION_TIMESTAMP', [
      ...[...data.usersPerItem.keys(), ...TAIL, ...RARE].map((id) => `${id},${genre(id)},${old}`),
      ...COLD.map((id) => `${id},Other,${end - 10 * DAY_S}`),
    ]);
    v1 = await trainedVersion(svc, client, await activeSolution(client, groupArn, 'aws-user-personalization'));
    v2 = await trainedVersion(svc, client, await activeSolution(client, groupArn, 'aws-user-personalization-v2'));
    campaigns.explore = await activeCampaign(client, v1);
    campaigns.none = await activeCampaign(client, v1, { itemExplorationConfig: { explorationWeight: '0' } });
    campaigns.short = await activeCampaign(client, v1, { itemExplorationConfig: { explorationItemAgeCutOff: '5' } });
    campaigns.v2 = await activeCampaign(client, v2);
  });
  after(() => svc.close());

  const recommend = (input: GetRecommendationsCommandInput) => runtime.send(new GetRecommendationsCommand(input));
  const ids = (list: { itemId?: string }[] | undefined) => (list ?? []).map((i) => i.itemId!);
  async function activeFilter(filterExpression: string): Promise<string> {
    const { filterArn } = await client.send(
      new CreateFilterCommand({ name: uniqueName('f'), datasetGroupArn: groupArn, filterExpression }),
    );
    await waitFor(async () => (await client.send(new DescribeFilterCommand({ filterArn }))).filter?.status === 'ACTIVE');
    return filterArn!;
  }

  it("weight 0.3 (the default) brings the young cold items in, after the model's items; weight 0 and a shorter age cut-off do not", async () => {
    for (const userId of ['u0', 'u1', 'u7', 'someone-new']) {
      const explored = (await recommend({ campaignArn: campaigns.explore, userId })).itemList!;
      const plain = (await recommend({ campaignArn: campaigns.none, userId })).itemList!;
      const short = (await recommend({ campaignArn: campaigns.short, userId })).itemList!;
      assert.equal(explored.length, 25);
      // round(0.3 × 25) = 8 places; the cold items are the only ones younger than 30 days.
      // They follow the model's items, with the model's scores: the list stays sorted by score.
      assert.deepEqual(
        explored
          .slice(-3)
          .map((i) => [i.itemId, typeof i.score, 'reason' in i])
          .sort(),
        COLD.map((id) => [id, 'number', false]),
        `${userId}: ${ids(explored).join(',')}`,
      );
      const scores = explored.map((i) => i.score!);
      assert.ok(
        scores.every((x, k) => k === 0 || x <= scores[k - 1]),
        scores.join(','),
      );
      assert.ok(!ids(plain).some((i) => COLD.includes(i)), `${userId} without exploration: ${ids(plain).join(',')}`);
      // No item is young enough for a 5-day cut-off: the model's list as it is.
      assert.deepEqual(short, plain);
      // The others are the model's first 22, with their scores.
      assert.deepEqual(explored.slice(0, 22), plain.slice(0, 22));
    }
    // The same request, the same answer (the draw is seeded by the request).
    const again = await recommend({ campaignArn: campaigns.explore, userId: 'u0' });
    assert.deepEqual(ids(again.itemList), ids((await recommend({ campaignArn: campaigns.explore, userId: 'u0' })).itemList));
  });

  it('explored items pass the filter', async () => {
    const filterArn = await activeFilter('EXCLUDE ItemID WHERE Items.GENRES IN ("Other")');
    const r = await recommend({ campaignArn: campaigns.explore, userId: 'u0', filterArn });
    assert.equal(r.itemList!.length, 25);
    assert.ok(!ids(r.itemList).some((i) => COLD.includes(i) || i.startsWith('tail')), ids(r.itemList).join(','));
  });

  it('a new item is explored after the two-hourly update of the deployed version, with no new version', async () => {
    await eventsClient(svc).send(
      new PutItemsCommand({
        datasetArn: itemsArn,
        items: [{ itemId: 'fresh1', properties: JSON.stringify({ genres: 'Other', creationTimestamp: Math.floor(clock.now() / 1000) }) }],
      }),
    );
    const users = ['u0', 'u3', 'someone-else'];
    for (const userId of users)
      assert.ok(!ids((await recommend({ campaignArn: campaigns.explore, userId })).itemList).includes('fresh1'), 'not before the update');
    const described = async () => (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn: v1 }))).solutionVersion!;
    const before = await described();
    assert.deepEqual(await svc.runModelUpdates(), [], 'not due before two hours');
    clock.advance(2 * HOUR + 1000);
    const updated = await svc.runModelUpdates();
    assert.deepEqual(updated.sort(), [v1, v2].sort(), 'both deployed versions are updated');
    for (const userId of users) {
      const list = (await recommend({ campaignArn: campaigns.explore, userId })).itemList!;
      const explored = ids(list);
      // The model does not know it: no score, last.
      assert.deepEqual(list.at(-1), { itemId: 'fresh1' }, `${userId} after the update: ${explored.join(',')}`);
      assert.ok(COLD.every((c) => explored.includes(c)));
      assert.ok(!ids((await recommend({ campaignArn: campaigns.none, userId })).itemList).includes('fresh1'), 'weight 0 explores nothing');
    }
    // No new version, and the version shows what it showed (rule 121: "no new version or metrics").
    const listed = (await client.send(new ListSolutionVersionsCommand({ solutionArn: before.solutionArn }))).solutionVersions!;
    assert.deepEqual(
      listed.map((v) => v.solutionVersionArn),
      [v1],
    );
    assert.deepEqual(await described(), before);
    // Two hours later without new data: nothing to update.
    clock.advance(2 * HOUR);
    assert.deepEqual(await svc.runModelUpdates(), []);
  });

  it('User-Personalization-v2: reason "Exploration" and "Promoted item"; User-Personalization gives no reason', async () => {
    const comedy = await activeFilter('INCLUDE ItemID WHERE Items.GENRES IN ("Comedy")');
    const promotions = [{ name: 'comedy', percentPromotedItems: 20, filterArn: comedy }];
    const r = await recommend({ campaignArn: campaigns.v2, userId: 'u0', promotions });
    const list = r.itemList!;
    assert.equal(list.length, 25);
    for (const item of list) {
      if (item.promotionName) assert.deepEqual([item.promotionName, item.reason], ['comedy', ['Promoted item']]);
      else if (COLD.includes(item.itemId!) || item.itemId === 'fresh1') {
        assert.deepEqual(item.reason, ['Exploration']);
        assert.equal('score' in item, item.itemId !== 'fresh1', 'explored items the model knows have its score');
      } else {
        assert.ok(!('reason' in item), JSON.stringify(item));
        assert.equal(typeof item.score, 'number');
      }
    }
    assert.equal(list.filter((i) => i.promotionName).length, 5);
    assert.equal(list.filter((i) => i.reason?.[0] === 'Exploration').length, 4);
    const v1List = (await recommend({ campaignArn: campaigns.explore, userId: 'u0', promotions })).itemList!;
    assert.equal(v1List.filter((i) => i.promotionName === 'comedy').length, 5);
    assert.ok(
      v1List.every((i) => !('reason' in i)),
      'User-Personalization returns no reason',
    );
  });

  it('User-Personalization-v2: placeholder popular items, without a score, when a filter leaves too few of the scored ones', async () => {
    const rare = await activeFilter('INCLUDE ItemID WHERE Items.GENRES IN ("Rare")');
    const r = await recommend({ campaignArn: campaigns.v2, userId: 'u0', filterArn: rare });
    assert.deepEqual(
      r.itemList!.map((i) => [i.itemId!.startsWith('rare'), i.reason, 'score' in i]),
      RARE.map(() => [true, ['Popular item'], false]),
    );
    // Without a filter every item comes from the scored subset.
    const plain = (await recommend({ campaignArn: campaigns.v2, userId: 'u0', numResults: 100 })).itemList!;
    assert.ok(!plain.some((i) => i.reason?.includes('Popular item')));
    // User-Personalization scores the whole catalog: its filtered items keep their scores.
    const v1 = (await recommend({ campaignArn: campaigns.none, userId: 'u0', filterArn: rare })).itemList!;
    assert.deepEqual(
      v1.map((i) => [i.itemId!.startsWith('rare'), typeof i.score]),
      RARE.map(() => [true, 'number']),
    );
  });

  it('a version trained with trainingMode UPDATE explores every item of the data at once, before any automatic update', async () => {
    const now = Math.floor(clock.now() / 1000);
    await eventsClient(svc).send(
      new PutItemsCommand({
        datasetArn: itemsArn,
        items: [{ itemId: 'fresh2', properties: JSON.stringify({ genres: 'Other', creationTimestamp: now }) }],
      }),
    );
    const { solutionArn } = (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn: v1 }))).solutionVersion!;
    const { solutionVersionArn } = await client.send(new CreateSolutionVersionCommand({ solutionArn, trainingMode: 'UPDATE' }));
    await svc.runner.drain();
    const updated = await activeCampaign(client, solutionVersionArn!);
    for (const userId of ['u0', 'someone-else']) {
      assert.ok(
        ids((await recommend({ campaignArn: updated, userId })).itemList).includes('fresh2'),
        `${userId}: the UPDATE version explores it`,
      );
      // The FULL version's campaign waits for its next automatic update.
      assert.ok(!ids((await recommend({ campaignArn: campaigns.explore, userId })).itemList).includes('fresh2'), userId);
    }
  });
});
