// aws-item-affinity and aws-item-attribute-affinity (USER_SEGMENTATION, training-rules §1.4): the
// users most likely to interact with an item, or with any item having given attribute values.
//
// The model: a user's next interaction is a mixture, estimated from the training data, of
//   - a repeat (share ρ, the data's rate of interactions with an item the user had already taken),
//     choosing among the user's own items by recency, h_ui = q_ui / Σ q (q_ui = exp(−r / decay) for
//     the r-th newest distinct item), and
//   - a new item (share 1 − ρ): one random-walk step from the user's items over the co-occurrence
//     graph, P(j | i) = W_ij / Σ_k≠i W_ik with W_ij = Σ_u x_ui x_uj / d_u^α (the RP3 walk of the user
//     models, item-graph.ts, without its popularity discount: here the target is fixed and the users
//     vary), smoothed with the popularity distribution π (weight η).
// So p_u(j) = ρ·h_uj if u took j, else (1 − ρ)·((1 − η)·Σ_i h_ui P(j | i) + η·π_j). A user with n_u
// interactions will have more of them in the period the metrics test (their newest 20 % after
// training on the oldest 80 %: 0.25 · n), and the segment's score is the chance of at least one
// interaction with j then, 1 − exp(−m_u · p_u(j)) with m_u = HORIZON · n_u^power: heavy users are
// likelier takers. power = 1 would be right if p_u were calibrated, but a heavy user's walk is
// flatter (their history spans more of the catalog), so power and the recency decay are tuned per
// dataset on the training data's own 80/20 split (the metrics' split one level down, up to 500
// queries; hits at 1 % then recall; a coordinate search over TUNING_GRID; the graph is built once,
// the candidates only reweight it).
// For an attribute query (Item-Attribute-Affinity) the target is the set A of items with the
// values, p_u(A) = Σ_{j∈A} p_u(j), where the walk term does not leave out the items of A the user
// already took (for a set, taking some of its items predicts taking others).
//
// Why this and not the user model itself (user-model.ts)? It scores items for one user; a segment
// needs one item against all users, i.e. the graph's columns. Both recipes store, per target item,
// its SOURCES best sources i by P(j | i) · √n_i (a column-wise truncation: every item keeps its own
// sources, however unpopular; ranked by the walk mass a source can deliver to its n_i users — by
// P(j | i) alone, 100 sources lost a quarter of the hits on a 20,000-item catalog and 200 still
// lost 8 %, at twice the cost) and, per item, its users with h_ui; a segment query walks sources →
// users, touching only the users near the item, and the others follow in order of activity (their
// score is the popularity term alone). `hidden_dimension` is range-checked but has no counterpart.
// Item or attribute values not seen at training give an empty segment.
// Measured on test/training/synthetic.ts data (400–2,000 items, 2,000–5,000 users, 2 seeds each):
// Item-Affinity hits_at_1_percent 3–4× those of the most active users (4.3–5.1 against 1.2–1.4;
// 1.16–1.25 against 0.31–0.32 on the sparser 2,000-item data), and 75–99 % of an item's top 20
// users belong to the item's planted user cluster (chance 12–15 %); Item-Attribute-Affinity's
// genre segments 86–100 % (the genres are big, so hits saturate near K for the model and the
// baseline alike). 20,000 items, 50,000 users, 1 M interactions: hits 4.81, recall 0.43; training
// 10–19 s (tuning included), the offline metrics 47–70 s (one segment query per test item).
//
//
// The model and its artifact: affinity-model.ts.
import { JobFailure } from '../../jobs/job-failure.ts';
import { scoreSegments, segmentationQueries, segmentationSplit } from '../metrics/segmentation-metrics.ts';
import type { Trainer, TrainingData } from '../trainer.ts';
import { histories, selectTop } from './common.ts';
import { distinctPairs, type Pairs } from './item-graph.ts';
import { attributeIndex } from './item-metadata.ts';
import { intParam, tick, type HyperParameters } from './params.ts';
import { AffinityModel, ALPHA, HORIZON, type AffinityParts, type AffinityRecipe } from './affinity-model.ts';

const SOURCES = 100;
/** Newest distinct items per user that enter the graph and the user's weights. */
const CAP = 300;

