// Filters through the AWS SDK (training-rules.md §8.1, §11): CreateFilter, DescribeFilter,
// ListFilters (its `Filters` key and paging), DeleteFilter, every error they declare, the timed
// states, tags, the quotas, and the datasets a filter keeps from being deleted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateFilterCommand,
  DeleteDatasetCommand,
  DeleteDatasetGroupCommand,
  DeleteFilterCommand,
  DescribeFilterCommand,
  ListFiltersCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { activeGroup, datasetIn, groupWithDatasets } from '../testkit/resources.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { errorOf, startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';

const schema = (name: string, fields: unknown[]) =>
  JSON.stringify({ type: 'record', name, namespace: 'com.amazonaws.personalize.schema', version: '1.0', fields });

/** Items with 21 filterable fields F1..F21 (for the fields quota), a numeric PRICE and a textual DESCRIPTION. */
const WIDE_ITEMS = schema('Items', [
  { name: 'ITEM_ID', type: 'string' },
  { name: 'PRICE', type: ['null', 'float'] },
  { name: 'DESCRIPTION', type: ['null', 'string'], textual: true },
  ...Array.from({ length: 21 }, (_, i) => ({ name: `F${i + 1}`, type: ['null', 'string'], categorical: true })),
]);

const inList = (fields: string[]) => `INCLUDE ItemID WHERE ${fields.map((f) => `Items.${f} IN ("x")`).join(' AND ')}`;
const fieldNames = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `F${from + i}`);

