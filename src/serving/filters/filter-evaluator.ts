// A filter compiled once (compileFilter) and applied per request (prepare): the request's values
// and the data as it is now (rules 105–107) give a test of candidate ids. Filtering happens
// before truncation to numResults: the caller tests every candidate in score order and keeps
// the first numResults that pass. Choices where AWS documents nothing [INF]:
//  * an expression whose IF CurrentUser conditions do not hold (or whose user has no metadata)
//    is left out, like an EXCLUDE whose placeholders were not given; with no INCLUDE left every
//    candidate passes the INCLUDE side;
//  * a filter on the user's interactions or with IF CurrentUser needs a userId, and one with
//    CurrentItem an itemId: InvalidInputException naming the member (rule 81: "userId only for
//    CurrentUser filters" / "if you apply a filter that requires it");
//  * Interactions conditions hold per interaction: an item passes `EVENT_TYPE IN ("click")` if one
//    of the user's (100 most recent per event type, rule 98) interactions with it is a click.
import { invalidInput } from '../../protocol/service-error.ts';
import type { FilterDataSource, UserInteraction } from '../serving-data.ts';
import { resolveFilter, type GroupSchemas, type ResolvedCondition, type ResolvedExpression } from './filter-check.ts';
import { bindCondition, fieldValue, type BindContext, type ValueTest } from './filter-conditions.ts';
import { parseFilterExpression } from './filter-parser.ts';
import type { FilterTarget } from './filter-syntax.ts';

/** Interactions per user per event type that filters consider (§11, adjustable); 300 for action interactions. */
export const FILTER_INTERACTIONS_PER_TYPE = 100;
export const FILTER_ACTION_INTERACTIONS_PER_TYPE = 300;

export interface FilterContext {
  /** The request's userId: whose interactions and CurrentUser metadata the filter reads. */
  userId?: string;
  /** The request's itemId (related-items recommendations): the CurrentItem. */
  currentItemId?: string;
  /** The request's filterValues: placeholder name without $ -> quoted, comma-separated literals. */
  values: Readonly<Record<string, string>>;
}

export interface ActionInteraction {
  actionId: string;
  eventType: string;
  time: number /* epoch seconds */;
}

/** What ActionID filters read besides FilterDataSource; a data source for action recommendations adds it. */
export interface ActionFilterData {
  actions(): Promise<ReadonlyMap<string, Readonly<Record<string, unknown>>>>;
  actionInteractions(userId: string): Promise<readonly ActionInteraction[]>;
}

export interface CompiledFilter {
  /** What the filter filters: ItemID (item recommendations), ActionID (actions) or UserID (user segments). */
  readonly target: FilterTarget;
  /** The distinct dataset fields it uses, e.g. `Items.GENRES` (the field quotas count these). */
  readonly fields: readonly string[];
  /** Its placeholders, without $. */
  readonly parameters: readonly string[];
  /**
   * The test of candidate ids for one request. `candidates`: the user ids a UserID filter on
   * Interactions will be asked about (their interactions are read up front). Throws
   * InvalidInputException (ServiceError) for a missing INCLUDE placeholder, a malformed value,
   * or a missing userId / itemId the filter needs.
   */
  prepare(
    ctx: FilterContext,
    data: FilterDataSource & Partial<ActionFilterData>,
    candidates?: Iterable<string>,
  ): Promise<(id: string) => boolean>;
}

/** The interactions filters consider: the `perType` most recent of each event type (case-insensitive). */
export function recentPerType<T extends { eventType: string; time: number }>(list: readonly T[], perType: number): readonly T[] {
  if (list.length <= perType) return list;
  const byType = new Map<string, T[]>();
  for (const x of list) {
    const key = x.eventType.toLowerCase();
    const group = byType.get(key);
    if (group) group.push(x);
    else byType.set(key, [x]);
  }
  return [...byType.values()].flatMap((group) =>
    group.length <= perType ? group : [...group].sort((a, b) => b.time - a.time).slice(0, perType),
  );
}

/** The data one request reads, each part fetched at most once. */
class RequestData {
  private readonly cache = new Map<string, Promise<unknown>>();
  constructor(private readonly data: FilterDataSource & Partial<ActionFilterData>) {}

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.cache.get(key) as Promise<T> | undefined;
    if (!p) this.cache.set(key, (p = load()));
    return p;
  }

  items = () => this.once('items', () => this.data.items());
  users = () => this.once('users', () => this.data.users());
  actions = () => this.once('actions', () => this.actionData().actions());
  interactions = (userId: string) =>
    this.once(`i:${userId}`, async () => recentPerType(await this.data.interactions(userId), FILTER_INTERACTIONS_PER_TYPE));
  actionInteractions = (userId: string) =>
    this.once(`a:${userId}`, async () =>
      recentPerType(await this.actionData().actionInteractions(userId), FILTER_ACTION_INTERACTIONS_PER_TYPE),
    );

  private actionData(): ActionFilterData {
    const { actions, actionInteractions } = this.data;
    if (!actions || !actionInteractions) throw new Error('Internal error: an ActionID filter was applied without action data.');
    return { actions: actions.bind(this.data), actionInteractions: actionInteractions.bind(this.data) };
  }
}

