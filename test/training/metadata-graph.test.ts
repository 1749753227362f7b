// The Items metadata in the user model's item graph (src/training/models/metadata-graph.ts): the
// metadata graph links items of the same genre, the mix keeps each row a distribution, tuning takes
// the metadata where it clearly helps (sparse histories) and leaves it out where it does not, a
// refit keeps the share, and a catalog without metadata trains as before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { offlineMetrics } from '../../src/training/metrics/offline-metrics.ts';
import { metadataGraph, mixGraphs } from '../../src/training/models/metadata-graph.ts';
import { UserModel, type GraphCore } from '../../src/training/models/user-model.ts';
import { refitUserModel, userPersonalizationTrainer } from '../../src/training/models/user-personalization.ts';
import type { TrainingData } from '../../src/training/trainer.ts';
import { synthetic } from './synthetic.ts';

const NDCG = 'normalized_discounted_cumulative_gain_at_25';

function rowSums(g: { offsets: Int32Array; w: Float32Array }): number[] {
  return Array.from({ length: g.offsets.length - 1 }, (_, i) => g.w.subarray(g.offsets[i], g.offsets[i + 1]).reduce((a, b) => a + b, 0));
}

describe('Items metadata in the user model', () => {
  const sparse = synthetic({ seed: 3, users: 300, items: 1500, meanHistory: 5, metadata: true });
  const { items: _items, itemFields: _fields, ...bare } = sparse.data;

  it('links items by their metadata, and the mix keeps every row a distribution', async () => {
    const m = (await metadataGraph(sparse.data))!;
    assert.ok(m);
    const genre = (j: number) => String(sparse.data.items!.get(sparse.data.itemIds[j])!.GENRE);
    let shared = 0;
    let total = 0;
    for (let i = 0; i < 200; i++) {
      for (let e = m.offsets[i]; e < m.offsets[i + 1]; e++) {
        total++;
        const a = new Set(genre(i).split('|'));
        if (
          genre(m.nbr[e])
            .split('|')
            .some((g) => a.has(g))
        )
          shared++;
      }
    }
    assert.ok(total > 0 && shared / total > 0.8, `${shared} of ${total} neighbours share a genre`);
    for (const x of rowSums(m)) assert.ok(x === 0 || Math.abs(x - 1) < 1e-5, String(x));
    const s = { offsets: Int32Array.from([0, 1, 1, 2]), nbr: Int32Array.from([1, 0]), w: Float32Array.from([1, 1]) };
    const mm = { offsets: Int32Array.from([0, 1, 2, 2]), nbr: Int32Array.from([2, 0]), w: Float32Array.from([1, 1]) };
    const mixed = mixGraphs(s, mm, 0.25);
    // Row 0: both parts; row 1: the metadata only (no co-occurrence); row 2: co-occurrence only.
    assert.deepEqual([...mixed.offsets], [0, 2, 3, 4]);
    assert.deepEqual([...mixed.nbr], [1, 2, 0, 0]);
    assert.deepEqual([...mixed.w], [0.75, 0.25, 1, 1]);
    assert.equal(mixGraphs(s, mm, 0), s);
    assert.equal(mixGraphs(s, undefined, 0.5), s);
  });

  it('tuning takes the metadata on sparse histories, where it scores clearly better, and a refit keeps it', async () => {
    const withMeta = await offlineMetrics(userPersonalizationTrainer, sparse.data, {}, { seed: 2 });
    const without = await offlineMetrics(userPersonalizationTrainer, bare as TrainingData, {}, { seed: 2 });
    assert.ok(withMeta[NDCG] > 1.05 * without[NDCG], `${withMeta[NDCG]} vs ${without[NDCG]}`);
    const model = (await userPersonalizationTrainer.train(sparse.data, {})) as UserModel;
    const eta = (model.core as GraphCore).params.metadata;
    assert.ok(eta && eta > 0, String(eta));
    const loaded = UserModel.load(model.serialize(), model.recipe);
    assert.equal((loaded.core as GraphCore).params.metadata, eta);
    const refit = await refitUserModel(model.recipe, model, sparse.data, {});
    assert.deepEqual(refit.recommend({ history: ['i3', 'i13'], k: 10 }), model.recommend({ history: ['i3', 'i13'], k: 10 }));
  });

  it('leaves the metadata out where it does not help, and trains as before without any', async () => {
    const dense = synthetic({ seed: 3, users: 2000, items: 400, meanHistory: 20, metadata: true });
    const model = (await userPersonalizationTrainer.train(dense.data, {})) as UserModel;
    assert.equal((model.core as GraphCore).params.metadata, undefined);
    const plain = (await userPersonalizationTrainer.train(bare as TrainingData, {})) as UserModel;
    assert.equal((plain.core as GraphCore).params.metadata, undefined);
  });
});
