// Data for the console tests: an interactions CSV shaped like real traffic (a few heavy users and
// a long tail, popular items, several event types over several days), the aggregates the console
// should show for it computed here in plain TypeScript, and a dataset group holding it.
import type { PersonalizeClient } from '@aws-sdk/client-personalize';
import { activeDataset, csv, importAndWait, INTERACTIONS_HEADER, type Bucket } from '../testkit/import-fixtures.ts';
import { schemas } from '../testkit/service-harness.ts';

const DAY = 86_400;
export const FIRST_DAY = 1_700_006_400; // 2023-11-15T00:00:00Z

/** n interaction lines (no header), deterministic (xorshift32), with 3 exact duplicates at the end. */
export function trafficRows(n: number, seed = 88172645): string[] {
  let x = seed;
  const rand = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  const types = ['click', 'click', 'click', 'view', 'view', 'purchase'];
  const rows = Array.from({ length: n }, (_, k) => {
    const user = `u${Math.floor(300 * rand() ** 3)}`; // cubed: few users get most interactions
    const item = `i${Math.floor(150 * rand() ** 2)}`;
    const ts = FIRST_DAY + (k % 9) * DAY + Math.floor(rand() * DAY);
    return `${user},${item},${ts},${types[Math.floor(rand() * types.length)]}`;
  });
  return [...rows, rows[1], rows[2], rows[3]];
}

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
    topItems: [...perItem].map(([label, count]) => ({ label, count })).sort(byCountThenLabel).slice(0, 20),
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
  const rows = trafficRows(1200, 4242);
  rows[4] = 'u7,i3,not-a-time,click';
  rows[7] = ',i3,1700000000,view';
  return csv(INTERACTIONS_HEADER, rows);
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
  const { datasetArn, datasetGroupArn } = await activeDataset(client, schemas.interactions, 'Interactions');
  const lines = trafficRows(2000);
  await bucket.put('traffic/good.csv', csv(INTERACTIONS_HEADER, lines));
  await bucket.put('traffic-bad/bad.csv', badTrafficCsv());
  const good = await importAndWait(client, datasetArn, `s3://${bucket.name}/traffic/good.csv`);
  if (good.status !== 'ACTIVE') throw new Error(`the good import failed: ${good.failureReason}`);
  const bad = await importAndWait(client, datasetArn, `s3://${bucket.name}/traffic-bad/bad.csv`);
  if (bad.status !== 'CREATE FAILED') throw new Error(`the bad import did not fail: ${bad.status}`);
  return { datasetGroupArn, datasetArn, goodJobArn: good.datasetImportJobArn!, failedJobArn: bad.datasetImportJobArn!, lines };
}
