// The data cells of AWS's own sample notebooks (aws-samples/amazon-personalize-samples) that the
// other notebook tests do not run already, their boto3 code as written, run by the machine's
// python3 (test/testkit/python-notebook.ts): the Video-On-Demand recommender notebook's Domain
// dataset group, three domain schemas, datasets and imports (its items.csv carries a YEAR column the
// schema does not declare, empty where a title has no year).
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

  it('notebooks_managed_domains/Building_Your_First_Recommender_Video_On_Demand: a VIDEO_ON_DEMAND group, its three datasets imported', async () => {
    const s = await runNotebook<{
      datasetGroup: { status: string; domain: string };
      imports: Record<string, { status: string; failureReason?: string }>;
      rows: Record<string, number>;
      itemsWithoutYear: number;
      itemsHeader: string[];
      domainRecipes: string[];
      datasets: Record<string, string>;
    }>(svc, 'boto3_notebook_vod_data.py', '210000000101', scratchRoot);
    assert.deepEqual(s.datasetGroup, { status: 'ACTIVE', domain: 'VIDEO_ON_DEMAND' });
    for (const [name, job] of Object.entries(s.imports)) assert.equal(job.status, 'ACTIVE', `${name}: ${job.failureReason}`);
    assert.deepEqual(Object.keys(s.imports).sort(), ['interactions', 'items', 'users']);
    assert.deepEqual(s.itemsHeader, ['ITEM_ID', 'GENRES', 'YEAR', 'CREATION_TIMESTAMP'], 'the undeclared YEAR column is in the file');
    assert.ok(s.itemsWithoutYear > 0, 'some titles have no year');
    assert.ok(s.rows.interactions > 3000 && s.rows.items === 400 && s.rows.users > 200, JSON.stringify(s.rows));
    assert.deepEqual(s.datasets, { INTERACTIONS: 'ACTIVE', ITEMS: 'ACTIVE', USERS: 'ACTIVE' });
    assert.deepEqual(
      s.domainRecipes,
      ['aws-vod-because-you-watched-x', 'aws-vod-more-like-x', 'aws-vod-most-popular', 'aws-vod-top-picks', 'aws-vod-trending-now']
        .map((r) => `arn:aws:personalize:::recipe/${r}`)
        .sort(),
    );
  });
});
