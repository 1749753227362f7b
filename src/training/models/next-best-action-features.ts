// The statistics and features of the Next-Best-Action model (next-best-action.ts), and the
// logistic regression that weighs them. The model estimates, for a user u in a given state and a
// candidate action a, the probability that u takes a within the action optimization period. Each
// feature is a piece of evidence on the log-odds scale, so that a weighted sum makes sense:
//   f1  logit of a's base rate: the share of users with action interactions who took a;
//   f2  sequence: how much more likely a is taken within the period after the user's last taken
//       actions b than after any taken action — ln P(a | b) − ln P(a), with P(a | b) = (T[b][a] +
//       m·q_a) / (N_b + m): T[b][a] takings of b followed by a taking of a within the period, N_b
//       takings of b, q_a the pooled rate; the 3 newest takings weigh 1, 1/2, 1/4;
//   f3  the user's own takings of a, ln(1 + count) (habits repeat);
//   f4  the user's NOT_TAKEN of a, ln(1 + count) (refusals);
//   f5  the user's VIEWED of a, ln(1 + count);
//   f6  similar users: the mean over the user's newest (≤ 50) items of the smoothed log-lift of
//       taking a among the users who interacted with the item — ln((C[i][a] + m·π_a) / ((n_i +
//       m)·π_a)), each item keeping its 20 strongest actions;
//   f7  1 when the user has action interactions at all (a new user's odds differ);
//   f8  the next step: like f2 for the newest taking alone, over NEXT_WINDOW (a day) instead of
//       the period, times exp(−(now − that taking) / NEXT_WINDOW) — what users do right after b
//       matters right after b (f2 is about the whole period);
// plus a bias. Its weights are fitted (Newton iterations, L2-regularised towards DEFAULT_WEIGHTS)
// on validation users whose features come from statistics of the other users, so the weights see
// features as they are for a user the statistics did not learn from.
import { TAKEN, NOT_TAKEN, VIEWED, type ActionTrainingData } from '../action-training-data.ts';

export const FEATURES = 9;
/** The window of the next-step feature (f8), in seconds (at most the period). */
export const NEXT_WINDOW = 86_400;
/** The newest takings that the sequence feature looks at, and their weights. */
const RECENT_WEIGHTS = [1, 0.5, 0.25];
export const MAX_USER_ITEMS = 50;
const ITEM_ACTIONS = 20;
/** Prior strength (pseudo-counts) of the smoothed rates. */
const PRIOR = 5;

/** Weights used when the validation data is too small to fit them: base rate, sequence, habits and similar users count as evidence. */
export const DEFAULT_WEIGHTS = [0, 1, 1, 0.5, -0.3, 0, 0.5, 0, 1];

export interface ActionStats {
  /** Candidates (ActionTrainingData.candidates); the matrices' columns. */
  candidates: number;
  /** All action IDs' count; the sequence matrix's rows. */
  actions: number;
  /** logit of each candidate's base rate (f1). */
  baseLogit: Float64Array;
  /** Row-major actions × candidates: ln P(a | b) − ln P(a) (f2). */
  sequence: Float32Array;
  /** The same over NEXT_WINDOW (f8). */
  next: Float32Array;
  /** Per item index (of the item interactions' itemIds): its actions' log-lifts, CSR (f6). */
  itemOffsets: Int32Array;
  itemAction: Int32Array;
  itemLift: Float32Array;
}

/** What a user's state says about every candidate: filled from their action history and items. */
export interface UserState {
  /** The newest taken actions, newest first (at most RECENT_WEIGHTS.length). */
  recent: number[];
  taken: Map<number, number>;
  notTaken: Map<number, number>;
  viewed: Map<number, number>;
  /** Item indexes (into the statistics' items), newest first, at most MAX_USER_ITEMS. */
  items: number[];
  hasActions: boolean;
  /** exp(−(now − the newest taking) / NEXT_WINDOW); 0 without a taking. */
  nextDecay: number;
}

export interface ActionEvent {
  action: number;
  event: number;
  time: number;
}

/** The state at time `now` after these action events (oldest first) and items (newest first). */
export function userState(events: readonly ActionEvent[], items: readonly number[], now: number): UserState {
  const s: UserState = {
    recent: [],
    taken: new Map(),
    notTaken: new Map(),
    viewed: new Map(),
    items: items.slice(0, MAX_USER_ITEMS),
    hasActions: events.length > 0,
    nextDecay: 0,
  };
  for (let k = events.length - 1; k >= 0; k--) {
    const { action, event } = events[k];
    if (action < 0) continue;
    const into = event === TAKEN ? s.taken : event === NOT_TAKEN ? s.notTaken : event === VIEWED ? s.viewed : undefined;
    into?.set(action, (into.get(action) ?? 0) + 1);
    if (event === TAKEN && s.recent.length === 0) s.nextDecay = Math.exp(-Math.max(0, now - events[k].time) / NEXT_WINDOW);
    if (event === TAKEN && s.recent.length < RECENT_WEIGHTS.length) s.recent.push(action);
  }
  return s;
}

