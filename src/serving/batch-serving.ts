// What a node's batch jobs answer with: a solution version's model and its group's data, the same
// serving code a campaign of the version answers GetRecommendations with (campaign-serving.ts for
// the group's data and the model cache, real-time-personalization.ts for the users' histories of
// rule 120 and exploration, the compiled filters), one instance per process shared by the batch
// job kinds. A batch job names a solution version, not a campaign, so the version is loaded here by
// its ARN; the node's runtime keeps its own caches (a node that serves and runs jobs may hold a
// group's data twice, bounded by each plane's own limits).
import type { Catalog } from '../catalog/catalog.ts';
import { JobFailure } from '../jobs/job-failure.ts';
import { FILTER_KIND } from '../resources/filters/filter-record.ts';
import { SOLUTION_VERSION_KIND, type SolutionVersionBody } from '../resources/solution-versions/solution-version-record.ts';
import { findRecipe } from '../training/recipes/recipe-catalog.ts';
import type { TrainingDeps } from '../training/solution-version-job-work.ts';
import { CampaignServing } from './campaign-serving.ts';
import { CompiledFilterCache } from './filters/filter-loading.ts';
import type { CompiledFilter } from './filters/filter-evaluator.ts';
import { RealTimePersonalization } from './real-time-personalization.ts';
import type { Deployed } from './recommendations.ts';

/** How long what the catalog says of a group's datasets is trusted, as for campaigns. */
const REVALIDATE_MS = 1000;

/** The bound of the models batch jobs keep loaded (by artifact bytes). */
const MODEL_CACHE_BYTES = 512 * 1024 * 1024;

export class BatchServing {
  readonly personalization: RealTimePersonalization;
  private readonly serving: CampaignServing;
  private readonly filters = new CompiledFilterCache();

  constructor(private readonly deps: TrainingDeps) {
    const common = { ...deps, revalidateMs: REVALIDATE_MS };
    this.serving = new CampaignServing({ ...common, modelCacheBytes: MODEL_CACHE_BYTES });
    this.personalization = new RealTimePersonalization(common);
  }

  /** The ACTIVE solution version's model and data; JobFailure when the version is gone. */
  async deployment(versionArn: string): Promise<Deployed> {
    const record = await this.deps.catalog.get(versionArn);
    if (!record || record.kind !== SOLUTION_VERSION_KIND.kind || record.status !== 'ACTIVE')
      throw new JobFailure(`The solution version ${versionArn} no longer exists.`);
    const version = record.body as unknown as SolutionVersionBody;
    const recipe = findRecipe(version.recipeArn);
    const trainer = this.deps.trainerFor(version.recipeArn);
    if (!recipe || !trainer || !version.artifactKey)
      throw new Error(`Internal error: no model can be loaded for the solution version ${versionArn} (recipe ${version.recipeArn})`);
    const key = version.artifactKey;
    const model = await this.serving.models.get(key, async () => {
      const artifact = await this.deps.models.get(key);
      return { model: trainer.load(artifact), bytes: artifact.length };
    });
    return { model, recipe, versionArn, version, data: this.serving.dataOf(version.datasetGroupArn, record.account, record.region) };
  }

  /** The job's filter, compiled; JobFailure when it is gone (DeleteFilter refuses while a batch job uses it). */
  async filter(catalog: Pick<Catalog, 'get' | 'list'>, filterArn: string): Promise<CompiledFilter> {
    const record = await catalog.get(filterArn);
    if (!record || record.kind !== FILTER_KIND.kind) throw new JobFailure(`The filter ${filterArn} no longer exists.`);
    return this.filters.get(catalog, record);
  }
}

const instances = new WeakMap<TrainingDeps, BatchServing>();

/** The process's batch serving (one per set of worker deps, shared by the batch job kinds). */
export function batchServingOf(deps: TrainingDeps): BatchServing {
  let instance = instances.get(deps);
  if (!instance) instances.set(deps, (instance = new BatchServing(deps)));
  return instance;
}
