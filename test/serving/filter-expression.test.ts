// The filter expression language (training-rules.md §8.2, rules 100–104): a table of valid
// expressions with the structure they parse to and what they resolve to against a group's
// schemas, and a table of invalid ones with the position and the words of the error
// CreateFilter answers with. Evaluation is in filter-evaluation.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GroupSchemas } from '../../src/serving/filters/filter-check.ts';
import { compileFilter } from '../../src/serving/filters/filter-evaluator.ts';
import { DATASET_LABEL, parseFilterExpression } from '../../src/serving/filters/filter-parser.ts';
import { FilterExpressionError, type Condition, type Operand, type ParsedFilter } from '../../src/serving/filters/filter-syntax.ts';
import { ITEMS_AND_INTERACTIONS, SCHEMAS, WIDE_ITEMS } from './filter-fixtures.ts';

function operand(o: Operand): string {
  if (o.kind === 'values') return `(${o.values.map((v) => JSON.stringify(v)).join(', ')})`;
  if (o.kind === 'param') return `$${o.name}`;
  if (o.kind === 'number') return String(o.value);
  return `CurrentItem.${o.field.name}`;
}
const condition = (c: Condition, user = false) =>
  `${user ? 'CurrentUser' : DATASET_LABEL[c.field.dataset]}.${c.field.name} ${c.op} ${operand(c.operand)}`;

/** The parsed structure written out canonically: AND-groups joined by OR, values as JSON strings. */
function render(p: ParsedFilter): string {
  return p.expressions
    .map((e) => {
      const where = e.where.map((g) => g.map((c) => condition(c)).join(' AND ')).join(' OR ');
      const ifs = e.userConditions.length ? ` IF ${e.userConditions.map((c) => condition(c, true)).join(' AND ')}` : '';
      return `${e.action} ${e.target} WHERE ${where}${ifs}`;
    })
    .join(' | ');
}

interface Valid {
  expression: string;
  parsed: string;
  fields: string[];
  parameters?: string[];
}

