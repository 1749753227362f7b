// Whether a dataset group's interactions changed since a model read them: what automatic training
// and recommenders' retraining ask before they train again.
import type { CatalogOps } from '../../catalog/catalog.ts';
import { DATASET_KIND, type DatasetBody } from '../datasets/dataset-record.ts';
import { dataStampOf } from '../solution-versions/solution-version-record.ts';

/** How many individually put records a dataset holds (the record store's count). */
export type RecordCounter = (datasetArn: string) => Promise<number>;

/**
 * What the dataset group's interactions are now (dataStampOf: what a version records of the data
 * it read), or undefined when it has none. Read outside a transaction: the record store shares
 * the catalog's database.
 */
export async function interactionsStamp(
  ops: Pick<CatalogOps, 'list'>,
  group: { account: string; region: string; arn: string },
  countRecords: RecordCounter,
): Promise<string | undefined> {
  const datasets = await ops.list({ account: group.account, region: group.region, kind: DATASET_KIND.kind, parentArn: group.arn });
  const interactions = datasets.find((d) => (d.body as unknown as DatasetBody).datasetType === 'INTERACTIONS');
  if (!interactions) return undefined;
  const individual = await countRecords(interactions.arn);
  if (!(interactions.body as unknown as DatasetBody).bulk && individual === 0) return undefined;
  return dataStampOf(interactions, individual);
}
