// Service quotas (rules.md §13). AWS's adjustable quotas default to generous values here so that
// test suites creating many resources just work; OPENPERSONALIZE_QUOTAS=aws restores AWS's
// defaults. Quotas AWS cannot raise hold in both modes.
import type { QuotaMode } from '../../config/config.ts';

export interface Quotas {
  schemas: number;
  datasetGroups: number;
  /** Dataset import jobs in CREATE PENDING / CREATE IN_PROGRESS per account and region (not adjustable). */
  pendingImportJobs: number;
  tagsPerResource: number;
  /** Solutions per dataset group (training-rules.md §11: 10, adjustable). */
  solutionsPerGroup: number;
  /** Solution versions in CREATE PENDING / CREATE IN_PROGRESS / CREATE STOPPING per account and region (§11: 20, adjustable). */
  pendingSolutionVersions: number;
  /** Campaigns per dataset group (§11: 5 active, adjustable). */
  campaignsPerGroup: number;
  /** Recommenders per dataset group (§11: 5) and per account and region (rule 78: 15 [INF]). */
  recommendersPerGroup: number;
  recommendersPerRegion: number;
  /** Batch inference jobs in CREATE PENDING / CREATE IN_PROGRESS per account and region (§11: 5, adjustable). */
  pendingBatchInferenceJobs: number;
  /** Batch segment jobs in CREATE PENDING / CREATE IN_PROGRESS per account and region (§11: 5, not adjustable). */
  pendingBatchSegmentJobs: number;
}

export function quotasFor(mode: QuotaMode, pendingImportJobs = 5): Quotas {
  const aws: Quotas = {
    schemas: 500,
    datasetGroups: 5,
    pendingImportJobs,
    tagsPerResource: 50,
    solutionsPerGroup: 10,
    pendingSolutionVersions: 20,
    campaignsPerGroup: 5,
    recommendersPerGroup: 5,
    recommendersPerRegion: 15,
    pendingBatchInferenceJobs: 5,
    pendingBatchSegmentJobs: 5,
  };
  return mode === 'aws'
    ? aws
    : {
        ...aws,
        schemas: 100_000,
        datasetGroups: 10_000,
        solutionsPerGroup: 10_000,
        pendingSolutionVersions: 10_000,
        campaignsPerGroup: 10_000,
        recommendersPerGroup: 10_000,
        recommendersPerRegion: 10_000,
        pendingBatchInferenceJobs: 10_000,
      };
}
