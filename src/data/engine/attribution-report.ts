// The metrics report of a metric attribution over the interactions of one import (rules.md rule
// 82; developer guide "Publishing metrics to Amazon S3"), computed by DuckDB from the job's own
// Parquet part. The CSV layout is the one AWS documents for these reports:
//   METRIC_NAME,EVENT_TYPE,VALUE,MATH_FUNCTION,EVENT_ATTRIBUTION_SOURCE,TIMESTAMP
// one row per metric x event attribution source x 15-minute window that has at least one event:
//  * METRIC_NAME: the metric's name in capitals [INF: AWS's measuring-impact notebook creates
//    countViews and sumMargin and reads them from CloudWatch as COUNTVIEWS and SUMMARGIN; the
//    guide's report example shows COUNTWATCHES]; EVENT_TYPE as the metric names it;
//  * the events of a metric are the imported rows whose EVENT_TYPE equals its eventType exactly;
//    every imported row counts, exact duplicates too (the guide warns that duplicates skew metrics);
//  * VALUE: SAMPLECOUNT() = number of events; SUM(Interactions.C) = sum of C over the events;
//    SUM(Items.C) = sum over the events of C of the event's item in the Items dataset's current
//    bulk data (events whose item has no row or no value add 0). Written as a double, e.g. 12.0;
//  * MATH_FUNCTION: samplecount or sum;
//  * EVENT_ATTRIBUTION_SOURCE: the column's value; SOURCE_NAME_UNDEFINED when the column is absent
//    or the cell empty (a RECOMMENDATION_ID is not resolved to a recommender: none exist here);
//  * TIMESTAMP: start of the event's 15-minute window (epoch seconds, a multiple of 900; AWS's
//    reports aggregate over 15 minutes, the shortest CloudWatch period it reports);
//  * rows ordered by metric (attribution order), window, source; strings quoted only when needed.
import type { ParsedSchema } from '../schema/schema-model.ts';
import { rows, withDuck } from './duck.ts';
import { datasetViewSql } from '../generations/dataset-view.ts';
import { sqlIdent, sqlString } from './cell-rules.ts';
import type { EngineOptions } from './types.ts';

export const REPORT_HEADER = 'METRIC_NAME,EVENT_TYPE,VALUE,MATH_FUNCTION,EVENT_ATTRIBUTION_SOURCE,TIMESTAMP';
export const UNDEFINED_SOURCE = 'SOURCE_NAME_UNDEFINED';
export const WINDOW_SECONDS = 900;

export type ReportMetric =
  | { metricName: string; eventType: string; fn: 'SAMPLECOUNT' }
  | { metricName: string; eventType: string; fn: 'SUM'; dataset: 'INTERACTIONS' | 'ITEMS'; column: string };

export interface AttributionReportInput {
  metrics: ReportMetric[];
  /** The import's validated Parquet part and the Interactions schema it was written with. */
  interactions: { schema: ParsedSchema; part: string };
  /** The group's Items dataset (its current generation), needed by SUM(Items.X) metrics. */
  items?: { schema: ParsedSchema; parts: string[] };
  outputPath: string;
  engine: EngineOptions;
}

/** Why a metric cannot be computed against the datasets as they are now, or null. */
export function reportProblem(o: Pick<AttributionReportInput, 'metrics' | 'interactions' | 'items'>): string | null {
  if (!o.interactions.schema.fields.some((f) => f.name === 'EVENT_TYPE'))
    return 'The Interactions dataset has no EVENT_TYPE column, which metric attribution reports group by.';
  for (const m of o.metrics) {
    if (m.fn !== 'SUM') continue;
    const schema = m.dataset === 'ITEMS' ? o.items?.schema : o.interactions.schema;
    const label = m.dataset === 'ITEMS' ? 'Items' : 'Interactions';
    if (!schema) return `Metric ${m.metricName} sums ${label}.${m.column}, but the dataset group has no ${label} dataset any more.`;
    if (!schema.fields.some((f) => f.name === m.column))
      return `Metric ${m.metricName} sums ${label}.${m.column}, but the ${label} dataset's schema has no such column any more.`;
  }
  return null;
}

function metricSql(m: ReportMetric, index: number, source: string): string {
  const summed = m.fn === 'SAMPLECOUNT' ? 'NULL' : `${m.dataset === 'ITEMS' ? 'it' : 'i'}.${sqlIdent(m.column)}`;
  const value = m.fn === 'SAMPLECOUNT' ? 'count(*)' : 'coalesce(sum(v), 0)';
  const join = m.fn === 'SUM' && m.dataset === 'ITEMS' ? 'LEFT JOIN items it ON it."ITEM_ID" = i."ITEM_ID"' : '';
  // The events are selected first and grouped outside: in a single SELECT, GROUP BY "TIMESTAMP"
  // would name the input column, not the window.
  return `SELECT ${index} AS __metric, ${sqlString(m.metricName.toUpperCase())} AS METRIC_NAME, ${sqlString(m.eventType)} AS EVENT_TYPE,
                 CAST(${value} AS DOUBLE) AS VALUE, ${sqlString(m.fn.toLowerCase())} AS MATH_FUNCTION,
                 src AS EVENT_ATTRIBUTION_SOURCE, win AS "TIMESTAMP"
          FROM (SELECT ${source} AS src, CAST(floor(i."TIMESTAMP" / ${WINDOW_SECONDS}.0) AS BIGINT) * ${WINDOW_SECONDS} AS win, ${summed} AS v
                FROM interactions i ${join}
                WHERE i."EVENT_TYPE" = ${sqlString(m.eventType)})
          GROUP BY src, win`;
}

/** Writes the report CSV (header included) to outputPath; returns the number of data rows. */
export async function writeAttributionReport(o: AttributionReportInput): Promise<{ rows: number }> {
  const problem = reportProblem(o);
  if (problem) throw new Error(problem);
  const hasSource = o.interactions.schema.fields.some((f) => f.name === 'EVENT_ATTRIBUTION_SOURCE');
  const source = hasSource
    ? `coalesce(nullif(i."EVENT_ATTRIBUTION_SOURCE", ''), ${sqlString(UNDEFINED_SOURCE)})`
    : sqlString(UNDEFINED_SOURCE);
  return withDuck(o.engine, async (c) => {
    await c.run(`CREATE TEMP VIEW interactions AS SELECT * FROM read_parquet(${sqlString(o.interactions.part)})`);
    if (o.items) await c.run(`CREATE TEMP VIEW items AS ${datasetViewSql(o.items.schema, o.items.parts)}`);
    const body = o.metrics.map((m, i) => metricSql(m, i, source)).join('\nUNION ALL\n');
    const select =
      o.metrics.length === 0
        ? `SELECT NULL::VARCHAR AS METRIC_NAME, NULL::VARCHAR AS EVENT_TYPE, NULL::DOUBLE AS VALUE, NULL::VARCHAR AS MATH_FUNCTION,
                  NULL::VARCHAR AS EVENT_ATTRIBUTION_SOURCE, NULL::BIGINT AS "TIMESTAMP" WHERE false`
        : `SELECT METRIC_NAME, EVENT_TYPE, VALUE, MATH_FUNCTION, EVENT_ATTRIBUTION_SOURCE, "TIMESTAMP"
           FROM (${body}) ORDER BY __metric, "TIMESTAMP", EVENT_ATTRIBUTION_SOURCE`;
    const [r] = await rows(c, `COPY (${select}) TO ${sqlString(o.outputPath)} (FORMAT csv, HEADER true)`);
    return { rows: Number(r.Count) };
  });
}
