// AWS's unstructured-text notebook (aws-samples/amazon-personalize-samples,
// next_steps/core_use_cases/metadata/item-text-unstructured-metadata.ipynb), its boto3 cells as
// written, run by the machine's python3 against the service (test/api/boto3_notebook_item_text.py):
// Prime Pantry-shaped reviews above 3 stars as Interactions, the products' metadata cleaned of HTML
// as Items, in two dataset groups: "amazon-pantry-without-desc" (ITEM_ID, BRAND, PRICE) and
// "amazon-pantry-with-desc" (the same and DESCRIPTION, "textual": True), one Interactions schema
// shared by both; an aws-user-personalization solution in each, trained side by side, the notebook's
// trainingHours difference and its "% Change" table of the offline metrics. The notebook's clean-up
// is a gist to run locally: the script runs a module of its own instead. The script adds an export
// of the Items dataset with descriptions, a campaign of each version and GetRecommendations for 20
// reviewers (the "online inspection" the notebook announces), and the describes after the clean-up.
// Asserted here: what the service built, that the text column was accepted and imported as written,
// the metrics' names and the table, that the lists follow the reviewers' tastes, that the clean-up
// left nothing.
//
// Not asserted: that the descriptions improve the metrics, as they do on AWS (+22 % to +45 % in the
// notebook's table). The service's User-Personalization model mixes a graph of the Items metadata
// (textual tokens included) into its item graph only when that scores clearly better on held-out
// users (src/training/models/metadata-graph.ts), which depends on the data.
//
// The data (see the script): 800 products in 16 pantry categories, each described with phrases of
// its category; 2,400 reviewers who each keep mostly to one or two categories.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { METRIC_NAMES } from '../../src/training/metrics/ranking-metrics.ts';
import { runNotebook } from '../testkit/python-notebook.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';

const ACCOUNT = '210000000029';
const RECIPE = 'arn:aws:personalize:::recipe/aws-user-personalization';
const ARN = `arn:aws:personalize:us-east-1:${ACCOUNT}`;
// The notebook's table: its row names and the GetSolutionMetrics key of each, in its order.
const TABLE: [string, (typeof METRIC_NAMES)[number]][] = [
  ['Coverage', 'coverage'],
  ['MRR-25', 'mean_reciprocal_rank_at_25'],
  ['NDCG-5', 'normalized_discounted_cumulative_gain_at_5'],
  ['NDCG-10', 'normalized_discounted_cumulative_gain_at_10'],
  ['NDCG-25', 'normalized_discounted_cumulative_gain_at_25'],
  ['Precision-5', 'precision_at_5'],
  ['Precision-10', 'precision_at_10'],
  ['Precision-25', 'precision_at_25'],
];

type Group = 'without' | 'with';
type DatasetKey = 'interactionsWithout' | 'interactionsWith' | 'itemsWithout' | 'itemsWith';
type SchemaKey = 'interactions' | 'itemsWithout' | 'itemsWith';
interface Field {
  name: string;
  type: string | string[];
  categorical?: boolean;
  textual?: boolean;
}

interface Summary {
  datasetGroups: Record<Group, string>;
  groupArns: Record<Group, string>;
  datasets: Record<DatasetKey, { status: string; datasetType: string; schemaArn: string; datasetGroupArn: string }>;
  imports: Record<DatasetKey, [string, string | null]>;
  schemas: Record<SchemaKey, { name: string; schema: { name: string; fields: Field[] } }>;
  schemaArns: Record<SchemaKey, string>;
  files: {
    reviews: number;
    metaRows: number;
    interactionsHeader: string;
    interactionsRows: string[];
    interactions: number;
    positiveShare: number;
    users: number;
    items: number;
    withDescHeader: string[];
    withDescRows: number;
    withDescSample: string[][];
    withoutDescHeader: string;
    withoutDescRows: number;
    markupLeft: number;
    emptyDescriptions: number;
    quotedDescriptions: number;
    nonAsciiDescriptions: number;
    noPrice: number;
    descriptionCategories: Record<string, number>;
  };
  arbTimestamp: { unix: number; utc: string };
  recipes: string[];
  solutions: Record<
    Group,
    {
      name: string;
      status: string;
      recipeArn: string;
      datasetGroupArn: string;
      performHPO: boolean;
      solutionConfig: unknown;
      version: {
        arn: string;
        status: string;
        trainingMode: string;
        trainingHours: number;
        recipeArn: string;
        failureReason: string | null;
      };
    }
  >;
  trainingHours: { without: number; with: number; diff: number };
  metricsTable: Record<string, [number, number, string]>;
  solutionMetrics: Record<Group, { keys: string[]; metrics: Record<string, number>; solutionVersionArn: boolean }>;
  export: {
    header: string[];
    rows: number;
    fileRows: number;
    descriptionsEqual: number;
    brandsEqual: number;
    withDescription: number;
    exportedWithDescription: number;
    files: string[];
  };
  campaigns: Record<Group, { name: string; status: string; minProvisionedTPS: number; solutionVersionArn: string }>;
  recommendations: {
    users: number;
    usersKnown: number;
    listLengths: Record<Group, number[]>;
    distinctPerList: Record<Group, number[]>;
    unknownItems: Record<Group, string[]>;
    preferredShare: Record<Group, number>;
    catalogShare: number;
    sameLists: number;
    firstUser: { user: string; preferred: string[]; titles: Record<Group, string[]> };
  };
  cleanupLog: string[];
  afterCleanup: {
    campaigns: Record<Group, string>;
    solutions: Record<Group, string>;
    solutionVersions: Record<Group, string>;
    datasets: Record<DatasetKey, string>;
    schemas: Record<SchemaKey, string>;
    datasetGroups: Record<Group, string>;
    listed: Record<'datasetGroups' | 'schemas' | 'solutions' | 'campaigns' | 'datasets', number>;
  };
}

