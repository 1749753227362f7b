// Which solution versions campaigns deploy right now, across every account and region: what the
// automatic two-hourly model updates apply to (rule 121: "only while deployed in a campaign") and
// whose trained data the orphan sweep must keep (rule 120: serving reads histories from it).
// A campaign counts once it is ACTIVE (settled at `now`); its deployment's `<solution>/$LATEST`
// is the solution's newest ACTIVE version, as the runtime resolves it; the version a pending
// UpdateCampaign switches to counts too (it serves as soon as the update is ACTIVE).
import type { Catalog, ResourceRecord } from '../../catalog/catalog.ts';
import { settle } from '../shared/lifecycle.ts';
import { hasStatus } from '../shared/status-table.ts';
import { SOLUTION_VERSION_KIND } from '../solution-versions/solution-version-record.ts';
import { CAMPAIGN_KIND, CAMPAIGN_STATUSES, latestOf, type CampaignBody } from './campaign-record.ts';
import { everyOfKind } from '../../catalog/every-of-kind.ts';

/** The version ARN a deployment names now: itself, or its solution's newest ACTIVE version. */
async function resolve(catalog: Pick<Catalog, 'list'>, campaign: ResourceRecord, deployed: string): Promise<string | undefined> {
  const solutionArn = latestOf(deployed);
  if (solutionArn === undefined) return deployed;
  const [newest] = await catalog.list({
    account: campaign.account,
    region: campaign.region,
    kind: SOLUTION_VERSION_KIND.kind,
    parentArn: solutionArn,
    statusIn: ['ACTIVE'],
    limit: 1,
  });
  return newest?.arn;
}

export async function deployedVersionArns(catalog: Pick<Catalog, 'list' | 'listAllOfKind'>, now: number): Promise<Set<string>> {
  const arns = new Set<string>();
  for await (const stored of everyOfKind(catalog, CAMPAIGN_KIND.kind)) {
    const campaign = settle(stored, now);
    if (!hasStatus(CAMPAIGN_STATUSES, campaign, 'ACTIVE')) continue;
    const body = campaign.body as unknown as CampaignBody;
    for (const deployed of [body.solutionVersionArn, body.latestCampaignUpdate?.solutionVersionArn]) {
      const arn = deployed === undefined ? undefined : await resolve(catalog, campaign, deployed);
      if (arn) arns.add(arn);
    }
  }
  return arns;
}
