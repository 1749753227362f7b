// A batch inference job as the catalog stores it: its document, its kind, its status table and
// the lock on its quota. The handlers (batch-inference-job-operations.ts) create and show it;
// src/serving/batch-inference-work.ts runs it. Its parent is the solution version it uses, so
// ListBatchInferenceJobs filters by solutionVersionArn through the catalog's parent index.
import type { BatchInferenceJobConfig } from '../../api/personalize-types.ts';
import { defineKind } from '../shared/resource-kind.ts';
import { batchJobStatuses, type BatchJobRequestBody } from '../batch-jobs/batch-job-record.ts';

export const BATCH_INFERENCE_JOB_STATUSES = batchJobStatuses('batch-inference-job');

export const BATCH_INFERENCE_JOB_KIND = defineKind({
  kind: 'batch-inference-job',
  label: 'batch inference job',
  statuses: BATCH_INFERENCE_JOB_STATUSES,
  job: {},
});

export type BatchInferenceJobMode = 'BATCH_INFERENCE' | 'THEME_GENERATION';

export interface BatchInferenceJobBody extends BatchJobRequestBody {
  batchInferenceJobMode: BatchInferenceJobMode;
  batchInferenceJobConfig?: BatchInferenceJobConfig;
  themeGenerationConfig?: { fieldsForThemeGeneration: { itemName: string } };
}

/** Serialises the check of the pending-jobs quota (per account and region) with the insert. */
export const batchInferenceQuotaLock = (account: string, region: string) => `quota:batch-inference-job:${account}:${region}`;
