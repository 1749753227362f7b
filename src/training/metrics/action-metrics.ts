// Offline metrics of PERSONALIZED_ACTIONS solution versions (training-rules.md rules 54, 57, 58):
// precision, recall, AUC and coverage of the Next-Best-Action model on AWS's holdout.
//
// The holdout (rule 54, by users): 10 % of the users with at least 2 action interactions (the
// lowest hash of their ID, at least 1) are test users; the model is trained without their action
// interactions (their item interactions stay: they are not what is predicted); each test user's
// oldest 90 % of action interactions (⌈0.9·n⌉, leaving at least 1) is the model's input and the
// actions they TAKE in the newest 10 % are the relevant ones. [INF] where AWS gives no formula:
//  * "recommended" is the model's top K = 5 actions (GetActionRecommendations' default numResults),
//    by the model's estimate, no exploration;
//  * precision = mean over the actions recommended at least once of (test users it was
//    recommended to who took it) / (test users it was recommended to);
//  * recall = mean over the actions taken by some test user of (those it was recommended to) /
//    (those who took it);
//  * auc = the area under the ROC curve of the model's estimate over every (test user, candidate
//    action) pair, positives being the relevant pairs (ties count half);
//  * coverage = distinct actions recommended / candidate actions.
// Metric names [INF]: `auc`, `coverage`, `precision`, `recall`, in that (lexicographic) order,
// rounded to 4 decimals. No test user with a relevant action: all 0 except coverage.
import { TAKEN, type ActionTrainingData } from '../action-training-data.ts';
import type { NextBestActionModel } from '../models/next-best-action.ts';
import type { Trainer, TrainingData } from '../trainer.ts';
import { round4 } from './ranking-metrics.ts';

export const ACTION_TOP_K = 5;

function hash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The action data without the rows of users whose keep[u] is 0 (user indexes unchanged). */
function withoutUsers(d: ActionTrainingData, keep: Uint8Array): ActionTrainingData {
  const rows: number[] = [];
  for (let k = 0; k < d.user.length; k++) if (keep[d.user[k]]) rows.push(k);
  return {
    ...d,
    user: Int32Array.from(rows, (k) => d.user[k]),
    action: Int32Array.from(rows, (k) => d.action[k]),
    time: Float64Array.from(rows, (k) => d.time[k]),
    event: Uint8Array.from(rows, (k) => d.event[k]),
  };
}

/** ROC AUC of scores against labels (Mann-Whitney, ties half). */
export function rocAuc(scores: number[], labels: boolean[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && scores[order[j]] === scores[order[i]]) j++;
    const midRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (labels[order[k]]) (positives++, (rankSum += midRank));
    i = j;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return 0;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export async function actionMetrics(
  trainer: Trainer,
  data: TrainingData,
  hyperParameters: Record<string, string>,
  o: { signal?: AbortSignal } = {},
): Promise<Record<string, number>> {
  const d = data.actions;
  if (!d) throw new Error('Internal error: action metrics need TrainingData.actions');
  const byUser: number[][] = Array.from({ length: d.userIds.length }, () => []);
  for (let k = 0; k < d.user.length; k++) byUser[d.user[k]].push(k);
  const eligible = d.userIds.map((_, u) => u).filter((u) => byUser[u].length >= 2);
  const nTest = eligible.length ? Math.max(1, Math.round(eligible.length * 0.1)) : 0;
  const tests = eligible.sort((a, b) => hash(d.userIds[a]) - hash(d.userIds[b]) || a - b).slice(0, nTest);
  const keep = new Uint8Array(d.userIds.length).fill(1);
  for (const u of tests) keep[u] = 0;
  const model = (await trainer.train({ ...data, actions: withoutUsers(d, keep) }, hyperParameters, o.signal)) as NextBestActionModel;
  // Each test user's items, newest first.
  const itemsOf = new Map<string, string[]>();
  for (let r = data.user.length - 1; r >= 0; r--) {
    const id = data.userIds[data.user[r]];
    const list = itemsOf.get(id) ?? itemsOf.set(id, []).get(id)!;
    list.push(data.itemIds[data.item[r]]);
  }
  const recommendedTo = new Map<string, number>();
  const hitsAsRecommended = new Map<string, number>();
  const takenBy = new Map<string, number>();
  const scores: number[] = [];
  const labels: boolean[] = [];
  const covered = new Set<string>();
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const u of tests) {
    o.signal?.throwIfAborted();
    const rows = byUser[u];
    const m = Math.min(rows.length - 1, Math.max(1, Math.ceil(0.9 * rows.length)));
    const events = rows.slice(0, m).map((k) => ({ actionId: d.actionIds[d.action[k]], event: d.event[k], time: d.time[k] }));
    const relevant = new Set(
      rows
        .slice(m)
        .filter((k) => d.event[k] === TAKEN && d.action[k] < d.candidates)
        .map((k) => d.actionIds[d.action[k]]),
    );
    const ranked = model.rankActions({ events, items: itemsOf.get(d.userIds[u]) ?? [] });
    // The model's own order by estimate (qualification only decides what a response shows).
    const byEstimate = [...ranked].sort((x, y) => y.propensity - x.propensity || (x.actionId < y.actionId ? -1 : 1));
    const top = byEstimate.slice(0, ACTION_TOP_K).map((r) => r.actionId);
    for (const a of top) (add(recommendedTo, a), covered.add(a), relevant.has(a) && add(hitsAsRecommended, a));
    for (const a of relevant) add(takenBy, a);
    for (const r of ranked) (scores.push(r.propensity), labels.push(relevant.has(r.actionId)));
  }
  const mean = (values: number[]) => (values.length ? values.reduce((s, x) => s + x, 0) / values.length : 0);
  const precision = mean([...recommendedTo].map(([a, n]) => (hitsAsRecommended.get(a) ?? 0) / n));
  const recall = mean([...takenBy].map(([a, n]) => Math.min(1, (hitsAsRecommended.get(a) ?? 0) / n)));
  const anyRelevant = takenBy.size > 0;
  return {
    auc: anyRelevant ? round4(rocAuc(scores, labels)) : 0,
    coverage: d.candidates ? round4(covered.size / d.candidates) : 0,
    precision: anyRelevant ? round4(precision) : 0,
    recall: anyRelevant ? round4(recall) : 0,
  };
}
