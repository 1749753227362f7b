// AWS's user-personalization-with-exploration notebook (aws-samples/amazon-personalize-samples,
// next_steps/core_use_cases/user_personalization), its boto3 code as written, run by the machine's
// python3 against the service (test/api/boto3_notebook_exploration.py): aws-user-personalization
// deployed with itemExplorationConfig 0.9 / 7 days, PutEvents with impressions and clicks on new
// items, a trainingMode UPDATE version deployed by UpdateCampaign, then explorationWeight 0.1 (and,
// added by the script, 0 and 0.9 with a 3650-day cut-off). Asserted here: the statuses, the
// campaignConfig as DescribeCampaign shows it at each stage, and what exploration puts in the lists.
//
// The script's items (see its docstring): "old" items created months before the newest bulk
// interaction, "young" ones created 1-6 days before it with 1-3 interactions, "cold" ones in the
// Items dataset only, and the "new" items 240-249 that first appear in the notebook's PutEvents
// (sent now, so after them the newest interaction is now and every bulk item is years old).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runNotebook } from '../testkit/python-notebook.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';

interface Item {
  itemId: string;
  score?: number;
}

interface Config {
  itemExplorationConfig: { explorationWeight: string; explorationItemAgeCutOff: string };
}

interface Stage {
  campaignConfig: Config;
  solutionVersionArn: string;
  status: string;
  lists: Record<string, string[]>;
}

interface Version {
  status: string;
  trainingMode: string;
  recipeArn: string;
  failureReason: string | null;
  solutionArn?: string;
}

interface Summary {
  datasetGroup: string;
  imports: { interactions: string; items: string };
  groups: Record<'old' | 'young' | 'cold' | 'new', string[]>;
  solution: { recipeArn: string; solutionArn: string };
  fullVersion: Version;
  updateVersion: Version;
  campaign: { name: string; status: string; minProvisionedTPS: number; campaignConfig: Config; solutionVersionArn: string };
  solutionVersionArn: string;
  solutionVersionAfterUpdate: string;
  campaignAfterUpdate: string;
  explorationWeightAfterUpdate: string;
  tracker: { status: string; trackingId: string };
  putEvents: number[];
  user101: { history: string[] } & Record<string, { recommendationId: string; items: Item[] }>;
  stages: Record<string, Stage>;
  afterCleanup: { eventTrackers: string[]; datasetGroups: Record<string, string> };
}

const RECIPE = 'arn:aws:personalize:::recipe/aws-user-personalization';
const config = (weight: string, cutOff: string): Config => ({
  itemExplorationConfig: { explorationWeight: weight, explorationItemAgeCutOff: cutOff },
});

