// Applying filters (rules 98, 102, 105–107): a table of filters × request × expected kept ids over
// the in-memory data of filter-fixtures.ts, the 100-most-recent window, PutEvents data seen by the
// very next request, and the request mistakes that are InvalidInputException.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError } from '../../src/protocol/service-error.ts';
import { compileFilter, type FilterContext } from '../../src/serving/filters/filter-evaluator.ts';
import { ACTION_IDS, ITEM_IDS, MemoryData, SCHEMAS, USER_IDS } from './filter-fixtures.ts';

interface Row {
  expression: string;
  ctx?: Partial<FilterContext>;
  kept: string[];
}

const I = 'INCLUDE ItemID WHERE ';
const E = 'EXCLUDE ItemID WHERE ';
const ALL_ITEMS = ITEM_IDS;

// Items: i1 Drama|Comedy 10 1975 A · i2 Comedy 25.5 1995 B · i3 Horror 5 1979 A · i4 (no genre, no
// price) 2001 a · i5 no metadata. u1 clicked i1, Purchased i2, watched i3; u2 has no interactions.
const ITEM_ROWS: Row[] = [
  // a categorical value is IN a list when one of its parts is; strings are exact (case included)
  { expression: `${I}Items.GENRES IN ("Comedy")`, kept: ['i1', 'i2'] },
  { expression: `${E}Items.GENRES IN ("Comedy")`, kept: ['i3', 'i4', 'i5'] },
  { expression: `${I}Items.GENRES NOT IN ("Comedy")`, kept: ['i3'] },
  { expression: `${I}Items.GENRES IN ("comedy")`, kept: [] },
  { expression: `${I}Items.STUDIO IN ("A")`, kept: ['i1', 'i3'] },
  { expression: `${I}Items.STUDIO IN ("A|B")`, kept: [] },
  { expression: `${I}Items.ITEM_ID IN ("i2", "i5")`, kept: ['i2', 'i5'] },
  // numbers
  { expression: `${I}Items.PRICE < 20`, kept: ['i1', 'i3'] },
  { expression: `${I}Items.PRICE != 10`, kept: ['i2', 'i3'] },
  { expression: `${I}Items.PRICE = 25.5`, kept: ['i2'] },
  { expression: `${I}Items.YEAR >= 1970 AND Items.YEAR < 1980`, kept: ['i1', 'i3'] },
  { expression: `${I}Items.YEAR IN ("1995", "2001")`, kept: ['i2', 'i4'] },
  { expression: `${I}Items.YEAR > 2000 OR Items.PRICE <= 5`, kept: ['i3', 'i4'] },
  // AND before OR
  { expression: `${I}Items.GENRES IN ("Comedy") AND Items.PRICE > 20 OR Items.GENRES IN ("Horror")`, kept: ['i2', 'i3'] },
  // placeholders
  { expression: `${I}Items.PRICE <= $PRICE`, ctx: { values: { PRICE: '10' } }, kept: ['i1', 'i3'] },
  { expression: `${I}Items.PRICE > ($PRICE)`, ctx: { values: { PRICE: '"9"' } }, kept: ['i1', 'i2'] },
  { expression: `${I}Items.GENRES IN ($G)`, ctx: { values: { G: '"Horror","Drama"' } }, kept: ['i1', 'i3'] },
  { expression: `${I}Items.GENRES IN ($G)`, ctx: { values: { G: ' "Horror" , "Drama|Comedy" ' } }, kept: ['i3'] },
  { expression: `${I}Items.STUDIO = $S`, ctx: { values: { S: '"B"' } }, kept: ['i2'] },
  { expression: `${E}Items.GENRES IN ($G)`, kept: ALL_ITEMS },
  // the user's interactions: event types case-insensitively, "*" for all of them
  { expression: `${E}Interactions.EVENT_TYPE IN ("purchase")`, ctx: { userId: 'u1' }, kept: ['i1', 'i3', 'i4', 'i5'] },
  { expression: `${I}Interactions.EVENT_TYPE IN ("CLICK", "Watch")`, ctx: { userId: 'u1' }, kept: ['i1', 'i3'] },
  { expression: `${I}Interactions.EVENT_TYPE IN ("*")`, ctx: { userId: 'u1' }, kept: ['i1', 'i2', 'i3'] },
  { expression: `${I}Interactions.EVENT_TYPE NOT IN ("click")`, ctx: { userId: 'u1' }, kept: ['i2', 'i3'] },
  { expression: `${E}Interactions.EVENT_TYPE IN ($T)`, ctx: { userId: 'u1', values: { T: '"watch","CLICK"' } }, kept: ['i2', 'i4', 'i5'] },
  { expression: `${E}Interactions.EVENT_TYPE IN ("*")`, ctx: { userId: 'u2' }, kept: ALL_ITEMS },
  { expression: `${E}Interactions.EVENT_TYPE IN ("*")`, ctx: { userId: 'new-user' }, kept: ALL_ITEMS },
  // combining expressions: INCLUDEs unite, EXCLUDEs unite, and the second are taken from the first
  {
    expression: `${I}Items.GENRES IN ("Comedy") | ${E}Interactions.EVENT_TYPE IN ("click")`,
    ctx: { userId: 'u1' },
    kept: ['i2'],
  },
  { expression: `${E}Interactions.EVENT_TYPE IN ("click") | ${I}Items.GENRES IN ("Comedy")`, ctx: { userId: 'u1' }, kept: ['i2'] },
  { expression: `${I}Items.GENRES IN ("Horror") | ${I}Items.PRICE > 20`, kept: ['i2', 'i3'] },
  { expression: `${E}Items.GENRES IN ("Horror") | ${E}Items.PRICE > 20`, kept: ['i1', 'i4', 'i5'] },
  { expression: `${I}Items.PRICE < 20 | ${E}Items.GENRES IN ($G)`, kept: ['i1', 'i3'] },
  { expression: `${I}Items.PRICE < 20 | ${E}Items.GENRES IN ($G)`, ctx: { values: { G: '"Drama"' } }, kept: ['i3'] },
  // IF CurrentUser: the expression applies only to users it holds for
  { expression: `${E}Items.GENRES IN ("Horror") IF CurrentUser.AGE < 18`, ctx: { userId: 'u2' }, kept: ['i1', 'i2', 'i4', 'i5'] },
  { expression: `${E}Items.GENRES IN ("Horror") IF CurrentUser.AGE < 18`, ctx: { userId: 'u1' }, kept: ALL_ITEMS },
  { expression: `${I}Items.PRICE > 20 IF CurrentUser.MEMBERSHIP IN ("gold")`, ctx: { userId: 'u1' }, kept: ['i2'] },
  { expression: `${I}Items.PRICE > 20 IF CurrentUser.MEMBERSHIP IN ("gold")`, ctx: { userId: 'u2' }, kept: ALL_ITEMS },
  { expression: `${I}Items.PRICE > 20 IF CurrentUser.MEMBERSHIP IN ("gold")`, ctx: { userId: 'u3' }, kept: ALL_ITEMS },
  {
    expression: `${E}Items.GENRES IN ($GENRE) IF CurrentUser.MEMBERSHIP = $M AND CurrentUser.AGE > 10`,
    ctx: { userId: 'u2', values: { GENRE: '"Comedy"', M: '"basic"' } },
    kept: ['i3', 'i4', 'i5'],
  },
  {
    expression: `${E}Items.GENRES IN ($GENRE) IF CurrentUser.MEMBERSHIP = $M`,
    ctx: { userId: 'u1', values: { GENRE: '"Comedy"', M: '"basic"' } },
    kept: ALL_ITEMS,
  },
  // CurrentItem (related items): cheaper than i2 and sharing one of its genres
  {
    expression: `${I}Items.PRICE < CurrentItem.PRICE AND Items.GENRES IN CurrentItem.GENRES`,
    ctx: { currentItemId: 'i2' },
    kept: ['i1'],
  },
  { expression: `${I}Items.STUDIO = CurrentItem.STUDIO`, ctx: { currentItemId: 'i1' }, kept: ['i1', 'i3'] },
  { expression: `${E}Items.STUDIO IN CurrentItem.STUDIO`, ctx: { currentItemId: 'i3' }, kept: ['i2', 'i4', 'i5'] },
  { expression: `${I}Items.GENRES IN CurrentItem.GENRES`, ctx: { currentItemId: 'i5' }, kept: [] },
  // keywords in any case
  { expression: 'include itemid where ITEMS.genres in ("Horror")', kept: ['i3'] },
];

