// AWS's promotions notebook (aws-samples/amazon-personalize-samples,
// next_steps/core_use_cases/filters/promotions/Promotions.ipynb) and the deletion cells of its
// Clean_Up_Resources.ipynb, their boto3 code as written, run by the machine's python3 against the
// service (test/api/boto3_notebook_promotions.py): an ECOMMERCE dataset group, its Interactions and
// Items imported, the "Recommended for you" recommender, a dynamic CATEGORY_L2 filter, and
// GetRecommendations for user 777 with the filter, with a promotion and with both; then every
// resource deleted. The JSON summary the script prints is asserted here.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runNotebook } from '../testkit/python-notebook.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';

interface Item {
  itemId: string;
  promotionName: string | null;
  category: string | null;
  score: number | null;
}

interface Answer {
  items: Item[];
  shownCategories: string[];
}

interface Summary {
  datasetGroup: string;
  imports: { interactions: [string, string | null]; items: [string, string | null] };
  trainingFileHeaders: { interactions: string; items: string };
  domainRecipes: string[];
  recommender: string;
  filter: string;
  recommendersBeforeCleanup: Record<string, string>;
  filtersBeforeCleanup: Record<string, string>;
  categoryCounts: Record<string, number>;
  purchasedBy777: string[];
  answers: Record<'plain' | 'filtered' | 'promoted' | 'combined' | 'sevenAt30', Answer>;
  cleanup: { deleted: string[]; datasetGroupNotFoundAnswers: number; datasetGroup: string; schemas: Record<string, string> };
}

