// The grammar of filter expressions (training-rules.md §8.2), as a recursive-descent parser:
//
//   filter     := expression ( "|" expression )*
//   expression := action target WHERE condition ( (AND|OR) condition )* ( IF usercond ( AND usercond )* )?
//   condition  := field (IN | NOT IN) ( "(" values ")" | "(" $P ")" | CurrentItem.f | "(" CurrentItem.f ")" )
//              |  field cmp ( number | $P | CurrentItem.f | "(" number ")" | "(" $P ")" )
//   usercond   := CurrentUser.f (IN | NOT IN) "(" values | $P ")"  |  CurrentUser.f cmp ( number | $P | "(" … ")" )
//
// Keywords, dataset names and field names are case-insensitive (rule 104); placeholder names
// and quoted values keep their case. Only the grammar is checked here: which datasets, fields,
// operators and values an expression may combine is filter-check.ts's business.
import type { DatasetType } from '../../data/schema/schema-model.ts';
import {
  FilterExpressionError,
  type ComparisonOp,
  type Condition,
  type Expression,
  type FieldRef,
  type FilterAction,
  type FilterTarget,
  type Operand,
  type ParsedFilter,
} from './filter-syntax.ts';
import { tokenize, type Token } from './filter-tokens.ts';

/** Dataset names as an expression may write them (lower-cased), and their dataset types. */
const DATASETS: Record<string, DatasetType> = {
  items: 'ITEMS',
  interactions: 'INTERACTIONS',
  users: 'USERS',
  actions: 'ACTIONS',
  action_interactions: 'ACTION_INTERACTIONS',
  actioninteractions: 'ACTION_INTERACTIONS',
};

/** The dataset as the documentation writes it in expressions, for messages. */
export const DATASET_LABEL: Record<DatasetType, string> = {
  ITEMS: 'Items',
  INTERACTIONS: 'Interactions',
  USERS: 'Users',
  ACTIONS: 'Actions',
  ACTION_INTERACTIONS: 'Action_Interactions',
};

const TARGETS: Record<string, FilterTarget> = { itemid: 'ItemID', actionid: 'ActionID', userid: 'UserID' };
const COMPARISONS: readonly string[] = ['=', '!=', '<', '<=', '>', '>='];

