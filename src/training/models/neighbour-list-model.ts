// The model of the related-items recipes: each item's ranked neighbours (rows of a sparse
// matrix) and the popularity ranking that fills a list when an item has too few neighbours or is
// unknown (rule 82). SIMS and Similar-Items learn different neighbours and answer alike, so they
// share this class: recommend, neighbours, and the artifact's sections.
//
// Artifact sections (artifact.ts): "itemIds" json string[]; "offsets" i32 [items + 1] (item i's
// neighbours are entries offsets[i] .. offsets[i+1]-1); "nbr" i32 neighbour item index; "score"
// f32 the neighbour's score; "popular" i32 item indexes, most popular first. `meta` is the
// recipe's own (each recipe's file documents it).
import type { Model, RecommendQuery, Scored } from '../trainer.ts';
import { jsonSection, readArtifact, section, writeArtifact } from './artifact.ts';
import { indexOf } from './common.ts';

export class NeighbourListModel implements Model {
  private readonly index: Map<string, number>;
  constructor(
    readonly recipe: string,
    readonly itemIds: string[],
    readonly offsets: Int32Array,
    readonly nbr: Int32Array,
    readonly score: Float32Array,
    readonly popular: Int32Array,
    /** Written into the artifact's meta as given. */
    readonly meta: Record<string, unknown>,
  ) {
    this.index = indexOf(itemIds);
  }

  /** The anchor's neighbours in order (the query's item, else the newest of the history), then popular items; no scores. */
  recommend(q: RecommendQuery): Scored[] {
    const anchor = q.itemId ?? q.history[q.history.length - 1];
    const i = anchor === undefined ? undefined : this.index.get(anchor);
    const taken = new Set<string>(anchor === undefined ? [] : [anchor]);
    const out: Scored[] = [];
    const push = (j: number) => {
      const id = this.itemIds[j];
      if (out.length < q.k && !taken.has(id) && !q.exclude?.has(id)) (taken.add(id), out.push({ item: id }));
    };
    if (i !== undefined) for (let e = this.offsets[i]; e < this.offsets[i + 1]; e++) push(this.nbr[e]);
    for (let r = 0; r < this.popular.length && out.length < q.k; r++) push(this.popular[r]);
    return out;
  }

  /** The neighbours of an item with their scores (for tests and inspection). */
  neighbours(itemId: string): Scored[] {
    const i = this.index.get(itemId);
    if (i === undefined) return [];
    const out: Scored[] = [];
    for (let e = this.offsets[i]; e < this.offsets[i + 1]; e++) out.push({ item: this.itemIds[this.nbr[e]], score: this.score[e] });
    return out;
  }

  serialize(): Buffer {
    return writeArtifact(this.recipe, this.meta, {
      itemIds: { json: this.itemIds },
      offsets: this.offsets,
      nbr: this.nbr,
      score: this.score,
      popular: this.popular,
    });
  }

  /** The model a recipe's artifact holds (the recipe in its header must be `recipe`). */
  static load(artifact: Buffer, recipe: string): NeighbourListModel {
    const a = readArtifact(artifact, recipe);
    return new NeighbourListModel(
      recipe,
      jsonSection<string[]>(a, 'itemIds'),
      section(a, 'offsets', Int32Array),
      section(a, 'nbr', Int32Array),
      section(a, 'score', Float32Array),
      section(a, 'popular', Int32Array),
      a.meta,
    );
  }
}
