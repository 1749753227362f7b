// A batch inference job as the catalog stores it: its document, its kind, its status table and
// the lock on its quota. The handlers (batch-inference-job-operations.ts) create and show it;
// src/serving/batch-inference-work.ts runs it. Its parent is the solution version it uses, so
// ListBatchInferenceJobs filters by solutionVersionArn through the catalog's parent index.
import type { BatchInferenceJobConfig } from '../../api/personalize-types.ts';
import { defineKind } from '../shared/resource-kind.ts';
import { defineStatuses } from '../shared/status-table.ts';

/**
 * The observed strings (rule 115: `CREATE PENDING > CREATE IN_PROGRESS > ACTIVE`, the model's prose
 * says PENDING / IN PROGRESS). A job can fail before it starts (given up, internal error) or
 * while it runs (the input, the output path, the solution version gone).
 */
export const BATCH_INFERENCE_JOB_STATUSES = defineStatuses({
  kind: 'batch-inference-job',
  initial: 'CREATE PENDING',
  transitions: {
    'CREATE PENDING': ['CREATE IN_PROGRESS', 'CREATE FAILED'],
    'CREATE IN_PROGRESS': ['ACTIVE', 'CREATE FAILED'],
    ACTIVE: [],
    'CREATE FAILED': [],
  },
});

export const BATCH_INFERENCE_JOB_KIND = defineKind({
  kind: 'batch-inference-job',
  label: 'batch inference job',
  statuses: BATCH_INFERENCE_JOB_STATUSES,
  job: {},
});

export type BatchInferenceJobMode = 'BATCH_INFERENCE' | 'THEME_GENERATION';

/** What every batch job (inference and segment) stores of its request. */
export interface BatchJobRequestBody {
  solutionVersionArn: string;
  /** The version's dataset group (a filter must belong to it; the data is read from it). */
  datasetGroupArn: string;
  /** The version's recipe name, e.g. 'aws-user-personalization'. */
  recipe: string;
  filterArn?: string;
  /** As shown by Describe: the request's value, or the default. */
  numResults: number;
  jobInput: { s3DataSource: { path: string; kmsKeyArn?: string } };
  jobOutput: { s3DataDestination: { path: string; kmsKeyArn?: string } };
  roleArn: string;
  failureReason?: string;
  /** Written by the job while it runs and when it ends. */
  progress?: BatchProgress;
}

export interface BatchInferenceJobBody extends BatchJobRequestBody {
  batchInferenceJobMode: BatchInferenceJobMode;
  batchInferenceJobConfig?: BatchInferenceJobConfig;
  themeGenerationConfig?: { fieldsForThemeGeneration: { itemName: string } };
}

/** One input object of a batch job and the output object it gives. */
export interface BatchFile {
  /** The input object's key in the input bucket. */
  key: string;
  size: number;
  /** The `.out` object's key in the output bucket. */
  outKey: string;
}

/**
 * How far a batch job (inference or segment) got, written by the job work while it runs: the input
 * files it reads, fixed at its first run (a run that takes the job over after a crash reads the
 * same files, even when the first run's outputs now match the input prefix), and how many of them
 * have their complete `.out` in place.
 */
export interface BatchProgress {
  inputBucket: string;
  outputBucket: string;
  files: BatchFile[];
  /** The first `filesDone` files have their complete output in place. */
  filesDone: number;
  /** Input lines read, and lines that got an `error` instead of an `output`, over the files done. */
  lines: number;
  errors: number;
}

/** Serialises the check of the pending-jobs quota (per account and region) with the insert. */
export const batchInferenceQuotaLock = (account: string, region: string) => `quota:batch-inference-job:${account}:${region}`;
