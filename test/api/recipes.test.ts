// The recipe catalog (ListRecipes, DescribeRecipe, DescribeAlgorithm, DescribeFeatureTransformation)
// through the AWS SDK for JavaScript and boto3 against the running server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import {
  DescribeAlgorithmCommand,
  DescribeFeatureTransformationCommand,
  DescribeRecipeCommand,
  ListRecipesCommand,
  type ListRecipesCommandInput,
  type PersonalizeClient,
  type RecipeSummary,
} from '@aws-sdk/client-personalize';
import { errorOf, startTestService, type TestService } from '../testkit/service-harness.ts';
import {
  canonicalHyperParameterName,
  featurizationParametersOf,
  findRecipe,
  hyperParametersOf,
  isLegacyRecipe,
  listedRecipes,
} from '../../src/training/recipes/recipe-catalog.ts';

const here = dirname(fileURLToPath(import.meta.url));
const RECIPE = 'arn:aws:personalize:::recipe/';
const ALGORITHM = 'arn:aws:personalize:::algorithm/';
const FEATURE_TRANSFORMATION = 'arn:aws:personalize:::feature-transformation/';

const CUSTOM = [
  'aws-item-affinity',
  'aws-item-attribute-affinity',
  'aws-next-best-action',
  'aws-personalized-ranking',
  'aws-personalized-ranking-v2',
  'aws-popularity-count',
  'aws-semantic-similarity',
  'aws-similar-items',
  'aws-sims',
  'aws-trending-now',
  'aws-user-personalization',
  'aws-user-personalization-v2',
];
const ECOMMERCE = [
  'aws-ecomm-customers-who-viewed-x-also-viewed',
  'aws-ecomm-frequently-bought-together',
  'aws-ecomm-popular-items-by-purchases',
  'aws-ecomm-popular-items-by-views',
  'aws-ecomm-recommended-for-you',
];
const VIDEO_ON_DEMAND = [
  'aws-vod-because-you-watched-x',
  'aws-vod-more-like-x',
  'aws-vod-most-popular',
  'aws-vod-top-picks',
  'aws-vod-trending-now',
];
const ALL = [...CUSTOM, ...ECOMMERCE, ...VIDEO_ON_DEMAND].sort();

async function listAll(client: PersonalizeClient, input: ListRecipesCommandInput): Promise<{ recipes: RecipeSummary[]; pages: number }> {
  const recipes: RecipeSummary[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await client.send(new ListRecipesCommand({ ...input, nextToken }));
    pages++;
    assert.ok((page.recipes ?? []).length <= (input.maxResults ?? 100), `page ${pages} is too long`);
    recipes.push(...(page.recipes ?? []));
    nextToken = page.nextToken;
    assert.ok(pages < 50, 'paging does not end');
  } while (nextToken);
  return { recipes, pages };
}

