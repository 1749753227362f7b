// From a dataset's rows to TrainingData (src/training/training-data.ts): the solution's filters
// (eventType in any case, eventValueThreshold, eventsConfig weights), the minimum-data rules with
// their texts, deterministic order and indexes, and the Items metadata the configuration keeps.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ParsedSchema, SchemaField } from '../../src/data/schema/schema-model.ts';
import { loadTrainingData, minimumDataFailure, TOO_FEW_USERS_TEXT, type InteractionFilter } from '../../src/training/training-data.ts';

const field = (name: string, type: SchemaField['type'], nullable = false): SchemaField => ({
  name,
  type,
  nullable,
  categorical: false,
  textual: false,
});
const interactionsSchema: ParsedSchema = {
  recordName: 'Interactions',
  datasetType: 'INTERACTIONS',
  fields: [
    field('USER_ID', 'string'),
    field('ITEM_ID', 'string'),
    field('TIMESTAMP', 'long'),
    field('EVENT_TYPE', 'string'),
    field('EVENT_VALUE', 'float', true),
  ],
};

/** n interactions of `users` users over 40 items; every third a purchase with value i % 10 / 10, the others clicks without value. */
function rowsSql(n: number, users = 50): string {
  const rows = Array.from({ length: n }, (_, i) => {
    const type = i % 3 === 0 ? 'purchase' : i % 2 === 0 ? 'Click' : 'click';
    const value = i % 3 === 0 ? String((i % 10) / 10) : 'NULL';
    return `('u${i % users}', 'i${(i * 7) % 40}', ${1_700_000_000 + (n - i)}, '${type}', ${value})`;
  });
  return `SELECT * FROM (VALUES ${rows.join(', ')}) t("USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", "EVENT_VALUE")`;
}

describe('training data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'training-data-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const load = (view: string, filter: InteractionFilter = {}, items?: Parameters<typeof loadTrainingData>[0]['items']) =>
    loadTrainingData({ engine: { workDir: dir }, interactions: { view, schema: interactionsSchema }, filter, items });

  it('keeps every interaction, oldest first, with dense indexes in ID order', async () => {
    const r = await load(rowsSql(1200));
    assert.ok(r.ok);
    const { data, counts } = r;
    assert.deepEqual(counts, { interactions: 1200, users: 50, usersWithTwo: 50, items: 40 });
    assert.equal(data.user.length, 1200);
    assert.deepEqual(data.userIds, [...data.userIds].sort());
    assert.deepEqual(data.eventTypes, ['Click', 'click', 'purchase']);
    for (let i = 1; i < data.time.length; i++) assert.ok(data.time[i - 1] <= data.time[i], 'ordered by time');
    assert.ok(data.weight.every((w) => w === 1));
    // The same rows give the same arrays.
    const again = await load(rowsSql(1200));
    assert.ok(again.ok);
    assert.deepEqual([...again.data.item], [...data.item]);
  });

  it('filters by event type in any case and by event value', async () => {
    const clicks = await load(rowsSql(3000), { eventType: 'CLICK' });
    assert.ok(clicks.ok);
    assert.equal(clicks.counts.interactions, 2000);
    const valued = await load(rowsSql(6000), { eventType: 'purchase', eventValueThreshold: 0.5 });
    assert.ok(valued.ok, valued.ok ? '' : valued.failureReason);
    // Purchases are every third row; half of their values (0.5 .. 0.9) pass.
    assert.equal(valued.counts.interactions, 1000);
  });

  it('weights the event types of eventsConfig and drops the others', async () => {
    const r = await load(rowsSql(3000), {
      events: [
        { eventType: 'purchase', weight: 0.9 },
        { eventType: 'click', weight: 0.1, eventValueThreshold: 1 },
      ],
    });
    // Clicks have no EVENT_VALUE: below any threshold. Only the 1,000 purchases are left.
    assert.ok(r.ok, r.ok ? '' : r.failureReason);
    assert.equal(r.counts.interactions, 1000);
    assert.ok(r.data.weight.every((w) => Math.abs(w - 0.9) < 1e-6));
  });

  it('says why there is too little data, in AWS’s words', async () => {
    const few = await load(rowsSql(1200), { eventType: 'purchase' });
    assert.equal(few.ok, false);
    assert.equal(!few.ok && few.failureReason, 'Dataset has fewer than 1000 interactions after filtering by event type: purchase');
    const users = await load(rowsSql(1000, 20));
    assert.equal(!users.ok && users.failureReason, TOO_FEW_USERS_TEXT);
    assert.equal(
      minimumDataFailure({ interactions: 999, users: 100, usersWithTwo: 100, items: 9 }, {}),
      'Dataset has fewer than 1000 interactions.',
    );
    assert.match(minimumDataFailure({ interactions: 5000, users: 3000, usersWithTwo: 25, items: 9 }, {})!, /1%/);
    assert.equal(minimumDataFailure({ interactions: 1000, users: 2500, usersWithTwo: 25, items: 9 }, {}), undefined);
  });

  it('hands the Items rows to the trainers, without the columns the solution excludes', async () => {
    const itemsSchema: ParsedSchema = {
      recordName: 'Items',
      datasetType: 'ITEMS',
      fields: [field('ITEM_ID', 'string'), field('GENRES', 'string', true), field('PRICE', 'float', true)],
    };
    const view = `SELECT * FROM (VALUES ('i1', 'Drama|Comedy', 9.5), ('i2', NULL, NULL)) t("ITEM_ID", "GENRES", "PRICE")`;
    const r = await load(rowsSql(1200), {}, { view, schema: itemsSchema, excluded: ['price'] });
    assert.ok(r.ok);
    assert.deepEqual(Object.fromEntries(r.data.items!), { i1: { GENRES: 'Drama|Comedy' }, i2: { GENRES: null } });
    // The kept columns' schema fields travel along (the metadata trainers read categorical / textual from them).
    assert.deepEqual(r.data.itemFields, [{ name: 'GENRES', type: 'string', categorical: false, textual: false }]);
    const none = await load(rowsSql(1200));
    assert.ok(none.ok && none.data.items === undefined && none.data.itemFields === undefined);
  });
});
