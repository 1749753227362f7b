// Item text to vectors for the Semantic-Similarity recipe, behind one small interface
// (TextEmbedder) so that a pretrained embedding model can replace the built-in method where one
// is available: an embedder maps every item's text to a vector — dense (a model's embeddings) or
// sparse (the built-in method) — L2-normalised, and the recipe ranks neighbours by the cosine.
//
// No model weights can be fetched at run time here, and the npm packages found for text embeddings
// download their weights at run time, so the methods here learn from the catalog itself. They share the terms:
//  * word tokens (item-metadata.ts' tokenizer), reduced by a light English suffix stemmer so that
//    "running", "runs" and "run" are one term; a word that fewer than 2 items use (a rare word or
//    a typo) is read as the vocabulary word that shares most of its character 3-grams (Dice ≥ 0.6:
//    "chocolte" is read as "chocolate"), else as its hashed 4-grams (fastText-style subwords, so
//    that two rare spellings of one word still meet);
//  * the item name counts twice, the textual description and categorical values once;
//    (1 + ln tf) · idf, rows L2-normalised: the TF-IDF matrix X (items × terms).
// Then:
//  * termExpansionEmbedder (term-expansion.ts, the default): each item's vector is expanded with
//    the terms most related to its own terms, relatedness learned from the catalog — so items
//    that describe one topic in different words (synonyms) become similar;
//  * lsaEmbedder: latent semantic analysis (X's truncated SVD, randomized-svd.ts), dense. Kept as
//    the dense path's built-in embedder and as a reference: it needs more dimensions than the
//    catalog has topics, which costs too much here (figures in bench/training/semantic-quality.ts).
import { tokenize } from './item-metadata.ts';
import { randomizedSvd, type Csr } from './randomized-svd.ts';

/** One item's text, split by the role its field plays. */
export interface ItemText {
  /** The `itemName` field: the title. */
  name: string;
  /** The textual fields: the description. */
  text: string;
  /** Categorical values and other short strings. */
  tags: string[];
}

/** One L2-normalised vector per item (all zeros for an item without text), in the catalog's order. */
export type ItemVectors =
  | {
      kind: 'dense';
      dimensions: number;
      /** Row-major items × dimensions. */
      vectors: Float32Array;
    }
  | { kind: 'sparse'; matrix: Csr };

/** What turns the catalog's texts into vectors: a built-in method, or a pretrained model plugged in. */
export interface TextEmbedder {
  /** Recorded in the model's artifact, e.g. "term-expansion" or "lsa-64". */
  readonly name: string;
  embed(texts: readonly ItemText[], signal?: AbortSignal): Promise<ItemVectors>;
}

const SUFFIXES: [string, string][] = [
  ['ational', 'ate'],
  ['ization', 'ize'],
  ['fulness', 'ful'],
  ['iveness', 'ive'],
  ['ousness', 'ous'],
  ['nesses', ''],
  ['ments', ''],
  ['ment', ''],
  ['ness', ''],
  ['ings', ''],
  ['ing', ''],
  ['edly', ''],
  ['ied', 'y'],
  ['ies', 'y'],
  ['ers', ''],
  ['er', ''],
  ['ed', ''],
  ['ly', ''],
  ['sses', 'ss'],
  ['es', ''],
  ['s', ''],
];
const LATIN = /^[a-z]+$/;

/** A light English suffix stemmer: consistent rather than linguistically exact (both sides of a comparison get the same stem). */
export function stem(word: string): string {
  if (word.length <= 3 || !LATIN.test(word)) return word;
  for (const [suffix, replacement] of SUFFIXES) {
    if (!word.endsWith(suffix)) continue;
    if (suffix === 's' && /(ss|us|is)$/.test(word)) return word;
    let base = word.slice(0, word.length - suffix.length) + replacement;
    if (base.length < 3) return word;
    // running -> runn -> run; but keep "ll", "ss", "zz" (falling -> fall).
    if (/([b-df-hj-np-rtv-y])\1$/.test(base)) base = base.slice(0, -1);
    return base;
  }
  return word;
}