/** The features of candidate a in state s (into `out`, length FEATURES). */
export function features(stats: ActionStats, s: UserState, a: number, out: Float64Array, itemScores?: Float64Array): Float64Array {
  out[0] = 1;
  out[1] = stats.baseLogit[a];
  let seq = 0;
  let w = 0;
  s.recent.forEach((b, k) => {
    seq += RECENT_WEIGHTS[k] * stats.sequence[b * stats.candidates + a];
    w += RECENT_WEIGHTS[k];
  });
  out[2] = w > 0 ? seq / w : 0;
  out[3] = Math.log1p(s.taken.get(a) ?? 0);
  out[4] = Math.log1p(s.notTaken.get(a) ?? 0);
  out[5] = Math.log1p(s.viewed.get(a) ?? 0);
  out[6] = itemScores ? itemScores[a] : 0;
  out[7] = s.hasActions ? 1 : 0;
  // Only positive evidence: "nothing follows within a day" says little about the whole period.
  out[8] = s.recent.length > 0 ? s.nextDecay * Math.max(0, stats.next[s.recent[0] * stats.candidates + a]) : 0;
  return out;
}

/** f6 for every candidate at once: the mean log-lift over the state's items. */
export function itemScores(stats: ActionStats, s: UserState): Float64Array | undefined {
  if (s.items.length === 0) return undefined;
  const out = new Float64Array(stats.candidates);
  for (const i of s.items) {
    if (i < 0 || i + 1 >= stats.itemOffsets.length) continue;
    for (let e = stats.itemOffsets[i]; e < stats.itemOffsets[i + 1]; e++) out[stats.itemAction[e]] += stats.itemLift[e];
  }
  for (let a = 0; a < out.length; a++) out[a] /= s.items.length;
  return out;
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function dot(w: ArrayLike<number>, f: ArrayLike<number>): number {
  let z = 0;
  for (let j = 0; j < FEATURES; j++) z += w[j] * f[j];
  return z;
}

/**
 * The statistics of the action interactions of the users with keep[u] set (all without `keep`),
 * with the item histories `itemsOf` (item indexes, newest first) of those users.
 */
export function actionStats(
  d: ActionTrainingData,
  periodSeconds: number,
  itemsOf: (user: number) => readonly number[],
  itemCount: number,
  keep?: Uint8Array,
): ActionStats {
  const nA = d.actionIds.length;
  const nC = d.candidates;
  const byUser: number[][] = Array.from({ length: d.userIds.length }, () => []);
  for (let k = 0; k < d.user.length; k++) if (!keep || keep[d.user[k]]) byUser[d.user[k]].push(k);
  const takers = new Float64Array(nC);
  const takings = new Float64Array(nA);
  const follow = [new Float64Array(nA * nC), new Float64Array(nA * nC)];
  const windows = [periodSeconds, Math.min(NEXT_WINDOW, periodSeconds)];
  let users = 0;
  const seen = [new Int32Array(nA).fill(-1), new Int32Array(nA).fill(-1)];
  for (let u = 0; u < byUser.length; u++) {
    const rows = byUser[u];
    if (rows.length === 0) continue;
    users++;
    const took = new Set<number>();
    for (let x = 0; x < rows.length; x++) {
      const k = rows[x];
      if (d.event[k] !== TAKEN) continue;
      const b = d.action[k];
      took.add(b);
      takings[b]++;
      // The distinct candidates taken within each window after this taking (k marks them seen).
      for (let y = x + 1; y < rows.length && d.time[rows[y]] < d.time[k] + periodSeconds; y++) {
        const r = rows[y];
        const a = d.action[r];
        if (d.event[r] !== TAKEN || a >= nC || d.time[r] <= d.time[k]) continue;
        for (let w = 0; w < 2; w++) {
          if (d.time[r] >= d.time[k] + windows[w] || seen[w][a] === k) continue;
          seen[w][a] = k;
          follow[w][b * nC + a]++;
        }
      }
    }
    for (const a of took) if (a < nC) takers[a]++;
  }
  const baseLogit = Float64Array.from(takers, (t) => {
    const p = (t + 1) / (users + 2);
    return Math.log(p / (1 - p));
  });
  let allTakings = 0;
  for (let b = 0; b < nA; b++) allTakings += takings[b];
  const [sequence, next] = follow.map((f) => {
    // q_a: the pooled rate of taking a within the window after a taking.
    const pooled = new Float64Array(nC);
    for (let b = 0; b < nA; b++) for (let a = 0; a < nC; a++) pooled[a] += f[b * nC + a];
    const q = Float64Array.from(pooled, (x) => (x + 1) / (allTakings + nC));
    const lift = new Float32Array(nA * nC);
    for (let b = 0; b < nA; b++) {
      for (let a = 0; a < nC; a++) lift[b * nC + a] = Math.log((f[b * nC + a] + PRIOR * q[a]) / (takings[b] + PRIOR)) - Math.log(q[a]);
    }
    return lift;
  });
  return { candidates: nC, actions: nA, baseLogit, sequence, next, ...itemLifts(d, byUser, itemsOf, itemCount, takers, users) };
}

/** f6's table: per item, its ITEM_ACTIONS strongest positive log-lifts. */
function itemLifts(
  d: ActionTrainingData,
  byUser: number[][],
  itemsOf: (user: number) => readonly number[],
  itemCount: number,
  takers: Float64Array,
  users: number,
): Pick<ActionStats, 'itemOffsets' | 'itemAction' | 'itemLift'> {
  const nC = d.candidates;
  const perItem = new Map<number, Map<number, number>>();
  const itemUsers = new Float64Array(itemCount);
  for (let u = 0; u < byUser.length; u++) {
    if (byUser[u].length === 0) continue;
    const took = new Set<number>();
    for (const k of byUser[u]) if (d.event[k] === TAKEN && d.action[k] < nC) took.add(d.action[k]);
    for (const i of new Set(itemsOf(u))) {
      itemUsers[i]++;
      let m = perItem.get(i);
      if (!m) perItem.set(i, (m = new Map()));
      for (const a of took) m.set(a, (m.get(a) ?? 0) + 1);
    }
  }
  const itemOffsets = new Int32Array(itemCount + 1);
  const actions: number[] = [];
  const lifts: number[] = [];
  for (let i = 0; i < itemCount; i++) {
    const m = perItem.get(i);
    if (m) {
      const best = [...m]
        .map(([a, c]) => {
          const pi = (takers[a] + 1) / (users + 2);
          return [a, Math.log((c + PRIOR * pi) / ((itemUsers[i] + PRIOR) * pi))] as const;
        })
        .filter(([, l]) => l > 0)
        .sort((x, y) => y[1] - x[1] || x[0] - y[0])
        .slice(0, ITEM_ACTIONS);
      for (const [a, l] of best) (actions.push(a), lifts.push(l));
    }
    itemOffsets[i + 1] = actions.length;
  }
  return { itemOffsets, itemAction: Int32Array.from(actions), itemLift: Float32Array.from(lifts) };
}

/** Solves A x = b (n × n, row-major) by Gaussian elimination with partial pivoting; undefined if singular. */
function solve(a: Float64Array, b: Float64Array, n: number): Float64Array | undefined {
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[p * n + c])) p = r;
    if (Math.abs(m[p * n + c]) < 1e-12) return undefined;
    if (p !== c) {
      for (let k = 0; k < n; k++) [m[c * n + k], m[p * n + k]] = [m[p * n + k], m[c * n + k]];
      [x[c], x[p]] = [x[p], x[c]];
    }
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c] / m[c * n + c];
      if (f === 0) continue;
      for (let k = c; k < n; k++) m[r * n + k] -= f * m[c * n + k];
      x[r] -= f * x[c];
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    let v = x[c];
    for (let k = c + 1; k < n; k++) v -= m[c * n + k] * x[k];
    x[c] = v / m[c * n + c];
  }
  return x;
}

