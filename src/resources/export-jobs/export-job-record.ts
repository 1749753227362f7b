// A dataset export job as the catalog stores it: its document and its kind. The handlers create
// and show it; src/data/jobs/export-job-work.ts runs it.
import { defineKind } from '../shared/resource-kind.ts';
import { defineStatuses } from '../shared/status-table.ts';

export type IngestionMode = 'BULK' | 'PUT' | 'ALL';

export interface ExportJobBody {
  ingestionMode: IngestionMode;
  roleArn: string;
  jobOutput: { s3DataDestination: { path: string; kmsKeyArn?: string } };
  failureReason?: string;
  /** Objects written, set when the job is ACTIVE. */
  outputKeys?: string[];
  rows?: number;
}

/** Like an import job's: it can fail before it starts (given up, internal error) or while it runs. */
export const EXPORT_JOB_STATUSES = defineStatuses({
  kind: 'dataset-export-job',
  initial: 'CREATE PENDING',
  transitions: {
    'CREATE PENDING': ['CREATE IN_PROGRESS', 'CREATE FAILED'],
    'CREATE IN_PROGRESS': ['ACTIVE', 'CREATE FAILED'],
    ACTIVE: [],
    'CREATE FAILED': [],
  },
});

export const EXPORT_JOB_KIND = defineKind({
  kind: 'dataset-export-job',
  label: 'dataset export job',
  statuses: EXPORT_JOB_STATUSES,
  job: { console: 'export' },
});