export interface AffinityOptions {
  /** Recency decay of a user's items (∞: all equal). */
  decay: number;
  /** Weight of the popularity distribution in the new-item part. */
  eta: number;
  /** m_u = HORIZON · n_u^power. */
  power: number;
}

export const AFFINITY_DEFAULTS: AffinityOptions = { decay: 20, eta: 0.05, power: 0.75 };
/** The values tuneAffinity tries, one coordinate at a time from the defaults. */
export const TUNING_GRID = { decay: [20, Infinity, 5], power: [0.75, 1, 0.5] };
const MIN_TUNING_QUERIES = 5;
const MAX_TUNING_QUERIES = 500;

/** The share of a user's interactions after their first that repeat an item they had taken before (Laplace-smoothed). */
function repeatRate(h: ReturnType<typeof histories>, nItems: number): number {
  const mark = new Int32Array(nItems).fill(-1);
  let repeats = 0;
  let later = 0;
  for (let u = 0; u + 1 < h.offsets.length; u++) {
    for (let e = h.offsets[u]; e < h.offsets[u + 1]; e++) {
      const i = h.item[e];
      if (e > h.offsets[u]) {
        later++;
        if (mark[i] === u) repeats++;
      }
      mark[i] = u;
    }
  }
  return (repeats + 0.5) / (later + 1);
}

export const ITEM_ATTRIBUTE_AFFINITY_NEEDS_METADATA =
  'Item-Attribute-Affinity needs an Items dataset with at least one metadata column that is not textual and not reserved, with values for the items of the interactions.';

/** What does not depend on decay and activity power: the truncated columns of P, the distinct pairs, π and ρ. */
interface AffinityGraph {
  nUsers: number;
  nItems: number;
  /** Interactions per user (repeats included). */
  counts: Int32Array;
  pairs: Pairs;
  srcOffsets: Int32Array;
  src: Int32Array;
  srcW: Float32Array;
  pi: Float32Array;
  rho: number;
}

async function buildGraph(data: TrainingData, signal?: AbortSignal): Promise<AffinityGraph> {
  const nItems = data.itemIds.length;
  const nUsers = data.userIds.length;
  const h = histories(data);
  const pairs = distinctPairs(h, nItems, CAP);
  const { userOffsets, userItem, userValue, itemOffsets, itemUser, itemValue } = pairs;
  const userScale = new Float64Array(nUsers);
  const d = new Float64Array(nUsers);
  for (let u = 0; u < nUsers; u++) {
    for (let e = userOffsets[u]; e < userOffsets[u + 1]; e++) d[u] += userValue[e];
    userScale[u] = d[u] > 0 ? Math.pow(d[u], -ALPHA) : 0;
  }
  // Row sums R_i = Σ_{k≠i} W_ik.
  const R = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    for (let e = itemOffsets[i]; e < itemOffsets[i + 1]; e++) {
      const u = itemUser[e];
      R[i] += itemValue[e] * (d[u] - itemValue[e]) * userScale[u];
    }
  }
  // Column j of P: W is symmetric, so row j of W divided entrywise by R_i.
  const acc = new Float64Array(nItems);
  const touched = new Int32Array(nItems);
  const cand = new Float64Array(nItems);
  const srcOffsets = new Int32Array(nItems + 1);
  const srcParts: Int32Array[] = [];
  const wParts: Float32Array[] = [];
  for (let j = 0; j < nItems; j++) {
    if ((j & 255) === 0) await tick(signal);
    let t = 0;
    for (let e = itemOffsets[j]; e < itemOffsets[j + 1]; e++) {
      const u = itemUser[e];
      const s = itemValue[e] * userScale[u];
      for (let f = userOffsets[u]; f < userOffsets[u + 1]; f++) {
        const i = userItem[f];
        if (i === j) continue;
        if (acc[i] === 0) touched[t++] = i;
        acc[i] += s * userValue[f];
      }
    }
    // Sources ranked by P(j | i) · √n_i: the walk mass they can deliver to users (n_i of them),
    // with a square root so that rare, specific sources keep a place.
    for (let x = 0; x < t; x++) {
      const i = touched[x];
      cand[x] = (acc[i] / R[i]) * Math.sqrt(itemOffsets[i + 1] - itemOffsets[i]);
    }
    const best = selectTop(cand.subarray(0, t), SOURCES);
    srcParts.push(Int32Array.from(best, (x) => touched[x]));
    wParts.push(Float32Array.from(best, (x) => acc[touched[x]] / R[touched[x]]));
    srcOffsets[j + 1] = srcOffsets[j] + best.length;
    for (let x = 0; x < t; x++) acc[touched[x]] = 0;
  }
  const src = new Int32Array(srcOffsets[nItems]);
  const srcW = new Float32Array(srcOffsets[nItems]);
  for (let j = 0; j < nItems; j++) (src.set(srcParts[j], srcOffsets[j]), srcW.set(wParts[j], srcOffsets[j]));
  let mass = 0;
  for (const m of pairs.itemMass) mass += m;
  const pi = Float32Array.from(pairs.itemMass, (m) => (mass > 0 ? m / mass : 0));
  const counts = new Int32Array(nUsers);
  for (let u = 0; u < nUsers; u++) counts[u] = h.offsets[u + 1] - h.offsets[u];
  return { nUsers, nItems, counts, pairs, srcOffsets, src, srcW, pi, rho: repeatRate(h, nItems) };
}

