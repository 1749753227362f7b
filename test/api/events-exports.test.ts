// Individually put records and bulk data together, through the AWS SDKs: PUT records survive FULL
// imports, same-ID puts replace, exports per ingestionMode (every row compared), and puts made
// while an import runs are all kept.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateDatasetImportJobCommand, DescribeDatasetImportJobCommand, type PersonalizeClient } from '@aws-sdk/client-personalize';
import { PutEventsCommand, PutItemsCommand, type PersonalizeEventsClient } from '@aws-sdk/client-personalize-events';
import { startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';
import { exportLines, importAndWait, localBucket, type Bucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4, interactionRows4 } from '../testkit/rows.ts';
import { activeTracker, eventsClient } from '../testkit/events-fixtures.ts';

const ITEMS_SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Items',
  namespace: 'com.amazonaws.personalize.schema',
  version: '1.0',
  fields: [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'GENRES', type: ['null', 'string'], categorical: true },
    { name: 'PRICE', type: ['null', 'float'] },
  ],
});
const INTERACTIONS_SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Interactions',
  namespace: 'com.amazonaws.personalize.schema',
  version: '1.0',
  fields: [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
  ],
});
const ITEMS_HEADER = 'ITEM_ID,GENRES,PRICE';

describe('individual records in exports and across imports', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let events: PersonalizeEventsClient;
  let bucket: Bucket;
  before(async () => {
    svc = await startTestService();
    client = svc.client();
    events = eventsClient(svc);
    bucket = localBucket(svc.dataDir);
  });
  after(() => svc.close());

  const exported = (datasetArn: string, mode: 'BULK' | 'PUT' | 'ALL') => exportLines(client, bucket, datasetArn, mode);

  it('Items: PUT records survive a FULL import; ALL keeps the newest version of each ID', async () => {
    const { datasetArn } = await activeDataset(client, ITEMS_SCHEMA, 'Items');
    await bucket.put('items/one.csv', csv(ITEMS_HEADER, ['i1,Drama,1.5', 'i2,Comedy,2', 'i3,,']));
    assert.equal((await importAndWait(client, datasetArn, `s3://${bucket.name}/items/one.csv`)).status, 'ACTIVE');
    await events.send(
      new PutItemsCommand({
        datasetArn,
        items: [
          { itemId: 'i2', properties: JSON.stringify({ genres: 'Horror|Drama', price: 3.25 }) },
          { itemId: 'i9', properties: JSON.stringify({ genres: 'Family' }) },
        ],
      }),
    );
    assert.deepEqual(await exported(datasetArn, 'BULK'), [ITEMS_HEADER, 'i1,Drama,1.5', 'i2,Comedy,2.0', 'i3,,']);
    assert.deepEqual(await exported(datasetArn, 'PUT'), [ITEMS_HEADER, 'i2,Horror|Drama,3.25', 'i9,Family,']);
    assert.deepEqual(await exported(datasetArn, 'ALL'), [ITEMS_HEADER, 'i1,Drama,1.5', 'i2,Horror|Drama,3.25', 'i3,,', 'i9,Family,']);

    // A FULL import replaces the bulk data only; being newer, its i2 wins in ALL.
    await bucket.put('items/two.csv', csv(ITEMS_HEADER, ['i2,Western,4', 'i4,Anime,5']));
    assert.equal((await importAndWait(client, datasetArn, `s3://${bucket.name}/items/two.csv`, 'FULL')).status, 'ACTIVE');
    assert.deepEqual(await exported(datasetArn, 'BULK'), [ITEMS_HEADER, 'i2,Western,4.0', 'i4,Anime,5.0']);
    assert.deepEqual(await exported(datasetArn, 'PUT'), [ITEMS_HEADER, 'i2,Horror|Drama,3.25', 'i9,Family,']);
    assert.deepEqual(await exported(datasetArn, 'ALL'), [ITEMS_HEADER, 'i2,Western,4.0', 'i4,Anime,5.0', 'i9,Family,']);

    // A later put of the same ID replaces the earlier put and wins over the bulk row.
    await events.send(new PutItemsCommand({ datasetArn, items: [{ itemId: 'i2', properties: JSON.stringify({ genres: 'Noir' }) }] }));
    assert.deepEqual(await exported(datasetArn, 'PUT'), [ITEMS_HEADER, 'i2,Noir,', 'i9,Family,']);
    assert.deepEqual(await exported(datasetArn, 'ALL'), [ITEMS_HEADER, 'i2,Noir,', 'i4,Anime,5.0', 'i9,Family,']);
  });

  it('Interactions: ALL is bulk plus events, exact duplicates once; PUT alone has only the events', async () => {
    const { datasetArn, datasetGroupArn } = await activeDataset(client, INTERACTIONS_SCHEMA, 'Interactions');
    const { trackingId } = await activeTracker(client, datasetGroupArn);
    const bulk = interactionRows4(1000);
    await bucket.put('inter/bulk.csv', csv(INTERACTIONS_HEADER_4, bulk));
    assert.equal((await importAndWait(client, datasetArn, `s3://${bucket.name}/inter/bulk.csv`)).status, 'ACTIVE');
    // bulk[0] is u0,i0,1700000000,click: sent again as an event it is an exact duplicate.
    const event = (userId: string, itemId: string, t: number, eventType: string) =>
      events.send(
        new PutEventsCommand({ trackingId, userId, sessionId: 's', eventList: [{ itemId, sentAt: new Date(t * 1000), eventType }] }),
      );
    await event('u0', 'i0', 1_700_000_000, 'click');
    await event('new-user', 'i7', 1_800_000_000, 'purchase');
    await event('new-user', 'i7', 1_800_000_000, 'purchase');
    const puts = ['new-user,i7,1800000000,purchase', 'u0,i0,1700000000,click'];
    assert.deepEqual(await exported(datasetArn, 'PUT'), [INTERACTIONS_HEADER_4, ...puts]);
    assert.deepEqual(await exported(datasetArn, 'ALL'), [INTERACTIONS_HEADER_4, ...[...new Set([...bulk, ...puts])].sort()]);
    assert.deepEqual(await exported(datasetArn, 'BULK'), [INTERACTIONS_HEADER_4, ...[...new Set(bulk)].sort()]);
  });

  it('keeps every event put while a FULL import runs', async () => {
    const { datasetArn, datasetGroupArn } = await activeDataset(client, INTERACTIONS_SCHEMA, 'Interactions');
    const { trackingId } = await activeTracker(client, datasetGroupArn);
    const bulk = interactionRows4(60_000);
    await bucket.put('busy/bulk.csv', csv(INTERACTIONS_HEADER_4, bulk));
    const { datasetImportJobArn } = await client.send(
      new CreateDatasetImportJobCommand({
        jobName: uniqueName('busy'),
        datasetArn,
        dataSource: { dataLocation: `s3://${bucket.name}/busy/bulk.csv` },
      }),
    );
    const sent: string[] = [];
    let sawRunning = false;
    for (let wave = 0; ; wave++) {
      const status = (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!.status!;
      if (status === 'ACTIVE' || status === 'CREATE FAILED') {
        assert.equal(status, 'ACTIVE');
        break;
      }
      sawRunning ||= status === 'CREATE IN_PROGRESS';
      await Promise.all(
        Array.from({ length: 20 }, (_, k) => {
          const userId = `live-${wave}-${k}`;
          sent.push(`${userId},live-item,${1_750_000_000 + wave},click`);
          return events.send(
            new PutEventsCommand({
              trackingId,
              userId,
              sessionId: 's',
              eventList: [{ itemId: 'live-item', sentAt: new Date((1_750_000_000 + wave) * 1000), eventType: 'click' }],
            }),
          );
        }),
      );
    }
    assert.ok(sawRunning && sent.length > 0, 'events were put while the import ran');
    assert.deepEqual(await exported(datasetArn, 'PUT'), [INTERACTIONS_HEADER_4, ...sent.sort()]);
    const all = await exported(datasetArn, 'ALL');
    assert.equal(all.length, 1 + new Set(bulk).size + sent.length);
    assert.deepEqual(all, [INTERACTIONS_HEADER_4, ...[...new Set([...bulk, ...sent])].sort()]);
  });
});
