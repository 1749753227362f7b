// What a parsed filter may combine (rules 100–104 and §11), checked against the dataset group's
// schemas; the result names every field as its schema spells it, with its type, ready to be
// evaluated. Choices where AWS documents nothing [INF]:
//  * ItemID expressions filter on Items or Interactions, UserID on Users or Interactions, ActionID
//    on Actions or Action_Interactions; user metadata reaches item and action filters only
//    through IF CurrentUser, which user-segment (UserID) filters cannot use;
//  * every expression of one filter has the same target (a filter serves one kind of request);
//  * IN/NOT IN values of a numeric field must be numbers (written quoted, as every IN value);
//    <, <=, >, >= need numeric fields, = and != a numeric field unless the other side is a
//    placeholder or CurrentItem (then string fields compare as exact strings);
//  * the reserved id fields (ITEM_ID of Items, ...) may be filtered like any string field.
import type { DatasetType, ParsedSchema, SchemaField } from '../../data/schema/schema-model.ts';
import { DATASET_LABEL } from './filter-parser.ts';
import {
  FilterExpressionError,
  type Condition,
  type ConditionOp,
  type FieldRef,
  type FilterAction,
  type FilterTarget,
  type ParsedFilter,
} from './filter-syntax.ts';

/** The schemas of the group's datasets, by dataset type (absent: the group has no such dataset). */
export type GroupSchemas = Partial<Record<DatasetType, ParsedSchema>>;

/** At most this many distinct dataset fields per filter, and across a group's filters (§11; not adjustable). */
export const MAX_FIELDS_PER_FILTER = 10;
export const MAX_FIELDS_PER_GROUP = 20;

export interface ResolvedField {
  dataset: DatasetType;
  field: SchemaField;
  /** `Items.GENRES`: the dataset and the field as the schema spells it (the unit of the field quotas). */
  label: string;
}

export type ResolvedOperand =
  | { kind: 'values'; values: string[] }
  | { kind: 'param'; name: string }
  | { kind: 'number'; value: number }
  | { kind: 'current-item'; field: ResolvedField };

export interface ResolvedCondition {
  field: ResolvedField;
  op: ConditionOp;
  operand: ResolvedOperand;
}

export interface ResolvedExpression {
  action: FilterAction;
  target: FilterTarget;
  /** The dataset of the WHERE conditions (all of them use the first one's). */
  dataset: DatasetType;
  where: ResolvedCondition[][];
  userConditions: ResolvedCondition[];
  /** The placeholders the expression uses, without $. */
  params: string[];
}

export interface ResolvedFilter {
  target: FilterTarget;
  expressions: ResolvedExpression[];
  /** The distinct dataset fields the filter uses (`Items.GENRES`, `Users.AGE`, ...). */
  fields: string[];
}

const WHERE_DATASETS: Record<FilterTarget, DatasetType[]> = {
  ItemID: ['ITEMS', 'INTERACTIONS'],
  UserID: ['USERS', 'INTERACTIONS'],
  ActionID: ['ACTIONS', 'ACTION_INTERACTIONS'],
};

const NUMERIC = new Set(['int', 'long', 'float', 'double']);
export const isNumeric = (f: SchemaField) => NUMERIC.has(f.type);
const isInteractions = (d: DatasetType) => d === 'INTERACTIONS' || d === 'ACTION_INTERACTIONS';
const ORDERING = new Set<ConditionOp>(['<', '<=', '>', '>=']);

function resolveField(ref: FieldRef, schemas: GroupSchemas): ResolvedField {
  const label = DATASET_LABEL[ref.dataset];
  const schema = schemas[ref.dataset];
  if (!schema) {
    throw new FilterExpressionError(`${ref.text} names the ${label} dataset, but the dataset group has no ${label} dataset`, ref.position);
  }
  const field = schema.fields.find((f) => f.name.toLowerCase() === ref.name.toLowerCase());
  if (!field) {
    const names = schema.fields.map((f) => f.name).join(', ');
    throw new FilterExpressionError(
      `${ref.text}: the ${label} dataset's schema has no field ${ref.name} (its fields: ${names})`,
      ref.position,
    );
  }
  if (field.type === 'boolean') {
    throw new FilterExpressionError(
      `${ref.text} is a boolean field, which filters cannot use; store the values as the strings "True" and "False" or as the numbers 0 and 1`,
      ref.position,
    );
  }
  if (field.textual) {
    throw new FilterExpressionError(`${ref.text} is a textual field (unstructured text), which filters cannot use`, ref.position);
  }
  return { dataset: ref.dataset, field, label: `${label}.${field.name}` };
}

function checkValues(c: Condition, field: ResolvedField, values: string[]): void {
  const eventType = isInteractions(field.dataset);
  for (const v of values) {
    if (v === '*' && !eventType) {
      throw new FilterExpressionError(
        `"*" (every event type) can only be used with Interactions.EVENT_TYPE, not with ${c.field.text}`,
        c.position,
      );
    }
    if (isNumeric(field.field) && (v.trim() === '' || !Number.isFinite(Number(v)))) {
      throw new FilterExpressionError(`${c.field.text} is a numeric field (${field.field.type}); "${v}" is not a number`, c.position);
    }
  }
}

