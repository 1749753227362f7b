// The job queue, written once in SQL that SQLite and PostgreSQL both accept (table: migration 2).
//
// A row is a job's mechanics only: who holds it and until when. A job is available when nobody
// ever held it (owner NULL: new, released, or its lease ended by expireAllLeases) or its lease
// ended before `now`. "Holding" a job means owner = that worker, with no regard to the lease
// time: a worker whose lease ran out keeps the job until another worker claims it, because claim
// is the only thing that changes owner. finish/renew/release therefore test `owner = ?` alone.
//
// Every operation is one statement, so outside a transaction it is atomic on its own. The one
// real backend difference is how claim keeps concurrent claimers apart (SqlDialect.claimRowLock).

import { CatalogConflictError, type QueuedJob, type ResourceKind } from '../catalog.ts';
import type { SqlDialect } from './sql-dialect.ts';
import type { SqlExecutor, SqlRow } from './sql-executor.ts';

function toJob(row: SqlRow): QueuedJob {
  // pg returns BIGINT as a string; the values are epoch ms, well inside 2^53.
  const lease = row.lease_expires_at;
  return {
    arn: row.arn as string,
    kind: row.kind as ResourceKind,
    owner: (row.owner as string | null) ?? null,
    leaseExpiresAt: lease === null || lease === undefined ? null : Number(lease),
    attempts: Number(row.attempts),
    enqueuedAt: Number(row.enqueued_at),
  };
}

/** Times go into BIGINT columns: anything but a whole number of ms would fail on PostgreSQL only. */
function wholeMs(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`job queue ${name} must be an integer number of milliseconds >= ${min}, got ${value}`);
  }
}

function leaseEnd(leaseMs: number, now: number): number {
  wholeMs('leaseMs', leaseMs, 1);
  wholeMs('now', now, 0);
  const end = now + leaseMs;
  wholeMs('lease end (now + leaseMs)', end, 0);
  return end;
}

export class SqlJobQueue {
  constructor(private readonly exec: SqlExecutor) {}

  /**
   * Throws CatalogConflictError('exists') when the ARN is queued already (detected from the row
   * count, so inside a PostgreSQL transaction the caller can catch it and carry on).
   */
  async enqueue(arn: string, kind: ResourceKind, now: number): Promise<void> {
    wholeMs('now', now, 0);
    const changed = await this.exec.run(
      `INSERT INTO job_queue (arn, kind, owner, lease_expires_at, attempts, enqueued_at)
        VALUES (?, ?, NULL, NULL, 0, ?) ON CONFLICT (arn) DO NOTHING`,
      [arn, kind, now],
    );
    if (changed === 0) throw new CatalogConflictError('exists', `job already queued: ${arn}`);
  }

  async finish(arn: string, owner: string): Promise<boolean> {
    return (await this.exec.run('DELETE FROM job_queue WHERE arn = ? AND owner = ?', [arn, owner])) > 0;
  }

  async get(arn: string): Promise<QueuedJob | undefined> {
    const rows = await this.exec.all('SELECT * FROM job_queue WHERE arn = ?', [arn]);
    return rows.length ? toJob(rows[0]) : undefined;
  }

  /** One statement: pick the oldest available job of the kinds and take it, or nothing. */
  async claim(owner: string, kinds: ResourceKind[], leaseMs: number, now: number, dialect: SqlDialect): Promise<QueuedJob | undefined> {
    const until = leaseEnd(leaseMs, now);
    // "Any of no kinds" matches nothing (and `IN ()` is not valid SQL).
    if (!kinds.length) return undefined;
    const rows = await this.exec.all(
      `UPDATE job_queue SET owner = ?, lease_expires_at = ?, attempts = attempts + 1
        WHERE arn = (
          SELECT arn FROM job_queue
          WHERE kind IN (${kinds.map(() => '?').join(', ')}) AND (owner IS NULL OR lease_expires_at < ?)
          ORDER BY enqueued_at, arn
          LIMIT 1 ${dialect.claimRowLock}
        )
        RETURNING *`,
      [owner, until, ...kinds, now],
    );
    return rows.length ? toJob(rows[0]) : undefined;
  }

  async renew(arn: string, owner: string, leaseMs: number, now: number): Promise<boolean> {
    const until = leaseEnd(leaseMs, now);
    return (await this.exec.run('UPDATE job_queue SET lease_expires_at = ? WHERE arn = ? AND owner = ?', [until, arn, owner])) > 0;
  }

  /** Available at once; the claim being handed back no longer counts (holding implies attempts >= 1). */
  async release(arn: string, owner: string): Promise<boolean> {
    const changed = await this.exec.run(
      'UPDATE job_queue SET owner = NULL, lease_expires_at = NULL, attempts = attempts - 1 WHERE arn = ? AND owner = ?',
      [arn, owner],
    );
    return changed > 0;
  }

  /**
   * Clears every owner (lease running or already ended), keeping attempts: an interrupted run
   * was an attempt. Returns how many jobs had an owner.
   */
  expireAll(): Promise<number> {
    return this.exec.run('UPDATE job_queue SET owner = NULL, lease_expires_at = NULL WHERE owner IS NOT NULL');
  }

  async list(): Promise<QueuedJob[]> {
    return (await this.exec.all('SELECT * FROM job_queue ORDER BY enqueued_at, arn')).map(toJob);
  }
}
