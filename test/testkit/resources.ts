// Resources the API tests build on: an ACTIVE dataset group, ACTIVE datasets in it (each with a
// schema of its own), and a group holding one dataset of each of the five types.
import {
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateSchemaCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  type Domain,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import type { Bucket } from './import-fixtures.ts';
import { csv, INTERACTIONS_HEADER_4, interactionRows4 } from './rows.ts';
import { minimalSchemas } from './schemas.ts';
import { uniqueName, waitFor } from './service-harness.ts';

/** How long a group or dataset may take to become ACTIVE (the harness provisions in 60 ms; some tests in seconds). */
const ACTIVE_WITHIN_MS = 15_000;

/** A new dataset group, waited until ACTIVE. */
export async function activeGroup(client: PersonalizeClient, o: { domain?: Domain } = {}): Promise<string> {
  const { datasetGroupArn } = await client.send(new CreateDatasetGroupCommand({ name: uniqueName('g'), domain: o.domain }));
  await waitFor(
    async () => (await client.send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup?.status === 'ACTIVE',
    ACTIVE_WITHIN_MS,
    'group ACTIVE',
  );
  return datasetGroupArn!;
}

/** A new schema and a dataset of it in the group, waited until ACTIVE unless `wait` is false. */
export async function datasetIn(
  client: PersonalizeClient,
  datasetGroupArn: string,
  schema: string,
  datasetType: string,
  o: { wait?: boolean } = {},
): Promise<string> {
  const { schemaArn } = await client.send(new CreateSchemaCommand({ name: uniqueName('s'), schema }));
  const { datasetArn } = await client.send(new CreateDatasetCommand({ name: uniqueName('d'), schemaArn, datasetGroupArn, datasetType }));
  if (o.wait ?? true) {
    await waitFor(
      async () => (await client.send(new DescribeDatasetCommand({ datasetArn }))).dataset?.status === 'ACTIVE',
      ACTIVE_WITHIN_MS,
      'dataset ACTIVE',
    );
  }
  return datasetArn!;
}

/** A new ACTIVE dataset group with an ACTIVE dataset of the given schema. */
export async function activeDataset(
  client: PersonalizeClient,
  schema: string,
  datasetType: string,
): Promise<{ datasetArn: string; datasetGroupArn: string }> {
  const datasetGroupArn = await activeGroup(client);
  return { datasetArn: await datasetIn(client, datasetGroupArn, schema, datasetType), datasetGroupArn };
}

/** A new ACTIVE dataset group with ACTIVE datasets of the given schemas (dataset type -> schema JSON), made in order. */
export async function groupWithDatasets(
  client: PersonalizeClient,
  datasets: Record<string, string>,
): Promise<{ datasetGroupArn: string; datasetArns: Record<string, string> }> {
  const datasetGroupArn = await activeGroup(client);
  const datasetArns: Record<string, string> = {};
  for (const [type, schema] of Object.entries(datasets)) datasetArns[type] = await datasetIn(client, datasetGroupArn, schema, type);
  return { datasetGroupArn, datasetArns };
}

/** The five dataset types of a custom group, each with a minimal schema and a small file whose header fits it. */
export const DATASET_KINDS = [
  { type: 'Interactions', schema: minimalSchemas.interactions, file: csv(INTERACTIONS_HEADER_4, interactionRows4(3)) },
  { type: 'Items', schema: minimalSchemas.items, file: csv('ITEM_ID,GENRES', ['i1,Drama']) },
  { type: 'Users', schema: minimalSchemas.users, file: csv('USER_ID,AGE', ['u1,30']) },
  { type: 'Actions', schema: minimalSchemas.actions, file: csv('ACTION_ID,CATEGORY', ['a1,promo']) },
  {
    type: 'Action_Interactions',
    schema: minimalSchemas.actionInteractions,
    file: csv('USER_ID,ACTION_ID,EVENT_TYPE,TIMESTAMP', ['u1,a1,taken,1700000000']),
  },
] as const;

/** One new ACTIVE group with an ACTIVE dataset of each of the five types, each with its file at s3://bucket/<type>.csv. */
export async function fiveDatasets(client: PersonalizeClient, bucket: Bucket): Promise<{ arn: string; location: string }[]> {
  const group = await activeGroup(client);
  return Promise.all(
    DATASET_KINDS.map(async (kind) => {
      await bucket.put(`${kind.type}.csv`, kind.file);
      return { arn: await datasetIn(client, group, kind.schema, kind.type), location: `s3://${bucket.name}/${kind.type}.csv` };
    }),
  );
}
