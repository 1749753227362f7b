// The last steps of a User-Personalization(-v2) list, after the model and the promotion chose
// theirs (recommendations.ts): User-Personalization-v2's placeholder popular items, exploration
// (item-exploration.ts), and v2's `reason` per item (training-rules.md rules 84-85).
//
//  * Placeholders (v2 only, with a filter) [INF where noted]: v2 "generates scores for a subset of
//    your items"; when a filter leaves fewer than numResults of them, AWS adds "popular items,
//    based on amount of interactions data, that satisfy your filter criteria. They don't have a
//    relevance score". Here the subset is the model's V2_SCORED_ITEMS best items for the user
//    [INF: AWS gives no size; 500 is the most a request can ask for, so without a filter a list
//    always comes from the subset]; places the subset cannot fill go to the model's most popular
//    items that pass the filter and are neither listed nor in the user's history, without a score.
//  * Exploration takes its places from the end of the ordinary items (placeholders first), never
//    from promoted ones, which keep their places. An explored item carries the score the model
//    gives it (User-Personalization scores the whole catalog), none when the model does not know
//    it (a new item of an automatic update), and the list stays sorted by score (rule 84), items
//    without a score last [INF: AWS documents neither the place nor the score of explored items;
//    explored items are outside the model's top numResults, so they follow the model's items].
//  * reason (v2 only; v1 returns none): ["Promoted item"], ["Exploration"] or ["Popular item"],
//    the phrases of the API reference [INF: exact casing unconfirmed, rule 85]; items the model
//    placed by relevance have none.
import type { Model } from '../training/trainer.ts';
import { candidatesOf, drawExplored, explorationPlaces, type ExplorationConfig } from './item-exploration.ts';
import type { ItemPool } from './item-pool.ts';
import { roundScore, type ItemPredicate, type Recommended } from './recommendations.ts';

export const REASON_PROMOTED = 'Promoted item';
export const REASON_EXPLORATION = 'Exploration';
export const REASON_POPULAR = 'Popular item';

/** How many of its best items User-Personalization-v2 scores for a user (see the header). */
export const V2_SCORED_ITEMS = 500;

/** The most items asked of the model for popular placeholders that pass a filter. */
const MAX_POPULAR = 100_000;

export type Answered = Recommended & { reason?: string[] };

/** A model that scores given items as recommend() would (UserModel.scoresOf). */
type ScoringModel = Model & {
  scoresOf?(history: string[], items: readonly string[], context?: Record<string, string>): (number | undefined)[];
};

export interface UserListInput {
  model: Model;
  /** The recipe's name: -v2 has placeholders and reasons. */
  recipeName: string;
  /** The list so far: the model's items (filtered) with the promoted ones among them. */
  items: Recommended[];
  numResults: number;
  keep?: ItemPredicate;
  /** The user's history as the model read it. */
  history: readonly string[];
  /** The request's context, as the model read it. */
  context?: Record<string, string>;
  /** Absent, or weight 0: no exploration. */
  exploration?: { pool: ItemPool; config: ExplorationConfig };
  random: () => number;
}

/** The most popular items `accept` keeps, up to `count`, in the model's popularity order (its answer for an empty history). */
function popularItems(model: Model, count: number, accept: (id: string) => boolean): string[] {
  if (count <= 0) return [];
  for (let want = Math.max(count * 2, 50); ; want = Math.min(want * 4, MAX_POPULAR)) {
    const got = model.recommend({ history: [], k: want });
    const kept = got.filter((s) => accept(s.item)).map((s) => s.item);
    if (kept.length >= count || got.length < want || want === MAX_POPULAR) return kept.slice(0, count);
  }
}

/** v2: the ordinary items the scored subset holds, then popular placeholders for the places it leaves. */
function withPlaceholders(o: UserListInput, ordinary: Answered[], places: number, taken: Set<string>): Answered[] {
  const subset = new Set(o.model.recommend({ history: [...o.history], k: V2_SCORED_ITEMS, context: o.context }).map((s) => s.item));
  const scored = ordinary.filter((s) => subset.has(s.item));
  if (scored.length === ordinary.length && ordinary.length >= places) return ordinary;
  const listed = new Set([...taken, ...scored.map((s) => s.item)]);
  const keep = o.keep;
  const popular = popularItems(o.model, places - scored.length, (id) => !listed.has(id) && (!keep || keep(id)));
  return [...scored, ...popular.map((item) => ({ item, reason: [REASON_POPULAR] }))];
}

/** The final list: see the header. */
export function finishUserList(o: UserListInput): Answered[] {
  const v2 = o.recipeName.endsWith('-v2');
  const promotedAt = new Map<number, Answered>();
  let ordinary: Answered[] = [];
  o.items.forEach((s, i) => {
    if (s.promotionName === undefined) ordinary.push(s);
    else promotedAt.set(i, v2 ? { ...s, reason: [REASON_PROMOTED] } : s);
  });
  const places = o.numResults - promotedAt.size;
  const taken = new Set<string>([...o.history, ...[...promotedAt.values()].map((s) => s.item)]);
  if (v2 && o.keep) ordinary = withPlaceholders(o, ordinary, places, taken);
  const e = o.exploration;
  if (e && e.config.weight > 0) {
    for (const s of ordinary) taken.add(s.item);
    const keep = o.keep;
    const explored = drawExplored(
      e.pool,
      candidatesOf(e.pool, e.config.ageCutOffDays),
      explorationPlaces(e.config.weight, places),
      (id) => !taken.has(id) && (!keep || keep(id)),
      o.random,
    );
    if (explored.length > 0) {
      const kept = ordinary.slice(0, Math.max(0, Math.min(ordinary.length, places - explored.length)));
      const scores = (o.model as ScoringModel).scoresOf?.([...o.history], explored, o.context) ?? [];
      const placed = explored.map((item, i): Answered => {
        const score = scores[i];
        return { item, ...(score !== undefined ? { score: roundScore(score) } : {}), ...(v2 ? { reason: [REASON_EXPLORATION] } : {}) };
      });
      // Stable: the model's items keep their order; items without a score go last.
      const rank = (s: Answered) => (s.score === undefined ? -1 : s.score);
      ordinary = [...kept, ...placed].sort((a, b) => rank(b) - rank(a));
    }
  }
  // Promoted items back at their places.
  const out: Answered[] = [];
  let r = 0;
  for (let i = 0; r < ordinary.length || promotedAt.size > 0; i++) {
    const promoted = promotedAt.get(i);
    if (promoted) (out.push(promoted), promotedAt.delete(i));
    else if (r < ordinary.length) out.push(ordinary[r++]);
    else {
      // Fewer ordinary items than before: the remaining promoted ones follow in order.
      for (const p of [...promotedAt.entries()].sort((a, b) => a[0] - b[0])) out.push(p[1]);
      break;
    }
  }
  return out.slice(0, o.numResults);
}
