// The trained model of User-Personalization(-v2) and Personalized-Ranking(-v2): an RP3beta item
// graph (item-graph.ts) queried with the user's history, newest items weighted most.
//
// For a history h (oldest first; unknown items ignored; the newest HISTORY_CAP distinct items),
// the r-th newest distinct item gets q_r = exp(−r / decay) (decay = ∞: all 1), and
//     f_j = Σ_i q_i · S_ij / Σ_i q_i  +  popularity · pop_j  +  [j seen] · seen · q_j / Σ_i q_i
// — a mixture of the graph walk from the history (a distribution over items), the popularity
// distribution (pop sums to 1) and the history itself (re-consumption) — where seen = −∞ ranks
// already-seen items after all others (right for data without repeats); the tuner (user-tuning.ts) picks decay, seen, popularity, β and the temperature on
// held-out users. Users with no known items get the popularity ranking.
// Scores (training-rules §7.4): User-Personalization returns softmax(τ·f) over the whole catalog
// (so all scores sum to 1); rank() returns the softmax over the given known items (rule 93);
// Personalized-Ranking-v2 returns unknown items last without a score, v1 with score 0.
//
// Artifact (see artifact.ts): recipe = the model's recipe; meta { params: ScoringParams (∞ as
// null), neighbours, alpha }; sections
//   "itemIds" json string[]      the catalog; indexes below refer to it
//   "offsets" i32 [items + 1]    item i's neighbours are entries offsets[i] .. offsets[i+1]-1
//   "nbr"     i32 [entries]      neighbour item index
//   "w"       f32 [entries]      S_ij, each row summing to 1
//   "pop"     f32 [items]        pop_j: each item's share of the unique-user interaction mass
//   "popular" i32 [items]        item indexes by popularity, most popular first
import type { Model, RecommendQuery, Scored } from '../trainer.ts';
import { readArtifact, jsonSection, section, writeArtifact } from './artifact.ts';
import { indexOf, topK } from './common.ts';
import type { ItemGraph } from './item-graph.ts';

export const HISTORY_CAP = 200;

export interface ScoringParams {
  beta: number;
  decay: number;
  seen: number;
  popularity: number;
  temperature: number;
}

export interface RunState {
  buffer: Int32Array;
  touched: Int32Array;
  acc: Float64Array;
  qw: Float64Array;
}

/** The scoring core, on item indexes; also used by the tuner before a model exists. */
export class Scorer {
  readonly nItems: number;
  private readonly acc: Float64Array;
  private readonly mark: Int32Array;
  private readonly qw: Float64Array;
  private stamp = 0;
  private baseKey = '';
  private baseZ = 0;
  private baseShift = 0;
  touched: Int32Array;
  private readonly f: Float64Array;
  nTouched = 0;

  constructor(
    readonly graph: ItemGraph,
    readonly pop: Float32Array,
    readonly popular: Int32Array,
  ) {
    this.nItems = pop.length;
    this.acc = new Float64Array(this.nItems);
    this.mark = new Int32Array(this.nItems);
    this.qw = new Float64Array(this.nItems);
    this.touched = new Int32Array(this.nItems);
    this.f = new Float64Array(this.nItems);
  }

