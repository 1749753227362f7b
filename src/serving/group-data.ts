// A dataset group's data as the runtime reads it (FilterDataSource, serving-data.ts): a user's
// interactions now, and the Items and Users rows by ID; for action recommendations
// (ActionFilterData) the Actions rows and a user's action interactions (action-data.ts).
//
// What is cached and when it is read again:
//  * which datasets the group has, and the individual records' stamp of its Items, Users and
//    Actions datasets: re-read at most every `revalidateMs`;
//  * the bulk interactions as a per-user index (interaction-index.ts), per dataset generation
//    (its Parquet parts' keys, which are never reused);
//  * the bulk action interactions as a per-user index, per generation (action-data.ts);
//  * the Items / Users / Actions rows (bulk and individual records merged), per generation and records stamp.
// A new generation is built while the old one keeps answering (the first one is awaited), so an
// import never makes a request wait or fail. A user's individually put events are read from the
// record store on every call: a PutEvents counts on the very next request.
import type { CatalogOps, ResourceRecord } from '../catalog/catalog.ts';
import type { Config } from '../config/config.ts';
import { datasetViewSql } from '../data/engine/index.ts';
import { engineOptions } from '../data/engine/engine-options.ts';
import { withDuck } from '../data/engine/duck.ts';
import type { EngineOptions } from '../data/engine/types.ts';
import type { DatasetReader } from '../data/reader.ts';
import type { RecordStore, StoredRecord } from '../data/records/record-store.ts';
import { withWorkDir } from '../jobs/work-dir.ts';
import { DATASET_KIND, type DatasetBody } from '../resources/datasets/dataset-record.ts';
import { HISTORY_CAP } from '../training/models/user-model.ts';
import { ActionIndex, buildActionIndex, mergedActionInteractions, putActionInteractions } from './action-data.ts';
import type { ActionFilterData, ActionInteraction } from './filters/filter-evaluator.ts';
import { buildInteractionIndex, InteractionIndex } from './interaction-index.ts';
import type { FilterDataSource, UserInteraction } from './serving-data.ts';

export interface GroupDataDeps {
  catalog: Pick<CatalogOps, 'list'>;
  reader: DatasetReader;
  records: RecordStore;
  config: Config;
  now: () => number;
  log: (fields: Record<string, unknown>) => void;
  /** How long what the catalog says about the group's datasets is trusted before it is read again. */
  revalidateMs: number;
}

/** Interactions kept per user and event type: the models' history cap (filters look at fewer). */
export const KEPT_PER_EVENT_TYPE = HISTORY_CAP;

type Rows = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

const EMPTY_ROWS: Rows = new Map();

/** A value built from data named by a stamp: rebuilt when the stamp changes, the old value answering meanwhile. */
class Stamped<T> {
  private stamp: string | undefined;
  private value: T | undefined;
  private building: { stamp: string; promise: Promise<T> } | undefined;

  constructor(private readonly onError: (e: unknown) => void) {}

  get(stamp: string, build: () => Promise<T>): Promise<T> {
    if (this.value !== undefined && stamp === this.stamp) return Promise.resolve(this.value);
    if (this.building?.stamp !== stamp) {
      const promise = build().then(
        (v) => {
          // A newer build may have started meanwhile: only the build of the newest stamp wins.
          if (this.building?.promise === promise) ((this.value = v), (this.stamp = stamp), (this.building = undefined));
          return v;
        },
        (e: unknown) => {
          if (this.building?.promise === promise) this.building = undefined;
          throw e;
        },
      );
      this.building = { stamp, promise };
      if (this.value !== undefined) promise.catch(this.onError);
    }
    return this.value !== undefined ? Promise.resolve(this.value) : this.building.promise;
  }
}

/** Generations by the dataset document they were read from (one per revalidation, not one per request). */
const generations = new WeakMap<ResourceRecord, string>();

/** The dataset's bulk generation: its incarnation and its parts (keys are never reused). */
function generationOf(dataset: ResourceRecord): string {
  let generation = generations.get(dataset);
  if (generation === undefined) {
    const parts = (dataset.body as unknown as DatasetBody).bulk?.parts ?? [];
    generation = `${dataset.arn}@${dataset.createdAt}:${parts.map((p) => p.key).join(',')}`;
    generations.set(dataset, generation);
  }
  return generation;
}

