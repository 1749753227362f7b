// What a PERSONALIZED_ACTIONS campaign answers (training-rules.md §7.3, rules 19, 119, 123): the
// Next-Best-Action model's ranking of the group's actions for a user, as GetActionRecommendations
// returns it.
//
//  * The user's action history is what the version trained on (kept in the model) plus every
//    action interaction put since with PutActionInteractions (rule 119: real-time interactions
//    count at once; rule 120: bulk data only after the next training); their items are their
//    interactions as User-Personalization reads them (real-time-personalization.ts). So a
//    PutActionInteractions changes the user's next answer. After a data deletion job completed
//    in the group since the training, the history is the data now instead (deleted users leave
//    "all datasets and models", rules.md rule 72), as trained-history.ts does for items.
//  * Candidates are the Actions dataset's actions now ([INF] new actions are considered at once,
//    through exploration, rather than after AWS's two-hourly update, rule 123), or the model's when
//    the group has no Actions data any more. Removed automatically [DOC]: expired actions
//    (EXPIRATION_TIMESTAMP at or before now) and actions the user took within their
//    REPEAT_FREQUENCY days [INF: days counted from the user's newest TAKEN of the action to now;
//    no value, no wait]; and the request's filter (an ActionID filter).
//  * Scores (rule 19): qualified actions carry their propensity (7 decimals), best first, the
//    higher VALUE first on a tie; the others are exploration with score 0.0. [INF] Exploration
//    takes round(weight · numResults) places (explorationWeight of the campaign's
//    itemExplorationConfig, default 0.3) when there are unqualified actions, more when there are
//    too few qualified ones, and comes last (the list is sorted by score).
import { expirationOf, eventKind, numberOf, TAKEN } from '../training/action-training-data.ts';
import { NextBestActionModel } from '../training/models/next-best-action.ts';
import type { ActionInteraction } from './filters/filter-evaluator.ts';
import { roundScore, type Deployed, type ItemPredicate } from './recommendations.ts';

export const DEFAULT_ACTION_RESULTS = 5;
export const MAX_ACTION_RESULTS = 100;
export const DEFAULT_ACTION_EXPLORATION = 0.3;
const DAY = 86_400;

/** What a group's data adds for action recommendations (GroupData implements it). */
export interface ActionServingData {
  actions(): Promise<ReadonlyMap<string, Readonly<Record<string, unknown>>>>;
  actionInteractions(userId: string): Promise<readonly ActionInteraction[]>;
  putActionInteractions(userId: string): Promise<readonly ActionInteraction[]>;
}

export interface RecommendedAction {
  actionId: string;
  score: number;
}

export function isActionModel(d: Deployed): boolean {
  return d.model instanceof NextBestActionModel;
}

/** The trained history ([] when not used) and these interactions together, oldest first, an exact duplicate once. */
function historyOf(trained: { actionId: string; event: number; time: number }[], put: readonly ActionInteraction[]) {
  const key = (actionId: string, event: number, time: number) => `${actionId}\u0000${event}\u0000${time}`;
  const seen = new Set(trained.map((e) => key(e.actionId, e.event, e.time)));
  const all = [...trained];
  for (const x of put) {
    const e = { actionId: x.actionId, event: eventKind(x.eventType), time: x.time };
    if (!seen.has(key(e.actionId, e.event, e.time))) (seen.add(key(e.actionId, e.event, e.time)), all.push(e));
  }
  return all.sort((a, b) => a.time - b.time);
}

export async function recommendActions(
  d: Deployed,
  source: ActionServingData,
  q: {
    userId: string;
    numResults: number;
    keep?: ItemPredicate;
    now: number;
    explorationWeight?: number;
    /** A data deletion job completed since the training: read the user's action interactions now. */
    dataNow?: boolean;
  },
): Promise<RecommendedAction[]> {
  const model = d.model;
  if (!(model instanceof NextBestActionModel)) throw new Error(`Internal error: the ${d.recipe.name} model does not rank actions`);
  const [rows, recent, interactions] = await Promise.all([
    source.actions(),
    q.dataNow ? source.actionInteractions(q.userId) : source.putActionInteractions(q.userId),
    d.data.interactions(q.userId),
  ]);
  const events = historyOf(q.dataNow ? [] : model.trainedHistory(q.userId), recent);
  const items = [...new Set(interactions.map((x) => x.itemId).reverse())];
  const nowSeconds = q.now / 1000;
  const lastTaken = new Map<string, number>();
  for (const e of events) if (e.event === TAKEN) lastTaken.set(e.actionId, e.time);
  const candidates = (rows.size > 0 ? [...rows.keys()] : model.candidates).filter((id) => {
    const row = rows.get(id) ?? model.rows[id];
    const expires = expirationOf(row);
    if (expires !== undefined && expires <= nowSeconds) return false;
    const repeat = numberOf(row, 'REPEAT_FREQUENCY');
    const taken = lastTaken.get(id);
    if (repeat !== undefined && taken !== undefined && taken + repeat * DAY > nowSeconds) return false;
    return !q.keep || q.keep(id);
  });
  const ranked = model.rankActions({ events, items, now: nowSeconds, candidates, rows: rows.size > 0 ? rows : undefined });
  const scored = ranked.filter((r) => r.qualified);
  const explored = ranked.filter((r) => !r.qualified);
  const k = q.numResults;
  const weight = q.explorationWeight ?? DEFAULT_ACTION_EXPLORATION;
  let exploring = explored.length === 0 ? 0 : Math.min(explored.length, Math.max(Math.round(weight * k), k - scored.length));
  const keeping = Math.min(scored.length, k - exploring);
  exploring = Math.min(explored.length, k - keeping);
  return [
    ...scored.slice(0, keeping).map((r) => ({ actionId: r.actionId, score: roundScore(r.propensity) })),
    ...explored.slice(0, exploring).map((r) => ({ actionId: r.actionId, score: 0 })),
  ];
}
