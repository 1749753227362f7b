// Which of a dataset group's datasets a recipe's training reads, and what it needs of them
// (training-rules.md §1.3, rule 50), for the solution-version job: most recipes need the
// Interactions dataset (and use Items when there is one); Next-Best-Action also needs the Actions
// dataset and uses the Action interactions; Semantic-Similarity needs an Items dataset with an
// `itemName` field and a textual field and uses Interactions only when there are any.
//
// Failure texts where AWS publishes none [INF]: ours, naming the dataset and what it lacks.
// Semantic-Similarity with an Interactions dataset that fails the minimum-data rules (fewer than
// 1,000 interactions, ...) is trained without them [INF]: the interactions only rank by popularity
// there (rankingInfluence), and the recipe does not require them.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainingDataConfig } from '../api/personalize-types.ts';
import type { CatalogOps, ResourceRecord } from '../catalog/catalog.ts';
import { datasetViewSql } from '../data/engine/index.ts';
import { engineOptions } from '../data/engine/engine-options.ts';
import { withDuck } from '../data/engine/duck.ts';
import type { WorkerDeps } from '../data/jobs/work-deps.ts';
import type { DatasetSnapshot } from '../data/reader.ts';
import { JobFailure } from '../jobs/job-failure.ts';
import { dataStampOf } from '../resources/solution-versions/solution-version-record.ts';
import { loadActionTrainingData } from './action-training-data.ts';
import type { TrainingData } from './trainer.ts';
import { itemsMetadata, NO_INTERACTIONS_TEXT, type InteractionFilter, type TrainingDataResult } from './training-data.ts';
import { configColumns, datasetSnapshot, groupDataset, readTrainingData } from './training-input.ts';

export const NEXT_BEST_ACTION = 'aws-next-best-action';
export const SEMANTIC_SIMILARITY = 'aws-semantic-similarity';

export const NO_ACTIONS_TEXT =
  'Dataset group must contain an ACTIONS dataset with successfully completed dataset import job or actions put with PutActions: the Next-Best-Action recipe recommends the actions of the Actions dataset.';
export const NO_ITEMS_TEXT =
  'Dataset group must contain an ITEMS dataset with successfully completed dataset import job or items put with PutItems: the Semantic-Similarity recipe recommends items by the meaning of their text.';
export const ITEM_TEXT_FIELDS_TEXT =
  'The Items schema must have a string field with "itemName": true (the item\u2019s name or title) and at least one string field with "textual": true (its description) for the Semantic-Similarity recipe.';

type Deps = Pick<WorkerDeps, 'config' | 'reader'> & { catalog: Pick<CatalogOps, 'list'> };

export interface ReadOptions {
  workDir: string;
  filter: InteractionFilter;
  trainingDataConfig?: TrainingDataConfig;
  signal?: AbortSignal;
}

/** A recipe's training input, opened: what the version records of it, and how to read it. */
export interface TrainingInput {
  /** The Interactions dataset as read (dataStampOf): automatic training retrains when it changes. */
  dataStamp: string;
  read(o: ReadOptions): Promise<TrainingDataResult>;
}

type Group = { arn: string; account: string; region: string };

const subdir = (workDir: string, name: string) => {
  const d = join(workDir, name);
  mkdirSync(d, { recursive: true });
  return d;
};

async function snapshotOf(deps: Deps, group: Group, type: string): Promise<{ dataset?: ResourceRecord; snapshot?: DatasetSnapshot }> {
  const dataset = await groupDataset(deps.catalog, group, type);
  return { dataset, snapshot: await datasetSnapshot(deps.reader, dataset) };
}

/** The SELECT of a snapshot's current rows, its records written as parts under `dir`. */
async function viewOf(deps: Deps, snapshot: DatasetSnapshot, workDir: string, name: string) {
  const dir = subdir(workDir, name);
  const parts = await deps.reader.sources(snapshot, 'ALL', dir, engineOptions(deps.config, subdir(workDir, 'duck')));
  return { view: datasetViewSql(snapshot.schema, parts), schema: snapshot.schema };
}

/** Opens what the recipe (by name) trains on; throws JobFailure when a dataset it needs is missing or empty. */
export async function openTrainingInput(deps: Deps, recipeName: string | undefined, group: Group): Promise<TrainingInput> {
  if (recipeName === SEMANTIC_SIMILARITY) return openSemanticInput(deps, group);
  const interactions = await snapshotOf(deps, group, 'INTERACTIONS');
  if (!interactions.snapshot) throw new JobFailure(NO_INTERACTIONS_TEXT);
  const items = (await snapshotOf(deps, group, 'ITEMS')).snapshot;
  const actions = recipeName === NEXT_BEST_ACTION ? (await snapshotOf(deps, group, 'ACTIONS')).snapshot : undefined;
  if (recipeName === NEXT_BEST_ACTION && !actions) throw new JobFailure(NO_ACTIONS_TEXT);
  const actionInteractions = actions ? (await snapshotOf(deps, group, 'ACTION_INTERACTIONS')).snapshot : undefined;
  return {
    dataStamp: dataStampOf(interactions.dataset, interactions.snapshot.individual),
    async read(o) {
      const loaded = await readTrainingData(deps, { ...o, interactions: interactions.snapshot!, items });
      if (!loaded.ok || !actions) return loaded;
      const engine = engineOptions(deps.config, subdir(o.workDir, 'duck'));
      loaded.data.actions = await loadActionTrainingData({
        engine,
        actions: await viewOf(deps, actions, o.workDir, 'actions'),
        interactions: actionInteractions && (await viewOf(deps, actionInteractions, o.workDir, 'action-interactions')),
        signal: o.signal,
      });
      return loaded;
    },
  };
}

async function openSemanticInput(deps: Deps, group: Group): Promise<TrainingInput> {
  const items = (await snapshotOf(deps, group, 'ITEMS')).snapshot;
  if (!items) throw new JobFailure(NO_ITEMS_TEXT);
  const fields = items.schema.fields;
  if (!fields.some((f) => f.itemName) || !fields.some((f) => f.textual)) throw new JobFailure(ITEM_TEXT_FIELDS_TEXT);
  const interactions = await snapshotOf(deps, group, 'INTERACTIONS');
  return {
    dataStamp: dataStampOf(interactions.dataset, interactions.snapshot?.individual ?? 0),
    async read(o) {
      if (interactions.snapshot) {
        const loaded = await readTrainingData(deps, { ...o, interactions: interactions.snapshot, items });
        if (loaded.ok) return loaded;
      }
      // The items alone: no interactions, so no users.
      const engine = engineOptions(deps.config, subdir(o.workDir, 'duck'));
      const source = await viewOf(deps, items, o.workDir, 'items');
      const metadata = await withDuck(engine, (c) =>
        itemsMetadata(c, {
          ...source,
          excluded: configColumns(o.trainingDataConfig?.excludedDatasetColumns, 'ITEMS'),
          included: configColumns(o.trainingDataConfig?.includedDatasetColumns, 'ITEMS'),
        }),
      );
      const data: TrainingData = {
        userIds: [],
        itemIds: [],
        user: new Int32Array(0),
        item: new Int32Array(0),
        time: new Float64Array(0),
        weight: new Float32Array(0),
        eventType: new Int32Array(0),
        eventTypes: [],
        items: metadata.rows,
        itemFields: metadata.fields,
      };
      return { ok: true, data, counts: { interactions: 0, users: 0, usersWithTwo: 0, items: metadata.rows.size }, steps: {} };
    },
  };
}
