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
import { solutionVersionJobKind, type TrainingDeps } from '../training/solution-version-job-work.ts';

export interface Family {
  name: string;
  /** Its operations of the control plane (AmazonPersonalize). */
  handlers(deps: ServiceDeps): HandlerTable;
  /** The job kinds its workers run (TrainingDeps: the data plane's WorkerDeps and the model store). */
  jobs?(deps: TrainingDeps): JobKind[];
  /** Blobs of a storage area its resources reference: the orphan sweep keeps them. */
  blobs?: { area: AreaName; referenced(catalog: Catalog, now: number): Promise<Set<string>> };
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
    blobs: { area: 'modelArtifacts', referenced: referencedModelKeys },
  },
  { name: 'campaigns', handlers: campaignOperations },
  { name: 'filters', handlers: filterOperations },
] as const satisfies readonly Family[];