describe("AWS's promotions notebook, its cells as written (boto3)", () => {
  let svc: TestService;
  const scratchRoot = mkdtempSync(join(tmpdir(), 'openpersonalize-notebooks-'));
  before(async () => {
    svc = await startTestService();
  });
  after(async () => {
    await svc.close();
    rmSync(scratchRoot, { recursive: true, force: true });
  });

  it('filters/promotions/Promotions: "Recommended for you" with a CATEGORY_L2 filter, a 20% "halloween" promotion and both; then Clean_Up_Resources', async () => {
    const s = await runNotebook<Summary>(svc, 'boto3_notebook_promotions.py', '210000000022', scratchRoot);
    assert.equal(s.datasetGroup, 'ACTIVE');
    // Both files as DataFrame.to_csv() writes them (an unnamed index column; the items keep PROMOTED).
    assert.deepEqual(s.trainingFileHeaders, {
      interactions: ',ITEM_ID,USER_ID,EVENT_TYPE,TIMESTAMP',
      items: ',ITEM_ID,PRICE,CATEGORY_L1,CATEGORY_L2,GENDER,PROMOTED',
    });
    assert.deepEqual(s.imports, { interactions: ['ACTIVE', null], items: ['ACTIVE', null] });
    assert.ok(s.domainRecipes.includes('arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you'), s.domainRecipes.join(', '));
    assert.equal(s.recommender, 'ACTIVE');
    assert.equal(s.filter, 'ACTIVE');
    assert.deepEqual(s.recommendersBeforeCleanup, { recommended_for_you_demo: 'ACTIVE' });
    assert.deepEqual(s.filtersBeforeCleanup, { category_filter: 'ACTIVE' });
    assert.equal(s.categoryCounts.halloween, 30);
    assert.equal(s.categoryCounts.decorative, 30);
    assert.ok(s.purchasedBy777.length > 0);

    const { plain, filtered, promoted, combined, sevenAt30 } = s.answers;
    const ids = (items: Item[]) => items.map((i) => i.itemId);
    const promotedOf = (a: Answer) => a.items.filter((i) => i.promotionName !== null);
    const ordinaryOf = (a: Answer) => a.items.filter((i) => i.promotionName === null);
    for (const [name, a] of Object.entries(s.answers)) {
      // Every item is one of the catalog's, once, and the notebook's lookup found its category.
      assert.equal(new Set(ids(a.items)).size, a.items.length, `${name}: ${ids(a.items).join(',')}`);
      assert.ok(
        a.items.every((i) => i.category !== null),
        name,
      );
      assert.deepEqual(
        a.shownCategories,
        a.items.map((i) => i.category),
        name,
      );
      // "Recommended for you" leaves out what the user purchased, promoted items included.
      assert.deepEqual(
        a.items.filter((i) => s.purchasedBy777.includes(i.itemId)),
        [],
        name,
      );
      // A domain recommender gives no scores; a promotion names only the items it placed.
      assert.ok(
        a.items.every((i) => i.score === null),
        name,
      );
      for (const i of promotedOf(a)) assert.equal(i.promotionName, 'halloween_promotion', `${name}: ${i.itemId}`);
    }
    // Without a promotion nothing carries promotionName.
    assert.equal(plain.items.length, 20);
    assert.deepEqual(promotedOf(plain), []);
    // The filter alone: 20 items, all CATEGORY_L2 "halloween" (30 exist, none bought by user 777).
    assert.equal(filtered.items.length, 20);
    assert.deepEqual(promotedOf(filtered), []);
    assert.ok(
      filtered.items.every((i) => i.category === 'halloween'),
      filtered.shownCategories.join(','),
    );
    // The promotion: ⌊20 × 20 / 100⌋ = 4 of the 20 places, each item passing the promotion's filter
    // (and among the user's best "halloween" items, as the filtered answer ranks them); the other
    // 16 are the user's ordinary recommendations, without promotionName.
    assert.equal(promoted.items.length, 20);
    assert.equal(promotedOf(promoted).length, Math.floor((20 * 20) / 100));
    for (const i of promotedOf(promoted)) {
      assert.equal(i.category, 'halloween', i.itemId);
      assert.ok(ids(filtered.items).includes(i.itemId), i.itemId);
    }
    assert.equal(ordinaryOf(promoted).length, 16);
    // The ordinary recommendations are not all "halloween" (the seasonal items are rarely looked at):
    // the promotion is what puts them there.
    assert.ok(
      ordinaryOf(promoted).some((i) => i.category !== 'halloween'),
      promoted.shownCategories.join(','),
    );
    // Filter and promotion: the request's filter ("decorative") holds the ordinary items only, the
    // promotion's ("halloween") the promoted ones — the same four as without the request's filter.
    assert.equal(combined.items.length, 20);
    assert.equal(promotedOf(combined).length, 4);
    assert.ok(
      promotedOf(combined).every((i) => i.category === 'halloween'),
      combined.shownCategories.join(','),
    );
    assert.deepEqual(ids(promotedOf(combined)).sort(), ids(promotedOf(promoted)).sort());
    assert.equal(ordinaryOf(combined).length, 16);
    assert.ok(
      ordinaryOf(combined).every((i) => i.category === 'decorative'),
      combined.shownCategories.join(','),
    );
    // Not in the notebook: 30% of 7 is 2.1 places, rounded down to 2.
    assert.equal(sevenAt30.items.length, 7);
    assert.equal(promotedOf(sevenAt30).length, Math.floor((7 * 30) / 100));
    assert.ok(promotedOf(sevenAt30).every((i) => i.category === 'halloween'));

    // Clean_Up_Resources: the recommender, the filter, both datasets, their schemas, the group.
    assert.deepEqual([...s.cleanup.deleted].sort(), ['dataset', 'dataset', 'dataset group', 'filter', 'recommender', 'schema', 'schema']);
    assert.equal(s.cleanup.datasetGroup, 'ResourceNotFoundException');
    assert.deepEqual(s.cleanup.schemas, {
      'personalize-ecommerce-interatn_group': 'ResourceNotFoundException',
      'personalize-ecommerce-item_group': 'ResourceNotFoundException',
    });
  });
});
