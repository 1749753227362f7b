// What a training job reads of a dataset group, shared by the solution-version job and the
// recommender-model job: the group's datasets of a type, each one's current snapshot (bulk parts
// and individually put records, DatasetReader), and from the Interactions and Items snapshots the
// trainer's input (training-data.ts), filtered and column-limited as the caller says.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainingDataConfig } from '../api/personalize-types.ts';
import type { CatalogOps, ResourceRecord } from '../catalog/catalog.ts';
import { datasetViewSql } from '../data/engine/index.ts';
import { engineOptions } from '../data/engine/engine-options.ts';
import type { WorkerDeps } from '../data/jobs/work-deps.ts';
import type { DatasetReader, DatasetSnapshot } from '../data/reader.ts';
import { DATASET_KIND, type DatasetBody } from '../resources/datasets/dataset-record.ts';
import { loadTrainingData, type InteractionFilter, type ItemsInput, type TrainingDataResult } from './training-data.ts';

/** The group's dataset of a type (INTERACTIONS, ITEMS, ...), if it has one. */
export async function groupDataset(
  catalog: Pick<CatalogOps, 'list'>,
  group: { arn: string; account: string; region: string },
  type: string,
): Promise<ResourceRecord | undefined> {
  const datasets = await catalog.list({ account: group.account, region: group.region, kind: DATASET_KIND.kind, parentArn: group.arn });
  return datasets.find((d) => (d.body as unknown as DatasetBody).datasetType === type);
}

/** The dataset now, or undefined when it is gone or holds no data. */
export async function datasetSnapshot(reader: DatasetReader, dataset: ResourceRecord | undefined): Promise<DatasetSnapshot | undefined> {
  if (!dataset) return undefined;
  const snapshot = await reader.open(dataset.arn, 'ALL');
  if (typeof snapshot === 'string' || (snapshot.bulk.length === 0 && snapshot.individual === 0)) return undefined;
  return snapshot;
}

/** Columns of a dataset type that a trainingDataConfig map names (any spelling of the type). */
export function configColumns(map: Record<string, string[]> | undefined, type: string): string[] | undefined {
  if (!map) return undefined;
  const entry = Object.entries(map).find(([k]) => k.toUpperCase().replace(/_/g, '') === type.replace(/_/g, ''));
  return entry?.[1];
}

/**
 * The trainer's input from the snapshots, or the reason there is too little of it: the
 * interactions that pass `filter`, and the Items rows (when there are any) with the columns
 * `trainingDataConfig` keeps. Scratch files go under `workDir`.
 */
export async function readTrainingData(
  deps: Pick<WorkerDeps, 'config' | 'reader'>,
  o: {
    workDir: string;
    interactions: DatasetSnapshot;
    items?: DatasetSnapshot;
    filter: InteractionFilter;
    trainingDataConfig?: TrainingDataConfig;
    signal?: AbortSignal;
  },
): Promise<TrainingDataResult> {
  const dir = (name: string) => {
    const d = join(o.workDir, name);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const engine = engineOptions(deps.config, dir('duck'));
  const interactionParts = await deps.reader.sources(o.interactions, 'ALL', dir('interactions'), engine);
  let items: ItemsInput | undefined;
  if (o.items) {
    const parts = await deps.reader.sources(o.items, 'ALL', dir('items'), engine);
    items = {
      view: datasetViewSql(o.items.schema, parts),
      schema: o.items.schema,
      excluded: configColumns(o.trainingDataConfig?.excludedDatasetColumns, 'ITEMS'),
      included: configColumns(o.trainingDataConfig?.includedDatasetColumns, 'ITEMS'),
    };
  }
  return loadTrainingData({
    engine,
    interactions: { view: datasetViewSql(o.interactions.schema, interactionParts), schema: o.interactions.schema },
    filter: o.filter,
    items,
    signal: o.signal,
  });
}
