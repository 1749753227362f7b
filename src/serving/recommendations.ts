// What a campaign answers (training-rules.md §7): recommendations and rankings from its model and
// the group's data now, with scores as each recipe defines them.
//
//  * A user's history is the group's Interactions now (serving-data.ts: bulk data and individually
//    put events), limited to the event types the solution trained on (its eventType, or the event
//    types of its eventsConfig; case-insensitive, as training matches them). So a PutEvents changes
//    that user's next answer, and an unknown user (no history) gets the model's answer for an
//    empty history: the popular items.
//  * Scores (§7.4): User-Personalization's softmax over the catalog and Personalized-Ranking's
//    softmax over the ranked list, rounded to 7 decimals (rule 7); none for SIMS, Similar-Items,
//    Popularity-Count and Trending-Now (rule 94), whose models give none. Items a ranking model
//    does not know are placed last without a score (rule 90).
//  * A filter (the runtime's request filter) removes items before the list is cut to numResults:
//    the model is asked for more until enough pass or it has no more. A promotion takes some of
//    the places for items its own filter keeps (recommendItems).
import { randomUUID } from 'node:crypto';
import type { SolutionVersionBody } from '../resources/solution-versions/solution-version-record.ts';
import type { RecipeDefinition } from '../training/recipes/recipe-catalog.ts';
import type { Model, Scored } from '../training/trainer.ts';
import type { FilterDataSource, UserInteraction } from './serving-data.ts';

/** Which runtime operation and ids a campaign's recipe takes (rule 81, table 1.1). */
export type RuntimeKind = 'USER' | 'POPULAR' | 'RELATED' | 'RANKING' | 'OTHER';

const POPULAR_RECIPES = new Set(['aws-popularity-count', 'aws-trending-now']);

export function runtimeKindOf(recipe: RecipeDefinition): RuntimeKind {
  if (POPULAR_RECIPES.has(recipe.name)) return 'POPULAR';
  if (recipe.recipeType === 'USER_PERSONALIZATION') return 'USER';
  if (recipe.recipeType === 'RELATED_ITEMS') return 'RELATED';
  if (recipe.recipeType === 'PERSONALIZED_RANKING') return 'RANKING';
  return 'OTHER';
}

/** Keeps an item (true) or drops it; the request's filter. */
export type ItemPredicate = (itemId: string) => boolean;

/** `RID-` and a lowercase UUID v4 (rule 6). */
export const newRecommendationId = () => `RID-${randomUUID()}`;

/** Rule 7: 7 decimal places. */
export const roundScore = (x: number) => Math.round(x * 1e7) / 1e7;

/** The event types the solution version trained on (lower case), or undefined for all of them. */
function trainedEventTypes(version: SolutionVersionBody): Set<string> | undefined {
  const listed = version.solutionConfig?.eventsConfig?.eventParametersList;
  if (listed) return new Set(listed.map((p) => (p.eventType ?? '').toLowerCase()));
  if (version.eventType !== undefined) return new Set([version.eventType.toLowerCase()]);
  return undefined;
}

/** The items of a user's history the model reads, oldest first. */
export function historyOf(interactions: readonly UserInteraction[], version: SolutionVersionBody): string[] {
  const types = trainedEventTypes(version);
  return (types ? interactions.filter((x) => types.has(x.eventType.toLowerCase())) : interactions).map((x) => x.itemId);
}

/** The most items a filtered request asks the model for before it settles for fewer. */
const MAX_CANDIDATES = 100_000;

/** The model's top k items that `keep` keeps, asking the model for more while filtered ones use up the list. */
function topKept(
  model: Model,
  q: { history: string[]; itemId?: string; context?: Record<string, string> },
  k: number,
  keep?: ItemPredicate,
): Scored[] {
  if (!keep) return model.recommend({ ...q, k });
  for (let want = Math.max(k * 2, 50); ; want = Math.min(want * 4, MAX_CANDIDATES)) {
    const got = model.recommend({ ...q, k: want });
    const kept = got.filter((s) => keep(s.item));
    if (kept.length >= k || got.length < want || want === MAX_CANDIDATES) return kept.slice(0, k);
  }
}

const rounded = (s: Scored): Scored => (s.score === undefined ? { item: s.item } : { item: s.item, score: roundScore(s.score) });

