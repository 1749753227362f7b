// The User-Personalization / Personalized-Ranking model on synthetic data: it beats popularity
// clearly under AWS's offline metrics, scores are softmax probabilities (§7.4), ranking works on
// given lists, and serialize → load gives identical answers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobFailure } from '../../src/jobs/job-failure.ts';
import { offlineMetrics } from '../../src/training/metrics/offline-metrics.ts';
import { BUILT_IN_TRAINERS } from '../../src/training/models/built-in-trainers.ts';
import { popularityCountTrainer } from '../../src/training/models/popularity-count.ts';
import {
  personalizedRankingTrainer,
  personalizedRankingV2Trainer,
  userOptions,
  userPersonalizationTrainer,
} from '../../src/training/models/user-personalization.ts';
import { synthetic } from './synthetic.ts';

const NDCG = 'normalized_discounted_cumulative_gain_at_25';

describe('aws-user-personalization', () => {
  const s = synthetic({ seed: 7, users: 3000, items: 600 });

  it('beats popularity clearly on NDCG@25 under the offline metrics', async () => {
    const ours = await offlineMetrics(userPersonalizationTrainer, s.data, {}, { seed: 2 });
    const pop = await offlineMetrics(popularityCountTrainer, s.data, {}, { seed: 2 });
    assert.ok(ours[NDCG] >= 1.6 * pop[NDCG], `ours ${ours[NDCG]} vs popularity ${pop[NDCG]}`);
    assert.ok(ours.coverage > pop.coverage);
  });

  it('recommends from the user history, newest first, with softmax scores over the catalog', async () => {
    const model = await userPersonalizationTrainer.train(s.data, {});
    const history = ['i3', 'i13', 'i23', 'i33']; // cluster 3 of 10
    const recs = model.recommend({ history, k: 20 });
    assert.equal(recs.length, 20);
    const inCluster = recs.filter((r) => Number(r.item.slice(1)) % 10 === 3).length;
    assert.ok(inCluster >= 12, `only ${inCluster} of 20 in the history's cluster`);
    assert.ok(!recs.some((r) => history.includes(r.item)), 'seen items come last on data without repeats');
    for (let r = 1; r < recs.length; r++) assert.ok(recs[r - 1].score! >= recs[r].score!);
    const all = model.recommend({ history, k: s.data.itemIds.length });
    const total = all.reduce((a, r) => a + (r.score ?? 0), 0);
    assert.ok(Math.abs(total - 1) < 1e-6, `scores sum to ${total}`);
    // Recency: the newest item's cluster leads when the history drifts.
    const drifted = model.recommend({ history: ['i3', 'i13', 'i23', 'i33', 'i5', 'i15', 'i25', 'i35'], k: 5 });
    assert.ok(drifted.filter((r) => Number(r.item.slice(1)) % 10 === 5).length >= 3);
    // Unknown items in the history are ignored; no known history → popularity.
    const cold = model.recommend({ history: ['nope'], k: 5 }).map((r) => r.item);
    const pop = (await popularityCountTrainer.train(s.data, {})).recommend({ history: [], k: 5 }).map((r) => r.item);
    assert.deepEqual(cold, pop);
    const ex = new Set(recs.slice(0, 5).map((r) => r.item));
    assert.deepEqual(
      model.recommend({ history, k: 15, exclude: ex }).map((r) => r.item),
      recs
        .slice(5)
        .map((r) => r.item)
        .slice(0, 15),
    );
  });

  it('survives serialize → load with identical recommendations and scores', async () => {
    const model = await userPersonalizationTrainer.train(s.data, {});
    const loaded = userPersonalizationTrainer.load(model.serialize());
    for (const history of [[], ['i1'], ['i4', 'i14', 'i99', 'i104'], ['x', 'i7']]) {
      assert.deepEqual(loaded.recommend({ history, k: 30 }), model.recommend({ history, k: 30 }));
    }
    assert.throws(() => personalizedRankingTrainer.load(model.serialize()), /recipe/);
  });

  it('range-checks hyperparameters and honours recency_mask', async () => {
    await assert.rejects(userPersonalizationTrainer.train(s.data, { hidden_dimension: '999' }), JobFailure);
    await assert.rejects(userPersonalizationTrainer.train(s.data, { recency_mask: 'maybe' }), JobFailure);
    assert.equal(userOptions('aws-user-personalization', { recency_mask: 'False' }).recency, false);
    assert.equal(userOptions('aws-user-personalization-v2', { apply_recency_bias: 'false' }).recency, false);
    assert.equal(userOptions('aws-user-personalization-v2', {}).recency, true);
  });
});

describe('aws-personalized-ranking', () => {
  const s = synthetic({ seed: 8, users: 2000, items: 400 });

  it('ranks the given items with a softmax over the list; unknown items last', async () => {
    const v1 = await personalizedRankingTrainer.train(s.data, {});
    const v2 = await personalizedRankingV2Trainer.train(s.data, {});
    const history = ['i2', 'i12', 'i22'];
    const items = ['i1', 'i32', 'unknown', 'i7', 'i42', 'i3'];
    for (const [model, v2ness] of [
      [v1, false],
      [v2, true],
    ] as const) {
      const ranked = model.rank!(history, items);
      assert.deepEqual(new Set(ranked.map((r) => r.item)), new Set(items));
      assert.equal(ranked[ranked.length - 1].item, 'unknown');
      assert.equal(ranked[ranked.length - 1].score, v2ness ? undefined : 0);
      const known = ranked.slice(0, -1);
      assert.ok(Math.abs(known.reduce((a, r) => a + r.score!, 0) - 1) < 1e-9);
      assert.ok(['i32', 'i42'].includes(ranked[0].item), `cluster 2 first, got ${ranked[0].item}`);
      const loaded = (v2ness ? personalizedRankingV2Trainer : personalizedRankingTrainer).load(model.serialize());
      assert.deepEqual(loaded.rank!(history, items), ranked);
    }
  });

  it('every built-in recipe has a trainer under its name', () => {
    for (const r of [
      'aws-popularity-count',
      'aws-trending-now',
      'aws-sims',
      'aws-user-personalization',
      'aws-user-personalization-v2',
      'aws-personalized-ranking',
      'aws-personalized-ranking-v2',
    ]) {
      assert.equal(BUILT_IN_TRAINERS.get(r)?.recipe, r);
    }
  });
});
