// aws-sims on synthetic data with a planted co-occurrence bundle: a member's neighbours are the
// other members; unknown items get popular items; hyperparameters are range-checked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobFailure } from '../../src/jobs/job-failure.ts';
import { offlineMetrics } from '../../src/training/metrics/offline-metrics.ts';
import { popularityCountTrainer } from '../../src/training/models/popularity-count.ts';
import type { NeighbourListModel } from '../../src/training/models/neighbour-list-model.ts';
import { simsTrainer } from '../../src/training/models/sims.ts';
import { synthetic } from './synthetic.ts';

describe('aws-sims', () => {
  const s = synthetic({ seed: 4, users: 2000, items: 400 });

  it('returns the planted bundle for each of its members', async () => {
    const model = await simsTrainer.train(s.data, {});
    for (const member of s.planted) {
      const others = s.planted.filter((x) => x !== member);
      const recs = model.recommend({ history: [], itemId: member, k: 10 });
      assert.deepEqual(new Set(recs.slice(0, others.length).map((r) => r.item)), new Set(others), member);
      assert.ok(!recs.some((r) => r.item === member));
      assert.ok(recs.every((r) => r.score === undefined));
    }
  });

  it('falls back to popular items for an unknown item and fills short lists with them', async () => {
    const model = await simsTrainer.train(s.data, {});
    const pop = await popularityCountTrainer.train(s.data, {});
    assert.deepEqual(model.recommend({ history: [], itemId: 'nope', k: 5 }), pop.recommend({ history: [], k: 5 }));
    const long = model.recommend({ history: [], itemId: s.planted[0], k: 150 });
    assert.equal(long.length, 150);
    assert.equal(new Set(long.map((r) => r.item)).size, 150);
  });

  it('honours min_cointeraction_count and popularity_discount_factor', async () => {
    const strict = (await simsTrainer.train(s.data, { min_cointeraction_count: '10' })) as NeighbourListModel;
    for (const n of strict.neighbours(s.planted[0])) assert.ok(n.score! > 0);
    const raw = (await simsTrainer.train(s.data, { popularity_discount_factor: '0' })) as NeighbourListModel;
    const pop = await popularityCountTrainer.train(s.data, {});
    // Without a discount, raw co-occurrence counts favour popular items for an ordinary item.
    const ordinary = 'i10';
    const popular = new Set(pop.recommend({ history: [], k: 30 }).map((r) => r.item));
    const rawTop = raw.neighbours(ordinary).slice(0, 10);
    const disc = ((await simsTrainer.train(s.data, {})) as NeighbourListModel).neighbours(ordinary).slice(0, 10);
    const inPopular = (l: { item: string }[]) => l.filter((x) => popular.has(x.item)).length;
    assert.ok(inPopular(rawTop) >= inPopular(disc));
    await assert.rejects(simsTrainer.train(s.data, { min_cointeraction_count: '11' }), JobFailure);
    await assert.rejects(simsTrainer.train(s.data, { popularity_discount_factor: 'x' }), JobFailure);
  });

  it('survives serialize → load and gives related-items offline metrics', async () => {
    const model = await simsTrainer.train(s.data, {});
    const loaded = simsTrainer.load(model.serialize());
    for (const id of [...s.planted, 'i1', 'i77', 'nope']) {
      assert.deepEqual(loaded.recommend({ history: [], itemId: id, k: 40 }), model.recommend({ history: [], itemId: id, k: 40 }));
    }
    const m = await offlineMetrics(simsTrainer, s.data, {}, { seed: 1 });
    assert.ok(m.coverage > 0 && m.normalized_discounted_cumulative_gain_at_25 > 0);
  });
});
