// What batch inference jobs and batch segment jobs share as the catalog stores them: their
// lifecycle, the part of their document that comes from the request, and the progress the job
// work writes (src/serving/batch-job-run.ts). Each kind's own record file adds its kind, its
// quota lock and what only it stores.
import { defineStatuses } from '../shared/status-table.ts';

/**
 * The status table of a batch job kind. The observed strings (rule 115: `CREATE PENDING > CREATE
 * IN_PROGRESS > ACTIVE`, the model's prose says PENDING / IN PROGRESS). A job can fail before it
 * starts (given up, internal error) or while it runs (the input, the output path, the solution
 * version gone).
 */
export function batchJobStatuses<K extends string>(kind: K) {
  return defineStatuses({
    kind,
    initial: 'CREATE PENDING',
    transitions: {
      'CREATE PENDING': ['CREATE IN_PROGRESS', 'CREATE FAILED'],
      'CREATE IN_PROGRESS': ['ACTIVE', 'CREATE FAILED'],
      ACTIVE: [],
      'CREATE FAILED': [],
    },
  });
}

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
