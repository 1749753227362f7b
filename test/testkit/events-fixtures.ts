// The personalize-events client and an ACTIVE event tracker, shared by the events tests (their
// schemas are typedFieldSchemas in schemas.ts).
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
export async function activeTracker(
  client: PersonalizeClient,
  datasetGroupArn: string,
): Promise<{ eventTrackerArn: string; trackingId: string }> {
  const { eventTrackerArn, trackingId } = await client.send(new CreateEventTrackerCommand({ name: uniqueName('t'), datasetGroupArn }));
  await waitFor(
    async () => (await client.send(new DescribeEventTrackerCommand({ eventTrackerArn }))).eventTracker?.status === 'ACTIVE',
    10_000,
    'tracker ACTIVE',
  );
  return { eventTrackerArn: eventTrackerArn!, trackingId: trackingId! };
}
