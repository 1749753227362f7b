// Which interactions make a user's history when a model answers (training-rules.md rule 120): "your
// model learns from bulk item interaction ... data only after the next training. Bulk data isn't
// used to update recommendations for real-time personalization." Events put since (PutEvents)
// are used at once (rule 119).
//
// So a deployed version reads a user's history from the bulk generation it was trained on — the
// Interactions dataset's parts that the training read, which the version records (dataStamp) —
// plus the user's individually put events, all of them (those before the training were in its
// data, those after are real time). A bulk import after the training changes the history only
// once a version trained on it is deployed. Filters, by contrast, see the data now (rule 125:
// group-data.ts).
//
// Cost: when the dataset's current generation is still the trained one (the common case) this is
// exactly the group's data (GroupData answers, one index in memory). Otherwise the trained
// generation gets its own index (interaction-index.ts), built once per node from the parts, which
// stay in storage while a campaign deploys the version (trainedPartsInUse: the orphan sweep keeps
// them); at most MAX_TRAINED_INDEXES such indexes per node, least recently used dropped.
//
// Fallbacks to the data now, deliberately: a version without a recorded dataStamp (trained before
// it was recorded); a data deletion job completed in the group after the version was created —
// AWS removes the deleted users "from all datasets and models" (rules.md rule 72), so their old
// bulk rows must not come back through the trained generation (its parts are then no longer kept
// either); and parts that can no longer be read (logged).
import type { CatalogOps, ResourceRecord } from '../catalog/catalog.ts';
import type { Config } from '../config/config.ts';
import { datasetViewSql } from '../data/engine/index.ts';
import { engineOptions } from '../data/engine/engine-options.ts';
import type { PartStore } from '../data/generations/part-store.ts';
import type { DatasetReader } from '../data/reader.ts';
import type { RecordStore } from '../data/records/record-store.ts';
import { withWorkDir } from '../jobs/work-dir.ts';
import { DATA_DELETION_JOB_KIND } from '../resources/data-deletion-jobs/data-deletion-job-record.ts';
import type { DatasetBody } from '../resources/datasets/dataset-record.ts';
import type { SolutionVersionBody } from '../resources/solution-versions/solution-version-record.ts';
import { KEPT_PER_EVENT_TYPE, merged } from './group-data.ts';
import { buildInteractionIndex, InteractionIndex } from './interaction-index.ts';
import { poolDatasets } from './item-pool.ts';
import type { FilterDataSource, UserInteraction } from './serving-data.ts';

/** Trained generations (other than the current ones) whose index a node keeps at most. */
export const MAX_TRAINED_INDEXES = 4;

/** How long a generation whose parts could not be read is not tried again. */
const UNAVAILABLE_RETRY_MS = 60_000;

/** The Interactions parts the version was trained on (from its dataStamp), or undefined when it recorded none. */
export function trainedPartKeys(body: Partial<SolutionVersionBody>): string[] | undefined {
  if (typeof body.dataStamp !== 'string') return undefined;
  try {
    const [keys] = JSON.parse(body.dataStamp) as unknown[];
    return Array.isArray(keys) && keys.every((k) => typeof k === 'string') ? keys : undefined;
  } catch {
    return undefined;
  }
}

/** When the group's newest COMPLETED data deletion job ended (0 without one). */
async function lastDeletionAt(catalog: Pick<CatalogOps, 'list'>, group: { arn: string; account: string; region: string }): Promise<number> {
  const [job] = await catalog.list({
    account: group.account,
    region: group.region,
    kind: DATA_DELETION_JOB_KIND.kind,
    parentArn: group.arn,
    statusIn: ['COMPLETED'],
  });
  return job?.updatedAt ?? 0;
}

/** The version's trained parts if its history is read from them (not superseded by a data deletion). */
async function keptTrainedKeys(catalog: Pick<CatalogOps, 'list'>, version: ResourceRecord): Promise<string[] | undefined> {
  const body = version.body as unknown as SolutionVersionBody;
  const keys = trainedPartKeys(body);
  if (!keys) return undefined;
  const deleted = await lastDeletionAt(catalog, { arn: body.datasetGroupArn, account: version.account, region: version.region });
  return deleted > version.createdAt ? undefined : keys;
}

/** The dataset parts that deployed versions read histories from (the orphan sweep keeps them). */
export async function trainedPartsInUse(catalog: Pick<CatalogOps, 'get' | 'list'>, versionArns: Iterable<string>): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const arn of versionArns) {
    const version = await catalog.get(arn);
    if (version) for (const k of (await keptTrainedKeys(catalog, version)) ?? []) keys.add(k);
  }
  return keys;
}

