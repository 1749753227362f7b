// aws-semantic-similarity: items related to a given item by the meaning of their text
// (training-rules.md §1.3, §1.4): the Items dataset's `itemName` field, its textual field(s) and
// its categorical values become one text per item, a TextEmbedder (text-embedding.ts; by default
// the catalog-learned term expansion of term-expansion.ts) turns the texts into vectors, and an
// item's neighbours are the items whose vectors have the highest cosine with its own. No
// hyperparameters (none are documented). No scores in the answer, as for the other related-items
// recipes (rule 94 [INF]: AWS documents none for this one).
//
// rankingInfluence (campaign or batch configuration, rule 61): { POPULARITY, FRESHNESS } in
// [0, 1], both 0 by default. [INF] what a weight does: the 4·k (at least 100) most similar items
// are re-ranked by  cos / cos_best + P · popularity + F · freshness,  where popularity is
// ln(1 + users) / ln(1 + the most users of an item) from the Interactions data of the training,
// and freshness the item's CREATION_TIMESTAMP placed between the oldest (0) and the newest (1) of
// the catalog; an item without one has 0. So a weight reorders the similar items and never
// brings in an unrelated one. Both are computed at training, as AWS documents.
// An item the model does not know (not in the Items data at training) and the places after the
// last item with a positive cosine get the items by popularity, then freshness.
//
// Artifact (artifact.ts): recipe "aws-semantic-similarity", meta { embedder, kind, cols | dimensions };
// sections "itemIds" json (the catalog), "popularity" f32 and "created" f64 (NaN: none) per item,
// "fallback" i32 (item indexes in fallback order), and the vectors: "offsets" i32, "index" i32,
// "value" f32 (kind "sparse", rows of a Csr with `cols` columns) or "vectors" f32 (kind "dense").
import type { Model, RecommendQuery, Scored, Trainer, TrainingData } from '../trainer.ts';
import { jsonSection, readArtifact, section, writeArtifact, type Section } from './artifact.ts';
import { histories, indexOf, topK, uniqueUserPopularity } from './common.ts';
import { columnValues, metadataColumns } from './item-metadata.ts';
import type { Csr } from './randomized-svd.ts';
import { termExpansionEmbedder } from './term-expansion.ts';
import type { ItemText, ItemVectors, TextEmbedder } from './text-embedding.ts';

export const SEMANTIC_SIMILARITY_RECIPE = 'aws-semantic-similarity';
const RECIPE = SEMANTIC_SIMILARITY_RECIPE;
const RERANKED = 100;

/** The campaign's (or batch job's) rankingInfluence weights. */
export interface RankingInfluence {
  popularity: number;
  freshness: number;
}

/** The catalog's item IDs (sorted) and their texts: the itemName field, the textual fields, the categorical values. */
export function itemTexts(data: Pick<TrainingData, 'items' | 'itemFields'>): { ids: string[]; texts: ItemText[] } {
  const rows = data.items ?? new Map();
  const ids = [...rows.keys()].sort();
  const nameField = data.itemFields?.find((f) => f.itemName)?.name;
  const columns = metadataColumns(data).filter((c) => c.name !== nameField);
  const texts = ids.map((id) => {
    const row = rows.get(id)!;
    const name = nameField !== undefined && typeof row[nameField] === 'string' ? (row[nameField] as string) : '';
    const text = columns
      .filter((c) => c.kind === 'textual' && typeof row[c.name] === 'string')
      .map((c) => row[c.name] as string)
      .join(' ');
    const tags = columns.filter((c) => c.kind === 'categorical').flatMap((c) => columnValues(row[c.name], c.kind));
    return { name, text, tags };
  });
  return { ids, texts };
}