const VALID: Valid[] = [
  // IN / NOT IN with literal lists, each dataset of item filters
  {
    expression: 'INCLUDE ItemID WHERE Items.GENRES IN ("Comedy")',
    parsed: 'INCLUDE ItemID WHERE Items.GENRES IN ("Comedy")',
    fields: ['Items.GENRES'],
  },
  {
    expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "stream")',
    parsed: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "stream")',
    fields: ['Interactions.EVENT_TYPE'],
  },
  {
    expression: 'INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")',
    parsed: 'INCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("*")',
    fields: ['Interactions.EVENT_TYPE'],
  },
  {
    expression: 'EXCLUDE ItemID WHERE Items.GENRES IN ("shoe") AND Items.STUDIO NOT IN ("boot")',
    parsed: 'EXCLUDE ItemID WHERE Items.GENRES IN ("shoe") AND Items.STUDIO NOT IN ("boot")',
    fields: ['Items.GENRES', 'Items.STUDIO'],
  },
  // every comparison operator, numbers with sign and decimals
  {
    expression:
      'INCLUDE ItemID WHERE Items.PRICE = 1 OR Items.PRICE != 2.5 OR Items.YEAR < -3 OR Items.YEAR <= 4 OR Items.PRICE > 5 OR Items.PRICE >= 6',
    parsed:
      'INCLUDE ItemID WHERE Items.PRICE = 1 OR Items.PRICE != 2.5 OR Items.YEAR < -3 OR Items.YEAR <= 4 OR Items.PRICE > 5 OR Items.PRICE >= 6',
    fields: ['Items.PRICE', 'Items.YEAR'],
  },
  // AND binds tighter than OR
  {
    expression: 'INCLUDE ItemID WHERE Items.YEAR >= 1970 AND Items.YEAR < 1980 OR Items.GENRES IN ("Horror") AND Items.PRICE < 5',
    parsed: 'INCLUDE ItemID WHERE Items.YEAR >= 1970 AND Items.YEAR < 1980 OR Items.GENRES IN ("Horror") AND Items.PRICE < 5',
    fields: ['Items.YEAR', 'Items.GENRES', 'Items.PRICE'],
  },
  // placeholders: in IN, in comparisons, parenthesised
  {
    expression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ($EVENT_TYPE)',
    parsed: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN $EVENT_TYPE',
    fields: ['Interactions.EVENT_TYPE'],
    parameters: ['EVENT_TYPE'],
  },
  {
    expression: 'INCLUDE ItemID WHERE Items.PRICE <= $PRICE AND Items.CREATION_TIMESTAMP < ($DATE)',
    parsed: 'INCLUDE ItemID WHERE Items.PRICE <= $PRICE AND Items.CREATION_TIMESTAMP < $DATE',
    fields: ['Items.PRICE', 'Items.CREATION_TIMESTAMP'],
    parameters: ['PRICE', 'DATE'],
  },
  { expression: 'INCLUDE ItemID WHERE Items.YEAR > (1990)', parsed: 'INCLUDE ItemID WHERE Items.YEAR > 1990', fields: ['Items.YEAR'] },
  // CurrentItem, with and without parentheses
  {
    expression: 'INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.GENRES IN CurrentItem.GENRES',
    parsed: 'INCLUDE ItemID WHERE Items.PRICE < CurrentItem.PRICE AND Items.GENRES IN CurrentItem.GENRES',
    fields: ['Items.PRICE', 'Items.GENRES'],
  },
  {
    expression: 'EXCLUDE ItemID WHERE Items.STUDIO NOT IN (CurrentItem.STUDIO)',
    parsed: 'EXCLUDE ItemID WHERE Items.STUDIO NOT IN CurrentItem.STUDIO',
    fields: ['Items.STUDIO'],
  },
  {
    expression: 'INCLUDE ItemID WHERE Items.YEAR = CurrentItem.YEAR',
    parsed: 'INCLUDE ItemID WHERE Items.YEAR = CurrentItem.YEAR',
    fields: ['Items.YEAR'],
  },
  // IF CurrentUser, extended with AND; a CurrentUser field counts as a Users field
  {
    expression: 'EXCLUDE ItemID WHERE Items.PRICE < 20 IF CurrentUser.AGE > 18 AND CurrentUser.AGE < 30',
    parsed: 'EXCLUDE ItemID WHERE Items.PRICE < 20 IF CurrentUser.AGE > 18 AND CurrentUser.AGE < 30',
    fields: ['Items.PRICE', 'Users.AGE'],
  },
  {
    expression: 'EXCLUDE ItemID WHERE Items.GENRES IN ($GENRE) IF CurrentUser.MEMBERSHIP = $M AND CurrentUser.AGE IN ("15")',
    parsed: 'EXCLUDE ItemID WHERE Items.GENRES IN $GENRE IF CurrentUser.MEMBERSHIP = $M AND CurrentUser.AGE IN ("15")',
    fields: ['Items.GENRES', 'Users.MEMBERSHIP', 'Users.AGE'],
    parameters: ['GENRE', 'M'],
  },
  // | between expressions, mixing datasets across them
  {
    expression: 'INCLUDE ItemID WHERE Items.GENRES IN ("drama") | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "stream")',
    parsed: 'INCLUDE ItemID WHERE Items.GENRES IN ("drama") | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "stream")',
    fields: ['Items.GENRES', 'Interactions.EVENT_TYPE'],
  },
  // keywords, dataset and field names in any case (rule 104: real notebooks); values keep theirs
  {
    expression: 'exclude UserId where users.membership in ("Gold")',
    parsed: 'EXCLUDE UserID WHERE Users.membership IN ("Gold")',
    fields: ['Users.MEMBERSHIP'],
  },
  {
    expression: 'Include ItemID Where ITEMS.genres In ($CATEGORIES) | exclude itemid where Interactions.event_type not in ("Watch")',
    parsed: 'INCLUDE ItemID WHERE Items.genres IN $CATEGORIES | EXCLUDE ItemID WHERE Interactions.event_type NOT IN ("Watch")',
    fields: ['Items.GENRES', 'Interactions.EVENT_TYPE'],
    parameters: ['CATEGORIES'],
  },
  // user segments and actions
  {
    expression: 'INCLUDE UserID WHERE Users.AGE >= $AGE OR Users.MEMBERSHIP IN ("gold")',
    parsed: 'INCLUDE UserID WHERE Users.AGE >= $AGE OR Users.MEMBERSHIP IN ("gold")',
    fields: ['Users.AGE', 'Users.MEMBERSHIP'],
    parameters: ['AGE'],
  },
  {
    expression: 'INCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("click", "rating")',
    parsed: 'INCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("click", "rating")',
    fields: ['Interactions.EVENT_TYPE'],
  },
  {
    expression: 'EXCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ("NOT_TAKEN") | INCLUDE ActionID WHERE Actions.VALUE > ($VALUE)',
    parsed: 'EXCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ("NOT_TAKEN") | INCLUDE ActionID WHERE Actions.VALUE > $VALUE',
    fields: ['Action_Interactions.EVENT_TYPE', 'Actions.VALUE'],
    parameters: ['VALUE'],
  },
  {
    expression: 'INCLUDE ActionID WHERE ActionInteractions.EVENT_TYPE IN ("taken") IF CurrentUser.MEMBERSHIP = $PREMIUM',
    parsed: 'INCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ("taken") IF CurrentUser.MEMBERSHIP = $PREMIUM',
    fields: ['Action_Interactions.EVENT_TYPE', 'Users.MEMBERSHIP'],
    parameters: ['PREMIUM'],
  },
  // quoting: an escaped quote, a comma and a pipe inside a value; line breaks and no spaces
  {
    expression: 'INCLUDE ItemID WHERE Items.STUDIO IN ("A \\"B\\", C", "x|y")',
    parsed: 'INCLUDE ItemID WHERE Items.STUDIO IN ("A \\"B\\", C", "x|y")',
    fields: ['Items.STUDIO'],
  },
  {
    expression: 'INCLUDE ItemID\n  WHERE Items.PRICE<5\n|EXCLUDE ItemID WHERE Items.ITEM_ID IN("i1","i2")',
    parsed: 'INCLUDE ItemID WHERE Items.PRICE < 5 | EXCLUDE ItemID WHERE Items.ITEM_ID IN ("i1", "i2")',
    fields: ['Items.PRICE', 'Items.ITEM_ID'],
  },
];

