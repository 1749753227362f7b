// The serving plane's model cache (src/serving/model-cache.ts): bounded by bytes, least recently
// used out first, one load per key however many requests wait for it, a failed load not kept.
// Real models: Popularity-Count artifacts of different sizes, loaded through their trainer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModelCache, type LoadedModel } from '../../src/serving/model-cache.ts';
import { popularityCountTrainer } from '../../src/training/models/popularity-count.ts';
import type { TrainingData } from '../../src/training/trainer.ts';

/** Interactions where item i has i + 1 users, so the popularity order is known. */
function data(items: number): TrainingData {
  const user: number[] = [];
  const item: number[] = [];
  for (let i = 0; i < items; i++) for (let u = 0; u <= i; u++) (user.push(u), item.push(i));
  const n = user.length;
  return {
    userIds: Array.from({ length: items }, (_, u) => `u${u}`),
    itemIds: Array.from({ length: items }, (_, i) => `i${i}`),
    user: Int32Array.from(user),
    item: Int32Array.from(item),
    time: Float64Array.from({ length: n }, (_, k) => k),
    weight: new Float32Array(n).fill(1),
    eventType: new Int32Array(n).fill(-1),
    eventTypes: [],
  };
}

async function artifact(items: number): Promise<Buffer> {
  return (await popularityCountTrainer.train(data(items), {})).serialize();
}

/** A loader over artifacts by key that counts its loads. */
function loader(artifacts: Map<string, Buffer>) {
  const loads: string[] = [];
  return {
    loads,
    load: (key: string) => async (): Promise<LoadedModel> => {
      loads.push(key);
      const bytes = artifacts.get(key);
      if (!bytes) throw new Error(`no artifact ${key}`);
      return { model: popularityCountTrainer.load(bytes), bytes: bytes.length };
    },
  };
}

describe('ModelCache', () => {
  it('loads a model once, however many requests wait for it, and answers from it', async () => {
    const artifacts = new Map([['a', await artifact(20)]]);
    const l = loader(artifacts);
    const cache = new ModelCache(10 * 1024 * 1024);
    const models = await Promise.all(Array.from({ length: 5 }, () => cache.get('a', l.load('a'))));
    assert.deepEqual(l.loads, ['a']);
    assert.ok(models.every((m) => m === models[0]));
    assert.deepEqual(
      models[0].recommend({ history: [], k: 3 }).map((s) => s.item),
      ['i19', 'i18', 'i17'],
    );
    assert.equal(cache.peek('a'), models[0]);
    assert.deepEqual(cache.stats(), { models: 1, bytes: artifacts.get('a')!.length });
  });

  it('keeps within its bound by dropping the least recently used models', async () => {
    const artifacts = new Map([
      ['a', await artifact(50)],
      ['b', await artifact(50)],
      ['c', await artifact(50)],
    ]);
    const size = artifacts.get('a')!.length;
    const l = loader(artifacts);
    const cache = new ModelCache(2 * size + 10);
    await cache.get('a', l.load('a'));
    await cache.get('b', l.load('b'));
    assert.ok(cache.peek('a'), 'a is used again: b is now the least recently used');
    await cache.get('c', l.load('c'));
    assert.deepEqual(cache.stats(), { models: 2, bytes: 2 * size });
    assert.equal(cache.peek('b'), undefined);
    assert.ok(cache.peek('a') && cache.peek('c'));
    await cache.get('b', l.load('b'));
    assert.deepEqual(l.loads, ['a', 'b', 'c', 'b']);
  });

  it('keeps a model larger than the bound while it is the newest (a request waits for it)', async () => {
    const artifacts = new Map([['big', await artifact(200)]]);
    const l = loader(artifacts);
    const cache = new ModelCache(100);
    const model = await cache.get('big', l.load('big'));
    assert.equal(cache.peek('big'), model);
    assert.equal(cache.stats().models, 1);
  });

  it('does not keep a failed load: the next request tries again', async () => {
    const artifacts = new Map<string, Buffer>();
    const l = loader(artifacts);
    const cache = new ModelCache(1024 * 1024);
    await assert.rejects(cache.get('late', l.load('late')), /no artifact late/);
    artifacts.set('late', await artifact(5));
    const model = await cache.get('late', l.load('late'));
    assert.equal(model.recommend({ history: [], k: 1 })[0].item, 'i4');
    assert.deepEqual(l.loads, ['late', 'late']);
  });
});
