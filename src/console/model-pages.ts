// What the console's training and serving pages show, read from the catalog as the API's
// Describe calls read it (settled to now, scoped to the caller): a dataset group's solutions,
// campaigns, recommenders, filters and batch jobs; one solution with its versions; one campaign
// or recommender with its history and what its try-it panel may ask.
import type { ResourceRecord } from '../catalog/catalog.ts';
import { BATCH_INFERENCE_JOB_KIND, type BatchInferenceJobBody } from '../resources/batch-inference-jobs/batch-inference-job-record.ts';
import { BATCH_SEGMENT_JOB_KIND } from '../resources/batch-segment-jobs/batch-segment-job-record.ts';
import { CAMPAIGN_KIND, latestOf, type CampaignBody } from '../resources/campaigns/campaign-record.ts';
import { DATASET_GROUP_KIND } from '../resources/dataset-groups/dataset-group-record.ts';
import { FILTER_KIND, type FilterBody } from '../resources/filters/filter-record.ts';
import { RECOMMENDER_KIND, type RecommenderBody } from '../resources/recommenders/recommender-record.ts';
import { SOLUTION_KIND, type SolutionBody } from '../resources/solutions/solution-record.ts';
import { SOLUTION_VERSION_KIND, type SolutionVersionBody } from '../resources/solution-versions/solution-version-record.ts';
import type { ResourceKindDefinition } from '../resources/shared/resource-kind.ts';
import { findRecipe } from '../training/recipes/recipe-catalog.ts';
import type { BatchJobRow, GroupModels, ResourceRow, SolutionDetail, SolutionRow, VersionView } from './console-training-types.ts';
import type { ConsoleCaller } from './console-session.ts';

/** How the console reads the catalog: one resource of the caller (404 otherwise), or a kind's list. */
export interface ConsoleReads {
  load(c: ConsoleCaller, kind: ResourceKindDefinition, arn: string | null): Promise<ResourceRecord>;
  /** The newest resources of the kind (of the parent), at most `limit` (default: the console's cap of 1,000). */
  list(c: ConsoleCaller, kind: ResourceKindDefinition, parentArn?: string, limit?: number): Promise<ResourceRecord[]>;
  count(c: ConsoleCaller, kind: ResourceKindDefinition, parentArn?: string): Promise<number>;
}

/** A recipe's short name from its ARN (`arn:aws:personalize:::recipe/aws-sims` -> aws-sims). */
export const recipeName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

const failureOf = (r: ResourceRecord) => (typeof r.body.failureReason === 'string' ? r.body.failureReason : undefined);

export function row(r: ResourceRecord, detail?: string): ResourceRow {
  return {
    arn: r.arn,
    name: r.name,
    status: r.status,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    detail,
    failureReason: failureOf(r),
  };
}

export function batchRow(r: ResourceRecord): BatchJobRow {
  const body = r.body as unknown as BatchInferenceJobBody;
  const p = body.progress;
  return {
    ...row(r, body.recipe),
    kind: r.kind === BATCH_SEGMENT_JOB_KIND.kind ? 'segment' : 'inference',
    solutionVersionArn: body.solutionVersionArn,
    ...(p ? { filesDone: p.filesDone, files: p.files.length, lines: p.lines, errors: p.errors } : {}),
  };
}

/** The campaigns of a group's solutions (a campaign's parent is its solution). */
async function campaignsOf(reads: ConsoleReads, c: ConsoleCaller, solutions: ResourceRecord[]): Promise<ResourceRecord[]> {
  return (await Promise.all(solutions.map((s) => reads.list(c, CAMPAIGN_KIND, s.arn)))).flat().sort((a, b) => b.createdAt - a.createdAt);
}