interface Invalid {
  expression: string;
  position?: number;
  says: string;
  schemas?: GroupSchemas;
}

const X = 'INCLUDE ItemID WHERE ';
const INVALID: Invalid[] = [
  // grammar
  { expression: '   ', position: 1, says: 'the expression is empty' },
  { expression: 'SELECT ItemID WHERE Items.GENRES IN ("a")', position: 1, says: "expected INCLUDE or EXCLUDE, found 'SELECT'" },
  {
    expression: 'INCLUDE Item WHERE Items.GENRES IN ("a")',
    position: 9,
    says: "expected ItemID, ActionID or UserID after INCLUDE, found 'Item'",
  },
  { expression: 'INCLUDE ItemID Items.GENRES IN ("a")', position: 16, says: "expected WHERE after ItemID, found 'Items'" },
  { expression: `${X}GENRES IN ("a")`, position: 22, says: 'expected a dataset field such as Items.GENRE' },
  {
    expression: `${X}Item.GENRES IN ("a")`,
    position: 22,
    says: "dataset Items, Interactions, Users, Actions or Action_Interactions), found 'Item'",
  },
  { expression: `${X}Items GENRES IN ("a")`, position: 28, says: "expected '.' and a field name after Items, found 'GENRES'" },
  {
    expression: `${X}Items.GENRES ("a")`,
    position: 35,
    says: 'expected IN, NOT IN or a comparison (=, !=, <, <=, >, >=) after Items.GENRES',
  },
  { expression: `${X}Items.GENRES NOT ("a")`, position: 39, says: "expected IN after NOT, found '('" },
  { expression: `${X}Items.GENRES IN "a"`, position: 38, says: 'expected ( with quoted values, a $PLACEHOLDER or CurrentItem.<field>' },
  {
    expression: `${X}Items.GENRES IN ("a"`,
    position: 42,
    says: "expected ',' or ')' to close the list opened at position 38, found the end of the expression",
  },
  { expression: `${X}Items.GENRES IN ("a",)`, position: 43, says: 'expected a value in double quotes, e.g. "comedy", found \')\'' },
  { expression: `${X}Items.GENRES IN (drama)`, position: 39, says: 'expected a value in double quotes, e.g. "drama"' },
  { expression: `${X}Items.GENRES IN ('a')`, position: 39, says: 'values must be in double quotes' },
  { expression: `${X}Items.GENRES IN ("a)`, position: 39, says: 'has no closing double quote' },
  { expression: `${X}Items.GENRES IN ($A, $B)`, position: 41, says: 'a placeholder must be the only value in the list, e.g. IN ($A)' },
  { expression: `${X}Items.GENRES IN ("a", $B)`, position: 44, says: 'a placeholder must be the only value in the list, e.g. IN ($B)' },
  { expression: `${X}Items.GENRES IN ($)`, position: 39, says: 'a placeholder is $ followed by letters' },
  {
    expression: `${X}Items.PRICE < "5"`,
    position: 36,
    says: 'expected a number or a $PLACEHOLDER after a comparison (compare strings with IN ("value"))',
  },
  { expression: `${X}Items.PRICE <> 5`, position: 34, says: "unknown operator '<>'" },
  {
    expression: `${X}Items.PRICE < 5 Items.YEAR > 1`,
    position: 38,
    says: "expected AND, OR, IF, | or the end of the expression, found 'Items'",
  },
  { expression: `${X}Items.PRICE < 5 |`, position: 39, says: 'expected INCLUDE or EXCLUDE, found the end of the expression' },
  { expression: `${X}Items.PRICE < 5 # comment`, position: 38, says: "unexpected character '#'" },
  {
    expression: `${X}Items.PRICE < 5 IF CurrentUser.AGE > 1 OR CurrentUser.AGE < 9`,
    position: 61,
    says: 'can only be joined with AND, not OR',
  },
  { expression: `${X}Items.PRICE < 5 IF CurrentUser.AGE > 1 IF CurrentUser.AGE < 9`, position: 61, says: 'IF can be used only once' },
  { expression: `${X}Items.PRICE < 5 IF Users.AGE > 1`, position: 41, says: 'expected a CurrentUser field after IF' },
  { expression: `${X}CurrentItem.PRICE > 5`, position: 22, says: 'CurrentItem can only be on the right of a condition' },
  { expression: `${X}CurrentUser.AGE > 5`, position: 22, says: 'CurrentUser can only be used in the IF condition' },
  { expression: `${X}Items.PRICE < 5 IF CurrentUser.AGE < CurrentItem.YEAR`, position: 59, says: 'expected a number or a $PLACEHOLDER' },
  // against the schemas
  {
    expression: `${X}Items.COLOUR IN ("red")`,
    position: 22,
    says: "the Items dataset's schema has no field COLOUR (its fields: ITEM_ID, GENRES, PRICE",
  },
  {
    expression: `${X}Items.PRICE < 5 IF CurrentUser.AGE > 18`,
    position: 41,
    says: 'the dataset group has no Users dataset',
    schemas: ITEMS_AND_INTERACTIONS,
  },
  { expression: `${X}Items.DESCRIPTION IN ("boot")`, position: 22, says: 'Items.DESCRIPTION is a textual field' },
  { expression: `${X}Items.IS_NEW IN ("true")`, position: 22, says: 'Items.IS_NEW is a boolean field, which filters cannot use' },
  { expression: `${X}Interactions.EVENT_VALUE > 3`, position: 22, says: 'conditions on Interactions can only use EVENT_TYPE' },
  { expression: `${X}Interactions.EVENT_TYPE = $T`, position: 46, says: 'can only be used with IN or NOT IN, not =' },
  { expression: `${X}Items.GENRES IN ("*")`, position: 35, says: '"*" (every event type) can only be used with Interactions.EVENT_TYPE' },
  {
    expression: `${X}Items.GENRES NOT IN ($G)`,
    position: 43,
    says: 'placeholders can only be used with IN and the comparison operators, not with NOT IN ($G)',
  },
  { expression: `${X}Items.GENRES < 5`, position: 35, says: 'Items.GENRES is a string field' },
  { expression: `${X}Items.GENRES >= $G`, position: 35, says: '>= needs a numeric field (int, long, float or double)' },
  { expression: `${X}Items.YEAR IN ("1995", "late")`, position: 33, says: 'Items.YEAR is a numeric field (int); "late" is not a number' },
  { expression: `${X}Items.PRICE < CurrentItem.STUDIO`, position: 34, says: 'cannot be compared: one is a number, the other a string' },
  {
    expression: `${X}Items.GENRES IN ("a") AND Interactions.EVENT_TYPE IN ("x")`,
    position: 48,
    says: 'must all use the dataset of its first condition (Items)',
  },
  {
    expression: `${X}Users.AGE > 3`,
    position: 22,
    says: 'ItemID expressions filter on Items or Interactions fields, not on Users.AGE; use IF CurrentUser',
  },
  {
    expression: 'INCLUDE UserID WHERE Items.GENRES IN ("a")',
    position: 22,
    says: 'UserID expressions filter on Users or Interactions fields',
  },
  {
    expression: 'INCLUDE ActionID WHERE Interactions.EVENT_TYPE IN ("a")',
    position: 24,
    says: 'ActionID expressions filter on Actions or Action_Interactions fields',
  },
  {
    expression: 'INCLUDE UserID WHERE Users.AGE > 3 IF CurrentUser.AGE > 3',
    position: 39,
    says: 'IF CurrentUser cannot be used in a UserID',
  },
  {
    expression: 'INCLUDE UserID WHERE Users.MEMBERSHIP IN CurrentItem.STUDIO',
    position: 42,
    says: 'CurrentItem can only be compared with Items fields',
  },
  {
    expression: `${X}Items.PRICE < 5 | EXCLUDE UserID WHERE Users.AGE < 3`,
    position: 40,
    says: 'every expression of a filter must filter the same thing',
  },
  {
    expression: `${X}${Array.from({ length: 11 }, (_, i) => `Items.F${i + 1} IN ("x")`).join(' AND ')}`,
    says: 'the filter uses 11 distinct dataset fields (Items.F1, Items.F2',
    schemas: WIDE_ITEMS,
  },
];