const SUBWORD_BUCKETS = 1 << 14;

/** FNV-1a of a string, for the subword buckets. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The character n-grams of `<word>` (the whole marked word when shorter). */
function grams(word: string, n: number): string[] {
  const marked = `<${word}>`;
  if (marked.length <= n) return [marked];
  const out: string[] = [];
  for (let i = 0; i + n <= marked.length; i++) out.push(marked.slice(i, i + n));
  return out;
}

/** A rare word's stand-in: the vocabulary word with the most similar 3-grams (Dice ≥ MIN_SPELLING), else its hashed 4-grams. */
class RareWords {
  private readonly byGram = new Map<string, string[]>();
  private readonly gramSet = new Map<string, Set<string>>();

  constructor(vocabulary: Iterable<string>) {
    for (const word of vocabulary) {
      if (word.length < MIN_SPELLING_LENGTH) continue;
      const g = new Set(grams(word, 3));
      this.gramSet.set(word, g);
      for (const x of g) (this.byGram.get(x) ?? this.byGram.set(x, []).get(x)!).push(word);
    }
  }

  /** The terms (with their share of the word's weight) that stand for a word outside the vocabulary. */
  standIn(word: string): [string, number][] {
    if (word.length >= MIN_SPELLING_LENGTH) {
      const own = new Set(grams(word, 3));
      // Candidates share at least 2 of the word's less common 3-grams; then their exact Dice.
      const shared = new Map<string, number>();
      for (const g of own) {
        const list = this.byGram.get(g);
        if (list && list.length <= MAX_GRAM_WORDS) for (const v of list) shared.set(v, (shared.get(v) ?? 0) + 1);
      }
      let best: string | undefined;
      let bestDice = MIN_SPELLING;
      for (const [v, n] of shared) {
        if (n < 2) continue;
        const theirs = this.gramSet.get(v)!;
        let common = 0;
        for (const g of own) if (theirs.has(g)) common++;
        const dice = (2 * common) / (own.size + theirs.size);
        if (dice > bestDice || (dice === bestDice && best !== undefined && v < best)) ((best = v), (bestDice = dice));
      }
      if (best !== undefined) return [[best, 1]];
    }
    const sub = [...new Set(grams(word, 4))];
    return sub.map((g) => [`#${hash(g) % SUBWORD_BUCKETS}`, 1 / sub.length]);
  }
}

/** 3-grams more vocabulary words than this contain propose no candidates (too common to tell words apart). */
const MAX_GRAM_WORDS = 300;
/** A misspelt or inflected rare word is read as a vocabulary word when this share of their 3-grams agree (Dice). */
const MIN_SPELLING = 0.6;
const MIN_SPELLING_LENGTH = 5;

export interface TermOptions {
  /** Apply the stemmer (default true). */
  stem?: boolean;
  /** Read words fewer than 2 items use as the vocabulary word they are closest to in spelling, else as their hashed character 4-grams (default true). */
  subwords?: boolean;
  /** The most distinct words kept as terms (by document frequency); the rest become subwords. */
  maxVocabulary?: number;
}

/** The weighted terms of each item: name tokens twice, description and tags once. */
function bags(texts: readonly ItemText[], o: TermOptions): Map<string, number>[] {
  const words = texts.map((t) => {
    const bag = new Map<string, number>();
    const add = (text: string, w: number) => {
      for (const token of tokenize(text)) {
        const term = o.stem === false ? token : stem(token);
        bag.set(term, (bag.get(term) ?? 0) + w);
      }
    };
    add(t.name, 2);
    add(t.text, 1);
    for (const tag of t.tags) add(tag, 1);
    return bag;
  });
  if (o.subwords === false && o.maxVocabulary === undefined) return words;
  const df = new Map<string, number>();
  for (const bag of words) for (const term of bag.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const kept = new Set(
    [...df]
      .filter(([, d]) => d >= 2)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, o.maxVocabulary ?? Infinity)
      .map(([term]) => term),
  );
  const rare = o.subwords === false ? undefined : new RareWords(kept);
  return words.map((bag) => {
    const out = new Map<string, number>();
    for (const [term, w] of bag) {
      if (kept.has(term)) out.set(term, (out.get(term) ?? 0) + w);
      else if (rare) for (const [t, share] of rare.standIn(term)) out.set(t, (out.get(t) ?? 0) + w * share);
    }
    return out;
  });
}

