// The numeric kernels of implicit ALS (als.ts), on typed arrays only, so that worker threads
// (als-workers.ts) run them on shared memory as the main thread does. Dense k×k matrices are
// row-major Float64Array; factor matrices are Float32Array, row r at r·k.
//
// One half-step solves, for every row r of one side (users, or items) with the other side's
// factors F fixed, the normal equations of iALS (Hu, Koren & Volinsky 2008, in the form of
// Rendle et al., "Revisiting the Performance of iALS", RecSys 2022):
//     (G + λ_r I + Σ_{j∈r} c_rj f_j f_jᵀ) w_r = Σ_{j∈r} c_rj f_j,     G = α₀ FᵀF
// (target 1 for observed pairs with confidence c, 0 with weight α₀ for all pairs; λ_r =
// λ·(n_r + P), Rendle's frequency-scaled regularization with ν = 1, whose P = α₀·|F| is capped
// here: regularizationPrior). Two solvers:
//  * conjugate gradient from the row's current value (`cgSteps` steps; Takács et al. 2011): per
//    step one G·p (k²) and the row's interactions (4·n·k);
//  * for rows with at most `tail` interactions, exactly, with the Woodbury identity: with
//    M = (G + λ_t I)⁻¹ and Z = F·M precomputed for all rows of F, w = Σ_a ω_a z_a where
//    (D⁻¹ + S) ω = 1, S_ab = f_a·z_b, D = diag(c): n²·k + n³/3 instead of cgSteps·k². Long-tail
//    items (a few users each) are most of a large catalog, so this halves the items' half-step.
//    λ_t = λ·(P + tail/2) stands in for λ_r there (P dominates: a relative difference below
//    tail / (2·P)).

/**
 * P of the regularization λ·(n_r + P): Rendle et al.'s α₀·|F|, with |F| capped at PRIOR_ROWS. Past
 * that the uncapped term, growing with the catalog while the rows' own evidence does not, shrank
 * every factor towards popularity (measured at 1 M items: NDCG@25 at popularity's level), whereas
 * the capped one keeps the optimum found at 20k–200k items.
 */
export const PRIOR_ROWS = 100_000;
export function regularizationPrior(alpha0: number, rowsOfFixedSide: number): number {
  return alpha0 * Math.min(rowsOfFixedSide, PRIOR_ROWS);
}

export interface AlsSide {
  /** Row r's interactions are entries offsets[r] .. offsets[r+1]-1: the other side's index and c. */
  offsets: Int32Array;
  index: Int32Array;
  conf: Float32Array;
  /** This side's factors, rows × k. */
  factors: Float32Array;
}

export interface AlsBuffers {
  k: number;
  users: AlsSide;
  items: AlsSide;
  /** α₀·FᵀF of the fixed side (the solve's G), k×k. */
  gram: Float64Array;
  /** (G + λ_t I)⁻¹ for the Woodbury rows, k×k. */
  inverse: Float64Array;
  /** F·M, the fixed side's rows × k (only when the half-step uses Woodbury). */
  z: Float32Array;
  /** One k×k partial Gram per task slot. */
  partials: Float64Array;
}

export interface SolveParams {
  lambda: number;
  /** P of λ_r = λ·(n_r + P) (regularizationPrior). */
  prior: number;
  cgSteps: number;
  /** Rows with at most this many interactions use the Woodbury solve (0: none). */
  tail: number;
}

/**
 * Adds Σ f_r f_rᵀ over rows lo..hi-1 of `f` to partials[slot] (upper triangle; the caller mirrors
 * it). Four rows at a time: one read-modify-write of the output per four products.
 */
