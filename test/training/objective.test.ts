// optimizationObjective (src/training/models/objective.ts): boosts by percentile, the rewards of
// average_rewards_at_k, and the boosted user model on both cores — its list is the exact top k by
// boosted logit, its scores still a softmax over the catalog, Personalized-Ranking's softmax over
// the list includes the boost, and serialize → load keeps it; HIGH trades relevance for the
// objective in the offline metrics, OFF changes nothing but adds the metric.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { offlineMetrics } from '../../src/training/metrics/offline-metrics.ts';
import { averageRewards, objectiveBoosts, objectiveTrainer, objectiveValues, rewardOf } from '../../src/training/models/objective.ts';
import { UserModel } from '../../src/training/models/user-model.ts';
import { trainUserModel, userOptions, userPersonalizationTrainer } from '../../src/training/models/user-personalization.ts';
import type { TrainingData } from '../../src/training/trainer.ts';
import { synthetic } from './synthetic.ts';

const NDCG = 'normalized_discounted_cumulative_gain_at_25';
const REWARDS = 'average_rewards_at_k';
const UP = 'aws-user-personalization';

/** The synthetic data with an Items column VALUE = item number % 8, unrelated to popularity and taste. */
function withValues(data: TrainingData): TrainingData {
  const items = new Map(data.itemIds.map((id) => [id, { VALUE: Number(id.slice(1)) % 8 }]));
  return { ...data, items };
}

