// The scoring core of the large-catalog user model (factor-model.ts trains it): item factors from
// implicit ALS, a user vector folded in from the request's history, the best items found through
// an inverted-file index (item-index.ts), and the softmax over the catalog.
//
// Fold-in (the ALS user equation on the history alone, so new users and new events count at
// once): for the history's newest HISTORY_CAP distinct known items, the r-th newest with
// confidence q_r = exp(−r / decay) (decay = ∞: all 1; the recency weighting),
//     x = (G + λ·(n + P)·I + Σ_r q_r y_r y_rᵀ)⁻¹ Σ_r q_r y_r,     G = α₀ YᵀY, P = spec.prior,
// then f_j = x·y_j, and −∞ for items of the history when `seen` is −∞ (data without repeats).
// An empty history gives x = 0 (every f_j = 0): the popularity order, so a cold user gets the
// popular items.
//
// Top k: the lists of the index are ordered by x·centroid; the request scores the `head` most
// popular items and the members of the best lists until at least `probe` items are scored (more
// when a filter or a long k uses them up), and takes the best of those: approximate, as any ANN
// search (the benchmark measures its recall against brute force). The model numbers its items
// list by list (factor-model.ts), so a list's factors are one contiguous stretch of memory: a
// request reads a few stretches instead of thousands of scattered rows.
// The softmax's partition function Σ_j exp(τ f_j): exact over the probed lists, and for each other
// list its size times the mean over its first SAMPLE members (a uniform sample: item-index.ts),
// an unbiased estimate; exact whenever every list is probed (small catalogs).
import { cholesky, cholSolve } from './als-kernels.ts';
import { topK } from './common.ts';

/** The index's lists in the model's numbering: list c holds items offsets[c] .. offsets[c+1]-1. */
export interface ItemLists {
  lists: number;
  /** Lists × k: the mean factors of each list's members. */
  centroids: Float32Array;
  offsets: Int32Array;
}
import { bestFew, HISTORY_CAP } from './user-scorer.ts';

export interface FactorParams {
  decay: number;
  /** −∞: items of the history come last; 0: they rank as any other. */
  seen: number;
  temperature: number;
}

export interface FactorSpec {
  k: number;
  alpha0: number;
  lambda: number;
  /** P of the users' regularization λ·(n + P) (als-kernels.ts). */
  prior: number;
  /** Most popular items scored by every request. */
  head: number;
  /** Items a request scores at least (whole lists of the index). */
  probe: number;
}

const SAMPLE = 4;
/** Lists ordered at first (a selection, not a sort of them all): enough for the usual probe. */
const FIRST_LISTS = 64;

export class FactorCore {
  readonly kind = 'factors';
  readonly n: number;
  private readonly x: Float64Array;
  private readonly a: Float64Array;
  /** Per item: the run that saw it in the history (seen) or scored it (candidate). */
  private readonly seenMark: Int32Array;
  private readonly candMark: Int32Array;
  private readonly listOf: Int32Array;
  private readonly listMark: Int32Array;
  private readonly listScore: Float64Array;
  private listOrder: Int32Array = new Int32Array(0);
  private stamp = 0;
  private ordered = false;
  private probed = 0;
  /** The run had no known item: x = 0, the popularity order. */
  private cold = true;
  /** Each list's first SAMPLE members (−1 past a short list's end), their factors side by side, and size / sample count. */
  private readonly sampleItem: Int32Array;
  private readonly sampleY: Float32Array;
  private readonly sampleWeight: Float64Array;
  private readonly sampleValue: Float64Array;
  private cand: Int32Array;
  private candF: Float64Array;
  nCand = 0;

  constructor(
    readonly spec: FactorSpec,
    /** Set by the tuner between runs; fixed once the model is built. */
    public params: FactorParams,
    readonly y: Float32Array,
    readonly gram: Float64Array,
    readonly index: ItemLists,
    /** Item indexes by popularity, most popular first. */
    readonly popularOrder: Int32Array,
  ) {
    const k = spec.k;
    this.n = y.length / k;
    this.x = new Float64Array(k);
    this.a = new Float64Array(k * k);
    this.seenMark = new Int32Array(this.n);
    this.candMark = new Int32Array(this.n);
    this.listOf = new Int32Array(this.n);
    for (let c = 0; c < index.lists; c++) this.listOf.fill(c, index.offsets[c], index.offsets[c + 1]);
    this.listMark = new Int32Array(index.lists);
    this.sampleItem = new Int32Array(index.lists * SAMPLE).fill(-1);
    this.sampleY = new Float32Array(index.lists * SAMPLE * k);
    this.sampleWeight = new Float64Array(index.lists);
    this.sampleValue = new Float64Array(index.lists * SAMPLE);
    for (let c = 0; c < index.lists; c++) {
      const size = index.offsets[c + 1] - index.offsets[c];
      const s = Math.min(SAMPLE, size);
      this.sampleWeight[c] = size / s;
      for (let e = 0; e < s; e++) {
        const j = index.offsets[c] + e;
        this.sampleItem[c * SAMPLE + e] = j;
        this.sampleY.set(y.subarray(j * k, j * k + k), (c * SAMPLE + e) * k);
      }
    }
    this.listScore = new Float64Array(index.lists);
    const room = Math.min(this.n, spec.probe + spec.head + 4096);
    this.cand = new Int32Array(room);
    this.candF = new Float64Array(room);
  }

