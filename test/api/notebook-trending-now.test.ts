// AWS's Trending-Now notebook (next_steps/core_use_cases/trending_now/trending_now_example.ipynb),
// its boto3 cells as written, run by the machine's python3 against the service
// (test/api/boto3_notebook_trending_now.py): MovieLens-shaped Click and Watch events whose last hour
// makes three movies rise, one stay and one fall; an aws-trending-now solution with
// trend_discovery_frequency '30 minutes', its campaign's trending items; then 200 PutEvents on ten
// sampled movies (the notebook sends 2,500) and the trending items again; then the notebook's
// clean-up.
//
// Between the PutEvents and the second GetRecommendations the notebook has its reader wait for the
// trend discovery frequency plus 15 minutes. The script says when it is there (a file `trend-wait`
// in its folder); the test moves the service's clock 45 minutes on, runs the service's automatic
// model updates, and lets the script go on (`trend-wait.done`). AWS (training-rules.md §1.4, rules
// 17 and 121; the Trending-Now recipe page): the items considered come from the interactions
// imported in bulk and incrementally, and the recipe considers new items and interactions at the
// trend discovery frequency without a new solution version — so the second list leads with the
// movies the events made trend.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runNotebook } from '../testkit/python-notebook.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';

const ACCOUNT = '210000000024';
const MINUTE = 60_000;

interface Summary {
  datasetGroup: string;
  import: { status: string; failureReason: string | null };
  trainingFileHeader: string;
  rows: number;
  eventTypes: string[];
  solution: { recipeArn: string; solutionConfig: { featureTransformationParameters?: Record<string, string> } };
  solutionVersion: {
    statuses: string[];
    status: string;
    trainingMode: string;
    recipeArn: string;
    solutionConfig: { featureTransformationParameters?: Record<string, string> };
    failureReason: string | null;
  };
  campaign: string;
  eventTracker: string;
  trendingInBulk: { rising: string[]; steady: string[]; falling: string[] };
  mostPopular: string[];
  before: { recommendationId: string; itemIds: string[]; scores: number; titles: string[] };
  userRand: string[];
  itemsRand: string[];
  putEvents: number;
  solutionVersions: number;
  putSeconds: number;
  waitAcknowledged: boolean;
  after: { itemIds: string[]; scores: number; titles: string[] };
  cleanup: { datasetGroup: string; notFoundRightAfterDelete: number; deleted: string[]; schemasLeft: string[] };
}

