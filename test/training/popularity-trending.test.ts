// aws-popularity-count and aws-trending-now on synthetic data: popularity follows unique-user
// counts, the planted rising item leads the trend, and serialize → load changes nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobFailure } from '../../src/jobs/job-failure.ts';
import { popularityCountTrainer } from '../../src/training/models/popularity-count.ts';
import { trendingNowTrainer, trendWindowSeconds } from '../../src/training/models/trending-now.ts';
import type { TrainingData } from '../../src/training/trainer.ts';
import { synthetic } from './synthetic.ts';

function uniqueUserCounts(d: TrainingData): Map<string, number> {
  const pairs = new Set<string>();
  const counts = new Map<string, number>();
  for (let r = 0; r < d.user.length; r++) {
    const key = `${d.user[r]}/${d.item[r]}`;
    if (pairs.has(key)) continue;
    pairs.add(key);
    const id = d.itemIds[d.item[r]];
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe('aws-popularity-count', () => {
  const { data } = synthetic({ seed: 2, users: 1500, items: 300, repeat: 0.2 });

  it('ranks items by the number of unique users, for everyone, without scores', async () => {
    const model = await popularityCountTrainer.train(data, {});
    const recs = model.recommend({ history: [], k: 50 });
    const counts = uniqueUserCounts(data);
    assert.equal(recs.length, 50);
    for (let r = 1; r < recs.length; r++) assert.ok(counts.get(recs[r - 1].item)! >= counts.get(recs[r].item)!);
    const max = Math.max(...counts.values());
    assert.equal(counts.get(recs[0].item), max);
    assert.ok(recs.every((s) => s.score === undefined));
    assert.deepEqual(model.recommend({ history: ['i1', 'i2'], k: 50 }), recs);
  });

  it('skips excluded items and survives serialize → load', async () => {
    const model = await popularityCountTrainer.train(data, {});
    const top = model.recommend({ history: [], k: 3 }).map((s) => s.item);
    const next = model.recommend({ history: [], k: 3, exclude: new Set([top[0]]) }).map((s) => s.item);
    assert.deepEqual(next.slice(0, 2), top.slice(1));
    const loaded = popularityCountTrainer.load(model.serialize());
    assert.deepEqual(loaded.recommend({ history: [], k: 100 }), model.recommend({ history: [], k: 100 }));
    assert.throws(() => trendingNowTrainer.load(model.serialize()), /recipe aws-popularity-count/);
  });
});

describe('aws-trending-now', () => {
  const s = synthetic({ seed: 3, users: 1500, items: 300 });

  it('puts the rising item first, for every window length', async () => {
    for (const f of ['30 minutes', '1 hour', '2 hours', '3h', '1 day']) {
      const model = await trendingNowTrainer.train(s.data, { trend_discovery_frequency: f });
      const recs = model.recommend({ history: [], k: 10 });
      assert.equal(recs[0].item, s.rising, f);
      assert.equal(recs.length, 10);
      assert.ok(recs.every((r) => r.score === undefined));
    }
  });

  it('is not fooled by sheer popularity: the most popular item does not lead', async () => {
    const model = await trendingNowTrainer.train(s.data, { trend_discovery_frequency: '1 hour' });
    const pop = await popularityCountTrainer.train(s.data, {});
    const popular = pop.recommend({ history: [], k: 1 })[0].item;
    assert.notEqual(model.recommend({ history: [], k: 1 })[0].item, popular);
    assert.equal(model.recommend({ history: [], k: 1, exclude: new Set([s.rising]) }).length, 1);
  });

  it('parses the documented spellings and rejects others', () => {
    assert.equal(trendWindowSeconds(undefined), 7200);
    assert.equal(trendWindowSeconds('30 min'), 1800);
    assert.equal(trendWindowSeconds('1h'), 3600);
    assert.equal(trendWindowSeconds('3 hours'), 10800);
    assert.equal(trendWindowSeconds('1 day'), 86400);
    assert.throws(() => trendWindowSeconds('5 hours'), JobFailure);
    assert.throws(() => trendWindowSeconds('often'), JobFailure);
  });

  it('survives serialize → load', async () => {
    const model = await trendingNowTrainer.train(s.data, {});
    const loaded = trendingNowTrainer.load(model.serialize());
    assert.deepEqual(loaded.recommend({ history: [], k: 300 }), model.recommend({ history: [], k: 300 }));
  });
});