describe('filter expressions: the grammar', () => {
  for (const row of VALID) {
    it(`parses ${row.expression}`, () => {
      assert.equal(render(parseFilterExpression(row.expression)), row.parsed);
      const compiled = compileFilter(row.expression, SCHEMAS);
      assert.deepEqual(compiled.fields, row.fields);
      assert.deepEqual(compiled.parameters, row.parameters ?? []);
    });
  }

  it('ten distinct fields are allowed in one filter, the same field used twice counts once', () => {
    const ten = `${X}${Array.from({ length: 10 }, (_, i) => `Items.F${i + 1} IN ("x")`).join(' OR ')} | ${X}Items.f1 IN ("y")`;
    assert.equal(compileFilter(ten, WIDE_ITEMS).fields.length, 10);
  });

  it('the target is what every expression filters', () => {
    assert.equal(compileFilter('EXCLUDE UserID WHERE Users.AGE < 3 | INCLUDE UserID WHERE Users.AGE < 9', SCHEMAS).target, 'UserID');
    assert.equal(compileFilter('INCLUDE ActionID WHERE Actions.VALUE > 3', SCHEMAS).target, 'ActionID');
  });
});

describe('filter expressions: errors point at the problem', () => {
  for (const row of INVALID) {
    it(`refuses ${row.expression.replace(/\n/g, ' ')}`, () => {
      let error: unknown;
      try {
        compileFilter(row.expression, row.schemas ?? SCHEMAS);
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof FilterExpressionError, `expected a FilterExpressionError, got ${String(error)}`);
      assert.ok(error.message.startsWith('Could not create filter. Invalid Expression: '), error.message);
      assert.ok(error.message.includes(row.says), `${error.message}\n  should say: ${row.says}`);
      assert.equal(error.position, row.position, error.message);
      if (row.position !== undefined) assert.ok(error.message.endsWith(`(at position ${row.position}).`), error.message);
    });
  }
});
