// Batch segment jobs through @aws-sdk/client-personalize over HTTP (training-rules.md §9 rules
// 113-117, rule 108): Item-Affinity and Item-Attribute-Affinity models trained on data with two
// planted taste clusters (even users like the `a` items, odd users the `b` items) give, for an
// item or a genre, segments made mostly of its cluster's users, in the observed `usersList` form;
// a UserID filter with per-line filterValues; query limits as the job's failureReason; every error
// of the operations.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateBatchInferenceJobCommand,
  CreateBatchSegmentJobCommand,
  ListBatchSegmentJobsCommand,
  type CreateBatchSegmentJobCommandInput,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { activeFilter, jsonLines, outLines, outTextLines, ROLE_ARN, runSegmentJob } from '../testkit/batch-fixtures.ts';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeGroup, datasetIn } from '../testkit/resources.ts';
import { INTERACTIONS_HEADER_4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { activeSolution, importRows, servingRows, trainedVersion, type ServingRows } from '../testkit/serving-fixtures.ts';
import { errorOf, startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';

const ageOf = (user: string) => 20 + (Number(user.slice(1)) % 5) * 10;
const SEGMENT_LINE = /^\{"input": \{.*\}, "output": \{"usersList": \[("[^"]+"(,"[^"]+")*)?\]\}, "error": null\}$/;

describe('batch segment jobs', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let bucket: Bucket;
  let data: ServingRows;
  let datasetGroupArn: string;
  const versions = { item: '', attribute: '', popularity: '' };

  before(async () => {
    svc = await startTestService({}, { manualJobs: true });
    client = svc.client();
    bucket = localBucket(svc.dataDir);
    data = servingRows({ users: 200 });
    datasetGroupArn = await activeGroup(client);
    const interactions = await datasetIn(client, datasetGroupArn, minimalSchemas.interactions, 'Interactions');
    const items = await datasetIn(client, datasetGroupArn, minimalSchemas.items, 'Items');
    const users = await datasetIn(client, datasetGroupArn, minimalSchemas.users, 'Users');
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
    await importRows(
      svc,
      client,
      bucket,
      users,
      'USER_ID,AGE',
      Array.from({ length: 200 }, (_, u) => `u${u},${ageOf(`u${u}`)}`),
    );
    versions.item = await trainedVersion(svc, client, await activeSolution(client, datasetGroupArn, 'aws-item-affinity'));
    versions.attribute = await trainedVersion(svc, client, await activeSolution(client, datasetGroupArn, 'aws-item-attribute-affinity'));
    versions.popularity = await trainedVersion(svc, client, await activeSolution(client, datasetGroupArn, 'aws-popularity-count'));
  });
  after(() => svc.close());

  const path = (key: string) => `s3://${bucket.name}/${key}`;
  const job = (
    input: Omit<CreateBatchSegmentJobCommandInput, 'jobName' | 'roleArn' | 'jobInput' | 'jobOutput'>,
    inKey: string,
    outKey: string,
  ) =>
    runSegmentJob(svc, client, {
      ...input,
      jobInput: { s3DataSource: { path: path(inKey) } },
      jobOutput: { s3DataDestination: { path: path(outKey) } },
    });
  const even = (users: string[]) => users.filter((u) => Number(u.slice(1)) % 2 === 0).length / users.length;

  it('Item-Affinity: an item’s segment is mostly its taste cluster, best first, in the observed usersList form', async () => {
    await bucket.put('items/q.json', jsonLines([{ itemId: 'a3' }, { itemId: 'b5' }, { itemId: 'no-such-item' }, { userId: 'u1' }]));
    const j = await job({ solutionVersionArn: versions.item, numResults: 20 }, 'items/q.json', 'items-out/');
    assert.equal(j.status, 'ACTIVE', j.failureReason);
    assert.equal(j.numResults, 20);
    const text = await outTextLines(bucket, 'items-out/q.json.out');
    for (const line of text.slice(0, 3)) assert.match(line, SEGMENT_LINE);
    assert.ok(text[0].startsWith('{"input": {"itemId": "a3"}, "output": {"usersList": ["'));
    const out = await outLines(bucket, 'items-out/q.json.out');
    const [a, b, unknown, wrong] = out.map((l) => l.output?.usersList);
    assert.equal(a!.length, 20);
    assert.equal(new Set(a).size, 20);
    assert.ok(even(a!) >= 0.7, `cluster A's item: ${a}`);
    assert.ok(even(b!) <= 0.3, `cluster B's item: ${b}`);
    assert.deepEqual(unknown, [], 'an item the model did not see has an empty segment');
    assert.equal(wrong, undefined);
    assert.match(out[3].error!, /itemId is required/);
    assert.match(text[3], /^\{"input": \{"userId": "u1"\}, "output": null, "error": "itemId is required/);
  });

  it('Item-Attribute-Affinity: a genre’s segment is mostly its cluster; AND of values; malformed queries get an error', async () => {
    const queries = [
      'ITEMS.GENRES = "Drama"',
      'items.genres = "Comedy"',
      'ITEMS.GENRES = "Comedy" AND ITEMS.GENRES = "Drama"',
      'ITEMS.GENRES != "Drama"',
    ];
    await bucket.put('attrs/q.json', jsonLines(queries.map((itemAttributes) => ({ itemAttributes }))));
    const j = await job({ solutionVersionArn: versions.attribute, numResults: 30 }, 'attrs/q.json', 'attrs-out/');
    assert.equal(j.status, 'ACTIVE', j.failureReason);
    const out = await outLines(bucket, 'attrs-out/q.json.out');
    assert.ok(even(out[0].output!.usersList!) >= 0.8, `drama: ${out[0].output!.usersList}`);
    assert.ok(even(out[1].output!.usersList!) <= 0.2, `comedy: ${out[1].output!.usersList}`);
    assert.deepEqual(out[2].output!.usersList, [], 'no item is both');
    assert.match(out[3].error!, /only = and AND are supported/);
    const text = await outTextLines(bucket, 'attrs-out/q.json.out');
    assert.ok(text[0].startsWith('{"input": {"itemAttributes": "ITEMS.GENRES = \\"Drama\\""}, "output": {"usersList": ["'));
  });

  it('a UserID filter with per-line filterValues drops users before the segment is cut to numResults', async () => {
    const filterArn = await activeFilter(client, datasetGroupArn, 'INCLUDE UserID WHERE Users.AGE >= $MIN');
    await bucket.put(
      'filtered/q.json',
      jsonLines([{ itemId: 'a3', filterValues: { MIN: '50' } }, { itemId: 'a3', filterValues: { MIN: '20' } }, { itemId: 'a3' }]),
    );
    const j = await job({ solutionVersionArn: versions.item, numResults: 15, filterArn }, 'filtered/q.json', 'filtered-out/');
    assert.equal(j.status, 'ACTIVE', j.failureReason);
    const out = await outLines(bucket, 'filtered-out/q.json.out');
    const older = out[0].output!.usersList!;
    assert.equal(older.length, 15);
    assert.ok(
      older.every((u) => ageOf(u) >= 50),
      `${older}`,
    );
    assert.ok(out[1].output!.usersList!.some((u) => ageOf(u) < 50));
    assert.match(out[2].error!, /needs a value for the parameter \$MIN/);
  });

  it('more queries than the recipe takes fail the job before any output (Item-Attribute-Affinity: 10)', async () => {
    await bucket.put('many/q.json', jsonLines(Array.from({ length: 11 }, () => ({ itemAttributes: 'ITEMS.GENRES = "Drama"' }))));
    const j = await job({ solutionVersionArn: versions.attribute }, 'many/q.json', 'many-out/');
    assert.equal(j.status, 'CREATE FAILED');
    assert.equal(
      j.failureReason,
      'The input data holds more than 10 queries, the most a batch segment job with the aws-item-attribute-affinity recipe takes.',
    );
    assert.deepEqual(await bucket.list('many-out/').catch(() => []), []);
  });

  it('Describe and List', async () => {
    const listed = await client.send(new ListBatchSegmentJobsCommand({ solutionVersionArn: versions.item }));
    assert.equal(listed.batchSegmentJobs!.length, 2);
    for (const s of listed.batchSegmentJobs!) {
      assert.equal(s.solutionVersionArn, versions.item);
      assert.equal(s.status, 'ACTIVE');
      assert.match(s.batchSegmentJobArn!, /^arn:aws:personalize:us-east-1:\d{12}:batch-segment-job\/bsj-/);
    }
    const page = await client.send(new ListBatchSegmentJobsCommand({ maxResults: 2 }));
    assert.equal(page.batchSegmentJobs!.length, 2);
    assert.ok(page.nextToken);
  });

  it('CreateBatchSegmentJob errors, and a USER_SEGMENTATION version refused by CreateBatchInferenceJob', async () => {
    await bucket.put('err/q.json', jsonLines([{ itemId: 'a1' }]));
    const base = {
      roleArn: ROLE_ARN,
      solutionVersionArn: versions.item,
      jobInput: { s3DataSource: { path: path('err/q.json') } },
      jobOutput: { s3DataDestination: { path: path('err-out/') } },
    };
    const create = (o: Partial<CreateBatchSegmentJobCommandInput>) =>
      client.send(new CreateBatchSegmentJobCommand({ ...base, jobName: uniqueName('bsj'), ...o }));
    const expect = async (o: Partial<CreateBatchSegmentJobCommandInput>, name: string, message: RegExp) => {
      const e = await errorOf(() => create(o));
      assert.equal(e.name, name, e.message);
      assert.match(e.message, message);
    };
    await expect({ solutionVersionArn: versions.popularity }, 'InvalidInputException', /needs a USER_SEGMENTATION version/);
    await expect(
      { solutionVersionArn: versions.item.replace(/\/[0-9a-f]{8}$/, '/00000000') },
      'ResourceNotFoundException',
      /solution version/,
    );
    await expect({ numResults: 5_000_001 }, 'InvalidInputException', /numResults is 5000001; it must be from 1 to 5,000,000/);
    const itemFilter = await activeFilter(client, datasetGroupArn, 'EXCLUDE ItemID WHERE Items.GENRES IN ("Drama")');
    await expect({ filterArn: itemFilter }, 'InvalidInputException', /a batch segment job needs a UserID filter/);
    const interactionsFilter = await activeFilter(client, datasetGroupArn, 'EXCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("purchase")');
    await expect(
      { solutionVersionArn: versions.attribute, filterArn: interactionsFilter },
      'InvalidInputException',
      /Interactions conditions/,
    );
    const ok = await create({ filterArn: interactionsFilter });
    await expect({ jobName: ok.batchSegmentJobArn!.split('/')[1] }, 'ResourceAlreadyExistsException', /already exists/);
    const inference = await errorOf(() =>
      client.send(new CreateBatchInferenceJobCommand({ ...base, jobName: uniqueName('bij'), solutionVersionArn: versions.item })),
    );
    assert.equal(inference.name, 'InvalidInputException');
    assert.match(inference.message, /use CreateBatchSegmentJob/);
    // 5 pending or in progress per region, in every quota mode; `ok` is one.
    for (let k = 0; k < 4; k++) await create({});
    await expect({}, 'LimitExceededException', /^More than 5 resources with PENDING or IN_PROGRESS status\.$/);
    await svc.runner.drain();
    const done = await outLines(bucket, 'err-out/q.json.out');
    assert.equal(done.length, 1);
  });
});
