// AWS's offline metrics (training-rules §4): the formulas pinned by the docs' worked examples,
// the holdout (10 % of users, oldest 90 % as input, newest 10 % as truth, trained without the
// test users), the eight names in AWS's order, four decimals, and reruns giving the same figures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluationSplit, offlineMetrics } from '../../src/training/metrics/offline-metrics.ts';
import { METRIC_NAMES, rankingMetrics, scoreList } from '../../src/training/metrics/ranking-metrics.ts';
import { userPersonalizationTrainer } from '../../src/training/models/user-personalization.ts';
import type { Model, Trainer, TrainingData } from '../../src/training/trainer.ts';
import { synthetic } from './synthetic.ts';

/** users × events each; user u's j-th event (oldest first) is item `u<u>-<j>`. */
function chains(users: number, events: number): TrainingData {
  const itemIds: string[] = [];
  const user: number[] = [];
  const item: number[] = [];
  const time: number[] = [];
  for (let j = 0; j < events; j++) {
    for (let u = 0; u < users; u++) {
      (user.push(u), item.push(itemIds.push(`u${u}-${j}`) - 1), time.push(1000 + j));
    }
  }
  return {
    userIds: Array.from({ length: users }, (_, u) => `user${u}`),
    itemIds,
    user: Int32Array.from(user),
    item: Int32Array.from(item),
    time: Float64Array.from(time),
    weight: new Float32Array(user.length).fill(1),
    eventType: new Int32Array(user.length),
    eventTypes: ['click'],
  };
}

describe('offline metric formulas', () => {
  it('NDCG@5 of hits at ranks 2 and 5 with two relevant items is 0.6241 (the docs example)', () => {
    const s = scoreList(['x', 'a', 'y', 'z', 'b'], new Set(['a', 'b']));
    assert.equal(Math.round(s.ndcg5 * 1e4) / 1e4, 0.6241);
    assert.equal(s.p5, 0.4);
    assert.equal(s.rr25, 0.5);
  });

  it('MRR of first hits at ranks 4, 2 and 6 is 0.3056; precision divides by K', () => {
    const rel = [new Set(['a']), new Set(['a']), new Set(['a'])];
    const lists = [
      ['1', '2', '3', 'a'],
      ['1', 'a'],
      ['1', '2', '3', '4', '5', 'a'],
    ];
    const m = rankingMetrics(lists, rel, 100);
    assert.equal(m.mean_reciprocal_rank_at_25, 0.3056);
    assert.equal(m.precision_at_5, round4(2 / 5 / 3));
    assert.equal(m.precision_at_10, round4(3 / 10 / 3));
    assert.deepEqual(Object.keys(m), [...METRIC_NAMES]);
    // coverage: distinct recommended items (1..5, a) over the catalog
    assert.equal(m.coverage, 0.06);
  });

  it('users without relevant items are left out of the averages', () => {
    const m = rankingMetrics([['a'], ['b']], [new Set(['a']), new Set()], 10);
    assert.equal(m.mean_reciprocal_rank_at_25, 1);
  });
});

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

describe('offlineMetrics', () => {
  it('holds out 10 % of users, gives the oldest 90 % as input and scores against the newest 10 %', async () => {
    const data = chains(40, 20);
    const split = evaluationSplit(data, 3);
    assert.equal(split.tests.length, 4);
    for (const t of split.tests) {
      const u = t.userId.slice(4);
      assert.deepEqual(
        t.input,
        Array.from({ length: 18 }, (_, j) => `u${u}-${j}`),
      );
      assert.deepEqual([...t.relevant], [`u${u}-18`, `u${u}-19`]);
    }
    assert.equal(split.train.userIds.length, 36);
    assert.equal(split.catalogSize, 800);
    for (const t of split.tests) assert.ok(!split.train.userIds.includes(t.userId));

    // A stub model that puts the two truth items at ranks 2 and 5: the docs' NDCG example for every user.
    let trainedOn: TrainingData | undefined;
    const stub: Trainer = {
      recipe: 'stub',
      async train(d) {
        trainedOn = d;
        const model: Model = {
          recipe: 'stub',
          recommend(q) {
            const u = q.history[0].split('-')[0];
            const list = ['p0', `${u}-18`, 'p1', 'p2', `${u}-19`, ...Array.from({ length: 20 }, (_, k) => `q${k}`)];
            return list.slice(0, q.k).map((item) => ({ item }));
          },
          serialize: () => Buffer.alloc(0),
        };
        return model;
      },
      load: () => {
        throw new Error('unused');
      },
    };
    const m = await offlineMetrics(stub, data, {}, { seed: 3 });
    assert.equal(trainedOn!.userIds.length, 36);
    assert.equal(trainedOn!.user.length, 36 * 20);
    assert.deepEqual(Object.keys(m), [...METRIC_NAMES]);
    assert.equal(m.normalized_discounted_cumulative_gain_at_5, 0.6241);
    assert.equal(m.normalized_discounted_cumulative_gain_at_10, 0.6241);
    assert.equal(m.normalized_discounted_cumulative_gain_at_25, 0.6241);
    assert.equal(m.mean_reciprocal_rank_at_25, 0.5);
    assert.equal(m.precision_at_5, 0.4);
    assert.equal(m.precision_at_10, 0.2);
    assert.equal(m.precision_at_25, 0.08);
    // 4 users × 2 truth items + 23 shared fillers, over 800 items
    assert.equal(m.coverage, round4((8 + 23) / 800));
  });

  it('a short history leaves its newest event as truth; one-event users always train', () => {
    const data = chains(30, 2);
    const split = evaluationSplit(data, 1);
    assert.equal(split.tests.length, 3);
    for (const t of split.tests) (assert.equal(t.input.length, 1), assert.equal(t.relevant.size, 1));
    const single = chains(10, 1);
    assert.equal(evaluationSplit(single, 1).tests.length, 0);
  });

  it('is deterministic: the same data and seed give the same figures; another seed another split', async () => {
    const { data } = synthetic({ seed: 5, users: 800, items: 200 });
    const a = await offlineMetrics(userPersonalizationTrainer, data, {}, { seed: 11 });
    const b = await offlineMetrics(userPersonalizationTrainer, data, {}, { seed: 11 });
    assert.deepEqual(a, b);
    for (const v of Object.values(a)) assert.equal(v, round4(v));
    const users = (seed: number) => evaluationSplit(data, seed).tests.map((t) => t.userId);
    assert.notDeepEqual(users(11), users(12));
  });
});
