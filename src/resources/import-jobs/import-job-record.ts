// A dataset import job as the catalog stores it: its document, its kind and the lock on the
// import limits. The handlers create and show it; src/data/jobs/import-job-work.ts runs it.
import { defineKind } from '../shared/resource-kind.ts';
import { defineStatuses } from '../shared/status-table.ts';

export type ImportMode = 'FULL' | 'INCREMENTAL';

export interface ImportJobBody {
  dataSource: { dataLocation?: string };
  roleArn?: string;
  importMode: ImportMode;
  publishAttributionMetricsToS3?: boolean;
  failureReason?: string;
  /** Set while running and at the end: what the job has read so far. */
  progress?: { phase: string; rows?: number; bytes?: number; totalBytes?: number };
}

/**
 * A job can fail before it starts (the runner gives up on a job whose process kept dying, or
 * records an internal error) as well as while it runs.
 */
export const IMPORT_JOB_STATUSES = defineStatuses({
  kind: 'dataset-import-job',
  initial: 'CREATE PENDING',
  transitions: {
    'CREATE PENDING': ['CREATE IN_PROGRESS', 'CREATE FAILED'],
    'CREATE IN_PROGRESS': ['ACTIVE', 'CREATE FAILED'],
    ACTIVE: [],
    'CREATE FAILED': [],
  },
});

export const IMPORT_JOB_KIND = defineKind({
  kind: 'dataset-import-job',
  label: 'dataset import job',
  statuses: IMPORT_JOB_STATUSES,
  job: { console: 'import' },
});

/** Serialises the checks of the pending-imports quota (per account and region) and of "one import at a time per dataset". */
export const importQuotaLock = (account: string, region: string) => `imports:${account}:${region}`;