/** The users' recency weights h_ui (pairs list each user's items newest first), by item. */
function userWeights(g: AffinityGraph, decay: number): Pick<AffinityParts, 'iuOffsets' | 'iuUser' | 'iuH'> {
  const { userOffsets, userItem, itemOffsets } = g.pairs;
  const hUser = new Float32Array(userItem.length);
  for (let u = 0; u < g.nUsers; u++) {
    let sum = 0;
    for (let e = userOffsets[u], r = 0; e < userOffsets[u + 1]; e++, r++) sum += hUser[e] = decay === Infinity ? 1 : Math.exp(-r / decay);
    for (let e = userOffsets[u]; e < userOffsets[u + 1]; e++) hUser[e] /= sum;
  }
  const iuOffsets = itemOffsets.slice();
  const iuUser = new Int32Array(userItem.length);
  const iuH = new Float32Array(userItem.length);
  const fill = iuOffsets.slice(0, g.nItems);
  for (let u = 0; u < g.nUsers; u++) {
    for (let e = userOffsets[u]; e < userOffsets[u + 1]; e++) {
      const k = fill[userItem[e]]++;
      iuUser[k] = u;
      iuH[k] = hUser[e];
    }
  }
  return { iuOffsets, iuUser, iuH };
}

/** m_u = HORIZON · n_u^power and the users in order of it. */
function activityOf(g: AffinityGraph, power: number): Pick<AffinityParts, 'activity' | 'byActivity'> {
  const activity = Float32Array.from(g.counts, (n) => HORIZON * Math.pow(n, power));
  const byActivity = Int32Array.from(activity.keys()).sort((a, b) => activity[b] - activity[a] || a - b);
  return { activity, byActivity };
}

function attributeParts(attributes: Map<string, number[]>): Pick<AffinityParts, 'attrKeys' | 'attrOffsets' | 'attrItems'> {
  const attrKeys = [...attributes.keys()].sort();
  const attrOffsets = new Int32Array(attrKeys.length + 1);
  attrKeys.forEach((key, a) => (attrOffsets[a + 1] = attrOffsets[a] + attributes.get(key)!.length));
  const attrItems = new Int32Array(attrOffsets[attrKeys.length]);
  attrKeys.forEach((key, a) => attrItems.set(attributes.get(key)!, attrOffsets[a]));
  return { attrKeys, attrOffsets, attrItems };
}

function attributesOf(recipe: AffinityRecipe, data: TrainingData): Map<string, number[]> {
  if (recipe !== 'aws-item-attribute-affinity') return new Map();
  const attributes = attributeIndex(data, data.itemIds);
  if (attributes.size === 0) throw new JobFailure(ITEM_ATTRIBUTE_AFFINITY_NEEDS_METADATA);
  return attributes;
}