/** Inverted postings of a sparse matrix: column c's rows are postRow[postOffsets[c] .. postOffsets[c+1]-1]. */
function postingsOf(m: Csr): { postOffsets: Int32Array; postRow: Int32Array; postValue: Float32Array } {
  const postOffsets = new Int32Array(m.cols + 1);
  for (let e = 0; e < m.index.length; e++) postOffsets[m.index[e] + 1]++;
  for (let c = 0; c < m.cols; c++) postOffsets[c + 1] += postOffsets[c];
  const fill = postOffsets.slice(0, m.cols);
  const postRow = new Int32Array(m.index.length);
  const postValue = new Float32Array(m.index.length);
  for (let r = 0; r < m.rows; r++) {
    for (let e = m.offsets[r]; e < m.offsets[r + 1]; e++) {
      const p = fill[m.index[e]]++;
      postRow[p] = r;
      postValue[p] = m.value[e];
    }
  }
  return { postOffsets, postRow, postValue };
}

export class SemanticSimilarityModel implements Model {
  readonly recipe = RECIPE;
  private readonly index: Map<string, number>;
  private readonly postings?: ReturnType<typeof postingsOf>;
  private readonly scores: Float64Array;

  constructor(
    readonly itemIds: string[],
    readonly vectors: ItemVectors,
    readonly popularity: Float32Array,
    readonly created: Float64Array,
    readonly fallback: Int32Array,
    readonly embedder: string,
    private readonly influence: RankingInfluence = { popularity: 0, freshness: 0 },
  ) {
    this.index = indexOf(itemIds);
    if (vectors.kind === 'sparse') this.postings = postingsOf(vectors.matrix);
    this.scores = new Float64Array(itemIds.length);
  }

  /** The same model, ranking with these rankingInfluence weights. */
  withRankingInfluence(influence: RankingInfluence): SemanticSimilarityModel {
    const m = Object.create(SemanticSimilarityModel.prototype) as SemanticSimilarityModel;
    return Object.assign(m, this, { influence });
  }

  /** Cosines of item i with every item (into this.scores). */
  private similarities(i: number): Float64Array {
    const s = this.scores;
    s.fill(0);
    const v = this.vectors;
    if (v.kind === 'sparse') {
      const { matrix } = v;
      const { postOffsets, postRow, postValue } = this.postings!;
      for (let e = matrix.offsets[i]; e < matrix.offsets[i + 1]; e++) {
        const c = matrix.index[e];
        const w = matrix.value[e];
        for (let p = postOffsets[c]; p < postOffsets[c + 1]; p++) s[postRow[p]] += w * postValue[p];
      }
    } else {
      const d = v.dimensions;
      for (let j = 0; j < this.itemIds.length; j++) {
        let dot = 0;
        for (let k = 0; k < d; k++) dot += v.vectors[i * d + k] * v.vectors[j * d + k];
        s[j] = dot;
      }
    }
    s[i] = -Infinity;
    return s;
  }

