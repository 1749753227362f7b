// How job work records a job's status and progress in its resource row, against the kind's
// status table (its records declare it, e.g. resources/import-jobs/import-job-record.ts).
import type { CatalogOps } from '../catalog/catalog.ts';
import { assertMove, isFinal, type StatusTable } from '../resources/shared/status-table.ts';

/**
 * Moves the job to `status` and merges `patch` into its document. Progress writes are not tied
 * to the lease: a worker that stalled past its lease must not reopen a job that another worker
 * has since finished, so a write to an unfinished status is skipped once the job is final. Any
 * other move must be one the table declares (an internal error otherwise).
 */
export async function setJobState<S extends string>(
  ops: CatalogOps,
  table: StatusTable<S>,
  arn: string,
  now: number,
  status: S,
  patch: Record<string, unknown>,
): Promise<void> {
  const job = await ops.get(arn);
  if (!job) return;
  if (isFinal(table, job.status) && !isFinal(table, status)) return;
  assertMove(table, job.status, status);
  await ops.update({ ...job, status, updatedAt: now, body: { ...job.body, ...patch } });
}
