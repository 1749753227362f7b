// The trained model of aws-item-affinity and aws-item-attribute-affinity: its parts, the segment
// query (sources → users, then the others by activity) and the artifact. How it is trained and
// why it is this model: affinity.ts.
//
// Artifact (see artifact.ts): recipe = the model's recipe, meta { rho, eta, horizon, decay (∞ as
// null), power, alpha }; sections
//   "itemIds"     json string[]     items; indexes below refer to it
//   "userIds"     json string[]     users; indexes below refer to it
//   "srcOffsets"  i32 [items + 1]   target j's sources are entries srcOffsets[j] .. srcOffsets[j+1]-1
//   "src"         i32               source item index
//   "srcW"        f32               P(j | source)
//   "iuOffsets"   i32 [items + 1]   item i's users are entries iuOffsets[i] .. iuOffsets[i+1]-1
//   "iuUser"      i32               user index
//   "iuH"         f32               h_ui
//   "pi"          f32 [items]       π_j
//   "activity"    f32 [users]       m_u
//   "byActivity"  i32 [users]       user indexes by m_u, highest first
//   "attrKeys"    json string[]     attribute keys (item-metadata.ts attributeKey), sorted; empty for Item-Affinity
//   "attrOffsets" i32 [keys + 1]    key a's items are entries attrOffsets[a] .. attrOffsets[a+1]-1
//   "attrItems"   i32               item indexes, ascending
import type { AttributeCondition, Model, RecommendQuery, Scored, SegmentQuery } from '../trainer.ts';
import { readArtifact, jsonSection, section, writeArtifact } from './artifact.ts';
import { indexOf, topK } from './common.ts';
import { attributeKey } from './item-metadata.ts';

export const AFFINITY_RECIPES = ['aws-item-affinity', 'aws-item-attribute-affinity'] as const;
export type AffinityRecipe = (typeof AFFINITY_RECIPES)[number];

/** The RP3 walk's heavy-user discount d_u^α (item-graph.ts), as the training used it. */
export const ALPHA = 0.5;
/** Future interactions per training interaction in the metrics' split (20 % after 80 %). */
export const HORIZON = 0.25;

export interface AffinityParts {
  itemIds: string[];
  userIds: string[];
  srcOffsets: Int32Array;
  src: Int32Array;
  srcW: Float32Array;
  iuOffsets: Int32Array;
  iuUser: Int32Array;
  iuH: Float32Array;
  pi: Float32Array;
  activity: Float32Array;
  byActivity: Int32Array;
  attrKeys: string[];
  attrOffsets: Int32Array;
  attrItems: Int32Array;
  rho: number;
  eta: number;
  decay: number;
  power: number;
}

export class AffinityModel implements Model {
  private readonly itemIndex: Map<string, number>;
  private readonly attrIndex: Map<string, number>;
  private readonly srcMass: Float64Array;
  private readonly srcMark: Uint8Array;
  private readonly acc: Float64Array;
  private readonly seenH: Float64Array;
  private readonly userMark: Uint8Array;

  constructor(
    readonly recipe: AffinityRecipe,
    readonly p: AffinityParts,
  ) {
    this.itemIndex = indexOf(p.itemIds);
    this.attrIndex = indexOf(p.attrKeys);
    this.srcMass = new Float64Array(p.itemIds.length);
    this.srcMark = new Uint8Array(p.itemIds.length);
    this.acc = new Float64Array(p.userIds.length);
    this.seenH = new Float64Array(p.userIds.length);
    this.userMark = new Uint8Array(p.userIds.length);
  }

  /** Segmentation models recommend nothing (they serve batch segment jobs only). */
  recommend(_q: RecommendQuery): Scored[] {
    return [];
  }

  /** The item indexes a query targets, ascending; undefined when it names something unknown. */
  private targets(q: SegmentQuery): number[] | undefined {
    const conditions: AttributeCondition[] = [...(q.attribute ? [q.attribute] : []), ...(q.attributes ?? [])];
    let set: number[] | undefined;
    if (q.itemId !== undefined) {
      const j = this.itemIndex.get(q.itemId);
      if (j === undefined) return undefined;
      set = [j];
    }
    for (const c of conditions) {
      const a = this.attrIndex.get(attributeKey(c.name.replace(/^items\./i, ''), c.value));
      if (a === undefined) return undefined;
      const items = this.p.attrItems.subarray(this.p.attrOffsets[a], this.p.attrOffsets[a + 1]);
      if (!set) set = Array.from(items);
      else {
        const has = new Set(items);
        set = set.filter((j) => has.has(j));
      }
    }
    return set && set.length ? set : undefined;
  }

