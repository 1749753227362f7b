// Which recommenders answer requests right now, across every account and region (settled at
// `now`: a stop or start that has ended counts): what the two-hourly model updates apply to
// (serving/recommender-updates-work.ts); and which models the recommenders serve, whose trained
// Interactions parts the orphan sweep must keep (rule 120, serving/trained-history.ts).
// Composition hands them over.
import type { Catalog, ResourceRecord } from '../../catalog/catalog.ts';
import { settle } from '../shared/lifecycle.ts';
import { hasStatus } from '../shared/status-table.ts';
import { RECOMMENDER_KIND, RECOMMENDER_STATUSES, type RecommenderBody } from './recommender-record.ts';
import { everyOfKind } from '../../catalog/every-of-kind.ts';

/** Every ACTIVE recommender with a served model, settled to `now`. */
export async function activeRecommenders(catalog: Pick<Catalog, 'listAllOfKind'>, now: number): Promise<ResourceRecord[]> {
  const out: ResourceRecord[] = [];
  for await (const stored of everyOfKind(catalog, RECOMMENDER_KIND.kind)) {
    const r = settle(stored, now);
    if (hasStatus(RECOMMENDER_STATUSES, r, 'ACTIVE') && (r.body as unknown as RecommenderBody).model) out.push(r);
  }
  return out;
}

/**
 * The served models of every recommender that has one, whatever its status (a stopped recommender
 * serves its model again once started): the orphan sweep keeps their trained Interactions parts.
 */
export async function servedRecommenderModels(catalog: Pick<Catalog, 'listAllOfKind'>): Promise<string[]> {
  const arns: string[] = [];
  for await (const r of everyOfKind(catalog, RECOMMENDER_KIND.kind)) {
    const model = (r.body as unknown as RecommenderBody).model;
    if (model) arns.push(model.arn);
  }
  return arns;
}
