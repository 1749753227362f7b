// The serving plane of one node: which model and data a campaign answers with right now.
//
// The runtime reads the campaign from the catalog on every request (settled to the request's
// time), so every node sees an UpdateCampaign, a DeleteCampaign or a newer `$LATEST` version at
// once; what it names is then cheap to reach:
//  * solution versions: immutable once ACTIVE, kept by ARN; except that a Trending-Now version's
//    list is re-evaluated while it is deployed (trend-refresh-work.ts), so its document is read
//    again at most every revalidateMs and its served model is the latest re-evaluation's;
//  * a `<solution>/$LATEST` deployment: the solution's newest ACTIVE version, asked again at most
//    every revalidateMs;
//  * models: loaded from the model store through the recipe's trainer into a byte-bounded LRU
//    (model-cache.ts), keyed by artifact key. While an update is pending, the model it switches to
//    is loaded in the background, so the first request after the switch does not wait for it and
//    every request is answered by the old or the new model;
//  * the group's data: one GroupData per dataset group (group-data.ts).
import type { CatalogOps, ResourceRecord } from '../catalog/catalog.ts';
import type { CampaignBody } from '../resources/campaigns/campaign-record.ts';
import { latestOf } from '../resources/campaigns/campaign-record.ts';
import { SOLUTION_VERSION_KIND, type SolutionVersionBody } from '../resources/solution-versions/solution-version-record.ts';
import type { ModelStore } from '../training/model-store.ts';
import { findRecipe } from '../training/recipes/recipe-catalog.ts';
import type { Model, Trainer } from '../training/trainer.ts';
import { TRENDING_NOW_RECIPE } from '../training/models/trending-now.ts';
import { GroupData, type GroupDataDeps } from './group-data.ts';
import { ModelCache } from './model-cache.ts';
import { servedModelKeyOf } from './model-update-record.ts';
import type { Deployed } from './recommendations.ts';

export interface ServingDeps extends GroupDataDeps {
  catalog: Pick<CatalogOps, 'get' | 'list'>;
  models: Pick<ModelStore, 'get'>;
  /** The trainer of a recipe (by recipe ARN): its load() reads the recipe's artifacts. */
  trainerFor(recipeArn: string): Trainer | undefined;
  /** The model cache's bound. */
  modelCacheBytes: number;
}

/** A Trending-Now version, whose served model changes while it is deployed. */
const isReevaluated = (version: ResourceRecord) =>
  findRecipe((version.body as unknown as SolutionVersionBody).recipeArn)?.name === TRENDING_NOW_RECIPE;

/** Dataset groups whose data a node keeps at most (least recently used dropped first). */
const MAX_GROUPS = 64;

/** Solution version documents a node keeps at most (the oldest read dropped first). */
const MAX_VERSIONS = 10_000;

export class CampaignServing {
  readonly models: ModelCache;
  private readonly groups = new Map<string, GroupData>();
  private readonly versions = new Map<string, { record: ResourceRecord; readAt: number }>();
  private readonly latest = new Map<string, { at: number; arn: string | undefined }>();

  constructor(private readonly deps: ServingDeps) {
    this.models = new ModelCache(deps.modelCacheBytes);
  }

  /** The data of a dataset group, as runtime requests and filters read it. */
  dataOf(datasetGroupArn: string, account: string, region: string): GroupData {
    let data = this.groups.get(datasetGroupArn);
    if (data) this.groups.delete(datasetGroupArn);
    else data = new GroupData(this.deps, datasetGroupArn, account, region);
    this.groups.set(datasetGroupArn, data);
    if (this.groups.size > MAX_GROUPS) this.groups.delete(this.groups.keys().next().value!);
    return data;
  }

