// The trained model of User-Personalization(-v2) and Personalized-Ranking(-v2): a scoring core
// queried with the user's history, newest items weighted most. Two cores: an RP3beta item graph
// (item-graph.ts, below) for catalogs up to the large-catalog threshold, and item factors from
// implicit ALS with an inverted-file index above it (factor-core.ts, factor-model.ts); both give
// f_j for every item, the best k, and the softmax's partition function, and this class turns
// them into recommend / rank / scoresOf the same way.
//
// The graph core:
// For a history h (oldest first; unknown items ignored; the newest HISTORY_CAP distinct items),
// the r-th newest distinct item gets q_r = exp(−r / decay) (decay = ∞: all 1), and
//     f_j = Σ_i q_i · S_ij / Σ_i q_i  +  popularity · pop_j  +  [j seen] · seen · q_j / Σ_i q_i
// (S: the co-occurrence graph, mixed with the Items metadata's graph when tuning chose a share η
// for it: metadata-graph.ts) — a mixture of the graph walk from the history (a distribution over
// items), the popularity distribution (pop sums to 1) and the history itself (re-consumption) —
// where seen = −∞ ranks already-seen items after all others (right for data without repeats); the
// tuner (user-tuning.ts) picks decay, seen, popularity, β, η and the temperature on held-out users. Users with no known items get the popularity ranking.
// Scores (training-rules §7.4): User-Personalization returns softmax(τ·f) over the whole catalog
// (so all scores sum to 1); rank() returns the softmax over the given known items (rule 93);
// Personalized-Ranking-v2 returns unknown items last without a score, v1 with score 0.
//
// Artifact (see artifact.ts): recipe = the model's recipe. Graph core: meta { params:
// ScoringParams (∞ as null), alpha } (no `kind`); sections
//   "itemIds" json string[]      the catalog; indexes below refer to it
//   "offsets" i32 [items + 1]    item i's neighbours are entries offsets[i] .. offsets[i+1]-1
//   "nbr"     i32 [entries]      neighbour item index
//   "w"       f32 [entries]      S_ij, each row summing to 1
//   "pop"     f32 [items]        pop_j: each item's share of the unique-user interaction mass
//   "popular" i32 [items]        item indexes by popularity, most popular first
// Factor core: meta { kind: "factors", spec: FactorSpec, params: FactorParams (∞ as null) }; sections
//   "itemIds"     json string[]   the catalog, list by list of the index; indexes below refer to it
//   "factors"     f32 [items × k] item i's factors at i·k
//   "gram"        f64 [k × k]     α₀·YᵀY, the fold-in's Gram matrix
//   "centroids"   f32 [lists × k] the index's list means (item-index.ts)
//   "listOffsets" i32 [lists + 1] list c holds items listOffsets[c] .. listOffsets[c+1]-1, in random order
//   "popular"     i32 [items]     item indexes by popularity, most popular first
// Either core, for a solution with an optimizationObjective (objective.ts):
//   "objective"   f32 [items]     b_j, added to item j's logit τ·f_j before ranking and softmax
// and, when the Interactions data had contextual columns, context.ts's sections: a request's
// context adds its own b_j the same way.
import type { ContextCounts, Model, RecommendQuery, Scored } from '../trainer.ts';
import { readArtifact, jsonSection, section, writeArtifact, type Artifact, type Section } from './artifact.ts';
import { ContextTables } from './context.ts';
import { indexOf } from './common.ts';
import { FactorCore, type FactorParams, type FactorSpec } from './factor-core.ts';
import type { ItemGraph } from './item-graph.ts';
import { HISTORY_CAP, Scorer, type RunState, type ScoringParams } from './user-scorer.ts';

// Where the other modules have always found them.
export { HISTORY_CAP, Scorer, type RunState, type ScoringParams };

/** The graph core: the Scorer with its tuned parameters. */
export class GraphCore {
  readonly kind = 'graph';
  private readonly scorer: Scorer;

