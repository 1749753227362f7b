// The data cells of AWS's own sample notebooks (aws-samples/amazon-personalize-samples) that the
// other notebook tests do not run already, their boto3 code as written, run by the machine's
// python3 (test/testkit/python-notebook.ts): the Video-On-Demand recommender notebook's Domain
// dataset group, three domain schemas, datasets and imports (its items.csv carries a YEAR column the
// schema does not declare, empty where a title has no year), then its two recommenders (More like X,
// Top picks for you) trained and answering with what the user has not watched.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runNotebook } from '../testkit/python-notebook.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';

describe("AWS's sample notebooks, data cells as written (boto3)", () => {
  let svc: TestService;
  const scratchRoot = mkdtempSync(join(tmpdir(), 'openpersonalize-notebooks-'));
  before(async () => {
    svc = await startTestService();
  });
  after(async () => {
    await svc.close();
    rmSync(scratchRoot, { recursive: true, force: true });
  });

  it('notebooks_managed_domains/Building_Your_First_Recommender_Video_On_Demand: a VIDEO_ON_DEMAND group, its three datasets imported, its two recommenders', async () => {
    const s = await runNotebook<{
      datasetGroup: { status: string; domain: string };
      imports: Record<string, { status: string; failureReason?: string }>;
      rows: Record<string, number>;
      itemsWithoutYear: number;
      itemsHeader: string[];
      domainRecipes: string[];
      datasets: Record<string, string>;
      recommenders: Record<string, { status: string; recipeArn: string }>;
      modelMetrics: Record<string, number>;
      moreLikeX: { column: string; titles: string[]; scores: number; watchedByUser: string[]; sharingAGenre: number };
      topPicks: { column: string; titles: string[]; scores: number; watchedByUser: string[] };
    }>(svc, 'boto3_notebook_vod_data.py', '210000000101', scratchRoot);
    assert.deepEqual(s.datasetGroup, { status: 'ACTIVE', domain: 'VIDEO_ON_DEMAND' });
    for (const [name, job] of Object.entries(s.imports)) assert.equal(job.status, 'ACTIVE', `${name}: ${job.failureReason}`);
    assert.deepEqual(Object.keys(s.imports).sort(), ['interactions', 'items', 'users']);
    assert.deepEqual(s.itemsHeader, ['ITEM_ID', 'GENRES', 'YEAR', 'CREATION_TIMESTAMP'], 'the undeclared YEAR column is in the file');
    assert.ok(s.itemsWithoutYear > 0, 'some titles have no year');
    assert.ok(s.rows.interactions > 3000 && s.rows.items === 401 && s.rows.users > 200, JSON.stringify(s.rows));
    assert.deepEqual(s.datasets, { INTERACTIONS: 'ACTIVE', ITEMS: 'ACTIVE', USERS: 'ACTIVE' });
    assert.deepEqual(
      s.domainRecipes,
      ['aws-vod-because-you-watched-x', 'aws-vod-more-like-x', 'aws-vod-most-popular', 'aws-vod-top-picks', 'aws-vod-trending-now']
        .map((r) => `arn:aws:personalize:::recipe/${r}`)
        .sort(),
    );
    // The recommender cells.
    assert.deepEqual(s.recommenders, {
      because_you_watched_x: { status: 'ACTIVE', recipeArn: 'arn:aws:personalize:::recipe/aws-vod-more-like-x' },
      top_picks_for_you: { status: 'ACTIVE', recipeArn: 'arn:aws:personalize:::recipe/aws-vod-top-picks' },
    });
    assert.equal(Object.keys(s.modelMetrics).length, 8);
    assert.equal(s.moreLikeX.column, 'Iron Man (2008)');
    assert.match(s.topPicks.column, /^111 \((female|male)\)$/);
    for (const r of [s.moreLikeX, s.topPicks]) {
      assert.equal(r.titles.length, 20);
      assert.ok(
        r.titles.every((t) => t !== 'Error obtaining title'),
        'every recommended movie is in movies.csv',
      );
      assert.equal(r.scores, 0, 'domain recommenders give no scores');
      assert.deepEqual(r.watchedByUser, [], 'what the user watched is filtered out');
    }
    // 31 % of the movies share a genre with Iron Man (Action, Adventure, Sci-Fi): More like X finds twice as many.
    assert.ok(s.moreLikeX.sharingAGenre >= 10, `movies like Iron Man share a genre with it: ${s.moreLikeX.sharingAGenre} of 20`);
  });
});
