// The Interactions column rule (custom columns + EVENT_TYPE/EVENT_VALUE + distinct event types
// <= 10) counts the dataset as a whole: bulk data and individually put events alike. Here the
// minimal schema (EVENT_TYPE, no custom column) allows 9 event types.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PutEventsCommand } from '@aws-sdk/client-personalize-events';
import { activeTracker, eventsClient } from '../testkit/events-fixtures.ts';
import { importAndWait, localBucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4, interactionRows4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';

describe('event types of bulk data and put events together', () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService();
  });
  after(() => svc.close());

  it('fails an import whose event types, with those of the put events, are more than the schema allows', async () => {
    const client = svc.client();
    const bucket = localBucket(svc.dataDir);
    const { datasetArn, datasetGroupArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
    const { trackingId } = await activeTracker(client, datasetGroupArn);
    const putTypes = ['p1', 'p2', 'p3', 'p4', 'p5'];
    await eventsClient(svc).send(
      new PutEventsCommand({
        trackingId,
        userId: 'u1',
        sessionId: 's1',
        eventList: putTypes.map((eventType, i) => ({ eventType, itemId: `i${i}`, sentAt: new Date(1_700_000_000_000 + i * 1000) })),
      }),
    );
    const types = ['b1', 'b2', 'b3', 'b4', 'b5'];
    await bucket.put('types.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(1000, 0, types)));
    const job = await importAndWait(client, datasetArn, `s3://${bucket.name}/types.csv`);
    assert.equal(job.status, 'CREATE FAILED');
    assert.equal(
      job.failureReason,
      'With this import the dataset (bulk data and individually put events) would hold 10 distinct event types, but its schema allows at most 9 (custom metadata columns + EVENT_TYPE/EVENT_VALUE + distinct event types <= 10). Event types new in this import: [b1, b2, b3, b4, b5].',
    );
    // Four bulk types fit beside the five put ones.
    await bucket.put('fewer.csv', csv(INTERACTIONS_HEADER_4, interactionRows4(1000, 0, types.slice(0, 4))));
    assert.equal((await importAndWait(client, datasetArn, `s3://${bucket.name}/fewer.csv`)).status, 'ACTIVE');
  });
});
