// A dataset as the catalog stores it: its document, its kind and the lock on its jobs. Job work
// reads and switches `bulk` (the data plane owns that field: data/generations/), the console
// shows the rest.
import type { DatasetBulk } from '../../data/generations/part-store.ts';
import type { DatasetType } from '../../data/schema/schema-model.ts';
import { defineKind } from '../shared/resource-kind.ts';
import { defineStatuses, type StatusOf } from '../shared/status-table.ts';

/**
 * Created like a dataset group; UpdateDataset (a schema swap) takes an ACTIVE dataset through
 * UPDATE PENDING and UPDATE IN_PROGRESS back to ACTIVE. Nothing here can fail, and a delete
 * removes the row at once, so the table has no final status: a dataset rests in ACTIVE.
 */
export const DATASET_STATUSES = defineStatuses({
  kind: 'dataset',
  initial: 'CREATE PENDING',
  transitions: {
    'CREATE PENDING': ['CREATE IN_PROGRESS'],
    'CREATE IN_PROGRESS': ['ACTIVE'],
    ACTIVE: ['UPDATE PENDING'],
    'UPDATE PENDING': ['UPDATE IN_PROGRESS'],
    'UPDATE IN_PROGRESS': ['ACTIVE'],
  },
});

export const DATASET_KIND = defineKind({ kind: 'dataset', label: 'dataset', statuses: DATASET_STATUSES });

/** The latest UpdateDataset, as DescribeDataset shows it (latestDatasetUpdate). */
export interface DatasetUpdate {
  schemaArn: string;
  status: StatusOf<typeof DATASET_STATUSES>;
  failureReason?: string;
  creationDateTime: number;
  lastUpdatedDateTime: number;
}

export interface DatasetBody {
  datasetType: DatasetType;
  schemaArn: string;
  trackingId?: string;
  latestDatasetUpdate?: DatasetUpdate;
  /** The bulk-imported data: the current generation of Parquet parts. Absent before the first import. */
  bulk?: DatasetBulk;
}

/** Whether the dataset uses the schema: as its own, or as the one an update is switching it to. */
export function usesSchema(body: DatasetBody, schemaArn: string): boolean {
  return body.schemaArn === schemaArn || body.latestDatasetUpdate?.schemaArn === schemaArn;
}

/** Serialises starting an import on a dataset against deleting it or replacing its schema. */
export const datasetJobsLock = (datasetArn: string) => `dataset-jobs:${datasetArn}`;
