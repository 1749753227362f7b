// Implicit ALS with conjugate gradient (the kernels and their equations: als-kernels.ts): the
// alternation, the Gram matrices, the choice of solver per half-step and the split of the rows
// between threads (als-workers.ts).
import { invertSpd, regularizationPrior, type AlsBuffers, type AlsSide } from './als-kernels.ts';
import { InlineRunner, WorkerRunner, type AlsRunner, type AlsTask } from './als-workers.ts';

export interface AlsOptions {
  /** Factors per user and item. */
  k: number;
  iterations: number;
  /** Weight of every (user, item) pair's zero target (Rendle et al.'s α₀). */
  alpha0: number;
  /** λ of the frequency-scaled regularization λ·(n_r + P) (als-kernels.ts). */
  lambda: number;
  cgSteps: number;
  /** Worker threads; 1 runs in this thread. */
  threads: number;
  seed: number;
}

/** The interactions as user rows: user u's are entries offsets[u] .. offsets[u+1]-1 (item, confidence). */
export interface AlsInput {
  nUsers: number;
  nItems: number;
  offsets: Int32Array;
  item: Int32Array;
  conf: Float32Array;
}

export interface AlsFactors {
  users: Float32Array;
  items: Float32Array;
  /** α₀·YᵀY of the final item factors (the fold-in's Gram matrix). */
  itemGram: Float64Array;
}

/** Rows with at most this many interactions may use the Woodbury solve (als-kernels.ts). */
export function tailLimit(k: number): number {
  return Math.max(4, Math.round(Math.sqrt(4 * k)));
}

/** A typed array in shared memory when threads will read it, else an ordinary one. */
function alloc<T extends Float32Array | Float64Array | Int32Array>(
  make: new (b: ArrayBufferLike) => T,
  bytes: number,
  n: number,
  shared: boolean,
): T {
  return new make(shared ? new SharedArrayBuffer(n * bytes) : new ArrayBuffer(n * bytes));
}

function copy<T extends Float32Array | Int32Array>(x: T, make: new (b: ArrayBufferLike) => T, shared: boolean): T {
  const y = alloc(make, x.BYTES_PER_ELEMENT, x.length, shared);
  y.set(x);
  return y;
}

/** The item rows (transpose of the user rows). */
function transpose(input: AlsInput, shared: boolean): Omit<AlsSide, 'factors'> {
  const { nItems, offsets: uo, item, conf } = input;
  const offsets = alloc(Int32Array, 4, nItems + 1, shared);
  for (let e = 0; e < item.length; e++) offsets[item[e] + 1]++;
  for (let i = 0; i < nItems; i++) offsets[i + 1] += offsets[i];
  const index = alloc(Int32Array, 4, item.length, shared);
  const c = alloc(Float32Array, 4, item.length, shared);
  const fill = offsets.slice(0, nItems);
  for (let u = 0; u < input.nUsers; u++) {
    for (let e = uo[u]; e < uo[u + 1]; e++) {
      const at = fill[item[e]]++;
      ((index[at] = u), (c[at] = conf[e]));
    }
  }
  return { offsets, index, conf: c };
}

/** Splits rows 0..n-1 into `parts` contiguous ranges of about equal cost (interactions + k per row). */
function ranges(offsets: Int32Array, parts: number, k: number): [number, number][] {
  const n = offsets.length - 1;
  const total = offsets[n] + k * n;
  const out: [number, number][] = [];
  let lo = 0;
  for (let p = 1; p <= parts; p++) {
    let hi = lo;
    const target = (total * p) / parts;
    while (hi < n && offsets[hi] + k * hi < target) hi++;
    if (p === parts) hi = n;
    out.push([lo, hi]);
    lo = hi;
  }
  return out;
}

