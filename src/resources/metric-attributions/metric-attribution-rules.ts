// What a metric attribution may contain (rules.md §11, rule 82; API reference of
// CreateMetricAttribution; developer guide "Creating a metric attribution"), checked against the
// dataset group's datasets as they are when the call is made. Choices where AWS documents nothing:
//  * expressions: SAMPLECOUNT() or SUM(<Interactions|Items>.<COLUMN>); function and dataset type
//    case-insensitive, spaces allowed around the parts, the column name exact (schema field names
//    are matched exactly everywhere else too, e.g. CSV headers);
//  * SUM() needs a numeric column (int, long, float, double) of that dataset's current schema; the
//    Items dataset must exist, but need not hold data yet (items without metadata add nothing);
//  * a metric name appears once per attribution; eventType and metricName must not be empty; an
//    attribution has 1 to 10 metrics (the model caps the list at 10; an empty one reports nothing);
//  * the Interactions dataset must exist and its schema must have EVENT_TYPE (the guide's
//    requirement), so an attribution cannot be created on a group without one.
import type { MetricAttribute, MetricAttributionOutput } from '../../api/personalize-types.ts';
import type { CatalogOps, ResourceRecord } from '../../catalog/catalog.ts';
import { invalidInput } from '../../protocol/service-error.ts';
import { DATASET_KIND, type DatasetBody } from '../datasets/dataset-record.ts';
import { parsedSchemaOf } from '../schemas/schema-record.ts';
import type { DatasetType, ParsedSchema } from '../../data/schema/schema-model.ts';
import {
  attributionOfGroup,
  parseMetricExpression,
  type MetricAttributionBody,
  type ParsedExpression,
  type StoredMetric,
} from './metric-attribution-record.ts';

export const MAX_METRICS = 10;

const NUMERIC = new Set(['int', 'long', 'float', 'double']);

/** The expression's function and column, or InvalidInputException naming the metric. */
export function parseExpression(metricName: string, expression: string): ParsedExpression {
  const parsed = parseMetricExpression(expression);
  if (!parsed) {
    throw invalidInput(
      `Invalid expression '${expression}' of metric ${metricName}: expected SAMPLECOUNT() or SUM(<DatasetType>.<COLUMN>) where DatasetType is Interactions or Items, e.g. SUM(Items.PRICE).`,
    );
  }
  return parsed;
}

/** The group's datasets by type, with their parsed schemas. */
export async function groupSchemas(
  ops: CatalogOps,
  group: ResourceRecord,
): Promise<Map<DatasetType, { dataset: ResourceRecord; schema: ParsedSchema }>> {
  const datasets = await ops.list({ account: group.account, region: group.region, kind: DATASET_KIND.kind, parentArn: group.arn });
  const out = new Map<DatasetType, { dataset: ResourceRecord; schema: ParsedSchema }>();
  for (const dataset of datasets) {
    const body = dataset.body as unknown as DatasetBody;
    const schema = await ops.get(body.schemaArn);
    if (schema) out.set(body.datasetType, { dataset, schema: parsedSchemaOf(schema) });
  }
  return out;
}

/** rule 82: the Interactions dataset must exist and have EVENT_TYPE. */
export function checkInteractions(group: ResourceRecord, schemas: Map<DatasetType, { schema: ParsedSchema }>): void {
  const interactions = schemas.get('INTERACTIONS');
  if (!interactions)
    throw invalidInput(
      `Dataset group ${group.arn} has no Interactions dataset; a metric attribution reports on interactions, so create one first.`,
    );
  if (!interactions.schema.fields.some((f) => f.name === 'EVENT_TYPE')) {
    throw invalidInput(`The Interactions dataset of ${group.arn} has no EVENT_TYPE column; a metric attribution needs one.`);
  }
}

/** Checks each metric on its own and against the group's schemas; returns them as stored. */
export function checkMetrics(metrics: MetricAttribute[], schemas: Map<DatasetType, { schema: ParsedSchema }>): StoredMetric[] {
  return metrics.map((m) => {
    const metricName = m.metricName ?? '';
    const eventType = m.eventType ?? '';
    const expression = m.expression ?? '';
    if (metricName.trim() === '') throw invalidInput('Every metric needs a non-empty metricName.');
    if (eventType.trim() === '') throw invalidInput(`Metric ${metricName} needs a non-empty eventType.`);
    const parsed = parseExpression(metricName, expression);
    if (parsed.fn === 'SUM') {
      const label = parsed.dataset === 'ITEMS' ? 'Items' : 'Interactions';
      const target = schemas.get(parsed.dataset);
      if (!target)
        throw invalidInput(`Metric ${metricName} sums ${label}.${parsed.column}, but the dataset group has no ${label} dataset.`);
      const field = target.schema.fields.find((f) => f.name === parsed.column);
      if (!field) throw invalidInput(`Metric ${metricName}: the ${label} dataset's schema has no column ${parsed.column}.`);
      if (!NUMERIC.has(field.type))
        throw invalidInput(`Metric ${metricName}: SUM() needs a numeric column, but ${label}.${parsed.column} is of type ${field.type}.`);
    }
    return { eventType, metricName, expression };
  });
}

/** Metric names are how reports and removeMetrics identify a metric: one of each per attribution. */
export function checkDistinctNames(metrics: StoredMetric[]): void {
  const seen = new Set<string>();
  for (const m of metrics) {
    if (seen.has(m.metricName))
      throw invalidInput(
        `The metric name ${m.metricName} appears more than once; metric names must be unique within a metric attribution.`,
      );
    seen.add(m.metricName);
  }
}

export function checkMetricCount(count: number): void {
  if (count === 0) throw invalidInput('A metric attribution needs at least one metric.');
  if (count > MAX_METRICS)
    throw invalidInput(`A metric attribution can have at most ${MAX_METRICS} metrics; this one would have ${count}.`);
}

export function toStoredOutput(o: MetricAttributionOutput): MetricAttributionBody['metricsOutputConfig'] {
  const s3 = o.s3DataDestination;
  return { roleArn: o.roleArn!, s3DataDestination: s3 ? { path: s3.path!, kmsKeyArn: s3.kmsKeyArn } : undefined };
}

/**
 * CreateDatasetImportJob with publishAttributionMetricsToS3=true: the dataset's group must have a
 * metric attribution with an S3 output, otherwise there is nowhere to publish (InvalidInputException).
 */
export async function checkPublishAttribution(ops: CatalogOps, dataset: ResourceRecord, publish: boolean | undefined): Promise<void> {
  if (!publish) return;
  const group = { arn: dataset.parentArn!, account: dataset.account, region: dataset.region };
  const attribution = await attributionOfGroup(ops, group);
  if (!attribution) {
    throw invalidInput(
      `publishAttributionMetricsToS3 is true, but dataset group ${group.arn} has no metric attribution; create one with an S3 output path first.`,
    );
  }
  if (!(attribution.body as unknown as MetricAttributionBody).metricsOutputConfig.s3DataDestination) {
    throw invalidInput(
      `publishAttributionMetricsToS3 is true, but the metric attribution ${attribution.arn} has no s3DataDestination to publish to.`,
    );
  }
}
