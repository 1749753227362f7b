// Tags and pagination through the AWS SDK for JavaScript.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateDatasetGroupCommand,
  CreateSchemaCommand,
  ListDatasetGroupsCommand,
  ListSchemasCommand,
  ListTagsForResourceCommand,
  paginateListSchemas,
  PersonalizeClient,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-personalize';
import { errorOf, startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';
import { minimalSchemas } from '../testkit/schemas.ts';

describe('tags', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  before(async () => {
    svc = await startTestService();
    client = svc.client();
  });
  after(() => svc.close());

  it('tags on create, TagResource, UntagResource, ListTagsForResource', async () => {
    const { datasetGroupArn } = await client.send(
      new CreateDatasetGroupCommand({ name: uniqueName('g'), tags: [{ tagKey: 'team', tagValue: 'recs' }] }),
    );
    const list = async () => (await client.send(new ListTagsForResourceCommand({ resourceArn: datasetGroupArn }))).tags;
    assert.deepEqual(await list(), [{ tagKey: 'team', tagValue: 'recs' }]);
    await client.send(
      new TagResourceCommand({
        resourceArn: datasetGroupArn,
        tags: [
          { tagKey: 'env', tagValue: 'dev' },
          { tagKey: 'team', tagValue: 'ml' },
        ],
      }),
    );
    assert.deepEqual(await list(), [
      { tagKey: 'team', tagValue: 'ml' },
      { tagKey: 'env', tagValue: 'dev' },
    ]);
    await client.send(new UntagResourceCommand({ resourceArn: datasetGroupArn, tagKeys: ['team'] }));
    assert.deepEqual(await list(), [{ tagKey: 'env', tagValue: 'dev' }]);
  });

  it('holds at most 50 tags per resource (TooManyTagsException)', async () => {
    const tags = Array.from({ length: 50 }, (_, i) => ({ tagKey: `k${i}`, tagValue: `v${i}` }));
    const { datasetGroupArn } = await client.send(new CreateDatasetGroupCommand({ name: uniqueName('g'), tags }));
    const e = await errorOf(() =>
      client.send(new TagResourceCommand({ resourceArn: datasetGroupArn, tags: [{ tagKey: 'one-more', tagValue: 'x' }] })),
    );
    assert.equal(e.name, 'TooManyTagsException');
    assert.equal((await client.send(new ListTagsForResourceCommand({ resourceArn: datasetGroupArn }))).tags?.length, 50);
    const created = await errorOf(() =>
      client.send(new CreateDatasetGroupCommand({ name: uniqueName('g'), tags: [...tags, { tagKey: 'x', tagValue: 'y' }] })),
    );
    assert.equal(created.name, 'TooManyTagsException');
    const keys = await errorOf(() =>
      client.send(new UntagResourceCommand({ resourceArn: datasetGroupArn, tagKeys: Array.from({ length: 51 }, (_, i) => `k${i}`) })),
    );
    assert.equal(keys.name, 'TooManyTagKeysException');
  });

  it('reserves the aws: prefix and checks the model pattern', async () => {
    const { datasetGroupArn } = await client.send(new CreateDatasetGroupCommand({ name: uniqueName('g') }));
    const reserved = await errorOf(() =>
      client.send(new TagResourceCommand({ resourceArn: datasetGroupArn, tags: [{ tagKey: 'aws:x', tagValue: 'y' }] })),
    );
    assert.equal(reserved.name, 'InvalidInputException');
    const pattern = await errorOf(() =>
      client.send(new TagResourceCommand({ resourceArn: datasetGroupArn, tags: [{ tagKey: 'bad{key}', tagValue: 'y' }] })),
    );
    assert.equal(pattern.name, 'ValidationException');
    assert.match(pattern.message, /at 'tags.1.member.tagKey' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  });

  it('refuses tags on a missing resource and on schemas', async () => {
    const missing = await errorOf(() =>
      client.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:personalize:us-east-1:000000000000:dataset-group/none' })),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
    const { schemaArn } = await client.send(new CreateSchemaCommand({ name: uniqueName('s'), schema: minimalSchemas.items }));
    const schemaTag = await errorOf(() =>
      client.send(new TagResourceCommand({ resourceArn: schemaArn, tags: [{ tagKey: 'a', tagValue: 'b' }] })),
    );
    assert.equal(schemaTag.name, 'InvalidInputException');
  });
});

describe('pagination', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  const created: string[] = [];
  before(async () => {
    svc = await startTestService();
    client = svc.client();
    for (let i = 0; i < 23; i++)
      created.push((await client.send(new CreateSchemaCommand({ name: uniqueName('p'), schema: minimalSchemas.items }))).schemaArn!);
  });
  after(() => svc.close());

  it('visits every schema exactly once, newest first, with the SDK paginator', async () => {
    const seen: string[] = [];
    for await (const page of paginateListSchemas({ client, pageSize: 5 }, {})) {
      assert.ok(page.schemas!.length <= 5);
      seen.push(...page.schemas!.map((s) => s.schemaArn!));
    }
    assert.deepEqual(seen, [...created].reverse());
  });

  it('defaults to pages of 100 and refuses maxResults out of the model range', async () => {
    const all = await client.send(new ListSchemasCommand({}));
    assert.equal(all.schemas?.length, 23);
    assert.equal(all.nextToken, undefined);
    const e = await errorOf(() => client.send(new ListSchemasCommand({ maxResults: 101 })));
    assert.equal(e.name, 'ValidationException');
    assert.match(e.message, /Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100/);
  });

  it('refuses forged, altered and foreign tokens with InvalidNextTokenException', async () => {
    const { nextToken } = await client.send(new ListSchemasCommand({ maxResults: 2 }));
    assert.ok(nextToken);
    for (const bad of ['garbage', `${nextToken}x`, nextToken.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))]) {
      const e = await errorOf(() => client.send(new ListSchemasCommand({ nextToken: bad })));
      assert.equal(e.name, 'InvalidNextTokenException', `token ${bad}`);
    }
    // A token of one listing is not valid for another, nor for another account.
    const other = await errorOf(() => client.send(new ListDatasetGroupsCommand({ nextToken })));
    assert.equal(other.name, 'InvalidNextTokenException');
    const foreign = await errorOf(() => svc.client({ accessKeyId: '111122223333' }).send(new ListSchemasCommand({ nextToken })));
    assert.equal(foreign.name, 'InvalidNextTokenException');
  });
});