describe('filters', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  before(async () => {
    svc = await startTestService();
    client = svc.client();
  });
  after(() => svc.close());

  /** A group with an Interactions dataset and the wide Items dataset. */
  const filterableGroup = async () => groupWithDatasets(client, { Interactions: minimalSchemas.interactions, Items: WIDE_ITEMS });

  const describeFilter = async (filterArn: string) => (await client.send(new DescribeFilterCommand({ filterArn }))).filter!;

  it('creates a filter that becomes ACTIVE and shows what was given', async () => {
    const { datasetGroupArn } = await filterableGroup();
    const name = uniqueName('f');
    const filterExpression = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase") | INCLUDE ItemID WHERE Items.PRICE <= $PRICE';
    const { filterArn } = await client.send(new CreateFilterCommand({ name, datasetGroupArn, filterExpression }));
    assert.equal(filterArn, `arn:aws:personalize:us-east-1:000000000000:filter/${name}`);
    const first = await describeFilter(filterArn!);
    assert.ok(['CREATE PENDING', 'CREATE IN_PROGRESS', 'ACTIVE'].includes(first.status!), first.status);
    await waitFor(async () => (await describeFilter(filterArn!)).status === 'ACTIVE', 10_000, 'filter ACTIVE');
    const filter = await describeFilter(filterArn!);
    assert.equal(filter.name, name);
    assert.equal(filter.filterArn, filterArn);
    assert.equal(filter.datasetGroupArn, datasetGroupArn);
    assert.equal(filter.filterExpression, filterExpression);
    assert.equal(filter.failureReason, undefined);
    assert.ok(filter.creationDateTime instanceof Date);
    assert.ok(filter.lastUpdatedDateTime!.getTime() >= filter.creationDateTime!.getTime());
  });

  it('refuses a bad expression with InvalidInputException pointing at the problem', async () => {
    const { datasetGroupArn } = await filterableGroup();
    const bad: [string, string][] = [
      [
        'INCLUDE ItemID Items.PRICE < 5',
        "Could not create filter. Invalid Expression: expected WHERE after ItemID, found 'Items' (at position 16).",
      ],
      [
        'INCLUDE ItemID WHERE Items.COLOUR IN ("red")',
        "Could not create filter. Invalid Expression: Items.COLOUR: the Items dataset's schema has no field COLOUR (its fields: ITEM_ID, PRICE, DESCRIPTION, F1",
      ],
      ['INCLUDE ItemID WHERE Items.DESCRIPTION IN ("boot")', 'Items.DESCRIPTION is a textual field'],
      ['INCLUDE ItemID WHERE Items.PRICE < 5 IF CurrentUser.AGE > 18', 'the dataset group has no Users dataset'],
      ['EXCLUDE ItemID WHERE Interactions.TIMESTAMP > 5', 'conditions on Interactions can only use EVENT_TYPE'],
      ['INCLUDE ItemID WHERE Items.F1 NOT IN ($G)', 'not with NOT IN ($G)'],
      [inList(fieldNames(1, 11)), 'the filter uses 11 distinct dataset fields'],
    ];
    for (const [filterExpression, says] of bad) {
      const e = await errorOf(() => client.send(new CreateFilterCommand({ name: uniqueName('f'), datasetGroupArn, filterExpression })));
      assert.equal(e.name, 'InvalidInputException', filterExpression);
      assert.equal(e.$metadata?.httpStatusCode, 400);
      assert.ok(e.message.includes(says), `${e.message}\n  should say: ${says}`);
    }
    // The model's limit on the expression (1 to 2500 characters) is checked before the handler.
    const long = `INCLUDE ItemID WHERE Items.F1 IN (${Array.from({ length: 500 }, () => '"abc"').join(', ')})`;
    const tooLong = await errorOf(() =>
      client.send(new CreateFilterCommand({ name: uniqueName('f'), datasetGroupArn, filterExpression: long })),
    );
    assert.equal(tooLong.name, 'ValidationException');
    assert.ok(tooLong.message.includes('filterExpression') && tooLong.message.includes('2500'), tooLong.message);
    const { Filters } = await client.send(new ListFiltersCommand({ datasetGroupArn }));
    assert.deepEqual(Filters, [], 'a refused filter is not created');
  });

  it('refuses an unknown group, a taken name, and unknown filters', async () => {
    const { datasetGroupArn } = await filterableGroup();
    const missingGroup = datasetGroupArn.replace(/dataset-group\/.*/, 'dataset-group/no-such-group');
    const filterExpression = 'INCLUDE ItemID WHERE Items.F1 IN ("a")';
    const notFound = await errorOf(() =>
      client.send(new CreateFilterCommand({ name: uniqueName('f'), datasetGroupArn: missingGroup, filterExpression })),
    );
    assert.equal(notFound.name, 'ResourceNotFoundException');

    const name = uniqueName('f');
    await client.send(new CreateFilterCommand({ name, datasetGroupArn, filterExpression }));
    // Names are unique in the account, not only in the group.
    const other = (await filterableGroup()).datasetGroupArn;
    const taken = await errorOf(() => client.send(new CreateFilterCommand({ name, datasetGroupArn: other, filterExpression })));
    assert.equal(taken.name, 'ResourceAlreadyExistsException');

    const unknown = `arn:aws:personalize:us-east-1:000000000000:filter/${uniqueName('none')}`;
    assert.equal((await errorOf(() => client.send(new DescribeFilterCommand({ filterArn: unknown })))).name, 'ResourceNotFoundException');
    assert.equal((await errorOf(() => client.send(new DeleteFilterCommand({ filterArn: unknown })))).name, 'ResourceNotFoundException');
    // Another account's filter is indistinguishable from a missing one.
    const { filterArn } = await client.send(new CreateFilterCommand({ name: uniqueName('f'), datasetGroupArn, filterExpression }));
    const foreign = svc.client({ accessKeyId: '111122223333' });
    assert.equal((await errorOf(() => foreign.send(new DescribeFilterCommand({ filterArn })))).name, 'ResourceNotFoundException');
  });

  it('lists filters under Filters, by group or all, newest first, page by page', async () => {
    const { datasetGroupArn } = await filterableGroup();
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { filterArn } = await client.send(
        new CreateFilterCommand({
          name: uniqueName('f'),
          datasetGroupArn,
          filterExpression: `INCLUDE ItemID WHERE Items.F${i + 1} IN ("a")`,
        }),
      );
      arns.push(filterArn!);
    }
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new ListFiltersCommand({ datasetGroupArn, maxResults: 2, nextToken }));
      assert.ok(page.Filters!.length <= 2);
      for (const f of page.Filters!) {
        assert.equal(f.datasetGroupArn, datasetGroupArn);
        assert.ok(f.name && f.status && f.creationDateTime instanceof Date);
        assert.equal((f as { filterExpression?: string }).filterExpression, undefined, 'a summary has no expression');
      }
      seen.push(...page.Filters!.map((f) => f.filterArn!));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...arns].reverse());

    const everything = (await client.send(new ListFiltersCommand({}))).Filters!.map((f) => f.filterArn);
    for (const arn of arns) assert.ok(everything.includes(arn));
    const missingGroup = datasetGroupArn.replace(/dataset-group\/.*/, 'dataset-group/no-such-group');
    assert.deepEqual((await client.send(new ListFiltersCommand({ datasetGroupArn: missingGroup }))).Filters, []);
    const bad = await errorOf(() => client.send(new ListFiltersCommand({ datasetGroupArn, nextToken: 'garbage' })));
    assert.equal(bad.name, 'InvalidNextTokenException');

    await client.send(new DeleteFilterCommand({ filterArn: arns[0] }));
    assert.equal((await errorOf(() => describeFilter(arns[0]))).name, 'ResourceNotFoundException');
    assert.equal((await client.send(new ListFiltersCommand({ datasetGroupArn }))).Filters!.length, 4);
  });

  it('keeps tags given at creation and takes Tag/UntagResource', async () => {
    const { datasetGroupArn } = await filterableGroup();
    const { filterArn } = await client.send(
      new CreateFilterCommand({
        name: uniqueName('f'),
        datasetGroupArn,
        filterExpression: 'INCLUDE ItemID WHERE Items.F1 IN ("a")',
        tags: [{ tagKey: 'team', tagValue: 'recs' }],
      }),
    );
    await client.send(new TagResourceCommand({ resourceArn: filterArn, tags: [{ tagKey: 'env', tagValue: 'test' }] }));
    await client.send(new UntagResourceCommand({ resourceArn: filterArn, tagKeys: ['team'] }));
    const { tags } = await client.send(new ListTagsForResourceCommand({ resourceArn: filterArn }));
    assert.deepEqual(tags, [{ tagKey: 'env', tagValue: 'test' }]);
    const tooMany = Array.from({ length: 51 }, (_, i) => ({ tagKey: `k${i}`, tagValue: 'v' }));
    const e = await errorOf(() =>
      client.send(
        new CreateFilterCommand({
          name: uniqueName('f'),
          datasetGroupArn,
          filterExpression: 'INCLUDE ItemID WHERE Items.F1 IN ("a")',
          tags: tooMany,
        }),
      ),
    );
    assert.equal(e.name, 'TooManyTagsException');
  });

  it('allows at most 20 distinct dataset fields across the filters of a group', async () => {
    const { datasetGroupArn } = await filterableGroup();
    const create = (filterExpression: string) =>
      client.send(new CreateFilterCommand({ name: uniqueName('f'), datasetGroupArn, filterExpression }));
    await create(inList(fieldNames(1, 10)));
    await create(inList(fieldNames(11, 20)));
    await create(inList(['F1', 'F20'])); // fields already counted
    const e = await errorOf(() => create(inList(['F1', 'F21'])));
    assert.equal(e.name, 'LimitExceededException');
    assert.ok(e.message.includes('at most 20 distinct dataset fields') && e.message.includes('Items.F21'), e.message);
    // Another group has its own count.
    const other = (await filterableGroup()).datasetGroupArn;
    await client.send(new CreateFilterCommand({ name: uniqueName('f'), datasetGroupArn: other, filterExpression: inList(['F21']) }));
  });

  it("keeps its group's datasets (and so the group) from being deleted until it is deleted", async () => {
    const datasetGroupArn = await activeGroup(client);
    const itemsArn = await datasetIn(client, datasetGroupArn, WIDE_ITEMS, 'Items');
    const interactionsArn = await datasetIn(client, datasetGroupArn, minimalSchemas.interactions, 'Interactions');
    const { filterArn } = await client.send(
      new CreateFilterCommand({ name: uniqueName('f'), datasetGroupArn, filterExpression: 'INCLUDE ItemID WHERE Items.F1 IN ("a")' }),
    );
    for (const datasetArn of [itemsArn, interactionsArn]) {
      const e = await errorOf(() => client.send(new DeleteDatasetCommand({ datasetArn })));
      assert.equal(e.name, 'ResourceInUseException');
      assert.ok(e.message.includes(filterArn!), e.message);
    }
    assert.equal((await errorOf(() => client.send(new DeleteDatasetGroupCommand({ datasetGroupArn })))).name, 'ResourceInUseException');
    await client.send(new DeleteFilterCommand({ filterArn }));
    await client.send(new DeleteDatasetCommand({ datasetArn: itemsArn }));
    await client.send(new DeleteDatasetCommand({ datasetArn: interactionsArn }));
    await client.send(new DeleteDatasetGroupCommand({ datasetGroupArn }));
  });
});

describe('filters with OPENPERSONALIZE_QUOTAS=aws', () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({ OPENPERSONALIZE_QUOTAS: 'aws' });
  });
  after(() => svc.close());

  it('allows 30 filters per dataset group', async () => {
    const client = svc.client();
    const { datasetGroupArn } = await groupWithDatasets(client, { Items: minimalSchemas.items });
    const create = () =>
      client.send(
        new CreateFilterCommand({ name: uniqueName('f'), datasetGroupArn, filterExpression: 'EXCLUDE ItemID WHERE Items.GENRES IN ("x")' }),
      );
    const arns: string[] = [];
    for (let i = 0; i < 30; i++) arns.push((await create()).filterArn!);
    const e = await errorOf(create);
    assert.equal(e.name, 'LimitExceededException');
    assert.equal(e.message, 'Cannot create a filter. More than 30 resources in ACTIVE state. Please delete some and try again.');
    await client.send(new DeleteFilterCommand({ filterArn: arns[0] }));
    await create();
  });
});
