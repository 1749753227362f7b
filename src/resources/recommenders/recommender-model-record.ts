// One training of a recommender's model, as the catalog stores it: a job resource (no API shows it)
// whose parent is the recommender. Creating a recommender, its weekly retraining, an update of its
// training columns and Trending now's two-hourly re-evaluation each queue one; the job
// (src/training/recommender-model-job-work.ts) trains the use case's model, and its commit makes
// it the recommender's served model (RecommenderBody.model) and removes the models it replaces.
//
// Its document carries what serving reads of a trained model the way it reads a solution
// version's: `datasetGroupArn` and `dataStamp` (the trained bulk generation, rule 120:
// trained-history.ts) and `autoUpdate` (the two-hourly item pool, rule 121: model-update-record.ts).
import type { RecommenderConfig } from '../../api/personalize-types.ts';
import { defineKind } from '../shared/resource-kind.ts';
import { defineStatuses, type StatusOf } from '../shared/status-table.ts';

/** Like a solution version's creation, without stopping: nothing stops a recommender's training. */
export const RECOMMENDER_MODEL_STATUSES = defineStatuses({
  kind: 'recommender-model',
  initial: 'CREATE PENDING',
  transitions: {
    'CREATE PENDING': ['CREATE IN_PROGRESS', 'CREATE FAILED'],
    'CREATE IN_PROGRESS': ['ACTIVE', 'CREATE FAILED'],
    ACTIVE: [],
    'CREATE FAILED': [],
  },
});

export type RecommenderModelStatus = StatusOf<typeof RECOMMENDER_MODEL_STATUSES>;

export const RECOMMENDER_MODEL_KIND = defineKind({
  kind: 'recommender-model',
  label: 'recommender model',
  statuses: RECOMMENDER_MODEL_STATUSES,
  // Internal: no API names it, so nothing may tag it either.
  taggable: false,
  job: {},
});

/**
 * Why the model is trained: the recommender's creation, the weekly retraining, an
 * UpdateRecommender that changed the training columns, or Trending now's two-hourly
 * re-evaluation (which keeps the served model's metrics: AWS reports none for it).
 */
export type ModelPurpose = 'CREATE' | 'RETRAIN' | 'UPDATE' | 'REFRESH';

export interface RecommenderModelBody {
  /** The domain recipe. */
  recipeArn: string;
  datasetGroupArn: string;
  purpose: ModelPurpose;
  /** The configuration it trains with (an update's new one). */
  recommenderConfig: RecommenderConfig;
  /** What the job is doing, while it runs. */
  phase?: string;
  failureReason?: string;
  /** Which data the job read (dataStampOf). */
  dataStamp?: string;
  /** Set when ACTIVE. */
  artifactKey?: string;
  metrics?: Record<string, number>;
  trainingHours?: number;
  trainingData?: { interactions: number; users: number; items: number };
}

/** The model's name: `<recommender name>/<8 hex>`; its ARN is recommender-model/<that>. */
export const modelNameOf = (recommenderName: string, id: string) => `${recommenderName}/${id}`;

/** The model artifact key a stored model document names, if any. */
export function modelArtifactKeyOf(body: Record<string, unknown>): string | undefined {
  const key = (body as Partial<RecommenderModelBody>).artifactKey;
  return typeof key === 'string' ? key : undefined;
}
