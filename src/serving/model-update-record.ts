// What a solution version's document records of its automatic updates (rule 121): the two-hourly
// item pool of User-Personalization (new-items-update-work.ts) or Trending-Now's re-evaluated list
// (trend-refresh-work.ts). The work writes the field `autoUpdate`, which DescribeSolutionVersion
// does not show; the serving nodes read it. Kept apart from the work so that readers need not import it.

/** The version document's `autoUpdate`. */
export interface AutoUpdate {
  /** When the latest update was made (epoch ms); absent while none was. */
  at?: number;
  /** Its item pool's key in the model store (item-pool.ts). */
  poolKey?: string;
  /** The model it computed again, which serving uses instead of the trained artifact (Trending-Now). */
  modelKey?: string;
  /** What data it read (interactions and items stamps). */
  stamp?: string;
  /** When the next update is due. */
  nextAt: number;
  /** Items in the pool that the model does not know, for logs and tests. */
  newItems?: number;
}

export function autoUpdateOf(body: Record<string, unknown>): AutoUpdate | undefined {
  return (body as { autoUpdate?: AutoUpdate }).autoUpdate;
}

/** The model artifact a version answers with now: the latest re-evaluation's, else the trained one. */
export function servedModelKeyOf(body: Record<string, unknown>): string | undefined {
  return autoUpdateOf(body)?.modelKey ?? (body as { artifactKey?: string }).artifactKey;
}