  /** An ACTIVE solution version (kept: see the header); undefined if it is gone or not ACTIVE. */
  private async version(arn: string): Promise<ResourceRecord | undefined> {
    const now = this.deps.now();
    const known = this.versions.get(arn);
    if (known && !(isReevaluated(known.record) && now - known.readAt >= this.deps.revalidateMs)) return known.record;
    const record = await this.deps.catalog.get(arn);
    this.versions.delete(arn);
    if (!record || record.kind !== SOLUTION_VERSION_KIND.kind || record.status !== 'ACTIVE') return undefined;
    if (this.versions.size >= MAX_VERSIONS) this.versions.delete(this.versions.keys().next().value!);
    this.versions.set(arn, { record, readAt: now });
    return record;
  }

  /** The version ARN a deployment names now: itself, or its solution's newest ACTIVE version for `$LATEST`. */
  private async versionArnOf(campaign: ResourceRecord, deployed: string): Promise<string | undefined> {
    const solutionArn = latestOf(deployed);
    if (solutionArn === undefined) return deployed;
    const now = this.deps.now();
    const cached = this.latest.get(solutionArn);
    if (cached && now - cached.at < this.deps.revalidateMs) return cached.arn;
    const [newest] = await this.deps.catalog.list({
      account: campaign.account,
      region: campaign.region,
      kind: SOLUTION_VERSION_KIND.kind,
      parentArn: solutionArn,
      statusIn: ['ACTIVE'],
      limit: 1,
    });
    this.latest.set(solutionArn, { at: now, arn: newest?.arn });
    return newest?.arn;
  }

  private modelOf(version: ResourceRecord): Promise<Model> {
    const { recipeArn } = version.body as unknown as SolutionVersionBody;
    const key = servedModelKeyOf(version.body);
    if (!key) throw new Error(`Internal error: the ACTIVE solution version ${version.arn} has no model artifact`);
    return this.models.get(key, async () => {
      const trainer = this.deps.trainerFor(recipeArn);
      if (!trainer) throw new Error(`Internal error: no trainer loads the model of ${version.arn} (recipe ${recipeArn})`);
      const started = this.deps.now();
      const artifact = await this.deps.models.get(key);
      const model = trainer.load(artifact);
      this.deps.log({
        level: 'info',
        msg: 'model loaded',
        solutionVersion: version.arn,
        recipe: recipeArn,
        bytes: artifact.length,
        durationMs: this.deps.now() - started,
      });
      return { model, bytes: artifact.length };
    });
  }

  /**
   * What an ACTIVE campaign (settled to now) answers with. Throws only for states the control plane
   * prevents (a deployed version gone, a model that cannot be loaded): internal errors.
   */
  async deployed(campaign: ResourceRecord): Promise<Deployed> {
    const body = campaign.body as unknown as CampaignBody;
    const update = body.latestCampaignUpdate;
    if (update && update.status !== 'ACTIVE') this.prefetch(campaign, update.solutionVersionArn);
    const versionArn = await this.versionArnOf(campaign, body.solutionVersionArn);
    const version = versionArn === undefined ? undefined : await this.version(versionArn);
    if (!version)
      throw new Error(`Internal error: campaign ${campaign.arn} deploys ${body.solutionVersionArn}, which has no ACTIVE version`);
    const versionBody = version.body as unknown as SolutionVersionBody;
    const recipe = findRecipe(versionBody.recipeArn);
    if (!recipe) throw new Error(`Internal error: solution version ${version.arn} names the unknown recipe ${versionBody.recipeArn}`);
    return {
      model: await this.modelOf(version),
      recipe,
      versionArn: version.arn,
      version: versionBody,
      data: this.dataOf(body.datasetGroupArn, campaign.account, campaign.region),
    };
  }

  /** Loads the model an update will switch to, in the background (a failure shows when it is used). */
  private prefetch(campaign: ResourceRecord, deployed: string): void {
    void (async () => {
      const versionArn = await this.versionArnOf(campaign, deployed);
      const version = versionArn === undefined ? undefined : await this.version(versionArn);
      if (version) await this.modelOf(version);
    })().catch((e: unknown) => this.deps.log({ level: 'warn', msg: 'model prefetch failed', campaign: campaign.arn, error: String(e) }));
  }
}