const typed = (v: unknown): unknown => (typeof v === 'bigint' ? Number(v) : v);

/** What the catalog said of the group's datasets, and when it was asked. */
interface GroupView {
  at: number;
  datasets: Map<string, ResourceRecord>;
  /** Items, Users and Actions datasets' records stamps (RecordStore.stamp), by dataset ARN. */
  recordStamps: Map<string, string>;
}

export class GroupData implements FilterDataSource, ActionFilterData {
  private view: GroupView | undefined;
  private viewing: Promise<GroupView> | undefined;
  private readonly bulk: Stamped<InteractionIndex>;
  private readonly itemRows: Stamped<Rows>;
  private readonly userRows: Stamped<Rows>;
  private readonly actionRows: Stamped<Rows>;
  private readonly actionBulk: Stamped<ActionIndex>;

  constructor(
    private readonly deps: GroupDataDeps,
    readonly datasetGroupArn: string,
    private readonly account: string,
    private readonly region: string,
  ) {
    const onError = (e: unknown) =>
      deps.log({ level: 'warn', msg: 'serving data refresh failed', datasetGroup: datasetGroupArn, error: String(e) });
    this.bulk = new Stamped(onError);
    this.itemRows = new Stamped(onError);
    this.userRows = new Stamped(onError);
    this.actionRows = new Stamped(onError);
    this.actionBulk = new Stamped(onError);
  }

  /** The group's datasets by type, and the records stamps of Items and Users, at most revalidateMs old. */
  private async current(): Promise<GroupView> {
    const now = this.deps.now();
    if (this.view && now - this.view.at < this.deps.revalidateMs) return this.view;
    this.viewing ??= (async () => {
      const list = await this.deps.catalog.list({
        account: this.account,
        region: this.region,
        kind: DATASET_KIND.kind,
        parentArn: this.datasetGroupArn,
      });
      const datasets = new Map(list.map((d) => [(d.body as unknown as DatasetBody).datasetType as string, d]));
      const recordStamps = new Map<string, string>();
      for (const type of ['ITEMS', 'USERS', 'ACTIONS']) {
        const d = datasets.get(type);
        if (d) {
          const s = await this.deps.records.stamp(d.arn);
          recordStamps.set(d.arn, `${s.count}/${s.lastPutAt}`);
        }
      }
      return { at: now, datasets, recordStamps };
    })().finally(() => (this.viewing = undefined));
    this.view = await this.viewing;
    return this.view;
  }

  private withEngine<T>(fn: (engine: EngineOptions, dir: string) => Promise<T>): Promise<T> {
    return withWorkDir(this.deps.config.dataDir, 'serving', (dir) => fn(engineOptions(this.deps.config, dir), dir));
  }

  private async buildIndex(dataset: ResourceRecord): Promise<InteractionIndex> {
    const snapshot = await this.deps.reader.open(dataset.arn, 'BULK');
    if (typeof snapshot === 'string' || snapshot.bulk.length === 0) return InteractionIndex.EMPTY;
    const started = this.deps.now();
    const index = await this.withEngine((engine) =>
      buildInteractionIndex({
        view: datasetViewSql(
          snapshot.schema,
          snapshot.bulk.map((p) => p.path),
        ),
        schema: snapshot.schema,
        engine,
        capPerEventType: KEPT_PER_EVENT_TYPE,
      }),
    );
    this.deps.log({
      level: 'info',
      msg: 'serving index built',
      dataset: dataset.arn,
      users: index.userCount,
      interactions: index.size,
      durationMs: this.deps.now() - started,
    });
    return index;
  }

  /** Every row of the dataset now (bulk and individual records merged), by its ID column. */
  private async readRows(dataset: ResourceRecord, idColumn: string): Promise<Rows> {
    const snapshot = await this.deps.reader.open(dataset.arn, 'ALL');
    if (typeof snapshot === 'string') return EMPTY_ROWS;
    if (snapshot.bulk.length === 0 && snapshot.individual === 0) return EMPTY_ROWS;
    return this.withEngine(async (engine, dir) => {
      const sources = await this.deps.reader.sources(snapshot, 'ALL', dir, engine);
      const names = snapshot.schema.fields.map((f) => f.name);
      return withDuck(engine, async (c) => {
        const r = await c.runAndReadAll(datasetViewSql(snapshot.schema, sources));
        const out = new Map<string, Record<string, unknown>>();
        const id = names.indexOf(idColumn);
        for (const row of r.getRowsJS()) {
          const record: Record<string, unknown> = {};
          names.forEach((name, j) => (record[name] = typed(row[j])));
          if (row[id] !== null) out.set(String(row[id]), record);
        }
        return out;
      });
    });
  }

