// A metric attribution as the catalog stores it: its document, its kind, the lock on its dataset
// group, and what import jobs need to publish its reports (src/data/jobs/attribution-report-work.ts):
// the group's attribution and the meaning of a stored metric's expression.
import type { CatalogOps, ResourceRecord } from '../../catalog/catalog.ts';
import { defineKind } from '../shared/resource-kind.ts';
import { defineStatuses } from '../shared/status-table.ts';

export interface StoredMetric {
  eventType: string;
  metricName: string;
  expression: string;
}

export interface MetricAttributionBody {
  metrics: StoredMetric[];
  metricsOutputConfig: { roleArn: string; s3DataDestination?: { path: string; kmsKeyArn?: string } };
  failureReason?: string;
}

/**
 * Created like a dataset group; UpdateMetricAttribution takes an ACTIVE attribution through
 * UPDATE PENDING and UPDATE IN_PROGRESS back to ACTIVE. Nothing can fail and a delete is
 * immediate, so there is no final status: an attribution rests in ACTIVE.
 */
export const METRIC_ATTRIBUTION_STATUSES = defineStatuses({
  kind: 'metric-attribution',
  initial: 'CREATE PENDING',
  transitions: {
    'CREATE PENDING': ['CREATE IN_PROGRESS'],
    'CREATE IN_PROGRESS': ['ACTIVE'],
    ACTIVE: ['UPDATE PENDING'],
    'UPDATE PENDING': ['UPDATE IN_PROGRESS'],
    'UPDATE IN_PROGRESS': ['ACTIVE'],
  },
});

export const METRIC_ATTRIBUTION_KIND = defineKind({
  kind: 'metric-attribution',
  label: 'metric attribution',
  statuses: METRIC_ATTRIBUTION_STATUSES,
  taggable: false,
});

export type ParsedExpression = { fn: 'SAMPLECOUNT' } | { fn: 'SUM'; dataset: 'INTERACTIONS' | 'ITEMS'; column: string };

const SAMPLECOUNT_RE = /^\s*SAMPLECOUNT\s*\(\s*\)\s*$/i;
const SUM_RE = /^\s*SUM\s*\(\s*([A-Za-z_]+)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$/i;

/**
 * SAMPLECOUNT() or SUM(<Interactions|Items>.<COLUMN>), function and dataset type in any letter
 * case; undefined for anything else (the handlers say why, metric-attribution-rules.ts).
 */
export function parseMetricExpression(expression: string): ParsedExpression | undefined {
  if (SAMPLECOUNT_RE.test(expression)) return { fn: 'SAMPLECOUNT' };
  const m = SUM_RE.exec(expression);
  const dataset = m?.[1].toUpperCase();
  if (!m || (dataset !== 'INTERACTIONS' && dataset !== 'ITEMS')) return undefined;
  return { fn: 'SUM', dataset, column: m[2] };
}

/** The group's metric attribution (at most one exists), or undefined. */
export async function attributionOfGroup(
  ops: CatalogOps,
  group: { arn: string; account: string; region: string },
): Promise<ResourceRecord | undefined> {
  const [record] = await ops.list({
    account: group.account,
    region: group.region,
    kind: METRIC_ATTRIBUTION_KIND.kind,
    parentArn: group.arn,
    limit: 1,
  });
  return record;
}

/** Serialises "one attribution per group" and "no delete while an import publishes to it". */
export const metricAttributionLock = (groupArn: string) => `metric-attribution:${groupArn}`;
