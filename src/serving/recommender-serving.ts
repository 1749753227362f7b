// The serving plane for recommenders: which model and data an ACTIVE recommender answers with, in
// the form campaigns use (recommendations.ts: Deployed), so that a recommender's requests take the
// same path as a campaign's — its use case's model (recommender-use-cases.ts) through the node's
// model cache, the dataset group's data (GroupData, shared with campaigns of the group), users'
// histories per rule 120 and exploration per rule 121 (real-time-personalization.ts, which reads
// the model's document as it reads a solution version's) — plus the use case's automatic filter.
//
// The recommender's document names its served model (RecommenderBody.model: ARN, artifact key,
// trained data), read on every request, so a retrained model serves on every node at once. The
// deployment's `recipe` is the recipe whose serving the model gets (DomainUseCase.servesAs), and its
// `version` the model described as a solution version would be: trained on the use case's event
// type (the history the model reads is limited to it), from the dataStamp the training recorded.
import type { CatalogOps, ResourceRecord } from '../catalog/catalog.ts';
import type { RecommenderBody } from '../resources/recommenders/recommender-record.ts';
import type { SolutionVersionBody } from '../resources/solution-versions/solution-version-record.ts';
import type { ModelStore } from '../training/model-store.ts';
import { useCaseOf, type DomainUseCase } from '../training/recommender-use-cases.ts';
import type { CampaignServing } from './campaign-serving.ts';
import { FILTER_INTERACTIONS_PER_TYPE, recentPerType } from './filters/filter-evaluator.ts';
import type { Deployed, ItemPredicate } from './recommendations.ts';
import type { FilterDataSource } from './serving-data.ts';

export interface RecommenderServingDeps {
  catalog: Pick<CatalogOps, 'get'>;
  models: Pick<ModelStore, 'get'>;
  /** The node's campaign serving: its model cache and its groups' data are shared. */
  campaigns: Pick<CampaignServing, 'models' | 'dataOf'>;
  now: () => number;
  log: (fields: Record<string, unknown>) => void;
}

export interface RecommenderDeployment {
  deployed: Deployed;
  useCase: DomainUseCase;
}

export class RecommenderServing {
  constructor(private readonly deps: RecommenderServingDeps) {}

  /**
   * What an ACTIVE recommender (settled to now) answers with. Throws only for states the control
   * plane prevents (an ACTIVE recommender without a model, a model that cannot be loaded).
   */
  async deployed(recommender: ResourceRecord): Promise<RecommenderDeployment> {
    const body = recommender.body as unknown as RecommenderBody;
    const useCase = useCaseOf(body.recipeArn);
    const served = body.model;
    if (!useCase || !served) throw new Error(`Internal error: recommender ${recommender.arn} has no model to serve (${body.recipeArn})`);
    const model = await this.deps.campaigns.models.get(served.artifactKey, async () => {
      const started = this.deps.now();
      const artifact = await this.deps.models.get(served.artifactKey);
      const loaded = useCase.trainer.load(artifact);
      this.deps.log({
        level: 'info',
        msg: 'model loaded',
        recommender: recommender.arn,
        recommenderModel: served.arn,
        recipe: body.recipeArn,
        bytes: artifact.length,
        durationMs: this.deps.now() - started,
      });
      return { model: loaded, bytes: artifact.length };
    });
    const version: SolutionVersionBody = {
      recipeArn: useCase.servesAs.arn,
      datasetGroupArn: recommender.parentArn!,
      performHPO: false,
      performAutoML: false,
      ...(useCase.eventType !== undefined ? { eventType: useCase.eventType } : {}),
      trainingMode: 'FULL',
      trainingType: 'AUTOMATIC',
      artifactKey: served.artifactKey,
      dataStamp: served.dataStamp,
    };
    return {
      deployed: {
        model,
        recipe: useCase.servesAs,
        versionArn: served.arn,
        version,
        data: this.deps.campaigns.dataOf(recommender.parentArn!, recommender.account, recommender.region),
      },
      useCase,
    };
  }
}

/**
 * The use case's automatic filter for a user (rule 22), or undefined when it has none: it leaves
 * out the items of the user's newest 100 interactions per event type (as filters count them) of
 * the event types it names, read from the group's data now, so an event put a moment ago counts.
 * Without a userId there is no one to filter for.
 */
export async function automaticFilter(
  useCase: DomainUseCase,
  data: FilterDataSource,
  userId: string | undefined,
): Promise<ItemPredicate | undefined> {
  if (userId === undefined || useCase.excludeEventTypes.length === 0) return undefined;
  const types = new Set(useCase.excludeEventTypes.map((t) => t.toLowerCase()));
  const excluded = new Set(
    recentPerType(await data.interactions(userId), FILTER_INTERACTIONS_PER_TYPE)
      .filter((x) => types.has(x.eventType.toLowerCase()))
      .map((x) => x.itemId),
  );
  return excluded.size === 0 ? undefined : (itemId) => !excluded.has(itemId);
}