export async function trainAls(input: AlsInput, o: AlsOptions, init?: Float32Array, signal?: AbortSignal): Promise<AlsFactors> {
  const { nUsers, nItems } = input;
  const k = o.k;
  const shared = o.threads > 1;
  const usersSide: AlsSide = {
    offsets: copy(input.offsets, Int32Array, shared),
    index: copy(input.item, Int32Array, shared),
    conf: copy(input.conf, Float32Array, shared),
    factors: alloc(Float32Array, 4, nUsers * k, shared),
  };
  const itemsSide: AlsSide = { ...transpose(input, shared), factors: alloc(Float32Array, 4, nItems * k, shared) };
  if (init) itemsSide.factors.set(init);
  else {
    const rnd = mulberry32(o.seed);
    const scale = 0.1 / Math.sqrt(k);
    for (let x = 0; x < itemsSide.factors.length; x++) {
      itemsSide.factors[x] = scale * Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    }
  }
  const tail = tailLimit(k);
  const tailRows = (s: AlsSide) => {
    let c = 0;
    for (let r = 0; r + 1 < s.offsets.length; r++) if (s.offsets[r + 1] - s.offsets[r] <= tail) c++;
    return c;
  };
  // Woodbury pays on a side when its short rows' CG steps cost more than Z = F·M over the other side.
  const woodbury = {
    users: tailRows(usersSide) * o.cgSteps > nItems,
    items: tailRows(itemsSide) * o.cgSteps > nUsers,
  };
  const zRows = Math.max(woodbury.users ? nItems : 0, woodbury.items ? nUsers : 0);
  const threads = Math.max(1, o.threads);
  const b: AlsBuffers = {
    k,
    users: usersSide,
    items: itemsSide,
    gram: alloc(Float64Array, 8, k * k, shared),
    inverse: alloc(Float64Array, 8, k * k, shared),
    z: alloc(Float32Array, 4, zRows * k, shared),
    partials: alloc(Float64Array, 8, threads * k * k, shared),
  };
  const runner: AlsRunner = threads > 1 ? new WorkerRunner(b, threads) : new InlineRunner(b);
  try {
    for (let it = 0; it < o.iterations; it++) {
      for (const side of ['users', 'items'] as const) {
        const fixed = side === 'users' ? 'items' : 'users';
        const nFixed = side === 'users' ? nItems : nUsers;
        await computeGram(b, runner, fixed, nFixed, o.alpha0, signal);
        const useTail = woodbury[side];
        const prior = regularizationPrior(o.alpha0, nFixed);
        if (useTail) {
          const lambdaTail = o.lambda * (prior + tail / 2);
          const a = b.gram.slice();
          for (let d = 0; d < k; d++) a[d * k + d] += lambdaTail;
          b.inverse.set(invertSpd(a, k));
          const parts = evenRanges(nFixed, runner.threads);
          await runner.run(
            parts.map(([lo, hi]) => ({ op: 'z', side: fixed, lo, hi })),
            signal,
          );
        }
        const params = { lambda: o.lambda, prior, cgSteps: o.cgSteps, tail: useTail ? tail : 0 };
        const parts = ranges(b[side].offsets, runner.threads, k);
        await runner.run(
          parts.map(([lo, hi]): AlsTask => ({ op: 'solve', side, lo, hi, params })),
          signal,
        );
      }
    }
    await computeGram(b, runner, 'items', nItems, o.alpha0, signal);
  } finally {
    runner.close();
  }
  return { users: usersSide.factors, items: itemsSide.factors, itemGram: b.gram.slice() };
}

/** A seeded uniform source in [0, 1) (mulberry32), for reproducible initial factors. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function evenRanges(n: number, parts: number): [number, number][] {
  return Array.from({ length: parts }, (_, p) => [Math.floor((n * p) / parts), Math.floor((n * (p + 1)) / parts)]);
}

/** b.gram = α₀ · FᵀF of the fixed side, summed from the threads' partial Grams. */
async function computeGram(b: AlsBuffers, runner: AlsRunner, fixed: 'users' | 'items', n: number, alpha0: number, signal?: AbortSignal) {
  const k = b.k;
  b.partials.fill(0);
  await runner.run(
    evenRanges(n, runner.threads).map(([lo, hi], slot) => ({ op: 'gram', side: fixed, lo, hi, slot })),
    signal,
  );
  const g = b.gram;
  g.fill(0);
  for (let s = 0; s < runner.threads; s++) {
    for (let a = 0; a < k; a++) for (let c = a; c < k; c++) g[a * k + c] += b.partials[s * k * k + a * k + c];
  }
  for (let a = 0; a < k; a++) {
    for (let c = a; c < k; c++) {
      const v = alpha0 * g[a * k + c];
      g[a * k + c] = g[c * k + a] = v;
    }
  }
}
