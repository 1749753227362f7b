// A recommender as the catalog stores it: its document, its kind, its status tables and its locks.
// The handlers (recommender-operations.ts) create, show, update, stop, start and delete it; its
// models are recommender-model resources (recommender-model-record.ts) trained by jobs
// (src/training/recommender-model-job-work.ts), which move the recommender out of CREATE PENDING
// and record the model it serves. Its parent is its Domain dataset group.
import type { RecommenderConfig } from '../../api/personalize-types.ts';
import { defineKind } from '../shared/resource-kind.ts';
import { defineStatuses, type StatusOf } from '../shared/status-table.ts';

/**
 * Rule 74. Creation is a training job: CREATE PENDING while queued, CREATE IN_PROGRESS while it
 * trains, then ACTIVE or CREATE FAILED. Stopping and starting do no work here: StopRecommender /
 * StartRecommender schedule their steps over the provisioning time (lifecycle.ts). Deleting is
 * immediate, as for campaigns: DeleteRecommender checks the move to DELETE PENDING against this
 * table (a recommender can be deleted when ACTIVE, INACTIVE or CREATE FAILED) and removes the
 * recommender in the same transaction, so the DELETE statuses never show.
 */
export const RECOMMENDER_STATUSES = defineStatuses({
  kind: 'recommender',
  initial: 'CREATE PENDING',
  transitions: {
    'CREATE PENDING': ['CREATE IN_PROGRESS', 'CREATE FAILED'],
    'CREATE IN_PROGRESS': ['ACTIVE', 'CREATE FAILED'],
    ACTIVE: ['STOP PENDING', 'DELETE PENDING'],
    'STOP PENDING': ['STOP IN_PROGRESS'],
    'STOP IN_PROGRESS': ['INACTIVE'],
    INACTIVE: ['START PENDING', 'DELETE PENDING'],
    'START PENDING': ['START IN_PROGRESS'],
    'START IN_PROGRESS': ['ACTIVE'],
    'CREATE FAILED': ['DELETE PENDING'],
    'DELETE PENDING': ['DELETE IN_PROGRESS'],
    'DELETE IN_PROGRESS': [],
  },
});

export type RecommenderStatus = StatusOf<typeof RECOMMENDER_STATUSES>;

export const RECOMMENDER_KIND = defineKind({ kind: 'recommender', label: 'recommender', statuses: RECOMMENDER_STATUSES });

/**
 * The statuses of an UpdateRecommender as latestRecommenderUpdate shows them (rule 76: CREATE
 * PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED). An update that retrains (new training
 * columns) follows its training job and fails with it; any other update is timed like a
 * campaign's and cannot fail.
 */
export const RECOMMENDER_UPDATE_STATUSES = defineStatuses({
  kind: 'recommender-update',
  initial: 'CREATE PENDING',
  transitions: {
    'CREATE PENDING': ['CREATE IN_PROGRESS', 'CREATE FAILED'],
    'CREATE IN_PROGRESS': ['ACTIVE', 'CREATE FAILED'],
    ACTIVE: [],
    'CREATE FAILED': [],
  },
});

export type RecommenderUpdateStatus = StatusOf<typeof RECOMMENDER_UPDATE_STATUSES>;

/** The latest UpdateRecommender (DescribeRecommender's latestRecommenderUpdate). */
export interface StoredRecommenderUpdate {
  /** The configuration it switches to (the whole of it: the request's members over the old ones). */
  recommenderConfig: RecommenderConfig;
  status: RecommenderUpdateStatus;
  creationDateTime: number;
  lastUpdatedDateTime: number;
  failureReason?: string;
  /** The model job of an update that retrains. */
  modelArn?: string;
}

/** What the recommender serves: its current model, as the runtime needs it without reading the model's document. */
export interface ServedModel {
  /** The recommender-model resource. */
  arn: string;
  artifactKey: string;
  /** What the model was trained on (dataStampOf of the Interactions dataset). */
  dataStamp?: string;
  /** When it became the served model (epoch ms): the two-hourly updates count from it. */
  since: number;
}

export interface RecommenderBody {
  /** The domain recipe (use case). */
  recipeArn: string;
  domain: 'ECOMMERCE' | 'VIDEO_ON_DEMAND';
  /** As the request gave it ({} when it gave none: AWS's documented example shows `{}`). */
  recommenderConfig: RecommenderConfig;
  failureReason?: string;
  latestRecommenderUpdate?: StoredRecommenderUpdate;
  /** Absent until the first training ends ACTIVE. */
  model?: ServedModel;
  /** The offline metrics of the served model (DescribeRecommender's modelMetrics). */
  modelMetrics?: Record<string, number>;
  /** A model job queued or running (creation, weekly retraining, an update's, a two-hourly refresh), if any. */
  pendingModelArn?: string;
  /** Weekly retraining (rule 73): when the next one is due, counted in 7-day steps from creation. */
  retrainAt: number;
  /** Trending now: a re-evaluation that found no new data moved its next one here (recommender-schedule.ts). */
  refreshAt?: number;
  /**
   * The models it has served, oldest first (at most MAX_MODEL_HISTORY; the model documents
   * themselves are deleted when replaced): the web console's history. No API shows it.
   */
  modelHistory?: ModelHistoryEntry[];
  /** Its StopRecommender / StartRecommender calls, oldest first (at most MAX_MODEL_HISTORY): the web console's history. */
  stopStartHistory?: { at: number; action: 'STOP' | 'START' }[];
}

export interface ModelHistoryEntry {
  arn: string;
  /** Why it was trained (recommender-model-record.ts: ModelPurpose). */
  purpose: string;
  /** When it became the served model. */
  since: number;
  trainingHours?: number;
  metrics?: Record<string, number>;
}

export const MAX_MODEL_HISTORY = 50;

/** Serialises the quota checks (per dataset group and per region) with the insert. */
export const recommenderQuotaLock = (account: string, region: string) => `quota:recommender:${account}:${region}`;

/** Serialises every write of one recommender's document: its handlers, its model jobs and the schedules. */
export const recommenderLock = (recommenderArn: string) => `recommender:${recommenderArn}`;
