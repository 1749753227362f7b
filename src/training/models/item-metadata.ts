// Items metadata as the metadata-aware trainers use it (Similar-Items, Item-Attribute-Affinity):
// which columns are categorical, textual or plain; categorical values (`|`-separated parts);
// tokens of textual values; sparse TF-IDF feature vectors with an inverted index; and the index
// from attribute values to items.
//
// Column kinds come from the Items schema (TrainingData.itemFields: the `categorical` / `textual`
// flags). Without it (hand-built TrainingData) they are inferred [INF]: a string column whose
// values average more than 6 tokens, or any over 200 characters, is textual, another string column
// categorical, numbers and booleans plain. Reserved columns (CREATION_TIMESTAMP) are no features.
import type { ItemField, TrainingData } from '../trainer.ts';

export type ColumnKind = 'categorical' | 'textual' | 'plain';

export interface Column {
  name: string;
  kind: ColumnKind;
}

const RESERVED = new Set(['ITEM_ID', 'CREATION_TIMESTAMP']);
type Row = Record<string, string | number | boolean | null>;

/** The metadata columns of the data, in schema (or first-seen) order, reserved ones left out. */
export function metadataColumns(data: Pick<TrainingData, 'items' | 'itemFields'>): Column[] {
  if (!data.items) return [];
  if (data.itemFields) {
    return data.itemFields
      .filter((f) => !RESERVED.has(f.name.toUpperCase()))
      .map((f: ItemField) => ({ name: f.name, kind: f.textual ? 'textual' : f.categorical ? 'categorical' : 'plain' }));
  }
  const stats = new Map<string, { strings: number; tokens: number; long: boolean; other: boolean }>();
  for (const row of data.items.values()) {
    for (const [name, v] of Object.entries(row)) {
      if (RESERVED.has(name.toUpperCase())) continue;
      let s = stats.get(name);
      if (!s) stats.set(name, (s = { strings: 0, tokens: 0, long: false, other: false }));
      if (typeof v === 'string') {
        s.strings++;
        s.tokens += tokenize(v).length;
        if (v.length > 200) s.long = true;
      } else if (v !== null) s.other = true;
    }
  }
  return [...stats].map(([name, s]) => ({
    name,
    kind: s.strings === 0 || s.other ? 'plain' : s.long || s.tokens / s.strings > 6 ? 'textual' : 'categorical',
  }));
}

/** The values an item has in a non-textual column: a categorical value's `|` parts (trimmed, empty ones dropped), else the value as text. */
export function columnValues(v: string | number | boolean | null | undefined, kind: ColumnKind): string[] {
  if (v === null || v === undefined) return [];
  if (kind === 'categorical' && typeof v === 'string') {
    const parts: string[] = [];
    for (const p of v.split('|')) {
      const t = p.trim();
      if (t && !parts.includes(t)) parts.push(t);
    }
    return parts;
  }
  const s = String(v).trim();
  return s ? [s] : [];
}

const STOPWORDS = new Set(
  (
    'a an and are as at be but by for from has have he her his i if in into is it its of on or our she so than that the their them ' +
    'then there these they this to was we were what when which who will with you your'
  ).split(' '),
);
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * Lower-cased word tokens of a text (runs of letters and digits), without one-character tokens and
 * common English words; a run of Chinese, Japanese or Korean characters gives its character bigrams.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const run of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (!run) continue;
    if (CJK.test(run)) {
      const chars = [...run];
      if (chars.length === 1) out.push(run);
      for (let k = 0; k + 1 < chars.length; k++) out.push(chars[k] + chars[k + 1]);
    } else if (run.length > 1 && !STOPWORDS.has(run)) out.push(run);
  }
  return out;
}

/** Sparse item feature vectors, rows L2-normalized, with an inverted index (feature → items). */
export interface FeatureMatrix {
  /** Item r's features are entries offsets[r] .. offsets[r+1]-1. */
  offsets: Int32Array;
  feature: Int32Array;
  value: Float32Array;
  /** Feature f's items are postings postOffsets[f] .. postOffsets[f+1]-1, in the order `postingOrder` gave. */
  postOffsets: Int32Array;
  postItem: Int32Array;
  postValue: Float32Array;
}

/**
 * Row i's dot products with the other rows into acc (touched lists them); returns their count.
 * Its features are walked heaviest first, each feature's postings up to postingCap, and at most
 * `budget` posting steps in all (a value half the catalog shares says little, and its IDF is low).
 */
export function metadataRow(
  m: FeatureMatrix,
  i: number,
  acc: Float64Array,
  touched: Int32Array,
  limits: { postingCap: number; budget: number },
): number {
  const feats: number[] = [];
  for (let e = m.offsets[i]; e < m.offsets[i + 1]; e++) feats.push(e);
  feats.sort((a, b) => m.value[b] - m.value[a] || a - b);
  let t = 0;
  let budget = limits.budget;
  for (const e of feats) {
    if (budget <= 0) break;
    const f = m.feature[e];
    const v = m.value[e];
    const end = Math.min(m.postOffsets[f + 1], m.postOffsets[f] + Math.min(limits.postingCap, budget));
    budget -= end - m.postOffsets[f];
    for (let p = m.postOffsets[f]; p < end; p++) {
      const j = m.postItem[p];
      if (j === i) continue;
      if (acc[j] === 0) touched[t++] = j;
      acc[j] += v * m.postValue[p];
    }
  }
  return t;
}

