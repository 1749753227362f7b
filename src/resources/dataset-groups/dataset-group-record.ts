// A dataset group as the catalog stores it: its document, its kind and the locks that guard its
// children. The group's datasets, event tracker, metric attribution and data deletion jobs have
// it as their parentArn.
import type { Domain } from '../../data/schema/schema-model.ts';
import { defineKind } from '../shared/resource-kind.ts';
import { defineStatuses } from '../shared/status-table.ts';

export interface DatasetGroupBody {
  roleArn?: string;
  kmsKeyArn?: string;
  domain?: Domain;
  failureReason?: string;
}

/**
 * Provisioning involves no real work here (lifecycle.ts schedules it), so a group never fails
 * (AWS's CREATE FAILED). Deletion removes the group at once; DescribeDatasetGroup shows it
 * DELETE PENDING for a while from its deletion record (dataset-group-deletion-record.ts).
 */
export const DATASET_GROUP_STATUSES = defineStatuses({
  kind: 'dataset-group',
  initial: 'CREATE PENDING',
  transitions: {
    'CREATE PENDING': ['CREATE IN_PROGRESS'],
    'CREATE IN_PROGRESS': ['ACTIVE'],
    ACTIVE: [],
  },
});

export const DATASET_GROUP_KIND = defineKind({ kind: 'dataset-group', label: 'dataset group', statuses: DATASET_GROUP_STATUSES });

/** Serialises adding a child (dataset, event tracker) to a group against deleting the group. */
export const childrenLock = (groupArn: string) => `children:${groupArn}`;

/** Serialises the check of the dataset groups quota of an account and region with the insert. */
export const datasetGroupQuotaLock = (account: string, region: string) => `quota:dataset-group:${account}:${region}`;
