// GetRecommendations' and GetPersonalizedRanking's `context` through the SDKs over HTTP
// (training-rules.md rules 87 and 122; src/training/models/context.ts): an Interactions dataset
// with a DEVICE column, imported and trained on; the same request then answers differently by
// context, at once, without retraining; unknown keys and values change nothing; a recipe without
// contextual metadata (SIMS) ignores it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PersonalizeClient } from '@aws-sdk/client-personalize';
import {
  GetPersonalizedRankingCommand,
  GetRecommendationsCommand,
  type GetRecommendationsCommandInput,
  type PersonalizeRuntimeClient,
} from '@aws-sdk/client-personalize-runtime';
import { localBucket } from '../testkit/import-fixtures.ts';
import { activeGroup, datasetIn } from '../testkit/resources.ts';
import { schema } from '../testkit/schemas.ts';
import { activeCampaign, activeSolution, importRows, runtimeClient, servingRows, trainedVersion } from '../testkit/serving-fixtures.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';

const INTERACTIONS_WITH_DEVICE = schema('Interactions', [
  { name: 'USER_ID', type: 'string' },
  { name: 'ITEM_ID', type: 'string' },
  { name: 'TIMESTAMP', type: 'long' },
  { name: 'EVENT_TYPE', type: 'string' },
  { name: 'DEVICE', type: 'string', categorical: true },
]);

describe('context: the same request answered by the device it comes from', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let runtime: PersonalizeRuntimeClient;
  const campaigns = { up: '', ranking: '', sims: '' };
  const data = servingRows();
  const isA = (id: string) => id.startsWith('a');

  before(async () => {
    svc = await startTestService({ OPENPERSONALIZE_PROVISIONING_MS: '0' }, { manualJobs: true });
    client = svc.client();
    runtime = runtimeClient(svc);
    const groupArn = await activeGroup(client);
    const interactions = await datasetIn(client, groupArn, INTERACTIONS_WITH_DEVICE, 'Interactions');
    // Cluster a is mostly taken on phones, cluster b on desktops; x1 and x2 on both.
    let n = 0;
    const rows = data.rows.map((row) => {
      const item = row.split(',')[1];
      const usual = isA(item) ? 'mobile' : 'desktop';
      const other = usual === 'mobile' ? 'desktop' : 'mobile';
      return `${row},${item.startsWith('x') ? (n++ % 2 ? 'mobile' : 'desktop') : n++ % 10 === 0 ? other : usual}`;
    });
    await importRows(svc, client, localBucket(svc.dataDir), interactions, 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,DEVICE', rows);
    const noExploration = { itemExplorationConfig: { explorationWeight: '0' } };
    for (const [key, recipe] of [
      ['up', 'aws-user-personalization'],
      ['ranking', 'aws-personalized-ranking'],
      ['sims', 'aws-sims'],
    ] as const) {
      const version = await trainedVersion(svc, client, await activeSolution(client, groupArn, recipe));
      campaigns[key] = await activeCampaign(client, version, key === 'up' ? noExploration : undefined);
    }
  });
  after(() => svc.close());

  const recommend = async (input: Omit<GetRecommendationsCommandInput, 'campaignArn'>, campaignArn = campaigns.up) =>
    ((await runtime.send(new GetRecommendationsCommand({ campaignArn, numResults: 10, ...input }))).itemList ?? []).map((i) => i.itemId!);
  const shareA = (ids: string[]) => ids.filter(isA).length / ids.length;

  it("a new user's list follows the context; keys and values in any case; unknown ones change nothing", async () => {
    const plain = await recommend({ userId: 'someone-new' });
    const mobile = await recommend({ userId: 'someone-new', context: { DEVICE: 'mobile' } });
    const desktop = await recommend({ userId: 'someone-new', context: { device: 'DESKTOP' } });
    assert.ok(shareA(mobile) >= 0.8, `mobile: ${mobile.join(',')}`);
    assert.ok(shareA(desktop) <= 0.2, `desktop: ${desktop.join(',')}`);
    assert.deepEqual(await recommend({ userId: 'someone-new', context: { DEVICE: 'watch', SEASON: 'winter' } }), plain);
  });

  it("a known user's taste still counts: the context multiplies what the history says", async () => {
    // u0 keeps to cluster a, u1 to cluster b (servingRows). The model's calibrated scores for such
    // short histories are flat (a factor of ~2.5 between the clusters), the context's lift here
    // is ~9 : 1, so a phone's list leads with a-items for both users, desktop's with b-items; but
    // the best b-item's score over the best a-item's stays higher for u1 than for u0.
    const scored = async (userId: string, DEVICE: string) =>
      (await runtime.send(new GetRecommendationsCommand({ campaignArn: campaigns.up, userId, numResults: 60, context: { DEVICE } })))
        .itemList!;
    const bOverA = (list: { itemId?: string; score?: number }[]) =>
      list.find((i) => i.itemId!.startsWith('b'))!.score! / list.find((i) => isA(i.itemId!))!.score!;
    const [u0Mobile, u1Mobile, u1Desktop] = [await scored('u0', 'mobile'), await scored('u1', 'mobile'), await scored('u1', 'desktop')];
    assert.ok(shareA(u1Desktop.slice(0, 20).map((i) => i.itemId!)) <= 0.1);
    assert.ok(shareA(u0Mobile.slice(0, 20).map((i) => i.itemId!)) >= 0.9);
    assert.ok(bOverA(u1Mobile) > 2 * bOverA(u0Mobile), `u1 ${bOverA(u1Mobile)}, u0 ${bOverA(u0Mobile)}`);
  });

  it('GetPersonalizedRanking ranks by the context too; SIMS ignores it', async () => {
    const rank = async (context?: Record<string, string>) =>
      (
        await runtime.send(
          new GetPersonalizedRankingCommand({ campaignArn: campaigns.ranking, userId: 'someone-new', inputList: ['a3', 'b3'], context }),
        )
      ).personalizedRanking!.map((i) => i.itemId);
    assert.deepEqual(await rank({ DEVICE: 'mobile' }), ['a3', 'b3']);
    assert.deepEqual(await rank({ DEVICE: 'desktop' }), ['b3', 'a3']);
    const sims = (context?: Record<string, string>) => recommend({ itemId: 'a3', context }, campaigns.sims);
    assert.deepEqual(await sims({ DEVICE: 'desktop' }), await sims());
  });
});
