// The built-in recipes' trainers by recipe name (the part of the recipe ARN after "recipe/").
import type { Trainer } from '../trainer.ts';
import { itemAffinityTrainer, itemAttributeAffinityTrainer } from './affinity.ts';
import { nextBestActionTrainer } from './next-best-action.ts';
import { popularityCountTrainer } from './popularity-count.ts';
import { semanticSimilarityTrainer } from './semantic-similarity.ts';
import { simsTrainer } from './sims.ts';
import { similarItemsTrainer } from './similar-items.ts';
import { trendingNowTrainer } from './trending-now.ts';
import {
  personalizedRankingTrainer,
  personalizedRankingV2Trainer,
  userPersonalizationTrainer,
  userPersonalizationV2Trainer,
} from './user-personalization.ts';

export const BUILT_IN_TRAINERS: ReadonlyMap<string, Trainer> = new Map(
  [
    popularityCountTrainer,
    trendingNowTrainer,
    simsTrainer,
    userPersonalizationTrainer,
    userPersonalizationV2Trainer,
    personalizedRankingTrainer,
    personalizedRankingV2Trainer,
    similarItemsTrainer,
    itemAffinityTrainer,
    itemAttributeAffinityTrainer,
    semanticSimilarityTrainer,
    nextBestActionTrainer,
  ].map((t) => [t.recipe, t]),
);
