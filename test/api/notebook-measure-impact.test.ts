// AWS's "measuring the business impact of your recommendations" notebook (aws-samples/
// amazon-personalize-samples, next_steps/evaluation/measuring_impact_of_recommendations/
// Measure_Impact_of_Recommendations.ipynb) and the deletion cells of its Clean_Up_Resources.ipynb,
// their boto3 cells as written, run by the machine's python3 against the service
// (test/api/boto3_notebook_measure_impact.py): an ECOMMERCE dataset group whose Items carry a made-up
// MARGIN, a metric attribution (countViews = SAMPLECOUNT() of View, sumMargin = SUM(ITEMS.MARGIN)
// of Purchase, reports to s3://<bucket>/metrics/) created before the imports, the "Recommended for
// you" and "Customers who viewed X also viewed" recommenders, and PutEvents on what they recommended,
// each event attributed to its scenario (metricAttribution.eventAttributionSource); then the
// clean-up, metric attributions included.
//
// The notebook reads the PutEvents figures from CloudWatch, which is not part of this service (and
// to which AWS sends PutEvents figures only; the cells are not run). AWS publishes a metric
// attribution's figures to S3 for bulk imports: the script adds an UpdateMetricAttribution
// (countPurchases) and an INCREMENTAL import with publishAttributionMetricsToS3, whose report is
// checked here against the figures the script computed from the rows it imported. The import
// writes the report before it completes, so nothing is scheduled and no handshake is needed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPORT_HEADER, UNDEFINED_SOURCE, WINDOW_SECONDS } from '../../src/data/engine/attribution-report.ts';
import { runNotebook } from '../testkit/python-notebook.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';

const ACCOUNT = '210000000028';
const GONE = 'ResourceNotFoundException';
const RECOMMENDED_FOR_YOU = 'arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you';
const WHO_VIEWED_X = 'arn:aws:personalize:::recipe/aws-ecomm-customers-who-viewed-x-also-viewed';

interface Metric {
  eventType: string;
  expression: string;
  metricName: string;
}

interface Answer {
  recommender: 'recommended_for_you' | 'who_viewed_x';
  userId: string;
  itemId: string | null;
  numResults: number | null;
  itemCategoryL1: string | null;
  likedCategoriesL1: string[];
  status: number;
  recommendationId: string;
  items: string[];
  scores: number;
  unknownItems: string[];
  categoriesL1: string[];
  purchasedInBulk: string[];
}

interface Summary {
  datasetGroup: string;
  datasetGroupArn: string;
  datasets: { interactions: string; items: string };
  imports: { interactions: [string, string | null]; items: [string, string | null] };
  trainingFileHeaders: { interactions: string; items: string };
  files: { interactions: number; users: number; items: number; eventTypes: Record<string, number>; testProductsInCatalog: number };
  metricAttribution: {
    arn: string;
    before: unknown[];
    statuses: string[];
    described: {
      name: string;
      status: string;
      datasetGroupArn: string;
      metricsOutputConfig: { roleArn: string; s3DataDestination?: { path: string } };
      failureReason: string | null;
    };
    listed: { name: string; status: string }[];
    metricsSent: Metric[];
    metricsAsCreated: Metric[];
    reportsAfterNotebookImports: string[];
    updateStatuses: string[];
    afterUpdate: { status: string; metricsOutputConfig: unknown; failureReason: string | null };
    metricsAfterUpdate: Metric[];
  };
  domainRecipes: string[];
  recommenders: Record<string, { status: string; recipeArn: string; failureReason: string | null }>;
  recommendersBeforeCleanup: Record<string, string>;
  eventTracker: string;
  testProducts: string[];
  shownFor777: { ID: string[]; description: string[]; 'category level 2': string[] };
  recommendations: Answer[];
  recommendationsBeforeEvents: number;
  putEvents: {
    calls: number;
    statuses: number[];
    answers: string[];
    bySource: Record<string, number>;
    byType: Record<string, number>;
    users: string[];
    span: [number, number];
    queryWindow: [number, number];
  };
  cloudWatchFigures: Record<string, Record<string, number>>;
  afterEvents: { purchased: Record<string, string[]>; for555: string[]; for82: string[] };
  publishingImport: {
    status: string;
    failureReason: string | null;
    importMode: string;
    publishAttributionMetricsToS3: boolean;
    name: string;
    created: number;
    rows: number;
    users: number;
    byType: Record<string, number>;
  };
  reports: string[];
  reportLines: string[];
  expectedReport: Record<string, number>;
  cleanup: {
    deleted: string[];
    messages: string[];
    left: {
      datasetGroup: string;
      metricAttribution: string;
      metricAttributionsListed: string[];
      recommenders: string[];
      eventTracker: string;
      datasets: string[];
      schemas: string[];
    };
  };
}