/** Whether some AND-group of the (bound) conditions holds for a value getter. */
function anyGroup(groups: { test: ValueTest; c: ResolvedCondition }[][], value: (c: ResolvedCondition) => unknown): boolean {
  return groups.some((group) => group.every(({ test, c }) => test(value(c))));
}

function needsUser(e: ResolvedExpression): boolean {
  return e.userConditions.length > 0 || (e.target !== 'UserID' && (e.dataset === 'INTERACTIONS' || e.dataset === 'ACTION_INTERACTIONS'));
}

const usesCurrentItem = (e: ResolvedExpression) => e.where.flat().some((c) => c.operand.kind === 'current-item');

async function currentItemValues(e: ResolvedExpression, ctx: FilterContext, data: RequestData): Promise<BindContext['currentItemValue']> {
  if (!usesCurrentItem(e)) return () => undefined;
  if (ctx.currentItemId === undefined) {
    throw invalidInput('The filter compares items with CurrentItem, so the request must give an itemId (the current item).');
  }
  const id = ctx.currentItemId;
  const record = (await data.items()).get(id);
  return (field) => fieldValue(field, id, record);
}

/** The expression's test of ids, or undefined when it does not apply to this request. */
async function expressionTest(
  e: ResolvedExpression,
  ctx: FilterContext,
  data: RequestData,
  candidates: Iterable<string> | undefined,
): Promise<((id: string) => boolean) | undefined> {
  const missing = e.params.filter((p) => ctx.values[p] === undefined);
  if (missing.length > 0) {
    // An EXCLUDE whose placeholders are not given is skipped (rule 106); an INCLUDE needs them all.
    if (e.action === 'EXCLUDE') return undefined;
    throw invalidInput(
      `The filter needs a value for the parameter $${missing[0]}: give filterValues {"${missing[0]}": ...} ` +
        `with quoted, comma-separated values, e.g. "\\"comedy\\",\\"drama\\"".`,
    );
  }
  if (needsUser(e) && ctx.userId === undefined) {
    throw invalidInput("The filter uses the current user's interactions or metadata (CurrentUser), so the request must give a userId.");
  }
  const bind: BindContext = { values: ctx.values, currentItemValue: await currentItemValues(e, ctx, data) };
  if (e.userConditions.length > 0) {
    const user = (await data.users()).get(ctx.userId!);
    const holds = e.userConditions.every((c) => bindCondition(c, bind)(fieldValue(c.field, ctx.userId!, user)));
    if (!holds) return undefined;
  }
  const groups = e.where.map((group) => group.map((c) => ({ c, test: bindCondition(c, bind) })));
  const byEventType = (x: { eventType: string }) => anyGroup(groups, () => x.eventType);
  switch (e.dataset) {
    case 'ITEMS': {
      const items = await data.items();
      return (id) => {
        const record = items.get(id);
        return anyGroup(groups, (c) => fieldValue(c.field, id, record));
      };
    }
    case 'USERS': {
      const users = await data.users();
      return (id) => {
        const record = users.get(id);
        return anyGroup(groups, (c) => fieldValue(c.field, id, record));
      };
    }
    case 'ACTIONS': {
      const actions = await data.actions();
      return (id) => {
        const record = actions.get(id);
        return anyGroup(groups, (c) => fieldValue(c.field, id, record));
      };
    }
    case 'INTERACTIONS': {
      if (e.target === 'UserID') {
        if (!candidates) throw new Error('Internal error: a UserID filter on Interactions needs the candidate users.');
        const users = [...new Set(candidates)];
        const histories = await Promise.all(users.map((u) => data.interactions(u)));
        const matching = new Set(users.filter((_, i) => (histories[i] as readonly UserInteraction[]).some(byEventType)));
        return (id) => matching.has(id);
      }
      const history = (await data.interactions(ctx.userId!)) as readonly UserInteraction[];
      const items = new Set(history.filter(byEventType).map((x) => x.itemId));
      return (id) => items.has(id);
    }
    case 'ACTION_INTERACTIONS': {
      const history = (await data.actionInteractions(ctx.userId!)) as readonly ActionInteraction[];
      const actions = new Set(history.filter(byEventType).map((x) => x.actionId));
      return (id) => actions.has(id);
    }
  }
}

/**
 * Parses and checks the expression against the group's schemas (FilterExpressionError, whose
 * message CreateFilter answers as InvalidInputException) and returns it ready to apply.
 */
export function compileFilter(expression: string, schemas: GroupSchemas): CompiledFilter {
  const resolved = resolveFilter(parseFilterExpression(expression), schemas);
  return {
    target: resolved.target,
    fields: resolved.fields,
    parameters: [...new Set(resolved.expressions.flatMap((e) => e.params))],
    async prepare(ctx, source, candidates) {
      const data = new RequestData(source);
      const tests = await Promise.all(resolved.expressions.map((e) => expressionTest(e, ctx, data, candidates)));
      const includes: ((id: string) => boolean)[] = [];
      const excludes: ((id: string) => boolean)[] = [];
      resolved.expressions.forEach((e, i) => {
        const test = tests[i];
        if (test) (e.action === 'INCLUDE' ? includes : excludes).push(test);
      });
      // (union of INCLUDEs) minus (union of EXCLUDEs), rule 105.
      return (id) => (includes.length === 0 || includes.some((t) => t(id))) && !excludes.some((t) => t(id));
    },
  };
}
