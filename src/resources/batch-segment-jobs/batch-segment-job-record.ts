// A batch segment job as the catalog stores it: its document, its kind, its status table and the
// lock on its quota. The handlers (batch-segment-job-operations.ts) create and show it;
// src/serving/batch-segment-work.ts runs it. Its parent is the solution version it uses.
import type { BatchJobRequestBody } from '../batch-inference-jobs/batch-inference-job-record.ts';
import { defineKind } from '../shared/resource-kind.ts';
import { defineStatuses } from '../shared/status-table.ts';

/** As batch inference jobs' (rule 115: the observed `CREATE PENDING > CREATE IN_PROGRESS > ACTIVE`). */
export const BATCH_SEGMENT_JOB_STATUSES = defineStatuses({
  kind: 'batch-segment-job',
  initial: 'CREATE PENDING',
  transitions: {
    'CREATE PENDING': ['CREATE IN_PROGRESS', 'CREATE FAILED'],
    'CREATE IN_PROGRESS': ['ACTIVE', 'CREATE FAILED'],
    ACTIVE: [],
    'CREATE FAILED': [],
  },
});

export const BATCH_SEGMENT_JOB_KIND = defineKind({
  kind: 'batch-segment-job',
  label: 'batch segment job',
  statuses: BATCH_SEGMENT_JOB_STATUSES,
  job: {},
});

export type BatchSegmentJobBody = BatchJobRequestBody;

/** Serialises the check of the pending-jobs quota (per account and region) with the insert. */
export const batchSegmentQuotaLock = (account: string, region: string) => `quota:batch-segment-job:${account}:${region}`;
