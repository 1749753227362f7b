// The scoring core of the User-Personalization model (user-model.ts has the formula of f_j and
// the scores): for a user's history it computes f_j for every item, the best k items and the
// log partition function of the softmax over the catalog. The tuner (user-tuning.ts) drives the
// same core on held-out users before a model exists, restoring saved runs.
import { topK } from './common.ts';
import type { ItemGraph } from './item-graph.ts';

export const HISTORY_CAP = 200;

export interface ScoringParams {
  beta: number;
  decay: number;
  seen: number;
  popularity: number;
  temperature: number;
  /** η, the metadata graph's share in the item graph (metadata-graph.ts); absent or 0: none. */
  metadata?: number;
}

export interface RunState {
  buffer: Int32Array;
  touched: Int32Array;
  acc: Float64Array;
  qw: Float64Array;
}

/** Up to this many winners, bestFew is faster than a selection over all the touched items. */
const FEW = 64;

/**
 * topK(f, want) for a few winners (the usual request: 25 + a margin): one pass that keeps the best
 * `want` in order, score descending and ties by lower index as topK orders them. A value only
 * enters when it beats the worst kept one, which is rare after the first few hundred.
 */
export function bestFew(f: Float64Array, want: number): Int32Array {
  const out = new Int32Array(want);
  let n = 0;
  for (let x = 0; x < f.length; x++) {
    const v = f[x];
    if (n === want) {
      if (!(v > f[out[n - 1]])) continue;
      n--;
    }
    let i = n;
    for (; i > 0 && f[out[i - 1]] < v; i--) out[i] = out[i - 1];
    out[i] = x;
    n++;
  }
  return n === want ? out : out.subarray(0, n);
}

/**
 * The scoring core, on item indexes; also used by the tuner before a model exists.
 *
 * Layout, for serving's sake: a request touches a few hundred to a few thousand items spread over
 * the whole catalog, and in a busy server none of the per-item arrays are still in the CPU's
 * caches. So the only per-item array a run reads and writes at random is `slotOf` (the run that
 * touched the item and its slot, side by side); everything else about a touched item lives in
 * the run's compact arrays by slot (acc, qw, popT), which the selection and the partition
 * function then read in order. Runs are stamped, so nothing of the previous run needs clearing.
 */
export class Scorer {
  readonly nItems: number;
  /** Per item j: [2j] the run's mark (stamp: touched, −stamp: in the history, else untouched), [2j+1] its slot. */
  private readonly slotOf: Int32Array;
  private stamp = 0;
  private baseKey = '';
  private baseZ = 0;
  private baseShift = 0;
  /** The run (stamp) and parameters whose final values top() left in f, for logPartition to reuse. */
  private fStamp = -1;
  private fParams: ScoringParams | undefined;
  /** By slot: the touched item, its graph mass from the history, its history weight (0 if not in the history), pop_j, f_j. */
  touched: Int32Array;
  private readonly acc: Float64Array;
  private readonly qw: Float64Array;
  private readonly popT: Float64Array;
  private readonly f: Float64Array;
  nTouched = 0;

  constructor(
    readonly graph: ItemGraph,
    readonly pop: Float32Array,
    readonly popular: Int32Array,
  ) {
    this.nItems = pop.length;
    this.slotOf = new Int32Array(2 * this.nItems);
    this.touched = new Int32Array(this.nItems);
    this.acc = new Float64Array(this.nItems);
    this.qw = new Float64Array(this.nItems);
    this.popT = new Float64Array(this.nItems);
    this.f = new Float64Array(this.nItems);
  }

  /** A new run's stamp; the marks start over (all untouched) before the stamp would leave int32. */
  private nextStamp(): number {
    if (this.stamp >= 0x3fffffff) ((this.stamp = 0), this.slotOf.fill(0));
    return ++this.stamp;
  }

