// The user model's large-catalog core (implicit ALS factors with an inverted-file index:
// factor-model.ts), trained on a small synthetic catalog by lowering the threshold: it beats
// popularity clearly under AWS's offline metrics, answers recommend / rank / scoresOf as the item
// graph's model does (softmax scores over the catalog, recency, seen items last, popularity for a
// cold user), survives serialize → load, trains the same in worker threads, and refits warm.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { offlineMetrics } from '../../src/training/metrics/offline-metrics.ts';
import type { FactorOptions } from '../../src/training/models/factor-model.ts';
import { popularityCountTrainer } from '../../src/training/models/popularity-count.ts';
import { refitUserModel, trainUserModel, userOptions } from '../../src/training/models/user-personalization.ts';
import { UserModel } from '../../src/training/models/user-model.ts';
import type { Trainer, TrainingData } from '../../src/training/trainer.ts';
import { synthetic } from './synthetic.ts';

const NDCG = 'normalized_discounted_cumulative_gain_at_25';
const UP = 'aws-user-personalization-v2';
/** Small factors keep the tests quick; lists of 50 items with 100 probed make the index approximate. */
const SMALL: Partial<FactorOptions> = { k: 16, listSize: 50, probe: 100, head: 20 };

function train(recipe: string, data: TrainingData, factors: Partial<FactorOptions> = SMALL, signal?: AbortSignal): Promise<UserModel> {
  return trainUserModel(recipe, data, { ...userOptions(recipe, {}), largeCatalogItems: 100, factors }, signal);
}

const forcedTrainer = (recipe: string): Trainer => ({
  recipe,
  train: (data) => train(recipe, data),
  load: (a) => UserModel.load(a, recipe),
});

const cluster = (id: string) => Number(id.slice(1)) % 10;