const USER_ROWS: Row[] = [
  { expression: 'INCLUDE UserID WHERE Users.AGE >= 18', kept: ['u1'] },
  { expression: 'EXCLUDE UserID WHERE Users.AGE >= 18', kept: ['u2', 'u3'] },
  { expression: 'INCLUDE UserID WHERE Users.MEMBERSHIP IN ($M)', ctx: { values: { M: '"gold","basic"' } }, kept: ['u1', 'u2'] },
  { expression: 'EXCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("click")', kept: ['u2', 'u3'] },
  { expression: 'INCLUDE UserID WHERE Interactions.EVENT_TYPE IN ("*")', kept: ['u1'] },
];

const ACTION_ROWS: Row[] = [
  { expression: 'EXCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ("taken")', ctx: { userId: 'u1' }, kept: ['a2', 'a3'] },
  { expression: 'INCLUDE ActionID WHERE Actions.VALUE > ($V)', ctx: { userId: 'u1', values: { V: '20' } }, kept: ['a2'] },
  { expression: 'INCLUDE ActionID WHERE Actions.CATEGORY IN ("sale") IF CurrentUser.AGE > 18', ctx: { userId: 'u1' }, kept: ['a1'] },
  { expression: 'INCLUDE ActionID WHERE Actions.CATEGORY IN ("sale") IF CurrentUser.AGE > 18', ctx: { userId: 'u2' }, kept: ACTION_IDS },
];

async function kept(expression: string, ctx: Partial<FilterContext>, ids: string[], data = new MemoryData()): Promise<string[]> {
  const test = await compileFilter(expression, SCHEMAS).prepare({ values: {}, ...ctx }, data, ids);
  return ids.filter(test);
}

