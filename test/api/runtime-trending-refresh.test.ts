// Trending-Now's re-evaluation of a deployed version (training-rules.md rules 17 and 121;
// src/serving/trend-refresh-work.ts) through the SDKs over HTTP, on a test clock: a campaign of an
// aws-trending-now version with trend_discovery_frequency '30 minutes' answers with the trending
// list of its training until the frequency has passed; then the automatic round computes it again
// from the data as it is, PutEvents included, with no new version. The data: servingRows (old
// timestamps), and PutEvents sent "now" on two items that no list led with.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateSolutionCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  ListSolutionVersionsCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { PutEventsCommand } from '@aws-sdk/client-personalize-events';
import { GetRecommendationsCommand, type PersonalizeRuntimeClient } from '@aws-sdk/client-personalize-runtime';
import { autoUpdateOf } from '../../src/serving/model-update-record.ts';
import { activeTracker, eventsClient } from '../testkit/events-fixtures.ts';
import { localBucket } from '../testkit/import-fixtures.ts';
import { activeGroup, datasetIn } from '../testkit/resources.ts';
import { INTERACTIONS_HEADER_4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { activeCampaign, importRows, recipeArn, runtimeClient, servingRows, trainedVersion } from '../testkit/serving-fixtures.ts';
import { startTestService, uniqueName, waitFor, type TestService } from '../testkit/service-harness.ts';
import { testClock, type TestClock } from '../testkit/test-clock.ts';

const MINUTE = 60_000;

describe('Trending-Now: a deployed version re-evaluates its list at the trend discovery frequency', () => {
  let svc: TestService;
  let clock: TestClock;
  let client: PersonalizeClient;
  let runtime: PersonalizeRuntimeClient;
  let trackingId: string;
  let version: string;
  let idle: string;
  let campaign: string;

  before(async () => {
    clock = testClock();
    svc = await startTestService({ OPENPERSONALIZE_PROVISIONING_MS: '0' }, { now: clock.now, manualJobs: true });
    client = svc.client();
    runtime = runtimeClient(svc);
    const groupArn = await activeGroup(client);
    const interactions = await datasetIn(client, groupArn, minimalSchemas.interactions, 'Interactions');
    await importRows(svc, client, localBucket(svc.dataDir), interactions, INTERACTIONS_HEADER_4, servingRows().rows);
    ({ trackingId } = await activeTracker(client, groupArn));
    const { solutionArn } = await client.send(
      new CreateSolutionCommand({
        name: uniqueName('trend'),
        datasetGroupArn: groupArn,
        recipeArn: recipeArn('aws-trending-now'),
        solutionConfig: { featureTransformationParameters: { trend_discovery_frequency: '30 minutes' } },
      }),
    );
    await waitFor(async () => (await client.send(new DescribeSolutionCommand({ solutionArn }))).solution?.status === 'ACTIVE');
    version = await trainedVersion(svc, client, solutionArn!);
    campaign = await activeCampaign(client, version);
    // A second version that no campaign deploys: it is not re-evaluated.
    idle = await trainedVersion(svc, client, solutionArn!);
  });
  after(() => svc.close());

  const trending = async () =>
    ((await runtime.send(new GetRecommendationsCommand({ campaignArn: campaign, userId: 'anyone', numResults: 10 }))).itemList ?? []).map(
      (i) => i.itemId!,
    );
  /** `n` clicks on each item, from different users, sent at the service's now. */
  async function clicks(items: string[], n: number) {
    for (let u = 0; u < n; u++)
      await eventsClient(svc).send(
        new PutEventsCommand({
          trackingId,
          userId: `fan${u}`,
          sessionId: `s${u}`,
          eventList: items.map((itemId, k) => ({ eventType: 'click', itemId, sentAt: new Date(clock.now() + k * 1000) })),
        }),
      );
  }
  const described = async (arn: string) =>
    (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn: arn }))).solutionVersion!;
  const stored = async (arn: string) => autoUpdateOf((await svc.catalog.get(arn))!.body);

  it('the new events lead the list once the frequency has passed, without a new version; unchanged data re-evaluates nothing', async () => {
    const before = await trending();
    assert.equal(before.length, 10);
    const rising = ['a29', 'b29'].filter((i) => !before.slice(0, 2).includes(i));
    assert.equal(rising.length, 2, before.join(','));
    const describedBefore = await described(version);

    await clicks(rising, 12);
    assert.deepEqual(await trending(), before, 'the list stays until the frequency has passed');
    assert.deepEqual(await svc.runModelUpdates(), [], 'not due before 30 minutes');

    clock.advance(30 * MINUTE + 1000);
    assert.deepEqual(await svc.runModelUpdates(), [version], 'only the deployed version');
    assert.deepEqual((await trending()).slice(0, 2).sort(), rising.sort());
    // No new version; the version shows what it showed (rule 121).
    assert.deepEqual(await described(version), describedBefore);
    const { solutionArn } = describedBefore;
    assert.equal((await client.send(new ListSolutionVersionsCommand({ solutionArn }))).solutionVersions!.length, 2);
    assert.equal(await stored(idle), undefined);

    // Thirty minutes on with the same data: nothing to compute again.
    clock.advance(30 * MINUTE);
    assert.deepEqual(await svc.runModelUpdates(), []);
  });

  it('the orphan sweep keeps the latest re-evaluated list and deletes the one it replaced', async () => {
    const first = (await stored(version))!.modelKey!;
    assert.ok(first);
    await clicks(['a7'], 30);
    clock.advance(30 * MINUTE);
    assert.deepEqual(await svc.runModelUpdates(), [version]);
    assert.equal((await trending())[0], 'a7');
    const latest = (await stored(version))!.modelKey!;
    assert.notEqual(latest, first);
    const deleted = (await svc.sweepOrphans(clock.now() + 2 * 60 * MINUTE)).modelArtifacts.deleted;
    assert.ok(deleted.includes(first), deleted.join(','));
    const trained = ((await svc.catalog.get(version))!.body as { artifactKey: string }).artifactKey;
    assert.ok(!deleted.includes(latest) && !deleted.includes(trained), deleted.join(','));
    // Still answering from the latest list after the sweep (a fresh load would read the same blob).
    assert.equal((await trending())[0], 'a7');
  });
});