export interface Deployed {
  model: Model;
  recipe: RecipeDefinition;
  /** The deployed solution version's ARN ($LATEST resolved) and document. */
  versionArn: string;
  version: SolutionVersionBody;
  data: FilterDataSource;
}

/** A request's promotion (rule 86), its filter prepared. */
export interface Promotion {
  name: string;
  percentPromotedItems: number;
  keep: ItemPredicate;
}

/** A recommended item, marked when a promotion placed it. */
export type Recommended = Scored & { promotionName?: string };

/**
 * GetRecommendations of a USER, POPULAR or RELATED campaign (the caller checked the ids). With a
 * promotion, ⌊numResults × percent / 100⌋ places [INF: rounded down] go to the model's best items
 * that pass the promotion's filter (the request's filter does not apply to them), at random places
 * among the others; each group keeps its own order. Too few promotable items: the rest are
 * ordinary recommendations.
 */
export async function recommendItems(
  d: Deployed,
  q: {
    userId?: string;
    itemId?: string;
    numResults: number;
    keep?: ItemPredicate;
    promotion?: Promotion;
    /** The request's context (context.ts: only the user models use it). */
    context?: Record<string, string>;
  },
  random: () => number = Math.random,
): Promise<Recommended[]> {
  const kind = runtimeKindOf(d.recipe);
  // Related items answer for the item; popularity ignores who asks (rule 81).
  const history = kind === 'USER' && q.userId !== undefined ? historyOf(await d.data.interactions(q.userId), d.version) : [];
  const itemId = kind === 'RELATED' ? q.itemId : undefined;
  const query = { history, itemId, context: q.context };
  const p = q.promotion;
  if (!p) return topKept(d.model, query, q.numResults, q.keep).map(rounded);
  const promoted = topKept(d.model, query, Math.floor((q.numResults * p.percentPromotedItems) / 100), p.keep);
  const taken = new Set(promoted.map((s) => s.item));
  const keep = (id: string) => !taken.has(id) && (!q.keep || q.keep(id));
  const rest = topKept(d.model, query, q.numResults - promoted.length, keep);
  return interleave(
    rest.map(rounded),
    promoted.map((s) => ({ ...rounded(s), promotionName: p.name })),
    random,
  );
}

/** `b`'s items at random places among `a`'s, each list keeping its order. */
export function interleave<T>(a: T[], b: T[], random: () => number): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Each remaining slot is equally likely to hold any of the remaining items.
    const takeB = j < b.length && (i >= a.length || random() * (a.length - i + b.length - j) < b.length - j);
    out.push(takeB ? b[j++] : a[i++]);
  }
  return out;
}

/** GetPersonalizedRanking: the input items (each once, filtered) ranked for the user. */
export async function rankItems(
  d: Deployed,
  q: { userId: string; inputList: string[]; keep?: ItemPredicate; context?: Record<string, string> },
): Promise<Scored[]> {
  if (!d.model.rank) throw new Error(`Internal error: the ${d.recipe.name} model cannot rank`);
  const items = [...new Set(q.inputList)].filter((id) => !q.keep || q.keep(id));
  if (items.length === 0) return [];
  const history = historyOf(await d.data.interactions(q.userId), d.version);
  // Known items come first with softmax scores (positive); v1 gives unknown ones a 0, shown as no score.
  return d.model.rank(history, items, q.context).map((s) => (s.score === undefined || s.score === 0 ? { item: s.item } : rounded(s)));
}

/**
 * The metadata of items (rule 88): the requested Items columns as strings, by item; a column
 * whose value is empty (null) is left out. `columns` are the schema's names of the columns.
 */
export async function metadataOf(
  data: FilterDataSource,
  itemIds: readonly string[],
  columns: readonly string[],
): Promise<Map<string, Record<string, string>>> {
  const rows = await data.items();
  const out = new Map<string, Record<string, string>>();
  for (const id of itemIds) {
    const row = rows.get(id);
    const metadata: Record<string, string> = {};
    for (const c of columns) {
      const v = row?.[c];
      if (v !== null && v !== undefined) metadata[c] = String(v);
    }
    out.set(id, metadata);
  }
  return out;
}
