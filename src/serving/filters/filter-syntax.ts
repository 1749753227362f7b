// The parsed form of a filter expression (training-rules.md §8.2) and the error an invalid one
// raises. Produced by filter-parser.ts, checked against the dataset group's schemas by
// filter-check.ts, evaluated by filter-evaluator.ts. Positions are 1-based character offsets
// into the expression, so that a message can point at the problem.
import type { DatasetType } from '../../data/schema/schema-model.ts';

/**
 * An expression CreateFilter must refuse (InvalidInputException with this message). The message
 * starts the way AWS's own do ("Could not create filter. Invalid Expression...", rule 102).
 */
export class FilterExpressionError extends Error {
  constructor(
    readonly detail: string,
    /** 1-based offset of the problem in the expression; undefined for the expression as a whole. */
    readonly position?: number,
  ) {
    super(`Could not create filter. Invalid Expression: ${detail}${position === undefined ? '' : ` (at position ${position})`}.`);
    this.name = 'FilterExpressionError';
  }
}

export type FilterAction = 'INCLUDE' | 'EXCLUDE';
export type FilterTarget = 'ItemID' | 'ActionID' | 'UserID';
export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type ConditionOp = 'IN' | 'NOT IN' | ComparisonOp;

/** `Items.GENRE`, `CurrentItem.PRICE`, `CurrentUser.AGE`: the name as written (matched to the schema case-insensitively). */
export interface FieldRef {
  dataset: DatasetType;
  name: string;
  /** How the reference was written, for messages: `Items.genre`, `CurrentUser.AGE`. */
  text: string;
  position: number;
}

export type Operand =
  /** `("a", "b")`: the quoted literals, unquoted. */
  | { kind: 'values'; values: string[]; position: number }
  /** `$NAME` (or `($NAME)`): given at request time through filterValues (key NAME, case-sensitive). */
  | { kind: 'param'; name: string; position: number }
  | { kind: 'number'; value: number; position: number }
  /** `CurrentItem.<field>`: the field of the item a related-items request names. */
  | { kind: 'current-item'; field: FieldRef };

export interface Condition {
  field: FieldRef;
  op: ConditionOp;
  operand: Operand;
  position: number;
}

export interface Expression {
  action: FilterAction;
  target: FilterTarget;
  /**
   * The WHERE conditions in disjunctive form: AND binds tighter than OR (as in SQL), so
   * `a AND b OR c` is [[a, b], [c]]. An item matches if every condition of some group holds.
   */
  where: Condition[][];
  /** `IF CurrentUser.x ... AND ...`: the expression applies only when all of them hold. */
  userConditions: Condition[];
  position: number;
}

export interface ParsedFilter {
  expressions: Expression[];
}