describe("AWS's user-personalization-with-exploration notebook, as written (boto3)", () => {
  let svc: TestService;
  const scratchRoot = mkdtempSync(join(tmpdir(), 'openpersonalize-notebooks-'));
  before(async () => {
    svc = await startTestService();
  });
  after(async () => {
    await svc.close();
    rmSync(scratchRoot, { recursive: true, force: true });
  });

  it('aws-user-personalization with itemExplorationConfig: young and new items explored by weight and age cut-off, an UPDATE version, the clean-up', async () => {
    const s = await runNotebook<Summary>(svc, 'boto3_notebook_exploration.py', '210000000023', scratchRoot);
    const { young } = s.groups;
    const newItems = s.groups.new;
    // The data, the two versions, the campaign as created.
    assert.equal(s.datasetGroup, 'ACTIVE');
    assert.deepEqual(s.imports, { interactions: 'ACTIVE', items: 'ACTIVE' });
    assert.equal(s.solution.recipeArn, RECIPE);
    assert.deepEqual(s.fullVersion, { status: 'ACTIVE', trainingMode: 'FULL', recipeArn: RECIPE, failureReason: null });
    assert.deepEqual(s.updateVersion, {
      status: 'ACTIVE',
      trainingMode: 'UPDATE',
      recipeArn: RECIPE,
      failureReason: null,
      solutionArn: s.solution.solutionArn,
    });
    assert.match(s.campaign.name, /^user-personalization-\d{1,5}$/);
    assert.deepEqual(s.campaign, {
      name: s.campaign.name,
      status: 'ACTIVE',
      minProvisionedTPS: 1,
      campaignConfig: config('0.9', '7'),
      solutionVersionArn: s.solutionVersionArn,
    });
    // The notebook's two waits ended on what they wait for.
    assert.equal(s.campaignAfterUpdate, s.solutionVersionAfterUpdate);
    assert.equal(s.explorationWeightAfterUpdate, '0.1');
    assert.equal(s.tracker.status, 'ACTIVE');
    assert.match(s.tracker.trackingId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(s.putEvents, [200, 200]);

    // DescribeCampaign at each stage: the campaignConfig UpdateCampaign set, the version deployed.
    const expected: Record<string, [Config, string]> = {
      'full-0.9': [config('0.9', '7'), s.solutionVersionArn],
      'update-0.9': [config('0.9', '7'), s.solutionVersionAfterUpdate],
      'update-0.1': [config('0.1', '7'), s.solutionVersionAfterUpdate],
      'update-0': [config('0', '7'), s.solutionVersionAfterUpdate],
      'update-0.9-3650': [config('0.9', '3650'), s.solutionVersionAfterUpdate],
    };
    assert.deepEqual(Object.keys(s.stages), Object.keys(expected));
    for (const [name, [campaignConfig, version]] of Object.entries(expected)) {
      const stage = s.stages[name];
      assert.deepEqual(stage.campaignConfig, campaignConfig, name);
      assert.equal(stage.solutionVersionArn, version, name);
      assert.equal(stage.status, 'ACTIVE', name);
      assert.equal(Object.keys(stage.lists).length, 40, name);
      for (const [user, list] of Object.entries(stage.lists))
        assert.equal(new Set(list).size, 25, `${name}, user ${user}: ${list.join(',')}`);
    }
    const count = (list: string[], group: string[]) => list.filter((id) => group.includes(id)).length;
    const counts = (name: string, group: string[]) => Object.values(s.stages[name].lists).map((list) => count(list, group));
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

    // User '101', as the notebook asks: each answer 25 items with a recommendationId. Before the
    // UPDATE, weight 0.9 gives most of the list to the young items (all 20 are within 7 days).
    for (const name of ['full-0.9', 'update-0.9', 'update-0.1', 'update-0']) {
      const answer = s.user101[name];
      assert.match(answer.recommendationId, /^RID-[0-9a-f-]{36}$/, name);
      assert.equal(new Set(answer.items.map((i) => i.itemId)).size, 25, name);
    }
    const first = s.user101['full-0.9'].items.map((i) => i.itemId);
    assert.ok(count(first, young) >= 15, `user 101 at 0.9: ${first.join(',')}`);

    // The first campaign (FULL version, 0.9 / 7 days): young items fill about half of every list
    // or more, and most of them on average (how many depends on the draw and on the young items a
    // user already took).
    const youngCounts = counts('full-0.9', young);
    assert.ok(youngCounts.every((n) => n >= 12) && sum(youngCounts) >= 16 * youngCounts.length, youngCounts.join(','));
    assert.equal(sum(counts('full-0.9', newItems)), 0);

    // After the UPDATE version: the PutEvents items 240-249 are known and born now, the only items
    // within 7 days of the newest interaction. 0.9 puts all ten in every list, 0.1 a few, 0 none;
    // the young items, now years old, are no longer explored.
    assert.ok(
      counts('update-0.9', newItems).every((n) => n === newItems.length),
      counts('update-0.9', newItems).join(','),
    );
    const low = counts('update-0.1', newItems);
    assert.ok(
      low.every((n) => n >= 1 && n <= 3),
      low.join(','),
    );
    assert.deepEqual(
      counts('update-0', newItems),
      low.map(() => 0),
    );
    assert.ok(sum(counts('update-0.9', young)) < sum(counts('full-0.9', young)) / 10, counts('update-0.9', young).join(','));
    // A 3650-day cut-off reaches back to the bulk data: the young items (1-3 interactions, the
    // most likely draws) come back beside the new ones.
    assert.ok(
      sum(counts('update-0.9-3650', young)) > 5 * sum(counts('update-0.9', young)),
      `${counts('update-0.9-3650', young)} vs ${counts('update-0.9', young)}`,
    );
    assert.ok(sum(counts('update-0.9-3650', newItems)) > 0);
    // User 101 clicked all ten new items: its lists hold none of them (exploration skips a user's
    // own interactions, and the model does not rank them in).
    for (const name of ['update-0.9', 'update-0.1', 'update-0']) {
      const ids = s.user101[name].items.map((i) => i.itemId);
      assert.equal(count(ids, newItems), 0, `${name}: ${ids.join(',')}`);
    }

    // The clean-up cell: the campaign, solution, datasets and tracker are gone; the group, the
    // account's only one, is gone or still DELETE PENDING (for 60 ms: dataset-group-deletion-record.ts).
    assert.deepEqual(s.afterCleanup.eventTrackers, []);
    const groups = Object.values(s.afterCleanup.datasetGroups);
    assert.ok(groups.length <= 1 && groups.every((status) => status === 'DELETE PENDING'), JSON.stringify(groups));
  });
});
