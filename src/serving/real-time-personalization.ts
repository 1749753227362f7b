// What a node adds to a User-Personalization campaign's answer beyond its model (training-rules.md
// §10): the user's history as rule 120 defines it (trained-history.ts), and exploration of new and
// little-known items from the version's item pool (item-pool.ts, item-exploration.ts), placeholders
// and reasons (user-lists.ts).
//
// Per request the runtime asks `request(deployed)` for the deployment whose data answers a user's
// interactions per rule 120 (read once per request, shared by the model and the last steps), and
// then `finish` for the last steps. What the node caches:
//  * the deployed version's document, read again at most every revalidateMs: its `autoUpdate`
//    names the item pool of the latest automatic update (new-items-update-work.ts), so every node
//    switches to a new pool within that period;
//  * item pools by blob key (immutable), and a version's initial pool (its model's items, or for
//    an UPDATE version every item of the group's data, built from the group's data on first use);
//    at most MAX_POOLS, least recently used dropped. A pool that cannot be read or built means no
//    exploration (logged), tried again after a minute.
import type { CatalogOps, ResourceRecord } from '../catalog/catalog.ts';
import type { ModelStore } from '../training/model-store.ts';
import { UserModel } from '../training/models/user-model.ts';
import { EXPLORING_RECIPES, explorationConfigOf, seededRandom } from './item-exploration.ts';
import { buildItemPool, parsePool, type ItemPool, type PoolDeps } from './item-pool.ts';
import { autoUpdateOf } from './model-update-record.ts';
import { historyOf, runtimeKindOf, type Deployed, type ItemPredicate, type Recommended } from './recommendations.ts';
import type { FilterDataSource, UserInteraction } from './serving-data.ts';
import { TrainedHistories, type TrainedHistoryDeps } from './trained-history.ts';
import { finishUserList, type Answered } from './user-lists.ts';

export const MAX_POOLS = 16;
const RETRY_MS = 60_000;

export interface RealTimeDeps extends TrainedHistoryDeps, PoolDeps {
  catalog: Pick<CatalogOps, 'get' | 'list'>;
  models: Pick<ModelStore, 'get'>;
}

export interface FinishQuery {
  userId?: string;
  numResults: number;
  keep?: ItemPredicate;
  /** The campaign's itemExplorationConfig (absent: the defaults). */
  itemExplorationConfig?: Record<string, string>;
  /** What identifies the request for exploration's random draw (campaign, filter, promotion...). */
  seed: string;
  /** The request's context: explored items get the scores the model gives them in it. */
  context?: Record<string, string>;
}

export interface PersonalizedRequest {
  /** The deployment, its data answering a user's interactions per rule 120 (once per request). */
  deployed: Deployed;
  finish(items: Recommended[], q: FinishQuery): Promise<Answered[]>;
}

export class RealTimePersonalization {
  private readonly histories: TrainedHistories;
  private readonly versions = new Map<string, { at: number; record: Promise<ResourceRecord | undefined> }>();
  /** Map order is recency: the first entry is the least recently used. */
  private readonly pools = new Map<string, { at: number; pool: Promise<ItemPool | undefined> }>();

  constructor(private readonly deps: RealTimeDeps) {
    this.histories = new TrainedHistories(deps);
  }

  /** The version's document, at most revalidateMs old. */
  private versionRecord(arn: string): Promise<ResourceRecord | undefined> {
    const now = this.deps.now();
    const known = this.versions.get(arn);
    if (known && now - known.at < this.deps.revalidateMs) return known.record;
    const record = this.deps.catalog.get(arn);
    record.catch(() => this.versions.delete(arn));
    this.versions.set(arn, { at: now, record });
    if (this.versions.size > 10_000) this.versions.delete(this.versions.keys().next().value!);
    return record;
  }

  /** Reads the version's document again on its next use (a batch job has just updated it). */
  forgetVersion(arn: string): void {
    this.versions.delete(arn);
  }

  private cachedPool(id: string, load: () => Promise<ItemPool>): Promise<ItemPool | undefined> {
    const now = this.deps.now();
    const known = this.pools.get(id);
    if (known) {
      this.pools.delete(id);
      this.pools.set(id, known);
      return known.pool.then((pool) => (pool || now - known.at < RETRY_MS ? pool : this.loadPool(id, load)));
    }
    return this.loadPool(id, load);
  }

  private loadPool(id: string, load: () => Promise<ItemPool>): Promise<ItemPool | undefined> {
    const pool = load().catch((e: unknown) => {
      this.deps.log({ level: 'warn', msg: 'item pool unavailable; no exploration', pool: id, error: String(e) });
      return undefined;
    });
    this.pools.delete(id);
    this.pools.set(id, { at: this.deps.now(), pool });
    while (this.pools.size > MAX_POOLS) this.pools.delete(this.pools.keys().next().value!);
    return pool;
  }

  /** The version's item pool: its latest automatic update's, else its model's items (see the header). */
  private async poolOf(d: Deployed, record: ResourceRecord): Promise<{ id: string; pool: ItemPool | undefined }> {
    const key = autoUpdateOf(record.body)?.poolKey;
    if (key) return { id: key, pool: await this.cachedPool(key, async () => parsePool(await this.deps.models.get(key))) };
    const model = d.model;
    if (!(model instanceof UserModel)) return { id: 'none', pool: undefined };
    const group = { arn: d.version.datasetGroupArn, account: record.account, region: record.region };
    const id = `initial:${d.versionArn}`;
    // A version trained with trainingMode UPDATE is how a user makes a model consider new items at
    // once (AWS: UPDATE "updates the model to consider new items"): its pool is every item of the
    // group's data, items of the Items dataset without interactions included [INF: read when a node
    // first needs it, as an automatic update reads it]; a FULL version's are its model's items.
    const only = d.version.trainingMode === 'UPDATE' ? undefined : model.itemIds;
    return { id, pool: await this.cachedPool(id, () => buildItemPool(this.deps, group, only)) };
  }

  async request(d: Deployed): Promise<PersonalizedRequest> {
    const record = await this.versionRecord(d.versionArn);
    const memo = new Map<string, Promise<readonly UserInteraction[]>>();
    const interactions = (userId: string) => {
      let got = memo.get(userId);
      if (!got) memo.set(userId, (got = record ? this.histories.interactions(record, d.data, userId) : d.data.interactions(userId)));
      return got;
    };
    const data: FilterDataSource = { interactions, items: () => d.data.items(), users: () => d.data.users() };
    const deployed: Deployed = { ...d, data };
    return {
      deployed,
      finish: async (items, q) => {
        if (runtimeKindOf(d.recipe) !== 'USER' || !EXPLORING_RECIPES.has(d.recipe.name) || !record) return items;
        const config = explorationConfigOf(q.itemExplorationConfig);
        const history = q.userId === undefined ? [] : historyOf(await interactions(q.userId), d.version);
        const { id, pool } = config.weight > 0 ? await this.poolOf(d, record) : { id: 'none', pool: undefined };
        return finishUserList({
          model: d.model,
          recipeName: d.recipe.name,
          items,
          numResults: q.numResults,
          keep: q.keep,
          history,
          context: q.context,
          exploration: pool && { pool, config },
          random: seededRandom(`${q.seed}|${q.userId ?? ''}|${q.numResults}|${id}|${history.length}`),
        });
      },
    };
  }
}
