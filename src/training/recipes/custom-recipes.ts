// The custom recipes (training-rules.md §1.1, table 1.2): the twelve current ones, listed by
// ListRecipes, and the three legacy HRNN recipes, describable but no longer listed.
//
// [INF] choices, where table 1.2 says "unknown" or "not observed":
// * recipeType: Trending-Now gets USER_PERSONALIZATION, like Popularity-Count, the other recipe of
//   the POPULAR_ITEMS documentation group, whose page prints USER_PERSONALIZATION (rule 9);
//   Next-Best-Action gets PERSONALIZED_ACTIONS (the type of table 1.1; the rules' own [INF]).
// * featureTransformationArn: User-Personalization shares Personalized-Ranking's
//   `JSON-percentile-filtering` (identical featurization table, §1.4). For the other unknown ones the
//   newest documented convention is followed — Semantic-Similarity's transformation is named like
//   its recipe (`feature-transformation/aws-semantic-similarity`) — so `aws-user-personalization-v2`,
//   `aws-personalized-ranking-v2`, `aws-trending-now`, `aws-similar-items`, `aws-next-best-action`.
// * creationDateTime: the observed dates (midnight UTC; the rules give days only). Not observed:
//   User-Personalization-v2 takes Personalized-Ranking-v2's 2024-01-01 (released together);
//   Trending-Now 2022-09-01 and Semantic-Similarity 2024-06-01 are approximate release dates;
//   the legacy HRNN recipes 2019-06-10 (present in the 2019 listings, like the other 2019 recipes).
// * description: not captured anywhere (rule 27); short texts of our own.
import type { RecipeDefinition } from './recipe-types.ts';

const day = (iso: string) => Date.parse(`${iso}T00:00:00.000Z`);

interface Entry {
  name: string;
  recipeType: RecipeDefinition['recipeType'];
  /** Algorithm name (after `algorithm/`); the recipe's name unless given. */
  algorithm?: string;
  /** Feature-transformation name (after `feature-transformation/`). */
  featureTransformation: string;
  created: string;
  description: string;
  legacy?: boolean;
}

const ENTRIES: Entry[] = [
  {
    name: 'aws-user-personalization-v2',
    recipeType: 'USER_PERSONALIZATION',
    featureTransformation: 'aws-user-personalization-v2',
    created: '2024-01-01',
    description:
      'Transformer-based recommendations from each user\u2019s interaction history, for catalogs of up to 5 million items; ' +
      'exploration is managed automatically.',
  },
  {
    name: 'aws-user-personalization',
    recipeType: 'USER_PERSONALIZATION',
    featureTransformation: 'JSON-percentile-filtering',
    created: '2019-06-10',
    description:
      'Personalized item recommendations from user interaction history, with configurable exploration of new items and use of impressions.',
  },
  {
    name: 'aws-trending-now',
    recipeType: 'USER_PERSONALIZATION',
    algorithm: 'aws-trending-now-custom',
    featureTransformation: 'aws-trending-now',
    created: '2022-09-01',
    description: 'Items whose interactions grow fastest within each trend discovery interval; the same list for every user.',
  },
  {
    name: 'aws-popularity-count',
    recipeType: 'USER_PERSONALIZATION',
    featureTransformation: 'sims',
    created: '2019-06-10',
    description: 'The items with the most interactions from unique users; the same list for every user. A baseline for comparing metrics.',
  },
  {
    name: 'aws-personalized-ranking-v2',
    recipeType: 'PERSONALIZED_RANKING',
    featureTransformation: 'aws-personalized-ranking-v2',
    created: '2024-01-01',
    description: 'Transformer-based re-ranking of a given list of items for a user, for catalogs of up to 5 million items.',
  },
  {
    name: 'aws-personalized-ranking',
    recipeType: 'PERSONALIZED_RANKING',
    featureTransformation: 'JSON-percentile-filtering',
    created: '2019-06-10',
    description: 'Re-ranks a given list of items by their predicted relevance for a user.',
  },
  {
    name: 'aws-semantic-similarity',
    recipeType: 'RELATED_ITEMS',
    featureTransformation: 'aws-semantic-similarity',
    created: '2024-06-01',
    description: 'Items semantically similar to a given item, from embeddings of the items\u2019 textual metadata.',
  },
  {
    name: 'aws-similar-items',
    recipeType: 'RELATED_ITEMS',
    featureTransformation: 'aws-similar-items',
    created: '2019-06-10',
    description: 'Items similar to a given item, from co-occurrence in user histories and from item metadata; works for cold items.',
  },
  {
    name: 'aws-sims',
    recipeType: 'RELATED_ITEMS',
    featureTransformation: 'sims',
    created: '2019-06-10',
    description: 'Item-to-item similarities from the co-occurrence of items in user histories.',
  },
  {
    name: 'aws-next-best-action',
    recipeType: 'PERSONALIZED_ACTIONS',
    featureTransformation: 'aws-next-best-action',
    created: '2023-08-11',
    description: 'The actions a user is most likely to take within the action optimization period, by propensity.',
  },
  {
    name: 'aws-item-affinity',
    recipeType: 'USER_SEGMENTATION',
    featureTransformation: 'item-affinity',
    created: '2021-07-15',
    description: 'Segments of the users most likely to interact with each given item (batch segment jobs only).',
  },
  {
    name: 'aws-item-attribute-affinity',
    recipeType: 'USER_SEGMENTATION',
    featureTransformation: 'item-attribute-affinity',
    created: '2021-08-25',
    description: 'Segments of the users most likely to interact with items having given attribute values (batch segment jobs only).',
  },
  // Legacy: "Legacy HRNN recipes are no longer available" (D-hrnn). Not in ListRecipes since 2022.
  {
    name: 'aws-hrnn',
    recipeType: 'USER_PERSONALIZATION',
    featureTransformation: 'JSON-percentile-filtering',
    created: '2019-06-10',
    description: 'Legacy: hierarchical recurrent neural network over user histories. Use aws-user-personalization instead.',
    legacy: true,
  },
  {
    name: 'aws-hrnn-metadata',
    recipeType: 'USER_PERSONALIZATION',
    featureTransformation: 'featurize_metadata',
    created: '2019-06-10',
    description: 'Legacy: HRNN with item and user metadata features. Use aws-user-personalization instead.',
    legacy: true,
  },
  {
    name: 'aws-hrnn-coldstart',
    recipeType: 'USER_PERSONALIZATION',
    featureTransformation: 'featurize_coldstart',
    created: '2019-06-10',
    description: 'Legacy: HRNN-Metadata with exploration of new items. Use aws-user-personalization instead.',
    legacy: true,
  },
];

export const CUSTOM_RECIPES: readonly RecipeDefinition[] = ENTRIES.map((e) => ({
  name: e.name,
  arn: `arn:aws:personalize:::recipe/${e.name}`,
  recipeType: e.recipeType,
  listed: !e.legacy,
  creationDateTime: day(e.created),
  description: e.description,
  algorithmArn: `arn:aws:personalize:::algorithm/${e.algorithm ?? e.name}`,
  featureTransformationArn: `arn:aws:personalize:::feature-transformation/${e.featureTransformation}`,
}));

/** The legacy HRNN recipes: describable, never listed; CreateSolution should refuse them (§1.2). */
export const LEGACY_RECIPE_ARNS: ReadonlySet<string> = new Set(
  ENTRIES.filter((e) => e.legacy).map((e) => `arn:aws:personalize:::recipe/${e.name}`),
);