  /** Fills the run for the history: afterwards final(j) is valid for every j; touched lists the items with graph mass or seen. */
  run(history: ArrayLike<number>, p: ScoringParams): void {
    const { slotOf, touched, acc, qw, popT, pop } = this;
    const { offsets, nbr, w } = this.graph;
    const stamp = this.nextStamp();
    const seenStamp = -stamp;
    const decay = p.decay;
    let t = 0;
    let mass = 0;
    let r = 0;
    for (let h = history.length - 1; h >= 0 && r < HISTORY_CAP; h--) {
      const i = history[h];
      if (i < 0) continue;
      const mi = slotOf[2 * i];
      if (mi === seenStamp) continue;
      let x: number;
      if (mi === stamp) x = slotOf[2 * i + 1];
      else ((x = t++), (touched[x] = i), (slotOf[2 * i + 1] = x), (acc[x] = 0), (popT[x] = pop[i]));
      slotOf[2 * i] = seenStamp;
      const q = decay === Infinity ? 1 : Math.exp(-r / decay);
      qw[x] = q;
      mass += q;
      r++;
      for (let e = offsets[i], end = offsets[i + 1]; e < end; e++) {
        const j = nbr[e];
        const m = slotOf[2 * j];
        if (m === stamp || m === seenStamp) acc[slotOf[2 * j + 1]] += q * w[e];
        else {
          slotOf[2 * j] = stamp;
          slotOf[2 * j + 1] = t;
          touched[t] = j;
          acc[t] = q * w[e];
          qw[t] = 0;
          popT[t] = pop[j];
          t++;
        }
      }
    }
    if (mass > 0) {
      const inv = 1 / mass;
      for (let x = 0; x < t; x++) ((acc[x] *= inv), (qw[x] *= inv));
    }
    this.nTouched = t;
  }

  /** A copy of run()'s outcome, to restore instead of re-running (the tuner varies seen and popularity on fixed runs). */
  save(into?: RunState): RunState {
    const t = this.nTouched;
    const s =
      into && into.buffer.length >= t
        ? into
        : { buffer: new Int32Array(t), touched: new Int32Array(0), acc: new Float64Array(t), qw: new Float64Array(t) };
    s.touched = s.buffer.subarray(0, t);
    s.buffer.set(this.touched.subarray(0, t));
    s.acc.set(this.acc.subarray(0, t));
    s.qw.set(this.qw.subarray(0, t));
    return s;
  }

  restore(s: RunState): void {
    const { slotOf, touched, acc, qw, popT, pop } = this;
    const stamp = this.nextStamp();
    const t = s.touched.length;
    for (let x = 0; x < t; x++) {
      const j = s.touched[x];
      touched[x] = j;
      acc[x] = s.acc[x];
      qw[x] = s.qw[x];
      popT[x] = pop[j];
      slotOf[2 * j] = s.qw[x] > 0 ? -stamp : stamp;
      slotOf[2 * j + 1] = x;
    }
    this.nTouched = t;
  }

  /** f of the touched item in slot x. */
  private finalAt(x: number, p: ScoringParams): number {
    const base = this.acc[x] + p.popularity * this.popT[x];
    if (!(this.qw[x] > 0)) return base;
    return p.seen === -Infinity ? -Infinity : base + p.seen * this.qw[x];
  }

  /** The slot of item j in the current run, or −1 if the run did not touch it. */
  private slot(j: number): number {
    const m = this.slotOf[2 * j];
    return m === this.stamp || m === -this.stamp ? this.slotOf[2 * j + 1] : -1;
  }

  final(j: number, p: ScoringParams): number {
    const x = this.slot(j);
    return x < 0 ? p.popularity * this.pop[j] : this.finalAt(x, p);
  }