function resolveCondition(c: Condition, schemas: GroupSchemas): ResolvedCondition {
  const field = resolveField(c.field, schemas);
  if (isInteractions(field.dataset)) {
    if (field.field.name !== 'EVENT_TYPE') {
      throw new FilterExpressionError(
        `${c.field.text}: conditions on ${DATASET_LABEL[field.dataset]} can only use EVENT_TYPE (not other interaction metadata)`,
        c.field.position,
      );
    }
    if (c.op !== 'IN' && c.op !== 'NOT IN') {
      throw new FilterExpressionError(`${c.field.text} can only be used with IN or NOT IN, not ${c.op}`, c.position);
    }
  }
  const operand = c.operand;
  if (operand.kind === 'param' && c.op === 'NOT IN') {
    throw new FilterExpressionError(
      `placeholders can only be used with IN and the comparison operators, not with NOT IN ($${operand.name})`,
      operand.position,
    );
  }
  if (operand.kind === 'values') {
    checkValues(c, field, operand.values);
    return { field, op: c.op, operand: { kind: 'values', values: operand.values } };
  }
  if (operand.kind === 'current-item') {
    if (field.dataset !== 'ITEMS') {
      throw new FilterExpressionError(
        `CurrentItem can only be compared with Items fields, not with ${c.field.text}`,
        operand.field.position,
      );
    }
    const current = resolveField(operand.field, schemas);
    const ordering = ORDERING.has(c.op) || c.op === '=' || c.op === '!=';
    if (ordering && isNumeric(field.field) !== isNumeric(current.field)) {
      throw new FilterExpressionError(
        `${c.field.text} (${field.field.type}) and ${operand.field.text} (${current.field.type}) cannot be compared: one is a number, the other a string`,
        c.position,
      );
    }
    if (ORDERING.has(c.op) && !isNumeric(field.field)) {
      throw new FilterExpressionError(`${c.op} needs numeric fields; ${c.field.text} is a string field`, c.position);
    }
    return { field, op: c.op, operand: { kind: 'current-item', field: current } };
  }
  if (operand.kind === 'number' && !isNumeric(field.field)) {
    throw new FilterExpressionError(
      `${c.field.text} is a string field; compare it with a number only if it is numeric (use IN ("value") for strings)`,
      c.position,
    );
  }
  if (ORDERING.has(c.op) && !isNumeric(field.field)) {
    throw new FilterExpressionError(
      `${c.op} needs a numeric field (int, long, float or double); ${c.field.text} is a string field`,
      c.position,
    );
  }
  return {
    field,
    op: c.op,
    operand: operand.kind === 'number' ? { kind: 'number', value: operand.value } : { kind: 'param', name: operand.name },
  };
}

function paramsOf(conditions: ResolvedCondition[]): string[] {
  return conditions.flatMap((c) => (c.operand.kind === 'param' ? [c.operand.name] : []));
}

/** The filter with its fields resolved against the group's schemas, or FilterExpressionError. */
export function resolveFilter(parsed: ParsedFilter, schemas: GroupSchemas): ResolvedFilter {
  const target = parsed.expressions[0].target;
  const expressions = parsed.expressions.map((e): ResolvedExpression => {
    if (e.target !== target) {
      throw new FilterExpressionError(
        `every expression of a filter must filter the same thing: this one filters ${e.target}, the first one ${target}`,
        e.position,
      );
    }
    const first = e.where[0][0].field;
    const allowed = WHERE_DATASETS[e.target];
    if (!allowed.includes(first.dataset)) {
      const hint = first.dataset === 'USERS' ? '; use IF CurrentUser.<field> for conditions on the current user' : '';
      throw new FilterExpressionError(
        `${e.target} expressions filter on ${allowed.map((d) => DATASET_LABEL[d]).join(' or ')} fields, not on ${first.text}${hint}`,
        first.position,
      );
    }
    for (const c of e.where.flat()) {
      if (c.field.dataset !== first.dataset) {
        throw new FilterExpressionError(
          `the conditions of one expression must all use the dataset of its first condition (${DATASET_LABEL[first.dataset]}), ` +
            `but ${c.field.text} uses ${DATASET_LABEL[c.field.dataset]}; chain expressions with | to filter on both`,
          c.field.position,
        );
      }
    }
    if (e.userConditions.length > 0 && e.target === 'UserID') {
      throw new FilterExpressionError(
        'IF CurrentUser cannot be used in a UserID (user segment) filter',
        e.userConditions[0].field.position,
      );
    }
    const where = e.where.map((group) => group.map((c) => resolveCondition(c, schemas)));
    const userConditions = e.userConditions.map((c) => resolveCondition(c, schemas));
    const params = [...new Set([...paramsOf(where.flat()), ...paramsOf(userConditions)])];
    return { action: e.action, target: e.target, dataset: first.dataset, where, userConditions, params };
  });
  const fields = new Set<string>();
  for (const e of expressions) {
    for (const c of [...e.where.flat(), ...e.userConditions]) {
      fields.add(c.field.label);
      if (c.operand.kind === 'current-item') fields.add(c.operand.field.label);
    }
  }
  if (fields.size > MAX_FIELDS_PER_FILTER) {
    throw new FilterExpressionError(
      `the filter uses ${fields.size} distinct dataset fields (${[...fields].join(', ')}); a filter can use at most ${MAX_FIELDS_PER_FILTER}`,
    );
  }
  return { target, expressions, fields: [...fields] };
}
