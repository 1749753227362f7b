// aws-next-best-action (training-rules.md §1.3, §1.4 rule 19, §7.3): for a user, the actions of the
// Actions dataset they will most likely take within `action_optimization_period` days (7–28,
// default 14), best first, each with its propensity score in [0, 1].
//
// The model: a logistic regression over evidence features (next-best-action-features.ts: the
// action's base rate, what users take after the user's newest takings, the user's own takings,
// refusals and views of the action, and what users with the same items take), whose output is the
// probability of taking the action within the period. Why this form: the documented signals are
// the user's interactions "with actions and items", the score is a likelihood, and the period is
// the horizon — a calibrated classifier of "takes a within the period after now" is exactly that;
// its training examples are cut from the data itself: at each of a validation user's (up to 8
// newest) interaction times, the label is which actions the user took in the following period.
// Validation users (20 %, at least 20) are scored with statistics of the other users; the final
// statistics then use all users, with the fitted weights.
//
// Scores (rule 19): an action has a score only once it has ≥ 50 TAKEN and ≥ 50 NOT_TAKEN or VIEWED
// action interactions within 6 weeks of the newest action interaction of the training; until then
// (and for actions added after the training) it is recommended only through exploration, with
// score 0.0, ranked by the model's estimate all the same. Equal scores: the higher VALUE first
// ("If a user is equally likely to take two different actions, ... the greater value higher").
// Serving (rankActions) also drops expired actions (EXPIRATION_TIMESTAMP) and actions the user took
// within REPEAT_FREQUENCY days; see serving/action-recommendations.ts.
//
// Artifact (artifact.ts): recipe "aws-next-best-action", meta { period, weights, candidates };
// sections "actionIds" json, "rows" json (the candidates' Actions rows), "qualified" u8, and the
// statistics: "baseLogit" f64, "sequence" f32, "next" f32, "itemIds" json, "itemOffsets" i32, "itemAction" i32,
// "itemLift" f32; the users' trained histories (newest HISTORY_KEPT each): "userIds" json,
// "historyOffsets" i32, "historyAction" i32, "historyEvent" u8, "historyTime" f64.
import { NOT_TAKEN, TAKEN, VIEWED, type ActionRow, type ActionTrainingData } from '../action-training-data.ts';
import type { Model, RecommendQuery, Scored, Trainer, TrainingData } from '../trainer.ts';
import { jsonSection, readArtifact, section, writeArtifact } from './artifact.ts';
import { histories, indexOf } from './common.ts';
import {
  actionStats,
  DEFAULT_WEIGHTS,
  dot,
  FEATURES,
  features,
  fitLogistic,
  itemScores,
  MAX_USER_ITEMS,
  sigmoid,
  userState,
  type ActionEvent,
  type ActionStats,
} from './next-best-action-features.ts';
import { intParam, tick, type HyperParameters } from './params.ts';

export const NEXT_BEST_ACTION_RECIPE = 'aws-next-best-action';
const RECIPE = NEXT_BEST_ACTION_RECIPE;
const DAY = 86_400;
/** Rule 19's thresholds. */
export const QUALIFYING_INTERACTIONS = 50;
const QUALIFYING_WINDOW = 42 * DAY;
const HISTORY_KEPT = 50;
const CUTOFFS_PER_USER = 8;
const NEGATIVES_PER_CUTOFF = 30;
const MIN_POSITIVES = 20;

