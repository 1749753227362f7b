// The one registry of resource families: what each contributes to the service — its control-plane
// handlers, the job kinds its workers run, and which blobs of the service's storage it keeps in
// use. A new family is one entry here; its kind (label, status table, console link) is declared
// in its own resources/<family>/<family>-record.ts.
import type { Catalog } from '../catalog/catalog.ts';
import { dataDeletionJobKind } from '../data/jobs/data-deletion-job-work.ts';
import { exportJobKind } from '../data/jobs/export-job-work.ts';
import { importJobKind } from '../data/jobs/import-job-work.ts';
import { referencedPartKeys } from '../data/generations/referenced-parts.ts';
import type { JobKind } from '../jobs/job-runner.ts';
import type { AreaName } from '../object-store/blob-area.ts';
import type { HandlerTable } from '../protocol/handler-types.ts';
import { dataDeletionJobOperations } from '../resources/data-deletion-jobs/data-deletion-job-operations.ts';
import { campaignOperations } from '../resources/campaigns/campaign-operations.ts';
import { datasetGroupOperations } from '../resources/dataset-groups/dataset-group-operations.ts';
import { datasetOperations } from '../resources/datasets/dataset-operations.ts';
import { eventTrackerOperations } from '../resources/event-trackers/event-tracker-operations.ts';
import { exportJobOperations } from '../resources/export-jobs/export-job-operations.ts';
import { filterOperations } from '../resources/filters/filter-operations.ts';
import { importJobOperations } from '../resources/import-jobs/import-job-operations.ts';
import { metricAttributionOperations } from '../resources/metric-attributions/metric-attribution-operations.ts';
import { recipeOperations } from '../resources/recipes/recipe-operations.ts';
import { schemaOperations } from '../resources/schemas/schema-operations.ts';
import type { ServiceDeps } from '../resources/shared/service-deps.ts';
import { tagOperations } from '../resources/tags/tag-operations.ts';
import { solutionOperations } from '../resources/solutions/solution-operations.ts';
import { solutionVersionOperations } from '../resources/solution-versions/solution-version-operations.ts';
import { referencedModelKeys } from '../training/model-store.ts';
import { deployedVersionArns } from '../resources/campaigns/deployed-versions.ts';
import { referencedUpdateKeys } from '../serving/model-updates-round.ts';
import { trainedPartsInUse } from '../serving/trained-history.ts';
import { solutionVersionJobKind, type TrainingDeps } from '../training/solution-version-job-work.ts';
import { batchInferenceJobOperations } from '../resources/batch-inference-jobs/batch-inference-job-operations.ts';
import { batchSegmentJobOperations } from '../resources/batch-segment-jobs/batch-segment-job-operations.ts';
import { batchInferenceJobKind } from '../serving/batch-inference-work.ts';
import { batchSegmentJobKind } from '../serving/batch-segment-work.ts';
import { recommenderOperations } from '../resources/recommenders/recommender-operations.ts';
import { recommenderModelJobKind } from '../training/recommender-model-job-work.ts';
import { referencedRecommenderBlobs } from '../serving/recommender-updates-work.ts';
import { servedRecommenderModels } from '../resources/recommenders/active-recommenders.ts';

export interface Family {
  name: string;
  /** Its operations of the control plane (AmazonPersonalize). */
  handlers(deps: ServiceDeps): HandlerTable;
  /** The job kinds its workers run (TrainingDeps: the data plane's WorkerDeps and the model store). */
  jobs?(deps: TrainingDeps): JobKind[];
  /** Blobs of a storage area (or of several) its resources reference: the orphan sweep keeps them. */
  blobs?: BlobReferences | readonly BlobReferences[];
}

export interface BlobReferences {
  area: AreaName;
  referenced(catalog: Catalog, now: number): Promise<Set<string>>;
}

// `satisfies`, not a type annotation: each entry keeps its handlers' precise type, so the merged
// table is checked against PersonalizeHandlers (a claimed operation without a handler fails tsc).
export const FAMILIES = [
  { name: 'schemas', handlers: schemaOperations },
  { name: 'dataset groups', handlers: datasetGroupOperations },
  { name: 'datasets', handlers: datasetOperations, blobs: { area: 'datasetParts', referenced: referencedPartKeys } },
  { name: 'tags', handlers: tagOperations },
  { name: 'dataset import jobs', handlers: importJobOperations, jobs: (d) => [importJobKind(d)] },
  { name: 'dataset export jobs', handlers: exportJobOperations, jobs: (d) => [exportJobKind(d)] },
  { name: 'data deletion jobs', handlers: dataDeletionJobOperations, jobs: (d) => [dataDeletionJobKind(d)] },
  { name: 'event trackers', handlers: eventTrackerOperations },
  { name: 'metric attributions', handlers: metricAttributionOperations },
  { name: 'recipes', handlers: recipeOperations },
  {
    name: 'solutions',
    handlers: solutionOperations,
  },
  {
    name: 'solution versions',
    handlers: solutionVersionOperations,
    jobs: (d) => [solutionVersionJobKind(d)],
    // Model artifacts, and the item pools of the automatic two-hourly updates (rule 121).
    blobs: {
      area: 'modelArtifacts',
      referenced: async (c) => new Set([...(await referencedModelKeys(c)), ...(await referencedUpdateKeys(c))]),
    },
  },
  // The Interactions parts deployed versions read users' histories from (rule 120).
  {
    name: 'campaigns',
    handlers: campaignOperations,
    blobs: { area: 'datasetParts', referenced: async (c, now) => trainedPartsInUse(c, await deployedVersionArns(c, now)) },
  },
  { name: 'filters', handlers: filterOperations },
  {
    name: 'recommenders',
    handlers: recommenderOperations,
    jobs: (d) => [recommenderModelJobKind(d)],
    // Their models' artifacts and item pools; the Interactions parts their served models read histories from (rule 120).
    blobs: [
      { area: 'modelArtifacts', referenced: referencedRecommenderBlobs },
      { area: 'datasetParts', referenced: async (c) => trainedPartsInUse(c, await servedRecommenderModels(c)) },
    ],
  },
  { name: 'batch inference jobs', handlers: batchInferenceJobOperations, jobs: (d) => [batchInferenceJobKind(d)] },
  { name: 'batch segment jobs', handlers: batchSegmentJobOperations, jobs: (d) => [batchSegmentJobKind(d)] },
] as const satisfies readonly Family[];