export function gramRows(b: AlsBuffers, f: Float32Array, lo: number, hi: number, slot: number): void {
  const k = b.k;
  const out = b.partials.subarray(slot * k * k, (slot + 1) * k * k);
  const r0 = new Float64Array(k);
  const r1 = new Float64Array(k);
  const r2 = new Float64Array(k);
  const r3 = new Float64Array(k);
  for (let r = lo; r < hi; r += 4) {
    const m = Math.min(4, hi - r);
    for (let a = 0; a < k; a++) {
      r0[a] = f[r * k + a];
      r1[a] = m > 1 ? f[(r + 1) * k + a] : 0;
      r2[a] = m > 2 ? f[(r + 2) * k + a] : 0;
      r3[a] = m > 3 ? f[(r + 3) * k + a] : 0;
    }
    for (let a = 0; a < k; a++) {
      const a0 = r0[a];
      const a1 = r1[a];
      const a2 = r2[a];
      const a3 = r3[a];
      const o = a * k;
      for (let c = a; c < k; c++) out[o + c] += a0 * r0[c] + a1 * r1[c] + a2 * r2[c] + a3 * r3[c];
    }
  }
}

/** z rows lo..hi-1 = f rows · M (M symmetric). */
export function zRows(b: AlsBuffers, f: Float32Array, lo: number, hi: number): void {
  const { k, inverse: m, z } = b;
  const row = new Float64Array(k);
  const acc = new Float64Array(k);
  for (let r = lo; r < hi; r++) {
    const base = r * k;
    for (let a = 0; a < k; a++) row[a] = f[base + a];
    acc.fill(0);
    for (let a = 0; a < k; a++) {
      const ra = row[a];
      if (ra === 0) continue;
      const o = a * k;
      for (let c = 0; c < k; c++) acc[c] += ra * m[o + c];
    }
    for (let c = 0; c < k; c++) z[base + c] = acc[c];
  }
}

/** In-place Cholesky of the n×n SPD matrix a (lower triangle); false if it is not positive definite. */
export function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let p = 0; p < j; p++) d -= a[j * n + p] * a[j * n + p];
    if (!(d > 0)) return false;
    d = Math.sqrt(d);
    a[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let p = 0; p < j; p++) s -= a[i * n + p] * a[j * n + p];
      a[i * n + j] = s / d;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b in place (L from cholesky). */
export function cholSolve(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let p = 0; p < i; p++) s -= l[i * n + p] * b[p];
    b[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let p = i + 1; p < n; p++) s -= l[p * n + i] * b[p];
    b[i] = s / l[i * n + i];
  }
}

/** The inverse of the SPD matrix a (k×k), via Cholesky; a is left intact. */
export function invertSpd(a: Float64Array, k: number): Float64Array {
  const l = a.slice();
  if (!cholesky(l, k)) throw new Error('ALS: the regularized Gram matrix is not positive definite');
  const inv = new Float64Array(k * k);
  const e = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    e.fill(0);
    e[c] = 1;
    cholSolve(l, k, e);
    for (let r = 0; r < k; r++) inv[r * k + c] = e[r];
  }
  return inv;
}

/** Scratch space of one solver, reused across rows. */
class Scratch {
  readonly x: Float64Array;
  readonly r: Float64Array;
  readonly p: Float64Array;
  readonly ap: Float64Array;
  s = new Float64Array(0);
  w = new Float64Array(0);
  constructor(k: number) {
    ((this.x = new Float64Array(k)), (this.r = new Float64Array(k)), (this.p = new Float64Array(k)), (this.ap = new Float64Array(k)));
  }
  small(n: number): void {
    if (this.s.length < n * n) ((this.s = new Float64Array(n * n)), (this.w = new Float64Array(n)));
  }
}

/** A·v for row `row` of `side` into out: G·v + λ v + Σ c (f·v) f. */
function applyA(b: AlsBuffers, side: AlsSide, f: Float32Array, row: number, lambda: number, v: Float64Array, out: Float64Array): void {
  const { k, gram: g } = b;
  // G·v as dot products with four accumulators (k is a multiple of 4: see factorDims).
  for (let a = 0; a < k; a++) {
    const o = a * k;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let c = 0; c < k; c += 4) {
      s0 += g[o + c] * v[c];
      s1 += g[o + c + 1] * v[c + 1];
      s2 += g[o + c + 2] * v[c + 2];
      s3 += g[o + c + 3] * v[c + 3];
    }
    out[a] = lambda * v[a] + s0 + s1 + s2 + s3;
  }
  for (let e = side.offsets[row], end = side.offsets[row + 1]; e < end; e++) {
    const base = side.index[e] * k;
    let d0 = 0;
    let d1 = 0;
    for (let a = 0; a < k; a += 2) ((d0 += f[base + a] * v[a]), (d1 += f[base + a + 1] * v[a + 1]));
    const d = (d0 + d1) * side.conf[e];
    for (let a = 0; a < k; a++) out[a] += d * f[base + a];
  }
}