describe('recipes', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  before(async () => {
    svc = await startTestService();
    client = svc.client();
  });
  after(() => svc.close());

  it('lists every current recipe, custom and domain, sorted by name, without the legacy ones', async () => {
    const { recipes, nextToken } = await client.send(new ListRecipesCommand({}));
    assert.equal(nextToken, undefined);
    assert.deepEqual(
      recipes?.map((r) => r.name),
      ALL,
    );
    assert.deepEqual(
      listedRecipes().map((r) => r.name),
      ALL,
    );
    for (const r of recipes!) {
      assert.equal(r.recipeArn, `${RECIPE}${r.name}`);
      assert.equal(r.status, 'ACTIVE');
      assert.ok(r.creationDateTime instanceof Date && r.lastUpdatedDateTime instanceof Date);
      assert.ok(r.creationDateTime <= r.lastUpdatedDateTime, `${r.name}: created after its last update`);
      if (CUSTOM.includes(r.name!)) assert.equal('domain' in r, false, `${r.name} carries no domain key`);
    }
    // Observed creation dates (table 1.2).
    const created = (name: string) =>
      recipes!
        .find((r) => r.name === name)!
        .creationDateTime!.toISOString()
        .slice(0, 10);
    assert.equal(created('aws-user-personalization'), '2019-06-10');
    assert.equal(created('aws-item-affinity'), '2021-07-15');
    assert.equal(created('aws-next-best-action'), '2023-08-11');
    // All share one lastUpdatedDateTime (rule 26).
    assert.equal(new Set(recipes!.map((r) => r.lastUpdatedDateTime!.getTime())).size, 1);
    // recipeProvider SERVICE is the default.
    const service = await client.send(new ListRecipesCommand({ recipeProvider: 'SERVICE' }));
    assert.deepEqual(
      service.recipes?.map((r) => r.name),
      ALL,
    );
  });

  it('filters by domain', async () => {
    const ecommerce = await client.send(new ListRecipesCommand({ domain: 'ECOMMERCE' }));
    assert.deepEqual(
      ecommerce.recipes?.map((r) => r.name),
      ECOMMERCE,
    );
    assert.ok(ecommerce.recipes!.every((r) => r.domain === 'ECOMMERCE'));
    const vod = await client.send(new ListRecipesCommand({ domain: 'VIDEO_ON_DEMAND' }));
    assert.deepEqual(
      vod.recipes?.map((r) => r.name),
      VIDEO_ON_DEMAND,
    );
    assert.ok(vod.recipes!.every((r) => r.domain === 'VIDEO_ON_DEMAND'));
  });

  it('pages with maxResults until the end, with and without a domain filter', async () => {
    const all = await listAll(client, { maxResults: 2 });
    assert.deepEqual(
      all.recipes.map((r) => r.name),
      ALL,
    );
    assert.equal(all.pages, Math.ceil(ALL.length / 2));
    const vod = await listAll(client, { maxResults: 2, domain: 'VIDEO_ON_DEMAND' });
    assert.deepEqual(
      vod.recipes.map((r) => r.name),
      VIDEO_ON_DEMAND,
    );
    assert.equal(vod.pages, 3);
    // Exactly one full page: no token.
    const five = await client.send(new ListRecipesCommand({ maxResults: 5, domain: 'ECOMMERCE' }));
    assert.equal(five.recipes?.length, 5);
    assert.equal(five.nextToken, undefined);
  });

  it('refuses tampered and foreign page tokens with InvalidNextTokenException', async () => {
    const { nextToken } = await client.send(new ListRecipesCommand({ maxResults: 2 }));
    assert.ok(nextToken);
    for (const bad of ['garbage', `${nextToken}x`, nextToken.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))]) {
      const e = await errorOf(() => client.send(new ListRecipesCommand({ nextToken: bad })));
      assert.equal(e.name, 'InvalidNextTokenException', `token ${bad}`);
      assert.equal(e.$metadata?.httpStatusCode, 400);
    }
    // A token is bound to its domain filter.
    const other = await errorOf(() => client.send(new ListRecipesCommand({ nextToken, domain: 'ECOMMERCE' })));
    assert.equal(other.name, 'InvalidNextTokenException');
  });

  it('describes every listed recipe, its algorithm and its feature transformation consistently', async () => {
    for (const name of ALL) {
      const recipeArn = `${RECIPE}${name}`;
      const { recipe } = await client.send(new DescribeRecipeCommand({ recipeArn }));
      assert.ok(recipe);
      assert.equal(recipe.name, name);
      assert.equal(recipe.recipeArn, recipeArn);
      assert.equal(recipe.status, 'ACTIVE');
      assert.ok(recipe.description && recipe.description.length > 0, `${name} has a description`);
      assert.ok(recipe.recipeType && recipe.recipeType.length > 0);
      assert.ok(recipe.creationDateTime instanceof Date && recipe.lastUpdatedDateTime instanceof Date);
      assert.ok(recipe.algorithmArn?.startsWith(ALGORITHM), `${name}: ${recipe.algorithmArn}`);
      assert.ok(recipe.featureTransformationArn?.startsWith(FEATURE_TRANSFORMATION), `${name}: ${recipe.featureTransformationArn}`);

      const { algorithm } = await client.send(new DescribeAlgorithmCommand({ algorithmArn: recipe.algorithmArn }));
      assert.ok(algorithm);
      assert.equal(algorithm.algorithmArn, recipe.algorithmArn);
      assert.equal(`${ALGORITHM}${algorithm.name}`, algorithm.algorithmArn);
      assert.ok(algorithm.algorithmImage?.dockerURI);
      assert.equal(algorithm.trainingInputMode, 'File');
      assert.deepEqual(algorithm.defaultResourceConfig, { maxNumberOfTrainingJobs: '40', maxParallelTrainingJobs: '10' });
      assert.ok(algorithm.creationDateTime! <= recipe.creationDateTime, `${name}: algorithm created after the recipe`);
      const defaults = algorithm.defaultHyperParameters ?? {};
      const ranges = algorithm.defaultHyperParameterRanges ?? {};
      const named: string[] = [];
      for (const r of [...(ranges.integerHyperParameterRanges ?? []), ...(ranges.continuousHyperParameterRanges ?? [])]) {
        named.push(r.name!);
        const value = Number(defaults[r.name!]);
        assert.ok(Number.isFinite(value), `${name}: default of ${r.name} is a number`);
        assert.ok(r.minValue! <= value && value <= r.maxValue!, `${name}: ${r.minValue} <= ${r.name}=${value} <= ${r.maxValue}`);
        assert.equal(typeof r.isTunable, 'boolean');
      }
      for (const r of ranges.integerHyperParameterRanges ?? []) {
        assert.ok(Number.isInteger(Number(defaults[r.name!])) && Number.isInteger(r.minValue) && Number.isInteger(r.maxValue));
      }
      for (const r of ranges.categoricalHyperParameterRanges ?? []) {
        named.push(r.name!);
        assert.ok(r.values?.includes(defaults[r.name!]!), `${name}: default of ${r.name} is one of ${r.values}`);
        assert.equal(typeof r.isTunable, 'boolean');
      }
      assert.deepEqual(named.sort(), Object.keys(defaults).sort(), `${name}: every default hyperparameter has a range`);
      assert.deepEqual(
        hyperParametersOf(recipeArn)
          .map((h) => h.name)
          .sort(),
        named,
      );

      const { featureTransformation: ft } = await client.send(
        new DescribeFeatureTransformationCommand({ featureTransformationArn: recipe.featureTransformationArn }),
      );
      assert.ok(ft);
      assert.equal(ft.featureTransformationArn, recipe.featureTransformationArn);
      assert.equal(`${FEATURE_TRANSFORMATION}${ft.name}`, ft.featureTransformationArn);
      assert.equal(ft.status, 'ACTIVE');
      assert.ok(ft.creationDateTime instanceof Date && ft.lastUpdatedDateTime instanceof Date);
      assert.deepEqual(
        Object.keys(ft.defaultParameters ?? {}).sort(),
        featurizationParametersOf(recipeArn)
          .map((p) => p.name)
          .sort(),
      );
    }
  });

  it("returns the documented values of User-Personalization, SIMS and Trending-Now's parameters", async () => {
    const up = await client.send(new DescribeAlgorithmCommand({ algorithmArn: `${ALGORITHM}aws-user-personalization` }));
    assert.deepEqual(up.algorithm?.defaultHyperParameters, { hidden_dimension: '149', bptt: '32', recency_mask: 'True' });
    assert.deepEqual(up.algorithm?.defaultHyperParameterRanges?.integerHyperParameterRanges, [
      { name: 'hidden_dimension', minValue: 32, maxValue: 256, isTunable: true },
      { name: 'bptt', minValue: 2, maxValue: 32, isTunable: true },
    ]);
    const sims = await client.send(new DescribeRecipeCommand({ recipeArn: `${RECIPE}aws-sims` }));
    assert.equal(sims.recipe?.recipeType, 'RELATED_ITEMS');
    assert.equal(sims.recipe?.featureTransformationArn, `${FEATURE_TRANSFORMATION}sims`);
    const simsFt = await client.send(
      new DescribeFeatureTransformationCommand({ featureTransformationArn: `${FEATURE_TRANSFORMATION}sims` }),
    );
    assert.deepEqual(simsFt.featureTransformation?.defaultParameters, {
      min_user_history_length_percentile: '0.005',
      max_user_history_length_percentile: '0.995',
      min_item_interaction_count_percentile: '0.01',
      max_item_interaction_count_percentile: '0.9',
    });
    const simsAlg = await client.send(new DescribeAlgorithmCommand({ algorithmArn: `${ALGORITHM}aws-sims` }));
    assert.deepEqual(simsAlg.algorithm?.defaultHyperParameterRanges?.continuousHyperParameterRanges, [
      { name: 'popularity_discount_factor', minValue: 0, maxValue: 1, isTunable: true },
    ]);
    const trending = await client.send(new DescribeRecipeCommand({ recipeArn: `${RECIPE}aws-trending-now` }));
    assert.equal(trending.recipe?.algorithmArn, `${ALGORITHM}aws-trending-now-custom`);
    const trendingFt = await client.send(
      new DescribeFeatureTransformationCommand({ featureTransformationArn: trending.recipe!.featureTransformationArn }),
    );
    assert.deepEqual(trendingFt.featureTransformation?.defaultParameters, { trend_discovery_frequency: '2 hours' });
    const ecomm = await client.send(new DescribeRecipeCommand({ recipeArn: `${RECIPE}aws-ecomm-frequently-bought-together` }));
    assert.equal(ecomm.recipe?.recipeType, 'RELATED_ITEMS');
  });

  it('describes the legacy HRNN recipes, which are not listed', async () => {
    const { recipe } = await client.send(new DescribeRecipeCommand({ recipeArn: `${RECIPE}aws-hrnn` }));
    assert.equal(recipe?.recipeType, 'USER_PERSONALIZATION');
    assert.equal(recipe?.featureTransformationArn, `${FEATURE_TRANSFORMATION}JSON-percentile-filtering`);
    const { algorithm } = await client.send(new DescribeAlgorithmCommand({ algorithmArn: recipe!.algorithmArn }));
    assert.equal(algorithm?.defaultHyperParameters?.hidden_dimension, '43');
    const coldstart = await client.send(new DescribeRecipeCommand({ recipeArn: `${RECIPE}aws-hrnn-coldstart` }));
    assert.equal(coldstart.recipe?.featureTransformationArn, `${FEATURE_TRANSFORMATION}featurize_coldstart`);
    assert.equal(findRecipe(`${RECIPE}aws-hrnn-metadata`)?.listed, false);
    assert.equal(isLegacyRecipe(`${RECIPE}aws-hrnn-metadata`), true);
    assert.equal(isLegacyRecipe(`${RECIPE}aws-user-personalization`), false);
  });

  it('answers unknown ARNs with ResourceNotFoundException (HTTP 400, as the model declares no status)', async () => {
    const cases: [string, () => Promise<unknown>][] = [
      ['recipe', () => client.send(new DescribeRecipeCommand({ recipeArn: `${RECIPE}aws-nothing` }))],
      // Recipes are global: a regional ARN of the same name is another (missing) resource.
      ['recipe', () => client.send(new DescribeRecipeCommand({ recipeArn: 'arn:aws:personalize:us-east-1:000000000000:recipe/aws-sims' }))],
      ['algorithm', () => client.send(new DescribeAlgorithmCommand({ algorithmArn: `${ALGORITHM}aws-nothing` }))],
      // A recipe ARN is not an algorithm ARN.
      ['algorithm', () => client.send(new DescribeAlgorithmCommand({ algorithmArn: `${RECIPE}aws-sims` }))],
      [
        'feature transformation',
        () => client.send(new DescribeFeatureTransformationCommand({ featureTransformationArn: `${FEATURE_TRANSFORMATION}aws-nothing` })),
      ],
    ];
    for (const [what, call] of cases) {
      const e = await errorOf(call);
      assert.equal(e.name, 'ResourceNotFoundException');
      assert.equal(e.$metadata?.httpStatusCode, 400);
      assert.match(e.message, new RegExp(`Could not find the ${what} arn:aws:personalize:`));
    }
  });

  it('refuses malformed ARNs and parameters with ValidationException', async () => {
    const recipe = await errorOf(() => client.send(new DescribeRecipeCommand({ recipeArn: 'aws-user-personalization' })));
    assert.equal(recipe.name, 'ValidationException');
    assert.match(recipe.message, /at 'recipeArn' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    const algorithm = await errorOf(() => client.send(new DescribeAlgorithmCommand({ algorithmArn: 'algorithm/aws-sims' })));
    assert.equal(algorithm.name, 'ValidationException');
    const ft = await errorOf(() => client.send(new DescribeFeatureTransformationCommand({ featureTransformationArn: 'x'.repeat(257) })));
    assert.equal(ft.name, 'ValidationException');
    const tooMany = await errorOf(() => client.send(new ListRecipesCommand({ maxResults: 101 })));
    assert.equal(tooMany.name, 'ValidationException');
    const domain = await errorOf(() => client.send(new ListRecipesCommand({ domain: 'RETAIL' as 'ECOMMERCE' })));
    assert.equal(domain.name, 'ValidationException');
    const provider = await errorOf(() => client.send(new ListRecipesCommand({ recipeProvider: 'CUSTOM' as 'SERVICE' })));
    assert.equal(provider.name, 'ValidationException');
  });

  it('runs the notebooks\u2019 calls through boto3', async () => {
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string; error?: Error }>((resolve) => {
      execFile(
        'python3',
        [join(here, 'boto3_recipes.py'), svc.endpoint],
        { encoding: 'utf8', timeout: 60_000 },
        (error, stdout, stderr) => {
          const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
          resolve({ status, stdout, stderr, error: error && typeof error.code !== 'number' ? error : undefined });
        },
      );
    });
    assert.equal(r.error, undefined, `python3 could not run: ${r.error?.message}`);
    assert.equal(r.status, 0, `boto3 recipes script failed:\n${r.stderr}`);
    const summary = JSON.parse(r.stdout) as { ok: boolean; recipes: number; notFoundMessage: string };
    assert.equal(summary.ok, true);
    assert.equal(summary.recipes, ALL.length);
    assert.match(summary.notFoundMessage, /aws-no-such-recipe/);
  });
});

