// Queuing a training of a recommender's model, in the caller's transaction (which holds the
// recommender's lock): by CreateRecommender, an UpdateRecommender that retrains, and the schedules
// (recommender-schedule.ts). The caller records the new model's ARN in the recommender's document
// (pendingModelArn) and tells the job runner after its transaction commits (deps.jobQueued).
import { randomBytes } from 'node:crypto';
import type { RecommenderConfig } from '../../api/personalize-types.ts';
import type { CatalogOps, ResourceRecord } from '../../catalog/catalog.ts';
import { makeArn } from '../shared/arns.ts';
import { insertQueuedJob } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { RECOMMENDER_MODEL_KIND, modelNameOf, type ModelPurpose, type RecommenderModelBody } from './recommender-model-record.ts';
import type { RecommenderBody } from './recommender-record.ts';

/** Inserts a queued model of `recommender`, trained with `config`; returns its ARN. */
export async function queueModel(
  deps: ServiceDeps,
  tx: CatalogOps,
  recommender: Pick<ResourceRecord, 'arn' | 'name' | 'account' | 'region' | 'parentArn' | 'body'>,
  purpose: ModelPurpose,
  config: RecommenderConfig,
): Promise<string> {
  let name: string;
  let arn: string;
  do {
    name = modelNameOf(recommender.name, randomBytes(4).toString('hex'));
    arn = makeArn(RECOMMENDER_MODEL_KIND.kind, recommender.region, recommender.account, name);
  } while (await tx.get(arn));
  const body: RecommenderModelBody = {
    recipeArn: (recommender.body as unknown as RecommenderBody).recipeArn,
    datasetGroupArn: recommender.parentArn!,
    purpose,
    recommenderConfig: config,
  };
  const ctx = { account: recommender.account, region: recommender.region, requestId: `recommender-${purpose.toLowerCase()}` };
  await insertQueuedJob(deps, tx, ctx, { kind: RECOMMENDER_MODEL_KIND, arn, name, parentArn: recommender.arn, body, tags: [] });
  return arn;
}
