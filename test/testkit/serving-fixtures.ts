// What the campaign and runtime tests build on: the personalize-runtime client, interactions with
// a planted structure (so that a trained model has something to find), and a trained solution
// version deployed in an ACTIVE campaign. Jobs run when the test drains the runner.
import assert from 'node:assert/strict';
import {
  CreateCampaignCommand,
  CreateDatasetImportJobCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeCampaignCommand,
  DescribeDatasetImportJobCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  type CampaignConfig,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { PersonalizeRuntimeClient } from '@aws-sdk/client-personalize-runtime';
import type { Bucket } from './import-fixtures.ts';
import { csv } from './rows.ts';
import { uniqueName, waitFor, type TestService } from './service-harness.ts';

export const recipeArn = (name: string) => `arn:aws:personalize:::recipe/${name}`;

export function runtimeClient(svc: TestService, o: { accessKeyId?: string; region?: string } = {}): PersonalizeRuntimeClient {
  return new PersonalizeRuntimeClient({
    endpoint: svc.endpoint,
    region: o.region ?? 'us-east-1',
    credentials: { accessKeyId: o.accessKeyId ?? 'AKIDTEST', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
}

/** xorshift32: the same rows on every run. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

export interface ServingRows {
  /** INTERACTIONS_HEADER_4 rows. */
  rows: string[];
  /** Items of taste cluster A and B: even users like A, odd users B. */
  clusterA: string[];
  clusterB: string[];
  /** Taken one right after the other by `plantedUsers` users: the co-occurrence SIMS must find. */
  planted: [string, string];
  /** Distinct users per item, the popularity Popularity-Count ranks by. */
  usersPerItem: Map<string, number>;
  /** The newest timestamp of the rows. */
  end: number;
}

/**
 * Interactions of `users` users: each takes ~`perUser` items of its cluster (a skewed choice, so
 * some items are popular), a few of the other cluster, and every third user the planted pair.
 */
export function servingRows(o: { users?: number; perUser?: number; seed?: number; start?: number } = {}): ServingRows {
  const users = o.users ?? 120;
  const perUser = o.perUser ?? 14;
  const rand = random(o.seed ?? 20261207);
  const clusterA = Array.from({ length: 30 }, (_, i) => `a${i}`);
  const clusterB = Array.from({ length: 30 }, (_, i) => `b${i}`);
  const planted: [string, string] = ['x1', 'x2'];
  const pick = (list: string[]) => list[Math.floor(list.length * rand() ** 2)];
  const rows: string[] = [];
  const usersPerItem = new Map<string, Set<string>>();
  let t = o.start ?? 1_700_000_000;
  for (let u = 0; u < users; u++) {
    const user = `u${u}`;
    const own = u % 2 === 0 ? clusterA : clusterB;
    const other = u % 2 === 0 ? clusterB : clusterA;
    const items: string[] = [];
    for (let k = 0; k < perUser; k++) items.push(rand() < 0.9 ? pick(own) : pick(other));
    if (u % 3 === 0) items.splice(Math.floor(rand() * items.length), 0, ...planted);
    for (const item of items) {
      t += 1 + Math.floor(rand() * 60);
      rows.push(`${user},${item},${t},${rand() < 0.8 ? 'click' : 'purchase'}`);
      (usersPerItem.get(item) ?? usersPerItem.set(item, new Set()).get(item)!).add(user);
    }
  }
  return {
    rows,
    clusterA,
    clusterB,
    planted,
    usersPerItem: new Map([...usersPerItem].map(([item, set]) => [item, set.size])),
    end: t,
  };
}

/** Runs an import of `text` (a whole CSV file) into the dataset to its end. */
export async function importFile(svc: TestService, client: PersonalizeClient, bucket: Bucket, datasetArn: string, text: string) {
  const key = `${uniqueName('data')}.csv`;
  await bucket.put(key, text);
  const { datasetImportJobArn } = await client.send(
    new CreateDatasetImportJobCommand({
      jobName: uniqueName('imp'),
      datasetArn,
      dataSource: { dataLocation: `s3://${bucket.name}/${key}` },
    }),
  );
  await svc.runner.drain();
  const job = (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob!;
  assert.equal(job.status, 'ACTIVE', job.failureReason);
}

export const importRows = (
  svc: TestService,
  client: PersonalizeClient,
  bucket: Bucket,
  datasetArn: string,
  header: string,
  rows: string[],
) => importFile(svc, client, bucket, datasetArn, csv(header, rows));

/** A new ACTIVE solution of the recipe in the group (no automatic training). */
export async function activeSolution(client: PersonalizeClient, datasetGroupArn: string, recipe: string, o: { eventType?: string } = {}) {
  const { solutionArn } = await client.send(
    new CreateSolutionCommand({
      name: uniqueName('sol'),
      datasetGroupArn,
      recipeArn: recipeArn(recipe),
      performAutoTraining: false,
      eventType: o.eventType,
    }),
  );
  await waitFor(async () => (await client.send(new DescribeSolutionCommand({ solutionArn }))).solution?.status === 'ACTIVE');
  return solutionArn!;
}

/** Trains a new version of the solution (its job run by draining the runner); returns its ARN once ACTIVE. */
export async function trainedVersion(svc: TestService, client: PersonalizeClient, solutionArn: string): Promise<string> {
  const { solutionVersionArn } = await client.send(new CreateSolutionVersionCommand({ solutionArn }));
  await svc.runner.drain();
  const version = (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion!;
  assert.equal(version.status, 'ACTIVE', version.failureReason);
  return solutionVersionArn!;
}

/** Waits until DescribeCampaign shows the campaign ACTIVE (and its update, if any, ACTIVE too). */
export async function campaignActive(client: PersonalizeClient, campaignArn: string) {
  return waitFor(
    async () => {
      const c = (await client.send(new DescribeCampaignCommand({ campaignArn }))).campaign!;
      return c.status === 'ACTIVE' && (c.latestCampaignUpdate?.status ?? 'ACTIVE') === 'ACTIVE' && c;
    },
    10_000,
    'campaign ACTIVE',
  );
}

/** A new campaign of the version (or `<solution>/$LATEST`), waited until ACTIVE. */
export async function activeCampaign(
  client: PersonalizeClient,
  solutionVersionArn: string,
  campaignConfig?: CampaignConfig,
): Promise<string> {
  const { campaignArn } = await client.send(new CreateCampaignCommand({ name: uniqueName('c'), solutionVersionArn, campaignConfig }));
  await campaignActive(client, campaignArn!);
  return campaignArn!;
}