/**
 * TF-IDF vectors of the given items' metadata: each categorical value is a feature `column=value`
 * with weight idf, each textual token one with (1 + ln tf)·idf, idf = ln((N + 1) / (df + 1)) + 1
 * over the N items with metadata. Each column's block is L2-normalized and the blocks are
 * concatenated and normalized again, so the dot product of two rows is the mean of their per-column
 * cosines over the columns both have (up to the normalization of the number of blocks). Features
 * only one item has cannot make two items similar: they count in the norms but are not kept.
 * Postings are sorted by `rank` (lower first), so that a capped walk over a common feature sees
 * the preferred items (Similar-Items passes popularity).
 */
export function featureMatrix(rows: readonly (Row | undefined)[], columns: readonly Column[], rank: (r: number) => number): FeatureMatrix {
  const n = rows.length;
  const ids = new Map<string, number>();
  const df: number[] = [];
  const perItem: Map<number, number>[][] = []; // per item, per column block: feature → raw tf
  let withMeta = 0;
  for (let r = 0; r < n; r++) {
    const row = rows[r];
    const blocks: Map<number, number>[] = [];
    if (row) {
      for (const col of columns) {
        if (col.kind === 'plain') continue;
        const terms =
          col.kind === 'textual'
            ? typeof row[col.name] === 'string'
              ? tokenize(row[col.name] as string)
              : []
            : columnValues(row[col.name], col.kind);
        if (terms.length === 0) continue;
        const block = new Map<number, number>();
        for (const t of terms) {
          const key = `${col.name}\u0000${t}`;
          let f = ids.get(key);
          if (f === undefined) ((f = ids.size), ids.set(key, f), df.push(0));
          if (!block.has(f)) df[f]++;
          block.set(f, (block.get(f) ?? 0) + 1);
        }
        blocks.push(block);
      }
    }
    if (blocks.length) withMeta++;
    perItem.push(blocks);
  }
  const idf = df.map((d) => Math.log((withMeta + 1) / (d + 1)) + 1);
  const offsets = new Int32Array(n + 1);
  const feature: number[] = [];
  const value: number[] = [];
  for (let r = 0; r < n; r++) {
    const blocks = perItem[r];
    const entries: [number, number][] = [];
    for (const block of blocks) {
      let norm = 0;
      const weighted: [number, number][] = [];
      for (const [f, tf] of block) {
        const w = (1 + Math.log(tf)) * idf[f];
        norm += w * w;
        weighted.push([f, w]);
      }
      const inv = 1 / Math.sqrt(norm * blocks.length);
      for (const [f, w] of weighted) if (df[f] >= 2) entries.push([f, w * inv]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    for (const [f, w] of entries) (feature.push(f), value.push(w));
    offsets[r + 1] = feature.length;
  }
  const nf = df.length;
  const postOffsets = new Int32Array(nf + 1);
  for (const f of feature) postOffsets[f + 1]++;
  for (let f = 0; f < nf; f++) postOffsets[f + 1] += postOffsets[f];
  const order = Array.from({ length: n }, (_, r) => r).sort((a, b) => rank(a) - rank(b) || a - b);
  const postItem = new Int32Array(feature.length);
  const postValue = new Float32Array(feature.length);
  const fill = postOffsets.slice(0, nf);
  for (const r of order) {
    for (let e = offsets[r]; e < offsets[r + 1]; e++) {
      const p = fill[feature[e]]++;
      postItem[p] = r;
      postValue[p] = value[e];
    }
  }
  return { offsets, feature: Int32Array.from(feature), value: Float32Array.from(value), postOffsets, postItem, postValue };
}

/** The key of an attribute value in attribute indexes: the column name upper-cased (names match in any case), NUL, the value. */
export function attributeKey(name: string, value: string): string {
  return `${name.toUpperCase()}\u0000${value}`;
}

/**
 * For the non-textual columns (or only the categorical ones, with `categoricalOnly`): attribute
 * key → indexes (into itemIds) of the items with that value, ascending. Items without metadata are
 * in no set.
 */
export function attributeIndex(
  data: Pick<TrainingData, 'items' | 'itemFields'>,
  itemIds: readonly string[],
  categoricalOnly = false,
): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const columns = metadataColumns(data).filter((c) => (categoricalOnly ? c.kind === 'categorical' : c.kind !== 'textual'));
  if (!data.items || columns.length === 0) return out;
  for (let i = 0; i < itemIds.length; i++) {
    const row = data.items.get(itemIds[i]);
    if (!row) continue;
    for (const col of columns) {
      for (const v of columnValues(row[col.name], col.kind)) {
        const key = attributeKey(col.name, v);
        let list = out.get(key);
        if (!list) out.set(key, (list = []));
        list.push(i);
      }
    }
  }
  return out;
}
