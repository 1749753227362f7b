// The catalog on PostgreSQL through a `pg` Pool, shareable by several processes.
//
// Transactions run at READ COMMITTED (the default) on one checked-out client. That is what makes
// the `lock` pattern work: after pg_advisory_xact_lock returns, the next statement takes a fresh
// snapshot and so sees everything committed by the previous holder (at REPEATABLE READ the
// snapshot could predate the lock and a quota check would count stale rows). Concurrent
// `update(record, expectedVersion)` calls on one row are also safe: the second UPDATE waits for
// the first and re-checks `version = ?` against the committed row.

import { createHash } from 'node:crypto';
import pg from 'pg';
import type { CatalogCapabilities, CatalogOps } from '../catalog.ts';
import { migrate } from '../sql/migrations.ts';
import { postgresDialect } from './postgres-dialect.ts';
import { SqlCatalogOps } from '../sql/sql-catalog-ops.ts';
import { SqlCatalog } from '../sql/sql-catalog.ts';
import { TransactionScope, toNumberedPlaceholders, type SqlExecutor, type SqlParam, type SqlRow } from '../sql/sql-executor.ts';

/** Serialises concurrent migrations of one database by several processes. */
const MIGRATION_LOCK = 'openpersonalize:catalog:migrations';

/** Signed 64-bit key for pg_advisory_xact_lock, as a decimal string (a JS number would round). */
export function advisoryLockKey(key: string): string {
  return createHash('sha256').update(key).digest().readBigInt64BE(0).toString();
}

/** The connection URL with its password masked, for error messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable PostgreSQL URL>';
  }
}

class PgExecutor implements SqlExecutor {
  constructor(
    private readonly target: pg.Pool | pg.PoolClient,
    private readonly scope?: TransactionScope,
  ) {}

  async all(sql: string, params: readonly SqlParam[] = []): Promise<SqlRow[]> {
    this.scope?.check();
    return (await this.target.query(toNumberedPlaceholders(sql), params as SqlParam[])).rows;
  }

  async run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    this.scope?.check();
    return (await this.target.query(toNumberedPlaceholders(sql), params as SqlParam[])).rowCount ?? 0;
  }
}

function lockIn(exec: SqlExecutor): (key: string) => Promise<void> {
  return async (key) => {
    // Released by COMMIT/ROLLBACK; there is no unlock to forget.
    await exec.all('SELECT pg_advisory_xact_lock(?::bigint)', [advisoryLockKey(key)]);
  };
}

async function lockOutsideTransaction(key: string): Promise<void> {
  throw new Error(
    `catalog lock("${key}") called outside a transaction: on PostgreSQL it is a transaction-scoped advisory lock, so call it on the tx argument of catalog.transaction(fn)`,
  );
}

export class PostgresCatalog extends SqlCatalog {
  readonly capabilities: CatalogCapabilities = { multiProcess: true };
  readonly dialect = postgresDialect;
  protected readonly autocommit: SqlCatalogOps;
  readonly sql: SqlExecutor;

  private constructor(private readonly pool: pg.Pool) {
    super();
    this.sql = new PgExecutor(pool);
    this.autocommit = new SqlCatalogOps(this.sql, lockOutsideTransaction);
  }

  sqlTransaction<T>(fn: (exec: SqlExecutor) => Promise<T>): Promise<T> {
    return this.runInTransaction(fn);
  }

  /** Connects to `url` (postgres:// or postgresql://) and brings the schema up to date. */
  static async open(url: string, poolConfig: Omit<pg.PoolConfig, 'connectionString'> = {}): Promise<PostgresCatalog> {
    const pool = new pg.Pool({ connectionTimeoutMillis: 10_000, ...poolConfig, connectionString: url });
    // An idle pooled client can lose its connection (server restart, admin terminate). pg then
    // emits 'error' on the pool, which would crash the process if unhandled; the pool has
    // already discarded that client and the next query reconnects or fails loudly.
    pool.on('error', () => {});
    const catalog = new PostgresCatalog(pool);
    try {
      await catalog.runInTransaction(async (exec) => {
        await lockIn(exec)(MIGRATION_LOCK);
        await migrate(exec, postgresDialect);
      });
      return catalog;
    } catch (err) {
      await pool.end().catch(() => {});
      const reason = err instanceof Error ? err.message : String(err);
      throw new Error(`cannot open PostgreSQL catalog at ${redactUrl(url)}: ${reason}`, { cause: err });
    }
  }

  transaction<T>(fn: (tx: CatalogOps) => Promise<T>): Promise<T> {
    return this.runInTransaction((exec) => fn(new SqlCatalogOps(exec, lockIn(exec))));
  }

  async close(): Promise<void> {
    // pg throws on a second end(); closing twice is harmless everywhere else.
    if (!this.pool.ended) await this.pool.end();
  }

  private async runInTransaction<T>(fn: (exec: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const scope = new TransactionScope();
    // A client whose ROLLBACK failed is in an unknown state: destroy it instead of pooling it.
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(new PgExecutor(client, scope));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw err;
    } finally {
      scope.open = false;
      client.release(broken);
    }
  }
}
