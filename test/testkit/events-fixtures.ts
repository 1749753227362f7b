// Clients and data shared by the personalize-events tests.
import { CreateEventTrackerCommand, DescribeEventTrackerCommand, type PersonalizeClient } from '@aws-sdk/client-personalize';
import { PersonalizeEventsClient } from '@aws-sdk/client-personalize-events';
import { uniqueName, waitFor, type TestService } from './service-harness.ts';

export function eventsClient(svc: TestService): PersonalizeEventsClient {
  return new PersonalizeEventsClient({
    endpoint: svc.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
}

/** An ACTIVE event tracker on the group; returns its ARN and tracking ID. */
export async function activeTracker(client: PersonalizeClient, datasetGroupArn: string): Promise<{ eventTrackerArn: string; trackingId: string }> {
  const { eventTrackerArn, trackingId } = await client.send(new CreateEventTrackerCommand({ name: uniqueName('t'), datasetGroupArn }));
  await waitFor(async () => (await client.send(new DescribeEventTrackerCommand({ eventTrackerArn }))).eventTracker?.status === 'ACTIVE', 10_000, 'tracker ACTIVE');
  return { eventTrackerArn: eventTrackerArn!, trackingId: trackingId! };
}

const schema = (name: string, fields: unknown[]) => JSON.stringify({ type: 'record', name, namespace: 'com.amazonaws.personalize.schema', version: '1.0', fields });

export const eventSchemas = {
  items: schema('Items', [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'GENRES', type: ['null', 'string'], categorical: true },
    { name: 'PRICE', type: ['null', 'float'] },
    { name: 'RELEASE_YEAR', type: ['null', 'int'] },
  ]),
  users: schema('Users', [
    { name: 'USER_ID', type: 'string' },
    { name: 'AGE', type: 'int' },
  ]),
  actions: schema('Actions', [
    { name: 'ACTION_ID', type: 'string' },
    { name: 'COST', type: ['null', 'double'] },
  ]),
  actionInteractions: schema('ActionInteractions', [
    { name: 'USER_ID', type: 'string' },
    { name: 'ACTION_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
  ]),
  interactions: schema('Interactions', [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
    { name: 'EVENT_VALUE', type: ['null', 'float'] },
    { name: 'DEVICE', type: ['null', 'string'] },
  ]),
};