describe("AWS's Trending-Now notebook (trending_now_example.ipynb) as written (boto3)", () => {
  let svc: TestService;
  // The service's clock: the real time, plus the minutes the notebook's reader waits.
  let waited = 0;
  const scratchRoot = mkdtempSync(join(tmpdir(), 'openpersonalize-trending-'));
  let s: Summary;

  before(async () => {
    svc = await startTestService({}, { now: () => Date.now() + waited });
    // The notebook's wait: when the script reaches it, 45 minutes pass for the service.
    let done = false;
    const waiter = (async () => {
      while (!done) {
        const folder = readdirSync(scratchRoot).find((d) => existsSync(join(scratchRoot, d, 'trend-wait')));
        if (folder) {
          waited += 45 * MINUTE;
          await svc.runModelUpdates();
          writeFileSync(join(scratchRoot, folder, 'trend-wait.done'), '');
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      s = await runNotebook<Summary>(svc, 'boto3_notebook_trending_now.py', ACCOUNT, scratchRoot, 90_000);
    } finally {
      done = true;
      await waiter;
    }
  });
  after(async () => {
    await svc.close();
    rmSync(scratchRoot, { recursive: true, force: true });
  });

  it('imports the Click and Watch events, trains aws-trending-now with its 30-minute frequency, and the campaign lists the items the data made trend', () => {
    assert.equal(s.datasetGroup, 'ACTIVE');
    assert.equal(s.import.status, 'ACTIVE', `${s.import.failureReason}`);
    // pandas' to_csv keeps the index: a first column with an empty header.
    assert.equal(s.trainingFileHeader, ',USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE');
    assert.deepEqual(s.eventTypes, ['Click', 'Watch']);
    assert.ok(s.rows >= 1000, `${s.rows} interactions: Trending-Now needs 1,000`);

    const recipeArn = 'arn:aws:personalize:::recipe/aws-trending-now';
    assert.equal(s.solution.recipeArn, recipeArn);
    assert.deepEqual(s.solution.solutionConfig.featureTransformationParameters, { trend_discovery_frequency: '30 minutes' });
    const v = s.solutionVersion;
    assert.equal(v.status, 'ACTIVE', `${v.statuses.join(' → ')}: ${v.failureReason}`);
    assert.ok(
      v.statuses.every((x) => ['CREATE PENDING', 'CREATE IN_PROGRESS', 'ACTIVE'].includes(x)),
      v.statuses.join(' → '),
    );
    assert.equal(v.trainingMode, 'FULL');
    assert.equal(v.recipeArn, recipeArn);
    assert.deepEqual(v.solutionConfig.featureTransformationParameters, { trend_discovery_frequency: '30 minutes' });
    assert.equal(s.campaign, 'ACTIVE');

    // The same list for everyone, no scores (rule 94), 25 items as asked, each a known movie.
    const b = s.before;
    assert.match(b.recommendationId, /^RID-[0-9a-f-]{36}$/);
    assert.equal(b.itemIds.length, 25);
    assert.equal(new Set(b.itemIds).size, 25);
    assert.equal(b.scores, 0);
    assert.equal(b.titles.length, 25, 'every recommended movie has a title in movies.csv');
    // The last half hour of the bulk data against the one before: the three rising movies lead,
    // fastest first (1 → 15, 2 → 10, 3 → 6 five-star ratings); not the most popular movies.
    const { rising, steady, falling } = s.trendingInBulk;
    assert.deepEqual(b.itemIds.slice(0, 3), rising, b.itemIds.join(','));
    assert.ok(!b.itemIds.slice(0, 3).includes(steady[0]) && !b.itemIds.slice(0, 3).includes(falling[0]));
    // Trending, not popular: two of the three are not among the ten most interacted-with movies.
    assert.ok(rising.filter((m) => !s.mostPopular.includes(m)).length >= 2, `most popular: ${s.mostPopular.join(',')}`);
  });

  it('after the PutEvents and the trend discovery frequency, the events’ movies lead the list, without a new solution version', () => {
    assert.equal(s.eventTracker, 'ACTIVE');
    assert.equal(s.putEvents, 2 * 10 * 10);
    assert.equal(s.waitAcknowledged, true, 'the test answered the notebook’s wait');
    const a = s.after;
    assert.equal(a.itemIds.length, 25);
    assert.equal(a.scores, 0);
    assert.equal(a.titles.length, 25);
    assert.equal(s.solutionVersions, 1, 'no new solution version');
    // The clean-up cells: campaign, solution, event tracker, dataset, schema, then the group.
    assert.equal(s.cleanup.deleted.length, 6, s.cleanup.deleted.join('; '));
    assert.equal(s.cleanup.datasetGroup, 'ResourceNotFoundException');
    assert.deepEqual(s.cleanup.schemasLeft, []);
    // Each sampled movie got 20 Watch events per occurrence in the sample, all in the last half
    // hour: they lead, whatever trended in the bulk data, and the bulk data's rising movies that
    // were not streamed follow them.
    const streamed = new Set(s.itemsRand);
    const lead = a.itemIds.slice(0, streamed.size);
    assert.deepEqual(new Set(lead), streamed, `after: ${a.itemIds.join(',')}; put: ${s.itemsRand.join(',')}`);
    assert.notDeepEqual(a.itemIds, s.before.itemIds);
    for (const m of s.trendingInBulk.rising.filter((x) => !streamed.has(x))) {
      const at = a.itemIds.indexOf(m);
      assert.ok(at === -1 || at >= streamed.size, `${m} at ${at}`);
    }
  });
});