function assemble(
  recipe: AffinityRecipe,
  data: TrainingData,
  g: AffinityGraph,
  weights: Pick<AffinityParts, 'iuOffsets' | 'iuUser' | 'iuH'>,
  attributes: Pick<AffinityParts, 'attrKeys' | 'attrOffsets' | 'attrItems'>,
  o: AffinityOptions,
): AffinityModel {
  return new AffinityModel(recipe, {
    itemIds: data.itemIds.slice(),
    userIds: data.userIds.slice(),
    srcOffsets: g.srcOffsets,
    src: g.src,
    srcW: g.srcW,
    ...weights,
    pi: g.pi,
    ...activityOf(g, o.power),
    ...attributes,
    rho: g.rho,
    eta: o.eta,
    decay: o.decay,
    power: o.power,
  });
}

/** The tuning outcome of the last training, for benchmarks and logs (not part of the model). */
export let lastAffinityTuning: { options: AffinityOptions; hits: number; queries: number } | undefined;

/**
 * Picks decay and power on the training data's own 80/20 split (the metrics' split, one level
 * down), maximising hits at 1 % then recall; the graph is built once, the grid only reweights.
 * With fewer than MIN_TUNING_QUERIES queries the defaults stand.
 */
async function tuneAffinity(recipe: AffinityRecipe, data: TrainingData, signal?: AbortSignal): Promise<AffinityOptions> {
  const { train, actual } = segmentationSplit(data);
  let tests = segmentationQueries(recipe, data, actual);
  lastAffinityTuning = undefined;
  if (tests.length < MIN_TUNING_QUERIES) return AFFINITY_DEFAULTS;
  if (tests.length > MAX_TUNING_QUERIES) {
    const step = tests.length / MAX_TUNING_QUERIES;
    tests = Array.from({ length: MAX_TUNING_QUERIES }, (_, q) => tests[Math.floor(q * step)]);
  }
  const g = await buildGraph(train, signal);
  const attributes = attributeParts(recipe === 'aws-item-attribute-affinity' ? attributeIndex(train, train.itemIds) : new Map());
  // Coordinate search from the defaults: power first (the larger effect), then decay.
  const weights = new Map<number, Pick<AffinityParts, 'iuOffsets' | 'iuUser' | 'iuH'>>();
  const evaluate = async (options: AffinityOptions) => {
    await tick(signal);
    if (!weights.has(options.decay)) weights.set(options.decay, userWeights(g, options.decay));
    const model = assemble(recipe, train, g, weights.get(options.decay)!, attributes, options);
    return { options, ...scoreSegments((q, k) => model.segment(q, k), tests, train.userIds, signal) };
  };
  const better = (a: { hits: number; recall: number }, b: { hits: number; recall: number }) =>
    a.hits > b.hits + 1e-9 || (Math.abs(a.hits - b.hits) <= 1e-9 && a.recall > b.recall + 1e-12);
  let best = await evaluate(AFFINITY_DEFAULTS);
  for (const power of TUNING_GRID.power) {
    if (power === best.options.power) continue;
    const r = await evaluate({ ...best.options, power });
    if (better(r, best)) best = r;
  }
  for (const decay of TUNING_GRID.decay) {
    if (decay === best.options.decay) continue;
    const r = await evaluate({ ...best.options, decay });
    if (better(r, best)) best = r;
  }
  lastAffinityTuning = { options: best!.options, hits: best!.hits, queries: tests.length };
  return best!.options;
}

/** Trains the model; without `options` decay and power are tuned on the data (tuneAffinity). */
export async function trainAffinity(
  recipe: AffinityRecipe,
  data: TrainingData,
  options?: AffinityOptions,
  signal?: AbortSignal,
): Promise<AffinityModel> {
  const attributes = attributeParts(attributesOf(recipe, data));
  const o = options ?? (await tuneAffinity(recipe, data, signal));
  const g = await buildGraph(data, signal);
  return assemble(recipe, data, g, userWeights(g, o.decay), attributes, o);
}

function affinityTrainer(recipe: AffinityRecipe): Trainer {
  return {
    recipe,
    async train(data, hp: HyperParameters, signal) {
      intParam(hp, 'hidden_dimension', 149, 32, 256);
      return trainAffinity(recipe, data, undefined, signal);
    },
    load: (artifact) => AffinityModel.load(artifact, recipe),
  };
}

export const itemAffinityTrainer = affinityTrainer('aws-item-affinity');
export const itemAttributeAffinityTrainer = affinityTrainer('aws-item-attribute-affinity');