  constructor(
    readonly graph: ItemGraph,
    readonly pop: Float32Array,
    readonly popular: Int32Array,
    readonly params: ScoringParams,
    readonly alpha: number,
  ) {
    this.scorer = new Scorer(graph, pop, popular);
  }

  run(history: ArrayLike<number>): void {
    this.scorer.run(history, this.params);
  }
  top(k: number, skip?: (j: number) => boolean): { items: number[]; scores: number[] } {
    return this.scorer.top(k, this.params, skip);
  }
  logPartition(): number {
    return this.scorer.logPartition(this.params);
  }
  final(j: number): number {
    return this.scorer.final(j, this.params);
  }
  rankScore(j: number): number {
    return this.scorer.rankScore(j, this.params);
  }
}

export type UserCore = GraphCore | FactorCore;

const finite = (x: number) => (Number.isFinite(x) ? x : null);
const num = (x: unknown, ifNull: number) => (x === null ? ifNull : Number(x));

/** What a request adds to the items' logits: the objective's and the context's b_j, and their largest. */
interface Boost {
  b: Float32Array;
  max: number;
}

/** Contexts whose boosts a model keeps (the least recently used dropped first). */
const MAX_CONTEXT_BOOSTS = 64;

export class UserModel implements Model {
  private readonly index: Map<string, number>;
  /** The history the core last ran for, and that run's log partition (for lastBoost) once computed. */
  private lastRun: string[] | undefined;
  private lastLogZ: number | undefined;
  private lastBoost: Boost | undefined;
  private readonly objectiveBoost: Boost | undefined;
  private readonly contextBoosts = new Map<string, Boost | undefined>();

  constructor(
    readonly recipe: string,
    readonly itemIds: string[],
    readonly core: UserCore,
    /** optimizationObjective's boost of each item's logit (objective.ts); absent without one. */
    readonly objective?: Float32Array,
    /** The contextual columns' tables (context.ts); absent when the data had none. */
    readonly context?: ContextTables,
  ) {
    this.index = indexOf(itemIds);
    this.objectiveBoost = objective && { b: objective, max: objective.reduce((m, b) => Math.max(m, b), 0) };
  }

  /** The same model with these boosts of the items' logits (optimizationObjective). */
  withObjective(boost: Float32Array): UserModel {
    return new UserModel(this.recipe, this.itemIds, this.core, boost, this.context);
  }

  /** The same model with the contextual columns' counts of its training data (indexes into `dataItemIds`). */
  withContext(counts: ContextCounts[] | undefined, dataItemIds: readonly string[]): UserModel {
    const remap = Int32Array.from(dataItemIds, (id) => this.index.get(id) ?? -1);
    const mapped = (counts ?? []).map((c): ContextCounts => {
      const offsets = new Int32Array(c.offsets.length);
      const items: number[] = [];
      const kept: number[] = [];
      for (let v = 0; v + 1 < c.offsets.length; v++) {
        for (let e = c.offsets[v]; e < c.offsets[v + 1]; e++) {
          if (remap[c.items[e]] < 0) continue;
          items.push(remap[c.items[e]]);
          kept.push(c.counts[e]);
        }
        offsets[v + 1] = items.length;
      }
      return { column: c.column, values: c.values, offsets, items: Int32Array.from(items), counts: Float32Array.from(kept) };
    });
    const tables = ContextTables.fromData(mapped, this.itemIds.length);
    return new UserModel(this.recipe, this.itemIds, this.core, this.objective, tables);
  }

  /** The boost of a request with this context: the objective's plus the context's; undefined for none. */
  private boostFor(context: Record<string, string> | undefined): Boost | undefined {
    const known = this.context?.resolve(context) ?? [];
    if (known.length === 0) return this.objectiveBoost;
    const key = JSON.stringify(known);
    if (this.contextBoosts.has(key)) {
      const hit = this.contextBoosts.get(key);
      this.contextBoosts.delete(key);
      this.contextBoosts.set(key, hit);
      return hit;
    }
    const b = this.objective ? Float32Array.from(this.objective) : new Float32Array(this.itemIds.length);
    this.context!.addBoost(b, known);
    const boost = { b, max: b.reduce((m, x) => Math.max(m, x), -Infinity) };
    this.contextBoosts.set(key, boost);
    if (this.contextBoosts.size > MAX_CONTEXT_BOOSTS) this.contextBoosts.delete(this.contextBoosts.keys().next().value!);
    return boost;
  }

