// A campaign as the catalog stores it: its document, its kind, its status tables and the lock on
// its quota. The handlers (campaign-operations.ts) create, show, update and delete it; its parent
// is the solution whose versions it deploys. The serving plane (src/serving/) reads this document
// on every runtime request, settled to the request's time, so an update that becomes ACTIVE is
// seen by every node at the same moment.
import type { CampaignConfig } from '../../api/personalize-types.ts';
import { defineKind } from '../shared/resource-kind.ts';
import { defineStatuses, type StatusOf } from '../shared/status-table.ts';

/**
 * Provisioned like a solution (lifecycle.ts schedules CREATE IN_PROGRESS and ACTIVE over
 * OPENPERSONALIZE_PROVISIONING_MS): deploying loads nothing up front (a node loads the model on
 * its first request), so a campaign never fails and a delete removes it at once. An
 * UpdateCampaign does not change the campaign's own status: the update has its status in
 * `latestCampaignUpdate`.
 */
export const CAMPAIGN_STATUSES = defineStatuses({
  kind: 'campaign',
  initial: 'CREATE PENDING',
  transitions: {
    'CREATE PENDING': ['CREATE IN_PROGRESS'],
    'CREATE IN_PROGRESS': ['ACTIVE'],
    ACTIVE: [],
  },
});

export const CAMPAIGN_KIND = defineKind({ kind: 'campaign', label: 'campaign', statuses: CAMPAIGN_STATUSES });

/** The statuses of an UpdateCampaign as latestCampaignUpdate shows them (the model's `CREATE PENDING > CREATE IN_PROGRESS > ACTIVE`). */
export const CAMPAIGN_UPDATE_STATUSES = defineStatuses({
  kind: 'campaign-update',
  initial: 'CREATE PENDING',
  transitions: {
    'CREATE PENDING': ['CREATE IN_PROGRESS'],
    'CREATE IN_PROGRESS': ['ACTIVE'],
    ACTIVE: [],
  },
});

export type CampaignUpdateStatus = StatusOf<typeof CAMPAIGN_UPDATE_STATUSES>;

/** The deployment a campaign serves: what DescribeCampaign shows and the runtime uses. */
export interface CampaignDeployment {
  /**
   * A solution version ARN, or `<solutionArn>/$LATEST` when syncWithLatestSolutionVersion is on:
   * then the runtime serves the solution's newest ACTIVE version.
   */
  solutionVersionArn: string;
  minProvisionedTPS: number;
  /** As the request gave it; absent when it gave none. */
  campaignConfig?: CampaignConfig;
}

/** The latest UpdateCampaign (DescribeCampaign's latestCampaignUpdate): the deployment it switches to. */
export interface StoredCampaignUpdate extends CampaignDeployment {
  status: CampaignUpdateStatus;
  creationDateTime: number;
  lastUpdatedDateTime: number;
  failureReason?: string;
}

export interface CampaignBody extends CampaignDeployment {
  /** The solution's dataset group (the campaign quota counts per group; the runtime reads its data). */
  datasetGroupArn: string;
  /** The solution's recipe: which runtime operation and members the campaign answers. */
  recipeArn: string;
  latestCampaignUpdate?: StoredCampaignUpdate;
  /**
   * The deployments UpdateCampaigns replaced, oldest first, each with when its update was asked
   * for (at most MAX_REPLACED_DEPLOYMENTS): the web console's update history. No API shows it.
   */
  replacedDeployments?: (CampaignDeployment & { replacedAt: number })[];
}

export const MAX_REPLACED_DEPLOYMENTS = 50;

/** The suffix of a solution ARN that names its latest version (rule 62). */
export const LATEST_SUFFIX = '/$LATEST';

/** The solution ARN of a `<solutionArn>/$LATEST` deployment, or undefined for a version ARN. */
export function latestOf(solutionVersionArn: string): string | undefined {
  return solutionVersionArn.endsWith(LATEST_SUFFIX) ? solutionVersionArn.slice(0, -LATEST_SUFFIX.length) : undefined;
}

/** Serialises the check of "5 campaigns per dataset group" with the insert. */
export const campaignQuotaLock = (datasetGroupArn: string) => `quota:campaign:${datasetGroupArn}`;