  private dot(j: number): number {
    const { x, y } = this;
    const k = this.spec.k;
    const base = j * k;
    let s0 = 0;
    let s1 = 0;
    for (let a = 0; a < k; a += 2) ((s0 += x[a] * y[base + a]), (s1 += x[a + 1] * y[base + a + 1]));
    return s0 + s1;
  }

  /** Folds the history in (see the header); afterwards final(j) holds for every j. */
  run(history: ArrayLike<number>): void {
    const { k, lambda, prior } = this.spec;
    const { x, a, y } = this;
    if (this.stamp >= 0x3fffffff) ((this.stamp = 0), this.seenMark.fill(0), this.candMark.fill(0), this.listMark.fill(0));
    const stamp = ++this.stamp;
    this.ordered = false;
    this.probed = 0;
    this.nCand = 0;
    a.set(this.gram);
    x.fill(0);
    const decay = this.params.decay;
    let r = 0;
    for (let h = history.length - 1; h >= 0 && r < HISTORY_CAP; h--) {
      const j = history[h];
      if (j < 0 || this.seenMark[j] === stamp) continue;
      this.seenMark[j] = stamp;
      const q = decay === Infinity ? 1 : Math.exp(-r / decay);
      r++;
      const base = j * k;
      for (let p = 0; p < k; p++) {
        const v = q * y[base + p];
        x[p] += v;
        const o = p * k;
        for (let c = p; c < k; c++) a[o + c] += v * y[base + c];
      }
    }
    this.cold = r === 0;
    if (r === 0) return void x.fill(0);
    const reg = lambda * (r + prior);
    for (let p = 0; p < k; p++) {
      a[p * k + p] += reg;
      for (let c = p + 1; c < k; c++) a[c * k + p] = a[p * k + c];
    }
    if (!cholesky(a, k)) return void x.fill(0);
    cholSolve(a, k, x);
  }

  private isSeen(j: number): boolean {
    return this.seenMark[j] === this.stamp;
  }

  final(j: number): number {
    return this.params.seen === -Infinity && this.isSeen(j) ? -Infinity : this.dot(j);
  }

  rankScore(j: number): number {
    return this.dot(j);
  }

  private add(j: number): void {
    if (this.candMark[j] === this.stamp) return;
    this.candMark[j] = this.stamp;
    if (this.nCand === this.cand.length) {
      const grow = Math.min(this.n, 2 * this.cand.length);
      const c = new Int32Array(grow);
      const f = new Float64Array(grow);
      c.set(this.cand);
      f.set(this.candF);
      ((this.cand = c), (this.candF = f));
    }
    this.cand[this.nCand] = j;
    this.candF[this.nCand++] = this.final(j);
  }

  /** Scores the head and the best lists until at least `min` items are scored (or all are). */
  private probe(min: number): void {
    const { index } = this;
    const k = this.spec.k;
    if (!this.ordered) {
      for (let c = 0; c < index.lists; c++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += this.x[p] * index.centroids[c * k + p];
        this.listScore[c] = s;
      }
      this.listOrder = topK(this.listScore, Math.min(index.lists, FIRST_LISTS));
      this.ordered = true;
      for (let r = 0; r < Math.min(this.spec.head, this.n); r++) this.add(this.popularOrder[r]);
    }
    // The first `probe` items' lists are the exact part of the partition function (listMark), so
    // that a run's scores do not depend on how far a long k or a filter then probed.
    const base = Math.min(this.spec.probe, this.n);
    while (this.nCand < base && this.probed < index.lists) this.probeNext(true);
    if (this.nCand === this.n) while (this.probed < index.lists) this.probeNext(true);
    while (this.nCand < Math.min(min, this.n) && this.probed < index.lists) this.probeNext(false);
  }

