// What the batch job tests build on: a dataset group with the planted interactions of
// serving-fixtures.ts and Items with genres, names and descriptions, trained versions of the
// recipes a test needs; filters waited until ACTIVE; a batch job run to its end (its worker run by
// draining the runner); and the `.out` files read back as lines.
import assert from 'node:assert/strict';
import {
  CreateBatchInferenceJobCommand,
  CreateBatchSegmentJobCommand,
  CreateFilterCommand,
  DescribeBatchInferenceJobCommand,
  DescribeBatchSegmentJobCommand,
  DescribeFilterCommand,
  type BatchInferenceJob,
  type BatchSegmentJob,
  type CreateBatchInferenceJobCommandInput,
  type CreateBatchSegmentJobCommandInput,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import type { Bucket } from './import-fixtures.ts';
import { activeGroup, datasetIn } from './resources.ts';
import { INTERACTIONS_HEADER_4 } from './rows.ts';
import { minimalSchemas } from './schemas.ts';
import { activeSolution, importRows, servingRows, trainedVersion, type ServingRows } from './serving-fixtures.ts';
import { uniqueName, waitFor, type TestService } from './service-harness.ts';

export const ROLE_ARN = 'arn:aws:iam::000000000000:role/PersonalizeBatch';

/** Items with a genre, a name (TITLE) and a description (textual): what themes are made from. */
export const ITEMS_SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Items',
  namespace: 'com.amazonaws.personalize.schema',
  version: '1.0',
  fields: [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'GENRES', type: ['null', 'string'], categorical: true },
    { name: 'TITLE', type: ['null', 'string'] },
    { name: 'DESCRIPTION', type: ['null', 'string'], textual: true },
  ],
});

/** Cluster A is drama, but for every fourth item (a thriller); cluster B comedy. */
export const genreOf = (id: string) =>
  id.startsWith('a') ? (Number(id.slice(1)) % 4 === 0 ? 'Thriller' : 'Drama') : id.startsWith('b') ? 'Comedy' : 'Documentary';
export const descriptionOf = (id: string) =>
  id.startsWith('a')
    ? 'A moving family saga of loss and hope'
    : id.startsWith('b')
      ? 'A silly road trip with jokes and pranks'
      : 'Facts about nature';

/** The group, its data, and an ACTIVE version of each recipe (by the caller's key). */
export async function batchGroup<K extends string>(
  svc: TestService,
  client: PersonalizeClient,
  bucket: Bucket,
  recipes: Record<K, string>,
): Promise<{ datasetGroupArn: string; data: ServingRows; versions: Record<K, string> }> {
  const data = servingRows();
  const datasetGroupArn = await activeGroup(client);
  const interactions = await datasetIn(client, datasetGroupArn, minimalSchemas.interactions, 'Interactions');
  const items = await datasetIn(client, datasetGroupArn, ITEMS_SCHEMA, 'Items');
  await importRows(svc, client, bucket, interactions, INTERACTIONS_HEADER_4, data.rows);
  const itemRows = [...data.usersPerItem.keys()].map((id) => `${id},${genreOf(id)},Title ${id.toUpperCase()},${descriptionOf(id)}`);
  await importRows(svc, client, bucket, items, 'ITEM_ID,GENRES,TITLE,DESCRIPTION', itemRows);
  const versions = {} as Record<K, string>;
  for (const [key, recipe] of Object.entries(recipes) as [K, string][])
    versions[key] = await trainedVersion(svc, client, await activeSolution(client, datasetGroupArn, recipe));
  return { datasetGroupArn, data, versions };
}

export async function activeFilter(client: PersonalizeClient, datasetGroupArn: string, filterExpression: string): Promise<string> {
  const { filterArn } = await client.send(new CreateFilterCommand({ name: uniqueName('f'), datasetGroupArn, filterExpression }));
  await waitFor(async () => (await client.send(new DescribeFilterCommand({ filterArn }))).filter?.status === 'ACTIVE');
  return filterArn!;
}

type InferenceInput = Omit<CreateBatchInferenceJobCommandInput, 'jobName' | 'roleArn'> & { jobName?: string };
type SegmentInput = Omit<CreateBatchSegmentJobCommandInput, 'jobName' | 'roleArn'> & { jobName?: string };

/** Creates a batch inference job, runs it (drains the runner) and returns it as Describe shows it then. */
export async function runInferenceJob(svc: TestService, client: PersonalizeClient, input: InferenceInput): Promise<BatchInferenceJob> {
  const { batchInferenceJobArn } = await client.send(
    new CreateBatchInferenceJobCommand({ jobName: uniqueName('bij'), roleArn: ROLE_ARN, ...input }),
  );
  await svc.runner.drain();
  return (await client.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn }))).batchInferenceJob!;
}

export async function runSegmentJob(svc: TestService, client: PersonalizeClient, input: SegmentInput): Promise<BatchSegmentJob> {
  const { batchSegmentJobArn } = await client.send(
    new CreateBatchSegmentJobCommand({ jobName: uniqueName('bsj'), roleArn: ROLE_ARN, ...input }),
  );
  await svc.runner.drain();
  return (await client.send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn }))).batchSegmentJob!;
}

/** The lines of an output file, as text. */
export async function outTextLines(bucket: Bucket, key: string): Promise<string[]> {
  const text = await bucket.get(key);
  assert.ok(text.endsWith('\n'), `${key} ends with a newline`);
  return text.slice(0, -1).split('\n');
}

export interface OutLine {
  input: Record<string, unknown> | string;
  output: {
    recommendedItems?: string[];
    scores?: number[];
    theme?: string;
    itemsThemeRelevanceScores?: number[];
    usersList?: string[];
  } | null;
  error: string | null;
}

export async function outLines(bucket: Bucket, key: string): Promise<OutLine[]> {
  return (await outTextLines(bucket, key)).map((l) => JSON.parse(l) as OutLine);
}

/** JSON Lines text of the given objects. */
export const jsonLines = (lines: unknown[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';
