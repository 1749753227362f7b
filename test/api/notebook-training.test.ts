// The training cells of AWS's own sample notebooks (aws-samples/amazon-personalize-samples), their
// boto3 code as written, run by the machine's python3 against the service: the getting-started
// notebook, POC-in-a-box 03 (after 01-02), the two related-items notebooks (SIMS + HPO; SIMS and
// Similar-Items with a textual item description) and the personalized-ranking notebook. Each
// script (test/api/boto3_notebook_*.py) generates data of the notebook's download's shape,
// prepares it as the notebook does, puts it in a local bucket of the service, runs the notebook's
// Personalize cells to the trained solution versions and their metrics, and on through the serving
// cells the same notebook holds (its campaigns and their GetRecommendations /
// GetPersonalizedRanking answers), and prints a JSON summary, asserted here. The notebooks whose
// serving cells follow in a notebook of their own are in notebook-serving.test.ts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startTestService, type TestService } from '../testkit/service-harness.ts';
import { localBucket } from '../testkit/import-fixtures.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** The metrics AWS's notebooks print for every solution version (GetSolutionMetrics). */
const AWS_METRICS = [
  'coverage',
  'mean_reciprocal_rank_at_25',
  'normalized_discounted_cumulative_gain_at_10',
  'normalized_discounted_cumulative_gain_at_25',
  'normalized_discounted_cumulative_gain_at_5',
  'precision_at_10',
  'precision_at_25',
  'precision_at_5',
];

const recipe = (name: string) => `arn:aws:personalize:::recipe/${name}`;

type Metrics = Record<string, number>;

function assertAwsMetrics(metrics: Metrics | undefined, what: string) {
  assert.ok(metrics, `${what}: no metrics`);
  assert.deepEqual(Object.keys(metrics).sort(), AWS_METRICS, what);
  for (const [name, value] of Object.entries(metrics)) {
    assert.equal(typeof value, 'number', `${what} ${name}`);
    assert.ok(value >= 0 && value <= 1, `${what} ${name} = ${value}`);
  }
}