  private probeNext(exact: boolean): void {
    const { index } = this;
    // Past the first lists selected, the full order (rare: long k, heavy filters).
    if (this.probed === this.listOrder.length) this.listOrder = topK(this.listScore, index.lists);
    const c = this.listOrder[this.probed++];
    if (exact) this.listMark[c] = this.stamp;
    for (let j = index.offsets[c]; j < index.offsets[c + 1]; j++) this.add(j);
  }

  /** Whether every item has been scored in this run. */
  private exhausted(): boolean {
    return this.nCand === this.n || this.probed === this.index.lists;
  }

  /** The best k item indexes and their f (see the header); skip(j) drops an item; seen items come last. */
  top(k: number, skip?: (j: number) => boolean): { items: number[]; scores: number[] } {
    if (this.cold) return this.popular(k, skip);
    for (let want = Math.max(this.spec.probe, 4 * (k + 8)); ; want *= 4) {
      this.probe(want);
      const f = this.candF.subarray(0, this.nCand);
      const items: number[] = [];
      const scores: number[] = [];
      const demoted: number[] = [];
      for (let take = Math.min(this.nCand, k + 8); ; take = Math.min(this.nCand, take * 4)) {
        const sel = take <= 64 ? bestFew(f, take) : topK(f, take);
        items.length = scores.length = demoted.length = 0;
        for (let r = 0; r < sel.length && items.length < k; r++) {
          const j = this.cand[sel[r]];
          if (skip?.(j)) continue;
          if (f[sel[r]] === -Infinity) demoted.push(j);
          else (items.push(j), scores.push(f[sel[r]]));
        }
        if (items.length >= k) return { items, scores };
        if (take === this.nCand) break;
      }
      if (this.exhausted()) {
        for (const j of demoted) if (items.length < k) (items.push(j), scores.push(-Infinity));
        return { items, scores };
      }
    }
  }

  /** The exact best k by scanning every item (benchmarks measure the index's recall with it). */
  exactTop(k: number): number[] {
    const f = new Float64Array(this.n);
    for (let j = 0; j < this.n; j++) f[j] = this.final(j);
    return Array.from(topK(f, k));
  }

  /** A cold run: every f_j is 0, so the popularity order. */
  private popular(k: number, skip?: (j: number) => boolean): { items: number[]; scores: number[] } {
    const items: number[] = [];
    for (let r = 0; r < this.n && items.length < k; r++) if (!skip?.(this.popularOrder[r])) items.push(this.popularOrder[r]);
    return { items, scores: items.map(() => 0) };
  }

  /** log Σ_j exp(τ f_j) over the catalog (see the header for the estimate). */
  logPartition(): number {
    const tau = this.params.temperature;
    if (this.cold) return Math.log(this.n);
    this.probe(this.spec.probe);
    const { k } = this.spec;
    const { x, sampleY, sampleItem, sampleValue } = this;
    const lists = this.index.lists;
    const demote = this.params.seen === -Infinity;
    let m = -Infinity;
    for (let c = 0; c < this.nCand; c++) if (this.candF[c] !== -Infinity) m = Math.max(m, tau * this.candF[c]);
    // The unprobed lists' samples (stored together: see the constructor), relative to the same maximum.
    for (let c = 0; c < lists; c++) {
      if (this.listMark[c] === this.stamp) continue;
      for (let e = c * SAMPLE; e < c * SAMPLE + SAMPLE; e++) {
        const j = sampleItem[e];
        if (j < 0 || (demote && this.isSeen(j))) {
          sampleValue[e] = -Infinity;
          continue;
        }
        let d0 = 0;
        let d1 = 0;
        for (let a = 0, o = e * k; a < k; a += 2, o += 2) ((d0 += x[a] * sampleY[o]), (d1 += x[a + 1] * sampleY[o + 1]));
        m = Math.max(m, (sampleValue[e] = tau * (d0 + d1)));
      }
    }
    if (m === -Infinity) return -Infinity;
    let z = 0;
    for (let c = 0; c < this.nCand; c++) {
      if (this.candF[c] !== -Infinity && this.listMark[this.listOf[this.cand[c]]] === this.stamp) z += Math.exp(tau * this.candF[c] - m);
    }
    for (let c = 0; c < lists; c++) {
      if (this.listMark[c] === this.stamp) continue;
      let part = 0;
      for (let e = c * SAMPLE; e < c * SAMPLE + SAMPLE; e++) if (sampleValue[e] !== -Infinity) part += Math.exp(sampleValue[e] - m);
      z += part * this.sampleWeight[c];
    }
    return m + Math.log(Math.max(z, Number.MIN_VALUE));
  }
}