const describe = (t: Token) => (t.kind === 'end' ? t.text : `'${t.text}'`);

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private get peek(): Token {
    return this.tokens[this.i];
  }

  private next(): Token {
    const t = this.tokens[this.i];
    if (t.kind !== 'end') this.i++;
    return t;
  }

  private fail(expected: string, t: Token = this.peek): never {
    throw new FilterExpressionError(`expected ${expected}, found ${describe(t)}`, t.position);
  }

  private isWord(word: string, t: Token = this.peek): boolean {
    return t.kind === 'word' && t.value.toLowerCase() === word;
  }

  private isPunct(p: string, t: Token = this.peek): boolean {
    return t.kind === 'punct' && t.value === p;
  }

  private expectPunct(p: string, expected: string): Token {
    if (!this.isPunct(p)) this.fail(expected);
    return this.next();
  }

  filter(): ParsedFilter {
    const expressions = [this.expression()];
    while (this.isPunct('|')) {
      this.next();
      expressions.push(this.expression());
    }
    if (this.peek.kind !== 'end') this.fail('AND, OR, IF, | or the end of the expression');
    return { expressions };
  }

  private expression(): Expression {
    const start = this.peek;
    if (!this.isWord('include') && !this.isWord('exclude')) this.fail('INCLUDE or EXCLUDE');
    const action = this.next().value.toUpperCase() as FilterAction;
    const targetToken = this.peek;
    const target = targetToken.kind === 'word' ? TARGETS[targetToken.value.toLowerCase()] : undefined;
    if (!target) this.fail(`ItemID, ActionID or UserID after ${action}`);
    this.next();
    if (!this.isWord('where')) this.fail(`WHERE after ${targetToken.text}`);
    this.next();
    const where: Condition[][] = [[this.condition()]];
    while (this.isWord('and') || this.isWord('or')) {
      const joiner = this.next().value.toLowerCase();
      const condition = this.condition();
      if (joiner === 'and') where[where.length - 1].push(condition);
      else where.push([condition]);
    }
    const userConditions: Condition[] = [];
    if (this.isWord('if')) {
      this.next();
      userConditions.push(this.userCondition());
      while (this.isWord('and')) {
        this.next();
        userConditions.push(this.userCondition());
      }
      if (this.isWord('or')) {
        throw new FilterExpressionError('the conditions after IF can only be joined with AND, not OR', this.peek.position);
      }
      if (this.isWord('if')) throw new FilterExpressionError('IF can be used only once, at the end of an expression', this.peek.position);
    }
    return { action, target, where, userConditions, position: start.position };
  }

  /** `Dataset.field` on the left of a WHERE condition. */
  private field(): FieldRef {
    const t = this.peek;
    if (this.isWord('currentitem')) {
      throw new FilterExpressionError(
        'CurrentItem can only be on the right of a condition, e.g. Items.GENRE IN CurrentItem.GENRE',
        t.position,
      );
    }
    if (this.isWord('currentuser')) {
      throw new FilterExpressionError('CurrentUser can only be used in the IF condition at the end of an expression', t.position);
    }
    const dataset = t.kind === 'word' ? DATASETS[t.value.toLowerCase()] : undefined;
    if (!dataset) this.fail('a dataset field such as Items.GENRE (dataset Items, Interactions, Users, Actions or Action_Interactions)');
    this.next();
    return this.fieldName(dataset, t);
  }

  private fieldName(dataset: DatasetType, start: Token): FieldRef {
    this.expectPunct('.', `'.' and a field name after ${start.text}`);
    const name = this.peek;
    if (name.kind !== 'word') this.fail(`a field name after ${start.text}.`);
    this.next();
    return { dataset, name: name.value, text: `${start.text}.${name.value}`, position: start.position };
  }

  /** `CurrentItem.field`, the peeked token being CurrentItem. */
  private currentItem(): Operand {
    const start = this.next();
    return { kind: 'current-item', field: this.fieldName('ITEMS', start) };
  }

  private condition(): Condition {
    const field = this.field();
    return this.rest(field, true);
  }

  private userCondition(): Condition {
    const t = this.peek;
    if (!this.isWord('currentuser')) this.fail('a CurrentUser field after IF, e.g. CurrentUser.AGE');
    this.next();
    return this.rest(this.fieldName('USERS', t), false);
  }

  /** The operator and operand of a condition on `field`. */
  private rest(field: FieldRef, allowCurrentItem: boolean): Condition {
    const opToken = this.peek;
    if (this.isWord('not')) {
      this.next();
      if (!this.isWord('in')) this.fail('IN after NOT');
      this.next();
      return { field, op: 'NOT IN', operand: this.inOperand(allowCurrentItem), position: opToken.position };
    }
    if (this.isWord('in')) {
      this.next();
      return { field, op: 'IN', operand: this.inOperand(allowCurrentItem), position: opToken.position };
    }
    if (opToken.kind === 'op' && COMPARISONS.includes(opToken.value)) {
      this.next();
      return { field, op: opToken.value as ComparisonOp, operand: this.comparisonOperand(allowCurrentItem), position: opToken.position };
    }
    return this.fail(`IN, NOT IN or a comparison (=, !=, <, <=, >, >=) after ${field.text}`);
  }

  private inOperand(allowCurrentItem: boolean): Operand {
    if (allowCurrentItem && this.isWord('currentitem')) return this.currentItem();
    const open = this.peek;
    const what = allowCurrentItem
      ? '( with quoted values, a $PLACEHOLDER or CurrentItem.<field>'
      : '( with quoted values or a $PLACEHOLDER';
    this.expectPunct('(', what);
    const first = this.peek;
    let operand: Operand;
    if (first.kind === 'param') {
      this.next();
      operand = { kind: 'param', name: first.value, position: first.position };
      if (this.isPunct(',')) {
        throw new FilterExpressionError(
          `a placeholder must be the only value in the list, e.g. IN (${first.text}); pass several values in filterValues`,
          this.peek.position,
        );
      }
    } else if (allowCurrentItem && this.isWord('currentitem')) {
      operand = this.currentItem();
    } else {
      const values = [this.literal()];
      while (this.isPunct(',')) {
        this.next();
        values.push(this.literal());
      }
      operand = { kind: 'values', values, position: open.position };
    }
    this.expectPunct(')', `',' or ')' to close the list opened at position ${open.position}`);
    return operand;
  }

  private literal(): string {
    const t = this.peek;
    if (t.kind === 'string') {
      this.next();
      return t.value;
    }
    if (t.kind === 'param') {
      throw new FilterExpressionError(`a placeholder must be the only value in the list, e.g. IN (${t.text})`, t.position);
    }
    if (t.kind === 'number' || t.kind === 'word') this.fail(`a value in double quotes, e.g. "${t.text}"`);
    return this.fail('a value in double quotes, e.g. "comedy"');
  }

  private comparisonOperand(allowCurrentItem: boolean): Operand {
    if (allowCurrentItem && this.isWord('currentitem')) return this.currentItem();
    if (this.isPunct('(')) {
      const open = this.next();
      const operand = this.scalar(allowCurrentItem);
      this.expectPunct(')', `')' to close the parenthesis opened at position ${open.position}`);
      return operand;
    }
    return this.scalar(allowCurrentItem);
  }

  private scalar(allowCurrentItem: boolean): Operand {
    const t = this.peek;
    if (t.kind === 'number') {
      this.next();
      return { kind: 'number', value: Number(t.value), position: t.position };
    }
    if (t.kind === 'param') {
      this.next();
      return { kind: 'param', name: t.value, position: t.position };
    }
    if (allowCurrentItem && this.isWord('currentitem')) return this.currentItem();
    if (t.kind === 'string') {
      this.fail('a number or a $PLACEHOLDER after a comparison (compare strings with IN ("value"))');
    }
    return this.fail(allowCurrentItem ? 'a number, a $PLACEHOLDER or CurrentItem.<field>' : 'a number or a $PLACEHOLDER');
  }
}

/** The expression's structure, or FilterExpressionError saying where it breaks the grammar. */
export function parseFilterExpression(expression: string): ParsedFilter {
  if (expression.trim() === '') throw new FilterExpressionError('the expression is empty', 1);
  return new Parser(tokenize(expression)).filter();
}