  /** Fills f for the history: afterwards final(j) is valid for every j; touched lists the items with graph mass or seen. */
  run(history: ArrayLike<number>, p: ScoringParams): void {
    const { acc, mark, qw, touched } = this;
    const { offsets, nbr, w } = this.graph;
    for (let x = 0; x < this.nTouched; x++) ((acc[touched[x]] = 0), (qw[touched[x]] = 0));
    const stamp = ++this.stamp;
    const seenStamp = -stamp;
    const decay = p.decay;
    let t = 0;
    let mass = 0;
    let r = 0;
    for (let h = history.length - 1; h >= 0 && r < HISTORY_CAP; h--) {
      const i = history[h];
      if (i < 0 || mark[i] === seenStamp) continue;
      if (mark[i] !== stamp) touched[t++] = i;
      mark[i] = seenStamp;
      const q = decay === Infinity ? 1 : Math.exp(-r / decay);
      qw[i] = q;
      mass += q;
      r++;
      for (let e = offsets[i], end = offsets[i + 1]; e < end; e++) {
        const j = nbr[e];
        const m = mark[j];
        if (m !== stamp && m !== seenStamp) ((mark[j] = stamp), (touched[t++] = j));
        acc[j] += q * w[e];
      }
    }
    if (mass > 0) {
      const inv = 1 / mass;
      for (let x = 0; x < t; x++) ((acc[touched[x]] *= inv), (qw[touched[x]] *= inv));
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
    for (let x = 0; x < t; x++) {
      const j = this.touched[x];
      s.buffer[x] = j;
      s.acc[x] = this.acc[j];
      s.qw[x] = this.qw[j];
    }
    return s;
  }

  restore(s: RunState): void {
    const { acc, mark, qw, touched } = this;
    for (let x = 0; x < this.nTouched; x++) ((acc[touched[x]] = 0), (qw[touched[x]] = 0));
    const stamp = ++this.stamp;
    const t = s.touched.length;
    for (let x = 0; x < t; x++) {
      const j = s.touched[x];
      touched[x] = j;
      acc[j] = s.acc[x];
      qw[j] = s.qw[x];
      mark[j] = s.qw[x] > 0 ? -stamp : stamp;
    }
    this.nTouched = t;
  }

  final(j: number, p: ScoringParams): number {
    const seen = this.qw[j] > 0 && this.mark[j] === -this.stamp;
    const base = this.acc[j] + p.popularity * this.pop[j];
    if (!seen) return base;
    return p.seen === -Infinity ? -Infinity : base + p.seen * this.qw[j];
  }

  /**
   * The best k item indexes after run(): the touched items by f merged with the popularity order
   * (untouched items score popularity · pop_j, which the popularity order ranks). skip(j) drops an
   * item; seen items at −∞ come last only if nothing else is left.
   */
  top(k: number, p: ScoringParams, skip?: (j: number) => boolean): { items: number[]; scores: number[] } {
    const t = this.nTouched;
    const f = this.f.subarray(0, t);
    for (let x = 0; x < t; x++) f[x] = this.final(this.touched[x], p);
    // Select rather than sort all touched items; take more when skips use up the selection.
    for (let want = Math.min(t, k + 8); ; want = Math.min(t, want * 4)) {
      const r = this.merge(topK(f, want), want === t, k, p, skip);
      if (r) return r;
    }
  }

  /** Merges the selected touched items with the popularity order; undefined if the selection ran out too early. */
  private merge(cand: Int32Array, complete: boolean, k: number, p: ScoringParams, skip?: (j: number) => boolean) {
    const f = this.f;
    const items: number[] = [];
    const scores: number[] = [];
    const demoted: number[] = [];
    const stamp = this.stamp;
    let c = 0;
    let q = 0;
    while (items.length < k) {
      while (q < this.popular.length && (this.mark[this.popular[q]] === stamp || this.mark[this.popular[q]] === -stamp)) q++;
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

  /** log Σ_j exp(τ·f_j) over the catalog, after run(); seen items at −∞ drop out. */
  logPartition(p: ScoringParams): number {
    const tau = p.temperature;
    // Σ over untouched items = (Σ over all items of exp(τ·μ·pop_j)) − the touched items' terms;
    // everything is taken relative to the largest logit m so that nothing overflows.
    const key = `${tau}/${p.popularity}`;
    if (this.baseKey !== key) {
      let z = 0;
      let m0 = 0;
      for (let j = 0; j < this.nItems; j++) m0 = Math.max(m0, tau * p.popularity * this.pop[j]);
      for (let j = 0; j < this.nItems; j++) z += Math.exp(tau * p.popularity * this.pop[j] - m0);
      this.baseKey = key;
      this.baseZ = z;
      this.baseShift = m0;
    }
    let m = this.baseShift;
    for (let x = 0; x < this.nTouched; x++) {
      const v = this.final(this.touched[x], p);
      if (v !== -Infinity) m = Math.max(m, tau * v);
    }
    let z = this.baseZ * Math.exp(this.baseShift - m);
    for (let x = 0; x < this.nTouched; x++) {
      const j = this.touched[x];
      z -= Math.exp(tau * p.popularity * this.pop[j] - m);
      const v = this.final(j, p);
      if (v !== -Infinity) z += Math.exp(tau * v - m);
    }
    return m + Math.log(Math.max(z, Number.MIN_VALUE));
  }

  /** f_j for ranking a given list: seen items keep their score (no demotion), plus a finite seen bonus. */
  rankScore(j: number, p: ScoringParams): number {
    const v = this.final(j, p);
    return v === -Infinity ? this.acc[j] + p.popularity * this.pop[j] : v;
  }
}

export class UserModel implements Model {
  private readonly index: Map<string, number>;
  private readonly scorer: Scorer;

  constructor(
    readonly recipe: string,
    readonly itemIds: string[],
    readonly graph: ItemGraph,
    readonly pop: Float32Array,
    readonly popular: Int32Array,
    readonly params: ScoringParams,
    readonly alpha: number,
  ) {
    this.index = indexOf(itemIds);
    this.scorer = new Scorer(graph, pop, popular);
  }

  private indexes(history: string[]): number[] {
    return history.map((id) => this.index.get(id) ?? -1);
  }

  recommend(q: RecommendQuery): Scored[] {
    const p = this.params;
    this.scorer.run(this.indexes(q.history), p);
    const ex = q.exclude;
    const { items, scores } = this.scorer.top(q.k, p, ex && ex.size ? (j) => ex.has(this.itemIds[j]) : undefined);
    const logZ = this.scorer.logPartition(p);
    return items.map((j, r) => ({
      item: this.itemIds[j],
      score: scores[r] === -Infinity ? 0 : Math.exp(p.temperature * scores[r] - logZ),
    }));
  }

  rank(history: string[], items: string[]): Scored[] {
    const p = this.params;
    this.scorer.run(this.indexes(history), p);
    const known: { item: string; logit: number }[] = [];
    const unknown: string[] = [];
    for (const item of items) {
      const j = this.index.get(item);
      if (j === undefined) unknown.push(item);
      else known.push({ item, logit: p.temperature * this.scorer.rankScore(j, p) });
    }
    const max = known.reduce((m, x) => Math.max(m, x.logit), -Infinity);
    const z = known.reduce((s, x) => s + Math.exp(x.logit - max), 0);
    const out: Scored[] = known
      .map((x) => ({ item: x.item, score: Math.exp(x.logit - max) / z }))
      .sort((a, b) => b.score - a.score || (a.item < b.item ? -1 : 1));
    const v2 = this.recipe.endsWith('-v2');
    for (const item of unknown) out.push(v2 ? { item } : { item, score: 0 });
    return out;
  }

  serialize(): Buffer {
    const inf = (x: number) => (Number.isFinite(x) ? x : null);
    const p = this.params;
    return writeArtifact(
      this.recipe,
      { params: { ...p, decay: inf(p.decay), seen: inf(p.seen) }, alpha: this.alpha },
      {
        itemIds: { json: this.itemIds },
        offsets: this.graph.offsets,
        nbr: this.graph.nbr,
        w: this.graph.w,
        pop: this.pop,
        popular: this.popular,
      },
    );
  }

  static load(artifact: Buffer, recipe: string): UserModel {
    const a = readArtifact(artifact, recipe);
    const m = a.meta.params as Record<string, number | null>;
    const params: ScoringParams = {
      beta: Number(m.beta),
      decay: m.decay === null ? Infinity : Number(m.decay),
      seen: m.seen === null ? -Infinity : Number(m.seen),
      popularity: Number(m.popularity),
      temperature: Number(m.temperature),
    };
    const graph = { offsets: section(a, 'offsets', Int32Array), nbr: section(a, 'nbr', Int32Array), w: section(a, 'w', Float32Array) };
    return new UserModel(
      recipe,
      jsonSection<string[]>(a, 'itemIds'),
      graph,
      section(a, 'pop', Float32Array),
      section(a, 'popular', Int32Array),
      params,
      Number(a.meta.alpha),
    );
  }
}
