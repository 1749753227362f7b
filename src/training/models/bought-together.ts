// The model of the Frequently bought together use case (aws-ecomm-frequently-bought-together,
// training-rules.md §1.6): items that customers purchase together with the given item. AWS
// describes it as learning from purchases that happen together; the data has no order or session
// id, so "together" is one basket: a user's purchases with no gap longer than BASKET_GAP_SECONDS
// between one and the next (the usual 30-minute session timeout [INF]).
//
// The model is SIMS's (sims.ts) trained on baskets instead of users: each basket is one "user" of
// the co-occurrence count, so two items score by how many baskets hold both (c), discounted by
// the candidate's basket count (c / n_j^0.5), kept from MIN_COPURCHASES baskets on. Every basket
// is kept whole (no history-length percentiles: a basket is short by nature) and every item (no
// rarity cut-off); items above the 99th percentile of basket counts keep their newest baskets, as
// SIMS caps hit items. Lists fill up with the most purchased items and an unknown item gets
// those, as for the other related-items recipes; no scores (rule 94).
//
// The artifact is SIMS's (recipe "aws-sims"), loaded by simsTrainer.
import type { Trainer, TrainingData } from '../trainer.ts';
import { simsTrainer } from './sims.ts';

export const BOUGHT_TOGETHER = 'aws-ecomm-frequently-bought-together';

/** A new basket starts after this long without a purchase by the user. */
export const BASKET_GAP_SECONDS = 30 * 60;

/** Baskets two items must share to be bought together. */
export const MIN_COPURCHASES = 2;

/** SIMS's hyperparameters for baskets (see the header). */
export const BASKET_SIMS_PARAMETERS: Readonly<Record<string, string>> = {
  popularity_discount_factor: '0.5',
  min_cointeraction_count: String(MIN_COPURCHASES),
  min_user_history_length_percentile: '0',
  max_user_history_length_percentile: '1',
  min_item_interaction_count_percentile: '0',
  max_item_interaction_count_percentile: '0.99',
};

/**
 * The same interactions with baskets as users: `user[i]` indexes a basket, numbered in the order
 * baskets start; items, times and event types unchanged. `data` is in time order, so each user's
 * purchases come in time order too.
 */
export function basketData(data: TrainingData): TrainingData {
  const n = data.user.length;
  const lastTime = new Float64Array(data.userIds.length).fill(-Infinity);
  const current = new Int32Array(data.userIds.length).fill(-1);
  const basket = new Int32Array(n);
  let baskets = 0;
  for (let r = 0; r < n; r++) {
    const u = data.user[r];
    if (current[u] < 0 || data.time[r] - lastTime[u] > BASKET_GAP_SECONDS) current[u] = baskets++;
    lastTime[u] = data.time[r];
    basket[r] = current[u];
  }
  return {
    ...data,
    userIds: Array.from({ length: baskets }, (_, b) => `basket-${b}`),
    user: basket,
  };
}

export const boughtTogetherTrainer: Trainer = {
  recipe: BOUGHT_TOGETHER,
  train(data, hyperParameters, signal) {
    return simsTrainer.train(basketData(data), { ...BASKET_SIMS_PARAMETERS, ...hyperParameters }, signal);
  },
  load: (artifact) => simsTrainer.load(artifact),
};
