// The import job's part in metric attribution: with publishAttributionMetricsToS3=true, an
// Interactions import publishes a metrics report (attribution-report.ts) under the attribution's
// s3DataDestination path, as
//   <path>/AggregatedAttributionMetrics-<FULL|INCREMENTAL>-<job creation, epoch seconds>-<jobName>.csv
// (AWS names these files "AggregatedAttributionMetrics - ImportMethod - Timestamp.csv"; the job
// name is added so that two jobs created in the same second never overwrite each other, and the
// creation time rather than the run time is used so that a re-run after a crash rewrites the same
// object instead of leaving a second report).
//
// It runs before the job commits (import-job-work.ts): a report that cannot be computed or
// written fails the job with the reason and leaves the dataset as it was, and an ACTIVE job with
// the flag always has its report. Choices where AWS documents nothing:
//  * imports into datasets other than Interactions publish nothing (they carry no events);
//  * if the attribution was deleted (or lost its S3 output) after the job was created, the import
//    proceeds without a report: metric attribution is reporting, not a condition of the import.
//    (DeleteMetricAttribution refuses while such a job is pending, so this needs a race.)
import { join } from 'node:path';
import type { ResourceRecord } from '../../catalog/catalog.ts';
import { ObjectStoreError, parseS3Url } from '../../object-store/object-store.ts';
import { DATASET_KIND, type DatasetBody } from '../../resources/datasets/dataset-record.ts';
import type { ImportJobBody } from '../../resources/import-jobs/import-job-record.ts';
import {
  attributionOfGroup,
  parseMetricExpression,
  type MetricAttributionBody,
} from '../../resources/metric-attributions/metric-attribution-record.ts';
import { parsedSchemaOf } from '../../resources/schemas/schema-record.ts';
import type { ParsedSchema } from '../schema/schema-model.ts';
import { reportProblem, writeAttributionReport, type ReportMetric } from '../engine/attribution-report.ts';
import type { WorkerDeps } from './work-deps.ts';
import type { EngineOptions } from '../engine/types.ts';

export interface PublishInput {
  job: ResourceRecord;
  dataset: ResourceRecord;
  schema: ParsedSchema;
  /** The job's validated Parquet part (local file). */
  part: string;
  workDir: string;
  engine: EngineOptions;
}

export function reportKey(pathKey: string, job: ResourceRecord): string {
  const prefix = pathKey === '' || pathKey.endsWith('/') ? pathKey : `${pathKey}/`;
  const mode = (job.body as unknown as ImportJobBody).importMode;
  return `${prefix}AggregatedAttributionMetrics-${mode}-${Math.floor(job.createdAt / 1000)}-${job.name}.csv`;
}

/** The group's Items dataset: its schema and local copies of its current bulk parts. */
async function itemsOf(deps: WorkerDeps, dataset: ResourceRecord): Promise<{ schema: ParsedSchema; parts: string[] } | undefined> {
  const siblings = await deps.catalog.list({
    account: dataset.account,
    region: dataset.region,
    kind: DATASET_KIND.kind,
    parentArn: dataset.parentArn!,
  });
  const items = siblings.find((d) => (d.body as unknown as DatasetBody).datasetType === 'ITEMS');
  if (!items) return undefined;
  const body = items.body as unknown as DatasetBody;
  const schema = await deps.catalog.get(body.schemaArn);
  if (!schema) return undefined;
  return { schema: parsedSchemaOf(schema), parts: await deps.parts.localPaths((body.bulk?.parts ?? []).map((p) => p.key)) };
}

/**
 * Publishes the report when the job asks for one. Returns a failureReason for the job, or null
 * (published, or nothing to publish).
 */
export async function publishAttributionReport(deps: WorkerDeps, o: PublishInput): Promise<string | null> {
  if (!(o.job.body as unknown as ImportJobBody).publishAttributionMetricsToS3 || o.schema.datasetType !== 'INTERACTIONS') return null;
  const attribution = await attributionOfGroup(deps.catalog, {
    arn: o.dataset.parentArn!,
    account: o.dataset.account,
    region: o.dataset.region,
  });
  const body = attribution?.body as unknown as MetricAttributionBody | undefined;
  const path = body?.metricsOutputConfig.s3DataDestination?.path;
  if (!attribution || !body || !path) {
    deps.log({ level: 'warn', msg: 'no metric attribution with an S3 output any more; no report published', job: o.job.arn });
    return null;
  }
  const metrics: ReportMetric[] = body.metrics.map((m) => {
    // Checked when the attribution was created or updated, so only a corrupted document fails here.
    const parsed = parseMetricExpression(m.expression);
    if (!parsed) throw new Error(`The stored expression '${m.expression}' of metric ${m.metricName} of ${attribution.arn} is not valid.`);
    return { metricName: m.metricName, eventType: m.eventType, ...parsed };
  });
  const items = metrics.some((m) => m.fn === 'SUM' && m.dataset === 'ITEMS') ? await itemsOf(deps, o.dataset) : undefined;
  const interactions = { schema: o.schema, part: o.part };
  const problem = reportProblem({ metrics, interactions, items });
  if (problem) return `Could not compute the metrics report of ${attribution.arn}: ${problem}`;

  const file = join(o.workDir, 'attribution-report.csv');
  await writeAttributionReport({ metrics, interactions, items, outputPath: file, engine: o.engine });
  const target = parseS3Url(path);
  if (!target) return `Could not publish the metrics report: the output path ${path} of ${attribution.arn} is not an s3:// location.`;
  const key = reportKey(target.key, o.job);
  try {
    await deps.objects.putFile(target.bucket, key, file);
  } catch (e) {
    if (e instanceof ObjectStoreError) return `Could not publish the metrics report to s3://${target.bucket}/${key}: ${e.message}`;
    throw e;
  }
  deps.log({ level: 'info', msg: 'metrics report published', job: o.job.arn, location: `s3://${target.bucket}/${key}` });
  return null;
}
