// A solution version as the catalog stores it: its document, its kind, its status table and the
// locks on its quota and its status. CreateSolutionVersion (resources/solutions/) creates it and
// queues its training job; src/training/solution-version-job-work.ts runs the job and commits the
// model artifact's key, the offline metrics and trainingHours into the document.
import type { SolutionConfig } from '../../api/personalize-types.ts';
import { defineKind } from '../shared/resource-kind.ts';
import { defineStatuses, type StatusOf } from '../shared/status-table.ts';

/**
 * Training can fail (too little data, a deleted dataset) before or while it runs. Stopping
 * (StopSolutionVersionCreation): a version still waiting for a worker is CREATE STOPPED at once
 * (the model's "CREATE_PENDING > CREATE_STOPPED"); a running one goes to CREATE STOPPING until the
 * job notices (between its phases, and within seconds while the trainer runs) and ends it CREATE
 * STOPPED. A job that ends while its version is CREATE STOPPING ends it CREATE STOPPED, whatever
 * the outcome of its work was.
 */
export const SOLUTION_VERSION_STATUSES = defineStatuses({
  kind: 'solution-version',
  initial: 'CREATE PENDING',
  transitions: {
    'CREATE PENDING': ['CREATE IN_PROGRESS', 'CREATE FAILED', 'CREATE STOPPING', 'CREATE STOPPED'],
    'CREATE IN_PROGRESS': ['ACTIVE', 'CREATE FAILED', 'CREATE STOPPING'],
    'CREATE STOPPING': ['CREATE STOPPED'],
    ACTIVE: [],
    'CREATE FAILED': [],
    'CREATE STOPPED': [],
  },
});

export type SolutionVersionStatus = StatusOf<typeof SOLUTION_VERSION_STATUSES>;

export const SOLUTION_VERSION_KIND = defineKind({
  kind: 'solution-version',
  label: 'solution version',
  statuses: SOLUTION_VERSION_STATUSES,
  // Run by workers (metrics count its jobs); the web console does not list training jobs yet.
  job: {},
});

export type TrainingMode = 'FULL' | 'UPDATE' | 'AUTOTRAIN';
export type TrainingType = 'MANUAL' | 'AUTOMATIC';

/** When trainingMode UPDATE may be used, in the API model's words (CreateSolutionVersion; training-rules rule 45). */
export const UPDATE_MODE_RULE =
  'The UPDATE option can only be used when you already have an active solution version created from the input solution ' +
  'using the FULL option and the input solution was trained with the User-Personalization recipe or the legacy HRNN-Coldstart recipe.';

export interface SolutionVersionBody {
  /** The solution's settings when the version was created (DescribeSolutionVersion shows them). */
  recipeArn: string;
  datasetGroupArn: string;
  performHPO: boolean;
  performAutoML: boolean;
  performIncrementalUpdate?: boolean;
  eventType?: string;
  solutionConfig?: SolutionConfig;
  trainingMode: TrainingMode;
  trainingType: TrainingType;
  failureReason?: string;
  /** What the job is doing (reading, training, evaluating, storing), while it runs. */
  phase?: string;
  /** Set when ACTIVE: billed-like compute hours, 3 decimals. */
  trainingHours?: number;
  /** Set when ACTIVE: the hyperparameters the model was trained with (tunedHPOParams when performHPO). */
  hyperParameters?: Record<string, string>;
  /** Set when ACTIVE: the model artifact's key in the modelArtifacts storage area (training/model-store.ts). */
  artifactKey?: string;
  /** Set when ACTIVE: GetSolutionMetrics' metrics. */
  metrics?: Record<string, number>;
  /** Set when ACTIVE: what the model was trained on (after the solution's filters). */
  trainingData?: { interactions: number; users: number; items: number };
  /**
   * Which data the job read (dataStampOf): automatic training creates a version only when the
   * group's interactions changed since the newest version that read them.
   */
  dataStamp?: string;
}

/**
 * What identifies the interactions a training reads: the Interactions dataset's bulk parts (keys
 * are never reused) and its number of individually put records (only ever added).
 */
export function dataStampOf(dataset: { body: Record<string, unknown> } | undefined, individual: number): string {
  const parts = (dataset?.body as { bulk?: { parts: { key: string }[] } } | undefined)?.bulk?.parts ?? [];
  return JSON.stringify([parts.map((p) => p.key), individual]);
}

/** Serialises the check of the pending-versions quota (per account and region) with the insert. */
export const solutionVersionQuotaLock = (account: string, region: string) => `quota:solution-version:${account}:${region}`;

/** Serialises every status write of one version: the job's moves against StopSolutionVersionCreation. */
export const solutionVersionLock = (solutionVersionArn: string) => `solution-version:${solutionVersionArn}`;

/** The artifact keys of these stored versions (the modelArtifacts blobs they keep in use). */
export function artifactKeyOf(body: Record<string, unknown>): string | undefined {
  const key = (body as Partial<SolutionVersionBody>).artifactKey;
  return typeof key === 'string' ? key : undefined;
}
