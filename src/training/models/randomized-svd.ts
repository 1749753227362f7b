// A truncated SVD of a sparse matrix by the randomized range finder of Halko, Martinsson and Tropp
// (2011, algorithms 4.4 and 5.1): sample the range with a Gaussian test matrix, sharpen it with
// power iterations, then take the exact SVD of the small projected matrix. Orthonormalization is
// CholeskyQR2 (two Cholesky-QR passes, each with a tiny diagonal shift so that rank-deficient
// inputs do not break it), which needs one pass over the tall matrix per step instead of
// Gram-Schmidt's l passes; the small symmetric eigenproblem is solved by cyclic Jacobi rotations.
// Used by the Semantic-Similarity recipe's LSA (text-embedding.ts); plain TypeScript, no BLAS.
import { tick } from './params.ts';

/** A sparse matrix in CSR form: row r's entries are offsets[r] .. offsets[r+1]-1. */
export interface Csr {
  rows: number;
  cols: number;
  offsets: Int32Array;
  index: Int32Array;
  value: Float32Array;
}

export interface Svd {
  /** Left singular vectors, row-major rows × k. */
  u: Float32Array;
  /** Singular values, descending. */
  s: Float64Array;
  k: number;
}

/** xorshift-based standard normals (Box-Muller), the same for the same seed. */
function gaussian(seed: number): () => number {
  let x = seed >>> 0 || 1;
  const uniform = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return ((x >>> 0) + 1) / 4294967297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** A (rows × l, row-major) made to have orthonormal columns, in place. */
export function orthonormalize(a: Float32Array | Float64Array, rows: number, l: number): void {
  for (let pass = 0; pass < 2; pass++) {
    const g = new Float64Array(l * l);
    for (let r = 0; r < rows; r++) {
      const o = r * l;
      for (let i = 0; i < l; i++) {
        const ai = a[o + i];
        if (ai === 0) continue;
        for (let j = 0; j <= i; j++) g[i * l + j] += ai * a[o + j];
      }
    }
    let trace = 0;
    for (let i = 0; i < l; i++) trace += g[i * l + i];
    const shift = 1e-12 * (trace / l) + 1e-300;
    // Cholesky G = L Lᵀ (lower triangle of g).
    for (let j = 0; j < l; j++) {
      let d = g[j * l + j] + shift;
      for (let k = 0; k < j; k++) d -= g[j * l + k] * g[j * l + k];
      const ljj = Math.sqrt(Math.max(d, shift));
      g[j * l + j] = ljj;
      for (let i = j + 1; i < l; i++) {
        let v = g[i * l + j];
        for (let k = 0; k < j; k++) v -= g[i * l + k] * g[j * l + k];
        g[i * l + j] = v / ljj;
      }
    }
    // Each row x becomes y with y Lᵀ = x (forward substitution on L yᵀ = xᵀ).
    const y = new Float64Array(l);
    for (let r = 0; r < rows; r++) {
      const o = r * l;
      for (let i = 0; i < l; i++) {
        let v = a[o + i];
        for (let k = 0; k < i; k++) v -= g[i * l + k] * y[k];
        y[i] = v / g[i * l + i];
      }
      for (let i = 0; i < l; i++) a[o + i] = y[i];
    }
  }
}

/** Y = X Z: X is rows × cols, Z cols × l (row-major), Y rows × l. */
function times(x: Csr, z: Float64Array, l: number, y: Float32Array): void {
  y.fill(0);
  for (let r = 0; r < x.rows; r++) {
    const o = r * l;
    for (let e = x.offsets[r]; e < x.offsets[r + 1]; e++) {
      const v = x.value[e];
      const c = x.index[e] * l;
      for (let j = 0; j < l; j++) y[o + j] += v * z[c + j];
    }
  }
}

/** Z = Xᵀ Q: Q is rows × l, Z cols × l. */
function transposeTimes(x: Csr, q: Float32Array, l: number, z: Float64Array): void {
  z.fill(0);
  for (let r = 0; r < x.rows; r++) {
    const o = r * l;
    for (let e = x.offsets[r]; e < x.offsets[r + 1]; e++) {
      const v = x.value[e];
      const c = x.index[e] * l;
      for (let j = 0; j < l; j++) z[c + j] += v * q[o + j];
    }
  }
}

/** Eigenvalues (descending) and eigenvectors (columns of the row-major l × l result) of a symmetric matrix, by cyclic Jacobi. */
export function symmetricEigen(input: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(input);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < l; i++) {
      diag += a[i * l + i] * a[i * l + i];
      for (let j = i + 1; j < l; j++) off += a[i * l + j] * a[i * l + j];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * l + q] - a[p * l + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p];
          const akq = a[k * l + q];
          a[k * l + p] = c * akp - s * akq;
          a[k * l + q] = s * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k];
          const aqk = a[q * l + k];
          a[p * l + k] = c * apk - s * aqk;
          a[q * l + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p];
          const vkq = v[k * l + q];
          v[k * l + p] = c * vkp - s * vkq;
          v[k * l + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: l }, (_, i) => i).sort((x, y) => a[y * l + y] - a[x * l + x]);
  const values = Float64Array.from(order, (i) => a[i * l + i]);
  const vectors = new Float64Array(l * l);
  order.forEach((col, j) => {
    for (let k = 0; k < l; k++) vectors[k * l + j] = v[k * l + col];
  });
  return { values, vectors };
}

/** The k leading singular triplets' U and Σ of x (k is lowered to what the matrix's size allows). */
export async function randomizedSvd(
  x: Csr,
  k: number,
  o: { oversample?: number; powerIterations?: number; seed?: number; signal?: AbortSignal } = {},
): Promise<Svd> {
  const l = Math.max(1, Math.min(k + (o.oversample ?? 10), x.rows, x.cols));
  k = Math.min(k, l);
  const normal = gaussian(o.seed ?? 1);
  const omega = new Float64Array(x.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = normal();
  const q = new Float32Array(x.rows * l);
  const z = omega;
  times(x, z, l, q);
  orthonormalize(q, x.rows, l);
  for (let it = 0; it < (o.powerIterations ?? 3); it++) {
    await tick(o.signal);
    transposeTimes(x, q, l, z);
    orthonormalize(z, x.cols, l);
    times(x, z, l, q);
    orthonormalize(q, x.rows, l);
  }
  await tick(o.signal);
  // B = Qᵀ X (l × cols); B Bᵀ = Zᵀ Z with Z = Xᵀ Q. Its eigenvectors W give U = Q W, Σ = √λ.
  transposeTimes(x, q, l, z);
  const c = new Float64Array(l * l);
  for (let r = 0; r < x.cols; r++) {
    const off = r * l;
    for (let i = 0; i < l; i++) {
      const zi = z[off + i];
      if (zi === 0) continue;
      for (let j = 0; j <= i; j++) c[i * l + j] += zi * z[off + j];
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) c[j * l + i] = c[i * l + j];
  const { values, vectors } = symmetricEigen(c, l);
  const u = new Float32Array(x.rows * k);
  for (let r = 0; r < x.rows; r++) {
    for (let j = 0; j < k; j++) {
      let sum = 0;
      for (let i = 0; i < l; i++) sum += q[r * l + i] * vectors[i * l + j];
      u[r * k + j] = sum;
    }
  }
  return { u, s: Float64Array.from(values.subarray(0, k), (v) => Math.sqrt(Math.max(0, v))), k };
}
