// A dataset group's data as the runtime and filters read it (src/serving/group-data.ts, the
// FilterDataSource of serving-data.ts), on a real service: a user's interactions are the bulk rows
// and individually put events together, oldest first, the newest per event type kept, a PutEvents
// visible on the very next call; Items and Users rows by ID with their schema's names and types,
// bulk and put records merged, read again when they change.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type PersonalizeClient } from '@aws-sdk/client-personalize';
import { PutEventsCommand, PutItemsCommand, type PersonalizeEventsClient } from '@aws-sdk/client-personalize-events';
import { sqlAccessOf } from '../../src/catalog/sql/sql-catalog.ts';
import { DatasetReader } from '../../src/data/reader.ts';
import { SqlRecordStore } from '../../src/data/records/sql-record-store.ts';
import { GroupData, KEPT_PER_EVENT_TYPE } from '../../src/serving/group-data.ts';
import { activeTracker, eventsClient } from '../testkit/events-fixtures.ts';
import { localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeGroup, datasetIn } from '../testkit/resources.ts';
import { INTERACTIONS_HEADER_4 } from '../testkit/rows.ts';
import { minimalSchemas, typedFieldSchemas } from '../testkit/schemas.ts';
import { importRows } from '../testkit/serving-fixtures.ts';
import { startTestService, waitFor, type TestService } from '../testkit/service-harness.ts';

describe('GroupData: the serving view of a dataset group', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let events: PersonalizeEventsClient;
  let bucket: Bucket;
  let records: SqlRecordStore;
  let data: GroupData;
  let datasetGroupArn: string;
  let itemsArn: string;
  let trackingId: string;

  const T0 = 1_700_000_000;
  /** u1: 250 clicks and 3 purchases; u2: two clicks; u3..u40 a few clicks each (enough rows for a real import). */
  const rows = [
    ...Array.from({ length: 250 }, (_, k) => `u1,i${k % 40},${T0 + 2 * k},click`),
    ...[0, 1, 2].map((k) => `u1,p${k},${T0 + 2 * k + 1},purchase`),
    `u2,i7,${T0 + 50},click`,
    `u2,i3,${T0 + 10},click`,
    ...Array.from({ length: 38 * 20 }, (_, k) => `u${3 + (k % 38)},i${k % 50},${T0 + 1000 + k},click`),
  ];

  before(async () => {
    svc = await startTestService({}, { manualJobs: true });
    client = svc.client();
    events = eventsClient(svc);
    bucket = localBucket(svc.dataDir);
    records = new SqlRecordStore(sqlAccessOf(svc.catalog));
    datasetGroupArn = await activeGroup(client);
    const interactions = await datasetIn(client, datasetGroupArn, minimalSchemas.interactions, 'Interactions');
    itemsArn = await datasetIn(client, datasetGroupArn, typedFieldSchemas.items, 'Items');
    await importRows(svc, client, bucket, interactions, INTERACTIONS_HEADER_4, rows);
    await importRows(svc, client, bucket, itemsArn, 'ITEM_ID,GENRES,PRICE,RELEASE_YEAR', ['i1,Drama|Comedy,9.5,1999', 'i2,,,']);
    ({ trackingId } = await activeTracker(client, datasetGroupArn));
    data = new GroupData(
      {
        catalog: svc.catalog,
        reader: new DatasetReader(svc.catalog, svc.parts, records),
        records,
        config: svc.config,
        now: () => Date.now(),
        log: () => undefined,
        revalidateMs: 0,
      },
      datasetGroupArn,
      '000000000000',
      'us-east-1',
    );
  });
  after(async () => {
    await records.close();
    await svc.close();
  });

  it("a user's bulk interactions, oldest first; [] for an unknown user", async () => {
    assert.deepEqual(await data.interactions('u2'), [
      { itemId: 'i3', eventType: 'click', time: T0 + 10 },
      { itemId: 'i7', eventType: 'click', time: T0 + 50 },
    ]);
    assert.deepEqual(await data.interactions('nobody'), []);
  });

  it('keeps the newest interactions per event type, up to the models’ history cap', async () => {
    const u1 = await data.interactions('u1');
    const clicks = u1.filter((x) => x.eventType === 'click');
    assert.equal(clicks.length, KEPT_PER_EVENT_TYPE);
    assert.equal(clicks[0].time, T0 + 2 * (250 - KEPT_PER_EVENT_TYPE), 'the oldest clicks are the ones left out');
    assert.deepEqual(
      u1.filter((x) => x.eventType === 'purchase').map((x) => x.itemId),
      ['p0', 'p1', 'p2'],
    );
    const times = u1.map((x) => x.time);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
  });

  it('an event put individually counts on the very next call, in time order; a duplicate of a bulk row once', async () => {
    await events.send(
      new PutEventsCommand({
        trackingId,
        userId: 'u2',
        sessionId: 's2',
        eventList: [
          { eventType: 'purchase', itemId: 'i9', sentAt: new Date((T0 + 30) * 1000) },
          { eventType: 'click', itemId: 'i7', sentAt: new Date((T0 + 50) * 1000) },
        ],
      }),
    );
    assert.deepEqual(await data.interactions('u2'), [
      { itemId: 'i3', eventType: 'click', time: T0 + 10 },
      { itemId: 'i9', eventType: 'purchase', time: T0 + 30 },
      { itemId: 'i7', eventType: 'click', time: T0 + 50 },
    ]);
    // An anonymous session's events are its own user's (stored with the sessionId as USER_ID).
    await events.send(
      new PutEventsCommand({
        trackingId,
        sessionId: 'anon-1',
        eventList: [{ eventType: 'click', itemId: 'i1', sentAt: new Date(T0 * 1000) }],
      }),
    );
    assert.deepEqual(await data.interactions('anon-1'), [{ itemId: 'i1', eventType: 'click', time: T0 }]);
  });

  it('Items rows by ITEM_ID with the schema’s column names and typed values; read again after a PutItems', async () => {
    const items = await data.items();
    assert.deepEqual(items.get('i1'), { ITEM_ID: 'i1', GENRES: 'Drama|Comedy', PRICE: 9.5, RELEASE_YEAR: 1999 });
    assert.deepEqual(items.get('i2'), { ITEM_ID: 'i2', GENRES: null, PRICE: null, RELEASE_YEAR: null });
    await events.send(
      new PutItemsCommand({
        datasetArn: itemsArn,
        items: [{ itemId: 'i2', properties: JSON.stringify({ genres: 'Horror', price: 3, releaseYear: 2020 }) }],
      }),
    );
    // The new rows are built while the old ones keep answering.
    const updated = await waitFor(async () => {
      const now = await data.items();
      return now.get('i2')?.GENRES === 'Horror' && now;
    });
    assert.deepEqual(updated.get('i2'), { ITEM_ID: 'i2', GENRES: 'Horror', PRICE: 3, RELEASE_YEAR: 2020 });
    assert.equal(updated.get('i1')?.PRICE, 9.5);
  });

  it('a group without a Users dataset has no users', async () => {
    assert.equal((await data.users()).size, 0);
  });
});
