// aws-item-affinity and aws-item-attribute-affinity on synthetic data with planted user clusters:
// an item's segment is mostly the users of its cluster, a genre's likewise; segments are scored,
// ordered and leave out users who already took the item (the data has no repeats); unknown items
// and values give empty segments; Item-Attribute-Affinity needs metadata; the artifact round-trips;
// and the segmentation metrics (hits/recall at 1 %) are computed through Model.segment,
// deterministic and well above a most-active-users baseline.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobFailure } from '../../src/jobs/job-failure.ts';
import { offlineMetrics } from '../../src/training/metrics/offline-metrics.ts';
import { segmentationMetrics, segmentationSplit } from '../../src/training/metrics/segmentation-metrics.ts';
import { AffinityModel } from '../../src/training/models/affinity-model.ts';
import {
  itemAffinityTrainer,
  itemAttributeAffinityTrainer,
  ITEM_ATTRIBUTE_AFFINITY_NEEDS_METADATA,
} from '../../src/training/models/affinity.ts';
import { BUILT_IN_TRAINERS } from '../../src/training/models/built-in-trainers.ts';
import type { Model, SegmentQuery, Trainer } from '../../src/training/trainer.ts';
import { synthetic } from './synthetic.ts';

const s = synthetic({ seed: 1, users: 2000, items: 400, metadata: true });
const inCluster = (userId: string, c: number) => {
  const u = Number(userId.slice(1));
  return s.userCluster[u] === c || s.userDrift[u] === c;
};
const chance = (c: number) => s.data.userIds.filter((id) => inCluster(id, c)).length / s.data.userIds.length;

/** A baseline segmenter: the most active users, whatever the query. */
function activityTrainer(recipe: string): Trainer {
  return {
    recipe,
    async train(d) {
      const n = new Float64Array(d.userIds.length);
      for (const u of d.user) n[u]++;
      const order = [...n.keys()].sort((a, b) => n[b] - n[a] || a - b);
      const model: Model = {
        recipe,
        recommend: () => [],
        segment: (_q: SegmentQuery, k: number) => order.slice(0, k).map((u) => ({ item: d.userIds[u], score: n[u] })),
        serialize: () => Buffer.alloc(0),
      };
      return model;
    },
    load: () => {
      throw new Error('unused');
    },
  };
}

describe('aws-item-affinity', () => {
  it('is registered, and its segment for an item is mostly the item’s user cluster', async () => {
    assert.equal(BUILT_IN_TRAINERS.get('aws-item-affinity'), itemAffinityTrainer);
    const model = await itemAffinityTrainer.train(s.data, {});
    let share = 0;
    let base = 0;
    const items = Array.from({ length: 40 }, (_, i) => i);
    for (const i of items) {
      const seg = model.segment!({ itemId: `i${i}` }, 20);
      assert.equal(seg.length, 20);
      share += seg.filter((x) => inCluster(x.item, s.itemCluster[i])).length / 20 / items.length;
      base += chance(s.itemCluster[i]) / items.length;
    }
    // Measured: 0.77 of the segments in the item's cluster, 0.15 by chance.
    assert.ok(share > 0.6 && share > 3 * base, `cluster share ${share}, chance ${base}`);
  });

  it('scores users in [0, 1], best first, and leaves last those who took the item already', async () => {
    const model = await itemAffinityTrainer.train(s.data, {});
    const seg = model.segment!({ itemId: 'i3' }, 100);
    for (let r = 1; r < seg.length; r++) assert.ok(seg[r - 1].score! >= seg[r].score!);
    assert.ok(seg.every((x) => x.score! >= 0 && x.score! <= 1));
    assert.equal(new Set(seg.map((x) => x.item)).size, 100);
    const took = new Set<string>();
    for (let r = 0; r < s.data.user.length; r++) if (s.data.itemIds[s.data.item[r]] === 'i3') took.add(s.data.userIds[s.data.user[r]]);
    assert.ok(took.size > 20);
    assert.ok(!seg.some((x) => took.has(x.item)), 'the data has no repeats: takers are unlikely to take it again');
    assert.deepEqual(model.segment!({ itemId: 'nope' }, 10), []);
    assert.deepEqual(model.segment!({ attribute: { name: 'GENRE', value: 'g1' } }, 10), [], 'no attribute index');
    assert.equal(model.segment!({ itemId: 'i3' }, 5000).length, 2000, 'at most every user');
    await assert.rejects(itemAffinityTrainer.train(s.data, { hidden_dimension: '300' }), JobFailure);
  });

  it('survives serialize → load with identical segments', async () => {
    const model = (await itemAffinityTrainer.train(s.data, {})) as AffinityModel;
    const loaded = itemAffinityTrainer.load(model.serialize());
    for (const itemId of ['i0', 'i17', s.planted[0], s.rising, 'nope']) {
      assert.deepEqual(loaded.segment!({ itemId }, 50), model.segment({ itemId }, 50));
    }
  });

  it('computes hits and recall at 1 % through segment(), deterministically and well above the most active users', async () => {
    const a = await offlineMetrics(itemAffinityTrainer, s.data, {});
    const b = await offlineMetrics(itemAffinityTrainer, s.data, {});
    assert.deepEqual(a, b);
    assert.deepEqual(Object.keys(a), ['coverage', 'hits_at_1_percent', 'recall_at_1_percent']);
    for (const v of Object.values(a)) assert.equal(v, Math.round(v * 1e4) / 1e4);
    const base = await segmentationMetrics(activityTrainer('aws-item-affinity'), s.data, {});
    // Measured: hits 4.375 / recall 0.2463 against 1.1625 / 0.0602.
    assert.ok(a.hits_at_1_percent > 2.5 * base.hits_at_1_percent, `${a.hits_at_1_percent} vs ${base.hits_at_1_percent}`);
    assert.ok(a.recall_at_1_percent > 2.5 * base.recall_at_1_percent);
    assert.ok(a.coverage > base.coverage);
  });
});