describe('filters applied to data', () => {
  for (const [label, rows, ids] of [
    ['items', ITEM_ROWS, ITEM_IDS],
    ['users', USER_ROWS, USER_IDS],
    ['actions', ACTION_ROWS, ACTION_IDS],
  ] as const) {
    for (const row of rows) {
      it(`${label}: ${row.expression} ${JSON.stringify(row.ctx ?? {})} keeps ${row.kept.join(', ') || 'nothing'}`, async () => {
        assert.deepEqual(await kept(row.expression, row.ctx ?? {}, [...ids]), row.kept);
      });
    }
  }

  it('considers the 100 most recent interactions per user per event type (rule 98), event types compared case-insensitively', async () => {
    const clicks = Array.from({ length: 150 }, (_, t) => ({ itemId: `c${t}`, eventType: t % 2 ? 'click' : 'Click', time: 1000 + t }));
    const data = new MemoryData({ u9: [...clicks, { itemId: 'p0', eventType: 'purchase', time: 0 }] });
    const ids = ['c0', 'c49', 'c50', 'c149', 'p0', 'x'];
    assert.deepEqual(await kept(`${E}Interactions.EVENT_TYPE IN ("click")`, { userId: 'u9' }, ids, data), ['c0', 'c49', 'p0', 'x']);
    // The old purchase is still the most recent of its own event type.
    assert.deepEqual(await kept(`${I}Interactions.EVENT_TYPE IN ("*")`, { userId: 'u9' }, ids, data), ['c50', 'c149', 'p0']);
  });

  it('an item just purchased through PutEvents is excluded on the very next request', async () => {
    const data = new MemoryData({ u1: [{ itemId: 'i1', eventType: 'click', time: 100 }] });
    const filter = compileFilter(`${E}Interactions.EVENT_TYPE IN ("purchase")`, SCHEMAS);
    const before = await filter.prepare({ userId: 'u1', values: {} }, data);
    assert.deepEqual(ITEM_IDS.filter(before), ITEM_IDS);
    data.events.u1.push({ itemId: 'i2', eventType: 'purchase', time: 101 });
    const after = await filter.prepare({ userId: 'u1', values: {} }, data);
    assert.deepEqual(ITEM_IDS.filter(after), ['i1', 'i3', 'i4', 'i5']);
  });

  it('reads only the data the filter needs, once per request', async () => {
    const data = new MemoryData();
    await compileFilter(`${E}Interactions.EVENT_TYPE IN ("a") | ${E}Interactions.EVENT_TYPE IN ("b")`, SCHEMAS).prepare(
      { userId: 'u1', values: {} },
      data,
    );
    assert.deepEqual(data.reads, ['interactions:u1']);
    const items = new MemoryData();
    await compileFilter(`${I}Items.PRICE < 3 | ${E}Items.GENRES IN ($G)`, SCHEMAS).prepare({ values: {} }, items);
    assert.deepEqual(items.reads, ['items']);
  });
});

describe('request mistakes are InvalidInputException', () => {
  const cases: { expression: string; ctx: Partial<FilterContext>; says: string }[] = [
    { expression: `${I}Items.GENRES IN ($GENRE)`, ctx: {}, says: 'The filter needs a value for the parameter $GENRE' },
    { expression: `${I}Items.PRICE < 9 | ${I}Items.PRICE > $MIN`, ctx: {}, says: 'parameter $MIN' },
    { expression: `${I}Items.GENRES IN ($G)`, ctx: { values: { G: '"Horror' } }, says: 'a quote is not closed' },
    { expression: `${I}Items.GENRES IN ($G)`, ctx: { values: { G: '"a" "b"' } }, says: 'expected a comma' },
    { expression: `${I}Items.GENRES IN ($G)`, ctx: { values: { G: '' } }, says: 'it holds no value' },
    { expression: `${I}Items.GENRES IN ($G)`, ctx: { values: { G: '"a",' } }, says: 'it ends with a comma' },
    { expression: `${I}Items.PRICE < $P`, ctx: { values: { P: '"cheap"' } }, says: 'its value must be a number' },
    { expression: `${I}Items.PRICE < $P`, ctx: { values: { P: '1,2' } }, says: 'exactly one value, not 2' },
    { expression: `${E}Interactions.EVENT_TYPE IN ("click")`, ctx: {}, says: 'the request must give a userId' },
    { expression: `${E}Items.PRICE < 3 IF CurrentUser.AGE < 18`, ctx: {}, says: 'the request must give a userId' },
    { expression: `${I}Items.PRICE < CurrentItem.PRICE`, ctx: {}, says: 'the request must give an itemId' },
  ];
  for (const c of cases) {
    it(`${c.expression} with ${JSON.stringify(c.ctx)}`, async () => {
      await assert.rejects(
        () => kept(c.expression, c.ctx, ITEM_IDS),
        (e: unknown) => e instanceof ServiceError && e.code === 'InvalidInputException' && e.message.includes(c.says),
      );
    });
  }
});