/** The TF-IDF matrix of the texts (items × terms), rows L2-normalised; terms only one item has are dropped. */
export function tfidfMatrix(texts: readonly ItemText[], o: TermOptions = {}): Csr {
  const perItem = bags(texts, o);
  const df = new Map<string, number>();
  for (const bag of perItem) for (const term of bag.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const ids = new Map<string, number>();
  for (const [term, d] of [...df].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (d >= 2) ids.set(term, ids.size);
  const n = texts.length;
  const offsets = new Int32Array(n + 1);
  const index: number[] = [];
  const value: number[] = [];
  for (let r = 0; r < n; r++) {
    const entries: [number, number][] = [];
    let norm = 0;
    for (const [term, tf] of perItem[r]) {
      const id = ids.get(term);
      if (id === undefined) continue;
      // Sublinear tf; a fractional tf (a subword's share of a word) counts linearly.
      const w = (tf >= 1 ? 1 + Math.log(tf) : tf) * (Math.log((n + 1) / (df.get(term)! + 1)) + 1);
      entries.push([id, w]);
      norm += w * w;
    }
    entries.sort((a, b) => a[0] - b[0]);
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (const [id, w] of entries) (index.push(id), value.push(w * inv));
    offsets[r + 1] = index.length;
  }
  return { rows: n, cols: ids.size, offsets, index: Int32Array.from(index), value: Float32Array.from(value) };
}

/** L2-normalises each row of a row-major matrix in place. */
export function normalizeRows(v: Float32Array, dims: number): void {
  for (let o = 0; o < v.length; o += dims) {
    let s = 0;
    for (let j = 0; j < dims; j++) s += v[o + j] * v[o + j];
    if (s === 0) continue;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < dims; j++) v[o + j] *= inv;
  }
}

export interface LsaOptions extends TermOptions {
  /** Target dimensions (lowered for small catalogs). Default 64. */
  dimensions?: number;
  /** Σ's exponent in U Σ^α. Default 1 (classic LSA document vectors). */
  alpha?: number;
  seed?: number;
}

/** The built-in embedder: LSA over the catalog's own TF-IDF matrix (see the header). */
export function lsaEmbedder(o: LsaOptions = {}): TextEmbedder {
  const target = o.dimensions ?? 64;
  return {
    name: `lsa-${target}`,
    async embed(texts, signal) {
      const x = tfidfMatrix(texts, o);
      if (x.cols === 0 || x.rows < 2) return { kind: 'dense', dimensions: 1, vectors: new Float32Array(texts.length) };
      // Fewer dimensions than items and terms, or the SVD only reproduces the TF-IDF space.
      const k = Math.max(1, Math.min(target, Math.floor(Math.min(x.rows, x.cols) / 2)));
      const svd = await randomizedSvd(x, k, { seed: o.seed ?? 7, signal });
      const alpha = o.alpha ?? 1;
      const scale = Float64Array.from(svd.s, (s) => s ** alpha);
      const vectors = svd.u;
      for (let r = 0; r < x.rows; r++) for (let j = 0; j < svd.k; j++) vectors[r * svd.k + j] *= scale[j];
      normalizeRows(vectors, svd.k);
      return { kind: 'dense', dimensions: svd.k, vectors };
    },
  };
}
