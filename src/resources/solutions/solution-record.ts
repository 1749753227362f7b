// A solution as the catalog stores it: its document, its kind, its status table and the locks on
// its quota and on its versions. The handlers (solution-operations.ts) create, show, update and
// delete it; its versions (resources/solution-versions/) have it as their parentArn, and it has
// its dataset group as its own.
import type { SolutionConfig } from '../../api/personalize-types.ts';
import { defineKind } from '../shared/resource-kind.ts';
import { defineStatuses, type StatusOf } from '../shared/status-table.ts';

/**
 * Provisioned like a dataset group (lifecycle.ts schedules CREATE IN_PROGRESS and ACTIVE over
 * OPENPERSONALIZE_PROVISIONING_MS): creating a solution does no work, so it never fails, and a
 * delete removes it at once. An UpdateSolution does not change the solution's own status: the
 * update has its status in `latestSolutionUpdate`.
 */
export const SOLUTION_STATUSES = defineStatuses({
  kind: 'solution',
  initial: 'CREATE PENDING',
  transitions: {
    'CREATE PENDING': ['CREATE IN_PROGRESS'],
    'CREATE IN_PROGRESS': ['ACTIVE'],
    ACTIVE: [],
  },
});

export const SOLUTION_KIND = defineKind({ kind: 'solution', label: 'solution', statuses: SOLUTION_STATUSES });

/**
 * The statuses of an UpdateSolution as DescribeSolution shows them in latestSolutionUpdate
 * (`CREATE PENDING > CREATE IN_PROGRESS > ACTIVE -or- CREATE FAILED`). Timed like the solution's
 * own creation; nothing can fail, so CREATE FAILED never appears.
 */
export const SOLUTION_UPDATE_STATUSES = defineStatuses({
  kind: 'solution-update',
  initial: 'CREATE PENDING',
  transitions: {
    'CREATE PENDING': ['CREATE IN_PROGRESS'],
    'CREATE IN_PROGRESS': ['ACTIVE'],
    ACTIVE: [],
  },
});

export type SolutionUpdateStatus = StatusOf<typeof SOLUTION_UPDATE_STATUSES>;

/** The latest UpdateSolution (DescribeSolution's latestSolutionUpdate). */
export interface StoredSolutionUpdate {
  solutionUpdateConfig: { autoTrainingConfig?: { schedulingExpression?: string }; eventsConfig?: SolutionConfig['eventsConfig'] };
  status: SolutionUpdateStatus;
  performAutoTraining?: boolean;
  performIncrementalUpdate?: boolean;
  creationDateTime: number;
  lastUpdatedDateTime: number;
  failureReason?: string;
}

export interface SolutionBody {
  recipeArn: string;
  performHPO: boolean;
  performAutoML: boolean;
  /** Boxed in the model, default true (rule 28). */
  performAutoTraining: boolean;
  /** Only shown when the request gave it (Semantic-Similarity's incremental updates). */
  performIncrementalUpdate?: boolean;
  eventType?: string;
  /** As the request gave it (rule 38: echoed verbatim); absent when the request had none. */
  solutionConfig?: SolutionConfig;
  latestSolutionUpdate?: StoredSolutionUpdate;
  /**
   * Automatic training's schedule (auto-training.ts), while performAutoTraining is on: when the
   * next automatic version is due (epoch ms), and when the first training started (later ones are
   * due every N days counted from it).
   */
  autoTraining?: AutoTrainingSchedule;
}

export interface AutoTrainingSchedule {
  nextAt: number;
  /** When the first automatic training's wait began (creation, or the update that turned it on): a manual version since then replaces it. */
  since?: number;
  firstStartedAt?: number;
}

/** Serialises the check of "10 solutions per dataset group" with the insert. */
export const solutionQuotaLock = (datasetGroupArn: string) => `quota:solution:${datasetGroupArn}`;

/** Serialises creating a version of the solution (and updating it) against deleting it. */
export const solutionVersionsLock = (solutionArn: string) => `solution-versions:${solutionArn}`;