  async interactions(userId: string): Promise<readonly UserInteraction[]> {
    const dataset = (await this.current()).datasets.get('INTERACTIONS');
    if (!dataset) return [];
    const [index, records] = await Promise.all([
      this.bulk.get(generationOf(dataset), () => this.buildIndex(dataset)),
      this.deps.records.forUser(dataset.arn, userId),
    ]);
    const bulk = index.interactionsOf(userId);
    return records.length === 0 ? bulk : merged(bulk, records);
  }

  items(): Promise<Rows> {
    return this.rowsOf('ITEMS', 'ITEM_ID', this.itemRows);
  }

  users(): Promise<Rows> {
    return this.rowsOf('USERS', 'USER_ID', this.userRows);
  }

  actions(): Promise<Rows> {
    return this.rowsOf('ACTIONS', 'ACTION_ID', this.actionRows);
  }

  /** The user's action interactions now: bulk rows and put ones. */
  async actionInteractions(userId: string): Promise<readonly ActionInteraction[]> {
    const dataset = (await this.current()).datasets.get('ACTION_INTERACTIONS');
    if (!dataset) return [];
    const [index, records] = await Promise.all([
      this.actionBulk.get(generationOf(dataset), () =>
        this.withEngine((engine) => buildActionIndex(this.deps.reader, dataset.arn, engine)),
      ),
      this.deps.records.forUser(dataset.arn, userId),
    ]);
    return mergedActionInteractions(index.of(userId), records);
  }

  /** The user's action interactions put with PutActionInteractions (no bulk rows), oldest first. */
  async putActionInteractions(userId: string): Promise<readonly ActionInteraction[]> {
    const dataset = (await this.current()).datasets.get('ACTION_INTERACTIONS');
    return dataset ? putActionInteractions(await this.deps.records.forUser(dataset.arn, userId)) : [];
  }

  private async rowsOf(type: string, idColumn: string, cache: Stamped<Rows>): Promise<Rows> {
    const view = await this.current();
    const dataset = view.datasets.get(type);
    if (!dataset) return EMPTY_ROWS;
    const stamp = `${generationOf(dataset)}|${view.recordStamps.get(dataset.arn) ?? ''}`;
    return cache.get(stamp, () => this.readRows(dataset, idColumn));
  }
}

/**
 * Bulk interactions and individually put events together, oldest first, an exact duplicate of a
 * bulk row once (as the dataset view keeps it), the newest KEPT_PER_EVENT_TYPE per event type.
 */
export function merged(bulk: UserInteraction[], records: StoredRecord[]): UserInteraction[] {
  const key = (x: UserInteraction) => `${x.itemId}\u0000${x.eventType}\u0000${x.time}`;
  const seen = new Set(bulk.map(key));
  const all = [...bulk];
  for (const r of records) {
    const itemId = r.cells.ITEM_ID;
    const time = Number(r.cells.TIMESTAMP ?? 0);
    if (itemId === null || itemId === undefined || !Number.isFinite(time)) continue;
    const x: UserInteraction = { itemId, eventType: r.cells.EVENT_TYPE ?? '', time };
    const k = key(x);
    if (!seen.has(k)) (seen.add(k), all.push(x));
  }
  // Stable: at equal times bulk rows stay before events put later.
  all.sort((a, b) => a.time - b.time);
  const perType = new Map<string, number>();
  const kept: UserInteraction[] = [];
  for (let i = all.length - 1; i >= 0; i--) {
    const n = perType.get(all[i].eventType) ?? 0;
    if (n < KEPT_PER_EVENT_TYPE) (perType.set(all[i].eventType, n + 1), kept.push(all[i]));
  }
  return kept.reverse();
}
