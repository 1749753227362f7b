// One condition of a filter, bound to a request's values, as a test of a field's value. How
// values compare (rules 102, 106):
//  * event types match case-insensitively, and "*" matches every event type;
//  * everything else is exact: a categorical field holds `|`-separated values (as imported,
//    rules.md rule 41) and is IN a list when any of its values is; NOT IN when none is;
//  * numeric fields compare as numbers (IN ("1995") matches the int 1995);
//  * a missing value (no record, null, empty) satisfies no condition, NOT IN included, as in SQL [INF].
import type { SchemaField } from '../../data/schema/schema-model.ts';
import { isNumeric, type ResolvedCondition, type ResolvedField } from './filter-check.ts';
import { numberValue, parseFilterValue, singleValue } from './filter-values.ts';

export type ValueTest = (value: unknown) => boolean;

/** What binding a condition needs from the request besides filterValues. */
export interface BindContext {
  values: Readonly<Record<string, string>>;
  /** The current item's value of a field (CurrentItem.<field>); called only for conditions that use it. */
  currentItemValue(field: ResolvedField): unknown;
}

const ID_FIELDS: Readonly<Record<string, string>> = { ITEMS: 'ITEM_ID', USERS: 'USER_ID', ACTIONS: 'ACTION_ID' };

/** The field's value in a metadata record; the id field is the record's key. */
export function fieldValue(field: ResolvedField, id: string, record: Readonly<Record<string, unknown>> | undefined): unknown {
  if (ID_FIELDS[field.dataset] === field.field.name) return id;
  return record?.[field.field.name];
}

const isMissing = (v: unknown) => v === null || v === undefined || v === '';

function asNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return NaN;
}

/** The field's value as the strings a list compares it by: the parts of a categorical value. */
function partsOf(field: SchemaField, v: unknown): string[] {
  const s = String(v);
  return field.categorical ? s.split('|') : [s];
}

const isEventType = (f: ResolvedField) => f.dataset === 'INTERACTIONS' || f.dataset === 'ACTION_INTERACTIONS';

/** IN / NOT IN against a list of literals. */
function listTest(field: ResolvedField, literals: string[], negate: boolean): ValueTest {
  let contains: (v: unknown) => boolean;
  if (isEventType(field)) {
    const any = literals.includes('*');
    const set = new Set(literals.map((l) => l.toLowerCase()));
    contains = (v) => any || set.has(String(v).toLowerCase());
  } else if (isNumeric(field.field)) {
    // Set lookup treats NaN as equal to NaN: a non-numeric literal must match nothing.
    const set = new Set(literals.map(asNumber).filter((n) => !Number.isNaN(n)));
    contains = (v) => set.has(asNumber(v));
  } else {
    const set = new Set(literals);
    // Hot path (every candidate of a request): no allocation for single values; a multi-value is
    // split once per distinct value in this request.
    const multi = new Map<string, boolean>();
    contains = (v) => {
      const s = String(v);
      if (!field.field.categorical || !s.includes('|')) return set.has(s);
      let found = multi.get(s);
      if (found === undefined) multi.set(s, (found = s.split('|').some((p) => set.has(p))));
      return found;
    };
  }
  return (v) => !isMissing(v) && contains(v) !== negate;
}

const ORDER: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function numberTest(op: string, rhs: number): ValueTest {
  const cmp = ORDER[op];
  return (v) => {
    if (isMissing(v) || Number.isNaN(rhs)) return false;
    const n = asNumber(v);
    return !Number.isNaN(n) && cmp(n, rhs);
  };
}

/** = and != on a string field: exact strings; categorical values are equal when they share a part. */
function stringEquality(field: ResolvedField, op: string, rhs: string[]): ValueTest {
  const set = new Set(rhs);
  return (v) => {
    if (isMissing(v)) return false;
    const equal = partsOf(field.field, v).some((p) => set.has(p));
    return op === '=' ? equal : !equal;
  };
}

/** The condition as a test of its field's value, with the request's values bound. */
export function bindCondition(c: ResolvedCondition, ctx: BindContext): ValueTest {
  const { field, op, operand } = c;
  const numeric = isNumeric(field.field);
  if (op === 'IN' || op === 'NOT IN') {
    const negate = op === 'NOT IN';
    if (operand.kind === 'values') return listTest(field, operand.values, negate);
    if (operand.kind === 'param') return listTest(field, parseFilterValue(operand.name, ctx.values[operand.name]), negate);
    if (operand.kind === 'current-item') {
      const current = ctx.currentItemValue(operand.field);
      if (isMissing(current)) return () => false;
      const literals = isNumeric(operand.field.field) ? [String(asNumber(current))] : partsOf(operand.field.field, current);
      return listTest(field, literals, negate);
    }
    throw new Error(`Internal error: IN with a number operand on ${field.label}.`);
  }
  if (operand.kind === 'number') return numberTest(op, operand.value);
  if (operand.kind === 'param') {
    const raw = ctx.values[operand.name];
    return numeric ? numberTest(op, numberValue(operand.name, raw)) : stringEquality(field, op, [singleValue(operand.name, raw)]);
  }
  if (operand.kind === 'current-item') {
    const current = ctx.currentItemValue(operand.field);
    if (isMissing(current)) return () => false;
    return numeric ? numberTest(op, asNumber(current)) : stringEquality(field, op, partsOf(operand.field.field, current));
  }
  throw new Error(`Internal error: ${op} with a list operand on ${field.label}.`);
}
