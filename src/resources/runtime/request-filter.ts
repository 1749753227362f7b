// The one place a request's filterArn / filterValues (and a promotion's) become the items they
// keep: the stored filter is found (ResourceNotFoundException when it is not the caller's),
// checked (ACTIVE, of the campaign's dataset group, for the right target), compiled once per
// process (serving/filters/filter-loading.ts) and prepared for this request's user, item and
// values against the group's data as it is now — so an item put through PutEvents a moment ago
// is already excluded. The caller drops what the predicate refuses before cutting to numResults.
// [INF] choices (rules 96, 100): a filter that is not ACTIVE yet, one of another dataset group, or
// one whose target does not fit the operation is InvalidInputException.
import type { FilterValues, Promotion as PromotionInput } from '../../api/personalize-runtime-types.ts';
import type { CatalogOps } from '../../catalog/catalog.ts';
import type { RequestContext } from '../../protocol/handler-types.ts';
import { invalidInput, notFound } from '../../protocol/service-error.ts';
import { CompiledFilterCache } from '../../serving/filters/filter-loading.ts';
import type { ItemPredicate, Promotion } from '../../serving/recommendations.ts';
import type { ActionFilterData } from '../../serving/filters/filter-evaluator.ts';
import type { FilterTarget } from '../../serving/filters/filter-syntax.ts';
import type { FilterDataSource } from '../../serving/serving-data.ts';
import { FILTER_KIND, FILTER_STATUSES } from '../filters/filter-record.ts';
import { settle } from '../shared/lifecycle.ts';
import { hasStatus } from '../shared/status-table.ts';

/** Who a filter is evaluated for: the request's ids and the campaign's data. */
export interface FilterSubject {
  userId?: string;
  itemId?: string;
  /** The dataset group the campaign's model was trained in. */
  datasetGroupArn: string;
  /** The group's data; ActionID filters also read its actions (ActionFilterData). */
  data: FilterDataSource & Partial<ActionFilterData>;
}

export interface FilterDeps {
  catalog: Pick<CatalogOps, 'get' | 'list'>;
  now: () => number;
}

/** A filter never changes once created: compiled forms are shared by every request of the process. */
const compiled = new CompiledFilterCache();

export async function requestFilter(
  deps: FilterDeps,
  ctx: RequestContext,
  filterArn: string | undefined,
  filterValues: FilterValues | undefined,
  subject: FilterSubject,
  /** What the operation recommends: items (GetRecommendations, GetPersonalizedRanking) or actions. */
  target: FilterTarget = 'ItemID',
): Promise<ItemPredicate | undefined> {
  if (filterArn === undefined) return undefined;
  const record = await deps.catalog.get(filterArn);
  if (!record || record.kind !== FILTER_KIND.kind || record.account !== ctx.account || record.region !== ctx.region)
    throw notFound(`Could not find the filter ${filterArn}.`);
  const filter = settle(record, deps.now());
  if (!hasStatus(FILTER_STATUSES, filter, 'ACTIVE'))
    throw invalidInput(`Filter ${filterArn} is in state ${filter.status}; it can be used once it is ACTIVE.`);
  if (filter.parentArn !== subject.datasetGroupArn)
    throw invalidInput(
      `Filter ${filterArn} belongs to the dataset group ${filter.parentArn}, not to the campaign's ${subject.datasetGroupArn}.`,
    );
  const c = await compiled.get(deps.catalog, filter);
  if (c.target !== target)
    throw invalidInput(
      `Filter ${filterArn} filters ${c.target}; ${target === 'ActionID' ? 'action' : 'item'} recommendations need an ${target} filter.`,
    );
  return c.prepare({ userId: subject.userId, currentItemId: subject.itemId, values: filterValues ?? {} }, subject.data);
}

/** The request's promotion with its filter prepared, or undefined (none, or one without a filter). */
export async function promotionOf(
  deps: FilterDeps,
  ctx: RequestContext,
  promotions: PromotionInput[] | undefined,
  subject: FilterSubject,
): Promise<Promotion | undefined> {
  const p = promotions?.[0];
  if (!p?.filterArn) return undefined;
  const keep = (await requestFilter(deps, ctx, p.filterArn, p.filterValues, subject))!;
  return { name: p.name ?? '', percentPromotedItems: p.percentPromotedItems ?? 0, keep };
}
