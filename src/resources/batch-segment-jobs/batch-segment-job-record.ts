// A batch segment job as the catalog stores it: its document, its kind, its status table and the
// lock on its quota. The handlers (batch-segment-job-operations.ts) create and show it;
// src/serving/batch-segment-work.ts runs it. Its parent is the solution version it uses.
import { batchJobStatuses, type BatchJobRequestBody } from '../batch-jobs/batch-job-record.ts';
import { defineKind } from '../shared/resource-kind.ts';

/** As batch inference jobs' (rule 115: the observed `CREATE PENDING > CREATE IN_PROGRESS > ACTIVE`). */
export const BATCH_SEGMENT_JOB_STATUSES = batchJobStatuses('batch-segment-job');

export const BATCH_SEGMENT_JOB_KIND = defineKind({
  kind: 'batch-segment-job',
  label: 'batch segment job',
  statuses: BATCH_SEGMENT_JOB_STATUSES,
  job: {},
});

export type BatchSegmentJobBody = BatchJobRequestBody;

/** Serialises the check of the pending-jobs quota (per account and region) with the insert. */
export const batchSegmentQuotaLock = (account: string, region: string) => `quota:batch-segment-job:${account}:${region}`;