/**
 * Weighted L2-regularised logistic regression by Newton's method (IRLS): examples are rows of
 * `x` (FEATURES each) with labels y and weights w; the bias (feature 0) is not regularised.
 * Starts from DEFAULT_WEIGHTS, so that a weak signal stays close to them.
 */
export function fitLogistic(x: Float64Array, y: Uint8Array, w: Float64Array, lambda = 1): number[] {
  const n = y.length;
  const F = FEATURES;
  let beta = Float64Array.from(DEFAULT_WEIGHTS);
  for (let it = 0; it < 30; it++) {
    const h = new Float64Array(F * F);
    const g = new Float64Array(F);
    for (let r = 0; r < n; r++) {
      const o = r * F;
      let z = 0;
      for (let j = 0; j < F; j++) z += beta[j] * x[o + j];
      const p = sigmoid(z);
      const s = w[r] * Math.max(p * (1 - p), 1e-9);
      const e = w[r] * (p - y[r]);
      for (let j = 0; j < F; j++) {
        g[j] += e * x[o + j];
        for (let k = 0; k <= j; k++) h[j * F + k] += s * x[o + j] * x[o + k];
      }
    }
    for (let j = 0; j < F; j++) for (let k = 0; k < j; k++) h[k * F + j] = h[j * F + k];
    for (let j = 1; j < F; j++) {
      h[j * F + j] += lambda;
      g[j] += lambda * (beta[j] - DEFAULT_WEIGHTS[j]);
    }
    const step = solve(h, g, F);
    if (!step) break;
    let change = 0;
    const next = beta.map((b, j) => b - step[j]);
    for (let j = 0; j < F; j++) change = Math.max(change, Math.abs(next[j] - beta[j]));
    beta = next;
    if (change < 1e-6) break;
  }
  return Array.from(beta);
}
