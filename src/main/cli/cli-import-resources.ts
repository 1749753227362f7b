// The Personalize resources `openpersonalize import` needs, found by name through the public API
// (the CLI knows nothing the AWS API does not tell it) and created when missing.
import { createHash } from 'node:crypto';
import {
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateSchemaCommand,
  DescribeDatasetCommand,
  DescribeDatasetGroupCommand,
  DescribeSchemaCommand,
  paginateListDatasetGroups,
  paginateListDatasets,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { recordNameFor } from '../../data/schema/avro-schema-rules.ts';
import type { DatasetType, Domain } from '../../data/schema/schema-model.ts';
import { DATASET_GROUP_STATUSES } from '../../resources/dataset-groups/dataset-group-record.ts';
import { DATASET_STATUSES } from '../../resources/datasets/dataset-record.ts';
import { hasStatus, isFinal, isStatus, type StatusTable } from '../../resources/shared/status-table.ts';
import { CliError } from './cli-common.ts';

const POLL_MS = 100;
const ACTIVE_TIMEOUT_MS = 120_000;

export interface Target {
  datasetGroupArn: string;
  datasetArn: string;
  /** The schema the dataset has (its own when it existed, else the one given or inferred). */
  schemaJson: string;
  created: string[];
}

/**
 * Polls until the resource is ACTIVE. A status that cannot lead there ends the wait at once: a
 * final one, or one the kind's table does not declare (AWS's CREATE FAILED, never reported here).
 */
export async function waitActive(
  what: string,
  table: StatusTable,
  describe: () => Promise<{ status?: string; failureReason?: string } | undefined>,
): Promise<void> {
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (;;) {
    const r = await describe();
    if (hasStatus(table, r, 'ACTIVE')) return;
    if (r?.status !== undefined && (!isStatus(table, r.status) || isFinal(table, r.status))) {
      throw new Error(`${what} is ${r.status}: ${r.failureReason ?? 'no reason given'}`);
    }
    if (Date.now() > deadline) throw new Error(`${what} did not become ACTIVE within ${ACTIVE_TIMEOUT_MS / 1000}s (status ${r?.status})`);
    await new Promise((res) => setTimeout(res, POLL_MS));
  }
}

async function findGroup(client: PersonalizeClient, name: string): Promise<string | undefined> {
  for await (const page of paginateListDatasetGroups({ client }, {})) {
    const g = page.datasetGroups?.find((x) => x.name === name);
    if (g) return g.datasetGroupArn;
  }
  return undefined;
}

async function findDataset(client: PersonalizeClient, groupArn: string, type: DatasetType): Promise<string | undefined> {
  for await (const page of paginateListDatasets({ client }, { datasetGroupArn: groupArn })) {
    const d = page.datasets?.find((x) => x.datasetType?.toUpperCase().replace('_', '') === type.replace('_', ''));
    if (d) return d.datasetArn;
  }
  return undefined;
}

/** Schema names are per account: the group, the type and a digest of the content, so the same
 *  schema is reused by later imports and a different one never collides with it. */
function schemaName(group: string, type: DatasetType, json: string): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(JSON.parse(json)))
    .digest('hex')
    .slice(0, 10);
  return `${group}-${type.toLowerCase().replace('_', '-')}-${digest}`;
}

export async function ensureTarget(
  client: PersonalizeClient,
  o: { group: string; type: DatasetType; domain?: Domain; schemaJson?: () => Promise<string>; log: (s: string) => void },
): Promise<Target> {
  const created: string[] = [];
  let groupArn = await findGroup(client, o.group);
  if (!groupArn) {
    groupArn = (await client.send(new CreateDatasetGroupCommand({ name: o.group, ...(o.domain ? { domain: o.domain } : {}) })))
      .datasetGroupArn!;
    created.push(`dataset group ${o.group}`);
    o.log(`created dataset group ${groupArn}`);
  }
  const gArn = groupArn;
  await waitActive(
    `dataset group ${o.group}`,
    DATASET_GROUP_STATUSES,
    async () => (await client.send(new DescribeDatasetGroupCommand({ datasetGroupArn: gArn }))).datasetGroup,
  );

  let datasetArn = await findDataset(client, gArn, o.type);
  if (datasetArn) {
    const dArn = datasetArn;
    const d = (await client.send(new DescribeDatasetCommand({ datasetArn: dArn }))).dataset!;
    const s = (await client.send(new DescribeSchemaCommand({ schemaArn: d.schemaArn }))).schema!;
    await waitActive(
      `dataset ${d.name}`,
      DATASET_STATUSES,
      async () => (await client.send(new DescribeDatasetCommand({ datasetArn: dArn }))).dataset,
    );
    return { datasetGroupArn: gArn, datasetArn: dArn, schemaJson: s.schema!, created };
  }
  if (!o.schemaJson) {
    throw new CliError(
      `dataset group ${o.group} has no ${recordNameFor(o.type)} dataset yet: give --schema SCHEMA.json or --infer-schema to create it`,
    );
  }
  const json = await o.schemaJson();
  const name = schemaName(o.group, o.type, json);
  let schemaArn: string;
  try {
    schemaArn = (await client.send(new CreateSchemaCommand({ name, schema: json, ...(o.domain ? { domain: o.domain } : {}) }))).schemaArn!;
    created.push(`schema ${name}`);
    o.log(`created schema ${schemaArn}`);
  } catch (e) {
    // Same name = same content (the digest): an earlier run created it.
    if ((e as Error).name !== 'ResourceAlreadyExistsException') throw e;
    schemaArn = gArn.replace(/:dataset-group\/.*$/, `:schema/${name}`);
  }
  const datasetName = `${o.group}-${o.type.toLowerCase().replace('_', '-')}`;
  datasetArn = (
    await client.send(
      new CreateDatasetCommand({
        name: datasetName,
        schemaArn,
        datasetGroupArn: gArn,
        datasetType: o.type === 'ACTION_INTERACTIONS' ? 'Action_Interactions' : recordNameFor(o.type),
      }),
    )
  ).datasetArn!;
  created.push(`dataset ${datasetName}`);
  o.log(`created dataset ${datasetArn}`);
  const dArn = datasetArn;
  await waitActive(
    `dataset ${datasetName}`,
    DATASET_STATUSES,
    async () => (await client.send(new DescribeDatasetCommand({ datasetArn: dArn }))).dataset,
  );
  return { datasetGroupArn: gArn, datasetArn: dArn, schemaJson: json, created };
}