export interface TrainedHistoryDeps {
  catalog: Pick<CatalogOps, 'list'>;
  reader: DatasetReader;
  parts: Pick<PartStore, 'localPaths'>;
  records: Pick<RecordStore, 'forUser'>;
  config: Config;
  now: () => number;
  log: (fields: Record<string, unknown>) => void;
  revalidateMs: number;
}

/** What a node knows of a group for this: its Interactions dataset and its latest data deletion. */
interface GroupState {
  interactions: ResourceRecord | undefined;
  deletedAt: number;
}

const sameKeys = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((k, i) => k === b[i]);

export class TrainedHistories {
  private readonly groups = new Map<string, { at: number; state: Promise<GroupState> }>();
  /** Map order is recency: the first entry is the least recently used. */
  private readonly indexes = new Map<string, { at: number; index: Promise<InteractionIndex | undefined> }>();

  constructor(private readonly deps: TrainedHistoryDeps) {}

  private groupState(group: { arn: string; account: string; region: string }): Promise<GroupState> {
    const now = this.deps.now();
    const known = this.groups.get(group.arn);
    if (known && now - known.at < this.deps.revalidateMs) return known.state;
    const state = (async () => ({
      interactions: (await poolDatasets(this.deps, group)).interactions,
      deletedAt: await lastDeletionAt(this.deps.catalog, group),
    }))();
    state.catch(() => this.groups.delete(group.arn));
    this.groups.set(group.arn, { at: now, state });
    if (this.groups.size > 256) this.groups.delete(this.groups.keys().next().value!);
    return state;
  }

  private index(dataset: ResourceRecord, keys: string[]): Promise<InteractionIndex | undefined> {
    const id = `${dataset.arn}@${dataset.createdAt}:${keys.join(',')}`;
    const now = this.deps.now();
    const known = this.indexes.get(id);
    if (known) {
      this.indexes.delete(id);
      this.indexes.set(id, known);
      return known.index.then((index) => (index || now - known.at < UNAVAILABLE_RETRY_MS ? index : this.build(id, dataset, keys)));
    }
    return this.build(id, dataset, keys);
  }

  private build(id: string, dataset: ResourceRecord, keys: string[]): Promise<InteractionIndex | undefined> {
    const started = this.deps.now();
    const index = (async () => {
      if (keys.length === 0) return InteractionIndex.EMPTY;
      const snapshot = await this.deps.reader.open(dataset.arn, 'PUT');
      if (typeof snapshot === 'string') return undefined;
      const paths = await this.deps.parts.localPaths(keys);
      return withWorkDir(this.deps.config.dataDir, 'serving', (dir) =>
        buildInteractionIndex({
          view: datasetViewSql(snapshot.schema, paths),
          schema: snapshot.schema,
          engine: engineOptions(this.deps.config, dir),
          capPerEventType: KEPT_PER_EVENT_TYPE,
        }),
      );
    })().then(
      (built) => {
        if (built)
          this.deps.log({
            level: 'info',
            msg: 'trained history index built',
            dataset: dataset.arn,
            users: built.userCount,
            interactions: built.size,
            durationMs: this.deps.now() - started,
          });
        return built;
      },
      (e: unknown) => {
        this.deps.log({
          level: 'warn',
          msg: 'trained generation unreadable; histories use the data now',
          dataset: dataset.arn,
          error: String(e),
        });
        return undefined;
      },
    );
    this.indexes.delete(id);
    this.indexes.set(id, { at: started, index });
    while (this.indexes.size > MAX_TRAINED_INDEXES) this.indexes.delete(this.indexes.keys().next().value!);
    return index;
  }

  /**
   * A user's history for the deployed version: the trained bulk generation and every put event
   * (see the header); `data` (the group's data now) where that is the same or cannot be used.
   */
  async interactions(version: ResourceRecord, data: FilterDataSource, userId: string): Promise<readonly UserInteraction[]> {
    const body = version.body as unknown as SolutionVersionBody;
    const keys = trainedPartKeys(body);
    if (!keys) return data.interactions(userId);
    const state = await this.groupState({ arn: body.datasetGroupArn, account: version.account, region: version.region });
    const dataset = state.interactions;
    if (!dataset || state.deletedAt > version.createdAt) return data.interactions(userId);
    if (
      sameKeys(
        keys,
        ((dataset.body as unknown as DatasetBody).bulk?.parts ?? []).map((p) => p.key),
      )
    )
      return data.interactions(userId);
    const index = await this.index(dataset, keys);
    if (!index) return data.interactions(userId);
    const records = await this.deps.records.forUser(dataset.arn, userId);
    const bulk = index.interactionsOf(userId);
    return records.length === 0 ? bulk : merged(bulk, records);
  }
}