describe('the user model on a large catalog (factors)', () => {
  const s = synthetic({ seed: 7, users: 3000, items: 600 });

  it('trains above the threshold only, and beats popularity clearly on NDCG@25', async () => {
    assert.equal((await train(UP, s.data)).core.kind, 'factors');
    const graph = await trainUserModel(UP, s.data, { ...userOptions(UP, {}), largeCatalogItems: 600 });
    assert.equal(graph.core.kind, 'graph');
    const ours = await offlineMetrics(forcedTrainer(UP), s.data, {}, { seed: 2 });
    const pop = await offlineMetrics(popularityCountTrainer, s.data, {}, { seed: 2 });
    assert.ok(ours[NDCG] >= 1.6 * pop[NDCG], `factors ${ours[NDCG]} vs popularity ${pop[NDCG]}`);
    assert.ok(ours.coverage > pop.coverage);
  });

  it('recommends from the history, newest first, with softmax scores over the catalog', async () => {
    const model = await train(UP, s.data);
    const history = ['i3', 'i13', 'i23', 'i33'];
    const recs = model.recommend({ history, k: 20 });
    assert.equal(recs.length, 20);
    assert.ok(recs.filter((r) => cluster(r.item) === 3).length >= 12, JSON.stringify(recs));
    assert.ok(!recs.some((r) => history.includes(r.item)), 'seen items come last on data without repeats');
    for (let r = 1; r < recs.length; r++) assert.ok(recs[r - 1].score! >= recs[r].score!);
    // The whole catalog: the partition function is estimated over unprobed lists, so about 1.
    const all = model.recommend({ history, k: s.data.itemIds.length });
    assert.equal(new Set(all.map((r) => r.item)).size, s.data.itemIds.length);
    const total = all.reduce((a, r) => a + (r.score ?? 0), 0);
    assert.ok(Math.abs(total - 1) < 0.15, `scores sum to ${total}`);
    // Exact with every list probed.
    const exact = await train(UP, s.data, { k: 16 });
    const sum = exact.recommend({ history, k: s.data.itemIds.length }).reduce((a, r) => a + (r.score ?? 0), 0);
    assert.ok(Math.abs(sum - 1) < 1e-6, `scores sum to ${sum}`);
    // Recency: the newest items' cluster leads when the history drifts.
    const drifted = model.recommend({ history: [...history, 'i5', 'i15', 'i25', 'i35'], k: 5 });
    assert.ok(drifted.filter((r) => cluster(r.item) === 5).length >= 3, JSON.stringify(drifted));
    // scoresOf gives recommend's scores; unknown items none.
    const some = recs.slice(0, 3).map((r) => r.item);
    assert.deepEqual(model.scoresOf(history, [...some, 'nope']), [...recs.slice(0, 3).map((r) => r.score), undefined]);
    // Excluded items are skipped, the order otherwise kept.
    const ex = new Set(recs.slice(0, 5).map((r) => r.item));
    assert.deepEqual(
      model.recommend({ history, k: 15, exclude: ex }).map((r) => r.item),
      recs.slice(5, 20).map((r) => r.item),
    );
    // No known history: the most popular items.
    const cold = model.recommend({ history: ['nope'], k: 5 }).map((r) => r.item);
    const pop = (await popularityCountTrainer.train(s.data, {})).recommend({ history: [], k: 5 }).map((r) => r.item);
    assert.deepEqual(cold, pop);
  });

  it('ranks given items with a softmax over the list; unknown items last', async () => {
    for (const recipe of ['aws-personalized-ranking', 'aws-personalized-ranking-v2']) {
      const model = await train(recipe, s.data);
      const ranked = model.rank(['i2', 'i12', 'i22'], ['i1', 'i32', 'unknown', 'i7', 'i42', 'i3']);
      assert.equal(ranked.length, 6);
      assert.equal(ranked[5].item, 'unknown');
      assert.equal(ranked[5].score, recipe.endsWith('-v2') ? undefined : 0);
      assert.ok(Math.abs(ranked.slice(0, 5).reduce((a, r) => a + r.score!, 0) - 1) < 1e-9);
      assert.ok(['i32', 'i42'].includes(ranked[0].item), `cluster 2 first, got ${ranked[0].item}`);
    }
  });

  it('survives serialize → load with identical answers', async () => {
    const model = await train(UP, s.data);
    const loaded = UserModel.load(model.serialize(), UP);
    assert.equal(loaded.core.kind, 'factors');
    for (const history of [[], ['i1'], ['i4', 'i14', 'i99', 'i104'], ['x', 'i7']]) {
      assert.deepEqual(loaded.recommend({ history, k: 30 }), model.recommend({ history, k: 30 }));
      assert.deepEqual(loaded.scoresOf(history, ['i5', 'i6']), model.scoresOf(history, ['i5', 'i6']));
      assert.deepEqual(loaded.rank(history, ['i5', 'i6', 'i7']), model.rank(history, ['i5', 'i6', 'i7']));
    }
    assert.throws(() => UserModel.load(model.serialize(), 'aws-user-personalization'), /recipe/);
  });

  it('trains in worker threads as in this thread, and stops on abort', async () => {
    const one = await train(UP, s.data, { ...SMALL, threads: 1 });
    const two = await train(UP, s.data, { ...SMALL, threads: 2 });
    for (const history of [
      ['i4', 'i14', 'i24'],
      ['i8', 'i18', 'i9'],
    ]) {
      const a = one.recommend({ history, k: 10 });
      const b = two.recommend({ history, k: 10 });
      assert.deepEqual(
        b.map((r) => r.item),
        a.map((r) => r.item),
      );
      a.forEach((r, i) => assert.ok(Math.abs(r.score! - b[i].score!) < 1e-4 * r.score!));
    }
    const stop = new AbortController();
    const training = train(UP, s.data, { ...SMALL, threads: 2, iterations: 1000 }, stop.signal);
    setTimeout(() => stop.abort(new Error('stopped')), 300);
    await assert.rejects(training, /stopped/);
  });

  it('refits warm from its base: the base parameters, and new items', async () => {
    const base = await train(UP, s.data);
    const extra = 40;
    const t = s.data.time[s.data.time.length - 1] + 1;
    const more: TrainingData = {
      ...s.data,
      itemIds: [...s.data.itemIds, 'new1'],
      user: Int32Array.from([...s.data.user, ...Array.from({ length: extra }, (_, u) => u)]),
      item: Int32Array.from([...s.data.item, ...Array.from({ length: extra }, () => s.data.itemIds.length)]),
      time: Float64Array.from([...s.data.time, ...Array.from({ length: extra }, (_, x) => t + x)]),
      weight: new Float32Array(s.data.user.length + extra).fill(1),
      eventType: new Int32Array(s.data.user.length + extra),
    };
    const refit = await refitUserModel(UP, base, more, {});
    assert.equal(refit.core.kind, 'factors');
    assert.deepEqual(refit.params, base.params);
    assert.ok(refit.itemIds.includes('new1'));
    assert.notEqual(refit.scoresOf(['i3'], ['new1'])[0], undefined);
  });
});
