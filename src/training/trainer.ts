// The port between the training job and the models: a recipe's trainer turns the interactions
// (and, for some recipes, items and users metadata) into a model; a model answers what serving
// and the offline metrics ask of it and is stored as an immutable artifact. Trainers are plain
// functions of their input: no catalog, no object store, no clock (the job work supplies those).

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
}

/** One recommended item and its score (undefined for recipes that do not score: SIMS, popularity). */
export interface Scored {
  item: string;
  score?: number;
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
}

/** A trained model. */
export interface Model {
  readonly recipe: string;
  recommend(q: RecommendQuery): Scored[];
  /** Scores of the given items for the user (Personalized-Ranking); items unknown to the model score lowest. */
  rank?(history: string[], items: string[]): Scored[];
  /** The artifact: everything needed to load the model again (see training/model-artifact.ts). */
  serialize(): Buffer;
}

export interface Trainer {
  /** The recipe name, e.g. 'aws-popularity-count'. */
  readonly recipe: string;
  /** Hyperparameters as Personalize passes them (strings); the trainer parses and range-checks its own. */
  train(data: TrainingData, hyperParameters: Record<string, string>, signal?: AbortSignal): Promise<Model>;
  load(artifact: Buffer): Model;
}
