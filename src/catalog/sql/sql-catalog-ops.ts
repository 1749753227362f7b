// The catalog written once in SQL that SQLite and PostgreSQL both accept. The backends differ
// only in how a statement reaches the database (SqlExecutor), how a transaction and `lock` are
// done, a few DDL types (migrations.ts) and the row lock of a job claim (sql-job-queue.ts).
// SqlCatalog (sql-catalog.ts) is the Catalog both backends build on these ops.
//
// Expected conflicts (duplicate ARN, stale version, missing row) are detected from row counts
// (ON CONFLICT DO NOTHING, UPDATE ... RETURNING) rather than from caught SQL errors: on
// PostgreSQL an SQL error aborts the enclosing transaction, so a caller that catches a
// CatalogConflictError inside `transaction` could not carry on.

import {
  CatalogConflictError,
  type CatalogOps,
  type CountQuery,
  type ListQuery,
  type QueuedJob,
  type ResourceKind,
  type ResourceRecord,
  type Tag,
} from '../catalog.ts';
import type { SqlExecutor, SqlParam, SqlRow } from './sql-executor.ts';
import { SqlJobQueue } from './sql-job-queue.ts';

export type LockFn = (key: string) => Promise<void>;

const INSERT_RESOURCE = `INSERT INTO resources
  (arn, account, region, kind, name, parent_arn, status, created_at, updated_at, version, body)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)
  ON CONFLICT (arn) DO NOTHING`;

const UPDATE_RESOURCE = `UPDATE resources
  SET name = ?, parent_arn = ?, status = ?, updated_at = ?, body = ?, version = version + 1
  WHERE arn = ?`;

// New keys go after the current last position; an existing key keeps its position (upsert only
// replaces the value). The EXISTS guard turns "tag a missing resource" into zero rows changed
// instead of a foreign-key error. (SQLite needs a WHERE in INSERT ... SELECT ... ON CONFLICT.)
const UPSERT_TAG = `INSERT INTO tags (arn, tag_key, tag_value, position)
  SELECT ?, ?, ?, COALESCE((SELECT MAX(position) + 1 FROM tags WHERE arn = ?), 0)
  WHERE EXISTS (SELECT 1 FROM resources WHERE arn = ?)
  ON CONFLICT (arn, tag_key) DO UPDATE SET tag_value = excluded.tag_value`;

function toRecord(row: SqlRow): ResourceRecord {
  // pg returns BIGINT as a string (it may exceed 2^53); catalog times are epoch ms, well inside.
  // JSONB arrives parsed from pg, TEXT from SQLite needs parsing.
  return {
    arn: row.arn as string,
    account: row.account as string,
    region: row.region as string,
    kind: row.kind as ResourceKind,
    name: row.name as string,
    parentArn: (row.parent_arn as string | null) ?? null,
    status: (row.status as string | null) ?? null,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    version: Number(row.version),
    body: (typeof row.body === 'string' ? JSON.parse(row.body) : row.body) as Record<string, unknown>,
  };
}

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** WHERE clause shared by list and count; undefined when the filter cannot match any row. */
function filterClause(q: CountQuery): { where: string[]; params: SqlParam[] } | undefined {
  const where = ['account = ?', 'region = ?', 'kind = ?'];
  const params: SqlParam[] = [q.account, q.region, q.kind];
  if (q.parentArn !== undefined) {
    where.push('parent_arn = ?');
    params.push(q.parentArn);
  }
  if (q.statusIn !== undefined) {
    // "status in no statuses" matches nothing (and `IN ()` is not valid SQL).
    if (q.statusIn.length === 0) return undefined;
    where.push(`status IN (${placeholders(q.statusIn.length)})`);
    params.push(...q.statusIn);
  }
  return { where, params };
}

export class SqlCatalogOps implements CatalogOps {
  /** The queue on this executor; SqlCatalog also runs the Catalog-only queue operations on it. */
  readonly queue: SqlJobQueue;

  constructor(
    /** Public so that stores sharing the catalog's database (records) can join its transactions. */
    readonly exec: SqlExecutor,
    private readonly lockFn: LockFn,
  ) {
    this.queue = new SqlJobQueue(exec);
  }

  async get(arn: string): Promise<ResourceRecord | undefined> {
    const rows = await this.exec.all('SELECT * FROM resources WHERE arn = ?', [arn]);
    return rows.length ? toRecord(rows[0]) : undefined;
  }

  async insert(record: Omit<ResourceRecord, 'version'>): Promise<ResourceRecord> {
    const changed = await this.exec.run(INSERT_RESOURCE, [
      record.arn,
      record.account,
      record.region,
      record.kind,
      record.name,
      record.parentArn,
      record.status,
      record.createdAt,
      record.updatedAt,
      JSON.stringify(record.body),
    ]);
    if (changed === 0) throw new CatalogConflictError('exists', `resource already exists: ${record.arn}`);
    return { ...record, version: 1 };
  }

  async update(record: ResourceRecord, expectedVersion?: number): Promise<ResourceRecord> {
    const params: SqlParam[] = [record.name, record.parentArn, record.status, record.updatedAt, JSON.stringify(record.body), record.arn];
    let sql = UPDATE_RESOURCE;
    if (expectedVersion !== undefined) {
      sql += ' AND version = ?';
      params.push(expectedVersion);
    }
    const rows = await this.exec.all(`${sql} RETURNING *`, params);
    if (rows.length) return toRecord(rows[0]);
    // Nothing matched: tell a vanished row from a stale version. (A row deleted in between reads
    // as 'missing', which is the truthful answer by then.)
    const current = await this.exec.all('SELECT version FROM resources WHERE arn = ?', [record.arn]);
    if (!current.length) throw new CatalogConflictError('missing', `resource does not exist: ${record.arn}`);
    throw new CatalogConflictError(
      'version',
      `resource ${record.arn} is at version ${Number(current[0].version)}, expected ${expectedVersion}`,
    );
  }

