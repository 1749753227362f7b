// A data deletion job as the catalog stores it: its document, its kind and the lock on its
// dataset group. Its parent is the dataset group. The handlers create and show it;
// src/data/jobs/data-deletion-job-work.ts runs it.
import type { ResourceRecord } from '../../catalog/catalog.ts';
import { defineKind } from '../shared/resource-kind.ts';
import { defineStatuses, hasStatus } from '../shared/status-table.ts';

export interface DataDeletionJobBody {
  dataSource: { dataLocation?: string };
  roleArn?: string;
  /** Set when COMPLETED. */
  numDeleted?: number;
  /** Set when FAILED. */
  failureReason?: string;
  /** Set while running: what the job is doing (console, logs). */
  progress?: { phase: string; users?: number };
}

/** AWS's own words for this kind (not CREATE ...); it can fail before it starts, like any job. */
export const DATA_DELETION_JOB_STATUSES = defineStatuses({
  kind: 'data-deletion-job',
  initial: 'PENDING',
  transitions: {
    PENDING: ['IN_PROGRESS', 'FAILED'],
    IN_PROGRESS: ['COMPLETED', 'FAILED'],
    COMPLETED: [],
    FAILED: [],
  },
});

export const DATA_DELETION_JOB_KIND = defineKind({
  kind: 'data-deletion-job',
  label: 'data deletion job',
  statuses: DATA_DELETION_JOB_STATUSES,
  job: { console: 'deletion' },
});

/** The number of users deleted, which DescribeDataDeletionJob and the console show only for a COMPLETED job. */
export function shownNumDeleted(record: ResourceRecord): number | undefined {
  return hasStatus(DATA_DELETION_JOB_STATUSES, record, 'COMPLETED')
    ? (record.body as unknown as DataDeletionJobBody).numDeleted
    : undefined;
}

/** Serialises the per-group limit of pending deletion jobs, and a group's deletion against new jobs. */
export const deletionLock = (groupArn: string) => `data-deletion-jobs:${groupArn}`;
