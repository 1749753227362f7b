// The ten domain use cases (training-rules.md §1.6) and how each is served here: which of our
// models backs it, which interactions it trains on (and so how many of them it needs), which ids
// GetRecommendations takes, what it filters out by itself, and what happens between trainings.
//
// The mapping, and why:
//  * Most viewed, Best sellers, Most popular (aws-ecomm-popular-items-by-views / -by-purchases,
//    aws-vod-most-popular): Popularity-Count over the event type the use case counts (View,
//    Purchase, Watch): "popular items based on how many times your customers viewed / purchased
//    / watched an item". Needing ≥ 1,000 of them is then the training's own minimum, with AWS's
//    text "Dataset has fewer than 1000 interactions after filtering by event type: View".
//  * Customers who viewed X also viewed (aws-ecomm-customers-who-viewed-x-also-viewed) and
//    Because you watched X (aws-vod-because-you-watched-x): SIMS (co-occurrence in user
//    histories) over View resp. Watch events: what other users who viewed/watched X also
//    viewed/watched.
//  * More like X (aws-vod-more-like-x): Similar-Items, co-occurrence over all event types blended
//    with the Items dataset's categorical and textual columns — "similar videos", the one use case
//    that requires an Items dataset.
//  * Frequently bought together (aws-ecomm-frequently-bought-together): co-purchases in the same
//    basket (models/bought-together.ts) over Purchase events.
//  * Recommended for you, Top picks for you (aws-ecomm-recommended-for-you, aws-vod-top-picks):
//    User-Personalization over every event type, with its real-time use of new events,
//    exploration (the recommender's itemExplorationConfig) and the two-hourly new-item updates.
//  * Trending now (aws-vod-trending-now): Trending-Now over every event type, re-evaluated every
//    two hours on the data then (rule 121).
// Automatic filters (rule 22): Customers who viewed X and Recommended for you leave out what the
// user purchased (Purchase events); Because you watched X, More like X and Top picks what the user
// watched (Watch events). Event types match case-insensitively (rule 21), as everywhere.
import { findRecipe, type RecipeDefinition } from './recipes/recipe-catalog.ts';
import { DOMAIN_RECIPES } from './recipes/domain-recipes.ts';
import { BUILT_IN_TRAINERS } from './models/built-in-trainers.ts';
import { boughtTogetherTrainer } from './models/bought-together.ts';
import type { Trainer } from './trainer.ts';

/** How GetRecommendations treats an id: required, only for filters (CurrentUser, interactions), or ignored. */
export type IdUse = 'required' | 'optional' | 'unused';

export interface DomainUseCase {
  /** The domain recipe (CreateRecommender's recipeArn). */
  recipe: RecipeDefinition;
  /** The use case's name in the documentation, for messages. */
  title: string;
  /** The model that backs it. */
  trainer: Trainer;
  /**
   * The recipe whose serving the model gets (recommendations.ts: runtime kind, exploration): the
   * trainer's own custom recipe, or the domain recipe for a model no custom recipe has.
   */
  servesAs: RecipeDefinition;
  /** Trains only on interactions of this event type (and needs ≥ 1,000 of them); all types otherwise. */
  eventType?: string;
  userId: IdUse;
  itemId: 'required' | 'unused';
  /** The automatic filter: items the user has interactions of these event types with are left out. */
  excludeEventTypes: string[];
  /** The use case cannot train without an Items dataset. */
  requiresItems: boolean;
  /** Real-time personalization, exploration and the two-hourly new-item updates (rules 119, 121). */
  personalized: boolean;
  /** Re-evaluated every two hours on the data then (Trending now, rule 121). */
  trending: boolean;
}

const recipeArn = (name: string) => `arn:aws:personalize:::recipe/${name}`;

function builtIn(name: string): { trainer: Trainer; servesAs: RecipeDefinition } {
  const trainer = BUILT_IN_TRAINERS.get(name);
  const servesAs = findRecipe(recipeArn(name));
  if (!trainer || !servesAs) throw new Error(`Internal error: no built-in recipe ${name}`);
  return { trainer, servesAs };
}