  /** The core's tuned parameters (what a refit keeps). */
  get params(): ScoringParams | FactorParams {
    return this.core.params;
  }

  private get temperature(): number {
    return this.core.params.temperature;
  }

  private indexes(history: string[]): number[] {
    return history.map((id) => this.index.get(id) ?? -1);
  }

  /**
   * Runs the core for the history, unless its last run was for the same one: serving asks for
   * a user's list, more of it when a filter drops items, then the scores of items it explores,
   * all for one history. Every run of the core goes through here.
   */
  private prepare(history: string[], boost: Boost | undefined): void {
    if (boost !== this.lastBoost) {
      this.lastBoost = boost;
      this.lastLogZ = undefined;
    }
    const last = this.lastRun;
    if (last && last.length === history.length && last.every((id, i) => id === history[i])) return;
    this.core.run(this.indexes(history));
    this.lastRun = history.slice();
    this.lastLogZ = undefined;
  }

  /** log Σ_j exp(τ·f_j + b_j) over the catalog, for the history prepared last. */
  private logPartition(): number {
    return (this.lastLogZ ??= this.lastBoost ? this.boostedLogPartition(this.lastBoost.b) : this.core.logPartition());
  }

  /** The partition with boosts: one pass over the catalog (the cores' own shortcuts know no boosts). */
  private boostedLogPartition(b: Float32Array): number {
    const tau = this.temperature;
    const logits = new Float64Array(this.itemIds.length);
    let max = -Infinity;
    for (let j = 0; j < logits.length; j++) {
      logits[j] = tau * this.core.final(j) + b[j];
      if (logits[j] > max) max = logits[j];
    }
    let z = 0;
    for (let j = 0; j < logits.length; j++) z += Math.exp(logits[j] - max);
    return max + Math.log(z);
  }

  recommend(q: RecommendQuery): Scored[] {
    const tau = this.temperature;
    const boost = this.boostFor(q.context);
    this.prepare(q.history, boost);
    const ex = q.exclude;
    const skip = ex && ex.size ? (j: number) => ex.has(this.itemIds[j]) : undefined;
    const { items, logits } = boost ? this.boostedTop(q.k, boost, skip) : this.plainTop(q.k, skip);
    const logZ = this.logPartition();
    return items.map((j, r) => ({ item: this.itemIds[j], score: logits[r] === -Infinity ? 0 : Math.exp(logits[r] - logZ) }));
  }

  private plainTop(k: number, skip?: (j: number) => boolean): { items: number[]; logits: number[] } {
    const tau = this.temperature;
    const { items, scores } = this.core.top(k, skip);
    return { items, logits: scores.map((f) => (f === -Infinity ? f : tau * f)) };
  }

  /**
   * The best k by boosted logit τ·f_j + b_j: the core's best m by f, re-ordered, with m grown until
   * no item below them could enter (its f is at most the m-th's, its boost at most maxBoost).
   */
  private boostedTop(k: number, boost: Boost, skip?: (j: number) => boolean): { items: number[]; logits: number[] } {
    const tau = this.temperature;
    const b = boost.b;
    for (let m = Math.max(4 * k, 100); ; m *= 4) {
      const { items, scores } = this.core.top(m, skip);
      const ranked = items
        .map((j, r) => ({ j, logit: scores[r] === -Infinity ? -Infinity : tau * scores[r] + b[j] }))
        .sort((x, y) => y.logit - x.logit || x.j - y.j);
      const kth = ranked[Math.min(k, ranked.length) - 1]?.logit ?? -Infinity;
      const last = scores[scores.length - 1];
      if (items.length < m || m >= this.itemIds.length || tau * last + boost.max <= kth) {
        const best = ranked.slice(0, k);
        return { items: best.map((x) => x.j), logits: best.map((x) => x.logit) };
      }
    }
  }

