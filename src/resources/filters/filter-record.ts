// A filter as the catalog stores it: its document, its kind, its status table and the lock on
// its group's filter quotas. The handlers (filter-operations.ts) create, show and delete it;
// serving compiles its expression (serving/filters/) against the group's schemas when applied.
import { defineKind } from '../shared/resource-kind.ts';
import { defineStatuses } from '../shared/status-table.ts';

/**
 * Provisioned like a solution (lifecycle.ts schedules CREATE IN_PROGRESS and ACTIVE over
 * OPENPERSONALIZE_PROVISIONING_MS; AWS lists no statuses for filters, rule 96 [INF]). The
 * expression is checked before the filter exists, so CREATE FAILED never happens, and a delete
 * removes it at once.
 */
export const FILTER_STATUSES = defineStatuses({
  kind: 'filter',
  initial: 'CREATE PENDING',
  transitions: {
    'CREATE PENDING': ['CREATE IN_PROGRESS'],
    'CREATE IN_PROGRESS': ['ACTIVE'],
    ACTIVE: [],
  },
});

export const FILTER_KIND = defineKind({ kind: 'filter', label: 'filter', statuses: FILTER_STATUSES });

export interface FilterBody {
  /** As the request gave it (DescribeFilter echoes it). */
  filterExpression: string;
  /** The distinct dataset fields it uses (`Items.GENRES`): what the group's field quota counts. */
  fields: string[];
  failureReason?: string;
}

/** Serialises the checks of a group's filter quotas (filters, fields across filters) with the insert. */
export const filterQuotaLock = (datasetGroupArn: string) => `quota:filter:${datasetGroupArn}`;