describe('recipe catalog lookups', () => {
  it('gives each recipe its documented hyperparameters', () => {
    assert.deepEqual(hyperParametersOf(`${RECIPE}aws-similar-items`), [
      { name: 'item_id_hidden_dim', kind: 'integer', default: '100', min: 30, max: 200, tunable: true },
      { name: 'item_metadata_hidden_dim', kind: 'integer', default: '100', min: 30, max: 200, tunable: true },
    ]);
    assert.deepEqual(hyperParametersOf(`${RECIPE}aws-user-personalization-v2`), [
      { name: 'apply_recency_bias', kind: 'categorical', default: 'true', values: ['true', 'false'], tunable: false },
    ]);
    assert.ok(
      hyperParametersOf(`${RECIPE}aws-item-affinity`).every((h) => !h.tunable),
      'Item-Affinity has no HPO',
    );
    assert.deepEqual(hyperParametersOf(`${RECIPE}aws-popularity-count`), []);
    assert.deepEqual(hyperParametersOf(`${RECIPE}aws-nothing`), []);
    assert.deepEqual(featurizationParametersOf(`${RECIPE}aws-next-best-action`), [
      { name: 'action_optimization_period', kind: 'integer', default: '14', min: 7, max: 28, tunable: false },
    ]);
    // Callers get copies.
    hyperParametersOf(`${RECIPE}aws-sims`)[0].default = 'changed';
    assert.equal(hyperParametersOf(`${RECIPE}aws-sims`)[0].default, '0.5');
  });

  it('maps the older Similar-Items spellings', () => {
    assert.equal(canonicalHyperParameterName(`${RECIPE}aws-similar-items`, 'item_id_hidden_dimension'), 'item_id_hidden_dim');
    assert.equal(canonicalHyperParameterName(`${RECIPE}aws-similar-items`, 'item_id_hidden_dim'), 'item_id_hidden_dim');
    assert.equal(canonicalHyperParameterName(`${RECIPE}aws-sims`, 'item_id_hidden_dimension'), 'item_id_hidden_dimension');
  });

  it('uses the recipe types of the rules', () => {
    const type = (name: string) => findRecipe(`${RECIPE}${name}`)?.recipeType;
    assert.equal(type('aws-user-personalization'), 'USER_PERSONALIZATION');
    assert.equal(type('aws-popularity-count'), 'USER_PERSONALIZATION');
    assert.equal(type('aws-personalized-ranking-v2'), 'PERSONALIZED_RANKING');
    assert.equal(type('aws-semantic-similarity'), 'RELATED_ITEMS');
    assert.equal(type('aws-next-best-action'), 'PERSONALIZED_ACTIONS');
    assert.equal(type('aws-item-attribute-affinity'), 'USER_SEGMENTATION');
    assert.equal(findRecipe(`${RECIPE}aws-vod-top-picks`)?.domain, 'VIDEO_ON_DEMAND');
    assert.equal(findRecipe(`${RECIPE}aws-sims`)?.domain, undefined);
  });
});
