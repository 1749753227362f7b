// What a solution version's document records of its automatic two-hourly updates (rule 121;
// new-items-update-work.ts writes it, the serving nodes read it): the field `autoUpdate`, which
// DescribeSolutionVersion does not show. Kept apart from the work so that readers need not import it.

/** The version document's `autoUpdate`. */
export interface AutoUpdate {
  /** When the latest update was made (epoch ms); absent while none was. */
  at?: number;
  /** Its item pool's key in the model store (item-pool.ts). */
  poolKey?: string;
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