/** FNV-1a of a user ID (with a seed): the validation users are the ones with the lowest. */
function userHash(seed: number, id: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function periodOf(hp: HyperParameters): number {
  return intParam(hp, 'action_optimization_period', 14, 7, 28);
}

/** One action of a ranking: its internal probability, and whether it may show it (rule 19). */
export interface RankedAction {
  actionId: string;
  propensity: number;
  qualified: boolean;
}

/** Each action-interaction user's items (indexes into data.itemIds), newest first, at most MAX_USER_ITEMS. */
function itemsByActionUser(data: TrainingData, d: ActionTrainingData): number[][] {
  const h = histories(data);
  const byId = indexOf(data.userIds);
  return d.userIds.map((id) => {
    const u = byId.get(id);
    if (u === undefined) return [];
    const out: number[] = [];
    for (let p = h.offsets[u + 1] - 1; p >= h.offsets[u] && out.length < MAX_USER_ITEMS; p--)
      if (!out.includes(h.item[p])) out.push(h.item[p]);
    return out;
  });
}

function eventsByUser(d: ActionTrainingData): ActionEvent[][] {
  const out: ActionEvent[][] = Array.from({ length: d.userIds.length }, () => []);
  for (let k = 0; k < d.user.length; k++) out[d.user[k]].push({ action: d.action[k], event: d.event[k], time: d.time[k] });
  return out;
}

/** Rule 19: the candidates with enough TAKEN and NOT_TAKEN / VIEWED interactions near the end of the data. */
function qualifiedActions(d: ActionTrainingData): Uint8Array {
  const out = new Uint8Array(d.candidates);
  if (d.time.length === 0) return out;
  const from = d.time[d.time.length - 1] - QUALIFYING_WINDOW;
  const taken = new Int32Array(d.candidates);
  const other = new Int32Array(d.candidates);
  for (let k = 0; k < d.user.length; k++) {
    const a = d.action[k];
    if (a >= d.candidates || d.time[k] < from) continue;
    if (d.event[k] === TAKEN) taken[a]++;
    else if (d.event[k] === NOT_TAKEN || d.event[k] === VIEWED) other[a]++;
  }
  for (let a = 0; a < d.candidates; a++) out[a] = taken[a] >= QUALIFYING_INTERACTIONS && other[a] >= QUALIFYING_INTERACTIONS ? 1 : 0;
  return out;
}

/** The weights, fitted on validation users (see the header); DEFAULT_WEIGHTS when they hold too few positives. */
async function fitWeights(
  d: ActionTrainingData,
  period: number,
  items: number[][],
  itemCount: number,
  signal?: AbortSignal,
): Promise<number[]> {
  const events = eventsByUser(d);
  const active = d.userIds.map((_, u) => u).filter((u) => events[u].length >= 2);
  if (active.length < 10) return DEFAULT_WEIGHTS;
  const nValidation = Math.max(Math.min(20, active.length >> 1), Math.round(active.length * 0.2));
  const validation = active.sort((a, b) => userHash(1, d.userIds[a]) - userHash(1, d.userIds[b]) || a - b).slice(0, nValidation);
  const keep = new Uint8Array(d.userIds.length).fill(1);
  for (const u of validation) keep[u] = 0;
  const stats = actionStats(d, period, (u) => items[u], itemCount, keep);
  await tick(signal);
  const x: number[] = [];
  const y: number[] = [];
  const w: number[] = [];
  const f = new Float64Array(FEATURES);
  let positives = 0;
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  for (const u of validation) {
    const list = events[u];
    const times = [...new Set(list.map((e) => e.time))].slice(-CUTOFFS_PER_USER);
    for (const t of times) {
      const before = list.filter((e) => e.time < t);
      const label = new Set(
        list.filter((e) => e.event === TAKEN && e.time >= t && e.time < t + period && e.action < d.candidates).map((e) => e.action),
      );
      const state = userState(before, items[u], t);
      const scores = itemScores(stats, state);
      const negatives: number[] = [];
      for (let a = 0; a < d.candidates; a++) if (!label.has(a)) negatives.push(a);
      const sampled =
        negatives.length > NEGATIVES_PER_CUTOFF ? negatives.filter(() => random() < NEGATIVES_PER_CUTOFF / negatives.length) : negatives;
      const negativeWeight = sampled.length ? negatives.length / sampled.length : 1;
      for (const a of label) (x.push(...features(stats, state, a, f, scores)), y.push(1), w.push(1), positives++);
      for (const a of sampled) (x.push(...features(stats, state, a, f, scores)), y.push(0), w.push(negativeWeight));
    }
  }
  if (positives < MIN_POSITIVES) return DEFAULT_WEIGHTS;
  await tick(signal);
  return fitLogistic(Float64Array.from(x), Uint8Array.from(y), Float64Array.from(w));
}

export class NextBestActionModel implements Model {
  readonly recipe = RECIPE;
  private readonly actionIndex: Map<string, number>;
  private readonly itemIndex: Map<string, number>;
  private readonly userIndex: Map<string, number>;

  constructor(
    readonly period: number,
    readonly weights: number[],
    readonly actionIds: string[],
    readonly rows: Record<string, ActionRow>,
    readonly qualified: Uint8Array,
    readonly stats: ActionStats,
    readonly itemIds: string[],
    readonly history: { userIds: string[]; offsets: Int32Array; action: Int32Array; event: Uint8Array; time: Float64Array },
  ) {
    this.actionIndex = indexOf(actionIds);
    this.itemIndex = indexOf(itemIds);
    this.userIndex = indexOf(history.userIds);
  }

  /** The candidates known to the model (the Actions rows of the training). */
  get candidates(): string[] {
    return this.actionIds.slice(0, this.stats.candidates);
  }

  /** The user's action interactions as trained (oldest first); [] for a user the training did not see. */
  trainedHistory(userId: string | undefined): { actionId: string; event: number; time: number }[] {
    const u = userId === undefined ? undefined : this.userIndex.get(userId);
    if (u === undefined) return [];
    const h = this.history;
    const out = [];
    for (let p = h.offsets[u]; p < h.offsets[u + 1]; p++)
      out.push({ actionId: this.actionIds[h.action[p]], event: h.event[p], time: h.time[p] });
    return out;
  }

  /**
   * Every action of `candidates` (IDs; default: the model's) ranked for a user with these action
   * interactions (oldest first; actions the model does not know count for nothing) and items
   * (newest first): qualified ones by propensity (then VALUE), the others after them.
   */
  rankActions(q: {
    events: readonly { actionId: string; event: number; time: number }[];
    items: readonly string[];
    /** Epoch seconds (default: the newest event's time). */
    now?: number;
    candidates?: readonly string[];
    rows?: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
  }): RankedAction[] {
    const events = q.events.map((e) => ({ action: this.actionIndex.get(e.actionId) ?? -1, event: e.event, time: e.time }));
    const items = q.items.map((id) => this.itemIndex.get(id) ?? -1).filter((i) => i >= 0);
    const state = userState(events, items, q.now ?? events[events.length - 1]?.time ?? 0);
    const scores = itemScores(this.stats, state);
    const f = new Float64Array(FEATURES);
    const unknownLogit = this.weights[1] * Math.min(...Array.from(this.stats.baseLogit, (x) => x), 0) + this.weights[0];
    const ranked = (q.candidates ?? this.candidates).map((actionId) => {
      const a = this.actionIndex.get(actionId);
      const known = a !== undefined && a < this.stats.candidates;
      const propensity = known ? sigmoid(dot(this.weights, features(this.stats, state, a, f, scores))) : sigmoid(unknownLogit);
      return { actionId, propensity, qualified: known && this.qualified[a] === 1 };
    });
    const value = (id: string) => {
      const v = Number((q.rows?.get(id) ?? this.rows[id])?.VALUE ?? NaN);
      return Number.isFinite(v) ? v : -Infinity;
    };
    const round = (p: number) => Math.round(p * 1e7) / 1e7;
    return ranked.sort(
      (x, y) =>
        Number(y.qualified) - Number(x.qualified) ||
        round(y.propensity) - round(x.propensity) ||
        value(y.actionId) - value(x.actionId) ||
        (x.actionId < y.actionId ? -1 : 1),
    );
  }

  /** The generic interface: the history's items as the user's items, no action interactions. */
  recommend(q: RecommendQuery): Scored[] {
    return this.rankActions({ events: [], items: [...q.history].reverse() })
      .filter((r) => !q.exclude?.has(r.actionId))
      .slice(0, q.k)
      .map((r) => ({ item: r.actionId, score: r.qualified ? r.propensity : 0 }));
  }

  serialize(): Buffer {
    const s = this.stats;
    const h = this.history;
    return writeArtifact(
      RECIPE,
      { period: this.period, weights: this.weights, candidates: s.candidates },
      {
        actionIds: { json: this.actionIds },
        rows: { json: this.rows },
        qualified: this.qualified,
        baseLogit: s.baseLogit,
        sequence: s.sequence,
        next: s.next,
        itemIds: { json: this.itemIds },
        itemOffsets: s.itemOffsets,
        itemAction: s.itemAction,
        itemLift: s.itemLift,
        userIds: { json: h.userIds },
        historyOffsets: h.offsets,
        historyAction: h.action,
        historyEvent: h.event,
        historyTime: h.time,
      },
    );
  }

  static load(artifact: Buffer): NextBestActionModel {
    const a = readArtifact(artifact, RECIPE);
    const actionIds = jsonSection<string[]>(a, 'actionIds');
    const stats: ActionStats = {
      candidates: Number(a.meta.candidates),
      actions: actionIds.length,
      baseLogit: section(a, 'baseLogit', Float64Array),
      sequence: section(a, 'sequence', Float32Array),
      next: section(a, 'next', Float32Array),
      itemOffsets: section(a, 'itemOffsets', Int32Array),
      itemAction: section(a, 'itemAction', Int32Array),
      itemLift: section(a, 'itemLift', Float32Array),
    };
    return new NextBestActionModel(
      Number(a.meta.period),
      a.meta.weights as number[],
      actionIds,
      jsonSection<Record<string, ActionRow>>(a, 'rows'),
      section(a, 'qualified', Uint8Array),
      stats,
      jsonSection<string[]>(a, 'itemIds'),
      {
        userIds: jsonSection<string[]>(a, 'userIds'),
        offsets: section(a, 'historyOffsets', Int32Array),
        action: section(a, 'historyAction', Int32Array),
        event: section(a, 'historyEvent', Uint8Array),
        time: section(a, 'historyTime', Float64Array),
      },
    );
  }
}

/** The newest HISTORY_KEPT action interactions of every user, CSR by user. */
function keptHistories(d: ActionTrainingData): NextBestActionModel['history'] {
  const events = eventsByUser(d).map((list) => list.slice(-HISTORY_KEPT));
  const offsets = new Int32Array(events.length + 1);
  events.forEach((list, u) => (offsets[u + 1] = offsets[u] + list.length));
  const n = offsets[events.length];
  const out = { userIds: d.userIds, offsets, action: new Int32Array(n), event: new Uint8Array(n), time: new Float64Array(n) };
  events.forEach((list, u) =>
    list.forEach((e, k) => {
      out.action[offsets[u] + k] = e.action;
      out.event[offsets[u] + k] = e.event;
      out.time[offsets[u] + k] = e.time;
    }),
  );
  return out;
}

export async function trainNextBestAction(data: TrainingData, hp: HyperParameters, signal?: AbortSignal): Promise<NextBestActionModel> {
  const d = data.actions;
  if (!d) throw new Error('Internal error: Next-Best-Action trains on TrainingData.actions, which the job did not read');
  const periodDays = periodOf(hp);
  const period = periodDays * DAY;
  const items = itemsByActionUser(data, d);
  const weights = await fitWeights(d, period, items, data.itemIds.length, signal);
  const stats = actionStats(d, period, (u) => items[u], data.itemIds.length);
  const rows = Object.fromEntries(d.actionIds.slice(0, d.candidates).map((id) => [id, d.rows.get(id) ?? {}]));
  return new NextBestActionModel(
    periodDays,
    weights,
    d.actionIds.slice(),
    rows,
    qualifiedActions(d),
    stats,
    data.itemIds.slice(),
    keptHistories(d),
  );
}

export const nextBestActionTrainer: Trainer = {
  recipe: RECIPE,
  train: (data, hp, signal) => trainNextBestAction(data, hp, signal),
  load: (artifact) => NextBestActionModel.load(artifact),
};