describe("AWS's sample notebooks, training cells (and the serving cells of the same notebook) as written (boto3)", () => {
  let svc: TestService;
  const scratchRoot = mkdtempSync(join(tmpdir(), 'openpersonalize-notebooks-'));
  before(async () => {
    svc = await startTestService();
  });
  after(async () => {
    await svc.close();
    rmSync(scratchRoot, { recursive: true, force: true });
  });

  // Asynchronous on purpose: the server under test runs in this process and must keep answering.
  // Each notebook runs in its own account (a 12-digit access key is the account).
  async function notebook<T>(script: string, account: string): Promise<T> {
    const bucket = localBucket(svc.dataDir);
    const scratch = mkdtempSync(join(scratchRoot, 'nb-'));
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: account,
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_DEFAULT_REGION: 'us-east-1',
      // The scripts import boto3_notebook_data.py: no __pycache__ left in test/api.
      PYTHONDONTWRITEBYTECODE: '1',
    };
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string; error?: Error }>((resolve) => {
      execFile(
        'python3',
        [join(here, script), svc.endpoint, bucket.name, join(svc.dataDir, 'buckets', bucket.name), scratch],
        { encoding: 'utf8', env, timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
          resolve({ status, stdout, stderr, error: error && typeof error.code !== 'number' ? error : undefined });
        },
      );
    });
    assert.equal(r.error, undefined, `python3 could not run ${script}: ${r.error?.message}\n${r.stderr.slice(-4000)}`);
    assert.equal(r.status, 0, `${script} failed:\n${r.stderr.slice(-4000)}`);
    const summary = JSON.parse(r.stdout) as T & { ok: boolean };
    assert.equal(summary.ok, true);
    return summary;
  }

  it('getting_started/notebooks/1.Building_Your_First_Campaign: User-Personalization trained right after CreateSolution, its metrics read, deployed and asked for recommendations', async () => {
    const s = await notebook<{
      datasetGroup: string;
      datasetImportJob: string;
      rows: number;
      recipes: string[];
      solutionVersionArn: string;
      statuses: string[];
      recipeArn: string;
      trainingMode: string;
      failureReason: string | null;
      metricsArn: string;
      metrics: Metrics;
      campaignArn: string;
      campaignStatuses: string[];
      campaign: { solutionVersionArn: string; minProvisionedTPS: number; campaignConfig: unknown };
      userId: string;
      recommendationId: string;
      itemList: { itemId: string; score?: number }[];
      titles: string[];
      alreadyRated: number;
    }>('boto3_notebook_getting_started.py', '210000000001');
    assert.equal(s.datasetGroup, 'ACTIVE');
    assert.equal(s.datasetImportJob, 'ACTIVE');
    assert.ok(s.rows > 5000, `${s.rows} interactions`);
    assert.ok(s.recipes.includes(recipe('aws-user-personalization')), s.recipes.join(', '));
    assert.equal(s.statuses.at(-1), 'ACTIVE', `${s.statuses.join(' → ')}: ${s.failureReason}`);
    assert.ok(
      s.statuses.every((x) => ['CREATE PENDING', 'CREATE IN_PROGRESS', 'ACTIVE'].includes(x)),
      s.statuses.join(' → '),
    );
    assert.match(
      s.solutionVersionArn,
      /^arn:aws:personalize:us-east-1:210000000001:solution\/personalize-demo-soln-user-personalization\/[0-9a-f]{8}$/,
    );
    assert.equal(s.recipeArn, recipe('aws-user-personalization'));
    assert.equal(s.trainingMode, 'FULL');
    assert.equal(s.metricsArn, s.solutionVersionArn);
    assertAwsMetrics(s.metrics, 'user-personalization');
    assert.ok(s.metrics.normalized_discounted_cumulative_gain_at_25 > 0, JSON.stringify(s.metrics));
    // The serving cells: the campaign as created, ACTIVE, then 25 movies with titles for a user.
    assert.equal(s.campaignArn, 'arn:aws:personalize:us-east-1:210000000001:campaign/personalize-demo-camp');
    assert.equal(s.campaignStatuses.at(-1), 'ACTIVE', s.campaignStatuses.join(' → '));
    assert.deepEqual(s.campaign, {
      solutionVersionArn: s.solutionVersionArn,
      minProvisionedTPS: 1,
      campaignConfig: { itemExplorationConfig: { explorationWeight: '0.5' } },
    });
    assert.match(s.recommendationId, /^RID-[0-9a-f-]{36}$/);
    assert.equal(s.itemList.length, 25);
    assert.equal(s.titles.length, 25);
    assert.ok(
      s.titles.every((t) => /^Movie \d+/.test(t)),
      s.titles.join('; '),
    );
    // User-Personalization scores: a softmax over the catalog, descending.
    const scores = s.itemList.map((i) => i.score!);
    assert.ok(
      scores.every((x, k) => x > 0 && (k === 0 || x <= scores[k - 1])),
      scores.join(','),
    );
    assert.ok(s.alreadyRated <= 5, `${s.alreadyRated} of the 25 recommendations are movies user ${s.userId} already rated highly`);
  });

  it('POC_in_a_box 03_Creating_and_Evaluating_Solutions (after 01-02): three recipes polled together, metrics, the HPO and hyperparameter snippets', async () => {
    const s = await notebook<{
      dataNotebooks: { interactionsJob: string; itemsJob: string };
      recipes: string[];
      versions: Record<string, string>;
      metrics: Record<string, Metrics>;
      simsHpoSolution: { performHPO: boolean; solutionConfig: Record<string, unknown> };
      simsSetHpSolution: { performHPO: boolean; solutionConfig: { algorithmHyperParameters?: Record<string, string> } };
    }>('boto3_notebook_poc_03_solutions.py', '123456789012');
    assert.equal(s.dataNotebooks.interactionsJob, 'ACTIVE');
    assert.equal(s.dataNotebooks.itemsJob, 'ACTIVE');
    for (const r of ['aws-user-personalization', 'aws-sims', 'aws-personalized-ranking'])
      assert.ok(s.recipes.includes(recipe(r)), `${r} not listed: ${s.recipes.join(', ')}`);
    assert.deepEqual(s.versions, {
      userPersonalization: 'ACTIVE',
      sims: 'ACTIVE',
      rerank: 'ACTIVE',
      simsHpo: 'ACTIVE',
      simsSetHp: 'ACTIVE',
    });
    for (const [name, metrics] of Object.entries(s.metrics)) assertAwsMetrics(metrics, name);
    assert.ok(s.metrics.userPersonalization.normalized_discounted_cumulative_gain_at_25 > 0, JSON.stringify(s.metrics));
    assert.equal(s.simsHpoSolution.performHPO, true);
    assert.equal(s.simsSetHpSolution.performHPO, false);
    assert.deepEqual(s.simsSetHpSolution.solutionConfig.algorithmHyperParameters, { popularity_discount_factor: '0.7' });
  });

  it('related_items/personalize_sims_example: SIMS deployed and smell-tested, then SIMS with performHPO and hpoResourceConfig 40/10', async () => {
    const s = await notebook<{
      datasetGroup: string;
      datasetImportJob: string;
      recipes: string[];
      sims: { status: string; failureReason: string | null; recipeArn: string; metrics: Metrics };
      hpo: {
        status: string;
        failureReason: string | null;
        performHPO: boolean;
        hpoConfig: unknown;
        versionPerformHPO: boolean;
        versionHpoConfig: unknown;
        tunedHPOParams?: { algorithmHyperParameters?: Record<string, string> };
        metrics: Metrics;
      };
      campaign: { name: string; status: string; solutionVersionArn: string; minProvisionedTPS: number };
      simsVersionArn: string;
      genres: Record<string, string[]>;
      smellTests: Record<string, { itemId: string; score?: number }[]>;
      smellTestsAfterHpo: Record<string, { itemId: string; score?: number }[]>;
    }>('boto3_notebook_sims_hpo.py', '210000000003');
    assert.equal(s.datasetGroup, 'ACTIVE');
    assert.equal(s.datasetImportJob, 'ACTIVE');
    assert.ok(s.recipes.includes(recipe('aws-sims')), s.recipes.join(', '));
    assert.equal(s.sims.status, 'ACTIVE', String(s.sims.failureReason));
    assert.equal(s.sims.recipeArn, recipe('aws-sims'));
    assertAwsMetrics(s.sims.metrics, 'sims');
    assert.equal(s.hpo.status, 'ACTIVE', String(s.hpo.failureReason));
    const hpoConfig = { hpoResourceConfig: { maxNumberOfTrainingJobs: '40', maxParallelTrainingJobs: '10' } };
    assert.equal(s.hpo.performHPO, true);
    assert.deepEqual(s.hpo.hpoConfig, hpoConfig);
    assert.equal(s.hpo.versionPerformHPO, true);
    assert.deepEqual(s.hpo.versionHpoConfig, hpoConfig);
    assert.deepEqual(Object.keys(s.hpo.tunedHPOParams?.algorithmHyperParameters ?? {}).sort(), [
      'min_cointeraction_count',
      'popularity_discount_factor',
    ]);
    assertAwsMetrics(s.hpo.metrics, 'sims-hpo');
    // The campaign of the first version, and the smell tests: movies like movies 5 and 2.
    assert.deepEqual(s.campaign, {
      name: s.campaign.name,
      status: 'ACTIVE',
      solutionVersionArn: s.simsVersionArn,
      minProvisionedTPS: 2,
    });
    assert.match(s.campaign.name, /^DEMO-sims-campaign-\d+$/);
    for (const [movie, items] of Object.entries(s.smellTests)) {
      const ids = items.map((i) => i.itemId);
      assert.equal(new Set(ids).size, 25, `movie ${movie}: ${ids.join(',')}`);
      assert.ok(!ids.includes(movie), `SIMS recommends movie ${movie} for itself`);
      assert.ok(
        items.every((i) => i.score === undefined && s.genres[i.itemId]),
        JSON.stringify(items),
      );
      // "look at if items found are generally of similar genres": most of the first five share one.
      const alike = ids.slice(0, 5).filter((id) => s.genres[id].some((g) => s.genres[movie].includes(g)));
      assert.ok(alike.length >= 3, `movie ${movie} (${s.genres[movie]}): ${ids.slice(0, 5).map((id) => s.genres[id].join('|'))}`);
    }
    // After HPO the notebook asks the same campaign again (it deploys no campaign for the HPO version).
    assert.deepEqual(s.smellTestsAfterHpo, s.smellTests);
    // "We now see if doing HPO improves things": the search starts from the default setting.
    assert.ok(
      s.hpo.metrics.normalized_discounted_cumulative_gain_at_25 >= s.sims.metrics.normalized_discounted_cumulative_gain_at_25,
      `${JSON.stringify(s.hpo.metrics)} vs ${JSON.stringify(s.sims.metrics)}`,
    );
  });

  it('related_items/aws-similar-items-with-metadata: Prime Pantry reviews and a textual DESCRIPTION, aws-sims and aws-similar-items side by side, deployed and compared', async () => {
    const s = await notebook<{
      datasetGroup: string;
      imports: { interactions: string; items: string };
      interactionRows: number;
      items: number;
      recipes: string[];
      versions: { sims: string; similarItems: string };
      trainingHours: { sims: number; similarItems: number };
      metrics: { sims: Metrics; similarItems: Metrics };
      campaigns: Record<string, string>;
      interactionCounts: Record<string, number>;
      categories: Record<string, string>;
      examples: Record<
        'random' | 'popular' | 'unpopular',
        { asin: string; item: Record<string, unknown>; sims: string[]; similarItems: string[] }
      >;
    }>('boto3_notebook_similar_items_metadata.py', '210000000005');
    assert.equal(s.datasetGroup, 'ACTIVE');
    assert.deepEqual(s.imports, { interactions: 'ACTIVE', items: 'ACTIVE' });
    assert.equal(s.items, 240);
    for (const r of ['aws-sims', 'aws-similar-items']) assert.ok(s.recipes.includes(recipe(r)), `${r} not listed: ${s.recipes.join(', ')}`);
    assert.deepEqual(s.versions, { sims: 'ACTIVE', similarItems: 'ACTIVE' });
    // The notebook divides by the similar-items version's trainingHours.
    assert.ok(s.trainingHours.sims > 0 && s.trainingHours.similarItems > 0, JSON.stringify(s.trainingHours));
    assertAwsMetrics(s.metrics.sims, 'sims');
    assertAwsMetrics(s.metrics.similarItems, 'similar-items');
    // Both deployed, then asked for products like a random, the most and the least reviewed one.
    assert.deepEqual(s.campaigns, {
      'personalize-demo-simsexample': 'ACTIVE',
      'personalize-demo-aws-similar-itemsexample': 'ACTIVE',
    });
    const counts = Object.values(s.interactionCounts);
    assert.equal(s.interactionCounts[s.examples.popular.asin], Math.max(...counts));
    assert.equal(s.interactionCounts[s.examples.unpopular.asin], Math.min(...counts));
    for (const [name, e] of Object.entries(s.examples)) {
      assert.equal(e.item.ITEM_ID, e.asin);
      assert.equal(e.item.INTERACTIONS_COUNT, s.interactionCounts[e.asin]);
      for (const list of [e.sims, e.similarItems]) {
        assert.equal(new Set(list).size, 25, `${name}: ${list.join(',')}`);
        assert.ok(!list.includes(e.asin) && list.every((id) => s.categories[id]), `${name}: ${list.join(',')}`);
      }
    }
    const sameCategory = (e: { asin: string }, list: string[]) => list.filter((id) => s.categories[id] === s.categories[e.asin]).length;
    // "We see very comparable recommendations across both models" for the popular product ...
    const { popular, unpopular } = s.examples;
    assert.ok(
      popular.similarItems.slice(0, 5).filter((id) => popular.sims.slice(0, 5).includes(id)).length >= 3,
      `${popular.sims.slice(0, 5)} vs ${popular.similarItems.slice(0, 5)}`,
    );
    // ... and for the rarely reviewed one "SIMS will return mostly popular items, and the new
    // aws-item-similarity recipe will return items more related to the current item metadata".
    const mean = (list: string[]) => list.reduce((a, id) => a + s.interactionCounts[id], 0) / list.length;
    assert.ok(mean(unpopular.sims) > mean(unpopular.similarItems), `${mean(unpopular.sims)} vs ${mean(unpopular.similarItems)}`);
    assert.ok(
      sameCategory(unpopular, unpopular.similarItems) >= 20 &&
        sameCategory(unpopular, unpopular.similarItems) > sameCategory(unpopular, unpopular.sims),
      `${s.categories[unpopular.asin]}: sims ${unpopular.sims.map((id) => s.categories[id])}, similar-items ${unpopular.similarItems.map((id) => s.categories[id])}`,
    );
  });

  it('personalized_ranking/personalize_ranking_example: Last.FM tagging data (ms timestamps / 1000, one negative), Personalized-Ranking deployed and asked to rank', async () => {
    const s = await notebook<{
      datasetGroup: string;
      datasetImportJob: string;
      rows: number;
      distinctRows: number;
      negativeTimestamps: number;
      recipes: string[];
      version: { status: string; failureReason: string | null; recipeArn: string; trainingMode: string };
      metrics: Metrics;
      campaignArn: string;
      campaigns: Record<string, string>;
      lookups: string[];
      rerankUser: string;
      userTagged: boolean;
      rerankInput: string[];
      rerank: { itemId: string; score?: number }[];
      recommendationId: string;
      taggedArtists: string[];
      listed: Record<string, string[]>;
    }>('boto3_notebook_personalized_ranking.py', '210000000004');
    assert.equal(s.datasetGroup, 'ACTIVE');
    assert.equal(s.datasetImportJob, 'ACTIVE');
    assert.ok(s.negativeTimestamps > 0 && s.distinctRows < s.rows, JSON.stringify(s));
    assert.ok(s.recipes.includes(recipe('aws-personalized-ranking')), s.recipes.join(', '));
    assert.deepEqual(s.version, {
      status: 'ACTIVE',
      failureReason: null,
      recipeArn: recipe('aws-personalized-ranking'),
      trainingMode: 'FULL',
    });
    assertAwsMetrics(s.metrics, 'personalized-ranking');
    assert.ok(s.metrics.normalized_discounted_cumulative_gain_at_25 > 0, JSON.stringify(s.metrics));
    // The campaign, then 25 random artists of artists.dat ranked for a random user: all 25 come
    // back, the tagged ones first with a softmax over them (descending, summing to 1), the artists
    // nobody tagged last without a score, as in the notebook's saved output.
    assert.equal(s.campaignArn, 'arn:aws:personalize:us-east-1:210000000004:campaign/personalize-poc-rerank');
    assert.deepEqual(s.campaigns, { [s.campaignArn]: 'ACTIVE' });
    assert.deepEqual(s.lookups, ['Earth, Wind & Fire', 'Error obtaining artist', 'Error obtaining artist']);
    assert.equal(s.userTagged, true);
    assert.match(s.recommendationId, /^RID-[0-9a-f-]{36}$/);
    assert.deepEqual(s.rerank.map((i) => i.itemId).sort(), [...s.rerankInput].sort());
    const tagged = new Set(s.taggedArtists);
    const known = s.rerank.filter((i) => tagged.has(i.itemId));
    assert.ok(known.length > 0 && known.length < 25, `${known.length} of the 25 were tagged`);
    assert.deepEqual(s.rerank.slice(0, known.length), known);
    assert.ok(
      s.rerank.slice(known.length).every((i) => i.score === undefined),
      JSON.stringify(s.rerank),
    );
    const scores = known.map((i) => i.score!);
    assert.ok(
      scores.every((x, k) => x > 0 && (k === 0 || x <= scores[k - 1])),
      scores.join(','),
    );
    assert.ok(Math.abs(scores.reduce((a, b) => a + b, 0) - 1) < 1e-4, scores.join(','));
    // The clean-up's listing cells, through boto3's paginators.
    assert.deepEqual(s.listed.campaigns, [s.campaignArn]);
    assert.equal(s.listed.datasetGroups.length, 1);
    assert.equal(s.listed.solutions.length, 1);
    assert.equal(s.listed.datasets.length, 1);
    assert.equal(s.listed.schemas.length, 1);
  });
});