  rank(history: string[], items: string[], context?: Record<string, string>): Scored[] {
    const tau = this.temperature;
    const boost = this.boostFor(context);
    this.prepare(history, boost);
    const known: { item: string; logit: number }[] = [];
    const unknown: string[] = [];
    for (const item of items) {
      const j = this.index.get(item);
      if (j === undefined) unknown.push(item);
      else known.push({ item, logit: tau * this.core.rankScore(j) + (boost?.b[j] ?? 0) });
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
  scoresOf(history: string[], items: readonly string[], context?: Record<string, string>): (number | undefined)[] {
    const tau = this.temperature;
    const boost = this.boostFor(context);
    this.prepare(history, boost);
    const logZ = this.logPartition();
    return items.map((item) => {
      const j = this.index.get(item);
      if (j === undefined) return undefined;
      const f = this.core.final(j);
      return f === -Infinity ? 0 : Math.exp(tau * f + (boost?.b[j] ?? 0) - logZ);
    });
  }

  serialize(): Buffer {
    const c = this.core;
    if (c.kind === 'factors') {
      const p = c.params;
      return writeArtifact(
        this.recipe,
        { kind: 'factors', spec: c.spec, params: { decay: finite(p.decay), seen: finite(p.seen), temperature: p.temperature } },
        {
          itemIds: { json: this.itemIds },
          factors: c.y,
          gram: c.gram,
          centroids: c.index.centroids,
          listOffsets: c.index.offsets,
          popular: c.popularOrder,
          ...this.extraSections(),
        },
      );
    }
    const p = c.params;
    return writeArtifact(
      this.recipe,
      { params: { ...p, decay: finite(p.decay), seen: finite(p.seen) }, alpha: c.alpha },
      {
        itemIds: { json: this.itemIds },
        offsets: c.graph.offsets,
        nbr: c.graph.nbr,
        w: c.graph.w,
        pop: c.pop,
        popular: c.popular,
        ...this.extraSections(),
      },
    );
  }

  private extraSections(): Record<string, Section> {
    return { ...(this.objective ? { objective: this.objective } : {}), ...this.context?.sections() };
  }

  static load(artifact: Buffer, recipe: string): UserModel {
    const a = readArtifact(artifact, recipe);
    const itemIds = jsonSection<string[]>(a, 'itemIds');
    const objective = a.sections.has('objective') ? section(a, 'objective', Float32Array) : undefined;
    const core = a.meta.kind === 'factors' ? loadFactorCore(a) : loadGraphCore(a);
    return new UserModel(recipe, itemIds, core, objective, ContextTables.load(a, itemIds.length));
  }
}

function loadGraphCore(a: Artifact): GraphCore {
  const m = a.meta.params as Record<string, number | null>;
  const params: ScoringParams = {
    beta: Number(m.beta),
    decay: num(m.decay, Infinity),
    seen: num(m.seen, -Infinity),
    popularity: Number(m.popularity),
    temperature: Number(m.temperature),
    ...(m.metadata ? { metadata: Number(m.metadata) } : {}),
  };
  const graph = { offsets: section(a, 'offsets', Int32Array), nbr: section(a, 'nbr', Int32Array), w: section(a, 'w', Float32Array) };
  return new GraphCore(graph, section(a, 'pop', Float32Array), section(a, 'popular', Int32Array), params, Number(a.meta.alpha));
}

function loadFactorCore(a: Artifact): FactorCore {
  const m = a.meta.params as Record<string, number | null>;
  const params: FactorParams = { decay: num(m.decay, Infinity), seen: num(m.seen, -Infinity), temperature: Number(m.temperature) };
  const offsets = section(a, 'listOffsets', Int32Array);
  const index = { lists: offsets.length - 1, centroids: section(a, 'centroids', Float32Array), offsets };
  const y = section(a, 'factors', Float32Array);
  return new FactorCore(a.meta.spec as FactorSpec, params, y, section(a, 'gram', Float64Array), index, section(a, 'popular', Int32Array));
}