/** The share of a list's items that belong to the given categories. */
const shareIn = (categories: string[], wanted: string[]) => categories.filter((c) => wanted.includes(c)).length / categories.length;

describe("AWS's measuring-impact notebook (Measure_Impact_of_Recommendations), its cells as written (boto3)", () => {
  let svc: TestService;
  const scratchRoot = mkdtempSync(join(tmpdir(), 'openpersonalize-notebooks-'));
  let s: Summary;
  before(async () => {
    svc = await startTestService();
    s = await runNotebook<Summary>(svc, 'boto3_notebook_measure_impact.py', ACCOUNT, scratchRoot, 90_000);
  });
  after(async () => {
    await svc.close();
    rmSync(scratchRoot, { recursive: true, force: true });
  });

  it('imports the Retail-Demo-Store-shaped interactions and the items with their MARGIN into an ECOMMERCE dataset group', () => {
    assert.equal(s.datasetGroup, 'ACTIVE');
    assert.deepEqual(s.datasets, { interactions: 'ACTIVE', items: 'ACTIVE' });
    assert.deepEqual(s.imports, { interactions: ['ACTIVE', null], items: ['ACTIVE', null] });
    // DataFrame.to_csv(): an unnamed index column; the items keep GENDER and PROMOTED, MARGIN last.
    assert.deepEqual(s.trainingFileHeaders, {
      interactions: ',ITEM_ID,USER_ID,EVENT_TYPE,TIMESTAMP',
      items: ',ITEM_ID,PRICE,CATEGORY_L1,CATEGORY_L2,GENDER,PROMOTED,MARGIN',
    });
    assert.equal(s.files.users, 1000);
    assert.equal(s.files.items, 400);
    assert.equal(s.files.testProductsInCatalog, 6);
    assert.deepEqual(Object.keys(s.files.eventTypes).sort(), ['AddToCart', 'Purchase', 'StartCheckout', 'View']);
    assert.ok(s.files.eventTypes.View >= 1000, JSON.stringify(s.files.eventTypes));
  });

  it('creates the metric attribution before the imports with the two metrics as written; imports without publishAttributionMetricsToS3 publish nothing', () => {
    const m = s.metricAttribution;
    assert.deepEqual(m.before, []);
    assert.equal(m.arn, `arn:aws:personalize:us-east-1:${ACCOUNT}:metric-attribution/my-first-metric-attribution`);
    assert.ok(
      m.statuses.every((x) => ['CREATE PENDING', 'CREATE IN_PROGRESS', 'ACTIVE'].includes(x)),
      m.statuses.join(' → '),
    );
    assert.equal(m.statuses.at(-1), 'ACTIVE');
    assert.equal(m.described.name, 'my-first-metric-attribution');
    assert.equal(m.described.status, 'ACTIVE');
    assert.equal(m.described.datasetGroupArn, s.datasetGroupArn);
    assert.equal(m.described.failureReason, null);
    assert.match(m.described.metricsOutputConfig.s3DataDestination?.path ?? '', /^s3:\/\/[^/]+\/metrics\/$/);
    assert.equal(m.described.metricsOutputConfig.roleArn, `arn:aws:iam::${ACCOUNT}:role/${ACCOUNT}measure-impact-recommendations`);
    // ListMetricAttributions without a group lists the account's.
    assert.deepEqual(
      m.listed.map((x) => [x.name, x.status]),
      [['my-first-metric-attribution', 'ACTIVE']],
    );
    // The metrics as sent, the expression as written (SUM(ITEMS.MARGIN): the dataset type in capitals).
    assert.deepEqual(m.metricsSent, [
      { eventType: 'View', expression: 'SAMPLECOUNT()', metricName: 'countViews' },
      { eventType: 'Purchase', expression: 'SUM(ITEMS.MARGIN)', metricName: 'sumMargin' },
    ]);
    assert.deepEqual(m.metricsAsCreated, m.metricsSent);
    assert.deepEqual(m.reportsAfterNotebookImports, []);
  });

  it('trains both recommenders; "Recommended for you" keeps to the user\'s categories, "Customers who viewed X" to the product\'s, neither with purchased items', () => {
    assert.ok(s.domainRecipes.includes(RECOMMENDED_FOR_YOU) && s.domainRecipes.includes(WHO_VIEWED_X), s.domainRecipes.join(', '));
    assert.deepEqual(s.recommenders, {
      recommended_for_you_demo: { status: 'ACTIVE', recipeArn: RECOMMENDED_FOR_YOU, failureReason: null },
      recommended_who_viewed_x: { status: 'ACTIVE', recipeArn: WHO_VIEWED_X, failureReason: null },
    });
    assert.deepEqual(s.recommendersBeforeCleanup, { recommended_for_you_demo: 'ACTIVE', recommended_who_viewed_x: 'ACTIVE' });
    for (const a of s.recommendations) {
      const what = `${a.recommender} for user ${a.userId}${a.itemId ? ` and item ${a.itemId}` : ''}`;
      assert.equal(a.status, 200, what);
      assert.match(a.recommendationId, /^RID-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, what);
      // numResults as asked (25 when not given), each a known item once, no scores (a domain use case).
      assert.equal(a.items.length, a.numResults ?? 25, what);
      assert.equal(new Set(a.items).size, a.items.length, what);
      assert.deepEqual(a.unknownItems, [], what);
      assert.equal(a.scores, 0, what);
      // Both use cases leave out what the user purchased.
      assert.deepEqual(a.purchasedInBulk, [], what);
      if (a.recommender === 'who_viewed_x') {
        assert.ok(a.itemId !== null && !a.items.includes(a.itemId), what);
        // Viewers of X keep to X's category and one other: X's category leads the list.
        assert.ok(shareIn(a.categoriesL1, [a.itemCategoryL1!]) >= 0.5, `${what}: ${a.itemCategoryL1} vs ${a.categoriesL1.join(',')}`);
      } else {
        // The user's two categories hold most of the list.
        assert.ok(
          shareIn(a.categoriesL1, a.likedCategoriesL1) >= 0.5,
          `${what}: ${a.likedCategoriesL1.join('+')} vs ${a.categoriesL1.join(',')}`,
        );
      }
    }
    // The notebook's cells: 777's list (20), 555 on a sampled item (40), five sampled items (the default 25).
    const first = s.recommendations.slice(0, s.recommendationsBeforeEvents);
    assert.deepEqual(
      first.map((a) => [a.recommender, a.userId, a.numResults]),
      [['recommended_for_you', '777', 20], ['who_viewed_x', '555', 40], ...Array.from({ length: 5 }, () => ['who_viewed_x', '555', null])],
    );
    assert.deepEqual(s.shownFor777.ID, first[0].items);
    assert.equal(s.shownFor777['category level 2'].length, 20);
    assert.ok(!s.shownFor777['category level 2'].includes('Error obtaining item category'));
  });

  it('accepts the PutEvents with their two attribution sources, and the purchases they record leave the lists at once', () => {
    assert.equal(s.eventTracker, 'ACTIVE');
    const p = s.putEvents;
    // One event per recommended item: 6 users × 30 "Recommended for you" + 6 products × 30 "viewed X".
    const lists = s.recommendations.slice(s.recommendationsBeforeEvents, s.recommendationsBeforeEvents + 12);
    assert.deepEqual(
      lists.map((a) => [a.recommender, a.userId, a.itemId]),
      [
        ...['555', '100', '120', '444', '70', '82'].map((u) => ['recommended_for_you', u, null]),
        ...s.testProducts.map((x) => ['who_viewed_x', '82', x]),
      ],
    );
    assert.equal(
      p.calls,
      lists.reduce((n, a) => n + a.items.length, 0),
    );
    assert.equal(p.calls, 360);
    assert.deepEqual(p.statuses, [200]);
    assert.deepEqual(p.answers, ['{}']);
    assert.deepEqual(p.bySource, { recommended_for_you: 180, viewed_X_also_viewed: 180 });
    assert.equal(p.byType.View + p.byType.Purchase, 360);
    assert.deepEqual(p.users, ['100', '120', '444', '555', '70', '82']);
    // Backdated 2 minutes per event, within the six hours before the cell ran.
    assert.ok(p.span[1] - p.span[0] <= 6 * 3600 && p.span[1] <= p.queryWindow[1], JSON.stringify(p));
    // What the notebook's CloudWatch queries ask for (per source, per 15 minutes), from the same events.
    const total = (prefix: string) =>
      Object.entries(s.cloudWatchFigures)
        .filter(([k]) => k.startsWith(prefix))
        .reduce((n, [, byWindow]) => n + Object.values(byWindow).reduce((a, b) => a + b, 0), 0);
    assert.equal(total('COUNTVIEWS|'), p.byType.View);
    assert.deepEqual(Object.keys(s.cloudWatchFigures).sort(), [
      'COUNTVIEWS|RECOMMENDED_FOR_YOU',
      'COUNTVIEWS|VIEWED_X_ALSO_VIEWED',
      'SUMMARGIN|RECOMMENDED_FOR_YOU',
      'SUMMARGIN|VIEWED_X_ALSO_VIEWED',
    ]);

    // Right after the events both use cases leave out what the events purchased: items that were in
    // the lists the events were sent on.
    const { purchased, for555, for82 } = s.afterEvents;
    const before555 = lists[0].items.filter((i) => purchased['555'].includes(i));
    const before82 = lists[6].items.filter((i) => purchased['82'].includes(i));
    assert.ok(before555.length > 0 && before82.length > 0, 'the events purchased recommended items');
    assert.equal(for555.length, 30);
    assert.deepEqual(
      for555.filter((i) => purchased['555'].includes(i)),
      [],
    );
    assert.equal(for82.length, 30);
    assert.deepEqual(
      for82.filter((i) => purchased['82'].includes(i)),
      [],
    );
  });

  it('UpdateMetricAttribution adds countPurchases and keeps the output path', () => {
    const m = s.metricAttribution;
    assert.ok(
      m.updateStatuses.every((x) => ['UPDATE PENDING', 'UPDATE IN_PROGRESS', 'ACTIVE'].includes(x)),
      m.updateStatuses.join(' → '),
    );
    assert.equal(m.updateStatuses.at(-1), 'ACTIVE');
    assert.deepEqual(m.afterUpdate, { status: 'ACTIVE', metricsOutputConfig: m.described.metricsOutputConfig, failureReason: null });
    assert.deepEqual(m.metricsAfterUpdate, [
      ...m.metricsSent,
      { eventType: 'Purchase', expression: 'SAMPLECOUNT()', metricName: 'countPurchases' },
    ]);
  });

  it("the publishing import's report holds, per metric and 15-minute window, the figures of the rows it imported", () => {
    const j = s.publishingImport;
    assert.equal(j.status, 'ACTIVE', `${j.failureReason}`);
    assert.equal(j.importMode, 'INCREMENTAL');
    assert.equal(j.publishAttributionMetricsToS3, true);
    assert.equal(j.rows, 1200);
    assert.equal(j.users, 40);
    assert.deepEqual(s.reports, [`AggregatedAttributionMetrics-INCREMENTAL-${j.created}-${j.name}.csv`]);

    const [header, ...lines] = s.reportLines;
    assert.equal(header, REPORT_HEADER);
    // Metric names in capitals, as AWS publishes them (the notebook reads COUNTVIEWS and SUMMARGIN from CloudWatch).
    const metrics = new Map(s.metricAttribution.metricsAfterUpdate.map((m) => [m.metricName.toUpperCase(), m]));
    const figures = new Map<string, number>();
    for (const line of lines) {
      const [name, eventType, value, fn, source, window] = line.split(',');
      const metric = metrics.get(name);
      assert.ok(metric, line);
      assert.equal(eventType, metric.eventType, line);
      assert.equal(fn, metric.expression.startsWith('SUM(') ? 'sum' : 'samplecount', line);
      // The notebook's schema has no EVENT_ATTRIBUTION_SOURCE column.
      assert.equal(source, UNDEFINED_SOURCE, line);
      assert.equal(Number(window) % WINDOW_SECONDS, 0, line);
      assert.ok(!figures.has(`${name}|${window}`), `one row per metric and window: ${line}`);
      figures.set(`${name}|${window}`, Number(value));
    }
    // Every window with events of a metric, and no other; the values as the script computed them.
    assert.deepEqual([...figures.keys()].sort(), Object.keys(s.expectedReport).sort());
    for (const [key, expected] of Object.entries(s.expectedReport)) {
      const got = figures.get(key)!;
      assert.ok(
        Math.abs(got - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
        `${key}: the report says ${got}, the rows give ${expected}`,
      );
    }
    const sum = (name: string) => [...figures].filter(([k]) => k.startsWith(`${name}|`)).reduce((n, [, v]) => n + v, 0);
    assert.equal(sum('COUNTVIEWS'), j.byType.View);
    assert.equal(sum('COUNTPURCHASES'), j.byType.Purchase);
    assert.ok(sum('SUMMARGIN') > 0 && sum('SUMMARGIN') < 10 * j.byType.Purchase);
    // Rows ordered by metric (the attribution's order), then window.
    const order = lines.map((l) => l.split(',')).map(([name, , , , , window]) => [[...metrics.keys()].indexOf(name), Number(window)]);
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a[0] - b[0] || a[1] - b[1]),
    );
  });

  it('the clean-up deletes the recommenders, the event tracker, the metric attribution, the datasets, their schemas and the group', () => {
    assert.deepEqual([...s.cleanup.deleted].sort(), [
      'dataset',
      'dataset',
      'dataset group',
      'event tracker',
      'recommender',
      'recommender',
      'schema',
      'schema',
    ]);
    assert.ok(s.cleanup.messages.includes('All metric attributions have been deleted or none exist for dataset group'));
    assert.deepEqual(s.cleanup.left, {
      datasetGroup: GONE,
      metricAttribution: GONE,
      metricAttributionsListed: [],
      recommenders: [GONE, GONE],
      eventTracker: GONE,
      datasets: [GONE, GONE],
      schemas: [GONE, GONE],
    });
  });
});