describe('aws-item-attribute-affinity', () => {
  it('is registered, and its segment for a genre is mostly the genre’s user cluster', async () => {
    assert.equal(BUILT_IN_TRAINERS.get('aws-item-attribute-affinity'), itemAttributeAffinityTrainer);
    const model = await itemAttributeAffinityTrainer.train(s.data, {});
    let share = 0;
    let base = 0;
    for (let c = 0; c < 10; c++) {
      const seg = model.segment!({ attribute: { name: 'GENRE', value: `g${c}` } }, 20);
      assert.equal(seg.length, 20);
      share += seg.filter((x) => inCluster(x.item, c)).length / 20 / 10;
      base += chance(c) / 10;
    }
    // Measured: 0.94, chance 0.15.
    assert.ok(share > 0.7 && share > 3 * base, `cluster share ${share}, chance ${base}`);
  });

  it('answers AND queries, names in any case with or without ITEMS., items too; unknown values give nothing', async () => {
    const model = await itemAttributeAffinityTrainer.train(s.data, {});
    const g1 = model.segment!({ attribute: { name: 'GENRE', value: 'g1' } }, 10);
    assert.deepEqual(model.segment!({ attribute: { name: 'items.genre', value: 'g1' } }, 10), g1);
    const both = model.segment!({ attribute: { name: 'GENRE', value: 'g1' }, attributes: [{ name: 'GENRE', value: 'g2' }] }, 10);
    assert.equal(both.length, 10);
    assert.notDeepEqual(both, g1);
    assert.deepEqual(model.segment!({ attribute: { name: 'GENRE', value: 'G1' } }, 10), [], 'values match exactly');
    assert.deepEqual(model.segment!({ attribute: { name: 'GENRE', value: 'planted' } }, 10), [], 'only on items without interactions');
    assert.deepEqual(model.segment!({ attribute: { name: 'NOPE', value: 'g1' } }, 10), []);
    assert.equal(model.segment!({ itemId: 'i5' }, 10).length, 10);
    const price = String(s.data.items!.get('i5')!.PRICE);
    assert.equal(model.segment!({ attribute: { name: 'PRICE', value: price } }, 10).length, 10, 'plain columns are attributes too');
  });

  it('needs non-textual Items metadata', async () => {
    const bare = synthetic({ seed: 1, users: 300, items: 100 });
    await assert.rejects(itemAttributeAffinityTrainer.train(bare.data, {}), new JobFailure(ITEM_ATTRIBUTE_AFFINITY_NEEDS_METADATA));
    const textOnly = { ...s.data, itemFields: s.data.itemFields!.map((f) => ({ ...f, categorical: false, textual: true })) };
    await assert.rejects(itemAttributeAffinityTrainer.train(textOnly, {}), JobFailure);
  });

  it('survives serialize → load with identical segments', async () => {
    const model = (await itemAttributeAffinityTrainer.train(s.data, {})) as AffinityModel;
    const loaded = itemAttributeAffinityTrainer.load(model.serialize());
    const queries: SegmentQuery[] = [
      { attribute: { name: 'GENRE', value: 'g0' } },
      { attribute: { name: 'GENRE', value: 'g3' }, attributes: [{ name: 'GENRE', value: 'g4' }] },
      { itemId: 'i9' },
    ];
    for (const q of queries) assert.deepEqual(loaded.segment!(q, 50), model.segment(q, 50));
  });

  it('computes the metrics per genre value, deterministically and above the most active users', async () => {
    const a = await offlineMetrics(itemAttributeAffinityTrainer, s.data, {});
    assert.deepEqual(a, await offlineMetrics(itemAttributeAffinityTrainer, s.data, {}));
    assert.deepEqual(Object.keys(a), ['coverage', 'hits_at_1_percent', 'recall_at_1_percent']);
    const base = await segmentationMetrics(activityTrainer('aws-item-attribute-affinity'), s.data, {});
    // Genres are a tenth of the catalog each: heavy users take some of every genre, so both come
    // near K = 20 (measured 19.3 against 18.1).
    assert.ok(
      a.hits_at_1_percent > base.hits_at_1_percent && a.hits_at_1_percent <= 20,
      `${a.hits_at_1_percent} vs ${base.hits_at_1_percent}`,
    );
  });
});

describe('segmentation metrics', () => {
  it('an oracle that returns the test users scores recall 1 where K covers them', async () => {
    const { actual } = segmentationSplit(s.data);
    const k = 20;
    const oracle: Trainer = {
      recipe: 'aws-item-affinity',
      async train() {
        return {
          recipe: 'aws-item-affinity',
          recommend: () => [],
          segment: (q: SegmentQuery) => {
            const users = [...(actual.get(s.data.itemIds.indexOf(q.itemId!)) ?? [])].sort((a, b) => a - b);
            return users.map((u) => ({ item: s.data.userIds[u], score: 1 }));
          },
          serialize: () => Buffer.alloc(0),
        };
      },
      load: () => {
        throw new Error('unused');
      },
    };
    const m = await segmentationMetrics(oracle, s.data, {});
    let hits = 0;
    let recall = 0;
    for (const users of actual.values()) ((hits += Math.min(k, users.size)), (recall += Math.min(k, users.size) / users.size));
    assert.equal(m.hits_at_1_percent, Math.round((hits / actual.size) * 1e4) / 1e4);
    assert.equal(m.recall_at_1_percent, Math.round((recall / actual.size) * 1e4) / 1e4);
  });
});