  /**
   * The best k item indexes after run(): the touched items by f merged with the popularity order
   * (untouched items score popularity · pop_j, which the popularity order ranks). skip(j) drops an
   * item; seen items at −∞ come last only if nothing else is left.
   */
  top(k: number, p: ScoringParams, skip?: (j: number) => boolean): { items: number[]; scores: number[] } {
    const t = this.nTouched;
    const f = this.f.subarray(0, t);
    for (let x = 0; x < t; x++) f[x] = this.finalAt(x, p);
    this.fStamp = this.stamp;
    this.fParams = p;
    // Select rather than sort all touched items; take more when skips use up the selection.
    for (let want = Math.min(t, k + 8); ; want = Math.min(t, want * 4)) {
      const r = this.merge(want <= FEW ? bestFew(f, want) : topK(f, want), want === t, k, p, skip);
      if (r) return r;
    }
  }

  /** Merges the selected touched items with the popularity order; undefined if the selection ran out too early. */
  private merge(cand: Int32Array, complete: boolean, k: number, p: ScoringParams, skip?: (j: number) => boolean) {
    const f = this.f;
    const items: number[] = [];
    const scores: number[] = [];
    const demoted: number[] = [];
    let c = 0;
    let q = 0;
    while (items.length < k) {
      while (q < this.popular.length && this.slot(this.popular[q]) >= 0) q++;
      const haveC = c < cand.length;
      const haveQ = q < this.popular.length;
      if (!haveC && !complete) return undefined;
      if (!haveC && !haveQ) break;
      const fc = haveC ? f[cand[c]] : -Infinity;
      const fq = haveQ ? p.popularity * this.pop[this.popular[q]] : -Infinity;
      let j: number;
      let s: number;
      if (haveC && (fc >= fq || !haveQ)) ((j = this.touched[cand[c]]), (s = fc), c++);
      else ((j = this.popular[q]), (s = fq), q++);
      if (skip?.(j)) continue;
      if (s === -Infinity) demoted.push(j);
      else (items.push(j), scores.push(s));
    }
    for (const j of demoted) if (items.length < k) (items.push(j), scores.push(-Infinity));
    return { items, scores };
  }

  /**
   * log Σ_j exp(τ·f_j) over the catalog, after run(); seen items at −∞ drop out. Exact, in time
   * linear in the touched items: Σ over the untouched items = Σ over all items of exp(τ·μ·pop_j)
   * (computed once per τ·μ) − the touched items' terms. After top() with the same parameters it
   * reuses top()'s f_j instead of computing them again.
   */
  logPartition(p: ScoringParams): number {
    const tau = p.temperature;
    const scale = tau * p.popularity;
    // Everything is taken relative to the largest logit m so that nothing overflows.
    const key = `${tau}/${p.popularity}`;
    if (this.baseKey !== key) {
      let z = 0;
      let m0 = 0;
      for (let j = 0; j < this.nItems; j++) m0 = Math.max(m0, scale * this.pop[j]);
      for (let j = 0; j < this.nItems; j++) z += Math.exp(scale * this.pop[j] - m0);
      this.baseKey = key;
      this.baseZ = z;
      this.baseShift = m0;
    }
    const t = this.nTouched;
    const { f, popT } = this;
    if (this.fStamp !== this.stamp || this.fParams !== p) {
      for (let x = 0; x < t; x++) f[x] = this.finalAt(x, p);
      this.fStamp = this.stamp;
      this.fParams = p;
    }
    let m = this.baseShift;
    for (let x = 0; x < t; x++) if (f[x] !== -Infinity) m = Math.max(m, tau * f[x]);
    let z = this.baseZ * Math.exp(this.baseShift - m);
    for (let x = 0; x < t; x++) {
      z -= Math.exp(scale * popT[x] - m);
      if (f[x] !== -Infinity) z += Math.exp(tau * f[x] - m);
    }
    return m + Math.log(Math.max(z, Number.MIN_VALUE));
  }

  /** f_j for ranking a given list: seen items keep their score (no demotion), plus a finite seen bonus. */
  rankScore(j: number, p: ScoringParams): number {
    const v = this.final(j, p);
    return v === -Infinity ? this.acc[this.slot(j)] + p.popularity * this.pop[j] : v;
  }
}
