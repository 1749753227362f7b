// Event trackers (control plane) and the personalize-events operations through the AWS SDKs:
// each operation, its errors with the model's status codes, and what ends up stored.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateEventTrackerCommand,
  DeleteDatasetGroupCommand,
  DeleteEventTrackerCommand,
  DescribeDatasetCommand,
  DescribeEventTrackerCommand,
  ListEventTrackersCommand,
  ListTagsForResourceCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import {
  PutActionInteractionsCommand,
  PutActionsCommand,
  PutEventsCommand,
  PutItemsCommand,
  PutUsersCommand,
  type PersonalizeEventsClient,
} from '@aws-sdk/client-personalize-events';
import { sqlAccessOf } from '../../src/catalog/sql/sql-catalog.ts';
import { SqlRecordStore } from '../../src/data/records/sql-record-store.ts';
import { errorOf, startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';
import { activeDataset } from '../testkit/resources.ts';
import { activeTracker, eventsClient } from '../testkit/events-fixtures.ts';
import { typedFieldSchemas } from '../testkit/schemas.ts';
import { testClock } from '../testkit/test-clock.ts';

describe('event trackers and the personalize-events API', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let events: PersonalizeEventsClient;
  let stored: (datasetArn: string) => Promise<Record<string, string | null>[]>;
  before(async () => {
    svc = await startTestService();
    client = svc.client();
    events = eventsClient(svc);
    const store = new SqlRecordStore(sqlAccessOf(svc.catalog));
    stored = async (arn) => (await store.scan(arn)).map((r) => r.cells);
  });
  after(() => svc.close());

  it('creates, describes, lists, tags and deletes an event tracker; one per group; the group waits for it', async () => {
    const { datasetGroupArn } = await activeDataset(client, typedFieldSchemas.interactions, 'Interactions');
    const name = uniqueName('tracker');
    const created = await client.send(
      new CreateEventTrackerCommand({ name, datasetGroupArn, tags: [{ tagKey: 'team', tagValue: 'recs' }] }),
    );
    assert.match(created.eventTrackerArn!, /^arn:aws:personalize:us-east-1:000000000000:event-tracker\/[0-9a-f]{8}$/);
    assert.match(created.trackingId!, /^[0-9a-f-]{36}$/);
    const first = (await client.send(new DescribeEventTrackerCommand({ eventTrackerArn: created.eventTrackerArn }))).eventTracker!;
    assert.deepEqual(
      [first.name, first.trackingId, first.datasetGroupArn, first.accountId],
      [name, created.trackingId, datasetGroupArn, '000000000000'],
    );
    assert.ok(['CREATE PENDING', 'CREATE IN_PROGRESS', 'ACTIVE'].includes(first.status!));
    assert.deepEqual((await client.send(new ListTagsForResourceCommand({ resourceArn: created.eventTrackerArn }))).tags, [
      { tagKey: 'team', tagValue: 'recs' },
    ]);
    const second = await errorOf(() => client.send(new CreateEventTrackerCommand({ name: uniqueName('tracker'), datasetGroupArn })));
    assert.equal(second.name, 'ResourceAlreadyExistsException');
    const listed = await client.send(new ListEventTrackersCommand({ datasetGroupArn }));
    assert.deepEqual(
      listed.eventTrackers?.map((t) => [t.name, t.eventTrackerArn]),
      [[name, created.eventTrackerArn]],
    );
    assert.equal((await errorOf(() => client.send(new DeleteDatasetGroupCommand({ datasetGroupArn })))).name, 'ResourceInUseException');
    await client.send(new DeleteEventTrackerCommand({ eventTrackerArn: created.eventTrackerArn }));
    assert.equal(
      (await errorOf(() => client.send(new DescribeEventTrackerCommand({ eventTrackerArn: created.eventTrackerArn })))).name,
      'ResourceNotFoundException',
    );
    assert.deepEqual((await client.send(new ListEventTrackersCommand({ datasetGroupArn }))).eventTrackers, []);
    const missing = await errorOf(() =>
      client.send(new CreateEventTrackerCommand({ name: uniqueName('t'), datasetGroupArn: `${datasetGroupArn}-nope` })),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
    const badName = await errorOf(() => client.send(new CreateEventTrackerCommand({ name: 'bad name!', datasetGroupArn })));
    assert.equal(badName.name, 'ValidationException');
  });

  it('PutEvents: an event without impression or recommendationId fills a non-nullable IMPRESSION / RECOMMENDATION_ID with an empty cell; other columns keep their nullability', async () => {
    // As AWS's exploration notebook does: clicks without an impression, IMPRESSION a plain "string".
    const schema = JSON.stringify({
      type: 'record',
      name: 'Interactions',
      namespace: 'com.amazonaws.personalize.schema',
      fields: [
        { name: 'EVENT_TYPE', type: 'string' },
        { name: 'IMPRESSION', type: 'string' },
        { name: 'RECOMMENDATION_ID', type: 'string' },
        { name: 'ITEM_ID', type: 'string' },
        { name: 'TIMESTAMP', type: 'long' },
        { name: 'USER_ID', type: 'string' },
        { name: 'DEVICE', type: 'string' },
      ],
      version: '1.0',
    });
    const { datasetArn, datasetGroupArn } = await activeDataset(client, schema, 'Interactions');
    const { trackingId } = await activeTracker(client, datasetGroupArn);
    const click = (itemId: string, extra: object = {}) => ({ eventType: 'click', itemId, sentAt: new Date(1_700_000_000_000), ...extra });
    await events.send(
      new PutEventsCommand({
        trackingId,
        userId: 'u1',
        sessionId: 's1',
        eventList: [
          click('240', { properties: JSON.stringify({ device: 'tv' }) }),
          click('241', { properties: JSON.stringify({ device: 'tv' }), impression: ['241', '7'], recommendationId: 'RID-1' }),
        ],
      }),
    );
    assert.deepEqual((await stored(datasetArn)).map((c) => [c.ITEM_ID, c.IMPRESSION ?? null, c.RECOMMENDATION_ID ?? null]).sort(), [
      ['240', null, null],
      ['241', '241|7', 'RID-1'],
    ]);
    // DEVICE comes from properties, which the event has no member for: the schema's rule holds.
    const noDevice = await errorOf(() => events.send(new PutEventsCommand({ trackingId, sessionId: 's', eventList: [click('242')] })));
    assert.equal(noDevice.name, 'InvalidInputException');
    assert.match(noDevice.message, /eventList\[1\], column DEVICE: empty value, but DEVICE is required/);
  });

  it('PutEvents maps members and camelCase properties to the Interactions columns; rejects bad events with 400', async () => {
    const { datasetArn, datasetGroupArn } = await activeDataset(client, typedFieldSchemas.interactions, 'Interactions');
    const { trackingId, eventTrackerArn } = await activeTracker(client, datasetGroupArn);
    await events.send(
      new PutEventsCommand({
        trackingId,
        userId: 'u1',
        sessionId: 's1',
        eventList: [
          {
            eventType: 'click',
            itemId: 'i1',
            sentAt: new Date(1_700_000_000_900),
            eventValue: 2.5,
            properties: JSON.stringify({ device: 'phone' }),
          },
          {
            eventType: 'click',
            itemId: 'i1',
            sentAt: new Date(1_700_000_000_900),
            eventValue: 2.5,
            properties: JSON.stringify({ device: 'phone' }),
          },
        ],
      }),
    );
    await events.send(
      new PutEventsCommand({
        trackingId,
        sessionId: 'anon-session',
        eventList: [{ eventType: 'view', itemId: 'i2', sentAt: new Date(1_700_000_100_000) }],
      }),
    );
    const rows = (await stored(datasetArn)).map((c) => [c.USER_ID, c.ITEM_ID, c.TIMESTAMP, c.EVENT_TYPE, c.EVENT_VALUE, c.DEVICE]).sort();
    assert.deepEqual(
      rows,
      [
        ['anon-session', 'i2', '1700000100', 'view', null, null],
        ['u1', 'i1', '1700000000', 'click', '2.5', 'phone'],
      ],
      'exact duplicates once; sessionId stands for a missing userId',
    );

    const cases: [string, PutEventsCommand, RegExp][] = [
      [
        'missing ITEM_ID',
        new PutEventsCommand({ trackingId, sessionId: 's', eventList: [{ eventType: 'click', sentAt: new Date() }] }),
        /eventList\[1\], column ITEM_ID: empty value, but ITEM_ID is required/,
      ],
      [
        'unknown property',
        new PutEventsCommand({
          trackingId,
          sessionId: 's',
          eventList: [{ eventType: 'c', itemId: 'i', sentAt: new Date(), properties: '{"colour":"red"}' }],
        }),
        /'colour', which is not a field.*expected keys: userId, itemId, timestamp, eventType, eventValue, device\)/,
      ],
      [
        'too long value',
        new PutEventsCommand({
          trackingId,
          sessionId: 's',
          eventList: [
            { eventType: 'c', itemId: 'x'.repeat(256), sentAt: new Date(), properties: JSON.stringify({ device: 'd'.repeat(900) }) },
            { eventType: 'c', itemId: 'i', sentAt: new Date(), properties: JSON.stringify({ device: 'd'.repeat(1001) }) },
          ],
        }),
        /^1 of 2 records is invalid: eventList\[2\], column DEVICE: Length cannot be more than 1000 characters for DEVICE/,
      ],
      [
        'unknown tracking ID',
        new PutEventsCommand({
          trackingId: 'no-such-id',
          sessionId: 's',
          eventList: [{ eventType: 'c', itemId: 'i', sentAt: new Date() }],
        }),
        /tracking ID no-such-id/,
      ],
      [
        'properties not JSON',
        new PutEventsCommand({
          trackingId,
          sessionId: 's',
          eventList: [{ eventType: 'c', itemId: 'i', sentAt: new Date(), properties: '{nope' }],
        }),
        /properties is not valid JSON/,
      ],
    ];
    for (const [what, command, message] of cases) {
      const e = await errorOf(() => events.send(command));
      assert.equal(e.name, 'InvalidInputException', what);
      assert.equal(e.$metadata?.httpStatusCode, 400, what);
      assert.match(e.message, message, what);
    }
    const eleven = await errorOf(() =>
      events.send(
        new PutEventsCommand({
          trackingId,
          sessionId: 's',
          eventList: Array.from({ length: 11 }, () => ({ eventType: 'c', itemId: 'i', sentAt: new Date() })),
        }),
      ),
    );
    assert.equal(eleven.$metadata?.httpStatusCode, 400);
    assert.match(eleven.message, /at 'eventList' failed to satisfy constraint: Member must have length less than or equal to 10/);
    const big = await errorOf(() =>
      events.send(
        new PutEventsCommand({
          trackingId,
          sessionId: 's',
          eventList: [
            {
              eventType: 'c',
              itemId: 'i',
              sentAt: new Date(),
              impression: Array.from({ length: 25 }, () => '€'.repeat(256)),
              recommendationId: 'r',
            },
            { eventType: 'c', itemId: 'i', sentAt: new Date() },
          ],
        }),
      ),
    );
    assert.match(big.message, /eventList\[1\] is \d+ bytes; an event can be at most 10240 bytes/);
    assert.equal((await stored(datasetArn)).length, 2, 'a refused call stores nothing');
    await client.send(new DeleteEventTrackerCommand({ eventTrackerArn }));
    assert.equal(
      (
        await errorOf(() =>
          events.send(
            new PutEventsCommand({ trackingId, sessionId: 's', eventList: [{ eventType: 'c', itemId: 'i', sentAt: new Date() }] }),
          ),
        )
      ).name,
      'InvalidInputException',
    );
  });

  it('PutItems / PutUsers / PutActions validate with the bulk cell rules and replace records of the same ID', async () => {
    const items = await activeDataset(client, typedFieldSchemas.items, 'Items');
    await events.send(
      new PutItemsCommand({
        datasetArn: items.datasetArn,
        items: [{ itemId: 'i1', properties: JSON.stringify({ genres: 'Drama|Comedy', price: 9.5, releaseYear: 1999 }) }, { itemId: 'i2' }],
      }),
    );
    await events.send(
      new PutItemsCommand({ datasetArn: items.datasetArn, items: [{ itemId: 'i2', properties: JSON.stringify({ genres: 'Horror' }) }] }),
    );
    assert.deepEqual(
      (await stored(items.datasetArn)).map((c) => [c.ITEM_ID, c.GENRES, c.PRICE, c.RELEASE_YEAR]),
      [
        ['i1', 'Drama|Comedy', '9.5', '1999'],
        ['i2', 'Horror', null, null],
      ],
    );
    const badPrice = await errorOf(() =>
      events.send(new PutItemsCommand({ datasetArn: items.datasetArn, items: [{ itemId: 'i3', properties: '{"price":"cheap"}' }] })),
    );
    assert.equal(badPrice.name, 'InvalidInputException');
    assert.match(badPrice.message, /items\[1\] \(itemId 'i3'\), column PRICE: 'cheap' is not a decimal number \(float\)/);
    // Values no cell may hold, in a record as in a CSV row: a NUL character, a reserved keyword.
    const never = await errorOf(() =>
      events.send(
        new PutItemsCommand({
          datasetArn: items.datasetArn,
          items: [
            { itemId: 'i3', properties: JSON.stringify({ genres: 'Drama\u0000' }) },
            { itemId: 'i4', properties: JSON.stringify({ genres: 'Drama|CREATION_TIMESTAMP' }) },
          ],
        }),
      ),
    );
    assert.equal(never.name, 'InvalidInputException');
    assert.match(
      never.message,
      /^2 of 2 records are invalid: items\[1\] \(itemId 'i3'\), column GENRES: 'Drama\\x00' contains a NUL character/,
    );
    assert.match(
      never.message,
      /items\[2\] \(itemId 'i4'\), column GENRES: 'Drama\|CREATION_TIMESTAMP' holds the value 'CREATION_TIMESTAMP', which is a reserved keyword/,
    );
    const idInProps = await errorOf(() =>
      events.send(new PutItemsCommand({ datasetArn: items.datasetArn, items: [{ itemId: 'i3', properties: '{"itemId":"i4"}' }] })),
    );
    assert.equal(
      idInProps.message,
      `items[1] (itemId 'i3'): properties gives 'itemId' as "i4", but the record's own member gives ITEM_ID as "i3"; give it once, or the same value.`,
    );
    // The same value twice is no contradiction.
    await events.send(
      new PutItemsCommand({ datasetArn: items.datasetArn, items: [{ itemId: 'i5', properties: '{"itemId":"i5","price":"1"}' }] }),
    );

    const users = await activeDataset(client, typedFieldSchemas.users, 'Users');
    await events.send(new PutUsersCommand({ datasetArn: users.datasetArn, users: [{ userId: 'u1', properties: '{"age": 31}' }] }));
    const noAge = await errorOf(() => events.send(new PutUsersCommand({ datasetArn: users.datasetArn, users: [{ userId: 'u2' }] })));
    assert.match(noAge.message, /column AGE: empty value, but AGE is required/);
    const huge = await errorOf(() =>
      events.send(new PutUsersCommand({ datasetArn: users.datasetArn, users: [{ userId: 'u3', properties: '{"age": 3000000000}' }] })),
    );
    assert.match(huge.message, /'3000000000' is out of range for int/);
    assert.deepEqual(await stored(users.datasetArn), [{ USER_ID: 'u1', AGE: '31' }]);

    const actions = await activeDataset(client, typedFieldSchemas.actions, 'Actions');
    await events.send(
      new PutActionsCommand({ datasetArn: actions.datasetArn, actions: [{ actionId: 'a1', properties: '{"cost": 1.25}' }] }),
    );
    assert.deepEqual(await stored(actions.datasetArn), [{ ACTION_ID: 'a1', COST: '1.25' }]);

    const notFound = await errorOf(() =>
      events.send(new PutItemsCommand({ datasetArn: `${items.datasetArn}X`, items: [{ itemId: 'i' }] })),
    );
    assert.deepEqual([notFound.name, notFound.$metadata?.httpStatusCode], ['ResourceNotFoundException', 404]);
    const wrongType = await errorOf(() => events.send(new PutUsersCommand({ datasetArn: items.datasetArn, users: [{ userId: 'u' }] })));
    assert.deepEqual([wrongType.name, wrongType.$metadata?.httpStatusCode], ['InvalidInputException', 400]);
  });

  it('PutActionInteractions finds its dataset by the dataset tracking ID; a dataset not ACTIVE is 409', async () => {
    const { datasetArn } = await activeDataset(client, typedFieldSchemas.actionInteractions, 'Action_Interactions');
    const { trackingId } = (await client.send(new DescribeDatasetCommand({ datasetArn }))).dataset!;
    assert.ok(trackingId);
    await events.send(
      new PutActionInteractionsCommand({
        trackingId,
        actionInteractions: [{ actionId: 'a1', userId: 'u1', sessionId: 's', timestamp: new Date(1_700_000_000_000), eventType: 'Taken' }],
      }),
    );
    assert.deepEqual(await stored(datasetArn), [{ USER_ID: 'u1', ACTION_ID: 'a1', TIMESTAMP: '1700000000', EVENT_TYPE: 'Taken' }]);
    const unknown = await errorOf(() =>
      events.send(
        new PutActionInteractionsCommand({
          trackingId: 'nope',
          actionInteractions: [{ actionId: 'a1', sessionId: 's', timestamp: new Date(), eventType: 'Taken' }],
        }),
      ),
    );
    assert.deepEqual([unknown.name, unknown.$metadata?.httpStatusCode], ['ResourceNotFoundException', 404]);

    // A dataset still provisioning: ResourceInUseException with the model's 409.
    const clock = testClock();
    const slow = await startTestService({ OPENPERSONALIZE_PROVISIONING_MS: '1000' }, { now: clock.now });
    try {
      const slowClient = slow.client();
      const { CreateSchemaCommand, CreateDatasetGroupCommand, CreateDatasetCommand } = await import('@aws-sdk/client-personalize');
      const { schemaArn } = await slowClient.send(new CreateSchemaCommand({ name: uniqueName('s'), schema: typedFieldSchemas.items }));
      const { datasetGroupArn } = await slowClient.send(new CreateDatasetGroupCommand({ name: uniqueName('g') }));
      clock.advance(1000); // the group is ACTIVE, the dataset made next is still provisioning
      const { datasetArn: pending } = await slowClient.send(
        new CreateDatasetCommand({ name: uniqueName('d'), schemaArn, datasetGroupArn, datasetType: 'Items' }),
      );
      const e = await errorOf(() => eventsClient(slow).send(new PutItemsCommand({ datasetArn: pending, items: [{ itemId: 'i' }] })));
      assert.deepEqual([e.name, e.$metadata?.httpStatusCode], ['ResourceInUseException', 409]);
    } finally {
      await slow.close();
    }
  });

  it("takes an event's itemId (and other member columns) from properties, as AWS's notebooks send it", async () => {
    const { datasetArn, datasetGroupArn } = await activeDataset(client, typedFieldSchemas.interactions, 'Interactions');
    const { trackingId } = await activeTracker(client, datasetGroupArn);
    // getting_started notebook 2 / POC_in_a_box 05: the item only in properties.
    await events.send(
      new PutEventsCommand({
        trackingId,
        userId: 'u7',
        sessionId: 's7',
        eventList: [{ eventType: 'RATING', sentAt: new Date(1_700_000_000_000), properties: '{"itemId": "270", "eventValue": 4}' }],
      }),
    );
    assert.deepEqual(
      (await stored(datasetArn)).map((c) => [c.USER_ID, c.ITEM_ID, c.EVENT_VALUE]),
      [['u7', '270', '4']],
    );
    const both = await errorOf(() =>
      events.send(
        new PutEventsCommand({
          trackingId,
          sessionId: 's7',
          eventList: [{ eventType: 'RATING', itemId: '271', sentAt: new Date(), properties: '{"itemId": "270"}' }],
        }),
      ),
    );
    assert.deepEqual([both.name, both.$metadata?.httpStatusCode], ['InvalidInputException', 400]);
    assert.equal(
      both.message,
      `eventList[1]: properties gives 'itemId' as "270", but the record's own member gives ITEM_ID as "271"; give it once, or the same value.`,
    );
  });

  it('takes JSON null for an optional member as not set (raw HTTP: the SDK never sends null)', async () => {
    const { datasetArn, datasetGroupArn } = await activeDataset(client, typedFieldSchemas.interactions, 'Interactions');
    const { trackingId } = await activeTracker(client, datasetGroupArn);
    const event = {
      eventType: 'click',
      sentAt: 1_700_000_000,
      itemId: 'i9',
      eventId: null,
      eventValue: null,
      impression: null,
      properties: null,
      recommendationId: null,
    };
    const res = await fetch(`${svc.endpoint}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ trackingId, userId: 'u9', sessionId: 's9', eventList: [event] }),
    });
    assert.equal(res.status, 200, await res.text());
    const [row] = await stored(datasetArn);
    assert.equal(row.ITEM_ID, 'i9');
    assert.ok(!Object.values(row).includes('null'), JSON.stringify(row));
  });

  it('labels the events operations in the request-latency metric', async () => {
    const text = await (await fetch(`${svc.endpoint}/metrics`)).text();
    assert.match(text, /openpersonalize_request_duration_seconds_count\{operation="PutEvents",code="200"\} [1-9]/);
    assert.match(text, /openpersonalize_request_duration_seconds_count\{operation="PutUsers",code="(200|400)"\} [1-9]/);
  });
});
