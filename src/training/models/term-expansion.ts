// The Semantic-Similarity recipe's built-in text embedder: TF-IDF vectors expanded with related
// terms learned from the catalog itself (second-order co-occurrence, the idea behind corpus-based
// query expansion).
//
//  1. X = the items' TF-IDF matrix (text-embedding.ts: stemmed words, subwords for rare words),
//     rows L2-normalised.
//  2. A term's vector is its column of X: the items it occurs in, with their weights. Two terms
//     are related by the cosine of those columns — words used in the same items, i.e. the same
//     contexts. Synonyms rarely share an item with each other, but both share items with the
//     other words of their topic, so they come out related through them. Each term keeps its
//     RELATED most related terms (cosine above MIN_RELATEDNESS). Terms in more than
//     MAX_POSTINGS items are measured on an even sample of them (their cosines stay close).
//  3. Item i's vector: x_i + γ · Σ_t x_it · Σ_{u related to t} cos(t, u) e_u, keeping its KEEP
//     strongest entries, L2-normalised. The cosine of two such vectors counts both shared words
//     and words of the same topic. Keeping few entries bounds the index and the query cost (a
//     query walks the postings of its KEEP terms), and measured no worse than keeping all.
// Measured (bench/training/semantic-quality.ts, topic precision@10 on synthetic catalogs whose
// topics are written with synonyms): 0.989 where plain TF-IDF cosine has 0.631 and LSA with 128
// dimensions 0.605 (4,000 items, 200 topics, 4 synonyms per concept); 0.843 against 0.435 and
// 0.706 on 1,000 items in 100 topics (0.9 at most there). 100,000 items: 10-13 s to train on one
// core, 3-4 ms per query, a 54 MB artifact.
import { tfidfMatrix, type ItemText, type TermOptions, type TextEmbedder } from './text-embedding.ts';
import { tick } from './params.ts';
import type { Csr } from './randomized-svd.ts';

const RELATED = 10;
const MIN_RELATEDNESS = 0.05;
const MAX_POSTINGS = 5000;
const KEEP = 64;

export interface ExpansionOptions extends TermOptions {
  /** γ: the weight of the related terms against the item's own terms. Default 1. */
  gamma?: number;
  /** Related terms per term. */
  related?: number;
  /** Entries kept per item vector. */
  keep?: number;
}

/** The columns of X as postings: term t's items are post[postOffsets[t] .. postOffsets[t+1]-1]. */
function columns(x: Csr): { postOffsets: Int32Array; postItem: Int32Array; postValue: Float32Array } {
  const postOffsets = new Int32Array(x.cols + 1);
  for (let e = 0; e < x.index.length; e++) postOffsets[x.index[e] + 1]++;
  for (let t = 0; t < x.cols; t++) postOffsets[t + 1] += postOffsets[t];
  const fill = postOffsets.slice(0, x.cols);
  const postItem = new Int32Array(x.index.length);
  const postValue = new Float32Array(x.index.length);
  for (let r = 0; r < x.rows; r++) {
    for (let e = x.offsets[r]; e < x.offsets[r + 1]; e++) {
      const p = fill[x.index[e]]++;
      postItem[p] = r;
      postValue[p] = x.value[e];
    }
  }
  return { postOffsets, postItem, postValue };
}

/** Each term's most related terms (see the header), CSR: term t's are offsets[t] .. offsets[t+1]-1. */
export async function relatedTerms(
  x: Csr,
  related = RELATED,
  signal?: AbortSignal,
): Promise<{ offsets: Int32Array; term: Int32Array; weight: Float32Array }> {
  const { postOffsets, postItem, postValue } = columns(x);
  const norm = new Float64Array(x.cols);
  for (let t = 0; t < x.cols; t++) {
    for (let p = postOffsets[t]; p < postOffsets[t + 1]; p++) norm[t] += postValue[p] * postValue[p];
    norm[t] = Math.sqrt(norm[t]);
  }
  const acc = new Float64Array(x.cols);
  const touched = new Int32Array(x.cols);
  const offsets = new Int32Array(x.cols + 1);
  const terms: number[] = [];
  const weights: number[] = [];
  for (let t = 0; t < x.cols; t++) {
    if (t % 2048 === 0) await tick(signal);
    const from = postOffsets[t];
    const count = postOffsets[t + 1] - from;
    const step = count > MAX_POSTINGS ? count / MAX_POSTINGS : 1;
    const sampled = Math.min(count, MAX_POSTINGS);
    let n = 0;
    for (let s = 0; s < sampled; s++) {
      const p = from + Math.floor(s * step);
      const r = postItem[p];
      const w = postValue[p];
      for (let e = x.offsets[r]; e < x.offsets[r + 1]; e++) {
        const u = x.index[e];
        if (u === t) continue;
        if (acc[u] === 0) touched[n++] = u;
        acc[u] += w * x.value[e];
      }
    }
    // A sampled column's dot products are scaled back to the whole column (an unbiased estimate).
    const scale = step / norm[t];
    const best: [number, number][] = [];
    for (let k = 0; k < n; k++) {
      const u = touched[k];
      const cos = (acc[u] * scale) / norm[u];
      acc[u] = 0;
      if (cos >= MIN_RELATEDNESS) best.push([u, cos]);
    }
    best.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    for (const [u, cos] of best.slice(0, related)) (terms.push(u), weights.push(cos));
    offsets[t + 1] = terms.length;
  }
  return { offsets, term: Int32Array.from(terms), weight: Float32Array.from(weights) };
}

/** The expanded item vectors (see the header), rows L2-normalised, each row's terms ascending. */
export async function expandedVectors(x: Csr, o: ExpansionOptions = {}, signal?: AbortSignal): Promise<Csr> {
  const rel = await relatedTerms(x, o.related ?? RELATED, signal);
  const gamma = o.gamma ?? 1;
  const keep = o.keep ?? KEEP;
  const acc = new Float64Array(x.cols);
  const touched = new Int32Array(x.cols);
  const offsets = new Int32Array(x.rows + 1);
  const index: number[] = [];
  const value: number[] = [];
  for (let r = 0; r < x.rows; r++) {
    if (r % 4096 === 0) await tick(signal);
    let n = 0;
    const add = (u: number, v: number) => {
      if (acc[u] === 0) touched[n++] = u;
      acc[u] += v;
    };
    for (let e = x.offsets[r]; e < x.offsets[r + 1]; e++) {
      const t = x.index[e];
      const w = x.value[e];
      add(t, w);
      for (let k = rel.offsets[t]; k < rel.offsets[t + 1]; k++) add(rel.term[k], gamma * w * rel.weight[k]);
    }
    const entries: [number, number][] = [];
    for (let k = 0; k < n; k++) (entries.push([touched[k], acc[touched[k]]]), (acc[touched[k]] = 0));
    entries.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const kept = entries.slice(0, keep).sort((a, b) => a[0] - b[0]);
    let norm = 0;
    for (const [, v] of kept) norm += v * v;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (const [u, v] of kept) (index.push(u), value.push(v * inv));
    offsets[r + 1] = index.length;
  }
  return { rows: x.rows, cols: x.cols, offsets, index: Int32Array.from(index), value: Float32Array.from(value) };
}

/** The default embedder of Semantic-Similarity: sparse expanded TF-IDF vectors. */
export function termExpansionEmbedder(o: ExpansionOptions = {}): TextEmbedder {
  return {
    name: 'term-expansion',
    async embed(texts: readonly ItemText[], signal?: AbortSignal) {
      return { kind: 'sparse', matrix: await expandedVectors(tfidfMatrix(texts, o), o, signal) };
    },
  };
}