  /** Item indexes by similarity to i, best first, only positive cosines, at most `k` (re-ranked by rankingInfluence). */
  private neighbours(i: number, k: number): number[] {
    const s = this.similarities(i);
    const { popularity: p, freshness: f } = this.influence;
    const influenced = p > 0 || f > 0;
    const want = influenced ? Math.max(4 * k, RERANKED) : k;
    const top = Array.from(topK(s, Math.min(want, s.length))).filter((j) => s[j] > 0);
    if (!influenced || top.length === 0) return top.slice(0, k);
    const best = s[top[0]];
    const [lo, hi] = this.createdRange();
    const fresh = (j: number) => (Number.isNaN(this.created[j]) || hi <= lo ? 0 : (this.created[j] - lo) / (hi - lo));
    const value = (j: number) => s[j] / best + p * this.popularity[j] + f * fresh(j);
    return top
      .map((j) => [j, value(j)] as const)
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, k)
      .map(([j]) => j);
  }

  private range: [number, number] | undefined;
  private createdRange(): [number, number] {
    if (!this.range) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const t of this.created) if (!Number.isNaN(t)) ((lo = Math.min(lo, t)), (hi = Math.max(hi, t)));
      this.range = [lo, hi];
    }
    return this.range;
  }

  /** The query item's neighbours (the newest history item when no itemId is given), then the fallback order. */
  recommend(q: RecommendQuery): Scored[] {
    const anchor = q.itemId ?? q.history[q.history.length - 1];
    const i = anchor === undefined ? undefined : this.index.get(anchor);
    const taken = new Set<string>(anchor === undefined ? [] : [anchor]);
    const out: Scored[] = [];
    const push = (j: number) => {
      const id = this.itemIds[j];
      if (out.length < q.k && !taken.has(id) && !q.exclude?.has(id)) (taken.add(id), out.push({ item: id }));
    };
    if (i !== undefined) for (const j of this.neighbours(i, q.k + (q.exclude?.size ?? 0))) push(j);
    for (let r = 0; r < this.fallback.length && out.length < q.k; r++) push(this.fallback[r]);
    return out;
  }

  serialize(): Buffer {
    const v = this.vectors;
    const vectorSections: Record<string, Section> =
      v.kind === 'sparse' ? { offsets: v.matrix.offsets, index: v.matrix.index, value: v.matrix.value } : { vectors: v.vectors };
    const shape = v.kind === 'sparse' ? { cols: v.matrix.cols } : { dimensions: v.dimensions };
    return writeArtifact(
      RECIPE,
      { embedder: this.embedder, kind: v.kind, ...shape },
      {
        itemIds: { json: this.itemIds },
        popularity: this.popularity,
        created: this.created,
        fallback: this.fallback,
        ...vectorSections,
      },
    );
  }

  static load(artifact: Buffer): SemanticSimilarityModel {
    const a = readArtifact(artifact, RECIPE);
    const itemIds = jsonSection<string[]>(a, 'itemIds');
    const vectors: ItemVectors =
      a.meta.kind === 'sparse'
        ? {
            kind: 'sparse',
            matrix: {
              rows: itemIds.length,
              cols: Number(a.meta.cols),
              offsets: section(a, 'offsets', Int32Array),
              index: section(a, 'index', Int32Array),
              value: section(a, 'value', Float32Array),
            },
          }
        : { kind: 'dense', dimensions: Number(a.meta.dimensions), vectors: section(a, 'vectors', Float32Array) };
    return new SemanticSimilarityModel(
      itemIds,
      vectors,
      section(a, 'popularity', Float32Array),
      section(a, 'created', Float64Array),
      section(a, 'fallback', Int32Array),
      String(a.meta.embedder),
    );
  }
}

/** Trains on the Items texts with `embedder` (the term expansion unless another is given). */
export async function trainSemanticSimilarity(
  data: TrainingData,
  embedder: TextEmbedder = termExpansionEmbedder(),
  signal?: AbortSignal,
): Promise<SemanticSimilarityModel> {
  const { ids, texts } = itemTexts(data);
  const vectors = await embedder.embed(texts, signal);
  const index = indexOf(ids);
  // Popularity: distinct users per item in the interactions, log-scaled into [0, 1].
  const users = new Float32Array(ids.length);
  if (data.item.length > 0) {
    const pop = uniqueUserPopularity(data, histories(data));
    data.itemIds.forEach((id, j) => {
      const i = index.get(id);
      if (i !== undefined) users[i] = pop[j];
    });
  }
  const most = users.reduce((m, x) => Math.max(m, x), 0);
  const popularity = Float32Array.from(users, (x) => (most > 0 ? Math.log1p(x) / Math.log1p(most) : 0));
  const created = Float64Array.from(ids, (id) => {
    const v = data.items!.get(id)!.CREATION_TIMESTAMP;
    return typeof v === 'number' && Number.isFinite(v) ? v : NaN;
  });
  const age = (i: number) => (Number.isNaN(created[i]) ? -Infinity : created[i]);
  const fallback = Int32Array.from(ids.map((_, i) => i).sort((a, b) => users[b] - users[a] || age(b) - age(a) || a - b));
  return new SemanticSimilarityModel(ids, vectors, popularity, created, fallback, embedder.name);
}

export const semanticSimilarityTrainer: Trainer = {
  recipe: RECIPE,
  train: (data, _hp, signal) => trainSemanticSimilarity(data, termExpansionEmbedder(), signal),
  load: (artifact) => SemanticSimilarityModel.load(artifact),
};
