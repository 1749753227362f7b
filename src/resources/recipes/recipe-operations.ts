// ListRecipes, DescribeRecipe, DescribeAlgorithm, DescribeFeatureTransformation (training-rules.md
// §1.7): read-only views of the static catalog in src/training/recipes/. Recipes are global — the
// same for every account and region, ARNs without region and account — so nothing is stored.
import type {
  Algorithm,
  DefaultHyperParameterRanges,
  DescribeAlgorithmRequest,
  DescribeAlgorithmResponse,
  DescribeFeatureTransformationRequest,
  DescribeFeatureTransformationResponse,
  DescribeRecipeRequest,
  DescribeRecipeResponse,
  ListRecipesRequest,
  ListRecipesResponse,
  RecipeSummary,
} from '../../api/personalize-types.ts';
import type { PersonalizeHandlers } from '../../api/personalize-handlers.ts';
import { notFound } from '../../protocol/service-error.ts';
import {
  algorithmImageOf,
  CATALOG_LAST_UPDATED,
  DEFAULT_RESOURCE_CONFIG,
  findAlgorithm,
  findFeatureTransformation,
  findRecipe,
  listedRecipes,
  TRAINING_INPUT_MODE,
  type HyperParameterSpec,
  type RecipeDefinition,
} from '../../training/recipes/recipe-catalog.ts';
import { DEFAULT_PAGE_SIZE, toDate } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';

/** Everything in the catalog is usable as soon as the service runs. */
const ACTIVE = 'ACTIVE';

const defaults = (specs: HyperParameterSpec[]): Record<string, string> => Object.fromEntries(specs.map((s) => [s.name, s.default]));

function ranges(specs: HyperParameterSpec[]): DefaultHyperParameterRanges {
  const numeric = (kind: 'integer' | 'continuous') =>
    specs.filter((s) => s.kind === kind).map((s) => ({ name: s.name, minValue: s.min, maxValue: s.max, isTunable: s.tunable }));
  return {
    integerHyperParameterRanges: numeric('integer'),
    continuousHyperParameterRanges: numeric('continuous'),
    categoricalHyperParameterRanges: specs
      .filter((s) => s.kind === 'categorical')
      .map((s) => ({ name: s.name, values: [...(s.values ?? [])], isTunable: s.tunable })),
  };
}

function summary(r: RecipeDefinition): RecipeSummary {
  return {
    name: r.name,
    recipeArn: r.arn,
    status: ACTIVE,
    creationDateTime: toDate(r.creationDateTime),
    lastUpdatedDateTime: toDate(CATALOG_LAST_UPDATED),
    // Custom recipes carry no domain key (rule 23).
    ...(r.domain ? { domain: r.domain } : {}),
  };
}

export function recipeOperations(
  deps: ServiceDeps,
): Pick<PersonalizeHandlers, 'ListRecipes' | 'DescribeRecipe' | 'DescribeAlgorithm' | 'DescribeFeatureTransformation'> {
  return {
    async ListRecipes(input: ListRecipesRequest, ctx): Promise<ListRecipesResponse> {
      // recipeProvider: SERVICE is the only value the model allows (validated before we get here).
      // The page token is bound to the caller and the domain filter; its cursor is the last listed
      // recipe's ARN (the list is in name order, and the ARN is a constant prefix + the name).
      const scope = JSON.stringify(['ListRecipes', ctx.account, ctx.region, input.domain ?? null]);
      const after = input.nextToken ? deps.tokens.read(scope, input.nextToken).arn : undefined;
      const matching = listedRecipes().filter(
        (r) => (input.domain === undefined || r.domain === input.domain) && (after === undefined || r.arn > after),
      );
      // Without maxResults everything fits one page (22 recipes < 100); real pages held 11-12 (rule 25).
      const limit = input.maxResults ?? DEFAULT_PAGE_SIZE;
      const page = matching.slice(0, limit);
      const last = page[page.length - 1];
      return {
        recipes: page.map(summary),
        nextToken: matching.length > limit && last ? deps.tokens.issue(scope, { createdAt: 0, arn: last.arn }) : undefined,
      };
    },

    async DescribeRecipe(input: DescribeRecipeRequest): Promise<DescribeRecipeResponse> {
      const r = findRecipe(input.recipeArn!);
      if (!r) throw notFound(`Could not find the recipe ${input.recipeArn}.`);
      return {
        recipe: {
          name: r.name,
          recipeArn: r.arn,
          algorithmArn: r.algorithmArn,
          featureTransformationArn: r.featureTransformationArn,
          status: ACTIVE,
          description: r.description,
          creationDateTime: toDate(r.creationDateTime),
          recipeType: r.recipeType,
          lastUpdatedDateTime: toDate(CATALOG_LAST_UPDATED),
        },
      };
    },

    async DescribeAlgorithm(input: DescribeAlgorithmRequest): Promise<DescribeAlgorithmResponse> {
      const a = findAlgorithm(input.algorithmArn!);
      if (!a) throw notFound(`Could not find the algorithm ${input.algorithmArn}.`);
      const algorithm: Algorithm = {
        name: a.name,
        algorithmArn: a.arn,
        algorithmImage: algorithmImageOf(a),
        defaultHyperParameters: defaults(a.hyperParameters),
        defaultHyperParameterRanges: ranges(a.hyperParameters),
        defaultResourceConfig: { ...DEFAULT_RESOURCE_CONFIG },
        trainingInputMode: TRAINING_INPUT_MODE,
        // roleArn: AWS's own algorithms run under no role of the caller's [INF: omitted].
        creationDateTime: toDate(a.creationDateTime),
        lastUpdatedDateTime: toDate(CATALOG_LAST_UPDATED),
      };
      return { algorithm };
    },

    async DescribeFeatureTransformation(input: DescribeFeatureTransformationRequest): Promise<DescribeFeatureTransformationResponse> {
      const f = findFeatureTransformation(input.featureTransformationArn!);
      if (!f) throw notFound(`Could not find the feature transformation ${input.featureTransformationArn}.`);
      return {
        featureTransformation: {
          name: f.name,
          featureTransformationArn: f.arn,
          defaultParameters: defaults(f.parameters),
          creationDateTime: toDate(f.creationDateTime),
          lastUpdatedDateTime: toDate(CATALOG_LAST_UPDATED),
          status: ACTIVE,
        },
      };
    },
  };
}
