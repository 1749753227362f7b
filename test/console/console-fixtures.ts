// Data for the console tests: for an interactions CSV shaped like real traffic (trafficRows4 in
// test/testkit/rows.ts), the aggregates the console should show for it computed here in plain
// TypeScript, and a dataset group holding it.
import type { PersonalizeClient } from '@aws-sdk/client-personalize';
import { importAndWait, type Bucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4, trafficRows4 } from '../testkit/rows.ts';
import { minimalSchemas } from '../testkit/schemas.ts';

const DAY = 86_400;

export interface Expected {
  rows: number;
  users: number;
  items: number;
  perDay: { label: string; count: number }[];
  eventTypes: { label: string; count: number }[];
  topItems: { label: string; count: number }[];
  histogram: { label: string; count: number }[];
  maxPerUser: number;
  medianPerUser: number;
}

const byCountThenLabel = (a: { label: string; count: number }, b: { label: string; count: number }) =>
  b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);

function tally(values: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/** What the console must show for these lines (exact duplicates count once, as the dataset keeps them). */
export function expectedInsights(lines: string[]): Expected {
  const rows = [...new Set(lines)].map((l) => l.split(','));
  const perUser = tally(rows.map((r) => r[0]));
  const perItem = tally(rows.map((r) => r[1]));
  const perDay = tally(rows.map((r) => new Date(Math.floor(Number(r[2]) / DAY) * DAY * 1000).toISOString().slice(0, 10)));
  const counts = [...perUser.values()].sort((a, b) => a - b);
  const bins = tally(counts.map((n) => String(Math.floor(Math.log2(n)))));
  const maxBin = Math.max(...[...bins.keys()].map(Number));
  return {
    rows: rows.length,
    users: perUser.size,
    items: perItem.size,
    perDay: [...perDay].map(([label, count]) => ({ label, count })).sort((a, b) => (a.label < b.label ? -1 : 1)),
    eventTypes: [...tally(rows.map((r) => r[3]))].map(([label, count]) => ({ label, count })).sort(byCountThenLabel),
    topItems: [...perItem]
      .map(([label, count]) => ({ label, count }))
      .sort(byCountThenLabel)
      .slice(0, 20),
    histogram: Array.from({ length: maxBin + 1 }, (_, k) => ({
      label: k === 0 ? '1' : `${2 ** k}-${2 ** (k + 1) - 1}`,
      count: bins.get(String(k)) ?? 0,
    })),
    maxPerUser: counts[counts.length - 1],
    // The lower median (DuckDB's quantile_disc(0.5)).
    medianPerUser: counts[Math.floor((counts.length - 1) / 2)],
  };
}

/** Line 6 (data index 4) has a TIMESTAMP that is not a number, line 9 (index 7) an empty USER_ID. */
export function badTrafficCsv(): string {
  const rows = trafficRows4(1200, 4242);
  rows[4] = 'u7,i3,not-a-time,click';
  rows[7] = ',i3,1700000000,view';
  return csv(INTERACTIONS_HEADER_4, rows);
}

export interface Scenario {
  datasetGroupArn: string;
  datasetArn: string;
  goodJobArn: string;
  failedJobArn: string;
  lines: string[];
}

/**
 * A dataset group with an interactions dataset whose first import (good) succeeded and whose
 * second (bad file) failed; the dataset's data is the good file's.
 */
export async function scenario(client: PersonalizeClient, bucket: Bucket): Promise<Scenario> {
  const { datasetArn, datasetGroupArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
  const lines = trafficRows4(2000);
  await bucket.put('traffic/good.csv', csv(INTERACTIONS_HEADER_4, lines));
  await bucket.put('traffic-bad/bad.csv', badTrafficCsv());
  const good = await importAndWait(client, datasetArn, `s3://${bucket.name}/traffic/good.csv`);
  if (good.status !== 'ACTIVE') throw new Error(`the good import failed: ${good.failureReason}`);
  const bad = await importAndWait(client, datasetArn, `s3://${bucket.name}/traffic-bad/bad.csv`);
  if (bad.status !== 'CREATE FAILED') throw new Error(`the bad import did not fail: ${bad.status}`);
  return { datasetGroupArn, datasetArn, goodJobArn: good.datasetImportJobArn!, failedJobArn: bad.datasetImportJobArn!, lines };
}
