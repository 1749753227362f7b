// The offline metrics in a worker thread (holdout-worker.ts): the same figures as in the calling
// thread, on SharedArrayBuffer-backed data as loadTrainingData makes it; an abort ends the worker;
// a trainer the built-in table does not hold stays in the calling thread; a JobFailure keeps its
// class.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobFailure } from '../../src/jobs/job-failure.ts';
import { canEvaluateInWorker, evaluateInWorker, MIN_INTERACTIONS } from '../../src/training/holdout-worker.ts';
import { offlineMetrics } from '../../src/training/metrics/offline-metrics.ts';
import { simsTrainer } from '../../src/training/models/sims.ts';
import { trendingNowTrainer } from '../../src/training/models/trending-now.ts';
import { userPersonalizationTrainer } from '../../src/training/models/user-personalization.ts';
import type { TrainingData } from '../../src/training/trainer.ts';
import { synthetic } from './synthetic.ts';

/** The data with its arrays in SharedArrayBuffers, as loadTrainingData makes them. */
function shared(d: TrainingData): TrainingData {
  const copy = <T extends Int32Array | Float32Array | Float64Array>(a: T, make: (b: SharedArrayBuffer) => T): T => {
    const out = make(new SharedArrayBuffer(a.byteLength));
    out.set(a);
    return out;
  };
  return {
    ...d,
    user: copy(d.user, (b) => new Int32Array(b)),
    item: copy(d.item, (b) => new Int32Array(b)),
    time: copy(d.time, (b) => new Float64Array(b)),
    weight: copy(d.weight, (b) => new Float32Array(b)),
    eventType: copy(d.eventType, (b) => new Int32Array(b)),
  };
}

describe('offline metrics in a worker thread', () => {
  const data = shared(synthetic({ seed: 4, users: 1200, items: 300 }).data);

  it('gives the figures of the calling thread', async () => {
    for (const trainer of [simsTrainer, userPersonalizationTrainer]) {
      const inWorker = await evaluateInWorker(trainer, data, {});
      assert.deepEqual(inWorker, await offlineMetrics(trainer, data, {}), trainer.recipe);
      assert.ok(inWorker.normalized_discounted_cumulative_gain_at_25 > 0);
    }
  });

  it('takes large trainings of built-in trainers only', () => {
    const big = { ...data, user: new Int32Array(MIN_INTERACTIONS) };
    assert.equal(canEvaluateInWorker(simsTrainer, big), true);
    assert.equal(canEvaluateInWorker(simsTrainer, data), false);
    assert.equal(canEvaluateInWorker({ ...simsTrainer }, big), false);
  });

  it('ends the worker on an abort, and passes a JobFailure on as one', async () => {
    const stop = new AbortController();
    const running = evaluateInWorker(userPersonalizationTrainer, data, {}, stop.signal);
    stop.abort(new Error('stopped by the test'));
    await assert.rejects(running, /stopped by the test/);
    await assert.rejects(evaluateInWorker(trendingNowTrainer, data, { trend_discovery_frequency: '5 hours' }), (e: unknown) => {
      assert.ok(e instanceof JobFailure);
      assert.match(e.message, /trend_discovery_frequency/);
      return true;
    });
  });
});
