// The domain recipes (training-rules.md §1.6): use cases of Domain dataset groups, used by
// recommenders only. ListRecipes lists them with their `domain` (rule 23), also without a domain
// filter [INF: real unfiltered first pages held 11-12 recipes plus a nextToken when only 8-10
// custom recipes were listed, so the domain recipes must have been among them].
//
// [INF] choices (nothing of DescribeRecipe for domain recipes is captured, §12):
// * recipeType by what the use case needs in GetRecommendations: an itemId → RELATED_ITEMS; a user's
//   recommendations → USER_PERSONALIZATION (popular / trending lists too, as Popularity-Count does).
// * algorithm and feature transformation named like the recipe; no exposed parameters.
// * creationDateTime 2021-11-29, the launch of recommenders (re:Invent 2021); the rules observed none.
import type { RecipeDefinition } from './recipe-types.ts';

const LAUNCH = Date.parse('2021-11-29T00:00:00.000Z');

interface Entry {
  name: string;
  domain: 'ECOMMERCE' | 'VIDEO_ON_DEMAND';
  recipeType: RecipeDefinition['recipeType'];
  description: string;
}

const ENTRIES: Entry[] = [
  {
    name: 'aws-ecomm-customers-who-viewed-x-also-viewed',
    domain: 'ECOMMERCE',
    recipeType: 'RELATED_ITEMS',
    description: 'Customers who viewed X also viewed: items other customers viewed together with the given item.',
  },
  {
    name: 'aws-ecomm-frequently-bought-together',
    domain: 'ECOMMERCE',
    recipeType: 'RELATED_ITEMS',
    description: 'Frequently bought together: items customers often purchase together with the given item.',
  },
  {
    name: 'aws-ecomm-popular-items-by-purchases',
    domain: 'ECOMMERCE',
    recipeType: 'USER_PERSONALIZATION',
    description: 'Best sellers: the items purchased most often.',
  },
  {
    name: 'aws-ecomm-popular-items-by-views',
    domain: 'ECOMMERCE',
    recipeType: 'USER_PERSONALIZATION',
    description: 'Most viewed: the items viewed most often.',
  },
  {
    name: 'aws-ecomm-recommended-for-you',
    domain: 'ECOMMERCE',
    recipeType: 'USER_PERSONALIZATION',
    description: 'Recommended for you: personalized item recommendations for a user.',
  },
  {
    name: 'aws-vod-because-you-watched-x',
    domain: 'VIDEO_ON_DEMAND',
    recipeType: 'RELATED_ITEMS',
    description: 'Because you watched X: videos that users who watched the given video also watched.',
  },
  {
    name: 'aws-vod-more-like-x',
    domain: 'VIDEO_ON_DEMAND',
    recipeType: 'RELATED_ITEMS',
    description: 'More like X: videos similar to the given video, from interactions and item metadata.',
  },
  {
    name: 'aws-vod-most-popular',
    domain: 'VIDEO_ON_DEMAND',
    recipeType: 'USER_PERSONALIZATION',
    description: 'Most popular: the videos watched most often.',
  },
  {
    name: 'aws-vod-trending-now',
    domain: 'VIDEO_ON_DEMAND',
    recipeType: 'USER_PERSONALIZATION',
    description: 'Trending now: videos whose popularity is rising fastest, re-evaluated every two hours.',
  },
  {
    name: 'aws-vod-top-picks',
    domain: 'VIDEO_ON_DEMAND',
    recipeType: 'USER_PERSONALIZATION',
    description: 'Top picks for you: personalized video recommendations for a user.',
  },
];

export const DOMAIN_RECIPES: readonly RecipeDefinition[] = ENTRIES.map((e) => ({
  name: e.name,
  arn: `arn:aws:personalize:::recipe/${e.name}`,
  recipeType: e.recipeType,
  domain: e.domain,
  listed: true,
  creationDateTime: LAUNCH,
  description: e.description,
  algorithmArn: `arn:aws:personalize:::algorithm/${e.name}`,
  featureTransformationArn: `arn:aws:personalize:::feature-transformation/${e.name}`,
}));