  async delete(arn: string): Promise<boolean> {
    // Tags go with it through ON DELETE CASCADE, within this one statement.
    return (await this.exec.run('DELETE FROM resources WHERE arn = ?', [arn])) > 0;
  }

  async list(query: ListQuery): Promise<ResourceRecord[]> {
    const filter = filterClause(query);
    if (!filter) return [];
    const { where, params } = filter;
    const newest = (query.order ?? 'newest') === 'newest';
    if (query.after) {
      // Row-value comparison: strictly past the cursor in (created_at, arn) order, so rows that
      // share a createdAt are neither skipped nor repeated across pages.
      where.push(newest ? '(created_at, arn) < (?, ?)' : '(created_at, arn) > (?, ?)');
      params.push(query.after.createdAt, query.after.arn);
    }
    const dir = newest ? 'DESC' : 'ASC';
    let sql = `SELECT * FROM resources WHERE ${where.join(' AND ')} ORDER BY created_at ${dir}, arn ${dir}`;
    if (query.limit !== undefined) {
      if (!Number.isInteger(query.limit) || query.limit < 0) {
        throw new RangeError(`list limit must be a non-negative integer, got ${query.limit}`);
      }
      sql += ' LIMIT ?';
      params.push(query.limit);
    }
    return (await this.exec.all(sql, params)).map(toRecord);
  }

  async listAllOfKind(kind: ResourceKind, afterArn: string | undefined, limit: number): Promise<ResourceRecord[]> {
    const rows = await this.exec.all(`SELECT * FROM resources WHERE kind = ? AND arn > ? ORDER BY arn LIMIT ?`, [
      kind,
      afterArn ?? '',
      limit,
    ]);
    return rows.map(toRecord);
  }

  async count(query: CountQuery): Promise<number> {
    const filter = filterClause(query);
    if (!filter) return 0;
    const rows = await this.exec.all(`SELECT COUNT(*) AS n FROM resources WHERE ${filter.where.join(' AND ')}`, filter.params);
    return Number(rows[0].n);
  }

  /** Rows of the given kinds counted by kind and status, over every account and region (metrics). */
  async countByStatus(kinds: ResourceKind[]): Promise<{ kind: ResourceKind; status: string | null; count: number }[]> {
    if (!kinds.length) return [];
    const rows = await this.exec.all(
      `SELECT kind, status, COUNT(*) AS n FROM resources WHERE kind IN (${kinds.map(() => '?').join(', ')}) GROUP BY kind, status`,
      kinds,
    );
    return rows.map((r) => ({ kind: r.kind as ResourceKind, status: (r.status as string | null) ?? null, count: Number(r.n) }));
  }

  async getTags(arn: string): Promise<Tag[]> {
    const rows = await this.exec.all('SELECT tag_key, tag_value FROM tags WHERE arn = ? ORDER BY position, tag_key', [arn]);
    return rows.map((r) => ({ key: r.tag_key as string, value: r.tag_value as string }));
  }

  /**
   * Several statements and a lock: must run inside a transaction (SqlCatalog.putTags wraps the
   * call from outside one). Throws CatalogConflictError('missing') when the resource does not exist.
   */
  async putTags(arn: string, tags: Tag[]): Promise<void> {
    if (!tags.length) return;
    // Two concurrent putTags on one resource would otherwise read the same MAX(position) and
    // give their new keys equal positions (no-op on SQLite, where writers are already serial).
    await this.lock(`openpersonalize:catalog:tags:${arn}`);
    for (const tag of tags) {
      const changed = await this.exec.run(UPSERT_TAG, [arn, tag.key, tag.value, arn, arn]);
      if (changed === 0) throw new CatalogConflictError('missing', `cannot tag missing resource: ${arn}`);
    }
  }

  async deleteTags(arn: string, keys: string[]): Promise<void> {
    if (!keys.length) return;
    await this.exec.run(`DELETE FROM tags WHERE arn = ? AND tag_key IN (${placeholders(keys.length)})`, [arn, ...keys]);
  }

  enqueueJob(arn: string, kind: ResourceKind, now: number): Promise<void> {
    return this.queue.enqueue(arn, kind, now);
  }
  finishJob(arn: string, owner: string): Promise<boolean> {
    return this.queue.finish(arn, owner);
  }
  getQueuedJob(arn: string): Promise<QueuedJob | undefined> {
    return this.queue.get(arn);
  }

  async getSetting(key: string): Promise<string | undefined> {
    const rows = await this.exec.all('SELECT value FROM settings WHERE name = ?', [key]);
    return rows.length ? (rows[0].value as string) : undefined;
  }

  async putSettingIfAbsent(key: string, value: string): Promise<string> {
    // Settings are never overwritten or deleted, so reading back after a no-op insert is safe
    // even outside a transaction: whichever value won the first insert is the one returned.
    await this.exec.run('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING', [key, value]);
    const stored = await this.getSetting(key);
    if (stored === undefined) throw new Error(`setting ${key} vanished after insert`);
    return stored;
  }

  lock(key: string): Promise<void> {
    return this.lockFn(key);
  }
}