describe('optimizationObjective', () => {
  const data = withValues(synthetic({ seed: 11, users: 2000, items: 400 }).data);
  const values = objectiveValues(data, 'value');

  it('boosts by percentile (ties share their mean rank, no value sits in the middle) and scales rewards into (0, 1]', () => {
    const v = new Map([
      ['a', -3],
      ['b', 10],
      ['c', 10],
      ['e', 0],
    ]);
    const b = objectiveBoosts(['a', 'b', 'c', 'd', 'e'], v, 2);
    // Sorted: a (0), e (1), b and c (2, 3 → 2.5): percentiles 0, 1/3, 5/6, 5/6; d has none.
    assert.deepEqual(
      Array.from(b, (x) => Math.round(x * 1000) / 1000),
      [-2, 1.333, 1.333, 0, -0.667],
    );
    const reward = rewardOf(v);
    assert.equal(reward('a'), 0.01);
    assert.equal(reward('b'), 1);
    assert.ok(Math.abs(reward('e') - (0.01 + (0.99 * 3) / 13)) < 1e-12);
    assert.equal(reward('unknown'), reward('b'), 'the median value (of -3, 0, 10, 10)');
    assert.equal(rewardOf(new Map([['x', 5]]))('x'), 1);
    // Per user with hits in the top 25: the mean reward of the hits; users without hits do not count.
    const r = (id: string) => ({ p: 1, q: 0.25, s: 0.5 })[id] ?? 0;
    const lists = [['p', 'x', 'q', 'p'], ['y'], ['q'], [...Array.from({ length: 25 }, (_, i) => `z${i}`), 's']];
    const held = [new Set(['p', 'q']), new Set(['y', 'p']).add('nope'), new Set(['s', 'q']), new Set(['s'])];
    assert.equal(averageRewards(lists, held, r), Math.round(((1.25 / 2 + 0 + 0.25) / 3) * 10_000) / 10_000);
    assert.equal(averageRewards([['a']], [new Set(['b'])], r), 0);
    // The column is found in any case; rows without a number are left out.
    assert.equal(values.get('i9'), 1);
    assert.equal(objectiveValues({ items: new Map([['x', { V: 'n/a' }]]) }, 'V').size, 0);
  });

  for (const core of ['graph', 'factors'] as const) {
    it(`${core} core: the exact top k by boosted logit, scores a softmax over the catalog, ranking boosted, kept by the artifact`, async () => {
      const plain = await trainUserModel(UP, data, { ...userOptions(UP, {}), largeCatalogItems: core === 'graph' ? Infinity : 100 });
      assert.equal(plain.core.kind, core);
      const boost = objectiveBoosts(plain.itemIds, values, 2);
      const model = plain.withObjective(boost);
      const n = model.itemIds.length;
      for (const history of [['i3', 'i13', 'i23'], ['i7'], []]) {
        const all = model.recommend({ history, k: n });
        const total = all.reduce((s, x) => s + (x.score ?? 0), 0);
        assert.ok(Math.abs(total - 1) < 1e-6, `scores sum to ${total}`);
        // Brute force: every item's boosted score from scoresOf, sorted.
        const scores = model.scoresOf(history, model.itemIds);
        const brute = model.itemIds.map((item, j) => ({ item, s: scores[j]! })).sort((a, b) => b.s - a.s);
        const top = model.recommend({ history, k: 10 });
        assert.deepEqual(
          top.map((x) => x.score!.toFixed(12)),
          brute.slice(0, 10).map((x) => x.s.toFixed(12)),
        );
        const ex = new Set(top.slice(0, 3).map((x) => x.item));
        assert.deepEqual(
          model.recommend({ history, k: 7, exclude: ex }).map((x) => x.item),
          top.slice(3, 10).map((x) => x.item),
        );
        // Boosted, the lists lean to high values.
        const mean = (m: UserModel) => m.recommend({ history, k: 25 }).reduce((s, x) => s + values.get(x.item)!, 0) / 25;
        assert.ok(mean(model) > mean(plain) + 1, `${mean(model)} vs ${mean(plain)}`);
      }
      // Ranking: softmax over the list of τ·rankScore + b; a higher value wins a tie in relevance.
      const ranked = model.rank(['i3'], ['i5', 'i6', 'i7']);
      const plainRanked = plain.rank(['i3'], ['i5', 'i6', 'i7']);
      const ratio = (list: typeof ranked, a: string, b: string) =>
        list.find((x) => x.item === a)!.score! / list.find((x) => x.item === b)!.score!;
      const j = (id: string) => model.itemIds.indexOf(id);
      assert.ok(Math.abs(ratio(ranked, 'i7', 'i5') / ratio(plainRanked, 'i7', 'i5') - Math.exp(boost[j('i7')] - boost[j('i5')])) < 1e-6);
      // The artifact keeps the boosts.
      const loaded = UserModel.load(model.serialize(), UP);
      assert.deepEqual(loaded.objective, boost);
      assert.deepEqual(loaded.recommend({ history: ['i3'], k: 25 }), model.recommend({ history: ['i3'], k: 25 }));
      assert.equal(UserModel.load(plain.serialize(), UP).objective, undefined);
    });
  }

  it('offline metrics: HIGH raises average_rewards_at_k at some cost in NDCG; OFF adds the metric and changes nothing else', async () => {
    const o = { seed: 3 };
    const none = await offlineMetrics(userPersonalizationTrainer, data, {}, o);
    const off = await offlineMetrics(
      objectiveTrainer(userPersonalizationTrainer, { itemAttribute: 'VALUE', objectiveSensitivity: 'OFF' }),
      data,
      {},
      o,
    );
    const high = await offlineMetrics(
      objectiveTrainer(userPersonalizationTrainer, { itemAttribute: 'VALUE', objectiveSensitivity: 'HIGH' }),
      data,
      {},
      o,
    );
    assert.ok(!(REWARDS in none));
    assert.deepEqual(Object.keys(high), [...Object.keys(high)].sort());
    const { [REWARDS]: offRewards, ...offRest } = off;
    assert.deepEqual(offRest, none);
    assert.ok(offRewards > 0 && offRewards <= 1);
    assert.ok(high[REWARDS] > offRewards, `${high[REWARDS]} vs ${offRewards}`);
    assert.ok(high[NDCG] < off[NDCG], `${high[NDCG]} vs ${off[NDCG]}`);
    assert.ok(high[NDCG] > 0.5 * off[NDCG], 'relevance still counts');
    // A solution without an objective is the recipe's own trainer.
    assert.equal(objectiveTrainer(userPersonalizationTrainer, undefined), userPersonalizationTrainer);
  });
});
