// Provisioning states that involve no real work (a dataset group or dataset becoming ACTIVE, a
// schema swap) are scheduled as timed transitions in the resource's document and applied when
// the resource is read. No background timer, nothing to recover after a restart, and every API
// node computes the same status from the same row.
import type { ResourceRecord } from '../../catalog/catalog.ts';
import { assertMove, type StatusTable } from './status-table.ts';

export interface Transition {
  status: string;
  /** Epoch ms at which the resource enters `status`. */
  at: number;
  /** Top-level document fields that change at the same moment (e.g. a dataset's new schemaArn). */
  patch?: Record<string, unknown>;
}

export interface WithTransitions {
  transitions?: Transition[];
}

/**
 * Schedules the steps that follow `from` (e.g. CREATE IN_PROGRESS, ACTIVE after CREATE PENDING),
 * spread over `totalMs` from `now`. Each step must be a move the kind's table declares: a
 * transition applied later on a read is checked by nobody else.
 */
export function schedule<S extends string>(
  table: StatusTable<S>,
  from: S,
  steps: readonly S[],
  now: number,
  totalMs: number,
): Transition[] {
  steps.reduce((previous, next) => {
    assertMove(table, previous, next);
    return next;
  }, from);
  return steps.map((status, i) => ({ status, at: now + Math.round((totalMs * (i + 1)) / steps.length) }));
}

/**
 * The record as it is at `now`: due transitions applied to status and updatedAt. Returns the
 * same object when nothing was due, so callers can tell whether to write it back.
 */
export function settle<R extends ResourceRecord<Record<string, unknown>>>(record: R, now: number): R {
  const body = record.body as WithTransitions;
  const due = (body.transitions ?? []).filter((t) => t.at <= now);
  if (due.length === 0) return record;
  const last = due[due.length - 1];
  const rest = (body.transitions ?? []).filter((t) => t.at > now);
  const patched = due.reduce<Record<string, unknown>>((acc, t) => ({ ...acc, ...t.patch }), { ...record.body });
  return {
    ...record,
    status: last.status,
    updatedAt: Math.max(record.updatedAt, last.at),
    body: { ...patched, transitions: rest.length ? rest : undefined } as R['body'],
  };
}