type Entry = Omit<DomainUseCase, 'recipe' | 'trainer' | 'servesAs' | 'excludeEventTypes' | 'requiresItems' | 'personalized' | 'trending'> &
  Partial<DomainUseCase> & { model: string };

const ENTRIES: Record<string, Entry> = {
  'aws-ecomm-popular-items-by-views': {
    title: 'Most viewed',
    model: 'aws-popularity-count',
    eventType: 'View',
    userId: 'required',
    itemId: 'unused',
  },
  'aws-ecomm-popular-items-by-purchases': {
    title: 'Best sellers',
    model: 'aws-popularity-count',
    eventType: 'Purchase',
    userId: 'required',
    itemId: 'unused',
  },
  'aws-ecomm-frequently-bought-together': {
    title: 'Frequently bought together',
    model: 'aws-ecomm-frequently-bought-together',
    eventType: 'Purchase',
    userId: 'optional',
    itemId: 'required',
  },
  'aws-ecomm-customers-who-viewed-x-also-viewed': {
    title: 'Customers who viewed X also viewed',
    model: 'aws-sims',
    eventType: 'View',
    userId: 'required',
    itemId: 'required',
    excludeEventTypes: ['Purchase'],
  },
  'aws-ecomm-recommended-for-you': {
    title: 'Recommended for you',
    model: 'aws-user-personalization',
    userId: 'required',
    itemId: 'unused',
    excludeEventTypes: ['Purchase'],
    personalized: true,
  },
  'aws-vod-because-you-watched-x': {
    title: 'Because you watched X',
    model: 'aws-sims',
    eventType: 'Watch',
    userId: 'required',
    itemId: 'required',
    excludeEventTypes: ['Watch'],
  },
  'aws-vod-more-like-x': {
    title: 'More like X',
    model: 'aws-similar-items',
    userId: 'required',
    itemId: 'required',
    excludeEventTypes: ['Watch'],
    requiresItems: true,
  },
  'aws-vod-most-popular': {
    title: 'Most popular',
    model: 'aws-popularity-count',
    eventType: 'Watch',
    userId: 'required',
    itemId: 'unused',
  },
  'aws-vod-trending-now': { title: 'Trending now', model: 'aws-trending-now', userId: 'optional', itemId: 'unused', trending: true },
  'aws-vod-top-picks': {
    title: 'Top picks for you',
    model: 'aws-user-personalization',
    userId: 'required',
    itemId: 'unused',
    excludeEventTypes: ['Watch'],
    personalized: true,
  },
};

const USE_CASES: ReadonlyMap<string, DomainUseCase> = new Map(
  DOMAIN_RECIPES.map((recipe): [string, DomainUseCase] => {
    const e = ENTRIES[recipe.name];
    if (!e) throw new Error(`Internal error: the domain recipe ${recipe.name} has no use case`);
    const backing = e.model === boughtTogetherTrainer.recipe ? { trainer: boughtTogetherTrainer, servesAs: recipe } : builtIn(e.model);
    const { model: _model, ...rest } = e;
    return [recipe.arn, { excludeEventTypes: [], requiresItems: false, personalized: false, trending: false, ...rest, recipe, ...backing }];
  }),
);

/** The use case of a domain recipe ARN, or undefined for any other recipe. */
export function useCaseOf(recipeArn: string): DomainUseCase | undefined {
  return USE_CASES.get(recipeArn);
}

/** Every use case, for tests and documentation. */
export function domainUseCases(): DomainUseCase[] {
  return [...USE_CASES.values()];
}

/** The trainer that loads a recommender model's artifact (the backing model's), by domain recipe ARN. */
export function useCaseTrainer(recipeArn: string): Trainer | undefined {
  return USE_CASES.get(recipeArn)?.trainer;
}
