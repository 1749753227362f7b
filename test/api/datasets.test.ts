// Dataset groups and datasets through the AWS SDK for JavaScript.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateSchemaCommand,
  DeleteDatasetCommand,
  DeleteDatasetGroupCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  ListDatasetGroupsCommand,
  ListDatasetsCommand,
  PersonalizeClient,
  UpdateDatasetCommand,
} from '@aws-sdk/client-personalize';
import { errorOf, startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { activeGroup, datasetIn } from '../testkit/resources.ts';
import { testClock } from '../testkit/test-clock.ts';
import { deletionArnOf, purgeDeletions } from '../../src/resources/dataset-groups/dataset-group-deletion-record.ts';

/** The harness's Interactions schema with a nullable EVENT_VALUE added: a replacement the field rules would allow. */
const interactionsPlusValue = JSON.stringify({
  type: 'record',
  name: 'Interactions',
  namespace: 'com.amazonaws.personalize.schema',
  version: '1.0',
  fields: [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
    { name: 'EVENT_VALUE', type: ['null', 'float'] },
  ],
});

describe('dataset groups and datasets', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  // A second service whose provisioning takes long enough to observe the intermediate states.
  // Its clock moves only when a test advances it: the intermediate states are seen, never slept through.
  const clock = testClock();
  let slowSvc: TestService;
  let slow: PersonalizeClient;
  const schemaArns: Record<string, string> = {};

  before(async () => {
    svc = await startTestService();
    client = svc.client();
    slowSvc = await startTestService({ OPENPERSONALIZE_PROVISIONING_MS: '1500' }, { now: clock.now });
    slow = slowSvc.client();
    for (const [k, schema] of Object.entries(minimalSchemas)) {
      schemaArns[k] = (await client.send(new CreateSchemaCommand({ name: uniqueName(k), schema }))).schemaArn!;
    }
  });
  after(async () => {
    await svc.close();
    await slowSvc.close();
  });

  it('takes a dataset group from CREATE PENDING to ACTIVE', async () => {
    const name = uniqueName('grp');
    const created = await slow.send(new CreateDatasetGroupCommand({ name }));
    assert.equal(created.datasetGroupArn, `arn:aws:personalize:us-east-1:000000000000:dataset-group/${name}`);
    const first = await slow.send(new DescribeDatasetGroupCommand({ datasetGroupArn: created.datasetGroupArn }));
    assert.equal(first.datasetGroup?.status, 'CREATE PENDING');
    const status = async () =>
      (await slow.send(new DescribeDatasetGroupCommand({ datasetGroupArn: created.datasetGroupArn }))).datasetGroup!.status;
    clock.advance(749);
    assert.equal(await status(), 'CREATE PENDING');
    clock.advance(1);
    assert.equal(await status(), 'CREATE IN_PROGRESS');
    clock.advance(750);
    assert.equal(await status(), 'ACTIVE');
    const g = (await slow.send(new DescribeDatasetGroupCommand({ datasetGroupArn: created.datasetGroupArn }))).datasetGroup!;
    assert.equal(g.name, name);
    assert.ok(g.lastUpdatedDateTime!.getTime() > g.creationDateTime!.getTime(), 'lastUpdatedDateTime moves with the status');
    const list = await slow.send(new ListDatasetGroupsCommand({}));
    assert.ok(list.datasetGroups?.some((s) => s.datasetGroupArn === created.datasetGroupArn && s.status === 'ACTIVE'));
  });

  it('applies the roleArn / kmsKeyArn rule', async () => {
    const e = await errorOf(() =>
      client.send(new CreateDatasetGroupCommand({ name: uniqueName('g'), roleArn: 'arn:aws:iam::123456789012:role/r' })),
    );
    assert.equal(e.name, 'InvalidInputException');
    assert.match(e.message, /kmsKeyArn/);
    const ok = await client.send(
      new CreateDatasetGroupCommand({
        name: uniqueName('g'),
        roleArn: 'arn:aws:iam::123456789012:role/r',
        kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/abc',
      }),
    );
    const g = (await client.send(new DescribeDatasetGroupCommand({ datasetGroupArn: ok.datasetGroupArn }))).datasetGroup!;
    assert.equal(g.roleArn, 'arn:aws:iam::123456789012:role/r');
    assert.equal(g.kmsKeyArn, 'arn:aws:kms:us-east-1:123456789012:key/abc');
  });

  it('refuses a dataset while the group is not ACTIVE', async () => {
    const { schemaArn } = await slow.send(new CreateSchemaCommand({ name: uniqueName('s'), schema: minimalSchemas.interactions }));
    const { datasetGroupArn } = await slow.send(new CreateDatasetGroupCommand({ name: uniqueName('slow') }));
    const e = await errorOf(() =>
      slow.send(new CreateDatasetCommand({ name: uniqueName('d'), datasetGroupArn, schemaArn, datasetType: 'Interactions' })),
    );
    assert.equal(e.name, 'ResourceInUseException');
    // Provisioning takes 1.5 s on this service's clock, which has not moved.
    assert.equal(e.message, `Dataset group ${datasetGroupArn} is in state CREATE PENDING; datasets can be added once it is ACTIVE.`);
  });

  it('creates a dataset with a case-insensitive type, one per type per group', async () => {
    const datasetGroupArn = await activeGroup(client);
    const name = uniqueName('ds');
    const { datasetArn } = await client.send(
      new CreateDatasetCommand({ name, datasetGroupArn, schemaArn: schemaArns.interactions, datasetType: 'interactions' }),
    );
    const groupName = datasetGroupArn.split('/')[1];
    assert.equal(datasetArn, `arn:aws:personalize:us-east-1:000000000000:dataset/${groupName}/INTERACTIONS`);
    await waitFor(async () => (await client.send(new DescribeDatasetCommand({ datasetArn }))).dataset?.status === 'ACTIVE');
    const { dataset } = await client.send(new DescribeDatasetCommand({ datasetArn }));
    assert.equal(dataset?.datasetType, 'INTERACTIONS');
    assert.equal(dataset?.name, name);
    assert.equal(dataset?.datasetGroupArn, datasetGroupArn);
    assert.equal(dataset?.schemaArn, schemaArns.interactions);
    const again = await errorOf(() =>
      client.send(
        new CreateDatasetCommand({
          name: uniqueName('ds'),
          datasetGroupArn,
          schemaArn: schemaArns.interactions,
          datasetType: 'INTERACTIONS',
        }),
      ),
    );
    assert.equal(again.name, 'ResourceAlreadyExistsException');
    const listed = await client.send(new ListDatasetsCommand({ datasetGroupArn }));
    assert.deepEqual(
      listed.datasets?.map((d) => d.datasetArn),
      [datasetArn],
    );
    const inUse = await errorOf(() => client.send(new DeleteDatasetGroupCommand({ datasetGroupArn })));
    assert.equal(inUse.name, 'ResourceInUseException');
    await client.send(new DeleteDatasetCommand({ datasetArn }));
    await client.send(new DeleteDatasetGroupCommand({ datasetGroupArn }));
    // DELETE PENDING for the provisioning time (60 ms here), then gone.
    await waitFor(() =>
      client.send(new DescribeDatasetGroupCommand({ datasetGroupArn })).then(
        () => false,
        (e: Error) => e.name === 'ResourceNotFoundException',
      ),
    );
  });

  it('a deleted group is DELETE PENDING for the provisioning time, then not found; for everything else it is gone at once', async () => {
    const name = uniqueName('gone');
    const { datasetGroupArn } = await slow.send(new CreateDatasetGroupCommand({ name }));
    clock.advance(1500);
    const active = (await slow.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup!;
    assert.equal(active.status, 'ACTIVE');
    clock.advance(1000);
    await slow.send(new DeleteDatasetGroupCommand({ datasetGroupArn }));
    const pending = (await slow.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup!;
    assert.deepEqual(
      { ...pending, lastUpdatedDateTime: undefined },
      { ...active, status: 'DELETE PENDING', lastUpdatedDateTime: undefined },
    );
    assert.equal(pending.lastUpdatedDateTime!.getTime(), clock.now(), 'when it was deleted');
    // Listed DELETE PENDING in its place by creation time, once across pages; not usable, not deletable again.
    const listed = await slow.send(new ListDatasetGroupsCommand({}));
    assert.deepEqual(
      listed.datasetGroups!.filter((g) => g.datasetGroupArn === datasetGroupArn).map((g) => [g.status, g.creationDateTime]),
      [['DELETE PENDING', active.creationDateTime]],
    );
    const paged: string[] = [];
    for (let nextToken: string | undefined, page = 0; page === 0 || nextToken; page++) {
      const r = await slow.send(new ListDatasetGroupsCommand({ maxResults: 1, nextToken }));
      paged.push(...r.datasetGroups!.map((g) => g.datasetGroupArn!));
      nextToken = r.nextToken;
    }
    assert.deepEqual(
      paged,
      listed.datasetGroups!.map((g) => g.datasetGroupArn),
    );
    const add = await errorOf(() =>
      slow.send(
        new CreateDatasetCommand({
          name: uniqueName('d'),
          datasetGroupArn,
          schemaArn: schemaArns.interactions,
          datasetType: 'Interactions',
        }),
      ),
    );
    assert.equal(add.name, 'ResourceNotFoundException');
    assert.equal((await errorOf(() => slow.send(new DeleteDatasetGroupCommand({ datasetGroupArn })))).name, 'ResourceNotFoundException');
    // Another account does not see it.
    const other = slowSvc.client({ accessKeyId: '123456789012' });
    assert.equal((await errorOf(() => other.send(new DescribeDatasetGroupCommand({ datasetGroupArn })))).name, 'ResourceNotFoundException');
    // The provisioning time later: not found, and the purge removes the record.
    clock.advance(1499);
    assert.equal((await slow.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup!.status, 'DELETE PENDING');
    clock.advance(1);
    assert.equal((await errorOf(() => slow.send(new DescribeDatasetGroupCommand({ datasetGroupArn })))).name, 'ResourceNotFoundException');
    assert.ok(!(await slow.send(new ListDatasetGroupsCommand({}))).datasetGroups!.some((g) => g.datasetGroupArn === datasetGroupArn));
    assert.ok((await purgeDeletions(slowSvc.catalog, clock.now())) >= 1);
    assert.equal(await slowSvc.catalog.get(deletionArnOf(datasetGroupArn!)), undefined);
    // The name is free at once: a new group of the same name is listed instead of the deleted one;
    // deleted again, it replaces the record.
    await slow.send(new CreateDatasetGroupCommand({ name }));
    const again = (await slow.send(new ListDatasetGroupsCommand({}))).datasetGroups!.filter((g) => g.datasetGroupArn === datasetGroupArn);
    assert.deepEqual(
      again.map((g) => g.status),
      ['CREATE PENDING'],
    );
    clock.advance(1500);
    await slow.send(new DeleteDatasetGroupCommand({ datasetGroupArn }));
    assert.equal((await slow.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup!.status, 'DELETE PENDING');
  });

  it('refuses a type that does not match the schema, an unknown type and a domain mismatch', async () => {
    const datasetGroupArn = await activeGroup(client);
    const mismatch = await errorOf(() =>
      client.send(new CreateDatasetCommand({ name: uniqueName('d'), datasetGroupArn, schemaArn: schemaArns.items, datasetType: 'Users' })),
    );
    assert.equal(mismatch.name, 'InvalidInputException');
    assert.match(mismatch.message, /USERS/);
    const unknown = await errorOf(() =>
      client.send(
        new CreateDatasetCommand({ name: uniqueName('d'), datasetGroupArn, schemaArn: schemaArns.items, datasetType: 'Products' }),
      ),
    );
    assert.equal(unknown.name, 'InvalidInputException');
    const domainGroup = await activeGroup(client, { domain: 'ECOMMERCE' });
    const domain = await errorOf(() =>
      client.send(
        new CreateDatasetCommand({
          name: uniqueName('d'),
          datasetGroupArn: domainGroup,
          schemaArn: schemaArns.users,
          datasetType: 'Users',
        }),
      ),
    );
    assert.equal(domain.name, 'InvalidInputException');
    assert.match(domain.message, /domain/);
    const missing = await errorOf(() =>
      client.send(
        new CreateDatasetCommand({ name: uniqueName('d'), datasetGroupArn, schemaArn: `${schemaArns.items}-nope`, datasetType: 'Items' }),
      ),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
  });

  it('replaces an Items schema by one with an added nullable field (UpdateDataset)', async () => {
    const datasetGroupArn = await activeGroup(client);
    const { datasetArn } = await client.send(
      new CreateDatasetCommand({ name: uniqueName('items'), datasetGroupArn, schemaArn: schemaArns.items, datasetType: 'Items' }),
    );
    await waitFor(async () => (await client.send(new DescribeDatasetCommand({ datasetArn }))).dataset?.status === 'ACTIVE');
    await client.send(new UpdateDatasetCommand({ datasetArn, schemaArn: schemaArns.itemsPlusPrice }));
    const during = (await client.send(new DescribeDatasetCommand({ datasetArn }))).dataset!;
    assert.match(during.status!, /^UPDATE (PENDING|IN_PROGRESS)$/);
    assert.equal(during.latestDatasetUpdate?.schemaArn, schemaArns.itemsPlusPrice);
    await waitFor(async () => (await client.send(new DescribeDatasetCommand({ datasetArn }))).dataset?.status === 'ACTIVE');
    const done = (await client.send(new DescribeDatasetCommand({ datasetArn }))).dataset!;
    assert.equal(done.schemaArn, schemaArns.itemsPlusPrice);
    assert.equal(done.latestDatasetUpdate?.status, 'ACTIVE');
    // Going back would remove PRICE: refused.
    const back = await errorOf(() => client.send(new UpdateDatasetCommand({ datasetArn, schemaArn: schemaArns.items })));
    assert.equal(back.name, 'InvalidInputException');
    assert.match(back.message, /PRICE/);
  });

  describe('UpdateDataset on a type that cannot get a new schema', () => {
    const onlyItemsAndUsers =
      'Invalid schema update: only Items and Users datasets can get a new schema; this dataset is of type Interactions.';

    /** A new ACTIVE Interactions dataset (the harness's schema), and a check that a refused update left it as it was. */
    async function interactionsDataset(): Promise<{ datasetArn: string; unchanged(): Promise<void> }> {
      const datasetArn = await datasetIn(client, await activeGroup(client), minimalSchemas.interactions, 'Interactions');
      const was = (await client.send(new DescribeDatasetCommand({ datasetArn }))).dataset!;
      return {
        datasetArn,
        async unchanged() {
          const now = (await client.send(new DescribeDatasetCommand({ datasetArn }))).dataset!;
          assert.deepEqual([now.status, now.schemaArn, now.latestDatasetUpdate], ['ACTIVE', was.schemaArn, undefined]);
        },
      };
    }

    it('refuses a different, valid schema for an Interactions dataset: only Items and Users can be updated', async () => {
      const d = await interactionsDataset();
      // The new schema only adds a nullable field, which Items and Users may do: the type is the only reason.
      const { schemaArn } = await client.send(new CreateSchemaCommand({ name: uniqueName('plus'), schema: interactionsPlusValue }));
      const e = await errorOf(() => client.send(new UpdateDatasetCommand({ datasetArn: d.datasetArn, schemaArn })));
      assert.equal(e.name, 'InvalidInputException');
      assert.equal(e.message, onlyItemsAndUsers);
      assert.equal(e.$metadata?.httpStatusCode, 400);
      await d.unchanged();
    });

    it("refuses the dataset's own schema with the same message: the type is checked first", async () => {
      const d = await interactionsDataset();
      const { schemaArn } = (await client.send(new DescribeDatasetCommand({ datasetArn: d.datasetArn }))).dataset!;
      const e = await errorOf(() => client.send(new UpdateDatasetCommand({ datasetArn: d.datasetArn, schemaArn })));
      assert.equal(e.name, 'InvalidInputException');
      assert.equal(e.message, onlyItemsAndUsers);
      await d.unchanged();
    });
  });
});