  segment(q: SegmentQuery, k: number): Scored[] {
    const A = this.targets(q);
    if (!A || k <= 0) return [];
    const p = this.p;
    const single = q.itemId !== undefined && A.length === 1;
    const { srcMass, srcMark, acc, seenH, userMark } = this;
    // P(A | i) for the sources of A's items.
    const sources: number[] = [];
    let piA = 0;
    for (const j of A) {
      piA += p.pi[j];
      for (let e = p.srcOffsets[j]; e < p.srcOffsets[j + 1]; e++) {
        const i = p.src[e];
        if (!srcMark[i]) ((srcMark[i] = 1), sources.push(i));
        srcMass[i] += p.srcW[e];
      }
    }
    // The walk to the users of those sources, and the users' own shares of A.
    const users: number[] = [];
    for (const i of sources) {
      const m = srcMass[i];
      for (let e = p.iuOffsets[i]; e < p.iuOffsets[i + 1]; e++) {
        const u = p.iuUser[e];
        if (!userMark[u]) ((userMark[u] = 1), users.push(u));
        acc[u] += m * p.iuH[e];
      }
      ((srcMass[i] = 0), (srcMark[i] = 0));
    }
    for (const j of A) {
      for (let e = p.iuOffsets[j]; e < p.iuOffsets[j + 1]; e++) {
        const u = p.iuUser[e];
        if (!userMark[u]) ((userMark[u] = 1), users.push(u));
        seenH[u] = single ? p.iuH[e] + 1 : seenH[u] + p.iuH[e]; // single: > 1 marks "took j"
      }
    }
    const prior = (1 - p.rho) * p.eta * piA;
    const scores = new Float64Array(users.length);
    for (let x = 0; x < users.length; x++) {
      const u = users[x];
      const walk = (1 - p.rho) * ((1 - p.eta) * acc[u] + p.eta * piA);
      const prob = single ? (seenH[u] > 0 ? p.rho * (seenH[u] - 1) : walk) : walk + p.rho * seenH[u];
      scores[x] = 1 - Math.exp(-p.activity[u] * prob);
    }
    // The best touched users merged with the untouched ones, whose scores fall with their activity.
    const best = topK(scores, k);
    const out: Scored[] = [];
    let c = 0;
    let r = 0;
    while (out.length < k) {
      while (r < p.byActivity.length && userMark[p.byActivity[r]]) r++;
      const haveC = c < best.length;
      const haveR = r < p.byActivity.length;
      if (!haveC && !haveR) break;
      const sc = haveC ? scores[best[c]] : -Infinity;
      const sr = haveR ? 1 - Math.exp(-p.activity[p.byActivity[r]] * prior) : -Infinity;
      if (haveC && sc >= sr) out.push({ item: p.userIds[users[best[c++]]], score: sc });
      else out.push({ item: p.userIds[p.byActivity[r++]], score: sr });
    }
    for (const u of users) ((acc[u] = 0), (seenH[u] = 0), (userMark[u] = 0));
    return out;
  }

  serialize(): Buffer {
    const p = this.p;
    return writeArtifact(
      this.recipe,
      { rho: p.rho, eta: p.eta, horizon: HORIZON, decay: Number.isFinite(p.decay) ? p.decay : null, power: p.power, alpha: ALPHA },
      {
        itemIds: { json: p.itemIds },
        userIds: { json: p.userIds },
        srcOffsets: p.srcOffsets,
        src: p.src,
        srcW: p.srcW,
        iuOffsets: p.iuOffsets,
        iuUser: p.iuUser,
        iuH: p.iuH,
        pi: p.pi,
        activity: p.activity,
        byActivity: p.byActivity,
        attrKeys: { json: p.attrKeys },
        attrOffsets: p.attrOffsets,
        attrItems: p.attrItems,
      },
    );
  }

  static load(artifact: Buffer, recipe: AffinityRecipe): AffinityModel {
    const a = readArtifact(artifact, recipe);
    return new AffinityModel(recipe, {
      itemIds: jsonSection<string[]>(a, 'itemIds'),
      userIds: jsonSection<string[]>(a, 'userIds'),
      srcOffsets: section(a, 'srcOffsets', Int32Array),
      src: section(a, 'src', Int32Array),
      srcW: section(a, 'srcW', Float32Array),
      iuOffsets: section(a, 'iuOffsets', Int32Array),
      iuUser: section(a, 'iuUser', Int32Array),
      iuH: section(a, 'iuH', Float32Array),
      pi: section(a, 'pi', Float32Array),
      activity: section(a, 'activity', Float32Array),
      byActivity: section(a, 'byActivity', Int32Array),
      attrKeys: jsonSection<string[]>(a, 'attrKeys'),
      attrOffsets: section(a, 'attrOffsets', Int32Array),
      attrItems: section(a, 'attrItems', Int32Array),
      rho: Number(a.meta.rho),
      eta: Number(a.meta.eta),
      decay: a.meta.decay === null ? Infinity : Number(a.meta.decay),
      power: Number(a.meta.power),
    });
  }
}
