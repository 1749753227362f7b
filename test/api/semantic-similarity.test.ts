// aws-semantic-similarity through the AWS SDKs over HTTP (training-rules.md §1.3 rules 11-12, §1.4,
// rule 61): Items schemas take `"itemName": true`; a version trains on the Items texts alone
// (Interactions are optional) or with interactions; a campaign answers an item's planted topic
// neighbours (synonyms, not shared words), with metadata without enabling it, and re-ranks them by
// popularity with rankingInfluence (a campaign's, a batch inference job's); missing Items data or
// text fields fail the version with a reason.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateSchemaCommand,
  DescribeSchemaCommand,
  DescribeSolutionVersionCommand,
  CreateSolutionVersionCommand,
  GetSolutionMetricsCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { GetRecommendationsCommand, type PersonalizeRuntimeClient } from '@aws-sdk/client-personalize-runtime';
import { jsonLines, outLines, runInferenceJob } from '../testkit/batch-fixtures.ts';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeGroup, datasetIn } from '../testkit/resources.ts';
import { INTERACTIONS_HEADER_4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { activeCampaign, activeSolution, importRows, runtimeClient, trainedVersion } from '../testkit/serving-fixtures.ts';
import { errorOf, startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';
import { plantedCatalog } from '../training/semantic-synthetic.ts';

const schemaOf = (name: string, fields: unknown[]) =>
  JSON.stringify({ type: 'record', name, namespace: 'com.amazonaws.personalize.schema', version: '1.0', fields });

const ITEMS_SCHEMA = schemaOf('Items', [
  { name: 'ITEM_ID', type: 'string' },
  { name: 'TITLE', type: 'string', itemName: true },
  { name: 'DESCRIPTION', type: ['null', 'string'], textual: true },
  { name: 'GENRE', type: ['null', 'string'], categorical: true },
]);

describe('aws-semantic-similarity: related items by the meaning of their text', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let runtime: PersonalizeRuntimeClient;
  let bucket: Bucket;
  const catalog = plantedCatalog({ topics: 15, itemsPerTopic: 20, topicShare: 0.25, seed: 3 });
  const itemLines = catalog.items.map((it) => `${it.id},${it.name},"${it.text}",g${it.topic % 3}`);

  before(async () => {
    svc = await startTestService({}, { manualJobs: true });
    client = svc.client();
    runtime = runtimeClient(svc);
    bucket = localBucket(svc.dataDir);
  });
  after(() => svc.close());

  /** A group with the planted Items (and `interactions`, if given). */
  async function groupWithItems(interactions?: string[]): Promise<string> {
    const group = await activeGroup(client);
    const items = await datasetIn(client, group, ITEMS_SCHEMA, 'Items');
    await importRows(svc, client, bucket, items, 'ITEM_ID,TITLE,DESCRIPTION,GENRE', itemLines);
    if (interactions) {
      const dataset = await datasetIn(client, group, minimalSchemas.interactions, 'Interactions');
      await importRows(svc, client, bucket, dataset, INTERACTIONS_HEADER_4, interactions);
    }
    return group;
  }

  const ids = (list: { itemId?: string }[] | undefined) => (list ?? []).map((i) => i.itemId!);
  const topic = (id: string) => id.split('-')[0];

  it('Items schemas take "itemName": true on one string field', async () => {
    const { schemaArn } = await client.send(new CreateSchemaCommand({ name: uniqueName('s'), schema: ITEMS_SCHEMA }));
    assert.equal((await client.send(new DescribeSchemaCommand({ schemaArn }))).schema!.schema, ITEMS_SCHEMA);
    const refused: [string, RegExp][] = [
      [
        schemaOf('Items', [
          { name: 'ITEM_ID', type: 'string' },
          { name: 'YEAR', type: 'long', itemName: true },
        ]),
        /YEAR.*itemName|itemName.*string/,
      ],
      [
        schemaOf('Items', [
          { name: 'ITEM_ID', type: 'string' },
          { name: 'A', type: 'string', itemName: true },
          { name: 'B', type: 'string', itemName: true, categorical: true },
        ]),
        /at most 1 itemName/,
      ],
      [
        schemaOf('Users', [
          { name: 'USER_ID', type: 'string' },
          { name: 'NAME', type: 'string', itemName: true, categorical: true },
        ]),
        /Items schemas/,
      ],
      [
        schemaOf('Items', [
          { name: 'ITEM_ID', type: 'string' },
          { name: 'TITLE', type: 'string', itemName: 'yes', categorical: true },
        ]),
        /true or false/,
      ],
    ];
    for (const [schema, message] of refused) {
      const e = await errorOf(() => client.send(new CreateSchemaCommand({ name: uniqueName('s'), schema })));
      assert.equal(e.name, 'InvalidInputException', schema);
      assert.match(e.message, message);
    }
  });

  it('trains on the Items alone and answers an item’s planted topic neighbours, with metadata', async () => {
    const group = await groupWithItems();
    const version = await trainedVersion(svc, client, await activeSolution(client, group, 'aws-semantic-similarity'));
    const { metrics } = await client.send(new GetSolutionMetricsCommand({ solutionVersionArn: version }));
    assert.ok(metrics!.coverage > 0.3, JSON.stringify(metrics));
    const campaignArn = await activeCampaign(client, version);
    let same = 0;
    let asked = 0;
    for (const it of catalog.items.filter((_, i) => i % 23 === 0)) {
      const r = await runtime.send(new GetRecommendationsCommand({ campaignArn, itemId: it.id, numResults: 10 }));
      assert.equal(r.itemList!.length, 10);
      assert.ok(!ids(r.itemList).includes(it.id));
      assert.ok(r.itemList!.every((i) => !('score' in i)));
      same += ids(r.itemList).filter((id) => topic(id) === topic(it.id)).length;
      asked += 10;
    }
    assert.ok(same / asked > 0.9, `topic precision@10 ${same / asked}`);
    // Metadata comes without enableMetadataWithRecommendations (rule 12).
    const withTitles = await runtime.send(
      new GetRecommendationsCommand({ campaignArn, itemId: 't2-i0', numResults: 3, metadataColumns: { ITEMS: ['TITLE'] } }),
    );
    for (const i of withTitles.itemList!) assert.equal(i.metadata!.TITLE, catalog.items.find((x) => x.id === i.itemId)!.name);
    const missing = await errorOf(() => runtime.send(new GetRecommendationsCommand({ campaignArn })));
    assert.equal(missing.name, 'InvalidInputException');
    assert.match(missing.message, /itemId/);
  });

  it('with interactions: rankingInfluence POPULARITY (campaign, batch job) puts the popular similar item first', async () => {
    // 60 users: everyone takes t1-i7 and t4-i3, and a few items of one topic.
    const rows: string[] = [];
    let t = 1_700_000_000;
    for (let u = 0; u < 60; u++) {
      rows.push(`u${u},t1-i7,${(t += 10)},click`, `u${u},t4-i3,${(t += 10)},click`);
      for (let k = 0; k < 16; k++) rows.push(`u${u},t${u % 15}-i${(u + k) % 20},${(t += 10)},click`);
    }
    const group = await groupWithItems(rows);
    const version = await trainedVersion(svc, client, await activeSolution(client, group, 'aws-semantic-similarity'));
    const { metrics } = await client.send(new GetSolutionMetricsCommand({ solutionVersionArn: version }));
    // Trained with the interactions: AWS's holdout of related-items recipes finds the users' next items.
    assert.ok(metrics!.mean_reciprocal_rank_at_25 > 0, JSON.stringify(metrics));
    const plain = await activeCampaign(client, version);
    const popular = await activeCampaign(client, version, { rankingInfluence: { POPULARITY: 1 } });
    const ask = async (campaignArn: string) =>
      ids((await runtime.send(new GetRecommendationsCommand({ campaignArn, itemId: 't1-i0', numResults: 10 }))).itemList);
    const [before, after] = [await ask(plain), await ask(popular)];
    assert.equal(after[0], 't1-i7', `${after}`);
    assert.ok(!after.includes('t4-i3'), 'a popular item of another topic is not similar');
    assert.ok(after.filter((id) => topic(id) === 't1').length >= 9, `${after}`);
    assert.notDeepEqual(after, before);
    // A batch inference job answers as the campaigns do, with its own batchInferenceJobConfig.
    await bucket.put('sem/in.json', jsonLines([{ itemId: 't1-i0' }]));
    for (const [config, expected, out] of [
      [undefined, before, 'sem-plain'],
      [{ rankingInfluence: { POPULARITY: 1 } }, after, 'sem-popular'],
    ] as const) {
      const job = await runInferenceJob(svc, client, {
        solutionVersionArn: version,
        numResults: 10,
        batchInferenceJobConfig: config,
        jobInput: { s3DataSource: { path: `s3://${bucket.name}/sem/in.json` } },
        jobOutput: { s3DataDestination: { path: `s3://${bucket.name}/${out}/` } },
      });
      assert.equal(job.status, 'ACTIVE', job.failureReason);
      const [line] = await outLines(bucket, `${out}/in.json.out`);
      assert.deepEqual(line.output!.recommendedItems, expected);
    }
  });

  it('fails a version without Items data, or whose Items schema lacks an itemName or textual field', async () => {
    const failureOf = async (group: string) => {
      const solutionArn = await activeSolution(client, group, 'aws-semantic-similarity');
      const { solutionVersionArn } = await client.send(new CreateSolutionVersionCommand({ solutionArn }));
      await svc.runner.drain();
      const v = (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion!;
      assert.equal(v.status, 'CREATE FAILED');
      return v.failureReason!;
    };
    assert.match(await failureOf(await activeGroup(client)), /ITEMS dataset/);
    const untitled = await activeGroup(client);
    const items = await datasetIn(client, untitled, minimalSchemas.items, 'Items');
    await importRows(svc, client, bucket, items, 'ITEM_ID,GENRES', ['i1,Drama', 'i2,Comedy']);
    assert.match(await failureOf(untitled), /"itemName": true.*"textual": true/);
  });
});
