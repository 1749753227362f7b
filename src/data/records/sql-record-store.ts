// The RecordStore (record-store.ts) on the catalog database, written once in SQL that SQLite and
// PostgreSQL both accept. Puts go through a group commit: every put waiting while a transaction
// commits is written by the next transaction, so one fsync serves many API calls and a caller is
// still only answered after its own records are committed.
import type { CatalogOps } from '../../catalog/catalog.ts';
import { sqlExecutorOfTransaction, type SqlAccess } from '../../catalog/sql/sql-catalog.ts';
import type { SqlExecutor, SqlParam, SqlRow } from '../../catalog/sql/sql-executor.ts';
import { Batcher, ItemFailure } from './batcher.ts';
import { DatasetGoneError, type DatasetRef, type NewRecord, type RecordStore, type StoredRecord } from './record-store.ts';

interface PendingPut {
  dataset: DatasetRef;
  records: NewRecord[];
  putAt: number;
}

/** Rows per multi-row INSERT (5 parameters each; well under both drivers' parameter limits). */
const INSERT_CHUNK = 200;
/** Values per IN (...) list of deleteUsers. */
const DELETE_CHUNK = 500;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

function toStored(row: SqlRow): StoredRecord {
  return {
    key: row.record_key as string,
    userId: (row.user_id as string | null) ?? null,
    putAt: Number(row.put_at),
    // JSONB arrives parsed from pg, TEXT from SQLite needs parsing.
    cells: (typeof row.cells === 'string' ? JSON.parse(row.cells) : row.cells) as StoredRecord['cells'],
  };
}

export class SqlRecordStore implements RecordStore {
  private readonly commits: Batcher<PendingPut, void>;

  constructor(private readonly db: SqlAccess) {
    this.commits = new Batcher((puts) => this.commitBatch(puts));
  }

  put(dataset: DatasetRef, records: NewRecord[], putAt: number): Promise<void> {
    return this.commits.submit({ dataset, records, putAt });
  }

  async scan(datasetArn: string, options: { after?: string; limit?: number } = {}): Promise<StoredRecord[]> {
    const limit = options.limit ?? 1000;
    const rows =
      options.after === undefined
        ? await this.db.sql.all('SELECT * FROM records WHERE dataset_arn = ? ORDER BY record_key LIMIT ?', [datasetArn, limit])
        : await this.db.sql.all('SELECT * FROM records WHERE dataset_arn = ? AND record_key > ? ORDER BY record_key LIMIT ?', [
            datasetArn,
            options.after,
            limit,
          ]);
    return rows.map(toStored);
  }

  async count(datasetArn: string): Promise<number> {
    const [row] = await this.db.sql.all('SELECT COUNT(*) AS n FROM records WHERE dataset_arn = ?', [datasetArn]);
    return Number(row.n);
  }

  async forUser(datasetArn: string, userId: string): Promise<StoredRecord[]> {
    // records_user (dataset_arn, user_id) serves this.
    const rows = await this.db.sql.all('SELECT * FROM records WHERE dataset_arn = ? AND user_id = ?', [datasetArn, userId]);
    return rows.map(toStored);
  }

  async stamp(datasetArn: string): Promise<{ count: number; lastPutAt: number }> {
    const [row] = await this.db.sql.all('SELECT COUNT(*) AS n, MAX(put_at) AS last FROM records WHERE dataset_arn = ?', [datasetArn]);
    return { count: Number(row.n), lastPutAt: Number(row.last ?? 0) };
  }

  async distinctCells(datasetArn: string, column: string, limit: number): Promise<string[]> {
    const value = this.db.dialect.jsonText('cells');
    const rows = await this.db.sql.all(
      `SELECT DISTINCT ${value} AS v FROM records WHERE dataset_arn = ? AND ${value} IS NOT NULL AND ${value} <> '' ORDER BY 1 LIMIT ?`,
      [column, datasetArn, column, column, limit],
    );
    return rows.map((r) => String(r.v));
  }

  async deleteUsers(datasetArns: string[], userIds: string[], within?: CatalogOps): Promise<number> {
    if (datasetArns.length === 0 || userIds.length === 0) return 0;
    const unique = [...new Set(userIds)];
    const inTransaction = <T>(fn: (exec: SqlExecutor) => Promise<T>) =>
      within ? fn(sqlExecutorOfTransaction(within)) : this.db.sqlTransaction(fn);
    return inTransaction(async (exec) => {
      let removed = 0;
      for (const arn of new Set(datasetArns)) {
        for (let i = 0; i < unique.length; i += DELETE_CHUNK) {
          const chunk = unique.slice(i, i + DELETE_CHUNK);
          removed += await exec.run(`DELETE FROM records WHERE dataset_arn = ? AND user_id IN (${placeholders(chunk.length)})`, [
            arn,
            ...chunk,
          ]);
        }
      }
      return removed;
    });
  }

  close(): Promise<void> {
    return this.commits.idle();
  }

  /** One transaction for the whole batch; if it fails as a whole, each put is retried alone so one
   *  bad put cannot fail the others. */
  private async commitBatch(puts: PendingPut[]): Promise<(void | ItemFailure)[]> {
    try {
      return await this.db.sqlTransaction((exec) => this.write(exec, puts));
    } catch (batchError) {
      if (puts.length === 1) throw batchError;
      const results: (void | ItemFailure)[] = [];
      for (const p of puts) {
        try {
          results.push((await this.db.sqlTransaction((exec) => this.write(exec, [p])))[0]);
        } catch (e) {
          results.push(new ItemFailure(e));
        }
      }
      return results;
    }
  }

  private async write(exec: SqlExecutor, puts: PendingPut[]): Promise<(void | ItemFailure)[]> {
    // The datasets must still exist as the incarnation the put was checked against: a put racing
    // a DeleteDataset must neither fail on the foreign key nor land in a re-created dataset.
    const arns = [...new Set(puts.map((p) => p.dataset.arn))];
    const live = new Map<string, number>();
    for (const row of await exec.all(`SELECT arn, created_at FROM resources WHERE arn IN (${placeholders(arns.length)})`, arns)) {
      live.set(row.arn as string, Number(row.created_at));
    }
    // Later puts (and later records of one put) win: keep the last version of each key, so that a
    // multi-row upsert never touches one row twice (PostgreSQL refuses that).
    const latest = new Map<string, SqlParam[]>();
    const results = puts.map((p) => {
      if (live.get(p.dataset.arn) !== p.dataset.createdAt) return new ItemFailure(new DatasetGoneError(p.dataset.arn));
      for (const r of p.records) {
        const id = JSON.stringify([p.dataset.arn, r.key]);
        latest.delete(id);
        latest.set(id, [p.dataset.arn, r.key, r.userId, p.putAt, JSON.stringify(r.cells)]);
      }
      return undefined;
    });
    const rows = [...latest.values()];
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      await exec.run(
        `INSERT INTO records (dataset_arn, record_key, user_id, put_at, cells) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}
         ON CONFLICT (dataset_arn, record_key) DO UPDATE SET user_id = excluded.user_id, put_at = excluded.put_at, cells = excluded.cells`,
        chunk.flat(),
      );
    }
    return results;
  }
}
