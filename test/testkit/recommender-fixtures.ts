// What the recommender tests build on: Domain dataset groups with their domain's schemas, synthetic
// interactions of the event types the domain use cases count (View / Purchase, Watch / Click) with a
// planted structure (two taste clusters, a pair of items bought together in one basket), and a
// recommender trained to ACTIVE (its job run by draining the runner).
import assert from 'node:assert/strict';
import {
  CreateDatasetCommand,
  CreateRecommenderCommand,
  CreateSchemaCommand,
  DescribeDatasetCommand,
  DescribeRecommenderCommand,
  type Domain,
  type PersonalizeClient,
  type RecommenderConfig,
} from '@aws-sdk/client-personalize';
import type { Bucket } from './import-fixtures.ts';
import { activeGroup } from './resources.ts';
import { INTERACTIONS_HEADER_4 } from './rows.ts';
import { minimalSchemas } from './schemas.ts';
import { importRows, recipeArn } from './serving-fixtures.ts';
import { uniqueName, waitFor, type TestService } from './service-harness.ts';

const schema = (name: string, fields: unknown[]) =>
  JSON.stringify({ type: 'record', name, namespace: 'com.amazonaws.personalize.schema', version: '1.0', fields });

/** VIDEO_ON_DEMAND Items: the required GENRES and CREATION_TIMESTAMP. */
export const VOD_ITEMS_SCHEMA = schema('Items', [
  { name: 'ITEM_ID', type: 'string' },
  { name: 'GENRES', type: 'string', categorical: true },
  { name: 'CREATION_TIMESTAMP', type: 'long' },
]);
export const VOD_ITEMS_HEADER = 'ITEM_ID,GENRES,CREATION_TIMESTAMP';

/** A dataset of the domain's schema in the group, waited until ACTIVE. */
export async function domainDataset(client: PersonalizeClient, datasetGroupArn: string, domain: Domain, schemaText: string, type: string) {
  const { schemaArn } = await client.send(new CreateSchemaCommand({ name: uniqueName('s'), schema: schemaText, domain }));
  const { datasetArn } = await client.send(
    new CreateDatasetCommand({ name: uniqueName('d'), schemaArn, datasetGroupArn, datasetType: type }),
  );
  await waitFor(
    async () => (await client.send(new DescribeDatasetCommand({ datasetArn }))).dataset?.status === 'ACTIVE',
    10_000,
    'dataset',
  );
  return datasetArn!;
}

/** A Domain dataset group with an Interactions dataset holding `rows` (INTERACTIONS_HEADER_4). */
export async function domainGroupWith(svc: TestService, client: PersonalizeClient, bucket: Bucket, domain: Domain, rows: string[]) {
  const datasetGroupArn = await activeGroup(client, { domain });
  const interactionsArn = await domainDataset(client, datasetGroupArn, domain, minimalSchemas.interactions, 'Interactions');
  if (rows.length > 0) await importRows(svc, client, bucket, interactionsArn, INTERACTIONS_HEADER_4, rows);
  return { datasetGroupArn, interactionsArn };
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

export interface DomainRows {
  rows: string[];
  /** Even users take cluster A, odd users cluster B. */
  clusterA: string[];
  clusterB: string[];
  /** Bought together in one basket by every third user (ECOMMERCE). */
  pair: [string, string];
  /** Items per user and event type (lower case), as the rows hold them. */
  byUser: Map<string, Map<string, Set<string>>>;
  /** The newest timestamp (epoch seconds). */
  end: number;
}

/**
 * `users` users (default 80): each first browses its cluster (`browse` events each), then takes
 * `take` items in baskets of one to three, a basket's items a minute apart and baskets two hours
 * apart; every third user's first basket is the planted pair. ECOMMERCE: browse = View, take =
 * Purchase; VIDEO_ON_DEMAND: browse = Click, take = Watch. Enough of each for the 1,000 minimum.
 */
export function domainRows(
  domain: Domain,
  o: { users?: number; browse?: number; take?: number; seed?: number; start?: number } = {},
): DomainRows {
  const [browseType, takeType] = domain === 'ECOMMERCE' ? ['View', 'Purchase'] : ['Click', 'Watch'];
  const users = o.users ?? 80;
  const rand = random(o.seed ?? 7_412_993);
  const clusterA = Array.from({ length: 25 }, (_, i) => `a${i}`);
  const clusterB = Array.from({ length: 25 }, (_, i) => `b${i}`);
  const pair: [string, string] = ['p1', 'p2'];
  const pick = (list: string[]) => list[Math.floor(list.length * rand() ** 2)];
  const rows: string[] = [];
  const byUser = new Map<string, Map<string, Set<string>>>();
  let t = o.start ?? 1_700_000_000;
  const add = (user: string, item: string, type: string) => {
    rows.push(`${user},${item},${t},${type}`);
    const types = byUser.get(user) ?? byUser.set(user, new Map()).get(user)!;
    (types.get(type.toLowerCase()) ?? types.set(type.toLowerCase(), new Set()).get(type.toLowerCase())!).add(item);
  };
  for (let u = 0; u < users; u++) {
    const user = `u${u}`;
    const own = u % 2 === 0 ? clusterA : clusterB;
    for (let k = 0; k < (o.browse ?? 14); k++) {
      t += 30 + Math.floor(rand() * 60);
      add(user, pick(own), browseType);
    }
    let taken = 0;
    for (let basket = 0; taken < (o.take ?? 14); basket++) {
      t += 2 * 3600;
      const items = basket === 0 && u % 3 === 0 ? [...pair] : Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(own));
      for (const item of items) {
        t += 60;
        add(user, item, takeType);
        taken++;
      }
    }
  }
  return { rows, clusterA, clusterB, pair, byUser, end: t };
}

/** Creates a recommender, runs its training and returns its ARN once it is ACTIVE (or fails the test with its failureReason). */
export async function activeRecommender(
  svc: TestService,
  client: PersonalizeClient,
  datasetGroupArn: string,
  recipe: string,
  recommenderConfig?: RecommenderConfig,
): Promise<string> {
  const { recommenderArn } = await client.send(
    new CreateRecommenderCommand({ name: uniqueName('rec'), datasetGroupArn, recipeArn: recipeArn(recipe), recommenderConfig }),
  );
  await svc.runner.drain();
  const r = (await client.send(new DescribeRecommenderCommand({ recommenderArn }))).recommender!;
  assert.equal(r.status, 'ACTIVE', `${recipe}: ${r.failureReason}`);
  return recommenderArn!;
}
