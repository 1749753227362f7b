// Contextual recommendations (src/training/models/context.ts): a request's context weights the user
// model's items by how often they were taken in it — on both cores, in recommend, rank and
// scoresOf alike, scores still a softmax over the catalog — while unknown keys and values change
// nothing, and the artifact keeps the tables.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContextTables } from '../../src/training/models/context.ts';
import { objectiveBoosts } from '../../src/training/models/objective.ts';
import { UserModel } from '../../src/training/models/user-model.ts';
import { trainUserModel, userOptions, userPersonalizationTrainer } from '../../src/training/models/user-personalization.ts';
import type { ContextCounts, TrainingData } from '../../src/training/trainer.ts';
import { synthetic } from './synthetic.ts';

const UP = 'aws-user-personalization';
/** Clusters 0-4 are mostly taken on mobile, 5-9 mostly on desktop. */
const mobileCluster = (id: string) => Number(id.slice(1)) % 10 < 5;

/** DEVICE per interaction: 90 % the item's cluster's device; counted as the training data loader counts. */
function withDevice(data: TrainingData): TrainingData {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const by = new Map<string, Map<number, number>>();
  for (let r = 0; r < data.item.length; r++) {
    const mobile = mobileCluster(data.itemIds[data.item[r]]) === rand() < 0.9;
    const value = mobile ? 'mobile' : 'desktop';
    const m = by.get(value) ?? by.set(value, new Map()).get(value)!;
    m.set(data.item[r], (m.get(data.item[r]) ?? 0) + data.weight[r]);
  }
  const values = [...by.keys()].sort();
  const offsets = [0];
  const items: number[] = [];
  const counts: number[] = [];
  for (const v of values) {
    for (const [i, n] of [...by.get(v)!].sort((a, b) => a[0] - b[0])) (items.push(i), counts.push(n));
    offsets.push(items.length);
  }
  const device: ContextCounts = {
    column: 'DEVICE',
    values,
    offsets: Int32Array.from(offsets),
    items: Int32Array.from(items),
    counts: Float32Array.from(counts),
  };
  return { ...data, context: [device] };
}

describe('contextual recommendations', () => {
  const data = withDevice(synthetic({ seed: 5, users: 1500, items: 300 }).data);
  const share = (list: { item: string }[]) => list.filter((x) => mobileCluster(x.item)).length / list.length;

  it('weights the items by P(context | item) / P(context): the neutral, the favoured and the never-seen', () => {
    // Item 0: 8 of its 10 in "a"; item 1: 0 of 10; item 2: no interactions in the column.
    const counts: ContextCounts = {
      column: 'Device',
      values: ['a', 'b'],
      offsets: Int32Array.from([0, 1, 3]),
      items: Int32Array.from([0, 0, 1]),
      counts: Float32Array.from([8, 2, 10]),
    };
    const t = ContextTables.fromData([counts], 3)!;
    const b = new Float32Array(3);
    t.addBoost(b, t.resolve({ DEVICE: 'A', other: 'x' }));
    const q = 8 / 20;
    assert.ok(Math.abs(b[0] - Math.log((8 + 10 * q) / (20 * q))) < 1e-6, String(b[0]));
    assert.ok(Math.abs(b[1] - Math.log(10 / 20)) < 1e-6, String(b[1]));
    assert.equal(b[2], 0);
    assert.deepEqual(t.resolve({ device: 'c' }), []);
  });

  for (const core of ['graph', 'factors'] as const) {
    it(`${core} core: the context leads a new user's list to its items; unknown keys and values change nothing`, async () => {
      const trained = await trainUserModel(UP, data, { ...userOptions(UP, {}), largeCatalogItems: core === 'graph' ? Infinity : 100 });
      const model = trained.withContext(data.context, data.itemIds);
      assert.equal(model.core.kind, core);
      const plain = model.recommend({ history: [], k: 30 });
      const mobile = model.recommend({ history: [], k: 30, context: { DEVICE: 'mobile' } });
      const desktop = model.recommend({ history: [], k: 30, context: { device: 'Desktop' } });
      assert.ok(share(mobile) >= 0.8, `mobile ${share(mobile)}`);
      assert.ok(share(desktop) <= 0.2, `desktop ${share(desktop)}`);
      assert.deepEqual(model.recommend({ history: [], k: 30, context: { DEVICE: 'tablet', OTHER: 'x' } }), plain);
      // A user's taste still counts (P(item | user) times the context's lift): a desktop user's list
      // in a mobile context keeps its desktop items first, the mobile ones moving up behind them.
      const history = ['i5', 'i15', 'i25', 'i35', 'i45'];
      const inMobile = model.recommend({ history, k: 100, context: { DEVICE: 'mobile' } });
      const inDefault = model.recommend({ history, k: 100 });
      assert.ok(share(inMobile.slice(0, 10)) < 0.5, `${share(inMobile.slice(0, 10))}`);
      assert.ok(share(inMobile) > share(inDefault), `${share(inMobile)} vs ${share(inDefault)}`);
      // Scores: a softmax over the catalog; scoresOf and rank in the same context agree with recommend.
      const all = model.recommend({ history, k: model.itemIds.length, context: { DEVICE: 'mobile' } });
      assert.ok(Math.abs(all.reduce((s, x) => s + x.score!, 0) - 1) < 1e-6);
      const some = all.slice(3, 6).map((x) => x.item);
      const scores = model.scoresOf(history, some, { DEVICE: 'mobile' });
      scores.forEach((x, i) => assert.ok(Math.abs(x! - all[3 + i].score!) < 1e-9));
      const ranked = model.rank(history, ['i0', 'i5'], { DEVICE: 'mobile' });
      const ratio = (l: { item: string; score?: number }[]) =>
        l.find((x) => x.item === 'i0')!.score! / l.find((x) => x.item === 'i5')!.score!;
      assert.ok(ratio(ranked) > ratio(model.rank(history, ['i0', 'i5'])));
      // With an objective too, both boosts add up; the artifact keeps both.
      const both = model.withObjective(objectiveBoosts(model.itemIds, new Map(), 1));
      const loaded = UserModel.load(both.serialize(), UP);
      assert.deepEqual(
        loaded.recommend({ history, k: 10, context: { DEVICE: 'desktop' } }),
        both.recommend({ history, k: 10, context: { DEVICE: 'desktop' } }),
      );
      assert.equal(UserModel.load(trained.serialize(), UP).context, undefined);
    });
  }

  it('the trainer keeps the training data’s context tables, its refit too', async () => {
    const model = (await userPersonalizationTrainer.train(data, {})) as UserModel;
    assert.ok(model.context);
    const refit = (await userPersonalizationTrainer.refit!(model, data, {})) as UserModel;
    assert.deepEqual(
      refit.recommend({ history: [], k: 10, context: { DEVICE: 'mobile' } }),
      model.recommend({ history: [], k: 10, context: { DEVICE: 'mobile' } }),
    );
    const { context: _, ...without } = data;
    assert.equal(((await userPersonalizationTrainer.train(without, {})) as UserModel).context, undefined);
  });
});
