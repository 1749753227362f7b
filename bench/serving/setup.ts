// The serving benchmark's data and resources: interactions with structure on a catalog of
// `items` items, imported, trained with aws-user-personalization, deployed as a campaign, and a
// filter on Interactions — all through the AWS SDK, as a user would.
//
// The data: users in 50 taste clusters; a cluster's items are those with index ≡ cluster (mod 50),
// taken with a skew (a few popular ones); one interaction in five is the next item of a fixed
// permutation of the whole catalog, so every item appears (the model's catalog is `items` items)
// and users have some taste outside their cluster. One event in seven is a purchase (what the
// filter excludes), the rest clicks; timestamps increase.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateCampaignCommand,
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  CreateFilterCommand,
  CreateSchemaCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeCampaignCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeDatasetImportJobCommand,
  DescribeFilterCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';

const CLUSTERS = 50;
/** A prime: for a catalog size that is not a multiple of it, k·STRIDE mod items visits every item once per cycle. */
const STRIDE = 7919;

/** Writes the interactions CSV; returns how many rows it has. */
export function writeInteractions(path: string, users: number, items: number, perUser: number): number {
  let seed = 20260101;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), seed / 4294967296);
  const perCluster = Math.ceil(items / CLUSTERS);
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  let uniform = 0;
  let t = 1_700_000_000;
  for (let u = 0; u < users; u++) {
    const cluster = u % CLUSTERS;
    for (let k = Math.max(1, Math.round(perUser * (0.4 + 1.2 * rand()))); k > 0; k--) {
      let item: number;
      if (rand() < 0.2) item = (uniform++ * STRIDE) % items;
      else item = Math.min(items - 1, cluster + CLUSTERS * Math.floor(perCluster * rand() ** 3));
      lines.push(`u${u},i${item},${(t += 1 + Math.floor(rand() * 5))},${rand() < 1 / 7 ? 'purchase' : 'click'}`);
    }
  }
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, lines.join('\n') + '\n');
  return lines.length - 1;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, read: () => Promise<boolean>, timeoutMs = 10 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await read())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export interface ServingSetup {
  campaignArn: string;
  filterArn: string;
  trainSeconds: number;
}

export const PURCHASE_FILTER = 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")';

/** Imports `s3://bench/interactions.csv`, trains, deploys; creates the filter meanwhile. */
export async function deploy(client: PersonalizeClient): Promise<ServingSetup> {
  const schema = JSON.stringify({
    type: 'record',
    name: 'Interactions',
    namespace: 'com.amazonaws.personalize.schema',
    version: '1.0',
    fields: ['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'EVENT_TYPE'].map((name) => ({ name, type: name === 'TIMESTAMP' ? 'long' : 'string' })),
  });
  const { schemaArn } = await client.send(new CreateSchemaCommand({ name: 'bench', schema }));
  const { datasetGroupArn } = await client.send(new CreateDatasetGroupCommand({ name: 'bench' }));
  await until(
    'group',
    async () => (await client.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup?.status === 'ACTIVE',
  );
  const { datasetArn } = await client.send(
    new CreateDatasetCommand({ name: 'bench', schemaArn, datasetGroupArn, datasetType: 'Interactions' }),
  );
  await until('dataset', async () => (await client.send(new DescribeDatasetCommand({ datasetArn }))).dataset?.status === 'ACTIVE');
  const { datasetImportJobArn } = await client.send(
    new CreateDatasetImportJobCommand({ jobName: 'bench', datasetArn, dataSource: { dataLocation: 's3://bench/interactions.csv' } }),
  );
  await until('import', async () => {
    const job = (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob;
    if (job?.status === 'CREATE FAILED') throw new Error(`import failed: ${job.failureReason}`);
    return job?.status === 'ACTIVE';
  });
  const { filterArn } = await client.send(
    new CreateFilterCommand({ name: 'no-purchased', datasetGroupArn, filterExpression: PURCHASE_FILTER }),
  );
  const { solutionArn } = await client.send(
    new CreateSolutionCommand({
      name: 'bench',
      datasetGroupArn,
      recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization',
      performAutoTraining: false,
    }),
  );
  await until('solution', async () => (await client.send(new DescribeSolutionCommand({ solutionArn }))).solution?.status === 'ACTIVE');
  const trainStart = performance.now();
  const { solutionVersionArn } = await client.send(new CreateSolutionVersionCommand({ solutionArn }));
  await until('training', async () => {
    const v = (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion;
    if (v?.status === 'CREATE FAILED') throw new Error(`training failed: ${v.failureReason}`);
    return v?.status === 'ACTIVE';
  });
  const trainSeconds = (performance.now() - trainStart) / 1000;
  const { campaignArn } = await client.send(new CreateCampaignCommand({ name: 'bench', solutionVersionArn, minProvisionedTPS: 1 }));
  await until('campaign', async () => (await client.send(new DescribeCampaignCommand({ campaignArn }))).campaign?.status === 'ACTIVE');
  await until('filter', async () => (await client.send(new DescribeFilterCommand({ filterArn }))).filter?.status === 'ACTIVE');
  return { campaignArn: campaignArn!, filterArn: filterArn!, trainSeconds };
}
