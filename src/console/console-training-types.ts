// The JSON shapes of the console's training and serving pages (/console/api/group/models,
// solution, campaign, recommender, batch-job, try-it). Types only (no Node, no DOM), shared by the
// server (src/console/) and the browser code (console/src/), like console-api-types.ts.

/** One row of a list on the dataset group page. */
export interface ResourceRow {
  arn: string;
  name: string;
  status: string | null;
  createdAt: number;
  updatedAt: number;
  /** What the row says besides its status: a recipe, an expression, a deployed version. */
  detail?: string;
  failureReason?: string;
}

export interface SolutionRow extends ResourceRow {
  recipe: string;
  versions: number;
  latestVersion?: { arn: string; status: string | null };
}

export interface BatchJobRow extends ResourceRow {
  kind: 'inference' | 'segment';
  solutionVersionArn: string;
  /** Input files with their complete output / all input files; lines read and lines in error. */
  filesDone?: number;
  files?: number;
  lines?: number;
  errors?: number;
}

/** /console/api/group/models: what a dataset group trains and serves. */
export interface GroupModels {
  domain?: string;
  solutions: SolutionRow[];
  campaigns: ResourceRow[];
  recommenders: ResourceRow[];
  filters: ResourceRow[];
  batchJobs: BatchJobRow[];
}

export interface VersionView {
  arn: string;
  /** The ARN's last part (8 hex). */
  id: string;
  status: string | null;
  trainingMode: string;
  trainingType: string;
  createdAt: number;
  updatedAt: number;
  /** While it runs: reading, training, evaluating, storing. */
  phase?: string;
  failureReason?: string;
  /** DescribeSolutionVersion's trainingHours (3 decimals). */
  trainingHours?: number;
  /** From creation to its final status (ms): queueing and training. */
  elapsedMs?: number;
  /** The hyperparameters it was trained with (the tuned ones with HPO). */
  hyperParameters?: Record<string, string>;
  metrics?: Record<string, number>;
  trainingData?: { interactions: number; users: number; items: number };
  /** Campaigns deploying it now. */
  campaigns: { arn: string; name: string }[];
}

/** /console/api/solution: a solution, its settings and every version, newest first. */
export interface SolutionDetail {
  arn: string;
  name: string;
  status: string | null;
  createdAt: number;
  groupArn: string;
  groupName: string;
  recipe: string;
  recipeType: string;
  performHPO: boolean;
  performAutoTraining: boolean;
  eventType?: string;
  /** The solution's solutionConfig as given (JSON). */
  solutionConfig?: unknown;
  latestUpdate?: { status: string; createdAt: number; config: unknown };
  versions: VersionView[];
}

/** One line of a campaign's or recommender's history, oldest first. */
export interface HistoryEntry {
  at: number;
  /** 'created', 'updated', 'retrained', ... */
  event: string;
  /** What it deployed or trained: a version ARN, a model. */
  what: string;
  status?: string;
  /** The configuration it applied (JSON), when there is one. */
  config?: unknown;
  failureReason?: string;
  metrics?: Record<string, number>;
}

/** Which ids a try-it request takes: the operation's rules for the recipe or use case. */
export interface TryItShape {
  operation: 'GetRecommendations' | 'GetPersonalizedRanking';
  userId: 'required' | 'optional' | 'unused';
  itemId: 'required' | 'optional' | 'unused';
  /** Filters of the group that the panel offers (ACTIVE ones), with their $parameters. */
  filters: { arn: string; name: string; expression: string; parameters: string[] }[];
  /** Items columns the answer's metadata shows (empty without an Items dataset). */
  metadataColumns: string[];
  /** Why the target cannot be tried now (not ACTIVE, a recipe with no runtime operation). */
  unavailable?: string;
}

/** /console/api/campaign and /console/api/recommender. */
export interface ServingDetail {
  kind: 'campaign' | 'recommender';
  arn: string;
  name: string;
  status: string | null;
  createdAt: number;
  updatedAt: number;
  groupArn: string;
  groupName: string;
  recipe: string;
  /** Campaign: the deployed version (or `<solution>/$LATEST`) and its solution. */
  solutionVersionArn?: string;
  solutionArn?: string;
  minProvisionedTPS?: number;
  /** campaignConfig or recommenderConfig, as given. */
  config?: unknown;
  failureReason?: string;
  /** Recommenders: the served model's offline metrics. */
  metrics?: Record<string, number>;
  history: HistoryEntry[];
  tryIt: TryItShape;
}

/** POST /console/api/try-it. */
export interface TryItRequest {
  arn: string;
  userId?: string;
  itemId?: string;
  /** GetPersonalizedRanking's inputList. */
  inputList?: string[];
  filterArn?: string;
  filterValues?: Record<string, string>;
  numResults?: number;
}

export interface TryItAnswer {
  operation: string;
  /** The runtime request as the service received it (the same pipeline as the API). */
  request: Record<string, unknown>;
  recommendationId?: string;
  items: { itemId: string; score?: number; reason?: string[]; promotionName?: string; metadata: Record<string, string> }[];
  metadataColumns: string[];
  ms: number;
}

/** /console/api/batch-job: a batch inference or segment job with the first lines of its output. */
export interface BatchJobDetail extends BatchJobRow {
  groupArn: string;
  groupName: string;
  solutionArn?: string;
  recipe: string;
  mode?: string;
  filterArn?: string;
  numResults: number;
  inputPath: string;
  outputPath: string;
  config?: unknown;
  /** The first lines of the first output files (complete ones only: a .out is never shown half written). */
  preview: { file: string; lines: string[]; truncated: boolean; error?: string }[];
}