function solveCg(b: AlsBuffers, side: AlsSide, f: Float32Array, row: number, lambda: number, steps: number, t: Scratch): void {
  const { k } = b;
  const { x, r, p, ap } = t;
  const w = side.factors;
  for (let a = 0; a < k; a++) x[a] = w[row * k + a];
  applyA(b, side, f, row, lambda, x, ap);
  // r = b − A x, b = Σ c f.
  for (let a = 0; a < k; a++) r[a] = -ap[a];
  for (let e = side.offsets[row], end = side.offsets[row + 1]; e < end; e++) {
    const base = side.index[e] * k;
    const c = side.conf[e];
    for (let a = 0; a < k; a++) r[a] += c * f[base + a];
  }
  let rs = 0;
  for (let a = 0; a < k; a++) ((p[a] = r[a]), (rs += r[a] * r[a]));
  for (let s = 0; s < steps && rs > 1e-20; s++) {
    applyA(b, side, f, row, lambda, p, ap);
    let pap = 0;
    for (let a = 0; a < k; a++) pap += p[a] * ap[a];
    if (!(pap > 0)) break;
    const alpha = rs / pap;
    let next = 0;
    for (let a = 0; a < k; a++) {
      x[a] += alpha * p[a];
      r[a] -= alpha * ap[a];
      next += r[a] * r[a];
    }
    const beta = next / rs;
    for (let a = 0; a < k; a++) p[a] = r[a] + beta * p[a];
    rs = next;
  }
  for (let a = 0; a < k; a++) w[row * k + a] = x[a];
}

function solveWoodbury(b: AlsBuffers, side: AlsSide, f: Float32Array, row: number, t: Scratch): boolean {
  const { k, z } = b;
  const start = side.offsets[row];
  const n = side.offsets[row + 1] - start;
  const w = side.factors;
  if (n === 0) {
    w.fill(0, row * k, row * k + k);
    return true;
  }
  t.small(n);
  const { s, w: om } = t;
  for (let i = 0; i < n; i++) {
    const fi = side.index[start + i] * k;
    for (let j = 0; j <= i; j++) {
      const zj = side.index[start + j] * k;
      let d = 0;
      for (let a = 0; a < k; a++) d += f[fi + a] * z[zj + a];
      s[i * n + j] = s[j * n + i] = d;
    }
    s[i * n + i] += 1 / side.conf[start + i];
    om[i] = 1;
  }
  if (!cholesky(s, n)) return false;
  cholSolve(s, n, om);
  const x = t.x;
  x.fill(0);
  for (let i = 0; i < n; i++) {
    const zi = side.index[start + i] * k;
    const o = om[i];
    for (let a = 0; a < k; a++) x[a] += o * z[zi + a];
  }
  for (let a = 0; a < k; a++) w[row * k + a] = x[a];
  return true;
}

/** Solves rows lo..hi-1 of `side` with `fixed`'s factors (see the header). */
export function solveRows(b: AlsBuffers, which: 'users' | 'items', lo: number, hi: number, p: SolveParams): void {
  const side = which === 'users' ? b.users : b.items;
  const fixed = which === 'users' ? b.items : b.users;
  const f = fixed.factors;
  const t = new Scratch(b.k);
  const prior = p.prior;
  for (let row = lo; row < hi; row++) {
    const n = side.offsets[row + 1] - side.offsets[row];
    if (n <= p.tail && solveWoodbury(b, side, f, row, t)) continue;
    solveCg(b, side, f, row, p.lambda * (n + prior), p.cgSteps, t);
  }
}
