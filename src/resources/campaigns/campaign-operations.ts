// CreateCampaign, DescribeCampaign, ListCampaigns, UpdateCampaign, DeleteCampaign
// (training-rules.md §5 rules 61-71, §11). A campaign is provisioned like a solution; the runtime
// API (resources/runtime/, src/serving/) answers from the model of the version it deploys.
// Choices where AWS documents nothing [INF] (see also campaign-rules.ts):
//  * a campaign is ACTIVE after OPENPERSONALIZE_PROVISIONING_MS and never fails; at most 5 per
//    dataset group (counted over all its campaigns, which all become ACTIVE; adjustable:
//    OPENPERSONALIZE_QUOTAS=aws enforces it) with AWS's text;
//  * `<solutionArn>/$LATEST` deploys the solution's newest ACTIVE version (ResourceInUseException
//    when it has none). With syncWithLatestSolutionVersion the campaign keeps that form and the
//    runtime follows each newer ACTIVE version (manual or automatic); without it the newest
//    version's own ARN is deployed, and DescribeCampaign shows that ARN;
//  * UpdateCampaign needs an ACTIVE campaign with no unfinished update (ResourceInUseException),
//    something to change (InvalidInputException) and a version of the same solution
//    (InvalidInputException); its deployment (version, TPS, configuration: a given campaignConfig
//    replaces the old one) shows in latestCampaignUpdate (CREATE PENDING > CREATE IN_PROGRESS >
//    ACTIVE over the provisioning time) and applies when that is ACTIVE — until then requests
//    are answered with the previous deployment;
//  * DeleteCampaign of a campaign still being created is ResourceInUseException (rule 69); an
//    unfinished update does not prevent it. The delete is immediate;
//  * ListCampaigns lists the account's campaigns, or a solution's (an unknown solutionArn lists
//    nothing: the operation declares no ResourceNotFoundException); newest first.
import type {
  Campaign,
  CampaignConfig,
  CreateCampaignRequest,
  CreateCampaignResponse,
  DeleteCampaignRequest,
  DescribeCampaignRequest,
  DescribeCampaignResponse,
  ListCampaignsRequest,
  ListCampaignsResponse,
  UpdateCampaignRequest,
  UpdateCampaignResponse,
} from '../../api/personalize-types.ts';
import type { PersonalizeHandlers } from '../../api/personalize-handlers.ts';
import type { CatalogOps, ResourceRecord } from '../../catalog/catalog.ts';
import type { RequestContext } from '../../protocol/handler-types.ts';
import { alreadyExists, inUse, invalidInput, limitExceeded, tooManyTags } from '../../protocol/service-error.ts';
import { findRecipe, type RecipeDefinition } from '../../training/recipes/recipe-catalog.ts';
import { makeArn } from '../shared/arns.ts';
import { schedule, type Transition } from '../shared/lifecycle.ts';
import { insertResource, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { hasStatus, isFinal } from '../shared/status-table.ts';
import { versionsOf } from '../solution-versions/solution-version-describe.ts';
import { SOLUTION_VERSION_KIND } from '../solution-versions/solution-version-record.ts';
import { SOLUTION_KIND, solutionVersionsLock } from '../solutions/solution-record.ts';
import { addTags, toTags } from '../tags/tag-rules.ts';
import { checkCampaignConfig, checkDeployable } from './campaign-rules.ts';
import {
  CAMPAIGN_KIND,
  CAMPAIGN_STATUSES,
  CAMPAIGN_UPDATE_STATUSES,
  campaignQuotaLock,
  latestOf,
  LATEST_SUFFIX,
  MAX_REPLACED_DEPLOYMENTS,
  type CampaignBody,
  type CampaignDeployment,
  type StoredCampaignUpdate,
} from './campaign-record.ts';

function describeCampaign(record: ResourceRecord): Campaign {
  const body = record.body as unknown as CampaignBody;
  const update = body.latestCampaignUpdate;
  return {
    name: record.name,
    campaignArn: record.arn,
    solutionVersionArn: body.solutionVersionArn,
    minProvisionedTPS: body.minProvisionedTPS,
    campaignConfig: body.campaignConfig,
    status: record.status ?? undefined,
    creationDateTime: toDate(record.createdAt),
    lastUpdatedDateTime: toDate(record.updatedAt),
    // Only once the campaign has had an UpdateCampaign (rule 66).
    latestCampaignUpdate: update && {
      solutionVersionArn: update.solutionVersionArn,
      minProvisionedTPS: update.minProvisionedTPS,
      campaignConfig: update.campaignConfig,
      status: update.status,
      failureReason: update.failureReason,
      creationDateTime: toDate(update.creationDateTime),
      lastUpdatedDateTime: toDate(update.lastUpdatedDateTime),
    },
  };
}

/** What a solutionVersionArn of a request deploys. */
interface Target {
  solution: ResourceRecord;
  recipe: RecipeDefinition;
  /** What the campaign stores: the version's ARN, or `<solution>/$LATEST` when it syncs. */
  deployedArn: string;
}

const updateUnfinished = (body: CampaignBody) =>
  body.latestCampaignUpdate !== undefined && !isFinal(CAMPAIGN_UPDATE_STATUSES, body.latestCampaignUpdate.status);

export function campaignOperations(
  deps: ServiceDeps,
): Pick<PersonalizeHandlers, 'CreateCampaign' | 'DescribeCampaign' | 'ListCampaigns' | 'UpdateCampaign' | 'DeleteCampaign'> {
  /** The version (or the solution's newest ACTIVE one, for `$LATEST`), checked deployable. */
  async function resolveTarget(tx: CatalogOps, ctx: RequestContext, solutionVersionArn: string, sync: boolean): Promise<Target> {
    const latestOfSolution = latestOf(solutionVersionArn);
    let version: ResourceRecord | undefined;
    let solution: ResourceRecord;
    if (latestOfSolution !== undefined) {
      solution = await loadResource(deps, tx, ctx, SOLUTION_KIND, latestOfSolution);
      [version] = await versionsOf(tx, solution, ['ACTIVE']);
      if (!version) throw inUse(`Solution ${solution.arn} has no ACTIVE solution version to deploy; wait until a version's training ends.`);
    } else {
      version = await loadResource(deps, tx, ctx, SOLUTION_VERSION_KIND, solutionVersionArn);
      solution = await loadResource(deps, tx, ctx, SOLUTION_KIND, version.parentArn!);
    }
    const recipeArn = (version.body as { recipeArn: string }).recipeArn;
    const recipe = findRecipe(recipeArn);
    if (!recipe) throw new Error(`Internal error: solution version ${version.arn} names the unknown recipe ${recipeArn}`);
    checkDeployable(recipe, version);
    return { solution, recipe, deployedArn: sync ? `${solution.arn}${LATEST_SUFFIX}` : version.arn };
  }

  /** Campaigns of the dataset group (over its solutions), for the quota. */
  async function campaignsInGroup(tx: CatalogOps, ctx: RequestContext, datasetGroupArn: string): Promise<number> {
    const solutions = await tx.list({ account: ctx.account, region: ctx.region, kind: SOLUTION_KIND.kind, parentArn: datasetGroupArn });
    let n = 0;
    for (const s of solutions)
      n += await tx.count({ account: ctx.account, region: ctx.region, kind: CAMPAIGN_KIND.kind, parentArn: s.arn });
    return n;
  }

  return {
    async CreateCampaign(input: CreateCampaignRequest, ctx): Promise<CreateCampaignResponse> {
      const tags = toTags(input.tags);
      if (tags.length > deps.quotas.tagsPerResource)
        throw tooManyTags(`${tags.length} tags given; the limit is ${deps.quotas.tagsPerResource} tags per resource.`);
      checkCampaignConfig(input.campaignConfig, input.solutionVersionArn);
      const arn = makeArn(CAMPAIGN_KIND.kind, ctx.region, ctx.account, input.name);
      const now = deps.now();
      await deps.catalog.transaction(async (tx) => {
        if (await tx.get(arn)) throw alreadyExists(`A campaign with the ARN ${arn} already exists.`);
        const sync = input.campaignConfig?.syncWithLatestSolutionVersion === true;
        const target = await resolveTarget(tx, ctx, input.solutionVersionArn, sync);
        const datasetGroupArn = target.solution.parentArn!;
        // Against DeleteSolution (which refuses while campaigns use the solution) and the quota.
        await tx.lock(solutionVersionsLock(target.solution.arn));
        await tx.lock(campaignQuotaLock(datasetGroupArn));
        if (!(await tx.get(target.solution.arn))) throw inUse(`Solution ${target.solution.arn} is being deleted.`);
        if ((await campaignsInGroup(tx, ctx, datasetGroupArn)) >= deps.quotas.campaignsPerGroup) {
          throw limitExceeded(
            `Cannot create a campaign. More than ${deps.quotas.campaignsPerGroup} resources in ACTIVE state. Please delete some and try again.`,
          );
        }
        const body: CampaignBody = {
          solutionVersionArn: target.deployedArn,
          minProvisionedTPS: input.minProvisionedTPS ?? 1,
          campaignConfig: input.campaignConfig,
          datasetGroupArn,
          recipeArn: target.recipe.arn,
        };
        const transitions = schedule(
          CAMPAIGN_STATUSES,
          CAMPAIGN_STATUSES.initial,
          ['CREATE IN_PROGRESS', 'ACTIVE'],
          now,
          deps.config.provisioningMs,
        );
        await insertResource(tx, CAMPAIGN_KIND, {
          arn,
          account: ctx.account,
          region: ctx.region,
          name: input.name,
          parentArn: target.solution.arn,
          createdAt: now,
          updatedAt: now,
          body: { ...body, transitions },
        });
        await addTags(tx, arn, tags, deps.quotas.tagsPerResource);
      });
      return { campaignArn: arn };
    },

    async DescribeCampaign(input: DescribeCampaignRequest, ctx): Promise<DescribeCampaignResponse> {
      return { campaign: describeCampaign(await loadResource(deps, deps.catalog, ctx, CAMPAIGN_KIND, input.campaignArn)) };
    },

    async ListCampaigns(input: ListCampaignsRequest, ctx): Promise<ListCampaignsResponse> {
      const page = await listPage(
        deps,
        ctx,
        'ListCampaigns',
        { kind: CAMPAIGN_KIND.kind, parentArn: input.solutionArn },
        input.nextToken,
        input.maxResults,
      );
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { campaigns: page.records.map(describeCampaign), nextToken: page.nextToken };
    },

    async UpdateCampaign(input: UpdateCampaignRequest, ctx): Promise<UpdateCampaignResponse> {
      if (input.solutionVersionArn === undefined && input.minProvisionedTPS === undefined && input.campaignConfig === undefined)
        throw invalidInput('Nothing to update: give solutionVersionArn, minProvisionedTPS or campaignConfig.');
      const now = deps.now();
      await deps.catalog.transaction(async (tx) => {
        const record = await loadResource(deps, tx, ctx, CAMPAIGN_KIND, input.campaignArn);
        const body = record.body as unknown as CampaignBody;
        if (!hasStatus(CAMPAIGN_STATUSES, record, 'ACTIVE'))
          throw inUse(`Campaign ${record.arn} is in state ${record.status}; it can be updated once it is ACTIVE.`);
        if (updateUnfinished(body))
          throw inUse(`Campaign ${record.arn} has an update in state ${body.latestCampaignUpdate!.status}; wait until it is ACTIVE.`);
        const campaignConfig: CampaignConfig | undefined = input.campaignConfig ?? body.campaignConfig;
        const requested = input.solutionVersionArn ?? body.solutionVersionArn;
        checkCampaignConfig(campaignConfig, requested);
        // A $LATEST deployment without sync deploys the newest version now (also when sync is turned off).
        const target = await resolveTarget(tx, ctx, requested, campaignConfig?.syncWithLatestSolutionVersion === true);
        if (target.solution.arn !== record.parentArn) {
          throw invalidInput(
            `Campaign ${record.arn} deploys solution ${record.parentArn}; ${requested} belongs to solution ${target.solution.arn}. Create a campaign for that solution instead.`,
          );
        }
        const deployment: CampaignDeployment = {
          solutionVersionArn: target.deployedArn,
          minProvisionedTPS: input.minProvisionedTPS ?? body.minProvisionedTPS,
          campaignConfig,
        };
        const update = (status: StoredCampaignUpdate['status'], at: number): StoredCampaignUpdate => ({
          ...deployment,
          status,
          creationDateTime: now,
          lastUpdatedDateTime: at,
        });
        // The update's own timed states; the campaign stays ACTIVE and switches at the last one.
        const [inProgress, active] = schedule(
          CAMPAIGN_UPDATE_STATUSES,
          CAMPAIGN_UPDATE_STATUSES.initial,
          ['CREATE IN_PROGRESS', 'ACTIVE'],
          now,
          deps.config.provisioningMs,
        );
        const transitions: Transition[] = [
          { status: 'ACTIVE', at: inProgress.at, patch: { latestCampaignUpdate: update('CREATE IN_PROGRESS', inProgress.at) } },
          { status: 'ACTIVE', at: active.at, patch: { ...deployment, latestCampaignUpdate: update('ACTIVE', active.at) } },
        ];
        await tx.update({
          ...record,
          updatedAt: now,
          body: {
            ...record.body,
            latestCampaignUpdate: update('CREATE PENDING', now),
            transitions,
            replacedDeployments: [
              ...(body.replacedDeployments ?? []),
              {
                solutionVersionArn: body.solutionVersionArn,
                minProvisionedTPS: body.minProvisionedTPS,
                campaignConfig: body.campaignConfig,
                replacedAt: now,
              },
            ].slice(-MAX_REPLACED_DEPLOYMENTS),
          },
        });
      });
      return { campaignArn: input.campaignArn };
    },

    async DeleteCampaign(input: DeleteCampaignRequest, ctx) {
      await deps.catalog.transaction(async (tx) => {
        const record = await loadResource(deps, tx, ctx, CAMPAIGN_KIND, input.campaignArn);
        if (!isFinal(CAMPAIGN_STATUSES, record.status))
          throw inUse(`Campaign ${record.arn} is in state ${record.status}; it can be deleted once it is ACTIVE.`);
        await tx.delete(record.arn);
      });
      return {};
    },
  };
}
