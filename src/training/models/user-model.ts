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
import { indexOf } from './common.ts';
import type { ItemGraph } from './item-graph.ts';
import { HISTORY_CAP, Scorer, type RunState, type ScoringParams } from './user-scorer.ts';

// Where the other modules have always found them.
export { HISTORY_CAP, Scorer, type RunState, type ScoringParams };

export class UserModel implements Model {
  private readonly index: Map<string, number>;
  private readonly scorer: Scorer;
  /** The history the scorer last ran for, and that run's log partition once computed. */
  private lastRun: string[] | undefined;
  private lastLogZ: number | undefined;

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

  /**
   * Runs the scorer for the history, unless its last run was for the same one: serving asks for
   * a user's list, more of it when a filter drops items, then the scores of items it explores,
   * all for one history. Every run of the scorer goes through here.
   */
  private prepare(history: string[]): void {
    const last = this.lastRun;
    if (last && last.length === history.length && last.every((id, i) => id === history[i])) return;
    this.scorer.run(this.indexes(history), this.params);
    this.lastRun = history.slice();
    this.lastLogZ = undefined;
  }

  private logPartition(): number {
    return (this.lastLogZ ??= this.scorer.logPartition(this.params));
  }

  recommend(q: RecommendQuery): Scored[] {
    const p = this.params;
    this.prepare(q.history);
    const ex = q.exclude;
    const { items, scores } = this.scorer.top(q.k, p, ex && ex.size ? (j) => ex.has(this.itemIds[j]) : undefined);
    const logZ = this.logPartition();
    return items.map((j, r) => ({
      item: this.itemIds[j],
      score: scores[r] === -Infinity ? 0 : Math.exp(p.temperature * scores[r] - logZ),
    }));
  }

  rank(history: string[], items: string[]): Scored[] {
    const p = this.params;
    this.prepare(history);
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

  /**
   * recommend()'s scores of these items for the history (the softmax over the catalog), for items
   * placed by something other than the model's ranking (serving's exploration); undefined for an
   * item the model does not know.
   */
  scoresOf(history: string[], items: readonly string[]): (number | undefined)[] {
    const p = this.params;
    this.prepare(history);
    const logZ = this.logPartition();
    return items.map((item) => {
      const j = this.index.get(item);
      if (j === undefined) return undefined;
      const f = this.scorer.final(j, p);
      return f === -Infinity ? 0 : Math.exp(p.temperature * f - logZ);
    });
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
