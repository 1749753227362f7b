// The port between the training job and the models: a recipe's trainer turns the interactions
// (and, for some recipes, items and users metadata) into a model; a model answers what serving
// and the offline metrics ask of it and is stored as an immutable artifact. Trainers are plain
// functions of their input: no catalog, no object store, no clock (the job work supplies those).
import type { ActionTrainingData } from './action-training-data.ts';

/** The training input, already filtered by the solution (eventType, eventValueThreshold, columns). */
export interface TrainingData {
  /** Distinct user IDs; `user[i]` indexes into it. */
  userIds: string[];
  /** Distinct item IDs; `item[i]` indexes into it. */
  itemIds: string[];
  /** One entry per interaction, ordered by time (oldest first). */
  user: Int32Array;
  item: Int32Array;
  /** Epoch seconds. */
  time: Float64Array;
  /** 1 unless eventsConfig weights event types (or EVENT_VALUE is used). */
  weight: Float32Array;
  /** EVENT_TYPE per interaction, as an index into eventTypes (for recipes that care). */
  eventType: Int32Array;
  eventTypes: string[];
  /** Items metadata rows by item ID (Similar-Items, Item-Attribute-Affinity); absent without an Items dataset. */
  items?: Map<string, Record<string, string | number | boolean | null>>;
  /**
   * The Items schema's fields behind `items` (the columns kept, ITEM_ID not among them), with their
   * `categorical` / `textual` flags. Absent when `items` is: models then infer the kinds from the values.
   */
  itemFields?: ItemField[];
  /** Next-Best-Action: the Actions rows and the action interactions (action-training-data.ts). */
  actions?: ActionTrainingData;
  /**
   * The Interactions dataset's contextual metadata (its string columns beyond the reserved ones):
   * per column, each value's weighted interactions per item (models/context.ts uses them).
   */
  context?: ContextCounts[];
}

/** One contextual column's interactions by value and item, values sorted, each value's items ascending. */
export interface ContextCounts {
  column: string;
  values: string[];
  /** Value v's entries are offsets[v] .. offsets[v+1]-1 of items / counts. */
  offsets: Int32Array;
  items: Int32Array;
  counts: Float32Array;
}

/** One Items column as the schema declares it. */
export interface ItemField {
  name: string;
  /** The Avro type: 'string', 'int', 'long', 'float', 'double' or 'boolean'. */
  type: string;
  categorical: boolean;
  textual: boolean;
  /** The schema's `"itemName": true` (the item's title; Semantic-Similarity). */
  itemName?: boolean;
}

/**
 * One recommended item and its score (undefined for recipes that do not score: SIMS, popularity).
 * In a user segment (Model.segment) `item` holds a user ID.
 */
export interface Scored {
  item: string;
  score?: number;
}

/** An Items column and one of its values, e.g. { name: 'GENRES', value: 'Comedy' } (a categorical value is one `|` part). */
export interface AttributeCondition {
  name: string;
  value: string;
}

/** What a USER_SEGMENTATION model segments users for: an item, or the items matching attribute values. */
export interface SegmentQuery {
  itemId?: string;
  attribute?: AttributeCondition;
  /** More conditions, all of which must hold together with `attribute` (the `AND` of itemAttributes). */
  attributes?: AttributeCondition[];
}

export interface RecommendQuery {
  /** The user's items so far, oldest first (training history plus new events). */
  history: string[];
  /** For related-items recipes: the item to find neighbours of. */
  itemId?: string;
  /** How many to return. */
  k: number;
  /** Items that must not be returned (already seen, filtered out). */
  exclude?: ReadonlySet<string>;
  /** The request's contextual metadata (GetRecommendations' `context`), for models that use it. */
  context?: Record<string, string>;
}

/** A trained model. */
export interface Model {
  readonly recipe: string;
  recommend(q: RecommendQuery): Scored[];
  /** Scores of the given items for the user (Personalized-Ranking); items unknown to the model score lowest. */
  rank?(history: string[], items: string[], context?: Record<string, string>): Scored[];
  /**
   * USER_SEGMENTATION recipes: the k users most likely to interact with the queried item (or with
   * items matching the attributes), best first, each with its score; `item` holds the user ID. An
   * item or attribute value the model did not see at training gives an empty list.
   */
  segment?(query: SegmentQuery, k: number): Scored[];
  /** The artifact: everything needed to load the model again (see training/model-artifact.ts). */
  serialize(): Buffer;
}

export interface Trainer {
  /** The recipe name, e.g. 'aws-popularity-count'. */
  readonly recipe: string;
  /** Hyperparameters as Personalize passes them (strings); the trainer parses and range-checks its own. */
  train(data: TrainingData, hyperParameters: Record<string, string>, signal?: AbortSignal): Promise<Model>;
  load(artifact: Buffer): Model;
  /**
   * A model of `data` that keeps what `base` (a model of this recipe) learned beyond the data
   * itself — for the user models, the scoring parameters their tuning chose — instead of learning
   * it again. Only recipes with something worth keeping have it. The training job uses it for
   * trainingMode UPDATE (base: the latest FULL version's model) and, in a FULL training, to build
   * the final model from the holdout's model of the offline metrics (so the tuning runs once).
   */
  refit?(base: Model, data: TrainingData, hyperParameters: Record<string, string>, signal?: AbortSignal): Promise<Model>;
  /**
   * The Items column of the solution's optimizationObjective, when it has one (models/objective.ts):
   * the offline metrics then add average_rewards_at_k.
   */
  readonly objectiveAttribute?: string;
}
