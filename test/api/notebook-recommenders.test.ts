// The ECOMMERCE recommender notebook of AWS's samples (aws-samples/amazon-personalize-samples,
// getting_started/notebooks_managed_domains/Building_Your_First_Recommender_Ecommerce.ipynb), its
// boto3 code as written, run by the machine's python3 (test/testkit/python-notebook.ts): the
// Retail Demo Store's interactions in shape, written with pandas' index column as the notebook
// writes them, imported into an ECOMMERCE group; its two recommenders trained and answering. The
// Video-On-Demand notebook runs in notebook-data.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runNotebook } from '../testkit/python-notebook.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';

interface Answer {
  descriptions: string[];
  scores: number;
  purchasedByUser: string[];
}

describe("AWS's ECOMMERCE recommender notebook, as written (boto3)", () => {
  let svc: TestService;
  const scratchRoot = mkdtempSync(join(tmpdir(), 'openpersonalize-notebooks-'));
  before(async () => {
    svc = await startTestService();
  });
  after(async () => {
    await svc.close();
    rmSync(scratchRoot, { recursive: true, force: true });
  });

  it('notebooks_managed_domains/Building_Your_First_Recommender_Ecommerce: Customers who viewed X also viewed, Recommended for you', async () => {
    const s = await runNotebook<{
      import: { status: string; failureReason?: string };
      eventTypes: Record<string, number>;
      trainingFileHeader: string;
      domainRecipes: string[];
      recommenders: Record<string, { status: string; recipeArn: string }>;
      sanityCheck: string;
      viewedX: Answer & { column: string; sameCategory: number };
      forYou: Answer & { inUsersCategories: number };
    }>(svc, 'boto3_notebook_ecommerce.py', '210000000102', scratchRoot);
    assert.equal(s.trainingFileHeader, ',ITEM_ID,USER_ID,EVENT_TYPE,TIMESTAMP', "pandas' index column comes first");
    assert.equal(s.import.status, 'ACTIVE', s.import.failureReason);
    assert.deepEqual(Object.keys(s.eventTypes).sort(), ['Purchase', 'View']);
    assert.equal(s.domainRecipes.length, 5);
    assert.ok(s.domainRecipes.every((r) => r.startsWith('arn:aws:personalize:::recipe/aws-ecomm-')));
    assert.deepEqual(s.recommenders, {
      viewed_x_also_viewed_demo: {
        status: 'ACTIVE',
        recipeArn: 'arn:aws:personalize:::recipe/aws-ecomm-customers-who-viewed-x-also-viewed',
      },
      recommended_for_you_demo: { status: 'ACTIVE', recipeArn: 'arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you' },
    });
    assert.notEqual(s.sanityCheck, 'Error obtaining item description');
    assert.notEqual(s.viewedX.column, 'Error obtaining item description');
    for (const [answer, n] of [
      [s.viewedX, 10],
      [s.forYou, 20],
    ] as const) {
      assert.equal(answer.descriptions.length, n);
      assert.ok(answer.descriptions.every((d) => d !== 'Error obtaining item description'));
      assert.equal(answer.scores, 0, 'domain recommenders give no scores');
      assert.deepEqual(answer.purchasedByUser, [], 'what user 777 purchased is filtered out');
    }
    // Users keep to two of six categories: what others viewed with an item is mostly of its category,
    // and what user 777 is recommended mostly of 777's two.
    assert.ok(s.viewedX.sameCategory >= 6, `${s.viewedX.sameCategory} of 10 of the item's category`);
    assert.ok(s.forYou.inUsersCategories >= 12, `${s.forYou.inUsersCategories} of 20 in the user's categories`);
  });
});
