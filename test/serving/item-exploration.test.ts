// The exploration method (src/serving/item-exploration.ts) on hand-made pools: the configuration's
// defaults, the age cut-off counted back from the newest interaction, the 1 / (1 + n)² preference
// for little-known items, the filter, and a draw that a seed reproduces.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { candidatesOf, drawExplored, explorationConfigOf, explorationPlaces, seededRandom } from '../../src/serving/item-exploration.ts';
import type { ItemPool } from '../../src/serving/item-pool.ts';

const DAY = 24 * 3600;
const REF = 1_700_000_000;

function pool(items: [string, number, number][]): ItemPool {
  return {
    refTime: REF,
    ids: items.map((i) => i[0]),
    counts: Int32Array.from(items.map((i) => i[1])),
    born: Float64Array.from(items.map((i) => i[2])),
  };
}

describe('item exploration', () => {
  it('takes the defaults for omitted keys and round(weight × places) places', () => {
    assert.deepEqual(explorationConfigOf(undefined), { weight: 0.3, ageCutOffDays: 30 });
    assert.deepEqual(explorationConfigOf({ explorationWeight: '0.5' }), { weight: 0.5, ageCutOffDays: 30 });
    assert.deepEqual(explorationConfigOf({ explorationItemAgeCutOff: '7.5' }), { weight: 0.3, ageCutOffDays: 7.5 });
    assert.deepEqual(
      [0, 0.3, 0.5, 1].map((w) => explorationPlaces(w, 25)),
      [0, 8, 13, 25],
    );
    assert.equal(explorationPlaces(0.3, 1), 0);
  });

  it('candidates are the items at most the cut-off old, an item without age being new', () => {
    const p = pool([
      ['old', 0, REF - 40 * DAY],
      ['month', 3, REF - 30 * DAY],
      ['week', 1, REF - 7 * DAY],
      ['future', 0, REF + DAY],
      ['unknown', 0, NaN],
    ]);
    const names = (cutOff: number) => Array.from(candidatesOf(p, cutOff).items, (j) => p.ids[j]);
    assert.deepEqual(names(30), ['month', 'week', 'future', 'unknown']);
    assert.deepEqual(names(7), ['week', 'future', 'unknown']);
    // Weights 1/(1+n)²: 1/16, 1/4, 1, 1.
    assert.deepEqual(Array.from(candidatesOf(p, 30).cumulative), [1 / 16, 1 / 16 + 1 / 4, 1 / 16 + 1 / 4 + 1, 1 / 16 + 1 / 4 + 2]);
  });

  it('draws little-known items far more often, never one the filter drops, the same for the same seed', () => {
    const p = pool([
      ['new', 0, REF],
      ['one', 1, REF],
      ['nine', 9, REF],
      ['dropped', 0, REF],
    ]);
    const c = candidatesOf(p, 30);
    const firsts = new Map<string, number>();
    for (let s = 0; s < 2000; s++) {
      const [first] = drawExplored(p, c, 1, (id) => id !== 'dropped', seededRandom(`seed-${s}`));
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    assert.equal(firsts.get('dropped'), undefined);
    // Expected shares among the kept: 1 : 1/4 : 1/100.
    assert.ok(firsts.get('new')! > 3 * firsts.get('one')!, JSON.stringify([...firsts]));
    assert.ok(firsts.get('one')! > 5 * (firsts.get('nine') ?? 0), JSON.stringify([...firsts]));
    assert.deepEqual(
      drawExplored(p, c, 3, () => true, seededRandom('x')),
      drawExplored(p, c, 3, () => true, seededRandom('x')),
    );
    assert.deepEqual(new Set(drawExplored(p, c, 10, (id) => id !== 'dropped', seededRandom('y'))), new Set(['new', 'one', 'nine']));
  });
});