export async function groupModels(reads: ConsoleReads, c: ConsoleCaller, groupArn: string | null): Promise<GroupModels> {
  const group = await reads.load(c, DATASET_GROUP_KIND, groupArn);
  const [solutions, recommenders, filters, inference, segment] = await Promise.all([
    reads.list(c, SOLUTION_KIND, group.arn),
    reads.list(c, RECOMMENDER_KIND, group.arn),
    reads.list(c, FILTER_KIND, group.arn),
    reads.list(c, BATCH_INFERENCE_JOB_KIND),
    reads.list(c, BATCH_SEGMENT_JOB_KIND),
  ]);
  const solutionRows: SolutionRow[] = await Promise.all(
    solutions.map(async (s) => {
      // Polled every 1.5 s: a count and the newest version, not every version.
      const [count, [latest]] = await Promise.all([
        reads.count(c, SOLUTION_VERSION_KIND, s.arn),
        reads.list(c, SOLUTION_VERSION_KIND, s.arn, 1),
      ]);
      const recipe = recipeName((s.body as unknown as SolutionBody).recipeArn);
      return {
        ...row(s, recipe),
        recipe,
        versions: count,
        latestVersion: latest && { arn: latest.arn, status: latest.status },
      };
    }),
  );
  const campaigns = (await campaignsOf(reads, c, solutions)).map((r) =>
    row(r, (r.body as unknown as CampaignBody).solutionVersionArn.replace(/^.*:solution\//, '')),
  );
  const inGroup = (r: ResourceRecord) => (r.body as { datasetGroupArn?: string }).datasetGroupArn === group.arn;
  return {
    domain: group.body.domain as string | undefined,
    solutions: solutionRows,
    campaigns,
    recommenders: recommenders.map((r) => row(r, recipeName((r.body as unknown as RecommenderBody).recipeArn))),
    filters: filters.map((r) => row(r, (r.body as unknown as FilterBody).filterExpression)),
    batchJobs: [...inference, ...segment]
      .filter(inGroup)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map(batchRow),
  };
}

function versionView(v: ResourceRecord, deployedBy: Map<string, { arn: string; name: string }[]>): VersionView {
  const b = v.body as unknown as SolutionVersionBody;
  const final = v.status === 'ACTIVE' || v.status === 'CREATE FAILED' || v.status === 'CREATE STOPPED';
  return {
    arn: v.arn,
    id: v.arn.slice(v.arn.lastIndexOf('/') + 1),
    status: v.status,
    trainingMode: b.trainingMode,
    trainingType: b.trainingType,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    phase: final ? undefined : b.phase,
    failureReason: b.failureReason,
    trainingHours: b.trainingHours,
    elapsedMs: final ? v.updatedAt - v.createdAt : undefined,
    hyperParameters: b.hyperParameters,
    metrics: b.metrics,
    trainingData: b.trainingData,
    campaigns: deployedBy.get(v.arn) ?? [],
  };
}

export async function solutionDetail(reads: ConsoleReads, c: ConsoleCaller, arn: string | null): Promise<SolutionDetail> {
  const s = await reads.load(c, SOLUTION_KIND, arn);
  const body = s.body as unknown as SolutionBody;
  const [group, versions, campaigns] = await Promise.all([
    reads.load(c, DATASET_GROUP_KIND, s.parentArn),
    reads.list(c, SOLUTION_VERSION_KIND, s.arn),
    reads.list(c, CAMPAIGN_KIND, s.arn),
  ]);
  // Which version each campaign serves now: its own, or for `$LATEST` the newest ACTIVE one.
  const newestActive = versions.find((v) => v.status === 'ACTIVE')?.arn;
  const deployedBy = new Map<string, { arn: string; name: string }[]>();
  for (const campaign of campaigns) {
    const deployed = (campaign.body as unknown as CampaignBody).solutionVersionArn;
    const versionArn = latestOf(deployed) !== undefined ? newestActive : deployed;
    if (versionArn) deployedBy.set(versionArn, [...(deployedBy.get(versionArn) ?? []), { arn: campaign.arn, name: campaign.name }]);
  }
  const recipe = findRecipe(body.recipeArn);
  const update = body.latestSolutionUpdate;
  return {
    arn: s.arn,
    name: s.name,
    status: s.status,
    createdAt: s.createdAt,
    groupArn: group.arn,
    groupName: group.name,
    recipe: recipeName(body.recipeArn),
    recipeType: recipe?.recipeType ?? '',
    performHPO: body.performHPO,
    performAutoTraining: body.performAutoTraining,
    eventType: body.eventType,
    solutionConfig: body.solutionConfig,
    latestUpdate: update && { status: update.status, createdAt: update.creationDateTime, config: update.solutionUpdateConfig },
    versions: versions.map((v) => versionView(v, deployedBy)),
  };
}