describe("AWS's unstructured item text notebook, its cells as written (boto3)", () => {
  let svc: TestService;
  const scratchRoot = mkdtempSync(join(tmpdir(), 'openpersonalize-notebooks-'));
  let s: Summary;
  before(async () => {
    svc = await startTestService();
    s = await runNotebook<Summary>(svc, 'boto3_notebook_item_text.py', ACCOUNT, scratchRoot, 90_000);
  });
  after(async () => {
    await svc.close();
    rmSync(scratchRoot, { recursive: true, force: true });
  });

  it('writes the notebook files: positive reviews as interactions, items with and without the description cleaned of markup', () => {
    const f = s.files;
    // to_csv(index=False, float_format='%.0f'): the renamed columns, EVENT_VALUE 4 or 5 (overall > 3).
    assert.equal(f.interactionsHeader, 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_VALUE,EVENT_TYPE');
    for (const row of f.interactionsRows) assert.match(row, /^A[A-Z0-9]{12,13},B0[A-Z0-9]{8},1\d{9},[45],reviewed$/, row);
    assert.ok(f.interactions >= 10_000 && f.interactions < f.reviews, JSON.stringify(f));
    assert.ok(f.users >= 2000, JSON.stringify(f));
    // unixReviewTime is a day at midnight UTC, as the notebook's check prints it.
    assert.match(s.arbTimestamp.utc, /^201[4-8]-\d\d-\d\d 00:00:00$/);
    assert.equal(new Date(`${s.arbTimestamp.utc.replace(' ', 'T')}Z`).getTime() / 1000, s.arbTimestamp.unix);
    // drop_duplicates(subset=['asin']): one product was listed twice.
    assert.equal(f.metaRows, 801);
    assert.equal(f.withDescRows, 800);
    assert.equal(f.withoutDescRows, 800);
    assert.deepEqual(f.withDescHeader, ['ITEM_ID', 'BRAND', 'PRICE', 'DESCRIPTION']);
    assert.equal(f.withoutDescHeader, 'ITEM_ID,BRAND,PRICE');
    // clean_and_reformat_description: the fragments joined, no markup, no entity, no run of spaces;
    // each description names its own category's phrases; some have none, quotes or a ™.
    assert.equal(f.markupLeft, 0);
    assert.ok(f.emptyDescriptions > 0 && f.emptyDescriptions < 100, JSON.stringify(f));
    assert.deepEqual(f.descriptionCategories, { own: 800 - f.emptyDescriptions, empty: f.emptyDescriptions });
    assert.ok(f.quotedDescriptions > 100 && f.nonAsciiDescriptions > 50, JSON.stringify(f));
    for (const [id, brand, price, description] of f.withDescSample) {
      assert.match(id, /^B0[A-Z0-9]{8}$/);
      assert.ok(brand.length > 0);
      assert.match(price, /^(\d+\.\d\d)?$/, price);
      // BRAND is kept as the file has it (M&amp;M'S); the description begins with it, cleaned.
      if (description !== '') assert.ok(description.startsWith(brand.replace('&amp;', '&')), description);
    }
    // convert_price: an empty price or a range is NaN, written as an empty cell.
    assert.ok(f.noPrice > 200 && f.noPrice < 400, JSON.stringify(f));
  });

  it('creates the two dataset groups, one shared Interactions schema and an Items schema with DESCRIPTION textual, and imports all four files', () => {
    assert.deepEqual(s.datasetGroups, { without: 'ACTIVE', with: 'ACTIVE' });
    assert.deepEqual(s.groupArns, {
      without: `${ARN}:dataset-group/amazon-pantry-without-desc`,
      with: `${ARN}:dataset-group/amazon-pantry-with-desc`,
    });
    const ok: [string, null] = ['ACTIVE', null];
    assert.deepEqual(s.imports, { interactionsWithout: ok, interactionsWith: ok, itemsWithout: ok, itemsWith: ok });
    const d = s.datasets;
    for (const [key, group, type, schema] of [
      ['interactionsWithout', 'without', 'INTERACTIONS', 'interactions'],
      ['interactionsWith', 'with', 'INTERACTIONS', 'interactions'],
      ['itemsWithout', 'without', 'ITEMS', 'itemsWithout'],
      ['itemsWith', 'with', 'ITEMS', 'itemsWith'],
    ] as const) {
      assert.deepEqual(
        d[key],
        { status: 'ACTIVE', datasetType: type, schemaArn: s.schemaArns[schema], datasetGroupArn: s.groupArns[group] },
        key,
      );
    }
    // The schemas as the notebook wrote them: DESCRIPTION ["null", "string"], textual.
    assert.deepEqual(Object.fromEntries(Object.entries(s.schemas).map(([k, v]) => [k, v.name])), {
      interactions: 'amazon-pantry-interactions',
      itemsWithout: 'amazon-pantry-item-without-desc-schema',
      itemsWith: 'amazon-pantry-item-with-desc-schema',
    });
    const brand: Field = { name: 'BRAND', type: ['null', 'string'], categorical: true };
    const price: Field = { name: 'PRICE', type: ['null', 'float'] };
    assert.deepEqual(s.schemas.itemsWithout.schema.fields, [{ name: 'ITEM_ID', type: 'string' }, brand, price]);
    assert.deepEqual(s.schemas.itemsWith.schema.fields, [
      { name: 'ITEM_ID', type: 'string' },
      brand,
      price,
      { name: 'DESCRIPTION', type: ['null', 'string'], textual: true },
    ]);
    assert.deepEqual(
      s.schemas.interactions.schema.fields.map((x) => x.name),
      ['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'EVENT_VALUE', 'EVENT_TYPE'],
    );
  });

  it('keeps the descriptions as imported: an export of the Items dataset gives back every DESCRIPTION as written', () => {
    const e = s.export;
    assert.deepEqual(e.header, ['ITEM_ID', 'BRAND', 'PRICE', 'DESCRIPTION']);
    assert.deepEqual(e.files, ['amazon-pantry-with-desc-items-export_part00000.csv']);
    assert.equal(e.rows, 800);
    assert.equal(e.fileRows, 800);
    assert.equal(e.descriptionsEqual, 800);
    assert.equal(e.brandsEqual, 800);
    assert.equal(e.exportedWithDescription, e.withDescription);
    assert.equal(e.withDescription, 800 - s.files.emptyDescriptions);
  });

  it("trains aws-user-personalization in each group and reports trainingHours for the notebook's comparison", () => {
    assert.ok(s.recipes.includes(RECIPE));
    for (const key of ['without', 'with'] as const) {
      const sol = s.solutions[key];
      assert.equal(sol.name, `amazon-pantry-${key}-desc-userpersonalization`);
      assert.equal(sol.status, 'ACTIVE');
      assert.equal(sol.recipeArn, RECIPE);
      assert.equal(sol.datasetGroupArn, s.groupArns[key]);
      assert.equal(sol.performHPO, false);
      assert.equal(sol.version.status, 'ACTIVE', `${key}: ${sol.version.failureReason}`);
      assert.equal(sol.version.trainingMode, 'FULL');
      assert.equal(sol.version.recipeArn, RECIPE);
      assert.match(sol.version.arn, new RegExp(`^${ARN}:solution/amazon-pantry-${key}-desc-userpersonalization/[0-9a-f]{8}$`));
      assert.ok(sol.version.trainingHours > 0, JSON.stringify(sol.version));
    }
    const h = s.trainingHours;
    assert.equal(h.without, s.solutions.without.version.trainingHours);
    assert.equal(h.with, s.solutions.with.version.trainingHours);
    assert.equal(h.diff, (h.with - h.without) / h.without);
  });

  it("reports the eight metrics the notebook's table reads; both groups train the same model (it does not read the Items dataset)", () => {
    for (const key of ['without', 'with'] as const) {
      const m = s.solutionMetrics[key];
      assert.equal(m.solutionVersionArn, true);
      assert.deepEqual(m.keys, [...METRIC_NAMES].sort(), key);
      for (const [name, value] of Object.entries(m.metrics)) assert.ok(value >= 0 && value <= 1, `${key} ${name} ${value}`);
      assert.ok(m.metrics.normalized_discounted_cumulative_gain_at_25 > 0.1, JSON.stringify(m.metrics));
      assert.ok(m.metrics.coverage > 0.5, JSON.stringify(m.metrics));
    }
    // The "% Change" table: [Without Text, With Text, "{:.2%}" of the change] per metric.
    assert.deepEqual(
      Object.keys(s.metricsTable),
      TABLE.map(([row]) => row),
    );
    for (const [row, key] of TABLE) {
      const [without, withText, change] = s.metricsTable[row];
      assert.equal(without, s.solutionMetrics.without.metrics[key], row);
      assert.equal(withText, s.solutionMetrics.with.metrics[key], row);
      assert.equal(change, `${(((withText - without) / without) * 100).toFixed(2)}%`, row);
    }
  });

  it('serves both versions from campaigns: 25 known products for each sampled reviewer, mostly from the categories they review', () => {
    for (const key of ['without', 'with'] as const) {
      const c = s.campaigns[key];
      assert.equal(c.name, `amazon-pantry-${key}-desc-campaign`);
      assert.equal(c.status, 'ACTIVE');
      assert.equal(c.minProvisionedTPS, 1);
      assert.equal(c.solutionVersionArn, s.solutions[key].version.arn);
    }
    const r = s.recommendations;
    assert.equal(r.users, 20);
    assert.equal(r.usersKnown, 20);
    assert.deepEqual(r.listLengths, { without: [25], with: [25] });
    assert.deepEqual(r.distinctPerList, { without: [25], with: [25] });
    assert.deepEqual(r.unknownItems, { without: [], with: [] });
    // A reviewer's one or two categories are about 8 % of the catalog, and most of their lists.
    assert.ok(r.catalogShare < 0.15, JSON.stringify(r));
    for (const key of ['without', 'with'] as const) assert.ok(r.preferredShare[key] >= 0.7, JSON.stringify(r.preferredShare));
    // The titles, cleaned with the notebook's clean_markup.
    for (const title of [...r.firstUser.titles.without, ...r.firstUser.titles.with]) {
      assert.doesNotMatch(title, /<|&amp;|\s{2}/, title);
      assert.match(title, /, (5 Ounce|12 oz|16 oz|1 lb|24 Count|100 Sq Ft|32 fl oz|6 Pack)$/, title);
    }
  });

  it('the clean-up deletes both groups and all in them; the shared Interactions schema goes with the second group', () => {
    const gone = 'ResourceNotFoundException';
    const c = s.afterCleanup;
    assert.deepEqual(c.campaigns, { without: gone, with: gone });
    assert.deepEqual(c.solutions, { without: gone, with: gone });
    assert.deepEqual(c.solutionVersions, { without: gone, with: gone });
    assert.deepEqual(c.datasets, { interactionsWithout: gone, interactionsWith: gone, itemsWithout: gone, itemsWith: gone });
    assert.deepEqual(c.schemas, { interactions: gone, itemsWithout: gone, itemsWith: gone });
    assert.deepEqual(c.datasetGroups, { without: gone, with: gone });
    assert.deepEqual(c.listed, { datasetGroups: 0, schemas: 0, solutions: 0, campaigns: 0, datasets: 0 });
    // DeleteSchema refused the Interactions schema while the other group's dataset used it.
    const log = s.cleanupLog;
    const kept = log.indexOf(`Schema in use by another dataset, kept: ${s.schemaArns.interactions}`);
    const deleted = log.indexOf(`Deleted schema ${s.schemaArns.interactions}`);
    assert.ok(kept >= 0 && deleted > kept, log.join('\n'));
    assert.ok(log.indexOf(`Dataset group deleted ${s.groupArns.without}`) > kept, log.join('\n'));
    assert.ok(log.indexOf(`Deleting dataset group ${s.groupArns.with}`) > deleted, log.join('\n'));
  });
});
