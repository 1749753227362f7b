// aws-next-best-action on synthetic action sequences (action-synthetic.ts): the action that always
// follows another comes first right after it, scores are probabilities, rule 19 decides which
// actions may show one, ties go to the higher VALUE, the hyperparameter is range-checked, the
// offline metrics are AWS's four, and the artifact loads back to the same model.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobFailure } from '../../src/jobs/job-failure.ts';
import { actionTrainingData, MAX_CANDIDATE_ACTIONS, TAKEN } from '../../src/training/action-training-data.ts';
import { offlineMetrics } from '../../src/training/metrics/offline-metrics.ts';
import { rocAuc } from '../../src/training/metrics/action-metrics.ts';
import { nextBestActionTrainer, NextBestActionModel } from '../../src/training/models/next-best-action.ts';
import { ACTIONS, actionRows, actionTrainingDataOf, defaultActions, PAIRS } from './action-synthetic.ts';

describe('aws-next-best-action', () => {
  const rows = actionRows();
  const data = actionTrainingDataOf(rows);
  const trained = nextBestActionTrainer.train(data, {}) as Promise<NextBestActionModel>;

  it('ranks the action that always follows right after its predecessor first, with a probability', async () => {
    const model = await trained;
    for (const [first, second] of PAIRS) {
      const user = rows.users.find((u) => PAIRS[rows.pairOf.get(u)!][0] !== first)!;
      const events = [...model.trainedHistory(user), { actionId: first, event: TAKEN, time: rows.end + 60 }];
      const ranked = model.rankActions({ events, items: [], now: rows.end + 120 });
      assert.equal(ranked[0].actionId, second, JSON.stringify(ranked.slice(0, 3)));
      assert.ok(ranked[0].propensity > 0.5, `${second} follows ${first} nearly always: ${ranked[0].propensity}`);
      for (const r of ranked) assert.ok(r.propensity > 0 && r.propensity < 1);
      // A day later the next step has passed: the user's own habit leads again.
      const later = model.rankActions({ events, items: [], now: rows.end + 60 + 30 * 86_400 });
      assert.ok(later.find((r) => r.actionId === second)!.propensity < ranked[0].propensity);
    }
  });

  it('learns from users’ items: a user without action interactions gets the actions of users with the same items', async () => {
    const model = await trained;
    const pair = 2;
    const items = Array.from({ length: 6 }, (_, i) => `c${pair}-i${i}`);
    const top2 = model
      .rankActions({ events: [], items })
      .slice(0, 2)
      .map((r) => r.actionId);
    assert.deepEqual(new Set(top2), new Set(PAIRS[pair]));
  });

  it('shows scores only for actions with ≥ 50 TAKEN and ≥ 50 NOT_TAKEN or VIEWED interactions (rule 19), ties by VALUE', async () => {
    const model = await trained;
    assert.ok(model.qualified.every((q) => q === 1));
    // a9 keeps 10 TAKEN: it no longer qualifies, and comes after every qualified action.
    let kept = 0;
    const thinned = {
      ...rows,
      actionInteractions: rows.actionInteractions.filter((line) => !line.includes(',a9,TAKEN,') || kept++ < 10),
    };
    const thin = (await nextBestActionTrainer.train(actionTrainingDataOf(thinned), {})) as NextBestActionModel;
    const ranked = thin.rankActions({ events: [], items: [] });
    assert.equal(ranked.at(-1)!.actionId, 'a9');
    assert.equal(ranked.at(-1)!.qualified, false);
    // Without action interactions nothing qualifies and equal estimates go by VALUE, highest first.
    const none = (await nextBestActionTrainer.train(actionTrainingDataOf({ ...rows, actionInteractions: [] }), {})) as NextBestActionModel;
    const order = none.rankActions({ events: [], items: [] });
    assert.ok(order.every((r) => !r.qualified));
    assert.deepEqual(
      order.map((r) => r.actionId),
      [...ACTIONS].sort((a, b) => Number(b.slice(1)) - Number(a.slice(1))),
    );
  });

  it('range-checks action_optimization_period (7-28 days)', async () => {
    await assert.rejects(nextBestActionTrainer.train(data, { action_optimization_period: '6' }), JobFailure);
    await assert.rejects(nextBestActionTrainer.train(data, { action_optimization_period: '29' }), JobFailure);
    const week = (await nextBestActionTrainer.train(data, { action_optimization_period: '7' })) as NextBestActionModel;
    assert.equal(week.period, 7);
  });

  it('reports precision, recall, AUC and coverage on AWS’s holdout', async () => {
    const metrics = await offlineMetrics(nextBestActionTrainer, data, {});
    assert.deepEqual(Object.keys(metrics), ['auc', 'coverage', 'precision', 'recall']);
    assert.ok(metrics.auc > 0.75, JSON.stringify(metrics));
    assert.ok(metrics.recall > 0.5, JSON.stringify(metrics));
    assert.equal(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]), 0.75);
  });

  it('loads back from its artifact to the same answers', async () => {
    const model = await trained;
    const again = nextBestActionTrainer.load(model.serialize()) as NextBestActionModel;
    for (const user of ['u0', 'u1', 'u42', 'nobody']) {
      const q = { events: model.trainedHistory(user), items: ['c1-i1'] };
      assert.deepEqual(again.rankActions(q), model.rankActions(q));
    }
  });

  it('considers at most 1,000 actions: the most recently added or interacted with', () => {
    const catalog = defaultActions();
    for (let i = 0; i < 1200; i++) catalog.set(`n${String(i).padStart(4, '0')}`, { CREATION_TIMESTAMP: i });
    const d = actionTrainingData(catalog, { users: ['u', 'u'], actions: ['a1', 'a2'], times: [5000, 100], events: [TAKEN, TAKEN] });
    assert.equal(d.candidates, MAX_CANDIDATE_ACTIONS);
    const candidates = new Set(d.actionIds.slice(0, d.candidates));
    assert.ok(candidates.has('a1'), 'an action with a recent interaction is kept');
    assert.ok(candidates.has('n1199') && !candidates.has('n0100') && !candidates.has('a2') && !candidates.has('a3'));
    // An action past the cap is still the users' history.
    assert.ok(d.actionIds.includes('a2'));
  });
});
