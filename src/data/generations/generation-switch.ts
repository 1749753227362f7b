// The one way a dataset moves to a new generation of bulk parts, used by every commit that
// changes bulk data (import jobs, data deletion jobs). `nextGeneration` is the pure decision;
// `switchGeneration` applies it inside the job's commit transaction, under the generation lock,
// so on PostgreSQL no commit overwrites a switch another one committed meanwhile.
import { CatalogConflictError, type CatalogOps } from '../../catalog/catalog.ts';
import { generationLock, RETIRED_PART_GRACE_MS, type DatasetBulk, type PartRef, type RetiredPart } from './part-store.ts';

export type GenerationChange =
  /** A FULL import: its part replaces the whole generation. */
  | { kind: 'replace'; part: PartRef }
  /**
   * An INCREMENTAL import: its part is appended. With `compacted`, the job also merged the
   * generation it read (`base`) and its part into one: used only if the generation is still
   * `base`; otherwise (a data deletion switched it meanwhile) the merge is stale and the plain
   * part is appended instead.
   */
  | { kind: 'append'; part: PartRef; compacted?: { part: PartRef; base: PartRef[] } }
  /** A data deletion: the generation it read (`base`) is rewritten as `parts`, only if it is still current. */
  | { kind: 'rewrite'; baseKeys: string[]; parts: PartRef[] };

export interface NextGeneration {
  parts: PartRef[];
  /** Parts no longer referenced once the switch commits (the old generation, an unused part). */
  garbage: PartRef[];
}

const keysOf = (parts: PartRef[]) => parts.map((p) => p.key);
const sameKeys = (a: string[], b: string[]) => a.length === b.length && a.every((k, i) => k === b[i]);

/** The generation after `change` over `current`; 'stale' when a rewrite's base is no longer current. */
export function nextGeneration(current: PartRef[], change: GenerationChange): NextGeneration | 'stale' {
  switch (change.kind) {
    case 'replace':
      return { parts: [change.part], garbage: current };
    case 'append':
      if (change.compacted && sameKeys(keysOf(current), keysOf(change.compacted.base)))
        return { parts: [change.compacted.part], garbage: [...current, change.part] };
      return { parts: [...current, change.part], garbage: change.compacted ? [change.compacted.part] : [] };
    case 'rewrite': {
      if (!sameKeys(keysOf(current), change.baseKeys)) return 'stale';
      const kept = new Set(change.parts.map((p) => p.key));
      return { parts: change.parts, garbage: current.filter((p) => !kept.has(p.key)) };
    }
  }
}

/** Writes that may change a dataset row without taking the generation lock (UpdateDataset): a commit re-reads this many times. */
const CONFLICT_RETRIES = 3;

/** The retired list after a switch at `now` that replaced `garbage`: entries past their grace are dropped. */
export function retire(previous: RetiredPart[] | undefined, garbage: PartRef[], now: number): RetiredPart[] | undefined {
  const kept = (previous ?? []).filter((r) => r.at + RETIRED_PART_GRACE_MS > now);
  const all = [...kept, ...garbage.map((p) => ({ key: p.key, at: now }))];
  return all.length > 0 ? all : undefined;
}

/**
 * Applies `change` to the dataset in the caller's transaction. 'no-dataset' when it was deleted
 * meanwhile, 'stale' for a rewrite whose base changed; otherwise what became garbage. The garbage
 * is not deleted here nor by the caller: it is retired (DatasetBulk.retired) and left to the
 * orphan sweep once its grace is over, because a reader may still be reading it.
 */
export async function switchGeneration(
  tx: CatalogOps,
  datasetArn: string,
  change: GenerationChange,
  now: number,
): Promise<NextGeneration | 'no-dataset' | 'stale'> {
  await tx.lock(generationLock(datasetArn));
  for (let attempt = 1; ; attempt++) {
    const current = await tx.get(datasetArn);
    if (!current) return 'no-dataset';
    const old = (current.body as { bulk?: DatasetBulk }).bulk;
    const next = nextGeneration(old?.parts ?? [], change);
    if (next === 'stale') return next;
    if (sameKeys(keysOf(old?.parts ?? []), keysOf(next.parts))) return next; // nothing to switch (a deletion that found no user in the bulk data)
    const retired = retire(old?.retired, next.garbage, now);
    const bulk: DatasetBulk = retired ? { parts: next.parts, retired } : { parts: next.parts };
    try {
      await tx.update({ ...current, body: { ...current.body, bulk } }, current.version);
      return next;
    } catch (e) {
      // Changed between our read and write by a writer that does not take the lock: read again.
      if (!(e instanceof CatalogConflictError) || attempt >= CONFLICT_RETRIES) throw e;
    }
  }
}
